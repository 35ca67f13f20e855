package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scalestack/scalestack/stacks/spec"
	"github.com/scalestack/scalestack/testkit"
)

// runWith runs the CLI with the fixture stack and a policy check.
func runWith(t *testing.T, policies func(*testkit.Plan, *spec.Spec) []violation, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	if policies == nil {
		policies = noPolicyPack
	}
	c := &cli{stdout: &out, stderr: &errb, build: fixtureBuild, policies: policies}
	code = c.run(args)
	return code, out.String(), errb.String()
}

// noPolicyPack stands in for the pack on the fixture stack, a skeleton that is not built to
// pass it (the real stacks are judged by the real pack in real_test.go and main_test.go).
func noPolicyPack(*testkit.Plan, *spec.Spec) []violation { return nil }

// mandatoryOn reports one mandatory violation on the named cloud's plans, and an evaluated,
// clean pack elsewhere.
func mandatoryOn(cloud spec.Cloud) func(*testkit.Plan, *spec.Spec) []violation {
	return func(p *testkit.Plan, s *spec.Spec) []violation {
		if s.Cloud != cloud {
			return []violation{}
		}
		return []violation{{PolicyName: "test-rule", EnforcementLevel: "mandatory", URN: p.Resources[0].URN, Message: "not allowed"}}
	}
}

func TestPreviewHuman(t *testing.T) {
	code, stdout, stderr := runFixture(t, "preview", "--dir", repoRoot)
	assert.Equal(t, exitOK, code, stderr)
	for _, want := range []string{
		`Previewing stack "dev" on aws (environment dev), offline`,
		"Regions: us-east-1 (primary), us-west-2 (secondary)",
		"db             scalestack:aws:Database      us-east-1+us-west-2  3 resources",
		"cdn            scalestack:aws:CDN           global               1 resource\n",
		"29 resources to create (18 cloud resources, 9 components, 2 providers)",
		"Policies: no policy pack evaluated",
	} {
		assert.Contains(t, stdout, want)
	}
	assert.NotContains(t, stdout, "\x1b[", "no colour when stdout is not a terminal")
	assert.NotContains(t, stdout, "scalestack: previewing", "progress goes to stderr")
	assert.Contains(t, stderr, `scalestack: previewing stack "dev" on aws offline`)
	assert.Contains(t, stderr, "scalestack: aws: 29 resources planned in ")
}

func TestPreviewExitStatusFollowsPolicies(t *testing.T) {
	code, stdout, _ := runWith(t, mandatoryOn(spec.AWS), "preview", "--dir", repoRoot)
	assert.Equal(t, exitViolation, code)
	assert.Contains(t, stdout, "Policies: 1 mandatory, 0 advisory, 0 waived")
	assert.Contains(t, stdout, "[MANDATORY] test-rule: not allowed")

	code, _, _ = runWith(t, mandatoryOn(spec.GCP), "preview", "--dir", repoRoot)
	assert.Equal(t, exitOK, code, "a clean pack passes")
}

func TestColor(t *testing.T) {
	env := func(kv ...string) func(string) string {
		return func(k string) string {
			for i := 0; i+1 < len(kv); i += 2 {
				if kv[i] == k {
					return kv[i+1]
				}
			}
			return ""
		}
	}
	assert.False(t, colorFor(&bytes.Buffer{}, env()).on, "not a file")
	assert.False(t, colorFor(os.Stdout, env("CI", "true")).on, "CI logs get no escapes")
	assert.False(t, colorFor(os.Stdout, env("NO_COLOR", "1")).on)
	assert.False(t, colorFor(os.Stdout, env("TERM", "dumb")).on)
	f, err := os.Create(filepath.Join(t.TempDir(), "out"))
	require.NoError(t, err)
	defer f.Close()
	assert.False(t, colorFor(f, env()).on, "a regular file is not a terminal")

	assert.Equal(t, "x", palette{}.red("x"))
	assert.Equal(t, "\x1b[31mx\x1b[0m", palette{on: true}.red("x"))
	var b bytes.Buffer
	writeViolations(&b, "Policies", mandatoryOn(spec.AWS)(&testkit.Plan{Resources: []*testkit.Resource{{URN: "u"}}}, &spec.Spec{Cloud: spec.AWS}), palette{on: true})
	assert.Contains(t, b.String(), "[\x1b[31mMANDATORY\x1b[0m]")
}

func TestDiagramCommand(t *testing.T) {
	code, stdout, stderr := runFixture(t, "preview", "--dir", repoRoot, "--diagram", "dot")
	assert.Equal(t, exitOK, code, stderr)
	assert.True(t, strings.HasPrefix(stdout, `digraph "scalestack dev on aws (dev)" {`), stdout)
	assert.Contains(t, stdout, "n_cdn_global -> n_lb_us_east_1;")
	assert.Contains(t, stdout, "n_db_us_east_1 -> n_db_us_west_2;")
	assert.Contains(t, stderr, "Policies: no policy pack evaluated", "the verdict goes to stderr, beside the picture")

	code, stdout, _ = runFixture(t, "preview", "--dir", repoRoot, "--diagram", "mermaid", "-c", "scalestack:aws.secondaryRegion=",
		"-c", "scalestack:database.crossRegionReplica=false", "-c", "scalestack:backup.copyToSecondary=false")
	assert.Equal(t, exitOK, code)
	assert.True(t, strings.HasPrefix(stdout, "flowchart LR\n"))
	assert.NotContains(t, stdout, "us-west-2")

	code, _, _ = runWith(t, mandatoryOn(spec.AWS), "preview", "--dir", repoRoot, "--diagram", "mermaid")
	assert.Equal(t, exitViolation, code, "a diagram does not hide a violation")
}

func TestPreviewUsageErrors(t *testing.T) {
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"bad format", []string{"--diagram", "svg"}, `--diagram: "svg" is not allowed: want mermaid or dot`},
		{"diagram and json", []string{"--diagram", "dot", "--json"}, "--diagram and --json: choose one output"},
		{"diagram of all", []string{"--diagram", "dot", "--cloud", "all"}, "--diagram draws one cloud at a time"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := runFixture(t, append([]string{"preview", "--dir", repoRoot}, tc.args...)...)
			assert.Equal(t, exitUsage, code)
			assert.Empty(t, stdout)
			assert.Contains(t, stderr, "scalestack preview: "+tc.want)
		})
	}
}

func TestPreviewAllSideBySide(t *testing.T) {
	code, stdout, _ := runFixture(t, "preview", "--dir", repoRoot, "--cloud", "all")
	assert.Equal(t, exitOK, code)
	for _, c := range []string{"aws", "azure", "gcp"} {
		assert.Contains(t, stdout, "━━ "+c+" ━━")
		assert.Contains(t, stdout, `Previewing stack "dev" on `+c)
	}
	assert.Contains(t, stdout, "Comparison (cloud resources by capability):")
	lines := map[string]string{}
	for _, l := range strings.Split(stdout[strings.Index(stdout, "Comparison"):], "\n") {
		f := strings.Fields(l)
		if len(f) >= 4 {
			lines[strings.Join(f[:len(f)-3], " ")] = strings.Join(f[len(f)-3:], " ")
		}
	}
	assert.Equal(t, "AWS AZURE GCP", lines["CAPABILITY"])
	assert.Equal(t, "3 3 3", lines["database"], "primary, in-region and cross-region replicas")
	assert.Equal(t, "4 4 4", lines["load balancer"])
	assert.Equal(t, "18 18 18", lines["total"])
	assert.Equal(t, "us-east-1+us-west-2 eastus2+centralus us-central1+us-east1", lines["regions"])
	assert.Equal(t, "0 0 0", lines["exit status"])
}

func TestPreviewAllExitIsTheWorst(t *testing.T) {
	code, stdout, _ := runWith(t, mandatoryOn(spec.Azure), "preview", "--dir", repoRoot, "--cloud", "all")
	assert.Equal(t, exitViolation, code)
	assert.Regexp(t, `mandatory violations +0 +1 +0`, stdout)
	assert.Regexp(t, `exit status +0 +1 +0`, stdout)

	// A cloud whose stack fails on its config is a usage error: 2 beats 1.
	failGCP := func(ctx *pulumi.Context, s *spec.Spec) (pulumi.Map, error) {
		if s.Cloud == spec.GCP {
			return nil, &spec.ConfigError{Problems: []string{"scalestack:gcp.project: required"}}
		}
		return fixtureBuild(ctx, s)
	}
	var out, errb bytes.Buffer
	c := &cli{stdout: &out, stderr: &errb, build: failGCP, policies: mandatoryOn(spec.Azure)}
	assert.Equal(t, exitUsage, c.run([]string{"preview", "--dir", repoRoot, "--cloud", "all"}))
	assert.Contains(t, errb.String(), "scalestack preview: gcp: ")
	assert.Contains(t, errb.String(), "scalestack:gcp.project: required")
	assert.Contains(t, out.String(), "━━ aws ━━", "the other clouds are still shown")
	assert.Regexp(t, `exit status +0 +1 +2`, out.String())
	assert.Regexp(t, `total +18 +18 +n/a`, out.String())

	out.Reset()
	errb.Reset()
	assert.Equal(t, exitUsage, c.run([]string{"preview", "--dir", repoRoot, "--cloud", "all", "--json"}))
	var doc map[string]map[string]any
	require.NoError(t, json.Unmarshal(out.Bytes(), &doc), out.String())
	assert.Equal(t, "gcp", doc["gcp"]["cloud"])
	assert.Contains(t, doc["gcp"]["error"], "scalestack:gcp.project: required")
	assert.Equal(t, 2.0, doc["gcp"]["exitCode"])
	assert.Len(t, doc["azure"]["policyViolations"], 1)
}

func TestPreviewAllOnTheRegisteredStacks(t *testing.T) {
	// The real builder: clouds without a registered stack are reported, not hidden.
	code, stdout, stderr := runCLI(t, []string{"preview", "--dir", repoRoot, "--cloud", "all", "--json"}...)
	var doc map[string]map[string]any
	require.NoError(t, json.Unmarshal([]byte(stdout), &doc), stdout)
	require.Len(t, doc, 3)
	registered := map[string]bool{}
	for _, c := range registeredClouds() {
		registered[c] = true
	}
	want := exitOK
	for _, c := range []string{"aws", "azure", "gcp"} {
		if registered[c] {
			assert.NotEmpty(t, doc[c]["steps"], c)
			continue
		}
		want = exitUsage
		assert.Contains(t, doc[c]["error"], "has no reference stack in this build", c)
		assert.Contains(t, stderr, "scalestack preview: "+c+": ")
	}
	if want == exitUsage {
		assert.Equal(t, exitUsage, code)
	} else {
		assert.Contains(t, []int{exitOK, exitViolation}, code)
	}
}

// twoStacks writes a project with a dev and a prod stack (prod single-region, two replicas).
func twoStacks(t *testing.T) string {
	dir := t.TempDir()
	files := map[string]string{
		"Pulumi.yaml":     "name: scalestack\nruntime: go\n",
		"Pulumi.dev.yaml": "config:\n  scalestack:cloud: aws\n  scalestack:environment: dev\n  scalestack:aws:\n    secondaryRegion: us-west-2\n",
		"Pulumi.prod.yaml": "config:\n  scalestack:cloud: aws\n  scalestack:environment: prod\n  scalestack:aws:\n    secondaryRegion: \"\"\n" +
			"  scalestack:database:\n    readReplicas: 2\n    crossRegionReplica: false\n  scalestack:backup:\n    copyToSecondary: false\n",
	}
	for name, body := range files {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(body), 0o600))
	}
	return dir
}

func TestDiffAddedReplicaIsSafe(t *testing.T) {
	code, stdout, stderr := runFixture(t, "diff", "--dir", repoRoot, "--to", "scalestack:database.readReplicas=2")
	assert.Equal(t, exitOK, code, stderr)
	assert.Contains(t, stdout, "+ create  aws:rds/instance:Instance  db-replica-2")
	assert.Contains(t, stdout, "1 to create, 0 to update, 0 to delete, 29 unchanged")
	assert.NotContains(t, stdout, "data loss")
}

func TestDiffRemovedSecondaryRegionIsDataLoss(t *testing.T) {
	code, stdout, _ := runFixture(t, "diff", "--dir", repoRoot, "--to", "scalestack:aws.secondaryRegion=",
		"--to", "scalestack:database.crossRegionReplica=false", "--to", "scalestack:backup.copyToSecondary=false")
	assert.Equal(t, exitViolation, code)
	assert.Contains(t, stdout, "ERROR: data loss. 2 stateful resource(s) would be deleted with their data:")
	assert.Contains(t, stdout, `aws:rds/instance:Instance "db-replica-us-west-2"`)
	assert.Contains(t, stdout, `aws:backup/vault:Vault "backup-vault-us-west-2"`)
	assert.Contains(t, stdout, "- delete (data)  aws:rds/instance:Instance")
	assert.Contains(t, stdout, "~ update         aws:cloudfront/distribution:Distribution  cdn\n      origins: [")
	assert.Contains(t, stdout, "0 to create, 1 to update, 9 to delete, 19 unchanged")
}

func TestDiffRenamedDatabaseIsAnError(t *testing.T) {
	code, stdout, stderr := runFixture(t, "diff", "--dir", repoRoot, "--to", "scalestack:database.name=orders", "--json")
	assert.Equal(t, exitViolation, code)
	assert.NotContains(t, stdout, "scalestack: previewing", "progress never enters --json stdout")
	assert.Contains(t, stderr, "scalestack: previewing")
	var doc jsonDiff
	require.NoError(t, json.Unmarshal([]byte(stdout), &doc))
	var lost []string
	for _, s := range doc.DataLoss {
		lost = append(lost, s.Name)
	}
	assert.Equal(t, []string{"db", "db-replica-1", "db-replica-us-west-2"}, lost)
	assert.Equal(t, map[string]int{"create": 4, "update": 2, "delete": 4, "same": 23}, doc.ChangeSummary)
	for _, s := range doc.Steps {
		if s.Op == "update" {
			assert.Contains(t, []string{"backup-selection", "alarms-db-cpu"}, s.Name, "what reads the database's outputs changes")
		}
	}
}

func TestDiffAgainstAnotherStack(t *testing.T) {
	dir := twoStacks(t)
	code, stdout, stderr := runFixture(t, "diff", "--dir", dir, "--to-stack", "prod")
	assert.Equal(t, exitViolation, code, stderr)
	assert.Contains(t, stdout, "target: stack prod (")
	assert.Contains(t, stdout, "+ create         aws:rds/instance:Instance                 db-replica-1\n")
	assert.Contains(t, stdout, "+ create         aws:rds/instance:Instance                 db-replica-2\n")
	assert.Contains(t, stdout, "      origins (from): [")
	assert.Contains(t, stdout, "2 to create, 1 to update, 9 to delete, 18 unchanged")
	assert.Contains(t, stdout, `aws:rds/instance:Instance "db-replica-us-west-2"`)

	// The same stack on both sides is no change at all, across the stack name.
	code, stdout, _ = runFixture(t, "diff", "--dir", dir, "--to-stack", "dev")
	assert.Equal(t, exitOK, code)
	assert.Contains(t, stdout, "No changes.")
}

func TestDiffPolicyViolationFails(t *testing.T) {
	code, stdout, _ := runWith(t, mandatoryOn(spec.AWS), "diff", "--dir", repoRoot, "--to", "scalestack:database.readReplicas=2")
	assert.Equal(t, exitViolation, code, "a mandatory violation in the target fails the diff")
	assert.Contains(t, stdout, "Policies (target): 1 mandatory")
}

func TestDiffUsageErrors(t *testing.T) {
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"no target", nil, "give the target: --to key=value (repeatable) or --to-stack NAME"},
		{"all clouds", []string{"--cloud", "all", "--to", "a=b"}, "--cloud: diff compares one cloud at a time"},
		{"stray", []string{"--to", "a=b", "extra"}, `unexpected argument "extra"`},
		{"bad target", []string{"--to", "scalestack:database.readReplicas=9"}, "target: invalid config: scalestack:database.readReplicas: 9 is not allowed"},
		{"bad base", []string{"-c", "scalestack:web.minSize=-1", "--to", "scalestack:database.readReplicas=1"}, "base: invalid config: scalestack:web.minSize: -1 is not allowed"},
		{"missing stack", []string{"--to-stack", "nope"}, "target: stack file ../../Pulumi.nope.yaml not found"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := runFixture(t, append([]string{"diff", "--dir", repoRoot}, tc.args...)...)
			assert.Equal(t, exitUsage, code)
			assert.Empty(t, stdout)
			assert.Contains(t, stderr, "scalestack diff: "+tc.want)
		})
	}
}

// fields lists the JSON field paths of a document: objects by key, arrays as "[]". The
// free-form maps (inputs, config, outputs) stop at their own name.
func fields(v any, path string, out map[string]bool) {
	switch t := v.(type) {
	case map[string]any:
		for k, x := range t {
			p := k
			if path != "" {
				p = path + "." + k
			}
			out[p] = true
			if k == "inputs" || k == "config" || k == "outputs" || strings.HasSuffix(p, "changes[].old") || strings.HasSuffix(p, "changes[].new") {
				continue
			}
			fields(x, p, out)
		}
	case []any:
		for _, x := range t {
			fields(x, path+"[]", out)
		}
	}
}

func fieldList(t *testing.T, doc string) []string {
	t.Helper()
	var v any
	require.NoError(t, json.Unmarshal([]byte(doc), &v), doc)
	set := map[string]bool{}
	fields(v, "", set)
	var out []string
	for k := range set {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// previewFields is the golden field list of `scalestack preview --json`; docs/preview-json.md
// documents each. Changing it breaks consumers: add fields, never rename or remove them.
var previewFields = []string{
	"changeSummary", "changeSummary.create", "cloud", "config", "environment",
	"exposures", "exposures[].bypassesEdge", "exposures[].name", "exposures[].ports", "exposures[].reason",
	"exposures[].sources", "exposures[].type", "exposures[].urn", "exposures[].via",
	"flows", "flows[].by", "flows[].component", "flows[].from", "flows[].kind", "flows[].name", "flows[].notes",
	"flows[].permission", "flows[].port", "flows[].protocol", "flows[].reason", "flows[].to", "flows[].verdict",
	"outputs",
	"policyViolations", "policyViolations[].enforcementLevel", "policyViolations[].message",
	"policyViolations[].policyName", "policyViolations[].urn", "policyViolations[].waived", "policyViolations[].waiverReason",
	"regions", "stack", "steps",
	"steps[].newState", "steps[].newState.custom", "steps[].newState.inputs", "steps[].newState.parent",
	"steps[].newState.protect", "steps[].newState.provider", "steps[].newState.region",
	"steps[].newState.retainOnDelete", "steps[].newState.type", "steps[].newState.urn",
	"steps[].op", "steps[].provider", "steps[].urn",
}

// diffFields is the golden field list of `scalestack diff --json`.
var diffFields = []string{
	"base", "base.args", "base.environment", "base.regions", "base.resources", "base.stack",
	"changeSummary", "changeSummary.create", "changeSummary.delete", "changeSummary.same", "changeSummary.update",
	"cloud",
	"dataLoss", "dataLoss[].changes", "dataLoss[].changes[].new", "dataLoss[].changes[].old", "dataLoss[].changes[].path",
	"dataLoss[].name", "dataLoss[].op", "dataLoss[].replaces", "dataLoss[].stateful", "dataLoss[].type", "dataLoss[].urn",
	"policyViolations", "policyViolations[].enforcementLevel", "policyViolations[].message",
	"policyViolations[].policyName", "policyViolations[].urn", "policyViolations[].waived", "policyViolations[].waiverReason",
	"steps", "steps[].changes", "steps[].changes[].new", "steps[].changes[].old", "steps[].changes[].path",
	"steps[].name", "steps[].op", "steps[].replaces", "steps[].stateful", "steps[].type", "steps[].urn",
	"target", "target.args", "target.environment", "target.regions", "target.resources", "target.stack",
}

// typeFields lists the JSON field paths a Go type can emit, and which are optional
// (omitempty). Maps are leaves: their keys are data, except the fixed keys given.
func typeFields(t reflect.Type, prefix string, mapKeys map[string][]string, out map[string]bool) {
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
		if t.Kind() == reflect.Slice {
			prefix += "[]"
		}
		t = t.Elem()
	}
	if t.Kind() == reflect.Map {
		for _, k := range mapKeys[prefix] {
			out[prefix+"."+k] = false
		}
		return
	}
	if t.Kind() != reflect.Struct {
		return
	}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name, opts, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" || !f.IsExported() {
			continue
		}
		p := name
		if prefix != "" {
			p = prefix + "." + name
		}
		out[p] = strings.Contains(opts, "omitempty")
		typeFields(f.Type, p, mapKeys, out)
	}
}

func sortedKeys(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// checkFields asserts the golden list against the Go type, and a real document against both:
// it emits only golden fields, and every field that is not optional (where its array is not
// empty in that document).
func checkFields(t *testing.T, golden []string, typ any, mapKeys map[string][]string, doc string) {
	t.Helper()
	declared := map[string]bool{}
	typeFields(reflect.TypeOf(typ), "", mapKeys, declared)
	assert.Equal(t, golden, sortedKeys(declared), "the JSON types changed: update the golden list and docs/preview-json.md")
	got := fieldList(t, doc)
	assert.Subset(t, golden, got, "emitted fields are all documented")
	present := map[string]bool{}
	for _, f := range got {
		present[f] = true
		// An array with elements: mark "x[]" present, so its elements' fields are checked.
		for i := strings.Index(f, "[]"); i >= 0; {
			present[f[:i+2]] = true
			next := strings.Index(f[i+2:], "[]")
			if next < 0 {
				break
			}
			i += 2 + next
		}
	}
	for f, optional := range declared {
		parent := f[:max(strings.LastIndex(f, "."), 0)]
		if optional || (parent != "" && !present[parent]) {
			continue
		}
		assert.True(t, present[f], "required field %s is missing", f)
	}
}

func TestPreviewJSONFieldsAreStable(t *testing.T) {
	keys := map[string][]string{"changeSummary": {"create"}}
	code, stdout, _ := runWith(t, mandatoryOn(spec.AWS), "preview", "--dir", repoRoot, "--json")
	assert.Equal(t, exitViolation, code)
	checkFields(t, previewFields, jsonPreview{}, keys, stdout)
	assert.Contains(t, fieldList(t, stdout), "steps[].newState.protect", "the fixture's database is protected")

	code, stdout, _ = runWith(t, mandatoryOn(spec.AWS), "preview", "--dir", repoRoot, "--json", "--cloud", "all")
	assert.Equal(t, exitViolation, code)
	var all map[string]json.RawMessage
	require.NoError(t, json.Unmarshal([]byte(stdout), &all))
	assert.Equal(t, []string{"aws", "azure", "gcp"}, sortedKeys(map[string]bool{"aws": all["aws"] != nil, "azure": all["azure"] != nil, "gcp": all["gcp"] != nil}))
	for cloud, doc := range all {
		t.Run(cloud, func(t *testing.T) { checkFields(t, previewFields, jsonPreview{}, keys, string(doc)) })
	}
	errorFields := map[string]bool{}
	typeFields(reflect.TypeOf(jsonCloudError{}), "", nil, errorFields)
	assert.Equal(t, []string{"cloud", "error", "exitCode"}, sortedKeys(errorFields))
}

func TestDiffJSONFieldsAreStable(t *testing.T) {
	keys := map[string][]string{"changeSummary": {"create", "delete", "same", "update"}}
	code, stdout, _ := runWith(t, mandatoryOn(spec.AWS), "diff", "--dir", repoRoot, "--json", "--to", "scalestack:database.name=orders")
	assert.Equal(t, exitViolation, code)
	checkFields(t, diffFields, jsonDiff{}, keys, stdout)
}

func TestChangeValue(t *testing.T) {
	assert.Equal(t, "(none)", changeValue(nil))
	assert.Equal(t, `"us-west-2"`, changeValue("us-west-2"))
	assert.Equal(t, `""`, changeValue(""))
	assert.Equal(t, "3", changeValue(3.0))
	assert.Equal(t, `["a","b"]`, changeValue([]any{"a", "b"}))
	long := changeValue(strings.Repeat("x", 500))
	assert.Len(t, long, 160+len("…"))
	assert.True(t, strings.HasSuffix(long, "…"))
}
