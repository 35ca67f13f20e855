package provider_test

import (
	"context"
	"sort"
	"strings"
	"testing"

	"github.com/blang/semver"
	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi-go-provider/integration"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scalestack/scalestack/cmd/pulumi-resource-scalestack/provider"
	"github.com/scalestack/scalestack/testkit"
)

// The integration harness's fake engine names every URN with project "project" and stack
// "stack"; the Go runs compared with it use the same names, so their URNs are comparable.
const (
	project = "project"
	stack   = "stack"
)

// harness is the component provider in process: pulumi-go-provider's integration server (the
// provider's gRPC surface minus the wire) over testkit's mock engine, which records every
// registration of a construct.
type harness struct {
	t   *testing.T
	mon *testkit.Monitor
	srv integration.Server
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	prov, err := provider.New()
	require.NoError(t, err)
	mon := testkit.NewMonitor(testkit.Project(project), testkit.Stack(stack))
	srv, err := integration.NewServer(t.Context(), provider.Name, semver.MustParse(provider.Version),
		integration.WithProvider(prov), integration.WithMocks(mon))
	require.NoError(t, err)
	return &harness{t: t, mon: mon, srv: srv}
}

// cloudProvider registers an explicit provider as the calling program would, and returns it
// as a provider reference (for the providers option) and as a resource reference (an input).
func (h *harness) cloudProvider(pkg, name string, inputs map[string]any) (p.ProviderReference, resource.PropertyValue) {
	h.t.Helper()
	ref, err := h.mon.Register("pulumi:providers:"+pkg, name, true, inputs)
	require.NoError(h.t, err)
	i := strings.LastIndex(ref, "::")
	urn, id := resource.URN(ref[:i]), resource.ID(ref[i+2:])
	return p.ProviderReference{Urn: urn, ID: id}, resource.MakeCustomResourceReference(urn, id, "")
}

// construct calls Construct for a component of type typ named name, as the engine does for a
// program's registration, with the given inputs and providers option.
func (h *harness) construct(typ, name string, inputs resource.PropertyMap, providers map[string]p.ProviderReference, parent resource.URN) (p.ConstructResponse, error) {
	parentType := tokens.Type("")
	if parent != "" {
		parentType = parent.QualifiedType()
	}
	req := p.ConstructRequest{
		Urn:       resource.NewURN(stack, project, parentType, tokens.Type(typ), name),
		Parent:    parent,
		Inputs:    resource.FromResourcePropertyMap(inputs),
		Providers: map[tokens.Package]p.ProviderReference{},
	}
	for pkg, ref := range providers {
		req.Providers[tokens.Package(pkg)] = ref
	}
	return h.srv.Construct(req)
}

func (h *harness) plan() *testkit.Plan {
	h.t.Helper()
	plan, err := h.mon.Plan()
	require.NoError(h.t, err)
	return plan
}

// goPlan runs a Go program with the same project and stack names as the harness.
func goPlan(t *testing.T, program pulumi.RunFunc) (*testkit.Plan, error) {
	t.Helper()
	return testkit.Run(program, testkit.Project(project), testkit.Stack(stack))
}

// assertSamePlan fails unless both plans hold the same resources (URNs), each with the same
// parent, explicit provider and inputs: the package and the Go API built the same stack.
func assertSamePlan(t *testing.T, want, got *testkit.Plan) {
	t.Helper()
	urns := func(plan *testkit.Plan) []string {
		var out []string
		for _, r := range plan.Resources {
			out = append(out, r.URN)
		}
		sort.Strings(out)
		return out
	}
	require.Equal(t, urns(want), urns(got), "the same resources")
	for _, w := range want.Resources {
		g := got.ByURN(w.URN)
		assert.Equal(t, topLevel(w.Parent), topLevel(g.Parent), "parent of %s", w.URN)
		assert.Equal(t, w.Provider, g.Provider, "provider of %s", w.URN)
		if !w.IsProvider() { // the caller's providers: the Go SDK adds its own defaults to them
			assert.Equal(t, secretsMasked(w.Inputs), secretsMasked(g.Inputs), "inputs of %s", w.URN)
		}
	}
}

// topLevel maps the stack (the parent of a Go program's top-level resources) to "", the
// parent a construct's caller gives top-level components in the harness (it has no stack).
func topLevel(parent string) string {
	if strings.HasSuffix(parent, "::"+project+"-"+stack) && strings.Contains(parent, "pulumi:pulumi:Stack") {
		return ""
	}
	return parent
}

// state returns the construct response's state as plain values.
func state(resp p.ConstructResponse) map[string]any {
	return resource.ToResourcePropertyMap(resp.State).Mappable()
}

func TestSchemaHasTheGoTokens(t *testing.T) {
	out, err := provider.Schema(context.Background())
	require.NoError(t, err)
	s := string(out)
	for _, tok := range []string{`"scalestack:aws:Backend"`, `"scalestack:azure:Backend"`, `"scalestack:gcp:Backend"`} {
		assert.Contains(t, s, tok)
	}
}

// secretsMasked is the inputs as plain values with every secret shown as "[secret]": a
// secret generated once per run (the AWS origin-verify header, kept on later runs by
// ignoreChanges) differs between two mock runs; that it stays secret is what both must share.
func secretsMasked(m resource.PropertyMap) map[string]any {
	return m.MapRepl(nil, func(v resource.PropertyValue) (any, bool) {
		if v.IsSecret() {
			return "[secret]", true
		}
		return nil, false
	})
}
