package monitoring_test

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/scalestack/scalestack/components/azure/monitoring"
	"github.com/scalestack/scalestack/testkit"
)

// Alerts on one region's gateway and database, sent to ops by email.
func Example() {
	plan, err := testkit.Run(func(ctx *pulumi.Context) error {
		_, err := monitoring.New(ctx, "app", &monitoring.Args{
			ResourceGroupName: pulumi.String("app-rg"),
			Email:             "ops@example.com",
			Targets: []monitoring.Target{{
				Key:        "primary",
				GatewayID:  pulumi.String("/subscriptions/s/resourceGroups/app-rg/providers/Microsoft.Network/applicationGateways/app-gw"),
				DatabaseID: pulumi.String("/subscriptions/s/resourceGroups/app-rg/providers/Microsoft.Sql/servers/app/databases/app"),
			}},
		})
		return err
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(plan.ByType("azure-native:insights:MetricAlert")), "alerts")
	// Output: 5 alerts
}
