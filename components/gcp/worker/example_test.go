package worker_test

import (
	"fmt"

	"github.com/pulumi/pulumi-gcp/sdk/v7/go/gcp"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/scalestack/scalestack/components/gcp/network"
	"github.com/scalestack/scalestack/components/gcp/queue"
	"github.com/scalestack/scalestack/components/gcp/worker"
	"github.com/scalestack/scalestack/testkit"
)

// A Pub/Sub queue and the workers that drain it: 1 to 8 workers, about 50 undelivered
// messages each. Run offline here through testkit.
func Example() {
	plan, err := testkit.Run(func(ctx *pulumi.Context) error {
		p, err := gcp.NewProvider(ctx, "gcp-us-central1", &gcp.ProviderArgs{Project: pulumi.String("my-project"), Region: pulumi.String("us-central1")})
		if err != nil {
			return err
		}
		in := pulumi.Provider(p)
		net, err := network.New(ctx, "app", &network.Args{}, in)
		if err != nil {
			return err
		}
		q, err := queue.New(ctx, "app-jobs", &queue.Args{}, in)
		if err != nil {
			return err
		}
		_, err = worker.New(ctx, "app-worker", &worker.Args{
			Project: pulumi.String("my-project"), Network: net.NetworkSelfLink, Subnetwork: net.PrimarySubnetSelfLink,
			Subscription: q.Subscription, SubscriptionName: q.SubscriptionName, MaxSize: 8, BacklogPerWorker: 50,
		}, in)
		return err
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	m := plan.Find("gcp:compute/regionAutoscaler:RegionAutoscaler", "app-worker").Input("autoscalingPolicy.metrics").([]any)[0].(map[string]any)
	fmt.Println(m["name"], m["singleInstanceAssignment"])
	// Output:
	// pubsub.googleapis.com/subscription/num_undelivered_messages 50
}
