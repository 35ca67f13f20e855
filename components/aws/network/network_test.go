package network

import (
	"encoding/json"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scalestack/scalestack/testkit"
)

var threeZones = []string{"us-east-1a", "us-east-1b", "us-east-1c"}

func TestDefaults(t *testing.T) {
	got := Args{AvailabilityZones: threeZones}.withDefaults()
	assert.Equal(t, "10.0.0.0/16", got.CIDRBlock)
	assert.Equal(t, NATSingle, got.NATGateways)
	assert.Equal(t, 90, got.FlowLogRetentionDays)
	assert.False(t, got.S3Endpoint)

	kept := Args{CIDRBlock: "10.8.0.0/20", NATGateways: NATPerAZ, FlowLogRetentionDays: 14}.withDefaults()
	assert.Equal(t, "10.8.0.0/20", kept.CIDRBlock)
	assert.Equal(t, NATPerAZ, kept.NATGateways)
	assert.Equal(t, 14, kept.FlowLogRetentionDays)
}

func TestValidation(t *testing.T) {
	cases := []struct {
		name string
		args *Args
		want []string
	}{
		{"nil args", nil, []string{"args are required", "AvailabilityZones"}},
		{"one zone", &Args{AvailabilityZones: []string{"us-east-1a"}}, []string{"AvailabilityZones", "us-east-1a", "want 2 or 3"}},
		{"four zones", &Args{AvailabilityZones: []string{"us-east-1a", "us-east-1b", "us-east-1c", "us-east-1d"}}, []string{"AvailabilityZones", "us-east-1d", "want 2 or 3"}},
		{"region not zone", &Args{AvailabilityZones: []string{"us-east-1", "us-east-1b"}}, []string{"AvailabilityZones", `"us-east-1"`, "not an availability zone name"}},
		{"zones of two regions", &Args{AvailabilityZones: []string{"us-east-1a", "us-west-2b"}}, []string{"AvailabilityZones", "us-west-2b", "not in region us-east-1"}},
		{"duplicate zone", &Args{AvailabilityZones: []string{"us-east-1a", "us-east-1a"}}, []string{"AvailabilityZones", "us-east-1a", "listed twice"}},
		{"not a CIDR", &Args{AvailabilityZones: threeZones, CIDRBlock: "10.0.0.0"}, []string{"CIDRBlock", `"10.0.0.0"`, "IPv4 CIDR"}},
		{"IPv6", &Args{AvailabilityZones: threeZones, CIDRBlock: "fd00::/48"}, []string{"CIDRBlock", "fd00::/48", "IPv4 CIDR"}},
		{"too big", &Args{AvailabilityZones: threeZones, CIDRBlock: "10.0.0.0/8"}, []string{"CIDRBlock", "10.0.0.0/8", "/16 to /20"}},
		{"too small", &Args{AvailabilityZones: threeZones, CIDRBlock: "10.0.0.0/24"}, []string{"CIDRBlock", "10.0.0.0/24", "/16 to /20"}},
		{"host bits", &Args{AvailabilityZones: threeZones, CIDRBlock: "10.0.1.0/16"}, []string{"CIDRBlock", "10.0.1.0/16", "network address 10.0.0.0/16"}},
		{"NAT layout", &Args{AvailabilityZones: threeZones, NATGateways: "none"}, []string{"NATGateways", `"none"`, `"single" or "per-az"`}},
		{"retention", &Args{AvailabilityZones: threeZones, FlowLogRetentionDays: 10}, []string{"FlowLogRetentionDays 10", "want one of", "90"}},
		{"negative retention", &Args{AvailabilityZones: threeZones, FlowLogRetentionDays: -1}, []string{"FlowLogRetentionDays -1"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := c.args.resolve()
			require.Error(t, err)
			for _, w := range c.want {
				assert.Contains(t, err.Error(), w)
			}
		})
	}
	_, err := (&Args{AvailabilityZones: []string{"us-gov-west-1a", "us-gov-west-1b"}}).resolve()
	assert.NoError(t, err, "GovCloud zones are zones")
}

func TestSubnetLayout(t *testing.T) {
	r, err := (&Args{AvailabilityZones: threeZones}).resolve()
	require.NoError(t, err)
	assert.Equal(t, "us-east-1", r.region)
	assert.Equal(t, [3]string{"10.0.0.0/20", "10.0.64.0/20", "10.0.128.0/20"}, r.subnets["us-east-1a"])
	assert.Equal(t, [3]string{"10.0.16.0/20", "10.0.80.0/20", "10.0.144.0/20"}, r.subnets["us-east-1b"])
	assert.Equal(t, [3]string{"10.0.32.0/20", "10.0.96.0/20", "10.0.160.0/20"}, r.subnets["us-east-1c"])

	small, err := (&Args{AvailabilityZones: threeZones[:2], CIDRBlock: "172.16.16.0/20"}).resolve()
	require.NoError(t, err)
	assert.Equal(t, [3]string{"172.16.16.0/24", "172.16.20.0/24", "172.16.24.0/24"}, small.subnets["us-east-1a"])
	assert.Equal(t, [3]string{"172.16.17.0/24", "172.16.21.0/24", "172.16.25.0/24"}, small.subnets["us-east-1b"])
}

// run places a network in us-east-1 through an explicit provider and returns its plan.
func run(t *testing.T, args *Args) *testkit.Plan {
	t.Helper()
	plan, err := testkit.RunExports(func(ctx *pulumi.Context) (pulumi.Map, error) {
		p, err := aws.NewProvider(ctx, "aws-us-east-1", &aws.ProviderArgs{Region: pulumi.String("us-east-1")})
		if err != nil {
			return nil, err
		}
		n, err := New(ctx, "app", args, pulumi.Provider(p))
		if err != nil {
			return nil, err
		}
		return pulumi.Map{
			"vpcId": n.VpcID, "vpcCidr": n.VpcCIDR, "public": n.PublicSubnetIDs,
			"private": n.PrivateSubnetIDs, "data": n.DataSubnetIDs, "flowLogGroup": n.FlowLogGroupName,
		}, nil
	})
	require.NoError(t, err)
	return plan
}

func TestCountsSingleAndPerAZ(t *testing.T) {
	single := run(t, &Args{AvailabilityZones: threeZones}).CountByType()
	assert.Equal(t, map[string]int{
		"pulumi:providers:aws": 1,
		TypeToken:              1,
		"aws:ec2/vpc:Vpc":      1,
		"aws:ec2/defaultSecurityGroup:DefaultSecurityGroup":   1,
		"aws:ec2/internetGateway:InternetGateway":             1,
		"aws:ec2/subnet:Subnet":                               9,
		"aws:ec2/routeTable:RouteTable":                       5, // public, data, one private per zone
		"aws:ec2/route:Route":                                 4, // public → IGW, each private → NAT
		"aws:ec2/routeTableAssociation:RouteTableAssociation": 9,
		"aws:ec2/eip:Eip":                                     1,
		"aws:ec2/natGateway:NatGateway":                       1,
		"aws:kms/key:Key":                                     1,
		"aws:cloudwatch/logGroup:LogGroup":                    1,
		"aws:iam/role:Role":                                   1,
		"aws:iam/rolePolicy:RolePolicy":                       1,
		"aws:ec2/flowLog:FlowLog":                             1,
	}, single)

	perAZ := run(t, &Args{AvailabilityZones: threeZones, NATGateways: NATPerAZ, S3Endpoint: true}).CountByType()
	assert.Equal(t, 3, perAZ["aws:ec2/natGateway:NatGateway"])
	assert.Equal(t, 3, perAZ["aws:ec2/eip:Eip"])
	assert.Equal(t, 1, perAZ["aws:ec2/vpcEndpoint:VpcEndpoint"])

	two := run(t, &Args{AvailabilityZones: threeZones[:2]}).CountByType()
	assert.Equal(t, 6, two["aws:ec2/subnet:Subnet"])
	assert.Equal(t, 4, two["aws:ec2/routeTable:RouteTable"])
}

func TestEveryChildIsParentedAndPlacedByTheProvider(t *testing.T) {
	plan := run(t, &Args{AvailabilityZones: threeZones, NATGateways: NATPerAZ, S3Endpoint: true})
	comp := plan.Find(TypeToken, "app")
	require.NotNil(t, comp)
	provider := plan.Find("pulumi:providers:aws", "aws-us-east-1")
	require.NotNil(t, provider)
	children := plan.Children(comp.URN)
	assert.Len(t, children, len(plan.Resources)-2, "everything but the provider and the component is a direct child")
	for _, c := range children {
		assert.Equal(t, "us-east-1", c.Region(), c.URN)
		assert.Equal(t, provider.URN, c.Provider, "%s inherits the component's provider", c.URN)
	}
}

func TestSubnetsRoutesAndGateways(t *testing.T) {
	plan := run(t, &Args{AvailabilityZones: threeZones, NATGateways: NATPerAZ})
	vpc := plan.Find("aws:ec2/vpc:Vpc", "app")
	require.NotNil(t, vpc)
	assert.Equal(t, "10.0.0.0/16", vpc.InputString("cidrBlock"))
	assert.Equal(t, true, vpc.Input("enableDnsHostnames"))

	igw := plan.Find("aws:ec2/internetGateway:InternetGateway", "app")
	publicRT := plan.Find("aws:ec2/routeTable:RouteTable", "app-public")
	dataRT := plan.Find("aws:ec2/routeTable:RouteTable", "app-data")
	require.NotNil(t, igw)
	require.NotNil(t, publicRT)
	require.NotNil(t, dataRT)
	assert.Empty(t, dataRT.Input("routes"), "the data route table has no inline routes")

	routes := plan.ByType("aws:ec2/route:Route")
	for _, r := range routes {
		assert.False(t, r.InputFrom("routeTableId", dataRT), "no route is added to the data route table: %s", r.Name)
	}
	pubRoute := plan.Find("aws:ec2/route:Route", "app-public-internet")
	require.NotNil(t, pubRoute)
	assert.True(t, pubRoute.InputFrom("gatewayId", igw))
	assert.True(t, pubRoute.InputFrom("routeTableId", publicRT))
	assert.Equal(t, "0.0.0.0/0", pubRoute.InputString("destinationCidrBlock"))

	for _, zone := range threeZones {
		for _, tier := range []string{"public", "private", "data"} {
			sn := plan.Find("aws:ec2/subnet:Subnet", "app-"+tier+"-"+zone)
			require.NotNil(t, sn, tier+" "+zone)
			assert.Equal(t, zone, sn.InputString("availabilityZone"))
			assert.Equal(t, false, sn.Input("mapPublicIpOnLaunch"), "no subnet hands out public IPs")
			assert.True(t, sn.InputFrom("vpcId", vpc))
			assert.Equal(t, tier, sn.InputString("tags.scalestack:tier"))
		}
		pub := plan.Find("aws:ec2/subnet:Subnet", "app-public-"+zone)
		priv := plan.Find("aws:ec2/subnet:Subnet", "app-private-"+zone)
		dat := plan.Find("aws:ec2/subnet:Subnet", "app-data-"+zone)
		nat := plan.Find("aws:ec2/natGateway:NatGateway", "app-"+zone)
		eip := plan.Find("aws:ec2/eip:Eip", "app-nat-"+zone)
		require.NotNil(t, nat)
		require.NotNil(t, eip)
		assert.True(t, nat.InputFrom("subnetId", pub), "the NAT gateway sits in its zone's public subnet")
		assert.True(t, nat.InputFrom("allocationId", eip))
		assert.True(t, nat.DependsOn(igw))

		rt := plan.Find("aws:ec2/routeTable:RouteTable", "app-private-"+zone)
		route := plan.Find("aws:ec2/route:Route", "app-private-"+zone+"-nat")
		require.NotNil(t, route)
		assert.True(t, route.InputFrom("routeTableId", rt))
		assert.True(t, route.InputFrom("natGatewayId", nat), "per-az: each zone routes through its own NAT")
		assert.Empty(t, route.InputString("gatewayId"), "private subnets have no internet gateway route")

		assoc := func(name string) *testkit.Resource {
			return plan.Find("aws:ec2/routeTableAssociation:RouteTableAssociation", name)
		}
		assert.True(t, assoc("app-public-"+zone).InputFrom("subnetId", pub))
		assert.True(t, assoc("app-public-"+zone).InputFrom("routeTableId", publicRT))
		assert.True(t, assoc("app-private-"+zone).InputFrom("subnetId", priv))
		assert.True(t, assoc("app-private-"+zone).InputFrom("routeTableId", rt))
		assert.True(t, assoc("app-data-"+zone).InputFrom("subnetId", dat))
		assert.True(t, assoc("app-data-"+zone).InputFrom("routeTableId", dataRT))
	}
}

func TestSingleNATIsSharedByEveryZone(t *testing.T) {
	plan := run(t, &Args{AvailabilityZones: threeZones})
	nats := plan.ByType("aws:ec2/natGateway:NatGateway")
	require.Len(t, nats, 1)
	assert.Equal(t, "app-us-east-1a", nats[0].Name)
	for _, zone := range threeZones {
		route := plan.Find("aws:ec2/route:Route", "app-private-"+zone+"-nat")
		require.NotNil(t, route)
		assert.True(t, route.InputFrom("natGatewayId", nats[0]), zone)
	}
}

func TestDefaultSecurityGroupHasNoRules(t *testing.T) {
	plan := run(t, &Args{AvailabilityZones: threeZones})
	sg := plan.Find("aws:ec2/defaultSecurityGroup:DefaultSecurityGroup", "app-default")
	require.NotNil(t, sg)
	assert.True(t, sg.InputFrom("vpcId", plan.Find("aws:ec2/vpc:Vpc", "app")))
	assert.Empty(t, sg.Input("ingress"))
	assert.Empty(t, sg.Input("egress"))
}

func TestFlowLogsAreEncryptedAndDelivered(t *testing.T) {
	plan := run(t, &Args{AvailabilityZones: threeZones, FlowLogRetentionDays: 365})
	vpc := plan.Find("aws:ec2/vpc:Vpc", "app")
	key := plan.Find("aws:kms/key:Key", "app-flow-logs")
	group := plan.Find("aws:cloudwatch/logGroup:LogGroup", "app-flow-logs")
	role := plan.Find("aws:iam/role:Role", "app-flow-logs")
	policy := plan.Find("aws:iam/rolePolicy:RolePolicy", "app-flow-logs")
	fl := plan.Find("aws:ec2/flowLog:FlowLog", "app")
	for _, r := range []*testkit.Resource{key, group, role, policy, fl} {
		require.NotNil(t, r)
	}
	assert.Equal(t, true, key.Input("enableKeyRotation"))
	assert.True(t, group.InputFrom("kmsKeyId", key), "the log group is encrypted with the component's key")
	assert.Equal(t, key.Output("arn"), group.Input("kmsKeyId"))
	assert.EqualValues(t, 365, group.Input("retentionInDays"))
	assert.True(t, fl.InputFrom("vpcId", vpc))
	assert.True(t, fl.InputFrom("logDestination", group))
	assert.True(t, fl.InputFrom("iamRoleArn", role))
	assert.Equal(t, "ALL", fl.InputString("trafficType"))
	assert.Equal(t, "cloud-watch-logs", fl.InputString("logDestinationType"))
	assert.True(t, policy.InputFrom("policy", group), "the role may write only to this log group")

	var keyPolicy struct {
		Statement []struct {
			Principal map[string]string
			Condition map[string]map[string]string
		}
	}
	require.NoError(t, json.Unmarshal([]byte(key.InputString("policy")), &keyPolicy))
	require.Len(t, keyPolicy.Statement, 2)
	assert.Equal(t, "arn:aws:iam::123456789012:root", keyPolicy.Statement[0].Principal["AWS"])
	assert.Equal(t, "logs.us-east-1.amazonaws.com", keyPolicy.Statement[1].Principal["Service"])
	assert.Equal(t, "arn:aws:logs:us-east-1:123456789012:log-group:*",
		keyPolicy.Statement[1].Condition["ArnLike"]["kms:EncryptionContext:aws:logs:arn"])

	var trust struct {
		Statement []struct {
			Principal map[string]string
			Condition map[string]map[string]string
		}
	}
	require.NoError(t, json.Unmarshal([]byte(role.InputString("assumeRolePolicy")), &trust))
	assert.Equal(t, "vpc-flow-logs.amazonaws.com", trust.Statement[0].Principal["Service"])
	assert.Equal(t, "123456789012", trust.Statement[0].Condition["StringEquals"]["aws:SourceAccount"])
}

func TestS3EndpointServesPrivateRouteTables(t *testing.T) {
	plan := run(t, &Args{AvailabilityZones: threeZones, S3Endpoint: true})
	ep := plan.Find("aws:ec2/vpcEndpoint:VpcEndpoint", "app-s3")
	require.NotNil(t, ep)
	assert.Equal(t, "com.amazonaws.us-east-1.s3", ep.InputString("serviceName"))
	assert.Equal(t, "Gateway", ep.InputString("vpcEndpointType"))
	for _, zone := range threeZones {
		assert.True(t, ep.InputFrom("routeTableIds", plan.Find("aws:ec2/routeTable:RouteTable", "app-private-"+zone)), zone)
	}
	assert.False(t, ep.InputFrom("routeTableIds", plan.Find("aws:ec2/routeTable:RouteTable", "app-data")))
}

func TestOutputs(t *testing.T) {
	plan := run(t, &Args{AvailabilityZones: threeZones, CIDRBlock: "10.20.0.0/16"})
	ids := func(tier string) []any {
		var out []any
		for _, z := range threeZones {
			out = append(out, plan.Find("aws:ec2/subnet:Subnet", "app-"+tier+"-"+z).ID)
		}
		return out
	}
	assert.Equal(t, plan.Find("aws:ec2/vpc:Vpc", "app").ID, plan.Outputs["vpcId"])
	assert.Equal(t, "10.20.0.0/16", plan.Outputs["vpcCidr"])
	assert.Equal(t, ids("public"), plan.Outputs["public"])
	assert.Equal(t, ids("private"), plan.Outputs["private"])
	assert.Equal(t, ids("data"), plan.Outputs["data"])
	assert.Equal(t, "app-flow-logs", plan.Outputs["flowLogGroup"])
}

func TestURNsSurviveNATAndEndpointChanges(t *testing.T) {
	before := run(t, &Args{AvailabilityZones: threeZones[:2]})
	after := run(t, &Args{AvailabilityZones: threeZones, NATGateways: NATPerAZ, S3Endpoint: true})
	assert.Empty(t, testkit.MissingURNs(before, after), "a third zone, per-zone NAT and the S3 endpoint add resources and rename none")
}

func TestInvalidArgsRegisterNothing(t *testing.T) {
	var created int
	_, err := testkit.Run(func(ctx *pulumi.Context) error {
		_, err := New(ctx, "app", &Args{AvailabilityZones: threeZones, CIDRBlock: "10.0.0.0/8"})
		return err
	}, testkit.OnNewResource(func(*testkit.Resource) error { created++; return nil }))
	require.Error(t, err)
	assert.Contains(t, err.Error(), `network "app": CIDRBlock "10.0.0.0/8"`)
	assert.Zero(t, created)
}
