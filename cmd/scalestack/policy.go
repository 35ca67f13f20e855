package main

import (
	"github.com/scalestack/scalestack/stacks/spec"
	"github.com/scalestack/scalestack/testkit"
)

// checkPolicies evaluates the policy pack on the plan. It returns nil until the policy pack
// library is wired in (then an empty, non-nil list means "evaluated, clean").
func checkPolicies(plan *testkit.Plan, s *spec.Spec) []violation {
	return nil
}
