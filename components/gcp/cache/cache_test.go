package cache_test

import (
	"testing"

	"github.com/pulumi/pulumi-gcp/sdk/v7/go/gcp"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scalestack/scalestack/components/gcp/cache"
	"github.com/scalestack/scalestack/components/gcp/network"
	"github.com/scalestack/scalestack/policies/rules"
	"github.com/scalestack/scalestack/testkit"
)

const typeRedis = "gcp:redis/instance:Instance"

func run(t *testing.T, mutate func(*cache.Args), opts ...testkit.Option) *testkit.Plan {
	t.Helper()
	plan, err := testkit.RunExports(program(mutate), opts...)
	require.NoError(t, err)
	return plan
}

// program places the cache in us-central1 on a network's private services range.
func program(mutate func(*cache.Args)) func(*pulumi.Context) (pulumi.Map, error) {
	return func(ctx *pulumi.Context) (pulumi.Map, error) {
		p, err := gcp.NewProvider(ctx, "gcp-us-central1", &gcp.ProviderArgs{Project: pulumi.String("app-prod-1"), Region: pulumi.String("us-central1")})
		if err != nil {
			return nil, err
		}
		in := pulumi.Provider(p)
		net, err := network.New(ctx, "app", &network.Args{}, in)
		if err != nil {
			return nil, err
		}
		args := &cache.Args{AuthorizedNetwork: net.PrivateNetwork, Labels: map[string]string{"team": "platform"}}
		if mutate != nil {
			mutate(args)
		}
		c, err := cache.New(ctx, "sessions", args, in)
		if err != nil {
			return nil, err
		}
		return pulumi.Map{"host": c.Host, "port": c.Port, "read": c.ReadEndpoint, "auth": c.AuthString, "ca": c.ServerCACerts, "id": c.InstanceID}, nil
	}
}

// preview runs the program as a preview (unknown outputs stay unknown; nothing is exported).
func preview(t *testing.T, mutate func(*cache.Args)) *testkit.Plan {
	t.Helper()
	plan, err := testkit.Run(func(ctx *pulumi.Context) error {
		_, err := program(mutate)(ctx)
		return err
	}, testkit.DryRun(true), testkit.Stack("prod"))
	require.NoError(t, err)
	return plan
}

func TestSecureByDefaultOnPrivateServicesAccess(t *testing.T) {
	plan := run(t, nil)
	comp := plan.Find(cache.TypeToken, "sessions")
	r := plan.Find(typeRedis, "sessions")
	require.NotNil(t, r)
	testkit.AssertPlaced(t, plan, comp, "us-central1")
	assert.Equal(t, true, r.Input("authEnabled"))
	assert.Equal(t, "SERVER_AUTHENTICATION", r.Input("transitEncryptionMode"))
	assert.Equal(t, "PRIVATE_SERVICE_ACCESS", r.Input("connectMode"))
	testkit.AssertWired(t, r, "authorizedNetwork", plan.Find("gcp:servicenetworking/connection:Connection", "app-private-services"))
	assert.Equal(t, map[string]any{"maxmemory-policy": "volatile-lru"}, r.Input("redisConfigs"))
	assert.Equal(t, "REDIS_7_2", r.Input("redisVersion"))
	assert.Equal(t, "SUNDAY", r.Input("maintenancePolicy.weeklyMaintenanceWindows").([]any)[0].(map[string]any)["day"])
	assert.EqualValues(t, 6378, plan.Outputs["port"], "TLS port")
	assert.NotEmpty(t, plan.Outputs["ca"])
}

// Memorystore tiers: BASIC takes replicaCount 0; STANDARD_HA without read replicas takes
// exactly 1; read replicas (1-5) need STANDARD_HA and nodes of at least 5 GB
// (pulumi-gcp v7.38.0 redis.InstanceArgs.ReplicaCount; "Read replicas are only supported for
// instance sizes with nodes >= 5 GB", https://cloud.google.com/memorystore/docs/redis/read-replicas).
func TestReadReplicasNeedStandardHAAndFiveGBNodes(t *testing.T) {
	for _, c := range []struct {
		name          string
		mutate        func(*cache.Args)
		tier, mode    string
		replicas      float64
		readEndpoints bool
	}{
		{"default: HA, no read replicas under 5 GB", nil, "STANDARD_HA", "READ_REPLICAS_DISABLED", 1, false},
		{"dev: basic", func(a *cache.Args) { a.NoReplicas = true }, "BASIC", "READ_REPLICAS_DISABLED", 0, false},
		{"one read replica at 5 GB", func(a *cache.Args) { a.MemoryGB = 5 }, "STANDARD_HA", "READ_REPLICAS_ENABLED", 1, true},
		{"three read replicas", func(a *cache.Args) { a.MemoryGB, a.Replicas = 13, 3 }, "STANDARD_HA", "READ_REPLICAS_ENABLED", 3, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			plan := run(t, c.mutate)
			r := plan.Find(typeRedis, "sessions")
			assert.Equal(t, c.tier, r.Input("tier"))
			assert.Equal(t, c.mode, r.Input("readReplicasMode"))
			assert.Equal(t, c.replicas, r.Input("replicaCount"))
			assert.Equal(t, c.readEndpoints, plan.Outputs["read"] != nil && plan.Outputs["read"] != "")
		})
	}
	_, err := testkit.Run(func(ctx *pulumi.Context) error {
		_, err := cache.New(ctx, "sessions", &cache.Args{AuthorizedNetwork: pulumi.String("n"), MemoryGB: 3, Replicas: 2})
		return err
	})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "Replicas 2 is not allowed with MemoryGB 3: read replicas need nodes of at least 5 GB")
}

func TestValidation(t *testing.T) {
	var registered int
	_, err := testkit.Run(func(ctx *pulumi.Context) error {
		_, err := cache.New(ctx, "Sessions", &cache.Args{MemoryGB: 400, Replicas: 6, EvictionPolicy: "lru", RedisVersion: "REDIS_5_0"})
		return err
	}, testkit.OnNewResource(func(*testkit.Resource) error { registered++; return nil }))
	require.Error(t, err)
	for _, want := range []string{`cache "Sessions": `, `name "Sessions" is not allowed`, "AuthorizedNetwork is required", "MemoryGB 400 is not allowed: want 1-300",
		"Replicas 6 is not allowed: want 0-5", `EvictionPolicy "lru" is not allowed`, `RedisVersion "REDIS_5_0" is not allowed`} {
		assert.Contains(t, err.Error(), want)
	}
	assert.Zero(t, registered)
}

func TestCachePassesThePolicyPack(t *testing.T) {
	plan := preview(t, nil)
	rep, err := plan.Policies(rules.Options{Environment: "prod"})
	require.NoError(t, err)
	assert.Empty(t, rep.ByRule("gcp-redis-hardening"))
	assert.Empty(t, rep.ByRule("gcp-redis-ha"))

	basic := preview(t, func(a *cache.Args) { a.NoReplicas = true })
	rep, err = basic.Policies(rules.Options{Environment: "prod"})
	require.NoError(t, err)
	assert.NotEmpty(t, rep.ByRule("gcp-redis-ha"), "a BASIC instance fails over nowhere")
}
