package failover

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func endpoint(n string) Endpoint {
	return Endpoint{DNSName: pulumi.String(n + ".elb.amazonaws.com"), ZoneID: pulumi.String("Z35SXDOTRQ7X7K")}
}

func valid() Args {
	return Args{ZoneID: pulumi.String("Z1"), RecordName: "app.example.com", Primary: endpoint("p"), Secondary: endpoint("s")}
}

func TestDefaults(t *testing.T) {
	in := valid()
	a, err := in.resolve()
	require.NoError(t, err)
	assert.Equal(t, "/healthz", a.Path)
	assert.Equal(t, 443, a.Port)
	assert.Equal(t, 30, a.RequestIntervalSeconds)
	assert.Equal(t, 3, a.FailureThreshold)
	assert.Empty(t, a.Regions)
	assert.False(t, a.IPv6)

	in = valid()
	in.Path, in.Port, in.RequestIntervalSeconds, in.FailureThreshold = "/up", 8443, 10, 5
	in.Regions = []string{"us-east-1", "eu-west-1", "us-west-2"}
	a, err = in.resolve()
	require.NoError(t, err)
	assert.Equal(t, "/up", a.Path)
	assert.Equal(t, 8443, a.Port)
	assert.Equal(t, 10, a.RequestIntervalSeconds)
	assert.Equal(t, 5, a.FailureThreshold)
	assert.Equal(t, []string{"us-east-1", "eu-west-1", "us-west-2"}, a.Regions)
}

func TestValidation(t *testing.T) {
	tests := []struct {
		name string
		edit func(*Args)
		want string
	}{
		{"no zone", func(a *Args) { a.ZoneID = nil }, "ZoneID is required"},
		{"no record name", func(a *Args) { a.RecordName = "" }, "RecordName is required"},
		{"bad record name", func(a *Args) { a.RecordName = "App.example.com" }, `RecordName "App.example.com" is not allowed`},
		{"no primary", func(a *Args) { a.Primary = Endpoint{} }, "Primary.DNSName and Primary.ZoneID are required"},
		{"no secondary zone", func(a *Args) { a.Secondary.ZoneID = nil }, "Secondary.DNSName and Secondary.ZoneID are required"},
		{"relative path", func(a *Args) { a.Path = "healthz" }, `Path "healthz" is not allowed: want an absolute path`},
		{"long path", func(a *Args) { a.Path = "/" + string(make([]byte, 255)) }, "Path of 256 characters is not allowed: want at most 255"},
		{"port", func(a *Args) { a.Port = 70000 }, "Port 70000 is not allowed: want 1-65535"},
		{"negative port", func(a *Args) { a.Port = -1 }, "Port -1 is not allowed"},
		{"interval", func(a *Args) { a.RequestIntervalSeconds = 20 }, "RequestIntervalSeconds 20 is not allowed: want 10 or 30"},
		{"threshold", func(a *Args) { a.FailureThreshold = 11 }, "FailureThreshold 11 is not allowed: want 1-10"},
		{"too few regions", func(a *Args) { a.Regions = []string{"us-east-1", "eu-west-1"} }, "Regions [us-east-1 eu-west-1] is not allowed: want at least 3"},
		{"unknown region", func(a *Args) { a.Regions = []string{"us-east-1", "eu-west-1", "eu-central-1"} }, `Regions: "eu-central-1" is not allowed: want one of [ap-northeast-1`},
		{"region twice", func(a *Args) { a.Regions = []string{"us-east-1", "eu-west-1", "us-east-1"} }, `Regions: "us-east-1" is not allowed twice`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := valid()
			tt.edit(&a)
			_, err := a.resolve()
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
	_, err := (*Args)(nil).resolve()
	assert.ErrorContains(t, err, "args are required")
}
