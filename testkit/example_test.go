package testkit_test

import (
	"fmt"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/rds"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/scalestack/scalestack/policies/rules"
	"github.com/scalestack/scalestack/testkit"
)

// pair is a tiny component for the examples: a VPC and a subnet wired to it.
type pair struct{ pulumi.ResourceState }

// newPair registers an "example:index:Pair" component with its two children: a VPC of cidr
// (a /16) and a /24 subnet of it.
func newPair(ctx *pulumi.Context, name, cidr string, opts ...pulumi.ResourceOption) (*ec2.Vpc, error) {
	c := &pair{}
	if err := ctx.RegisterComponentResource("example:index:Pair", name, c, opts...); err != nil {
		return nil, err
	}
	vpc, err := ec2.NewVpc(ctx, name, &ec2.VpcArgs{CidrBlock: pulumi.String(cidr)}, pulumi.Parent(c))
	if err != nil {
		return nil, err
	}
	if _, err := ec2.NewSubnet(ctx, name+"-a", &ec2.SubnetArgs{
		VpcId: vpc.ID(), CidrBlock: pulumi.String(strings.TrimSuffix(cidr, "/16") + "/24"),
	}, pulumi.Parent(c)); err != nil {
		return nil, err
	}
	return vpc, ctx.RegisterResourceOutputs(c, pulumi.Map{"vpcId": vpc.ID()})
}

// regional reads its region and network from config, as a user's program would, and
// places one Pair in that region through an explicit provider.
func regional(ctx *pulumi.Context) (pulumi.Map, error) {
	region, _ := ctx.GetConfig("demo:region")
	cidr, ok := ctx.GetConfig("demo:cidr")
	if !ok {
		return nil, fmt.Errorf("demo:cidr is required")
	}
	p, err := aws.NewProvider(ctx, "aws-"+region, &aws.ProviderArgs{Region: pulumi.String(region)})
	if err != nil {
		return nil, err
	}
	vpc, err := newPair(ctx, "net", cidr, pulumi.Provider(p))
	if err != nil {
		return nil, err
	}
	return pulumi.Map{"vpcId": vpc.ID(), "vpcArn": vpc.Arn}, nil
}

var demoConfig = testkit.Config(map[string]string{"demo:region": "eu-west-1", "demo:cidr": "10.1.0.0/16"})

// Run executes a program under mocks, with stack config, and returns every resource it
// registered: here counted by type.
func ExampleRun() {
	plan, err := testkit.Run(func(ctx *pulumi.Context) error {
		_, err := regional(ctx)
		return err
	}, testkit.Project("demo"), demoConfig)
	if err != nil {
		fmt.Println(err)
		return
	}
	counts := plan.CountByType()
	for _, typ := range plan.Types() {
		fmt.Println(typ, counts[typ])
	}
	// Output:
	// aws:ec2/subnet:Subnet 1
	// aws:ec2/vpc:Vpc 1
	// example:index:Pair 1
	// pulumi:providers:aws 1
}

// A program's failure (here a missing config key) comes back as Run's error.
func ExampleRun_error() {
	_, err := testkit.Run(func(ctx *pulumi.Context) error {
		_, err := regional(ctx)
		return err
	}, testkit.Project("demo"))
	fmt.Println(err != nil)
	// Output: true
}

// RunExports resolves the program's stack outputs after the run: no Apply, no WaitGroup, no
// deadlock. The mocks shape IDs and ARNs as the cloud does.
func ExampleRunExports() {
	plan, err := testkit.RunExports(regional, testkit.Project("demo"), demoConfig)
	if err != nil {
		fmt.Println(err)
		return
	}
	vpc := plan.Find("aws:ec2/vpc:Vpc", "net")
	fmt.Println(plan.Outputs["vpcArn"])
	fmt.Println(plan.Outputs["vpcId"] == vpc.ID)
	// Output:
	// arn:aws:ec2:eu-west-1:123456789012:vpc/net
	// true
}

// Query the plan by type, by logical name, and by owning component; read inputs (as plain
// Go values, by dotted path) and mocked outputs.
func ExamplePlan_Find() {
	plan, err := testkit.RunExports(regional, testkit.Project("demo"), demoConfig)
	if err != nil {
		fmt.Println(err)
		return
	}
	subnet := plan.Find("aws:ec2/subnet:Subnet", "net-a")
	fmt.Println(subnet.InputString("cidrBlock"), subnet.Region())
	fmt.Println(len(plan.ByType("aws:ec2/vpc:Vpc")), len(plan.Named("net")))
	comp := plan.Component(subnet)
	fmt.Println(comp.Type, comp.Name)
	// Output:
	// 10.1.0.0/24 eu-west-1
	// 1 2
	// example:index:Pair net
}

// Owned and FindIn select within one component, which tells apart children that two
// components name alike; Components lists the components.
func ExamplePlan_Owned() {
	plan, err := testkit.Run(func(ctx *pulumi.Context) error {
		for _, n := range []string{"blue", "green"} {
			if _, err := newPair(ctx, n, "10.2.0.0/16"); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, c := range plan.Components("example:index:Pair") {
		subnets := plan.Owned(c, "aws:ec2/subnet:Subnet")
		fmt.Println(c.Name, len(plan.Owned(c, "")), subnets[0].Name, plan.FindIn(c, "aws:ec2/vpc:Vpc", c.Name) != nil)
	}
	// Output:
	// blue 2 blue-a true
	// green 2 green-a true
}

// InputFrom (and Sources) tell where an input's value came from: the wiring between
// resources, which a test should assert rather than the values alone.
func ExampleResource_InputFrom() {
	plan, err := testkit.RunExports(regional, testkit.Project("demo"), demoConfig)
	if err != nil {
		fmt.Println(err)
		return
	}
	vpc := plan.Find("aws:ec2/vpc:Vpc", "net")
	subnet := plan.Find("aws:ec2/subnet:Subnet", "net-a")
	fmt.Println(subnet.InputFrom("vpcId", vpc), subnet.InputString("vpcId") == vpc.ID)
	fmt.Println(subnet.InputFrom("cidrBlock", vpc), len(subnet.Sources("cidrBlock")))
	fmt.Println(subnet.Sources("vpcId")[0].Name)
	// Output:
	// true true
	// false 0
	// net
}

// Input reads an input by dotted path as a plain Go value; Output reads the mocked state
// (inputs plus computed attributes such as ARNs and IDs).
func ExampleResource_Input() {
	plan, err := testkit.Run(func(ctx *pulumi.Context) error {
		_, err := ec2.NewSecurityGroup(ctx, "web", &ec2.SecurityGroupArgs{
			Ingress: ec2.SecurityGroupIngressArray{&ec2.SecurityGroupIngressArgs{
				Protocol: pulumi.String("tcp"), FromPort: pulumi.Int(443), ToPort: pulumi.Int(443),
				CidrBlocks: pulumi.StringArray{pulumi.String("10.0.0.0/8")},
			}},
			Tags: pulumi.StringMap{"team": pulumi.String("web")},
		})
		return err
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	sg := plan.Find("aws:ec2/securityGroup:SecurityGroup", "web")
	fmt.Println(sg.Input("ingress.0.fromPort"), sg.Input("ingress.0.cidrBlocks"), sg.InputString("tags.team"))
	fmt.Println(sg.Input("ingress.1") == nil, sg.OutputString("arn"))
	// Output:
	// 443 [10.0.0.0/8] web
	// true arn:aws:ec2:us-east-1:123456789012:securitygroup/web
}

// URN stability: run the program before and after a change and list the URNs the change
// would delete or replace. In a test, testkit.AssertURNsStable(t, before, after) fails with
// that list.
func ExampleMissingURNs() {
	program := func(names ...string) pulumi.RunFunc {
		return func(ctx *pulumi.Context) error {
			for _, n := range names {
				if _, err := newPair(ctx, n, "10.3.0.0/16"); err != nil {
					return err
				}
			}
			return nil
		}
	}
	before, _ := testkit.Run(program("blue"))
	grown, _ := testkit.Run(program("blue", "green"))
	renamed, _ := testkit.Run(program("cyan"))
	fmt.Println(len(testkit.MissingURNs(before, grown)))
	for _, urn := range testkit.MissingURNs(before, renamed) {
		fmt.Println(urn)
	}
	// Output:
	// 0
	// urn:pulumi:dev::scalestack::example:index:Pair$aws:ec2/subnet:Subnet::blue-a
	// urn:pulumi:dev::scalestack::example:index:Pair$aws:ec2/vpc:Vpc::blue
	// urn:pulumi:dev::scalestack::example:index:Pair::blue
}

// Policies evaluates the scalestack policy pack on a plan, as `pulumi preview --policy-pack`
// and `scalestack preview` do. An unencrypted, public database breaks two mandatory rules.
func ExamplePlan_Policies() {
	plan, err := testkit.Run(func(ctx *pulumi.Context) error {
		_, err := rds.NewInstance(ctx, "db", &rds.InstanceArgs{
			Engine: pulumi.String("postgres"), InstanceClass: pulumi.String("db.t4g.micro"),
			AllocatedStorage: pulumi.Int(20), StorageEncrypted: pulumi.Bool(false),
			PubliclyAccessible: pulumi.Bool(true), ManageMasterUserPassword: pulumi.Bool(true),
		})
		return err
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	report, err := plan.Policies(rules.Options{Environment: "prod"})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, id := range []string{"aws-rds-encrypted", "aws-rds-private"} {
		for _, v := range report.ByRule(id) {
			fmt.Println(v.PolicyName, v.EnforcementLevel, rules.URNName(v.URN))
		}
	}
	fmt.Println(report.Failed())
	// Output:
	// aws-rds-encrypted mandatory db
	// aws-rds-private mandatory db
	// true
}
