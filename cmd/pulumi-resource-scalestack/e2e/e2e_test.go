// Package e2e previews a program that uses scalestack:aws:Backend through the scalestack
// plugin binary, under the real Pulumi engine: the CLI (Automation API, file:// backend), the
// plugin binary (cmd/pulumi-resource-scalestack) and the policy pack binary. Two programs,
// neither linked to the components (they run in the plugin process): a Go program that
// registers the component remotely by its token and schema property names, as a generated SDK
// does; and, when the YAML language host is given (pulumi-language-yaml, built from the module
// proxy), the YAML example of docs/package.md, so the docs' example is executed.
//
// Cloud provider plugins cannot be downloaded here, so "aws" is a stub served in this process
// (Check accepts the inputs, Create answers previews, GetSchema serves a schema with just the
// provider), attached with PULUMI_DEBUG_PROVIDERS, as is the plugin binary (started here; it
// prints its port). Everything else is the real thing: the engine sends Construct to the
// plugin, the plugin registers the children with the engine's monitor, and the analyzer sees
// every resource.
//
// Run it with scripts/package-e2e.sh, which builds (once) and caches the binaries:
//
//	SCALESTACK_PULUMI=... SCALESTACK_PLUGIN=... SCALESTACK_POLICY_PACK=... [SCALESTACK_YAML_HOST=...] \
//	  go test -v ./e2e   (in cmd/pulumi-resource-scalestack, the plugin's module)
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
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/events"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optpreview"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scalestack/scalestack/testkit"
	"google.golang.org/grpc"
	"google.golang.org/grpc/peer"
	pbempty "google.golang.org/protobuf/types/known/emptypb"
)

// awsSchema is all of the aws package a YAML program and the scalestack schema refer to: the
// provider resource and its region.
const awsSchema = `{"name":"aws","version":"6.83.4","provider":{"inputProperties":{"region":{"type":"string"}}}}`

// stubAWS is the "aws" provider for previews: inputs are accepted as they are.
type stubAWS struct {
	pulumirpc.UnimplementedResourceProviderServer
}

func (stubAWS) GetPluginInfo(context.Context, *pbempty.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: "6.83.4"}, nil
}

func (stubAWS) GetSchema(context.Context, *pulumirpc.GetSchemaRequest) (*pulumirpc.GetSchemaResponse, error) {
	return &pulumirpc.GetSchemaResponse{Schema: awsSchema}, nil
}

func (stubAWS) CheckConfig(_ context.Context, req *pulumirpc.CheckRequest) (*pulumirpc.CheckResponse, error) {
	return &pulumirpc.CheckResponse{Inputs: req.GetNews()}, nil
}

func (stubAWS) DiffConfig(context.Context, *pulumirpc.DiffRequest) (*pulumirpc.DiffResponse, error) {
	return &pulumirpc.DiffResponse{}, nil
}

func (stubAWS) Configure(ctx context.Context, req *pulumirpc.ConfigureRequest) (*pulumirpc.ConfigureResponse, error) {
	region := req.GetVariables()["aws:config:region"]
	if r, ok := req.GetArgs().GetFields()["region"]; ok {
		region = r.GetStringValue()
	}
	if p, ok := peer.FromContext(ctx); ok {
		stubRegions.Store(p.Addr.String(), region)
	}
	return &pulumirpc.ConfigureResponse{AcceptSecrets: true, SupportsPreview: true, AcceptResources: true}, nil
}

// stubRegions is each provider instance's region, by its connection: the engine connects once
// per instance, and an invoke (availability zones, managed prefix lists) carries no provider.
var stubRegions sync.Map

// Invoke answers the data sources the components look up (availability zones, prefix lists)
// with testkit's AWS answers for the calling instance's region.
func (stubAWS) Invoke(ctx context.Context, req *pulumirpc.InvokeRequest) (*pulumirpc.InvokeResponse, error) {
	region := ""
	if p, ok := peer.FromContext(ctx); ok {
		if r, found := stubRegions.Load(p.Addr.String()); found {
			region, _ = r.(string)
		}
	}
	args, err := plugin.UnmarshalProperties(req.GetArgs(), plugin.MarshalOptions{KeepUnknowns: true})
	if err != nil {
		return nil, err
	}
	out, ok := testkit.AnswerInvoke(req.GetTok(), args, resource.PropertyMap{"region": resource.NewStringProperty(region)})
	if !ok {
		return nil, fmt.Errorf("the e2e stub provider does not answer %s", req.GetTok())
	}
	ret, err := plugin.MarshalProperties(out, plugin.MarshalOptions{KeepUnknowns: true})
	if err != nil {
		return nil, err
	}
	return &pulumirpc.InvokeResponse{Return: ret}, nil
}

func (stubAWS) Check(_ context.Context, req *pulumirpc.CheckRequest) (*pulumirpc.CheckResponse, error) {
	return &pulumirpc.CheckResponse{Inputs: req.GetNews()}, nil
}

func (stubAWS) Diff(context.Context, *pulumirpc.DiffRequest) (*pulumirpc.DiffResponse, error) {
	return &pulumirpc.DiffResponse{}, nil
}

func (stubAWS) Create(_ context.Context, req *pulumirpc.CreateRequest) (*pulumirpc.CreateResponse, error) {
	if !req.GetPreview() {
		return nil, fmt.Errorf("the e2e stub provider only previews")
	}
	return &pulumirpc.CreateResponse{Properties: req.GetProperties()}, nil
}

func (stubAWS) Attach(context.Context, *pulumirpc.PluginAttach) (*pbempty.Empty, error) {
	return &pbempty.Empty{}, nil
}

func serveStub(t *testing.T) int {
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	srv := grpc.NewServer()
	pulumirpc.RegisterResourceProviderServer(srv, stubAWS{})
	go func() { _ = srv.Serve(lis) }()
	t.Cleanup(srv.Stop)
	return lis.Addr().(*net.TCPAddr).Port
}

// startPlugin starts the plugin binary as the engine would and returns the port it prints.
func startPlugin(t *testing.T, bin string) int {
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, bin)
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	cmd.Stderr = os.Stderr
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { cancel(); _ = cmd.Wait() })
	var port int
	_, err = fmt.Fscanf(bufio.NewReader(stdout), "%d\n", &port)
	require.NoError(t, err, "the plugin prints its port")
	return port
}

// docsProgram returns the YAML example of docs/package.md under heading (the whole line, as
// "### YAML") without its `packages:` entry (the Git source it names cannot be fetched here; the
// plugin is attached instead). token is a component type the program must use.
func docsProgram(t *testing.T, heading, token string) string {
	raw, err := os.ReadFile(filepath.Join("..", "..", "..", "docs", "package.md"))
	require.NoError(t, err)
	m := regexp.MustCompile("(?sm)^" + regexp.QuoteMeta(heading) + "\n\n```yaml\n(.*?)```").FindSubmatch(raw)
	require.NotNil(t, m, "docs/package.md has a YAML example under %q", heading)
	prog := regexp.MustCompile(`(?m)^packages:\n(  .*\n)+`).ReplaceAllString(string(m[1]), "")
	require.NotContains(t, prog, "packages:")
	require.Contains(t, prog, "type: "+token)
	return prog
}

type run struct {
	out    string
	err    error
	steps  []events.EngineEvent
	byType map[string][]string // type -> URNs
	parent map[string]string   // URN -> parent URN
	prov   map[string]string   // URN -> provider reference
	inputs map[string]map[string]any
}

func env(t *testing.T, key string) string {
	v := os.Getenv(key)
	if v == "" {
		t.Skipf("set %s; scripts/package-e2e.sh does", key)
	}
	return v
}

// source is the program a preview runs: YAML text (a Pulumi.yaml, run by the YAML language
// host) or an inline Go program (run by the Automation API in this process).
type source struct {
	yaml   string
	prog   pulumi.RunFunc
	config map[string]string // the project's stack config, by path ("subnets[0]")
}

// preview runs `pulumi preview --policy-pack` on the program in stack (dev or prod).
func preview(t *testing.T, src source, stack string) *run {
	cli, plugin, pack := env(t, "SCALESTACK_PULUMI"), env(t, "SCALESTACK_PLUGIN"), env(t, "SCALESTACK_POLICY_PACK")
	root := t.TempDir()
	bin := filepath.Join(root, "bin")
	require.NoError(t, os.MkdirAll(bin, 0o755))
	require.NoError(t, os.Symlink(cli, filepath.Join(bin, "pulumi")))
	if src.yaml != "" {
		require.NoError(t, os.Symlink(env(t, "SCALESTACK_YAML_HOST"), filepath.Join(bin, "pulumi-language-yaml")))
	}
	cmd, err := auto.NewPulumiCommand(&auto.PulumiCommandOptions{Root: root, SkipVersionCheck: true})
	require.NoError(t, err)

	state := t.TempDir()
	ctx := context.Background()
	opts := []auto.LocalWorkspaceOption{
		auto.Pulumi(cmd),
		auto.PulumiHome(filepath.Join(state, "home")),
		auto.EnvVars(map[string]string{
			"PULUMI_BACKEND_URL":                       "file://" + state,
			"PULUMI_CONFIG_PASSPHRASE":                 "e2e",
			"PULUMI_SKIP_UPDATE_CHECK":                 "true",
			"PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK": "true",
			"PATH": bin + string(os.PathListSeparator) + os.Getenv("PATH"),
			"PULUMI_DEBUG_PROVIDERS": fmt.Sprintf("aws:%d,scalestack:%d",
				serveStub(t), startPlugin(t, plugin)),
		}),
	}
	var s auto.Stack
	if src.yaml != "" {
		dir := t.TempDir()
		require.NoError(t, os.WriteFile(filepath.Join(dir, "Pulumi.yaml"), []byte(src.yaml), 0o644))
		s, err = auto.UpsertStackLocalSource(ctx, stack, dir, opts...)
	} else {
		opts = append(opts, auto.Project(workspace.Project{Name: "shop", Runtime: workspace.NewProjectRuntimeInfo("go", nil),
			Backend: &workspace.ProjectBackend{URL: "file://" + state}}))
		s, err = auto.UpsertStackInlineSource(ctx, stack, "shop", src.prog, opts...)
	}
	require.NoError(t, err)
	require.NoError(t, s.SetConfig(ctx, "scalestack:environment", auto.ConfigValue{Value: stack}))
	for key, value := range src.config {
		require.NoError(t, s.SetConfigWithOptions(ctx, key, auto.ConfigValue{Value: value}, &auto.ConfigOptions{Path: true}))
	}

	r := &run{byType: map[string][]string{}, parent: map[string]string{}, prov: map[string]string{}, inputs: map[string]map[string]any{}}
	ch := make(chan events.EngineEvent)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for e := range ch {
			if e.ResourcePreEvent == nil {
				continue
			}
			md := e.ResourcePreEvent.Metadata
			r.byType[md.Type] = append(r.byType[md.Type], md.URN)
			if md.New != nil {
				r.parent[md.URN] = md.New.Parent
				r.prov[md.URN] = md.New.Provider
				r.inputs[md.URN] = md.New.Inputs
			}
		}
	}()
	var out bytes.Buffer
	_, r.err = s.Preview(ctx, optpreview.PolicyPacks(pack), optpreview.EventStreams(ch),
		optpreview.ProgressStreams(&out), optpreview.ErrorProgressStreams(&out))
	wg.Wait()
	r.out = out.String()
	t.Logf("pulumi preview --policy-pack (stack %s):\n%s", stack, r.out)
	return r
}

func (r *run) one(t *testing.T, typ, name string) string {
	for _, u := range r.byType[typ] {
		if strings.HasSuffix(u, "::"+name) {
			return u
		}
	}
	t.Errorf("no %s named %s among %v", typ, name, r.byType[typ])
	return ""
}

// under reports whether urn has ancestor among its parents.
func (r *run) under(urn, ancestor string) bool {
	for p := r.parent[urn]; p != ""; p = r.parent[p] {
		if p == ancestor {
			return true
		}
	}
	return false
}

// goProgram is the docs' Backend as a Go program that knows the package only by its type
// token and its schema's property names: it registers the component remotely, as a generated
// SDK does, and is not linked to the components (this module's test binary links none of
// them). mutate changes the Backend's inputs.
func goProgram(mutate func(in pulumi.Map)) source {
	return source{prog: func(ctx *pulumi.Context) error {
		provider := func(name, region string) (*pulumi.ProviderResourceState, error) {
			var p pulumi.ProviderResourceState
			err := ctx.RegisterResource("pulumi:providers:aws", name, pulumi.Map{"region": pulumi.String(region)}, &p)
			return &p, err
		}
		east, err := provider("east", "us-east-1")
		if err != nil {
			return err
		}
		west, err := provider("west", "us-west-2")
		if err != nil {
			return err
		}
		in := pulumi.Map{
			"primary":    pulumi.Map{"name": pulumi.String("us-east-1")},
			"secondary":  pulumi.Map{"name": pulumi.String("us-west-2"), "provider": pulumi.Any(west)},
			"edge":       pulumi.Any(east),
			"domain":     pulumi.String("shop.example.org"),
			"cdn":        pulumi.Bool(true),
			"alertEmail": pulumi.String("ops@example.org"),
			"web":        pulumi.Map{"minSize": pulumi.Int(2), "maxSize": pulumi.Int(8)},
			"database": pulumi.Map{"readReplicas": pulumi.Int(1), "crossRegionReplica": pulumi.Bool(true),
				"highAvailability": pulumi.Bool(true)},
			"backup": pulumi.Map{"retentionDays": pulumi.Int(35), "weeklyRetentionDays": pulumi.Int(90),
				"copyToSecondary": pulumi.Bool(true)},
			"cdnPageCaching": pulumi.Bool(true),
			"cache":          pulumi.Map{"replicas": pulumi.Int(1), "memoryGb": pulumi.Int(6)},
			"queue":          pulumi.Map{"workers": pulumi.Map{"minSize": pulumi.Int(2), "maxSize": pulumi.Int(20)}},
		}
		if mutate != nil {
			mutate(in)
		}
		var shop struct {
			pulumi.ResourceState
			URL pulumi.StringOutput `pulumi:"url"`
		}
		if err := ctx.RegisterRemoteComponentResource("scalestack:aws:Backend", "shop", in, &shop, pulumi.Providers(east)); err != nil {
			return err
		}
		ctx.Export("url", shop.URL)
		return nil
	}}
}

// programs are the same Backend in the two program kinds: YAML (docs/package.md's example) when
// the YAML language host is given, and Go through the remote-component protocol.
func programs(t *testing.T) map[string]func(yamlEdit func(string) string, goEdit func(pulumi.Map)) source {
	out := map[string]func(func(string) string, func(pulumi.Map)) source{
		"go": func(_ func(string) string, edit func(pulumi.Map)) source { return goProgram(edit) },
	}
	if os.Getenv("SCALESTACK_YAML_HOST") != "" {
		out["yaml"] = func(edit func(string) string, _ func(pulumi.Map)) source {
			return source{yaml: edit(docsProgram(t, "### YAML", "scalestack:aws:Backend"))}
		}
	}
	return out
}

func same(s string) string { return s }

// TestProgramPreviewsABackendThroughThePlugin: the engine constructs the Backend in the
// plugin, which registers the whole region pair; every resource sits under the Backend, each
// region's resources use that region's provider (the caller's `providers` option for the
// primary, secondary.provider for the standby), and the policy pack passes the program.
func TestProgramPreviewsABackendThroughThePlugin(t *testing.T) {
	for kind, program := range programs(t) {
		t.Run(kind, func(t *testing.T) {
			r := preview(t, program(same, nil), "dev")
			require.NoError(t, r.err, "the preview succeeds with the policy pack")

			shop := r.one(t, "scalestack:aws:Backend", "shop")
			assert.Len(t, r.byType["scalestack:aws:Backend"], 1)
			assert.Contains(t, r.parent[shop], "pulumi:pulumi:Stack::shop-dev", "the Backend is the program's")
			east := r.one(t, "pulumi:providers:aws", "east")
			west := r.one(t, "pulumi:providers:aws", "west")

			for typ, want := range map[string]int{
				"scalestack:aws:Network":                            2, // primary and secondary
				"scalestack:aws:WebTier":                            2,
				"scalestack:aws:LoadBalancer":                       2,
				"aws:lb/loadBalancer:LoadBalancer":                  2,
				"aws:autoscaling/group:Group":                       3, // the web tiers and the workers
				"aws:rds/instance:Instance":                         3, // primary, 1 read replica, 1 cross-region replica
				"aws:cloudfront/distribution:Distribution":          1,
				"aws:route53/healthCheck:HealthCheck":               2,
				"aws:backup/plan:Plan":                              1,
				"aws:elasticache/replicationGroup:ReplicationGroup": 1, // cache
				"aws:sqs/queue:Queue":                               2, // queue and dead-letter queue
				"scalestack:aws:Worker":                             1,
				"aws:cloudwatch/dashboard:Dashboard":                1,
			} {
				assert.Len(t, r.byType[typ], want, typ)
			}
			total := 0
			for typ, urns := range r.byType {
				if strings.HasPrefix(typ, "pulumi:") {
					continue
				}
				for _, u := range urns {
					total++
					if u != shop {
						assert.True(t, r.under(u, shop), "%s is under the Backend", u)
					}
				}
			}
			assert.Greater(t, total, 100, "the whole region pair")
			t.Logf("the engine saw %d resources under the Backend (%d types)", total, len(r.byType))

			primaryLB := r.one(t, "aws:lb/loadBalancer:LoadBalancer", "shop-primary-lb")
			secondaryLB := r.one(t, "aws:lb/loadBalancer:LoadBalancer", "shop-secondary-lb")
			assert.True(t, strings.HasPrefix(r.prov[primaryLB], east+"::"), "primary on the providers option's provider: %s", r.prov[primaryLB])
			assert.True(t, strings.HasPrefix(r.prov[secondaryLB], west+"::"), "secondary on secondary.provider: %s", r.prov[secondaryLB])
			assert.NotContains(t, r.out, "[mandatory]", "no mandatory violation")
		})
	}
}

// TestPolicyPackJudgesThePackageLikeTheGoStack: the same program in prod without a Multi-AZ
// database fails the preview on the pack's mandatory-in-prod rule, as the Go stack would.
func TestPolicyPackJudgesThePackageLikeTheGoStack(t *testing.T) {
	for kind, program := range programs(t) {
		t.Run(kind, func(t *testing.T) {
			r := preview(t, program(
				func(s string) string {
					return strings.Replace(s, "highAvailability: true", "highAvailability: false", 1)
				},
				func(in pulumi.Map) { in["database"].(pulumi.Map)["highAvailability"] = pulumi.Bool(false) },
			), "prod")
			require.Error(t, r.err, "a mandatory violation fails the preview")
			assert.Contains(t, r.out, "aws-rds-multi-az")
		})
	}
}

// TestValidationErrorReachesTheProgram: a bad value fails the preview with the Go words.
func TestValidationErrorReachesTheProgram(t *testing.T) {
	for kind, program := range programs(t) {
		t.Run(kind, func(t *testing.T) {
			r := preview(t, program(
				func(s string) string { return strings.Replace(s, "name: us-west-2", "name: mars-1", 1) },
				func(in pulumi.Map) { in["secondary"].(pulumi.Map)["name"] = pulumi.String("mars-1") },
			), "dev")
			require.Error(t, r.err)
			assert.Contains(t, r.out, `Secondary.Name "mars-1" is not an AWS region (like us-west-2)`)
		})
	}
}

// queueWorkerConfig is the VPC the docs' queue-and-workers program is given.
var queueWorkerConfig = map[string]string{
	"vpcId":               "vpc-0123456789abcdef0",
	"privateSubnetIds[0]": "subnet-0a1b2c3d",
	"privateSubnetIds[1]": "subnet-4e5f6a7b",
}

// TestYAMLProgramComposesStandaloneComponents: docs/package.md's YAML program composes two
// standalone components (an aws Queue and the Worker that drains it, in a VPC given by config),
// each constructed in the plugin. The engine sees both under the program, each child under its
// component and on the program's explicit provider, the Worker wired to the VPC from config, and
// the policy pack passes the program.
func TestYAMLProgramComposesStandaloneComponents(t *testing.T) {
	if os.Getenv("SCALESTACK_YAML_HOST") == "" {
		t.Skip("set SCALESTACK_YAML_HOST; scripts/package-e2e.sh does")
	}
	prog := docsProgram(t, "#### YAML", "scalestack:aws:Worker")
	require.Contains(t, prog, "type: scalestack:aws:Queue")
	r := preview(t, source{yaml: prog, config: queueWorkerConfig}, "dev")
	require.NoError(t, r.err, "the preview succeeds with the policy pack")

	jobs := r.one(t, "scalestack:aws:Queue", "jobs")
	worker := r.one(t, "scalestack:aws:Worker", "jobs-worker")
	for _, c := range []string{jobs, worker} {
		assert.Contains(t, r.parent[c], "pulumi:pulumi:Stack::jobs-dev", "%s is the program's", c)
	}
	provider := r.one(t, "pulumi:providers:aws", "aws-us-east-1")
	for typ, want := range map[string]int{
		"scalestack:aws:Queue":                  1,
		"scalestack:aws:Worker":                 1,
		"aws:sqs/queue:Queue":                   2, // the queue and its dead-letter queue
		"aws:autoscaling/group:Group":           1,
		"aws:ec2/launchTemplate:LaunchTemplate": 1,
	} {
		assert.Len(t, r.byType[typ], want, typ)
	}
	total := 0
	for typ, urns := range r.byType {
		if strings.HasPrefix(typ, "pulumi:") || strings.HasPrefix(typ, "scalestack:") {
			continue
		}
		for _, u := range urns {
			total++
			assert.True(t, r.under(u, jobs) || r.under(u, worker), "%s is under the Queue or the Worker", u)
			if strings.HasPrefix(typ, "aws:") {
				assert.True(t, strings.HasPrefix(r.prov[u], provider+"::"), "%s is on the program's provider: %s", u, r.prov[u])
			}
		}
	}
	t.Logf("the engine saw %d resources under the Queue and the Worker", total)

	group := r.one(t, "aws:autoscaling/group:Group", "jobs-worker")
	assert.True(t, r.under(group, worker))
	assert.Equal(t, []any{"subnet-0a1b2c3d", "subnet-4e5f6a7b"}, r.inputs[group]["vpcZoneIdentifiers"], "the workers run in the config's subnets")
	for _, q := range r.byType["aws:sqs/queue:Queue"] {
		assert.True(t, r.under(q, jobs), "%s is under the Queue", q)
	}
	assert.NotContains(t, r.out, "[mandatory]", "no mandatory violation")
}

// TestPolicyPackJudgesStandaloneComponents: the same queue-and-workers program in prod fails on
// the pack's mandatory-in-prod rule for a worker group of one instance (aws-asg-ha), and passes
// with two, as the Go example would.
func TestPolicyPackJudgesStandaloneComponents(t *testing.T) {
	if os.Getenv("SCALESTACK_YAML_HOST") == "" {
		t.Skip("set SCALESTACK_YAML_HOST; scripts/package-e2e.sh does")
	}
	prog := docsProgram(t, "#### YAML", "scalestack:aws:Worker")
	require.Contains(t, prog, "      minSize: 1\n")
	r := preview(t, source{yaml: prog, config: queueWorkerConfig}, "prod")
	require.Error(t, r.err, "a mandatory violation fails the preview")
	assert.Contains(t, r.out, "[mandatory]  aws-asg-ha")

	r = preview(t, source{yaml: strings.Replace(prog, "      minSize: 1\n", "      minSize: 2\n", 1), config: queueWorkerConfig}, "prod")
	require.NoError(t, r.err)
	assert.NotContains(t, r.out, "[mandatory]")
}
