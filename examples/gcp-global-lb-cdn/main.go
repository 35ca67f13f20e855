// Command gcp-global-lb-cdn deploys web tiers in two Google Cloud regions behind one global
// external Application Load Balancer with Cloud CDN.
package main

import (
	"cmp"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"

	"github.com/scalestack/scalestack/components/gcp/loadbalancer"
	"github.com/scalestack/scalestack/components/gcp/network"
	"github.com/scalestack/scalestack/components/gcp/webtier"
	"github.com/scalestack/scalestack/providers"
	"github.com/scalestack/scalestack/providers/gcpregions"
)

func main() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		outputs, err := program(ctx)
		for k, v := range outputs {
			ctx.Export(k, v)
		}
		return err
	})
}

// webTag is the network tag the firewall admits the load balancer to, and the instances carry.
const webTag = "shop-web"

// program is the Pulumi program; it returns the stack outputs. `pulumi up` runs it through
// main, the test through testkit.RunExports.
func program(ctx *pulumi.Context) (pulumi.Map, error) {
	project, err := config.Try(ctx, "gcpProject")
	if err != nil {
		return nil, err
	}
	regions, err := gcpregions.New(ctx, gcpregions.Args{
		Project:   project,
		Primary:   cmp.Or(config.Get(ctx, "primaryRegion"), "us-central1"),
		Secondary: cmp.Or(config.Get(ctx, "secondaryRegion"), "us-east1"),
		Tags:      providers.DefaultTags(ctx.Project(), ctx.Stack(), ctx.Stack()),
	})
	if err != nil {
		return nil, err
	}

	// The VPC is global; each region's subnet, router and NAT follow that region's provider.
	net, err := network.New(ctx, "shop", &network.Args{
		WebTag:            webTag,
		SecondaryProvider: regions.Secondary,
	}, pulumi.Provider(regions.Primary))
	if err != nil {
		return nil, err
	}

	// A web tier per region, in that region's subnet, tagged so the firewall admits the
	// load balancer to it.
	tiers := map[string]*webtier.WebTier{}
	for _, s := range []struct {
		key    string
		region string
		p      pulumi.ProviderResource
		subnet pulumi.StringOutput
	}{
		{"primary", regions.PrimaryRegion, regions.Primary, net.PrimarySubnetSelfLink},
		{"secondary", regions.SecondaryRegion, regions.Secondary, net.SecondarySubnetSelfLink},
	} {
		tier, err := webtier.New(ctx, "shop-"+s.region, &webtier.Args{
			Project:    pulumi.String(project),
			Subnetwork: s.subnet,
			NetworkTag: webTag,
			// A regional group's rolling-update surge is sized to its zones, so they are pinned.
			Zones:   webtier.DefaultZones(s.region),
			MinSize: 2,
			MaxSize: 10,
		}, pulumi.Provider(s.p))
		if err != nil {
			return nil, err
		}
		tiers[s.key] = tier
	}

	// One global load balancer over both groups, with Cloud CDN and a static-assets bucket.
	lbArgs := &loadbalancer.Args{
		Backends: []loadbalancer.Backend{
			{Key: "primary", Group: tiers["primary"].InstanceGroup},
			{Key: "secondary", Group: tiers["secondary"].InstanceGroup},
		},
		CDN:          true,
		StaticAssets: true,
	}
	if d := cmp.Or(config.Get(ctx, "domain"), ""); d != "" {
		lbArgs.Domains = []string{d}
	}
	lb, err := loadbalancer.New(ctx, "shop", lbArgs, pulumi.Provider(regions.Primary))
	if err != nil {
		return nil, err
	}
	return pulumi.Map{
		"url":          lb.URL,
		"address":      lb.Address,
		"staticBucket": lb.StaticBucketName,
	}, nil
}
