package loadbalancer

import (
	"encoding/json"
	"sync"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/acm"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scalestack/scalestack/testkit"
)

func validArgs() *Args {
	return &Args{
		VpcID:     pulumi.String("vpc-0123456789abcdef0"),
		SubnetIDs: pulumi.ToStringArray([]string{"subnet-a", "subnet-b"}),
		Region:    "us-east-1",
	}
}

func TestDefaults(t *testing.T) {
	got, err := validArgs().resolve()
	require.NoError(t, err)
	assert.Equal(t, "ELBSecurityPolicy-TLS13-1-2-2021-06", got.SSLPolicy)
	assert.Equal(t, []string{"0.0.0.0/0", "::/0"}, got.IngressCIDRs)
	assert.Equal(t, 8080, got.TargetPort)
	assert.Equal(t, "/healthz", got.HealthCheckPath)
	assert.Equal(t, 90, got.AccessLogRetentionDays)
	assert.False(t, got.DeletionProtection)
	assert.Nil(t, got.CertificateARN, "no certificate unless given")

	got.IngressCIDRs[0] = "changed"
	assert.Equal(t, "0.0.0.0/0", DefaultIngressCIDRs[0], "defaults are copied, not shared")

	a := validArgs()
	a.SSLPolicy, a.IngressCIDRs, a.TargetPort, a.HealthCheckPath, a.AccessLogRetentionDays =
		"ELBSecurityPolicy-TLS13-1-3-2021-06", []string{"198.51.100.0/24"}, 3000, "/up", 30
	got, err = a.resolve()
	require.NoError(t, err)
	assert.Equal(t, "ELBSecurityPolicy-TLS13-1-3-2021-06", got.SSLPolicy)
	assert.Equal(t, []string{"198.51.100.0/24"}, got.IngressCIDRs)
	assert.Equal(t, 3000, got.TargetPort)
	assert.Equal(t, "/up", got.HealthCheckPath)
	assert.Equal(t, 30, got.AccessLogRetentionDays)
}

func TestValidation(t *testing.T) {
	cases := []struct {
		name   string
		mutate func(*Args)
		want   []string
	}{
		{"no VPC", func(a *Args) { a.VpcID = nil }, []string{"VpcID is required"}},
		{"no subnets", func(a *Args) { a.SubnetIDs = nil }, []string{"SubnetIDs is required"}},
		{"no region", func(a *Args) { a.Region = "" }, []string{`Region ""`, "such as us-east-1"}},
		{"zone as region", func(a *Args) { a.Region = "us-east-1a" }, []string{`Region "us-east-1a"`}},
		{"SSL policy", func(a *Args) { a.SSLPolicy = "TLSv1.2" }, []string{`SSLPolicy "TLSv1.2"`, "ELBSecurityPolicy-"}},
		{"empty CIDRs", func(a *Args) { a.IngressCIDRs = []string{} }, []string{"IngressCIDRs", "want 1-20 CIDRs"}},
		{"bad CIDR", func(a *Args) { a.IngressCIDRs = []string{"10.0.0.1"} }, []string{"IngressCIDRs", `"10.0.0.1"`, "CIDR network"}},
		{"host bits", func(a *Args) { a.IngressCIDRs = []string{"10.0.0.1/8"} }, []string{"IngressCIDRs", `"10.0.0.1/8"`}},
		{"duplicate CIDR", func(a *Args) { a.IngressCIDRs = []string{"::/0", "::/0"} }, []string{"IngressCIDRs", `"::/0"`, "twice"}},
		{"port too high", func(a *Args) { a.TargetPort = 70000 }, []string{"TargetPort 70000", "want 1-65535"}},
		{"negative port", func(a *Args) { a.TargetPort = -1 }, []string{"TargetPort -1", "want 1-65535"}},
		{"relative path", func(a *Args) { a.HealthCheckPath = "healthz" }, []string{`HealthCheckPath "healthz"`, "starting with /"}},
		{"retention", func(a *Args) { a.AccessLogRetentionDays = 5000 }, []string{"AccessLogRetentionDays 5000", "want 1-3650"}},
		{"negative retention", func(a *Args) { a.AccessLogRetentionDays = -3 }, []string{"AccessLogRetentionDays -3"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := validArgs()
			c.mutate(a)
			_, err := a.resolve()
			require.Error(t, err)
			for _, w := range c.want {
				assert.Contains(t, err.Error(), w)
			}
		})
	}
	var nilArgs *Args
	_, err := nilArgs.resolve()
	assert.ErrorContains(t, err, "args are required")
}

func TestAccessLogPolicyPrincipalPerRegion(t *testing.T) {
	sgARN := "arn:aws:ec2:us-east-1:111122223333:security-group/sg-1"
	doc, err := accessLogPolicy("us-east-1", "arn:aws:s3:::logs", sgARN)
	require.NoError(t, err)
	var p struct {
		Statement []struct {
			Sid       string
			Effect    string
			Principal any
			Action    any
			Resource  any
			Condition map[string]map[string]string
		}
	}
	require.NoError(t, json.Unmarshal([]byte(doc), &p))
	require.Len(t, p.Statement, 2)
	assert.Equal(t, map[string]any{"AWS": "arn:aws:iam::127311923021:root"}, p.Statement[0].Principal)
	assert.Equal(t, "s3:PutObject", p.Statement[0].Action)
	assert.Equal(t, "arn:aws:s3:::logs/AWSLogs/111122223333/*", p.Statement[0].Resource, "only this account's log prefix")
	assert.Equal(t, "Deny", p.Statement[1].Effect)
	assert.Equal(t, "false", p.Statement[1].Condition["Bool"]["aws:SecureTransport"])

	doc, err = accessLogPolicy("eu-west-1", "arn:aws:s3:::logs", sgARN)
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal([]byte(doc), &p))
	assert.Equal(t, map[string]any{"AWS": "arn:aws:iam::156460612806:root"}, p.Statement[0].Principal)

	doc, err = accessLogPolicy("us-gov-west-1", "arn:aws-us-gov:s3:::logs", sgARN)
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal([]byte(doc), &p))
	assert.Equal(t, map[string]any{"AWS": "arn:aws-us-gov:iam::048591011584:root"}, p.Statement[0].Principal)

	// Regions opened since August 2022 have no ELB account: the log delivery service writes.
	doc, err = accessLogPolicy("ap-southeast-4", "arn:aws:s3:::logs", sgARN)
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal([]byte(doc), &p))
	assert.Equal(t, map[string]any{"Service": "logdelivery.elasticloadbalancing.amazonaws.com"}, p.Statement[0].Principal)

	_, err = accessLogPolicy("us-east-1", "arn:aws:s3:::logs", "sg-1")
	assert.ErrorContains(t, err, `cannot tell the account from security group ARN "sg-1"`)
}

// recordingLog keeps the warnings a program logs (the mock engine drops them).
type recordingLog struct {
	pulumi.Log
	mu    sync.Mutex
	warns []string
}

func (l *recordingLog) Warn(msg string, args *pulumi.LogArgs) error {
	l.mu.Lock()
	l.warns = append(l.warns, msg)
	l.mu.Unlock()
	return l.Log.Warn(msg, args)
}

// run places a load balancer in region through an explicit provider. With withCert, it is
// given an ACM certificate's ARN (an output, as the stacks wire it).
func run(t *testing.T, region string, withCert bool, mutate func(*Args)) (*testkit.Plan, []string) {
	t.Helper()
	log := &recordingLog{}
	plan, err := testkit.RunExports(func(ctx *pulumi.Context) (pulumi.Map, error) {
		log.Log = ctx.Log
		ctx.Log = log
		p, err := aws.NewProvider(ctx, "aws-"+region, &aws.ProviderArgs{Region: pulumi.String(region)})
		if err != nil {
			return nil, err
		}
		vpc, err := ec2.NewVpc(ctx, "vpc", &ec2.VpcArgs{CidrBlock: pulumi.String("10.0.0.0/16")}, pulumi.Provider(p))
		if err != nil {
			return nil, err
		}
		args := &Args{
			VpcID:     vpc.ID(),
			SubnetIDs: pulumi.StringArray{pulumi.String("subnet-a"), pulumi.String("subnet-b")},
			Region:    region,
		}
		if withCert {
			cert, err := acm.NewCertificate(ctx, "cert", &acm.CertificateArgs{
				DomainName: pulumi.String("app.example.com"), ValidationMethod: pulumi.String("DNS"),
			}, pulumi.Provider(p))
			if err != nil {
				return nil, err
			}
			args.CertificateARN = cert.Arn
		}
		if mutate != nil {
			mutate(args)
		}
		c, err := New(ctx, "web", args, pulumi.Provider(p))
		if err != nil {
			return nil, err
		}
		return pulumi.Map{
			"arn": c.LoadBalancerARN, "arnSuffix": c.ARNSuffix, "dns": c.DNSName, "zone": c.ZoneID,
			"sg": c.SecurityGroupID, "tg": c.TargetGroupARN, "tgSuffix": c.TargetGroupARNSuffix,
			"https": c.HTTPSListenerARN, "bucket": c.AccessLogBucket,
		}, nil
	})
	require.NoError(t, err)
	return plan, log.warns
}

const (
	typeLB       = "aws:lb/loadBalancer:LoadBalancer"
	typeTG       = "aws:lb/targetGroup:TargetGroup"
	typeListener = "aws:lb/listener:Listener"
	typeSG       = "aws:ec2/securityGroup:SecurityGroup"
	typeIngress  = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
	typeBucket   = "aws:s3/bucketV2:BucketV2"
	typePolicy   = "aws:s3/bucketPolicy:BucketPolicy"
)

func TestCountsHTTPSAndPlainHTTP(t *testing.T) {
	plan, warns := run(t, "us-east-1", true, nil)
	assert.Empty(t, warns)
	comp := plan.Find(TypeToken, "web")
	require.NotNil(t, comp)
	counts := map[string]int{}
	for _, r := range plan.Descendants(comp.URN) {
		counts[r.Type]++
	}
	assert.Equal(t, map[string]int{
		typeSG:      1,
		typeIngress: 4, // 80 and 443, each from 0.0.0.0/0 and ::/0
		typeBucket:  1,
		"aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock":                                     1,
		"aws:s3/bucketOwnershipControls:BucketOwnershipControls":                                     1,
		"aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2": 1,
		"aws:s3/bucketVersioningV2:BucketVersioningV2":                                               1,
		"aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2":                       1,
		typePolicy:   1,
		typeLB:       1,
		typeTG:       1,
		typeListener: 2,
	}, counts)

	plain, warns := run(t, "us-east-1", false, nil)
	comp = plain.Find(TypeToken, "web")
	counts = map[string]int{}
	for _, r := range plain.Descendants(comp.URN) {
		counts[r.Type]++
	}
	assert.Equal(t, 1, counts[typeListener], "plain-HTTP mode has one listener")
	assert.Equal(t, 2, counts[typeIngress], "plain-HTTP mode opens port 80 only")
	assert.Equal(t, []string{PlainHTTPWarning("web")}, warns, "plain-HTTP mode is said loudly")
	assert.Contains(t, warns[0], "development only")
}

func TestEveryChildIsParentedAndPlacedByTheProvider(t *testing.T) {
	plan, _ := run(t, "eu-west-1", true, nil)
	comp := plan.Find(TypeToken, "web")
	provider := plan.Find("pulumi:providers:aws", "aws-eu-west-1")
	require.NotNil(t, comp)
	require.NotNil(t, provider)
	children := plan.Children(comp.URN)
	assert.Len(t, children, 16)
	assert.Len(t, plan.Descendants(comp.URN), 16, "no grandchildren")
	for _, c := range children {
		assert.Equal(t, provider.URN, c.Provider, c.URN)
		assert.Equal(t, "eu-west-1", c.Region(), c.URN)
	}
}

func TestHTTPSListenerUsesTheCertificateAndTLS13Policy(t *testing.T) {
	plan, _ := run(t, "us-east-1", true, nil)
	cert := plan.Find("aws:acm/certificate:Certificate", "cert")
	alb := plan.Find(typeLB, "web")
	tg := plan.Find(typeTG, "web")
	l := plan.Find(typeListener, "web-https")
	require.NotNil(t, l)
	assert.True(t, l.InputFrom("certificateArn", cert))
	assert.Equal(t, cert.ID, l.InputString("certificateArn"))
	assert.Equal(t, "ELBSecurityPolicy-TLS13-1-2-2021-06", l.InputString("sslPolicy"))
	assert.Equal(t, "HTTPS", l.InputString("protocol"))
	assert.EqualValues(t, 443, l.Input("port"))
	assert.True(t, l.InputFrom("loadBalancerArn", alb))
	assert.True(t, l.InputFrom("defaultActions", tg))
	assert.Equal(t, []any{map[string]any{"type": "forward", "targetGroupArn": tg.ID}}, l.Input("defaultActions"))
	assert.Equal(t, l.ID, plan.Outputs["https"])
}

func TestHTTPListenerOnlyRedirects(t *testing.T) {
	plan, _ := run(t, "us-east-1", true, nil)
	l := plan.Find(typeListener, "web-http")
	require.NotNil(t, l)
	assert.Equal(t, "HTTP", l.InputString("protocol"))
	assert.EqualValues(t, 80, l.Input("port"))
	assert.Equal(t, []any{map[string]any{
		"type":     "redirect",
		"redirect": map[string]any{"protocol": "HTTPS", "port": "443", "statusCode": "HTTP_301"},
	}}, l.Input("defaultActions"), "one action, a permanent redirect to HTTPS")
	assert.False(t, l.InputFrom("defaultActions", plan.Find(typeTG, "web")), "the redirect listener forwards nowhere")
	assert.Empty(t, l.InputString("certificateArn"))
}

func TestPlainHTTPModeForwards(t *testing.T) {
	plan, _ := run(t, "us-east-1", false, nil)
	assert.Nil(t, plan.Find(typeListener, "web-https"))
	l := plan.Find(typeListener, "web-http")
	tg := plan.Find(typeTG, "web")
	require.NotNil(t, l)
	assert.Equal(t, []any{map[string]any{"type": "forward", "targetGroupArn": tg.ID}}, l.Input("defaultActions"))
	assert.Equal(t, "", plan.Outputs["https"], "no HTTPS listener ARN in plain-HTTP mode")
	for _, r := range plan.ByType(typeIngress) {
		assert.EqualValues(t, 80, r.Input("fromPort"), r.Name)
	}
}

func TestSecurityGroupAdmitsOnlyWebPortsFromIngressCIDRs(t *testing.T) {
	plan, _ := run(t, "us-east-1", true, func(a *Args) { a.IngressCIDRs = []string{"198.51.100.0/24", "2001:db8::/32"} })
	sg := plan.Find(typeSG, "web")
	vpc := plan.Find("aws:ec2/vpc:Vpc", "vpc")
	require.NotNil(t, sg)
	assert.True(t, sg.InputFrom("vpcId", vpc))
	assert.Empty(t, sg.Input("ingress"), "no inline rules")
	assert.Empty(t, sg.Input("egress"), "no egress: the targets' component adds the one it needs")
	type rule struct {
		Port         float64
		CIDR4, CIDR6 string
	}
	var got []rule
	for _, r := range plan.ByType(typeIngress) {
		assert.True(t, r.InputFrom("securityGroupId", sg), r.Name)
		assert.Equal(t, "tcp", r.InputString("ipProtocol"))
		assert.Equal(t, r.Input("fromPort"), r.Input("toPort"), "one port per rule")
		got = append(got, rule{r.Input("fromPort").(float64), r.InputString("cidrIpv4"), r.InputString("cidrIpv6")})
	}
	assert.ElementsMatch(t, []rule{
		{80, "198.51.100.0/24", ""}, {80, "", "2001:db8::/32"},
		{443, "198.51.100.0/24", ""}, {443, "", "2001:db8::/32"},
	}, got)
	assert.NotNil(t, plan.Find(typeIngress, "web-https-2001_db8__-32"), "rules are keyed by port and CIDR")
	assert.Empty(t, plan.ByType("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"))
}

func TestLoadBalancerAndTargetGroup(t *testing.T) {
	plan, _ := run(t, "us-east-1", true, func(a *Args) {
		a.DeletionProtection, a.TargetPort, a.HealthCheckPath = true, 9000, "/ready"
	})
	alb := plan.Find(typeLB, "web")
	sg := plan.Find(typeSG, "web")
	bucket := plan.Find(typeBucket, "web-access-logs")
	policy := plan.Find(typePolicy, "web-access-logs")
	vpc := plan.Find("aws:ec2/vpc:Vpc", "vpc")
	require.NotNil(t, alb)
	assert.Equal(t, "application", alb.InputString("loadBalancerType"))
	assert.Equal(t, false, alb.Input("internal"))
	assert.Equal(t, true, alb.Input("dropInvalidHeaderFields"))
	assert.Equal(t, true, alb.Input("enableDeletionProtection"))
	assert.Equal(t, []any{"subnet-a", "subnet-b"}, alb.Input("subnets"))
	assert.True(t, alb.InputFrom("securityGroups", sg))
	assert.True(t, alb.InputFrom("accessLogs", bucket))
	assert.Equal(t, bucket.ID, alb.InputString("accessLogs.bucket"))
	assert.Equal(t, true, alb.Input("accessLogs.enabled"))
	assert.True(t, alb.DependsOn(policy), "logging is enabled only after ELB may write to the bucket")
	assert.Equal(t, false, bucket.Input("forceDestroy"), "with deletion protection, a bucket holding logs is kept")

	tg := plan.Find(typeTG, "web")
	require.NotNil(t, tg)
	assert.True(t, tg.InputFrom("vpcId", vpc))
	assert.Equal(t, "HTTP", tg.InputString("protocol"))
	assert.EqualValues(t, 9000, tg.Input("port"))
	assert.Equal(t, "instance", tg.InputString("targetType"))
	assert.Equal(t, map[string]any{
		"enabled": true, "protocol": "HTTP", "port": "traffic-port", "path": "/ready", "matcher": "200",
		"interval": 15.0, "timeout": 5.0, "healthyThreshold": 2.0, "unhealthyThreshold": 3.0,
	}, tg.Input("healthCheck"))

	assert.Equal(t, alb.ID, plan.Outputs["arn"])
	assert.Equal(t, alb.Output("arnSuffix"), plan.Outputs["arnSuffix"])
	assert.Equal(t, alb.Output("dnsName"), plan.Outputs["dns"])
	assert.Equal(t, alb.Output("zoneId"), plan.Outputs["zone"])
	assert.Equal(t, sg.ID, plan.Outputs["sg"])
	assert.Equal(t, tg.ID, plan.Outputs["tg"])
	assert.Equal(t, tg.Output("arnSuffix"), plan.Outputs["tgSuffix"])
	assert.Equal(t, bucket.ID, plan.Outputs["bucket"])
}

func TestAccessLogBucketIsPrivateEncryptedVersionedAndExpiring(t *testing.T) {
	plan, _ := run(t, "eu-central-1", true, func(a *Args) { a.AccessLogRetentionDays = 30 })
	bucket := plan.Find(typeBucket, "web-access-logs")
	require.NotNil(t, bucket)
	assert.Equal(t, true, bucket.Input("forceDestroy"), "without deletion protection, the logs go with the stack")
	find := func(typ string) *testkit.Resource {
		r := plan.Find(typ, "web-access-logs")
		require.NotNil(t, r, typ)
		assert.True(t, r.InputFrom("bucket", bucket), typ)
		return r
	}
	pab := find("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock")
	for _, k := range []string{"blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"} {
		assert.Equal(t, true, pab.Input(k), k)
	}
	assert.Equal(t, "BucketOwnerEnforced", find("aws:s3/bucketOwnershipControls:BucketOwnershipControls").InputString("rule.objectOwnership"))
	assert.Equal(t, "AES256", find("aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2").
		InputString("rules.0.applyServerSideEncryptionByDefault.sseAlgorithm"))
	assert.Equal(t, "Enabled", find("aws:s3/bucketVersioningV2:BucketVersioningV2").InputString("versioningConfiguration.status"))
	lc := find("aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2")
	assert.Equal(t, "Enabled", lc.InputString("rules.0.status"))
	assert.EqualValues(t, 30, lc.Input("rules.0.expiration.days"))
	assert.EqualValues(t, 30, lc.Input("rules.0.noncurrentVersionExpiration.noncurrentDays"))

	policy := find(typePolicy)
	assert.True(t, policy.InputFrom("policy", plan.Find(typeSG, "web")), "the log prefix names the load balancer's account")
	assert.True(t, policy.DependsOn(pab))
	var doc struct {
		Statement []struct {
			Principal any
			Resource  any
		}
	}
	require.NoError(t, json.Unmarshal([]byte(policy.InputString("policy")), &doc))
	assert.Equal(t, map[string]any{"AWS": "arn:aws:iam::054676820928:root"}, doc.Statement[0].Principal, "eu-central-1's ELB account")
	assert.Equal(t, "arn:aws:s3:::"+bucket.ID+"/AWSLogs/123456789012/*", doc.Statement[0].Resource)
}

func TestURNsStableWhenCertificateAndRangesAreAdded(t *testing.T) {
	before, _ := run(t, "us-east-1", false, nil)
	after, _ := run(t, "us-east-1", true, func(a *Args) { a.IngressCIDRs = append(a.IngressCIDRs, "0.0.0.0/0", "::/0", "192.0.2.0/24") })
	assert.Empty(t, testkit.MissingURNs(before, after), "adding TLS and a range keeps every resource (the HTTP listener changes in place)")
}

func TestInvalidArgsRegisterNothing(t *testing.T) {
	var created int
	_, err := testkit.Run(func(ctx *pulumi.Context) error {
		a := validArgs()
		a.TargetPort = 0
		a.HealthCheckPath = "nope"
		_, err := New(ctx, "web", a)
		return err
	}, testkit.OnNewResource(func(*testkit.Resource) error { created++; return nil }))
	require.Error(t, err)
	assert.Contains(t, err.Error(), `load balancer "web": HealthCheckPath "nope"`)
	assert.Zero(t, created)
}

// TestManagedPrefixListsWeighTheirMaxEntriesSoEachHasItsOwnGroup: a security group rule that
// references a managed prefix list counts as the list's maximum entries against the group's
// rules quota (CloudFront's origin-facing list: 55 of the default 60; VPC user guide,
// "AWS-managed prefix lists"), and an ALB takes at most 5 security groups. So each list gets
// a group of its own, at most 4 lists, and no CIDR is admitted by default once lists are given.
func TestManagedPrefixListsWeighTheirMaxEntriesSoEachHasItsOwnGroup(t *testing.T) {
	a := validArgs()
	a.IngressPrefixLists = []string{CloudFrontOriginFacingPrefixList, Route53HealthCheckPrefixList("us-east-1")}
	got, err := a.resolve()
	require.NoError(t, err)
	assert.Empty(t, got.IngressCIDRs, "prefix lists replace the internet")
	assert.Equal(t, "cloudfront-origin-facing", prefixListKey(CloudFrontOriginFacingPrefixList))
	assert.Equal(t, "route53-healthchecks", prefixListKey("com.amazonaws.us-east-1.route53-healthchecks"))

	for name, c := range map[string]struct {
		mutate func(*Args)
		want   string
	}{
		"bad name": {func(a *Args) { a.IngressPrefixLists = []string{"cloudfront"} }, `IngressPrefixLists: "cloudfront" is not allowed`},
		"five": {func(a *Args) {
			a.IngressPrefixLists = []string{"com.amazonaws.global.a", "com.amazonaws.global.b", "com.amazonaws.global.c", "com.amazonaws.global.d", "com.amazonaws.global.e"}
		}, "IngressPrefixLists has 5 names, which is not allowed: want at most 4"},
		"twice": {func(a *Args) {
			a.IngressPrefixLists = []string{CloudFrontOriginFacingPrefixList, CloudFrontOriginFacingPrefixList}
		}, "is listed twice"},
		"header without TLS": {func(a *Args) {
			a.RequiredHeader = &Header{Name: "X-Origin-Verify", Value: pulumi.String("abc")}
		}, "RequiredHeader is not allowed without CertificateARN"},
		"header name": {func(a *Args) {
			a.CertificateARN = pulumi.String("arn:aws:acm:us-east-1:123456789012:certificate/x")
			a.RequiredHeader = &Header{Name: "X Origin", Value: pulumi.String("abc")}
		}, `RequiredHeader.Name "X Origin" is not allowed`},
		"header value": {func(a *Args) {
			a.CertificateARN = pulumi.String("arn:aws:acm:us-east-1:123456789012:certificate/x")
			a.RequiredHeader = &Header{Name: "X-Origin-Verify"}
		}, "RequiredHeader.Value is required"},
	} {
		a := validArgs()
		c.mutate(a)
		_, err := a.resolve()
		require.Error(t, err, name)
		assert.Contains(t, err.Error(), c.want, name)
	}
}
