package provider_test

import (
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
	assertSamePlan(t, want, h.plan())
	assert.Equal(t, "https://app.example.com/", state(resp)["url"])
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
	assertSamePlan(t, want, h.plan())
	assert.Equal(t, "https://app.example.com/", state(resp)["url"])
}

func TestGCPValidationErrorsReachTheCallerInGoWords(t *testing.T) {
	h := newHarness(t)
	central, _ := h.cloudProvider("gcp", "central", map[string]any{"project": "my-project", "region": "us-central1"})
	_, err := h.construct(gcpToken, "app", gcpInputs(resource.NewNullProperty()), map[string]p.ProviderReference{"gcp": central}, "")
	require.Error(t, err)
	assert.Contains(t, err.Error(), `backend "app": Database.CrossRegionReplica is true without a SecondaryProvider`)
}
