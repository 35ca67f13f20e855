package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// repoRoot holds the project's real Pulumi.yaml and Pulumi.dev.yaml.
const repoRoot = "../.."

func runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestUsageErrorsExitTwo(t *testing.T) {
	cases := []struct {
		name string
		args []string
		want []string
	}{
		{"no command", nil, []string{"Usage:"}},
		{"unknown command", []string{"deploy"}, []string{`unknown command "deploy"`}},
		{"unknown flag", []string{"preview", "--regoin", "x"}, []string{"regoin"}},
		{"stray argument", []string{"preview", "--dir", repoRoot, "extra"}, []string{`unexpected argument "extra"`}},
		{"bad cloud", []string{"preview", "--dir", repoRoot, "--cloud", "oracle"}, []string{`--cloud: "oracle" is not allowed`, "want aws, azure, gcp or all"}},
		{"missing stack file", []string{"preview", "--dir", repoRoot, "--stack", "nope"}, []string{"Pulumi.nope.yaml not found"}},
		{"malformed override", []string{"preview", "--dir", repoRoot, "-c", "scalestack:web"}, []string{`config override "scalestack:web": want key=value`}},
		{"out of range", []string{"preview", "--dir", repoRoot, "-c", "scalestack:web.minSize=-1"},
			[]string{"scalestack:web.minSize", "-1 is not allowed", "from 0 to 1000"}},
		{"bad enum", []string{"preview", "--dir", repoRoot, "-c", "scalestack:environment=qa"},
			[]string{`scalestack:environment: "qa" is not allowed: want one of dev, staging, prod`}},
		{"unknown field", []string{"preview", "--dir", repoRoot, "-c", "scalestack:database.replicas=2"},
			[]string{"scalestack:database.replicas: unknown key", "readReplicas"}},
		{"unknown top key", []string{"preview", "--dir", repoRoot, "-c", "scalestack:databse={}"},
			[]string{"scalestack:databse: unknown key"}},
		{"bad region", []string{"preview", "--dir", repoRoot, "-c", "scalestack:aws.primaryRegion=mars-1"},
			[]string{`scalestack:aws.primaryRegion: "mars-1" is not allowed`}},
		{"max below min", []string{"preview", "--dir", repoRoot, "-c", "scalestack:web.maxSize=1"},
			[]string{"scalestack:web.maxSize: 1 is less than web.minSize 2"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, tc.args...)
			assert.Equal(t, exitUsage, code, "stdout: %s", stdout)
			for _, w := range tc.want {
				assert.Contains(t, stderr, w)
			}
		})
	}
}

func TestSeveralConfigProblemsAreReportedTogether(t *testing.T) {
	code, _, stderr := runCLI(t, "preview", "--dir", repoRoot, "--json",
		"-c", "scalestack:web.targetCpuPercent=99", "-c", "scalestack:backup.dailyAt=25:00")
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, stderr, "scalestack:web.targetCpuPercent: 99 is not allowed: want a whole number from 10 to 90")
	assert.Contains(t, stderr, `scalestack:backup.dailyAt: "25:00" is not a UTC time`)
}

func TestHelp(t *testing.T) {
	code, stdout, _ := runCLI(t, "help")
	assert.Equal(t, exitOK, code)
	assert.Contains(t, stdout, "scalestack preview")
	var v any
	require.Error(t, json.Unmarshal([]byte(stdout), &v))
}

func TestPoliciesListsEveryRule(t *testing.T) {
	code, stdout, _ := runCLI(t, "policies", "--json", "--environment", "prod")
	require.Equal(t, exitOK, code)
	var doc struct {
		Environment string
		Rules       []struct {
			ID             string   `json:"id"`
			Level          string   `json:"level"`
			EffectiveLevel string   `json:"effectiveLevel"`
			ResourceTypes  []string `json:"resourceTypes"`
			Description    string   `json:"description"`
			Stack          bool     `json:"stack"`
		}
	}
	require.NoError(t, json.Unmarshal([]byte(stdout), &doc))
	assert.Equal(t, "prod", doc.Environment)
	assert.GreaterOrEqual(t, len(doc.Rules), 45)
	byID := map[string]int{}
	for i, r := range doc.Rules {
		byID[r.ID] = i
		assert.NotEmpty(t, r.Description, r.ID)
		assert.True(t, r.Stack || len(r.ResourceTypes) > 0, "%s applies to something", r.ID)
	}
	multiAZ := doc.Rules[byID["aws-rds-multi-az"]]
	assert.Equal(t, "mandatory-in-prod", multiAZ.Level)
	assert.Equal(t, "mandatory", multiAZ.EffectiveLevel, "mandatory-in-prod rules are mandatory in prod")

	code, stdout, _ = runCLI(t, "policies")
	assert.Equal(t, exitOK, code)
	assert.Contains(t, stdout, "aws-rds-encrypted")
	assert.Contains(t, stdout, "(mandatory in prod)")

	code, _, stderr := runCLI(t, "policies", "--environment", "qa")
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, stderr, `--environment: "qa" is not allowed`)
}

func TestPreviewRunsThePolicyPackAndHonoursWaivers(t *testing.T) {
	base := []string{"preview", "--dir", repoRoot, "--json",
		"-c", "scalestack:domain={}", "-c", "scalestack:aws.secondaryRegion=",
		"-c", "scalestack:backup.copyToSecondary=false", "-c", "scalestack:database.crossRegionReplica=false"}
	code, stdout, _ := runCLI(t, base...)
	assert.Equal(t, exitViolation, code, "a plain-HTTP listener is a mandatory violation")
	var doc struct {
		PolicyViolations []violation `json:"policyViolations"`
	}
	require.NoError(t, json.Unmarshal([]byte(stdout), &doc))
	var redirect *violation
	for i, v := range doc.PolicyViolations {
		if v.PolicyName == "aws-lb-http-redirect" {
			redirect = &doc.PolicyViolations[i]
		}
	}
	require.NotNil(t, redirect)
	assert.Equal(t, "mandatory", redirect.EnforcementLevel)
	assert.Contains(t, redirect.URN, "backend-primary-lb-http")

	waived := append(base, "-c", `scalestack:policy={"waivers": [{"rule": "aws-lb-http-redirect", "resource": "backend-primary-lb-http", "reason": "dev has no domain yet"}]}`)
	code, stdout, _ = runCLI(t, waived...)
	assert.Equal(t, exitOK, code, "the waiver lifts the only mandatory violation")
	require.NoError(t, json.Unmarshal([]byte(stdout), &doc))
	found := false
	for _, v := range doc.PolicyViolations {
		if v.PolicyName == "aws-lb-http-redirect" {
			found = true
			assert.True(t, v.Waived)
			assert.Equal(t, "dev has no domain yet", v.WaiverReason)
		}
	}
	assert.True(t, found, "a waived violation is still shown, with its reason")

	code, _, stderr := runCLI(t, append(base, "-c", `scalestack:policy={"waivers": [{"rule": "no-such-rule", "resource": "x", "reason": "y"}]}`)...)
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, stderr, "scalestack:policy:")
	assert.Contains(t, stderr, "no-such-rule")
}

// TestPreviewJSONOfTheDevStackOnEveryCloud runs the README's first command, with --json, on
// the real Pulumi.dev.yaml for each cloud: zero mandatory violations, the documented shape,
// and every cloud resource placed through an explicit provider.
func TestPreviewJSONOfTheDevStackOnEveryCloud(t *testing.T) {
	for _, cloud := range []string{"aws", "azure", "gcp"} {
		t.Run(cloud, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, "preview", "--dir", repoRoot, "--cloud", cloud, "--json")
			require.Equal(t, exitOK, code, stderr)
			var doc struct {
				Stack         string         `json:"stack"`
				Cloud         string         `json:"cloud"`
				Regions       []string       `json:"regions"`
				ChangeSummary map[string]int `json:"changeSummary"`
				Steps         []struct {
					Op       string `json:"op"`
					URN      string `json:"urn"`
					Provider string `json:"provider"`
					NewState struct {
						Type     string         `json:"type"`
						URN      string         `json:"urn"`
						Custom   bool           `json:"custom"`
						Parent   string         `json:"parent"`
						Provider string         `json:"provider"`
						Inputs   map[string]any `json:"inputs"`
					} `json:"newState"`
				} `json:"steps"`
				PolicyViolations []violation    `json:"policyViolations"`
				Outputs          map[string]any `json:"outputs"`
			}
			require.NoError(t, json.Unmarshal([]byte(stdout), &doc))
			assert.Equal(t, "dev", doc.Stack)
			assert.Equal(t, cloud, doc.Cloud)
			assert.Len(t, doc.Regions, 2, "Pulumi.dev.yaml places every cloud in two regions")
			assert.Equal(t, len(doc.Steps), doc.ChangeSummary["create"])
			assert.Greater(t, len(doc.Steps), 50)
			assert.Equal(t, "pulumi:pulumi:Stack", doc.Steps[0].NewState.Type)
			seen := map[string]bool{}
			for _, st := range doc.Steps {
				assert.Equal(t, "create", st.Op)
				assert.Equal(t, st.URN, st.NewState.URN)
				assert.False(t, seen[st.URN], "duplicate URN %s", st.URN)
				seen[st.URN] = true
				if st.NewState.Custom && !strings.HasPrefix(st.NewState.Type, "pulumi:providers:") {
					assert.NotEmpty(t, st.Provider, "%s uses the default provider", st.URN)
					assert.Contains(t, st.Provider, "::pulumi:providers:")
				}
			}
			for _, v := range doc.PolicyViolations {
				assert.True(t, v.EnforcementLevel != "mandatory" || v.Waived, "mandatory violation: %+v", v)
			}
			assert.NotEmpty(t, doc.Outputs["url"])

			// flows[] and exposures[] of the real stack: every field documented, every flow judged.
			checkFields(t, previewFields, jsonPreview{}, map[string][]string{"changeSummary": {"create"}}, stdout)
			var fl struct {
				Flows     []jsonFlow     `json:"flows"`
				Exposures []jsonExposure `json:"exposures"`
			}
			require.NoError(t, json.Unmarshal([]byte(stdout), &fl))
			assert.NotEmpty(t, fl.Flows, "the backend declares its flows")
			for _, f := range fl.Flows {
				assert.Contains(t, []string{"ALLOWED", "BLOCKED", "CANNOT VERIFY"}, f.Verdict, f.Name)
				assert.Contains(t, f.Component, ":Backend::", f.Name)
				assert.True(t, f.Verdict == "ALLOWED" || f.Reason != "", "%s is %s without a reason", f.Name, f.Verdict)
			}
			assert.NotEmpty(t, fl.Exposures, "the edge is reachable from the internet")
		})
	}
}

// The human preview prints the flows and the exposures as two short tables.
func TestPreviewPrintsFlowsAndExposures(t *testing.T) {
	code, stdout, stderr := runCLI(t, "preview", "--dir", repoRoot, "--cloud", "aws")
	require.Equal(t, exitOK, code, stderr)
	assert.Contains(t, stdout, "Flows (declared by the components, judged on the plan):")
	assert.Regexp(t, `ALLOWED +primary: load balancer → web +backend-primary-lb → backend-primary-web +tcp/8080`, stdout)
	assert.Contains(t, stdout, "Exposures (reachable from the internet):")
}
