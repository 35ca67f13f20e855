package database_test

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/scalestack/scalestack/components/gcp/database"
	"github.com/scalestack/scalestack/testkit"
)

// A highly available PostgreSQL with one read replica, on a private IP in the VPC.
func Example() {
	plan, err := testkit.Run(func(ctx *pulumi.Context) error {
		_, err := database.New(ctx, "orders", &database.Args{
			PrivateNetwork:   pulumi.String("projects/my-project/global/networks/app"),
			HighAvailability: true,
			ReadReplicas:     1,
		})
		return err
	})
	if err != nil {
		panic(err)
	}
	for _, db := range plan.ByType("gcp:sql/databaseInstance:DatabaseInstance") {
		fmt.Println(db.Name, db.InputString("settings.availabilityType"), db.InputString("settings.ipConfiguration.sslMode"))
	}
	// Output:
	// orders REGIONAL ENCRYPTED_ONLY
	// orders-replica-1 ZONAL ENCRYPTED_ONLY
}
