package backup_test

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/scalestack/scalestack/components/aws/backup"
	"github.com/scalestack/scalestack/testkit"
)

// Daily backups at 03:00 UTC kept 35 days, weekly ones kept 90 days, of a database (by ARN)
// and of every resource tagged backup=web, copied to a vault in us-west-2. Run offline under
// testkit.
func Example() {
	plan, err := testkit.Run(func(ctx *pulumi.Context) error {
		east, err := aws.NewProvider(ctx, "aws-us-east-1", &aws.ProviderArgs{Region: pulumi.String("us-east-1")})
		if err != nil {
			return err
		}
		west, err := aws.NewProvider(ctx, "aws-us-west-2", &aws.ProviderArgs{Region: pulumi.String("us-west-2")})
		if err != nil {
			return err
		}
		b, err := backup.New(ctx, "app-backup", &backup.Args{
			DailyAt:             "03:00",
			RetentionDays:       35,
			WeeklyRetentionDays: 90,
			ResourceARNs:        pulumi.ToStringArray([]string{"arn:aws:rds:us-east-1:123456789012:db:app-db"}),
			SelectionTag:        &backup.SelectionTag{Key: "backup", Value: "web"},
			Copy:                &backup.CopyArgs{Provider: west},
		}, pulumi.Provider(east))
		if err != nil {
			return err
		}
		ctx.Export("vaultArn", b.VaultARN)
		return nil
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, v := range plan.ByType("aws:backup/vault:Vault") {
		fmt.Println(v.Name, v.Region())
	}
	for _, r := range plan.Find("aws:backup/plan:Plan", "app-backup-plan").Input("rules").([]any) {
		rule := r.(map[string]any)
		fmt.Println(rule["ruleName"], rule["schedule"])
	}
	// Unordered output:
	// app-backup-vault us-east-1
	// app-backup-copy-vault us-west-2
	// daily cron(0 3 * * ? *)
	// weekly cron(0 3 ? * SUN *)
}
