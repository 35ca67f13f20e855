package graph_test

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scalestack/scalestack/cmd/scalestack/internal/graph"
	"github.com/scalestack/scalestack/stacks"
	"github.com/scalestack/scalestack/testkit"
)

// The diagram labels an arrow with the ports of the declared network flows between its two
// components (the AWS reference stack declares load balancer → web on 8080 and web →
// database on 5432).
func TestArrowsCarryTheFlowsPorts(t *testing.T) {
	plan, err := testkit.RunExports(stacks.Build, testkit.DryRun(true), testkit.Config(map[string]string{
		"scalestack:cloud":  "aws",
		"scalestack:domain": `{"name": "app.example.com"}`,
		"scalestack:aws":    `{"primaryRegion": "us-east-1"}`,
	}))
	require.NoError(t, err)
	g := graph.Build("aws", plan, "us-east-1")
	labels := map[[2]string]string{}
	for e, l := range g.Labels {
		labels[[2]string{e.From, e.To}] = l
	}
	assert.Equal(t, "tcp/8080", labels[[2]string{"n_backend_primary_lb_us_east_1", "n_backend_primary_web_us_east_1"}])
	assert.Equal(t, "tcp/5432", labels[[2]string{"n_backend_primary_web_us_east_1", "n_backend_db_us_east_1"}])
	var b bytes.Buffer
	require.NoError(t, g.Render(&b, graph.Mermaid))
	assert.Contains(t, b.String(), "n_backend_primary_lb_us_east_1 -->|tcp/8080| n_backend_primary_web_us_east_1")
	b.Reset()
	require.NoError(t, g.Render(&b, graph.DOT))
	assert.Contains(t, b.String(), `n_backend_primary_lb_us_east_1 -> n_backend_primary_web_us_east_1 [label="tcp/8080"];`)
}
