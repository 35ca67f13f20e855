package provider

import (
	"github.com/pulumi/pulumi-gcp/sdk/v7/go/gcp"
	"github.com/pulumi/pulumi-go-provider/infer"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/scalestack/scalestack/components/gcp/cache"
	"github.com/scalestack/scalestack/components/gcp/database"
	"github.com/scalestack/scalestack/components/gcp/queue"
	"github.com/scalestack/scalestack/components/gcp/worker"
)

// The Google Cloud components users take alone. Each is placed in a project and region by the
// gcp provider of its `providers` option (children inherit it); a network is the self link
// string a Network outputs.

// RedisVersion is a Memorystore for Redis version.
type RedisVersion string

// Values lists the versions gcp/cache accepts.
func (RedisVersion) Values() []infer.EnumValue[RedisVersion] {
	return []infer.EnumValue[RedisVersion]{
		{Name: "Redis6X", Value: "REDIS_6_X", Description: "Redis 6.x."},
		{Name: "Redis70", Value: "REDIS_7_0", Description: "Redis 7.0."},
		{Name: "Redis72", Value: cache.DefaultRedisVersion, Description: "Redis 7.2 (default)."},
	}
}

// Annotate names the enum in the schema.
func (k *RedisVersion) Annotate(an infer.Annotator) { an.SetToken("gcp", "RedisVersion") }

// GCPCacheArgs are the inputs of scalestack:gcp:Cache, one to one with cache.Args
// (components/gcp/cache).
type GCPCacheArgs struct {
	AuthorizedNetwork pulumi.StringInput `pulumi:"authorizedNetwork"`
	MemoryGB          int                `pulumi:"memoryGb,optional"`
	Replicas          int                `pulumi:"replicas,optional"`
	NoReplicas        bool               `pulumi:"noReplicas,optional"`
	EvictionPolicy    *EvictionPolicy    `pulumi:"evictionPolicy,optional"`
	RedisVersion      *RedisVersion      `pulumi:"redisVersion,optional"`
	Labels            map[string]string  `pulumi:"labels,optional"`
}

// Annotate documents the inputs in the schema.
func (a *GCPCacheArgs) Annotate(an infer.Annotator) {
	an.Describe(&a.AuthorizedNetwork, "The VPC self link with private services access connected (pass it through the peering connection's `network` output, so the instance waits for the peering). Required.")
	an.Describe(&a.MemoryGB, "The node size in GB. Default: 1. Allowed: 1-300; at least 5 for 2 or more replicas.")
	an.Describe(&a.Replicas, "Replicas beside the primary: 1 is STANDARD_HA (a replica in another zone), 2-5 adds read replicas. Default: 1 (set `noReplicas` for a BASIC instance).")
	an.Describe(&a.NoReplicas, "Make a BASIC instance, without failover (dev only). Default: false.")
	an.Describe(&a.EvictionPolicy, "The maxmemory-policy. Default: volatile-lru.")
	an.Describe(&a.RedisVersion, "The Redis version. Default: REDIS_7_2.")
	an.Describe(&a.Labels, "Added to the instance.")
}

// GCPCache is scalestack:gcp:Cache as served to every Pulumi language.
type GCPCache struct {
	pulumi.ComponentResource

	Host          pulumi.StringOutput      `pulumi:"host"`
	Port          pulumi.IntOutput         `pulumi:"port"`
	ReadEndpoint  pulumi.StringOutput      `pulumi:"readEndpoint"`
	AuthString    pulumi.StringOutput      `pulumi:"authString" provider:"secret"`
	ServerCACerts pulumi.StringArrayOutput `pulumi:"serverCaCerts"`
	InstanceID    pulumi.StringOutput      `pulumi:"instanceId"`
}

// Annotate documents the component and its outputs in the schema.
func (c *GCPCache) Annotate(an infer.Annotator) {
	an.SetToken("gcp", "Cache")
	an.Describe(c, "Memorystore for Redis: STANDARD_HA with read replicas, private service access, TLS in transit, AUTH. "+
		"The same component as the Go API (components/gcp/cache).")
	an.Describe(&c.Host, "The primary's private IP address.")
	an.Describe(&c.Port, "The primary's port (6378 with TLS).")
	an.Describe(&c.ReadEndpoint, "Spreads reads over the read replicas (\"\" without read replicas).")
	an.Describe(&c.AuthString, "The AUTH string, a secret: store it in Secret Manager for the web and worker service accounts.")
	an.Describe(&c.ServerCACerts, "The PEM certificates clients verify the TLS connection with.")
	an.Describe(&c.InstanceID, "The instance's id (the Cloud Monitoring label instance_id).")
}

// goArgs maps the package inputs onto cache.Args: the one place the two meet.
func (a *GCPCacheArgs) goArgs() *cache.Args {
	return &cache.Args{
		AuthorizedNetwork: a.AuthorizedNetwork, MemoryGB: a.MemoryGB, Replicas: a.Replicas,
		NoReplicas: a.NoReplicas, EvictionPolicy: str(a.EvictionPolicy), RedisVersion: str(a.RedisVersion),
		Labels: a.Labels,
	}
}

// NewGCPCache constructs scalestack:gcp:Cache for the package: it maps args and calls
// cache.New, which validates them and registers the component and its children.
func NewGCPCache(ctx *pulumi.Context, name string, args GCPCacheArgs, opts ...pulumi.ResourceOption) (*GCPCache, error) {
	c, err := cache.New(ctx, name, args.goArgs(), opts...)
	if err != nil {
		return nil, err
	}
	return &GCPCache{
		ComponentResource: c,
		Host:              c.Host, Port: c.Port, ReadEndpoint: c.ReadEndpoint, AuthString: c.AuthString,
		ServerCACerts: c.ServerCACerts, InstanceID: c.InstanceID,
	}, nil
}

// GCPQueueArgs are the inputs of scalestack:gcp:Queue, one to one with queue.Args
// (components/gcp/queue).
type GCPQueueArgs struct {
	Project                 pulumi.StringInput      `pulumi:"project,optional"`
	MaxDeliveryAttempts     int                     `pulumi:"maxDeliveryAttempts,optional"`
	RetentionDays           int                     `pulumi:"retentionDays,optional"`
	AckDeadlineSeconds      int                     `pulumi:"ackDeadlineSeconds,optional"`
	OldestMessageAgeSeconds int                     `pulumi:"oldestMessageAgeSeconds,optional"`
	NotificationChannels    pulumi.StringArrayInput `pulumi:"notificationChannels,optional"`
	Labels                  map[string]string       `pulumi:"labels,optional"`
}

// Annotate documents the inputs in the schema.
func (a *GCPQueueArgs) Annotate(an infer.Annotator) {
	an.Describe(&a.Project, "The project of the topics and subscriptions. Default: the provider's.")
	an.Describe(&a.MaxDeliveryAttempts, "Deliveries before a message moves to the dead-letter topic. Default: 5. Allowed: 5-100.")
	an.Describe(&a.RetentionDays, "Days an unacknowledged message is kept. Default: 4. Allowed: 1-7.")
	an.Describe(&a.AckDeadlineSeconds, "How long a worker has to acknowledge before redelivery. Default: 120. Allowed: 10-600.")
	an.Describe(&a.OldestMessageAgeSeconds, "The backlog alert fires when the oldest unacknowledged message is this old for 5 minutes. Default: 900. Allowed: 60 up to the retention.")
	an.Describe(&a.NotificationChannels, "Monitoring notification channels the alerts notify. Default: none (the policies exist, with no channel).")
	an.Describe(&a.Labels, "Added to the topics and subscriptions.")
}

// GCPQueue is scalestack:gcp:Queue as served to every Pulumi language.
type GCPQueue struct {
	pulumi.ComponentResource

	Topic                  pulumi.StringOutput    `pulumi:"topic"`
	Subscription           pulumi.StringOutput    `pulumi:"subscription"`
	SubscriptionName       pulumi.StringOutput    `pulumi:"subscriptionName"`
	DeadLetterTopic        pulumi.StringOutput    `pulumi:"deadLetterTopic"`
	DeadLetterSubscription pulumi.StringOutput    `pulumi:"deadLetterSubscription"`
	AlertPolicies          pulumi.StringMapOutput `pulumi:"alertPolicies"`
}

// Annotate documents the component and its outputs in the schema.
func (q *GCPQueue) Annotate(an infer.Annotator) {
	an.SetToken("gcp", "Queue")
	an.Describe(q, "A Pub/Sub topic and work subscription with a dead-letter topic, and backlog and dead-letter alerts. "+
		"The same component as the Go API (components/gcp/queue).")
	an.Describe(&q.Topic, "The work topic's id (\"projects/p/topics/t\"): producers publish here.")
	an.Describe(&q.Subscription, "The work subscription's id: workers pull from it (a Worker's `subscription`).")
	an.Describe(&q.SubscriptionName, "The subscription's short name, the monitoring label subscription_id (a Worker's `subscriptionName`).")
	an.Describe(&q.DeadLetterTopic, "The dead-letter topic's id.")
	an.Describe(&q.DeadLetterSubscription, "The subscription holding dead letters for inspection.")
	an.Describe(&q.AlertPolicies, "The alert policies' ids, keyed \"oldest-message\" and \"dlq-not-empty\".")
}

// goArgs maps the package inputs onto queue.Args: the one place the two meet.
func (a *GCPQueueArgs) goArgs() *queue.Args {
	return &queue.Args{
		Project: a.Project, MaxDeliveryAttempts: a.MaxDeliveryAttempts, RetentionDays: a.RetentionDays,
		AckDeadlineSeconds: a.AckDeadlineSeconds, OldestMessageAgeSeconds: a.OldestMessageAgeSeconds,
		NotificationChannels: a.NotificationChannels, Labels: a.Labels,
	}
}

// NewGCPQueue constructs scalestack:gcp:Queue for the package: it maps args and calls
// queue.New, which validates them and registers the component and its children.
func NewGCPQueue(ctx *pulumi.Context, name string, args GCPQueueArgs, opts ...pulumi.ResourceOption) (*GCPQueue, error) {
	q, err := queue.New(ctx, name, args.goArgs(), opts...)
	if err != nil {
		return nil, err
	}
	return &GCPQueue{
		ComponentResource: q,
		Topic:             q.Topic, Subscription: q.Subscription, SubscriptionName: q.SubscriptionName,
		DeadLetterTopic: q.DeadLetterTopic, DeadLetterSubscription: q.DeadLetterSubscription,
		AlertPolicies: q.AlertPolicies,
	}, nil
}

// GCPWorkerArgs are the inputs of scalestack:gcp:Worker, one to one with worker.Args
// (components/gcp/worker).
type GCPWorkerArgs struct {
	Project          pulumi.StringInput `pulumi:"project"`
	Network          pulumi.StringInput `pulumi:"network"`
	Subnetwork       pulumi.StringInput `pulumi:"subnetwork"`
	Subscription     pulumi.StringInput `pulumi:"subscription"`
	SubscriptionName pulumi.StringInput `pulumi:"subscriptionName"`
	MinSize          int                `pulumi:"minSize,optional"`
	MaxSize          int                `pulumi:"maxSize"`
	BacklogPerWorker int                `pulumi:"backlogPerWorker,optional"`
	MachineType      string             `pulumi:"machineType,optional"`
	Image            string             `pulumi:"image,optional"`
	DiskSizeGB       int                `pulumi:"diskSizeGb,optional"`
	HealthPort       int                `pulumi:"healthPort,optional"`
	HealthPath       string             `pulumi:"healthPath,optional"`
	StartupScript    pulumi.StringInput `pulumi:"startupScript,optional"`
	Labels           map[string]string  `pulumi:"labels,optional"`
}

// Annotate documents the inputs in the schema.
func (a *GCPWorkerArgs) Annotate(an infer.Annotator) {
	an.Describe(&a.Project, "The project the service account's log and metric roles are granted in. Required.")
	an.Describe(&a.Network, "The VPC self link the health-check firewall rule applies to. Required.")
	an.Describe(&a.Subnetwork, "The self link of the workers' subnet. Required.")
	an.Describe(&a.Subscription, "The subscription's id (a Queue's `subscription`): the service account gets roles/pubsub.subscriber on it alone. Required.")
	an.Describe(&a.SubscriptionName, "The subscription's short name, the backlog metric's label (a Queue's `subscriptionName`). Required.")
	an.Describe(&a.MinSize, "The fewest workers. Default: 1. Allowed: 1-1000.")
	an.Describe(&a.MaxSize, "The most workers. Required: at least minSize.")
	an.Describe(&a.BacklogPerWorker, "Undelivered messages per worker the autoscaler keeps. Default: 100. Allowed: 1-100000.")
	an.Describe(&a.MachineType, "The workers' machine type. Default: e2-small.")
	an.Describe(&a.Image, "The boot image or family. Default: Debian 12.")
	an.Describe(&a.DiskSizeGB, "The boot disk's size in GB. Default: 20. Allowed: 10-65536.")
	an.Describe(&a.HealthPort, "Where a worker answers 200 while healthy (auto-healing). Default: 8080.")
	an.Describe(&a.HealthPath, "The health path. Default: /healthz.")
	an.Describe(&a.StartupScript, "Runs at boot. Default: the health endpoint and the subscription's id in /etc/scalestack/worker.env; no worker process.")
	an.Describe(&a.Labels, "Added to the instances.")
}

// GCPWorker is scalestack:gcp:Worker as served to every Pulumi language.
type GCPWorker struct {
	pulumi.ComponentResource

	InstanceGroupManager pulumi.StringOutput `pulumi:"instanceGroupManager"`
	GroupManagerName     pulumi.StringOutput `pulumi:"groupManagerName"`
	ServiceAccountEmail  pulumi.StringOutput `pulumi:"serviceAccountEmail"`
	NetworkTag           pulumi.StringOutput `pulumi:"networkTag"`
}

// Annotate documents the component and its outputs in the schema.
func (w *GCPWorker) Annotate(an infer.Annotator) {
	an.SetToken("gcp", "Worker")
	an.Describe(w, "A regional managed instance group that drains a Pub/Sub subscription, autoscaled on undelivered messages per "+
		"worker, auto-healed, with its own least-privilege service account. The same component as the Go API (components/gcp/worker).")
	an.Describe(&w.InstanceGroupManager, "The regional managed instance group's self link.")
	an.Describe(&w.GroupManagerName, "Its name (for monitoring filters).")
	an.Describe(&w.ServiceAccountEmail, "The workers' identity: grant it what else they reach (the cache's secret, the database).")
	an.Describe(&w.NetworkTag, "The workers' network tag.")
}

// goArgs maps the package inputs onto worker.Args: the one place the two meet.
func (a *GCPWorkerArgs) goArgs() *worker.Args {
	return &worker.Args{
		Project: a.Project, Network: a.Network, Subnetwork: a.Subnetwork, Subscription: a.Subscription,
		SubscriptionName: a.SubscriptionName, MinSize: a.MinSize, MaxSize: a.MaxSize,
		BacklogPerWorker: a.BacklogPerWorker, MachineType: a.MachineType, Image: a.Image,
		DiskSizeGB: a.DiskSizeGB, HealthPort: a.HealthPort, HealthPath: a.HealthPath,
		StartupScript: a.StartupScript, Labels: a.Labels,
	}
}

// NewGCPWorker constructs scalestack:gcp:Worker for the package: it maps args and calls
// worker.New, which validates them and registers the component and its children.
func NewGCPWorker(ctx *pulumi.Context, name string, args GCPWorkerArgs, opts ...pulumi.ResourceOption) (*GCPWorker, error) {
	w, err := worker.New(ctx, name, args.goArgs(), opts...)
	if err != nil {
		return nil, err
	}
	return &GCPWorker{
		ComponentResource:    w,
		InstanceGroupManager: w.InstanceGroupManager, GroupManagerName: w.GroupManagerName,
		ServiceAccountEmail: w.ServiceAccountEmail, NetworkTag: w.NetworkTag,
	}, nil
}

// SQLEdition is the Cloud SQL edition.
type SQLEdition string

// Values lists database.Enterprise and database.EnterprisePlus.
func (SQLEdition) Values() []infer.EnumValue[SQLEdition] {
	return []infer.EnumValue[SQLEdition]{
		{Name: "Enterprise", Value: database.Enterprise, Description: "Cloud SQL Enterprise (default)."},
		{Name: "EnterprisePlus", Value: database.EnterprisePlus, Description: "Cloud SQL Enterprise Plus (performance-optimized tiers, 35 days of point-in-time recovery)."},
	}
}

// Annotate names the enum in the schema.
func (k *SQLEdition) Annotate(an infer.Annotator) { an.SetToken("gcp", "SqlEdition") }

// GCPDatabaseArgs are the inputs of scalestack:gcp:Database, one to one with database.Args
// (components/gcp/database). The primary's region is the gcp provider of the `providers`
// option; a cross-region replica's is crossRegionProvider.
type GCPDatabaseArgs struct {
	PrivateNetwork          pulumi.StringInput `pulumi:"privateNetwork"`
	Edition                 *SQLEdition        `pulumi:"edition,optional"`
	Tier                    string             `pulumi:"tier,optional"`
	DatabaseVersion         string             `pulumi:"databaseVersion,optional"`
	HighAvailability        bool               `pulumi:"highAvailability,optional"`
	DeletionProtection      bool               `pulumi:"deletionProtection,optional"`
	DiskSizeGB              int                `pulumi:"diskSizeGb,optional"`
	BackupRetentionDays     int                `pulumi:"backupRetentionDays,optional"`
	PointInTimeRecoveryDays int                `pulumi:"pointInTimeRecoveryDays,optional"`
	BackupStartTime         string             `pulumi:"backupStartTime,optional"`
	BackupLocation          string             `pulumi:"backupLocation,optional"`
	DatabaseName            string             `pulumi:"databaseName,optional"`
	ReadReplicas            int                `pulumi:"readReplicas,optional"`
	CrossRegionProvider     *gcp.Provider      `pulumi:"crossRegionProvider,optional" provider:"type=gcp@7.38.0:index:Provider"`
	Labels                  map[string]string  `pulumi:"labels,optional"`
}

// Annotate documents the inputs in the schema.
func (a *GCPDatabaseArgs) Annotate(an infer.Annotator) {
	an.Describe(&a.PrivateNetwork, "The VPC self link with private services access connected. Required.")
	an.Describe(&a.Edition, "The Cloud SQL edition. Default: ENTERPRISE.")
	an.Describe(&a.Tier, "The machine tier, which must belong to the edition. Default: db-custom-1-3840 (ENTERPRISE), db-perf-optimized-N-2 (ENTERPRISE_PLUS).")
	an.Describe(&a.DatabaseVersion, "The PostgreSQL version. Default: POSTGRES_16. Allowed: POSTGRES_*.")
	an.Describe(&a.HighAvailability, "Keep a synchronous standby in another zone (REGIONAL). Default: false.")
	an.Describe(&a.DeletionProtection, "Refuse deletes of the primary and the cross-region replica, in Cloud SQL and in Pulumi. Default: false.")
	an.Describe(&a.DiskSizeGB, "The initial disk size in GB; it grows automatically. Default: 20. Allowed: 10-65536.")
	an.Describe(&a.BackupRetentionDays, "Automated daily backups kept. Default: 7. Allowed: 2-365, more than pointInTimeRecoveryDays.")
	an.Describe(&a.PointInTimeRecoveryDays, "Days of transaction logs for point-in-time recovery. Default: backupRetentionDays - 1, at most 7 (ENTERPRISE) or 35 (ENTERPRISE_PLUS).")
	an.Describe(&a.BackupStartTime, "The UTC start of the daily backup window, \"HH:MM\". Default: 03:00.")
	an.Describe(&a.BackupLocation, "Where backups are stored, such as the multi-region \"us\". Default: Cloud SQL's (the multi-region nearest the instance).")
	an.Describe(&a.DatabaseName, "The application database. Default: app.")
	an.Describe(&a.ReadReplicas, "Read replicas in the primary's region, named <name>-replica-<n>. Default: 0. Allowed: 0-5.")
	an.Describe(&a.CrossRegionProvider, "The gcp provider of another region: a cross-region read replica <name>-replica-dr is placed there. Default: none.")
	an.Describe(&a.Labels, "Added to every instance.")
}

// GCPSQLDatabase is scalestack:gcp:Database as served to every Pulumi language.
type GCPSQLDatabase struct {
	pulumi.ComponentResource

	InstanceName                     pulumi.StringOutput      `pulumi:"instanceName"`
	ConnectionName                   pulumi.StringOutput      `pulumi:"connectionName"`
	PrivateIP                        pulumi.StringOutput      `pulumi:"privateIp"`
	DatabaseName                     pulumi.StringOutput      `pulumi:"databaseName"`
	ReplicaNames                     pulumi.StringArrayOutput `pulumi:"replicaNames"`
	ReplicaPrivateIPs                pulumi.StringArrayOutput `pulumi:"replicaPrivateIps"`
	CrossRegionReplicaName           pulumi.StringOutput      `pulumi:"crossRegionReplicaName"`
	CrossRegionReplicaConnectionName pulumi.StringOutput      `pulumi:"crossRegionReplicaConnectionName"`
	CrossRegionReplicaPrivateIP      pulumi.StringOutput      `pulumi:"crossRegionReplicaPrivateIp"`
}

// Annotate documents the component and its outputs in the schema.
func (d *GCPSQLDatabase) Annotate(an infer.Annotator) {
	an.SetToken("gcp", "Database")
	an.Describe(d, "Cloud SQL for PostgreSQL: private IP only, TLS required, IAM authentication, backups with point-in-time recovery, "+
		"read replicas and an optional cross-region replica. The same component as the Go API (components/gcp/database).")
	an.Describe(&d.InstanceName, "The primary instance's name.")
	an.Describe(&d.ConnectionName, "The primary's \"project:region:instance\" (Cloud SQL connectors).")
	an.Describe(&d.PrivateIP, "The primary's private IP address.")
	an.Describe(&d.DatabaseName, "The application database's name.")
	an.Describe(&d.ReplicaNames, "The in-region read replicas' instance names, in order.")
	an.Describe(&d.ReplicaPrivateIPs, "The in-region read replicas' private IPs, in order.")
	an.Describe(&d.CrossRegionReplicaName, "The cross-region replica's name (\"\" without one).")
	an.Describe(&d.CrossRegionReplicaConnectionName, "Its connection name (\"\" without one).")
	an.Describe(&d.CrossRegionReplicaPrivateIP, "Its private IP (\"\" without one).")
}

// goArgs maps the package inputs onto database.Args: the one place the two meet.
func (a *GCPDatabaseArgs) goArgs() *database.Args {
	return &database.Args{
		PrivateNetwork: a.PrivateNetwork, Edition: str(a.Edition), Tier: a.Tier,
		DatabaseVersion: a.DatabaseVersion, HighAvailability: a.HighAvailability,
		DeletionProtection: a.DeletionProtection, DiskSizeGB: a.DiskSizeGB,
		BackupRetentionDays: a.BackupRetentionDays, PointInTimeRecoveryDays: a.PointInTimeRecoveryDays,
		BackupStartTime: a.BackupStartTime, BackupLocation: a.BackupLocation, DatabaseName: a.DatabaseName,
		ReadReplicas: a.ReadReplicas, CrossRegionProvider: a.CrossRegionProvider, Labels: a.Labels,
	}
}

// NewGCPDatabase constructs scalestack:gcp:Database for the package: it maps args and calls
// database.New, which validates them and registers the component and its children.
func NewGCPDatabase(ctx *pulumi.Context, name string, args GCPDatabaseArgs, opts ...pulumi.ResourceOption) (*GCPSQLDatabase, error) {
	d, err := database.New(ctx, name, args.goArgs(), opts...)
	if err != nil {
		return nil, err
	}
	return &GCPSQLDatabase{
		ComponentResource: d,
		InstanceName:      d.InstanceName, ConnectionName: d.ConnectionName, PrivateIP: d.PrivateIP,
		DatabaseName: d.DatabaseName, ReplicaNames: d.ReplicaNames, ReplicaPrivateIPs: d.ReplicaPrivateIPs,
		CrossRegionReplicaName:           d.CrossRegionReplicaName,
		CrossRegionReplicaConnectionName: d.CrossRegionReplicaConnectionName,
		CrossRegionReplicaPrivateIP:      d.CrossRegionReplicaPrivateIP,
	}, nil
}
