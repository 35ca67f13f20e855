package flows

import (
	"fmt"
	"sort"
	"sync"

	"github.com/pulumi/pulumi/sdk/v3/go/property"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// OutputKey is the component output that carries a component's declared flows. The policy
// pack reads it from the component's registered outputs (which the engine's stack analysis
// receives); testkit puts the same value there after a mock run.
const OutputKey = "scalestackFlows"

// Endpoint is one end of a flow as a component declares it.
type Endpoint struct {
	// Resource is a resource or a component of the program.
	Resource pulumi.Resource
	// Type, when set, selects the descendants of Resource with this type token (a component's
	// security group, subnet, ...).
	Type string
	// Name, when set with Type, selects the descendant with this logical name.
	Name string
	// Source is a well-known party outside the plan (Internet, CloudFront, AzureFrontDoor,
	// AzureLoadBalancer, GoogleFrontEnd) instead of Resource.
	Source string
	// CIDRs are the endpoint's addresses, when the program knows them.
	CIDRs []string
}

// Flow is a flow a component needs.
type Flow struct {
	// Name says what the flow is for ("web → database").
	Name string
	Kind Kind
	From Endpoint
	To   Endpoint
	// Protocol is "tcp" (the default) or "udp"; Port the destination port (network flows).
	Protocol string
	Port     int
	// Permission is the IAM action or role (permission flows).
	Permission string
}

// On is an Endpoint on a resource or a component.
func On(r pulumi.Resource) Endpoint { return Endpoint{Resource: r} }

// Below is an Endpoint on the descendants of r with type typ (and logical name, when given).
func Below(r pulumi.Resource, typ string, name ...string) Endpoint {
	e := Endpoint{Resource: r, Type: typ}
	if len(name) > 0 {
		e.Name = name[0]
	}
	return e
}

// From is an Endpoint on a well-known source outside the plan.
func From(source string) Endpoint { return Endpoint{Source: source} }

var (
	registryMu sync.Mutex
	registry   = map[*pulumi.Context][]Declared{}
)

// Declare records the flows a component needs. It adds them to outputs under OutputKey (pass
// the map the component then gives to ctx.RegisterResourceOutputs), so the policy pack sees
// them under the engine, and records them for the run of ctx, so testkit and `scalestack
// preview` (whose mock engine drops registered outputs) see them after the run (Drain).
//
// A program without a component of its own passes a nil component and its stack outputs
// (the map it exports): the engine's stack analysis sees the root stack's outputs too.
func Declare(ctx *pulumi.Context, component pulumi.Resource, outputs pulumi.Map, fs ...Flow) error {
	arr := pulumi.Array{}
	for i, f := range fs {
		switch {
		case f.Name == "":
			return fmt.Errorf("flow %d: Name is required", i)
		case f.Kind != Network && f.Kind != Permission && f.Kind != Login && f.Kind != Resolve:
			return fmt.Errorf("flow %q: Kind %q is not allowed: want %q, %q, %q or %q", f.Name, f.Kind, Network, Permission, Login, Resolve)
		case f.Kind == Permission && f.Permission == "":
			return fmt.Errorf("flow %q: Permission is required for a permission flow (an IAM action or role)", f.Name)
		}
		if f.Kind == Network && f.Protocol == "" {
			f.Protocol = "tcp"
		}
		if f.Kind == Network && (f.Port < 1 || f.Port > 65535) {
			return fmt.Errorf("flow %q: Port %d is not allowed: want 1-65535", f.Name, f.Port)
		}
		from, err := endpointInput(f.From)
		if err != nil {
			return fmt.Errorf("flow %q: From: %w", f.Name, err)
		}
		to, err := endpointInput(f.To)
		if err != nil {
			return fmt.Errorf("flow %q: To: %w", f.Name, err)
		}
		arr = append(arr, pulumi.Map{
			"name": pulumi.String(f.Name), "kind": pulumi.String(string(f.Kind)),
			"protocol": pulumi.String(f.Protocol), "port": pulumi.Int(f.Port),
			"permission": pulumi.String(f.Permission), "from": from, "to": to,
		})
	}
	outputs[OutputKey] = arr
	var urn pulumi.URNInput = pulumi.URN("")
	if component != nil {
		urn = component.URN()
	}
	pulumi.All(urn, arr.ToArrayOutput()).ApplyT(func(v []any) error {
		decls := decodeAll(string(v[0].(pulumi.URN)), toProperty(v[1]))
		registryMu.Lock()
		registry[ctx] = append(registry[ctx], decls...)
		registryMu.Unlock()
		return nil
	})
	return nil
}

func endpointInput(e Endpoint) (pulumi.Map, error) {
	m := pulumi.Map{"type": pulumi.String(e.Type), "name": pulumi.String(e.Name), "source": pulumi.String(e.Source)}
	switch {
	case e.Resource != nil && e.Source != "":
		return nil, fmt.Errorf("set Resource or Source, not both")
	case e.Resource != nil:
		m["urn"] = e.Resource.URN()
	case e.Source == "":
		return nil, fmt.Errorf("set Resource or Source")
	}
	cidrs := pulumi.StringArray{}
	for _, c := range e.CIDRs {
		cidrs = append(cidrs, pulumi.String(c))
	}
	m["cidrs"] = cidrs
	return m, nil
}

// Drain returns (and forgets) the flows declared during the run of ctx, by component URN
// ("" for the stack's own). Call it after the run has finished.
func Drain(ctx *pulumi.Context) map[string]property.Value {
	registryMu.Lock()
	decls := registry[ctx]
	delete(registry, ctx)
	registryMu.Unlock()
	sort.SliceStable(decls, func(i, j int) bool { return decls[i].Component < decls[j].Component })
	out := map[string]property.Value{}
	by := map[string][]property.Value{}
	for _, d := range decls {
		by[d.Component] = append(by[d.Component], encode(d))
	}
	for c, vs := range by {
		out[c] = property.New(property.NewArray(vs))
	}
	return out
}

// encode is the output value of one declaration (the shape Declare registers).
func encode(d Declared) property.Value {
	ref := func(r Ref) property.Value {
		cidrs := make([]property.Value, len(r.CIDRs))
		for i, c := range r.CIDRs {
			cidrs[i] = property.New(c)
		}
		return property.New(property.NewMap(map[string]property.Value{
			"urn": property.New(r.URN), "type": property.New(r.Type), "name": property.New(r.Name),
			"source": property.New(r.Source), "cidrs": property.New(property.NewArray(cidrs)),
		}))
	}
	return property.New(property.NewMap(map[string]property.Value{
		"name": property.New(d.Name), "kind": property.New(string(d.Kind)),
		"protocol": property.New(d.Protocol), "port": property.New(float64(d.Port)),
		"permission": property.New(d.Permission), "from": ref(d.From), "to": ref(d.To),
	}))
}

// toProperty converts a resolved output value into a property value.
func toProperty(v any) property.Value {
	switch t := v.(type) {
	case nil:
		return property.Value{}
	case string:
		return property.New(t)
	case pulumi.URN:
		return property.New(string(t))
	case int:
		return property.New(float64(t))
	case float64:
		return property.New(t)
	case bool:
		return property.New(t)
	case []any:
		out := make([]property.Value, len(t))
		for i, x := range t {
			out[i] = toProperty(x)
		}
		return property.New(property.NewArray(out))
	case []string:
		out := make([]property.Value, len(t))
		for i, x := range t {
			out[i] = property.New(x)
		}
		return property.New(property.NewArray(out))
	case map[string]any:
		out := make(map[string]property.Value, len(t))
		for k, x := range t {
			out[k] = toProperty(x)
		}
		return property.New(property.NewMap(out))
	case fmt.Stringer:
		return property.New(t.String())
	}
	return property.Value{}
}

// decodeAll reads the declarations of one component from its OutputKey value.
func decodeAll(component string, v property.Value) []Declared {
	var out []Declared
	for _, e := range wrap(v).items() {
		if !e.known() {
			continue
		}
		port, _ := e.sub("port").num()
		out = append(out, Declared{
			Component: component, Name: e.sub("name").str(), Kind: Kind(e.sub("kind").str()),
			Protocol: e.sub("protocol").str(), Port: port, Permission: e.sub("permission").str(),
			From: decodeRef(e.sub("from")), To: decodeRef(e.sub("to")),
		})
	}
	return out
}

func decodeRef(v val) Ref {
	cidrs, _ := v.sub("cidrs").strs()
	return Ref{URN: v.sub("urn").str(), Type: v.sub("type").str(), Name: v.sub("name").str(),
		Source: v.sub("source").str(), CIDRs: cidrs}
}

// declared collects the declarations registered in the plan's component outputs.
func (p *plan) declared() []Declared {
	var out []Declared
	for _, r := range p.all {
		v := r.get(OutputKey)
		if v.known() {
			out = append(out, decodeAll(r.URN, v.v)...)
		}
	}
	return out
}

// Declarations returns the flows declared in the plan's component outputs.
func Declarations(resources []Resource) []Declared { return newPlan(resources).declared() }
