package network_test

import (
	"fmt"

	azure "github.com/pulumi/pulumi-azure-native-sdk/v2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/scalestack/scalestack/components/azure/network"
	"github.com/scalestack/scalestack/testkit"
)

// A network in West Europe, placed there by its provider and Location.
func Example() {
	plan, err := testkit.Run(func(ctx *pulumi.Context) error {
		p, err := azure.NewProvider(ctx, "azure-native-westeurope", &azure.ProviderArgs{Location: pulumi.StringPtr("westeurope")})
		if err != nil {
			return err
		}
		net, err := network.New(ctx, "app", &network.Args{Location: "westeurope", AddressSpace: "10.10.0.0/16"}, pulumi.Provider(p))
		if err != nil {
			return err
		}
		fmt.Println(net.GatewayPrefix, net.WebPrefix, net.DataPrefix)
		return nil
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(plan.CountByRegion()["westeurope"]["azure-native:network:Subnet"], "subnets")
	// Output:
	// 10.10.0.0/24 10.10.1.0/24 10.10.2.0/24
	// 3 subnets
}
