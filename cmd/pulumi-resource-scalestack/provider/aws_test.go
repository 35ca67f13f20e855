package provider_test

import (
	"fmt"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scalestack/scalestack/components/aws/backend"
	"github.com/scalestack/scalestack/testkit"
)

// awsPair is the same two-region backend in both worlds: Go Args, and the package inputs a
// TypeScript, Python or YAML program sends.
func awsGoArgs(east, west pulumi.ProviderResource) *backend.Args {
	return &backend.Args{
		Primary:    backend.Region{Provider: east, Name: "us-east-1"},
		Secondary:  &backend.Region{Provider: west, Name: "us-west-2"},
		Edge:       east,
		Domain:     "shop.example.org",
		CDN:        true,
		AlertEmail: "ops@example.org",
		Web:        backend.Web{MinSize: 2, MaxSize: 8, DesiredSize: 3},
		Database:   backend.Database{ReadReplicas: 1, CrossRegionReplica: true, HighAvailability: true},
		Backup:     &backend.Backup{RetentionDays: 35, WeeklyRetentionDays: 90, CopyToSecondary: true},
		// The cache, queue and worker tiers, CDN page caching and the dashboard (issue 13).
		CDNPageCaching: true,
		DashboardName:  "shop-oncall",
		Cache:          &backend.Cache{Replicas: 2, MemoryGB: 3, EvictionPolicy: "allkeys-lru"},
		Queue: &backend.Queue{MaxReceiveCount: 3, RetentionDays: 7, VisibilityTimeoutSeconds: 300,
			Workers: backend.Workers{MinSize: 2, MaxSize: 5, BacklogPerWorker: 50}},
	}
}

func awsInputs(east, west resource.PropertyValue) resource.PropertyMap {
	m := resource.NewPropertyMapFromMap(map[string]any{
		"primary":        map[string]any{"name": "us-east-1"},
		"secondary":      map[string]any{"name": "us-west-2"},
		"domain":         "shop.example.org",
		"cdn":            true,
		"alertEmail":     "ops@example.org",
		"web":            map[string]any{"minSize": 2, "maxSize": 8, "desiredSize": 3},
		"database":       map[string]any{"readReplicas": 1, "crossRegionReplica": true, "highAvailability": true},
		"backup":         map[string]any{"retentionDays": 35, "weeklyRetentionDays": 90, "copyToSecondary": true},
		"cdnPageCaching": true,
		"dashboardName":  "shop-oncall",
		"cache":          map[string]any{"replicas": 2, "memoryGb": 3, "evictionPolicy": "allkeys-lru"},
		"queue": map[string]any{"maxReceiveCount": 3, "retentionDays": 7, "visibilityTimeoutSeconds": 300,
			"workers": map[string]any{"minSize": 2, "maxSize": 5, "backlogPerWorker": 50}},
	})
	m["edge"] = east
	m["secondary"].ObjectValue()["provider"] = west
	return m
}

// awsGoPlan runs the Go API's backend.New with providers named as the harness names them.
func awsGoPlan(t *testing.T, mutate func(*backend.Args)) (*testkit.Plan, error) {
	return goPlan(t, func(ctx *pulumi.Context) error {
		east, err := aws.NewProvider(ctx, "east", &aws.ProviderArgs{Region: pulumi.String("us-east-1")})
		if err != nil {
			return err
		}
		west, err := aws.NewProvider(ctx, "west", &aws.ProviderArgs{Region: pulumi.String("us-west-2")})
		if err != nil {
			return err
		}
		a := awsGoArgs(east, west)
		if mutate != nil {
			mutate(a)
		}
		_, err = backend.New(ctx, "shop", a)
		return err
	})
}

// awsHarness registers the caller's two regional providers.
func awsHarness(t *testing.T) (h *harness, east, west p.ProviderReference, eastRef, westRef resource.PropertyValue) {
	h = newHarness(t)
	east, eastRef = h.cloudProvider("aws", "east", map[string]any{"region": "us-east-1"})
	west, westRef = h.cloudProvider("aws", "west", map[string]any{"region": "us-west-2"})
	return h, east, west, eastRef, westRef
}

// TestAWSBackendBuildsWhatTheGoAPIBuilds: the package has no copy of the component's logic,
// so a construct with the package inputs registers exactly the Go API's resources (URNs,
// parents, explicit providers, inputs).
func TestAWSBackendBuildsWhatTheGoAPIBuilds(t *testing.T) {
	want, err := awsGoPlan(t, nil)
	require.NoError(t, err)

	h, east, _, eastRef, westRef := awsHarness(t)
	resp, err := h.construct(backend.TypeToken, "shop", awsInputs(eastRef, westRef), map[string]p.ProviderReference{"aws": east}, "")
	require.NoError(t, err)
	got := h.plan()

	assert.Greater(t, len(got.Resources), 100, "a whole region pair")
	assertSamePlan(t, want, got)
	root := got.Find(backend.TypeToken, "shop")
	require.NotNil(t, root)
	testkit.AssertPlaced(t, got, got.Find("scalestack:aws:Network", "shop-secondary-network"), "us-west-2")
	testkit.AssertPlaced(t, got, got.Find("scalestack:aws:Network", "shop-primary-network"), "us-east-1")
	assert.Equal(t, root.URN, string(resp.Urn))
	// The tiers the package inputs turned on are in the plan, with the values given.
	rg := got.Find("aws:elasticache/replicationGroup:ReplicationGroup", "shop-cache")
	require.NotNil(t, rg, "cache: the replication group")
	assert.EqualValues(t, 3, rg.Input("numCacheClusters"), "cache.replicas 2: a primary and 2 replicas")
	q := got.Find("aws:sqs/queue:Queue", "shop-queue")
	require.NotNil(t, q, "queue: the work queue")
	assert.EqualValues(t, 300, q.Input("visibilityTimeoutSeconds"))
	assert.Contains(t, fmt.Sprint(q.Input("redrivePolicy")), `"maxReceiveCount":3`)
	asg := got.Find("aws:autoscaling/group:Group", "shop-worker")
	require.NotNil(t, asg, "queue.workers: the worker group")
	assert.EqualValues(t, 5, asg.Input("maxSize"))
	dash := got.Find("aws:cloudwatch/dashboard:Dashboard", "shop-dashboard")
	require.NotNil(t, dash, "the dashboard")
	assert.Equal(t, "shop-oncall", dash.Input("dashboardName"))
}

// TestAWSPrimaryProviderComesFromTheProvidersOption: a caller places a component with the
// `providers` resource option (Pulumi's way for every component); the primary region uses
// it when primary.provider is not set, so every primary child is on the caller's provider.
func TestAWSPrimaryProviderComesFromTheProvidersOption(t *testing.T) {
	h, east, _, eastRef, westRef := awsHarness(t)
	_, err := h.construct(backend.TypeToken, "shop", awsInputs(eastRef, westRef), map[string]p.ProviderReference{"aws": east}, "")
	require.NoError(t, err)
	plan := h.plan()
	lb := plan.Find("aws:lb/loadBalancer:LoadBalancer", "shop-primary-lb")
	require.NotNil(t, lb)
	assert.Equal(t, string(east.Urn), lb.Provider)
	assert.Equal(t, "us-east-1", lb.Region())
	sec := plan.Find("aws:lb/loadBalancer:LoadBalancer", "shop-secondary-lb")
	require.NotNil(t, sec)
	assert.Equal(t, "us-west-2", sec.Region(), "the secondary region is placed by secondary.provider")
}

// TestAWSExplicitPrimaryProviderWinsOverTheProvidersOption: primary.provider, when given, is
// the one used (a caller may set a different default aws provider on the component).
func TestAWSExplicitPrimaryProviderWinsOverTheProvidersOption(t *testing.T) {
	h, east, west, eastRef, westRef := awsHarness(t)
	_, eu := h.cloudProvider("aws", "eu", map[string]any{"region": "eu-west-1"})
	in := awsInputs(eastRef, westRef)
	in["primary"] = resource.NewObjectProperty(resource.PropertyMap{"name": resource.NewProperty("eu-west-1"), "provider": eu})
	_, err := h.construct(backend.TypeToken, "shop", in, map[string]p.ProviderReference{"aws": west}, "")
	require.NoError(t, err)
	lb := h.plan().Find("aws:lb/loadBalancer:LoadBalancer", "shop-primary-lb")
	require.NotNil(t, lb)
	assert.Equal(t, "eu-west-1", lb.Region())
	_ = east
}

// TestAWSValidationErrorsReachTheCallerInGoWords: validation stays in backend.New, so the
// caller sees the Go message (field, value, what is allowed), and nothing is registered.
func TestAWSValidationErrorsReachTheCallerInGoWords(t *testing.T) {
	_, goErr := awsGoPlan(t, func(a *backend.Args) { a.Primary.Name = "mars-1"; a.Database.ReadReplicas = 9 })
	require.Error(t, goErr)

	h, east, _, eastRef, westRef := awsHarness(t)
	in := awsInputs(eastRef, westRef)
	in["primary"].ObjectValue()["name"] = resource.NewProperty("mars-1")
	in["database"].ObjectValue()["readReplicas"] = resource.NewProperty(9.0)
	_, err := h.construct(backend.TypeToken, "shop", in, map[string]p.ProviderReference{"aws": east}, "")
	require.Error(t, err)
	assert.Contains(t, err.Error(), `Primary.Name "mars-1" is not an AWS region (like us-east-1)`)
	assert.Contains(t, goErr.Error(), `Primary.Name "mars-1" is not an AWS region (like us-east-1)`)
	for _, r := range h.plan().Resources {
		assert.True(t, r.IsProvider(), "nothing but the caller's providers is registered: %s", r.URN)
	}
}

// TestAWSWithoutAnyProviderSaysWhatToPass: no primary.provider and no aws provider in the
// providers option is the Go error naming the field.
func TestAWSWithoutAnyProviderSaysWhatToPass(t *testing.T) {
	h, _, _, eastRef, westRef := awsHarness(t)
	_, err := h.construct(backend.TypeToken, "shop", awsInputs(eastRef, westRef), nil, "")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "Primary.Provider is required: pass the primary region's explicit AWS provider")
}

// TestAWSOutputsReachTheCaller: the construct returns the component's outputs.
func TestAWSOutputsReachTheCaller(t *testing.T) {
	h, east, _, eastRef, westRef := awsHarness(t)
	resp, err := h.construct(backend.TypeToken, "shop", awsInputs(eastRef, westRef), map[string]p.ProviderReference{"aws": east}, "")
	require.NoError(t, err)
	out := state(resp)
	assert.Equal(t, "https://shop.example.org", out["url"])
	assert.NotEmpty(t, out["cdnDomainName"])
	assert.Contains(t, out["loadBalancerDnsNames"], "secondary")
	assert.NotEmpty(t, out["databaseEndpoint"])
	assert.NotEmpty(t, out["crossRegionReplicaEndpoint"])
	assert.Len(t, out["readReplicaEndpoints"], 1)
	assert.NotNil(t, out["notes"])
	// The tiers' outputs (issue 13).
	assert.Contains(t, out["dashboardUrl"], "#dashboards:name=shop-oncall")
	assert.NotEmpty(t, out["queueUrl"])
	assert.NotEmpty(t, out["cacheEndpoint"])
	assert.NotEmpty(t, out["cdnDistributionId"])
}

// TestAWSTierValuesAreRefusedInGoWords: an invalid cache, queue or dashboard value fails in
// backend.New's validation, so the caller reads the Go message and nothing is registered.
func TestAWSTierValuesAreRefusedInGoWords(t *testing.T) {
	cases := []struct {
		name   string
		goArgs func(*backend.Args)
		inputs func(resource.PropertyMap)
		want   string
	}{
		{"cache.replicas", func(a *backend.Args) { a.Cache.Replicas = 9 },
			func(in resource.PropertyMap) { in["cache"].ObjectValue()["replicas"] = resource.NewProperty(9.0) },
			"Cache.Replicas 9 is not allowed: want 0-5"},
		{"cache.memoryGb", func(a *backend.Args) { a.Cache.MemoryGB = 5000 },
			func(in resource.PropertyMap) { in["cache"].ObjectValue()["memoryGb"] = resource.NewProperty(5000.0) },
			"Cache.MemoryGB: "},
		{"dashboardName", func(a *backend.Args) { a.DashboardName = "on call" },
			func(in resource.PropertyMap) { in["dashboardName"] = resource.NewProperty("on call") },
			`DashboardName "on call" is not allowed: want 1-255 letters, digits, - and _`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, goErr := awsGoPlan(t, c.goArgs)
			require.Error(t, goErr)
			assert.Contains(t, goErr.Error(), c.want)

			h, east, _, eastRef, westRef := awsHarness(t)
			in := awsInputs(eastRef, westRef)
			c.inputs(in)
			_, err := h.construct(backend.TypeToken, "shop", in, map[string]p.ProviderReference{"aws": east}, "")
			require.Error(t, err)
			assert.Contains(t, err.Error(), c.want)
			for _, r := range h.plan().Resources {
				assert.True(t, r.IsProvider(), "nothing but the caller's providers is registered: %s", r.URN)
			}
		})
	}
}

// TestAWSSecretsStaySecretAcrossTheBoundary: a secret input (zoneId) stays a secret on every
// child that receives it, as it does in Go.
func TestAWSSecretsStaySecretAcrossTheBoundary(t *testing.T) {
	h, east, _, eastRef, westRef := awsHarness(t)
	in := awsInputs(eastRef, westRef)
	in["zoneId"] = resource.MakeSecret(resource.NewProperty("Z0123456789ABC"))
	_, err := h.construct(backend.TypeToken, "shop", in, map[string]p.ProviderReference{"aws": east}, "")
	require.NoError(t, err)
	plan := h.plan()
	records := plan.ByType("aws:route53/record:Record")
	require.NotEmpty(t, records)
	for _, r := range records {
		assert.True(t, r.IsSecret("zoneId"), "%s zoneId is secret", r.Name)
		assert.Equal(t, "Z0123456789ABC", r.Inputs["zoneId"].SecretValue().Element.StringValue())
	}
	assert.Nil(t, plan.Find("aws:route53/zone:Zone", "shop-zone"), "the given zone is used")
}

// TestAWSParentOptionIsHonoured: a component created under a parent in the calling program
// has that parent, and its children's URNs carry it.
func TestAWSParentOptionIsHonoured(t *testing.T) {
	h, east, _, eastRef, westRef := awsHarness(t)
	parentRef, err := h.mon.Register("acme:index:Platform", "platform", false, nil)
	require.NoError(t, err)
	parent := resource.URN(parentRef[:len(parentRef)-len("::")])
	_, err = h.construct(backend.TypeToken, "shop", awsInputs(eastRef, westRef), map[string]p.ProviderReference{"aws": east}, parent)
	require.NoError(t, err)
	root := h.plan().Find(backend.TypeToken, "shop")
	require.NotNil(t, root)
	assert.Equal(t, string(parent), root.Parent)
	assert.Contains(t, root.URN, "acme:index:Platform$scalestack:aws:Backend::shop")
}

// TestAWSRefusesAProviderOfAnotherCloud: a provider input of another package would place
// children on the wrong cloud; the schema types it as an aws provider and the construct
// refuses anything else, naming the input.
func TestAWSRefusesAProviderOfAnotherCloud(t *testing.T) {
	h, east, _, eastRef, _ := awsHarness(t)
	_, gcpRef := h.cloudProvider("gcp", "central", map[string]any{"project": "p", "region": "us-central1"})
	_, err := h.construct(backend.TypeToken, "shop", awsInputs(eastRef, gcpRef), map[string]p.ProviderReference{"aws": east}, "")
	require.Error(t, err)
	assert.Contains(t, err.Error(), `copying input "secondary"`)
	assert.Contains(t, err.Error(), `expected a aws.Provider, got a resource of type *gcp.Provider`)
}
