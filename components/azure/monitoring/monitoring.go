// Package monitoring creates the alerting of the scalestack backend on Azure: one action group
// (email from configuration, common alert schema) and, per region (a Target), metric alerts
// that notify it:
//
//   - gateway: 5xx responses, total latency and unhealthy backends (Application Gateway), or
//     health-probe availability below 100% (Standard Load Balancer, which has no HTTP metrics);
//   - web tier: average CPU over the threshold, and the autoscale setting observing the scale
//     set at its maximum capacity (it cannot scale out further);
//   - database: CPU and, except on Hyperscale (whose storage grows on its own), storage used;
//   - queue (a Target with QueueServiceID): the account's queued messages over a threshold
//     (QueueMessageCount, which Azure Monitor emits hourly for all queues of the account), and
//     the worker tier at its maximum capacity (the backlog outgrows the workers).
//
// With DashboardLocation, an Azure portal dashboard (<name>-dashboard) charts the numbers an
// on-call engineer opens first; its portal URL is DashboardURL.
//
// Log Analytics is not among this project's SDK modules, so every alert is a metric alert.
// What no platform metric measures is said, not faked: a Storage queue's oldest message age
// and a single queue's length (the poison queue's) are not Azure Monitor metrics (the worker
// library must report them), and Azure SQL's geo-replication lag is read with T-SQL
// (sys.dm_geo_replication_link_status), so the dashboard says so in its header.
package monitoring

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/pulumi/pulumi-azure-native-sdk/insights/v2"
	"github.com/pulumi/pulumi-azure-native-sdk/portal/v2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/scalestack/scalestack/providers"
	"github.com/scalestack/scalestack/providers/azureregions"
)

// typeToken is part of every child's URN: changing it needs pulumi.Aliases.
const typeToken = "scalestack:azure:Monitoring"

// Gateway kinds, as in the gateway package.
const (
	GatewayAppGateway = "appgateway"
	GatewayStandardLB = "standard"
)

// Target is what one region's alerts watch. Alerts exist only for the IDs that are set.
type Target struct {
	// Key names the region's alerts ("primary" → <name>-primary-gateway-5xx). Required, unique.
	Key string
	// GatewayID is the Application Gateway's or load balancer's ID; GatewayKind says which
	// ("appgateway", the default, or "standard").
	GatewayID   pulumi.StringInput
	GatewayKind string
	// ScaleSetID is the web tier's scale set.
	ScaleSetID pulumi.StringInput
	// AutoscaleSettingID and MaxSize enable the at-max-capacity alert.
	AutoscaleSettingID pulumi.StringInput
	MaxSize            int
	// DatabaseID is the SQL database; DatabaseHyperscale drops the storage alert.
	DatabaseID         pulumi.StringInput
	DatabaseHyperscale bool
	// QueueServiceID is a storage account's queue service (<account ID>/queueServices/default):
	// QueueBacklogThreshold enables the backlog alert on its QueueMessageCount.
	QueueServiceID        pulumi.StringInput
	QueueBacklogThreshold int
	// WorkerAutoscaleSettingID and WorkerMaxSize enable the workers-at-max alert.
	WorkerAutoscaleSettingID pulumi.StringInput
	WorkerMaxSize            int
	// FrontDoorID is the Front Door profile the dashboard charts requests, errors and latency
	// of (no alert).
	FrontDoorID pulumi.StringInput
}

// Args configures Monitoring. Zero values mean the documented default.
type Args struct {
	// ResourceGroupName holds the action group and alerts. Required.
	ResourceGroupName pulumi.StringInput
	// Email receives the alerts. Default: none (the action group exists without receivers).
	Email string
	// ShortName is the action group's short name in SMS and email. Default: scalestack.
	// Allowed: 1-12 characters.
	ShortName string
	// Targets are the regions watched.
	Targets []Target
	// Gateway5xxPerFiveMinutes alerts when more 5xx responses happen in 5 minutes. Default: 10.
	Gateway5xxPerFiveMinutes int
	// LatencyThresholdMs alerts when the gateway's average total time exceeds it. Default: 1000.
	LatencyThresholdMs int
	// CPUPercent alerts when the web tier's or database's average CPU exceeds it for 15
	// minutes. Default: 85. Allowed: 1-100.
	CPUPercent int
	// StoragePercent alerts when the database's storage use exceeds it. Default: 85. Allowed: 1-100.
	StoragePercent int
	// DashboardLocation creates the portal dashboard in that location. Default: "" (none).
	DashboardLocation string
	// Tags are added to every child.
	Tags map[string]string
}

type resolved struct{ Args }

var (
	keyRE   = regexp.MustCompile(`^[a-z][a-z0-9-]{0,30}$`)
	emailRE = regexp.MustCompile(`^[^@\s]+@[^@\s]+\.[^@\s]+$`)
	// locationRE is an Azure location name.
	locationRE = regexp.MustCompile(`^[a-z]+[a-z0-9]*$`)
)

// Validate checks args (with the defaults applied) without registering anything.
func (a *Args) Validate() error {
	_, err := a.resolve()
	return err
}

func (a *Args) resolve() (*resolved, error) {
	if a == nil {
		return nil, fmt.Errorf("args are required: want ResourceGroupName")
	}
	r := &resolved{*a}
	if r.ShortName == "" {
		r.ShortName = "scalestack"
	}
	if r.Gateway5xxPerFiveMinutes == 0 {
		r.Gateway5xxPerFiveMinutes = 10
	}
	if r.LatencyThresholdMs == 0 {
		r.LatencyThresholdMs = 1000
	}
	if r.CPUPercent == 0 {
		r.CPUPercent = 85
	}
	if r.StoragePercent == 0 {
		r.StoragePercent = 85
	}
	r.Targets = append([]Target(nil), a.Targets...)
	switch {
	case r.ResourceGroupName == nil:
		return nil, fmt.Errorf("ResourceGroupName is required")
	case r.Email != "" && !emailRE.MatchString(r.Email):
		return nil, fmt.Errorf("Email %q is not an email address", r.Email)
	case r.DashboardLocation != "" && !locationRE.MatchString(r.DashboardLocation):
		return nil, fmt.Errorf("DashboardLocation %q is not an Azure location: want a name such as eastus2, or \"\" for no dashboard", r.DashboardLocation)
	case len(r.ShortName) > 12:
		return nil, fmt.Errorf("ShortName %q is not allowed: want 1-12 characters", r.ShortName)
	case r.Gateway5xxPerFiveMinutes < 0 || r.LatencyThresholdMs < 0:
		return nil, fmt.Errorf("thresholds %d (5xx) and %d ms (latency) are not allowed: want positive numbers", r.Gateway5xxPerFiveMinutes, r.LatencyThresholdMs)
	case r.CPUPercent < 1 || r.CPUPercent > 100:
		return nil, fmt.Errorf("CPUPercent %d is not allowed: want 1-100", r.CPUPercent)
	case r.StoragePercent < 1 || r.StoragePercent > 100:
		return nil, fmt.Errorf("StoragePercent %d is not allowed: want 1-100", r.StoragePercent)
	}
	seen := map[string]bool{}
	for i := range r.Targets {
		t := &r.Targets[i]
		if t.GatewayKind == "" {
			t.GatewayKind = GatewayAppGateway
		}
		switch {
		case !keyRE.MatchString(t.Key) || seen[t.Key]:
			return nil, fmt.Errorf("Targets[%d].Key %q is not allowed: want a unique lowercase name such as primary", i, t.Key)
		case t.GatewayKind != GatewayAppGateway && t.GatewayKind != GatewayStandardLB:
			return nil, fmt.Errorf("Targets[%d].GatewayKind %q is not allowed: want %q or %q", i, t.GatewayKind, GatewayAppGateway, GatewayStandardLB)
		case t.AutoscaleSettingID != nil && t.MaxSize < 1:
			return nil, fmt.Errorf("Targets[%d].MaxSize %d is not allowed with AutoscaleSettingID: want the scale set's maximum, at least 1", i, t.MaxSize)
		case t.WorkerAutoscaleSettingID != nil && t.WorkerMaxSize < 1:
			return nil, fmt.Errorf("Targets[%d].WorkerMaxSize %d is not allowed with WorkerAutoscaleSettingID: want the workers' maximum, at least 1", i, t.WorkerMaxSize)
		case t.QueueServiceID != nil && t.QueueBacklogThreshold < 1:
			return nil, fmt.Errorf("Targets[%d].QueueBacklogThreshold %d is not allowed with QueueServiceID: want the queued messages to alert above, at least 1", i, t.QueueBacklogThreshold)
		}
		seen[t.Key] = true
	}
	return r, nil
}

// Monitoring is the action group and the metric alerts.
type Monitoring struct {
	pulumi.ResourceState

	// ActionGroupID is the action group every alert notifies.
	ActionGroupID pulumi.StringOutput `pulumi:"actionGroupId"`
	// AlertIDs are the alerts' IDs by logical name.
	AlertIDs pulumi.StringMapOutput `pulumi:"alertIds"`
	// DashboardURL opens the portal dashboard ("" without DashboardLocation).
	DashboardURL pulumi.StringOutput `pulumi:"dashboardUrl"`
}

// alert is one metric alert to create.
type alert struct {
	suffix, description string
	scope               pulumi.StringInput
	namespace, metric   string
	aggregation, op     string
	threshold           float64
	severity            int
	window              string
	dimension           *insights.MetricDimensionArgs
}

// New validates args, applies defaults and registers the action group and alerts.
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
	tags := azureregions.Tags(providers.Tags(a.Tags))

	receivers := insights.EmailReceiverArray{}
	if a.Email != "" {
		receivers = append(receivers, &insights.EmailReceiverArgs{
			Name: pulumi.String("ops"), EmailAddress: pulumi.String(a.Email), UseCommonAlertSchema: pulumi.Bool(true),
		})
	}
	ag, err := insights.NewActionGroup(ctx, name+"-alerts", &insights.ActionGroupArgs{
		ResourceGroupName: a.ResourceGroupName,
		Location:          pulumi.String("Global"),
		Enabled:           pulumi.Bool(true),
		GroupShortName:    pulumi.String(a.ShortName),
		EmailReceivers:    receivers,
		Tags:              tags,
	}, parent)
	if err != nil {
		return nil, fmt.Errorf("creating action group: %w", err)
	}

	ids := pulumi.StringMap{}
	for _, t := range a.Targets {
		for _, al := range a.alerts(t) {
			crit := &insights.MetricCriteriaArgs{
				CriterionType:   pulumi.String("StaticThresholdCriterion"),
				Name:            pulumi.String(al.suffix),
				MetricName:      pulumi.String(al.metric),
				MetricNamespace: pulumi.String(al.namespace),
				Operator:        pulumi.String(al.op),
				Threshold:       pulumi.Float64(al.threshold),
				TimeAggregation: pulumi.String(al.aggregation),
			}
			if al.dimension != nil {
				crit.Dimensions = insights.MetricDimensionArray{al.dimension}
			}
			logical := fmt.Sprintf("%s-%s-%s", name, t.Key, al.suffix)
			ma, err := insights.NewMetricAlert(ctx, logical, &insights.MetricAlertArgs{
				ResourceGroupName:   a.ResourceGroupName,
				Location:            pulumi.String("global"),
				Description:         pulumi.String(al.description),
				Enabled:             pulumi.Bool(true),
				AutoMitigate:        pulumi.Bool(true),
				Severity:            pulumi.Int(al.severity),
				EvaluationFrequency: pulumi.String(al.frequencyOrDefault()),
				WindowSize:          pulumi.String(al.window),
				Scopes:              pulumi.StringArray{al.scope},
				Criteria: &insights.MetricAlertSingleResourceMultipleMetricCriteriaArgs{
					OdataType: pulumi.String("Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria"),
					AllOf:     insights.MetricCriteriaArray{crit},
				},
				Actions: insights.MetricAlertActionArray{&insights.MetricAlertActionArgs{ActionGroupId: ag.ID()}},
				Tags:    tags,
			}, parent)
			if err != nil {
				return nil, fmt.Errorf("creating alert %q: %w", logical, err)
			}
			ids[logical] = ma.ID().ToStringOutput()
		}
	}

	m.DashboardURL = pulumi.String("").ToStringOutput()
	if a.DashboardLocation != "" {
		d, err := a.dashboard(ctx, name+"-dashboard", tags, parent)
		if err != nil {
			return nil, err
		}
		m.DashboardURL = pulumi.Sprintf("https://portal.azure.com/#@/dashboard/arm%s", d.ID())
	}

	m.ActionGroupID = ag.ID().ToStringOutput()
	m.AlertIDs = ids.ToStringMapOutput()
	return m, ctx.RegisterResourceOutputs(m, pulumi.Map{"actionGroupId": m.ActionGroupID, "alertIds": m.AlertIDs, "dashboardUrl": m.DashboardURL})
}

// frequencyOrDefault is how often the alert is evaluated: every minute, but every 15 minutes
// over an hour's window (a metric with a one-hour grain changes no faster).
func (al alert) frequencyOrDefault() string {
	if al.window == "PT1H" {
		return "PT15M"
	}
	return "PT1M"
}

// alerts lists the alerts of one target, in a stable order.
func (a *resolved) alerts(t Target) []alert {
	var out []alert
	const appgw, lb = "Microsoft.Network/applicationGateways", "Microsoft.Network/loadBalancers"
	if t.GatewayID != nil && t.GatewayKind == GatewayAppGateway {
		out = append(out,
			alert{"gateway-5xx", "The application gateway returned 5xx responses.", t.GatewayID, appgw, "ResponseStatus", "Total", "GreaterThan", float64(a.Gateway5xxPerFiveMinutes), 1, "PT5M",
				&insights.MetricDimensionArgs{Name: pulumi.String("HttpStatusGroup"), Operator: pulumi.String("Include"), Values: pulumi.StringArray{pulumi.String("5xx")}}},
			alert{"gateway-latency", "The application gateway's average total time is high.", t.GatewayID, appgw, "ApplicationGatewayTotalTime", "Average", "GreaterThan", float64(a.LatencyThresholdMs), 2, "PT5M", nil},
			alert{"gateway-unhealthy", "The application gateway has unhealthy backends.", t.GatewayID, appgw, "UnhealthyHostCount", "Average", "GreaterThan", 0, 1, "PT5M", nil},
		)
	}
	if t.GatewayID != nil && t.GatewayKind == GatewayStandardLB {
		out = append(out, alert{"gateway-unhealthy", "Load balancer health probes are failing.", t.GatewayID, lb, "DipAvailability", "Average", "LessThan", 100, 1, "PT5M", nil})
	}
	if t.ScaleSetID != nil {
		out = append(out, alert{"web-cpu", "The web tier's average CPU is high.", t.ScaleSetID, "Microsoft.Compute/virtualMachineScaleSets", "Percentage CPU", "Average", "GreaterThan", float64(a.CPUPercent), 2, "PT15M", nil})
	}
	if t.AutoscaleSettingID != nil {
		out = append(out, alert{"web-at-max", "The web tier is at its maximum capacity and cannot scale out.", t.AutoscaleSettingID, "Microsoft.Insights/autoscalesettings", "ObservedCapacity", "Maximum", "GreaterThanOrEqual", float64(t.MaxSize), 1, "PT15M", nil})
	}
	if t.DatabaseID != nil {
		out = append(out, alert{"db-cpu", "The database's CPU is high.", t.DatabaseID, "Microsoft.Sql/servers/databases", "cpu_percent", "Average", "GreaterThan", float64(a.CPUPercent), 2, "PT15M", nil})
		if !t.DatabaseHyperscale {
			out = append(out, alert{"db-storage", "The database is running out of storage.", t.DatabaseID, "Microsoft.Sql/servers/databases", "storage_percent", "Maximum", "GreaterThan", float64(a.StoragePercent), 1, "PT15M", nil})
		}
	}
	if t.QueueServiceID != nil {
		// QueueMessageCount has a one-hour time grain: a one-hour window always holds the last
		// value, evaluated every 15 minutes.
		out = append(out, alert{"queue-backlog", "The queues hold more messages than the workers can work through.", t.QueueServiceID, QueueServiceNamespace, QueueMessageCountMetric, "Maximum", "GreaterThan", float64(t.QueueBacklogThreshold), 2, "PT1H", nil})
	}
	if t.WorkerAutoscaleSettingID != nil {
		out = append(out, alert{"workers-at-max", "The worker tier is at its maximum capacity: the backlog grows faster than it drains.", t.WorkerAutoscaleSettingID, "Microsoft.Insights/autoscalesettings", "ObservedCapacity", "Maximum", "GreaterThanOrEqual", float64(t.WorkerMaxSize), 1, "PT15M", nil})
	}
	return out
}

// The account-level queue metric: the approximate number of messages in all queues of the
// account, emitted hourly (time grain PT1H).
// https://learn.microsoft.com/azure/azure-monitor/reference/supported-metrics/microsoft-storage-storageaccounts-queueservices-metrics
const (
	QueueServiceNamespace   = "Microsoft.Storage/storageAccounts/queueServices"
	QueueMessageCountMetric = "QueueMessageCount"
)

// Portal dashboard metric aggregation types (the portal's enumeration).
const (
	aggSum = 1
	aggMax = 3
	aggAvg = 4
)

// chart is one metric chart of the dashboard.
type chart struct {
	title             string
	resource          pulumi.StringInput
	namespace, metric string
	aggregation       int
}

// charts lists the dashboard's charts, in reading order: traffic, capacity, database, queue.
func (a *resolved) charts() []chart {
	var out []chart
	const appgw, afd = "microsoft.network/applicationgateways", "microsoft.cdn/profiles"
	for _, t := range a.Targets {
		k := t.Key + ": "
		if t.FrontDoorID != nil {
			out = append(out,
				chart{k + "Front Door requests", t.FrontDoorID, afd, "RequestCount", aggSum},
				chart{k + "Front Door 5xx %", t.FrontDoorID, afd, "Percentage5XX", aggAvg},
				chart{k + "Front Door total latency (avg)", t.FrontDoorID, afd, "TotalLatency", aggAvg},
				chart{k + "Front Door total latency (max)", t.FrontDoorID, afd, "TotalLatency", aggMax},
			)
		}
		if t.GatewayID != nil && t.GatewayKind == GatewayAppGateway {
			out = append(out,
				chart{k + "gateway requests", t.GatewayID, appgw, "TotalRequests", aggSum},
				chart{k + "gateway failed requests", t.GatewayID, appgw, "FailedRequests", aggSum},
				chart{k + "gateway total time (avg)", t.GatewayID, appgw, "ApplicationGatewayTotalTime", aggAvg},
				chart{k + "gateway total time (max)", t.GatewayID, appgw, "ApplicationGatewayTotalTime", aggMax},
				chart{k + "web instances in service (healthy hosts)", t.GatewayID, appgw, "HealthyHostCount", aggAvg},
			)
		}
		if t.AutoscaleSettingID != nil {
			out = append(out, chart{k + "web instances desired (autoscale)", t.AutoscaleSettingID, "microsoft.insights/autoscalesettings", "ObservedCapacity", aggMax})
		}
		if t.ScaleSetID != nil {
			out = append(out, chart{k + "web CPU %", t.ScaleSetID, "microsoft.compute/virtualmachinescalesets", "Percentage CPU", aggAvg})
		}
		if t.DatabaseID != nil {
			out = append(out,
				chart{k + "database CPU %", t.DatabaseID, "microsoft.sql/servers/databases", "cpu_percent", aggAvg},
				chart{k + "database connections", t.DatabaseID, "microsoft.sql/servers/databases", "connection_successful", aggSum},
			)
		}
		if t.QueueServiceID != nil {
			out = append(out, chart{k + "queued messages (all queues, hourly)", t.QueueServiceID, strings.ToLower(QueueServiceNamespace), QueueMessageCountMetric, aggMax})
		}
		if t.WorkerAutoscaleSettingID != nil {
			out = append(out, chart{k + "workers (autoscale)", t.WorkerAutoscaleSettingID, "microsoft.insights/autoscalesettings", "ObservedCapacity", aggMax})
		}
	}
	return out
}

// dashboardNote heads the dashboard: what it shows and what no platform metric measures.
const dashboardNote = `**scalestack on-call.** Requests, errors and latency (average and maximum: Azure Monitor ` +
	`has no latency percentiles for Front Door or Application Gateway metrics; they need access logs), ` +
	`instances in service vs desired, database CPU and connections, queue backlog and workers. ` +
	`Not platform metrics: SQL geo-replication lag (T-SQL sys.dm_geo_replication_link_status), ` +
	`a Storage queue's oldest message age and the poison queue's length (the worker reports them).`

// dashboard registers the portal dashboard: a note and a grid of metric charts, three wide.
func (a *resolved) dashboard(ctx *pulumi.Context, name string, tags pulumi.StringMap, opts ...pulumi.ResourceOption) (*portal.Dashboard, error) {
	parts := portal.DashboardPartsArray{&portal.DashboardPartsArgs{
		Position: &portal.DashboardPartsPositionArgs{X: pulumi.Int(0), Y: pulumi.Int(0), ColSpan: pulumi.Int(18), RowSpan: pulumi.Int(2)},
		Metadata: &portal.DashboardPartMetadataArgs{
			Type:     pulumi.String("Extension/HubsExtension/PartType/MarkdownPart"),
			Inputs:   pulumi.Array{},
			Settings: pulumi.Map{"content": pulumi.Map{"settings": pulumi.Map{"content": pulumi.String(dashboardNote), "title": pulumi.String("scalestack")}}},
		},
	}}
	for i, c := range a.charts() {
		metric := pulumi.Map{
			"resourceMetadata":    pulumi.Map{"id": c.resource},
			"name":                pulumi.String(c.metric),
			"namespace":           pulumi.String(c.namespace),
			"aggregationType":     pulumi.Int(c.aggregation),
			"metricVisualization": pulumi.Map{"displayName": pulumi.String(c.metric)},
		}
		parts = append(parts, &portal.DashboardPartsArgs{
			Position: &portal.DashboardPartsPositionArgs{X: pulumi.Int(6 * (i % 3)), Y: pulumi.Int(2 + 4*(i/3)), ColSpan: pulumi.Int(6), RowSpan: pulumi.Int(4)},
			Metadata: &portal.DashboardPartMetadataArgs{
				Type: pulumi.String("Extension/HubsExtension/PartType/MonitorChartPart"),
				Inputs: pulumi.Array{
					pulumi.Map{"name": pulumi.String("options"), "isOptional": pulumi.Bool(true), "value": pulumi.Map{"chart": pulumi.Map{
						"title":         pulumi.String(c.title),
						"metrics":       pulumi.Array{metric},
						"visualization": pulumi.Map{"chartType": pulumi.Int(2)},
					}}},
					pulumi.Map{"name": pulumi.String("sharedTimeRange"), "isOptional": pulumi.Bool(true)},
				},
			},
		})
	}
	d, err := portal.NewDashboard(ctx, name, &portal.DashboardArgs{
		ResourceGroupName: a.ResourceGroupName,
		Location:          pulumi.String(a.DashboardLocation),
		Properties: &portal.DashboardPropertiesWithProvisioningStateArgs{
			Lenses: portal.DashboardLensArray{&portal.DashboardLensArgs{Order: pulumi.Int(0), Parts: parts}},
		},
		Tags: tags,
	}, opts...)
	if err != nil {
		return nil, fmt.Errorf("creating dashboard: %w", err)
	}
	return d, nil
}
