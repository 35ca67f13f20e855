package gcpregions_test

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scalestack/scalestack/providers"
	"github.com/scalestack/scalestack/providers/gcpregions"
	"github.com/scalestack/scalestack/testkit"
)

func TestValidate(t *testing.T) {
	ok := gcpregions.Args{Project: "my-project", Primary: "us-central1", Secondary: "us-east1"}
	require.NoError(t, ok.Validate())
	cases := []struct {
		name string
		args gcpregions.Args
		want string
	}{
		{"bad project", gcpregions.Args{Project: "X", Primary: "us-central1"}, `Project "X" is not a project ID`},
		{"bad primary", gcpregions.Args{Project: "my-project", Primary: "us-central"}, `Primary "us-central" is not a Google Cloud region`},
		{"bad secondary", gcpregions.Args{Project: "my-project", Primary: "us-central1", Secondary: "east"}, `Secondary "east" is not a Google Cloud region`},
		{"same region", gcpregions.Args{Project: "my-project", Primary: "us-central1", Secondary: "us-central1"}, `Secondary "us-central1" equals Primary`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := c.args.Validate()
			require.Error(t, err)
			assert.Contains(t, err.Error(), c.want)
		})
	}
}

func TestProvidersPerRegionWithLabels(t *testing.T) {
	plan, err := testkit.Run(func(ctx *pulumi.Context) error {
		_, err := gcpregions.New(ctx, gcpregions.Args{
			Project: "my-project", Primary: "us-central1", Secondary: "europe-west1",
			Tags: providers.DefaultTags("Scale.Stack", "prod", "prod"),
		})
		return err
	})
	require.NoError(t, err)
	ps := plan.ByType("pulumi:providers:gcp")
	require.Len(t, ps, 2)
	for _, region := range []string{"us-central1", "europe-west1"} {
		p := plan.Find("pulumi:providers:gcp", "gcp-"+region)
		require.NotNil(t, p, region)
		assert.Equal(t, region, p.Region())
		assert.Equal(t, "my-project", p.InputString("project"))
		assert.Equal(t, "scale_stack", p.InputString("defaultLabels.project"), "labels are GCP-normalised")
		assert.Equal(t, "pulumi-scalestack", p.InputString("defaultLabels.managed-by"))
	}
}

func TestSingleRegion(t *testing.T) {
	var regions *gcpregions.Regions
	plan, err := testkit.Run(func(ctx *pulumi.Context) error {
		var err error
		regions, err = gcpregions.New(ctx, gcpregions.Args{Project: "my-project", Primary: "us-central1"})
		return err
	})
	require.NoError(t, err)
	assert.Nil(t, regions.Secondary)
	assert.Len(t, plan.ByType("pulumi:providers:gcp"), 1)
}
