package backup_test

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/scalestack/scalestack/components/gcp/backup"
	"github.com/scalestack/scalestack/testkit"
)

// Daily snapshots kept 35 days in the "us" multi-region.
func Example() {
	plan, err := testkit.Run(func(ctx *pulumi.Context) error {
		_, err := backup.New(ctx, "disks", &backup.Args{DailyAt: "03:00", RetentionDays: 35, StorageLocation: "us"})
		return err
	})
	if err != nil {
		panic(err)
	}
	p := plan.ByType("gcp:compute/resourcePolicy:ResourcePolicy")[0]
	fmt.Println(p.Input("snapshotSchedulePolicy.retentionPolicy.maxRetentionDays"), p.Input("snapshotSchedulePolicy.snapshotProperties.storageLocations"))
	// Output: 35 us
}
