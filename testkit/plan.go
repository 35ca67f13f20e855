package testkit

import (
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	"github.com/pulumi/pulumi/sdk/v3/go/property"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// Resource is one resource a program registered: a custom resource, a component, or an
// explicit provider.
type Resource struct {
	URN    string
	Type   string
	Name   string
	ID     string
	Custom bool
	// Parent is the parent's URN; resources created at the top of a program have the stack as
	// parent.
	Parent string
	// Provider is the URN of the explicit provider the resource uses, or "" for the default
	// provider (which is never registered, so a plan cannot tell its region).
	Provider string
	// Inputs are the resource's inputs as the provider would receive them. During a dry run,
	// unknown inputs are absent here; RawInputs keeps them.
	Inputs resource.PropertyMap
	// RawInputs are the inputs with unknown values kept (as computed properties), as the
	// policy analyzer sees them.
	RawInputs resource.PropertyMap
	// Outputs are the state the mock answered with: the inputs plus the computed attributes.
	Outputs resource.PropertyMap
	// Dependencies are the URNs this resource depends on (explicit and through inputs).
	Dependencies []string
	// PropertyDependencies maps an input name to the URNs whose outputs flowed into it.
	PropertyDependencies map[string][]string
	Protect              bool
	RetainOnDelete       bool
	DeleteBeforeReplace  bool
	IgnoreChanges        []string
	AdditionalSecrets    []string
	// Aliases are the URNs this resource was known by before (pulumi.Aliases), resolved as the
	// engine resolves them, including those a child inherits from an aliased parent. A plan
	// comparison treats a resource whose alias is an old URN as the same resource, renamed.
	Aliases []string

	provider   *Resource // the explicit provider, known while the run is in progress
	aliasSpecs []*pulumirpc.Alias

	plan *Plan
}

// IsProvider reports whether r is an explicit provider (type "pulumi:providers:<pkg>").
func (r *Resource) IsProvider() bool { return strings.HasPrefix(r.Type, "pulumi:providers:") }

// Package is the Pulumi package of the resource type: "aws", "azure-native", "gcp", or the
// first segment of a component token ("scalestack").
func (r *Resource) Package() string {
	if r.IsProvider() {
		return strings.TrimPrefix(r.Type, "pulumi:providers:")
	}
	pkg, _, _ := strings.Cut(r.Type, ":")
	return pkg
}

// Map returns the inputs as plain Go values (secrets unwrapped), as PropertyMap.Mappable does.
func (r *Resource) Map() map[string]any { return r.Inputs.Mappable() }

// Input returns the input at a dotted path ("tags.Name", "ingress.0.fromPort",
// "metadataOptions.httpTokens") as a plain Go value, or nil when the path does not exist.
func (r *Resource) Input(path string) any { return lookupProperty(r.Inputs, path) }

// Output returns a value of the mocked state at a dotted path, or nil.
func (r *Resource) Output(path string) any { return lookupProperty(r.Outputs, path) }

// lookupProperty converts only the top-level value the path starts in (not the whole map:
// Region and the cloud mocks call Input for every resource).
func lookupProperty(m resource.PropertyMap, path string) any {
	if path == "" {
		return m.Mappable()
	}
	top, rest, _ := strings.Cut(path, ".")
	v, ok := m[resource.PropertyKey(top)]
	if !ok {
		return nil
	}
	return lookup(v.Mappable(), rest)
}

// InputString is Input converted to a string ("" when absent).
func (r *Resource) InputString(path string) string {
	switch v := r.Input(path).(type) {
	case nil:
		return ""
	case string:
		return v
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(v)
	default:
		return ""
	}
}

// IsSecret reports whether the top-level input key holds a secret.
func (r *Resource) IsSecret(key string) bool {
	v, ok := r.Inputs[resource.PropertyKey(key)]
	return ok && v.ContainsSecrets()
}

// DependsOn reports whether r depends on other, through an input or explicitly.
func (r *Resource) DependsOn(other *Resource) bool {
	for _, u := range r.Dependencies {
		if u == other.URN {
			return true
		}
	}
	for _, urns := range r.PropertyDependencies {
		for _, u := range urns {
			if u == other.URN {
				return true
			}
		}
	}
	return false
}

// InputFrom reports whether the named input of r was computed from an output of other.
func (r *Resource) InputFrom(input string, other *Resource) bool {
	for _, u := range r.PropertyDependencies[input] {
		if u == other.URN {
			return true
		}
	}
	return false
}

// ProviderResource returns the explicit provider r uses, or nil for the default provider.
func (r *Resource) ProviderResource() *Resource {
	if r.Provider == "" {
		return nil
	}
	if r.plan == nil {
		return r.provider // while the run is in progress (cloud mocks)
	}
	return r.plan.ByURN(r.Provider)
}

// Region is where the resource is placed: the region (or Azure location) of its explicit
// provider, or its own "region"/"location" input where the resource sets one. Components
// report the region of their first child that has one. "" means unknown.
func (r *Resource) Region() string {
	if r.IsProvider() {
		for _, k := range []string{"region", "location"} {
			if s, ok := r.Input(k).(string); ok && s != "" {
				return s
			}
		}
		return ""
	}
	for _, k := range []string{"location", "region"} {
		if s, ok := r.Input(k).(string); ok && s != "" {
			return normalizeRegion(s)
		}
	}
	if p := r.ProviderResource(); p != nil {
		return normalizeRegion(p.Region())
	}
	if !r.Custom && r.plan != nil {
		for _, c := range r.plan.Children(r.URN) {
			if reg := c.Region(); reg != "" {
				return reg
			}
		}
	}
	return ""
}

func normalizeRegion(s string) string { return strings.ToLower(strings.ReplaceAll(s, " ", "")) }

// Plan is the result of a run: every registered resource in a stable order (providers, then the parent tree depth first, siblings by name; the same on every run, unlike the SDK's concurrent registration order), and the
// stack outputs when the program returned them (RunExports).
type Plan struct {
	Project   string
	Stack     string
	Resources []*Resource
	Outputs   map[string]any
	// Logs are the messages the program logged through ctx.Log (which the mock engine would
	// otherwise drop), in the order they were logged.
	Logs []LogEntry

	byURN map[string]*Resource
	// stackFlows are the flows the program declared in its own stack outputs.
	stackFlows *property.Value

	// The parent index is built once, on first use, so that Children, Descendants and
	// component regions cost O(answer) instead of a scan of the whole plan per call.
	indexOnce sync.Once
	children  map[string][]*Resource
	order     map[*Resource]int
}

// index builds the parent → children index (children in plan order).
func (p *Plan) index() {
	p.indexOnce.Do(func() {
		p.children = make(map[string][]*Resource, len(p.Resources))
		p.order = make(map[*Resource]int, len(p.Resources))
		for i, r := range p.Resources {
			p.children[r.Parent] = append(p.children[r.Parent], r)
			p.order[r] = i
		}
	})
}

// ByURN returns the resource with that URN, or nil.
func (p *Plan) ByURN(urn string) *Resource { return p.byURN[urn] }

// ByType returns the resources of a type token, in plan order.
func (p *Plan) ByType(typ string) []*Resource {
	var out []*Resource
	for _, r := range p.Resources {
		if r.Type == typ {
			out = append(out, r)
		}
	}
	return out
}

// Find returns the resource with that type and logical name, or nil.
func (p *Plan) Find(typ, name string) *Resource {
	for _, r := range p.Resources {
		if r.Type == typ && r.Name == name {
			return r
		}
	}
	return nil
}

// Named returns the resources with that logical name (of any type).
func (p *Plan) Named(name string) []*Resource {
	var out []*Resource
	for _, r := range p.Resources {
		if r.Name == name {
			out = append(out, r)
		}
	}
	return out
}

// Where returns the resources for which keep returns true.
func (p *Plan) Where(keep func(*Resource) bool) []*Resource {
	var out []*Resource
	for _, r := range p.Resources {
		if keep(r) {
			out = append(out, r)
		}
	}
	return out
}

// Children returns the resources whose parent is urn, in plan order.
func (p *Plan) Children(urn string) []*Resource {
	p.index()
	kids := p.children[urn]
	if len(kids) == 0 {
		return nil
	}
	return append([]*Resource(nil), kids...)
}

// Descendants returns every resource below urn in the parent tree, in plan order.
func (p *Plan) Descendants(urn string) []*Resource {
	p.index()
	var out []*Resource
	stack := []string{urn}
	for len(stack) > 0 {
		cur := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, c := range p.children[cur] {
			out = append(out, c)
			stack = append(stack, c.URN)
		}
	}
	sort.Slice(out, func(i, j int) bool { return p.order[out[i]] < p.order[out[j]] })
	return out
}

// Component returns the nearest component resource above r (its owning component), or nil.
func (p *Plan) Component(r *Resource) *Resource {
	for cur := p.byURN[r.Parent]; cur != nil; cur = p.byURN[cur.Parent] {
		if !cur.Custom && !cur.IsProvider() {
			return cur
		}
	}
	return nil
}

// CountByType counts custom resources by type token (components and providers included
// under their own tokens).
func (p *Plan) CountByType() map[string]int {
	out := map[string]int{}
	for _, r := range p.Resources {
		out[r.Type]++
	}
	return out
}

// CountByRegion counts resources by region and type token. Resources whose region cannot
// be told (default provider, global resources without a location) are under "".
func (p *Plan) CountByRegion() map[string]map[string]int {
	out := map[string]map[string]int{}
	for _, r := range p.Resources {
		reg := r.Region()
		if out[reg] == nil {
			out[reg] = map[string]int{}
		}
		out[reg][r.Type]++
	}
	return out
}

// URNs returns every URN of the plan, sorted.
func (p *Plan) URNs() []string {
	out := make([]string, 0, len(p.Resources))
	for _, r := range p.Resources {
		out = append(out, r.URN)
	}
	sort.Strings(out)
	return out
}

// Types returns the distinct type tokens of the plan, sorted.
func (p *Plan) Types() []string {
	seen := map[string]bool{}
	var out []string
	for _, r := range p.Resources {
		if !seen[r.Type] {
			seen[r.Type] = true
			out = append(out, r.Type)
		}
	}
	sort.Strings(out)
	return out
}

func lookup(v any, path string) any {
	if path == "" {
		return v
	}
	for _, part := range strings.Split(path, ".") {
		switch cur := v.(type) {
		case map[string]any:
			v = cur[part]
		case []any:
			i, err := strconv.Atoi(part)
			if err != nil || i < 0 || i >= len(cur) {
				return nil
			}
			v = cur[i]
		default:
			return nil
		}
	}
	return v
}

func newResource(req *pulumirpc.RegisterResourceRequest, inputs resource.PropertyMap) *Resource {
	r := &Resource{
		Type:                req.GetType(),
		Name:                req.GetName(),
		Custom:              req.GetCustom(),
		Parent:              req.GetParent(),
		Provider:            providerURN(req.GetProvider()),
		Inputs:              inputs,
		Dependencies:        req.GetDependencies(),
		Protect:             req.GetProtect(),
		RetainOnDelete:      req.GetRetainOnDelete(),
		DeleteBeforeReplace: req.GetDeleteBeforeReplace(),
		IgnoreChanges:       req.GetIgnoreChanges(),
		AdditionalSecrets:   req.GetAdditionalSecretOutputs(),
		Aliases:             req.GetAliasURNs(),
		aliasSpecs:          req.GetAliases(),
	}
	raw, err := plugin.UnmarshalProperties(req.GetObject(), plugin.MarshalOptions{
		KeepUnknowns: true, KeepSecrets: true, KeepResources: true, KeepOutputValues: true,
	})
	if err == nil {
		r.RawInputs = raw
	} else {
		r.RawInputs = inputs
	}
	if deps := req.GetPropertyDependencies(); len(deps) > 0 {
		r.PropertyDependencies = make(map[string][]string, len(deps))
		for k, v := range deps {
			r.PropertyDependencies[k] = v.GetUrns()
		}
	}
	return r
}

// providerURN strips the "::<id>" of a provider reference.
func providerURN(ref string) string {
	if ref == "" {
		return ""
	}
	if i := strings.LastIndex(ref, "::"); i > 0 {
		return ref[:i]
	}
	return ref
}
