package rules_test

import (
	"sort"
	"testing"

	"github.com/pulumi/pulumi-azure-native-sdk/cdn/v2"
	"github.com/pulumi/pulumi-azure-native-sdk/compute/v2"
	"github.com/pulumi/pulumi-azure-native-sdk/network/v2"
	"github.com/pulumi/pulumi-azure-native-sdk/recoveryservices/v2"
	azsql "github.com/pulumi/pulumi-azure-native-sdk/sql/v2"
	"github.com/pulumi/pulumi-azure-native-sdk/storage/v2"
	azure "github.com/pulumi/pulumi-azure-native-sdk/v2"
	"github.com/pulumi/pulumi-gcp/sdk/v7/go/gcp"
	gcompute "github.com/pulumi/pulumi-gcp/sdk/v7/go/gcp/compute"
	"github.com/pulumi/pulumi-gcp/sdk/v7/go/gcp/dns"
	gsql "github.com/pulumi/pulumi-gcp/sdk/v7/go/gcp/sql"
	gstorage "github.com/pulumi/pulumi-gcp/sdk/v7/go/gcp/storage"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	azgateway "github.com/scalestack/scalestack/components/azure/gateway"
	aznetwork "github.com/scalestack/scalestack/components/azure/network"
	gcpdatabase "github.com/scalestack/scalestack/components/gcp/database"
	gcplb "github.com/scalestack/scalestack/components/gcp/loadbalancer"
	gcpwebtier "github.com/scalestack/scalestack/components/gcp/webtier"
	"github.com/scalestack/scalestack/policies/rules"
	"github.com/scalestack/scalestack/testkit"
)

// assertCaught checks every expected "rule resource" finding and its level, and that no other
// finding is blocking.
func assertCaught(t *testing.T, rep *rules.Report, want map[string]rules.Level) {
	t.Helper()
	got := found(rep)
	for k, lvl := range want {
		assert.Equal(t, lvl, got[k], "%s: want a %s violation", k, lvl)
	}
	var extra []string
	for _, v := range rep.Mandatory() {
		if _, ok := want[v.PolicyName+" "+rules.URNName(v.URN)]; !ok {
			extra = append(extra, v.PolicyName+" "+rules.URNName(v.URN)+": "+v.Message)
		}
	}
	sort.Strings(extra)
	assert.Empty(t, extra, "unexpected mandatory violations")
}

func TestInsecureAzureProgramIsCaughtRuleByRule(t *testing.T) {
	plan, err := testkit.Run(func(ctx *pulumi.Context) error {
		ap, err := azure.NewProvider(ctx, "azure-native-eastus2", &azure.ProviderArgs{Location: pulumi.StringPtr("eastus2")})
		if err != nil {
			return err
		}
		p := pulumi.Provider(ap)
		// Our components, configured securely (an HTTPS gateway with its WAF).
		net, err := aznetwork.New(ctx, "app", &aznetwork.Args{Location: "eastus2"}, p)
		if err != nil {
			return err
		}
		if _, err := azgateway.New(ctx, "app-gw", &azgateway.Args{
			Location: "eastus2", ResourceGroupName: net.ResourceGroupName, ResourceGroupID: net.ResourceGroupID, SubnetID: net.GatewaySubnetID,
			CertificateSecretID: "https://appkeys.vault.azure.net/secrets/tls", HostName: "app.example.com",
			IdentityID: "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/gw",
		}, p); err != nil {
			return err
		}
		rg := net.ResourceGroupName
		// Deliberately bad resources a user adds next to them.
		srv, err := azsql.NewServer(ctx, "legacy-sql", &azsql.ServerArgs{
			ResourceGroupName: rg, PublicNetworkAccess: pulumi.String("Enabled"), MinimalTlsVersion: pulumi.String("1.0"),
			AdministratorLogin: pulumi.String("sa"), AdministratorLoginPassword: pulumi.ToSecret(pulumi.String("hunter2")).(pulumi.StringOutput),
		}, p)
		if err != nil {
			return err
		}
		if _, err := azsql.NewDatabase(ctx, "legacy-sqldb", &azsql.DatabaseArgs{
			ResourceGroupName: rg, ServerName: srv.Name, ZoneRedundant: pulumi.Bool(false), RequestedBackupStorageRedundancy: pulumi.String("Local"),
		}, p); err != nil {
			return err
		}
		if _, err := azsql.NewServerBlobAuditingPolicy(ctx, "legacy-audit", &azsql.ServerBlobAuditingPolicyArgs{
			ResourceGroupName: rg, ServerName: pulumi.String("some-other-server"), State: azsql.BlobAuditingPolicyStateEnabled, RetentionDays: pulumi.Int(30),
		}, p); err != nil {
			return err
		}
		if _, err := azsql.NewFailoverGroup(ctx, "legacy-fog", &azsql.FailoverGroupArgs{
			ResourceGroupName: rg, ServerName: srv.Name, PartnerServers: azsql.PartnerInfoArray{&azsql.PartnerInfoArgs{Id: pulumi.String("/subscriptions/s/resourceGroups/rg/providers/Microsoft.Sql/servers/dr")}},
			ReadWriteEndpoint: &azsql.FailoverGroupReadWriteEndpointArgs{FailoverPolicy: pulumi.String("Automatic")},
		}, p); err != nil {
			return err
		}
		if _, err := network.NewApplicationGateway(ctx, "legacy-agw", &network.ApplicationGatewayArgs{
			ResourceGroupName: rg,
			WebApplicationFirewallConfiguration: &network.ApplicationGatewayWebApplicationFirewallConfigurationArgs{
				Enabled: pulumi.Bool(true), FirewallMode: pulumi.String("Detection"), RuleSetType: pulumi.String("OWASP"), RuleSetVersion: pulumi.String("3.2"),
			},
			HttpListeners: network.ApplicationGatewayHttpListenerArray{&network.ApplicationGatewayHttpListenerArgs{Name: pulumi.String("http"), Protocol: pulumi.String("Http")}},
		}, p); err != nil {
			return err
		}
		if _, err := network.NewNetworkSecurityGroup(ctx, "legacy-nsg", &network.NetworkSecurityGroupArgs{
			ResourceGroupName: rg,
			SecurityRules: network.SecurityRuleTypeArray{&network.SecurityRuleTypeArgs{
				Name: pulumi.String("ssh"), Direction: pulumi.String("Inbound"), Access: pulumi.String("Allow"), Protocol: pulumi.String("Tcp"), Priority: pulumi.Int(100),
				SourceAddressPrefix: pulumi.String("*"), SourcePortRange: pulumi.String("*"), DestinationAddressPrefix: pulumi.String("*"), DestinationPortRange: pulumi.String("22"),
			}},
		}, p); err != nil {
			return err
		}
		if _, err := storage.NewStorageAccount(ctx, "legacylogs", &storage.StorageAccountArgs{
			ResourceGroupName: rg, Kind: pulumi.String("StorageV2"), Sku: &storage.SkuArgs{Name: pulumi.String("Standard_LRS")},
			MinimumTlsVersion: pulumi.String("TLS1_0"), AllowBlobPublicAccess: pulumi.Bool(true),
		}, p); err != nil {
			return err
		}
		if _, err := compute.NewVirtualMachineScaleSet(ctx, "legacy-vmss", &compute.VirtualMachineScaleSetArgs{
			ResourceGroupName: rg,
			VirtualMachineProfile: &compute.VirtualMachineScaleSetVMProfileArgs{OsProfile: &compute.VirtualMachineScaleSetOSProfileArgs{
				AdminUsername: pulumi.String("azureuser"), AdminPassword: pulumi.String("P@ssw0rd!"),
				LinuxConfiguration: &compute.LinuxConfigurationArgs{DisablePasswordAuthentication: pulumi.Bool(false)},
			}},
		}, p); err != nil {
			return err
		}
		prof, err := cdn.NewProfile(ctx, "legacy-fd", &cdn.ProfileArgs{ResourceGroupName: rg, Sku: &cdn.SkuArgs{Name: pulumi.String("Standard_AzureFrontDoor")}}, p)
		if err != nil {
			return err
		}
		if _, err := cdn.NewEndpoint(ctx, "legacy-cdn", &cdn.EndpointArgs{
			ResourceGroupName: rg, ProfileName: prof.Name, IsHttpAllowed: pulumi.Bool(true),
			Origins: cdn.DeepCreatedOriginArray{&cdn.DeepCreatedOriginArgs{Name: pulumi.String("o"), HostName: pulumi.String("legacy.example.com")}},
		}, p); err != nil {
			return err
		}
		if _, err := network.NewProfile(ctx, "legacy-tm", &network.ProfileArgs{
			ResourceGroupName: rg, TrafficRoutingMethod: pulumi.String("Priority"),
			MonitorConfig: &network.MonitorConfigArgs{Protocol: pulumi.String("HTTP"), Port: pulumi.Float64(80), Path: pulumi.String("/")},
			Endpoints:     network.EndpointTypeArray{&network.EndpointTypeArgs{Name: pulumi.String("primary"), Priority: pulumi.Float64(1), Target: pulumi.String("app.example.com")}},
		}, p); err != nil {
			return err
		}
		_, err = recoveryservices.NewVault(ctx, "legacy-rsv", &recoveryservices.VaultArgs{
			ResourceGroupName: rg, Sku: &recoveryservices.SkuArgs{Name: pulumi.String("Standard")},
			Properties: &recoveryservices.VaultPropertiesArgs{SecuritySettings: &recoveryservices.SecuritySettingsArgs{
				SoftDeleteSettings: &recoveryservices.SoftDeleteSettingsArgs{SoftDeleteState: pulumi.String("Disabled")},
			}},
		}, p)
		return err
	}, testkit.DryRun(true), testkit.Stack("prod"))
	require.NoError(t, err)
	rep, err := plan.Policies(rules.Options{Environment: "prod"})
	require.NoError(t, err)
	assertCaught(t, rep, map[string]rules.Level{
		"az-sql-server legacy-sql":               rules.Mandatory,
		"az-sql-entra-only legacy-sql":           rules.Advisory,
		"stack-sql-auditing-coverage legacy-sql": rules.Mandatory,
		"az-sql-db-resilience legacy-sqldb":      rules.Mandatory,
		"stack-db-read-replica legacy-sqldb":     rules.Mandatory,
		"stack-backup-covers-db legacy-sqldb":    rules.Mandatory,
		"az-sql-auditing legacy-audit":           rules.Mandatory,
		"az-sql-failover-group legacy-fog":       rules.Advisory,
		"az-appgw-waf legacy-agw":                rules.Mandatory,
		"az-appgw-tls legacy-agw":                rules.Mandatory,
		"az-nsg-no-open-mgmt legacy-nsg":         rules.Mandatory,
		"az-storage-secure legacylogs":           rules.Mandatory,
		"az-storage-network legacylogs":          rules.Mandatory,
		"az-vmss-no-password legacy-vmss":        rules.Mandatory,
		"az-vmss-encryption-at-host legacy-vmss": rules.Advisory,
		"az-vmss-resilience legacy-vmss":         rules.Advisory,
		"az-cdn-https legacy-cdn":                rules.Mandatory,
		"az-frontdoor-waf legacy-fd":             rules.Mandatory,
		"az-tm-probe legacy-tm":                  rules.Advisory,
		"stack-failover-pair legacy-tm":          rules.Mandatory,
		"az-rsv-vault legacy-rsv":                rules.Advisory,
	})
}

func TestInsecureGCPProgramIsCaughtRuleByRule(t *testing.T) {
	plan, err := testkit.Run(func(ctx *pulumi.Context) error {
		gp, err := gcp.NewProvider(ctx, "gcp-us-central1", &gcp.ProviderArgs{Region: pulumi.String("us-central1"), Project: pulumi.String("p")})
		if err != nil {
			return err
		}
		east, err := gcp.NewProvider(ctx, "gcp-us-east1", &gcp.ProviderArgs{Region: pulumi.String("us-east1"), Project: pulumi.String("p")})
		if err != nil {
			return err
		}
		p := pulumi.Provider(gp)
		// Our components, configured for prod.
		if _, err := gcpdatabase.New(ctx, "orders", &gcpdatabase.Args{
			PrivateNetwork: pulumi.String("projects/p/global/networks/app"), HighAvailability: true, DeletionProtection: true, ReadReplicas: 1, CrossRegionProvider: east,
		}, p); err != nil {
			return err
		}
		if _, err := gcpwebtier.New(ctx, "shop-web", &gcpwebtier.Args{Project: pulumi.String("p"), Subnetwork: pulumi.String("s"), NetworkTag: "shop-web", MinSize: 2, MaxSize: 10, Zones: gcpwebtier.DefaultZones("us-central1")}, p); err != nil {
			return err
		}
		if _, err := gcplb.New(ctx, "shop", &gcplb.Args{Backends: []gcplb.Backend{{Key: "primary", Group: pulumi.String("g")}}, Domains: []string{"shop.example.com"}, CDN: true}, p); err != nil {
			return err
		}
		// Deliberately bad resources.
		if _, err := gcompute.NewInstanceTemplate(ctx, "legacy-tpl", &gcompute.InstanceTemplateArgs{
			MachineType: pulumi.String("e2-small"),
			Disks:       gcompute.InstanceTemplateDiskArray{&gcompute.InstanceTemplateDiskArgs{SourceImage: pulumi.String("debian-cloud/debian-12")}},
			NetworkInterfaces: gcompute.InstanceTemplateNetworkInterfaceArray{&gcompute.InstanceTemplateNetworkInterfaceArgs{
				Network: pulumi.String("default"), AccessConfigs: gcompute.InstanceTemplateNetworkInterfaceAccessConfigArray{&gcompute.InstanceTemplateNetworkInterfaceAccessConfigArgs{}},
			}},
			CanIpForward: pulumi.Bool(true),
		}, p); err != nil {
			return err
		}
		if _, err := gcompute.NewRegionInstanceGroupManager(ctx, "legacy-mig", &gcompute.RegionInstanceGroupManagerArgs{
			BaseInstanceName: pulumi.String("legacy"),
			Versions:         gcompute.RegionInstanceGroupManagerVersionArray{&gcompute.RegionInstanceGroupManagerVersionArgs{InstanceTemplate: pulumi.String("t")}},
		}, p); err != nil {
			return err
		}
		if _, err := gcompute.NewRegionAutoscaler(ctx, "legacy-as", &gcompute.RegionAutoscalerArgs{
			Target:            pulumi.String("legacy-mig"),
			AutoscalingPolicy: &gcompute.RegionAutoscalerAutoscalingPolicyArgs{MinReplicas: pulumi.Int(1), MaxReplicas: pulumi.Int(1)},
		}, p); err != nil {
			return err
		}
		if _, err := gcompute.NewSSLPolicy(ctx, "legacy-ssl", &gcompute.SSLPolicyArgs{MinTlsVersion: pulumi.String("TLS_1_0"), Profile: pulumi.String("COMPATIBLE")}, p); err != nil {
			return err
		}
		if _, err := gcompute.NewTargetHttpsProxy(ctx, "legacy-https", &gcompute.TargetHttpsProxyArgs{UrlMap: pulumi.String("m")}, p); err != nil {
			return err
		}
		be, err := gcompute.NewBackendService(ctx, "legacy-be", &gcompute.BackendServiceArgs{Protocol: pulumi.String("HTTP")}, p)
		if err != nil {
			return err
		}
		um, err := gcompute.NewURLMap(ctx, "legacy-map", &gcompute.URLMapArgs{DefaultService: be.ID()}, p)
		if err != nil {
			return err
		}
		proxy, err := gcompute.NewTargetHttpProxy(ctx, "legacy-http", &gcompute.TargetHttpProxyArgs{UrlMap: um.ID()}, p)
		if err != nil {
			return err
		}
		if _, err := gcompute.NewGlobalForwardingRule(ctx, "legacy-http", &gcompute.GlobalForwardingRuleArgs{
			Target: proxy.ID(), PortRange: pulumi.String("80"), LoadBalancingScheme: pulumi.String("EXTERNAL_MANAGED"),
		}, p); err != nil {
			return err
		}
		if _, err := gsql.NewDatabaseInstance(ctx, "legacy-pg", &gsql.DatabaseInstanceArgs{
			DatabaseVersion: pulumi.String("POSTGRES_16"), DeletionProtection: pulumi.Bool(false),
			Settings: &gsql.DatabaseInstanceSettingsArgs{
				Tier: pulumi.String("db-f1-micro"), AvailabilityType: pulumi.String("ZONAL"),
				IpConfiguration: &gsql.DatabaseInstanceSettingsIpConfigurationArgs{
					Ipv4Enabled:        pulumi.Bool(true),
					AuthorizedNetworks: gsql.DatabaseInstanceSettingsIpConfigurationAuthorizedNetworkArray{&gsql.DatabaseInstanceSettingsIpConfigurationAuthorizedNetworkArgs{Value: pulumi.String("0.0.0.0/0")}},
				},
			},
		}, p); err != nil {
			return err
		}
		if _, err := dns.NewManagedZone(ctx, "legacy-zone", &dns.ManagedZoneArgs{DnsName: pulumi.String("legacy.example.com.")}, p); err != nil {
			return err
		}
		if _, err := gcompute.NewFirewall(ctx, "legacy-fw", &gcompute.FirewallArgs{
			Network: pulumi.String("default"), SourceRanges: pulumi.StringArray{pulumi.String("0.0.0.0/0")},
			Allows: gcompute.FirewallAllowArray{&gcompute.FirewallAllowArgs{Protocol: pulumi.String("tcp"), Ports: pulumi.StringArray{pulumi.String("22"), pulumi.String("443")}}},
		}, p); err != nil {
			return err
		}
		if _, err := gstorage.NewBucket(ctx, "legacy-bucket", &gstorage.BucketArgs{Location: pulumi.String("US"), UniformBucketLevelAccess: pulumi.Bool(false)}, p); err != nil {
			return err
		}
		_, err = gcompute.NewDisk(ctx, "legacy-disk", &gcompute.DiskArgs{Size: pulumi.Int(100), Zone: pulumi.String("us-central1-a")}, p)
		return err
	}, testkit.DryRun(true), testkit.Stack("prod"))
	require.NoError(t, err)
	rep, err := plan.Policies(rules.Options{Environment: "prod"})
	require.NoError(t, err)
	assertCaught(t, rep, map[string]rules.Level{
		"gcp-tpl-no-public-ip legacy-tpl":         rules.Mandatory,
		"stack-exposure-bypasses-edge legacy-tpl": rules.Mandatory, // external IPs and an open firewall beside the load balancer
		// shop-web's subnetwork "s" names no network the plan knows, so the target-less open
		// legacy-fw is assumed to reach it too: never a silent pass.
		"stack-exposure-bypasses-edge shop-web":   rules.Mandatory,
		"gcp-tpl-hardening legacy-tpl":            rules.Mandatory,
		"gcp-mig-autohealing legacy-mig":          rules.Mandatory,
		"gcp-autoscaler-bounds legacy-as":         rules.Advisory,
		"gcp-lb-tls legacy-ssl":                   rules.Mandatory,
		"gcp-lb-tls legacy-https":                 rules.Mandatory,
		"gcp-backend-service legacy-be":           rules.Advisory,
		"gcp-lb-http-redirect legacy-http":        rules.Mandatory,
		"gcp-sql-backups legacy-pg":               rules.Mandatory,
		"gcp-sql-network legacy-pg":               rules.Mandatory,
		"gcp-sql-ha legacy-pg":                    rules.Mandatory,
		"stack-db-read-replica legacy-pg":         rules.Mandatory,
		"stack-backup-covers-db legacy-pg":        rules.Mandatory,
		"gcp-dns-dnssec legacy-zone":              rules.Advisory,
		"gcp-firewall-no-open-mgmt legacy-fw":     rules.Mandatory,
		"gcp-bucket-uniform-access legacy-bucket": rules.Mandatory,
		"stack-disk-protection legacy-disk":       rules.Advisory,
	})
}
