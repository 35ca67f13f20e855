package stacks_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scalestack/scalestack/stacks"
	"github.com/scalestack/scalestack/testkit"
)

// TestUpWithAReservedDomainRegistersNothing: `pulumi up` (ctx.DryRun() false) with the
// sample domain of Pulumi.dev.yaml stops in spec validation, naming the key, before any
// resource is registered on any cloud (RFC 2606/6761 names cannot be served: see
// spec.TestRoute53RefusesReservedDomains); `pulumi preview` builds the stack.
func TestUpWithAReservedDomainRegistersNothing(t *testing.T) {
	for _, cloud := range []string{"aws", "azure", "gcp"} {
		registered := 0
		_, err := testkit.RunExports(stacks.Build, testkit.Config(map[string]string{
			"scalestack:cloud":  cloud,
			"scalestack:domain": `{"name": "app.example.com"}`,
		}), testkit.OnNewResource(func(*testkit.Resource) error { registered++; return nil }))
		require.Error(t, err, cloud)
		assert.Contains(t, err.Error(), `scalestack:domain.name: "app.example.com" is a reserved example domain`, cloud)
		assert.Zero(t, registered, cloud)
	}
	_, err := testkit.RunExports(stacks.Build, testkit.Config(map[string]string{
		"scalestack:cloud":  "aws",
		"scalestack:domain": `{"name": "app.example.com"}`,
	}), testkit.DryRun(true))
	assert.NoError(t, err, "a preview keeps the sample domain")
}
