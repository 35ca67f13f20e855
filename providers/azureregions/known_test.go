package azureregions

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestOnlyPublishedAzureLocations: a location must be one of the Azure public cloud's regions.
// Source: Microsoft's Azure regions list (https://learn.microsoft.com/azure/reliability/regions-list),
// programmatic names, 2025. ARM refuses a resource in a location that does not exist; the old
// pattern accepted any lowercase word ("eastus9", "mars").
func TestOnlyPublishedAzureLocations(t *testing.T) {
	for _, l := range []string{"eastus2", "centralus", "westeurope", "swedencentral", "australiacentral2", "newzealandnorth"} {
		assert.True(t, IsKnown(l), l)
	}
	for _, l := range []string{"eastus9", "mars", "East US", "eastus2euap", "global", "usgovvirginia", ""} {
		assert.False(t, IsKnown(l), l)
	}
	assert.IsIncreasing(t, Known())
	assert.Len(t, Known(), len(known))
	err := Args{Primary: "eastus9"}.Validate()
	assert.ErrorContains(t, err, `azureregions: Primary "eastus9" is not an Azure location`)
	assert.ErrorContains(t, err, "learn.microsoft.com/azure/reliability/regions-list")
}
