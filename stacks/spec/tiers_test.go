package spec_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scalestack/scalestack/stacks/spec"
)

func TestTierDefaultsPerEnvironment(t *testing.T) {
	dev, err := parse(t, map[string]string{})
	require.NoError(t, err)
	assert.Equal(t, spec.Cache{Enabled: true, Replicas: 0, MemoryGB: 1, EvictionPolicy: "volatile-lru"}, dev.Cache)
	assert.Equal(t, spec.Queue{
		Enabled: true, MaxReceiveCount: 5, RetentionDays: 4, VisibilityTimeoutSeconds: 120,
		Workers: spec.Workers{MinSize: 1, MaxSize: 3, BacklogPerWorker: 100},
	}, dev.Queue)

	staging, err := parse(t, map[string]string{"scalestack:environment": "staging"})
	require.NoError(t, err)
	assert.Equal(t, 1, staging.Cache.Replicas)
	assert.Equal(t, 3, staging.Cache.MemoryGB)
	assert.Equal(t, spec.Workers{MinSize: 1, MaxSize: 10, BacklogPerWorker: 100}, staging.Queue.Workers)

	prod, err := parse(t, map[string]string{"scalestack:environment": "prod"})
	require.NoError(t, err)
	assert.True(t, prod.Cache.Enabled, "the reference stacks carry both tiers")
	assert.True(t, prod.Queue.Enabled)

	azure, err := parse(t, map[string]string{"scalestack:cloud": "azure"})
	require.NoError(t, err)
	assert.False(t, azure.Cache.Enabled, "no cache module is served for Azure, so it is off there")
	assert.True(t, azure.Queue.Enabled)
	assert.Equal(t, 1, prod.Cache.Replicas, "prod survives a zone loss")
	assert.Equal(t, 6, prod.Cache.MemoryGB)
	assert.Equal(t, spec.Workers{MinSize: 2, MaxSize: 20, BacklogPerWorker: 100}, prod.Queue.Workers)
}

func TestTierKeysAreRead(t *testing.T) {
	s, err := parse(t, map[string]string{
		"scalestack:cache": `{"enabled": true, "replicas": 2, "memoryGb": 13, "evictionPolicy": "allkeys-lfu"}`,
		"scalestack:queue": `{"enabled": true, "maxReceiveCount": 3, "retentionDays": 7, "visibilityTimeoutSeconds": 600, "workers": {"minSize": 2, "maxSize": 4, "backlogPerWorker": 25}}`,
	})
	require.NoError(t, err)
	assert.Equal(t, spec.Cache{Enabled: true, Replicas: 2, MemoryGB: 13, EvictionPolicy: "allkeys-lfu"}, s.Cache)
	assert.Equal(t, spec.Queue{Enabled: true, MaxReceiveCount: 3, RetentionDays: 7, VisibilityTimeoutSeconds: 600,
		Workers: spec.Workers{MinSize: 2, MaxSize: 4, BacklogPerWorker: 25}}, s.Queue)
	assert.True(t, s.Explicit("cache.enabled"))
	assert.True(t, s.Explicit("queue.workers.backlogPerWorker"))

	// A maxSize below the environment default follows minSize up, as web.maxSize does.
	s, err = parse(t, map[string]string{"scalestack:queue": `{"workers": {"minSize": 5}}`})
	require.NoError(t, err)
	assert.Equal(t, 5, s.Queue.Workers.MaxSize)
}

func TestTierValidationNamesTheKey(t *testing.T) {
	cases := []struct {
		name string
		cfg  map[string]string
		want string
	}{
		{"eviction", map[string]string{"scalestack:cache": `{"evictionPolicy": "lru"}`}, `scalestack:cache.evictionPolicy: "lru" is not allowed: want one of volatile-lru, allkeys-lru`},
		{"replicas", map[string]string{"scalestack:cache": `{"replicas": 6}`}, "scalestack:cache.replicas: 6 is not allowed: want a whole number from 0 to 5"},
		{"memory", map[string]string{"scalestack:cache": `{"memoryGb": 0}`}, "scalestack:cache.memoryGb: 0 is not allowed"},
		{"prod replicas", map[string]string{"scalestack:environment": "prod", "scalestack:cache": `{"enabled": true, "replicas": 0}`}, "scalestack:cache.replicas: 0 is too few for prod"},
		{"unknown cache key", map[string]string{"scalestack:cache": `{"size": 3}`}, "scalestack:cache.size: unknown key"},
		{"receive count", map[string]string{"scalestack:queue": `{"maxReceiveCount": 0}`}, "scalestack:queue.maxReceiveCount: 0 is not allowed: want a whole number from 1 to 100"},
		{"gcp read replicas", map[string]string{"scalestack:cloud": "gcp", "scalestack:cache": `{"replicas": 2, "memoryGb": 3}`}, "scalestack:cache.replicas: 2 is not allowed on gcp with cache.memoryGb 3"},
		{"gcp receive count", map[string]string{"scalestack:cloud": "gcp", "scalestack:queue": `{"maxReceiveCount": 3}`}, "scalestack:queue.maxReceiveCount: 3 is not allowed on gcp: want 5-100"},
		{"retention", map[string]string{"scalestack:queue": `{"retentionDays": 14}`}, "scalestack:queue.retentionDays: 14 is not allowed: want a whole number from 1 to 7"},
		{"visibility", map[string]string{"scalestack:queue": `{"visibilityTimeoutSeconds": 5}`}, "scalestack:queue.visibilityTimeoutSeconds: 5 is not allowed: want a whole number from 10 to 600"},
		{"workers min", map[string]string{"scalestack:queue": `{"workers": {"minSize": 0}}`}, "scalestack:queue.workers.minSize: 0 is not allowed"},
		{"workers max", map[string]string{"scalestack:queue": `{"workers": {"minSize": 4, "maxSize": 2}}`}, "scalestack:queue.workers.maxSize: 2 is less than queue.workers.minSize 4"},
		{"workers key", map[string]string{"scalestack:queue": `{"workers": {"count": 2}}`}, "scalestack:queue.workers.count: unknown key (allowed: minSize, maxSize, backlogPerWorker)"},
		{"workers shape", map[string]string{"scalestack:queue": `{"workers": 3}`}, "scalestack:queue.workers: 3 is not an object"},
		{"prod workers", map[string]string{"scalestack:environment": "prod", "scalestack:queue": `{"enabled": true, "workers": {"minSize": 1}}`}, "scalestack:queue.workers.minSize: 1 is too few for prod"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := parse(t, c.cfg)
			require.Error(t, err)
			assert.True(t, spec.IsConfigError(err))
			assert.Contains(t, err.Error(), c.want)
		})
	}
}

// This build's azure-native modules include no Azure Cache for Redis (the module proxy serves
// neither pulumi-azure-native-sdk/cache nor redisenterprise: issue 13), so the Azure stack
// cannot place a cache: the spec refuses the intent instead of ignoring it.
func TestAzureRefusesTheCacheItCannotPlace(t *testing.T) {
	_, err := parse(t, map[string]string{"scalestack:cloud": "azure", "scalestack:cache": `{"enabled": true}`})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "scalestack:cache.enabled: true is not available on azure")
	assert.Contains(t, err.Error(), "want false")

	_, err = parse(t, map[string]string{"scalestack:cloud": "azure", "scalestack:cache": `{"enabled": false, "replicas": 1}`})
	assert.NoError(t, err, "a disabled cache section is fine, so one stack file previews on every cloud")
	for _, cloud := range []string{"aws", "gcp"} {
		_, err = parse(t, map[string]string{"scalestack:cloud": cloud, "scalestack:cache": `{"enabled": true}`})
		assert.NoError(t, err, cloud)
	}
}
