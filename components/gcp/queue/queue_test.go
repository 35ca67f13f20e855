package queue_test

import (
	"testing"

	"github.com/pulumi/pulumi-gcp/sdk/v7/go/gcp"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scalestack/scalestack/components/gcp/queue"
	"github.com/scalestack/scalestack/policies/rules"
	"github.com/scalestack/scalestack/testkit"
)

const (
	typeTopic     = "gcp:pubsub/topic:Topic"
	typeSub       = "gcp:pubsub/subscription:Subscription"
	typeTopicIAM  = "gcp:pubsub/topicIAMMember:TopicIAMMember"
	typeSubIAM    = "gcp:pubsub/subscriptionIAMMember:SubscriptionIAMMember"
	typeAgent     = "gcp:projects/serviceIdentity:ServiceIdentity"
	typeAlert     = "gcp:monitoring/alertPolicy:AlertPolicy"
	typeIAMMember = "gcp:projects/iAMMember:IAMMember"
)

func program(mutate func(*queue.Args)) func(*pulumi.Context) error {
	return func(ctx *pulumi.Context) error {
		p, err := gcp.NewProvider(ctx, "gcp-us-central1", &gcp.ProviderArgs{Project: pulumi.String("app-prod-1"), Region: pulumi.String("us-central1")})
		if err != nil {
			return err
		}
		args := &queue.Args{NotificationChannels: pulumi.StringArray{pulumi.String("projects/app-prod-1/notificationChannels/42")}}
		if mutate != nil {
			mutate(args)
		}
		_, err = queue.New(ctx, "jobs", args, pulumi.Provider(p))
		return err
	}
}

func run(t *testing.T, mutate func(*queue.Args), opts ...testkit.Option) *testkit.Plan {
	t.Helper()
	plan, err := testkit.Run(program(mutate), opts...)
	require.NoError(t, err)
	return plan
}

func TestCountsAndPlacement(t *testing.T) {
	plan := run(t, nil)
	comp := plan.Find(queue.TypeToken, "jobs")
	testkit.AssertCounts(t, plan, map[string]int{typeTopic: 2, typeSub: 2, typeTopicIAM: 1, typeSubIAM: 1, typeAgent: 1, typeAlert: 2, typeIAMMember: 0})
	assert.Len(t, plan.Descendants(comp.URN), 9)
	testkit.AssertPlaced(t, plan, comp, "us-central1")
}

// The dead-letter policy forwards a message after maxDeliveryAttempts (5-100); "messages
// published to a topic with no subscriptions are lost", so the dead-letter topic has its own
// subscription (pulumi-gcp v7.38.0 pubsub.SubscriptionDeadLetterPolicyArgs docs).
func TestDeadLetterTopicHasASubscription(t *testing.T) {
	plan := run(t, func(a *queue.Args) { a.MaxDeliveryAttempts = 7 })
	sub := plan.Find(typeSub, "jobs")
	dlTopic := plan.Find(typeTopic, "jobs-dlq")
	dlSub := plan.Find(typeSub, "jobs-dlq")
	testkit.AssertWired(t, sub, "topic", plan.Find(typeTopic, "jobs"))
	testkit.AssertWired(t, sub, "deadLetterPolicy", dlTopic)
	assert.Equal(t, dlTopic.Output("id"), sub.Input("deadLetterPolicy.deadLetterTopic"))
	assert.Equal(t, float64(7), sub.Input("deadLetterPolicy.maxDeliveryAttempts"))
	testkit.AssertWired(t, dlSub, "topic", dlTopic)
	assert.Equal(t, "604800s", dlSub.Input("messageRetentionDuration"), "Pub/Sub's maximum, 7 days")
	assert.Nil(t, dlSub.Input("deadLetterPolicy"))

	_, err := testkit.Run(program(func(a *queue.Args) { a.MaxDeliveryAttempts = 3 }))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "MaxDeliveryAttempts 3 is not allowed: want 5-100")
}

// "The Cloud Pub/Sub service account ... (service-{project_number}@gcp-sa-pubsub.iam.gserviceaccount.com)
// must have permission to Publish() to this topic" (pubsub.SubscriptionDeadLetterPolicyArgs),
// and subscriber on the source subscription to acknowledge the forwarded message
// (https://cloud.google.com/pubsub/docs/handling-failures#grant_forwarding_permissions).
func TestServiceAgentCanForwardDeadLetters(t *testing.T) {
	plan := run(t, nil)
	agent := plan.Find(typeAgent, "jobs-pubsub-agent")
	assert.Equal(t, "pubsub.googleapis.com", agent.Input("service"))
	pub := plan.Find(typeTopicIAM, "jobs-dlq-agent-publisher")
	assert.Equal(t, "roles/pubsub.publisher", pub.Input("role"))
	testkit.AssertWired(t, pub, "member", agent)
	testkit.AssertWired(t, pub, "topic", plan.Find(typeTopic, "jobs-dlq"))
	assert.Equal(t, "serviceAccount:service-123456789012@gcp-sa-pubsub.iam.gserviceaccount.com", pub.Input("member"))
	subIAM := plan.Find(typeSubIAM, "jobs-agent-subscriber")
	assert.Equal(t, "roles/pubsub.subscriber", subIAM.Input("role"))
	testkit.AssertWired(t, subIAM, "member", agent)
	testkit.AssertWired(t, subIAM, "subscription", plan.Find(typeSub, "jobs"))
}

// "If expirationPolicy is not set, a default policy with ttl of 31 days will be used. If it
// is set but ttl is "", the resource never expires" (pubsub.SubscriptionArgs): an idle
// dead-letter subscription must not vanish.
func TestSubscriptionsNeverExpire(t *testing.T) {
	plan := run(t, func(a *queue.Args) { a.RetentionDays, a.AckDeadlineSeconds = 2, 300 })
	for _, n := range []string{"jobs", "jobs-dlq"} {
		s := plan.Find(typeSub, n)
		assert.Equal(t, map[string]any{"ttl": ""}, s.Input("expirationPolicy"), n)
		assert.Equal(t, float64(300), s.Input("ackDeadlineSeconds"), n)
	}
	sub := plan.Find(typeSub, "jobs")
	assert.Equal(t, "172800s", sub.Input("messageRetentionDuration"))
	assert.Equal(t, map[string]any{"minimumBackoff": "10s", "maximumBackoff": "600s"}, sub.Input("retryPolicy"))
}

func TestAlertsWatchTheOldestMessageAndTheDeadLetters(t *testing.T) {
	plan := run(t, func(a *queue.Args) { a.OldestMessageAgeSeconds = 600 })
	age := plan.Find(typeAlert, "jobs-oldest-message")
	dl := plan.Find(typeAlert, "jobs-dlq-not-empty")
	ageCond := age.Input("conditions").([]any)[0].(map[string]any)["conditionThreshold"].(map[string]any)
	assert.Contains(t, ageCond["filter"], `metric.type = "pubsub.googleapis.com/subscription/oldest_unacked_message_age"`)
	assert.Contains(t, ageCond["filter"], `resource.labels.subscription_id = "`+plan.Find(typeSub, "jobs").Output("name").(string)+`"`)
	assert.Equal(t, float64(600), ageCond["thresholdValue"])
	dlCond := dl.Input("conditions").([]any)[0].(map[string]any)["conditionThreshold"].(map[string]any)
	assert.Contains(t, dlCond["filter"], `resource.labels.subscription_id = "`+plan.Find(typeSub, "jobs-dlq").Output("name").(string)+`"`)
	assert.Contains(t, dlCond["filter"], "num_undelivered_messages")
	assert.Equal(t, float64(0), dlCond["thresholdValue"])
	testkit.AssertWired(t, dl, "conditions", plan.Find(typeSub, "jobs-dlq"))
	assert.Equal(t, []any{"projects/app-prod-1/notificationChannels/42"}, dl.Input("notificationChannels"))
}

func TestValidation(t *testing.T) {
	var registered int
	_, err := testkit.Run(func(ctx *pulumi.Context) error {
		_, err := queue.New(ctx, "google-jobs", &queue.Args{RetentionDays: 9, AckDeadlineSeconds: 5})
		return err
	}, testkit.OnNewResource(func(*testkit.Resource) error { registered++; return nil }))
	require.Error(t, err)
	for _, want := range []string{`queue "google-jobs": `, `name "google-jobs" is not allowed`, "RetentionDays 9 is not allowed: want 1-7", "AckDeadlineSeconds 5 is not allowed: want 10-600"} {
		assert.Contains(t, err.Error(), want)
	}
	assert.Zero(t, registered)
}

// Both subscriptions pass stack-queue-dlq: the work subscription has a dead-letter policy, the
// dead-letter subscription reads the dead-letter topic.
func TestQueuePassesThePolicyPack(t *testing.T) {
	plan := run(t, nil, testkit.DryRun(true), testkit.Stack("prod"))
	rep, err := plan.Policies(rules.Options{Environment: "prod"})
	require.NoError(t, err)
	assert.Empty(t, rep.ByRule("stack-queue-dlq"))
	assert.Empty(t, rep.Mandatory())
}
