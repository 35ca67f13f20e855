package testkit_test

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scalestack/scalestack/testkit"
)

// TestAnswerIsWhatRunAnswers: a simulated provider answering the real engine with Answer gives
// every resource the very ID and state it has in a Run plan (same URN, inputs and provider).
func TestAnswerIsWhatRunAnswers(t *testing.T) {
	plan, err := testkit.RunExports(program)
	require.NoError(t, err)
	n := 0
	for _, r := range plan.Resources {
		if !r.Custom || r.IsProvider() {
			continue
		}
		var provider resource.PropertyMap
		if p := r.ProviderResource(); p != nil {
			provider = p.Inputs
		}
		id, state := testkit.Answer(r.URN, r.Inputs, provider)
		assert.Equal(t, r.ID, id, r.URN)
		assert.Equal(t, r.Outputs.Mappable(), state.Mappable(), r.URN)
		n++
	}
	assert.Equal(t, 2, n)

	vpc := plan.Find("aws:ec2/vpc:Vpc", "box-vpc")
	_, state := testkit.Answer(vpc.URN, vpc.Inputs, nil)
	assert.Equal(t, "arn:aws:ec2:us-east-1:123456789012:vpc/box-vpc", state["arn"].StringValue(),
		"without an explicit provider the mocks' default region is used")
}

func TestAnswerInvokeUsesTheProvidersRegion(t *testing.T) {
	out, ok := testkit.AnswerInvoke("aws:index/getRegion:getRegion", nil,
		resource.PropertyMap{"region": resource.NewStringProperty("eu-west-1")})
	require.True(t, ok)
	assert.Equal(t, "eu-west-1", out["name"].StringValue())

	_, ok = testkit.AnswerInvoke("aws:ec2/getAmi:getAmi", nil, nil)
	assert.False(t, ok, "a token the mocks do not know has no answer")
	_, ok = testkit.AnswerInvoke("random:index/getThing:getThing", nil, nil)
	assert.False(t, ok, "a package without mocks has no answer")
}
