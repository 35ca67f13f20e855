// Package loadbalancer creates a global external Application Load Balancer on Google Cloud
// in front of managed instance groups in one or more regions, with Cloud CDN: one anycast
// address, a health check, a backend service holding every region's group (the load
// balancer sends traffic to the healthy region nearest the user, so a region that fails its
// health checks is failed over from), a URL map, a Google-managed certificate for the given
// domains behind an HTTPS proxy with a TLS 1.2+ SSL policy, an HTTP to HTTPS redirect and
// request logging. With CDN on, Cloud CDN caches on the backend service with a cache policy,
// and static assets can be served from a bucket (uniform bucket-level access) through a
// CDN-enabled backend bucket under /static/.
//
// All of it is global; the provider given in opts supplies the project.
package loadbalancer

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/pulumi/pulumi-gcp/sdk/v7/go/gcp/compute"
	"github.com/pulumi/pulumi-gcp/sdk/v7/go/gcp/storage"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

const typeToken = "scalestack:gcp:LoadBalancer"

// Cloud CDN settings: pages honour the origin's Cache-Control; static assets are cached long.
const (
	// PageCacheMode is the backend service's cache mode.
	PageCacheMode = "USE_ORIGIN_HEADERS"
	// StaticCacheMode is the static assets bucket's cache mode.
	StaticCacheMode = "CACHE_ALL_STATIC"
	// DefaultStaticTTLSeconds is the static assets' default TTL: 30 days.
	DefaultStaticTTLSeconds = 2592000
	// MaxTTLSeconds is the longest TTL Cloud CDN accepts (a year), the static assets' maxTtl.
	MaxTTLSeconds = 31536000
)

// Args configures a LoadBalancer. Zero values mean the documented default.
type Args struct {
	// Backends are the instance groups behind the load balancer, one per region. Required:
	// at least one.
	Backends []Backend
	// Port is the port the instances serve on (the groups' named port "http"), which the
	// health check probes. Default: 8080. Allowed: 1-65535.
	Port int
	// HealthCheckPath is the path the health check probes. Default: /healthz.
	HealthCheckPath string
	// Domains get a Google-managed certificate and HTTPS. Default: none, which serves plain
	// HTTP on the anycast address (say so loudly: the policy pack flags it).
	Domains []string
	// RequestsPerSecondPerInstance, when above 0, balances by request rate (RATE mode) with
	// this capacity per instance; otherwise by CPU utilization (80%). Default: 0.
	RequestsPerSecondPerInstance float64
	// CDN turns Cloud CDN on for the backend service. Default: false.
	CDN bool
	// StaticTTLSeconds is how long Cloud CDN keeps a static asset (under /static/) that has
	// no Cache-Control of its own; assets are cached up to a year. Pages are cached as the
	// origin's Cache-Control says (USE_ORIGIN_HEADERS), with no TTL of ours. Default: 2592000
	// (30 days). Allowed: 0-31536000.
	StaticTTLSeconds int
	// StaticAssets adds a bucket served through a CDN-enabled backend bucket at /static/*.
	// Needs CDN. Default: false.
	StaticAssets bool
	// StaticAssetsLocation is the bucket's location. Default: US. Allowed: a multi-region or
	// region name.
	StaticAssetsLocation string
	// StaticAssetsForceDestroy lets a delete of the static assets bucket remove its objects;
	// without it, deleting a bucket that holds objects fails (and so does `pulumi destroy`).
	// Default: false (keep it for production; set it for disposable stacks).
	StaticAssetsForceDestroy bool
	// LogSampleRatePercent is the share of requests logged. Default: 100. Allowed: 1-100.
	LogSampleRatePercent int
	// TimeoutSeconds is the backend response timeout. Default: 30. Allowed: 1-86400.
	TimeoutSeconds int
	// SecurityPolicy is a Cloud Armor policy self link for the backend service. Default: none,
	// or the policy RateLimitPerMinutePerIP creates.
	SecurityPolicy pulumi.StringInput
	// RateLimitPerMinutePerIP, when above 0 and no SecurityPolicy is given, creates a Cloud
	// Armor policy that answers 429 to a client IP above this many requests a minute, with
	// adaptive protection on. Default: 0 (no policy). Allowed: 0 or 60-1000000.
	RateLimitPerMinutePerIP int
}

// Backend is one region's instance group.
type Backend struct {
	// Key identifies the backend ("primary", "secondary"). Required, unique.
	Key string
	// Group is the instance group URL (webtier.WebTier.InstanceGroup). Required.
	Group pulumi.StringInput
	// CapacityPercent scales the group's capacity. Default: 100. Allowed: 1-100 (a warm
	// standby may advertise less).
	CapacityPercent int
}

var (
	keyRE    = regexp.MustCompile(`^[a-z][a-z0-9-]{0,30}$`)
	domainRE = regexp.MustCompile(`^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$`)
)

func (a *Args) resolve() (Args, error) {
	var r Args
	if a != nil {
		r = *a
	}
	if r.Port == 0 {
		r.Port = 8080
	}
	if r.HealthCheckPath == "" {
		r.HealthCheckPath = "/healthz"
	}
	if r.StaticTTLSeconds == 0 {
		r.StaticTTLSeconds = DefaultStaticTTLSeconds
	}
	if r.StaticAssetsLocation == "" {
		r.StaticAssetsLocation = "US"
	}
	if r.LogSampleRatePercent == 0 {
		r.LogSampleRatePercent = 100
	}
	if r.TimeoutSeconds == 0 {
		r.TimeoutSeconds = 30
	}
	if len(r.Backends) == 0 {
		return r, fmt.Errorf("Backends is empty: want at least one instance group")
	}
	seen := map[string]bool{}
	backends := make([]Backend, len(r.Backends))
	for i, b := range r.Backends {
		if b.CapacityPercent == 0 {
			b.CapacityPercent = 100
		}
		switch {
		case !keyRE.MatchString(b.Key):
			return r, fmt.Errorf("Backends[%d].Key %q is not allowed: want lowercase letters, digits and dashes, starting with a letter", i, b.Key)
		case seen[b.Key]:
			return r, fmt.Errorf("Backends[%d].Key %q is used twice: want unique keys", i, b.Key)
		case b.Group == nil:
			return r, fmt.Errorf("Backends[%d].Group is required", i)
		case b.CapacityPercent < 1 || b.CapacityPercent > 100:
			return r, fmt.Errorf("Backends[%d].CapacityPercent %d is not allowed: want 1-100", i, b.CapacityPercent)
		}
		seen[b.Key] = true
		backends[i] = b
	}
	r.Backends = backends
	for i, d := range r.Domains {
		if !domainRE.MatchString(d) {
			return r, fmt.Errorf("Domains[%d] %q is not a DNS name: want one like app.example.com", i, d)
		}
	}
	switch {
	case len(r.Domains) > 100:
		return r, fmt.Errorf("Domains has %d names: a managed certificate allows at most 100", len(r.Domains))
	case r.Port < 1 || r.Port > 65535:
		return r, fmt.Errorf("Port %d is not allowed: want 1-65535", r.Port)
	case !strings.HasPrefix(r.HealthCheckPath, "/"):
		return r, fmt.Errorf("HealthCheckPath %q is not allowed: want a path starting with /", r.HealthCheckPath)
	case r.RequestsPerSecondPerInstance < 0:
		return r, fmt.Errorf("RequestsPerSecondPerInstance %v is not allowed: want 0 (balance on CPU) or more", r.RequestsPerSecondPerInstance)
	case r.StaticTTLSeconds < 0 || r.StaticTTLSeconds > MaxTTLSeconds:
		return r, fmt.Errorf("StaticTTLSeconds %d is not allowed: want 0-%d", r.StaticTTLSeconds, MaxTTLSeconds)
	case r.StaticAssets && !r.CDN:
		return r, fmt.Errorf("StaticAssets is true but CDN is false: static assets are served through Cloud CDN; turn CDN on")
	case r.LogSampleRatePercent < 1 || r.LogSampleRatePercent > 100:
		return r, fmt.Errorf("LogSampleRatePercent %d is not allowed: want 1-100", r.LogSampleRatePercent)
	case r.RateLimitPerMinutePerIP != 0 && (r.RateLimitPerMinutePerIP < 60 || r.RateLimitPerMinutePerIP > 1000000):
		return r, fmt.Errorf("RateLimitPerMinutePerIP %d is not allowed: want 0 (no Cloud Armor policy) or 60-1000000", r.RateLimitPerMinutePerIP)
	case r.TimeoutSeconds < 1 || r.TimeoutSeconds > 86400:
		return r, fmt.Errorf("TimeoutSeconds %d is not allowed: want 1-86400", r.TimeoutSeconds)
	}
	return r, nil
}

// LoadBalancer is a global external Application Load Balancer with optional Cloud CDN.
type LoadBalancer struct {
	pulumi.ResourceState

	// Address is the anycast IPv4 address every region is reached through.
	Address pulumi.StringOutput `pulumi:"address"`
	// URL is https://<first domain>/ with domains, else http://<address>/.
	URL pulumi.StringOutput `pulumi:"url"`
	// BackendServiceName is the backend service's name.
	BackendServiceName pulumi.StringOutput `pulumi:"backendServiceName"`
	// BackendServiceSelfLink is the backend service's self link.
	BackendServiceSelfLink pulumi.StringOutput `pulumi:"backendServiceSelfLink"`
	// URLMapName is the URL map's name (the load balancer's name in Cloud Monitoring).
	URLMapName pulumi.StringOutput `pulumi:"urlMapName"`
	// CDNEnabled reports whether Cloud CDN is on.
	CDNEnabled pulumi.BoolOutput `pulumi:"cdnEnabled"`
	// StaticBucketName is the static assets bucket ("" without one).
	StaticBucketName pulumi.StringOutput `pulumi:"staticBucketName"`
	// HTTPS reports whether the load balancer terminates TLS with a managed certificate.
	HTTPS bool `pulumi:"-"`
}

// New validates args, applies defaults and registers the load balancer.
func New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*LoadBalancer, error) {
	a, err := args.resolve()
	if err != nil {
		return nil, fmt.Errorf("load balancer %q: %w", name, err)
	}
	lb := &LoadBalancer{HTTPS: len(a.Domains) > 0}
	if err := ctx.RegisterComponentResource(typeToken, name, lb, opts...); err != nil {
		return nil, err
	}
	parent := pulumi.Parent(lb)
	const scheme = "EXTERNAL_MANAGED"

	addr, err := compute.NewGlobalAddress(ctx, name, &compute.GlobalAddressArgs{
		AddressType: pulumi.String("EXTERNAL"),
		IpVersion:   pulumi.String("IPV4"),
		Description: pulumi.String("anycast address of " + name),
	}, parent)
	if err != nil {
		return nil, fmt.Errorf("creating address: %w", err)
	}
	hc, err := compute.NewHealthCheck(ctx, name, &compute.HealthCheckArgs{
		Description:        pulumi.String("load balancer probe of " + name),
		CheckIntervalSec:   pulumi.Int(5),
		TimeoutSec:         pulumi.Int(5),
		HealthyThreshold:   pulumi.Int(2),
		UnhealthyThreshold: pulumi.Int(2),
		HttpHealthCheck: &compute.HealthCheckHttpHealthCheckArgs{
			Port:        pulumi.Int(a.Port),
			RequestPath: pulumi.String(a.HealthCheckPath),
		},
		LogConfig: &compute.HealthCheckLogConfigArgs{Enable: pulumi.Bool(true)},
	}, parent)
	if err != nil {
		return nil, fmt.Errorf("creating health check: %w", err)
	}

	var backends compute.BackendServiceBackendArray
	for _, b := range a.Backends {
		be := compute.BackendServiceBackendArgs{
			Description:    pulumi.String(b.Key),
			Group:          b.Group,
			CapacityScaler: pulumi.Float64(float64(b.CapacityPercent) / 100),
		}
		if a.RequestsPerSecondPerInstance > 0 {
			be.BalancingMode = pulumi.String("RATE")
			be.MaxRatePerInstance = pulumi.Float64(a.RequestsPerSecondPerInstance)
		} else {
			be.BalancingMode = pulumi.String("UTILIZATION")
			be.MaxUtilization = pulumi.Float64(0.8)
		}
		backends = append(backends, be)
	}
	bsArgs := &compute.BackendServiceArgs{
		Description:         pulumi.String("web tier of " + name),
		LoadBalancingScheme: pulumi.String(scheme),
		Protocol:            pulumi.String("HTTP"),
		PortName:            pulumi.String("http"),
		TimeoutSec:          pulumi.Int(a.TimeoutSeconds),
		HealthChecks:        hc.ID(),
		Backends:            backends,
		LogConfig: &compute.BackendServiceLogConfigArgs{
			Enable:     pulumi.Bool(true),
			SampleRate: pulumi.Float64(float64(a.LogSampleRatePercent) / 100),
		},
		EnableCdn:                    pulumi.Bool(a.CDN),
		ConnectionDrainingTimeoutSec: pulumi.Int(60),
	}
	if a.CDN {
		// Full-page caching of anonymous GETs as the origin says: USE_ORIGIN_HEADERS caches
		// what the application marks cacheable (Cache-Control public, max-age/s-maxage) and
		// nothing else; Cloud CDN never caches a response that sets a cookie, so signed-in
		// pages stay private. The API refuses defaultTtl, clientTtl and maxTtl in this mode
		// ("default_ttl cannot be specified with USE_ORIGIN_HEADERS cache_mode",
		// hashicorp/terraform-provider-google#18860; GoogleCloudPlatform/magic-modules#8910).
		bsArgs.CdnPolicy = &compute.BackendServiceCdnPolicyArgs{
			CacheMode:       pulumi.String(PageCacheMode),
			NegativeCaching: pulumi.Bool(true),
			ServeWhileStale: pulumi.Int(86400),
			CacheKeyPolicy: &compute.BackendServiceCdnPolicyCacheKeyPolicyArgs{
				IncludeHost:        pulumi.Bool(true),
				IncludeProtocol:    pulumi.Bool(true),
				IncludeQueryString: pulumi.Bool(true),
			},
		}
	}
	if a.SecurityPolicy != nil {
		bsArgs.SecurityPolicy = a.SecurityPolicy
	} else if a.RateLimitPerMinutePerIP > 0 {
		armor, err := compute.NewSecurityPolicy(ctx, name, &compute.SecurityPolicyArgs{
			Description: pulumi.String(fmt.Sprintf("per-client rate limit of %s: %d requests a minute", name, a.RateLimitPerMinutePerIP)),
			Type:        pulumi.String("CLOUD_ARMOR"),
			AdaptiveProtectionConfig: &compute.SecurityPolicyAdaptiveProtectionConfigArgs{
				Layer7DdosDefenseConfig: &compute.SecurityPolicyAdaptiveProtectionConfigLayer7DdosDefenseConfigArgs{Enable: pulumi.Bool(true)},
			},
			Rules: compute.SecurityPolicyRuleTypeArray{
				compute.SecurityPolicyRuleTypeArgs{
					Description: pulumi.String("throttle each client IP"),
					Priority:    pulumi.Int(1000),
					Action:      pulumi.String("throttle"),
					Match:       allTraffic(),
					RateLimitOptions: &compute.SecurityPolicyRuleRateLimitOptionsArgs{
						ConformAction: pulumi.String("allow"),
						ExceedAction:  pulumi.String("deny(429)"),
						EnforceOnKey:  pulumi.String("IP"),
						RateLimitThreshold: &compute.SecurityPolicyRuleRateLimitOptionsRateLimitThresholdArgs{
							Count: pulumi.Int(a.RateLimitPerMinutePerIP), IntervalSec: pulumi.Int(60),
						},
					},
				},
				compute.SecurityPolicyRuleTypeArgs{
					Description: pulumi.String("default rule: allow"),
					Priority:    pulumi.Int(2147483647),
					Action:      pulumi.String("allow"),
					Match:       allTraffic(),
				},
			},
		}, parent)
		if err != nil {
			return nil, fmt.Errorf("creating Cloud Armor policy: %w", err)
		}
		bsArgs.SecurityPolicy = armor.SelfLink
	}
	bs, err := compute.NewBackendService(ctx, name, bsArgs, parent)
	if err != nil {
		return nil, fmt.Errorf("creating backend service: %w", err)
	}

	umArgs := &compute.URLMapArgs{
		Description:    pulumi.String("routes of " + name),
		DefaultService: bs.SelfLink,
	}
	lb.StaticBucketName = bs.Name.ApplyT(func(string) string { return "" }).(pulumi.StringOutput)
	if a.StaticAssets {
		bucket, err := storage.NewBucket(ctx, name+"-static", &storage.BucketArgs{
			Location:                 pulumi.String(a.StaticAssetsLocation),
			UniformBucketLevelAccess: pulumi.Bool(true),
			Versioning:               &storage.BucketVersioningArgs{Enabled: pulumi.Bool(true)},
			ForceDestroy:             pulumi.Bool(a.StaticAssetsForceDestroy),
		}, parent)
		if err != nil {
			return nil, fmt.Errorf("creating static assets bucket: %w", err)
		}
		// Static assets are public by nature (the CDN serves them to anyone); the grant is
		// read-only object access, nothing else in the project is reachable through it.
		if _, err := storage.NewBucketIAMMember(ctx, name+"-static-public-read", &storage.BucketIAMMemberArgs{
			Bucket: bucket.Name,
			Role:   pulumi.String("roles/storage.objectViewer"),
			Member: pulumi.String("allUsers"),
		}, parent); err != nil {
			return nil, fmt.Errorf("granting read on static assets: %w", err)
		}
		bb, err := compute.NewBackendBucket(ctx, name+"-static", &compute.BackendBucketArgs{
			Description: pulumi.String("static assets of " + name),
			BucketName:  bucket.Name,
			EnableCdn:   pulumi.Bool(true),
			// Static assets are cached long: content-hashed file names change on every
			// deploy, so a long TTL never serves a stale asset to a new page.
			CdnPolicy: &compute.BackendBucketCdnPolicyArgs{
				CacheMode:         pulumi.String(StaticCacheMode),
				DefaultTtl:        pulumi.Int(a.StaticTTLSeconds),
				ClientTtl:         pulumi.Int(a.StaticTTLSeconds),
				MaxTtl:            pulumi.Int(MaxTTLSeconds),
				RequestCoalescing: pulumi.Bool(true),
			},
		}, parent)
		if err != nil {
			return nil, fmt.Errorf("creating backend bucket: %w", err)
		}
		umArgs.HostRules = compute.URLMapHostRuleArray{compute.URLMapHostRuleArgs{
			Hosts: pulumi.StringArray{pulumi.String("*")}, PathMatcher: pulumi.String("routes"),
		}}
		umArgs.PathMatchers = compute.URLMapPathMatcherArray{compute.URLMapPathMatcherArgs{
			Name:           pulumi.String("routes"),
			DefaultService: bs.SelfLink,
			PathRules: compute.URLMapPathMatcherPathRuleArray{compute.URLMapPathMatcherPathRuleArgs{
				Paths: pulumi.StringArray{pulumi.String("/static/*")}, Service: bb.SelfLink,
			}},
		}}
		lb.StaticBucketName = bucket.Name
	}
	um, err := compute.NewURLMap(ctx, name, umArgs, parent)
	if err != nil {
		return nil, fmt.Errorf("creating URL map: %w", err)
	}

	httpMap := um.SelfLink
	if lb.HTTPS {
		cert, err := compute.NewManagedSslCertificate(ctx, name, &compute.ManagedSslCertificateArgs{
			Type:    pulumi.String("MANAGED"),
			Managed: &compute.ManagedSslCertificateManagedArgs{Domains: pulumi.ToStringArray(a.Domains)},
		}, parent)
		if err != nil {
			return nil, fmt.Errorf("creating managed certificate: %w", err)
		}
		policy, err := compute.NewSSLPolicy(ctx, name, &compute.SSLPolicyArgs{
			Profile:       pulumi.String("MODERN"),
			MinTlsVersion: pulumi.String("TLS_1_2"),
		}, parent)
		if err != nil {
			return nil, fmt.Errorf("creating SSL policy: %w", err)
		}
		proxy, err := compute.NewTargetHttpsProxy(ctx, name, &compute.TargetHttpsProxyArgs{
			UrlMap:          um.SelfLink,
			SslCertificates: pulumi.StringArray{cert.SelfLink},
			SslPolicy:       policy.SelfLink,
		}, parent)
		if err != nil {
			return nil, fmt.Errorf("creating HTTPS proxy: %w", err)
		}
		fr, err := compute.NewGlobalForwardingRule(ctx, name+"-https", &compute.GlobalForwardingRuleArgs{
			LoadBalancingScheme: pulumi.String(scheme),
			IpProtocol:          pulumi.String("TCP"),
			IpAddress:           addr.Address,
			PortRange:           pulumi.String("443"),
			Target:              proxy.SelfLink,
		}, parent)
		if err != nil {
			return nil, fmt.Errorf("creating HTTPS forwarding rule: %w", err)
		}
		redirect, err := compute.NewURLMap(ctx, name+"-redirect", &compute.URLMapArgs{
			Description: pulumi.String("HTTP to HTTPS redirect of " + name),
			DefaultUrlRedirect: &compute.URLMapDefaultUrlRedirectArgs{
				HttpsRedirect:        pulumi.Bool(true),
				RedirectResponseCode: pulumi.String("MOVED_PERMANENTLY_DEFAULT"),
				StripQuery:           pulumi.Bool(false),
			},
		}, parent)
		if err != nil {
			return nil, fmt.Errorf("creating redirect URL map: %w", err)
		}
		httpMap = redirect.SelfLink
		// Resolved once the HTTPS forwarding rule exists.
		lb.URL = pulumi.Sprintf("https://%s/%s", a.Domains[0], fr.Name.ApplyT(func(string) string { return "" }).(pulumi.StringOutput))
	} else {
		ctx.Log.Warn(fmt.Sprintf("load balancer %q has no domains: serving plain HTTP on its address, without TLS", name), nil)
		lb.URL = pulumi.Sprintf("http://%s/", addr.Address)
	}
	httpProxy, err := compute.NewTargetHttpProxy(ctx, name+"-http", &compute.TargetHttpProxyArgs{UrlMap: httpMap}, parent)
	if err != nil {
		return nil, fmt.Errorf("creating HTTP proxy: %w", err)
	}
	if _, err := compute.NewGlobalForwardingRule(ctx, name+"-http", &compute.GlobalForwardingRuleArgs{
		LoadBalancingScheme: pulumi.String(scheme),
		IpProtocol:          pulumi.String("TCP"),
		IpAddress:           addr.Address,
		PortRange:           pulumi.String("80"),
		Target:              httpProxy.SelfLink,
	}, parent); err != nil {
		return nil, fmt.Errorf("creating HTTP forwarding rule: %w", err)
	}

	lb.Address = addr.Address
	lb.BackendServiceName = bs.Name
	lb.BackendServiceSelfLink = bs.SelfLink
	lb.URLMapName = um.Name
	lb.CDNEnabled = bs.EnableCdn.ApplyT(func(on *bool) bool { return on != nil && *on }).(pulumi.BoolOutput)
	return lb, ctx.RegisterResourceOutputs(lb, pulumi.Map{
		"address":                lb.Address,
		"url":                    lb.URL,
		"backendServiceName":     lb.BackendServiceName,
		"backendServiceSelfLink": lb.BackendServiceSelfLink,
		"urlMapName":             lb.URLMapName,
		"cdnEnabled":             lb.CDNEnabled,
		"staticBucketName":       lb.StaticBucketName,
	})
}

// Validate reports the first problem with args, registering nothing.
func (a *Args) Validate() error { _, err := a.resolve(); return err }

func allTraffic() compute.SecurityPolicyRuleMatchArgs {
	return compute.SecurityPolicyRuleMatchArgs{
		VersionedExpr: pulumi.String("SRC_IPS_V1"),
		Config:        &compute.SecurityPolicyRuleMatchConfigArgs{SrcIpRanges: pulumi.StringArray{pulumi.String("*")}},
	}
}
