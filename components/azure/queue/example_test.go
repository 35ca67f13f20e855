package queue_test

import (
	"fmt"

	azure "github.com/pulumi/pulumi-azure-native-sdk/v2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/scalestack/scalestack/components/azure/network"
	"github.com/scalestack/scalestack/components/azure/queue"
	"github.com/scalestack/scalestack/testkit"
)

// A queue with its poison queue, reached through a private endpoint in a network's data
// subnet (the network admits HTTPS from the web subnet to it).
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
		_, err = queue.New(ctx, "app-jobs", &queue.Args{
			Location:          "eastus2",
			ResourceGroupName: net.ResourceGroupName,
			ResourceGroupID:   net.ResourceGroupID,
			DataSubnetID:      net.DataSubnetID,
			VNetID:            net.VNetID,
			MaxDequeueCount:   5,
		}, pulumi.Provider(p))
		return err
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, q := range plan.ByType("azure-native:storage:Queue") {
		fmt.Println(q.Name, q.Input("queueName"))
	}
	// Output:
	// app-jobs-poison app-jobs-poison
	// app-jobs-queue app-jobs
}
