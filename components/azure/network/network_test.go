package network

import (
	"testing"

	azure "github.com/pulumi/pulumi-azure-native-sdk/v2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scalestack/scalestack/testkit"
)

func TestResolveDefaults(t *testing.T) {
	r, err := (&Args{Location: "eastus2"}).resolve()
	require.NoError(t, err)
	assert.Equal(t, "10.0.0.0/16", r.AddressSpace)
	assert.Equal(t, 8080, r.WebPort)
	assert.Equal(t, IngressAppGateway, r.Ingress)
	assert.Equal(t, []string{"10.0.0.0/24", "10.0.1.0/24", "10.0.2.0/24"}, []string{r.gatewayPrefix, r.webPrefix, r.dataPrefix})

	r, err = (&Args{Location: "centralus", AddressSpace: "10.20.4.0/22"}).resolve()
	require.NoError(t, err)
	assert.Equal(t, []string{"10.20.4.0/24", "10.20.5.0/24", "10.20.6.0/24"}, []string{r.gatewayPrefix, r.webPrefix, r.dataPrefix})
}

func TestResolveErrors(t *testing.T) {
	for _, tc := range []struct {
		args *Args
		want string
	}{
		{nil, "args are required"},
		{&Args{}, `Location "" is not an Azure location`},
		{&Args{Location: "East US"}, `Location "East US" is not an Azure location: want a name such as eastus2`},
		{&Args{Location: "eastus2", AddressSpace: "10.0.0.0/24"}, `AddressSpace "10.0.0.0/24" is not allowed: want an IPv4 network prefix from /16 to /22`},
		{&Args{Location: "eastus2", AddressSpace: "10.0.0.1/16"}, `AddressSpace "10.0.0.1/16" is not allowed`},
		{&Args{Location: "eastus2", AddressSpace: "fd00::/48"}, `AddressSpace "fd00::/48" is not allowed`},
		{&Args{Location: "eastus2", WebPort: 70000}, "WebPort 70000 is not allowed: want 1-65535"},
		{&Args{Location: "eastus2", Ingress: "nlb"}, `Ingress "nlb" is not allowed: want "appgateway" or "standard"`},
	} {
		_, err := tc.args.resolve()
		if assert.Error(t, err, tc.want) {
			assert.Contains(t, err.Error(), tc.want)
		}
	}
}

func run(t *testing.T, args *Args) *testkit.Plan {
	t.Helper()
	plan, err := testkit.Run(func(ctx *pulumi.Context) error {
		p, err := azure.NewProvider(ctx, "azure-native-"+args.Location, &azure.ProviderArgs{Location: pulumi.StringPtr(args.Location)})
		if err != nil {
			return err
		}
		_, err = New(ctx, "net", args, pulumi.Provider(p))
		return err
	})
	require.NoError(t, err)
	return plan
}

func TestNetworkResources(t *testing.T) {
	plan := run(t, &Args{Location: "eastus2", Tags: map[string]string{"team": "web"}})
	comp := plan.Find(typeToken, "net")
	require.NotNil(t, comp)
	kids := plan.Children(comp.URN)
	assert.Len(t, kids, 8, "rg, vnet, three NSGs, three subnets")
	for _, r := range kids {
		assert.Equal(t, "eastus2", r.Region(), r.Name)
		assert.Equal(t, "azure-native-eastus2", r.ProviderResource().Name, r.Name)
	}
	counts := plan.CountByType()
	assert.Equal(t, 3, counts["azure-native:network:Subnet"])
	assert.Equal(t, 3, counts["azure-native:network:NetworkSecurityGroup"])

	rg := plan.Find("azure-native:resources:ResourceGroup", "net-rg")
	vnet := plan.Find("azure-native:network:VirtualNetwork", "net-vnet")
	assert.Equal(t, "web", rg.InputString("tags.team"))
	assert.True(t, vnet.InputFrom("resourceGroupName", rg))
	for _, tier := range []string{"gateway", "web", "data"} {
		sn := plan.Find("azure-native:network:Subnet", "net-"+tier)
		nsg := plan.Find("azure-native:network:NetworkSecurityGroup", "net-"+tier+"-nsg")
		assert.True(t, sn.InputFrom("networkSecurityGroup", nsg), tier)
		assert.True(t, sn.InputFrom("virtualNetworkName", vnet), tier)
		assert.Equal(t, tier, nsg.InputString("tags.tier"))
		assert.Equal(t, "web", nsg.InputString("tags.team"))
	}
}

// rulesOf returns the NSG's rules keyed by name.
func rulesOf(r *testkit.Resource) map[string]map[string]any {
	out := map[string]map[string]any{}
	for _, x := range r.Input("securityRules").([]any) {
		m := x.(map[string]any)
		out[m["name"].(string)] = m
	}
	return out
}

func TestNetworkSecurityRules(t *testing.T) {
	plan := run(t, &Args{Location: "eastus2", WebPort: 9000})
	gw := rulesOf(plan.Find("azure-native:network:NetworkSecurityGroup", "net-gateway-nsg"))
	web := rulesOf(plan.Find("azure-native:network:NetworkSecurityGroup", "net-web-nsg"))
	data := rulesOf(plan.Find("azure-native:network:NetworkSecurityGroup", "net-data-nsg"))

	assert.Equal(t, "443", gw["allow-https-internet"]["destinationPortRange"])
	assert.Equal(t, "65200-65535", gw["allow-gateway-manager"]["destinationPortRange"])
	assert.Equal(t, "GatewayManager", gw["allow-gateway-manager"]["sourceAddressPrefix"])

	assert.Equal(t, "10.0.0.0/24", web["allow-web-from-ingress"]["sourceAddressPrefix"], "only the gateway subnet reaches the web tier")
	assert.Equal(t, "9000", web["allow-web-from-ingress"]["destinationPortRange"])
	assert.Equal(t, "Deny", web["deny-vnet-inbound"]["access"])
	for _, r := range web {
		assert.NotEqual(t, "22", r["destinationPortRange"], "no SSH")
	}

	assert.Equal(t, "10.0.1.0/24", data["allow-sql-from-web"]["sourceAddressPrefix"], "only the web subnet reaches SQL")
	assert.Equal(t, "1433", data["allow-sql-from-web"]["destinationPortRange"])
	assert.Equal(t, "Deny", data["deny-vnet-inbound"]["access"])
	for _, r := range data {
		assert.NotEqual(t, "Internet", r["sourceAddressPrefix"])
	}
}

func TestStandardLoadBalancerOpensWebPortOnly(t *testing.T) {
	plan := run(t, &Args{Location: "westeurope", Ingress: IngressStandardLB})
	web := rulesOf(plan.Find("azure-native:network:NetworkSecurityGroup", "net-web-nsg"))
	assert.Equal(t, "Internet", web["allow-web-from-ingress"]["sourceAddressPrefix"])
	assert.Equal(t, "8080", web["allow-web-from-ingress"]["destinationPortRange"])
	assert.Equal(t, "westeurope", plan.Find(typeToken, "net").Region())
}

func TestBadArgsRegisterNothing(t *testing.T) {
	plan, err := testkit.Run(func(ctx *pulumi.Context) error {
		_, err := New(ctx, "net", &Args{Location: "eastus2", WebPort: -1})
		return err
	})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `network "net": WebPort -1 is not allowed`)
	assert.Nil(t, plan)
}

// TestFrontDoorOnlyAdmitsTheAzureFrontDoorBackendServiceTag: with a CDN in front, anything that
// reaches the gateways from the Internet directly skips Front Door's WAF and rate limit.
// Microsoft's lock-down is the AzureFrontDoor.Backend service tag on the origin's network
// security group (plus the X-Azure-FDID check, in the gateway), while an Application Gateway v2
// subnet must still admit GatewayManager on 65200-65535 and the AzureLoadBalancer tag. Rule:
// "Secure traffic to Azure Front Door origins"
// (https://learn.microsoft.com/azure/frontdoor/origin-security) and "Application Gateway
// infrastructure configuration: network security groups"
// (https://learn.microsoft.com/azure/application-gateway/configuration-infrastructure#network-security-groups).
func TestFrontDoorOnlyAdmitsTheAzureFrontDoorBackendServiceTag(t *testing.T) {
	plan := run(t, &Args{Location: "eastus2", FrontDoorOnly: true})
	gw := rulesOf(plan.Find("azure-native:network:NetworkSecurityGroup", "net-gateway-nsg"))
	require.Len(t, gw, 4)
	for _, name := range []string{"allow-https-frontdoor", "allow-http-redirect-frontdoor"} {
		require.Contains(t, gw, name)
		assert.Equal(t, "AzureFrontDoor.Backend", gw[name]["sourceAddressPrefix"], name)
		assert.Equal(t, "Allow", gw[name]["access"], name)
	}
	assert.Equal(t, "443", gw["allow-https-frontdoor"]["destinationPortRange"])
	assert.Equal(t, "80", gw["allow-http-redirect-frontdoor"]["destinationPortRange"])
	assert.Equal(t, "GatewayManager", gw["allow-gateway-manager"]["sourceAddressPrefix"])
	assert.Equal(t, "65200-65535", gw["allow-gateway-manager"]["destinationPortRange"])
	assert.Equal(t, "AzureLoadBalancer", gw["allow-azure-load-balancer"]["sourceAddressPrefix"])
	for name, r := range gw {
		assert.NotEqual(t, "Internet", r["sourceAddressPrefix"], "%s: nothing from the whole Internet", name)
	}

	// A Standard Load Balancer keeps client addresses: the web port admits Front Door only.
	plan = run(t, &Args{Location: "eastus2", FrontDoorOnly: true, Ingress: IngressStandardLB})
	web := rulesOf(plan.Find("azure-native:network:NetworkSecurityGroup", "net-web-nsg"))
	assert.Equal(t, "AzureFrontDoor.Backend", web["allow-web-from-ingress"]["sourceAddressPrefix"])

	// Without a CDN the gateways are the public entry (the backend's notes say so).
	plan = run(t, &Args{Location: "eastus2"})
	gw = rulesOf(plan.Find("azure-native:network:NetworkSecurityGroup", "net-gateway-nsg"))
	assert.Equal(t, "Internet", gw["allow-https-internet"]["sourceAddressPrefix"])
}

// A Storage private endpoint serves the queue over HTTPS (443): with Queue the data subnet
// admits 443 from the web subnet only, and without it the data security group is unchanged.
// https://learn.microsoft.com/azure/storage/common/storage-private-endpoints
func TestQueueAdmitsHTTPSFromTheWebSubnetToTheDataSubnet(t *testing.T) {
	rules := func(queue bool) []any {
		plan := run(t, &Args{Location: "eastus2", Queue: queue})
		return plan.Find("azure-native:network:NetworkSecurityGroup", "net-data-nsg").Input("securityRules").([]any)
	}
	without, with := rules(false), rules(true)
	require.Len(t, with, len(without)+1)
	r := with[1].(map[string]any)
	assert.Equal(t, "allow-queue-from-web", r["name"])
	assert.Equal(t, "10.0.1.0/24", r["sourceAddressPrefix"])
	assert.Equal(t, "443", r["destinationPortRange"])
	assert.Equal(t, "Allow", r["access"])
	assert.Equal(t, without[0], with[0])
	assert.Equal(t, without[1], with[2], "the deny rule stays last")
}
