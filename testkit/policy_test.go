package testkit_test

import (
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/rds"
	"github.com/pulumi/pulumi-gcp/sdk/v7/go/gcp/sql"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scalestack/scalestack/policies/rules"
	"github.com/scalestack/scalestack/testkit"
)

func TestPolicyResourcesCarryProviderAndDependencies(t *testing.T) {
	plan, err := testkit.Run(func(ctx *pulumi.Context) error {
		p, err := aws.NewProvider(ctx, "aws-us-west-2", &aws.ProviderArgs{Region: pulumi.String("us-west-2")})
		if err != nil {
			return err
		}
		db, err := rds.NewInstance(ctx, "db", &rds.InstanceArgs{InstanceClass: pulumi.String("db.t4g.micro"), StorageEncrypted: pulumi.Bool(true)}, pulumi.Provider(p))
		if err != nil {
			return err
		}
		_, err = rds.NewInstance(ctx, "db-replica", &rds.InstanceArgs{InstanceClass: pulumi.String("db.t4g.micro"), ReplicateSourceDb: db.Identifier}, pulumi.Provider(p))
		return err
	})
	require.NoError(t, err)
	byName := map[string]rules.Resource{}
	for _, r := range plan.PolicyResources() {
		byName[r.Name] = r
	}
	db, replica := byName["db"], byName["db-replica"]
	assert.Equal(t, "us-west-2", db.Region(), "region from the explicit provider")
	assert.Equal(t, "pulumi:providers:aws", db.Provider.Type)
	assert.True(t, db.Properties.Get("storageEncrypted").AsBool())
	assert.Equal(t, []string{db.URN}, replica.PropertyDependencies["replicateSourceDb"])

	rep, err := plan.Policies(rules.Options{Environment: "prod"})
	require.NoError(t, err)
	assert.Empty(t, rep.ByRule("stack-db-read-replica"), "the replica is linked through its property dependency")
	_, err = plan.Policies(rules.Options{Environment: "qa"})
	assert.ErrorContains(t, err, `environment "qa" is not allowed`)
}

// TestPolicyResourcesCarryIgnoreChanges: a program's ignoreChanges option reaches the policy
// rules from a mock run, as the engine sends it to the pack, so a day-two rule passes once
// the program ignores the field (gcp-sql-disk-day-two: pulumi-gcp's settings.diskSize doc).
func TestPolicyResourcesCarryIgnoreChanges(t *testing.T) {
	program := func(ignore bool) pulumi.RunFunc {
		return func(ctx *pulumi.Context) error {
			var opts []pulumi.ResourceOption
			if ignore {
				opts = append(opts, pulumi.IgnoreChanges([]string{"settings.diskSize"}))
			}
			_, err := sql.NewDatabaseInstance(ctx, "db", &sql.DatabaseInstanceArgs{
				DatabaseVersion: pulumi.String("POSTGRES_16"),
				Settings:        &sql.DatabaseInstanceSettingsArgs{Tier: pulumi.String("db-custom-1-3840"), DiskSize: pulumi.Int(20)},
			}, opts...)
			return err
		}
	}
	for _, ignore := range []bool{false, true} {
		plan, err := testkit.Run(program(ignore))
		require.NoError(t, err)
		rs := plan.PolicyResources()
		require.Len(t, rs, 1)
		rep, err := plan.Policies(rules.Options{Environment: "prod"})
		require.NoError(t, err)
		if ignore {
			assert.Equal(t, []string{"settings.diskSize"}, rs[0].IgnoreChanges)
			assert.Empty(t, rep.ByRule("gcp-sql-disk-day-two"))
		} else {
			assert.Empty(t, rs[0].IgnoreChanges)
			assert.Len(t, rep.ByRule("gcp-sql-disk-day-two"), 1)
		}
	}
}
