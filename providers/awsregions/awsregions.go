// Package awsregions creates the explicit AWS providers a multi-region stack places its
// resources with: one per region, with default tags, plus the us-east-1 provider that
// CloudFront certificates and other global resources need, whatever the primary region is.
//
// Providers are named after their region ("aws-us-east-1"), so adding a secondary region or
// moving the edge provider never renames an existing provider, and no resource is replaced.
//
//	regions, err := awsregions.New(ctx, awsregions.Args{
//		Primary: "eu-west-1", Secondary: "eu-central-1",
//		Tags:    providers.DefaultTags(ctx.Project(), ctx.Stack(), "prod"),
//	})
//	// regions.Primary, regions.Secondary (nil when single-region), regions.Edge (us-east-1)
package awsregions

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/scalestack/scalestack/providers"
)

// EdgeRegion is where CloudFront looks for viewer certificates and WAF web ACLs.
const EdgeRegion = "us-east-1"

// Args configures the providers.
type Args struct {
	// Primary is the region that serves traffic. Required.
	Primary string
	// Secondary is the warm-standby region; "" for a single-region deployment.
	Secondary string
	// Tags are applied to every taggable resource through the provider's default tags.
	Tags providers.Tags
	// AllowedAccountIDs, when set, makes the providers refuse to run against other accounts.
	AllowedAccountIDs []string
}

// Regions is the set of providers of a stack.
type Regions struct {
	// Primary places resources in the primary region.
	Primary *aws.Provider
	// Secondary places resources in the secondary region; nil when single-region.
	Secondary *aws.Provider
	// Edge is the us-east-1 provider (the same as Primary or Secondary when either is us-east-1).
	Edge *aws.Provider

	PrimaryRegion   string
	SecondaryRegion string
}

// Validate checks the arguments without registering anything.
func (a Args) Validate() error {
	if !IsKnown(a.Primary) {
		return fmt.Errorf("awsregions: Primary %q is not an AWS region (like us-east-1; the list: %s)", a.Primary, Source)
	}
	if a.Secondary != "" {
		if !IsKnown(a.Secondary) {
			return fmt.Errorf("awsregions: Secondary %q is not an AWS region (like us-west-2; the list: %s), or \"\" for none", a.Secondary, Source)
		}
		if a.Secondary == a.Primary {
			return fmt.Errorf("awsregions: Secondary %q equals Primary: want another region", a.Secondary)
		}
	}
	return nil
}

// New registers the providers. Each is named "aws-<region>".
func New(ctx *pulumi.Context, args Args, opts ...pulumi.ResourceOption) (*Regions, error) {
	if err := args.Validate(); err != nil {
		return nil, err
	}
	r := &Regions{PrimaryRegion: args.Primary, SecondaryRegion: args.Secondary}
	var err error
	if r.Primary, err = Provider(ctx, args.Primary, args, opts...); err != nil {
		return nil, err
	}
	r.Edge = r.Primary
	if args.Secondary != "" {
		if r.Secondary, err = Provider(ctx, args.Secondary, args, opts...); err != nil {
			return nil, err
		}
		if args.Secondary == EdgeRegion {
			r.Edge = r.Secondary
		}
	}
	if args.Primary != EdgeRegion && args.Secondary != EdgeRegion {
		if r.Edge, err = Provider(ctx, EdgeRegion, args, opts...); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// Provider registers one provider for region, named "aws-<region>", with the default tags.
func Provider(ctx *pulumi.Context, region string, args Args, opts ...pulumi.ResourceOption) (*aws.Provider, error) {
	pargs := &aws.ProviderArgs{Region: pulumi.String(region)}
	if len(args.Tags) > 0 {
		pargs.DefaultTags = &aws.ProviderDefaultTagsArgs{Tags: pulumi.ToStringMap(args.Tags)}
	}
	if len(args.AllowedAccountIDs) > 0 {
		pargs.AllowedAccountIds = pulumi.ToStringArray(args.AllowedAccountIDs)
	}
	p, err := aws.NewProvider(ctx, "aws-"+region, pargs, opts...)
	if err != nil {
		return nil, fmt.Errorf("creating AWS provider for %s: %w", region, err)
	}
	return p, nil
}
