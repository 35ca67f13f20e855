package provider_test

import (
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scalestack/scalestack/components/aws/database"
)

const databaseToken = "scalestack:aws:Database"

func databaseInputs(west resource.PropertyValue) resource.PropertyMap {
	m := resource.NewPropertyMapFromMap(map[string]any{
		"vpcId":                   "vpc-0123456789abcdef0",
		"subnetIds":               []any{"subnet-0a1b2c3d", "subnet-4e5f6a7b"},
		"allowedSecurityGroupIds": []any{"sg-0123456789abcdef0"},
		"readReplicas":            2,
		"crossRegion": map[string]any{
			"vpcId": "vpc-0fedcba9876543210", "subnetIds": []any{"subnet-1", "subnet-2"},
			"allowedSecurityGroupIds": []any{"sg-0fedcba9876543210"},
		},
	})
	m["crossRegion"].ObjectValue()["provider"] = west
	return m
}

// TestAWSDatabaseBuildsWhatTheGoAPIBuilds: the component users most often take alone, served
// as the Go API builds it (the README's orders-db example, with a cross-region replica).
func TestAWSDatabaseBuildsWhatTheGoAPIBuilds(t *testing.T) {
	want, err := goPlan(t, func(ctx *pulumi.Context) error {
		east, err := aws.NewProvider(ctx, "east", &aws.ProviderArgs{Region: pulumi.String("us-east-1")})
		if err != nil {
			return err
		}
		west, err := aws.NewProvider(ctx, "west", &aws.ProviderArgs{Region: pulumi.String("us-west-2")})
		if err != nil {
			return err
		}
		_, err = database.New(ctx, "orders-db", &database.Args{
			VpcID:                   pulumi.String("vpc-0123456789abcdef0"),
			SubnetIDs:               pulumi.ToStringArray([]string{"subnet-0a1b2c3d", "subnet-4e5f6a7b"}),
			AllowedSecurityGroupIDs: pulumi.ToStringArray([]string{"sg-0123456789abcdef0"}),
			ReadReplicas:            2,
			CrossRegion: &database.CrossRegionArgs{
				Provider: west, VpcID: pulumi.String("vpc-0fedcba9876543210"),
				SubnetIDs:               pulumi.ToStringArray([]string{"subnet-1", "subnet-2"}),
				AllowedSecurityGroupIDs: pulumi.ToStringArray([]string{"sg-0fedcba9876543210"}),
			},
		}, pulumi.Provider(east))
		return err
	})
	require.NoError(t, err)

	h, east, _, _, westRef := awsHarness(t)
	resp, err := h.construct(databaseToken, "orders-db", databaseInputs(westRef), map[string]p.ProviderReference{"aws": east}, "")
	require.NoError(t, err)
	got := h.plan()
	assertSamePlan(t, want, got)
	assert.Len(t, got.ByType("aws:rds/instance:Instance"), 4, "primary, two replicas, cross-region replica")
	assert.NotEmpty(t, state(resp)["endpoint"])
	assert.NotEmpty(t, state(resp)["crossRegionReplicaEndpoint"])
}

func TestAWSDatabaseValidationErrorsReachTheCallerInGoWords(t *testing.T) {
	h, east, _, _, westRef := awsHarness(t)
	in := databaseInputs(westRef)
	in["readReplicas"] = resource.NewProperty(9.0)
	_, err := h.construct(databaseToken, "orders-db", in, map[string]p.ProviderReference{"aws": east}, "")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "ReadReplicas 9 is not allowed")
}
