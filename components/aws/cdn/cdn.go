// Package cdn puts a CloudFront distribution in front of a scalestack backend on AWS: the
// application's load balancers as HTTPS-only origins (with an origin group that fails over
// from the primary to the secondary region for cacheable paths), and a private S3 bucket for
// static assets reached through an Origin Access Control.
//
// Behaviours, in CloudFront's order of evaluation:
//
//   - StaticPathPattern ("/static/*") → the static bucket, managed CachingOptimized policy.
//   - each of CachedPathPatterns → the origin group (or the primary origin), CachingOptimized,
//     GET/HEAD/OPTIONS only, as origin groups require.
//   - default ("*") → the primary origin, every method, managed CachingDisabled policy (or,
//     with PageCaching, the "<name>-pages" policy that caches anonymous GET/HEAD responses as
//     the origin's Cache-Control allows) and AllViewerExceptHostHeader origin request policy
//     (the origin sees its own host name, which its certificate covers, and everything else
//     the viewer sent).
//
// Every behaviour redirects HTTP to HTTPS, compresses and adds security headers (HSTS,
// nosniff, frame DENY, referrer policy). The distribution is global; the provider given to
// the component places the static bucket. The viewer certificate must be in us-east-1.
package cdn

import (
	"encoding/json"
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudfront"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/s3"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Type is the type token of CDN: part of every child's URN.
const Type = "scalestack:aws:CDN"

// AWS-managed CloudFront policy IDs: public constants, the same in every account.
const (
	CachingOptimizedPolicyID                 = "658327ea-f89d-4fab-a63d-7e88639e58f6"
	CachingDisabledPolicyID                  = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"
	AllViewerExceptHostHeaderRequestPolicyID = "b689b0a8-53d0-40ab-baf2-68738e2966ac"
)

// Origin ids inside the distribution: stable, part of the distribution's configuration.
const (
	PrimaryOriginID   = "primary"
	SecondaryOriginID = "secondary"
	StaticOriginID    = "static"
	OriginGroupID     = "primary-failover"
)

// FailoverStatusCodes are the origin responses on which the origin group retries the
// request on the secondary origin.
var FailoverStatusCodes = []int{500, 502, 503, 504}

var (
	allMethods       = []string{"DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"}
	cacheableMethods = []string{"GET", "HEAD", "OPTIONS"}
	cachedMethods    = []string{"GET", "HEAD"}
)

// CDN is a CloudFront distribution, its static-assets bucket and its policies.
type CDN struct {
	pulumi.ResourceState

	// DistributionID is the distribution's id ("E2QWRUHAPOMQZL"), for invalidations.
	DistributionID pulumi.StringOutput `pulumi:"distributionId"`
	// DistributionARN is the distribution's ARN.
	DistributionARN pulumi.StringOutput `pulumi:"distributionArn"`
	// DomainName is the distribution's *.cloudfront.net name: the alias target.
	DomainName pulumi.StringOutput `pulumi:"domainName"`
	// HostedZoneID is CloudFront's hosted zone id, for alias records (Z2FDTNDATAQYW2).
	HostedZoneID pulumi.StringOutput `pulumi:"hostedZoneId"`
	// StaticBucketName is the bucket to upload static assets to (under the static path).
	StaticBucketName pulumi.StringOutput `pulumi:"staticBucketName"`
	// StaticBucketARN is the static bucket's ARN, for deployment pipelines' policies.
	StaticBucketARN pulumi.StringOutput `pulumi:"staticBucketArn"`
	// AccessLogBucketName receives CloudFront's access logs ("" when they are off).
	AccessLogBucketName pulumi.StringOutput `pulumi:"accessLogBucketName"`
}

// New validates args and registers the distribution "<name>", the static bucket
// "<name>-static" (with "-static-public-access", "-static-ownership", "-static-encryption",
// "-static-versioning", "-static-policy"), the origin access control "<name>-static" and the
// response headers policy "<name>-security-headers".
func New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*CDN, error) {
	a, err := args.resolve(name)
	if err != nil {
		return nil, fmt.Errorf("cdn %q: %w", name, err)
	}
	c := &CDN{}
	if err := ctx.RegisterComponentResource(Type, name, c, opts...); err != nil {
		return nil, err
	}
	parent := pulumi.Parent(c)
	tags := pulumi.ToStringMap(a.Tags)

	bucket, access, err := newStaticBucket(ctx, name, a, tags, parent)
	if err != nil {
		return nil, fmt.Errorf("cdn %q: %w", name, err)
	}
	oac, err := cloudfront.NewOriginAccessControl(ctx, name+"-static", &cloudfront.OriginAccessControlArgs{
		Description:                   pulumi.String("scalestack " + name + ": CloudFront reads the static bucket"),
		OriginAccessControlOriginType: pulumi.String("s3"),
		SigningBehavior:               pulumi.String("always"),
		SigningProtocol:               pulumi.String("sigv4"),
	}, parent)
	if err != nil {
		return nil, fmt.Errorf("cdn %q: creating origin access control: %w", name, err)
	}
	headers, err := cloudfront.NewResponseHeadersPolicy(ctx, name+"-security-headers", &cloudfront.ResponseHeadersPolicyArgs{
		Comment: pulumi.String("scalestack " + name + ": security headers"),
		SecurityHeadersConfig: &cloudfront.ResponseHeadersPolicySecurityHeadersConfigArgs{
			StrictTransportSecurity: &cloudfront.ResponseHeadersPolicySecurityHeadersConfigStrictTransportSecurityArgs{
				AccessControlMaxAgeSec: pulumi.Int(a.HSTSMaxAgeSeconds),
				IncludeSubdomains:      pulumi.Bool(true),
				Override:               pulumi.Bool(true),
			},
			ContentTypeOptions: &cloudfront.ResponseHeadersPolicySecurityHeadersConfigContentTypeOptionsArgs{
				Override: pulumi.Bool(true),
			},
			FrameOptions: &cloudfront.ResponseHeadersPolicySecurityHeadersConfigFrameOptionsArgs{
				FrameOption: pulumi.String("DENY"),
				Override:    pulumi.Bool(true),
			},
			ReferrerPolicy: &cloudfront.ResponseHeadersPolicySecurityHeadersConfigReferrerPolicyArgs{
				ReferrerPolicy: pulumi.String("strict-origin-when-cross-origin"),
				Override:       pulumi.Bool(true),
			},
			XssProtection: &cloudfront.ResponseHeadersPolicySecurityHeadersConfigXssProtectionArgs{
				Protection: pulumi.Bool(true),
				ModeBlock:  pulumi.Bool(true),
				Override:   pulumi.Bool(true),
			},
		},
	}, parent)
	if err != nil {
		return nil, fmt.Errorf("cdn %q: creating response headers policy: %w", name, err)
	}

	defaultPolicy := pulumi.String(CachingDisabledPolicyID).ToStringOutput()
	if a.PageCaching {
		pages, err := newPagePolicy(ctx, name, a, parent)
		if err != nil {
			return nil, fmt.Errorf("cdn %q: %w", name, err)
		}
		defaultPolicy = pages.ID().ToStringOutput()
	}

	origins := cloudfront.DistributionOriginArray{
		httpsOrigin(PrimaryOriginID, a.PrimaryOrigin),
		&cloudfront.DistributionOriginArgs{
			OriginId:              pulumi.String(StaticOriginID),
			DomainName:            bucket.BucketRegionalDomainName,
			OriginAccessControlId: oac.ID(),
		},
	}
	var groups cloudfront.DistributionOriginGroupArray
	cachedTarget := PrimaryOriginID
	if a.SecondaryOrigin != nil {
		origins = append(origins, httpsOrigin(SecondaryOriginID, *a.SecondaryOrigin))
		groups = cloudfront.DistributionOriginGroupArray{&cloudfront.DistributionOriginGroupArgs{
			OriginId: pulumi.String(OriginGroupID),
			FailoverCriteria: &cloudfront.DistributionOriginGroupFailoverCriteriaArgs{
				StatusCodes: pulumi.ToIntArray(FailoverStatusCodes),
			},
			Members: cloudfront.DistributionOriginGroupMemberArray{
				&cloudfront.DistributionOriginGroupMemberArgs{OriginId: pulumi.String(PrimaryOriginID)},
				&cloudfront.DistributionOriginGroupMemberArgs{OriginId: pulumi.String(SecondaryOriginID)},
			},
		}}
		cachedTarget = OriginGroupID
	}

	ordered := cloudfront.DistributionOrderedCacheBehaviorArray{&cloudfront.DistributionOrderedCacheBehaviorArgs{
		PathPattern:             pulumi.String(a.StaticPathPattern),
		TargetOriginId:          pulumi.String(StaticOriginID),
		AllowedMethods:          pulumi.ToStringArray(cacheableMethods),
		CachedMethods:           pulumi.ToStringArray(cachedMethods),
		CachePolicyId:           pulumi.String(CachingOptimizedPolicyID),
		ResponseHeadersPolicyId: headers.ID(),
		ViewerProtocolPolicy:    pulumi.String("redirect-to-https"),
		Compress:                pulumi.Bool(true),
	}}
	for _, p := range a.CachedPathPatterns {
		ordered = append(ordered, &cloudfront.DistributionOrderedCacheBehaviorArgs{
			PathPattern:             pulumi.String(p),
			TargetOriginId:          pulumi.String(cachedTarget),
			AllowedMethods:          pulumi.ToStringArray(cacheableMethods),
			CachedMethods:           pulumi.ToStringArray(cachedMethods),
			CachePolicyId:           pulumi.String(CachingOptimizedPolicyID),
			ResponseHeadersPolicyId: headers.ID(),
			ViewerProtocolPolicy:    pulumi.String("redirect-to-https"),
			Compress:                pulumi.Bool(true),
		})
	}

	viewer := &cloudfront.DistributionViewerCertificateArgs{CloudfrontDefaultCertificate: pulumi.Bool(true)}
	if a.CertificateARN != nil {
		viewer = &cloudfront.DistributionViewerCertificateArgs{
			AcmCertificateArn:      a.CertificateARN,
			SslSupportMethod:       pulumi.String("sni-only"),
			MinimumProtocolVersion: pulumi.String("TLSv1.2_2021"),
		}
	}
	distArgs := &cloudfront.DistributionArgs{
		Comment:       pulumi.String("scalestack " + name),
		Enabled:       pulumi.Bool(true),
		IsIpv6Enabled: pulumi.Bool(true),
		HttpVersion:   pulumi.String("http2and3"),
		PriceClass:    pulumi.String(a.PriceClass),
		Origins:       origins,
		OriginGroups:  groups,
		DefaultCacheBehavior: &cloudfront.DistributionDefaultCacheBehaviorArgs{
			TargetOriginId:          pulumi.String(PrimaryOriginID),
			AllowedMethods:          pulumi.ToStringArray(allMethods),
			CachedMethods:           pulumi.ToStringArray(cachedMethods),
			CachePolicyId:           defaultPolicy,
			OriginRequestPolicyId:   pulumi.String(AllViewerExceptHostHeaderRequestPolicyID),
			ResponseHeadersPolicyId: headers.ID(),
			ViewerProtocolPolicy:    pulumi.String("redirect-to-https"),
			Compress:                pulumi.Bool(true),
		},
		OrderedCacheBehaviors: ordered,
		Restrictions: &cloudfront.DistributionRestrictionsArgs{
			GeoRestriction: &cloudfront.DistributionRestrictionsGeoRestrictionArgs{RestrictionType: pulumi.String("none")},
		},
		ViewerCertificate: viewer,
		Tags:              tags,
	}
	if len(a.Aliases) > 0 {
		distArgs.Aliases = pulumi.ToStringArray(a.Aliases)
	}
	if a.WebACLARN != nil {
		distArgs.WebAclId = a.WebACLARN
	}
	distOpts := []pulumi.ResourceOption{parent}
	var logBucketName pulumi.StringOutput
	if !a.DisableAccessLogs {
		logs, ready, err := newLogBucket(ctx, name, a, tags, parent)
		if err != nil {
			return nil, fmt.Errorf("cdn %q: %w", name, err)
		}
		distArgs.LoggingConfig = &cloudfront.DistributionLoggingConfigArgs{
			Bucket:         logs.BucketDomainName,
			Prefix:         pulumi.String("cloudfront/"),
			IncludeCookies: pulumi.Bool(false),
		}
		distOpts = append(distOpts, pulumi.DependsOn(ready))
		logBucketName = logs.Bucket
	} else {
		logBucketName = pulumi.String("").ToStringOutput()
	}
	dist, err := cloudfront.NewDistribution(ctx, name, distArgs, distOpts...)
	if err != nil {
		return nil, fmt.Errorf("cdn %q: creating distribution: %w", name, err)
	}

	// Only this distribution may read the bucket, and only over TLS.
	policy := pulumi.All(bucket.Arn, dist.Arn).ApplyT(func(v []any) (string, error) {
		return bucketPolicy(v[0].(string), v[1].(string))
	}).(pulumi.StringOutput)
	if _, err := s3.NewBucketPolicy(ctx, name+"-static-policy", &s3.BucketPolicyArgs{
		Bucket: bucket.ID(),
		Policy: policy,
	}, parent, pulumi.DependsOn([]pulumi.Resource{access})); err != nil {
		return nil, fmt.Errorf("cdn %q: creating static bucket policy: %w", name, err)
	}

	c.DistributionID = dist.ID().ToStringOutput()
	c.DistributionARN = dist.Arn
	c.DomainName = dist.DomainName
	c.HostedZoneID = dist.HostedZoneId
	c.StaticBucketName = bucket.Bucket
	c.StaticBucketARN = bucket.Arn
	c.AccessLogBucketName = logBucketName
	return c, ctx.RegisterResourceOutputs(c, pulumi.Map{
		"accessLogBucketName": c.AccessLogBucketName,
		"distributionId":      c.DistributionID,
		"distributionArn":     c.DistributionARN,
		"domainName":          c.DomainName,
		"hostedZoneId":        c.HostedZoneID,
		"staticBucketName":    c.StaticBucketName,
		"staticBucketArn":     c.StaticBucketARN,
	})
}

// newPagePolicy registers the default behaviour's cache policy for full-page caching.
//
// CloudFront rules it follows (Amazon CloudFront developer guide, "Manage how long content
// stays in the cache" and "Cache key settings"; knowledge-center/cloudfront-authorization-header):
//   - with MinTTL 0, CloudFront honours Cache-Control private, no-store and no-cache, and with
//     DefaultTTL 0 a response without Cache-Control or Expires is not cached;
//   - the Authorization header reaches the origin only through a cache policy (an origin
//     request policy that names it is refused with HTTP 400), and it is then part of the key;
//   - headers can be in the key only when some TTL is above 0 (MaxTTL here).
func newPagePolicy(ctx *pulumi.Context, name string, a Args, parent pulumi.ResourceOption) (*cloudfront.CachePolicy, error) {
	type params = cloudfront.CachePolicyParametersInCacheKeyAndForwardedToOriginArgs
	p, err := cloudfront.NewCachePolicy(ctx, name+"-pages", &cloudfront.CachePolicyArgs{
		Comment:    pulumi.String("scalestack " + name + ": anonymous pages, as the origin's Cache-Control allows"),
		MinTtl:     pulumi.Int(0),
		DefaultTtl: pulumi.Int(0),
		MaxTtl:     pulumi.Int(a.PageMaxTTLSeconds),
		ParametersInCacheKeyAndForwardedToOrigin: &params{
			CookiesConfig: &cloudfront.CachePolicyParametersInCacheKeyAndForwardedToOriginCookiesConfigArgs{
				CookieBehavior: pulumi.String("none"),
			},
			HeadersConfig: &cloudfront.CachePolicyParametersInCacheKeyAndForwardedToOriginHeadersConfigArgs{
				HeaderBehavior: pulumi.String("whitelist"),
				Headers: &cloudfront.CachePolicyParametersInCacheKeyAndForwardedToOriginHeadersConfigHeadersArgs{
					Items: pulumi.ToStringArray(PageCacheKeyHeaders),
				},
			},
			QueryStringsConfig: &cloudfront.CachePolicyParametersInCacheKeyAndForwardedToOriginQueryStringsConfigArgs{
				QueryStringBehavior: pulumi.String("all"),
			},
			EnableAcceptEncodingGzip:   pulumi.Bool(true),
			EnableAcceptEncodingBrotli: pulumi.Bool(true),
		},
	}, parent)
	if err != nil {
		return nil, fmt.Errorf("creating page cache policy: %w", err)
	}
	return p, nil
}

// PageCacheKeyHeaders are the headers in the page cache key: Authorization, so that a
// request carrying credentials never shares an entry with anonymous ones.
var PageCacheKeyHeaders = []string{"Authorization"}

// httpsOrigin is a custom origin CloudFront reaches over HTTPS only, with TLS 1.2.
func httpsOrigin(id string, o Origin) *cloudfront.DistributionOriginArgs {
	var headers cloudfront.DistributionOriginCustomHeaderArray
	for _, k := range sortedKeys(o.CustomHeaders) {
		headers = append(headers, &cloudfront.DistributionOriginCustomHeaderArgs{
			Name:  pulumi.String(k),
			Value: o.CustomHeaders[k],
		})
	}
	return &cloudfront.DistributionOriginArgs{
		OriginId:      pulumi.String(id),
		DomainName:    o.DomainName,
		CustomHeaders: headers,
		CustomOriginConfig: &cloudfront.DistributionOriginCustomOriginConfigArgs{
			HttpPort:             pulumi.Int(80), // required by the API, never used: https-only
			HttpsPort:            pulumi.Int(o.HTTPSPort),
			OriginProtocolPolicy: pulumi.String("https-only"),
			OriginSslProtocols:   pulumi.ToStringArray([]string{"TLSv1.2"}),
			OriginReadTimeout:    pulumi.Int(o.ReadTimeoutSeconds),
		},
	}
}

// newStaticBucket creates the private, encrypted, versioned static-assets bucket and
// returns it with its public access block (which the bucket policy waits for).
func newStaticBucket(ctx *pulumi.Context, name string, a Args, tags pulumi.StringMap, parent pulumi.ResourceOption) (*s3.BucketV2, pulumi.Resource, error) {
	bucket, access, _, err := newPrivateBucket(ctx, name+"-static", "the static bucket", "BucketOwnerEnforced", a.ForceDestroyStaticBucket || a.DestroyBucketsWithContents, !a.DestroyBucketsWithContents, tags, parent)
	if err != nil {
		return nil, nil, err
	}
	if _, err := s3.NewBucketVersioningV2(ctx, name+"-static-versioning", &s3.BucketVersioningV2Args{
		Bucket:                  bucket.ID(),
		VersioningConfiguration: &s3.BucketVersioningV2VersioningConfigurationArgs{Status: pulumi.String("Enabled")},
	}, parent); err != nil {
		return nil, nil, fmt.Errorf("versioning the static bucket: %w", err)
	}
	return bucket, access, nil
}

// newPrivateBucket creates a bucket named base with every public access block on, the given
// object ownership and SSE-S3 encryption (CloudFront's log delivery cannot write SSE-KMS);
// forceDestroy empties it on delete, retain keeps it (and its contents) on delete.
// what names the bucket in errors. It returns the bucket,
// its public access block (which a bucket policy must wait for) and its ownership controls.
func newPrivateBucket(ctx *pulumi.Context, base, what, ownership string, forceDestroy, retain bool, tags pulumi.StringMap, parent pulumi.ResourceOption) (*s3.BucketV2, pulumi.Resource, pulumi.Resource, error) {
	bucket, err := s3.NewBucketV2(ctx, base, &s3.BucketV2Args{ForceDestroy: pulumi.Bool(forceDestroy), Tags: tags}, parent, pulumi.RetainOnDelete(retain))
	if err != nil {
		return nil, nil, nil, fmt.Errorf("creating %s: %w", what, err)
	}
	access, err := s3.NewBucketPublicAccessBlock(ctx, base+"-public-access", &s3.BucketPublicAccessBlockArgs{
		Bucket:                bucket.ID(),
		BlockPublicAcls:       pulumi.Bool(true),
		BlockPublicPolicy:     pulumi.Bool(true),
		IgnorePublicAcls:      pulumi.Bool(true),
		RestrictPublicBuckets: pulumi.Bool(true),
	}, parent)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("blocking public access to %s: %w", what, err)
	}
	owner, err := s3.NewBucketOwnershipControls(ctx, base+"-ownership", &s3.BucketOwnershipControlsArgs{
		Bucket: bucket.ID(),
		Rule:   &s3.BucketOwnershipControlsRuleArgs{ObjectOwnership: pulumi.String(ownership)},
	}, parent)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("setting object ownership of %s: %w", what, err)
	}
	if _, err := s3.NewBucketServerSideEncryptionConfigurationV2(ctx, base+"-encryption", &s3.BucketServerSideEncryptionConfigurationV2Args{
		Bucket: bucket.ID(),
		Rules: s3.BucketServerSideEncryptionConfigurationV2RuleArray{&s3.BucketServerSideEncryptionConfigurationV2RuleArgs{
			ApplyServerSideEncryptionByDefault: &s3.BucketServerSideEncryptionConfigurationV2RuleApplyServerSideEncryptionByDefaultArgs{
				SseAlgorithm: pulumi.String("AES256"),
			},
		}},
	}, parent); err != nil {
		return nil, nil, nil, fmt.Errorf("encrypting %s: %w", what, err)
	}
	return bucket, access, owner, nil
}

// newLogBucket creates the access-log bucket: private (every public access block on),
// encrypted with SSE-S3 (CloudFront log delivery does not support SSE-KMS), ACLs enabled with
// the owner preferred (CloudFront's log delivery writes through an ACL grant it adds), expiring
// logs after AccessLogRetentionDays, and refusing requests without TLS. It returns the bucket
// and what the distribution must wait for.
func newLogBucket(ctx *pulumi.Context, name string, a Args, tags pulumi.StringMap, parent pulumi.ResourceOption) (*s3.BucketV2, []pulumi.Resource, error) {
	bucket, access, ownership, err := newPrivateBucket(ctx, name+"-logs", "the access-log bucket", "BucketOwnerPreferred", a.DestroyBucketsWithContents, !a.DestroyBucketsWithContents, tags, parent)
	if err != nil {
		return nil, nil, err
	}
	if _, err := s3.NewBucketLifecycleConfigurationV2(ctx, name+"-logs-expiry", &s3.BucketLifecycleConfigurationV2Args{
		Bucket: bucket.ID(),
		Rules: s3.BucketLifecycleConfigurationV2RuleArray{&s3.BucketLifecycleConfigurationV2RuleArgs{
			Id:         pulumi.String("expire-access-logs"),
			Status:     pulumi.String("Enabled"),
			Filter:     &s3.BucketLifecycleConfigurationV2RuleFilterArgs{Prefix: pulumi.String("")},
			Expiration: &s3.BucketLifecycleConfigurationV2RuleExpirationArgs{Days: pulumi.Int(a.AccessLogRetentionDays)},
		}},
	}, parent); err != nil {
		return nil, nil, fmt.Errorf("expiring the access logs: %w", err)
	}
	policy := bucket.Arn.ApplyT(func(arn string) (string, error) {
		b, err := json.Marshal(map[string]any{
			"Version": "2012-10-17",
			"Statement": []any{map[string]any{
				"Sid": "DenyInsecureTransport", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
				"Resource":  []string{arn, arn + "/*"},
				"Condition": map[string]any{"Bool": map[string]any{"aws:SecureTransport": "false"}},
			}},
		})
		return string(b), err
	}).(pulumi.StringOutput)
	pol, err := s3.NewBucketPolicy(ctx, name+"-logs-policy", &s3.BucketPolicyArgs{Bucket: bucket.ID(), Policy: policy},
		parent, pulumi.DependsOn([]pulumi.Resource{access}))
	if err != nil {
		return nil, nil, fmt.Errorf("creating the access-log bucket policy: %w", err)
	}
	return bucket, []pulumi.Resource{ownership, pol}, nil
}

// bucketPolicy allows s3:GetObject to the CloudFront service only on behalf of the
// distribution distARN, and denies every request that does not use TLS.
func bucketPolicy(bucketARN, distARN string) (string, error) {
	doc := map[string]any{
		"Version": "2012-10-17",
		"Statement": []any{
			map[string]any{
				"Sid":       "AllowCloudFrontServicePrincipalReadOnly",
				"Effect":    "Allow",
				"Principal": map[string]any{"Service": "cloudfront.amazonaws.com"},
				"Action":    "s3:GetObject",
				"Resource":  bucketARN + "/*",
				"Condition": map[string]any{"StringEquals": map[string]any{"AWS:SourceArn": distARN}},
			},
			map[string]any{
				"Sid":       "DenyInsecureTransport",
				"Effect":    "Deny",
				"Principal": "*",
				"Action":    "s3:*",
				"Resource":  []any{bucketARN, bucketARN + "/*"},
				"Condition": map[string]any{"Bool": map[string]any{"aws:SecureTransport": "false"}},
			},
		},
	}
	b, err := json.Marshal(doc)
	return string(b), err
}
