package testkit

import (
	"sort"
	"strconv"
)

// Components returns the component resources of the plan (neither custom resources nor
// providers), in plan order. Pass a type token to keep only that type; "" keeps all.
func (p *Plan) Components(typ string) []*Resource {
	return p.Where(func(r *Resource) bool {
		return !r.Custom && !r.IsProvider() && (typ == "" || r.Type == typ)
	})
}

// Owned returns the resources below component in the parent tree whose type is typ ("" for
// every type), in plan order: "the security groups of the web tier".
func (p *Plan) Owned(component *Resource, typ string) []*Resource {
	if component == nil {
		return nil
	}
	var out []*Resource
	for _, r := range p.Descendants(component.URN) {
		if typ == "" || r.Type == typ {
			out = append(out, r)
		}
	}
	return out
}

// FindIn returns the resource of that type and logical name below component, or nil. It tells
// apart children that two components name alike (a load balancer's and a web tier's security
// groups are both named after the components' shared name).
func (p *Plan) FindIn(component *Resource, typ, name string) *Resource {
	for _, r := range p.Owned(component, typ) {
		if r.Name == name {
			return r
		}
	}
	return nil
}

// Placed returns the custom resources (not providers, not components) that the plan places in
// region, as Resource.Region reports it. "" returns the resources whose region is unknown.
func (p *Plan) Placed(region string) []*Resource {
	return p.Where(func(r *Resource) bool {
		return r.Custom && !r.IsProvider() && r.Region() == region
	})
}

// Regions returns the distinct regions the plan's custom resources are placed in, sorted;
// "" (unknown) is left out.
func (p *Plan) Regions() []string {
	seen := map[string]bool{}
	var out []string
	for _, r := range p.Resources {
		if !r.Custom || r.IsProvider() {
			continue
		}
		if reg := r.Region(); reg != "" && !seen[reg] {
			seen[reg] = true
			out = append(out, reg)
		}
	}
	sort.Strings(out)
	return out
}

// Sources returns the resources whose outputs flowed into the named input of r, in
// registration order: what an input is wired from. It returns nil for an input set from
// plain values.
func (r *Resource) Sources(input string) []*Resource {
	if r.plan == nil {
		return nil
	}
	var out []*Resource
	for _, u := range r.PropertyDependencies[input] {
		if s := r.plan.ByURN(u); s != nil {
			out = append(out, s)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return r.plan.position(out[i]) < r.plan.position(out[j]) })
	return out
}

// position is r's index in plan order.
func (p *Plan) position(r *Resource) int {
	p.index()
	return p.order[r]
}

// OutputString is Output converted to a string ("" when absent or not a scalar), as
// InputString is for inputs.
func (r *Resource) OutputString(path string) string {
	switch v := r.Output(path).(type) {
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
