package failover_test

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/scalestack/scalestack/components/aws/failover"
	"github.com/scalestack/scalestack/testkit"
)

// app.example.com answers with the us-east-1 load balancer while its health check passes,
// and with the us-west-2 one otherwise.
func Example() {
	plan, err := testkit.Run(func(ctx *pulumi.Context) error {
		p, err := aws.NewProvider(ctx, "aws-us-east-1", &aws.ProviderArgs{Region: pulumi.String("us-east-1")})
		if err != nil {
			return err
		}
		_, err = failover.New(ctx, "app", &failover.Args{
			ZoneID:     pulumi.String("Z0123456789ABC"), // zone.ZoneID
			RecordName: "app.example.com",
			Primary: failover.Endpoint{
				DNSName:         pulumi.String("web-1.us-east-1.elb.amazonaws.com"), // alb.DnsName
				ZoneID:          pulumi.String("Z35SXDOTRQ7X7K"),                    // alb.ZoneId
				HealthCheckFQDN: pulumi.String("origin-us-east-1.app.example.com"),
			},
			Secondary: failover.Endpoint{
				DNSName:         pulumi.String("web-2.us-west-2.elb.amazonaws.com"),
				ZoneID:          pulumi.String("Z1H1FL5HABSF5"),
				HealthCheckFQDN: pulumi.String("origin-us-west-2.app.example.com"),
			},
		}, pulumi.Provider(p))
		return err
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range plan.ByType("aws:route53/record:Record") {
		fmt.Println(r.Name, r.Input("failoverRoutingPolicies.0.type"), r.Input("aliases.0.name"))
	}
	// Unordered output:
	// app-primary-a PRIMARY web-1.us-east-1.elb.amazonaws.com
	// app-secondary-a SECONDARY web-2.us-west-2.elb.amazonaws.com
}
