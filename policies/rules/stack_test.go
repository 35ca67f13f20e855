package rules

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// dep makes r's input key depend on the targets, as the engine records it.
func dep(r Resource, key string, targets ...Resource) Resource {
	if r.PropertyDependencies == nil {
		r.PropertyDependencies = map[string][]string{}
	}
	for _, t := range targets {
		r.PropertyDependencies[key] = append(r.PropertyDependencies[key], t.URN)
	}
	return r
}

// in places r in a region through an explicit provider.
func in(r Resource, region string) Resource {
	r.Provider = Provider{URN: "urn:pulumi:prod::scalestack::pulumi:providers:aws::aws-" + region, Type: "pulumi:providers:aws", Properties: props(obj{"region": region})}
	return r
}

type stackCase struct {
	name string
	rule string
	good []Resource
	bad  []Resource
	want string
	env  string
}

var (
	rdsPrimary = res(awsRDSInstance, "db", obj{"storageEncrypted": true})
	rdsReplica = dep(res(awsRDSInstance, "db-replica-1", obj{"replicateSourceDb": computed}), "replicateSourceDb", rdsPrimary)
	sqlPrimary = res(gcpSQLInstance, "sql", obj{"databaseVersion": "POSTGRES_16"})
	sqlReplica = dep(res(gcpSQLInstance, "sql-replica", obj{"masterInstanceName": computed}), "masterInstanceName", sqlPrimary)
	azDB       = res(azSQLDatabase, "appdb", obj{"zoneRedundant": true})
	azServer   = res(azSQLServer, "sqlsrv", obj{"location": "eastus2"})
	zone       = res("aws:route53/zone:Zone", "zone", obj{"name": "example.com"})
	primaryRec = dep(dep(res(awsRecord, "app-primary", obj{"name": "app.example.com", "type": "A", "zoneId": computed, "healthCheckId": computed,
		"failoverRoutingPolicies": arr{obj{"type": "PRIMARY"}}}), "zoneId", zone), "healthCheckId")
	secondaryRec = dep(res(awsRecord, "app-secondary", obj{"name": "app.example.com", "type": "A", "zoneId": computed,
		"failoverRoutingPolicies": arr{obj{"type": "SECONDARY"}}}), "zoneId", zone)
	vpc       = res(awsVPC, "net", obj{"cidrBlock": "10.0.0.0/16"})
	fdProfile = res(azCDNProfile, "fd", obj{"sku": obj{"name": "Standard_AzureFrontDoor"}})
	bucket    = res(awsBucketV2, "static", obj{"forceDestroy": false})
	bucketPAB = dep(res(awsBucketPAB, "static-pab", obj{"bucket": computed, "blockPublicAcls": true, "blockPublicPolicy": true, "ignorePublicAcls": true, "restrictPublicBuckets": true}), "bucket", bucket)
	bucketSSE = dep(res(awsBucketSSE, "static-sse", obj{"bucket": computed, "rules": arr{obj{"applyServerSideEncryptionByDefault": obj{"sseAlgorithm": "aws:kms"}}}}), "bucket", bucket)
	httpMap   = res(gcpURLMap, "web-redirect", obj{"defaultUrlRedirect": obj{"httpsRedirect": true}})
	appMap    = res(gcpURLMap, "web", obj{"defaultService": computed})
	httpProxy = dep(res(gcpHTTPProxy, "web-http", obj{"urlMap": computed}), "urlMap", httpMap)
	badProxy  = dep(res(gcpHTTPProxy, "web-http", obj{"urlMap": computed}), "urlMap", appMap)
)

var stackCases = []stackCase{
	{rule: "stack-db-read-replica",
		good: []Resource{rdsPrimary, rdsReplica},
		bad:  []Resource{rdsPrimary}, want: `RDS primary "db" has no read replica`},
	{name: "cloud sql", rule: "stack-db-read-replica",
		good: []Resource{sqlPrimary, sqlReplica},
		bad:  []Resource{sqlPrimary, res(gcpSQLInstance, "other", obj{"masterInstanceName": "elsewhere"})}, want: `Cloud SQL primary "sql" has no replica`},
	{name: "azure failover group", rule: "stack-db-read-replica",
		good: []Resource{azDB, dep(res(azFailoverGroup, "fog", obj{"databases": arr{computed}}), "databases", azDB)},
		bad:  []Resource{azDB}, want: `Azure SQL database "appdb" has no geo-secondary`},
	{rule: "stack-backup-covers-db",
		good: []Resource{rdsPrimary, rdsReplica, dep(res(awsBackupSelect, "backup-db", obj{"resources": arr{computed}}), "resources", rdsPrimary)},
		bad:  []Resource{rdsPrimary, res(awsBackupSelect, "backup-other", obj{"resources": arr{"arn:aws:ec2:volume/vol-1"}})}, want: `database "db" is in no AWS Backup selection`},
	{name: "selection by tag", rule: "stack-backup-covers-db",
		good: []Resource{res(awsRDSCluster, "aurora", obj{"tags": obj{"backup": "daily"}}), res(awsBackupSelect, "by-tag", obj{"selectionTags": arr{obj{"type": "STRINGEQUALS", "key": "backup", "value": "daily"}}})},
		bad:  []Resource{res(awsRDSCluster, "aurora", obj{"tags": obj{"backup": "none"}}), res(awsBackupSelect, "by-tag", obj{"selectionTags": arr{obj{"type": "STRINGEQUALS", "key": "backup", "value": "daily"}}})}, want: `database "aurora" is in no AWS Backup selection`},
	{name: "azure ltr", rule: "stack-backup-covers-db",
		good: []Resource{azDB, dep(res(azLTRPolicy, "appdb-ltr", obj{"databaseName": computed, "weeklyRetention": "P12W"}), "databaseName", azDB)},
		bad:  []Resource{azDB}, want: `Azure SQL database "appdb" has no backup retention policy`},
	{name: "azure pitr", rule: "stack-backup-covers-db",
		good: []Resource{azDB, dep(res(azSTRPolicy, "appdb-pitr", obj{"databaseName": computed, "retentionDays": 7}), "databaseName", azDB)},
		bad:  []Resource{azDB, res(azSTRPolicy, "other-pitr", obj{"databaseName": "otherdb", "retentionDays": 7})}, want: `Azure SQL database "appdb" has no backup retention policy`},
	{rule: "stack-failover-pair",
		good: []Resource{zone, primaryRec, secondaryRec},
		bad:  []Resource{zone, primaryRec}, want: `PRIMARY failover record "app-primary" (app.example.com) has no SECONDARY`},
	{name: "health check", rule: "stack-failover-pair",
		good: []Resource{zone, primaryRec, secondaryRec},
		bad:  []Resource{zone, dep(res(awsRecord, "app-primary", obj{"name": "app.example.com", "zoneId": computed, "failoverRoutingPolicies": arr{obj{"type": "PRIMARY"}}}), "zoneId", zone), secondaryRec},
		want: `PRIMARY failover record "app-primary" has no healthCheckId`},
	{name: "traffic manager", rule: "stack-failover-pair",
		good: []Resource{res(azTMProfile, "tm", obj{"trafficRoutingMethod": "Priority", "endpoints": arr{obj{"priority": 1}, obj{"priority": 2}}})},
		bad:  []Resource{res(azTMProfile, "tm", obj{"trafficRoutingMethod": "Priority", "endpoints": arr{obj{"priority": 1}}})}, want: `priority Traffic Manager profile "tm" has 1 endpoint(s)`},
	{rule: "stack-multi-region",
		good: []Resource{in(rdsPrimary, "us-east-1"), in(res(awsRDSInstance, "db-xr", obj{"replicateSourceDb": "arn"}), "us-west-2")},
		bad:  []Resource{in(rdsPrimary, "us-east-1"), in(rdsReplica, "us-east-1")}, want: "the database tier runs in only us-east-1"},
	{rule: "stack-disk-protection",
		good: []Resource{res(gcpDisk, "data", obj{"resourcePolicies": arr{computed}})},
		bad:  []Resource{res(gcpDisk, "data", obj{"size": 100})}, want: `"data" has no snapshot schedule`},
	{rule: "stack-sql-auditing-coverage",
		good: []Resource{azServer, dep(res(azServerAudit, "sqlsrv-audit", obj{"serverName": computed, "state": "Enabled"}), "serverName", azServer)},
		bad:  []Resource{azServer}, want: `SQL server "sqlsrv" has no ServerBlobAuditingPolicy`},
	{rule: "az-frontdoor-waf",
		good: []Resource{fdProfile, dep(res(azCDNSecurity, "fd-waf", obj{"profileName": computed, "parameters": obj{"type": "WebApplicationFirewall", "wafPolicy": obj{"id": computed}}}), "profileName", fdProfile)},
		bad:  []Resource{fdProfile}, want: `Front Door profile "fd" has no SecurityPolicy`},
	{rule: "gcp-lb-http-redirect",
		good: []Resource{httpMap, httpProxy, dep(res(gcpGlobalForwardingRule, "web-http", obj{"portRange": "80", "target": computed, "loadBalancingScheme": "EXTERNAL_MANAGED"}), "target", httpProxy)},
		bad:  []Resource{appMap, badProxy, dep(res(gcpGlobalForwardingRule, "web-http", obj{"portRange": "80", "target": computed, "loadBalancingScheme": "EXTERNAL_MANAGED"}), "target", badProxy)},
		want: `forwarding rule "web-http" serves plain HTTP`},
	{rule: "aws-s3-bucket-hardening",
		good: []Resource{bucket, bucketPAB, bucketSSE},
		bad:  []Resource{bucket, bucketSSE, res(awsBucketPAB, "other-pab", obj{"bucket": "other-bucket", "blockPublicAcls": true})}, want: `bucket "static" has no BucketPublicAccessBlock`},
	{name: "encryption", rule: "aws-s3-bucket-hardening",
		good: []Resource{bucket, bucketPAB, dep(res(awsBucketSSEv7, "static-sse", obj{"bucket": computed}), "bucket", bucket)},
		bad:  []Resource{bucket, bucketPAB}, want: `bucket "static" has no server-side encryption configuration`},
	{name: "legacy inline encryption, linked by name", rule: "aws-s3-bucket-hardening",
		good: []Resource{res(awsBucket, "legacy", obj{"bucket": "legacy-logs", "serverSideEncryptionConfiguration": obj{"rule": obj{"applyServerSideEncryptionByDefault": obj{"sseAlgorithm": "aws:kms"}}}}),
			res(awsBucketPAB, "legacy-pab", obj{"bucket": "legacy-logs"})},
		bad: []Resource{res(awsBucket, "legacy", obj{"bucket": "legacy-logs"}), res(awsBucketPAB, "legacy-pab", obj{"bucket": "legacy-logs"})}, want: `bucket "legacy" has no server-side encryption configuration`},
	{rule: "aws-vpc-flow-logs",
		good: []Resource{vpc, dep(res(awsFlowLog, "net-flow", obj{"vpcId": computed}), "vpcId", vpc)},
		bad:  []Resource{vpc}, want: `VPC "net" has no flow log`},
}

func TestStackRulesCompliantAndViolating(t *testing.T) {
	for _, tc := range stackCases {
		name := tc.rule
		if tc.name != "" {
			name += "/" + tc.name
		}
		t.Run(name, func(t *testing.T) {
			r := ByID(tc.rule)
			require.NotNil(t, r)
			require.True(t, r.Stack)
			env := tc.env
			if env == "" {
				env = "prod"
			}
			good := findings(t, tc.rule, env, tc.good...)
			assert.Empty(t, good, "compliant stack: %s", messages(good))
			bad := findings(t, tc.rule, env, tc.bad...)
			require.NotEmpty(t, bad, "violating stack passed")
			assert.Contains(t, messages(bad), tc.want)
		})
	}
}

func TestStackRulesLinkByValueWithoutDependencies(t *testing.T) {
	// A user program that passes a literal ARN (no recorded dependency) is linked by value.
	db := res(awsRDSInstance, "db", obj{"storageEncrypted": true})
	db.Outputs = props(obj{"arn": "arn:aws:rds:us-east-1:123:db:db"})
	sel := res(awsBackupSelect, "sel", obj{"resources": arr{"arn:aws:rds:us-east-1:123:db:db"}})
	assert.Empty(t, findings(t, "stack-backup-covers-db", "prod", db, sel))
}

func TestMultiRegionOnlyInProd(t *testing.T) {
	single := []Resource{in(rdsPrimary, "us-east-1")}
	assert.Empty(t, findings(t, "stack-multi-region", "dev", single...))
	assert.NotEmpty(t, findings(t, "stack-multi-region", "prod", single...))
}
