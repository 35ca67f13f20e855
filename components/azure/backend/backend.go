// Package backend is the scalestack pattern component for Azure: the whole scalable web
// backend over a region pair in one call. It composes the resource components of
// components/azure: per region a network, a gateway (Application Gateway v2 or Standard Load
// Balancer) and an autoscaled web tier whose scale set signs in to SQL as its managed
// identity; an Azure SQL database with Hyperscale named replicas, a geo-secondary and a
// failover group reachable privately from both regions; Front Door over both gateways (its
// origin group fails over between regions) or, without a CDN, Traffic Manager priority
// routing; backups; alerts; and, given a domain, the Azure DNS zone that serves it.
//
// With a CDN the gateways admit only Front Door: their network security groups allow 80/443
// from the AzureFrontDoor.Backend service tag only, and their WAF blocks requests whose
// X-Azure-FDID header is not this Front Door profile's ID. Without a CDN the gateways are the
// public entry (Notes says so).
//
// The web tier's database users cannot be expressed in ARM (CREATE USER ... FROM EXTERNAL
// PROVIDER is T-SQL run by the Entra administrator): WebIdentities names each region's
// identity, and Notes and docs/operations.md give the command.
//
// With Queue.Enabled the primary region also gets the asynchronous tier: a Storage queue and its
// poison queue behind a private endpoint in the data subnet (components/azure/queue), and a
// worker scale set in the web subnet autoscaled on the queue's length per instance
// (components/azure/worker). The web tier's identity may only send to the queue; the workers'
// may only process it and send to the poison queue. The queue and the workers live in the
// primary region only (Notes says why).
//
// Azure Cache for Redis is not served by this build's azure-native modules: the backend has no
// cache tier, and Notes says so.
//
// The primary region is active; the secondary is a warm standby: its web tier runs at its
// minimum (and scales out on load after a failover), its gateway may scale to zero instances,
// and its database is the geo-secondary. Without a secondary location the backend deploys one
// region and Notes says what it left out.
//
// The primary region is placed by the azure-native provider the component is given (children
// inherit it); the secondary by SecondaryProvider. Children are named from the component name
// and a role ("primary", "secondary"), never from a location, so adding the secondary region
// (or a read replica) keeps every existing URN.
package backend

import (
	"fmt"
	"regexp"

	"github.com/pulumi/pulumi-azure-native-sdk/network/v2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/scalestack/scalestack/components/azure/backup"
	"github.com/scalestack/scalestack/components/azure/cdn"
	"github.com/scalestack/scalestack/components/azure/database"
	"github.com/scalestack/scalestack/components/azure/failover"
	"github.com/scalestack/scalestack/components/azure/gateway"
	"github.com/scalestack/scalestack/components/azure/monitoring"
	aznet "github.com/scalestack/scalestack/components/azure/network"
	"github.com/scalestack/scalestack/components/azure/queue"
	"github.com/scalestack/scalestack/components/azure/webtier"
	"github.com/scalestack/scalestack/components/azure/worker"
	"github.com/scalestack/scalestack/policies/flows"
	"github.com/scalestack/scalestack/providers"
	"github.com/scalestack/scalestack/providers/azureregions"
)

// typeToken is part of every child's URN: changing it needs pulumi.Aliases.
const typeToken = "scalestack:azure:Backend"

// Web configures the web tier of both regions.
type Web struct {
	// VMSize of the instances. Default: Standard_B2s.
	VMSize string
	// Image boots the instances. Default: webtier.DefaultImage (Ubuntu 24.04 LTS).
	Image webtier.Image
	// MinSize, MaxSize and DesiredSize bound the primary region's scale set; the secondary
	// runs MinSize (desired = min) up to MaxSize. Defaults as in webtier.Args.
	MinSize, MaxSize, DesiredSize int
	// TargetCPUPercent and RequestsPerInstance drive autoscaling. Defaults as in webtier.Args.
	TargetCPUPercent, RequestsPerInstance int
	// Schedules change the primary region's capacity weekly. Default: none.
	Schedules []webtier.Schedule
	// Port and HealthCheckPath of the instances. Default: 8080 and /healthz.
	Port            int
	HealthCheckPath string
	// SSHPublicKey of the admin. Default: none (see webtier.Args.SSHPublicKey).
	SSHPublicKey string
	// EncryptionAtHost (see webtier.Args). Default: false.
	EncryptionAtHost bool
}

// Gateway configures the gateways.
type Gateway struct {
	// Kind is "appgateway" (default) or "standard".
	Kind string
	// CertificateSecretID and IdentityID enable HTTPS (see gateway.Args). Default: HTTP only.
	CertificateSecretID, IdentityID string
	// DisableWAF turns the WAF policy off. Default: false.
	DisableWAF bool
	// MaxCapacity bounds each gateway's instances. Default: 10.
	MaxCapacity int
}

// Database configures the SQL tier (see database.Args for each field's default).
type Database struct {
	AdminLogin, AdminObjectID, AdminPrincipalType, TenantID string
	Name, SKUName, BackupStorageRedundancy                  string
	ZoneRedundant, ReadScale, DeletionProtection            bool
	ReadReplicas                                            int
	// GeoSecondary adds the geo-secondary and failover group in the secondary location.
	// Default: false. Needs SecondaryLocation.
	GeoSecondary bool
}

// CDN configures the CDN.
type CDN struct {
	// Enabled puts Azure Front Door in front of the gateways, which then admit only it, and
	// lets its origin group fail over between regions (no Traffic Manager). Default: false.
	Enabled bool
	// Kind and SKU as in cdn.Args (Kind "frontdoor" only).
	Kind, SKU string
}

// Queue configures the asynchronous tier (see queue.Args and worker.Args for defaults).
type Queue struct {
	// Enabled adds the queue, its poison queue and the workers in the primary region.
	// Default: false.
	Enabled bool
	// MaxDequeueCount, RetentionDays and VisibilityTimeoutSeconds are the queue's contract.
	MaxDequeueCount, RetentionDays, VisibilityTimeoutSeconds int
	// WorkersMinSize, WorkersMaxSize and BacklogPerWorker size the workers.
	WorkersMinSize, WorkersMaxSize, BacklogPerWorker int
	// SubscriptionID names the subscription of the role definitions, so a preview shows the
	// roles granted (see queue.Args). Default: "".
	SubscriptionID string
}

// Backup configures backups (see backup.Args).
type Backup struct {
	DailyAt                                              string
	RetentionDays, WeeklyRetentionDays, SQLRetentionDays int
	// Immutable makes the vault's recovery points immutable. Default: false.
	Immutable bool
	// CopyToSecondary sets retention policies on the geo-secondary too, so its backups (kept
	// in the secondary region) follow the same schedule after a failover. Default: false.
	CopyToSecondary bool
}

// Args configures a Backend. Zero values mean the documented default.
type Args struct {
	// PrimaryLocation is the active region; it must match the component's provider. Required.
	PrimaryLocation string
	// SecondaryLocation is the warm standby; "" deploys one region. Default: "".
	SecondaryLocation string
	// SecondaryProvider places the secondary region. Required with SecondaryLocation.
	SecondaryProvider pulumi.ProviderResource
	Web               Web
	Gateway           Gateway
	Database          Database
	CDN               CDN
	Queue             Queue
	Backup            Backup
	// AlertEmail receives alerts. Default: none.
	AlertEmail string
	// Domain is the public host name; the backend creates its Azure DNS zone (delegate the
	// name to the zone's name servers). Default: none.
	Domain string
	// Tags are added to every resource, over the caller's defaults.
	Tags map[string]string
}

var domainRE = regexp.MustCompile(`^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$`)

// validate checks what only the pattern knows; each component validates its own part.
func (a *Args) validate() error {
	switch {
	case a == nil:
		return fmt.Errorf("args are required: want PrimaryLocation and Database admin")
	case a.SecondaryLocation != "" && a.SecondaryProvider == nil:
		return fmt.Errorf("SecondaryProvider is required with SecondaryLocation %q", a.SecondaryLocation)
	case a.SecondaryLocation == "" && a.SecondaryProvider != nil:
		return fmt.Errorf("SecondaryProvider is set without SecondaryLocation: want both or neither")
	case a.SecondaryLocation != "" && a.SecondaryLocation == a.PrimaryLocation:
		return fmt.Errorf("SecondaryLocation %q is the primary location: want another location, or \"\" for one region", a.SecondaryLocation)
	case a.Database.GeoSecondary && a.SecondaryLocation == "":
		return fmt.Errorf("Database.GeoSecondary needs SecondaryLocation")
	case a.Backup.CopyToSecondary && !a.Database.GeoSecondary:
		return fmt.Errorf("Backup.CopyToSecondary needs Database.GeoSecondary: there is no database in the secondary region to keep backups of")
	case a.Domain != "" && !domainRE.MatchString(a.Domain):
		return fmt.Errorf("Domain %q is not a DNS name: want a host name such as app.example.com", a.Domain)
	case a.CDN.Enabled && a.gatewayKind() == gateway.KindAppGateway && a.Gateway.DisableWAF:
		return fmt.Errorf("Gateway.DisableWAF with the CDN enabled: the gateways admit only Front Door by a WAF custom rule on its X-Azure-FDID header: want the WAF on")
	}
	return nil
}

// Backend is the region pair's backend.
type Backend struct {
	pulumi.ResourceState

	// URL is the public URL (https:// unless HTTP-only dev mode without a CDN).
	URL pulumi.StringOutput `pulumi:"url"`
	// CDNHostName is the CDN endpoint's host name, "" without a CDN.
	CDNHostName pulumi.StringOutput `pulumi:"cdnHostName"`
	// GatewayFQDNs and GatewayIPs are the gateways' DNS names and addresses by role.
	GatewayFQDNs pulumi.StringMapOutput `pulumi:"gatewayFqdns"`
	GatewayIPs   pulumi.StringMapOutput `pulumi:"gatewayIps"`
	// SQLServerFQDNs are the SQL servers' DNS names by role (private endpoints resolve them).
	SQLServerFQDNs pulumi.StringMapOutput `pulumi:"sqlServerFqdns"`
	// DatabaseListener is the failover group's read-write listener (or the primary server).
	DatabaseListener pulumi.StringOutput `pulumi:"databaseListener"`
	// TrafficManagerFQDN is the failover profile's DNS name: "" in one region or with a CDN
	// (Front Door fails over between the gateways itself).
	TrafficManagerFQDN pulumi.StringOutput `pulumi:"trafficManagerFqdn"`
	// WebIdentities are the web tiers' managed identities by role: "name" (the display name
	// of a system-assigned identity is its scale set's name) and "principalId" (its object
	// ID), for the database users the Entra administrator creates (see Notes).
	WebIdentities pulumi.StringMapMapOutput `pulumi:"webIdentities"`
	// NameServers of the domain's zone, to delegate to; empty without a domain.
	NameServers pulumi.StringArrayOutput `pulumi:"nameServers"`
	// Queue describes the queue for its clients ("url", "poisonUrl", "accountName", "name",
	// "poisonQueue", "maxDequeueCount", "visibilityTimeoutSeconds", "messageTtlSeconds");
	// empty without it.
	Queue pulumi.StringMapOutput `pulumi:"queue"`
	// WorkerIdentity is the worker scale set's identity ("name", "principalId"); empty
	// without the queue.
	WorkerIdentity pulumi.StringMapOutput `pulumi:"workerIdentity"`
	// DashboardURL opens the Azure portal dashboard.
	DashboardURL pulumi.StringOutput `pulumi:"dashboardUrl"`

	// Notes says what was left out and why (single region, HTTP-only mode, ...).
	Notes []string
}

// role is one region's placement.
type role struct {
	key, location string
	provider      pulumi.ResourceOption // nil for the primary: inherited from the component
	addressSpace  string
}

// site is what one region's resources are wired from: outputs in New, placeholders in Check.
type site struct {
	rgName, rgID, gwSubnet, webSubnet, dataSubnet, vnet pulumi.StringInput
	gwPool, gwID, gwIP, gwFQDN                          pulumi.StringInput
	scaleSetID, autoscaleID                             pulumi.StringInput
	frontDoorID                                         pulumi.StringInput
	webMax                                              int
	webPrincipal                                        pulumi.StringInput
}

// placeholders stand in for outputs when Check validates without registering anything.
func placeholders() *site {
	p := pulumi.String("validate")
	return &site{p, p, p, p, p, p, p, p, p, p, p, p, nil, 3, p}
}

func (a *Args) roles() []role {
	roles := []role{{key: "primary", location: a.PrimaryLocation, addressSpace: "10.10.0.0/16"}}
	if a.SecondaryLocation != "" {
		var p pulumi.ResourceOption
		if a.SecondaryProvider != nil {
			p = pulumi.Provider(a.SecondaryProvider)
		}
		roles = append(roles, role{key: "secondary", location: a.SecondaryLocation, provider: p, addressSpace: "10.20.0.0/16"})
	}
	return roles
}

func (a *Args) gatewayKind() string {
	if a.Gateway.Kind == "" {
		return gateway.KindAppGateway
	}
	return a.Gateway.Kind
}

func (a *Args) https() bool { return a.Gateway.CertificateSecretID != "" }

// gatewayHost is the host the gateways' HTTPS listeners serve ("" in HTTP-only mode).
func (a *Args) gatewayHost() string {
	if a.https() {
		return a.Domain
	}
	return ""
}

func (a *Args) networkArgs(r role) *aznet.Args {
	return &aznet.Args{Location: r.location, AddressSpace: r.addressSpace, WebPort: a.Web.Port, Ingress: a.gatewayKind(),
		FrontDoorOnly: a.CDN.Enabled, Queue: a.Queue.Enabled && r.key == "primary", Tags: a.Tags}
}

// queueArgs places the queue in the primary region's data subnet; the primary web tier's
// identity may send to it.
func (a *Args) queueArgs(s *site) *queue.Args {
	return &queue.Args{
		Location: a.PrimaryLocation, ResourceGroupName: s.rgName, ResourceGroupID: s.rgID,
		DataSubnetID: s.dataSubnet, VNetID: s.vnet,
		MaxDequeueCount: a.Queue.MaxDequeueCount, RetentionDays: a.Queue.RetentionDays,
		VisibilityTimeoutSeconds: a.Queue.VisibilityTimeoutSeconds,
		Senders:                  map[string]pulumi.StringInput{"primary-web": s.webPrincipal},
		SubscriptionID:           a.Queue.SubscriptionID,
		Tags:                     a.Tags,
	}
}

// workerArgs places the workers in the primary region's web subnet (which reaches the queue's
// private endpoint), on the web tier's VM size and image.
func (a *Args) workerArgs(s *site, queueID, poisonID, metricURI pulumi.StringInput) *worker.Args {
	w := &worker.Args{
		Location: a.PrimaryLocation, ResourceGroupName: s.rgName, SubnetID: s.webSubnet,
		QueueID: queueID, PoisonQueueID: poisonID, MetricResourceURI: metricURI,
		MinSize: a.Queue.WorkersMinSize, MaxSize: a.Queue.WorkersMaxSize, BacklogPerWorker: a.Queue.BacklogPerWorker,
		VMSize: a.Web.VMSize, Image: a.Web.Image, SSHPublicKey: a.Web.SSHPublicKey, EncryptionAtHost: a.Web.EncryptionAtHost,
		SubscriptionID: a.Queue.SubscriptionID, Tags: a.Tags,
	}
	return w
}

// gatewayName is the name of a region's gateway component, which its FQDN derives from.
func gatewayName(name string, r role) string { return name + "-" + r.key + "-gw" }

func (a *Args) gatewayArgs(r role, s *site) *gateway.Args {
	g := &gateway.Args{
		Kind: a.gatewayKind(), Location: r.location,
		ResourceGroupName: s.rgName, ResourceGroupID: s.rgID, SubnetID: s.gwSubnet,
		BackendPort: a.Web.Port, HealthCheckPath: a.Web.HealthCheckPath,
		CertificateSecretID: a.Gateway.CertificateSecretID, IdentityID: a.Gateway.IdentityID, HostName: a.gatewayHost(),
		DisableWAF: a.Gateway.DisableWAF, MaxCapacity: a.Gateway.MaxCapacity, Tags: a.Tags,
	}
	if g.Kind == gateway.KindStandardLB {
		g.SubnetID = nil
	} else if a.CDN.Enabled {
		g.FrontDoorID = s.frontDoorID
		if g.FrontDoorID == nil {
			g.FrontDoorID = pulumi.String("validate")
		}
	}
	if a.Gateway.MaxCapacity > 0 {
		g.MinCapacity = 1
	}
	if r.key == "secondary" {
		// Warm standby: the gateway may scale to zero instances.
		g.MinCapacity = 0
		if g.MaxCapacity == 0 {
			g.MaxCapacity = 10
		}
	}
	return g
}

func (a *Args) webArgs(r role, s *site) *webtier.Args {
	w := &webtier.Args{
		Location: r.location, ResourceGroupName: s.rgName, SubnetID: s.webSubnet,
		VMSize: a.Web.VMSize, Image: a.Web.Image,
		MinSize: a.Web.MinSize, MaxSize: a.Web.MaxSize, DesiredSize: a.Web.DesiredSize,
		TargetCPUPercent: a.Web.TargetCPUPercent, RequestsPerInstance: a.Web.RequestsPerInstance,
		Port: a.Web.Port, HealthCheckPath: a.Web.HealthCheckPath, SSHPublicKey: a.Web.SSHPublicKey,
		EncryptionAtHost: a.Web.EncryptionAtHost, Tags: a.Tags,
	}
	if a.gatewayKind() == gateway.KindAppGateway {
		w.AppGatewayBackendPoolID, w.AppGatewayID = s.gwPool, s.gwID
	} else {
		w.LoadBalancerBackendPoolID = s.gwPool
	}
	if r.key == "primary" {
		w.Schedules = a.Web.Schedules
	} else {
		w.DesiredSize = a.Web.MinSize // warm standby: at its minimum
	}
	return w
}

func (a *Args) databaseArgs(primary, secondary *site) *database.Args {
	d := &database.Args{
		Primary:    database.Site{Location: a.PrimaryLocation, ResourceGroupName: primary.rgName, DataSubnetID: primary.dataSubnet, VNetID: primary.vnet},
		AdminLogin: a.Database.AdminLogin, AdminObjectID: a.Database.AdminObjectID,
		AdminPrincipalType: a.Database.AdminPrincipalType, TenantID: a.Database.TenantID,
		DatabaseName: a.Database.Name, SKUName: a.Database.SKUName, ZoneRedundant: a.Database.ZoneRedundant,
		ReadScale: a.Database.ReadScale, ReadReplicas: a.Database.ReadReplicas,
		BackupStorageRedundancy: a.Database.BackupStorageRedundancy, DeletionProtection: a.Database.DeletionProtection,
		Tags: a.Tags,
	}
	if a.Database.GeoSecondary && secondary != nil {
		d.Secondary = &database.Site{Location: a.SecondaryLocation, ResourceGroupName: secondary.rgName, DataSubnetID: secondary.dataSubnet, VNetID: secondary.vnet}
		d.SecondaryProvider = a.SecondaryProvider
	}
	return d
}

func (a *Args) failoverArgs(roles []role, sites map[string]*site) *failover.Args {
	protocol := "HTTP"
	if a.https() {
		protocol = "HTTPS"
	}
	var eps []failover.Endpoint
	for _, r := range roles {
		eps = append(eps, failover.Endpoint{Key: r.key, Target: sites[r.key].gwIP})
	}
	p := sites["primary"]
	return &failover.Args{
		ResourceGroupName: p.rgName, ResourceGroupID: p.rgID,
		Endpoints: eps, Protocol: protocol, Path: a.Web.HealthCheckPath, HostHeader: a.gatewayHost(), Tags: a.Tags,
	}
}

func (a *Args) cdnArgs(roles []role, sites map[string]*site) *cdn.Args {
	var origins []cdn.Origin
	for _, r := range roles {
		origins = append(origins, cdn.Origin{Key: r.key, HostName: sites[r.key].gwFQDN})
	}
	return &cdn.Args{
		Kind: a.CDN.Kind, SKU: a.CDN.SKU, ResourceGroupName: sites["primary"].rgName,
		Origins: origins, OriginHTTPS: a.https(), OriginHostHeader: a.gatewayHost(),
		HealthProbePath: a.Web.HealthCheckPath, CustomDomain: a.Domain, Tags: a.Tags,
	}
}

func (a *Args) backupArgs(sites map[string]*site, serverName, secondaryServerName, dbName pulumi.StringInput) *backup.Args {
	dbs := []backup.Database{{Key: "primary", ResourceGroupName: sites["primary"].rgName, ServerName: serverName, DatabaseName: dbName}}
	if a.Backup.CopyToSecondary {
		dbs = append(dbs, backup.Database{Key: "secondary", ResourceGroupName: sites["secondary"].rgName,
			ServerName: secondaryServerName, DatabaseName: dbName, Provider: a.SecondaryProvider})
	}
	return &backup.Args{
		Location: a.PrimaryLocation, ResourceGroupName: sites["primary"].rgName,
		DailyAt: a.Backup.DailyAt, RetentionDays: a.Backup.RetentionDays, WeeklyRetentionDays: a.Backup.WeeklyRetentionDays,
		SQLRetentionDays: a.Backup.SQLRetentionDays, Immutable: a.Backup.Immutable, Databases: dbs, Tags: a.Tags,
	}
}

// queueWatch is what the monitoring of the queue tier watches (all nil without the queue).
type queueWatch struct {
	serviceID, workerAutoscaleID pulumi.StringInput
	workerMax                    int
	// frontDoorProfileID is the Front Door profile the dashboard charts (nil without a CDN).
	frontDoorProfileID pulumi.StringInput
}

func (a *Args) monitoringArgs(roles []role, sites map[string]*site, dbID, geoID pulumi.StringInput, hyperscale bool, q queueWatch) *monitoring.Args {
	var targets []monitoring.Target
	for _, r := range roles {
		s := sites[r.key]
		t := monitoring.Target{Key: r.key, GatewayID: s.gwID, GatewayKind: a.gatewayKind(), ScaleSetID: s.scaleSetID,
			AutoscaleSettingID: s.autoscaleID, MaxSize: s.webMax, DatabaseHyperscale: hyperscale}
		if r.key == "primary" {
			t.DatabaseID = dbID
			t.FrontDoorID = q.frontDoorProfileID
			if q.serviceID != nil {
				// Alert when the queued messages exceed what the workers at their maximum
				// keep as their target backlog.
				t.QueueServiceID, t.QueueBacklogThreshold = q.serviceID, q.workerMax*a.backlogPerWorker()
				t.WorkerAutoscaleSettingID, t.WorkerMaxSize = q.workerAutoscaleID, q.workerMax
			}
		} else if a.Database.GeoSecondary {
			t.DatabaseID = geoID
		}
		targets = append(targets, t)
	}
	return &monitoring.Args{ResourceGroupName: sites["primary"].rgName, Email: a.AlertEmail, Targets: targets,
		DashboardLocation: a.PrimaryLocation, Tags: a.Tags}
}

// backlogPerWorker is the workers' backlog target (worker.Args' default when unset).
func (a *Args) backlogPerWorker() int {
	if a.Queue.BacklogPerWorker == 0 {
		return 100
	}
	return a.Queue.BacklogPerWorker
}

// trafficManager reports whether Traffic Manager fails over between the regions: with two
// regions and no CDN (Front Door's origin group fails over itself, and the gateways admit only
// Front Door, so a Traffic Manager name would lead nowhere).
func (a *Args) trafficManager() bool { return a.SecondaryLocation != "" && !a.CDN.Enabled }

// Check validates everything New would, registering nothing: the pattern's own rules and
// every component's arguments as the backend would pass them. The stacks call it before
// creating providers, so a bad value fails before anything is registered.
func (a *Args) Check() error {
	if err := a.validate(); err != nil {
		return err
	}
	roles, sites := a.roles(), map[string]*site{}
	for _, r := range roles {
		sites[r.key] = placeholders()
		if err := a.networkArgs(r).Validate(); err != nil {
			return fmt.Errorf("network %s: %w", r.key, err)
		}
		if err := a.gatewayArgs(r, sites[r.key]).Validate(); err != nil {
			return fmt.Errorf("gateway %s: %w", r.key, err)
		}
		if err := a.webArgs(r, sites[r.key]).Validate(); err != nil {
			return fmt.Errorf("web tier %s: %w", r.key, err)
		}
	}
	p := pulumi.String("validate")
	if err := a.databaseArgs(sites["primary"], sites["secondary"]).Validate(); err != nil {
		return fmt.Errorf("database: %w", err)
	}
	if a.trafficManager() {
		if err := a.failoverArgs(roles, sites).Validate(); err != nil {
			return fmt.Errorf("failover: %w", err)
		}
	}
	if a.CDN.Enabled {
		if err := a.cdnArgs(roles, sites).Validate(); err != nil {
			return fmt.Errorf("cdn: %w", err)
		}
	}
	if err := a.backupArgs(sites, p, p, p).Validate(); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	var q queueWatch
	if a.Queue.Enabled {
		if err := a.queueArgs(sites["primary"]).Validate(); err != nil {
			return fmt.Errorf("queue: %w", err)
		}
		w := a.workerArgs(sites["primary"], p, p, p)
		if err := w.Validate(); err != nil {
			return fmt.Errorf("workers: %w", err)
		}
		q = queueWatch{serviceID: p, workerAutoscaleID: p, workerMax: max(w.MaxSize, 1)}
	}
	if err := a.monitoringArgs(roles, sites, p, p, false, q).Validate(); err != nil {
		return fmt.Errorf("monitoring: %w", err)
	}
	return nil
}

// New validates args and registers the backend.
func New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*Backend, error) {
	if err := args.Check(); err != nil {
		return nil, fmt.Errorf("backend %q: %w", name, err)
	}
	a := *args
	b := &Backend{}
	b.Notes = notes(&a)
	if err := ctx.RegisterComponentResource(typeToken, name, b, opts...); err != nil {
		return nil, err
	}
	parent := pulumi.Parent(b)
	roles := a.roles()
	sites := map[string]*site{}
	nets := map[string]pulumi.Resource{}
	inRegion := func(r role) []pulumi.ResourceOption {
		o := []pulumi.ResourceOption{parent}
		if r.provider != nil {
			o = append(o, r.provider)
		}
		return o
	}
	for _, r := range roles {
		n, err := aznet.New(ctx, name+"-"+r.key, a.networkArgs(r), inRegion(r)...)
		if err != nil {
			return nil, err
		}
		nets[r.key] = n
		sites[r.key] = &site{rgName: n.ResourceGroupName, rgID: n.ResourceGroupID, gwSubnet: n.GatewaySubnetID,
			webSubnet: n.WebSubnetID, dataSubnet: n.DataSubnetID, vnet: n.VNetID,
			gwFQDN: gateway.FQDN(gatewayName(name, r), r.location, n.ResourceGroupID)}
	}
	primary := sites["primary"]

	// Front Door before the gateways: their WAF admits only its profile's ID. Its origins are
	// the gateways' names, known from the resource groups before the gateways exist.
	b.CDNHostName = pulumi.String("").ToStringOutput()
	var edge *cdn.CDN
	if a.CDN.Enabled {
		var err error
		if edge, err = cdn.New(ctx, name+"-edge", a.cdnArgs(roles, sites), parent); err != nil {
			return nil, err
		}
		b.CDNHostName = edge.HostName
	}

	gws := map[string]*gateway.Gateway{}
	webs := map[string]*webtier.WebTier{}
	for _, r := range roles {
		s := sites[r.key]
		if edge != nil {
			s.frontDoorID = edge.FrontDoorID
		}
		gw, err := gateway.New(ctx, gatewayName(name, r), a.gatewayArgs(r, s), inRegion(r)...)
		if err != nil {
			return nil, err
		}
		s.gwPool, s.gwID, s.gwIP = gw.BackendPoolID, gw.ID, gw.PublicIP
		web, err := webtier.New(ctx, name+"-"+r.key+"-web", a.webArgs(r, s), inRegion(r)...)
		if err != nil {
			return nil, err
		}
		s.scaleSetID, s.autoscaleID, s.webMax, s.webPrincipal = web.ScaleSetID, web.AutoscaleSettingID, web.MaxSize, web.PrincipalID
		gws[r.key], webs[r.key] = gw, web
	}

	// The asynchronous tier, in the primary region (the component's own provider).
	var jobs *queue.Queue
	var workers *worker.Worker
	var watch queueWatch
	b.Queue = pulumi.StringMap{}.ToStringMapOutput()
	b.WorkerIdentity = pulumi.StringMap{}.ToStringMapOutput()
	if a.Queue.Enabled {
		var err error
		if jobs, err = queue.New(ctx, name+"-queue", a.queueArgs(primary), parent); err != nil {
			return nil, err
		}
		if workers, err = worker.New(ctx, name+"-worker", a.workerArgs(primary, jobs.QueueID, jobs.PoisonQueueID, jobs.MetricResourceURI), parent); err != nil {
			return nil, err
		}
		watch = queueWatch{serviceID: jobs.QueueServiceID, workerAutoscaleID: workers.AutoscaleSettingID, workerMax: workers.MaxSize}
		b.Queue = pulumi.StringMap{
			"url": jobs.QueueURL, "poisonUrl": jobs.PoisonQueueURL, "accountName": jobs.AccountName,
			"name": pulumi.String(jobs.Name), "poisonQueue": pulumi.String(jobs.PoisonName),
			"maxDequeueCount":          pulumi.String(fmt.Sprint(jobs.MaxDequeueCount)),
			"visibilityTimeoutSeconds": pulumi.String(fmt.Sprint(jobs.VisibilityTimeoutSeconds)),
			"messageTtlSeconds":        pulumi.String(fmt.Sprint(jobs.RetentionDays * 86400)),
		}.ToStringMapOutput()
		b.WorkerIdentity = pulumi.StringMap{"name": workers.ScaleSetName, "principalId": workers.PrincipalID}.ToStringMapOutput()
	}

	db, err := database.New(ctx, name+"-db", a.databaseArgs(primary, sites["secondary"]), parent)
	if err != nil {
		return nil, err
	}

	b.TrafficManagerFQDN = pulumi.String("").ToStringOutput()
	var tm *failover.Failover
	if a.trafficManager() {
		if tm, err = failover.New(ctx, name+"-tm", a.failoverArgs(roles, sites), parent); err != nil {
			return nil, err
		}
		b.TrafficManagerFQDN = tm.FQDN
	}

	if _, err := backup.New(ctx, name+"-backup", a.backupArgs(sites, db.PrimaryServerName, db.SecondaryServerName, db.DatabaseName), parent); err != nil {
		return nil, err
	}

	if edge != nil {
		watch.frontDoorProfileID = edge.ProfileID
	}
	mon, err := monitoring.New(ctx, name+"-monitoring", a.monitoringArgs(roles, sites, db.DatabaseID, db.SecondaryDatabaseID, db.Hyperscale, watch), parent)
	if err != nil {
		return nil, err
	}
	b.DashboardURL = mon.DashboardURL

	// DNS: the zone of the domain, its apex aliased to what serves it.
	b.NameServers = pulumi.StringArray{}.ToStringArrayOutput()
	if a.Domain != "" {
		zone, err := network.NewZone(ctx, name+"-dns", &network.ZoneArgs{
			ResourceGroupName: primary.rgName,
			ZoneName:          pulumi.String(a.Domain),
			Location:          pulumi.String("global"),
			ZoneType:          network.ZoneTypePublic,
			Tags:              azureregions.Tags(providers.Tags(a.Tags)),
		}, parent, pulumi.Protect(a.Database.DeletionProtection))
		if err != nil {
			return nil, fmt.Errorf("creating DNS zone: %w", err)
		}
		target := gws["primary"].PublicIPID
		switch {
		case edge != nil:
			target = edge.EndpointID
		case tm != nil:
			target = tm.ProfileID
		}
		if _, err := network.NewRecordSet(ctx, name+"-dns-apex", &network.RecordSetArgs{
			ResourceGroupName: primary.rgName, ZoneName: zone.Name,
			RelativeRecordSetName: pulumi.String("@"), RecordType: pulumi.String("A"), Ttl: pulumi.Float64(60),
			TargetResource: &network.SubResourceArgs{Id: target},
		}, parent); err != nil {
			return nil, fmt.Errorf("creating apex alias record: %w", err)
		}
		if edge != nil {
			if _, err := network.NewRecordSet(ctx, name+"-dns-validation", &network.RecordSetArgs{
				ResourceGroupName: primary.rgName, ZoneName: zone.Name,
				RelativeRecordSetName: pulumi.String("_dnsauth"), RecordType: pulumi.String("TXT"), Ttl: pulumi.Float64(3600),
				TxtRecords: network.TxtRecordArray{&network.TxtRecordArgs{Value: pulumi.StringArray{edge.ValidationToken}}},
			}, parent); err != nil {
				return nil, fmt.Errorf("creating domain validation record: %w", err)
			}
		}
		b.NameServers = zone.NameServers
	}

	// Outputs.
	fqdns, ips, sqls := pulumi.StringMap{}, pulumi.StringMap{}, pulumi.StringMap{"primary": db.PrimaryServerFQDN}
	identities := pulumi.StringMapMap{}
	for _, r := range roles {
		fqdns[r.key], ips[r.key] = gws[r.key].FQDN, gws[r.key].PublicIP
		identities[r.key] = pulumi.StringMap{"name": webs[r.key].ScaleSetName, "principalId": webs[r.key].PrincipalID}
	}
	if a.Database.GeoSecondary {
		sqls["secondary"] = db.SecondaryServerFQDN
	}
	b.GatewayFQDNs, b.GatewayIPs, b.SQLServerFQDNs = fqdns.ToStringMapOutput(), ips.ToStringMapOutput(), sqls.ToStringMapOutput()
	b.WebIdentities = identities.ToStringMapMapOutput()
	b.DatabaseListener = db.Listener
	switch {
	case edge != nil && a.Domain != "":
		b.URL = pulumi.Sprintf("https://%s/", a.Domain)
	case edge != nil:
		b.URL = pulumi.Sprintf("https://%s/", edge.HostName)
	default:
		scheme := map[bool]string{true: "https", false: "http"}[a.https()]
		host := gws["primary"].FQDN
		if a.Domain != "" {
			host = pulumi.String(a.Domain).ToStringOutput()
		} else if tm != nil {
			host = tm.FQDN
		}
		b.URL = pulumi.Sprintf("%s://%s/", scheme, host)
	}
	outputs := pulumi.Map{
		"url": b.URL, "cdnHostName": b.CDNHostName, "gatewayFqdns": b.GatewayFQDNs, "gatewayIps": b.GatewayIPs,
		"sqlServerFqdns": b.SQLServerFQDNs, "databaseListener": b.DatabaseListener,
		"trafficManagerFqdn": b.TrafficManagerFQDN, "nameServers": b.NameServers, "webIdentities": b.WebIdentities,
		"queue": b.Queue, "workerIdentity": b.WorkerIdentity, "dashboardUrl": b.DashboardURL,
		"notes": pulumi.ToStringArray(b.Notes),
	}
	var tier *asyncTier
	if jobs != nil {
		tier = &asyncTier{queue: jobs, workers: workers}
	}
	if err := flows.Declare(ctx, b, outputs, declaredFlows(name, a, roles, nets, resources(webs), db, tier)...); err != nil {
		return nil, err
	}
	return b, ctx.RegisterResourceOutputs(b, outputs)
}

// notes lists what the backend leaves out, and why.
func notes(a *Args) []string {
	var out []string
	if a.SecondaryLocation == "" {
		out = append(out, "single region: no secondary location, so no standby web tier or gateway, no regional failover, no SQL geo-secondary or failover group, no secondary backups")
	} else if !a.Database.GeoSecondary {
		out = append(out, "no SQL geo-secondary or failover group: the database lives in the primary region only")
	}
	if a.Gateway.CertificateSecretID == "" {
		out = append(out, "HTTP-only gateways: no certificate secret ID is configured, so the gateways serve plain HTTP (the policy pack flags this)")
	}
	switch {
	case !a.CDN.Enabled:
		out = append(out, "no CDN: the gateways are the public entry: their public IPs accept 80/443 from the whole Internet, guarded only by the gateway WAF (no edge WAF, rate limit or cache)")
	case a.gatewayKind() == gateway.KindStandardLB:
		out = append(out, "CDN with a Standard Load Balancer: the web port admits only the AzureFrontDoor.Backend service tag, but a layer-4 load balancer cannot check the X-Azure-FDID header, so any Front Door profile (any customer's) can reach it: use the Application Gateway to admit only this profile")
	}
	out = append(out, "database users: ARM cannot create the web tier's contained database users (T-SQL CREATE USER ... FROM EXTERNAL PROVIDER run by the Entra administrator): after the first up, create one per identity in the webIdentities output with sqlcmd, as docs/operations.md (\"Grant the web tier its database user\") shows; the geo-secondary and replicas inherit them")
	if a.Domain == "" {
		out = append(out, "no domain: no DNS zone; the backend is reached on Azure-provided names")
	}
	out = append(out, "no cache: this build serves no Azure Cache for Redis module (azure-native cache or redisenterprise), so scalestack:cache.enabled is refused on Azure; run a cache outside scalestack and reach it from the web subnet")
	if a.Queue.Enabled {
		if a.SecondaryLocation != "" {
			out = append(out, "queue and workers in the primary region only: the secondary is a warm standby whose network has no route to the queue's private endpoint; after a regional failover the asynchronous tier waits for the primary region (the account is zone-redundant, so a zone loss does not stop it)")
		}
		out = append(out, "poison queue: Storage queues have no dead-letter queue: workers move a message whose DequeueCount exceeds maxDequeueCount to the poison queue (the queue's metadata and the queue output carry the contract); its length and the oldest message's age are not Azure Monitor metrics, so no alert watches them: the worker must report them")
	}
	if a.AlertEmail == "" {
		out = append(out, "no alert email: alerts go to an action group without receivers")
	}
	return out
}

// resources widens a map of components to the resources a flow declaration refers to.
func resources[T pulumi.Resource](m map[string]T) map[string]pulumi.Resource {
	out := make(map[string]pulumi.Resource, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}
