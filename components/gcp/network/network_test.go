package network

import (
	"testing"

	"github.com/pulumi/pulumi-gcp/sdk/v7/go/gcp"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scalestack/scalestack/testkit"
)

func TestResolveDefaults(t *testing.T) {
	r, err := (*Args)(nil).resolve("net")
	require.NoError(t, err)
	assert.Equal(t, "10.10.0.0/20", r.PrimaryCIDR)
	assert.Equal(t, "10.20.0.0/20", r.SecondaryCIDR)
	assert.Equal(t, 16, r.PrivateServicesPrefixLength)
	assert.Equal(t, "net-web", r.WebTag)
	assert.Equal(t, 8080, r.WebPort)
}

func TestResolveErrors(t *testing.T) {
	sec := &gcp.Provider{}
	cases := []struct {
		args Args
		want string
	}{
		{Args{PrimaryCIDR: "10.0.0/20"}, `PrimaryCIDR "10.0.0/20" is not an IPv4 CIDR block`},
		{Args{PrimaryCIDR: "10.0.0.0/30"}, `PrimaryCIDR "10.0.0.0/30" is not allowed: want a prefix length from /8 to /29`},
		{Args{SecondaryProvider: sec, SecondaryCIDR: "nope"}, `SecondaryCIDR "nope" is not an IPv4 CIDR block`},
		{Args{SecondaryProvider: sec, PrimaryCIDR: "10.0.0.0/16", SecondaryCIDR: "10.0.16.0/20"}, `SecondaryCIDR "10.0.16.0/20" overlaps PrimaryCIDR "10.0.0.0/16"`},
		{Args{PrivateServicesPrefixLength: 28}, "PrivateServicesPrefixLength 28 is not allowed: want 16-24"},
		{Args{WebPort: 70000}, "WebPort 70000 is not allowed: want 1-65535"},
	}
	for _, c := range cases {
		_, err := c.args.resolve("net")
		require.Error(t, err, c.want)
		assert.Contains(t, err.Error(), c.want)
	}
	// Overlap only matters when there is a secondary region.
	_, err := (&Args{PrimaryCIDR: "10.20.0.0/16"}).resolve("net")
	assert.NoError(t, err)
}

func TestInvalidArgsRegisterNothing(t *testing.T) {
	plan, err := testkit.Run(func(ctx *pulumi.Context) error {
		_, err := New(ctx, "net", &Args{WebPort: -1})
		return err
	})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `network "net": WebPort -1 is not allowed`)
	assert.Nil(t, plan)
}

func run(t *testing.T, secondary bool) *testkit.Plan {
	t.Helper()
	plan, err := testkit.Run(func(ctx *pulumi.Context) error {
		p, err := gcp.NewProvider(ctx, "gcp-us-central1", &gcp.ProviderArgs{Project: pulumi.String("my-project"), Region: pulumi.String("us-central1")})
		if err != nil {
			return err
		}
		args := &Args{}
		if secondary {
			s, err := gcp.NewProvider(ctx, "gcp-us-east1", &gcp.ProviderArgs{Project: pulumi.String("my-project"), Region: pulumi.String("us-east1")})
			if err != nil {
				return err
			}
			args.SecondaryProvider = s
		}
		_, err = New(ctx, "net", args, pulumi.Provider(p))
		return err
	})
	require.NoError(t, err)
	return plan
}

func TestTwoRegions(t *testing.T) {
	plan := run(t, true)
	comp := plan.Find(typeToken, "net")
	require.NotNil(t, comp)
	kids := plan.Children(comp.URN)
	assert.Len(t, kids, 11)
	counts := plan.CountByRegion()
	for _, region := range []string{"us-central1", "us-east1"} {
		assert.Equal(t, 1, counts[region]["gcp:compute/subnetwork:Subnetwork"], region)
		assert.Equal(t, 1, counts[region]["gcp:compute/router:Router"], region)
		assert.Equal(t, 1, counts[region]["gcp:compute/routerNat:RouterNat"], region)
	}
	for _, k := range kids {
		assert.Equal(t, comp.URN, k.Parent, k.Name)
		want := "us-central1"
		if k.Name == "net-secondary" {
			want = "us-east1"
		}
		assert.Equal(t, want, k.Region(), k.Name)
	}

	vpc := plan.Find("gcp:compute/network:Network", "net")
	assert.Equal(t, false, vpc.Input("autoCreateSubnetworks"), "custom-mode VPC")
	for _, sn := range plan.ByType("gcp:compute/subnetwork:Subnetwork") {
		assert.Equal(t, true, sn.Input("privateIpGoogleAccess"))
		assert.True(t, sn.InputFrom("network", vpc))
		assert.NotNil(t, sn.Input("logConfig"), "flow logs")
	}
	sec := plan.Find("gcp:compute/subnetwork:Subnetwork", "net-secondary")
	assert.Equal(t, "10.20.0.0/20", sec.InputString("ipCidrRange"))
	nat := plan.Find("gcp:compute/routerNat:RouterNat", "net-secondary")
	assert.True(t, nat.InputFrom("router", plan.Find("gcp:compute/router:Router", "net-secondary")))
	assert.True(t, nat.InputFrom("subnetworks", sec), "NAT covers the subnet")

	fw := plan.Find("gcp:compute/firewall:Firewall", "net-allow-lb")
	assert.Equal(t, []any{"35.191.0.0/16", "130.211.0.0/22"}, fw.Input("sourceRanges"), "only Google's LB and health-check ranges")
	assert.Equal(t, []any{"net-web"}, fw.Input("targetTags"))
	assert.Equal(t, []any{"8080"}, fw.Input("allows.0.ports"))
	assert.True(t, fw.InputFrom("network", vpc))

	rng := plan.Find("gcp:compute/globalAddress:GlobalAddress", "net-private-services")
	assert.Equal(t, "VPC_PEERING", rng.InputString("purpose"))
	conn := plan.Find("gcp:servicenetworking/connection:Connection", "net-private-services")
	assert.True(t, conn.InputFrom("reservedPeeringRanges", rng))
	assert.Equal(t, "servicenetworking.googleapis.com", conn.InputString("service"))
}

func TestSingleRegion(t *testing.T) {
	plan := run(t, false)
	assert.Len(t, plan.ByType("gcp:compute/subnetwork:Subnetwork"), 1)
	assert.Len(t, plan.ByType("gcp:compute/routerNat:RouterNat"), 1)
	assert.Empty(t, testkit.MissingURNs(plan, run(t, true)), "adding the secondary region keeps every URN")
}

// TestBackendsAdmitOnlyGoogleFrontEndRanges: a global external Application Load Balancer's
// proxies (Google Front Ends) and its health checkers connect from 130.211.0.0/22 and
// 35.191.0.0/16 (https://cloud.google.com/load-balancing/docs/health-check-concepts#ip-ranges,
// https://cloud.google.com/load-balancing/docs/https#firewall-rules). The only ingress rule
// admits those ranges, to the web tag, on the serving port; nothing admits 0.0.0.0/0.
func TestBackendsAdmitOnlyGoogleFrontEndRanges(t *testing.T) {
	plan := run(t, true)
	var ingress []*testkit.Resource
	for _, fw := range plan.ByType("gcp:compute/firewall:Firewall") {
		for _, key := range []string{"sourceRanges", "destinationRanges"} {
			if v, ok := fw.Input(key).([]any); ok {
				assert.NotContains(t, v, "0.0.0.0/0", "%s %s", fw.Name, key)
			}
		}
		assert.Nil(t, fw.Input("denies"), fw.Name)
		if fw.InputString("direction") != "EGRESS" {
			ingress = append(ingress, fw)
		}
	}
	require.Len(t, ingress, 1)
	fw := ingress[0]
	assert.ElementsMatch(t, []any{"130.211.0.0/22", "35.191.0.0/16"}, fw.Input("sourceRanges"))
	assert.Equal(t, []any{"net-web"}, fw.Input("targetTags"), "only the web instances")
	assert.Equal(t, []any{map[string]any{"protocol": "tcp", "ports": []any{"8080"}}}, fw.Input("allows"), "only the serving port")
}

// TestWebEgressReachesCloudSQLPrivateRange: Cloud SQL private IPs are allocated from the
// private services access range (https://cloud.google.com/sql/docs/postgres/private-ip), and
// clients reach them on 5432, or on 3307 through the Cloud SQL connectors and Auth Proxy
// (https://cloud.google.com/sql/docs/postgres/sql-proxy#how-works). An egress rule from the
// web tag to that range on both ports states the flow.
func TestWebEgressReachesCloudSQLPrivateRange(t *testing.T) {
	plan := run(t, false)
	rng := plan.Find("gcp:compute/globalAddress:GlobalAddress", "net-private-services")
	fw := plan.Find("gcp:compute/firewall:Firewall", "net-allow-db")
	require.NotNil(t, fw)
	assert.Equal(t, "EGRESS", fw.InputString("direction"))
	assert.Equal(t, []any{rng.OutputString("address") + "/16"}, fw.Input("destinationRanges"))
	assert.True(t, fw.InputFrom("destinationRanges", rng))
	assert.Equal(t, []any{"net-web"}, fw.Input("targetTags"))
	assert.Equal(t, []any{"5432", "3307"}, fw.Input("allows.0.ports"))
}

// TestPrivateServicesConnectionIsAbandonedOnDelete: deleting the private services connection
// fails while Cloud SQL still holds the peering (after its instances are deleted too), which
// breaks `pulumi destroy` and a network replacement; the provider's deletion_policy ABANDON
// removes it from state instead (terraform-provider-google
// google_service_networking_connection, argument deletion_policy).
func TestPrivateServicesConnectionIsAbandonedOnDelete(t *testing.T) {
	plan := run(t, false)
	conn := plan.Find("gcp:servicenetworking/connection:Connection", "net-private-services")
	assert.Equal(t, "ABANDON", conn.InputString("deletionPolicy"))
}
