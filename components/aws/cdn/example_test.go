package cdn_test

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/scalestack/scalestack/components/aws/cdn"
	"github.com/scalestack/scalestack/testkit"
)

// CloudFront in front of two regions' load balancers (reached through names in the stack's
// zone that their certificates cover), with a us-east-1 viewer certificate.
func Example() {
	plan, err := testkit.Run(func(ctx *pulumi.Context) error {
		edge, err := aws.NewProvider(ctx, "aws-us-east-1", &aws.ProviderArgs{Region: pulumi.String("us-east-1")})
		if err != nil {
			return err
		}
		_, err = cdn.New(ctx, "web", &cdn.Args{
			PrimaryOrigin:      cdn.Origin{DomainName: pulumi.String("origin-us-east-1.app.example.com")},
			SecondaryOrigin:    &cdn.Origin{DomainName: pulumi.String("origin-us-west-2.app.example.com")},
			CachedPathPatterns: []string{"/assets/*"},
			// From dns.NewCertificate with the us-east-1 provider: certificate.CertificateARN.
			CertificateARN: pulumi.String("arn:aws:acm:us-east-1:123456789012:certificate/abc"),
			Aliases:        []string{"app.example.com"},
		}, pulumi.Provider(edge))
		return err
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	dist := plan.ByType("aws:cloudfront/distribution:Distribution")[0]
	fmt.Println("default →", dist.Input("defaultCacheBehavior.targetOriginId"))
	for _, b := range dist.Input("orderedCacheBehaviors").([]any) {
		m := b.(map[string]any)
		fmt.Println(m["pathPattern"], "→", m["targetOriginId"])
	}
	fmt.Println("viewer TLS:", dist.Input("viewerCertificate.minimumProtocolVersion"))
	// Output:
	// default → primary
	// /static/* → static
	// /assets/* → primary-failover
	// viewer TLS: TLSv1.2_2021
}
