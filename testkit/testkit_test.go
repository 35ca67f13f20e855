package testkit_test

import (
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scalestack/scalestack/testkit"
)

type box struct{ pulumi.ResourceState }

// program registers a provider, a component and two children, one wired to the other.
func program(ctx *pulumi.Context) (pulumi.Map, error) {
	p, err := aws.NewProvider(ctx, "aws-eu-west-1", &aws.ProviderArgs{Region: pulumi.String("eu-west-1")})
	if err != nil {
		return nil, err
	}
	c := &box{}
	if err := ctx.RegisterComponentResource("test:index:Box", "box", c, pulumi.Provider(p)); err != nil {
		return nil, err
	}
	vpc, err := ec2.NewVpc(ctx, "box-vpc", &ec2.VpcArgs{CidrBlock: pulumi.String("10.0.0.0/16")}, pulumi.Parent(c))
	if err != nil {
		return nil, err
	}
	sn, err := ec2.NewSubnet(ctx, "box-subnet", &ec2.SubnetArgs{VpcId: vpc.ID(), CidrBlock: pulumi.String("10.0.1.0/24")}, pulumi.Parent(c))
	if err != nil {
		return nil, err
	}
	return pulumi.Map{"vpcArn": vpc.Arn, "subnetId": sn.ID()}, nil
}

func TestRunRecordsResourcesProvidersAndWiring(t *testing.T) {
	plan, err := testkit.RunExports(program, testkit.Config(map[string]string{"scalestack:cloud": "aws"}))
	require.NoError(t, err)

	vpc := plan.Find("aws:ec2/vpc:Vpc", "box-vpc")
	sn := plan.Find("aws:ec2/subnet:Subnet", "box-subnet")
	box := plan.Find("test:index:Box", "box")
	require.NotNil(t, vpc)
	require.NotNil(t, sn)
	require.NotNil(t, box)

	assert.Equal(t, box.URN, vpc.Parent, "children are parented to the component")
	assert.Equal(t, "eu-west-1", vpc.Region(), "the provider given to the component places its children")
	assert.Equal(t, "eu-west-1", box.Region())
	assert.True(t, sn.InputFrom("vpcId", vpc), "the subnet's vpcId comes from the VPC")
	assert.Equal(t, vpc.ID, sn.InputString("vpcId"))
	assert.Regexp(t, `^vpc-[0-9a-f]{17}$`, vpc.ID)
	assert.Equal(t, "arn:aws:ec2:eu-west-1:123456789012:vpc/box-vpc", plan.Outputs["vpcArn"])
	assert.Equal(t, sn.ID, plan.Outputs["subnetId"])
	assert.Equal(t, box, plan.Component(vpc))
	assert.Len(t, plan.Descendants(box.URN), 2)
	assert.Equal(t, 1, plan.CountByRegion()["eu-west-1"]["aws:ec2/vpc:Vpc"])
}

func TestRunFailsOnDuplicateURNs(t *testing.T) {
	_, err := testkit.Run(func(ctx *pulumi.Context) error {
		for i := 0; i < 2; i++ {
			if _, err := ec2.NewVpc(ctx, "same", &ec2.VpcArgs{CidrBlock: pulumi.String("10.0.0.0/16")}); err != nil {
				return err
			}
		}
		return nil
	})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "duplicate resource URNs")
	assert.Contains(t, err.Error(), "aws:ec2/vpc:Vpc::same")
}

func TestMissingURNs(t *testing.T) {
	one := func(n int) func(*pulumi.Context) error {
		return func(ctx *pulumi.Context) error {
			for i := 0; i < n; i++ {
				if _, err := ec2.NewVpc(ctx, []string{"a", "b", "c"}[i], &ec2.VpcArgs{CidrBlock: pulumi.String("10.0.0.0/16")}); err != nil {
					return err
				}
			}
			return nil
		}
	}
	small, err := testkit.Run(one(2))
	require.NoError(t, err)
	big, err := testkit.Run(one(3))
	require.NoError(t, err)
	assert.Empty(t, testkit.MissingURNs(small, big), "adding a resource keeps every URN")
	missing := testkit.MissingURNs(big, small)
	require.Len(t, missing, 1)
	assert.Contains(t, missing[0], "::c")
}

func TestLogsAreRecorded(t *testing.T) {
	plan, err := testkit.Run(func(ctx *pulumi.Context) error {
		vpc, err := ec2.NewVpc(ctx, "logged", &ec2.VpcArgs{CidrBlock: pulumi.String("10.0.0.0/16")})
		if err != nil {
			return err
		}
		if err := ctx.Log.Warn("plain HTTP only", &pulumi.LogArgs{Resource: vpc}); err != nil {
			return err
		}
		return ctx.Log.Info("single region", nil)
	})
	require.NoError(t, err)
	require.Len(t, plan.Logs, 2)
	assert.Equal(t, testkit.LogEntry{Severity: "warning", Message: "plain HTTP only", URN: plan.Find("aws:ec2/vpc:Vpc", "logged").URN}, plan.Logs[0])
	assert.Equal(t, testkit.LogEntry{Severity: "info", Message: "single region"}, plan.Logs[1])
}
func TestPlainExportsResolve(t *testing.T) {
	plan, err := testkit.RunExports(func(ctx *pulumi.Context) (pulumi.Map, error) {
		return pulumi.Map{"a": pulumi.String("x"), "n": pulumi.ToStringArray([]string{"p"})}, nil
	})
	require.NoError(t, err)
	assert.Equal(t, "x", plan.Outputs["a"])
}

func TestPlanOrderIsTheSameOnEveryRun(t *testing.T) {
	program := func(ctx *pulumi.Context) error {
		c := &box{}
		if err := ctx.RegisterComponentResource("test:index:Box", "box", c); err != nil {
			return err
		}
		for _, n := range []string{"c", "a", "b", "e", "d"} {
			if _, err := ec2.NewVpc(ctx, n, &ec2.VpcArgs{CidrBlock: pulumi.String("10.0.0.0/16")}, pulumi.Parent(c)); err != nil {
				return err
			}
		}
		return nil
	}
	var first []string
	for i := 0; i < 5; i++ {
		plan, err := testkit.Run(program)
		require.NoError(t, err)
		var names []string
		for _, r := range plan.Resources {
			names = append(names, r.Name)
		}
		if first == nil {
			first = names
			assert.Equal(t, []string{"box", "a", "b", "c", "d", "e"}, names, "parents first, siblings by name")
		}
		assert.Equal(t, first, names)
	}
}

func TestAliasesResolveToTheOldURNsIncludingInheritedOnes(t *testing.T) {
	renamed := func(ctx *pulumi.Context) error {
		c := &box{}
		if err := ctx.RegisterComponentResource("test:index:Box", "db", c,
			pulumi.Aliases([]pulumi.Alias{{Name: pulumi.String("database")}})); err != nil {
			return err
		}
		_, err := ec2.NewVpc(ctx, "db-vpc", &ec2.VpcArgs{CidrBlock: pulumi.String("10.0.0.0/16")}, pulumi.Parent(c))
		return err
	}
	original := func(ctx *pulumi.Context) error {
		c := &box{}
		if err := ctx.RegisterComponentResource("test:index:Box", "database", c); err != nil {
			return err
		}
		_, err := ec2.NewVpc(ctx, "database-vpc", &ec2.VpcArgs{CidrBlock: pulumi.String("10.0.0.0/16")}, pulumi.Parent(c))
		return err
	}
	before, err := testkit.Run(original)
	require.NoError(t, err)
	after, err := testkit.Run(renamed)
	require.NoError(t, err)
	for _, old := range before.Resources {
		var found bool
		for _, r := range after.Resources {
			for _, a := range r.Aliases {
				found = found || a == old.URN
			}
		}
		assert.True(t, found, "%s is an alias of a renamed resource", old.URN)
	}
}
