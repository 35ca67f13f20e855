package monitoring

import (
	"testing"

	"github.com/pulumi/pulumi-azure-native-sdk/resources/v2"
	azure "github.com/pulumi/pulumi-azure-native-sdk/v2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scalestack/scalestack/testkit"
)

func TestResolveDefaults(t *testing.T) {
	r, err := (&Args{ResourceGroupName: pulumi.String("rg"), Targets: []Target{{Key: "primary"}}}).resolve()
	require.NoError(t, err)
	assert.Equal(t, "scalestack", r.ShortName)
	assert.Equal(t, 10, r.Gateway5xxPerFiveMinutes)
	assert.Equal(t, 1000, r.LatencyThresholdMs)
	assert.Equal(t, 85, r.CPUPercent)
	assert.Equal(t, 85, r.StoragePercent)
	assert.Equal(t, GatewayAppGateway, r.Targets[0].GatewayKind)
}

func TestResolveErrors(t *testing.T) {
	rg := pulumi.String("rg")
	for _, tc := range []struct {
		args *Args
		want string
	}{
		{nil, "args are required"},
		{&Args{}, "ResourceGroupName is required"},
		{&Args{ResourceGroupName: rg, Email: "ops"}, `Email "ops" is not an email address`},
		{&Args{ResourceGroupName: rg, ShortName: "much-too-long-name"}, `ShortName "much-too-long-name" is not allowed: want 1-12 characters`},
		{&Args{ResourceGroupName: rg, LatencyThresholdMs: -1}, "thresholds 10 (5xx) and -1 ms (latency) are not allowed"},
		{&Args{ResourceGroupName: rg, CPUPercent: 101}, "CPUPercent 101 is not allowed: want 1-100"},
		{&Args{ResourceGroupName: rg, StoragePercent: -3}, "StoragePercent -3 is not allowed: want 1-100"},
		{&Args{ResourceGroupName: rg, Targets: []Target{{Key: "a"}, {Key: "a"}}}, `Targets[1].Key "a" is not allowed`},
		{&Args{ResourceGroupName: rg, Targets: []Target{{Key: "a", GatewayKind: "alb"}}}, `Targets[0].GatewayKind "alb" is not allowed`},
		{&Args{ResourceGroupName: rg, Targets: []Target{{Key: "a", AutoscaleSettingID: rg}}}, "Targets[0].MaxSize 0 is not allowed with AutoscaleSettingID"},
	} {
		_, err := tc.args.resolve()
		if assert.Error(t, err, tc.want) {
			assert.Contains(t, err.Error(), tc.want)
		}
	}
}

func TestAlertsNotifyTheActionGroup(t *testing.T) {
	plan, err := testkit.Run(func(ctx *pulumi.Context) error {
		p, err := azure.NewProvider(ctx, "azure-native-eastus2", &azure.ProviderArgs{Location: pulumi.StringPtr("eastus2")})
		if err != nil {
			return err
		}
		// Stand-ins whose IDs the alerts must scope to.
		ids := map[string]pulumi.StringOutput{}
		for _, n := range []string{"gw", "vmss", "autoscale", "db", "lb"} {
			rg, err := resources.NewResourceGroup(ctx, n, &resources.ResourceGroupArgs{}, pulumi.Provider(p))
			if err != nil {
				return err
			}
			ids[n] = rg.ID().ToStringOutput()
		}
		_, err = New(ctx, "mon", &Args{
			ResourceGroupName: pulumi.String("rg"),
			Email:             "ops@example.com",
			Targets: []Target{
				{Key: "primary", GatewayID: ids["gw"], ScaleSetID: ids["vmss"], AutoscaleSettingID: ids["autoscale"], MaxSize: 12, DatabaseID: ids["db"]},
				{Key: "secondary", GatewayID: ids["lb"], GatewayKind: GatewayStandardLB, DatabaseID: ids["db"], DatabaseHyperscale: true},
			},
		}, pulumi.Provider(p))
		return err
	})
	require.NoError(t, err)
	comp := plan.Find(typeToken, "mon")
	kids := plan.Children(comp.URN)
	assert.Len(t, kids, 1+7+2, "action group, 7 primary alerts, 2 secondary alerts")
	for _, k := range kids {
		assert.Equal(t, "azure-native-eastus2", k.ProviderResource().Name)
	}
	ag := plan.Find("azure-native:insights:ActionGroup", "mon-alerts")
	assert.Equal(t, "ops@example.com", ag.InputString("emailReceivers.0.emailAddress"))
	alerts := plan.ByType("azure-native:insights:MetricAlert")
	require.Len(t, alerts, 9)
	for _, al := range alerts {
		assert.True(t, al.InputFrom("actions", ag), "%s notifies the action group", al.Name)
		assert.Equal(t, ag.ID, al.InputString("actions.0.actionGroupId"))
	}
	scopedTo := func(alert, target string) {
		t.Helper()
		al := plan.Find("azure-native:insights:MetricAlert", alert)
		require.NotNil(t, al, alert)
		assert.True(t, al.InputFrom("scopes", plan.Find("azure-native:resources:ResourceGroup", target)), "%s watches %s", alert, target)
	}
	scopedTo("mon-primary-gateway-5xx", "gw")
	scopedTo("mon-primary-gateway-latency", "gw")
	scopedTo("mon-primary-gateway-unhealthy", "gw")
	scopedTo("mon-primary-web-cpu", "vmss")
	scopedTo("mon-primary-web-at-max", "autoscale")
	scopedTo("mon-primary-db-cpu", "db")
	scopedTo("mon-primary-db-storage", "db")
	scopedTo("mon-secondary-gateway-unhealthy", "lb")
	scopedTo("mon-secondary-db-cpu", "db")
	assert.Nil(t, plan.Find("azure-native:insights:MetricAlert", "mon-secondary-db-storage"), "no storage alert on Hyperscale")

	five := plan.Find("azure-native:insights:MetricAlert", "mon-primary-gateway-5xx")
	assert.Equal(t, "ResponseStatus", five.InputString("criteria.allOf.0.metricName"))
	assert.Equal(t, []any{"5xx"}, five.Input("criteria.allOf.0.dimensions.0.values"))
	atMax := plan.Find("azure-native:insights:MetricAlert", "mon-primary-web-at-max")
	assert.Equal(t, "ObservedCapacity", atMax.InputString("criteria.allOf.0.metricName"))
	assert.Equal(t, float64(12), atMax.Input("criteria.allOf.0.threshold"))
	assert.Equal(t, "GreaterThanOrEqual", atMax.InputString("criteria.allOf.0.operator"))
	lb := plan.Find("azure-native:insights:MetricAlert", "mon-secondary-gateway-unhealthy")
	assert.Equal(t, "DipAvailability", lb.InputString("criteria.allOf.0.metricName"))
}

func TestNoEmailNoReceivers(t *testing.T) {
	plan, err := testkit.Run(func(ctx *pulumi.Context) error {
		_, err := New(ctx, "mon", &Args{ResourceGroupName: pulumi.String("rg")})
		return err
	})
	require.NoError(t, err)
	ag := plan.Find("azure-native:insights:ActionGroup", "mon-alerts")
	assert.Empty(t, ag.Input("emailReceivers"))
	assert.Empty(t, plan.ByType("azure-native:insights:MetricAlert"))
}

func TestQueueAndDashboardArgsErrors(t *testing.T) {
	rg := pulumi.String("rg")
	for _, tc := range []struct {
		args *Args
		want string
	}{
		{&Args{ResourceGroupName: rg, DashboardLocation: "East US"}, `DashboardLocation "East US" is not an Azure location`},
		{&Args{ResourceGroupName: rg, Targets: []Target{{Key: "a", QueueServiceID: rg}}}, "Targets[0].QueueBacklogThreshold 0 is not allowed with QueueServiceID"},
		{&Args{ResourceGroupName: rg, Targets: []Target{{Key: "a", WorkerAutoscaleSettingID: rg}}}, "Targets[0].WorkerMaxSize 0 is not allowed with WorkerAutoscaleSettingID"},
	} {
		_, err := tc.args.resolve()
		if assert.Error(t, err, tc.want) {
			assert.Contains(t, err.Error(), tc.want)
		}
	}
}

func runQueue(t *testing.T) *testkit.Plan {
	t.Helper()
	plan, err := testkit.Run(func(ctx *pulumi.Context) error {
		p, err := azure.NewProvider(ctx, "azure-native-eastus2", &azure.ProviderArgs{Location: pulumi.StringPtr("eastus2")})
		if err != nil {
			return err
		}
		_, err = New(ctx, "mon", &Args{ResourceGroupName: pulumi.String("rg"), DashboardLocation: "eastus2", Targets: []Target{{
			Key: "primary", GatewayID: pulumi.String("/gw"), ScaleSetID: pulumi.String("/vmss"),
			AutoscaleSettingID: pulumi.String("/as"), MaxSize: 6, DatabaseID: pulumi.String("/db"),
			QueueServiceID: pulumi.String("/acct/queueServices/default"), QueueBacklogThreshold: 2000,
			WorkerAutoscaleSettingID: pulumi.String("/worker-as"), WorkerMaxSize: 20, FrontDoorID: pulumi.String("/afd"),
		}}}, pulumi.Provider(p))
		return err
	})
	require.NoError(t, err)
	return plan
}

// Azure Monitor emits a Storage account's QueueMessageCount (namespace
// Microsoft.Storage/storageAccounts/queueServices) with a one-hour time grain, for all the
// account's queues together: the backlog alert reads the last hour's maximum, every 15 minutes.
// https://learn.microsoft.com/azure/azure-monitor/reference/supported-metrics/microsoft-storage-storageaccounts-queueservices-metrics
func TestQueueBacklogAlertReadsTheHourlyAccountMetric(t *testing.T) {
	plan := runQueue(t)
	al := plan.Find("azure-native:insights:MetricAlert", "mon-primary-queue-backlog")
	require.NotNil(t, al)
	assert.Equal(t, []any{"/acct/queueServices/default"}, al.Input("scopes"))
	crit := al.Input("criteria.allOf.0").(map[string]any)
	assert.Equal(t, "QueueMessageCount", crit["metricName"])
	assert.Equal(t, "Microsoft.Storage/storageAccounts/queueServices", crit["metricNamespace"])
	assert.Equal(t, float64(2000), crit["threshold"])
	assert.Equal(t, "PT1H", al.InputString("windowSize"))
	assert.Equal(t, "PT15M", al.InputString("evaluationFrequency"))
	at := plan.Find("azure-native:insights:MetricAlert", "mon-primary-workers-at-max")
	require.NotNil(t, at)
	assert.Equal(t, []any{"/worker-as"}, at.Input("scopes"))
	assert.Equal(t, float64(20), at.Input("criteria.allOf.0.threshold"))
	web := plan.Find("azure-native:insights:MetricAlert", "mon-primary-web-cpu")
	assert.Equal(t, "PT1M", web.InputString("evaluationFrequency"), "other alerts keep their frequency")
}

// A portal dashboard is a Microsoft.Portal/dashboards resource whose lenses hold parts; a
// metric chart is the part type Extension/HubsExtension/PartType/MonitorChartPart.
// https://learn.microsoft.com/azure/azure-portal/azure-portal-dashboards-structure
func TestDashboardChartsTheOnCallNumbers(t *testing.T) {
	plan := runQueue(t)
	d := plan.Find("azure-native:portal:Dashboard", "mon-dashboard")
	require.NotNil(t, d)
	assert.Equal(t, "eastus2", d.InputString("location"))
	parts := d.Input("properties.lenses.0.parts").([]any)
	metrics := map[string]string{}
	for _, p := range parts[1:] {
		md := p.(map[string]any)["metadata"].(map[string]any)
		assert.Equal(t, "Extension/HubsExtension/PartType/MonitorChartPart", md["type"])
		m := md["inputs"].([]any)[0].(map[string]any)["value"].(map[string]any)["chart"].(map[string]any)["metrics"].([]any)[0].(map[string]any)
		metrics[m["name"].(string)] = m["resourceMetadata"].(map[string]any)["id"].(string)
	}
	for metric, id := range map[string]string{
		"RequestCount": "/afd", "Percentage5XX": "/afd", "TotalLatency": "/afd",
		"TotalRequests": "/gw", "FailedRequests": "/gw", "ApplicationGatewayTotalTime": "/gw", "HealthyHostCount": "/gw",
		"Percentage CPU": "/vmss", "cpu_percent": "/db", "connection_successful": "/db",
		"QueueMessageCount": "/acct/queueServices/default",
	} {
		assert.Equal(t, id, metrics[metric], metric)
	}
	assert.Contains(t, parts[0].(map[string]any)["metadata"].(map[string]any)["settings"].(map[string]any)["content"].(map[string]any)["settings"].(map[string]any)["content"], "geo-replication lag")
}
