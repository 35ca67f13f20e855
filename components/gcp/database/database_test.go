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
		{Args{PrivateNetwork: n, Tier: "n2-standard-2"}, `Tier "n2-standard-2" is not allowed: edition ENTERPRISE takes db-f1-micro`},
		{Args{PrivateNetwork: n, Edition: "STANDARD"}, `Edition "STANDARD" is not allowed: want ENTERPRISE or ENTERPRISE_PLUS`},
		{Args{PrivateNetwork: n, DatabaseVersion: "MYSQL_8_0"}, `DatabaseVersion "MYSQL_8_0" is not allowed`},
		{Args{PrivateNetwork: n, DiskSizeGB: 5}, "DiskSizeGB 5 is not allowed: want 10-65536"},
		{Args{PrivateNetwork: n, BackupRetentionDays: 400}, "BackupRetentionDays 400 is not allowed: want 2-365"},
		{Args{PrivateNetwork: n, BackupRetentionDays: 1}, "BackupRetentionDays 1 is not allowed: want 2-365"},
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

// TestCloudSQLRequiresMoreBackupsThanLogDays: Cloud SQL refuses a backup configuration whose
// transaction-log retention is not below the retained backups ("Invalid request: backup
// retention should be > transaction log retention", terraform-google-sql-db#785), and keeps
// 1-7 log days on ENTERPRISE, 1-35 on ENTERPRISE_PLUS (pulumi-gcp
// DatabaseInstanceSettingsBackupConfiguration.transactionLogRetentionDays doc).
func TestCloudSQLRequiresMoreBackupsThanLogDays(t *testing.T) {
	n := pulumi.String("vpc")
	for _, c := range []struct {
		args       Args
		logs, kept int
	}{
		{Args{PrivateNetwork: n}, 6, 7},
		{Args{PrivateNetwork: n, BackupRetentionDays: 2}, 1, 2},
		{Args{PrivateNetwork: n, BackupRetentionDays: 14}, 7, 14},
		{Args{PrivateNetwork: n, BackupRetentionDays: 40, Edition: EnterprisePlus}, 35, 40},
		{Args{PrivateNetwork: n, BackupRetentionDays: 8, PointInTimeRecoveryDays: 7}, 7, 8},
	} {
		r, err := c.args.resolve()
		require.NoError(t, err)
		assert.Equal(t, c.logs, r.PointInTimeRecoveryDays, "%+v", c.args)
		assert.Equal(t, c.kept, r.BackupRetentionDays)
		assert.Less(t, r.PointInTimeRecoveryDays, r.BackupRetentionDays)
	}
	for _, c := range []struct {
		args Args
		want string
	}{
		{Args{PrivateNetwork: n, BackupRetentionDays: 7, PointInTimeRecoveryDays: 7}, "PointInTimeRecoveryDays 7 is not less than BackupRetentionDays 7: Cloud SQL requires more retained backups than transaction-log days"},
		{Args{PrivateNetwork: n, BackupRetentionDays: 30, PointInTimeRecoveryDays: 14}, "PointInTimeRecoveryDays 14 is not allowed: want 1-7 with edition ENTERPRISE"},
	} {
		_, err := c.args.resolve()
		require.Error(t, err, c.want)
		assert.Contains(t, err.Error(), c.want)
	}
	plan, err := testkit.RunExports(program(1, true, true))
	require.NoError(t, err)
	primary := plan.Find("gcp:sql/databaseInstance:DatabaseInstance", "db")
	assert.Equal(t, 7.0, primary.Input("settings.backupConfiguration.transactionLogRetentionDays"))
	assert.Equal(t, 14.0, primary.Input("settings.backupConfiguration.backupRetentionSettings.retainedBackups"))
}

// TestCloudSQLTierMustMatchEdition: ENTERPRISE_PLUS takes only db-perf-optimized-N-* tiers and
// those need ENTERPRISE_PLUS; ENTERPRISE takes shared-core and db-custom-<vCPUs>-<MB> types
// with 1 or an even number of vCPUs up to 96 and 0.9-6.5 GB per vCPU in 256 MB steps, at
// least 3840 MB (https://cloud.google.com/sql/docs/postgres/machine-series-overview,
// https://cloud.google.com/sql/docs/postgres/instance-settings).
func TestCloudSQLTierMustMatchEdition(t *testing.T) {
	for _, ok := range [][2]string{
		{Enterprise, "db-custom-1-3840"}, {Enterprise, "db-custom-2-7680"}, {Enterprise, "db-custom-4-26624"},
		{Enterprise, "db-f1-micro"}, {Enterprise, "db-g1-small"}, {Enterprise, "db-custom-96-638976"},
		{EnterprisePlus, "db-perf-optimized-N-2"}, {EnterprisePlus, "db-perf-optimized-N-128"},
	} {
		assert.NoError(t, CheckTier(ok[0], ok[1]), "%s %s", ok[0], ok[1])
	}
	for _, bad := range []struct{ edition, tier, want string }{
		{Enterprise, "db-perf-optimized-N-4", "need edition ENTERPRISE_PLUS"},
		{EnterprisePlus, "db-custom-2-7680", "edition ENTERPRISE_PLUS takes only db-perf-optimized-N-<vCPUs>"},
		{EnterprisePlus, "db-perf-optimized-N-6", "has no such vCPU count"},
		{Enterprise, "db-n1-standard-2", "edition ENTERPRISE takes db-f1-micro, db-g1-small or db-custom"},
		{Enterprise, "db-custom-3-7680", "3 vCPUs is not allowed: want 1 or an even number up to 96"},
		{Enterprise, "db-custom-2-7000", "7000 MB of memory is not allowed: want a multiple of 256 MB"},
		{Enterprise, "db-custom-1-7680", "7680 MB for 1 vCPUs is not allowed: want 0.9 to 6.5 GB per vCPU (1024-6656 MB)"},
		{Enterprise, "db-custom-8-3840", "3840 MB for 8 vCPUs is not allowed"},
	} {
		err := CheckTier(bad.edition, bad.tier)
		require.Error(t, err, "%s %s", bad.edition, bad.tier)
		assert.Contains(t, err.Error(), bad.want)
	}
	r, err := (&Args{PrivateNetwork: pulumi.String("vpc"), Edition: EnterprisePlus}).resolve()
	require.NoError(t, err)
	assert.Equal(t, "db-perf-optimized-N-2", r.Tier, "the Enterprise Plus default tier")
}

// TestCloudSQLDiskSizeIsIgnoredUnderAutoresize: with diskAutoresize on, Cloud SQL grows the
// disk, and disk_size is ForceNew on shrink, so the next update would replace the instance;
// the pulumi-gcp DatabaseInstanceSettings.diskSize doc says to ignore changes to it. The
// primary and every replica ignore settings.diskSize.
func TestCloudSQLDiskSizeIsIgnoredUnderAutoresize(t *testing.T) {
	plan, err := testkit.RunExports(program(1, true, true))
	require.NoError(t, err)
	instances := plan.ByType("gcp:sql/databaseInstance:DatabaseInstance")
	require.Len(t, instances, 3)
	for _, r := range instances {
		assert.Equal(t, true, r.Input("settings.diskAutoresize"), r.Name)
		assert.Contains(t, r.IgnoreChanges, "settings.diskSize", r.Name)
	}
}

// TestSQLDatabaseIsAbandonedNotDropped: sql.Database's default deletion policy DELETE drops
// the database whenever Pulumi deletes the resource, including on a replacement; ABANDON
// leaves it (pulumi-gcp sql.Database DeletionPolicy doc). With deletion protection the
// database is also retained if removed from the program.
func TestSQLDatabaseIsAbandonedNotDropped(t *testing.T) {
	for _, prod := range []bool{false, true} {
		plan, err := testkit.RunExports(program(0, false, prod))
		require.NoError(t, err)
		db := plan.Find("gcp:sql/database:Database", "db")
		assert.Equal(t, "ABANDON", db.InputString("deletionPolicy"))
		assert.Equal(t, prod, db.RetainOnDelete)
	}
}

// TestCloudSQLReplicasHaveNoMaintenanceWindow: read replicas do not support the maintenance
// window setting (https://cloud.google.com/sql/docs/postgres/instance-settings; the provider
// shows a perpetual diff or fails, terraform-provider-google#7609); only the primary has one.
func TestCloudSQLReplicasHaveNoMaintenanceWindow(t *testing.T) {
	plan, err := testkit.RunExports(program(2, true, true))
	require.NoError(t, err)
	for _, r := range plan.ByType("gcp:sql/databaseInstance:DatabaseInstance") {
		if r.Name == "db" {
			assert.Equal(t, 7.0, r.Input("settings.maintenanceWindow.day"))
			continue
		}
		assert.Nil(t, r.Input("settings.maintenanceWindow"), r.Name)
	}
}
