package monitoring_test

import (
	"fmt"
	"sort"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/scalestack/scalestack/components/aws/monitoring"
	"github.com/scalestack/scalestack/testkit"
)

// Alarms on a load balancer, its Auto Scaling group and a database with one replica, sent to
// an email address. In a real stack the dimensions come from the other components' outputs
// (the ALB's ArnSuffix, the group's Name, the database's identifiers). Run offline under
// testkit.
func Example() {
	plan, err := testkit.Run(func(ctx *pulumi.Context) error {
		east, err := aws.NewProvider(ctx, "aws-us-east-1", &aws.ProviderArgs{Region: pulumi.String("us-east-1")})
		if err != nil {
			return err
		}
		m, err := monitoring.New(ctx, "app", &monitoring.Args{
			AlertEmail: "ops@example.com",
			LoadBalancer: &monitoring.LoadBalancerAlarms{
				LoadBalancerARNSuffix:   pulumi.String("app/app-alb/50dc6c495c0c9188"),
				TargetGroupARNSuffix:    pulumi.String("targetgroup/app-tg/73e2d6bc24d8a067"),
				LatencyThresholdSeconds: 0.5,
			},
			AutoScaling: &monitoring.AutoScalingAlarms{AutoScalingGroupName: pulumi.String("app-asg"), MaxSize: 6},
			Database: &monitoring.DatabaseAlarms{
				DBInstanceIdentifier: pulumi.String("app-db"),
				ReplicaIdentifiers:   []pulumi.StringInput{pulumi.String("app-db-replica-1")},
			},
		}, pulumi.Provider(east))
		if err != nil {
			return err
		}
		ctx.Export("topicArn", m.TopicARN)
		return nil
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	var names []string
	for _, a := range plan.ByType("aws:cloudwatch/metricAlarm:MetricAlarm") {
		names = append(names, fmt.Sprintf("%s %v", a.Name, a.Input("treatMissingData")))
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Println(n)
	}
	// Output:
	// app-alb-5xx notBreaching
	// app-asg-at-max missing
	// app-db-cpu missing
	// app-db-free-storage breaching
	// app-db-replica-lag-1 breaching
	// app-latency-p95 notBreaching
	// app-latency-p99 notBreaching
	// app-target-5xx notBreaching
	// app-unhealthy-hosts breaching
}
