package webtier_test

import (
	"fmt"

	"github.com/pulumi/pulumi-gcp/sdk/v7/go/gcp"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/scalestack/scalestack/components/gcp/webtier"
	"github.com/scalestack/scalestack/testkit"
)

// A web tier in europe-west1 that holds 55% CPU between 2 and 10 instances.
func Example() {
	plan, err := testkit.Run(func(ctx *pulumi.Context) error {
		p, err := gcp.NewProvider(ctx, "gcp-europe-west1", &gcp.ProviderArgs{Region: pulumi.String("europe-west1")})
		if err != nil {
			return err
		}
		_, err = webtier.New(ctx, "shop-web", &webtier.Args{
			Project:          pulumi.String("my-project"),
			Subnetwork:       pulumi.String("projects/my-project/regions/europe-west1/subnetworks/shop"),
			NetworkTag:       "shop-web",
			Zones:            []string{"europe-west1-b", "europe-west1-c", "europe-west1-d"},
			MinSize:          2,
			MaxSize:          10,
			TargetCPUPercent: 55,
		}, pulumi.Provider(p))
		return err
	})
	if err != nil {
		panic(err)
	}
	as := plan.ByType("gcp:compute/regionAutoscaler:RegionAutoscaler")[0]
	fmt.Println(as.Region(), as.Input("autoscalingPolicy.minReplicas"), as.Input("autoscalingPolicy.maxReplicas"), as.Input("autoscalingPolicy.cpuUtilization.target"))
	// Output: europe-west1 2 10 0.55
}
