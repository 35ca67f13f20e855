package queue_test

import (
	"fmt"

	"github.com/pulumi/pulumi-gcp/sdk/v7/go/gcp"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/scalestack/scalestack/components/gcp/queue"
	"github.com/scalestack/scalestack/testkit"
)

// A Pub/Sub work queue whose undeliverable messages move to a dead-letter topic after 10
// delivery attempts. Run offline here through testkit.
func Example() {
	plan, err := testkit.Run(func(ctx *pulumi.Context) error {
		p, err := gcp.NewProvider(ctx, "gcp", &gcp.ProviderArgs{Project: pulumi.String("my-project")})
		if err != nil {
			return err
		}
		q, err := queue.New(ctx, "emails", &queue.Args{MaxDeliveryAttempts: 10}, pulumi.Provider(p))
		if err != nil {
			return err
		}
		ctx.Export("topic", q.Topic)
		return nil
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	sub := plan.Find("gcp:pubsub/subscription:Subscription", "emails")
	fmt.Println(sub.InputString("deadLetterPolicy.maxDeliveryAttempts"))
	fmt.Println(len(plan.ByType("gcp:pubsub/topic:Topic")), len(plan.ByType("gcp:pubsub/subscription:Subscription")))
	// Output:
	// 10
	// 2 2
}
