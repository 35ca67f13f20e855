package azureregions_test

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/scalestack/scalestack/providers/azureregions"
	"github.com/scalestack/scalestack/testkit"
)

// One provider per location; pass regions.Primary to a component with pulumi.Provider.
func Example() {
	plan, err := testkit.Run(func(ctx *pulumi.Context) error {
		_, err := azureregions.New(ctx, azureregions.Args{Primary: "eastus2", Secondary: "centralus"})
		return err
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, name := range []string{"azure-native-eastus2", "azure-native-centralus"} {
		p := plan.Find("pulumi:providers:azure-native", name)
		fmt.Println(p.Name, p.Region())
	}
	// Output:
	// azure-native-eastus2 eastus2
	// azure-native-centralus centralus
}
