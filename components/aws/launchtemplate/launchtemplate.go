// Package launchtemplate registers the hardened EC2 launch template scalestack's instance
// tiers share: IMDSv2 only with a hop limit of 1, an encrypted gp3 root volume, no public IP,
// detailed monitoring, and tags on the instances and volumes. It is a function, not a
// component: the caller's component parents and places the template through opts.
//
// The worker tier uses it; its settings are the web tier's (components/aws/webtier), so
// the two tiers' instances pass the same policies (aws-lt-imdsv2, aws-lt-ebs-encrypted,
// aws-lt-no-public-ip).
package launchtemplate

import (
	"encoding/base64"
	"fmt"
	"regexp"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Defaults of the optional Args fields.
const (
	// DefaultImageID is the latest Amazon Linux 2023 AMI, resolved by EC2 at launch (no
	// lookup at preview).
	DefaultImageID       = "resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"
	DefaultInstanceType  = "t3.small"
	DefaultRootVolumeGiB = 20
)

// Args configures a launch template. Zero values mean the documented default.
type Args struct {
	// Description of the template. Default: "".
	Description string
	// ImageID is the AMI, or a "resolve:ssm:" parameter. Default: DefaultImageID.
	ImageID pulumi.StringInput
	// InstanceType of the instances. Default: "t3.small".
	InstanceType string
	// RootVolumeGiB is the size of the encrypted gp3 root volume. Default: 20. Allowed: 8-16384.
	RootVolumeGiB int
	// KMSKeyID encrypts the root volume. Default: nil, the account's EBS key (aws/ebs).
	KMSKeyID pulumi.StringInput
	// InstanceProfileARN is the instances' IAM instance profile. Required.
	InstanceProfileARN pulumi.StringInput
	// SecurityGroupIDs are the instances' security groups. Required.
	SecurityGroupIDs pulumi.StringArrayInput
	// UserData is the start-up script, plain text (the template base64-encodes it).
	// Default: none.
	UserData pulumi.StringInput
	// Tags go on the template, and on the instances and volumes it launches.
	Tags pulumi.StringMap
}

var instanceTypeRE = regexp.MustCompile(`^[a-z][a-z0-9-]*\.[a-z0-9]+$`)

// Resolve applies the defaults and validates the args; callers run it before registering
// their component so that a bad value registers nothing.
func (a Args) Resolve() (Args, error) {
	if a.ImageID == nil {
		a.ImageID = pulumi.String(DefaultImageID)
	}
	if a.InstanceType == "" {
		a.InstanceType = DefaultInstanceType
	}
	if a.RootVolumeGiB == 0 {
		a.RootVolumeGiB = DefaultRootVolumeGiB
	}
	if !instanceTypeRE.MatchString(a.InstanceType) {
		return a, fmt.Errorf("InstanceType %q is not allowed: want an EC2 instance type such as t3.small", a.InstanceType)
	}
	if a.RootVolumeGiB < 8 || a.RootVolumeGiB > 16384 {
		return a, fmt.Errorf("RootVolumeGiB %d is not allowed: want 8-16384", a.RootVolumeGiB)
	}
	return a, nil
}

// New registers the launch template name with resolved args.
func New(ctx *pulumi.Context, name string, a Args, opts ...pulumi.ResourceOption) (*ec2.LaunchTemplate, error) {
	a, err := a.Resolve()
	if err != nil {
		return nil, err
	}
	if a.InstanceProfileARN == nil || a.SecurityGroupIDs == nil {
		return nil, fmt.Errorf("launch template %q: InstanceProfileARN and SecurityGroupIDs are required", name)
	}
	ebs := &ec2.LaunchTemplateBlockDeviceMappingEbsArgs{
		VolumeType:          pulumi.String("gp3"),
		VolumeSize:          pulumi.Int(a.RootVolumeGiB),
		Encrypted:           pulumi.String("true"),
		DeleteOnTermination: pulumi.String("true"),
	}
	if a.KMSKeyID != nil {
		ebs.KmsKeyId = a.KMSKeyID
	}
	args := &ec2.LaunchTemplateArgs{
		Description:          pulumi.String(a.Description),
		ImageId:              a.ImageID,
		InstanceType:         pulumi.String(a.InstanceType),
		UpdateDefaultVersion: pulumi.Bool(true),
		IamInstanceProfile:   &ec2.LaunchTemplateIamInstanceProfileArgs{Arn: a.InstanceProfileARN},
		MetadataOptions: &ec2.LaunchTemplateMetadataOptionsArgs{
			HttpEndpoint:            pulumi.String("enabled"),
			HttpTokens:              pulumi.String("required"),
			HttpPutResponseHopLimit: pulumi.Int(1),
			InstanceMetadataTags:    pulumi.String("disabled"),
		},
		BlockDeviceMappings: ec2.LaunchTemplateBlockDeviceMappingArray{&ec2.LaunchTemplateBlockDeviceMappingArgs{
			DeviceName: pulumi.String("/dev/xvda"),
			Ebs:        ebs,
		}},
		NetworkInterfaces: ec2.LaunchTemplateNetworkInterfaceArray{&ec2.LaunchTemplateNetworkInterfaceArgs{
			DeviceIndex:              pulumi.Int(0),
			AssociatePublicIpAddress: pulumi.String("false"),
			DeleteOnTermination:      pulumi.String("true"),
			SecurityGroups:           a.SecurityGroupIDs,
		}},
		Monitoring: &ec2.LaunchTemplateMonitoringArgs{Enabled: pulumi.Bool(true)},
		TagSpecifications: ec2.LaunchTemplateTagSpecificationArray{
			&ec2.LaunchTemplateTagSpecificationArgs{ResourceType: pulumi.String("instance"), Tags: a.Tags},
			&ec2.LaunchTemplateTagSpecificationArgs{ResourceType: pulumi.String("volume"), Tags: a.Tags},
		},
		Tags: a.Tags,
	}
	if a.UserData != nil {
		args.UserData = a.UserData.ToStringOutput().ApplyT(func(s string) string {
			return base64.StdEncoding.EncodeToString([]byte(s))
		}).(pulumi.StringOutput)
	}
	lt, err := ec2.NewLaunchTemplate(ctx, name, args, opts...)
	if err != nil {
		return nil, fmt.Errorf("creating launch template %q: %w", name, err)
	}
	return lt, nil
}
