// Package queue creates a Pub/Sub work queue for a web backend on Google Cloud: a topic and
// the workers' pull subscription, a dead-letter topic with its own subscription (Pub/Sub drops
// what is published to a topic nobody subscribes to), the IAM the Pub/Sub service agent needs
// to forward undeliverable messages (publisher on the dead-letter topic, subscriber on the
// work subscription), a retry policy with exponential backoff, retention, subscriptions that
// never expire, and alert policies on the oldest unacknowledged message and on the
// dead-letter subscription.
//
// Messages are encrypted at rest with Google-managed keys (Pub/Sub always encrypts) and in
// transit (the API is HTTPS/gRPC over TLS only).
//
// The worker tier that drains the subscription is components/gcp/worker (or any consumer
// given SubscriberRole on Subscription). The region of the provider places nothing: Pub/Sub
// is global.
package queue

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/pulumi/pulumi-gcp/sdk/v7/go/gcp/monitoring"
	"github.com/pulumi/pulumi-gcp/sdk/v7/go/gcp/projects"
	"github.com/pulumi/pulumi-gcp/sdk/v7/go/gcp/pubsub"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// TypeToken is the component's type; it is part of every child's URN.
const TypeToken = "scalestack:gcp:Queue"

// Defaults applied by Args.withDefaults.
const (
	DefaultMaxDeliveryAttempts     = 5
	DefaultRetentionDays           = 4
	DefaultAckDeadlineSeconds      = 120
	DefaultOldestMessageAgeSeconds = 900
	// DeadLetterRetentionDays is how long the dead-letter subscription keeps messages: 7 days,
	// Pub/Sub's maximum subscription retention.
	DeadLetterRetentionDays = 7
)

// SubscriberRole is the role a consumer needs on the subscription, and no more.
const SubscriberRole = "roles/pubsub.subscriber"

// Args configures a Queue. Zero values mean the documented default.
type Args struct {
	// Project is the project of the topics and subscriptions. Default: the provider's.
	Project pulumi.StringInput
	// MaxDeliveryAttempts before a message moves to the dead-letter topic. Default: 5.
	// Allowed: 5-100 (Pub/Sub's dead-letter policy).
	MaxDeliveryAttempts int
	// RetentionDays keeps an unacknowledged message. Default: 4. Allowed: 1-7.
	RetentionDays int
	// AckDeadlineSeconds is how long a worker has to acknowledge a message before it is
	// redelivered. Default: 120. Allowed: 10-600.
	AckDeadlineSeconds int
	// OldestMessageAgeSeconds raises the backlog alert when the oldest unacknowledged message
	// is older for 5 minutes. Default: 900. Allowed: 60 up to the retention.
	OldestMessageAgeSeconds int
	// NotificationChannels receive the alerts (monitoring notification channel ids).
	// Default: none (the policies exist, with no channel).
	NotificationChannels pulumi.StringArrayInput
	// Labels are added to the topics and subscriptions.
	Labels map[string]string
}

var nameRE = regexp.MustCompile(`^[a-z][a-z0-9-]{2,50}$`)

func (a Args) withDefaults() Args {
	if a.MaxDeliveryAttempts == 0 {
		a.MaxDeliveryAttempts = DefaultMaxDeliveryAttempts
	}
	if a.RetentionDays == 0 {
		a.RetentionDays = DefaultRetentionDays
	}
	if a.AckDeadlineSeconds == 0 {
		a.AckDeadlineSeconds = DefaultAckDeadlineSeconds
	}
	if a.OldestMessageAgeSeconds == 0 {
		a.OldestMessageAgeSeconds = DefaultOldestMessageAgeSeconds
	}
	return a
}

func validate(name string, a Args) error {
	var p []string
	bad := func(format string, args ...any) { p = append(p, fmt.Sprintf(format, args...)) }
	// Pub/Sub: topic and subscription ids have 3-255 characters, start with a letter and
	// must not start with "goog"; Pulumi's auto-name adds 8, "-dlq" 4 more.
	if !nameRE.MatchString(name) || strings.HasPrefix(name, "goog") {
		bad("name %q is not allowed: want 3-51 lowercase letters, digits and hyphens, starting with a letter (not \"goog\")", name)
	}
	if a.MaxDeliveryAttempts < 5 || a.MaxDeliveryAttempts > 100 {
		bad("MaxDeliveryAttempts %d is not allowed: want 5-100 (Pub/Sub's dead-letter policy)", a.MaxDeliveryAttempts)
	}
	if a.RetentionDays < 1 || a.RetentionDays > 7 {
		bad("RetentionDays %d is not allowed: want 1-7 (Pub/Sub keeps unacknowledged messages at most 7 days)", a.RetentionDays)
	}
	if a.AckDeadlineSeconds < 10 || a.AckDeadlineSeconds > 600 {
		bad("AckDeadlineSeconds %d is not allowed: want 10-600", a.AckDeadlineSeconds)
	}
	if a.OldestMessageAgeSeconds < 60 || a.OldestMessageAgeSeconds > a.RetentionDays*86400 {
		bad("OldestMessageAgeSeconds %d is not allowed: want 60 up to the retention (%d seconds)", a.OldestMessageAgeSeconds, a.RetentionDays*86400)
	}
	if len(p) == 0 {
		return nil
	}
	return errors.New(strings.Join(p, "; "))
}

// Queue is a topic, its work subscription, a dead-letter topic and subscription, and alerts.
type Queue struct {
	pulumi.ResourceState

	// Topic is the work topic's id ("projects/p/topics/t"): producers publish here.
	Topic pulumi.StringOutput `pulumi:"topic"`
	// Subscription is the work subscription's id: workers pull from it.
	Subscription pulumi.StringOutput `pulumi:"subscription"`
	// SubscriptionName is the subscription's short name (the monitoring label subscription_id).
	SubscriptionName pulumi.StringOutput `pulumi:"subscriptionName"`
	// DeadLetterTopic is the dead-letter topic's id.
	DeadLetterTopic pulumi.StringOutput `pulumi:"deadLetterTopic"`
	// DeadLetterSubscription is the subscription holding dead letters for inspection.
	DeadLetterSubscription pulumi.StringOutput `pulumi:"deadLetterSubscription"`
	// DeadLetterSubscriptionName is its short name (the monitoring label subscription_id).
	DeadLetterSubscriptionName pulumi.StringOutput `pulumi:"deadLetterSubscriptionName"`
	// AlertPolicies are the alert policies' ids by key ("oldest-message", "dlq-not-empty").
	AlertPolicies pulumi.StringMapOutput `pulumi:"alertPolicies"`
}

// New validates args, applies defaults and registers the queue.
func New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*Queue, error) {
	if args == nil {
		args = &Args{}
	}
	a := args.withDefaults()
	if err := validate(name, a); err != nil {
		return nil, fmt.Errorf("queue %q: %w", name, err)
	}
	q := &Queue{}
	if err := ctx.RegisterComponentResource(TypeToken, name, q, opts...); err != nil {
		return nil, err
	}
	parent := pulumi.Parent(q)
	labels := pulumi.ToStringMap(a.Labels)
	never := &pubsub.SubscriptionExpirationPolicyArgs{Ttl: pulumi.String("")}

	topic, err := pubsub.NewTopic(ctx, name, &pubsub.TopicArgs{Project: a.Project, Labels: labels}, parent)
	if err != nil {
		return nil, fmt.Errorf("creating topic: %w", err)
	}
	dlTopic, err := pubsub.NewTopic(ctx, name+"-dlq", &pubsub.TopicArgs{Project: a.Project, Labels: labels}, parent)
	if err != nil {
		return nil, fmt.Errorf("creating dead-letter topic: %w", err)
	}
	// Messages published to a topic with no subscription are lost: the dead-letter topic gets
	// its own, kept as long as Pub/Sub allows.
	dlSub, err := pubsub.NewSubscription(ctx, name+"-dlq", &pubsub.SubscriptionArgs{
		Project:                  a.Project,
		Topic:                    dlTopic.ID(),
		AckDeadlineSeconds:       pulumi.Int(a.AckDeadlineSeconds),
		MessageRetentionDuration: pulumi.Sprintf("%ds", DeadLetterRetentionDays*86400),
		ExpirationPolicy:         never,
		Labels:                   labels,
	}, parent)
	if err != nil {
		return nil, fmt.Errorf("creating dead-letter subscription: %w", err)
	}
	sub, err := pubsub.NewSubscription(ctx, name, &pubsub.SubscriptionArgs{
		Project:                  a.Project,
		Topic:                    topic.ID(),
		AckDeadlineSeconds:       pulumi.Int(a.AckDeadlineSeconds),
		MessageRetentionDuration: pulumi.Sprintf("%ds", a.RetentionDays*86400),
		ExpirationPolicy:         never,
		RetryPolicy: &pubsub.SubscriptionRetryPolicyArgs{
			MinimumBackoff: pulumi.String("10s"),
			MaximumBackoff: pulumi.String("600s"),
		},
		DeadLetterPolicy: &pubsub.SubscriptionDeadLetterPolicyArgs{
			DeadLetterTopic:     dlTopic.ID(),
			MaxDeliveryAttempts: pulumi.Int(a.MaxDeliveryAttempts),
		},
		Labels: labels,
	}, parent)
	if err != nil {
		return nil, fmt.Errorf("creating subscription: %w", err)
	}

	// The Pub/Sub service agent forwards undeliverable messages: it needs publisher on the
	// dead-letter topic and subscriber on the work subscription (to acknowledge them there).
	agent, err := projects.NewServiceIdentity(ctx, name+"-pubsub-agent", &projects.ServiceIdentityArgs{
		Project: a.Project,
		Service: pulumi.String("pubsub.googleapis.com"),
	}, parent)
	if err != nil {
		return nil, fmt.Errorf("creating Pub/Sub service identity: %w", err)
	}
	if _, err := pubsub.NewTopicIAMMember(ctx, name+"-dlq-agent-publisher", &pubsub.TopicIAMMemberArgs{
		Project: a.Project, Topic: dlTopic.Name, Role: pulumi.String("roles/pubsub.publisher"), Member: agent.Member,
	}, parent); err != nil {
		return nil, fmt.Errorf("granting the service agent publisher on the dead-letter topic: %w", err)
	}
	if _, err := pubsub.NewSubscriptionIAMMember(ctx, name+"-agent-subscriber", &pubsub.SubscriptionIAMMemberArgs{
		Project: a.Project, Subscription: sub.Name, Role: pulumi.String(SubscriberRole), Member: agent.Member,
	}, parent); err != nil {
		return nil, fmt.Errorf("granting the service agent subscriber on the subscription: %w", err)
	}

	policies := pulumi.StringMap{}
	for _, al := range []struct {
		key, metric, desc string
		sub               *pubsub.Subscription
		threshold         float64
		duration          string
	}{
		{"oldest-message", "pubsub.googleapis.com/subscription/oldest_unacked_message_age",
			fmt.Sprintf("Queue %s: the oldest unacknowledged message is older than %d seconds for 5 minutes (workers too few, failing or stopped).", name, a.OldestMessageAgeSeconds),
			sub, float64(a.OldestMessageAgeSeconds), "300s"},
		{"dlq-not-empty", "pubsub.googleapis.com/subscription/num_undelivered_messages",
			fmt.Sprintf("Queue %s: messages reached the dead-letter topic after %d delivery attempts; inspect them in the dead-letter subscription.", name, a.MaxDeliveryAttempts),
			dlSub, 0, "60s"},
	} {
		filter := al.sub.Name.ApplyT(func(id string) string {
			return fmt.Sprintf(`resource.type = "pubsub_subscription" AND resource.labels.subscription_id = %q AND metric.type = %q`, id, al.metric)
		}).(pulumi.StringOutput)
		ap, err := monitoring.NewAlertPolicy(ctx, name+"-"+al.key, &monitoring.AlertPolicyArgs{
			Project:     a.Project,
			DisplayName: pulumi.Sprintf("%s: %s", name, al.key),
			Combiner:    pulumi.String("OR"),
			Conditions: monitoring.AlertPolicyConditionArray{&monitoring.AlertPolicyConditionArgs{
				DisplayName: pulumi.String(al.key),
				ConditionThreshold: &monitoring.AlertPolicyConditionConditionThresholdArgs{
					Filter:         filter,
					Comparison:     pulumi.String("COMPARISON_GT"),
					ThresholdValue: pulumi.Float64(al.threshold),
					Duration:       pulumi.String(al.duration),
					Aggregations: monitoring.AlertPolicyConditionConditionThresholdAggregationArray{&monitoring.AlertPolicyConditionConditionThresholdAggregationArgs{
						AlignmentPeriod:  pulumi.String("60s"),
						PerSeriesAligner: pulumi.String("ALIGN_MAX"),
					}},
				},
			}},
			Documentation:        &monitoring.AlertPolicyDocumentationArgs{Content: pulumi.String(al.desc), MimeType: pulumi.String("text/markdown")},
			NotificationChannels: a.NotificationChannels,
		}, parent)
		if err != nil {
			return nil, fmt.Errorf("creating alert policy %q: %w", al.key, err)
		}
		policies[al.key] = ap.Name
	}

	q.Topic = topic.ID().ToStringOutput()
	q.Subscription = sub.ID().ToStringOutput()
	q.SubscriptionName = sub.Name
	q.DeadLetterTopic = dlTopic.ID().ToStringOutput()
	q.DeadLetterSubscription = dlSub.ID().ToStringOutput()
	q.DeadLetterSubscriptionName = dlSub.Name
	q.AlertPolicies = policies.ToStringMapOutput()
	return q, ctx.RegisterResourceOutputs(q, pulumi.Map{
		"topic": q.Topic, "subscription": q.Subscription, "subscriptionName": q.SubscriptionName,
		"deadLetterTopic": q.DeadLetterTopic, "deadLetterSubscription": q.DeadLetterSubscription,
		"deadLetterSubscriptionName": q.DeadLetterSubscriptionName,
		"alertPolicies":              q.AlertPolicies,
	})
}

// Validate reports every problem with args for a component named name, registering nothing.
func (a *Args) Validate(name string) error {
	if a == nil {
		a = &Args{}
	}
	return validate(name, a.withDefaults())
}
