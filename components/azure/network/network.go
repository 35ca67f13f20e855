// Package network creates the network of one Azure region for the scalestack backend: a
// resource group, a virtual network with a subnet per tier (gateway, web, data) and a network
// security group per subnet that allows only what the tier needs.
//
//   - gateway subnet: HTTP/HTTPS from the Internet (80 is only for the HTTP→HTTPS redirect),
//     or, with FrontDoorOnly, from Azure Front Door's back end only (the AzureFrontDoor.Backend
//     service tag); the GatewayManager ports Application Gateway v2 requires, and the Azure
//     load balancer;
//   - web subnet: the web port from the gateway subnet (or, for a Standard Load Balancer, from
//     the Internet or, with FrontDoorOnly, Front Door's back end, since that load balancer
//     keeps the client address) and the Azure load balancer's probes; everything else from the
//     virtual network is denied;
//   - data subnet: SQL (1433) from the web subnet only, for the database's private endpoint,
//     and, with Queue, HTTPS (443) from the web subnet only, for the queue's private endpoint
//     (the web tier sends, the worker tier, in the same subnet, receives).
//
// The component is placed in a region by the azure-native provider it is given and by
// Location, which every child is created in.
package network

import (
	"fmt"
	"net/netip"
	"regexp"

	"github.com/pulumi/pulumi-azure-native-sdk/network/v2"
	"github.com/pulumi/pulumi-azure-native-sdk/resources/v2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/scalestack/scalestack/providers"
	"github.com/scalestack/scalestack/providers/azureregions"
)

// typeToken is part of every child's URN: changing it needs pulumi.Aliases.
const typeToken = "scalestack:azure:Network"

// Ingress kinds: which load balancer fronts the web tier.
const (
	// IngressAppGateway is an Application Gateway v2 in the gateway subnet.
	IngressAppGateway = "appgateway"
	// IngressStandardLB is a Standard Load Balancer, which passes client addresses through.
	IngressStandardLB = "standard"
)

// Args configures a Network. Zero values mean the documented default.
type Args struct {
	// Location is the Azure location of the resource group and every child ("eastus2").
	// Required; it should match the location of the provider the component is given.
	Location string
	// AddressSpace is the virtual network's CIDR. Default: 10.0.0.0/16. Allowed: an IPv4
	// prefix of /16 to /22; the first three /24 blocks become the gateway, web and data subnets.
	AddressSpace string
	// WebPort is the port the web tier serves HTTP on. Default: 8080. Allowed: 1-65535.
	WebPort int
	// Ingress is the load balancer kind in front of the web tier: "appgateway" (default) or
	// "standard". It decides what the web subnet accepts.
	Ingress string
	// FrontDoorOnly admits web traffic (80/443 to an Application Gateway, the web port behind a
	// Standard Load Balancer) only from Azure Front Door's back end, the AzureFrontDoor.Backend
	// service tag, instead of the whole Internet, so the CDN and its WAF cannot be bypassed at
	// the network layer. The tag covers every Front Door profile, so the gateway also checks
	// the profile's X-Azure-FDID header (see the gateway package). Default: false.
	FrontDoorOnly bool
	// Queue admits HTTPS (443) from the web subnet to the data subnet, where the queue's
	// storage account has its private endpoint. Default: false (the rule is absent, so a
	// network without a queue keeps its security group unchanged).
	Queue bool
	// Tags are added to every child, over nothing and under the per-child "tier" tag.
	Tags map[string]string
}

type resolved struct {
	Args
	gatewayPrefix, webPrefix, dataPrefix string
}

var locationRE = regexp.MustCompile(`^[a-z]+[a-z0-9]*$`)

// Validate checks args (with the defaults applied) without registering anything.
func (a *Args) Validate() error {
	_, err := a.resolve()
	return err
}

// resolve applies the defaults and validates; it registers nothing.
func (a *Args) resolve() (*resolved, error) {
	if a == nil {
		return nil, fmt.Errorf("args are required: want at least Location")
	}
	r := &resolved{Args: *a}
	if r.AddressSpace == "" {
		r.AddressSpace = "10.0.0.0/16"
	}
	if r.WebPort == 0 {
		r.WebPort = 8080
	}
	if r.Ingress == "" {
		r.Ingress = IngressAppGateway
	}
	if !locationRE.MatchString(r.Location) {
		return nil, fmt.Errorf("Location %q is not an Azure location: want a name such as eastus2", r.Location)
	}
	p, err := netip.ParsePrefix(r.AddressSpace)
	if err != nil || !p.Addr().Is4() || p.Bits() < 16 || p.Bits() > 22 || p.Masked() != p {
		return nil, fmt.Errorf("AddressSpace %q is not allowed: want an IPv4 network prefix from /16 to /22, such as 10.0.0.0/16", r.AddressSpace)
	}
	if r.WebPort < 1 || r.WebPort > 65535 {
		return nil, fmt.Errorf("WebPort %d is not allowed: want 1-65535", r.WebPort)
	}
	if r.Ingress != IngressAppGateway && r.Ingress != IngressStandardLB {
		return nil, fmt.Errorf("Ingress %q is not allowed: want %q or %q", r.Ingress, IngressAppGateway, IngressStandardLB)
	}
	b := p.Addr().As4()
	block := func(i byte) string {
		return netip.PrefixFrom(netip.AddrFrom4([4]byte{b[0], b[1], b[2] + i, 0}), 24).String()
	}
	r.gatewayPrefix, r.webPrefix, r.dataPrefix = block(0), block(1), block(2)
	return r, nil
}

// Network is a resource group, a virtual network and three subnets with their NSGs.
type Network struct {
	pulumi.ResourceState

	// ResourceGroupName is the (auto-named) resource group every regional resource goes in.
	ResourceGroupName pulumi.StringOutput `pulumi:"resourceGroupName"`
	// ResourceGroupID is the resource group's ARM ID.
	ResourceGroupID pulumi.StringOutput `pulumi:"resourceGroupId"`
	// VNetID is the virtual network's ARM ID.
	VNetID pulumi.StringOutput `pulumi:"vnetId"`
	// GatewaySubnetID, WebSubnetID and DataSubnetID are the subnets' ARM IDs.
	GatewaySubnetID pulumi.StringOutput `pulumi:"gatewaySubnetId"`
	WebSubnetID     pulumi.StringOutput `pulumi:"webSubnetId"`
	DataSubnetID    pulumi.StringOutput `pulumi:"dataSubnetId"`

	// Location is the location the network was placed in.
	Location string
	// GatewayPrefix, WebPrefix and DataPrefix are the subnets' CIDRs.
	GatewayPrefix, WebPrefix, DataPrefix string
}

// New validates args, applies defaults and registers the network.
func New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*Network, error) {
	a, err := args.resolve()
	if err != nil {
		return nil, fmt.Errorf("network %q: %w", name, err)
	}
	n := &Network{Location: a.Location, GatewayPrefix: a.gatewayPrefix, WebPrefix: a.webPrefix, DataPrefix: a.dataPrefix}
	if err := ctx.RegisterComponentResource(typeToken, name, n, opts...); err != nil {
		return nil, err
	}
	parent := pulumi.Parent(n)
	tags := func(tier string) pulumi.StringMap {
		if tier == "" {
			return azureregions.Tags(providers.Tags(a.Tags))
		}
		return azureregions.Tags(providers.Tags(a.Tags), map[string]string{"tier": tier})
	}
	loc := pulumi.String(a.Location)

	rg, err := resources.NewResourceGroup(ctx, name+"-rg", &resources.ResourceGroupArgs{
		Location: loc,
		Tags:     tags(""),
	}, parent)
	if err != nil {
		return nil, fmt.Errorf("creating resource group: %w", err)
	}
	vnet, err := network.NewVirtualNetwork(ctx, name+"-vnet", &network.VirtualNetworkArgs{
		ResourceGroupName: rg.Name,
		Location:          loc,
		AddressSpace:      &network.AddressSpaceArgs{AddressPrefixes: pulumi.StringArray{pulumi.String(a.AddressSpace)}},
		Tags:              tags(""),
	}, parent, pulumi.IgnoreChanges([]string{"subnets"}))
	if err != nil {
		return nil, fmt.Errorf("creating virtual network: %w", err)
	}

	// The public entry: the whole Internet, or only Front Door's back end.
	public, publicKey := "Internet", "internet"
	if a.FrontDoorOnly {
		public, publicKey = frontDoorTag, "frontdoor"
	}
	webFrom := a.gatewayPrefix
	if a.Ingress == IngressStandardLB {
		webFrom = public
	}
	tiers := []struct {
		key, prefix string
		rules       []rule
	}{
		{"gateway", a.gatewayPrefix, []rule{
			{"allow-https-" + publicKey, 100, public, "443", "Tcp"},
			{"allow-http-redirect-" + publicKey, 110, public, "80", "Tcp"},
			// Application Gateway v2 requires these two (its health and control plane).
			{"allow-gateway-manager", 120, "GatewayManager", "65200-65535", "Tcp"},
			{"allow-azure-load-balancer", 130, "AzureLoadBalancer", "*", "*"},
		}},
		{"web", a.webPrefix, []rule{
			{"allow-web-from-ingress", 100, webFrom, fmt.Sprint(a.WebPort), "Tcp"},
			{"allow-azure-load-balancer", 110, "AzureLoadBalancer", fmt.Sprint(a.WebPort), "Tcp"},
			{"deny-vnet-inbound", 4000, "VirtualNetwork", "*", "*"},
		}},
		{"data", a.dataPrefix, []rule{
			{"allow-sql-from-web", 100, a.webPrefix, "1433", "Tcp"},
			{"deny-vnet-inbound", 4000, "VirtualNetwork", "*", "*"},
		}},
	}
	if a.Queue {
		data := &tiers[2]
		data.rules = append([]rule{data.rules[0], {"allow-queue-from-web", 110, a.webPrefix, "443", "Tcp"}}, data.rules[1:]...)
	}
	ids := map[string]pulumi.StringOutput{}
	var prev pulumi.Resource
	for _, t := range tiers {
		nsg, err := network.NewNetworkSecurityGroup(ctx, name+"-"+t.key+"-nsg", &network.NetworkSecurityGroupArgs{
			ResourceGroupName: rg.Name,
			Location:          loc,
			SecurityRules:     securityRules(t.rules),
			Tags:              tags(t.key),
		}, parent)
		if err != nil {
			return nil, fmt.Errorf("creating %s network security group: %w", t.key, err)
		}
		sopts := []pulumi.ResourceOption{parent}
		if prev != nil {
			// Azure serialises subnet changes within a virtual network.
			sopts = append(sopts, pulumi.DependsOn([]pulumi.Resource{prev}))
		}
		sargs := &network.SubnetArgs{
			ResourceGroupName:                 rg.Name,
			VirtualNetworkName:                vnet.Name,
			AddressPrefix:                     pulumi.String(t.prefix),
			NetworkSecurityGroup:              &network.NetworkSecurityGroupTypeArgs{Id: nsg.ID()},
			PrivateEndpointNetworkPolicies:    pulumi.String("Enabled"),
			PrivateLinkServiceNetworkPolicies: pulumi.String("Enabled"),
		}
		sn, err := network.NewSubnet(ctx, name+"-"+t.key, sargs, sopts...)
		if err != nil {
			return nil, fmt.Errorf("creating %s subnet: %w", t.key, err)
		}
		ids[t.key] = sn.ID().ToStringOutput()
		prev = sn
	}

	n.ResourceGroupName = rg.Name
	n.ResourceGroupID = rg.ID().ToStringOutput()
	n.VNetID = vnet.ID().ToStringOutput()
	n.GatewaySubnetID, n.WebSubnetID, n.DataSubnetID = ids["gateway"], ids["web"], ids["data"]
	return n, ctx.RegisterResourceOutputs(n, pulumi.Map{
		"resourceGroupName": n.ResourceGroupName,
		"resourceGroupId":   n.ResourceGroupID,
		"vnetId":            n.VNetID,
		"gatewaySubnetId":   n.GatewaySubnetID,
		"webSubnetId":       n.WebSubnetID,
		"dataSubnetId":      n.DataSubnetID,
	})
}

// frontDoorTag is the service tag of Azure Front Door's back end (the addresses it connects to
// origins from).
const frontDoorTag = "AzureFrontDoor.Backend"

// rule is one inbound allow (or, from priority 4000, deny) rule.
type rule struct {
	name     string
	priority int
	source   string
	ports    string
	protocol string
}

func securityRules(rules []rule) network.SecurityRuleTypeArray {
	out := network.SecurityRuleTypeArray{}
	for _, r := range rules {
		access := "Allow"
		if r.priority >= 4000 {
			access = "Deny"
		}
		out = append(out, &network.SecurityRuleTypeArgs{
			Name:                     pulumi.String(r.name),
			Priority:                 pulumi.Int(r.priority),
			Direction:                pulumi.String("Inbound"),
			Access:                   pulumi.String(access),
			Protocol:                 pulumi.String(r.protocol),
			SourceAddressPrefix:      pulumi.String(r.source),
			SourcePortRange:          pulumi.String("*"),
			DestinationAddressPrefix: pulumi.String("*"),
			DestinationPortRange:     pulumi.String(r.ports),
		})
	}
	return out
}
