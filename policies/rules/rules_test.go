package rules

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/property"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// computed marks a value that is unknown during preview.
var computed = resource.MakeComputed(resource.NewStringProperty(""))

// props converts plain Go values (and computed) into a property map as the analyzer sends it.
func props(m map[string]any) property.Map {
	pm := resource.PropertyMap{}
	for k, v := range m {
		pm[resource.PropertyKey(k)] = toPV(v)
	}
	return resource.FromResourcePropertyMap(pm)
}

func toPV(v any) resource.PropertyValue {
	switch t := v.(type) {
	case resource.PropertyValue:
		return t
	case map[string]any:
		pm := resource.PropertyMap{}
		for k, x := range t {
			pm[resource.PropertyKey(k)] = toPV(x)
		}
		return resource.NewObjectProperty(pm)
	case []any:
		arr := make([]resource.PropertyValue, len(t))
		for i, x := range t {
			arr[i] = toPV(x)
		}
		return resource.NewArrayProperty(arr)
	default:
		return resource.NewPropertyValue(v)
	}
}

// denyInsecure is the bucket policy statement that refuses plain-HTTP requests.
var denyInsecure = obj{"Sid": "DenyInsecureTransport", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
	"Resource": arr{"arn:aws:s3:::b", "arn:aws:s3:::b/*"}, "Condition": obj{"Bool": obj{"aws:SecureTransport": "false"}}}

// policyJSON is an IAM policy document with the statements, as the JSON string the SDKs send.
func policyJSON(stmts ...obj) string {
	list := make([]any, len(stmts))
	for i, st := range stmts {
		list[i] = st
	}
	b, err := json.Marshal(map[string]any{"Version": "2012-10-17", "Statement": list})
	if err != nil {
		panic(err)
	}
	return string(b)
}

type obj = map[string]any
type arr = []any

func res(typ, name string, m obj) Resource {
	return Resource{URN: "urn:pulumi:prod::scalestack::" + typ + "::" + name, Type: typ, Name: name, Properties: props(m)}
}

// findings runs rules on resources and returns the violations of one rule.
func findings(t *testing.T, rule, env string, rs ...Resource) []Violation {
	t.Helper()
	rep, err := Evaluate(rs, Options{Environment: env})
	require.NoError(t, err)
	return rep.ByRule(rule)
}

func messages(vs []Violation) string {
	var out []string
	for _, v := range vs {
		out = append(out, v.Message)
	}
	return strings.Join(out, "\n")
}

// resourceCase is one rule's compliant and violating resource and the words its message must
// contain.
type resourceCase struct {
	name string
	rule string
	typ  string
	good obj
	bad  obj
	want string
	env  string // default prod
}

var resourceCases = []resourceCase{
	// AWS
	{rule: "aws-asg-launch-template", typ: awsASG,
		good: obj{"launchTemplate": obj{"id": "lt-1", "version": "$Latest"}},
		bad:  obj{"launchConfiguration": "lc-1"}, want: "launchConfiguration is set"},
	{name: "mixed instances", rule: "aws-asg-launch-template", typ: awsASG,
		good: obj{"mixedInstancesPolicy": obj{"launchTemplate": obj{"launchTemplateSpecification": obj{"launchTemplateId": computed}}}},
		bad:  obj{"mixedInstancesPolicy": obj{"instancesDistribution": obj{}}}, want: "neither launchTemplate nor mixedInstancesPolicy"},
	{rule: "aws-asg-elb-health", typ: awsASG,
		good: obj{"targetGroupArns": arr{computed}, "healthCheckType": "ELB"},
		bad:  obj{"targetGroupArns": arr{"arn:aws:elasticloadbalancing:tg"}, "healthCheckType": "EC2"}, want: `healthCheckType is "EC2"`},
	{rule: "aws-asg-ha", typ: awsASG,
		good: obj{"minSize": 2, "vpcZoneIdentifiers": arr{computed, computed}},
		bad:  obj{"minSize": 1, "vpcZoneIdentifiers": arr{"subnet-1"}}, want: "minSize is 1: want at least 2"},
	{rule: "aws-lt-imdsv2", typ: awsLaunchTemplate,
		good: obj{"metadataOptions": obj{"httpTokens": "required", "httpPutResponseHopLimit": 1}},
		bad:  obj{"metadataOptions": obj{"httpTokens": "optional"}}, want: `metadataOptions.httpTokens is "optional"`},
	{name: "hop limit", rule: "aws-lt-imdsv2", typ: awsLaunchTemplate,
		good: obj{"metadataOptions": obj{"httpTokens": "required"}},
		bad:  obj{"metadataOptions": obj{"httpTokens": "required", "httpPutResponseHopLimit": 3}}, want: "httpPutResponseHopLimit is 3: want at most 1"},
	{name: "string-typed boolean", rule: "aws-lt-ebs-encrypted", typ: awsLaunchTemplate,
		good: obj{"blockDeviceMappings": arr{obj{"deviceName": "/dev/xvda", "ebs": obj{"encrypted": "true", "volumeSize": 20}}}},
		bad:  obj{"blockDeviceMappings": arr{obj{"deviceName": "/dev/xvda", "ebs": obj{"encrypted": "false"}}}}, want: `blockDeviceMappings.0.ebs.encrypted is "false" (device "/dev/xvda")`},
	{rule: "aws-lt-ebs-encrypted", typ: awsLaunchTemplate,
		good: obj{"blockDeviceMappings": arr{obj{"ebs": obj{"encrypted": true}}}},
		bad:  obj{"blockDeviceMappings": arr{obj{"deviceName": "/dev/sdb", "ebs": obj{"volumeSize": 20}}}}, want: "ebs.encrypted is not set"},
	{rule: "aws-lt-no-public-ip", typ: awsLaunchTemplate,
		good: obj{"networkInterfaces": arr{obj{"associatePublicIpAddress": "false"}}},
		bad:  obj{"networkInterfaces": arr{obj{"associatePublicIpAddress": "true"}}}, want: `networkInterfaces.0.associatePublicIpAddress is "true"`},
	{rule: "aws-lb-http-redirect", typ: "aws:lb/listener:Listener",
		good: obj{"protocol": "HTTP", "port": 80, "defaultActions": arr{obj{"type": "redirect", "redirect": obj{"protocol": "HTTPS", "port": "443", "statusCode": "HTTP_301"}}}},
		bad:  obj{"protocol": "HTTP", "port": 80, "defaultActions": arr{obj{"type": "forward", "targetGroupArn": "arn"}}}, want: `has type "forward": want only a redirect to HTTPS`},
	{name: "alias token", rule: "aws-lb-http-redirect", typ: "aws:alb/listener:Listener",
		good: obj{"protocol": "HTTPS", "defaultActions": arr{obj{"type": "forward"}}},
		bad:  obj{"port": 80, "defaultActions": arr{obj{"type": "forward"}}}, want: "want only a redirect to HTTPS"},
	{rule: "aws-lb-tls-policy", typ: "aws:alb/listener:Listener",
		good: obj{"protocol": "HTTPS", "sslPolicy": "ELBSecurityPolicy-TLS13-1-2-2021-06"},
		bad:  obj{"protocol": "HTTPS", "sslPolicy": "ELBSecurityPolicy-2016-08"}, want: `sslPolicy is "ELBSecurityPolicy-2016-08"`},
	{rule: "aws-lb-hardening", typ: "aws:lb/loadBalancer:LoadBalancer",
		good: obj{"accessLogs": obj{"enabled": true, "bucket": "logs"}, "dropInvalidHeaderFields": true, "enableDeletionProtection": true},
		bad:  obj{"dropInvalidHeaderFields": true, "enableDeletionProtection": true}, want: "accessLogs.enabled is not set"},
	{rule: "aws-tg-health-check", typ: "aws:alb/targetGroup:TargetGroup",
		good: obj{"protocol": "HTTP", "healthCheck": obj{"enabled": true, "path": "/healthz"}},
		bad:  obj{"protocol": "HTTP", "healthCheck": obj{"enabled": true}}, want: "healthCheck.path is not set"},
	{rule: "aws-rds-encrypted", typ: awsRDSInstance,
		good: obj{"storageEncrypted": true},
		bad:  obj{"storageEncrypted": false}, want: "storageEncrypted is false"},
	{name: "replica inherits", rule: "aws-rds-encrypted", typ: awsRDSInstance,
		good: obj{"replicateSourceDb": computed},
		bad:  obj{}, want: "storageEncrypted is not set"},
	{rule: "aws-rds-private", typ: awsRDSInstance,
		good: obj{"publiclyAccessible": false},
		bad:  obj{"publiclyAccessible": true}, want: "publiclyAccessible is true"},
	{rule: "aws-rds-multi-az", typ: awsRDSInstance,
		good: obj{"multiAz": true},
		bad:  obj{"multiAz": false}, want: "multiAz is false"},
	{rule: "aws-rds-backup-retention", typ: awsRDSCluster,
		good: obj{"backupRetentionPeriod": 7},
		bad:  obj{"backupRetentionPeriod": 1}, want: "backupRetentionPeriod is 1: want at least 7 days"},
	{rule: "aws-rds-deletion-protection", typ: awsRDSInstance,
		good: obj{"deletionProtection": true},
		bad:  obj{}, want: "deletionProtection is not set"},
	{rule: "aws-rds-ops", typ: awsRDSInstance,
		good: obj{"enabledCloudwatchLogsExports": arr{"postgresql"}},
		bad:  obj{"autoMinorVersionUpgrade": false, "enabledCloudwatchLogsExports": arr{"postgresql"}}, want: "autoMinorVersionUpgrade is false"},
	{name: "ordered cache behaviours", rule: "aws-cf-https-viewer", typ: awsDistribution,
		good: obj{"defaultCacheBehavior": obj{"viewerProtocolPolicy": "redirect-to-https"}, "orderedCacheBehaviors": arr{obj{"pathPattern": "/static/*", "viewerProtocolPolicy": "https-only"}}},
		bad:  obj{"defaultCacheBehavior": obj{"viewerProtocolPolicy": "redirect-to-https"}, "orderedCacheBehaviors": arr{obj{"pathPattern": "/static/*", "viewerProtocolPolicy": "allow-all"}}}, want: `orderedCacheBehaviors.0.viewerProtocolPolicy is "allow-all"`},
	{rule: "aws-cf-tls", typ: awsDistribution,
		good: obj{"viewerCertificate": obj{"acmCertificateArn": "arn", "minimumProtocolVersion": "TLSv1.2_2021"}, "origins": arr{obj{"customOriginConfig": obj{"originProtocolPolicy": "https-only", "originSslProtocols": arr{"TLSv1.2"}}}}},
		bad:  obj{"viewerCertificate": obj{"acmCertificateArn": "arn", "minimumProtocolVersion": "TLSv1.2_2021"}, "origins": arr{obj{"customOriginConfig": obj{"originProtocolPolicy": "match-viewer", "originSslProtocols": arr{"TLSv1.2"}}}}}, want: `origins.0.customOriginConfig.originProtocolPolicy is "match-viewer"`},
	{name: "default certificate", rule: "aws-cf-tls", typ: awsDistribution,
		good: obj{"viewerCertificate": obj{"acmCertificateArn": "arn", "minimumProtocolVersion": "TLSv1.2_2021"}},
		bad:  obj{"viewerCertificate": obj{"cloudfrontDefaultCertificate": true}}, want: "cloudfrontDefaultCertificate is true"},
	{rule: "aws-cf-waf-logging", typ: awsDistribution,
		good: obj{"webAclId": computed, "loggingConfig": obj{"bucket": "logs"}},
		bad:  obj{"loggingConfig": obj{"bucket": "logs"}}, want: "webAclId is not set"},
	{rule: "aws-cf-origin-failover", typ: awsDistribution,
		good: obj{"originGroups": arr{obj{"failoverCriteria": obj{"statusCodes": arr{500, 502}}}}},
		bad:  obj{}, want: "originGroups has no group with failoverCriteria.statusCodes"},
	{rule: "aws-backup-vault-cmk", typ: awsBackupVault,
		good: obj{"kmsKeyArn": computed},
		bad:  obj{}, want: "kmsKeyArn is not set"},
	{rule: "aws-backup-plan-dr", typ: awsBackupPlan,
		good: obj{"rules": arr{obj{"lifecycle": obj{"deleteAfter": 35}, "copyActions": arr{obj{"destinationVaultArn": computed}}}}},
		bad:  obj{"rules": arr{obj{"lifecycle": obj{"deleteAfter": 35}}}}, want: "no rule has copyActions"},
	{rule: "aws-sg-no-open-ingress", typ: "aws:ec2/securityGroup:SecurityGroup",
		good: obj{"ingress": arr{obj{"protocol": "tcp", "fromPort": 443, "toPort": 443, "cidrBlocks": arr{"0.0.0.0/0"}}, obj{"protocol": "tcp", "fromPort": 5432, "toPort": 5432, "cidrBlocks": arr{"10.0.0.0/16"}}}},
		bad:  obj{"ingress": arr{obj{"protocol": "tcp", "fromPort": 22, "toPort": 22, "cidrBlocks": arr{"0.0.0.0/0"}}}}, want: "ingress.0 opens 22 to 0.0.0.0/0"},
	{name: "standalone rule", rule: "aws-sg-no-open-ingress", typ: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
		good: obj{"ipProtocol": "tcp", "fromPort": 80, "toPort": 80, "cidrIpv6": "::/0"},
		bad:  obj{"ipProtocol": "-1", "fromPort": -1, "toPort": -1, "cidrIpv4": "0.0.0.0/0"}, want: "opens all ports to 0.0.0.0/0"},
	{rule: "aws-s3-block-public", typ: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
		good: obj{"blockPublicAcls": true, "blockPublicPolicy": true, "ignorePublicAcls": true, "restrictPublicBuckets": true},
		bad:  obj{"blockPublicAcls": true, "blockPublicPolicy": false, "ignorePublicAcls": true, "restrictPublicBuckets": true}, want: "blockPublicPolicy is false"},
	{rule: "aws-kms-rotation", typ: "aws:kms/key:Key",
		good: obj{"enableKeyRotation": true},
		bad:  obj{}, want: "enableKeyRotation is not set"},
	{rule: "aws-sns-encrypted", typ: "aws:sns/topic:Topic",
		good: obj{"kmsMasterKeyId": "alias/aws/sns"},
		bad:  obj{}, want: "kmsMasterKeyId is not set"},
	{rule: "aws-s3-tls-only", typ: awsBucketPolicy,
		good: obj{"bucket": "b", "policy": policyJSON(obj{"Effect": "Allow", "Principal": obj{"Service": "cloudfront.amazonaws.com"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}, denyInsecure)},
		bad:  obj{"bucket": "b", "policy": policyJSON(obj{"Effect": "Allow", "Principal": obj{"Service": "cloudfront.amazonaws.com"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"})}, want: "policy has no Deny statement for s3:* by every principal with condition Bool aws:SecureTransport"},
	{name: "inline legacy policy", rule: "aws-s3-tls-only", typ: awsBucket,
		good: obj{"bucket": "b"},
		bad:  obj{"policy": policyJSON(obj{"Effect": "Deny", "Principal": "*", "Action": "s3:DeleteObject", "Resource": "*", "Condition": obj{"Bool": obj{"aws:SecureTransport": "false"}}})}, want: "plain-HTTP requests to the bucket are allowed"},
	{name: "deny for one principal only", rule: "aws-s3-tls-only", typ: awsBucketPolicy,
		good: obj{"policy": policyJSON(obj{"Effect": "Deny", "Principal": obj{"AWS": arr{"*"}}, "Action": arr{"s3:*"}, "Resource": "*", "Condition": obj{"Bool": obj{"aws:securetransport": false}}})},
		bad:  obj{"policy": policyJSON(obj{"Effect": "Deny", "Principal": obj{"AWS": "arn:aws:iam::1:role/app"}, "Action": "s3:*", "Resource": "*", "Condition": obj{"Bool": obj{"aws:SecureTransport": "false"}}})}, want: "plain-HTTP requests to the bucket are allowed"},
	{name: "invalid JSON", rule: "aws-s3-tls-only", typ: awsBucketPolicy,
		good: obj{"policy": obj{"Statement": arr{denyInsecure}}},
		bad:  obj{"policy": "{not json"}, want: "policy is not valid JSON"},
	{rule: "aws-logs-encrypted", typ: awsLogGroup,
		good: obj{"kmsKeyId": computed, "retentionInDays": 365},
		bad:  obj{"kmsKeyId": "arn:aws:kms:us-east-1:1:key/k", "retentionInDays": 30}, want: "retentionInDays is 30: want 0 (never expire) or at least 90 days"},
	{name: "no key, never expires", rule: "aws-logs-encrypted", typ: awsLogGroup,
		good: obj{"kmsKeyId": "arn:aws:kms:us-east-1:1:key/k"},
		bad:  obj{"retentionInDays": 0}, want: "kmsKeyId is not set"},
	{rule: "aws-iam-no-wildcard-admin", typ: awsIAMRolePolicy,
		good: obj{"role": "r", "policy": policyJSON(obj{"Effect": "Allow", "Action": arr{"logs:PutLogEvents"}, "Resource": "*"}, obj{"Effect": "Deny", "Action": "*", "Resource": "*"})},
		bad:  obj{"role": "r", "policy": policyJSON(obj{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}, obj{"Effect": "Allow", "Action": arr{"ec2:*", "*"}, "Resource": arr{"*"}})}, want: `policy statement 1 allows Action "*" on Resource "*"`},
	{name: "single statement object", rule: "aws-iam-no-wildcard-admin", typ: awsIAMPolicy,
		good: obj{"policy": `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"arn:aws:s3:::b/*"}}`},
		bad:  obj{"policy": `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}`}, want: `policy statement 0 allows Action "*"`},
	{name: "user policy", rule: "aws-iam-no-wildcard-admin", typ: awsIAMUserPolicy,
		good: obj{"policy": policyJSON(obj{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*"})},
		bad:  obj{"policy": policyJSON(obj{"Effect": "Allow", "Action": "*", "Resource": "*"})}, want: "full administrator"},
	{name: "group policy", rule: "aws-iam-no-wildcard-admin", typ: awsIAMGroupPolicy,
		good: obj{"policy": policyJSON(obj{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*"})},
		bad:  obj{"policy": policyJSON(obj{"Effect": "Allow", "Action": "*", "Resource": "*"})}, want: "full administrator"},
	{name: "role inline policy", rule: "aws-iam-no-wildcard-admin", typ: awsIAMRole,
		good: obj{"inlinePolicies": arr{obj{"name": "read", "policy": policyJSON(obj{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"})}}},
		bad:  obj{"inlinePolicies": arr{obj{"name": "admin", "policy": policyJSON(obj{"Effect": "Allow", "Action": "*", "Resource": "*"})}}}, want: `inlinePolicies.0.policy statement 0 allows Action "*"`},
	{rule: "aws-rds-param-force-ssl", typ: awsRDSParamGroup,
		good: obj{"family": "postgres14", "parameters": arr{obj{"name": "log_connections", "value": "1"}, obj{"name": "rds.force_ssl", "value": "1"}}},
		bad:  obj{"family": "postgres14", "parameters": arr{obj{"name": "log_connections", "value": "1"}}}, want: `parameters has no rds.force_ssl for family "postgres14"`},
	{name: "turned off on 16", rule: "aws-rds-param-force-ssl", typ: awsRDSParamGroup,
		good: obj{"family": "postgres16", "parameters": arr{obj{"name": "log_connections", "value": "1"}}},
		bad:  obj{"family": "postgres16", "parameters": arr{obj{"name": "rds.force_ssl", "value": "0"}}}, want: `parameters.0.value (rds.force_ssl) is "0"`},

	// Azure
	{rule: "az-vmss-no-password", typ: azVMSS,
		good: obj{"virtualMachineProfile": obj{"osProfile": obj{"linuxConfiguration": obj{"disablePasswordAuthentication": true}}}},
		bad:  obj{"virtualMachineProfile": obj{"osProfile": obj{"adminPassword": computed, "linuxConfiguration": obj{"disablePasswordAuthentication": false}}}}, want: "disablePasswordAuthentication is false"},
	{rule: "az-vmss-encryption-at-host", typ: azVMSS,
		good: obj{"virtualMachineProfile": obj{"securityProfile": obj{"encryptionAtHost": true}}},
		bad:  obj{"virtualMachineProfile": obj{}}, want: "encryptionAtHost is not set"},
	{rule: "az-vmss-resilience", typ: azVMSS,
		good: obj{"zones": arr{"1", "2", "3"}, "automaticRepairsPolicy": obj{"enabled": true}, "upgradePolicy": obj{"mode": "Rolling"}},
		bad:  obj{"zones": arr{"1"}, "automaticRepairsPolicy": obj{"enabled": true}, "upgradePolicy": obj{"mode": "Rolling"}}, want: "zones is [1]"},
	{rule: "az-appgw-waf", typ: azAppGateway,
		good: obj{"firewallPolicy": obj{"id": computed}},
		bad:  obj{"webApplicationFirewallConfiguration": obj{"enabled": true, "firewallMode": "Detection"}}, want: `firewallMode is "Detection"`},
	{name: "WAF policy", rule: "az-appgw-waf", typ: azWAFPolicy,
		good: obj{"policySettings": obj{"mode": "Prevention", "state": "Enabled"}},
		bad:  obj{"policySettings": obj{"mode": "Detection", "state": "Enabled"}}, want: `policySettings.mode is "Detection"`},
	{rule: "az-appgw-tls", typ: azAppGateway,
		good: obj{"sslPolicy": obj{"policyType": "Predefined", "policyName": "AppGwSslPolicy20220101"},
			"httpListeners":       arr{obj{"name": "http", "protocol": "Http"}, obj{"name": "https", "protocol": "Https"}},
			"requestRoutingRules": arr{obj{"httpListener": obj{"id": "/subscriptions/s/.../applicationGateways/gw/httpListeners/http"}, "redirectConfiguration": obj{"id": "x"}}}},
		bad: obj{"sslPolicy": obj{"policyType": "Predefined", "policyName": "AppGwSslPolicy20220101"},
			"httpListeners":       arr{obj{"name": "http", "protocol": "Http"}},
			"requestRoutingRules": arr{obj{"httpListener": obj{"id": ".../httpListeners/http"}, "backendAddressPool": obj{"id": "p"}}}}, want: `listener "http" is plain HTTP`},
	{name: "unknown listener id", rule: "az-appgw-tls", typ: azAppGateway,
		good: obj{"sslPolicy": obj{"policyType": "Predefined", "policyName": "AppGwSslPolicy20220101"}, "httpListeners": arr{obj{"name": "https", "protocol": "Https"}}},
		bad: obj{"sslPolicy": obj{"policyType": "Predefined", "policyName": "AppGwSslPolicy20220101"}, "httpListeners": arr{obj{"name": "http", "protocol": "Http"}},
			"requestRoutingRules": arr{obj{"httpListener": obj{"id": "x/httpListeners/other"}, "redirectConfiguration": obj{"id": "r"}}}}, want: `listener "http" is plain HTTP`},
	{name: "ssl policy", rule: "az-appgw-tls", typ: azAppGateway,
		good: obj{"sslPolicy": obj{"policyType": "CustomV2", "minProtocolVersion": "TLSv1_3"}},
		bad:  obj{"sslPolicy": obj{"policyType": "Custom", "minProtocolVersion": "TLSv1_0"}}, want: `sslPolicy.minProtocolVersion is "TLSv1_0"`},
	{rule: "az-sql-server", typ: azSQLServer,
		good: obj{"publicNetworkAccess": "Disabled", "minimalTlsVersion": "1.2"},
		bad:  obj{"publicNetworkAccess": "Enabled", "minimalTlsVersion": "1.2"}, want: `publicNetworkAccess is "Enabled"`},
	{rule: "az-sql-entra-only", typ: azSQLServer,
		good: obj{"administrators": obj{"azureADOnlyAuthentication": true, "login": "dba"}},
		bad:  obj{"administratorLogin": "sa", "administratorLoginPassword": "hunter2"}, want: "administratorLoginPassword is set"},
	{rule: "az-sql-auditing", typ: azServerAudit,
		good: obj{"state": "Enabled", "retentionDays": 0},
		bad:  obj{"state": "Enabled", "retentionDays": 30}, want: "retentionDays is 30: want 0 (forever) or at least 90"},
	{rule: "az-sql-db-resilience", typ: azSQLDatabase,
		good: obj{"zoneRedundant": true, "requestedBackupStorageRedundancy": "GeoZone"},
		bad:  obj{"zoneRedundant": true, "requestedBackupStorageRedundancy": "Local"}, want: `requestedBackupStorageRedundancy is "Local"`},
	{rule: "az-sql-failover-group", typ: azFailoverGroup,
		good: obj{"readWriteEndpoint": obj{"failoverPolicy": "Manual"}, "partnerServers": arr{obj{"id": computed}}},
		bad:  obj{"readWriteEndpoint": obj{"failoverPolicy": "Automatic"}, "partnerServers": arr{obj{"id": "x"}}}, want: `failoverWithDataLossGracePeriodMinutes is not set with an Automatic policy`},
	{rule: "az-cdn-https", typ: azCDNEndpoint,
		good: obj{"isHttpAllowed": false},
		bad:  obj{}, want: "isHttpAllowed is not set (the default is true)"},
	{name: "front door route", rule: "az-cdn-https", typ: azCDNRoute,
		good: obj{"supportedProtocols": arr{"Http", "Https"}, "httpsRedirect": "Enabled"},
		bad:  obj{"supportedProtocols": arr{"Http", "Https"}, "httpsRedirect": "Disabled"}, want: `httpsRedirect is "Disabled"`},
	{name: "custom domain", rule: "az-cdn-https", typ: azAFDDomain,
		good: obj{"tlsSettings": obj{"certificateType": "ManagedCertificate", "minimumTlsVersion": "TLS12"}},
		bad:  obj{"tlsSettings": obj{"certificateType": "ManagedCertificate", "minimumTlsVersion": "TLS10"}}, want: `minimumTlsVersion is "TLS10"`},
	{rule: "az-tm-probe", typ: azTMProfile,
		good: obj{"monitorConfig": obj{"protocol": "HTTPS", "port": 443, "path": "/healthz"}},
		bad:  obj{"monitorConfig": obj{"protocol": "HTTP", "port": 80, "path": "/"}}, want: `monitorConfig.protocol is "HTTP"`},
	{rule: "az-rsv-vault", typ: azRSVault,
		good: obj{"properties": obj{"securitySettings": obj{"immutabilitySettings": obj{"state": "Unlocked"}}}},
		bad:  obj{"properties": obj{"securitySettings": obj{"softDeleteSettings": obj{"softDeleteState": "Disabled"}, "immutabilitySettings": obj{"state": "Unlocked"}}}}, want: `softDeleteState is "Disabled"`},
	{rule: "az-nsg-no-open-mgmt", typ: azNSG,
		good: obj{"securityRules": arr{obj{"direction": "Inbound", "access": "Allow", "sourceAddressPrefix": "Internet", "destinationPortRange": "443"}}},
		bad:  obj{"securityRules": arr{obj{"direction": "Inbound", "access": "Allow", "sourceAddressPrefix": "*", "destinationPortRange": "20-30"}}}, want: `securityRules.0.destinationPortRange "20-30" is open to the internet`},
	{name: "standalone rule", rule: "az-nsg-no-open-mgmt", typ: azSecurityRule,
		good: obj{"direction": "Inbound", "access": "Allow", "sourceAddressPrefix": "10.0.0.0/8", "destinationPortRange": "22"},
		bad:  obj{"direction": "Inbound", "access": "Allow", "sourceAddressPrefixes": arr{"0.0.0.0/0"}, "destinationPortRanges": arr{"3389"}}, want: `destinationPortRange "3389" is open`},
	{rule: "az-public-ip-standard", typ: azPublicIP,
		good: obj{"sku": obj{"name": "Standard", "tier": "Regional"}, "zones": arr{"1", "2", "3"}},
		bad:  obj{"sku": obj{"name": "Basic"}}, want: `sku.name is "Basic"`},
	{rule: "az-subnet-nsg", typ: azSubnet,
		good: obj{"addressPrefix": "10.0.1.0/24", "networkSecurityGroup": obj{"id": computed}},
		bad:  obj{"addressPrefix": "10.0.1.0/24", "subnetName": "web"}, want: `networkSecurityGroup is not set (subnet "web")`},
	{name: "gateway subnet", rule: "az-subnet-nsg", typ: azSubnet,
		good: obj{"addressPrefix": "10.0.255.0/27", "name": "GatewaySubnet"},
		bad:  obj{"addressPrefix": "10.0.2.0/24"}, want: "networkSecurityGroup is not set (subnet not set)"},
	{name: "inline subnets", rule: "az-subnet-nsg", typ: azVNet,
		good: obj{"subnets": arr{obj{"name": "web", "networkSecurityGroup": obj{"id": "/subscriptions/s/nsg"}}, obj{"name": "AzureBastionSubnet"}}},
		bad:  obj{"subnets": arr{obj{"name": "web", "networkSecurityGroup": obj{"id": "/subscriptions/s/nsg"}}, obj{"name": "data"}}}, want: `subnets.1.networkSecurityGroup is not set (subnet "data")`},
	{rule: "az-storage-secure", typ: azStorageAccount,
		good: obj{"minimumTlsVersion": "TLS1_2", "allowBlobPublicAccess": false},
		bad:  obj{"minimumTlsVersion": "TLS1_0", "allowBlobPublicAccess": false}, want: `minimumTlsVersion is "TLS1_0"`},

	// Google Cloud
	{rule: "gcp-tpl-no-public-ip", typ: gcpInstanceTemplate,
		good: obj{"networkInterfaces": arr{obj{"subnetwork": computed}}},
		bad:  obj{"networkInterfaces": arr{obj{"subnetwork": "s", "accessConfigs": arr{obj{}}}}}, want: "networkInterfaces.0.accessConfigs is set"},
	{rule: "gcp-tpl-hardening", typ: gcpRegionInstanceTemplate,
		good: obj{"shieldedInstanceConfig": obj{"enableSecureBoot": true}, "metadata": obj{"block-project-ssh-keys": "true"}, "serviceAccount": obj{"email": "web@my-project.iam.gserviceaccount.com"}},
		bad:  obj{"shieldedInstanceConfig": obj{"enableSecureBoot": true}, "metadata": obj{"block-project-ssh-keys": "true"}, "serviceAccount": obj{"email": "123-compute@developer.gserviceaccount.com"}}, want: "default compute service account"},
	{rule: "gcp-mig-autohealing", typ: gcpRegionMIG,
		good: obj{"autoHealingPolicies": obj{"healthCheck": computed, "initialDelaySec": 300}},
		bad:  obj{"distributionPolicyZones": arr{"us-central1-a"}}, want: "autoHealingPolicies.healthCheck is not set"},
	{rule: "gcp-autoscaler-bounds", typ: gcpRegionAutoscaler,
		good: obj{"autoscalingPolicy": obj{"minReplicas": 2, "maxReplicas": 6, "cpuUtilization": obj{"target": 0.6}}},
		bad:  obj{"autoscalingPolicy": obj{"minReplicas": 3, "maxReplicas": 3, "cpuUtilization": obj{"target": 0.6}}}, want: "maxReplicas 3 is not above minReplicas 3"},
	{rule: "gcp-lb-tls", typ: gcpSSLPolicy,
		good: obj{"minTlsVersion": "TLS_1_2", "profile": "MODERN"},
		bad:  obj{"minTlsVersion": "TLS_1_0", "profile": "MODERN"}, want: `minTlsVersion is "TLS_1_0"`},
	{name: "proxy", rule: "gcp-lb-tls", typ: gcpHTTPSProxy,
		good: obj{"sslPolicy": computed, "urlMap": "u"},
		bad:  obj{"urlMap": "u"}, want: "sslPolicy is not set"},
	{rule: "gcp-backend-service", typ: gcpBackendService,
		good: obj{"healthChecks": computed, "logConfig": obj{"enable": true}, "securityPolicy": "armor"},
		bad:  obj{"healthChecks": arr{"hc"}, "logConfig": obj{"enable": true}}, want: "securityPolicy is not set"},
	{rule: "gcp-sql-backups", typ: gcpSQLInstance,
		good: obj{"databaseVersion": "POSTGRES_16", "settings": obj{"backupConfiguration": obj{"enabled": true, "pointInTimeRecoveryEnabled": true}}},
		bad:  obj{"databaseVersion": "POSTGRES_16", "settings": obj{"backupConfiguration": obj{"enabled": true}}}, want: "pointInTimeRecoveryEnabled is not set"},
	{rule: "gcp-sql-network", typ: gcpSQLInstance,
		good: obj{"settings": obj{"ipConfiguration": obj{"ipv4Enabled": false, "privateNetwork": computed, "sslMode": "ENCRYPTED_ONLY"}}},
		bad:  obj{"settings": obj{"ipConfiguration": obj{"ipv4Enabled": true, "sslMode": "ENCRYPTED_ONLY", "authorizedNetworks": arr{obj{"value": "0.0.0.0/0"}}}}}, want: `authorizedNetworks.0.value is "0.0.0.0/0"`},
	{rule: "gcp-sql-ha", typ: gcpSQLInstance,
		good: obj{"settings": obj{"availabilityType": "REGIONAL"}},
		bad:  obj{"settings": obj{"availabilityType": "ZONAL"}, "deletionProtection": false}, want: `settings.availabilityType is "ZONAL"`},
	{rule: "gcp-dns-dnssec", typ: gcpManagedZone,
		good: obj{"dnsName": "example.com.", "dnssecConfig": obj{"state": "on"}},
		bad:  obj{"dnsName": "example.com."}, want: "dnssecConfig.state is not set"},
	{rule: "gcp-firewall-no-open-mgmt", typ: gcpFirewall,
		good: obj{"sourceRanges": arr{"35.235.240.0/20"}, "allows": arr{obj{"protocol": "tcp", "ports": arr{"22"}}}},
		bad:  obj{"sourceRanges": arr{"0.0.0.0/0"}, "allows": arr{obj{"protocol": "tcp", "ports": arr{"22"}}}}, want: "allows.0 allows port 22 from 0.0.0.0/0"},
	{rule: "gcp-network-custom-mode", typ: gcpNetwork,
		good: obj{"autoCreateSubnetworks": false, "routingMode": "GLOBAL"},
		bad:  obj{"routingMode": "GLOBAL"}, want: "autoCreateSubnetworks is not set (the default is true)"},
	{rule: "gcp-subnet-hardening", typ: gcpSubnetwork,
		good: obj{"ipCidrRange": "10.0.0.0/20", "privateIpGoogleAccess": true, "logConfig": obj{"aggregationInterval": "INTERVAL_5_SEC"}},
		bad:  obj{"ipCidrRange": "10.0.0.0/20", "privateIpGoogleAccess": true}, want: "logConfig is not set"},
	{name: "proxy-only subnet", rule: "gcp-subnet-hardening", typ: gcpSubnetwork,
		good: obj{"ipCidrRange": "10.129.0.0/23", "purpose": "REGIONAL_MANAGED_PROXY", "role": "ACTIVE"},
		bad:  obj{"ipCidrRange": "10.0.0.0/20", "purpose": "PRIVATE", "privateIpGoogleAccess": false, "logConfig": obj{"metadata": "INCLUDE_ALL_METADATA"}}, want: "privateIpGoogleAccess is false"},
	{rule: "gcp-iam-no-primitive-roles", typ: gcpProjectIAMMember,
		good: obj{"project": "p", "role": "roles/logging.logWriter", "member": "serviceAccount:web@p.iam.gserviceaccount.com"},
		bad:  obj{"project": "p", "role": "roles/editor", "member": "serviceAccount:web@p.iam.gserviceaccount.com"}, want: `role is "roles/editor"`},
	{name: "binding", rule: "gcp-iam-no-primitive-roles", typ: gcpProjectIAMBinding,
		good: obj{"project": "p", "role": "roles/viewer", "members": arr{"group:ops@example.com"}},
		bad:  obj{"project": "p", "role": "roles/owner", "members": arr{"user:me@example.com"}}, want: `role is "roles/owner"`},
	{rule: "gcp-bucket-public", typ: gcpBucketIAMMember,
		good: obj{"bucket": "b", "role": "roles/storage.objectViewer", "member": "serviceAccount:cdn@p.iam.gserviceaccount.com"},
		bad:  obj{"bucket": "b", "role": "roles/storage.objectViewer", "member": "allUsers"}, want: `member "allUsers" has "roles/storage.objectViewer" on the bucket`},
	{name: "binding", rule: "gcp-bucket-public", typ: gcpBucketIAMBinding,
		good: obj{"bucket": "b", "role": "roles/storage.objectViewer", "members": arr{"group:ops@example.com"}},
		bad:  obj{"bucket": "b", "role": "roles/storage.admin", "members": arr{"group:ops@example.com", "allAuthenticatedUsers"}}, want: `member "allAuthenticatedUsers" has "roles/storage.admin"`},
	{rule: "gcp-bucket-uniform-access", typ: gcpBucket,
		good: obj{"uniformBucketLevelAccess": true},
		bad:  obj{"uniformBucketLevelAccess": false}, want: "uniformBucketLevelAccess is false"},
}

func TestResourceRulesCompliantAndViolating(t *testing.T) {
	for _, tc := range resourceCases {
		name := tc.rule
		if tc.name != "" {
			name += "/" + tc.name
		}
		t.Run(name, func(t *testing.T) {
			r := ByID(tc.rule)
			require.NotNil(t, r, "rule %s", tc.rule)
			require.True(t, r.AppliesTo(tc.typ), "rule %s does not check %s", tc.rule, tc.typ)
			env := tc.env
			if env == "" {
				env = "prod"
			}
			good := findings(t, tc.rule, env, res(tc.typ, "good", tc.good))
			assert.Empty(t, good, "compliant resource: %s", messages(good))
			bad := findings(t, tc.rule, env, res(tc.typ, "bad", tc.bad))
			require.NotEmpty(t, bad, "violating resource passed")
			assert.Contains(t, messages(bad), tc.want)
			for _, v := range bad {
				assert.False(t, v.Unverified, v.Message)
				assert.Equal(t, "urn:pulumi:prod::scalestack::"+tc.typ+"::bad", v.URN)
			}
		})
	}
}

func TestEveryRuleHasCases(t *testing.T) {
	covered := map[string]bool{}
	for _, tc := range resourceCases {
		covered[tc.rule] = true
	}
	for _, tc := range stackCases {
		covered[tc.rule] = true
	}
	for _, r := range All() {
		assert.True(t, covered[r.ID], "rule %s has no compliant/violating test case", r.ID)
	}
}
