// Package cdn puts a content delivery network in front of the scalestack backend's gateways:
// Azure Front Door Standard/Premium (profile, endpoint, an origin group holding every region's
// gateway in priority order with health probes on the health path, and a route that accepts
// HTTPS, redirects HTTP to HTTPS and forwards over HTTPS), optionally with a custom domain
// whose certificate Front Door manages. The origin group is also the regional failover: when
// the primary gateway fails its probes, Front Door sends traffic to the next one.
//
// Azure CDN Standard from Microsoft (classic) is not offered: Azure no longer creates classic
// profiles (https://learn.microsoft.com/azure/cdn/classic-cdn-retirement-faq).
//
// FrontDoorID is the profile's ID that Front Door sends to origins in the X-Azure-FDID header;
// the gateways admit only requests that carry it.
//
// Front Door is protected by a WAF policy in prevention mode, attached to the endpoint and the
// custom domain through a security policy: with the Premium tier it runs the Microsoft default
// rule set and the bot manager rule set; the Standard tier has no managed rules, so it gets a
// per-client rate limit (RateLimitPerMinute) as a custom rule.
//
// Full-page caching (unless DisableCaching): the route caches (each URL with its query string a
// key, responses compressed), and a rule set decides per request, in order, stopping at the
// first match:
//
//  1. StaticPath (default /static/): cached StaticTTLDays (default 365) whatever the origin
//     says (OverrideAlways): fingerprint the file names and a deploy needs no purge;
//  2. a request with an Authorization header or 3. a Cookie header is not anonymous: not
//     cached (a route configuration override without a cache configuration);
//  4. an anonymous GET: the origin's Cache-Control (s-maxage, max-age, private, no-store)
//     decides, and a response without one is cached PageTTLSeconds (default 60) instead of
//     Front Door's default of one to three days (OverrideIfOriginMissing).
//
// Front Door caches GET requests only; other methods always reach the origin
// (https://learn.microsoft.com/azure/frontdoor/front-door-caching). A deploy that changes pages
// purges them: `az afd endpoint purge` (docs/operations.md).
//
// Front Door's managed certificate needs the domain's ownership proven: the component exports
// the validation token, which the caller publishes as the TXT record _dnsauth.<domain> (the
// backend component does so in the DNS zone it owns).
package cdn

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/pulumi/pulumi-azure-native-sdk/cdn/v2"
	"github.com/pulumi/pulumi-azure-native-sdk/network/v2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/scalestack/scalestack/providers"
	"github.com/scalestack/scalestack/providers/azureregions"
)

// typeToken is part of every child's URN: changing it needs pulumi.Aliases.
const typeToken = "scalestack:azure:CDN"

// Kinds of CDN.
const (
	// KindFrontDoor is Azure Front Door Standard/Premium.
	KindFrontDoor = "frontdoor"
	// KindClassic is Azure CDN Standard from Microsoft (classic), which Azure no longer
	// creates: refused.
	KindClassic = "classic"
)

// Origin is one region's gateway.
type Origin struct {
	// Key names the origin ("primary" → <name>-primary). Required, unique.
	Key string
	// HostName is the gateway's DNS name. Required.
	HostName pulumi.StringInput
}

// Args configures a CDN. Zero values mean the documented default.
type Args struct {
	// Kind is "frontdoor" (default, the only kind: "classic" is refused).
	Kind string
	// SKU is the Front Door tier: "Standard_AzureFrontDoor" (default) or
	// "Premium_AzureFrontDoor".
	SKU string
	// ResourceGroupName holds the profile. Required.
	ResourceGroupName pulumi.StringInput
	// Origins in priority order: the first serves, the others take over when it is unhealthy.
	// Required: 1 to 10.
	Origins []Origin
	// OriginHTTPS says the gateways terminate HTTPS, so the CDN forwards over HTTPS and checks
	// their certificates. Default: false: the CDN forwards over plain HTTP (a dev mode the
	// policy pack flags); viewers still get HTTPS only.
	OriginHTTPS bool
	// OriginHostHeader is the Host the gateways are asked for (and their certificate's name).
	// Default: the custom domain when set, else each origin's host name.
	OriginHostHeader string
	// HealthProbePath is probed on every origin. Default: /healthz.
	HealthProbePath string
	// CustomDomain is the public host name served with a Front Door managed certificate.
	// Default: none (the endpoint's azurefd.net name only). Front Door only.
	CustomDomain string
	// RateLimitPerMinute is the Front Door WAF's per-client-IP request limit per minute.
	// Default: 1000. Allowed: 10-1000000.
	RateLimitPerMinute int
	// DisableCaching turns the route's caching and the caching rule set off. Default: false.
	DisableCaching bool
	// StaticPath is the path prefix of long-lived static files. Default: /static/. Allowed: a
	// path of letters, digits, "-", "_", "." and "/" that starts and ends with "/".
	StaticPath string
	// StaticTTLDays is how long the static path is cached. Default: 365. Allowed: 1-366.
	StaticTTLDays int
	// PageTTLSeconds caches an anonymous GET whose response has no Cache-Control or Expires.
	// Default: 60. Allowed: 1-86399.
	PageTTLSeconds int
	// Tags are added to every child that takes tags.
	Tags map[string]string
}

type resolved struct{ Args }

var (
	keyRE    = regexp.MustCompile(`^[a-z][a-z0-9-]{0,30}$`)
	staticRE = regexp.MustCompile(`^/([A-Za-z0-9._-]+/)+$`)
	domainRE = regexp.MustCompile(`^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$`)
)

// Validate checks args (with the defaults applied) without registering anything.
func (a *Args) Validate() error {
	_, err := a.resolve()
	return err
}

func (a *Args) resolve() (*resolved, error) {
	if a == nil {
		return nil, fmt.Errorf("args are required: want ResourceGroupName and Origins")
	}
	r := &resolved{*a}
	if r.Kind == "" {
		r.Kind = KindFrontDoor
	}
	if r.SKU == "" && r.Kind == KindFrontDoor {
		r.SKU = "Standard_AzureFrontDoor"
	}
	if r.HealthProbePath == "" {
		r.HealthProbePath = "/healthz"
	}
	if r.OriginHostHeader == "" {
		r.OriginHostHeader = r.CustomDomain
	}
	if r.RateLimitPerMinute == 0 {
		r.RateLimitPerMinute = 1000
	}
	if r.StaticPath == "" {
		r.StaticPath = "/static/"
	}
	if r.StaticTTLDays == 0 {
		r.StaticTTLDays = 365
	}
	if r.PageTTLSeconds == 0 {
		r.PageTTLSeconds = 60
	}
	switch {
	case r.Kind == KindClassic:
		return nil, fmt.Errorf("Kind %q is not allowed: Azure no longer creates Azure CDN Standard from Microsoft (classic) profiles: want %q", r.Kind, KindFrontDoor)
	case r.Kind != KindFrontDoor:
		return nil, fmt.Errorf("Kind %q is not allowed: want %q", r.Kind, KindFrontDoor)
	case r.SKU != "Standard_AzureFrontDoor" && r.SKU != "Premium_AzureFrontDoor":
		return nil, fmt.Errorf("SKU %q is not allowed for Front Door: want Standard_AzureFrontDoor or Premium_AzureFrontDoor", r.SKU)
	case r.ResourceGroupName == nil:
		return nil, fmt.Errorf("ResourceGroupName is required")
	case r.RateLimitPerMinute < 10 || r.RateLimitPerMinute > 1000000:
		return nil, fmt.Errorf("RateLimitPerMinute %d is not allowed: want 10-1000000", r.RateLimitPerMinute)
	case len(r.Origins) < 1 || len(r.Origins) > 10:
		return nil, fmt.Errorf("Origins has %d entries: want 1-10, in priority order", len(r.Origins))
	case !strings.HasPrefix(r.HealthProbePath, "/"):
		return nil, fmt.Errorf("HealthProbePath %q is not allowed: want a path starting with \"/\"", r.HealthProbePath)
	case r.CustomDomain != "" && !domainRE.MatchString(r.CustomDomain):
		return nil, fmt.Errorf("CustomDomain %q is not a DNS name: want a host name such as app.example.com", r.CustomDomain)
	case !staticRE.MatchString(r.StaticPath):
		return nil, fmt.Errorf("StaticPath %q is not allowed: want a path that starts and ends with \"/\", such as /static/", r.StaticPath)
	// A rule's cache duration is at most 366 days, as d.hh:mm:ss, and under a day as hh:mm:ss.
	case r.StaticTTLDays < 1 || r.StaticTTLDays > 366:
		return nil, fmt.Errorf("StaticTTLDays %d is not allowed: want 1-366 (Front Door caches for at most 366 days)", r.StaticTTLDays)
	case r.PageTTLSeconds < 1 || r.PageTTLSeconds > 86399:
		return nil, fmt.Errorf("PageTTLSeconds %d is not allowed: want 1-86399", r.PageTTLSeconds)
	}
	seen := map[string]bool{}
	for i, o := range r.Origins {
		switch {
		case !keyRE.MatchString(o.Key) || seen[o.Key]:
			return nil, fmt.Errorf("Origins[%d].Key %q is not allowed: want a unique lowercase name such as primary", i, o.Key)
		case o.HostName == nil:
			return nil, fmt.Errorf("Origins[%d].HostName is required: the gateway's DNS name", i)
		}
		seen[o.Key] = true
	}
	return r, nil
}

// CDN is the CDN profile and what serves through it.
type CDN struct {
	pulumi.ResourceState

	// HostName is the endpoint's own host name (*.azurefd.net).
	HostName pulumi.StringOutput `pulumi:"hostName"`
	// FrontDoorID is the profile's Front Door ID, sent to origins in the X-Azure-FDID header.
	FrontDoorID pulumi.StringOutput `pulumi:"frontDoorId"`
	// EndpointID is the endpoint's ARM ID (a DNS alias record target).
	EndpointID pulumi.StringOutput `pulumi:"endpointId"`
	// ProfileID is the profile's ARM ID (its metrics' resource).
	ProfileID pulumi.StringOutput `pulumi:"profileId"`
	// ValidationToken is the custom domain's ownership token for the TXT record
	// _dnsauth.<domain>; "" without a custom domain.
	ValidationToken pulumi.StringOutput `pulumi:"validationToken"`

	// Kind is the resolved kind.
	Kind string
}

// New validates args, applies defaults and registers the CDN.
func New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*CDN, error) {
	a, err := args.resolve()
	if err != nil {
		return nil, fmt.Errorf("cdn %q: %w", name, err)
	}
	c := &CDN{Kind: a.Kind}
	if err := ctx.RegisterComponentResource(typeToken, name, c, opts...); err != nil {
		return nil, err
	}
	parent := pulumi.Parent(c)
	tags := azureregions.Tags(providers.Tags(a.Tags), map[string]string{"tier": "edge"})

	profile, err := cdn.NewProfile(ctx, name, &cdn.ProfileArgs{
		ResourceGroupName:            a.ResourceGroupName,
		Location:                     pulumi.String("Global"),
		Sku:                          &cdn.SkuArgs{Name: pulumi.String(a.SKU)},
		OriginResponseTimeoutSeconds: pulumi.Int(60),
		Tags:                         tags,
	}, parent)
	if err != nil {
		return nil, fmt.Errorf("creating CDN profile: %w", err)
	}
	if err := c.frontDoor(ctx, name, a, profile, tags, parent); err != nil {
		return nil, err
	}
	c.FrontDoorID = profile.FrontDoorId
	c.ProfileID = profile.ID().ToStringOutput()
	return c, ctx.RegisterResourceOutputs(c, pulumi.Map{
		"hostName": c.HostName, "endpointId": c.EndpointID, "validationToken": c.ValidationToken,
		"frontDoorId": c.FrontDoorID, "profileId": c.ProfileID,
	})
}

func (a *resolved) hostHeader(o Origin) pulumi.StringInput {
	if a.OriginHostHeader != "" {
		return pulumi.String(a.OriginHostHeader)
	}
	return o.HostName
}

func (c *CDN) frontDoor(ctx *pulumi.Context, name string, a *resolved, profile *cdn.Profile, tags pulumi.StringMap, parent pulumi.ResourceOption) error {
	ep, err := cdn.NewAFDEndpoint(ctx, name, &cdn.AFDEndpointArgs{
		ResourceGroupName: a.ResourceGroupName,
		ProfileName:       profile.Name,
		Location:          pulumi.String("Global"),
		EnabledState:      pulumi.String("Enabled"),
		Tags:              tags,
	}, parent)
	if err != nil {
		return fmt.Errorf("creating Front Door endpoint: %w", err)
	}
	probeProtocol := cdn.ProbeProtocolHttp
	forwarding := "HttpOnly"
	if a.OriginHTTPS {
		probeProtocol, forwarding = cdn.ProbeProtocolHttps, "HttpsOnly"
	}
	og, err := cdn.NewAFDOriginGroup(ctx, name+"-origins", &cdn.AFDOriginGroupArgs{
		ResourceGroupName: a.ResourceGroupName,
		ProfileName:       profile.Name,
		HealthProbeSettings: &cdn.HealthProbeParametersArgs{
			ProbePath:              pulumi.String(a.HealthProbePath),
			ProbeProtocol:          probeProtocol,
			ProbeRequestType:       cdn.HealthProbeRequestTypeHEAD,
			ProbeIntervalInSeconds: pulumi.Int(30),
		},
		LoadBalancingSettings: &cdn.LoadBalancingSettingsParametersArgs{
			SampleSize: pulumi.Int(4), SuccessfulSamplesRequired: pulumi.Int(3), AdditionalLatencyInMilliseconds: pulumi.Int(50),
		},
		SessionAffinityState: pulumi.String("Disabled"),
	}, parent)
	if err != nil {
		return fmt.Errorf("creating origin group: %w", err)
	}
	var origins []pulumi.Resource
	for i, o := range a.Origins {
		org, err := cdn.NewAFDOrigin(ctx, name+"-"+o.Key, &cdn.AFDOriginArgs{
			ResourceGroupName:           a.ResourceGroupName,
			ProfileName:                 profile.Name,
			OriginGroupName:             og.Name,
			HostName:                    o.HostName,
			OriginHostHeader:            a.hostHeader(o),
			HttpPort:                    pulumi.Int(80),
			HttpsPort:                   pulumi.Int(443),
			Priority:                    pulumi.Int(i + 1),
			Weight:                      pulumi.Int(1000),
			EnabledState:                pulumi.String("Enabled"),
			EnforceCertificateNameCheck: pulumi.Bool(true),
		}, parent)
		if err != nil {
			return fmt.Errorf("creating origin %q: %w", o.Key, err)
		}
		origins = append(origins, org)
	}
	routeArgs := &cdn.RouteArgs{
		ResourceGroupName:   a.ResourceGroupName,
		ProfileName:         profile.Name,
		EndpointName:        ep.Name,
		OriginGroup:         &cdn.ResourceReferenceArgs{Id: og.ID()},
		PatternsToMatch:     pulumi.StringArray{pulumi.String("/*")},
		SupportedProtocols:  pulumi.StringArray{pulumi.String("Http"), pulumi.String("Https")},
		HttpsRedirect:       pulumi.String("Enabled"),
		ForwardingProtocol:  pulumi.String(forwarding),
		LinkToDefaultDomain: pulumi.String("Enabled"),
		EnabledState:        pulumi.String("Enabled"),
	}
	if !a.DisableCaching {
		rs, err := a.caching(ctx, name, profile, parent)
		if err != nil {
			return err
		}
		routeArgs.CacheConfiguration = &cdn.AfdRouteCacheConfigurationArgs{
			QueryStringCachingBehavior: pulumi.String("UseQueryString"),
			CompressionSettings: &cdn.CompressionSettingsArgs{
				IsCompressionEnabled:   pulumi.Bool(true),
				ContentTypesToCompress: pulumi.ToStringArray(compressible),
			},
		}
		routeArgs.RuleSets = cdn.ResourceReferenceArray{&cdn.ResourceReferenceArgs{Id: rs.ID()}}
	}
	c.ValidationToken = pulumi.String("").ToStringOutput()
	routeArgs.CustomDomains = cdn.ActivatedResourceReferenceArray{}
	if a.CustomDomain != "" {
		cd, err := cdn.NewAFDCustomDomain(ctx, name+"-domain", &cdn.AFDCustomDomainArgs{
			ResourceGroupName: a.ResourceGroupName,
			ProfileName:       profile.Name,
			HostName:          pulumi.String(a.CustomDomain),
			TlsSettings: &cdn.AFDDomainHttpsParametersArgs{
				CertificateType:   pulumi.String("ManagedCertificate"),
				MinimumTlsVersion: cdn.AfdMinimumTlsVersionTLS12,
			},
		}, parent)
		if err != nil {
			return fmt.Errorf("creating custom domain: %w", err)
		}
		routeArgs.CustomDomains = cdn.ActivatedResourceReferenceArray{&cdn.ActivatedResourceReferenceArgs{Id: cd.ID()}}
		c.ValidationToken = cd.ValidationProperties.ValidationToken()
	}
	domains := cdn.ActivatedResourceReferenceArray{&cdn.ActivatedResourceReferenceArgs{Id: ep.ID()}}
	domains = append(domains, routeArgs.CustomDomains.(cdn.ActivatedResourceReferenceArray)...)
	if err := a.firewall(ctx, name, profile, domains, tags, parent); err != nil {
		return err
	}
	// The route needs the origins to exist (Front Door rejects a route to an empty group).
	if _, err := cdn.NewRoute(ctx, name+"-route", routeArgs, parent, pulumi.DependsOn(origins)); err != nil {
		return fmt.Errorf("creating route: %w", err)
	}
	c.HostName = ep.HostName
	c.EndpointID = ep.ID().ToStringOutput()
	return nil
}

// compressible are the content types Front Door compresses.
var compressible = []string{"text/html", "text/css", "text/plain", "application/javascript", "application/json", "image/svg+xml"}

// duration is a rule's cache duration: d.hh:mm:ss from a day on, hh:mm:ss under a day.
func duration(seconds int) string {
	d, rest := seconds/86400, seconds%86400
	hms := fmt.Sprintf("%02d:%02d:%02d", rest/3600, rest%3600/60, rest%60)
	if d > 0 {
		return fmt.Sprintf("%d.%s", d, hms)
	}
	return hms
}

// override is a route configuration override action; a nil cache configuration turns
// caching off for the request.
func override(cache *cdn.CacheConfigurationArgs) pulumi.Array {
	p := &cdn.RouteConfigurationOverrideActionParametersArgs{TypeName: pulumi.String("DeliveryRuleRouteConfigurationOverrideActionParameters")}
	if cache != nil {
		p.CacheConfiguration = cache
	}
	return pulumi.Array{&cdn.DeliveryRuleRouteConfigurationOverrideActionArgs{Name: pulumi.String("RouteConfigurationOverride"), Parameters: p}}
}

func hasHeader(header string) pulumi.Array {
	return pulumi.Array{&cdn.DeliveryRuleRequestHeaderConditionArgs{Name: pulumi.String("RequestHeader"), Parameters: &cdn.RequestHeaderMatchConditionParametersArgs{
		TypeName: pulumi.String("DeliveryRuleRequestHeaderConditionParameters"), Selector: pulumi.String(header), Operator: pulumi.String("Any"),
	}}}
}

// caching registers the rule set of the full-page caching (see the package comment).
func (a *resolved) caching(ctx *pulumi.Context, name string, profile *cdn.Profile, parent pulumi.ResourceOption) (*cdn.RuleSet, error) {
	rs, err := cdn.NewRuleSet(ctx, name+"-caching", &cdn.RuleSetArgs{
		ResourceGroupName: a.ResourceGroupName,
		ProfileName:       profile.Name,
		// Rule set and rule names are letters and digits, starting with a letter.
		RuleSetName: pulumi.String("caching"),
	}, parent)
	if err != nil {
		return nil, fmt.Errorf("creating caching rule set: %w", err)
	}
	// The rules engine's URL path is matched without its leading "/"; the prefix is listed
	// both ways, so the rule matches whichever form the engine compares.
	static := strings.TrimPrefix(a.StaticPath, "/")
	rules := []struct {
		key        string
		conditions pulumi.Array
		actions    pulumi.Array
	}{
		{"static", pulumi.Array{&cdn.DeliveryRuleUrlPathConditionArgs{Name: pulumi.String("UrlPath"), Parameters: &cdn.UrlPathMatchConditionParametersArgs{
			TypeName: pulumi.String("DeliveryRuleUrlPathMatchConditionParameters"), Operator: pulumi.String("BeginsWith"),
			MatchValues: pulumi.StringArray{pulumi.String(static), pulumi.String(a.StaticPath)}, Transforms: pulumi.StringArray{pulumi.String("Lowercase")},
		}}}, override(&cdn.CacheConfigurationArgs{
			CacheBehavior: pulumi.String("OverrideAlways"), CacheDuration: pulumi.String(duration(a.StaticTTLDays * 86400)),
			QueryStringCachingBehavior: pulumi.String("UseQueryString"), IsCompressionEnabled: pulumi.String("Enabled"),
		})},
		{"authorized", hasHeader("Authorization"), override(nil)},
		{"cookies", hasHeader("Cookie"), override(nil)},
		{"anonymous", pulumi.Array{&cdn.DeliveryRuleRequestMethodConditionArgs{Name: pulumi.String("RequestMethod"), Parameters: &cdn.RequestMethodMatchConditionParametersArgs{
			TypeName: pulumi.String("DeliveryRuleRequestMethodConditionParameters"), Operator: pulumi.String("Equal"), MatchValues: pulumi.StringArray{pulumi.String("GET")},
		}}}, override(&cdn.CacheConfigurationArgs{
			CacheBehavior: pulumi.String("OverrideIfOriginMissing"), CacheDuration: pulumi.String(duration(a.PageTTLSeconds)),
			QueryStringCachingBehavior: pulumi.String("UseQueryString"), IsCompressionEnabled: pulumi.String("Enabled"),
		})},
	}
	for i, r := range rules {
		if _, err := cdn.NewRule(ctx, name+"-caching-"+r.key, &cdn.RuleArgs{
			ResourceGroupName:       a.ResourceGroupName,
			ProfileName:             profile.Name,
			RuleSetName:             rs.Name,
			RuleName:                pulumi.String(r.key),
			Order:                   pulumi.Int(i + 1),
			Conditions:              r.conditions,
			Actions:                 r.actions,
			MatchProcessingBehavior: pulumi.String("Stop"),
		}, parent); err != nil {
			return nil, fmt.Errorf("creating caching rule %q: %w", r.key, err)
		}
	}
	return rs, nil
}

// firewall registers the Front Door WAF policy and the security policy that applies it to
// domains (the endpoint and the custom domain).
func (a *resolved) firewall(ctx *pulumi.Context, name string, profile *cdn.Profile, domains cdn.ActivatedResourceReferenceArray, tags pulumi.StringMap, parent pulumi.ResourceOption) error {
	wargs := &network.PolicyArgs{
		// Front Door WAF policy names are letters and digits only, starting with a letter,
		// unique in the resource group.
		PolicyName:        pulumi.String("waf" + alnum(name)),
		ResourceGroupName: a.ResourceGroupName,
		Location:          pulumi.String("Global"),
		Sku:               &network.SkuArgs{Name: pulumi.String(a.SKU)},
		PolicySettings: &network.FrontDoorPolicySettingsArgs{
			EnabledState:     pulumi.String("Enabled"),
			Mode:             pulumi.String("Prevention"),
			RequestBodyCheck: pulumi.String("Enabled"),
		},
		Tags: tags,
	}
	if a.SKU == "Premium_AzureFrontDoor" {
		wargs.ManagedRules = &network.ManagedRuleSetListArgs{ManagedRuleSets: network.FrontDoorManagedRuleSetArray{
			&network.FrontDoorManagedRuleSetArgs{RuleSetType: pulumi.String("Microsoft_DefaultRuleSet"), RuleSetVersion: pulumi.String("2.1"), RuleSetAction: pulumi.String("Block")},
			&network.FrontDoorManagedRuleSetArgs{RuleSetType: pulumi.String("Microsoft_BotManagerRuleSet"), RuleSetVersion: pulumi.String("1.1")},
		}}
	} else {
		wargs.CustomRules = &network.CustomRuleListArgs{Rules: network.CustomRuleArray{&network.CustomRuleArgs{
			Name:                       pulumi.String("ratelimitperclient"),
			Priority:                   pulumi.Int(100),
			EnabledState:               pulumi.String("Enabled"),
			RuleType:                   pulumi.String("RateLimitRule"),
			RateLimitDurationInMinutes: pulumi.Int(1),
			RateLimitThreshold:         pulumi.Int(a.RateLimitPerMinute),
			Action:                     pulumi.String("Block"),
			MatchConditions: network.FrontDoorMatchConditionArray{&network.FrontDoorMatchConditionArgs{
				MatchVariable: pulumi.String("RemoteAddr"),
				Operator:      pulumi.String("IPMatch"),
				MatchValue:    pulumi.StringArray{pulumi.String("0.0.0.0/0"), pulumi.String("::/0")},
			}},
		}}}
	}
	waf, err := network.NewPolicy(ctx, name+"-waf", wargs, parent)
	if err != nil {
		return fmt.Errorf("creating Front Door WAF policy: %w", err)
	}
	if _, err := cdn.NewSecurityPolicy(ctx, name+"-security", &cdn.SecurityPolicyArgs{
		ResourceGroupName: a.ResourceGroupName,
		ProfileName:       profile.Name,
		Parameters: &cdn.SecurityPolicyWebApplicationFirewallParametersArgs{
			Type:      pulumi.String("WebApplicationFirewall"),
			WafPolicy: &cdn.ResourceReferenceArgs{Id: waf.ID()},
			Associations: cdn.SecurityPolicyWebApplicationFirewallAssociationArray{&cdn.SecurityPolicyWebApplicationFirewallAssociationArgs{
				Domains:         domains,
				PatternsToMatch: pulumi.StringArray{pulumi.String("/*")},
			}},
		},
	}, parent); err != nil {
		return fmt.Errorf("creating security policy: %w", err)
	}
	return nil
}

// alnum keeps the letters and digits of s, lowercased.
func alnum(s string) string {
	return regexp.MustCompile(`[^a-z0-9]`).ReplaceAllString(strings.ToLower(s), "")
}
