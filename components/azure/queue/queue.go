// Package queue creates the asynchronous tier's queue on Azure: a Storage queue and its poison
// queue in a storage account that only its private endpoint (and trusted Azure services) can
// reach, with identity-only access.
//
// Why a Storage queue and not Event Hubs: Azure Monitor autoscale treats a Storage queue's
// length as a special metric whose threshold is messages per instance (metricName
// ApproximateMessageCount, metricResourceUri <account>/services/queue/queues/<queue>), which
// is exactly the backlog-per-worker target scalestack:queue.workers.backlogPerWorker means,
// read per queue by the autoscaler itself
// (https://learn.microsoft.com/azure/azure-monitor/autoscale/autoscale-common-metrics,
// "Commonly used Storage metrics"). Event Hubs has no consumer-lag metric (only
// IncomingMessages and OutgoingMessages counts per namespace or hub), so its backlog cannot
// drive autoscale without a custom metric. The account-level metric QueueMessageCount of
// Microsoft.Storage/storageAccounts/queueServices is emitted hourly (time grain PT1H) and
// counts every queue of the account: it is good for an alert and the dashboard, not for
// scaling (https://learn.microsoft.com/azure/storage/queues/monitor-queue-storage-reference).
//
// Storage queues have no dead-letter queue. The contract, as the Azure Functions queue trigger
// implements it: every received message carries its DequeueCount; a worker that receives a
// message whose DequeueCount exceeds MaxDequeueCount puts it on the poison queue
// (<queue>-poison) and deletes it from the queue. The queue's metadata records the contract
// (maxDequeueCount, poisonQueue, visibilityTimeoutSeconds, messageTtlSeconds) and
// components/azure/worker grants the worker identity the right to send to the poison queue.
// Storage queues also have no queue-level retention or visibility timeout: the sender sets the
// message time-to-live (messagettl on Put Message) and the receiver the visibility timeout (on
// Get Messages); the metadata carries the values every client must use.
//
// The account: StorageV2, zone-redundant by default, TLS 1.2 minimum, HTTPS only, no public
// blob access, shared keys off (Entra ID only: the web tier holds Storage Queue Data Message
// Sender on the queue, the worker Storage Queue Data Message Processor), infrastructure
// (double) encryption, no network access but its private endpoint in the data subnet
// (registered in privatelink.queue.core.windows.net, linked to the network) and trusted Azure
// services (the autoscaler must read the queue length).
package queue

import (
	"crypto/sha256"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/pulumi/pulumi-azure-native-sdk/authorization/v2"
	"github.com/pulumi/pulumi-azure-native-sdk/network/v2"
	"github.com/pulumi/pulumi-azure-native-sdk/storage/v2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/scalestack/scalestack/providers"
	"github.com/scalestack/scalestack/providers/azureregions"
)

// typeToken is part of every child's URN: changing it needs pulumi.Aliases.
const typeToken = "scalestack:azure:Queue"

// PrivateZone is the privatelink DNS zone of Storage queue endpoints.
const PrivateZone = "privatelink.queue.core.windows.net"

// Built-in role definition IDs (https://learn.microsoft.com/azure/role-based-access-control/built-in-roles/storage).
const (
	// SenderRoleID is Storage Queue Data Message Sender: add messages, nothing else.
	SenderRoleID = "c6a89b2d-59bc-44d0-9896-0f6e12d7b80a"
	// ProcessorRoleID is Storage Queue Data Message Processor: peek, receive and delete
	// messages (not add: a worker moving a poison message also needs SenderRoleID on the
	// poison queue).
	ProcessorRoleID = "8a0f0c08-91a1-4084-bc3d-661d67233fed"
)

// RoleDefinitionID is the ARM ID of a built-in role in subscriptionID, or, when it is "", in
// the subscription of scope (known only once scope is: a preview then cannot show the role).
func RoleDefinitionID(subscriptionID string, scope pulumi.StringInput, roleID string) pulumi.StringOutput {
	if subscriptionID != "" {
		return pulumi.String("/subscriptions/" + subscriptionID + "/providers/Microsoft.Authorization/roleDefinitions/" + roleID).ToStringOutput()
	}
	return scope.ToStringOutput().ApplyT(func(s string) string {
		sub := ""
		if p := strings.Split(s, "/"); len(p) > 2 && strings.EqualFold(p[1], "subscriptions") {
			sub = "/subscriptions/" + p[2]
		}
		return sub + "/providers/Microsoft.Authorization/roleDefinitions/" + roleID
	}).(pulumi.StringOutput)
}

// Args configures a Queue. Zero values mean the documented default.
type Args struct {
	// Location of the account and its private endpoint ("eastus2"). Required.
	Location string
	// ResourceGroupName holds every child; ResourceGroupID names the account (a hash of it
	// and the component name, as account names are global). Required.
	ResourceGroupName, ResourceGroupID pulumi.StringInput
	// DataSubnetID is the subnet of the private endpoint; VNetID the network linked to the
	// privatelink zone. Required.
	DataSubnetID, VNetID pulumi.StringInput
	// MaxDequeueCount is the deliveries after which a worker moves a message to the poison
	// queue. Default: 5. Allowed: 1-100.
	MaxDequeueCount int
	// RetentionDays is the message time-to-live senders set. Default: 4. Allowed: 1-7.
	RetentionDays int
	// VisibilityTimeoutSeconds is the visibility timeout workers receive with. Default: 120.
	// Allowed: 1-43200 (Storage allows up to 7 days; SQS's 12 hours keeps the intent portable).
	VisibilityTimeoutSeconds int
	// SKU is the account's redundancy. Default: Standard_ZRS (survives a zone loss). Allowed:
	// Standard_LRS, Standard_ZRS, Standard_GRS, Standard_GZRS.
	SKU string
	// Senders are principal IDs (managed identities) granted Storage Queue Data Message Sender
	// on the queue only, keyed by a stable name (the role assignment is <name>-send-<key>).
	Senders map[string]pulumi.StringInput
	// SubscriptionID names the subscription of the role definitions, so a preview shows which
	// role each assignment grants. Default: "" (read from the queue's ID at apply).
	SubscriptionID string
	// Tags are added to every child, under the "tier" tag.
	Tags map[string]string
}

type resolved struct {
	Args
	senderKeys []string
}

var (
	locationRE = regexp.MustCompile(`^[a-z]+[a-z0-9]*$`)
	keyRE      = regexp.MustCompile(`^[a-z][a-z0-9-]{0,30}$`)
	// GUIDRE is a subscription ID.
	GUIDRE = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)
	skus   = []string{"Standard_LRS", "Standard_ZRS", "Standard_GRS", "Standard_GZRS"}
)

// Validate checks args (with the defaults applied) without registering anything.
func (a *Args) Validate() error {
	_, err := a.resolve()
	return err
}

func (a *Args) resolve() (*resolved, error) {
	if a == nil {
		return nil, fmt.Errorf("args are required: want Location, ResourceGroupName, ResourceGroupID, DataSubnetID and VNetID")
	}
	r := &resolved{Args: *a}
	if r.MaxDequeueCount == 0 {
		r.MaxDequeueCount = 5
	}
	if r.RetentionDays == 0 {
		r.RetentionDays = 4
	}
	if r.VisibilityTimeoutSeconds == 0 {
		r.VisibilityTimeoutSeconds = 120
	}
	if r.SKU == "" {
		r.SKU = "Standard_ZRS"
	}
	switch {
	case !locationRE.MatchString(r.Location):
		return nil, fmt.Errorf("Location %q is not an Azure location: want a name such as eastus2", r.Location)
	case r.ResourceGroupName == nil || r.ResourceGroupID == nil:
		return nil, fmt.Errorf("ResourceGroupName and ResourceGroupID are required")
	case r.DataSubnetID == nil || r.VNetID == nil:
		return nil, fmt.Errorf("DataSubnetID and VNetID are required: the private endpoint's subnet and the network its DNS zone is linked to")
	case r.MaxDequeueCount < 1 || r.MaxDequeueCount > 100:
		return nil, fmt.Errorf("MaxDequeueCount %d is not allowed: want 1-100", r.MaxDequeueCount)
	case r.RetentionDays < 1 || r.RetentionDays > 7:
		return nil, fmt.Errorf("RetentionDays %d is not allowed: want 1-7", r.RetentionDays)
	case r.VisibilityTimeoutSeconds < 1 || r.VisibilityTimeoutSeconds > 43200:
		return nil, fmt.Errorf("VisibilityTimeoutSeconds %d is not allowed: want 1-43200", r.VisibilityTimeoutSeconds)
	case r.SubscriptionID != "" && !GUIDRE.MatchString(r.SubscriptionID):
		return nil, fmt.Errorf("SubscriptionID %q is not a subscription ID: want a GUID, or \"\"", r.SubscriptionID)
	case !contains(skus, r.SKU):
		return nil, fmt.Errorf("SKU %q is not allowed: want one of %s", r.SKU, strings.Join(skus, ", "))
	}
	for k, v := range r.Senders {
		if !keyRE.MatchString(k) || v == nil {
			return nil, fmt.Errorf("Senders[%q] is not allowed: want a lowercase key such as primary-web and a principal ID", k)
		}
		r.senderKeys = append(r.senderKeys, k)
	}
	sort.Strings(r.senderKeys)
	return r, nil
}

// QueueName is the queue's name for a component name: lowercase letters, digits and single
// dashes, 3-56 characters, so that QueueName+"-poison" is a valid queue name too (3-63).
func QueueName(name string) string {
	var b strings.Builder
	for _, c := range strings.ToLower(name) {
		switch {
		case (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'):
			b.WriteRune(c)
		case !strings.HasSuffix(b.String(), "-") && b.Len() > 0:
			b.WriteRune('-')
		}
	}
	s := strings.Trim(b.String(), "-")
	if len(s) > 56 {
		s = strings.TrimRight(s[:56], "-")
	}
	for len(s) < 3 {
		s += "q"
	}
	return s
}

// Queue is the account, the queue and its poison queue.
type Queue struct {
	pulumi.ResourceState

	// AccountID and AccountName are the storage account's.
	AccountID   pulumi.StringOutput `pulumi:"accountId"`
	AccountName pulumi.StringOutput `pulumi:"accountName"`
	// QueueID and PoisonQueueID are the queues' ARM IDs (role assignment scopes).
	QueueID       pulumi.StringOutput `pulumi:"queueId"`
	PoisonQueueID pulumi.StringOutput `pulumi:"poisonQueueId"`
	// QueueURL and PoisonQueueURL are the queues' endpoints (resolved privately).
	QueueURL       pulumi.StringOutput `pulumi:"queueUrl"`
	PoisonQueueURL pulumi.StringOutput `pulumi:"poisonQueueUrl"`
	// MetricResourceURI is the queue as Azure Monitor autoscale names it for its
	// ApproximateMessageCount metric: <account ID>/services/queue/queues/<queue>.
	MetricResourceURI pulumi.StringOutput `pulumi:"metricResourceUri"`
	// QueueServiceID is the account's queue service, scope of the QueueMessageCount metric.
	QueueServiceID pulumi.StringOutput `pulumi:"queueServiceId"`

	// Name and PoisonName are the queues' names; MaxDequeueCount, RetentionDays and
	// VisibilityTimeoutSeconds the resolved contract.
	Name, PoisonName                                         string
	MaxDequeueCount, RetentionDays, VisibilityTimeoutSeconds int
}

// New validates args, applies defaults and registers the queue.
func New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*Queue, error) {
	a, err := args.resolve()
	if err != nil {
		return nil, fmt.Errorf("queue %q: %w", name, err)
	}
	qn := QueueName(name)
	q := &Queue{Name: qn, PoisonName: qn + "-poison", MaxDequeueCount: a.MaxDequeueCount,
		RetentionDays: a.RetentionDays, VisibilityTimeoutSeconds: a.VisibilityTimeoutSeconds}
	if err := ctx.RegisterComponentResource(typeToken, name, q, opts...); err != nil {
		return nil, err
	}
	parent := pulumi.Parent(q)
	tags := azureregions.Tags(providers.Tags(a.Tags), map[string]string{"tier": "queue"})

	// Account names are global, 3-24 lowercase letters and digits: "ssq" and 20 hex digits of
	// the resource group's ID and the component name, stable across runs.
	account := a.ResourceGroupID.ToStringOutput().ApplyT(func(id string) string {
		sum := sha256.Sum256([]byte(id + "/" + name))
		return fmt.Sprintf("ssq%x", sum[:10])
	}).(pulumi.StringOutput)
	sa, err := storage.NewStorageAccount(ctx, name+"-account", &storage.StorageAccountArgs{
		AccountName:       account,
		ResourceGroupName: a.ResourceGroupName,
		Location:          pulumi.String(a.Location),
		Kind:              pulumi.String("StorageV2"),
		Sku:               &storage.SkuArgs{Name: pulumi.String(a.SKU)},
		MinimumTlsVersion: pulumi.String("TLS1_2"),
		// HTTPS only, no anonymous blob access, no shared keys or SAS signed with them: every
		// client signs in with Entra ID (the scale sets' managed identities).
		EnableHttpsTrafficOnly:       pulumi.Bool(true),
		AllowBlobPublicAccess:        pulumi.Bool(false),
		AllowSharedKeyAccess:         pulumi.Bool(false),
		DefaultToOAuthAuthentication: pulumi.Bool(true),
		AllowCrossTenantReplication:  pulumi.Bool(false),
		Encryption: &storage.EncryptionArgs{
			KeySource:                       pulumi.String("Microsoft.Storage"),
			RequireInfrastructureEncryption: pulumi.Bool(true),
			Services: &storage.EncryptionServicesArgs{
				Queue: &storage.EncryptionServiceArgs{Enabled: pulumi.Bool(true), KeyType: pulumi.String("Account")},
			},
		},
		// No network but the private endpoint and trusted Azure services: the autoscaler
		// reads the queue length from the Azure side, which a disabled public endpoint would
		// refuse as well.
		PublicNetworkAccess: pulumi.String("Enabled"),
		NetworkRuleSet: &storage.NetworkRuleSetArgs{
			DefaultAction: storage.DefaultActionDeny,
			Bypass:        pulumi.String("AzureServices, Logging, Metrics"),
		},
		Tags: tags,
	}, parent, pulumi.IgnoreChanges([]string{"accountName"}))
	if err != nil {
		return nil, fmt.Errorf("creating storage account: %w", err)
	}
	svc, err := storage.NewQueueServiceProperties(ctx, name+"-service", &storage.QueueServicePropertiesArgs{
		AccountName:       sa.Name,
		ResourceGroupName: a.ResourceGroupName,
		QueueServiceName:  pulumi.String("default"),
		// No CORS rule: browsers never talk to the queue.
		Cors: &storage.CorsRulesArgs{CorsRules: storage.CorsRuleArray{}},
	}, parent)
	if err != nil {
		return nil, fmt.Errorf("creating queue service: %w", err)
	}
	contract := pulumi.StringMap{
		"maxdequeuecount":          pulumi.String(fmt.Sprint(a.MaxDequeueCount)),
		"poisonqueue":              pulumi.String(q.PoisonName),
		"visibilitytimeoutseconds": pulumi.String(fmt.Sprint(a.VisibilityTimeoutSeconds)),
		"messagettlseconds":        pulumi.String(fmt.Sprint(a.RetentionDays * 86400)),
	}
	main, err := storage.NewQueue(ctx, name+"-queue", &storage.QueueArgs{
		AccountName: sa.Name, ResourceGroupName: a.ResourceGroupName,
		QueueName: pulumi.String(qn), Metadata: contract,
	}, parent, pulumi.DependsOn([]pulumi.Resource{svc}))
	if err != nil {
		return nil, fmt.Errorf("creating queue: %w", err)
	}
	poison, err := storage.NewQueue(ctx, name+"-poison", &storage.QueueArgs{
		AccountName: sa.Name, ResourceGroupName: a.ResourceGroupName,
		QueueName: pulumi.String(q.PoisonName), Metadata: pulumi.StringMap{"poisonof": pulumi.String(qn)},
	}, parent, pulumi.DependsOn([]pulumi.Resource{svc}))
	if err != nil {
		return nil, fmt.Errorf("creating poison queue: %w", err)
	}

	// The private endpoint in the data subnet, registered in the privatelink zone linked to
	// the network, so <account>.queue.core.windows.net resolves to it from the network.
	zone, err := network.NewPrivateZone(ctx, name+"-dns", &network.PrivateZoneArgs{
		ResourceGroupName: a.ResourceGroupName,
		PrivateZoneName:   pulumi.String(PrivateZone),
		Location:          pulumi.String("Global"),
		Tags:              tags,
	}, parent)
	if err != nil {
		return nil, fmt.Errorf("creating private DNS zone: %w", err)
	}
	if _, err := network.NewVirtualNetworkLink(ctx, name+"-dns-link", &network.VirtualNetworkLinkArgs{
		ResourceGroupName:   a.ResourceGroupName,
		PrivateZoneName:     zone.Name,
		Location:            pulumi.String("Global"),
		VirtualNetwork:      &network.SubResourceArgs{Id: a.VNetID},
		RegistrationEnabled: pulumi.Bool(false),
		Tags:                tags,
	}, parent); err != nil {
		return nil, fmt.Errorf("linking private DNS zone: %w", err)
	}
	pe, err := network.NewPrivateEndpoint(ctx, name+"-pe", &network.PrivateEndpointArgs{
		ResourceGroupName: a.ResourceGroupName,
		Location:          pulumi.String(a.Location),
		Subnet:            &network.SubnetTypeArgs{Id: a.DataSubnetID},
		PrivateLinkServiceConnections: network.PrivateLinkServiceConnectionArray{&network.PrivateLinkServiceConnectionArgs{
			Name:                 pulumi.String("queue"),
			PrivateLinkServiceId: sa.ID(),
			GroupIds:             pulumi.StringArray{pulumi.String("queue")},
		}},
		Tags: tags,
	}, parent)
	if err != nil {
		return nil, fmt.Errorf("creating private endpoint: %w", err)
	}
	if _, err := network.NewPrivateDnsZoneGroup(ctx, name+"-pe-dns", &network.PrivateDnsZoneGroupArgs{
		ResourceGroupName:   a.ResourceGroupName,
		PrivateEndpointName: pe.Name,
		PrivateDnsZoneConfigs: network.PrivateDnsZoneConfigArray{&network.PrivateDnsZoneConfigArgs{
			Name: pulumi.String("queue"), PrivateDnsZoneId: zone.ID(),
		}},
	}, parent); err != nil {
		return nil, fmt.Errorf("registering the DNS of the private endpoint: %w", err)
	}

	for _, k := range a.senderKeys {
		if _, err := Grant(ctx, name+"-send-"+k, a.Senders[k], main.ID().ToStringOutput(), SenderRoleID, a.SubscriptionID, parent); err != nil {
			return nil, err
		}
	}

	q.AccountID, q.AccountName = sa.ID().ToStringOutput(), sa.Name
	q.QueueID, q.PoisonQueueID = main.ID().ToStringOutput(), poison.ID().ToStringOutput()
	q.QueueURL = pulumi.Sprintf("https://%s.queue.core.windows.net/%s", sa.Name, qn)
	q.PoisonQueueURL = pulumi.Sprintf("https://%s.queue.core.windows.net/%s", sa.Name, q.PoisonName)
	q.MetricResourceURI = pulumi.Sprintf("%s/services/queue/queues/%s", sa.ID(), qn)
	q.QueueServiceID = pulumi.Sprintf("%s/queueServices/default", sa.ID())
	return q, ctx.RegisterResourceOutputs(q, pulumi.Map{
		"accountId": q.AccountID, "accountName": q.AccountName,
		"queueId": q.QueueID, "poisonQueueId": q.PoisonQueueID,
		"queueUrl": q.QueueURL, "poisonQueueUrl": q.PoisonQueueURL,
		"metricResourceUri": q.MetricResourceURI, "queueServiceId": q.QueueServiceID,
	})
}

// Grant assigns the built-in role roleID to the managed identity principalID on scope (a
// queue), as a service principal; subscriptionID as in RoleDefinitionID.
func Grant(ctx *pulumi.Context, name string, principalID pulumi.StringInput, scope pulumi.StringOutput, roleID, subscriptionID string, opts ...pulumi.ResourceOption) (*authorization.RoleAssignment, error) {
	ra, err := authorization.NewRoleAssignment(ctx, name, &authorization.RoleAssignmentArgs{
		PrincipalId:      principalID,
		PrincipalType:    pulumi.String("ServicePrincipal"),
		RoleDefinitionId: RoleDefinitionID(subscriptionID, scope, roleID),
		Scope:            scope,
	}, opts...)
	if err != nil {
		return nil, fmt.Errorf("creating role assignment %q: %w", name, err)
	}
	return ra, nil
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}
