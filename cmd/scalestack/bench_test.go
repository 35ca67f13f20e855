package main

import (
	"fmt"
	"io"
	"testing"

	"github.com/scalestack/scalestack/cmd/scalestack/internal/diff"
	"github.com/scalestack/scalestack/cmd/scalestack/internal/fixture"
	"github.com/scalestack/scalestack/cmd/scalestack/internal/graph"
	"github.com/scalestack/scalestack/stacks"
	"github.com/scalestack/scalestack/stacks/spec"
	"github.com/scalestack/scalestack/testkit"
)

// benchPreview previews one cloud's reference stack per iteration (config, program under
// mocks, policies) and reports the plan's size.
func benchPreview(b *testing.B, o previewOptions) {
	registered := map[string]bool{}
	for _, c := range registeredClouds() {
		registered[c] = true
	}
	if !registered[o.cloud] {
		b.Skipf("the %s reference stack is not registered in stacks/clouds.go yet", o.cloud)
	}
	c := &cli{stdout: io.Discard, stderr: io.Discard, build: stacks.BuildSpec}
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		res, err := c.preview(o)
		if err != nil {
			b.Fatal(err)
		}
		n = len(res.Plan.Resources)
	}
	b.ReportMetric(float64(n), "resources/op")
}

// BenchmarkPreview previews each cloud's reference stack with the dev stack's config.
func BenchmarkPreview(b *testing.B) {
	for _, cloud := range spec.Clouds {
		b.Run(string(cloud), func(b *testing.B) {
			benchPreview(b, previewOptions{dir: repoRoot, stack: "dev", cloud: string(cloud)})
		})
	}
}

// BenchmarkPreviewFull previews each cloud's reference stack with every optional part on
// (testdata/Pulumi.full.yaml: prod, 5 replicas, cross-region replica, schedules, CDN,
// weekly and copied backups, alerts, domain).
func BenchmarkPreviewFull(b *testing.B) {
	for _, cloud := range spec.Clouds {
		b.Run(string(cloud), func(b *testing.B) {
			o := previewOptions{dir: "testdata", stack: "full", cloud: string(cloud)}
			if cloud == spec.GCP {
				o.overrides = stringList{"scalestack:backup.weeklyRetentionDays=0"}
			}
			benchPreview(b, o)
		})
	}
}

// BenchmarkPreviewAllClouds is `scalestack preview --cloud all --json` end to end, for the
// clouds registered (the target: under 300 ms for the three).
func BenchmarkPreviewAllClouds(b *testing.B) {
	if len(registeredClouds()) < len(spec.Clouds) {
		b.Skipf("only %v of the reference stacks are registered in stacks/clouds.go yet", registeredClouds())
	}
	c := &cli{stdout: io.Discard, stderr: io.Discard, build: stacks.BuildSpec}
	b.ReportAllocs()
	for b.Loop() {
		if code := c.run([]string{"preview", "--dir", repoRoot, "--cloud", "all", "--json"}); code > exitViolation {
			b.Fatalf("exit %d", code)
		}
	}
}

// BenchmarkFixtureScaling shows how preview time grows with the number of resources: the
// fixture with N read replicas and N schedules per web tier, over two regions. ns/resource
// staying flat as N grows means linear growth.
func BenchmarkFixtureScaling(b *testing.B) {
	for _, n := range []int{5, 20, 80, 320} {
		b.Run(fmt.Sprintf("replicas=%d", n), func(b *testing.B) {
			o := fixture.Options{Replicas: n, Secondary: true, Schedules: n}
			b.ReportAllocs()
			var resources int
			for b.Loop() {
				p, err := testkit.RunExports(fixture.Program(o), testkit.DryRun(true))
				if err != nil {
					b.Fatal(err)
				}
				// What a preview does with the plan: the human view, the graph and a diff.
				writeHuman(io.Discard, &previewResult{Spec: fixtureSpec, Plan: p}, palette{})
				graph.Build("bench", p)
				diff.Compare(p, p)
				resources = len(p.Resources)
			}
			b.ReportMetric(float64(resources), "resources/op")
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(resources), "ns/resource")
		})
	}
}

var fixtureSpec = &spec.Spec{Stack: "dev", Cloud: spec.AWS, Environment: spec.Dev,
	AWS: spec.AWSPlacement{PrimaryRegion: fixture.Primary, SecondaryRegion: fixture.Secondary}}
