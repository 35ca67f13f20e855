package backend

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/scalestack/scalestack/components/azure/gateway"
	"github.com/scalestack/scalestack/components/azure/queue"
	"github.com/scalestack/scalestack/components/azure/worker"
	"github.com/scalestack/scalestack/policies/flows"
)

const (
	subnetType      = "azure-native:network:Subnet"
	vnetType        = "azure-native:network:VirtualNetwork"
	privateZoneType = "azure-native:network:PrivateZone"
	endpointType    = "azure-native:network:PrivateEndpoint"
	scaleSetType    = "azure-native:compute:VirtualMachineScaleSet"
	sqlServerType   = "azure-native:sql:Server"
	queueType       = "azure-native:storage:Queue"
)

// asyncTier is the queue and its workers (primary region).
type asyncTier struct {
	queue   *queue.Queue
	workers *worker.Worker
}

// declaredFlows are the flows the backend needs, for the flow evaluator (policies/flows) to
// prove on the plan: Front Door → each gateway, each gateway → its web subnet, Azure's health
// probes → the web subnet, each region's web subnet → every SQL server's private endpoint on
// 1433 (the failover group's listener moves between them), each virtual network resolving
// its own region's privatelink zone, and each scale set signing in to SQL with its identity.
// With the queue (primary region): the web subnet and the worker scale set → the queue's
// private endpoint on 443, the network resolving the queue's privatelink zone, the web
// identity holding Message Sender on the queue, and the worker identity Message Processor on
// the queue and Message Sender on the poison queue.
func declaredFlows(name string, a Args, roles []role, nets, webs map[string]pulumi.Resource, db pulumi.Resource, tier *asyncTier) []flows.Flow {
	var fs []flows.Flow
	servers := []string{"primary"}
	if a.Database.GeoSecondary && len(roles) > 1 {
		servers = append(servers, "secondary")
	}
	webPort := a.Web.Port
	if webPort == 0 {
		webPort = 8080 // the default of network.Args.WebPort and webtier.Args.Port
	}
	gwPort := 80
	if a.https() {
		gwPort = 443
	}
	if tier != nil {
		fs = append(fs, queueFlows(name, nets["primary"], webs["primary"], tier)...)
	}
	for _, r := range roles {
		net, web := nets[r.key], webs[r.key]
		subnet := func(tier string) flows.Endpoint { return flows.Below(net, subnetType, name+"-"+r.key+"-"+tier) }
		if a.gatewayKind() == gateway.KindAppGateway {
			if a.CDN.Enabled {
				fs = append(fs, flows.Flow{Name: r.key + ": Front Door → gateway", Kind: flows.Network,
					From: flows.From(flows.AzureFrontDoor), To: subnet("gateway"), Port: gwPort})
			}
			fs = append(fs, flows.Flow{Name: r.key + ": gateway → web", Kind: flows.Network,
				From: subnet("gateway"), To: subnet("web"), Port: webPort})
		}
		fs = append(fs, flows.Flow{Name: r.key + ": health probes → web", Kind: flows.Network,
			From: flows.From(flows.AzureLoadBalancer), To: subnet("web"), Port: webPort})
		if !contains(servers, r.key) {
			continue // no server in this region: the notes say the region has no database
		}
		// Each region's network holds a private endpoint to every server, registered in the
		// privatelink zone of its own region (linked to its network): the listener resolves
		// locally before and after a failover, without peering.
		zone := flows.Below(db, privateZoneType, name+"-db-"+r.key+"-dns")
		fs = append(fs, flows.Flow{Name: r.key + ": resolves SQL privately", Kind: flows.Resolve,
			From: flows.Below(net, vnetType), To: zone})
		for _, s := range servers {
			server := name + "-db-" + s
			pe := server + "-pe"
			if s != r.key {
				pe = name + "-db-" + r.key + "-pe-" + s
			}
			fs = append(fs,
				flows.Flow{Name: r.key + ": web → SQL " + s, Kind: flows.Network,
					From: subnet("web"), To: flows.Below(db, endpointType, pe), Port: 1433},
				flows.Flow{Name: r.key + ": web signs in to SQL " + s, Kind: flows.Login,
					From: flows.Below(web, scaleSetType), To: flows.Below(db, sqlServerType, server)},
			)
		}
	}
	return fs
}

// queueFlows are the flows of the asynchronous tier in the primary region.
func queueFlows(name string, net, web pulumi.Resource, t *asyncTier) []flows.Flow {
	q := name + "-queue"
	pe := flows.Below(t.queue, endpointType, q+"-pe")
	main, poison := flows.Below(t.queue, queueType, q+"-queue"), flows.Below(t.queue, queueType, q+"-poison")
	workers := flows.Below(t.workers, scaleSetType)
	return []flows.Flow{
		{Name: "primary: web → queue", Kind: flows.Network, From: flows.Below(net, subnetType, name+"-primary-web"), To: pe, Port: 443},
		{Name: "primary: worker → queue", Kind: flows.Network, From: workers, To: pe, Port: 443},
		{Name: "primary: resolves the queue privately", Kind: flows.Resolve, From: flows.Below(net, vnetType), To: flows.Below(t.queue, privateZoneType, q+"-dns")},
		{Name: "primary: web sends to the queue", Kind: flows.Permission, From: flows.Below(web, scaleSetType), To: main, Permission: queue.SenderRoleID},
		{Name: "primary: worker processes the queue", Kind: flows.Permission, From: workers, To: main, Permission: queue.ProcessorRoleID},
		{Name: "primary: worker moves poison messages", Kind: flows.Permission, From: workers, To: poison, Permission: queue.SenderRoleID},
	}
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}
