// Command scalestack previews the scalestack reference stacks offline: it runs the very
// program `pulumi up` runs, under an embedded mock engine, with no credentials and no network,
// and shows what would be created, grouped by component and region; draws the architecture
// as a Mermaid or Graphviz diagram; and compares the plans of two configurations, refusing a
// change that would delete a stateful resource.
//
//	scalestack preview [--stack dev] [--cloud aws|azure|gcp|all] [-c key=value]... [--json | --diagram mermaid|dot] [--dir .]
//	scalestack policies [--environment dev|staging|prod] [--json]
//	scalestack diff [--stack dev] [--cloud aws|azure|gcp] [-c key=value]... (--to key=value... | --to-stack NAME) [--json] [--dir .]
//
// Exit status: 0 clean, 1 a mandatory policy violation (or, for diff, data loss), 2 invalid
// config or usage.
package main

import (
	"fmt"
	"io"
	"os"

	"github.com/scalestack/scalestack/stacks"
	"github.com/scalestack/scalestack/stacks/spec"
	"github.com/scalestack/scalestack/testkit"
)

// Exit statuses.
const (
	exitOK        = 0
	exitViolation = 1
	exitUsage     = 2
)

func main() {
	c := &cli{stdout: os.Stdout, stderr: os.Stderr, build: stacks.BuildSpec, color: colorFor(os.Stdout, os.Getenv)}
	os.Exit(c.run(os.Args[1:]))
}

const usage = `scalestack: preview the scalestack reference stacks offline

Usage:
  scalestack preview [--stack NAME] [--cloud aws|azure|gcp|all] [-c key=value]... [--json | --diagram mermaid|dot] [--dir DIR]
  scalestack diff    [--stack NAME] [--cloud aws|azure|gcp] [-c key=value]... (--to key=value... | --to-stack NAME) [--json] [--dir DIR]
  scalestack policies [--environment dev|staging|prod] [--json]

Commands:
  preview   run the stack's program under the offline mock engine and show the plan
  diff      compare the plans of two configurations; deleting a stateful resource is an error
  policies  list every policy rule: id, level, resource types, description (--json)

Exit status: 0 clean, 1 a mandatory policy violation or (diff) data loss, 2 invalid config or usage.
Run 'scalestack <command> --help' for a command's flags.
`

// cli is one invocation: where output goes, which stack builder runs (the registered
// reference stacks; tests substitute a small stack) and which policy check judges the plan
// (checkPolicies when nil).
type cli struct {
	stdout, stderr io.Writer
	build          stacks.Builder
	policies       func(*testkit.Plan, *spec.Spec) []violation
	color          palette
}

func (c *cli) checkPolicies(p *testkit.Plan, s *spec.Spec) []violation {
	if c.policies != nil {
		return c.policies(p, s)
	}
	return checkPolicies(p, s)
}

// run is main without the process: it returns the exit status.
func run(args []string, stdout, stderr io.Writer) int {
	return (&cli{stdout: stdout, stderr: stderr, build: stacks.BuildSpec}).run(args)
}

func (c *cli) run(args []string) int {
	if len(args) == 0 {
		fmt.Fprint(c.stderr, usage)
		return exitUsage
	}
	switch args[0] {
	case "preview":
		return c.runPreview(args[1:])
	case "diff":
		return c.runDiff(args[1:])
	case "policies":
		return c.runPolicies(args[1:])
	case "help", "-h", "--help":
		fmt.Fprint(c.stdout, usage)
		return exitOK
	default:
		fmt.Fprintf(c.stderr, "scalestack: unknown command %q\n\n%s", args[0], usage)
		return exitUsage
	}
}

// worst combines exit statuses: usage beats violation beats clean.
func worst(codes ...int) int {
	w := exitOK
	for _, c := range codes {
		if c > w {
			w = c
		}
	}
	return w
}
