package graph_test

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scalestack/scalestack/cmd/scalestack/internal/graph"
	"github.com/scalestack/scalestack/testkit"
)

type component struct{ pulumi.ResourceState }
type provider struct{ pulumi.ProviderResourceState }
type custom struct{ pulumi.CustomResourceState }

// Two components may share a name ("app" network, "app" load balancer): they stay two nodes.
func TestComponentsSharingANameAreDistinctNodes(t *testing.T) {
	plan, err := testkit.Run(func(ctx *pulumi.Context) error {
		p := &provider{}
		if err := ctx.RegisterResource("pulumi:providers:gcp", "gcp-us-central1", pulumi.Map{"region": pulumi.String("us-central1")}, p); err != nil {
			return err
		}
		net, lb := &component{}, &component{}
		if err := ctx.RegisterComponentResource("scalestack:gcp:Network", "app", net, pulumi.Provider(p)); err != nil {
			return err
		}
		if err := ctx.RegisterComponentResource("scalestack:gcp:LoadBalancer", "app", lb, pulumi.Provider(p)); err != nil {
			return err
		}
		vpc := &custom{}
		if err := ctx.RegisterResource("gcp:compute/network:Network", "app", pulumi.Map{}, vpc, pulumi.Parent(net)); err != nil {
			return err
		}
		return ctx.RegisterResource("gcp:compute/backendService:BackendService", "app", pulumi.Map{"network": vpc.ID()}, &custom{}, pulumi.Parent(lb))
	})
	require.NoError(t, err)
	g := graph.Build("names", plan)
	require.Len(t, g.Nodes, 2)
	assert.Equal(t, "n_app_LoadBalancer_us_central1", g.Nodes[0].ID)
	assert.Equal(t, "n_app_Network_us_central1", g.Nodes[1].ID)
	assert.Equal(t, []graph.Edge{{From: "n_app_Network_us_central1", To: "n_app_LoadBalancer_us_central1", Kind: graph.Hosts}}, g.Edges)
}

// A child resource without a region of its own (default provider, no location) or located
// "Global" is drawn in its component's main region; a component with no regional resource at
// all is Global.
func TestResourcesWithoutRegionJoinTheirComponent(t *testing.T) {
	plan, err := testkit.Run(func(ctx *pulumi.Context) error {
		p := &provider{}
		if err := ctx.RegisterResource("pulumi:providers:azure-native", "azure-eastus2", pulumi.Map{}, p); err != nil {
			return err
		}
		db, edge := &component{}, &component{}
		if err := ctx.RegisterComponentResource("scalestack:azure:Database", "db", db, pulumi.Provider(p)); err != nil {
			return err
		}
		server := &custom{}
		if err := ctx.RegisterResource("azure-native:sql:Server", "db", pulumi.Map{"location": pulumi.String("eastus2")}, server, pulumi.Parent(db)); err != nil {
			return err
		}
		if err := ctx.RegisterResource("azure-native:sql:FirewallRule", "db-rule", pulumi.Map{"serverName": server.ID()}, &custom{}, pulumi.Parent(db)); err != nil {
			return err
		}
		if err := ctx.RegisterResource("azure-native:network:PrivateZone", "db-dns", pulumi.Map{"location": pulumi.String("Global")}, &custom{}, pulumi.Parent(db)); err != nil {
			return err
		}
		if err := ctx.RegisterComponentResource("scalestack:azure:CDN", "edge", edge); err != nil {
			return err
		}
		return ctx.RegisterResource("azure-native:cdn:Profile", "edge", pulumi.Map{}, &custom{}, pulumi.Parent(edge))
	})
	require.NoError(t, err)
	g := graph.Build("regions", plan)
	assert.Equal(t, []string{"eastus2", graph.Global}, g.Regions)
	require.Len(t, g.Nodes, 2)
	assert.Equal(t, graph.Node{ID: "n_db_eastus2", Component: "db", Type: "scalestack:azure:Database", URN: g.Nodes[0].URN,
		Region: "eastus2", Capability: graph.Database, Resources: 3}, g.Nodes[0])
	assert.Equal(t, "n_edge_global", g.Nodes[1].ID)
	assert.Empty(t, g.Edges, "a dependency inside one node is no edge")
}
