package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/scalestack/scalestack/policies/rules"
	"github.com/scalestack/scalestack/stacks/spec"
	"github.com/scalestack/scalestack/testkit"
)

// policyOptions turns the stack's scalestack:policy config into the rules' options.
func policyOptions(s *spec.Spec) rules.Options {
	opts := rules.Options{Environment: string(s.Environment), Settings: s.Policy.Settings}
	for _, w := range s.Policy.Waivers {
		opts.Waivers = append(opts.Waivers, rules.Waiver{Rule: w.Rule, Resource: w.Resource, Reason: w.Reason})
	}
	return opts
}

// validatePolicyConfig checks waivers and settings against the rules before anything runs.
func validatePolicyConfig(s *spec.Spec) error {
	if err := policyOptions(s).Validate(); err != nil {
		return fmt.Errorf("scalestack:policy: %w", err)
	}
	return nil
}

// checkPolicies evaluates the policy pack (the same rules the Pulumi policy pack runs) on the
// plan. A finding about a value unknown until apply never blocks: it is reported as advisory
// with a "cannot verify during preview" message.
func checkPolicies(plan *testkit.Plan, s *spec.Spec) []violation {
	report, err := plan.Policies(policyOptions(s))
	if err != nil {
		// The options were validated with the config; reaching this is a bug worth seeing.
		return []violation{{PolicyName: "policy-pack", EnforcementLevel: "mandatory", Message: err.Error()}}
	}
	out := make([]violation, 0, len(report.Violations))
	for _, v := range report.Violations {
		level := string(v.EnforcementLevel)
		if v.Unverified {
			level = string(rules.Advisory)
		}
		out = append(out, violation{
			PolicyName: v.PolicyName, EnforcementLevel: level, URN: v.URN, Message: v.Message,
			Waived: v.Waived, WaiverReason: v.WaiverReason,
		})
	}
	for _, w := range report.UnusedWaivers {
		if !ruleAppliesTo(w.Rule, s.Cloud) {
			continue // a shared stack file carries waivers for every cloud
		}
		out = append(out, violation{
			PolicyName: w.Rule, EnforcementLevel: string(rules.Advisory), URN: w.Resource,
			Message: fmt.Sprintf("waiver matches no violation (fixed, or a typo in the resource): %s", w.Reason),
		})
	}
	return out
}

// ruleAppliesTo reports whether a rule can fire on a cloud's plan: cloud rules by their id
// prefix (aws-, az-, gcp-), stack rules everywhere.
func ruleAppliesTo(id string, cloud spec.Cloud) bool {
	prefix := map[spec.Cloud]string{spec.AWS: "aws-", spec.Azure: "az-", spec.GCP: "gcp-"}
	for c, p := range prefix {
		if strings.HasPrefix(id, p) {
			return c == cloud
		}
	}
	return true
}

// runPolicies lists every rule: `scalestack policies [--json] [--environment E]`.
func (c *cli) runPolicies(args []string) int {
	fs := flag.NewFlagSet("scalestack policies", flag.ContinueOnError)
	fs.SetOutput(c.stderr)
	asJSON := fs.Bool("json", false, "print the rules as JSON")
	env := fs.String("environment", "dev", "show the levels rules take in this `environment` (dev, staging, prod)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(c.stderr, "scalestack policies: unexpected argument %q\n", fs.Arg(0))
		return exitUsage
	}
	switch *env {
	case "dev", "staging", "prod":
	default:
		fmt.Fprintf(c.stderr, "scalestack policies: --environment: %q is not allowed: want dev, staging or prod\n", *env)
		return exitUsage
	}
	all := rules.All()
	sort.SliceStable(all, func(i, j int) bool { return all[i].ID < all[j].ID })
	if *asJSON {
		type listed struct {
			*rules.Rule
			EffectiveLevel rules.Level `json:"effectiveLevel"`
		}
		out := make([]listed, len(all))
		for i, r := range all {
			out[i] = listed{Rule: r, EffectiveLevel: r.EffectiveLevel(*env)}
		}
		enc := json.NewEncoder(c.stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(map[string]any{"environment": *env, "rules": out}); err != nil {
			fmt.Fprintf(c.stderr, "scalestack policies: %v\n", err)
			return exitUsage
		}
		return exitOK
	}
	tw := tabwriter.NewWriter(c.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "ID\tLEVEL (%s)\tAPPLIES TO\tDESCRIPTION\n", *env)
	for _, r := range all {
		applies := "stack"
		if !r.Stack {
			applies = strings.Join(r.ResourceTypes, ", ")
		}
		level := string(r.EffectiveLevel(*env))
		if r.Level == rules.MandatoryInProd {
			level += " (mandatory in prod)"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.ID, level, applies, r.Description)
	}
	tw.Flush()
	fmt.Fprintf(c.stdout, "\n%d rules. Waive one rule for one resource with scalestack:policy.waivers: [{rule, resource, reason}].\n", len(all))
	return exitOK
}
