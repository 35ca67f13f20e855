package cache

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func validArgs() *Args {
	return &Args{
		VpcID:                   pulumi.String("vpc-1"),
		SubnetIDs:               pulumi.ToStringArray([]string{"subnet-a", "subnet-b"}),
		AllowedSecurityGroupIDs: map[string]pulumi.StringInput{"web": pulumi.String("sg-web")},
	}
}

func TestWithDefaults(t *testing.T) {
	a, err := resolve("cache", validArgs())
	require.NoError(t, err)
	assert.Equal(t, "valkey", a.Engine)
	assert.Equal(t, "8.0", a.EngineVersion)
	assert.Equal(t, "valkey8", a.parameterFamily())
	assert.Equal(t, "cache.t4g.small", a.NodeType)
	assert.Equal(t, 1, a.Replicas)
	assert.True(t, a.multiAZ())
	assert.Equal(t, "volatile-lru", a.EvictionPolicy)
	assert.Equal(t, 7, a.SnapshotRetentionDays)
	assert.Equal(t, "03:00-04:00", a.SnapshotWindow)
	assert.Equal(t, "sun:05:00-sun:06:00", a.MaintenanceWindow)
	assert.Equal(t, 6379, a.Port)

	r := validArgs()
	r.Engine = "redis"
	a, err = resolve("cache", r)
	require.NoError(t, err)
	assert.Equal(t, "7.1", a.EngineVersion)
	assert.Equal(t, "redis7", a.parameterFamily())

	single := validArgs()
	single.NoReplicas = true
	a, err = resolve("cache", single)
	require.NoError(t, err)
	assert.Zero(t, a.Replicas)
	assert.False(t, a.multiAZ(), "one node cannot fail over")
}

func TestValidate(t *testing.T) {
	cases := []struct {
		name   string
		cname  string
		mutate func(*Args)
		want   []string
	}{
		{"upper name", "Cache", func(*Args) {}, []string{`name "Cache" is not allowed`}},
		{"double hyphen", "my--cache", func(*Args) {}, []string{`name "my--cache"`}},
		{"trailing hyphen", "cache-", func(*Args) {}, []string{`name "cache-"`}},
		{"long name", "a123456789012345678901234567890123", func(*Args) {}, []string{"want 1-32"}},
		{"no VPC", "c", func(a *Args) { a.VpcID = nil }, []string{"VpcID is required"}},
		{"no subnets", "c", func(a *Args) { a.SubnetIDs = nil }, []string{"SubnetIDs is required"}},
		{"no clients", "c", func(a *Args) { a.AllowedSecurityGroupIDs = nil }, []string{"AllowedSecurityGroupIDs is required"}},
		{"bad key", "c", func(a *Args) { a.AllowedSecurityGroupIDs["Web Tier"] = pulumi.String("sg") }, []string{`key "Web Tier" is not allowed`}},
		{"nil group", "c", func(a *Args) { a.AllowedSecurityGroupIDs["worker"] = nil }, []string{"AllowedSecurityGroupIDs[worker] is nil"}},
		{"engine", "c", func(a *Args) { a.Engine = "memcached" }, []string{`Engine "memcached" is not allowed`, `"valkey" or "redis"`}},
		{"version", "c", func(a *Args) { a.EngineVersion = "6.2" }, []string{`EngineVersion "6.2" is not allowed for valkey`, "7.2, 8.0, 8.1"}},
		{"node type", "c", func(a *Args) { a.NodeType = "t3.small" }, []string{`NodeType "t3.small"`}},
		{"replicas", "c", func(a *Args) { a.Replicas = 6 }, []string{"Replicas 6 is not allowed: want 0-5"}},
		{"replicas and none", "c", func(a *Args) { a.Replicas, a.NoReplicas = 2, true }, []string{"Replicas 2 is not allowed with NoReplicas"}},
		{"eviction", "c", func(a *Args) { a.EvictionPolicy = "lru" }, []string{`EvictionPolicy "lru"`, "allkeys-lru"}},
		{"retention", "c", func(a *Args) { a.SnapshotRetentionDays = 36 }, []string{"SnapshotRetentionDays 36", "want 1-35"}},
		{"snapshot window", "c", func(a *Args) { a.SnapshotWindow = "3-4" }, []string{`SnapshotWindow "3-4"`}},
		{"maintenance", "c", func(a *Args) { a.MaintenanceWindow = "sunday" }, []string{`MaintenanceWindow "sunday"`}},
		{"port", "c", func(a *Args) { a.Port = 80 }, []string{"Port 80", "1024-65535"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := validArgs()
			c.mutate(a)
			_, err := resolve(c.cname, a)
			require.Error(t, err)
			for _, w := range c.want {
				assert.Contains(t, err.Error(), w)
			}
		})
	}
	_, err := resolve("c", nil)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "VpcID is required")
	assert.Contains(t, err.Error(), "AllowedSecurityGroupIDs is required")
}

func TestNodeTypeForMemoryGB(t *testing.T) {
	for gb, want := range map[float64]string{0.5: "cache.t4g.micro", 1: "cache.t4g.small", 3: "cache.t4g.medium", 5: "cache.m7g.large", 13: "cache.r7g.large", 100: "cache.r7g.4xlarge"} {
		got, err := NodeTypeForMemoryGB(gb)
		require.NoError(t, err)
		assert.Equal(t, want, got, "%g GB", gb)
	}
	_, err := NodeTypeForMemoryGB(0)
	assert.ErrorContains(t, err, "want more than 0")
	_, err = NodeTypeForMemoryGB(1000)
	assert.ErrorContains(t, err, "cache.r7g.16xlarge")
}

// ElastiCache accepts an AUTH token of 16-128 characters other than @, " and /
// (terraform-provider-aws internal/service/elasticache/validate.go,
// validReplicationGroupAuthToken).
func TestAuthTokenMeetsElastiCacheRules(t *testing.T) {
	a, err := newAuthToken()
	require.NoError(t, err)
	b, err := newAuthToken()
	require.NoError(t, err)
	assert.Len(t, a, AuthTokenLength)
	assert.GreaterOrEqual(t, AuthTokenLength, 16)
	assert.LessOrEqual(t, AuthTokenLength, 128)
	assert.Regexp(t, `^[A-Za-z0-9]+$`, a)
	assert.NotEqual(t, a, b)
}
