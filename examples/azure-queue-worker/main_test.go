package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scalestack/scalestack/policies/rules"
	"github.com/scalestack/scalestack/testkit"
)

const project = "azure-queue-worker"

const rgID = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/app"

func stackConfig(extra map[string]string) testkit.Option {
	cfg := map[string]string{
		project + ":location":          "westeurope",
		project + ":resourceGroupName": "app",
		project + ":resourceGroupId":   rgID,
		project + ":vnetId":            rgID + "/providers/Microsoft.Network/virtualNetworks/app",
		project + ":dataSubnetId":      rgID + "/providers/Microsoft.Network/virtualNetworks/app/subnets/data",
		project + ":appSubnetId":       rgID + "/providers/Microsoft.Network/virtualNetworks/app/subnets/app",
		project + ":backlogPerWorker":  "20",
	}
	for k, v := range extra {
		if v == "" {
			delete(cfg, k)
			continue
		}
		cfg[k] = v
	}
	return testkit.Config(cfg)
}

// TestProgram checks what the program creates, where, and that the workers scale on their
// own queue's length per instance.
func TestProgram(t *testing.T) {
	plan, err := testkit.RunExports(program, testkit.Project(project), stackConfig(nil))
	require.NoError(t, err)
	testkit.AssertCounts(t, plan, map[string]int{
		"scalestack:azure:Queue":                      1,
		"scalestack:azure:Worker":                     1,
		"azure-native:storage:Queue":                  2,
		"azure-native:compute:VirtualMachineScaleSet": 1,
		"azure-native:insights:AutoscaleSetting":      1,
		"azure-native:authorization:RoleAssignment":   2, // the workers' own: process, and send to the poison queue
		"azure-native:network:VirtualNetwork":         0, // the network exists already
	})
	for _, c := range plan.Components("") {
		testkit.AssertPlaced(t, plan, c, "westeurope")
	}
	ss := plan.Find("azure-native:compute:VirtualMachineScaleSet", "jobs-worker-vmss")
	assert.Equal(t, rgID+"/providers/Microsoft.Network/virtualNetworks/app/subnets/app",
		ss.Input("virtualMachineProfile.networkProfile.networkInterfaceConfigurations.0.ipConfigurations.0.subnet.id"))
	as := plan.Find("azure-native:insights:AutoscaleSetting", "jobs-worker-autoscale")
	sa := plan.Find("azure-native:storage:StorageAccount", "jobs-account")
	trig := as.Input("profiles.0.rules.2.metricTrigger").(map[string]any)
	assert.Equal(t, "ApproximateMessageCount", trig["metricName"])
	assert.Equal(t, float64(20), trig["threshold"])
	assert.Equal(t, sa.ID+"/services/queue/queues/jobs", trig["metricResourceUri"])
	assert.Regexp(t, `^https://ssq[0-9a-f]{20}\.queue\.core\.windows\.net/jobs$`, plan.Outputs["queueUrl"])

	rep, err := plan.Policies(rules.Options{Environment: "dev"})
	require.NoError(t, err)
	assert.Empty(t, rep.Mandatory())
}

// TestMissingConfig fails before any resource is registered and names the missing key.
func TestMissingConfig(t *testing.T) {
	var registered int
	_, err := testkit.RunExports(program, testkit.Project(project), stackConfig(map[string]string{project + ":vnetId": ""}),
		testkit.OnNewResource(func(*testkit.Resource) error { registered++; return nil }))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "missing required configuration variable 'vnetId'")
	assert.Zero(t, registered)
}
