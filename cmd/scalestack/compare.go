package main

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/scalestack/scalestack/cmd/scalestack/internal/graph"
	"github.com/scalestack/scalestack/stacks/spec"
	"github.com/scalestack/scalestack/testkit"
)

// capabilityCounts counts a plan's cloud resources by the capability of the component that
// owns them; resources outside any component count under graph.Other.
func capabilityCounts(p *testkit.Plan) map[graph.Capability]int {
	out := map[graph.Capability]int{}
	for _, r := range p.Resources {
		if !r.Custom || r.IsProvider() {
			continue
		}
		capability := graph.Other
		if comp := p.Component(r); comp != nil {
			capability = graph.CapabilityOf(comp.Type)
		}
		out[capability]++
	}
	return out
}

// writeComparison prints the clouds side by side: cloud resources per capability, regions,
// policy verdict and exit status. A cloud that could not be previewed shows "n/a".
func writeComparison(w io.Writer, clouds []spec.Cloud, results []*previewResult, codes []int, c palette) {
	fmt.Fprintln(w, c.bold("Comparison (cloud resources by capability):"))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	header := []string{"CAPABILITY"}
	for _, cloud := range clouds {
		header = append(header, strings.ToUpper(string(cloud)))
	}
	fmt.Fprintf(tw, "  %s\t\n", strings.Join(header, "\t"))
	counts := make([]map[graph.Capability]int, len(results))
	for i, r := range results {
		if r != nil {
			counts[i] = capabilityCounts(r.Plan)
		}
	}
	cell := func(i int, f func(r *previewResult) string) string {
		if results[i] == nil {
			return "n/a"
		}
		return f(results[i])
	}
	for _, capability := range graph.Capabilities {
		row := []string{string(capability)}
		any := false
		for i := range clouds {
			n := 0
			if counts[i] != nil {
				n = counts[i][capability]
			}
			any = any || n > 0
			row = append(row, cell(i, func(*previewResult) string { return countCell(n) }))
		}
		if any {
			fmt.Fprintf(tw, "  %s\t\n", strings.Join(row, "\t"))
		}
	}
	rows := []struct {
		name string
		f    func(r *previewResult) string
	}{
		{"total", func(r *previewResult) string {
			n := 0
			for _, x := range capabilityCounts(r.Plan) {
				n += x
			}
			return fmt.Sprint(n)
		}},
		{"regions", func(r *previewResult) string {
			if r.Spec.MultiRegion() {
				return r.Spec.PrimaryRegion() + "+" + r.Spec.SecondaryRegion()
			}
			return r.Spec.PrimaryRegion()
		}},
		{"mandatory violations", func(r *previewResult) string {
			if r.Violations == nil {
				return "no pack"
			}
			return fmt.Sprint(r.mandatoryViolations())
		}},
	}
	for _, row := range rows {
		cells := []string{row.name}
		for i := range clouds {
			cells = append(cells, cell(i, row.f))
		}
		fmt.Fprintf(tw, "  %s\t\n", strings.Join(cells, "\t"))
	}
	exit := []string{"exit status"}
	for i := range clouds {
		exit = append(exit, fmt.Sprint(codes[i]))
	}
	fmt.Fprintf(tw, "  %s\t\n", strings.Join(exit, "\t"))
	tw.Flush()
}
