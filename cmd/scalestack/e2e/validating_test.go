package e2e

import (
	"context"
	"errors"
	"fmt"
	"net"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
)

// TestValidatingAnswersDataSourcesAndForwardsResources proves the Terraform validators' proxy
// with a simulated provider standing in for policies/tfaws: a resource's Check reaches the
// provider behind it (its refusal comes back in its words), while a data source is answered
// offline from testkit's answers for the calling instance's region, which the Terraform
// provider could only read from AWS (getAvailabilityZones in the reference stack).
func TestValidatingAnswersDataSourcesAndForwardsResources(t *testing.T) {
	behind := NewSimulated("aws")
	behind.Refuse = func(urn string, _ resource.PropertyMap) (string, string) {
		return "cidrBlock", "\"10.0.0.0/33\" is not a valid CIDR block"
	}
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	srv := grpc.NewServer()
	pulumirpc.RegisterResourceProviderServer(srv, terraformLike{behind})
	go func() { _ = srv.Serve(lis) }()
	t.Cleanup(srv.Stop)
	port := lis.Addr().(*net.TCPAddr).Port
	v, closeConn, err := NewValidating("aws", port)
	require.NoError(t, err)
	t.Cleanup(closeConn)
	proxy, stopProxy, err := v.Serve()
	require.NoError(t, err)
	t.Cleanup(stopProxy)

	conn, err := grpc.NewClient(fmt.Sprintf("127.0.0.1:%d", proxy), grpc.WithTransportCredentials(insecure.NewCredentials()))
	require.NoError(t, err)
	t.Cleanup(func() { _ = conn.Close() })
	engine := pulumirpc.NewResourceProviderClient(conn)
	ctx := context.Background()

	cfg, err := marshal(resource.PropertyMap{"region": resource.NewStringProperty("ca-central-1")})
	require.NoError(t, err)
	_, err = engine.Configure(ctx, &pulumirpc.ConfigureRequest{Args: cfg})
	require.NoError(t, err)

	check, err := engine.Check(ctx, &pulumirpc.CheckRequest{Urn: sgURN, News: cfg})
	require.NoError(t, err)
	require.Len(t, check.GetFailures(), 1, "the provider behind the proxy checks resources")
	assert.Contains(t, check.GetFailures()[0].GetReason(), "not a valid CIDR block")

	args, err := marshal(resource.PropertyMap{"state": resource.NewStringProperty("available")})
	require.NoError(t, err)
	zones, err := engine.Invoke(ctx, &pulumirpc.InvokeRequest{Tok: "aws:index/getAvailabilityZones:getAvailabilityZones", Args: args})
	require.NoError(t, err)
	got, err := props(zones.GetReturn())
	require.NoError(t, err)
	require.True(t, got["names"].IsArray(), "answered from testkit: %v", got)
	assert.Equal(t, "ca-central-1a", got["names"].ArrayValue()[0].StringValue(), "for the calling instance's region")
}

// terraformLike stands in for the Terraform provider: it checks resources, and reads data
// sources from AWS, which fails offline.
type terraformLike struct{ *Simulated }

func (terraformLike) Invoke(context.Context, *pulumirpc.InvokeRequest) (*pulumirpc.InvokeResponse, error) {
	return nil, errors.New("no valid credential sources found (this data source calls AWS)")
}
