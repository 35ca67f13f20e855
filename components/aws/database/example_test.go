package database_test

import (
	"fmt"
	"sort"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/scalestack/scalestack/components/aws/database"
	"github.com/scalestack/scalestack/testkit"
)

// A Multi-AZ primary in us-east-1 with one read replica there and a cross-region replica in
// us-west-2, reachable only from the web tier's security groups. Run offline under testkit.
func Example() {
	plan, err := testkit.Run(func(ctx *pulumi.Context) error {
		east, err := aws.NewProvider(ctx, "aws-us-east-1", &aws.ProviderArgs{Region: pulumi.String("us-east-1")})
		if err != nil {
			return err
		}
		west, err := aws.NewProvider(ctx, "aws-us-west-2", &aws.ProviderArgs{Region: pulumi.String("us-west-2")})
		if err != nil {
			return err
		}
		db, err := database.New(ctx, "app-db", &database.Args{
			VpcID:                   pulumi.String("vpc-0123456789abcdef0"),
			SubnetIDs:               pulumi.ToStringArray([]string{"subnet-0a", "subnet-0b"}),
			AllowedSecurityGroupIDs: pulumi.ToStringArray([]string{"sg-0web"}),
			ReadReplicas:            1,
			CrossRegion: &database.CrossRegionArgs{
				Provider:                west,
				VpcID:                   pulumi.String("vpc-0fedcba9876543210"),
				SubnetIDs:               pulumi.ToStringArray([]string{"subnet-0c", "subnet-0d"}),
				AllowedSecurityGroupIDs: pulumi.ToStringArray([]string{"sg-0webwest"}),
			},
		}, pulumi.Provider(east))
		if err != nil {
			return err
		}
		ctx.Export("endpoint", db.Endpoint)
		return nil
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	dbs := plan.ByType("aws:rds/instance:Instance")
	sort.Slice(dbs, func(i, j int) bool { return dbs[i].Name < dbs[j].Name })
	for _, r := range dbs {
		fmt.Println(r.Name, r.Region(), r.Input("replicateSourceDb") != nil)
	}
	// Output:
	// app-db us-east-1 false
	// app-db-replica-1 us-east-1 true
	// app-db-secondary us-west-2 true
}
