// Package waf creates an AWS WAF web ACL for CloudFront (or a regional load balancer): AWS
// managed rule groups (common exploits, known bad inputs, IP reputation by default) and a
// per-IP rate limit, with CloudWatch metrics and sampled requests on every rule.
//
// A CloudFront web ACL lives in us-east-1: give the component the us-east-1 provider
// (awsregions.Regions.Edge), then pass WebACLARN to the CDN's WebACLARN.
package waf

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/wafv2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// TypeToken is the component's type; it is part of every child's URN.
const TypeToken = "scalestack:aws:WebACL"

// Scopes a web ACL can have.
const (
	ScopeCloudFront = "CLOUDFRONT"
	ScopeRegional   = "REGIONAL"
)

// DefaultManagedRuleGroups are the AWS managed rule groups a web ACL runs unless told
// otherwise: OWASP-style common exploits, known bad inputs (Log4j and the like) and Amazon's
// IP reputation list. All three are in the free tier of AWS WAF managed rules.
var DefaultManagedRuleGroups = []string{
	"AWSManagedRulesCommonRuleSet",
	"AWSManagedRulesKnownBadInputsRuleSet",
	"AWSManagedRulesAmazonIpReputationList",
}

// BodySizeRule is the rule of AWSManagedRulesCommonRuleSet that blocks request bodies over
// 8 KB ("Baseline rule groups", AWS WAF developer guide).
const BodySizeRule = "SizeRestrictions_BODY"

// Values of Args.BodySizeAction.
const (
	BodySizeCount = "count"
	BodySizeBlock = "block"
)

// commonRuleSet is the managed rule group BodySizeRule belongs to.
const commonRuleSet = "AWSManagedRulesCommonRuleSet"

// DefaultRateLimitPer5Minutes is the requests one client IP may send in five minutes before
// it is blocked.
const DefaultRateLimitPer5Minutes = 2000

// Args configures a WebACL. Zero values mean the documented default.
type Args struct {
	// Scope is ScopeCloudFront (default; the provider must be us-east-1) or ScopeRegional.
	Scope string
	// ManagedRuleGroups are AWS managed rule group names, evaluated in order. Default:
	// DefaultManagedRuleGroups. Allowed: 1-10 distinct names.
	ManagedRuleGroups []string
	// RateLimitPer5Minutes blocks a client IP above this many requests in five minutes.
	// Default: 2000. Allowed: 100-2000000000. DisableRateLimit turns the rule off.
	RateLimitPer5Minutes int
	DisableRateLimit     bool
	// CountOnly runs every rule in count mode: matches are measured, nothing is blocked. Use it
	// to tune a new web ACL against real traffic. Default: false (block).
	CountOnly bool
	// BodySizeAction is what the common rule set's SizeRestrictions_BODY rule does with a
	// request body over 8 KB (AWSManagedRulesCommonRuleSet): BodySizeCount (default: an API
	// backend accepts uploads and JSON over 8 KB, so the rule only counts) or BodySizeBlock
	// (the managed rule's own action). Applies only when AWSManagedRulesCommonRuleSet is in
	// ManagedRuleGroups.
	BodySizeAction string
	// Tags are added to the web ACL.
	Tags map[string]string
}

// WebACL is a web ACL with managed rule groups and a rate limit.
type WebACL struct {
	pulumi.ResourceState

	// WebACLARN is the web ACL's ARN (what CloudFront's webAclId takes).
	WebACLARN pulumi.StringOutput `pulumi:"webAclArn"`
	// WebACLID is the web ACL's ID.
	WebACLID pulumi.StringOutput `pulumi:"webAclId"`
}

var groupRE = regexp.MustCompile(`^[A-Za-z0-9_-]{1,128}$`)

// withDefaults returns a copy of a with every zero value replaced by its default.
func (a Args) withDefaults() Args {
	if a.Scope == "" {
		a.Scope = ScopeCloudFront
	}
	if len(a.ManagedRuleGroups) == 0 {
		a.ManagedRuleGroups = append([]string(nil), DefaultManagedRuleGroups...)
	}
	if a.RateLimitPer5Minutes == 0 {
		a.RateLimitPer5Minutes = DefaultRateLimitPer5Minutes
	}
	if a.BodySizeAction == "" {
		a.BodySizeAction = BodySizeCount
	}
	return a
}

// validate checks resolved arguments and reports every problem at once.
func (a Args) validate() error {
	var problems []string
	if a.Scope != ScopeCloudFront && a.Scope != ScopeRegional {
		problems = append(problems, fmt.Sprintf("Scope %q is not allowed: want %s or %s", a.Scope, ScopeCloudFront, ScopeRegional))
	}
	if len(a.ManagedRuleGroups) > 10 {
		problems = append(problems, fmt.Sprintf("ManagedRuleGroups has %d groups: want at most 10", len(a.ManagedRuleGroups)))
	}
	seen := map[string]bool{}
	for i, g := range a.ManagedRuleGroups {
		switch {
		case !groupRE.MatchString(g):
			problems = append(problems, fmt.Sprintf("ManagedRuleGroups[%d] %q is not a rule group name (like AWSManagedRulesCommonRuleSet)", i, g))
		case seen[g]:
			problems = append(problems, fmt.Sprintf("ManagedRuleGroups[%d] %q is listed twice", i, g))
		}
		seen[g] = true
	}
	if a.BodySizeAction != BodySizeCount && a.BodySizeAction != BodySizeBlock {
		problems = append(problems, fmt.Sprintf("BodySizeAction %q is not allowed: want %s or %s", a.BodySizeAction, BodySizeCount, BodySizeBlock))
	}
	if !a.DisableRateLimit && (a.RateLimitPer5Minutes < 100 || a.RateLimitPer5Minutes > 2000000000) {
		problems = append(problems, fmt.Sprintf("RateLimitPer5Minutes %d is not allowed: want 100-2000000000", a.RateLimitPer5Minutes))
	}
	if len(problems) > 0 {
		return fmt.Errorf("%s", strings.Join(problems, "; "))
	}
	return nil
}

// Validate checks the arguments with their defaults applied, without registering anything, so a
// pattern component can check them before it registers its other children.
func (a Args) Validate() error { return a.withDefaults().validate() }

// New validates args, applies defaults and registers the web ACL.
func New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*WebACL, error) {
	if args == nil {
		args = &Args{}
	}
	a := args.withDefaults()
	if err := a.validate(); err != nil {
		return nil, fmt.Errorf("web ACL %q: %w", name, err)
	}
	w := &WebACL{}
	if err := ctx.RegisterComponentResource(TypeToken, name, w, opts...); err != nil {
		return nil, err
	}
	visibility := func(metric string) wafv2.WebAclRuleVisibilityConfigArgs {
		return wafv2.WebAclRuleVisibilityConfigArgs{
			CloudwatchMetricsEnabled: pulumi.Bool(true),
			MetricName:               pulumi.String(metricName(name + "-" + metric)),
			SampledRequestsEnabled:   pulumi.Bool(true),
		}
	}
	var rules wafv2.WebAclRuleArray
	for i, g := range a.ManagedRuleGroups {
		override := &wafv2.WebAclRuleOverrideActionArgs{None: &wafv2.WebAclRuleOverrideActionNoneArgs{}}
		if a.CountOnly {
			override = &wafv2.WebAclRuleOverrideActionArgs{Count: &wafv2.WebAclRuleOverrideActionCountArgs{}}
		}
		group := &wafv2.WebAclRuleStatementManagedRuleGroupStatementArgs{
			Name: pulumi.String(g), VendorName: pulumi.String("AWS"),
		}
		if g == commonRuleSet && a.BodySizeAction == BodySizeCount {
			group.RuleActionOverrides = wafv2.WebAclRuleStatementManagedRuleGroupStatementRuleActionOverrideArray{
				&wafv2.WebAclRuleStatementManagedRuleGroupStatementRuleActionOverrideArgs{
					Name: pulumi.String(BodySizeRule),
					ActionToUse: &wafv2.WebAclRuleStatementManagedRuleGroupStatementRuleActionOverrideActionToUseArgs{
						Count: &wafv2.WebAclRuleStatementManagedRuleGroupStatementRuleActionOverrideActionToUseCountArgs{},
					},
				},
			}
		}
		rules = append(rules, wafv2.WebAclRuleArgs{
			Name:           pulumi.String(g),
			Priority:       pulumi.Int(i),
			OverrideAction: override,
			Statement: wafv2.WebAclRuleStatementArgs{
				ManagedRuleGroupStatement: group,
			},
			VisibilityConfig: visibility(g),
		})
	}
	if !a.DisableRateLimit {
		action := &wafv2.WebAclRuleActionArgs{Block: &wafv2.WebAclRuleActionBlockArgs{}}
		if a.CountOnly {
			action = &wafv2.WebAclRuleActionArgs{Count: &wafv2.WebAclRuleActionCountArgs{}}
		}
		rules = append(rules, wafv2.WebAclRuleArgs{
			Name:     pulumi.String("rate-limit-per-ip"),
			Priority: pulumi.Int(len(a.ManagedRuleGroups)),
			Action:   action,
			Statement: wafv2.WebAclRuleStatementArgs{
				RateBasedStatement: &wafv2.WebAclRuleStatementRateBasedStatementArgs{
					Limit: pulumi.Int(a.RateLimitPer5Minutes), AggregateKeyType: pulumi.String("IP"),
				},
			},
			VisibilityConfig: visibility("rate-limit"),
		})
	}
	tags := pulumi.StringMap{"Name": pulumi.String(name)}
	for k, v := range a.Tags {
		if k != "Name" {
			tags[k] = pulumi.String(v)
		}
	}
	acl, err := wafv2.NewWebAcl(ctx, name, &wafv2.WebAclArgs{
		Description:   pulumi.Sprintf("scalestack %s: AWS managed rules and a per-IP rate limit", name),
		Scope:         pulumi.String(a.Scope),
		DefaultAction: wafv2.WebAclDefaultActionArgs{Allow: &wafv2.WebAclDefaultActionAllowArgs{}},
		Rules:         rules,
		VisibilityConfig: wafv2.WebAclVisibilityConfigArgs{
			CloudwatchMetricsEnabled: pulumi.Bool(true),
			MetricName:               pulumi.String(metricName(name)),
			SampledRequestsEnabled:   pulumi.Bool(true),
		},
		Tags: tags,
	}, pulumi.Parent(w))
	if err != nil {
		return nil, fmt.Errorf("creating web ACL %q: %w", name, err)
	}
	w.WebACLARN, w.WebACLID = acl.Arn, acl.ID().ToStringOutput()
	return w, ctx.RegisterResourceOutputs(w, pulumi.Map{"webAclArn": w.WebACLARN, "webAclId": w.WebACLID})
}

var metricInvalid = regexp.MustCompile(`[^A-Za-z0-9_-]`)

// metricName makes a CloudWatch metric name WAF accepts: letters, digits, _ and -, at most 128.
func metricName(s string) string {
	s = metricInvalid.ReplaceAllString(s, "-")
	if len(s) > 128 {
		s = s[:128]
	}
	return s
}
