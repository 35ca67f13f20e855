package provider

import (
	"github.com/pulumi/pulumi-gcp/sdk/v7/go/gcp"
	"github.com/pulumi/pulumi-go-provider/infer"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/scalestack/scalestack/components/gcp/backend"
	"github.com/scalestack/scalestack/components/gcp/webtier"
)

// GCPBackendArgs are the inputs of scalestack:gcp:Backend, one to one with backend.Args
// (components/gcp/backend). The primary region is the one of the gcp provider in the
// component's `providers` resource option; the secondary is placed by secondaryProvider.
type GCPBackendArgs struct {
	Project                 string            `pulumi:"project"`
	SecondaryProvider       *gcp.Provider     `pulumi:"secondaryProvider,optional" provider:"type=gcp@7.38.0:index:Provider"`
	Web                     *GCPWeb           `pulumi:"web,optional"`
	Database                *GCPDatabase      `pulumi:"database,optional"`
	CDN                     bool              `pulumi:"cdn,optional"`
	RateLimitPerMinutePerIP int               `pulumi:"rateLimitPerMinutePerIp,optional"`
	StaticAssetsLocation    string            `pulumi:"staticAssetsLocation,optional"`
	Backup                  *GCPBackup        `pulumi:"backup,optional"`
	Domain                  string            `pulumi:"domain,optional"`
	ManagedZone             string            `pulumi:"managedZone,optional"`
	AlertEmail              string            `pulumi:"alertEmail,optional"`
	Labels                  map[string]string `pulumi:"labels,optional"`
	Cache                   *GCPBackendCache  `pulumi:"cache,optional"`
	Queue                   *GCPBackendQueue  `pulumi:"queue,optional"`
}

// Annotate documents the inputs in the schema.
func (a *GCPBackendArgs) Annotate(an infer.Annotator) {
	an.Describe(&a.Project, "The project ID. Required.")
	an.Describe(&a.SecondaryProvider, "The gcp provider that places the warm-standby region. Default: none (single region).")
	an.Describe(&a.Web, "The web tier of each region.")
	an.Describe(&a.Database, "The Cloud SQL for PostgreSQL database.")
	an.Describe(&a.CDN, "Turn on Cloud CDN and a static assets bucket at /static/. Default: false.")
	an.Describe(&a.RateLimitPerMinutePerIP, "The Cloud Armor per-client rate limit. Default: 1200. Allowed: 60-1000000.")
	an.Describe(&a.StaticAssetsLocation, "The static assets bucket's location (with cdn). Default: US.")
	an.Describe(&a.Backup, "The disk snapshot schedule and backup location.")
	an.Describe(&a.Domain, "The public host name; it gets a Google-managed certificate. Default: none (plain HTTP on the anycast address).")
	an.Describe(&a.ManagedZone, "An existing Cloud DNS zone for domain. Default: none (no record).")
	an.Describe(&a.AlertEmail, "Receives alerts. Default: none (no notification channel).")
	an.Describe(&a.Labels, "Added to instances, snapshots and databases, over the provider's default labels.")
	an.Describe(&a.Cache, "Memorystore for Redis in the primary region. Default: off.")
	an.Describe(&a.Queue, "A Pub/Sub work queue and a worker tier in the primary region. Default: off.")
}

// GCPBackendCache configures the Backend's cache (backend.Cache).
type GCPBackendCache struct {
	Enabled        bool            `pulumi:"enabled,optional"`
	Replicas       int             `pulumi:"replicas,optional"`
	MemoryGB       int             `pulumi:"memoryGb,optional"`
	EvictionPolicy *EvictionPolicy `pulumi:"evictionPolicy,optional"`
}

// Annotate documents the cache type in the schema.
func (c *GCPBackendCache) Annotate(an infer.Annotator) {
	an.SetToken("gcp", "BackendCache")
	an.Describe(c, "The Memorystore for Redis cache of a scalestack:gcp:Backend: on the private services range, TLS in transit, AUTH (the same component as scalestack:gcp:Cache).")
	an.Describe(&c.Enabled, "Add the cache, its AUTH string in Secret Manager, the egress rules that let the web and worker instances (and no others) reach it, and its alerts. Default: false.")
	an.Describe(&c.Replicas, "Replicas beside the primary: 0 is a BASIC instance, 1 STANDARD_HA, 2-5 STANDARD_HA with read replicas (memoryGb 5 or more). Default: 0.")
	an.Describe(&c.MemoryGB, "The instance size in GB. Default: 1. Allowed: 1-300; at least 5 with 2 or more replicas.")
	an.Describe(&c.EvictionPolicy, "The maxmemory-policy. Default: volatile-lru.")
}

// GCPBackendQueue configures the Backend's work queue and workers (backend.Queue).
type GCPBackendQueue struct {
	Enabled             bool               `pulumi:"enabled,optional"`
	MaxDeliveryAttempts int                `pulumi:"maxDeliveryAttempts,optional"`
	RetentionDays       int                `pulumi:"retentionDays,optional"`
	AckDeadlineSeconds  int                `pulumi:"ackDeadlineSeconds,optional"`
	Workers             *GCPBackendWorkers `pulumi:"workers,optional"`
}

// Annotate documents the queue type in the schema.
func (q *GCPBackendQueue) Annotate(an infer.Annotator) {
	an.SetToken("gcp", "BackendQueue")
	an.Describe(q, "The Pub/Sub work queue of a scalestack:gcp:Backend (a topic, the workers' subscription, a dead-letter topic) and its worker tier (the same components as scalestack:gcp:Queue and scalestack:gcp:Worker).")
	an.Describe(&q.Enabled, "Add the queue, the worker tier and the web tiers' publisher grant. Default: false.")
	an.Describe(&q.MaxDeliveryAttempts, "Deliveries before a message moves to the dead-letter topic. Default: 5. Allowed: 5-100.")
	an.Describe(&q.RetentionDays, "Days an unacknowledged message is kept. Default: 4. Allowed: 1-7.")
	an.Describe(&q.AckDeadlineSeconds, "Seconds a worker has to acknowledge a message before it is redelivered. Default: 120. Allowed: 10-600.")
	an.Describe(&q.Workers, "Sizes the worker tier.")
}

// GCPBackendWorkers sizes the worker tier (backend.Workers).
type GCPBackendWorkers struct {
	MinSize          int    `pulumi:"minSize,optional"`
	MaxSize          int    `pulumi:"maxSize,optional"`
	BacklogPerWorker int    `pulumi:"backlogPerWorker,optional"`
	MachineType      string `pulumi:"machineType,optional"`
}

// Annotate documents the workers type in the schema.
func (w *GCPBackendWorkers) Annotate(an infer.Annotator) {
	an.SetToken("gcp", "BackendWorkers")
	an.Describe(w, "The worker managed instance group of a scalestack:gcp:Backend, autoscaled on the subscription's undelivered messages per instance.")
	an.Describe(&w.MinSize, "The fewest workers. Default: 1. Allowed: 1-1000.")
	an.Describe(&w.MaxSize, "The most workers. Default: max(3, minSize).")
	an.Describe(&w.BacklogPerWorker, "The undelivered messages per worker the autoscaler keeps. Default: 100. Allowed: 1-100000.")
	an.Describe(&w.MachineType, "The workers' machine type. Default: web.machineType, else e2-small.")
}

// GCPWeb configures the web tier of both regions.
type GCPWeb struct {
	MachineType                  string           `pulumi:"machineType,optional"`
	Image                        string           `pulumi:"image,optional"`
	Port                         int              `pulumi:"port,optional"`
	HealthCheckPath              string           `pulumi:"healthCheckPath,optional"`
	MinSize                      int              `pulumi:"minSize,optional"`
	MaxSize                      int              `pulumi:"maxSize,optional"`
	TargetCPUPercent             int              `pulumi:"targetCpuPercent,optional"`
	RequestsPerMinutePerInstance int              `pulumi:"requestsPerMinutePerInstance,optional"`
	Schedules                    []GCPWebSchedule `pulumi:"schedules,optional"`
	PrimaryZones                 []string         `pulumi:"primaryZones"`
	SecondaryZones               []string         `pulumi:"secondaryZones,optional"`
}

// Annotate documents the web tier type in the schema.
func (w *GCPWeb) Annotate(an infer.Annotator) {
	an.SetToken("gcp", "BackendWeb")
	an.Describe(w, "The web tier of a scalestack:gcp:Backend: a regional managed instance group per region with auto-healing and an autoscaler.")
	an.Describe(&w.MachineType, "The instances' machine type. Default: e2-small.")
	an.Describe(&w.Image, "The boot image or image family URL. Default: Debian 12.")
	an.Describe(&w.Port, "The port the instances serve HTTP on. Default: 8080.")
	an.Describe(&w.HealthCheckPath, "Probed by the load balancer, auto-healing and the uptime check. Default: /healthz.")
	an.Describe(&w.MinSize, "The fewest instances per region; the standby region runs at it. Default: 1.")
	an.Describe(&w.MaxSize, "The most instances per region. Default: max(3, minSize).")
	an.Describe(&w.TargetCPUPercent, "The CPU the autoscalers hold. Default: 60.")
	an.Describe(&w.RequestsPerMinutePerInstance, "The load balancer capacity of one instance; above 0 the load balancer balances by rate and the autoscalers hold 80% of it. Default: 0.")
	an.Describe(&w.Schedules, "Raise the primary region's minimum on a schedule. Default: none.")
	an.Describe(&w.PrimaryZones, "The primary region's zones the group is pinned to (its fixed surge equals their number). Required: 2 or more zones of the region.")
	an.Describe(&w.SecondaryZones, "The secondary region's zones. Required with secondaryProvider.")
}

// GCPWebSchedule is an autoscaling schedule (webtier.Schedule).
type GCPWebSchedule struct {
	Name            string `pulumi:"name"`
	Cron            string `pulumi:"cron"`
	MinReplicas     int    `pulumi:"minReplicas"`
	DurationMinutes int    `pulumi:"durationMinutes,optional"`
	TimeZone        string `pulumi:"timeZone,optional"`
}

// Annotate documents the schedule type in the schema.
func (s *GCPWebSchedule) Annotate(an infer.Annotator) {
	an.SetToken("gcp", "WebSchedule")
	an.Describe(s, "An autoscaling schedule: a higher minimum while it is active.")
	an.Describe(&s.Name, "Identifies the schedule. Required: lowercase letters, digits and dashes.")
	an.Describe(&s.Cron, "A five-field cron expression. Required.")
	an.Describe(&s.MinReplicas, "The minimum while the schedule is active. Allowed: 1-maxSize.")
	an.Describe(&s.DurationMinutes, "How long the schedule stays active. Default: 60. Allowed: 5-10080.")
	an.Describe(&s.TimeZone, "An IANA time zone. Default: UTC.")
}

// GCPDatabase configures Cloud SQL.
type GCPDatabase struct {
	Edition             string `pulumi:"edition,optional"`
	Tier                string `pulumi:"tier,optional"`
	DatabaseVersion     string `pulumi:"databaseVersion,optional"`
	HighAvailability    bool   `pulumi:"highAvailability,optional"`
	DeletionProtection  bool   `pulumi:"deletionProtection,optional"`
	DiskSizeGB          int    `pulumi:"diskSizeGb,optional"`
	BackupRetentionDays int    `pulumi:"backupRetentionDays,optional"`
	PITRDays            int    `pulumi:"pointInTimeRecoveryDays,optional"`
	DatabaseName        string `pulumi:"databaseName,optional"`
	ReadReplicas        int    `pulumi:"readReplicas,optional"`
	CrossRegionReplica  bool   `pulumi:"crossRegionReplica,optional"`
}

// Annotate documents the database type in the schema.
func (d *GCPDatabase) Annotate(an infer.Annotator) {
	an.SetToken("gcp", "BackendDatabase")
	an.Describe(d, "The Cloud SQL for PostgreSQL database of a scalestack:gcp:Backend: private IP, PITR, replicas.")
	an.Describe(&d.Edition, "ENTERPRISE or ENTERPRISE_PLUS. Default: ENTERPRISE.")
	an.Describe(&d.Tier, "The Cloud SQL machine tier, one of the edition's. Default: db-custom-1-3840.")
	an.Describe(&d.DatabaseVersion, "The PostgreSQL version. Default: POSTGRES_16.")
	an.Describe(&d.HighAvailability, "Make the primary regional (a standby in another zone). Default: false.")
	an.Describe(&d.DeletionProtection, "Protect the primary and the cross-region replica. Default: false.")
	an.Describe(&d.DiskSizeGB, "The initial disk size in GB. Default: 20.")
	an.Describe(&d.BackupRetentionDays, "Daily backups retained (always more than the log days). Default: 7.")
	an.Describe(&d.PITRDays, "Days of transaction logs for point-in-time recovery (at most 7 on Enterprise, 35 on Enterprise Plus). Default: the edition's default.")
	an.Describe(&d.DatabaseName, "The application database. Default: app.")
	an.Describe(&d.ReadReplicas, "Read replicas in the primary region. Default: 0.")
	an.Describe(&d.CrossRegionReplica, "Add a replica in the secondary region. Needs secondaryProvider. Default: false.")
}

// GCPBackup configures disk snapshots and where backups are stored.
type GCPBackup struct {
	DailyAt  string `pulumi:"dailyAt,optional"`
	Location string `pulumi:"location,optional"`
}

// Annotate documents the backup type in the schema.
func (b *GCPBackup) Annotate(an infer.Annotator) {
	an.SetToken("gcp", "BackendBackup")
	an.Describe(b, "The Cloud SQL backup window and location of a scalestack:gcp:Backend (its only state is Cloud SQL).")
	an.Describe(&b.DailyAt, "The UTC start of the daily database backup window. Default: 03:00.")
	an.Describe(&b.Location, "Store Cloud SQL backups in this region or multi-region (\"us\"). Default: \"\" (the multi-region nearest the instance).")
}

// GCPBackend is scalestack:gcp:Backend as served to every Pulumi language.
type GCPBackend struct {
	pulumi.ComponentResource

	URL                              pulumi.StringOutput      `pulumi:"url"`
	Address                          pulumi.StringOutput      `pulumi:"address"`
	CDNEnabled                       pulumi.BoolOutput        `pulumi:"cdnEnabled"`
	DatabaseConnectionName           pulumi.StringOutput      `pulumi:"databaseConnectionName"`
	DatabasePrivateIP                pulumi.StringOutput      `pulumi:"databasePrivateIp"`
	ReplicaNames                     pulumi.StringArrayOutput `pulumi:"replicaNames"`
	ReplicaPrivateIPs                pulumi.StringArrayOutput `pulumi:"replicaPrivateIps"`
	CrossRegionReplicaConnectionName pulumi.StringOutput      `pulumi:"crossRegionReplicaConnectionName"`
	UptimeCheckID                    pulumi.StringOutput      `pulumi:"uptimeCheckId"`
	DashboardURL                     pulumi.StringOutput      `pulumi:"dashboardUrl"`
	CacheHost                        pulumi.StringOutput      `pulumi:"cacheHost"`
	CachePort                        pulumi.IntOutput         `pulumi:"cachePort"`
	CacheAuthSecret                  pulumi.StringOutput      `pulumi:"cacheAuthSecret"`
	QueueTopic                       pulumi.StringOutput      `pulumi:"queueTopic"`
	QueueSubscription                pulumi.StringOutput      `pulumi:"queueSubscription"`
	DeadLetterSubscription           pulumi.StringOutput      `pulumi:"deadLetterSubscription"`
	Notes                            pulumi.StringArrayOutput `pulumi:"notes"`
}

// Annotate documents the component and its outputs in the schema.
func (b *GCPBackend) Annotate(an infer.Annotator) {
	an.SetToken("gcp", "Backend")
	an.Describe(b, "A whole Google Cloud region pair serving one web backend: the network, a managed instance group per "+
		"region behind one global external Application Load Balancer (Cloud CDN, Cloud Armor), Cloud SQL for PostgreSQL "+
		"with read replicas and a cross-region replica, snapshots, DNS, uptime checks, alerts and a dashboard; optionally "+
		"Memorystore for Redis and a Pub/Sub queue with a worker tier. The same component as "+
		"the Go API (components/gcp/backend).")
	an.Describe(&b.URL, "The public URL.")
	an.Describe(&b.Address, "The load balancer's anycast address.")
	an.Describe(&b.CDNEnabled, "Whether Cloud CDN is on.")
	an.Describe(&b.DatabaseConnectionName, "The primary database's \"project:region:instance\".")
	an.Describe(&b.DatabasePrivateIP, "The primary database's private IP.")
	an.Describe(&b.ReplicaNames, "The in-region read replicas.")
	an.Describe(&b.ReplicaPrivateIPs, "Their private IPs.")
	an.Describe(&b.CrossRegionReplicaConnectionName, "The cross-region replica (\"\" without one).")
	an.Describe(&b.UptimeCheckID, "The public endpoint's uptime check.")
	an.Describe(&b.DashboardURL, "Opens the on-call dashboard in the Google Cloud console.")
	an.Describe(&b.CacheHost, "The cache's private IP (\"\" without a cache).")
	an.Describe(&b.CachePort, "The cache's port (6378 with TLS; 0 without a cache).")
	an.Describe(&b.CacheAuthSecret, "The Secret Manager secret holding the cache's AUTH string (its name, not the string; \"\" without a cache).")
	an.Describe(&b.QueueTopic, "The topic producers publish to (\"\" without a queue).")
	an.Describe(&b.QueueSubscription, "The workers' subscription (\"\" without a queue).")
	an.Describe(&b.DeadLetterSubscription, "Holds the messages that failed maxDeliveryAttempts times (\"\" without a queue).")
	an.Describe(&b.Notes, "What a single-region deployment left out.")
}

// goArgs maps the package inputs onto backend.Args: the one place the two meet.
func (a *GCPBackendArgs) goArgs() *backend.Args {
	g := &backend.Args{
		Project: a.Project, SecondaryProvider: a.SecondaryProvider, CDN: a.CDN,
		RateLimitPerMinutePerIP: a.RateLimitPerMinutePerIP, StaticAssetsLocation: a.StaticAssetsLocation,
		Domain: a.Domain, ManagedZone: a.ManagedZone, AlertEmail: a.AlertEmail, Labels: a.Labels,
	}
	if w := a.Web; w != nil {
		g.Web = backend.Web{
			MachineType: w.MachineType, Image: w.Image, Port: w.Port, HealthCheckPath: w.HealthCheckPath,
			MinSize: w.MinSize, MaxSize: w.MaxSize, TargetCPUPercent: w.TargetCPUPercent,
			RequestsPerMinutePerInstance: w.RequestsPerMinutePerInstance,
			PrimaryZones:                 w.PrimaryZones, SecondaryZones: w.SecondaryZones,
		}
		for _, s := range w.Schedules {
			g.Web.Schedules = append(g.Web.Schedules, webtier.Schedule{
				Name: s.Name, Cron: s.Cron, MinReplicas: s.MinReplicas,
				DurationMinutes: s.DurationMinutes, TimeZone: s.TimeZone,
			})
		}
	}
	if d := a.Database; d != nil {
		g.Database = backend.Database{
			Edition: d.Edition, PointInTimeRecoveryDays: d.PITRDays,
			Tier: d.Tier, DatabaseVersion: d.DatabaseVersion, HighAvailability: d.HighAvailability,
			DeletionProtection: d.DeletionProtection, DiskSizeGB: d.DiskSizeGB,
			BackupRetentionDays: d.BackupRetentionDays, DatabaseName: d.DatabaseName,
			ReadReplicas: d.ReadReplicas, CrossRegionReplica: d.CrossRegionReplica,
		}
	}
	if b := a.Backup; b != nil {
		g.Backup = backend.Backup{DailyAt: b.DailyAt, Location: b.Location}
	}
	if c := a.Cache; c != nil {
		g.Cache = backend.Cache{Enabled: c.Enabled, Replicas: c.Replicas, MemoryGB: c.MemoryGB, EvictionPolicy: str(c.EvictionPolicy)}
	}
	if q := a.Queue; q != nil {
		g.Queue = backend.Queue{
			Enabled: q.Enabled, MaxDeliveryAttempts: q.MaxDeliveryAttempts,
			RetentionDays: q.RetentionDays, AckDeadlineSeconds: q.AckDeadlineSeconds,
		}
		if w := q.Workers; w != nil {
			g.Queue.Workers = backend.Workers{
				MinSize: w.MinSize, MaxSize: w.MaxSize, BacklogPerWorker: w.BacklogPerWorker, MachineType: w.MachineType,
			}
		}
	}
	return g
}

// NewGCPBackend constructs scalestack:gcp:Backend for the package: it maps args and calls
// backend.New, which validates them and registers the component and its children.
func NewGCPBackend(ctx *pulumi.Context, name string, args GCPBackendArgs, opts ...pulumi.ResourceOption) (*GCPBackend, error) {
	b, err := backend.New(ctx, name, args.goArgs(), opts...)
	if err != nil {
		return nil, err
	}
	return &GCPBackend{
		ComponentResource:                b,
		URL:                              b.URL,
		Address:                          b.Address,
		CDNEnabled:                       b.CDNEnabled,
		DatabaseConnectionName:           b.DatabaseConnectionName,
		DatabasePrivateIP:                b.DatabasePrivateIP,
		ReplicaNames:                     b.ReplicaNames,
		ReplicaPrivateIPs:                b.ReplicaPrivateIPs,
		CrossRegionReplicaConnectionName: b.CrossRegionReplicaConnectionName,
		UptimeCheckID:                    b.UptimeCheckID,
		DashboardURL:                     b.DashboardURL,
		CacheHost:                        b.CacheHost,
		CachePort:                        b.CachePort,
		CacheAuthSecret:                  b.CacheAuthSecret,
		QueueTopic:                       b.QueueTopic,
		QueueSubscription:                b.QueueSubscription,
		DeadLetterSubscription:           b.DeadLetterSubscription,
		Notes:                            pulumi.ToStringArray(b.Notes).ToStringArrayOutput(),
	}, nil
}
