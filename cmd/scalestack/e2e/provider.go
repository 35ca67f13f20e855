// Package e2e runs the reference stacks through the real Pulumi engine and checks that
// `scalestack preview` and `scalestack diff` tell the same story as the engine does.
//
// Cloud provider plugins cannot be obtained here, so each cloud's provider ("aws",
// "azure-native", "gcp") is a Simulated provider served in the test process and attached to the
// engine with PULUMI_DEBUG_PROVIDERS. It answers from testkit's cloud mocks (testkit.Answer,
// testkit.AnswerInvoke), so a resource gets the same IDs and computed outputs as under
// `scalestack preview`, and its Diff compares old and new inputs exactly. Everything else (the
// CLI, the engine's step generation, aliases, ignoreChanges, protect, secrets, the file://
// backend and the policy pack through the analyzer protocol) is the real thing.
//
// It is its own module (the Automation API needs modules the root go.sum does not pin) and
// sits below cmd/scalestack so that it may use the CLI's diff package (which inputs replace a
// stateful resource). scripts/engine-e2e.sh builds what it needs and runs it.
package e2e

import (
	"context"
	"fmt"
	"net"
	"sort"
	"sync"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
	"google.golang.org/grpc/peer"
	pbempty "google.golang.org/protobuf/types/known/emptypb"
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/scalestack/scalestack/cmd/scalestack/internal/diff"
	"github.com/scalestack/scalestack/testkit"
)

// PluginVersions are the provider versions the simulated providers report: the SDK versions
// the project is built against.
var PluginVersions = map[string]string{"aws": "6.83.4", "azure-native": "2.90.0", "gcp": "7.38.0"}

// Simulated is one cloud package's provider. The engine opens one connection per provider
// instance (each explicit provider of the program), and a Create or Invoke does not say which
// provider it belongs to, so each connection's configuration (its region, location or project)
// is kept by the connection's peer address.
type Simulated struct {
	pulumirpc.UnimplementedResourceProviderServer

	// Package is the Pulumi package served ("aws", "azure-native", "gcp").
	Package string
	// Refuse, when set, makes Check fail for the resources it returns a reason for, as a
	// provider's validators would (it proves that every failing resource is reported).
	Refuse func(urn string, inputs resource.PropertyMap) (property, reason string)

	mu      sync.Mutex
	configs map[string]resource.PropertyMap
	// Creates counts the real (non-preview) creates, by type token.
	creates map[string]int
}

// NewSimulated returns the simulated provider of a package.
func NewSimulated(pkg string) *Simulated {
	return &Simulated{Package: pkg, configs: map[string]resource.PropertyMap{}, creates: map[string]int{}}
}

// Serve starts a gRPC server for the provider on a loopback port and returns the port and a
// function that stops it.
func (s *Simulated) Serve() (port int, stop func(), err error) {
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, nil, err
	}
	srv := grpc.NewServer(grpc.MaxRecvMsgSize(64<<20), grpc.MaxSendMsgSize(64<<20))
	pulumirpc.RegisterResourceProviderServer(srv, s)
	go func() { _ = srv.Serve(lis) }()
	return lis.Addr().(*net.TCPAddr).Port, srv.Stop, nil
}

// Creates returns how many resources of each type were created (not previewed).
func (s *Simulated) Creates() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]int, len(s.creates))
	for k, v := range s.creates {
		out[k] = v
	}
	return out
}

var unmarshal = plugin.MarshalOptions{KeepUnknowns: true, KeepSecrets: true, KeepResources: true, KeepOutputValues: true}

func props(s *structpb.Struct) (resource.PropertyMap, error) {
	if s == nil {
		return resource.PropertyMap{}, nil
	}
	return plugin.UnmarshalProperties(s, unmarshal)
}

func marshal(m resource.PropertyMap) (*structpb.Struct, error) {
	return plugin.MarshalProperties(m, plugin.MarshalOptions{KeepUnknowns: true, KeepSecrets: true, KeepResources: true, KeepOutputValues: true})
}

func peerKey(ctx context.Context) string {
	if p, ok := peer.FromContext(ctx); ok && p.Addr != nil {
		return p.Addr.String()
	}
	return ""
}

// config is the configuration of the provider instance the call came through (nil if the
// instance was never configured).
func (s *Simulated) config(ctx context.Context) resource.PropertyMap {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.configs[peerKey(ctx)]
}

// GetPluginInfo reports the SDK's provider version.
func (s *Simulated) GetPluginInfo(context.Context, *pbempty.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: PluginVersions[s.Package]}, nil
}

// Attach accepts the engine's attach call.
func (s *Simulated) Attach(context.Context, *pulumirpc.PluginAttach) (*pbempty.Empty, error) {
	return &pbempty.Empty{}, nil
}

// Cancel accepts the engine's cancellation.
func (s *Simulated) Cancel(context.Context, *pbempty.Empty) (*pbempty.Empty, error) {
	return &pbempty.Empty{}, nil
}

// CheckConfig accepts the provider's configuration as given.
func (s *Simulated) CheckConfig(_ context.Context, req *pulumirpc.CheckRequest) (*pulumirpc.CheckResponse, error) {
	return &pulumirpc.CheckResponse{Inputs: req.GetNews()}, nil
}

// DiffConfig compares the old and new provider configuration exactly: a changed region is an
// update of the provider (pulumi-aws, azure-native and pulumi-gcp replace on none of the keys
// the reference stacks set, so no replace is reported).
func (s *Simulated) DiffConfig(_ context.Context, req *pulumirpc.DiffRequest) (*pulumirpc.DiffResponse, error) {
	return s.diff(req, false)
}

// Configure records the instance's configuration (its args: region, location, project ...).
func (s *Simulated) Configure(ctx context.Context, req *pulumirpc.ConfigureRequest) (*pulumirpc.ConfigureResponse, error) {
	cfg, err := props(req.GetArgs())
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	s.configs[peerKey(ctx)] = cfg
	s.mu.Unlock()
	return &pulumirpc.ConfigureResponse{AcceptSecrets: true, AcceptResources: true, SupportsPreview: true}, nil
}

// Check accepts the inputs as given (unless Refuse says otherwise): the simulated provider
// neither validates nor auto-names; the Terraform AWS provider's validators (policies/tfaws)
// check AWS inputs in TestAWSInputsPassTheTerraformValidators.
func (s *Simulated) Check(_ context.Context, req *pulumirpc.CheckRequest) (*pulumirpc.CheckResponse, error) {
	res := &pulumirpc.CheckResponse{Inputs: req.GetNews()}
	if s.Refuse != nil {
		news, err := props(req.GetNews())
		if err != nil {
			return nil, err
		}
		if prop, reason := s.Refuse(req.GetUrn(), news); reason != "" {
			res.Failures = append(res.Failures, &pulumirpc.CheckFailure{Property: prop, Reason: reason})
		}
	}
	return res, nil
}

// Diff compares the old inputs with the new ones exactly. A stateful resource whose changed
// input is one the CLI's diff says replaces it (diff.ReplacingInputs) is replaced, so the
// engine's replaces and deletes of stateful resources can be compared with `scalestack diff`.
func (s *Simulated) Diff(_ context.Context, req *pulumirpc.DiffRequest) (*pulumirpc.DiffResponse, error) {
	return s.diff(req, diff.IsStateful(string(resource.URN(req.GetUrn()).Type())))
}

func (s *Simulated) diff(req *pulumirpc.DiffRequest, stateful bool) (*pulumirpc.DiffResponse, error) {
	oldStruct := req.GetOldInputs()
	if oldStruct == nil {
		oldStruct = req.GetOlds()
	}
	olds, err := props(oldStruct)
	if err != nil {
		return nil, err
	}
	news, err := props(req.GetNews())
	if err != nil {
		return nil, err
	}
	ignored := map[string]bool{}
	for _, k := range req.GetIgnoreChanges() {
		ignored[k] = true
	}
	changed := ChangedKeys(olds, news, ignored)
	res := &pulumirpc.DiffResponse{Changes: pulumirpc.DiffResponse_DIFF_NONE}
	if len(changed) == 0 {
		return res, nil
	}
	res.Changes = pulumirpc.DiffResponse_DIFF_SOME
	res.Diffs = changed
	if stateful {
		for _, k := range changed {
			for _, r := range diff.ReplacingInputs {
				if k == r {
					res.Replaces = append(res.Replaces, k)
				}
			}
		}
	}
	return res, nil
}

// ChangedKeys lists the top-level keys whose values differ between olds and news, sorted;
// an unknown new value counts as a change, as it does for a real provider.
func ChangedKeys(olds, news resource.PropertyMap, ignored map[string]bool) []string {
	keys := map[resource.PropertyKey]bool{}
	for k := range olds {
		keys[k] = true
	}
	for k := range news {
		keys[k] = true
	}
	var out []string
	for k := range keys {
		if ignored[string(k)] {
			continue
		}
		o, hasOld := olds[k]
		n, hasNew := news[k]
		if hasOld != hasNew || !o.DeepEquals(n) || n.ContainsUnknowns() {
			out = append(out, string(k))
		}
	}
	sort.Strings(out)
	return out
}

// Create answers with testkit's cloud-shaped ID and state for the resource, placed by the
// configuration of the provider instance the call came through.
func (s *Simulated) Create(ctx context.Context, req *pulumirpc.CreateRequest) (*pulumirpc.CreateResponse, error) {
	inputs, err := props(req.GetProperties())
	if err != nil {
		return nil, err
	}
	id, state := testkit.Answer(req.GetUrn(), inputs, s.config(ctx))
	out, err := marshal(state)
	if err != nil {
		return nil, err
	}
	if req.GetPreview() {
		return &pulumirpc.CreateResponse{Properties: out}, nil
	}
	s.mu.Lock()
	s.creates[string(resource.URN(req.GetUrn()).Type())]++
	s.mu.Unlock()
	return &pulumirpc.CreateResponse{Id: id, Properties: out}, nil
}

// Update keeps the resource's ID and recomputes its state from the new inputs.
func (s *Simulated) Update(ctx context.Context, req *pulumirpc.UpdateRequest) (*pulumirpc.UpdateResponse, error) {
	news, err := props(req.GetNews())
	if err != nil {
		return nil, err
	}
	_, state := testkit.Answer(req.GetUrn(), news, s.config(ctx))
	out, err := marshal(state)
	if err != nil {
		return nil, err
	}
	return &pulumirpc.UpdateResponse{Properties: out}, nil
}

// Read returns the recorded state as it is: nothing drifts in a simulated cloud.
func (s *Simulated) Read(_ context.Context, req *pulumirpc.ReadRequest) (*pulumirpc.ReadResponse, error) {
	return &pulumirpc.ReadResponse{Id: req.GetId(), Properties: req.GetProperties(), Inputs: req.GetInputs()}, nil
}

// Delete forgets the resource.
func (s *Simulated) Delete(context.Context, *pulumirpc.DeleteRequest) (*pbempty.Empty, error) {
	return &pbempty.Empty{}, nil
}

// Invoke answers data sources as testkit's mocks do (an empty result for unknown tokens).
func (s *Simulated) Invoke(ctx context.Context, req *pulumirpc.InvokeRequest) (*pulumirpc.InvokeResponse, error) {
	args, err := props(req.GetArgs())
	if err != nil {
		return nil, err
	}
	result, ok := testkit.AnswerInvoke(req.GetTok(), args, s.config(ctx))
	if !ok {
		result = resource.PropertyMap{}
	}
	out, err := marshal(result)
	if err != nil {
		return nil, fmt.Errorf("invoke %s: %w", req.GetTok(), err)
	}
	return &pulumirpc.InvokeResponse{Return: out}, nil
}
