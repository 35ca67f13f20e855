package testkit

import (
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"

	"fmt"
	"strings"
)

// FakeAzureSubscriptionID is the subscription every mocked Azure resource ID belongs to.
const FakeAzureSubscriptionID = "00000000-0000-0000-0000-000000000000"

// FakeAzureTenantID and FakeAzureObjectID identify the mocked deploying identity
// (azure-native:authorization:getClientConfig).
const (
	FakeAzureTenantID = "11111111-1111-1111-1111-111111111111"
	FakeAzureObjectID = "22222222-2222-2222-2222-222222222222"
)

func init() {
	cloudMocks["azure-native"] = azureMock
	cloudCalls["azure-native"] = azureCall
}

// azureCall answers the invokes the stacks make.
func azureCall(token string, _ resource.PropertyMap, _ string) (map[string]any, bool) {
	if token == "azure-native:authorization:getClientConfig" {
		return map[string]any{
			"objectId":       FakeAzureObjectID,
			"tenantId":       FakeAzureTenantID,
			"subscriptionId": FakeAzureSubscriptionID,
			"clientId":       "33333333-3333-3333-3333-333333333333",
		}, true
	}
	return nil, false
}

// azureKind describes how ARM names and identifies one azure-native resource type.
type azureKind struct {
	// nameKey is the input that sets the ARM name; when it is absent, the name is the logical
	// name plus an 8-character suffix, as azure-native's auto-naming does.
	nameKey string
	// path is the ARM path below the resource group: "%s" placeholders are filled from the
	// inputs named in parents, then the resource's own name is appended.
	path    string
	parents []string
}

var azureKinds = map[string]azureKind{
	"azure-native:network:VirtualNetwork":               {"virtualNetworkName", "Microsoft.Network/virtualNetworks", nil},
	"azure-native:network:Subnet":                       {"subnetName", "Microsoft.Network/virtualNetworks/%s/subnets", []string{"virtualNetworkName"}},
	"azure-native:network:NetworkSecurityGroup":         {"networkSecurityGroupName", "Microsoft.Network/networkSecurityGroups", nil},
	"azure-native:network:PublicIPAddress":              {"publicIpAddressName", "Microsoft.Network/publicIPAddresses", nil},
	"azure-native:network:ApplicationGateway":           {"applicationGatewayName", "Microsoft.Network/applicationGateways", nil},
	"azure-native:network:WebApplicationFirewallPolicy": {"policyName", "Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies", nil},
	"azure-native:network:LoadBalancer":                 {"loadBalancerName", "Microsoft.Network/loadBalancers", nil},
	"azure-native:network:Profile":                      {"profileName", "Microsoft.Network/trafficManagerProfiles", nil},
	"azure-native:network:Endpoint":                     {"endpointName", "Microsoft.Network/trafficManagerProfiles/%s/%s", []string{"profileName", "endpointType"}},
	"azure-native:network:PrivateEndpoint":              {"privateEndpointName", "Microsoft.Network/privateEndpoints", nil},
	"azure-native:network:PrivateDnsZoneGroup":          {"privateDnsZoneGroupName", "Microsoft.Network/privateEndpoints/%s/privateDnsZoneGroups", []string{"privateEndpointName"}},
	"azure-native:network:PrivateZone":                  {"privateZoneName", "Microsoft.Network/privateDnsZones", nil},
	"azure-native:network:VirtualNetworkLink":           {"virtualNetworkLinkName", "Microsoft.Network/privateDnsZones/%s/virtualNetworkLinks", []string{"privateZoneName"}},
	"azure-native:network:Zone":                         {"zoneName", "Microsoft.Network/dnsZones", nil},
	"azure-native:network:RecordSet":                    {"relativeRecordSetName", "Microsoft.Network/dnsZones/%s/%s", []string{"zoneName", "recordType"}},
	"azure-native:compute:VirtualMachineScaleSet":       {"vmScaleSetName", "Microsoft.Compute/virtualMachineScaleSets", nil},
	"azure-native:sql:Server":                           {"serverName", "Microsoft.Sql/servers", nil},
	"azure-native:sql:Database":                         {"databaseName", "Microsoft.Sql/servers/%s/databases", []string{"serverName"}},
	"azure-native:sql:FailoverGroup":                    {"failoverGroupName", "Microsoft.Sql/servers/%s/failoverGroups", []string{"serverName"}},
	"azure-native:sql:BackupShortTermRetentionPolicy":   {"policyName", "Microsoft.Sql/servers/%s/databases/%s/backupShortTermRetentionPolicies", []string{"serverName", "databaseName"}},
	"azure-native:sql:LongTermRetentionPolicy":          {"policyName", "Microsoft.Sql/servers/%s/databases/%s/backupLongTermRetentionPolicies", []string{"serverName", "databaseName"}},
	"azure-native:cdn:Profile":                          {"profileName", "Microsoft.Cdn/profiles", nil},
	"azure-native:cdn:AFDEndpoint":                      {"endpointName", "Microsoft.Cdn/profiles/%s/afdEndpoints", []string{"profileName"}},
	"azure-native:cdn:AFDOriginGroup":                   {"originGroupName", "Microsoft.Cdn/profiles/%s/originGroups", []string{"profileName"}},
	"azure-native:cdn:AFDOrigin":                        {"originName", "Microsoft.Cdn/profiles/%s/originGroups/%s/origins", []string{"profileName", "originGroupName"}},
	"azure-native:cdn:Route":                            {"routeName", "Microsoft.Cdn/profiles/%s/afdEndpoints/%s/routes", []string{"profileName", "endpointName"}},
	"azure-native:cdn:AFDCustomDomain":                  {"customDomainName", "Microsoft.Cdn/profiles/%s/customDomains", []string{"profileName"}},
	"azure-native:cdn:Endpoint":                         {"endpointName", "Microsoft.Cdn/profiles/%s/endpoints", []string{"profileName"}},
	"azure-native:insights:AutoscaleSetting":            {"autoscaleSettingName", "Microsoft.Insights/autoscalesettings", nil},
	"azure-native:insights:ActionGroup":                 {"actionGroupName", "Microsoft.Insights/actionGroups", nil},
	"azure-native:insights:MetricAlert":                 {"ruleName", "Microsoft.Insights/metricAlerts", nil},
	"azure-native:recoveryservices:Vault":               {"vaultName", "Microsoft.RecoveryServices/vaults", nil},
	"azure-native:recoveryservices:ProtectionPolicy":    {"policyName", "Microsoft.RecoveryServices/vaults/%s/backupPolicies", []string{"vaultName"}},
	"azure-native:storage:StorageAccount":               {"accountName", "Microsoft.Storage/storageAccounts", nil},
	"azure-native:storage:ManagementPolicy":             {"managementPolicyName", "Microsoft.Storage/storageAccounts/%s/managementPolicies", []string{"accountName"}},
	"azure-native:sql:ServerBlobAuditingPolicy":         {"blobAuditingPolicyName", "Microsoft.Sql/servers/%s/auditingSettings", []string{"serverName"}},
	"azure-native:sql:ServerAzureADAdministrator":       {"administratorName", "Microsoft.Sql/servers/%s/administrators", []string{"serverName"}},
	"azure-native:sql:ServerAzureADOnlyAuthentication":  {"authenticationName", "Microsoft.Sql/servers/%s/azureADOnlyAuthentications", []string{"serverName"}},
	"azure-native:network:VirtualNetworkPeering":        {"virtualNetworkPeeringName", "Microsoft.Network/virtualNetworks/%s/virtualNetworkPeerings", []string{"virtualNetworkName"}},
	"azure-native:network:Policy":                       {"policyName", "Microsoft.Network/FrontDoorWebApplicationFirewallPolicies", nil},
	"azure-native:cdn:SecurityPolicy":                   {"securityPolicyName", "Microsoft.Cdn/profiles/%s/securityPolicies", []string{"profileName"}},
}

// azureMock gives every Azure resource the ARM ID and name Azure would (auto-named resources
// get the logical name plus a stable 8-character suffix) and the computed outputs programs
// read: public IP addresses, SQL server FQDNs, Front Door and CDN endpoint host names, scale
// set unique IDs, custom domain validation tokens.
func azureMock(r *Resource, region string) (string, map[string]any) {
	h := shortHash(r.URN)
	out := map[string]any{}
	if r.Type == "azure-native:resources:ResourceGroup" {
		name := r.InputString("resourceGroupName")
		if name == "" {
			name = r.Name + h[:8]
		}
		id := fmt.Sprintf("/subscriptions/%s/resourceGroups/%s", FakeAzureSubscriptionID, name)
		return id, map[string]any{"id": id, "name": name, "type": "Microsoft.Resources/resourceGroups"}
	}
	if r.Type == "azure-native:insights:DiagnosticSetting" {
		// Diagnostic settings are extension resources of the resource they watch.
		name := r.InputString("name")
		if name == "" {
			name = r.Name + h[:8]
		}
		id := r.InputString("resourceUri") + "/providers/Microsoft.Insights/diagnosticSettings/" + name
		return id, map[string]any{"id": id, "name": name}
	}
	rg := r.InputString("resourceGroupName")
	if rg == "" {
		rg = "rg"
	}
	kind, known := azureKinds[r.Type]
	name := ""
	if known {
		name = r.InputString(kind.nameKey)
	}
	if name == "" {
		name = r.Name + h[:8]
	}
	path := "Microsoft.Unknown/" + strings.ReplaceAll(strings.TrimPrefix(r.Type, "azure-native:"), ":", "/")
	if known {
		args := make([]any, len(kind.parents))
		for i, p := range kind.parents {
			args[i] = r.InputString(p)
		}
		path = fmt.Sprintf(kind.path, args...)
	}
	id := fmt.Sprintf("/subscriptions/%s/resourceGroups/%s/providers/%s/%s", FakeAzureSubscriptionID, rg, path, name)
	out["id"], out["name"] = id, name

	switch r.Type {
	case "azure-native:network:PublicIPAddress":
		out["ipAddress"] = fmt.Sprintf("20.%d.%d.%d", int(h[0])%200+10, int(h[1])%250, int(h[2])%250+1)
	case "azure-native:sql:Server":
		out["fullyQualifiedDomainName"] = name + ".database.windows.net"
		out["state"] = "Ready"
	case "azure-native:cdn:Profile":
		out["frontDoorId"] = fmt.Sprintf("%s-%s-%s-%s-%s", h[:8], h[8:12], h[12:16], h[16:20], h[20:32])
	case "azure-native:cdn:AFDEndpoint":
		out["hostName"] = fmt.Sprintf("%s-%s.z01.azurefd.net", name, h[8:24])
	case "azure-native:cdn:Endpoint":
		out["hostName"] = name + ".azureedge.net"
	case "azure-native:cdn:AFDCustomDomain":
		out["validationProperties"] = map[string]any{"validationToken": h[:32], "expirationDate": "2027-01-01T00:00:00Z"}
	case "azure-native:compute:VirtualMachineScaleSet":
		out["uniqueId"] = fmt.Sprintf("%s-%s-%s-%s-%s", h[:8], h[8:12], h[12:16], h[16:20], h[20:32])
		if strings.Contains(r.InputString("identity.type"), "SystemAssigned") {
			// A system-assigned identity gets a service principal whose object ID ARM reports.
			p := shortHash(r.URN, "identity")
			out["identity"] = map[string]any{"principalId": fmt.Sprintf("%s-%s-%s-%s-%s", p[:8], p[8:12], p[12:16], p[16:20], p[20:32]),
				"tenantId": FakeAzureTenantID, "type": r.InputString("identity.type")}
		}
	case "azure-native:network:Zone":
		out["nameServers"] = []any{"ns1-01.azure-dns.com.", "ns2-01.azure-dns.net.", "ns3-01.azure-dns.org.", "ns4-01.azure-dns.info."}
	case "azure-native:recoveryservices:Vault":
		out["identity"] = map[string]any{"principalId": fmt.Sprintf("%s-%s-%s-%s-%s", h[:8], h[8:12], h[12:16], h[16:20], h[20:32]), "type": "SystemAssigned"}
	}
	return id, out
}
