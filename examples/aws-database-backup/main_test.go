package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scalestack/scalestack/testkit"
)

const project = "aws-database-backup"

func stackConfig(extra map[string]string) testkit.Option {
	cfg := map[string]string{
		project + ":vpcId":                  "vpc-0123456789abcdef0",
		project + ":dataSubnetIds":          `["subnet-0aaaaaaaaaaaaaaaa","subnet-0bbbbbbbbbbbbbbbb"]`,
		project + ":clientSecurityGroupIds": `["sg-0123456789abcdef0"]`,
	}
	for k, v := range extra {
		if v == "" {
			delete(cfg, k) // "" stands for an unset key
			continue
		}
		cfg[k] = v
	}
	return testkit.Config(cfg)
}

const (
	typeInstance  = "aws:rds/instance:Instance"
	typeVault     = "aws:backup/vault:Vault"
	typeSelection = "aws:backup/selection:Selection"
	typePlan      = "aws:backup/plan:Plan"
)

// TestProgram checks the database and its backups: counts, placement, security posture and
// the wiring from the database into the backup selection.
func TestProgram(t *testing.T) {
	plan, err := testkit.RunExports(program, testkit.Project(project), stackConfig(nil))
	require.NoError(t, err)

	testkit.AssertCounts(t, plan, map[string]int{
		"pulumi:providers:aws":    2,
		"scalestack:aws:Database": 1,
		"scalestack:aws:Backup":   1,
		typeInstance:              3, // the primary and two replicas
		typeVault:                 2, // the vault and its copy
		typePlan:                  1,
		typeSelection:             1,
		"aws:kms/key:Key":         3,
	})

	dbc := plan.Find("scalestack:aws:Database", "orders")
	bkc := plan.Find("scalestack:aws:Backup", "orders-backup")
	require.NotNil(t, dbc)
	require.NotNil(t, bkc)
	testkit.AssertPlaced(t, plan, dbc, "us-east-1")
	testkit.AssertPlaced(t, plan, bkc, "us-east-1", "orders-backup-copy-key", "orders-backup-copy-vault")
	assert.Equal(t, []string{"us-east-1", "us-west-2"}, plan.Regions())
	var west []string
	for _, r := range plan.Placed("us-west-2") {
		west = append(west, r.Name)
	}
	assert.ElementsMatch(t, []string{"orders-backup-copy-key", "orders-backup-copy-vault"}, west)

	primary := plan.FindIn(dbc, typeInstance, "orders")
	require.NotNil(t, primary)
	assert.Equal(t, true, primary.Input("storageEncrypted"))
	assert.Equal(t, true, primary.Input("manageMasterUserPassword"))
	assert.Nil(t, primary.Input("password"), "no password in state: RDS manages it")
	assert.Equal(t, false, primary.Input("publiclyAccessible"))
	assert.Equal(t, true, primary.Input("multiAz"))
	assert.Equal(t, true, primary.Input("deletionProtection"))
	assert.True(t, primary.Protect)
	assert.EqualValues(t, 14, primary.Input("backupRetentionPeriod"))
	for _, n := range []string{"orders-replica-1", "orders-replica-2"} {
		replica := plan.FindIn(dbc, typeInstance, n)
		require.NotNil(t, replica, n)
		testkit.AssertWired(t, replica, "replicateSourceDb", primary)
		assert.Equal(t, true, replica.Input("storageEncrypted"), n)
	}

	// Only the configured client security group reaches port 5432; the subnets are the
	// configured ones.
	sg := plan.FindIn(dbc, "aws:ec2/securityGroup:SecurityGroup", "orders-sg")
	require.NotNil(t, sg)
	assert.Equal(t, []any{map[string]any{
		"description": "PostgreSQL from the allowed security groups", "protocol": "tcp",
		"fromPort": 5432.0, "toPort": 5432.0, "securityGroups": []any{"sg-0123456789abcdef0"},
	}}, sg.Input("ingress"))
	assert.Equal(t, "vpc-0123456789abcdef0", sg.InputString("vpcId"))
	subnets := plan.FindIn(dbc, "aws:rds/subnetGroup:SubnetGroup", "orders-subnets")
	require.NotNil(t, subnets)
	assert.Equal(t, []any{"subnet-0aaaaaaaaaaaaaaaa", "subnet-0bbbbbbbbbbbbbbbb"}, subnets.Input("subnetIds"))

	// The backup selects the primary through its ARN output, and copies to the other region.
	sel := plan.FindIn(bkc, typeSelection, "orders-backup-selection")
	require.NotNil(t, sel)
	testkit.AssertWired(t, sel, "resources", primary)
	assert.Equal(t, []any{primary.OutputString("arn")}, sel.Input("resources"))
	bplan := plan.FindIn(bkc, typePlan, "orders-backup-plan")
	copyVault := plan.FindIn(bkc, typeVault, "orders-backup-copy-vault")
	require.NotNil(t, bplan)
	require.NotNil(t, copyVault)
	testkit.AssertWired(t, bplan, "rules", copyVault)
	assert.Equal(t, "cron(30 2 * * ? *)", bplan.Input("rules.0.schedule"))
	assert.Equal(t, copyVault.OutputString("arn"), bplan.Input("rules.0.copyActions.0.destinationVaultArn"))
	assert.EqualValues(t, 180, bplan.Input("rules.1.lifecycle.deleteAfter"))

	// Default tags on every provider; the outputs are resolved.
	for _, p := range plan.ByType("pulumi:providers:aws") {
		assert.Equal(t, project, p.Input("defaultTags.tags.project"), p.Name)
	}
	assert.Equal(t, primary.OutputString("endpoint"), plan.Outputs["endpoint"])
	assert.Len(t, plan.Outputs["replicaEndpoints"], 2)
	assert.Equal(t, copyVault.OutputString("arn"), plan.Outputs["copyVaultArn"])
}

// TestAddingAReplicaKeepsEveryURN: a third replica adds resources and replaces none.
func TestAddingAReplicaKeepsEveryURN(t *testing.T) {
	before, err := testkit.RunExports(program, testkit.Project(project), stackConfig(nil))
	require.NoError(t, err)
	after, err := testkit.RunExports(program, testkit.Project(project), stackConfig(map[string]string{project + ":readReplicas": "3"}))
	require.NoError(t, err)
	testkit.AssertURNsStable(t, before, after)
	assert.Len(t, after.ByType(typeInstance), 4)
	assert.NotNil(t, after.Find(typeInstance, "orders-replica-3"))
}

// TestInvalidReplicaCount is rejected by the component, naming the field and the range.
func TestInvalidReplicaCount(t *testing.T) {
	_, err := testkit.RunExports(program, testkit.Project(project), stackConfig(map[string]string{project + ":readReplicas": "9"}))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "ReadReplicas 9")
	_, err = testkit.RunExports(program, testkit.Project(project), stackConfig(map[string]string{project + ":readReplicas": "two"}))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "readReplicas")
}
