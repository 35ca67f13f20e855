package graph

import (
	"fmt"
	"io"
	"strings"
)

// Formats a graph renders to.
const (
	Mermaid = "mermaid"
	DOT     = "dot"
)

// Render writes the graph in a format: Mermaid or DOT.
func (g *Graph) Render(w io.Writer, format string) error {
	switch format {
	case Mermaid:
		return g.Mermaid(w)
	case DOT:
		return g.DOT(w)
	}
	return fmt.Errorf("diagram format %q is not allowed: want %s or %s", format, Mermaid, DOT)
}

// label is the text of a node: its name, capability and size.
func (n Node) label(sep string) string {
	typ := typeName(n.Type)
	noun := "resources"
	if n.Resources == 1 {
		noun = "resource"
	}
	return fmt.Sprintf("%s%s%s · %d %s", n.Component, sep, typ, n.Resources, noun)
}

// Mermaid writes a Mermaid flowchart: one subgraph per region, solid arrows for "serves",
// dotted labelled arrows for the others.
func (g *Graph) Mermaid(w io.Writer) error {
	var b strings.Builder
	b.WriteString("flowchart LR\n")
	if g.Title != "" {
		fmt.Fprintf(&b, "  %%%% %s\n", g.Title)
	}
	for _, region := range g.Regions {
		fmt.Fprintf(&b, "  subgraph %s[\"%s\"]\n", ident("region_"+region), mermaidText(region))
		for _, n := range g.NodesIn(region) {
			fmt.Fprintf(&b, "    %s[\"%s\"]\n", n.ID, mermaidText(n.label("<br/>")))
		}
		b.WriteString("  end\n")
	}
	for _, e := range g.Edges {
		switch {
		case e.Kind == Serves && g.Labels[e] != "":
			fmt.Fprintf(&b, "  %s -->|%s| %s\n", e.From, mermaidText(g.Labels[e]), e.To)
		case e.Kind == Serves:
			fmt.Fprintf(&b, "  %s --> %s\n", e.From, e.To)
		default:
			fmt.Fprintf(&b, "  %s -.->|%s| %s\n", e.From, e.Kind, e.To)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// DOT writes a Graphviz digraph: one cluster per region, solid arrows for "serves", dashed
// labelled arrows for the others.
func (g *Graph) DOT(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "digraph %s {\n", dotString(g.Title))
	b.WriteString("  rankdir=LR;\n")
	b.WriteString("  node [shape=box, style=\"rounded,filled\", fillcolor=\"#f5f7fa\", fontname=\"Helvetica\"];\n")
	b.WriteString("  edge [fontname=\"Helvetica\", fontsize=10];\n")
	if g.Title != "" {
		fmt.Fprintf(&b, "  label=%s;\n  labelloc=t;\n", dotString(g.Title))
	}
	for _, region := range g.Regions {
		// Graphviz draws a subgraph as a box only when its name starts with "cluster".
		fmt.Fprintf(&b, "  subgraph cluster_%s {\n", strings.TrimPrefix(ident(region), "n_"))
		fmt.Fprintf(&b, "    label=%s;\n    style=rounded;\n", dotString(region))
		for _, n := range g.NodesIn(region) {
			fmt.Fprintf(&b, "    %s [label=%s];\n", n.ID, dotString(n.label("\n")))
		}
		b.WriteString("  }\n")
	}
	for _, e := range g.Edges {
		switch {
		case e.Kind == Serves && g.Labels[e] != "":
			fmt.Fprintf(&b, "  %s -> %s [label=%s];\n", e.From, e.To, dotString(g.Labels[e]))
		case e.Kind == Serves:
			fmt.Fprintf(&b, "  %s -> %s;\n", e.From, e.To)
		default:
			fmt.Fprintf(&b, "  %s -> %s [style=dashed, label=%s];\n", e.From, e.To, dotString(string(e.Kind)))
		}
	}
	b.WriteString("}\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// dotString quotes s as a DOT string ("\n" becomes a centred line break).
func dotString(s string) string {
	s = strings.ReplaceAll(s, `\`, `\\`)
	s = strings.ReplaceAll(s, `"`, `\"`)
	s = strings.ReplaceAll(s, "\n", `\n`)
	return `"` + s + `"`
}

// mermaidText escapes the characters that end a Mermaid quoted label.
func mermaidText(s string) string { return strings.ReplaceAll(s, `"`, "#quot;") }
