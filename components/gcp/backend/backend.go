// Package backend is the scalestack pattern component for Google Cloud: a whole scalable web
// backend over a region pair in one call. It composes the resource components of
// components/gcp: the network (both regions), a web tier per region, one global external
// Application Load Balancer with both regions' groups behind one anycast address (with
// Cloud CDN), Cloud SQL for PostgreSQL with read replicas and a cross-region replica, an IAM
// database user per web tier, the DNS record and uptime check, alerting and the on-call
// dashboard; and, when turned on, a Memorystore cache (its AUTH string in Secret Manager) and a
// Pub/Sub work queue with a worker tier, both in the primary region (tiers.go).
//
// Both regions serve (active-active): the global load balancer sends each user to the
// nearest region with healthy capacity, and to the other region when one fails its health
// checks or is full. The global external Application Load Balancer has no failover backends
// (failoverPolicy is for passthrough Network Load Balancers) and pulumi-gcp v7 has no backend
// preference, so a true standby region cannot be expressed; what the secondary region costs
// is said plainly: its instances write to the primary database across regions and read
// from their own region's replica.
//
// The only state is Cloud SQL: the instances are disposable (rebuilt from the template), so
// no disk snapshot schedule is attached to them; backups are Cloud SQL's daily backups and
// point-in-time recovery, stored in Backup.Location.
//
// The primary region is the one of the provider given in opts; the secondary region is
// placed by Args.SecondaryProvider (nil for a single region, and then Notes says what was
// left out).
package backend

import (
	"fmt"
	"strings"

	"github.com/pulumi/pulumi-gcp/sdk/v7/go/gcp"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/scalestack/scalestack/components/gcp/cache"
	"github.com/scalestack/scalestack/components/gcp/database"
	"github.com/scalestack/scalestack/components/gcp/failover"
	"github.com/scalestack/scalestack/components/gcp/loadbalancer"
	"github.com/scalestack/scalestack/components/gcp/monitoring"
	"github.com/scalestack/scalestack/components/gcp/network"
	"github.com/scalestack/scalestack/components/gcp/queue"
	"github.com/scalestack/scalestack/components/gcp/webtier"
	"github.com/scalestack/scalestack/components/gcp/worker"
	"github.com/scalestack/scalestack/policies/flows"
)

const typeToken = "scalestack:gcp:Backend"

// Args configures a Backend. Zero values mean the documented default of each part.
type Args struct {
	// Project is the project ID. Required.
	Project string
	// SecondaryProvider places the second serving region. Default: nil (single region).
	SecondaryProvider *gcp.Provider
	// Web is the web tier of each region.
	Web Web
	// Database is the Cloud SQL database.
	Database Database
	// CDN turns on Cloud CDN and a static assets bucket at /static/. Default: false.
	CDN bool
	// RateLimitPerMinutePerIP is the Cloud Armor per-client rate limit in front of the
	// backend service. Default: 1200. Allowed: 60-1000000.
	RateLimitPerMinutePerIP int
	// StaticAssetsLocation is the static assets bucket's location (with CDN). Default: US.
	StaticAssetsLocation string
	// StaticAssetsForceDestroy lets deleting the static assets bucket remove its objects
	// (loadbalancer.Args.StaticAssetsForceDestroy). Default: false.
	StaticAssetsForceDestroy bool
	// Backup is when and where Cloud SQL backs up.
	Backup Backup
	// Domain is the public host name; it gets a Google-managed certificate. Default: ""
	// (plain HTTP on the anycast address).
	Domain string
	// ManagedZone is an existing Cloud DNS zone for Domain. Default: "" (no record).
	ManagedZone string
	// AlertEmail receives alerts. Default: "" (no notification channel).
	AlertEmail string
	// Labels are added to instances and databases, over the provider's default
	// labels. Default: none.
	Labels map[string]string
	// Cache adds Memorystore for Redis in the primary region. Default: off.
	Cache Cache
	// Queue adds a Pub/Sub work queue and a worker tier in the primary region. Default: off.
	Queue Queue
}

// Cache configures the Memorystore for Redis cache (components/gcp/cache). Zero values take
// cache.Args' defaults.
type Cache struct {
	// Enabled adds the cache, its AUTH string in Secret Manager, the egress rules that let the
	// web and worker instances (and no others) reach it, and its alerts. Default: false.
	Enabled bool
	// Replicas beside the primary: 0 is a BASIC instance, 1 STANDARD_HA, 2-5 STANDARD_HA
	// with read replicas (MemoryGB 5 or more). Default: 0.
	Replicas int
	// MemoryGB is the instance size. Default: 1.
	MemoryGB int
	// EvictionPolicy is the maxmemory-policy. Default: volatile-lru.
	EvictionPolicy string
}

// Queue configures the work queue (components/gcp/queue) and its workers
// (components/gcp/worker). Zero values take their defaults.
type Queue struct {
	// Enabled adds the queue, the worker tier and the web tiers' publisher grant. Default:
	// false.
	Enabled bool
	// MaxDeliveryAttempts before a message moves to the dead-letter topic. Default: 5.
	MaxDeliveryAttempts int
	// RetentionDays keeps an unacknowledged message. Default: 4.
	RetentionDays int
	// AckDeadlineSeconds is how long a worker has to acknowledge a message. Default: 120.
	AckDeadlineSeconds int
	// Workers sizes the worker tier.
	Workers Workers
}

// Workers sizes the worker tier. Zero values take worker.Args' defaults.
type Workers struct {
	// MinSize is the fewest workers. Default: 1.
	MinSize int
	// MaxSize is the most workers. Default: max(3, MinSize).
	MaxSize int
	// BacklogPerWorker is the undelivered messages per worker the autoscaler keeps.
	// Default: 100.
	BacklogPerWorker int
	// MachineType of the workers. Default: Web.MachineType, else e2-small.
	MachineType string
}

// Web configures the web tier of both regions. Zero values take webtier.Args' defaults.
type Web struct {
	// MachineType of the instances. Default: e2-small.
	MachineType string
	// Image is the boot image or image family URL. Default: webtier.DefaultImage (Debian 12).
	Image string
	// Port the instances serve HTTP on. Default: 8080.
	Port int
	// HealthCheckPath is probed by the load balancer, auto-healing and the uptime check.
	// Default: /healthz.
	HealthCheckPath string
	// MinSize is the fewest instances per region. Default: 1.
	MinSize int
	// MaxSize is the most instances per region. Default: max(3, MinSize).
	MaxSize int
	// TargetCPUPercent is the CPU the autoscalers hold. Default: 60.
	TargetCPUPercent int
	// RequestsPerMinutePerInstance is the load balancer capacity of one instance; above 0
	// the load balancer balances by rate and the autoscalers hold 80% of it. Default: 0.
	RequestsPerMinutePerInstance int
	// Schedules raise the primary region's minimum on a schedule. Default: none.
	Schedules []webtier.Schedule
	// PrimaryZones pins the primary region's group to these zones (webtier.Args.Zones).
	// Required: 2 or more zones of the primary region (webtier.DefaultZones has a table).
	PrimaryZones []string
	// SecondaryZones pins the secondary region's group. Required with a SecondaryProvider.
	SecondaryZones []string
}

// Database configures Cloud SQL. Zero values take database.Args' defaults.
type Database struct {
	// Edition is ENTERPRISE or ENTERPRISE_PLUS. Default: ENTERPRISE.
	Edition string
	// Tier is the Cloud SQL machine tier, one of Edition's. Default: db-custom-1-3840
	// (ENTERPRISE), db-perf-optimized-N-2 (ENTERPRISE_PLUS).
	Tier string
	// DatabaseVersion is the PostgreSQL version. Default: POSTGRES_16.
	DatabaseVersion string
	// HighAvailability makes the primary regional (standby in another zone). Default: false.
	HighAvailability bool
	// DeletionProtection protects the primary and the cross-region replica. Default: false.
	DeletionProtection bool
	// DiskSizeGB is the initial disk size. Default: 20.
	DiskSizeGB int
	// BackupRetentionDays is how many daily backups are kept. Default: 7. Allowed: 2-365,
	// more than PointInTimeRecoveryDays.
	BackupRetentionDays int
	// PointInTimeRecoveryDays keeps transaction logs for point-in-time recovery. Default:
	// BackupRetentionDays - 1, at most 7 (ENTERPRISE) or 35 (ENTERPRISE_PLUS).
	PointInTimeRecoveryDays int
	// DatabaseName is the application database. Default: app.
	DatabaseName string
	// ReadReplicas in the primary region. Default: 0.
	ReadReplicas int
	// CrossRegionReplica adds a replica in the secondary region. Needs SecondaryProvider.
	// Default: false.
	CrossRegionReplica bool
}

// Backup configures Cloud SQL backups (how many are kept is Database.BackupRetentionDays).
type Backup struct {
	// DailyAt is the UTC start of the daily database backup window. Default: 03:00.
	DailyAt string
	// Location stores Cloud SQL backups in this region or multi-region ("us"), such as one
	// that also covers the secondary region. Default: "" (the multi-region nearest the
	// instance).
	Location string
}

// wiring carries the outputs one part gives another. Validation uses placeholders.
type wiring struct {
	primarySubnet, secondarySubnet, privateNetwork pulumi.StringInput
	backends                                       []loadbalancer.Backend
	address                                        pulumi.StringInput
	network, subscription                          pulumi.StringInput
}

// parts are the arguments of every part, built in one place.
type parts struct {
	network                  *network.Args
	webPrimary, webSecondary *webtier.Args
	loadBalancer             *loadbalancer.Args
	database                 *database.Args
	failover                 *failover.Args
	monitoring               *monitoring.Args
	cache                    *cache.Args
	queue                    *queue.Args
	worker                   *worker.Args
}

func (a *Args) parts(name string, w wiring) parts {
	two := a.SecondaryProvider != nil
	webTag := name + "-web"
	lbUtil := 0
	if a.Web.RequestsPerMinutePerInstance > 0 {
		lbUtil = 80
	}
	web := func(subnet pulumi.StringInput, zones []string, schedules []webtier.Schedule) *webtier.Args {
		return &webtier.Args{
			Project:                         pulumi.String(a.Project),
			Subnetwork:                      subnet,
			NetworkTag:                      webTag,
			MachineType:                     a.Web.MachineType,
			Image:                           a.Web.Image,
			Zones:                           zones,
			Port:                            a.Web.Port,
			HealthCheckPath:                 a.Web.HealthCheckPath,
			MinSize:                         a.Web.MinSize,
			MaxSize:                         a.Web.MaxSize,
			TargetCPUPercent:                a.Web.TargetCPUPercent,
			LoadBalancingUtilizationPercent: lbUtil,
			Schedules:                       schedules,
			Labels:                          a.Labels,
		}
	}
	rateLimit := a.RateLimitPerMinutePerIP
	if rateLimit == 0 {
		rateLimit = 1200
	}
	var domains []string
	if a.Domain != "" {
		domains = []string{a.Domain}
	}
	p := parts{
		network:    &network.Args{SecondaryProvider: a.SecondaryProvider, WebTag: webTag, WebPort: a.Web.Port},
		webPrimary: web(w.primarySubnet, a.Web.PrimaryZones, a.Web.Schedules),
		loadBalancer: &loadbalancer.Args{
			Backends:                     w.backends,
			Port:                         a.Web.Port,
			HealthCheckPath:              a.Web.HealthCheckPath,
			Domains:                      domains,
			RequestsPerSecondPerInstance: float64(a.Web.RequestsPerMinutePerInstance) / 60,
			CDN:                          a.CDN,
			StaticAssets:                 a.CDN,
			StaticAssetsLocation:         a.StaticAssetsLocation,
			StaticAssetsForceDestroy:     a.StaticAssetsForceDestroy,
			RateLimitPerMinutePerIP:      rateLimit,
		},
		database: &database.Args{
			PrivateNetwork:          w.privateNetwork,
			Edition:                 a.Database.Edition,
			PointInTimeRecoveryDays: a.Database.PointInTimeRecoveryDays,
			Tier:                    a.Database.Tier,
			DatabaseVersion:         a.Database.DatabaseVersion,
			HighAvailability:        a.Database.HighAvailability,
			DeletionProtection:      a.Database.DeletionProtection,
			DiskSizeGB:              a.Database.DiskSizeGB,
			BackupRetentionDays:     a.Database.BackupRetentionDays,
			BackupStartTime:         a.Backup.DailyAt,
			BackupLocation:          a.Backup.Location,
			DatabaseName:            a.Database.DatabaseName,
			ReadReplicas:            a.Database.ReadReplicas,
			Labels:                  a.Labels,
		},
		failover: &failover.Args{
			Project:         a.Project,
			Address:         w.address,
			Domain:          a.Domain,
			ManagedZone:     a.ManagedZone,
			HealthCheckPath: a.Web.HealthCheckPath,
		},
		monitoring: &monitoring.Args{Project: a.Project, Email: a.AlertEmail},
	}
	if two {
		// The second serving region: the same bounds; its autoscaler follows its own traffic.
		p.webSecondary = web(w.secondarySubnet, a.Web.SecondaryZones, nil)
	}
	if a.Database.CrossRegionReplica {
		p.database.CrossRegionProvider = a.SecondaryProvider
	}
	if a.Cache.Enabled {
		p.cache = &cache.Args{
			AuthorizedNetwork: w.privateNetwork,
			MemoryGB:          a.Cache.MemoryGB,
			Replicas:          a.Cache.Replicas,
			NoReplicas:        a.Cache.Replicas == 0,
			EvictionPolicy:    a.Cache.EvictionPolicy,
			Labels:            a.Labels,
		}
		p.monitoring.CacheReplicated = a.Cache.Replicas > 0
	}
	if a.Queue.Enabled {
		p.queue = &queue.Args{
			Project:             pulumi.String(a.Project),
			MaxDeliveryAttempts: a.Queue.MaxDeliveryAttempts,
			RetentionDays:       a.Queue.RetentionDays,
			AckDeadlineSeconds:  a.Queue.AckDeadlineSeconds,
			Labels:              a.Labels,
		}
		machine := a.Queue.Workers.MachineType
		if machine == "" {
			machine = a.Web.MachineType
		}
		maxSize := a.Queue.Workers.MaxSize
		if maxSize == 0 {
			maxSize = max(3, a.Queue.Workers.MinSize)
		}
		p.worker = &worker.Args{
			Project:          pulumi.String(a.Project),
			Network:          w.network,
			Subnetwork:       w.primarySubnet,
			Subscription:     w.subscription,
			SubscriptionName: w.subscription,
			MinSize:          a.Queue.Workers.MinSize,
			MaxSize:          maxSize,
			BacklogPerWorker: a.Queue.Workers.BacklogPerWorker,
			MachineType:      machine,
			Image:            a.Web.Image,
			Labels:           a.Labels,
		}
	}
	return p
}

// validate checks every part's arguments before anything is registered.
func (a *Args) validate(name string) error {
	if a == nil || a.Project == "" {
		return fmt.Errorf("Project is required")
	}
	if a.Database.CrossRegionReplica && a.SecondaryProvider == nil {
		return fmt.Errorf("Database.CrossRegionReplica is true without a SecondaryProvider: want a secondary region or no cross-region replica")
	}
	x := pulumi.String("(wired at registration)")
	p := a.parts(name, wiring{x, x, x, []loadbalancer.Backend{{Key: "primary", Group: x}}, x, x, x})
	checks := []struct {
		part string
		err  error
	}{
		{"Network", p.network.Validate(name)},
		{"Web (primary)", p.webPrimary.Validate(name + "-web-primary")},
		{"LoadBalancer", p.loadBalancer.Validate()},
		{"Database", p.database.Validate()},
		{"Failover", p.failover.Validate()},
		{"Monitoring", p.monitoring.Validate()},
	}
	type check = struct {
		part string
		err  error
	}
	if p.webSecondary != nil {
		checks = append(checks, check{"Web (secondary)", p.webSecondary.Validate(name + "-web-secondary")})
	}
	if p.cache != nil {
		checks = append(checks, check{"Cache", p.cache.Validate(name + "-cache")})
	}
	if p.queue != nil {
		checks = append(checks, check{"Queue", p.queue.Validate(name + "-queue")}, check{"Queue.Workers", p.worker.Validate(name + "-worker")})
	}
	for _, c := range checks {
		if c.err != nil {
			return fmt.Errorf("%s: %w", c.part, c.err)
		}
	}
	return nil
}

// Backend is a scalable web backend over a region pair.
type Backend struct {
	pulumi.ResourceState

	// URL is the public URL.
	URL pulumi.StringOutput `pulumi:"url"`
	// Address is the load balancer's anycast address.
	Address pulumi.StringOutput `pulumi:"address"`
	// CDNEnabled reports whether Cloud CDN is on.
	CDNEnabled pulumi.BoolOutput `pulumi:"cdnEnabled"`
	// DatabaseConnectionName is the primary database's "project:region:instance".
	DatabaseConnectionName pulumi.StringOutput `pulumi:"databaseConnectionName"`
	// DatabasePrivateIP is the primary database's private IP.
	DatabasePrivateIP pulumi.StringOutput `pulumi:"databasePrivateIp"`
	// ReplicaNames are the in-region read replicas.
	ReplicaNames pulumi.StringArrayOutput `pulumi:"replicaNames"`
	// ReplicaPrivateIPs are their private IPs.
	ReplicaPrivateIPs pulumi.StringArrayOutput `pulumi:"replicaPrivateIps"`
	// CrossRegionReplicaConnectionName is the cross-region replica ("" without one).
	CrossRegionReplicaConnectionName pulumi.StringOutput `pulumi:"crossRegionReplicaConnectionName"`
	// DatabaseUsers are the IAM database users the web tiers sign in as, by region key
	// ("primary", "secondary"): each region's service account email without
	// ".gserviceaccount.com".
	DatabaseUsers pulumi.StringMapOutput `pulumi:"databaseUsers"`
	// UptimeCheckID is the public endpoint's uptime check.
	UptimeCheckID pulumi.StringOutput `pulumi:"uptimeCheckId"`
	// PrimarySubnet is the primary region's subnet self link, for instances of a user's own
	// (they get none of the backend's firewall or IAM grants).
	PrimarySubnet pulumi.StringOutput `pulumi:"-"`
	// DashboardURL opens the on-call dashboard in the Google Cloud console.
	DashboardURL pulumi.StringOutput `pulumi:"dashboardUrl"`
	// CacheHost is the cache's private IP ("" without a cache); CachePort its TLS port.
	CacheHost pulumi.StringOutput `pulumi:"cacheHost"`
	// CachePort is the cache's port (6378 with TLS; 0 without a cache).
	CachePort pulumi.IntOutput `pulumi:"cachePort"`
	// CacheAuthSecret is the Secret Manager secret holding the cache's AUTH string ("" without
	// a cache).
	CacheAuthSecret pulumi.StringOutput `pulumi:"cacheAuthSecret"`
	// QueueTopic is the topic producers publish to ("" without a queue).
	QueueTopic pulumi.StringOutput `pulumi:"queueTopic"`
	// QueueSubscription is the workers' subscription ("" without a queue).
	QueueSubscription pulumi.StringOutput `pulumi:"queueSubscription"`
	// DeadLetterSubscription holds messages that failed MaxDeliveryAttempts times ("" without
	// a queue).
	DeadLetterSubscription pulumi.StringOutput `pulumi:"deadLetterSubscription"`
	// Notes lists what a single-region deployment left out (empty with two regions).
	Notes []string `pulumi:"-"`
}

// New validates args and registers the backend and all of its parts.
func New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*Backend, error) {
	if err := args.validate(name); err != nil {
		return nil, fmt.Errorf("backend %q: %w", name, err)
	}
	a := *args
	two := a.SecondaryProvider != nil
	b := &Backend{}
	if !two {
		b.Notes = []string{
			"single region: no second serving web tier; the load balancer has one region's backends",
			"single region: no cross-region database replica",
		}
	}
	if err := ctx.RegisterComponentResource(typeToken, name, b, opts...); err != nil {
		return nil, err
	}
	parent := pulumi.Parent(b)
	secondary := []pulumi.ResourceOption{parent}
	if two {
		secondary = append(secondary, pulumi.Provider(a.SecondaryProvider))
	}
	p := a.parts(name, wiring{})

	net, err := network.New(ctx, name, p.network, parent)
	if err != nil {
		return nil, err
	}
	// The database comes first: the web tiers carry its connection details in their metadata.
	p.database.PrivateNetwork = net.PrivateNetwork
	db, err := database.New(ctx, name+"-db", p.database, parent)
	if err != nil {
		return nil, err
	}
	// The cache and the queue come next, for the same reason. The queue's alerts notify the
	// channel the monitoring component creates at the end: a deferred output, resolved there
	// (and on every early return, so no registration waits forever).
	channels, resolveChannels := pulumi.DeferredOutput[[]string](ctx.Context())
	resolved := false
	defer func() {
		if !resolved {
			resolveChannels(pulumi.StringArray{}.ToStringArrayOutput())
		}
	}()
	t, err := newTiers(ctx, name, a.Project, p, net, parent, pulumi.StringArrayOutput{OutputState: channels.OutputState})
	if err != nil {
		return nil, err
	}
	p.webPrimary.Subnetwork = net.PrimarySubnetSelfLink
	p.webPrimary.Metadata = t.metadata(databaseMetadata(db, db.ReplicaPrivateIPs))
	webPrimary, err := webtier.New(ctx, name+"-web-primary", p.webPrimary, parent)
	if err != nil {
		return nil, err
	}
	webs := []struct {
		key string
		web *webtier.WebTier
	}{{"primary", webPrimary}}
	groups := []monitoring.Group{{Key: "primary", Name: webPrimary.GroupManagerName, MaxSize: webPrimary.MaxSize}}
	p.loadBalancer.Backends = []loadbalancer.Backend{{Key: "primary", Group: webPrimary.InstanceGroup}}
	if two {
		p.webSecondary.Subnetwork = net.SecondarySubnetSelfLink
		// Reads stay in the region when it has the cross-region replica; writes go to the primary.
		reads := db.ReplicaPrivateIPs
		if a.Database.CrossRegionReplica {
			reads = db.CrossRegionReplicaPrivateIP.ApplyT(func(ip string) []string { return []string{ip} }).(pulumi.StringArrayOutput)
		}
		p.webSecondary.Metadata = t.metadata(databaseMetadata(db, reads))
		webSecondary, err := webtier.New(ctx, name+"-web-secondary", p.webSecondary, secondary...)
		if err != nil {
			return nil, err
		}
		webs = append(webs, struct {
			key string
			web *webtier.WebTier
		}{"secondary", webSecondary})
		groups = append(groups, monitoring.Group{Key: "secondary", Name: webSecondary.GroupManagerName, MaxSize: webSecondary.MaxSize})
		p.loadBalancer.Backends = append(p.loadBalancer.Backends, loadbalancer.Backend{Key: "secondary", Group: webSecondary.InstanceGroup})
	}
	lb, err := loadbalancer.New(ctx, name, p.loadBalancer, parent)
	if err != nil {
		return nil, err
	}
	// Each region's web service account signs in to the database with IAM authentication.
	users := pulumi.StringMap{}
	for _, w := range webs {
		u, err := database.NewIAMUser(ctx, name+"-db-iam-"+w.key, &database.IAMUserArgs{
			Project:             pulumi.String(a.Project),
			Instance:            db.InstanceName,
			ServiceAccountEmail: w.web.ServiceAccountEmail,
			InstanceNames:       db.InstanceNames(),
		}, parent)
		if err != nil {
			return nil, err
		}
		users[w.key] = u.UserName
	}
	// The web tiers publish to the queue and read the cache's AUTH string; the workers drain
	// the queue in the primary region.
	for _, w := range webs {
		if err := t.grantWeb(ctx, name+"-web-"+w.key, w.web.ServiceAccountEmail, parent); err != nil {
			return nil, err
		}
	}
	if err := t.newWorkers(ctx, name, p, net, parent); err != nil {
		return nil, err
	}
	p.failover.Address = lb.Address
	fo, err := failover.New(ctx, name, p.failover, parent)
	if err != nil {
		return nil, err
	}
	p.monitoring.URLMapName = lb.URLMapName
	p.monitoring.BackendServiceName = lb.BackendServiceName
	p.monitoring.UptimeCheckIDs = []pulumi.StringInput{fo.UptimeCheckID}
	p.monitoring.Groups = groups
	p.monitoring.PrimaryDatabase = db.InstanceName
	for _, r := range db.Replicas {
		p.monitoring.ReplicaDatabases = append(p.monitoring.ReplicaDatabases, r.Name)
	}
	if t.cache != nil {
		p.monitoring.CacheInstanceID = t.cache.InstanceID
	}
	if t.workers != nil {
		p.monitoring.Groups = append(p.monitoring.Groups, monitoring.Group{Key: "workers", Name: t.workers.GroupManagerName, MaxSize: p.worker.MaxSize})
	}
	mon, err := monitoring.New(ctx, name, p.monitoring, parent)
	if err != nil {
		return nil, err
	}
	resolveChannels(mon.Channels)
	resolved = true
	dash, err := monitoring.NewDashboard(ctx, name+"-oncall", t.dashboard(p, groups), parent)
	if err != nil {
		return nil, err
	}

	b.URL = lb.URL
	b.Address = lb.Address
	b.CDNEnabled = lb.CDNEnabled
	b.DatabaseConnectionName = db.ConnectionName
	b.DatabasePrivateIP = db.PrivateIP
	b.ReplicaNames = db.ReplicaNames
	b.ReplicaPrivateIPs = db.ReplicaPrivateIPs
	b.CrossRegionReplicaConnectionName = db.CrossRegionReplicaConnectionName
	b.DatabaseUsers = users.ToStringMapOutput()
	b.UptimeCheckID = fo.UptimeCheckID
	b.DashboardURL = dash.URL
	b.PrimarySubnet = net.PrimarySubnetSelfLink
	t.outputs(b)
	outputs := pulumi.Map{
		"dashboardUrl":                     b.DashboardURL,
		"cacheHost":                        b.CacheHost,
		"cachePort":                        b.CachePort,
		"cacheAuthSecret":                  b.CacheAuthSecret,
		"queueTopic":                       b.QueueTopic,
		"queueSubscription":                b.QueueSubscription,
		"deadLetterSubscription":           b.DeadLetterSubscription,
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
	if err := flows.Declare(ctx, b, outputs, append(declaredFlows(name, p.webPrimary.Port, webResources(webs), db), t.flows(name, webResources(webs))...)...); err != nil {
		return nil, err
	}
	return b, ctx.RegisterResourceOutputs(b, outputs)
}

// Metadata keys the web instances find the database under, on the metadata server
// (computeMetadata/v1/instance/attributes/<key>). The database user is the instance's
// service account email without ".gserviceaccount.com" (IAM database authentication: the
// password is an OAuth token from the metadata server, over TLS).
const (
	MetadataDBConnectionName = "scalestack-db-connection-name"
	MetadataDBHost           = "scalestack-db-host"
	MetadataDBName           = "scalestack-db-name"
	MetadataDBReadHosts      = "scalestack-db-read-hosts"
)

// databaseMetadata tells the web instances where the database is: the primary's connection
// name (for the Cloud SQL connectors) and private IP, the database name, and the private
// IPs to send reads to (comma-separated; the primary's when there is no replica).
func databaseMetadata(db *database.Database, reads pulumi.StringArrayOutput) map[string]pulumi.StringInput {
	readHosts := pulumi.All(db.PrivateIP, reads).ApplyT(func(xs []any) string {
		ips, _ := xs[1].([]string)
		var out []string
		for _, ip := range ips {
			if ip != "" {
				out = append(out, ip)
			}
		}
		if len(out) == 0 {
			out = []string{xs[0].(string)}
		}
		return strings.Join(out, ",")
	}).(pulumi.StringOutput)
	return map[string]pulumi.StringInput{
		MetadataDBConnectionName: db.ConnectionName,
		MetadataDBHost:           db.PrivateIP,
		MetadataDBName:           db.DatabaseName,
		MetadataDBReadHosts:      readHosts,
	}
}

// Validate reports the first problem with args for a backend named name, registering nothing.
func (a *Args) Validate(name string) error { return a.validate(name) }

// webResources lists the web tiers by role, as the flow declarations refer to them.
func webResources(webs []struct {
	key string
	web *webtier.WebTier
}) map[string]pulumi.Resource {
	out := make(map[string]pulumi.Resource, len(webs))
	for _, w := range webs {
		out[w.key] = w.web
	}
	return out
}
