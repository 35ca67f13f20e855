package dns

import (
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestValidateDomainName(t *testing.T) {
	long := strings.Repeat("a", 64)
	tests := []struct {
		name     string
		value    string
		wildcard bool
		want     string // "" means valid
	}{
		{name: "plain", value: "app.example.com"},
		{name: "hyphens and digits", value: "origin-us-east-1.app.example.com"},
		{name: "wildcard allowed", value: "*.app.example.com", wildcard: true},
		{name: "empty", value: "", want: "DomainName is required"},
		{name: "single label", value: "localhost", want: `DomainName "localhost" is not allowed: want a lowercase DNS name`},
		{name: "uppercase", value: "App.example.com", want: `label "App" must be 1-63 lowercase letters`},
		{name: "trailing dot", value: "app.example.com.", want: `label "" must be 1-63`},
		{name: "leading hyphen", value: "-app.example.com", want: `label "-app"`},
		{name: "label too long", value: long + ".example.com", want: "label \"" + long + "\""},
		{name: "too long", value: strings.Repeat("abcdefghi.", 26) + "com", want: "263 characters, want at most 253"},
		{name: "wildcard refused", value: "*.example.com", want: "wildcards are not allowed here"},
		{name: "wildcard not first", value: "a.*.example.com", wildcard: true, want: `label "*"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := ValidateDomainName("DomainName", tt.value, tt.wildcard)
			if tt.want == "" {
				assert.NoError(t, err)
				return
			}
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}

func TestZoneArgsDefaultsAndValidation(t *testing.T) {
	a, err := (&ZoneArgs{DomainName: "app.example.com"}).resolve()
	require.NoError(t, err)
	assert.Equal(t, "managed by scalestack", a.Comment)
	assert.False(t, a.AllowDelete, "zones are retained by default")
	assert.False(t, a.ForceDestroy)

	a, err = (&ZoneArgs{DomainName: "app.example.com", Comment: "mine"}).resolve()
	require.NoError(t, err)
	assert.Equal(t, "mine", a.Comment, "a given comment is kept")

	tests := []struct {
		name string
		args *ZoneArgs
		want string
	}{
		{name: "nil args", args: nil, want: "args are required"},
		{name: "no domain", args: &ZoneArgs{}, want: "DomainName is required"},
		{name: "bad domain", args: &ZoneArgs{DomainName: "Example.com"}, want: `DomainName "Example.com" is not allowed`},
		{name: "wildcard zone", args: &ZoneArgs{DomainName: "*.example.com"}, want: "wildcards are not allowed here"},
		{name: "force destroy without allow delete", args: &ZoneArgs{DomainName: "app.example.com", ForceDestroy: true},
			want: "ForceDestroy true is not allowed with AllowDelete false"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.args.resolve()
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}

func TestCertificateArgsValidation(t *testing.T) {
	zone := pulumi.String("Z123")
	tooMany := make([]string, MaxSubjectAlternativeNames+1)
	for i := range tooMany {
		tooMany[i] = string(rune('a'+i)) + ".example.com"
	}
	tests := []struct {
		name string
		args *CertificateArgs
		want string
	}{
		{name: "nil args", args: nil, want: "args are required"},
		{name: "no domain", args: &CertificateArgs{ZoneID: zone}, want: "DomainName is required"},
		{name: "bad domain", args: &CertificateArgs{DomainName: "app_example.com", ZoneID: zone}, want: `DomainName "app_example.com" is not allowed`},
		{name: "bad SAN", args: &CertificateArgs{DomainName: "app.example.com", SubjectAlternativeNames: []string{"ok.example.com", "Bad.example.com"}, ZoneID: zone},
			want: `SubjectAlternativeNames[1] "Bad.example.com" is not allowed`},
		{name: "SAN repeats domain", args: &CertificateArgs{DomainName: "app.example.com", SubjectAlternativeNames: []string{"app.example.com"}, ZoneID: zone},
			want: `SubjectAlternativeNames[0] "app.example.com" is not allowed: the name is already on the certificate`},
		{name: "SAN twice", args: &CertificateArgs{DomainName: "app.example.com", SubjectAlternativeNames: []string{"a.example.com", "a.example.com"}, ZoneID: zone},
			want: `SubjectAlternativeNames[1] "a.example.com" is not allowed`},
		{name: "too many SANs", args: &CertificateArgs{DomainName: "app.example.com", SubjectAlternativeNames: tooMany, ZoneID: zone},
			want: "SubjectAlternativeNames has 10 names, which is not allowed: want at most 9"},
		{name: "no zone", args: &CertificateArgs{DomainName: "app.example.com"}, want: "ZoneID is required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.args.resolve()
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}

func TestCertificateValidationKeysShareWildcardRecords(t *testing.T) {
	a := CertificateArgs{DomainName: "app.example.com", SubjectAlternativeNames: []string{
		"*.app.example.com", "origin-us-east-1.app.example.com", "*.api.example.com",
	}}
	assert.Equal(t, []string{"app.example.com", "origin-us-east-1.app.example.com", "api.example.com"}, a.validationKeys())
}

func TestAliasArgsValidation(t *testing.T) {
	target := AliasTarget{DNSName: pulumi.String("x.elb.amazonaws.com"), ZoneID: pulumi.String("Z35SXDOTRQ7X7K")}
	tests := []struct {
		name string
		args AliasArgs
		want string
	}{
		{name: "no zone", args: AliasArgs{RecordName: "app.example.com", Target: target}, want: "ZoneID is required"},
		{name: "no name", args: AliasArgs{ZoneID: pulumi.String("Z1"), Target: target}, want: "RecordName is required"},
		{name: "wildcard name", args: AliasArgs{ZoneID: pulumi.String("Z1"), RecordName: "*.example.com", Target: target}, want: `RecordName "*.example.com" is not allowed`},
		{name: "no target zone", args: AliasArgs{ZoneID: pulumi.String("Z1"), RecordName: "app.example.com", Target: AliasTarget{DNSName: target.DNSName}},
			want: "Target.DNSName and Target.ZoneID are required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.args.validate()
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
	assert.Equal(t, []string{"A"}, AliasArgs{}.recordTypes())
	assert.Equal(t, []string{"A", "AAAA"}, AliasArgs{IPv6: true}.recordTypes())
}
