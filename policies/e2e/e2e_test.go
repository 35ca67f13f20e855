// Package e2e runs the scalestack policy pack under the real Pulumi engine: an Automation API
// inline preview against a file:// backend, with the pack binary passed as a policy pack
// (optpreview.PolicyPacks). Cloud provider plugins cannot be downloaded here, so the "aws"
// provider the program's resources need is a stub served in this process and attached through
// PULUMI_DEBUG_PROVIDERS: it accepts every input (Check) and reports no diff, which is all a
// preview asks of it (Create is answered only with preview=true). Everything else — the CLI, the engine, plugin loading, the analyzer
// protocol (Handshake, ConfigureStack, GetAnalyzerInfo, Configure, Analyze, AnalyzeStack) —
// is the real thing. A last test starts the pack binary as the engine does and asks for its
// info before any stack is configured.
//
// Run it with scripts/policy-e2e.sh, which builds (once) and caches the CLI and the pack:
//
//	SCALESTACK_PULUMI=/root/.cache/scalestack/pulumi SCALESTACK_POLICY_PACK=/path/to/pack \
//	  go test -v .   (in policies/e2e, its own module)
package e2e

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/autoscaling"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/rds"
	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optpreview"
	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	pbempty "google.golang.org/protobuf/types/known/emptypb"
)

// stubProvider is the "aws" provider for previews: inputs are accepted as they are.
type stubProvider struct {
	pulumirpc.UnimplementedResourceProviderServer
}

func (stubProvider) GetPluginInfo(context.Context, *pbempty.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: "6.83.4"}, nil
}

func (stubProvider) CheckConfig(_ context.Context, req *pulumirpc.CheckRequest) (*pulumirpc.CheckResponse, error) {
	return &pulumirpc.CheckResponse{Inputs: req.GetNews()}, nil
}

func (stubProvider) DiffConfig(context.Context, *pulumirpc.DiffRequest) (*pulumirpc.DiffResponse, error) {
	return &pulumirpc.DiffResponse{}, nil
}

func (stubProvider) Configure(context.Context, *pulumirpc.ConfigureRequest) (*pulumirpc.ConfigureResponse, error) {
	return &pulumirpc.ConfigureResponse{AcceptSecrets: true, SupportsPreview: true}, nil
}

func (stubProvider) Check(_ context.Context, req *pulumirpc.CheckRequest) (*pulumirpc.CheckResponse, error) {
	return &pulumirpc.CheckResponse{Inputs: req.GetNews()}, nil
}

func (stubProvider) Diff(context.Context, *pulumirpc.DiffRequest) (*pulumirpc.DiffResponse, error) {
	return &pulumirpc.DiffResponse{}, nil
}

// Create answers the engine's preview of a create (SupportsPreview): the inputs become the
// planned state. A real create is refused: this provider only serves previews.
func (stubProvider) Create(_ context.Context, req *pulumirpc.CreateRequest) (*pulumirpc.CreateResponse, error) {
	if !req.GetPreview() {
		return nil, fmt.Errorf("the e2e stub provider only previews")
	}
	return &pulumirpc.CreateResponse{Properties: req.GetProperties()}, nil
}

func (stubProvider) Attach(context.Context, *pulumirpc.PluginAttach) (*pbempty.Empty, error) {
	return &pbempty.Empty{}, nil
}

// serveStub starts the stub provider and returns its port.
func serveStub(t *testing.T) int {
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	srv := grpc.NewServer()
	pulumirpc.RegisterResourceProviderServer(srv, stubProvider{})
	go func() { _ = srv.Serve(lis) }()
	t.Cleanup(srv.Stop)
	return lis.Addr().(*net.TCPAddr).Port
}

// web is a small user program: a component with a launch template, an Auto Scaling group
// using it through a mixed-instances policy, and a database. insecure breaks the rules.
func web(insecure bool) pulumi.RunFunc { return program(insecure, false) }

// program is web, optionally with the database's encryption computed from another
// resource's output, so it is unknown during preview.
func program(insecure, unknownEncryption bool) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		comp := &struct{ pulumi.ResourceState }{}
		if err := ctx.RegisterComponentResource("scalestack:aws:WebTier", "web", comp); err != nil {
			return err
		}
		tokens := "required"
		ebsEncrypted := "true"
		if insecure {
			tokens, ebsEncrypted = "optional", "false"
		}
		lt, err := ec2.NewLaunchTemplate(ctx, "web", &ec2.LaunchTemplateArgs{
			ImageId:      pulumi.String("ami-0123456789abcdef0"),
			InstanceType: pulumi.String("t3.small"),
			MetadataOptions: &ec2.LaunchTemplateMetadataOptionsArgs{
				HttpTokens: pulumi.String(tokens), HttpPutResponseHopLimit: pulumi.Int(1), HttpEndpoint: pulumi.String("enabled"),
			},
			BlockDeviceMappings: ec2.LaunchTemplateBlockDeviceMappingArray{&ec2.LaunchTemplateBlockDeviceMappingArgs{
				DeviceName: pulumi.String("/dev/xvda"),
				Ebs:        &ec2.LaunchTemplateBlockDeviceMappingEbsArgs{Encrypted: pulumi.String(ebsEncrypted), VolumeSize: pulumi.Int(20)},
			}},
		}, pulumi.Parent(comp))
		if err != nil {
			return err
		}
		_, err = autoscaling.NewGroup(ctx, "web", &autoscaling.GroupArgs{
			MinSize: pulumi.Int(2), MaxSize: pulumi.Int(4),
			VpcZoneIdentifiers: pulumi.StringArray{pulumi.String("subnet-a"), pulumi.String("subnet-b")},
			MixedInstancesPolicy: &autoscaling.GroupMixedInstancesPolicyArgs{
				LaunchTemplate: &autoscaling.GroupMixedInstancesPolicyLaunchTemplateArgs{
					LaunchTemplateSpecification: &autoscaling.GroupMixedInstancesPolicyLaunchTemplateLaunchTemplateSpecificationArgs{
						LaunchTemplateId: lt.ID(), Version: pulumi.String("$Latest"),
					},
				},
			},
		}, pulumi.Parent(comp))
		if err != nil {
			return err
		}
		var encrypted pulumi.BoolInput = pulumi.Bool(!insecure)
		if unknownEncryption {
			encrypted = lt.ID().ApplyT(func(pulumi.ID) bool { return true }).(pulumi.BoolOutput)
		}
		_, err = rds.NewInstance(ctx, "db", &rds.InstanceArgs{
			Engine: pulumi.String("postgres"), InstanceClass: pulumi.String("db.t4g.micro"), AllocatedStorage: pulumi.Int(20),
			StorageEncrypted: encrypted, PubliclyAccessible: pulumi.Bool(insecure),
			BackupRetentionPeriod: pulumi.Int(7), ManageMasterUserPassword: pulumi.Bool(true), Username: pulumi.String("app"),
			EnabledCloudwatchLogsExports: pulumi.StringArray{pulumi.String("postgresql")},
		})
		return err
	}
}

func preview(t *testing.T, program pulumi.RunFunc, stack string, waivers string) (string, error) {
	cli := os.Getenv("SCALESTACK_PULUMI")
	pack := os.Getenv("SCALESTACK_POLICY_PACK")
	if cli == "" || pack == "" {
		t.Skip("set SCALESTACK_PULUMI (CLI binary) and SCALESTACK_POLICY_PACK (pack binary); scripts/policy-e2e.sh does")
	}
	root := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(root, "bin"), 0o755))
	require.NoError(t, os.Symlink(cli, filepath.Join(root, "bin", "pulumi")))
	cmd, err := auto.NewPulumiCommand(&auto.PulumiCommandOptions{Root: root, SkipVersionCheck: true})
	require.NoError(t, err)

	state := t.TempDir()
	ctx := context.Background()
	s, err := auto.UpsertStackInlineSource(ctx, stack, "scalestack", program,
		auto.Pulumi(cmd),
		auto.PulumiHome(filepath.Join(state, "home")),
		auto.Project(workspace.Project{Name: "scalestack", Runtime: workspace.NewProjectRuntimeInfo("go", nil),
			Backend: &workspace.ProjectBackend{URL: "file://" + state}}),
		auto.EnvVars(map[string]string{
			"PULUMI_CONFIG_PASSPHRASE":                 "e2e",
			"PULUMI_SKIP_UPDATE_CHECK":                 "true",
			"PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK": "true",
			"PULUMI_DEBUG_PROVIDERS":                   fmt.Sprintf("aws:%d", serveStub(t)),
		}),
	)
	require.NoError(t, err)
	env := "dev"
	if stack == "prod" {
		env = "prod"
	}
	require.NoError(t, s.SetConfig(ctx, "scalestack:environment", auto.ConfigValue{Value: env}))
	require.NoError(t, s.SetConfig(ctx, "aws:region", auto.ConfigValue{Value: "us-east-1"}))
	if waivers != "" {
		require.NoError(t, s.SetConfig(ctx, "scalestack:policy", auto.ConfigValue{Value: waivers}))
	}
	var out bytes.Buffer
	_, err = s.Preview(ctx, optpreview.PolicyPacks(pack), optpreview.ProgressStreams(&out), optpreview.ErrorProgressStreams(&out))
	t.Logf("pulumi preview --policy-pack %s (stack %s):\n%s", pack, stack, out.String())
	return out.String(), err
}

func TestCompliantProgramPasses(t *testing.T) {
	// Dev: the lone database has no replica (mandatory only in prod, so advisory here) and no
	// backup selection (mandatory): the latter is waived with a recorded reason.
	out, err := preview(t, web(false), "dev", backupWaiver)
	require.NoError(t, err)
	assert.Contains(t, out, "stack-db-read-replica", "advisory finding shown")
	assert.Contains(t, out, "[stack-backup-covers-db] waived (e2e: backups are out of scope)")
}

func TestMandatoryViolationFailsPreview(t *testing.T) {
	out, err := preview(t, web(true), "dev", "")
	require.Error(t, err, "a mandatory violation fails the preview")
	for _, want := range []string{
		"aws-lt-imdsv2", `metadataOptions.httpTokens is "optional"`,
		"aws-lt-ebs-encrypted", `blockDeviceMappings.0.ebs.encrypted is "false"`,
		"aws-rds-encrypted", "storageEncrypted is false",
		"aws-rds-private", "publiclyAccessible is true",
		"stack-backup-covers-db",
	} {
		assert.Contains(t, out, want)
	}
	assert.True(t, strings.Contains(out, "mandatory"), "enforcement level shown")
}

const backupWaiver = `{"waivers":[{"rule":"stack-backup-covers-db","resource":"db","reason":"e2e: backups are out of scope"}]}`

func TestProdMakesMandatoryInProdRulesBlock(t *testing.T) {
	// The same compliant-in-dev program fails in prod: Multi-AZ, deletion protection and a
	// read replica are mandatory there (the pack reads scalestack:environment in ConfigureStack).
	out, err := preview(t, web(false), "prod", backupWaiver)
	require.Error(t, err)
	assert.Contains(t, out, "[mandatory]  aws-rds-multi-az")
	assert.Contains(t, out, "[mandatory]  stack-db-read-replica")
}

func TestUnknownValueIsAnAdvisoryNote(t *testing.T) {
	out, err := preview(t, program(false, true), "dev", backupWaiver)
	require.NoError(t, err, "an unknown value does not block")
	assert.Contains(t, out, "[aws-rds-encrypted] cannot verify during preview: storageEncrypted is not known until the resource is created")
	assert.NotContains(t, out, "[mandatory]  aws-rds-encrypted")
}

// TestPackBinaryServesInfoBeforeConfigureStack starts the built pack as the engine does (the
// plugin prints its port) and asks for its info before any stack is configured, as
// `pulumi policy publish` does; policyx.Main would dereference a nil pack here.
func TestPackBinaryServesInfoBeforeConfigureStack(t *testing.T) {
	pack := os.Getenv("SCALESTACK_POLICY_PACK")
	if pack == "" {
		t.Skip("set SCALESTACK_POLICY_PACK (pack binary); scripts/policy-e2e.sh does")
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cmd := exec.CommandContext(ctx, pack)
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	defer func() { cancel(); _ = cmd.Wait() }()
	var port int
	_, err = fmt.Fscanf(bufio.NewReader(stdout), "%d\n", &port)
	require.NoError(t, err)

	conn, err := grpc.NewClient(fmt.Sprintf("127.0.0.1:%d", port), grpc.WithTransportCredentials(insecure.NewCredentials()))
	require.NoError(t, err)
	defer conn.Close()
	client := pulumirpc.NewAnalyzerClient(conn)
	info, err := client.GetAnalyzerInfo(ctx, &pbempty.Empty{})
	require.NoError(t, err)
	assert.Equal(t, "scalestack", info.GetName())
	assert.GreaterOrEqual(t, len(info.GetPolicies()), 45)
	plugin, err := client.GetPluginInfo(ctx, &pbempty.Empty{})
	require.NoError(t, err)
	assert.NotEmpty(t, plugin.GetVersion())
	t.Logf("pack binary on port %d: %s %s with %d policies before ConfigureStack", port, info.GetName(), info.GetVersion(), len(info.GetPolicies()))
}
