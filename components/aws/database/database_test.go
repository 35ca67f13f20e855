package database_test

import (
	"fmt"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scalestack/scalestack/components/aws/database"
	"github.com/scalestack/scalestack/testkit"
)

const (
	rdsInstance = "aws:rds/instance:Instance"
	kmsKey      = "aws:kms/key:Key"
	secGroup    = "aws:ec2/securityGroup:SecurityGroup"
	subnetGroup = "aws:rds/subnetGroup:SubnetGroup"
	paramGroup  = "aws:rds/parameterGroup:ParameterGroup"
)

// setup says what the test program gives the component.
type setup struct {
	replicas    int
	crossRegion bool
	monitoring  int
	change      func(*database.Args)
}

// program registers providers for two regions, a web security group in each (the only
// allowed callers) and the database in us-east-1, and exports the component's outputs.
func program(s setup) func(*pulumi.Context) (pulumi.Map, error) {
	return func(ctx *pulumi.Context) (pulumi.Map, error) {
		east, err := aws.NewProvider(ctx, "aws-us-east-1", &aws.ProviderArgs{Region: pulumi.String("us-east-1")})
		if err != nil {
			return nil, err
		}
		west, err := aws.NewProvider(ctx, "aws-us-west-2", &aws.ProviderArgs{Region: pulumi.String("us-west-2")})
		if err != nil {
			return nil, err
		}
		web, err := ec2.NewSecurityGroup(ctx, "web-sg", &ec2.SecurityGroupArgs{VpcId: pulumi.String("vpc-east")}, pulumi.Provider(east))
		if err != nil {
			return nil, err
		}
		webWest, err := ec2.NewSecurityGroup(ctx, "web-sg-west", &ec2.SecurityGroupArgs{VpcId: pulumi.String("vpc-west")}, pulumi.Provider(west))
		if err != nil {
			return nil, err
		}
		args := &database.Args{
			VpcID:                     pulumi.String("vpc-east"),
			SubnetIDs:                 pulumi.ToStringArray([]string{"subnet-a", "subnet-b"}),
			AllowedSecurityGroupIDs:   pulumi.StringArray{web.ID()},
			ReadReplicas:              s.replicas,
			MonitoringIntervalSeconds: s.monitoring,
			Tags:                      map[string]string{"team": "data"},
		}
		if s.crossRegion {
			args.CrossRegion = &database.CrossRegionArgs{
				Provider:                west,
				VpcID:                   pulumi.String("vpc-west"),
				SubnetIDs:               pulumi.ToStringArray([]string{"subnet-c", "subnet-d"}),
				AllowedSecurityGroupIDs: pulumi.StringArray{webWest.ID()},
			}
		}
		if s.change != nil {
			s.change(args)
		}
		db, err := database.New(ctx, "db", args, pulumi.Provider(east))
		if err != nil {
			return nil, err
		}
		return pulumi.Map{
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
		}, nil
	}
}

func run(t *testing.T, s setup) *testkit.Plan {
	t.Helper()
	plan, err := testkit.RunExports(program(s))
	require.NoError(t, err)
	return plan
}

func TestCountsPerRegion(t *testing.T) {
	tests := []struct {
		name  string
		s     setup
		east  map[string]int
		west  map[string]int
		other map[string]int
	}{
		{"primary only", setup{},
			map[string]int{rdsInstance: 1, kmsKey: 1, subnetGroup: 1, paramGroup: 1, secGroup: 2}, map[string]int{secGroup: 1}, nil},
		{"two replicas", setup{replicas: 2},
			map[string]int{rdsInstance: 3, kmsKey: 1, subnetGroup: 1, paramGroup: 1, secGroup: 2}, map[string]int{secGroup: 1}, nil},
		{"replicas, cross-region replica and monitoring", setup{replicas: 1, crossRegion: true, monitoring: 60},
			map[string]int{rdsInstance: 2, kmsKey: 1, subnetGroup: 1, paramGroup: 1, secGroup: 2, "aws:iam/role:Role": 1, "aws:iam/rolePolicyAttachment:RolePolicyAttachment": 1},
			map[string]int{rdsInstance: 1, kmsKey: 1, subnetGroup: 1, paramGroup: 1, secGroup: 2}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			plan := run(t, tt.s)
			byRegion := plan.CountByRegion()
			for typ, n := range tt.east {
				assert.Equal(t, n, byRegion["us-east-1"][typ], "us-east-1 %s", typ)
			}
			for typ, n := range tt.west {
				assert.Equal(t, n, byRegion["us-west-2"][typ], "us-west-2 %s", typ)
			}
			comp := plan.Find(database.TypeToken, "db")
			require.NotNil(t, comp)
			want := 0
			for typ, n := range tt.east {
				if typ == secGroup {
					n-- // the test's web security group
				}
				want += n
			}
			for typ, n := range tt.west {
				if typ == secGroup {
					n--
				}
				want += n
			}
			assert.Len(t, plan.Descendants(comp.URN), want, "exactly the expected children")
		})
	}
}

func TestEveryChildIsParentedAndPlaced(t *testing.T) {
	plan := run(t, setup{replicas: 2, crossRegion: true, monitoring: 30})
	comp := plan.Find(database.TypeToken, "db")
	require.NotNil(t, comp)
	assert.Equal(t, "us-east-1", comp.Region())
	children := plan.Children(comp.URN)
	require.Len(t, children, 14) // 4 regional + 2 monitoring + primary + 2 replicas; 5 in the secondary region
	secondary := map[string]bool{"db-secondary": true, "db-secondary-key": true, "db-secondary-subnets": true, "db-secondary-sg": true, "db-secondary-params": true}
	for _, c := range children {
		assert.Equal(t, comp.URN, c.Parent, c.Name)
		if secondary[c.Name] {
			assert.Equal(t, "us-west-2", c.Region(), "%s is in the secondary region", c.Name)
			assert.Equal(t, "aws-us-west-2", c.ProviderResource().Name)
		} else {
			assert.Equal(t, "us-east-1", c.Region(), "%s is in the primary region", c.Name)
		}
		if tags, ok := c.Input("tags").(map[string]any); ok {
			assert.Equal(t, "data", tags["team"], "%s carries the user's tags", c.Name)
			assert.Equal(t, c.Name, tags["Name"])
		}
	}
}

func TestPrimaryIsSecureByDefault(t *testing.T) {
	plan := run(t, setup{})
	p := plan.Find(rdsInstance, "db")
	key := plan.Find(kmsKey, "db-key")
	sg := plan.Find(secGroup, "db-sg")
	subnets := plan.Find(subnetGroup, "db-subnets")
	params := plan.Find(paramGroup, "db-params")
	require.NotNil(t, p)
	require.NotNil(t, key)

	want := map[string]any{
		"engine":                             "postgres",
		"engineVersion":                      "16",
		"instanceClass":                      "db.t4g.medium",
		"dbName":                             "app",
		"username":                           "app_admin",
		"manageMasterUserPassword":           true,
		"multiAz":                            true,
		"storageType":                        "gp3",
		"allocatedStorage":                   float64(20),
		"maxAllocatedStorage":                float64(80),
		"storageEncrypted":                   true,
		"publiclyAccessible":                 false,
		"backupRetentionPeriod":              float64(7),
		"backupWindow":                       "01:00-02:00",
		"maintenanceWindow":                  "sun:05:00-sun:06:00",
		"copyTagsToSnapshot":                 true,
		"deletionProtection":                 true,
		"skipFinalSnapshot":                  false,
		"finalSnapshotIdentifier":            "db-final-snapshot",
		"deleteAutomatedBackups":             false,
		"autoMinorVersionUpgrade":            true,
		"enabledCloudwatchLogsExports":       []any{"postgresql", "upgrade"},
		"performanceInsightsEnabled":         true,
		"performanceInsightsRetentionPeriod": float64(7),
		"monitoringInterval":                 float64(0),
	}
	for k, v := range want {
		assert.Equal(t, v, p.Input(k), k)
	}
	assert.Nil(t, p.Input("password"), "no password in state: RDS manages it")
	assert.Nil(t, p.Input("monitoringRoleArn"))
	assert.True(t, p.Protect, "the primary is protected while deletion protection is on")

	for _, in := range []string{"kmsKeyId", "performanceInsightsKmsKeyId", "masterUserSecretKmsKeyId"} {
		assert.True(t, p.InputFrom(in, key), "%s is the customer-managed key", in)
		assert.Equal(t, key.Output("arn"), p.Input(in), in)
	}
	assert.True(t, p.InputFrom("dbSubnetGroupName", subnets))
	assert.True(t, p.InputFrom("vpcSecurityGroupIds", sg))
	assert.True(t, p.InputFrom("parameterGroupName", params))

	assert.Equal(t, true, key.Input("enableKeyRotation"))
	assert.Equal(t, float64(30), key.Input("deletionWindowInDays"))
	assert.True(t, key.RetainOnDelete, "the key outlives the final snapshot it encrypts")

	assert.Equal(t, []any{"subnet-a", "subnet-b"}, subnets.Input("subnetIds"))

	assert.Equal(t, "postgres16", params.Input("family"))
	got := map[string]any{}
	for _, prm := range params.Input("parameters").([]any) {
		m := prm.(map[string]any)
		got[m["name"].(string)] = m["value"]
	}
	assert.Equal(t, "1", got["rds.force_ssl"], "TLS is required in transit")
	assert.Equal(t, "1", got["log_connections"])
	assert.Equal(t, "1", got["log_disconnections"])
	assert.Equal(t, "1000", got["log_min_duration_statement"])
}

func TestOnlyTheWebSecurityGroupReachesTheDatabase(t *testing.T) {
	plan := run(t, setup{crossRegion: true})
	for _, pair := range [][2]string{{"db-sg", "web-sg"}, {"db-secondary-sg", "web-sg-west"}} {
		sg := plan.Find(secGroup, pair[0])
		web := plan.Find(secGroup, pair[1])
		require.NotNil(t, sg)
		require.NotNil(t, web)
		ingress, ok := sg.Input("ingress").([]any)
		require.True(t, ok, pair[0])
		require.Len(t, ingress, 1, "one rule")
		rule := ingress[0].(map[string]any)
		assert.Equal(t, "tcp", rule["protocol"])
		assert.Equal(t, float64(5432), rule["fromPort"])
		assert.Equal(t, float64(5432), rule["toPort"])
		assert.Equal(t, []any{web.ID}, rule["securityGroups"], "%s admits only %s", pair[0], pair[1])
		assert.Empty(t, rule["cidrBlocks"], "no CIDR range")
		assert.Empty(t, rule["ipv6CidrBlocks"])
		assert.Nil(t, rule["self"])
		assert.True(t, sg.InputFrom("ingress", web), "the rule is wired to the web tier's group")
		assert.Equal(t, []any{}, sg.Input("egress"), "no egress")
	}
	assert.Equal(t, "vpc-east", plan.Find(secGroup, "db-sg").Input("vpcId"))
	assert.Equal(t, "vpc-west", plan.Find(secGroup, "db-secondary-sg").Input("vpcId"))
}

func TestNoPasswordAnywhere(t *testing.T) {
	plan := run(t, setup{replicas: 1, crossRegion: true})
	for _, db := range plan.ByType(rdsInstance) {
		assert.NotContains(t, db.Inputs, "password", db.Name)
		assert.NotContains(t, db.RawInputs, "password", db.Name)
	}
	assert.Regexp(t, fmt.Sprintf(`^arn:aws:secretsmanager:us-east-1:%s:secret:rds!db-`, testkit.FakeAWSAccountID),
		plan.Outputs["masterUserSecretArn"], "the password lives in Secrets Manager")
}

func TestReplicasPointAtThePrimary(t *testing.T) {
	plan := run(t, setup{replicas: 3})
	primary := plan.Find(rdsInstance, "db")
	sg := plan.Find(secGroup, "db-sg")
	params := plan.Find(paramGroup, "db-params")
	key := plan.Find(kmsKey, "db-key")
	for i := 1; i <= 3; i++ {
		r := plan.Find(rdsInstance, fmt.Sprintf("db-replica-%d", i))
		require.NotNil(t, r, "replica %d", i)
		assert.True(t, r.InputFrom("replicateSourceDb", primary), "replica %d replicates from the primary", i)
		assert.Equal(t, primary.Output("identifier"), r.Input("replicateSourceDb"), "same region: the primary's identifier")
		assert.Equal(t, "db.t4g.medium", r.Input("instanceClass"), "same class as the primary")
		assert.True(t, r.InputFrom("vpcSecurityGroupIds", sg))
		assert.True(t, r.InputFrom("parameterGroupName", params), "replicas force TLS too")
		assert.True(t, r.InputFrom("performanceInsightsKmsKeyId", key))
		assert.Equal(t, false, r.Input("publiclyAccessible"))
		assert.Equal(t, true, r.Input("storageEncrypted"))
		assert.Equal(t, true, r.Input("skipFinalSnapshot"))
		for _, k := range []string{"username", "dbName", "manageMasterUserPassword", "engine", "dbSubnetGroupName"} {
			assert.Nil(t, r.Input(k), "a replica inherits %s from the primary", k)
		}
		assert.False(t, r.Protect)
	}
	ids := plan.Outputs["replicaIdentifiers"].([]any)
	assert.Equal(t, []any{"db-replica-1", "db-replica-2", "db-replica-3"}, ids)
	assert.Len(t, plan.Outputs["replicaEndpoints"].([]any), 3)
	assert.Equal(t, "db-replica-1.c", plan.Outputs["replicaEndpoints"].([]any)[0].(string)[:len("db-replica-1.c")])
}

func TestReplicaClassOverride(t *testing.T) {
	plan := run(t, setup{replicas: 1, crossRegion: true, change: func(a *database.Args) {
		a.InstanceClass = "db.r6g.xlarge"
		a.ReplicaInstanceClass = "db.r6g.large"
		a.CrossRegion.InstanceClass = "db.r6g.2xlarge"
	}})
	assert.Equal(t, "db.r6g.xlarge", plan.Find(rdsInstance, "db").Input("instanceClass"))
	assert.Equal(t, "db.r6g.large", plan.Find(rdsInstance, "db-replica-1").Input("instanceClass"))
	assert.Equal(t, "db.r6g.2xlarge", plan.Find(rdsInstance, "db-secondary").Input("instanceClass"))
}

func TestCrossRegionReplicaUsesSecondaryProviderAndKey(t *testing.T) {
	plan := run(t, setup{crossRegion: true})
	primary := plan.Find(rdsInstance, "db")
	x := plan.Find(rdsInstance, "db-secondary")
	key := plan.Find(kmsKey, "db-secondary-key")
	primaryKey := plan.Find(kmsKey, "db-key")
	subnets := plan.Find(subnetGroup, "db-secondary-subnets")
	sg := plan.Find(secGroup, "db-secondary-sg")
	params := plan.Find(paramGroup, "db-secondary-params")
	require.NotNil(t, x)
	require.NotNil(t, key)

	assert.Equal(t, "us-west-2", x.Region())
	assert.Equal(t, "us-west-2", key.Region())
	assert.True(t, x.InputFrom("replicateSourceDb", primary))
	assert.Equal(t, primary.Output("arn"), x.Input("replicateSourceDb"), "another region: the primary's ARN")
	assert.Regexp(t, `^arn:aws:rds:us-east-1:`, x.Input("replicateSourceDb"))

	assert.True(t, x.InputFrom("kmsKeyId", key), "encrypted with the secondary region's key")
	assert.False(t, x.InputFrom("kmsKeyId", primaryKey))
	assert.Regexp(t, `^arn:aws:kms:us-west-2:`, x.Input("kmsKeyId"))
	assert.True(t, x.InputFrom("performanceInsightsKmsKeyId", key))
	assert.True(t, x.InputFrom("dbSubnetGroupName", subnets))
	assert.True(t, x.InputFrom("vpcSecurityGroupIds", sg))
	assert.True(t, x.InputFrom("parameterGroupName", params))
	assert.Equal(t, []any{"subnet-c", "subnet-d"}, subnets.Input("subnetIds"))
	assert.Equal(t, true, key.Input("enableKeyRotation"))
	assert.Equal(t, false, x.Input("publiclyAccessible"))
	assert.Equal(t, true, x.Input("storageEncrypted"))
	assert.Equal(t, float64(7), x.Input("backupRetentionPeriod"), "a promoted replica keeps backups")
	assert.Equal(t, true, x.Input("deletionProtection"))

	assert.Equal(t, x.Output("arn"), plan.Outputs["crossRegionReplicaArn"])
	assert.Equal(t, "db-secondary", plan.Outputs["crossRegionReplicaIdentifier"])
	assert.Regexp(t, `\.us-west-2\.rds\.amazonaws\.com:5432$`, plan.Outputs["crossRegionReplicaEndpoint"])
}

func TestOutputs(t *testing.T) {
	plan := run(t, setup{})
	p := plan.Find(rdsInstance, "db")
	assert.Equal(t, p.Output("arn"), plan.Outputs["primaryArn"])
	assert.Equal(t, "db", plan.Outputs["primaryIdentifier"])
	assert.Equal(t, p.Output("endpoint"), plan.Outputs["endpoint"])
	assert.Equal(t, p.Output("address"), plan.Outputs["address"])
	assert.Equal(t, 5432, plan.Outputs["port"])
	assert.Equal(t, []any{}, plan.Outputs["replicaIdentifiers"])
	assert.Equal(t, "", plan.Outputs["crossRegionReplicaArn"], "no cross-region replica")
	assert.Equal(t, plan.Find(kmsKey, "db-key").Output("arn"), plan.Outputs["kmsKeyArn"])
	assert.Equal(t, plan.Find(secGroup, "db-sg").ID, plan.Outputs["securityGroupId"])
	assert.Equal(t, p.Output("masterUserSecrets.0.secretArn"), plan.Outputs["masterUserSecretArn"])
}

func TestEnhancedMonitoringRole(t *testing.T) {
	plan := run(t, setup{replicas: 1, crossRegion: true, monitoring: 15})
	role := plan.Find("aws:iam/role:Role", "db-monitoring")
	att := plan.Find("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "db-monitoring")
	require.NotNil(t, role)
	require.NotNil(t, att)
	assert.Contains(t, role.InputString("assumeRolePolicy"), "monitoring.rds.amazonaws.com")
	assert.True(t, att.InputFrom("role", role))
	assert.Equal(t, "arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole", att.Input("policyArn"))
	for _, db := range plan.ByType(rdsInstance) {
		assert.Equal(t, float64(15), db.Input("monitoringInterval"), db.Name)
		assert.True(t, db.InputFrom("monitoringRoleArn", role), db.Name)
		assert.True(t, db.InputFrom("monitoringRoleArn", att), "%s waits for the policy attachment", db.Name)
	}
}

func TestDevSettingsTurnProtectionOff(t *testing.T) {
	plan := run(t, setup{change: func(a *database.Args) {
		a.MultiAZ = new(false)
		a.DeletionProtection = new(false)
		a.FinalSnapshot = new(false)
	}})
	p := plan.Find(rdsInstance, "db")
	assert.Equal(t, false, p.Input("multiAz"))
	assert.Equal(t, false, p.Input("deletionProtection"))
	assert.Equal(t, true, p.Input("skipFinalSnapshot"))
	assert.Nil(t, p.Input("finalSnapshotIdentifier"))
	assert.False(t, p.Protect)
	assert.False(t, plan.Find(kmsKey, "db-key").RetainOnDelete, "no final snapshot: nothing needs the key after deletion")
}

func TestURNsStayStableWhenReplicasAreAdded(t *testing.T) {
	small := run(t, setup{replicas: 1})
	bigger := run(t, setup{replicas: 2})
	withDR := run(t, setup{replicas: 2, crossRegion: true})
	assert.Empty(t, testkit.MissingURNs(small, bigger), "adding a replica keeps every URN")
	assert.Empty(t, testkit.MissingURNs(bigger, withDR), "adding the cross-region replica keeps every URN")
	assert.Len(t, testkit.MissingURNs(bigger, small), 1, "removing the last replica removes only it")
	assert.Contains(t, testkit.MissingURNs(bigger, small)[0], "::db-replica-2")
}

func TestInvalidArgsRegisterNothing(t *testing.T) {
	var registered int
	_, err := testkit.Run(func(ctx *pulumi.Context) error {
		_, err := database.New(ctx, "db", &database.Args{ReadReplicas: 9})
		return err
	}, testkit.OnNewResource(func(*testkit.Resource) error { registered++; return nil }))
	require.Error(t, err)
	assert.Contains(t, err.Error(), `database "db": `)
	assert.Contains(t, err.Error(), "ReadReplicas 9 is not allowed: want 0-5")
	assert.Contains(t, err.Error(), "VpcID is required")
	assert.Zero(t, registered)
}

func TestPreviewRunsOffline(t *testing.T) {
	plan, err := testkit.RunExports(program(setup{replicas: 2, crossRegion: true, monitoring: 60}), testkit.DryRun(true))
	require.NoError(t, err)
	assert.Len(t, plan.ByType(rdsInstance), 4)
}

// BenchmarkNew measures a full database (primary, five replicas, cross-region replica,
// enhanced monitoring) under mocks.
func BenchmarkNew(b *testing.B) {
	b.ReportAllocs()
	resources := 0
	for i := 0; i < b.N; i++ {
		plan, err := testkit.RunExports(program(setup{replicas: 5, crossRegion: true, monitoring: 60}))
		if err != nil {
			b.Fatal(err)
		}
		resources += len(plan.Resources)
	}
	b.ReportMetric(float64(resources)/b.Elapsed().Seconds(), "resources/s")
}

// TestReplicaParameterGroupIsAppliedByAModifySoReplicasApplyImmediately: terraform-provider-aws
// creates a read replica with CreateDBInstanceReadReplica and then associates
// parameter_group_name with a ModifyDBInstance (internal/service/rds/instance.go, the
// replicate_source_db branch of resourceInstanceCreate); without apply_immediately RDS
// queues that change for the maintenance window, and a newly associated parameter group is
// "pending-reboot" until the instance reboots (RDS user guide, "Associating a DB parameter
// group with a DB instance"). Replicas apply it immediately; the one reboot is documented
// in docs/operations.md.
func TestReplicaParameterGroupIsAppliedByAModifySoReplicasApplyImmediately(t *testing.T) {
	plan := run(t, setup{replicas: 2, crossRegion: true})
	primary := plan.Find(rdsInstance, "db")
	require.NotNil(t, primary)
	replicas := plan.Where(func(r *testkit.Resource) bool { return r.Type == rdsInstance && r.Input("replicateSourceDb") != nil })
	require.Len(t, replicas, 3)
	for _, r := range replicas {
		assert.Equal(t, true, r.Input("applyImmediately"), r.Name)
		assert.NotNil(t, r.Input("parameterGroupName"), r.Name)
	}
	assert.Nil(t, primary.Input("applyImmediately"), "the primary's changes wait for its maintenance window")
}

// TestOutputsNameTheSecretKeyAndEachRegionsSecurityGroup: what clients need to reach and sign
// in to the database: its security group in each region (for their egress rules) and the key
// the master user secret is encrypted with (for kms:Decrypt).
func TestOutputsNameTheSecretKeyAndEachRegionsSecurityGroup(t *testing.T) {
	plan := run(t, setup{crossRegion: true})
	primary := plan.Find(rdsInstance, "db")
	key := plan.Find(kmsKey, "db-key")
	require.NotNil(t, primary)
	assert.True(t, primary.InputFrom("masterUserSecretKmsKeyId", key))
	assert.Equal(t, key.Output("arn"), plan.Outputs["masterUserSecretKmsKeyArn"])
	assert.Equal(t, primary.Output("masterUserSecrets.0.kmsKeyId"), plan.Outputs["masterUserSecretKmsKeyArn"],
		"the key RDS reports for the secret")
	assert.Equal(t, plan.Find(secGroup, "db-secondary-sg").ID, plan.Outputs["crossRegionSecurityGroupId"])
}
