package rules_test

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/rds"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/scalestack/scalestack/policies/rules"
	"github.com/scalestack/scalestack/testkit"
)

// Evaluate the rules over a program run offline with testkit: a user's database that is
// public and unencrypted, with one finding waived for a recorded reason.
func ExampleEvaluate() {
	plan, err := testkit.Run(func(ctx *pulumi.Context) error {
		_, err := rds.NewInstance(ctx, "db", &rds.InstanceArgs{
			Engine: pulumi.String("postgres"), InstanceClass: pulumi.String("db.t4g.micro"),
			StorageEncrypted: pulumi.Bool(false), PubliclyAccessible: pulumi.Bool(true), BackupRetentionPeriod: pulumi.Int(7),
			EnabledCloudwatchLogsExports: pulumi.StringArray{pulumi.String("postgresql")},
		})
		return err
	})
	if err != nil {
		panic(err)
	}
	report, err := rules.Evaluate(plan.PolicyResources(), rules.Options{
		Environment: "dev",
		Waivers:     []rules.Waiver{{Rule: "stack-backup-covers-db", Resource: "db", Reason: "scratch database, rebuilt nightly"}},
	})
	if err != nil {
		panic(err)
	}
	for _, v := range report.Violations {
		waived := ""
		if v.Waived {
			waived = " (waived: " + v.WaiverReason + ")"
		}
		fmt.Printf("%s %s: %s%s\n", v.EnforcementLevel, v.PolicyName, v.Message, waived)
	}
	fmt.Println("blocks the deploy:", report.Failed())
	// Output:
	// advisory aws-rds-deletion-protection: deletionProtection is not set: a prod database cannot be deleted by accident
	// mandatory aws-rds-encrypted: storageEncrypted is false: encrypt the database at rest
	// advisory aws-rds-multi-az: multiAz is not set: a standby in another Availability Zone takes over on failure
	// mandatory aws-rds-private: publiclyAccessible is true: databases stay in private subnets
	// mandatory stack-backup-covers-db: database "db" is in no AWS Backup selection (resources or selectionTags): add it to a backup plan (waived: scratch database, rebuilt nightly)
	// advisory stack-db-read-replica: RDS primary "db" has no read replica (no instance with replicateSourceDb from it)
	// blocks the deploy: true
}

// List every rule, as `scalestack policies` does.
func ExampleAll() {
	counts := map[rules.Level]int{}
	for _, r := range rules.All() {
		counts[r.Level]++
	}
	fmt.Println(len(rules.All()) >= 45, counts[rules.Mandatory] > 0, counts[rules.MandatoryInProd] > 0, counts[rules.Advisory] > 0)
	r := rules.ByID("aws-rds-backup-retention")
	fmt.Println(r.ID, r.Level, r.ResourceTypes, r.Settings[0].Name, r.Settings[0].Default)
	// Output:
	// true true true true
	// aws-rds-backup-retention mandatory [aws:rds/instance:Instance aws:rds/cluster:Cluster] minDays 7
}
