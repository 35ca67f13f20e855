package spec_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scalestack/scalestack/stacks/spec"
)

// TestRegionsThatDoNotExistAreRefused: a region or location must exist, or the plan is built
// in it and the first `pulumi up` fails at the cloud's API. Each cloud's list is checked in
// with its source: the pulumi-aws v6.83.4 SDK's aws.Region enum (providers/awsregions),
// Microsoft's Azure regions list (https://learn.microsoft.com/azure/reliability/regions-list,
// providers/azureregions) and Google Cloud's locations
// (https://cloud.google.com/about/locations, providers/gcpregions). A well-formed but made-up
// name passed the old patterns on every cloud; the error names the key, the value and where
// the list comes from.
func TestRegionsThatDoNotExistAreRefused(t *testing.T) {
	cases := []struct {
		name string
		cfg  map[string]string
		want []string
	}{
		{"aws primary", map[string]string{"scalestack:aws": `{"primaryRegion": "us-fake-1"}`},
			[]string{`scalestack:aws.primaryRegion: "us-fake-1" is not allowed: want an AWS region`, "providers/awsregions", "pulumi-aws v6.83.4"}},
		{"aws secondary", map[string]string{"scalestack:aws": `{"secondaryRegion": "eu-west-9"}`},
			[]string{`scalestack:aws.secondaryRegion: "eu-west-9" is not allowed`, "providers/awsregions"}},
		{"azure primary", map[string]string{"scalestack:cloud": "azure", "scalestack:azure": `{"primaryLocation": "eastus9"}`},
			[]string{`scalestack:azure.primaryLocation: "eastus9" is not allowed: want an Azure location`, "providers/azureregions", "learn.microsoft.com/azure/reliability/regions-list"}},
		{"azure secondary", map[string]string{"scalestack:cloud": "azure", "scalestack:azure": `{"secondaryLocation": "mars"}`},
			[]string{`scalestack:azure.secondaryLocation: "mars" is not allowed`, "providers/azureregions"}},
		{"gcp primary", map[string]string{"scalestack:cloud": "gcp", "scalestack:gcp": `{"primaryRegion": "us-central9"}`},
			[]string{`scalestack:gcp.primaryRegion: "us-central9" is not allowed: want a Google Cloud region`, "providers/gcpregions", "cloud.google.com/about/locations"}},
		{"gcp secondary", map[string]string{"scalestack:cloud": "gcp", "scalestack:gcp": `{"secondaryRegion": "europe-west5"}`},
			[]string{`scalestack:gcp.secondaryRegion: "europe-west5" is not allowed`, "providers/gcpregions"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := parse(t, tc.cfg)
			require.Error(t, err)
			assert.True(t, spec.IsConfigError(err))
			for _, w := range tc.want {
				assert.Contains(t, err.Error(), w)
			}
		})
	}

	// Real regions, including ones the old patterns could not tell from made-up ones.
	for cloud, cfg := range map[string]string{
		"aws":   `{"primaryRegion": "ap-northeast-1", "secondaryRegion": "ca-central-1"}`,
		"azure": `{"primaryLocation": "swedencentral", "secondaryLocation": "australiacentral2"}`,
		"gcp":   `{"primaryRegion": "europe-west12", "secondaryRegion": "northamerica-south1"}`,
	} {
		_, err := parse(t, map[string]string{"scalestack:cloud": cloud, "scalestack:" + cloud: cfg})
		assert.NoError(t, err, cloud)
	}
}
