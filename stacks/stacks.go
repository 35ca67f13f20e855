// Package stacks is the scalestack program: it loads and validates the `scalestack` stack
// configuration into a spec.Spec, then builds the reference stack of the selected cloud.
// main.go runs Program under `pulumi up`; `scalestack preview` and the tests run Build under
// mocks, so all three run the very same code.
package stacks

import (
	"fmt"
	"sort"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/scalestack/scalestack/stacks/spec"
)

// Builder builds one cloud's reference stack from a validated spec and returns its outputs.
type Builder func(ctx *pulumi.Context, s *spec.Spec) (pulumi.Map, error)

var builders = map[spec.Cloud]Builder{}

// Register makes a cloud's reference stack available to Program and Build. The cloud stack
// packages register themselves; this package's init wires the ones the module ships.
func Register(cloud spec.Cloud, b Builder) { builders[cloud] = b }

// Build loads the configuration, validates all of it before any resource is registered, and
// builds the selected cloud's stack. It returns the stack outputs. A deployment (not a
// preview) with a reserved placeholder domain stops here (spec.CheckDeployable).
func Build(ctx *pulumi.Context) (pulumi.Map, error) {
	s, err := spec.Load(ctx)
	if err != nil {
		return nil, err
	}
	if err := spec.CheckDeployable(s, ctx.DryRun()); err != nil {
		return nil, err
	}
	return BuildSpec(ctx, s)
}

// BuildSpec builds the stack for an already validated spec.
func BuildSpec(ctx *pulumi.Context, s *spec.Spec) (pulumi.Map, error) {
	b, ok := builders[s.Cloud]
	if !ok {
		return nil, fmt.Errorf("scalestack:cloud: %q has no reference stack in this build (available: %v)", s.Cloud, Available())
	}
	return b(ctx, s)
}

// Available lists the clouds with a registered stack.
func Available() []string {
	var out []string
	for c := range builders {
		out = append(out, string(c))
	}
	sort.Strings(out)
	return out
}

// Program is the Pulumi program: Build, then export every output.
func Program(ctx *pulumi.Context) error {
	outputs, err := Build(ctx)
	if err != nil {
		return err
	}
	for k, v := range outputs {
		ctx.Export(k, v)
	}
	return nil
}
