package awsregions_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/scalestack/scalestack/providers/awsregions"
)

// TestOnlyRegionsThePulumiAWSSDKKnows: a region must be one the provider knows. Source: the
// aws.Region enum of the pulumi-aws v6.83.4 SDK (sdk/go/aws/pulumiEnums.go), the regions the
// bridged Terraform AWS provider has endpoints for. A well-formed name that is no region (the
// old pattern accepted any "xx-word-N") is refused, and the error says where the list is.
func TestOnlyRegionsThePulumiAWSSDKKnows(t *testing.T) {
	for _, r := range []string{"us-east-1", "eu-west-1", "ap-northeast-1", "ca-central-1", "mx-central-1", "ap-southeast-7", "us-gov-west-1"} {
		assert.True(t, awsregions.IsKnown(r), r)
	}
	for _, r := range []string{"us-fake-1", "eu-west-9", "us-east-1a", "US-EAST-1", "useast1", ""} {
		assert.False(t, awsregions.IsKnown(r), r)
	}
	known := awsregions.Known()
	assert.Len(t, known, 40)
	assert.IsIncreasing(t, known)
	err := awsregions.Args{Primary: "us-fake-1"}.Validate()
	assert.ErrorContains(t, err, `awsregions: Primary "us-fake-1" is not an AWS region`)
	assert.ErrorContains(t, err, "pulumi-aws v6.83.4")
	assert.ErrorContains(t, awsregions.Args{Primary: "us-east-1", Secondary: "eu-west-9"}.Validate(), `Secondary "eu-west-9" is not an AWS region`)
}
