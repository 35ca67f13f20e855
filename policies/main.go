// Command policies is the scalestack policy pack, served to the Pulumi engine as an analyzer:
//
//	pulumi preview --policy-pack ./policies
//
// or, prebuilt (`go build -o scalestack-policy ./policies`), passed by path to
// --policy-pack or to the Automation API's optpreview.PolicyPacks. Every rule lives in
// policies/rules; the pack reads the stack's scalestack:environment (mandatory-in-prod rules)
// and scalestack:policy (waivers, settings) from the stack configuration the engine sends.
package main

import (
	"fmt"
	"os"

	"github.com/scalestack/scalestack/policies/rules"
)

func main() {
	if err := rules.Serve(rules.PackFromContext); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
