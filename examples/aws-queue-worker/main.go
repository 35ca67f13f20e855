// Command aws-queue-worker deploys a scalestack work queue (SQS, with a dead-letter queue) and
// the worker Auto Scaling group that drains it, scaled on the backlog per worker, into a VPC
// that already exists. The VPC and subnet IDs are read from stack config.
package main

import (
	"cmp"
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"

	"github.com/scalestack/scalestack/components/aws/queue"
	"github.com/scalestack/scalestack/components/aws/worker"
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
	region := cmp.Or(config.Get(ctx, "region"), "us-east-1")
	vpcID, err := config.Try(ctx, "vpcId")
	if err != nil {
		return nil, err
	}
	var private []string
	if err := config.TryObject(ctx, "privateSubnetIds", &private); err != nil {
		return nil, fmt.Errorf("config privateSubnetIds: %w", err)
	}
	backlog := config.GetInt(ctx, "backlogPerWorker")

	provider, err := aws.NewProvider(ctx, "aws-"+region, &aws.ProviderArgs{Region: pulumi.String(region)})
	if err != nil {
		return nil, err
	}
	in := pulumi.Provider(provider)

	q, err := queue.New(ctx, "jobs", &queue.Args{MaxReceiveCount: 5, VisibilityTimeoutSeconds: 300}, in)
	if err != nil {
		return nil, err
	}
	w, err := worker.New(ctx, "jobs-worker", &worker.Args{
		VpcID:            pulumi.String(vpcID),
		SubnetIDs:        pulumi.ToStringArray(private),
		QueueARN:         q.ARN,
		QueueURL:         q.URL,
		QueueName:        q.Name,
		QueueKMSKeyARN:   q.KMSKeyARN,
		MinSize:          1,
		MaxSize:          10,
		BacklogPerWorker: backlog,
	}, in)
	if err != nil {
		return nil, err
	}
	return pulumi.Map{
		"queueUrl":           q.URL,
		"deadLetterQueueUrl": q.DeadLetterURL,
		"producerPolicy":     q.ProducerPolicyJSON,
		"workerGroup":        w.GroupName,
	}, nil
}
