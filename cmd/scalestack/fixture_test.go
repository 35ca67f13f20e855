package main

import (
	"bytes"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/scalestack/scalestack/cmd/scalestack/internal/fixture"
	"github.com/scalestack/scalestack/stacks"
	"github.com/scalestack/scalestack/stacks/spec"
)

// fixtureBuild stands in for the reference stacks: the fixture shaped by the spec (read
// replicas, secondary region, schedules; a database name other than the default "app" names
// the database component, so a config change can rename it).
func fixtureBuild(ctx *pulumi.Context, s *spec.Spec) (pulumi.Map, error) {
	o := fixture.Options{Replicas: s.Database.ReadReplicas, Secondary: s.MultiRegion(), Schedules: len(s.Web.Schedules)}
	if s.Database.Name != "app" {
		o.Database = s.Database.Name
	}
	return fixture.Build(ctx, o)
}

// runFixture runs the CLI with the fixture as every cloud's stack.
func runFixture(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	c := &cli{stdout: &out, stderr: &errb, build: fixtureBuild, policies: noPolicyPack}
	code = c.run(args)
	return code, out.String(), errb.String()
}

// registeredClouds is stacks.Available, named so that the tests read which clouds the build
// registers.
var registeredClouds = stacks.Available

// registeredBuild is the builder the command uses: the registered reference stacks.
func registeredBuild() stacks.Builder { return stacks.BuildSpec }
