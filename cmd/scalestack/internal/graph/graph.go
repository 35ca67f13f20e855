// Package graph draws the architecture of a previewed plan: components placed in regions, and
// arrows for what serves what, derived from the resource graph (which resource's inputs came
// from which resource's outputs), never from names. It renders the picture as Mermaid or
// Graphviz DOT.
package graph

import (
	"sort"
	"strings"

	"github.com/scalestack/scalestack/policies/flows"
	"github.com/scalestack/scalestack/testkit"
)

// Global is the region of nodes whose resources have no region (default provider, global
// services such as DNS zones).
const Global = "global"

// Capability is what a component does, told from its type token.
type Capability string

// The capabilities a diagram knows. Main-path capabilities are ranked in the order traffic
// flows (DNS → CDN → load balancer → autoscaling group → database); the others sit beside
// the components they protect, watch or host.
const (
	DNS          Capability = "dns"
	CDN          Capability = "cdn"
	LoadBalancer Capability = "load balancer"
	Autoscaling  Capability = "autoscaling"
	Database     Capability = "database"
	Backup       Capability = "backup"
	Monitoring   Capability = "monitoring"
	Network      Capability = "network"
	Certificate  Capability = "certificate"
	Firewall     Capability = "firewall"
	Other        Capability = "other"
)

// Capabilities lists every capability in display order.
var Capabilities = []Capability{DNS, CDN, LoadBalancer, Autoscaling, Database, Backup, Monitoring, Network, Certificate, Firewall, Other}

// keywords classify a component type's name; the first match wins, so the side capabilities
// ("DatabaseBackup", "DatabaseAlarms") are tried before the main path.
var keywords = []struct {
	capability Capability
	words      []string
}{
	{Other, []string{"resourcegroup"}},
	{Monitoring, []string{"alarm", "alert", "monitor"}},
	{Backup, []string{"backup", "vault", "snapshot"}},
	{Certificate, []string{"certificate", "cert"}},
	{Firewall, []string{"webacl", "waf", "firewall", "armor"}},
	{Network, []string{"network", "vpc", "vnet"}},
	{DNS, []string{"dns", "zone", "alias", "failover", "traffic"}},
	{CDN, []string{"cdn", "frontdoor"}},
	{LoadBalancer, []string{"loadbalancer", "balancer", "gateway", "ingress"}},
	{Database, []string{"database", "sql", "postgres", "replica", "db"}},
	{Autoscaling, []string{"webtier", "web", "scaleset", "autoscal", "group", "compute", "tier"}},
}

// CapabilityOf classifies a component type token ("scalestack:aws:WebTier") by its name.
func CapabilityOf(typeToken string) Capability {
	name := typeToken
	if i := strings.LastIndex(typeToken, ":"); i >= 0 {
		name = typeToken[i+1:]
	}
	name = strings.ToLower(name)
	for _, k := range keywords {
		for _, w := range k.words {
			if strings.Contains(name, w) {
				return k.capability
			}
		}
	}
	return Other
}

// rank orders the main path; side capabilities have none.
func (c Capability) rank() (int, bool) {
	switch c {
	case DNS:
		return 0, true
	case CDN:
		return 1, true
	case LoadBalancer:
		return 2, true
	case Autoscaling:
		return 3, true
	case Database:
		return 4, true
	}
	return 0, false
}

// Node is one component in one region. A component whose resources span two regions (a
// database with a cross-region replica) is two nodes, one per region.
type Node struct {
	// ID is stable and safe in Mermaid and DOT identifiers.
	ID         string
	Component  string // the component's logical name
	Type       string // the component's type token
	URN        string // the component's URN
	Region     string // the region of its resources, or Global
	Capability Capability
	Resources  int // custom resources the component owns directly in this region
}

// EdgeKind says how two nodes relate.
type EdgeKind string

// Edge kinds: traffic or data flows along "serves"; the side capabilities "back up",
// "watch", "host" and "secure" the nodes they point at; "uses" is any other dependency.
const (
	Serves  EdgeKind = "serves"
	BacksUp EdgeKind = "backs up"
	Watches EdgeKind = "watches"
	Hosts   EdgeKind = "hosts"
	Secures EdgeKind = "secures"
	// Validates: a DNS zone holds the records that validate a certificate.
	Validates EdgeKind = "validates"
	// CopiesTo: a backup plan copies recovery points into another region's vault.
	CopiesTo EdgeKind = "copies to"
	Uses     EdgeKind = "uses"
)

// Edge is an arrow From → To.
type Edge struct {
	From, To string // node IDs
	Kind     EdgeKind
}

// Graph is the architecture of one plan.
type Graph struct {
	Title   string
	Regions []string // sorted, Global last
	Nodes   []Node   // sorted by region, capability rank, component name
	Edges   []Edge   // sorted by From, To
	// Labels are the ports of the declared network flows that travel along an arrow
	// ("tcp/443"), keyed by the arrow.
	Labels map[Edge]string
}

// NodesIn returns the nodes of one region.
func (g *Graph) NodesIn(region string) []Node {
	var out []Node
	for _, n := range g.Nodes {
		if n.Region == region {
			out = append(out, n)
		}
	}
	return out
}

// Node returns the node with that ID, or nil.
func (g *Graph) Node(id string) *Node {
	for i := range g.Nodes {
		if g.Nodes[i].ID == id {
			return &g.Nodes[i]
		}
	}
	return nil
}

// typeName is the last segment of a type token ("scalestack:aws:WebTier" → "WebTier").
func typeName(token string) string { return token[strings.LastIndex(token, ":")+1:] }

// NodeID is the ID of a component's node in a region: the component's name, followed by the
// region unless the name already ends with it ("lb-us-east-1"). Build adds the component's
// type when two components share a name.
func NodeID(component, region string) string {
	if strings.HasSuffix(component, region) {
		return ident(component)
	}
	return ident(component + "_" + region)
}

// Build derives the graph of a plan. Nodes are the components that own custom resources,
// split by the region of those resources (a resource with no region of its own counts in its
// component's main region). For every custom resource A and every resource B
// whose output flowed into one of A's inputs (PropertyDependencies), component(A) depends
// on component(B); the edge is drawn in the direction requests and data flow: from the
// main-path component nearer the user to the one further in (CDN → load balancer → group →
// database), from a source to what replicates it (primary database → cross-region replica),
// from backups, monitoring, network and certificates to what they protect, watch, host or
// secure, from a DNS zone to the certificates it validates, and from a backup plan to the
// vault in another region it copies to.
//
// Regions are ordered as in regionOrder (the primary first, say), then by name, Global last.
func Build(title string, p *testkit.Plan, regionOrder ...string) *Graph {
	g := &Graph{Title: title}
	regionLess := func(a, b string) bool { return regionLess(regionOrder, a, b) }
	// A resource whose region cannot be told (a child resource that sets no location, on a
	// provider without one) or that is global by nature (an Azure private DNS zone, location
	// "Global") is drawn in its component's main region: the region most of the component's
	// other resources are in. Only components with no regional resource at all (a Front Door
	// profile, an action group) are Global.
	counts := map[string]map[string]int{}
	for _, r := range p.Resources {
		if !r.Custom || r.IsProvider() {
			continue
		}
		comp, region := p.Component(r), r.Region()
		if comp == nil || region == "" || region == Global {
			continue
		}
		if counts[comp.URN] == nil {
			counts[comp.URN] = map[string]int{}
		}
		counts[comp.URN][region]++
	}
	mainRegion := func(compURN string) string {
		best, n := Global, 0
		for region, c := range counts[compURN] {
			if c > n || c == n && regionLess(region, best) {
				best, n = region, c
			}
		}
		return best
	}
	type nodeKey struct{ urn, region string }
	nodes := map[nodeKey]*Node{}
	// nodeOf places a resource: its owning component (itself for a component) and region.
	nodeOf := func(r *testkit.Resource) *Node {
		if r.IsProvider() {
			return nil
		}
		comp := r
		if r.Custom {
			comp = p.Component(r)
		}
		if comp == nil {
			return nil
		}
		region := ""
		if r.Custom {
			region = r.Region()
		}
		if region == "" || region == Global {
			region = mainRegion(comp.URN)
		}
		k := nodeKey{comp.URN, region}
		n := nodes[k]
		if n == nil {
			n = &Node{Component: comp.Name, Type: comp.Type, URN: comp.URN, Region: region, Capability: CapabilityOf(comp.Type)}
			nodes[k] = n
		}
		return n
	}
	type pair struct{ a, b *Node }
	deps := map[pair]bool{} // a depends on b
	for _, r := range p.Resources {
		if !r.Custom || r.IsProvider() {
			continue
		}
		a := nodeOf(r)
		if a == nil {
			continue
		}
		a.Resources++
		for _, urns := range r.PropertyDependencies {
			for _, u := range urns {
				other := p.ByURN(u)
				if other == nil {
					continue
				}
				if b := nodeOf(other); b != nil && b != a {
					deps[pair{a, b}] = true
				}
			}
		}
	}
	// A component referenced only as a whole (no custom resource of its own) is no node.
	for k, n := range nodes {
		if n.Resources == 0 {
			delete(nodes, k)
		}
	}
	// IDs: the component's name and region; components that share a name (a stack may name
	// its network and its load balancer both "app") add their type.
	urnsByName := map[string]map[string]bool{}
	for _, n := range nodes {
		if urnsByName[n.Component] == nil {
			urnsByName[n.Component] = map[string]bool{}
		}
		urnsByName[n.Component][n.URN] = true
	}
	for _, n := range nodes {
		n.ID = NodeID(n.Component, n.Region)
		if len(urnsByName[n.Component]) > 1 {
			n.ID = NodeID(n.Component+"_"+typeName(n.Type), n.Region)
		}
	}
	edges := map[Edge]bool{}
	for d := range deps {
		if d.a.Resources == 0 || d.b.Resources == 0 {
			continue
		}
		edges[direct(d.a, d.b)] = true
	}

	regions := map[string]bool{}
	for _, n := range nodes {
		g.Nodes = append(g.Nodes, *n)
		regions[n.Region] = true
	}
	for r := range regions {
		g.Regions = append(g.Regions, r)
	}
	sort.Slice(g.Regions, func(i, j int) bool { return regionLess(g.Regions[i], g.Regions[j]) })
	sort.Slice(g.Nodes, func(i, j int) bool {
		a, b := g.Nodes[i], g.Nodes[j]
		if a.Region != b.Region {
			return regionLess(a.Region, b.Region)
		}
		if ra, rb := displayRank(a.Capability), displayRank(b.Capability); ra != rb {
			return ra < rb
		}
		return a.Component < b.Component
	})
	for e := range edges {
		g.Edges = append(g.Edges, e)
	}
	sort.Slice(g.Edges, func(i, j int) bool {
		if g.Edges[i].From != g.Edges[j].From {
			return g.Edges[i].From < g.Edges[j].From
		}
		return g.Edges[i].To < g.Edges[j].To
	})
	g.Labels = flowLabels(p, g.Edges, func(r *testkit.Resource) *Node {
		if n := nodeOf(r); n != nil && n.ID != "" {
			return n
		}
		return nil
	}, nodes2slice(nodes))
	return g
}

func nodes2slice[K comparable](m map[K]*Node) []*Node {
	out := make([]*Node, 0, len(m))
	for _, n := range m {
		if n.ID != "" {
			out = append(out, n)
		}
	}
	return out
}

// flowLabels puts the ports of every declared network flow on the arrow between the nodes
// of its two ends (either direction). A flow from CloudFront or Front Door starts at the
// CDN nodes.
func flowLabels(p *testkit.Plan, edges []Edge, nodeOf func(*testkit.Resource) *Node, all []*Node) map[Edge]string {
	ends := func(ref flows.Ref) []*Node {
		var out []*Node
		if ref.Source == flows.CloudFront || ref.Source == flows.AzureFrontDoor {
			for _, n := range all {
				if n.Capability == CDN {
					out = append(out, n)
				}
			}
			return out
		}
		r := p.ByURN(ref.URN)
		if r == nil {
			return nil
		}
		rs := []*testkit.Resource{r}
		if ref.Type != "" {
			rs = nil
			for _, d := range p.Descendants(r.URN) {
				if d.Type == ref.Type && (ref.Name == "" || d.Name == ref.Name) {
					rs = append(rs, d)
				}
			}
		}
		for _, x := range rs {
			if n := nodeOf(x); n != nil {
				out = append(out, n)
			}
		}
		return out
	}
	byEdge := map[Edge][]string{}
	index := map[[2]string]Edge{}
	for _, e := range edges {
		index[[2]string{e.From, e.To}] = e
		index[[2]string{e.To, e.From}] = e
	}
	for _, f := range p.Flows().Flows {
		if f.Flow.Kind != flows.Network {
			continue
		}
		for _, a := range ends(f.Flow.From) {
			for _, b := range ends(f.Flow.To) {
				if e, ok := index[[2]string{a.ID, b.ID}]; ok && a.ID != b.ID {
					byEdge[e] = append(byEdge[e], f.Flow.Label())
				}
			}
		}
	}
	out := map[Edge]string{}
	for e, ls := range byEdge {
		sort.Strings(ls)
		var uniq []string
		for i, l := range ls {
			if i == 0 || l != ls[i-1] {
				uniq = append(uniq, l)
			}
		}
		out[e] = strings.Join(uniq, ", ")
	}
	return out
}

// direct turns "dependent depends on dependency" into an arrow. A component of no known
// capability only "uses" what it depends on (and is used by what depends on it).
func direct(dependent, dependency *Node) Edge {
	switch {
	case dependent.Capability == Certificate && dependency.Capability == DNS:
		return Edge{From: dependency.ID, To: dependent.ID, Kind: Validates}
	case dependent.Capability == Backup && dependency.Capability == Backup:
		return Edge{From: dependent.ID, To: dependency.ID, Kind: CopiesTo}
	case isSide(dependent.Capability) && isSide(dependency.Capability),
		dependent.Capability == Other || dependency.Capability == Other:
		return Edge{From: dependent.ID, To: dependency.ID, Kind: Uses}
	}
	if kind, side := sideKind(dependency.Capability); side {
		return Edge{From: dependency.ID, To: dependent.ID, Kind: kind}
	}
	if kind, side := sideKind(dependent.Capability); side {
		return Edge{From: dependent.ID, To: dependency.ID, Kind: kind}
	}
	if dependent.Capability == DNS && dependency.Capability == DNS && strings.HasSuffix(dependency.Type, "Zone") {
		// a zone holds its records
		return Edge{From: dependency.ID, To: dependent.ID, Kind: Serves}
	}
	if dependent.Capability == DNS || dependent.Capability == CDN {
		// a name or an edge cache points at its target (the apex at the CDN or the failover
		// name, the CDN at its origin name, a failover record at the load balancers): traffic
		// flows from it to what it depends on
		return Edge{From: dependent.ID, To: dependency.ID, Kind: Serves}
	}
	ra, _ := dependent.Capability.rank()
	rb, _ := dependency.Capability.rank()
	switch {
	case ra < rb: // the CDN's origin is the load balancer: CDN serves from it
		return Edge{From: dependent.ID, To: dependency.ID, Kind: Serves}
	case ra > rb: // the group registers with the load balancer's target group
		return Edge{From: dependency.ID, To: dependent.ID, Kind: Serves}
	default: // same capability: the source feeds its copy (primary → replica)
		return Edge{From: dependency.ID, To: dependent.ID, Kind: Serves}
	}
}

func isSide(c Capability) bool {
	_, side := sideKind(c)
	return side
}

func sideKind(c Capability) (EdgeKind, bool) {
	switch c {
	case Backup:
		return BacksUp, true
	case Monitoring:
		return Watches, true
	case Network:
		return Hosts, true
	case Certificate, Firewall:
		return Secures, true
	}
	return "", false
}

func displayRank(c Capability) int {
	for i, x := range Capabilities {
		if x == c {
			return i
		}
	}
	return len(Capabilities)
}

// regionLess sorts the regions of order first, in that order, then by name, Global last.
func regionLess(order []string, a, b string) bool {
	pos := func(r string) int {
		for i, o := range order {
			if o == r {
				return i
			}
		}
		return len(order)
	}
	if pa, pb := pos(a), pos(b); pa != pb {
		return pa < pb
	}
	if (a == Global) != (b == Global) {
		return b == Global
	}
	return a < b
}

// ident keeps letters and digits and turns every other rune into "_".
func ident(s string) string {
	var b strings.Builder
	b.WriteString("n_")
	for _, r := range s {
		if r < 128 && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	return b.String()
}
