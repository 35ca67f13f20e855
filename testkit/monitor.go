package testkit

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// Monitor is Run's mock engine for harnesses that drive a program themselves, such as a
// component provider's Construct under pulumi-go-provider's integration server
// (integration.WithMocks(monitor)). It answers as Run's mocks do, also answers the engine's
// "pulumi:pulumi:getResource" for resources it has seen (how a construct rehydrates the
// provider references it is given), and returns what was registered as a Plan.
//
// Pass Project and Stack options matching the harness's URNs (pulumi-go-provider's fake
// monitor uses project "project", stack "stack").
type Monitor struct{ m *mocks }

var _ pulumi.MockResourceMonitor = (*Monitor)(nil)

// NewMonitor returns an empty mock engine.
func NewMonitor(opts ...Option) *Monitor {
	o := &options{project: DefaultProject, stack: DefaultStack, config: map[string]string{}}
	for _, opt := range opts {
		opt(o)
	}
	return &Monitor{m: newMocks(o)}
}

// NewResource records a registration and answers with cloud-shaped outputs.
func (m *Monitor) NewResource(args pulumi.MockResourceArgs) (string, resource.PropertyMap, error) {
	return m.m.NewResource(args)
}

// Call answers invokes as Run's mocks do, and getResource from the recorded resources.
func (m *Monitor) Call(args pulumi.MockCallArgs) (resource.PropertyMap, error) {
	if args.Token != "pulumi:pulumi:getResource" {
		return m.m.Call(args)
	}
	urn := args.Args["urn"]
	if !urn.IsString() {
		return nil, fmt.Errorf("getResource: want a urn argument, got %v", urn)
	}
	m.m.mu.Lock()
	r := m.m.byURN[urn.StringValue()]
	m.m.mu.Unlock()
	if r == nil {
		return nil, fmt.Errorf("getResource: no resource %s was registered", urn.StringValue())
	}
	return resource.PropertyMap{
		"urn":   resource.NewProperty(r.URN),
		"id":    resource.NewProperty(r.ID),
		"state": resource.NewProperty(r.Outputs),
	}, nil
}

// Register records a resource as the calling program would have registered it (an explicit
// provider, typically) and returns its provider reference "<urn>::<id>".
func (m *Monitor) Register(typ, name string, custom bool, inputs map[string]any) (string, error) {
	props := resource.NewPropertyMapFromMap(inputs)
	obj, err := plugin.MarshalProperties(props, plugin.MarshalOptions{KeepSecrets: true, KeepResources: true})
	if err != nil {
		return "", err
	}
	id, _, err := m.m.NewResource(pulumi.MockResourceArgs{
		TypeToken: typ, Name: name, Inputs: props, Custom: custom,
		RegisterRPC: &pulumirpc.RegisterResourceRequest{Type: typ, Name: name, Custom: custom, Object: obj},
	})
	if err != nil {
		return "", err
	}
	return m.m.urn("", typ, name) + "::" + id, nil
}

// Plan returns everything registered so far, as Run does.
func (m *Monitor) Plan() (*Plan, error) {
	p, err := m.m.plan()
	if err != nil {
		return nil, err
	}
	p.Project, p.Stack = m.m.opts.project, m.m.opts.stack
	p.Outputs = map[string]any{}
	return p, nil
}
