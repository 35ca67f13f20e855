package awsregions

import (
	"sort"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
)

// Source says where Known comes from, for error messages.
const Source = "providers/awsregions.Known: the aws.Region enum of the pulumi-aws v6.83.4 Go SDK (go/aws/pulumiEnums.go), checked in 2025"

// known are the regions the pulumi-aws v6.83.4 SDK declares in its Region enum
// (sdk/go/aws/pulumiEnums.go), which lists the regions the bridged Terraform AWS provider
// knows endpoints for. A region AWS opens later is refused here until the SDK (and this list)
// is upgraded: the provider would refuse it too, without skipRegionValidation.
var known = []aws.Region{
	aws.RegionAFSouth1,
	aws.RegionAPEast1,
	aws.RegionAPNortheast1, aws.RegionAPNortheast2, aws.RegionAPNortheast3,
	aws.RegionAPSouth1, aws.RegionAPSouth2,
	aws.RegionAPSoutheast1, aws.RegionAPSoutheast2, aws.RegionAPSoutheast3, aws.RegionAPSoutheast4,
	aws.RegionAPSoutheast5, aws.RegionAPSoutheast7,
	aws.RegionCACentral, aws.RegionCAWest1,
	aws.RegionEUCentral1, aws.RegionEUCentral2,
	aws.RegionEUNorth1,
	aws.RegionEUSouth1, aws.RegionEUSouth2,
	aws.RegionEUWest1, aws.RegionEUWest2, aws.RegionEUWest3,
	aws.RegionILCentral1,
	aws.RegionMECentral1, aws.RegionMESouth1,
	aws.RegionMXCentral1,
	aws.RegionSAEast1,
	aws.RegionUSEast1, aws.RegionUSEast2, aws.RegionUSWest1, aws.RegionUSWest2,
	aws.RegionCNNorth1, aws.RegionCNNorthwest1,
	aws.RegionUSGovEast1, aws.RegionUSGovWest1,
	aws.RegionUSISOEast1, aws.RegionUSISOWest1, aws.RegionUSISOBEast1, aws.RegionEUISOEWest1,
}

// Known lists every AWS region a stack may be placed in, sorted.
func Known() []string {
	out := make([]string, len(known))
	for i, r := range known {
		out[i] = string(r)
	}
	sort.Strings(out)
	return out
}

// IsKnown reports whether region is an AWS region in Known.
func IsKnown(region string) bool {
	for _, r := range known {
		if string(r) == region {
			return true
		}
	}
	return false
}
