package failover_test

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/scalestack/scalestack/components/gcp/failover"
	"github.com/scalestack/scalestack/testkit"
)

// An A record in an existing zone and an uptime check from three continents.
func Example() {
	plan, err := testkit.Run(func(ctx *pulumi.Context) error {
		_, err := failover.New(ctx, "shop", &failover.Args{
			Project:     "my-project",
			Address:     pulumi.String("34.120.1.2"),
			Domain:      "shop.example.com",
			ManagedZone: "example-com",
		})
		return err
	})
	if err != nil {
		panic(err)
	}
	rec := plan.ByType("gcp:dns/recordSet:RecordSet")[0]
	check := plan.ByType("gcp:monitoring/uptimeCheckConfig:UptimeCheckConfig")[0]
	fmt.Println(rec.InputString("name"), rec.Input("rrdatas"), check.Input("selectedRegions"))
	// Output: shop.example.com. [34.120.1.2] [USA EUROPE ASIA_PACIFIC]
}
