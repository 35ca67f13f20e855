// Command aws-mixed composes scalestack components (network, database) with plain AWS
// resources of its own (an SQS queue, an ElastiCache Redis cluster, IAM), wiring outputs in
// both directions.
package main

import (
	"encoding/json"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/elasticache"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/sqs"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/scalestack/scalestack/components/aws/database"
	"github.com/scalestack/scalestack/components/aws/network"
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

const redisPort = 6379

// program is the Pulumi program; it returns the stack outputs. `pulumi up` runs it through
// main, the test through testkit.RunExports.
func program(ctx *pulumi.Context) (pulumi.Map, error) {
	region := "us-east-1"
	if v, ok := ctx.GetConfig(ctx.Project() + ":region"); ok && v != "" {
		region = v
	}
	provider, err := aws.NewProvider(ctx, "aws-"+region, &aws.ProviderArgs{Region: pulumi.String(region)})
	if err != nil {
		return nil, err
	}
	in := pulumi.Provider(provider)

	// Ours: the network.
	net, err := network.New(ctx, "jobs", &network.Args{
		AvailabilityZones: []string{region + "a", region + "b"},
	}, in)
	if err != nil {
		return nil, err
	}

	// Yours: the workers' security group, in our VPC. Workers call out over HTTPS and reach
	// the database and the cache; their rules live with the resources they reach.
	workers, err := ec2.NewSecurityGroup(ctx, "workers", &ec2.SecurityGroupArgs{
		VpcId:       net.VpcID,
		Description: pulumi.String("queue workers"),
		Egress: ec2.SecurityGroupEgressArray{&ec2.SecurityGroupEgressArgs{
			Description: pulumi.String("HTTPS to AWS APIs"),
			Protocol:    pulumi.String("tcp"), FromPort: pulumi.Int(443), ToPort: pulumi.Int(443),
			CidrBlocks: pulumi.StringArray{pulumi.String("0.0.0.0/0")},
		}},
	}, in)
	if err != nil {
		return nil, err
	}

	// Ours, fed by yours: only the workers reach the database.
	db, err := database.New(ctx, "jobs-db", &database.Args{
		VpcID:                   net.VpcID,
		SubnetIDs:               net.DataSubnetIDs,
		AllowedSecurityGroupIDs: pulumi.StringArray{workers.ID()},
		DeletionProtection:      pulumi.BoolRef(false), // a demo: `pulumi destroy` must work
	}, in)
	if err != nil {
		return nil, err
	}

	// Yours: the job queue and its dead-letter queue, encrypted with SQS-managed keys.
	dlq, err := sqs.NewQueue(ctx, "jobs-dlq", &sqs.QueueArgs{
		SqsManagedSseEnabled:    pulumi.Bool(true),
		MessageRetentionSeconds: pulumi.Int(14 * 24 * 3600),
	}, in)
	if err != nil {
		return nil, err
	}
	queue, err := sqs.NewQueue(ctx, "jobs", &sqs.QueueArgs{
		SqsManagedSseEnabled:     pulumi.Bool(true),
		VisibilityTimeoutSeconds: pulumi.Int(300),
		RedrivePolicy: dlq.Arn.ApplyT(func(arn string) (string, error) {
			b, err := json.Marshal(map[string]any{"deadLetterTargetArn": arn, "maxReceiveCount": 5})
			return string(b), err
		}).(pulumi.StringOutput),
	}, in)
	if err != nil {
		return nil, err
	}

	// Yours, fed by ours: a Redis cache in our data subnets, reachable from the workers only.
	cacheSubnets, err := elasticache.NewSubnetGroup(ctx, "jobs-cache", &elasticache.SubnetGroupArgs{
		SubnetIds: net.DataSubnetIDs,
	}, in)
	if err != nil {
		return nil, err
	}
	cacheSG, err := ec2.NewSecurityGroup(ctx, "jobs-cache", &ec2.SecurityGroupArgs{
		VpcId:       net.VpcID,
		Description: pulumi.String("Redis from the workers only"),
		Ingress: ec2.SecurityGroupIngressArray{&ec2.SecurityGroupIngressArgs{
			Protocol: pulumi.String("tcp"), FromPort: pulumi.Int(redisPort), ToPort: pulumi.Int(redisPort),
			SecurityGroups: pulumi.StringArray{workers.ID()},
		}},
	}, in)
	if err != nil {
		return nil, err
	}
	cache, err := elasticache.NewReplicationGroup(ctx, "jobs-cache", &elasticache.ReplicationGroupArgs{
		Description:              pulumi.String("job results cache"),
		Engine:                   pulumi.String("redis"),
		NodeType:                 pulumi.String("cache.t4g.small"),
		NumCacheClusters:         pulumi.Int(2),
		AutomaticFailoverEnabled: pulumi.Bool(true),
		MultiAzEnabled:           pulumi.Bool(true),
		AtRestEncryptionEnabled:  pulumi.Bool(true),
		TransitEncryptionEnabled: pulumi.Bool(true),
		Port:                     pulumi.Int(redisPort),
		SubnetGroupName:          cacheSubnets.Name,
		SecurityGroupIds:         pulumi.StringArray{cacheSG.ID()},
	}, in)
	if err != nil {
		return nil, err
	}

	// Yours, fed by ours and yours: the workers' role may consume the queue and read the
	// database's master secret (which RDS manages; no password in state), nothing more.
	role, err := iam.NewRole(ctx, "workers", &iam.RoleArgs{
		AssumeRolePolicy: pulumi.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow",` +
			`"Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`),
	}, in)
	if err != nil {
		return nil, err
	}
	policy := pulumi.All(queue.Arn, db.MasterUserSecretARN).ApplyT(func(v []any) (string, error) {
		b, err := json.Marshal(map[string]any{
			"Version": "2012-10-17",
			"Statement": []map[string]any{
				{"Effect": "Allow", "Resource": v[0],
					"Action": []string{"sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility"}},
				{"Effect": "Allow", "Resource": v[1], "Action": "secretsmanager:GetSecretValue"},
			},
		})
		return string(b), err
	}).(pulumi.StringOutput)
	if _, err := iam.NewRolePolicy(ctx, "workers", &iam.RolePolicyArgs{Role: role.Name, Policy: policy}, in); err != nil {
		return nil, err
	}

	return pulumi.Map{
		"queueUrl":      queue.Url,
		"cacheEndpoint": cache.PrimaryEndpointAddress,
		"dbEndpoint":    db.Endpoint,
		"workerRoleArn": role.Arn,
	}, nil
}
