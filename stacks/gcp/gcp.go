// Package gcpstack is the Google Cloud reference stack: the scalestack intent from
// `scalestack:*` config deployed as a backend.Backend over a region pair (both regions serve
// behind the global load balancer; the database's primary is in the primary region), with
// the project's APIs enabled by the stack and explicit providers per region.
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
var ExtraKeys = []string{"dbEdition", "dbTier", "dbVersion", "image", "dnsZone", "scheduleDurationMinutes", "primaryZones", "secondaryZones"}

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
	// PrimaryZones pins the primary region's web tier to these zones (a regional group's
	// rolling-update surge is sized to its zones). Default: three zones of the region from
	// webtier.DefaultZones; required for a region that table does not hold.
	PrimaryZones []string `json:"primaryZones"`
	// SecondaryZones pins the secondary region's web tier. Default: as PrimaryZones.
	SecondaryZones []string `json:"secondaryZones"`
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
		case "primaryZones", "secondaryZones":
			dst := map[string]*[]string{"primaryZones": &set.PrimaryZones, "secondaryZones": &set.SecondaryZones}[k]
			var str string
			if json.Unmarshal(v, &str) == nil {
				// A comma-separated string, as `-c scalestack:gcp.primaryZones=a,b,c` gives.
				for _, z := range strings.Split(str, ",") {
					if z = strings.TrimSpace(z); z != "" {
						*dst = append(*dst, z)
					}
				}
			} else if json.Unmarshal(v, dst) != nil {
				errf("scalestack:gcp.%s: %s is not allowed: want a list of zone names such as [\"us-central1-a\", \"us-central1-b\"]", k, v)
			}
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
	set.PrimaryZones = zones(errf, "primaryZones", s.GCP.PrimaryRegion, set.PrimaryZones)
	if s.GCP.SecondaryRegion != "" {
		set.SecondaryZones = zones(errf, "secondaryZones", s.GCP.SecondaryRegion, set.SecondaryZones)
	} else if len(set.SecondaryZones) > 0 {
		errf("scalestack:gcp.secondaryZones: %v is set but scalestack:gcp.secondaryRegion is empty: remove it or set the region", set.SecondaryZones)
	}
	if s.Backup.RetentionDays > 365 {
		errf("scalestack:backup.retentionDays: %d is not allowed on gcp: Cloud SQL keeps at most 365 daily backups; want 1-365", s.Backup.RetentionDays)
	}

	// Common keys with no meaning on Google Cloud.
	if s.Web.MinSize < 1 {
		errf("scalestack:web.minSize: %d is not allowed on gcp: a managed instance group behind the load balancer needs at least 1 instance", s.Web.MinSize)
	}
	if s.Explicit("web.desiredSize") && s.Web.DesiredSize != s.Web.MinSize {
		errf("scalestack:web.desiredSize: %d has no meaning on gcp: the autoscaler sizes the group between minSize and maxSize; remove it", s.Web.DesiredSize)
	}
	if s.Explicit("backup.weeklyRetentionDays") && s.Backup.WeeklyRetentionDays > 0 {
		errf("scalestack:backup.weeklyRetentionDays: %d has no meaning on gcp: Cloud SQL keeps daily backups only (backup.retentionDays); set it to 0 or remove it", s.Backup.WeeklyRetentionDays)
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

// zones defaults and validates one region's web tier zones: two or more distinct zones of
// region. A regional managed instance group's fixed maxSurge must be 0 or at least its number
// of zones (pulumi-gcp RegionInstanceGroupManagerUpdatePolicy), so the zones are pinned.
func zones(errf func(string, ...any), key, region string, given []string) []string {
	if len(given) == 0 {
		given = webtier.DefaultZones(region)
		if given == nil {
			errf("scalestack:gcp.%s: no default for region %q: list two or three of its zones (gcloud compute zones list --filter region:%s), such as [\"%s-a\", \"%s-b\", \"%s-c\"]", key, region, region, region, region, region)
			return nil
		}
	}
	seen := map[string]bool{}
	for i, z := range given {
		switch {
		case !strings.HasPrefix(z, region+"-") || len(z) != len(region)+2 || z[len(z)-1] < 'a' || z[len(z)-1] > 'z':
			errf("scalestack:gcp.%s[%d]: %q is not a zone of %s: want a name like %s-b", key, i, z, region, region)
		case seen[z]:
			errf("scalestack:gcp.%s[%d]: %q is listed twice: want distinct zones", key, i, z)
		}
		seen[z] = true
	}
	if len(given) < 2 {
		errf("scalestack:gcp.%s: %v is not allowed: want at least 2 zones of %s", key, given, region)
	}
	return given
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

// APIs are the Google Cloud services the stack enables (and never disables on destroy): DNS
// with a zone, Memorystore and Secret Manager with the cache, Pub/Sub with the queue.
func APIs(dns, cache, queue bool) []string {
	apis := []string{
		"cloudresourcemanager.googleapis.com", "compute.googleapis.com", "iam.googleapis.com",
		"logging.googleapis.com", "monitoring.googleapis.com", "servicenetworking.googleapis.com",
		"sqladmin.googleapis.com", "storage.googleapis.com",
	}
	if dns {
		apis = append(apis, "dns.googleapis.com")
	}
	if cache {
		apis = append(apis, "redis.googleapis.com", "secretmanager.googleapis.com")
	}
	if queue {
		apis = append(apis, "pubsub.googleapis.com")
	}
	sort.Strings(apis)
	return apis
}

// BackupLocation is where Cloud SQL backups go when they are copied to the
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
	for _, api := range APIs(set.DNSZone != "", s.Cache.Enabled, s.Queue.Enabled) {
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
		"dashboardUrl":                     b.DashboardURL,
	}
	if s.Cache.Enabled {
		out["cacheHost"] = b.CacheHost
		out["cachePort"] = b.CachePort
		out["cacheAuthSecret"] = b.CacheAuthSecret
	}
	if s.Queue.Enabled {
		out["queueTopic"] = b.QueueTopic
		out["queueSubscription"] = b.QueueSubscription
		out["deadLetterSubscription"] = b.DeadLetterSubscription
	}
	if s.GCP.SecondaryRegion != "" {
		out["secondaryRegion"] = pulumi.String(s.GCP.SecondaryRegion)
	}
	if len(notes) > 0 {
		out["notes"] = pulumi.ToStringArray(notes)
	}
	return out, nil
}

// SecondaryRegionTiersNote says where the cache, the queue and the workers run with two
// regions.
const SecondaryRegionTiersNote = "cache, queue and workers run in the primary region only: the secondary region's web tier reaches the cache across regions and publishes to the same (global) Pub/Sub topic; if the primary region is lost, the web tier serves from the database without the cache and messages wait in Pub/Sub (retention) until the workers return"

// Notes lists what the deployment leaves out or ignores.
func Notes(s *spec.Spec, backendNotes []string) []string {
	notes := append([]string{}, backendNotes...)
	if s.Backup.WeeklyRetentionDays > 0 {
		notes = append(notes, fmt.Sprintf("backup.weeklyRetentionDays %d (an environment default) is not used on gcp: Cloud SQL keeps daily backups only", s.Backup.WeeklyRetentionDays))
	}
	if s.Domain.Name == "" {
		notes = append(notes, "no domain: the load balancer serves plain HTTP on its address, without a certificate")
	}
	if s.GCP.SecondaryRegion != "" && (s.Cache.Enabled || s.Queue.Enabled) {
		notes = append(notes, SecondaryRegionTiersNote)
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

// DatabaseRetention maps the backup keys onto Cloud SQL, the only state on Google Cloud: the
// point-in-time recovery window (transaction-log days) is database.backupRetentionDays, at
// most what the edition keeps (7 on ENTERPRISE, 35 on ENTERPRISE_PLUS); the daily backups
// kept are the larger of backup.retentionDays and database.backupRetentionDays, and always
// more than the log days, as Cloud SQL requires.
func DatabaseRetention(s *spec.Spec, set Settings) (pitrDays, retainedBackups int) {
	pitrDays = min(s.Database.BackupRetentionDays, database.MaxPointInTimeRecoveryDays(set.DBEdition))
	retainedBackups = max(s.Backup.RetentionDays, s.Database.BackupRetentionDays, pitrDays+1)
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
		// A dev stack is disposable: its static bucket goes with `pulumi destroy` even when
		// it holds objects; staging and prod keep the provider's refusal.
		StaticAssetsForceDestroy: s.Environment == spec.Dev,
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
			PrimaryZones:                 set.PrimaryZones,
			SecondaryZones:               set.SecondaryZones,
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
		Cache: backend.Cache{
			Enabled:        s.Cache.Enabled,
			Replicas:       s.Cache.Replicas,
			MemoryGB:       s.Cache.MemoryGB,
			EvictionPolicy: s.Cache.EvictionPolicy,
		},
		Queue: backend.Queue{
			Enabled:             s.Queue.Enabled,
			MaxDeliveryAttempts: s.Queue.MaxReceiveCount,
			RetentionDays:       s.Queue.RetentionDays,
			AckDeadlineSeconds:  s.Queue.VisibilityTimeoutSeconds,
			Workers: backend.Workers{
				MinSize:          s.Queue.Workers.MinSize,
				MaxSize:          s.Queue.Workers.MaxSize,
				BacklogPerWorker: s.Queue.Workers.BacklogPerWorker,
			},
		},
		CDN:         s.CDN.Enabled,
		Backup:      backend.Backup{DailyAt: s.Backup.DailyAt, Location: location},
		Domain:      s.Domain.Name,
		ManagedZone: set.DNSZone,
		AlertEmail:  s.Alerts.Email,
	}
}
