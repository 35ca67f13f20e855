package network_test

import (
	"fmt"
	"sort"
	"strings"

	"github.com/pulumi/pulumi-gcp/sdk/v7/go/gcp"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/scalestack/scalestack/components/gcp/network"
	"github.com/scalestack/scalestack/testkit"
)

// A VPC over two regions: the primary region comes from the provider in opts, the
// secondary from SecondaryProvider.
func Example() {
	plan, err := testkit.Run(func(ctx *pulumi.Context) error {
		primary, err := gcp.NewProvider(ctx, "gcp-us-central1", &gcp.ProviderArgs{Region: pulumi.String("us-central1")})
		if err != nil {
			return err
		}
		secondary, err := gcp.NewProvider(ctx, "gcp-us-east1", &gcp.ProviderArgs{Region: pulumi.String("us-east1")})
		if err != nil {
			return err
		}
		_, err = network.New(ctx, "app", &network.Args{SecondaryProvider: secondary}, pulumi.Provider(primary))
		return err
	})
	if err != nil {
		panic(err)
	}
	var lines []string
	for _, sn := range plan.ByType("gcp:compute/subnetwork:Subnetwork") {
		lines = append(lines, fmt.Sprint(sn.Name, " ", sn.Region(), " ", sn.InputString("ipCidrRange")))
	}
	sort.Strings(lines)
	fmt.Println(strings.Join(lines, "\n"))
	// Output:
	// app-primary us-central1 10.10.0.0/20
	// app-secondary us-east1 10.20.0.0/20
}
