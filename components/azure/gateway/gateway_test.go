package gateway

import (
	"strings"
	"testing"

	"github.com/pulumi/pulumi-azure-native-sdk/resources/v2"
	azure "github.com/pulumi/pulumi-azure-native-sdk/v2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scalestack/scalestack/testkit"
)

const (
	secretID   = "https://ops-kv.vault.azure.net/secrets/app-tls"
	identityID = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/ops/providers/Microsoft.ManagedIdentity/userAssignedIdentities/appgw"
)

func base() Args {
	return Args{Location: "eastus2", ResourceGroupName: pulumi.String("rg"), ResourceGroupID: pulumi.String("/subscriptions/x/resourceGroups/rg"), SubnetID: pulumi.String("sn")}
}

func TestResolveDefaults(t *testing.T) {
	a := base()
	r, err := a.resolve()
	require.NoError(t, err)
	assert.Equal(t, KindAppGateway, r.Kind)
	assert.Equal(t, 8080, r.BackendPort)
	assert.Equal(t, "/healthz", r.HealthCheckPath)
	assert.Equal(t, []int{1, 10}, []int{r.MinCapacity, r.MaxCapacity})
	assert.Equal(t, []string{"1", "2", "3"}, r.Zones)
	assert.False(t, r.DisableWAF)
	assert.False(t, r.HTTPS())
	a.CertificateSecretID, a.IdentityID = secretID, identityID
	r, err = a.resolve()
	require.NoError(t, err)
	assert.True(t, r.HTTPS())
}

func TestResolveErrors(t *testing.T) {
	for _, tc := range []struct {
		edit func(*Args)
		want string
	}{
		{func(a *Args) { a.Kind = "nlb" }, `Kind "nlb" is not allowed: want "appgateway" or "standard"`},
		{func(a *Args) { a.Location = "East US" }, `Location "East US" is not an Azure location`},
		{func(a *Args) { a.ResourceGroupID = nil }, "ResourceGroupName and ResourceGroupID are required"},
		{func(a *Args) { a.SubnetID = nil }, "SubnetID is required for an Application Gateway"},
		{func(a *Args) { a.BackendPort = 0x10000 }, "BackendPort 65536 is not allowed: want 1-65535"},
		{func(a *Args) { a.HealthCheckPath = "x" }, `HealthCheckPath "x" is not allowed`},
		{func(a *Args) { a.CertificateSecretID = "kv://x" }, `CertificateSecretID "kv://x" is not a Key Vault secret ID`},
		{func(a *Args) { a.CertificateSecretID = secretID }, `IdentityID "" is not a user-assigned identity's resource ID`},
		{func(a *Args) { a.IdentityID = identityID }, "IdentityID is set without CertificateSecretID"},
		{func(a *Args) { a.FrontDoorID, a.DisableWAF = pulumi.String("fd"), true }, "FrontDoorID is set but the X-Azure-FDID check is a WAF custom rule"},
		{func(a *Args) {
			a.Kind, a.CertificateSecretID, a.IdentityID = KindStandardLB, secretID, identityID
		}, "CertificateSecretID is set for a Standard Load Balancer"},
		{func(a *Args) { a.MinCapacity, a.MaxCapacity = 5, 2 }, "capacity 5-2 is not allowed"},
		{func(a *Args) { a.MaxCapacity = 200 }, "capacity 0-200 is not allowed"},
		{func(a *Args) { a.Zones = []string{"a"} }, `Zones ["a"] is not allowed`},
	} {
		a := base()
		tc.edit(&a)
		_, err := a.resolve()
		if assert.Error(t, err, tc.want) {
			assert.Contains(t, err.Error(), tc.want)
		}
	}
}

func run(t *testing.T, edit func(*Args)) *testkit.Plan {
	t.Helper()
	plan, err := testkit.Run(func(ctx *pulumi.Context) error {
		p, err := azure.NewProvider(ctx, "azure-native-centralus", &azure.ProviderArgs{Location: pulumi.StringPtr("centralus")})
		if err != nil {
			return err
		}
		rg, err := resources.NewResourceGroup(ctx, "rg", &resources.ResourceGroupArgs{Location: pulumi.String("centralus")}, pulumi.Provider(p))
		if err != nil {
			return err
		}
		a := base()
		a.Location, a.ResourceGroupName, a.ResourceGroupID = "centralus", rg.Name, rg.ID()
		edit(&a)
		_, err = New(ctx, "gw", &a, pulumi.Provider(p))
		return err
	})
	require.NoError(t, err)
	return plan
}

func checkChildren(t *testing.T, plan *testkit.Plan, n int) {
	t.Helper()
	comp := plan.Find(typeToken, "gw")
	require.NotNil(t, comp)
	kids := plan.Children(comp.URN)
	assert.Len(t, kids, n)
	for _, k := range kids {
		assert.Equal(t, "centralus", k.Region(), k.Name)
		assert.Equal(t, "azure-native-centralus", k.ProviderResource().Name, k.Name)
	}
}

func TestHTTPSGateway(t *testing.T) {
	plan := run(t, func(a *Args) {
		a.CertificateSecretID, a.IdentityID, a.HostName = secretID, identityID, "app.example.com"
	})
	checkChildren(t, plan, 3)
	rg := plan.Find("azure-native:resources:ResourceGroup", "rg")
	ip := plan.Find("azure-native:network:PublicIPAddress", "gw-ip")
	waf := plan.Find("azure-native:network:WebApplicationFirewallPolicy", "gw-waf")
	gw := plan.Find("azure-native:network:ApplicationGateway", "gw")
	require.NotNil(t, gw)

	assert.Equal(t, "Standard", ip.InputString("sku.name"))
	assert.Equal(t, []any{"1", "2", "3"}, ip.Input("zones"))
	assert.True(t, ip.InputFrom("dnsSettings", rg), "the DNS label derives from the resource group ID")
	assert.Regexp(t, `^gw-[0-9a-f]{8}$`, ip.InputString("dnsSettings.domainNameLabel"))

	assert.Equal(t, "WAF_v2", gw.InputString("sku.tier"))
	assert.Equal(t, []any{"1", "2", "3"}, gw.Input("zones"))
	assert.True(t, gw.InputFrom("firewallPolicy", waf))
	assert.Equal(t, "Prevention", waf.InputString("policySettings.mode"))
	assert.Equal(t, "OWASP", waf.InputString("managedRules.managedRuleSets.0.ruleSetType"))
	assert.True(t, gw.InputFrom("frontendIPConfigurations", ip))
	assert.Equal(t, ip.ID, gw.InputString("frontendIPConfigurations.0.publicIPAddress.id"))
	assert.Equal(t, "AppGwSslPolicy20220101S", gw.InputString("sslPolicy.policyName"))
	assert.Equal(t, secretID, gw.InputString("sslCertificates.0.keyVaultSecretId"))
	assert.Nil(t, gw.Input("sslCertificates.0.data"), "no certificate material in state")
	assert.Equal(t, "UserAssigned", gw.InputString("identity.type"))
	assert.Equal(t, identityID, gw.InputString("identity.userAssignedIdentities.0"))

	// Sub-resource IDs are built from the resource group's real ID and the gateway's name.
	gwID := rg.ID + "/providers/Microsoft.Network/applicationGateways/gw"
	assert.True(t, gw.InputFrom("httpListeners", rg))
	assert.Equal(t, gwID+"/sslCertificates/tls", gw.InputString("httpListeners.1.sslCertificate.id"))
	assert.Equal(t, "Https", gw.InputString("httpListeners.1.protocol"))
	assert.Equal(t, "app.example.com", gw.InputString("httpListeners.1.hostName"))
	assert.Equal(t, gwID+"/httpListeners/https", gw.InputString("requestRoutingRules.0.httpListener.id"))
	assert.Equal(t, gwID+"/backendAddressPools/web", gw.InputString("requestRoutingRules.0.backendAddressPool.id"))
	assert.Equal(t, gwID+"/redirectConfigurations/http-to-https", gw.InputString("requestRoutingRules.1.redirectConfiguration.id"))
	assert.Equal(t, "Permanent", gw.InputString("redirectConfigurations.0.redirectType"))
	assert.Equal(t, gwID+"/httpListeners/https", gw.InputString("redirectConfigurations.0.targetListener.id"))
	assert.Equal(t, "/healthz", gw.InputString("probes.0.path"))
	assert.Equal(t, gwID+"/probes/health", gw.InputString("backendHttpSettingsCollection.0.probe.id"))
	assert.Equal(t, float64(8080), gw.Input("backendHttpSettingsCollection.0.port"))
	for _, r := range gw.Input("requestRoutingRules").([]any) {
		rule := r.(map[string]any)
		if strings.HasSuffix(lookupID(rule, "httpListener"), "/http") {
			assert.NotContains(t, rule, "backendAddressPool", "plain HTTP is only redirected")
		}
	}
}

func lookupID(m map[string]any, k string) string {
	v, _ := m[k].(map[string]any)
	s, _ := v["id"].(string)
	return s
}

func TestHTTPOnlyDevMode(t *testing.T) {
	plan := run(t, func(a *Args) { a.DisableWAF = true })
	checkChildren(t, plan, 2)
	gw := plan.Find("azure-native:network:ApplicationGateway", "gw")
	assert.Equal(t, "Standard_v2", gw.InputString("sku.name"))
	assert.Len(t, gw.Input("httpListeners").([]any), 1)
	assert.Equal(t, "Http", gw.InputString("httpListeners.0.protocol"))
	assert.Nil(t, gw.Input("sslCertificates"))
	assert.Nil(t, gw.Input("identity"))
	assert.Nil(t, gw.Input("firewallPolicy"))
	assert.Contains(t, gw.InputString("requestRoutingRules.0.backendAddressPool.id"), "/applicationGateways/gw/backendAddressPools/web")
}

func TestStandardLoadBalancer(t *testing.T) {
	plan := run(t, func(a *Args) { a.Kind, a.SubnetID, a.BackendPort = KindStandardLB, nil, 9000 })
	checkChildren(t, plan, 2)
	rg := plan.Find("azure-native:resources:ResourceGroup", "rg")
	ip := plan.Find("azure-native:network:PublicIPAddress", "gw-ip")
	lb := plan.Find("azure-native:network:LoadBalancer", "gw")
	require.NotNil(t, lb)
	assert.Equal(t, "Standard", lb.InputString("sku.name"))
	assert.True(t, lb.InputFrom("frontendIPConfigurations", ip))
	assert.Equal(t, "/healthz", lb.InputString("probes.0.requestPath"))
	assert.Equal(t, float64(9000), lb.Input("probes.0.port"))
	assert.Equal(t, float64(9000), lb.Input("loadBalancingRules.0.backendPort"))
	assert.Equal(t, rg.ID+"/providers/Microsoft.Network/loadBalancers/gw/probes/health", lb.InputString("loadBalancingRules.0.probe.id"))
	assert.Empty(t, plan.ByType("azure-native:network:ApplicationGateway"))
}

func TestOutputs(t *testing.T) {
	plan, err := testkit.RunExports(func(ctx *pulumi.Context) (pulumi.Map, error) {
		rg, err := resources.NewResourceGroup(ctx, "rg", &resources.ResourceGroupArgs{Location: pulumi.String("eastus2")})
		if err != nil {
			return nil, err
		}
		a := base()
		a.ResourceGroupName, a.ResourceGroupID = rg.Name, rg.ID()
		g, err := New(ctx, "gw", &a)
		if err != nil {
			return nil, err
		}
		return pulumi.Map{"fqdn": g.FQDN, "ip": g.PublicIP, "pool": g.BackendPoolID, "id": g.ID, "known": FQDN("gw", "eastus2", rg.ID())}, nil
	})
	require.NoError(t, err)
	gw := plan.Find("azure-native:network:ApplicationGateway", "gw")
	ip := plan.Find("azure-native:network:PublicIPAddress", "gw-ip")
	assert.Regexp(t, `^gw-[0-9a-f]{8}\.eastus2\.cloudapp\.azure\.com$`, plan.Outputs["fqdn"])
	assert.Equal(t, plan.Outputs["fqdn"], plan.Outputs["known"], "FQDN predicts the gateway's name before it exists")
	assert.Equal(t, ip.Output("ipAddress"), plan.Outputs["ip"])
	assert.Equal(t, gw.ID, plan.Outputs["id"])
	assert.Equal(t, gw.ID+"/backendAddressPools/web", plan.Outputs["pool"])
}

// TestGatewayAdmitsOnlyItsFrontDoorByTheXAzureFDIDHeader: the AzureFrontDoor.Backend service tag
// the network admits covers every Front Door profile, any customer's, so an origin behind Front
// Door must also check that the X-Azure-FDID header Front Door adds to every request equals
// its own profile's ID (the profile's frontDoorId). On an Application Gateway that is a WAF
// custom rule, evaluated before the managed rules. Rule: "Secure traffic to Azure Front Door
// origins" (https://learn.microsoft.com/azure/frontdoor/origin-security#application-gateway)
// and "Custom rules for Web Application Firewall v2 on Azure Application Gateway"
// (https://learn.microsoft.com/azure/web-application-firewall/ag/custom-waf-rules-overview).
func TestGatewayAdmitsOnlyItsFrontDoorByTheXAzureFDIDHeader(t *testing.T) {
	const fdid = "0A1B2C3D-0000-4000-8000-123456789ABC"
	plan := run(t, func(a *Args) { a.FrontDoorID = pulumi.String(fdid) })
	waf := plan.Find("azure-native:network:WebApplicationFirewallPolicy", "gw-waf")
	gw := plan.Find("azure-native:network:ApplicationGateway", "gw")
	require.NotNil(t, waf)
	assert.True(t, gw.InputFrom("firewallPolicy", waf), "the gateway runs the policy")
	rules := waf.Input("customRules").([]any)
	require.Len(t, rules, 1)
	r := "customRules.0."
	assert.Equal(t, float64(1), waf.Input(r+"priority"), "before everything else")
	assert.Equal(t, "MatchRule", waf.InputString(r+"ruleType"))
	assert.Equal(t, "Block", waf.InputString(r+"action"))
	assert.Equal(t, "RequestHeaders", waf.InputString(r+"matchConditions.0.matchVariables.0.variableName"))
	assert.Equal(t, "X-Azure-FDID", waf.InputString(r+"matchConditions.0.matchVariables.0.selector"))
	assert.Equal(t, "Equal", waf.InputString(r+"matchConditions.0.operator"))
	assert.Equal(t, true, waf.Input(r+"matchConditions.0.negationConditon"), "block what is NOT our Front Door")
	assert.Equal(t, []any{"0a1b2c3d-0000-4000-8000-123456789abc"}, waf.Input(r+"matchConditions.0.matchValues"))
	assert.Equal(t, []any{"Lowercase"}, waf.Input(r+"matchConditions.0.transforms"), "compared case-insensitively")

	// Without a Front Door the gateway is the public entry: no header check.
	waf = run(t, func(*Args) {}).Find("azure-native:network:WebApplicationFirewallPolicy", "gw-waf")
	assert.Nil(t, waf.Input("customRules"))
}
