package main

import (
	"encoding/json"
	"sort"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scalestack/scalestack/cmd/scalestack/internal/diff"
)

// TestAWSAddingTheCacheAndTheQueueChangesNoExistingURN: `scalestack diff` from the AWS dev
// stack without the tiers (scalestack:cache.enabled=false, scalestack:queue.enabled=false) to
// the default (both on) creates the tiers and deletes, replaces or renames nothing. The
// updates are the ones the wiring needs, each applied in place: the dashboard gains the
// tiers' widgets (DashboardBody: "Update requires: No interruption", AWS::CloudWatch::Dashboard),
// the web launch templates
// gain the tiers parameter's name in their user data (a new template version, rolled out by
// the group's instance refresh), and the primary web security group's rules are separate
// resources, so the group itself is unchanged.
func TestAWSAddingTheCacheAndTheQueueChangesNoExistingURN(t *testing.T) {
	code, stdout, stderr := runCLI(t, "diff", "--dir", repoRoot, "--cloud", "aws", "--json",
		"-c", "scalestack:cache.enabled=false", "-c", "scalestack:queue.enabled=false",
		"--to", "scalestack:cache.enabled=true", "--to", "scalestack:queue.enabled=true")
	require.Equal(t, exitOK, code, stderr)
	var doc jsonDiff
	require.NoError(t, json.Unmarshal([]byte(stdout), &doc))
	assert.Empty(t, doc.DataLoss)
	assert.Zero(t, doc.ChangeSummary["delete"], "no existing URN goes away")
	assert.Greater(t, doc.ChangeSummary["create"], 30, "the cache, the queue and the workers")
	var updated []string
	for _, s := range doc.Steps {
		assert.NotEqual(t, diff.Delete, s.Op, s.URN)
		assert.False(t, s.Replaces, s.URN)
		if s.Op == diff.Update {
			updated = append(updated, s.Type+" "+s.Name)
		}
	}
	sort.Strings(updated)
	assert.Equal(t, []string{
		"aws:cloudwatch/dashboard:Dashboard backend-dashboard",
		"aws:ec2/launchTemplate:LaunchTemplate backend-primary-web",
		"aws:ec2/launchTemplate:LaunchTemplate backend-secondary-web",
	}, updated, "the dashboard's body and the launch templates' user data, both updated in place")
}
