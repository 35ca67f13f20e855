package graph

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestDirect covers every rule that turns "A depends on B" into an arrow.
func TestDirect(t *testing.T) {
	n := func(id string, c Capability) *Node { return &Node{ID: id, Capability: c} }
	zone := &Node{ID: "zone", Type: "scalestack:aws:Zone", Capability: DNS}
	cases := []struct {
		name                  string
		dependent, dependency *Node
		want                  Edge
	}{
		{"cdn origin is the load balancer", n("cdn", CDN), n("lb", LoadBalancer), Edge{"cdn", "lb", Serves}},
		{"group registers with the load balancer", n("web", Autoscaling), n("lb", LoadBalancer), Edge{"lb", "web", Serves}},
		{"group reads the database endpoint", n("web", Autoscaling), n("db", Database), Edge{"web", "db", Serves}},
		{"replica of the primary", n("db-west", Database), n("db-east", Database), Edge{"db-east", "db-west", Serves}},
		{"dns record aliases the cdn", n("apex", DNS), n("cdn", CDN), Edge{"apex", "cdn", Serves}},
		{"record in the zone", n("apex", DNS), zone, Edge{"zone", "apex", Serves}},
		{"apex aliases the failover name", n("apex", DNS), n("failover", DNS), Edge{"apex", "failover", Serves}},
		{"cdn origin is the failover name", n("cdn", CDN), n("failover", DNS), Edge{"cdn", "failover", Serves}},
		{"failover record aliases the load balancer", n("failover", DNS), n("lb", LoadBalancer), Edge{"failover", "lb", Serves}},
		{"alarm on the database", n("alarms", Monitoring), n("db", Database), Edge{"alarms", "db", Watches}},
		{"backup selects the database", n("backup", Backup), n("db", Database), Edge{"backup", "db", BacksUp}},
		{"load balancer in the subnets", n("lb", LoadBalancer), n("net", Network), Edge{"net", "lb", Hosts}},
		{"cdn uses the web ACL", n("cdn", CDN), n("waf", Firewall), Edge{"waf", "cdn", Secures}},
		{"listener uses the certificate", n("lb", LoadBalancer), n("cert", Certificate), Edge{"cert", "lb", Secures}},
		{"certificate validated in the zone", n("cert", Certificate), n("zone", DNS), Edge{"zone", "cert", Validates}},
		{"plan copies to the other vault", n("backup-east", Backup), n("backup-west", Backup), Edge{"backup-east", "backup-west", CopiesTo}},
		{"alarms publish to a topic in the network component", n("alarms", Monitoring), n("net", Network), Edge{"alarms", "net", Uses}},
		{"unknown component uses the database", n("thing", Other), n("db", Database), Edge{"thing", "db", Uses}},
		{"cdn uses the pattern's resource group", n("cdn", CDN), n("backend", Other), Edge{"cdn", "backend", Uses}},
		{"alarms use an unknown component", n("alarms", Monitoring), n("thing", Other), Edge{"alarms", "thing", Uses}},
		{"two unknown components", n("a", Other), n("b", Other), Edge{"a", "b", Uses}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, direct(tc.dependent, tc.dependency))
		})
	}
}
