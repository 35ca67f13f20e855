package rules

import (
	"context"
	"testing"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// ignoring sets r's ignoreChanges option.
func ignoring(r Resource, paths ...string) Resource {
	r.IgnoreChanges = paths
	return r
}

var (
	dayTwoASG      = res(awsASG, "web", obj{"minSize": 2, "maxSize": 6, "desiredCapacity": 2})
	dayTwoASGOwned = ignoring(dayTwoASG, "desiredCapacity", "minSize", "maxSize")
	// A schedule that sets all three sizes, and a target-tracking policy.
	dayTwoSchedule = dep(res(awsASGSchedule, "web-business", obj{"autoscalingGroupName": computed, "minSize": 4, "maxSize": 12, "desiredCapacity": 4, "recurrence": "0 8 * * MON-FRI"}), "autoscalingGroupName", dayTwoASG)
	dayTwoPolicy   = dep(res(awsASGPolicy, "web-cpu", obj{"autoscalingGroupName": computed, "policyType": "TargetTrackingScaling"}), "autoscalingGroupName", dayTwoASG)

	dayTwoVMSS      = res(azVMSS, "web", obj{"sku": obj{"name": "Standard_B2s", "capacity": 2}})
	dayTwoAutoscale = dep(res(azAutoscaleSetting, "web-autoscale", obj{"targetResourceUri": computed, "enabled": true}), "targetResourceUri", dayTwoVMSS)
)

func init() {
	resourceCases = append(resourceCases,
		resourceCase{rule: "gcp-sql-disk-day-two", typ: gcpSQLInstance,
			good: obj{"settings": obj{"tier": "db-custom-2-7680", "diskSize": 100, "diskAutoresize": false}},
			bad:  obj{"settings": obj{"tier": "db-custom-2-7680", "diskSize": 100}}, want: "settings.diskSize is set with disk autoresize on"},
		resourceCase{name: "no fixed size", rule: "gcp-sql-disk-day-two", typ: gcpSQLInstance,
			good: obj{"settings": obj{"tier": "db-custom-2-7680", "diskAutoresize": true}},
			bad:  obj{"settings": obj{"tier": "db-custom-2-7680", "diskAutoresize": true, "diskSize": 20}}, want: `add "settings.diskSize" to ignoreChanges`},
		resourceCase{rule: "aws-rds-storage-day-two", typ: awsRDSInstance,
			good: obj{"allocatedStorage": 100, "maxAllocatedStorage": 1000},
			bad:  obj{"allocatedStorage": 100, "maxAllocatedStorage": 100}, want: "maxAllocatedStorage 100 is not at least 10% above allocatedStorage 100"},
	)
	stackCases = append(stackCases,
		stackCase{name: "schedules", rule: "aws-asg-day-two",
			good: []Resource{dayTwoASGOwned, dayTwoSchedule, dayTwoPolicy},
			bad:  []Resource{ignoring(dayTwoASG, "desiredCapacity"), dayTwoSchedule, dayTwoPolicy}, want: "minSize is set and not in ignoreChanges, but scheduled action web-business changes it"},
		stackCase{name: "policies", rule: "aws-asg-day-two",
			good: []Resource{ignoring(dayTwoASG, "desiredCapacity"), dayTwoPolicy},
			bad:  []Resource{dayTwoASG, dayTwoPolicy}, want: "desiredCapacity is set and not in ignoreChanges, but scaling policy web-cpu changes it"},
		stackCase{rule: "az-vmss-capacity-day-two",
			good: []Resource{ignoring(dayTwoVMSS, "sku.capacity"), dayTwoAutoscale},
			bad:  []Resource{dayTwoVMSS, dayTwoAutoscale}, want: "sku.capacity is set and not in ignoreChanges, but autoscale setting web-autoscale changes it"},
	)
}

// TestASGScheduledActionsOwnMinAndMax: a scheduled action changes the group's MinSize,
// MaxSize and DesiredCapacity when it runs (AWS Auto Scaling user guide, "Scheduled scaling";
// aws_autoscaling_schedule sets every size it is given, -1 meaning "do not change"), and a
// scaling policy changes DesiredCapacity. A program that keeps setting them without
// ignoreChanges undoes the schedule on the next `pulumi up --refresh` (scalestack issue 10,
// "Scheduled scaling is undone"). The rule reads ignoreChanges as the engine sends it.
func TestASGScheduledActionsOwnMinAndMax(t *testing.T) {
	bad := findings(t, "aws-asg-day-two", "prod", ignoring(dayTwoASG, "desiredCapacity"), dayTwoSchedule, dayTwoPolicy)
	require.Len(t, bad, 2, messages(bad))
	assert.Contains(t, messages(bad), "minSize is set")
	assert.Contains(t, messages(bad), "maxSize is set")
	assert.Equal(t, dayTwoASG.URN, bad[0].URN)

	// Sizes a schedule leaves alone (-1) need not be ignored.
	keepMax := dep(res(awsASGSchedule, "night", obj{"autoscalingGroupName": computed, "minSize": 1, "maxSize": -1, "desiredCapacity": -1}), "autoscalingGroupName", dayTwoASG)
	only := findings(t, "aws-asg-day-two", "prod", ignoring(dayTwoASG, "desiredCapacity"), keepMax)
	require.Len(t, only, 1, messages(only))
	assert.Contains(t, only[0].Message, "minSize is set")

	// A schedule on another group does not count; a parent path covers the field.
	other := res(awsASG, "worker", obj{"minSize": 1, "maxSize": 3})
	assert.Empty(t, findings(t, "aws-asg-day-two", "prod", other, dayTwoSchedule, dayTwoASGOwned))
	assert.Empty(t, findings(t, "aws-asg-day-two", "prod", ignoring(dayTwoASG, "*"), dayTwoSchedule, dayTwoPolicy))
}

// TestVMSSCapacityUnderAutoscaleIsOwnedByTheAutoscaler: an autoscale setting changes a scale
// set's capacity; a full PUT of the scale set that carries sku.capacity resets it (Microsoft
// Learn, "Overview of autoscale with Azure Virtual Machine Scale Sets" and "Best practices for
// Autoscale": do not set the capacity of an autoscaled resource on redeploy; scalestack issue
// 10, "Every scale-set update fights the autoscaler"). A disabled setting owns nothing.
func TestVMSSCapacityUnderAutoscaleIsOwnedByTheAutoscaler(t *testing.T) {
	assert.NotEmpty(t, findings(t, "az-vmss-capacity-day-two", "prod", dayTwoVMSS, dayTwoAutoscale))
	assert.Empty(t, findings(t, "az-vmss-capacity-day-two", "prod", ignoring(dayTwoVMSS, "sku"), dayTwoAutoscale), "a parent path covers sku.capacity")
	assert.Empty(t, findings(t, "az-vmss-capacity-day-two", "prod", ignoring(dayTwoVMSS, `sku["capacity"]`), dayTwoAutoscale), "bracketed paths too")
	off := dep(res(azAutoscaleSetting, "web-autoscale", obj{"targetResourceUri": computed, "enabled": false}), "targetResourceUri", dayTwoVMSS)
	assert.Empty(t, findings(t, "az-vmss-capacity-day-two", "prod", dayTwoVMSS, off))
	assert.Empty(t, findings(t, "az-vmss-capacity-day-two", "prod", dayTwoVMSS), "no autoscale setting")
}

// TestCloudSQLDiskSizeWithAutoresizeIsIgnored: pulumi-gcp v7.38.0
// sql.DatabaseInstanceSettings.DiskSize: "Note that this value will override the resizing from
// diskAutoresize if that feature is enabled. To avoid this, set lifecycle.ignore_changes on
// this field", and DiskAutoresize (default true): "if diskSize is set, future pulumi up calls
// will attempt to delete the instance in order to resize the disk". disk_size is ForceNew on
// shrink in terraform-provider-google (resource_sql_database_instance.go).
func TestCloudSQLDiskSizeWithAutoresizeIsIgnored(t *testing.T) {
	sql := res(gcpSQLInstance, "db", obj{"settings": obj{"diskSize": 100, "diskAutoresize": true}})
	bad := findings(t, "gcp-sql-disk-day-two", "prod", sql)
	require.Len(t, bad, 1)
	assert.Contains(t, bad[0].Message, "replaces the instance")
	assert.Empty(t, findings(t, "gcp-sql-disk-day-two", "prod", ignoring(sql, "settings.diskSize")))
	assert.Empty(t, findings(t, "gcp-sql-disk-day-two", "prod", ignoring(sql, "settings")))
	unknown := findings(t, "gcp-sql-disk-day-two", "prod", res(gcpSQLInstance, "db", obj{"settings": obj{"diskSize": 100, "diskAutoresize": computed}}))
	for _, f := range unknown {
		assert.True(t, f.Unverified, f.Message)
	}
}

// TestRDSStorageAutoscalingNeedsNoIgnoreChanges: with maxAllocatedStorage set, the provider
// itself ignores allocatedStorage changes (pulumi-aws v6.83.4 rds.InstanceArgs.MaxAllocatedStorage:
// "When configured, changes to allocatedStorage will be automatically ignored as the storage
// can dynamically scale"), so RDS storage autoscaling is no day-two fight and the rule does
// not ask for ignoreChanges. What it checks is the ceiling RDS requires: at least 10% above
// allocatedStorage (RDS: InvalidParameterCombination, "The maximum allocated storage must be
// increased by at least 10 percent"; see the RDS storage autoscaling user guide).
func TestRDSStorageAutoscalingNeedsNoIgnoreChanges(t *testing.T) {
	assert.Empty(t, findings(t, "aws-rds-storage-day-two", "prod", res(awsRDSInstance, "db", obj{"allocatedStorage": 100, "maxAllocatedStorage": 110})))
	assert.Empty(t, findings(t, "aws-rds-storage-day-two", "prod", res(awsRDSInstance, "db", obj{"allocatedStorage": 100})), "no autoscaling")
	assert.Empty(t, findings(t, "aws-rds-storage-day-two", "prod", res(awsRDSInstance, "db", obj{"allocatedStorage": 100, "maxAllocatedStorage": 0})), "0 turns it off")
	assert.NotEmpty(t, findings(t, "aws-rds-storage-day-two", "prod", res(awsRDSInstance, "db", obj{"allocatedStorage": 100, "maxAllocatedStorage": 105})))
}

// TestIgnoreChangesReachTheRules: the analyzer passes the engine's ignoreChanges option
// through FromAnalyzer, and Ignores reads paths as Pulumi writes them.
func TestIgnoreChangesReachTheRules(t *testing.T) {
	r := Resource{IgnoreChanges: []string{"settings.diskSize", `tags["Name"]`}}
	assert.True(t, r.Ignores("settings.diskSize"))
	assert.True(t, r.Ignores("tags.Name"))
	assert.False(t, r.Ignores("settings"))
	assert.False(t, r.Ignores("settings.diskSizeLimit"))
}

// TestAnalyzerReadsIgnoreChangesFromTheEngine: the engine sends a resource's ignoreChanges in
// AnalyzeRequest.options (pulumi/pulumi step_generator.go: AnalyzerResourceOptions{IgnoreChanges:
// goal.IgnoreChanges}) and the state's in AnalyzeStack; the served pack passes both to the rules.
func TestAnalyzerReadsIgnoreChangesFromTheEngine(t *testing.T) {
	client := serve(t)
	ctx := context.Background()
	_, err := client.ConfigureStack(ctx, &pulumirpc.AnalyzerStackConfigureRequest{Project: "scalestack", Stack: "prod",
		Config: map[string]string{"scalestack:environment": "prod"}})
	require.NoError(t, err)
	analyze := func(ignore ...string) []string {
		req := marshal(t, obj{"settings": obj{"diskSize": 100}})
		req.Type, req.Name, req.Urn = gcpSQLInstance, "db", "urn:pulumi:prod::scalestack::gcp:sql/databaseInstance:DatabaseInstance::db"
		req.Options = &pulumirpc.AnalyzerResourceOptions{IgnoreChanges: ignore}
		resp, err := client.Analyze(ctx, req)
		require.NoError(t, err)
		var names []string
		for _, d := range resp.GetDiagnostics() {
			names = append(names, d.GetPolicyName())
		}
		return names
	}
	assert.Contains(t, analyze(), "gcp-sql-disk-day-two")
	assert.NotContains(t, analyze("settings.diskSize"), "gcp-sql-disk-day-two")

	vmss := marshal(t, obj{"sku": obj{"capacity": 2}}).GetProperties()
	setting := marshal(t, obj{"targetResourceUri": "/subscriptions/s/vmss/web"}).GetProperties()
	vmssURN := "urn:pulumi:prod::scalestack::azure-native:compute:VirtualMachineScaleSet::web"
	stack := func(ignore ...string) []string {
		resp, err := client.AnalyzeStack(ctx, &pulumirpc.AnalyzeStackRequest{Resources: []*pulumirpc.AnalyzerResource{
			{Type: azVMSS, Name: "web", Urn: vmssURN, Properties: vmss, Options: &pulumirpc.AnalyzerResourceOptions{IgnoreChanges: ignore}},
			{Type: azAutoscaleSetting, Name: "web-autoscale", Urn: "urn:pulumi:prod::scalestack::azure-native:insights:AutoscaleSetting::web-autoscale", Properties: setting,
				PropertyDependencies: map[string]*pulumirpc.AnalyzerPropertyDependencies{"targetResourceUri": {Urns: []string{vmssURN}}}},
		}})
		require.NoError(t, err)
		var names []string
		for _, d := range resp.GetDiagnostics() {
			names = append(names, d.GetPolicyName())
		}
		return names
	}
	assert.Contains(t, stack(), "az-vmss-capacity-day-two")
	assert.NotContains(t, stack("sku.capacity"), "az-vmss-capacity-day-two")
}
