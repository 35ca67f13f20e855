package testkit

import (
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"

	"github.com/scalestack/scalestack/policies/rules"
)

// PolicyResources converts the plan into what the policy rules read, as the engine's analyzer
// would send it: inputs with unknowns kept (RawInputs), the explicit provider with its
// properties, the parent, dependencies and property dependencies, plus the mocked outputs.
func (p *Plan) PolicyResources() []rules.Resource {
	out := make([]rules.Resource, 0, len(p.Resources))
	for _, r := range p.Resources {
		pr := rules.Resource{
			URN:                  r.URN,
			Type:                 r.Type,
			Name:                 r.Name,
			Properties:           resource.FromResourcePropertyMap(r.RawInputs),
			Outputs:              resource.FromResourcePropertyMap(r.Outputs),
			Parent:               r.Parent,
			Dependencies:         r.Dependencies,
			PropertyDependencies: r.PropertyDependencies,
			IgnoreChanges:        r.IgnoreChanges,
		}
		if prov := r.ProviderResource(); prov != nil {
			pr.Provider = rules.Provider{
				URN:        prov.URN,
				Type:       prov.Type,
				Name:       prov.Name,
				Properties: resource.FromResourcePropertyMap(prov.RawInputs),
			}
		}
		out = append(out, pr)
	}
	if s := p.stackResource(); s != nil {
		out = append(out, *s)
	}
	return out
}

// Policies runs every scalestack policy rule over the plan, the same rules the policy pack
// and `scalestack preview` run. It fails only when opts are invalid (an unknown rule in a
// waiver or setting, a setting of the wrong type).
func (p *Plan) Policies(opts rules.Options) (*rules.Report, error) {
	return rules.Evaluate(p.PolicyResources(), opts)
}
