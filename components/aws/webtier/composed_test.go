package webtier

import (
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scalestack/scalestack/components/aws/loadbalancer"
	"github.com/scalestack/scalestack/components/aws/network"
	"github.com/scalestack/scalestack/testkit"
)

// TestComposedWithNetworkAndLoadBalancer wires the three components as the Backend does and
// checks the wiring across them: the ALB in the public subnets, the instances in the private
// subnets, the two security groups pointing only at each other on the target port.
func TestComposedWithNetworkAndLoadBalancer(t *testing.T) {
	for _, preview := range []bool{false, true} {
		t.Run(map[bool]string{false: "up", true: "preview"}[preview], func(t *testing.T) { composed(t, preview) })
	}
}

func composed(t *testing.T, preview bool) {
	plan, err := testkit.Run(func(ctx *pulumi.Context) error {
		p, err := aws.NewProvider(ctx, "aws-us-west-2", &aws.ProviderArgs{Region: pulumi.String("us-west-2")})
		if err != nil {
			return err
		}
		in := pulumi.Provider(p)
		net, err := network.New(ctx, "app", &network.Args{AvailabilityZones: []string{"us-west-2a", "us-west-2b", "us-west-2c"}}, in)
		if err != nil {
			return err
		}
		alb, err := loadbalancer.New(ctx, "app", &loadbalancer.Args{
			VpcID: net.VpcID, SubnetIDs: net.PublicSubnetIDs, Region: "us-west-2",
			CertificateARN: pulumi.String("arn:aws:acm:us-west-2:123456789012:certificate/x"), TargetPort: 8080,
		}, in)
		if err != nil {
			return err
		}
		_, err = New(ctx, "app", &Args{
			VpcID: net.VpcID, SubnetIDs: net.PrivateSubnetIDs,
			LoadBalancerSecurityGroupID: alb.SecurityGroupID,
			TargetGroupARNs:             pulumi.StringArray{alb.TargetGroupARN},
			LoadBalancerARNSuffix:       alb.ARNSuffix, TargetGroupARNSuffix: alb.TargetGroupARNSuffix,
			Port: 8080, MinSize: 1, MaxSize: 3,
		}, in)
		return err
	}, testkit.DryRun(preview))
	require.NoError(t, err)

	vpc := plan.Find("aws:ec2/vpc:Vpc", "app")
	// Both components name their group after the component name: tell them apart by owner.
	var albSG, webSG *testkit.Resource
	for _, sg := range plan.ByType(typeSG) {
		switch plan.Component(sg).Type {
		case loadbalancer.TypeToken:
			albSG = sg
		case TypeToken:
			webSG = sg
		}
	}
	require.NotNil(t, albSG)
	require.NotNil(t, webSG)
	assert.True(t, albSG.InputFrom("vpcId", vpc))
	assert.True(t, webSG.InputFrom("vpcId", vpc))

	alb := plan.Find("aws:lb/loadBalancer:LoadBalancer", "app")
	asg := plan.Find(typeGroup, "app")
	tg := plan.Find("aws:lb/targetGroup:TargetGroup", "app")
	for _, z := range []string{"us-west-2a", "us-west-2b", "us-west-2c"} {
		pub := plan.Find("aws:ec2/subnet:Subnet", "app-public-"+z)
		priv := plan.Find("aws:ec2/subnet:Subnet", "app-private-"+z)
		assert.True(t, alb.InputFrom("subnets", pub), z)
		assert.False(t, alb.InputFrom("subnets", priv), z)
		assert.True(t, asg.InputFrom("vpcZoneIdentifiers", priv), z)
		assert.False(t, asg.InputFrom("vpcZoneIdentifiers", pub), z)
	}
	assert.True(t, asg.InputFrom("targetGroupArns", tg))
	req := plan.Find(typePolicy, "app-requests")
	https := plan.Find("aws:lb/listener:Listener", "app-https")
	require.NotNil(t, req)
	require.NotNil(t, https)
	assert.True(t, req.InputFrom("targetTrackingConfiguration", https),
		"the request-count policy waits for the listener that attaches the target group (AWS rejects it before)")
	assert.True(t, req.InputFrom("targetTrackingConfiguration", alb))
	assert.True(t, req.InputFrom("targetTrackingConfiguration", tg))
	assert.Equal(t, plan.Find(typeGroup, "app").Input("targetGroupArns"), []any{tg.ID})

	ingress := plan.Find(typeIngress, "app-from-lb")
	assert.True(t, ingress.InputFrom("securityGroupId", webSG))
	assert.True(t, ingress.InputFrom("referencedSecurityGroupId", albSG))
	egress := plan.Find(typeEgress, "app-lb-to-instances")
	assert.True(t, egress.InputFrom("securityGroupId", albSG))
	assert.True(t, egress.InputFrom("referencedSecurityGroupId", webSG))
	assert.EqualValues(t, tg.Input("port"), egress.Input("toPort"), "the load balancer reaches the instances on the target port")

	// Every egress rule of the load balancer's group targets the instances' group: nothing else.
	for _, r := range plan.ByType(typeEgress) {
		if r.InputFrom("securityGroupId", albSG) {
			assert.True(t, r.InputFrom("referencedSecurityGroupId", webSG), r.Name)
			assert.Empty(t, r.InputString("cidrIpv4"), r.Name)
		}
	}
	for _, r := range plan.Resources {
		if r.Custom && !r.IsProvider() {
			assert.Equal(t, "us-west-2", r.Region(), r.URN)
		}
	}
}
