package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/scalestack/scalestack/cmd/scalestack/internal/diff"
)

// diffOptions are the flags of `scalestack diff`: the base (like preview's) and the target.
type diffOptions struct {
	base    previewOptions
	to      stringList
	toStack string
}

func (o *diffOptions) register(fs *flag.FlagSet) {
	o.base.registerBase(fs)
	fs.StringVar(&o.base.cloud, "cloud", "", "compare on this `cloud` (aws, azure, gcp) instead of scalestack:cloud (both sides)")
	fs.BoolVar(&o.base.json, "json", false, "print the comparison as JSON (see docs/preview-json.md)")
	fs.Var(&o.to, "to", "the target is the base plus this config `key=value` (repeatable)")
	fs.StringVar(&o.toStack, "to-stack", "", "the target is this `stack`'s Pulumi.<stack>.yaml (plus any --to), instead of the base stack with its -c overrides")
}

// target is the target's options: another stack with only the --to overrides, or the base
// stack with its -c overrides followed by the --to overrides.
func (o *diffOptions) target() previewOptions {
	t := o.base
	t.overrides = nil
	if o.toStack != "" {
		t.stack = o.toStack
	} else {
		t.overrides = append(t.overrides, o.base.overrides...)
	}
	t.overrides = append(t.overrides, o.to...)
	return t
}

func (c *cli) runDiff(args []string) int {
	fs := flag.NewFlagSet("scalestack diff", flag.ContinueOnError)
	fs.SetOutput(c.stderr)
	var o diffOptions
	o.register(fs)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	fail := func(err error) int {
		fmt.Fprintf(c.stderr, "scalestack diff: %v\n", err)
		return exitUsage
	}
	switch {
	case fs.NArg() > 0:
		return fail(fmt.Errorf("unexpected argument %q", fs.Arg(0)))
	case len(o.to) == 0 && o.toStack == "":
		return fail(errors.New("give the target: --to key=value (repeatable) or --to-stack NAME"))
	case o.base.cloud == cloudAll:
		return fail(errors.New("--cloud: diff compares one cloud at a time: want aws, azure or gcp"))
	}

	var base, target *previewResult
	var baseErr, targetErr error
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); base, baseErr = c.preview(o.base) }()
	go func() { defer wg.Done(); target, targetErr = c.preview(o.target()) }()
	wg.Wait()
	if baseErr != nil {
		return fail(fmt.Errorf("base: %w", baseErr))
	}
	if targetErr != nil {
		return fail(fmt.Errorf("target: %w", targetErr))
	}
	if base.Spec.Cloud != target.Spec.Cloud {
		return fail(fmt.Errorf("the base is on %s and the target on %s: compare one cloud (give --cloud)", base.Spec.Cloud, target.Spec.Cloud))
	}

	res := diff.Compare(base.Plan, target.Plan)
	d := &diffResult{Base: base, Target: target, Diff: res, BaseArgs: describeSide(o.base), TargetArgs: describeTarget(o)}
	if o.base.json {
		if err := writeJSON(c.stdout, d.toJSON()); err != nil {
			return fail(err)
		}
	} else {
		d.writeHuman(c.stdout, c.color)
	}
	return d.exitCode()
}

// diffResult is everything a diff shows.
type diffResult struct {
	Base, Target         *previewResult
	Diff                 *diff.Result
	BaseArgs, TargetArgs string
}

func (d *diffResult) exitCode() int {
	if len(d.Diff.DataLoss()) > 0 || d.Target.mandatoryViolations() > 0 {
		return exitViolation
	}
	return exitOK
}

func describeSide(o previewOptions) string {
	s := "stack " + o.stack
	if len(o.overrides) > 0 {
		s += " -c " + strings.Join(o.overrides, " -c ")
	}
	return s
}

func describeTarget(o diffOptions) string {
	var parts []string
	if o.toStack != "" {
		parts = append(parts, "stack "+o.toStack)
	} else {
		parts = append(parts, describeSide(o.base))
	}
	for _, t := range o.to {
		parts = append(parts, "--to "+t)
	}
	return strings.Join(parts, " ")
}

func (d *diffResult) writeHuman(w io.Writer, c palette) {
	s := d.Base.Spec
	fmt.Fprintln(w, c.bold(fmt.Sprintf("Comparing plans on %s, offline", s.Cloud)))
	fmt.Fprintf(w, "  base:   %s (%d resources)\n", d.BaseArgs, len(d.Base.Plan.Resources))
	fmt.Fprintf(w, "  target: %s (%d resources)\n\n", d.TargetArgs, len(d.Target.Plan.Resources))

	if len(d.Diff.Steps) == 0 {
		fmt.Fprintln(w, "No changes.")
	} else {
		writeSteps(w, d.Diff.Steps, c)
	}
	fmt.Fprintf(w, "\n%d to create, %d to update, %d to delete, %d unchanged\n",
		d.Diff.Count(diff.Create), d.Diff.Count(diff.Update), d.Diff.Count(diff.Delete), d.Diff.Same)

	if lost := d.Diff.DataLoss(); len(lost) > 0 {
		fmt.Fprintf(w, "\n%s %d stateful resource(s) would be deleted with their data:\n", c.red("ERROR: data loss."), len(lost))
		moved := false
		for _, st := range lost {
			fmt.Fprintf(w, "  %s %q\n      %s\n", st.Type, st.Name, st.URN)
			if st.Replaces {
				fmt.Fprintf(w, "      replaced %s\n", st.Reason())
				moved = moved || st.Moves()
			}
		}
		fmt.Fprintln(w, "  A rename is a delete and a create: keep the name, or move the resource with pulumi.Aliases")
		fmt.Fprintln(w, "  (and `pulumi state` where needed), or back up and restore the data first.")
		if moved {
			fmt.Fprintln(w, "  A resource that changes region (or project, subscription, provider) is created anew there:")
			fmt.Fprintln(w, "  bring its data there first (promote a cross-region replica, restore a copied backup).")
		}
	}
	fmt.Fprintln(w)
	writeViolations(w, "Policies (target)", d.Target.Violations, c)
}

// writeSteps prints one line per step (mark, op, type, name), aligned, with the changed
// inputs of updates below it. Colour is applied after padding so escapes never skew columns.
func writeSteps(w io.Writer, steps []diff.Step, c palette) {
	opLabel := func(st diff.Step) string {
		if st.Op == diff.Delete && st.Stateful {
			return "delete (data)"
		}
		return string(st.Op)
	}
	opWidth, typeWidth := 0, 0
	for _, st := range steps {
		opWidth = max(opWidth, len(opLabel(st)))
		typeWidth = max(typeWidth, len(st.Type))
	}
	for _, st := range steps {
		mark, colour := "+", c.green
		switch st.Op {
		case diff.Update:
			mark, colour = "~", c.yellow
		case diff.Delete:
			mark, colour = "-", c.red
		}
		fmt.Fprintf(w, "%s %s  %-*s  %s\n", colour(mark), colour(fmt.Sprintf("%-*s", opWidth, opLabel(st))), typeWidth, st.Type, st.Name)
		for _, ch := range st.Changes {
			fmt.Fprintf(w, "      %s: %s → %s\n", ch.Path, changeValue(ch.Old), changeValue(ch.New))
		}
	}
}

// changeValue shows one side of a change on a terminal line: "(none)" when absent, strings
// quoted, anything longer than a line clipped (--json has it whole).
func changeValue(v any) string {
	const limit = 160
	var s string
	switch t := v.(type) {
	case nil:
		return "(none)"
	case string:
		s = fmt.Sprintf("%q", t)
	default:
		s = formatValue(t)
	}
	if len(s) <= limit {
		return s
	}
	return s[:limit] + "…"
}

// jsonDiff is the document of `scalestack diff --json`. Field names are part of the CLI's
// contract: see docs/preview-json.md.
type jsonDiff struct {
	Cloud            string         `json:"cloud"`
	Base             jsonSide       `json:"base"`
	Target           jsonSide       `json:"target"`
	Steps            []diff.Step    `json:"steps"`
	ChangeSummary    map[string]int `json:"changeSummary"`
	DataLoss         []diff.Step    `json:"dataLoss"`
	PolicyViolations []violation    `json:"policyViolations"`
}

type jsonSide struct {
	Stack       string   `json:"stack"`
	Environment string   `json:"environment"`
	Regions     []string `json:"regions"`
	Args        string   `json:"args"`
	Resources   int      `json:"resources"`
}

func side(r *previewResult, args string) jsonSide {
	regions := []string{r.Spec.PrimaryRegion()}
	if r.Spec.MultiRegion() {
		regions = append(regions, r.Spec.SecondaryRegion())
	}
	return jsonSide{Stack: r.Spec.Stack, Environment: string(r.Spec.Environment), Regions: regions, Args: args, Resources: len(r.Plan.Resources)}
}

func (d *diffResult) toJSON() jsonDiff {
	out := jsonDiff{
		Cloud:  string(d.Base.Spec.Cloud),
		Base:   side(d.Base, d.BaseArgs),
		Target: side(d.Target, d.TargetArgs),
		Steps:  d.Diff.Steps,
		ChangeSummary: map[string]int{
			"create": d.Diff.Count(diff.Create), "update": d.Diff.Count(diff.Update),
			"delete": d.Diff.Count(diff.Delete), "same": d.Diff.Same,
		},
		DataLoss:         d.Diff.DataLoss(),
		PolicyViolations: d.Target.Violations,
	}
	for _, l := range []*[]diff.Step{&out.Steps, &out.DataLoss} {
		if *l == nil {
			*l = []diff.Step{}
		}
	}
	if out.PolicyViolations == nil {
		out.PolicyViolations = []violation{}
	}
	return out
}
