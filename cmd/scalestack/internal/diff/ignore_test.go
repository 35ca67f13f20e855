package diff_test

import (
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scalestack/scalestack/cmd/scalestack/internal/diff"
	"github.com/scalestack/scalestack/testkit"
)

// TestDiffHonorsIgnoreChanges: the engine does not diff an input listed in a resource's
// ignoreChanges (it keeps the old value), so neither does `scalestack diff`. Rule: Pulumi docs,
// resource options, ignoreChanges (https://www.pulumi.com/docs/iac/concepts/options/ignorechanges/);
// seen under the real engine (cmd/scalestack/e2e): the Azure scale sets' generated SSH key
// differs on every run, is ignored on purpose, and the engine reports no change.
func TestDiffHonorsIgnoreChanges(t *testing.T) {
	run := func(cidr, name string, ignore ...string) *testkit.Plan {
		p, err := testkit.Run(func(ctx *pulumi.Context) error {
			_, err := ec2.NewSecurityGroup(ctx, "sg", &ec2.SecurityGroupArgs{
				Description: pulumi.String("web"),
				Tags:        pulumi.StringMap{"Name": pulumi.String(name)},
				Ingress: ec2.SecurityGroupIngressArray{&ec2.SecurityGroupIngressArgs{
					Protocol: pulumi.String("tcp"), FromPort: pulumi.Int(443), ToPort: pulumi.Int(443),
					CidrBlocks: pulumi.StringArray{pulumi.String(cidr)},
				}},
			}, pulumi.IgnoreChanges(ignore))
			return err
		}, testkit.DryRun(true))
		require.NoError(t, err)
		return p
	}
	changed := func(res *diff.Result) []string {
		var out []string
		for _, s := range res.Steps {
			for _, c := range s.Changes {
				out = append(out, c.Path)
			}
		}
		return out
	}
	base := run("10.0.0.0/8", "a")
	assert.Equal(t, []string{"ingress.0.cidrBlocks.0", "tags.Name"}, changed(diff.Compare(base, run("10.1.0.0/16", "b"))))
	for _, ignore := range [][]string{
		{"ingress", "tags"},
		{"ingress[0].cidrBlocks", `tags["Name"]`},
		{"ingress[*].cidrBlocks[0]", "tags.Name"},
	} {
		res := diff.Compare(base, run("10.1.0.0/16", "b", ignore...))
		assert.Empty(t, res.Steps, "ignoreChanges %v", ignore)
	}
	assert.Equal(t, []string{"tags.Name"}, changed(diff.Compare(base, run("10.1.0.0/16", "b", "ingress"))),
		"only the ignored input is left out")
}
