package monitoring

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/pulumi/pulumi-gcp/sdk/v7/go/gcp/monitoring"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

const dashboardType = "scalestack:gcp:Dashboard"

// DashboardColumns is the width of the dashboard's mosaic grid: Cloud Monitoring allows 1-48
// columns, and a tile's xPos + width must stay within them
// (https://cloud.google.com/monitoring/api/ref_v3/rest/v1/projects.dashboards#mosaiclayout).
const DashboardColumns = 48

// DashboardArgs configures the on-call dashboard. Every part is optional: a tile is added for
// what is given.
type DashboardArgs struct {
	// Project is the project ID (the console URL's project; Cloud SQL's database_id prefix).
	// Required.
	Project string
	// URLMapName is the load balancer's URL map: requests, 5xx and latency percentiles.
	URLMapName pulumi.StringInput
	// Groups are the web tiers' managed instance groups: instances against their bounds.
	Groups []Group
	// PrimaryDatabase is the Cloud SQL primary: CPU and connections.
	PrimaryDatabase pulumi.StringInput
	// ReplicaDatabases are the Cloud SQL replicas: replication lag.
	ReplicaDatabases []pulumi.StringInput
	// CacheInstanceID is the Memorystore instance's full name: cache hit ratio and memory.
	CacheInstanceID pulumi.StringInput
	// SubscriptionName is the work subscription: backlog and oldest unacknowledged message.
	SubscriptionName pulumi.StringInput
	// DeadLetterSubscriptionName is the dead-letter subscription: dead letters waiting.
	DeadLetterSubscriptionName pulumi.StringInput
	// Workers is the worker tier's managed instance group: instances against its bounds.
	Workers *Group
}

// Dashboard is a Cloud Monitoring dashboard with the numbers an on-call engineer opens first.
type Dashboard struct {
	pulumi.ResourceState

	// DashboardID is the dashboard's id (the last part of projects/<p>/dashboards/<id>).
	DashboardID pulumi.StringOutput `pulumi:"dashboardId"`
	// URL opens the dashboard in the Google Cloud console.
	URL pulumi.StringOutput `pulumi:"url"`
}

// ConsoleURL is the console address of a dashboard.
func ConsoleURL(project, id string) string {
	return fmt.Sprintf("https://console.cloud.google.com/monitoring/dashboards/builder/%s?project=%s", id, project)
}

// series is one line of a chart: a Monitoring filter and how it is aligned and reduced.
type series struct {
	legend, filter, aligner, reducer string
	groupBy                          []string
}

// tile is one chart of the dashboard, with optional threshold lines.
type tile struct {
	title      string
	series     []series
	thresholds []float64
}

func (t tile) widget() map[string]any {
	var sets []any
	for _, s := range t.series {
		agg := map[string]any{"alignmentPeriod": "60s", "perSeriesAligner": s.aligner}
		if s.reducer != "" {
			agg["crossSeriesReducer"] = s.reducer
			if len(s.groupBy) > 0 {
				agg["groupByFields"] = s.groupBy
			}
		}
		set := map[string]any{
			"plotType":   "LINE",
			"targetAxis": "Y1",
			"timeSeriesQuery": map[string]any{
				"timeSeriesFilter": map[string]any{"filter": s.filter, "aggregation": agg},
			},
		}
		if s.legend != "" {
			set["legendTemplate"] = s.legend
		}
		sets = append(sets, set)
	}
	chart := map[string]any{"dataSets": sets}
	if len(t.thresholds) > 0 {
		var th []any
		for _, v := range t.thresholds {
			th = append(th, map[string]any{"value": v, "targetAxis": "Y1"})
		}
		chart["thresholds"] = th
	}
	return map[string]any{"title": t.title, "xyChart": chart}
}

// dashboardJSON lays the tiles out two to a row on the mosaic grid.
func dashboardJSON(title string, tiles []tile) (string, error) {
	var out []any
	const width, height = DashboardColumns / 2, 16
	for i, t := range tiles {
		out = append(out, map[string]any{
			"xPos": (i % 2) * width, "yPos": (i / 2) * height, "width": width, "height": height,
			"widget": t.widget(),
		})
	}
	b, err := json.Marshal(map[string]any{
		"displayName":  title,
		"mosaicLayout": map[string]any{"columns": DashboardColumns, "tiles": out},
	})
	return string(b), err
}

// NewDashboard registers the on-call dashboard: requests, 5xx, latency percentiles, each
// group's instances against its bounds, database CPU, connections and replica lag, cache hit
// ratio and memory, queue backlog, oldest unacknowledged message, dead letters and workers.
func NewDashboard(ctx *pulumi.Context, name string, args *DashboardArgs, opts ...pulumi.ResourceOption) (*Dashboard, error) {
	if args == nil || args.Project == "" {
		return nil, fmt.Errorf("dashboard %q: Project is required", name)
	}
	a := *args
	d := &Dashboard{}
	if err := ctx.RegisterComponentResource(dashboardType, name, d, opts...); err != nil {
		return nil, err
	}
	// Every input becomes a string in the JSON; the keys say where.
	inputs := map[string]pulumi.StringInput{}
	put := func(key string, v pulumi.StringInput) string {
		if v == nil {
			return ""
		}
		inputs[key] = v
		return "{{" + key + "}}"
	}
	var tiles []tile
	if um := put("urlMap", a.URLMapName); um != "" {
		lb := fmt.Sprintf(`resource.type = "https_lb_rule" AND resource.labels.url_map_name = "%s"`, um)
		req := lb + ` AND metric.type = "loadbalancing.googleapis.com/https/request_count"`
		lat := lb + ` AND metric.type = "loadbalancing.googleapis.com/https/total_latencies"`
		tiles = append(tiles,
			tile{title: "Requests per second by response class", series: []series{{"", req, "ALIGN_RATE", "REDUCE_SUM", []string{"metric.labels.response_code_class"}}}},
			tile{title: "5xx responses per second", series: []series{{"", req + " AND metric.labels.response_code_class = 500", "ALIGN_RATE", "REDUCE_SUM", nil}}},
			tile{title: "Latency p50 / p95 / p99 (ms)", series: []series{
				{"p50", lat, "ALIGN_DELTA", "REDUCE_PERCENTILE_50", nil},
				{"p95", lat, "ALIGN_DELTA", "REDUCE_PERCENTILE_95", nil},
				{"p99", lat, "ALIGN_DELTA", "REDUCE_PERCENTILE_99", nil},
			}},
		)
	}
	group := func(title string, g Group, key string) tile {
		// Cloud Monitoring has no desired-size metric for a managed instance group: the group's
		// size is drawn against its maximum.
		return tile{title: title, thresholds: []float64{float64(g.MaxSize)}, series: []series{{"instances",
			fmt.Sprintf(`resource.type = "instance_group" AND resource.labels.instance_group_name = "%s" AND metric.type = "compute.googleapis.com/instance_group/size"`, put(key, g.Name)),
			"ALIGN_MEAN", "", nil}}}
	}
	for _, g := range a.Groups {
		tiles = append(tiles, group(fmt.Sprintf("Web instances (%s) against the maximum of %d", g.Key, g.MaxSize), g, "group-"+g.Key))
	}
	if db := put("db", a.PrimaryDatabase); db != "" {
		res := fmt.Sprintf(`resource.type = "cloudsql_database" AND resource.labels.database_id = "%s:%s"`, a.Project, db)
		tiles = append(tiles,
			tile{title: "Database CPU utilization", series: []series{{"", res + ` AND metric.type = "cloudsql.googleapis.com/database/cpu/utilization"`, "ALIGN_MEAN", "", nil}}},
			tile{title: "Database connections", series: []series{{"", res + ` AND metric.type = "cloudsql.googleapis.com/database/postgresql/num_backends"`, "ALIGN_MEAN", "REDUCE_SUM", []string{"resource.labels.database_id"}}}},
		)
	}
	if len(a.ReplicaDatabases) > 0 {
		t := tile{title: "Database replica lag (s)"}
		for i, r := range a.ReplicaDatabases {
			t.series = append(t.series, series{"", fmt.Sprintf(`resource.type = "cloudsql_database" AND resource.labels.database_id = "%s:%s" AND metric.type = "cloudsql.googleapis.com/database/replication/replica_lag"`, a.Project, put(fmt.Sprintf("replica-%d", i), r)), "ALIGN_MAX", "", nil})
		}
		tiles = append(tiles, t)
	}
	if c := put("cache", a.CacheInstanceID); c != "" {
		res := fmt.Sprintf(`resource.type = "redis_instance" AND resource.labels.instance_id = "%s"`, c)
		tiles = append(tiles,
			tile{title: "Cache hit ratio", series: []series{{"", res + fmt.Sprintf(` AND metric.type = "%s"`, CacheHitRatioMetric), "ALIGN_MEAN", "", nil}}},
			tile{title: "Cache memory usage ratio", thresholds: []float64{0.8}, series: []series{{"", res + fmt.Sprintf(` AND metric.type = "%s"`, CacheMemoryMetric), "ALIGN_MEAN", "", nil}}},
		)
	}
	if s := put("subscription", a.SubscriptionName); s != "" {
		res := fmt.Sprintf(`resource.type = "pubsub_subscription" AND resource.labels.subscription_id = "%s"`, s)
		tiles = append(tiles,
			tile{title: "Queue backlog (undelivered messages)", series: []series{{"", res + ` AND metric.type = "pubsub.googleapis.com/subscription/num_undelivered_messages"`, "ALIGN_MAX", "", nil}}},
			tile{title: "Oldest unacknowledged message age (s)", series: []series{{"", res + ` AND metric.type = "pubsub.googleapis.com/subscription/oldest_unacked_message_age"`, "ALIGN_MAX", "", nil}}},
		)
	}
	if s := put("dead-letters", a.DeadLetterSubscriptionName); s != "" {
		tiles = append(tiles, tile{title: "Dead letters waiting", series: []series{{"", fmt.Sprintf(`resource.type = "pubsub_subscription" AND resource.labels.subscription_id = "%s" AND metric.type = "pubsub.googleapis.com/subscription/num_undelivered_messages"`, s), "ALIGN_MAX", "", nil}}})
	}
	if a.Workers != nil {
		tiles = append(tiles, group(fmt.Sprintf("Workers against the maximum of %d", a.Workers.MaxSize), *a.Workers, "workers"))
	}
	if len(tiles) == 0 {
		return nil, fmt.Errorf("dashboard %q: nothing to show: give at least one of URLMapName, Groups, PrimaryDatabase, CacheInstanceID, SubscriptionName", name)
	}
	template, err := dashboardJSON("scalestack "+name, tiles)
	if err != nil {
		return nil, fmt.Errorf("dashboard %q: %w", name, err)
	}
	keys := make([]string, 0, len(inputs))
	all := make([]any, 0, len(inputs))
	for k, v := range inputs {
		keys = append(keys, k)
		all = append(all, v)
	}
	body := pulumi.All(all...).ApplyT(func(vs []any) string {
		out := template
		for i, k := range keys {
			// The values are names and ids; JSON-escape them as they go into strings.
			b, _ := json.Marshal(fmt.Sprint(vs[i]))
			out = strings.ReplaceAll(out, "{{"+k+"}}", strings.Trim(string(b), `"`))
		}
		return out
	}).(pulumi.StringOutput)
	db, err := monitoring.NewDashboard(ctx, name, &monitoring.DashboardArgs{
		Project:       pulumi.String(a.Project),
		DashboardJson: body,
	}, pulumi.Parent(d))
	if err != nil {
		return nil, fmt.Errorf("creating dashboard: %w", err)
	}
	d.DashboardID = db.ID().ToStringOutput().ApplyT(func(id string) string {
		return id[strings.LastIndex(id, "/")+1:]
	}).(pulumi.StringOutput)
	d.URL = d.DashboardID.ApplyT(func(id string) string { return ConsoleURL(a.Project, id) }).(pulumi.StringOutput)
	return d, ctx.RegisterResourceOutputs(d, pulumi.Map{"dashboardId": d.DashboardID, "url": d.URL})
}
