package dns

import (
	"fmt"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/route53"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// AliasType is the type token of Alias: part of every child's URN.
const AliasType = "scalestack:aws:Alias"

// AliasTarget is what an alias record points at: an ALB (its DNSName and ZoneID outputs) or
// a CloudFront distribution (DomainName and HostedZoneID).
type AliasTarget struct {
	// DNSName is the target's DNS name. Required.
	DNSName pulumi.StringInput
	// ZoneID is the target's own hosted zone id (not the zone the record is in). Required.
	ZoneID pulumi.StringInput
}

// AliasArgs configures an Alias. Zero values mean the documented default.
type AliasArgs struct {
	// ZoneID is the hosted zone the records are created in. Required.
	ZoneID pulumi.StringInput
	// RecordName is the record's fully qualified name ("origin-us-east-1.app.example.com").
	// Required; it must be in the zone.
	RecordName string
	// Target is the ALB or distribution the name resolves to. Required.
	Target AliasTarget
	// IPv6 also creates an AAAA alias record. Default: false (only A). Set it for CloudFront
	// distributions and dual-stack load balancers.
	IPv6 bool
	// EvaluateTargetHealth makes Route 53 answer from this record only while the target is
	// healthy. Default: false. Not supported for CloudFront targets.
	EvaluateTargetHealth bool
}

// Alias is an A (and optionally AAAA) alias record to a load balancer or distribution.
type Alias struct {
	pulumi.ResourceState

	// FQDN is the record's fully qualified name.
	FQDN pulumi.StringOutput `pulumi:"fqdn"`
}

// validate checks args without registering anything.
func (a AliasArgs) validate() error {
	if a.ZoneID == nil {
		return fmt.Errorf("ZoneID is required: want the hosted zone the record goes in")
	}
	if err := ValidateDomainName("RecordName", a.RecordName, false); err != nil {
		return err
	}
	if a.Target.DNSName == nil || a.Target.ZoneID == nil {
		return fmt.Errorf("Target.DNSName and Target.ZoneID are required: want the load balancer's or distribution's DNS name and hosted zone id")
	}
	return nil
}

// recordTypes are the record types to create.
func (a AliasArgs) recordTypes() []string {
	if a.IPv6 {
		return []string{"A", "AAAA"}
	}
	return []string{"A"}
}

// NewAlias validates args and registers alias records named "<name>-a" (and "<name>-aaaa").
func NewAlias(ctx *pulumi.Context, name string, args *AliasArgs, opts ...pulumi.ResourceOption) (*Alias, error) {
	if args == nil {
		return nil, fmt.Errorf("alias %q: args are required: want ZoneID, RecordName and Target", name)
	}
	a := *args
	if err := a.validate(); err != nil {
		return nil, fmt.Errorf("alias %q: %w", name, err)
	}
	al := &Alias{}
	if err := ctx.RegisterComponentResource(AliasType, name, al, opts...); err != nil {
		return nil, err
	}
	for i, typ := range a.recordTypes() {
		rec, err := route53.NewRecord(ctx, name+"-"+strings.ToLower(typ), &route53.RecordArgs{
			ZoneId: a.ZoneID,
			Name:   pulumi.String(a.RecordName),
			Type:   pulumi.String(typ),
			Aliases: route53.RecordAliasArray{&route53.RecordAliasArgs{
				Name:                 a.Target.DNSName,
				ZoneId:               a.Target.ZoneID,
				EvaluateTargetHealth: pulumi.Bool(a.EvaluateTargetHealth),
			}},
		}, pulumi.Parent(al))
		if err != nil {
			return nil, fmt.Errorf("alias %q: creating %s record: %w", name, typ, err)
		}
		if i == 0 {
			al.FQDN = rec.Fqdn
		}
	}
	return al, ctx.RegisterResourceOutputs(al, pulumi.Map{"fqdn": al.FQDN})
}
