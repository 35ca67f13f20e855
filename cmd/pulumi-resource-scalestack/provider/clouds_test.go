package provider_test

import (
	"encoding/json"
	"fmt"
	"testing"

	azure "github.com/pulumi/pulumi-azure-native-sdk/v2"
	"github.com/pulumi/pulumi-gcp/sdk/v7/go/gcp"
	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scalestack/scalestack/cmd/pulumi-resource-scalestack/provider"
	azbackend "github.com/scalestack/scalestack/components/azure/backend"
	gcpbackend "github.com/scalestack/scalestack/components/gcp/backend"
)

const (
	azureToken = "scalestack:azure:Backend"
	gcpToken   = "scalestack:gcp:Backend"
	adminID    = "11111111-2222-3333-4444-555555555555"
	// sshKey is given so both runs have the same instances (without one, the web tier makes a
	// throwaway key per run).
	sshKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBvg2MyKtF9F17zM7T5wVl2JN9KNex7noeZBgWr5S0Tp"
)

func azureGoArgs() *azbackend.Args {
	return &azbackend.Args{
		PrimaryLocation: "eastus2", SecondaryLocation: "centralus",
		Web:      azbackend.Web{MinSize: 2, MaxSize: 6, SSHPublicKey: sshKey},
		Gateway:  azbackend.Gateway{Kind: "standard"},
		Database: azbackend.Database{AdminLogin: "sql-admins", AdminObjectID: adminID, GeoSecondary: true, ReadReplicas: 1},
		CDN:      azbackend.CDN{Enabled: true, Kind: "frontdoor"},
		Backup:   azbackend.Backup{RetentionDays: 35, CopyToSecondary: true},
		Domain:   "app.example.com", AlertEmail: "ops@example.com",
		// The queue and worker tier (issue 13); Azure has no cache input (see
		// TestAzureBackendHasNoCacheInput).
		Queue: azbackend.Queue{Enabled: true, MaxDequeueCount: 3, RetentionDays: 2, VisibilityTimeoutSeconds: 300,
			WorkersMinSize: 2, WorkersMaxSize: 4, BacklogPerWorker: 50, SubscriptionID: adminID},
	}
}

func azureInputs(secondary resource.PropertyValue) resource.PropertyMap {
	m := resource.NewPropertyMapFromMap(map[string]any{
		"primaryLocation": "eastus2", "secondaryLocation": "centralus",
		"web":      map[string]any{"minSize": 2, "maxSize": 6, "sshPublicKey": sshKey},
		"gateway":  map[string]any{"kind": "standard"},
		"database": map[string]any{"adminLogin": "sql-admins", "adminObjectId": adminID, "geoSecondary": true, "readReplicas": 1},
		"cdn":      map[string]any{"enabled": true, "kind": "frontdoor"},
		"backup":   map[string]any{"retentionDays": 35, "copyToSecondary": true},
		"domain":   "app.example.com", "alertEmail": "ops@example.com",
		"queue": map[string]any{"enabled": true, "maxDequeueCount": 3, "retentionDays": 2, "visibilityTimeoutSeconds": 300,
			"workersMinSize": 2, "workersMaxSize": 4, "backlogPerWorker": 50, "subscriptionId": adminID},
	})
	m["secondaryProvider"] = secondary
	return m
}

// TestAzureBackendBuildsWhatTheGoAPIBuilds: the primary location comes from the providers
// option (inherited, as in Go), the secondary from secondaryProvider.
func TestAzureBackendBuildsWhatTheGoAPIBuilds(t *testing.T) {
	want, err := goPlan(t, func(ctx *pulumi.Context) error {
		east, err := azure.NewProvider(ctx, "east", &azure.ProviderArgs{Location: pulumi.StringPtr("eastus2")})
		if err != nil {
			return err
		}
		central, err := azure.NewProvider(ctx, "central", &azure.ProviderArgs{Location: pulumi.StringPtr("centralus")})
		if err != nil {
			return err
		}
		a := azureGoArgs()
		a.SecondaryProvider = central
		_, err = azbackend.New(ctx, "app", a, pulumi.Provider(east))
		return err
	})
	require.NoError(t, err)

	h := newHarness(t)
	east, _ := h.cloudProvider("azure-native", "east", map[string]any{"location": "eastus2"})
	_, central := h.cloudProvider("azure-native", "central", map[string]any{"location": "centralus"})
	resp, err := h.construct(azureToken, "app", azureInputs(central), map[string]p.ProviderReference{"azure-native": east}, "")
	require.NoError(t, err)
	got := h.plan()
	assertSamePlan(t, want, got)
	out := state(resp)
	assert.Equal(t, "https://app.example.com/", out["url"])
	// The queue tier the inputs turned on, and its outputs.
	require.NotNil(t, got.Find("azure-native:storage:Queue", "app-queue-poison"), "the poison queue")
	vmss := got.Find("azure-native:compute:VirtualMachineScaleSet", "app-worker-vmss")
	require.NotNil(t, vmss, "the worker scale set")
	assert.Contains(t, out["queue"], "url")
	assert.Contains(t, out["queue"], "poisonUrl")
	assert.Equal(t, "3", out["queue"].(map[string]any)["maxDequeueCount"])
	assert.Contains(t, out["workerIdentity"], "principalId")
	assert.Contains(t, out["dashboardUrl"], "portal.azure.com")
}

// TestAzureBackendHasNoCacheInput: this build's azure-native modules serve no Azure Cache for
// Redis (issue 13), so the Go backend.Args has no Cache and neither has the package's
// scalestack:azure:Backend (AWS and Google Cloud have one); the notes output states the gap.
func TestAzureBackendHasNoCacheInput(t *testing.T) {
	out, err := provider.Schema(t.Context())
	require.NoError(t, err)
	var schema struct {
		Resources map[string]struct {
			InputProperties map[string]any `json:"inputProperties"`
		} `json:"resources"`
	}
	require.NoError(t, json.Unmarshal(out, &schema))
	assert.NotContains(t, schema.Resources[azureToken].InputProperties, "cache")
	assert.Contains(t, schema.Resources[azureToken].InputProperties, "queue")
	assert.Contains(t, schema.Resources["scalestack:aws:Backend"].InputProperties, "cache")
	assert.Contains(t, schema.Resources[gcpToken].InputProperties, "cache")

	h := newHarness(t)
	east, _ := h.cloudProvider("azure-native", "east", map[string]any{"location": "eastus2"})
	_, central := h.cloudProvider("azure-native", "central", map[string]any{"location": "centralus"})
	resp, err := h.construct(azureToken, "app", azureInputs(central), map[string]p.ProviderReference{"azure-native": east}, "")
	require.NoError(t, err)
	assert.Contains(t, fmt.Sprint(state(resp)["notes"]), "no cache: this build serves no Azure Cache for Redis module")
}

// TestAzureEnumValuesAreTheGoConstants: the schema's closed value sets are the values the Go
// components accept (gateway.Kind*, cdn.Kind*); a drift would make valid SDK values fail.
func TestAzureEnumValuesAreTheGoConstants(t *testing.T) {
	var kinds []string
	for _, v := range provider.GatewayKind("").Values() {
		kinds = append(kinds, string(v.Value))
	}
	assert.Equal(t, []string{"appgateway", "standard"}, kinds)
	var cdns []string
	for _, v := range provider.CDNKind("").Values() {
		cdns = append(cdns, string(v.Value))
	}
	assert.Equal(t, []string{"frontdoor", "classic"}, cdns)
}

func TestAzureValidationErrorsReachTheCallerInGoWords(t *testing.T) {
	h := newHarness(t)
	east, _ := h.cloudProvider("azure-native", "east", map[string]any{"location": "eastus2"})
	in := azureInputs(resource.NewNullProperty())
	delete(in, "secondaryProvider")
	_, err := h.construct(azureToken, "app", in, map[string]p.ProviderReference{"azure-native": east}, "")
	require.Error(t, err)
	assert.Contains(t, err.Error(), `backend "app": SecondaryProvider is required with SecondaryLocation "centralus"`)
}

// TestAzureQueueValuesAreRefusedInGoWords: an invalid queue value fails in backend.New's
// validation with the Go message.
func TestAzureQueueValuesAreRefusedInGoWords(t *testing.T) {
	h := newHarness(t)
	east, _ := h.cloudProvider("azure-native", "east", map[string]any{"location": "eastus2"})
	_, central := h.cloudProvider("azure-native", "central", map[string]any{"location": "centralus"})
	in := azureInputs(central)
	in["queue"].ObjectValue()["maxDequeueCount"] = resource.NewProperty(500.0)
	_, err := h.construct(azureToken, "app", in, map[string]p.ProviderReference{"azure-native": east}, "")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "queue: MaxDequeueCount 500 is not allowed: want 1-100")
}

func gcpGoArgs() *gcpbackend.Args {
	return &gcpbackend.Args{
		Project: "my-project",
		Web: gcpbackend.Web{MinSize: 2, MaxSize: 6, RequestsPerMinutePerInstance: 600,
			PrimaryZones: []string{"us-central1-a", "us-central1-b", "us-central1-c"}, SecondaryZones: []string{"us-east1-b", "us-east1-c", "us-east1-d"}},
		Database:    gcpbackend.Database{HighAvailability: true, ReadReplicas: 1, CrossRegionReplica: true},
		CDN:         true,
		Backup:      gcpbackend.Backup{Location: "us"},
		Domain:      "app.example.com",
		ManagedZone: "example-com",
		AlertEmail:  "ops@example.com",
		// The cache, queue and worker tiers (issue 13).
		Cache: gcpbackend.Cache{Enabled: true, Replicas: 2, MemoryGB: 5, EvictionPolicy: "allkeys-lfu"},
		Queue: gcpbackend.Queue{Enabled: true, MaxDeliveryAttempts: 7, RetentionDays: 3, AckDeadlineSeconds: 60,
			Workers: gcpbackend.Workers{MinSize: 2, MaxSize: 4, BacklogPerWorker: 50, MachineType: "e2-medium"}},
	}
}

func gcpInputs(secondary resource.PropertyValue) resource.PropertyMap {
	m := resource.NewPropertyMapFromMap(map[string]any{
		"project": "my-project",
		"web": map[string]any{"minSize": 2, "maxSize": 6, "requestsPerMinutePerInstance": 600,
			"primaryZones": []any{"us-central1-a", "us-central1-b", "us-central1-c"}, "secondaryZones": []any{"us-east1-b", "us-east1-c", "us-east1-d"}},
		"database":    map[string]any{"highAvailability": true, "readReplicas": 1, "crossRegionReplica": true},
		"cdn":         true,
		"backup":      map[string]any{"location": "us"},
		"domain":      "app.example.com",
		"managedZone": "example-com",
		"alertEmail":  "ops@example.com",
		"cache":       map[string]any{"enabled": true, "replicas": 2, "memoryGb": 5, "evictionPolicy": "allkeys-lfu"},
		"queue": map[string]any{"enabled": true, "maxDeliveryAttempts": 7, "retentionDays": 3, "ackDeadlineSeconds": 60,
			"workers": map[string]any{"minSize": 2, "maxSize": 4, "backlogPerWorker": 50, "machineType": "e2-medium"}},
	})
	if !secondary.IsNull() {
		m["secondaryProvider"] = secondary
	}
	return m
}

func TestGCPBackendBuildsWhatTheGoAPIBuilds(t *testing.T) {
	want, err := goPlan(t, func(ctx *pulumi.Context) error {
		central, err := gcp.NewProvider(ctx, "central", &gcp.ProviderArgs{Project: pulumi.String("my-project"), Region: pulumi.String("us-central1")})
		if err != nil {
			return err
		}
		east, err := gcp.NewProvider(ctx, "east", &gcp.ProviderArgs{Project: pulumi.String("my-project"), Region: pulumi.String("us-east1")})
		if err != nil {
			return err
		}
		a := gcpGoArgs()
		a.SecondaryProvider = east
		_, err = gcpbackend.New(ctx, "app", a, pulumi.Provider(central))
		return err
	})
	require.NoError(t, err)

	h := newHarness(t)
	central, _ := h.cloudProvider("gcp", "central", map[string]any{"project": "my-project", "region": "us-central1"})
	_, east := h.cloudProvider("gcp", "east", map[string]any{"project": "my-project", "region": "us-east1"})
	resp, err := h.construct(gcpToken, "app", gcpInputs(east), map[string]p.ProviderReference{"gcp": central}, "")
	require.NoError(t, err)
	got := h.plan()
	assertSamePlan(t, want, got)
	out := state(resp)
	assert.Equal(t, "https://app.example.com/", out["url"])
	// The tiers the inputs turned on, and their outputs.
	redis := got.Find("gcp:redis/instance:Instance", "app-cache")
	require.NotNil(t, redis, "the cache")
	assert.EqualValues(t, 2, redis.Input("replicaCount"))
	require.NotNil(t, got.Find("gcp:pubsub/subscription:Subscription", "app-queue"), "the queue's subscription")
	require.NotNil(t, got.Find("gcp:compute/regionAutoscaler:RegionAutoscaler", "app-worker"), "the workers' autoscaler")
	for _, k := range []string{"dashboardUrl", "cacheHost", "cacheAuthSecret", "queueTopic", "queueSubscription", "deadLetterSubscription"} {
		assert.NotEmpty(t, out[k], k)
	}
	assert.EqualValues(t, 6378, out["cachePort"])
}

// TestGCPTierValuesAreRefusedInGoWords: an invalid cache or queue value fails in backend.New's
// validation with the Go message (the part, the field, the value and what is allowed).
func TestGCPTierValuesAreRefusedInGoWords(t *testing.T) {
	for _, c := range []struct {
		name   string
		inputs func(resource.PropertyMap)
		want   string
	}{
		{"queue.maxDeliveryAttempts", func(in resource.PropertyMap) {
			in["queue"].ObjectValue()["maxDeliveryAttempts"] = resource.NewProperty(3.0)
		}, `backend "app": Queue: MaxDeliveryAttempts 3 is not allowed: want 5-100 (Pub/Sub's dead-letter policy)`},
		{"cache.replicas", func(in resource.PropertyMap) { in["cache"].ObjectValue()["replicas"] = resource.NewProperty(7.0) }, `backend "app": Cache: Replicas 7 is not allowed: want 0-5`},
	} {
		t.Run(c.name, func(t *testing.T) {
			h := newHarness(t)
			central, _ := h.cloudProvider("gcp", "central", map[string]any{"project": "my-project", "region": "us-central1"})
			_, east := h.cloudProvider("gcp", "east", map[string]any{"project": "my-project", "region": "us-east1"})
			in := gcpInputs(east)
			c.inputs(in)
			_, err := h.construct(gcpToken, "app", in, map[string]p.ProviderReference{"gcp": central}, "")
			require.Error(t, err)
			assert.Contains(t, err.Error(), c.want)
		})
	}
}

func TestGCPValidationErrorsReachTheCallerInGoWords(t *testing.T) {
	h := newHarness(t)
	central, _ := h.cloudProvider("gcp", "central", map[string]any{"project": "my-project", "region": "us-central1"})
	_, err := h.construct(gcpToken, "app", gcpInputs(resource.NewNullProperty()), map[string]p.ProviderReference{"gcp": central}, "")
	require.Error(t, err)
	assert.Contains(t, err.Error(), `backend "app": Database.CrossRegionReplica is true without a SecondaryProvider`)
}
