package azurestack_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scalestack/scalestack/policies/flows"
	"github.com/scalestack/scalestack/testkit"
)

// TestDeclaredFlowVerdicts lists the verdict of every flow the Azure reference stack declares,
// dev and prod (run with -v to read them), and checks that each declaration names resources
// of the plan and that every one is ALLOWED with nothing reachable around the edge.
func TestDeclaredFlowVerdicts(t *testing.T) {
	checkFlows(t, run(t, devConfig()), []string{
		"primary: Front Door → gateway", "primary: gateway → web", "primary: health probes → web", "primary: web → SQL primary", "primary: resolves SQL privately", "primary: web signs in to SQL primary",
		"primary: web → queue", "primary: worker → queue", "primary: resolves the queue privately",
		"primary: web sends to the queue", "primary: worker processes the queue", "primary: worker moves poison messages",
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

// TestRemovingAFlowFixBlocksItsFlow takes issue 11's Azure fixes out of the plan again: a
// private DNS zone resolves only in the virtual networks linked to it
// (https://learn.microsoft.com/azure/dns/private-dns-virtual-network-links), and a private
// endpoint answers only the network it sits in (without peering).
func TestRemovingAFlowFixBlocksItsFlow(t *testing.T) {
	plan := run(t, prodConfig(), testkit.Stack("prod"))
	for _, c := range []struct{ remove, flow, words string }{
		{"backend-db-secondary-dns-link", "secondary: resolves SQL privately", "is not linked to virtual network"},
		{"backend-db-secondary-pe-primary", "secondary: web → SQL primary", "is not in the plan"},
	} {
		f, ok := plan.FlowsWithout(c.remove).Named(c.flow)
		assert.True(t, ok, "no flow named %q", c.flow)
		assert.Equal(t, flows.Blocked, f.Verdict, "without %s, %q", c.remove, c.flow)
		assert.Contains(t, f.Reason, c.words, "without %s, %q", c.remove, c.flow)
	}
}

// During a preview the role assignments' scopes (the queues' IDs) are unknown; the stack names
// the role definitions in the deploying identity's subscription (getClientConfig), so they do
// not wait for the queues and the evaluator can prove the queue roles before anything exists (a
// role definition ID is /subscriptions/<id>/providers/Microsoft.Authorization/roleDefinitions/<role
// GUID>: https://learn.microsoft.com/azure/role-based-access-control/role-assignments-rest).
func TestQueueRolesAreNamedWithoutWaitingForTheQueues(t *testing.T) {
	plan := run(t, devConfig())
	queues := plan.ByType("azure-native:storage:Queue")
	ras := plan.ByType("azure-native:authorization:RoleAssignment")
	require.Len(t, ras, 3)
	for _, ra := range ras {
		assert.Regexp(t, "^/subscriptions/"+testkit.FakeAzureSubscriptionID+"/providers/Microsoft.Authorization/roleDefinitions/", ra.InputString("roleDefinitionId"), ra.Name)
		for _, q := range queues {
			assert.False(t, ra.InputFrom("roleDefinitionId", q), "%s: the role is known before %s exists", ra.Name, q.Name)
		}
	}
}
