package worker_test

import (
	"fmt"

	azure "github.com/pulumi/pulumi-azure-native-sdk/v2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/scalestack/scalestack/components/azure/network"
	"github.com/scalestack/scalestack/components/azure/queue"
	"github.com/scalestack/scalestack/components/azure/worker"
	"github.com/scalestack/scalestack/testkit"
)

// A queue and 1-10 workers that keep about 50 queued messages per worker.
func Example() {
	plan, err := testkit.Run(func(ctx *pulumi.Context) error {
		p, err := azure.NewProvider(ctx, "azure-native-eastus2", &azure.ProviderArgs{Location: pulumi.StringPtr("eastus2")})
		if err != nil {
			return err
		}
		net, err := network.New(ctx, "app", &network.Args{Location: "eastus2", Queue: true}, pulumi.Provider(p))
		if err != nil {
			return err
		}
		q, err := queue.New(ctx, "app-jobs", &queue.Args{
			Location: "eastus2", ResourceGroupName: net.ResourceGroupName, ResourceGroupID: net.ResourceGroupID,
			DataSubnetID: net.DataSubnetID, VNetID: net.VNetID,
		}, pulumi.Provider(p))
		if err != nil {
			return err
		}
		_, err = worker.New(ctx, "app-worker", &worker.Args{
			Location: "eastus2", ResourceGroupName: net.ResourceGroupName, SubnetID: net.WebSubnetID,
			QueueID: q.QueueID, PoisonQueueID: q.PoisonQueueID, MetricResourceURI: q.MetricResourceURI,
			MinSize: 1, MaxSize: 10, BacklogPerWorker: 50,
		}, pulumi.Provider(p))
		return err
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	as := plan.Find("azure-native:insights:AutoscaleSetting", "app-worker-autoscale")
	rule := as.Input("profiles.0.rules.2.metricTrigger").(map[string]any)
	fmt.Println(rule["metricName"], rule["threshold"])
	// Output: ApproximateMessageCount 50
}
