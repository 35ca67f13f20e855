// Package network creates the VPC a scalestack backend runs in: public, private and data
// subnets in two or three availability zones, an internet gateway, NAT gateways (one for the
// VPC or one per zone), route tables that keep the data subnets off the internet, a default
// security group with no rules, and VPC flow logs to a KMS-encrypted CloudWatch log group.
//
// The region is the region of the provider the component is given (children inherit it
// through their parent); the availability zones are passed by name so the component
// previews offline, without a lookup.
package network

import (
	"encoding/json"
	"fmt"
	"net/netip"
	"regexp"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/kms"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// TypeToken is the component's type; it is part of every child's URN.
const TypeToken = "scalestack:aws:Network"

// NAT gateway layouts for Args.NATGateways.
const (
	// NATSingle is one NAT gateway, in the first zone, shared by every private subnet:
	// cheaper, but a zone outage cuts outbound traffic of the other zones.
	NATSingle = "single"
	// NATPerAZ is one NAT gateway per zone, each private subnet routing through its own zone's.
	NATPerAZ = "per-az"
)

// DefaultCIDRBlock is the VPC range used when Args.CIDRBlock is empty.
const DefaultCIDRBlock = "10.0.0.0/16"

// DefaultFlowLogRetentionDays is how long flow logs are kept when Args.FlowLogRetentionDays is 0.
const DefaultFlowLogRetentionDays = 90

// Args configures a Network. Zero values mean the documented default.
type Args struct {
	// AvailabilityZones are the zone names the subnets are spread over, such as
	// "us-east-1a". Required: 2 or 3 distinct zones of one region (the provider's region).
	AvailabilityZones []string
	// CIDRBlock is the VPC's IPv4 range. Default: "10.0.0.0/16". Allowed: a network address
	// with a prefix length from /16 to /20. Each subnet takes 1/16 of it (a /20 in a /16):
	// public subnets the 1st-4th sixteenths, private the 5th-8th, data the 9th-12th.
	CIDRBlock string
	// NATGateways is NATSingle ("single") or NATPerAZ ("per-az"). Default: "single".
	NATGateways string
	// FlowLogRetentionDays keeps VPC flow logs. Default: 90. Allowed: a CloudWatch Logs
	// retention (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827,
	// 2192, 2557, 2922, 3288, 3653).
	FlowLogRetentionDays int
	// S3Endpoint adds a gateway VPC endpoint for S3 routed from the private subnets, so S3
	// traffic stays off the NAT gateways. Default: false.
	S3Endpoint bool
	// Tags are added to every child that takes tags. Default: none (the provider's default
	// tags still apply). A child's own Name tag wins over a "Name" given here.
	Tags map[string]string
}

// Network is a VPC with its subnets, gateways, routes and flow logs.
type Network struct {
	pulumi.ResourceState

	// VpcID is the VPC's id.
	VpcID pulumi.StringOutput `pulumi:"vpcId"`
	// VpcCIDR is the VPC's IPv4 range.
	VpcCIDR pulumi.StringOutput `pulumi:"vpcCidr"`
	// PublicSubnetIDs are the public subnets (load balancers, NAT gateways), one per zone in
	// the order of Args.AvailabilityZones.
	PublicSubnetIDs pulumi.StringArrayOutput `pulumi:"publicSubnetIds"`
	// PrivateSubnetIDs are the private subnets (instances), outbound through NAT, one per zone.
	PrivateSubnetIDs pulumi.StringArrayOutput `pulumi:"privateSubnetIds"`
	// DataSubnetIDs are the data subnets (databases), with no route to the internet, one per zone.
	DataSubnetIDs pulumi.StringArrayOutput `pulumi:"dataSubnetIds"`
	// FlowLogGroupName is the CloudWatch log group that receives the VPC flow logs.
	FlowLogGroupName pulumi.StringOutput `pulumi:"flowLogGroupName"`
}

// resolved is Args with defaults applied and the layout computed.
type resolved struct {
	Args
	region  string
	prefix  netip.Prefix
	subnets map[string][3]string // zone -> public, private, data CIDR
}

var (
	zoneRE           = regexp.MustCompile(`^([a-z]{2}(-gov)?-[a-z]+-[0-9])[a-z]$`)
	retentionAllowed = []int{1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653}
)

// withDefaults returns a copy of a with every zero value replaced by its default.
func (a Args) withDefaults() Args {
	if a.CIDRBlock == "" {
		a.CIDRBlock = DefaultCIDRBlock
	}
	if a.NATGateways == "" {
		a.NATGateways = NATSingle
	}
	if a.FlowLogRetentionDays == 0 {
		a.FlowLogRetentionDays = DefaultFlowLogRetentionDays
	}
	return a
}

// resolve applies the defaults, validates the result and computes the subnet layout. It
// registers nothing.
func (a *Args) resolve() (*resolved, error) {
	if a == nil {
		return nil, fmt.Errorf("args are required (AvailabilityZones at least)")
	}
	r := &resolved{Args: a.withDefaults()}
	n := len(r.AvailabilityZones)
	if n < 2 || n > 3 {
		return nil, fmt.Errorf("AvailabilityZones %q is not allowed: want 2 or 3 zone names such as us-east-1a", r.AvailabilityZones)
	}
	seen := map[string]bool{}
	for _, z := range r.AvailabilityZones {
		m := zoneRE.FindStringSubmatch(z)
		if m == nil {
			return nil, fmt.Errorf("AvailabilityZones: %q is not an availability zone name: want a region followed by a letter, such as us-east-1a", z)
		}
		if r.region == "" {
			r.region = m[1]
		} else if m[1] != r.region {
			return nil, fmt.Errorf("AvailabilityZones: %q is not in region %s: want zones of one region", z, r.region)
		}
		if seen[z] {
			return nil, fmt.Errorf("AvailabilityZones: %q is listed twice: want distinct zones", z)
		}
		seen[z] = true
	}
	p, err := netip.ParsePrefix(r.CIDRBlock)
	if err != nil || !p.Addr().Is4() {
		return nil, fmt.Errorf("CIDRBlock %q is not allowed: want an IPv4 CIDR such as 10.0.0.0/16", r.CIDRBlock)
	}
	if p.Bits() < 16 || p.Bits() > 20 {
		return nil, fmt.Errorf("CIDRBlock %q is not allowed: want a prefix length from /16 to /20", r.CIDRBlock)
	}
	if p.Masked() != p {
		return nil, fmt.Errorf("CIDRBlock %q is not allowed: want the network address %s", r.CIDRBlock, p.Masked())
	}
	r.prefix = p
	if r.NATGateways != NATSingle && r.NATGateways != NATPerAZ {
		return nil, fmt.Errorf("NATGateways %q is not allowed: want %q or %q", r.NATGateways, NATSingle, NATPerAZ)
	}
	ok := false
	for _, d := range retentionAllowed {
		ok = ok || d == r.FlowLogRetentionDays
	}
	if !ok {
		return nil, fmt.Errorf("FlowLogRetentionDays %d is not allowed: want one of %v", r.FlowLogRetentionDays, retentionAllowed)
	}
	r.subnets = map[string][3]string{}
	for i, z := range r.AvailabilityZones {
		r.subnets[z] = [3]string{subnetCIDR(p, i), subnetCIDR(p, 4+i), subnetCIDR(p, 8+i)}
	}
	return r, nil
}

// subnetCIDR returns the index-th sixteenth of p (p's prefix length plus 4 bits).
func subnetCIDR(p netip.Prefix, index int) string {
	base := p.Addr().As4()
	v := uint32(base[0])<<24 | uint32(base[1])<<16 | uint32(base[2])<<8 | uint32(base[3])
	bits := p.Bits() + 4
	v += uint32(index) << (32 - bits)
	a := netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)})
	return netip.PrefixFrom(a, bits).String()
}

// tags merges the user's tags with a child's Name tag (the Name tag wins).
func (r *resolved) tags(name string) pulumi.StringMap {
	out := pulumi.StringMap{}
	for k, v := range r.Tags {
		out[k] = pulumi.String(v)
	}
	out["Name"] = pulumi.String(name)
	return out
}

// New validates args, applies defaults and registers the network's resources.
func New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*Network, error) {
	a, err := args.resolve()
	if err != nil {
		return nil, fmt.Errorf("network %q: %w", name, err)
	}
	n := &Network{}
	if err := ctx.RegisterComponentResource(TypeToken, name, n, opts...); err != nil {
		return nil, err
	}
	parent := pulumi.Parent(n)

	vpc, err := ec2.NewVpc(ctx, name, &ec2.VpcArgs{
		CidrBlock:          pulumi.String(a.CIDRBlock),
		EnableDnsHostnames: pulumi.Bool(true),
		EnableDnsSupport:   pulumi.Bool(true),
		Tags:               a.tags(name),
	}, parent)
	if err != nil {
		return nil, fmt.Errorf("creating VPC: %w", err)
	}
	// Taking over the default security group with no rules removes AWS's allow-all rules.
	if _, err := ec2.NewDefaultSecurityGroup(ctx, name+"-default", &ec2.DefaultSecurityGroupArgs{
		VpcId: vpc.ID(),
		Tags:  a.tags(name + "-default-locked"),
	}, parent); err != nil {
		return nil, fmt.Errorf("locking down the default security group: %w", err)
	}
	igw, err := ec2.NewInternetGateway(ctx, name, &ec2.InternetGatewayArgs{
		VpcId: vpc.ID(),
		Tags:  a.tags(name),
	}, parent)
	if err != nil {
		return nil, fmt.Errorf("creating internet gateway: %w", err)
	}

	publicRT, err := ec2.NewRouteTable(ctx, name+"-public", &ec2.RouteTableArgs{
		VpcId: vpc.ID(),
		Tags:  a.tags(name + "-public"),
	}, parent)
	if err != nil {
		return nil, fmt.Errorf("creating public route table: %w", err)
	}
	if _, err := ec2.NewRoute(ctx, name+"-public-internet", &ec2.RouteArgs{
		RouteTableId:         publicRT.ID(),
		DestinationCidrBlock: pulumi.String("0.0.0.0/0"),
		GatewayId:            igw.ID(),
	}, parent); err != nil {
		return nil, fmt.Errorf("creating public internet route: %w", err)
	}
	dataRT, err := ec2.NewRouteTable(ctx, name+"-data", &ec2.RouteTableArgs{
		VpcId: vpc.ID(),
		Tags:  a.tags(name + "-data"),
	}, parent)
	if err != nil {
		return nil, fmt.Errorf("creating data route table: %w", err)
	}

	var public, private, data pulumi.StringArray
	var privateRTs pulumi.StringArray
	var nats []*ec2.NatGateway
	for i, zone := range a.AvailabilityZones {
		cidrs := a.subnets[zone]
		pub, err := subnet(ctx, a, name+"-public-"+zone, vpc, zone, cidrs[0], "public", parent)
		if err != nil {
			return nil, err
		}
		priv, err := subnet(ctx, a, name+"-private-"+zone, vpc, zone, cidrs[1], "private", parent)
		if err != nil {
			return nil, err
		}
		dat, err := subnet(ctx, a, name+"-data-"+zone, vpc, zone, cidrs[2], "data", parent)
		if err != nil {
			return nil, err
		}
		public, private, data = append(public, pub.ID()), append(private, priv.ID()), append(data, dat.ID())

		if err := associate(ctx, name+"-public-"+zone, publicRT, pub, parent); err != nil {
			return nil, err
		}
		if err := associate(ctx, name+"-data-"+zone, dataRT, dat, parent); err != nil {
			return nil, err
		}
		if i == 0 || a.NATGateways == NATPerAZ {
			eip, err := ec2.NewEip(ctx, name+"-nat-"+zone, &ec2.EipArgs{
				Domain: pulumi.String("vpc"),
				Tags:   a.tags(name + "-nat-" + zone),
			}, parent)
			if err != nil {
				return nil, fmt.Errorf("creating NAT address in %s: %w", zone, err)
			}
			nat, err := ec2.NewNatGateway(ctx, name+"-"+zone, &ec2.NatGatewayArgs{
				AllocationId: eip.AllocationId,
				SubnetId:     pub.ID(),
				Tags:         a.tags(name + "-" + zone),
			}, parent, pulumi.DependsOn([]pulumi.Resource{igw}))
			if err != nil {
				return nil, fmt.Errorf("creating NAT gateway in %s: %w", zone, err)
			}
			nats = append(nats, nat)
		}
		nat := nats[len(nats)-1]
		rt, err := ec2.NewRouteTable(ctx, name+"-private-"+zone, &ec2.RouteTableArgs{
			VpcId: vpc.ID(),
			Tags:  a.tags(name + "-private-" + zone),
		}, parent)
		if err != nil {
			return nil, fmt.Errorf("creating private route table in %s: %w", zone, err)
		}
		if _, err := ec2.NewRoute(ctx, name+"-private-"+zone+"-nat", &ec2.RouteArgs{
			RouteTableId:         rt.ID(),
			DestinationCidrBlock: pulumi.String("0.0.0.0/0"),
			NatGatewayId:         nat.ID(),
		}, parent); err != nil {
			return nil, fmt.Errorf("creating NAT route in %s: %w", zone, err)
		}
		if err := associate(ctx, name+"-private-"+zone, rt, priv, parent); err != nil {
			return nil, err
		}
		privateRTs = append(privateRTs, rt.ID())
	}

	if a.S3Endpoint {
		if _, err := ec2.NewVpcEndpoint(ctx, name+"-s3", &ec2.VpcEndpointArgs{
			VpcId:           vpc.ID(),
			ServiceName:     pulumi.String("com.amazonaws." + a.region + ".s3"),
			VpcEndpointType: pulumi.String("Gateway"),
			RouteTableIds:   privateRTs,
			Tags:            a.tags(name + "-s3"),
		}, parent); err != nil {
			return nil, fmt.Errorf("creating S3 gateway endpoint: %w", err)
		}
	}

	logGroup, err := flowLogs(ctx, name, a, vpc, parent)
	if err != nil {
		return nil, err
	}

	n.VpcID = vpc.ID().ToStringOutput()
	n.VpcCIDR = vpc.CidrBlock
	n.PublicSubnetIDs = public.ToStringArrayOutput()
	n.PrivateSubnetIDs = private.ToStringArrayOutput()
	n.DataSubnetIDs = data.ToStringArrayOutput()
	n.FlowLogGroupName = logGroup.Name
	return n, ctx.RegisterResourceOutputs(n, pulumi.Map{
		"vpcId":            n.VpcID,
		"vpcCidr":          n.VpcCIDR,
		"publicSubnetIds":  n.PublicSubnetIDs,
		"privateSubnetIds": n.PrivateSubnetIDs,
		"dataSubnetIds":    n.DataSubnetIDs,
		"flowLogGroupName": n.FlowLogGroupName,
	})
}

func subnet(ctx *pulumi.Context, a *resolved, name string, vpc *ec2.Vpc, zone, cidr, tier string, parent pulumi.ResourceOption) (*ec2.Subnet, error) {
	tags := a.tags(name)
	tags["scalestack:tier"] = pulumi.String(tier)
	sn, err := ec2.NewSubnet(ctx, name, &ec2.SubnetArgs{
		VpcId:               vpc.ID(),
		AvailabilityZone:    pulumi.String(zone),
		CidrBlock:           pulumi.String(cidr),
		MapPublicIpOnLaunch: pulumi.Bool(false),
		Tags:                tags,
	}, parent)
	if err != nil {
		return nil, fmt.Errorf("creating %s subnet in %s: %w", tier, zone, err)
	}
	return sn, nil
}

func associate(ctx *pulumi.Context, name string, rt *ec2.RouteTable, sn *ec2.Subnet, parent pulumi.ResourceOption) error {
	if _, err := ec2.NewRouteTableAssociation(ctx, name, &ec2.RouteTableAssociationArgs{
		RouteTableId: rt.ID(),
		SubnetId:     sn.ID(),
	}, parent); err != nil {
		return fmt.Errorf("associating route table with %s: %w", name, err)
	}
	return nil
}

// arnParts splits an ARN into partition, region and account.
func arnParts(arn string) (partition, region, account string) {
	p := strings.SplitN(arn, ":", 6)
	if len(p) < 6 {
		return "aws", "", ""
	}
	return p[1], p[3], p[4]
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // only maps of strings are marshalled here
	}
	return string(b)
}

// flowLogKeyPolicy lets the account administer the key and CloudWatch Logs in the VPC's
// region use it for this account's log groups only.
func flowLogKeyPolicy(vpcARN string) string {
	partition, region, account := arnParts(vpcARN)
	return mustJSON(map[string]any{
		"Version": "2012-10-17",
		"Statement": []any{
			map[string]any{
				"Sid":       "AccountAdministers",
				"Effect":    "Allow",
				"Principal": map[string]any{"AWS": fmt.Sprintf("arn:%s:iam::%s:root", partition, account)},
				"Action":    "kms:*",
				"Resource":  "*",
			},
			map[string]any{
				"Sid":       "CloudWatchLogsEncrypts",
				"Effect":    "Allow",
				"Principal": map[string]any{"Service": fmt.Sprintf("logs.%s.amazonaws.com", region)},
				"Action":    []string{"kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"},
				"Resource":  "*",
				"Condition": map[string]any{"ArnLike": map[string]any{
					"kms:EncryptionContext:aws:logs:arn": fmt.Sprintf("arn:%s:logs:%s:%s:log-group:*", partition, region, account),
				}},
			},
		},
	})
}

// flowLogs registers the KMS key, the log group, the delivery role and the flow log.
func flowLogs(ctx *pulumi.Context, name string, a *resolved, vpc *ec2.Vpc, parent pulumi.ResourceOption) (*cloudwatch.LogGroup, error) {
	key, err := kms.NewKey(ctx, name+"-flow-logs", &kms.KeyArgs{
		Description:          pulumi.Sprintf("Encrypts the VPC flow logs of %s", name),
		EnableKeyRotation:    pulumi.Bool(true),
		DeletionWindowInDays: pulumi.Int(30),
		Policy:               vpc.Arn.ApplyT(flowLogKeyPolicy).(pulumi.StringOutput),
		Tags:                 a.tags(name + "-flow-logs"),
	}, parent)
	if err != nil {
		return nil, fmt.Errorf("creating flow log key: %w", err)
	}
	group, err := cloudwatch.NewLogGroup(ctx, name+"-flow-logs", &cloudwatch.LogGroupArgs{
		KmsKeyId:        key.Arn,
		RetentionInDays: pulumi.Int(a.FlowLogRetentionDays),
		Tags:            a.tags(name + "-flow-logs"),
	}, parent)
	if err != nil {
		return nil, fmt.Errorf("creating flow log group: %w", err)
	}
	role, err := iam.NewRole(ctx, name+"-flow-logs", &iam.RoleArgs{
		Description: pulumi.Sprintf("Delivers the VPC flow logs of %s", name),
		AssumeRolePolicy: vpc.Arn.ApplyT(func(arn string) string {
			_, _, account := arnParts(arn)
			return mustJSON(map[string]any{
				"Version": "2012-10-17",
				"Statement": []any{map[string]any{
					"Effect":    "Allow",
					"Principal": map[string]any{"Service": "vpc-flow-logs.amazonaws.com"},
					"Action":    "sts:AssumeRole",
					"Condition": map[string]any{"StringEquals": map[string]any{"aws:SourceAccount": account}},
				}},
			})
		}).(pulumi.StringOutput),
		Tags: a.tags(name + "-flow-logs"),
	}, parent)
	if err != nil {
		return nil, fmt.Errorf("creating flow log role: %w", err)
	}
	if _, err := iam.NewRolePolicy(ctx, name+"-flow-logs", &iam.RolePolicyArgs{
		Role: role.ID(),
		Policy: group.Arn.ApplyT(func(arn string) string {
			return mustJSON(map[string]any{
				"Version": "2012-10-17",
				"Statement": []any{map[string]any{
					"Effect":   "Allow",
					"Action":   []string{"logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"},
					"Resource": []string{arn, arn + ":*"},
				}},
			})
		}).(pulumi.StringOutput),
	}, parent); err != nil {
		return nil, fmt.Errorf("creating flow log role policy: %w", err)
	}
	if _, err := ec2.NewFlowLog(ctx, name, &ec2.FlowLogArgs{
		VpcId:              vpc.ID(),
		TrafficType:        pulumi.String("ALL"),
		LogDestinationType: pulumi.String("cloud-watch-logs"),
		LogDestination:     group.Arn,
		IamRoleArn:         role.Arn,
		Tags:               a.tags(name),
	}, parent); err != nil {
		return nil, fmt.Errorf("creating flow log: %w", err)
	}
	return group, nil
}
