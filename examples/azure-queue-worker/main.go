// Command azure-queue-worker deploys a scalestack work queue (a Storage queue with its poison
// queue, behind a private endpoint) and the worker scale set that drains it, scaled on the
// queue's length per instance, into a resource group and virtual network that already exist.
// Their IDs are read from stack config.
package main

import (
	"cmp"

	azure "github.com/pulumi/pulumi-azure-native-sdk/v2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"

	"github.com/scalestack/scalestack/components/azure/queue"
	"github.com/scalestack/scalestack/components/azure/worker"
)

func main() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		outputs, err := program(ctx)
		for k, v := range outputs {
			ctx.Export(k, v)
		}
		return err
	})
}

// program is the Pulumi program; it returns the stack outputs. `pulumi up` runs it through
// main, the test through testkit.RunExports.
func program(ctx *pulumi.Context) (pulumi.Map, error) {
	location := cmp.Or(config.Get(ctx, "location"), "eastus2")
	ids := map[string]string{}
	for _, k := range []string{"resourceGroupName", "resourceGroupId", "vnetId", "dataSubnetId", "appSubnetId"} {
		v, err := config.Try(ctx, k)
		if err != nil {
			return nil, err
		}
		ids[k] = v
	}
	backlog := config.GetInt(ctx, "backlogPerWorker")

	provider, err := azure.NewProvider(ctx, "azure-native-"+location, &azure.ProviderArgs{Location: pulumi.StringPtr(location)})
	if err != nil {
		return nil, err
	}
	in := pulumi.Provider(provider)

	q, err := queue.New(ctx, "jobs", &queue.Args{
		Location: location, ResourceGroupName: pulumi.String(ids["resourceGroupName"]), ResourceGroupID: pulumi.String(ids["resourceGroupId"]),
		DataSubnetID: pulumi.String(ids["dataSubnetId"]), VNetID: pulumi.String(ids["vnetId"]),
		MaxDequeueCount: 5, VisibilityTimeoutSeconds: 300,
	}, in)
	if err != nil {
		return nil, err
	}
	w, err := worker.New(ctx, "jobs-worker", &worker.Args{
		Location: location, ResourceGroupName: pulumi.String(ids["resourceGroupName"]), SubnetID: pulumi.String(ids["appSubnetId"]),
		QueueID: q.QueueID, PoisonQueueID: q.PoisonQueueID, MetricResourceURI: q.MetricResourceURI,
		MinSize: 1, MaxSize: 10, BacklogPerWorker: backlog,
	}, in)
	if err != nil {
		return nil, err
	}
	return pulumi.Map{
		"queueUrl":          q.QueueURL,
		"poisonQueueUrl":    q.PoisonQueueURL,
		"queueId":           q.QueueID,
		"workerPrincipalId": w.PrincipalID,
	}, nil
}
