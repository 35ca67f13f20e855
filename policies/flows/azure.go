package flows

import (
	"fmt"
	"sort"
	"strings"
)

const (
	azNSG       = "azure-native:network:NetworkSecurityGroup"
	azRule      = "azure-native:network:SecurityRule"
	azSubnet    = "azure-native:network:Subnet"
	azVNet      = "azure-native:network:VirtualNetwork"
	azPeering   = "azure-native:network:VirtualNetworkPeering"
	azZone      = "azure-native:network:PrivateZone"
	azZoneLink  = "azure-native:network:VirtualNetworkLink"
	azVMSS      = "azure-native:compute:VirtualMachineScaleSet"
	azSQLServer = "azure-native:sql:Server"
	azPublicIP  = "azure-native:network:PublicIPAddress"
	azAppGW     = "azure-native:network:ApplicationGateway"
	azAFDOrigin = "azure-native:cdn:AFDOrigin"
)

// nsgRule is one NSG rule, inline or separate, normalised.
type nsgRule struct {
	label    string
	priority int
	inbound  bool
	allow    bool
	protocol string
	sources  []string
	dests    []string
	ports    []string
	unknown  bool
}

// azDefaultRules are the rules every NSG has below the user's (priorities 65000-65500).
// https://learn.microsoft.com/azure/virtual-network/network-security-groups-overview#default-security-rules
var azDefaultRules = []nsgRule{
	{label: "AllowVnetInBound (default)", priority: 65000, inbound: true, allow: true, protocol: "*", sources: []string{"VirtualNetwork"}, dests: []string{"VirtualNetwork"}, ports: []string{"*"}},
	{label: "AllowAzureLoadBalancerInBound (default)", priority: 65001, inbound: true, allow: true, protocol: "*", sources: []string{"AzureLoadBalancer"}, dests: []string{"*"}, ports: []string{"*"}},
	{label: "DenyAllInBound (default)", priority: 65500, inbound: true, protocol: "*", sources: []string{"*"}, dests: []string{"*"}, ports: []string{"*"}},
	{label: "AllowVnetOutBound (default)", priority: 65000, allow: true, protocol: "*", sources: []string{"VirtualNetwork"}, dests: []string{"VirtualNetwork"}, ports: []string{"*"}},
	{label: "AllowInternetOutBound (default)", priority: 65001, allow: true, protocol: "*", sources: []string{"*"}, dests: []string{"Internet"}, ports: []string{"*"}},
	{label: "DenyAllOutBound (default)", priority: 65500, protocol: "*", sources: []string{"*"}, dests: []string{"*"}, ports: []string{"*"}},
}

func readNSGRule(label string, v func(string) val) nsgRule {
	r := nsgRule{label: label}
	pr, ok := v("priority").num()
	r.priority = pr
	r.unknown = !ok
	r.inbound = !strings.EqualFold(v("direction").str(), "Outbound")
	r.allow = strings.EqualFold(v("access").str(), "Allow")
	r.protocol = v("protocol").str()
	for _, k := range []string{"direction", "access", "protocol"} {
		r.unknown = r.unknown || v(k).unknown
	}
	add := func(dst *[]string, keys ...string) {
		for _, k := range keys {
			s, unknown := v(k).strs()
			*dst = append(*dst, s...)
			r.unknown = r.unknown || unknown
		}
	}
	add(&r.sources, "sourceAddressPrefix", "sourceAddressPrefixes")
	add(&r.dests, "destinationAddressPrefix", "destinationAddressPrefixes")
	add(&r.ports, "destinationPortRange", "destinationPortRanges")
	return r
}

// nsgRules are the user rules of nsg (inline and separate) and the defaults, by priority.
func (p *plan) nsgRules(nsg *Resource) []nsgRule {
	var out []nsgRule
	for i, b := range nsg.get("securityRules").items() {
		name := b.sub("name").str()
		if name == "" {
			name = fmt.Sprintf("securityRules[%d]", i)
		}
		out = append(out, readNSGRule(nsg.Name+"/"+name, b.sub))
	}
	for _, x := range p.ofType(azRule) {
		if refersTo(x, "networkSecurityGroupName", nsg) {
			out = append(out, readNSGRule(x.Name, x.get))
		}
	}
	out = append(out, azDefaultRules...)
	sort.SliceStable(out, func(i, j int) bool { return out[i].priority < out[j].priority })
	return out
}

// azEnd is one end of an Azure flow: subnets (with their virtual networks) or a service tag.
type azEnd struct {
	ref      Ref
	subnets  []*Resource
	prefixes []string
	vnets    []*Resource
}

func (p *plan) azEnd(ref Ref, rs []*Resource) azEnd {
	e := azEnd{ref: ref}
	for _, r := range rs {
		switch r.Type {
		case azSubnet:
			e.subnets = append(e.subnets, r)
		case azVNet:
			e.vnets = append(e.vnets, r)
		default:
			e.subnets = append(e.subnets, p.depsOfType(r, "", azSubnet)...)
		}
	}
	for _, s := range e.subnets {
		pf, _ := s.get("addressPrefix").strs()
		e.prefixes = append(e.prefixes, pf...)
		e.vnets = append(e.vnets, p.depsOfType(s, "virtualNetworkName", azVNet)...)
	}
	e.prefixes = append(e.prefixes, ref.CIDRs...)
	return e
}

// matches tells whether an NSG address prefix covers the end; vnetOK says whether the end is
// inside the NSG's virtual network (or one peered with it).
func (e azEnd) matches(prefix string, vnetOK bool) bool {
	switch {
	case prefix == "*" || strings.EqualFold(prefix, "Any") || prefix == "0.0.0.0/0":
		return true
	case strings.EqualFold(prefix, "VirtualNetwork"):
		return len(e.subnets) > 0 && vnetOK
	case strings.EqualFold(prefix, "Internet"):
		return e.ref.Source == Internet || e.ref.Source == AzureFrontDoor // Front Door's back end uses public addresses
	case e.ref.Source != "":
		return strings.EqualFold(prefix, e.ref.Source)
	}
	return coversAll([]string{prefix}, e.prefixes)
}

// decide walks rules by priority: the first that matches the flow decides.
func decide(rules []nsgRule, inbound bool, src, dst azEnd, srcVNetOK, dstVNetOK bool, protocol string, port int) (nsgRule, bool, string) {
	for _, r := range rules {
		if r.inbound != inbound {
			continue
		}
		if r.unknown {
			return r, false, r.label
		}
		if !protocolMatches(r.protocol, protocol) {
			continue
		}
		portOK := false
		for _, pr := range r.ports {
			rg, ok := parsePorts(pr)
			portOK = portOK || ok && rg.has(port)
		}
		srcOK, dstOK := false, false
		for _, s := range r.sources {
			srcOK = srcOK || src.matches(s, srcVNetOK)
		}
		for _, d := range r.dests {
			dstOK = dstOK || dst.matches(d, dstVNetOK)
		}
		if portOK && srcOK && dstOK {
			return r, true, ""
		}
	}
	return nsgRule{}, false, ""
}

// azureNetwork judges a connection through NSGs: the source subnet's NSG must let it out and
// the destination subnet's NSG must let it in, rules taken by priority (the first match wins,
// Deny included, then the default rules), and subnets in different virtual networks need a
// peering each way.
func (p *plan) azureNetwork(res Result, from, to []*Resource) Result {
	d := res.Flow
	src, dst := p.azEnd(d.From, from), p.azEnd(d.To, to)
	if len(dst.subnets) == 0 {
		return res.blocked("%s is in no subnet of the plan", d.To)
	}
	sameNet := true
	if len(src.subnets) > 0 {
		sameNet = p.azConnected(src.vnets, dst.vnets)
		if !sameNet {
			return res.blocked("virtual networks %s and %s are not peered: add a virtualNetworkPeering each way", names(src.vnets), names(dst.vnets))
		}
	}
	var by []string
	check := func(subnets []*Resource, inbound bool) *Result {
		for _, sn := range subnets {
			nsgs := p.depsOfType(sn, "networkSecurityGroup", azNSG)
			if len(nsgs) == 0 {
				if sn.get("networkSecurityGroup").unknown {
					r := res.unverified("the NSG of subnet %s is unknown", sn.Name)
					return &r
				}
				res = res.note("subnet %s has no NSG", sn.Name)
				continue
			}
			for _, nsg := range nsgs {
				rule, ok, unknown := decide(p.nsgRules(nsg), inbound, src, dst, sameNet, sameNet, d.Protocol, d.Port)
				switch {
				case unknown != "":
					r := res.unverified("NSG rule %s is unknown", unknown)
					return &r
				case !ok && rule.label != "":
					dir := "inbound"
					if !inbound {
						dir = "outbound"
					}
					r := res.blocked("NSG %s denies %s %s from %s to %s (rule %s, priority %d): add an Allow rule with a lower priority number",
						nsg.Name, dir, d.Label(), d.From, d.To, rule.label, rule.priority)
					return &r
				case !ok:
					r := res.blocked("NSG %s has no rule for %s from %s", nsg.Name, d.Label(), d.From)
					return &r
				case !rule.allow:
					dir := "inbound"
					if !inbound {
						dir = "outbound"
					}
					r := res.blocked("NSG %s denies %s %s from %s to %s (rule %s, priority %d): add an Allow rule with a lower priority number",
						nsg.Name, dir, d.Label(), d.From, d.To, rule.label, rule.priority)
					return &r
				}
				by = append(by, rule.label)
			}
		}
		return nil
	}
	if r := check(src.subnets, false); r != nil {
		return *r
	}
	if r := check(dst.subnets, true); r != nil {
		return *r
	}
	return res.allowed(by...)
}

// azConnected reports whether every source network is a destination network or peered with it
// both ways.
func (p *plan) azConnected(a, b []*Resource) bool {
	for _, x := range a {
		for _, y := range b {
			if x.URN == y.URN {
				continue
			}
			if !p.azPeered(x, y) || !p.azPeered(y, x) {
				return false
			}
		}
	}
	return true
}

func (p *plan) azPeered(local, remote *Resource) bool {
	for _, pe := range p.ofType(azPeering) {
		if !refersTo(pe, "virtualNetworkName", local) {
			continue
		}
		for _, r := range p.depsOfType(pe, "remoteVirtualNetwork", azVNet) {
			if r.URN == remote.URN && !(pe.get("allowVirtualNetworkAccess").known() && !pe.get("allowVirtualNetworkAccess").isTrue()) {
				return true
			}
		}
	}
	return false
}

// azureResolve judges whether a virtual network resolves a private DNS zone: Azure answers a
// private zone only in the virtual networks linked to it (a virtualNetworkLink).
// https://learn.microsoft.com/azure/dns/private-dns-virtual-network-links
func (p *plan) azureResolve(res Result, from, to []*Resource) Result {
	e := p.azEnd(res.Flow.From, from)
	if len(e.vnets) == 0 {
		return res.blocked("%s is no virtual network of the plan", res.Flow.From)
	}
	var by []string
	for _, zone := range to {
		for _, vnet := range e.vnets {
			found := false
			for _, l := range p.ofType(azZoneLink) {
				if refersTo(l, "privateZoneName", zone) && len(p.depsOfTypeURN(l, "virtualNetwork", vnet.URN)) > 0 {
					found = true
					by = append(by, l.Name)
				}
			}
			if !found {
				return res.blocked("private DNS zone %s is not linked to virtual network %s: add a virtualNetworkLink from the zone to it",
					zone.Name, vnet.Name)
			}
		}
	}
	return res.allowed(by...)
}

func (p *plan) depsOfTypeURN(r *Resource, key, urn string) []string {
	var out []string
	for _, u := range r.PropertyDependencies[key] {
		if u == urn {
			out = append(out, u)
		}
	}
	return out
}

// azureLogin judges whether a scale set can sign in to Azure SQL with Entra ID: the scale set
// needs a managed identity, and the server an Entra administrator. The contained database user
// (CREATE USER ... FROM EXTERNAL PROVIDER) cannot be expressed in ARM: it is noted.
func (p *plan) azureLogin(res Result, from, to []*Resource) Result {
	var sets, servers []*Resource
	for _, r := range from {
		if r.Type == azVMSS {
			sets = append(sets, r)
		}
	}
	for _, r := range to {
		if r.Type == azSQLServer {
			servers = append(servers, r)
		}
	}
	if len(sets) == 0 || len(servers) == 0 {
		return res.blocked("%s must be a VM scale set and %s an Azure SQL server", res.Flow.From, res.Flow.To)
	}
	var by []string
	for _, s := range sets {
		t := s.get("identity.type")
		switch {
		case t.unknown:
			return res.unverified("the identity of scale set %s is unknown", s.Name)
		case !strings.Contains(strings.ToLower(t.str()), "assigned"):
			return res.blocked("scale set %s has no managed identity (identity.type is %q): give it a system- or user-assigned identity so it can sign in to SQL with Entra ID",
				s.Name, t.str())
		}
		by = append(by, s.Name+" identity "+t.str())
	}
	for _, sv := range servers {
		adm := sv.get("administrators")
		switch {
		case adm.unknown:
			return res.unverified("the administrators of SQL server %s are unknown", sv.Name)
		case !adm.sub("login").known() && !adm.sub("sid").known():
			return res.blocked("SQL server %s has no Entra administrator: set administrators (login, sid) so Entra sign-ins are accepted", sv.Name)
		}
		by = append(by, sv.Name+" Entra administrator")
	}
	return res.allowed(by...).note("the database user of the identity is created outside ARM (CREATE USER ... FROM EXTERNAL PROVIDER): see docs/operations.md")
}

const (
	azRoleAssignment = "azure-native:authorization:RoleAssignment"
)

// azurePermission judges whether a scale set's managed identity holds a role on a resource:
// a role assignment whose principalId comes from the scale set (its identity's principal ID),
// whose scope comes from the target resource itself (not a parent such as the account or
// resource group, so the grant is least privilege), and whose roleDefinitionId names the
// role (Permission: the built-in role's GUID).
// https://learn.microsoft.com/azure/role-based-access-control/role-assignments
func (p *plan) azurePermission(res Result, from, to []*Resource) Result {
	role := strings.ToLower(res.Flow.Permission)
	var sets []*Resource
	for _, r := range from {
		if r.Type == azVMSS {
			sets = append(sets, r)
		}
	}
	if len(sets) == 0 {
		return res.blocked("%s is no VM scale set of the plan", res.Flow.From)
	}
	var by []string
	for _, s := range sets {
		for _, t := range to {
			found, unknown := "", ""
			for _, ra := range p.ofType(azRoleAssignment) {
				if !refersTo(ra, "principalId", s) || !refersTo(ra, "scope", t) {
					continue
				}
				def := ra.get("roleDefinitionId")
				switch {
				case def.unknown:
					unknown = ra.Name
				case strings.HasSuffix(strings.ToLower(def.str()), "/"+role):
					found = ra.Name
				}
			}
			switch {
			case found != "":
				by = append(by, found)
			case unknown != "":
				return res.unverified("the role definition of role assignment %s is unknown", unknown)
			default:
				return res.blocked("scale set %s holds no role %s on %s: add a role assignment with the scale set's identity as principalId, %s as scope and that role definition",
					s.Name, res.Flow.Permission, t.Name, t.Name)
			}
		}
	}
	return res.allowed(by...)
}
