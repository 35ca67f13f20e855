package worker_test

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/scalestack/scalestack/components/aws/network"
	"github.com/scalestack/scalestack/components/aws/queue"
	"github.com/scalestack/scalestack/components/aws/worker"
	"github.com/scalestack/scalestack/testkit"
)

// A queue and the worker tier that drains it, in a network's private subnets: between 2 and
// 10 workers, keeping about 50 visible messages per worker. Run offline here through testkit.
func Example() {
	plan, err := testkit.Run(func(ctx *pulumi.Context) error {
		usEast1, err := aws.NewProvider(ctx, "aws-us-east-1", &aws.ProviderArgs{Region: pulumi.String("us-east-1")})
		if err != nil {
			return err
		}
		in := pulumi.Provider(usEast1)
		net, err := network.New(ctx, "app", &network.Args{AvailabilityZones: []string{"us-east-1a", "us-east-1b"}}, in)
		if err != nil {
			return err
		}
		q, err := queue.New(ctx, "app-jobs", &queue.Args{MaxReceiveCount: 5}, in)
		if err != nil {
			return err
		}
		_, err = worker.New(ctx, "app-worker", &worker.Args{
			VpcID:            net.VpcID,
			SubnetIDs:        net.PrivateSubnetIDs,
			QueueARN:         q.ARN,
			QueueURL:         q.URL,
			QueueName:        q.Name,
			QueueKMSKeyARN:   q.KMSKeyARN,
			MinSize:          2,
			MaxSize:          10,
			BacklogPerWorker: 50,
		}, in)
		return err
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	pol := plan.Find("aws:autoscaling/policy:Policy", "app-worker-backlog")
	fmt.Println(pol.InputString("targetTrackingConfiguration.targetValue"))
	fmt.Println(pol.Input("targetTrackingConfiguration.customizedMetricSpecification.metrics").([]any)[2].(map[string]any)["expression"])
	// Output:
	// 50
	// visible / inservice
}
