package gcpregions

import "sort"

// Source says where Known comes from, for error messages.
const Source = "providers/gcpregions.Known: Google Cloud's published regions (https://cloud.google.com/about/locations, https://cloud.google.com/compute/docs/regions-zones), as of 2025"

// known are the Google Cloud regions Google published in 2025
// (https://cloud.google.com/about/locations; `gcloud compute regions list`). Announced regions
// that were not open yet are not included.
var known = []string{
	// Americas
	"northamerica-northeast1", "northamerica-northeast2", "northamerica-south1",
	"southamerica-east1", "southamerica-west1",
	"us-central1", "us-east1", "us-east4", "us-east5", "us-south1",
	"us-west1", "us-west2", "us-west3", "us-west4",
	// Europe
	"europe-central2", "europe-north1", "europe-north2", "europe-southwest1",
	"europe-west1", "europe-west2", "europe-west3", "europe-west4", "europe-west6",
	"europe-west8", "europe-west9", "europe-west10", "europe-west12",
	// Asia Pacific
	"asia-east1", "asia-east2", "asia-northeast1", "asia-northeast2", "asia-northeast3",
	"asia-south1", "asia-south2", "asia-southeast1", "asia-southeast2",
	"australia-southeast1", "australia-southeast2",
	// Middle East and Africa
	"me-central1", "me-central2", "me-west1", "africa-south1",
}

// Known lists every Google Cloud region a stack may be placed in, sorted.
func Known() []string {
	out := append([]string(nil), known...)
	sort.Strings(out)
	return out
}

// IsKnown reports whether region is a Google Cloud region in Known.
func IsKnown(region string) bool {
	for _, r := range known {
		if r == region {
			return true
		}
	}
	return false
}
