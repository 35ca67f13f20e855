package cdn

import (
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func minimal() *Args {
	return &Args{PrimaryOrigin: Origin{DomainName: pulumi.String("origin-us-east-1.app.example.com")}}
}

func TestDefaults(t *testing.T) {
	a, err := minimal().resolve("web")
	require.NoError(t, err)
	assert.Equal(t, 443, a.PrimaryOrigin.HTTPSPort)
	assert.Equal(t, 30, a.PrimaryOrigin.ReadTimeoutSeconds)
	assert.Nil(t, a.SecondaryOrigin)
	assert.Equal(t, "/static/*", a.StaticPathPattern)
	assert.Equal(t, "PriceClass_100", a.PriceClass)
	assert.Equal(t, 31536000, a.HSTSMaxAgeSeconds)
	assert.Equal(t, 90, a.AccessLogRetentionDays)
	assert.False(t, a.DisableAccessLogs, "access logs are on by default")
	assert.Nil(t, a.CertificateARN, "no certificate means CloudFront's default certificate")
	assert.Empty(t, a.Aliases)
	assert.Empty(t, a.CachedPathPatterns)
	assert.False(t, a.ForceDestroyStaticBucket)

	in := minimal()
	in.SecondaryOrigin = &Origin{DomainName: pulumi.String("origin-us-west-2.app.example.com"), ReadTimeoutSeconds: 50}
	in.StaticPathPattern, in.PriceClass, in.HSTSMaxAgeSeconds = "/assets/*", "PriceClass_All", 600
	in.CachedPathPatterns = []string{"/img/*"}
	a, err = in.resolve("web")
	require.NoError(t, err)
	assert.Equal(t, 443, a.SecondaryOrigin.HTTPSPort)
	assert.Equal(t, 50, a.SecondaryOrigin.ReadTimeoutSeconds)
	assert.Equal(t, "/assets/*", a.StaticPathPattern)
	assert.Equal(t, "PriceClass_All", a.PriceClass)
	assert.Equal(t, 600, a.HSTSMaxAgeSeconds)
	assert.Equal(t, 0, in.SecondaryOrigin.HTTPSPort, "defaults never write back into the caller's args")
}

// TestAnOriginGroupNeedsACacheablePathToServe: CloudFront allows only GET, HEAD and OPTIONS on
// a behaviour that targets an origin group ("Optimize high availability with CloudFront origin
// failover", CloudFront developer guide), so the all-methods default behaviour cannot use it;
// a secondary origin without a cacheable path would be an origin group nothing routes to.
func TestAnOriginGroupNeedsACacheablePathToServe(t *testing.T) {
	in := minimal()
	in.SecondaryOrigin = &Origin{DomainName: pulumi.String("origin-us-west-2.app.example.com")}
	_, err := in.resolve("web")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "SecondaryOrigin without CachedPathPatterns is not allowed")
	in.CachedPathPatterns = []string{"/assets/*"}
	_, err = in.resolve("web")
	assert.NoError(t, err)
}

func TestValidation(t *testing.T) {
	cert := pulumi.String("arn:aws:acm:us-east-1:123456789012:certificate/x")
	many := make([]string, MaxCachedPathPatterns+1)
	for i := range many {
		many[i] = "/p" + strings.Repeat("x", i) + "/*"
	}
	tests := []struct {
		name string
		cmp  string // component name; "" means "web"
		edit func(*Args)
		want string
	}{
		{"upper-case name", "Web", nil, `name "Web" is not allowed: want 1-40 lowercase letters`},
		{"long name", strings.Repeat("a", 41), nil, "it names the static S3 bucket"},
		{"no primary", "", func(a *Args) { a.PrimaryOrigin.DomainName = nil }, "PrimaryOrigin.DomainName is required"},
		{"primary port", "", func(a *Args) { a.PrimaryOrigin.HTTPSPort = 80 }, "PrimaryOrigin.HTTPSPort 80 is not allowed: want 443 or 1024-65535"},
		{"primary port high", "", func(a *Args) { a.PrimaryOrigin.HTTPSPort = 70000 }, "PrimaryOrigin.HTTPSPort 70000 is not allowed"},
		{"read timeout", "", func(a *Args) { a.PrimaryOrigin.ReadTimeoutSeconds = 61 }, "PrimaryOrigin.ReadTimeoutSeconds 61 is not allowed: want 1-60"},
		{"empty header", "", func(a *Args) { a.PrimaryOrigin.CustomHeaders = map[string]pulumi.StringInput{"": pulumi.String("x")} }, "PrimaryOrigin.CustomHeaders has an empty header name"},
		{"nil header", "", func(a *Args) { a.PrimaryOrigin.CustomHeaders = map[string]pulumi.StringInput{"X-Verify": nil} }, `PrimaryOrigin.CustomHeaders["X-Verify"] is nil`},
		{"secondary without name", "", func(a *Args) { a.SecondaryOrigin = &Origin{} }, "SecondaryOrigin.DomainName is required"},
		{"secondary port", "", func(a *Args) {
			a.SecondaryOrigin = &Origin{DomainName: pulumi.String("b.example.com"), HTTPSPort: 444}
		}, "SecondaryOrigin.HTTPSPort 444 is not allowed"},
		{"static catch-all", "", func(a *Args) { a.StaticPathPattern = "*" }, `StaticPathPattern "*" is not allowed: want a path pattern narrower`},
		{"static too long", "", func(a *Args) { a.StaticPathPattern = "/" + strings.Repeat("a", 255) }, "StaticPathPattern of 256 characters is not allowed"},
		{"cached catch-all", "", func(a *Args) { a.CachedPathPatterns = []string{"/assets/*", "/*"} }, `CachedPathPatterns[1] "/*" is not allowed`},
		{"cached repeats static", "", func(a *Args) { a.CachedPathPatterns = []string{"/static/*"} }, `CachedPathPatterns[0] "/static/*" is not allowed: the pattern is already routed`},
		{"cached twice", "", func(a *Args) { a.CachedPathPatterns = []string{"/a/*", "/a/*"} }, `CachedPathPatterns[1] "/a/*" is not allowed`},
		{"too many cached", "", func(a *Args) { a.CachedPathPatterns = many }, "CachedPathPatterns has 25 patterns, which is not allowed: want at most 24"},
		{"aliases without certificate", "", func(a *Args) { a.Aliases = []string{"app.example.com"} }, "Aliases [app.example.com] are not allowed without CertificateARN"},
		{"bad alias", "", func(a *Args) { a.CertificateARN = cert; a.Aliases = []string{"app.example.com", "APP.example.com"} }, `Aliases[1] "APP.example.com" is not allowed`},
		{"alias twice", "", func(a *Args) { a.CertificateARN = cert; a.Aliases = []string{"app.example.com", "app.example.com"} }, `Aliases[1] "app.example.com" is not allowed twice`},
		{"price class", "", func(a *Args) { a.PriceClass = "PriceClass_300" }, `PriceClass "PriceClass_300" is not allowed: want one of [PriceClass_100 PriceClass_200 PriceClass_All]`},
		{"hsts", "", func(a *Args) { a.HSTSMaxAgeSeconds = -1 }, "HSTSMaxAgeSeconds -1 is not allowed: want 1-63072000"},
		{"log retention", "", func(a *Args) { a.AccessLogRetentionDays = 5000 }, "AccessLogRetentionDays 5000 is not allowed: want 1-3650"},
		{"hsts too long", "", func(a *Args) { a.HSTSMaxAgeSeconds = 63072001 }, "HSTSMaxAgeSeconds 63072001 is not allowed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := minimal()
			if tt.edit != nil {
				tt.edit(a)
			}
			name := tt.cmp
			if name == "" {
				name = "web"
			}
			_, err := a.resolve(name)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
	_, err := (*Args)(nil).resolve("web")
	assert.ErrorContains(t, err, "args are required")
}

func TestBucketPolicyAllowsOnlyTheDistributionOverTLS(t *testing.T) {
	doc, err := bucketPolicy("arn:aws:s3:::b", "arn:aws:cloudfront::123456789012:distribution/E1")
	require.NoError(t, err)
	assert.JSONEq(t, `{
	  "Version": "2012-10-17",
	  "Statement": [
	    {"Sid": "AllowCloudFrontServicePrincipalReadOnly", "Effect": "Allow",
	     "Principal": {"Service": "cloudfront.amazonaws.com"}, "Action": "s3:GetObject",
	     "Resource": "arn:aws:s3:::b/*",
	     "Condition": {"StringEquals": {"AWS:SourceArn": "arn:aws:cloudfront::123456789012:distribution/E1"}}},
	    {"Sid": "DenyInsecureTransport", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
	     "Resource": ["arn:aws:s3:::b", "arn:aws:s3:::b/*"],
	     "Condition": {"Bool": {"aws:SecureTransport": "false"}}}
	  ]
	}`, doc)
}

func TestPageMaxTTLNeedsPageCachingAndCloudFrontsRange(t *testing.T) {
	for _, c := range []struct {
		a    Args
		want string
	}{
		{Args{PageMaxTTLSeconds: 60}, "PageMaxTTLSeconds 60 is not allowed without PageCaching"},
		{Args{PageCaching: true, PageMaxTTLSeconds: 31536001}, "PageMaxTTLSeconds 31536001 is not allowed: want 1-31536000"},
	} {
		c.a.PrimaryOrigin = Origin{DomainName: pulumi.String("origin.example.com")}
		_, err := c.a.resolve("web")
		if assert.Error(t, err) {
			assert.Contains(t, err.Error(), c.want)
		}
	}
	a := Args{PrimaryOrigin: Origin{DomainName: pulumi.String("origin.example.com")}, PageCaching: true}
	r, err := a.resolve("web")
	assert.NoError(t, err)
	assert.Equal(t, DefaultPageMaxTTLSeconds, r.PageMaxTTLSeconds)
}
