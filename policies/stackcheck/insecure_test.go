package stackcheck_test

import (
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/alb"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/rds"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/s3"
	"github.com/pulumi/pulumi-azure-native-sdk/cdn/v2"
	"github.com/pulumi/pulumi-azure-native-sdk/network/v2"
	azsql "github.com/pulumi/pulumi-azure-native-sdk/sql/v2"
	"github.com/pulumi/pulumi-azure-native-sdk/storage/v2"
	gcompute "github.com/pulumi/pulumi-gcp/sdk/v7/go/gcp/compute"
	gprojects "github.com/pulumi/pulumi-gcp/sdk/v7/go/gcp/projects"
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
		// A bucket with neither a public access block nor encryption, and one hardened the
		// legacy way (inline encryption, blocks linked by the literal bucket name).
		if _, err := s3.NewBucketV2(ctx, "legacy-bucket", &s3.BucketV2Args{}); err != nil {
			return err
		}
		if _, err := s3.NewBucket(ctx, "legacy-logs", &s3.BucketArgs{Bucket: pulumi.String("legacy-logs-1234"),
			ServerSideEncryptionConfiguration: &s3.BucketServerSideEncryptionConfigurationArgs{Rule: &s3.BucketServerSideEncryptionConfigurationRuleArgs{
				ApplyServerSideEncryptionByDefault: &s3.BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultArgs{SseAlgorithm: pulumi.String("aws:kms")}}}}); err != nil {
			return err
		}
		if _, err := s3.NewBucketPublicAccessBlock(ctx, "legacy-logs", &s3.BucketPublicAccessBlockArgs{Bucket: pulumi.String("legacy-logs-1234"),
			BlockPublicAcls: pulumi.Bool(true), BlockPublicPolicy: pulumi.Bool(true), IgnorePublicAcls: pulumi.Bool(true), RestrictPublicBuckets: pulumi.Bool(true)}); err != nil {
			return err
		}
		if _, err := s3.NewBucketPolicy(ctx, "legacy-logs-policy", &s3.BucketPolicyArgs{Bucket: pulumi.String("legacy-logs-1234"),
			Policy: pulumi.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"logging.s3.amazonaws.com"},"Action":"s3:PutObject","Resource":"arn:aws:s3:::legacy-logs-1234/*"}]}`)}); err != nil {
			return err
		}
		if _, err := cloudwatch.NewLogGroup(ctx, "legacy-app-logs", &cloudwatch.LogGroupArgs{RetentionInDays: pulumi.Int(14)}); err != nil {
			return err
		}
		if _, err := iam.NewRolePolicy(ctx, "legacy-admin", &iam.RolePolicyArgs{Role: pulumi.String("ops"),
			Policy: pulumi.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`)}); err != nil {
			return err
		}
		if _, err := rds.NewParameterGroup(ctx, "legacy-params", &rds.ParameterGroupArgs{Family: pulumi.String("postgres14"),
			Parameters: rds.ParameterGroupParameterArray{&rds.ParameterGroupParameterArgs{Name: pulumi.String("log_connections"), Value: pulumi.String("1")}}}); err != nil {
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
		if _, err := network.NewSubnet(ctx, "legacy-subnet", &network.SubnetArgs{ResourceGroupName: rg, VirtualNetworkName: pulumi.String("legacy-vnet"),
			SubnetName: pulumi.String("legacy"), AddressPrefix: pulumi.String("10.99.1.0/24")}); err != nil {
			return err
		}
		if _, err := network.NewSubnet(ctx, "legacy-gateway-subnet", &network.SubnetArgs{ResourceGroupName: rg, VirtualNetworkName: pulumi.String("legacy-vnet"),
			SubnetName: pulumi.String("GatewaySubnet"), AddressPrefix: pulumi.String("10.99.255.0/27")}); err != nil {
			return err
		}
		if _, err := network.NewVirtualNetwork(ctx, "legacy-vnet", &network.VirtualNetworkArgs{ResourceGroupName: rg,
			AddressSpace: &network.AddressSpaceArgs{AddressPrefixes: pulumi.StringArray{pulumi.String("10.98.0.0/16")}},
			Subnets:      network.SubnetTypeArray{&network.SubnetTypeArgs{Name: pulumi.String("apps"), AddressPrefix: pulumi.String("10.98.1.0/24")}}}); err != nil {
			return err
		}
		if _, err := network.NewPublicIPAddress(ctx, "legacy-ip", &network.PublicIPAddressArgs{ResourceGroupName: rg,
			Sku: &network.PublicIPAddressSkuArgs{Name: pulumi.String("Basic")}}); err != nil {
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
		if _, err := gcompute.NewNetwork(ctx, "legacy-net", &gcompute.NetworkArgs{}); err != nil {
			return err
		}
		if _, err := gcompute.NewSubnetwork(ctx, "legacy-subnet", &gcompute.SubnetworkArgs{Network: pulumi.String("legacy-net"), IpCidrRange: pulumi.String("10.99.0.0/20")}); err != nil {
			return err
		}
		if _, err := gprojects.NewIAMMember(ctx, "legacy-editor", &gprojects.IAMMemberArgs{Project: pulumi.String("scalestack-test"),
			Role: pulumi.String("roles/editor"), Member: pulumi.String("user:dev@example.com")}); err != nil {
			return err
		}
		_, err := gcompute.NewSSLPolicy(ctx, "legacy-ssl", &gcompute.SSLPolicyArgs{MinTlsVersion: pulumi.String("TLS_1_1"), Profile: pulumi.String("MODERN")})
		return err
	},
}

// advised is what each insecure variant must report as advisory findings: "rule resource".
var advised = map[string][]string{
	"aws":   {"aws-s3-tls-only legacy-logs-policy", "aws-logs-encrypted legacy-app-logs"},
	"azure": {"az-public-ip-standard legacy-ip"},
	"gcp":   {"gcp-subnet-hardening legacy-subnet", "gcp-bucket-public app-static-public-read"},
}

// caught is what each insecure variant must report, rule by rule: "rule resource".
var caught = map[string][]string{
	"aws": {"aws-rds-encrypted legacy-db", "aws-rds-private legacy-db", "aws-rds-multi-az legacy-db", "aws-rds-deletion-protection legacy-db",
		"stack-backup-covers-db legacy-db", "stack-db-read-replica legacy-db",
		"aws-lb-http-redirect legacy-http", "aws-lt-ebs-encrypted legacy-lt", "aws-sg-no-open-ingress legacy-sg", "stack-exposure-bypasses-edge legacy-sg",
		"aws-s3-bucket-hardening legacy-bucket", "aws-iam-no-wildcard-admin legacy-admin", "aws-rds-param-force-ssl legacy-params"},
	"azure": {"az-sql-server legacy-sql", "stack-sql-auditing-coverage legacy-sql", "az-nsg-no-open-mgmt legacy-nsg", "stack-exposure-bypasses-edge legacy-nsg", "az-storage-secure legacylogs", "az-storage-network legacylogs", "az-cdn-https legacy-route",
		"az-subnet-nsg legacy-subnet", "az-subnet-nsg legacy-vnet"},
	"gcp": {"gcp-tpl-no-public-ip legacy-tpl", "stack-exposure-bypasses-edge legacy-tpl", "gcp-sql-network legacy-pg", "stack-db-read-replica legacy-pg",
		"gcp-firewall-no-open-mgmt legacy-fw", "gcp-lb-tls legacy-ssl", "gcp-network-custom-mode legacy-net", "gcp-iam-no-primitive-roles legacy-editor"},
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
			advisory := map[string]bool{}
			for _, v := range rep.Violations {
				if v.EnforcementLevel == rules.Advisory && !v.Unverified {
					advisory[v.PolicyName+" "+rules.URNName(v.URN)] = true
				}
			}
			for _, k := range advised[cloud] {
				assert.True(t, advisory[k], "%s: not reported as an advisory finding", k)
			}
			assert.True(t, rep.Failed())
		})
	}
}
