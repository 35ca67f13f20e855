package stackcheck_test

import (
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/alb"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/rds"
	"github.com/pulumi/pulumi-azure-native-sdk/cdn/v2"
	"github.com/pulumi/pulumi-azure-native-sdk/network/v2"
	azsql "github.com/pulumi/pulumi-azure-native-sdk/sql/v2"
	"github.com/pulumi/pulumi-azure-native-sdk/storage/v2"
	gcompute "github.com/pulumi/pulumi-gcp/sdk/v7/go/gcp/compute"
	gsql "github.com/pulumi/pulumi-gcp/sdk/v7/go/gcp/sql"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scalestack/scalestack/policies/rules"
)

// insecure adds deliberately bad resources to a cloud's reference stack, as a user program
// that mixes the stack with its own resources would.
var insecure = map[string]func(ctx *pulumi.Context) error{
	"aws": func(ctx *pulumi.Context) error {
		if _, err := rds.NewInstance(ctx, "legacy-db", &rds.InstanceArgs{
			Engine: pulumi.String("postgres"), InstanceClass: pulumi.String("db.t4g.micro"), BackupRetentionPeriod: pulumi.Int(7),
			StorageEncrypted: pulumi.Bool(false), PubliclyAccessible: pulumi.Bool(true),
		}); err != nil {
			return err
		}
		if _, err := alb.NewListener(ctx, "legacy-http", &alb.ListenerArgs{
			LoadBalancerArn: pulumi.String("arn:lb"), Port: pulumi.Int(80), Protocol: pulumi.String("HTTP"),
			DefaultActions: alb.ListenerDefaultActionArray{&alb.ListenerDefaultActionArgs{Type: pulumi.String("forward"), TargetGroupArn: pulumi.String("arn:tg")}},
		}); err != nil {
			return err
		}
		if _, err := ec2.NewLaunchTemplate(ctx, "legacy-lt", &ec2.LaunchTemplateArgs{
			MetadataOptions: &ec2.LaunchTemplateMetadataOptionsArgs{HttpTokens: pulumi.String("required")},
			BlockDeviceMappings: ec2.LaunchTemplateBlockDeviceMappingArray{&ec2.LaunchTemplateBlockDeviceMappingArgs{
				DeviceName: pulumi.String("/dev/xvda"), Ebs: &ec2.LaunchTemplateBlockDeviceMappingEbsArgs{Encrypted: pulumi.String("false")},
			}},
		}); err != nil {
			return err
		}
		_, err := ec2.NewSecurityGroup(ctx, "legacy-sg", &ec2.SecurityGroupArgs{Ingress: ec2.SecurityGroupIngressArray{&ec2.SecurityGroupIngressArgs{
			Protocol: pulumi.String("tcp"), FromPort: pulumi.Int(3389), ToPort: pulumi.Int(3389), CidrBlocks: pulumi.StringArray{pulumi.String("0.0.0.0/0")},
		}}})
		return err
	},
	"azure": func(ctx *pulumi.Context) error {
		rg := pulumi.String("legacy-rg")
		if _, err := azsql.NewServer(ctx, "legacy-sql", &azsql.ServerArgs{ResourceGroupName: rg, PublicNetworkAccess: pulumi.String("Enabled"), MinimalTlsVersion: pulumi.String("1.2")}); err != nil {
			return err
		}
		if _, err := network.NewNetworkSecurityGroup(ctx, "legacy-nsg", &network.NetworkSecurityGroupArgs{ResourceGroupName: rg,
			SecurityRules: network.SecurityRuleTypeArray{&network.SecurityRuleTypeArgs{
				Name: pulumi.String("rdp"), Direction: pulumi.String("Inbound"), Access: pulumi.String("Allow"), Protocol: pulumi.String("*"), Priority: pulumi.Int(100),
				SourceAddressPrefix: pulumi.String("Internet"), DestinationPortRange: pulumi.String("3389"),
			}}}); err != nil {
			return err
		}
		if _, err := storage.NewStorageAccount(ctx, "legacylogs", &storage.StorageAccountArgs{ResourceGroupName: rg, Kind: pulumi.String("StorageV2"),
			Sku: &storage.SkuArgs{Name: pulumi.String("Standard_LRS")}, MinimumTlsVersion: pulumi.String("TLS1_2"), AllowBlobPublicAccess: pulumi.Bool(true)}); err != nil {
			return err
		}
		_, err := cdn.NewRoute(ctx, "legacy-route", &cdn.RouteArgs{ResourceGroupName: rg, ProfileName: pulumi.String("legacy"), EndpointName: pulumi.String("legacy"),
			OriginGroup: &cdn.ResourceReferenceArgs{Id: pulumi.String("og")}, SupportedProtocols: pulumi.StringArray{pulumi.String("Http"), pulumi.String("Https")}, HttpsRedirect: pulumi.String("Disabled")})
		return err
	},
	"gcp": func(ctx *pulumi.Context) error {
		if _, err := gcompute.NewInstanceTemplate(ctx, "legacy-tpl", &gcompute.InstanceTemplateArgs{
			MachineType: pulumi.String("e2-small"), Disks: gcompute.InstanceTemplateDiskArray{&gcompute.InstanceTemplateDiskArgs{SourceImage: pulumi.String("debian-cloud/debian-12")}},
			NetworkInterfaces: gcompute.InstanceTemplateNetworkInterfaceArray{&gcompute.InstanceTemplateNetworkInterfaceArgs{
				Network: pulumi.String("default"), AccessConfigs: gcompute.InstanceTemplateNetworkInterfaceAccessConfigArray{&gcompute.InstanceTemplateNetworkInterfaceAccessConfigArgs{}},
			}},
			ShieldedInstanceConfig: &gcompute.InstanceTemplateShieldedInstanceConfigArgs{EnableSecureBoot: pulumi.Bool(true)},
			Metadata:               pulumi.StringMap{"block-project-ssh-keys": pulumi.String("true")},
		}); err != nil {
			return err
		}
		if _, err := gsql.NewDatabaseInstance(ctx, "legacy-pg", &gsql.DatabaseInstanceArgs{DatabaseVersion: pulumi.String("POSTGRES_16"),
			Settings: &gsql.DatabaseInstanceSettingsArgs{Tier: pulumi.String("db-f1-micro"), AvailabilityType: pulumi.String("REGIONAL"),
				BackupConfiguration: &gsql.DatabaseInstanceSettingsBackupConfigurationArgs{Enabled: pulumi.Bool(true), PointInTimeRecoveryEnabled: pulumi.Bool(true)},
				IpConfiguration: &gsql.DatabaseInstanceSettingsIpConfigurationArgs{Ipv4Enabled: pulumi.Bool(true), SslMode: pulumi.String("ENCRYPTED_ONLY"),
					AuthorizedNetworks: gsql.DatabaseInstanceSettingsIpConfigurationAuthorizedNetworkArray{&gsql.DatabaseInstanceSettingsIpConfigurationAuthorizedNetworkArgs{Value: pulumi.String("0.0.0.0/0")}}}}}); err != nil {
			return err
		}
		if _, err := gcompute.NewFirewall(ctx, "legacy-fw", &gcompute.FirewallArgs{Network: pulumi.String("default"), SourceRanges: pulumi.StringArray{pulumi.String("0.0.0.0/0")},
			Allows: gcompute.FirewallAllowArray{&gcompute.FirewallAllowArgs{Protocol: pulumi.String("tcp"), Ports: pulumi.StringArray{pulumi.String("3000-4000")}}}}); err != nil {
			return err
		}
		_, err := gcompute.NewSSLPolicy(ctx, "legacy-ssl", &gcompute.SSLPolicyArgs{MinTlsVersion: pulumi.String("TLS_1_1"), Profile: pulumi.String("MODERN")})
		return err
	},
}

// caught is what each insecure variant must report, rule by rule: "rule resource".
var caught = map[string][]string{
	"aws": {"aws-rds-encrypted legacy-db", "aws-rds-private legacy-db", "aws-rds-multi-az legacy-db", "aws-rds-deletion-protection legacy-db",
		"stack-backup-covers-db legacy-db", "stack-db-read-replica legacy-db",
		"aws-lb-http-redirect legacy-http", "aws-lt-ebs-encrypted legacy-lt", "aws-sg-no-open-ingress legacy-sg"},
	"azure": {"az-sql-server legacy-sql", "stack-sql-auditing-coverage legacy-sql", "az-nsg-no-open-mgmt legacy-nsg", "az-storage-secure legacylogs", "az-cdn-https legacy-route"},
	"gcp": {"gcp-tpl-no-public-ip legacy-tpl", "gcp-sql-network legacy-pg", "stack-db-read-replica legacy-pg",
		"gcp-firewall-no-open-mgmt legacy-fw", "gcp-lb-tls legacy-ssl"},
}

func TestInsecureStackVariantsAreCaughtRuleByRule(t *testing.T) {
	for _, cloud := range []string{"aws", "azure", "gcp"} {
		t.Run(cloud, func(t *testing.T) {
			plan := run(t, cloud, "prod", insecure[cloud])
			rep, err := plan.Policies(rules.Options{Environment: "prod", Waivers: knownGaps[cloud]})
			require.NoError(t, err)
			blocking := map[string]bool{}
			for _, v := range rep.Mandatory() {
				blocking[v.PolicyName+" "+rules.URNName(v.URN)] = true
			}
			for _, k := range caught[cloud] {
				assert.True(t, blocking[k], "%s: not caught as a mandatory violation", k)
				delete(blocking, k)
			}
			assert.Empty(t, blocking, "the stack's own resources stay clean next to the bad ones")
			assert.True(t, rep.Failed())
		})
	}
}
