package e2e

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lb"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// checkAll runs CheckAll on the stack as configured.
func (e *engineStack) checkAll(maxRuns int) *CheckResult {
	e.t.Helper()
	e.configure()
	res, err := CheckAll(context.Background(), e.stack, "aws", maxRuns)
	require.NoError(e.t, err)
	return res
}

// TestEveryFailedCheckIsReported proves checkAll: a provider that refuses three resources of
// the AWS dev stack gets all three reported, with its words, and the rest previewed.
func TestEveryFailedCheckIsReported(t *testing.T) {
	tl := needTools(t)
	sim := NewSimulated("aws")
	refused := map[string]bool{
		"aws:cloudwatch/metricAlarm:MetricAlarm backend-primary-monitoring-alb-5xx": true,
		"aws:ec2/launchTemplate:LaunchTemplate backend-primary-web":                 true,
		"aws:rds/instance:Instance backend-db-replica-1":                            true,
	}
	sim.Refuse = func(urn string, _ resource.PropertyMap) (string, string) {
		if u := resource.URN(urn); refused[string(u.Type())+" "+u.Name()] {
			return "name", "refused by the test"
		}
		return "", ""
	}
	e := newEngineStack(t, tl, projectDir(t), "dev", "aws", map[string]any{"aws": sim})
	res := e.checkAll(10)
	var names []string
	for _, f := range res.Failures {
		assert.Contains(t, f.Message, "refused by the test")
		names = append(names, string(resource.URN(f.URN).Type())+" "+resource.URN(f.URN).Name())
	}
	sort.Strings(names)
	present := []string{}
	for n := range refused {
		present = append(present, n)
	}
	sort.Strings(present)
	assert.Equal(t, present, names)
	assert.Greater(t, res.Checked, 150)
	t.Logf("%d failures found in %d previews; %d AWS resources checked", len(res.Failures), res.Runs, res.Checked)
}

// startTFAWS starts the policies/tfaws plugin (it prints its port, as plugins do) behind a
// Validating provider that answers data sources offline, and returns the Validating provider's
// port; both stop when the test ends. The plugin gets no AWS_* variable of the machine: the
// Terraform provider reads them as its configuration (AWS_CA_BUNDLE, a CA bundle path, makes its
// Configure fail with "unable to add custom RootCAs"; a profile or a role would make it call
// AWS), and it is configured with fake keys and every network check skipped.
func startTFAWS(t *testing.T, bin string) int {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, bin)
	cmd.Env = withoutAWSEnv(os.Environ())
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { cancel(); _ = cmd.Wait() })
	var port int
	_, err = fmt.Fscanf(bufio.NewReader(stdout), "%d\n", &port)
	require.NoError(t, err, "tfaws did not print its port: %s", stderr.String())
	v, closeConn, err := NewValidating("aws", port)
	require.NoError(t, err)
	t.Cleanup(closeConn)
	proxy, stop, err := v.Serve()
	require.NoError(t, err)
	t.Cleanup(stop)
	return proxy
}

// withoutAWSEnv drops every AWS_* variable from env.
func withoutAWSEnv(env []string) []string {
	out := env[:0:0]
	for _, kv := range env {
		if !strings.HasPrefix(kv, "AWS_") {
			out = append(out, kv)
		}
	}
	return out
}

// allowedFailures are Check failures of the Terraform AWS provider (~v5.68, older than the
// v5.x pulumi-aws 6.83.4 bridges) about fields it does not know yet, by logical name and the
// provider's words. Keep it short and explain each entry; never allow a whole resource.
var allowedFailures = map[string]string{}

// TestAWSInputsPassTheTerraformValidators runs the AWS reference stack (dev, prod) through the
// engine with the Terraform AWS provider's schema and validators as the "aws" provider
// (policies/tfaws): every input of every AWS resource is checked by the provider's own rules
// (CIDR blocks, enums, ranges, ARNs, name formats), and each resource that fails is reported
// with the provider's words.
func TestAWSInputsPassTheTerraformValidators(t *testing.T) {
	tl := needTools(t)
	bin := os.Getenv("SCALESTACK_TFAWS")
	if bin == "" {
		t.Skip("set SCALESTACK_TFAWS (the policies/tfaws plugin); scripts/engine-e2e.sh does")
	}
	port := startTFAWS(t, bin)
	dir := projectDir(t)
	total := 0
	for _, name := range []string{"dev", "prod"} {
		t.Run("aws/"+name, func(t *testing.T) {
			e := newEngineStack(t, tl, dir, name, "aws", map[string]any{"aws": port})
			res := e.checkAll(40)
			reportRefusals(t, res)
			total += res.Checked
			t.Logf("aws/%s: %d AWS resources checked by the Terraform AWS provider's validators in %d previews", name, res.Checked, res.Runs)
		})
	}
	t.Logf("%d AWS resources validated", total)
}

// reportRefusals fails the test for each refused resource not in allowedFailures.
func reportRefusals(t *testing.T, res *CheckResult) {
	t.Helper()
	for _, f := range res.Failures {
		if reason, ok := allowedFailures[resource.URN(f.URN).Name()]; ok && strings.Contains(f.Message, reason) {
			t.Logf("allowed (older provider): %s: %s", f.URN, f.Message)
			continue
		}
		t.Errorf("the Terraform AWS provider refuses %s:\n%s", f.URN, f.Message)
	}
}

// TestAWSExamplesPassTheTerraformValidators previews every AWS example (examples/aws-*) through
// the engine with the Terraform AWS provider's validators (SCALESTACK_TFAWS; without it, with
// the simulated provider, which proves the examples preview under the engine): each example's
// main package is built with a file whose init runs it through RunExample, and every refused
// resource is reported.
func TestAWSExamplesPassTheTerraformValidators(t *testing.T) {
	tl := needTools(t)
	var port int
	checker := "the Terraform AWS provider's validators"
	if bin := os.Getenv("SCALESTACK_TFAWS"); bin != "" {
		port = startTFAWS(t, bin)
	} else {
		t.Log("SCALESTACK_TFAWS is not set: the examples run with the simulated aws provider")
		checker = "the simulated aws provider"
		p, stop, err := NewSimulated("aws").Serve()
		require.NoError(t, err)
		t.Cleanup(stop)
		port = p
	}
	examples, err := filepath.Glob(filepath.Join(repoRoot, "examples", "aws-*"))
	require.NoError(t, err)
	require.NotEmpty(t, examples)
	for _, dir := range examples {
		name := filepath.Base(dir)
		t.Run(name, func(t *testing.T) {
			exe := buildExample(t, dir)
			cmd := exec.Command(exe)
			cfg, err := json.Marshal(exampleConfig[name])
			require.NoError(t, err)
			cmd.Env = append(os.Environ(), "SCALESTACK_E2E_PROJECT="+name, "SCALESTACK_E2E_CONFIG="+string(cfg),
				fmt.Sprintf("SCALESTACK_E2E_PROVIDERS=aws:%d", port), "SCALESTACK_PULUMI="+tl.pulumi)
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			require.NoError(t, cmd.Run(), "%s: %s", name, stderr.String())
			var res CheckResult
			require.NoError(t, json.Unmarshal(stdout.Bytes(), &res), stdout.String())
			reportRefusals(t, &res)
			assert.Positive(t, res.Checked)
			t.Logf("%s: %d AWS resources checked by %s in %d previews", name, res.Checked, checker, res.Runs)
		})
	}
}

// exampleConfig is each example's stack configuration, as its README sets it (the values its
// own tests use).
var exampleConfig = map[string]map[string]string{
	"aws-database-backup": {
		"aws-database-backup:vpcId":                  "vpc-0123456789abcdef0",
		"aws-database-backup:dataSubnetIds":          `["subnet-0aaaaaaaaaaaaaaaa","subnet-0bbbbbbbbbbbbbbbb"]`,
		"aws-database-backup:clientSecurityGroupIds": `["sg-0123456789abcdef0"]`,
	},
	"aws-queue-worker": {
		"aws-queue-worker:vpcId":            "vpc-0123456789abcdef0",
		"aws-queue-worker:privateSubnetIds": `["subnet-0cccccccccccccccc","subnet-0dddddddddddddddd"]`,
		"aws-queue-worker:backlogPerWorker": "20",
	},
	"aws-webtier-existing-vpc": {
		"aws-webtier-existing-vpc:region":           "eu-west-1",
		"aws-webtier-existing-vpc:vpcId":            "vpc-0123456789abcdef0",
		"aws-webtier-existing-vpc:publicSubnetIds":  `["subnet-0aaaaaaaaaaaaaaaa","subnet-0bbbbbbbbbbbbbbbb"]`,
		"aws-webtier-existing-vpc:privateSubnetIds": `["subnet-0cccccccccccccccc","subnet-0dddddddddddddddd"]`,
		"aws-webtier-existing-vpc:certificateArn":   "arn:aws:acm:eu-west-1:123456789012:certificate/abc",
	},
}

// buildExample builds an example's main package, plus a file that hands its program to
// RunExample, inside this module (so its imports resolve here) and returns the binary.
func buildExample(t *testing.T, dir string) string {
	t.Helper()
	gen, err := os.MkdirTemp(".", "gen-example-")
	require.NoError(t, err)
	t.Cleanup(func() { _ = os.RemoveAll(gen) })
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	require.NoError(t, err)
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(filepath.Join(gen, filepath.Base(f)), b, 0o644))
	}
	hook := "package main\n\nimport e2e \"github.com/scalestack/scalestack/cmd/scalestack/e2e\"\n\nfunc init() { e2e.RunExample(program) }\n"
	require.NoError(t, os.WriteFile(filepath.Join(gen, "zz_e2e.go"), []byte(hook), 0o644))
	exe := filepath.Join(t.TempDir(), filepath.Base(dir))
	out, err := exec.Command("go", "build", "-o", exe, "./"+filepath.Base(gen)).CombinedOutput()
	require.NoError(t, err, "building %s: %s", dir, out)
	return exe
}

// TestTheTerraformValidatorsRefuseInvalidInputs proves that the pass above means something: a
// program with three inputs the AWS API would refuse (a /33 CIDR block, a target group protocol
// that does not exist, a log retention CloudWatch does not offer) gets each one refused by the
// provider's own validators (terraform-provider-aws: verify.ValidCIDRNetworkAddress on
// aws_vpc.cidr_block, elbv2 target group protocol enum, logs.validRetentionInDays), with its
// words, while a valid resource beside them passes.
func TestTheTerraformValidatorsRefuseInvalidInputs(t *testing.T) {
	tl := needTools(t)
	bin := os.Getenv("SCALESTACK_TFAWS")
	if bin == "" {
		t.Skip("set SCALESTACK_TFAWS (the policies/tfaws plugin); scripts/engine-e2e.sh does")
	}
	port := startTFAWS(t, bin)
	t.Setenv("SCALESTACK_PULUMI", tl.pulumi)
	t.Setenv("SCALESTACK_E2E_PROVIDERS", fmt.Sprintf("aws:%d", port))
	t.Setenv("SCALESTACK_E2E_CONFIG", `{"aws:region": "eu-west-1"}`)
	res, err := runExample("tfaws-refusals", func(ctx *pulumi.Context) (pulumi.Map, error) {
		if _, err := ec2.NewVpc(ctx, "bad-cidr", &ec2.VpcArgs{CidrBlock: pulumi.String("10.0.0.0/33")}); err != nil {
			return nil, err
		}
		if _, err := lb.NewTargetGroup(ctx, "bad-protocol", &lb.TargetGroupArgs{
			Port: pulumi.Int(443), Protocol: pulumi.String("HTTPX"), VpcId: pulumi.String("vpc-0123456789abcdef0"),
		}); err != nil {
			return nil, err
		}
		if _, err := cloudwatch.NewLogGroup(ctx, "bad-retention", &cloudwatch.LogGroupArgs{RetentionInDays: pulumi.Int(42)}); err != nil {
			return nil, err
		}
		_, err := cloudwatch.NewLogGroup(ctx, "good-retention", &cloudwatch.LogGroupArgs{RetentionInDays: pulumi.Int(30)})
		return nil, err
	})
	require.NoError(t, err)
	refused := map[string]string{}
	for _, f := range res.Failures {
		refused[resource.URN(f.URN).Name()] = f.Message
	}
	require.Len(t, refused, 3, "%v", refused)
	assert.Contains(t, refused["bad-cidr"], "cidr_block")
	assert.Contains(t, refused["bad-protocol"], "protocol")
	assert.Contains(t, refused["bad-retention"], "retention_in_days")
	assert.Equal(t, 4, res.Checked, "the valid log group passes; the three refused are counted")
	for name, msg := range refused {
		t.Logf("%s: %s", name, msg)
	}
}
