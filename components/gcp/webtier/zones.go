package webtier

import "fmt"

// regionZones are the Compute Engine zones of the regions the stack knows, from Google's
// "Available regions and zones" table (https://cloud.google.com/compute/docs/regions-zones#available).
// Zone letters are not always a, b, c: us-central1 has a, b, c and f, us-east1 and
// europe-west1 have b, c and d. For a region missing here, list its zones with
// `gcloud compute zones list --filter region:REGION` and pass them as Args.Zones.
var regionZones = map[string][]string{
	"africa-south1":           {"a", "b", "c"},
	"asia-east1":              {"a", "b", "c"},
	"asia-east2":              {"a", "b", "c"},
	"asia-northeast1":         {"a", "b", "c"},
	"asia-northeast2":         {"a", "b", "c"},
	"asia-northeast3":         {"a", "b", "c"},
	"asia-south1":             {"a", "b", "c"},
	"asia-south2":             {"a", "b", "c"},
	"asia-southeast1":         {"a", "b", "c"},
	"asia-southeast2":         {"a", "b", "c"},
	"australia-southeast1":    {"a", "b", "c"},
	"australia-southeast2":    {"a", "b", "c"},
	"europe-central2":         {"a", "b", "c"},
	"europe-north1":           {"a", "b", "c"},
	"europe-southwest1":       {"a", "b", "c"},
	"europe-west1":            {"b", "c", "d"},
	"europe-west2":            {"a", "b", "c"},
	"europe-west3":            {"a", "b", "c"},
	"europe-west4":            {"a", "b", "c"},
	"europe-west6":            {"a", "b", "c"},
	"europe-west8":            {"a", "b", "c"},
	"europe-west9":            {"a", "b", "c"},
	"europe-west12":           {"a", "b", "c"},
	"me-central1":             {"a", "b", "c"},
	"me-west1":                {"a", "b", "c"},
	"northamerica-northeast1": {"a", "b", "c"},
	"northamerica-northeast2": {"a", "b", "c"},
	"southamerica-east1":      {"a", "b", "c"},
	"southamerica-west1":      {"a", "b", "c"},
	"us-central1":             {"a", "b", "c", "f"},
	"us-east1":                {"b", "c", "d"},
	"us-east4":                {"a", "b", "c"},
	"us-east5":                {"a", "b", "c"},
	"us-south1":               {"a", "b", "c"},
	"us-west1":                {"a", "b", "c"},
	"us-west2":                {"a", "b", "c"},
	"us-west3":                {"a", "b", "c"},
	"us-west4":                {"a", "b", "c"},
}

// DefaultZones are three zones of region for Args.Zones (a regional managed instance group
// spreads over three zones by default), from the table above, or nil for a region the table
// does not hold.
func DefaultZones(region string) []string {
	letters := regionZones[region]
	if len(letters) > 3 {
		letters = letters[:3]
	}
	var zones []string
	for _, l := range letters {
		zones = append(zones, fmt.Sprintf("%s-%s", region, l))
	}
	return zones
}
