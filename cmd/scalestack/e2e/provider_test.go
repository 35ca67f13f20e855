package e2e

import (
	"context"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func diffOf(t *testing.T, urn string, olds, news resource.PropertyMap, ignore ...string) *pulumirpc.DiffResponse {
	t.Helper()
	o, err := marshal(olds)
	require.NoError(t, err)
	n, err := marshal(news)
	require.NoError(t, err)
	res, err := NewSimulated("aws").Diff(context.Background(), &pulumirpc.DiffRequest{Urn: urn, OldInputs: o, News: n, IgnoreChanges: ignore})
	require.NoError(t, err)
	return res
}

const (
	dbURN  = "urn:pulumi:dev::scalestack::scalestack:aws:Database$aws:rds/instance:Instance::app-db"
	sgURN  = "urn:pulumi:dev::scalestack::aws:ec2/securityGroup:SecurityGroup::app-sg"
	oldKey = "arn:aws:kms:us-east-1:123456789012:key/a"
)

// TestSimulatedDiffComparesInputsExactly: equal inputs are no change; any differing,
// added, removed or unknown value is a change, reported by its top-level key.
func TestSimulatedDiffComparesInputsExactly(t *testing.T) {
	base := resource.PropertyMap{
		"tags":   resource.NewObjectProperty(resource.PropertyMap{"app": resource.NewStringProperty("x")}),
		"engine": resource.NewStringProperty("postgres"),
	}
	assert.Equal(t, pulumirpc.DiffResponse_DIFF_NONE, diffOf(t, dbURN, base, base.Copy()).GetChanges())

	changed := base.Copy()
	changed["tags"] = resource.NewObjectProperty(resource.PropertyMap{"app": resource.NewStringProperty("y")})
	changed["port"] = resource.NewNumberProperty(5432)
	res := diffOf(t, dbURN, base, changed)
	assert.Equal(t, pulumirpc.DiffResponse_DIFF_SOME, res.GetChanges())
	assert.Equal(t, []string{"port", "tags"}, res.GetDiffs())
	assert.Empty(t, res.GetReplaces(), "tags and port do not replace a database")

	unknown := base.Copy()
	unknown["engine"] = resource.MakeComputed(resource.NewStringProperty(""))
	assert.Equal(t, []string{"engine"}, diffOf(t, dbURN, base, unknown).GetDiffs(), "an unknown value is a change")

	assert.Equal(t, pulumirpc.DiffResponse_DIFF_NONE, diffOf(t, dbURN, base, changed, "tags", "port").GetChanges(),
		"ignoreChanges keys are not compared")
}

// TestSimulatedDiffReplacesStatefulResourcesOnReplacingInputs: a stateful resource whose
// identity or encryption changes is replaced (the inputs of diff.ReplacingInputs), as
// `scalestack diff` reports it; a stateless one is updated.
func TestSimulatedDiffReplacesStatefulResourcesOnReplacingInputs(t *testing.T) {
	olds := resource.PropertyMap{"kmsKeyId": resource.NewStringProperty(oldKey), "name": resource.NewStringProperty("a")}
	news := resource.PropertyMap{"kmsKeyId": resource.NewStringProperty(oldKey + "b"), "name": resource.NewStringProperty("b")}
	assert.Equal(t, []string{"kmsKeyId", "name"}, diffOf(t, dbURN, olds, news).GetReplaces())
	assert.Empty(t, diffOf(t, sgURN, olds, news).GetReplaces())
}
