package failover

import (
	"testing"

	"github.com/pulumi/pulumi-azure-native-sdk/network/v2"
	"github.com/pulumi/pulumi-azure-native-sdk/resources/v2"
	azure "github.com/pulumi/pulumi-azure-native-sdk/v2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scalestack/scalestack/testkit"
)

func base() Args {
	return Args{
		ResourceGroupName: pulumi.String("rg"), ResourceGroupID: pulumi.String("/subscriptions/s/resourceGroups/rg"),
		Endpoints: []Endpoint{{Key: "primary", Target: pulumi.String("20.1.2.3")}},
	}
}

func TestResolveDefaults(t *testing.T) {
	a := base()
	r, err := a.resolve()
	require.NoError(t, err)
	assert.Equal(t, "HTTPS", r.Protocol)
	assert.Equal(t, 443, r.Port)
	assert.Equal(t, "/healthz", r.Path)
	assert.Equal(t, 30, r.TTLSeconds)
	a.Protocol = "HTTP"
	r, err = a.resolve()
	require.NoError(t, err)
	assert.Equal(t, 80, r.Port)
}

func TestResolveErrors(t *testing.T) {
	for _, tc := range []struct {
		edit func(*Args)
		want string
	}{
		{func(a *Args) { a.ResourceGroupID = nil }, "ResourceGroupName and ResourceGroupID are required"},
		{func(a *Args) { a.Endpoints = nil }, "Endpoints has 0 entries: want 1-10"},
		{func(a *Args) { a.Protocol = "TCP" }, `Protocol "TCP" is not allowed: want HTTPS or HTTP`},
		{func(a *Args) { a.Port = -1 }, "Port -1 is not allowed"},
		{func(a *Args) { a.Path = "healthz" }, `Path "healthz" is not allowed`},
		{func(a *Args) { a.TTLSeconds = -5 }, "TTLSeconds -5 is not allowed"},
		{func(a *Args) { a.Endpoints = append(a.Endpoints, a.Endpoints[0]) }, `Endpoints[1].Key "primary" is not allowed`},
		{func(a *Args) { a.Endpoints[0].Target = nil }, "Endpoints[0].Target is required"},
	} {
		a := base()
		a.Endpoints = append([]Endpoint(nil), a.Endpoints...)
		tc.edit(&a)
		_, err := a.resolve()
		if assert.Error(t, err, tc.want) {
			assert.Contains(t, err.Error(), tc.want)
		}
	}
}

func TestPriorityRoutingOverBothRegions(t *testing.T) {
	plan, err := testkit.RunExports(func(ctx *pulumi.Context) (pulumi.Map, error) {
		p, err := azure.NewProvider(ctx, "azure-native-eastus2", &azure.ProviderArgs{Location: pulumi.StringPtr("eastus2")})
		if err != nil {
			return nil, err
		}
		rg, err := resources.NewResourceGroup(ctx, "rg", &resources.ResourceGroupArgs{Location: pulumi.String("eastus2")}, pulumi.Provider(p))
		if err != nil {
			return nil, err
		}
		ips := map[string]pulumi.StringOutput{}
		for _, k := range []string{"ip1", "ip2"} {
			x, err := network.NewPublicIPAddress(ctx, k, &network.PublicIPAddressArgs{ResourceGroupName: rg.Name}, pulumi.Provider(p))
			if err != nil {
				return nil, err
			}
			ips[k] = x.IpAddress.Elem()
		}
		f, err := New(ctx, "tm", &Args{
			ResourceGroupName: rg.Name, ResourceGroupID: rg.ID(), HostHeader: "app.example.com",
			Endpoints: []Endpoint{
				{Key: "primary", Target: ips["ip1"]},
				{Key: "secondary", Target: ips["ip2"]},
			},
		}, pulumi.Provider(p))
		if err != nil {
			return nil, err
		}
		return pulumi.Map{"fqdn": f.FQDN}, nil
	})
	require.NoError(t, err)
	comp := plan.Find(typeToken, "tm")
	kids := plan.Children(comp.URN)
	assert.Len(t, kids, 3)
	for _, k := range kids {
		assert.Equal(t, "azure-native-eastus2", k.ProviderResource().Name)
	}
	rg := plan.Find("azure-native:resources:ResourceGroup", "rg")
	prof := plan.Find("azure-native:network:Profile", "tm")
	assert.Equal(t, "Priority", prof.InputString("trafficRoutingMethod"))
	assert.Equal(t, "HTTPS", prof.InputString("monitorConfig.protocol"))
	assert.Equal(t, "/healthz", prof.InputString("monitorConfig.path"))
	assert.Equal(t, "app.example.com", prof.InputString("monitorConfig.customHeaders.0.value"))
	assert.True(t, prof.InputFrom("dnsConfig", rg))
	assert.Equal(t, RelativeName("tm", rg.ID), prof.InputString("dnsConfig.relativeName"))
	assert.Equal(t, RelativeName("tm", rg.ID)+".trafficmanager.net", plan.Outputs["fqdn"])

	for i, key := range []string{"primary", "secondary"} {
		ep := plan.Find("azure-native:network:Endpoint", "tm-"+key)
		require.NotNil(t, ep)
		assert.True(t, ep.InputFrom("profileName", prof))
		ip := plan.Find("azure-native:network:PublicIPAddress", []string{"ip1", "ip2"}[i])
		assert.True(t, ep.InputFrom("target", ip))
		assert.Equal(t, ip.Output("ipAddress"), ep.Input("target"))
		assert.Equal(t, float64(i+1), ep.Input("priority"))
	}
}

// TestEndpointsAreExternalIPv4SoTheApexCanAliasTheProfile: an Azure DNS alias A record (the only
// way to point a zone apex at Traffic Manager) is refused for a profile with Azure endpoints:
// it needs a profile whose endpoints are all external with IPv4 (A) or IPv6 (AAAA) addresses.
// endpointLocation applies only to external and nested endpoints under performance routing, so
// priority endpoints send none. Rule: "Azure DNS alias records: Traffic Manager"
// (https://learn.microsoft.com/azure/dns/dns-alias#traffic-manager) and "Traffic Manager
// endpoints" (https://learn.microsoft.com/azure/traffic-manager/traffic-manager-endpoint-types).
func TestEndpointsAreExternalIPv4SoTheApexCanAliasTheProfile(t *testing.T) {
	plan, err := testkit.Run(func(ctx *pulumi.Context) error {
		a := base()
		a.Endpoints = append(a.Endpoints, Endpoint{Key: "secondary", Target: pulumi.String("20.4.5.6")})
		_, err := New(ctx, "tm", &a)
		return err
	})
	require.NoError(t, err)
	for _, key := range []string{"primary", "secondary"} {
		ep := plan.Find("azure-native:network:Endpoint", "tm-"+key)
		require.NotNil(t, ep, key)
		assert.Equal(t, "ExternalEndpoints", ep.InputString("endpointType"))
		assert.Equal(t, "Microsoft.Network/trafficManagerProfiles/externalEndpoints", ep.InputString("type"))
		assert.Regexp(t, `^\d+\.\d+\.\d+\.\d+$`, ep.InputString("target"), "an IPv4 address, not a DNS name")
		assert.Nil(t, ep.Input("targetResourceId"), "not an Azure endpoint")
		assert.Nil(t, ep.Input("endpointLocation"), "priority routing needs no location")
	}
}

func TestRelativeName(t *testing.T) {
	a := RelativeName("App_Edge", "/subscriptions/a/resourceGroups/x")
	assert.Regexp(t, `^app-edge-[0-9a-f]{8}$`, a)
	assert.Equal(t, a, RelativeName("App_Edge", "/subscriptions/a/resourceGroups/x"), "stable")
	assert.NotEqual(t, a, RelativeName("App_Edge", "/subscriptions/b/resourceGroups/x"), "unique per resource group")
}
