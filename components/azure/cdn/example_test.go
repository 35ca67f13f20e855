package cdn_test

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/scalestack/scalestack/components/azure/cdn"
	"github.com/scalestack/scalestack/testkit"
)

// Front Door over two regions' gateways, serving app.example.com with a managed certificate.
func Example() {
	plan, err := testkit.Run(func(ctx *pulumi.Context) error {
		_, err := cdn.New(ctx, "app-edge", &cdn.Args{
			ResourceGroupName: pulumi.String("app-rg"),
			CustomDomain:      "app.example.com",
			OriginHTTPS:       true,
			Origins: []cdn.Origin{
				{Key: "primary", HostName: pulumi.String("app-gw-1.eastus2.cloudapp.azure.com")},
				{Key: "secondary", HostName: pulumi.String("app-gw-2.centralus.cloudapp.azure.com")},
			},
		})
		return err
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, name := range []string{"app-edge-primary", "app-edge-secondary"} {
		o := plan.Find("azure-native:cdn:AFDOrigin", name)
		fmt.Println(o.Name, o.Input("priority"), o.Input("hostName"))
	}
	// Output:
	// app-edge-primary 1 app-gw-1.eastus2.cloudapp.azure.com
	// app-edge-secondary 2 app-gw-2.centralus.cloudapp.azure.com
}
