package gateway_test

import (
	"fmt"

	azure "github.com/pulumi/pulumi-azure-native-sdk/v2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/scalestack/scalestack/components/azure/gateway"
	"github.com/scalestack/scalestack/components/azure/network"
	"github.com/scalestack/scalestack/testkit"
)

// An HTTPS Application Gateway whose certificate is a Key Vault secret.
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
		_, err = gateway.New(ctx, "app-gw", &gateway.Args{
			Location:            "eastus2",
			ResourceGroupName:   net.ResourceGroupName,
			ResourceGroupID:     net.ResourceGroupID,
			SubnetID:            net.GatewaySubnetID,
			CertificateSecretID: "https://ops-kv.vault.azure.net/secrets/app-tls",
			IdentityID:          "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/ops/providers/Microsoft.ManagedIdentity/userAssignedIdentities/appgw",
		}, pulumi.Provider(p))
		return err
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	gw := plan.ByType("azure-native:network:ApplicationGateway")[0]
	fmt.Println(gw.Input("sku.name"), gw.Input("httpListeners.1.protocol"), gw.Input("redirectConfigurations.0.redirectType"))
	// Output: WAF_v2 Https Permanent
}
