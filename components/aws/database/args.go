package database

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Defaults applied by Args.withDefaults. They are part of the documented contract.
const (
	DefaultEngineVersion       = "16"
	DefaultInstanceClass       = "db.t4g.medium"
	DefaultAllocatedStorageGB  = 20
	DefaultBackupRetentionDays = 7
	DefaultUsername            = "app_admin"
	DefaultDatabaseName        = "app"
	DefaultBackupWindow        = "01:00-02:00"
	DefaultMaintenanceWindow   = "sun:05:00-sun:06:00"
)

// MaxReadReplicas is the most in-region replicas a Database creates. RDS allows up to 15
// per source; past 5, a read-scaling tier (or Aurora) is the better tool.
const MaxReadReplicas = 5

const (
	// minStorageGB and maxStorageGB are the RDS limits for gp3 PostgreSQL storage.
	minStorageGB = 20
	maxStorageGB = 65536
	// storageAutoscalingFactor sets the default autoscaling ceiling relative to the allocation.
	storageAutoscalingFactor = 4
	// maxNameLength leaves room for "-secondary" / "-replica-5" and the 8-character suffix
	// Pulumi's auto-naming adds, inside RDS's 63-character identifier limit.
	maxNameLength = 40
)

// Args configures a Database. Zero values mean the documented default.
type Args struct {
	// VpcID is the VPC the database's security group belongs to. Required.
	VpcID pulumi.StringInput
	// SubnetIDs are the private (data) subnets of the DB subnet group, in at least two
	// availability zones. Required.
	SubnetIDs pulumi.StringArrayInput
	// AllowedSecurityGroupIDs are the only security groups admitted on port 5432 (the web
	// tier's). Required: nothing else, and no CIDR range, can reach the database.
	AllowedSecurityGroupIDs pulumi.StringArrayInput

	// EngineVersion is the PostgreSQL major ("16") or major.minor ("16.4") version; the
	// parameter group family follows the major. Default: "16".
	EngineVersion string
	// InstanceClass of the primary. Default: "db.t4g.medium". Must start with "db.".
	InstanceClass string
	// ReplicaInstanceClass of the in-region and cross-region replicas. Default: InstanceClass.
	ReplicaInstanceClass string
	// MultiAZ keeps a synchronous standby in another zone. Default: true (set new(false) to
	// turn it off, e.g. in dev).
	MultiAZ *bool
	// AllocatedStorageGB is the initial gp3 storage. Default: 20. Allowed: 20-65536.
	AllocatedStorageGB int
	// MaxAllocatedStorageGB is the ceiling storage autoscaling may grow to. Default:
	// 4 × AllocatedStorageGB (at most 65536). Allowed: AllocatedStorageGB-65536.
	MaxAllocatedStorageGB int

	// Username of the master user, whose password RDS generates and keeps in Secrets
	// Manager (no password ever reaches Pulumi state). Default: "app_admin".
	Username string
	// DatabaseName is the database created on the primary. Default: "app".
	DatabaseName string

	// BackupRetentionDays keeps automated backups (point-in-time recovery). Default: 7.
	// Allowed: 1-35.
	BackupRetentionDays int
	// BackupWindow is the daily UTC window of automated backups, "hh:mm-hh:mm".
	// Default: "01:00-02:00". It must not overlap MaintenanceWindow.
	BackupWindow string
	// MaintenanceWindow is the weekly UTC maintenance window, "ddd:hh:mm-ddd:hh:mm".
	// Default: "sun:05:00-sun:06:00".
	MaintenanceWindow string
	// DeletionProtection makes RDS refuse to delete the primary (and the cross-region
	// replica), and protects the primary in Pulumi. Default: true.
	DeletionProtection *bool
	// FinalSnapshot takes a snapshot named "<name>-final-snapshot" when the primary is deleted,
	// and retains the KMS keys that snapshot needs. Default: true.
	FinalSnapshot *bool

	// MonitoringIntervalSeconds turns on enhanced monitoring (with its own IAM role).
	// Default: 0 (off). Allowed: 0, 1, 5, 10, 15, 30, 60.
	MonitoringIntervalSeconds int

	// ReadReplicas is the number of in-region read replicas, named "<name>-replica-1" up to
	// "<name>-replica-N", so adding one never renames the others. Default: 0. Allowed: 0-5.
	ReadReplicas int
	// CrossRegion adds a read replica in another region. Default: nil (none).
	CrossRegion *CrossRegionArgs

	// Tags are added to every child (over the provider's default tags).
	Tags map[string]string
}

// CrossRegionArgs places a read replica in a second region, with its own KMS key, subnet
// group, security group and parameter group there.
type CrossRegionArgs struct {
	// Provider is the explicit provider of the second region. Required.
	Provider pulumi.ProviderResource
	// VpcID is the VPC in the second region. Required.
	VpcID pulumi.StringInput
	// SubnetIDs are the data subnets in the second region. Required.
	SubnetIDs pulumi.StringArrayInput
	// AllowedSecurityGroupIDs are the security groups admitted on 5432 in the second region
	// (that region's web tier). Required.
	AllowedSecurityGroupIDs pulumi.StringArrayInput
	// InstanceClass of the cross-region replica. Default: the Database's ReplicaInstanceClass.
	InstanceClass string
}

var (
	nameRE          = regexp.MustCompile(`^[a-z][a-z0-9-]*$`)
	engineVersionRE = regexp.MustCompile(`^([0-9]+)(\.[0-9]+)?$`)
	identRE         = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]{0,62}$`)
	backupWindowRE  = regexp.MustCompile(`^([01][0-9]|2[0-3]):[0-5][0-9]-([01][0-9]|2[0-3]):[0-5][0-9]$`)
	maintWindowRE   = regexp.MustCompile(`^(mon|tue|wed|thu|fri|sat|sun):([01][0-9]|2[0-3]):[0-5][0-9]-(mon|tue|wed|thu|fri|sat|sun):([01][0-9]|2[0-3]):[0-5][0-9]$`)
	monitoringSecs  = []int{0, 1, 5, 10, 15, 30, 60}
	reservedUsers   = map[string]bool{"rdsadmin": true, "rdsrepladmin": true, "rdstopmgr": true, "rds_superuser": true}
)

// withDefaults returns a copy of a with every zero value replaced by its documented default.
// It is pure: the one place defaults live.
func (a Args) withDefaults() Args {
	if a.EngineVersion == "" {
		a.EngineVersion = DefaultEngineVersion
	}
	if a.InstanceClass == "" {
		a.InstanceClass = DefaultInstanceClass
	}
	if a.ReplicaInstanceClass == "" {
		a.ReplicaInstanceClass = a.InstanceClass
	}
	a.MultiAZ = orTrue(a.MultiAZ)
	if a.AllocatedStorageGB == 0 {
		a.AllocatedStorageGB = DefaultAllocatedStorageGB
	}
	if a.MaxAllocatedStorageGB == 0 {
		a.MaxAllocatedStorageGB = min(storageAutoscalingFactor*a.AllocatedStorageGB, maxStorageGB)
	}
	if a.Username == "" {
		a.Username = DefaultUsername
	}
	if a.DatabaseName == "" {
		a.DatabaseName = DefaultDatabaseName
	}
	if a.BackupRetentionDays == 0 {
		a.BackupRetentionDays = DefaultBackupRetentionDays
	}
	if a.BackupWindow == "" {
		a.BackupWindow = DefaultBackupWindow
	}
	if a.MaintenanceWindow == "" {
		a.MaintenanceWindow = DefaultMaintenanceWindow
	}
	a.DeletionProtection = orTrue(a.DeletionProtection)
	a.FinalSnapshot = orTrue(a.FinalSnapshot)
	if a.CrossRegion != nil {
		cr := *a.CrossRegion
		if cr.InstanceClass == "" {
			cr.InstanceClass = a.ReplicaInstanceClass
		}
		a.CrossRegion = &cr
	}
	return a
}

func orTrue(b *bool) *bool {
	if b == nil {
		v := true
		return &v
	}
	return b
}

// validate checks a component name and defaulted arguments, reporting every problem at
// once. It is pure and runs before anything is registered.
func validate(name string, a Args) error {
	var p []string
	bad := func(format string, args ...any) { p = append(p, fmt.Sprintf(format, args...)) }

	if len(name) > maxNameLength || !nameRE.MatchString(name) || strings.Contains(name, "--") || strings.HasSuffix(name, "-") {
		bad("name %q is not allowed: want lowercase letters, digits and single hyphens, starting with a letter, at most %d characters (it prefixes the RDS identifiers)", name, maxNameLength)
	}
	if a.VpcID == nil {
		bad("VpcID is required")
	}
	if a.SubnetIDs == nil {
		bad("SubnetIDs is required: the data subnets of the DB subnet group")
	}
	if a.AllowedSecurityGroupIDs == nil {
		bad("AllowedSecurityGroupIDs is required: the security groups admitted on port 5432")
	}
	if !engineVersionRE.MatchString(a.EngineVersion) {
		bad("EngineVersion %q is not allowed: want a PostgreSQL version like \"16\" or \"16.4\"", a.EngineVersion)
	} else if major, _ := strconv.Atoi(engineVersionRE.FindStringSubmatch(a.EngineVersion)[1]); major < 12 {
		bad("EngineVersion %q is not allowed: want PostgreSQL 12 or later", a.EngineVersion)
	}
	if !strings.HasPrefix(a.InstanceClass, "db.") {
		bad("InstanceClass %q is not allowed: want an RDS instance class like \"db.t4g.medium\"", a.InstanceClass)
	}
	if !strings.HasPrefix(a.ReplicaInstanceClass, "db.") {
		bad("ReplicaInstanceClass %q is not allowed: want an RDS instance class like \"db.t4g.medium\"", a.ReplicaInstanceClass)
	}
	if a.AllocatedStorageGB < minStorageGB || a.AllocatedStorageGB > maxStorageGB {
		bad("AllocatedStorageGB %d is not allowed: want %d-%d", a.AllocatedStorageGB, minStorageGB, maxStorageGB)
	}
	if a.MaxAllocatedStorageGB < a.AllocatedStorageGB || a.MaxAllocatedStorageGB > maxStorageGB {
		bad("MaxAllocatedStorageGB %d is not allowed: want %d-%d (at least AllocatedStorageGB)", a.MaxAllocatedStorageGB, a.AllocatedStorageGB, maxStorageGB)
	}
	if !identRE.MatchString(a.Username) || reservedUsers[strings.ToLower(a.Username)] {
		bad("Username %q is not allowed: want 1-63 letters, digits or underscores, starting with a letter, not an RDS reserved name", a.Username)
	}
	if !identRE.MatchString(a.DatabaseName) {
		bad("DatabaseName %q is not allowed: want 1-63 letters, digits or underscores, starting with a letter", a.DatabaseName)
	}
	if a.BackupRetentionDays < 1 || a.BackupRetentionDays > 35 {
		bad("BackupRetentionDays %d is not allowed: want 1-35", a.BackupRetentionDays)
	}
	backupOK := backupWindowRE.MatchString(a.BackupWindow)
	if !backupOK {
		bad("BackupWindow %q is not allowed: want \"hh:mm-hh:mm\" in UTC, like %q", a.BackupWindow, DefaultBackupWindow)
	} else if d := windowMinutes(a.BackupWindow); d < 30 {
		bad("BackupWindow %q is not allowed: want at least 30 minutes", a.BackupWindow)
	}
	maintOK := maintWindowRE.MatchString(a.MaintenanceWindow)
	if !maintOK {
		bad("MaintenanceWindow %q is not allowed: want \"ddd:hh:mm-ddd:hh:mm\" in UTC, like %q", a.MaintenanceWindow, DefaultMaintenanceWindow)
	}
	if backupOK && maintOK && windowsOverlap(a.BackupWindow, a.MaintenanceWindow) {
		bad("BackupWindow %q is not allowed: it overlaps MaintenanceWindow %q", a.BackupWindow, a.MaintenanceWindow)
	}
	if !containsInt(monitoringSecs, a.MonitoringIntervalSeconds) {
		bad("MonitoringIntervalSeconds %d is not allowed: want one of 0, 1, 5, 10, 15, 30, 60", a.MonitoringIntervalSeconds)
	}
	if a.ReadReplicas < 0 || a.ReadReplicas > MaxReadReplicas {
		bad("ReadReplicas %d is not allowed: want 0-%d", a.ReadReplicas, MaxReadReplicas)
	}
	if cr := a.CrossRegion; cr != nil {
		if cr.Provider == nil {
			bad("CrossRegion.Provider is required: the provider of the replica's region")
		}
		if cr.VpcID == nil {
			bad("CrossRegion.VpcID is required")
		}
		if cr.SubnetIDs == nil {
			bad("CrossRegion.SubnetIDs is required")
		}
		if cr.AllowedSecurityGroupIDs == nil {
			bad("CrossRegion.AllowedSecurityGroupIDs is required")
		}
		if !strings.HasPrefix(cr.InstanceClass, "db.") {
			bad("CrossRegion.InstanceClass %q is not allowed: want an RDS instance class like \"db.t4g.medium\"", cr.InstanceClass)
		}
	}
	if len(p) == 0 {
		return nil
	}
	return errors.New(strings.Join(p, "; "))
}

func containsInt(xs []int, x int) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

// clock parses "hh:mm" into minutes after midnight.
func clock(s string) int {
	h, _ := strconv.Atoi(s[:2])
	m, _ := strconv.Atoi(s[3:5])
	return h*60 + m
}

// windowMinutes is the length of an "hh:mm-hh:mm" window, which may wrap past midnight.
func windowMinutes(w string) int {
	start, end := clock(w[:5]), clock(w[6:])
	return ((end-start)%1440 + 1440) % 1440
}

var weekdays = map[string]int{"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}

// windowsOverlap reports whether a daily "hh:mm-hh:mm" window meets a weekly
// "ddd:hh:mm-ddd:hh:mm" window, on any day of the week.
func windowsOverlap(daily, weekly string) bool {
	const week = 7 * 1440
	ws := weekdays[weekly[:3]]*1440 + clock(weekly[4:9])
	we := weekdays[weekly[10:13]]*1440 + clock(weekly[14:19])
	wl := ((we-ws)%week + week) % week
	dl := windowMinutes(daily)
	for day := 0; day < 7; day++ {
		ds := day*1440 + clock(daily[:5])
		// two intervals on a circle of length week overlap when either start lies in the other
		if ((ds-ws)%week+week)%week < wl || ((ws-ds)%week+week)%week < dl {
			return true
		}
	}
	return false
}
