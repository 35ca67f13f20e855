package database_test

import (
	"fmt"

	azure "github.com/pulumi/pulumi-azure-native-sdk/v2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/scalestack/scalestack/components/azure/database"
	"github.com/scalestack/scalestack/components/azure/network"
	"github.com/scalestack/scalestack/testkit"
)

// A database in East US 2 with a geo-secondary and failover group in Central US.
func Example() {
	plan, err := testkit.Run(func(ctx *pulumi.Context) error {
		sites := map[string]database.Site{}
		provs := map[string]*azure.Provider{}
		for _, loc := range []string{"eastus2", "centralus"} {
			p, err := azure.NewProvider(ctx, "azure-native-"+loc, &azure.ProviderArgs{Location: pulumi.StringPtr(loc)})
			if err != nil {
				return err
			}
			provs[loc] = p
			net, err := network.New(ctx, "app-"+loc, &network.Args{Location: loc}, pulumi.Provider(p))
			if err != nil {
				return err
			}
			sites[loc] = database.Site{Location: loc, ResourceGroupName: net.ResourceGroupName, DataSubnetID: net.DataSubnetID, VNetID: net.VNetID}
		}
		primary, sec := sites["eastus2"], sites["centralus"]
		_, err := database.New(ctx, "app-db", &database.Args{
			Primary:           primary,
			Secondary:         &sec,
			SecondaryProvider: provs["centralus"],
			AdminLogin:        "sql-admins",
			AdminObjectID:     "11111111-2222-3333-4444-555555555555",
		}, pulumi.Provider(provs["eastus2"]))
		return err
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fog := plan.ByType("azure-native:sql:FailoverGroup")[0]
	fmt.Println(fog.Name, fog.Input("readWriteEndpoint.failoverPolicy"))
	// Output: app-db-fog Manual
}
