// Command scalestack previews the scalestack reference stacks offline: it runs the very
// program `pulumi up` runs, under an embedded mock engine, with no credentials and no network,
// and shows what would be created, grouped by component and region.
//
//	scalestack preview [--stack dev] [--cloud aws|azure|gcp] [-c key=value]... [--json] [--dir .]
//
// Exit status: 0 clean, 1 a mandatory policy violation, 2 invalid config or usage.
package main

import (
	"fmt"
	"io"
	"os"
)

// Exit statuses.
const (
	exitOK        = 0
	exitViolation = 1
	exitUsage     = 2
)

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

const usage = `scalestack: preview the scalestack reference stacks offline

Usage:
  scalestack preview [--stack NAME] [--cloud aws|azure|gcp] [-c key=value]... [--json] [--dir DIR]

Commands:
  preview   run the stack's program under the offline mock engine and show the plan

Run 'scalestack <command> --help' for a command's flags.
`

// run is main without the process: it returns the exit status.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	switch args[0] {
	case "preview":
		return runPreview(args[1:], stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return exitOK
	default:
		fmt.Fprintf(stderr, "scalestack: unknown command %q\n\n%s", args[0], usage)
		return exitUsage
	}
}
