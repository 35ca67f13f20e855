// Package spec turns the `scalestack` stack configuration into a typed, validated Spec with
// per-environment defaults applied. It is the single place where configuration is read: the
// stacks and the preview command share it, and components never read configuration at all.
//
// Every key is validated before any resource is registered; an error names the key, the value
// given and what is allowed, and all problems are reported at once.
package spec

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"reflect"
	"regexp"
	"sort"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/scalestack/scalestack/providers/awsregions"
	"github.com/scalestack/scalestack/providers/azureregions"
	"github.com/scalestack/scalestack/providers/gcpregions"
)

// Namespace is the configuration namespace of every scalestack key.
const Namespace = "scalestack"

// Cloud selects the provider the reference stack deploys to.
type Cloud string

// The clouds scalestack deploys to.
const (
	AWS   Cloud = "aws"
	Azure Cloud = "azure"
	GCP   Cloud = "gcp"
)

// Clouds lists every supported cloud, in display order.
var Clouds = []Cloud{AWS, Azure, GCP}

// Environment selects the tier whose safe defaults apply.
type Environment string

// The environments and what they default to (see README's config reference).
const (
	Dev     Environment = "dev"
	Staging Environment = "staging"
	Prod    Environment = "prod"
)

// Spec is the validated intent of one stack.
type Spec struct {
	Project     string
	Stack       string
	Cloud       Cloud
	Environment Environment
	Web         Web
	Database    Database
	CDN         CDN
	Backup      Backup
	Alerts      Alerts
	Domain      Domain
	Cache       Cache
	Queue       Queue
	AWS         AWSPlacement
	Azure       AzurePlacement
	GCP         GCPPlacement
	Policy      Policy

	explicit map[string]bool
}

// Explicit reports whether a key was set in configuration rather than defaulted, as
// "backup.weeklyRetentionDays" (without the namespace). A cloud stack uses it to reject a key
// that has no meaning on that cloud only when the user set it, so environment defaults never
// make a stack fail.
func (s *Spec) Explicit(key string) bool { return s.explicit[key] }

// Policy configures the policy pack for this stack.
type Policy struct {
	// Waivers exempt one resource from one rule, with a recorded reason.
	Waivers []Waiver `json:"waivers"`
	// Settings override rule thresholds, by rule id ({"aws-rds-backup-retention": {"minDays": 14}}).
	Settings map[string]map[string]any `json:"settings"`
}

// Waiver exempts one resource from one rule. The waiver and its reason are shown in output.
type Waiver struct {
	// Rule is the rule id ("aws-lb-hardening"). Required.
	Rule string `json:"rule"`
	// Resource is the resource's URN or logical name. Required.
	Resource string `json:"resource"`
	// Reason says why; it is recorded and shown. Required.
	Reason string `json:"reason"`
}

// Web is the autoscaled web tier.
type Web struct {
	// MinSize is the fewest instances per region. Default: 1 (dev), 2 (staging, prod).
	MinSize int `json:"minSize"`
	// MaxSize is the most instances in the primary region. Default: 3 (dev), 6 (staging), 12 (prod).
	MaxSize int `json:"maxSize"`
	// DesiredSize is the starting capacity in the primary region. Default: MinSize.
	DesiredSize int `json:"desiredSize"`
	// TargetCPUPercent is the average CPU the scaling policy holds. Default: 55. Allowed: 10-90.
	TargetCPUPercent int `json:"targetCpuPercent"`
	// RequestsPerInstance is the load balancer requests per instance per minute the request
	// policy holds. Default: 1000. 0 turns the request-based policy off.
	RequestsPerInstance int `json:"requestsPerInstance"`
	// HealthCheckPath is the HTTP path the load balancer probes. Default: /healthz.
	HealthCheckPath string `json:"healthCheckPath"`
	// Port is the port the instances serve HTTP on. Default: 8080.
	Port int `json:"port"`
	// Schedules are optional scheduled capacity changes (cron in UTC).
	Schedules []Schedule `json:"schedules"`
}

// Schedule is a recurring capacity change.
type Schedule struct {
	// Name identifies the schedule; it is part of the resource names. Required.
	Name string `json:"name"`
	// Cron is the recurrence, five fields in UTC ("0 8 * * MON-FRI"). Required.
	Cron string `json:"cron"`
	// MinSize, MaxSize and DesiredSize are the capacity the schedule sets.
	MinSize     int `json:"minSize"`
	MaxSize     int `json:"maxSize"`
	DesiredSize int `json:"desiredSize"`
}

// Database is the managed PostgreSQL (Azure: Azure SQL) database.
type Database struct {
	// ReadReplicas is the number of in-region read replicas. Default: 0 (dev), 1 (staging, prod).
	ReadReplicas int `json:"readReplicas"`
	// CrossRegionReplica adds a replica in the secondary region. Default: false (dev), true
	// (staging, prod). Ignored (with a note) when there is no secondary region.
	CrossRegionReplica bool `json:"crossRegionReplica"`
	// BackupRetentionDays keeps automated backups / point-in-time recovery. Default: 7 (dev,
	// staging), 14 (prod). Allowed: 1-35.
	BackupRetentionDays int `json:"backupRetentionDays"`
	// HighAvailability places a synchronous standby in another zone. Default: true in prod.
	HighAvailability bool `json:"highAvailability"`
	// DeletionProtection refuses deletes of the primary. Default: true in staging and prod.
	DeletionProtection bool `json:"deletionProtection"`
	// StorageGB is the allocated storage. Default: 20 (dev), 100 (staging, prod). Allowed: 20-16384.
	StorageGB int `json:"storageGb"`
	// Name is the application database's name. Default: app.
	Name string `json:"name"`
}

// CDN is the content delivery network in front of the load balancers.
type CDN struct {
	// Enabled puts a CDN in front. Default: true.
	Enabled bool `json:"enabled"`
}

// Backup is the backup schedule for the database and the instances.
type Backup struct {
	// DailyAt is the UTC time of the daily backup, "HH:MM". Default: 03:00.
	DailyAt string `json:"dailyAt"`
	// RetentionDays keeps daily backups. Default: 7 (dev), 35 (staging, prod). Allowed: 1-3650.
	RetentionDays int `json:"retentionDays"`
	// WeeklyRetentionDays keeps the weekly backup (taken Sundays). 0 turns weekly backups
	// off. Default: 0 (dev), 90 (staging, prod).
	WeeklyRetentionDays int `json:"weeklyRetentionDays"`
	// CopyToSecondary copies backups to the secondary region. Default: false (dev), true
	// (staging, prod). Needs a secondary region.
	CopyToSecondary bool `json:"copyToSecondary"`
}

// Alerts is where alarms are sent.
type Alerts struct {
	// Email receives alert notifications. Default: none (alarms still exist, on a topic or
	// action group with no subscriber).
	Email string `json:"email"`
}

// Domain is the public DNS name of the backend.
type Domain struct {
	// Name is the public host name ("app.example.com"). On AWS and Azure the stack creates a
	// DNS zone for it that you delegate to; on Google Cloud it adds a record to the existing
	// Cloud DNS zone named by scalestack:gcp.dnsZone (if any), and the managed certificate
	// covers it. Default: none: HTTP-only load balancers on their own names, which the policy
	// pack flags. A deployment (not a preview) refuses the reserved example domains
	// (example.com/.net/.org, .test, .example, .invalid, .localhost): see CheckDeployable.
	Name string `json:"name"`
	// Delegated says the parent domain already delegates Name to the stack's DNS zone. false
	// is the first step of a first deploy on AWS when the stack creates the zone: only the
	// hosted zone is created and its name servers exported (ACM DNS validation would wait for
	// a delegation that does not exist yet); delegate, set it to true (or remove it) and run
	// `pulumi up` again. Default: true. false is refused with scalestack:aws.hostedZoneId
	// (an existing zone needs no first step) and on other clouds.
	Delegated bool `json:"delegated"`
}

// AWSPlacement places the AWS stack.
type AWSPlacement struct {
	// PrimaryRegion serves traffic. Default: us-east-1.
	PrimaryRegion string `json:"primaryRegion"`
	// SecondaryRegion is the warm standby; "" means single-region. Default: us-west-2 in
	// staging and prod, "" in dev.
	SecondaryRegion string `json:"secondaryRegion"`
	// InstanceType of the web tier. Default: t3.small (dev), m6i.large (staging, prod).
	InstanceType string `json:"instanceType"`
	// DBInstanceClass of the database. Default: db.t4g.medium (dev), db.r6g.large (staging, prod).
	DBInstanceClass string `json:"dbInstanceClass"`
	// AvailabilityZones is how many AZs the network spans. Default: 2 (dev), 3 (staging, prod). Allowed: 2-3.
	AvailabilityZones int `json:"availabilityZones"`
	// ImageID is the AMI, or a "resolve:ssm:" parameter resolved at deploy time.
	// Default: resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64.
	ImageID string `json:"imageId"`
	// HostedZoneID is an existing public Route 53 hosted zone for domain.name (or a parent
	// of it) that already answers for the domain: the stack adds its records there and
	// creates no zone. Default: "" (the stack creates the zone: see domain.delegated).
	HostedZoneID string `json:"hostedZoneId"`
	// WAFBodySizeAction is what the WAF's SizeRestrictions_BODY rule (common rule set) does
	// with request bodies over 8 KB: "count" (an API backend accepts larger bodies) or
	// "block". Default: count.
	WAFBodySizeAction string `json:"wafBodySizeAction"`
}

// AzurePlacement places the Azure stack.
type AzurePlacement struct {
	PrimaryLocation   string `json:"primaryLocation"`
	SecondaryLocation string `json:"secondaryLocation"`
	VMSize            string `json:"vmSize"`
	// Settings the Azure stack adds are decoded from the raw JSON by the Azure stack (Extra).
	Extra map[string]json.RawMessage `json:"-"`
}

// GCPPlacement places the Google Cloud stack.
type GCPPlacement struct {
	Project         string `json:"project"`
	PrimaryRegion   string `json:"primaryRegion"`
	SecondaryRegion string `json:"secondaryRegion"`
	MachineType     string `json:"machineType"`
	// Settings the GCP stack adds are decoded from the raw JSON by the GCP stack (Extra).
	Extra map[string]json.RawMessage `json:"-"`
}

// MultiRegion reports whether the spec deploys a secondary region on its cloud.
func (s *Spec) MultiRegion() bool { return s.SecondaryRegion() != "" }

// PrimaryRegion is the primary region (Azure: location) on the selected cloud.
func (s *Spec) PrimaryRegion() string {
	switch s.Cloud {
	case Azure:
		return s.Azure.PrimaryLocation
	case GCP:
		return s.GCP.PrimaryRegion
	default:
		return s.AWS.PrimaryRegion
	}
}

// SecondaryRegion is the secondary region (Azure: location) on the selected cloud, or "".
func (s *Spec) SecondaryRegion() string {
	switch s.Cloud {
	case Azure:
		return s.Azure.SecondaryLocation
	case GCP:
		return s.GCP.SecondaryRegion
	default:
		return s.AWS.SecondaryRegion
	}
}

// Getter reads one configuration key ("scalestack:web"); ok is false when it is not set.
type Getter func(key string) (value string, ok bool)

// Load reads and validates the configuration of the running program.
func Load(ctx *pulumi.Context) (*Spec, error) {
	keys := configuredKeys()
	return Parse(ctx.Project(), ctx.Stack(), func(k string) (string, bool) { return ctx.GetConfig(k) }, keys)
}

// configuredKeys lists the keys the engine passed in PULUMI_CONFIG, so misspelled keys can be
// rejected. It returns nil when the variable is absent (as under mocks).
func configuredKeys() []string {
	raw := os.Getenv("PULUMI_CONFIG")
	if raw == "" {
		return nil
	}
	var m map[string]any
	if json.Unmarshal([]byte(raw), &m) != nil {
		return nil
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	return keys
}

// FromMap validates a flat configuration map, as LoadStackConfig returns it.
func FromMap(project, stack string, cfg map[string]string) (*Spec, error) {
	keys := make([]string, 0, len(cfg))
	for k := range cfg {
		keys = append(keys, k)
	}
	return Parse(project, stack, func(k string) (string, bool) { v, ok := cfg[k]; return v, ok }, keys)
}

// topKeys are the keys of the scalestack namespace, in documentation order.
var topKeys = []string{"cloud", "environment", "web", "database", "cdn", "backup", "alerts", "domain", "cache", "queue", "aws", "azure", "gcp", "policy"}

// Parse validates configuration read through get. keys, when not nil, lists every configured
// key so that unknown keys in the scalestack namespace are rejected too.
func Parse(project, stack string, get Getter, keys []string) (*Spec, error) {
	p := &parser{get: get, explicit: map[string]bool{}}
	for _, k := range keys {
		ns, name, ok := strings.Cut(k, ":")
		if !ok || ns != Namespace {
			continue
		}
		if !contains(topKeys, name) {
			p.errf("%s: unknown key (allowed: %s)", k, strings.Join(prefixed(topKeys), ", "))
		}
	}
	s := &Spec{Project: project, Stack: stack}
	s.Cloud = Cloud(p.enum("cloud", string(AWS), "aws", "azure", "gcp"))
	s.Environment = Environment(p.enum("environment", string(Dev), "dev", "staging", "prod"))

	var raw struct {
		web, database, cdn, backup, alerts, domain, aws, azure, gcp, policy map[string]json.RawMessage
	}
	raw.web = p.object("web", Web{})
	raw.database = p.object("database", Database{})
	raw.cdn = p.object("cdn", CDN{})
	raw.backup = p.object("backup", Backup{})
	raw.alerts = p.object("alerts", Alerts{})
	raw.domain = p.object("domain", Domain{})
	raw.aws = p.object("aws", AWSPlacement{})
	raw.azure = p.objectExtensible("azure", AzurePlacement{}, AzureExtraKeys)
	raw.gcp = p.objectExtensible("gcp", GCPPlacement{}, GCPExtraKeys)
	raw.policy = p.object("policy", Policy{})
	if err := p.err(); err != nil {
		return nil, err
	}

	env := s.Environment
	pick := func(dev, staging, prod int) int {
		switch env {
		case Prod:
			return prod
		case Staging:
			return staging
		}
		return dev
	}
	notDev := env != Dev

	// Web tier.
	w := &s.Web
	w.MinSize = p.int("web", raw.web, "minSize", pick(1, 2, 2), 0, 1000)
	w.MaxSize = p.int("web", raw.web, "maxSize", max(pick(3, 6, 12), w.MinSize), 1, 1000)
	w.DesiredSize = p.int("web", raw.web, "desiredSize", w.MinSize, 0, 1000)
	w.TargetCPUPercent = p.int("web", raw.web, "targetCpuPercent", 55, 10, 90)
	w.RequestsPerInstance = p.int("web", raw.web, "requestsPerInstance", 1000, 0, 1000000)
	w.HealthCheckPath = p.str("web", raw.web, "healthCheckPath", "/healthz")
	w.Port = p.int("web", raw.web, "port", 8080, 1, 65535)
	if !strings.HasPrefix(w.HealthCheckPath, "/") {
		p.errf("scalestack:web.healthCheckPath: %q must start with \"/\"", w.HealthCheckPath)
	}
	if w.MaxSize < w.MinSize {
		p.errf("scalestack:web.maxSize: %d is less than web.minSize %d: want maxSize >= minSize", w.MaxSize, w.MinSize)
	}
	if w.DesiredSize < w.MinSize || w.DesiredSize > w.MaxSize {
		p.errf("scalestack:web.desiredSize: %d is outside web.minSize..web.maxSize (%d..%d)", w.DesiredSize, w.MinSize, w.MaxSize)
	}
	if env == Prod && w.MinSize < 2 {
		p.errf("scalestack:web.minSize: %d is too few for prod: want at least 2 so one instance can fail", w.MinSize)
	}
	if v, ok := raw.web["schedules"]; ok {
		p.explicit["web.schedules"] = true
		if err := json.Unmarshal(v, &w.Schedules); err != nil {
			p.errf("scalestack:web.schedules: want a list of {name, cron, minSize, maxSize, desiredSize}: %v", err)
		}
	}
	seen := map[string]bool{}
	for i, sch := range w.Schedules {
		at := fmt.Sprintf("scalestack:web.schedules[%d]", i)
		switch {
		case !nameRE.MatchString(sch.Name):
			p.errf("%s.name: %q is not allowed: want lowercase letters, digits and dashes, starting with a letter", at, sch.Name)
		case seen[sch.Name]:
			p.errf("%s.name: %q is used twice: schedule names must be unique", at, sch.Name)
		}
		seen[sch.Name] = true
		if len(strings.Fields(sch.Cron)) != 5 {
			p.errf("%s.cron: %q is not a five-field cron expression (minute hour day month weekday)", at, sch.Cron)
		}
		if sch.MaxSize < sch.MinSize || sch.DesiredSize < sch.MinSize || sch.DesiredSize > sch.MaxSize || sch.MinSize < 0 {
			p.errf("%s: sizes min %d, desired %d, max %d: want 0 <= min <= desired <= max", at, sch.MinSize, sch.DesiredSize, sch.MaxSize)
		}
	}

	// Database.
	d := &s.Database
	d.ReadReplicas = p.int("database", raw.database, "readReplicas", pick(0, 1, 1), 0, 5)
	d.CrossRegionReplica = p.bool("database", raw.database, "crossRegionReplica", notDev)
	d.BackupRetentionDays = p.int("database", raw.database, "backupRetentionDays", pick(7, 7, 14), 1, 35)
	d.HighAvailability = p.bool("database", raw.database, "highAvailability", env == Prod)
	d.DeletionProtection = p.bool("database", raw.database, "deletionProtection", notDev)
	d.StorageGB = p.int("database", raw.database, "storageGb", pick(20, 100, 100), 20, 16384)
	d.Name = p.str("database", raw.database, "name", "app")
	if !dbNameRE.MatchString(d.Name) {
		p.errf("scalestack:database.name: %q is not allowed: want 1-63 lowercase letters, digits or underscores, starting with a letter", d.Name)
	}

	s.CDN.Enabled = p.bool("cdn", raw.cdn, "enabled", true)

	b := &s.Backup
	b.DailyAt = p.str("backup", raw.backup, "dailyAt", "03:00")
	if !hhmmRE.MatchString(b.DailyAt) {
		p.errf("scalestack:backup.dailyAt: %q is not a UTC time: want HH:MM, 00:00 to 23:59", b.DailyAt)
	}
	b.RetentionDays = p.int("backup", raw.backup, "retentionDays", pick(7, 35, 35), 1, 3650)
	b.WeeklyRetentionDays = p.int("backup", raw.backup, "weeklyRetentionDays", pick(0, 90, 90), 0, 3650)
	if b.WeeklyRetentionDays > 0 && b.WeeklyRetentionDays < 7 {
		p.errf("scalestack:backup.weeklyRetentionDays: %d keeps a weekly backup less than a week: want 0 (off) or at least 7", b.WeeklyRetentionDays)
	}
	b.CopyToSecondary = p.bool("backup", raw.backup, "copyToSecondary", notDev)

	s.Alerts.Email = p.str("alerts", raw.alerts, "email", "")
	if s.Alerts.Email != "" && !emailRE.MatchString(s.Alerts.Email) {
		p.errf("scalestack:alerts.email: %q is not an email address", s.Alerts.Email)
	}
	s.Domain.Name = strings.TrimSuffix(strings.ToLower(p.str("domain", raw.domain, "name", "")), ".")
	if s.Domain.Name != "" && !domainRE.MatchString(s.Domain.Name) {
		p.errf("scalestack:domain.name: %q is not a DNS name: want labels of letters, digits and dashes, like app.example.com", s.Domain.Name)
	}
	s.Domain.Delegated = p.bool("domain", raw.domain, "delegated", true)
	if !s.Domain.Delegated {
		switch {
		case s.Domain.Name == "":
			p.errf("scalestack:domain.delegated: false needs scalestack:domain.name: want the domain whose zone the first step creates")
		case s.Cloud != AWS:
			p.errf("scalestack:domain.delegated: false is supported on aws only (cloud %s): remove it", s.Cloud)
		}
	}

	// Placement: validated for the selected cloud; other clouds' sections may be present so
	// one stack file can be previewed on any cloud.
	a := &s.AWS
	a.PrimaryRegion = p.str("aws", raw.aws, "primaryRegion", "us-east-1")
	a.SecondaryRegion = p.strDefaultable("aws", raw.aws, "secondaryRegion", map[bool]string{true: "us-west-2", false: ""}[notDev])
	a.InstanceType = p.str("aws", raw.aws, "instanceType", map[bool]string{true: "m6i.large", false: "t3.small"}[notDev])
	a.DBInstanceClass = p.str("aws", raw.aws, "dbInstanceClass", map[bool]string{true: "db.r6g.large", false: "db.t4g.medium"}[notDev])
	a.AvailabilityZones = p.int("aws", raw.aws, "availabilityZones", pick(2, 3, 3), 2, 3)
	a.ImageID = p.str("aws", raw.aws, "imageId", "resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64")
	a.HostedZoneID = p.str("aws", raw.aws, "hostedZoneId", "")
	a.WAFBodySizeAction = p.str("aws", raw.aws, "wafBodySizeAction", "count")
	if s.Cloud == AWS {
		if a.HostedZoneID != "" {
			if !hostedZoneRE.MatchString(a.HostedZoneID) {
				p.errf("scalestack:aws.hostedZoneId: %q is not a Route 53 hosted zone ID: want Z followed by capital letters and digits, like Z0123456789ABCDEFGHIJ", a.HostedZoneID)
			}
			if s.Domain.Name == "" {
				p.errf("scalestack:aws.hostedZoneId: %q needs scalestack:domain.name: want the domain the zone answers for", a.HostedZoneID)
			}
			if !s.Domain.Delegated {
				p.errf("scalestack:domain.delegated: false is not allowed with scalestack:aws.hostedZoneId %q: an existing zone needs no first step, remove domain.delegated", a.HostedZoneID)
			}
		}
		if a.WAFBodySizeAction != "count" && a.WAFBodySizeAction != "block" {
			p.errf("scalestack:aws.wafBodySizeAction: %q is not allowed: want count or block", a.WAFBodySizeAction)
		}
		p.region("aws.primaryRegion", a.PrimaryRegion, awsregions.IsKnown, awsregions.Source, "an AWS region such as us-east-1")
		if a.SecondaryRegion != "" {
			p.region("aws.secondaryRegion", a.SecondaryRegion, awsregions.IsKnown, awsregions.Source, "an AWS region such as us-west-2, or \"\" for a single region")
			if a.SecondaryRegion == a.PrimaryRegion {
				p.errf("scalestack:aws.secondaryRegion: %q is the primary region: want another region, or \"\" for a single region", a.SecondaryRegion)
			}
		}
		if !awsInstanceRE.MatchString(a.InstanceType) {
			p.errf("scalestack:aws.instanceType: %q is not an EC2 instance type (like t3.small or m6i.large)", a.InstanceType)
		}
		if !strings.HasPrefix(a.DBInstanceClass, "db.") {
			p.errf("scalestack:aws.dbInstanceClass: %q is not an RDS instance class (like db.t4g.medium)", a.DBInstanceClass)
		}
		if !strings.HasPrefix(a.ImageID, "ami-") && !strings.HasPrefix(a.ImageID, "resolve:ssm:") {
			p.errf("scalestack:aws.imageId: %q is neither an AMI ID (ami-...) nor a resolve:ssm: parameter", a.ImageID)
		}
	}

	z := &s.Azure
	z.PrimaryLocation = p.str("azure", raw.azure, "primaryLocation", "eastus2")
	z.SecondaryLocation = p.strDefaultable("azure", raw.azure, "secondaryLocation", map[bool]string{true: "centralus", false: ""}[notDev])
	z.VMSize = p.str("azure", raw.azure, "vmSize", map[bool]string{true: "Standard_D2s_v5", false: "Standard_B2s"}[notDev])
	z.Extra = raw.azure
	if s.Cloud == Azure {
		p.region("azure.primaryLocation", z.PrimaryLocation, azureregions.IsKnown, azureregions.Source, "an Azure location such as eastus2")
		if z.SecondaryLocation != "" {
			p.region("azure.secondaryLocation", z.SecondaryLocation, azureregions.IsKnown, azureregions.Source, "an Azure location such as centralus, or \"\" for a single region")
			if z.SecondaryLocation == z.PrimaryLocation {
				p.errf("scalestack:azure.secondaryLocation: %q is the primary location: want another location, or \"\" for a single region", z.SecondaryLocation)
			}
		}
		if !strings.HasPrefix(z.VMSize, "Standard_") {
			p.errf("scalestack:azure.vmSize: %q is not an Azure VM size (like Standard_B2s)", z.VMSize)
		}
	}

	g := &s.GCP
	g.Project = p.str("gcp", raw.gcp, "project", "")
	g.PrimaryRegion = p.str("gcp", raw.gcp, "primaryRegion", "us-central1")
	g.SecondaryRegion = p.strDefaultable("gcp", raw.gcp, "secondaryRegion", map[bool]string{true: "us-east1", false: ""}[notDev])
	g.MachineType = p.str("gcp", raw.gcp, "machineType", map[bool]string{true: "n2-standard-2", false: "e2-small"}[notDev])
	g.Extra = raw.gcp
	if s.Cloud == GCP {
		if g.Project == "" {
			g.Project = "scalestack-" + stack
		}
		if !gcpProjectRE.MatchString(g.Project) {
			p.errf("scalestack:gcp.project: %q is not a project ID: want 6-30 lowercase letters, digits and dashes, starting with a letter", g.Project)
		}
		p.region("gcp.primaryRegion", g.PrimaryRegion, gcpregions.IsKnown, gcpregions.Source, "a Google Cloud region such as us-central1")
		if g.SecondaryRegion != "" {
			p.region("gcp.secondaryRegion", g.SecondaryRegion, gcpregions.IsKnown, gcpregions.Source, "a Google Cloud region such as us-east1, or \"\" for a single region")
			if g.SecondaryRegion == g.PrimaryRegion {
				p.errf("scalestack:gcp.secondaryRegion: %q is the primary region: want another region, or \"\" for a single region", g.SecondaryRegion)
			}
		}
	}

	if v, ok := raw.policy["waivers"]; ok {
		if err := json.Unmarshal(v, &s.Policy.Waivers); err != nil {
			p.errf("scalestack:policy.waivers: want a list of {rule, resource, reason}: %v", err)
		}
	}
	for i, w := range s.Policy.Waivers {
		if w.Rule == "" || w.Resource == "" || strings.TrimSpace(w.Reason) == "" {
			p.errf("scalestack:policy.waivers[%d]: rule %q, resource %q, reason %q: all three are required", i, w.Rule, w.Resource, w.Reason)
		}
	}
	if v, ok := raw.policy["settings"]; ok {
		if err := json.Unmarshal(v, &s.Policy.Settings); err != nil {
			p.errf("scalestack:policy.settings: want a map of rule id to {setting: value}: %v", err)
		}
	}

	// The cache and queue tiers (stacks/spec/tiers.go).
	p.parseTiers(s, pick)

	if s.SecondaryRegion() == "" {
		if s.Backup.CopyToSecondary && p.set("backup", raw.backup, "copyToSecondary") {
			p.errf("scalestack:backup.copyToSecondary: true needs a secondary region: set scalestack:%s or turn the copy off", secondaryKey(s.Cloud))
		}
		if s.Database.CrossRegionReplica && p.set("database", raw.database, "crossRegionReplica") {
			p.errf("scalestack:database.crossRegionReplica: true needs a secondary region: set scalestack:%s or turn the replica off", secondaryKey(s.Cloud))
		}
		s.Backup.CopyToSecondary, s.Database.CrossRegionReplica = false, false
	}
	if err := p.err(); err != nil {
		return nil, err
	}
	s.explicit = p.explicit
	return s, nil
}

func secondaryKey(c Cloud) string {
	if c == Azure {
		return "azure.secondaryLocation"
	}
	return string(c) + ".secondaryRegion"
}

// AzureExtraKeys and GCPExtraKeys are the placement keys the cloud stacks add beyond the
// common ones; the stacks register them (in an init function) so misspellings are rejected.
var (
	AzureExtraKeys = map[string]bool{}
	GCPExtraKeys   = map[string]bool{}
)

var (
	nameRE        = regexp.MustCompile(`^[a-z][a-z0-9-]{0,30}$`)
	dbNameRE      = regexp.MustCompile(`^[a-z][a-z0-9_]{0,62}$`)
	hhmmRE        = regexp.MustCompile(`^([01][0-9]|2[0-3]):[0-5][0-9]$`)
	emailRE       = regexp.MustCompile(`^[^@\s]+@[^@\s]+\.[^@\s]+$`)
	domainRE      = regexp.MustCompile(`^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$`)
	awsInstanceRE = regexp.MustCompile(`^[a-z][a-z0-9-]*\.[a-z0-9]+$`)
	gcpProjectRE  = regexp.MustCompile(`^[a-z][a-z0-9-]{4,28}[a-z0-9]$`)
	hostedZoneRE  = regexp.MustCompile(`^Z[A-Z0-9]{1,31}$`)
)

// parser collects every problem so the user sees them all at once.
type parser struct {
	get      Getter
	errs     []error
	explicit map[string]bool
}

func (p *parser) errf(format string, args ...any) {
	p.errs = append(p.errs, fmt.Errorf(format, args...))
}

func (p *parser) err() error {
	if len(p.errs) == 0 {
		return nil
	}
	msgs := make([]string, len(p.errs))
	for i, e := range p.errs {
		msgs[i] = e.Error()
	}
	return &ConfigError{Problems: msgs}
}

// ConfigError lists every problem found in the configuration.
type ConfigError struct{ Problems []string }

func (e *ConfigError) Error() string {
	if len(e.Problems) == 1 {
		return "invalid config: " + e.Problems[0]
	}
	return "invalid config:\n  " + strings.Join(e.Problems, "\n  ")
}

// IsConfigError reports whether err is (or wraps) a configuration error.
func IsConfigError(err error) bool {
	var ce *ConfigError
	return errors.As(err, &ce)
}

func (p *parser) enum(key, def string, allowed ...string) string {
	v, ok := p.get(Namespace + ":" + key)
	if !ok || v == "" {
		return def
	}
	p.explicit[key] = true
	if !contains(allowed, v) {
		p.errf("%s:%s: %q is not allowed: want one of %s", Namespace, key, v, strings.Join(allowed, ", "))
		return def
	}
	return v
}

// object reads an object key and rejects fields the target struct does not declare.
func (p *parser) object(key string, shape any) map[string]json.RawMessage {
	return p.objectExtensible(key, shape, nil)
}

func (p *parser) objectExtensible(key string, shape any, extra map[string]bool) map[string]json.RawMessage {
	v, ok := p.get(Namespace + ":" + key)
	if !ok || strings.TrimSpace(v) == "" {
		return map[string]json.RawMessage{}
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal([]byte(v), &m); err != nil {
		p.errf("%s:%s: %q is not an object: want a map such as {%s: ...}", Namespace, key, v, jsonFields(shape)[0])
		return map[string]json.RawMessage{}
	}
	allowed := jsonFields(shape)
	for k := range extra {
		allowed = append(allowed, k)
	}
	sort.Strings(allowed)
	var unknown []string
	for k := range m {
		if !contains(allowed, k) {
			unknown = append(unknown, k)
		}
	}
	sort.Strings(unknown)
	for _, k := range unknown {
		p.errf("%s:%s.%s: unknown key (allowed: %s)", Namespace, key, k, strings.Join(allowed, ", "))
	}
	return m
}

func (p *parser) set(obj string, m map[string]json.RawMessage, field string) bool {
	_, ok := m[field]
	return ok
}

func (p *parser) int(obj string, m map[string]json.RawMessage, field string, def, lo, hi int) int {
	raw, ok := m[field]
	if !ok || string(raw) == "null" {
		return def
	}
	p.explicit[obj+"."+field] = true
	var f float64
	if err := json.Unmarshal(raw, &f); err != nil {
		var s string
		if json.Unmarshal(raw, &s) == nil {
			if _, err := fmt.Sscanf(s, "%g", &f); err != nil {
				p.errf("%s:%s.%s: %q is not a number: want a whole number from %d to %d", Namespace, obj, field, s, lo, hi)
				return def
			}
		} else {
			p.errf("%s:%s.%s: %s is not a number: want a whole number from %d to %d", Namespace, obj, field, raw, lo, hi)
			return def
		}
	}
	if f != float64(int(f)) || int(f) < lo || int(f) > hi {
		p.errf("%s:%s.%s: %v is not allowed: want a whole number from %d to %d", Namespace, obj, field, f, lo, hi)
		return def
	}
	return int(f)
}

func (p *parser) bool(obj string, m map[string]json.RawMessage, field string, def bool) bool {
	raw, ok := m[field]
	if !ok || string(raw) == "null" {
		return def
	}
	p.explicit[obj+"."+field] = true
	var b bool
	if err := json.Unmarshal(raw, &b); err != nil {
		var s string
		if json.Unmarshal(raw, &s) == nil && (s == "true" || s == "false") {
			return s == "true"
		}
		p.errf("%s:%s.%s: %s is not allowed: want true or false", Namespace, obj, field, raw)
		return def
	}
	return b
}

func (p *parser) str(obj string, m map[string]json.RawMessage, field, def string) string {
	raw, ok := m[field]
	if !ok || string(raw) == "null" {
		return def
	}
	p.explicit[obj+"."+field] = true
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		p.errf("%s:%s.%s: %s is not allowed: want a string", Namespace, obj, field, raw)
		return def
	}
	if s == "" {
		return def
	}
	return s
}

// strDefaultable is str where an explicit "" is meaningful (turns the default off).
func (p *parser) strDefaultable(obj string, m map[string]json.RawMessage, field, def string) string {
	raw, ok := m[field]
	if !ok || string(raw) == "null" {
		return def
	}
	p.explicit[obj+"."+field] = true
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		p.errf("%s:%s.%s: %s is not allowed: want a string", Namespace, obj, field, raw)
		return def
	}
	return s
}

// region checks a region or location against its cloud's checked-in list (known), and names
// the list (source) when it refuses one.
func (p *parser) region(key, v string, known func(string) bool, source, want string) {
	if !known(v) {
		p.errf("%s:%s: %q is not allowed: want %s (the list: %s)", Namespace, key, v, want, source)
	}
}

func jsonFields(shape any) []string {
	t := reflect.TypeOf(shape)
	var out []string
	for i := 0; i < t.NumField(); i++ {
		tag := t.Field(i).Tag.Get("json")
		if tag == "" || tag == "-" {
			continue
		}
		out = append(out, strings.Split(tag, ",")[0])
	}
	return out
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

func prefixed(keys []string) []string {
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = Namespace + ":" + k
	}
	return out
}
