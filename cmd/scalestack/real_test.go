package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scalestack/scalestack/cmd/scalestack/internal/diff"
	"github.com/scalestack/scalestack/cmd/scalestack/internal/graph"
	"github.com/scalestack/scalestack/stacks/spec"
)

// forEachRegisteredCloud runs f for every cloud whose reference stack is registered, and
// skips the others by name (the lead removes these skips when every cloud is in).
func forEachRegisteredCloud(t *testing.T, f func(t *testing.T, cloud string)) {
	registered := map[string]bool{}
	for _, c := range registeredClouds() {
		registered[c] = true
	}
	for _, cloud := range spec.Clouds {
		t.Run(string(cloud), func(t *testing.T) {
			if !registered[string(cloud)] {
				t.Skipf("the %s reference stack is not registered in stacks/clouds.go yet", cloud)
			}
			f(t, string(cloud))
		})
	}
}

// secondaryOff turns the secondary region off, with the options that need it.
var secondaryOff = map[string][]string{
	"aws":   {"--to", "scalestack:aws.secondaryRegion="},
	"azure": {"--to", "scalestack:azure.secondaryLocation="},
	"gcp":   {"--to", "scalestack:gcp.secondaryRegion="},
}

func TestRealStackDiagram(t *testing.T) {
	forEachRegisteredCloud(t, func(t *testing.T, cloud string) {
		res, err := (&cli{stderr: &strings.Builder{}, build: registeredBuild()}).preview(previewOptions{
			dir: repoRoot, stack: "dev", cloud: cloud})
		require.NoError(t, err)
		g := graph.Build(cloud, res.Plan, res.Spec.PrimaryRegion(), res.Spec.SecondaryRegion())
		assert.Equal(t, []string{res.Spec.PrimaryRegion(), res.Spec.SecondaryRegion()}, g.Regions[:2], "both regions are groups, primary first")
		caps := map[graph.Capability]map[string]bool{}
		for _, n := range g.Nodes {
			if caps[n.Capability] == nil {
				caps[n.Capability] = map[string]bool{}
			}
			caps[n.Capability][n.Region] = true
		}
		for _, c := range []graph.Capability{graph.Autoscaling, graph.Database} {
			assert.True(t, caps[c][res.Spec.PrimaryRegion()], "%s in the primary region", c)
			assert.True(t, caps[c][res.Spec.SecondaryRegion()], "%s in the secondary region", c)
		}
		assert.NotEmpty(t, caps[graph.LoadBalancer], "a load balancer (regional on AWS and Azure, global on GCP)")
		// The main path is drawn: a load balancer serves the group of each region, and the
		// primary database feeds its cross-region replica.
		servedGroups := map[string]bool{}
		dbToReplica := false
		for _, e := range g.Edges {
			from, to := g.Node(e.From), g.Node(e.To)
			if e.Kind != graph.Serves {
				continue
			}
			if from.Capability == graph.LoadBalancer && to.Capability == graph.Autoscaling {
				servedGroups[to.Region] = true
			}
			if from.Capability == graph.Database && to.Capability == graph.Database &&
				from.Region == res.Spec.PrimaryRegion() && to.Region == res.Spec.SecondaryRegion() {
				dbToReplica = true
			}
		}
		assert.Equal(t, map[string]bool{res.Spec.PrimaryRegion(): true, res.Spec.SecondaryRegion(): true}, servedGroups)
		assert.True(t, dbToReplica, "primary database → cross-region replica")
		for _, e := range g.Edges {
			assert.NotNil(t, g.Node(e.From), e.From)
			assert.NotNil(t, g.Node(e.To), e.To)
			assert.NotEqual(t, e.From, e.To)
		}
	})
}

func TestRealStackDiff(t *testing.T) {
	forEachRegisteredCloud(t, func(t *testing.T, cloud string) {
		code, stdout, stderr := runCLI(t, []string{"diff", "--dir", repoRoot, "--cloud", cloud, "--json", "--to", "scalestack:database.readReplicas=3"}...)
		require.Contains(t, []int{exitOK, exitViolation}, code, stderr)
		var doc jsonDiff
		require.NoError(t, json.Unmarshal([]byte(stdout), &doc))
		assert.Empty(t, doc.DataLoss, "more replicas delete nothing")
		assert.Zero(t, doc.ChangeSummary["delete"])
		created := 0
		for _, s := range doc.Steps {
			if s.Op == diff.Create && s.Stateful {
				created++
			}
		}
		assert.GreaterOrEqual(t, created, 2, "two more replicas")

		args := append([]string{"diff", "--dir", repoRoot, "--cloud", cloud, "--json",
			"--to", "scalestack:database.crossRegionReplica=false", "--to", "scalestack:backup.copyToSecondary=false"}, secondaryOff[cloud]...)
		code, stdout, stderr = runCLI(t, args...)
		assert.Equal(t, exitViolation, code, stderr)
		require.NoError(t, json.Unmarshal([]byte(stdout), &doc))
		assert.NotEmpty(t, doc.DataLoss, "dropping the secondary region deletes its replica")
		for _, s := range doc.DataLoss {
			assert.True(t, diff.IsStateful(s.Type))
			assert.Equal(t, diff.Delete, s.Op)
		}
	})
}

// The benchmarks' every-option config (testdata/Pulumi.full.yaml) is valid and previews on
// every registered cloud, and is larger than the dev stack.
func TestFullConfigPreviews(t *testing.T) {
	forEachRegisteredCloud(t, func(t *testing.T, cloud string) {
		args := []string{"preview", "--dir", "testdata", "--stack", "full", "--cloud", cloud, "--json"}
		if cloud == "gcp" {
			args = append(args, "-c", "scalestack:backup.weeklyRetentionDays=0")
		}
		code, stdout, stderr := runCLI(t, args...)
		require.Contains(t, []int{exitOK, exitViolation}, code, stderr)
		var full jsonPreview
		require.NoError(t, json.Unmarshal([]byte(stdout), &full))
		code, stdout, stderr = runCLI(t, []string{"preview", "--dir", repoRoot, "--cloud", cloud, "--json"}...)
		require.Contains(t, []int{exitOK, exitViolation}, code, stderr)
		var dev jsonPreview
		require.NoError(t, json.Unmarshal([]byte(stdout), &dev))
		assert.Greater(t, len(full.Steps), len(dev.Steps))
		assert.Equal(t, "prod", full.Environment)
	})
}

// regionMoves are, per cloud, the placement keys and the region each is moved to.
var regionMoves = map[string][][2]string{
	"aws":   {{"scalestack:aws.primaryRegion", "eu-west-1"}, {"scalestack:aws.secondaryRegion", "eu-central-1"}},
	"azure": {{"scalestack:azure.primaryLocation", "westeurope"}, {"scalestack:azure.secondaryLocation", "northeurope"}},
	"gcp":   {{"scalestack:gcp.primaryRegion", "europe-west1"}, {"scalestack:gcp.secondaryRegion", "europe-west4"}},
}

// TestRealStackRegionMoveIsDataLoss: a provider whose region changes replaces what it
// manages, and a resource moved to another provider is replaced by the engine. Sources:
// pulumi/pulumi pkg/resource/deploy/step_generator.go providerChanged (a resource whose
// explicit provider changes is replaced); pulumi/pulumi-aws#4000 (a provider region change
// cascades into replacing its resources); azure-native: a resource's location "cannot be
// changed once it is created" (ARM); terraform-provider-google: region and project are
// ForceNew and default to the provider's. So moving the primary or secondary region of a
// reference stack must list every stateful resource placed there as data loss, by name, and
// exit 1.
func TestRealStackRegionMoveIsDataLoss(t *testing.T) {
	forEachRegisteredCloud(t, func(t *testing.T, cloud string) {
		base, err := (&cli{stderr: &strings.Builder{}, build: registeredBuild()}).preview(previewOptions{dir: repoRoot, stack: "dev", cloud: cloud})
		require.NoError(t, err)
		for i, move := range regionMoves[cloud] {
			from := base.Spec.PrimaryRegion()
			if i == 1 {
				from = base.Spec.SecondaryRegion()
			}
			t.Run(move[0], func(t *testing.T) {
				code, stdout, stderr := runCLI(t, "diff", "--dir", repoRoot, "--cloud", cloud, "--json", "--to", move[0]+"="+move[1])
				assert.Equal(t, exitViolation, code, stderr)
				var doc jsonDiff
				require.NoError(t, json.Unmarshal([]byte(stdout), &doc))
				lost := map[string]diff.Step{}
				for _, s := range doc.DataLoss {
					lost[s.URN] = s
				}
				var placed []string
				for _, r := range base.Plan.Resources {
					if !diff.IsStateful(r.Type) || r.Region() != from {
						continue
					}
					placed = append(placed, r.Name)
					s, ok := lost[r.URN]
					if assert.True(t, ok, "%s %q in %s is data loss when %s moves to %s", r.Type, r.Name, from, move[0], move[1]) {
						assert.True(t, s.Replaces, r.Name)
						assert.Contains(t, s.Reason(), "it moves from region", r.Name)
					}
				}
				assert.NotEmpty(t, placed, "stateful resources in %s", from)
				hasDB := false
				for _, s := range doc.DataLoss {
					hasDB = hasDB || strings.Contains(s.Type, "sql") || strings.Contains(s.Type, "rds")
				}
				assert.True(t, hasDB, "a database moves with %s", move[0])

				code, human, _ := runCLI(t, "diff", "--dir", repoRoot, "--cloud", cloud, "--to", move[0]+"="+move[1])
				assert.Equal(t, exitViolation, code)
				assert.Contains(t, human, "ERROR: data loss.")
				for _, name := range placed {
					assert.Contains(t, human, fmt.Sprintf("%q", name))
				}
				assert.Contains(t, human, "it moves from region "+from+" to "+move[1])
			})
		}
	})
}
