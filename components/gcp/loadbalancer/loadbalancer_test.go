package loadbalancer

import (
	"testing"

	"github.com/pulumi/pulumi-gcp/sdk/v7/go/gcp"
	"github.com/pulumi/pulumi-gcp/sdk/v7/go/gcp/compute"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scalestack/scalestack/testkit"
)

func TestResolveDefaults(t *testing.T) {
	r, err := (&Args{Backends: []Backend{{Key: "primary", Group: pulumi.String("g")}}}).resolve()
	require.NoError(t, err)
	assert.Equal(t, 8080, r.Port)
	assert.Equal(t, "/healthz", r.HealthCheckPath)
	assert.Equal(t, 2592000, r.StaticTTLSeconds)
	assert.Equal(t, "US", r.StaticAssetsLocation)
	assert.Equal(t, 100, r.LogSampleRatePercent)
	assert.Equal(t, 30, r.TimeoutSeconds)
	assert.Equal(t, 100, r.Backends[0].CapacityPercent)
	assert.False(t, r.CDN)
}

func TestResolveErrors(t *testing.T) {
	g := pulumi.String("g")
	one := []Backend{{Key: "primary", Group: g}}
	cases := []struct {
		args Args
		want string
	}{
		{Args{}, "Backends is empty: want at least one instance group"},
		{Args{Backends: []Backend{{Key: "Primary", Group: g}}}, `Backends[0].Key "Primary" is not allowed`},
		{Args{Backends: []Backend{{Key: "a", Group: g}, {Key: "a", Group: g}}}, `Backends[1].Key "a" is used twice`},
		{Args{Backends: []Backend{{Key: "a"}}}, "Backends[0].Group is required"},
		{Args{Backends: []Backend{{Key: "a", Group: g, CapacityPercent: 150}}}, "Backends[0].CapacityPercent 150 is not allowed: want 1-100"},
		{Args{Backends: one, Domains: []string{"not a domain"}}, `Domains[0] "not a domain" is not a DNS name`},
		{Args{Backends: one, Port: 70000}, "Port 70000 is not allowed"},
		{Args{Backends: one, HealthCheckPath: "x"}, `HealthCheckPath "x" is not allowed`},
		{Args{Backends: one, RequestsPerSecondPerInstance: -1}, "RequestsPerSecondPerInstance -1 is not allowed"},
		{Args{Backends: one, CDN: true, StaticTTLSeconds: -5}, "StaticTTLSeconds -5 is not allowed"},
		{Args{Backends: one, StaticAssets: true}, "StaticAssets is true but CDN is false"},
		{Args{Backends: one, LogSampleRatePercent: 101}, "LogSampleRatePercent 101 is not allowed: want 1-100"},
		{Args{Backends: one, TimeoutSeconds: -1}, "TimeoutSeconds -1 is not allowed"},
		{Args{Backends: one, RateLimitPerMinutePerIP: 10}, "RateLimitPerMinutePerIP 10 is not allowed: want 0 (no Cloud Armor policy) or 60-1000000"},
	}
	for _, c := range cases {
		_, err := c.args.resolve()
		require.Error(t, err, c.want)
		assert.Contains(t, err.Error(), c.want)
	}
}

func TestInvalidArgsRegisterNothing(t *testing.T) {
	plan, err := testkit.Run(func(ctx *pulumi.Context) error {
		_, err := New(ctx, "lb", &Args{})
		return err
	})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `load balancer "lb": Backends is empty`)
	assert.Nil(t, plan)
}

// program registers two regional groups and a load balancer over both.
func program(args Args) func(*pulumi.Context) (pulumi.Map, error) {
	return func(ctx *pulumi.Context) (pulumi.Map, error) {
		var groups []pulumi.StringInput
		var primary *gcp.Provider
		for _, region := range []string{"us-central1", "us-east1"} {
			p, err := gcp.NewProvider(ctx, "gcp-"+region, &gcp.ProviderArgs{Region: pulumi.String(region)})
			if err != nil {
				return nil, err
			}
			if primary == nil {
				primary = p
			}
			mig, err := compute.NewRegionInstanceGroupManager(ctx, "mig-"+region, &compute.RegionInstanceGroupManagerArgs{
				BaseInstanceName: pulumi.String("web"),
				Versions:         compute.RegionInstanceGroupManagerVersionArray{compute.RegionInstanceGroupManagerVersionArgs{InstanceTemplate: pulumi.String("t")}},
			}, pulumi.Provider(p))
			if err != nil {
				return nil, err
			}
			groups = append(groups, mig.InstanceGroup)
		}
		args.Backends = []Backend{{Key: "primary", Group: groups[0]}, {Key: "secondary", Group: groups[1], CapacityPercent: 50}}
		lb, err := New(ctx, "lb", &args, pulumi.Provider(primary))
		if err != nil {
			return nil, err
		}
		return pulumi.Map{"url": lb.URL, "address": lb.Address, "cdn": lb.CDNEnabled}, nil
	}
}

func TestHTTPSWithCDNAndStaticAssets(t *testing.T) {
	plan, err := testkit.RunExports(program(Args{
		Domains: []string{"app.example.com"}, CDN: true, StaticAssets: true, RequestsPerSecondPerInstance: 20,
		RateLimitPerMinutePerIP: 600,
	}))
	require.NoError(t, err)
	comp := plan.Find(typeToken, "lb")
	kids := plan.Children(comp.URN)
	assert.Len(t, kids, 15)
	for _, k := range kids {
		assert.Equal(t, comp.URN, k.Parent, k.Name)
		want := "us-central1"
		if k.Name == "lb-static" && k.Type == "gcp:storage/bucket:Bucket" {
			want = "us" // the bucket's own multi-region location
		}
		assert.Equal(t, want, k.Region(), "global resources use the primary provider: %s", k.Name)
	}
	assert.Equal(t, map[string]int{
		"gcp:compute/globalAddress:GlobalAddress": 1, "gcp:compute/healthCheck:HealthCheck": 1,
		"gcp:compute/backendService:BackendService": 1, "gcp:storage/bucket:Bucket": 1,
		"gcp:storage/bucketIAMMember:BucketIAMMember": 1, "gcp:compute/backendBucket:BackendBucket": 1,
		"gcp:compute/uRLMap:URLMap": 2, "gcp:compute/managedSslCertificate:ManagedSslCertificate": 1,
		"gcp:compute/sSLPolicy:SSLPolicy": 1, "gcp:compute/targetHttpsProxy:TargetHttpsProxy": 1,
		"gcp:compute/targetHttpProxy:TargetHttpProxy": 1, "gcp:compute/globalForwardingRule:GlobalForwardingRule": 2,
		"gcp:compute/securityPolicy:SecurityPolicy": 1,
	}, countKids(plan, comp.URN))

	armor := plan.Find("gcp:compute/securityPolicy:SecurityPolicy", "lb")
	assert.Equal(t, "throttle", armor.InputString("rules.0.action"))
	assert.Equal(t, 600.0, armor.Input("rules.0.rateLimitOptions.rateLimitThreshold.count"))
	assert.Equal(t, "deny(429)", armor.InputString("rules.0.rateLimitOptions.exceedAction"))
	assert.Equal(t, 2147483647.0, armor.Input("rules.1.priority"))

	bs := plan.Find("gcp:compute/backendService:BackendService", "lb")
	hc := plan.Find("gcp:compute/healthCheck:HealthCheck", "lb")
	for i, region := range []string{"us-central1", "us-east1"} {
		mig := plan.Find("gcp:compute/regionInstanceGroupManager:RegionInstanceGroupManager", "mig-"+region)
		assert.Equal(t, mig.Output("instanceGroup"), bs.Input("backends."+string(rune('0'+i))+".group"), "backend %d is the %s group", i, region)
		assert.True(t, bs.InputFrom("backends", mig))
	}
	assert.Contains(t, bs.InputString("backends.0.group"), "/regions/us-central1/instanceGroups/")
	assert.Equal(t, "RATE", bs.InputString("backends.0.balancingMode"))
	assert.Equal(t, 20.0, bs.Input("backends.0.maxRatePerInstance"))
	assert.Equal(t, 0.5, bs.Input("backends.1.capacityScaler"))
	assert.True(t, bs.InputFrom("healthChecks", hc))
	assert.True(t, bs.InputFrom("securityPolicy", armor), "Cloud Armor on the backend service")
	assert.Equal(t, true, bs.Input("enableCdn"), "CDN on the backend service")
	assert.Equal(t, "USE_ORIGIN_HEADERS", bs.InputString("cdnPolicy.cacheMode"))
	assert.Equal(t, true, bs.Input("logConfig.enable"))
	assert.Equal(t, "EXTERNAL_MANAGED", bs.InputString("loadBalancingScheme"))

	bucket := plan.Find("gcp:storage/bucket:Bucket", "lb-static")
	assert.Equal(t, true, bucket.Input("uniformBucketLevelAccess"))
	bb := plan.Find("gcp:compute/backendBucket:BackendBucket", "lb-static")
	assert.True(t, bb.InputFrom("bucketName", bucket))
	assert.Equal(t, true, bb.Input("enableCdn"))
	assert.Equal(t, "CACHE_ALL_STATIC", bb.InputString("cdnPolicy.cacheMode"))
	iam := plan.Find("gcp:storage/bucketIAMMember:BucketIAMMember", "lb-static-public-read")
	assert.Equal(t, "roles/storage.objectViewer", iam.InputString("role"), "read-only")

	um := plan.Find("gcp:compute/uRLMap:URLMap", "lb")
	assert.True(t, um.InputFrom("defaultService", bs))
	assert.True(t, um.InputFrom("pathMatchers", bb))
	assert.Equal(t, "/static/*", um.InputString("pathMatchers.0.pathRules.0.paths.0"))

	cert := plan.Find("gcp:compute/managedSslCertificate:ManagedSslCertificate", "lb")
	assert.Equal(t, []any{"app.example.com"}, cert.Input("managed.domains"))
	pol := plan.Find("gcp:compute/sSLPolicy:SSLPolicy", "lb")
	assert.Equal(t, "TLS_1_2", pol.InputString("minTlsVersion"))
	https := plan.Find("gcp:compute/targetHttpsProxy:TargetHttpsProxy", "lb")
	assert.True(t, https.InputFrom("sslCertificates", cert))
	assert.True(t, https.InputFrom("sslPolicy", pol))
	assert.True(t, https.InputFrom("urlMap", um))

	addr := plan.Find("gcp:compute/globalAddress:GlobalAddress", "lb")
	fr443 := plan.Find("gcp:compute/globalForwardingRule:GlobalForwardingRule", "lb-https")
	assert.Equal(t, "443", fr443.InputString("portRange"))
	assert.True(t, fr443.InputFrom("ipAddress", addr))
	assert.True(t, fr443.InputFrom("target", https))
	redirect := plan.Find("gcp:compute/uRLMap:URLMap", "lb-redirect")
	assert.Equal(t, true, redirect.Input("defaultUrlRedirect.httpsRedirect"))
	httpProxy := plan.Find("gcp:compute/targetHttpProxy:TargetHttpProxy", "lb-http")
	assert.True(t, httpProxy.InputFrom("urlMap", redirect), "port 80 only redirects")
	assert.False(t, httpProxy.InputFrom("urlMap", um))

	assert.Equal(t, "https://app.example.com/", plan.Outputs["url"])
	assert.Regexp(t, `^34\.\d+\.\d+\.\d+$`, plan.Outputs["address"])
	assert.Equal(t, true, plan.Outputs["cdn"])
}

func TestHTTPOnlyWithoutDomains(t *testing.T) {
	plan, err := testkit.RunExports(program(Args{}))
	require.NoError(t, err)
	assert.Empty(t, plan.ByType("gcp:compute/managedSslCertificate:ManagedSslCertificate"))
	assert.Empty(t, plan.ByType("gcp:compute/targetHttpsProxy:TargetHttpsProxy"))
	assert.Empty(t, plan.ByType("gcp:storage/bucket:Bucket"))
	httpProxy := plan.Find("gcp:compute/targetHttpProxy:TargetHttpProxy", "lb-http")
	assert.True(t, httpProxy.InputFrom("urlMap", plan.Find("gcp:compute/uRLMap:URLMap", "lb")))
	bs := plan.Find("gcp:compute/backendService:BackendService", "lb")
	assert.Equal(t, false, bs.Input("enableCdn"))
	assert.Nil(t, bs.Input("cdnPolicy"))
	assert.Nil(t, bs.Input("securityPolicy"))
	assert.Empty(t, plan.ByType("gcp:compute/securityPolicy:SecurityPolicy"))
	assert.Equal(t, "UTILIZATION", bs.InputString("backends.0.balancingMode"))
	assert.Equal(t, "http://"+plan.Outputs["address"].(string)+"/", plan.Outputs["url"])
}

func countKids(plan *testkit.Plan, urn string) map[string]int {
	out := map[string]int{}
	for _, k := range plan.Children(urn) {
		out[k.Type]++
	}
	return out
}

// TestCloudCDNPagesHonourOriginCacheControl: full-page caching follows the origin's
// Cache-Control (cacheMode USE_ORIGIN_HEADERS), and the API refuses defaultTtl, clientTtl and
// maxTtl in that mode ("default_ttl cannot be specified with USE_ORIGIN_HEADERS cache_mode",
// hashicorp/terraform-provider-google#18860, GoogleCloudPlatform/magic-modules#8910); the
// static path is cached long (CACHE_ALL_STATIC, 30 days by default, up to Cloud CDN's
// one-year maximum: https://cloud.google.com/cdn/docs/using-ttl-overrides).
func TestCloudCDNPagesHonourOriginCacheControl(t *testing.T) {
	plan, err := testkit.Run(func(ctx *pulumi.Context) error {
		_, err := New(ctx, "lb", &Args{
			Backends: []Backend{{Key: "primary", Group: pulumi.String("projects/p/regions/us-central1/instanceGroups/g")}},
			CDN:      true, StaticAssets: true,
		})
		return err
	})
	require.NoError(t, err)
	bs := plan.Find("gcp:compute/backendService:BackendService", "lb")
	assert.Equal(t, "USE_ORIGIN_HEADERS", bs.InputString("cdnPolicy.cacheMode"))
	for _, ttl := range []string{"defaultTtl", "clientTtl", "maxTtl"} {
		assert.Nil(t, bs.Input("cdnPolicy."+ttl), "%s is refused with USE_ORIGIN_HEADERS", ttl)
	}
	bb := plan.Find("gcp:compute/backendBucket:BackendBucket", "lb-static")
	assert.Equal(t, "CACHE_ALL_STATIC", bb.InputString("cdnPolicy.cacheMode"))
	assert.Equal(t, 2592000.0, bb.Input("cdnPolicy.defaultTtl"))
	assert.Equal(t, 31536000.0, bb.Input("cdnPolicy.maxTtl"))
}
