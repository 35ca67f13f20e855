// Package stackcheck holds the policy tests of the reference stacks: each cloud's stack, run
// offline through testkit in dev and prod, must have zero mandatory policy violations, and an
// insecure variant of it must be caught rule by rule. It has no code of its own; the rules
// live in policies/rules.
package stackcheck
