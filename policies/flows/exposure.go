package flows

import (
	"sort"
	"strings"
)

// exposures lists what the internet can reach in the plan.
func (p *plan) exposures() []Exposure {
	out := []Exposure{}
	out = append(out, p.awsExposures()...)
	out = append(out, p.azureExposures()...)
	out = append(out, p.gcpExposures()...)
	out = append(out, p.edgeExposures()...)
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].URN != out[j].URN {
			return out[i].URN < out[j].URN
		}
		return out[i].Via < out[j].Via
	})
	return out
}

func exposureOf(r *Resource) Exposure {
	return Exposure{URN: r.URN, Type: r.Type, Name: r.Name, Ports: []string{}, Sources: []string{}}
}

// awsExposures: security group rules that admit 0.0.0.0/0 or ::/0, reported on what the
// group guards. A load balancer that is a CloudFront origin and admits the internet lets
// anyone skip CloudFront, its WAF and its rate limit.
func (p *plan) awsExposures() []Exposure {
	var out []Exposure
	for _, g := range p.ofType(awsSG) {
		var ports, sources, via []string
		for _, r := range p.awsRules([]*Resource{g}, false) {
			open := false
			for _, c := range r.cidrs {
				if isAnywhere(c) {
					open = true
					sources = append(sources, c)
				}
			}
			if !open {
				continue
			}
			pr, ok := r.ports()
			if ok {
				ports = append(ports, pr.String())
			} else {
				ports = append(ports, "unknown")
			}
			via = append(via, r.label)
		}
		if len(ports) == 0 {
			continue
		}
		guarded := p.attachedTo(g)
		if len(guarded) == 0 {
			guarded = []*Resource{g}
		}
		for _, t := range guarded {
			if (t.Type == awsLB || t.Type == awsALB) && t.get("internal").isTrue() {
				continue
			}
			e := exposureOf(t)
			e.Ports, e.Sources, e.Via = dedupe(ports), dedupe(sources), strings.Join(dedupe(via), ", ")
			switch {
			case t.Type == awsLB || t.Type == awsALB:
				for _, cf := range p.ofType(awsCloudFront) {
					if p.reaches(cf, "origins", t) {
						e.BypassesEdge = true
						e.Reason = "load balancer " + t.Name + " is an origin of CloudFront distribution " + cf.Name +
							" but admits the internet directly: requests can skip CloudFront, its WAF and its rate limit (admit only the CloudFront origin-facing prefix list)"
					}
				}
			case len(p.ofType(awsLB, awsALB, awsCloudFront)) > 0:
				e.BypassesEdge = true
				e.Reason = t.Name + " admits the internet directly, not through the load balancer or CDN in front of it"
			}
			out = append(out, e)
		}
	}
	return out
}

// attachedTo are the resources that use security group g (load balancers, launch templates,
// instances, databases), found through their property dependencies.
func (p *plan) attachedTo(g *Resource) []*Resource {
	var out []*Resource
	for _, r := range p.all {
		if r.Type == awsSG || r.Type == awsIngress || r.Type == awsEgress || r.Type == awsSGRule {
			continue
		}
		if strings.HasPrefix(r.Type, "aws:") && r.Type != "aws:ec2/subnet:Subnet" {
			for _, k := range []string{"securityGroups", "vpcSecurityGroupIds", "networkInterfaces", "securityGroupIds"} {
				if refersTo(r, k, g) {
					out = append(out, r)
					break
				}
			}
		}
	}
	return out
}

func isInternetPrefix(s string) bool {
	return s == "*" || strings.EqualFold(s, "Internet") || strings.EqualFold(s, "Any") || isAnywhere(s)
}

// azureExposures: NSG rules that allow inbound traffic from the internet, reported on what
// sits in the subnets the NSG guards. With Front Door in the plan, a subnet that admits the
// whole internet (not just the AzureFrontDoor.Backend service tag) lets anyone skip it and
// its WAF.
func (p *plan) azureExposures() []Exposure {
	var out []Exposure
	frontDoor := len(p.ofType(azAFDOrigin)) > 0
	for _, nsg := range p.ofType(azNSG) {
		var ports, sources, via []string
		for _, r := range p.nsgRules(nsg) {
			if !r.inbound || !r.allow || strings.HasSuffix(r.label, "(default)") {
				continue
			}
			open := false
			for _, s := range r.sources {
				if isInternetPrefix(s) {
					open = true
					sources = append(sources, s)
				}
			}
			if open {
				ports = append(ports, r.ports...)
				via = append(via, r.label)
			}
		}
		if len(ports) == 0 {
			continue
		}
		var guarded []*Resource
		for _, sn := range p.ofType(azSubnet) {
			if !refersTo(sn, "networkSecurityGroup", nsg) {
				continue
			}
			users := p.usersOfSubnet(sn)
			if len(users) == 0 {
				users = []*Resource{sn}
			}
			guarded = append(guarded, users...)
		}
		if len(guarded) == 0 {
			guarded = []*Resource{nsg}
		}
		for _, t := range guarded {
			e := exposureOf(t)
			e.Ports, e.Sources, e.Via = dedupe(ports), dedupe(sources), strings.Join(dedupe(via), ", ")
			if frontDoor {
				e.BypassesEdge = true
				e.Reason = t.Name + " admits the internet directly while Front Door is in front of it: admit only the AzureFrontDoor.Backend service tag (and check the X-Azure-FDID header)"
			}
			out = append(out, e)
		}
	}
	return out
}

func (p *plan) usersOfSubnet(sn *Resource) []*Resource {
	var out []*Resource
	for _, r := range p.all {
		if r.Type == azAppGW || r.Type == azVMSS || r.Type == "azure-native:network:LoadBalancer" {
			if len(p.depsOfTypeURN(r, "gatewayIPConfigurations", sn.URN)) > 0 || len(p.depsOfTypeURN(r, "virtualMachineProfile", sn.URN)) > 0 ||
				len(p.depsOfTypeURN(r, "frontendIPConfigurations", sn.URN)) > 0 {
				out = append(out, r)
			}
		}
	}
	return out
}

// gcpExposures: external forwarding rules (the edge), firewall rules that admit 0.0.0.0/0 or
// ::/0 to instances, and instance templates with external IPs (both skip the load balancer).
func (p *plan) gcpExposures() []Exposure {
	var out []Exposure
	for _, f := range p.ofType(gcpGFR) {
		s := f.get("loadBalancingScheme").str()
		if s != "EXTERNAL" && s != "EXTERNAL_MANAGED" && s != "" {
			continue
		}
		e := exposureOf(f)
		if pr := f.get("portRange").str(); pr != "" {
			e.Ports = []string{pr}
		} else {
			e.Ports = []string{"all"}
		}
		e.Sources, e.Via = []string{"0.0.0.0/0"}, "external forwarding rule"
		out = append(out, e)
	}
	lb := len(p.ofType(gcpGFR)) > 0
	for _, fw := range p.ofType(gcpFirewall) {
		if strings.EqualFold(fw.get("direction").str(), "EGRESS") || fw.get("disabled").isTrue() {
			continue
		}
		ranges, _ := fw.get("sourceRanges").strs()
		var sources []string
		for _, r := range ranges {
			if isAnywhere(r) {
				sources = append(sources, r)
			}
		}
		if len(sources) == 0 || len(fw.get("allows").items()) == 0 {
			continue
		}
		var ports []string
		for _, b := range fw.get("allows").items() {
			ps, _ := b.sub("ports").strs()
			if len(ps) == 0 {
				ps = []string{"all"}
			}
			ports = append(ports, ps...)
		}
		for _, t := range p.ofType(gcpTemplate) {
			end := p.gcpEnd(Ref{}, []*Resource{t})
			if !p.targets(fw, end) || !p.onNetworkOf(fw, end) {
				continue
			}
			e := exposureOf(t)
			e.Ports, e.Sources, e.Via = dedupe(ports), sources, fw.Name
			if lb {
				e.BypassesEdge = true
				e.Reason = "firewall " + fw.Name + " admits the internet to " + t.Name + " directly, not through the load balancer, Cloud CDN and Cloud Armor"
			}
			out = append(out, e)
		}
	}
	for _, t := range p.ofType(gcpTemplate) {
		for _, ni := range t.get("networkInterfaces").items() {
			if len(ni.sub("accessConfigs").items()) > 0 {
				e := exposureOf(t)
				e.Ports, e.Sources, e.Via = []string{"all (as the firewall allows)"}, []string{"0.0.0.0/0"}, "external IP (accessConfigs)"
				e.BypassesEdge = lb
				if lb {
					e.Reason = t.Name + " has external IPs: its instances are reachable without the load balancer"
				}
				out = append(out, e)
			}
		}
	}
	return out
}

// reaches reports whether r's property key was computed from target, directly or through one
// resource in between (a CloudFront origin is a DNS name whose record aliases the load balancer).
func (p *plan) reaches(r *Resource, key string, target *Resource) bool {
	for _, u := range r.PropertyDependencies[key] {
		if u == target.URN {
			return true
		}
		if mid := p.byURN[u]; mid != nil {
			for _, urns := range mid.PropertyDependencies {
				for _, v := range urns {
					if v == target.URN {
						return true
					}
				}
			}
		}
	}
	return false
}

// onNetworkOf reports whether a firewall may apply to the instances of end: it is on one of
// their networks, or their network is not known from the plan (then the firewall is assumed to
// apply, never silently dropped). A firewall only applies to instances on its own VPC network
// (https://cloud.google.com/firewall/docs/firewalls#specifications).
func (p *plan) onNetworkOf(fw *Resource, end gcpEnd) bool {
	if len(end.networks) == 0 {
		return true
	}
	for _, n := range end.networks {
		if refersTo(fw, "network", n) {
			return true
		}
	}
	return false
}

// The edges the internet is meant to reach: CloudFront distributions and Front Door endpoints
// (Google's external forwarding rules are listed in gcpExposures). They are the front door,
// so they never bypass anything; listing them keeps the exposure table a complete answer to
// "what can the internet reach".
const azAFDEndpoint = "azure-native:cdn:AFDEndpoint"

func (p *plan) edgeExposures() []Exposure {
	var out []Exposure
	for _, cf := range p.ofType(awsCloudFront) {
		e := exposureOf(cf)
		e.Ports, e.Sources, e.Via = []string{"80", "443"}, []string{"0.0.0.0/0", "::/0"}, "CloudFront edge"
		out = append(out, e)
	}
	for _, ep := range p.ofType(azAFDEndpoint) {
		e := exposureOf(ep)
		e.Ports, e.Sources, e.Via = []string{"80", "443"}, []string{"Internet"}, "Front Door edge"
		out = append(out, e)
	}
	return out
}
