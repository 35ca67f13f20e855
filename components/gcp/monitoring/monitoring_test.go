package monitoring

import (
	"strings"
	"testing"

	"github.com/pulumi/pulumi-gcp/sdk/v7/go/gcp"
	"github.com/pulumi/pulumi-gcp/sdk/v7/go/gcp/compute"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scalestack/scalestack/testkit"
)

func TestResolve(t *testing.T) {
	r, err := (*Args)(nil).resolve()
	require.NoError(t, err)
	assert.Equal(t, 10, r.Error5xxPerMinute)
	assert.Equal(t, 1000, r.LatencyMs)
	assert.Equal(t, 80, r.DatabaseCPUPercent)
	assert.Equal(t, 85, r.DatabaseDiskPercent)
	assert.Equal(t, 60, r.ReplicaLagSeconds)

	n := pulumi.String("x")
	cases := []struct {
		args Args
		want string
	}{
		{Args{Email: "ops"}, `Email "ops" is not an email address`},
		{Args{PrimaryDatabase: n}, "Project is required to watch Cloud SQL instances"},
		{Args{Error5xxPerMinute: -1}, "Error5xxPerMinute -1 is not allowed"},
		{Args{LatencyMs: -1}, "LatencyMs -1 is not allowed"},
		{Args{DatabaseCPUPercent: 101}, "DatabaseCPUPercent 101 is not allowed: want 1-100"},
		{Args{DatabaseDiskPercent: 101}, "DatabaseDiskPercent 101 is not allowed: want 1-100"},
		{Args{ReplicaLagSeconds: -1}, "ReplicaLagSeconds -1 is not allowed"},
		{Args{Groups: []Group{{Key: "P", Name: n, MaxSize: 1}}}, `Groups[0].Key "P" is not allowed`},
		{Args{Groups: []Group{{Key: "p", Name: n, MaxSize: 1}, {Key: "p", Name: n, MaxSize: 1}}}, `Groups[1].Key "p" is used twice`},
		{Args{Groups: []Group{{Key: "p", MaxSize: 1}}}, "Groups[0].Name is required"},
		{Args{Groups: []Group{{Key: "p", Name: n}}}, "Groups[0].MaxSize 0 is not allowed"},
	}
	for _, c := range cases {
		_, err := c.args.resolve()
		require.Error(t, err, c.want)
		assert.Contains(t, err.Error(), c.want)
	}
}

func TestInvalidArgsRegisterNothing(t *testing.T) {
	plan, err := testkit.Run(func(ctx *pulumi.Context) error {
		_, err := New(ctx, "mon", &Args{Email: "nope"})
		return err
	})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `monitoring "mon": Email "nope"`)
	assert.Nil(t, plan)
}

func TestPoliciesNotifyTheChannel(t *testing.T) {
	plan, err := testkit.RunExports(func(ctx *pulumi.Context) (pulumi.Map, error) {
		p, err := gcp.NewProvider(ctx, "gcp-us-central1", &gcp.ProviderArgs{Region: pulumi.String("us-central1")})
		if err != nil {
			return nil, err
		}
		um, err := compute.NewURLMap(ctx, "lb", &compute.URLMapArgs{}, pulumi.Provider(p))
		if err != nil {
			return nil, err
		}
		m, err := New(ctx, "mon", &Args{
			Project: "my-project", Email: "ops@example.com",
			URLMapName: um.Name, BackendServiceName: pulumi.String("lb-backend"),
			UptimeCheckIDs:   []pulumi.StringInput{pulumi.String("check-1")},
			Groups:           []Group{{Key: "primary", Name: pulumi.String("web-a"), MaxSize: 6}, {Key: "secondary", Name: pulumi.String("web-b"), MaxSize: 2}},
			PrimaryDatabase:  pulumi.String("db-1"),
			ReplicaDatabases: []pulumi.StringInput{pulumi.String("db-r1"), pulumi.String("db-dr")},
		}, pulumi.Provider(p))
		if err != nil {
			return nil, err
		}
		return pulumi.Map{"policies": m.PolicyNames, "channel": m.ChannelName}, nil
	})
	require.NoError(t, err)
	comp := plan.Find(typeToken, "mon")
	kids := plan.Children(comp.URN)
	assert.Len(t, kids, 10, "channel + 9 policies")
	ch := plan.Find("gcp:monitoring/notificationChannel:NotificationChannel", "mon-email")
	assert.Equal(t, "ops@example.com", ch.InputString("labels.email_address"))
	policies := plan.ByType("gcp:monitoring/alertPolicy:AlertPolicy")
	require.Len(t, policies, 9)
	keys := []string{}
	for _, k := range kids {
		assert.Equal(t, comp.URN, k.Parent)
		assert.Equal(t, "us-central1", k.Region())
	}
	for _, p := range policies {
		keys = append(keys, strings.TrimPrefix(p.Name, "mon-"))
		assert.True(t, p.InputFrom("notificationChannels", ch), "%s notifies the channel", p.Name)
		assert.Equal(t, []any{ch.Output("name")}, p.Input("notificationChannels"))
	}
	assert.ElementsMatch(t, []string{"lb-5xx", "lb-latency", "backend-errors", "uptime", "at-max-primary", "at-max-secondary", "db-cpu", "db-disk", "db-replica-lag"}, keys)

	um := plan.Find("gcp:compute/uRLMap:URLMap", "lb")
	lb5xx := plan.Find("gcp:monitoring/alertPolicy:AlertPolicy", "mon-lb-5xx")
	assert.True(t, lb5xx.InputFrom("conditions", um), "the 5xx policy watches the load balancer")
	assert.Contains(t, lb5xx.InputString("conditions.0.conditionThreshold.filter"), `url_map_name = "`+um.Output("name").(string)+`"`)
	atMax := plan.Find("gcp:monitoring/alertPolicy:AlertPolicy", "mon-at-max-primary")
	assert.Equal(t, 5.5, atMax.Input("conditions.0.conditionThreshold.thresholdValue"))
	assert.Contains(t, atMax.InputString("conditions.0.conditionThreshold.filter"), `instance_group_name = "web-a"`)
	cpu := plan.Find("gcp:monitoring/alertPolicy:AlertPolicy", "mon-db-cpu")
	assert.Contains(t, cpu.InputString("conditions.0.conditionThreshold.filter"), `database_id = "my-project:db-1"`)
	assert.Equal(t, 0.8, cpu.Input("conditions.0.conditionThreshold.thresholdValue"))
	lag := plan.Find("gcp:monitoring/alertPolicy:AlertPolicy", "mon-db-replica-lag")
	assert.Len(t, lag.Input("conditions"), 2, "one condition per replica")
	up := plan.Find("gcp:monitoring/alertPolicy:AlertPolicy", "mon-uptime")
	assert.Contains(t, up.InputString("conditions.0.conditionThreshold.filter"), `check_id = "check-1"`)
	assert.Len(t, plan.Outputs["policies"], 9)
	assert.Equal(t, ch.Output("name"), plan.Outputs["channel"])
}

func TestNoEmailNoChannel(t *testing.T) {
	plan, err := testkit.Run(func(ctx *pulumi.Context) error {
		_, err := New(ctx, "mon", &Args{Groups: []Group{{Key: "primary", Name: pulumi.String("web"), MaxSize: 3}}})
		return err
	})
	require.NoError(t, err)
	assert.Empty(t, plan.ByType("gcp:monitoring/notificationChannel:NotificationChannel"))
	ps := plan.ByType("gcp:monitoring/alertPolicy:AlertPolicy")
	require.Len(t, ps, 1)
	assert.Nil(t, ps[0].Input("notificationChannels"))
}
