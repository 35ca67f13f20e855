package awsstack_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/scalestack/scalestack/policies/flows"
	"github.com/scalestack/scalestack/testkit"
)

// TestDeclaredFlowVerdicts lists the verdict of every flow the AWS reference stack declares,
// dev and prod (run with -v to read them), and checks that each declaration names resources
// of the plan and that every one is ALLOWED with nothing reachable around the edge.
func TestDeclaredFlowVerdicts(t *testing.T) {
	for _, c := range []struct {
		env  string
		cfg  map[string]string
		want []string
	}{
		{"dev", twoRegionDev, []string{
			"primary: CDN → load balancer", "primary: load balancer → web", "primary: web → database",
			"primary: web decrypts the database secret", "primary: web reads the database secret",
			"secondary: CDN → load balancer", "secondary: load balancer → web", "secondary: web → cross-region replica",
			"secondary: web decrypts the database secret", "secondary: web reads the database secret",
			"primary: web → cache", "primary: worker → cache",
			"primary: web reads the cache AUTH token", "primary: web decrypts the cache AUTH token",
			"primary: worker reads the cache AUTH token", "primary: worker decrypts the cache AUTH token",
			"primary: web sends to the queue", "primary: web encrypts queue messages",
			"secondary: web sends to the queue", "secondary: web encrypts queue messages",
			"primary: worker ReceiveMessage on the queue", "primary: worker DeleteMessage on the queue",
			"primary: worker ChangeMessageVisibility on the queue", "primary: worker decrypts queue messages",
		}},
		{"prod", map[string]string{"scalestack:environment": "prod", "scalestack:aws": `{"primaryRegion": "eu-west-1", "secondaryRegion": "eu-central-1"}`}, nil},
	} {
		t.Run(c.env, func(t *testing.T) {
			plan := runStack(t, c.cfg)
			checkFlows(t, plan, c.want)
		})
	}
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

// TestRemovingAFlowFixBlocksItsFlow takes each issue 11 fix out of the AWS plan again and
// proves the evaluator sees the defect, in words a user can act on: the Terraform AWS provider
// removes the default allow-all egress rule (terraform-provider-aws
// website/docs/r/security_group.html.markdown), so without the explicit egress rule nothing
// reaches 5432; without the data-access policy the role cannot read the RDS-managed secret or
// decrypt it with its key.
func TestRemovingAFlowFixBlocksItsFlow(t *testing.T) {
	plan := runStack(t, twoRegionDev)
	for _, c := range []struct{ remove, flow, words string }{
		{"backend-primary-web-to-db", "primary: web → database", "has no egress rule for tcp/5432"},
		{"backend-secondary-web-to-db", "secondary: web → cross-region replica", "has no egress rule for tcp/5432"},
		{"backend-primary-web-data-access", "primary: web reads the database secret", "no policy that allows secretsmanager:GetSecretValue"},
		{"backend-primary-web-data-access", "primary: web decrypts the database secret", "no policy that allows kms:Decrypt"},
		// Issue 13: the same provider rule for the cache's port, and the tiers' IAM.
		{"backend-cache-web-out", "primary: web → cache", "has no egress rule for tcp/6379"},
		{"backend-cache-worker-out", "primary: worker → cache", "has no egress rule for tcp/6379"},
		{"backend-primary-web-cache", "primary: web reads the cache AUTH token", "no policy that allows secretsmanager:GetSecretValue"},
		{"backend-worker-cache", "primary: worker decrypts the cache AUTH token", "no policy that allows kms:Decrypt"},
		{"backend-primary-web-queue", "primary: web sends to the queue", "no policy that allows sqs:SendMessage"},
		{"backend-secondary-web-queue", "secondary: web sends to the queue", "no policy that allows sqs:SendMessage"},
		{"backend-worker-queue", "primary: worker ReceiveMessage on the queue", "no policy that allows sqs:ReceiveMessage"},
	} {
		f, ok := plan.FlowsWithout(c.remove).Named(c.flow)
		assert.True(t, ok, "no flow named %q", c.flow)
		assert.Equal(t, flows.Blocked, f.Verdict, "without %s, %q", c.remove, c.flow)
		assert.Contains(t, f.Reason, c.words, "without %s, %q", c.remove, c.flow)
	}
}
