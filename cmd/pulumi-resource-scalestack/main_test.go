package main

import (
	"context"
	"flag"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scalestack/scalestack/cmd/pulumi-resource-scalestack/provider"
)

var update = flag.Bool("update", false, "rewrite schema.json from the Go types")

// TestSchemaIsCheckedIn regenerates the package schema from the Go types and compares it with
// the checked-in schema.json: the schema is the public contract of every generated SDK
// (tokens, property names, types, descriptions), so a change to it must be a reviewed diff.
// Run `go test . -update` (in this directory, the plugin's module) to accept a change.
func TestSchemaIsCheckedIn(t *testing.T) {
	got, err := provider.Schema(context.Background())
	require.NoError(t, err)
	if *update {
		require.NoError(t, os.WriteFile("schema.json", got, 0o644))
	}
	want, err := os.ReadFile("schema.json")
	require.NoError(t, err, "schema.json is missing: run go test -update")
	assert.Equal(t, string(want), string(got), "schema.json is stale: run `go test . -update` in cmd/pulumi-resource-scalestack and review the diff")
}
