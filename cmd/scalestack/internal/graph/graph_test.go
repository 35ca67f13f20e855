package graph_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scalestack/scalestack/cmd/scalestack/internal/fixture"
	"github.com/scalestack/scalestack/cmd/scalestack/internal/graph"
	"github.com/scalestack/scalestack/testkit"
)

func build(t *testing.T, o fixture.Options) *graph.Graph {
	t.Helper()
	plan, err := testkit.RunExports(fixture.Program(o), testkit.DryRun(true))
	require.NoError(t, err)
	return graph.Build("fixture", plan, fixture.Primary, fixture.Secondary)
}

type node struct {
	id, component, region string
	capability            graph.Capability
	resources             int
}

func TestNodesAreComponentsPerRegion(t *testing.T) {
	g := build(t, fixture.Options{Replicas: 1, Secondary: true})
	want := []node{
		{"n_lb_us_east_1", "lb-us-east-1", "us-east-1", graph.LoadBalancer, 2},
		{"n_web_us_east_1", "web-us-east-1", "us-east-1", graph.Autoscaling, 1},
		{"n_db_us_east_1", "db", "us-east-1", graph.Database, 2},
		{"n_backup_us_east_1", "backup", "us-east-1", graph.Backup, 2},
		{"n_alarms_us_east_1", "alarms", "us-east-1", graph.Monitoring, 2},
		{"n_net_us_east_1", "net", "us-east-1", graph.Network, 2},
		{"n_lb_us_west_2", "lb-us-west-2", "us-west-2", graph.LoadBalancer, 2},
		{"n_web_us_west_2", "web-us-west-2", "us-west-2", graph.Autoscaling, 1},
		{"n_db_us_west_2", "db", "us-west-2", graph.Database, 1},
		{"n_backup_us_west_2", "backup", "us-west-2", graph.Backup, 1},
		{"n_alarms_us_west_2", "alarms", "us-west-2", graph.Monitoring, 1},
		{"n_cdn_global", "cdn", graph.Global, graph.CDN, 1},
	}
	var got []node
	for _, n := range g.Nodes {
		got = append(got, node{n.ID, n.Component, n.Region, n.Capability, n.Resources})
	}
	assert.Equal(t, want, got)
	assert.Equal(t, []string{"us-east-1", "us-west-2", graph.Global}, g.Regions)
	assert.Equal(t, "scalestack:aws:Database", g.Node("n_db_us_west_2").Type,
		"the cross-region replica is drawn as the database component in the secondary region")
}

func TestEdgesFollowTheResourceGraph(t *testing.T) {
	g := build(t, fixture.Options{Replicas: 1, Secondary: true})
	want := []graph.Edge{
		{From: "n_alarms_us_east_1", To: "n_db_us_east_1", Kind: graph.Watches},
		{From: "n_alarms_us_east_1", To: "n_web_us_east_1", Kind: graph.Watches},
		{From: "n_alarms_us_west_2", To: "n_web_us_west_2", Kind: graph.Watches},
		{From: "n_backup_us_east_1", To: "n_db_us_east_1", Kind: graph.BacksUp},
		{From: "n_cdn_global", To: "n_lb_us_east_1", Kind: graph.Serves},
		{From: "n_cdn_global", To: "n_lb_us_west_2", Kind: graph.Serves},
		{From: "n_db_us_east_1", To: "n_db_us_west_2", Kind: graph.Serves},
		{From: "n_lb_us_east_1", To: "n_web_us_east_1", Kind: graph.Serves},
		{From: "n_lb_us_west_2", To: "n_web_us_west_2", Kind: graph.Serves},
		{From: "n_net_us_east_1", To: "n_db_us_east_1", Kind: graph.Hosts},
		{From: "n_net_us_east_1", To: "n_lb_us_east_1", Kind: graph.Hosts},
		{From: "n_net_us_east_1", To: "n_lb_us_west_2", Kind: graph.Hosts},
		{From: "n_net_us_east_1", To: "n_web_us_east_1", Kind: graph.Hosts},
		{From: "n_net_us_east_1", To: "n_web_us_west_2", Kind: graph.Hosts},
	}
	assert.Equal(t, want, g.Edges)
	// No edge for the backup vault in the secondary region: nothing flows into or out of it.
	for _, e := range g.Edges {
		assert.NotEqual(t, "n_backup_us_west_2", e.From)
		assert.NotEqual(t, "n_backup_us_west_2", e.To)
	}
}

func TestSingleRegionHasNoSecondaryNodes(t *testing.T) {
	g := build(t, fixture.Options{})
	assert.Equal(t, []string{"us-east-1", graph.Global}, g.Regions)
	assert.Len(t, g.Nodes, 7)
	assert.Empty(t, g.NodesIn("us-west-2"))
	assert.Nil(t, g.Node("n_db_us_west_2"))
	assert.Equal(t, 1, g.Node("n_db_us_east_1").Resources, "no replicas by default")
}

func TestEdgesComeFromDependenciesNotNames(t *testing.T) {
	// Renaming the database component changes every name but no wiring.
	g := build(t, fixture.Options{Secondary: true, Database: "orders"})
	assert.Contains(t, g.Edges, graph.Edge{From: "n_orders_us_east_1", To: "n_orders_us_west_2", Kind: graph.Serves})
	assert.Contains(t, g.Edges, graph.Edge{From: "n_backup_us_east_1", To: "n_orders_us_east_1", Kind: graph.BacksUp})
}

func TestMermaid(t *testing.T) {
	g := build(t, fixture.Options{Secondary: true})
	var b bytes.Buffer
	require.NoError(t, g.Render(&b, graph.Mermaid))
	want := `flowchart LR
  %% fixture
  subgraph n_region_us_east_1["us-east-1"]
    n_lb_us_east_1["lb-us-east-1<br/>LoadBalancer · 2 resources"]
    n_web_us_east_1["web-us-east-1<br/>WebTier · 1 resource"]
    n_db_us_east_1["db<br/>Database · 1 resource"]
    n_backup_us_east_1["backup<br/>Backup · 2 resources"]
    n_alarms_us_east_1["alarms<br/>Alarms · 2 resources"]
    n_net_us_east_1["net<br/>Network · 2 resources"]
  end
  subgraph n_region_us_west_2["us-west-2"]
    n_lb_us_west_2["lb-us-west-2<br/>LoadBalancer · 2 resources"]
    n_web_us_west_2["web-us-west-2<br/>WebTier · 1 resource"]
    n_db_us_west_2["db<br/>Database · 1 resource"]
    n_backup_us_west_2["backup<br/>Backup · 1 resource"]
    n_alarms_us_west_2["alarms<br/>Alarms · 1 resource"]
  end
  subgraph n_region_global["global"]
    n_cdn_global["cdn<br/>CDN · 1 resource"]
  end
  n_alarms_us_east_1 -.->|watches| n_db_us_east_1
  n_alarms_us_east_1 -.->|watches| n_web_us_east_1
  n_alarms_us_west_2 -.->|watches| n_web_us_west_2
  n_backup_us_east_1 -.->|backs up| n_db_us_east_1
  n_cdn_global --> n_lb_us_east_1
  n_cdn_global --> n_lb_us_west_2
  n_db_us_east_1 --> n_db_us_west_2
  n_lb_us_east_1 --> n_web_us_east_1
  n_lb_us_west_2 --> n_web_us_west_2
  n_net_us_east_1 -.->|hosts| n_db_us_east_1
  n_net_us_east_1 -.->|hosts| n_lb_us_east_1
  n_net_us_east_1 -.->|hosts| n_lb_us_west_2
  n_net_us_east_1 -.->|hosts| n_web_us_east_1
  n_net_us_east_1 -.->|hosts| n_web_us_west_2
`
	assert.Equal(t, want, b.String())
}

func TestDOT(t *testing.T) {
	g := build(t, fixture.Options{})
	var b bytes.Buffer
	require.NoError(t, g.Render(&b, graph.DOT))
	want := `digraph "fixture" {
  rankdir=LR;
  node [shape=box, style="rounded,filled", fillcolor="#f5f7fa", fontname="Helvetica"];
  edge [fontname="Helvetica", fontsize=10];
  label="fixture";
  labelloc=t;
  subgraph cluster_us_east_1 {
    label="us-east-1";
    style=rounded;
    n_lb_us_east_1 [label="lb-us-east-1\nLoadBalancer · 2 resources"];
    n_web_us_east_1 [label="web-us-east-1\nWebTier · 1 resource"];
    n_db_us_east_1 [label="db\nDatabase · 1 resource"];
    n_backup_us_east_1 [label="backup\nBackup · 2 resources"];
    n_alarms_us_east_1 [label="alarms\nAlarms · 2 resources"];
    n_net_us_east_1 [label="net\nNetwork · 2 resources"];
  }
  subgraph cluster_global {
    label="global";
    style=rounded;
    n_cdn_global [label="cdn\nCDN · 1 resource"];
  }
  n_alarms_us_east_1 -> n_db_us_east_1 [style=dashed, label="watches"];
  n_alarms_us_east_1 -> n_web_us_east_1 [style=dashed, label="watches"];
  n_backup_us_east_1 -> n_db_us_east_1 [style=dashed, label="backs up"];
  n_cdn_global -> n_lb_us_east_1;
  n_lb_us_east_1 -> n_web_us_east_1;
  n_net_us_east_1 -> n_db_us_east_1 [style=dashed, label="hosts"];
  n_net_us_east_1 -> n_lb_us_east_1 [style=dashed, label="hosts"];
  n_net_us_east_1 -> n_web_us_east_1 [style=dashed, label="hosts"];
}
`
	assert.Equal(t, want, b.String())
}

func TestRenderRejectsUnknownFormat(t *testing.T) {
	g := build(t, fixture.Options{})
	err := g.Render(&bytes.Buffer{}, "svg")
	require.Error(t, err)
	assert.Equal(t, `diagram format "svg" is not allowed: want mermaid or dot`, err.Error())
}

func TestDOTEscapesQuotes(t *testing.T) {
	g := &graph.Graph{Title: `say "hi"`}
	var b bytes.Buffer
	require.NoError(t, g.DOT(&b))
	assert.True(t, strings.HasPrefix(b.String(), `digraph "say \"hi\"" {`), b.String())
}

func TestCapabilityOf(t *testing.T) {
	cases := map[string]graph.Capability{
		"scalestack:aws:WebTier":          graph.Autoscaling,
		"scalestack:azure:ScaleSet":       graph.Autoscaling,
		"scalestack:gcp:InstanceGroup":    graph.Autoscaling,
		"scalestack:aws:LoadBalancer":     graph.LoadBalancer,
		"scalestack:azure:AppGateway":     graph.LoadBalancer,
		"scalestack:aws:Database":         graph.Database,
		"scalestack:azure:SqlDatabase":    graph.Database,
		"scalestack:aws:CDN":              graph.CDN,
		"scalestack:azure:FrontDoor":      graph.CDN,
		"scalestack:aws:Failover":         graph.DNS,
		"scalestack:aws:Zone":             graph.DNS,
		"scalestack:azure:TrafficManager": graph.DNS,
		"scalestack:aws:Backup":           graph.Backup,
		"scalestack:aws:DatabaseBackup":   graph.Backup,
		"scalestack:azure:RecoveryVault":  graph.Backup,
		"scalestack:aws:Alarms":           graph.Monitoring,
		"scalestack:gcp:DatabaseAlerts":   graph.Monitoring,
		"scalestack:aws:Network":          graph.Network,
		"scalestack:aws:Certificate":      graph.Certificate,
		"scalestack:aws:WebACL":           graph.Firewall,
		"scalestack:azure:ResourceGroup":  graph.Other,
		"scalestack:aws:Something":        graph.Other,
		"NoColons":                        graph.Other,
	}
	for token, want := range cases {
		assert.Equal(t, want, graph.CapabilityOf(token), token)
	}
}
