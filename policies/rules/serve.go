package rules

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/policyx"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
	pbempty "google.golang.org/protobuf/types/known/emptypb"
	"google.golang.org/protobuf/types/known/structpb"
)

// Serve runs a policy pack as the engine's analyzer plugin: it listens on a free port, prints
// the port on stdout as the plugin protocol requires, and serves until the engine stops it.
//
// It speaks the same protocol as policyx.Main, with the v3.274.1 gaps closed: GetAnalyzerInfo
// and GetPluginInfo answer before ConfigureStack (policyx dereferences a nil pack there,
// which breaks `pulumi policy publish` and listing), from a pack the factory builds with
// empty configuration.
func Serve(factory func(*pulumi.Context) (policyx.PolicyPack, error)) error {
	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Init: func(srv *grpc.Server) error {
			pulumirpc.RegisterAnalyzerServer(srv, NewAnalyzer(factory))
			return nil
		},
	})
	if err != nil {
		return fmt.Errorf("fatal: %w", err)
	}
	fmt.Printf("%d\n", handle.Port)
	if err := <-handle.Done; err != nil {
		return fmt.Errorf("fatal: %w", err)
	}
	return nil
}

// Analyzer is the gRPC analyzer server Serve runs; tests drive it in-process.
type Analyzer struct {
	pulumirpc.UnimplementedAnalyzerServer

	factory func(*pulumi.Context) (policyx.PolicyPack, error)

	mu        sync.Mutex
	pack      policyx.PolicyPack // the stack's pack, after ConfigureStack
	info      policyx.PolicyPack // the pack built without configuration, for info calls
	config    map[string]policyx.PolicyConfig
	tags      map[string]string
	handshake *pulumirpc.AnalyzerHandshakeRequest
}

// NewAnalyzer returns an analyzer server for the pack factory.
func NewAnalyzer(factory func(*pulumi.Context) (policyx.PolicyPack, error)) *Analyzer {
	return &Analyzer{factory: factory}
}

// current is the configured pack, or the unconfigured one for info calls.
func (a *Analyzer) current() (policyx.PolicyPack, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.pack != nil {
		return a.pack, nil
	}
	if a.info == nil {
		ctx, err := pulumi.NewContext(context.Background(), pulumi.RunInfo{Parallel: 1})
		if err != nil {
			return nil, fmt.Errorf("creating context: %w", err)
		}
		p, err := a.factory(ctx)
		if err != nil {
			return nil, fmt.Errorf("building the policy pack: %w", err)
		}
		a.info = p
	}
	return a.info, nil
}

// configured is the pack for Analyze calls; analysis needs ConfigureStack first.
func (a *Analyzer) configured() (policyx.PolicyPack, map[string]policyx.PolicyConfig, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.pack == nil {
		return nil, nil, errors.New("the analyzer has not been configured for a stack (ConfigureStack)")
	}
	return a.pack, a.config, nil
}

// Handshake records the engine's addresses and directories.
func (a *Analyzer) Handshake(_ context.Context, req *pulumirpc.AnalyzerHandshakeRequest) (*pulumirpc.AnalyzerHandshakeResponse, error) {
	a.mu.Lock()
	a.handshake = req
	a.mu.Unlock()
	return &pulumirpc.AnalyzerHandshakeResponse{}, nil
}

// GetPluginInfo returns the pack's version; it works before ConfigureStack.
func (a *Analyzer) GetPluginInfo(context.Context, *pbempty.Empty) (*pulumirpc.PluginInfo, error) {
	p, err := a.current()
	if err != nil {
		return nil, err
	}
	return &pulumirpc.PluginInfo{Version: p.Version().String()}, nil
}

// GetAnalyzerInfo lists the pack's policies with their levels and config schemas; it works
// before ConfigureStack.
func (a *Analyzer) GetAnalyzerInfo(context.Context, *pbempty.Empty) (*pulumirpc.AnalyzerInfo, error) {
	p, err := a.current()
	if err != nil {
		return nil, err
	}
	infos := make([]*pulumirpc.PolicyInfo, 0, len(p.Policies()))
	for _, pol := range p.Policies() {
		info := &pulumirpc.PolicyInfo{
			Name:             pol.Name(),
			DisplayName:      pol.Name(),
			Description:      pol.Description(),
			EnforcementLevel: pulumirpc.EnforcementLevel(pol.EnforcementLevel()),
		}
		if s := pol.ConfigSchema(); s != nil {
			m := make(map[string]any, len(s.Properties))
			for k, v := range s.Properties {
				m[k] = v
			}
			props, err := structpb.NewStruct(m)
			if err != nil {
				return nil, fmt.Errorf("policy %q: config schema: %w", pol.Name(), err)
			}
			info.ConfigSchema = &pulumirpc.PolicyConfigSchema{Properties: props, Required: s.Required}
		}
		infos = append(infos, info)
	}
	return &pulumirpc.AnalyzerInfo{
		Name: p.Name(), DisplayName: p.Name(), Version: p.Version().String(),
		Policies: infos, SupportsConfig: true,
	}, nil
}

// ConfigureStack builds the stack's pack from its configuration (environment, waivers,
// settings).
func (a *Analyzer) ConfigureStack(_ context.Context, req *pulumirpc.AnalyzerStackConfigureRequest) (*pulumirpc.AnalyzerStackConfigureResponse, error) {
	a.mu.Lock()
	hs := a.handshake
	a.mu.Unlock()
	info := pulumi.RunInfo{
		Project: req.GetProject(), Stack: req.GetStack(), Organization: req.GetOrganization(),
		Config: req.GetConfig(), ConfigSecretKeys: req.GetConfigSecretKeys(), DryRun: req.GetDryRun(), Parallel: 1,
	}
	if hs != nil {
		info.RootDirectory = hs.GetRootDirectory()
	}
	ctx, err := pulumi.NewContext(context.Background(), info)
	if err != nil {
		return nil, fmt.Errorf("creating context: %w", err)
	}
	p, err := a.factory(ctx)
	if err != nil {
		return nil, fmt.Errorf("failed to create policy pack: %w", err)
	}
	a.mu.Lock()
	a.pack, a.tags = p, req.GetTags()
	a.mu.Unlock()
	return &pulumirpc.AnalyzerStackConfigureResponse{}, nil
}

// Configure applies per-policy configuration (levels and properties) from the engine.
func (a *Analyzer) Configure(_ context.Context, req *pulumirpc.ConfigureAnalyzerRequest) (*pbempty.Empty, error) {
	conf := map[string]policyx.PolicyConfig{}
	for k, v := range req.GetPolicyConfig() {
		var props map[string]any
		if v.GetProperties() != nil {
			data, err := v.GetProperties().MarshalJSON()
			if err != nil {
				return nil, fmt.Errorf("policy %q: %w", k, err)
			}
			if err := json.Unmarshal(data, &props); err != nil {
				return nil, fmt.Errorf("policy %q: %w", k, err)
			}
		}
		conf[k] = policyx.PolicyConfig{EnforcementLevel: policyx.EnforcementLevel(v.GetEnforcementLevel()), Properties: props}
	}
	a.mu.Lock()
	a.config = conf
	a.mu.Unlock()
	return &pbempty.Empty{}, nil
}

var analyzerMarshal = plugin.MarshalOptions{KeepUnknowns: true, KeepSecrets: true, KeepResources: true, KeepOutputValues: true}

func analyzerProvider(p *pulumirpc.AnalyzerProviderResource) (policyx.AnalyzerProviderResource, error) {
	if p == nil {
		return policyx.AnalyzerProviderResource{}, nil
	}
	props, err := plugin.UnmarshalProperties(p.GetProperties(), analyzerMarshal)
	if err != nil {
		return policyx.AnalyzerProviderResource{}, err
	}
	return policyx.AnalyzerProviderResource{Type: p.GetType(), Properties: resource.FromResourcePropertyMap(props), URN: p.GetUrn(), Name: p.GetName()}, nil
}

// level is a policy's level for this stack: the engine's per-policy config, else its own.
func level(p policyx.Policy, conf map[string]policyx.PolicyConfig) (policyx.EnforcementLevel, map[string]any) {
	if c, ok := conf[p.Name()]; ok {
		return c.EnforcementLevel, c.Properties
	}
	return p.EnforcementLevel(), nil
}

type recorder struct {
	pack   policyx.PolicyPack
	policy policyx.Policy
	level  policyx.EnforcementLevel
	urn    string
	ds     *[]*pulumirpc.AnalyzeDiagnostic
}

func (r recorder) ReportViolation(message, urn string) {
	if urn == "" {
		urn = r.urn
	}
	msg := r.policy.Description()
	if message != "" {
		msg += "\n" + message
	}
	*r.ds = append(*r.ds, &pulumirpc.AnalyzeDiagnostic{
		PolicyName: r.policy.Name(), PolicyPackName: r.pack.Name(), PolicyPackVersion: r.pack.Version().String(),
		Description: r.policy.Description(), Message: msg, EnforcementLevel: pulumirpc.EnforcementLevel(r.level), Urn: urn,
	})
}

// Analyze runs the resource policies on one resource (its inputs).
func (a *Analyzer) Analyze(ctx context.Context, req *pulumirpc.AnalyzeRequest) (*pulumirpc.AnalyzeResponse, error) {
	pack, conf, err := a.configured()
	if err != nil {
		return nil, err
	}
	props, err := plugin.UnmarshalProperties(req.GetProperties(), analyzerMarshal)
	if err != nil {
		return nil, fmt.Errorf("resource %q: %w", req.GetUrn(), err)
	}
	prov, err := analyzerProvider(req.GetProvider())
	if err != nil {
		return nil, fmt.Errorf("resource %q provider: %w", req.GetUrn(), err)
	}
	res := policyx.AnalyzerResource{
		Type: req.GetType(), Properties: resource.FromResourcePropertyMap(props), URN: req.GetUrn(), Name: req.GetName(),
		Provider: prov, Parent: req.GetOptions().GetParent(),
		Options: pulumi.ResourceOptions{IgnoreChanges: req.GetOptions().GetIgnoreChanges()},
	}
	var ds []*pulumirpc.AnalyzeDiagnostic
	for _, p := range pack.Policies() {
		rp, ok := p.(policyx.ResourceValidationPolicy)
		if !ok {
			continue
		}
		lvl, props := level(p, conf)
		if lvl == policyx.EnforcementLevelDisabled {
			continue
		}
		m := recorder{pack: pack, policy: p, level: lvl, urn: req.GetUrn(), ds: &ds}
		if err := rp.Validate(ctx, policyx.ResourceValidationArgs{Manager: m, Resource: res, Config: props, StackTags: a.tags}); err != nil {
			return nil, fmt.Errorf("policy %q on %q: %w", p.Name(), req.GetUrn(), err)
		}
	}
	return &pulumirpc.AnalyzeResponse{Diagnostics: ds}, nil
}

// AnalyzeStack runs the stack policies on every resource (their outputs and dependencies).
func (a *Analyzer) AnalyzeStack(ctx context.Context, req *pulumirpc.AnalyzeStackRequest) (*pulumirpc.AnalyzeResponse, error) {
	pack, conf, err := a.configured()
	if err != nil {
		return nil, err
	}
	resources := make([]policyx.AnalyzerResource, 0, len(req.GetResources()))
	for _, r := range req.GetResources() {
		props, err := plugin.UnmarshalProperties(r.GetProperties(), analyzerMarshal)
		if err != nil {
			return nil, fmt.Errorf("resource %q: %w", r.GetUrn(), err)
		}
		prov, err := analyzerProvider(r.GetProvider())
		if err != nil {
			return nil, fmt.Errorf("resource %q provider: %w", r.GetUrn(), err)
		}
		deps := map[string][]string{}
		for k, d := range r.GetPropertyDependencies() {
			if len(d.GetUrns()) > 0 {
				deps[k] = d.GetUrns()
			}
		}
		resources = append(resources, policyx.AnalyzerResource{
			Type: r.GetType(), Properties: resource.FromResourcePropertyMap(props), URN: r.GetUrn(), Name: r.GetName(),
			Provider: prov, Parent: r.GetParent(), Dependencies: r.GetDependencies(), PropertyDependencies: deps,
			Options: pulumi.ResourceOptions{IgnoreChanges: r.GetOptions().GetIgnoreChanges()},
		})
	}
	var ds []*pulumirpc.AnalyzeDiagnostic
	for _, p := range pack.Policies() {
		sp, ok := p.(policyx.StackValidationPolicy)
		if !ok {
			continue
		}
		lvl, _ := level(p, conf)
		if lvl == policyx.EnforcementLevelDisabled {
			continue
		}
		m := recorder{pack: pack, policy: p, level: lvl, ds: &ds}
		if err := sp.Validate(ctx, policyx.StackValidationArgs{Manager: m, Resources: resources}); err != nil {
			return nil, fmt.Errorf("policy %q: %w", p.Name(), err)
		}
	}
	return &pulumirpc.AnalyzeResponse{Diagnostics: ds}, nil
}

// Remediate returns no remediations: scalestack rules report, they do not rewrite.
func (a *Analyzer) Remediate(context.Context, *pulumirpc.AnalyzeRequest) (*pulumirpc.RemediateResponse, error) {
	return &pulumirpc.RemediateResponse{}, nil
}

// Cancel is a no-op: analysis holds no long-running work.
func (a *Analyzer) Cancel(context.Context, *pbempty.Empty) (*pbempty.Empty, error) {
	return &pbempty.Empty{}, nil
}
