package failover_test

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/scalestack/scalestack/components/azure/failover"
	"github.com/scalestack/scalestack/testkit"
)

// Priority routing between two regions' gateway IPs.
func Example() {
	plan, err := testkit.Run(func(ctx *pulumi.Context) error {
		_, err := failover.New(ctx, "app-tm", &failover.Args{
			ResourceGroupName: pulumi.String("app-rg"),
			ResourceGroupID:   pulumi.String("/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/app-rg"),
			Endpoints: []failover.Endpoint{
				{Key: "primary", Target: pulumi.String("20.10.1.4")},
				{Key: "secondary", Target: pulumi.String("20.20.1.4")},
			},
		})
		return err
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, name := range []string{"app-tm-primary", "app-tm-secondary"} {
		ep := plan.Find("azure-native:network:Endpoint", name)
		fmt.Println(ep.Name, ep.Input("priority"))
	}
	// Output:
	// app-tm-primary 1
	// app-tm-secondary 2
}
