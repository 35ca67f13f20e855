package cache_test

import (
	"fmt"

	"github.com/pulumi/pulumi-gcp/sdk/v7/go/gcp"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/scalestack/scalestack/components/gcp/cache"
	"github.com/scalestack/scalestack/components/gcp/network"
	"github.com/scalestack/scalestack/testkit"
)

// A Memorystore cache with two read replicas on the network's private services range.
// Run offline here through testkit.
func Example() {
	plan, err := testkit.Run(func(ctx *pulumi.Context) error {
		p, err := gcp.NewProvider(ctx, "gcp-us-central1", &gcp.ProviderArgs{Project: pulumi.String("my-project"), Region: pulumi.String("us-central1")})
		if err != nil {
			return err
		}
		net, err := network.New(ctx, "app", &network.Args{}, pulumi.Provider(p))
		if err != nil {
			return err
		}
		c, err := cache.New(ctx, "app-cache", &cache.Args{AuthorizedNetwork: net.PrivateNetwork, MemoryGB: 5, Replicas: 2}, pulumi.Provider(p))
		if err != nil {
			return err
		}
		ctx.Export("cacheHost", c.Host)
		return nil
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	r := plan.Find("gcp:redis/instance:Instance", "app-cache")
	for _, k := range []string{"tier", "replicaCount", "readReplicasMode", "transitEncryptionMode", "authEnabled"} {
		fmt.Println(k, r.InputString(k))
	}
	// Output:
	// tier STANDARD_HA
	// replicaCount 2
	// readReplicasMode READ_REPLICAS_ENABLED
	// transitEncryptionMode SERVER_AUTHENTICATION
	// authEnabled true
}
