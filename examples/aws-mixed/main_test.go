package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scalestack/scalestack/testkit"
)

const project = "aws-mixed"

// completeMocks answers the attributes the built-in AWS mocks leave out for these types, as
// AWS would: an autonamed subnet group's name, a queue's URL, a cache's endpoint. It shows
// how a test fills gaps with testkit.OnNewResource.
func completeMocks(r *testkit.Resource) error {
	set := func(k, v string) {
		if _, ok := r.Outputs[resource.PropertyKey(k)]; !ok {
			r.Outputs[resource.PropertyKey(k)] = resource.NewStringProperty(v)
		}
	}
	switch r.Type {
	case "aws:elasticache/subnetGroup:SubnetGroup":
		set("name", r.Name)
	case "aws:sqs/queue:Queue":
		// The hook runs before the plan exists, so the region comes from the mocked ARN.
		region := strings.Split(r.OutputString("arn"), ":")[3]
		set("url", "https://sqs."+region+".amazonaws.com/"+testkit.FakeAWSAccountID+"/"+r.Name)
	case "aws:elasticache/replicationGroup:ReplicationGroup":
		set("primaryEndpointAddress", "master."+r.Name+".abc123.use1.cache.amazonaws.com")
	}
	return nil
}

func run(t *testing.T, cfg map[string]string) *testkit.Plan {
	t.Helper()
	plan, err := testkit.RunExports(program, testkit.Project(project), testkit.Config(cfg), testkit.OnNewResource(completeMocks))
	require.NoError(t, err)
	return plan
}

// TestProgram asserts the wiring in both directions between the components and the
// program's own resources, and that everything shares the one explicit provider.
func TestProgram(t *testing.T) {
	plan := run(t, map[string]string{project + ":region": "eu-west-1"})

	testkit.AssertCounts(t, plan, map[string]int{
		"pulumi:providers:aws":                              1,
		"scalestack:aws:Network":                            1,
		"scalestack:aws:Database":                           1,
		"aws:ec2/vpc:Vpc":                                   1,
		"aws:ec2/subnet:Subnet":                             6, // public, private, data × 2 zones
		"aws:rds/instance:Instance":                         1,
		"aws:ec2/securityGroup:SecurityGroup":               3, // database (ours), workers and cache (yours)
		"aws:sqs/queue:Queue":                               2,
		"aws:elasticache/subnetGroup:SubnetGroup":           1,
		"aws:elasticache/replicationGroup:ReplicationGroup": 1,
		"aws:iam/rolePolicy:RolePolicy":                     2, // the flow-log role's (ours) and the workers' (yours)
	})
	provider := plan.Find("pulumi:providers:aws", "aws-eu-west-1")
	require.NotNil(t, provider)
	netc := plan.Find("scalestack:aws:Network", "jobs")
	dbc := plan.Find("scalestack:aws:Database", "jobs-db")
	testkit.AssertPlaced(t, plan, netc, "eu-west-1")
	testkit.AssertPlaced(t, plan, dbc, "eu-west-1")
	// The program's own resources: at the top of the stack, on the same explicit provider.
	own := plan.Where(func(r *testkit.Resource) bool { return r.Custom && !r.IsProvider() && plan.Component(r) == nil })
	assert.Len(t, own, 8)
	for _, r := range own {
		assert.Equal(t, provider.URN, r.Provider, r.URN)
	}

	vpc := plan.FindIn(netc, "aws:ec2/vpc:Vpc", "jobs")
	workers := plan.Find("aws:ec2/securityGroup:SecurityGroup", "workers")
	cacheSG := plan.Find("aws:ec2/securityGroup:SecurityGroup", "jobs-cache")
	cacheSubnets := plan.Find("aws:elasticache/subnetGroup:SubnetGroup", "jobs-cache")
	cache := plan.Find("aws:elasticache/replicationGroup:ReplicationGroup", "jobs-cache")
	queue := plan.Find("aws:sqs/queue:Queue", "jobs")
	dlq := plan.Find("aws:sqs/queue:Queue", "jobs-dlq")
	policy := plan.Find("aws:iam/rolePolicy:RolePolicy", "workers")
	role := plan.Find("aws:iam/role:Role", "workers")
	for _, r := range []*testkit.Resource{vpc, workers, cacheSG, cacheSubnets, cache, queue, dlq, policy, role} {
		require.NotNil(t, r)
	}

	// Ours → yours: the VPC and the data subnets place the workers and the cache.
	testkit.AssertWired(t, workers, "vpcId", vpc)
	testkit.AssertWired(t, cacheSG, "vpcId", vpc)
	for _, z := range []string{"a", "b"} {
		data := plan.FindIn(netc, "aws:ec2/subnet:Subnet", "jobs-data-eu-west-1"+z)
		require.NotNil(t, data, z)
		testkit.AssertWired(t, cacheSubnets, "subnetIds", data)
		private := plan.FindIn(netc, "aws:ec2/subnet:Subnet", "jobs-private-eu-west-1"+z)
		assert.False(t, cacheSubnets.InputFrom("subnetIds", private), "the cache stays in the data subnets")
	}
	testkit.AssertWired(t, cache, "subnetGroupName", cacheSubnets)
	testkit.AssertWired(t, cache, "securityGroupIds", cacheSG)

	// Yours → ours: the workers' group is the only one the database admits.
	dbSG := plan.FindIn(dbc, "aws:ec2/securityGroup:SecurityGroup", "jobs-db-sg")
	require.NotNil(t, dbSG)
	testkit.AssertWired(t, dbSG, "ingress", workers)
	assert.Equal(t, []any{workers.ID}, dbSG.Input("ingress.0.securityGroups"))
	assert.Len(t, dbSG.Input("ingress"), 1)
	testkit.AssertWired(t, cacheSG, "ingress", workers)

	// Ours and yours → yours: the workers' policy names the queue and the database's
	// managed secret, through their outputs.
	primary := plan.FindIn(dbc, "aws:rds/instance:Instance", "jobs-db")
	require.NotNil(t, primary)
	testkit.AssertWired(t, policy, "policy", queue)
	testkit.AssertWired(t, policy, "policy", primary)
	testkit.AssertWired(t, policy, "role", role)
	var doc struct {
		Statement []struct {
			Resource string
			Action   any
		}
	}
	require.NoError(t, json.Unmarshal([]byte(policy.InputString("policy")), &doc))
	require.Len(t, doc.Statement, 2)
	assert.Equal(t, queue.OutputString("arn"), doc.Statement[0].Resource)
	assert.Equal(t, primary.OutputString("masterUserSecrets.0.secretArn"), doc.Statement[1].Resource)
	assert.Regexp(t, `^arn:aws:secretsmanager:eu-west-1:`, doc.Statement[1].Resource)
	testkit.AssertWired(t, queue, "redrivePolicy", dlq)

	// Encryption at rest and in transit on the program's own data stores.
	assert.Equal(t, true, cache.Input("atRestEncryptionEnabled"))
	assert.Equal(t, true, cache.Input("transitEncryptionEnabled"))
	assert.Equal(t, true, queue.Input("sqsManagedSseEnabled"))
	assert.Equal(t, true, dlq.Input("sqsManagedSseEnabled"))

	assert.Equal(t, "https://sqs.eu-west-1.amazonaws.com/123456789012/jobs", plan.Outputs["queueUrl"])
	assert.Equal(t, cache.OutputString("primaryEndpointAddress"), plan.Outputs["cacheEndpoint"])
	assert.Equal(t, primary.OutputString("endpoint"), plan.Outputs["dbEndpoint"])
	assert.Equal(t, role.OutputString("arn"), plan.Outputs["workerRoleArn"])
}

// TestDefaultRegion places everything in us-east-1 without config.
func TestDefaultRegion(t *testing.T) {
	plan := run(t, nil)
	assert.Equal(t, []string{"us-east-1"}, plan.Regions())
}
