package testkit

import (
	"sort"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/property"

	"github.com/scalestack/scalestack/policies/flows"
	"github.com/scalestack/scalestack/policies/rules"
)

// attachFlows puts the flows components declared (flows.Declare) into the components'
// outputs under flows.OutputKey, where the engine's policy analysis finds them: the mock
// engine drops registered outputs, so the declarations are recorded in-process and drained
// after the run.
func (p *Plan) attachFlows(declared map[string]property.Value) {
	for urn, v := range declared {
		if urn == "" {
			p.stackFlows = &v // declared by the program itself, in its stack outputs
			continue
		}
		r := p.ByURN(urn)
		if r == nil {
			continue
		}
		if r.Outputs == nil {
			r.Outputs = resource.PropertyMap{}
		}
		r.Outputs[resource.PropertyKey(flows.OutputKey)] = resource.ToResourcePropertyValue(v)
	}
}

// FlowResources converts the plan into what the flow evaluator reads: inputs with unknowns
// kept, the mocked outputs, the region, and the property dependencies.
func (p *Plan) FlowResources() []flows.Resource {
	out := make([]flows.Resource, 0, len(p.Resources)+1)
	for _, r := range p.Resources {
		out = append(out, flows.Resource{
			URN: r.URN, Type: r.Type, Name: r.Name, Parent: r.Parent,
			Properties:           resource.FromResourcePropertyMap(r.RawInputs),
			Outputs:              resource.FromResourcePropertyMap(r.Outputs),
			Region:               r.Region(),
			PropertyDependencies: r.PropertyDependencies,
		})
	}
	if s := p.stackResource(); s != nil {
		out = append(out, flows.Resource{URN: s.URN, Type: s.Type, Name: s.Name, Properties: s.Properties})
	}
	return out
}

// stackResource is the root stack as the engine's stack analysis sees it, when the program
// declared flows in its own outputs; nil otherwise.
func (p *Plan) stackResource() *rules.Resource {
	if p.stackFlows == nil {
		return nil
	}
	name := p.Project + "-" + p.Stack
	return &rules.Resource{
		URN:  "urn:pulumi:" + p.Stack + "::" + p.Project + "::pulumi:pulumi:Stack::" + name,
		Type: "pulumi:pulumi:Stack", Name: name,
		Properties: property.NewMap(map[string]property.Value{flows.OutputKey: *p.stackFlows}),
	}
}

// Flows evaluates every flow the program's components declared against the plan's resources
// (security groups and rules, NSGs, firewall rules, DNS links, IAM) and lists what the
// internet can reach. See package policies/flows.
func (p *Plan) Flows() flows.Report { return flows.Evaluate(p.FlowResources()) }

// AssertFlowAllowed fails unless the declared flow named name is ALLOWED; the message gives
// the verdict and the missing piece. It also fails when no declared flow has that name
// (listing the names there are). Several flows may share a name (one per region): all must
// be ALLOWED.
func AssertFlowAllowed(t testing.TB, plan *Plan, name string) bool {
	t.Helper()
	rep := plan.Flows()
	found, ok := false, true
	var names []string
	for _, f := range rep.Flows {
		names = append(names, f.Flow.Name)
		if f.Flow.Name != name {
			continue
		}
		found = true
		if f.Verdict != flows.Allowed {
			ok = false
			t.Errorf("flow %q (%s → %s, %s) is %s: %s", name, f.Flow.From, f.Flow.To, f.Flow.Label(), f.Verdict, f.Reason)
		}
	}
	if !found {
		sort.Strings(names)
		t.Errorf("no declared flow is named %q; declared: %s", name, strings.Join(names, ", "))
		return false
	}
	return ok
}

// AssertNoEdgeBypass fails for every exposure that lets the internet skip the CDN/WAF.
func AssertNoEdgeBypass(t testing.TB, plan *Plan) bool {
	t.Helper()
	ok := true
	for _, e := range plan.Flows().Exposures {
		if e.BypassesEdge {
			ok = false
			t.Errorf("%s %s is reachable from %s on %s, bypassing the edge: %s",
				e.Type, e.Name, strings.Join(e.Sources, ", "), strings.Join(e.Ports, ", "), e.Reason)
		}
	}
	return ok
}
