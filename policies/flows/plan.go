package flows

import (
	"net/netip"
	"strconv"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/property"
)

// plan indexes the resources for the evaluators.
type plan struct {
	all      []*Resource
	byURN    map[string]*Resource
	children map[string][]*Resource
}

func newPlan(resources []Resource) *plan {
	p := &plan{byURN: map[string]*Resource{}, children: map[string][]*Resource{}}
	for i := range resources {
		r := &resources[i]
		p.all = append(p.all, r)
		p.byURN[r.URN] = r
		p.children[r.Parent] = append(p.children[r.Parent], r)
	}
	return p
}

func (p *plan) ofType(types ...string) []*Resource {
	var out []*Resource
	for _, r := range p.all {
		for _, t := range types {
			if r.Type == t {
				out = append(out, r)
			}
		}
	}
	return out
}

// resolve finds the resources a Ref names.
func (p *plan) resolve(ref Ref) []*Resource {
	if ref.Source != "" || ref.URN == "" {
		return nil
	}
	root := p.byURN[ref.URN]
	if root == nil {
		return nil
	}
	if ref.Type == "" {
		return []*Resource{root}
	}
	var out []*Resource
	stack := []string{root.URN}
	for len(stack) > 0 {
		cur := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, c := range p.children[cur] {
			if c.Type == ref.Type && (ref.Name == "" || c.Name == ref.Name) {
				out = append(out, c)
			}
			stack = append(stack, c.URN)
		}
	}
	return out
}

// depsOfType are the resources of one of types whose outputs flowed into r's property key
// ("" = any property).
func (p *plan) depsOfType(r *Resource, key string, types ...string) []*Resource {
	var out []*Resource
	seen := map[string]bool{}
	for k, urns := range r.PropertyDependencies {
		if key != "" && k != key {
			continue
		}
		for _, u := range urns {
			d := p.byURN[u]
			if d == nil || seen[u] {
				continue
			}
			for _, t := range types {
				if d.Type == t {
					seen[u] = true
					out = append(out, d)
				}
			}
		}
	}
	return out
}

// refersTo reports whether r's property key was computed from target's outputs.
func refersTo(r *Resource, key string, target *Resource) bool {
	for _, u := range r.PropertyDependencies[key] {
		if u == target.URN {
			return true
		}
	}
	return false
}

// val is a property looked up by a dotted path: absent, unknown or known.
type val struct {
	v       property.Value
	present bool
	unknown bool
}

// get reads a dotted path from Properties, falling back to Outputs when absent.
func (r *Resource) get(path string) val {
	v := lookup(r.Properties, path)
	if !v.present && r.Outputs.Len() > 0 {
		v = lookup(r.Outputs, path)
	}
	return v
}

func lookup(m property.Map, path string) val {
	cur := property.New(m)
	for _, seg := range strings.Split(path, ".") {
		switch {
		case cur.IsComputed():
			return val{present: true, unknown: true}
		case cur.IsMap():
			next, ok := cur.AsMap().GetOk(seg)
			if !ok || next.IsNull() {
				return val{}
			}
			cur = next
		case cur.IsArray():
			i, err := strconv.Atoi(seg)
			if err != nil || i < 0 || i >= cur.AsArray().Len() {
				return val{}
			}
			cur = cur.AsArray().Get(i)
		default:
			return val{}
		}
	}
	return wrap(cur)
}

func wrap(v property.Value) val {
	switch {
	case v.IsNull():
		return val{}
	case v.IsComputed():
		return val{present: true, unknown: true}
	}
	return val{v: v, present: true}
}

func (v val) sub(path string) val {
	if v.unknown {
		return v
	}
	if !v.present || !v.v.IsMap() {
		return val{}
	}
	return lookup(v.v.AsMap(), path)
}

func (v val) known() bool { return v.present && !v.unknown }

func (v val) str() string {
	if !v.known() {
		return ""
	}
	switch {
	case v.v.IsString():
		return v.v.AsString()
	case v.v.IsNumber():
		return strconv.FormatFloat(v.v.AsNumber(), 'f', -1, 64)
	case v.v.IsBool():
		return strconv.FormatBool(v.v.AsBool())
	}
	return ""
}

func (v val) num() (int, bool) {
	if !v.known() {
		return 0, false
	}
	if v.v.IsNumber() {
		return int(v.v.AsNumber()), true
	}
	n, err := strconv.Atoi(strings.TrimSpace(v.str()))
	return n, err == nil
}

func (v val) isTrue() bool {
	return v.known() && (v.v.IsBool() && v.v.AsBool() || strings.EqualFold(v.str(), "true"))
}

func (v val) items() []val {
	if !v.known() || !v.v.IsArray() {
		return nil
	}
	var out []val
	for _, e := range v.v.AsArray().AsSlice() {
		out = append(out, wrap(e))
	}
	return out
}

// strs are the known strings of an array (or a single string); unknown reports whether any
// element (or the whole value) is unknown.
func (v val) strs() (out []string, unknown bool) {
	if v.unknown {
		return nil, true
	}
	if v.known() && v.v.IsString() {
		return []string{v.v.AsString()}, false
	}
	for _, e := range v.items() {
		if e.unknown {
			unknown = true
			continue
		}
		if s := e.str(); s != "" {
			out = append(out, s)
		}
	}
	return out, unknown
}

// covers reports whether the CIDR rule covers the address range addr (both parse; same
// family; rule's prefix contains addr's).
func covers(rule, addr string) bool {
	rp, err1 := netip.ParsePrefix(strings.TrimSpace(rule))
	ap, err2 := netip.ParsePrefix(strings.TrimSpace(addr))
	if err1 != nil || err2 != nil {
		return false
	}
	if rp.Addr().Is4() != ap.Addr().Is4() {
		return false
	}
	return rp.Bits() <= ap.Bits() && rp.Contains(ap.Addr())
}

// coversAll reports whether some rule CIDR covers every address (and there is one).
func coversAll(rules []string, addrs []string) bool {
	if len(addrs) == 0 {
		return false
	}
	for _, a := range addrs {
		ok := false
		for _, r := range rules {
			ok = ok || covers(r, a)
		}
		if !ok {
			return false
		}
	}
	return true
}

// isAnywhere reports an all-addresses CIDR.
func isAnywhere(cidr string) bool { return cidr == "0.0.0.0/0" || cidr == "::/0" }

// portRange is an inclusive range; all covers every port.
type portRange struct {
	from, to int
	all      bool
}

func (r portRange) has(port int) bool { return r.all || (port >= r.from && port <= r.to) }

func (r portRange) String() string {
	switch {
	case r.all:
		return "all"
	case r.from == r.to:
		return strconv.Itoa(r.from)
	default:
		return strconv.Itoa(r.from) + "-" + strconv.Itoa(r.to)
	}
}

// parsePorts reads "443", "1000-2000", "*" (Azure, GCP).
func parsePorts(s string) (portRange, bool) {
	s = strings.TrimSpace(s)
	if s == "*" || s == "" {
		return portRange{all: true}, true
	}
	a, b, isRange := strings.Cut(s, "-")
	from, err := strconv.Atoi(a)
	if err != nil {
		return portRange{}, false
	}
	to := from
	if isRange {
		if to, err = strconv.Atoi(b); err != nil {
			return portRange{}, false
		}
	}
	return portRange{from: from, to: to}, true
}

// protocolMatches compares a rule's protocol with the flow's ("tcp"), accepting the numbers
// and the all-protocol spellings of each cloud.
func protocolMatches(rule, flow string) bool {
	rule = strings.ToLower(strings.TrimSpace(rule))
	switch rule {
	case "-1", "all", "*":
		return true
	case "6":
		rule = "tcp"
	case "17":
		rule = "udp"
	}
	return rule == strings.ToLower(flow)
}
