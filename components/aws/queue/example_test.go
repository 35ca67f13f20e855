package queue_test

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/scalestack/scalestack/components/aws/queue"
	"github.com/scalestack/scalestack/testkit"
)

// A work queue whose poison messages move to the dead-letter queue after three receives.
// Run offline here through testkit.
func Example() {
	plan, err := testkit.Run(func(ctx *pulumi.Context) error {
		usEast1, err := aws.NewProvider(ctx, "aws-us-east-1", &aws.ProviderArgs{Region: pulumi.String("us-east-1")})
		if err != nil {
			return err
		}
		q, err := queue.New(ctx, "emails", &queue.Args{
			MaxReceiveCount:          3,
			VisibilityTimeoutSeconds: 300,
		}, pulumi.Provider(usEast1))
		if err != nil {
			return err
		}
		ctx.Export("queueUrl", q.URL)
		return nil
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(plan.Find("aws:sqs/queue:Queue", "emails").InputString("redrivePolicy") != "")
	fmt.Println(plan.Find("aws:sqs/queue:Queue", "emails-dlq").InputString("messageRetentionSeconds"))
	fmt.Println(len(plan.ByType("aws:cloudwatch/metricAlarm:MetricAlarm")))
	// Output:
	// true
	// 1209600
	// 2
}
