package testkit_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scalestack/scalestack/testkit"
)

func names(rs []*testkit.Resource) []string {
	out := []string{}
	for _, r := range rs {
		out = append(out, r.Name)
	}
	return out
}

func TestQueries(t *testing.T) {
	plan, err := testkit.Run(pairs(map[string]string{"blue": "eu-west-1", "green": "", "red": "us-west-2"}))
	require.NoError(t, err)

	assert.Equal(t, []string{"blue", "green", "red"}, names(plan.Components("example:index:Pair")))
	assert.Equal(t, []string{"blue", "green", "red"}, names(plan.Components("")))
	assert.Empty(t, plan.Components("example:index:Other"))

	red := plan.Find("example:index:Pair", "red")
	assert.Equal(t, []string{"red", "red-a"}, names(plan.Owned(red, "")))
	assert.Equal(t, []string{"red-a"}, names(plan.Owned(red, "aws:ec2/subnet:Subnet")))
	assert.Nil(t, plan.Owned(nil, ""))
	assert.Equal(t, plan.Find("aws:ec2/vpc:Vpc", "red"), plan.FindIn(red, "aws:ec2/vpc:Vpc", "red"))
	assert.Nil(t, plan.FindIn(red, "aws:ec2/vpc:Vpc", "blue"), "blue's VPC is not red's")

	assert.Equal(t, []string{"eu-west-1", "us-west-2"}, plan.Regions())
	assert.Equal(t, []string{"red", "red-a"}, names(plan.Placed("us-west-2")))
	assert.Equal(t, []string{"green", "green-a"}, names(plan.Placed("")), "the default provider's region is unknown")

	subnet := plan.Find("aws:ec2/subnet:Subnet", "red-a")
	assert.Equal(t, []string{"red"}, names(subnet.Sources("vpcId")))
	assert.Empty(t, subnet.Sources("cidrBlock"))
	assert.Empty(t, (&testkit.Resource{}).Sources("vpcId"))

	vpc := plan.Find("aws:ec2/vpc:Vpc", "red")
	assert.Equal(t, "arn:aws:ec2:us-west-2:123456789012:vpc/red", vpc.OutputString("arn"))
	assert.Equal(t, "10.4.0.0/16", vpc.OutputString("cidrBlock"))
	assert.Equal(t, "", vpc.OutputString("nope"))
}
