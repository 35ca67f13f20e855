// Package network creates the Google Cloud network of a scalestack backend: a custom-mode
// VPC, one subnet per region with Private Google Access and flow logs, a Cloud Router with
// Cloud NAT per region (instances have no public IPs), a firewall rule that admits only
// Google's load balancer and health-check ranges to the web instances, and private
// services access so Cloud SQL gets private IPs in the VPC.
//
// The VPC and firewall are global; the primary region's subnet, router and NAT are placed
// by the provider given in opts, the secondary region's by Args.SecondaryProvider.
package network

import (
	"fmt"
	"net"

	"github.com/pulumi/pulumi-gcp/sdk/v7/go/gcp"
	"github.com/pulumi/pulumi-gcp/sdk/v7/go/gcp/compute"
	"github.com/pulumi/pulumi-gcp/sdk/v7/go/gcp/servicenetworking"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

const typeToken = "scalestack:gcp:Network"

// LoadBalancerSourceRanges are the ranges Google's global external Application Load
// Balancer proxies and health checkers connect from.
var LoadBalancerSourceRanges = []string{"35.191.0.0/16", "130.211.0.0/22"}

// DatabasePorts are the ports the web instances reach Cloud SQL on: PostgreSQL (5432) and
// the Cloud SQL connectors' and Auth Proxy's server port (3307).
var DatabasePorts = []string{"5432", "3307"}

// Args configures a Network. Zero values mean the documented default.
type Args struct {
	// PrimaryCIDR is the primary region's subnet range. Default: 10.10.0.0/20.
	PrimaryCIDR string
	// SecondaryProvider places the secondary region's subnet, router and NAT. Default: nil
	// (single region).
	SecondaryProvider *gcp.Provider
	// SecondaryCIDR is the secondary region's subnet range. Default: 10.20.0.0/20.
	SecondaryCIDR string
	// PrivateServicesPrefixLength is the size of the range reserved for Cloud SQL private
	// IPs. Default: 16. Allowed: 16-24.
	PrivateServicesPrefixLength int
	// WebTag is the network tag of the web instances the firewall admits traffic to.
	// Default: "<name>-web".
	WebTag string
	// WebPort is the port the web instances serve on. Default: 8080. Allowed: 1-65535.
	WebPort int
}

type resolved struct {
	Args
}

// resolve applies defaults and validates. It is pure.
func (a *Args) resolve(name string) (resolved, error) {
	r := resolved{}
	if a != nil {
		r.Args = *a
	}
	if r.PrimaryCIDR == "" {
		r.PrimaryCIDR = "10.10.0.0/20"
	}
	if r.SecondaryCIDR == "" {
		r.SecondaryCIDR = "10.20.0.0/20"
	}
	if r.PrivateServicesPrefixLength == 0 {
		r.PrivateServicesPrefixLength = 16
	}
	if r.WebTag == "" {
		r.WebTag = name + "-web"
	}
	if r.WebPort == 0 {
		r.WebPort = 8080
	}
	p, err := cidr("PrimaryCIDR", r.PrimaryCIDR)
	if err != nil {
		return r, err
	}
	if r.SecondaryProvider != nil {
		s, err := cidr("SecondaryCIDR", r.SecondaryCIDR)
		if err != nil {
			return r, err
		}
		if p.Contains(s.IP) || s.Contains(p.IP) {
			return r, fmt.Errorf("SecondaryCIDR %q overlaps PrimaryCIDR %q: want disjoint ranges", r.SecondaryCIDR, r.PrimaryCIDR)
		}
	}
	if r.PrivateServicesPrefixLength < 16 || r.PrivateServicesPrefixLength > 24 {
		return r, fmt.Errorf("PrivateServicesPrefixLength %d is not allowed: want 16-24", r.PrivateServicesPrefixLength)
	}
	if r.WebPort < 1 || r.WebPort > 65535 {
		return r, fmt.Errorf("WebPort %d is not allowed: want 1-65535", r.WebPort)
	}
	return r, nil
}

func cidr(field, v string) (*net.IPNet, error) {
	ip, n, err := net.ParseCIDR(v)
	if err != nil || ip.To4() == nil {
		return nil, fmt.Errorf("%s %q is not an IPv4 CIDR block: want one like 10.10.0.0/20", field, v)
	}
	if ones, _ := n.Mask.Size(); ones < 8 || ones > 29 {
		return nil, fmt.Errorf("%s %q is not allowed: want a prefix length from /8 to /29", field, v)
	}
	return n, nil
}

// Network is a VPC with per-region subnets, NAT and private services access.
type Network struct {
	pulumi.ResourceState

	// NetworkSelfLink is the VPC's self link.
	NetworkSelfLink pulumi.StringOutput `pulumi:"networkSelfLink"`
	// PrimarySubnetSelfLink is the primary region's subnet.
	PrimarySubnetSelfLink pulumi.StringOutput `pulumi:"primarySubnetSelfLink"`
	// SecondarySubnetSelfLink is the secondary region's subnet ("" when single-region).
	SecondarySubnetSelfLink pulumi.StringOutput `pulumi:"secondarySubnetSelfLink"`
	// PrivateNetwork is the VPC's self link, resolved only once private services access is
	// connected: give it to Cloud SQL so the instance waits for the peering.
	PrivateNetwork pulumi.StringOutput `pulumi:"privateNetwork"`
	// WebTag is the network tag the firewall admits load balancer traffic to.
	WebTag pulumi.StringOutput `pulumi:"webTag"`
	// PrivateServicesRange is the private services access range in CIDR form
	// ("10.100.0.0/16"): Cloud SQL's and Memorystore's private IPs are taken from it.
	PrivateServicesRange pulumi.StringOutput `pulumi:"privateServicesRange"`

	// VPC is the network resource, for wiring.
	VPC *compute.Network `pulumi:"-"`
}

// New validates args, applies defaults and registers the network.
func New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*Network, error) {
	a, err := args.resolve(name)
	if err != nil {
		return nil, fmt.Errorf("network %q: %w", name, err)
	}
	n := &Network{}
	if err := ctx.RegisterComponentResource(typeToken, name, n, opts...); err != nil {
		return nil, err
	}
	parent := pulumi.Parent(n)
	vpc, err := compute.NewNetwork(ctx, name, &compute.NetworkArgs{
		AutoCreateSubnetworks: pulumi.Bool(false),
		RoutingMode:           pulumi.String("GLOBAL"),
		Description:           pulumi.String("scalestack VPC " + name),
	}, parent)
	if err != nil {
		return nil, fmt.Errorf("creating VPC: %w", err)
	}
	n.VPC = vpc

	primary, err := regional(ctx, name+"-primary", vpc, a.PrimaryCIDR, parent)
	if err != nil {
		return nil, err
	}
	n.PrimarySubnetSelfLink = primary.SelfLink
	n.SecondarySubnetSelfLink = vpc.SelfLink.ApplyT(func(string) string { return "" }).(pulumi.StringOutput)
	if a.SecondaryProvider != nil {
		secondary, err := regional(ctx, name+"-secondary", vpc, a.SecondaryCIDR, parent, pulumi.Provider(a.SecondaryProvider))
		if err != nil {
			return nil, err
		}
		n.SecondarySubnetSelfLink = secondary.SelfLink
	}

	if _, err := compute.NewFirewall(ctx, name+"-allow-lb", &compute.FirewallArgs{
		Network:      vpc.SelfLink,
		Description:  pulumi.String("Google load balancer proxies and health checkers to the web instances only"),
		Direction:    pulumi.String("INGRESS"),
		Priority:     pulumi.Int(1000),
		SourceRanges: pulumi.ToStringArray(LoadBalancerSourceRanges),
		TargetTags:   pulumi.StringArray{pulumi.String(a.WebTag)},
		Allows: compute.FirewallAllowArray{compute.FirewallAllowArgs{
			Protocol: pulumi.String("tcp"),
			Ports:    pulumi.StringArray{pulumi.String(fmt.Sprint(a.WebPort))},
		}},
		LogConfig: &compute.FirewallLogConfigArgs{Metadata: pulumi.String("INCLUDE_ALL_METADATA")},
	}, parent); err != nil {
		return nil, fmt.Errorf("creating firewall rule: %w", err)
	}

	psRange, err := compute.NewGlobalAddress(ctx, name+"-private-services", &compute.GlobalAddressArgs{
		Network:      vpc.ID(),
		AddressType:  pulumi.String("INTERNAL"),
		Purpose:      pulumi.String("VPC_PEERING"),
		PrefixLength: pulumi.Int(a.PrivateServicesPrefixLength),
		Description:  pulumi.String("private services access range (Cloud SQL private IPs)"),
	}, parent)
	if err != nil {
		return nil, fmt.Errorf("creating private services range: %w", err)
	}
	// ABANDON: Cloud SQL keeps using the peering for a while after its instances are deleted,
	// so deleting the connection fails a destroy or a network replacement; abandoning it lets
	// the VPC go with it (terraform-provider-google google_service_networking_connection
	// deletion_policy: "This will enable a successful terraform destroy when destroying
	// CloudSQL instances").
	conn, err := servicenetworking.NewConnection(ctx, name+"-private-services", &servicenetworking.ConnectionArgs{
		Network:               vpc.ID(),
		Service:               pulumi.String("servicenetworking.googleapis.com"),
		ReservedPeeringRanges: pulumi.StringArray{psRange.Name},
		DeletionPolicy:        pulumi.String("ABANDON"),
	}, parent)
	if err != nil {
		return nil, fmt.Errorf("creating private services connection: %w", err)
	}
	privateRange := pulumi.Sprintf("%s/%d", psRange.Address, a.PrivateServicesPrefixLength)
	// The web instances reach Cloud SQL's private IPs in the private services range: 5432
	// directly, 3307 through the Cloud SQL connectors and Auth Proxy. A VPC's implied rule
	// allows all egress already; this rule states the flow, and keeps it if a deny-all egress
	// rule is ever added below it (priority 1000 < 65535).
	if _, err := compute.NewFirewall(ctx, name+"-allow-db", &compute.FirewallArgs{
		Network:           vpc.SelfLink,
		Description:       pulumi.String("web instances to Cloud SQL private IPs (5432, connectors 3307)"),
		Direction:         pulumi.String("EGRESS"),
		Priority:          pulumi.Int(1000),
		DestinationRanges: pulumi.StringArray{privateRange},
		TargetTags:        pulumi.StringArray{pulumi.String(a.WebTag)},
		Allows: compute.FirewallAllowArray{compute.FirewallAllowArgs{
			Protocol: pulumi.String("tcp"),
			Ports:    pulumi.ToStringArray(DatabasePorts),
		}},
		LogConfig: &compute.FirewallLogConfigArgs{Metadata: pulumi.String("INCLUDE_ALL_METADATA")},
	}, parent); err != nil {
		return nil, fmt.Errorf("creating database egress rule: %w", err)
	}

	n.NetworkSelfLink = vpc.SelfLink
	n.PrivateNetwork = conn.Network
	n.WebTag = vpc.Name.ApplyT(func(string) string { return a.WebTag }).(pulumi.StringOutput)
	n.PrivateServicesRange = privateRange
	return n, ctx.RegisterResourceOutputs(n, pulumi.Map{
		"privateServicesRange":    n.PrivateServicesRange,
		"networkSelfLink":         n.NetworkSelfLink,
		"primarySubnetSelfLink":   n.PrimarySubnetSelfLink,
		"secondarySubnetSelfLink": n.SecondarySubnetSelfLink,
		"privateNetwork":          n.PrivateNetwork,
		"webTag":                  n.WebTag,
	})
}

// regional registers one region's subnet, Cloud Router and Cloud NAT.
func regional(ctx *pulumi.Context, name string, vpc *compute.Network, cidr string, opts ...pulumi.ResourceOption) (*compute.Subnetwork, error) {
	subnet, err := compute.NewSubnetwork(ctx, name, &compute.SubnetworkArgs{
		Network:               vpc.ID(),
		IpCidrRange:           pulumi.String(cidr),
		PrivateIpGoogleAccess: pulumi.Bool(true),
		LogConfig: &compute.SubnetworkLogConfigArgs{
			AggregationInterval: pulumi.String("INTERVAL_5_SEC"),
			FlowSampling:        pulumi.Float64(0.5),
			Metadata:            pulumi.String("INCLUDE_ALL_METADATA"),
		},
	}, opts...)
	if err != nil {
		return nil, fmt.Errorf("creating subnet %q: %w", name, err)
	}
	router, err := compute.NewRouter(ctx, name, &compute.RouterArgs{Network: vpc.ID()}, opts...)
	if err != nil {
		return nil, fmt.Errorf("creating router %q: %w", name, err)
	}
	if _, err := compute.NewRouterNat(ctx, name, &compute.RouterNatArgs{
		Router:                        router.Name,
		NatIpAllocateOption:           pulumi.String("AUTO_ONLY"),
		SourceSubnetworkIpRangesToNat: pulumi.String("LIST_OF_SUBNETWORKS"),
		Subnetworks: compute.RouterNatSubnetworkArray{compute.RouterNatSubnetworkArgs{
			Name:                 subnet.ID(),
			SourceIpRangesToNats: pulumi.StringArray{pulumi.String("ALL_IP_RANGES")},
		}},
		LogConfig: &compute.RouterNatLogConfigArgs{Enable: pulumi.Bool(true), Filter: pulumi.String("ERRORS_ONLY")},
	}, opts...); err != nil {
		return nil, fmt.Errorf("creating Cloud NAT %q: %w", name, err)
	}
	return subnet, nil
}

// Validate reports the first problem with args for a network named name, registering nothing.
func (a *Args) Validate(name string) error { _, err := a.resolve(name); return err }
