package provider

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-go-provider/infer"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/scalestack/scalestack/components/aws/database"
)

// AWSDatabaseArgs are the inputs of scalestack:aws:Database, one to one with database.Args
// (components/aws/database). The primary's region is the aws provider of the component's
// `providers` option (children inherit it); a cross-region replica's is crossRegion.provider.
type AWSDatabaseArgs struct {
	VpcID                     pulumi.StringInput      `pulumi:"vpcId"`
	SubnetIDs                 pulumi.StringArrayInput `pulumi:"subnetIds"`
	AllowedSecurityGroupIDs   pulumi.StringArrayInput `pulumi:"allowedSecurityGroupIds"`
	EngineVersion             string                  `pulumi:"engineVersion,optional"`
	InstanceClass             string                  `pulumi:"instanceClass,optional"`
	ReplicaInstanceClass      string                  `pulumi:"replicaInstanceClass,optional"`
	MultiAZ                   *bool                   `pulumi:"multiAz,optional"`
	AllocatedStorageGB        int                     `pulumi:"allocatedStorageGb,optional"`
	MaxAllocatedStorageGB     int                     `pulumi:"maxAllocatedStorageGb,optional"`
	Username                  string                  `pulumi:"username,optional"`
	DatabaseName              string                  `pulumi:"databaseName,optional"`
	BackupRetentionDays       int                     `pulumi:"backupRetentionDays,optional"`
	BackupWindow              string                  `pulumi:"backupWindow,optional"`
	MaintenanceWindow         string                  `pulumi:"maintenanceWindow,optional"`
	DeletionProtection        *bool                   `pulumi:"deletionProtection,optional"`
	FinalSnapshot             *bool                   `pulumi:"finalSnapshot,optional"`
	MonitoringIntervalSeconds int                     `pulumi:"monitoringIntervalSeconds,optional"`
	ReadReplicas              int                     `pulumi:"readReplicas,optional"`
	CrossRegion               *AWSCrossRegionReplica  `pulumi:"crossRegion,optional"`
	Tags                      map[string]string       `pulumi:"tags,optional"`
}

// Annotate documents the inputs in the schema.
func (a *AWSDatabaseArgs) Annotate(an infer.Annotator) {
	an.Describe(&a.VpcID, "The VPC the database's security group belongs to. Required.")
	an.Describe(&a.SubnetIDs, "The private (data) subnets of the DB subnet group, in at least two availability zones. Required.")
	an.Describe(&a.AllowedSecurityGroupIDs, "The only security groups admitted on port 5432. Required: nothing else, and no CIDR range, can reach the database.")
	an.Describe(&a.EngineVersion, "The PostgreSQL major (\"16\") or major.minor version. Default: \"16\".")
	an.Describe(&a.InstanceClass, "The primary's class. Default: db.t4g.medium.")
	an.Describe(&a.ReplicaInstanceClass, "The replicas' class. Default: instanceClass.")
	an.Describe(&a.MultiAZ, "Keep a synchronous standby in another zone. Default: true.")
	an.Describe(&a.AllocatedStorageGB, "The initial gp3 storage in GB. Default: 20. Allowed: 20-65536.")
	an.Describe(&a.MaxAllocatedStorageGB, "The ceiling storage autoscaling may grow to. Default: 4 × allocatedStorageGb (at most 65536).")
	an.Describe(&a.Username, "The master user, whose password RDS generates and keeps in Secrets Manager. Default: app_admin.")
	an.Describe(&a.DatabaseName, "The database created on the primary. Default: app.")
	an.Describe(&a.BackupRetentionDays, "Days of automated backups (point-in-time recovery). Default: 7. Allowed: 1-35.")
	an.Describe(&a.BackupWindow, "The daily UTC backup window, \"hh:mm-hh:mm\". Default: 01:00-02:00.")
	an.Describe(&a.MaintenanceWindow, "The weekly UTC maintenance window. Default: sun:05:00-sun:06:00.")
	an.Describe(&a.DeletionProtection, "Refuse deletes of the primary (and the cross-region replica). Default: true.")
	an.Describe(&a.FinalSnapshot, "Take a final snapshot when the primary is deleted. Default: true.")
	an.Describe(&a.MonitoringIntervalSeconds, "Enhanced monitoring interval. Default: 0 (off). Allowed: 0, 1, 5, 10, 15, 30, 60.")
	an.Describe(&a.ReadReplicas, "In-region read replicas, named <name>-replica-1..N. Default: 0. Allowed: 0-5.")
	an.Describe(&a.CrossRegion, "A read replica in another region. Default: none.")
	an.Describe(&a.Tags, "Added to every child (over the provider's default tags).")
}

// AWSCrossRegionReplica places a cross-region read replica (database.CrossRegionArgs).
type AWSCrossRegionReplica struct {
	Provider                *aws.Provider           `pulumi:"provider" provider:"type=aws@6.83.4:index:Provider"`
	VpcID                   pulumi.StringInput      `pulumi:"vpcId"`
	SubnetIDs               pulumi.StringArrayInput `pulumi:"subnetIds"`
	AllowedSecurityGroupIDs pulumi.StringArrayInput `pulumi:"allowedSecurityGroupIds"`
	InstanceClass           string                  `pulumi:"instanceClass,optional"`
}

// Annotate documents the cross-region replica type in the schema.
func (c *AWSCrossRegionReplica) Annotate(an infer.Annotator) {
	an.SetToken("aws", "CrossRegionReplica")
	an.Describe(c, "A read replica of a scalestack:aws:Database in another region.")
	an.Describe(&c.Provider, "The explicit AWS provider of the replica's region. Required.")
	an.Describe(&c.VpcID, "The VPC in that region. Required.")
	an.Describe(&c.SubnetIDs, "The data subnets in that region. Required.")
	an.Describe(&c.AllowedSecurityGroupIDs, "The security groups admitted on 5432 in that region. Required.")
	an.Describe(&c.InstanceClass, "The replica's class. Default: the database's replicaInstanceClass.")
}

// AWSDatabase is scalestack:aws:Database as served to every Pulumi language.
type AWSDatabase struct {
	pulumi.ComponentResource

	PrimaryARN                 pulumi.StringOutput      `pulumi:"primaryArn"`
	PrimaryIdentifier          pulumi.StringOutput      `pulumi:"primaryIdentifier"`
	Endpoint                   pulumi.StringOutput      `pulumi:"endpoint"`
	Address                    pulumi.StringOutput      `pulumi:"address"`
	Port                       pulumi.IntOutput         `pulumi:"port"`
	ReplicaEndpoints           pulumi.StringArrayOutput `pulumi:"replicaEndpoints"`
	CrossRegionReplicaEndpoint pulumi.StringOutput      `pulumi:"crossRegionReplicaEndpoint"`
	SecurityGroupID            pulumi.StringOutput      `pulumi:"securityGroupId"`
	MasterUserSecretARN        pulumi.StringOutput      `pulumi:"masterUserSecretArn"`
}

// Annotate documents the component and its outputs in the schema.
func (d *AWSDatabase) Annotate(an infer.Annotator) {
	an.SetToken("aws", "Database")
	an.Describe(d, "RDS for PostgreSQL: a KMS-encrypted, private, Multi-AZ primary with a managed master password, "+
		"read replicas and an optional cross-region replica. The same component as the Go API (components/aws/database).")
	an.Describe(&d.PrimaryARN, "The primary's ARN.")
	an.Describe(&d.PrimaryIdentifier, "The primary's identifier.")
	an.Describe(&d.Endpoint, "The primary's host:port.")
	an.Describe(&d.Address, "The primary's host name.")
	an.Describe(&d.Port, "The primary's port.")
	an.Describe(&d.ReplicaEndpoints, "The in-region replicas' host:port.")
	an.Describe(&d.CrossRegionReplicaEndpoint, "The cross-region replica's host:port (\"\" without one).")
	an.Describe(&d.SecurityGroupID, "The database's security group.")
	an.Describe(&d.MasterUserSecretARN, "The Secrets Manager secret holding the managed master password.")
}

// goArgs maps the package inputs onto database.Args: the one place the two meet.
func (a *AWSDatabaseArgs) goArgs() *database.Args {
	g := &database.Args{
		VpcID: a.VpcID, SubnetIDs: a.SubnetIDs, AllowedSecurityGroupIDs: a.AllowedSecurityGroupIDs,
		EngineVersion: a.EngineVersion, InstanceClass: a.InstanceClass, ReplicaInstanceClass: a.ReplicaInstanceClass,
		MultiAZ: a.MultiAZ, AllocatedStorageGB: a.AllocatedStorageGB, MaxAllocatedStorageGB: a.MaxAllocatedStorageGB,
		Username: a.Username, DatabaseName: a.DatabaseName, BackupRetentionDays: a.BackupRetentionDays,
		BackupWindow: a.BackupWindow, MaintenanceWindow: a.MaintenanceWindow,
		DeletionProtection: a.DeletionProtection, FinalSnapshot: a.FinalSnapshot,
		MonitoringIntervalSeconds: a.MonitoringIntervalSeconds, ReadReplicas: a.ReadReplicas, Tags: a.Tags,
	}
	if c := a.CrossRegion; c != nil {
		g.CrossRegion = &database.CrossRegionArgs{
			VpcID: c.VpcID, SubnetIDs: c.SubnetIDs, AllowedSecurityGroupIDs: c.AllowedSecurityGroupIDs,
			InstanceClass: c.InstanceClass,
		}
		if c.Provider != nil {
			g.CrossRegion.Provider = c.Provider
		}
	}
	return g
}

// NewAWSDatabase constructs scalestack:aws:Database for the package: it maps args and calls
// database.New, which validates them and registers the component and its children.
func NewAWSDatabase(ctx *pulumi.Context, name string, args AWSDatabaseArgs, opts ...pulumi.ResourceOption) (*AWSDatabase, error) {
	d, err := database.New(ctx, name, args.goArgs(), opts...)
	if err != nil {
		return nil, err
	}
	return &AWSDatabase{
		ComponentResource:          d,
		PrimaryARN:                 d.PrimaryARN,
		PrimaryIdentifier:          d.PrimaryIdentifier,
		Endpoint:                   d.Endpoint,
		Address:                    d.Address,
		Port:                       d.Port,
		ReplicaEndpoints:           d.ReplicaEndpoints,
		CrossRegionReplicaEndpoint: d.CrossRegionReplicaEndpoint,
		SecurityGroupID:            d.SecurityGroupID,
		MasterUserSecretARN:        d.MasterUserSecretARN,
	}, nil
}
