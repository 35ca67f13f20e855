package provider

import (
	azure "github.com/pulumi/pulumi-azure-native-sdk/v2"
	"github.com/pulumi/pulumi-go-provider/infer"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/scalestack/scalestack/components/azure/database"
)

// FailoverPolicy is an Azure SQL failover group's read-write policy.
type FailoverPolicy string

// Values lists the failover policies azure/database accepts.
func (FailoverPolicy) Values() []infer.EnumValue[FailoverPolicy] {
	return []infer.EnumValue[FailoverPolicy]{
		{Name: "Manual", Value: "Manual", Description: "Customer-managed: an operator fails over, as Microsoft recommends (default)."},
		{Name: "Automatic", Value: "Automatic", Description: "Microsoft-managed: only after a region-wide outage lasting failoverGracePeriodMinutes, with possible data loss."},
	}
}

// Annotate names the enum in the schema.
func (k *FailoverPolicy) Annotate(an infer.Annotator) { an.SetToken("azure", "FailoverPolicy") }

// AzureDatabaseArgs are the inputs of scalestack:azure:Database, one to one with
// database.Args (components/azure/database). The primary is placed by the azure-native
// provider of the `providers` option; the secondary site by secondaryProvider. The sites'
// resource groups, subnets and virtual networks are the ID strings the caller's network has.
type AzureDatabaseArgs struct {
	Primary                    AzureDatabaseSite        `pulumi:"primary"`
	Secondary                  *AzureDatabaseSite       `pulumi:"secondary,optional"`
	SecondaryProvider          *azure.Provider          `pulumi:"secondaryProvider,optional" provider:"type=azure-native@2.90.0:index:Provider"`
	AdminLogin                 string                   `pulumi:"adminLogin"`
	AdminObjectID              string                   `pulumi:"adminObjectId"`
	AdminPrincipalType         *PrincipalType           `pulumi:"adminPrincipalType,optional"`
	TenantID                   string                   `pulumi:"tenantId,optional"`
	DatabaseName               string                   `pulumi:"databaseName,optional"`
	SKUName                    string                   `pulumi:"skuName,optional"`
	ZoneRedundant              bool                     `pulumi:"zoneRedundant,optional"`
	ReadScale                  bool                     `pulumi:"readScale,optional"`
	ReadReplicas               int                      `pulumi:"readReplicas,optional"`
	BackupStorageRedundancy    *BackupStorageRedundancy `pulumi:"backupStorageRedundancy,optional"`
	DeletionProtection         bool                     `pulumi:"deletionProtection,optional"`
	AuditRetentionDays         int                      `pulumi:"auditRetentionDays,optional"`
	HighAvailabilityReplicas   int                      `pulumi:"highAvailabilityReplicas,optional"`
	FailoverPolicy             *FailoverPolicy          `pulumi:"failoverPolicy,optional"`
	FailoverGracePeriodMinutes int                      `pulumi:"failoverGracePeriodMinutes,optional"`
	Tags                       map[string]string        `pulumi:"tags,optional"`
}

// Annotate documents the inputs in the schema.
func (a *AzureDatabaseArgs) Annotate(an infer.Annotator) {
	an.Describe(&a.Primary, "Places the primary server; its location must be the one of the component's azure-native provider. Required.")
	an.Describe(&a.Secondary, "Adds a geo-secondary server and database and a failover group there. Needs `secondaryProvider`. Default: none.")
	an.Describe(&a.SecondaryProvider, "The azure-native provider of the secondary location. Required with `secondary`.")
	an.Describe(&a.AdminLogin, "The display name of the Entra ID administrator (a group, by default). Required: authentication is Entra-only, there is no SQL password.")
	an.Describe(&a.AdminObjectID, "The administrator's Entra object ID (a GUID). Required.")
	an.Describe(&a.AdminPrincipalType, "The administrator's kind. Default: Group.")
	an.Describe(&a.TenantID, "The administrator's Entra tenant (a GUID). Default: the subscription's tenant.")
	an.Describe(&a.DatabaseName, "The application database. Default: app.")
	an.Describe(&a.SKUName, "The database SKU. Default: HS_Gen5_2 (Hyperscale, 2 vCores). Named replicas need Hyperscale (HS_...); readScale needs Premium, Business Critical or Hyperscale.")
	an.Describe(&a.ZoneRedundant, "Spread the database over availability zones. Default: false.")
	an.Describe(&a.ReadScale, "Route read-only connections to a readable high-availability replica. Default: false.")
	an.Describe(&a.ReadReplicas, "In-region Hyperscale named replicas, keyed \"1\"..\"N\". Default: 0. Allowed: 0-5.")
	an.Describe(&a.BackupStorageRedundancy, "Where backups are kept; it cannot change after a Hyperscale database is created. Default: GeoZone for a zone-redundant Hyperscale database, else Geo.")
	an.Describe(&a.DeletionProtection, "Protect the servers and databases (pulumi protect: destroy fails until it is turned off). Default: false.")
	an.Describe(&a.AuditRetentionDays, "Days the servers' audit logs are kept. Default: 90. Allowed: 90-3650.")
	an.Describe(&a.HighAvailabilityReplicas, "High-availability replicas of each Hyperscale database. Default: 1 for a zone-redundant Hyperscale database, else 0. Allowed: 0-4, Hyperscale only.")
	an.Describe(&a.FailoverPolicy, "The failover group's read-write policy. Default: Manual.")
	an.Describe(&a.FailoverGracePeriodMinutes, "How long an outage lasts before an Automatic failover group fails over. Default: 60 with Automatic. Allowed: 60-1440, Automatic only.")
	an.Describe(&a.Tags, "Added to every child, under the per-child \"tier\" tag.")
}

// AzureDatabaseSite places one logical server (database.Site).
type AzureDatabaseSite struct {
	Location          string             `pulumi:"location"`
	ResourceGroupName pulumi.StringInput `pulumi:"resourceGroupName"`
	DataSubnetID      pulumi.StringInput `pulumi:"dataSubnetId"`
	VNetID            pulumi.StringInput `pulumi:"vnetId"`
}

// Annotate documents the site type in the schema.
func (s *AzureDatabaseSite) Annotate(an infer.Annotator) {
	an.SetToken("azure", "DatabaseSite")
	an.Describe(s, "Where one logical server of a scalestack:azure:Database lives: reachable only through a private endpoint.")
	an.Describe(&s.Location, "The Azure location (\"eastus2\"). Required.")
	an.Describe(&s.ResourceGroupName, "The site's resource group. Required.")
	an.Describe(&s.DataSubnetID, "The subnet of the server's private endpoint. Required.")
	an.Describe(&s.VNetID, "The virtual network linked to the privatelink.database.windows.net zone. Required.")
}

// AzureSQLDatabase is scalestack:azure:Database as served to every Pulumi language.
type AzureSQLDatabase struct {
	pulumi.ComponentResource

	PrimaryServerName   pulumi.StringOutput    `pulumi:"primaryServerName"`
	PrimaryServerID     pulumi.StringOutput    `pulumi:"primaryServerId"`
	PrimaryServerFQDN   pulumi.StringOutput    `pulumi:"primaryServerFqdn"`
	DatabaseID          pulumi.StringOutput    `pulumi:"databaseId"`
	DatabaseName        pulumi.StringOutput    `pulumi:"databaseName"`
	ReplicaIDs          pulumi.StringMapOutput `pulumi:"replicaIds"`
	SecondaryServerName pulumi.StringOutput    `pulumi:"secondaryServerName"`
	SecondaryServerFQDN pulumi.StringOutput    `pulumi:"secondaryServerFqdn"`
	SecondaryDatabaseID pulumi.StringOutput    `pulumi:"secondaryDatabaseId"`
	Listener            pulumi.StringOutput    `pulumi:"listener"`
	ReadOnlyListener    pulumi.StringOutput    `pulumi:"readOnlyListener"`
}

// Annotate documents the component and its outputs in the schema.
func (d *AzureSQLDatabase) Annotate(an infer.Annotator) {
	an.SetToken("azure", "Database")
	an.Describe(d, "Azure SQL: Entra-only servers behind private endpoints, auditing, a Hyperscale database with named replicas, "+
		"and an optional geo-secondary with a failover group. The same component as the Go API (components/azure/database).")
	an.Describe(&d.PrimaryServerName, "The primary server's name.")
	an.Describe(&d.PrimaryServerID, "The primary server's ID.")
	an.Describe(&d.PrimaryServerFQDN, "The primary server's FQDN.")
	an.Describe(&d.DatabaseID, "The primary database's ID.")
	an.Describe(&d.DatabaseName, "The primary database's name.")
	an.Describe(&d.ReplicaIDs, "The named replicas' IDs, keyed \"1\", \"2\", ...")
	an.Describe(&d.SecondaryServerName, "The secondary server's name (\"\" without a secondary site).")
	an.Describe(&d.SecondaryServerFQDN, "The secondary server's FQDN (\"\" without a secondary site).")
	an.Describe(&d.SecondaryDatabaseID, "The geo-secondary database's ID (\"\" without a secondary site).")
	an.Describe(&d.Listener, "Where the application connects: the failover group's read-write listener, or the primary server's FQDN without a secondary site.")
	an.Describe(&d.ReadOnlyListener, "The failover group's read-only listener (\"\" without a secondary site).")
}

func (s AzureDatabaseSite) goSite() database.Site {
	return database.Site{Location: s.Location, ResourceGroupName: s.ResourceGroupName, DataSubnetID: s.DataSubnetID, VNetID: s.VNetID}
}

// goArgs maps the package inputs onto database.Args: the one place the two meet.
func (a *AzureDatabaseArgs) goArgs() *database.Args {
	g := &database.Args{
		Primary: a.Primary.goSite(), AdminLogin: a.AdminLogin, AdminObjectID: a.AdminObjectID,
		AdminPrincipalType: str(a.AdminPrincipalType), TenantID: a.TenantID, DatabaseName: a.DatabaseName,
		SKUName: a.SKUName, ZoneRedundant: a.ZoneRedundant, ReadScale: a.ReadScale, ReadReplicas: a.ReadReplicas,
		BackupStorageRedundancy: str(a.BackupStorageRedundancy), DeletionProtection: a.DeletionProtection,
		AuditRetentionDays: a.AuditRetentionDays, HighAvailabilityReplicas: a.HighAvailabilityReplicas,
		FailoverPolicy: str(a.FailoverPolicy), FailoverGracePeriodMinutes: a.FailoverGracePeriodMinutes,
		Tags: a.Tags,
	}
	if s := a.Secondary; s != nil {
		site := s.goSite()
		g.Secondary = &site
	}
	if a.SecondaryProvider != nil { // a nil *azure.Provider in the interface would not be nil
		g.SecondaryProvider = a.SecondaryProvider
	}
	return g
}

// NewAzureDatabase constructs scalestack:azure:Database for the package: it maps args and
// calls database.New, which validates them and registers the component and its children.
func NewAzureDatabase(ctx *pulumi.Context, name string, args AzureDatabaseArgs, opts ...pulumi.ResourceOption) (*AzureSQLDatabase, error) {
	d, err := database.New(ctx, name, args.goArgs(), opts...)
	if err != nil {
		return nil, err
	}
	return &AzureSQLDatabase{
		ComponentResource: d,
		PrimaryServerName: d.PrimaryServerName, PrimaryServerID: d.PrimaryServerID, PrimaryServerFQDN: d.PrimaryServerFQDN,
		DatabaseID: d.DatabaseID, DatabaseName: d.DatabaseName, ReplicaIDs: d.ReplicaIDs,
		SecondaryServerName: d.SecondaryServerName, SecondaryServerFQDN: d.SecondaryServerFQDN,
		SecondaryDatabaseID: d.SecondaryDatabaseID, Listener: d.Listener, ReadOnlyListener: d.ReadOnlyListener,
	}, nil
}
