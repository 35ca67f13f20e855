package flows

import (
	"encoding/json"
	"fmt"
	"path"
	"strings"
)

const (
	awsSG         = "aws:ec2/securityGroup:SecurityGroup"
	awsIngress    = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
	awsEgress     = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"
	awsSGRule     = "aws:ec2/securityGroupRule:SecurityGroupRule"
	awsRole       = "aws:iam/role:Role"
	awsRolePolicy = "aws:iam/rolePolicy:RolePolicy"
	awsPolicy     = "aws:iam/policy:Policy"
	awsAttachment = "aws:iam/rolePolicyAttachment:RolePolicyAttachment"
	awsLB         = "aws:lb/loadBalancer:LoadBalancer"
	awsALB        = "aws:alb/loadBalancer:LoadBalancer"
	awsCloudFront = "aws:cloudfront/distribution:Distribution"
	awsLT         = "aws:ec2/launchTemplate:LaunchTemplate"
	awsRDS        = "aws:rds/instance:Instance"
)

// sgRule is one security group rule, inline or a separate resource, normalised.
type sgRule struct {
	label    string // what a reader can find: "web-from-lb" or "db-sg ingress[0]"
	group    *Resource
	egress   bool
	protocol val
	from, to val
	cidrs    []string // IPv4 and IPv6 ranges
	prefixes []string // prefix list IDs (known or "(unknown)")
	peers    []*Resource
	self     bool
	unknown  bool // a CIDR, a peer or a prefix list is unknown
}

// ports is the rule's port range; ok false when a port or the protocol is unknown.
func (r sgRule) ports() (portRange, bool) {
	if r.protocol.unknown {
		return portRange{}, false
	}
	if p := r.protocol.str(); p == "-1" || strings.EqualFold(p, "all") {
		return portRange{all: true}, true // AWS ignores the ports of an all-protocol rule
	}
	f, ok1 := r.from.num()
	t, ok2 := r.to.num()
	if r.from.unknown || r.to.unknown || !ok1 || !ok2 {
		return portRange{}, false
	}
	return portRange{from: f, to: t}, true
}

// awsRules are every rule of the groups in gs, of one direction.
func (p *plan) awsRules(gs []*Resource, egress bool) []sgRule {
	var out []sgRule
	isG := map[string]*Resource{}
	for _, g := range gs {
		isG[g.URN] = g
		key := "ingress"
		if egress {
			key = "egress"
		}
		for i, b := range g.get(key).items() {
			r := sgRule{label: fmt.Sprintf("%s %s[%d]", g.Name, key, i), group: g, egress: egress,
				protocol: b.sub("protocol"), from: b.sub("fromPort"), to: b.sub("toPort"), self: b.sub("self").isTrue()}
			r.addCIDRs(b.sub("cidrBlocks"), b.sub("ipv6CidrBlocks"))
			r.addPrefixes(b.sub("prefixListIds"))
			// Inline blocks share one dependency set per property.
			r.peers = p.depsOfType(g, key, awsSG)
			if v := b.sub("securityGroups"); v.unknown {
				r.unknown = true
			}
			if b.unknown {
				r.unknown, r.protocol = true, val{present: true, unknown: true}
			}
			out = append(out, r)
		}
		if v := g.get(key); v.unknown {
			out = append(out, sgRule{label: g.Name + " " + key, group: g, egress: egress, unknown: true, protocol: v})
		}
	}
	for _, x := range p.ofType(awsIngress, awsEgress, awsSGRule) {
		owners := p.depsOfType(x, "securityGroupId", awsSG)
		if len(owners) != 1 || isG[owners[0].URN] == nil {
			continue
		}
		isEgress := x.Type == awsEgress || (x.Type == awsSGRule && x.get("type").str() == "egress")
		if isEgress != egress {
			continue
		}
		r := sgRule{label: x.Name, group: owners[0], egress: egress}
		if x.Type == awsSGRule {
			r.protocol, r.from, r.to, r.self = x.get("protocol"), x.get("fromPort"), x.get("toPort"), x.get("self").isTrue()
			r.addCIDRs(x.get("cidrBlocks"), x.get("ipv6CidrBlocks"))
			r.addPrefixes(x.get("prefixListIds"))
			r.peers = p.depsOfType(x, "sourceSecurityGroupId", awsSG)
		} else {
			r.protocol, r.from, r.to = x.get("ipProtocol"), x.get("fromPort"), x.get("toPort")
			r.addCIDRs(x.get("cidrIpv4"), x.get("cidrIpv6"))
			r.addPrefixes(x.get("prefixListId"))
			r.peers = p.depsOfType(x, "referencedSecurityGroupId", awsSG)
			if v := x.get("referencedSecurityGroupId"); v.unknown && len(r.peers) == 0 {
				r.unknown = true
			}
		}
		out = append(out, r)
	}
	return out
}

func (r *sgRule) addCIDRs(vs ...val) {
	for _, v := range vs {
		s, unknown := v.strs()
		r.cidrs = append(r.cidrs, s...)
		r.unknown = r.unknown || unknown
	}
}

func (r *sgRule) addPrefixes(v val) {
	s, unknown := v.strs()
	r.prefixes = append(r.prefixes, s...)
	r.unknown = r.unknown || unknown
}

// awsGroups maps an endpoint's resources to security groups: a group itself, or the groups a
// resource (instance, launch template, load balancer, database) is attached to.
func (p *plan) awsGroups(rs []*Resource) []*Resource {
	var out []*Resource
	for _, r := range rs {
		if r.Type == awsSG {
			out = append(out, r)
			continue
		}
		out = append(out, p.depsOfType(r, "", awsSG)...)
	}
	return out
}

// awsMatch tells whether rule r admits the peer end of a flow: the peer's groups, its
// well-known source, or its addresses. It returns a note when the match rests on an assumption.
func awsMatch(r sgRule, peerGroups []*Resource, peer Ref, own []*Resource) (bool, string) {
	for _, pg := range peerGroups {
		for _, x := range r.peers {
			if x.URN == pg.URN {
				return true, ""
			}
		}
		if r.self {
			for _, g := range own {
				if g.URN == pg.URN {
					return true, ""
				}
			}
		}
	}
	addrs := peer.CIDRs
	if peer.Source != "" {
		addrs = append(addrs, sourceRanges[peer.Source]...)
	}
	for _, c := range r.cidrs {
		if c == "0.0.0.0/0" && (len(peerGroups) > 0 || peer.Source == CloudFront) {
			return true, "" // any IPv4 address, so also the peer's (instances and CloudFront use IPv4)
		}
		for _, a := range addrs {
			if covers(c, a) {
				return true, ""
			}
		}
	}
	if peer.Source == CloudFront && len(r.prefixes) > 0 {
		return true, fmt.Sprintf("%s admits prefix list %s, taken to be CloudFront's origin-facing list", r.label, strings.Join(r.prefixes, ", "))
	}
	return false, ""
}

// awsNetwork judges a connection through security groups: the destination's groups must admit
// the source (ingress), and the source's groups must let it out (egress). The Terraform AWS
// provider deletes the default allow-all egress rule of every group it creates
// (terraform-provider-aws internal/service/ec2/vpc_security_group.go, "revokeSecurityGroupRules"
// on create), so a group without an egress rule sends nothing.
func (p *plan) awsNetwork(res Result, from, to []*Resource) Result {
	d := res.Flow
	dst := p.awsGroups(to)
	if len(dst) == 0 {
		return res.blocked("%s has no security group in the plan", d.To)
	}
	src := p.awsGroups(from)
	check := func(rules []sgRule, peerGroups []*Resource, peer Ref, own []*Resource) (by []string, notes []string, unknown string) {
		for _, r := range rules {
			pr, ok := r.ports()
			if !ok {
				unknown = r.label + " (protocol or ports unknown)"
				continue
			}
			if !protocolMatches(r.protocol.str(), d.Protocol) || !pr.has(d.Port) {
				continue
			}
			if m, note := awsMatch(r, peerGroups, peer, own); m {
				by = append(by, r.label)
				if note != "" {
					notes = append(notes, note)
				}
				continue
			}
			if r.unknown {
				unknown = r.label + " (its source or destination is unknown)"
			} else if len(peer.CIDRs) == 0 && len(peerGroups) > 0 && hasNarrowCIDR(r.cidrs) {
				unknown = r.label + " (a CIDR rule, and the flow does not declare the addresses of " + peer.String() + ")"
			}
		}
		return by, notes, unknown
	}
	in, inNotes, inUnknown := check(p.awsRules(dst, false), src, d.From, dst)
	if len(in) == 0 {
		if inUnknown != "" {
			return res.unverified("%s decides whether %s admits %s on %s", inUnknown, names(dst), d.From, d.Label())
		}
		return res.blocked("security group %s admits no %s from %s: add an ingress rule for port %d that references %s",
			names(dst), d.Label(), d.From, d.Port, peerWords(src, d.From))
	}
	res.Notes = append(res.Notes, inNotes...)
	if len(src) == 0 {
		res, ok := p.awsNACLs(res, nil, dst)
		if !ok {
			return res
		}
		return res.allowed(append(in, res.By...)...)
	}
	out, outNotes, outUnknown := check(p.awsRules(src, true), dst, d.To, src)
	if len(out) == 0 {
		if outUnknown != "" {
			return res.unverified("%s decides whether %s lets %s out", outUnknown, names(src), d.Label())
		}
		return res.blocked("security group %s has no egress rule for %s to %s (the Terraform AWS provider removes the default allow-all egress rule): add an egress rule for port %d that references %s",
			names(src), d.Label(), d.To, d.Port, names(dst))
	}
	res.Notes = append(res.Notes, outNotes...)
	res, ok := p.awsNACLs(res, src, dst)
	if !ok {
		return res
	}
	return res.allowed(append(append(in, out...), res.By...)...)
}

func peerWords(groups []*Resource, ref Ref) string {
	if len(groups) > 0 {
		return "security group " + names(groups)
	}
	if ref.Source == CloudFront {
		return "the CloudFront origin-facing prefix list"
	}
	return ref.String()
}

func names(rs []*Resource) string {
	var out []string
	for _, r := range rs {
		out = append(out, r.Name)
	}
	return strings.Join(dedupe(out), ", ")
}

// statement is one IAM policy statement, normalised.
type statement struct {
	effect    string
	actions   []string
	resources []string
}

func parsePolicy(doc string) ([]statement, error) {
	var raw struct {
		Statement json.RawMessage
	}
	if err := json.Unmarshal([]byte(doc), &raw); err != nil {
		return nil, err
	}
	var list []map[string]any
	if err := json.Unmarshal(raw.Statement, &list); err != nil {
		var one map[string]any
		if err := json.Unmarshal(raw.Statement, &one); err != nil {
			return nil, err
		}
		list = []map[string]any{one}
	}
	var out []statement
	for _, s := range list {
		st := statement{}
		st.effect, _ = s["Effect"].(string)
		st.actions = stringsOf(s["Action"])
		st.resources = stringsOf(s["Resource"])
		out = append(out, st)
	}
	return out, nil
}

func stringsOf(v any) []string {
	switch t := v.(type) {
	case string:
		return []string{t}
	case []any:
		var out []string
		for _, x := range t {
			if s, ok := x.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

// actionMatches compares an IAM action pattern ("secretsmanager:*", "*") with an action,
// case-insensitively as IAM does.
func actionMatches(pattern, action string) bool {
	ok, _ := path.Match(strings.ToLower(pattern), strings.ToLower(action))
	return ok
}

// awsPermission judges whether an IAM role may perform an action on a target: an Allow
// statement in an inline role policy or an attached customer policy names the action and
// either "*" or an ARN computed from the target, and no Deny statement names them.
func (p *plan) awsPermission(res Result, from, to []*Resource) Result {
	d := res.Flow
	var roles []*Resource
	for _, r := range from {
		if r.Type == awsRole {
			roles = append(roles, r)
		} else {
			roles = append(roles, p.depsOfType(r, "", awsRole)...)
		}
	}
	if len(roles) == 0 {
		return res.blocked("%s has no IAM role in the plan", d.From)
	}
	type doc struct {
		label  string
		policy *Resource
		key    string
	}
	var docs []doc
	for _, rp := range p.ofType(awsRolePolicy) {
		for _, role := range roles {
			if refersTo(rp, "role", role) {
				docs = append(docs, doc{rp.Name, rp, "policy"})
			}
		}
	}
	for _, at := range p.ofType(awsAttachment) {
		for _, role := range roles {
			if !refersTo(at, "role", role) {
				continue
			}
			for _, pol := range p.depsOfType(at, "policyArn", awsPolicy) {
				docs = append(docs, doc{pol.Name, pol, "policy"})
			}
		}
	}
	var unknown string
	var allowedBy []string
	for _, dc := range docs {
		v := dc.policy.get(dc.key)
		if v.unknown {
			unknown = dc.label
			continue
		}
		stmts, err := parsePolicy(v.str())
		if err != nil {
			continue
		}
		for _, st := range stmts {
			act := false
			for _, a := range st.actions {
				act = act || actionMatches(a, d.Permission)
			}
			if !act {
				continue
			}
			onTarget := false
			for _, r := range st.resources {
				onTarget = onTarget || r == "*"
			}
			for _, t := range to {
				onTarget = onTarget || refersTo(dc.policy, dc.key, t) || arnIn(t, st.resources)
			}
			if !onTarget {
				continue
			}
			if strings.EqualFold(st.effect, "Deny") {
				return res.blocked("%s denies %s on %s", dc.label, d.Permission, d.To)
			}
			allowedBy = append(allowedBy, dc.label)
		}
	}
	if len(allowedBy) > 0 {
		return res.allowed(allowedBy...)
	}
	if unknown != "" {
		return res.unverified("the policy document of %s is unknown", unknown)
	}
	return res.blocked("IAM role %s has no policy that allows %s on %s: attach a policy with that action on its ARN",
		names(roles), d.Permission, d.To)
}

// arnIn reports whether the target's known ARN (or its managed secret's) is in resources.
func arnIn(t *Resource, resources []string) bool {
	for _, k := range []string{"arn", "masterUserSecrets.0.secretArn"} {
		if a := t.get(k).str(); a != "" {
			for _, r := range resources {
				if ok, _ := path.Match(r, a); ok {
					return true
				}
			}
		}
	}
	return false
}

// hasNarrowCIDR reports an IPv4 CIDR narrower than 0.0.0.0/0.
func hasNarrowCIDR(cidrs []string) bool {
	for _, c := range cidrs {
		if c != "0.0.0.0/0" && !strings.Contains(c, ":") {
			return true
		}
	}
	return false
}
