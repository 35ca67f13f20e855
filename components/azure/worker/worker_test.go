package worker

import (
	"strings"
	"testing"

	azure "github.com/pulumi/pulumi-azure-native-sdk/v2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scalestack/scalestack/components/azure/queue"
	"github.com/scalestack/scalestack/testkit"
)

const queueURI = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/acct/services/queue/queues/jobs"

func base() Args {
	return Args{Location: "eastus2", ResourceGroupName: pulumi.String("rg"), SubnetID: pulumi.String("web-subnet"),
		QueueID: pulumi.String("/subscriptions/s/q/jobs"), PoisonQueueID: pulumi.String("/subscriptions/s/q/jobs-poison"),
		MetricResourceURI: pulumi.String(queueURI)}
}

func TestResolveDefaults(t *testing.T) {
	a := base()
	r, err := a.resolve()
	require.NoError(t, err)
	assert.Equal(t, []int{1, 3, 100}, []int{r.MinSize, r.MaxSize, r.BacklogPerWorker})
	a.MinSize = 5
	r, err = a.resolve()
	require.NoError(t, err)
	assert.Equal(t, 5, r.MaxSize)
}

func TestResolveErrors(t *testing.T) {
	for _, tc := range []struct {
		edit func(*Args)
		want string
	}{
		{func(a *Args) { a.QueueID = nil }, "QueueID, PoisonQueueID and MetricResourceURI are required"},
		{func(a *Args) { a.MinSize, a.MaxSize = 4, 2 }, "MinSize 4 and MaxSize 2 are not allowed"},
		{func(a *Args) { a.BacklogPerWorker = -1 }, "BacklogPerWorker -1 is not allowed: want 1-100000"},
		{func(a *Args) { a.VMSize = "B2s" }, `VMSize "B2s" is not an Azure VM size`},
		{func(a *Args) { a.Location = "" }, `Location "" is not an Azure location`},
	} {
		a := base()
		tc.edit(&a)
		err := a.Validate()
		if assert.Error(t, err, tc.want) {
			assert.Contains(t, err.Error(), tc.want)
		}
	}
}

func run(t *testing.T, edit func(*Args)) *testkit.Plan {
	t.Helper()
	plan, err := testkit.Run(func(ctx *pulumi.Context) error {
		p, err := azure.NewProvider(ctx, "azure-native-eastus2", &azure.ProviderArgs{Location: pulumi.StringPtr("eastus2")})
		if err != nil {
			return err
		}
		a := base()
		if edit != nil {
			edit(&a)
		}
		_, err = New(ctx, "jobs-worker", &a, pulumi.Provider(p))
		return err
	})
	require.NoError(t, err)
	return plan
}

func TestWorkerPlan(t *testing.T) {
	plan := run(t, func(a *Args) { a.MinSize, a.MaxSize = 2, 20 })
	comp := plan.Find(typeToken, "jobs-worker")
	require.NotNil(t, comp)
	kids := plan.Children(comp.URN)
	require.Len(t, kids, 4, "scale set, autoscale setting, two role assignments")
	for _, k := range kids {
		assert.Equal(t, "azure-native-eastus2", k.ProviderResource().Name, k.Name)
	}
	ss := plan.Find("azure-native:compute:VirtualMachineScaleSet", "jobs-worker-vmss")
	const vm = "virtualMachineProfile."
	const ip = vm + "networkProfile.networkInterfaceConfigurations.0.ipConfigurations.0."
	assert.Equal(t, "SystemAssigned", ss.InputString("identity.type"))
	assert.Equal(t, "web-subnet", ss.InputString(ip+"subnet.id"))
	assert.Nil(t, ss.Input(ip+"publicIPAddressConfiguration"), "no public IPs on workers")
	assert.Nil(t, ss.Input(ip+"applicationGatewayBackendAddressPools"), "workers take no web traffic")
	assert.Nil(t, ss.Input(ip+"loadBalancerBackendAddressPools"))
	assert.Equal(t, "worker", ss.InputString(vm+"osProfile.computerNamePrefix"))
	assert.Equal(t, "worker", ss.InputString("tags.tier"))
	assert.Equal(t, true, ss.Input(vm+"osProfile.linuxConfiguration.disablePasswordAuthentication"))
	as := plan.Find("azure-native:insights:AutoscaleSetting", "jobs-worker-autoscale")
	assert.True(t, as.InputFrom("targetResourceUri", ss))
	assert.Equal(t, map[string]any{"minimum": "2", "default": "2", "maximum": "20"}, as.Input("profiles.0.capacity"))
}

// Azure Monitor autoscale reads a Storage queue's length as the special metric
// ApproximateMessageCount, with an empty namespace and the queue's URI
// <account>/services/queue/queues/<queue>; its threshold is messages per instance.
// https://learn.microsoft.com/azure/azure-monitor/autoscale/autoscale-common-metrics
// ("Commonly used Storage metrics").
func TestWorkersScaleOnTheQueueLengthPerInstance(t *testing.T) {
	plan := run(t, func(a *Args) { a.BacklogPerWorker = 40 })
	as := plan.Find("azure-native:insights:AutoscaleSetting", "jobs-worker-autoscale")
	rules := as.Input("profiles.0.rules").([]any)
	var out, in map[string]any
	for _, r := range rules {
		r := r.(map[string]any)
		trig := r["metricTrigger"].(map[string]any)
		if trig["metricName"] != QueueLengthMetric {
			continue
		}
		assert.Equal(t, queueURI, trig["metricResourceUri"], "the rule reads this queue, not the account")
		assert.Equal(t, "", trig["metricNamespace"])
		if r["scaleAction"].(map[string]any)["direction"] == "Increase" {
			out = trig
		} else {
			in = trig
		}
	}
	require.NotNil(t, out, "a scale-out rule on the backlog")
	require.NotNil(t, in, "a scale-in rule on the backlog")
	assert.Equal(t, "GreaterThan", out["operator"])
	assert.Equal(t, float64(40), out["threshold"])
	assert.Equal(t, "LessThan", in["operator"])
	assert.Equal(t, float64(20), in["threshold"])
}

// Storage Queue Data Message Processor (8a0f0c08-...) peeks, receives and deletes but cannot
// add; moving a poison message needs Storage Queue Data Message Sender (c6a89b2d-...) on the
// poison queue. Both are scoped to one queue each.
// https://learn.microsoft.com/azure/role-based-access-control/built-in-roles/storage
func TestWorkerIdentityProcessesItsQueueAndSendsToItsPoisonQueueOnly(t *testing.T) {
	plan := run(t, nil)
	ss := plan.Find("azure-native:compute:VirtualMachineScaleSet", "jobs-worker-vmss")
	process := plan.Find("azure-native:authorization:RoleAssignment", "jobs-worker-process")
	poison := plan.Find("azure-native:authorization:RoleAssignment", "jobs-worker-poison-send")
	require.NotNil(t, process)
	require.NotNil(t, poison)
	for _, ra := range []*testkit.Resource{process, poison} {
		assert.True(t, ra.InputFrom("principalId", ss), "the worker's own identity")
		assert.Equal(t, "ServicePrincipal", ra.InputString("principalType"))
	}
	assert.Equal(t, "/subscriptions/s/q/jobs", process.InputString("scope"))
	assert.True(t, strings.HasSuffix(process.InputString("roleDefinitionId"), queue.ProcessorRoleID))
	assert.Equal(t, "/subscriptions/s/q/jobs-poison", poison.InputString("scope"))
	assert.True(t, strings.HasSuffix(poison.InputString("roleDefinitionId"), queue.SenderRoleID))
}
