package launchtemplate_test

import (
	"encoding/base64"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scalestack/scalestack/components/aws/launchtemplate"
	"github.com/scalestack/scalestack/testkit"
)

func run(t *testing.T, a launchtemplate.Args) *testkit.Resource {
	t.Helper()
	plan, err := testkit.Run(func(ctx *pulumi.Context) error {
		p, err := aws.NewProvider(ctx, "aws-us-east-1", &aws.ProviderArgs{Region: pulumi.String("us-east-1")})
		if err != nil {
			return err
		}
		a.InstanceProfileARN = pulumi.String("arn:aws:iam::123456789012:instance-profile/w")
		a.SecurityGroupIDs = pulumi.StringArray{pulumi.String("sg-1")}
		_, err = launchtemplate.New(ctx, "w", a, pulumi.Provider(p))
		return err
	})
	require.NoError(t, err)
	lt := plan.Find("aws:ec2/launchTemplate:LaunchTemplate", "w")
	require.NotNil(t, lt)
	return lt
}

// IMDSv2 only (httpTokens "required") with a hop limit of 1, so a container on the instance
// cannot reach the credentials (Checkov CKV_AWS_79, CKV_AWS_341).
func TestIMDSv2WithHopLimitOne(t *testing.T) {
	lt := run(t, launchtemplate.Args{})
	assert.Equal(t, "required", lt.Input("metadataOptions.httpTokens"))
	assert.Equal(t, float64(1), lt.Input("metadataOptions.httpPutResponseHopLimit"))
}

// The provider types ebs.encrypted and associatePublicIpAddress as strings ("true",
// "false"), not booleans (pulumi-aws v6.83.4 ec2.LaunchTemplateBlockDeviceMappingEbsArgs,
// LaunchTemplateNetworkInterfaceArgs): a boolean would not reach the API as meant.
func TestEBSEncryptedAndNoPublicIPAreProviderStrings(t *testing.T) {
	lt := run(t, launchtemplate.Args{KMSKeyID: pulumi.String("arn:aws:kms:us-east-1:123456789012:key/k")})
	bdm := lt.Input("blockDeviceMappings").([]any)[0].(map[string]any)["ebs"].(map[string]any)
	assert.Equal(t, "true", bdm["encrypted"])
	assert.Equal(t, "gp3", bdm["volumeType"])
	assert.Equal(t, "arn:aws:kms:us-east-1:123456789012:key/k", bdm["kmsKeyId"])
	ni := lt.Input("networkInterfaces").([]any)[0].(map[string]any)
	assert.Equal(t, "false", ni["associatePublicIpAddress"])
	assert.Equal(t, []any{"sg-1"}, ni["securityGroups"])
}

func TestDefaultsUserDataAndValidation(t *testing.T) {
	lt := run(t, launchtemplate.Args{UserData: pulumi.String("#!/bin/bash\necho hi\n")})
	assert.Equal(t, launchtemplate.DefaultImageID, lt.Input("imageId"))
	assert.Equal(t, "t3.small", lt.Input("instanceType"))
	assert.Equal(t, base64.StdEncoding.EncodeToString([]byte("#!/bin/bash\necho hi\n")), lt.Input("userData"))

	_, err := launchtemplate.Args{InstanceType: "big"}.Resolve()
	assert.ErrorContains(t, err, `InstanceType "big" is not allowed`)
	_, err = launchtemplate.Args{RootVolumeGiB: 4}.Resolve()
	assert.ErrorContains(t, err, "RootVolumeGiB 4 is not allowed: want 8-16384")
}
