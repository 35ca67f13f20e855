package monitoring

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Defaults applied by Args.withDefaults. They are part of the documented contract.
const (
	DefaultServer5xxPerMinute      = 10
	DefaultLatencyThresholdSeconds = 1.0
	// The p99 threshold defaults to this multiple of the p95 threshold.
	DefaultLatencyP99Factor  = 2.0
	DefaultCPUPercent        = 80
	DefaultFreeStorageGB     = 5
	DefaultReplicaLagSeconds = 120

	maxLatencySeconds = 60
)

// Args configures a Monitoring. Each group of alarms is created when its field is set, so
// the number of alarms is known at plan time; at least one group is required. All alarms go
// to the component's region: monitor resources of another region (a cross-region replica,
// the standby load balancer) with a second Monitoring placed there.
type Args struct {
	// AlertEmail is subscribed to the topic (the address must confirm the subscription).
	// Default: "" (no subscription; alarms still publish to the topic).
	AlertEmail string
	// LoadBalancer adds the load balancer alarms: 5xx from the ALB and from the targets,
	// target response time p95 and p99, unhealthy hosts. Default: nil (none).
	LoadBalancer *LoadBalancerAlarms
	// AutoScaling adds the alarm for the group staying at its maximum size. Default: nil.
	AutoScaling *AutoScalingAlarms
	// Database adds the database alarms: CPU, free storage, and replica lag per replica.
	// Default: nil.
	Database *DatabaseAlarms
	// Tags are added to every child (over the provider's default tags).
	Tags map[string]string
}

// LoadBalancerAlarms watches an Application Load Balancer and its target group.
type LoadBalancerAlarms struct {
	// LoadBalancerARNSuffix is the ALB's arnSuffix ("app/name/id"). Required.
	LoadBalancerARNSuffix pulumi.StringInput
	// TargetGroupARNSuffix is the target group's arnSuffix ("targetgroup/name/id"). Required.
	TargetGroupARNSuffix pulumi.StringInput
	// Server5xxPerMinute is the count of 5xx responses per minute (each of ALB and targets)
	// that, in 3 of 5 minutes, raises an alarm. Default: 10. Allowed: at least 1.
	Server5xxPerMinute int
	// LatencyThresholdSeconds is the p95 target response time that, in 3 of 5 minutes,
	// raises an alarm. Default: 1. Allowed: more than 0, up to 60.
	LatencyThresholdSeconds float64
	// LatencyP99ThresholdSeconds is the p99 target response time alarm threshold.
	// Default: 2 × LatencyThresholdSeconds (at most 60). Allowed: LatencyThresholdSeconds-60.
	LatencyP99ThresholdSeconds float64
}

// AutoScalingAlarms watches an Auto Scaling group. The group must collect group metrics
// (GroupInServiceInstances); until it does, the alarm shows insufficient data.
type AutoScalingAlarms struct {
	// AutoScalingGroupName is the group's name. Required.
	AutoScalingGroupName pulumi.StringInput
	// MaxSize is the group's maximum size: in service at or above it for 15 minutes raises
	// an alarm (the group can no longer scale out). Required. Allowed: at least 1.
	MaxSize int
}

// DatabaseAlarms watches an RDS primary and its replicas in the component's region. For a
// cross-region replica, give a Monitoring in that region the replica both as
// DBInstanceIdentifier (its CPU and storage) and in ReplicaIdentifiers (its lag).
type DatabaseAlarms struct {
	// DBInstanceIdentifier is the primary's identifier. Required.
	DBInstanceIdentifier pulumi.StringInput
	// ReplicaIdentifiers get one replica lag alarm each, keyed "db-replica-lag-1" onwards in
	// order, so adding a replica at the end never renames an alarm. Default: none.
	ReplicaIdentifiers []pulumi.StringInput
	// CPUPercent is the average CPU that, for 15 minutes, raises an alarm. Default: 80.
	// Allowed: 1-100.
	CPUPercent int
	// FreeStorageGB is the free storage below which an alarm is raised. Default: 5.
	// Allowed: 1-65536.
	FreeStorageGB int
	// ReplicaLagSeconds is the replica lag that, for 5 minutes, raises an alarm.
	// Default: 120. Allowed: 1-86400.
	ReplicaLagSeconds int
}

var (
	nameRE  = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)
	emailRE = regexp.MustCompile(`^[^@\s]+@[^@\s]+\.[^@\s]+$`)
)

// withDefaults returns a copy of a with every zero value replaced by its documented default.
// It is pure: the one place defaults live.
func (a Args) withDefaults() Args {
	if lb := a.LoadBalancer; lb != nil {
		c := *lb
		if c.Server5xxPerMinute == 0 {
			c.Server5xxPerMinute = DefaultServer5xxPerMinute
		}
		if c.LatencyThresholdSeconds == 0 {
			c.LatencyThresholdSeconds = DefaultLatencyThresholdSeconds
		}
		if c.LatencyP99ThresholdSeconds == 0 {
			c.LatencyP99ThresholdSeconds = min(DefaultLatencyP99Factor*c.LatencyThresholdSeconds, maxLatencySeconds)
		}
		a.LoadBalancer = &c
	}
	if db := a.Database; db != nil {
		c := *db
		if c.CPUPercent == 0 {
			c.CPUPercent = DefaultCPUPercent
		}
		if c.FreeStorageGB == 0 {
			c.FreeStorageGB = DefaultFreeStorageGB
		}
		if c.ReplicaLagSeconds == 0 {
			c.ReplicaLagSeconds = DefaultReplicaLagSeconds
		}
		a.Database = &c
	}
	return a
}

// validate checks a component name and defaulted arguments, reporting every problem at
// once. It is pure and runs before anything is registered.
func validate(name string, a Args) error {
	var p []string
	bad := func(format string, args ...any) { p = append(p, fmt.Sprintf(format, args...)) }

	if !nameRE.MatchString(name) {
		bad("name %q is not allowed: want 1-64 letters, digits, hyphens or underscores (it prefixes the topic and alarm names)", name)
	}
	if a.AlertEmail != "" && !emailRE.MatchString(a.AlertEmail) {
		bad("AlertEmail %q is not allowed: want an email address, or \"\" for no subscription", a.AlertEmail)
	}
	if a.LoadBalancer == nil && a.AutoScaling == nil && a.Database == nil {
		bad("LoadBalancer, AutoScaling or Database is required: there would be nothing to alarm on")
	}
	if lb := a.LoadBalancer; lb != nil {
		if lb.LoadBalancerARNSuffix == nil {
			bad("LoadBalancer.LoadBalancerARNSuffix is required")
		}
		if lb.TargetGroupARNSuffix == nil {
			bad("LoadBalancer.TargetGroupARNSuffix is required")
		}
		if lb.Server5xxPerMinute < 1 {
			bad("LoadBalancer.Server5xxPerMinute %d is not allowed: want at least 1", lb.Server5xxPerMinute)
		}
		if lb.LatencyThresholdSeconds <= 0 || lb.LatencyThresholdSeconds > maxLatencySeconds {
			bad("LoadBalancer.LatencyThresholdSeconds %g is not allowed: want more than 0, up to %d", lb.LatencyThresholdSeconds, maxLatencySeconds)
		}
		if lb.LatencyP99ThresholdSeconds < lb.LatencyThresholdSeconds || lb.LatencyP99ThresholdSeconds > maxLatencySeconds {
			bad("LoadBalancer.LatencyP99ThresholdSeconds %g is not allowed: want %g-%d (at least the p95 threshold)", lb.LatencyP99ThresholdSeconds, lb.LatencyThresholdSeconds, maxLatencySeconds)
		}
	}
	if as := a.AutoScaling; as != nil {
		if as.AutoScalingGroupName == nil {
			bad("AutoScaling.AutoScalingGroupName is required")
		}
		if as.MaxSize < 1 {
			bad("AutoScaling.MaxSize %d is not allowed: want the group's maximum size, at least 1", as.MaxSize)
		}
	}
	if db := a.Database; db != nil {
		if db.DBInstanceIdentifier == nil {
			bad("Database.DBInstanceIdentifier is required")
		}
		for i, r := range db.ReplicaIdentifiers {
			if r == nil {
				bad("Database.ReplicaIdentifiers[%d] is nil: want a replica's identifier", i)
			}
		}
		if db.CPUPercent < 1 || db.CPUPercent > 100 {
			bad("Database.CPUPercent %d is not allowed: want 1-100", db.CPUPercent)
		}
		if db.FreeStorageGB < 1 || db.FreeStorageGB > 65536 {
			bad("Database.FreeStorageGB %d is not allowed: want 1-65536", db.FreeStorageGB)
		}
		if db.ReplicaLagSeconds < 1 || db.ReplicaLagSeconds > 86400 {
			bad("Database.ReplicaLagSeconds %d is not allowed: want 1-86400", db.ReplicaLagSeconds)
		}
	}
	if len(p) == 0 {
		return nil
	}
	return errors.New(strings.Join(p, "; "))
}
