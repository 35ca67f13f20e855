package rules

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// AWS type tokens, with the alias tokens pulumi-aws still accepts (aws:alb/... for aws:lb/...).
const (
	awsASG            = "aws:autoscaling/group:Group"
	awsLaunchTemplate = "aws:ec2/launchTemplate:LaunchTemplate"
	awsRDSInstance    = "aws:rds/instance:Instance"
	awsRDSCluster     = "aws:rds/cluster:Cluster"
	awsDistribution   = "aws:cloudfront/distribution:Distribution"
	awsBackupVault    = "aws:backup/vault:Vault"
	awsBackupPlan     = "aws:backup/plan:Plan"
	awsBackupSelect   = "aws:backup/selection:Selection"
	awsRecord         = "aws:route53/record:Record"
	awsVPC            = "aws:ec2/vpc:Vpc"
	awsFlowLog        = "aws:ec2/flowLog:FlowLog"
	awsEC2Instance    = "aws:ec2/instance:Instance"
	awsEBSVolume      = "aws:ebs/volume:Volume"
	awsDLMPolicy      = "aws:dlm/lifecyclePolicy:LifecyclePolicy"
)

var (
	awsListeners     = []string{"aws:lb/listener:Listener", "aws:alb/listener:Listener", "aws:elasticloadbalancingv2/listener:Listener"}
	awsLoadBalancers = []string{"aws:lb/loadBalancer:LoadBalancer", "aws:alb/loadBalancer:LoadBalancer", "aws:elasticloadbalancingv2/loadBalancer:LoadBalancer"}
	awsTargetGroups  = []string{"aws:lb/targetGroup:TargetGroup", "aws:alb/targetGroup:TargetGroup", "aws:elasticloadbalancingv2/targetGroup:TargetGroup"}
	awsSGTypes       = []string{"aws:ec2/securityGroup:SecurityGroup", "aws:ec2/securityGroupRule:SecurityGroupRule", "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"}
)

// awsTLSPolicies are ELB security policies that allow only TLS 1.2 and 1.3.
var awsTLSPolicies = []string{
	"ELBSecurityPolicy-TLS13-1-2-2021-06", "ELBSecurityPolicy-TLS13-1-2-Res-2021-06",
	"ELBSecurityPolicy-TLS13-1-2-Ext1-2021-06", "ELBSecurityPolicy-TLS13-1-2-Ext2-2021-06",
	"ELBSecurityPolicy-TLS13-1-3-2021-06", "ELBSecurityPolicy-TLS-1-2-2017-01",
	"ELBSecurityPolicy-TLS-1-2-Ext-2018-06", "ELBSecurityPolicy-FS-1-2-2019-08",
	"ELBSecurityPolicy-FS-1-2-Res-2019-08", "ELBSecurityPolicy-FS-1-2-Res-2020-10",
	"ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04", "ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04",
}

func init() {
	register(
		&Rule{
			ID:            "aws-asg-launch-template",
			Description:   "Auto Scaling groups launch from a launch template (directly or in a mixed-instances policy), never a launch configuration.",
			ResourceTypes: []string{awsASG}, Level: Mandatory, Anchors: []string{"CKV_AWS_315"},
			check: func(c *check) {
				if c.peek("launchConfiguration").isSet() {
					c.fail("launchConfiguration is set: launch configurations are deprecated and cannot require IMDSv2 everywhere; use a launch template")
					return
				}
				if !c.peek("launchTemplate").isSet() && !c.peek("mixedInstancesPolicy.launchTemplate.launchTemplateSpecification").isSet() {
					c.fail("neither launchTemplate nor mixedInstancesPolicy.launchTemplate.launchTemplateSpecification is set: launch instances from a launch template")
				}
			},
		},
		&Rule{
			ID:            "aws-asg-elb-health",
			Description:   "Auto Scaling groups behind target groups or load balancers use ELB health checks.",
			ResourceTypes: []string{awsASG}, Level: Mandatory, Anchors: []string{"CKV2_AWS_15"},
			check: func(c *check) {
				if !c.peek("targetGroupArns").isSet() && !c.peek("loadBalancers").isSet() {
					return
				}
				if v := c.at("healthCheckType"); !v.unknown && v.str() != "ELB" {
					c.fail("healthCheckType is %s with target groups attached: want \"ELB\" so unhealthy instances behind the load balancer are replaced", show(v))
				}
			},
		},
		&Rule{
			ID:            "aws-asg-ha",
			Description:   "Auto Scaling groups keep at least the minimum instances over at least two subnets (Availability Zones).",
			ResourceTypes: []string{awsASG}, Level: MandatoryInProd,
			Settings: []Setting{{Name: "minSize", Type: "integer", Default: 2, Description: "fewest instances the group may scale in to"}},
			check: func(c *check) {
				min := c.number("minSize")
				if v := c.at("minSize"); !v.unknown {
					if n, _ := v.num(); n < min {
						c.fail("minSize is %s: want at least %g so one instance failing does not take the tier down", show(v), min)
					}
				}
				zones := c.peek("vpcZoneIdentifiers")
				if !zones.present {
					zones = c.peek("availabilityZones")
				}
				if zones.unknown {
					c.unverified(c.r, zones.path)
				} else if len(zones.items()) < 2 {
					c.fail("%s has %d entries: want at least 2 subnets in different Availability Zones", zones.path, len(zones.items()))
				}
			},
		},
		&Rule{
			ID:            "aws-lt-imdsv2",
			Description:   "Launch templates require IMDSv2 (httpTokens \"required\") with a response hop limit of at most the configured maximum.",
			ResourceTypes: []string{awsLaunchTemplate}, Level: Mandatory, Anchors: []string{"CKV_AWS_79", "CKV_AWS_341"},
			Settings: []Setting{{Name: "maxHopLimit", Type: "integer", Default: 1, Description: "largest httpPutResponseHopLimit allowed (2 for containers that call IMDS)"}},
			check: func(c *check) {
				if c.at("metadataOptions.httpEndpoint").str() == "disabled" {
					return
				}
				if v := c.at("metadataOptions.httpTokens"); !v.unknown && v.str() != "required" {
					c.fail("metadataOptions.httpTokens is %s: want \"required\" (IMDSv2 only)", show(v))
				}
				max := c.number("maxHopLimit")
				if v := c.at("metadataOptions.httpPutResponseHopLimit"); v.known() {
					if n, ok := v.num(); ok && n > max {
						c.fail("metadataOptions.httpPutResponseHopLimit is %s: want at most %g", show(v), max)
					}
				}
			},
		},
		&Rule{
			ID:            "aws-lt-ebs-encrypted",
			Description:   "Every EBS volume a launch template maps is encrypted (ebs.encrypted \"true\").",
			ResourceTypes: []string{awsLaunchTemplate}, Level: Mandatory, Anchors: []string{"CKV_AWS_8"},
			check: func(c *check) {
				bdm := c.at("blockDeviceMappings")
				for _, m := range bdm.items() {
					if !c.need(c.r, m.sub("ebs")).present {
						continue
					}
					if v := c.need(c.r, m.sub("ebs.encrypted")); !v.unknown && !v.isTrue() {
						c.fail("%s is %s (device %s): want \"true\"", v.path, show(v), show(m.sub("deviceName")))
					}
				}
			},
		},
		&Rule{
			ID:            "aws-lt-no-public-ip",
			Description:   "Launch templates do not give instances public IP addresses.",
			ResourceTypes: []string{awsLaunchTemplate}, Level: Mandatory, Anchors: []string{"CKV_AWS_88"},
			check: func(c *check) {
				for _, ni := range c.at("networkInterfaces").items() {
					if v := c.need(c.r, ni.sub("associatePublicIpAddress")); v.isTrue() {
						c.fail("%s is %s: instances stay private behind the load balancer", v.path, show(v))
					}
				}
			},
		},
		&Rule{
			ID:            "aws-lb-http-redirect",
			Description:   "Plain-HTTP load balancer listeners only redirect to HTTPS.",
			ResourceTypes: awsListeners, Level: Mandatory, Anchors: []string{"AWSGuard elb-listener-https", "CKV2_AWS_20"},
			check: func(c *check) {
				p := c.at("protocol")
				if p.unknown || (p.present && p.str() != "HTTP") {
					return
				}
				if !p.present && c.peek("certificateArn").isSet() {
					return
				}
				acts := c.at("defaultActions")
				if acts.anyUnknown() {
					return
				}
				for _, a := range acts.items() {
					if a.sub("type").str() != "redirect" || a.sub("redirect.protocol").str() != "HTTPS" {
						c.fail("HTTP listener %s has type %s: want only a redirect to HTTPS", a.path, show(a.sub("type")))
						return
					}
				}
				if len(acts.items()) == 0 {
					c.fail("HTTP listener has no defaultActions: want a redirect to HTTPS")
				}
			},
		},
		&Rule{
			ID:            "aws-lb-tls-policy",
			Description:   "HTTPS and TLS listeners use a security policy that allows only TLS 1.2 and 1.3.",
			ResourceTypes: awsListeners, Level: Mandatory, Anchors: []string{"CKV_AWS_103"},
			Settings: []Setting{{Name: "allowedPolicies", Type: "array", Default: awsTLSPolicies, Description: "ELB security policies that are allowed"}},
			check: func(c *check) {
				p := c.at("protocol")
				if p.unknown || (p.str() != "HTTPS" && p.str() != "TLS") {
					return
				}
				if v := c.at("sslPolicy"); !v.unknown && !contains(c.list("allowedPolicies"), v.str()) {
					c.fail("sslPolicy is %s: the default allows TLS 1.0; want a TLS 1.2+ policy such as ELBSecurityPolicy-TLS13-1-2-2021-06", show(v))
				}
			},
		},
		&Rule{
			ID:            "aws-lb-hardening",
			Description:   "Application load balancers write access logs, drop invalid headers, and in prod have deletion protection.",
			ResourceTypes: awsLoadBalancers, Level: Advisory, Anchors: []string{"CKV_AWS_91", "CKV_AWS_131", "CKV_AWS_150"},
			check: func(c *check) {
				if t := c.at("loadBalancerType"); t.unknown || (t.present && t.str() != "application") {
					return
				}
				c.wantTrue("accessLogs.enabled", "access logs record every request for incident response")
				c.wantTrue("dropInvalidHeaderFields", "drop invalid HTTP headers to prevent request smuggling")
				if c.prod() {
					c.wantTrue("enableDeletionProtection", "a prod load balancer is protected from accidental deletion")
				}
			},
		},
		&Rule{
			ID:            "aws-tg-health-check",
			Description:   "Target groups have health checks on, with a path for HTTP(S) targets.",
			ResourceTypes: awsTargetGroups, Level: Mandatory, Anchors: []string{"CKV_AWS_261"},
			check: func(c *check) {
				if c.at("targetType").str() == "lambda" {
					return
				}
				if v := c.at("healthCheck.enabled"); v.isFalse() {
					c.fail("healthCheck.enabled is false: unhealthy targets would keep receiving traffic")
					return
				}
				proto := c.at("healthCheck.protocol")
				if !proto.present {
					proto = c.at("protocol")
				}
				if proto.unknown || (proto.present && proto.str() != "HTTP" && proto.str() != "HTTPS") {
					return
				}
				if v := c.at("healthCheck.path"); !v.unknown && v.str() == "" {
					c.fail("healthCheck.path is %s: want an application health endpoint such as /healthz", show(v))
				}
			},
		},
		&Rule{
			ID:            "aws-rds-encrypted",
			Description:   "RDS primary instances and Aurora clusters encrypt their storage.",
			ResourceTypes: []string{awsRDSInstance, awsRDSCluster}, Level: Mandatory, Anchors: []string{"AWSGuard rds-storage-encrypted", "CKV_AWS_16", "CIS 2.3.1"},
			check: func(c *check) {
				if isRDSReplica(c) {
					return
				}
				c.wantTrue("storageEncrypted", "encrypt the database at rest")
			},
		},
		&Rule{
			ID:            "aws-rds-private",
			Description:   "RDS instances are not publicly accessible.",
			ResourceTypes: []string{awsRDSInstance}, Level: Mandatory, Anchors: []string{"AWSGuard rds-instance-public-access", "CKV_AWS_17"},
			check: func(c *check) {
				c.wantNotTrue("publiclyAccessible", "databases stay in private subnets")
			},
		},
		&Rule{
			ID:            "aws-rds-multi-az",
			Description:   "RDS primary instances run Multi-AZ.",
			ResourceTypes: []string{awsRDSInstance}, Level: MandatoryInProd, Anchors: []string{"CKV_AWS_157"},
			check: func(c *check) {
				if isRDSReplica(c) {
					return
				}
				c.wantTrue("multiAz", "a standby in another Availability Zone takes over on failure")
			},
		},
		&Rule{
			ID:            "aws-rds-backup-retention",
			Description:   "RDS primary instances and Aurora clusters keep automated backups for at least the configured days.",
			ResourceTypes: []string{awsRDSInstance, awsRDSCluster}, Level: Mandatory, Anchors: []string{"CKV_AWS_133"},
			Settings: []Setting{{Name: "minDays", Type: "integer", Default: 7, Description: "fewest days of automated backups"}},
			check: func(c *check) {
				if isRDSReplica(c) {
					return
				}
				min := c.number("minDays")
				v := c.at("backupRetentionPeriod")
				if v.unknown {
					return
				}
				if n, _ := v.num(); n < min {
					c.fail("backupRetentionPeriod is %s: want at least %g days", show(v), min)
				}
			},
		},
		&Rule{
			ID:            "aws-rds-deletion-protection",
			Description:   "RDS primary instances and Aurora clusters have deletion protection.",
			ResourceTypes: []string{awsRDSInstance, awsRDSCluster}, Level: MandatoryInProd, Anchors: []string{"CKV_AWS_293"},
			check: func(c *check) {
				if isRDSReplica(c) {
					return
				}
				c.wantTrue("deletionProtection", "a prod database cannot be deleted by accident")
			},
		},
		&Rule{
			ID:            "aws-rds-ops",
			Description:   "RDS instances take minor version upgrades and export their logs to CloudWatch.",
			ResourceTypes: []string{awsRDSInstance}, Level: Advisory, Anchors: []string{"CKV_AWS_226", "CKV_AWS_129"},
			check: func(c *check) {
				if v := c.at("autoMinorVersionUpgrade"); v.isFalse() {
					c.fail("autoMinorVersionUpgrade is false: minor versions carry security fixes")
				}
				if v := c.at("enabledCloudwatchLogsExports"); !v.anyUnknown() && len(v.items()) == 0 {
					c.fail("enabledCloudwatchLogsExports is %s: export the engine's logs (postgresql, upgrade)", show(v))
				}
			},
		},
		&Rule{
			ID:            "aws-cf-https-viewer",
			Description:   "No CloudFront cache behaviour (default or ordered) lets viewers use plain HTTP.",
			ResourceTypes: []string{awsDistribution}, Level: Mandatory, Anchors: []string{"CKV_AWS_34"},
			check: func(c *check) {
				check := func(b val) {
					if v := c.need(c.r, b.sub("viewerProtocolPolicy")); !v.unknown && v.str() != "redirect-to-https" && v.str() != "https-only" {
						c.fail("%s is %s: want \"redirect-to-https\" or \"https-only\"", v.path, show(v))
					}
				}
				check(c.at("defaultCacheBehavior"))
				for _, b := range c.at("orderedCacheBehaviors").items() {
					check(b)
				}
			},
		},
		&Rule{
			ID:            "aws-cf-tls",
			Description:   "CloudFront serves viewers with a TLS 1.2 minimum and reaches custom origins over HTTPS with TLS 1.2 only.",
			ResourceTypes: []string{awsDistribution}, Level: Mandatory, Anchors: []string{"CKV_AWS_174"},
			Settings: []Setting{
				{Name: "minimumProtocolVersions", Type: "array", Default: []string{"TLSv1.2_2021", "TLSv1.2_2025", "TLSv1.3_2025"}, Description: "viewer security policies that are allowed"},
				{Name: "allowDefaultCertificate", Type: "boolean", Default: false, Description: "allow the *.cloudfront.net certificate, which accepts TLS 1.0"},
			},
			check: func(c *check) {
				if c.at("viewerCertificate.cloudfrontDefaultCertificate").isTrue() {
					if !c.flag("allowDefaultCertificate") {
						c.fail("viewerCertificate.cloudfrontDefaultCertificate is true: the default certificate accepts TLS 1.0; use an ACM certificate with minimumProtocolVersion TLSv1.2_2021")
					}
				} else if v := c.at("viewerCertificate.minimumProtocolVersion"); !v.unknown && !contains(c.list("minimumProtocolVersions"), v.str()) {
					c.fail("viewerCertificate.minimumProtocolVersion is %s: want TLSv1.2_2021 or newer", show(v))
				}
				for _, o := range c.at("origins").items() {
					cfg := c.need(c.r, o.sub("customOriginConfig"))
					if !cfg.known() {
						continue
					}
					if v := c.need(c.r, cfg.sub("originProtocolPolicy")); !v.unknown && v.str() != "https-only" {
						c.fail("%s is %s: want \"https-only\"", v.path, show(v))
					}
					ssl := c.need(c.r, cfg.sub("originSslProtocols"))
					for _, p := range ssl.strs() {
						if p != "TLSv1.2" {
							c.fail("%s allows %s: want only TLSv1.2", ssl.path, p)
						}
					}
				}
			},
		},
		&Rule{
			ID:            "aws-cf-waf-logging",
			Description:   "CloudFront distributions have a WAF web ACL and access logging.",
			ResourceTypes: []string{awsDistribution}, Level: Advisory, Anchors: []string{"CKV_AWS_68", "CKV_AWS_86"},
			check: func(c *check) {
				if !c.peek("webAclId").isSet() {
					c.fail("webAclId is not set: attach a WAF web ACL (managed rule groups) to the distribution")
				}
				if !c.peek("loggingConfig").isSet() {
					c.fail("loggingConfig is not set: log viewer requests to a bucket")
				}
			},
		},
		&Rule{
			ID:            "aws-cf-origin-failover",
			Description:   "CloudFront distributions have an origin group that fails over on error status codes.",
			ResourceTypes: []string{awsDistribution}, Level: Advisory, Anchors: []string{"CKV_AWS_310"},
			check: func(c *check) {
				groups := c.at("originGroups")
				if groups.anyUnknown() {
					return
				}
				for _, g := range groups.items() {
					if len(g.sub("failoverCriteria.statusCodes").items()) > 0 {
						return
					}
				}
				c.fail("originGroups has no group with failoverCriteria.statusCodes: add an origin group so a failing origin fails over")
			},
		},
		&Rule{
			ID:            "aws-backup-vault-cmk",
			Description:   "AWS Backup vaults encrypt with a customer-managed KMS key.",
			ResourceTypes: []string{awsBackupVault}, Level: Advisory, Anchors: []string{"CKV_AWS_166"},
			check: func(c *check) {
				if !c.peek("kmsKeyArn").isSet() {
					c.fail("kmsKeyArn is not set: encrypt recovery points with a customer-managed key")
				}
			},
		},
		&Rule{
			ID:            "aws-backup-plan-dr",
			Description:   "AWS Backup plan rules keep recovery points for at least the configured days and, in prod, copy them to another region.",
			ResourceTypes: []string{awsBackupPlan}, Level: Advisory,
			Settings: []Setting{{Name: "minRetentionDays", Type: "integer", Default: 7, Description: "fewest days a recovery point is kept"}},
			check: func(c *check) {
				min := c.number("minRetentionDays")
				copies := false
				for _, r := range c.at("rules").items() {
					if v := c.need(c.r, r.sub("lifecycle.deleteAfter")); v.known() {
						if n, _ := v.num(); n < min {
							c.fail("%s is %s: want at least %g days", v.path, show(v), min)
						}
					}
					if r.sub("copyActions").isSet() {
						copies = true
					}
				}
				if c.prod() && !copies {
					c.fail("no rule has copyActions: copy prod recovery points to a vault in another region")
				}
			},
		},
		&Rule{
			ID:            "aws-sg-no-open-ingress",
			Description:   "Security groups do not open ports other than the allowed public ports (80, 443) to 0.0.0.0/0 or ::/0.",
			ResourceTypes: awsSGTypes, Level: Mandatory, Anchors: []string{"CKV_AWS_24", "CKV_AWS_25", "CKV_AWS_260", "CIS 5.2"},
			Settings: []Setting{{Name: "publicPorts", Type: "array", Default: []string{"80", "443"}, Description: "ports that may be open to the internet"}},
			check: func(c *check) {
				switch c.r.Type {
				case "aws:ec2/securityGroup:SecurityGroup":
					for _, in := range c.at("ingress").items() {
						c.awsIngress(in, in.sub("cidrBlocks").strs(), in.sub("ipv6CidrBlocks").strs(), in.sub("fromPort"), in.sub("toPort"))
					}
				case "aws:ec2/securityGroupRule:SecurityGroupRule":
					if c.at("type").str() != "ingress" {
						return
					}
					c.awsIngress(val{path: "rule", present: true}, c.at("cidrBlocks").strs(), c.at("ipv6CidrBlocks").strs(), c.at("fromPort"), c.at("toPort"))
				default:
					c.awsIngress(val{path: "rule", present: true}, c.at("cidrIpv4").strs(), c.at("cidrIpv6").strs(), c.at("fromPort"), c.at("toPort"))
				}
			},
		},
		&Rule{
			ID:            "aws-s3-block-public",
			Description:   "S3 public access blocks turn on all four settings.",
			ResourceTypes: []string{"aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"}, Level: Mandatory, Anchors: []string{"CKV_AWS_53", "CKV_AWS_54", "CKV_AWS_55", "CKV_AWS_56"},
			check: func(c *check) {
				for _, k := range []string{"blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"} {
					c.wantTrue(k, "static content is served through the CDN's origin access control, not publicly")
				}
			},
		},
		&Rule{
			ID:            "aws-kms-rotation",
			Description:   "Symmetric KMS keys rotate yearly.",
			ResourceTypes: []string{"aws:kms/key:Key"}, Level: Mandatory, Anchors: []string{"CKV_AWS_7", "CIS 3.8"},
			check: func(c *check) {
				if s := c.at("customerMasterKeySpec").str(); s != "" && s != "SYMMETRIC_DEFAULT" {
					return
				}
				c.wantTrue("enableKeyRotation", "rotate the key material")
			},
		},
		&Rule{
			ID:            "aws-sns-encrypted",
			Description:   "SNS topics encrypt messages with KMS.",
			ResourceTypes: []string{"aws:sns/topic:Topic"}, Level: Advisory, Anchors: []string{"CKV_AWS_26"},
			check: func(c *check) {
				if !c.peek("kmsMasterKeyId").isSet() {
					c.fail("kmsMasterKeyId is not set: encrypt alert messages (alias/aws/sns or a customer key)")
				}
			},
		},
	)
}

// isRDSReplica reports whether an RDS instance replicates another (replicateSourceDb set,
// unknown counts as set). Replicas inherit encryption, backups and deletion settings.
func isRDSReplica(c *check) bool {
	return c.r.Type == awsRDSInstance && c.peek("replicateSourceDb").isSet()
}

// awsIngress fails an ingress rule that opens a non-public port range to the internet.
func (c *check) awsIngress(rule val, v4, v6 []string, from, to val) {
	open := ""
	for _, cidr := range append(v4, v6...) {
		if cidr == "0.0.0.0/0" || cidr == "::/0" {
			open = cidr
		}
	}
	if open == "" {
		return
	}
	if from.unknown || to.unknown {
		return
	}
	f, _ := from.num()
	t, _ := to.num()
	if f == t && contains(c.list("publicPorts"), fmt.Sprint(f)) {
		return
	}
	ports := fmt.Sprintf("%g-%g", f, t)
	if f == t {
		ports = fmt.Sprint(f)
	}
	if f <= 0 && (t <= 0 || t >= 65535) {
		ports = "all ports"
	}
	c.fail("%s opens %s to %s: only %s may be public", rule.path, ports, open, strings.Join(c.list("publicPorts"), ", "))
}

// Type tokens of the rules below. pulumi-aws v7 renames BucketServerSideEncryptionConfigurationV2
// to BucketServerSideEncryptionConfiguration (and BucketV2 to Bucket): both spellings are listed.
const (
	awsBucketV2       = "aws:s3/bucketV2:BucketV2"
	awsBucket         = "aws:s3/bucket:Bucket"
	awsBucketPolicy   = "aws:s3/bucketPolicy:BucketPolicy"
	awsBucketPAB      = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"
	awsBucketSSE      = "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2"
	awsBucketSSEv7    = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"
	awsLogGroup       = "aws:cloudwatch/logGroup:LogGroup"
	awsRDSParamGroup  = "aws:rds/parameterGroup:ParameterGroup"
	awsIAMRole        = "aws:iam/role:Role"
	awsIAMRolePolicy  = "aws:iam/rolePolicy:RolePolicy"
	awsIAMPolicy      = "aws:iam/policy:Policy"
	awsIAMUserPolicy  = "aws:iam/userPolicy:UserPolicy"
	awsIAMGroupPolicy = "aws:iam/groupPolicy:GroupPolicy"
)

func init() {
	register(
		&Rule{
			ID:            "aws-s3-tls-only",
			Description:   "S3 bucket policies (and inline bucket policies) deny every request made without TLS (aws:SecureTransport false).",
			ResourceTypes: []string{awsBucketPolicy, awsBucketV2, awsBucket}, Level: Advisory, Anchors: []string{"AWS Foundational Security Best Practices S3.5", "CKV_AWS_379 (related)"},
			check: func(c *check) {
				if c.r.Type != awsBucketPolicy && !c.peek("policy").present {
					return // a bucket without an inline policy: its BucketPolicy resource is checked
				}
				stmts, ok := c.policyStatements("policy")
				if !ok {
					return
				}
				for _, s := range stmts {
					if deniesInsecureTransport(s) {
						return
					}
				}
				c.fail("policy has no Deny statement for s3:* by every principal with condition Bool aws:SecureTransport \"false\": plain-HTTP requests to the bucket are allowed")
			},
		},
		&Rule{
			ID:            "aws-logs-encrypted",
			Description:   "CloudWatch log groups are encrypted with a KMS key and keep events for at least the configured days (or never expire).",
			ResourceTypes: []string{awsLogGroup}, Level: Advisory, Anchors: []string{"CKV_AWS_158", "CKV_AWS_338"},
			Settings: []Setting{{Name: "minDays", Type: "integer", Default: 90, Description: "fewest days log events are kept (0 = never expire always passes)"}},
			check: func(c *check) {
				if !c.peek("kmsKeyId").isSet() {
					c.fail("kmsKeyId is not set: encrypt log events with a customer-managed KMS key")
				}
				min := c.number("minDays")
				if v := c.at("retentionInDays"); v.known() {
					if n, _ := v.num(); n != 0 && n < min {
						c.fail("retentionInDays is %s: want 0 (never expire) or at least %g days", show(v), min)
					}
				}
			},
		},
		&Rule{
			ID:            "aws-iam-no-wildcard-admin",
			Description:   "No IAM policy (managed, or inline on a role, user or group) has an Allow statement with Action \"*\" on Resource \"*\".",
			ResourceTypes: []string{awsIAMRolePolicy, awsIAMPolicy, awsIAMUserPolicy, awsIAMGroupPolicy, awsIAMRole}, Level: Mandatory, Anchors: []string{"CKV_AWS_1", "CKV_AWS_62", "CKV_AWS_63", "CIS 1.16"},
			check: func(c *check) {
				if c.r.Type == awsIAMRole {
					for _, p := range c.at("inlinePolicies").items() {
						c.iamNoWildcardAdmin(c.need(c.r, p.sub("policy")))
					}
					return
				}
				c.iamNoWildcardAdmin(c.at("policy"))
			},
		},
		&Rule{
			ID:            "aws-rds-param-force-ssl",
			Description:   "PostgreSQL DB parameter groups force TLS (rds.force_ssl \"1\"): set explicitly below PostgreSQL 15, never turned off from 15 on (where 1 is the default).",
			ResourceTypes: []string{awsRDSParamGroup}, Level: Mandatory, Anchors: []string{"CKV2_AWS_69"},
			check: func(c *check) {
				fam := c.at("family")
				if fam.unknown || !strings.HasPrefix(fam.str(), "postgres") {
					return
				}
				params := c.at("parameters")
				if params.anyUnknown() {
					return
				}
				for _, p := range params.items() {
					if c.need(c.r, p.sub("name")).str() != "rds.force_ssl" {
						continue
					}
					if v := c.need(c.r, p.sub("value")); !v.unknown && v.str() != "1" {
						c.fail("%s (rds.force_ssl) is %s: want \"1\" so clients cannot connect without TLS", v.path, show(v))
					}
					return
				}
				if major, err := strconv.Atoi(strings.TrimPrefix(fam.str(), "postgres")); err == nil && major >= 15 {
					return
				}
				c.fail("parameters has no rds.force_ssl for family %s (default 0 before PostgreSQL 15): add rds.force_ssl = \"1\"", show(fam))
			},
		},
	)
}

// policyStatements parses the IAM policy document at path (a JSON string, or an object when a
// program passed one) into its statements. An unknown document is recorded as unverified;
// invalid JSON is a violation. ok is false when there is nothing to check.
func (c *check) policyStatements(path string) (stmts []map[string]any, ok bool) {
	return c.statementsOf(c.at(path))
}

// statementsOf is policyStatements for a value already looked up (and recorded if unknown).
func (c *check) statementsOf(v val) ([]map[string]any, bool) {
	if v.unknown || !v.present {
		return nil, false
	}
	var doc any
	switch {
	case v.v.IsString():
		if err := json.Unmarshal([]byte(v.v.AsString()), &doc); err != nil {
			c.fail("%s is not valid JSON (%v): the policy cannot be checked", v.path, err)
			return nil, false
		}
	case v.v.IsMap():
		pm := resource.ToResourcePropertyMap(v.v.AsMap())
		if pm.ContainsUnknowns() {
			c.unverified(c.r, v.path)
			return nil, false
		}
		doc = pm.Mappable()
	default:
		return nil, false
	}
	m, _ := doc.(map[string]any)
	var out []map[string]any
	switch s := m["Statement"].(type) {
	case map[string]any:
		out = append(out, s)
	case []any:
		for _, e := range s {
			if st, ok := e.(map[string]any); ok {
				out = append(out, st)
			}
		}
	}
	return out, true
}

// iamNoWildcardAdmin fails a policy document with an Allow statement of Action "*" on
// Resource "*".
func (c *check) iamNoWildcardAdmin(v val) {
	stmts, ok := c.statementsOf(v)
	if !ok {
		return
	}
	for i, s := range stmts {
		if eff, _ := s["Effect"].(string); eff != "Allow" {
			continue
		}
		if contains(jsonStrings(s["Action"]), "*") && contains(jsonStrings(s["Resource"]), "*") {
			c.fail("%s statement %d allows Action \"*\" on Resource \"*\" (full administrator): grant only the actions and resources needed", v.path, i)
		}
	}
}

// deniesInsecureTransport reports whether a bucket policy statement denies all S3 actions to
// every principal ("*" or {"AWS": "*"}) when aws:SecureTransport is false.
func deniesInsecureTransport(s map[string]any) bool {
	if eff, _ := s["Effect"].(string); eff != "Deny" {
		return false
	}
	everyone := false
	switch p := s["Principal"].(type) {
	case string:
		everyone = p == "*"
	case map[string]any:
		everyone = contains(jsonStrings(p["AWS"]), "*")
	}
	if !everyone {
		return false
	}
	acts := jsonStrings(s["Action"])
	if !contains(acts, "s3:*") && !contains(acts, "*") {
		return false
	}
	cond, _ := s["Condition"].(map[string]any)
	for op, kv := range cond {
		if op != "Bool" && op != "BoolIfExists" {
			continue
		}
		m, _ := kv.(map[string]any)
		for k, want := range m {
			if !strings.EqualFold(k, "aws:SecureTransport") {
				continue
			}
			for _, w := range jsonStrings(want) {
				if strings.EqualFold(w, "false") {
					return true
				}
			}
		}
	}
	return false
}

// jsonStrings is a decoded JSON value as strings: a string, a list of strings, or a boolean.
func jsonStrings(v any) []string {
	switch t := v.(type) {
	case string:
		return []string{t}
	case bool:
		return []string{strconv.FormatBool(t)}
	case []any:
		var out []string
		for _, e := range t {
			out = append(out, jsonStrings(e)...)
		}
		return out
	}
	return nil
}
