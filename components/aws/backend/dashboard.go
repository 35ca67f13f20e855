package backend

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/scalestack/scalestack/components/aws/cache"
	"github.com/scalestack/scalestack/components/aws/database"
)

// DashboardURL is the console address of a CloudWatch dashboard. Dashboards are global to
// the account (CloudWatch API reference, PutDashboard); the console opens them from a region.
func DashboardURL(region, name string) string {
	return fmt.Sprintf("https://%s.console.aws.amazon.com/cloudwatch/home?region=%s#dashboards:name=%s", region, region, name)
}

// DashboardMetrics are the resolved names the dashboard's widgets chart.
type DashboardMetrics struct {
	// Regions are the load balancers and web groups, primary first.
	Regions []RegionMetrics
	// Database is the primary's identifier, with its in-region replicas; CrossRegionReplica
	// is "" without one.
	Database, CrossRegionReplica string
	Replicas                     []string
	// CacheClusters are the cache's nodes (nil without a cache).
	CacheClusters []string
	// Queue, DeadLetterQueue and WorkerGroup name the queue tier ("" without one).
	Queue, DeadLetterQueue, WorkerGroup string
}

// RegionMetrics are one region's load balancer, target group and web group.
type RegionMetrics struct {
	Role, Region                        string
	LoadBalancer, TargetGroup, WebGroup string
}

var notDashboardName = regexp.MustCompile(`[^A-Za-z0-9_-]+`)

// dashboardName is DashboardName, or "<project>-<stack>-<name>" made safe.
func dashboardName(ctx *pulumi.Context, name string, a Args) string {
	if a.DashboardName != "" {
		return a.DashboardName
	}
	n := notDashboardName.ReplaceAllString(ctx.Project()+"-"+ctx.Stack()+"-"+name, "-")
	if len(n) > 255 {
		n = n[:255]
	}
	return n
}

// dashboard registers "<name>-dashboard" in the primary region and returns its console URL.
func (b *Backend) dashboard(ctx *pulumi.Context, name string, a Args, db *database.Database) (pulumi.StringOutput, error) {
	// Every name the widgets need, resolved together.
	parts := pulumi.Array{}
	add := func(v pulumi.Input) int { parts = append(parts, v); return len(parts) - 1 }
	type regionIdx struct {
		role, region string
		lb, tg, web  int
	}
	var rs []regionIdx
	for _, role := range []string{"primary", "secondary"} {
		t := b.Regions[role]
		if t == nil {
			continue
		}
		rs = append(rs, regionIdx{role, t.Region, add(t.LoadBalancer.ARNSuffix), add(t.LoadBalancer.TargetGroupARNSuffix), add(t.Web.GroupName)})
	}
	dbI, crossI, replicasI := add(db.PrimaryIdentifier), add(db.CrossRegionReplicaIdentifier), add(db.ReplicaIdentifiers)
	cacheI, queueI, dlqI, workerI := -1, -1, -1, -1
	if b.Cache != nil {
		cacheI = add(b.Cache.MemberClusterIDs)
	}
	if b.Queue != nil {
		queueI, dlqI, workerI = add(b.Queue.Name), add(b.Queue.DeadLetterName), add(b.Worker.GroupName)
	}
	body := parts.ToArrayOutput().ApplyT(func(v []any) (string, error) {
		str := func(i int) string {
			if i < 0 {
				return ""
			}
			s, _ := v[i].(string)
			return s
		}
		strs := func(i int) []string {
			if i < 0 {
				return nil
			}
			s, _ := v[i].([]string)
			return s
		}
		m := DashboardMetrics{
			Database: str(dbI), CrossRegionReplica: str(crossI), Replicas: strs(replicasI),
			CacheClusters: strs(cacheI), Queue: str(queueI), DeadLetterQueue: str(dlqI), WorkerGroup: str(workerI),
		}
		for _, r := range rs {
			m.Regions = append(m.Regions, RegionMetrics{Role: r.role, Region: r.region,
				LoadBalancer: str(r.lb), TargetGroup: str(r.tg), WebGroup: str(r.web)})
		}
		return DashboardBody(m)
	}).(pulumi.StringOutput)

	dn := dashboardName(ctx, name, a)
	if _, err := cloudwatch.NewDashboard(ctx, name+"-dashboard", &cloudwatch.DashboardArgs{
		DashboardName: pulumi.String(dn),
		DashboardBody: body,
	}, pulumi.Parent(b), pulumi.Provider(a.Primary.Provider)); err != nil {
		return pulumi.StringOutput{}, fmt.Errorf("creating dashboard: %w", err)
	}
	return pulumi.String(DashboardURL(a.Primary.Name, dn)).ToStringOutput(), nil
}

// widget is one metric widget of the dashboard body.
type widget struct {
	title, region, stat string
	period              int
	metrics             []any
}

// metric is one metric line: namespace, name, dimension pairs, and rendering options (an
// "id" makes it usable in an expression; "visible": false hides a term of one).
func metric(ns, name string, opts map[string]any, dims ...string) []any {
	out := []any{ns, name}
	for _, d := range dims {
		out = append(out, d)
	}
	if len(opts) > 0 {
		out = append(out, opts)
	}
	return out
}

// expr is a metric-math line; its id must start with a lowercase letter and the ids it
// names must be metrics of the same widget.
func expr(id, expression, label string) []any {
	return []any{map[string]any{"id": id, "expression": expression, "label": label}}
}

// DashboardBody is the dashboard's JSON: the numbers an on-call engineer opens first.
// Per region: requests, errors (5xx and the error rate, by metric math), latency p50, p95
// and p99, web instances in service vs desired. Then the database (CPU, connections,
// replica lag), the cache (hit ratio by metric math over every node, engine CPU, memory,
// evictions) and the queue (backlog, oldest message age, dead-letter messages, backlog per
// worker by metric math, workers in service vs desired).
func DashboardBody(m DashboardMetrics) (string, error) {
	var ws []widget
	primary := ""
	for _, r := range m.Regions {
		if primary == "" {
			primary = r.Region
		}
		lb := []string{"LoadBalancer", r.LoadBalancer}
		lbTG := []string{"LoadBalancer", r.LoadBalancer, "TargetGroup", r.TargetGroup}
		asg := []string{"AutoScalingGroupName", r.WebGroup}
		in := func(prefix string) string { return prefix + " (" + r.Role + ", " + r.Region + ")" }
		ws = append(ws,
			widget{title: in("Requests"), region: r.Region, stat: "Sum", period: 60, metrics: []any{
				metric("AWS/ApplicationELB", "RequestCount", map[string]any{"label": "requests"}, lb...),
			}},
			widget{title: in("Errors"), region: r.Region, stat: "Sum", period: 60, metrics: []any{
				metric("AWS/ApplicationELB", "RequestCount", map[string]any{"id": "requests", "visible": false}, lb...),
				metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", map[string]any{"id": "target5xx", "label": "application 5xx"}, lbTG...),
				metric("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", map[string]any{"id": "elb5xx", "label": "load balancer 5xx"}, lb...),
				expr("errorrate", "100 * (FILL(target5xx, 0) + FILL(elb5xx, 0)) / requests", "5xx % of requests"),
			}},
			widget{title: in("Latency"), region: r.Region, stat: "p50", period: 60, metrics: []any{
				metric("AWS/ApplicationELB", "TargetResponseTime", map[string]any{"stat": "p50", "label": "p50"}, lbTG...),
				metric("AWS/ApplicationELB", "TargetResponseTime", map[string]any{"stat": "p95", "label": "p95"}, lbTG...),
				metric("AWS/ApplicationELB", "TargetResponseTime", map[string]any{"stat": "p99", "label": "p99"}, lbTG...),
			}},
			widget{title: in("Web instances"), region: r.Region, stat: "Average", period: 60, metrics: []any{
				metric("AWS/AutoScaling", "GroupInServiceInstances", map[string]any{"label": "in service"}, asg...),
				metric("AWS/AutoScaling", "GroupDesiredCapacity", map[string]any{"label": "desired"}, asg...),
			}},
		)
	}
	dbMetrics := []any{
		metric("AWS/RDS", "CPUUtilization", map[string]any{"label": "primary CPU %"}, "DBInstanceIdentifier", m.Database),
		metric("AWS/RDS", "DatabaseConnections", map[string]any{"label": "primary connections", "yAxis": "right"}, "DBInstanceIdentifier", m.Database),
	}
	lag := []any{}
	for i, r := range m.Replicas {
		lag = append(lag, metric("AWS/RDS", "ReplicaLag", map[string]any{"label": fmt.Sprintf("replica %d lag (s)", i+1)}, "DBInstanceIdentifier", r))
	}
	ws = append(ws, widget{title: "Database CPU and connections", region: primary, stat: "Average", period: 60, metrics: dbMetrics})
	if len(m.Regions) > 1 && m.CrossRegionReplica != "" {
		sec := m.Regions[1].Region
		ws = append(ws, widget{title: "Cross-region replica lag (" + sec + ")", region: sec, stat: "Maximum", period: 60, metrics: []any{
			metric("AWS/RDS", "ReplicaLag", map[string]any{"label": "cross-region replica lag (s)"}, "DBInstanceIdentifier", m.CrossRegionReplica),
		}})
	}
	if len(lag) > 0 {
		ws = append(ws, widget{title: "Read replica lag", region: primary, stat: "Maximum", period: 60, metrics: lag})
	}
	if len(m.CacheClusters) > 0 {
		var hits, misses, rest []any
		var hitIDs, missIDs []string
		for i, c := range m.CacheClusters {
			node := []string{"CacheClusterId", c, "CacheNodeId", cache.NodeID}
			h, ms := fmt.Sprintf("hits%d", i+1), fmt.Sprintf("misses%d", i+1)
			hitIDs, missIDs = append(hitIDs, h), append(missIDs, ms)
			hits = append(hits, metric("AWS/ElastiCache", "CacheHits", map[string]any{"id": h, "visible": false}, node...))
			misses = append(misses, metric("AWS/ElastiCache", "CacheMisses", map[string]any{"id": ms, "visible": false}, node...))
			rest = append(rest,
				metric("AWS/ElastiCache", "EngineCPUUtilization", map[string]any{"label": c + " engine CPU %"}, node...),
				metric("AWS/ElastiCache", "DatabaseMemoryUsagePercentage", map[string]any{"label": c + " memory %"}, node...),
			)
		}
		h, ms := "SUM(["+strings.Join(hitIDs, ", ")+"])", "SUM(["+strings.Join(missIDs, ", ")+"])"
		ratio := append(append(hits, misses...), expr("hitratio", "100 * "+h+" / ("+h+" + "+ms+")", "cache hit ratio %"))
		var evictions []any
		for _, c := range m.CacheClusters {
			evictions = append(evictions, metric("AWS/ElastiCache", "Evictions", map[string]any{"label": c + " evictions"}, "CacheClusterId", c, "CacheNodeId", cache.NodeID))
		}
		ws = append(ws,
			widget{title: "Cache hit ratio", region: primary, stat: "Sum", period: 300, metrics: ratio},
			widget{title: "Cache engine CPU and memory", region: primary, stat: "Average", period: 300, metrics: rest},
			widget{title: "Cache evictions", region: primary, stat: "Sum", period: 300, metrics: evictions},
		)
	}
	if m.Queue != "" {
		q := []string{"QueueName", m.Queue}
		worker := []string{"AutoScalingGroupName", m.WorkerGroup}
		ws = append(ws,
			widget{title: "Queue backlog", region: primary, stat: "Maximum", period: 60, metrics: []any{
				metric("AWS/SQS", "ApproximateNumberOfMessagesVisible", map[string]any{"label": "visible messages"}, q...),
				metric("AWS/SQS", "ApproximateNumberOfMessagesVisible", map[string]any{"label": "dead-letter messages"}, "QueueName", m.DeadLetterQueue),
			}},
			widget{title: "Oldest message age (s)", region: primary, stat: "Maximum", period: 60, metrics: []any{
				metric("AWS/SQS", "ApproximateAgeOfOldestMessage", map[string]any{"label": "oldest message (s)"}, q...),
			}},
			widget{title: "Workers and backlog per worker", region: primary, stat: "Average", period: 60, metrics: []any{
				metric("AWS/SQS", "ApproximateNumberOfMessagesVisible", map[string]any{"id": "visible", "stat": "Sum", "visible": false}, q...),
				metric("AWS/AutoScaling", "GroupInServiceInstances", map[string]any{"id": "inservice", "label": "workers in service"}, worker...),
				metric("AWS/AutoScaling", "GroupDesiredCapacity", map[string]any{"label": "workers desired"}, worker...),
				expr("backlog", "visible / inservice", "backlog per worker"),
			}},
		)
	}
	out := []any{map[string]any{
		"type": "text", "x": 0, "y": 0, "width": 24, "height": 2,
		"properties": map[string]any{"markdown": "Managed by scalestack (Pulumi): changes made in the console are overwritten on the next deploy."},
	}}
	for i, w := range ws {
		out = append(out, map[string]any{
			"type": "metric", "x": (i % 2) * 12, "y": 2 + (i/2)*6, "width": 12, "height": 6,
			"properties": map[string]any{
				"title": w.title, "region": w.region, "stat": w.stat, "period": w.period,
				"view": "timeSeries", "stacked": false, "metrics": w.metrics,
			},
		})
	}
	b, err := json.Marshal(map[string]any{"start": "-PT6H", "widgets": out})
	return string(b), err
}
