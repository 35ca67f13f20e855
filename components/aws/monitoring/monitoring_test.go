package monitoring_test

import (
	"fmt"
	"sort"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/autoscaling"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lb"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/rds"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scalestack/scalestack/components/aws/monitoring"
	"github.com/scalestack/scalestack/testkit"
)

const (
	alarmType = "aws:cloudwatch/metricAlarm:MetricAlarm"
	topicType = "aws:sns/topic:Topic"
	subType   = "aws:sns/topicSubscription:TopicSubscription"
	keyType   = "aws:kms/key:Key"
	polType   = "aws:kms/keyPolicy:KeyPolicy"
)

// program creates the watched resources (load balancer, target group, group, database and
// replicas) in eu-west-1 and the monitoring over them.
func program(replicas int, change func(*monitoring.Args)) func(*pulumi.Context) (pulumi.Map, error) {
	return func(ctx *pulumi.Context) (pulumi.Map, error) {
		p, err := aws.NewProvider(ctx, "aws-eu-west-1", &aws.ProviderArgs{Region: pulumi.String("eu-west-1")})
		if err != nil {
			return nil, err
		}
		in := pulumi.Provider(p)
		alb, err := lb.NewLoadBalancer(ctx, "web-alb", &lb.LoadBalancerArgs{}, in)
		if err != nil {
			return nil, err
		}
		tg, err := lb.NewTargetGroup(ctx, "web-tg", &lb.TargetGroupArgs{}, in)
		if err != nil {
			return nil, err
		}
		asg, err := autoscaling.NewGroup(ctx, "web-asg", &autoscaling.GroupArgs{MinSize: pulumi.Int(2), MaxSize: pulumi.Int(6)}, in)
		if err != nil {
			return nil, err
		}
		db, err := rds.NewInstance(ctx, "db", &rds.InstanceArgs{InstanceClass: pulumi.String("db.t4g.medium")}, in)
		if err != nil {
			return nil, err
		}
		var replicaIDs []pulumi.StringInput
		for i := 1; i <= replicas; i++ {
			r, err := rds.NewInstance(ctx, fmt.Sprintf("db-replica-%d", i), &rds.InstanceArgs{
				InstanceClass: pulumi.String("db.t4g.medium"), ReplicateSourceDb: db.Identifier,
			}, in)
			if err != nil {
				return nil, err
			}
			replicaIDs = append(replicaIDs, r.Identifier)
		}
		args := &monitoring.Args{
			AlertEmail: "ops@example.com",
			LoadBalancer: &monitoring.LoadBalancerAlarms{
				LoadBalancerARNSuffix: alb.ArnSuffix,
				TargetGroupARNSuffix:  tg.ArnSuffix,
			},
			AutoScaling: &monitoring.AutoScalingAlarms{AutoScalingGroupName: asg.Name, MaxSize: 6},
			Database:    &monitoring.DatabaseAlarms{DBInstanceIdentifier: db.Identifier, ReplicaIdentifiers: replicaIDs},
			Tags:        map[string]string{"team": "ops"},
		}
		if change != nil {
			change(args)
		}
		m, err := monitoring.New(ctx, "alerts", args, in)
		if err != nil {
			return nil, err
		}
		return pulumi.Map{"topicArn": m.TopicARN, "kmsKeyArn": m.KMSKeyARN, "alarmArns": m.AlarmARNs}, nil
	}
}

func run(t *testing.T, replicas int, change func(*monitoring.Args)) *testkit.Plan {
	t.Helper()
	plan, err := testkit.RunExports(program(replicas, change))
	require.NoError(t, err)
	return plan
}

func alarm(t *testing.T, plan *testkit.Plan, key string) *testkit.Resource {
	t.Helper()
	a := plan.Find(alarmType, "alerts-"+key)
	require.NotNil(t, a, key)
	return a
}

func TestCounts(t *testing.T) {
	tests := []struct {
		name     string
		replicas int
		change   func(*monitoring.Args)
		alarms   int
		subs     int
	}{
		{"everything, two replicas", 2, nil, 5 + 2 + 2 + 1, 1},
		{"no replicas", 0, nil, 5 + 2 + 1, 1},
		{"database only, no email", 1, func(a *monitoring.Args) { a.LoadBalancer, a.AutoScaling, a.AlertEmail = nil, nil, "" }, 2 + 1, 0},
		{"load balancer only", 0, func(a *monitoring.Args) { a.Database, a.AutoScaling = nil, nil }, 5, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			plan := run(t, tt.replicas, tt.change)
			comp := plan.Find(monitoring.TypeToken, "alerts")
			require.NotNil(t, comp)
			counts := map[string]int{}
			for _, c := range plan.Children(comp.URN) {
				counts[c.Type]++
			}
			assert.Equal(t, map[string]int{alarmType: tt.alarms, topicType: 1, keyType: 1, polType: 1, subType: tt.subs},
				withZeroCounts(counts, subType), "exact children")
			assert.Len(t, plan.Descendants(comp.URN), tt.alarms+3+tt.subs)
			assert.Len(t, alarmARNs(t, plan), tt.alarms)
		})
	}
}

// alarmARNs is the resolved alarmArns output (testkit resolves maps to map[string]any).
func alarmARNs(t *testing.T, plan *testkit.Plan) map[string]string {
	t.Helper()
	raw, ok := plan.Outputs["alarmArns"].(map[string]any)
	require.True(t, ok, "alarmArns is %T", plan.Outputs["alarmArns"])
	arns := make(map[string]string, len(raw))
	for k, v := range raw {
		s, ok := v.(string)
		require.True(t, ok, "alarmArns[%s] is %T", k, v)
		arns[k] = s
	}
	return arns
}

// withZeroCounts adds key with 0 when absent, so maps compare with expected zero counts.
func withZeroCounts(m map[string]int, keys ...string) map[string]int {
	for _, k := range keys {
		if _, ok := m[k]; !ok {
			m[k] = 0
		}
	}
	return m
}

func TestEveryChildIsParentedAndPlaced(t *testing.T) {
	plan := run(t, 2, nil)
	comp := plan.Find(monitoring.TypeToken, "alerts")
	for _, c := range plan.Children(comp.URN) {
		assert.Equal(t, comp.URN, c.Parent, c.Name)
		assert.Equal(t, "eu-west-1", c.Region(), c.Name)
		if tags, ok := c.Input("tags").(map[string]any); ok {
			assert.Equal(t, "ops", tags["team"], c.Name)
			assert.Equal(t, c.Name, tags["Name"], c.Name)
		}
	}
}

func TestEveryAlarmNotifiesTheTopic(t *testing.T) {
	plan := run(t, 2, nil)
	topic := plan.Find(topicType, "alerts-alerts")
	require.NotNil(t, topic)
	alarms := plan.ByType(alarmType)
	require.Len(t, alarms, 10)
	for _, a := range alarms {
		assert.Equal(t, []any{topic.Output("arn")}, a.Input("alarmActions"), a.Name)
		assert.Equal(t, []any{topic.Output("arn")}, a.Input("okActions"), a.Name)
		assert.True(t, a.InputFrom("alarmActions", topic), a.Name)
		assert.True(t, a.InputFrom("okActions", topic), a.Name)
		assert.Equal(t, true, a.Input("actionsEnabled"), a.Name)
		assert.Contains(t, []any{"notBreaching", "breaching", "missing"}, a.Input("treatMissingData"), a.Name)
		assert.NotEmpty(t, a.InputString("alarmDescription"), a.Name)
	}
}

func TestTopicIsEncryptedWithAKeyCloudWatchMayUse(t *testing.T) {
	plan := run(t, 0, nil)
	topic := plan.Find(topicType, "alerts-alerts")
	key := plan.Find(keyType, "alerts-key")
	pol := plan.Find(polType, "alerts-key")
	require.NotNil(t, key)
	require.NotNil(t, pol)
	assert.True(t, topic.InputFrom("kmsMasterKeyId", key))
	assert.NotEqual(t, "alias/aws/sns", topic.Input("kmsMasterKeyId"), "CloudWatch cannot publish to a topic under the AWS managed key")
	assert.Equal(t, true, key.Input("enableKeyRotation"))
	assert.True(t, topic.DependsOn(pol), "the topic is usable only once CloudWatch may use its key")
	assert.True(t, pol.InputFrom("keyId", key))
	assert.True(t, pol.InputFrom("policy", key))
	assert.JSONEq(t, fmt.Sprintf(`{"Version":"2012-10-17","Statement":[
		{"Sid":"AccountAdministersKey","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::%[1]s:root"},"Action":"kms:*","Resource":"*"},
		{"Sid":"CloudWatchAlarmsPublish","Effect":"Allow","Principal":{"Service":"cloudwatch.amazonaws.com"},
		 "Action":["kms:Decrypt","kms:GenerateDataKey*"],"Resource":"*","Condition":{"StringEquals":{"aws:SourceAccount":"%[1]s"}}}]}`,
		testkit.FakeAWSAccountID), pol.InputString("policy"))

	sub := plan.Find(subType, "alerts-email")
	require.NotNil(t, sub)
	assert.True(t, sub.InputFrom("topic", topic))
	assert.Equal(t, "email", sub.Input("protocol"))
	assert.Equal(t, "ops@example.com", sub.Input("endpoint"))
}

func TestLoadBalancerAlarms(t *testing.T) {
	plan := run(t, 0, func(a *monitoring.Args) {
		a.LoadBalancer.LatencyThresholdSeconds = 0.8
		a.LoadBalancer.Server5xxPerMinute = 25
	})
	alb := plan.Find("aws:lb/loadBalancer:LoadBalancer", "web-alb")
	tg := plan.Find("aws:lb/targetGroup:TargetGroup", "web-tg")
	lbDims := map[string]any{"LoadBalancer": alb.Output("arnSuffix")}
	bothDims := map[string]any{"LoadBalancer": alb.Output("arnSuffix"), "TargetGroup": tg.Output("arnSuffix")}

	tests := []struct {
		key, metric, stat, op, missing string
		threshold                      float64
		dims                           map[string]any
	}{
		{"alb-5xx", "HTTPCode_ELB_5XX_Count", "Sum", "GreaterThanThreshold", "notBreaching", 25, lbDims},
		{"target-5xx", "HTTPCode_Target_5XX_Count", "Sum", "GreaterThanThreshold", "notBreaching", 25, bothDims},
		{"latency-p95", "TargetResponseTime", "p95", "GreaterThanThreshold", "notBreaching", 0.8, bothDims},
		{"latency-p99", "TargetResponseTime", "p99", "GreaterThanThreshold", "notBreaching", 1.6, bothDims},
		{"unhealthy-hosts", "UnHealthyHostCount", "Maximum", "GreaterThanThreshold", "breaching", 0, bothDims},
	}
	for _, tt := range tests {
		a := alarm(t, plan, tt.key)
		assert.Equal(t, "AWS/ApplicationELB", a.Input("namespace"), tt.key)
		assert.Equal(t, tt.metric, a.Input("metricName"), tt.key)
		if tt.stat[0] == 'p' {
			assert.Equal(t, tt.stat, a.Input("extendedStatistic"), tt.key)
			assert.Nil(t, a.Input("statistic"), tt.key)
			assert.Equal(t, "ignore", a.Input("evaluateLowSampleCountPercentiles"), tt.key)
		} else {
			assert.Equal(t, tt.stat, a.Input("statistic"), tt.key)
		}
		assert.Equal(t, tt.op, a.Input("comparisonOperator"), tt.key)
		assert.Equal(t, tt.missing, a.Input("treatMissingData"), tt.key)
		assert.InDelta(t, tt.threshold, a.Input("threshold"), 1e-9, tt.key)
		assert.Equal(t, tt.dims, a.Input("dimensions"), tt.key)
		assert.True(t, a.InputFrom("dimensions", alb), "%s watches the load balancer", tt.key)
		if _, ok := tt.dims["TargetGroup"]; ok {
			assert.True(t, a.InputFrom("dimensions", tg), "%s watches the target group", tt.key)
		}
	}
}

func TestDatabaseAndGroupAlarms(t *testing.T) {
	plan := run(t, 2, nil)
	db := plan.Find("aws:rds/instance:Instance", "db")
	asg := plan.Find("aws:autoscaling/group:Group", "web-asg")

	cpu := alarm(t, plan, "db-cpu")
	assert.Equal(t, "AWS/RDS", cpu.Input("namespace"))
	assert.Equal(t, "CPUUtilization", cpu.Input("metricName"))
	assert.Equal(t, float64(80), cpu.Input("threshold"))
	assert.Equal(t, "missing", cpu.Input("treatMissingData"))
	assert.Equal(t, map[string]any{"DBInstanceIdentifier": "db"}, cpu.Input("dimensions"))
	assert.True(t, cpu.InputFrom("dimensions", db))

	storage := alarm(t, plan, "db-free-storage")
	assert.Equal(t, "FreeStorageSpace", storage.Input("metricName"))
	assert.Equal(t, "LessThanThreshold", storage.Input("comparisonOperator"))
	assert.Equal(t, float64(5*1<<30), storage.Input("threshold"), "5 GB in bytes")
	assert.Equal(t, "breaching", storage.Input("treatMissingData"))
	assert.True(t, storage.InputFrom("dimensions", db))

	for i := 1; i <= 2; i++ {
		replica := plan.Find("aws:rds/instance:Instance", fmt.Sprintf("db-replica-%d", i))
		lag := alarm(t, plan, fmt.Sprintf("db-replica-lag-%d", i))
		assert.Equal(t, "ReplicaLag", lag.Input("metricName"))
		assert.Equal(t, float64(120), lag.Input("threshold"))
		assert.Equal(t, "breaching", lag.Input("treatMissingData"), "a replica that stops reporting lag stopped replicating")
		assert.True(t, lag.InputFrom("dimensions", replica), "lag alarm %d watches replica %d", i, i)
		assert.False(t, lag.InputFrom("dimensions", db))
		assert.Equal(t, map[string]any{"DBInstanceIdentifier": replica.Output("identifier")}, lag.Input("dimensions"))
	}

	atMax := alarm(t, plan, "asg-at-max")
	assert.Equal(t, "AWS/AutoScaling", atMax.Input("namespace"))
	assert.Equal(t, "GroupInServiceInstances", atMax.Input("metricName"))
	assert.Equal(t, "GreaterThanOrEqualToThreshold", atMax.Input("comparisonOperator"))
	assert.Equal(t, float64(6), atMax.Input("threshold"))
	assert.Equal(t, "Minimum", atMax.Input("statistic"))
	assert.Equal(t, "missing", atMax.Input("treatMissingData"))
	assert.True(t, atMax.InputFrom("dimensions", asg))
}

func TestOutputs(t *testing.T) {
	plan := run(t, 1, nil)
	assert.Equal(t, plan.Find(topicType, "alerts-alerts").Output("arn"), plan.Outputs["topicArn"])
	assert.Equal(t, plan.Find(keyType, "alerts-key").Output("arn"), plan.Outputs["kmsKeyArn"])
	arns := alarmARNs(t, plan)
	var keys []string
	for k, v := range arns {
		keys = append(keys, k)
		assert.Equal(t, alarm(t, plan, k).Output("arn"), v, k)
	}
	sort.Strings(keys)
	assert.Equal(t, []string{"alb-5xx", "asg-at-max", "db-cpu", "db-free-storage", "db-replica-lag-1",
		"latency-p95", "latency-p99", "target-5xx", "unhealthy-hosts"}, keys)
}

func TestURNsStayStableWhenAReplicaIsAdded(t *testing.T) {
	one := run(t, 1, nil)
	two := run(t, 2, nil)
	assert.Empty(t, testkit.MissingURNs(one, two))
}

func TestInvalidArgsRegisterNothing(t *testing.T) {
	registered := 0
	_, err := testkit.Run(func(ctx *pulumi.Context) error {
		_, err := monitoring.New(ctx, "alerts", &monitoring.Args{AlertEmail: "nobody"})
		return err
	}, testkit.OnNewResource(func(*testkit.Resource) error { registered++; return nil }))
	require.Error(t, err)
	assert.Contains(t, err.Error(), `monitoring "alerts": AlertEmail "nobody" is not allowed`)
	assert.Zero(t, registered)
}

func TestPreviewRunsOffline(t *testing.T) {
	plan, err := testkit.RunExports(program(2, nil), testkit.DryRun(true))
	require.NoError(t, err)
	assert.Len(t, plan.ByType(alarmType), 10)
}
