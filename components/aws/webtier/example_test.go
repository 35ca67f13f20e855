package webtier_test

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/scalestack/scalestack/components/aws/loadbalancer"
	"github.com/scalestack/scalestack/components/aws/network"
	"github.com/scalestack/scalestack/components/aws/webtier"
	"github.com/scalestack/scalestack/testkit"
)

// A network, a load balancer and a web tier composed in one region: the load balancer in
// the public subnets, the instances in the private subnets admitting only the load
// balancer, scaling on CPU, on requests per target, on CPU alarms, and on a schedule.
// Run offline here through testkit.
func Example() {
	plan, err := testkit.Run(func(ctx *pulumi.Context) error {
		usEast1, err := aws.NewProvider(ctx, "aws-us-east-1", &aws.ProviderArgs{Region: pulumi.String("us-east-1")})
		if err != nil {
			return err
		}
		in := pulumi.Provider(usEast1)
		net, err := network.New(ctx, "app", &network.Args{
			AvailabilityZones: []string{"us-east-1a", "us-east-1b"},
		}, in)
		if err != nil {
			return err
		}
		alb, err := loadbalancer.New(ctx, "app", &loadbalancer.Args{
			VpcID:          net.VpcID,
			SubnetIDs:      net.PublicSubnetIDs,
			Region:         "us-east-1",
			CertificateARN: pulumi.String("arn:aws:acm:us-east-1:123456789012:certificate/example"),
		}, in)
		if err != nil {
			return err
		}
		_, err = webtier.New(ctx, "app", &webtier.Args{
			VpcID:                       net.VpcID,
			SubnetIDs:                   net.PrivateSubnetIDs,
			LoadBalancerSecurityGroupID: alb.SecurityGroupID,
			TargetGroupARNs:             pulumi.StringArray{alb.TargetGroupARN},
			LoadBalancerARNSuffix:       alb.ARNSuffix,
			TargetGroupARNSuffix:        alb.TargetGroupARNSuffix,
			MinSize:                     2,
			MaxSize:                     6,
			Schedules: []webtier.Schedule{
				{Name: "business-hours", Recurrence: "0 8 * * MON-FRI", MinSize: 4, MaxSize: 10, DesiredCapacity: 4},
				{Name: "evening", Recurrence: "0 20 * * *", MinSize: 2, MaxSize: 6, DesiredCapacity: 2},
			},
			Tags: map[string]string{"backup": "daily"},
		}, in)
		return err
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	counts := plan.CountByRegion()["us-east-1"]
	for _, typ := range []string{
		"aws:ec2/subnet:Subnet", "aws:lb/listener:Listener", "aws:autoscaling/group:Group",
		"aws:autoscaling/policy:Policy", "aws:cloudwatch/metricAlarm:MetricAlarm", "aws:autoscaling/schedule:Schedule",
	} {
		fmt.Println(typ, counts[typ])
	}
	// Output:
	// aws:ec2/subnet:Subnet 6
	// aws:lb/listener:Listener 2
	// aws:autoscaling/group:Group 1
	// aws:autoscaling/policy:Policy 4
	// aws:cloudwatch/metricAlarm:MetricAlarm 2
	// aws:autoscaling/schedule:Schedule 2
}
