// Package monitoring creates the alerting of the scalestack backend on Azure: one action group
// (email from configuration, common alert schema) and, per region (a Target), metric alerts
// that notify it:
//
//   - gateway: 5xx responses, total latency and unhealthy backends (Application Gateway), or
//     health-probe availability below 100% (Standard Load Balancer, which has no HTTP metrics);
//   - web tier: average CPU over the threshold, and the autoscale setting observing the scale
//     set at its maximum capacity (it cannot scale out further);
//   - database: CPU and, except on Hyperscale (whose storage grows on its own), storage used.
//
// Log Analytics is not among this project's SDK modules, so every alert is a metric alert.
package monitoring

import (
	"fmt"
	"regexp"

	"github.com/pulumi/pulumi-azure-native-sdk/insights/v2"
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
	// Tags are added to every child.
	Tags map[string]string
}

type resolved struct{ Args }

var (
	keyRE   = regexp.MustCompile(`^[a-z][a-z0-9-]{0,30}$`)
	emailRE = regexp.MustCompile(`^[^@\s]+@[^@\s]+\.[^@\s]+$`)
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
				EvaluationFrequency: pulumi.String("PT1M"),
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

	m.ActionGroupID = ag.ID().ToStringOutput()
	m.AlertIDs = ids.ToStringMapOutput()
	return m, ctx.RegisterResourceOutputs(m, pulumi.Map{"actionGroupId": m.ActionGroupID, "alertIds": m.AlertIDs})
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
	return out
}
