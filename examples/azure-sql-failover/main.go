// Command azure-sql-failover deploys an Azure SQL database with a geo-secondary and a
// failover group across two locations, two Application Gateways, and a Traffic Manager
// profile that routes to the primary location's gateway while it is healthy.
package main

import (
	"cmp"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"

	"github.com/scalestack/scalestack/components/azure/database"
	"github.com/scalestack/scalestack/components/azure/failover"
	"github.com/scalestack/scalestack/components/azure/gateway"
	"github.com/scalestack/scalestack/components/azure/network"
	"github.com/scalestack/scalestack/providers/azureregions"
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

// site is one location's network and gateway.
type site struct {
	location string
	provider pulumi.ProviderResource
	net      *network.Network
	gw       *gateway.Gateway
}

// program is the Pulumi program; it returns the stack outputs. `pulumi up` runs it through
// main, the test through testkit.RunExports.
func program(ctx *pulumi.Context) (pulumi.Map, error) {
	adminGroup, err := config.Try(ctx, "sqlAdminGroup")
	if err != nil {
		return nil, err
	}
	adminObjectID, err := config.Try(ctx, "sqlAdminObjectId")
	if err != nil {
		return nil, err
	}
	regions, err := azureregions.New(ctx, azureregions.Args{
		Primary:   cmp.Or(config.Get(ctx, "primaryLocation"), "eastus2"),
		Secondary: cmp.Or(config.Get(ctx, "secondaryLocation"), "centralus"),
	})
	if err != nil {
		return nil, err
	}

	// One network and one gateway per location, each placed by that location's provider.
	var sites []site
	for i, p := range []pulumi.ProviderResource{regions.Primary, regions.Secondary} {
		loc := []string{regions.PrimaryLocation, regions.SecondaryLocation}[i]
		in := pulumi.Provider(p)
		net, err := network.New(ctx, "shop-"+loc, &network.Args{Location: loc}, in)
		if err != nil {
			return nil, err
		}
		gw, err := gateway.New(ctx, "shop-"+loc, &gateway.Args{
			Location:          loc,
			ResourceGroupName: net.ResourceGroupName,
			ResourceGroupID:   net.ResourceGroupID,
			SubnetID:          net.GatewaySubnetID,
		}, in)
		if err != nil {
			return nil, err
		}
		sites = append(sites, site{location: loc, provider: p, net: net, gw: gw})
	}
	primary, secondary := sites[0], sites[1]

	// The database: a server per location, a geo-secondary and a customer-managed failover group.
	db, err := database.New(ctx, "shop-db", &database.Args{
		Primary: database.Site{
			Location: primary.location, ResourceGroupName: primary.net.ResourceGroupName,
			DataSubnetID: primary.net.DataSubnetID, VNetID: primary.net.VNetID,
		},
		Secondary: &database.Site{
			Location: secondary.location, ResourceGroupName: secondary.net.ResourceGroupName,
			DataSubnetID: secondary.net.DataSubnetID, VNetID: secondary.net.VNetID,
		},
		SecondaryProvider: secondary.provider,
		AdminLogin:        adminGroup,
		AdminObjectID:     adminObjectID,
		ZoneRedundant:     true,
	}, pulumi.Provider(primary.provider))
	if err != nil {
		return nil, err
	}

	// Traffic Manager: the primary gateway while it is healthy, then the secondary.
	tm, err := failover.New(ctx, "shop", &failover.Args{
		ResourceGroupName: primary.net.ResourceGroupName,
		ResourceGroupID:   primary.net.ResourceGroupID,
		Protocol:          "HTTP", // the gateways serve HTTP until a certificate is configured
		Endpoints: []failover.Endpoint{
			{Key: "primary", Target: primary.gw.PublicIP},
			{Key: "secondary", Target: secondary.gw.PublicIP},
		},
	}, pulumi.Provider(primary.provider))
	if err != nil {
		return nil, err
	}

	return pulumi.Map{
		"url":              pulumi.Sprintf("http://%s", tm.FQDN),
		"sqlListener":      db.Listener,
		"sqlReadListener":  db.ReadOnlyListener,
		"primaryGateway":   primary.gw.FQDN,
		"secondaryGateway": secondary.gw.FQDN,
	}, nil
}
