// Package failover creates the DNS failover of the scalestack backend on Azure: a Traffic
// Manager profile with priority routing and endpoint monitoring of the health path, and one
// external endpoint per region whose target is the region's gateway public IPv4 address, so
// traffic goes to the primary while it is healthy and to the secondary when it is not. (The
// database's failover group, the other half of a regional failover, is part of the database
// component.)
//
// External endpoints with IPv4 targets, not Azure endpoints: an Azure DNS alias record (the
// only record a zone apex can point at a profile with) needs a profile whose endpoints are all
// external with IPv4 or IPv6 addresses
// (https://learn.microsoft.com/azure/dns/dns-alias#traffic-manager). With priority routing an
// endpoint needs no location (endpointLocation only serves performance routing).
//
// The profile's relative DNS name must be unique across Azure; it is the component name plus
// 8 hex digits of the resource group's ID, so it is stable across runs and built from a real
// output. The profile's FQDN is <relative name>.trafficmanager.net.
package failover

import (
	"crypto/sha256"
	"fmt"
	"regexp"
	"strings"

	"github.com/pulumi/pulumi-azure-native-sdk/network/v2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/scalestack/scalestack/providers"
	"github.com/scalestack/scalestack/providers/azureregions"
)

// typeToken is part of every child's URN: changing it needs pulumi.Aliases.
const typeToken = "scalestack:azure:Failover"

// Endpoint is one region's entry point.
type Endpoint struct {
	// Key names the endpoint ("primary" → <name>-primary). Required, unique.
	Key string
	// Target is the region gateway's public IPv4 address (not a DNS name: alias records
	// need IP targets). Required.
	Target pulumi.StringInput
}

// Args configures Failover. Zero values mean the documented default.
type Args struct {
	// ResourceGroupName and ResourceGroupID are the resource group of the profile. Required.
	ResourceGroupName pulumi.StringInput
	ResourceGroupID   pulumi.StringInput
	// Endpoints in priority order: the first is active, the others are standbys. Required:
	// 1 to 10.
	Endpoints []Endpoint
	// Protocol of the health probe: "HTTPS" (default) or "HTTP".
	Protocol string
	// Port of the health probe. Default: 443 for HTTPS, 80 for HTTP.
	Port int
	// Path of the health probe. Default: /healthz.
	Path string
	// HostHeader is sent with probes (the gateway's listener host name). Default: none.
	HostHeader string
	// TTLSeconds of the profile's DNS answers. Default: 30. Allowed: 0-2147483647.
	TTLSeconds int
	// Tags are added to every child.
	Tags map[string]string
}

type resolved struct{ Args }

var (
	keyRE = regexp.MustCompile(`^[a-z][a-z0-9-]{0,30}$`)
)

// Validate checks args (with the defaults applied) without registering anything.
func (a *Args) Validate() error {
	_, err := a.resolve()
	return err
}

func (a *Args) resolve() (*resolved, error) {
	if a == nil {
		return nil, fmt.Errorf("args are required: want ResourceGroupName, ResourceGroupID and Endpoints")
	}
	r := &resolved{*a}
	if r.Protocol == "" {
		r.Protocol = "HTTPS"
	}
	if r.Port == 0 {
		r.Port = map[string]int{"HTTPS": 443, "HTTP": 80}[r.Protocol]
	}
	if r.Path == "" {
		r.Path = "/healthz"
	}
	if r.TTLSeconds == 0 {
		r.TTLSeconds = 30
	}
	switch {
	case r.ResourceGroupName == nil || r.ResourceGroupID == nil:
		return nil, fmt.Errorf("ResourceGroupName and ResourceGroupID are required")
	case len(r.Endpoints) < 1 || len(r.Endpoints) > 10:
		return nil, fmt.Errorf("Endpoints has %d entries: want 1-10, in priority order", len(r.Endpoints))
	case r.Protocol != "HTTPS" && r.Protocol != "HTTP":
		return nil, fmt.Errorf("Protocol %q is not allowed: want HTTPS or HTTP", r.Protocol)
	case r.Port < 1 || r.Port > 65535:
		return nil, fmt.Errorf("Port %d is not allowed: want 1-65535", r.Port)
	case !strings.HasPrefix(r.Path, "/"):
		return nil, fmt.Errorf("Path %q is not allowed: want a path starting with \"/\"", r.Path)
	case r.TTLSeconds < 0:
		return nil, fmt.Errorf("TTLSeconds %d is not allowed: want 0 or more", r.TTLSeconds)
	}
	seen := map[string]bool{}
	for i, e := range r.Endpoints {
		switch {
		case !keyRE.MatchString(e.Key) || seen[e.Key]:
			return nil, fmt.Errorf("Endpoints[%d].Key %q is not allowed: want a unique lowercase name such as primary", i, e.Key)
		case e.Target == nil:
			return nil, fmt.Errorf("Endpoints[%d].Target is required: the gateway's public IPv4 address", i)
		}
		seen[e.Key] = true
	}
	return r, nil
}

// Failover is the Traffic Manager profile and its endpoints.
type Failover struct {
	pulumi.ResourceState

	// ProfileID is the Traffic Manager profile's ARM ID (a DNS alias record target).
	ProfileID pulumi.StringOutput `pulumi:"profileId"`
	// FQDN is the profile's DNS name (<relative name>.trafficmanager.net).
	FQDN pulumi.StringOutput `pulumi:"fqdn"`
}

// New validates args, applies defaults and registers the profile and endpoints.
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
	tags := azureregions.Tags(providers.Tags(a.Tags))
	relative := a.ResourceGroupID.ToStringOutput().ApplyT(func(id string) string {
		return RelativeName(name, id)
	}).(pulumi.StringOutput)

	monitor := &network.MonitorConfigArgs{
		Protocol:                  pulumi.String(a.Protocol),
		Port:                      pulumi.Float64(float64(a.Port)),
		Path:                      pulumi.String(a.Path),
		IntervalInSeconds:         pulumi.Float64(30),
		TimeoutInSeconds:          pulumi.Float64(10),
		ToleratedNumberOfFailures: pulumi.Float64(3),
		ExpectedStatusCodeRanges: network.MonitorConfigExpectedStatusCodeRangesArray{
			&network.MonitorConfigExpectedStatusCodeRangesArgs{Min: pulumi.Int(200), Max: pulumi.Int(399)},
		},
	}
	if a.HostHeader != "" {
		monitor.CustomHeaders = network.MonitorConfigCustomHeadersArray{
			&network.MonitorConfigCustomHeadersArgs{Name: pulumi.String("Host"), Value: pulumi.String(a.HostHeader)},
		}
	}
	profile, err := network.NewProfile(ctx, name, &network.ProfileArgs{
		ResourceGroupName:    a.ResourceGroupName,
		Location:             pulumi.String("global"),
		ProfileStatus:        pulumi.String("Enabled"),
		TrafficRoutingMethod: pulumi.String("Priority"),
		DnsConfig:            &network.DnsConfigArgs{RelativeName: relative, Ttl: pulumi.Float64(float64(a.TTLSeconds))},
		MonitorConfig:        monitor,
		Tags:                 tags,
	}, parent, pulumi.IgnoreChanges([]string{"endpoints"}))
	if err != nil {
		return nil, fmt.Errorf("creating Traffic Manager profile: %w", err)
	}
	for i, e := range a.Endpoints {
		if _, err := network.NewEndpoint(ctx, name+"-"+e.Key, &network.EndpointArgs{
			ResourceGroupName: a.ResourceGroupName,
			ProfileName:       profile.Name.Elem(),
			EndpointType:      pulumi.String("ExternalEndpoints"),
			Type:              pulumi.String("Microsoft.Network/trafficManagerProfiles/externalEndpoints"),
			Target:            e.Target,
			EndpointStatus:    pulumi.String("Enabled"),
			Priority:          pulumi.Float64(float64(i + 1)),
		}, parent); err != nil {
			return nil, fmt.Errorf("creating endpoint %q: %w", e.Key, err)
		}
	}
	f.ProfileID = profile.ID().ToStringOutput()
	f.FQDN = pulumi.Sprintf("%s.trafficmanager.net", relative)
	return f, ctx.RegisterResourceOutputs(f, pulumi.Map{"profileId": f.ProfileID, "fqdn": f.FQDN})
}

// RelativeName is the profile's DNS label: name plus 8 hex digits of the resource group's
// ID (unique per subscription and resource group), at most 63 characters.
func RelativeName(name, resourceGroupID string) string {
	sum := sha256.Sum256([]byte(resourceGroupID))
	base := strings.Trim(regexp.MustCompile(`[^a-z0-9-]`).ReplaceAllString(strings.ToLower(name), "-"), "-")
	if len(base) > 54 {
		base = base[:54]
	}
	return fmt.Sprintf("%s-%x", base, sum[:4])
}
