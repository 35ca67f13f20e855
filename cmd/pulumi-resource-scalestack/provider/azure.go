package provider

import (
	azure "github.com/pulumi/pulumi-azure-native-sdk/v2"
	"github.com/pulumi/pulumi-go-provider/infer"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/scalestack/scalestack/components/azure/backend"
	"github.com/scalestack/scalestack/components/azure/cdn"
	"github.com/scalestack/scalestack/components/azure/gateway"
	"github.com/scalestack/scalestack/components/azure/webtier"
)

// AzureBackendArgs are the inputs of scalestack:azure:Backend, one to one with backend.Args
// (components/azure/backend). The primary location is placed by the azure-native provider in
// the component's `providers` resource option (children inherit it); the secondary by
// secondaryProvider.
type AzureBackendArgs struct {
	PrimaryLocation   string            `pulumi:"primaryLocation"`
	SecondaryLocation string            `pulumi:"secondaryLocation,optional"`
	SecondaryProvider *azure.Provider   `pulumi:"secondaryProvider,optional" provider:"type=azure-native@2.90.0:index:Provider"`
	Web               *AzureWeb         `pulumi:"web,optional"`
	Gateway           *AzureGateway     `pulumi:"gateway,optional"`
	Database          AzureDatabase     `pulumi:"database"`
	CDN               *AzureCDN         `pulumi:"cdn,optional"`
	Queue             *AzureQueue       `pulumi:"queue,optional"`
	Backup            *AzureBackup      `pulumi:"backup,optional"`
	AlertEmail        string            `pulumi:"alertEmail,optional"`
	Domain            string            `pulumi:"domain,optional"`
	Tags              map[string]string `pulumi:"tags,optional"`
}

// Annotate documents the inputs in the schema.
func (a *AzureBackendArgs) Annotate(an infer.Annotator) {
	an.Describe(&a.PrimaryLocation, "The active region (\"eastus2\"); it must match the azure-native provider of the component's `providers` option. Required.")
	an.Describe(&a.SecondaryLocation, "The warm-standby region; empty deploys one region. Default: \"\".")
	an.Describe(&a.SecondaryProvider, "The azure-native provider that places the secondary region. Required with `secondaryLocation`.")
	an.Describe(&a.Web, "The web tier of both regions.")
	an.Describe(&a.Gateway, "The gateways (Application Gateway v2 with WAF, or a Standard Load Balancer).")
	an.Describe(&a.Database, "The Azure SQL tier (Entra-only authentication). Required: its administrator.")
	an.Describe(&a.CDN, "The CDN in front of the gateways.")
	an.Describe(&a.Queue, "A Storage queue with a poison queue and a worker scale set in the primary region. Default: off. (There is no cache input: this build serves no Azure Cache for Redis module, so the Azure backend has no cache; the `notes` output says so.)")
	an.Describe(&a.Backup, "Backups: a Recovery Services vault with VM and SQL retention policies.")
	an.Describe(&a.AlertEmail, "Receives alerts. Default: none.")
	an.Describe(&a.Domain, "The public host name; the backend creates its Azure DNS zone (delegate the name to the `nameServers` output). Default: none.")
	an.Describe(&a.Tags, "Added to every resource, over the caller's defaults.")
}

// AzureWeb configures the web tier of both regions.
type AzureWeb struct {
	VMSize              string             `pulumi:"vmSize,optional"`
	Image               *AzureImage        `pulumi:"image,optional"`
	MinSize             int                `pulumi:"minSize,optional"`
	MaxSize             int                `pulumi:"maxSize,optional"`
	DesiredSize         int                `pulumi:"desiredSize,optional"`
	TargetCPUPercent    int                `pulumi:"targetCpuPercent,optional"`
	RequestsPerInstance int                `pulumi:"requestsPerInstance,optional"`
	Schedules           []AzureWebSchedule `pulumi:"schedules,optional"`
	Port                int                `pulumi:"port,optional"`
	HealthCheckPath     string             `pulumi:"healthCheckPath,optional"`
	SSHPublicKey        string             `pulumi:"sshPublicKey,optional"`
	EncryptionAtHost    bool               `pulumi:"encryptionAtHost,optional"`
}

// Annotate documents the web tier type in the schema.
func (w *AzureWeb) Annotate(an infer.Annotator) {
	an.SetToken("azure", "BackendWeb")
	an.Describe(w, "The web tier of a scalestack:azure:Backend: a zonal VM scale set per region with autoscale rules.")
	an.Describe(&w.VMSize, "The instance size. Default: Standard_B2s.")
	an.Describe(&w.Image, "The boot image. Default: Ubuntu Server 24.04 LTS (Canonical ubuntu-24_04-lts server latest).")
	an.Describe(&w.MinSize, "The fewest instances; the secondary runs at it. Default: 1. Allowed: 0-1000.")
	an.Describe(&w.MaxSize, "The most instances. Default: max(3, minSize). Allowed: minSize-1000.")
	an.Describe(&w.DesiredSize, "The primary's starting capacity. Default: minSize.")
	an.Describe(&w.TargetCPUPercent, "The average CPU the autoscale rules hold. Default: 55. Allowed: 10-90.")
	an.Describe(&w.RequestsPerInstance, "Requests per healthy instance above which the tier scales out (Application Gateway only). Default: 1000.")
	an.Describe(&w.Schedules, "Weekly capacity changes of the primary region. Default: none.")
	an.Describe(&w.Port, "The HTTP port the instances serve on. Default: 8080.")
	an.Describe(&w.HealthCheckPath, "Probed by the gateways and Traffic Manager. Default: /healthz.")
	an.Describe(&w.SSHPublicKey, "The admin's SSH public key. Default: none (no SSH login).")
	an.Describe(&w.EncryptionAtHost, "Encrypt temp disks and caches at the host (the subscription must enable the feature). Default: false.")
}

// AzureImage is a marketplace image.
type AzureImage struct {
	Publisher string `pulumi:"publisher"`
	Offer     string `pulumi:"offer"`
	SKU       string `pulumi:"sku"`
	Version   string `pulumi:"version"`
}

// Annotate documents the image type in the schema.
func (i *AzureImage) Annotate(an infer.Annotator) {
	an.SetToken("azure", "Image")
	an.Describe(i, "A marketplace image reference.")
	an.Describe(&i.Publisher, "The publisher (\"Canonical\").")
	an.Describe(&i.Offer, "The offer (\"ubuntu-24_04-lts\").")
	an.Describe(&i.SKU, "The SKU (\"server\").")
	an.Describe(&i.Version, "The version (\"latest\").")
}

// AzureWebSchedule is a weekly capacity change (webtier.Schedule).
type AzureWebSchedule struct {
	Name        string   `pulumi:"name"`
	Days        []string `pulumi:"days"`
	Hour        int      `pulumi:"hour"`
	Minute      int      `pulumi:"minute,optional"`
	MinSize     int      `pulumi:"minSize"`
	DesiredSize int      `pulumi:"desiredSize"`
	MaxSize     int      `pulumi:"maxSize"`
}

// Annotate documents the schedule type in the schema.
func (s *AzureWebSchedule) Annotate(an infer.Annotator) {
	an.SetToken("azure", "WebSchedule")
	an.Describe(s, "A weekly capacity change: from days at hour:minute (UTC) until the next schedule starts.")
	an.Describe(&s.Name, "Identifies the schedule (an autoscale profile name). Required, unique.")
	an.Describe(&s.Days, "The weekdays (\"Monday\" ... \"Sunday\"). Required.")
	an.Describe(&s.Hour, "The hour, 0-23 UTC.")
	an.Describe(&s.Minute, "The minute, 0-59. Default: 0.")
	an.Describe(&s.MinSize, "The minimum. Allowed: 0 <= minSize <= desiredSize <= maxSize.")
	an.Describe(&s.DesiredSize, "The starting capacity.")
	an.Describe(&s.MaxSize, "The maximum.")
}

// GatewayKind is the kind of a region's gateway.
type GatewayKind string

// Values lists the gateway kinds (gateway.KindAppGateway, gateway.KindStandardLB).
func (GatewayKind) Values() []infer.EnumValue[GatewayKind] {
	return []infer.EnumValue[GatewayKind]{
		{Name: "AppGateway", Value: gateway.KindAppGateway, Description: "Application Gateway v2 with a WAF policy (default)."},
		{Name: "Standard", Value: gateway.KindStandardLB, Description: "A Standard Load Balancer (layer 4, no WAF)."},
	}
}

// Annotate names the enum in the schema.
func (k *GatewayKind) Annotate(an infer.Annotator) { an.SetToken("azure", "GatewayKind") }

// AzureGateway configures the gateways.
type AzureGateway struct {
	Kind                *GatewayKind `pulumi:"kind,optional"`
	CertificateSecretID string       `pulumi:"certificateSecretId,optional"`
	IdentityID          string       `pulumi:"identityId,optional"`
	DisableWAF          bool         `pulumi:"disableWaf,optional"`
	MaxCapacity         int          `pulumi:"maxCapacity,optional"`
}

// Annotate documents the gateway type in the schema.
func (g *AzureGateway) Annotate(an infer.Annotator) {
	an.SetToken("azure", "BackendGateway")
	an.Describe(g, "The gateways of a scalestack:azure:Backend.")
	an.Describe(&g.Kind, "The gateway kind. Default: appgateway.")
	an.Describe(&g.CertificateSecretID, "A Key Vault certificate secret ID for HTTPS on the Application Gateways (with identityId). Default: HTTP only.")
	an.Describe(&g.IdentityID, "The user-assigned identity that reads certificateSecretId.")
	an.Describe(&g.DisableWAF, "Turn the WAF policy off. Default: false.")
	an.Describe(&g.MaxCapacity, "The most instances of each gateway. Default: 10.")
}

// PrincipalType is the kind of the SQL administrator.
type PrincipalType string

// Values lists the Entra principal types.
func (PrincipalType) Values() []infer.EnumValue[PrincipalType] {
	return []infer.EnumValue[PrincipalType]{
		{Name: "Group", Value: "Group", Description: "An Entra group (default)."},
		{Name: "User", Value: "User", Description: "An Entra user."},
		{Name: "Application", Value: "Application", Description: "An application (service principal)."},
	}
}

// Annotate names the enum in the schema.
func (k *PrincipalType) Annotate(an infer.Annotator) { an.SetToken("azure", "PrincipalType") }

// BackupStorageRedundancy is where Azure SQL keeps its backups.
type BackupStorageRedundancy string

// Values lists the backup storage redundancies.
func (BackupStorageRedundancy) Values() []infer.EnumValue[BackupStorageRedundancy] {
	return []infer.EnumValue[BackupStorageRedundancy]{
		{Name: "Geo", Value: "Geo", Description: "Geo-redundant storage."},
		{Name: "GeoZone", Value: "GeoZone", Description: "Geo-zone-redundant storage."},
		{Name: "Zone", Value: "Zone", Description: "Zone-redundant storage."},
		{Name: "Local", Value: "Local", Description: "Locally redundant storage."},
	}
}

// Annotate names the enum in the schema.
func (k *BackupStorageRedundancy) Annotate(an infer.Annotator) {
	an.SetToken("azure", "BackupStorageRedundancy")
}

// AzureDatabase configures the SQL tier.
type AzureDatabase struct {
	AdminLogin              string                   `pulumi:"adminLogin"`
	AdminObjectID           string                   `pulumi:"adminObjectId"`
	AdminPrincipalType      *PrincipalType           `pulumi:"adminPrincipalType,optional"`
	TenantID                string                   `pulumi:"tenantId,optional"`
	Name                    string                   `pulumi:"name,optional"`
	SKUName                 string                   `pulumi:"skuName,optional"`
	BackupStorageRedundancy *BackupStorageRedundancy `pulumi:"backupStorageRedundancy,optional"`
	ZoneRedundant           bool                     `pulumi:"zoneRedundant,optional"`
	ReadScale               bool                     `pulumi:"readScale,optional"`
	DeletionProtection      bool                     `pulumi:"deletionProtection,optional"`
	ReadReplicas            int                      `pulumi:"readReplicas,optional"`
	GeoSecondary            bool                     `pulumi:"geoSecondary,optional"`
}

// Annotate documents the database type in the schema.
func (d *AzureDatabase) Annotate(an infer.Annotator) {
	an.SetToken("azure", "BackendDatabase")
	an.Describe(d, "The Azure SQL database of a scalestack:azure:Backend: Entra-only authentication, private endpoints, auditing.")
	an.Describe(&d.AdminLogin, "The display name of the Entra administrator (a group, by default). Required.")
	an.Describe(&d.AdminObjectID, "The administrator's Entra object ID (a GUID). Required.")
	an.Describe(&d.AdminPrincipalType, "The administrator's kind. Default: Group.")
	an.Describe(&d.TenantID, "The administrator's Entra tenant. Default: the subscription's tenant.")
	an.Describe(&d.Name, "The application database. Default: app.")
	an.Describe(&d.SKUName, "The database SKU. Default: HS_Gen5_2 (Hyperscale, 2 vCores).")
	an.Describe(&d.BackupStorageRedundancy, "Where backups are kept. Default: GeoZone for a zone-redundant Hyperscale database, else Geo.")
	an.Describe(&d.ZoneRedundant, "Spread the database over availability zones. Default: false.")
	an.Describe(&d.ReadScale, "Route read-only connections to a readable HA replica. Default: false.")
	an.Describe(&d.DeletionProtection, "Protect the servers and databases (pulumi protect). Default: false.")
	an.Describe(&d.ReadReplicas, "In-region Hyperscale named replicas. Default: 0. Allowed: 0-5.")
	an.Describe(&d.GeoSecondary, "Add a geo-secondary and a failover group in the secondary location. Needs `secondaryLocation`. Default: false.")
}

// CDNKind is the kind of Azure CDN.
type CDNKind string

// Values lists the CDN kinds (cdn.KindFrontDoor, cdn.KindClassic).
func (CDNKind) Values() []infer.EnumValue[CDNKind] {
	return []infer.EnumValue[CDNKind]{
		{Name: "FrontDoor", Value: cdn.KindFrontDoor, Description: "Azure Front Door Standard/Premium with a WAF (default)."},
		{Name: "Classic", Value: cdn.KindClassic, Description: "A classic CDN profile and endpoint (Standard_Microsoft)."},
	}
}

// Annotate names the enum in the schema.
func (k *CDNKind) Annotate(an infer.Annotator) { an.SetToken("azure", "CdnKind") }

// FrontDoorSKU is the Front Door tier.
type FrontDoorSKU string

// Values lists the Front Door tiers.
func (FrontDoorSKU) Values() []infer.EnumValue[FrontDoorSKU] {
	return []infer.EnumValue[FrontDoorSKU]{
		{Name: "Standard", Value: "Standard_AzureFrontDoor", Description: "Front Door Standard (default)."},
		{Name: "Premium", Value: "Premium_AzureFrontDoor", Description: "Front Door Premium (managed WAF rule sets, Private Link origins)."},
	}
}

// Annotate names the enum in the schema.
func (k *FrontDoorSKU) Annotate(an infer.Annotator) { an.SetToken("azure", "FrontDoorSku") }

// AzureCDN configures the CDN.
type AzureCDN struct {
	Enabled bool          `pulumi:"enabled,optional"`
	Kind    *CDNKind      `pulumi:"kind,optional"`
	SKU     *FrontDoorSKU `pulumi:"sku,optional"`
}

// Annotate documents the CDN type in the schema.
func (c *AzureCDN) Annotate(an infer.Annotator) {
	an.SetToken("azure", "BackendCdn")
	an.Describe(c, "The CDN of a scalestack:azure:Backend.")
	an.Describe(&c.Enabled, "Put a CDN in front of the gateways. Default: false.")
	an.Describe(&c.Kind, "The CDN kind. Default: frontdoor.")
	an.Describe(&c.SKU, "The Front Door tier. Default: Standard_AzureFrontDoor.")
}

// AzureQueue configures the Backend's queue and workers (backend.Queue).
type AzureQueue struct {
	Enabled                  bool   `pulumi:"enabled,optional"`
	MaxDequeueCount          int    `pulumi:"maxDequeueCount,optional"`
	RetentionDays            int    `pulumi:"retentionDays,optional"`
	VisibilityTimeoutSeconds int    `pulumi:"visibilityTimeoutSeconds,optional"`
	WorkersMinSize           int    `pulumi:"workersMinSize,optional"`
	WorkersMaxSize           int    `pulumi:"workersMaxSize,optional"`
	BacklogPerWorker         int    `pulumi:"backlogPerWorker,optional"`
	SubscriptionID           string `pulumi:"subscriptionId,optional"`
}

// Annotate documents the queue type in the schema.
func (q *AzureQueue) Annotate(an infer.Annotator) {
	an.SetToken("azure", "BackendQueue")
	an.Describe(q, "The asynchronous tier of a scalestack:azure:Backend: a Storage queue and its poison queue behind a private endpoint in the primary region's data subnet, and a worker scale set autoscaled on the queue's message count, with least-privilege role assignments.")
	an.Describe(&q.Enabled, "Add the queue, its poison queue and the workers in the primary region. Default: false.")
	an.Describe(&q.MaxDequeueCount, "Deliveries after which a worker moves a message to the poison queue. Default: 5. Allowed: 1-100.")
	an.Describe(&q.RetentionDays, "The message time-to-live senders set, in days. Default: 4. Allowed: 1-7.")
	an.Describe(&q.VisibilityTimeoutSeconds, "The visibility timeout workers receive with. Default: 120. Allowed: 1-43200.")
	an.Describe(&q.WorkersMinSize, "The fewest workers. Default: 1.")
	an.Describe(&q.WorkersMaxSize, "The most workers. Default: max(3, workersMinSize).")
	an.Describe(&q.BacklogPerWorker, "The queued messages per worker the autoscaler keeps. Default: 100.")
	an.Describe(&q.SubscriptionID, "The subscription of the role definitions, so a preview shows which role each assignment grants. Default: \"\" (read at apply). Allowed: a GUID or \"\".")
}

// AzureBackup configures backups.
type AzureBackup struct {
	DailyAt             string `pulumi:"dailyAt,optional"`
	RetentionDays       int    `pulumi:"retentionDays,optional"`
	WeeklyRetentionDays int    `pulumi:"weeklyRetentionDays,optional"`
	SQLRetentionDays    int    `pulumi:"sqlRetentionDays,optional"`
	Immutable           bool   `pulumi:"immutable,optional"`
	CopyToSecondary     bool   `pulumi:"copyToSecondary,optional"`
}

// Annotate documents the backup type in the schema.
func (b *AzureBackup) Annotate(an infer.Annotator) {
	an.SetToken("azure", "BackendBackup")
	an.Describe(b, "The backups of a scalestack:azure:Backend.")
	an.Describe(&b.DailyAt, "The UTC time of the daily VM backup, on the hour or half hour. Default: 03:00.")
	an.Describe(&b.RetentionDays, "Days to keep daily VM backups. Default: 7. Allowed: 7-9999.")
	an.Describe(&b.WeeklyRetentionDays, "Days to keep weekly backups; 0 turns them off. Default: 0. Allowed: 0 or 7-36400.")
	an.Describe(&b.SQLRetentionDays, "The databases' point-in-time restore window. Default: 7. Allowed: 1-35.")
	an.Describe(&b.Immutable, "Make recovery points immutable. Default: false.")
	an.Describe(&b.CopyToSecondary, "Set retention policies on the geo-secondary too. Needs `database.geoSecondary`. Default: false.")
}

// AzureBackend is scalestack:azure:Backend as served to every Pulumi language.
type AzureBackend struct {
	pulumi.ComponentResource

	URL                pulumi.StringOutput      `pulumi:"url"`
	CDNHostName        pulumi.StringOutput      `pulumi:"cdnHostName"`
	GatewayFQDNs       pulumi.StringMapOutput   `pulumi:"gatewayFqdns"`
	GatewayIPs         pulumi.StringMapOutput   `pulumi:"gatewayIps"`
	SQLServerFQDNs     pulumi.StringMapOutput   `pulumi:"sqlServerFqdns"`
	DatabaseListener   pulumi.StringOutput      `pulumi:"databaseListener"`
	TrafficManagerFQDN pulumi.StringOutput      `pulumi:"trafficManagerFqdn"`
	NameServers        pulumi.StringArrayOutput `pulumi:"nameServers"`
	Queue              pulumi.StringMapOutput   `pulumi:"queue"`
	WorkerIdentity     pulumi.StringMapOutput   `pulumi:"workerIdentity"`
	DashboardURL       pulumi.StringOutput      `pulumi:"dashboardUrl"`
	Notes              pulumi.StringArrayOutput `pulumi:"notes"`
}

// Annotate documents the component and its outputs in the schema.
func (b *AzureBackend) Annotate(an infer.Annotator) {
	an.SetToken("azure", "Backend")
	an.Describe(b, "A whole Azure region pair serving one web backend: per region a network, a gateway and an autoscaled "+
		"VM scale set; Azure SQL with named replicas, a geo-secondary and a failover group; Traffic Manager; Front Door; "+
		"backups; alerts and a portal dashboard; optionally a Storage queue with a worker scale set (no cache: this build serves no Azure Cache for Redis). The same component as the Go API (components/azure/backend).")
	an.Describe(&b.URL, "The public URL (https:// unless HTTP-only dev mode without a CDN).")
	an.Describe(&b.CDNHostName, "The CDN endpoint's host name, \"\" without a CDN.")
	an.Describe(&b.GatewayFQDNs, "The gateways' DNS names by role.")
	an.Describe(&b.GatewayIPs, "The gateways' addresses by role.")
	an.Describe(&b.SQLServerFQDNs, "The SQL servers' DNS names by role.")
	an.Describe(&b.DatabaseListener, "The failover group's read-write listener (or the primary server).")
	an.Describe(&b.TrafficManagerFQDN, "The failover profile's DNS name, \"\" in one region.")
	an.Describe(&b.NameServers, "The domain's zone's name servers; empty without a domain.")
	an.Describe(&b.Queue, "The queue for its clients (\"url\", \"poisonUrl\", \"accountName\", \"name\", \"poisonQueue\", \"maxDequeueCount\", \"visibilityTimeoutSeconds\", \"messageTtlSeconds\"); empty without it.")
	an.Describe(&b.WorkerIdentity, "The worker scale set's identity (\"name\", \"principalId\"); empty without the queue.")
	an.Describe(&b.DashboardURL, "Opens the Azure portal dashboard.")
	an.Describe(&b.Notes, "What was left out and why.")
}

// goArgs maps the package inputs onto backend.Args: the one place the two meet.
func (a *AzureBackendArgs) goArgs() *backend.Args {
	g := &backend.Args{
		PrimaryLocation: a.PrimaryLocation, SecondaryLocation: a.SecondaryLocation,
		AlertEmail: a.AlertEmail, Domain: a.Domain, Tags: a.Tags,
	}
	if a.SecondaryProvider != nil {
		g.SecondaryProvider = a.SecondaryProvider
	}
	if w := a.Web; w != nil {
		g.Web = backend.Web{
			VMSize: w.VMSize, MinSize: w.MinSize, MaxSize: w.MaxSize, DesiredSize: w.DesiredSize,
			TargetCPUPercent: w.TargetCPUPercent, RequestsPerInstance: w.RequestsPerInstance,
			Port: w.Port, HealthCheckPath: w.HealthCheckPath, SSHPublicKey: w.SSHPublicKey,
			EncryptionAtHost: w.EncryptionAtHost,
		}
		if i := w.Image; i != nil {
			g.Web.Image = webtier.Image{Publisher: i.Publisher, Offer: i.Offer, SKU: i.SKU, Version: i.Version}
		}
		for _, s := range w.Schedules {
			g.Web.Schedules = append(g.Web.Schedules, webtier.Schedule{
				Name: s.Name, Days: s.Days, Hour: s.Hour, Minute: s.Minute,
				MinSize: s.MinSize, DesiredSize: s.DesiredSize, MaxSize: s.MaxSize,
			})
		}
	}
	if gw := a.Gateway; gw != nil {
		g.Gateway = backend.Gateway{
			Kind: str(gw.Kind), CertificateSecretID: gw.CertificateSecretID, IdentityID: gw.IdentityID,
			DisableWAF: gw.DisableWAF, MaxCapacity: gw.MaxCapacity,
		}
	}
	d := a.Database
	g.Database = backend.Database{
		AdminLogin: d.AdminLogin, AdminObjectID: d.AdminObjectID, AdminPrincipalType: str(d.AdminPrincipalType),
		TenantID: d.TenantID, Name: d.Name, SKUName: d.SKUName, BackupStorageRedundancy: str(d.BackupStorageRedundancy),
		ZoneRedundant: d.ZoneRedundant, ReadScale: d.ReadScale, DeletionProtection: d.DeletionProtection,
		ReadReplicas: d.ReadReplicas, GeoSecondary: d.GeoSecondary,
	}
	if c := a.CDN; c != nil {
		g.CDN = backend.CDN{Enabled: c.Enabled, Kind: str(c.Kind), SKU: str(c.SKU)}
	}
	if q := a.Queue; q != nil {
		g.Queue = backend.Queue{
			Enabled: q.Enabled, MaxDequeueCount: q.MaxDequeueCount, RetentionDays: q.RetentionDays,
			VisibilityTimeoutSeconds: q.VisibilityTimeoutSeconds, WorkersMinSize: q.WorkersMinSize,
			WorkersMaxSize: q.WorkersMaxSize, BacklogPerWorker: q.BacklogPerWorker, SubscriptionID: q.SubscriptionID,
		}
	}
	if b := a.Backup; b != nil {
		g.Backup = backend.Backup{
			DailyAt: b.DailyAt, RetentionDays: b.RetentionDays, WeeklyRetentionDays: b.WeeklyRetentionDays,
			SQLRetentionDays: b.SQLRetentionDays, Immutable: b.Immutable, CopyToSecondary: b.CopyToSecondary,
		}
	}
	return g
}

// NewAzureBackend constructs scalestack:azure:Backend for the package: it maps args and calls
// backend.New, which validates them and registers the component and its children.
func NewAzureBackend(ctx *pulumi.Context, name string, args AzureBackendArgs, opts ...pulumi.ResourceOption) (*AzureBackend, error) {
	b, err := backend.New(ctx, name, args.goArgs(), opts...)
	if err != nil {
		return nil, err
	}
	return &AzureBackend{
		ComponentResource:  b,
		URL:                b.URL,
		CDNHostName:        b.CDNHostName,
		GatewayFQDNs:       b.GatewayFQDNs,
		GatewayIPs:         b.GatewayIPs,
		SQLServerFQDNs:     b.SQLServerFQDNs,
		DatabaseListener:   b.DatabaseListener,
		TrafficManagerFQDN: b.TrafficManagerFQDN,
		NameServers:        b.NameServers,
		Queue:              b.Queue,
		WorkerIdentity:     b.WorkerIdentity,
		DashboardURL:       b.DashboardURL,
		Notes:              pulumi.ToStringArray(b.Notes).ToStringArrayOutput(),
	}, nil
}

// str is the value of an optional enum, "" (the Go default) when unset.
func str[T ~string](v *T) string {
	if v == nil {
		return ""
	}
	return string(*v)
}
