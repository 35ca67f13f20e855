package azurestack_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	azurestack "github.com/scalestack/scalestack/stacks/azure"
	"github.com/scalestack/scalestack/stacks/spec"
	"github.com/scalestack/scalestack/testkit"
)

const (
	adminID    = "11111111-2222-3333-4444-555555555555"
	secretID   = "https://ops-kv.vault.azure.net/secrets/app-tls"
	identityID = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/ops/providers/Microsoft.ManagedIdentity/userAssignedIdentities/appgw"
)

func program(ctx *pulumi.Context) (pulumi.Map, error) {
	s, err := spec.Load(ctx)
	if err != nil {
		return nil, err
	}
	return azurestack.Build(ctx, s)
}

// azure returns the scalestack:azure object with the required admin plus extra fields.
func azure(extra map[string]any) string {
	m := map[string]any{"primaryLocation": "eastus2", "sqlAdminLogin": "sql-admins", "sqlAdminObjectId": adminID}
	for k, v := range extra {
		m[k] = v
	}
	b, _ := json.Marshal(m)
	return string(b)
}

func devConfig() map[string]string {
	return map[string]string{
		"scalestack:cloud":       "azure",
		"scalestack:environment": "dev",
		"scalestack:azure":       azure(nil),
	}
}

func prodConfig() map[string]string {
	return map[string]string{
		"scalestack:cloud":       "azure",
		"scalestack:environment": "prod",
		"scalestack:alerts":      `{"email":"ops@example.com"}`,
		"scalestack:domain":      `{"name":"app.example.com"}`,
		"scalestack:web":         `{"minSize":2,"maxSize":12,"schedules":[{"name":"business-hours","cron":"0 7 * * MON-FRI","minSize":4,"maxSize":12,"desiredSize":4}]}`,
		"scalestack:azure": azure(map[string]any{
			"secondaryLocation": "centralus", "vmSize": "Standard_D2s_v5",
			"gatewayCertificateSecretId": secretID, "gatewayIdentityId": identityID,
		}),
	}
}

func run(t testing.TB, cfg map[string]string, opts ...testkit.Option) *testkit.Plan {
	t.Helper()
	plan, err := testkit.RunExports(program, append([]testkit.Option{testkit.Config(cfg)}, opts...)...)
	require.NoError(t, err)
	return plan
}

// customCounts is CountByRegion without components and providers.
func customCounts(p *testkit.Plan) map[string]map[string]int {
	out := map[string]map[string]int{}
	for reg, m := range p.CountByRegion() {
		for typ, n := range m {
			if !strings.HasPrefix(typ, "azure-native:") {
				continue
			}
			if out[reg] == nil {
				out[reg] = map[string]int{}
			}
			out[reg][typ] = n
		}
	}
	return out
}

// regional are the resources every region has, whatever the environment.
func regional(extra map[string]int) map[string]int {
	m := map[string]int{
		"azure-native:resources:ResourceGroup":              1,
		"azure-native:network:VirtualNetwork":               1,
		"azure-native:network:Subnet":                       3,
		"azure-native:network:NetworkSecurityGroup":         3,
		"azure-native:network:PublicIPAddress":              1,
		"azure-native:network:ApplicationGateway":           1,
		"azure-native:network:WebApplicationFirewallPolicy": 1,
		"azure-native:compute:VirtualMachineScaleSet":       1,
		"azure-native:insights:AutoscaleSetting":            1,
		"azure-native:sql:Server":                           1,
		"azure-native:sql:Database":                         1,
		"azure-native:network:PrivateEndpoint":              1,
		"azure-native:network:PrivateDnsZoneGroup":          1,
		"azure-native:sql:BackupShortTermRetentionPolicy":   1,
		"azure-native:sql:ServerBlobAuditingPolicy":         1,
		"azure-native:storage:StorageAccount":               1,
		"azure-native:storage:ManagementPolicy":             1,
		"azure-native:insights:DiagnosticSetting":           1,
		"azure-native:sql:ServerAzureADAdministrator":       1,
		"azure-native:sql:ServerAzureADOnlyAuthentication":  1,
	}
	for k, v := range extra {
		m[k] = v
	}
	return m
}

// asyncTier adds the primary region's queue, workers and dashboard to counts (the queue's
// private endpoint, DNS zone group, account; two queues; the worker scale set and autoscale
// setting; three role assignments).
func asyncTier(m map[string]int) map[string]int {
	for k, v := range map[string]int{
		"azure-native:authorization:RoleAssignment":   3,
		"azure-native:compute:VirtualMachineScaleSet": 1,
		"azure-native:insights:AutoscaleSetting":      1,
		"azure-native:network:PrivateDnsZoneGroup":    1,
		"azure-native:network:PrivateEndpoint":        1,
		"azure-native:portal:Dashboard":               1,
		"azure-native:storage:Queue":                  2,
		"azure-native:storage:QueueServiceProperties": 1,
		"azure-native:storage:StorageAccount":         1,
	} {
		m[k] += v
	}
	return m
}

func TestDevCountsByRegion(t *testing.T) {
	plan := run(t, devConfig())
	assert.Equal(t, map[string]map[string]int{
		"eastus2": asyncTier(regional(map[string]int{
			"azure-native:recoveryservices:Vault":            1,
			"azure-native:recoveryservices:ProtectionPolicy": 1,
			"azure-native:cdn:AFDOriginGroup":                1,
			"azure-native:cdn:AFDOrigin":                     1,
			"azure-native:cdn:Route":                         1,
			"azure-native:cdn:SecurityPolicy":                1,
			"azure-native:cdn:RuleSet":                       1, // full-page caching
			"azure-native:cdn:Rule":                          4,
		})),
		"global": {
			"azure-native:cdn:Profile":                1,
			"azure-native:cdn:AFDEndpoint":            1,
			"azure-native:network:Policy":             1,
			"azure-native:insights:ActionGroup":       1,
			"azure-native:insights:MetricAlert":       8, // 6 + queue backlog and workers at max
			"azure-native:network:PrivateZone":        2, // SQL's and the queue's privatelink zones
			"azure-native:network:VirtualNetworkLink": 2,
		},
	}, customCounts(plan))
	assert.Len(t, plan.ByType("pulumi:providers:azure-native"), 1)
}

func TestProdCountsByRegion(t *testing.T) {
	plan := run(t, prodConfig(), testkit.Stack("prod"))
	assert.Equal(t, map[string]map[string]int{
		"eastus2": asyncTier(regional(map[string]int{
			"azure-native:sql:Database":                      2, // primary and one named replica
			"azure-native:sql:FailoverGroup":                 1,
			"azure-native:sql:LongTermRetentionPolicy":       1,
			"azure-native:recoveryservices:Vault":            1,
			"azure-native:recoveryservices:ProtectionPolicy": 1,
			"azure-native:cdn:AFDOriginGroup":                1,
			"azure-native:cdn:AFDOrigin":                     2,
			"azure-native:cdn:AFDCustomDomain":               1,
			"azure-native:cdn:Route":                         1,
			"azure-native:cdn:SecurityPolicy":                1,
			"azure-native:network:RecordSet":                 2,
			"azure-native:network:PrivateEndpoint":           2, // to both servers
			"azure-native:network:PrivateDnsZoneGroup":       2,
			"azure-native:cdn:RuleSet":                       1,
			"azure-native:cdn:Rule":                          4,
		})),
		"centralus": regional(map[string]int{
			"azure-native:sql:LongTermRetentionPolicy": 1,
			"azure-native:network:PrivateEndpoint":     2,
			"azure-native:network:PrivateDnsZoneGroup": 2,
		}),
		"global": {
			"azure-native:cdn:Profile":                1,
			"azure-native:cdn:AFDEndpoint":            1,
			"azure-native:network:Policy":             1,
			"azure-native:insights:ActionGroup":       1,
			"azure-native:insights:MetricAlert":       14,
			"azure-native:network:PrivateZone":        3,
			"azure-native:network:VirtualNetworkLink": 3,
			"azure-native:network:Zone":               1,
		},
	}, customCounts(plan))
}

// untaggable are the types whose ARM resources take no tags.
var untaggable = map[string]bool{
	"azure-native:network:Subnet":                      true,
	"azure-native:network:Endpoint":                    true,
	"azure-native:network:RecordSet":                   true,
	"azure-native:network:PrivateDnsZoneGroup":         true,
	"azure-native:storage:Queue":                       true,
	"azure-native:cdn:RuleSet":                         true,
	"azure-native:cdn:Rule":                            true,
	"azure-native:storage:QueueServiceProperties":      true,
	"azure-native:authorization:RoleAssignment":        true,
	"azure-native:sql:BackupShortTermRetentionPolicy":  true,
	"azure-native:sql:LongTermRetentionPolicy":         true,
	"azure-native:cdn:AFDOriginGroup":                  true,
	"azure-native:cdn:AFDOrigin":                       true,
	"azure-native:cdn:AFDCustomDomain":                 true,
	"azure-native:cdn:Route":                           true,
	"azure-native:cdn:SecurityPolicy":                  true,
	"azure-native:sql:ServerBlobAuditingPolicy":        true,
	"azure-native:storage:ManagementPolicy":            true,
	"azure-native:insights:DiagnosticSetting":          true,
	"azure-native:sql:ServerAzureADAdministrator":      true,
	"azure-native:sql:ServerAzureADOnlyAuthentication": true,
}

func TestEveryResourceIsParentedAndPlaced(t *testing.T) {
	plan := run(t, prodConfig())
	backend := plan.Find("scalestack:azure:Backend", azurestack.BackendName)
	require.NotNil(t, backend)
	for _, r := range plan.Resources {
		if r.IsProvider() || r == backend {
			continue
		}
		assert.NotNil(t, plan.Component(r), "%s has a component parent", r.Name)
		assert.Contains(t, plan.Descendants(backend.URN), r, "%s is under the backend", r.Name)
		if !r.Custom {
			continue
		}
		p := r.ProviderResource()
		require.NotNil(t, p, "%s uses an explicit provider", r.Name)
		// Resources of the secondary role are placed by the secondary provider.
		want := "azure-native-eastus2"
		if (strings.Contains(r.Name, "secondary") && !strings.HasPrefix(r.Name, "backend-db-primary-pe-secondary")) || r.Name == "backend-db-geo" {
			want = "azure-native-centralus"
		}
		if strings.HasPrefix(r.Name, "backend-tm-") || strings.HasPrefix(r.Name, "backend-edge-") || strings.HasPrefix(r.Name, "backend-monitoring-") {
			want = "azure-native-eastus2" // global resources kept with the primary
		}
		assert.Equal(t, want, p.Name, r.Name)
		if loc := r.InputString("location"); loc != "" && !strings.EqualFold(loc, "global") {
			assert.Equal(t, strings.TrimPrefix(want, "azure-native-"), loc, "%s location matches its provider", r.Name)
		}
		if !untaggable[r.Type] {
			assert.Equal(t, "prod", r.InputString("tags.environment"), "%s carries the default tags", r.Name)
			assert.Equal(t, "pulumi-scalestack", r.InputString("tags.managed-by"), r.Name)
		}
	}
}

func TestURNsSurviveAddingAReplicaAndTheSecondaryRegion(t *testing.T) {
	dev := devConfig()
	before := run(t, dev)

	more := devConfig()
	more["scalestack:database"] = `{"readReplicas":2}`
	withReplicas := run(t, more)
	assert.Empty(t, testkit.MissingURNs(before, withReplicas), "adding replicas replaces nothing")
	assert.Len(t, withReplicas.ByType("azure-native:sql:Database"), 3)

	pair := devConfig()
	pair["scalestack:database"] = `{"readReplicas":2,"crossRegionReplica":true}`
	pair["scalestack:backup"] = `{"copyToSecondary":true}`
	pair["scalestack:azure"] = azure(map[string]any{"secondaryLocation": "centralus"})
	withSecondary := run(t, pair)
	assert.Empty(t, testkit.MissingURNs(withReplicas, withSecondary), "adding the secondary region replaces nothing")
	assert.Len(t, withSecondary.ByType("azure-native:sql:FailoverGroup"), 1)
	assert.Len(t, withSecondary.ByType("pulumi:providers:azure-native"), 2)
}

// scalestack diff: turning the queue on in an existing stack (as the new default does) keeps
// every URN; the cache is off on Azure either way. Existing resources change in place only:
// the primary data NSG gains the 443 rule and the dashboard the queue's charts.
func TestAddingTheQueueChangesNoExistingURN(t *testing.T) {
	for _, env := range []struct {
		cfg  func() map[string]string
		opts []testkit.Option
	}{{devConfig, nil}, {prodConfig, []testkit.Option{testkit.Stack("prod")}}} {
		off := env.cfg()
		off["scalestack:cache"] = `{"enabled":false}`
		off["scalestack:queue"] = `{"enabled":false}`
		before := run(t, off, env.opts...)
		after := run(t, env.cfg(), env.opts...)
		assert.Empty(t, testkit.MissingURNs(before, after))
		assert.Empty(t, before.ByType("azure-native:storage:Queue"))
		assert.Len(t, after.ByType("azure-native:storage:Queue"), 2)
		for _, r := range before.Resources {
			n := after.ByURN(r.URN)
			if !r.Custom || n == nil || r.Type == "azure-native:compute:VirtualMachineScaleSet" {
				continue // scale sets: each run generates a throwaway SSH key, which later updates ignore
			}
			for k, v := range r.Inputs {
				if !n.Inputs[k].DeepEquals(v) {
					assert.Contains(t, []string{"backend-primary-data-nsg.securityRules", "backend-monitoring-dashboard.properties"}, r.Name+"."+string(k))
				}
			}
		}
	}
}

func TestExports(t *testing.T) {
	plan := run(t, prodConfig())
	out := plan.Outputs
	assert.Equal(t, "https://app.example.com/", out["url"])
	ep := plan.Find("azure-native:cdn:AFDEndpoint", "backend-edge")
	assert.Equal(t, ep.Output("hostName"), out["cdnHostName"])
	gws := out["gatewayFqdns"].(map[string]any)
	assert.Regexp(t, `^backend-primary-gw-[0-9a-f]{8}\.eastus2\.cloudapp\.azure\.com$`, gws["primary"])
	assert.Regexp(t, `^backend-secondary-gw-[0-9a-f]{8}\.centralus\.cloudapp\.azure\.com$`, gws["secondary"])
	ips := out["gatewayIps"].(map[string]any)
	assert.Equal(t, plan.Find("azure-native:network:PublicIPAddress", "backend-primary-gw-ip").Output("ipAddress"), ips["primary"])
	sqls := out["sqlServerFqdns"].(map[string]any)
	assert.Equal(t, plan.Find("azure-native:sql:Server", "backend-db-primary").Output("fullyQualifiedDomainName"), sqls["primary"])
	assert.Equal(t, plan.Find("azure-native:sql:Server", "backend-db-secondary").Output("fullyQualifiedDomainName"), sqls["secondary"])
	fog := plan.Find("azure-native:sql:FailoverGroup", "backend-db-fog")
	assert.Equal(t, fog.Output("name").(string)+".database.windows.net", out["databaseListener"])
	assert.Equal(t, "", out["trafficManagerFqdn"], "Front Door fails over between the regions")
	assert.Len(t, out["nameServers"].([]any), 4)
	assert.Equal(t, map[string]any{"primary": "eastus2", "secondary": "centralus"}, out["regions"])
	ids := map[string]any{}
	b, err := json.Marshal(out["webIdentities"])
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(b, &ids))
	for _, k := range []string{"primary", "secondary"} {
		ss := plan.Find("azure-native:compute:VirtualMachineScaleSet", "backend-"+k+"-web-vmss")
		assert.Equal(t, map[string]any{"name": ss.Output("name"), "principalId": ss.Output("identity.principalId")}, ids[k], k)
	}
	notes := out["notes"].([]any)
	require.Len(t, notes, 4, "prod with everything configured leaves out only what ARM cannot do, the cache this build cannot serve, and says where the queue lives and how poison messages work")
	assert.Contains(t, notes[0], "database users: ARM cannot create the web tier's contained database users")
	assert.Contains(t, notes[1], "no cache: this build serves no Azure Cache for Redis module")
	assert.Contains(t, notes[2], "queue and workers in the primary region only")
	assert.Contains(t, notes[3], "poison queue")
	q := out["queue"].(map[string]any)
	main := plan.Find("azure-native:storage:Queue", "backend-queue-queue")
	assert.Equal(t, "https://"+plan.Find("azure-native:storage:StorageAccount", "backend-queue-account").Output("name").(string)+".queue.core.windows.net/"+main.InputString("queueName"), q["url"])
	assert.Equal(t, "5", q["maxDequeueCount"])
	dash := plan.Find("azure-native:portal:Dashboard", "backend-monitoring-dashboard")
	assert.Equal(t, "https://portal.azure.com/#@/dashboard/arm"+dash.ID, out["dashboardUrl"])
	w := plan.Find("azure-native:compute:VirtualMachineScaleSet", "backend-worker-vmss")
	assert.Equal(t, map[string]any{"name": w.Output("name"), "principalId": w.Output("identity.principalId")}, out["workerIdentity"])
}

func TestSingleRegionNotes(t *testing.T) {
	plan := run(t, devConfig())
	notes := plan.Outputs["notes"].([]any)
	joined := fmt.Sprint(notes...)
	assert.Contains(t, joined, "single region: no secondary location")
	assert.Contains(t, joined, "no SQL geo-secondary or failover group")
	assert.Contains(t, joined, "HTTP-only gateways")
	assert.Contains(t, joined, "no domain")
	assert.Contains(t, joined, "no alert email")
	ep := plan.Find("azure-native:cdn:AFDEndpoint", "backend-edge")
	assert.Equal(t, "https://"+ep.Output("hostName").(string)+"/", plan.Outputs["url"], "Front Door gives viewers HTTPS even in dev")
	assert.Equal(t, map[string]any{"primary": "eastus2"}, plan.Outputs["regions"])
}

func TestCopyToSecondaryWithoutGeoSecondaryIsNoted(t *testing.T) {
	cfg := devConfig()
	cfg["scalestack:database"] = `{"crossRegionReplica":false}`
	cfg["scalestack:backup"] = `{"copyToSecondary":true}`
	cfg["scalestack:azure"] = azure(map[string]any{"secondaryLocation": "centralus"})
	plan := run(t, cfg)
	assert.Contains(t, fmt.Sprint(plan.Outputs["notes"]), "backup.copyToSecondary: on Azure it sets the retention policies of the SQL geo-secondary")
	assert.Empty(t, plan.ByType("azure-native:sql:FailoverGroup"))
	assert.Len(t, plan.ByType("azure-native:sql:BackupShortTermRetentionPolicy"), 1)
}

func TestWiring(t *testing.T) {
	plan := run(t, prodConfig())
	find := func(typ, name string) *testkit.Resource {
		t.Helper()
		r := plan.Find(typ, name)
		require.NotNil(t, r, name)
		return r
	}
	db := find("azure-native:sql:Database", "backend-db")
	geo := find("azure-native:sql:Database", "backend-db-geo")
	primary := find("azure-native:sql:Server", "backend-db-primary")
	secondary := find("azure-native:sql:Server", "backend-db-secondary")
	fog := find("azure-native:sql:FailoverGroup", "backend-db-fog")
	assert.True(t, geo.InputFrom("sourceDatabaseId", db), "the geo-secondary's source is the primary database")
	assert.True(t, find("azure-native:sql:Database", "backend-db-replica-1").InputFrom("sourceDatabaseId", db))
	assert.True(t, fog.InputFrom("serverName", primary) && fog.InputFrom("partnerServers", secondary), "the failover group names both servers")
	assert.True(t, fog.InputFrom("databases", db))

	og := find("azure-native:cdn:AFDOriginGroup", "backend-edge-origins")
	for _, k := range []string{"primary", "secondary"} {
		o := find("azure-native:cdn:AFDOrigin", "backend-edge-"+k)
		assert.True(t, o.InputFrom("originGroupName", og), "Front Door's origin group holds the %s gateway", k)
		assert.Equal(t, plan.Outputs["gatewayFqdns"].(map[string]any)[k], o.InputString("hostName"))
	}
	ag := find("azure-native:insights:ActionGroup", "backend-monitoring-alerts")
	assert.Equal(t, "ops@example.com", ag.InputString("emailReceivers.0.emailAddress"))
	for _, al := range plan.ByType("azure-native:insights:MetricAlert") {
		assert.True(t, al.InputFrom("actions", ag), "%s goes to the action group", al.Name)
	}

	// Prod security posture.
	assert.Equal(t, "Disabled", primary.InputString("publicNetworkAccess"))
	assert.Equal(t, true, primary.Input("administrators.azureADOnlyAuthentication"))
	assert.True(t, primary.Protect && db.Protect && geo.Protect, "deletion protection in prod")
	assert.Equal(t, true, db.Input("zoneRedundant"), "highAvailability maps to zone redundancy")
	gw := find("azure-native:network:ApplicationGateway", "backend-primary-gw")
	assert.Equal(t, "WAF_v2", gw.InputString("sku.name"))
	assert.Equal(t, secretID, gw.InputString("sslCertificates.0.keyVaultSecretId"))
	assert.Equal(t, "app.example.com", gw.InputString("httpListeners.1.hostName"))
	as := find("azure-native:insights:AutoscaleSetting", "backend-primary-web-autoscale")
	assert.Equal(t, "business-hours", as.InputString("profiles.1.name"))
	assert.Equal(t, []any{"Monday", "Tuesday", "Wednesday", "Thursday", "Friday"}, as.Input("profiles.1.recurrence.schedule.days"))
	assert.Equal(t, []any{float64(7)}, as.Input("profiles.1.recurrence.schedule.hours"))
	assert.Len(t, find("azure-native:insights:AutoscaleSetting", "backend-secondary-web-autoscale").Input("profiles").([]any), 1, "schedules only in the primary")
	ss := find("azure-native:compute:VirtualMachineScaleSet", "backend-primary-web-vmss")
	assert.Equal(t, "Standard_D2s_v5", ss.InputString("sku.name"))
	assert.Nil(t, ss.Input("virtualMachineProfile.securityProfile.encryptionAtHost"), "opt-in: needs a subscription feature")
	assert.Equal(t, "Unlocked", find("azure-native:recoveryservices:Vault", "backend-backup-vault").InputString("properties.securitySettings.immutabilitySettings.state"), "prod recovery points are immutable")
}

func TestAzureOnlyOptions(t *testing.T) {
	cfg := devConfig()
	cfg["scalestack:azure"] = azure(map[string]any{
		"encryptionAtHost": true, "cdnSku": "Premium_AzureFrontDoor", "sqlSku": "BC_Gen5_2",
		"image": map[string]string{"publisher": "Canonical", "offer": "0001-com-ubuntu-server-jammy", "sku": "22_04-lts-gen2", "version": "latest"},
	})
	plan := run(t, cfg)
	ss := plan.Find("azure-native:compute:VirtualMachineScaleSet", "backend-primary-web-vmss")
	assert.Equal(t, true, ss.Input("virtualMachineProfile.securityProfile.encryptionAtHost"))
	assert.Equal(t, "22_04-lts-gen2", ss.InputString("virtualMachineProfile.storageProfile.imageReference.sku"))
	assert.Equal(t, "Premium_AzureFrontDoor", plan.Find("azure-native:cdn:Profile", "backend-edge").InputString("sku.name"))
	assert.Equal(t, "BC_Gen5_2", plan.Find("azure-native:sql:Database", "backend-db").InputString("sku.name"))
	assert.Nil(t, plan.Find("azure-native:recoveryservices:Vault", "backend-backup-vault").Input("properties.securitySettings.immutabilitySettings"))
}

func TestWAFOffOnlyWithoutACDN(t *testing.T) {
	cfg := devConfig()
	cfg["scalestack:cdn"] = `{"enabled":false}`
	cfg["scalestack:azure"] = azure(map[string]any{"waf": false})
	plan := run(t, cfg)
	assert.Equal(t, "Standard_v2", plan.Find("azure-native:network:ApplicationGateway", "backend-primary-gw").InputString("sku.name"))
	assert.Empty(t, plan.ByType("azure-native:network:WebApplicationFirewallPolicy"))
	assert.Contains(t, fmt.Sprint(plan.Outputs["notes"]), "no CDN: the gateways are the public entry")
}

func TestStandardLoadBalancerBehindFrontDoor(t *testing.T) {
	cfg := devConfig()
	cfg["scalestack:web"] = `{"requestsPerInstance":0}`
	cfg["scalestack:azure"] = azure(map[string]any{"loadBalancer": "standard"})
	plan := run(t, cfg)
	assert.Empty(t, plan.ByType("azure-native:network:ApplicationGateway"))
	assert.Len(t, plan.ByType("azure-native:network:LoadBalancer"), 1)
	assert.Len(t, plan.ByType("azure-native:cdn:AFDEndpoint"), 1)
	web := plan.Find("azure-native:network:NetworkSecurityGroup", "backend-primary-web-nsg")
	assert.Equal(t, "AzureFrontDoor.Backend", web.InputString("securityRules.0.sourceAddressPrefix"), "a Standard Load Balancer passes clients through: the web subnet admits only Front Door")
	assert.Contains(t, fmt.Sprint(plan.Outputs["notes"]), "cannot check the X-Azure-FDID header")
	assert.Nil(t, plan.Find("azure-native:insights:MetricAlert", "backend-monitoring-primary-gateway-5xx"))
	assert.NotNil(t, plan.Find("azure-native:insights:MetricAlert", "backend-monitoring-primary-gateway-unhealthy"))
}

func TestValidationErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		edit func(map[string]string)
		want []string
	}{
		{"admin login missing", func(c map[string]string) { c["scalestack:azure"] = `{"sqlAdminObjectId":"` + adminID + `"}` }, []string{
			"scalestack:azure.sqlAdminLogin: is required with sqlAdminObjectId",
		}},
		{"admin object missing", func(c map[string]string) { c["scalestack:azure"] = `{"sqlAdminLogin":"sql-admins"}` }, []string{
			`scalestack:azure.sqlAdminObjectId: "" is not allowed: want the Entra object ID (a GUID)`,
		}},
		{"bad kinds", func(c map[string]string) {
			c["scalestack:azure"] = azure(map[string]any{"loadBalancer": "nlb", "cdnKind": "akamai", "cdnSku": "Premium_Verizon"})
		}, []string{
			`scalestack:azure.loadBalancer: "nlb" is not allowed: want appgateway or standard`,
			`scalestack:azure.cdnKind: "akamai" is not allowed: want frontdoor`,
			`scalestack:azure.cdnSku: "Premium_Verizon" is not allowed`,
		}},
		{"wrong types", func(c map[string]string) {
			c["scalestack:azure"] = azure(map[string]any{"waf": "yes", "gatewayMaxCapacity": "ten"})
		}, []string{
			`scalestack:azure.gatewayMaxCapacity: "ten" is not allowed: want a whole number`,
			`scalestack:azure.waf: "yes" is not allowed: want true or false`,
		}},
		{"certificate without identity", func(c map[string]string) {
			c["scalestack:azure"] = azure(map[string]any{"gatewayCertificateSecretId": secretID})
		}, []string{"scalestack:azure.gatewayCertificateSecretId and gatewayIdentityId: set both"}},
		{"standard with TLS and WAF", func(c map[string]string) {
			c["scalestack:azure"] = azure(map[string]any{"loadBalancer": "standard", "waf": true, "gatewayCertificateSecretId": secretID, "gatewayIdentityId": identityID})
		}, []string{
			"scalestack:azure.gatewayCertificateSecretId: has no meaning with loadBalancer standard",
			"scalestack:azure.waf: has no meaning with loadBalancer standard",
		}},
		{"storageGb means nothing on Azure", func(c map[string]string) { c["scalestack:database"] = `{"storageGb":100}` }, []string{
			"scalestack:database.storageGb: has no meaning on Azure",
		}},
		{"requests with a Standard Load Balancer", func(c map[string]string) {
			c["scalestack:web"] = `{"requestsPerInstance":500}`
			c["scalestack:azure"] = azure(map[string]any{"loadBalancer": "standard"})
		}, []string{"scalestack:web.requestsPerInstance: has no meaning with scalestack:azure.loadBalancer standard"}},
		{"monthly schedule", func(c map[string]string) {
			c["scalestack:web"] = `{"schedules":[{"name":"month-end","cron":"0 8 28 * *","minSize":1,"maxSize":3,"desiredSize":2}]}`
		}, []string{`scalestack:web.schedules[0].cron: "0 8 28 * *" has no meaning on Azure: autoscale schedules recur weekly`}},
		{"every-5-minutes schedule", func(c map[string]string) {
			c["scalestack:web"] = `{"schedules":[{"name":"often","cron":"*/5 * * * *","minSize":1,"maxSize":3,"desiredSize":2}]}`
		}, []string{`scalestack:web.schedules[0].cron: "*/5 * * * *" has no meaning on Azure: autoscale schedules start at one fixed time`}},
		// TestValidationErrors/classic_CDN_is_refused: Azure no longer creates Azure CDN Standard
		// from Microsoft (classic) profiles (https://learn.microsoft.com/azure/cdn/classic-cdn-retirement-faq).
		{"classic CDN is refused", func(c map[string]string) {
			c["scalestack:azure"] = azure(map[string]any{"cdnKind": "classic"})
		}, []string{`scalestack:azure.cdnKind: "classic" is not allowed: Azure no longer creates Azure CDN Standard from Microsoft (classic) profiles`}},
		{"WAF off behind Front Door", func(c map[string]string) {
			c["scalestack:azure"] = azure(map[string]any{"waf": false})
		}, []string{`scalestack:azure.waf: false is not allowed with scalestack:cdn.enabled true`}},
		{"replicas need Hyperscale", func(c map[string]string) {
			c["scalestack:database"] = `{"readReplicas":1}`
			c["scalestack:azure"] = azure(map[string]any{"sqlSku": "GP_Gen5_2"})
		}, []string{`scalestack:azure.sqlSku: "GP_Gen5_2" has no named read replicas, but scalestack:database.readReplicas is 1`}},
		{"backup between half hours", func(c map[string]string) { c["scalestack:backup"] = `{"dailyAt":"03:15"}` }, []string{
			`scalestack:backup.dailyAt: "03:15" has no meaning on Azure: Azure Backup schedules start on the hour or half hour`,
		}},
		{"schedule named default", func(c map[string]string) {
			c["scalestack:web"] = `{"schedules":[{"name":"default","cron":"0 8 * * *","minSize":1,"maxSize":3,"desiredSize":2}]}`
		}, []string{`scalestack:web.schedules[0].name: "default" is taken on Azure`}},
		{"certificate ID checked by the gateway", func(c map[string]string) {
			c["scalestack:azure"] = azure(map[string]any{"gatewayCertificateSecretId": "kv-secret", "gatewayIdentityId": identityID})
		}, []string{`scalestack:azure (checked by the Azure components): gateway primary: CertificateSecretID "kv-secret" is not a Key Vault secret ID`}},
		{"misspelled Azure key", func(c map[string]string) { c["scalestack:azure"] = azure(map[string]any{"loadbalancer": "standard"}) }, []string{
			"scalestack:azure.loadbalancer: unknown key",
		}},
		{"incomplete image", func(c map[string]string) {
			c["scalestack:azure"] = azure(map[string]any{"image": map[string]string{"publisher": "Canonical"}})
		}, []string{
			"scalestack:azure.image:", "is incomplete: want {publisher, offer, sku, version}",
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := devConfig()
			tc.edit(cfg)
			var registered atomic.Int32
			_, err := testkit.RunExports(program, testkit.Config(cfg), testkit.OnNewResource(func(*testkit.Resource) error { registered.Add(1); return nil }))
			require.Error(t, err)
			assert.True(t, spec.IsConfigError(err), "a config error (exit 2 in the CLI): %v", err)
			for _, w := range tc.want {
				assert.Contains(t, err.Error(), w)
			}
			assert.Zero(t, registered.Load(), "nothing is registered before validation passes")
		})
	}
}

func TestCronDays(t *testing.T) {
	for cron, want := range map[string][]string{
		"30 6 * * *":       {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"},
		"0 8 * * MON-FRI":  {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday"},
		"0 20 * * sat,SUN": {"Saturday", "Sunday"},
		"0 0 * * 0":        {"Sunday"},
		"0 0 * * 5-7":      {"Friday", "Saturday", "Sunday"},
	} {
		s, err := spec.FromMap("p", "dev", map[string]string{
			"scalestack:cloud": "azure",
			"scalestack:web":   fmt.Sprintf(`{"schedules":[{"name":"s","cron":%q,"minSize":1,"maxSize":2,"desiredSize":1}]}`, cron),
			"scalestack:azure": azure(nil),
		})
		require.NoError(t, err, cron)
		st, err := azurestack.Validate(s, nil)
		require.NoError(t, err, cron)
		require.Len(t, st.Schedules, 1)
		assert.Equal(t, want, st.Schedules[0].Days, cron)
	}
}

func BenchmarkAzureStack(b *testing.B) {
	cfg := prodConfig()
	b.ReportAllocs()
	resources := 0
	for i := 0; i < b.N; i++ {
		plan, err := testkit.RunExports(program, testkit.Config(cfg))
		if err != nil {
			b.Fatal(err)
		}
		resources += len(plan.Resources)
	}
	b.ReportMetric(float64(resources)/b.Elapsed().Seconds(), "resources/s")
	b.ReportMetric(float64(resources)/float64(b.N), "resources/op")
}

func TestTheDeployingIdentityAdministersSQLByDefault(t *testing.T) {
	plan, err := testkit.RunExports(program, testkit.Config(map[string]string{
		"scalestack:cloud": "azure", "scalestack:azure": `{"primaryLocation":"eastus2"}`,
	}))
	require.NoError(t, err)
	servers := plan.ByType("azure-native:sql:Server")
	require.NotEmpty(t, servers)
	for _, srv := range servers {
		assert.Equal(t, testkit.FakeAzureObjectID, srv.Input("administrators.sid"), "%s is administered by the deployer", srv.Name)
		assert.Equal(t, testkit.FakeAzureTenantID, srv.Input("administrators.tenantId"))
		assert.Equal(t, azurestack.DeployerAdminLogin, srv.Input("administrators.login"))
		assert.Equal(t, "Application", srv.Input("administrators.principalType"), "the mock's client ID is a service principal's, not the Azure CLI's")
		assert.Equal(t, true, srv.Input("administrators.azureADOnlyAuthentication"))
	}
	notes, _ := plan.Outputs["notes"].([]any)
	assert.Contains(t, fmt.Sprint(notes), "the SQL administrator is the deploying identity")
	assert.Contains(t, fmt.Sprint(notes), "as Application, derived from the client ID 33333333-3333-3333-3333-333333333333")
	for _, adm := range plan.ByType("azure-native:sql:ServerAzureADAdministrator") {
		assert.Equal(t, testkit.FakeAzureObjectID, adm.Input("sid"), adm.Name)
	}

	// The key overrides the derivation.
	plan, err = testkit.RunExports(program, testkit.Config(map[string]string{
		"scalestack:cloud": "azure", "scalestack:azure": `{"primaryLocation":"eastus2","sqlAdminPrincipalType":"User"}`,
	}))
	require.NoError(t, err)
	assert.Equal(t, "User", plan.Find("azure-native:sql:Server", "backend-db-primary").Input("administrators.principalType"))
}

// TestDeployerPrincipalTypeFromTheClientID: a server administrator's principalType must say what
// the identity is (User, Group or Application); getClientConfig returns only objectId, clientId,
// tenantId and subscriptionId, and its clientId is the Azure CLI's own application when a person
// deploys after `az login`, or the service principal's (managed identity's) application ID in
// CI. Rule: "Servers - Create Or Update: ServerExternalAdministrator.principalType"
// (https://learn.microsoft.com/rest/api/sql/servers/create-or-update#principaltype) and the
// Azure CLI's well-known client ID 04b07795-8ddb-461a-bbee-02f9e1bf7b46
// (https://learn.microsoft.com/troubleshoot/entra/entra-id/governance/verify-first-party-apps-sign-in).
func TestDeployerPrincipalTypeFromTheClientID(t *testing.T) {
	assert.Equal(t, "User", azurestack.DeployerPrincipalType("04b07795-8ddb-461a-bbee-02f9e1bf7b46"))
	assert.Equal(t, "User", azurestack.DeployerPrincipalType("04B07795-8DDB-461A-BBEE-02F9E1BF7B46"))
	assert.Equal(t, "Application", azurestack.DeployerPrincipalType("33333333-3333-3333-3333-333333333333"))
	assert.Equal(t, "Application", azurestack.DeployerPrincipalType(""))
}

// TestProdZoneRedundantHyperscaleDeploys: prod's defaults (database.highAvailability, the
// Hyperscale SKU, a named replica and a geo-secondary) were refused by Azure: a zone-redundant
// Hyperscale database, named replica or geo-secondary needs at least one high-availability
// replica and zone-redundant backup storage. Rule: "Create a zone-redundant Hyperscale database"
// (https://learn.microsoft.com/azure/azure-sql/database/hyperscale-create-zone-redundant-database).
func TestProdZoneRedundantHyperscaleDeploys(t *testing.T) {
	plan := run(t, prodConfig(), testkit.Stack("prod"))
	for _, name := range []string{"backend-db", "backend-db-replica-1", "backend-db-geo"} {
		d := plan.Find("azure-native:sql:Database", name)
		require.NotNil(t, d, name)
		assert.Equal(t, true, d.Input("zoneRedundant"), name)
		assert.Equal(t, "HS_Gen5_2", d.InputString("sku.name"), name)
		assert.Equal(t, float64(1), d.Input("highAvailabilityReplicaCount"), name)
	}
	for _, name := range []string{"backend-db", "backend-db-geo"} {
		assert.Equal(t, "GeoZone", plan.Find("azure-native:sql:Database", name).InputString("requestedBackupStorageRedundancy"), name)
	}
	assert.Equal(t, "Manual", plan.Find("azure-native:sql:FailoverGroup", "backend-db-fog").InputString("readWriteEndpoint.failoverPolicy"))
}
