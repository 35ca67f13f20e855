// Package backend is the AWS pattern component: a whole region pair in one call. It composes
// the network, web tier, load balancer, database, CDN, DNS failover, backup and monitoring
// components into a backend whose primary region serves traffic and whose secondary region is
// a warm standby (web tier at its minimum, a cross-region database replica, backup copies),
// with CloudFront and Route 53 failover across both.
//
// Regions come only from the providers given in Args (Primary, Secondary, Edge). The component
// looks up two things through each region's provider, both answered offline by testkit: the
// region's availability zones (unless given) and, with the CDN, the AWS-managed prefix lists
// the load balancers admit (CloudFront's origin-facing servers, Route 53's health checkers).
//
// What the web tier needs to use its data is wired here: an egress rule from each region's
// web security group to that region's database group on 5432, an SSM parameter per region
// with the connection (DatabaseConnection; the instances find its name in
// /etc/scalestack/app.env), and an instance-role policy that reads exactly that parameter,
// the RDS-managed master secret and its KMS key.
//
// DNS layout for Domain "app.example.com" (a hosted zone the component creates unless ZoneID
// is given):
//
//	app.example.com                  → CloudFront (or the failover name when the CDN is off)
//	origin.app.example.com           → Route 53 failover: PRIMARY / SECONDARY load balancers
//	origin-primary.app.example.com   → the primary load balancer (health-checked)
//	origin-secondary.app.example.com → the secondary load balancer (health-checked)
//
// The load balancers carry a regional ACM certificate for app.example.com and *.app.example.com;
// CloudFront carries one from us-east-1. Everything is HTTPS end to end.
package backend

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/scalestack/scalestack/components/aws/cache"
	"github.com/scalestack/scalestack/components/aws/waf"
	"github.com/scalestack/scalestack/components/aws/webtier"
	"github.com/scalestack/scalestack/components/aws/worker"
)

// TypeToken is the component's type; it is part of every child's URN.
const TypeToken = "scalestack:aws:Backend"

// Region places one half of the pair.
type Region struct {
	// Provider is the explicit AWS provider of the region. Required.
	Provider pulumi.ProviderResource
	// Name is the provider's region ("us-east-1"). Required: the component needs it for zone
	// names and the load balancer's log delivery policy, and must not look it up.
	Name string
	// AvailabilityZones are the zone names to use. Default: the first AvailabilityZoneCount
	// zones the region's provider reports as available without opt-in (the
	// aws.getAvailabilityZones invoke, state "available", opt-in-status
	// "opt-in-not-required"): zone letters differ per region and account (ap-northeast-1 has
	// no "b", ca-central-1 no "c"), so they are never guessed.
	AvailabilityZones []string
	// CIDRBlock is the VPC range. Default: 10.0.0.0/16 (primary), 10.1.0.0/16 (secondary), so
	// the two can be peered later.
	CIDRBlock string
}

// Web sizes the web tier.
type Web struct {
	// ImageID is the AMI or a "resolve:ssm:" parameter. Default: Amazon Linux 2023 (webtier's default).
	ImageID string
	// InstanceType of the instances. Default: t3.small.
	InstanceType string
	// MinSize, MaxSize, DesiredSize bound the primary group; the secondary (warm standby)
	// runs at MinSize and may grow to MaxSize. Default: 2, 6, MinSize.
	MinSize, MaxSize, DesiredSize int
	// Port the instances serve HTTP on. Default: 8080.
	Port int
	// HealthCheckPath is probed by the target groups and the Route 53 health checks. Default: /healthz.
	HealthCheckPath string
	// TargetCPUPercent is the CPU target-tracking target. Default: 55.
	TargetCPUPercent int
	// RequestsPerInstance is the ALB request-count target per instance; 0 turns it off.
	// Default: 1000 (set DisableRequestScaling to turn it off explicitly).
	RequestsPerInstance   int
	DisableRequestScaling bool
	// Schedules are scheduled capacity changes, applied in the primary region.
	Schedules []webtier.Schedule
}

// Database sizes the database.
type Database struct {
	// InstanceClass of the primary and replicas. Default: db.t4g.medium.
	InstanceClass string
	// StorageGB allocated to the primary. Default: 20.
	StorageGB int
	// Name of the application database. Default: app.
	Name string
	// ReadReplicas in the primary region. Default: 0. Allowed: 0-5.
	ReadReplicas int
	// CrossRegionReplica adds a replica in the secondary region. Needs Secondary.
	CrossRegionReplica bool
	// BackupRetentionDays of automated backups. Default: 7. Allowed: 1-35.
	BackupRetentionDays int
	// HighAvailability runs a Multi-AZ standby.
	HighAvailability bool
	// DeletionProtection refuses deletes and takes a final snapshot.
	DeletionProtection bool
}

// Cache sizes the ElastiCache tier (components/aws/cache), placed in the primary region.
type Cache struct {
	// Replicas are read replicas beside the primary node; with one or more the cache is
	// Multi-AZ with automatic failover. Default: 0 (a single node). Allowed: 0-5.
	Replicas int
	// MemoryGB picks the smallest current-generation node type with at least this much
	// memory (cache.NodeTypeForMemoryGB). Default: 1 (cache.t4g.small).
	MemoryGB float64
	// EvictionPolicy is the maxmemory-policy. Default: "volatile-lru".
	EvictionPolicy string
}

// Queue sizes the SQS work queue and its worker tier (components/aws/queue and worker),
// placed in the primary region.
type Queue struct {
	// MaxReceiveCount is the receives before a message moves to the dead-letter queue.
	// Default: 5.
	MaxReceiveCount int
	// RetentionDays keeps an unprocessed message. Default: 4.
	RetentionDays int
	// VisibilityTimeoutSeconds hides a received message from other workers. Default: 120.
	VisibilityTimeoutSeconds int
	// Workers sizes the worker tier.
	Workers Workers
}

// Workers sizes the worker tier; its instances use the web tier's image and instance type.
type Workers struct {
	// MinSize and MaxSize bound the group. Default: 1 and 3.
	MinSize, MaxSize int
	// BacklogPerWorker is the visible messages per in-service worker the target-tracking
	// policy keeps. Default: 100.
	BacklogPerWorker int
}

// Backup schedules AWS Backup.
type Backup struct {
	// DailyAt is the UTC time of the daily backup ("03:00"). Default: 03:00.
	DailyAt string
	// RetentionDays keeps daily backups. Default: 35.
	RetentionDays int
	// WeeklyRetentionDays keeps the Sunday backup; 0 turns it off.
	WeeklyRetentionDays int
	// CopyToSecondary copies every backup to a vault in the secondary region. Needs Secondary.
	CopyToSecondary bool
}

// Args configures a Backend. Zero values mean the documented default.
type Args struct {
	// Primary serves traffic. Required.
	Primary Region
	// Secondary is the warm standby; nil deploys a single region (Notes says what is left out).
	Secondary *Region
	// Edge is the us-east-1 provider for the CloudFront certificate. Required when Domain is
	// set and CDN is on.
	Edge pulumi.ProviderResource
	// Domain is the public host name ("app.example.com"). Without it the load balancers are
	// HTTP-only on their own names and there is no CDN or DNS failover (a dev-only mode that
	// the component logs as a warning and the policy pack flags).
	Domain string
	// ZoneID is an existing public hosted zone for Domain. Default: the component creates one
	// (retained on delete, since a new zone breaks the delegation).
	ZoneID pulumi.StringInput
	// ZoneOnly creates only the hosted zone for Domain and exports its NameServers: the first
	// step of a first deploy, before the parent domain delegates to the new zone (ACM's DNS
	// validation, and so the listeners and CloudFront, would wait for it until they time
	// out). Delegate, then run again without ZoneOnly: the zone keeps its URN. Default:
	// false. Requires Domain and no ZoneID.
	ZoneOnly bool
	// AvailabilityZoneCount is how many zones each region's network spans. Default: 2. Allowed: 2-3.
	AvailabilityZoneCount int
	// NATPerAZ runs a NAT gateway per zone (prod) instead of one per region. Default: false.
	NATPerAZ bool
	// LoadBalancerDeletionProtection protects the load balancers from deletion. Default: false.
	LoadBalancerDeletionProtection bool
	// CDN puts CloudFront in front (needs Domain). Default: false.
	CDN bool
	// CDNCachedPaths are path patterns of cacheable GET/HEAD content the application serves
	// ("/assets/*"): CloudFront caches them and, with a secondary region, sends them through
	// its origin group, which retries a request on the secondary region's load balancer when
	// the primary answers 500/502/503/504. CloudFront allows only GET, HEAD and OPTIONS on
	// origin-group behaviours, so every other path (the default behaviour, all methods,
	// uncached) goes to origin.<Domain>, which Route 53 fails over by health check. Default:
	// ["/assets/*"]. Allowed: see cdn.Args.CachedPathPatterns.
	CDNCachedPaths []string
	// DestroyBucketsWithContents empties the CDN's static and access-log buckets and the
	// backup vaults when they are deleted (dev stacks: `pulumi destroy` would otherwise fail on
	// the non-empty log bucket and on vaults holding recovery points). Default: false: they are
	// retained on delete with their contents. The load balancers' log buckets follow
	// LoadBalancerDeletionProtection (protected: retained; else emptied).
	DestroyBucketsWithContents bool
	// DisableWAF leaves CloudFront without a WAF web ACL. Default: false: with the CDN, a web
	// ACL in us-east-1 runs AWS managed rule groups and a per-IP rate limit (components/aws/waf).
	DisableWAF bool
	// WAF tunes the web ACL (rate limit, rule groups, count-only mode). Default: waf's defaults.
	WAF waf.Args
	// CDNPageCaching lets CloudFront cache the anonymous GET and HEAD responses of the
	// default behaviour as the origin's Cache-Control allows (cdn.Args.PageCaching: min and
	// default TTL 0, Authorization in the key, cookies out of it): the origin marks
	// personalised pages Cache-Control: private or no-store. Default: false.
	CDNPageCaching bool
	// Web sizes the web tier.
	Web Web
	// Cache adds an ElastiCache replication group in the primary region's data subnets,
	// reachable only from the primary web tier and the workers; nil leaves it out.
	Cache *Cache
	// Queue adds an SQS queue with a dead-letter queue and a worker tier scaled on the
	// backlog per worker, in the primary region; nil leaves them out.
	Queue *Queue
	// DashboardName names the CloudWatch dashboard (dashboards are global to the account).
	// Default: "<project>-<stack>-<name>". Allowed: 1-255 letters, digits, - and _.
	DashboardName string
	// Database sizes the database.
	Database Database
	// Backup schedules AWS Backup; nil turns it off.
	Backup *Backup
	// AlertEmail receives the alarms (an SNS email subscription per region). Default: none.
	AlertEmail string
	// ParameterPrefix is the SSM Parameter Store path under which the backend publishes what
	// each region's instances need to reach their database ("<prefix>/<role>/database", a
	// JSON document; the instances learn the name from SCALESTACK_DATABASE_PARAMETER in
	// /etc/scalestack/app.env) and keeps the CDN's origin header secret. Default:
	// "/<project>/<stack>/<name>". Allowed: a path of letters, digits, _ . - under /.
	ParameterPrefix string
	// Tags are added to every child that takes tags (the providers' default tags apply too).
	Tags map[string]string
}

var regionRE = regexp.MustCompile(`^[a-z]{2}(-gov)?-[a-z]+-[0-9]$`)

// withDefaults returns a copy with every zero value replaced by its default.
func (a Args) withDefaults() Args {
	if a.AvailabilityZoneCount == 0 {
		a.AvailabilityZoneCount = 2
	}
	a.Primary = a.Primary.withDefaults(a.AvailabilityZoneCount, "10.0.0.0/16")
	if a.Secondary != nil {
		s := a.Secondary.withDefaults(a.AvailabilityZoneCount, "10.1.0.0/16")
		a.Secondary = &s
	}
	w := &a.Web
	if w.MinSize == 0 && w.MaxSize == 0 {
		w.MinSize, w.MaxSize = 2, 6
	}
	if w.DesiredSize == 0 {
		w.DesiredSize = w.MinSize
	}
	if w.Port == 0 {
		w.Port = webtier.DefaultPort
	}
	if w.HealthCheckPath == "" {
		w.HealthCheckPath = webtier.DefaultHealthCheckPath
	}
	if w.RequestsPerInstance == 0 && !w.DisableRequestScaling {
		w.RequestsPerInstance = webtier.DefaultRequestsPerTarget
	}
	d := &a.Database
	if d.InstanceClass == "" {
		d.InstanceClass = "db.t4g.medium"
	}
	if d.StorageGB == 0 {
		d.StorageGB = 20
	}
	if d.Name == "" {
		d.Name = "app"
	}
	if d.BackupRetentionDays == 0 {
		d.BackupRetentionDays = 7
	}
	if a.Backup != nil {
		b := *a.Backup
		if b.DailyAt == "" {
			b.DailyAt = "03:00"
		}
		if b.RetentionDays == 0 {
			b.RetentionDays = 35
		}
		a.Backup = &b
	}
	if a.Cache != nil {
		c := *a.Cache
		if c.MemoryGB == 0 {
			c.MemoryGB = 1
		}
		if c.EvictionPolicy == "" {
			c.EvictionPolicy = cache.DefaultEvictionPolicy
		}
		a.Cache = &c
	}
	if a.Queue != nil {
		q := *a.Queue
		if q.Workers.MinSize == 0 {
			q.Workers.MinSize = worker.DefaultMinSize
		}
		if q.Workers.MaxSize == 0 {
			q.Workers.MaxSize = max(3, q.Workers.MinSize)
		}
		if q.Workers.BacklogPerWorker == 0 {
			q.Workers.BacklogPerWorker = worker.DefaultBacklogPerWorker
		}
		a.Queue = &q
	}
	a.Domain = strings.TrimSuffix(strings.ToLower(a.Domain), ".")
	if len(a.CDNCachedPaths) == 0 {
		a.CDNCachedPaths = []string{DefaultCDNCachedPath}
	}
	return a
}

func (r Region) withDefaults(_ int, cidr string) Region {
	if r.CIDRBlock == "" {
		r.CIDRBlock = cidr
	}
	return r
}

// validate checks what only the pattern knows; each child component validates its own part.
func (a Args) validate() error {
	var problems []string
	bad := func(format string, v ...any) { problems = append(problems, fmt.Sprintf(format, v...)) }
	if a.Primary.Provider == nil {
		bad("Primary.Provider is required: pass the primary region's explicit AWS provider")
	}
	if !regionRE.MatchString(a.Primary.Name) {
		bad("Primary.Name %q is not an AWS region (like us-east-1)", a.Primary.Name)
	}
	if a.Secondary != nil {
		if a.Secondary.Provider == nil {
			bad("Secondary.Provider is required when Secondary is set")
		}
		if !regionRE.MatchString(a.Secondary.Name) {
			bad("Secondary.Name %q is not an AWS region (like us-west-2)", a.Secondary.Name)
		} else if a.Secondary.Name == a.Primary.Name {
			bad("Secondary.Name %q equals Primary.Name: want another region", a.Secondary.Name)
		}
		if a.Secondary.CIDRBlock == a.Primary.CIDRBlock {
			bad("Secondary.CIDRBlock %q overlaps Primary.CIDRBlock: want distinct ranges", a.Secondary.CIDRBlock)
		}
	}
	if a.AvailabilityZoneCount < 2 || a.AvailabilityZoneCount > 3 {
		bad("AvailabilityZoneCount %d is not allowed: want 2 or 3", a.AvailabilityZoneCount)
	}
	if a.Domain != "" && !domainRE.MatchString(a.Domain) {
		bad("Domain %q is not a DNS name (like app.example.com)", a.Domain)
	}
	if a.ZoneOnly && (a.Domain == "" || a.ZoneID != nil) {
		bad("ZoneOnly needs Domain and no ZoneID: it creates the zone for Domain, which an existing ZoneID already is")
	}
	if a.CDN && a.Domain != "" && a.Edge == nil {
		bad("Edge is required with CDN and Domain: pass the us-east-1 provider (CloudFront certificates live there)")
	}
	if a.CDN && a.Domain != "" && !a.DisableWAF {
		if err := a.WAF.Validate(); err != nil {
			bad("WAF: %v", err)
		}
	}
	if a.Database.CrossRegionReplica && a.Secondary == nil {
		bad("Database.CrossRegionReplica needs Secondary: set a secondary region or turn the replica off")
	}
	if a.Backup != nil && a.Backup.CopyToSecondary && a.Secondary == nil {
		bad("Backup.CopyToSecondary needs Secondary: set a secondary region or turn the copy off")
	}
	if a.ParameterPrefix != "" && !parameterPrefixRE.MatchString(a.ParameterPrefix) {
		bad("ParameterPrefix %q is not allowed: want an SSM parameter path such as /scalestack/dev/backend", a.ParameterPrefix)
	} else if first := strings.ToLower(strings.TrimPrefix(a.ParameterPrefix, "/")); strings.HasPrefix(first, "aws") || strings.HasPrefix(first, "ssm") {
		// "Parameter names can't be prefixed with aws or ssm (case-insensitive)": SSM user guide,
		// "Requirements and constraints for parameter names".
		bad("ParameterPrefix %q is not allowed: SSM parameter names cannot begin with aws or ssm; set ParameterPrefix (the default starts with the project name)", a.ParameterPrefix)
	}
	if a.Cache != nil {
		if _, err := cache.NodeTypeForMemoryGB(a.Cache.MemoryGB); err != nil {
			bad("Cache.MemoryGB: %v", err)
		}
		if a.Cache.Replicas < 0 || a.Cache.Replicas > cache.MaxReplicas {
			bad("Cache.Replicas %d is not allowed: want 0-%d", a.Cache.Replicas, cache.MaxReplicas)
		}
	}
	if a.DashboardName != "" && !dashboardNameRE.MatchString(a.DashboardName) {
		bad("DashboardName %q is not allowed: want 1-255 letters, digits, - and _ (CloudWatch PutDashboard)", a.DashboardName)
	}
	w := a.Web
	if w.MinSize < 0 || w.MaxSize < 1 || w.MinSize > w.MaxSize || w.DesiredSize < w.MinSize || w.DesiredSize > w.MaxSize {
		bad("Web sizes min %d, desired %d, max %d are not allowed: want 0 <= min <= desired <= max, max >= 1",
			w.MinSize, w.DesiredSize, w.MaxSize)
	}
	if len(problems) > 0 {
		return fmt.Errorf("%s", strings.Join(problems, "; "))
	}
	return nil
}

// DefaultCDNCachedPath is the cacheable path CloudFront routes through its origin group.
const DefaultCDNCachedPath = "/assets/*"

var parameterPrefixRE = regexp.MustCompile(`^(/[A-Za-z0-9_.-]+){1,10}$`)

// dashboardNameRE: "The maximum length is 255, and valid characters are A-Z, a-z, 0-9, "-",
// and "_"" (CloudWatch API reference, PutDashboard).
var dashboardNameRE = regexp.MustCompile(`^[A-Za-z0-9_-]{1,255}$`)

var domainRE = regexp.MustCompile(`^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$`)
