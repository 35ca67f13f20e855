package awsregions_test

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scalestack/scalestack/providers"
	"github.com/scalestack/scalestack/providers/awsregions"
	"github.com/scalestack/scalestack/testkit"
)

func providersOf(t *testing.T, args awsregions.Args) (*testkit.Plan, *awsregions.Regions) {
	t.Helper()
	var regions *awsregions.Regions
	plan, err := testkit.Run(func(ctx *pulumi.Context) error {
		r, err := awsregions.New(ctx, args)
		regions = r
		return err
	})
	require.NoError(t, err)
	return plan, regions
}

func TestProvidersPerRegionWithDefaultTags(t *testing.T) {
	plan, r := providersOf(t, awsregions.Args{
		Primary: "eu-west-1", Secondary: "eu-central-1",
		Tags: providers.DefaultTags("shop", "prod", "prod"),
	})
	all := plan.ByType("pulumi:providers:aws")
	require.Len(t, all, 3, "primary, secondary and the us-east-1 edge provider")
	for _, want := range []string{"eu-west-1", "eu-central-1", "us-east-1"} {
		p := plan.Find("pulumi:providers:aws", "aws-"+want)
		require.NotNil(t, p, want)
		assert.Equal(t, want, p.Region())
		assert.Equal(t, map[string]any{
			"project": "shop", "stack": "prod", "environment": "prod", "managed-by": "pulumi-scalestack",
		}, p.Input("defaultTags.tags"))
	}
	assert.NotNil(t, r.Secondary)
	assert.NotSame(t, r.Primary, r.Edge)
}

func TestEdgeReusesAUSEast1Provider(t *testing.T) {
	plan, r := providersOf(t, awsregions.Args{Primary: "us-east-1", Secondary: "us-west-2"})
	assert.Len(t, plan.ByType("pulumi:providers:aws"), 2)
	assert.Same(t, r.Primary, r.Edge)

	plan, r = providersOf(t, awsregions.Args{Primary: "eu-west-1", Secondary: "us-east-1"})
	assert.Len(t, plan.ByType("pulumi:providers:aws"), 2)
	assert.Same(t, r.Secondary, r.Edge)

	plan, r = providersOf(t, awsregions.Args{Primary: "eu-west-1"})
	assert.Len(t, plan.ByType("pulumi:providers:aws"), 2, "single region still gets the edge provider")
	assert.Nil(t, r.Secondary)
}

func TestAddingASecondaryKeepsProviderURNs(t *testing.T) {
	one, _ := providersOf(t, awsregions.Args{Primary: "eu-west-1"})
	two, _ := providersOf(t, awsregions.Args{Primary: "eu-west-1", Secondary: "eu-central-1"})
	assert.Empty(t, testkit.MissingURNs(one, two))
}

func TestValidation(t *testing.T) {
	for _, tc := range []struct {
		args awsregions.Args
		want string
	}{
		{awsregions.Args{Primary: "europe"}, `awsregions: Primary "europe" is not an AWS region`},
		{awsregions.Args{Primary: "eu-west-1", Secondary: "x"}, `awsregions: Secondary "x" is not an AWS region`},
		{awsregions.Args{Primary: "eu-west-1", Secondary: "eu-west-1"}, `awsregions: Secondary "eu-west-1" equals Primary`},
	} {
		assert.ErrorContains(t, tc.args.Validate(), tc.want)
	}
}
