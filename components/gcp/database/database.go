// Package database creates Cloud SQL for PostgreSQL on Google Cloud: a primary instance
// (regional high availability when asked), reachable on a private IP only with encrypted
// connections required and IAM database authentication on, automated backups with
// point-in-time recovery, deletion protection and query insights; N read replicas in the
// primary's region and an optional cross-region replica placed by a second provider.
//
// No password is created: users sign in with IAM database authentication.
package database

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/pulumi/pulumi-gcp/sdk/v7/go/gcp"
	"github.com/pulumi/pulumi-gcp/sdk/v7/go/gcp/sql"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

const typeToken = "scalestack:gcp:Database"

// Args configures a Database. Zero values mean the documented default.
type Args struct {
	// PrivateNetwork is the VPC self link with private services access connected
	// (network.Network.PrivateNetwork). Required.
	PrivateNetwork pulumi.StringInput
	// Edition is the Cloud SQL edition: ENTERPRISE or ENTERPRISE_PLUS. Default: ENTERPRISE.
	Edition string
	// Tier is the machine tier, which must belong to Edition (CheckTier). Default:
	// db-custom-1-3840 (ENTERPRISE), db-perf-optimized-N-2 (ENTERPRISE_PLUS).
	Tier string
	// DatabaseVersion is the PostgreSQL version. Default: POSTGRES_16. Allowed: POSTGRES_*.
	DatabaseVersion string
	// HighAvailability places a synchronous standby in another zone (REGIONAL). Default: false.
	HighAvailability bool
	// DeletionProtection refuses deletes of the primary and the cross-region replica (in
	// Cloud SQL and in Pulumi) and keeps them in the cloud if removed from the program.
	// Default: false.
	DeletionProtection bool
	// DiskSizeGB is the initial disk size; it grows automatically, and later changes to it are
	// ignored (a configured size below the grown one would replace the instance). Default: 20.
	// Allowed: 10-65536.
	DiskSizeGB int
	// BackupRetentionDays is how many automated daily backups are kept. Default: 7.
	// Allowed: 2-365, more than PointInTimeRecoveryDays.
	BackupRetentionDays int
	// PointInTimeRecoveryDays keeps transaction logs for point-in-time recovery. Cloud SQL
	// requires fewer log days than retained backups. Default: BackupRetentionDays - 1, at most
	// 7 (ENTERPRISE) or 35 (ENTERPRISE_PLUS). Allowed: 1-7 (ENTERPRISE), 1-35 (ENTERPRISE_PLUS).
	PointInTimeRecoveryDays int
	// BackupStartTime is the UTC start of the daily backup window, "HH:MM". Default: 03:00.
	BackupStartTime string
	// BackupLocation stores backups in a location other than the instance's region, such as
	// the multi-region "us" so they survive the loss of the region. Default: "" (Cloud SQL's
	// default: the multi-region nearest the instance).
	BackupLocation string
	// DatabaseName is the application database. Default: app.
	DatabaseName string
	// ReadReplicas is how many read replicas to create in the primary's region, named
	// "<name>-replica-<n>" so adding one renames none. Default: 0. Allowed: 0-5.
	ReadReplicas int
	// CrossRegionProvider, when set, places a cross-region read replica "<name>-replica-dr"
	// in that provider's region. Default: nil (none).
	CrossRegionProvider *gcp.Provider
	// Labels are added to every instance (the provider's default labels apply too). Default: none.
	Labels map[string]string
}

var (
	hhmmRE   = regexp.MustCompile(`^([01][0-9]|2[0-3]):[0-5][0-9]$`)
	dbNameRE = regexp.MustCompile(`^[a-z][a-z0-9_]{0,62}$`)
)

func (a *Args) resolve() (Args, error) {
	var r Args
	if a != nil {
		r = *a
	}
	if r.Edition == "" {
		r.Edition = Enterprise
	}
	if r.Tier == "" {
		r.Tier = map[string]string{Enterprise: "db-custom-1-3840", EnterprisePlus: "db-perf-optimized-N-2"}[r.Edition]
	}
	if r.DatabaseVersion == "" {
		r.DatabaseVersion = "POSTGRES_16"
	}
	if r.DiskSizeGB == 0 {
		r.DiskSizeGB = 20
	}
	if r.BackupRetentionDays == 0 {
		r.BackupRetentionDays = 7
	}
	maxLogDays := MaxPointInTimeRecoveryDays(r.Edition)
	if r.PointInTimeRecoveryDays == 0 {
		r.PointInTimeRecoveryDays = max(1, min(maxLogDays, r.BackupRetentionDays-1))
	}
	if r.BackupStartTime == "" {
		r.BackupStartTime = "03:00"
	}
	if r.DatabaseName == "" {
		r.DatabaseName = "app"
	}
	switch {
	case r.PrivateNetwork == nil:
		return r, fmt.Errorf("PrivateNetwork is required: the database has a private IP only")
	case r.Edition != Enterprise && r.Edition != EnterprisePlus:
		return r, fmt.Errorf("Edition %q is not allowed: want %s or %s", r.Edition, Enterprise, EnterprisePlus)
	}
	if err := CheckTier(r.Edition, r.Tier); err != nil {
		return r, fmt.Errorf("Tier %q is not allowed: %w", r.Tier, err)
	}
	switch {
	case !strings.HasPrefix(r.DatabaseVersion, "POSTGRES_"):
		return r, fmt.Errorf("DatabaseVersion %q is not allowed: want POSTGRES_<major>, such as POSTGRES_16", r.DatabaseVersion)
	case r.DiskSizeGB < 10 || r.DiskSizeGB > 65536:
		return r, fmt.Errorf("DiskSizeGB %d is not allowed: want 10-65536", r.DiskSizeGB)
	case r.BackupRetentionDays < 2 || r.BackupRetentionDays > 365:
		return r, fmt.Errorf("BackupRetentionDays %d is not allowed: want 2-365 (more than the point-in-time recovery days)", r.BackupRetentionDays)
	case r.PointInTimeRecoveryDays < 1 || r.PointInTimeRecoveryDays > maxLogDays:
		return r, fmt.Errorf("PointInTimeRecoveryDays %d is not allowed: want 1-%d with edition %s", r.PointInTimeRecoveryDays, maxLogDays, r.Edition)
	case r.PointInTimeRecoveryDays >= r.BackupRetentionDays:
		return r, fmt.Errorf("PointInTimeRecoveryDays %d is not less than BackupRetentionDays %d: Cloud SQL requires more retained backups than transaction-log days", r.PointInTimeRecoveryDays, r.BackupRetentionDays)
	case !hhmmRE.MatchString(r.BackupStartTime):
		return r, fmt.Errorf("BackupStartTime %q is not allowed: want HH:MM in UTC", r.BackupStartTime)
	case !dbNameRE.MatchString(r.DatabaseName):
		return r, fmt.Errorf("DatabaseName %q is not allowed: want 1-63 lowercase letters, digits or underscores, starting with a letter", r.DatabaseName)
	case r.ReadReplicas < 0 || r.ReadReplicas > 5:
		return r, fmt.Errorf("ReadReplicas %d is not allowed: want 0-5", r.ReadReplicas)
	}
	return r, nil
}

// Database is a Cloud SQL for PostgreSQL primary and its replicas.
type Database struct {
	pulumi.ResourceState

	// InstanceName is the primary instance's name.
	InstanceName pulumi.StringOutput `pulumi:"instanceName"`
	// ConnectionName is the primary's "project:region:instance" (Cloud SQL connectors).
	ConnectionName pulumi.StringOutput `pulumi:"connectionName"`
	// PrivateIP is the primary's private IP address.
	PrivateIP pulumi.StringOutput `pulumi:"privateIp"`
	// DatabaseName is the application database's name.
	DatabaseName pulumi.StringOutput `pulumi:"databaseName"`
	// ReplicaNames are the in-region read replicas' instance names, in order.
	ReplicaNames pulumi.StringArrayOutput `pulumi:"replicaNames"`
	// ReplicaPrivateIPs are the in-region read replicas' private IPs, in order.
	ReplicaPrivateIPs pulumi.StringArrayOutput `pulumi:"replicaPrivateIps"`
	// CrossRegionReplicaName is the cross-region replica's name ("" without one).
	CrossRegionReplicaName pulumi.StringOutput `pulumi:"crossRegionReplicaName"`
	// CrossRegionReplicaConnectionName is its connection name ("" without one).
	CrossRegionReplicaConnectionName pulumi.StringOutput `pulumi:"crossRegionReplicaConnectionName"`
	// CrossRegionReplicaPrivateIP is its private IP ("" without one).
	CrossRegionReplicaPrivateIP pulumi.StringOutput `pulumi:"crossRegionReplicaPrivateIp"`
	// Primary is the primary instance, for wiring (monitoring, dependencies).
	Primary *sql.DatabaseInstance `pulumi:"-"`
	// Replicas are every replica instance (in-region first, then the cross-region one).
	Replicas []*sql.DatabaseInstance `pulumi:"-"`
}

// New validates args, applies defaults and registers the database.
func New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*Database, error) {
	a, err := args.resolve()
	if err != nil {
		return nil, fmt.Errorf("database %q: %w", name, err)
	}
	d := &Database{}
	if err := ctx.RegisterComponentResource(typeToken, name, d, opts...); err != nil {
		return nil, err
	}
	parent := pulumi.Parent(d)
	availability := "ZONAL"
	if a.HighAvailability {
		availability = "REGIONAL"
	}
	backup := &sql.DatabaseInstanceSettingsBackupConfigurationArgs{
		Enabled:                     pulumi.Bool(true),
		PointInTimeRecoveryEnabled:  pulumi.Bool(true),
		StartTime:                   pulumi.String(a.BackupStartTime),
		TransactionLogRetentionDays: pulumi.Int(a.PointInTimeRecoveryDays),
		BackupRetentionSettings: &sql.DatabaseInstanceSettingsBackupConfigurationBackupRetentionSettingsArgs{
			RetainedBackups: pulumi.Int(a.BackupRetentionDays),
			RetentionUnit:   pulumi.String("COUNT"),
		},
	}
	if a.BackupLocation != "" {
		backup.Location = pulumi.String(a.BackupLocation)
	}
	// diskAutoresize grows the disk; disk_size is ForceNew on shrink, so the configured size
	// would read as a shrink and replace the instance: ignore it after creation, as the
	// pulumi-gcp DatabaseInstanceSettings.diskSize doc says.
	ignoreDisk := pulumi.IgnoreChanges([]string{"settings.diskSize"})
	primaryOpts := []pulumi.ResourceOption{parent, ignoreDisk}
	if a.DeletionProtection {
		primaryOpts = append(primaryOpts, pulumi.RetainOnDelete(true))
	}
	primary, err := sql.NewDatabaseInstance(ctx, name, &sql.DatabaseInstanceArgs{
		DatabaseVersion:    pulumi.String(a.DatabaseVersion),
		DeletionProtection: pulumi.Bool(a.DeletionProtection),
		Settings:           a.settings(availability, a.DeletionProtection, backup, true),
	}, primaryOpts...)
	if err != nil {
		return nil, fmt.Errorf("creating primary instance: %w", err)
	}
	d.Primary = primary
	// ABANDON: deleting the sql.Database (on replacement, or when the instance is retained)
	// never drops the data (pulumi-gcp sql.Database DeletionPolicy doc; the default DELETE
	// drops it).
	dbOpts := []pulumi.ResourceOption{parent}
	if a.DeletionProtection {
		dbOpts = append(dbOpts, pulumi.RetainOnDelete(true))
	}
	db, err := sql.NewDatabase(ctx, name, &sql.DatabaseArgs{
		Instance:       primary.Name,
		Name:           pulumi.String(a.DatabaseName),
		DeletionPolicy: pulumi.String("ABANDON"),
	}, dbOpts...)
	if err != nil {
		return nil, fmt.Errorf("creating database %q: %w", a.DatabaseName, err)
	}

	replica := func(rname string, protect bool, opts ...pulumi.ResourceOption) (*sql.DatabaseInstance, error) {
		ropts := append([]pulumi.ResourceOption{parent, ignoreDisk}, opts...)
		if protect {
			ropts = append(ropts, pulumi.RetainOnDelete(true))
		}
		r, err := sql.NewDatabaseInstance(ctx, rname, &sql.DatabaseInstanceArgs{
			DatabaseVersion:    pulumi.String(a.DatabaseVersion),
			MasterInstanceName: primary.Name,
			DeletionProtection: pulumi.Bool(protect),
			Settings:           a.settings("ZONAL", protect, &sql.DatabaseInstanceSettingsBackupConfigurationArgs{Enabled: pulumi.Bool(false)}, false),
		}, ropts...)
		if err != nil {
			return nil, fmt.Errorf("creating replica %q: %w", rname, err)
		}
		d.Replicas = append(d.Replicas, r)
		return r, nil
	}
	names := []any{primary.Name}
	ips := []any{primary.PrivateIpAddress}
	for i := 1; i <= a.ReadReplicas; i++ {
		r, err := replica(fmt.Sprintf("%s-replica-%d", name, i), false)
		if err != nil {
			return nil, err
		}
		names = append(names, r.Name)
		ips = append(ips, r.PrivateIpAddress)
	}
	d.CrossRegionReplicaName = primary.Name.ApplyT(func(string) string { return "" }).(pulumi.StringOutput)
	d.CrossRegionReplicaConnectionName = d.CrossRegionReplicaName
	d.CrossRegionReplicaPrivateIP = d.CrossRegionReplicaName
	if a.CrossRegionProvider != nil {
		r, err := replica(name+"-replica-dr", a.DeletionProtection, pulumi.Provider(a.CrossRegionProvider))
		if err != nil {
			return nil, err
		}
		d.CrossRegionReplicaName = r.Name
		d.CrossRegionReplicaConnectionName = r.ConnectionName
		d.CrossRegionReplicaPrivateIP = r.PrivateIpAddress
	}

	d.InstanceName = primary.Name
	d.ConnectionName = primary.ConnectionName
	d.PrivateIP = primary.PrivateIpAddress
	d.DatabaseName = db.Name
	// The primary's outputs anchor the arrays, so they resolve even with no replicas.
	d.ReplicaNames = pulumi.All(names...).ApplyT(tail).(pulumi.StringArrayOutput)
	d.ReplicaPrivateIPs = pulumi.All(ips...).ApplyT(tail).(pulumi.StringArrayOutput)
	return d, ctx.RegisterResourceOutputs(d, pulumi.Map{
		"instanceName":                     d.InstanceName,
		"connectionName":                   d.ConnectionName,
		"privateIp":                        d.PrivateIP,
		"databaseName":                     d.DatabaseName,
		"replicaNames":                     d.ReplicaNames,
		"replicaPrivateIps":                d.ReplicaPrivateIPs,
		"crossRegionReplicaName":           d.CrossRegionReplicaName,
		"crossRegionReplicaConnectionName": d.CrossRegionReplicaConnectionName,
		"crossRegionReplicaPrivateIp":      d.CrossRegionReplicaPrivateIP,
	})
}

func tail(xs []any) []string {
	out := make([]string, 0, len(xs)-1)
	for _, x := range xs[1:] {
		s, _ := x.(string)
		out = append(out, s)
	}
	return out
}

// settings are the instance settings shared by the primary and the replicas. Only the
// primary gets a maintenance window: Cloud SQL read replicas do not support the setting
// (https://cloud.google.com/sql/docs/postgres/instance-settings, "Maintenance window"), and
// the provider then shows a perpetual diff or fails the update (terraform-provider-google#7609).
func (a Args) settings(availability string, protect bool, backup *sql.DatabaseInstanceSettingsBackupConfigurationArgs, primary bool) *sql.DatabaseInstanceSettingsArgs {
	s := &sql.DatabaseInstanceSettingsArgs{
		Tier:                      pulumi.String(a.Tier),
		Edition:                   pulumi.String(a.Edition),
		AvailabilityType:          pulumi.String(availability),
		DiskType:                  pulumi.String("PD_SSD"),
		DiskSize:                  pulumi.Int(a.DiskSizeGB),
		DiskAutoresize:            pulumi.Bool(true),
		DeletionProtectionEnabled: pulumi.Bool(protect),
		IpConfiguration: &sql.DatabaseInstanceSettingsIpConfigurationArgs{
			Ipv4Enabled:    pulumi.Bool(false),
			PrivateNetwork: a.PrivateNetwork,
			SslMode:        pulumi.String("ENCRYPTED_ONLY"),
		},
		BackupConfiguration: backup,
		InsightsConfig: &sql.DatabaseInstanceSettingsInsightsConfigArgs{
			QueryInsightsEnabled:  pulumi.Bool(true),
			RecordApplicationTags: pulumi.Bool(true),
			RecordClientAddress:   pulumi.Bool(false),
		},
		DatabaseFlags: sql.DatabaseInstanceSettingsDatabaseFlagArray{
			sql.DatabaseInstanceSettingsDatabaseFlagArgs{Name: pulumi.String("cloudsql.iam_authentication"), Value: pulumi.String("on")},
			sql.DatabaseInstanceSettingsDatabaseFlagArgs{Name: pulumi.String("log_connections"), Value: pulumi.String("on")},
			sql.DatabaseInstanceSettingsDatabaseFlagArgs{Name: pulumi.String("log_disconnections"), Value: pulumi.String("on")},
		},
		UserLabels: pulumi.ToStringMap(a.Labels),
	}
	if primary {
		s.MaintenanceWindow = &sql.DatabaseInstanceSettingsMaintenanceWindowArgs{
			Day: pulumi.Int(7), Hour: pulumi.Int(4), UpdateTrack: pulumi.String("stable"),
		}
	}
	return s
}

// InstanceNames are the names of the primary and of every replica, primary first: the
// instances an application may connect to (IAMUserArgs.InstanceNames).
func (d *Database) InstanceNames() []pulumi.StringInput {
	names := []pulumi.StringInput{d.Primary.Name}
	for _, r := range d.Replicas {
		names = append(names, r.Name)
	}
	return names
}

// Validate reports the first problem with args, registering nothing.
func (a *Args) Validate() error { _, err := a.resolve(); return err }
