package failover

import (
	"testing"

	"github.com/pulumi/pulumi-gcp/sdk/v7/go/gcp"
	"github.com/pulumi/pulumi-gcp/sdk/v7/go/gcp/compute"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scalestack/scalestack/testkit"
)

func TestResolve(t *testing.T) {
	addr := pulumi.String("34.1.2.3")
	r, err := (&Args{Project: "p", Address: addr}).resolve()
	require.NoError(t, err)
	assert.Equal(t, 300, r.TTLSeconds)
	assert.Equal(t, "/healthz", r.HealthCheckPath)
	assert.Equal(t, []string{"USA", "EUROPE", "ASIA_PACIFIC"}, r.CheckerRegions)
	assert.Equal(t, 60, r.PeriodSeconds)

	cases := []struct {
		args Args
		want string
	}{
		{Args{Address: addr}, "Project is required"},
		{Args{Project: "p"}, "Address is required"},
		{Args{Project: "p", Address: addr, Domain: "bad_domain"}, `Domain "bad_domain" is not a DNS name`},
		{Args{Project: "p", Address: addr, ManagedZone: "zone"}, `ManagedZone "zone" is set without a Domain`},
		{Args{Project: "p", Address: addr, Domain: "a.example.com", ManagedZone: "Zone"}, `ManagedZone "Zone" is not a managed zone name`},
		{Args{Project: "p", Address: addr, TTLSeconds: 5}, "TTLSeconds 5 is not allowed: want 30-86400"},
		{Args{Project: "p", Address: addr, HealthCheckPath: "h"}, `HealthCheckPath "h" is not allowed`},
		{Args{Project: "p", Address: addr, CheckerRegions: []string{"USA", "EUROPE"}}, "has 2 regions: want at least 3"},
		{Args{Project: "p", Address: addr, CheckerRegions: []string{"USA", "EUROPE", "MARS"}}, `CheckerRegions: "MARS" is not allowed`},
		{Args{Project: "p", Address: addr, PeriodSeconds: 30}, "PeriodSeconds 30 is not allowed: want 60, 300, 600 or 900"},
	}
	for _, c := range cases {
		_, err := c.args.resolve()
		require.Error(t, err, c.want)
		assert.Contains(t, err.Error(), c.want)
	}
}

func TestInvalidArgsRegisterNothing(t *testing.T) {
	plan, err := testkit.Run(func(ctx *pulumi.Context) error {
		_, err := New(ctx, "fo", &Args{Project: "p"})
		return err
	})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `failover "fo": Address is required`)
	assert.Nil(t, plan)
}

func program(args Args) func(*pulumi.Context) (pulumi.Map, error) {
	return func(ctx *pulumi.Context) (pulumi.Map, error) {
		p, err := gcp.NewProvider(ctx, "gcp-us-central1", &gcp.ProviderArgs{Region: pulumi.String("us-central1")})
		if err != nil {
			return nil, err
		}
		addr, err := compute.NewGlobalAddress(ctx, "lb", &compute.GlobalAddressArgs{}, pulumi.Provider(p))
		if err != nil {
			return nil, err
		}
		args.Address = addr.Address
		f, err := New(ctx, "fo", &args, pulumi.Provider(p))
		if err != nil {
			return nil, err
		}
		return pulumi.Map{"endpoint": f.Endpoint, "check": f.UptimeCheckID, "record": f.RecordName}, nil
	}
}

func TestRecordAndUptimeCheck(t *testing.T) {
	plan, err := testkit.RunExports(program(Args{Project: "my-project", Domain: "app.example.com", ManagedZone: "example-com"}))
	require.NoError(t, err)
	comp := plan.Find(typeToken, "fo")
	kids := plan.Children(comp.URN)
	assert.Len(t, kids, 2)
	for _, k := range kids {
		assert.Equal(t, comp.URN, k.Parent)
		assert.Equal(t, "us-central1", k.Region())
	}
	addr := plan.Find("gcp:compute/globalAddress:GlobalAddress", "lb")
	rec := plan.Find("gcp:dns/recordSet:RecordSet", "fo")
	assert.Equal(t, "app.example.com.", rec.InputString("name"))
	assert.Equal(t, "A", rec.InputString("type"))
	assert.Equal(t, "example-com", rec.InputString("managedZone"))
	assert.True(t, rec.InputFrom("rrdatas", addr), "the record points at the anycast address")
	assert.Equal(t, []any{addr.Output("address")}, rec.Input("rrdatas"))

	check := plan.Find("gcp:monitoring/uptimeCheckConfig:UptimeCheckConfig", "fo")
	assert.Equal(t, []any{"USA", "EUROPE", "ASIA_PACIFIC"}, check.Input("selectedRegions"), "probed from several continents")
	assert.Equal(t, true, check.Input("httpCheck.useSsl"))
	assert.Equal(t, true, check.Input("httpCheck.validateSsl"))
	assert.Equal(t, 443.0, check.Input("httpCheck.port"))
	assert.Equal(t, "app.example.com", check.InputString("monitoredResource.labels.host"))
	assert.Equal(t, "my-project", check.InputString("monitoredResource.labels.project_id"))
	assert.Equal(t, "https://app.example.com/healthz", plan.Outputs["endpoint"])
	assert.Equal(t, "app.example.com.", plan.Outputs["record"])
	assert.Equal(t, check.Output("uptimeCheckId"), plan.Outputs["check"])
}

func TestNoDomainProbesTheAddress(t *testing.T) {
	plan, err := testkit.RunExports(program(Args{Project: "my-project"}))
	require.NoError(t, err)
	assert.Empty(t, plan.ByType("gcp:dns/recordSet:RecordSet"))
	addr := plan.Find("gcp:compute/globalAddress:GlobalAddress", "lb")
	check := plan.Find("gcp:monitoring/uptimeCheckConfig:UptimeCheckConfig", "fo")
	assert.True(t, check.InputFrom("monitoredResource", addr))
	assert.Equal(t, false, check.Input("httpCheck.useSsl"))
	assert.Equal(t, "http://"+addr.Output("address").(string)+"/healthz", plan.Outputs["endpoint"])
	assert.Equal(t, "", plan.Outputs["record"])
}
