package gcpregions_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/scalestack/scalestack/providers/gcpregions"
)

// TestOnlyPublishedGoogleCloudRegions: a region must be one Google Cloud publishes. Source:
// https://cloud.google.com/about/locations and `gcloud compute regions list`, 2025. The API
// refuses resources in a region that does not exist; the old pattern accepted any
// "word-wordN" ("us-central9", "mars-north1").
func TestOnlyPublishedGoogleCloudRegions(t *testing.T) {
	for _, r := range []string{"us-central1", "us-east1", "europe-west1", "europe-west12", "europe-north2", "northamerica-south1", "africa-south1"} {
		assert.True(t, gcpregions.IsKnown(r), r)
	}
	for _, r := range []string{"us-central9", "mars-north1", "us-central1-a", "US", "europe-west5", ""} {
		assert.False(t, gcpregions.IsKnown(r), r)
	}
	assert.IsIncreasing(t, gcpregions.Known())
	err := gcpregions.Args{Project: "my-project", Primary: "us-central9"}.Validate()
	assert.ErrorContains(t, err, `gcpregions: Primary "us-central9" is not a Google Cloud region`)
	assert.ErrorContains(t, err, "cloud.google.com/about/locations")
}
