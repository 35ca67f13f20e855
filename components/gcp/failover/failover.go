// Package failover makes a Google Cloud backend's failover visible and addressable. On
// Google Cloud the failover itself is the global external Application Load Balancer: one
// anycast address with backends in both regions, which stops sending traffic to a region
// whose instances fail their health checks. This component adds what sits around it: an A
// record for the address in an existing Cloud DNS managed zone (when one is given), and an
// uptime check that probes the public endpoint from several continents, so an outage that
// takes both regions down is noticed.
//
// pulumi-gcp v7 offers no DNS failover routing policy for public zones, so none is faked.
package failover

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/pulumi/pulumi-gcp/sdk/v7/go/gcp/dns"
	"github.com/pulumi/pulumi-gcp/sdk/v7/go/gcp/monitoring"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

const typeToken = "scalestack:gcp:Failover"

// Args configures a Failover. Zero values mean the documented default.
type Args struct {
	// Project is the project ID the uptime check belongs to (its monitored resource names
	// it). Required.
	Project string
	// Address is the load balancer's anycast IPv4 address. Required.
	Address pulumi.StringInput
	// Domain is the public host name served over HTTPS. Default: "" (the uptime check probes
	// the address over HTTP).
	Domain string
	// ManagedZone is the name of an existing Cloud DNS managed zone for Domain; an A record
	// for Domain is created there. Default: "" (no record: point the name at Address yourself).
	ManagedZone string
	// TTLSeconds of the record. Default: 300. Allowed: 30-86400.
	TTLSeconds int
	// HealthCheckPath is the path the uptime check requests. Default: /healthz.
	HealthCheckPath string
	// CheckerRegions are the uptime checker regions. Default: USA, EUROPE, ASIA_PACIFIC.
	// Allowed: at least 3 of USA, EUROPE, SOUTH_AMERICA, ASIA_PACIFIC (or the USA_* subsets).
	CheckerRegions []string
	// PeriodSeconds is how often each checker probes. Default: 60. Allowed: 60, 300, 600, 900.
	PeriodSeconds int
}

var (
	domainRE = regexp.MustCompile(`^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$`)
	zoneRE   = regexp.MustCompile(`^[a-z][a-z0-9-]{0,62}$`)
	checkers = map[string]bool{"USA": true, "EUROPE": true, "SOUTH_AMERICA": true, "ASIA_PACIFIC": true,
		"USA_OREGON": true, "USA_IOWA": true, "USA_VIRGINIA": true}
)

func (a *Args) resolve() (Args, error) {
	var r Args
	if a != nil {
		r = *a
	}
	if r.TTLSeconds == 0 {
		r.TTLSeconds = 300
	}
	if r.HealthCheckPath == "" {
		r.HealthCheckPath = "/healthz"
	}
	if len(r.CheckerRegions) == 0 {
		r.CheckerRegions = []string{"USA", "EUROPE", "ASIA_PACIFIC"}
	}
	if r.PeriodSeconds == 0 {
		r.PeriodSeconds = 60
	}
	switch {
	case r.Project == "":
		return r, fmt.Errorf("Project is required")
	case r.Address == nil:
		return r, fmt.Errorf("Address is required")
	case r.Domain != "" && !domainRE.MatchString(r.Domain):
		return r, fmt.Errorf("Domain %q is not a DNS name: want one like app.example.com", r.Domain)
	case r.ManagedZone != "" && r.Domain == "":
		return r, fmt.Errorf("ManagedZone %q is set without a Domain: want the Domain the record is for", r.ManagedZone)
	case r.ManagedZone != "" && !zoneRE.MatchString(r.ManagedZone):
		return r, fmt.Errorf("ManagedZone %q is not a managed zone name: want lowercase letters, digits and dashes", r.ManagedZone)
	case r.TTLSeconds < 30 || r.TTLSeconds > 86400:
		return r, fmt.Errorf("TTLSeconds %d is not allowed: want 30-86400", r.TTLSeconds)
	case !strings.HasPrefix(r.HealthCheckPath, "/"):
		return r, fmt.Errorf("HealthCheckPath %q is not allowed: want a path starting with /", r.HealthCheckPath)
	case len(r.CheckerRegions) < 3:
		return r, fmt.Errorf("CheckerRegions %v has %d regions: want at least 3", r.CheckerRegions, len(r.CheckerRegions))
	case r.PeriodSeconds != 60 && r.PeriodSeconds != 300 && r.PeriodSeconds != 600 && r.PeriodSeconds != 900:
		return r, fmt.Errorf("PeriodSeconds %d is not allowed: want 60, 300, 600 or 900", r.PeriodSeconds)
	}
	for _, c := range r.CheckerRegions {
		if !checkers[c] {
			return r, fmt.Errorf("CheckerRegions: %q is not allowed: want USA, EUROPE, SOUTH_AMERICA, ASIA_PACIFIC, USA_OREGON, USA_IOWA or USA_VIRGINIA", c)
		}
	}
	return r, nil
}

// Failover is the DNS record and uptime check of a load-balanced backend.
type Failover struct {
	pulumi.ResourceState

	// UptimeCheckID is the uptime check's ID (for alert policies).
	UptimeCheckID pulumi.StringOutput `pulumi:"uptimeCheckId"`
	// Endpoint is what the uptime check probes: https://<domain><path> or http://<address><path>.
	Endpoint pulumi.StringOutput `pulumi:"endpoint"`
	// RecordName is the DNS record's name ("" without a managed zone).
	RecordName pulumi.StringOutput `pulumi:"recordName"`
}

// New validates args, applies defaults and registers the record and the uptime check.
func New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*Failover, error) {
	a, err := args.resolve()
	if err != nil {
		return nil, fmt.Errorf("failover %q: %w", name, err)
	}
	f := &Failover{}
	if err := ctx.RegisterComponentResource(typeToken, name, f, opts...); err != nil {
		return nil, err
	}
	parent := pulumi.Parent(f)

	host := a.Address.ToStringOutput()
	https := a.Domain != ""
	if https {
		host = a.Address.ToStringOutput().ApplyT(func(string) string { return a.Domain }).(pulumi.StringOutput)
	}
	f.RecordName = a.Address.ToStringOutput().ApplyT(func(string) string { return "" }).(pulumi.StringOutput)
	if a.ManagedZone != "" {
		rec, err := dns.NewRecordSet(ctx, name, &dns.RecordSetArgs{
			ManagedZone: pulumi.String(a.ManagedZone),
			Name:        pulumi.String(a.Domain + "."),
			Type:        pulumi.String("A"),
			Ttl:         pulumi.Int(a.TTLSeconds),
			Rrdatas:     pulumi.StringArray{a.Address},
		}, parent)
		if err != nil {
			return nil, fmt.Errorf("creating DNS record: %w", err)
		}
		f.RecordName = rec.Name
	}

	port := 80
	if https {
		port = 443
	}
	check, err := monitoring.NewUptimeCheckConfig(ctx, name, &monitoring.UptimeCheckConfigArgs{
		DisplayName:     pulumi.Sprintf("%s %s", name, host),
		Timeout:         pulumi.String("10s"),
		Period:          pulumi.String(fmt.Sprintf("%ds", a.PeriodSeconds)),
		SelectedRegions: pulumi.ToStringArray(a.CheckerRegions),
		CheckerType:     pulumi.String("STATIC_IP_CHECKERS"),
		HttpCheck: &monitoring.UptimeCheckConfigHttpCheckArgs{
			Path:          pulumi.String(a.HealthCheckPath),
			Port:          pulumi.Int(port),
			UseSsl:        pulumi.Bool(https),
			ValidateSsl:   pulumi.Bool(https),
			RequestMethod: pulumi.String("GET"),
		},
		MonitoredResource: &monitoring.UptimeCheckConfigMonitoredResourceArgs{
			Type:   pulumi.String("uptime_url"),
			Labels: pulumi.StringMap{"project_id": pulumi.String(a.Project), "host": host},
		},
	}, parent)
	if err != nil {
		return nil, fmt.Errorf("creating uptime check: %w", err)
	}
	scheme := "http"
	if https {
		scheme = "https"
	}
	f.UptimeCheckID = check.UptimeCheckId
	f.Endpoint = pulumi.Sprintf("%s://%s%s", scheme, host, a.HealthCheckPath)
	return f, ctx.RegisterResourceOutputs(f, pulumi.Map{
		"uptimeCheckId": f.UptimeCheckID,
		"endpoint":      f.Endpoint,
		"recordName":    f.RecordName,
	})
}

// Validate reports the first problem with args, registering nothing.
func (a *Args) Validate() error { _, err := a.resolve(); return err }
