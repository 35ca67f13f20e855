package cdn

import (
	"testing"

	"github.com/pulumi/pulumi-azure-native-sdk/network/v2"
	azure "github.com/pulumi/pulumi-azure-native-sdk/v2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scalestack/scalestack/testkit"
)

func base() Args {
	return Args{ResourceGroupName: pulumi.String("rg"), Origins: []Origin{{Key: "primary", HostName: pulumi.String("gw1.eastus2.cloudapp.azure.com")}}}
}

func TestResolveDefaults(t *testing.T) {
	a := base()
	r, err := a.resolve()
	require.NoError(t, err)
	assert.Equal(t, KindFrontDoor, r.Kind)
	assert.Equal(t, "Standard_AzureFrontDoor", r.SKU)
	assert.Equal(t, "/healthz", r.HealthProbePath)
	assert.Equal(t, 1000, r.RateLimitPerMinute)
	assert.Equal(t, "", r.OriginHostHeader)
	a = base()
	a.CustomDomain = "app.example.com"
	r, err = a.resolve()
	require.NoError(t, err)
	assert.Equal(t, "app.example.com", r.OriginHostHeader, "the gateways are asked for the public name")
}

func TestResolveErrors(t *testing.T) {
	for _, tc := range []struct {
		edit func(*Args)
		want string
	}{
		{func(a *Args) { a.Kind = "akamai" }, `Kind "akamai" is not allowed: want "frontdoor"`},
		{func(a *Args) { a.SKU = "Standard_Microsoft" }, `SKU "Standard_Microsoft" is not allowed for Front Door`},
		{func(a *Args) { a.ResourceGroupName = nil }, "ResourceGroupName is required"},
		{func(a *Args) { a.Origins = nil }, "Origins has 0 entries: want 1-10"},
		{func(a *Args) { a.RateLimitPerMinute = 5 }, "RateLimitPerMinute 5 is not allowed: want 10-1000000"},
		{func(a *Args) { a.HealthProbePath = "health" }, `HealthProbePath "health" is not allowed`},
		{func(a *Args) { a.CustomDomain = "not a domain" }, `CustomDomain "not a domain" is not a DNS name`},
		{func(a *Args) { a.Origins = append(a.Origins, a.Origins[0]) }, `Origins[1].Key "primary" is not allowed`},
		{func(a *Args) { a.Origins = []Origin{{Key: "primary"}} }, "Origins[0].HostName is required"},
	} {
		a := base()
		tc.edit(&a)
		_, err := a.resolve()
		if assert.Error(t, err, tc.want) {
			assert.Contains(t, err.Error(), tc.want)
		}
	}
}

// run places two stand-in gateway IPs and a CDN over them.
func run(t *testing.T, edit func(*Args)) *testkit.Plan {
	t.Helper()
	plan, err := testkit.RunExports(func(ctx *pulumi.Context) (pulumi.Map, error) {
		p, err := azure.NewProvider(ctx, "azure-native-eastus2", &azure.ProviderArgs{Location: pulumi.StringPtr("eastus2")})
		if err != nil {
			return nil, err
		}
		a := Args{ResourceGroupName: pulumi.String("rg")}
		for _, k := range []string{"primary", "secondary"} {
			ip, err := network.NewPublicIPAddress(ctx, "ip-"+k, &network.PublicIPAddressArgs{ResourceGroupName: pulumi.String("rg")}, pulumi.Provider(p))
			if err != nil {
				return nil, err
			}
			a.Origins = append(a.Origins, Origin{Key: k, HostName: ip.IpAddress.Elem()})
		}
		edit(&a)
		c, err := New(ctx, "edge", &a, pulumi.Provider(p))
		if err != nil {
			return nil, err
		}
		return pulumi.Map{"host": c.HostName, "token": c.ValidationToken, "endpoint": c.EndpointID, "fdid": c.FrontDoorID}, nil
	})
	require.NoError(t, err)
	return plan
}

func TestFrontDoorWithCustomDomain(t *testing.T) {
	plan := run(t, func(a *Args) { a.CustomDomain, a.OriginHTTPS = "app.example.com", true })
	comp := plan.Find(typeToken, "edge")
	kids := plan.Children(comp.URN)
	assert.Len(t, kids, 9, "profile, endpoint, origin group, two origins, custom domain, WAF policy, security policy, route")
	for _, k := range kids {
		assert.Equal(t, "azure-native-eastus2", k.ProviderResource().Name)
	}
	prof := plan.Find("azure-native:cdn:Profile", "edge")
	ep := plan.Find("azure-native:cdn:AFDEndpoint", "edge")
	og := plan.Find("azure-native:cdn:AFDOriginGroup", "edge-origins")
	cd := plan.Find("azure-native:cdn:AFDCustomDomain", "edge-domain")
	route := plan.Find("azure-native:cdn:Route", "edge-route")
	assert.Equal(t, "Standard_AzureFrontDoor", prof.InputString("sku.name"))
	assert.Equal(t, "/healthz", og.InputString("healthProbeSettings.probePath"))
	assert.Equal(t, "Https", og.InputString("healthProbeSettings.probeProtocol"))
	for i, k := range []string{"primary", "secondary"} {
		o := plan.Find("azure-native:cdn:AFDOrigin", "edge-"+k)
		assert.True(t, o.InputFrom("originGroupName", og), "origin %s is in the group", k)
		assert.True(t, o.InputFrom("hostName", plan.Find("azure-native:network:PublicIPAddress", "ip-"+k)), "origin %s is the %s gateway", k, k)
		assert.Equal(t, float64(i+1), o.Input("priority"))
		assert.Equal(t, "app.example.com", o.InputString("originHostHeader"))
		assert.Equal(t, true, o.Input("enforceCertificateNameCheck"))
		assert.True(t, route.DependsOn(o))
	}
	assert.Equal(t, "ManagedCertificate", cd.InputString("tlsSettings.certificateType"))
	assert.Equal(t, "TLS12", cd.InputString("tlsSettings.minimumTlsVersion"))
	assert.True(t, route.InputFrom("originGroup", og))
	assert.True(t, route.InputFrom("endpointName", ep))
	assert.True(t, route.InputFrom("customDomains", cd))
	assert.Equal(t, "Enabled", route.InputString("httpsRedirect"))
	assert.Equal(t, "HttpsOnly", route.InputString("forwardingProtocol"))
	assert.Equal(t, ep.Output("hostName"), plan.Outputs["host"])
	assert.Equal(t, cd.Output("validationProperties.validationToken"), plan.Outputs["token"])

	waf := plan.Find("azure-native:network:Policy", "edge-waf")
	sec := plan.Find("azure-native:cdn:SecurityPolicy", "edge-security")
	require.NotNil(t, waf)
	require.NotNil(t, sec)
	assert.Equal(t, "wafedge", waf.InputString("policyName"))
	assert.Equal(t, "Prevention", waf.InputString("policySettings.mode"))
	assert.Equal(t, "Standard_AzureFrontDoor", waf.InputString("sku.name"))
	assert.Equal(t, "RateLimitRule", waf.InputString("customRules.rules.0.ruleType"))
	assert.Equal(t, float64(1000), waf.Input("customRules.rules.0.rateLimitThreshold"))
	assert.Nil(t, waf.Input("managedRules"), "Standard has no managed rule sets")
	assert.True(t, sec.InputFrom("profileName", prof))
	assert.True(t, sec.InputFrom("parameters", waf), "the security policy applies the WAF policy")
	assert.Equal(t, ep.ID, sec.InputString("parameters.associations.0.domains.0.id"), "to the endpoint")
	assert.Equal(t, cd.ID, sec.InputString("parameters.associations.0.domains.1.id"), "and the custom domain")
	assert.NotEmpty(t, plan.Outputs["token"])
}

func TestPremiumFrontDoorRunsManagedRules(t *testing.T) {
	plan := run(t, func(a *Args) { a.SKU = "Premium_AzureFrontDoor" })
	waf := plan.Find("azure-native:network:Policy", "edge-waf")
	assert.Equal(t, "Premium_AzureFrontDoor", waf.InputString("sku.name"))
	assert.Equal(t, "Microsoft_DefaultRuleSet", waf.InputString("managedRules.managedRuleSets.0.ruleSetType"))
	assert.Equal(t, "Block", waf.InputString("managedRules.managedRuleSets.0.ruleSetAction"))
	assert.Nil(t, waf.Input("customRules"))
	sec := plan.Find("azure-native:cdn:SecurityPolicy", "edge-security")
	assert.Len(t, sec.Input("parameters.associations.0.domains").([]any), 1, "the endpoint only, no custom domain")
}

func TestFrontDoorHTTPOrigins(t *testing.T) {
	plan := run(t, func(a *Args) {})
	route := plan.Find("azure-native:cdn:Route", "edge-route")
	assert.Equal(t, "HttpOnly", route.InputString("forwardingProtocol"), "dev mode: gateways serve HTTP only")
	assert.Equal(t, "Enabled", route.InputString("httpsRedirect"), "viewers still get HTTPS")
	assert.Nil(t, plan.Find("azure-native:cdn:AFDCustomDomain", "edge-domain"))
	assert.Equal(t, "", plan.Outputs["token"])
	o := plan.Find("azure-native:cdn:AFDOrigin", "edge-primary")
	assert.True(t, o.InputFrom("originHostHeader", plan.Find("azure-native:network:PublicIPAddress", "ip-primary")))
}

// TestClassicCDNIsRefused: Azure no longer creates Azure CDN Standard from Microsoft (classic)
// profiles (new profiles stopped in 2025; the tier retires on 30 September 2027), so a classic
// CDN would fail at the first deploy. Rule: "Azure CDN Standard from Microsoft (classic)
// retirement FAQ" (https://learn.microsoft.com/azure/cdn/classic-cdn-retirement-faq).
func TestClassicCDNIsRefused(t *testing.T) {
	a := base()
	a.Kind = KindClassic
	err := a.Validate()
	require.Error(t, err)
	assert.Contains(t, err.Error(), `Kind "classic" is not allowed: Azure no longer creates Azure CDN Standard from Microsoft (classic) profiles: want "frontdoor"`)
	plan, err := testkit.Run(func(ctx *pulumi.Context) error {
		_, err := New(ctx, "edge", &a)
		return err
	})
	require.Error(t, err)
	assert.Nil(t, plan, "nothing registered")
}

// TestFrontDoorIDIsTheProfilesID: the gateways admit only requests whose X-Azure-FDID header is
// the profile's frontDoorId (https://learn.microsoft.com/azure/frontdoor/origin-security), so
// the component exports exactly that output of the profile.
func TestFrontDoorIDIsTheProfilesID(t *testing.T) {
	plan := run(t, func(*Args) {})
	prof := plan.Find("azure-native:cdn:Profile", "edge")
	require.NotNil(t, prof)
	assert.NotEmpty(t, prof.Output("frontDoorId"))
	assert.Equal(t, prof.Output("frontDoorId"), plan.Outputs["fdid"])
}
