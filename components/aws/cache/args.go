package cache

import (
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Engines a Cache runs.
const (
	EngineValkey = "valkey"
	EngineRedis  = "redis"
)

// Defaults applied by Args.withDefaults. They are part of the documented contract.
const (
	DefaultEngine                = EngineValkey
	DefaultValkeyVersion         = "8.0"
	DefaultRedisVersion          = "7.1"
	DefaultNodeType              = "cache.t4g.small"
	DefaultReplicas              = 1
	DefaultEvictionPolicy        = "volatile-lru"
	DefaultSnapshotRetentionDays = 7
	DefaultSnapshotWindow        = "03:00-04:00"
	DefaultMaintenanceWindow     = "sun:05:00-sun:06:00"
	DefaultPort                  = 6379
	// Alarm thresholds: engine CPU and memory in percent, replication lag in seconds.
	DefaultAlarmCPUPercent        = 80
	DefaultAlarmMemoryPercent     = 80
	DefaultAlarmReplicationLagSec = 30
)

// MaxReplicas is the most read replicas of a replication group with cluster mode disabled:
// one primary and up to five replicas (numCacheClusters 1-6).
const MaxReplicas = 5

// MaxSnapshotRetentionDays is the longest ElastiCache keeps automatic snapshots.
const MaxSnapshotRetentionDays = 35

// maxNameLength keeps "<name>-<7 random characters>", the replication group id Pulumi's
// auto-naming gives, within ElastiCache's 40 characters.
const maxNameLength = 32

// EvictionPolicies are the maxmemory-policy values Valkey and Redis OSS accept.
var EvictionPolicies = []string{
	"volatile-lru", "allkeys-lru", "volatile-lfu", "allkeys-lfu",
	"volatile-random", "allkeys-random", "volatile-ttl", "noeviction",
}

// parameterFamilies maps engine and version to the parameter group family.
var parameterFamilies = map[string]map[string]string{
	EngineValkey: {"7.2": "valkey7", "8.0": "valkey8", "8.1": "valkey8"},
	EngineRedis:  {"6.2": "redis6.x", "7.0": "redis7", "7.1": "redis7"},
}

// Args configures a Cache. Zero values mean the documented default.
type Args struct {
	// VpcID is the VPC of the cache's security group. Required.
	VpcID pulumi.StringInput
	// SubnetIDs are the data subnets of the cache subnet group, one per availability zone
	// (at least two for Multi-AZ). Required.
	SubnetIDs pulumi.StringArrayInput
	// AllowedSecurityGroupIDs are the only security groups that reach the cache, keyed by a
	// stable name ("web", "worker") that is part of the rules' logical names. Required: at
	// least one. For each, the component adds an ingress rule on the cache's group and the
	// matching egress rule on the source group (the Terraform AWS provider removes AWS's
	// default allow-all egress, so without it the source could not connect). The source
	// groups must manage their rules as separate rule resources, not inline blocks.
	AllowedSecurityGroupIDs map[string]pulumi.StringInput

	// Engine is "valkey" or "redis" (Redis OSS). Default: "valkey".
	Engine string
	// EngineVersion is the major.minor version. Default: "8.0" for Valkey, "7.1" for Redis
	// OSS. Allowed: Valkey 7.2, 8.0, 8.1; Redis OSS 6.2, 7.0, 7.1.
	EngineVersion string
	// NodeType is the ElastiCache node type. Default: "cache.t4g.small". See
	// NodeTypeForMemoryGB to choose by memory.
	NodeType string
	// Replicas is the number of read replicas beside the primary. With one or more, the group
	// is Multi-AZ with automatic failover. Default: 1. Allowed: 0-5. Set NoReplicas for 0.
	Replicas int
	// NoReplicas runs a single node (no failover: dev only). Default: false.
	NoReplicas bool
	// EvictionPolicy is the maxmemory-policy. Default: "volatile-lru". Allowed: see
	// EvictionPolicies.
	EvictionPolicy string
	// SnapshotRetentionDays keeps daily automatic snapshots. Default: 7. Allowed: 1-35.
	SnapshotRetentionDays int
	// SnapshotWindow is the daily UTC snapshot window "hh:mm-hh:mm". Default: "03:00-04:00".
	SnapshotWindow string
	// MaintenanceWindow is the weekly UTC window "ddd:hh:mm-ddd:hh:mm".
	// Default: "sun:05:00-sun:06:00".
	MaintenanceWindow string
	// Port the nodes listen on. Default: 6379. Allowed: 1024-65535.
	Port int
	// AlarmTopicARN receives the cache's alarms and their recovery (the monitoring
	// component's topic): engine CPU, memory, evictions and, with replicas, replication lag.
	// Default: nil (the alarms exist, with no action).
	AlarmTopicARN pulumi.StringInput
	// Tags are added to every child that takes tags (over the provider's default tags).
	Tags map[string]string
}

var (
	nameRE     = regexp.MustCompile(`^[a-z][a-z0-9]*(-[a-z0-9]+)*$`)
	keyRE      = regexp.MustCompile(`^[a-z][a-z0-9-]{0,30}$`)
	nodeTypeRE = regexp.MustCompile(`^cache\.[a-z0-9]+\.[a-z0-9]+$`)
	snapshotRE = regexp.MustCompile(`^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$`)
	maintainRE = regexp.MustCompile(`^(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):[0-5]\d-(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):[0-5]\d$`)
)

// withDefaults returns a copy of a with every zero value replaced by its documented default.
// It is pure: the one place defaults live.
func (a Args) withDefaults() Args {
	if a.Engine == "" {
		a.Engine = DefaultEngine
	}
	if a.EngineVersion == "" {
		switch a.Engine {
		case EngineRedis:
			a.EngineVersion = DefaultRedisVersion
		default:
			a.EngineVersion = DefaultValkeyVersion
		}
	}
	if a.NodeType == "" {
		a.NodeType = DefaultNodeType
	}
	if a.Replicas == 0 && !a.NoReplicas {
		a.Replicas = DefaultReplicas
	}
	if a.EvictionPolicy == "" {
		a.EvictionPolicy = DefaultEvictionPolicy
	}
	if a.SnapshotRetentionDays == 0 {
		a.SnapshotRetentionDays = DefaultSnapshotRetentionDays
	}
	if a.SnapshotWindow == "" {
		a.SnapshotWindow = DefaultSnapshotWindow
	}
	if a.MaintenanceWindow == "" {
		a.MaintenanceWindow = DefaultMaintenanceWindow
	}
	if a.Port == 0 {
		a.Port = DefaultPort
	}
	return a
}

// validate checks a component name and defaulted arguments, reporting every problem at
// once. It is pure and runs before anything is registered.
func validate(name string, a Args) error {
	var p []string
	bad := func(format string, args ...any) { p = append(p, fmt.Sprintf(format, args...)) }

	// ElastiCache: a replication group id has 1-40 lowercase letters, digits or hyphens,
	// starts with a letter, has no two consecutive hyphens and does not end with one.
	if !nameRE.MatchString(name) || len(name) > maxNameLength {
		bad("name %q is not allowed: want 1-%d lowercase letters, digits and single hyphens, starting with a letter (the replication group id adds 8 characters, within ElastiCache's 40)", name, maxNameLength)
	}
	if a.VpcID == nil {
		bad("VpcID is required")
	}
	if a.SubnetIDs == nil {
		bad("SubnetIDs is required: want the data subnets, one per availability zone")
	}
	if len(a.AllowedSecurityGroupIDs) == 0 {
		bad("AllowedSecurityGroupIDs is required: want at least one security group (the web tier's), keyed by a stable name; nothing else can reach the cache")
	}
	for _, k := range sortedKeys(a.AllowedSecurityGroupIDs) {
		if !keyRE.MatchString(k) {
			bad("AllowedSecurityGroupIDs key %q is not allowed: want 1-31 lowercase letters, digits and hyphens, starting with a letter (it names the rules)", k)
		}
		if a.AllowedSecurityGroupIDs[k] == nil {
			bad("AllowedSecurityGroupIDs[%s] is nil: want a security group id", k)
		}
	}
	versions, ok := parameterFamilies[a.Engine]
	if !ok {
		bad("Engine %q is not allowed: want %q or %q", a.Engine, EngineValkey, EngineRedis)
	} else if _, ok := versions[a.EngineVersion]; !ok {
		bad("EngineVersion %q is not allowed for %s: want one of %s", a.EngineVersion, a.Engine, strings.Join(sortedKeys(versions), ", "))
	}
	if !nodeTypeRE.MatchString(a.NodeType) {
		bad("NodeType %q is not allowed: want an ElastiCache node type such as %s", a.NodeType, DefaultNodeType)
	}
	if a.NoReplicas && a.Replicas != 0 {
		bad("Replicas %d is not allowed with NoReplicas: want one or the other", a.Replicas)
	}
	if a.Replicas < 0 || a.Replicas > MaxReplicas {
		bad("Replicas %d is not allowed: want 0-%d (a primary and up to five replicas)", a.Replicas, MaxReplicas)
	}
	if !contains(EvictionPolicies, a.EvictionPolicy) {
		bad("EvictionPolicy %q is not allowed: want one of %s", a.EvictionPolicy, strings.Join(EvictionPolicies, ", "))
	}
	if a.SnapshotRetentionDays < 1 || a.SnapshotRetentionDays > MaxSnapshotRetentionDays {
		bad("SnapshotRetentionDays %d is not allowed: want 1-%d", a.SnapshotRetentionDays, MaxSnapshotRetentionDays)
	}
	if !snapshotRE.MatchString(a.SnapshotWindow) {
		bad("SnapshotWindow %q is not allowed: want a UTC window \"hh:mm-hh:mm\" such as %q", a.SnapshotWindow, DefaultSnapshotWindow)
	}
	if !maintainRE.MatchString(a.MaintenanceWindow) {
		bad("MaintenanceWindow %q is not allowed: want a UTC window \"ddd:hh:mm-ddd:hh:mm\" such as %q", a.MaintenanceWindow, DefaultMaintenanceWindow)
	}
	if a.Port < 1024 || a.Port > 65535 {
		bad("Port %d is not allowed: want 1024-65535", a.Port)
	}
	if len(p) == 0 {
		return nil
	}
	return errors.New(strings.Join(p, "; "))
}

// resolve applies the defaults and validates the result.
func resolve(name string, args *Args) (Args, error) {
	if args == nil {
		args = &Args{}
	}
	a := args.withDefaults()
	return a, validate(name, a)
}

// parameterFamily is the parameter group family of validated args ("valkey8").
func (a Args) parameterFamily() string { return parameterFamilies[a.Engine][a.EngineVersion] }

// multiAZ reports whether the group fails over automatically to a replica in another zone:
// ElastiCache requires at least two nodes (numCacheClusters > 1) for automatic failover,
// and automatic failover for Multi-AZ.
func (a Args) multiAZ() bool { return a.Replicas >= 1 }

// nodeMemory lists node types by memory (GiB), smallest first: the current-generation
// Graviton types of https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/CacheNodes.SupportedTypes.html.
var nodeMemory = []struct {
	nodeType string
	gib      float64
}{
	{"cache.t4g.micro", 0.5},
	{"cache.t4g.small", 1.37},
	{"cache.t4g.medium", 3.09},
	{"cache.m7g.large", 6.38},
	{"cache.r7g.large", 13.07},
	{"cache.r7g.xlarge", 26.32},
	{"cache.r7g.2xlarge", 52.82},
	{"cache.r7g.4xlarge", 105.81},
	{"cache.r7g.8xlarge", 209.55},
	{"cache.r7g.12xlarge", 317.77},
	{"cache.r7g.16xlarge", 419.09},
}

// NodeTypeForMemoryGB returns the smallest current-generation node type with at least gb
// GiB of memory, or an error naming the largest when none is big enough.
func NodeTypeForMemoryGB(gb float64) (string, error) {
	if gb <= 0 {
		return "", fmt.Errorf("memory %g GB is not allowed: want more than 0", gb)
	}
	for _, n := range nodeMemory {
		if n.gib >= gb {
			return n.nodeType, nil
		}
	}
	last := nodeMemory[len(nodeMemory)-1]
	return "", fmt.Errorf("memory %g GB is not allowed: the largest node (%s) has %g GiB; shard the data instead", gb, last.nodeType, last.gib)
}

func contains(list []string, v string) bool {
	for _, s := range list {
		if s == v {
			return true
		}
	}
	return false
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
