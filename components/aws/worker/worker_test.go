package worker_test

import (
	"encoding/base64"
	"encoding/json"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scalestack/scalestack/components/aws/queue"
	"github.com/scalestack/scalestack/components/aws/worker"
	"github.com/scalestack/scalestack/policies/rules"
	"github.com/scalestack/scalestack/testkit"
)

const (
	typeGroup      = "aws:autoscaling/group:Group"
	typePolicy     = "aws:autoscaling/policy:Policy"
	typeLT         = "aws:ec2/launchTemplate:LaunchTemplate"
	typeSG         = "aws:ec2/securityGroup:SecurityGroup"
	typeEgress     = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"
	typeIngress    = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
	typeRole       = "aws:iam/role:Role"
	typeRolePolicy = "aws:iam/rolePolicy:RolePolicy"
	typeAttachment = "aws:iam/rolePolicyAttachment:RolePolicyAttachment"
	typeProfile    = "aws:iam/instanceProfile:InstanceProfile"
	typeQueue      = "aws:sqs/queue:Queue"
	typeKey        = "aws:kms/key:Key"
)

// run composes a queue and a worker tier draining it in region.
func run(t *testing.T, region string, mutate func(*worker.Args), opts ...testkit.Option) *testkit.Plan {
	t.Helper()
	plan, err := testkit.RunExports(func(ctx *pulumi.Context) (pulumi.Map, error) {
		p, err := aws.NewProvider(ctx, "aws-"+region, &aws.ProviderArgs{Region: pulumi.String(region)})
		if err != nil {
			return nil, err
		}
		in := pulumi.Provider(p)
		q, err := queue.New(ctx, "jobs", &queue.Args{}, in)
		if err != nil {
			return nil, err
		}
		args := &worker.Args{
			VpcID:          pulumi.String("vpc-1"),
			SubnetIDs:      pulumi.ToStringArray([]string{"subnet-a", "subnet-b"}),
			QueueARN:       q.ARN,
			QueueURL:       q.URL,
			QueueName:      q.Name,
			QueueKMSKeyARN: q.KMSKeyARN,
			MaxSize:        8,
			Tags:           map[string]string{"team": "jobs"},
		}
		if mutate != nil {
			mutate(args)
		}
		w, err := worker.New(ctx, "jobs-worker", args, in)
		if err != nil {
			return nil, err
		}
		return pulumi.Map{
			"group": w.GroupName, "groupArn": w.GroupARN, "sg": w.SecurityGroupID,
			"role": w.InstanceRoleARN, "roleName": w.InstanceRoleName, "lt": w.LaunchTemplateID,
		}, nil
	}, opts...)
	require.NoError(t, err)
	return plan
}

func TestCountsAndPlacement(t *testing.T) {
	plan := run(t, "eu-west-1", func(a *worker.Args) {
		a.Policies = map[string]pulumi.StringInput{"cache": pulumi.String(`{"Version":"2012-10-17","Statement":[]}`)}
	})
	comp := plan.Find(worker.TypeToken, "jobs-worker")
	require.NotNil(t, comp)
	counts := map[string]int{}
	for _, r := range plan.Descendants(comp.URN) {
		counts[r.Type]++
	}
	assert.Equal(t, map[string]int{
		typeSG: 1, typeEgress: 1, typeRole: 1, typeAttachment: 1,
		typeRolePolicy: 2, // its queue, and the "cache" policy
		typeProfile:    1, typeLT: 1, typeGroup: 1, typePolicy: 1,
	}, counts)
	testkit.AssertPlaced(t, plan, comp, "eu-west-1")
}

// Backlog per instance, as AWS documents it for SQS with metric math ("Create a target
// tracking scaling policy using metric math", https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-target-tracking-metric-math.html):
// ApproximateNumberOfMessagesVisible (Sum) of the queue divided by GroupInServiceInstances
// (Average) of the group, only the expression returning data.
func TestScalingTracksBacklogPerInstanceWithMetricMath(t *testing.T) {
	plan := run(t, "us-east-1", func(a *worker.Args) { a.BacklogPerWorker = 40 })
	pol := plan.Find(typePolicy, "jobs-worker-backlog")
	asg := plan.Find(typeGroup, "jobs-worker")
	q := plan.Find(typeQueue, "jobs")
	require.NotNil(t, pol)
	assert.Equal(t, "TargetTrackingScaling", pol.Input("policyType"))
	testkit.AssertWired(t, pol, "autoscalingGroupName", asg)
	assert.Equal(t, float64(40), pol.Input("targetTrackingConfiguration.targetValue"))
	testkit.AssertWired(t, pol, "targetTrackingConfiguration", q)

	metrics := pol.Input("targetTrackingConfiguration.customizedMetricSpecification.metrics").([]any)
	require.Len(t, metrics, 3)
	visible, inService, backlog := metrics[0].(map[string]any), metrics[1].(map[string]any), metrics[2].(map[string]any)
	assert.Equal(t, map[string]any{
		"namespace": "AWS/SQS", "metricName": "ApproximateNumberOfMessagesVisible",
		"dimensions": []any{map[string]any{"name": "QueueName", "value": q.Output("name")}},
	}, visible["metricStat"].(map[string]any)["metric"], "the worker's own queue")
	assert.Equal(t, "Sum", visible["metricStat"].(map[string]any)["stat"])
	assert.Equal(t, false, visible["returnData"])
	assert.Equal(t, map[string]any{
		"namespace": "AWS/AutoScaling", "metricName": "GroupInServiceInstances",
		"dimensions": []any{map[string]any{"name": "AutoScalingGroupName", "value": asg.Output("name")}},
	}, inService["metricStat"].(map[string]any)["metric"], "the worker's own group")
	assert.Equal(t, "Average", inService["metricStat"].(map[string]any)["stat"])
	assert.Equal(t, false, inService["returnData"])
	assert.Equal(t, "visible / inservice", backlog["expression"])
	assert.Equal(t, true, backlog["returnData"], "only the expression is tracked")
}

// GroupInServiceInstances is published only while the group collects group metrics
// (Amazon EC2 Auto Scaling user guide, "Monitor CloudWatch metrics for your Auto Scaling
// groups": group metrics are available at 1-minute granularity once enabled), and with no
// instance in service the division has no value, so the group keeps at least one worker.
func TestBacklogDivisorNeedsGroupMetricsAndAWorkerInService(t *testing.T) {
	plan := run(t, "us-east-1", nil)
	asg := plan.Find(typeGroup, "jobs-worker")
	assert.Contains(t, asg.Input("enabledMetrics"), "GroupInServiceInstances")
	assert.Equal(t, "1Minute", asg.Input("metricsGranularity"))
	assert.Equal(t, float64(1), asg.Input("minSize"))
	assert.Equal(t, float64(8), asg.Input("maxSize"))

	var registered int
	_, err := testkit.Run(func(ctx *pulumi.Context) error {
		_, err := worker.New(ctx, "w", &worker.Args{MinSize: -1, MaxSize: 0})
		return err
	}, testkit.OnNewResource(func(*testkit.Resource) error { registered++; return nil }))
	require.Error(t, err)
	assert.Contains(t, err.Error(), `worker "w": `)
	assert.Contains(t, err.Error(), "MinSize -1 is not allowed: want 1 or more")
	assert.Contains(t, err.Error(), "QueueARN is required")
	assert.Zero(t, registered)
}

func TestValidation(t *testing.T) {
	for _, c := range []struct {
		mutate func(*worker.Args)
		want   string
	}{
		{func(a *worker.Args) { a.MinSize, a.MaxSize = 4, 2 }, "MaxSize 2 is not allowed: want at least MinSize 4"},
		{func(a *worker.Args) { a.BacklogPerWorker = -3 }, "BacklogPerWorker -3 is not allowed: want 1-100000"},
		{func(a *worker.Args) { a.InstanceType = "huge" }, `InstanceType "huge" is not allowed`},
		{func(a *worker.Args) { a.Policies = map[string]pulumi.StringInput{"Cache!": pulumi.String("{}")} }, `Policies key "Cache!" is not allowed`},
	} {
		_, err := testkit.Run(func(ctx *pulumi.Context) error {
			a := &worker.Args{
				VpcID: pulumi.String("v"), SubnetIDs: pulumi.ToStringArray([]string{"s"}), QueueARN: pulumi.String("a"),
				QueueURL: pulumi.String("u"), QueueName: pulumi.String("n"), QueueKMSKeyARN: pulumi.String("k"), MaxSize: 3,
			}
			c.mutate(a)
			_, err := worker.New(ctx, "w", a)
			return err
		})
		require.Error(t, err)
		assert.Contains(t, err.Error(), c.want)
	}
}

// The role consumes its queue only: the four SQS actions a worker needs on the queue's ARN,
// and kms:Decrypt on the queue's key through SQS; nothing with a wildcard resource.
func TestWorkerRoleIsLeastPrivilege(t *testing.T) {
	plan := run(t, "us-east-1", nil)
	pol := plan.Find(typeRolePolicy, "jobs-worker-queue")
	role := plan.Find(typeRole, "jobs-worker")
	q := plan.Find(typeQueue, "jobs")
	key := plan.Find(typeKey, "jobs-key")
	require.NotNil(t, pol)
	testkit.AssertWired(t, pol, "role", role)
	testkit.AssertWired(t, pol, "policy", q)
	testkit.AssertWired(t, pol, "policy", key)
	var doc struct{ Statement []map[string]any }
	require.NoError(t, json.Unmarshal([]byte(pol.InputString("policy")), &doc))
	require.Len(t, doc.Statement, 2)
	assert.Equal(t, []any{"sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes"}, doc.Statement[0]["Action"])
	assert.Equal(t, q.Output("arn"), doc.Statement[0]["Resource"])
	assert.Equal(t, []any{"kms:Decrypt"}, doc.Statement[1]["Action"])
	assert.Equal(t, key.Output("arn"), doc.Statement[1]["Resource"])
	for _, st := range doc.Statement {
		assert.NotContains(t, st["Resource"], "*")
		assert.NotContains(t, st["Action"], "sqs:*")
	}
	att := plan.Find(typeAttachment, "jobs-worker-ssm")
	assert.Equal(t, "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore", att.Input("policyArn"))
}

func TestWorkersAdmitNothingAndSendOnlyHTTPS(t *testing.T) {
	plan := run(t, "us-east-1", nil)
	comp := plan.Find(worker.TypeToken, "jobs-worker")
	sg := plan.FindIn(comp, typeSG, "jobs-worker")
	assert.Empty(t, plan.Owned(comp, typeIngress), "no inbound rule: workers pull from the queue")
	out := plan.Find(typeEgress, "jobs-worker-https-out")
	testkit.AssertWired(t, out, "securityGroupId", sg)
	assert.Equal(t, float64(443), out.Input("fromPort"))
	assert.Equal(t, float64(443), out.Input("toPort"))
	assert.Nil(t, sg.Input("ingress"))
	assert.Nil(t, sg.Input("egress"))
}

func TestLaunchTemplateIsHardenedAndTellsTheWorkerItsQueue(t *testing.T) {
	plan := run(t, "us-east-1", nil)
	lt := plan.Find(typeLT, "jobs-worker")
	asg := plan.Find(typeGroup, "jobs-worker")
	q := plan.Find(typeQueue, "jobs")
	assert.Equal(t, "required", lt.Input("metadataOptions.httpTokens"))
	assert.Equal(t, "false", lt.Input("networkInterfaces").([]any)[0].(map[string]any)["associatePublicIpAddress"])
	assert.Equal(t, "true", lt.Input("blockDeviceMappings").([]any)[0].(map[string]any)["ebs"].(map[string]any)["encrypted"])
	testkit.AssertWired(t, lt, "iamInstanceProfile", plan.Find(typeProfile, "jobs-worker"))
	testkit.AssertWired(t, asg, "launchTemplate", lt)
	assert.Equal(t, "EC2", asg.Input("healthCheckType"), "no load balancer in front of workers")
	ud, err := base64.StdEncoding.DecodeString(lt.InputString("userData"))
	require.NoError(t, err)
	assert.Equal(t, worker.DefaultUserData(q.Output("url").(string)), string(ud))
	assert.Contains(t, string(ud), "SCALESTACK_QUEUE_URL=https://sqs.us-east-1.amazonaws.com/")
}

func TestURNsStayStableWhenAPolicyIsAdded(t *testing.T) {
	before := run(t, "us-east-1", nil)
	after := run(t, "us-east-1", func(a *worker.Args) {
		a.Policies = map[string]pulumi.StringInput{"cache": pulumi.String("{}")}
		a.MaxSize = 20
	})
	testkit.AssertURNsStable(t, before, after)
}

func TestPreviewRunsOffline(t *testing.T) {
	plan := run(t, "us-east-1", nil, testkit.DryRun(true))
	assert.Len(t, plan.ByType(typeGroup), 1)
}

// The queue and its workers, as composed here, pass the policy pack in prod: encrypted
// queues with a dead-letter queue (stack-queue-dlq), a least-privilege role
// (aws-iam-queue-least-privilege), a hardened launch template, and two workers over two
// subnets (aws-asg-ha).
func TestQueueAndWorkersPassThePolicyPack(t *testing.T) {
	for _, env := range []string{"dev", "prod"} {
		plan := run(t, "us-east-1", func(a *worker.Args) { a.MinSize = 2 }, testkit.DryRun(true), testkit.Stack(env))
		rep, err := plan.Policies(rules.Options{Environment: env})
		require.NoError(t, err)
		var mandatory []string
		for _, v := range rep.Mandatory() {
			mandatory = append(mandatory, v.PolicyName+": "+v.Message)
		}
		assert.Empty(t, mandatory, env)
		for _, id := range []string{"stack-queue-dlq", "aws-sqs-encrypted", "aws-iam-queue-least-privilege", "aws-lt-imdsv2", "aws-asg-ha"} {
			assert.Empty(t, rep.ByRule(id), "%s in %s", id, env)
		}
	}
}
