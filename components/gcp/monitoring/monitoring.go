// Package monitoring creates the alerting of a scalestack backend on Google Cloud: an email
// notification channel and alert policies for the load balancer's 5xx responses and
// latency, backend errors, the public endpoint's uptime check, each instance group at its
// maximum size, Cloud SQL CPU, disk and replica lag, and the Memorystore cache's memory,
// CPU, evictions and replication lag. Every policy notifies the channel. NewDashboard adds
// the on-call dashboard.
//
// Alert policies are global; the provider given in opts supplies the project.
package monitoring

import (
	"fmt"
	"regexp"

	"github.com/pulumi/pulumi-gcp/sdk/v7/go/gcp/monitoring"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

const typeToken = "scalestack:gcp:Monitoring"

// Memorystore for Redis metrics the cache policy and the dashboard read
// (https://cloud.google.com/memorystore/docs/redis/supported-monitoring-metrics).
const (
	CacheMemoryMetric     = "redis.googleapis.com/stats/memory/usage_ratio"
	CacheCPUMetric        = "redis.googleapis.com/stats/cpu_utilization_main_thread"
	CacheEvictionsMetric  = "redis.googleapis.com/stats/evicted_keys"
	CacheReplicaLagMetric = "redis.googleapis.com/replication/master/slaves/lag"
	CacheHitRatioMetric   = "redis.googleapis.com/stats/cache_hit_ratio"
)

// Args configures Monitoring. Zero values mean the documented default.
type Args struct {
	// Project is the project ID the Cloud SQL instances live in (their monitored resource
	// is "<project>:<instance>"). Required when Databases are given.
	Project string
	// Email receives the alerts. Default: "" (no channel: the policies still exist and show
	// incidents in the console).
	Email string
	// URLMapName is the load balancer's URL map (its name in Cloud Monitoring). Default: none
	// (no load balancer policies).
	URLMapName pulumi.StringInput
	// BackendServiceName is the load balancer's backend service. Default: none.
	BackendServiceName pulumi.StringInput
	// UptimeCheckIDs are uptime checks whose failure raises an alert. Default: none.
	UptimeCheckIDs []pulumi.StringInput
	// Groups are the managed instance groups watched for running at their maximum size.
	Groups []Group
	// PrimaryDatabase is the Cloud SQL primary instance name watched for CPU and disk.
	// Default: none.
	PrimaryDatabase pulumi.StringInput
	// ReplicaDatabases are the Cloud SQL replica instance names watched for replication lag.
	ReplicaDatabases []pulumi.StringInput
	// Error5xxPerMinute raises an alert above this many 5xx responses a minute. Default: 10.
	Error5xxPerMinute int
	// LatencyMs raises an alert when the 99th percentile latency stays above it. Default: 1000.
	LatencyMs int
	// DatabaseCPUPercent raises an alert above this CPU. Default: 80. Allowed: 1-100.
	DatabaseCPUPercent int
	// DatabaseDiskPercent raises an alert above this disk use. Default: 85. Allowed: 1-100.
	DatabaseDiskPercent int
	// ReplicaLagSeconds raises an alert above this replication lag. Default: 60.
	ReplicaLagSeconds int
	// CacheInstanceID is a Memorystore for Redis instance's full name
	// (cache.Cache.InstanceID), watched for memory use, main-thread CPU and evictions.
	// Default: none (no cache policies).
	CacheInstanceID pulumi.StringInput
	// CacheReplicated also watches the cache's replication lag (STANDARD_HA); it means
	// nothing without CacheInstanceID. Default: false.
	CacheReplicated bool
	// CacheMemoryPercent raises an alert above this share of the cache's memory. Default: 80.
	// Allowed: 1-100.
	CacheMemoryPercent int
	// CacheCPUPercent raises an alert above this main-thread CPU (Redis runs commands on one
	// thread). Default: 80. Allowed: 1-100.
	CacheCPUPercent int
}

// Group is one managed instance group.
type Group struct {
	// Key identifies the group in policy names ("primary"). Required, unique.
	Key string
	// Name is the managed instance group's name. Required.
	Name pulumi.StringInput
	// MaxSize is the group's maximum size. Required, at least 1.
	MaxSize int
}

var (
	emailRE = regexp.MustCompile(`^[^@\s]+@[^@\s]+\.[^@\s]+$`)
	keyRE   = regexp.MustCompile(`^[a-z][a-z0-9-]{0,30}$`)
)

func (a *Args) resolve() (Args, error) {
	var r Args
	if a != nil {
		r = *a
	}
	def := func(v *int, d int) {
		if *v == 0 {
			*v = d
		}
	}
	def(&r.Error5xxPerMinute, 10)
	def(&r.LatencyMs, 1000)
	def(&r.DatabaseCPUPercent, 80)
	def(&r.DatabaseDiskPercent, 85)
	def(&r.ReplicaLagSeconds, 60)
	def(&r.CacheMemoryPercent, 80)
	def(&r.CacheCPUPercent, 80)
	switch {
	case r.Email != "" && !emailRE.MatchString(r.Email):
		return r, fmt.Errorf("Email %q is not an email address", r.Email)
	case (r.PrimaryDatabase != nil || len(r.ReplicaDatabases) > 0) && r.Project == "":
		return r, fmt.Errorf("Project is required to watch Cloud SQL instances")
	case r.Error5xxPerMinute < 1:
		return r, fmt.Errorf("Error5xxPerMinute %d is not allowed: want 1 or more", r.Error5xxPerMinute)
	case r.LatencyMs < 1:
		return r, fmt.Errorf("LatencyMs %d is not allowed: want 1 or more", r.LatencyMs)
	case r.DatabaseCPUPercent < 1 || r.DatabaseCPUPercent > 100:
		return r, fmt.Errorf("DatabaseCPUPercent %d is not allowed: want 1-100", r.DatabaseCPUPercent)
	case r.DatabaseDiskPercent < 1 || r.DatabaseDiskPercent > 100:
		return r, fmt.Errorf("DatabaseDiskPercent %d is not allowed: want 1-100", r.DatabaseDiskPercent)
	case r.ReplicaLagSeconds < 1:
		return r, fmt.Errorf("ReplicaLagSeconds %d is not allowed: want 1 or more", r.ReplicaLagSeconds)
	case r.CacheMemoryPercent < 1 || r.CacheMemoryPercent > 100:
		return r, fmt.Errorf("CacheMemoryPercent %d is not allowed: want 1-100", r.CacheMemoryPercent)
	case r.CacheCPUPercent < 1 || r.CacheCPUPercent > 100:
		return r, fmt.Errorf("CacheCPUPercent %d is not allowed: want 1-100", r.CacheCPUPercent)
	}
	seen := map[string]bool{}
	for i, g := range r.Groups {
		switch {
		case !keyRE.MatchString(g.Key):
			return r, fmt.Errorf("Groups[%d].Key %q is not allowed: want lowercase letters, digits and dashes", i, g.Key)
		case seen[g.Key]:
			return r, fmt.Errorf("Groups[%d].Key %q is used twice: want unique keys", i, g.Key)
		case g.Name == nil:
			return r, fmt.Errorf("Groups[%d].Name is required", i)
		case g.MaxSize < 1:
			return r, fmt.Errorf("Groups[%d].MaxSize %d is not allowed: want 1 or more", i, g.MaxSize)
		}
		seen[g.Key] = true
	}
	return r, nil
}

// Monitoring is a notification channel and the alert policies that notify it.
type Monitoring struct {
	pulumi.ResourceState

	// ChannelName is the notification channel's resource name ("" without an email).
	ChannelName pulumi.StringOutput `pulumi:"channelName"`
	// PolicyNames are the alert policies' resource names.
	PolicyNames pulumi.StringArrayOutput `pulumi:"policyNames"`
	// Channels are the notification channels (none without an email), for other components'
	// alert policies.
	Channels pulumi.StringArrayOutput `pulumi:"-"`
}

// New validates args, applies defaults and registers the channel and the policies.
func New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*Monitoring, error) {
	a, err := args.resolve()
	if err != nil {
		return nil, fmt.Errorf("monitoring %q: %w", name, err)
	}
	m := &Monitoring{}
	if err := ctx.RegisterComponentResource(typeToken, name, m, opts...); err != nil {
		return nil, err
	}
	parent := pulumi.Parent(m)

	var channels pulumi.StringArray
	if a.Email != "" {
		ch, err := monitoring.NewNotificationChannel(ctx, name+"-email", &monitoring.NotificationChannelArgs{
			DisplayName: pulumi.String(name + " alerts"),
			Type:        pulumi.String("email"),
			Labels:      pulumi.StringMap{"email_address": pulumi.String(a.Email)},
		}, parent)
		if err != nil {
			return nil, fmt.Errorf("creating notification channel: %w", err)
		}
		channels = pulumi.StringArray{ch.Name}
		m.ChannelName = ch.Name
	}

	var names []any
	policy := func(key, title, severity string, conds monitoring.AlertPolicyConditionArray) error {
		pargs := &monitoring.AlertPolicyArgs{
			DisplayName: pulumi.Sprintf("%s: %s", name, title),
			Combiner:    pulumi.String("OR"),
			Severity:    pulumi.String(severity),
			Conditions:  conds,
			AlertStrategy: &monitoring.AlertPolicyAlertStrategyArgs{
				AutoClose: pulumi.String("1800s"),
			},
			Documentation: &monitoring.AlertPolicyDocumentationArgs{
				Content:  pulumi.String(title + " (scalestack " + name + ")."),
				MimeType: pulumi.String("text/markdown"),
			},
		}
		if channels != nil {
			pargs.NotificationChannels = channels
		}
		p, err := monitoring.NewAlertPolicy(ctx, name+"-"+key, pargs, parent)
		if err != nil {
			return fmt.Errorf("creating alert policy %q: %w", key, err)
		}
		names = append(names, p.Name)
		return nil
	}
	threshold := func(display string, filter pulumi.StringInput, aligner, reducer string, value float64, duration string, groupBy ...string) monitoring.AlertPolicyConditionArgs {
		agg := monitoring.AlertPolicyConditionConditionThresholdAggregationArgs{
			AlignmentPeriod:  pulumi.String("60s"),
			PerSeriesAligner: pulumi.String(aligner),
		}
		if reducer != "" {
			agg.CrossSeriesReducer = pulumi.String(reducer)
			agg.GroupByFields = pulumi.ToStringArray(groupBy)
		}
		return monitoring.AlertPolicyConditionArgs{
			DisplayName: pulumi.String(display),
			ConditionThreshold: &monitoring.AlertPolicyConditionConditionThresholdArgs{
				Filter:         filter,
				Comparison:     pulumi.String("COMPARISON_GT"),
				ThresholdValue: pulumi.Float64(value),
				Duration:       pulumi.String(duration),
				Aggregations:   monitoring.AlertPolicyConditionConditionThresholdAggregationArray{agg},
				Trigger:        &monitoring.AlertPolicyConditionConditionThresholdTriggerArgs{Count: pulumi.Int(1)},
			},
		}
	}

	if a.URLMapName != nil {
		lb := pulumi.Sprintf(`resource.type = "https_lb_rule" AND resource.labels.url_map_name = "%s"`, a.URLMapName)
		if err := policy("lb-5xx", "load balancer 5xx responses", "ERROR", monitoring.AlertPolicyConditionArray{
			threshold(fmt.Sprintf("more than %d 5xx a minute", a.Error5xxPerMinute),
				pulumi.Sprintf(`%s AND metric.type = "loadbalancing.googleapis.com/https/request_count" AND metric.labels.response_code_class = 500`, lb),
				"ALIGN_RATE", "REDUCE_SUM", float64(a.Error5xxPerMinute)/60, "300s", "resource.labels.url_map_name"),
		}); err != nil {
			return nil, err
		}
		if err := policy("lb-latency", "load balancer latency", "WARNING", monitoring.AlertPolicyConditionArray{
			threshold(fmt.Sprintf("p99 latency above %d ms", a.LatencyMs),
				pulumi.Sprintf(`%s AND metric.type = "loadbalancing.googleapis.com/https/total_latencies"`, lb),
				"ALIGN_PERCENTILE_99", "", float64(a.LatencyMs), "300s"),
		}); err != nil {
			return nil, err
		}
	}
	if a.BackendServiceName != nil {
		if err := policy("backend-errors", "backend errors", "ERROR", monitoring.AlertPolicyConditionArray{
			threshold(fmt.Sprintf("backends answer more than %d 5xx a minute", a.Error5xxPerMinute),
				pulumi.Sprintf(`resource.type = "https_lb_rule" AND resource.labels.backend_target_name = "%s" AND metric.type = "loadbalancing.googleapis.com/https/backend_request_count" AND metric.labels.response_code_class = 500`, a.BackendServiceName),
				"ALIGN_RATE", "REDUCE_SUM", float64(a.Error5xxPerMinute)/60, "300s", "resource.labels.backend_target_name"),
		}); err != nil {
			return nil, err
		}
	}
	if len(a.UptimeCheckIDs) > 0 {
		var conds monitoring.AlertPolicyConditionArray
		for _, id := range a.UptimeCheckIDs {
			conds = append(conds, monitoring.AlertPolicyConditionArgs{
				DisplayName: pulumi.String("uptime check failing from more than one region"),
				ConditionThreshold: &monitoring.AlertPolicyConditionConditionThresholdArgs{
					Filter:         pulumi.Sprintf(`resource.type = "uptime_url" AND metric.type = "monitoring.googleapis.com/uptime_check/check_passed" AND metric.labels.check_id = "%s"`, id),
					Comparison:     pulumi.String("COMPARISON_GT"),
					ThresholdValue: pulumi.Float64(1),
					Duration:       pulumi.String("120s"),
					Aggregations: monitoring.AlertPolicyConditionConditionThresholdAggregationArray{monitoring.AlertPolicyConditionConditionThresholdAggregationArgs{
						AlignmentPeriod:    pulumi.String("1200s"),
						PerSeriesAligner:   pulumi.String("ALIGN_NEXT_OLDER"),
						CrossSeriesReducer: pulumi.String("REDUCE_COUNT_FALSE"),
						GroupByFields:      pulumi.StringArray{pulumi.String("resource.labels.host")},
					}},
					Trigger: &monitoring.AlertPolicyConditionConditionThresholdTriggerArgs{Count: pulumi.Int(1)},
				},
			})
		}
		if err := policy("uptime", "public endpoint down", "CRITICAL", conds); err != nil {
			return nil, err
		}
	}
	for _, g := range a.Groups {
		if err := policy("at-max-"+g.Key, g.Key+" instance group at its maximum size", "WARNING", monitoring.AlertPolicyConditionArray{
			threshold(fmt.Sprintf("group size at its maximum of %d", g.MaxSize),
				pulumi.Sprintf(`resource.type = "instance_group" AND resource.labels.instance_group_name = "%s" AND metric.type = "compute.googleapis.com/instance_group/size"`, g.Name),
				"ALIGN_MIN", "", float64(g.MaxSize)-0.5, "900s"),
		}); err != nil {
			return nil, err
		}
	}
	if a.PrimaryDatabase != nil {
		db := pulumi.Sprintf(`resource.type = "cloudsql_database" AND resource.labels.database_id = "%s:%s"`, a.Project, a.PrimaryDatabase)
		if err := policy("db-cpu", "database CPU", "WARNING", monitoring.AlertPolicyConditionArray{
			threshold(fmt.Sprintf("CPU above %d%%", a.DatabaseCPUPercent),
				pulumi.Sprintf(`%s AND metric.type = "cloudsql.googleapis.com/database/cpu/utilization"`, db),
				"ALIGN_MEAN", "", float64(a.DatabaseCPUPercent)/100, "600s"),
		}); err != nil {
			return nil, err
		}
		if err := policy("db-disk", "database disk", "ERROR", monitoring.AlertPolicyConditionArray{
			threshold(fmt.Sprintf("disk above %d%%", a.DatabaseDiskPercent),
				pulumi.Sprintf(`%s AND metric.type = "cloudsql.googleapis.com/database/disk/utilization"`, db),
				"ALIGN_MEAN", "", float64(a.DatabaseDiskPercent)/100, "300s"),
		}); err != nil {
			return nil, err
		}
	}
	if len(a.ReplicaDatabases) > 0 {
		var conds monitoring.AlertPolicyConditionArray
		for _, r := range a.ReplicaDatabases {
			conds = append(conds, threshold(fmt.Sprintf("replication lag above %d s", a.ReplicaLagSeconds),
				pulumi.Sprintf(`resource.type = "cloudsql_database" AND resource.labels.database_id = "%s:%s" AND metric.type = "cloudsql.googleapis.com/database/replication/replica_lag"`, a.Project, r),
				"ALIGN_MAX", "", float64(a.ReplicaLagSeconds), "300s"))
		}
		if err := policy("db-replica-lag", "database replica lag", "WARNING", conds); err != nil {
			return nil, err
		}
	}

	if a.CacheInstanceID != nil {
		// Memorystore metrics are on the monitored resource redis_instance, whose instance_id
		// is the instance's full name
		// (https://cloud.google.com/memorystore/docs/redis/supported-monitoring-metrics).
		cache := pulumi.Sprintf(`resource.type = "redis_instance" AND resource.labels.instance_id = "%s"`, a.CacheInstanceID)
		conds := monitoring.AlertPolicyConditionArray{
			threshold(fmt.Sprintf("memory above %d%%", a.CacheMemoryPercent),
				pulumi.Sprintf(`%s AND metric.type = "%s"`, cache, CacheMemoryMetric),
				"ALIGN_MEAN", "", float64(a.CacheMemoryPercent)/100, "300s"),
			threshold(fmt.Sprintf("main-thread CPU above %d%%", a.CacheCPUPercent),
				pulumi.Sprintf(`%s AND metric.type = "%s"`, cache, CacheCPUMetric),
				"ALIGN_RATE", "", float64(a.CacheCPUPercent)/100, "600s"),
			threshold("keys evicted for 10 minutes (the cache is too small for its working set)",
				pulumi.Sprintf(`%s AND metric.type = "%s"`, cache, CacheEvictionsMetric),
				"ALIGN_RATE", "", 0, "600s"),
		}
		if a.CacheReplicated {
			conds = append(conds, threshold(fmt.Sprintf("replication lag above %d s", a.ReplicaLagSeconds),
				pulumi.Sprintf(`%s AND metric.type = "%s"`, cache, CacheReplicaLagMetric),
				"ALIGN_MAX", "", float64(a.ReplicaLagSeconds), "300s"))
		}
		if err := policy("cache", "cache memory, CPU, evictions and replication", "WARNING", conds); err != nil {
			return nil, err
		}
	}

	if m.ChannelName == (pulumi.StringOutput{}) {
		m.ChannelName = pulumi.String("").ToStringOutput()
		m.Channels = pulumi.StringArray{}.ToStringArrayOutput()
	} else {
		m.Channels = channels.ToStringArrayOutput()
	}
	m.PolicyNames = pulumi.All(names...).ApplyT(func(xs []any) []string {
		out := make([]string, len(xs))
		for i, x := range xs {
			out[i], _ = x.(string)
		}
		return out
	}).(pulumi.StringArrayOutput)
	return m, ctx.RegisterResourceOutputs(m, pulumi.Map{
		"channelName": m.ChannelName,
		"policyNames": m.PolicyNames,
	})
}

// Validate reports the first problem with args, registering nothing.
func (a *Args) Validate() error { _, err := a.resolve(); return err }
