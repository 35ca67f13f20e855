package flows

import (
	"fmt"
	"sort"
	"strings"
)

const (
	gcpFirewall   = "gcp:compute/firewall:Firewall"
	gcpTemplate   = "gcp:compute/instanceTemplate:InstanceTemplate"
	gcpNetwork    = "gcp:compute/network:Network"
	gcpSubnet     = "gcp:compute/subnetwork:Subnetwork"
	gcpSA         = "gcp:serviceaccount/account:Account"
	gcpIAMMember  = "gcp:projects/iAMMember:IAMMember"
	gcpIAMBinding = "gcp:projects/iAMBinding:IAMBinding"
	gcpSQL        = "gcp:sql/databaseInstance:DatabaseInstance"
	gcpSQLUser    = "gcp:sql/user:User"
	gcpConnection = "gcp:servicenetworking/connection:Connection"
	gcpGFR        = "gcp:compute/globalForwardingRule:GlobalForwardingRule"
	gcpAddress    = "gcp:compute/globalAddress:GlobalAddress"
	gcpRedis      = "gcp:redis/instance:Instance"
	gcpTopic      = "gcp:pubsub/topic:Topic"
	gcpSub        = "gcp:pubsub/subscription:Subscription"
	gcpSecret     = "gcp:secretmanager/secret:Secret"
)

// gcpResourceIAM are the IAM member types that grant a role on one resource, by the type of
// that resource, with the property that names it.
var gcpResourceIAM = map[string]struct{ typ, key string }{
	gcpTopic:  {"gcp:pubsub/topicIAMMember:TopicIAMMember", "topic"},
	gcpSub:    {"gcp:pubsub/subscriptionIAMMember:SubscriptionIAMMember", "subscription"},
	gcpSecret: {"gcp:secretmanager/secretIamMember:SecretIamMember", "secretId"},
}

// gcpEnd is one end of a GCP flow: instances (their tags, service accounts, networks and
// subnet ranges) or well-known ranges.
type gcpEnd struct {
	ref      Ref
	rs       []*Resource
	tags     []string
	sas      []*Resource
	emails   []string
	networks []*Resource
	ranges   []string
	sql      []*Resource
	redis    []*Resource
}

func (p *plan) gcpEnd(ref Ref, rs []*Resource) gcpEnd {
	e := gcpEnd{ref: ref, rs: rs, ranges: append(append([]string(nil), ref.CIDRs...), sourceRanges[ref.Source]...)}
	for _, r := range rs {
		switch r.Type {
		case gcpTemplate:
			t, _ := r.get("tags").strs()
			e.tags = append(e.tags, t...)
			e.sas = append(e.sas, p.depsOfType(r, "serviceAccount", gcpSA)...)
			if m := r.get("serviceAccount.email").str(); m != "" {
				e.emails = append(e.emails, m)
			}
			e.networks = append(e.networks, p.depsOfType(r, "networkInterfaces", gcpNetwork)...)
			for _, sn := range p.depsOfType(r, "networkInterfaces", gcpSubnet) {
				if c := sn.get("ipCidrRange").str(); c != "" {
					e.ranges = append(e.ranges, c)
				}
				e.networks = append(e.networks, p.depsOfType(sn, "network", gcpNetwork)...)
			}
		case gcpSQL:
			e.sql = append(e.sql, r)
			e.networks = append(e.networks, p.depsOfType(r, "settings", gcpNetwork)...)
			for _, c := range p.depsOfType(r, "settings", gcpConnection) {
				e.networks = append(e.networks, p.depsOfType(c, "network", gcpNetwork)...)
			}
		case gcpRedis:
			// With PRIVATE_SERVICE_ACCESS the instance takes its IP from the private services
			// range of its authorized network's connection.
			e.redis = append(e.redis, r)
			e.networks = append(e.networks, p.depsOfType(r, "authorizedNetwork", gcpNetwork)...)
			for _, c := range p.depsOfType(r, "authorizedNetwork", gcpConnection) {
				e.networks = append(e.networks, p.depsOfType(c, "network", gcpNetwork)...)
				for _, a := range p.depsOfType(c, "reservedPeeringRanges", gcpAddress) {
					ip, n := a.get("address"), a.get("prefixLength")
					if ip.known() && n.known() {
						bits, _ := n.num()
						e.ranges = append(e.ranges, fmt.Sprintf("%s/%d", ip.str(), bits))
					}
				}
			}
		}
	}
	return e
}

// fwRule is one allow or deny block of a firewall, normalised.
type fwRule struct {
	fw       *Resource
	priority int
	deny     bool
	egress   bool
	protocol string
	ports    []string
}

// gcpFirewallsFor are the enabled firewall blocks on the networks, ordered as GCP applies
// them: lower priority number first, deny before allow at the same priority.
// https://cloud.google.com/firewall/docs/firewalls#priority_order_for_firewall_rules
func (p *plan) gcpFirewallsFor(networks []*Resource, egress bool) (out []fwRule, unknown string) {
	for _, fw := range p.ofType(gcpFirewall) {
		onNet := false
		for _, n := range networks {
			onNet = onNet || refersTo(fw, "network", n)
		}
		if !onNet {
			continue
		}
		if fw.get("disabled").isTrue() {
			continue
		}
		dir := fw.get("direction")
		if dir.unknown {
			unknown = fw.Name
			continue
		}
		if strings.EqualFold(dir.str(), "EGRESS") != egress {
			continue
		}
		prio := 1000
		if v := fw.get("priority"); v.known() {
			prio, _ = v.num()
		}
		for _, k := range []string{"allows", "denies"} {
			for _, b := range fw.get(k).items() {
				ports, _ := b.sub("ports").strs()
				out = append(out, fwRule{fw: fw, priority: prio, deny: k == "denies", egress: egress,
					protocol: b.sub("protocol").str(), ports: ports})
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].priority != out[j].priority {
			return out[i].priority < out[j].priority
		}
		return out[i].deny && !out[j].deny
	})
	return out, unknown
}

func (r fwRule) hasPort(protocol string, port int) bool {
	if !protocolMatches(r.protocol, protocol) {
		return false
	}
	if len(r.ports) == 0 {
		return true
	}
	for _, s := range r.ports {
		if pr, ok := parsePorts(s); ok && pr.has(port) {
			return true
		}
	}
	return false
}

// targets reports whether a firewall applies to the instances of e: no targets means every
// instance of the network; otherwise a target tag the instances carry, or their service account.
func (p *plan) targets(fw *Resource, e gcpEnd) bool {
	tags, _ := fw.get("targetTags").strs()
	sas, _ := fw.get("targetServiceAccounts").strs()
	if len(tags) == 0 && len(sas) == 0 && len(fw.PropertyDependencies["targetServiceAccounts"]) == 0 {
		return true
	}
	return intersects(tags, e.tags) || intersects(sas, e.emails) || p.saRefers(fw, "targetServiceAccounts", e.sas)
}

// sourceMatches reports whether an ingress firewall admits the source end.
func (p *plan) sourceMatches(fw *Resource, src gcpEnd) (bool, bool) {
	ranges, ru := fw.get("sourceRanges").strs()
	tags, _ := fw.get("sourceTags").strs()
	sas, _ := fw.get("sourceServiceAccounts").strs()
	if coversAll(ranges, src.ranges) {
		return true, false
	}
	for _, r := range ranges {
		if r == "0.0.0.0/0" && len(src.rs) > 0 {
			return true, false
		}
	}
	if intersects(tags, src.tags) || intersects(sas, src.emails) || p.saRefers(fw, "sourceServiceAccounts", src.sas) {
		return true, false
	}
	return false, ru
}

func (p *plan) saRefers(r *Resource, key string, sas []*Resource) bool {
	for _, sa := range sas {
		if refersTo(r, key, sa) {
			return true
		}
	}
	return false
}

func intersects(a, b []string) bool {
	for _, x := range a {
		for _, y := range b {
			if x == y {
				return true
			}
		}
	}
	return false
}

// gcpNetwork judges a connection through VPC firewall rules: ingress rules on the destination
// instances (by target tag or target service account, lowest priority number first, deny
// winning ties, the implied deny-all ingress last), egress rules on the source (implied
// allow-all egress last), and for Cloud SQL a private IP on the source's network.
func (p *plan) gcpNetwork(res Result, from, to []*Resource) Result {
	d := res.Flow
	src, dst := p.gcpEnd(d.From, from), p.gcpEnd(d.To, to)
	var by []string
	if len(dst.sql) > 0 {
		for _, db := range dst.sql {
			pn := db.get("settings.ipConfiguration.privateNetwork")
			if !pn.present {
				return res.blocked("Cloud SQL instance %s has no private IP (settings.ipConfiguration.privateNetwork): connect it to the network of %s", db.Name, d.From)
			}
			if len(src.networks) > 0 && len(dst.networks) > 0 && !sameAny(src.networks, dst.networks) {
				return res.blocked("Cloud SQL instance %s has its private IP on %s, not on %s's network %s", db.Name, names(dst.networks), d.From, names(src.networks))
			}
			by = append(by, db.Name+" private IP")
		}
		res = res.note("Cloud SQL private IPs are not behind the VPC's ingress firewall rules; only the source's egress rules apply")
	} else if len(dst.redis) > 0 {
		for _, ri := range dst.redis {
			if blocked, why := redisRefuses(ri, src, dst, d); blocked {
				return res.blocked("%s", why)
			}
			by = append(by, ri.Name+" private IP")
		}
		res = res.note("Memorystore lives in Google's producer network, not behind the VPC's ingress firewall rules; only the source's egress rules apply")
	} else {
		rules, unknown := p.gcpFirewallsFor(dst.networks, false)
		decided := false
		for _, r := range rules {
			if !r.hasPort(d.Protocol, d.Port) || !p.targets(r.fw, dst) {
				continue
			}
			ok, rangesUnknown := p.sourceMatches(r.fw, src)
			if rangesUnknown && !ok {
				return res.unverified("the source ranges of firewall %s are unknown", r.fw.Name)
			}
			if !ok {
				continue
			}
			if r.deny {
				return res.blocked("firewall %s (priority %d) denies %s from %s to %s: give the allow rule a lower priority number or narrow the deny",
					r.fw.Name, r.priority, d.Label(), d.From, d.To)
			}
			by, decided = append(by, r.fw.Name), true
			break
		}
		if !decided {
			if unknown != "" {
				return res.unverified("the direction of firewall %s is unknown", unknown)
			}
			return res.blocked("no firewall rule admits %s from %s to %s (GCP denies ingress by default): add an INGRESS rule that targets %s",
				d.Label(), d.From, d.To, targetWords(dst))
		}
	}
	if len(src.rs) > 0 {
		rules, _ := p.gcpFirewallsFor(src.networks, true)
		for _, r := range rules {
			if !r.hasPort(d.Protocol, d.Port) || !p.targets(r.fw, src) {
				continue
			}
			dr, _ := r.fw.get("destinationRanges").strs()
			if !coversAll(dr, dst.ranges) && !contains(dr, "0.0.0.0/0") {
				continue
			}
			if r.deny {
				return res.blocked("egress firewall %s (priority %d) denies %s from %s", r.fw.Name, r.priority, d.Label(), d.From)
			}
			by = append(by, r.fw.Name)
			break
		}
	}
	return res.allowed(by...)
}

// redisRefuses judges a connection to a Memorystore for Redis instance: it has only a private
// IP on its authorized network, and listens on 6378 with in-transit encryption
// (SERVER_AUTHENTICATION), 6379 without
// (https://cloud.google.com/memorystore/docs/redis/about-in-transit-encryption).
func redisRefuses(ri *Resource, src, dst gcpEnd, d Declared) (bool, string) {
	if len(src.rs) == 0 {
		return true, fmt.Sprintf("Memorystore instance %s has only a private IP on its authorized network: %s outside the VPC cannot reach it", ri.Name, d.From)
	}
	if len(dst.networks) == 0 {
		return true, fmt.Sprintf("Memorystore instance %s has no authorized network in the plan", ri.Name)
	}
	if len(src.networks) > 0 && !sameAny(src.networks, dst.networks) {
		return true, fmt.Sprintf("Memorystore instance %s is on %s, not on %s's network %s", ri.Name, names(dst.networks), d.From, names(src.networks))
	}
	port := 6379
	if m := ri.get("transitEncryptionMode"); m.known() && m.str() == "SERVER_AUTHENTICATION" {
		port = 6378
	}
	if d.Port != port {
		return true, fmt.Sprintf("Memorystore instance %s listens on %d (transitEncryptionMode %q), not %d", ri.Name, port, ri.get("transitEncryptionMode").str(), d.Port)
	}
	return false, ""
}

func targetWords(e gcpEnd) string {
	if len(e.tags) > 0 {
		return "tag " + strings.Join(e.tags, ", ")
	}
	if len(e.sas) > 0 {
		return "service account " + names(e.sas)
	}
	return e.ref.String()
}

func sameAny(a, b []*Resource) bool {
	for _, x := range a {
		for _, y := range b {
			if x.URN == y.URN {
				return true
			}
		}
	}
	return false
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// gcpAccounts maps an endpoint to service accounts: an account itself, or the accounts an
// instance template runs as.
func (p *plan) gcpAccounts(rs []*Resource) []*Resource {
	var out []*Resource
	for _, r := range rs {
		if r.Type == gcpSA {
			out = append(out, r)
		} else {
			out = append(out, p.depsOfType(r, "", gcpSA)...)
		}
	}
	return out
}

// gcpHasRole finds the project IAM member or binding that grants role to one of sas.
func (p *plan) gcpHasRole(sas []*Resource, role string) (string, bool) {
	for _, m := range p.ofType(gcpIAMMember, gcpIAMBinding) {
		r := m.get("role")
		if r.unknown {
			return m.Name, true
		}
		if r.str() != role {
			continue
		}
		key := "member"
		if m.Type == gcpIAMBinding {
			key = "members"
		}
		for _, sa := range sas {
			if refersTo(m, key, sa) {
				return m.Name, false
			}
			email := sa.get("email").str()
			if ms, _ := m.get(key).strs(); email != "" && contains(ms, "serviceAccount:"+email) {
				return m.Name, false
			}
		}
	}
	return "", false
}

// gcpPermission judges whether a service account holds a role: on the resource itself when
// To is a Pub/Sub topic or subscription or a Secret Manager secret (its IAMMember naming that
// resource, the role and the account), or else on the project (a projects IAMMember or
// IAMBinding).
func (p *plan) gcpPermission(res Result, from, to []*Resource) Result {
	sas := p.gcpAccounts(from)
	if len(sas) == 0 {
		return res.blocked("%s has no service account in the plan", res.Flow.From)
	}
	for _, t := range to {
		iam, ok := gcpResourceIAM[t.Type]
		if !ok {
			continue
		}
		for _, m := range p.ofType(iam.typ) {
			role := m.get("role")
			if !refersTo(m, iam.key, t) {
				continue
			}
			if role.unknown {
				return res.unverified("the role of IAM member %s is unknown", m.Name)
			}
			if role.str() != res.Flow.Permission {
				continue
			}
			for _, sa := range sas {
				if refersTo(m, "member", sa) {
					return res.allowed(m.Name)
				}
			}
		}
	}
	by, unknown := p.gcpHasRole(sas, res.Flow.Permission)
	switch {
	case by != "" && !unknown:
		return res.allowed(by)
	case unknown:
		return res.unverified("the role of IAM member %s is unknown", by)
	}
	if len(to) == 1 {
		if iam, ok := gcpResourceIAM[to[0].Type]; ok {
			return res.blocked("service account %s lacks %s on %s: add a %s with role %s, %s %s and member serviceAccount:<its email>",
				names(sas), res.Flow.Permission, to[0].Name, iam.typ, res.Flow.Permission, iam.key, to[0].Name)
		}
	}
	return res.blocked("service account %s lacks %s on the project: add a projects IAMMember with role %s and member serviceAccount:<its email>",
		names(sas), res.Flow.Permission, res.Flow.Permission)
}

// gcpLogin judges whether a service account can sign in to Cloud SQL with IAM database
// authentication: the instance has the cloudsql.iam_authentication flag on, a
// CLOUD_IAM_SERVICE_ACCOUNT user exists for the account on the instance, and the account holds
// roles/cloudsql.instanceUser and roles/cloudsql.client.
// https://cloud.google.com/sql/docs/postgres/iam-logins
func (p *plan) gcpLogin(res Result, from, to []*Resource) Result {
	sas := p.gcpAccounts(from)
	if len(sas) == 0 {
		return res.blocked("%s has no service account in the plan", res.Flow.From)
	}
	var by []string
	for _, db := range to {
		if db.Type != gcpSQL {
			continue
		}
		flagOn := false
		for _, f := range db.get("settings.databaseFlags").items() {
			if f.sub("name").str() == "cloudsql.iam_authentication" && f.sub("value").str() == "on" {
				flagOn = true
			}
		}
		if !flagOn {
			return res.blocked("Cloud SQL instance %s does not have the database flag cloudsql.iam_authentication=on", db.Name)
		}
		user := ""
		for _, u := range p.ofType(gcpSQLUser) {
			if u.get("type").str() != "CLOUD_IAM_SERVICE_ACCOUNT" || !refersTo(u, "instance", db) {
				continue
			}
			for _, sa := range sas {
				if refersTo(u, "name", sa) {
					user = u.Name
				}
			}
		}
		if user == "" {
			return res.blocked("Cloud SQL instance %s has no IAM database user for service account %s: add a sql User of type CLOUD_IAM_SERVICE_ACCOUNT named after its email (without .gserviceaccount.com)",
				db.Name, names(sas))
		}
		by = append(by, user)
	}
	for _, role := range []string{"roles/cloudsql.instanceUser", "roles/cloudsql.client"} {
		m, unknown := p.gcpHasRole(sas, role)
		switch {
		case unknown:
			return res.unverified("the role of IAM member %s is unknown", m)
		case m == "":
			return res.blocked("service account %s lacks %s: add a projects IAMMember with that role", names(sas), role)
		}
		by = append(by, m)
	}
	return res.allowed(by...)
}
