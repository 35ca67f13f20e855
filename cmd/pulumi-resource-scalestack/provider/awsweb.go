package provider

import (
	"github.com/pulumi/pulumi-go-provider/infer"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/scalestack/scalestack/components/aws/cdn"
	"github.com/scalestack/scalestack/components/aws/loadbalancer"
	"github.com/scalestack/scalestack/components/aws/webtier"
)

// The components users take alone, served one to one with their Go Args. Across the package
// boundary a component-typed input (a VPC's subnets, a LoadBalancer's security group) is
// the plain string (or string list) the other component outputs: the caller wires
// `network.privateSubnetIds` into `subnetIds` as it would wire any resource's output. Every
// standalone component is placed in a region by the aws provider of its `providers` option;
// its children inherit it, as in Go.

// AWSWebTierArgs are the inputs of scalestack:aws:WebTier, one to one with webtier.Args
// (components/aws/webtier).
type AWSWebTierArgs struct {
	VpcID                         pulumi.StringInput      `pulumi:"vpcId"`
	SubnetIDs                     pulumi.StringArrayInput `pulumi:"subnetIds"`
	LoadBalancerSecurityGroupID   pulumi.StringInput      `pulumi:"loadBalancerSecurityGroupId"`
	TargetGroupARNs               pulumi.StringArrayInput `pulumi:"targetGroupArns"`
	LoadBalancerARNSuffix         pulumi.StringInput      `pulumi:"loadBalancerArnSuffix,optional"`
	TargetGroupARNSuffix          pulumi.StringInput      `pulumi:"targetGroupArnSuffix,optional"`
	ImageID                       pulumi.StringInput      `pulumi:"imageId,optional"`
	InstanceType                  string                  `pulumi:"instanceType,optional"`
	RootVolumeGiB                 int                     `pulumi:"rootVolumeGib,optional"`
	KMSKeyID                      pulumi.StringInput      `pulumi:"kmsKeyId,optional"`
	Port                          int                     `pulumi:"port,optional"`
	HealthCheckPath               string                  `pulumi:"healthCheckPath,optional"`
	UserData                      pulumi.StringInput      `pulumi:"userData,optional"`
	Environment                   map[string]string       `pulumi:"environment,optional"`
	MinSize                       int                     `pulumi:"minSize,optional"`
	MaxSize                       int                     `pulumi:"maxSize"`
	DesiredCapacity               int                     `pulumi:"desiredCapacity,optional"`
	HealthCheckGracePeriodSeconds int                     `pulumi:"healthCheckGracePeriodSeconds,optional"`
	TargetCPUPercent              int                     `pulumi:"targetCpuPercent,optional"`
	RequestsPerTarget             int                     `pulumi:"requestsPerTarget,optional"`
	DisableRequestScaling         bool                    `pulumi:"disableRequestScaling,optional"`
	DisableStepScaling            bool                    `pulumi:"disableStepScaling,optional"`
	StepOutCPUPercent             int                     `pulumi:"stepOutCpuPercent,optional"`
	StepInCPUPercent              int                     `pulumi:"stepInCpuPercent,optional"`
	Schedules                     []AWSWebSchedule        `pulumi:"schedules,optional"`
	Tags                          map[string]string       `pulumi:"tags,optional"`
}

// Annotate documents the inputs in the schema.
func (a *AWSWebTierArgs) Annotate(an infer.Annotator) {
	an.Describe(&a.VpcID, "The VPC of the instances' security group. Required.")
	an.Describe(&a.SubnetIDs, "The private subnets the instances run in, one per zone. Required.")
	an.Describe(&a.LoadBalancerSecurityGroupID, "The load balancer's security group (a LoadBalancer's `securityGroupId`): the only source the instances admit, on `port`; the component adds the matching egress rule to it. Required.")
	an.Describe(&a.TargetGroupARNs, "The target groups the instances register with (a LoadBalancer's `targetGroupArn`). Required.")
	an.Describe(&a.LoadBalancerARNSuffix, "The load balancer's ARN suffix, the request-count policy's dimension (a LoadBalancer's `arnSuffix`). Required unless `disableRequestScaling`.")
	an.Describe(&a.TargetGroupARNSuffix, "The target group's ARN suffix, the request-count policy's dimension (a LoadBalancer's `targetGroupArnSuffix`). Required unless `disableRequestScaling`.")
	an.Describe(&a.ImageID, "The AMI, or a \"resolve:ssm:\" parameter. Default: the latest Amazon Linux 2023 (x86_64) through its public SSM parameter.")
	an.Describe(&a.InstanceType, "The EC2 instance type. Default: t3.small.")
	an.Describe(&a.RootVolumeGiB, "The encrypted gp3 root volume's size. Default: 20. Allowed: 8-16384.")
	an.Describe(&a.KMSKeyID, "The KMS key of the root volume. Default: the account's EBS key (aws/ebs).")
	an.Describe(&a.Port, "The port the instances serve HTTP on. Default: 8080. Allowed: 1-65535.")
	an.Describe(&a.HealthCheckPath, "Answers 200 on a healthy instance (the default user data serves it). Default: /healthz.")
	an.Describe(&a.UserData, "The start-up script, plain text (the component base64-encodes it). Default: a placeholder service answering on `port` and `healthCheckPath`.")
	an.Describe(&a.Environment, "KEY=value lines written to /etc/scalestack/app.env by the default user data. Not secret (they land in the launch template). Default: none.")
	an.Describe(&a.MinSize, "The fewest instances. Default: 0. Allowed: 0 <= minSize <= desiredCapacity.")
	an.Describe(&a.MaxSize, "The most instances. Required: at least 1 and at least minSize.")
	an.Describe(&a.DesiredCapacity, "The starting capacity; later changes are left to the scaling policies. Default: minSize.")
	an.Describe(&a.HealthCheckGracePeriodSeconds, "Boot time before load balancer health checks count. Default: 300. Allowed: 0-7200.")
	an.Describe(&a.TargetCPUPercent, "The average CPU the target-tracking policy keeps. Default: 55. Allowed: 1-100.")
	an.Describe(&a.RequestsPerTarget, "The ALB requests per target per minute the request-count policy keeps. Default: 1000. Allowed: 1-1000000.")
	an.Describe(&a.DisableRequestScaling, "Leave out the request-count policy. Default: false.")
	an.Describe(&a.DisableStepScaling, "Leave out the CPU alarms and their step policies. Default: false.")
	an.Describe(&a.StepOutCPUPercent, "The average CPU above which the step policy adds instances. Default: 80. Allowed: targetCpuPercent < it <= 100.")
	an.Describe(&a.StepInCPUPercent, "The average CPU below which the step policy removes an instance. Default: 20. Allowed: 1 <= it < targetCpuPercent.")
	an.Describe(&a.Schedules, "Scheduled capacity changes, keyed by name. Default: none.")
	an.Describe(&a.Tags, "Added to every child that takes tags, and to the instances and volumes.")
}

// AWSWebTier is scalestack:aws:WebTier as served to every Pulumi language.
type AWSWebTier struct {
	pulumi.ComponentResource

	GroupName        pulumi.StringOutput `pulumi:"groupName"`
	GroupARN         pulumi.StringOutput `pulumi:"groupArn"`
	SecurityGroupID  pulumi.StringOutput `pulumi:"securityGroupId"`
	LaunchTemplateID pulumi.StringOutput `pulumi:"launchTemplateId"`
	InstanceRoleARN  pulumi.StringOutput `pulumi:"instanceRoleArn"`
	InstanceRoleName pulumi.StringOutput `pulumi:"instanceRoleName"`
}

// Annotate documents the component and its outputs in the schema.
func (w *AWSWebTier) Annotate(an infer.Annotator) {
	an.SetToken("aws", "WebTier")
	an.Describe(w, "An Auto Scaling group of encrypted, IMDSv2-only instances behind a load balancer's target group, "+
		"scaled on CPU and requests per target, with step scaling and schedules. The same component as the Go API (components/aws/webtier).")
	an.Describe(&w.GroupName, "The Auto Scaling group's name.")
	an.Describe(&w.GroupARN, "The Auto Scaling group's ARN.")
	an.Describe(&w.SecurityGroupID, "The instances' security group: admit it where the instances connect (a Database's `allowedSecurityGroupIds`).")
	an.Describe(&w.LaunchTemplateID, "The launch template's id.")
	an.Describe(&w.InstanceRoleARN, "The instances' IAM role.")
	an.Describe(&w.InstanceRoleName, "The instances' IAM role's name, to attach further policies.")
}

// goSchedules maps the package schedules onto webtier.Schedule.
func goSchedules(in []AWSWebSchedule) []webtier.Schedule {
	var out []webtier.Schedule
	for _, s := range in {
		out = append(out, webtier.Schedule{
			Name: s.Name, Recurrence: s.Recurrence, TimeZone: s.TimeZone,
			MinSize: s.MinSize, MaxSize: s.MaxSize, DesiredCapacity: s.DesiredCapacity,
		})
	}
	return out
}

// goArgs maps the package inputs onto webtier.Args: the one place the two meet.
func (a *AWSWebTierArgs) goArgs() *webtier.Args {
	return &webtier.Args{
		VpcID: a.VpcID, SubnetIDs: a.SubnetIDs, LoadBalancerSecurityGroupID: a.LoadBalancerSecurityGroupID,
		TargetGroupARNs: a.TargetGroupARNs, LoadBalancerARNSuffix: a.LoadBalancerARNSuffix,
		TargetGroupARNSuffix: a.TargetGroupARNSuffix, ImageID: a.ImageID, InstanceType: a.InstanceType,
		RootVolumeGiB: a.RootVolumeGiB, KMSKeyID: a.KMSKeyID, Port: a.Port, HealthCheckPath: a.HealthCheckPath,
		UserData: a.UserData, Environment: a.Environment, MinSize: a.MinSize, MaxSize: a.MaxSize,
		DesiredCapacity: a.DesiredCapacity, HealthCheckGracePeriodSeconds: a.HealthCheckGracePeriodSeconds,
		TargetCPUPercent: a.TargetCPUPercent, RequestsPerTarget: a.RequestsPerTarget,
		DisableRequestScaling: a.DisableRequestScaling, DisableStepScaling: a.DisableStepScaling,
		StepOutCPUPercent: a.StepOutCPUPercent, StepInCPUPercent: a.StepInCPUPercent,
		Schedules: goSchedules(a.Schedules), Tags: a.Tags,
	}
}

// NewAWSWebTier constructs scalestack:aws:WebTier for the package: it maps args and calls
// webtier.New, which validates them and registers the component and its children.
func NewAWSWebTier(ctx *pulumi.Context, name string, args AWSWebTierArgs, opts ...pulumi.ResourceOption) (*AWSWebTier, error) {
	w, err := webtier.New(ctx, name, args.goArgs(), opts...)
	if err != nil {
		return nil, err
	}
	return &AWSWebTier{
		ComponentResource: w,
		GroupName:         w.GroupName, GroupARN: w.GroupARN, SecurityGroupID: w.SecurityGroupID,
		LaunchTemplateID: w.LaunchTemplateID, InstanceRoleARN: w.InstanceRoleARN, InstanceRoleName: w.InstanceRoleName,
	}, nil
}

// AWSLoadBalancerArgs are the inputs of scalestack:aws:LoadBalancer, one to one with
// loadbalancer.Args (components/aws/loadbalancer).
type AWSLoadBalancerArgs struct {
	VpcID                  pulumi.StringInput      `pulumi:"vpcId"`
	SubnetIDs              pulumi.StringArrayInput `pulumi:"subnetIds"`
	Region                 string                  `pulumi:"region"`
	CertificateARN         pulumi.StringInput      `pulumi:"certificateArn,optional"`
	SSLPolicy              string                  `pulumi:"sslPolicy,optional"`
	IngressCIDRs           []string                `pulumi:"ingressCidrs,optional"`
	IngressPrefixLists     []string                `pulumi:"ingressPrefixLists,optional"`
	RequiredHeader         *AWSRequiredHeader      `pulumi:"requiredHeader,optional"`
	TargetPort             int                     `pulumi:"targetPort,optional"`
	HealthCheckPath        string                  `pulumi:"healthCheckPath,optional"`
	DeletionProtection     bool                    `pulumi:"deletionProtection,optional"`
	AccessLogRetentionDays int                     `pulumi:"accessLogRetentionDays,optional"`
	Tags                   map[string]string       `pulumi:"tags,optional"`
}

// Annotate documents the inputs in the schema.
func (a *AWSLoadBalancerArgs) Annotate(an infer.Annotator) {
	an.Describe(&a.VpcID, "The VPC of the load balancer and its target group. Required.")
	an.Describe(&a.SubnetIDs, "The public subnets, in at least two zones. Required.")
	an.Describe(&a.Region, "The region of the component's aws provider (\"us-east-1\"). Required: it selects who may write the access logs, without a lookup.")
	an.Describe(&a.CertificateARN, "The ACM certificate of the HTTPS listener. Default: none, the dev-only plain-HTTP mode (the policy pack flags it). Give one wherever users connect.")
	an.Describe(&a.SSLPolicy, "The HTTPS listener's security policy. Default: ELBSecurityPolicy-TLS13-1-2-2021-06 (TLS 1.3 and 1.2 only). Allowed: an ELBSecurityPolicy-... name.")
	an.Describe(&a.IngressCIDRs, "May reach ports 80 and 443. Default: 0.0.0.0/0 and ::/0 (none when `ingressPrefixLists` is set). Allowed: 1-20 IPv4 or IPv6 CIDRs.")
	an.Describe(&a.IngressPrefixLists, "AWS-managed prefix lists, by name, admitted on the listener port, each in a security group of its own (\"com.amazonaws.global.cloudfront.origin-facing\"). Default: none. Allowed: at most 4.")
	an.Describe(&a.RequiredHeader, "Forward only requests carrying this header (a secret the CDN adds); others get 403, except health checks. Needs `certificateArn`. Default: none.")
	an.Describe(&a.TargetPort, "The port the targets serve HTTP on. Default: 8080. Allowed: 1-65535.")
	an.Describe(&a.HealthCheckPath, "Requested on each target; a 200 marks it healthy. Default: /healthz.")
	an.Describe(&a.DeletionProtection, "AWS refuses to delete the load balancer, and the access-log bucket is retained on delete. Default: false.")
	an.Describe(&a.AccessLogRetentionDays, "Days the access logs are kept. Default: 90. Allowed: 1-3650.")
	an.Describe(&a.Tags, "Added to every child that takes tags.")
}

// AWSRequiredHeader is the header a load balancer requires (loadbalancer.Header).
type AWSRequiredHeader struct {
	Name  string             `pulumi:"name"`
	Value pulumi.StringInput `pulumi:"value" provider:"secret"`
}

// Annotate documents the header type in the schema.
func (h *AWSRequiredHeader) Annotate(an infer.Annotator) {
	an.SetToken("aws", "RequiredHeader")
	an.Describe(h, "A header every forwarded request must carry, such as the secret a CDN adds to origin requests.")
	an.Describe(&h.Name, "The header's name (\"X-Origin-Verify\"). Required: 1-40 letters, digits or dashes.")
	an.Describe(&h.Value, "The value it must have: a secret of letters and digits. Required.")
}

// AWSLoadBalancer is scalestack:aws:LoadBalancer as served to every Pulumi language.
type AWSLoadBalancer struct {
	pulumi.ComponentResource

	LoadBalancerARN      pulumi.StringOutput `pulumi:"loadBalancerArn"`
	ARNSuffix            pulumi.StringOutput `pulumi:"arnSuffix"`
	DNSName              pulumi.StringOutput `pulumi:"dnsName"`
	ZoneID               pulumi.StringOutput `pulumi:"zoneId"`
	SecurityGroupID      pulumi.StringOutput `pulumi:"securityGroupId"`
	TargetGroupARN       pulumi.StringOutput `pulumi:"targetGroupArn"`
	TargetGroupARNSuffix pulumi.StringOutput `pulumi:"targetGroupArnSuffix"`
	HTTPSListenerARN     pulumi.StringOutput `pulumi:"httpsListenerArn"`
	AccessLogBucket      pulumi.StringOutput `pulumi:"accessLogBucket"`
}

// Annotate documents the component and its outputs in the schema.
func (l *AWSLoadBalancer) Annotate(an infer.Annotator) {
	an.SetToken("aws", "LoadBalancer")
	an.Describe(l, "An internet-facing Application Load Balancer: HTTPS with TLS 1.2+ and an HTTP-to-HTTPS redirect, a target group "+
		"with health checks, encrypted access logs, invalid headers dropped. The same component as the Go API (components/aws/loadbalancer).")
	an.Describe(&l.LoadBalancerARN, "The load balancer's ARN.")
	an.Describe(&l.ARNSuffix, "The load balancer's ARN suffix, its CloudWatch dimension (a WebTier's `loadBalancerArnSuffix`).")
	an.Describe(&l.DNSName, "The load balancer's public DNS name.")
	an.Describe(&l.ZoneID, "The Route 53 zone of `dnsName`, for alias records.")
	an.Describe(&l.SecurityGroupID, "The load balancer's security group (a WebTier's `loadBalancerSecurityGroupId`).")
	an.Describe(&l.TargetGroupARN, "The target group's ARN (a WebTier's `targetGroupArns`).")
	an.Describe(&l.TargetGroupARNSuffix, "The target group's ARN suffix, its CloudWatch dimension (a WebTier's `targetGroupArnSuffix`).")
	an.Describe(&l.HTTPSListenerARN, "The HTTPS listener's ARN (\"\" in plain-HTTP mode).")
	an.Describe(&l.AccessLogBucket, "The bucket receiving the access logs.")
}

// goArgs maps the package inputs onto loadbalancer.Args: the one place the two meet.
func (a *AWSLoadBalancerArgs) goArgs() *loadbalancer.Args {
	g := &loadbalancer.Args{
		VpcID: a.VpcID, SubnetIDs: a.SubnetIDs, Region: a.Region, CertificateARN: a.CertificateARN,
		SSLPolicy: a.SSLPolicy, IngressCIDRs: a.IngressCIDRs, IngressPrefixLists: a.IngressPrefixLists,
		TargetPort: a.TargetPort, HealthCheckPath: a.HealthCheckPath, DeletionProtection: a.DeletionProtection,
		AccessLogRetentionDays: a.AccessLogRetentionDays, Tags: a.Tags,
	}
	if h := a.RequiredHeader; h != nil {
		g.RequiredHeader = &loadbalancer.Header{Name: h.Name, Value: h.Value}
	}
	return g
}

// NewAWSLoadBalancer constructs scalestack:aws:LoadBalancer for the package: it maps args and
// calls loadbalancer.New, which validates them and registers the component and its children.
func NewAWSLoadBalancer(ctx *pulumi.Context, name string, args AWSLoadBalancerArgs, opts ...pulumi.ResourceOption) (*AWSLoadBalancer, error) {
	l, err := loadbalancer.New(ctx, name, args.goArgs(), opts...)
	if err != nil {
		return nil, err
	}
	return &AWSLoadBalancer{
		ComponentResource: l,
		LoadBalancerARN:   l.LoadBalancerARN, ARNSuffix: l.ARNSuffix, DNSName: l.DNSName, ZoneID: l.ZoneID,
		SecurityGroupID: l.SecurityGroupID, TargetGroupARN: l.TargetGroupARN, TargetGroupARNSuffix: l.TargetGroupARNSuffix,
		HTTPSListenerARN: l.HTTPSListenerARN, AccessLogBucket: l.AccessLogBucket,
	}, nil
}

// PriceClass is the set of CloudFront edge locations.
type PriceClass string

// Values lists cdn.PriceClasses.
func (PriceClass) Values() []infer.EnumValue[PriceClass] {
	return []infer.EnumValue[PriceClass]{
		{Name: "PriceClass_100", Value: "PriceClass_100", Description: "North America and Europe (default)."},
		{Name: "PriceClass_200", Value: "PriceClass_200", Description: "Adds Asia, the Middle East and Africa."},
		{Name: "PriceClass_All", Value: "PriceClass_All", Description: "Every edge location."},
	}
}

// Annotate names the enum in the schema.
func (k *PriceClass) Annotate(an infer.Annotator) { an.SetToken("aws", "PriceClass") }

// AWSCDNArgs are the inputs of scalestack:aws:CDN, one to one with cdn.Args
// (components/aws/cdn). CloudFront is global: the component's aws provider is the one its
// buckets live in.
type AWSCDNArgs struct {
	PrimaryOrigin              AWSOrigin          `pulumi:"primaryOrigin"`
	SecondaryOrigin            *AWSOrigin         `pulumi:"secondaryOrigin,optional"`
	CachedPathPatterns         []string           `pulumi:"cachedPathPatterns,optional"`
	StaticPathPattern          string             `pulumi:"staticPathPattern,optional"`
	CertificateARN             pulumi.StringInput `pulumi:"certificateArn,optional"`
	Aliases                    []string           `pulumi:"aliases,optional"`
	PriceClass                 *PriceClass        `pulumi:"priceClass,optional"`
	WebACLARN                  pulumi.StringInput `pulumi:"webAclArn,optional"`
	HSTSMaxAgeSeconds          int                `pulumi:"hstsMaxAgeSeconds,optional"`
	ForceDestroyStaticBucket   bool               `pulumi:"forceDestroyStaticBucket,optional"`
	DestroyBucketsWithContents bool               `pulumi:"destroyBucketsWithContents,optional"`
	DisableAccessLogs          bool               `pulumi:"disableAccessLogs,optional"`
	AccessLogRetentionDays     int                `pulumi:"accessLogRetentionDays,optional"`
	Tags                       map[string]string  `pulumi:"tags,optional"`
}

// Annotate documents the inputs in the schema.
func (a *AWSCDNArgs) Annotate(an infer.Annotator) {
	an.Describe(&a.PrimaryOrigin, "The HTTPS origin of the default (dynamic) behaviour. Required.")
	an.Describe(&a.SecondaryOrigin, "Forms an origin group with the primary that fails over on 500, 502, 503 and 504, for `cachedPathPatterns` (origin groups serve only GET, HEAD and OPTIONS). Needs `cachedPathPatterns`. Default: none.")
	an.Describe(&a.CachedPathPatterns, "Paths CloudFront may cache (\"/assets/*\"). Default: none. Allowed: at most 24 distinct patterns, not \"*\" nor `staticPathPattern`.")
	an.Describe(&a.StaticPathPattern, "Routes to the static-assets bucket the component creates. Default: /static/*.")
	an.Describe(&a.CertificateARN, "A us-east-1 ACM certificate covering `aliases`; viewers get TLSv1.2_2021 or newer. Default: none, the *.cloudfront.net certificate (trials only).")
	an.Describe(&a.Aliases, "The host names the distribution answers to. Needs `certificateArn`. Default: none.")
	an.Describe(&a.PriceClass, "The edge locations. Default: PriceClass_100.")
	an.Describe(&a.WebACLARN, "A WAFv2 web ACL (scope CLOUDFRONT, in us-east-1) to attach. Default: none.")
	an.Describe(&a.HSTSMaxAgeSeconds, "The Strict-Transport-Security max-age added to every response. Default: 31536000. Allowed: 1-63072000.")
	an.Describe(&a.ForceDestroyStaticBucket, "Let the static bucket be deleted while it holds objects. Default: false.")
	an.Describe(&a.DestroyBucketsWithContents, "Empty the static and access-log buckets on delete (dev stacks). Default: false: both are retained on delete.")
	an.Describe(&a.DisableAccessLogs, "Turn the standard access logs off. Default: false.")
	an.Describe(&a.AccessLogRetentionDays, "Days the access logs are kept. Default: 90. Allowed: 1-3650.")
	an.Describe(&a.Tags, "Added to the distribution and the buckets.")
}

// AWSOrigin is an HTTPS origin of a CDN (cdn.Origin).
type AWSOrigin struct {
	DomainName         pulumi.StringInput            `pulumi:"domainName"`
	CustomHeaders      map[string]pulumi.StringInput `pulumi:"customHeaders,optional"`
	HTTPSPort          int                           `pulumi:"httpsPort,optional"`
	ReadTimeoutSeconds int                           `pulumi:"readTimeoutSeconds,optional"`
}

// Annotate documents the origin type in the schema.
func (o *AWSOrigin) Annotate(an infer.Annotator) {
	an.SetToken("aws", "CdnOrigin")
	an.Describe(o, "An HTTPS origin of a scalestack:aws:CDN, such as a region's load balancer.")
	an.Describe(&o.DomainName, "The host name CloudFront connects to and validates the certificate of (\"origin-us-east-1.app.example.com\"). Required: a load balancer's own DNS name cannot work, no certificate covers it.")
	an.Describe(&o.CustomHeaders, "Headers sent with every origin request, such as the secret a LoadBalancer's `requiredHeader` checks. A secret value stays secret (pass it as a Pulumi secret). Default: none.")
	an.Describe(&o.HTTPSPort, "The origin's HTTPS port. Default: 443. Allowed: 443 or 1024-65535.")
	an.Describe(&o.ReadTimeoutSeconds, "How long CloudFront waits for a response. Default: 30. Allowed: 1-60.")
}

// AWSCDN is scalestack:aws:CDN as served to every Pulumi language.
type AWSCDN struct {
	pulumi.ComponentResource

	DistributionID      pulumi.StringOutput `pulumi:"distributionId"`
	DistributionARN     pulumi.StringOutput `pulumi:"distributionArn"`
	DomainName          pulumi.StringOutput `pulumi:"domainName"`
	HostedZoneID        pulumi.StringOutput `pulumi:"hostedZoneId"`
	StaticBucketName    pulumi.StringOutput `pulumi:"staticBucketName"`
	StaticBucketARN     pulumi.StringOutput `pulumi:"staticBucketArn"`
	AccessLogBucketName pulumi.StringOutput `pulumi:"accessLogBucketName"`
}

// Annotate documents the component and its outputs in the schema.
func (c *AWSCDN) Annotate(an infer.Annotator) {
	an.SetToken("aws", "CDN")
	an.Describe(c, "A CloudFront distribution: HTTPS-only origins, an S3 static origin with origin access control, security headers, "+
		"access logs, an optional origin-group failover. The same component as the Go API (components/aws/cdn).")
	an.Describe(&c.DistributionID, "The distribution's id, for invalidations.")
	an.Describe(&c.DistributionARN, "The distribution's ARN.")
	an.Describe(&c.DomainName, "The distribution's *.cloudfront.net name: the alias target.")
	an.Describe(&c.HostedZoneID, "CloudFront's hosted zone id, for alias records.")
	an.Describe(&c.StaticBucketName, "The bucket to upload static assets to.")
	an.Describe(&c.StaticBucketARN, "The static bucket's ARN.")
	an.Describe(&c.AccessLogBucketName, "The bucket receiving the access logs (\"\" when they are off).")
}

func (o AWSOrigin) goOrigin() cdn.Origin {
	return cdn.Origin{
		DomainName: o.DomainName, CustomHeaders: o.CustomHeaders,
		HTTPSPort: o.HTTPSPort, ReadTimeoutSeconds: o.ReadTimeoutSeconds,
	}
}

// goArgs maps the package inputs onto cdn.Args: the one place the two meet.
func (a *AWSCDNArgs) goArgs() *cdn.Args {
	g := &cdn.Args{
		PrimaryOrigin: a.PrimaryOrigin.goOrigin(), CachedPathPatterns: a.CachedPathPatterns,
		StaticPathPattern: a.StaticPathPattern, CertificateARN: a.CertificateARN, Aliases: a.Aliases,
		PriceClass: str(a.PriceClass), WebACLARN: a.WebACLARN, HSTSMaxAgeSeconds: a.HSTSMaxAgeSeconds,
		ForceDestroyStaticBucket: a.ForceDestroyStaticBucket, DestroyBucketsWithContents: a.DestroyBucketsWithContents,
		DisableAccessLogs: a.DisableAccessLogs, AccessLogRetentionDays: a.AccessLogRetentionDays, Tags: a.Tags,
	}
	if s := a.SecondaryOrigin; s != nil {
		o := s.goOrigin()
		g.SecondaryOrigin = &o
	}
	return g
}

// NewAWSCDN constructs scalestack:aws:CDN for the package: it maps args and calls cdn.New,
// which validates them and registers the component and its children.
func NewAWSCDN(ctx *pulumi.Context, name string, args AWSCDNArgs, opts ...pulumi.ResourceOption) (*AWSCDN, error) {
	c, err := cdn.New(ctx, name, args.goArgs(), opts...)
	if err != nil {
		return nil, err
	}
	return &AWSCDN{
		ComponentResource: c,
		DistributionID:    c.DistributionID, DistributionARN: c.DistributionARN, DomainName: c.DomainName,
		HostedZoneID: c.HostedZoneID, StaticBucketName: c.StaticBucketName, StaticBucketARN: c.StaticBucketARN,
		AccessLogBucketName: c.AccessLogBucketName,
	}, nil
}
