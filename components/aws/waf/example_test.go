package waf_test

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/scalestack/scalestack/components/aws/waf"
	"github.com/scalestack/scalestack/testkit"
)

// A web ACL for a CloudFront distribution, created with the us-east-1 provider. Pass
// acl.WebACLARN to cdn.Args.WebACLARN.
func Example() {
	plan, err := testkit.Run(func(ctx *pulumi.Context) error {
		edge, err := aws.NewProvider(ctx, "aws-us-east-1", &aws.ProviderArgs{Region: pulumi.String("us-east-1")})
		if err != nil {
			return err
		}
		acl, err := waf.New(ctx, "shop-edge", &waf.Args{RateLimitPer5Minutes: 1000}, pulumi.Provider(edge))
		if err != nil {
			return err
		}
		ctx.Export("webAclArn", acl.WebACLARN)
		return nil
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	acl := plan.ByType("aws:wafv2/webAcl:WebAcl")[0]
	fmt.Println(acl.Region(), acl.Input("scope"))
	for i := 0; i < 4; i++ {
		fmt.Println(acl.Input(fmt.Sprintf("rules.%d.name", i)))
	}
	// Output:
	// us-east-1 CLOUDFRONT
	// AWSManagedRulesCommonRuleSet
	// AWSManagedRulesKnownBadInputsRuleSet
	// AWSManagedRulesAmazonIpReputationList
	// rate-limit-per-ip
}
