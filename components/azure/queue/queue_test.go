package queue

import (
	"strings"
	"testing"

	"github.com/pulumi/pulumi-azure-native-sdk/resources/v2"
	azure "github.com/pulumi/pulumi-azure-native-sdk/v2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scalestack/scalestack/testkit"
)

func base() Args {
	return Args{Location: "eastus2", ResourceGroupName: pulumi.String("rg"), ResourceGroupID: pulumi.String("/subscriptions/s/resourceGroups/rg"),
		DataSubnetID: pulumi.String("data-subnet"), VNetID: pulumi.String("vnet")}
}

func TestResolveDefaults(t *testing.T) {
	a := base()
	r, err := a.resolve()
	require.NoError(t, err)
	assert.Equal(t, []int{5, 4, 120}, []int{r.MaxDequeueCount, r.RetentionDays, r.VisibilityTimeoutSeconds})
	assert.Equal(t, "Standard_ZRS", r.SKU)
}

func TestResolveErrors(t *testing.T) {
	for _, tc := range []struct {
		edit func(*Args)
		want string
	}{
		{func(a *Args) { a.Location = "East US" }, `Location "East US" is not an Azure location`},
		{func(a *Args) { a.ResourceGroupID = nil }, "ResourceGroupName and ResourceGroupID are required"},
		{func(a *Args) { a.VNetID = nil }, "DataSubnetID and VNetID are required"},
		{func(a *Args) { a.MaxDequeueCount = 101 }, "MaxDequeueCount 101 is not allowed: want 1-100"},
		{func(a *Args) { a.RetentionDays = 8 }, "RetentionDays 8 is not allowed: want 1-7"},
		{func(a *Args) { a.VisibilityTimeoutSeconds = 50000 }, "VisibilityTimeoutSeconds 50000 is not allowed: want 1-43200"},
		{func(a *Args) { a.SKU = "Premium_LRS" }, `SKU "Premium_LRS" is not allowed: want one of Standard_LRS`},
		{func(a *Args) { a.Senders = map[string]pulumi.StringInput{"Web": pulumi.String("p")} }, `Senders["Web"] is not allowed`},
	} {
		a := base()
		tc.edit(&a)
		_, err := a.resolve()
		if assert.Error(t, err, tc.want) {
			assert.Contains(t, err.Error(), tc.want)
		}
	}
}

// Queue names are 3-63 lowercase letters, digits and single dashes, starting and ending with
// a letter or digit; the poison queue adds "-poison" (7 characters), so the queue keeps 56.
// https://learn.microsoft.com/rest/api/storageservices/naming-queues-and-metadata
func TestQueueNamesFollowStorageNamingRules(t *testing.T) {
	assert.Equal(t, "app-jobs", QueueName("App_Jobs"))
	assert.Equal(t, "a-b", QueueName("a--b"))
	assert.Equal(t, "xqq", QueueName("x"))
	long := QueueName(strings.Repeat("ab-", 40))
	assert.LessOrEqual(t, len(long+"-poison"), 63)
	assert.False(t, strings.HasSuffix(long, "-"))
}

func run(t *testing.T, edit func(*Args)) *testkit.Plan {
	t.Helper()
	plan, err := testkit.Run(func(ctx *pulumi.Context) error {
		p, err := azure.NewProvider(ctx, "azure-native-eastus2", &azure.ProviderArgs{Location: pulumi.StringPtr("eastus2")})
		if err != nil {
			return err
		}
		rg, err := resources.NewResourceGroup(ctx, "rg", &resources.ResourceGroupArgs{Location: pulumi.String("eastus2")}, pulumi.Provider(p))
		if err != nil {
			return err
		}
		a := base()
		a.ResourceGroupName, a.ResourceGroupID = rg.Name, rg.ID()
		if edit != nil {
			edit(&a)
		}
		_, err = New(ctx, "jobs", &a, pulumi.Provider(p))
		return err
	})
	require.NoError(t, err)
	return plan
}

func TestQueuePlan(t *testing.T) {
	plan := run(t, func(a *Args) {
		a.Senders = map[string]pulumi.StringInput{"primary-web": pulumi.String("web-principal")}
	})
	comp := plan.Find(typeToken, "jobs")
	require.NotNil(t, comp)
	kids := plan.Children(comp.URN)
	require.Len(t, kids, 9, "account, service, queue, poison queue, zone, link, endpoint, zone group, sender role")
	for _, k := range kids {
		assert.Equal(t, "azure-native-eastus2", k.ProviderResource().Name, k.Name)
		assert.True(t, strings.HasPrefix(k.Name, "jobs-"), k.Name)
	}
	sa := plan.Find("azure-native:storage:StorageAccount", "jobs-account")
	assert.Regexp(t, `^ssq[0-9a-f]{20}$`, sa.InputString("accountName"))
	main := plan.Find("azure-native:storage:Queue", "jobs-queue")
	poison := plan.Find("azure-native:storage:Queue", "jobs-poison")
	assert.Equal(t, "jobs", main.InputString("queueName"))
	assert.Equal(t, "jobs-poison", poison.InputString("queueName"))
	assert.Equal(t, map[string]any{"maxdequeuecount": "5", "poisonqueue": "jobs-poison", "visibilitytimeoutseconds": "120", "messagettlseconds": "345600"},
		main.Input("metadata"), "the queue carries its dead-letter contract")
	assert.True(t, main.InputFrom("accountName", sa))
	assert.True(t, poison.InputFrom("accountName", sa))
}

// Secure by default: TLS 1.2, HTTPS only, no anonymous blob access, no shared keys (Entra ID
// only), infrastructure encryption, and no network but the private endpoint and trusted Azure
// services. Storage account properties:
// https://learn.microsoft.com/azure/templates/microsoft.storage/storageaccounts
// (allowSharedKeyAccess, requireInfrastructureEncryption, networkAcls.bypass).
func TestStorageAccountIsPrivateAndIdentityOnly(t *testing.T) {
	plan := run(t, nil)
	sa := plan.Find("azure-native:storage:StorageAccount", "jobs-account")
	assert.Equal(t, "TLS1_2", sa.Input("minimumTlsVersion"))
	assert.Equal(t, true, sa.Input("enableHttpsTrafficOnly"))
	assert.Equal(t, false, sa.Input("allowBlobPublicAccess"))
	assert.Equal(t, false, sa.Input("allowSharedKeyAccess"))
	assert.Equal(t, true, sa.Input("encryption.requireInfrastructureEncryption"))
	assert.Equal(t, true, sa.Input("encryption.services.queue.enabled"))
	assert.Equal(t, "Deny", sa.Input("networkRuleSet.defaultAction"))
	assert.Nil(t, sa.Input("networkRuleSet.ipRules"))
	assert.Nil(t, sa.Input("networkRuleSet.virtualNetworkRules"))
	assert.Equal(t, "Standard_ZRS", sa.Input("sku.name"))
}

// A private endpoint to a Storage account's queue service uses the group ID "queue" and the
// zone privatelink.queue.core.windows.net.
// https://learn.microsoft.com/azure/private-link/private-endpoint-dns (Storage, Queue)
func TestQueuePrivateEndpointUsesTheQueueGroupAndZone(t *testing.T) {
	plan := run(t, nil)
	sa := plan.Find("azure-native:storage:StorageAccount", "jobs-account")
	pe := plan.Find("azure-native:network:PrivateEndpoint", "jobs-pe")
	zone := plan.Find("azure-native:network:PrivateZone", "jobs-dns")
	link := plan.Find("azure-native:network:VirtualNetworkLink", "jobs-dns-link")
	group := plan.Find("azure-native:network:PrivateDnsZoneGroup", "jobs-pe-dns")
	assert.Equal(t, []any{"queue"}, pe.Input("privateLinkServiceConnections.0.groupIds"))
	assert.True(t, pe.InputFrom("privateLinkServiceConnections", sa))
	assert.Equal(t, "data-subnet", pe.InputString("subnet.id"))
	assert.Equal(t, PrivateZone, zone.InputString("privateZoneName"))
	assert.Equal(t, "vnet", link.InputString("virtualNetwork.id"))
	assert.True(t, group.InputFrom("privateDnsZoneConfigs", zone))
	assert.True(t, group.InputFrom("privateEndpointName", pe))
}

// Storage Queue Data Message Sender (c6a89b2d-...) may only add messages; it is assigned on the
// queue, not the account. https://learn.microsoft.com/azure/role-based-access-control/built-in-roles/storage
func TestSendersGetMessageSenderOnTheQueueOnly(t *testing.T) {
	plan := run(t, func(a *Args) {
		a.Senders = map[string]pulumi.StringInput{"primary-web": pulumi.String("web-principal")}
	})
	main := plan.Find("azure-native:storage:Queue", "jobs-queue")
	ra := plan.Find("azure-native:authorization:RoleAssignment", "jobs-send-primary-web")
	require.NotNil(t, ra)
	assert.Equal(t, "web-principal", ra.InputString("principalId"))
	assert.Equal(t, "ServicePrincipal", ra.InputString("principalType"))
	assert.True(t, ra.InputFrom("scope", main))
	assert.Equal(t, main.ID, ra.InputString("scope"))
	assert.True(t, strings.HasSuffix(ra.InputString("roleDefinitionId"), "/providers/Microsoft.Authorization/roleDefinitions/"+SenderRoleID))
	assert.True(t, strings.HasPrefix(ra.InputString("roleDefinitionId"), "/subscriptions/"))
}

// With SubscriptionID the role definition is known before the queue exists (a preview shows
// the role: it does not wait for the queue's ID); without it, it is computed from the queue's ID.
func TestSubscriptionIDNamesTheRoleBeforeTheQueueExists(t *testing.T) {
	const sub = "12345678-1234-1234-1234-123456789012"
	plan := sendPlan(t, func(a *Args) { a.SubscriptionID = sub })
	ra, q := plan.Find("azure-native:authorization:RoleAssignment", "jobs-send-web"), plan.Find("azure-native:storage:Queue", "jobs-queue")
	assert.Equal(t, "/subscriptions/"+sub+"/providers/Microsoft.Authorization/roleDefinitions/"+SenderRoleID, ra.InputString("roleDefinitionId"))
	assert.False(t, ra.InputFrom("roleDefinitionId", q), "known without the queue")
	plan = sendPlan(t, nil)
	ra, q = plan.Find("azure-native:authorization:RoleAssignment", "jobs-send-web"), plan.Find("azure-native:storage:Queue", "jobs-queue")
	assert.True(t, ra.InputFrom("roleDefinitionId", q), "read from the queue's ID")
	a := base()
	a.SubscriptionID = "not-a-guid"
	assert.ErrorContains(t, a.Validate(), `SubscriptionID "not-a-guid" is not a subscription ID`)
}

func sendPlan(t *testing.T, edit func(*Args)) *testkit.Plan {
	t.Helper()
	plan, err := testkit.Run(func(ctx *pulumi.Context) error {
		a := base()
		a.Senders = map[string]pulumi.StringInput{"web": pulumi.String("principal")}
		if edit != nil {
			edit(&a)
		}
		_, err := New(ctx, "jobs", &a)
		return err
	})
	require.NoError(t, err)
	return plan
}
