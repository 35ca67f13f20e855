package queue_test

import (
	"encoding/json"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/sns"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scalestack/scalestack/components/aws/queue"
	"github.com/scalestack/scalestack/testkit"
)

const (
	typeQueue   = "aws:sqs/queue:Queue"
	typePolicy  = "aws:sqs/queuePolicy:QueuePolicy"
	typeAllow   = "aws:sqs/redriveAllowPolicy:RedriveAllowPolicy"
	typeKey     = "aws:kms/key:Key"
	typeAlarm   = "aws:cloudwatch/metricAlarm:MetricAlarm"
	typeTopic   = "aws:sns/topic:Topic"
	secondsADay = 86400
)

func run(t *testing.T, region string, mutate func(*queue.Args), opts ...testkit.Option) *testkit.Plan {
	t.Helper()
	plan, err := testkit.RunExports(func(ctx *pulumi.Context) (pulumi.Map, error) {
		p, err := aws.NewProvider(ctx, "aws-"+region, &aws.ProviderArgs{Region: pulumi.String(region)})
		if err != nil {
			return nil, err
		}
		in := pulumi.Provider(p)
		topic, err := sns.NewTopic(ctx, "alerts", &sns.TopicArgs{}, in)
		if err != nil {
			return nil, err
		}
		args := &queue.Args{AlarmTopicARN: topic.Arn, Tags: map[string]string{"team": "jobs"}}
		if mutate != nil {
			mutate(args)
		}
		q, err := queue.New(ctx, "jobs", args, in)
		if err != nil {
			return nil, err
		}
		return pulumi.Map{
			"url": q.URL, "arn": q.ARN, "name": q.Name, "dlqUrl": q.DeadLetterURL, "dlqArn": q.DeadLetterARN,
			"dlqName": q.DeadLetterName, "key": q.KMSKeyARN, "visibility": q.VisibilityTimeoutSeconds,
			"producer": q.ProducerPolicyJSON, "consumer": q.ConsumerPolicyJSON, "alarms": q.AlarmARNs,
		}, nil
	}, opts...)
	require.NoError(t, err)
	return plan
}

func decode(t *testing.T, s any) map[string]any {
	t.Helper()
	str, ok := s.(string)
	require.True(t, ok, "want a JSON string, got %T", s)
	var m map[string]any
	require.NoError(t, json.Unmarshal([]byte(str), &m))
	return m
}

func TestWithDefaultsAndValidation(t *testing.T) {
	plan := run(t, "us-east-1", nil)
	q := plan.Find(typeQueue, "jobs")
	assert.Equal(t, float64(4*secondsADay), q.Input("messageRetentionSeconds"))
	assert.Equal(t, float64(120), q.Input("visibilityTimeoutSeconds"))
	assert.Equal(t, float64(20), q.Input("receiveWaitTimeSeconds"), "long polling")

	cases := []struct {
		name   string
		qname  string
		mutate func(*queue.Args)
		want   string
	}{
		{"name", "jobs.fifo", func(*queue.Args) {}, `name "jobs.fifo" is not allowed`},
		{"receive count", "jobs", func(a *queue.Args) { a.MaxReceiveCount = 1001 }, "MaxReceiveCount 1001 is not allowed: want 1-1000"},
		{"retention", "jobs", func(a *queue.Args) { a.RetentionDays = 14 }, "RetentionDays 14 is not allowed: want 1-13"},
		{"visibility", "jobs", func(a *queue.Args) { a.VisibilityTimeoutSeconds = 50000 }, "VisibilityTimeoutSeconds 50000 is not allowed: want 0-43200"},
		{"wait", "jobs", func(a *queue.Args) { a.ReceiveWaitSeconds = 30 }, "ReceiveWaitSeconds 30"},
		{"age", "jobs", func(a *queue.Args) { a.RetentionDays, a.OldestMessageAgeSeconds = 1, 90000 }, "OldestMessageAgeSeconds 90000 is not allowed: want 60 up to the retention (86400 seconds)"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var registered int
			_, err := testkit.Run(func(ctx *pulumi.Context) error {
				a := &queue.Args{}
				c.mutate(a)
				_, err := queue.New(ctx, c.qname, a)
				return err
			}, testkit.OnNewResource(func(*testkit.Resource) error { registered++; return nil }))
			require.Error(t, err)
			assert.Contains(t, err.Error(), `queue "`+c.qname+`": `)
			assert.Contains(t, err.Error(), c.want)
			assert.Zero(t, registered, "nothing is registered")
		})
	}
}

func TestCountsAndPlacement(t *testing.T) {
	plan := run(t, "eu-west-1", nil)
	comp := plan.Find(queue.TypeToken, "jobs")
	require.NotNil(t, comp)
	testkit.AssertCounts(t, plan, map[string]int{typeQueue: 2, typePolicy: 2, typeAllow: 1, typeKey: 1, typeAlarm: 2})
	assert.Len(t, plan.Descendants(comp.URN), 8)
	testkit.AssertPlaced(t, plan, comp, "eu-west-1")
}

// A redrive policy moves a message to the dead-letter queue after maxReceiveCount receives
// (SQS developer guide, "Using dead-letter queues": redrivePolicy {deadLetterTargetArn,
// maxReceiveCount}); the dead-letter queue's redriveAllowPolicy "byQueue" admits only the
// source queues it lists.
func TestRedriveMovesPoisonMessagesToTheDeadLetterQueue(t *testing.T) {
	plan := run(t, "us-east-1", func(a *queue.Args) { a.MaxReceiveCount = 3 })
	q := plan.Find(typeQueue, "jobs")
	dlq := plan.Find(typeQueue, "jobs-dlq")
	testkit.AssertWired(t, q, "redrivePolicy", dlq)
	assert.Equal(t, map[string]any{"deadLetterTargetArn": dlq.Output("arn"), "maxReceiveCount": float64(3)}, decode(t, q.Input("redrivePolicy")))
	assert.Nil(t, dlq.Input("redrivePolicy"), "the dead-letter queue does not redrive further")

	allow := plan.Find(typeAllow, "jobs-dlq")
	testkit.AssertWired(t, allow, "queueUrl", dlq)
	testkit.AssertWired(t, allow, "redriveAllowPolicy", q)
	assert.Equal(t, map[string]any{"redrivePermission": "byQueue", "sourceQueueArns": []any{q.Output("arn")}}, decode(t, allow.Input("redriveAllowPolicy")))
}

// "The expiration of a message is always based on its original enqueue timestamp ... it is
// best practice to set the retention period of a dead-letter queue to be longer than the
// retention period of the original queue" (SQS developer guide, "Using dead-letter queues").
func TestDeadLetterQueueKeepsMessagesLongerThanTheQueue(t *testing.T) {
	plan := run(t, "us-east-1", func(a *queue.Args) { a.RetentionDays = 13 })
	q := plan.Find(typeQueue, "jobs")
	dlq := plan.Find(typeQueue, "jobs-dlq")
	assert.Equal(t, float64(13*secondsADay), q.Input("messageRetentionSeconds"))
	assert.Equal(t, float64(14*secondsADay), dlq.Input("messageRetentionSeconds"), "SQS's maximum, 1209600 seconds")
	assert.Greater(t, dlq.Input("messageRetentionSeconds"), q.Input("messageRetentionSeconds"))
}

// SSE-KMS: kmsMasterKeyId set, and sqsManagedSseEnabled left out (the provider refuses both
// together: pulumi-aws v6.83.4 sqs.Queue, kmsMasterKeyId "Conflicts with
// sqsManagedSseEnabled" in terraform-provider-aws queue.go's ConflictsWith).
func TestBothQueuesAreEncryptedWithTheCustomerKey(t *testing.T) {
	plan := run(t, "us-east-1", nil)
	key := plan.Find(typeKey, "jobs-key")
	assert.Equal(t, true, key.Input("enableKeyRotation"))
	for _, n := range []string{"jobs", "jobs-dlq"} {
		q := plan.Find(typeQueue, n)
		testkit.AssertWired(t, q, "kmsMasterKeyId", key)
		assert.Equal(t, key.Output("arn"), q.Input("kmsMasterKeyId"), n)
		assert.Nil(t, q.Input("sqsManagedSseEnabled"), n)
		assert.Equal(t, float64(300), q.Input("kmsDataKeyReusePeriodSeconds"), n)
	}
}

func TestQueuesRefuseRequestsWithoutTLS(t *testing.T) {
	plan := run(t, "us-east-1", nil)
	for _, n := range []string{"jobs", "jobs-dlq"} {
		q := plan.Find(typeQueue, n)
		p := plan.Find(typePolicy, n+"-tls")
		require.NotNil(t, p, n)
		testkit.AssertWired(t, p, "queueUrl", q)
		doc := decode(t, p.Input("policy"))
		st := doc["Statement"].([]any)[0].(map[string]any)
		assert.Equal(t, "Deny", st["Effect"])
		assert.Equal(t, q.Output("arn"), st["Resource"])
		assert.Equal(t, map[string]any{"Bool": map[string]any{"aws:SecureTransport": "false"}}, st["Condition"])
	}
}

func TestAlarmsWatchBacklogAgeAndTheDeadLetterQueue(t *testing.T) {
	plan := run(t, "us-east-1", func(a *queue.Args) { a.OldestMessageAgeSeconds = 600 })
	topic := plan.Find(typeTopic, "alerts")
	age := plan.Find(typeAlarm, "jobs-oldest-message")
	dlqAlarm := plan.Find(typeAlarm, "jobs-dlq-not-empty")
	require.NotNil(t, age)
	require.NotNil(t, dlqAlarm)
	assert.Equal(t, "ApproximateAgeOfOldestMessage", age.Input("metricName"))
	assert.Equal(t, float64(600), age.Input("threshold"))
	testkit.AssertWired(t, age, "dimensions", plan.Find(typeQueue, "jobs"))
	assert.Equal(t, "ApproximateNumberOfMessagesVisible", dlqAlarm.Input("metricName"))
	assert.Equal(t, float64(0), dlqAlarm.Input("threshold"))
	assert.Equal(t, "GreaterThanThreshold", dlqAlarm.Input("comparisonOperator"))
	testkit.AssertWired(t, dlqAlarm, "dimensions", plan.Find(typeQueue, "jobs-dlq"))
	assert.Equal(t, plan.Find(typeQueue, "jobs-dlq").Output("name"), dlqAlarm.Input("dimensions.QueueName"))
	for _, al := range []*testkit.Resource{age, dlqAlarm} {
		assert.Equal(t, "AWS/SQS", al.Input("namespace"))
		testkit.AssertWired(t, al, "alarmActions", topic)
		testkit.AssertWired(t, al, "okActions", topic)
	}

	quiet := run(t, "us-east-1", func(a *queue.Args) { a.AlarmTopicARN = nil })
	assert.Nil(t, quiet.Find(typeAlarm, "jobs-oldest-message").Input("alarmActions"))
}

func TestPoliciesGrantTheQueueAndItsKeyOnly(t *testing.T) {
	plan := run(t, "us-east-1", nil)
	consumer := decode(t, plan.Outputs["consumer"])["Statement"].([]any)
	require.Len(t, consumer, 2)
	c0, c1 := consumer[0].(map[string]any), consumer[1].(map[string]any)
	assert.Equal(t, []any{"sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes"}, c0["Action"])
	assert.Equal(t, plan.Outputs["arn"], c0["Resource"], "its queue only")
	assert.Equal(t, []any{"kms:Decrypt"}, c1["Action"])
	assert.Equal(t, plan.Outputs["key"], c1["Resource"])
	assert.Equal(t, map[string]any{"StringEquals": map[string]any{"kms:ViaService": "sqs.us-east-1.amazonaws.com"}}, c1["Condition"])

	producer := decode(t, plan.Outputs["producer"])["Statement"].([]any)
	assert.Equal(t, []any{"sqs:SendMessage", "sqs:GetQueueAttributes"}, producer[0].(map[string]any)["Action"])
	assert.Equal(t, []any{"kms:GenerateDataKey", "kms:Decrypt"}, producer[1].(map[string]any)["Action"])

	assert.Equal(t, "https://sqs.us-east-1.amazonaws.com/123456789012/jobs", plan.Outputs["url"])
	assert.Equal(t, "jobs-dlq", plan.Outputs["dlqName"])
	assert.EqualValues(t, 120, plan.Outputs["visibility"])
	assert.Len(t, plan.Outputs["alarms"], 2)
}

func TestPreviewRunsOffline(t *testing.T) {
	plan := run(t, "us-east-1", nil, testkit.DryRun(true))
	assert.Len(t, plan.ByType(typeQueue), 2)
}
