package main

import (
	"context"
	"encoding/json"
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

// TestEveryPropertyIsDocumented: the schema is what every generated SDK shows in its docs and
// editors, so each component, each input and output property, each property of a nested type
// and each enum value has a description (the defaults are stated there, see docs/package.md).
func TestEveryPropertyIsDocumented(t *testing.T) {
	raw, err := os.ReadFile("schema.json")
	require.NoError(t, err)
	type property struct {
		Description string `json:"description"`
	}
	var spec struct {
		Resources map[string]struct {
			Description     string              `json:"description"`
			InputProperties map[string]property `json:"inputProperties"`
			Properties      map[string]property `json:"properties"`
		} `json:"resources"`
		Types map[string]struct {
			Description string              `json:"description"`
			Properties  map[string]property `json:"properties"`
			Enum        []struct {
				Name        string `json:"name"`
				Description string `json:"description"`
			} `json:"enum"`
		} `json:"types"`
	}
	require.NoError(t, json.Unmarshal(raw, &spec))
	require.NotEmpty(t, spec.Resources)
	for token, r := range spec.Resources {
		assert.NotEmpty(t, r.Description, token)
		for name, p := range r.InputProperties {
			assert.NotEmpty(t, p.Description, "%s input %s", token, name)
		}
		for name, p := range r.Properties {
			assert.NotEmpty(t, p.Description, "%s output %s", token, name)
		}
	}
	for token, typ := range spec.Types {
		if typ.Enum == nil {
			assert.NotEmpty(t, typ.Description, token)
		}
		for name, p := range typ.Properties {
			assert.NotEmpty(t, p.Description, "%s property %s", token, name)
		}
		for _, e := range typ.Enum {
			assert.NotEmpty(t, e.Description, "%s value %s", token, e.Name)
		}
	}
}
