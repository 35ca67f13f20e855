package loadbalancer_test

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/scalestack/scalestack/components/gcp/loadbalancer"
	"github.com/scalestack/scalestack/testkit"
)

// An HTTPS load balancer with Cloud CDN over two regions' instance groups.
func Example() {
	plan, err := testkit.RunExports(func(ctx *pulumi.Context) (pulumi.Map, error) {
		lb, err := loadbalancer.New(ctx, "shop", &loadbalancer.Args{
			Backends: []loadbalancer.Backend{
				{Key: "primary", Group: pulumi.String("https://www.googleapis.com/compute/v1/projects/p/regions/us-central1/instanceGroups/web")},
				{Key: "secondary", Group: pulumi.String("https://www.googleapis.com/compute/v1/projects/p/regions/us-east1/instanceGroups/web")},
			},
			Domains: []string{"shop.example.com"},
			CDN:     true,
		})
		if err != nil {
			return nil, err
		}
		return pulumi.Map{"url": lb.URL}, nil
	})
	if err != nil {
		panic(err)
	}
	fmt.Println(plan.Outputs["url"], len(plan.ByType("gcp:compute/globalForwardingRule:GlobalForwardingRule")))
	// Output: https://shop.example.com/ 2
}
