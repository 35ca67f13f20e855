package flows

import (
	"fmt"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/property"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// unknown marks a value that is not known until apply.
var unknown = struct{}{}

func pv(v any) property.Value {
	switch t := v.(type) {
	case nil:
		return property.Value{}
	case struct{}:
		return property.New(property.Computed)
	case string:
		return property.New(t)
	case int:
		return property.New(float64(t))
	case bool:
		return property.New(t)
	case []any:
		out := make([]property.Value, len(t))
		for i, x := range t {
			out[i] = pv(x)
		}
		return property.New(out)
	case map[string]any:
		return property.New(props(t))
	}
	panic("pv: unsupported value")
}

func props(m map[string]any) property.Map {
	out := map[string]property.Value{}
	for k, v := range m {
		out[k] = pv(v)
	}
	return property.NewMap(out)
}

type deps map[string][]*Resource

// res makes a plan resource; deps name the resources whose outputs flowed into a property.
func res(typ, name string, in map[string]any, d deps) Resource {
	r := Resource{URN: "urn:pulumi:dev::p::" + typ + "::" + name, Type: typ, Name: name, Properties: props(in)}
	if len(d) > 0 {
		r.PropertyDependencies = map[string][]string{}
		for k, rs := range d {
			for _, x := range rs {
				r.PropertyDependencies[k] = append(r.PropertyDependencies[k], x.URN)
			}
		}
	}
	return r
}

// component declares flows, as Declare registers them in its outputs.
func component(fs ...Declared) Resource {
	vs := make([]property.Value, len(fs))
	for i, f := range fs {
		vs[i] = encode(f)
	}
	return Resource{URN: "urn:pulumi:dev::p::scalestack:test:App::app", Type: "scalestack:test:App", Name: "app",
		Outputs: property.NewMap(map[string]property.Value{OutputKey: property.New(vs)})}
}

func ref(r *Resource) Ref { return Ref{URN: r.URN} }

// only evaluates a plan holding one declared flow and returns its result.
func only(t *testing.T, f Declared, rs ...Resource) Result {
	t.Helper()
	rep := Evaluate(append(rs, component(f)))
	if len(rep.Flows) != 1 {
		t.Fatalf("want 1 flow, got %d", len(rep.Flows))
	}
	return rep.Flows[0]
}

func want(t *testing.T, got Result, v Verdict, words string) {
	t.Helper()
	if got.Verdict != v || !strings.Contains(got.Reason, words) {
		t.Fatalf("want %s with %q, got %s: %s (by %v)", v, words, got.Verdict, got.Reason, got.By)
	}
}

func tcp(name string, from, to Ref, port int) Declared {
	return Declared{Name: name, Kind: Network, From: from, To: to, Protocol: "tcp", Port: port}
}

// awsPair is a web group and a database group whose ingress admits the web group on 5432.
func awsPair() (web, db Resource, in Resource) {
	web = res(awsSG, "web", map[string]any{"vpcId": "vpc-1"}, nil)
	db = res(awsSG, "db", map[string]any{"vpcId": "vpc-1"}, nil)
	in = res(awsIngress, "db-from-web", map[string]any{"securityGroupId": unknown, "referencedSecurityGroupId": unknown,
		"ipProtocol": "tcp", "fromPort": 5432, "toPort": 5432}, deps{"securityGroupId": {&db}, "referencedSecurityGroupId": {&web}})
	return
}

func egressRule(name string, from *Resource, in map[string]any, d deps) Resource {
	if d == nil {
		d = deps{}
	}
	d["securityGroupId"] = []*Resource{from}
	in["securityGroupId"] = unknown
	return res(awsEgress, name, in, d)
}

// Rule: the Terraform AWS provider removes the default allow-all egress rule from every
// security group it creates, so a group with no egress rule sends nothing.
// Source: terraform-provider-aws internal/service/ec2/vpc_security_group.go (resourceSecurityGroupCreate
// revokes the default egress rule); https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/security_group
func TestAWSGroupWithoutEgressRuleSendsNothing(t *testing.T) {
	web, db, in := awsPair()
	f := tcp("web → database", ref(&web), ref(&db), 5432)
	want(t, only(t, f, web, db, in), Blocked, "has no egress rule for tcp/5432")

	out := egressRule("web-to-db", &web, map[string]any{"referencedSecurityGroupId": unknown, "ipProtocol": "tcp", "fromPort": 5432, "toPort": 5432},
		deps{"referencedSecurityGroupId": {&db}})
	got := only(t, f, web, db, in, out)
	if got.Verdict != Allowed || strings.Join(got.By, ",") != "db-from-web,web-to-db" {
		t.Fatalf("want ALLOWED by db-from-web,web-to-db, got %s %v %s", got.Verdict, got.By, got.Reason)
	}
}

// Rule: an ingress rule admits only the group it references.
func TestAWSIngressFromTheWrongGroupIsBlocked(t *testing.T) {
	web, db, _ := awsPair()
	other := res(awsSG, "other", nil, nil)
	in := res(awsIngress, "db-from-other", map[string]any{"ipProtocol": "tcp", "fromPort": 5432, "toPort": 5432},
		deps{"securityGroupId": {&db}, "referencedSecurityGroupId": {&other}})
	want(t, only(t, tcp("web → database", ref(&web), ref(&db), 5432), web, db, other, in), Blocked, "security group db admits no tcp/5432 from web")
}

// Rule: a CIDR rule admits the addresses it covers; a group reference admits the group's
// members wherever they are. An IPv6-only range admits no IPv4 peer.
func TestAWSCIDRAndGroupReferencesAndIPv6(t *testing.T) {
	web, db, in := awsPair()
	to := Ref{URN: db.URN, CIDRs: []string{"10.0.20.0/24"}}
	f := tcp("web → database", ref(&web), to, 5432)
	cases := []struct {
		cidr, cidr6 any
		verdict     Verdict
	}{
		{"10.0.0.0/16", nil, Allowed},
		{"10.1.0.0/16", nil, Blocked},
		{"0.0.0.0/0", nil, Allowed},
		{nil, "::/0", Blocked},
	}
	for _, c := range cases {
		out := egressRule("web-out", &web, map[string]any{"ipProtocol": "tcp", "fromPort": 5432, "toPort": 5432, "cidrIpv4": c.cidr, "cidrIpv6": c.cidr6}, nil)
		if got := only(t, f, web, db, in, out); got.Verdict != c.verdict {
			t.Errorf("egress to %v %v: want %s, got %s: %s", c.cidr, c.cidr6, c.verdict, got.Verdict, got.Reason)
		}
	}
	// A narrow CIDR rule without the peer's declared addresses cannot be judged.
	out := egressRule("web-out", &web, map[string]any{"ipProtocol": "tcp", "fromPort": 5432, "toPort": 5432, "cidrIpv4": "10.0.0.0/16"}, nil)
	want(t, only(t, tcp("web → database", ref(&web), ref(&db), 5432), web, db, in, out), Unverified, "does not declare the addresses")
}

// Rule: port ranges are inclusive; protocol "-1" means every protocol and port (AWS ignores
// the ports). Source: https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html
func TestAWSPortRangesAndAllProtocolRules(t *testing.T) {
	web, db, in := awsPair()
	f := tcp("web → database", ref(&web), ref(&db), 5432)
	for _, c := range []struct {
		proto    string
		from, to int
		verdict  Verdict
	}{
		{"tcp", 5000, 6000, Allowed},
		{"tcp", 80, 443, Blocked},
		{"udp", 5432, 5432, Blocked},
		{"-1", 0, 0, Allowed},
		{"6", 5432, 5432, Allowed},
	} {
		out := egressRule("web-out", &web, map[string]any{"ipProtocol": c.proto, "fromPort": c.from, "toPort": c.to, "referencedSecurityGroupId": "sg-db"},
			deps{"referencedSecurityGroupId": {&db}})
		if got := only(t, f, web, db, in, out); got.Verdict != c.verdict {
			t.Errorf("%s %d-%d: want %s, got %s: %s", c.proto, c.from, c.to, c.verdict, got.Verdict, got.Reason)
		}
	}
}

// Rule: rules count wherever they are declared: inline ingress/egress blocks of the group,
// aws_vpc_security_group_*_rule resources and aws_security_group_rule resources.
func TestAWSSeparateAndInlineRules(t *testing.T) {
	web := res(awsSG, "web", map[string]any{"egress": []any{map[string]any{"protocol": "tcp", "fromPort": 5432, "toPort": 5432, "securityGroups": []any{unknown}}}}, nil)
	db := res(awsSG, "db", nil, nil)
	web.PropertyDependencies = map[string][]string{"egress": {db.URN}}
	legacy := res(awsSGRule, "db-in", map[string]any{"type": "ingress", "protocol": "tcp", "fromPort": 5432, "toPort": 5432, "sourceSecurityGroupId": unknown},
		deps{"securityGroupId": {&db}, "sourceSecurityGroupId": {&web}})
	got := only(t, tcp("web → database", ref(&web), ref(&db), 5432), web, db, legacy)
	if got.Verdict != Allowed || strings.Join(got.By, ",") != "db-in,web egress[0]" {
		t.Fatalf("want ALLOWED by db-in and web egress[0], got %s %v %s", got.Verdict, got.By, got.Reason)
	}
	// An egress aws_security_group_rule does not admit anything in.
	legacy = res(awsSGRule, "db-in", map[string]any{"type": "egress", "protocol": "tcp", "fromPort": 5432, "toPort": 5432},
		deps{"securityGroupId": {&db}, "sourceSecurityGroupId": {&web}})
	want(t, only(t, tcp("web → database", ref(&web), ref(&db), 5432), web, db, legacy), Blocked, "admits no tcp/5432")
}

// Rule: a value that decides the verdict and is unknown at preview gives "cannot verify",
// never a pass.
func TestUnknownRuleIsCannotVerify(t *testing.T) {
	web, db, _ := awsPair()
	in := res(awsIngress, "db-in", map[string]any{"ipProtocol": unknown, "fromPort": 5432, "toPort": 5432},
		deps{"securityGroupId": {&db}, "referencedSecurityGroupId": {&web}})
	want(t, only(t, tcp("web → database", ref(&web), ref(&db), 5432), web, db, in), Unverified, "cannot verify during preview")
}

// Rule: CloudFront reaches an origin through the origin-facing managed prefix list; an ALB
// admitting 0.0.0.0/0 also lets CloudFront in but is an exposure that bypasses the edge.
func TestAWSCloudFrontToLoadBalancerAndBypass(t *testing.T) {
	sg := res(awsSG, "lb", nil, nil)
	lb := res(awsLB, "lb", map[string]any{"internal": false}, deps{"securityGroups": {&sg}})
	cf := res(awsCloudFront, "cdn", nil, deps{"origins": {&lb}})
	open := res(awsIngress, "lb-https-any", map[string]any{"ipProtocol": "tcp", "fromPort": 443, "toPort": 443, "cidrIpv4": "0.0.0.0/0"}, deps{"securityGroupId": {&sg}})
	f := tcp("CDN → load balancer", Ref{Source: CloudFront}, ref(&lb), 443)
	rs := []Resource{sg, lb, cf, open, component(f)}
	rep := Evaluate(rs)
	if rep.Flows[0].Verdict != Allowed {
		t.Fatalf("want ALLOWED, got %+v", rep.Flows[0])
	}
	// The distribution itself is listed as the edge (never a bypass), the open ALB as a bypass.
	if len(rep.Exposures) != 2 || rep.Exposures[0].Name != "cdn" || rep.Exposures[0].BypassesEdge ||
		!rep.Exposures[1].BypassesEdge || rep.Exposures[1].Name != "lb" || !strings.Contains(rep.Exposures[1].Reason, "skip CloudFront") {
		t.Fatalf("want the edge, and the load balancer exposed bypassing CloudFront; got %+v", rep.Exposures)
	}
	pl := res(awsIngress, "lb-https-cf", map[string]any{"ipProtocol": "tcp", "fromPort": 443, "toPort": 443, "prefixListId": "pl-3b927c52"}, deps{"securityGroupId": {&sg}})
	rep = Evaluate([]Resource{sg, lb, cf, pl, component(f)})
	if rep.Flows[0].Verdict != Allowed || len(rep.Exposures) != 1 || rep.Exposures[0].Name != "cdn" {
		t.Fatalf("prefix list: want ALLOWED and only the edge exposed, got %+v %+v", rep.Flows[0], rep.Exposures)
	}
}

// Rule: an IAM role reads a secret only with an Allow statement for the action on "*" or on
// the secret's ARN; an explicit Deny wins.
func TestAWSRoleWithoutSecretReadIsBlocked(t *testing.T) {
	role := res(awsRole, "web", nil, nil)
	db := res(awsRDS, "db", map[string]any{"manageMasterUserPassword": true}, nil)
	f := Declared{Name: "web → database secret", Kind: Permission, From: ref(&role), To: ref(&db), Permission: "secretsmanager:GetSecretValue"}
	want(t, only(t, f, role, db), Blocked, "has no policy that allows secretsmanager:GetSecretValue")

	pol := res(awsRolePolicy, "web-secret", map[string]any{"role": unknown,
		"policy": `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["secretsmanager:GetSecretValue"],"Resource":"arn:aws:secretsmanager:us-east-1:1:secret:rds!db-1"}]}`},
		deps{"role": {&role}, "policy": {&db}})
	if got := only(t, f, role, db, pol); got.Verdict != Allowed {
		t.Fatalf("want ALLOWED, got %+v", got)
	}
	wrong := res(awsRolePolicy, "web-secret", map[string]any{"policy": `{"Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}}`},
		deps{"role": {&role}})
	want(t, only(t, f, role, db, wrong), Blocked, "has no policy")
	later := res(awsRolePolicy, "web-secret", map[string]any{"policy": unknown}, deps{"role": {&role}})
	want(t, only(t, f, role, db, later), Unverified, "policy document of web-secret is unknown")
}

func azNet(name, prefix string, vnet *Resource, nsg *Resource) Resource {
	d := deps{"virtualNetworkName": {vnet}}
	if nsg != nil {
		d["networkSecurityGroup"] = []*Resource{nsg}
	}
	return res(azSubnet, name, map[string]any{"addressPrefix": prefix, "networkSecurityGroup": map[string]any{"id": unknown}}, d)
}

func inboundRule(name string, prio int, access, src, port string) map[string]any {
	return map[string]any{"name": name, "priority": prio, "direction": "Inbound", "access": access, "protocol": "Tcp",
		"sourceAddressPrefix": src, "destinationAddressPrefix": "*", "destinationPortRange": port, "sourcePortRange": "*"}
}

// Rule: NSG rules apply by priority, lowest number first, and the first match (Allow or
// Deny) decides; below them the default rules allow the virtual network and deny the rest.
// Source: https://learn.microsoft.com/azure/virtual-network/network-security-groups-overview#security-rules
func TestAzureNSGPrioritiesAndDenyRules(t *testing.T) {
	vnet := res(azVNet, "vnet", nil, nil)
	free := res(azNSG, "web-nsg", nil, nil)
	web := azNet("web", "10.0.1.0/24", &vnet, &free)
	for _, c := range []struct {
		rules   []any
		verdict Verdict
		words   string
	}{
		{[]any{inboundRule("deny-vnet", 100, "Deny", "VirtualNetwork", "*"), inboundRule("allow-sql", 200, "Allow", "10.0.1.0/24", "1433")}, Blocked, "rule data-nsg/deny-vnet, priority 100"},
		{[]any{inboundRule("allow-sql", 100, "Allow", "10.0.1.0/24", "1433"), inboundRule("deny-vnet", 4000, "Deny", "VirtualNetwork", "*")}, Allowed, ""},
		{[]any{inboundRule("allow-sql", 100, "Allow", "10.0.9.0/24", "1433"), inboundRule("deny-vnet", 4000, "Deny", "VirtualNetwork", "*")}, Blocked, "deny-vnet"},
		{nil, Allowed, ""}, // AllowVnetInBound (default)
		{[]any{inboundRule("allow-sql", 100, "Allow", "10.0.1.0/24", "1400-1500")}, Allowed, ""},
	} {
		nsg := res(azNSG, "data-nsg", map[string]any{"securityRules": c.rules}, nil)
		data := azNet("data", "10.0.2.0/24", &vnet, &nsg)
		got := only(t, tcp("web → sql", ref(&web), ref(&data), 1433), vnet, free, web, nsg, data)
		if got.Verdict != c.verdict || !strings.Contains(got.Reason, c.words) {
			t.Errorf("rules %v: want %s %q, got %s: %s", c.rules, c.verdict, c.words, got.Verdict, got.Reason)
		}
	}
	// Internet traffic meets DenyAllInBound unless a rule admits it; a separate SecurityRule counts.
	nsg := res(azNSG, "gw-nsg", nil, nil)
	gw := azNet("gw", "10.0.0.0/24", &vnet, &nsg)
	f := tcp("Front Door → gateway", Ref{Source: AzureFrontDoor}, ref(&gw), 443)
	want(t, only(t, f, vnet, nsg, gw), Blocked, "DenyAllInBound")
	sep := res(azRule, "allow-fd", inboundRule("allow-fd", 100, "Allow", "AzureFrontDoor.Backend", "443"), deps{"networkSecurityGroupName": {&nsg}})
	if got := only(t, f, vnet, nsg, gw, sep); got.Verdict != Allowed {
		t.Fatalf("want ALLOWED by the separate rule, got %+v", got)
	}
}

// Rule: subnets of different virtual networks talk only through a peering each way.
// Source: https://learn.microsoft.com/azure/virtual-network/virtual-network-peering-overview
func TestAzureVirtualNetworksWithoutPeeringAreBlocked(t *testing.T) {
	a, b := res(azVNet, "east", nil, nil), res(azVNet, "west", nil, nil)
	web, data := azNet("web", "10.0.1.0/24", &a, nil), azNet("data", "10.1.2.0/24", &b, nil)
	f := tcp("secondary web → primary sql", ref(&web), ref(&data), 1433)
	want(t, only(t, f, a, b, web, data), Blocked, "are not peered")
	ab := res(azPeering, "east-west", nil, deps{"virtualNetworkName": {&a}, "remoteVirtualNetwork": {&b}})
	want(t, only(t, f, a, b, web, data, ab), Blocked, "are not peered")
	ba := res(azPeering, "west-east", nil, deps{"virtualNetworkName": {&b}, "remoteVirtualNetwork": {&a}})
	if got := only(t, f, a, b, web, data, ab, ba); got.Verdict != Allowed {
		t.Fatalf("want ALLOWED with peerings both ways, got %+v", got)
	}
}

// Rule: a private DNS zone answers only in the virtual networks linked to it.
// Source: https://learn.microsoft.com/azure/dns/private-dns-virtual-network-links
func TestAzurePrivateZoneNotLinkedIsBlocked(t *testing.T) {
	vnet := res(azVNet, "west", nil, nil)
	zone := res(azZone, "sql-zone", nil, nil)
	f := Declared{Name: "secondary resolves SQL", Kind: Resolve, From: ref(&vnet), To: ref(&zone)}
	want(t, only(t, f, vnet, zone), Blocked, "private DNS zone sql-zone is not linked to virtual network west")
	link := res(azZoneLink, "sql-zone-west", nil, deps{"privateZoneName": {&zone}, "virtualNetwork": {&vnet}})
	if got := only(t, f, vnet, zone, link); got.Verdict != Allowed {
		t.Fatalf("want ALLOWED, got %+v", got)
	}
}

// Rule: an app signs in to Entra-only Azure SQL with a managed identity.
// Source: https://learn.microsoft.com/azure/azure-sql/database/authentication-azure-ad-only-authentication
func TestAzureScaleSetWithoutIdentityCannotSignIn(t *testing.T) {
	vmss := res(azVMSS, "web", nil, nil)
	sql := res(azSQLServer, "sql", map[string]any{"administrators": map[string]any{"azureADOnlyAuthentication": true, "login": "ops", "sid": "x"}}, nil)
	f := Declared{Name: "web → SQL sign-in", Kind: Login, From: ref(&vmss), To: ref(&sql)}
	want(t, only(t, f, vmss, sql), Blocked, "has no managed identity")
	vmss = res(azVMSS, "web", map[string]any{"identity": map[string]any{"type": "SystemAssigned"}}, nil)
	got := only(t, f, vmss, sql)
	if got.Verdict != Allowed || len(got.Notes) == 0 {
		t.Fatalf("want ALLOWED with the database-user note, got %+v", got)
	}
}

func gcpPlan(fwIn map[string]any, fwDeps deps) []Resource {
	net := res(gcpNetwork, "vpc", nil, nil)
	sa := res(gcpSA, "web-sa", map[string]any{"email": "web@p.iam.gserviceaccount.com"}, nil)
	tpl := res(gcpTemplate, "web", map[string]any{"tags": []any{"web"}, "serviceAccount": map[string]any{"email": unknown}},
		deps{"serviceAccount": {&sa}, "networkInterfaces": {&net}})
	if fwDeps == nil {
		fwDeps = deps{}
	}
	fwDeps["network"] = []*Resource{&net}
	fw := res(gcpFirewall, "allow-lb", fwIn, fwDeps)
	return []Resource{net, sa, tpl, fw}
}

// Rule: a GCP firewall applies to instances by target tag or by target service account (and
// to all instances of the network without targets); lower priority numbers win and a deny
// wins a tie. Source: https://cloud.google.com/firewall/docs/firewalls#rule_assignment
func TestGCPTargetTagsVersusServiceAccounts(t *testing.T) {
	allow := []any{map[string]any{"protocol": "tcp", "ports": []any{"8080"}}}
	lbRanges := []any{"130.211.0.0/22", "35.191.0.0/16"}
	cases := []struct {
		name    string
		in      map[string]any
		sa      bool
		verdict Verdict
	}{
		{"matching tag", map[string]any{"allows": allow, "sourceRanges": lbRanges, "targetTags": []any{"web"}}, false, Allowed},
		{"other tag", map[string]any{"allows": allow, "sourceRanges": lbRanges, "targetTags": []any{"app"}}, false, Blocked},
		{"service account", map[string]any{"allows": allow, "sourceRanges": lbRanges, "targetServiceAccounts": []any{unknown}}, true, Allowed},
		{"one range only", map[string]any{"allows": allow, "sourceRanges": []any{"35.191.0.0/16"}}, false, Blocked},
		{"wrong port", map[string]any{"allows": []any{map[string]any{"protocol": "tcp", "ports": []any{"80", "443"}}}, "sourceRanges": lbRanges}, false, Blocked},
		{"port range", map[string]any{"allows": []any{map[string]any{"protocol": "tcp", "ports": []any{"8000-9000"}}}, "sourceRanges": lbRanges}, false, Allowed},
		{"all protocols", map[string]any{"allows": []any{map[string]any{"protocol": "all"}}, "sourceRanges": lbRanges}, false, Allowed},
	}
	for _, c := range cases {
		var d deps
		rs := gcpPlan(c.in, nil)
		if c.sa {
			d = deps{"targetServiceAccounts": {&rs[1]}}
			rs = gcpPlan(c.in, d)
		}
		f := tcp("load balancer → web", Ref{Source: GoogleFrontEnd}, ref(&rs[2]), 8080)
		if got := only(t, f, rs...); got.Verdict != c.verdict {
			t.Errorf("%s: want %s, got %s: %s", c.name, c.verdict, got.Verdict, got.Reason)
		}
	}
	rs := gcpPlan(map[string]any{"allows": allow, "sourceRanges": lbRanges}, nil)
	deny := res(gcpFirewall, "deny-all", map[string]any{"denies": []any{map[string]any{"protocol": "all"}}, "sourceRanges": []any{"0.0.0.0/0"}, "priority": 900},
		deps{"network": {&rs[0]}})
	f := tcp("load balancer → web", Ref{Source: GoogleFrontEnd}, ref(&rs[2]), 8080)
	want(t, only(t, f, append(rs, deny)...), Blocked, "firewall deny-all (priority 900) denies")
}

// Rule: Cloud SQL IAM database authentication needs the instance flag, an IAM user for the
// service account, and roles/cloudsql.instanceUser and roles/cloudsql.client on the project.
// Source: https://cloud.google.com/sql/docs/postgres/iam-logins
func TestGCPMissingIAMUserAndRolesAreBlocked(t *testing.T) {
	sa := res(gcpSA, "web-sa", map[string]any{"email": "web@p.iam.gserviceaccount.com"}, nil)
	db := res(gcpSQL, "db", map[string]any{"settings": map[string]any{"databaseFlags": []any{map[string]any{"name": "cloudsql.iam_authentication", "value": "on"}}}}, nil)
	f := Declared{Name: "web → Cloud SQL sign-in", Kind: Login, From: ref(&sa), To: ref(&db)}
	want(t, only(t, f, sa, db), Blocked, "has no IAM database user for service account web-sa")
	user := res(gcpSQLUser, "db-web", map[string]any{"type": "CLOUD_IAM_SERVICE_ACCOUNT", "instance": unknown, "name": unknown}, deps{"instance": {&db}, "name": {&sa}})
	want(t, only(t, f, sa, db, user), Blocked, "lacks roles/cloudsql.instanceUser")
	iu := res(gcpIAMMember, "web-instance-user", map[string]any{"role": "roles/cloudsql.instanceUser", "member": unknown}, deps{"member": {&sa}})
	cl := res(gcpIAMMember, "web-client", map[string]any{"role": "roles/cloudsql.client", "member": "serviceAccount:web@p.iam.gserviceaccount.com"}, nil)
	if got := only(t, f, sa, db, user, iu, cl); got.Verdict != Allowed {
		t.Fatalf("want ALLOWED, got %+v", got)
	}
	p := Declared{Name: "web reads secrets", Kind: Permission, From: ref(&sa), To: Ref{Source: "project"}, Permission: "roles/secretmanager.secretAccessor"}
	want(t, only(t, p, sa, iu), Blocked, "lacks roles/secretmanager.secretAccessor")
}

// Rule: a GCP firewall that admits 0.0.0.0/0 to instances behind a load balancer is an
// exposure that skips it.
func TestGCPOpenFirewallBypassesTheLoadBalancer(t *testing.T) {
	rs := gcpPlan(map[string]any{"allows": []any{map[string]any{"protocol": "tcp", "ports": []any{"8080"}}}, "sourceRanges": []any{"0.0.0.0/0"}}, nil)
	rs = append(rs, res(gcpGFR, "lb-https", map[string]any{"loadBalancingScheme": "EXTERNAL_MANAGED", "portRange": "443"}, nil))
	rep := Evaluate(rs)
	var bypass []string
	for _, e := range rep.Exposures {
		if e.BypassesEdge {
			bypass = append(bypass, e.Name+" via "+e.Via)
		}
	}
	if strings.Join(bypass, ";") != "web via allow-lb" || len(rep.Exposures) != 2 {
		t.Fatalf("want lb-https (edge) and web via allow-lb (bypass), got %+v", rep.Exposures)
	}
}

// A declared endpoint that is not in the plan is BLOCKED, naming it.
func TestEndpointNotInPlan(t *testing.T) {
	f := tcp("web → database", Ref{URN: "urn:x::web"}, Ref{URN: "urn:x::db"}, 5432)
	want(t, only(t, f), Blocked, "is not in the plan")
}

// Rule: network ACLs are stateless and ordered by rule number, the first match deciding and
// an implicit deny last: the request needs inbound on the destination's subnet, the reply
// outbound on the ephemeral ports. Source: https://docs.aws.amazon.com/vpc/latest/userguide/nacl-rules.html
func TestAWSNetworkACLsAreStatelessAndOrdered(t *testing.T) {
	web, db, in := awsPair()
	out := egressRule("web-to-db", &web, map[string]any{"ipProtocol": "tcp", "fromPort": 5432, "toPort": 5432, "referencedSecurityGroupId": unknown},
		deps{"referencedSecurityGroupId": {&db}})
	webNet := res(awsSubnet, "web-a", map[string]any{"cidrBlock": "10.0.1.0/24"}, nil)
	dataNet := res(awsSubnet, "data-a", map[string]any{"cidrBlock": "10.0.20.0/24"}, nil)
	lt := res(awsLT, "web", map[string]any{"vpcSecurityGroupIds": []any{unknown}}, deps{"vpcSecurityGroupIds": {&web}})
	asg := res(awsASG, "web", nil, deps{"launchTemplate": {&lt}, "vpcZoneIdentifiers": {&webNet}})
	group := res(awsSubnetGroup, "db", nil, deps{"subnetIds": {&dataNet}})
	rds := res(awsRDS, "db", nil, deps{"vpcSecurityGroupIds": {&db}, "dbSubnetGroupName": {&group}})
	base := []Resource{web, db, in, out, webNet, dataNet, lt, asg, group, rds}
	f := tcp("web → database", ref(&web), ref(&db), 5432)
	entry := func(no int, action, cidr string, from, to int) map[string]any {
		return map[string]any{"ruleNo": no, "action": action, "protocol": "tcp", "cidrBlock": cidr, "fromPort": from, "toPort": to}
	}
	acl := func(ingress, egress []any) Resource {
		return res(awsACL, "data-acl", map[string]any{"ingress": ingress, "egress": egress}, deps{"subnetIds": {&dataNet}})
	}
	want(t, only(t, f, append(base, acl([]any{entry(100, "allow", "10.0.1.0/24", 5432, 5432)}, nil))...),
		Blocked, "blocks the reply out of data-a on port 32768")
	got := only(t, f, append(base, acl([]any{entry(100, "allow", "10.0.1.0/24", 5432, 5432)}, []any{entry(100, "allow", "10.0.0.0/16", 1024, 65535)}))...)
	if got.Verdict != Allowed {
		t.Fatalf("want ALLOWED, got %+v", got)
	}
	want(t, only(t, f, append(base, acl([]any{entry(50, "deny", "10.0.0.0/16", 0, 65535), entry(100, "allow", "10.0.1.0/24", 5432, 5432)},
		[]any{entry(100, "allow", "10.0.0.0/16", 1024, 65535)}))...), Blocked, "data-acl ingress[0], rule 50")
	// A separate aws_network_acl_rule counts like an inline entry.
	a := acl(nil, []any{entry(100, "allow", "10.0.0.0/16", 1024, 65535)})
	sep := res(awsACLRule, "data-in", map[string]any{"ruleNumber": 90, "egress": false, "ruleAction": "allow", "protocol": "6", "cidrBlock": "10.0.1.0/24", "fromPort": 5432, "toPort": 5432},
		deps{"networkAclId": {&a}})
	if got := only(t, f, append(base, a, sep)...); got.Verdict != Allowed {
		t.Fatalf("want ALLOWED by the separate entry, got %+v", got)
	}
}

// Rule: with Front Door in front, a gateway subnet whose NSG admits the Internet tag lets
// anyone skip Front Door and its WAF; admitting only AzureFrontDoor.Backend closes it.
// Source: https://learn.microsoft.com/azure/frontdoor/origin-security
func TestAzureGatewayOpenToInternetBypassesFrontDoor(t *testing.T) {
	vnet := res(azVNet, "vnet", nil, nil)
	origin := res(azAFDOrigin, "edge-primary", nil, nil)
	for _, c := range []struct {
		src    string
		bypass bool
	}{{"Internet", true}, {"AzureFrontDoor.Backend", false}} {
		nsg := res(azNSG, "gw-nsg", map[string]any{"securityRules": []any{inboundRule("https", 100, "Allow", c.src, "443")}}, nil)
		sn := azNet("gw", "10.0.0.0/24", &vnet, &nsg)
		gw := res(azAppGW, "gw", nil, deps{"gatewayIPConfigurations": {&sn}})
		rep := Evaluate([]Resource{vnet, origin, nsg, sn, gw})
		bypass := false
		for _, e := range rep.Exposures {
			bypass = bypass || e.BypassesEdge && e.Name == "gw"
		}
		if bypass != c.bypass {
			t.Errorf("source %s: want bypass %v, got %+v", c.src, c.bypass, rep.Exposures)
		}
	}
}

// Declare refuses a flow it could not evaluate, naming the field, the value and what is allowed.
func TestDeclareValidatesFlows(t *testing.T) {
	for _, c := range []struct {
		f    Flow
		want string
	}{
		{Flow{Kind: Network, Port: 80, From: From(Internet), To: From(Internet)}, "Name is required"},
		{Flow{Name: "x", Kind: "route", From: From(Internet), To: From(Internet)}, `Kind "route" is not allowed`},
		{Flow{Name: "x", Kind: Network, Port: 70000, From: From(Internet), To: From(Internet)}, "Port 70000 is not allowed: want 1-65535"},
		{Flow{Name: "x", Kind: Permission, From: From(Internet), To: From(Internet)}, "Permission is required"},
		{Flow{Name: "x", Kind: Network, Port: 80, To: From(Internet)}, "From: set Resource or Source"},
	} {
		err := Declare(nil, nil, pulumi.Map{}, c.f)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: want error %q, got %v", c.f, c.want, err)
		}
	}
}

// Rule: a VPC firewall rule applies only to instances on its own network: an open rule on
// another network (the project's "default" network, say) exposes nothing of this one.
// Source: https://cloud.google.com/firewall/docs/firewalls#specifications ("each firewall rule
// applies to one VPC network").
func TestGCPFirewallOnAnotherNetworkExposesNothingHere(t *testing.T) {
	rs := gcpPlan(map[string]any{"allows": []any{map[string]any{"protocol": "tcp", "ports": []any{"3000-4000"}}}, "sourceRanges": []any{"0.0.0.0/0"}}, nil)
	other := res(gcpNetwork, "default", nil, nil)
	rs[3] = res(gcpFirewall, "legacy-fw", map[string]any{"allows": []any{map[string]any{"protocol": "tcp", "ports": []any{"3000-4000"}}}, "sourceRanges": []any{"0.0.0.0/0"}},
		deps{"network": {&other}})
	rs = append(rs, other, res(gcpGFR, "lb-https", map[string]any{"loadBalancingScheme": "EXTERNAL_MANAGED", "portRange": "443"}, nil))
	for _, e := range Evaluate(rs).Exposures {
		if e.BypassesEdge {
			t.Fatalf("a firewall on another network exposed %s: %+v", e.Name, e)
		}
	}
	// The same rule on the instances' own network is a bypass.
	rs = gcpPlan(map[string]any{"allows": []any{map[string]any{"protocol": "tcp", "ports": []any{"3000-4000"}}}, "sourceRanges": []any{"0.0.0.0/0"}}, nil)
	rs = append(rs, res(gcpGFR, "lb-https", map[string]any{"loadBalancingScheme": "EXTERNAL_MANAGED", "portRange": "443"}, nil))
	bypass := 0
	for _, e := range Evaluate(rs).Exposures {
		if e.BypassesEdge {
			bypass++
		}
	}
	if bypass != 1 {
		t.Fatalf("want the open rule on the instances' network to bypass the edge once, got %d", bypass)
	}
}

// gcpRedisPlan is a web template and a Memorystore instance on the private services range of
// the template's network, with the egress rules given.
func gcpRedisPlan(transit string, fws ...map[string]any) []Resource {
	net := res(gcpNetwork, "vpc", nil, nil)
	rng := res(gcpAddress, "private-services", map[string]any{"address": "10.50.0.0", "prefixLength": 16}, nil)
	conn := res(gcpConnection, "private-services", nil, deps{"network": {&net}, "reservedPeeringRanges": {&rng}})
	tpl := res(gcpTemplate, "web", map[string]any{"tags": []any{"web"}}, deps{"networkInterfaces": {&net}})
	other := res(gcpTemplate, "batch", map[string]any{"tags": []any{"batch"}}, deps{"networkInterfaces": {&net}})
	redis := res(gcpRedis, "cache", map[string]any{"transitEncryptionMode": transit}, deps{"authorizedNetwork": {&conn}})
	rs := []Resource{net, rng, conn, tpl, other, redis}
	for i, in := range fws {
		rs = append(rs, res(gcpFirewall, fmt.Sprintf("fw-%d", i), in, deps{"network": {&net}}))
	}
	return rs
}

// Rule: Memorystore for Redis with PRIVATE_SERVICE_ACCESS gets an IP from the private services
// range of its authorized network, lives in Google's producer network (the VPC's ingress rules
// do not apply; the source's egress rules do), and listens on 6378 with in-transit encryption,
// 6379 without. Sources: https://cloud.google.com/memorystore/docs/redis/networking and
// https://cloud.google.com/memorystore/docs/redis/about-in-transit-encryption
func TestGCPMemorystoreListensOn6378WithTransitEncryption(t *testing.T) {
	rs := gcpRedisPlan("SERVER_AUTHENTICATION")
	web, cache := ref(&rs[3]), ref(&rs[5])
	want(t, only(t, tcp("web → cache", web, cache, 6379), rs...), Blocked, "listens on 6378")
	if got := only(t, tcp("web → cache", web, cache, 6378), rs...); got.Verdict != Allowed {
		t.Fatalf("want ALLOWED, got %+v", got)
	}
	want(t, only(t, tcp("internet → cache", Ref{Source: Internet}, cache, 6378), rs...), Blocked, "has only a private IP")
	rs = gcpRedisPlan("DISABLED")
	want(t, only(t, tcp("web → cache", ref(&rs[3]), ref(&rs[5]), 6378), rs...), Blocked, "listens on 6379")
}

// Rule: egress rules decide who reaches Memorystore: an allow for the web tag at priority 1000
// beats a deny of the private services range on the cache ports for every instance at 1100.
// Source: https://cloud.google.com/firewall/docs/firewalls#priority_order_for_firewall_rules
func TestGCPEgressDenyKeepsOtherInstancesFromMemorystore(t *testing.T) {
	port := []any{map[string]any{"protocol": "tcp", "ports": []any{"6378"}}}
	rs := gcpRedisPlan("SERVER_AUTHENTICATION",
		map[string]any{"direction": "EGRESS", "priority": 1000, "allows": port, "destinationRanges": []any{"10.50.0.0/16"}, "targetTags": []any{"web"}},
		map[string]any{"direction": "EGRESS", "priority": 1100, "denies": []any{map[string]any{"protocol": "tcp", "ports": []any{"6378-6379"}}}, "destinationRanges": []any{"10.50.0.0/16"}})
	if got := only(t, tcp("web → cache", ref(&rs[3]), ref(&rs[5]), 6378), rs...); got.Verdict != Allowed {
		t.Fatalf("want ALLOWED, got %+v", got)
	}
	want(t, only(t, tcp("batch → cache", ref(&rs[4]), ref(&rs[5]), 6378), rs...), Blocked, "egress firewall fw-1 (priority 1100) denies")
}

// Rule: a role granted on one Pub/Sub topic, subscription or secret (its IAMMember) is held on
// that resource only. Source: https://cloud.google.com/pubsub/docs/access-control and
// https://cloud.google.com/secret-manager/docs/access-control
func TestGCPResourceRoleIsHeldOnThatResourceOnly(t *testing.T) {
	sa := res(gcpSA, "web-sa", map[string]any{"email": "web@p.iam.gserviceaccount.com"}, nil)
	topic := res(gcpTopic, "jobs", nil, nil)
	other := res(gcpTopic, "audit", nil, nil)
	grant := res("gcp:pubsub/topicIAMMember:TopicIAMMember", "jobs-web", map[string]any{"role": "roles/pubsub.publisher"}, deps{"topic": {&topic}, "member": {&sa}})
	f := Declared{Name: "web publishes", Kind: Permission, From: ref(&sa), To: ref(&topic), Permission: "roles/pubsub.publisher"}
	if got := only(t, f, sa, topic, other, grant); got.Verdict != Allowed {
		t.Fatalf("want ALLOWED, got %+v", got)
	}
	f.To = ref(&other)
	want(t, only(t, f, sa, topic, other, grant), Blocked, "lacks roles/pubsub.publisher on audit: add a gcp:pubsub/topicIAMMember:TopicIAMMember")
	secret := res(gcpSecret, "auth", nil, nil)
	s := Declared{Name: "web reads the AUTH string", Kind: Permission, From: ref(&sa), To: ref(&secret), Permission: "roles/secretmanager.secretAccessor"}
	want(t, only(t, s, sa, secret, grant), Blocked, "lacks roles/secretmanager.secretAccessor on auth")
	acc := res("gcp:secretmanager/secretIamMember:SecretIamMember", "auth-web", map[string]any{"role": "roles/secretmanager.secretAccessor"}, deps{"secretId": {&secret}, "member": {&sa}})
	if got := only(t, s, sa, secret, acc); got.Verdict != Allowed {
		t.Fatalf("want ALLOWED, got %+v", got)
	}
}
