package main

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"

	"github.com/scalestack/scalestack/testkit"
)

// writeHuman prints the plan for a terminal or a CI log: the components as a tree with their
// regions and resource counts, the counts by type, the outputs and the policy results.
func writeHuman(w io.Writer, r *previewResult) {
	s, p := r.Spec, r.Plan
	fmt.Fprintf(w, "Previewing stack %q on %s (environment %s), offline\n", s.Stack, s.Cloud, s.Environment)
	if s.MultiRegion() {
		fmt.Fprintf(w, "Regions: %s (primary), %s (secondary)\n\n", s.PrimaryRegion(), s.SecondaryRegion())
	} else {
		fmt.Fprintf(w, "Regions: %s (single region)\n\n", s.PrimaryRegion())
	}

	fmt.Fprintln(w, "Components:")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	var walk func(parent string, depth int)
	walk = func(parent string, depth int) {
		for _, c := range p.Children(parent) {
			if c.Custom || c.IsProvider() {
				continue
			}
			own := 0
			for _, d := range p.Children(c.URN) {
				if d.Custom {
					own++
				}
			}
			all := 0
			for _, d := range p.Descendants(c.URN) {
				if d.Custom {
					all++
				}
			}
			region := c.Region()
			if region == "" {
				region = "global"
			}
			fmt.Fprintf(tw, "  %s%s\t%s\t%s\t%d resources\n", strings.Repeat("  ", depth), c.Name, c.Type, region, all)
			_ = own
			walk(c.URN, depth+1)
		}
	}
	walk(rootURN(p), 0)
	loose := 0
	for _, c := range p.Children(rootURN(p)) {
		if c.Custom {
			loose++
		}
	}
	if loose > 0 {
		fmt.Fprintf(tw, "  (stack)\t\t\t%d resources\n", loose)
	}
	tw.Flush()

	fmt.Fprintln(w, "\nResources by type and region:")
	counts := p.CountByRegion()
	regions := make([]string, 0, len(counts))
	for reg := range counts {
		regions = append(regions, reg)
	}
	sort.Strings(regions)
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "  TYPE\t%s\tTOTAL\n", strings.Join(displayRegions(regions), "\t"))
	for _, typ := range p.Types() {
		if strings.HasPrefix(typ, "scalestack:") {
			continue
		}
		row := []string{}
		total := 0
		for _, reg := range regions {
			n := counts[reg][typ]
			total += n
			row = append(row, countCell(n))
		}
		fmt.Fprintf(tw, "  %s\t%s\t%d\n", typ, strings.Join(row, "\t"), total)
	}
	tw.Flush()

	custom, components, providers := 0, 0, 0
	for _, res := range p.Resources {
		switch {
		case res.IsProvider():
			providers++
		case res.Custom:
			custom++
		default:
			components++
		}
	}
	fmt.Fprintf(w, "\n%d resources to create (%d cloud resources, %d components, %d providers)\n",
		len(p.Resources), custom, components, providers)

	if len(p.Outputs) > 0 {
		fmt.Fprintln(w, "\nOutputs:")
		keys := make([]string, 0, len(p.Outputs))
		for k := range p.Outputs {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		for _, k := range keys {
			fmt.Fprintf(tw, "  %s\t%s\n", k, formatValue(p.Outputs[k]))
		}
		tw.Flush()
	}

	fmt.Fprintln(w)
	writePolicySummary(w, r)
}

func writePolicySummary(w io.Writer, r *previewResult) {
	if r.Violations == nil {
		fmt.Fprintln(w, "Policies: no policy pack evaluated")
		return
	}
	mandatory, advisory, waived := 0, 0, 0
	for _, v := range r.Violations {
		switch {
		case v.Waived:
			waived++
		case v.EnforcementLevel == "mandatory":
			mandatory++
		default:
			advisory++
		}
	}
	fmt.Fprintf(w, "Policies: %d mandatory, %d advisory, %d waived\n", mandatory, advisory, waived)
	sorted := append([]violation(nil), r.Violations...)
	sort.SliceStable(sorted, func(i, j int) bool { return levelRank(sorted[i]) < levelRank(sorted[j]) })
	for _, v := range sorted {
		level := strings.ToUpper(v.EnforcementLevel)
		if v.Waived {
			level = "WAIVED"
		}
		fmt.Fprintf(w, "  [%s] %s: %s\n      %s\n", level, v.PolicyName, v.Message, v.URN)
		if v.Waived {
			fmt.Fprintf(w, "      waived: %s\n", v.WaiverReason)
		}
	}
}

func levelRank(v violation) int {
	switch {
	case v.Waived:
		return 2
	case v.EnforcementLevel == "mandatory":
		return 0
	}
	return 1
}

func displayRegions(regions []string) []string {
	out := make([]string, len(regions))
	for i, r := range regions {
		if r == "" {
			r = "global"
		}
		out[i] = strings.ToUpper(r)
	}
	return out
}

func countCell(n int) string {
	if n == 0 {
		return "-"
	}
	return fmt.Sprint(n)
}

func formatValue(v any) string {
	switch t := v.(type) {
	case string:
		return t
	case nil:
		return ""
	default:
		b, err := json.Marshal(t)
		if err != nil {
			return fmt.Sprint(t)
		}
		return string(b)
	}
}

// rootURN is the URN of the stack resource that parents top-level resources.
func rootURN(p *testkit.Plan) string {
	for _, r := range p.Resources {
		if strings.Contains(r.Parent, "pulumi:pulumi:Stack") {
			return r.Parent
		}
	}
	return stackURN(p)
}

func stackURN(p *testkit.Plan) string {
	return fmt.Sprintf("urn:pulumi:%s::%s::pulumi:pulumi:Stack::%s-%s", p.Stack, p.Project, p.Project, p.Stack)
}

// jsonPreview is the shape of `pulumi preview --json` (steps, changeSummary) plus
// policyViolations. Field names are part of the CLI's contract: see README.md.
type jsonPreview struct {
	Stack            string         `json:"stack"`
	Cloud            string         `json:"cloud"`
	Environment      string         `json:"environment"`
	Regions          []string       `json:"regions"`
	Config           map[string]any `json:"config"`
	Steps            []jsonStep     `json:"steps"`
	ChangeSummary    map[string]int `json:"changeSummary"`
	Outputs          map[string]any `json:"outputs"`
	PolicyViolations []violation    `json:"policyViolations"`
}

type jsonStep struct {
	Op       string    `json:"op"`
	URN      string    `json:"urn"`
	Provider string    `json:"provider"`
	NewState jsonState `json:"newState"`
}

type jsonState struct {
	Type     string         `json:"type"`
	URN      string         `json:"urn"`
	Custom   bool           `json:"custom"`
	Parent   string         `json:"parent"`
	Provider string         `json:"provider"`
	Region   string         `json:"region,omitempty"`
	Inputs   map[string]any `json:"inputs"`
	Protect  bool           `json:"protect,omitempty"`
	Retain   bool           `json:"retainOnDelete,omitempty"`
}

func toJSON(r *previewResult) jsonPreview {
	p := r.Plan
	out := jsonPreview{
		Stack:            r.Spec.Stack,
		Cloud:            string(r.Spec.Cloud),
		Environment:      string(r.Spec.Environment),
		Regions:          []string{r.Spec.PrimaryRegion()},
		Config:           map[string]any{},
		ChangeSummary:    map[string]int{},
		Outputs:          p.Outputs,
		PolicyViolations: r.Violations,
	}
	if out.PolicyViolations == nil {
		out.PolicyViolations = []violation{}
	}
	if r.Spec.MultiRegion() {
		out.Regions = append(out.Regions, r.Spec.SecondaryRegion())
	}
	for k, v := range r.Config.Values {
		var decoded any
		if json.Unmarshal([]byte(v), &decoded) == nil && (strings.HasPrefix(v, "{") || strings.HasPrefix(v, "[")) {
			out.Config[k] = decoded
		} else {
			out.Config[k] = v
		}
	}
	for _, k := range r.Config.SecretKeys {
		out.Config[k] = "[secret]"
	}
	root := rootURN(p)
	out.Steps = append(out.Steps, jsonStep{Op: "create", URN: root, NewState: jsonState{
		Type: "pulumi:pulumi:Stack", URN: root, Inputs: map[string]any{},
	}})
	for _, res := range p.Resources {
		provider := ""
		if res.Provider != "" {
			if pr := p.ByURN(res.Provider); pr != nil {
				provider = pr.URN + "::" + pr.ID
			}
		}
		out.Steps = append(out.Steps, jsonStep{
			Op: "create", URN: res.URN, Provider: provider,
			NewState: jsonState{
				Type: res.Type, URN: res.URN, Custom: res.Custom, Parent: res.Parent, Provider: provider,
				Region: res.Region(), Inputs: inputsForJSON(res), Protect: res.Protect, Retain: res.RetainOnDelete,
			},
		})
	}
	out.ChangeSummary["create"] = len(out.Steps)
	return out
}

// inputsForJSON renders inputs as plain JSON values; secrets are masked as pulumi does.
func inputsForJSON(r *testkit.Resource) map[string]any {
	masked := r.Inputs.MapRepl(nil, func(v resource.PropertyValue) (any, bool) {
		if v.IsSecret() {
			return "[secret]", true
		}
		return nil, false
	})
	if masked == nil {
		return map[string]any{}
	}
	return masked
}

func writeJSON(w io.Writer, r *previewResult) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(toJSON(r))
}
