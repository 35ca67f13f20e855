package testkit_test

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/vpc"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/scalestack/scalestack/policies/flows"
	"github.com/scalestack/scalestack/testkit"
)

// app is a component that needs its web group to reach its database group on 5432.
type app struct{ pulumi.ResourceState }

// newApp registers the two groups and only the database's ingress rule, and declares the flow.
// withEgress adds the web group's egress rule the flow also needs.
func newApp(ctx *pulumi.Context, withEgress bool) error {
	c := &app{}
	if err := ctx.RegisterComponentResource("example:index:App", "app", c); err != nil {
		return err
	}
	in := pulumi.Parent(c)
	web, err := ec2.NewSecurityGroup(ctx, "web", &ec2.SecurityGroupArgs{VpcId: pulumi.String("vpc-1")}, in)
	if err != nil {
		return err
	}
	db, err := ec2.NewSecurityGroup(ctx, "db", &ec2.SecurityGroupArgs{VpcId: pulumi.String("vpc-1")}, in)
	if err != nil {
		return err
	}
	if _, err := vpc.NewSecurityGroupIngressRule(ctx, "db-from-web", &vpc.SecurityGroupIngressRuleArgs{
		SecurityGroupId: db.ID(), ReferencedSecurityGroupId: web.ID(),
		IpProtocol: pulumi.String("tcp"), FromPort: pulumi.Int(5432), ToPort: pulumi.Int(5432),
	}, in); err != nil {
		return err
	}
	if withEgress {
		if _, err := vpc.NewSecurityGroupEgressRule(ctx, "web-to-db", &vpc.SecurityGroupEgressRuleArgs{
			SecurityGroupId: web.ID(), ReferencedSecurityGroupId: db.ID(),
			IpProtocol: pulumi.String("tcp"), FromPort: pulumi.Int(5432), ToPort: pulumi.Int(5432),
		}, in); err != nil {
			return err
		}
	}
	outputs := pulumi.Map{}
	if err := flows.Declare(ctx, c, outputs, flows.Flow{
		Name: "web → database", Kind: flows.Network, From: flows.On(web), To: flows.On(db), Port: 5432,
	}); err != nil {
		return err
	}
	return ctx.RegisterResourceOutputs(c, outputs)
}

// Plan.Flows judges every declared flow on the plan's resources: here the database admits the
// web group, but the web group has no egress rule (and the Terraform AWS provider removes the
// default one), so the flow is BLOCKED until the egress rule exists. In a test, use
// testkit.AssertFlowAllowed(t, plan, "web → database").
func ExamplePlan_Flows() {
	for _, withEgress := range []bool{false, true} {
		plan, err := testkit.Run(func(ctx *pulumi.Context) error { return newApp(ctx, withEgress) })
		if err != nil {
			fmt.Println(err)
			return
		}
		for _, f := range plan.Flows().Flows {
			fmt.Printf("%s %s (%s): %s%v\n", f.Verdict, f.Flow.Name, f.Flow.Label(), f.Reason, f.By)
		}
	}
	// Output:
	// BLOCKED web → database (tcp/5432): security group web has no egress rule for tcp/5432 to db (the Terraform AWS provider removes the default allow-all egress rule): add an egress rule for port 5432 that references db[]
	// ALLOWED web → database (tcp/5432): [db-from-web web-to-db]
}
