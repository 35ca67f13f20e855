package backend

import (
	"encoding/json"
	"strings"
	"sync/atomic"
	"testing"

	azure "github.com/pulumi/pulumi-azure-native-sdk/v2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scalestack/scalestack/testkit"
)

const (
	secretID   = "https://ops-kv.vault.azure.net/secrets/app-tls"
	identityID = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/ops/providers/Microsoft.ManagedIdentity/userAssignedIdentities/appgw"
)

func base() Args {
	return Args{
		PrimaryLocation: "eastus2",
		Web:             Web{MinSize: 2, MaxSize: 6},
		Database:        Database{AdminLogin: "sql-admins", AdminObjectID: "11111111-2222-3333-4444-555555555555"},
	}
}

// pair is a full two-region configuration with HTTPS, a CDN and a domain.
func pair(a *Args) {
	a.SecondaryLocation = "centralus"
	a.Database.GeoSecondary, a.Database.ReadReplicas = true, 1
	a.Backup = Backup{RetentionDays: 35, WeeklyRetentionDays: 90, CopyToSecondary: true}
	a.Gateway.CertificateSecretID, a.Gateway.IdentityID = secretID, identityID
	a.CDN.Enabled, a.Domain, a.AlertEmail = true, "app.example.com", "ops@example.com"
}

func run(t *testing.T, edit func(*Args)) *testkit.Plan {
	t.Helper()
	plan, err := testkit.RunExports(func(ctx *pulumi.Context) (pulumi.Map, error) {
		p1, err := azure.NewProvider(ctx, "azure-native-eastus2", &azure.ProviderArgs{Location: pulumi.StringPtr("eastus2")})
		if err != nil {
			return nil, err
		}
		a := base()
		edit(&a)
		if a.SecondaryLocation != "" {
			p2, err := azure.NewProvider(ctx, "azure-native-"+a.SecondaryLocation, &azure.ProviderArgs{Location: pulumi.StringPtr(a.SecondaryLocation)})
			if err != nil {
				return nil, err
			}
			a.SecondaryProvider = p2
		}
		b, err := New(ctx, "app", &a, pulumi.Provider(p1))
		if err != nil {
			return nil, err
		}
		return pulumi.Map{
			"url": b.URL, "cdn": b.CDNHostName, "gateways": b.GatewayFQDNs, "sql": b.SQLServerFQDNs,
			"listener": b.DatabaseListener, "tm": b.TrafficManagerFQDN, "ns": b.NameServers, "ids": b.WebIdentities,
		}, nil
	})
	require.NoError(t, err)
	return plan
}

func TestValidate(t *testing.T) {
	for _, tc := range []struct {
		edit func(*Args)
		want string
	}{
		{func(a *Args) { a.SecondaryLocation = "centralus" }, `SecondaryProvider is required with SecondaryLocation "centralus"`},
		{func(a *Args) { a.SecondaryProvider = &azure.Provider{} }, "SecondaryProvider is set without SecondaryLocation"},
		{func(a *Args) { a.SecondaryLocation, a.SecondaryProvider = "eastus2", &azure.Provider{} }, `SecondaryLocation "eastus2" is the primary location`},
		{func(a *Args) { a.Database.GeoSecondary = true }, "Database.GeoSecondary needs SecondaryLocation"},
		{func(a *Args) { a.Backup.CopyToSecondary = true }, "Backup.CopyToSecondary needs Database.GeoSecondary"},
		{func(a *Args) { a.Domain = "Not a domain" }, `Domain "Not a domain" is not a DNS name`},
		{func(a *Args) { a.CDN.Enabled, a.Gateway.DisableWAF = true, true }, "Gateway.DisableWAF with the CDN enabled"},
	} {
		a := base()
		tc.edit(&a)
		err := a.validate()
		if assert.Error(t, err, tc.want) {
			assert.Contains(t, err.Error(), tc.want)
		}
	}
	a := base()
	assert.NoError(t, a.validate())
}

func TestComponentErrorsRegisterNothing(t *testing.T) {
	for _, tc := range []struct {
		edit func(*Args)
		want string
	}{
		{func(a *Args) { a.Database.AdminObjectID = "" }, `backend "app": database: AdminObjectID "" is not allowed`},
		{func(a *Args) { a.Web.MinSize, a.Web.MaxSize = 5, 2 }, `backend "app": web tier primary: MaxSize 2 is not allowed`},
		{func(a *Args) { a.Gateway.CertificateSecretID = "nope" }, `backend "app": gateway primary: CertificateSecretID "nope" is not a Key Vault secret ID`},
		{func(a *Args) { a.Backup.DailyAt = "03:10" }, `backend "app": backup: DailyAt "03:10" is not allowed`},
		{func(a *Args) { a.CDN = CDN{Enabled: true, SKU: "Premium_Verizon"} }, `backend "app": cdn: SKU "Premium_Verizon" is not allowed`},
		{func(a *Args) { a.CDN = CDN{Enabled: true, Kind: "classic"} }, `backend "app": cdn: Kind "classic" is not allowed`},
		{func(a *Args) { a.Web.Port = 70000 }, `backend "app": network primary: WebPort 70000 is not allowed`},
	} {
		var registered atomic.Int32
		_, err := testkit.Run(func(ctx *pulumi.Context) error {
			a := base()
			tc.edit(&a)
			assert.Error(t, a.Check(), tc.want)
			_, err := New(ctx, "app", &a)
			return err
		}, testkit.OnNewResource(func(*testkit.Resource) error { registered.Add(1); return nil }))
		if assert.Error(t, err, tc.want) {
			assert.Contains(t, err.Error(), tc.want)
		}
		assert.Zero(t, registered.Load(), "%s: nothing is registered", tc.want)
	}
	a := base()
	assert.NoError(t, a.Check())
	pair(&a)
	a.SecondaryProvider = &azure.Provider{}
	assert.NoError(t, a.Check())
}

func TestSingleRegion(t *testing.T) {
	plan := run(t, func(a *Args) {})
	comp := plan.Find(typeToken, "app")
	require.NotNil(t, comp)
	for _, r := range plan.Descendants(comp.URN) {
		if r.Custom {
			assert.Equal(t, "azure-native-eastus2", r.ProviderResource().Name, r.Name)
		}
	}
	assert.Empty(t, plan.ByType("azure-native:network:Profile"), "no failover in one region")
	assert.Empty(t, plan.ByType("azure-native:sql:FailoverGroup"))
	assert.Empty(t, plan.ByType("azure-native:cdn:Profile"))
	assert.Len(t, plan.ByType("azure-native:compute:VirtualMachineScaleSet"), 1)
	gw := plan.Outputs["gateways"].(map[string]any)["primary"].(string)
	assert.Equal(t, "http://"+gw+"/", plan.Outputs["url"], "HTTP-only dev mode says so in the URL")
	assert.Equal(t, "", plan.Outputs["tm"])
}

func TestRegionPair(t *testing.T) {
	plan := run(t, pair)
	byRegion := plan.CountByRegion()
	for _, loc := range []string{"eastus2", "centralus"} {
		c := byRegion[loc]
		assert.Equal(t, 1, c["azure-native:compute:VirtualMachineScaleSet"], loc)
		assert.Equal(t, 1, c["azure-native:network:ApplicationGateway"], loc)
		assert.Equal(t, 1, c["azure-native:sql:Server"], loc)
		assert.Equal(t, 3, c["azure-native:network:Subnet"], loc)
	}

	// Warm standby: the secondary runs at its minimum; only the primary has schedules.
	ss1 := plan.Find("azure-native:compute:VirtualMachineScaleSet", "app-primary-web-vmss")
	ss2 := plan.Find("azure-native:compute:VirtualMachineScaleSet", "app-secondary-web-vmss")
	assert.Equal(t, "eastus2", ss1.Region())
	assert.Equal(t, "centralus", ss2.Region())
	as2 := plan.Find("azure-native:insights:AutoscaleSetting", "app-secondary-web-autoscale")
	assert.Equal(t, map[string]any{"minimum": "2", "default": "2", "maximum": "6"}, as2.Input("profiles.0.capacity"))
	gw2 := plan.Find("azure-native:network:ApplicationGateway", "app-secondary-gw")
	assert.Equal(t, float64(0), gw2.Input("autoscaleConfiguration.minCapacity"))

	// Each web tier joins its own region's gateway.
	for _, k := range []string{"primary", "secondary"} {
		gw := plan.Find("azure-native:network:ApplicationGateway", "app-"+k+"-gw")
		ss := plan.Find("azure-native:compute:VirtualMachineScaleSet", "app-"+k+"-web-vmss")
		assert.True(t, ss.InputFrom("virtualMachineProfile", gw), "%s web tier is in %s gateway's pool", k, k)
		assert.Equal(t, gw.ID+"/backendAddressPools/web", ss.InputString("virtualMachineProfile.networkProfile.networkInterfaceConfigurations.0.ipConfigurations.0.applicationGatewayBackendAddressPools.0.id"))
		assert.Equal(t, "app.example.com", gw.InputString("httpListeners.1.hostName"))
	}

	// Front Door's origin group holds both gateways, primary first.
	og := plan.Find("azure-native:cdn:AFDOriginGroup", "app-edge-origins")
	for i, k := range []string{"primary", "secondary"} {
		o := plan.Find("azure-native:cdn:AFDOrigin", "app-edge-"+k)
		ip := plan.Find("azure-native:network:PublicIPAddress", "app-"+k+"-gw-ip")
		assert.True(t, o.InputFrom("originGroupName", og))
		assert.True(t, o.InputFrom("hostName", plan.Find("azure-native:resources:ResourceGroup", "app-"+k+"-rg")), "origin host is the gateway FQDN, derived from its resource group")
		assert.Equal(t, plan.Outputs["gateways"].(map[string]any)[k], o.InputString("hostName"))
		assert.Equal(t, float64(i+1), o.Input("priority"))
		assert.NotNil(t, ip, k)
	}
	assert.Empty(t, plan.ByType("azure-native:network:Profile"), "Front Door fails over: no Traffic Manager behind it")

	// The failover group names both servers.
	fog := plan.Find("azure-native:sql:FailoverGroup", "app-db-fog")
	assert.True(t, fog.InputFrom("serverName", plan.Find("azure-native:sql:Server", "app-db-primary")))
	assert.True(t, fog.InputFrom("partnerServers", plan.Find("azure-native:sql:Server", "app-db-secondary")))

	// Alerts go to the action group; the secondary's alerts watch the geo-secondary.
	ag := plan.Find("azure-native:insights:ActionGroup", "app-monitoring-alerts")
	for _, al := range plan.ByType("azure-native:insights:MetricAlert") {
		assert.True(t, al.InputFrom("actions", ag), al.Name)
	}
	assert.True(t, plan.Find("azure-native:insights:MetricAlert", "app-monitoring-secondary-db-cpu").InputFrom("scopes", plan.Find("azure-native:sql:Database", "app-db-geo")))
	assert.Nil(t, plan.Find("azure-native:insights:MetricAlert", "app-monitoring-primary-db-storage"), "Hyperscale (the default SKU) has no storage alert")

	// Backups cover both databases.
	pitr2 := plan.Find("azure-native:sql:BackupShortTermRetentionPolicy", "app-backup-secondary-pitr")
	assert.True(t, pitr2.InputFrom("serverName", plan.Find("azure-native:sql:Server", "app-db-secondary")))

	// DNS: apex alias to Front Door, validation TXT from the custom domain.
	apex := plan.Find("azure-native:network:RecordSet", "app-dns-apex")
	txt := plan.Find("azure-native:network:RecordSet", "app-dns-validation")
	assert.True(t, apex.InputFrom("targetResource", plan.Find("azure-native:cdn:AFDEndpoint", "app-edge")))
	assert.True(t, txt.InputFrom("txtRecords", plan.Find("azure-native:cdn:AFDCustomDomain", "app-edge-domain")))
	assert.Equal(t, "_dnsauth", txt.InputString("relativeRecordSetName"))

	assert.Equal(t, "https://app.example.com/", plan.Outputs["url"])
	assert.True(t, strings.HasSuffix(plan.Outputs["cdn"].(string), ".azurefd.net"))
	assert.True(t, strings.HasSuffix(plan.Outputs["listener"].(string), ".database.windows.net"))
	assert.Equal(t, "", plan.Outputs["tm"])
	assert.Len(t, plan.Outputs["sql"].(map[string]any), 2)
	assert.Len(t, plan.Outputs["ns"].([]any), 4)
}

func TestNoDomainNoCDNPointsAtTrafficManager(t *testing.T) {
	plan := run(t, func(a *Args) {
		pair(a)
		a.CDN.Enabled, a.Domain = false, ""
	})
	assert.True(t, strings.HasSuffix(plan.Outputs["tm"].(string), ".trafficmanager.net"))
	assert.Equal(t, "https://"+plan.Outputs["tm"].(string)+"/", plan.Outputs["url"])
	assert.Empty(t, plan.ByType("azure-native:network:Zone"))
	for _, k := range []string{"primary", "secondary"} {
		ep := plan.Find("azure-native:network:Endpoint", "app-tm-"+k)
		ip := plan.Find("azure-native:network:PublicIPAddress", "app-"+k+"-gw-ip")
		assert.True(t, ep.InputFrom("target", ip), "Traffic Manager's %s endpoint is the %s gateway's address", k, k)
	}
}

// TestApexAliasToTrafficManagerUsesExternalIPv4Endpoints: with a domain, no CDN and two regions
// the zone apex is an alias A record to the Traffic Manager profile, which Azure DNS accepts only
// when every endpoint of the profile is external with an IPv4 address (an alias to a profile with
// Azure endpoints is refused). Rule: "Azure DNS alias records: Traffic Manager"
// (https://learn.microsoft.com/azure/dns/dns-alias#traffic-manager).
func TestApexAliasToTrafficManagerUsesExternalIPv4Endpoints(t *testing.T) {
	plan := run(t, func(a *Args) {
		pair(a)
		a.CDN.Enabled = false
	})
	apex := plan.Find("azure-native:network:RecordSet", "app-dns-apex")
	prof := plan.Find("azure-native:network:Profile", "app-tm")
	require.NotNil(t, apex)
	require.NotNil(t, prof)
	assert.Equal(t, "A", apex.InputString("recordType"))
	assert.True(t, apex.InputFrom("targetResource", prof), "the apex aliases the profile")
	eps := plan.ByType("azure-native:network:Endpoint")
	require.Len(t, eps, 2)
	for _, ep := range eps {
		assert.Equal(t, "ExternalEndpoints", ep.InputString("endpointType"), ep.Name)
		assert.Regexp(t, `^\d+\.\d+\.\d+\.\d+$`, ep.InputString("target"), ep.Name)
		assert.Nil(t, ep.Input("endpointLocation"), ep.Name)
	}
}

// TestWithACDNTheGatewaysAdmitOnlyTheirFrontDoor: anything that reaches a gateway directly skips
// Front Door's WAF and rate limit. Microsoft's lock-down is two parts: the origin's network
// admits only the AzureFrontDoor.Backend service tag (Application Gateway v2 also needs
// GatewayManager 65200-65535 and AzureLoadBalancer), and the origin checks that X-Azure-FDID is
// its own profile's ID (the tag covers every customer's Front Door). Rule: "Secure traffic to
// Azure Front Door origins" (https://learn.microsoft.com/azure/frontdoor/origin-security).
func TestWithACDNTheGatewaysAdmitOnlyTheirFrontDoor(t *testing.T) {
	plan := run(t, pair)
	prof := plan.Find("azure-native:cdn:Profile", "app-edge")
	require.NotNil(t, prof)
	for _, k := range []string{"primary", "secondary"} {
		nsg := plan.Find("azure-native:network:NetworkSecurityGroup", "app-"+k+"-gateway-nsg")
		sources := map[string]string{}
		for _, r := range nsg.Input("securityRules").([]any) {
			m := r.(map[string]any)
			sources[m["destinationPortRange"].(string)] = m["sourceAddressPrefix"].(string)
		}
		assert.Equal(t, "AzureFrontDoor.Backend", sources["443"], k)
		assert.Equal(t, "AzureFrontDoor.Backend", sources["80"], k)
		assert.Equal(t, "GatewayManager", sources["65200-65535"], k)
		waf := plan.Find("azure-native:network:WebApplicationFirewallPolicy", "app-"+k+"-gw-waf")
		assert.True(t, waf.InputFrom("customRules", prof), "%s WAF checks this profile's ID", k)
		assert.Equal(t, []any{prof.Output("frontDoorId")}, waf.Input("customRules.0.matchConditions.0.matchValues"), k)
		assert.Equal(t, "X-Azure-FDID", waf.InputString("customRules.0.matchConditions.0.matchVariables.0.selector"), k)
	}

	// Without a CDN the gateways are the public entry, and the notes say so.
	plan = run(t, func(a *Args) {
		pair(a)
		a.CDN.Enabled = false
	})
	nsg := plan.Find("azure-native:network:NetworkSecurityGroup", "app-primary-gateway-nsg")
	assert.Equal(t, "Internet", nsg.InputString("securityRules.0.sourceAddressPrefix"))
	a := base()
	assert.Contains(t, strings.Join(notes(&a), "\n"), "no CDN: the gateways are the public entry: their public IPs accept 80/443 from the whole Internet")
}

// TestWebIdentitiesAreExportedForTheDatabaseUserStep: Azure SQL accepts the web tier only as a
// contained database user created FROM EXTERNAL PROVIDER by the Entra administrator, T-SQL that
// ARM cannot express; the backend exports each region's identity (display name = scale set name,
// object ID) for docs/operations.md's sqlcmd, and says so in its notes. Rule: "Create contained
// users mapped to Microsoft Entra identities"
// (https://learn.microsoft.com/azure/azure-sql/database/authentication-aad-configure#create-contained-users-mapped-to-microsoft-entra-identities).
func TestWebIdentitiesAreExportedForTheDatabaseUserStep(t *testing.T) {
	plan := run(t, pair)
	ids := map[string]map[string]any{}
	b, err := json.Marshal(plan.Outputs["ids"])
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(b, &ids))
	require.Len(t, ids, 2)
	for _, k := range []string{"primary", "secondary"} {
		ss := plan.Find("azure-native:compute:VirtualMachineScaleSet", "app-"+k+"-web-vmss")
		id := ids[k]
		assert.Equal(t, ss.Output("name"), id["name"], k)
		assert.Equal(t, ss.Output("identity.principalId"), id["principalId"], k)
		assert.Equal(t, "SystemAssigned", ss.InputString("identity.type"), k)
	}
	a := base()
	pair(&a)
	assert.Contains(t, strings.Join(notes(&a), "\n"), "database users: ARM cannot create the web tier's contained database users")
}

func TestURNsSurviveAddingTheSecondaryRegionAndAReplica(t *testing.T) {
	one := run(t, func(a *Args) { a.Database.ReadReplicas = 1 })
	two := run(t, func(a *Args) {
		pair(a)
		a.Database.ReadReplicas = 2
	})
	assert.Empty(t, testkit.MissingURNs(one, two))
	assert.Greater(t, len(two.Resources), len(one.Resources))
}

func TestNotes(t *testing.T) {
	a := base()
	n := notes(&a)
	assert.Contains(t, n[0], "single region")
	assert.Contains(t, strings.Join(n, "\n"), "HTTP-only gateways")
	pair(&a)
	n = notes(&a)
	require.Len(t, n, 2, "a full pair leaves out only the database-user step and the cache")
	assert.Contains(t, n[0], "docs/operations.md")
	assert.Contains(t, n[1], "no cache: this build serves no Azure Cache for Redis module")
	a.Queue.Enabled = true
	n = notes(&a)
	assert.Contains(t, strings.Join(n, "\n"), "queue and workers in the primary region only")
	assert.Contains(t, strings.Join(n, "\n"), "poison queue: Storage queues have no dead-letter queue")
}
