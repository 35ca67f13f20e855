package rules_test

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/alb"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/autoscaling"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudfront"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/kms"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lb"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/rds"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/route53"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/s3"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scalestack/scalestack/components/aws/backend"
	"github.com/scalestack/scalestack/policies/rules"
	"github.com/scalestack/scalestack/testkit"
)

// awsBackend runs the AWS backend component the way the reference stack places it: explicit
// providers per region, prod with a secondary region, dev in one region.
func awsBackend(ctx *pulumi.Context, env string) (*aws.Provider, error) {
	use1, err := aws.NewProvider(ctx, "aws-us-east-1", &aws.ProviderArgs{Region: pulumi.String("us-east-1")})
	if err != nil {
		return nil, err
	}
	args := &backend.Args{
		Primary: backend.Region{Provider: use1, Name: "us-east-1"}, Edge: use1,
		Domain: "shop.example.org", CDN: true, AlertEmail: "ops@example.org",
		Web:    backend.Web{MinSize: 1, MaxSize: 3},
		Backup: &backend.Backup{RetentionDays: 7},
	}
	if env == "prod" {
		usw2, err := aws.NewProvider(ctx, "aws-us-west-2", &aws.ProviderArgs{Region: pulumi.String("us-west-2")})
		if err != nil {
			return nil, err
		}
		args.Secondary = &backend.Region{Provider: usw2, Name: "us-west-2"}
		args.Web = backend.Web{MinSize: 2, MaxSize: 12}
		args.Database = backend.Database{ReadReplicas: 1, CrossRegionReplica: true, DeletionProtection: true, HighAvailability: true}
		args.Backup = &backend.Backup{RetentionDays: 35, WeeklyRetentionDays: 90, CopyToSecondary: true}
	}
	_, err = backend.New(ctx, "shop", args)
	return use1, err
}

func describe(vs []rules.Violation) string {
	var out []string
	for _, v := range vs {
		out = append(out, fmt.Sprintf("%s %s %s: %s", v.EnforcementLevel, v.PolicyName, rules.URNName(v.URN), v.Message))
	}
	return strings.Join(out, "\n")
}

func TestAWSBackendHasNoMandatoryViolations(t *testing.T) {
	for _, env := range []string{"dev", "prod"} {
		t.Run(env, func(t *testing.T) {
			plan, err := testkit.Run(func(ctx *pulumi.Context) error {
				_, err := awsBackend(ctx, env)
				return err
			}, testkit.DryRun(true), testkit.Stack(env))
			require.NoError(t, err)
			rep, err := plan.Policies(rules.Options{Environment: env})
			require.NoError(t, err)
			assert.Empty(t, rep.Mandatory(), describe(rep.Mandatory()))
			t.Logf("advisory findings:\n%s", describe(rep.Violations))
		})
	}
}

// found maps "rule resource" to the violation's level for every finding.
func found(rep *rules.Report) map[string]rules.Level {
	out := map[string]rules.Level{}
	for _, v := range rep.Violations {
		out[v.PolicyName+" "+rules.URNName(v.URN)] = v.EnforcementLevel
	}
	return out
}

func TestInsecureAWSProgramIsCaughtRuleByRule(t *testing.T) {
	plan, err := testkit.Run(func(ctx *pulumi.Context) error {
		use1, err := awsBackend(ctx, "prod")
		if err != nil {
			return err
		}
		p := pulumi.Provider(use1)
		if _, err := rds.NewInstance(ctx, "legacy-db", &rds.InstanceArgs{
			Engine: pulumi.String("postgres"), InstanceClass: pulumi.String("db.t4g.micro"),
			StorageEncrypted: pulumi.Bool(false), PubliclyAccessible: pulumi.Bool(true), BackupRetentionPeriod: pulumi.Int(1),
		}, p); err != nil {
			return err
		}
		if _, err := alb.NewListener(ctx, "legacy-http", &alb.ListenerArgs{
			LoadBalancerArn: pulumi.String("arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/app/legacy/1"), Port: pulumi.Int(80), Protocol: pulumi.String("HTTP"),
			DefaultActions: alb.ListenerDefaultActionArray{&alb.ListenerDefaultActionArgs{Type: pulumi.String("forward"), TargetGroupArn: pulumi.String("arn:tg")}},
		}, p); err != nil {
			return err
		}
		if _, err := alb.NewListener(ctx, "legacy-https", &alb.ListenerArgs{
			LoadBalancerArn: pulumi.String("arn:lb"), Port: pulumi.Int(443), Protocol: pulumi.String("HTTPS"), SslPolicy: pulumi.String("ELBSecurityPolicy-2016-08"),
			DefaultActions: alb.ListenerDefaultActionArray{&alb.ListenerDefaultActionArgs{Type: pulumi.String("forward"), TargetGroupArn: pulumi.String("arn:tg")}},
		}, p); err != nil {
			return err
		}
		lt, err := ec2.NewLaunchTemplate(ctx, "legacy-lt", &ec2.LaunchTemplateArgs{
			ImageId:         pulumi.String("ami-0123456789abcdef0"),
			MetadataOptions: &ec2.LaunchTemplateMetadataOptionsArgs{HttpTokens: pulumi.String("optional")},
			BlockDeviceMappings: ec2.LaunchTemplateBlockDeviceMappingArray{&ec2.LaunchTemplateBlockDeviceMappingArgs{
				DeviceName: pulumi.String("/dev/xvda"), Ebs: &ec2.LaunchTemplateBlockDeviceMappingEbsArgs{Encrypted: pulumi.String("false")},
			}},
			NetworkInterfaces: ec2.LaunchTemplateNetworkInterfaceArray{&ec2.LaunchTemplateNetworkInterfaceArgs{AssociatePublicIpAddress: pulumi.String("true")}},
		}, p)
		if err != nil {
			return err
		}
		if _, err := autoscaling.NewGroup(ctx, "legacy-asg", &autoscaling.GroupArgs{
			LaunchConfiguration: pulumi.String("legacy-lc"), MinSize: pulumi.Int(1), MaxSize: pulumi.Int(2),
			VpcZoneIdentifiers: pulumi.StringArray{pulumi.String("subnet-1")}, TargetGroupArns: pulumi.StringArray{pulumi.String("arn:tg")}, HealthCheckType: pulumi.String("EC2"),
		}, p); err != nil {
			return err
		}
		if _, err := autoscaling.NewGroup(ctx, "mixed-asg", &autoscaling.GroupArgs{
			MinSize: pulumi.Int(2), MaxSize: pulumi.Int(4), VpcZoneIdentifiers: pulumi.StringArray{pulumi.String("subnet-1"), pulumi.String("subnet-2")},
			MixedInstancesPolicy: &autoscaling.GroupMixedInstancesPolicyArgs{LaunchTemplate: &autoscaling.GroupMixedInstancesPolicyLaunchTemplateArgs{
				LaunchTemplateSpecification: &autoscaling.GroupMixedInstancesPolicyLaunchTemplateLaunchTemplateSpecificationArgs{LaunchTemplateId: lt.ID()},
			}},
		}, p); err != nil {
			return err
		}
		if _, err := cloudfront.NewDistribution(ctx, "legacy-cdn", &cloudfront.DistributionArgs{
			Enabled: pulumi.Bool(true),
			Origins: cloudfront.DistributionOriginArray{&cloudfront.DistributionOriginArgs{
				OriginId: pulumi.String("site"), DomainName: pulumi.String("legacy.example.org"),
				CustomOriginConfig: &cloudfront.DistributionOriginCustomOriginConfigArgs{
					HttpPort: pulumi.Int(80), HttpsPort: pulumi.Int(443), OriginProtocolPolicy: pulumi.String("https-only"), OriginSslProtocols: pulumi.StringArray{pulumi.String("TLSv1.2")},
				},
			}},
			Restrictions: &cloudfront.DistributionRestrictionsArgs{GeoRestriction: &cloudfront.DistributionRestrictionsGeoRestrictionArgs{RestrictionType: pulumi.String("none")}},
			DefaultCacheBehavior: &cloudfront.DistributionDefaultCacheBehaviorArgs{
				ViewerProtocolPolicy: pulumi.String("redirect-to-https"), TargetOriginId: pulumi.String("site"),
				AllowedMethods: pulumi.StringArray{pulumi.String("GET"), pulumi.String("HEAD")}, CachedMethods: pulumi.StringArray{pulumi.String("GET"), pulumi.String("HEAD")},
			},
			OrderedCacheBehaviors: cloudfront.DistributionOrderedCacheBehaviorArray{&cloudfront.DistributionOrderedCacheBehaviorArgs{
				PathPattern: pulumi.String("/downloads/*"), ViewerProtocolPolicy: pulumi.String("allow-all"), TargetOriginId: pulumi.String("site"),
				AllowedMethods: pulumi.StringArray{pulumi.String("GET"), pulumi.String("HEAD")}, CachedMethods: pulumi.StringArray{pulumi.String("GET"), pulumi.String("HEAD")},
			}},
			ViewerCertificate: &cloudfront.DistributionViewerCertificateArgs{CloudfrontDefaultCertificate: pulumi.Bool(true)},
		}, p); err != nil {
			return err
		}
		if _, err := ec2.NewSecurityGroup(ctx, "legacy-sg", &ec2.SecurityGroupArgs{
			Ingress: ec2.SecurityGroupIngressArray{&ec2.SecurityGroupIngressArgs{
				Protocol: pulumi.String("tcp"), FromPort: pulumi.Int(22), ToPort: pulumi.Int(22), CidrBlocks: pulumi.StringArray{pulumi.String("0.0.0.0/0")},
			}},
		}, p); err != nil {
			return err
		}
		if _, err := lb.NewTargetGroup(ctx, "legacy-tg", &lb.TargetGroupArgs{
			Port: pulumi.Int(80), Protocol: pulumi.String("HTTP"), HealthCheck: &lb.TargetGroupHealthCheckArgs{Enabled: pulumi.Bool(false)},
		}, p); err != nil {
			return err
		}
		if _, err := s3.NewBucketPublicAccessBlock(ctx, "legacy-pab", &s3.BucketPublicAccessBlockArgs{
			Bucket: pulumi.String("legacy"), BlockPublicAcls: pulumi.Bool(true), BlockPublicPolicy: pulumi.Bool(false),
		}, p); err != nil {
			return err
		}
		if _, err := kms.NewKey(ctx, "legacy-key", &kms.KeyArgs{EnableKeyRotation: pulumi.Bool(false)}, p); err != nil {
			return err
		}
		_, err = route53.NewRecord(ctx, "legacy-primary", &route53.RecordArgs{
			ZoneId: pulumi.String("Z123"), Name: pulumi.String("legacy.example.org"), Type: pulumi.String("A"), SetIdentifier: pulumi.String("primary"),
			Records: pulumi.StringArray{pulumi.String("192.0.2.1")}, Ttl: pulumi.Int(60),
			FailoverRoutingPolicies: route53.RecordFailoverRoutingPolicyArray{&route53.RecordFailoverRoutingPolicyArgs{Type: pulumi.String("PRIMARY")}},
		}, p)
		return err
	}, testkit.DryRun(true), testkit.Stack("prod"))
	require.NoError(t, err)
	rep, err := plan.Policies(rules.Options{Environment: "prod"})
	require.NoError(t, err)
	got := found(rep)

	want := map[string]rules.Level{
		"aws-rds-encrypted legacy-db":            rules.Mandatory,
		"aws-rds-private legacy-db":              rules.Mandatory,
		"aws-rds-backup-retention legacy-db":     rules.Mandatory,
		"aws-rds-multi-az legacy-db":             rules.Mandatory,
		"aws-rds-deletion-protection legacy-db":  rules.Mandatory,
		"aws-rds-ops legacy-db":                  rules.Advisory,
		"stack-backup-covers-db legacy-db":       rules.Mandatory,
		"stack-db-read-replica legacy-db":        rules.Mandatory,
		"aws-lb-http-redirect legacy-http":       rules.Mandatory,
		"aws-lb-tls-policy legacy-https":         rules.Mandatory,
		"aws-lt-imdsv2 legacy-lt":                rules.Mandatory,
		"aws-lt-ebs-encrypted legacy-lt":         rules.Mandatory,
		"aws-lt-no-public-ip legacy-lt":          rules.Mandatory,
		"aws-asg-launch-template legacy-asg":     rules.Mandatory,
		"aws-asg-elb-health legacy-asg":          rules.Mandatory,
		"aws-asg-ha legacy-asg":                  rules.Mandatory,
		"aws-cf-https-viewer legacy-cdn":         rules.Mandatory,
		"aws-cf-tls legacy-cdn":                  rules.Mandatory,
		"aws-cf-waf-logging legacy-cdn":          rules.Advisory,
		"aws-cf-origin-failover legacy-cdn":      rules.Advisory,
		"aws-sg-no-open-ingress legacy-sg":       rules.Mandatory,
		"stack-exposure-bypasses-edge legacy-sg": rules.Mandatory, // open to the internet next to a CDN-fronted ALB
		"aws-tg-health-check legacy-tg":          rules.Mandatory,
		"aws-s3-block-public legacy-pab":         rules.Mandatory,
		"aws-kms-rotation legacy-key":            rules.Mandatory,
		"stack-failover-pair legacy-primary":     rules.Mandatory,
	}
	for k, lvl := range want {
		assert.Equal(t, lvl, got[k], "%s: want a %s violation", k, lvl)
	}
	// Every blocking violation is one of the deliberately bad resources: the component's own
	// resources stay clean next to them.
	var blocking []string
	for _, v := range rep.Mandatory() {
		k := v.PolicyName + " " + rules.URNName(v.URN)
		if _, ok := want[k]; !ok {
			blocking = append(blocking, k)
		}
	}
	sort.Strings(blocking)
	assert.Empty(t, blocking, "unexpected mandatory violations:\n%s", describe(rep.Mandatory()))
	assert.NotContains(t, got, "aws-asg-launch-template mixed-asg", "a mixed-instances launch template is a launch template")
}
