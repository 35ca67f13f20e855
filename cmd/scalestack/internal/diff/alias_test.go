package diff_test

import (
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/rds"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/sqs"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scalestack/scalestack/cmd/scalestack/internal/diff"
	"github.com/scalestack/scalestack/testkit"
)

type store struct{ pulumi.ResourceState }

// storeProgram registers a component named name holding a queue and a database whose
// identifier is identifier; aliases, when set, are the component's old names.
func storeProgram(name, identifier string, kmsKey string, aliases ...string) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		c := &store{}
		var opts []pulumi.ResourceOption
		for _, a := range aliases {
			opts = append(opts, pulumi.Aliases([]pulumi.Alias{{Name: pulumi.String(a)}}))
		}
		if err := ctx.RegisterComponentResource("test:index:Store", name, c, opts...); err != nil {
			return err
		}
		if _, err := sqs.NewQueue(ctx, name+"-queue", &sqs.QueueArgs{}, pulumi.Parent(c)); err != nil {
			return err
		}
		_, err := rds.NewInstance(ctx, name+"-db", &rds.InstanceArgs{
			Identifier: pulumi.String(identifier), InstanceClass: pulumi.String("db.t4g.medium"),
			Engine: pulumi.String("postgres"), KmsKeyId: pulumi.String(kmsKey),
		}, pulumi.Parent(c))
		return err
	}
}

func runPlan(t *testing.T, p pulumi.RunFunc) *testkit.Plan {
	t.Helper()
	plan, err := testkit.Run(p)
	require.NoError(t, err)
	return plan
}

func TestRenameWithoutAliasIsDataLoss(t *testing.T) {
	res := diff.Compare(runPlan(t, storeProgram("orders", "orders", "k1")), runPlan(t, storeProgram("sales", "orders", "k1")))
	require.Len(t, res.DataLoss(), 1)
	assert.Equal(t, diff.Delete, res.DataLoss()[0].Op)
	assert.Equal(t, "orders-db", res.DataLoss()[0].Name)
	assert.Equal(t, 3, res.Count(diff.Create))
	assert.Equal(t, 3, res.Count(diff.Delete))
}

func TestAliasedRenameIsAnUpdateAndKeepsTheData(t *testing.T) {
	// The component is renamed with an alias; its children are renamed with it and inherit
	// the alias. The database keeps its physical identifier, so nothing is replaced.
	res := diff.Compare(runPlan(t, storeProgram("orders", "orders", "k1")), runPlan(t, storeProgram("sales", "orders", "k1", "orders")))
	assert.Empty(t, res.DataLoss())
	assert.Zero(t, res.Count(diff.Create))
	assert.Zero(t, res.Count(diff.Delete))
	require.Equal(t, 3, res.Count(diff.Update), "the component, the queue and the database: renamed in place")
	for _, s := range res.Steps {
		require.NotEmpty(t, s.Changes)
		assert.Equal(t, "(urn)", s.Changes[0].Path)
		assert.Contains(t, s.Changes[0].Old, "::orders")
		assert.Contains(t, s.Changes[0].New, "::sales")
		assert.False(t, s.Replaces, s.Name)
		for _, c := range s.Changes {
			assert.NotEqual(t, "(parent)", c.Path, "the parent was renamed with an alias, not changed")
		}
	}
}

func TestAliasedRenameThatChangesTheIdentifierStillReplacesTheDatabase(t *testing.T) {
	res := diff.Compare(runPlan(t, storeProgram("orders", "orders", "k1")), runPlan(t, storeProgram("sales", "sales", "k1", "orders")))
	lost := res.DataLoss()
	require.Len(t, lost, 1)
	assert.Equal(t, diff.Update, lost[0].Op)
	assert.True(t, lost[0].Replaces)
	assert.Contains(t, lost[0].Describe(), `"sales-db"`)
	assert.Contains(t, lost[0].Describe(), "would be replaced, with its data, since identifier changes")
}

func TestChangingTheEncryptionKeyReplacesAStatefulResource(t *testing.T) {
	res := diff.Compare(runPlan(t, storeProgram("orders", "orders", "k1")), runPlan(t, storeProgram("orders", "orders", "k2")))
	lost := res.DataLoss()
	require.Len(t, lost, 1)
	assert.Equal(t, "orders-db", lost[0].Name)
	assert.Equal(t, []diff.Change{{Path: "kmsKeyId", Old: "k1", New: "k2"}}, lost[0].Changes)
}
