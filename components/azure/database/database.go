// Package database creates the Azure SQL tier of the scalestack backend: a logical server per
// region with a Microsoft Entra ID administrator and Entra-only authentication (no SQL
// password exists anywhere), TLS 1.2 minimum and public network access disabled, reached
// through private endpoints with a privatelink DNS zone per region; the application database
// (zone-redundant when asked, with the high-availability replica and zone-redundant backup
// storage that zone-redundant Hyperscale needs, optional read scale-out); N Hyperscale named
// read replicas keyed "1".."N"; and, with a secondary site, a geo-secondary database on a
// server in the secondary location and a failover group across both servers with a
// customer-managed (Manual) read-write failover policy by default.
//
// The administrator and Entra-only authentication are their own resources
// (ServerAzureADAdministrator, ServerAzureADOnlyAuthentication): the server's administrators
// block is sent when the server is created (ARM needs it to create a server without a SQL
// login) and ignored afterwards, because the server PUT refuses changes to
// administrators.azureADOnlyAuthentication (Azure/bicep#6858, Azure/bicep-types-az#2320).
//
// Private DNS for the failover group: every region's virtual network gets a private endpoint
// to every server, registered in that region's privatelink zone, so the listener
// <group>.database.windows.net (a CNAME to the current primary server) resolves to an address
// in the caller's own virtual network from both regions, before and after a failover, with no
// peering between the regions and no DNS change at failover.
//
// Every server is audited: a server auditing policy sends its SQLSecurityAuditEvents to Azure
// Monitor, and a diagnostic setting on the master database (where server-level audit events
// land) writes them to a storage account in the server's region (HTTPS only, TLS 1.2, no
// public blob access, reachable only by trusted Azure services) whose lifecycle policy deletes
// them after AuditRetentionDays. (Log Analytics and role assignments are not among this
// build's SDK modules, so audit logs go through a diagnostic setting, which needs no key and no
// role assignment.)
//
// The primary site is placed by the provider the component is given; the secondary site by
// SecondaryProvider, so one component spans the region pair.
package database

import (
	"crypto/sha256"
	"fmt"
	"regexp"
	"strings"

	"github.com/pulumi/pulumi-azure-native-sdk/insights/v2"
	"github.com/pulumi/pulumi-azure-native-sdk/network/v2"
	"github.com/pulumi/pulumi-azure-native-sdk/sql/v2"
	"github.com/pulumi/pulumi-azure-native-sdk/storage/v2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/scalestack/scalestack/providers"
	"github.com/scalestack/scalestack/providers/azureregions"
)

// typeToken is part of every child's URN: changing it needs pulumi.Aliases.
const typeToken = "scalestack:azure:Database"

// privateZone is the DNS zone Azure SQL private endpoints resolve in (public cloud).
const privateZone = "privatelink.database.windows.net"

// Site places one logical server.
type Site struct {
	// Location is the Azure location ("eastus2"). Required.
	Location string
	// ResourceGroupName is the site's resource group. Required.
	ResourceGroupName pulumi.StringInput
	// DataSubnetID is the subnet of the server's private endpoint. Required.
	DataSubnetID pulumi.StringInput
	// VNetID is the virtual network linked to the privatelink DNS zone. Required.
	VNetID pulumi.StringInput
}

// Args configures a Database. Zero values mean the documented default.
type Args struct {
	// Primary places the primary server. Required.
	Primary Site
	// Secondary, when set, adds a geo-secondary and a failover group. Default: none.
	Secondary *Site
	// SecondaryProvider is the azure-native provider of the secondary location. Required
	// with Secondary.
	SecondaryProvider pulumi.ProviderResource
	// AdminLogin is the display name of the Entra ID administrator (a group, by default). Required.
	AdminLogin string
	// AdminObjectID is the administrator's Entra object ID (a GUID). Required.
	AdminObjectID string
	// AdminPrincipalType is "Group" (default), "User" or "Application".
	AdminPrincipalType string
	// TenantID is the administrator's Entra tenant. Default: the subscription's tenant.
	TenantID string
	// DatabaseName is the application database's name. Default: app.
	DatabaseName string
	// SKUName is the database SKU. Default: HS_Gen5_2 (Hyperscale, 2 vCores), which supports
	// named replicas, read scale-out, zone redundancy and failover groups, so adding a replica
	// never needs a (one-way) SKU migration. Named replicas need Hyperscale (HS_...); ReadScale
	// needs Premium (P...), Business Critical (BC_...) or Hyperscale.
	SKUName string
	// ZoneRedundant spreads the database over availability zones. Default: false.
	ZoneRedundant bool
	// ReadScale routes read-only connections to a readable high-availability replica.
	// Default: false.
	ReadScale bool
	// ReadReplicas is the number of in-region Hyperscale named replicas, keyed "1".."N", so
	// adding one never renames the others. Default: 0. Allowed: 0-5.
	ReadReplicas int
	// BackupStorageRedundancy is "Geo", "GeoZone", "Zone" or "Local". Default: "GeoZone" for
	// a zone-redundant Hyperscale database (which needs zone-redundant backup storage), else
	// "Geo". It cannot change after a Hyperscale database is created.
	BackupStorageRedundancy string
	// DeletionProtection protects the servers and databases (pulumi protect: destroy fails
	// until it is turned off). Default: false.
	DeletionProtection bool
	// AuditRetentionDays keeps the servers' audit logs. Default: 90. Allowed: 90-3650.
	AuditRetentionDays int
	// HighAvailabilityReplicas is the number of high-availability replicas of each Hyperscale
	// database (primary, named replicas, geo-secondary). A zone-redundant Hyperscale database
	// needs at least one. Default: 1 for a zone-redundant Hyperscale database, else 0 (the
	// service default). Allowed: 0-4, Hyperscale only.
	HighAvailabilityReplicas int
	// FailoverPolicy is the failover group's read-write policy: "Manual" (default,
	// customer-managed: an operator fails over with `az sql failover-group set-primary`, as
	// Microsoft recommends) or "Automatic" (Microsoft-managed: only after a region-wide outage
	// lasting FailoverGracePeriodMinutes, with possible data loss).
	FailoverPolicy string
	// FailoverGracePeriodMinutes is how long an outage lasts before an Automatic failover
	// group fails over (with possible data loss). Default: 60 with Automatic. Allowed: 60-1440,
	// Automatic only.
	FailoverGracePeriodMinutes int
	// Tags are added to every child, under the per-child "tier" tag.
	Tags map[string]string
}

type resolved struct{ Args }

var (
	locationRE = regexp.MustCompile(`^[a-z]+[a-z0-9]*$`)
	guidRE     = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)
	dbNameRE   = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_-]{0,127}$`)
	skuRE      = regexp.MustCompile(`^(GP_S_Gen5|GP_Gen5|BC_Gen5|HS_Gen5|HS_PRMS|GP_Fsv2|BC_M)_[0-9]+$|^(S[0-9]+|P[0-9]+|Basic)$`)
)

func (s *Site) check(field string) error {
	switch {
	case !locationRE.MatchString(s.Location):
		return fmt.Errorf("%s.Location %q is not an Azure location: want a name such as eastus2", field, s.Location)
	case s.ResourceGroupName == nil || s.DataSubnetID == nil || s.VNetID == nil:
		return fmt.Errorf("%s: ResourceGroupName, DataSubnetID and VNetID are required", field)
	}
	return nil
}

// Validate checks args (with the defaults applied) without registering anything.
func (a *Args) Validate() error {
	_, err := a.resolve()
	return err
}

func (a *Args) resolve() (*resolved, error) {
	if a == nil {
		return nil, fmt.Errorf("args are required: want Primary, AdminLogin and AdminObjectID")
	}
	r := &resolved{*a}
	if r.AdminPrincipalType == "" {
		r.AdminPrincipalType = "Group"
	}
	if r.DatabaseName == "" {
		r.DatabaseName = "app"
	}
	if r.SKUName == "" {
		r.SKUName = "HS_Gen5_2"
	}
	if r.BackupStorageRedundancy == "" {
		r.BackupStorageRedundancy = "Geo"
		if r.ZoneRedundant && strings.HasPrefix(r.SKUName, "HS_") {
			r.BackupStorageRedundancy = "GeoZone"
		}
	}
	hyperscale := strings.HasPrefix(r.SKUName, "HS_")
	if r.HighAvailabilityReplicas == 0 && r.ZoneRedundant && hyperscale {
		r.HighAvailabilityReplicas = 1
	}
	if r.FailoverPolicy == "" {
		r.FailoverPolicy = "Manual"
	}
	if r.FailoverGracePeriodMinutes == 0 && r.FailoverPolicy == "Automatic" {
		r.FailoverGracePeriodMinutes = 60
	}
	if r.AuditRetentionDays == 0 {
		r.AuditRetentionDays = 90
	}
	if err := r.Primary.check("Primary"); err != nil {
		return nil, err
	}
	if r.Secondary != nil {
		if err := r.Secondary.check("Secondary"); err != nil {
			return nil, err
		}
		if r.Secondary.Location == r.Primary.Location {
			return nil, fmt.Errorf("Secondary.Location %q is the primary location: want another location", r.Secondary.Location)
		}
		if r.SecondaryProvider == nil {
			return nil, fmt.Errorf("SecondaryProvider is required with Secondary: the azure-native provider of %s", r.Secondary.Location)
		}
	}
	switch {
	case strings.TrimSpace(r.AdminLogin) == "":
		return nil, fmt.Errorf("AdminLogin is required: the display name of the Entra ID administrator")
	case !guidRE.MatchString(r.AdminObjectID):
		return nil, fmt.Errorf("AdminObjectID %q is not allowed: want the administrator's Entra object ID (a GUID)", r.AdminObjectID)
	case r.TenantID != "" && !guidRE.MatchString(r.TenantID):
		return nil, fmt.Errorf("TenantID %q is not allowed: want a GUID, or \"\" for the subscription's tenant", r.TenantID)
	case r.AdminPrincipalType != "Group" && r.AdminPrincipalType != "User" && r.AdminPrincipalType != "Application":
		return nil, fmt.Errorf("AdminPrincipalType %q is not allowed: want Group, User or Application", r.AdminPrincipalType)
	case !dbNameRE.MatchString(r.DatabaseName):
		return nil, fmt.Errorf("DatabaseName %q is not allowed: want 1-128 letters, digits, '_' or '-', starting with a letter", r.DatabaseName)
	case !skuRE.MatchString(r.SKUName):
		return nil, fmt.Errorf("SKUName %q is not allowed: want an Azure SQL database SKU such as GP_Gen5_2, BC_Gen5_2 or HS_Gen5_2", r.SKUName)
	case r.ReadReplicas < 0 || r.ReadReplicas > 5:
		return nil, fmt.Errorf("ReadReplicas %d is not allowed: want 0-5", r.ReadReplicas)
	case r.ReadReplicas > 0 && !strings.HasPrefix(r.SKUName, "HS_"):
		return nil, fmt.Errorf("ReadReplicas %d needs a Hyperscale SKU (HS_...): SKUName %q has no named replicas (use ReadScale on Premium or Business Critical)", r.ReadReplicas, r.SKUName)
	case r.ReadScale && !(strings.HasPrefix(r.SKUName, "BC_") || strings.HasPrefix(r.SKUName, "HS_") || strings.HasPrefix(r.SKUName, "P")):
		return nil, fmt.Errorf("ReadScale needs a Premium, Business Critical or Hyperscale SKU: SKUName %q has no readable replica", r.SKUName)
	case r.BackupStorageRedundancy != "Geo" && r.BackupStorageRedundancy != "GeoZone" && r.BackupStorageRedundancy != "Zone" && r.BackupStorageRedundancy != "Local":
		return nil, fmt.Errorf("BackupStorageRedundancy %q is not allowed: want Geo, GeoZone, Zone or Local", r.BackupStorageRedundancy)
	case r.AuditRetentionDays < 90 || r.AuditRetentionDays > 3650:
		return nil, fmt.Errorf("AuditRetentionDays %d is not allowed: want 90-3650", r.AuditRetentionDays)
	case r.ZoneRedundant && strings.HasPrefix(r.SKUName, "HS_") && r.BackupStorageRedundancy != "GeoZone" && r.BackupStorageRedundancy != "Zone":
		return nil, fmt.Errorf("BackupStorageRedundancy %q is not allowed for a zone-redundant Hyperscale database: want GeoZone or Zone", r.BackupStorageRedundancy)
	case r.HighAvailabilityReplicas < 0 || r.HighAvailabilityReplicas > 4:
		return nil, fmt.Errorf("HighAvailabilityReplicas %d is not allowed: want 0-4", r.HighAvailabilityReplicas)
	case r.HighAvailabilityReplicas > 0 && !hyperscale:
		return nil, fmt.Errorf("HighAvailabilityReplicas %d needs a Hyperscale SKU (HS_...): SKUName %q sets its replicas by tier", r.HighAvailabilityReplicas, r.SKUName)
	case r.ZoneRedundant && hyperscale && r.HighAvailabilityReplicas < 1:
		// "There is an insufficient number of high availability replicas to enable zone
		// redundancy for a Hyperscale database" (ProvisioningDisabled).
		return nil, fmt.Errorf("HighAvailabilityReplicas 0 is not allowed for a zone-redundant Hyperscale database: want 1-4")
	case r.FailoverPolicy != "Manual" && r.FailoverPolicy != "Automatic":
		return nil, fmt.Errorf("FailoverPolicy %q is not allowed: want Manual (customer-managed) or Automatic (Microsoft-managed)", r.FailoverPolicy)
	case r.FailoverPolicy == "Manual" && r.FailoverGracePeriodMinutes != 0:
		return nil, fmt.Errorf("FailoverGracePeriodMinutes %d has no meaning with FailoverPolicy Manual: want 0, or FailoverPolicy Automatic", r.FailoverGracePeriodMinutes)
	case r.FailoverPolicy == "Automatic" && (r.FailoverGracePeriodMinutes < 60 || r.FailoverGracePeriodMinutes > 1440):
		return nil, fmt.Errorf("FailoverGracePeriodMinutes %d is not allowed: want 60-1440", r.FailoverGracePeriodMinutes)
	}
	return r, nil
}

// Database is the SQL servers, the application database, its replicas and failover group.
type Database struct {
	pulumi.ResourceState

	// PrimaryServerName, PrimaryServerID and PrimaryServerFQDN identify the primary server.
	PrimaryServerName pulumi.StringOutput `pulumi:"primaryServerName"`
	PrimaryServerID   pulumi.StringOutput `pulumi:"primaryServerId"`
	PrimaryServerFQDN pulumi.StringOutput `pulumi:"primaryServerFqdn"`
	// DatabaseID and DatabaseName identify the primary database.
	DatabaseID   pulumi.StringOutput `pulumi:"databaseId"`
	DatabaseName pulumi.StringOutput `pulumi:"databaseName"`
	// ReplicaIDs are the named replicas' IDs by key ("1", "2", ...).
	ReplicaIDs pulumi.StringMapOutput `pulumi:"replicaIds"`
	// SecondaryServerName, SecondaryServerFQDN and SecondaryDatabaseID are empty without a
	// secondary site.
	SecondaryServerName pulumi.StringOutput `pulumi:"secondaryServerName"`
	SecondaryServerFQDN pulumi.StringOutput `pulumi:"secondaryServerFqdn"`
	SecondaryDatabaseID pulumi.StringOutput `pulumi:"secondaryDatabaseId"`
	// Listener is the failover group's read-write listener
	// (<group>.database.windows.net), or the primary server's FQDN without a secondary site.
	Listener pulumi.StringOutput `pulumi:"listener"`
	// ReadOnlyListener is the failover group's read-only listener
	// (<group>.secondary.database.windows.net), or "" without a secondary site.
	ReadOnlyListener pulumi.StringOutput `pulumi:"readOnlyListener"`

	// SKUName is the resolved SKU; Hyperscale reports whether it is a Hyperscale SKU.
	SKUName    string
	Hyperscale bool
}

// New validates args, applies defaults and registers the database tier.
func New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*Database, error) {
	a, err := args.resolve()
	if err != nil {
		return nil, fmt.Errorf("database %q: %w", name, err)
	}
	d := &Database{SKUName: a.SKUName, Hyperscale: strings.HasPrefix(a.SKUName, "HS_")}
	if err := ctx.RegisterComponentResource(typeToken, name, d, opts...); err != nil {
		return nil, err
	}
	tags := azureregions.Tags(providers.Tags(a.Tags), map[string]string{"tier": "data"})
	stateful := []pulumi.ResourceOption{pulumi.Parent(d), pulumi.Protect(a.DeletionProtection)}

	primary, err := a.server(ctx, name+"-primary", a.Primary, tags, pulumi.Parent(d))
	if err != nil {
		return nil, err
	}
	dbArgs := &sql.DatabaseArgs{
		ResourceGroupName:                a.Primary.ResourceGroupName,
		ServerName:                       primary.srv.Name,
		DatabaseName:                     pulumi.String(a.DatabaseName),
		Location:                         pulumi.String(a.Primary.Location),
		Sku:                              &sql.SkuArgs{Name: pulumi.String(a.SKUName)},
		ZoneRedundant:                    pulumi.Bool(a.ZoneRedundant),
		HighAvailabilityReplicaCount:     a.haReplicas(),
		ReadScale:                        pulumi.String(map[bool]string{true: "Enabled", false: "Disabled"}[a.ReadScale]),
		RequestedBackupStorageRedundancy: pulumi.String(a.BackupStorageRedundancy),
		Tags:                             tags,
	}
	db, err := sql.NewDatabase(ctx, name, dbArgs, stateful...)
	if err != nil {
		return nil, fmt.Errorf("creating database: %w", err)
	}

	replicas := pulumi.StringMap{}
	for i := 1; i <= a.ReadReplicas; i++ {
		key := fmt.Sprint(i)
		rep, err := sql.NewDatabase(ctx, name+"-replica-"+key, &sql.DatabaseArgs{
			ResourceGroupName:            a.Primary.ResourceGroupName,
			ServerName:                   primary.srv.Name,
			DatabaseName:                 pulumi.String(a.DatabaseName + "-replica-" + key),
			Location:                     pulumi.String(a.Primary.Location),
			Sku:                          &sql.SkuArgs{Name: pulumi.String(a.SKUName)},
			CreateMode:                   pulumi.String("Secondary"),
			SecondaryType:                pulumi.String("Named"),
			SourceDatabaseId:             db.ID(),
			ZoneRedundant:                pulumi.Bool(a.ZoneRedundant),
			HighAvailabilityReplicaCount: a.haReplicas(),
			Tags:                         tags,
		}, pulumi.Parent(d))
		if err != nil {
			return nil, fmt.Errorf("creating read replica %q: %w", key, err)
		}
		replicas[key] = rep.ID().ToStringOutput()
	}

	d.PrimaryServerName = primary.srv.Name
	d.PrimaryServerID = primary.srv.ID().ToStringOutput()
	d.PrimaryServerFQDN = primary.srv.FullyQualifiedDomainName
	d.DatabaseID = db.ID().ToStringOutput()
	d.DatabaseName = db.Name
	d.ReplicaIDs = replicas.ToStringMapOutput()
	d.SecondaryServerName = pulumi.String("").ToStringOutput()
	d.SecondaryServerFQDN = pulumi.String("").ToStringOutput()
	d.SecondaryDatabaseID = pulumi.String("").ToStringOutput()
	d.Listener = primary.srv.FullyQualifiedDomainName
	d.ReadOnlyListener = pulumi.String("").ToStringOutput()

	if a.Secondary != nil {
		sec := *a.Secondary
		inSecondary := pulumi.Provider(a.SecondaryProvider)
		secondary, err := a.server(ctx, name+"-secondary", sec, tags, pulumi.Parent(d), inSecondary)
		if err != nil {
			return nil, err
		}
		// Each region reaches the other region's server through an endpoint of its own,
		// registered in its own zone, so the listener resolves locally wherever it points.
		if err := a.endpoint(ctx, name+"-primary-pe-secondary", a.Primary, secondary.srv, primary.zone, tags, pulumi.Parent(d)); err != nil {
			return nil, err
		}
		if err := a.endpoint(ctx, name+"-secondary-pe-primary", sec, primary.srv, secondary.zone, tags, pulumi.Parent(d), inSecondary); err != nil {
			return nil, err
		}
		geo, err := sql.NewDatabase(ctx, name+"-geo", &sql.DatabaseArgs{
			ResourceGroupName:            sec.ResourceGroupName,
			ServerName:                   secondary.srv.Name,
			DatabaseName:                 pulumi.String(a.DatabaseName),
			Location:                     pulumi.String(sec.Location),
			Sku:                          &sql.SkuArgs{Name: pulumi.String(a.SKUName)},
			CreateMode:                   pulumi.String("Secondary"),
			SecondaryType:                pulumi.String("Geo"),
			SourceDatabaseId:             db.ID(),
			ZoneRedundant:                pulumi.Bool(a.ZoneRedundant),
			HighAvailabilityReplicaCount: a.haReplicas(),
			// A zone-redundant Hyperscale geo-secondary needs zone-redundant backup storage
			// too; it becomes the primary (and takes the backups) after a failover.
			RequestedBackupStorageRedundancy: pulumi.String(a.BackupStorageRedundancy),
			Tags:                             tags,
		}, append(stateful, inSecondary)...)
		if err != nil {
			return nil, fmt.Errorf("creating geo-secondary: %w", err)
		}
		rw := &sql.FailoverGroupReadWriteEndpointArgs{FailoverPolicy: pulumi.String(a.FailoverPolicy)}
		if a.FailoverPolicy == "Automatic" {
			rw.FailoverWithDataLossGracePeriodMinutes = pulumi.Int(a.FailoverGracePeriodMinutes)
		}
		fg, err := sql.NewFailoverGroup(ctx, name+"-fog", &sql.FailoverGroupArgs{
			ResourceGroupName: a.Primary.ResourceGroupName,
			ServerName:        primary.srv.Name,
			PartnerServers:    sql.PartnerInfoArray{&sql.PartnerInfoArgs{Id: secondary.srv.ID()}},
			Databases:         pulumi.StringArray{db.ID()},
			ReadWriteEndpoint: rw,
			ReadOnlyEndpoint:  &sql.FailoverGroupReadOnlyEndpointArgs{FailoverPolicy: pulumi.String("Disabled")},
			Tags:              tags,
		}, pulumi.Parent(d), pulumi.DependsOn([]pulumi.Resource{geo}))
		if err != nil {
			return nil, fmt.Errorf("creating failover group: %w", err)
		}
		d.SecondaryServerName = secondary.srv.Name
		d.SecondaryServerFQDN = secondary.srv.FullyQualifiedDomainName
		d.SecondaryDatabaseID = geo.ID().ToStringOutput()
		d.Listener = pulumi.Sprintf("%s.database.windows.net", fg.Name)
		d.ReadOnlyListener = pulumi.Sprintf("%s.secondary.database.windows.net", fg.Name)
	}

	return d, ctx.RegisterResourceOutputs(d, pulumi.Map{
		"primaryServerName":   d.PrimaryServerName,
		"primaryServerId":     d.PrimaryServerID,
		"primaryServerFqdn":   d.PrimaryServerFQDN,
		"databaseId":          d.DatabaseID,
		"databaseName":        d.DatabaseName,
		"replicaIds":          d.ReplicaIDs,
		"secondaryServerName": d.SecondaryServerName,
		"secondaryServerFqdn": d.SecondaryServerFQDN,
		"secondaryDatabaseId": d.SecondaryDatabaseID,
		"listener":            d.Listener,
		"readOnlyListener":    d.ReadOnlyListener,
	})
}

// haReplicas is the high-availability replica count to send: nil (the service default) when 0.
func (r *resolved) haReplicas() pulumi.IntPtrInput {
	if r.HighAvailabilityReplicas == 0 {
		return nil
	}
	return pulumi.Int(r.HighAvailabilityReplicas)
}

// server is one logical server and its region's privatelink zone.
type server struct {
	srv  *sql.Server
	zone *network.PrivateZone
}

// server registers one logical server with its Entra administrator, its private endpoint in
// the site's data subnet and the site's privatelink DNS zone, linked to the site's network.
func (r *resolved) server(ctx *pulumi.Context, name string, site Site, tags pulumi.StringMap, opts ...pulumi.ResourceOption) (*server, error) {
	admin := &sql.ServerExternalAdministratorArgs{
		AdministratorType:         pulumi.String("ActiveDirectory"),
		AzureADOnlyAuthentication: pulumi.Bool(true),
		Login:                     pulumi.String(r.AdminLogin),
		Sid:                       pulumi.String(r.AdminObjectID),
		PrincipalType:             pulumi.String(r.AdminPrincipalType),
	}
	if r.TenantID != "" {
		admin.TenantId = pulumi.String(r.TenantID)
	}
	srv, err := sql.NewServer(ctx, name, &sql.ServerArgs{
		ResourceGroupName:   site.ResourceGroupName,
		Location:            pulumi.String(site.Location),
		Version:             pulumi.String("12.0"),
		MinimalTlsVersion:   pulumi.String("1.2"),
		PublicNetworkAccess: pulumi.String("Disabled"),
		// Sent at creation only (a server without a SQL login cannot be created without it);
		// the administrator and Entra-only resources below own it from then on.
		Administrators: admin,
		Identity:       &sql.ResourceIdentityArgs{Type: pulumi.String("SystemAssigned")},
		Tags:           tags,
	}, append(opts, pulumi.Protect(r.DeletionProtection), pulumi.IgnoreChanges([]string{"administrators"}))...)
	if err != nil {
		return nil, fmt.Errorf("creating SQL server %q: %w", name, err)
	}
	adminArgs := &sql.ServerAzureADAdministratorArgs{
		AdministratorName: pulumi.String("ActiveDirectory"),
		AdministratorType: pulumi.String("ActiveDirectory"),
		ResourceGroupName: site.ResourceGroupName,
		ServerName:        srv.Name,
		Login:             pulumi.String(r.AdminLogin),
		Sid:               pulumi.String(r.AdminObjectID),
	}
	if r.TenantID != "" {
		adminArgs.TenantId = pulumi.String(r.TenantID)
	}
	adm, err := sql.NewServerAzureADAdministrator(ctx, name+"-admin", adminArgs, opts...)
	if err != nil {
		return nil, fmt.Errorf("creating the Entra administrator of %q: %w", name, err)
	}
	if _, err := sql.NewServerAzureADOnlyAuthentication(ctx, name+"-entra-only", &sql.ServerAzureADOnlyAuthenticationArgs{
		AuthenticationName:        pulumi.String("Default"),
		ResourceGroupName:         site.ResourceGroupName,
		ServerName:                srv.Name,
		AzureADOnlyAuthentication: pulumi.Bool(true),
	}, append(opts, pulumi.DependsOn([]pulumi.Resource{adm}))...); err != nil {
		return nil, fmt.Errorf("creating Entra-only authentication of %q: %w", name, err)
	}
	zone, err := network.NewPrivateZone(ctx, name+"-dns", &network.PrivateZoneArgs{
		ResourceGroupName: site.ResourceGroupName,
		PrivateZoneName:   pulumi.String(privateZone),
		Location:          pulumi.String("Global"),
		Tags:              tags,
	}, opts...)
	if err != nil {
		return nil, fmt.Errorf("creating private DNS zone of %q: %w", name, err)
	}
	if _, err := network.NewVirtualNetworkLink(ctx, name+"-dns-link", &network.VirtualNetworkLinkArgs{
		ResourceGroupName:   site.ResourceGroupName,
		PrivateZoneName:     zone.Name,
		Location:            pulumi.String("Global"),
		VirtualNetwork:      &network.SubResourceArgs{Id: site.VNetID},
		RegistrationEnabled: pulumi.Bool(false),
		Tags:                tags,
	}, opts...); err != nil {
		return nil, fmt.Errorf("linking private DNS zone of %q: %w", name, err)
	}
	if err := r.endpoint(ctx, name+"-pe", site, srv, zone, tags, opts...); err != nil {
		return nil, err
	}
	if err := r.audit(ctx, name, site, srv, tags, opts...); err != nil {
		return nil, err
	}
	return &server{srv: srv, zone: zone}, nil
}

// endpoint registers a private endpoint to srv in site's data subnet and its A record in
// zone (the site's privatelink zone), as <server>.privatelink.database.windows.net.
func (r *resolved) endpoint(ctx *pulumi.Context, name string, site Site, srv *sql.Server, zone *network.PrivateZone, tags pulumi.StringMap, opts ...pulumi.ResourceOption) error {
	pe, err := network.NewPrivateEndpoint(ctx, name, &network.PrivateEndpointArgs{
		ResourceGroupName: site.ResourceGroupName,
		Location:          pulumi.String(site.Location),
		Subnet:            &network.SubnetTypeArgs{Id: site.DataSubnetID},
		PrivateLinkServiceConnections: network.PrivateLinkServiceConnectionArray{&network.PrivateLinkServiceConnectionArgs{
			Name:                 pulumi.String("sql"),
			PrivateLinkServiceId: srv.ID(),
			GroupIds:             pulumi.StringArray{pulumi.String("sqlServer")},
		}},
		Tags: tags,
	}, opts...)
	if err != nil {
		return fmt.Errorf("creating private endpoint %q: %w", name, err)
	}
	if _, err := network.NewPrivateDnsZoneGroup(ctx, name+"-dns", &network.PrivateDnsZoneGroupArgs{
		ResourceGroupName:   site.ResourceGroupName,
		PrivateEndpointName: pe.Name,
		PrivateDnsZoneConfigs: network.PrivateDnsZoneConfigArray{&network.PrivateDnsZoneConfigArgs{
			Name: pulumi.String("sql"), PrivateDnsZoneId: zone.ID(),
		}},
	}, opts...); err != nil {
		return fmt.Errorf("registering the DNS of private endpoint %q: %w", name, err)
	}
	return nil
}

// audit registers the server's auditing policy and the storage its audit logs go to.
func (r *resolved) audit(ctx *pulumi.Context, name string, site Site, srv *sql.Server, tags pulumi.StringMap, opts ...pulumi.ResourceOption) error {
	// Storage account names are global, 3-24 lowercase letters and digits: "sqlaudit" plus
	// 12 hex digits of the server's ID, stable across runs.
	account := srv.ID().ToStringOutput().ApplyT(func(id string) string {
		sum := sha256.Sum256([]byte(id))
		return fmt.Sprintf("sqlaudit%x", sum[:6])
	}).(pulumi.StringOutput)
	sa, err := storage.NewStorageAccount(ctx, name+"-audit", &storage.StorageAccountArgs{
		AccountName:            account,
		ResourceGroupName:      site.ResourceGroupName,
		Location:               pulumi.String(site.Location),
		Kind:                   pulumi.String("StorageV2"),
		Sku:                    &storage.SkuArgs{Name: pulumi.String("Standard_LRS")},
		EnableHttpsTrafficOnly: pulumi.Bool(true),
		MinimumTlsVersion:      pulumi.String("TLS1_2"),
		AllowBlobPublicAccess:  pulumi.Bool(false),
		NetworkRuleSet:         &storage.NetworkRuleSetArgs{DefaultAction: storage.DefaultActionDeny, Bypass: pulumi.String("AzureServices")},
		Tags:                   tags,
	}, opts...)
	if err != nil {
		return fmt.Errorf("creating audit storage of %q: %w", name, err)
	}
	if _, err := storage.NewManagementPolicy(ctx, name+"-audit-retention", &storage.ManagementPolicyArgs{
		ResourceGroupName:    site.ResourceGroupName,
		AccountName:          sa.Name,
		ManagementPolicyName: pulumi.String("default"),
		Policy: &storage.ManagementPolicySchemaArgs{Rules: storage.ManagementPolicyRuleArray{&storage.ManagementPolicyRuleArgs{
			Name: pulumi.String("expire-audit-logs"), Enabled: pulumi.Bool(true), Type: pulumi.String("Lifecycle"),
			Definition: &storage.ManagementPolicyDefinitionArgs{
				Actions: &storage.ManagementPolicyActionArgs{BaseBlob: &storage.ManagementPolicyBaseBlobArgs{
					Delete: &storage.DateAfterModificationArgs{DaysAfterModificationGreaterThan: pulumi.Float64(float64(r.AuditRetentionDays))},
				}},
				Filters: &storage.ManagementPolicyFilterArgs{
					BlobTypes:   pulumi.StringArray{pulumi.String("appendBlob"), pulumi.String("blockBlob")},
					PrefixMatch: pulumi.StringArray{pulumi.String("insights-logs-sqlsecurityauditevents")},
				},
			},
		}}},
	}, opts...); err != nil {
		return fmt.Errorf("creating audit retention of %q: %w", name, err)
	}
	pol, err := sql.NewServerBlobAuditingPolicy(ctx, name+"-auditing", &sql.ServerBlobAuditingPolicyArgs{
		ResourceGroupName:           site.ResourceGroupName,
		ServerName:                  srv.Name,
		BlobAuditingPolicyName:      pulumi.String("default"),
		State:                       sql.BlobAuditingPolicyStateEnabled,
		IsAzureMonitorTargetEnabled: pulumi.Bool(true),
		AuditActionsAndGroups: pulumi.ToStringArray([]string{
			"SUCCESSFUL_DATABASE_AUTHENTICATION_GROUP", "FAILED_DATABASE_AUTHENTICATION_GROUP", "BATCH_COMPLETED_GROUP",
		}),
	}, opts...)
	if err != nil {
		return fmt.Errorf("creating auditing policy of %q: %w", name, err)
	}
	if _, err := insights.NewDiagnosticSetting(ctx, name+"-audit-logs", &insights.DiagnosticSettingArgs{
		Name:             pulumi.String("sql-audit"),
		ResourceUri:      pulumi.Sprintf("%s/databases/master", srv.ID()),
		StorageAccountId: sa.ID(),
		Logs: insights.LogSettingsArray{&insights.LogSettingsArgs{
			Category: pulumi.String("SQLSecurityAuditEvents"), Enabled: pulumi.Bool(true),
		}},
	}, append(opts, pulumi.DependsOn([]pulumi.Resource{pol}))...); err != nil {
		return fmt.Errorf("creating audit diagnostic setting of %q: %w", name, err)
	}
	return nil
}
