package stacks

import (
	"github.com/scalestack/scalestack/stacks/spec"

	awsstack "github.com/scalestack/scalestack/stacks/aws"
	azurestack "github.com/scalestack/scalestack/stacks/azure"
	gcpstack "github.com/scalestack/scalestack/stacks/gcp"
)

// The clouds this module ships. Each cloud's stack package exposes Build(ctx, spec).
func init() {
	Register(spec.AWS, awsstack.Build)
	Register(spec.Azure, azurestack.Build)
	Register(spec.GCP, gcpstack.Build)
}
