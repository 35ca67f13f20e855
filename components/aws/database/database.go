// Package database creates a managed PostgreSQL database on Amazon RDS: an encrypted,
// private, Multi-AZ primary with a managed master password, N in-region read replicas and an
// optional cross-region read replica in a second region, each reachable only from the
// security groups it is given.
//
// The component is placed in a region by the provider passed in its options; the
// cross-region replica by the provider in CrossRegionArgs. It performs no lookups, so it
// previews offline.
package database

import (
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/kms"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/rds"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// TypeToken is the component's type; it is part of every child's URN, so changing it
// needs pulumi.Aliases.
const TypeToken = "scalestack:aws:Database"

// Port is the PostgreSQL port the security groups admit.
const Port = 5432

// performanceInsightsRetentionDays is the free tier of Performance Insights.
const performanceInsightsRetentionDays = 7

// enhancedMonitoringPolicyARN is the AWS managed policy enhanced monitoring needs.
const enhancedMonitoringPolicyARN = "arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole"

// logExports are the PostgreSQL logs shipped to CloudWatch Logs.
var logExports = []string{"postgresql", "upgrade"}

// Database is a PostgreSQL primary with its replicas.
type Database struct {
	pulumi.ResourceState

	// PrimaryARN is the primary instance's ARN (what AWS Backup selects).
	PrimaryARN pulumi.StringOutput `pulumi:"primaryArn"`
	// PrimaryIdentifier is the primary's DB instance identifier (CloudWatch dimension).
	PrimaryIdentifier pulumi.StringOutput `pulumi:"primaryIdentifier"`
	// Endpoint is the primary's "host:port".
	Endpoint pulumi.StringOutput `pulumi:"endpoint"`
	// Address is the primary's host name.
	Address pulumi.StringOutput `pulumi:"address"`
	// Port is the primary's port.
	Port pulumi.IntOutput `pulumi:"port"`
	// ReplicaIdentifiers are the in-region replicas' identifiers, replica-1 first.
	ReplicaIdentifiers pulumi.StringArrayOutput `pulumi:"replicaIdentifiers"`
	// ReplicaEndpoints are the in-region replicas' "host:port", replica-1 first.
	ReplicaEndpoints pulumi.StringArrayOutput `pulumi:"replicaEndpoints"`
	// CrossRegionReplicaARN is the cross-region replica's ARN, "" without one.
	CrossRegionReplicaARN pulumi.StringOutput `pulumi:"crossRegionReplicaArn"`
	// CrossRegionReplicaIdentifier is the cross-region replica's identifier, "" without one.
	CrossRegionReplicaIdentifier pulumi.StringOutput `pulumi:"crossRegionReplicaIdentifier"`
	// CrossRegionReplicaEndpoint is the cross-region replica's "host:port", "" without one.
	CrossRegionReplicaEndpoint pulumi.StringOutput `pulumi:"crossRegionReplicaEndpoint"`
	// KMSKeyARN is the customer-managed key encrypting the primary's storage, Performance
	// Insights and master user secret.
	KMSKeyARN pulumi.StringOutput `pulumi:"kmsKeyArn"`
	// SecurityGroupID is the primary region's database security group (the primary and the
	// in-region replicas): clients there need an egress rule to it on Port.
	SecurityGroupID pulumi.StringOutput `pulumi:"securityGroupId"`
	// CrossRegionSecurityGroupID is the cross-region replica's security group, "" without one:
	// clients in that region need an egress rule to it on Port.
	CrossRegionSecurityGroupID pulumi.StringOutput `pulumi:"crossRegionSecurityGroupId"`
	// MasterUserSecretKMSKeyARN is the key RDS encrypts the master user secret with (the
	// primary's MasterUserSecretKmsKeyId): reading the secret needs kms:Decrypt on it.
	MasterUserSecretKMSKeyARN pulumi.StringOutput `pulumi:"masterUserSecretKmsKeyArn"`
	// MasterUserSecretARN is the Secrets Manager secret RDS keeps the master password in.
	MasterUserSecretARN pulumi.StringOutput `pulumi:"masterUserSecretArn"`

	// Primary is the primary instance, for dependsOn and further wiring.
	Primary *rds.Instance
	// Replicas are the in-region replicas, replica-1 first (use their Identifier for
	// per-replica alarms: the slice length is known at plan time).
	Replicas []*rds.Instance
	// CrossRegionReplica is the replica in the second region, or nil.
	CrossRegionReplica *rds.Instance
}

// regional is what the database needs in each region it has instances in.
type regional struct {
	key    *kms.Key
	subnet *rds.SubnetGroup
	sg     *ec2.SecurityGroup
	params *rds.ParameterGroup
}

// New validates args, applies defaults and registers the database's resources.
func New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*Database, error) {
	if args == nil {
		args = &Args{}
	}
	a := args.withDefaults()
	if err := validate(name, a); err != nil {
		return nil, fmt.Errorf("database %q: %w", name, err)
	}

	db := &Database{}
	if err := ctx.RegisterComponentResource(TypeToken, name, db, opts...); err != nil {
		return nil, err
	}
	parent := pulumi.Parent(db)
	family := "postgres" + engineVersionRE.FindStringSubmatch(a.EngineVersion)[1]

	home, err := newRegional(ctx, db, name, "", family, *a.FinalSnapshot, a.VpcID, a.SubnetIDs, a.AllowedSecurityGroupIDs, a.Tags)
	if err != nil {
		return nil, err
	}

	var monitoringRoleARN pulumi.StringPtrInput
	if a.MonitoringIntervalSeconds > 0 {
		role, err := monitoringRole(ctx, db, name, a.Tags)
		if err != nil {
			return nil, err
		}
		monitoringRoleARN = role
	}

	// Only ever switch protection on, so protection a caller set on the component holds.
	primaryOpts := []pulumi.ResourceOption{parent}
	if *a.DeletionProtection {
		primaryOpts = append(primaryOpts, pulumi.Protect(true))
	}
	finalSnapshot := *a.FinalSnapshot
	var finalSnapshotID pulumi.StringPtrInput
	if finalSnapshot {
		finalSnapshotID = pulumi.String(name + "-final-snapshot")
	}
	primary, err := rds.NewInstance(ctx, name, &rds.InstanceArgs{
		Engine:                             pulumi.String("postgres"),
		EngineVersion:                      pulumi.String(a.EngineVersion),
		InstanceClass:                      pulumi.String(a.InstanceClass),
		DbName:                             pulumi.String(a.DatabaseName),
		Username:                           pulumi.String(a.Username),
		ManageMasterUserPassword:           pulumi.Bool(true),
		MasterUserSecretKmsKeyId:           home.key.Arn,
		MultiAz:                            pulumi.Bool(*a.MultiAZ),
		StorageType:                        pulumi.String("gp3"),
		AllocatedStorage:                   pulumi.Int(a.AllocatedStorageGB),
		MaxAllocatedStorage:                pulumi.Int(a.MaxAllocatedStorageGB),
		StorageEncrypted:                   pulumi.Bool(true),
		KmsKeyId:                           home.key.Arn,
		DbSubnetGroupName:                  home.subnet.Name,
		VpcSecurityGroupIds:                pulumi.StringArray{home.sg.ID()},
		ParameterGroupName:                 home.params.Name,
		PubliclyAccessible:                 pulumi.Bool(false),
		BackupRetentionPeriod:              pulumi.Int(a.BackupRetentionDays),
		BackupWindow:                       pulumi.String(a.BackupWindow),
		MaintenanceWindow:                  pulumi.String(a.MaintenanceWindow),
		CopyTagsToSnapshot:                 pulumi.Bool(true),
		DeletionProtection:                 pulumi.Bool(*a.DeletionProtection),
		SkipFinalSnapshot:                  pulumi.Bool(!finalSnapshot),
		FinalSnapshotIdentifier:            finalSnapshotID,
		DeleteAutomatedBackups:             pulumi.Bool(false),
		AutoMinorVersionUpgrade:            pulumi.Bool(true),
		EnabledCloudwatchLogsExports:       pulumi.ToStringArray(logExports),
		PerformanceInsightsEnabled:         pulumi.Bool(true),
		PerformanceInsightsKmsKeyId:        home.key.Arn,
		PerformanceInsightsRetentionPeriod: pulumi.Int(performanceInsightsRetentionDays),
		MonitoringInterval:                 pulumi.Int(a.MonitoringIntervalSeconds),
		MonitoringRoleArn:                  monitoringRoleARN,
		Tags:                               tags(a.Tags, name),
	}, primaryOpts...)
	if err != nil {
		return nil, fmt.Errorf("creating primary %q: %w", name, err)
	}
	db.Primary = primary

	replicaIDs := pulumi.StringArray{}
	replicaEndpoints := pulumi.StringArray{}
	for i := 1; i <= a.ReadReplicas; i++ {
		rname := name + "-replica-" + strconv.Itoa(i)
		// Same region: the replica inherits the primary's subnet group and KMS key and
		// replicates from the primary's identifier.
		r, err := rds.NewInstance(ctx, rname, &rds.InstanceArgs{
			ReplicateSourceDb: primary.Identifier,
			// The provider associates a replica's parameter group by a ModifyDBInstance after
			// creating it; apply that now rather than in the maintenance window. The group
			// then reads pending-reboot until the replica's first reboot (docs/operations.md).
			ApplyImmediately:                   pulumi.Bool(true),
			InstanceClass:                      pulumi.String(a.ReplicaInstanceClass),
			StorageType:                        pulumi.String("gp3"),
			MaxAllocatedStorage:                pulumi.Int(a.MaxAllocatedStorageGB),
			StorageEncrypted:                   pulumi.Bool(true),
			VpcSecurityGroupIds:                pulumi.StringArray{home.sg.ID()},
			ParameterGroupName:                 home.params.Name,
			PubliclyAccessible:                 pulumi.Bool(false),
			MaintenanceWindow:                  pulumi.String(a.MaintenanceWindow),
			CopyTagsToSnapshot:                 pulumi.Bool(true),
			SkipFinalSnapshot:                  pulumi.Bool(true),
			AutoMinorVersionUpgrade:            pulumi.Bool(true),
			EnabledCloudwatchLogsExports:       pulumi.ToStringArray(logExports),
			PerformanceInsightsEnabled:         pulumi.Bool(true),
			PerformanceInsightsKmsKeyId:        home.key.Arn,
			PerformanceInsightsRetentionPeriod: pulumi.Int(performanceInsightsRetentionDays),
			MonitoringInterval:                 pulumi.Int(a.MonitoringIntervalSeconds),
			MonitoringRoleArn:                  monitoringRoleARN,
			Tags:                               tags(a.Tags, rname),
		}, parent)
		if err != nil {
			return nil, fmt.Errorf("creating replica %q: %w", rname, err)
		}
		db.Replicas = append(db.Replicas, r)
		replicaIDs = append(replicaIDs, r.Identifier)
		replicaEndpoints = append(replicaEndpoints, r.Endpoint)
	}

	empty := pulumi.String("").ToStringOutput()
	db.CrossRegionReplicaARN, db.CrossRegionReplicaIdentifier, db.CrossRegionReplicaEndpoint = empty, empty, empty
	db.CrossRegionSecurityGroupID = empty
	if cr := a.CrossRegion; cr != nil {
		xname := name + "-secondary"
		away, err := newRegional(ctx, db, name, "-secondary", family, finalSnapshot, cr.VpcID, cr.SubnetIDs, cr.AllowedSecurityGroupIDs, a.Tags, pulumi.Provider(cr.Provider))
		if err != nil {
			return nil, err
		}
		// Another region: replicate from the primary's ARN, into that region's subnet group,
		// encrypted with that region's key. Backups are kept so a promoted replica is
		// recoverable from the first day.
		x, err := rds.NewInstance(ctx, xname, &rds.InstanceArgs{
			ReplicateSourceDb:                  primary.Arn,
			ApplyImmediately:                   pulumi.Bool(true), // see the in-region replicas
			InstanceClass:                      pulumi.String(cr.InstanceClass),
			StorageType:                        pulumi.String("gp3"),
			MaxAllocatedStorage:                pulumi.Int(a.MaxAllocatedStorageGB),
			StorageEncrypted:                   pulumi.Bool(true),
			KmsKeyId:                           away.key.Arn,
			DbSubnetGroupName:                  away.subnet.Name,
			VpcSecurityGroupIds:                pulumi.StringArray{away.sg.ID()},
			ParameterGroupName:                 away.params.Name,
			PubliclyAccessible:                 pulumi.Bool(false),
			BackupRetentionPeriod:              pulumi.Int(a.BackupRetentionDays),
			BackupWindow:                       pulumi.String(a.BackupWindow),
			MaintenanceWindow:                  pulumi.String(a.MaintenanceWindow),
			CopyTagsToSnapshot:                 pulumi.Bool(true),
			DeletionProtection:                 pulumi.Bool(*a.DeletionProtection),
			SkipFinalSnapshot:                  pulumi.Bool(true),
			AutoMinorVersionUpgrade:            pulumi.Bool(true),
			EnabledCloudwatchLogsExports:       pulumi.ToStringArray(logExports),
			PerformanceInsightsEnabled:         pulumi.Bool(true),
			PerformanceInsightsKmsKeyId:        away.key.Arn,
			PerformanceInsightsRetentionPeriod: pulumi.Int(performanceInsightsRetentionDays),
			MonitoringInterval:                 pulumi.Int(a.MonitoringIntervalSeconds),
			MonitoringRoleArn:                  monitoringRoleARN,
			Tags:                               tags(a.Tags, xname),
		}, parent, pulumi.Provider(cr.Provider))
		if err != nil {
			return nil, fmt.Errorf("creating cross-region replica %q: %w", xname, err)
		}
		db.CrossRegionReplica = x
		db.CrossRegionSecurityGroupID = away.sg.ID().ToStringOutput()
		db.CrossRegionReplicaARN, db.CrossRegionReplicaIdentifier, db.CrossRegionReplicaEndpoint = x.Arn, x.Identifier, x.Endpoint
	}

	db.PrimaryARN = primary.Arn
	db.PrimaryIdentifier = primary.Identifier
	db.Endpoint = primary.Endpoint
	db.Address = primary.Address
	db.Port = primary.Port
	db.ReplicaIdentifiers = replicaIDs.ToStringArrayOutput()
	db.ReplicaEndpoints = replicaEndpoints.ToStringArrayOutput()
	db.KMSKeyARN = home.key.Arn
	db.SecurityGroupID = home.sg.ID().ToStringOutput()
	db.MasterUserSecretKMSKeyARN = home.key.Arn
	db.MasterUserSecretARN = primary.MasterUserSecrets.ApplyT(func(s []rds.InstanceMasterUserSecret) string {
		if len(s) == 0 || s[0].SecretArn == nil {
			return ""
		}
		return *s[0].SecretArn
	}).(pulumi.StringOutput)

	return db, ctx.RegisterResourceOutputs(db, pulumi.Map{
		"primaryArn":                   db.PrimaryARN,
		"primaryIdentifier":            db.PrimaryIdentifier,
		"endpoint":                     db.Endpoint,
		"address":                      db.Address,
		"port":                         db.Port,
		"replicaIdentifiers":           db.ReplicaIdentifiers,
		"replicaEndpoints":             db.ReplicaEndpoints,
		"crossRegionReplicaArn":        db.CrossRegionReplicaARN,
		"crossRegionReplicaIdentifier": db.CrossRegionReplicaIdentifier,
		"crossRegionReplicaEndpoint":   db.CrossRegionReplicaEndpoint,
		"kmsKeyArn":                    db.KMSKeyARN,
		"securityGroupId":              db.SecurityGroupID,
		"masterUserSecretArn":          db.MasterUserSecretARN,
		"masterUserSecretKmsKeyArn":    db.MasterUserSecretKMSKeyARN,
		"crossRegionSecurityGroupId":   db.CrossRegionSecurityGroupID,
	})
}

// newRegional creates a region's KMS key, subnet group, security group and parameter group,
// named "<name><suffix>-key" and so on. extra places them (an explicit provider).
func newRegional(ctx *pulumi.Context, db *Database, name, suffix, family string, retainKey bool,
	vpcID pulumi.StringInput, subnetIDs, allowedSGs pulumi.StringArrayInput, userTags map[string]string,
	extra ...pulumi.ResourceOption) (*regional, error) {
	base := name + suffix
	opts := append([]pulumi.ResourceOption{pulumi.Parent(db)}, extra...)
	var r regional
	var err error

	// A snapshot encrypted with a deleted key is unrecoverable: keep the key when a final
	// snapshot is kept.
	keyOpts := opts
	if retainKey {
		keyOpts = append(append([]pulumi.ResourceOption{}, opts...), pulumi.RetainOnDelete(true))
	}
	r.key, err = kms.NewKey(ctx, base+"-key", &kms.KeyArgs{
		Description:          pulumi.Sprintf("RDS storage, Performance Insights and secrets of %s", base),
		EnableKeyRotation:    pulumi.Bool(true),
		DeletionWindowInDays: pulumi.Int(30),
		Tags:                 tags(userTags, base+"-key"),
	}, keyOpts...)
	if err != nil {
		return nil, fmt.Errorf("creating key %q: %w", base+"-key", err)
	}

	r.subnet, err = rds.NewSubnetGroup(ctx, base+"-subnets", &rds.SubnetGroupArgs{
		Description: pulumi.Sprintf("Data subnets of %s", base),
		SubnetIds:   subnetIDs,
		Tags:        tags(userTags, base+"-subnets"),
	}, opts...)
	if err != nil {
		return nil, fmt.Errorf("creating subnet group %q: %w", base+"-subnets", err)
	}

	// Only the given security groups reach PostgreSQL; no CIDR range, and no egress (RDS
	// replication does not use the instance's security group).
	r.sg, err = ec2.NewSecurityGroup(ctx, base+"-sg", &ec2.SecurityGroupArgs{
		Description: pulumi.Sprintf("PostgreSQL %s: port %d from the allowed security groups only", base, Port),
		VpcId:       vpcID,
		Ingress: ec2.SecurityGroupIngressArray{ec2.SecurityGroupIngressArgs{
			Description:    pulumi.String("PostgreSQL from the allowed security groups"),
			Protocol:       pulumi.String("tcp"),
			FromPort:       pulumi.Int(Port),
			ToPort:         pulumi.Int(Port),
			SecurityGroups: allowedSGs,
		}},
		Egress: ec2.SecurityGroupEgressArray{},
		Tags:   tags(userTags, base+"-sg"),
	}, opts...)
	if err != nil {
		return nil, fmt.Errorf("creating security group %q: %w", base+"-sg", err)
	}

	r.params, err = rds.NewParameterGroup(ctx, base+"-params", &rds.ParameterGroupArgs{
		Description: pulumi.Sprintf("TLS-only PostgreSQL with connection and slow-query logging (%s)", base),
		Family:      pulumi.String(family),
		Parameters: rds.ParameterGroupParameterArray{
			param("rds.force_ssl", "1"),
			param("log_connections", "1"),
			param("log_disconnections", "1"),
			param("log_min_duration_statement", "1000"),
			param("log_statement", "ddl"),
		},
		Tags: tags(userTags, base+"-params"),
	}, opts...)
	if err != nil {
		return nil, fmt.Errorf("creating parameter group %q: %w", base+"-params", err)
	}
	return &r, nil
}

func param(name, value string) rds.ParameterGroupParameterArgs {
	return rds.ParameterGroupParameterArgs{Name: pulumi.String(name), Value: pulumi.String(value)}
}

// monitoringRole creates the IAM role enhanced monitoring publishes with.
func monitoringRole(ctx *pulumi.Context, db *Database, name string, userTags map[string]string) (pulumi.StringOutput, error) {
	assume, _ := json.Marshal(map[string]any{
		"Version": "2012-10-17",
		"Statement": []map[string]any{{
			"Effect":    "Allow",
			"Principal": map[string]any{"Service": "monitoring.rds.amazonaws.com"},
			"Action":    "sts:AssumeRole",
		}},
	})
	rname := name + "-monitoring"
	role, err := iam.NewRole(ctx, rname, &iam.RoleArgs{
		Description:      pulumi.Sprintf("RDS enhanced monitoring of %s", name),
		AssumeRolePolicy: pulumi.String(string(assume)),
		Tags:             tags(userTags, rname),
	}, pulumi.Parent(db))
	if err != nil {
		return pulumi.StringOutput{}, fmt.Errorf("creating role %q: %w", rname, err)
	}
	att, err := iam.NewRolePolicyAttachment(ctx, rname, &iam.RolePolicyAttachmentArgs{
		Role:      role.Name,
		PolicyArn: pulumi.String(enhancedMonitoringPolicyARN),
	}, pulumi.Parent(db))
	if err != nil {
		return pulumi.StringOutput{}, fmt.Errorf("attaching policy to %q: %w", rname, err)
	}
	// Hand out the ARN only once the policy is attached, so instances never start
	// monitoring with a role that cannot publish.
	return pulumi.All(role.Arn, att.ID()).ApplyT(func(v []any) string { return v[0].(string) }).(pulumi.StringOutput), nil
}

// tags merges the user's tags with the child's Name (the child's wins).
func tags(user map[string]string, name string) pulumi.StringMap {
	out := pulumi.StringMap{}
	for k, v := range user {
		out[k] = pulumi.String(v)
	}
	out["Name"] = pulumi.String(name)
	return out
}
