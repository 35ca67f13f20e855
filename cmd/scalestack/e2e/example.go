package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	// The examples read stack config through this package: importing it keeps the modules it
	// needs in this module's go.mod, so an example builds here (buildExample).
	_ "github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"
)

// RunExample checks an example program under the engine: TestAWSExamplesPassTheTerraformValidators
// builds each example's main package with a file whose init calls RunExample(program). When
// SCALESTACK_E2E_PROJECT is set, it previews program as an inline Automation API stack of that
// project (the Pulumi CLI from SCALESTACK_PULUMI, providers attached as in
// SCALESTACK_E2E_PROVIDERS, a PULUMI_DEBUG_PROVIDERS value; the stack config from
// SCALESTACK_E2E_CONFIG, a JSON object of "key": "value") with CheckAll, prints the
// CheckResult as JSON on stdout and exits; otherwise it returns and the example runs as usual.
func RunExample(program func(*pulumi.Context) (pulumi.Map, error)) {
	project := os.Getenv("SCALESTACK_E2E_PROJECT")
	if project == "" {
		return
	}
	res, err := runExample(project, program)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if err := json.NewEncoder(os.Stdout).Encode(res); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	os.Exit(0)
}

func runExample(project string, program func(*pulumi.Context) (pulumi.Map, error)) (*CheckResult, error) {
	root, err := os.MkdirTemp("", "scalestack-example-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(root)
	if err := os.MkdirAll(filepath.Join(root, "bin"), 0o755); err != nil {
		return nil, err
	}
	if err := os.Symlink(os.Getenv("SCALESTACK_PULUMI"), filepath.Join(root, "bin", "pulumi")); err != nil {
		return nil, err
	}
	cmd, err := auto.NewPulumiCommand(&auto.PulumiCommandOptions{Root: root, SkipVersionCheck: true})
	if err != nil {
		return nil, err
	}
	ctx := context.Background()
	stack, err := auto.UpsertStackInlineSource(ctx, "dev", project, func(ctx *pulumi.Context) error {
		out, err := program(ctx)
		for k, v := range out {
			ctx.Export(k, v)
		}
		return err
	},
		auto.Pulumi(cmd),
		auto.PulumiHome(filepath.Join(root, "home")),
		auto.Project(workspace.Project{Name: tokensName(project), Runtime: workspace.NewProjectRuntimeInfo("go", nil),
			Backend: &workspace.ProjectBackend{URL: "file://" + root}}),
		auto.EnvVars(map[string]string{
			"PULUMI_CONFIG_PASSPHRASE":                 "e2e",
			"PULUMI_SKIP_UPDATE_CHECK":                 "true",
			"PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK": "true",
			"PULUMI_DEBUG_PROVIDERS":                   os.Getenv("SCALESTACK_E2E_PROVIDERS"),
		}),
	)
	if err != nil {
		return nil, err
	}
	if raw := os.Getenv("SCALESTACK_E2E_CONFIG"); raw != "" {
		var cfg map[string]string
		if err := json.Unmarshal([]byte(raw), &cfg); err != nil {
			return nil, fmt.Errorf("SCALESTACK_E2E_CONFIG: %w", err)
		}
		cm := auto.ConfigMap{}
		for k, v := range cfg {
			cm[k] = auto.ConfigValue{Value: v}
		}
		if err := stack.SetAllConfig(ctx, cm); err != nil {
			return nil, err
		}
	}
	return CheckAll(ctx, stack, "aws", 40)
}

// tokensName is the project name as a Pulumi package name.
func tokensName(project string) tokens.PackageName { return tokens.PackageName(project) }
