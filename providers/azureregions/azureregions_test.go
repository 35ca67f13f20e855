package azureregions

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scalestack/scalestack/providers"
	"github.com/scalestack/scalestack/testkit"
)

func TestValidate(t *testing.T) {
	for _, tc := range []struct {
		args Args
		want string
	}{
		{Args{Primary: "East US"}, `azureregions: Primary "East US" is not an Azure location: want a name such as eastus2`},
		{Args{Primary: "eastus2", Secondary: "us-west-2"}, `azureregions: Secondary "us-west-2" is not an Azure location`},
		{Args{Primary: "eastus2", Secondary: "eastus2"}, `azureregions: Secondary "eastus2" equals Primary: want another location`},
	} {
		err := tc.args.Validate()
		if assert.Error(t, err) {
			assert.Contains(t, err.Error(), tc.want)
		}
	}
	assert.NoError(t, Args{Primary: "eastus2"}.Validate())
}

func TestProvidersPerLocation(t *testing.T) {
	var regions *Regions
	plan, err := testkit.Run(func(ctx *pulumi.Context) error {
		var err error
		regions, err = New(ctx, Args{Primary: "eastus2", Secondary: "centralus", SubscriptionID: "00000000-0000-0000-0000-000000000001"})
		return err
	})
	require.NoError(t, err)
	require.Len(t, plan.ByType("pulumi:providers:azure-native"), 2)
	p1 := plan.Find("pulumi:providers:azure-native", "azure-native-eastus2")
	p2 := plan.Find("pulumi:providers:azure-native", "azure-native-centralus")
	require.NotNil(t, p1)
	require.NotNil(t, p2)
	assert.Equal(t, "eastus2", p1.InputString("location"))
	assert.Equal(t, "centralus", p2.Region())
	assert.Equal(t, "00000000-0000-0000-0000-000000000001", p2.InputString("subscriptionId"))
	assert.Equal(t, "centralus", regions.SecondaryLocation)

	single, err := testkit.Run(func(ctx *pulumi.Context) error {
		r, err := New(ctx, Args{Primary: "westeurope"})
		if err == nil && r.Secondary != nil {
			t.Error("no secondary provider in one region")
		}
		return err
	})
	require.NoError(t, err)
	assert.Len(t, single.ByType("pulumi:providers:azure-native"), 1)
	assert.Empty(t, testkit.MissingURNs(single, single))
}

func TestTagsPrecedence(t *testing.T) {
	defaults := providers.DefaultTags("p", "dev", "dev")
	got := Tags(defaults, map[string]string{"environment": "user", "team": "web"}, map[string]string{"team": "child"})
	assert.Equal(t, pulumi.StringMap{
		"project": pulumi.String("p"), "stack": pulumi.String("dev"), "environment": pulumi.String("user"),
		"team": pulumi.String("child"), "managed-by": pulumi.String("pulumi-scalestack"),
	}, got, "later maps win: defaults < user < child")
	assert.Equal(t, "dev", defaults["environment"], "the defaults are not modified")
}
