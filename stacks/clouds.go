package stacks

// The clouds this module ships. Each cloud's stack package exposes Build(ctx, spec).
func init() {
}
