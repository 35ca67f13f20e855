// Package loadbalancer creates an internet-facing Application Load Balancer: its own security
// group, an HTTPS listener with a given ACM certificate and a modern TLS policy, an HTTP
// listener that only redirects to HTTPS, a target group with health checks, and access logs
// to an S3 bucket the component creates (SSE-S3, versioned, public access blocked, expiring).
//
// Without a certificate the component runs in a dev-only plain-HTTP mode: one HTTP listener
// forwards to the target group, no port 443 is opened, and the component logs a warning.
//
// The load balancer's security group admits 80 and 443 from Args.IngressCIDRs and has no
// egress rule of its own: the component that owns the targets adds the one egress rule it
// needs (webtier does, to its instances' port), so the load balancer can reach nothing else.
//
// Behind a CDN, Args.IngressPrefixLists admits only AWS-managed prefix lists (CloudFront's
// origin-facing servers, Route 53's health checkers) instead of the internet, each in its own
// security group, and Args.RequiredHeader makes the HTTPS listener answer 403 to any request
// that lacks the CDN's secret origin header (except the health check path), so nobody can
// reach the load balancer around the CDN and its WAF.
package loadbalancer

import (
	"encoding/json"
	"fmt"
	"net/netip"
	"regexp"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lb"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/s3"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/vpc"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// TypeToken is the component's type; it is part of every child's URN.
const TypeToken = "scalestack:aws:LoadBalancer"

// Defaults of the optional Args fields.
const (
	DefaultSSLPolicy              = "ELBSecurityPolicy-TLS13-1-2-2021-06"
	DefaultTargetPort             = 8080
	DefaultHealthCheckPath        = "/healthz"
	DefaultAccessLogRetentionDays = 90
)

// DefaultIngressCIDRs admit the whole internet, IPv4 and IPv6.
var DefaultIngressCIDRs = []string{"0.0.0.0/0", "::/0"}

// Args configures a LoadBalancer. Zero values mean the documented default.
type Args struct {
	// VpcID is the VPC of the load balancer and its target group. Required.
	VpcID pulumi.StringInput
	// SubnetIDs are the public subnets the load balancer is placed in, at least two zones.
	// Required.
	SubnetIDs pulumi.StringArrayInput
	// Region is the region of the provider the component is given, such as "us-east-1".
	// Required: it selects who may write access logs to the bucket (the regional Elastic
	// Load Balancing account, or the log delivery service in newer regions) without a lookup.
	Region string
	// CertificateARN is the ACM certificate of the HTTPS listener. Default: nil, which
	// selects the dev-only plain-HTTP mode (an HTTP listener that forwards, a warning in
	// the log). Give one in every environment users reach.
	CertificateARN pulumi.StringInput
	// SSLPolicy is the HTTPS listener's security policy. Default:
	// "ELBSecurityPolicy-TLS13-1-2-2021-06" (TLS 1.3 and 1.2 only). Allowed: an
	// "ELBSecurityPolicy-..." name.
	SSLPolicy string
	// IngressCIDRs may reach ports 80 and 443. Default: "0.0.0.0/0" and "::/0". Allowed:
	// 1-20 IPv4 or IPv6 CIDRs.
	IngressCIDRs []string
	// IngressPrefixLists are AWS-managed prefix lists, by name, admitted on the listener port
	// (443; 80 in plain-HTTP mode), each in a security group of its own: a managed prefix
	// list counts as its maximum entries against the rules quota of the group that
	// references it (CloudFront's origin-facing list as 55 of the default 60). Use
	// CloudFrontOriginFacingPrefixList and Route53HealthCheckPrefixList(Region). When set,
	// IngressCIDRs defaults to none. Default: none. Allowed: at most 4 names of the form
	// "com.amazonaws.<region or global>.<service>" (an ALB takes 5 security groups).
	IngressPrefixLists []string
	// RequiredHeader makes the HTTPS listener forward only requests that carry this header
	// with this value (a secret the CDN adds to every origin request) and answer 403 to the
	// rest, except requests for HealthCheckPath, which Route 53 health checks send without
	// it. Default: nil (forward every request). Requires CertificateARN.
	RequiredHeader *Header
	// TargetPort is the port the targets serve HTTP on. Default: 8080. Allowed: 1-65535.
	TargetPort int
	// HealthCheckPath is requested on each target; a 200 marks it healthy. Default:
	// "/healthz". Allowed: a path starting with "/".
	HealthCheckPath string
	// DeletionProtection makes AWS refuse to delete the load balancer, and keeps the access
	// log bucket on delete (retained, with its logs). Default: false (the stacks turn it on in
	// prod): the load balancer can be deleted and the bucket is emptied on delete.
	DeletionProtection bool
	// AccessLogRetentionDays keeps access logs (and their noncurrent versions) this long.
	// Default: 90. Allowed: 1-3650.
	AccessLogRetentionDays int
	// Tags are added to every child that takes tags. Default: none (the provider's default
	// tags still apply). A child's own Name tag wins over a "Name" given here.
	Tags map[string]string
}

// Header is an HTTP request header and the value it must have.
type Header struct {
	// Name of the header, such as "X-Origin-Verify". Required: 1-40 letters, digits or dashes.
	Name string
	// Value the header must have: a secret of letters and digits (ALB header conditions
	// match case-insensitively and treat * and ? as wildcards). Required.
	Value pulumi.StringInput
}

// CloudFrontOriginFacingPrefixList is the AWS-managed prefix list of CloudFront's
// origin-facing servers (the same name in every region).
const CloudFrontOriginFacingPrefixList = "com.amazonaws.global.cloudfront.origin-facing"

// Route53HealthCheckPrefixList is the AWS-managed prefix list of the Route 53 health checkers
// that check resources in region (IPv4).
func Route53HealthCheckPrefixList(region string) string {
	return "com.amazonaws." + region + ".route53-healthchecks"
}

// maxPrefixLists leaves one of an ALB's five security groups for the main group.
const maxPrefixLists = 4

// LoadBalancer is an ALB with its listeners, target group, security group and log bucket.
type LoadBalancer struct {
	pulumi.ResourceState

	// LoadBalancerARN is the load balancer's ARN.
	LoadBalancerARN pulumi.StringOutput `pulumi:"loadBalancerArn"`
	// ARNSuffix is the load balancer's ARN suffix ("app/<name>/<id>"), its CloudWatch dimension.
	ARNSuffix pulumi.StringOutput `pulumi:"arnSuffix"`
	// DNSName is the load balancer's public DNS name.
	DNSName pulumi.StringOutput `pulumi:"dnsName"`
	// ZoneID is the Route 53 hosted zone of DNSName, for alias records.
	ZoneID pulumi.StringOutput `pulumi:"zoneId"`
	// SecurityGroupID is the load balancer's security group: let it (and only it) reach targets.
	SecurityGroupID pulumi.StringOutput `pulumi:"securityGroupId"`
	// TargetGroupARN is the target group's ARN, for an autoscaling group's TargetGroupARNs.
	TargetGroupARN pulumi.StringOutput `pulumi:"targetGroupArn"`
	// TargetGroupARNSuffix is the target group's ARN suffix, its CloudWatch dimension. It
	// depends on the forwarding listener, so a scaling policy given it (the request-count
	// label) waits until the target group is attached to the load balancer.
	TargetGroupARNSuffix pulumi.StringOutput `pulumi:"targetGroupArnSuffix"`
	// HTTPSListenerARN is the HTTPS listener's ARN; "" in plain-HTTP mode.
	HTTPSListenerARN pulumi.StringOutput `pulumi:"httpsListenerArn"`
	// AccessLogBucket is the name of the bucket that receives the access logs.
	AccessLogBucket pulumi.StringOutput `pulumi:"accessLogBucket"`
}

// elbAccounts are the Elastic Load Balancing accounts of the regions that predate the log
// delivery service principal (August 2022). Other regions use the service principal.
var elbAccounts = map[string]string{
	"us-east-1": "127311923021", "us-east-2": "033677994240", "us-west-1": "027434742980",
	"us-west-2": "797873946194", "af-south-1": "098369216593", "ap-east-1": "754344448648",
	"ap-southeast-3": "589379963580", "ap-south-1": "718504428378", "ap-northeast-3": "383597477331",
	"ap-northeast-2": "600734575887", "ap-southeast-1": "114774131450", "ap-southeast-2": "783225319266",
	"ap-northeast-1": "582318560864", "ca-central-1": "985666609251", "eu-central-1": "054676820928",
	"eu-west-1": "156460612806", "eu-west-2": "652711504416", "eu-south-1": "635631232127",
	"eu-west-3": "009996457667", "eu-north-1": "897822967062", "me-south-1": "076674570225",
	"sa-east-1": "507241528517", "us-gov-west-1": "048591011584", "us-gov-east-1": "190560391635",
	"cn-north-1": "638102146993", "cn-northwest-1": "037604701340",
}

// LogDeliveryPrincipal is the service that writes access logs in regions without an
// Elastic Load Balancing account.
const LogDeliveryPrincipal = "logdelivery.elasticloadbalancing.amazonaws.com"

var (
	regionRE     = regexp.MustCompile(`^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]$`)
	sslPolicyRE  = regexp.MustCompile(`^ELBSecurityPolicy-[A-Za-z0-9-]+$`)
	prefixListRE = regexp.MustCompile(`^com\.amazonaws\.[a-z0-9-]+\.[a-z0-9][a-z0-9.-]*[a-z0-9]$`)
	headerNameRE = regexp.MustCompile(`^[A-Za-z0-9-]{1,40}$`)
)

// withDefaults returns a copy of a with every zero value replaced by its default.
func (a Args) withDefaults() Args {
	if a.SSLPolicy == "" {
		a.SSLPolicy = DefaultSSLPolicy
	}
	if a.IngressCIDRs == nil && len(a.IngressPrefixLists) == 0 {
		a.IngressCIDRs = append([]string(nil), DefaultIngressCIDRs...)
	}
	if a.TargetPort == 0 {
		a.TargetPort = DefaultTargetPort
	}
	if a.HealthCheckPath == "" {
		a.HealthCheckPath = DefaultHealthCheckPath
	}
	if a.AccessLogRetentionDays == 0 {
		a.AccessLogRetentionDays = DefaultAccessLogRetentionDays
	}
	return a
}

// validate checks defaulted args; it registers nothing.
func (a Args) validate() error {
	if a.VpcID == nil {
		return fmt.Errorf("VpcID is required")
	}
	if a.SubnetIDs == nil {
		return fmt.Errorf("SubnetIDs is required: want the public subnets of at least two zones")
	}
	if !regionRE.MatchString(a.Region) {
		return fmt.Errorf("Region %q is not allowed: want the provider's AWS region, such as us-east-1", a.Region)
	}
	if !sslPolicyRE.MatchString(a.SSLPolicy) {
		return fmt.Errorf("SSLPolicy %q is not allowed: want an ELBSecurityPolicy-... name such as %s", a.SSLPolicy, DefaultSSLPolicy)
	}
	if (len(a.IngressCIDRs) < 1 && len(a.IngressPrefixLists) == 0) || len(a.IngressCIDRs) > 20 {
		return fmt.Errorf("IngressCIDRs %q is not allowed: want 1-20 CIDRs (or none with IngressPrefixLists)", a.IngressCIDRs)
	}
	if len(a.IngressPrefixLists) > maxPrefixLists {
		return fmt.Errorf("IngressPrefixLists has %d names, which is not allowed: want at most %d (an ALB takes 5 security groups)", len(a.IngressPrefixLists), maxPrefixLists)
	}
	seenPL := map[string]bool{}
	for _, pl := range a.IngressPrefixLists {
		if !prefixListRE.MatchString(pl) {
			return fmt.Errorf("IngressPrefixLists: %q is not allowed: want an AWS-managed prefix list name such as %s", pl, CloudFrontOriginFacingPrefixList)
		}
		if seenPL[prefixListKey(pl)] {
			return fmt.Errorf("IngressPrefixLists: %q is listed twice", pl)
		}
		seenPL[prefixListKey(pl)] = true
	}
	if h := a.RequiredHeader; h != nil {
		if !headerNameRE.MatchString(h.Name) {
			return fmt.Errorf("RequiredHeader.Name %q is not allowed: want 1-40 letters, digits or dashes, such as X-Origin-Verify", h.Name)
		}
		if h.Value == nil {
			return fmt.Errorf("RequiredHeader.Value is required: want the secret the CDN sends")
		}
		if a.CertificateARN == nil {
			return fmt.Errorf("RequiredHeader is not allowed without CertificateARN: the header guards the HTTPS listener")
		}
	}
	seen := map[string]bool{}
	for _, c := range a.IngressCIDRs {
		p, err := netip.ParsePrefix(c)
		if err != nil || p.Masked() != p {
			return fmt.Errorf("IngressCIDRs: %q is not allowed: want a CIDR network such as 203.0.113.0/24 or ::/0", c)
		}
		if seen[c] {
			return fmt.Errorf("IngressCIDRs: %q is listed twice", c)
		}
		seen[c] = true
	}
	if a.TargetPort < 1 || a.TargetPort > 65535 {
		return fmt.Errorf("TargetPort %d is not allowed: want 1-65535", a.TargetPort)
	}
	if !strings.HasPrefix(a.HealthCheckPath, "/") || len(a.HealthCheckPath) > 1024 {
		return fmt.Errorf("HealthCheckPath %q is not allowed: want a path starting with / (at most 1024 characters)", a.HealthCheckPath)
	}
	if a.AccessLogRetentionDays < 1 || a.AccessLogRetentionDays > 3650 {
		return fmt.Errorf("AccessLogRetentionDays %d is not allowed: want 1-3650", a.AccessLogRetentionDays)
	}
	return nil
}

// resolve applies the defaults and validates the result.
func (a *Args) resolve() (Args, error) {
	if a == nil {
		return Args{}, fmt.Errorf("args are required (VpcID, SubnetIDs, Region)")
	}
	r := a.withDefaults()
	return r, r.validate()
}

// PlainHTTPWarning is the warning logged when no certificate is given.
func PlainHTTPWarning(name string) string {
	return fmt.Sprintf("load balancer %q has no CertificateARN: it serves plain HTTP on port 80 without TLS. "+
		"This mode is for development only; give a certificate before real users reach it.", name)
}

// partition returns the ARN partition of a region.
func partition(region string) string {
	switch {
	case strings.HasPrefix(region, "cn-"):
		return "aws-cn"
	case strings.HasPrefix(region, "us-gov-"):
		return "aws-us-gov"
	}
	return "aws"
}

// accessLogPolicy lets Elastic Load Balancing write access logs for the account that owns
// securityGroupARN (the load balancer's account) under AWSLogs/<account>/, and denies any
// request that does not use TLS.
func accessLogPolicy(region, bucketARN, securityGroupARN string) (string, error) {
	parts := strings.SplitN(securityGroupARN, ":", 6)
	if len(parts) < 6 || parts[4] == "" {
		return "", fmt.Errorf("cannot tell the account from security group ARN %q", securityGroupARN)
	}
	account := parts[4]
	principal := map[string]any{"Service": LogDeliveryPrincipal}
	if id, ok := elbAccounts[region]; ok {
		principal = map[string]any{"AWS": fmt.Sprintf("arn:%s:iam::%s:root", partition(region), id)}
	}
	b, err := json.Marshal(map[string]any{
		"Version": "2012-10-17",
		"Statement": []any{
			map[string]any{
				"Sid":       "ELBWritesAccessLogs",
				"Effect":    "Allow",
				"Principal": principal,
				"Action":    "s3:PutObject",
				"Resource":  fmt.Sprintf("%s/AWSLogs/%s/*", bucketARN, account),
			},
			map[string]any{
				"Sid":       "DenyInsecureTransport",
				"Effect":    "Deny",
				"Principal": "*",
				"Action":    "s3:*",
				"Resource":  []string{bucketARN, bucketARN + "/*"},
				"Condition": map[string]any{"Bool": map[string]any{"aws:SecureTransport": "false"}},
			},
		},
	})
	return string(b), err
}

// tags merges the user's tags with a child's Name tag (the Name tag wins).
func tags(a Args, name string) pulumi.StringMap {
	out := pulumi.StringMap{}
	for k, v := range a.Tags {
		out[k] = pulumi.String(v)
	}
	out["Name"] = pulumi.String(name)
	return out
}

// prefixListKey turns a managed prefix list name into a stable part of a logical name:
// "com.amazonaws.global.cloudfront.origin-facing" gives "cloudfront-origin-facing".
func prefixListKey(name string) string {
	parts := strings.Split(name, ".")
	if len(parts) <= 3 {
		return strings.ReplaceAll(name, ".", "-")
	}
	return strings.Join(parts[3:], "-")
}

// ruleKey turns a CIDR into a stable part of a logical name.
func ruleKey(cidr string) string {
	return strings.NewReplacer("/", "-", ":", "_").Replace(cidr)
}

// New validates args, applies defaults and registers the load balancer's resources.
func New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*LoadBalancer, error) {
	a, err := args.resolve()
	if err != nil {
		return nil, fmt.Errorf("load balancer %q: %w", name, err)
	}
	c := &LoadBalancer{}
	if err := ctx.RegisterComponentResource(TypeToken, name, c, opts...); err != nil {
		return nil, err
	}
	parent := pulumi.Parent(c)
	https := a.CertificateARN != nil

	sg, err := ec2.NewSecurityGroup(ctx, name, &ec2.SecurityGroupArgs{
		VpcId:       a.VpcID,
		Description: pulumi.String("Load balancer " + name + ": HTTP(S) in from the allowed ranges; egress only to its targets"),
		Tags:        tags(a, name),
	}, parent)
	if err != nil {
		return nil, fmt.Errorf("creating security group: %w", err)
	}
	ports := []struct {
		key  string
		port int
	}{{"http", 80}}
	if https {
		ports = append(ports, struct {
			key  string
			port int
		}{"https", 443})
	}
	for _, p := range ports {
		for _, cidr := range a.IngressCIDRs {
			ra := &vpc.SecurityGroupIngressRuleArgs{
				SecurityGroupId: sg.ID(),
				IpProtocol:      pulumi.String("tcp"),
				FromPort:        pulumi.Int(p.port),
				ToPort:          pulumi.Int(p.port),
				Description:     pulumi.Sprintf("%s from %s", strings.ToUpper(p.key), cidr),
			}
			if strings.Contains(cidr, ":") {
				ra.CidrIpv6 = pulumi.String(cidr)
			} else {
				ra.CidrIpv4 = pulumi.String(cidr)
			}
			if _, err := vpc.NewSecurityGroupIngressRule(ctx, name+"-"+p.key+"-"+ruleKey(cidr), ra, parent); err != nil {
				return nil, fmt.Errorf("creating %s ingress rule for %s: %w", p.key, cidr, err)
			}
		}
	}

	groups := pulumi.StringArray{sg.ID()}
	listenerPort := ports[len(ports)-1]
	for _, pl := range a.IngressPrefixLists {
		key := prefixListKey(pl)
		found := ec2.LookupManagedPrefixListOutput(ctx, ec2.LookupManagedPrefixListOutputArgs{Name: pulumi.String(pl)}, parent)
		plSG, err := ec2.NewSecurityGroup(ctx, name+"-"+key, &ec2.SecurityGroupArgs{
			VpcId:       a.VpcID,
			Description: pulumi.Sprintf("Load balancer %s: %s in from the managed prefix list %s only", name, strings.ToUpper(listenerPort.key), pl),
			Tags:        tags(a, name+"-"+key),
		}, parent)
		if err != nil {
			return nil, fmt.Errorf("creating security group for %s: %w", pl, err)
		}
		if _, err := vpc.NewSecurityGroupIngressRule(ctx, name+"-"+key+"-"+listenerPort.key, &vpc.SecurityGroupIngressRuleArgs{
			SecurityGroupId: plSG.ID(),
			PrefixListId:    found.Id(),
			IpProtocol:      pulumi.String("tcp"),
			FromPort:        pulumi.Int(listenerPort.port),
			ToPort:          pulumi.Int(listenerPort.port),
			Description:     pulumi.Sprintf("%s from %s", strings.ToUpper(listenerPort.key), pl),
		}, parent); err != nil {
			return nil, fmt.Errorf("creating %s ingress rule for %s: %w", listenerPort.key, pl, err)
		}
		groups = append(groups, plSG.ID())
	}

	bucket, policy, err := accessLogBucket(ctx, name, a, sg, parent)
	if err != nil {
		return nil, err
	}

	alb, err := lb.NewLoadBalancer(ctx, name, &lb.LoadBalancerArgs{
		LoadBalancerType:         pulumi.String("application"),
		Internal:                 pulumi.Bool(false),
		Subnets:                  a.SubnetIDs,
		SecurityGroups:           groups,
		DropInvalidHeaderFields:  pulumi.Bool(true),
		EnableDeletionProtection: pulumi.Bool(a.DeletionProtection),
		AccessLogs: &lb.LoadBalancerAccessLogsArgs{
			Bucket:  bucket.Bucket,
			Enabled: pulumi.Bool(true),
		},
		Tags: tags(a, name),
	}, parent, pulumi.DependsOn([]pulumi.Resource{policy}))
	if err != nil {
		return nil, fmt.Errorf("creating load balancer: %w", err)
	}
	tg, err := lb.NewTargetGroup(ctx, name, &lb.TargetGroupArgs{
		VpcId:               a.VpcID,
		TargetType:          pulumi.String("instance"),
		Protocol:            pulumi.String("HTTP"),
		Port:                pulumi.Int(a.TargetPort),
		DeregistrationDelay: pulumi.Int(30),
		HealthCheck: &lb.TargetGroupHealthCheckArgs{
			Enabled:            pulumi.Bool(true),
			Protocol:           pulumi.String("HTTP"),
			Port:               pulumi.String("traffic-port"),
			Path:               pulumi.String(a.HealthCheckPath),
			Matcher:            pulumi.String("200"),
			Interval:           pulumi.Int(15),
			Timeout:            pulumi.Int(5),
			HealthyThreshold:   pulumi.Int(2),
			UnhealthyThreshold: pulumi.Int(3),
		},
		Tags: tags(a, name),
	}, parent)
	if err != nil {
		return nil, fmt.Errorf("creating target group: %w", err)
	}
	forward := lb.ListenerDefaultActionArray{&lb.ListenerDefaultActionArgs{
		Type:           pulumi.String("forward"),
		TargetGroupArn: tg.Arn,
	}}

	httpsARN := pulumi.String("").ToStringOutput()
	var attached pulumi.StringOutput // resolves once a listener or rule forwards to the target group
	if https {
		defaults := forward
		if a.RequiredHeader != nil {
			defaults = lb.ListenerDefaultActionArray{&lb.ListenerDefaultActionArgs{
				Type: pulumi.String("fixed-response"),
				FixedResponse: &lb.ListenerDefaultActionFixedResponseArgs{
					ContentType: pulumi.String("text/plain"),
					MessageBody: pulumi.String("Forbidden"),
					StatusCode:  pulumi.String("403"),
				},
			}}
		}
		l, err := lb.NewListener(ctx, name+"-https", &lb.ListenerArgs{
			LoadBalancerArn: alb.Arn,
			Port:            pulumi.Int(443),
			Protocol:        pulumi.String("HTTPS"),
			CertificateArn:  a.CertificateARN,
			SslPolicy:       pulumi.String(a.SSLPolicy),
			DefaultActions:  defaults,
			Tags:            tags(a, name+"-https"),
		}, parent)
		if err != nil {
			return nil, fmt.Errorf("creating HTTPS listener: %w", err)
		}
		httpsARN, attached = l.Arn, l.Arn
		if h := a.RequiredHeader; h != nil {
			rules, err := headerRules(ctx, name, a, l, tg, parent)
			if err != nil {
				return nil, err
			}
			attached = rules
		}
		if _, err := lb.NewListener(ctx, name+"-http", &lb.ListenerArgs{
			LoadBalancerArn: alb.Arn,
			Port:            pulumi.Int(80),
			Protocol:        pulumi.String("HTTP"),
			DefaultActions: lb.ListenerDefaultActionArray{&lb.ListenerDefaultActionArgs{
				Type: pulumi.String("redirect"),
				Redirect: &lb.ListenerDefaultActionRedirectArgs{
					Protocol:   pulumi.String("HTTPS"),
					Port:       pulumi.String("443"),
					StatusCode: pulumi.String("HTTP_301"),
				},
			}},
			Tags: tags(a, name+"-http"),
		}, parent); err != nil {
			return nil, fmt.Errorf("creating HTTP redirect listener: %w", err)
		}
	} else {
		if err := ctx.Log.Warn(PlainHTTPWarning(name), &pulumi.LogArgs{Resource: c}); err != nil {
			return nil, err
		}
		l, err := lb.NewListener(ctx, name+"-http", &lb.ListenerArgs{
			LoadBalancerArn: alb.Arn,
			Port:            pulumi.Int(80),
			Protocol:        pulumi.String("HTTP"),
			DefaultActions:  forward,
			Tags:            tags(a, name+"-http"),
		}, parent)
		if err != nil {
			return nil, fmt.Errorf("creating HTTP listener: %w", err)
		}
		attached = l.Arn
	}

	c.LoadBalancerARN = alb.Arn
	c.ARNSuffix = alb.ArnSuffix
	c.DNSName = alb.DnsName
	c.ZoneID = alb.ZoneId
	c.SecurityGroupID = sg.ID().ToStringOutput()
	c.TargetGroupARN = tg.Arn
	// The suffix resolves only once the forwarding listener exists: AWS rejects a
	// request-count scaling policy on a target group not yet attached to the load balancer.
	c.TargetGroupARNSuffix = pulumi.All(tg.ArnSuffix, attached).ApplyT(func(v []any) string {
		return v[0].(string)
	}).(pulumi.StringOutput)
	c.HTTPSListenerARN = httpsARN
	c.AccessLogBucket = bucket.Bucket
	return c, ctx.RegisterResourceOutputs(c, pulumi.Map{
		"loadBalancerArn":      c.LoadBalancerARN,
		"arnSuffix":            c.ARNSuffix,
		"dnsName":              c.DNSName,
		"zoneId":               c.ZoneID,
		"securityGroupId":      c.SecurityGroupID,
		"targetGroupArn":       c.TargetGroupARN,
		"targetGroupArnSuffix": c.TargetGroupARNSuffix,
		"httpsListenerArn":     c.HTTPSListenerARN,
		"accessLogBucket":      c.AccessLogBucket,
	})
}

// headerRules registers the HTTPS listener's rules when a header is required: requests with
// the header (priority 1) and requests for the health check path (priority 2, for Route 53
// health checks, which cannot send headers) go to the target group; the listener's default
// action answers 403 to the rest. It returns the ARN of the last rule.
func headerRules(ctx *pulumi.Context, name string, a Args, l *lb.Listener, tg *lb.TargetGroup, parent pulumi.ResourceOption) (pulumi.StringOutput, error) {
	forward := lb.ListenerRuleActionArray{&lb.ListenerRuleActionArgs{Type: pulumi.String("forward"), TargetGroupArn: tg.Arn}}
	verified, err := lb.NewListenerRule(ctx, name+"-https-origin-verify", &lb.ListenerRuleArgs{
		ListenerArn: l.Arn,
		Priority:    pulumi.Int(1),
		Actions:     forward,
		Conditions: lb.ListenerRuleConditionArray{&lb.ListenerRuleConditionArgs{
			HttpHeader: &lb.ListenerRuleConditionHttpHeaderArgs{
				HttpHeaderName: pulumi.String(a.RequiredHeader.Name),
				Values:         pulumi.StringArray{a.RequiredHeader.Value},
			},
		}},
		Tags: tags(a, name+"-https-origin-verify"),
	}, parent)
	if err != nil {
		return pulumi.StringOutput{}, fmt.Errorf("creating the origin header rule: %w", err)
	}
	health, err := lb.NewListenerRule(ctx, name+"-https-health-check", &lb.ListenerRuleArgs{
		ListenerArn: l.Arn,
		Priority:    pulumi.Int(2),
		Actions:     forward,
		Conditions: lb.ListenerRuleConditionArray{&lb.ListenerRuleConditionArgs{
			PathPattern: &lb.ListenerRuleConditionPathPatternArgs{Values: pulumi.ToStringArray([]string{a.HealthCheckPath})},
		}},
		Tags: tags(a, name+"-https-health-check"),
	}, parent)
	if err != nil {
		return pulumi.StringOutput{}, fmt.Errorf("creating the health check rule: %w", err)
	}
	return pulumi.All(verified.Arn, health.Arn).ApplyT(func(v []any) string { return v[1].(string) }).(pulumi.StringOutput), nil
}

// accessLogBucket registers the access log bucket and its settings; it returns the bucket
// and its policy (the load balancer must wait for the policy, or AWS rejects the logging
// configuration).
func accessLogBucket(ctx *pulumi.Context, name string, a Args, sg *ec2.SecurityGroup, parent pulumi.ResourceOption) (*s3.BucketV2, *s3.BucketPolicy, error) {
	logs := name + "-access-logs"
	// Without deletion protection (dev) the logs go with the stack; with it, the bucket is
	// kept on delete (S3 refuses to delete a bucket holding logs, which would fail a destroy).
	bucket, err := s3.NewBucketV2(ctx, logs, &s3.BucketV2Args{
		ForceDestroy: pulumi.Bool(!a.DeletionProtection),
		Tags:         tags(a, logs),
	}, parent, pulumi.RetainOnDelete(a.DeletionProtection))
	if err != nil {
		return nil, nil, fmt.Errorf("creating access log bucket: %w", err)
	}
	pab, err := s3.NewBucketPublicAccessBlock(ctx, logs, &s3.BucketPublicAccessBlockArgs{
		Bucket:                bucket.ID(),
		BlockPublicAcls:       pulumi.Bool(true),
		BlockPublicPolicy:     pulumi.Bool(true),
		IgnorePublicAcls:      pulumi.Bool(true),
		RestrictPublicBuckets: pulumi.Bool(true),
	}, parent)
	if err != nil {
		return nil, nil, fmt.Errorf("blocking public access to the access log bucket: %w", err)
	}
	if _, err := s3.NewBucketOwnershipControls(ctx, logs, &s3.BucketOwnershipControlsArgs{
		Bucket: bucket.ID(),
		Rule:   &s3.BucketOwnershipControlsRuleArgs{ObjectOwnership: pulumi.String("BucketOwnerEnforced")},
	}, parent); err != nil {
		return nil, nil, fmt.Errorf("enforcing bucket ownership of the access log bucket: %w", err)
	}
	// ALB access logs support SSE-S3 only (not SSE-KMS).
	if _, err := s3.NewBucketServerSideEncryptionConfigurationV2(ctx, logs, &s3.BucketServerSideEncryptionConfigurationV2Args{
		Bucket: bucket.ID(),
		Rules: s3.BucketServerSideEncryptionConfigurationV2RuleArray{&s3.BucketServerSideEncryptionConfigurationV2RuleArgs{
			ApplyServerSideEncryptionByDefault: &s3.BucketServerSideEncryptionConfigurationV2RuleApplyServerSideEncryptionByDefaultArgs{
				SseAlgorithm: pulumi.String("AES256"),
			},
		}},
	}, parent); err != nil {
		return nil, nil, fmt.Errorf("encrypting the access log bucket: %w", err)
	}
	versioning, err := s3.NewBucketVersioningV2(ctx, logs, &s3.BucketVersioningV2Args{
		Bucket:                  bucket.ID(),
		VersioningConfiguration: &s3.BucketVersioningV2VersioningConfigurationArgs{Status: pulumi.String("Enabled")},
	}, parent)
	if err != nil {
		return nil, nil, fmt.Errorf("versioning the access log bucket: %w", err)
	}
	if _, err := s3.NewBucketLifecycleConfigurationV2(ctx, logs, &s3.BucketLifecycleConfigurationV2Args{
		Bucket: bucket.ID(),
		Rules: s3.BucketLifecycleConfigurationV2RuleArray{&s3.BucketLifecycleConfigurationV2RuleArgs{
			Id:         pulumi.String("expire-access-logs"),
			Status:     pulumi.String("Enabled"),
			Filter:     &s3.BucketLifecycleConfigurationV2RuleFilterArgs{Prefix: pulumi.String("")},
			Expiration: &s3.BucketLifecycleConfigurationV2RuleExpirationArgs{Days: pulumi.Int(a.AccessLogRetentionDays)},
			NoncurrentVersionExpiration: &s3.BucketLifecycleConfigurationV2RuleNoncurrentVersionExpirationArgs{
				NoncurrentDays: pulumi.Int(a.AccessLogRetentionDays),
			},
			AbortIncompleteMultipartUpload: &s3.BucketLifecycleConfigurationV2RuleAbortIncompleteMultipartUploadArgs{
				DaysAfterInitiation: pulumi.Int(7),
			},
		}},
	}, parent, pulumi.DependsOn([]pulumi.Resource{versioning})); err != nil {
		return nil, nil, fmt.Errorf("expiring access logs: %w", err)
	}
	region := a.Region
	policyDoc := pulumi.All(bucket.Arn, sg.Arn).ApplyT(func(v []any) (string, error) {
		return accessLogPolicy(region, v[0].(string), v[1].(string))
	}).(pulumi.StringOutput)
	policy, err := s3.NewBucketPolicy(ctx, logs, &s3.BucketPolicyArgs{
		Bucket: bucket.ID(),
		Policy: policyDoc,
	}, parent, pulumi.DependsOn([]pulumi.Resource{pab}))
	if err != nil {
		return nil, nil, fmt.Errorf("creating access log bucket policy: %w", err)
	}
	return bucket, policy, nil
}
