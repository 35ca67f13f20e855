package flows

import (
	"fmt"
	"sort"
	"strings"
)

const (
	awsSubnet      = "aws:ec2/subnet:Subnet"
	awsSubnetGroup = "aws:rds/subnetGroup:SubnetGroup"
	awsACL         = "aws:ec2/networkAcl:NetworkAcl"
	awsACLRule     = "aws:ec2/networkAclRule:NetworkAclRule"
	awsACLAssoc    = "aws:ec2/networkAclAssociation:NetworkAclAssociation"
	awsASG         = "aws:autoscaling/group:Group"
)

// aclRule is one network ACL entry, inline or a separate resource.
type aclRule struct {
	label    string
	num      int
	egress   bool
	allow    bool
	protocol string
	cidr     string
	from, to val
	unknown  bool
}

// ephemeral are the ports return traffic uses on Linux (net.ipv4.ip_local_port_range).
var ephemeral = []int{32768, 60999}

// awsSubnetsOf are the subnets the resources guarded by groups sit in: a load balancer's or
// instance's subnets, a launch template's Auto Scaling group's, a database's subnet group's.
func (p *plan) awsSubnetsOf(groups []*Resource) []*Resource {
	seen := map[string]bool{}
	var out []*Resource
	add := func(rs []*Resource) {
		for _, s := range rs {
			if !seen[s.URN] {
				seen[s.URN] = true
				out = append(out, s)
			}
		}
	}
	for _, g := range groups {
		for _, a := range p.attachedTo(g) {
			add(p.depsOfType(a, "", awsSubnet))
			for _, sg := range p.depsOfType(a, "", awsSubnetGroup) {
				add(p.depsOfType(sg, "", awsSubnet))
			}
			for _, asg := range p.ofType(awsASG) {
				for _, urns := range asg.PropertyDependencies {
					for _, u := range urns {
						if u == a.URN {
							add(p.depsOfType(asg, "", awsSubnet))
						}
					}
				}
			}
		}
	}
	return out
}

// aclsOf are the network ACLs associated with a subnet (subnetIds, or an association).
func (p *plan) aclsOf(subnet *Resource) []*Resource {
	var out []*Resource
	for _, acl := range p.ofType(awsACL) {
		if refersTo(acl, "subnetIds", subnet) {
			out = append(out, acl)
		}
	}
	for _, as := range p.ofType(awsACLAssoc) {
		if refersTo(as, "subnetId", subnet) {
			out = append(out, p.depsOfType(as, "networkAclId", awsACL)...)
		}
	}
	return out
}

func (p *plan) aclRules(acl *Resource, egress bool) []aclRule {
	var out []aclRule
	key := "ingress"
	if egress {
		key = "egress"
	}
	for i, b := range acl.get(key).items() {
		n, ok := b.sub("ruleNo").num()
		r := aclRule{label: fmt.Sprintf("%s %s[%d]", acl.Name, key, i), num: n, egress: egress,
			allow: strings.EqualFold(b.sub("action").str(), "allow"), protocol: b.sub("protocol").str(),
			from: b.sub("fromPort"), to: b.sub("toPort"), unknown: !ok || b.unknown}
		r.cidr = b.sub("cidrBlock").str() + b.sub("ipv6CidrBlock").str()
		r.unknown = r.unknown || b.sub("cidrBlock").unknown || b.sub("action").unknown || b.sub("protocol").unknown
		out = append(out, r)
	}
	for _, x := range p.ofType(awsACLRule) {
		if !refersTo(x, "networkAclId", acl) || x.get("egress").isTrue() != egress {
			continue
		}
		n, ok := x.get("ruleNumber").num()
		r := aclRule{label: x.Name, num: n, egress: egress, allow: strings.EqualFold(x.get("ruleAction").str(), "allow"),
			protocol: x.get("protocol").str(), from: x.get("fromPort"), to: x.get("toPort"), unknown: !ok}
		r.cidr = x.get("cidrBlock").str() + x.get("ipv6CidrBlock").str()
		r.unknown = r.unknown || x.get("cidrBlock").unknown || x.get("ruleAction").unknown || x.get("protocol").unknown
		out = append(out, r)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].num < out[j].num })
	return out
}

// aclDecide walks the entries by rule number: the first whose protocol, port and CIDR match
// decides; past the last, the implicit "*" entry denies.
func aclDecide(rules []aclRule, peer []string, protocol string, port int) (aclRule, bool, string) {
	for _, r := range rules {
		if r.unknown {
			return r, false, r.label
		}
		if !protocolMatches(r.protocol, protocol) {
			continue
		}
		if p := r.protocol; p != "-1" && !strings.EqualFold(p, "all") {
			f, ok1 := r.from.num()
			t, ok2 := r.to.num()
			if !ok1 || !ok2 || port < f || port > t {
				continue
			}
		}
		if r.cidr != "0.0.0.0/0" && !coversAll([]string{r.cidr}, peer) {
			if len(peer) == 0 {
				return r, false, r.label + " (the peer's addresses are unknown)"
			}
			continue
		}
		return r, r.allow, ""
	}
	return aclRule{label: "the implicit deny (*)", num: 32767}, false, ""
}

// awsNACLs checks the network ACLs of the subnets on both ends. ACLs are stateless: the
// request needs outbound on the source's subnets and inbound on the destination's, and the
// reply needs the reverse on the ephemeral ports.
// Source: https://docs.aws.amazon.com/vpc/latest/userguide/vpc-network-acls.html
func (p *plan) awsNACLs(res Result, srcGroups, dstGroups []*Resource) (Result, bool) {
	d := res.Flow
	srcSubnets, dstSubnets := p.awsSubnetsOf(srcGroups), p.awsSubnetsOf(dstGroups)
	cidrs := func(subnets []*Resource, ref Ref) []string {
		out := append([]string(nil), ref.CIDRs...)
		out = append(out, sourceRanges[ref.Source]...)
		for _, s := range subnets {
			if c := s.get("cidrBlock").str(); c != "" {
				out = append(out, c)
			}
		}
		return out
	}
	srcCIDRs, dstCIDRs := cidrs(srcSubnets, d.From), cidrs(dstSubnets, d.To)
	type leg struct {
		subnets []*Resource
		egress  bool
		peer    []string
		ports   []int
		what    string
	}
	legs := []leg{
		{srcSubnets, true, dstCIDRs, []int{d.Port}, "the request out of"},
		{dstSubnets, false, srcCIDRs, []int{d.Port}, "the request into"},
		{dstSubnets, true, srcCIDRs, ephemeral, "the reply out of"},
		{srcSubnets, false, dstCIDRs, ephemeral, "the reply into"},
	}
	same := len(srcSubnets) > 0 && len(dstSubnets) > 0 && names(srcSubnets) == names(dstSubnets)
	var by []string
	for _, l := range legs {
		if same {
			break // traffic within a subnet does not cross its ACL
		}
		for _, sn := range l.subnets {
			for _, acl := range p.aclsOf(sn) {
				for _, port := range l.ports {
					r, ok, unknown := aclDecide(p.aclRules(acl, l.egress), l.peer, d.Protocol, port)
					switch {
					case unknown != "":
						return res.unverified("network ACL entry %s is unknown", unknown), false
					case !ok:
						return res.blocked("network ACL %s of subnet %s blocks %s %s on port %d (%s, rule %d): add an allow entry with a lower rule number (ACLs are stateless: allow the reply on ports 1024-65535 too)",
							acl.Name, sn.Name, l.what, sn.Name, port, r.label, r.num), false
					}
					by = append(by, r.label)
				}
			}
		}
	}
	res.By = append(res.By, by...)
	return res, true
}
