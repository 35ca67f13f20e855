package providers_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/scalestack/scalestack/providers"
)

func TestMergePrecedence(t *testing.T) {
	base := providers.DefaultTags("p", "s", "dev")
	got := base.Merge(map[string]string{"team": "web", "environment": "override"}, map[string]string{"team": "payments"})
	assert.Equal(t, "payments", got["team"], "later maps win")
	assert.Equal(t, "override", got["environment"])
	assert.Equal(t, "dev", base["environment"], "Merge does not change the receiver")
	assert.Equal(t, []string{"environment", "managed-by", "project", "stack", "team"}, got.Keys())
}

func TestLabelsAreNormalisedForGoogleCloud(t *testing.T) {
	got := providers.Tags{"Cost Center": "R&D 42", "1st": "x", "managed-by": "pulumi-scalestack"}.Labels()
	assert.Equal(t, map[string]string{"cost_center": "r_d_42", "k1st": "x", "managed-by": "pulumi-scalestack"}, got)
	long := providers.Tags{"k": string(make([]byte, 100))}.Labels()
	assert.Len(t, long["k"], 63)
}
