package main

import (
	"bytes"
	"encoding/json"
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
		{"bad cloud", []string{"preview", "--dir", repoRoot, "--cloud", "oracle"}, []string{`--cloud: "oracle" is not allowed`, "aws, azure or gcp"}},
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
