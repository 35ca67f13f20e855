package awsstack_test

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	awsstack "github.com/scalestack/scalestack/stacks/aws"
	"github.com/scalestack/scalestack/stacks/spec"
	"github.com/scalestack/scalestack/testkit"
)

func build(ctx *pulumi.Context) (pulumi.Map, error) {
	s, err := spec.Load(ctx)
	if err != nil {
		return nil, err
	}
	return awsstack.Build(ctx, s)
}

func runStack(t testing.TB, cfg map[string]string) *testkit.Plan {
	t.Helper()
	base := map[string]string{
		"scalestack:cloud":  "aws",
		"scalestack:domain": `{"name": "app.example.com"}`,
		"scalestack:alerts": `{"email": "ops@example.com"}`,
	}
	for k, v := range cfg {
		base[k] = v
	}
	plan, err := testkit.RunExports(build, testkit.Config(base))
	require.NoError(t, err)
	return plan
}

// twoRegionDev is the shape of Pulumi.dev.yaml: dev sizes over two regions.
var twoRegionDev = map[string]string{
	"scalestack:aws":      `{"primaryRegion": "us-east-1", "secondaryRegion": "us-west-2"}`,
	"scalestack:database": `{"readReplicas": 1, "crossRegionReplica": true}`,
	"scalestack:backup":   `{"copyToSecondary": true, "retentionDays": 35, "weeklyRetentionDays": 90}`,
}

func TestDevCountsByTypeAndRegion(t *testing.T) {
	plan := runStack(t, twoRegionDev)
	counts := plan.CountByRegion()
	east, west := counts["us-east-1"], counts["us-west-2"]
	assert.Equal(t, 1, east["aws:ec2/vpc:Vpc"])
	assert.Equal(t, 1, west["aws:ec2/vpc:Vpc"])
	assert.Equal(t, 6, east["aws:ec2/subnet:Subnet"], "2 zones x public, private, data")
	assert.Equal(t, 1, east["aws:ec2/natGateway:NatGateway"], "one NAT in dev")
	assert.Equal(t, 2, east["aws:autoscaling/group:Group"], "web and workers")
	assert.Equal(t, 1, west["aws:autoscaling/group:Group"], "web only: the tiers are in the primary region")
	assert.Equal(t, 1, east["aws:elasticache/replicationGroup:ReplicationGroup"])
	assert.Equal(t, 2, east["aws:sqs/queue:Queue"], "the queue and its dead-letter queue")
	assert.Empty(t, west["aws:elasticache/replicationGroup:ReplicationGroup"])
	assert.Empty(t, west["aws:sqs/queue:Queue"])
	assert.Equal(t, 1, east["aws:cloudwatch/dashboard:Dashboard"])
	assert.Equal(t, 1, east["aws:lb/loadBalancer:LoadBalancer"])
	assert.Equal(t, 1, west["aws:lb/loadBalancer:LoadBalancer"])
	assert.Equal(t, 2, east["aws:rds/instance:Instance"], "primary and one read replica")
	assert.Equal(t, 1, west["aws:rds/instance:Instance"], "the cross-region replica")
	assert.Equal(t, 1, east["aws:cloudfront/distribution:Distribution"])
	assert.Equal(t, 2, east["aws:route53/healthCheck:HealthCheck"])
	assert.Equal(t, 1, east["aws:backup/plan:Plan"])
	assert.Equal(t, 1, west["aws:backup/vault:Vault"], "the copy vault")
	assert.Equal(t, 1, east["aws:sns/topic:Topic"])
	assert.Equal(t, 1, west["aws:sns/topic:Topic"])
	assert.Equal(t, 2, plan.CountByType()["pulumi:providers:aws"], "us-east-1 doubles as the edge region")
	assert.Empty(t, counts[""], "every resource has a region: no default provider anywhere")

	rds := plan.Find("aws:rds/instance:Instance", "backend-db")
	require.NotNil(t, rds)
	assert.Equal(t, false, rds.Input("multiAz"), "dev runs a single-AZ primary")
	assert.Equal(t, false, rds.Input("deletionProtection"))
}

func TestProdCountsByTypeAndRegion(t *testing.T) {
	plan := runStack(t, map[string]string{"scalestack:environment": "prod", "scalestack:aws": `{"primaryRegion": "eu-west-1", "secondaryRegion": "eu-central-1"}`})
	counts := plan.CountByRegion()
	euw, euc, use := counts["eu-west-1"], counts["eu-central-1"], counts["us-east-1"]
	assert.Equal(t, 9, euw["aws:ec2/subnet:Subnet"], "3 zones x public, private, data")
	assert.Equal(t, 3, euw["aws:ec2/natGateway:NatGateway"], "a NAT per zone in prod")
	assert.Equal(t, 3, euc["aws:ec2/natGateway:NatGateway"])
	assert.Equal(t, 2, euw["aws:rds/instance:Instance"])
	assert.Equal(t, 1, euc["aws:rds/instance:Instance"])
	assert.Equal(t, 1, use["aws:acm/certificate:Certificate"], "CloudFront's certificate comes from us-east-1")
	assert.Equal(t, 3, plan.CountByType()["pulumi:providers:aws"], "primary, secondary and the us-east-1 edge provider")

	rds := plan.Find("aws:rds/instance:Instance", "backend-db")
	require.NotNil(t, rds)
	assert.Equal(t, true, rds.Input("multiAz"))
	assert.Equal(t, true, rds.Input("deletionProtection"))
	assert.EqualValues(t, 14, rds.Input("backupRetentionPeriod"))
	lb := plan.Find("aws:lb/loadBalancer:LoadBalancer", "backend-primary-lb")
	require.NotNil(t, lb)
	assert.Equal(t, true, lb.Input("enableDeletionProtection"))
}

func TestOutputs(t *testing.T) {
	plan := runStack(t, twoRegionDev)
	out := plan.Outputs
	assert.Equal(t, "https://app.example.com", out["url"])
	assert.Regexp(t, `^d[0-9a-f]+\.cloudfront\.net$`, out["cdnDomainName"])
	lbs, ok := out["loadBalancerDnsNames"].(map[string]any)
	require.True(t, ok, "%T", out["loadBalancerDnsNames"])
	assert.Contains(t, lbs["primary"], ".us-east-1.elb.amazonaws.com")
	assert.Contains(t, lbs["secondary"], ".us-west-2.elb.amazonaws.com")
	assert.Contains(t, out["databaseEndpoint"], ".us-east-1.rds.amazonaws.com:5432")
	assert.Contains(t, out["crossRegionReplicaEndpoint"], ".us-west-2.rds.amazonaws.com:5432")
	assert.Len(t, out["readReplicaEndpoints"], 1)
	assert.Len(t, out["nameServers"], 4)
	assert.Empty(t, out["notes"])
	assert.Equal(t, "https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#dashboards:name=scalestack-dev-backend", out["dashboardUrl"])
	assert.Contains(t, out["queueUrl"], "https://sqs.us-east-1.amazonaws.com/")
	assert.Regexp(t, `^master\.backend-cache-`, out["cacheEndpoint"])
	assert.NotEmpty(t, out["cdnDistributionId"])
}

func TestSingleRegionSaysWhatItLeftOut(t *testing.T) {
	plan := runStack(t, map[string]string{"scalestack:aws": `{"secondaryRegion": ""}`})
	assert.Empty(t, plan.CountByRegion()["us-west-2"])
	assert.Empty(t, plan.ByType("aws:route53/healthCheck:HealthCheck"))
	notes, _ := plan.Outputs["notes"].([]any)
	require.Len(t, notes, 1)
	assert.Contains(t, notes[0], "single region")
}

func TestAddingAReplicaOrTheSecondaryRegionKeepsEveryURN(t *testing.T) {
	single := runStack(t, map[string]string{"scalestack:aws": `{"secondaryRegion": ""}`})
	pair := runStack(t, twoRegionDev)
	assert.Empty(t, testkit.MissingURNs(single, pair), "adding the secondary region replaces nothing")

	more := map[string]string{}
	for k, v := range twoRegionDev {
		more[k] = v
	}
	more["scalestack:database"] = `{"readReplicas": 2, "crossRegionReplica": true}`
	bigger := runStack(t, more)
	assert.Empty(t, testkit.MissingURNs(pair, bigger), "adding a read replica replaces nothing")
	assert.Len(t, bigger.ByType("aws:rds/instance:Instance"), 4)
}

func TestInvalidConfigRegistersNothing(t *testing.T) {
	registered := 0
	_, err := testkit.RunExports(build, testkit.Config(map[string]string{
		"scalestack:cloud": "aws",
		"scalestack:web":   `{"minSize": 5, "maxSize": 2}`,
	}), testkit.OnNewResource(func(*testkit.Resource) error { registered++; return nil }))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "scalestack:web.maxSize: 2 is less than web.minSize 5")
	assert.Zero(t, registered)
}

// BenchmarkAWSStack measures the two-region dev reference stack under mocks.
func BenchmarkAWSStack(b *testing.B) {
	b.ReportAllocs()
	resources := 0
	for i := 0; i < b.N; i++ {
		plan := runStack(b, twoRegionDev)
		resources = len(plan.Resources)
	}
	b.ReportMetric(float64(resources), "resources/op")
	b.ReportMetric(float64(resources)*float64(b.N)/b.Elapsed().Seconds(), "resources/s")
}

// TestFirstDeployStepCreatesOnlyTheZone: scalestack:domain.delegated false is the first step
// of a first deploy (ACM DNS validation waits for a delegation that does not exist yet: see
// backend.TestACMWaitsForDelegationSoTheFirstStepCreatesOnlyTheZone): only the hosted zone,
// and its name servers in the outputs.
func TestFirstDeployStepCreatesOnlyTheZone(t *testing.T) {
	plan := runStack(t, map[string]string{"scalestack:domain": `{"name": "app.example.com", "delegated": false}`})
	assert.Len(t, plan.ByType("aws:route53/zone:Zone"), 1)
	assert.Empty(t, plan.ByType("aws:acm/certificate:Certificate"))
	assert.Empty(t, plan.ByType("aws:ec2/vpc:Vpc"))
	assert.Len(t, plan.Outputs["nameServers"], 4)
	notes, _ := plan.Outputs["notes"].([]any)
	require.NotEmpty(t, notes)
	assert.Contains(t, notes[0], "set scalestack:domain.delegated to true")

	full := runStack(t, nil)
	assert.Empty(t, testkit.MissingURNs(plan, full), "the full deploy keeps the zone's URN")
}

// TestAnExistingHostedZoneIsUsedAsIs: scalestack:aws.hostedZoneId puts every record in that
// zone and creates none.
func TestAnExistingHostedZoneIsUsedAsIs(t *testing.T) {
	plan := runStack(t, map[string]string{"scalestack:aws": `{"hostedZoneId": "Z0123456789ABCDEFGHIJ"}`})
	assert.Empty(t, plan.ByType("aws:route53/zone:Zone"))
	records := plan.ByType("aws:route53/record:Record")
	require.NotEmpty(t, records)
	for _, r := range records {
		assert.Equal(t, "Z0123456789ABCDEFGHIJ", r.Input("zoneId"), r.Name)
	}
}

// TestWAFBodySizeActionFollowsConfig: scalestack:aws.wafBodySizeAction reaches the web ACL
// (waf.TestCommonRuleSetBlocksBodiesOver8KBSoTheBodySizeRuleCounts has the rule).
func TestWAFBodySizeActionFollowsConfig(t *testing.T) {
	const override = "rules.0.statement.managedRuleGroupStatement.ruleActionOverrides.0.name"
	acl := runStack(t, nil).ByType("aws:wafv2/webAcl:WebAcl")
	require.Len(t, acl, 1)
	assert.Equal(t, "SizeRestrictions_BODY", acl[0].Input(override))
	acl = runStack(t, map[string]string{"scalestack:aws": `{"wafBodySizeAction": "block"}`}).ByType("aws:wafv2/webAcl:WebAcl")
	require.Len(t, acl, 1)
	assert.Nil(t, acl[0].Input(override))
}

// TestDevBucketsAreDestroyableAndProdBucketsRetained: see
// cdn.TestS3RefusesToDeleteNonEmptyBucketsSoDevEmptiesThemAndOthersRetain for the S3 rule and
// backup.TestBackupDeletesOnlyEmptyVaultsSoDevDestroysRecoveryPointsAndOthersRetain for vaults.
func TestDevBucketsAreDestroyableAndProdBucketsRetained(t *testing.T) {
	for _, env := range []string{"dev", "prod"} {
		plan := runStack(t, map[string]string{"scalestack:environment": env})
		buckets := plan.ByType("aws:s3/bucketV2:BucketV2")
		require.NotEmpty(t, buckets)
		for _, b := range buckets {
			if env == "dev" {
				assert.Equal(t, true, b.Input("forceDestroy"), "%s %s", env, b.Name)
				assert.False(t, b.RetainOnDelete, "%s %s", env, b.Name)
			} else {
				assert.Equal(t, false, b.Input("forceDestroy"), "%s %s", env, b.Name)
				assert.True(t, b.RetainOnDelete, "%s %s", env, b.Name)
			}
		}
		for _, v := range plan.ByType("aws:backup/vault:Vault") {
			assert.Equal(t, env == "dev", v.Input("forceDestroy"), "%s %s", env, v.Name)
			assert.Equal(t, env != "dev", v.RetainOnDelete, "%s %s", env, v.Name)
		}
	}
}

// TestFirstDeployStepPreviews: the zone-only step previews (dry run) with every output set,
// the dashboard's URL and the tiers' included ("" until the full deploy).
func TestFirstDeployStepPreviews(t *testing.T) {
	plan, err := testkit.RunExports(build, testkit.Config(map[string]string{
		"scalestack:cloud":  "aws",
		"scalestack:domain": `{"name": "app.example.com", "delegated": false}`,
	}), testkit.DryRun(true))
	require.NoError(t, err)
	for _, k := range []string{"dashboardUrl", "queueUrl", "cacheEndpoint", "cdnDistributionId"} {
		assert.Equal(t, "", plan.Outputs[k], k)
	}
}
