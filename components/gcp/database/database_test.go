package database

import (
	"fmt"
	"testing"

	"github.com/pulumi/pulumi-gcp/sdk/v7/go/gcp"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scalestack/scalestack/testkit"
)

func TestResolveDefaults(t *testing.T) {
	r, err := (&Args{PrivateNetwork: pulumi.String("vpc")}).resolve()
	require.NoError(t, err)
	assert.Equal(t, "db-custom-1-3840", r.Tier)
	assert.Equal(t, "POSTGRES_16", r.DatabaseVersion)
	assert.Equal(t, 20, r.DiskSizeGB)
	assert.Equal(t, 7, r.BackupRetentionDays)
	assert.Equal(t, "03:00", r.BackupStartTime)
	assert.Equal(t, "app", r.DatabaseName)
	assert.Equal(t, 0, r.ReadReplicas)
	assert.False(t, r.HighAvailability)
	assert.False(t, r.DeletionProtection)
}

func TestResolveErrors(t *testing.T) {
	n := pulumi.String("vpc")
	cases := []struct {
		args Args
		want string
	}{
		{Args{}, "PrivateNetwork is required"},
		{Args{PrivateNetwork: n, Tier: "n2-standard-2"}, `Tier "n2-standard-2" is not allowed`},
		{Args{PrivateNetwork: n, DatabaseVersion: "MYSQL_8_0"}, `DatabaseVersion "MYSQL_8_0" is not allowed`},
		{Args{PrivateNetwork: n, DiskSizeGB: 5}, "DiskSizeGB 5 is not allowed: want 10-65536"},
		{Args{PrivateNetwork: n, BackupRetentionDays: 400}, "BackupRetentionDays 400 is not allowed: want 1-365"},
		{Args{PrivateNetwork: n, BackupStartTime: "25:00"}, `BackupStartTime "25:00" is not allowed`},
		{Args{PrivateNetwork: n, DatabaseName: "App-DB"}, `DatabaseName "App-DB" is not allowed`},
		{Args{PrivateNetwork: n, ReadReplicas: 9}, "ReadReplicas 9 is not allowed: want 0-5"},
	}
	for _, c := range cases {
		_, err := c.args.resolve()
		require.Error(t, err, c.want)
		assert.Contains(t, err.Error(), c.want)
	}
}

func TestInvalidArgsRegisterNothing(t *testing.T) {
	plan, err := testkit.Run(func(ctx *pulumi.Context) error {
		_, err := New(ctx, "db", &Args{PrivateNetwork: pulumi.String("vpc"), ReadReplicas: 6})
		return err
	})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `database "db": ReadReplicas 6 is not allowed`)
	assert.Nil(t, plan)
}

func program(replicas int, crossRegion, prod bool) func(*pulumi.Context) (pulumi.Map, error) {
	return func(ctx *pulumi.Context) (pulumi.Map, error) {
		p, err := gcp.NewProvider(ctx, "gcp-us-central1", &gcp.ProviderArgs{Region: pulumi.String("us-central1")})
		if err != nil {
			return nil, err
		}
		args := &Args{
			PrivateNetwork: pulumi.String("projects/p/global/networks/app"), ReadReplicas: replicas,
			HighAvailability: prod, DeletionProtection: prod, BackupRetentionDays: 14, BackupLocation: "us",
		}
		if crossRegion {
			if args.CrossRegionProvider, err = gcp.NewProvider(ctx, "gcp-us-east1", &gcp.ProviderArgs{Region: pulumi.String("us-east1")}); err != nil {
				return nil, err
			}
		}
		d, err := New(ctx, "db", args, pulumi.Provider(p))
		if err != nil {
			return nil, err
		}
		return pulumi.Map{"connection": d.ConnectionName, "ip": d.PrivateIP, "replicas": d.ReplicaNames, "dr": d.CrossRegionReplicaConnectionName}, nil
	}
}

func TestPrimaryReplicasAndCrossRegion(t *testing.T) {
	plan, err := testkit.RunExports(program(2, true, true))
	require.NoError(t, err)
	comp := plan.Find(typeToken, "db")
	kids := plan.Children(comp.URN)
	assert.Len(t, kids, 5, "primary, database, 2 replicas, cross-region replica")
	primary := plan.Find("gcp:sql/databaseInstance:DatabaseInstance", "db")
	for _, k := range kids {
		assert.Equal(t, comp.URN, k.Parent, k.Name)
		want := "us-central1"
		if k.Name == "db-replica-dr" {
			want = "us-east1"
		}
		assert.Equal(t, want, k.Region(), k.Name)
	}

	assert.Equal(t, "REGIONAL", primary.InputString("settings.availabilityType"), "HA in prod")
	assert.Equal(t, false, primary.Input("settings.ipConfiguration.ipv4Enabled"), "private IP only")
	assert.Equal(t, "ENCRYPTED_ONLY", primary.InputString("settings.ipConfiguration.sslMode"))
	assert.Equal(t, "projects/p/global/networks/app", primary.InputString("settings.ipConfiguration.privateNetwork"))
	assert.Equal(t, true, primary.Input("settings.backupConfiguration.enabled"))
	assert.Equal(t, true, primary.Input("settings.backupConfiguration.pointInTimeRecoveryEnabled"))
	assert.Equal(t, 14.0, primary.Input("settings.backupConfiguration.backupRetentionSettings.retainedBackups"))
	assert.Equal(t, "us", primary.InputString("settings.backupConfiguration.location"))
	assert.Equal(t, true, primary.Input("deletionProtection"))
	assert.Equal(t, true, primary.Input("settings.deletionProtectionEnabled"))
	assert.True(t, primary.RetainOnDelete)
	assert.Equal(t, true, primary.Input("settings.insightsConfig.queryInsightsEnabled"))
	assert.Equal(t, "ENTERPRISE", primary.InputString("settings.edition"))
	assert.Nil(t, primary.Input("rootPassword"), "no password in state")
	assert.Equal(t, "cloudsql.iam_authentication", primary.InputString("settings.databaseFlags.0.name"))

	db := plan.Find("gcp:sql/database:Database", "db")
	assert.True(t, db.InputFrom("instance", primary))
	assert.Equal(t, "app", db.InputString("name"))

	for _, name := range []string{"db-replica-1", "db-replica-2", "db-replica-dr"} {
		r := plan.Find("gcp:sql/databaseInstance:DatabaseInstance", name)
		require.NotNil(t, r, name)
		assert.True(t, r.InputFrom("masterInstanceName", primary), "%s replicates the primary", name)
		assert.Equal(t, primary.Output("name"), r.Input("masterInstanceName"))
		assert.Equal(t, false, r.Input("settings.ipConfiguration.ipv4Enabled"))
		assert.Equal(t, "ENCRYPTED_ONLY", r.InputString("settings.ipConfiguration.sslMode"))
		assert.Equal(t, "ZONAL", r.InputString("settings.availabilityType"))
	}
	dr := plan.Find("gcp:sql/databaseInstance:DatabaseInstance", "db-replica-dr")
	assert.Equal(t, "gcp-us-east1", dr.ProviderResource().Name)
	assert.True(t, dr.RetainOnDelete, "the cross-region replica is protected in prod")
	assert.False(t, plan.Find("gcp:sql/databaseInstance:DatabaseInstance", "db-replica-1").RetainOnDelete)

	assert.Equal(t, fmt.Sprintf("%s:us-central1:%s", testkit.FakeGCPProject, primary.Output("name")), plan.Outputs["connection"])
	assert.Equal(t, primary.Output("privateIpAddress"), plan.Outputs["ip"])
	assert.Len(t, plan.Outputs["replicas"], 2)
	assert.Contains(t, plan.Outputs["dr"], ":us-east1:db-replica-dr-")
}

func TestDevAndURNStability(t *testing.T) {
	small, err := testkit.RunExports(program(0, false, false))
	require.NoError(t, err)
	primary := small.Find("gcp:sql/databaseInstance:DatabaseInstance", "db")
	assert.Equal(t, "ZONAL", primary.InputString("settings.availabilityType"))
	assert.Equal(t, false, primary.Input("deletionProtection"))
	assert.False(t, primary.RetainOnDelete)
	assert.Len(t, small.ByType("gcp:sql/databaseInstance:DatabaseInstance"), 1)
	assert.Equal(t, []any{}, small.Outputs["replicas"])
	assert.Equal(t, "", small.Outputs["dr"])

	one, err := testkit.RunExports(program(1, false, false))
	require.NoError(t, err)
	assert.Empty(t, testkit.MissingURNs(small, one), "adding a replica keeps every URN")
	two, err := testkit.RunExports(program(2, true, false))
	require.NoError(t, err)
	assert.Empty(t, testkit.MissingURNs(one, two), "adding a replica and a region keeps every URN")
}
