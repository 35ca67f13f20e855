package worker_test

import (
	"testing"

	"github.com/pulumi/pulumi-gcp/sdk/v7/go/gcp"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scalestack/scalestack/components/gcp/network"
	"github.com/scalestack/scalestack/components/gcp/queue"
	"github.com/scalestack/scalestack/components/gcp/worker"
	"github.com/scalestack/scalestack/policies/rules"
	"github.com/scalestack/scalestack/testkit"
)

const (
	typeAutoscaler = "gcp:compute/regionAutoscaler:RegionAutoscaler"
	typeMIG        = "gcp:compute/regionInstanceGroupManager:RegionInstanceGroupManager"
	typeTemplate   = "gcp:compute/instanceTemplate:InstanceTemplate"
	typeFirewall   = "gcp:compute/firewall:Firewall"
	typeSubIAM     = "gcp:pubsub/subscriptionIAMMember:SubscriptionIAMMember"
	typeProjectIAM = "gcp:projects/iAMMember:IAMMember"
	typeSA         = "gcp:serviceaccount/account:Account"
	typeSub        = "gcp:pubsub/subscription:Subscription"
)

func program(mutate func(*worker.Args)) func(*pulumi.Context) error {
	return func(ctx *pulumi.Context) error {
		p, err := gcp.NewProvider(ctx, "gcp-us-central1", &gcp.ProviderArgs{Project: pulumi.String("app-prod-1"), Region: pulumi.String("us-central1")})
		if err != nil {
			return err
		}
		in := pulumi.Provider(p)
		net, err := network.New(ctx, "app", &network.Args{}, in)
		if err != nil {
			return err
		}
		q, err := queue.New(ctx, "jobs", &queue.Args{}, in)
		if err != nil {
			return err
		}
		args := &worker.Args{
			Project: pulumi.String("app-prod-1"), Network: net.NetworkSelfLink, Subnetwork: net.PrimarySubnetSelfLink,
			Subscription: q.Subscription, SubscriptionName: q.SubscriptionName, MinSize: 2, MaxSize: 10,
		}
		if mutate != nil {
			mutate(args)
		}
		_, err = worker.New(ctx, "jobs-worker", args, in)
		return err
	}
}

func run(t *testing.T, mutate func(*worker.Args), opts ...testkit.Option) *testkit.Plan {
	t.Helper()
	plan, err := testkit.Run(program(mutate), opts...)
	require.NoError(t, err)
	return plan
}

func TestCountsAndPlacement(t *testing.T) {
	plan := run(t, nil)
	comp := plan.Find(worker.TypeToken, "jobs-worker")
	counts := map[string]int{}
	for _, r := range plan.Descendants(comp.URN) {
		counts[r.Type]++
	}
	assert.Equal(t, map[string]int{typeSA: 1, typeSubIAM: 1, typeProjectIAM: 2, typeFirewall: 1, typeTemplate: 1,
		"gcp:compute/healthCheck:HealthCheck": 1, typeMIG: 1, typeAutoscaler: 1}, counts)
	testkit.AssertPlaced(t, plan, comp, "us-central1")
}

// A per-group metric such as pubsub.googleapis.com/subscription/num_undelivered_messages is
// divided among the instances with singleInstanceAssignment, not held as a utilization
// target (pulumi-gcp v7.38.0 compute.RegionAutoscalerAutoscalingPolicyMetricArgs docs; Google
// Cloud "Scaling based on Cloud Monitoring metrics", per-group metrics).
func TestAutoscalerDividesTheSubscriptionBacklogAmongWorkers(t *testing.T) {
	plan := run(t, func(a *worker.Args) { a.BacklogPerWorker = 25 })
	as := plan.Find(typeAutoscaler, "jobs-worker")
	mig := plan.Find(typeMIG, "jobs-worker")
	sub := plan.Find(typeSub, "jobs")
	testkit.AssertWired(t, as, "target", mig)
	metric := as.Input("autoscalingPolicy.metrics").([]any)[0].(map[string]any)
	assert.Equal(t, worker.BacklogMetric, metric["name"])
	assert.Equal(t, float64(25), metric["singleInstanceAssignment"])
	assert.Nil(t, metric["target"], "not a utilization target")
	assert.Equal(t, `resource.type = "pubsub_subscription" AND resource.labels.subscription_id = "`+sub.Output("name").(string)+`"`, metric["filter"])
	testkit.AssertWired(t, as, "autoscalingPolicy", sub)
	assert.Equal(t, float64(2), as.Input("autoscalingPolicy.minReplicas"))
	assert.Equal(t, float64(10), as.Input("autoscalingPolicy.maxReplicas"))
}

// The workers' identity may consume their subscription and nothing else of Pub/Sub.
func TestServiceAccountSubscribesToItsSubscriptionOnly(t *testing.T) {
	plan := run(t, nil)
	sa := plan.Find(typeSA, "jobs-worker")
	grant := plan.Find(typeSubIAM, "jobs-worker-subscriber")
	assert.Equal(t, "roles/pubsub.subscriber", grant.Input("role"))
	testkit.AssertWired(t, grant, "member", sa)
	testkit.AssertWired(t, grant, "subscription", plan.Find(typeSub, "jobs"))
	for _, m := range plan.ByType(typeProjectIAM) {
		assert.NotContains(t, m.InputString("role"), "pubsub", "no project-wide Pub/Sub role")
	}
	tmpl := plan.Find(typeTemplate, "jobs-worker")
	testkit.AssertWired(t, tmpl, "serviceAccount", sa)
	assert.Empty(t, tmpl.Input("networkInterfaces").([]any)[0].(map[string]any)["accessConfigs"], "no public IP")
}

func TestOnlyHealthCheckersReachTheWorkers(t *testing.T) {
	plan := run(t, nil)
	fw := plan.Find(typeFirewall, "jobs-worker-health")
	assert.Equal(t, []any{"35.191.0.0/16", "130.211.0.0/22"}, fw.Input("sourceRanges"))
	assert.Equal(t, []any{"jobs-worker"}, fw.Input("targetTags"))
	assert.Equal(t, []any{map[string]any{"protocol": "tcp", "ports": []any{"8080"}}}, fw.Input("allows"))
	assert.Equal(t, []any{"jobs-worker"}, plan.Find(typeTemplate, "jobs-worker").Input("tags"))
}

func TestValidation(t *testing.T) {
	var registered int
	_, err := testkit.Run(func(ctx *pulumi.Context) error {
		_, err := worker.New(ctx, "w", &worker.Args{MinSize: 5, MaxSize: 2, BacklogPerWorker: -1, HealthPath: "x",
			Metadata: map[string]pulumi.StringInput{"enable-oslogin": pulumi.String("FALSE"), "Bad Key": pulumi.String("x")}})
		return err
	}, testkit.OnNewResource(func(*testkit.Resource) error { registered++; return nil }))
	require.Error(t, err)
	for _, want := range []string{`worker "w": `, `name "w" is not allowed`, "Project is required", "Subscription is required",
		"MaxSize 2 is not allowed: want MinSize (5) to 1000", "BacklogPerWorker -1 is not allowed", `HealthPath "x" is not allowed`,
		`Metadata key "enable-oslogin" is not allowed: the template sets it`, `Metadata key "Bad Key" is not allowed`} {
		assert.Contains(t, err.Error(), want)
	}
	assert.Zero(t, registered)
}

func TestWorkersPassThePolicyPack(t *testing.T) {
	plan := run(t, nil, testkit.DryRun(true), testkit.Stack("prod"))
	rep, err := plan.Policies(rules.Options{Environment: "prod"})
	require.NoError(t, err)
	var mandatory []string
	for _, v := range rep.Mandatory() {
		mandatory = append(mandatory, v.PolicyName+": "+v.Message)
	}
	assert.Empty(t, mandatory)
	for _, id := range []string{"gcp-tpl-hardening", "gcp-tpl-no-public-ip", "gcp-mig-autohealing", "stack-queue-dlq"} {
		assert.Empty(t, rep.ByRule(id), id)
	}
}
