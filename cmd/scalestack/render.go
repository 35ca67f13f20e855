package main

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"

	"github.com/scalestack/scalestack/policies/flows"
	"github.com/scalestack/scalestack/testkit"
)

// writeHuman prints the plan for a terminal or a CI log: the components as a tree with their
// regions and resource counts, the counts by type, the outputs and the policy results.
func writeHuman(w io.Writer, r *previewResult, c palette) {
	s, p := r.Spec, r.Plan
	fmt.Fprintln(w, c.bold(fmt.Sprintf("Previewing stack %q on %s (environment %s), offline", s.Stack, s.Cloud, s.Environment)))
	if s.MultiRegion() {
		fmt.Fprintf(w, "Regions: %s (primary), %s (secondary)\n\n", s.PrimaryRegion(), s.SecondaryRegion())
	} else {
		fmt.Fprintf(w, "Regions: %s (single region)\n\n", s.PrimaryRegion())
	}

	fmt.Fprintln(w, c.bold("Components:"))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	var walk func(parent string, depth int)
	walk = func(parent string, depth int) {
		for _, c := range p.Children(parent) {
			if c.Custom || c.IsProvider() {
				continue
			}
			all := 0
			regions := map[string]bool{}
			for _, d := range p.Descendants(c.URN) {
				if d.Custom && !d.IsProvider() {
					all++
					regions[d.Region()] = true
				}
			}
			fmt.Fprintf(tw, "  %s%s\t%s\t%s\t%s\n", strings.Repeat("  ", depth), c.Name, c.Type,
				regionList(regions, s.PrimaryRegion(), s.SecondaryRegion()), plural(all, "resource"))
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
		fmt.Fprintf(tw, "  (stack)\t\t\t%s\n", plural(loose, "resource"))
	}
	tw.Flush()

	fmt.Fprintln(w, "\n"+c.bold("Resources by type and region:"))
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
		fmt.Fprintln(w, "\n"+c.bold("Outputs:"))
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

	if len(p.Logs) > 0 {
		fmt.Fprintf(w, "\n%s\n", c.bold("Messages from the program:"))
		for _, l := range p.Logs {
			if l.Severity == "debug" {
				continue
			}
			fmt.Fprintf(w, "  [%s] %s\n", strings.ToUpper(l.Severity), l.Message)
		}
	}

	writeFlows(w, r.Flows, c)
	fmt.Fprintln(w)
	writePolicySummary(w, r, c)
}

// writeFlows prints the declared flows with their verdicts, and the exposures, as two short
// tables.
func writeFlows(w io.Writer, rep flows.Report, c palette) {
	fmt.Fprintf(w, "\n%s\n", c.bold("Flows (declared by the components, judged on the plan):"))
	if len(rep.Flows) == 0 {
		fmt.Fprintln(w, "  (none declared)")
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, f := range rep.Flows {
		v := string(f.Verdict)
		detail := strings.Join(f.By, ", ")
		switch f.Verdict {
		case flows.Allowed:
			v = c.green(v)
		case flows.Blocked:
			v, detail = c.red(v), f.Reason
		default:
			v, detail = c.yellow(v), f.Reason
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s → %s\t%s\t%s\n", v, f.Flow.Name, f.Flow.From, f.Flow.To, f.Flow.Label(), detail)
	}
	tw.Flush()
	fmt.Fprintf(w, "\n%s\n", c.bold("Exposures (reachable from the internet):"))
	if len(rep.Exposures) == 0 {
		fmt.Fprintln(w, "  (none)")
	}
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, e := range rep.Exposures {
		edge := "behind the edge"
		if e.BypassesEdge {
			edge = c.red("BYPASSES THE EDGE") + ": " + e.Reason
		}
		fmt.Fprintf(tw, "  %s\t%s\tports %s\tfrom %s\t%s\n", e.Name, e.Type, strings.Join(e.Ports, ","), strings.Join(e.Sources, ","), edge)
	}
	tw.Flush()
}

func writePolicySummary(w io.Writer, r *previewResult, c palette) {
	writeViolations(w, "Policies", r.Violations, c)
}

// writeViolations prints the policy verdict: counts, then each result, mandatory first.
func writeViolations(w io.Writer, title string, vs []violation, c palette) {
	if vs == nil {
		fmt.Fprintf(w, "%s: no policy pack evaluated\n", c.bold(title))
		return
	}
	mandatory, advisory, waived := 0, 0, 0
	for _, v := range vs {
		switch {
		case v.Waived:
			waived++
		case v.EnforcementLevel == "mandatory":
			mandatory++
		default:
			advisory++
		}
	}
	fmt.Fprintf(w, "%s: %d mandatory, %d advisory, %d waived\n", c.bold(title), mandatory, advisory, waived)
	sorted := append([]violation(nil), vs...)
	sort.SliceStable(sorted, func(i, j int) bool { return levelRank(sorted[i]) < levelRank(sorted[j]) })
	for _, v := range sorted {
		level := strings.ToUpper(v.EnforcementLevel)
		switch {
		case v.Waived:
			level = c.dim("WAIVED")
		case v.EnforcementLevel == "mandatory":
			level = c.red(level)
		default:
			level = c.yellow(level)
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

// regionList names a component's regions, primary first: "us-east-1+us-west-2"; resources
// with no region count as "global".
func regionList(set map[string]bool, order ...string) string {
	var out []string
	for _, r := range order {
		if r != "" && set[r] {
			out = append(out, r)
			delete(set, r)
		}
	}
	var rest []string
	for r := range set {
		if r == "" {
			r = "global"
		}
		rest = append(rest, r)
	}
	sort.Strings(rest)
	out = append(out, rest...)
	if len(out) == 0 {
		return "global"
	}
	return strings.Join(out, "+")
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
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
	Flows            []jsonFlow     `json:"flows"`
	Exposures        []jsonExposure `json:"exposures"`
}

// jsonFlow is one declared flow and its verdict (docs/preview-json.md).
type jsonFlow struct {
	Name       string   `json:"name"`
	Component  string   `json:"component"`
	Kind       string   `json:"kind"`
	From       string   `json:"from"`
	To         string   `json:"to"`
	Protocol   string   `json:"protocol,omitempty"`
	Port       int      `json:"port,omitempty"`
	Permission string   `json:"permission,omitempty"`
	Verdict    string   `json:"verdict"`
	By         []string `json:"by,omitempty"`
	Reason     string   `json:"reason,omitempty"`
	Notes      []string `json:"notes,omitempty"`
}

// jsonExposure is one resource reachable from the internet (docs/preview-json.md).
type jsonExposure struct {
	URN          string   `json:"urn"`
	Type         string   `json:"type"`
	Name         string   `json:"name"`
	Ports        []string `json:"ports"`
	Sources      []string `json:"sources"`
	Via          string   `json:"via"`
	BypassesEdge bool     `json:"bypassesEdge"`
	Reason       string   `json:"reason,omitempty"`
}

func flowsForJSON(rep flows.Report) ([]jsonFlow, []jsonExposure) {
	fs, es := []jsonFlow{}, []jsonExposure{}
	for _, f := range rep.Flows {
		d := f.Flow
		fs = append(fs, jsonFlow{Name: d.Name, Component: d.Component, Kind: string(d.Kind), From: d.From.String(), To: d.To.String(),
			Protocol: d.Protocol, Port: d.Port, Permission: d.Permission, Verdict: string(f.Verdict), By: f.By, Reason: f.Reason, Notes: f.Notes})
	}
	for _, e := range rep.Exposures {
		es = append(es, jsonExposure{URN: e.URN, Type: e.Type, Name: e.Name, Ports: e.Ports, Sources: e.Sources, Via: e.Via,
			BypassesEdge: e.BypassesEdge, Reason: e.Reason})
	}
	return fs, es
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
	out.Flows, out.Exposures = flowsForJSON(r.Flows)
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

// jsonCloudError stands for a cloud that could not be previewed in `--cloud all --json`.
type jsonCloudError struct {
	Cloud    string `json:"cloud"`
	Error    string `json:"error"`
	ExitCode int    `json:"exitCode"`
}

func writeJSON(w io.Writer, doc any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}
