package rules

import (
	"fmt"
	"strings"

	"github.com/scalestack/scalestack/policies/flows"
)

// The levels of the two flow rules: a declared flow the plan blocks is a backend that cannot
// work, so it is mandatory everywhere; an exposure that skips the CDN and its WAF is mandatory
// in prod (dev stacks may open a load balancer on purpose, with the finding shown).
const (
	FlowBlockedLevel    = Mandatory
	ExposureBypassLevel = MandatoryInProd
)

func init() {
	register(
		&Rule{
			ID:          "stack-flow-blocked",
			Description: "Every flow a component declares (CDN → load balancer, load balancer → web, web → database, web → its secret and key, identity → database) is allowed by the plan's network rules, DNS links and IAM; an unknown deciding value is reported as cannot verify.",
			Level:       FlowBlockedLevel,
			checkStack: func(c *check) {
				for _, f := range flows.Evaluate(flowResources(c.all)).Flows {
					switch f.Verdict {
					case flows.Blocked:
						c.failOn(c.byURN(f.Flow.Component), "flow %q (%s → %s, %s) is BLOCKED: %s",
							f.Flow.Name, f.Flow.From, f.Flow.To, f.Flow.Label(), f.Reason)
					case flows.Unverified:
						c.findings = append(c.findings, finding{urn: f.Flow.Component, unknown: true,
							msg: fmt.Sprintf("%s (flow %q)", f.Reason, f.Flow.Name)})
					}
				}
			},
		},
		&Rule{
			ID:          "stack-exposure-bypasses-edge",
			Description: "Nothing the internet can reach lets it skip the CDN/WAF in front of it (an ALB that admits 0.0.0.0/0 behind CloudFront, a gateway subnet open to Internet behind Front Door, a firewall open to instances behind the Google load balancer).",
			Level:       ExposureBypassLevel,
			checkStack: func(c *check) {
				for _, e := range flows.Evaluate(flowResources(c.all)).Exposures {
					if e.BypassesEdge {
						c.failOn(c.byURN(e.URN), "%s is reachable from %s on %s (%s): %s",
							e.Name, strings.Join(e.Sources, ", "), strings.Join(e.Ports, ", "), e.Via, e.Reason)
					}
				}
			},
		},
	)
}

// byURN returns the resource with that URN, or a stand-in that carries it.
func (c *check) byURN(urn string) *Resource {
	for i := range c.all {
		if c.all[i].URN == urn {
			return &c.all[i]
		}
	}
	return &Resource{URN: urn}
}

// flowResources converts what rules see into what the flow evaluator reads.
func flowResources(rs []Resource) []flows.Resource {
	out := make([]flows.Resource, len(rs))
	for i := range rs {
		r := &rs[i]
		out[i] = flows.Resource{URN: r.URN, Type: r.Type, Name: r.Name, Parent: r.Parent,
			Properties: r.Properties, Outputs: r.Outputs, Region: r.Region(),
			PropertyDependencies: r.PropertyDependencies}
	}
	return out
}
