// Package queue creates an SQS work queue for a web backend: the queue and its dead-letter
// queue, both encrypted with a customer-managed KMS key and reachable over TLS only, a
// redrive policy that moves a message to the dead-letter queue after MaxReceiveCount
// receives (and a redrive-allow policy on the dead-letter queue that admits only this
// queue), and two alarms: the oldest message is too old, and the dead-letter queue is not
// empty.
//
// Encryption: SSE-KMS with a customer-managed key rather than SQS-managed SSE, so that the
// key's use is logged in CloudTrail and limited by IAM: producers need kms:GenerateDataKey,
// consumers kms:Decrypt, both on this key only (ProducerPolicyJSON, ConsumerPolicyJSON).
// A data key is reused for 5 minutes, which keeps the KMS requests (and their cost) low.
//
// The worker tier that drains the queue is the worker package; the region is the region of
// the provider the component is given.
package queue

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/kms"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/sqs"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// TypeToken is the component's type; it is part of every child's URN, so changing it needs
// pulumi.Aliases.
const TypeToken = "scalestack:aws:Queue"

// KMSDataKeyReuseSeconds is how long SQS reuses a data key before asking KMS again.
const KMSDataKeyReuseSeconds = 300

// Alarm keys: the suffixes of the alarms' logical names and the keys of AlarmARNs.
const (
	KeyOldestMessage = "oldest-message"
	KeyDLQNotEmpty   = "dlq-not-empty"
)

// Queue is a work queue, its dead-letter queue, their key and alarms.
type Queue struct {
	pulumi.ResourceState

	// URL is the queue's URL (what SDKs send to and receive from).
	URL pulumi.StringOutput `pulumi:"url"`
	// ARN is the queue's ARN.
	ARN pulumi.StringOutput `pulumi:"arn"`
	// Name is the queue's name (the CloudWatch dimension QueueName).
	Name pulumi.StringOutput `pulumi:"name"`
	// DeadLetterURL, DeadLetterARN and DeadLetterName identify the dead-letter queue.
	DeadLetterURL pulumi.StringOutput `pulumi:"deadLetterUrl"`
	// DeadLetterARN is the dead-letter queue's ARN.
	DeadLetterARN pulumi.StringOutput `pulumi:"deadLetterArn"`
	// DeadLetterName is the dead-letter queue's name.
	DeadLetterName pulumi.StringOutput `pulumi:"deadLetterName"`
	// KMSKeyARN encrypts both queues.
	KMSKeyARN pulumi.StringOutput `pulumi:"kmsKeyArn"`
	// VisibilityTimeoutSeconds is the queue's visibility timeout.
	VisibilityTimeoutSeconds pulumi.IntOutput `pulumi:"visibilityTimeoutSeconds"`
	// ProducerPolicyJSON lets a role send to the queue (attach it to the web tier's role).
	ProducerPolicyJSON pulumi.StringOutput `pulumi:"producerPolicyJson"`
	// ConsumerPolicyJSON lets a role receive, delete and extend the visibility of messages of
	// the queue, and read its attributes: the worker's permissions, and no more.
	ConsumerPolicyJSON pulumi.StringOutput `pulumi:"consumerPolicyJson"`
	// AlarmARNs are the alarms' ARNs by key (KeyOldestMessage, KeyDLQNotEmpty).
	AlarmARNs pulumi.StringMapOutput `pulumi:"alarmArns"`
}

// New validates args, applies defaults and registers the queues, their key, policies and
// alarms.
func New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*Queue, error) {
	a, err := resolve(name, args)
	if err != nil {
		return nil, fmt.Errorf("queue %q: %w", name, err)
	}
	q := &Queue{}
	if err := ctx.RegisterComponentResource(TypeToken, name, q, opts...); err != nil {
		return nil, err
	}
	parent := pulumi.Parent(q)

	key, err := kms.NewKey(ctx, name+"-key", &kms.KeyArgs{
		Description:          pulumi.Sprintf("Queue %s and its dead-letter queue", name),
		EnableKeyRotation:    pulumi.Bool(true),
		DeletionWindowInDays: pulumi.Int(30),
		Tags:                 tags(a.Tags, name+"-key"),
	}, parent)
	if err != nil {
		return nil, fmt.Errorf("creating key %q: %w", name+"-key", err)
	}

	dlq, err := sqs.NewQueue(ctx, name+"-dlq", &sqs.QueueArgs{
		KmsMasterKeyId:               key.Arn,
		KmsDataKeyReusePeriodSeconds: pulumi.Int(KMSDataKeyReuseSeconds),
		MessageRetentionSeconds:      pulumi.Int(MaxRetentionDays * secondsPerDay),
		ReceiveWaitTimeSeconds:       pulumi.Int(a.ReceiveWaitSeconds),
		VisibilityTimeoutSeconds:     pulumi.Int(a.VisibilityTimeoutSeconds),
		Tags:                         tags(a.Tags, name+"-dlq"),
	}, parent)
	if err != nil {
		return nil, fmt.Errorf("creating dead-letter queue %q: %w", name+"-dlq", err)
	}
	main, err := sqs.NewQueue(ctx, name, &sqs.QueueArgs{
		KmsMasterKeyId:               key.Arn,
		KmsDataKeyReusePeriodSeconds: pulumi.Int(KMSDataKeyReuseSeconds),
		MessageRetentionSeconds:      pulumi.Int(a.RetentionDays * secondsPerDay),
		ReceiveWaitTimeSeconds:       pulumi.Int(a.ReceiveWaitSeconds),
		VisibilityTimeoutSeconds:     pulumi.Int(a.VisibilityTimeoutSeconds),
		RedrivePolicy: dlq.Arn.ApplyT(func(arn string) string {
			return mustJSON(map[string]any{"deadLetterTargetArn": arn, "maxReceiveCount": a.MaxReceiveCount})
		}).(pulumi.StringOutput),
		Tags: tags(a.Tags, name),
	}, parent)
	if err != nil {
		return nil, fmt.Errorf("creating queue %q: %w", name, err)
	}
	// The dead-letter queue admits only this queue as a source. A separate resource: the
	// queue's redrive policy already points at the dead-letter queue, so setting this on the
	// dead-letter queue itself would be a cycle.
	if _, err := sqs.NewRedriveAllowPolicy(ctx, name+"-dlq", &sqs.RedriveAllowPolicyArgs{
		QueueUrl: dlq.Url,
		RedriveAllowPolicy: main.Arn.ApplyT(func(arn string) string {
			return mustJSON(map[string]any{"redrivePermission": "byQueue", "sourceQueueArns": []string{arn}})
		}).(pulumi.StringOutput),
	}, parent); err != nil {
		return nil, fmt.Errorf("creating redrive allow policy %q: %w", name+"-dlq", err)
	}
	for _, qu := range []struct {
		key string
		q   *sqs.Queue
	}{{name, main}, {name + "-dlq", dlq}} {
		if _, err := sqs.NewQueuePolicy(ctx, qu.key+"-tls", &sqs.QueuePolicyArgs{
			QueueUrl: qu.q.Url,
			Policy:   qu.q.Arn.ApplyT(tlsOnlyPolicy).(pulumi.StringOutput),
		}, parent); err != nil {
			return nil, fmt.Errorf("creating queue policy %q: %w", qu.key+"-tls", err)
		}
	}

	arns := pulumi.StringMap{}
	for _, al := range []struct {
		key, metric, desc string
		q                 *sqs.Queue
		threshold         float64
		periods           int
	}{
		{KeyOldestMessage, "ApproximateAgeOfOldestMessage",
			fmt.Sprintf("Queue %s: the oldest message has waited more than %d seconds for 5 minutes (workers too few, failing, or stopped).", name, a.OldestMessageAgeSeconds),
			main, float64(a.OldestMessageAgeSeconds), 5},
		{KeyDLQNotEmpty, "ApproximateNumberOfMessagesVisible",
			fmt.Sprintf("Queue %s: messages reached the dead-letter queue (received %d times without success); inspect, fix, then redrive them.", name, a.MaxReceiveCount),
			dlq, 0, 1},
	} {
		alarmName := name + "-" + al.key
		ma := &cloudwatch.MetricAlarmArgs{
			AlarmDescription:   pulumi.String(al.desc),
			Namespace:          pulumi.String("AWS/SQS"),
			MetricName:         pulumi.String(al.metric),
			Dimensions:         pulumi.StringMap{"QueueName": al.q.Name},
			Statistic:          pulumi.String("Maximum"),
			Period:             pulumi.Int(60),
			EvaluationPeriods:  pulumi.Int(al.periods),
			DatapointsToAlarm:  pulumi.Int(al.periods),
			Threshold:          pulumi.Float64(al.threshold),
			ComparisonOperator: pulumi.String("GreaterThanThreshold"),
			// An idle queue publishes no data: that is not a backlog.
			TreatMissingData: pulumi.String("notBreaching"),
			Tags:             tags(a.Tags, alarmName),
		}
		if a.AlarmTopicARN != nil {
			ma.AlarmActions = pulumi.Array{a.AlarmTopicARN}
			ma.OkActions = pulumi.Array{a.AlarmTopicARN}
		}
		res, err := cloudwatch.NewMetricAlarm(ctx, alarmName, ma, parent)
		if err != nil {
			return nil, fmt.Errorf("creating alarm %q: %w", alarmName, err)
		}
		arns[al.key] = res.Arn
	}

	q.URL = main.Url
	q.ARN = main.Arn
	q.Name = main.Name
	q.DeadLetterURL = dlq.Url
	q.DeadLetterARN = dlq.Arn
	q.DeadLetterName = dlq.Name
	q.KMSKeyARN = key.Arn
	q.VisibilityTimeoutSeconds = pulumi.Int(a.VisibilityTimeoutSeconds).ToIntOutput()
	q.ProducerPolicyJSON = pulumi.All(main.Arn, key.Arn).ApplyT(func(v []any) string {
		return ProducerPolicy(v[0].(string), v[1].(string))
	}).(pulumi.StringOutput)
	q.ConsumerPolicyJSON = pulumi.All(main.Arn, key.Arn).ApplyT(func(v []any) string {
		return ConsumerPolicy(v[0].(string), v[1].(string))
	}).(pulumi.StringOutput)
	q.AlarmARNs = arns.ToStringMapOutput()
	return q, ctx.RegisterResourceOutputs(q, pulumi.Map{
		"url":                      q.URL,
		"arn":                      q.ARN,
		"name":                     q.Name,
		"deadLetterUrl":            q.DeadLetterURL,
		"deadLetterArn":            q.DeadLetterARN,
		"deadLetterName":           q.DeadLetterName,
		"kmsKeyArn":                q.KMSKeyARN,
		"visibilityTimeoutSeconds": q.VisibilityTimeoutSeconds,
		"producerPolicyJson":       q.ProducerPolicyJSON,
		"consumerPolicyJson":       q.ConsumerPolicyJSON,
		"alarmArns":                q.AlarmARNs,
	})
}

// ConsumerActions are the SQS actions a worker needs on its queue, and no more.
var ConsumerActions = []string{
	"sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes",
}

// ConsumerPolicy is an IAM policy document that lets a worker consume queueARN: receive,
// delete, change visibility and get attributes on that queue only, and kms:Decrypt on its
// key only when SQS asks (kms:ViaService).
func ConsumerPolicy(queueARN, keyARN string) string {
	return mustJSON(map[string]any{
		"Version": "2012-10-17",
		"Statement": []any{
			map[string]any{"Sid": "ConsumeQueue", "Effect": "Allow", "Action": ConsumerActions, "Resource": queueARN},
			kmsStatement("DecryptMessages", []string{"kms:Decrypt"}, queueARN, keyARN),
		},
	})
}

// ProducerPolicy is an IAM policy document that lets a role send to queueARN, and use its
// key (kms:GenerateDataKey, kms:Decrypt) only when SQS asks.
func ProducerPolicy(queueARN, keyARN string) string {
	return mustJSON(map[string]any{
		"Version": "2012-10-17",
		"Statement": []any{
			map[string]any{"Sid": "SendToQueue", "Effect": "Allow", "Action": []string{"sqs:SendMessage", "sqs:GetQueueAttributes"}, "Resource": queueARN},
			kmsStatement("EncryptMessages", []string{"kms:GenerateDataKey", "kms:Decrypt"}, queueARN, keyARN),
		},
	})
}

// kmsStatement allows actions on keyARN through SQS in the queue's region only.
func kmsStatement(sid string, actions []string, queueARN, keyARN string) map[string]any {
	region := ""
	if p := strings.SplitN(queueARN, ":", 6); len(p) > 3 {
		region = p[3]
	}
	return map[string]any{
		"Sid": sid, "Effect": "Allow", "Action": actions, "Resource": keyARN,
		"Condition": map[string]any{"StringEquals": map[string]any{"kms:ViaService": "sqs." + region + ".amazonaws.com"}},
	}
}

// tlsOnlyPolicy denies every request to the queue made without TLS.
func tlsOnlyPolicy(queueARN string) string {
	return mustJSON(map[string]any{
		"Version": "2012-10-17",
		"Statement": []any{map[string]any{
			"Sid":       "DenyInsecureTransport",
			"Effect":    "Deny",
			"Principal": "*",
			"Action":    "sqs:*",
			"Resource":  queueARN,
			"Condition": map[string]any{"Bool": map[string]any{"aws:SecureTransport": "false"}},
		}},
	})
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // maps of strings, numbers and lists only
	}
	return string(b)
}

// tags merges the user's tags with a child's Name tag (the Name tag wins).
func tags(user map[string]string, name string) pulumi.StringMap {
	out := pulumi.StringMap{}
	for k, v := range user {
		out[k] = pulumi.String(v)
	}
	out["Name"] = pulumi.String(name)
	return out
}
