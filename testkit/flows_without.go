package testkit

import "github.com/scalestack/scalestack/policies/flows"

// FlowsWithout evaluates the declared flows as if the resources with these logical names
// were not in the plan: a test takes a fix away (an egress rule, a policy, a DNS link, an IAM
// database user) and proves the evaluator then reports the flow it enabled as BLOCKED.
func (p *Plan) FlowsWithout(names ...string) flows.Report {
	drop := map[string]bool{}
	for _, n := range names {
		drop[n] = true
	}
	var kept []flows.Resource
	for _, r := range p.FlowResources() {
		if !drop[r.Name] {
			kept = append(kept, r)
		}
	}
	return flows.Evaluate(kept)
}
