package backend

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/pulumi/pulumi-gcp/sdk/v7/go/gcp"
	"github.com/pulumi/pulumi-gcp/sdk/v7/go/gcp/compute"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scalestack/scalestack/policies/flows"
	"github.com/scalestack/scalestack/testkit"
)

func withTiers() *Args {
	a := full()
	a.Cache = Cache{Enabled: true, Replicas: 1, MemoryGB: 6}
	a.Queue = Queue{Enabled: true, MaxDeliveryAttempts: 7, Workers: Workers{MinSize: 2, MaxSize: 12, BacklogPerWorker: 50}}
	return a
}

// TestMemorystorePrivateServiceAccessWaitsForTheConnection: with connectMode
// PRIVATE_SERVICE_ACCESS, Memorystore takes its IP from the allocated range of the network's
// private services connection, which must exist before the instance is created ("Before you
// can create an instance with private services access, you must ... create a private
// connection", https://cloud.google.com/memorystore/docs/redis/networking#private_services_access).
// The cache's authorizedNetwork is the connection's network output, so it waits for it, and
// the range it shares with Cloud SQL is the one the egress rules name.
func TestMemorystorePrivateServiceAccessWaitsForTheConnection(t *testing.T) {
	plan, _ := run(t, withTiers(), true)
	redis := plan.Find("gcp:redis/instance:Instance", "app-cache")
	require.NotNil(t, redis)
	conn := plan.Find("gcp:servicenetworking/connection:Connection", "app-private-services")
	assert.True(t, redis.InputFrom("authorizedNetwork", conn), "the cache waits for the private services connection")
	assert.Equal(t, "PRIVATE_SERVICE_ACCESS", redis.InputString("connectMode"))
	assert.Equal(t, "SERVER_AUTHENTICATION", redis.InputString("transitEncryptionMode"))
	assert.Equal(t, true, redis.Input("authEnabled"))
	assert.Equal(t, "STANDARD_HA", redis.InputString("tier"))
	assert.Equal(t, 6.0, redis.Input("memorySizeGb"))
	assert.Equal(t, "gcp-us-central1", redis.ProviderResource().Name, "the cache is in the primary region")
	sql := plan.Find("gcp:sql/databaseInstance:DatabaseInstance", "app-db")
	assert.True(t, sql.InputFrom("settings", conn), "Cloud SQL uses the same connection")

	rng := plan.Find("gcp:compute/globalAddress:GlobalAddress", "app-private-services")
	for _, fw := range []string{"app-allow-cache", "app-deny-cache"} {
		r := plan.Find("gcp:compute/firewall:Firewall", fw)
		assert.Equal(t, "EGRESS", r.InputString("direction"), fw)
		assert.True(t, r.InputFrom("destinationRanges", rng), "%s names the private services range", fw)
	}
	allow := plan.Find("gcp:compute/firewall:Firewall", "app-allow-cache")
	assert.Equal(t, []any{"app-web", "app-worker"}, allow.Input("targetTags"))
	assert.Equal(t, []any{"6378"}, allow.Input("allows.0.ports"))
	deny := plan.Find("gcp:compute/firewall:Firewall", "app-deny-cache")
	assert.Nil(t, deny.Input("targetTags"), "the deny applies to every other instance")
	assert.Greater(t, deny.Input("priority"), allow.Input("priority"), "the allow is evaluated first")
}

// TestCacheAuthStringStaysSecret: the AUTH string is read with redis.instances.getAuthString
// (https://cloud.google.com/memorystore/docs/redis/about-redis-auth); rather than a role on
// the instance (which also reads its configuration), it is stored in Secret Manager and the
// web and worker service accounts get roles/secretmanager.secretAccessor on that one secret.
// secretData is a Pulumi secret (pulumi-gcp SecretVersion wraps it), so it is never in plain
// state.
func TestCacheAuthStringStaysSecret(t *testing.T) {
	plan, _ := run(t, withTiers(), true)
	redis := plan.Find("gcp:redis/instance:Instance", "app-cache")
	secret := plan.Find("gcp:secretmanager/secret:Secret", "app-cache-auth")
	version := plan.Find("gcp:secretmanager/secretVersion:SecretVersion", "app-cache-auth")
	assert.True(t, version.InputFrom("secret", secret))
	assert.True(t, version.InputFrom("secretData", redis), "the AUTH string comes from the instance")
	assert.True(t, version.IsSecret("secretData"), "secretData is a Pulumi secret")
	grants := plan.ByType("gcp:secretmanager/secretIamMember:SecretIamMember")
	require.Len(t, grants, 3, "two web tiers and the workers")
	for _, g := range grants {
		assert.Equal(t, SecretAccessorRole, g.InputString("role"), g.Name)
		assert.True(t, g.InputFrom("secretId", secret), "%s is on the AUTH secret only", g.Name)
	}
	for _, r := range plan.ByType("gcp:projects/iAMMember:IAMMember") {
		assert.NotContains(t, r.InputString("role"), "redis", "no project-wide Memorystore role")
		assert.NotContains(t, r.InputString("role"), "secretmanager", "no project-wide Secret Manager role")
	}
	tmpl := plan.Find("gcp:compute/instanceTemplate:InstanceTemplate", "app-web-primary")
	assert.Equal(t, secret.Output("id"), tmpl.Input("metadata."+MetadataCacheAuthSecret), "instances learn the secret's name, never its value")
	assert.True(t, tmpl.InputFrom("metadata", secret))
	assert.Equal(t, "6378", tmpl.InputString("metadata."+MetadataCachePort))
	for _, r := range plan.Resources {
		for _, k := range []string{"metadata", "metadataStartupScript"} {
			assert.NotContains(t, r.InputString(k), "mock-auth-", "%s carries no AUTH string", r.Name)
		}
	}
}

// TestWorkersScaleOnTheirSubscriptionsBacklog: the worker autoscaler holds
// pubsub.googleapis.com/subscription/num_undelivered_messages of the queue's work subscription
// (not the dead-letter one) at BacklogPerWorker per instance with singleInstanceAssignment, the
// per-group form Google documents for Pub/Sub
// (https://cloud.google.com/compute/docs/autoscaler/scaling-cloud-monitoring-metrics#per_group_metrics);
// the subscription's dead-letter policy names the dead-letter topic after MaxDeliveryAttempts.
func TestWorkersScaleOnTheirSubscriptionsBacklog(t *testing.T) {
	plan, _ := run(t, withTiers(), true)
	sub := plan.Find("gcp:pubsub/subscription:Subscription", "app-queue")
	dlq := plan.Find("gcp:pubsub/topic:Topic", "app-queue-dlq")
	assert.True(t, sub.InputFrom("deadLetterPolicy", dlq), "the DLQ is wired")
	assert.Equal(t, 7.0, sub.Input("deadLetterPolicy.maxDeliveryAttempts"))
	as := plan.Find("gcp:compute/regionAutoscaler:RegionAutoscaler", "app-worker")
	mig := plan.Find("gcp:compute/regionInstanceGroupManager:RegionInstanceGroupManager", "app-worker")
	assert.True(t, as.InputFrom("target", mig))
	assert.Equal(t, "pubsub.googleapis.com/subscription/num_undelivered_messages", as.InputString("autoscalingPolicy.metrics.0.name"))
	assert.True(t, as.InputFrom("autoscalingPolicy", sub), "the metric filter names the work subscription")
	assert.Contains(t, as.InputString("autoscalingPolicy.metrics.0.filter"), `subscription_id = "`+sub.Output("name").(string)+`"`)
	assert.Equal(t, 50.0, as.Input("autoscalingPolicy.metrics.0.singleInstanceAssignment"))
	assert.Equal(t, 2.0, as.Input("autoscalingPolicy.minReplicas"))
	assert.Equal(t, 12.0, as.Input("autoscalingPolicy.maxReplicas"))
	assert.Equal(t, "gcp-us-central1", mig.ProviderResource().Name, "the workers are in the primary region")

	// Least privilege: publisher on the work topic for each web tier, subscriber on the work
	// subscription for the workers, nothing project-wide for Pub/Sub.
	topic := plan.Find("gcp:pubsub/topic:Topic", "app-queue")
	for _, key := range []string{"primary", "secondary"} {
		pub := plan.Find("gcp:pubsub/topicIAMMember:TopicIAMMember", "app-web-"+key+"-publisher")
		require.NotNil(t, pub, key)
		assert.Equal(t, PublisherRole, pub.InputString("role"))
		assert.True(t, pub.InputFrom("topic", topic), "%s publishes to the work topic only", key)
		assert.True(t, pub.InputFrom("member", plan.Find("gcp:serviceaccount/account:Account", "app-web-"+key)))
	}
	consume := plan.Find("gcp:pubsub/subscriptionIAMMember:SubscriptionIAMMember", "app-worker-subscriber")
	assert.True(t, consume.InputFrom("subscription", sub))
	assert.True(t, consume.InputFrom("member", plan.Find("gcp:serviceaccount/account:Account", "app-worker")))
	for _, r := range plan.ByType("gcp:projects/iAMMember:IAMMember") {
		assert.NotContains(t, r.InputString("role"), "pubsub", "%s: no project-wide Pub/Sub role", r.Name)
	}
}

// TestCacheIsReachableOnlyFromWebAndWorkers proves with the flow evaluator both ways: the web
// tiers and the workers reach the cache on its TLS port, and an instance of the user's own in
// the same subnet, or the internet, does not (Memorystore has only a private IP; the egress
// deny keeps other instances of the VPC away).
func TestCacheIsReachableOnlyFromWebAndWorkers(t *testing.T) {
	plan, err := testkit.Run(func(ctx *pulumi.Context) error {
		p, err := gcp.NewProvider(ctx, "gcp-us-central1", &gcp.ProviderArgs{Project: pulumi.String("my-project"), Region: pulumi.String("us-central1")})
		if err != nil {
			return err
		}
		b, err := New(ctx, "app", withTiersOneRegion(), pulumi.Provider(p))
		if err != nil {
			return err
		}
		batch, err := compute.NewInstanceTemplate(ctx, "batch", &compute.InstanceTemplateArgs{
			MachineType: pulumi.String("e2-small"),
			Disks:       compute.InstanceTemplateDiskArray{compute.InstanceTemplateDiskArgs{SourceImage: pulumi.String("debian-12")}},
			NetworkInterfaces: compute.InstanceTemplateNetworkInterfaceArray{
				compute.InstanceTemplateNetworkInterfaceArgs{Subnetwork: b.PrimarySubnet},
			},
			Tags: pulumi.StringArray{pulumi.String("batch")},
		}, pulumi.Provider(p))
		if err != nil {
			return err
		}
		cacheEnd := flows.Below(b, "gcp:redis/instance:Instance")
		return flows.Declare(ctx, nil, pulumi.Map{},
			flows.Flow{Name: "batch → cache", Kind: flows.Network, From: flows.On(batch), To: cacheEnd, Port: CachePort},
			flows.Flow{Name: "internet → cache", Kind: flows.Network, From: flows.From(flows.Internet), To: cacheEnd, Port: CachePort},
		)
	})
	require.NoError(t, err)
	for _, name := range []string{"primary: web → cache", "workers → cache", "primary: web reads the cache AUTH string",
		"workers read the cache AUTH string", "primary: web publishes to the queue", "workers consume the subscription"} {
		testkit.AssertFlowAllowed(t, plan, name)
	}
	testkit.AssertNoEdgeBypass(t, plan)
	rep := plan.Flows()
	batch, ok := rep.Named("batch → cache")
	require.True(t, ok)
	assert.Equal(t, flows.Blocked, batch.Verdict)
	assert.Contains(t, batch.Reason, "egress firewall app-deny-cache (priority 1100) denies")
	internet, ok := rep.Named("internet → cache")
	require.True(t, ok)
	assert.Equal(t, flows.Blocked, internet.Verdict)
	assert.Contains(t, internet.Reason, "has only a private IP")

	// Without the egress deny, the other instance would reach the cache: the rule is what
	// keeps it out.
	without, _ := plan.FlowsWithout("app-deny-cache").Named("batch → cache")
	assert.Equal(t, flows.Allowed, without.Verdict)
	// Without the allow, the web tier would be denied too.
	web, _ := plan.FlowsWithout("app-allow-cache").Named("primary: web → cache")
	assert.Equal(t, flows.Blocked, web.Verdict)
}

func withTiersOneRegion() *Args {
	a := withTiers()
	a.Database.CrossRegionReplica = false
	return a
}

// TestCacheAndQueueAlerts: the cache policy watches Memorystore's memory usage ratio,
// main-thread CPU, evicted keys and (STANDARD_HA) replication lag on the redis_instance whose
// instance_id is the instance's full name; the queue's policies (oldest unacknowledged
// message, dead letters waiting) notify the backend's channel, which the monitoring component
// creates after the queue (a deferred output).
func TestCacheAndQueueAlerts(t *testing.T) {
	plan, _ := run(t, withTiers(), true)
	redis := plan.Find("gcp:redis/instance:Instance", "app-cache")
	p := plan.Find("gcp:monitoring/alertPolicy:AlertPolicy", "app-cache")
	require.NotNil(t, p)
	var filters []string
	for i := 0; i < 4; i++ {
		filters = append(filters, p.InputString("conditions."+string(rune('0'+i))+".conditionThreshold.filter"))
	}
	all := strings.Join(filters, "\n")
	for _, m := range []string{"stats/memory/usage_ratio", "stats/cpu_utilization_main_thread", "stats/evicted_keys", "replication/master/slaves/lag"} {
		assert.Contains(t, all, "redis.googleapis.com/"+m)
	}
	assert.Contains(t, filters[0], `resource.labels.instance_id = "`+redis.Output("id").(string)+`"`)
	assert.True(t, p.InputFrom("conditions", redis))
	ch := plan.Find("gcp:monitoring/notificationChannel:NotificationChannel", "app-email")
	for _, key := range []string{"app-queue-oldest-message", "app-queue-dlq-not-empty"} {
		q := plan.Find("gcp:monitoring/alertPolicy:AlertPolicy", key)
		require.NotNil(t, q, key)
		assert.True(t, q.InputFrom("notificationChannels", ch), "%s notifies the backend's channel", key)
	}
	assert.NotNil(t, plan.Find("gcp:monitoring/alertPolicy:AlertPolicy", "app-at-max-workers"), "workers at their maximum")
}

// TestDashboardHasOneMosaicLayoutWithin48Columns: a Cloud Monitoring dashboard takes exactly
// one layout (gridLayout, mosaicLayout, rowLayout or columnLayout; mosaicLayout here), a mosaic
// grid of at most 48 columns, and tiles within them
// (https://cloud.google.com/monitoring/api/ref_v3/rest/v1/projects.dashboards#mosaiclayout);
// it shows requests, errors, latency percentiles, instances, database CPU, connections and
// replica lag, cache hit ratio, queue backlog and oldest message age (its console URL is a
// stack output: stacks/gcp TestDashboardURLIsAStackOutput).
func TestDashboardHasOneMosaicLayoutWithin48Columns(t *testing.T) {
	plan, _ := run(t, withTiers(), true)
	d := plan.Find("gcp:monitoring/dashboard:Dashboard", "app-oncall")
	require.NotNil(t, d)
	var body struct {
		MosaicLayout struct {
			Columns int `json:"columns"`
			Tiles   []struct {
				XPos, Width int
				Widget      struct {
					Title string `json:"title"`
				} `json:"widget"`
			} `json:"tiles"`
		} `json:"mosaicLayout"`
	}
	require.NoError(t, json.Unmarshal([]byte(d.InputString("dashboardJson")), &body))
	var layouts map[string]json.RawMessage
	require.NoError(t, json.Unmarshal([]byte(d.InputString("dashboardJson")), &layouts))
	n := 0
	for _, k := range []string{"gridLayout", "mosaicLayout", "rowLayout", "columnLayout"} {
		if _, ok := layouts[k]; ok {
			n++
		}
	}
	assert.Equal(t, 1, n, "exactly one layout")
	assert.Equal(t, 48, body.MosaicLayout.Columns)
	var titles []string
	for _, tl := range body.MosaicLayout.Tiles {
		assert.LessOrEqual(t, tl.XPos+tl.Width, 48, tl.Widget.Title)
		titles = append(titles, tl.Widget.Title)
	}
	all := strings.Join(titles, "\n")
	for _, want := range []string{"Requests", "5xx", "Latency p50 / p95 / p99", "Web instances (primary)", "Web instances (secondary)",
		"Database CPU", "Database connections", "Database replica lag", "Cache hit ratio", "Queue backlog",
		"Oldest unacknowledged message age", "Dead letters", "Workers"} {
		assert.Contains(t, all, want)
	}
	sub := plan.Find("gcp:pubsub/subscription:Subscription", "app-queue")
	assert.Contains(t, d.InputString("dashboardJson"), `subscription_id = \"`+sub.Output("name").(string)+`\"`)
	assert.NotContains(t, d.InputString("dashboardJson"), "{{", "every placeholder is filled")
}
