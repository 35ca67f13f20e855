package cache_test

import (
	"encoding/json"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scalestack/scalestack/components/aws/cache"
	"github.com/scalestack/scalestack/policies/rules"
	"github.com/scalestack/scalestack/testkit"
)

const (
	typeGroup   = "aws:elasticache/replicationGroup:ReplicationGroup"
	typeSubnets = "aws:elasticache/subnetGroup:SubnetGroup"
	typeParams  = "aws:elasticache/parameterGroup:ParameterGroup"
	typeKey     = "aws:kms/key:Key"
	typeSecret  = "aws:secretsmanager/secret:Secret"
	typeVersion = "aws:secretsmanager/secretVersion:SecretVersion"
	typeSG      = "aws:ec2/securityGroup:SecurityGroup"
	typeIngress = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
	typeEgress  = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"
	typeAlarm   = "aws:cloudwatch/metricAlarm:MetricAlarm"
)

// run places a cache in region through an explicit provider, admitting a web and a worker
// security group registered beside it.
func run(t *testing.T, region string, mutate func(*cache.Args), opts ...testkit.Option) *testkit.Plan {
	t.Helper()
	plan, err := testkit.RunExports(func(ctx *pulumi.Context) (pulumi.Map, error) {
		p, err := aws.NewProvider(ctx, "aws-"+region, &aws.ProviderArgs{Region: pulumi.String(region)})
		if err != nil {
			return nil, err
		}
		in := pulumi.Provider(p)
		web, err := ec2.NewSecurityGroup(ctx, "web", &ec2.SecurityGroupArgs{VpcId: pulumi.String("vpc-1")}, in)
		if err != nil {
			return nil, err
		}
		worker, err := ec2.NewSecurityGroup(ctx, "worker", &ec2.SecurityGroupArgs{VpcId: pulumi.String("vpc-1")}, in)
		if err != nil {
			return nil, err
		}
		args := &cache.Args{
			VpcID:     pulumi.String("vpc-1"),
			SubnetIDs: pulumi.ToStringArray([]string{"subnet-data-a", "subnet-data-b"}),
			AllowedSecurityGroupIDs: map[string]pulumi.StringInput{
				"web":    web.ID(),
				"worker": worker.ID(),
			},
			Tags: map[string]string{"team": "platform"},
		}
		if mutate != nil {
			mutate(args)
		}
		c, err := cache.New(ctx, "sessions", args, in)
		if err != nil {
			return nil, err
		}
		return pulumi.Map{
			"primary": c.PrimaryEndpoint, "reader": c.ReaderEndpoint, "port": c.Port,
			"secret": c.AuthSecretARN, "key": c.KMSKeyARN, "sg": c.SecurityGroupID,
			"id": c.ReplicationGroupID, "policy": c.ClientPolicyJSON,
		}, nil
	}, opts...)
	require.NoError(t, err)
	return plan
}

// secretInput is the plain value of a secret string input ("" when it is not one).
func secretInput(t *testing.T, r *testkit.Resource, key string) string {
	t.Helper()
	v, ok := r.Inputs[resource.PropertyKey(key)]
	if !ok || !v.IsSecret() || !v.SecretValue().Element.IsString() {
		t.Errorf("%s: input %q is not a secret string", r.URN, key)
		return ""
	}
	return v.SecretValue().Element.StringValue()
}

func TestCountsAndPlacement(t *testing.T) {
	plan := run(t, "eu-west-1", nil)
	comp := plan.Find(cache.TypeToken, "sessions")
	require.NotNil(t, comp)
	testkit.AssertCounts(t, plan, map[string]int{
		typeGroup: 1, typeSubnets: 1, typeParams: 1, typeKey: 1, typeSecret: 1, typeVersion: 1,
		typeSG:      3, // the cache's, and the test's web and worker groups
		typeIngress: 2, // from web, from worker
		typeEgress:  2, // web → cache, worker → cache
		typeAlarm:   4, // CPU, memory, evictions, replication lag (one replica by default)
	})
	assert.Len(t, plan.Descendants(comp.URN), 15)
	testkit.AssertPlaced(t, plan, comp, "eu-west-1")
	for _, c := range plan.Children(comp.URN) {
		assert.Equal(t, "eu-west-1", c.Region(), c.URN)
	}
}

// ElastiCache encrypts at rest only when asked for Redis OSS (the provider's default is
// false for engine "redis"), and kmsKeyId "can be specified only if atRestEncryptionEnabled
// = true"; authToken "can be specified only if transitEncryptionEnabled = true" (pulumi-aws
// v6.83.4 elasticache.ReplicationGroup docs).
func TestAuthTokenAndKMSKeyNeedEncryptionOn(t *testing.T) {
	for _, engine := range []string{"valkey", "redis"} {
		plan := run(t, "us-east-1", func(a *cache.Args) { a.Engine = engine })
		g := plan.Find(typeGroup, "sessions")
		key := plan.Find(typeKey, "sessions-key")
		require.NotNil(t, g)
		assert.Equal(t, engine, g.Input("engine"))
		assert.Equal(t, true, g.Input("atRestEncryptionEnabled"), engine)
		testkit.AssertWired(t, g, "kmsKeyId", key)
		assert.Equal(t, key.Output("arn"), g.Input("kmsKeyId"), "the key's ARN")
		assert.Equal(t, true, g.Input("transitEncryptionEnabled"), engine)
		assert.Equal(t, "required", g.Input("transitEncryptionMode"), "no plaintext connection is accepted")
		assert.Len(t, secretInput(t, g, "authToken"), cache.AuthTokenLength, "AUTH is on")
	}
}

// Automatic failover needs numCacheClusters > 1, and Multi-AZ needs automatic failover
// (pulumi-aws v6.83.4 elasticache.ReplicationGroup docs: automaticFailoverEnabled "If
// enabled, numCacheClusters must be greater than 1"; multiAzEnabled "If true,
// automaticFailoverEnabled must also be enabled").
func TestMultiAZFailoverNeedsAReplica(t *testing.T) {
	g := run(t, "us-east-1", nil).Find(typeGroup, "sessions")
	assert.Equal(t, float64(2), g.Input("numCacheClusters"), "a primary and one replica by default")
	assert.Equal(t, true, g.Input("automaticFailoverEnabled"))
	assert.Equal(t, true, g.Input("multiAzEnabled"))

	g = run(t, "us-east-1", func(a *cache.Args) { a.Replicas = 3 }).Find(typeGroup, "sessions")
	assert.Equal(t, float64(4), g.Input("numCacheClusters"))

	g = run(t, "us-east-1", func(a *cache.Args) { a.NoReplicas = true }).Find(typeGroup, "sessions")
	assert.Equal(t, float64(1), g.Input("numCacheClusters"))
	assert.Equal(t, false, g.Input("automaticFailoverEnabled"), "one node cannot fail over")
	assert.Equal(t, false, g.Input("multiAzEnabled"))
}

// The token never appears in plain state: it is a Pulumi secret in the secret version and
// in the replication group, the group reads it from the stored version, and later runs keep
// the stored version (ignoreChanges), so a new candidate token never reaches either.
func TestAuthTokenLivesInSecretsManagerOnly(t *testing.T) {
	plan := run(t, "us-east-1", nil)
	g := plan.Find(typeGroup, "sessions")
	v := plan.Find(typeVersion, "sessions-auth")
	s := plan.Find(typeSecret, "sessions-auth")
	key := plan.Find(typeKey, "sessions-key")
	assert.True(t, v.IsSecret("secretString"))
	assert.True(t, g.IsSecret("authToken"))
	testkit.AssertWired(t, g, "authToken", v)
	assert.Equal(t, secretInput(t, v, "secretString"), secretInput(t, g, "authToken"))
	assert.Equal(t, []string{"secretString"}, v.IgnoreChanges)
	testkit.AssertWired(t, v, "secretId", s)
	testkit.AssertWired(t, s, "kmsKeyId", key)
	assert.Equal(t, "ROTATE", g.Input("authTokenUpdateStrategy"))
	assert.Regexp(t, `^arn:aws:secretsmanager:us-east-1:123456789012:secret:`, plan.Outputs["secret"])
}

// The Terraform AWS provider removes the allow-all egress rule AWS adds to every new
// security group ("NOTE on Egress rules" in the aws_security_group docs, and issue 11 of
// this repository): a client group can reach the cache only with its own egress rule.
func TestProviderRemovesDefaultEgressSoClientsGetAnEgressRule(t *testing.T) {
	plan := run(t, "us-east-1", nil)
	comp := plan.Find(cache.TypeToken, "sessions")
	sg := plan.FindIn(comp, typeSG, "sessions")
	for _, k := range []string{"web", "worker"} {
		src := plan.Find(typeSG, k)
		out := plan.Find(typeEgress, "sessions-"+k+"-out")
		require.NotNil(t, out, k)
		testkit.AssertWired(t, out, "securityGroupId", src)
		testkit.AssertWired(t, out, "referencedSecurityGroupId", sg)
		assert.Equal(t, "tcp", out.Input("ipProtocol"))
		assert.Equal(t, float64(6379), out.Input("fromPort"))
		assert.Equal(t, float64(6379), out.Input("toPort"))
		assert.Nil(t, out.Input("cidrIpv4"), "to the cache's group, not a range")
	}
	assert.Nil(t, sg.Input("egress"), "the nodes open no connections: no egress on the cache's group")
	assert.Nil(t, sg.Input("ingress"), "no inline rules: they would fight the rule resources")
}

func TestOnlyTheAllowedGroupsReachTheCache(t *testing.T) {
	plan := run(t, "us-east-1", func(a *cache.Args) { a.Port = 6380 })
	comp := plan.Find(cache.TypeToken, "sessions")
	sg := plan.FindIn(comp, typeSG, "sessions")
	g := plan.Find(typeGroup, "sessions")
	testkit.AssertWired(t, g, "securityGroupIds", sg)
	assert.Equal(t, []any{sg.ID}, g.Input("securityGroupIds"), "only the cache's own group")
	ingress := plan.Owned(comp, typeIngress)
	require.Len(t, ingress, 2)
	for _, k := range []string{"web", "worker"} {
		in := plan.Find(typeIngress, "sessions-from-"+k)
		require.NotNil(t, in, k)
		testkit.AssertWired(t, in, "securityGroupId", sg)
		testkit.AssertWired(t, in, "referencedSecurityGroupId", plan.Find(typeSG, k))
		assert.Equal(t, float64(6380), in.Input("fromPort"))
		assert.Equal(t, float64(6380), in.Input("toPort"))
		assert.Nil(t, in.Input("cidrIpv4"))
		assert.Nil(t, in.Input("cidrIpv6"))
	}
	assert.Equal(t, float64(6380), g.Input("port"))
}

func TestDataSubnetsEvictionAndSnapshots(t *testing.T) {
	plan := run(t, "us-east-1", func(a *cache.Args) {
		a.EvictionPolicy = "allkeys-lfu"
		a.SnapshotRetentionDays = 14
	})
	g := plan.Find(typeGroup, "sessions")
	sub := plan.Find(typeSubnets, "sessions")
	params := plan.Find(typeParams, "sessions")
	testkit.AssertWired(t, g, "subnetGroupName", sub)
	testkit.AssertWired(t, g, "parameterGroupName", params)
	assert.Equal(t, []any{"subnet-data-a", "subnet-data-b"}, sub.Input("subnetIds"))
	assert.Equal(t, "valkey8", params.Input("family"))
	assert.Equal(t, []any{map[string]any{"name": "maxmemory-policy", "value": "allkeys-lfu"}}, params.Input("parameters"))
	assert.Equal(t, float64(14), g.Input("snapshotRetentionLimit"))
	assert.Equal(t, "03:00-04:00", g.Input("snapshotWindow"))
	assert.Equal(t, "8.0", g.Input("engineVersion"))
	assert.Equal(t, "cache.t4g.small", g.Input("nodeType"))
	assert.Equal(t, map[string]any{"team": "platform", "Name": "sessions"}, g.Input("tags"))
}

func TestOutputs(t *testing.T) {
	plan := run(t, "us-east-1", nil)
	assert.Regexp(t, `^master\.sessions-[0-9a-f]{7}\.`, plan.Outputs["primary"])
	assert.Regexp(t, `^replica\.sessions-[0-9a-f]{7}\.`, plan.Outputs["reader"])
	assert.EqualValues(t, 6379, plan.Outputs["port"])
	assert.Regexp(t, `^sg-`, plan.Outputs["sg"])
	assert.Regexp(t, `^arn:aws:kms:us-east-1:`, plan.Outputs["key"])

	var doc struct {
		Statement []struct {
			Action    any
			Resource  string
			Condition map[string]map[string]string
		}
	}
	require.NoError(t, json.Unmarshal([]byte(plan.Outputs["policy"].(string)), &doc))
	require.Len(t, doc.Statement, 2)
	assert.Equal(t, plan.Outputs["secret"], doc.Statement[0].Resource, "read this secret only")
	assert.Equal(t, plan.Outputs["key"], doc.Statement[1].Resource, "decrypt with this key only")
	assert.Equal(t, "secretsmanager.us-east-1.amazonaws.com", doc.Statement[1].Condition["StringEquals"]["kms:ViaService"])
}

func TestURNsStayStableWhenReplicasOrClientsAreAdded(t *testing.T) {
	small := run(t, "us-east-1", func(a *cache.Args) {
		a.NoReplicas = true
		delete(a.AllowedSecurityGroupIDs, "worker")
	})
	big := run(t, "us-east-1", func(a *cache.Args) { a.Replicas = 2 })
	testkit.AssertURNsStable(t, small, big)
}

func TestInvalidArgsRegisterNothing(t *testing.T) {
	var registered int
	_, err := testkit.Run(func(ctx *pulumi.Context) error {
		_, err := cache.New(ctx, "sessions", &cache.Args{Replicas: 9})
		return err
	}, testkit.OnNewResource(func(*testkit.Resource) error { registered++; return nil }))
	require.Error(t, err)
	assert.Contains(t, err.Error(), `cache "sessions": `)
	assert.Contains(t, err.Error(), "Replicas 9 is not allowed")
	assert.Zero(t, registered)
}

func TestPreviewRunsOffline(t *testing.T) {
	plan := run(t, "us-east-1", nil, testkit.DryRun(true))
	assert.Len(t, plan.ByType(typeGroup), 1)
}

// The cache passes the policy pack's cache rules in prod (encryption, AUTH, failover,
// snapshots) with its defaults; a single-node cache fails aws-elasticache-failover there.
func TestCachePassesThePolicyPack(t *testing.T) {
	plan := run(t, "us-east-1", nil, testkit.DryRun(true), testkit.Stack("prod"))
	rep, err := plan.Policies(rules.Options{Environment: "prod"})
	require.NoError(t, err)
	for _, id := range []string{"aws-elasticache-encrypted", "aws-elasticache-auth", "aws-elasticache-failover", "aws-elasticache-snapshots", "aws-kms-rotation"} {
		assert.Empty(t, rep.ByRule(id), id)
	}
	assert.Empty(t, rep.Mandatory())

	single := run(t, "us-east-1", func(a *cache.Args) { a.NoReplicas = true }, testkit.DryRun(true), testkit.Stack("prod"))
	rep, err = single.Policies(rules.Options{Environment: "prod"})
	require.NoError(t, err)
	assert.NotEmpty(t, rep.ByRule("aws-elasticache-failover"))
}

// TestElastiCacheNamesMemberClustersAfterTheGroup: a replication group with cluster mode
// disabled names its nodes' clusters "<group id>-001", "-002", ... (MemberClusters in the AWS
// CLI's describe-replication-groups example), and node metrics carry CacheClusterId with
// CacheNodeId "0001". The alarms watch exactly those nodes, every one of them, and take the
// worst through metric math, so a failover (the primary role moving) changes no alarm.
func TestElastiCacheNamesMemberClustersAfterTheGroup(t *testing.T) {
	assert.Equal(t, []string{"g-001", "g-002", "g-003"}, cache.MemberClusterIDs("g", 3))

	plan := run(t, "us-east-1", func(a *cache.Args) {
		a.Replicas = 2
		a.AlarmTopicARN = pulumi.String("arn:aws:sns:us-east-1:123456789012:alerts")
	})
	group := plan.Find(typeGroup, "sessions")
	require.NotNil(t, group)
	for key, metric := range map[string]string{
		cache.KeyCPU: "EngineCPUUtilization", cache.KeyMemory: "DatabaseMemoryUsagePercentage",
		cache.KeyEvictions: "Evictions", cache.KeyReplicationLag: "ReplicationLag",
	} {
		al := plan.Find(typeAlarm, "sessions-"+key)
		require.NotNil(t, al, key)
		assert.True(t, al.InputFrom("metricQueries", group), "%s: dimensions come from the group's id", key)
		qs := al.Input("metricQueries").([]any)
		require.Len(t, qs, 4, "%s: three nodes and the expression", key)
		for i, q := range qs[:3] {
			m := q.(map[string]any)["metric"].(map[string]any)
			assert.Equal(t, metric, m["metricName"], key)
			assert.Equal(t, "AWS/ElastiCache", m["namespace"], key)
			assert.Equal(t, cache.MemberClusterIDs(group.ID, 3)[i], m["dimensions"].(map[string]any)["CacheClusterId"], key)
			assert.Equal(t, cache.NodeID, m["dimensions"].(map[string]any)["CacheNodeId"], key)
		}
		last := qs[3].(map[string]any)
		assert.Equal(t, "MAX(METRICS())", last["expression"], key)
		assert.Equal(t, true, last["returnData"], key)
		assert.Equal(t, []any{"arn:aws:sns:us-east-1:123456789012:alerts"}, al.Input("alarmActions"), key)
		assert.Equal(t, []any{"arn:aws:sns:us-east-1:123456789012:alerts"}, al.Input("okActions"), key)
	}
}

// TestOnlyReplicasReportReplicationLag: the primary publishes no ReplicationLag, so a cache
// without replicas has no lag alarm, and the lag alarm treats missing data as not breaching.
func TestOnlyReplicasReportReplicationLag(t *testing.T) {
	single := run(t, "us-east-1", func(a *cache.Args) { a.NoReplicas = true })
	assert.Nil(t, single.Find(typeAlarm, "sessions-"+cache.KeyReplicationLag))
	assert.NotNil(t, single.Find(typeAlarm, "sessions-"+cache.KeyCPU))
	lag := run(t, "us-east-1", nil).Find(typeAlarm, "sessions-"+cache.KeyReplicationLag)
	require.NotNil(t, lag)
	assert.Equal(t, "notBreaching", lag.Input("treatMissingData"))
}
