package gcpstack_test

import (
	"reflect"
	"sort"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	gcpstack "github.com/scalestack/scalestack/stacks/gcp"
	"github.com/scalestack/scalestack/testkit"
)

func tiersOff(cfg map[string]string) map[string]string {
	cfg["scalestack:cache"] = `{"enabled":false}`
	cfg["scalestack:queue"] = `{"enabled":false}`
	return cfg
}

// changedInputs lists the resources of before whose inputs differ in after (same URN).
func changedInputs(before, after *testkit.Plan) []string {
	var out []string
	for _, r := range before.Resources {
		n := after.ByURN(r.URN)
		if n != nil && !reflect.DeepEqual(r.Map(), n.Map()) {
			out = append(out, r.Type+" "+r.Name)
		}
	}
	sort.Strings(out)
	return out
}

// TestAddingTheCacheAndQueueKeepsEveryURN is what `scalestack diff` shows when an existing
// stack takes the new defaults (cache and queue on): every URN of the stack without them is
// still there (nothing is renamed or deleted), no stateful resource changes, and the only
// updates are the web instance templates, whose metadata now names the cache, its AUTH secret
// and the topic (instance templates are immutable: a new template replaces it, created before
// the old one is deleted under the same URN thanks to its name prefix, and the group rolls it
// out with its PROACTIVE update policy, surge first, no instance unavailable), and the dashboard, which gains the cache and
// queue tiles (updated in place).
func TestAddingTheCacheAndQueueKeepsEveryURN(t *testing.T) {
	for _, c := range []struct {
		name string
		cfg  func() map[string]string
		opts []testkit.Option
		want []string
	}{
		{"dev", devConfig, nil, []string{
			"gcp:compute/instanceTemplate:InstanceTemplate app-web-primary", "gcp:monitoring/dashboard:Dashboard app-oncall",
		}},
		{"prod", prodConfig, []testkit.Option{testkit.Stack("prod")}, []string{
			"gcp:compute/instanceTemplate:InstanceTemplate app-web-primary", "gcp:compute/instanceTemplate:InstanceTemplate app-web-secondary",
			"gcp:monitoring/dashboard:Dashboard app-oncall",
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			before := run(t, tiersOff(c.cfg()), c.opts...)
			after := run(t, c.cfg(), c.opts...)
			assert.Empty(t, testkit.MissingURNs(before, after), "adding the cache and the queue keeps every URN")
			assert.Equal(t, c.want, changedInputs(before, after), "only the web templates' metadata and the dashboard's tiles change (both updated in place)")
			for _, r := range before.Resources {
				if n := after.ByURN(r.URN); n != nil && r.Type == "gcp:sql/databaseInstance:DatabaseInstance" {
					assert.Equal(t, r.Map(), n.Map(), "%s, stateful, is untouched", r.Name)
				}
			}
			assert.Empty(t, before.ByType("gcp:redis/instance:Instance"))
			assert.Empty(t, before.ByType("gcp:pubsub/topic:Topic"))
			assert.Empty(t, before.ByType("gcp:secretmanager/secret:Secret"))
			assert.NotContains(t, before.Outputs, "cacheHost")
			assert.NotContains(t, before.Outputs, "queueTopic")
			assert.Len(t, after.ByType("gcp:redis/instance:Instance"), 1)
		})
	}
}

// TestTierOutputsAndDashboardURL: the stack exports where the cache and the queue are and the
// on-call dashboard's console URL
// (https://console.cloud.google.com/monitoring/dashboards/builder/<id>?project=<project>, the
// id being the last part of the dashboard's name projects/<p>/dashboards/<id>).
func TestTierOutputsAndDashboardURL(t *testing.T) {
	plan := run(t, prodConfig(), testkit.Stack("prod"))
	dash := plan.Find("gcp:monitoring/dashboard:Dashboard", "app-oncall")
	require.NotNil(t, dash)
	id := dash.Output("id").(string)
	assert.Equal(t, "https://console.cloud.google.com/monitoring/dashboards/builder/"+id[len("projects/my-project/"):]+"?project=my-project", plan.Outputs["dashboardUrl"])
	assert.EqualValues(t, 6378, plan.Outputs["cachePort"])
	assert.Regexp(t, `^10\.\d+\.\d+\.\d+$`, plan.Outputs["cacheHost"])
	assert.Equal(t, plan.Find("gcp:secretmanager/secret:Secret", "app-cache-auth").Output("id"), plan.Outputs["cacheAuthSecret"])
	assert.Regexp(t, `^projects/my-project/topics/app-queue-`, plan.Outputs["queueTopic"])
	assert.Regexp(t, `^projects/my-project/subscriptions/app-queue-`, plan.Outputs["queueSubscription"])
	assert.Regexp(t, `^projects/my-project/subscriptions/app-queue-dlq-`, plan.Outputs["deadLetterSubscription"])
	assert.Contains(t, plan.Outputs["notes"], gcpstack.SecondaryRegionTiersNote)

	redis := plan.Find("gcp:redis/instance:Instance", "app-cache")
	assert.Equal(t, "STANDARD_HA", redis.InputString("tier"), "prod: the cache survives a zone loss")
	assert.Equal(t, 6.0, redis.Input("memorySizeGb"))
	assert.Equal(t, "READ_REPLICAS_ENABLED", redis.InputString("readReplicasMode"), "6 GB nodes take read replicas")
	dev := run(t, devConfig()).Find("gcp:redis/instance:Instance", "app-cache")
	assert.Equal(t, "BASIC", dev.InputString("tier"), "dev: cache.replicas 0")
	assert.Contains(t, gcpstack.APIs(false, true, true), "redis.googleapis.com")
	assert.Contains(t, gcpstack.APIs(false, true, true), "secretmanager.googleapis.com")
	assert.Contains(t, gcpstack.APIs(false, true, true), "pubsub.googleapis.com")
	assert.NotContains(t, gcpstack.APIs(false, false, false), "pubsub.googleapis.com")
}

// TestQueueConfigMapsOntoPubSub: scalestack:queue's keys land on the subscription and the
// worker autoscaler (maxReceiveCount → maxDeliveryAttempts, visibilityTimeoutSeconds → the
// ack deadline, retentionDays → message retention).
func TestQueueConfigMapsOntoPubSub(t *testing.T) {
	cfg := devConfig()
	cfg["scalestack:queue"] = `{"maxReceiveCount":9,"retentionDays":3,"visibilityTimeoutSeconds":300,"workers":{"minSize":2,"maxSize":7,"backlogPerWorker":40}}`
	plan := run(t, cfg)
	sub := plan.Find("gcp:pubsub/subscription:Subscription", "app-queue")
	assert.Equal(t, 9.0, sub.Input("deadLetterPolicy.maxDeliveryAttempts"))
	assert.Equal(t, 300.0, sub.Input("ackDeadlineSeconds"))
	assert.Equal(t, "259200s", sub.InputString("messageRetentionDuration"))
	as := plan.Find("gcp:compute/regionAutoscaler:RegionAutoscaler", "app-worker")
	assert.Equal(t, 2.0, as.Input("autoscalingPolicy.minReplicas"))
	assert.Equal(t, 7.0, as.Input("autoscalingPolicy.maxReplicas"))
	assert.Equal(t, 40.0, as.Input("autoscalingPolicy.metrics.0.singleInstanceAssignment"))
}
