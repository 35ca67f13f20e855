package backend_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/property"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scalestack/scalestack/components/aws/backend"
	"github.com/scalestack/scalestack/components/aws/cache"
	"github.com/scalestack/scalestack/components/aws/queue"
	"github.com/scalestack/scalestack/policies/flows"
	"github.com/scalestack/scalestack/testkit"
)

const (
	tQueue     = "aws:sqs/queue:Queue"
	tPolicy    = "aws:autoscaling/policy:Policy"
	tGroup     = "aws:elasticache/replicationGroup:ReplicationGroup"
	tDashboard = "aws:cloudwatch/dashboard:Dashboard"
)

// withTiers adds the cache (one replica) and the queue with its workers.
func withTiers(a *backend.Args) {
	a.Cache = &backend.Cache{Replicas: 1, MemoryGB: 3}
	a.Queue = &backend.Queue{MaxReceiveCount: 4, Workers: backend.Workers{MinSize: 2, MaxSize: 6, BacklogPerWorker: 50}}
	a.CDNPageCaching = true
}

// TestWorkerScalesOnTheBacklogOfItsOwnQueue: the target-tracking policy divides the visible
// messages of the backend's queue (not its dead-letter queue) by the worker group's
// in-service instances, the metric-math form of the EC2 Auto Scaling user guide ("Scaling
// policy based on Amazon SQS"), and the workers run in the primary region's private subnets.
func TestWorkerScalesOnTheBacklogOfItsOwnQueue(t *testing.T) {
	plan := run(t, withTiers)
	q := plan.Find(tQueue, "shop-queue")
	dlq := plan.Find(tQueue, "shop-queue-dlq")
	asg := plan.Find(tASG, "shop-worker")
	pol := plan.Find(tPolicy, "shop-worker-backlog")
	require.NotNil(t, q)
	require.NotNil(t, dlq)
	require.NotNil(t, asg)
	require.NotNil(t, pol)
	assert.Equal(t, "us-east-1", asg.Region())
	assert.EqualValues(t, 50, pol.Input("targetTrackingConfiguration.targetValue"))
	assert.True(t, pol.InputFrom("targetTrackingConfiguration", q), "the backlog is the queue's")
	assert.False(t, pol.InputFrom("targetTrackingConfiguration", dlq), "not the dead-letter queue's")
	assert.True(t, pol.InputFrom("targetTrackingConfiguration", asg), "divided by this group's in-service instances")
	metrics := pol.Input("targetTrackingConfiguration.customizedMetricSpecification.metrics").([]any)
	visible := metrics[0].(map[string]any)["metricStat"].(map[string]any)["metric"].(map[string]any)
	assert.Equal(t, "ApproximateNumberOfMessagesVisible", visible["metricName"])
	assert.Equal(t, q.Output("name"), visible["dimensions"].([]any)[0].(map[string]any)["value"])
	assert.EqualValues(t, 2, asg.Input("minSize"))
	assert.EqualValues(t, 6, asg.Input("maxSize"))
	pri := plan.Find("aws:ec2/vpc:Vpc", "shop-primary-network")
	require.NotNil(t, pri)
	for _, s := range asg.PropertyDependencies["vpcZoneIdentifiers"] {
		assert.Contains(t, plan.ByURN(s).Name, "shop-primary-network-private", "workers run in the private subnets")
	}
}

// TestDeadLetterQueueIsWiredAndTheTierAlarmsReachThePrimaryTopic: SQS moves a message to the
// queue named by the redrive policy's deadLetterTargetArn after maxReceiveCount receives (SQS
// developer guide, "Using dead-letter queues"); the backend's queue points at its own
// dead-letter queue, and the queue's and the cache's alarms notify the primary region's
// alert topic (one place for each alarm: the monitoring component has none of them).
func TestDeadLetterQueueIsWiredAndTheTierAlarmsReachThePrimaryTopic(t *testing.T) {
	plan := run(t, withTiers)
	q := plan.Find(tQueue, "shop-queue")
	dlq := plan.Find(tQueue, "shop-queue-dlq")
	require.NotNil(t, q)
	require.NotNil(t, dlq)
	assert.True(t, q.InputFrom("redrivePolicy", dlq))
	var redrive map[string]any
	require.NoError(t, json.Unmarshal([]byte(q.InputString("redrivePolicy")), &redrive))
	assert.Equal(t, dlq.Output("arn"), redrive["deadLetterTargetArn"])
	assert.EqualValues(t, 4, redrive["maxReceiveCount"])

	topic := plan.Find(tTopic, "shop-primary-monitoring-alerts")
	require.NotNil(t, topic)
	for _, name := range []string{
		"shop-queue-" + queue.KeyOldestMessage, "shop-queue-" + queue.KeyDLQNotEmpty,
		"shop-cache-" + cache.KeyCPU, "shop-cache-" + cache.KeyMemory, "shop-cache-" + cache.KeyEvictions, "shop-cache-" + cache.KeyReplicationLag,
	} {
		al := plan.Find(tAlarm, name)
		require.NotNil(t, al, name)
		assert.True(t, al.InputFrom("alarmActions", topic), "%s notifies the primary topic", name)
		assert.Equal(t, "us-east-1", al.Region(), name)
	}
	assert.True(t, plan.Find(tAlarm, "shop-queue-"+queue.KeyDLQNotEmpty).InputFrom("dimensions", dlq))
	assert.True(t, plan.Find(tAlarm, "shop-queue-"+queue.KeyOldestMessage).InputFrom("dimensions", q))
	// No duplicates: the monitoring components alarm on none of the tiers' metrics.
	for _, al := range plan.ByType(tAlarm) {
		if strings.Contains(al.Name, "monitoring") {
			assert.NotContains(t, []any{"AWS/SQS", "AWS/ElastiCache"}, al.Input("namespace"), al.Name)
		}
	}
}

// declare is a plan resource carrying extra declared flows, for the evaluator to judge
// flows the backend does not declare.
func declare(fs ...flows.Declared) flows.Resource {
	var items []property.Value
	ref := func(r flows.Ref) property.Value {
		return property.New(property.NewMap(map[string]property.Value{
			"urn": property.New(r.URN), "type": property.New(r.Type), "name": property.New(r.Name),
		}))
	}
	for _, f := range fs {
		items = append(items, property.New(property.NewMap(map[string]property.Value{
			"name": property.New(f.Name), "kind": property.New(string(f.Kind)), "protocol": property.New("tcp"),
			"port": property.New(float64(f.Port)), "permission": property.New(""),
			"from": ref(f.From), "to": ref(f.To),
		})))
	}
	return flows.Resource{URN: "urn:pulumi:test::test::test:Probe::probe", Type: "test:Probe", Name: "probe",
		Properties: property.NewMap(map[string]property.Value{flows.OutputKey: property.New(property.NewArray(items))})}
}

// TestCacheIsReachableOnlyFromTheWebTierAndTheWorkers proves both ways with the flow
// evaluator, which reads the security groups and their rule resources as deployed: the
// primary web tier and the workers reach the cache's port; the load balancers, the database,
// the secondary web tier and the cache itself do not, even on that port.
func TestCacheIsReachableOnlyFromTheWebTierAndTheWorkers(t *testing.T) {
	plan := run(t, withTiers)
	for _, name := range []string{"primary: web → cache", "primary: worker → cache",
		"primary: web reads the cache AUTH token", "primary: worker reads the cache AUTH token",
		"primary: web decrypts the cache AUTH token", "primary: worker decrypts the cache AUTH token",
		"primary: web sends to the queue", "secondary: web sends to the queue",
		"primary: worker ReceiveMessage on the queue", "primary: worker DeleteMessage on the queue"} {
		testkit.AssertFlowAllowed(t, plan, name)
	}
	cacheSG := plan.Find(tSG, "shop-cache")
	require.NotNil(t, cacheSG)
	var probes []flows.Declared
	for _, other := range plan.ByType(tSG) {
		switch other.Name {
		case "shop-primary-web", "shop-worker":
			continue
		}
		probes = append(probes, flows.Declared{Name: other.Name + " → cache", Kind: flows.Network, Port: cache.DefaultPort,
			From: flows.Ref{URN: other.URN}, To: flows.Ref{URN: cacheSG.URN}})
	}
	require.GreaterOrEqual(t, len(probes), 5, "load balancers, database groups, the secondary web tier, the cache")
	rep := flows.Evaluate(append(plan.FlowResources(), declare(probes...)))
	for _, p := range probes {
		f, ok := rep.Named(p.Name)
		require.True(t, ok, p.Name)
		assert.Equal(t, flows.Blocked, f.Verdict, "%s: %s", p.Name, f.Reason)
	}
	// And the allowed ones are allowed in the same evaluation, so the probes are not blocked
	// for a reason of their own.
	for _, name := range []string{"primary: web → cache", "primary: worker → cache"} {
		f, ok := rep.Named(name)
		require.True(t, ok)
		assert.Equal(t, flows.Allowed, f.Verdict, name)
	}
	// Without the cache's rule for the workers, the worker flow is blocked.
	f, ok := plan.FlowsWithout("shop-cache-worker-out").Named("primary: worker → cache")
	require.True(t, ok)
	assert.Equal(t, flows.Blocked, f.Verdict)
}

// TestTiersLiveInThePrimaryRegionOnly: the cache, the queue and the workers are in the
// primary region; the secondary web tier gets only the right to send to the primary's queue
// (SQS is reached over HTTPS) and its own tiers parameter, which names no cache.
func TestTiersLiveInThePrimaryRegionOnly(t *testing.T) {
	plan := run(t, withTiers)
	for _, typ := range []string{tGroup, tQueue, "aws:elasticache/subnetGroup:SubnetGroup"} {
		for _, r := range plan.ByType(typ) {
			assert.Equal(t, "us-east-1", r.Region(), r.Name)
		}
	}
	assert.Nil(t, plan.Find(tRolePol, "shop-secondary-web-cache"), "no cache client policy in the secondary")
	send := plan.Find(tRolePol, "shop-secondary-web-queue")
	require.NotNil(t, send)
	assert.True(t, send.InputFrom("policy", plan.Find(tQueue, "shop-queue")))
	param := plan.Find(tParam, "shop-secondary-tiers")
	require.NotNil(t, param)
	assert.Equal(t, "eu-west-1", param.Region())
	var doc backend.TiersConnection
	require.NoError(t, json.Unmarshal([]byte(secretString(t, param, "value")), &doc))
	assert.Nil(t, doc.Cache)
	require.NotNil(t, doc.Queue)
	assert.Equal(t, "us-east-1", doc.Queue.Region)
}

// TestWebAndWorkersFindTheTiersInTheirParameter: the primary web instances learn the
// parameter's name from app.env, the workers from worker.env; each role reads exactly its
// parameter; the document names the cache's endpoints, TLS port and AUTH secret, and the
// queue's URL.
func TestWebAndWorkersFindTheTiersInTheirParameter(t *testing.T) {
	plan := run(t, withTiers)
	param := plan.Find(tParam, "shop-primary-tiers")
	require.NotNil(t, param)
	var doc backend.TiersConnection
	require.NoError(t, json.Unmarshal([]byte(secretString(t, param, "value")), &doc))
	require.NotNil(t, doc.Cache)
	require.NotNil(t, doc.Queue)
	assert.Equal(t, plan.Find(tQueue, "shop-queue").Output("url"), doc.Queue.URL)
	assert.Equal(t, plan.Find("aws:secretsmanager/secret:Secret", "shop-cache-auth").Output("arn"), doc.Cache.AuthSecretARN)
	assert.Equal(t, cache.DefaultPort, doc.Cache.Port)
	assert.NotEmpty(t, doc.Cache.Primary)

	lt := plan.Find(tTemplate, "shop-primary-web")
	require.NotNil(t, lt)
	assert.Contains(t, decodeUserData(t, lt.InputString("userData")), backend.TiersParameterEnv+"="+param.InputString("name"))
	wlt := plan.Find(tTemplate, "shop-worker")
	require.NotNil(t, wlt)
	assert.Contains(t, decodeUserData(t, wlt.InputString("userData")), backend.TiersParameterEnv+"="+plan.Find(tParam, "shop-worker-tiers").InputString("name"))
	for role, param := range map[string]string{"shop-primary-web-tiers": "shop-primary-tiers", "shop-worker-tiers": "shop-worker-tiers"} {
		p := plan.Find(tRolePol, role)
		require.NotNil(t, p, role)
		assert.True(t, p.InputFrom("policy", plan.Find(tParam, param)), role)
		assert.NotContains(t, p.InputString("policy"), `"*"`, role)
	}
}

// TestCloudWatchDashboardMetricMathNamesMetricsOfItsWidget: in a dashboard body, a metric
// used in an expression needs an "id" (starting with a lowercase letter), and an expression
// can name only ids of its own widget ("Dashboard Body Structure and Syntax", metric widget:
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/CloudWatch-Dashboard-Body-Structure.html).
// The dashboard also carries the on-call numbers of every tier, each in its region.
func TestCloudWatchDashboardMetricMathNamesMetricsOfItsWidget(t *testing.T) {
	plan := run(t, withTiers)
	d := plan.Find(tDashboard, "shop-dashboard")
	require.NotNil(t, d)
	assert.Equal(t, "us-east-1", d.Region())
	assert.Equal(t, "scalestack-dev-shop", d.Input("dashboardName"))
	var body struct {
		Widgets []struct {
			Type       string
			Properties struct {
				Title, Region string
				Metrics       [][]any
			}
		}
	}
	require.NoError(t, json.Unmarshal([]byte(d.InputString("dashboardBody")), &body))
	titles := map[string]string{}
	names := map[string]bool{}
	exprs := 0
	for _, w := range body.Widgets {
		if w.Type != "metric" {
			continue
		}
		titles[w.Properties.Title] = w.Properties.Region
		ids := map[string]bool{}
		var expressions []string
		for _, m := range w.Properties.Metrics {
			last, _ := m[len(m)-1].(map[string]any)
			if e, ok := last["expression"].(string); ok {
				expressions = append(expressions, e)
				continue
			}
			names[m[1].(string)] = true
			if id, ok := last["id"].(string); ok {
				assert.Regexp(t, `^[a-z][A-Za-z0-9_]*$`, id)
				ids[id] = true
			}
		}
		for _, e := range expressions {
			exprs++
			for _, word := range strings.FieldsFunc(e, func(r rune) bool {
				return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_')
			}) {
				if word[0] >= 'a' && word[0] <= 'z' {
					assert.True(t, ids[word], "%q in %q names no metric of widget %q", word, e, w.Properties.Title)
				}
			}
		}
	}
	assert.GreaterOrEqual(t, exprs, 4, "error rate per region, cache hit ratio, backlog per worker")
	for _, n := range []string{"RequestCount", "HTTPCode_Target_5XX_Count", "TargetResponseTime", "GroupInServiceInstances",
		"GroupDesiredCapacity", "CPUUtilization", "DatabaseConnections", "ReplicaLag", "CacheHits", "CacheMisses",
		"ApproximateNumberOfMessagesVisible", "ApproximateAgeOfOldestMessage"} {
		assert.True(t, names[n], "the dashboard charts %s", n)
	}
	assert.Equal(t, "eu-west-1", titles["Requests (secondary, eu-west-1)"])
	assert.Equal(t, "eu-west-1", titles["Cross-region replica lag (eu-west-1)"])
	assert.Equal(t, "us-east-1", titles["Queue backlog"])

	// The names are the plan's: the primary load balancer's suffix, the queue's name.
	raw := d.InputString("dashboardBody")
	assert.Contains(t, raw, plan.Find(tQueue, "shop-queue").Output("name"))
	assert.Contains(t, raw, cache.MemberClusterIDs(plan.Find(tGroup, "shop-cache").ID, 2)[1])
}

func TestDashboardURLAndName(t *testing.T) {
	assert.Equal(t, "https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#dashboards:name=a-b",
		backend.DashboardURL("eu-west-1", "a-b"))
	_, err := testkit.Run(pair(func(a *backend.Args) { a.DashboardName = "has space" }))
	require.Error(t, err)
	assert.Contains(t, err.Error(), `DashboardName "has space" is not allowed`)
}

// TestElastiCachePlacesNodesOnlyInTheSubnetGroupsZones: ElastiCache creates a replication
// group's clusters only "in Availability Zones associated with the subnets in the selected
// subnet group" (CreateReplicationGroup, PreferredCacheClusterAZs, ElastiCache API
// reference), so Multi-AZ with a replica in another zone needs a subnet group over at least
// two zones. The backend's cache subnet group is the primary region's data subnets, one per
// zone.
func TestElastiCachePlacesNodesOnlyInTheSubnetGroupsZones(t *testing.T) {
	plan := run(t, withTiers)
	group := plan.Find("aws:elasticache/subnetGroup:SubnetGroup", "shop-cache")
	require.NotNil(t, group)
	zones := map[string]bool{}
	deps := group.PropertyDependencies["subnetIds"]
	require.NotEmpty(t, deps)
	for _, u := range deps {
		s := plan.ByURN(u)
		require.NotNil(t, s)
		assert.Equal(t, "aws:ec2/subnet:Subnet", s.Type)
		assert.Contains(t, s.Name, "shop-primary-network", "the primary region's subnets")
		assert.Contains(t, s.Name, "data", "the data subnets")
		zones[s.InputString("availabilityZone")] = true
	}
	assert.Len(t, deps, 2, "one data subnet per zone")
	assert.Len(t, zones, 2, "in two distinct zones")
	rg := plan.Find(tGroup, "shop-cache")
	require.NotNil(t, rg)
	assert.Equal(t, true, rg.Input("multiAzEnabled"))
	assert.EqualValues(t, 2, rg.Input("numCacheClusters"))
	assert.True(t, rg.InputFrom("subnetGroupName", group))
}
