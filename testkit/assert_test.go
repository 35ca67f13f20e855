package testkit_test

import (
	"fmt"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scalestack/scalestack/testkit"
)

// recorder is a testing.TB that records failures instead of failing the test, so the
// assertions' own failures can be asserted.
type recorder struct {
	testing.TB
	errors []string
}

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, args ...any) {
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}

// pairs registers one Pair per name, each placed by the provider of its region ("" for
// the default provider).
func pairs(regions map[string]string) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		provs := map[string]*aws.Provider{}
		for _, n := range []string{"blue", "green", "red"} {
			region, ok := regions[n]
			if !ok {
				continue
			}
			var opts []pulumi.ResourceOption
			if region != "" {
				p := provs[region]
				if p == nil {
					var err error
					if p, err = aws.NewProvider(ctx, "aws-"+region, &aws.ProviderArgs{Region: pulumi.String(region)}); err != nil {
						return err
					}
					provs[region] = p
				}
				opts = append(opts, pulumi.Provider(p))
			}
			if _, err := newPair(ctx, n, "10.4.0.0/16", opts...); err != nil {
				return err
			}
		}
		return nil
	}
}

func TestAssertURNsStable(t *testing.T) {
	small, err := testkit.Run(pairs(map[string]string{"blue": "us-east-1"}))
	require.NoError(t, err)
	big, err := testkit.Run(pairs(map[string]string{"blue": "us-east-1", "green": "us-east-1"}))
	require.NoError(t, err)

	rec := &recorder{}
	assert.True(t, testkit.AssertURNsStable(rec, small, big))
	assert.Empty(t, rec.errors)

	assert.False(t, testkit.AssertURNsStable(rec, big, small))
	require.Len(t, rec.errors, 1)
	assert.Contains(t, rec.errors[0], "3 of 7 resources would be deleted or replaced")
	assert.Contains(t, rec.errors[0], "example:index:Pair::green")
	assert.Contains(t, rec.errors[0], "aws:ec2/subnet:Subnet::green-a")
	assert.NotContains(t, rec.errors[0], "::blue")
}

func TestAssertCounts(t *testing.T) {
	plan, err := testkit.Run(pairs(map[string]string{"blue": "us-east-1", "green": "us-east-1"}))
	require.NoError(t, err)
	rec := &recorder{}
	assert.True(t, testkit.AssertCounts(rec, plan, map[string]int{
		"aws:ec2/vpc:Vpc": 2, "example:index:Pair": 2, "aws:rds/instance:Instance": 0,
	}))
	assert.Empty(t, rec.errors)

	assert.False(t, testkit.AssertCounts(rec, plan, map[string]int{
		"aws:ec2/vpc:Vpc": 3, "aws:ec2/subnet:Subnet": 2, "aws:s3/bucketV2:BucketV2": 1,
	}))
	require.Len(t, rec.errors, 1)
	assert.Contains(t, rec.errors[0], "aws:ec2/vpc:Vpc: want 3, got 2")
	assert.Contains(t, rec.errors[0], "aws:s3/bucketV2:BucketV2: want 1, got 0")
	assert.NotContains(t, rec.errors[0], "Subnet")
}

func TestAssertWired(t *testing.T) {
	plan, err := testkit.Run(pairs(map[string]string{"blue": "us-east-1", "green": "us-east-1"}))
	require.NoError(t, err)
	blueVPC := plan.Find("aws:ec2/vpc:Vpc", "blue")
	greenVPC := plan.Find("aws:ec2/vpc:Vpc", "green")
	blueSubnet := plan.Find("aws:ec2/subnet:Subnet", "blue-a")

	rec := &recorder{}
	assert.True(t, testkit.AssertWired(rec, blueSubnet, "vpcId", blueVPC))
	assert.Empty(t, rec.errors)

	assert.False(t, testkit.AssertWired(rec, blueSubnet, "vpcId", greenVPC))
	require.Len(t, rec.errors, 1)
	assert.Contains(t, rec.errors[0], `input "vpcId" is not wired from `+greenVPC.URN)
	assert.Contains(t, rec.errors[0], "it comes from:\n  "+blueVPC.URN)

	assert.False(t, testkit.AssertWired(rec, blueSubnet, "cidrBlock", blueVPC))
	assert.Contains(t, rec.errors[1], "(no resource: a plain value or unset)")

	assert.False(t, testkit.AssertWired(rec, nil, "vpcId", blueVPC))
	assert.Contains(t, rec.errors[2], "resource is nil")
}

func TestAssertPlaced(t *testing.T) {
	plan, err := testkit.Run(pairs(map[string]string{"blue": "eu-west-1", "green": "", "red": "us-west-2"}))
	require.NoError(t, err)
	blue := plan.Find("example:index:Pair", "blue")
	green := plan.Find("example:index:Pair", "green")
	red := plan.Find("example:index:Pair", "red")

	rec := &recorder{}
	assert.True(t, testkit.AssertPlaced(rec, plan, blue, "eu-west-1"))
	assert.True(t, testkit.AssertPlaced(rec, plan, red, "us-west-2"))
	assert.Empty(t, rec.errors)

	assert.False(t, testkit.AssertPlaced(rec, plan, red, "eu-west-1"))
	require.Len(t, rec.errors, 1)
	assert.Contains(t, rec.errors[0], `aws:ec2/vpc:Vpc::red: provider `)
	assert.Contains(t, rec.errors[0], `is in region "us-west-2", want "eu-west-1"`)
	// A child named in elsewhere may be in another region.
	assert.False(t, testkit.AssertPlaced(rec, plan, red, "eu-west-1", "red"))
	assert.NotContains(t, rec.errors[1], "Vpc::red")
	assert.Contains(t, rec.errors[1], "Subnet::red-a")

	// The default provider is never right: its region cannot be told.
	assert.False(t, testkit.AssertPlaced(rec, plan, green, "us-east-1"))
	assert.Contains(t, rec.errors[2], "Vpc::green: default provider")
	assert.False(t, testkit.AssertPlaced(rec, plan, green, "us-east-1", "green", "green-a"))

	assert.False(t, testkit.AssertPlaced(rec, plan, nil, "us-east-1"))
	assert.False(t, testkit.AssertPlaced(rec, plan, plan.Find("aws:ec2/vpc:Vpc", "blue"), "eu-west-1"))
	assert.Contains(t, rec.errors[len(rec.errors)-1], "the component has no children")
}
