package dns_test

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/scalestack/scalestack/components/aws/dns"
	"github.com/scalestack/scalestack/testkit"
)

// A hosted zone for the stack's domain, a CloudFront certificate in us-east-1 validated
// through it, and an alias for the primary region's load balancer.
func Example() {
	plan, err := testkit.Run(func(ctx *pulumi.Context) error {
		primary, err := aws.NewProvider(ctx, "aws-eu-west-1", &aws.ProviderArgs{Region: pulumi.String("eu-west-1")})
		if err != nil {
			return err
		}
		edge, err := aws.NewProvider(ctx, "aws-us-east-1", &aws.ProviderArgs{Region: pulumi.String("us-east-1")})
		if err != nil {
			return err
		}
		zone, err := dns.NewZone(ctx, "app", &dns.ZoneArgs{DomainName: "app.example.com"}, pulumi.Provider(primary))
		if err != nil {
			return err
		}
		// Regional certificate for the ALB, covering the origin name CloudFront connects to.
		if _, err := dns.NewCertificate(ctx, "app-eu-west-1", &dns.CertificateArgs{
			DomainName:              "app.example.com",
			SubjectAlternativeNames: []string{"origin-eu-west-1.app.example.com"},
			ZoneID:                  zone.ZoneID,
		}, pulumi.Provider(primary)); err != nil {
			return err
		}
		// CloudFront's certificate must come from us-east-1.
		if _, err := dns.NewCertificate(ctx, "app-edge", &dns.CertificateArgs{
			DomainName: "app.example.com",
			ZoneID:     zone.ZoneID,
		}, pulumi.Provider(edge)); err != nil {
			return err
		}
		_, err = dns.NewAlias(ctx, "origin-eu-west-1", &dns.AliasArgs{
			ZoneID:     zone.ZoneID,
			RecordName: "origin-eu-west-1.app.example.com",
			Target: dns.AliasTarget{
				DNSName: pulumi.String("web-123.eu-west-1.elb.amazonaws.com"), // alb.DnsName
				ZoneID:  pulumi.String("Z32O12XQLNTSW2"),                      // alb.ZoneId
			},
			EvaluateTargetHealth: true,
		}, pulumi.Provider(primary))
		return err
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, c := range plan.ByType("aws:acm/certificate:Certificate") {
		fmt.Println(c.Name, c.Region())
	}
	counts := plan.CountByType()
	fmt.Println("validations:", counts["aws:acm/certificateValidation:CertificateValidation"])
	fmt.Println("records:", counts["aws:route53/record:Record"], "(3 validation records, 1 alias)")
	// Unordered output:
	// app-eu-west-1 eu-west-1
	// app-edge us-east-1
	// validations: 2
	// records: 4 (3 validation records, 1 alias)
}
