package backend_test

import (
	"fmt"

	"github.com/pulumi/pulumi-gcp/sdk/v7/go/gcp"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/scalestack/scalestack/components/gcp/backend"
	"github.com/scalestack/scalestack/components/gcp/webtier"
	"github.com/scalestack/scalestack/testkit"
)

// A whole backend over us-central1 and us-east1 (both serving) in one call.
func Example() {
	plan, err := testkit.Run(func(ctx *pulumi.Context) error {
		primary, err := gcp.NewProvider(ctx, "gcp-us-central1", &gcp.ProviderArgs{
			Project: pulumi.String("my-project"), Region: pulumi.String("us-central1")})
		if err != nil {
			return err
		}
		secondary, err := gcp.NewProvider(ctx, "gcp-us-east1", &gcp.ProviderArgs{
			Project: pulumi.String("my-project"), Region: pulumi.String("us-east1")})
		if err != nil {
			return err
		}
		_, err = backend.New(ctx, "shop", &backend.Args{
			Project:           "my-project",
			SecondaryProvider: secondary,
			Web: backend.Web{MinSize: 2, MaxSize: 10,
				PrimaryZones: webtier.DefaultZones("us-central1"), SecondaryZones: webtier.DefaultZones("us-east1")},
			Database:   backend.Database{HighAvailability: true, ReadReplicas: 1, CrossRegionReplica: true},
			CDN:        true,
			Domain:     "shop.example.com",
			AlertEmail: "ops@example.com",
		}, pulumi.Provider(primary))
		return err
	})
	if err != nil {
		panic(err)
	}
	byRegion := plan.CountByRegion()
	for _, region := range []string{"us-central1", "us-east1"} {
		fmt.Println(region, byRegion[region]["gcp:compute/regionInstanceGroupManager:RegionInstanceGroupManager"],
			byRegion[region]["gcp:sql/databaseInstance:DatabaseInstance"])
	}
	// Output:
	// us-central1 1 2
	// us-east1 1 1
}
