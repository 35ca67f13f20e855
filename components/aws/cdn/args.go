package cdn

import (
	"fmt"
	"regexp"
	"slices"
	"sort"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/scalestack/scalestack/components/aws/dns"
)

// Origin is an HTTPS origin CloudFront connects to, such as a region's load balancer.
type Origin struct {
	// DomainName is the host name CloudFront connects to and validates the origin's
	// certificate against, such as "origin-us-east-1.app.example.com" (an alias record to the
	// ALB, covered by the ALB's certificate). Required. An ALB's own DNS name does not work
	// for HTTPS: no certificate can cover it.
	DomainName pulumi.StringInput
	// CustomHeaders are sent with every request to the origin, for example a shared secret
	// the load balancer requires so that it serves only CloudFront. Values may be secrets.
	// Default: none.
	CustomHeaders map[string]pulumi.StringInput
	// HTTPSPort is the origin's HTTPS port. Default: 443. Allowed: 443 or 1024-65535.
	HTTPSPort int
	// ReadTimeoutSeconds is how long CloudFront waits for a response. Default: 30.
	// Allowed: 1-60 (CloudFront's default quota).
	ReadTimeoutSeconds int
}

// Args configures a CDN. Zero values mean the documented default.
type Args struct {
	// PrimaryOrigin serves the dynamic (default) behaviour. Required.
	PrimaryOrigin Origin
	// SecondaryOrigin, when set, forms an origin group with the primary that fails over on
	// 500, 502, 503 and 504. CloudFront origin groups serve only GET, HEAD and OPTIONS, so
	// the group serves CachedPathPatterns, while the default behaviour (all methods) goes to
	// the primary: fail it over in DNS by pointing PrimaryOrigin.DomainName at a failover
	// record (package failover). Requires CachedPathPatterns: an origin group no behaviour
	// routes to never fails anything over. Default: nil, no origin group.
	SecondaryOrigin *Origin
	// CachedPathPatterns are paths the application serves that CloudFront may cache (managed
	// CachingOptimized policy, GET/HEAD/OPTIONS), such as "/assets/*". They go to the origin
	// group when SecondaryOrigin is set, else to the primary. Default: none. Allowed: at
	// most MaxCachedPathPatterns distinct patterns, not "*" nor StaticPathPattern.
	CachedPathPatterns []string
	// StaticPathPattern routes to the static-assets bucket the component creates.
	// Default: "/static/*".
	StaticPathPattern string
	// CertificateARN is an ACM certificate in us-east-1 covering Aliases (see
	// dns.NewCertificate with the us-east-1 provider). Viewers get TLSv1.2_2021 or newer
	// with SNI. Default: nil, the *.cloudfront.net default certificate, which allows no
	// Aliases and on which CloudFront permits TLSv1 (use it only for trials).
	CertificateARN pulumi.StringInput
	// Aliases are the host names the distribution answers to ("app.example.com"). Default:
	// none. Requires CertificateARN. Allowed: lowercase DNS names (wildcards too), each once.
	Aliases []string
	// PriceClass picks the edge locations. Default: "PriceClass_100". Allowed:
	// "PriceClass_100", "PriceClass_200", "PriceClass_All".
	PriceClass string
	// WebACLARN is a WAFv2 web ACL (scope CLOUDFRONT, in us-east-1) to attach. Default: none.
	WebACLARN pulumi.StringInput
	// HSTSMaxAgeSeconds is the Strict-Transport-Security max-age (with includeSubDomains)
	// added to every response. Default: 31536000 (one year). Allowed: 1-63072000.
	HSTSMaxAgeSeconds int
	// ForceDestroyStaticBucket lets the static bucket be deleted while it holds objects.
	// Default: false: deleting a non-empty bucket fails, so assets are not lost by accident.
	ForceDestroyStaticBucket bool
	// DestroyBucketsWithContents empties the static and access-log buckets when they are
	// deleted (S3 refuses to delete a non-empty bucket, so without it `pulumi destroy` fails
	// on the log bucket CloudFront keeps writing to): for dev stacks. Default: false: both
	// buckets are retained on delete (pulumi.RetainOnDelete), so a destroy succeeds and keeps
	// the assets and the logs, which you delete yourself.
	DestroyBucketsWithContents bool
	// DisableAccessLogs turns CloudFront's standard access logs off. Default: false: every
	// viewer request is logged to a private, encrypted log bucket the component creates (with
	// ACLs enabled, as CloudFront's log delivery requires), kept AccessLogRetentionDays.
	DisableAccessLogs bool
	// AccessLogRetentionDays keeps the access logs. Default: 90. Allowed: 1-3650.
	AccessLogRetentionDays int
	// PageCaching lets the default behaviour (every path not matched above) cache the
	// anonymous GET and HEAD responses the origin marks cacheable: a cache policy "<name>-pages"
	// with a minimum and default TTL of 0, so CloudFront stores a page only when the origin's
	// Cache-Control (max-age or s-maxage) says so, for at most PageMaxTTLSeconds, and honours
	// private, no-store and no-cache. Cookies are forwarded to the origin but are not part of
	// the cache key, so the contract is the origin's: a personalised response must carry
	// Cache-Control: private (or no-store). The Authorization header is part of the key
	// (CloudFront forwards it only that way), so a request that carries one never shares an
	// entry with anonymous requests. Query strings are part of the key. Default: false: the
	// default behaviour uses the managed CachingDisabled policy.
	PageCaching bool
	// PageMaxTTLSeconds caps how long a page is cached whatever its Cache-Control says, so a
	// deploy without an invalidation serves stale pages for at most this long. Default: 86400
	// (one day). Allowed: 1-31536000. Needs PageCaching.
	PageMaxTTLSeconds int
	// Tags are added to the distribution and the bucket, over the provider's default tags.
	Tags map[string]string
}

// Defaults and limits.
const (
	DefaultStaticPathPattern = "/static/*"
	DefaultPriceClass        = "PriceClass_100"
	DefaultHSTSMaxAgeSeconds = 31536000
	// MaxCachedPathPatterns keeps the behaviours (these plus the static one) within
	// CloudFront's default quota of 25 cache behaviours per distribution.
	MaxCachedPathPatterns = 24
	// MaxAliases is CloudFront's default quota of alternate domain names per distribution.
	MaxAliases = 100
	// DefaultPageMaxTTLSeconds caps the cache life of a page (PageCaching).
	DefaultPageMaxTTLSeconds = 86400
	// maxTTLSeconds is the longest TTL a CloudFront cache policy accepts (one year).
	maxTTLSeconds = 31536000
)

// PriceClasses are the allowed values of Args.PriceClass.
var PriceClasses = []string{"PriceClass_100", "PriceClass_200", "PriceClass_All"}

// bucketSafeName: the component name names the static bucket, which S3 wants lowercase.
var bucketSafeName = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,39}$`)

func (o Origin) withDefaults() Origin {
	if o.HTTPSPort == 0 {
		o.HTTPSPort = 443
	}
	if o.ReadTimeoutSeconds == 0 {
		o.ReadTimeoutSeconds = 30
	}
	return o
}

// withDefaults returns a copy of a with every default applied.
func (a Args) withDefaults() Args {
	a.PrimaryOrigin = a.PrimaryOrigin.withDefaults()
	if a.SecondaryOrigin != nil {
		s := a.SecondaryOrigin.withDefaults()
		a.SecondaryOrigin = &s
	}
	if a.StaticPathPattern == "" {
		a.StaticPathPattern = DefaultStaticPathPattern
	}
	if a.PriceClass == "" {
		a.PriceClass = DefaultPriceClass
	}
	if a.HSTSMaxAgeSeconds == 0 {
		a.HSTSMaxAgeSeconds = DefaultHSTSMaxAgeSeconds
	}
	if a.AccessLogRetentionDays == 0 {
		a.AccessLogRetentionDays = DefaultAccessLogRetentionDays
	}
	if a.PageCaching && a.PageMaxTTLSeconds == 0 {
		a.PageMaxTTLSeconds = DefaultPageMaxTTLSeconds
	}
	a.CachedPathPatterns = append([]string(nil), a.CachedPathPatterns...)
	a.Aliases = append([]string(nil), a.Aliases...)
	return a
}

func (o Origin) validate(field string) error {
	if o.DomainName == nil {
		return fmt.Errorf("%s.DomainName is required: want the origin host name its certificate covers", field)
	}
	if o.HTTPSPort != 443 && (o.HTTPSPort < 1024 || o.HTTPSPort > 65535) {
		return fmt.Errorf("%s.HTTPSPort %d is not allowed: want 443 or 1024-65535", field, o.HTTPSPort)
	}
	if o.ReadTimeoutSeconds < 1 || o.ReadTimeoutSeconds > 60 {
		return fmt.Errorf("%s.ReadTimeoutSeconds %d is not allowed: want 1-60", field, o.ReadTimeoutSeconds)
	}
	for _, k := range sortedKeys(o.CustomHeaders) {
		if k == "" {
			return fmt.Errorf("%s.CustomHeaders has an empty header name, which is not allowed: want a header name like X-Origin-Verify", field)
		}
		if o.CustomHeaders[k] == nil {
			return fmt.Errorf("%s.CustomHeaders[%q] is nil, which is not allowed: want a value", field, k)
		}
	}
	return nil
}

// validate checks args (after defaults) without registering anything.
func (a Args) validate() error {
	if err := a.PrimaryOrigin.validate("PrimaryOrigin"); err != nil {
		return err
	}
	if a.SecondaryOrigin != nil {
		if err := a.SecondaryOrigin.validate("SecondaryOrigin"); err != nil {
			return err
		}
	}
	if a.SecondaryOrigin != nil && len(a.CachedPathPatterns) == 0 {
		return fmt.Errorf("SecondaryOrigin without CachedPathPatterns is not allowed: the origin group would serve no behaviour (CloudFront allows only GET, HEAD and OPTIONS on origin-group behaviours, so the default behaviour cannot use it): want at least one cacheable path such as /assets/*")
	}
	if err := validPattern("StaticPathPattern", a.StaticPathPattern); err != nil {
		return err
	}
	if n := len(a.CachedPathPatterns); n > MaxCachedPathPatterns {
		return fmt.Errorf("CachedPathPatterns has %d patterns, which is not allowed: want at most %d (CloudFront's default quota is 25 behaviours)", n, MaxCachedPathPatterns)
	}
	seen := map[string]bool{a.StaticPathPattern: true}
	for i, p := range a.CachedPathPatterns {
		field := fmt.Sprintf("CachedPathPatterns[%d]", i)
		if err := validPattern(field, p); err != nil {
			return err
		}
		if seen[p] {
			return fmt.Errorf("%s %q is not allowed: the pattern is already routed (StaticPathPattern or an earlier entry), want each pattern once", field, p)
		}
		seen[p] = true
	}
	if len(a.Aliases) > 0 && a.CertificateARN == nil {
		return fmt.Errorf("Aliases %v are not allowed without CertificateARN: want a us-east-1 ACM certificate covering them, or no Aliases", a.Aliases)
	}
	if len(a.Aliases) > MaxAliases {
		return fmt.Errorf("Aliases has %d names, which is not allowed: want at most %d", len(a.Aliases), MaxAliases)
	}
	aliases := map[string]bool{}
	for i, al := range a.Aliases {
		field := fmt.Sprintf("Aliases[%d]", i)
		if err := dns.ValidateDomainName(field, al, true); err != nil {
			return err
		}
		if aliases[al] {
			return fmt.Errorf("%s %q is not allowed twice: want each name once", field, al)
		}
		aliases[al] = true
	}
	if !slices.Contains(PriceClasses, a.PriceClass) {
		return fmt.Errorf("PriceClass %q is not allowed: want one of %v", a.PriceClass, PriceClasses)
	}
	if a.HSTSMaxAgeSeconds < 1 || a.HSTSMaxAgeSeconds > 63072000 {
		return fmt.Errorf("HSTSMaxAgeSeconds %d is not allowed: want 1-63072000", a.HSTSMaxAgeSeconds)
	}
	if !a.PageCaching && a.PageMaxTTLSeconds != 0 {
		return fmt.Errorf("PageMaxTTLSeconds %d is not allowed without PageCaching: want PageCaching, or no PageMaxTTLSeconds", a.PageMaxTTLSeconds)
	}
	if a.PageCaching && (a.PageMaxTTLSeconds < 1 || a.PageMaxTTLSeconds > maxTTLSeconds) {
		return fmt.Errorf("PageMaxTTLSeconds %d is not allowed: want 1-%d (CloudFront's longest TTL)", a.PageMaxTTLSeconds, maxTTLSeconds)
	}
	if !a.DisableAccessLogs && (a.AccessLogRetentionDays < 1 || a.AccessLogRetentionDays > 3650) {
		return fmt.Errorf("AccessLogRetentionDays %d is not allowed: want 1-3650", a.AccessLogRetentionDays)
	}
	return nil
}

// DefaultAccessLogRetentionDays is how long CloudFront access logs are kept by default.
const DefaultAccessLogRetentionDays = 90

func validPattern(field, p string) error {
	if p == "" || p == "*" || p == "/*" {
		return fmt.Errorf("%s %q is not allowed: want a path pattern narrower than the default behaviour, like /static/*", field, p)
	}
	if len(p) > 255 {
		return fmt.Errorf("%s of %d characters is not allowed: want at most 255", field, len(p))
	}
	return nil
}

// resolve applies defaults and validates, including the component name (which names the
// static bucket).
func (a *Args) resolve(name string) (Args, error) {
	if !bucketSafeName.MatchString(name) {
		return Args{}, fmt.Errorf("name %q is not allowed: want 1-40 lowercase letters, digits or hyphens, starting with a letter or digit (it names the static S3 bucket)", name)
	}
	if a == nil {
		return Args{}, fmt.Errorf("args are required: want PrimaryOrigin at least")
	}
	r := a.withDefaults()
	return r, r.validate()
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
