package testkit

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/stretchr/testify/assert"
)

func TestMergeComputedKeepsInputsAndAddsNestedOutputs(t *testing.T) {
	inputs := resource.NewPropertyMapFromMap(map[string]any{
		"name":      "tm",
		"dnsConfig": map[string]any{"relativeName": "shop", "ttl": 30},
		"tags":      []any{"a"},
	})
	computed := resource.NewPropertyMapFromMap(map[string]any{
		"name":      "computed-name",
		"id":        "/subscriptions/x/tm",
		"dnsConfig": map[string]any{"relativeName": "other", "fqdn": "shop.trafficmanager.net"},
		"tags":      []any{"b", "c"},
	})
	got := mergeComputed(inputs.Copy(), computed).Mappable()
	assert.Equal(t, map[string]any{
		"name":      "tm",
		"id":        "/subscriptions/x/tm",
		"dnsConfig": map[string]any{"relativeName": "shop", "ttl": float64(30), "fqdn": "shop.trafficmanager.net"},
		"tags":      []any{"a"},
	}, got)
}
