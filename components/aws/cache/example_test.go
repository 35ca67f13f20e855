package cache_test

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/scalestack/scalestack/components/aws/cache"
	"github.com/scalestack/scalestack/components/aws/network"
	"github.com/scalestack/scalestack/testkit"
)

// A Valkey cache in a network's data subnets, reachable only from the web tier's security
// group, sized by memory. Run offline here through testkit.
func Example() {
	plan, err := testkit.Run(func(ctx *pulumi.Context) error {
		usEast1, err := aws.NewProvider(ctx, "aws-us-east-1", &aws.ProviderArgs{Region: pulumi.String("us-east-1")})
		if err != nil {
			return err
		}
		in := pulumi.Provider(usEast1)
		net, err := network.New(ctx, "app", &network.Args{AvailabilityZones: []string{"us-east-1a", "us-east-1b"}}, in)
		if err != nil {
			return err
		}
		web, err := ec2.NewSecurityGroup(ctx, "app-web", &ec2.SecurityGroupArgs{VpcId: net.VpcID}, in)
		if err != nil {
			return err
		}
		nodeType, err := cache.NodeTypeForMemoryGB(3)
		if err != nil {
			return err
		}
		c, err := cache.New(ctx, "app-cache", &cache.Args{
			VpcID:                   net.VpcID,
			SubnetIDs:               net.DataSubnetIDs,
			AllowedSecurityGroupIDs: map[string]pulumi.StringInput{"web": web.ID()},
			NodeType:                nodeType,
			Replicas:                1,
			EvictionPolicy:          "allkeys-lru",
		}, in)
		if err != nil {
			return err
		}
		ctx.Export("cacheEndpoint", c.PrimaryEndpoint)
		ctx.Export("cacheAuthSecretArn", c.AuthSecretARN)
		return nil
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	g := plan.Find("aws:elasticache/replicationGroup:ReplicationGroup", "app-cache")
	for _, k := range []string{"engine", "nodeType", "numCacheClusters", "multiAzEnabled", "transitEncryptionMode", "atRestEncryptionEnabled"} {
		fmt.Println(k, g.InputString(k))
	}
	// Output:
	// engine valkey
	// nodeType cache.t4g.medium
	// numCacheClusters 2
	// multiAzEnabled true
	// transitEncryptionMode required
	// atRestEncryptionEnabled true
}
