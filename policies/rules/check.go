package rules

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/property"
)

// finding is one result of a rule run: a violation or an unknown value.
type finding struct {
	urn     string
	msg     string
	unknown bool
}

// check is what a rule's code works with: the resource (or all resources), the environment,
// the merged settings, and the findings so far.
type check struct {
	r     *Resource
	all   []Resource
	env   string
	cfg   map[string]any
	stack bool

	findings []finding
	unknowns map[string]bool
}

// val is a property looked up by a dotted path: absent, unknown (computed somewhere on the
// path), or a known value.
type val struct {
	v       property.Value
	present bool
	unknown bool
	path    string
}

// lookup walks a dotted path ("a.b.0.c") through maps and arrays. A computed value anywhere
// on the way makes the result unknown; a missing key or null makes it absent.
func lookup(m property.Map, path string) val {
	cur := property.New(m)
	done := ""
	for _, seg := range strings.Split(path, ".") {
		if done != "" {
			done += "."
		}
		done += seg
		switch {
		case cur.IsComputed():
			return val{unknown: true, present: true, path: path}
		case cur.IsMap():
			next, ok := cur.AsMap().GetOk(seg)
			if !ok || next.IsNull() {
				return val{path: path}
			}
			cur = next
		case cur.IsArray():
			i, err := strconv.Atoi(seg)
			if err != nil || i < 0 || i >= cur.AsArray().Len() {
				return val{path: path}
			}
			cur = cur.AsArray().Get(i)
		default:
			return val{path: path}
		}
	}
	if cur.IsNull() {
		return val{path: path}
	}
	if cur.IsComputed() {
		return val{unknown: true, present: true, path: path}
	}
	return val{v: cur, present: true, path: path}
}

// sub looks up a path below v.
func (v val) sub(path string) val {
	full := v.path + "." + path
	if v.unknown {
		return val{unknown: true, present: true, path: full}
	}
	if !v.present || !v.v.IsMap() {
		return val{path: full}
	}
	out := lookup(v.v.AsMap(), path)
	out.path = full
	return out
}

// known is true for a present value that is not computed.
func (v val) known() bool { return v.present && !v.unknown }

// isSet is true for a value that is unknown (it will have one) or is a non-empty value.
func (v val) isSet() bool {
	if v.unknown {
		return true
	}
	if !v.present {
		return false
	}
	switch {
	case v.v.IsString():
		return v.v.AsString() != ""
	case v.v.IsArray():
		return v.v.AsArray().Len() > 0
	case v.v.IsMap():
		return v.v.AsMap().Len() > 0
	}
	return true
}

// str is the value as a string: strings as they are, numbers and booleans formatted,
// anything else (absent, unknown, objects) "".
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

// isTrue accepts a boolean true or a string "true" (AWS launch templates type their booleans
// as strings).
func (v val) isTrue() bool {
	if !v.known() {
		return false
	}
	if v.v.IsBool() {
		return v.v.AsBool()
	}
	return strings.EqualFold(v.str(), "true")
}

// isFalse accepts a boolean false or a string "false".
func (v val) isFalse() bool {
	if !v.known() {
		return false
	}
	if v.v.IsBool() {
		return !v.v.AsBool()
	}
	return strings.EqualFold(v.str(), "false")
}

// num is the value as a number (numbers and numeric strings).
func (v val) num() (float64, bool) {
	if !v.known() {
		return 0, false
	}
	if v.v.IsNumber() {
		return v.v.AsNumber(), true
	}
	if v.v.IsString() {
		f, err := strconv.ParseFloat(strings.TrimSpace(v.v.AsString()), 64)
		return f, err == nil
	}
	return 0, false
}

// items are the elements of an array value (nil when absent, unknown or not an array).
func (v val) items() []val {
	if !v.known() || !v.v.IsArray() {
		return nil
	}
	var out []val
	for i, e := range v.v.AsArray().AsSlice() {
		p := fmt.Sprintf("%s.%d", v.path, i)
		switch {
		case e.IsComputed():
			out = append(out, val{unknown: true, present: true, path: p})
		case e.IsNull():
			out = append(out, val{path: p})
		default:
			out = append(out, val{v: e, present: true, path: p})
		}
	}
	return out
}

// strs are the string elements of an array value, or a single string as a one-element list.
func (v val) strs() []string {
	if v.known() && v.v.IsString() {
		return []string{v.v.AsString()}
	}
	var out []string
	for _, e := range v.items() {
		if e.known() {
			out = append(out, e.str())
		}
	}
	return out
}

// anyUnknown reports whether a value is unknown or is an array with an unknown element.
func (v val) anyUnknown() bool {
	if v.unknown {
		return true
	}
	for _, e := range v.items() {
		if e.unknown {
			return true
		}
	}
	return false
}

// props are the properties a check reads for r: Properties, with Outputs as a fallback in
// stack rules.
func (c *check) get(r *Resource, path string) val {
	v := lookup(r.Properties, path)
	if !v.present && c.stack && r.Outputs.Len() > 0 {
		v = lookup(r.Outputs, path)
	}
	return v
}

// peek looks up a property of the checked resource without recording unknowns: for
// "is it set" questions, where unknown means set.
func (c *check) peek(path string) val { return c.get(c.r, path) }

// at looks up a property that decides the rule; an unknown value is recorded as a
// "cannot verify during preview" finding.
func (c *check) at(path string) val { return c.need(c.r, c.get(c.r, path)) }

// atOf is at for another resource (stack rules).
func (c *check) atOf(r *Resource, path string) val { return c.need(r, c.get(r, path)) }

// need records v as unverified when it is unknown (or is an array with an unknown element:
// a list of CIDRs or ports the rule decides on), and returns it. Unknowns deeper inside are
// recorded when the rule reads them.
func (c *check) need(r *Resource, v val) val {
	if v.unknown {
		c.unverified(r, v.path)
		return v
	}
	for _, e := range v.items() {
		if e.unknown {
			c.unverified(r, e.path)
		}
	}
	return v
}

// unverified records that path of r is not known until apply.
func (c *check) unverified(r *Resource, path string) {
	key := r.URN + "\x00" + path
	if c.unknowns == nil {
		c.unknowns = map[string]bool{}
	}
	if c.unknowns[key] {
		return
	}
	c.unknowns[key] = true
	c.findings = append(c.findings, finding{urn: r.URN, unknown: true,
		msg: fmt.Sprintf("%s: %s is not known until the resource is created", UnverifiedPrefix, path)})
}

// fail records a violation of the checked resource.
func (c *check) fail(format string, args ...any) { c.failOn(c.r, format, args...) }

// failOn records a violation of r (stack rules; r nil means the stack as a whole).
func (c *check) failOn(r *Resource, format string, args ...any) {
	urn := ""
	if r != nil {
		urn = r.URN
	}
	c.findings = append(c.findings, finding{urn: urn, msg: fmt.Sprintf(format, args...)})
}

// wantTrue fails when the property is known and not true (absent counts as false).
func (c *check) wantTrue(path, why string) {
	if v := c.at(path); !v.unknown && !v.isTrue() {
		c.fail("%s is %s: %s", path, show(v), why)
	}
}

// wantNotTrue fails when the property is true.
func (c *check) wantNotTrue(path, why string) {
	if v := c.at(path); v.isTrue() {
		c.fail("%s is %s: %s", path, show(v), why)
	}
}

// show renders a value for a message: its string form, "not set" or "unknown".
func show(v val) string {
	switch {
	case v.unknown:
		return "unknown"
	case !v.present:
		return "not set"
	case v.v.IsString():
		return strconv.Quote(v.v.AsString())
	case v.v.IsArray():
		return "[" + strings.Join(v.strs(), ", ") + "]"
	}
	if s := v.str(); s != "" {
		return s
	}
	return "set"
}

// prod reports whether the environment is prod.
func (c *check) prod() bool { return c.env == "prod" }

// setting returns a numeric setting.
func (c *check) number(name string) float64 {
	f, _ := toFloat(c.cfg[name])
	return f
}

// list returns a string-array setting.
func (c *check) list(name string) []string {
	s, _ := toStrings(c.cfg[name])
	return s
}

// flag returns a boolean setting.
func (c *check) flag(name string) bool {
	b, _ := c.cfg[name].(bool)
	return b
}

// ofType returns the resources of any of the type tokens.
func (c *check) ofType(types ...string) []*Resource {
	var out []*Resource
	for i := range c.all {
		for _, t := range types {
			if c.all[i].Type == t {
				out = append(out, &c.all[i])
				break
			}
		}
	}
	return out
}

// refers reports whether input key of r was computed from target (PropertyDependencies), or
// holds one of target's identifiers (its ARN, id, self link or name) when the dependency was
// not recorded.
func (c *check) refers(r *Resource, key string, target *Resource) bool {
	for _, u := range r.PropertyDependencies[key] {
		if u == target.URN {
			return true
		}
	}
	ids := map[string]bool{}
	for _, k := range []string{"arn", "id", "selfLink", "name", "identifier"} {
		for _, m := range []property.Map{target.Properties, target.Outputs} {
			if v := lookup(m, k); v.known() && v.str() != "" {
				ids[v.str()] = true
			}
		}
	}
	for _, s := range referencedStrings(c.get(r, key)) {
		if ids[s] {
			return true
		}
	}
	return false
}

// referencedStrings collects every string inside a value (arrays and maps included).
func referencedStrings(v val) []string {
	if !v.known() {
		return nil
	}
	var out []string
	var walk func(property.Value)
	walk = func(x property.Value) {
		switch {
		case x.IsString():
			out = append(out, x.AsString())
		case x.IsArray():
			for _, e := range x.AsArray().AsSlice() {
				walk(e)
			}
		case x.IsMap():
			for _, e := range x.AsMap().AsMap() {
				walk(e)
			}
		}
	}
	walk(v.v)
	return out
}

func toFloat(v any) (float64, bool) {
	switch n := v.(type) {
	case float64:
		return n, true
	case float32:
		return float64(n), true
	case int:
		return float64(n), true
	case int64:
		return float64(n), true
	case int32:
		return float64(n), true
	}
	return 0, false
}

func toStrings(v any) ([]string, bool) {
	switch s := v.(type) {
	case []string:
		return s, true
	case []any:
		out := make([]string, 0, len(s))
		for _, e := range s {
			str, ok := e.(string)
			if !ok {
				return nil, false
			}
			out = append(out, str)
		}
		return out, true
	}
	return nil, false
}

func contains(list []string, s string) bool {
	for _, e := range list {
		if e == s {
			return true
		}
	}
	return false
}
