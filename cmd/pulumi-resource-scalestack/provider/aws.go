package provider

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-go-provider/infer"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/scalestack/scalestack/components/aws/backend"
	"github.com/scalestack/scalestack/components/aws/webtier"
)

// AWSBackendArgs are the inputs of scalestack:aws:Backend. Every property maps one to one onto
// a field of backend.Args (components/aws/backend), so the Go validation messages name the
// same things ("Primary.Name" is primary.name here); zero values mean the Go default.
type AWSBackendArgs struct {
	Primary                        AWSRegion           `pulumi:"primary"`
	Secondary                      *AWSRegion          `pulumi:"secondary,optional"`
	Edge                           *aws.Provider       `pulumi:"edge,optional" provider:"type=aws@6.83.4:index:Provider"`
	Domain                         string              `pulumi:"domain,optional"`
	ZoneID                         pulumi.StringInput  `pulumi:"zoneId,optional"`
	AvailabilityZoneCount          int                 `pulumi:"availabilityZoneCount,optional"`
	NATPerAZ                       bool                `pulumi:"natPerAz,optional"`
	LoadBalancerDeletionProtection bool                `pulumi:"loadBalancerDeletionProtection,optional"`
	CDN                            bool                `pulumi:"cdn,optional"`
	DisableWAF                     bool                `pulumi:"disableWaf,optional"`
	CDNPageCaching                 bool                `pulumi:"cdnPageCaching,optional"`
	Web                            *AWSWeb             `pulumi:"web,optional"`
	Cache                          *AWSBackendCache    `pulumi:"cache,optional"`
	Queue                          *AWSBackendQueue    `pulumi:"queue,optional"`
	DashboardName                  string              `pulumi:"dashboardName,optional"`
	Database                       *AWSBackendDatabase `pulumi:"database,optional"`
	Backup                         *AWSBackup          `pulumi:"backup,optional"`
	AlertEmail                     string              `pulumi:"alertEmail,optional"`
	Tags                           map[string]string   `pulumi:"tags,optional"`
}

// Annotate documents the inputs in the schema.
func (a *AWSBackendArgs) Annotate(an infer.Annotator) {
	an.Describe(&a.Primary, "The region that serves traffic. Required.")
	an.Describe(&a.Secondary, "The warm-standby region; absent deploys a single region (the `notes` output says what is left out).")
	an.Describe(&a.Edge, "The us-east-1 AWS provider for the CloudFront certificate and web ACL. Required when `domain` is set and `cdn` is on.")
	an.Describe(&a.Domain, "The public host name (\"app.example.com\"). Without it the load balancers are HTTP-only on their own names and there is no CDN or DNS failover (a dev-only mode the policy pack flags). Default: none.")
	an.Describe(&a.ZoneID, "An existing public Route 53 hosted zone for `domain`. Default: the component creates one (retained on delete).")
	an.Describe(&a.AvailabilityZoneCount, "How many zones each region's network spans. Default: 2. Allowed: 2-3.")
	an.Describe(&a.NATPerAZ, "Run a NAT gateway per zone (prod) instead of one per region. Default: false.")
	an.Describe(&a.LoadBalancerDeletionProtection, "Protect the load balancers from deletion. Default: false.")
	an.Describe(&a.CDN, "Put CloudFront in front (needs `domain`). Default: false.")
	an.Describe(&a.DisableWAF, "Leave CloudFront without a WAF web ACL. Default: false (a web ACL with AWS managed rule groups and a per-IP rate limit guards CloudFront).")
	an.Describe(&a.CDNPageCaching, "Let CloudFront cache the anonymous GET and HEAD responses of the default behaviour as the origin's Cache-Control allows (min and default TTL 0, Authorization in the cache key, cookies out of it): the origin marks personalised pages Cache-Control: private or no-store. Default: false.")
	an.Describe(&a.Web, "Sizes the web tier of both regions.")
	an.Describe(&a.Cache, "Adds an ElastiCache (Valkey) replication group in the primary region's data subnets, reachable only from the primary web tier and the workers. Default: absent (no cache).")
	an.Describe(&a.Queue, "Adds an SQS work queue with a dead-letter queue and a worker tier scaled on the backlog per worker, in the primary region. Default: absent (no queue, no workers).")
	an.Describe(&a.DashboardName, "Names the CloudWatch dashboard (dashboards are global to the account). Default: \"<project>-<stack>-<name>\". Allowed: 1-255 letters, digits, - and _.")
	an.Describe(&a.Database, "Sizes the RDS PostgreSQL database and its replicas.")
	an.Describe(&a.Backup, "Schedules AWS Backup; absent turns it off.")
	an.Describe(&a.AlertEmail, "Receives the alarms (an SNS email subscription per region). Default: none.")
	an.Describe(&a.Tags, "Added to every child that takes tags (the providers' default tags apply too).")
}

// AWSRegion places one half of the region pair.
type AWSRegion struct {
	Provider          *aws.Provider `pulumi:"provider,optional" provider:"type=aws@6.83.4:index:Provider"`
	Name              string        `pulumi:"name"`
	AvailabilityZones []string      `pulumi:"availabilityZones,optional"`
	CIDRBlock         string        `pulumi:"cidrBlock,optional"`
}

// Annotate documents the region type in the schema.
func (r *AWSRegion) Annotate(an infer.Annotator) {
	an.SetToken("aws", "BackendRegion")
	an.Describe(r, "One region of a scalestack:aws:Backend, placed by an explicit AWS provider.")
	an.Describe(&r.Provider, "The explicit AWS provider of the region. Required for the secondary region; for the primary it defaults to the `aws` provider given in the component's `providers` resource option.")
	an.Describe(&r.Name, "The provider's region (\"us-east-1\"). Required: the component needs it for zone names and log delivery, and never looks it up.")
	an.Describe(&r.AvailabilityZones, "The zones to use. Default: the first `availabilityZoneCount` of name+\"a\", name+\"b\", name+\"c\".")
	an.Describe(&r.CIDRBlock, "The VPC range. Default: 10.0.0.0/16 (primary), 10.1.0.0/16 (secondary).")
}

// AWSWeb sizes the web tier.
type AWSWeb struct {
	ImageID               string           `pulumi:"imageId,optional"`
	InstanceType          string           `pulumi:"instanceType,optional"`
	MinSize               int              `pulumi:"minSize,optional"`
	MaxSize               int              `pulumi:"maxSize,optional"`
	DesiredSize           int              `pulumi:"desiredSize,optional"`
	Port                  int              `pulumi:"port,optional"`
	HealthCheckPath       string           `pulumi:"healthCheckPath,optional"`
	TargetCPUPercent      int              `pulumi:"targetCpuPercent,optional"`
	RequestsPerInstance   int              `pulumi:"requestsPerInstance,optional"`
	DisableRequestScaling bool             `pulumi:"disableRequestScaling,optional"`
	Schedules             []AWSWebSchedule `pulumi:"schedules,optional"`
}

// Annotate documents the web tier type in the schema.
func (w *AWSWeb) Annotate(an infer.Annotator) {
	an.SetToken("aws", "BackendWeb")
	an.Describe(w, "The web tier of a scalestack:aws:Backend: an Auto Scaling group per region behind an ALB.")
	an.Describe(&w.ImageID, "The AMI or a \"resolve:ssm:\" parameter. Default: Amazon Linux 2023.")
	an.Describe(&w.InstanceType, "The instance type. Default: t3.small.")
	an.Describe(&w.MinSize, "The fewest instances; the secondary (warm standby) runs at it. Default: 2 (with maxSize 6 when both are unset).")
	an.Describe(&w.MaxSize, "The most instances per region. Default: 6.")
	an.Describe(&w.DesiredSize, "The primary group's starting capacity. Default: minSize.")
	an.Describe(&w.Port, "The port the instances serve HTTP on. Default: 8080.")
	an.Describe(&w.HealthCheckPath, "Probed by the target groups and the Route 53 health checks. Default: /healthz.")
	an.Describe(&w.TargetCPUPercent, "The CPU target-tracking target. Default: 55.")
	an.Describe(&w.RequestsPerInstance, "The ALB request-count target per instance. Default: 1000.")
	an.Describe(&w.DisableRequestScaling, "Turn request-count scaling off. Default: false.")
	an.Describe(&w.Schedules, "Scheduled capacity changes, applied in the primary region. Default: none.")
}

// AWSWebSchedule is a scheduled capacity change (webtier.Schedule).
type AWSWebSchedule struct {
	Name            string `pulumi:"name"`
	Recurrence      string `pulumi:"recurrence"`
	TimeZone        string `pulumi:"timeZone,optional"`
	MinSize         int    `pulumi:"minSize"`
	MaxSize         int    `pulumi:"maxSize"`
	DesiredCapacity int    `pulumi:"desiredCapacity"`
}

// Annotate documents the schedule type in the schema.
func (s *AWSWebSchedule) Annotate(an infer.Annotator) {
	an.SetToken("aws", "WebSchedule")
	an.Describe(s, "A scheduled capacity change of an Auto Scaling group.")
	an.Describe(&s.Name, "Identifies the action; part of its logical name. Required: lowercase letters, digits and dashes.")
	an.Describe(&s.Recurrence, "A five-field cron expression (\"0 8 * * MON-FRI\"). Required.")
	an.Describe(&s.TimeZone, "The IANA zone of recurrence (\"Europe/Paris\"). Default: UTC.")
	an.Describe(&s.MinSize, "The minimum from the scheduled time. Allowed: 0 <= minSize <= desiredCapacity <= maxSize.")
	an.Describe(&s.MaxSize, "The maximum from the scheduled time.")
	an.Describe(&s.DesiredCapacity, "The capacity at the scheduled time.")
}

// AWSBackendDatabase sizes the Backend's database.
type AWSBackendDatabase struct {
	InstanceClass       string `pulumi:"instanceClass,optional"`
	StorageGB           int    `pulumi:"storageGb,optional"`
	Name                string `pulumi:"name,optional"`
	ReadReplicas        int    `pulumi:"readReplicas,optional"`
	CrossRegionReplica  bool   `pulumi:"crossRegionReplica,optional"`
	BackupRetentionDays int    `pulumi:"backupRetentionDays,optional"`
	HighAvailability    bool   `pulumi:"highAvailability,optional"`
	DeletionProtection  bool   `pulumi:"deletionProtection,optional"`
}

// Annotate documents the database type in the schema.
func (d *AWSBackendDatabase) Annotate(an infer.Annotator) {
	an.SetToken("aws", "BackendDatabase")
	an.Describe(d, "The RDS PostgreSQL database of a scalestack:aws:Backend: encrypted, private, with a managed master password.")
	an.Describe(&d.InstanceClass, "The class of the primary and replicas. Default: db.t4g.medium.")
	an.Describe(&d.StorageGB, "Storage allocated to the primary, in GB. Default: 20.")
	an.Describe(&d.Name, "The application database. Default: app.")
	an.Describe(&d.ReadReplicas, "Read replicas in the primary region. Default: 0. Allowed: 0-5.")
	an.Describe(&d.CrossRegionReplica, "Add a replica in the secondary region. Needs `secondary`. Default: false.")
	an.Describe(&d.BackupRetentionDays, "Days of automated backups. Default: 7. Allowed: 1-35.")
	an.Describe(&d.HighAvailability, "Run a Multi-AZ standby. Default: false.")
	an.Describe(&d.DeletionProtection, "Refuse deletes and take a final snapshot. Default: false.")
}

// AWSBackendCache sizes the Backend's cache (backend.Cache).
type AWSBackendCache struct {
	Replicas       int             `pulumi:"replicas,optional"`
	MemoryGB       float64         `pulumi:"memoryGb,optional"`
	EvictionPolicy *EvictionPolicy `pulumi:"evictionPolicy,optional"`
}

// Annotate documents the cache type in the schema.
func (c *AWSBackendCache) Annotate(an infer.Annotator) {
	an.SetToken("aws", "BackendCache")
	an.Describe(c, "The ElastiCache tier of a scalestack:aws:Backend: TLS in transit, KMS at rest, an AUTH token in Secrets Manager, daily snapshots (the same component as scalestack:aws:Cache).")
	an.Describe(&c.Replicas, "Read replicas beside the primary node; with one or more the cache is Multi-AZ with automatic failover. Default: 0 (a single node). Allowed: 0-5.")
	an.Describe(&c.MemoryGB, "The memory wanted, in GB: the smallest current-generation node type with at least this much is used. Default: 1 (cache.t4g.small).")
	an.Describe(&c.EvictionPolicy, "The maxmemory-policy. Default: volatile-lru.")
}

// AWSBackendQueue sizes the Backend's queue and workers (backend.Queue).
type AWSBackendQueue struct {
	MaxReceiveCount          int                `pulumi:"maxReceiveCount,optional"`
	RetentionDays            int                `pulumi:"retentionDays,optional"`
	VisibilityTimeoutSeconds int                `pulumi:"visibilityTimeoutSeconds,optional"`
	Workers                  *AWSBackendWorkers `pulumi:"workers,optional"`
}

// Annotate documents the queue type in the schema.
func (q *AWSBackendQueue) Annotate(an infer.Annotator) {
	an.SetToken("aws", "BackendQueue")
	an.Describe(q, "The SQS work queue of a scalestack:aws:Backend (KMS-encrypted, with a dead-letter queue) and its worker tier (the same components as scalestack:aws:Queue and scalestack:aws:Worker).")
	an.Describe(&q.MaxReceiveCount, "Receives before a message moves to the dead-letter queue. Default: 5. Allowed: 1-1000.")
	an.Describe(&q.RetentionDays, "Days an unprocessed message is kept. Default: 4. Allowed: 1-13.")
	an.Describe(&q.VisibilityTimeoutSeconds, "Seconds a received message is hidden from other workers; set it above the longest processing time. Default: 120. Allowed: 0-43200.")
	an.Describe(&q.Workers, "Sizes the worker tier; its instances use the web tier's image and instance type.")
}

// AWSBackendWorkers sizes the worker tier (backend.Workers).
type AWSBackendWorkers struct {
	MinSize          int `pulumi:"minSize,optional"`
	MaxSize          int `pulumi:"maxSize,optional"`
	BacklogPerWorker int `pulumi:"backlogPerWorker,optional"`
}

// Annotate documents the workers type in the schema.
func (w *AWSBackendWorkers) Annotate(an infer.Annotator) {
	an.SetToken("aws", "BackendWorkers")
	an.Describe(w, "The worker Auto Scaling group of a scalestack:aws:Backend, scaled by target tracking on visible messages per in-service worker.")
	an.Describe(&w.MinSize, "The fewest workers. Default: 1.")
	an.Describe(&w.MaxSize, "The most workers. Default: max(3, minSize).")
	an.Describe(&w.BacklogPerWorker, "The visible messages per in-service worker the target-tracking policy keeps. Default: 100.")
}

// AWSBackup schedules AWS Backup.
type AWSBackup struct {
	DailyAt             string `pulumi:"dailyAt,optional"`
	RetentionDays       int    `pulumi:"retentionDays,optional"`
	WeeklyRetentionDays int    `pulumi:"weeklyRetentionDays,optional"`
	CopyToSecondary     bool   `pulumi:"copyToSecondary,optional"`
}

// Annotate documents the backup type in the schema.
func (b *AWSBackup) Annotate(an infer.Annotator) {
	an.SetToken("aws", "BackendBackup")
	an.Describe(b, "The AWS Backup plan of a scalestack:aws:Backend: a KMS-encrypted vault, daily and weekly rules.")
	an.Describe(&b.DailyAt, "The UTC time of the daily backup (\"03:00\"). Default: 03:00.")
	an.Describe(&b.RetentionDays, "Days to keep daily backups. Default: 35.")
	an.Describe(&b.WeeklyRetentionDays, "Days to keep the Sunday backup; 0 turns it off. Default: 0.")
	an.Describe(&b.CopyToSecondary, "Copy every backup to a vault in the secondary region. Needs `secondary`. Default: false.")
}

// AWSBackend is scalestack:aws:Backend as served to every Pulumi language: the component that
// backend.New registers, with its outputs.
type AWSBackend struct {
	pulumi.ComponentResource

	URL                        pulumi.StringOutput      `pulumi:"url"`
	CDNDomainName              pulumi.StringOutput      `pulumi:"cdnDomainName"`
	LoadBalancerDNSNames       pulumi.StringMapOutput   `pulumi:"loadBalancerDnsNames"`
	DatabaseEndpoint           pulumi.StringOutput      `pulumi:"databaseEndpoint"`
	ReadReplicaEndpoints       pulumi.StringArrayOutput `pulumi:"readReplicaEndpoints"`
	CrossRegionReplicaEndpoint pulumi.StringOutput      `pulumi:"crossRegionReplicaEndpoint"`
	DatabaseSecretARN          pulumi.StringOutput      `pulumi:"databaseSecretArn"`
	NameServers                pulumi.StringArrayOutput `pulumi:"nameServers"`
	AlertTopicARNs             pulumi.StringMapOutput   `pulumi:"alertTopicArns"`
	BackupVaultARN             pulumi.StringOutput      `pulumi:"backupVaultArn"`
	DashboardURL               pulumi.StringOutput      `pulumi:"dashboardUrl"`
	QueueURL                   pulumi.StringOutput      `pulumi:"queueUrl"`
	CacheEndpoint              pulumi.StringOutput      `pulumi:"cacheEndpoint"`
	CDNDistributionID          pulumi.StringOutput      `pulumi:"cdnDistributionId"`
	Notes                      pulumi.StringArrayOutput `pulumi:"notes"`
}

// Annotate documents the component and its outputs in the schema.
func (b *AWSBackend) Annotate(an infer.Annotator) {
	an.SetToken("aws", "Backend")
	an.Describe(b, "A whole AWS region pair serving one web backend: per region a VPC, an ALB and an autoscaled web tier; "+
		"RDS PostgreSQL with read replicas and a cross-region replica; CloudFront with a WAF web ACL; Route 53 failover; "+
		"AWS Backup; CloudWatch alarms and a dashboard; optionally an ElastiCache cache and an SQS queue with a worker tier. The same component as the Go API (components/aws/backend).")
	an.Describe(&b.URL, "The public URL: https://<domain>, or the primary load balancer's http:// name without a domain.")
	an.Describe(&b.CDNDomainName, "CloudFront's own name (\"\" without a CDN).")
	an.Describe(&b.LoadBalancerDNSNames, "The load balancers' names, keyed \"primary\" and \"secondary\".")
	an.Describe(&b.DatabaseEndpoint, "The primary database's host:port.")
	an.Describe(&b.ReadReplicaEndpoints, "The in-region replicas' host:port.")
	an.Describe(&b.CrossRegionReplicaEndpoint, "The secondary region's replica (\"\" without one).")
	an.Describe(&b.DatabaseSecretARN, "The Secrets Manager secret holding the managed master password.")
	an.Describe(&b.NameServers, "The hosted zone's name servers, to delegate the domain to (empty without a created zone).")
	an.Describe(&b.AlertTopicARNs, "The SNS topics the alarms notify, keyed by role.")
	an.Describe(&b.BackupVaultARN, "The primary backup vault (\"\" without backups).")
	an.Describe(&b.DashboardURL, "Opens the CloudWatch dashboard with the on-call numbers in the console.")
	an.Describe(&b.QueueURL, "The work queue's URL (\"\" without a queue).")
	an.Describe(&b.CacheEndpoint, "The cache's primary endpoint, TLS on port 6379 (\"\" without a cache).")
	an.Describe(&b.CDNDistributionID, "The CloudFront distribution's id, for invalidations on deploy (\"\" without a CDN).")
	an.Describe(&b.Notes, "What was left out and why (single region, no domain, ...).")
}

// goArgs maps the package inputs onto backend.Args: the one place the two meet. primary is
// the aws provider of the component's providers option, used when primary.provider is unset.
func (a *AWSBackendArgs) goArgs(primary pulumi.ProviderResource) *backend.Args {
	g := &backend.Args{
		Primary:                        a.Primary.goRegion(primary),
		Domain:                         a.Domain,
		ZoneID:                         a.ZoneID,
		AvailabilityZoneCount:          a.AvailabilityZoneCount,
		NATPerAZ:                       a.NATPerAZ,
		LoadBalancerDeletionProtection: a.LoadBalancerDeletionProtection,
		CDN:                            a.CDN,
		DisableWAF:                     a.DisableWAF,
		CDNPageCaching:                 a.CDNPageCaching,
		DashboardName:                  a.DashboardName,
		AlertEmail:                     a.AlertEmail,
		Tags:                           a.Tags,
	}
	if a.Edge != nil {
		g.Edge = a.Edge
	}
	if a.Secondary != nil {
		s := a.Secondary.goRegion(nil)
		g.Secondary = &s
	}
	if w := a.Web; w != nil {
		g.Web = backend.Web{
			ImageID: w.ImageID, InstanceType: w.InstanceType,
			MinSize: w.MinSize, MaxSize: w.MaxSize, DesiredSize: w.DesiredSize,
			Port: w.Port, HealthCheckPath: w.HealthCheckPath, TargetCPUPercent: w.TargetCPUPercent,
			RequestsPerInstance: w.RequestsPerInstance, DisableRequestScaling: w.DisableRequestScaling,
		}
		for _, s := range w.Schedules {
			g.Web.Schedules = append(g.Web.Schedules, webtier.Schedule{
				Name: s.Name, Recurrence: s.Recurrence, TimeZone: s.TimeZone,
				MinSize: s.MinSize, MaxSize: s.MaxSize, DesiredCapacity: s.DesiredCapacity,
			})
		}
	}
	if d := a.Database; d != nil {
		g.Database = backend.Database{
			InstanceClass: d.InstanceClass, StorageGB: d.StorageGB, Name: d.Name,
			ReadReplicas: d.ReadReplicas, CrossRegionReplica: d.CrossRegionReplica,
			BackupRetentionDays: d.BackupRetentionDays, HighAvailability: d.HighAvailability,
			DeletionProtection: d.DeletionProtection,
		}
	}
	if c := a.Cache; c != nil {
		g.Cache = &backend.Cache{Replicas: c.Replicas, MemoryGB: c.MemoryGB, EvictionPolicy: str(c.EvictionPolicy)}
	}
	if q := a.Queue; q != nil {
		g.Queue = &backend.Queue{
			MaxReceiveCount: q.MaxReceiveCount, RetentionDays: q.RetentionDays,
			VisibilityTimeoutSeconds: q.VisibilityTimeoutSeconds,
		}
		if w := q.Workers; w != nil {
			g.Queue.Workers = backend.Workers{MinSize: w.MinSize, MaxSize: w.MaxSize, BacklogPerWorker: w.BacklogPerWorker}
		}
	}
	if b := a.Backup; b != nil {
		g.Backup = &backend.Backup{
			DailyAt: b.DailyAt, RetentionDays: b.RetentionDays,
			WeeklyRetentionDays: b.WeeklyRetentionDays, CopyToSecondary: b.CopyToSecondary,
		}
	}
	return g
}

func (r AWSRegion) goRegion(fallback pulumi.ProviderResource) backend.Region {
	g := backend.Region{Name: r.Name, AvailabilityZones: r.AvailabilityZones, CIDRBlock: r.CIDRBlock}
	switch {
	case r.Provider != nil:
		g.Provider = r.Provider
	case fallback != nil:
		g.Provider = fallback
	}
	return g
}

// NewAWSBackend constructs scalestack:aws:Backend for the package: it maps args and calls
// backend.New, which validates them and registers the component and its children.
func NewAWSBackend(ctx *pulumi.Context, name string, args AWSBackendArgs, opts ...pulumi.ResourceOption) (*AWSBackend, error) {
	primary, err := packageProvider(opts, "aws")
	if err != nil {
		return nil, err
	}
	b, err := backend.New(ctx, name, args.goArgs(primary), opts...)
	if err != nil {
		return nil, err
	}
	return &AWSBackend{
		ComponentResource:          b,
		URL:                        b.URL,
		CDNDomainName:              b.CDNDomainName,
		LoadBalancerDNSNames:       b.LoadBalancerDNSNames,
		DatabaseEndpoint:           b.DatabaseEndpoint,
		ReadReplicaEndpoints:       b.ReadReplicaEndpoints,
		CrossRegionReplicaEndpoint: b.CrossRegionReplicaEndpoint,
		DatabaseSecretARN:          b.DatabaseSecretARN,
		NameServers:                b.NameServers,
		AlertTopicARNs:             b.AlertTopicARNs,
		BackupVaultARN:             b.BackupVaultARN,
		DashboardURL:               b.DashboardURL,
		QueueURL:                   b.QueueURL,
		CacheEndpoint:              b.CacheEndpoint,
		CDNDistributionID:          b.CDNDistributionID,
		Notes:                      pulumi.ToStringArray(b.Notes).ToStringArrayOutput(),
	}, nil
}

// packageProvider returns the provider for pkg among the resource options' providers
// (the `providers` option of the calling program), or nil.
func packageProvider(opts []pulumi.ResourceOption, pkg string) (pulumi.ProviderResource, error) {
	ro, err := pulumi.NewResourceOptions(opts...)
	if err != nil {
		return nil, fmt.Errorf("reading resource options: %w", err)
	}
	for _, p := range ro.Providers {
		if p.PulumiResourceType() == "pulumi:providers:"+pkg {
			return p, nil
		}
	}
	return nil, nil
}
