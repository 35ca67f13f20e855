package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scalestack/scalestack/policies/rules"
	"github.com/scalestack/scalestack/testkit"
)

const project = "aws-webtier-existing-vpc"

var (
	public  = []any{"subnet-0aaaaaaaaaaaaaaaa", "subnet-0bbbbbbbbbbbbbbbb"}
	private = []any{"subnet-0cccccccccccccccc", "subnet-0dddddddddddddddd"}
)

func stackConfig(extra map[string]string) testkit.Option {
	cfg := map[string]string{
		project + ":region":           "eu-west-1",
		project + ":vpcId":            "vpc-0123456789abcdef0",
		project + ":publicSubnetIds":  `["subnet-0aaaaaaaaaaaaaaaa","subnet-0bbbbbbbbbbbbbbbb"]`,
		project + ":privateSubnetIds": `["subnet-0cccccccccccccccc","subnet-0dddddddddddddddd"]`,
		project + ":certificateArn":   "arn:aws:acm:eu-west-1:123456789012:certificate/abc",
	}
	for k, v := range extra {
		if v == "" {
			delete(cfg, k) // "" stands for an unset key
			continue
		}
		cfg[k] = v
	}
	return testkit.Config(cfg)
}

// TestProgram runs the program with the IDs of an existing VPC and checks what it creates
// (no network of its own), where (the configured region, through the explicit provider) and
// how the pieces connect.
func TestProgram(t *testing.T) {
	plan, err := testkit.RunExports(program, testkit.Project(project), stackConfig(nil))
	require.NoError(t, err)

	testkit.AssertCounts(t, plan, map[string]int{
		"pulumi:providers:aws":                  1,
		"scalestack:aws:LoadBalancer":           1,
		"scalestack:aws:WebTier":                1,
		"aws:ec2/vpc:Vpc":                       0, // the VPC exists already
		"aws:ec2/subnet:Subnet":                 0,
		"aws:lb/loadBalancer:LoadBalancer":      1,
		"aws:lb/listener:Listener":              2, // HTTPS, and HTTP that only redirects
		"aws:lb/targetGroup:TargetGroup":        1,
		"aws:autoscaling/group:Group":           1,
		"aws:autoscaling/policy:Policy":         4,
		"aws:ec2/securityGroup:SecurityGroup":   2,
		"aws:ec2/launchTemplate:LaunchTemplate": 1,
	})

	lbc := plan.Find("scalestack:aws:LoadBalancer", "web")
	tierc := plan.Find("scalestack:aws:WebTier", "web")
	require.NotNil(t, lbc)
	require.NotNil(t, tierc)
	testkit.AssertPlaced(t, plan, lbc, "eu-west-1")
	testkit.AssertPlaced(t, plan, tierc, "eu-west-1")
	assert.Equal(t, []string{"eu-west-1"}, plan.Regions())

	// The IDs from config land where they belong: the ALB in the public subnets, the
	// instances in the private ones, both security groups in the existing VPC.
	alb := plan.FindIn(lbc, "aws:lb/loadBalancer:LoadBalancer", "web")
	asg := plan.FindIn(tierc, "aws:autoscaling/group:Group", "web")
	albSG := plan.FindIn(lbc, "aws:ec2/securityGroup:SecurityGroup", "web")
	webSG := plan.FindIn(tierc, "aws:ec2/securityGroup:SecurityGroup", "web")
	tg := plan.FindIn(lbc, "aws:lb/targetGroup:TargetGroup", "web")
	for _, r := range []*testkit.Resource{alb, asg, albSG, webSG, tg} {
		require.NotNil(t, r)
	}
	assert.Equal(t, public, alb.Input("subnets"))
	assert.Equal(t, private, asg.Input("vpcZoneIdentifiers"))
	assert.Equal(t, "vpc-0123456789abcdef0", albSG.InputString("vpcId"))
	assert.Equal(t, "vpc-0123456789abcdef0", webSG.InputString("vpcId"))
	assert.Equal(t, "vpc-0123456789abcdef0", tg.InputString("vpcId"))
	assert.Equal(t, false, alb.Input("internal"))

	// The load balancer's outputs flow into the web tier.
	testkit.AssertWired(t, asg, "targetGroupArns", tg)
	assert.Equal(t, []any{tg.ID}, asg.Input("targetGroupArns"))
	from := plan.FindIn(tierc, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "web-from-lb")
	require.NotNil(t, from)
	testkit.AssertWired(t, from, "securityGroupId", webSG)
	testkit.AssertWired(t, from, "referencedSecurityGroupId", albSG)
	assert.EqualValues(t, 8080, from.Input("fromPort"))
	requests := plan.FindIn(tierc, "aws:autoscaling/policy:Policy", "web-requests")
	require.NotNil(t, requests)
	testkit.AssertWired(t, requests, "targetTrackingConfiguration", alb)
	testkit.AssertWired(t, requests, "targetTrackingConfiguration", tg)

	// The instances' group admits nothing but the load balancer.
	for _, in := range plan.ByType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule") {
		if in.InputFrom("securityGroupId", webSG) {
			assert.True(t, in.InputFrom("referencedSecurityGroupId", albSG), in.Name)
			assert.Empty(t, in.InputString("cidrIpv4"), in.Name)
		}
	}

	// HTTPS with the configured certificate; the outputs are resolved.
	https := plan.FindIn(lbc, "aws:lb/listener:Listener", "web-https")
	require.NotNil(t, https)
	assert.Equal(t, "arn:aws:acm:eu-west-1:123456789012:certificate/abc", https.InputString("certificateArn"))
	assert.Equal(t, "https://"+alb.OutputString("dnsName"), plan.Outputs["url"])
	assert.Equal(t, asg.Output("name"), plan.Outputs["autoScalingGroup"])
}

// TestWithoutCertificate falls back to the dev-only plain-HTTP listener, and says so in the URL.
func TestWithoutCertificate(t *testing.T) {
	plan, err := testkit.RunExports(program, testkit.Project(project), stackConfig(map[string]string{project + ":certificateArn": ""}))
	require.NoError(t, err)
	testkit.AssertCounts(t, plan, map[string]int{"aws:lb/listener:Listener": 1})
	assert.Nil(t, plan.Find("aws:lb/listener:Listener", "web-https"))
	assert.Regexp(t, `^http://`, plan.Outputs["url"])
}

// TestMissingConfig fails before any resource is registered and names the missing key.
func TestMissingConfig(t *testing.T) {
	for _, key := range []string{"vpcId", "publicSubnetIds", "privateSubnetIds"} {
		t.Run(key, func(t *testing.T) {
			var registered int
			_, err := testkit.RunExports(program, testkit.Project(project), stackConfig(map[string]string{project + ":" + key: ""}),
				testkit.OnNewResource(func(*testkit.Resource) error { registered++; return nil }))
			require.Error(t, err)
			assert.Contains(t, err.Error(), "missing required configuration variable '"+key+"'")
			assert.Zero(t, registered)
		})
	}
	_, err := testkit.RunExports(program, testkit.Project(project), stackConfig(map[string]string{project + ":publicSubnetIds": "subnet-1"}))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "config publicSubnetIds: invalid character")
}

// TestFlowsAreProved proves the flow the program declares on its own plan: the load
// balancer's security group admits itself out to the instances' on 8080 and the instances'
// group admits it in. The ALB is the edge here (no CDN), so nothing bypasses one.
func TestFlowsAreProved(t *testing.T) {
	plan, err := testkit.RunExports(program, testkit.Project(project), stackConfig(nil))
	require.NoError(t, err)
	testkit.AssertFlowAllowed(t, plan, "load balancer → web")
	testkit.AssertNoEdgeBypass(t, plan)
	report, err := plan.Policies(rules.Options{})
	require.NoError(t, err)
	for _, v := range report.Violations {
		assert.NotEqual(t, "stack-flow-blocked", v.PolicyName, v.Message)
	}
}
