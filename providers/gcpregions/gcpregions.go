// Package gcpregions creates the explicit Google Cloud providers a multi-region stack places
// its resources with: one per region, named "gcp-<region>", each with the project and the
// stack's default labels (normalised by providers.Tags.Labels).
//
// Providers are named after their region, so adding a secondary region never renames an
// existing provider and no resource is replaced.
//
//	regions, err := gcpregions.New(ctx, gcpregions.Args{
//		Project: "my-project", Primary: "us-central1", Secondary: "us-east1",
//		Tags:    providers.DefaultTags(ctx.Project(), ctx.Stack(), "prod"),
//	})
//	// regions.Primary, regions.Secondary (nil when single-region)
package gcpregions

import (
	"fmt"
	"regexp"

	"github.com/pulumi/pulumi-gcp/sdk/v7/go/gcp"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/scalestack/scalestack/providers"
)

// Args configures the providers.
type Args struct {
	// Project is the Google Cloud project ID every resource is created in. Required.
	Project string
	// Primary is the region that serves traffic. Required.
	Primary string
	// Secondary is the warm-standby region; "" for a single-region deployment.
	Secondary string
	// Tags become the providers' default labels (GCP-normalised). Default: none.
	Tags providers.Tags
}

// Regions is the set of providers of a stack.
type Regions struct {
	// Primary places resources in the primary region (and global resources).
	Primary *gcp.Provider
	// Secondary places resources in the secondary region; nil when single-region.
	Secondary *gcp.Provider

	// PrimaryRegion is the primary region's name.
	PrimaryRegion string
	// SecondaryRegion is the secondary region's name ("" when single-region).
	SecondaryRegion string
}

var (
	projectRE = regexp.MustCompile(`^[a-z][a-z0-9-]{4,28}[a-z0-9]$`)
)

// Validate checks the arguments without registering anything.
func (a Args) Validate() error {
	if !projectRE.MatchString(a.Project) {
		return fmt.Errorf("gcpregions: Project %q is not a project ID: want 6-30 lowercase letters, digits and dashes, starting with a letter", a.Project)
	}
	if !IsKnown(a.Primary) {
		return fmt.Errorf("gcpregions: Primary %q is not a Google Cloud region (like us-central1; the list: %s)", a.Primary, Source)
	}
	if a.Secondary != "" {
		if !IsKnown(a.Secondary) {
			return fmt.Errorf("gcpregions: Secondary %q is not a Google Cloud region (like us-east1; the list: %s), or \"\" for none", a.Secondary, Source)
		}
		if a.Secondary == a.Primary {
			return fmt.Errorf("gcpregions: Secondary %q equals Primary: want another region", a.Secondary)
		}
	}
	return nil
}

// New registers the providers, each named "gcp-<region>". opts apply to every provider
// (pulumi.DependsOn on them makes every resource placed with them wait, for example for
// the project's APIs to be enabled).
func New(ctx *pulumi.Context, args Args, opts ...pulumi.ResourceOption) (*Regions, error) {
	if err := args.Validate(); err != nil {
		return nil, err
	}
	r := &Regions{PrimaryRegion: args.Primary, SecondaryRegion: args.Secondary}
	var err error
	if r.Primary, err = Provider(ctx, args.Primary, args, opts...); err != nil {
		return nil, err
	}
	if args.Secondary != "" {
		if r.Secondary, err = Provider(ctx, args.Secondary, args, opts...); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// Provider registers one provider for region, named "gcp-<region>", with the project and
// the default labels.
func Provider(ctx *pulumi.Context, region string, args Args, opts ...pulumi.ResourceOption) (*gcp.Provider, error) {
	pargs := &gcp.ProviderArgs{
		Project: pulumi.String(args.Project),
		Region:  pulumi.String(region),
	}
	if len(args.Tags) > 0 {
		pargs.DefaultLabels = pulumi.ToStringMap(args.Tags.Labels())
	}
	p, err := gcp.NewProvider(ctx, "gcp-"+region, pargs, opts...)
	if err != nil {
		return nil, fmt.Errorf("creating Google Cloud provider for %s: %w", region, err)
	}
	return p, nil
}

// ProjectProvider registers the provider for project-level resources such as API enablement,
// named "gcp-project": it carries the project and default labels but no region, so those
// resources never fall back to the default provider (whose project would come from ambient
// gcloud configuration).
func ProjectProvider(ctx *pulumi.Context, args Args, opts ...pulumi.ResourceOption) (*gcp.Provider, error) {
	pargs := &gcp.ProviderArgs{Project: pulumi.String(args.Project)}
	if len(args.Tags) > 0 {
		pargs.DefaultLabels = pulumi.ToStringMap(args.Tags.Labels())
	}
	p, err := gcp.NewProvider(ctx, "gcp-project", pargs, opts...)
	if err != nil {
		return nil, fmt.Errorf("creating the Google Cloud project provider: %w", err)
	}
	return p, nil
}
