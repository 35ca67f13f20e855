// Package azureregions creates the explicit azure-native providers a multi-region stack places
// its resources with: one per location, named "azure-native-<location>", so that adding a
// secondary location never renames an existing provider and no resource is replaced.
//
// azure-native has no provider-level default tags, so tags must be passed to every resource.
// Tags returns the merged map with one precedence, lowest to highest: the stack's default
// tags (providers.DefaultTags), then tags the user passes to a component, then tags a
// component sets on one child (such as "tier"). Components call Tags; nothing else merges.
//
//	regions, err := azureregions.New(ctx, azureregions.Args{Primary: "eastus2", Secondary: "centralus"})
//	// regions.Primary, regions.Secondary (nil when single-region)
package azureregions

import (
	"fmt"

	azure "github.com/pulumi/pulumi-azure-native-sdk/v2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/scalestack/scalestack/providers"
)

// Args configures the providers.
type Args struct {
	// Primary is the location that serves traffic ("eastus2"). Required.
	Primary string
	// Secondary is the warm-standby location; "" for a single-region deployment.
	Secondary string
	// SubscriptionID pins the providers to one subscription. Default: "" (the ambient
	// credentials' subscription, as `az login` or ARM_SUBSCRIPTION_ID selects it).
	SubscriptionID string
}

// Regions is the set of providers of a stack.
type Regions struct {
	// Primary places resources in the primary location.
	Primary *azure.Provider
	// Secondary places resources in the secondary location; nil when single-region.
	Secondary *azure.Provider

	PrimaryLocation   string
	SecondaryLocation string
}

// Validate checks the arguments without registering anything.
func (a Args) Validate() error {
	if !IsKnown(a.Primary) {
		return fmt.Errorf("azureregions: Primary %q is not an Azure location: want a name such as eastus2 (the list: %s)", a.Primary, Source)
	}
	if a.Secondary != "" {
		if !IsKnown(a.Secondary) {
			return fmt.Errorf("azureregions: Secondary %q is not an Azure location: want a name such as centralus (the list: %s), or \"\" for none", a.Secondary, Source)
		}
		if a.Secondary == a.Primary {
			return fmt.Errorf("azureregions: Secondary %q equals Primary: want another location", a.Secondary)
		}
	}
	return nil
}

// New validates args and registers one provider per location.
func New(ctx *pulumi.Context, args Args, opts ...pulumi.ResourceOption) (*Regions, error) {
	if err := args.Validate(); err != nil {
		return nil, err
	}
	r := &Regions{PrimaryLocation: args.Primary, SecondaryLocation: args.Secondary}
	var err error
	if r.Primary, err = Provider(ctx, args.Primary, args.SubscriptionID, opts...); err != nil {
		return nil, err
	}
	if args.Secondary != "" {
		if r.Secondary, err = Provider(ctx, args.Secondary, args.SubscriptionID, opts...); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// Provider registers one provider for location, named "azure-native-<location>".
func Provider(ctx *pulumi.Context, location, subscriptionID string, opts ...pulumi.ResourceOption) (*azure.Provider, error) {
	pargs := &azure.ProviderArgs{Location: pulumi.StringPtr(location)}
	if subscriptionID != "" {
		pargs.SubscriptionId = pulumi.StringPtr(subscriptionID)
	}
	p, err := azure.NewProvider(ctx, "azure-native-"+location, pargs, opts...)
	if err != nil {
		return nil, fmt.Errorf("creating azure-native provider for %s: %w", location, err)
	}
	return p, nil
}

// Tags merges tag maps with the documented precedence (later wins): defaults, then each of
// more in turn. It returns a Pulumi map ready for a resource's Tags input.
func Tags(defaults providers.Tags, more ...map[string]string) pulumi.StringMap {
	return pulumi.ToStringMap(defaults.Merge(more...))
}
