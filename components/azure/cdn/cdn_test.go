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
	assert.Len(t, kids, 14, "profile, endpoint, origin group, two origins, custom domain, WAF policy, security policy, route, caching rule set and its four rules")
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

func TestCachingArgsErrors(t *testing.T) {
	for _, tc := range []struct {
		edit func(*Args)
		want string
	}{
		{func(a *Args) { a.StaticPath = "static" }, `StaticPath "static" is not allowed`},
		{func(a *Args) { a.StaticPath = "/a b/" }, `StaticPath "/a b/" is not allowed`},
		{func(a *Args) { a.StaticTTLDays = 400 }, "StaticTTLDays 400 is not allowed: want 1-366"},
		{func(a *Args) { a.PageTTLSeconds = 86400 }, "PageTTLSeconds 86400 is not allowed: want 1-86399"},
	} {
		a := Args{ResourceGroupName: pulumi.String("rg"), Origins: []Origin{{Key: "primary", HostName: pulumi.String("gw")}}}
		tc.edit(&a)
		err := a.Validate()
		if assert.Error(t, err, tc.want) {
			assert.Contains(t, err.Error(), tc.want)
		}
	}
}

// A rule's cache duration is d.hh:mm:ss, at most 366 days, and hh:mm:ss under a day
// (CacheConfiguration.cacheDuration, "Allowed format is [d.]hh:mm:ss", in
// sdk/go/azure/cdn/pulumiTypes.go of azure-native v2.90.0; the 366-day cap is the rules
// engine's: https://learn.microsoft.com/azure/frontdoor/front-door-rules-engine-actions).
func TestRuleCacheDurationsUseTheDayHourMinuteSecondFormat(t *testing.T) {
	assert.Equal(t, "00:01:00", duration(60))
	assert.Equal(t, "23:59:59", duration(86399))
	assert.Equal(t, "365.00:00:00", duration(365*86400))
	assert.Equal(t, "1.01:00:01", duration(90001))
}

// Front Door caches GET requests only, honours the origin's Cache-Control (s-maxage, max-age,
// private, no-cache, no-store) under HonorOrigin and OverrideIfOriginMissing, and without a
// directive caches for one to three days unless a rule sets the duration
// (https://learn.microsoft.com/azure/frontdoor/front-door-caching); a route configuration
// override without a cacheConfiguration turns caching off for the request ("To disable
// caching, do not provide a cacheConfiguration object", RouteConfigurationOverrideActionParameters
// in azure-native v2.90.0).
func TestFrontDoorCachesAnonymousGetsHonouringTheOriginAndTheStaticPathLong(t *testing.T) {
	plan := run(t, func(a *Args) {})
	rs := plan.Find("azure-native:cdn:RuleSet", "edge-caching")
	route := plan.Find("azure-native:cdn:Route", "edge-route")
	require.NotNil(t, rs)
	assert.True(t, route.InputFrom("ruleSets", rs), "the route runs the caching rules")
	assert.Equal(t, "UseQueryString", route.Input("cacheConfiguration.queryStringCachingBehavior"))
	assert.Equal(t, true, route.Input("cacheConfiguration.compressionSettings.isCompressionEnabled"))

	type rule struct {
		order float64
		cache map[string]any
		cond  map[string]any
	}
	rules := map[string]rule{}
	for _, k := range []string{"static", "authorized", "cookies", "anonymous"} {
		r := plan.Find("azure-native:cdn:Rule", "edge-caching-"+k)
		require.NotNil(t, r, k)
		assert.True(t, r.InputFrom("ruleSetName", rs), k)
		assert.Equal(t, "Stop", r.InputString("matchProcessingBehavior"), k)
		act := r.Input("actions.0").(map[string]any)
		assert.Equal(t, "RouteConfigurationOverride", act["name"], k)
		c, _ := act["parameters"].(map[string]any)["cacheConfiguration"].(map[string]any)
		rules[k] = rule{r.Input("order").(float64), c, r.Input("conditions.0").(map[string]any)}
	}
	// In order: static, then the non-anonymous requests, then anonymous GETs.
	assert.Equal(t, []float64{1, 2, 3, 4}, []float64{rules["static"].order, rules["authorized"].order, rules["cookies"].order, rules["anonymous"].order})
	assert.Equal(t, "OverrideAlways", rules["static"].cache["cacheBehavior"])
	assert.Equal(t, "365.00:00:00", rules["static"].cache["cacheDuration"])
	assert.Equal(t, []any{"static/", "/static/"}, rules["static"].cond["parameters"].(map[string]any)["matchValues"])
	assert.Nil(t, rules["authorized"].cache, "requests with credentials are not cached")
	assert.Equal(t, "Authorization", rules["authorized"].cond["parameters"].(map[string]any)["selector"])
	assert.Nil(t, rules["cookies"].cache, "requests with cookies are not cached")
	assert.Equal(t, "Cookie", rules["cookies"].cond["parameters"].(map[string]any)["selector"])
	assert.Equal(t, "OverrideIfOriginMissing", rules["anonymous"].cache["cacheBehavior"], "the origin's Cache-Control decides")
	assert.Equal(t, "00:01:00", rules["anonymous"].cache["cacheDuration"], "not Front Door's one to three days")
	assert.Equal(t, []any{"GET"}, rules["anonymous"].cond["parameters"].(map[string]any)["matchValues"])

	off := run(t, func(a *Args) { a.DisableCaching = true })
	assert.Nil(t, off.Find("azure-native:cdn:RuleSet", "edge-caching"))
	assert.Nil(t, off.Find("azure-native:cdn:Route", "edge-route").Input("cacheConfiguration"))
}
