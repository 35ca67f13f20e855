package network_test

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/scalestack/scalestack/components/aws/network"
	"github.com/scalestack/scalestack/testkit"
)

// A production network: three zones, a NAT gateway per zone, an S3 gateway endpoint, placed
// in eu-west-1 by the provider it is given. Run offline here through testkit.
func Example() {
	plan, err := testkit.Run(func(ctx *pulumi.Context) error {
		euWest1, err := aws.NewProvider(ctx, "aws-eu-west-1", &aws.ProviderArgs{Region: pulumi.String("eu-west-1")})
		if err != nil {
			return err
		}
		net, err := network.New(ctx, "app", &network.Args{
			AvailabilityZones:    []string{"eu-west-1a", "eu-west-1b", "eu-west-1c"},
			CIDRBlock:            "10.10.0.0/16",
			NATGateways:          network.NATPerAZ,
			FlowLogRetentionDays: 365,
			S3Endpoint:           true,
		}, pulumi.Provider(euWest1))
		if err != nil {
			return err
		}
		// Wire the outputs into other components: net.VpcID, net.PublicSubnetIDs (load
		// balancer), net.PrivateSubnetIDs (web tier), net.DataSubnetIDs (database).
		_ = net.PrivateSubnetIDs
		return nil
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	counts := plan.CountByRegion()["eu-west-1"]
	fmt.Println("subnets:", counts["aws:ec2/subnet:Subnet"])
	fmt.Println("NAT gateways:", counts["aws:ec2/natGateway:NatGateway"])
	fmt.Println("flow logs:", counts["aws:ec2/flowLog:FlowLog"])
	// Output:
	// subnets: 9
	// NAT gateways: 3
	// flow logs: 1
}
