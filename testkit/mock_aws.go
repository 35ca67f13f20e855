package testkit

import (
	"fmt"
	"hash/fnv"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// FakeAWSAccountID is the account every mocked AWS ARN belongs to.
const FakeAWSAccountID = "123456789012"

func init() {
	cloudMocks["aws"] = awsMock
	cloudCalls["aws"] = awsCall
}

// shortHash gives a stable 32-character hex string for mocked identifiers.
func shortHash(parts ...string) string {
	h := fnv.New128a()
	for _, p := range parts {
		_, _ = h.Write([]byte(p))
		_, _ = h.Write([]byte{0})
	}
	return fmt.Sprintf("%032x", h.Sum(nil))
}

// awsMock shapes ids and computed attributes the way AWS does, so programs that build ARNs,
// DNS names or JSON policies from outputs see realistic values.
func awsMock(r *Resource, region string) (string, map[string]any) {
	if region == "" {
		region = "us-east-1"
	}
	mod, typ := awsTypeParts(r.Type)
	h := shortHash(r.URN)
	name := r.Name
	if s, ok := r.Input("name").(string); ok && s != "" {
		name = s
	}
	out := map[string]any{}
	arn := fmt.Sprintf("arn:aws:%s:%s:%s:%s/%s", mod, region, FakeAWSAccountID, typ, name)
	id := name
	switch r.Type {
	case "aws:ec2/vpc:Vpc":
		id = "vpc-" + h[:17]
		out["defaultSecurityGroupId"] = "sg-" + shortHash(r.URN, "default")[:17]
		out["defaultRouteTableId"] = "rtb-" + shortHash(r.URN, "rtb")[:17]
		out["defaultNetworkAclId"] = "acl-" + shortHash(r.URN, "acl")[:17]
		out["mainRouteTableId"] = "rtb-" + shortHash(r.URN, "main")[:17]
	case "aws:ec2/subnet:Subnet":
		id = "subnet-" + h[:17]
	case "aws:ec2/securityGroup:SecurityGroup":
		id = "sg-" + h[:17]
	case "aws:ec2/internetGateway:InternetGateway":
		id = "igw-" + h[:17]
	case "aws:ec2/natGateway:NatGateway":
		id = "nat-" + h[:17]
		out["publicIp"] = "203.0.113." + fmt.Sprint(int(h[0])%200+10)
	case "aws:ec2/eip:Eip":
		id = "eipalloc-" + h[:17]
		out["allocationId"] = id
		out["publicIp"] = "198.51.100." + fmt.Sprint(int(h[1])%200+10)
	case "aws:ec2/routeTable:RouteTable":
		id = "rtb-" + h[:17]
	case "aws:ec2/launchTemplate:LaunchTemplate":
		id = "lt-" + h[:17]
		out["latestVersion"] = 1
		out["defaultVersion"] = 1
	case "aws:ec2/flowLog:FlowLog":
		id = "fl-" + h[:17]
	case "aws:ec2/vpcEndpoint:VpcEndpoint":
		id = "vpce-" + h[:17]
	case "aws:kms/key:Key":
		id = fmt.Sprintf("%s-%s-%s-%s-%s", h[:8], h[8:12], h[12:16], shortHash(r.URN, "k")[:4], shortHash(r.URN, "k")[4:16])
		arn = fmt.Sprintf("arn:aws:kms:%s:%s:key/%s", region, FakeAWSAccountID, id)
		out["keyId"] = id
	case "aws:kms/alias:Alias":
		arn = fmt.Sprintf("arn:aws:kms:%s:%s:%s", region, FakeAWSAccountID, name)
	case "aws:s3/bucketV2:BucketV2", "aws:s3/bucket:Bucket":
		if s, ok := r.Input("bucket").(string); ok && s != "" {
			name = s
		} else {
			name = strings.ToLower(r.Name) + "-" + h[:7]
		}
		id = name
		arn = "arn:aws:s3:::" + name
		out["bucket"] = name
		out["bucketDomainName"] = name + ".s3.amazonaws.com"
		out["bucketRegionalDomainName"] = fmt.Sprintf("%s.s3.%s.amazonaws.com", name, region)
		out["region"] = region
	case "aws:lb/loadBalancer:LoadBalancer", "aws:alb/loadBalancer:LoadBalancer":
		arn = fmt.Sprintf("arn:aws:elasticloadbalancing:%s:%s:loadbalancer/app/%s/%s", region, FakeAWSAccountID, trunc(name, 32), h[:16])
		id = arn
		out["dnsName"] = fmt.Sprintf("%s-%s.%s.elb.amazonaws.com", trunc(name, 32), h[:10], region)
		out["zoneId"] = "Z35SXDOTRQ7X7K"
		out["arnSuffix"] = fmt.Sprintf("app/%s/%s", trunc(name, 32), h[:16])
	case "aws:lb/targetGroup:TargetGroup", "aws:alb/targetGroup:TargetGroup":
		arn = fmt.Sprintf("arn:aws:elasticloadbalancing:%s:%s:targetgroup/%s/%s", region, FakeAWSAccountID, trunc(name, 32), h[:16])
		id = arn
		out["arnSuffix"] = fmt.Sprintf("targetgroup/%s/%s", trunc(name, 32), h[:16])
	case "aws:lb/listener:Listener", "aws:alb/listener:Listener":
		arn = fmt.Sprintf("arn:aws:elasticloadbalancing:%s:%s:listener/app/%s/%s", region, FakeAWSAccountID, trunc(name, 32), h[:16])
		id = arn
	case "aws:autoscaling/group:Group":
		arn = fmt.Sprintf("arn:aws:autoscaling:%s:%s:autoScalingGroup:%s:autoScalingGroupName/%s", region, FakeAWSAccountID, h[:8], name)
		out["name"] = name
	case "aws:rds/instance:Instance":
		ident := r.Name
		if s, ok := r.Input("identifier").(string); ok && s != "" {
			ident = s
		}
		id = ident
		arn = fmt.Sprintf("arn:aws:rds:%s:%s:db:%s", region, FakeAWSAccountID, ident)
		host := fmt.Sprintf("%s.c%s.%s.rds.amazonaws.com", ident, h[:10], region)
		out["address"] = host
		out["endpoint"] = host + ":5432"
		out["port"] = 5432
		out["identifier"] = ident
		out["resourceId"] = "db-" + strings.ToUpper(h[:26])
		// RDS encrypts the managed secret with masterUserSecretKmsKeyId when one is given,
		// else with the account's aws/secretsmanager key.
		secretKey := fmt.Sprintf("arn:aws:kms:%s:%s:key/%s", region, FakeAWSAccountID, h)
		if k, ok := r.Input("masterUserSecretKmsKeyId").(string); ok && k != "" {
			secretKey = k
		}
		out["masterUserSecrets"] = []any{map[string]any{
			"kmsKeyId":     secretKey,
			"secretArn":    fmt.Sprintf("arn:aws:secretsmanager:%s:%s:secret:rds!db-%s", region, FakeAWSAccountID, h),
			"secretStatus": "active",
		}}
	case "aws:rds/subnetGroup:SubnetGroup", "aws:rds/parameterGroup:ParameterGroup":
		id = strings.ToLower(name)
		out["name"] = id
	case "aws:route53/zone:Zone":
		id = "Z" + strings.ToUpper(h[:13])
		out["zoneId"] = id
		out["nameServers"] = []any{"ns-1.awsdns-01.org", "ns-2.awsdns-02.co.uk", "ns-3.awsdns-03.com", "ns-4.awsdns-04.net"}
	case "aws:route53/healthCheck:HealthCheck":
		id = fmt.Sprintf("%s-%s-%s-%s", h[:8], h[8:12], h[12:16], shortHash(r.URN, "hc")[:12])
	case "aws:route53/record:Record":
		id = fmt.Sprintf("%v_%v_%v", r.Input("zoneId"), r.Input("name"), r.Input("type"))
		out["fqdn"] = r.Input("name")
	case "aws:acm/certificate:Certificate":
		arn = fmt.Sprintf("arn:aws:acm:%s:%s:certificate/%s", region, FakeAWSAccountID, h)
		id = arn
		// One option per name (domainName, then subjectAlternativeNames); a wildcard and its
		// base name share one record, and the record depends only on the account and the
		// name (not the region or the certificate), as ACM answers.
		domain, _ := r.Input("domainName").(string)
		names := []any{domain}
		if sans, ok := r.Input("subjectAlternativeNames").([]any); ok {
			names = append(names, sans...)
		}
		var opts []any
		for _, n := range names {
			name, _ := n.(string)
			base := strings.TrimPrefix(name, "*.")
			nh := shortHash(FakeAWSAccountID, base)
			opts = append(opts, map[string]any{
				"domainName":          name,
				"resourceRecordName":  "_" + nh[:12] + "." + base + ".",
				"resourceRecordType":  "CNAME",
				"resourceRecordValue": "_" + nh[12:] + ".acm-validations.aws.",
			})
		}
		out["domainValidationOptions"] = opts
	case "aws:acm/certificateValidation:CertificateValidation":
		id = fmt.Sprint(r.Input("certificateArn"))
	case "aws:cloudfront/distribution:Distribution":
		id = "E" + strings.ToUpper(h[:13])
		arn = fmt.Sprintf("arn:aws:cloudfront::%s:distribution/%s", FakeAWSAccountID, id)
		out["domainName"] = "d" + h[:13] + ".cloudfront.net"
		out["hostedZoneId"] = "Z2FDTNDATAQYW2"
	case "aws:cloudfront/originAccessControl:OriginAccessControl", "aws:cloudfront/cachePolicy:CachePolicy",
		"aws:cloudfront/originRequestPolicy:OriginRequestPolicy", "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy":
		id = "E" + strings.ToUpper(h[:13])
	case "aws:wafv2/webAcl:WebAcl":
		id = fmt.Sprintf("%s-%s-%s-%s-%s", h[:8], h[8:12], h[12:16], h[16:20], h[20:32])
		scope := "regional"
		if r.Input("scope") == "CLOUDFRONT" {
			scope = "global"
		}
		arn = fmt.Sprintf("arn:aws:wafv2:%s:%s:%s/webacl/%s/%s", region, FakeAWSAccountID, scope, name, id)
		out["capacity"] = 1000
	case "aws:sns/topic:Topic":
		arn = fmt.Sprintf("arn:aws:sns:%s:%s:%s", region, FakeAWSAccountID, name)
		id = arn
	case "aws:sns/topicSubscription:TopicSubscription":
		arn = fmt.Sprintf("%v:%s", r.Input("topic"), h[:8])
		id = arn
	case "aws:cloudwatch/metricAlarm:MetricAlarm":
		arn = fmt.Sprintf("arn:aws:cloudwatch:%s:%s:alarm:%s", region, FakeAWSAccountID, name)
	case "aws:cloudwatch/logGroup:LogGroup":
		arn = fmt.Sprintf("arn:aws:logs:%s:%s:log-group:%s", region, FakeAWSAccountID, name)
		out["name"] = name
	case "aws:iam/role:Role":
		arn = fmt.Sprintf("arn:aws:iam::%s:role/%s", FakeAWSAccountID, name)
		out["name"] = name
		out["uniqueId"] = "AROA" + strings.ToUpper(h)
	case "aws:iam/policy:Policy":
		arn = fmt.Sprintf("arn:aws:iam::%s:policy/%s", FakeAWSAccountID, name)
	case "aws:iam/instanceProfile:InstanceProfile":
		arn = fmt.Sprintf("arn:aws:iam::%s:instance-profile/%s", FakeAWSAccountID, name)
	case "aws:backup/vault:Vault":
		arn = fmt.Sprintf("arn:aws:backup:%s:%s:backup-vault:%s", region, FakeAWSAccountID, name)
		out["name"] = name
	case "aws:backup/plan:Plan":
		id = fmt.Sprintf("%s-%s-%s-%s", h[:8], h[8:12], h[12:16], shortHash(r.URN, "p")[:12])
		arn = fmt.Sprintf("arn:aws:backup:%s:%s:backup-plan:%s", region, FakeAWSAccountID, id)
	case "aws:ssm/parameter:Parameter":
		arn = fmt.Sprintf("arn:aws:ssm:%s:%s:parameter/%s", region, FakeAWSAccountID, strings.TrimPrefix(name, "/"))
		out["name"] = name
		out["version"] = 1
	case "aws:lb/listenerRule:ListenerRule", "aws:alb/listenerRule:ListenerRule":
		arn = fmt.Sprintf("arn:aws:elasticloadbalancing:%s:%s:listener-rule/app/%s/%s", region, FakeAWSAccountID, trunc(name, 32), h[:16])
		id = arn
	case "aws:backup/selection:Selection":
		id = h[:20]
	case "aws:elasticache/replicationGroup:ReplicationGroup":
		// Pulumi auto-names the group "<name>-<random>"; AWS keeps the id lowercase.
		ident := strings.ToLower(r.Name) + "-" + h[:7]
		if s, ok := r.Input("replicationGroupId").(string); ok && s != "" {
			ident = strings.ToLower(s)
		}
		id = ident
		arn = fmt.Sprintf("arn:aws:elasticache:%s:%s:replicationgroup:%s", region, FakeAWSAccountID, ident)
		out["replicationGroupId"] = ident
		out["primaryEndpointAddress"] = fmt.Sprintf("master.%s.%s.%s.cache.amazonaws.com", ident, h[:6], shortRegion(region))
		out["readerEndpointAddress"] = fmt.Sprintf("replica.%s.%s.%s.cache.amazonaws.com", ident, h[:6], shortRegion(region))
		if _, ok := r.Inputs["port"]; !ok {
			out["port"] = 6379
		}
	case "aws:elasticache/subnetGroup:SubnetGroup", "aws:elasticache/parameterGroup:ParameterGroup":
		id = strings.ToLower(name)
		out["name"] = id
		arn = fmt.Sprintf("arn:aws:elasticache:%s:%s:%s:%s", region, FakeAWSAccountID, typ, id)
	case "aws:secretsmanager/secret:Secret":
		arn = fmt.Sprintf("arn:aws:secretsmanager:%s:%s:secret:%s-%s", region, FakeAWSAccountID, name, h[:6])
		id = arn
	case "aws:secretsmanager/secretVersion:SecretVersion":
		id = fmt.Sprintf("%v|%s", r.Input("secretId"), h[:8])
		out["versionId"] = h[:8]
	case "aws:sqs/queue:Queue":
		// The logical name stands for the auto-name, as for the other types here.
		qname := name
		if r.Input("fifoQueue") == true && !strings.HasSuffix(qname, ".fifo") {
			qname += ".fifo"
		}
		arn = fmt.Sprintf("arn:aws:sqs:%s:%s:%s", region, FakeAWSAccountID, qname)
		id = fmt.Sprintf("https://sqs.%s.amazonaws.com/%s/%s", region, FakeAWSAccountID, qname)
		out["url"] = id
		out["name"] = qname
	}
	out["arn"] = arn
	if _, ok := out["id"]; !ok {
		out["id"] = id
	}
	if _, ok := r.Inputs["tags"]; ok {
		out["tagsAll"] = r.Input("tags")
	}
	return id, out
}

func awsTypeParts(typ string) (module, kind string) {
	// "aws:ec2/vpc:Vpc" -> ("ec2", "vpc")
	parts := strings.Split(typ, ":")
	if len(parts) != 3 {
		return "aws", strings.ToLower(typ)
	}
	mod, kind, _ := strings.Cut(parts[1], "/")
	return mod, strings.ToLower(kind)
}

// shortRegion abbreviates a region the way ElastiCache endpoints do ("us-east-1" → "use1").
func shortRegion(region string) string {
	p := strings.Split(region, "-")
	if len(p) != 3 {
		return region
	}
	dir := p[1]
	switch dir {
	case "east", "west", "north", "south", "central":
		dir = dir[:1]
	case "northeast", "southeast", "northwest", "southwest":
		dir = dir[:1] + dir[5:6]
	}
	return p[0] + dir + p[2]
}

func trunc(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// availabilityZoneLetters are the zones an account gets by default (opt-in-not-required) in
// regions whose letters are not simply a, b, c: AWS names zones per account, and these
// regions famously lack a "b" or a "c".
var availabilityZoneLetters = map[string][]string{
	"ap-northeast-1": {"a", "c", "d"},
	"ca-central-1":   {"a", "b", "d"},
	"us-east-1":      {"a", "b", "c", "d", "e", "f"},
	"us-west-1":      {"a", "c"},
}

func awsCall(token string, args resource.PropertyMap, region string) (map[string]any, bool) {
	if region == "" {
		region = "us-east-1"
	}
	switch token {
	case "aws:index/getCallerIdentity:getCallerIdentity":
		return map[string]any{"accountId": FakeAWSAccountID, "arn": "arn:aws:iam::" + FakeAWSAccountID + ":user/test", "userId": "AIDATEST"}, true
	case "aws:index/getRegion:getRegion":
		return map[string]any{"name": region, "id": region}, true
	case "aws:index/getAvailabilityZones:getAvailabilityZones":
		letters, ok := availabilityZoneLetters[region]
		if !ok {
			letters = []string{"a", "b", "c"}
		}
		var names, ids []any
		for i, l := range letters {
			names = append(names, region+l)
			ids = append(ids, fmt.Sprintf("%s-az%d", shortHash(region)[:4], i+1))
		}
		return map[string]any{"id": region, "names": names, "zoneIds": ids, "groupNames": []any{region}}, true
	case "aws:ec2/getManagedPrefixList:getManagedPrefixList":
		name, _ := args.Mappable()["name"].(string)
		id := "pl-" + shortHash(region, name)[:17]
		// CloudFront's origin-facing list is sized (and weighs against security group
		// quotas) at 55 entries; the Route 53 health checker lists are smaller.
		maxEntries := 25
		if strings.Contains(name, "cloudfront") {
			maxEntries = 55
		}
		return map[string]any{
			"id": id, "name": name, "addressFamily": "IPv4", "maxEntries": maxEntries, "ownerId": "AWS",
			"arn":     fmt.Sprintf("arn:aws:ec2:%s:aws:prefix-list/%s", region, id),
			"entries": []any{}, "version": 1,
		}, true
	case "aws:index/getPartition:getPartition":
		return map[string]any{"partition": "aws", "dnsSuffix": "amazonaws.com"}, true
	}
	return nil, false
}
