// Command aws-webtier-existing-vpc deploys a scalestack web tier behind an Application Load
// Balancer into a VPC that already exists. The VPC and subnet IDs are read from stack config.
package main

import (
	"cmp"
	"fmt"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"

	"github.com/scalestack/scalestack/components/aws/loadbalancer"
	"github.com/scalestack/scalestack/components/aws/webtier"
	"github.com/scalestack/scalestack/policies/flows"
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
	var public, private []string
	if err := config.TryObject(ctx, "publicSubnetIds", &public); err != nil {
		return nil, fmt.Errorf("config publicSubnetIds: %w", err)
	}
	if err := config.TryObject(ctx, "privateSubnetIds", &private); err != nil {
		return nil, fmt.Errorf("config privateSubnetIds: %w", err)
	}

	// An explicit provider places everything: the components' children inherit it.
	provider, err := aws.NewProvider(ctx, "aws-"+region, &aws.ProviderArgs{Region: pulumi.String(region)})
	if err != nil {
		return nil, err
	}
	in := pulumi.Provider(provider)

	lbArgs := &loadbalancer.Args{
		VpcID:      pulumi.String(vpcID),
		SubnetIDs:  pulumi.ToStringArray(public),
		Region:     region,
		TargetPort: 8080,
	}
	scheme := "http" // dev-only plain-HTTP mode without a certificate
	if arn := cmp.Or(config.Get(ctx, "certificateArn"), ""); arn != "" {
		lbArgs.CertificateARN = pulumi.String(arn)
		scheme = "https"
	}
	alb, err := loadbalancer.New(ctx, "web", lbArgs, in)
	if err != nil {
		return nil, err
	}
	tier, err := webtier.New(ctx, "web", &webtier.Args{
		VpcID:                       pulumi.String(vpcID),
		SubnetIDs:                   pulumi.ToStringArray(private),
		LoadBalancerSecurityGroupID: alb.SecurityGroupID,
		TargetGroupARNs:             pulumi.StringArray{alb.TargetGroupARN},
		LoadBalancerARNSuffix:       alb.ARNSuffix,
		TargetGroupARNSuffix:        alb.TargetGroupARNSuffix,
		Port:                        8080,
		MinSize:                     2,
		MaxSize:                     6,
	}, in)
	if err != nil {
		return nil, err
	}
	outputs := pulumi.Map{
		"url":              pulumi.Sprintf("%s://%s", scheme, alb.DNSName),
		"autoScalingGroup": tier.GroupName,
	}
	// The flow this program needs, so the policy pack and the test prove it on the plan: the
	// load balancer's security group reaches the instances' on 8080.
	sg := "aws:ec2/securityGroup:SecurityGroup"
	err = flows.Declare(ctx, nil, outputs, flows.Flow{
		Name: "load balancer → web", Kind: flows.Network,
		From: flows.Below(alb, sg), To: flows.Below(tier, sg), Port: 8080,
	})
	return outputs, err
}
