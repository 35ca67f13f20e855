// Command pulumi-resource-scalestack is the scalestack Pulumi package: the components served
// to TypeScript, Python, YAML, C# and Go programs through the component provider in
// provider/. `pulumi package add <this directory>` builds it (PulumiPlugin.yaml,
// runtime go) and generates the SDK for the program's language from its schema.
//
// With -schema it prints the schema instead of serving (the checked-in schema.json is that
// output; a test regenerates and compares it).
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/scalestack/scalestack/cmd/pulumi-resource-scalestack/provider"
)

func main() {
	if len(os.Args) == 2 && os.Args[1] == "-schema" {
		out, err := provider.Schema(context.Background())
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Stdout.Write(out)
		return
	}
	if err := provider.Serve(context.Background()); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
