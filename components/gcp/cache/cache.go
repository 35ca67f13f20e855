// Package cache creates a Memorystore for Redis instance for a web backend on Google Cloud:
// STANDARD_HA (a replica in another zone with automatic failover) whenever it has a replica,
// read replicas behind a read endpoint when the nodes are large enough, AUTH on, TLS
// (SERVER_AUTHENTICATION), reached through private services access (the range Cloud SQL
// uses), an eviction policy and a weekly maintenance window.
//
// Reachability: a Memorystore instance lives in Google's producer network, which the VPC's
// firewall rules cannot filter by tag or service account; any VM of the authorized network
// can open a connection. AUTH and TLS are what keep other VMs out: the AUTH string is a
// Pulumi secret (Cache.AuthString), to be stored in Secret Manager and read only by the web
// and worker service accounts.
//
// The region is the region of the provider the component is given.
package cache

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/pulumi/pulumi-gcp/sdk/v7/go/gcp/redis"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// TypeToken is the component's type; it is part of every child's URN.
const TypeToken = "scalestack:gcp:Cache"

// Defaults applied by Args.withDefaults.
const (
	DefaultRedisVersion   = "REDIS_7_2"
	DefaultMemoryGB       = 1
	DefaultReplicas       = 1
	DefaultEvictionPolicy = "volatile-lru"
	// ReadReplicaMinMemoryGB is the smallest node size Memorystore allows read replicas on.
	ReadReplicaMinMemoryGB = 5
	// MaxReplicas is the most read replicas of a Standard Tier instance.
	MaxReplicas = 5
)

// EvictionPolicies are the maxmemory-policy values Memorystore for Redis accepts.
var EvictionPolicies = []string{
	"volatile-lru", "allkeys-lru", "volatile-lfu", "allkeys-lfu",
	"volatile-random", "allkeys-random", "volatile-ttl", "noeviction",
}

// Args configures a Cache. Zero values mean the documented default.
type Args struct {
	// AuthorizedNetwork is the VPC with private services access connected
	// (network.Network.PrivateNetwork, so the instance waits for the peering). Required.
	AuthorizedNetwork pulumi.StringInput
	// MemoryGB is the node size. Default: 1. Allowed: 1-300; at least 5 for 2 or more
	// replicas (read replicas).
	MemoryGB int
	// Replicas beside the primary. 0: a BASIC instance (no failover, dev only; set NoReplicas).
	// 1: STANDARD_HA, its replica in another zone (a read endpoint too when MemoryGB >= 5).
	// 2-5: STANDARD_HA with read replicas. Default: 1.
	Replicas int
	// NoReplicas makes a BASIC instance (Replicas 0). Default: false.
	NoReplicas bool
	// EvictionPolicy is the maxmemory-policy. Default: "volatile-lru".
	EvictionPolicy string
	// RedisVersion. Default: "REDIS_7_2". Allowed: REDIS_6_X, REDIS_7_0, REDIS_7_2.
	RedisVersion string
	// Labels are added to the instance.
	Labels map[string]string
}

var (
	nameRE     = regexp.MustCompile(`^[a-z][a-z0-9-]{0,31}$`)
	versionsRE = regexp.MustCompile(`^REDIS_(6_X|7_0|7_2)$`)
)

func (a Args) withDefaults() Args {
	if a.MemoryGB == 0 {
		a.MemoryGB = DefaultMemoryGB
	}
	if a.Replicas == 0 && !a.NoReplicas {
		a.Replicas = DefaultReplicas
	}
	if a.EvictionPolicy == "" {
		a.EvictionPolicy = DefaultEvictionPolicy
	}
	if a.RedisVersion == "" {
		a.RedisVersion = DefaultRedisVersion
	}
	return a
}

func validate(name string, a Args) error {
	var p []string
	bad := func(format string, args ...any) { p = append(p, fmt.Sprintf(format, args...)) }
	// Memorystore: an instance id has 1-40 lowercase letters, digits and hyphens, starting
	// with a letter; Pulumi's auto-name adds 8 characters.
	if !nameRE.MatchString(name) || strings.HasSuffix(name, "-") {
		bad("name %q is not allowed: want 1-32 lowercase letters, digits and hyphens, starting with a letter (the instance id adds 8 characters, within Memorystore's 40)", name)
	}
	if a.AuthorizedNetwork == nil {
		bad("AuthorizedNetwork is required: want the VPC with private services access (network.Network.PrivateNetwork)")
	}
	if a.MemoryGB < 1 || a.MemoryGB > 300 {
		bad("MemoryGB %d is not allowed: want 1-300", a.MemoryGB)
	}
	if a.NoReplicas && a.Replicas != 0 {
		bad("Replicas %d is not allowed with NoReplicas: want one or the other", a.Replicas)
	}
	if a.Replicas < 0 || a.Replicas > MaxReplicas {
		bad("Replicas %d is not allowed: want 0-%d", a.Replicas, MaxReplicas)
	}
	if a.Replicas >= 2 && a.MemoryGB < ReadReplicaMinMemoryGB {
		bad("Replicas %d is not allowed with MemoryGB %d: read replicas need nodes of at least %d GB (want Replicas 1, or MemoryGB %d or more)", a.Replicas, a.MemoryGB, ReadReplicaMinMemoryGB, ReadReplicaMinMemoryGB)
	}
	if !contains(EvictionPolicies, a.EvictionPolicy) {
		bad("EvictionPolicy %q is not allowed: want one of %s", a.EvictionPolicy, strings.Join(EvictionPolicies, ", "))
	}
	if !versionsRE.MatchString(a.RedisVersion) {
		bad("RedisVersion %q is not allowed: want REDIS_6_X, REDIS_7_0 or REDIS_7_2", a.RedisVersion)
	}
	if len(p) == 0 {
		return nil
	}
	return errors.New(strings.Join(p, "; "))
}

// plan is how Args map onto Memorystore's tier and replica settings.
type plan struct {
	tier, readReplicasMode string
	replicaCount           int
}

// placement maps validated args to the tier: BASIC has replicaCount 0; STANDARD_HA without
// read replicas has exactly 1; with read replicas (nodes of 5 GB or more) 1-5.
func (a Args) placement() plan {
	switch {
	case a.Replicas == 0:
		return plan{"BASIC", "READ_REPLICAS_DISABLED", 0}
	case a.MemoryGB < ReadReplicaMinMemoryGB:
		return plan{"STANDARD_HA", "READ_REPLICAS_DISABLED", 1}
	default:
		return plan{"STANDARD_HA", "READ_REPLICAS_ENABLED", a.Replicas}
	}
}

// Cache is a Memorystore for Redis instance.
type Cache struct {
	pulumi.ResourceState

	// Host is the primary's private IP address.
	Host pulumi.StringOutput `pulumi:"host"`
	// Port is the primary's port (6378 with TLS).
	Port pulumi.IntOutput `pulumi:"port"`
	// ReadEndpoint spreads reads over the read replicas ("" without read replicas).
	ReadEndpoint pulumi.StringOutput `pulumi:"readEndpoint"`
	// AuthString is the AUTH string (a Pulumi secret): store it in Secret Manager for the
	// web and worker service accounts.
	AuthString pulumi.StringOutput `pulumi:"authString"`
	// ServerCACerts are the PEM certificates clients verify the TLS connection with.
	ServerCACerts pulumi.StringArrayOutput `pulumi:"serverCaCerts"`
	// InstanceID is the instance's full resource name
	// ("projects/<project>/locations/<region>/instances/<id>"), the label instance_id of the
	// Cloud Monitoring resource redis_instance.
	InstanceID pulumi.StringOutput `pulumi:"instanceId"`
}

// New validates args, applies defaults and registers the instance.
func New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*Cache, error) {
	if args == nil {
		args = &Args{}
	}
	a := args.withDefaults()
	if err := validate(name, a); err != nil {
		return nil, fmt.Errorf("cache %q: %w", name, err)
	}
	c := &Cache{}
	if err := ctx.RegisterComponentResource(TypeToken, name, c, opts...); err != nil {
		return nil, err
	}
	pl := a.placement()
	labels := pulumi.StringMap{}
	for k, v := range a.Labels {
		labels[k] = pulumi.String(v)
	}
	inst, err := redis.NewInstance(ctx, name, &redis.InstanceArgs{
		DisplayName:           pulumi.Sprintf("scalestack cache %s", name),
		Tier:                  pulumi.String(pl.tier),
		MemorySizeGb:          pulumi.Int(a.MemoryGB),
		ReplicaCount:          pulumi.Int(pl.replicaCount),
		ReadReplicasMode:      pulumi.String(pl.readReplicasMode),
		RedisVersion:          pulumi.String(a.RedisVersion),
		AuthorizedNetwork:     a.AuthorizedNetwork,
		ConnectMode:           pulumi.String("PRIVATE_SERVICE_ACCESS"),
		AuthEnabled:           pulumi.Bool(true),
		TransitEncryptionMode: pulumi.String("SERVER_AUTHENTICATION"),
		RedisConfigs:          pulumi.StringMap{"maxmemory-policy": pulumi.String(a.EvictionPolicy)},
		MaintenancePolicy: &redis.InstanceMaintenancePolicyArgs{
			WeeklyMaintenanceWindows: redis.InstanceMaintenancePolicyWeeklyMaintenanceWindowArray{
				&redis.InstanceMaintenancePolicyWeeklyMaintenanceWindowArgs{
					Day:       pulumi.String("SUNDAY"),
					StartTime: &redis.InstanceMaintenancePolicyWeeklyMaintenanceWindowStartTimeArgs{Hours: pulumi.Int(5)},
				},
			},
		},
		Labels: labels,
	}, pulumi.Parent(c))
	if err != nil {
		return nil, fmt.Errorf("creating instance %q: %w", name, err)
	}
	c.Host = inst.Host
	c.Port = inst.Port
	c.ReadEndpoint = inst.ReadEndpoint
	c.AuthString = pulumi.ToSecret(inst.AuthString).(pulumi.StringOutput)
	c.ServerCACerts = inst.ServerCaCerts.ApplyT(func(cs []redis.InstanceServerCaCert) []string {
		var out []string
		for _, x := range cs {
			if x.Cert != nil {
				out = append(out, *x.Cert)
			}
		}
		return out
	}).(pulumi.StringArrayOutput)
	c.InstanceID = inst.ID().ToStringOutput()
	return c, ctx.RegisterResourceOutputs(c, pulumi.Map{
		"host": c.Host, "port": c.Port, "readEndpoint": c.ReadEndpoint, "authString": c.AuthString,
		"serverCaCerts": c.ServerCACerts, "instanceId": c.InstanceID,
	})
}

func contains(list []string, v string) bool {
	for _, s := range list {
		if s == v {
			return true
		}
	}
	return false
}

// Validate reports every problem with args for a component named name, registering nothing.
func (a *Args) Validate(name string) error {
	if a == nil {
		a = &Args{}
	}
	return validate(name, a.withDefaults())
}
