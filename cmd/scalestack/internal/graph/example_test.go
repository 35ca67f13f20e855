package graph_test

import (
	"fmt"
	"os"

	"github.com/scalestack/scalestack/cmd/scalestack/internal/fixture"
	"github.com/scalestack/scalestack/cmd/scalestack/internal/graph"
	"github.com/scalestack/scalestack/testkit"
)

// Build a plan offline, derive its architecture and draw it as Mermaid.
func Example() {
	plan, err := testkit.RunExports(fixture.Program(fixture.Options{}), testkit.DryRun(true))
	if err != nil {
		fmt.Println(err)
		return
	}
	g := graph.Build("single region", plan, fixture.Primary)
	if err := g.Render(os.Stdout, graph.Mermaid); err != nil {
		fmt.Println(err)
	}
	// Output:
	// flowchart LR
	//   %% single region
	//   subgraph n_region_us_east_1["us-east-1"]
	//     n_lb_us_east_1["lb-us-east-1<br/>LoadBalancer · 2 resources"]
	//     n_web_us_east_1["web-us-east-1<br/>WebTier · 1 resource"]
	//     n_db_us_east_1["db<br/>Database · 1 resource"]
	//     n_backup_us_east_1["backup<br/>Backup · 2 resources"]
	//     n_alarms_us_east_1["alarms<br/>Alarms · 2 resources"]
	//     n_net_us_east_1["net<br/>Network · 2 resources"]
	//   end
	//   subgraph n_region_global["global"]
	//     n_cdn_global["cdn<br/>CDN · 1 resource"]
	//   end
	//   n_alarms_us_east_1 -.->|watches| n_db_us_east_1
	//   n_alarms_us_east_1 -.->|watches| n_web_us_east_1
	//   n_backup_us_east_1 -.->|backs up| n_db_us_east_1
	//   n_cdn_global --> n_lb_us_east_1
	//   n_lb_us_east_1 --> n_web_us_east_1
	//   n_net_us_east_1 -.->|hosts| n_db_us_east_1
	//   n_net_us_east_1 -.->|hosts| n_lb_us_east_1
	//   n_net_us_east_1 -.->|hosts| n_web_us_east_1
}

// The capability of a component comes from its type token.
func ExampleCapabilityOf() {
	for _, token := range []string{"scalestack:aws:WebTier", "scalestack:azure:FrontDoor", "scalestack:gcp:DatabaseAlerts"} {
		fmt.Println(token, "→", graph.CapabilityOf(token))
	}
	// Output:
	// scalestack:aws:WebTier → autoscaling
	// scalestack:azure:FrontDoor → cdn
	// scalestack:gcp:DatabaseAlerts → monitoring
}
