// Package failover routes a name to a primary region and fails over to a secondary region
// with Route 53: one HTTPS health check per region's endpoint and PRIMARY/SECONDARY failover
// alias records, each answering only while its own health check passes.
//
// Route 53 is global: the records and health checks do not depend on the provider's region.
// Pair it with dns.Zone for the zone and with each region's load balancer for the targets.
package failover

import (
	"fmt"
	"slices"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/route53"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/scalestack/scalestack/components/aws/dns"
)

// Type is the type token of Failover: part of every child's URN.
const Type = "scalestack:aws:Failover"

// HealthCheckRegions are the regions Route 53 health checkers can run from.
var HealthCheckRegions = []string{
	"ap-northeast-1", "ap-southeast-1", "ap-southeast-2", "eu-west-1",
	"sa-east-1", "us-east-1", "us-west-1", "us-west-2",
}

// Endpoint is one region's entry point.
type Endpoint struct {
	// DNSName is the alias target: the region's load balancer DNS name. Required.
	DNSName pulumi.StringInput
	// ZoneID is the alias target's own hosted zone id (the load balancer's ZoneId). Required.
	ZoneID pulumi.StringInput
	// HealthCheckFQDN is the host name the health check connects to over HTTPS (and sends
	// as SNI and Host), such as "origin-us-east-1.app.example.com". Default: DNSName (Route
	// 53 does not validate the certificate, so the load balancer's own name works too).
	HealthCheckFQDN pulumi.StringInput
}

// Args configures a Failover. Zero values mean the documented default.
type Args struct {
	// ZoneID is the hosted zone the failover records are created in. Required.
	ZoneID pulumi.StringInput
	// RecordName is the name that fails over ("app.example.com"). Required.
	RecordName string
	// Primary serves while it is healthy. Required.
	Primary Endpoint
	// Secondary serves while the primary is unhealthy. Required.
	Secondary Endpoint
	// Path is the HTTPS path the health checks request. Default: "/healthz".
	Path string
	// Port is the HTTPS port the health checks connect to. Default: 443. Allowed: 1-65535.
	Port int
	// RequestIntervalSeconds is how often each checker probes. Default: 30. Allowed: 10, 30.
	RequestIntervalSeconds int
	// FailureThreshold is how many consecutive failed probes mark an endpoint unhealthy (and
	// successes healthy again). Default: 3. Allowed: 1-10.
	FailureThreshold int
	// Regions are the checker regions. Default: none, which is Route 53's default set.
	// Allowed: at least 3 of HealthCheckRegions, each once.
	Regions []string
	// IPv6 also creates AAAA failover records. Default: false (A only).
	IPv6 bool
	// Tags are added to the health checks, over the provider's default tags.
	Tags map[string]string
}

// Failover is a pair of health checks and the failover records that use them.
type Failover struct {
	pulumi.ResourceState

	// PrimaryHealthCheckID is the id of the primary endpoint's health check.
	PrimaryHealthCheckID pulumi.StringOutput `pulumi:"primaryHealthCheckId"`
	// SecondaryHealthCheckID is the id of the secondary endpoint's health check.
	SecondaryHealthCheckID pulumi.StringOutput `pulumi:"secondaryHealthCheckId"`
	// RecordFQDN is the fully qualified name of the failover records.
	RecordFQDN pulumi.StringOutput `pulumi:"recordFqdn"`
}

// withDefaults returns a copy of a with every default applied.
func (a Args) withDefaults() Args {
	if a.Path == "" {
		a.Path = "/healthz"
	}
	if a.Port == 0 {
		a.Port = 443
	}
	if a.RequestIntervalSeconds == 0 {
		a.RequestIntervalSeconds = 30
	}
	if a.FailureThreshold == 0 {
		a.FailureThreshold = 3
	}
	a.Regions = append([]string(nil), a.Regions...)
	return a
}

// validate checks args (after defaults) without registering anything.
func (a Args) validate() error {
	if a.ZoneID == nil {
		return fmt.Errorf("ZoneID is required: want the hosted zone the failover records go in")
	}
	if err := dns.ValidateDomainName("RecordName", a.RecordName, false); err != nil {
		return err
	}
	for i, e := range []Endpoint{a.Primary, a.Secondary} {
		if e.DNSName == nil || e.ZoneID == nil {
			field := []string{"Primary", "Secondary"}[i]
			return fmt.Errorf("%s.DNSName and %s.ZoneID are required: want the region's load balancer DNS name and hosted zone id", field, field)
		}
	}
	if a.Path[0] != '/' {
		return fmt.Errorf("Path %q is not allowed: want an absolute path like /healthz", a.Path)
	}
	if len(a.Path) > 255 {
		return fmt.Errorf("Path of %d characters is not allowed: want at most 255", len(a.Path))
	}
	if a.Port < 1 || a.Port > 65535 {
		return fmt.Errorf("Port %d is not allowed: want 1-65535", a.Port)
	}
	if a.RequestIntervalSeconds != 10 && a.RequestIntervalSeconds != 30 {
		return fmt.Errorf("RequestIntervalSeconds %d is not allowed: want 10 or 30", a.RequestIntervalSeconds)
	}
	if a.FailureThreshold < 1 || a.FailureThreshold > 10 {
		return fmt.Errorf("FailureThreshold %d is not allowed: want 1-10", a.FailureThreshold)
	}
	if len(a.Regions) > 0 {
		if len(a.Regions) < 3 {
			return fmt.Errorf("Regions %v is not allowed: want at least 3 checker regions, or none for Route 53's default", a.Regions)
		}
		seen := map[string]bool{}
		for _, r := range a.Regions {
			if !slices.Contains(HealthCheckRegions, r) {
				return fmt.Errorf("Regions: %q is not allowed: want one of %v", r, HealthCheckRegions)
			}
			if seen[r] {
				return fmt.Errorf("Regions: %q is not allowed twice: want each region once", r)
			}
			seen[r] = true
		}
	}
	return nil
}

func (a *Args) resolve() (Args, error) {
	if a == nil {
		return Args{}, fmt.Errorf("args are required: want ZoneID, RecordName, Primary and Secondary")
	}
	r := a.withDefaults()
	return r, r.validate()
}

// role is one side of the failover.
type role struct {
	key      string // child name suffix and set identifier
	failover string // PRIMARY or SECONDARY
	endpoint Endpoint
}

// New validates args and registers, for each role ("primary", "secondary"), a health check
// "<name>-<role>" and failover records "<name>-<role>-a" (and "-aaaa").
func New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*Failover, error) {
	a, err := args.resolve()
	if err != nil {
		return nil, fmt.Errorf("failover %q: %w", name, err)
	}
	f := &Failover{}
	if err := ctx.RegisterComponentResource(Type, name, f, opts...); err != nil {
		return nil, err
	}
	types := []string{"A"}
	if a.IPv6 {
		types = append(types, "AAAA")
	}
	for _, r := range []role{
		{key: "primary", failover: "PRIMARY", endpoint: a.Primary},
		{key: "secondary", failover: "SECONDARY", endpoint: a.Secondary},
	} {
		fqdn := r.endpoint.HealthCheckFQDN
		if fqdn == nil {
			fqdn = r.endpoint.DNSName
		}
		tags := map[string]string{}
		for k, v := range a.Tags {
			tags[k] = v
		}
		tags["Name"] = name + "-" + r.key
		hcArgs := &route53.HealthCheckArgs{
			Type:             pulumi.String("HTTPS"),
			Fqdn:             fqdn,
			Port:             pulumi.Int(a.Port),
			ResourcePath:     pulumi.String(a.Path),
			EnableSni:        pulumi.Bool(true),
			RequestInterval:  pulumi.Int(a.RequestIntervalSeconds),
			FailureThreshold: pulumi.Int(a.FailureThreshold),
			MeasureLatency:   pulumi.Bool(true),
			Tags:             pulumi.ToStringMap(tags),
		}
		if len(a.Regions) > 0 {
			hcArgs.Regions = pulumi.ToStringArray(a.Regions)
		}
		hc, err := route53.NewHealthCheck(ctx, name+"-"+r.key, hcArgs, pulumi.Parent(f))
		if err != nil {
			return nil, fmt.Errorf("failover %q: creating %s health check: %w", name, r.key, err)
		}
		if r.key == "primary" {
			f.PrimaryHealthCheckID = hc.ID().ToStringOutput()
		} else {
			f.SecondaryHealthCheckID = hc.ID().ToStringOutput()
		}
		for _, typ := range types {
			rec, err := route53.NewRecord(ctx, fmt.Sprintf("%s-%s-%s", name, r.key, lowerType(typ)), &route53.RecordArgs{
				ZoneId:        a.ZoneID,
				Name:          pulumi.String(a.RecordName),
				Type:          pulumi.String(typ),
				SetIdentifier: pulumi.String(r.key),
				FailoverRoutingPolicies: route53.RecordFailoverRoutingPolicyArray{
					&route53.RecordFailoverRoutingPolicyArgs{Type: pulumi.String(r.failover)},
				},
				HealthCheckId: hc.ID(),
				Aliases: route53.RecordAliasArray{&route53.RecordAliasArgs{
					Name:                 r.endpoint.DNSName,
					ZoneId:               r.endpoint.ZoneID,
					EvaluateTargetHealth: pulumi.Bool(true),
				}},
			}, pulumi.Parent(f))
			if err != nil {
				return nil, fmt.Errorf("failover %q: creating %s %s record: %w", name, r.key, typ, err)
			}
			if r.key == "primary" && typ == "A" {
				f.RecordFQDN = rec.Fqdn
			}
		}
	}
	return f, ctx.RegisterResourceOutputs(f, pulumi.Map{
		"primaryHealthCheckId":   f.PrimaryHealthCheckID,
		"secondaryHealthCheckId": f.SecondaryHealthCheckID,
		"recordFqdn":             f.RecordFQDN,
	})
}

func lowerType(t string) string {
	if t == "AAAA" {
		return "aaaa"
	}
	return "a"
}
