// Command scalestack is the Pulumi program of the scalestack project: `pulumi up` runs it.
// It reads the `scalestack` stack configuration, validates it, and deploys the reference
// stack of the selected cloud. See README.md.
package main

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/scalestack/scalestack/stacks"
)

func main() { pulumi.Run(stacks.Program) }
