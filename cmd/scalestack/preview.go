package main

import (
	"errors"
	"flag"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/scalestack/scalestack/cmd/scalestack/internal/graph"
	"github.com/scalestack/scalestack/policies/flows"
	"github.com/scalestack/scalestack/stacks"
	"github.com/scalestack/scalestack/stacks/spec"
	"github.com/scalestack/scalestack/testkit"
)

// cloudAll is the --cloud value that previews every cloud.
const cloudAll = "all"

// stringList is a repeatable string flag (-c key=value -c key=value).
type stringList []string

func (l *stringList) String() string     { return strings.Join(*l, ",") }
func (l *stringList) Set(v string) error { *l = append(*l, v); return nil }

// previewOptions are the flags of `scalestack preview`.
type previewOptions struct {
	dir       string
	stack     string
	cloud     string
	overrides stringList
	json      bool
	diagram   string
}

// registerBase registers the flags preview and diff share.
func (o *previewOptions) registerBase(fs *flag.FlagSet) {
	fs.StringVar(&o.dir, "dir", ".", "the project `directory` holding Pulumi.yaml and Pulumi.<stack>.yaml")
	fs.StringVar(&o.stack, "stack", "dev", "the `stack` whose Pulumi.<stack>.yaml is read")
	fs.Var(&o.overrides, "c", "set a config `key=value`, as pulumi preview --config does; a dotted path (scalestack:database.readReplicas=3) sets one field (repeatable)")
}

func (o *previewOptions) register(fs *flag.FlagSet) {
	o.registerBase(fs)
	fs.StringVar(&o.cloud, "cloud", "", "preview on this `cloud` (aws, azure, gcp) instead of scalestack:cloud; all previews the three side by side")
	fs.BoolVar(&o.json, "json", false, "print the plan as JSON in the shape of pulumi preview --json (see docs/preview-json.md)")
	fs.StringVar(&o.diagram, "diagram", "", "print the architecture as a diagram in this `format` (mermaid or dot) instead of the plan")
}

// usageError is bad usage or bad configuration: exit status 2.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

func (c *cli) runPreview(args []string) int {
	fs := flag.NewFlagSet("scalestack preview", flag.ContinueOnError)
	fs.SetOutput(c.stderr)
	var o previewOptions
	o.register(fs)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	fail := func(err error) int {
		fmt.Fprintf(c.stderr, "scalestack preview: %v\n", err)
		return exitUsage
	}
	switch {
	case fs.NArg() > 0:
		return fail(fmt.Errorf("unexpected argument %q", fs.Arg(0)))
	case o.diagram != "" && o.diagram != graph.Mermaid && o.diagram != graph.DOT:
		return fail(fmt.Errorf("--diagram: %q is not allowed: want %s or %s", o.diagram, graph.Mermaid, graph.DOT))
	case o.diagram != "" && o.json:
		return fail(errors.New("--diagram and --json: choose one output"))
	case o.diagram != "" && o.cloud == cloudAll:
		return fail(errors.New("--diagram draws one cloud at a time: give --cloud aws, azure or gcp"))
	}
	if o.cloud == cloudAll {
		return c.previewAll(o)
	}
	res, err := c.preview(o)
	if err != nil {
		return fail(err)
	}
	switch {
	case o.diagram != "":
		g := graph.Build(diagramTitle(res), res.Plan, res.Spec.PrimaryRegion(), res.Spec.SecondaryRegion())
		if err := g.Render(c.stdout, o.diagram); err != nil {
			return fail(err)
		}
		// The diagram owns stdout; the policy verdict still decides the exit status.
		writePolicySummary(c.stderr, res, palette{})
	case o.json:
		if err := writeJSON(c.stdout, toJSON(res)); err != nil {
			return fail(err)
		}
	default:
		writeHuman(c.stdout, res, c.color)
	}
	return res.exitCode()
}

func diagramTitle(r *previewResult) string {
	return fmt.Sprintf("scalestack %s on %s (%s)", r.Spec.Stack, r.Spec.Cloud, r.Spec.Environment)
}

// previewAll previews the three reference stacks side by side. The exit status is the worst.
func (c *cli) previewAll(o previewOptions) int {
	results := make([]*previewResult, len(spec.Clouds))
	errs := make([]error, len(spec.Clouds))
	var wg sync.WaitGroup
	for i, cloud := range spec.Clouds {
		wg.Add(1)
		go func() {
			defer wg.Done()
			one := o
			one.cloud = string(cloud)
			results[i], errs[i] = c.preview(one)
		}()
	}
	wg.Wait()

	codes := make([]int, len(spec.Clouds))
	for i, cloud := range spec.Clouds {
		if errs[i] != nil {
			fmt.Fprintf(c.stderr, "scalestack preview: %s: %v\n", cloud, errs[i])
			codes[i] = exitUsage
			continue
		}
		codes[i] = results[i].exitCode()
	}
	if o.json {
		doc := map[string]any{}
		for i, cloud := range spec.Clouds {
			if errs[i] != nil {
				doc[string(cloud)] = jsonCloudError{Cloud: string(cloud), Error: errs[i].Error(), ExitCode: codes[i]}
				continue
			}
			doc[string(cloud)] = toJSON(results[i])
		}
		if err := writeJSON(c.stdout, doc); err != nil {
			fmt.Fprintf(c.stderr, "scalestack preview: %v\n", err)
			return exitUsage
		}
		return worst(codes...)
	}
	for i, cloud := range spec.Clouds {
		fmt.Fprintln(c.stdout, c.color.bold(fmt.Sprintf("━━ %s ━━", cloud)))
		if errs[i] != nil {
			fmt.Fprintf(c.stdout, "%s: %v\n\n", c.color.red("not previewed"), errs[i])
			continue
		}
		writeHuman(c.stdout, results[i], c.color)
		fmt.Fprintln(c.stdout)
	}
	writeComparison(c.stdout, spec.Clouds, results, codes, c.color)
	return worst(codes...)
}

// previewResult is everything a preview shows.
type previewResult struct {
	Spec       *spec.Spec
	Config     *testkit.StackConfiguration
	Plan       *testkit.Plan
	Violations []violation
	// Flows are the declared flows with their verdicts, and the exposures.
	Flows flows.Report
}

// violation is one policy result, in the shape of policyViolations[] of the JSON output.
type violation struct {
	PolicyName       string `json:"policyName"`
	EnforcementLevel string `json:"enforcementLevel"`
	URN              string `json:"urn"`
	Message          string `json:"message"`
	Waived           bool   `json:"waived,omitempty"`
	WaiverReason     string `json:"waiverReason,omitempty"`
}

func (r *previewResult) mandatoryViolations() int { return mandatory(r.Violations) }

func mandatory(vs []violation) int {
	n := 0
	for _, v := range vs {
		if v.EnforcementLevel == "mandatory" && !v.Waived {
			n++
		}
	}
	return n
}

func (r *previewResult) exitCode() int {
	if r.mandatoryViolations() > 0 {
		return exitViolation
	}
	return exitOK
}

// loadSpec reads the stack configuration with overrides and the --cloud choice, and validates
// it: any problem is a usageError.
func loadSpec(o previewOptions) (*testkit.StackConfiguration, *spec.Spec, error) {
	overrides := append([]string(nil), o.overrides...)
	if o.cloud != "" {
		valid := false
		for _, c := range spec.Clouds {
			valid = valid || string(c) == o.cloud
		}
		if !valid {
			return nil, nil, usageError{fmt.Errorf("--cloud: %q is not allowed: want aws, azure, gcp or all", o.cloud)}
		}
		overrides = append(overrides, spec.Namespace+":cloud="+o.cloud)
	}
	sc, err := testkit.LoadStackConfig(filepath.Clean(o.dir), o.stack, overrides)
	if err != nil {
		return nil, nil, usageError{err}
	}
	s, err := spec.FromMap(sc.Project, sc.Stack, sc.Values)
	if err != nil {
		return nil, nil, usageError{err}
	}
	if err := validatePolicyConfig(s); err != nil {
		return nil, nil, usageError{err}
	}
	return sc, s, nil
}

// preview validates the configuration, then runs the program under the mock engine.
func (c *cli) preview(o previewOptions) (*previewResult, error) {
	sc, s, err := loadSpec(o)
	if err != nil {
		return nil, err
	}
	log := progress{c.stderr}
	start := time.Now()
	log.printf("previewing stack %q on %s offline", s.Stack, s.Cloud)
	plan, err := runPlan(c.build, sc)
	if err != nil {
		// Cloud stacks validate their own keys before registering anything; their errors
		// name the scalestack: key, so they are configuration errors too.
		if spec.IsConfigError(err) || strings.Contains(err.Error(), spec.Namespace+":") {
			return nil, usageError{err}
		}
		return nil, fmt.Errorf("running the %s stack offline: %w", s.Cloud, err)
	}
	log.printf("%s: %d resources planned in %s", s.Cloud, len(plan.Resources), took(start))
	res := &previewResult{Spec: s, Config: sc, Plan: plan, Flows: plan.Flows()}
	res.Violations = c.checkPolicies(plan, s)
	return res, nil
}

// runPlan runs the program (spec.Load, then the builder) as a dry run under the mock engine.
func runPlan(build stacks.Builder, sc *testkit.StackConfiguration) (*testkit.Plan, error) {
	return testkit.RunExports(func(ctx *pulumi.Context) (pulumi.Map, error) {
		s, err := spec.Load(ctx)
		if err != nil {
			return nil, err
		}
		return build(ctx, s)
	}, testkit.StackConfig(sc), testkit.DryRun(true))
}
