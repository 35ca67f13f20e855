package gcpstack_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/scalestack/scalestack/policies/flows"
	"github.com/scalestack/scalestack/testkit"
)

// TestDeclaredFlowVerdicts lists the verdict of every flow the Google Cloud reference stack
// declares, dev and prod (run with -v to read them), and checks that each declaration names
// resources of the plan and that every one is ALLOWED with nothing reachable around the edge.
func TestDeclaredFlowVerdicts(t *testing.T) {
	checkFlows(t, run(t, devConfig()), []string{
		"primary: load balancer → web", "primary: web → database", "primary: web signs in to the database",
		"primary: web → cache", "primary: web reads the cache AUTH string", "primary: web publishes to the queue",
		"workers → cache", "workers read the cache AUTH string", "workers consume the subscription", "health checks → workers",
	})
	checkFlows(t, run(t, prodConfig(), testkit.Stack("prod")), nil)
}

func checkFlows(t *testing.T, plan *testkit.Plan, want []string) {
	t.Helper()
	rep := plan.Flows()
	t.Logf("flows and exposures:\n%s", rep.Table())
	var names []string
	for _, f := range rep.Flows {
		names = append(names, f.Flow.Name)
		assert.NotContains(t, f.Reason, "is not in the plan", "flow %q names a resource the plan does not have", f.Flow.Name)
		// Issue 11: on every cloud, dev and prod, every declared flow is ALLOWED.
		assert.Equal(t, flows.Allowed, f.Verdict, "flow %q: %s", f.Flow.Name, f.Reason)
	}
	for _, e := range rep.Exposures {
		assert.False(t, e.BypassesEdge, "%s is reachable from the internet without the edge: %s", e.Name, e.Reason)
	}
	if want != nil {
		assert.ElementsMatch(t, want, names)
	} else {
		assert.NotEmpty(t, names)
	}
}

// TestRemovingAFlowFixBlocksItsFlow takes issue 11's Google Cloud fixes out of the plan again:
// IAM database authentication needs a Cloud SQL user of type CLOUD_IAM_SERVICE_ACCOUNT for the
// service account, and the account needs roles/cloudsql.instanceUser (and client)
// (https://cloud.google.com/sql/docs/postgres/iam-logins). The explicit app-allow-db egress rule
// is not among them: a VPC's implied egress rule allows all egress
// (https://cloud.google.com/firewall/docs/firewalls#default_firewall_rules), so it documents the
// path rather than opening it.
func TestRemovingAFlowFixBlocksItsFlow(t *testing.T) {
	plan := run(t, devConfig())
	for _, c := range []struct{ remove, flow, words string }{
		{"app-db-iam-primary", "primary: web signs in to the database", "no IAM database user"},
		{"app-db-iam-primary-instance-user", "primary: web signs in to the database", "roles/cloudsql.instanceUser"},
	} {
		f, ok := plan.FlowsWithout(c.remove).Named(c.flow)
		assert.True(t, ok, "no flow named %q", c.flow)
		assert.Equal(t, flows.Blocked, f.Verdict, "without %s, %q", c.remove, c.flow)
		assert.Contains(t, f.Reason, c.words, "without %s, %q", c.remove, c.flow)
	}
}
