package failover_test

import (
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lb"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scalestack/scalestack/components/aws/dns"
	"github.com/scalestack/scalestack/components/aws/failover"
	"github.com/scalestack/scalestack/testkit"
)

const (
	hcType     = "aws:route53/healthCheck:HealthCheck"
	recordType = "aws:route53/record:Record"
	albType    = "aws:lb/loadBalancer:LoadBalancer"
)

// twoRegions places an ALB in each region and fails app.example.com over between them.
func twoRegions(edit func(*failover.Args)) func(*pulumi.Context) (pulumi.Map, error) {
	return func(ctx *pulumi.Context) (pulumi.Map, error) {
		primary, err := aws.NewProvider(ctx, "aws-us-east-1", &aws.ProviderArgs{Region: pulumi.String("us-east-1")})
		if err != nil {
			return nil, err
		}
		secondary, err := aws.NewProvider(ctx, "aws-us-west-2", &aws.ProviderArgs{Region: pulumi.String("us-west-2")})
		if err != nil {
			return nil, err
		}
		zone, err := dns.NewZone(ctx, "app", &dns.ZoneArgs{DomainName: "app.example.com"}, pulumi.Provider(primary))
		if err != nil {
			return nil, err
		}
		albP, err := lb.NewLoadBalancer(ctx, "web-primary", &lb.LoadBalancerArgs{}, pulumi.Provider(primary))
		if err != nil {
			return nil, err
		}
		albS, err := lb.NewLoadBalancer(ctx, "web-secondary", &lb.LoadBalancerArgs{}, pulumi.Provider(secondary))
		if err != nil {
			return nil, err
		}
		args := &failover.Args{
			ZoneID:     zone.ZoneID,
			RecordName: "app.example.com",
			Primary: failover.Endpoint{
				DNSName: albP.DnsName, ZoneID: albP.ZoneId,
				HealthCheckFQDN: pulumi.String("origin-us-east-1.app.example.com"),
			},
			Secondary: failover.Endpoint{DNSName: albS.DnsName, ZoneID: albS.ZoneId},
		}
		if edit != nil {
			edit(args)
		}
		f, err := failover.New(ctx, "app", args, pulumi.Provider(primary))
		if err != nil {
			return nil, err
		}
		return pulumi.Map{
			"primaryHC":   f.PrimaryHealthCheckID,
			"secondaryHC": f.SecondaryHealthCheckID,
			"fqdn":        f.RecordFQDN,
		}, nil
	}
}

func TestHealthChecksAndFailoverRecords(t *testing.T) {
	plan, err := testkit.RunExports(twoRegions(nil))
	require.NoError(t, err)

	comp := plan.Find(failover.Type, "app")
	require.NotNil(t, comp)
	kids := plan.Children(comp.URN)
	counts := map[string]int{}
	for _, k := range kids {
		counts[k.Type]++
		assert.Equal(t, "aws-us-east-1", k.ProviderResource().Name, "%s inherits the component's provider", k.Name)
	}
	assert.Equal(t, map[string]int{hcType: 2, recordType: 2}, counts)
	assert.Len(t, plan.Descendants(comp.URN), 4)

	zone := plan.Find("aws:route53/zone:Zone", "app")
	albs := map[string]*testkit.Resource{"primary": plan.Find(albType, "web-primary"), "secondary": plan.Find(albType, "web-secondary")}
	fqdns := map[string]any{"primary": "origin-us-east-1.app.example.com", "secondary": albs["secondary"].Output("dnsName")}
	hcs := map[string]*testkit.Resource{}
	for role, policy := range map[string]string{"primary": "PRIMARY", "secondary": "SECONDARY"} {
		hc := plan.Find(hcType, "app-"+role)
		require.NotNil(t, hc, role)
		hcs[role] = hc
		assert.Equal(t, comp.URN, hc.Parent)
		assert.Equal(t, "HTTPS", hc.Input("type"))
		assert.Equal(t, fqdns[role], hc.Input("fqdn"), "%s health check probes its own endpoint", role)
		assert.Equal(t, float64(443), hc.Input("port"))
		assert.Equal(t, "/healthz", hc.Input("resourcePath"))
		assert.Equal(t, true, hc.Input("enableSni"))
		assert.Equal(t, float64(30), hc.Input("requestInterval"))
		assert.Equal(t, float64(3), hc.Input("failureThreshold"))
		assert.Equal(t, true, hc.Input("measureLatency"))
		assert.Nil(t, hc.Input("regions"), "Route 53's default checker regions")
		assert.Equal(t, "app-"+role, hc.Input("tags.Name"))

		rec := plan.Find(recordType, "app-"+role+"-a")
		require.NotNil(t, rec, role)
		assert.Equal(t, comp.URN, rec.Parent)
		assert.Equal(t, "A", rec.Input("type"))
		assert.Equal(t, "app.example.com", rec.Input("name"))
		assert.True(t, rec.InputFrom("zoneId", zone))
		assert.Equal(t, role, rec.Input("setIdentifier"))
		assert.Equal(t, []any{map[string]any{"type": policy}}, rec.Input("failoverRoutingPolicies"))
		assert.True(t, rec.InputFrom("healthCheckId", hc), "%s record uses its own health check", role)
		assert.Equal(t, hc.ID, rec.Input("healthCheckId"))
		assert.True(t, rec.InputFrom("aliases", albs[role]), "%s record aliases its own region's ALB", role)
		assert.Equal(t, albs[role].Output("dnsName"), rec.Input("aliases.0.name"))
		assert.Equal(t, albs[role].Output("zoneId"), rec.Input("aliases.0.zoneId"))
		assert.Equal(t, true, rec.Input("aliases.0.evaluateTargetHealth"))
	}
	assert.NotEqual(t, hcs["primary"].ID, hcs["secondary"].ID)
	assert.Contains(t, albs["secondary"].Output("dnsName"), ".us-west-2.elb.amazonaws.com")
	assert.Equal(t, hcs["primary"].ID, plan.Outputs["primaryHC"])
	assert.Equal(t, hcs["secondary"].ID, plan.Outputs["secondaryHC"])
	assert.Equal(t, "app.example.com", plan.Outputs["fqdn"])
}

func TestIPv6AndCustomChecks(t *testing.T) {
	plan, err := testkit.Run(func(ctx *pulumi.Context) error {
		_, err := twoRegions(func(a *failover.Args) {
			a.IPv6 = true
			a.Path, a.Port, a.RequestIntervalSeconds, a.FailureThreshold = "/ready", 8443, 10, 2
			a.Regions = []string{"us-east-1", "us-west-2", "eu-west-1"}
		})(ctx)
		return err
	})
	require.NoError(t, err)
	comp := plan.Find(failover.Type, "app")
	require.NotNil(t, comp)
	assert.Len(t, plan.Children(comp.URN), 6)
	for _, role := range []string{"primary", "secondary"} {
		hc := plan.Find(hcType, "app-"+role)
		require.NotNil(t, hc)
		assert.Equal(t, "/ready", hc.Input("resourcePath"))
		assert.Equal(t, float64(8443), hc.Input("port"))
		assert.Equal(t, float64(10), hc.Input("requestInterval"))
		assert.Equal(t, float64(2), hc.Input("failureThreshold"))
		assert.Equal(t, []any{"us-east-1", "us-west-2", "eu-west-1"}, hc.Input("regions"))
		aaaa := plan.Find(recordType, "app-"+role+"-aaaa")
		require.NotNil(t, aaaa, role)
		assert.Equal(t, "AAAA", aaaa.Input("type"))
		assert.True(t, aaaa.InputFrom("healthCheckId", hc))
		assert.Equal(t, role, aaaa.Input("setIdentifier"))
	}
}

func TestIPv6KeepsEveryURN(t *testing.T) {
	before, err := testkit.RunExports(twoRegions(nil))
	require.NoError(t, err)
	after, err := testkit.RunExports(twoRegions(func(a *failover.Args) { a.IPv6 = true }))
	require.NoError(t, err)
	assert.Empty(t, testkit.MissingURNs(before, after))
}

func TestInvalidArgsRegisterNothing(t *testing.T) {
	var registered []string
	plan, err := testkit.Run(func(ctx *pulumi.Context) error {
		_, err := failover.New(ctx, "app", &failover.Args{
			ZoneID: pulumi.String("Z1"), RecordName: "app.example.com",
			Primary:          failover.Endpoint{DNSName: pulumi.String("a"), ZoneID: pulumi.String("Z")},
			Secondary:        failover.Endpoint{DNSName: pulumi.String("b"), ZoneID: pulumi.String("Z")},
			FailureThreshold: 0, RequestIntervalSeconds: 60,
		})
		return err
	}, testkit.OnNewResource(func(r *testkit.Resource) error { registered = append(registered, r.URN); return nil }))
	require.Error(t, err)
	assert.Nil(t, plan)
	assert.Contains(t, err.Error(), `failover "app": RequestIntervalSeconds 60 is not allowed: want 10 or 30`)
	assert.Empty(t, registered)
}
