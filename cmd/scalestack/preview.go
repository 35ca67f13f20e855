package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/scalestack/scalestack/stacks"
	"github.com/scalestack/scalestack/stacks/spec"
	"github.com/scalestack/scalestack/testkit"
)

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
}

func (o *previewOptions) register(fs *flag.FlagSet) {
	fs.StringVar(&o.dir, "dir", ".", "the project `directory` holding Pulumi.yaml and Pulumi.<stack>.yaml")
	fs.StringVar(&o.stack, "stack", "dev", "the `stack` whose Pulumi.<stack>.yaml is read")
	fs.StringVar(&o.cloud, "cloud", "", "preview on this `cloud` (aws, azure, gcp) instead of scalestack:cloud")
	fs.Var(&o.overrides, "c", "set a config `key=value`, as pulumi preview --config does; a dotted path (scalestack:database.readReplicas=3) sets one field (repeatable)")
	fs.BoolVar(&o.json, "json", false, "print the plan as JSON in the shape of pulumi preview --json")
}

// usageError is bad usage or bad configuration: exit status 2.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

func runPreview(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("scalestack preview", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var o previewOptions
	o.register(fs)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "scalestack preview: unexpected argument %q\n", fs.Arg(0))
		return exitUsage
	}
	res, err := preview(o)
	if err != nil {
		fmt.Fprintf(stderr, "scalestack preview: %v\n", err)
		var ue usageError
		if errors.As(err, &ue) {
			return exitUsage
		}
		return exitUsage
	}
	if o.json {
		if err := writeJSON(stdout, res); err != nil {
			fmt.Fprintf(stderr, "scalestack preview: %v\n", err)
			return exitUsage
		}
	} else {
		writeHuman(stdout, res)
	}
	if res.mandatoryViolations() > 0 {
		return exitViolation
	}
	return exitOK
}

// previewResult is everything a preview shows.
type previewResult struct {
	Spec       *spec.Spec
	Config     *testkit.StackConfiguration
	Plan       *testkit.Plan
	Violations []violation
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

func (r *previewResult) mandatoryViolations() int {
	n := 0
	for _, v := range r.Violations {
		if v.EnforcementLevel == "mandatory" && !v.Waived {
			n++
		}
	}
	return n
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
			return nil, nil, usageError{fmt.Errorf("--cloud: %q is not allowed: want aws, azure or gcp", o.cloud)}
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
	return sc, s, nil
}

// preview validates the configuration, then runs the program under the mock engine.
func preview(o previewOptions) (*previewResult, error) {
	sc, s, err := loadSpec(o)
	if err != nil {
		return nil, err
	}
	plan, err := testkit.RunExports(stacks.Build, testkit.StackConfig(sc), testkit.DryRun(true))
	if err != nil {
		// Cloud stacks validate their own keys before registering anything; their errors
		// name the scalestack: key, so they are configuration errors too.
		if spec.IsConfigError(err) || strings.Contains(err.Error(), spec.Namespace+":") {
			return nil, usageError{err}
		}
		return nil, fmt.Errorf("running the %s stack offline: %w", s.Cloud, err)
	}
	res := &previewResult{Spec: s, Config: sc, Plan: plan}
	res.Violations = checkPolicies(plan, s)
	return res, nil
}
