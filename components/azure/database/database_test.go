package database

import (
	"strings"
	"testing"

	azure "github.com/pulumi/pulumi-azure-native-sdk/v2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scalestack/scalestack/testkit"
)

const adminID = "11111111-2222-3333-4444-555555555555"

func site(loc string) Site {
	return Site{Location: loc, ResourceGroupName: pulumi.String("rg-" + loc), DataSubnetID: pulumi.String("data-" + loc), VNetID: pulumi.String("vnet-" + loc)}
}

func base() Args {
	return Args{Primary: site("eastus2"), AdminLogin: "sql-admins", AdminObjectID: adminID}
}

func TestResolveDefaults(t *testing.T) {
	a := base()
	r, err := a.resolve()
	require.NoError(t, err)
	assert.Equal(t, "Group", r.AdminPrincipalType)
	assert.Equal(t, "app", r.DatabaseName)
	assert.Equal(t, "HS_Gen5_2", r.SKUName)
	assert.Equal(t, "Geo", r.BackupStorageRedundancy)
	assert.Equal(t, "Manual", r.FailoverPolicy)
	assert.Equal(t, 0, r.FailoverGracePeriodMinutes, "a grace period only with Automatic")
	assert.Equal(t, 0, r.HighAvailabilityReplicas)
	assert.Equal(t, 90, r.AuditRetentionDays)
	a.ReadReplicas = 2
	r, err = a.resolve()
	require.NoError(t, err)
	assert.Equal(t, "HS_Gen5_2", r.SKUName, "adding replicas keeps the SKU")
	a.ZoneRedundant = true
	r, err = a.resolve()
	require.NoError(t, err)
	assert.Equal(t, "GeoZone", r.BackupStorageRedundancy, "zone-redundant Hyperscale needs zone-redundant backups")
	assert.Equal(t, 1, r.HighAvailabilityReplicas, "and a high-availability replica")
	a.FailoverPolicy = "Automatic"
	r, err = a.resolve()
	require.NoError(t, err)
	assert.Equal(t, 60, r.FailoverGracePeriodMinutes)
}

type fakeProvider struct{ pulumi.ProviderResourceState }

func TestResolveErrors(t *testing.T) {
	sec := site("centralus")
	same := site("eastus2")
	for _, tc := range []struct {
		edit func(*Args)
		want string
	}{
		{func(a *Args) { a.Primary.Location = "" }, `Primary.Location "" is not an Azure location`},
		{func(a *Args) { a.Primary.VNetID = nil }, "Primary: ResourceGroupName, DataSubnetID and VNetID are required"},
		{func(a *Args) { a.Secondary = &Site{Location: "centralus"} }, "Secondary: ResourceGroupName, DataSubnetID and VNetID are required"},
		{func(a *Args) { a.Secondary, a.SecondaryProvider = &same, &fakeProvider{} }, `Secondary.Location "eastus2" is the primary location`},
		{func(a *Args) { a.Secondary = &sec }, "SecondaryProvider is required with Secondary"},
		{func(a *Args) { a.AdminLogin = " " }, "AdminLogin is required"},
		{func(a *Args) { a.AdminObjectID = "sql-admins" }, `AdminObjectID "sql-admins" is not allowed: want the administrator's Entra object ID (a GUID)`},
		{func(a *Args) { a.TenantID = "contoso" }, `TenantID "contoso" is not allowed`},
		{func(a *Args) { a.AdminPrincipalType = "Robot" }, `AdminPrincipalType "Robot" is not allowed: want Group, User or Application`},
		{func(a *Args) { a.DatabaseName = "1app" }, `DatabaseName "1app" is not allowed`},
		{func(a *Args) { a.SKUName = "db.r6g.large" }, `SKUName "db.r6g.large" is not allowed`},
		{func(a *Args) { a.ReadReplicas = 9 }, "ReadReplicas 9 is not allowed: want 0-5"},
		{func(a *Args) { a.ReadReplicas, a.SKUName = 1, "GP_Gen5_2" }, `ReadReplicas 1 needs a Hyperscale SKU (HS_...): SKUName "GP_Gen5_2" has no named replicas`},
		{func(a *Args) { a.ReadScale, a.SKUName = true, "GP_Gen5_2" }, `ReadScale needs a Premium, Business Critical or Hyperscale SKU: SKUName "GP_Gen5_2"`},
		{func(a *Args) { a.BackupStorageRedundancy = "RA-GRS" }, `BackupStorageRedundancy "RA-GRS" is not allowed`},
		{func(a *Args) { a.ZoneRedundant, a.BackupStorageRedundancy = true, "Geo" }, `BackupStorageRedundancy "Geo" is not allowed for a zone-redundant Hyperscale database: want GeoZone or Zone`},
		{func(a *Args) { a.AuditRetentionDays = 30 }, "AuditRetentionDays 30 is not allowed: want 90-3650"},
		{func(a *Args) { a.FailoverPolicy, a.FailoverGracePeriodMinutes = "Automatic", 5 }, "FailoverGracePeriodMinutes 5 is not allowed: want 60-1440"},
		{func(a *Args) { a.FailoverGracePeriodMinutes = 60 }, "FailoverGracePeriodMinutes 60 has no meaning with FailoverPolicy Manual"},
		{func(a *Args) { a.FailoverPolicy = "Forced" }, `FailoverPolicy "Forced" is not allowed: want Manual (customer-managed) or Automatic`},
		{func(a *Args) { a.HighAvailabilityReplicas = 5 }, "HighAvailabilityReplicas 5 is not allowed: want 0-4"},
		{func(a *Args) { a.HighAvailabilityReplicas, a.SKUName = 1, "GP_Gen5_2" }, `HighAvailabilityReplicas 1 needs a Hyperscale SKU (HS_...)`},
		{func(a *Args) { a.ZoneRedundant, a.HighAvailabilityReplicas = true, -1 }, "HighAvailabilityReplicas -1 is not allowed: want 0-4"},
	} {
		a := base()
		tc.edit(&a)
		_, err := a.resolve()
		if assert.Error(t, err, tc.want) {
			assert.Contains(t, err.Error(), tc.want)
		}
	}
}

func run(t *testing.T, edit func(*Args, *azure.Provider)) *testkit.Plan {
	t.Helper()
	plan, err := testkit.Run(func(ctx *pulumi.Context) error {
		p1, err := azure.NewProvider(ctx, "azure-native-eastus2", &azure.ProviderArgs{Location: pulumi.StringPtr("eastus2")})
		if err != nil {
			return err
		}
		p2, err := azure.NewProvider(ctx, "azure-native-centralus", &azure.ProviderArgs{Location: pulumi.StringPtr("centralus")})
		if err != nil {
			return err
		}
		a := base()
		edit(&a, p2)
		_, err = New(ctx, "db", &a, pulumi.Provider(p1))
		return err
	})
	require.NoError(t, err)
	return plan
}

const (
	tServer   = "azure-native:sql:Server"
	tDatabase = "azure-native:sql:Database"
	tFog      = "azure-native:sql:FailoverGroup"
)

func TestSingleRegion(t *testing.T) {
	plan := run(t, func(a *Args, _ *azure.Provider) {})
	comp := plan.Find(typeToken, "db")
	kids := plan.Children(comp.URN)
	assert.Len(t, kids, 12, "server, its Entra admin and Entra-only resources, private endpoint, zone, link, zone group, 4 for auditing, database")
	for _, k := range kids {
		assert.Equal(t, "azure-native-eastus2", k.ProviderResource().Name, k.Name)
	}
	srv := plan.Find(tServer, "db-primary")
	db := plan.Find(tDatabase, "db")
	assert.Equal(t, "Disabled", srv.InputString("publicNetworkAccess"))
	assert.Equal(t, "1.2", srv.InputString("minimalTlsVersion"))
	assert.Equal(t, true, srv.Input("administrators.azureADOnlyAuthentication"))
	assert.Equal(t, adminID, srv.InputString("administrators.sid"))
	assert.Equal(t, "Group", srv.InputString("administrators.principalType"))
	assert.Nil(t, srv.Input("administratorLoginPassword"), "no SQL password")
	assert.Nil(t, srv.Input("administratorLogin"))
	assert.Equal(t, "eastus2", srv.Region())
	assert.False(t, srv.Protect)

	assert.True(t, db.InputFrom("serverName", srv))
	assert.Equal(t, srv.Output("name"), db.Input("serverName"))
	assert.Equal(t, "app", db.InputString("databaseName"))
	assert.Equal(t, "Geo", db.InputString("requestedBackupStorageRedundancy"))
	assert.Equal(t, "Disabled", db.InputString("readScale"))

	pe := plan.Find("azure-native:network:PrivateEndpoint", "db-primary-pe")
	zone := plan.Find("azure-native:network:PrivateZone", "db-primary-dns")
	link := plan.Find("azure-native:network:VirtualNetworkLink", "db-primary-dns-link")
	group := plan.Find("azure-native:network:PrivateDnsZoneGroup", "db-primary-pe-dns")
	assert.Len(t, plan.ByType("azure-native:network:PrivateEndpoint"), 1, "one region, one endpoint")
	assert.True(t, pe.InputFrom("privateLinkServiceConnections", srv))
	assert.Equal(t, "sqlServer", pe.Input("privateLinkServiceConnections.0.groupIds.0"))
	assert.Equal(t, "data-eastus2", pe.InputString("subnet.id"))
	assert.Equal(t, "privatelink.database.windows.net", zone.InputString("privateZoneName"))
	assert.Equal(t, "vnet-eastus2", link.InputString("virtualNetwork.id"))
	assert.True(t, group.InputFrom("privateEndpointName", pe))
	assert.True(t, group.InputFrom("privateDnsZoneConfigs", zone))
	assert.Empty(t, plan.ByType(tFog))

	// Auditing: policy on the server, logs of master to a locked-down storage account.
	audit := plan.Find("azure-native:sql:ServerBlobAuditingPolicy", "db-primary-auditing")
	sa := plan.Find("azure-native:storage:StorageAccount", "db-primary-audit")
	life := plan.Find("azure-native:storage:ManagementPolicy", "db-primary-audit-retention")
	diag := plan.Find("azure-native:insights:DiagnosticSetting", "db-primary-audit-logs")
	require.NotNil(t, audit)
	assert.True(t, audit.InputFrom("serverName", srv))
	assert.Equal(t, "Enabled", audit.InputString("state"))
	assert.Equal(t, true, audit.Input("isAzureMonitorTargetEnabled"))
	assert.Nil(t, audit.Input("storageAccountAccessKey"), "no storage key in state")
	assert.Regexp(t, `^sqlaudit[0-9a-f]{12}$`, sa.InputString("accountName"))
	assert.True(t, sa.InputFrom("accountName", srv))
	assert.Equal(t, "TLS1_2", sa.InputString("minimumTlsVersion"))
	assert.Equal(t, false, sa.Input("allowBlobPublicAccess"))
	assert.Equal(t, "Deny", sa.InputString("networkRuleSet.defaultAction"))
	assert.Equal(t, "eastus2", sa.Region())
	assert.True(t, life.InputFrom("accountName", sa))
	assert.Equal(t, float64(90), life.Input("policy.rules.0.definition.actions.baseBlob.delete.daysAfterModificationGreaterThan"))
	assert.True(t, diag.InputFrom("storageAccountId", sa))
	assert.True(t, diag.InputFrom("resourceUri", srv))
	assert.Equal(t, srv.ID+"/databases/master", diag.InputString("resourceUri"))
	assert.Equal(t, "SQLSecurityAuditEvents", diag.InputString("logs.0.category"))
	assert.True(t, diag.DependsOn(audit))
}

func TestRegionPairWithReplicas(t *testing.T) {
	plan := run(t, func(a *Args, p2 *azure.Provider) {
		sec := site("centralus")
		a.Secondary, a.SecondaryProvider = &sec, p2
		a.ReadReplicas, a.ZoneRedundant, a.ReadScale, a.DeletionProtection = 2, true, true, true
	})
	counts := plan.CountByRegion()
	assert.Equal(t, map[string]int{tServer: 1, tDatabase: 3, "azure-native:network:PrivateEndpoint": 2}, pick(counts["eastus2"], tServer, tDatabase, "azure-native:network:PrivateEndpoint"))
	assert.Equal(t, map[string]int{tServer: 1, tDatabase: 1, "azure-native:network:PrivateEndpoint": 2}, pick(counts["centralus"], tServer, tDatabase, "azure-native:network:PrivateEndpoint"))

	comp := plan.Find(typeToken, "db")
	for _, k := range plan.Children(comp.URN) {
		want := "azure-native-eastus2"
		if k.Name == "db-geo" || strings.HasPrefix(k.Name, "db-secondary") {
			want = "azure-native-centralus"
		}
		assert.Equal(t, want, k.ProviderResource().Name, k.Name)
	}

	primary := plan.Find(tServer, "db-primary")
	secondary := plan.Find(tServer, "db-secondary")
	db := plan.Find(tDatabase, "db")
	geo := plan.Find(tDatabase, "db-geo")
	fog := plan.Find(tFog, "db-fog")
	require.NotNil(t, fog)

	assert.True(t, primary.Protect && secondary.Protect && db.Protect && geo.Protect, "stateful resources are protected")
	assert.True(t, db.Input("zoneRedundant").(bool))
	assert.Equal(t, "Enabled", db.InputString("readScale"))
	assert.Equal(t, "HS_Gen5_2", db.InputString("sku.name"))
	assert.Equal(t, "GeoZone", db.InputString("requestedBackupStorageRedundancy"))

	for _, key := range []string{"1", "2"} {
		rep := plan.Find(tDatabase, "db-replica-"+key)
		require.NotNil(t, rep, key)
		assert.True(t, rep.InputFrom("sourceDatabaseId", db), "replica %s reads from the primary", key)
		assert.Equal(t, "Named", rep.InputString("secondaryType"))
		assert.Equal(t, "app-replica-"+key, rep.InputString("databaseName"))
		assert.True(t, rep.InputFrom("serverName", primary))
	}

	assert.True(t, geo.InputFrom("sourceDatabaseId", db), "the geo-secondary's source is the primary database")
	assert.Equal(t, db.ID, geo.InputString("sourceDatabaseId"))
	assert.Equal(t, "Geo", geo.InputString("secondaryType"))
	assert.True(t, geo.InputFrom("serverName", secondary))
	assert.Equal(t, "app", geo.InputString("databaseName"), "geo-secondaries keep the primary's name")

	assert.True(t, fog.InputFrom("serverName", primary), "the failover group lives on the primary")
	assert.True(t, fog.InputFrom("partnerServers", secondary), "and names the secondary as partner")
	assert.Equal(t, secondary.ID, fog.InputString("partnerServers.0.id"))
	assert.Equal(t, []any{db.ID}, fog.Input("databases"))
	assert.True(t, fog.DependsOn(geo))
}

func pick(m map[string]int, keys ...string) map[string]int {
	out := map[string]int{}
	for _, k := range keys {
		out[k] = m[k]
	}
	return out
}

func TestListeners(t *testing.T) {
	plan, err := testkit.RunExports(func(ctx *pulumi.Context) (pulumi.Map, error) {
		p2, err := azure.NewProvider(ctx, "azure-native-centralus", &azure.ProviderArgs{Location: pulumi.StringPtr("centralus")})
		if err != nil {
			return nil, err
		}
		a := base()
		sec := site("centralus")
		a.Secondary, a.SecondaryProvider = &sec, p2
		d, err := New(ctx, "db", &a)
		if err != nil {
			return nil, err
		}
		return pulumi.Map{"rw": d.Listener, "ro": d.ReadOnlyListener, "p": d.PrimaryServerFQDN, "s": d.SecondaryServerFQDN}, nil
	})
	require.NoError(t, err)
	fog := plan.Find(tFog, "db-fog")
	name := fog.Output("name").(string)
	assert.Equal(t, name+".database.windows.net", plan.Outputs["rw"])
	assert.Equal(t, name+".secondary.database.windows.net", plan.Outputs["ro"])
	assert.Equal(t, plan.Find(tServer, "db-primary").Output("fullyQualifiedDomainName"), plan.Outputs["p"])
	assert.Regexp(t, `^db-secondary[0-9a-f]{8}\.database\.windows\.net$`, plan.Outputs["s"])
}

func pair(a *Args, p2 *azure.Provider) {
	sec := site("centralus")
	a.Secondary, a.SecondaryProvider = &sec, p2
}

// TestZoneRedundantHyperscaleNeedsAHighAvailabilityReplicaAndZoneRedundantBackups: Azure
// refuses a zone-redundant Hyperscale database (primary, named replica or geo-secondary) without
// at least one high-availability replica ("There is an insufficient number of high
// availability replicas to enable zone redundancy for a Hyperscale database") and without
// zone-redundant (Zone or GeoZone) backup storage. Rule: "Create a zone-redundant Hyperscale
// database" (https://learn.microsoft.com/azure/azure-sql/database/hyperscale-create-zone-redundant-database)
// and "Troubleshoot zone redundant Hyperscale named replicas"
// (https://learn.microsoft.com/azure/azure-sql/database/service-tier-hyperscale-replicas#troubleshoot).
func TestZoneRedundantHyperscaleNeedsAHighAvailabilityReplicaAndZoneRedundantBackups(t *testing.T) {
	plan := run(t, func(a *Args, p2 *azure.Provider) {
		pair(a, p2)
		a.ZoneRedundant, a.ReadReplicas = true, 1
	})
	for _, name := range []string{"db", "db-replica-1", "db-geo"} {
		d := plan.Find(tDatabase, name)
		require.NotNil(t, d, name)
		assert.Equal(t, true, d.Input("zoneRedundant"), name)
		assert.Equal(t, float64(1), d.Input("highAvailabilityReplicaCount"), "%s needs a high-availability replica", name)
	}
	assert.Equal(t, "GeoZone", plan.Find(tDatabase, "db").InputString("requestedBackupStorageRedundancy"))
	assert.Equal(t, "GeoZone", plan.Find(tDatabase, "db-geo").InputString("requestedBackupStorageRedundancy"), "the geo-secondary too")

	// Not zone redundant: the service default, nothing sent.
	plan = run(t, pair)
	assert.Nil(t, plan.Find(tDatabase, "db").Input("highAvailabilityReplicaCount"))
	assert.Nil(t, plan.Find(tDatabase, "db-geo").Input("highAvailabilityReplicaCount"))

	a := base()
	a.ZoneRedundant, a.HighAvailabilityReplicas = true, 0
	r, err := a.resolve()
	require.NoError(t, err)
	assert.Equal(t, 1, r.HighAvailabilityReplicas, "0 means the default, which is 1 here")
}

// TestFailoverGroupIsCustomerManagedByDefault: a Microsoft-managed (Automatic) failover group
// fails over only for a region-wide outage, after its grace period of at least an hour, while
// Front Door and Traffic Manager move traffic in about 90 seconds; Microsoft recommends the
// customer-managed policy, failing over with `az sql failover-group set-primary` (the drill in
// docs/operations.md). The grace period only exists with Automatic. Rule: "Failover groups
// overview: failover policy" (https://learn.microsoft.com/azure/azure-sql/database/failover-group-sql-db#failover-policy).
func TestFailoverGroupIsCustomerManagedByDefault(t *testing.T) {
	fog := run(t, pair).Find(tFog, "db-fog")
	require.NotNil(t, fog)
	assert.Equal(t, "Manual", fog.InputString("readWriteEndpoint.failoverPolicy"))
	assert.Nil(t, fog.Input("readWriteEndpoint.failoverWithDataLossGracePeriodMinutes"), "no grace period with Manual")

	fog = run(t, func(a *Args, p2 *azure.Provider) {
		pair(a, p2)
		a.FailoverPolicy, a.FailoverGracePeriodMinutes = "Automatic", 120
	}).Find(tFog, "db-fog")
	assert.Equal(t, "Automatic", fog.InputString("readWriteEndpoint.failoverPolicy"))
	assert.Equal(t, float64(120), fog.Input("readWriteEndpoint.failoverWithDataLossGracePeriodMinutes"))
}

// TestEntraAdministratorAndEntraOnlyAuthAreTheirOwnResources: the server PUT refuses a change
// to administrators.azureADOnlyAuthentication (AadOnlyAuthenticationIsEnabled / "Invalid value
// given for parameter AzureADOnlyAuthentication"), so updating the server or rotating the
// administrator through it fails. The administrators block is sent only when the server is
// created (an Entra-only server cannot be created without it) and ignored afterwards; the
// administrator and Entra-only authentication are their own child resources. Rule:
// Azure/bicep#6858, Azure/bicep-types-az#2320, and "Create server with Microsoft Entra-only
// authentication enabled" (https://learn.microsoft.com/azure/azure-sql/database/authentication-azure-ad-only-authentication-create-server).
func TestEntraAdministratorAndEntraOnlyAuthAreTheirOwnResources(t *testing.T) {
	plan := run(t, func(a *Args, p2 *azure.Provider) {
		pair(a, p2)
		a.TenantID = "99999999-8888-7777-6666-555555555555"
	})
	for _, role := range []string{"primary", "secondary"} {
		srv := plan.Find(tServer, "db-"+role)
		adm := plan.Find("azure-native:sql:ServerAzureADAdministrator", "db-"+role+"-admin")
		only := plan.Find("azure-native:sql:ServerAzureADOnlyAuthentication", "db-"+role+"-entra-only")
		require.NotNil(t, adm, role)
		require.NotNil(t, only, role)
		assert.Contains(t, srv.IgnoreChanges, "administrators", "%s: the server PUT never changes the administrators block", role)
		assert.Equal(t, true, srv.Input("administrators.azureADOnlyAuthentication"), "%s: created Entra-only", role)
		assert.True(t, adm.InputFrom("serverName", srv), role)
		assert.Equal(t, "ActiveDirectory", adm.InputString("administratorName"))
		assert.Equal(t, "ActiveDirectory", adm.InputString("administratorType"))
		assert.Equal(t, adminID, adm.InputString("sid"))
		assert.Equal(t, "sql-admins", adm.InputString("login"))
		assert.Equal(t, "99999999-8888-7777-6666-555555555555", adm.InputString("tenantId"))
		assert.True(t, only.InputFrom("serverName", srv), role)
		assert.Equal(t, "Default", only.InputString("authenticationName"))
		assert.Equal(t, true, only.Input("azureADOnlyAuthentication"))
		assert.True(t, only.DependsOn(adm), "%s: Entra-only needs the administrator first", role)
		assert.Equal(t, srv.Region(), adm.Region(), role)
		assert.Equal(t, srv.Region(), only.Region(), role)
	}
}

// TestFailoverGroupListenerResolvesPrivatelyInBothRegions: the listener
// <group>.database.windows.net is a CNAME to the current primary server, whose
// privatelink.database.windows.net record must resolve, from the web tier of either region, to a
// private endpoint that region can reach: before and after a failover. Microsoft's
// recipe registers both servers' endpoints in the private zone that the callers' networks
// resolve with (and non-overlapping address spaces); here every region's network holds an
// endpoint to each server, registered in that region's own zone, which is linked to that
// region's network, so no peering and no shared zone in one region are needed. Rule:
// "Configure a failover group: use Private Link"
// (https://learn.microsoft.com/azure/azure-sql/database/failover-group-configure-sql-db#use-private-link)
// and "Azure Private Endpoint DNS configuration"
// (https://learn.microsoft.com/azure/private-link/private-endpoint-dns).
func TestFailoverGroupListenerResolvesPrivatelyInBothRegions(t *testing.T) {
	plan := run(t, pair)
	region := map[string]string{"primary": "eastus2", "secondary": "centralus"}
	for _, where := range []string{"primary", "secondary"} {
		zone := plan.Find("azure-native:network:PrivateZone", "db-"+where+"-dns")
		link := plan.Find("azure-native:network:VirtualNetworkLink", "db-"+where+"-dns-link")
		require.NotNil(t, zone, where)
		assert.Equal(t, "privatelink.database.windows.net", zone.InputString("privateZoneName"))
		assert.True(t, link.InputFrom("privateZoneName", zone))
		assert.Equal(t, "vnet-"+region[where], link.InputString("virtualNetwork.id"), "%s zone answers %s's network", where, where)
		for _, target := range []string{"primary", "secondary"} {
			name := "db-" + where + "-pe"
			if target != where {
				name += "-" + target
			}
			pe := plan.Find("azure-native:network:PrivateEndpoint", name)
			group := plan.Find("azure-native:network:PrivateDnsZoneGroup", name+"-dns")
			require.NotNil(t, pe, name)
			require.NotNil(t, group, name)
			assert.Equal(t, "data-"+region[where], pe.InputString("subnet.id"), "%s sits in %s's data subnet", name, where)
			assert.Equal(t, region[where], pe.Region(), name)
			assert.True(t, pe.InputFrom("privateLinkServiceConnections", plan.Find(tServer, "db-"+target)), "%s reaches the %s server", name, target)
			assert.True(t, group.InputFrom("privateEndpointName", pe), name)
			assert.True(t, group.InputFrom("privateDnsZoneConfigs", zone), "%s is registered in the %s zone", name, where)
		}
	}
	assert.Len(t, plan.ByType("azure-native:network:PrivateEndpoint"), 4)
	assert.Empty(t, plan.ByType("azure-native:network:VirtualNetworkPeering"), "no peering needed")
}
