package loadbalancer_test

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/scalestack/scalestack/components/aws/loadbalancer"
	"github.com/scalestack/scalestack/testkit"
)

// An internet-facing ALB in us-west-2 with an ACM certificate: HTTPS on 443, HTTP on 80
// redirecting to it, targets on port 8080 checked at /healthz. Run offline here through
// testkit; in a stack, VpcID and SubnetIDs come from the network component and
// CertificateARN from a validated ACM certificate.
func Example() {
	plan, err := testkit.Run(func(ctx *pulumi.Context) error {
		usWest2, err := aws.NewProvider(ctx, "aws-us-west-2", &aws.ProviderArgs{Region: pulumi.String("us-west-2")})
		if err != nil {
			return err
		}
		alb, err := loadbalancer.New(ctx, "web", &loadbalancer.Args{
			VpcID:              pulumi.String("vpc-0123456789abcdef0"),
			SubnetIDs:          pulumi.ToStringArray([]string{"subnet-0a", "subnet-0b", "subnet-0c"}),
			Region:             "us-west-2",
			CertificateARN:     pulumi.String("arn:aws:acm:us-west-2:123456789012:certificate/example"),
			DeletionProtection: true,
		}, pulumi.Provider(usWest2))
		if err != nil {
			return err
		}
		// Give alb.TargetGroupARN and alb.SecurityGroupID to the web tier, alb.DNSName and
		// alb.ZoneID to DNS records.
		_ = alb.TargetGroupARN
		return nil
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, name := range []string{"web-https", "web-http"} {
		l := plan.Find("aws:lb/listener:Listener", name)
		fmt.Println(l.Name, l.Input("port"), l.Input("defaultActions.0.type"))
	}
	// Output:
	// web-https 443 forward
	// web-http 80 redirect
}
