package backend_test

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/scalestack/scalestack/components/azure/backend"
	"github.com/scalestack/scalestack/providers/azureregions"
	"github.com/scalestack/scalestack/testkit"
)

// The whole backend over East US 2 (active) and Central US (warm standby) in one call.
func Example() {
	plan, err := testkit.Run(func(ctx *pulumi.Context) error {
		regions, err := azureregions.New(ctx, azureregions.Args{Primary: "eastus2", Secondary: "centralus"})
		if err != nil {
			return err
		}
		_, err = backend.New(ctx, "shop", &backend.Args{
			PrimaryLocation:   "eastus2",
			SecondaryLocation: "centralus",
			SecondaryProvider: regions.Secondary,
			Web:               backend.Web{MinSize: 2, MaxSize: 10},
			Database: backend.Database{
				AdminLogin: "sql-admins", AdminObjectID: "11111111-2222-3333-4444-555555555555",
				GeoSecondary: true,
			},
			CDN:        backend.CDN{Enabled: true},
			AlertEmail: "ops@example.com",
		}, pulumi.Provider(regions.Primary))
		return err
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, loc := range []string{"eastus2", "centralus"} {
		fmt.Println(loc, plan.CountByRegion()[loc]["azure-native:compute:VirtualMachineScaleSet"], "scale set")
	}
	// Output:
	// eastus2 1 scale set
	// centralus 1 scale set
}
