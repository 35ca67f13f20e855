package rules

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/blang/semver"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/policyx"
)

// PackName is the policy pack's name as the engine shows it.
const PackName = "scalestack"

// PackVersion is the policy pack's version.
var PackVersion = semver.MustParse("0.1.0")

// Companion policies of the pack. policyx gives every diagnostic of a policy the policy's
// level, so findings that must never block (values unknown during preview, waived
// violations) are reported by these advisory policies, prefixed with the rule ID.
const (
	NotesPolicy      = "scalestack-notes"
	StackNotesPolicy = "scalestack-stack-notes"
)

// OptionsFromConfig builds Options from the stack's `scalestack:environment` value and its raw
// `scalestack:policy` JSON ({"waivers": [...], "settings": {...}}), as the pack receives them.
// Empty strings mean the defaults.
func OptionsFromConfig(environment, policyJSON string) (Options, error) {
	o := Options{Environment: environment}
	if strings.TrimSpace(policyJSON) != "" {
		var p struct {
			Waivers  []Waiver                  `json:"waivers"`
			Settings map[string]map[string]any `json:"settings"`
		}
		if err := json.Unmarshal([]byte(policyJSON), &p); err != nil {
			return Options{}, fmt.Errorf("scalestack:policy: want {\"waivers\": [{rule, resource, reason}], \"settings\": {rule: {setting: value}}}: %w", err)
		}
		o.Waivers, o.Settings = p.Waivers, p.Settings
	}
	if err := o.Validate(); err != nil {
		return Options{}, err
	}
	return o, nil
}

// PackFromContext is the pack factory for policyx: it reads the stack's environment and
// policy settings from the stack configuration the engine sends and builds the pack. Without
// configuration (the engine asking for the pack's info before configuring a stack) it builds
// the pack with the defaults.
func PackFromContext(ctx *pulumi.Context) (policyx.PolicyPack, error) {
	env, _ := ctx.GetConfig("scalestack:environment")
	pol, _ := ctx.GetConfig("scalestack:policy")
	o, err := OptionsFromConfig(env, pol)
	if err != nil {
		return nil, err
	}
	return Pack(o)
}

// Pack builds the policyx pack for one stack: one policy per rule, each with its own explicit
// enforcement level for the environment (policyx ignores the pack-level one), plus the two
// advisory companion policies that report unknown values and waived violations. Disabled
// rules are left out.
func Pack(opts Options) (policyx.PolicyPack, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	var policies []policyx.Policy
	var active []*Rule
	for _, r := range All() {
		lvl := r.level(opts)
		if lvl == Disabled {
			continue
		}
		active = append(active, r)
		policies = append(policies, r.policy(opts, lvl))
	}
	policies = append(policies,
		policyx.NewResourceValidationPolicy(NotesPolicy, policyx.ResourceValidationPolicyArgs{
			Description:      "Findings that never block: values not known until apply, and violations waived by scalestack:policy.waivers.",
			EnforcementLevel: policyx.EnforcementLevelAdvisory,
			ValidateResource: func(_ context.Context, a policyx.ResourceValidationArgs) error {
				res := FromAnalyzer(a.Resource)
				for _, r := range active {
					if !r.Stack && r.AppliesTo(res.Type) {
						reportNotes(a.Manager, r, opts, r.runResource(&res, opts.environment(), r.config(opts, nil)))
					}
				}
				return nil
			},
		}),
		policyx.NewStackValidationPolicy(StackNotesPolicy, policyx.StackValidationPolicyArgs{
			Description:      "Stack-rule findings that never block: values not known until apply, and waived violations.",
			EnforcementLevel: policyx.EnforcementLevelAdvisory,
			ValidateStack: func(_ context.Context, a policyx.StackValidationArgs) error {
				all := fromAnalyzerAll(a.Resources)
				for _, r := range active {
					if r.Stack {
						reportNotes(a.Manager, r, opts, r.runStack(all, opts.environment(), r.config(opts, nil)))
					}
				}
				return nil
			},
		}),
	)
	return policyx.NewPolicyPack(PackName, PackVersion, policyx.EnforcementLevelAdvisory, policies)
}

// policy wraps a rule as a policyx policy at level lvl. It reports only the findings that can
// block; the companion policies report the rest.
func (r *Rule) policy(opts Options, lvl Level) policyx.Policy {
	level := policyx.EnforcementLevelAdvisory
	if lvl == Mandatory {
		level = policyx.EnforcementLevelMandatory
	}
	desc := r.Description
	if r.Level == MandatoryInProd {
		desc += " (mandatory in prod)"
	}
	report := func(m policyx.PolicyManager, fs []finding) {
		for _, f := range fs {
			if f.unknown || matchWaiver(opts.Waivers, r.ID, f.urn) >= 0 {
				continue
			}
			m.ReportViolation(f.msg, f.urn)
		}
	}
	if r.Stack {
		return policyx.NewStackValidationPolicy(r.ID, policyx.StackValidationPolicyArgs{
			Description: desc, EnforcementLevel: level, ConfigSchema: r.schema(),
			ValidateStack: func(_ context.Context, a policyx.StackValidationArgs) error {
				report(a.Manager, r.runStack(fromAnalyzerAll(a.Resources), opts.environment(), r.config(opts, nil)))
				return nil
			},
		})
	}
	return policyx.NewResourceValidationPolicy(r.ID, policyx.ResourceValidationPolicyArgs{
		Description: desc, EnforcementLevel: level, ConfigSchema: r.schema(),
		ValidateResource: func(_ context.Context, a policyx.ResourceValidationArgs) error {
			if !r.AppliesTo(a.Resource.Type) {
				return nil
			}
			res := FromAnalyzer(a.Resource)
			report(a.Manager, r.runResource(&res, opts.environment(), r.config(opts, a.Config)))
			return nil
		},
	})
}

// reportNotes reports a rule's unknown and waived findings through the companion policy.
func reportNotes(m policyx.PolicyManager, r *Rule, opts Options, fs []finding) {
	for _, f := range fs {
		switch i := matchWaiver(opts.Waivers, r.ID, f.urn); {
		case f.unknown:
			m.ReportViolation(fmt.Sprintf("[%s] %s", r.ID, f.msg), f.urn)
		case i >= 0:
			m.ReportViolation(fmt.Sprintf("[%s] waived (%s): %s", r.ID, opts.Waivers[i].Reason, f.msg), f.urn)
		}
	}
}

// schema is the rule's policyx config schema (nil without settings).
func (r *Rule) schema() *policyx.ConfigSchema {
	if len(r.Settings) == 0 {
		return nil
	}
	s := &policyx.ConfigSchema{Properties: map[string]map[string]any{}}
	for _, st := range r.Settings {
		p := map[string]any{"type": st.Type, "description": st.Description}
		switch d := st.Default.(type) {
		case []string: // structpb only takes []any
			items := make([]any, len(d))
			for i, x := range d {
				items[i] = x
			}
			p["default"] = items
			p["items"] = map[string]any{"type": "string"}
		default:
			p["default"] = d
		}
		s.Properties[st.Name] = p
	}
	return s
}

// FromAnalyzer converts what the policy engine sends about one resource.
func FromAnalyzer(a policyx.AnalyzerResource) Resource {
	return Resource{
		URN: a.URN, Type: a.Type, Name: a.Name, Properties: a.Properties,
		Provider:             Provider{URN: a.Provider.URN, Type: a.Provider.Type, Name: a.Provider.Name, Properties: a.Provider.Properties},
		Parent:               a.Parent,
		Dependencies:         a.Dependencies,
		PropertyDependencies: a.PropertyDependencies,
		IgnoreChanges:        a.Options.IgnoreChanges,
	}
}

func fromAnalyzerAll(as []policyx.AnalyzerResource) []Resource {
	out := make([]Resource, len(as))
	for i, a := range as {
		out[i] = FromAnalyzer(a)
	}
	return out
}
