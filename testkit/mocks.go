package testkit

import (
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// cloudMock computes the id and the computed outputs a cloud's provider would return for a
// new resource. region is the region (or location) the resource is placed in, "" if unknown.
// The returned map is merged over the inputs to form the resource's state.
type cloudMock func(r *Resource, region string) (id string, computed map[string]any)

// cloudCall answers an invoke (data source) for a cloud package.
type cloudCall func(token string, args resource.PropertyMap, region string) (map[string]any, bool)

var (
	cloudMocks = map[string]cloudMock{}
	cloudCalls = map[string]cloudCall{}
)

type mocks struct {
	opts *options

	mu        sync.Mutex
	resources []*Resource
	byURN     map[string]*Resource
	dups      []string
}

func newMocks(o *options) *mocks { return &mocks{opts: o, byURN: map[string]*Resource{}} }

var _ pulumi.MockResourceMonitor = (*mocks)(nil)

func (m *mocks) urn(parent, typ, name string) string {
	return urnWith(m.opts.stack, m.opts.project, parent, typ, name)
}

// NewResource records the resource and answers with cloud-shaped outputs.
func (m *mocks) NewResource(args pulumi.MockResourceArgs) (string, resource.PropertyMap, error) {
	req := args.RegisterRPC
	if req == nil {
		return "", nil, fmt.Errorf("resource %s %q: reads are not supported by testkit", args.TypeToken, args.Name)
	}
	r := newResource(req, args.Inputs)
	r.URN = m.urn(req.GetParent(), r.Type, r.Name)

	m.mu.Lock()
	region := m.regionOf(r)
	r.provider = m.byURN[r.Provider]
	m.mu.Unlock()

	id := args.Name + "-id"
	var computed map[string]any
	if r.IsProvider() {
		id = r.Name + "-provider-id"
	} else if !r.Custom {
		id = ""
	} else if mock, ok := cloudMocks[r.Package()]; ok {
		id, computed = mock(r, region)
	}
	if args.ID != "" {
		id = args.ID
	}
	state := mergeComputed(args.Inputs.Copy(), resource.NewPropertyMapFromMap(computed))
	r.ID, r.Outputs = id, state
	for _, h := range m.opts.hooks {
		if err := h(r); err != nil {
			return "", nil, err
		}
	}

	m.mu.Lock()
	defer m.mu.Unlock()
	if _, dup := m.byURN[r.URN]; dup {
		m.dups = append(m.dups, r.URN)
	} else {
		m.byURN[r.URN] = r
	}
	m.resources = append(m.resources, r)
	return r.ID, r.Outputs, nil
}

// regionOf finds the region of a resource being registered: its own location/region input,
// else its explicit provider's region. Callers hold m.mu.
func (m *mocks) regionOf(r *Resource) string { return regionFrom(r.Inputs, m.byURN[r.Provider]) }

// mergeComputed lays computed outputs under the inputs: an input always wins, and where both
// are objects the computed fields the input lacks are added (a nested FQDN, an ID inside a
// block the program set), as a provider's answer would have them.
func mergeComputed(state, computed resource.PropertyMap) resource.PropertyMap {
	for k, c := range computed {
		in, set := state[k]
		switch {
		case !set:
			state[k] = c
		case in.IsObject() && c.IsObject():
			state[k] = resource.NewObjectProperty(mergeComputed(in.ObjectValue().Copy(), c.ObjectValue()))
		}
	}
	return state
}

// Call answers invokes with the cloud's mock, or an empty result.
func (m *mocks) Call(args pulumi.MockCallArgs) (resource.PropertyMap, error) {
	m.mu.Lock()
	region := ""
	if p := m.byURN[providerURN(args.Provider)]; p != nil {
		region = p.Region()
	}
	m.mu.Unlock()
	pkg := args.Token
	for i := range pkg {
		if pkg[i] == ':' {
			pkg = pkg[:i]
			break
		}
	}
	if call, ok := cloudCalls[pkg]; ok {
		if out, ok := call(args.Token, args.Args, region); ok {
			return resource.NewPropertyMapFromMap(out), nil
		}
	}
	return resource.PropertyMap{}, nil
}

func (m *mocks) plan() (*Plan, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(m.dups) > 0 {
		return nil, duplicateURNError(m.dups)
	}
	p := &Plan{Resources: stableOrder(m.resources), byURN: m.byURN}
	for _, r := range p.Resources { // parents come before their children
		r.plan = p
		r.Aliases = m.aliases(r)
	}
	return p, nil
}

// aliases resolves a resource's alias specs to URNs as the engine does: a spec's name, type,
// parent, stack and project default to the resource's own; and a child of an aliased parent is
// also known under that parent's old URN, with the old parent name as its name prefix when
// its name starts with the parent's name ("db" renamed from "database" makes "db-key" also
// known as "database-key"). Callers hold m.mu; r's parent is resolved first.
func (m *mocks) aliases(r *Resource) []string {
	seen := map[string]bool{}
	var out []string
	add := func(u string) {
		if u != "" && u != r.URN && !seen[u] {
			seen[u] = true
			out = append(out, u)
		}
	}
	for _, u := range r.Aliases {
		add(u)
	}
	for _, a := range r.aliasSpecs {
		if u := a.GetUrn(); u != "" {
			add(u)
			continue
		}
		spec := a.GetSpec()
		if spec == nil {
			continue
		}
		name, typ, stack, project, parent := r.Name, r.Type, m.opts.stack, m.opts.project, r.Parent
		if spec.GetName() != "" {
			name = spec.GetName()
		}
		if spec.GetType() != "" {
			typ = spec.GetType()
		}
		if spec.GetStack() != "" {
			stack = spec.GetStack()
		}
		if spec.GetProject() != "" {
			project = spec.GetProject()
		}
		if spec.GetNoParent() {
			parent = ""
		} else if spec.GetParentUrn() != "" {
			parent = spec.GetParentUrn()
		}
		add(urnWith(stack, project, parent, typ, name))
	}
	if p := m.byURN[r.Parent]; p != nil {
		for _, pa := range p.Aliases {
			name := r.Name
			if strings.HasPrefix(name, p.Name) {
				name = resource.URN(pa).Name() + strings.TrimPrefix(name, p.Name)
			}
			add(urnWith(m.opts.stack, m.opts.project, pa, r.Type, name))
		}
	}
	return out
}

// urnWith builds a URN the way the engine does, with the parent's type chain.
func urnWith(stack, project, parent, typ, name string) string {
	parentType := tokens.Type("")
	if p := resource.URN(parent); p != "" && p.QualifiedType() != resource.RootStackType {
		parentType = p.QualifiedType()
	}
	return string(resource.NewURN(tokens.QName(stack), tokens.PackageName(project), parentType, tokens.Type(typ), name))
}

// stableOrder orders resources the same way on every run, whatever order the SDK's
// concurrent registrations arrived in: explicit providers first, then the parent tree depth
// first, parents before their children, siblings by name and type.
func stableOrder(rs []*Resource) []*Resource {
	children := map[string][]*Resource{}
	known := make(map[string]bool, len(rs))
	for _, r := range rs {
		known[r.URN] = true
	}
	var roots []*Resource
	for _, r := range rs {
		if known[r.Parent] {
			children[r.Parent] = append(children[r.Parent], r)
		} else {
			roots = append(roots, r)
		}
	}
	less := func(list []*Resource) {
		sort.SliceStable(list, func(i, j int) bool {
			a, b := list[i], list[j]
			if a.IsProvider() != b.IsProvider() {
				return a.IsProvider()
			}
			if a.Name != b.Name {
				return a.Name < b.Name
			}
			return a.Type < b.Type
		})
	}
	out := make([]*Resource, 0, len(rs))
	var walk func(list []*Resource)
	walk = func(list []*Resource) {
		less(list)
		for _, r := range list {
			out = append(out, r)
			walk(children[r.URN])
		}
	}
	walk(roots)
	return out
}
