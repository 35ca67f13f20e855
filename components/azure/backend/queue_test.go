package backend

import (
	"testing"

	azure "github.com/pulumi/pulumi-azure-native-sdk/v2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scalestack/scalestack/components/azure/queue"
	"github.com/scalestack/scalestack/policies/flows"
	"github.com/scalestack/scalestack/testkit"
)

const testKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMhXbK1pQEHd6GJgSQ6O5a7+oAqJpYG0Sb1Vwhe0Kd9H"

// pairWithKey is pair with a fixed SSH key, so two runs' scale sets compare equal.
func pairWithKey(a *Args) {
	pair(a)
	a.Web.SSHPublicKey = testKey
}

func withQueue(a *Args) {
	pairWithKey(a)
	a.Queue = Queue{Enabled: true, MaxDequeueCount: 5, WorkersMinSize: 2, WorkersMaxSize: 20, BacklogPerWorker: 100}
}

func TestQueueTierIsWiredInThePrimaryRegion(t *testing.T) {
	plan := run(t, withQueue)
	q := plan.Find("scalestack:azure:Queue", "app-queue")
	w := plan.Find("scalestack:azure:Worker", "app-worker")
	require.NotNil(t, q)
	require.NotNil(t, w)
	sa := plan.Find("azure-native:storage:StorageAccount", "app-queue-account")
	rg := plan.Find("azure-native:resources:ResourceGroup", "app-primary-rg")
	assert.True(t, sa.InputFrom("resourceGroupName", rg), "the queue lives in the primary region's group")
	assert.Equal(t, "azure-native-eastus2", sa.ProviderResource().Name)
	pe := plan.Find("azure-native:network:PrivateEndpoint", "app-queue-pe")
	assert.True(t, pe.InputFrom("subnet", plan.Find("azure-native:network:Subnet", "app-primary-data")))

	// The workers' scaling reads this queue's length, per instance.
	main := plan.Find("azure-native:storage:Queue", "app-queue-queue")
	ws := plan.Find("azure-native:compute:VirtualMachineScaleSet", "app-worker-vmss")
	assert.Equal(t, "azure-native-eastus2", ws.ProviderResource().Name)
	as := plan.Find("azure-native:insights:AutoscaleSetting", "app-worker-autoscale")
	found := false
	for _, r := range as.Input("profiles.0.rules").([]any) {
		trig := r.(map[string]any)["metricTrigger"].(map[string]any)
		if trig["metricName"] == "ApproximateMessageCount" {
			found = true
			assert.Equal(t, sa.ID+"/services/queue/queues/"+main.InputString("queueName"), trig["metricResourceUri"])
		}
	}
	assert.True(t, found, "a backlog rule")
	assert.Equal(t, map[string]any{"minimum": "2", "default": "2", "maximum": "20"}, as.Input("profiles.0.capacity"))

	// The dead-letter arrangement: the poison queue exists and the workers may send to it.
	poison := plan.Find("azure-native:storage:Queue", "app-queue-poison")
	assert.Equal(t, main.InputString("queueName")+"-poison", poison.InputString("queueName"))
	assert.Equal(t, poison.InputString("queueName"), main.Input("metadata.poisonqueue"))

	// The web identity sends; the secondary web tier gets no grant (no route to the queue).
	send := plan.Find("azure-native:authorization:RoleAssignment", "app-queue-send-primary-web")
	require.NotNil(t, send)
	assert.True(t, send.InputFrom("principalId", plan.Find("azure-native:compute:VirtualMachineScaleSet", "app-primary-web-vmss")))
	assert.Len(t, plan.ByType("azure-native:authorization:RoleAssignment"), 3)

	// Alerts: backlog over what the workers at their maximum keep, and workers at max.
	backlog := plan.Find("azure-native:insights:MetricAlert", "app-monitoring-primary-queue-backlog")
	require.NotNil(t, backlog)
	assert.Equal(t, float64(2000), backlog.Input("criteria.allOf.0.threshold"))
	assert.Equal(t, []any{sa.ID + "/queueServices/default"}, backlog.Input("scopes"))
	assert.NotNil(t, plan.Find("azure-native:insights:MetricAlert", "app-monitoring-primary-workers-at-max"))
	assert.Nil(t, plan.Find("azure-native:insights:MetricAlert", "app-monitoring-secondary-queue-backlog"))
}

// Every flow the queue needs is declared and ALLOWED: both networks paths to the private
// endpoint through the NSGs, the private DNS zone link, and the three role assignments.
func TestQueueFlowsAreAllowed(t *testing.T) {
	plan := run(t, withQueue)
	for _, n := range []string{
		"primary: web → queue", "primary: worker → queue", "primary: resolves the queue privately",
		"primary: web sends to the queue", "primary: worker processes the queue", "primary: worker moves poison messages",
	} {
		testkit.AssertFlowAllowed(t, plan, n)
	}
	testkit.AssertNoEdgeBypass(t, plan)
}

// The queue is reachable only from the web subnet (web and worker tiers): the data subnet's
// NSG admits 443 from the web prefix only and denies the rest of the virtual network (priority
// 4000), and Azure's default rule DenyAllInBound refuses the Internet. Proved with the flow
// evaluator on flows nobody should have: the gateway subnet and the Internet to the endpoint.
// https://learn.microsoft.com/azure/virtual-network/network-security-groups-overview#default-security-rules
func TestQueueIsNotReachableFromOtherSubnetsOrTheInternet(t *testing.T) {
	plan, err := testkit.Run(func(ctx *pulumi.Context) error {
		p1, err := azure.NewProvider(ctx, "azure-native-eastus2", &azure.ProviderArgs{Location: pulumi.StringPtr("eastus2")})
		if err != nil {
			return err
		}
		p2, err := azure.NewProvider(ctx, "azure-native-centralus", &azure.ProviderArgs{Location: pulumi.StringPtr("centralus")})
		if err != nil {
			return err
		}
		a := base()
		withQueue(&a)
		a.SecondaryProvider = p2
		b, err := New(ctx, "app", &a, pulumi.Provider(p1))
		if err != nil {
			return err
		}
		return flows.Declare(ctx, nil, pulumi.Map{},
			flows.Flow{Name: "probe: gateway → queue", Kind: flows.Network, From: flows.Below(b, subnetType, "app-primary-gateway"), To: flows.Below(b, endpointType, "app-queue-pe"), Port: 443},
			flows.Flow{Name: "probe: secondary web → queue", Kind: flows.Network, From: flows.Below(b, subnetType, "app-secondary-web"), To: flows.Below(b, endpointType, "app-queue-pe"), Port: 443},
			flows.Flow{Name: "probe: internet → queue", Kind: flows.Network, From: flows.From(flows.Internet), To: flows.Below(b, endpointType, "app-queue-pe"), Port: 443},
		)
	})
	require.NoError(t, err)
	rep := plan.Flows()
	for _, n := range []string{"probe: gateway → queue", "probe: secondary web → queue", "probe: internet → queue"} {
		f, ok := rep.Named(n)
		require.True(t, ok, n)
		assert.Equal(t, flows.Blocked, f.Verdict, "%s: %s", n, f.Reason)
	}
}

// The workers' roles are least privilege: removing the poison-queue grant blocks the flow that
// moves poison messages (Message Processor cannot add messages).
func TestRemovingTheWorkersPoisonGrantBlocksItsFlow(t *testing.T) {
	plan := run(t, withQueue)
	f, ok := plan.FlowsWithout("app-worker-poison-send").Named("primary: worker moves poison messages")
	require.True(t, ok)
	assert.Equal(t, flows.Blocked, f.Verdict)
	assert.Contains(t, f.Reason, queue.SenderRoleID)
}

// scalestack diff: adding the queue to an existing stack keeps every URN, and the only existing
// resources whose inputs change are the primary data subnet's NSG, which gains the 443 rule,
// and the dashboard, which gains the queue's charts: in-place updates of securityRules and
// properties (azure-native replaces neither resource for them), no replacement.
func TestAddingTheQueueKeepsEveryURNAndReplacesNothing(t *testing.T) {
	before := run(t, pairWithKey)
	after := run(t, withQueue)
	assert.Empty(t, testkit.MissingURNs(before, after))
	changed := []string{}
	for _, r := range before.Resources {
		n := after.ByURN(r.URN)
		if !r.Custom || !assert.NotNil(t, n, r.URN) {
			continue
		}
		for k, v := range r.Inputs {
			if !n.Inputs[k].DeepEquals(v) {
				changed = append(changed, r.Name+"."+string(k))
			}
		}
	}
	assert.ElementsMatch(t, []string{"app-primary-data-nsg.securityRules", "app-monitoring-dashboard.properties"}, changed)
}
