package e2e

import (
	"context"
	"fmt"
	"net"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	pbempty "google.golang.org/protobuf/types/known/emptypb"
	"google.golang.org/protobuf/types/known/structpb"
)

// Validating is the "aws" provider of the Terraform validator runs: every resource call
// (CheckConfig, Configure, Check, Diff, Create, Read, Update, Delete) goes to the Terraform AWS
// provider's validators (policies/tfaws), while data sources (Invoke) are answered by the
// simulated provider from testkit's answers. The Terraform provider reads a data source such as
// getAvailabilityZones or getManagedPrefixList from AWS, which cannot be reached offline (and
// would be refused with the fake keys), and a preview stops at the first failed invoke, before
// any resource reaches Check.
type Validating struct {
	pulumirpc.UnimplementedResourceProviderServer

	tf  pulumirpc.ResourceProviderClient
	sim *Simulated
}

// NewValidating connects to the policies/tfaws plugin listening on port; data sources are
// answered as the simulated provider of pkg answers them.
func NewValidating(pkg string, port int) (*Validating, func(), error) {
	conn, err := grpc.NewClient(fmt.Sprintf("127.0.0.1:%d", port),
		grpc.WithTransportCredentials(insecure.NewCredentials()),
		grpc.WithDefaultCallOptions(grpc.MaxCallRecvMsgSize(64<<20), grpc.MaxCallSendMsgSize(64<<20)))
	if err != nil {
		return nil, nil, err
	}
	return &Validating{tf: pulumirpc.NewResourceProviderClient(conn), sim: NewSimulated(pkg)}, func() { _ = conn.Close() }, nil
}

// Serve starts a gRPC server for the provider on a loopback port and returns the port and a
// function that stops it.
func (v *Validating) Serve() (port int, stop func(), err error) {
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, nil, err
	}
	srv := grpc.NewServer(grpc.MaxRecvMsgSize(64<<20), grpc.MaxSendMsgSize(64<<20))
	pulumirpc.RegisterResourceProviderServer(srv, v)
	go func() { _ = srv.Serve(lis) }()
	return lis.Addr().(*net.TCPAddr).Port, srv.Stop, nil
}

// Invoke answers a data source from testkit's answers, for the calling instance's region.
func (v *Validating) Invoke(ctx context.Context, req *pulumirpc.InvokeRequest) (*pulumirpc.InvokeResponse, error) {
	return v.sim.Invoke(ctx, req)
}

// Configure configures the Terraform provider, and records the instance's region for Invoke.
func (v *Validating) Configure(ctx context.Context, req *pulumirpc.ConfigureRequest) (*pulumirpc.ConfigureResponse, error) {
	if _, err := v.sim.Configure(ctx, req); err != nil {
		return nil, err
	}
	return v.tf.Configure(ctx, req)
}

// GetPluginInfo is the Terraform provider's.
func (v *Validating) GetPluginInfo(ctx context.Context, req *pbempty.Empty) (*pulumirpc.PluginInfo, error) {
	return v.tf.GetPluginInfo(ctx, req)
}

// GetSchema is the Terraform provider's.
func (v *Validating) GetSchema(ctx context.Context, req *pulumirpc.GetSchemaRequest) (*pulumirpc.GetSchemaResponse, error) {
	return v.tf.GetSchema(ctx, req)
}

// Attach accepts the engine's attach call (the Terraform plugin runs on its own).
func (v *Validating) Attach(context.Context, *pulumirpc.PluginAttach) (*pbempty.Empty, error) {
	return &pbempty.Empty{}, nil
}

// Cancel is forwarded.
func (v *Validating) Cancel(ctx context.Context, req *pbempty.Empty) (*pbempty.Empty, error) {
	return v.tf.Cancel(ctx, req)
}

// CheckConfig is the Terraform provider's.
func (v *Validating) CheckConfig(ctx context.Context, req *pulumirpc.CheckRequest) (*pulumirpc.CheckResponse, error) {
	return v.tf.CheckConfig(ctx, req)
}

// DiffConfig is the Terraform provider's.
func (v *Validating) DiffConfig(ctx context.Context, req *pulumirpc.DiffRequest) (*pulumirpc.DiffResponse, error) {
	return v.tf.DiffConfig(ctx, req)
}

// NewerValues are input values that pulumi-aws 6.83.4 accepts and the Terraform AWS provider
// behind policies/tfaws (upstream ~5.68, October 2024) does not know yet, by resource type and
// property, each with the value that provider checks in its place. Keep it short, explain each
// entry, and never skip a resource: the rest of its inputs, and its dependents, are still
// checked.
var NewerValues = map[string]map[string]map[string]string{
	// Valkey engines arrived in terraform-provider-aws 5.73 (aws_elasticache_replication_group
	// "engine": "redis" or "valkey"; pulumi-aws 6.83.4's ReplicationGroup docs: "Valid values are
	// `redis` or `valkey`"). Valkey 7.2+ is wire-compatible with Redis OSS 7.2, and its versions
	// ("8.0") have the form the provider checks for Redis 6+ (engine_version.go).
	"aws:elasticache/replicationGroup:ReplicationGroup": {"engine": {"valkey": "redis"}},
}

// Check runs the Terraform provider's validators, on NewerValues replaced by the values that
// provider knows. The engine passes the checked inputs on to Diff and Create.
func (v *Validating) Check(ctx context.Context, req *pulumirpc.CheckRequest) (*pulumirpc.CheckResponse, error) {
	if subs := NewerValues[string(resource.URN(req.GetUrn()).Type())]; subs != nil && req.GetNews() != nil {
		for prop, values := range subs {
			if f, ok := req.News.Fields[prop]; ok {
				if older, ok := values[f.GetStringValue()]; ok {
					req.News.Fields[prop] = structpb.NewStringValue(older)
				}
			}
		}
	}
	return v.tf.Check(ctx, req)
}

// Diff is the Terraform provider's (its plan, CustomizeDiff included).
func (v *Validating) Diff(ctx context.Context, req *pulumirpc.DiffRequest) (*pulumirpc.DiffResponse, error) {
	return v.tf.Diff(ctx, req)
}

// Create is the Terraform provider's planned state (policies/tfaws refuses a real create).
func (v *Validating) Create(ctx context.Context, req *pulumirpc.CreateRequest) (*pulumirpc.CreateResponse, error) {
	return v.tf.Create(ctx, req)
}

// Read is forwarded.
func (v *Validating) Read(ctx context.Context, req *pulumirpc.ReadRequest) (*pulumirpc.ReadResponse, error) {
	return v.tf.Read(ctx, req)
}

// Update is forwarded.
func (v *Validating) Update(ctx context.Context, req *pulumirpc.UpdateRequest) (*pulumirpc.UpdateResponse, error) {
	return v.tf.Update(ctx, req)
}

// Delete is forwarded.
func (v *Validating) Delete(ctx context.Context, req *pulumirpc.DeleteRequest) (*pbempty.Empty, error) {
	return v.tf.Delete(ctx, req)
}

// GetMapping is forwarded.
func (v *Validating) GetMapping(ctx context.Context, req *pulumirpc.GetMappingRequest) (*pulumirpc.GetMappingResponse, error) {
	return v.tf.GetMapping(ctx, req)
}

// GetMappings is forwarded.
func (v *Validating) GetMappings(ctx context.Context, req *pulumirpc.GetMappingsRequest) (*pulumirpc.GetMappingsResponse, error) {
	return v.tf.GetMappings(ctx, req)
}
