// Package gcpstack is the Google Cloud reference stack: the scalestack intent from
// `scalestack:*` config deployed as a backend.Backend over a region pair (primary active,
// secondary a warm standby), with the project's APIs enabled by the stack and explicit
// providers per region.
//
// GCP-only settings live under `scalestack:gcp` next to project, primaryRegion,
// secondaryRegion and machineType (see ExtraKeys). Common keys that mean nothing on Google
// Cloud are rejected before any resource is registered.
package gcpstack

import (
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/pulumi/pulumi-gcp/sdk/v7/go/gcp"
	"github.com/pulumi/pulumi-gcp/sdk/v7/go/gcp/projects"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/scalestack/scalestack/components/gcp/backend"
	"github.com/scalestack/scalestack/components/gcp/database"
	"github.com/scalestack/scalestack/components/gcp/webtier"
	"github.com/scalestack/scalestack/providers"
	"github.com/scalestack/scalestack/providers/gcpregions"
	"github.com/scalestack/scalestack/stacks/spec"
)

// BackendName is the logical name of the stack's backend; it prefixes every resource name.
const BackendName = "app"

// ExtraKeys are the `scalestack:gcp` keys this stack adds to the common placement keys.
var ExtraKeys = []string{"dbEdition", "dbTier", "dbVersion", "image", "dnsZone", "scheduleDurationMinutes"}

func init() {
	for _, k := range ExtraKeys {
		spec.GCPExtraKeys[k] = true
	}
}

// Settings are the GCP-only settings decoded from `scalestack:gcp`.
type Settings struct {
	// DBEdition is the Cloud SQL edition. Default: ENTERPRISE. Allowed: ENTERPRISE,
	// ENTERPRISE_PLUS.
	DBEdition string `json:"dbEdition"`
	// DBTier is the Cloud SQL tier, one of DBEdition's (database.CheckTier). Default:
	// db-custom-1-3840 (dev), db-custom-2-7680 (staging, prod) on ENTERPRISE;
	// db-perf-optimized-N-2 (dev), db-perf-optimized-N-4 (staging, prod) on ENTERPRISE_PLUS.
	DBTier string `json:"dbTier"`
	// DBVersion is the PostgreSQL version. Default: POSTGRES_16.
	DBVersion string `json:"dbVersion"`
	// Image is the boot image or image family URL, resolved when instances are created.
	// Default: projects/debian-cloud/global/images/family/debian-12.
	Image string `json:"image"`
	// DNSZone is an existing Cloud DNS managed zone for scalestack:domain.name; the stack
	// adds an A record for the load balancer's address there. Default: "" (no record).
	DNSZone string `json:"dnsZone"`
	// ScheduleDurationMinutes is how long each web.schedules entry holds its minimum (Google
	// Cloud scaling schedules have a duration). Default: 60. Allowed: 5-10080.
	ScheduleDurationMinutes int `json:"scheduleDurationMinutes"`
}

var (
	versionRE = regexp.MustCompile(`^POSTGRES_[0-9]+$`)
	imageRE   = regexp.MustCompile(`^projects/[a-z][a-z0-9-]+/global/images/(family/)?[a-z][a-z0-9-]*$`)
	zoneRE    = regexp.MustCompile(`^[a-z][a-z0-9-]{0,62}$`)
)

// Decode reads and validates the GCP-only settings and rejects common keys that have no
// meaning on Google Cloud. raw reads one raw config key ("scalestack:web"), so that keys the
// user set can be told from defaults. Every problem is reported, in one *spec.ConfigError.
func Decode(s *spec.Spec, raw func(key string) (string, bool)) (Settings, error) {
	var problems []string
	errf := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	set := Settings{
		DBEdition:               database.Enterprise,
		DBVersion:               "POSTGRES_16",
		Image:                   webtier.DefaultImage,
		ScheduleDurationMinutes: 60,
	}
	for _, k := range ExtraKeys {
		v, ok := s.GCP.Extra[k]
		if !ok || string(v) == "null" {
			continue
		}
		var err error
		switch k {
		case "scheduleDurationMinutes":
			err = json.Unmarshal(v, &set.ScheduleDurationMinutes)
		default:
			var str string
			if err = json.Unmarshal(v, &str); err == nil && str != "" {
				*map[string]*string{"dbEdition": &set.DBEdition, "dbTier": &set.DBTier, "dbVersion": &set.DBVersion, "image": &set.Image, "dnsZone": &set.DNSZone}[k] = str
			}
		}
		if err != nil {
			errf("scalestack:gcp.%s: %s is not allowed: want a %s", k, v, map[bool]string{true: "whole number", false: "string"}[k == "scheduleDurationMinutes"])
		}
	}
	notDev := s.Environment != spec.Dev
	switch set.DBEdition {
	case database.Enterprise:
		if set.DBTier == "" {
			set.DBTier = map[bool]string{true: "db-custom-2-7680", false: "db-custom-1-3840"}[notDev]
		}
	case database.EnterprisePlus:
		if set.DBTier == "" {
			set.DBTier = map[bool]string{true: "db-perf-optimized-N-4", false: "db-perf-optimized-N-2"}[notDev]
		}
	default:
		errf("scalestack:gcp.dbEdition: %q is not allowed: want ENTERPRISE or ENTERPRISE_PLUS", set.DBEdition)
	}
	if set.DBEdition == database.Enterprise || set.DBEdition == database.EnterprisePlus {
		if err := database.CheckTier(set.DBEdition, set.DBTier); err != nil {
			errf("scalestack:gcp.dbTier: %q is not allowed with gcp.dbEdition %s: %v", set.DBTier, set.DBEdition, err)
		}
	}
	if !versionRE.MatchString(set.DBVersion) {
		errf("scalestack:gcp.dbVersion: %q is not allowed: want POSTGRES_<major>, such as POSTGRES_16", set.DBVersion)
	}
	if !imageRE.MatchString(set.Image) {
		errf("scalestack:gcp.image: %q is not an image URL: want projects/<project>/global/images/family/<family> (or .../images/<name>)", set.Image)
	}
	if set.DNSZone != "" {
		if !zoneRE.MatchString(set.DNSZone) {
			errf("scalestack:gcp.dnsZone: %q is not a managed zone name: want lowercase letters, digits and dashes", set.DNSZone)
		}
		if s.Domain.Name == "" {
			errf("scalestack:gcp.dnsZone: %q is set but scalestack:domain.name is empty: want the domain the record is for", set.DNSZone)
		}
	}
	if set.ScheduleDurationMinutes < 5 || set.ScheduleDurationMinutes > 10080 {
		errf("scalestack:gcp.scheduleDurationMinutes: %d is not allowed: want 5-10080", set.ScheduleDurationMinutes)
	}

	// Common keys with no meaning on Google Cloud.
	if s.Web.MinSize < 1 {
		errf("scalestack:web.minSize: %d is not allowed on gcp: a managed instance group behind the load balancer needs at least 1 instance", s.Web.MinSize)
	}
	if s.Explicit("web.desiredSize") && s.Web.DesiredSize != s.Web.MinSize {
		errf("scalestack:web.desiredSize: %d has no meaning on gcp: the autoscaler sizes the group between minSize and maxSize; remove it", s.Web.DesiredSize)
	}
	if s.Explicit("backup.weeklyRetentionDays") && s.Backup.WeeklyRetentionDays > 0 {
		errf("scalestack:backup.weeklyRetentionDays: %d has no meaning on gcp: a disk takes one snapshot schedule and Cloud SQL keeps daily backups only; set it to 0 or remove it", s.Backup.WeeklyRetentionDays)
	}
	for i, sch := range s.Web.Schedules {
		if sch.MaxSize != s.Web.MaxSize && userSetSchedule(raw, i, "maxSize") {
			errf("scalestack:web.schedules[%d].maxSize: %d has no meaning on gcp: a scaling schedule raises the minimum only (the group keeps web.maxSize %d); remove it or set it to %d", i, sch.MaxSize, s.Web.MaxSize, s.Web.MaxSize)
		}
	}
	if len(problems) > 0 {
		return set, &spec.ConfigError{Problems: problems}
	}
	return set, nil
}

func userSetSchedule(raw func(string) (string, bool), i int, field string) bool {
	var list []map[string]json.RawMessage
	if v, ok := rawObject(raw, "web")["schedules"]; ok && json.Unmarshal(v, &list) == nil && i < len(list) {
		_, ok := list[i][field]
		return ok
	}
	return false
}

func rawObject(raw func(string) (string, bool), obj string) map[string]json.RawMessage {
	if raw == nil {
		return nil
	}
	v, ok := raw(spec.Namespace + ":" + obj)
	if !ok {
		return nil
	}
	var m map[string]json.RawMessage
	_ = json.Unmarshal([]byte(v), &m)
	return m
}

// APIs are the Google Cloud services the stack enables (and never disables on destroy).
func APIs(dns bool) []string {
	apis := []string{
		"cloudresourcemanager.googleapis.com", "compute.googleapis.com", "iam.googleapis.com",
		"logging.googleapis.com", "monitoring.googleapis.com", "servicenetworking.googleapis.com",
		"sqladmin.googleapis.com", "storage.googleapis.com",
	}
	if dns {
		apis = append(apis, "dns.googleapis.com")
	}
	sort.Strings(apis)
	return apis
}

// BackupLocation is where snapshots and Cloud SQL backups go when they are copied to the
// secondary region: the multi-region covering both regions where there is one ("us", "eu",
// "asia"), else the secondary region itself.
func BackupLocation(primary, secondary string) string {
	if m := MultiRegion(primary); m != "" && m == MultiRegion(secondary) {
		return m
	}
	return secondary
}

// MultiRegion is the storage multi-region a region belongs to ("us", "eu", "asia"), or "".
func MultiRegion(region string) string {
	switch {
	case strings.HasPrefix(region, "us-"):
		return "us"
	case strings.HasPrefix(region, "europe-"):
		return "eu"
	case strings.HasPrefix(region, "asia-"):
		return "asia"
	}
	return ""
}

// Build validates the GCP settings, then enables the APIs, creates the per-region providers
// and the backend, and returns the stack outputs.
func Build(ctx *pulumi.Context, s *spec.Spec) (pulumi.Map, error) {
	set, err := Decode(s, ctx.GetConfig)
	if err != nil {
		return nil, err
	}
	args := BackendArgs(s, set)
	check := *args
	if s.GCP.SecondaryRegion != "" {
		check.SecondaryProvider = &gcp.Provider{} // stands in for the provider Build creates
	}
	if err := check.Validate(BackendName); err != nil {
		return nil, &spec.ConfigError{Problems: []string{err.Error()}}
	}
	tags := providers.DefaultTags(s.Project, s.Stack, string(s.Environment))

	project, err := gcpregions.ProjectProvider(ctx, gcpregions.Args{Project: s.GCP.Project, Tags: tags})
	if err != nil {
		return nil, err
	}
	var services []pulumi.Resource
	for _, api := range APIs(set.DNSZone != "") {
		svc, err := projects.NewService(ctx, "api-"+strings.TrimSuffix(api, ".googleapis.com"), &projects.ServiceArgs{
			Project:          pulumi.String(s.GCP.Project),
			Service:          pulumi.String(api),
			DisableOnDestroy: pulumi.Bool(false),
		}, pulumi.Provider(project))
		if err != nil {
			return nil, fmt.Errorf("enabling %s: %w", api, err)
		}
		services = append(services, svc)
	}
	// Every resource uses one of these providers, and they wait for the APIs.
	regions, err := gcpregions.New(ctx, gcpregions.Args{
		Project: s.GCP.Project, Primary: s.GCP.PrimaryRegion, Secondary: s.GCP.SecondaryRegion, Tags: tags,
	}, pulumi.DependsOn(services))
	if err != nil {
		return nil, err
	}
	args.SecondaryProvider = regions.Secondary
	b, err := backend.New(ctx, BackendName, args, pulumi.Provider(regions.Primary))
	if err != nil {
		return nil, err
	}
	notes := append(Notes(s, b.Notes), retentionNotes(s, set)...)
	for _, n := range notes {
		ctx.Log.Info("gcp: "+n, nil)
	}
	out := pulumi.Map{
		"cloud":                            pulumi.String("gcp"),
		"project":                          pulumi.String(s.GCP.Project),
		"primaryRegion":                    pulumi.String(s.GCP.PrimaryRegion),
		"url":                              b.URL,
		"address":                          b.Address,
		"cdnEnabled":                       b.CDNEnabled,
		"databaseConnectionName":           b.DatabaseConnectionName,
		"databasePrivateIp":                b.DatabasePrivateIP,
		"replicaNames":                     b.ReplicaNames,
		"replicaPrivateIps":                b.ReplicaPrivateIPs,
		"crossRegionReplicaConnectionName": b.CrossRegionReplicaConnectionName,
		"databaseUsers":                    b.DatabaseUsers,
		"uptimeCheckId":                    b.UptimeCheckID,
	}
	if s.GCP.SecondaryRegion != "" {
		out["secondaryRegion"] = pulumi.String(s.GCP.SecondaryRegion)
	}
	if len(notes) > 0 {
		out["notes"] = pulumi.ToStringArray(notes)
	}
	return out, nil
}

// Notes lists what the deployment leaves out or ignores.
func Notes(s *spec.Spec, backendNotes []string) []string {
	notes := append([]string{}, backendNotes...)
	if s.Backup.WeeklyRetentionDays > 0 {
		notes = append(notes, fmt.Sprintf("backup.weeklyRetentionDays %d (an environment default) is not used on gcp: daily snapshots and Cloud SQL backups only", s.Backup.WeeklyRetentionDays))
	}
	if s.Domain.Name == "" {
		notes = append(notes, "no domain: the load balancer serves plain HTTP on its address, without a certificate")
	}
	return notes
}

// retentionNotes says where Cloud SQL keeps less point-in-time recovery than asked.
func retentionNotes(s *spec.Spec, set Settings) []string {
	pitr, retained := DatabaseRetention(s, set)
	if pitr < s.Database.BackupRetentionDays {
		return []string{fmt.Sprintf("database.backupRetentionDays %d: Cloud SQL %s keeps %d days of point-in-time recovery (ENTERPRISE_PLUS keeps up to 35) and %d daily backups", s.Database.BackupRetentionDays, set.DBEdition, pitr, retained)}
	}
	return nil
}

// DatabaseRetention maps database.backupRetentionDays onto Cloud SQL: the point-in-time
// recovery window (transaction-log days) is database.backupRetentionDays, at most what the
// edition keeps (7 on ENTERPRISE, 35 on ENTERPRISE_PLUS), and the daily backups kept are
// database.backupRetentionDays but always more than the log days, as Cloud SQL requires.
func DatabaseRetention(s *spec.Spec, set Settings) (pitrDays, retainedBackups int) {
	pitrDays = min(s.Database.BackupRetentionDays, database.MaxPointInTimeRecoveryDays(set.DBEdition))
	retainedBackups = max(s.Database.BackupRetentionDays, pitrDays+1)
	return pitrDays, retainedBackups
}

// BackendArgs maps the spec and the GCP settings onto the backend's arguments (without the
// secondary provider, which Build creates).
func BackendArgs(s *spec.Spec, set Settings) *backend.Args {
	var schedules []webtier.Schedule
	for _, sch := range s.Web.Schedules {
		schedules = append(schedules, webtier.Schedule{
			Name: sch.Name, Cron: sch.Cron, MinReplicas: max(sch.MinSize, sch.DesiredSize),
			DurationMinutes: set.ScheduleDurationMinutes,
		})
	}
	location := ""
	if s.Backup.CopyToSecondary && s.GCP.SecondaryRegion != "" {
		location = BackupLocation(s.GCP.PrimaryRegion, s.GCP.SecondaryRegion)
	}
	pitr, retained := DatabaseRetention(s, set)
	static := MultiRegion(s.GCP.PrimaryRegion)
	if static == "" {
		static = s.GCP.PrimaryRegion
	}
	return &backend.Args{
		Project:              s.GCP.Project,
		StaticAssetsLocation: strings.ToUpper(static),
		Web: backend.Web{
			MachineType:                  s.GCP.MachineType,
			Image:                        set.Image,
			Port:                         s.Web.Port,
			HealthCheckPath:              s.Web.HealthCheckPath,
			MinSize:                      s.Web.MinSize,
			MaxSize:                      s.Web.MaxSize,
			TargetCPUPercent:             s.Web.TargetCPUPercent,
			RequestsPerMinutePerInstance: s.Web.RequestsPerInstance,
			Schedules:                    schedules,
		},
		Database: backend.Database{
			Edition:                 set.DBEdition,
			PointInTimeRecoveryDays: pitr,
			Tier:                    set.DBTier,
			DatabaseVersion:         set.DBVersion,
			HighAvailability:        s.Database.HighAvailability,
			DeletionProtection:      s.Database.DeletionProtection,
			DiskSizeGB:              s.Database.StorageGB,
			BackupRetentionDays:     retained,
			DatabaseName:            s.Database.Name,
			ReadReplicas:            s.Database.ReadReplicas,
			CrossRegionReplica:      s.Database.CrossRegionReplica && s.GCP.SecondaryRegion != "",
		},
		CDN:         s.CDN.Enabled,
		Backup:      backend.Backup{DailyAt: s.Backup.DailyAt, RetentionDays: s.Backup.RetentionDays, Location: location},
		Domain:      s.Domain.Name,
		ManagedZone: set.DNSZone,
		AlertEmail:  s.Alerts.Email,
	}
}
