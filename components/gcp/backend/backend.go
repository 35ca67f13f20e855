// Package backend is the scalestack pattern component for Google Cloud: a whole scalable web
// backend over a region pair in one call. It composes the resource components of
// components/gcp: the network (both regions), a web tier per region (the primary active,
// the secondary a warm standby running at its minimum and scaling on failover), one global
// external Application Load Balancer with both regions' groups behind one anycast address
// (with Cloud CDN), Cloud SQL for PostgreSQL with read replicas and a cross-region replica,
// daily disk snapshots per region, the DNS record and uptime check, and alerting.
//
// The primary region is the one of the provider given in opts; the secondary region is
// placed by Args.SecondaryProvider (nil for a single region, and then Notes says what was
// left out).
package backend

import (
	"fmt"

	"github.com/pulumi/pulumi-gcp/sdk/v7/go/gcp"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/scalestack/scalestack/components/gcp/backup"
	"github.com/scalestack/scalestack/components/gcp/database"
	"github.com/scalestack/scalestack/components/gcp/failover"
	"github.com/scalestack/scalestack/components/gcp/loadbalancer"
	"github.com/scalestack/scalestack/components/gcp/monitoring"
	"github.com/scalestack/scalestack/components/gcp/network"
	"github.com/scalestack/scalestack/components/gcp/webtier"
	"github.com/scalestack/scalestack/policies/flows"
)

const typeToken = "scalestack:gcp:Backend"

// Args configures a Backend. Zero values mean the documented default of each part.
type Args struct {
	// Project is the project ID. Required.
	Project string
	// SecondaryProvider places the warm standby region. Default: nil (single region).
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
	// Backup is the disk snapshot schedule.
	Backup Backup
	// Domain is the public host name; it gets a Google-managed certificate. Default: ""
	// (plain HTTP on the anycast address).
	Domain string
	// ManagedZone is an existing Cloud DNS zone for Domain. Default: "" (no record).
	ManagedZone string
	// AlertEmail receives alerts. Default: "" (no notification channel).
	AlertEmail string
	// Labels are added to instances, snapshots and databases, over the provider's default
	// labels. Default: none.
	Labels map[string]string
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
	// MinSize is the fewest instances per region; the standby region runs at it. Default: 1.
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
}

// Database configures Cloud SQL. Zero values take database.Args' defaults.
type Database struct {
	// Tier is the Cloud SQL machine tier. Default: db-custom-1-3840.
	Tier string
	// DatabaseVersion is the PostgreSQL version. Default: POSTGRES_16.
	DatabaseVersion string
	// HighAvailability makes the primary regional (standby in another zone). Default: false.
	HighAvailability bool
	// DeletionProtection protects the primary and the cross-region replica. Default: false.
	DeletionProtection bool
	// DiskSizeGB is the initial disk size. Default: 20.
	DiskSizeGB int
	// BackupRetentionDays keeps daily backups. Default: 7.
	BackupRetentionDays int
	// DatabaseName is the application database. Default: app.
	DatabaseName string
	// ReadReplicas in the primary region. Default: 0.
	ReadReplicas int
	// CrossRegionReplica adds a replica in the secondary region. Needs SecondaryProvider.
	// Default: false.
	CrossRegionReplica bool
}

// Backup configures disk snapshots and where backups are stored. Zero values take
// backup.Args' defaults.
type Backup struct {
	// DailyAt is the UTC time of the daily snapshot and database backup. Default: 03:00.
	DailyAt string
	// RetentionDays keeps each disk snapshot. Default: 7.
	RetentionDays int
	// Location stores disk snapshots and Cloud SQL backups in this region or multi-region
	// ("us"), such as one that also covers the secondary region. Default: "".
	Location string
}

// wiring carries the outputs one part gives another. Validation uses placeholders.
type wiring struct {
	primarySubnet, secondarySubnet, privateNetwork pulumi.StringInput
	primarySnapshots, secondarySnapshots           pulumi.StringInput
	backends                                       []loadbalancer.Backend
	address                                        pulumi.StringInput
}

// parts are the arguments of every part, built in one place.
type parts struct {
	network                  *network.Args
	snapshots                *backup.Args
	webPrimary, webSecondary *webtier.Args
	loadBalancer             *loadbalancer.Args
	database                 *database.Args
	failover                 *failover.Args
	monitoring               *monitoring.Args
}

func (a *Args) parts(name string, w wiring) parts {
	two := a.SecondaryProvider != nil
	webTag := name + "-web"
	lbUtil := 0
	if a.Web.RequestsPerMinutePerInstance > 0 {
		lbUtil = 80
	}
	web := func(subnet, snapshots pulumi.StringInput, schedules []webtier.Schedule) *webtier.Args {
		return &webtier.Args{
			Project:                         pulumi.String(a.Project),
			Subnetwork:                      subnet,
			NetworkTag:                      webTag,
			MachineType:                     a.Web.MachineType,
			Image:                           a.Web.Image,
			SnapshotPolicy:                  snapshots,
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
		snapshots:  &backup.Args{DailyAt: a.Backup.DailyAt, RetentionDays: a.Backup.RetentionDays, StorageLocation: a.Backup.Location, Labels: a.Labels},
		webPrimary: web(w.primarySubnet, w.primarySnapshots, a.Web.Schedules),
		loadBalancer: &loadbalancer.Args{
			Backends:                     w.backends,
			Port:                         a.Web.Port,
			HealthCheckPath:              a.Web.HealthCheckPath,
			Domains:                      domains,
			RequestsPerSecondPerInstance: float64(a.Web.RequestsPerMinutePerInstance) / 60,
			CDN:                          a.CDN,
			StaticAssets:                 a.CDN,
			StaticAssetsLocation:         a.StaticAssetsLocation,
			RateLimitPerMinutePerIP:      rateLimit,
		},
		database: &database.Args{
			PrivateNetwork:      w.privateNetwork,
			Tier:                a.Database.Tier,
			DatabaseVersion:     a.Database.DatabaseVersion,
			HighAvailability:    a.Database.HighAvailability,
			DeletionProtection:  a.Database.DeletionProtection,
			DiskSizeGB:          a.Database.DiskSizeGB,
			BackupRetentionDays: a.Database.BackupRetentionDays,
			BackupStartTime:     a.Backup.DailyAt,
			BackupLocation:      a.Backup.Location,
			DatabaseName:        a.Database.DatabaseName,
			ReadReplicas:        a.Database.ReadReplicas,
			Labels:              a.Labels,
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
		// Warm standby: the same bounds, so it runs at its minimum until traffic fails over.
		p.webSecondary = web(w.secondarySubnet, w.secondarySnapshots, nil)
	}
	if a.Database.CrossRegionReplica {
		p.database.CrossRegionProvider = a.SecondaryProvider
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
	p := a.parts(name, wiring{x, x, x, x, x, []loadbalancer.Backend{{Key: "primary", Group: x}}, x})
	checks := []struct {
		part string
		err  error
	}{
		{"Network", p.network.Validate(name)},
		{"Backup", p.snapshots.Validate()},
		{"Web", p.webPrimary.Validate(name + "-web-primary")},
		{"LoadBalancer", p.loadBalancer.Validate()},
		{"Database", p.database.Validate()},
		{"Failover", p.failover.Validate()},
		{"Monitoring", p.monitoring.Validate()},
	}
	if p.webSecondary != nil {
		checks = append(checks, struct {
			part string
			err  error
		}{"Web", p.webSecondary.Validate(name + "-web-secondary")})
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
	// UptimeCheckID is the public endpoint's uptime check.
	UptimeCheckID pulumi.StringOutput `pulumi:"uptimeCheckId"`
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
			"single region: no warm-standby web tier; the load balancer has one region's backends",
			"single region: no cross-region database replica",
			"single region: no snapshot schedule in a second region",
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
	snapPrimary, err := backup.New(ctx, name+"-primary", p.snapshots, parent)
	if err != nil {
		return nil, err
	}
	p.webPrimary.Subnetwork, p.webPrimary.SnapshotPolicy = net.PrimarySubnetSelfLink, snapPrimary.PolicyID
	webPrimary, err := webtier.New(ctx, name+"-web-primary", p.webPrimary, parent)
	if err != nil {
		return nil, err
	}
	webs := map[string]pulumi.Resource{"primary": webPrimary}
	groups := []monitoring.Group{{Key: "primary", Name: webPrimary.GroupManagerName, MaxSize: webPrimary.MaxSize}}
	p.loadBalancer.Backends = []loadbalancer.Backend{{Key: "primary", Group: webPrimary.InstanceGroup}}
	if two {
		snapSecondary, err := backup.New(ctx, name+"-secondary", p.snapshots, secondary...)
		if err != nil {
			return nil, err
		}
		p.webSecondary.Subnetwork, p.webSecondary.SnapshotPolicy = net.SecondarySubnetSelfLink, snapSecondary.PolicyID
		webSecondary, err := webtier.New(ctx, name+"-web-secondary", p.webSecondary, secondary...)
		if err != nil {
			return nil, err
		}
		webs["secondary"] = webSecondary
		groups = append(groups, monitoring.Group{Key: "secondary", Name: webSecondary.GroupManagerName, MaxSize: webSecondary.MaxSize})
		p.loadBalancer.Backends = append(p.loadBalancer.Backends, loadbalancer.Backend{Key: "secondary", Group: webSecondary.InstanceGroup})
	}
	lb, err := loadbalancer.New(ctx, name, p.loadBalancer, parent)
	if err != nil {
		return nil, err
	}
	p.database.PrivateNetwork = net.PrivateNetwork
	db, err := database.New(ctx, name+"-db", p.database, parent)
	if err != nil {
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
	if _, err := monitoring.New(ctx, name, p.monitoring, parent); err != nil {
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
	b.UptimeCheckID = fo.UptimeCheckID
	outputs := pulumi.Map{
		"url":                              b.URL,
		"address":                          b.Address,
		"cdnEnabled":                       b.CDNEnabled,
		"databaseConnectionName":           b.DatabaseConnectionName,
		"databasePrivateIp":                b.DatabasePrivateIP,
		"replicaNames":                     b.ReplicaNames,
		"replicaPrivateIps":                b.ReplicaPrivateIPs,
		"crossRegionReplicaConnectionName": b.CrossRegionReplicaConnectionName,
		"uptimeCheckId":                    b.UptimeCheckID,
	}
	if err := flows.Declare(ctx, b, outputs, declaredFlows(name, p.webPrimary.Port, webs, db)...); err != nil {
		return nil, err
	}
	return b, ctx.RegisterResourceOutputs(b, outputs)
}

// Validate reports the first problem with args for a backend named name, registering nothing.
func (a *Args) Validate(name string) error { return a.validate(name) }
