// Command aws-database-backup deploys a scalestack PostgreSQL database with read replicas
// and an AWS Backup plan that covers it and copies its recovery points to a second region.
package main

import (
	"cmp"
	"fmt"
	"strconv"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"

	"github.com/scalestack/scalestack/components/aws/backup"
	"github.com/scalestack/scalestack/components/aws/database"
	"github.com/scalestack/scalestack/providers"
	"github.com/scalestack/scalestack/providers/awsregions"
)

func main() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		outputs, err := program(ctx)
		for k, v := range outputs {
			ctx.Export(k, v)
		}
		return err
	})
}

// program is the Pulumi program; it returns the stack outputs. `pulumi up` runs it through
// main, the test through testkit.RunExports.
func program(ctx *pulumi.Context) (pulumi.Map, error) {
	vpcID, err := config.Try(ctx, "vpcId")
	if err != nil {
		return nil, err
	}
	var subnets, clients []string
	if err := config.TryObject(ctx, "dataSubnetIds", &subnets); err != nil {
		return nil, fmt.Errorf("config dataSubnetIds: %w", err)
	}
	if err := config.TryObject(ctx, "clientSecurityGroupIds", &clients); err != nil {
		return nil, fmt.Errorf("config clientSecurityGroupIds: %w", err)
	}
	replicas, err := strconv.Atoi(cmp.Or(config.Get(ctx, "readReplicas"), "2"))
	if err != nil {
		return nil, fmt.Errorf("configuration variable %q: want a whole number: %w", ctx.Project()+":readReplicas", err)
	}

	// One provider per region, with the default tags on every resource.
	regions, err := awsregions.New(ctx, awsregions.Args{
		Primary:   cmp.Or(config.Get(ctx, "region"), "us-east-1"),
		Secondary: cmp.Or(config.Get(ctx, "copyRegion"), "us-west-2"),
		Tags:      providers.DefaultTags(ctx.Project(), ctx.Stack(), ctx.Stack()),
	})
	if err != nil {
		return nil, err
	}

	db, err := database.New(ctx, "orders", &database.Args{
		VpcID:                   pulumi.String(vpcID),
		SubnetIDs:               pulumi.ToStringArray(subnets),
		AllowedSecurityGroupIDs: pulumi.ToStringArray(clients),
		ReadReplicas:            replicas,
		BackupRetentionDays:     14,
	}, pulumi.Provider(regions.Primary))
	if err != nil {
		return nil, err
	}

	bk, err := backup.New(ctx, "orders-backup", &backup.Args{
		DailyAt:             "02:30",
		RetentionDays:       35,
		WeeklyRetentionDays: 180,
		ResourceARNs:        pulumi.StringArray{db.PrimaryARN},
		Copy:                &backup.CopyArgs{Provider: regions.Secondary},
	}, pulumi.Provider(regions.Primary))
	if err != nil {
		return nil, err
	}

	replicaEndpoints := pulumi.StringArray{}
	for _, r := range db.Replicas {
		replicaEndpoints = append(replicaEndpoints, r.Endpoint)
	}
	return pulumi.Map{
		"endpoint":            db.Endpoint,
		"replicaEndpoints":    replicaEndpoints,
		"masterUserSecretArn": db.MasterUserSecretARN,
		"backupVaultArn":      bk.VaultARN,
		"copyVaultArn":        bk.CopyVaultARN,
	}, nil
}
