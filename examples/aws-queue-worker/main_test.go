package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scalestack/scalestack/policies/rules"
	"github.com/scalestack/scalestack/testkit"
)

const project = "aws-queue-worker"

func stackConfig(extra map[string]string) testkit.Option {
	cfg := map[string]string{
		project + ":region":           "eu-west-1",
		project + ":vpcId":            "vpc-0123456789abcdef0",
		project + ":privateSubnetIds": `["subnet-0cccccccccccccccc","subnet-0dddddddddddddddd"]`,
		project + ":backlogPerWorker": "20",
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
// own queue's backlog.
func TestProgram(t *testing.T) {
	plan, err := testkit.RunExports(program, testkit.Project(project), stackConfig(nil))
	require.NoError(t, err)
	testkit.AssertCounts(t, plan, map[string]int{
		"scalestack:aws:Queue":                  1,
		"scalestack:aws:Worker":                 1,
		"aws:sqs/queue:Queue":                   2,
		"aws:autoscaling/group:Group":           1,
		"aws:autoscaling/policy:Policy":         1,
		"aws:ec2/vpc:Vpc":                       0, // the VPC exists already
		"aws:ec2/launchTemplate:LaunchTemplate": 1,
	})
	for _, c := range plan.Components("") {
		testkit.AssertPlaced(t, plan, c, "eu-west-1")
	}
	asg := plan.Find("aws:autoscaling/group:Group", "jobs-worker")
	assert.Equal(t, []any{"subnet-0cccccccccccccccc", "subnet-0dddddddddddddddd"}, asg.Input("vpcZoneIdentifiers"))
	pol := plan.Find("aws:autoscaling/policy:Policy", "jobs-worker-backlog")
	assert.Equal(t, float64(20), pol.Input("targetTrackingConfiguration.targetValue"))
	testkit.AssertWired(t, pol, "targetTrackingConfiguration", plan.Find("aws:sqs/queue:Queue", "jobs"))
	assert.Regexp(t, `^https://sqs\.eu-west-1\.amazonaws\.com/`, plan.Outputs["queueUrl"])

	rep, err := plan.Policies(rules.Options{Environment: "dev"})
	require.NoError(t, err)
	assert.Empty(t, rep.Mandatory())
}

// TestMissingConfig fails before any resource is registered and names the missing key.
func TestMissingConfig(t *testing.T) {
	var registered int
	_, err := testkit.RunExports(program, testkit.Project(project), stackConfig(map[string]string{project + ":vpcId": ""}),
		testkit.OnNewResource(func(*testkit.Resource) error { registered++; return nil }))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "missing required configuration variable 'vpcId'")
	assert.Zero(t, registered)
}
