package gcpstack_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/scalestack/scalestack/policies/flows"
	"github.com/scalestack/scalestack/testkit"
)

// TestDeclaredFlowVerdicts lists the verdict of every flow the Google Cloud reference stack
// declares, dev and prod (run with -v to read them), and checks that each declaration names
// resources of the plan and that every BLOCKED verdict says what to add.
func TestDeclaredFlowVerdicts(t *testing.T) {
	checkFlows(t, run(t, devConfig()), []string{
		"primary: load balancer → web", "primary: web → database", "primary: web signs in to the database",
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
		if f.Verdict == flows.Blocked {
			assert.True(t, strings.Contains(f.Reason, "add") || strings.Contains(f.Reason, "attach") || strings.Contains(f.Reason, "give") ||
				strings.Contains(f.Reason, "set") || strings.Contains(f.Reason, "connect"),
				"flow %q: a BLOCKED verdict says what to do: %s", f.Flow.Name, f.Reason)
		}
	}
	if want != nil {
		assert.ElementsMatch(t, want, names)
	} else {
		assert.NotEmpty(t, names)
	}
}
