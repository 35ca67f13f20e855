package dns

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/route53"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// ZoneType is the type token of Zone: part of every child's URN.
const ZoneType = "scalestack:aws:Zone"

// ZoneArgs configures a Zone. Zero values mean the documented default.
type ZoneArgs struct {
	// DomainName is the zone's domain ("app.example.com"). Required. The parent domain's
	// owner delegates it to the zone's NameServers.
	DomainName string
	// Comment describes the zone in the Route 53 console. Default: "managed by scalestack".
	Comment string
	// AllowDelete lets `pulumi destroy` (or a replacement) delete the hosted zone. Default:
	// false: the zone is retained on delete (pulumi.RetainOnDelete), because a new zone gets
	// new name servers and silently breaks the delegation the user set up.
	AllowDelete bool
	// ForceDestroy deletes records Pulumi does not manage when the zone is deleted. Default:
	// false. Only meaningful with AllowDelete.
	ForceDestroy bool
	// Tags are added to the zone, over the provider's default tags.
	Tags map[string]string
}

// Zone is a public Route 53 hosted zone for one domain.
type Zone struct {
	pulumi.ResourceState

	// ZoneID is the hosted zone's id ("Z0123456789ABC").
	ZoneID pulumi.StringOutput `pulumi:"zoneId"`
	// NameServers are the four name servers to delegate the domain to.
	NameServers pulumi.StringArrayOutput `pulumi:"nameServers"`
	// Name is the zone's domain name.
	Name pulumi.StringOutput `pulumi:"name"`
}

// withDefaults returns a copy of a with every default applied.
func (a ZoneArgs) withDefaults() ZoneArgs {
	if a.Comment == "" {
		a.Comment = "managed by scalestack"
	}
	return a
}

// validate checks args without registering anything.
func (a ZoneArgs) validate() error {
	if err := ValidateDomainName("DomainName", a.DomainName, false); err != nil {
		return err
	}
	if a.ForceDestroy && !a.AllowDelete {
		return fmt.Errorf("ForceDestroy true is not allowed with AllowDelete false: want AllowDelete true as well, or ForceDestroy false")
	}
	return nil
}

func (a *ZoneArgs) resolve() (ZoneArgs, error) {
	if a == nil {
		return ZoneArgs{}, fmt.Errorf("args are required: want DomainName at least")
	}
	r := a.withDefaults()
	return r, r.validate()
}

// NewZone validates args and registers a public hosted zone named name.
func NewZone(ctx *pulumi.Context, name string, args *ZoneArgs, opts ...pulumi.ResourceOption) (*Zone, error) {
	a, err := args.resolve()
	if err != nil {
		return nil, fmt.Errorf("zone %q: %w", name, err)
	}
	z := &Zone{}
	if err := ctx.RegisterComponentResource(ZoneType, name, z, opts...); err != nil {
		return nil, err
	}
	zopts := []pulumi.ResourceOption{pulumi.Parent(z)}
	if !a.AllowDelete {
		zopts = append(zopts, pulumi.RetainOnDelete(true))
	}
	zone, err := route53.NewZone(ctx, name, &route53.ZoneArgs{
		Name:         pulumi.String(a.DomainName),
		Comment:      pulumi.String(a.Comment),
		ForceDestroy: pulumi.Bool(a.ForceDestroy),
		Tags:         pulumi.ToStringMap(a.Tags),
	}, zopts...)
	if err != nil {
		return nil, fmt.Errorf("zone %q: creating hosted zone: %w", name, err)
	}
	z.ZoneID = zone.ZoneId
	z.NameServers = zone.NameServers
	z.Name = zone.Name
	return z, ctx.RegisterResourceOutputs(z, pulumi.Map{
		"zoneId":      z.ZoneID,
		"nameServers": z.NameServers,
		"name":        z.Name,
	})
}
