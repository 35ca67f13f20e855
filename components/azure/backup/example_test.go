package backup_test

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/scalestack/scalestack/components/azure/backup"
	"github.com/scalestack/scalestack/testkit"
)

// A vault with a daily VM policy, and a database kept 14 days (PITR) and 13 weeks (LTR).
func Example() {
	plan, err := testkit.Run(func(ctx *pulumi.Context) error {
		_, err := backup.New(ctx, "app-backup", &backup.Args{
			Location:            "eastus2",
			ResourceGroupName:   pulumi.String("app-rg"),
			RetentionDays:       35,
			WeeklyRetentionDays: 90,
			SQLRetentionDays:    14,
			Databases: []backup.Database{{
				Key: "primary", ResourceGroupName: pulumi.String("app-rg"),
				ServerName: pulumi.String("app-sql"), DatabaseName: pulumi.String("app"),
			}},
		})
		return err
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	ltr := plan.ByType("azure-native:sql:LongTermRetentionPolicy")[0]
	fmt.Println(ltr.Name, ltr.Input("weeklyRetention"))
	// Output: app-backup-primary-ltr P13W
}
