package monitoring_test

import (
	"fmt"
	"sort"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/scalestack/scalestack/components/gcp/monitoring"
	"github.com/scalestack/scalestack/testkit"
)

// Email alerts for a database and an instance group.
func Example() {
	plan, err := testkit.Run(func(ctx *pulumi.Context) error {
		_, err := monitoring.New(ctx, "shop", &monitoring.Args{
			Project:         "my-project",
			Email:           "ops@example.com",
			PrimaryDatabase: pulumi.String("shop-db"),
			Groups:          []monitoring.Group{{Key: "primary", Name: pulumi.String("shop-web"), MaxSize: 6}},
		})
		return err
	})
	if err != nil {
		panic(err)
	}
	var names []string
	for _, p := range plan.ByType("gcp:monitoring/alertPolicy:AlertPolicy") {
		names = append(names, p.Name)
	}
	sort.Strings(names)
	fmt.Println(strings.Join(names, "\n"))
	// Output:
	// shop-at-max-primary
	// shop-db-cpu
	// shop-db-disk
}

// The on-call dashboard of a load balancer, a database, a cache and a queue.
func ExampleNewDashboard() {
	plan, err := testkit.Run(func(ctx *pulumi.Context) error {
		_, err := monitoring.NewDashboard(ctx, "shop", &monitoring.DashboardArgs{
			Project:          "my-project",
			URLMapName:       pulumi.String("shop-lb"),
			PrimaryDatabase:  pulumi.String("shop-db"),
			CacheInstanceID:  pulumi.String("projects/my-project/locations/us-central1/instances/shop-cache"),
			SubscriptionName: pulumi.String("shop-jobs"),
		})
		return err
	})
	if err != nil {
		panic(err)
	}
	body := plan.Find("gcp:monitoring/dashboard:Dashboard", "shop").InputString("dashboardJson")
	fmt.Println(strings.Count(body, `"xyChart"`), "charts")
	// Output:
	// 9 charts
}
