// Package flows proves, offline, that the traffic and the sign-ins a deployment needs are
// possible, and lists what the internet can reach.
//
// Components declare the flows they need with Declare (CDN → load balancer on 443, web →
// database on 5432, web role → the database's secret, ...). Evaluate then reads the plan's
// resources as they would be deployed (security groups and their separate rule resources,
// NSGs and their rules, GCP firewall rules, private DNS zones and their links, peerings, IAM
// policies and bindings, SQL identity settings), never what a component claims, and gives
// every declared flow a verdict:
//
//   - ALLOWED, with the rules that allow it;
//   - BLOCKED, with the missing piece in words a user can act on;
//   - CANNOT VERIFY, when a value that decides it is unknown until apply (never a pass).
//
// It also lists the exposures: everything reachable from the internet, on which ports, and
// whether that path skips the CDN/WAF in front of it.
//
// The package depends on the Pulumi SDK only, so components, the policy pack
// (policies/rules), testkit and `scalestack preview` all use it. See docs/adr/0005-flows.md.
package flows

import (
	"fmt"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/pulumi/pulumi/sdk/v3/go/property"
)

// Kind is what a flow needs: a network path, a permission, a database sign-in or a name
// resolution.
type Kind string

// The kinds of flow.
const (
	// Network is a connection From → To on Protocol/Port.
	Network Kind = "network"
	// Permission is From (an AWS role, a GCP service account, an Azure scale set's identity)
	// holding Permission (an IAM action such as "secretsmanager:GetSecretValue", a GCP role,
	// or an Azure built-in role's definition GUID) on To.
	Permission Kind = "permission"
	// Login is From (a managed identity, a service account) signing in to the database To.
	Login Kind = "login"
	// Resolve is the virtual network From resolving the names of the private DNS zone To.
	Resolve Kind = "resolve"
)

// Well-known parties outside the plan, used as Endpoint.Source.
const (
	// Internet is any address (0.0.0.0/0 and ::/0).
	Internet = "internet"
	// CloudFront is Amazon CloudFront's origin-facing fleet (managed prefix list
	// com.amazonaws.global.cloudfront.origin-facing).
	CloudFront = "cloudfront"
	// AzureFrontDoor is Azure Front Door's back end (service tag AzureFrontDoor.Backend).
	AzureFrontDoor = "AzureFrontDoor.Backend"
	// AzureLoadBalancer is Azure's health probe source (service tag AzureLoadBalancer).
	AzureLoadBalancer = "AzureLoadBalancer"
	// GoogleFrontEnd is the Google front ends and health checkers of external Application
	// Load Balancers (130.211.0.0/22 and 35.191.0.0/16).
	GoogleFrontEnd = "google-front-end"
)

// sourceRanges are the address ranges of the well-known sources that have fixed ranges.
// Google: https://cloud.google.com/load-balancing/docs/health-check-concepts#ip-ranges
var sourceRanges = map[string][]string{
	Internet:       {"0.0.0.0/0", "::/0"},
	GoogleFrontEnd: {"130.211.0.0/22", "35.191.0.0/16"},
}

// Ref names one end of a declared flow: a plan resource by URN (optionally a descendant of
// it by type and logical name), or a well-known Source outside the plan.
type Ref struct {
	// URN is a resource or component of the plan.
	URN string `json:"urn,omitempty"`
	// Type, when set, selects the descendants of URN with this type token.
	Type string `json:"type,omitempty"`
	// Name, when set with Type, selects the descendant with this logical name.
	Name string `json:"name,omitempty"`
	// Source is a well-known party outside the plan (Internet, CloudFront, ...).
	Source string `json:"source,omitempty"`
	// CIDRs are the endpoint's addresses when they are known (matched against CIDR rules).
	CIDRs []string `json:"cidrs,omitempty"`
}

// String is a short label: the source, or the selected name, or the URN's name.
func (r Ref) String() string {
	switch {
	case r.Source != "":
		return r.Source
	case r.Name != "":
		return r.Name
	default:
		return urnName(r.URN)
	}
}

// Declared is one flow as a component declared it, resolved to URNs.
type Declared struct {
	// Component is the URN of the component that declared the flow.
	Component string `json:"component,omitempty"`
	// Name says what the flow is for ("web → database").
	Name string `json:"name"`
	// Kind is network, permission, login or resolve.
	Kind Kind `json:"kind"`
	From Ref  `json:"from"`
	To   Ref  `json:"to"`
	// Protocol is "tcp" or "udp" (network flows).
	Protocol string `json:"protocol,omitempty"`
	// Port is the destination port (network flows).
	Port int `json:"port,omitempty"`
	// Permission is the IAM action or role the flow needs (permission flows).
	Permission string `json:"permission,omitempty"`
}

// Label is the flow's protocol and port, or its permission: "tcp/5432", "kms:Decrypt".
func (d Declared) Label() string {
	switch d.Kind {
	case Network:
		return fmt.Sprintf("%s/%d", d.Protocol, d.Port)
	case Permission:
		return d.Permission
	case Login:
		return "sign-in"
	default:
		return "dns"
	}
}

// Verdict is the result of evaluating one declared flow.
type Verdict string

// The verdicts.
const (
	Allowed    Verdict = "ALLOWED"
	Blocked    Verdict = "BLOCKED"
	Unverified Verdict = "CANNOT VERIFY"
)

// Result is a declared flow and its verdict.
type Result struct {
	Flow    Declared `json:"flow"`
	Verdict Verdict  `json:"verdict"`
	// By names the rules and resources that allow the flow (ALLOWED).
	By []string `json:"by,omitempty"`
	// Reason says what is missing (BLOCKED) or unknown (CANNOT VERIFY).
	Reason string `json:"reason,omitempty"`
	// Notes are facts a reader should know (a step outside the plan, an assumption).
	Notes []string `json:"notes,omitempty"`
}

// Exposure is a resource the internet can reach.
type Exposure struct {
	URN  string `json:"urn"`
	Type string `json:"type"`
	Name string `json:"name"`
	// Ports are the reachable ports ("443", "80-81", "all").
	Ports []string `json:"ports"`
	// Sources are the rule sources that admit the internet ("0.0.0.0/0", "::/0", "Internet").
	Sources []string `json:"sources"`
	// Via names the rule or resource that makes it reachable.
	Via string `json:"via"`
	// BypassesEdge is true when the path skips the CDN/WAF in front of the resource.
	BypassesEdge bool `json:"bypassesEdge"`
	// Reason explains BypassesEdge.
	Reason string `json:"reason,omitempty"`
}

// Resource is what the evaluator reads of one plan resource. testkit, the policy pack and
// `scalestack preview` each convert their resources into it.
type Resource struct {
	URN    string
	Type   string
	Name   string
	Parent string
	// Properties are the resource's inputs (under the engine's stack analysis: its outputs),
	// with unknown values as computed.
	Properties property.Map
	// Outputs are the resource's state where known (mock runs): read when Properties lacks a
	// key.
	Outputs property.Map
	// Region is the resource's region or location ("" when unknown).
	Region string
	// PropertyDependencies maps a property to the URNs whose outputs flowed into it.
	PropertyDependencies map[string][]string
}

// Report is the evaluation of a plan: every declared flow with its verdict, and the exposures.
type Report struct {
	Flows     []Result   `json:"flows"`
	Exposures []Exposure `json:"exposures"`
}

// Named returns the first judged flow with that name (flows are named per region, such as
// "primary: web → database"), and whether there is one.
func (r Report) Named(name string) (Result, bool) {
	for _, f := range r.Flows {
		if f.Flow.Name == name {
			return f, true
		}
	}
	return Result{}, false
}

// Blocked returns the flows that are not ALLOWED because something is missing.
func (r Report) Blocked() []Result {
	var out []Result
	for _, f := range r.Flows {
		if f.Verdict == Blocked {
			out = append(out, f)
		}
	}
	return out
}

// Evaluate reads the declarations from the plan's component outputs and judges each against
// the plan's resources, then lists the exposures.
func Evaluate(resources []Resource) Report {
	p := newPlan(resources)
	rep := Report{Flows: []Result{}, Exposures: p.exposures()}
	for _, d := range p.declared() {
		rep.Flows = append(rep.Flows, p.evaluate(d))
	}
	sort.SliceStable(rep.Flows, func(i, j int) bool {
		a, b := rep.Flows[i].Flow, rep.Flows[j].Flow
		if a.Component != b.Component {
			return a.Component < b.Component
		}
		return a.Name < b.Name
	})
	return rep
}

// evaluate dispatches one declared flow to the cloud that owns its ends.
func (p *plan) evaluate(d Declared) Result {
	res := Result{Flow: d}
	from, to := p.resolve(d.From), p.resolve(d.To)
	for _, e := range []struct {
		ref Ref
		rs  []*Resource
	}{{d.From, from}, {d.To, to}} {
		if e.ref.Source == "" && len(e.rs) == 0 {
			return res.blocked("%s is not in the plan (no resource %s)", e.ref, describeRef(e.ref))
		}
	}
	cloud := cloudOf(append(append([]*Resource(nil), from...), to...))
	switch {
	case d.Kind == Network && cloud == "aws":
		return p.awsNetwork(res, from, to)
	case d.Kind == Network && cloud == "azure-native":
		return p.azureNetwork(res, from, to)
	case d.Kind == Network && cloud == "gcp":
		return p.gcpNetwork(res, from, to)
	case d.Kind == Permission && cloud == "aws":
		return p.awsPermission(res, from, to)
	case d.Kind == Permission && cloud == "gcp":
		return p.gcpPermission(res, from, to)
	case d.Kind == Permission && cloud == "azure-native":
		return p.azurePermission(res, from, to)
	case d.Kind == Login && cloud == "azure-native":
		return p.azureLogin(res, from, to)
	case d.Kind == Login && cloud == "gcp":
		return p.gcpLogin(res, from, to)
	case d.Kind == Resolve && cloud == "azure-native":
		return p.azureResolve(res, from, to)
	}
	return res.unverified("the evaluator does not model %s flows on %q", d.Kind, cloud)
}

func (r Result) allowed(by ...string) Result {
	r.Verdict, r.By = Allowed, dedupe(by)
	return r
}

func (r Result) blocked(format string, args ...any) Result {
	r.Verdict, r.Reason = Blocked, fmt.Sprintf(format, args...)
	return r
}

func (r Result) unverified(format string, args ...any) Result {
	r.Verdict, r.Reason = Unverified, "cannot verify during preview: "+fmt.Sprintf(format, args...)
	return r
}

func (r Result) note(format string, args ...any) Result {
	r.Notes = append(r.Notes, fmt.Sprintf(format, args...))
	return r
}

func describeRef(r Ref) string {
	s := r.URN
	if r.Type != "" {
		s = r.Type + " below " + r.URN
		if r.Name != "" {
			s += " named " + r.Name
		}
	}
	return s
}

// cloudOf is the package of the first custom resource ("aws", "azure-native", "gcp").
func cloudOf(rs []*Resource) string {
	for _, r := range rs {
		pkg, _, _ := strings.Cut(r.Type, ":")
		if pkg != "scalestack" && pkg != "pulumi" {
			return pkg
		}
	}
	return ""
}

func dedupe(in []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range in {
		if s != "" && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// urnName is the logical name at the end of a URN.
func urnName(urn string) string {
	if i := strings.LastIndex(urn, "::"); i >= 0 {
		return urn[i+2:]
	}
	return urn
}

// Table renders the flows and exposures as plain text, one line each, for logs and docs.
func (r Report) Table() string {
	var b strings.Builder
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	for _, f := range r.Flows {
		detail := strings.Join(f.By, ", ")
		if f.Verdict != Allowed {
			detail = f.Reason
		}
		fmt.Fprintf(tw, "%s\t%s\t%s → %s\t%s\t%s\n", f.Verdict, f.Flow.Name, f.Flow.From, f.Flow.To, f.Flow.Label(), detail)
	}
	for _, e := range r.Exposures {
		edge := "behind the edge"
		if e.BypassesEdge {
			edge = "BYPASSES THE EDGE: " + e.Reason
		}
		fmt.Fprintf(tw, "EXPOSED\t%s\t%s\tports %s\t%s\n", e.Name, strings.Join(e.Sources, ","), strings.Join(e.Ports, ","), edge)
	}
	tw.Flush()
	return b.String()
}
