// Package rules is the scalestack policy library: every rule is implemented once here and
// called by the Pulumi policy pack (policies/), by `scalestack preview`, by testkit and by
// tests.
//
// A rule checks either one resource at a time (its ResourceTypes) or the whole stack. Rules
// read the resource's properties as the Pulumi analyzer sends them (inputs for resource
// rules, outputs for stack rules, with unknown values kept as computed). A value that decides
// a rule but is not known until apply never crashes a rule and never passes silently: it is
// reported as an advisory "cannot verify during preview" finding.
//
//	report, err := rules.Evaluate(resources, rules.Options{Environment: "prod"})
//	if err != nil { ... }              // bad settings or waivers
//	if report.Failed() { os.Exit(1) }   // a mandatory violation that is not waived
package rules

import (
	"fmt"
	"sort"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/property"
)

// Level is how a rule is enforced.
type Level string

// The levels a rule can have. MandatoryInProd is mandatory when the environment is "prod" and
// advisory otherwise.
const (
	Advisory        Level = "advisory"
	Mandatory       Level = "mandatory"
	MandatoryInProd Level = "mandatory-in-prod"
	// Disabled turns a rule off; only a setting can choose it ("enforcementLevel": "disabled").
	Disabled Level = "disabled"
)

// UnverifiedPrefix starts the message of every finding about a value that is not known until
// apply. Such findings are always advisory.
const UnverifiedPrefix = "cannot verify during preview"

// EnforcementLevelSetting is the setting key that overrides a rule's level for a stack
// ("advisory", "mandatory", "mandatory-in-prod" or "disabled").
const EnforcementLevelSetting = "enforcementLevel"

// Setting is one configurable threshold of a rule.
type Setting struct {
	// Name is the key in Options.Settings[ruleID] and in the pack's policy config.
	Name string `json:"name"`
	// Type is the JSON schema type: "integer", "number", "string", "boolean" or "array".
	Type string `json:"type"`
	// Default is the value used when the stack does not set one.
	Default any `json:"default"`
	// Description says what the setting changes.
	Description string `json:"description"`
}

// Rule is one policy. Exactly one of the resource check and the stack check is set.
type Rule struct {
	// ID is the policy name ("aws-rds-encrypted"), stable across releases.
	ID string `json:"id"`
	// Description says what the rule requires, in one sentence.
	Description string `json:"description"`
	// ResourceTypes are the type tokens a resource rule checks (alias tokens included);
	// empty for stack rules.
	ResourceTypes []string `json:"resourceTypes,omitempty"`
	// Level is the default enforcement level.
	Level Level `json:"level"`
	// Stack is true for rules that look at all resources together.
	Stack bool `json:"stack"`
	// Anchors name the benchmark checks the rule follows (CKV_AWS_16, CIS 2.3.1, ...).
	Anchors []string `json:"anchors,omitempty"`
	// Settings are the rule's configurable thresholds with their defaults.
	Settings []Setting `json:"settings,omitempty"`

	check      func(c *check)
	checkStack func(c *check)
}

// EffectiveLevel is the level the rule has in an environment, before any setting.
func (r *Rule) EffectiveLevel(environment string) Level {
	if r.Level == MandatoryInProd {
		if environment == "prod" {
			return Mandatory
		}
		return Advisory
	}
	return r.Level
}

// AppliesTo reports whether a resource rule checks resources of this type token.
func (r *Rule) AppliesTo(typ string) bool {
	for _, t := range r.ResourceTypes {
		if t == typ {
			return true
		}
	}
	return false
}

var registry []*Rule

func register(rs ...*Rule) {
	for _, r := range rs {
		if (r.check == nil) == (r.checkStack == nil) {
			panic("rule " + r.ID + ": want exactly one of check and checkStack")
		}
		r.Stack = r.checkStack != nil
		registry = append(registry, r)
	}
}

// All returns every rule, sorted by ID. The slice is a copy; the rules are shared.
func All() []*Rule {
	out := append([]*Rule(nil), registry...)
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// ByID returns the rule with that ID, or nil.
func ByID(id string) *Rule {
	for _, r := range registry {
		if r.ID == id {
			return r
		}
	}
	return nil
}

// Provider is the explicit provider a resource uses (empty for the default provider).
type Provider struct {
	URN        string
	Type       string
	Name       string
	Properties property.Map
}

// Region is the provider's "region" (AWS, Google Cloud) or "location" (Azure) property.
func (p Provider) Region() string {
	for _, k := range []string{"region", "location"} {
		if v := p.Properties.Get(k); v.IsString() {
			return v.AsString()
		}
	}
	return ""
}

// Resource is what a rule sees of one resource. It does not depend on testkit or on the
// policy SDK: the pack, testkit and `scalestack preview` each convert into it.
type Resource struct {
	URN  string
	Type string
	Name string
	// Properties are the resource's inputs (for stack rules under the engine: its outputs),
	// with unknown values as computed.
	Properties property.Map
	// Outputs are the resource's state where known (mock runs); stack rules read a property
	// from Outputs when Properties does not have it.
	Outputs              property.Map
	Provider             Provider
	Parent               string
	Dependencies         []string
	PropertyDependencies map[string][]string
	// IgnoreChanges are the resource's ignoreChanges option (property paths such as
	// "desiredCapacity" or "settings.diskSize"), as the engine sends them to analyzers
	// (AnalyzerResourceOptions.ignoreChanges) and testkit records them.
	IgnoreChanges []string
}

// Ignores reports whether the resource's ignoreChanges covers path: the path itself, a parent
// of it ("settings" covers "settings.diskSize"), or "*". Bracketed keys (`settings["diskSize"]`)
// are read as dotted ones.
func (r *Resource) Ignores(path string) bool {
	for _, ic := range r.IgnoreChanges {
		ic = strings.NewReplacer(`["`, ".", `"]`, "", "[", ".", "]", "").Replace(ic)
		if ic == "*" || ic == path || strings.HasPrefix(path, ic+".") {
			return true
		}
	}
	return false
}

// Region is where the resource is placed: its own "location"/"region" property, else its
// explicit provider's region. "" when neither says.
func (r *Resource) Region() string {
	for _, k := range []string{"location", "region"} {
		if v := r.Properties.Get(k); v.IsString() && v.AsString() != "" {
			return normalizeRegion(v.AsString())
		}
	}
	return normalizeRegion(r.Provider.Region())
}

func normalizeRegion(s string) string { return strings.ToLower(strings.ReplaceAll(s, " ", "")) }

// Waiver exempts one resource from one rule, with a recorded reason. It has the shape of
// `scalestack:policy.waivers[]` (spec.Waiver).
type Waiver struct {
	// Rule is the rule ID.
	Rule string `json:"rule"`
	// Resource is the resource's URN or logical name.
	Resource string `json:"resource"`
	// Reason is recorded with every violation the waiver covers.
	Reason string `json:"reason"`
}

// Options configure an evaluation for one stack.
type Options struct {
	// Environment is "dev", "staging" or "prod"; it decides mandatory-in-prod rules and the
	// rules that only apply in prod. Default: "dev".
	Environment string
	// Settings override rule thresholds by rule ID ({"aws-rds-backup-retention": {"minDays": 14}})
	// and may set "enforcementLevel".
	Settings map[string]map[string]any
	// Waivers exempt one resource from one rule.
	Waivers []Waiver
}

func (o Options) environment() string {
	if o.Environment == "" {
		return "dev"
	}
	return o.Environment
}

// Validate checks that every setting and waiver names a known rule and a known setting of the
// right type.
func (o Options) Validate() error {
	var errs []string
	switch o.environment() {
	case "dev", "staging", "prod":
	default:
		errs = append(errs, fmt.Sprintf("environment %q is not allowed: want dev, staging or prod", o.Environment))
	}
	ids := make([]string, 0, len(o.Settings))
	for id := range o.Settings {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		r := ByID(id)
		if r == nil {
			errs = append(errs, fmt.Sprintf("policy settings: rule %q does not exist", id))
			continue
		}
		keys := make([]string, 0, len(o.Settings[id]))
		for k := range o.Settings[id] {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if err := r.validateSetting(k, o.Settings[id][k]); err != nil {
				errs = append(errs, fmt.Sprintf("policy settings: rule %q: %v", id, err))
			}
		}
	}
	for i, w := range o.Waivers {
		switch {
		case ByID(w.Rule) == nil:
			errs = append(errs, fmt.Sprintf("policy waivers[%d]: rule %q does not exist", i, w.Rule))
		case w.Resource == "":
			errs = append(errs, fmt.Sprintf("policy waivers[%d]: rule %q: resource is empty: want a URN or logical name", i, w.Rule))
		case strings.TrimSpace(w.Reason) == "":
			errs = append(errs, fmt.Sprintf("policy waivers[%d]: rule %q, resource %q: reason is empty: a waiver needs a recorded reason", i, w.Rule, w.Resource))
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("%s", strings.Join(errs, "; "))
	}
	return nil
}

func (r *Rule) validateSetting(key string, v any) error {
	if key == EnforcementLevelSetting {
		s, _ := v.(string)
		switch Level(s) {
		case Advisory, Mandatory, MandatoryInProd, Disabled:
			return nil
		}
		return fmt.Errorf("enforcementLevel %v is not allowed: want advisory, mandatory, mandatory-in-prod or disabled", v)
	}
	for _, s := range r.Settings {
		if s.Name != key {
			continue
		}
		ok := false
		switch s.Type {
		case "integer", "number":
			_, ok = toFloat(v)
		case "string":
			_, ok = v.(string)
		case "boolean":
			_, ok = v.(bool)
		case "array":
			_, ok = toStrings(v)
		}
		if !ok {
			return fmt.Errorf("%s %v is not allowed: want a %s", key, v, s.Type)
		}
		return nil
	}
	names := []string{EnforcementLevelSetting}
	for _, s := range r.Settings {
		names = append(names, s.Name)
	}
	return fmt.Errorf("setting %q does not exist: want one of %s", key, strings.Join(names, ", "))
}

// level is the rule's level for a stack: its default for the environment, or the
// enforcementLevel setting.
func (r *Rule) level(o Options) Level {
	if s, ok := o.Settings[r.ID][EnforcementLevelSetting].(string); ok && s != "" {
		return (&Rule{Level: Level(s)}).EffectiveLevel(o.environment())
	}
	return r.EffectiveLevel(o.environment())
}

// config merges the rule's defaults with the stack's settings and then with extra (the
// pack's per-policy config from the engine).
func (r *Rule) config(o Options, extra map[string]any) map[string]any {
	cfg := map[string]any{}
	for _, s := range r.Settings {
		cfg[s.Name] = s.Default
	}
	for k, v := range o.Settings[r.ID] {
		cfg[k] = v
	}
	for k, v := range extra {
		cfg[k] = v
	}
	return cfg
}

// Violation is one finding of one rule about one resource (or the stack, URN "").
type Violation struct {
	PolicyName string `json:"policyName"`
	// EnforcementLevel is "advisory" or "mandatory" (findings of unknown values and waived
	// violations keep the rule's level here; see Waived and Unverified).
	EnforcementLevel Level  `json:"enforcementLevel"`
	URN              string `json:"urn"`
	Message          string `json:"message"`
	// Waived is true when a waiver covers this violation; it then never fails a deploy.
	Waived       bool   `json:"waived,omitempty"`
	WaiverReason string `json:"waiverReason,omitempty"`
	// Unverified is true when a value the rule needs is unknown until apply.
	Unverified bool `json:"unverified,omitempty"`
}

// Blocking reports whether the violation fails a deploy: mandatory, not waived, not unverified.
func (v Violation) Blocking() bool {
	return v.EnforcementLevel == Mandatory && !v.Waived && !v.Unverified
}

// Report is the result of an evaluation.
type Report struct {
	Environment string      `json:"environment"`
	Violations  []Violation `json:"violations"`
	// UnusedWaivers are waivers that matched no violation (a fixed resource, a typo).
	UnusedWaivers []Waiver `json:"unusedWaivers,omitempty"`
}

// Mandatory returns the violations that fail a deploy.
func (r *Report) Mandatory() []Violation {
	var out []Violation
	for _, v := range r.Violations {
		if v.Blocking() {
			out = append(out, v)
		}
	}
	return out
}

// Failed reports whether any violation fails a deploy.
func (r *Report) Failed() bool { return len(r.Mandatory()) > 0 }

// ByRule returns the violations of one rule.
func (r *Report) ByRule(id string) []Violation {
	var out []Violation
	for _, v := range r.Violations {
		if v.PolicyName == id {
			out = append(out, v)
		}
	}
	return out
}

// Evaluate runs every rule over resources and returns the violations, with waivers applied.
// It fails only when opts are invalid.
func Evaluate(resources []Resource, opts Options) (*Report, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	rep := &Report{Environment: opts.environment(), Violations: []Violation{}}
	used := make([]bool, len(opts.Waivers))
	for _, rule := range All() {
		lvl := rule.level(opts)
		if lvl == Disabled {
			continue
		}
		cfg := rule.config(opts, nil)
		var fs []finding
		if rule.Stack {
			fs = rule.runStack(resources, opts.environment(), cfg)
		} else {
			for i := range resources {
				if rule.AppliesTo(resources[i].Type) {
					fs = append(fs, rule.runResource(&resources[i], opts.environment(), cfg)...)
				}
			}
		}
		for _, f := range fs {
			v := Violation{PolicyName: rule.ID, EnforcementLevel: lvl, URN: f.urn, Message: f.msg, Unverified: f.unknown}
			if f.unknown {
				v.EnforcementLevel = Advisory
			}
			if i := matchWaiver(opts.Waivers, rule.ID, f.urn); i >= 0 {
				v.Waived, v.WaiverReason, used[i] = true, opts.Waivers[i].Reason, true
			}
			rep.Violations = append(rep.Violations, v)
		}
	}
	for i, w := range opts.Waivers {
		if !used[i] {
			rep.UnusedWaivers = append(rep.UnusedWaivers, w)
		}
	}
	return rep, nil
}

// matchWaiver returns the index of the waiver for rule and the resource urn, or -1. A waiver
// names the resource by URN or by logical name (the URN's last segment).
func matchWaiver(ws []Waiver, rule, urn string) int {
	name := URNName(urn)
	for i, w := range ws {
		if w.Rule == rule && urn != "" && (w.Resource == urn || w.Resource == name) {
			return i
		}
	}
	return -1
}

// URNName is the logical name in a URN ("urn:pulumi:dev::p::aws:rds/instance:Instance::db" → "db").
func URNName(urn string) string {
	if i := strings.LastIndex(urn, "::"); i >= 0 {
		return urn[i+2:]
	}
	return urn
}

// runResource runs a resource rule on one resource.
func (r *Rule) runResource(res *Resource, env string, cfg map[string]any) (fs []finding) {
	c := &check{r: res, env: env, cfg: cfg}
	defer c.recoverInto(&fs, res.URN)
	r.check(c)
	return c.findings
}

// runStack runs a stack rule on all resources.
func (r *Rule) runStack(all []Resource, env string, cfg map[string]any) (fs []finding) {
	c := &check{all: all, env: env, cfg: cfg, stack: true}
	defer c.recoverInto(&fs, "")
	r.checkStack(c)
	return c.findings
}

// recoverInto turns a panic in a rule into a violation at the rule's level: a broken rule
// must neither kill the analyzer nor pass silently.
func (c *check) recoverInto(fs *[]finding, urn string) {
	if p := recover(); p != nil {
		*fs = append(c.findings, finding{urn: urn, msg: fmt.Sprintf("the rule failed on this input (%v): please report it", p)})
	}
}
