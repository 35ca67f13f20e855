package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestDiffAddingGCPCacheAndQueueOnlyCreates: `scalestack diff` from a Google Cloud stack
// without the cache and the queue to one with them (the new defaults) creates the tiers,
// updates only the web instance templates (their metadata names the cache, its secret and the
// topic) and the on-call dashboard (new tiles), deletes nothing and loses no data: no existing
// URN changes.
func TestDiffAddingGCPCacheAndQueueOnlyCreates(t *testing.T) {
	var out, errb bytes.Buffer
	c := &cli{stdout: &out, stderr: &errb, build: registeredBuild()}
	code := c.run([]string{"diff", "--dir", repoRoot, "--cloud", "gcp",
		"-c", "scalestack:cache.enabled=false", "-c", "scalestack:queue.enabled=false",
		"--to", "scalestack:cache.enabled=true", "--to", "scalestack:queue.enabled=true", "--json"})
	assert.Equal(t, exitOK, code, errb.String())
	var doc jsonDiff
	require.NoError(t, json.Unmarshal(out.Bytes(), &doc))
	t.Logf("change summary: %v", doc.ChangeSummary)
	assert.Empty(t, doc.DataLoss)
	assert.Zero(t, doc.ChangeSummary["delete"], "no existing resource is deleted")
	var updated []string
	for _, s := range doc.Steps {
		if s.Op == "update" {
			updated = append(updated, s.Name)
		}
	}
	assert.ElementsMatch(t, []string{"app-web-primary", "app-web-secondary", "app-oncall"}, updated)
	assert.Greater(t, doc.ChangeSummary["create"], 30)
	for _, s := range doc.Steps {
		if s.Op == "create" {
			assert.False(t, strings.HasPrefix(s.Name, "app-db"), "%s: nothing of the database is created anew", s.Name)
		}
	}
}
