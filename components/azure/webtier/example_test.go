package webtier_test

import (
	"fmt"

	azure "github.com/pulumi/pulumi-azure-native-sdk/v2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/scalestack/scalestack/components/azure/network"
	"github.com/scalestack/scalestack/components/azure/webtier"
	"github.com/scalestack/scalestack/testkit"
)

// A web tier of 2-6 instances in the web subnet of a network, scaling on CPU.
func Example() {
	plan, err := testkit.Run(func(ctx *pulumi.Context) error {
		p, err := azure.NewProvider(ctx, "azure-native-eastus2", &azure.ProviderArgs{Location: pulumi.StringPtr("eastus2")})
		if err != nil {
			return err
		}
		net, err := network.New(ctx, "app", &network.Args{Location: "eastus2"}, pulumi.Provider(p))
		if err != nil {
			return err
		}
		_, err = webtier.New(ctx, "app-web", &webtier.Args{
			Location:          "eastus2",
			ResourceGroupName: net.ResourceGroupName,
			SubnetID:          net.WebSubnetID,
			MinSize:           2,
			MaxSize:           6,
		}, pulumi.Provider(p))
		return err
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	ss := plan.ByType("azure-native:compute:VirtualMachineScaleSet")[0]
	fmt.Println(ss.Name, ss.Input("sku.capacity"), ss.Input("upgradePolicy.mode"))
	// Output: app-web-vmss 2 Rolling
}
