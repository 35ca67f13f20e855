package backend_test

import (
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scalestack/scalestack/components/aws/backend"
	"github.com/scalestack/scalestack/components/aws/cdn"
	"github.com/scalestack/scalestack/testkit"
)

// TestCloudFrontOriginGroupsServeOnlyGETHEADOPTIONSSoCachedPathsUseTheGroup: CloudFront fails
// over to an origin group's secondary origin only for GET, HEAD and OPTIONS, and refuses
// origin-group behaviours that allow POST, PUT, PATCH or DELETE ("Optimize high availability
// with CloudFront origin failover", CloudFront developer guide). So the cacheable paths
// (default "/assets/*") go to the origin group, GET/HEAD/OPTIONS only, and the default
// behaviour (every method) goes to origin.<domain>, which Route 53 fails over.
func TestCloudFrontOriginGroupsServeOnlyGETHEADOPTIONSSoCachedPathsUseTheGroup(t *testing.T) {
	plan := run(t, nil)
	dist := plan.ByType(tDist)
	require.Len(t, dist, 1)
	d := dist[0]
	assert.Equal(t, cdn.OriginGroupID, d.Input("originGroups.0.originId"))
	var toGroup []any
	for i := 0; i < 10; i++ {
		if d.Input("orderedCacheBehaviors."+itoa(i)+".targetOriginId") == cdn.OriginGroupID {
			toGroup = append(toGroup, d.Input("orderedCacheBehaviors."+itoa(i)+".pathPattern"))
			assert.ElementsMatch(t, []any{"GET", "HEAD", "OPTIONS"}, d.Input("orderedCacheBehaviors."+itoa(i)+".allowedMethods"))
		}
	}
	assert.Equal(t, []any{backend.DefaultCDNCachedPath}, toGroup, "the origin group serves the cacheable paths")
	assert.Equal(t, cdn.PrimaryOriginID, d.Input("defaultCacheBehavior.targetOriginId"))
	assert.Contains(t, d.Input("defaultCacheBehavior.allowedMethods"), "POST")

	own := run(t, func(a *backend.Args) { a.CDNCachedPaths = []string{"/img/*", "/js/*"} })
	d = own.ByType(tDist)[0]
	assert.Equal(t, "/img/*", d.Input("orderedCacheBehaviors.1.pathPattern"))
	assert.Equal(t, cdn.OriginGroupID, d.Input("orderedCacheBehaviors.2.targetOriginId"))
}

// TestACMWaitsForDelegationSoTheFirstStepCreatesOnlyTheZone: DNS validation of an ACM
// certificate completes only once the validation records resolve publicly, i.e. once the
// parent domain delegates to the zone (acm.CertificateValidation waits up to 75 minutes:
// terraform-provider-aws website/docs/r/acm_certificate_validation.html.markdown, "Timeouts").
// ZoneOnly creates only the zone under the backend (the URN the full run keeps) and exports
// its name servers.
func TestACMWaitsForDelegationSoTheFirstStepCreatesOnlyTheZone(t *testing.T) {
	first := run(t, func(a *backend.Args) { a.ZoneOnly = true })
	var types []string
	for _, r := range first.Resources {
		if !r.IsProvider() {
			types = append(types, r.Type)
		}
	}
	assert.ElementsMatch(t, []string{backend.TypeToken, "scalestack:aws:Zone", "aws:route53/zone:Zone"}, types)
	assert.Empty(t, first.ByType(tCert))

	full := run(t, nil)
	assert.Empty(t, testkit.MissingURNs(first, full), "the full run keeps the zone")

	// An existing zone needs no first step, and no zone is created.
	existing := run(t, func(a *backend.Args) { a.ZoneID = stringInput("Z0123456789ABC") })
	assert.Empty(t, existing.ByType("aws:route53/zone:Zone"))
	for _, r := range existing.ByType(tRecord) {
		assert.Equal(t, "Z0123456789ABC", r.Input("zoneId"), r.Name)
	}
}

// TestAvailabilityZoneLettersDifferPerRegionSoTheyAreLookedUp: AWS maps zone letters per
// account and region, and regions lack letters (ap-northeast-1 has no "b" for new accounts,
// ca-central-1 no "c": "Availability Zones", EC2 user guide; aws.getAvailabilityZones). The
// backend asks each region's provider for the zones available without opt-in and never
// guesses "<region>a/b/c"; testkit answers offline like AWS would.
func TestAvailabilityZoneLettersDifferPerRegionSoTheyAreLookedUp(t *testing.T) {
	plan, err := testkit.Run(func(ctx *pulumi.Context) error {
		apne1, err := aws.NewProvider(ctx, "aws-ap-northeast-1", &aws.ProviderArgs{Region: pulumi.String("ap-northeast-1")})
		if err != nil {
			return err
		}
		cac1, err := aws.NewProvider(ctx, "aws-ca-central-1", &aws.ProviderArgs{Region: pulumi.String("ca-central-1")})
		if err != nil {
			return err
		}
		_, err = backend.New(ctx, "shop", &backend.Args{
			Primary:               backend.Region{Provider: apne1, Name: "ap-northeast-1"},
			Secondary:             &backend.Region{Provider: cac1, Name: "ca-central-1"},
			AvailabilityZoneCount: 3,
			Web:                   backend.Web{MinSize: 2, MaxSize: 4},
		})
		return err
	})
	require.NoError(t, err)
	zones := map[string]map[any]bool{}
	for _, s := range plan.ByType("aws:ec2/subnet:Subnet") {
		if zones[s.Region()] == nil {
			zones[s.Region()] = map[any]bool{}
		}
		zones[s.Region()][s.Input("availabilityZone")] = true
	}
	assert.Equal(t, map[any]bool{"ap-northeast-1a": true, "ap-northeast-1c": true, "ap-northeast-1d": true}, zones["ap-northeast-1"])
	assert.Equal(t, map[any]bool{"ca-central-1a": true, "ca-central-1b": true, "ca-central-1d": true}, zones["ca-central-1"])

	_, err = testkit.Run(func(ctx *pulumi.Context) error {
		usw1, err := aws.NewProvider(ctx, "aws-us-west-1", &aws.ProviderArgs{Region: pulumi.String("us-west-1")})
		if err != nil {
			return err
		}
		_, err = backend.New(ctx, "shop", &backend.Args{
			Primary: backend.Region{Provider: usw1, Name: "us-west-1"}, AvailabilityZoneCount: 3,
		})
		return err
	})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "region us-west-1 has 2 availability zones available without opt-in")
}

func stringInput(s string) pulumi.StringInput { return pulumi.String(s) }

// TestSSMParameterNamesCannotBeginWithAWSOrSSM: "Parameter names can't be prefixed with aws
// or ssm (case-insensitive)" (Systems Manager user guide, "Requirements and constraints for
// parameter names"): a project named aws-... would get such a default prefix.
func TestSSMParameterNamesCannotBeginWithAWSOrSSM(t *testing.T) {
	for _, prefix := range []string{"/aws-shop/dev/shop", "/SSM/x", "no-slash"} {
		_, err := testkit.Run(pair(func(a *backend.Args) { a.ParameterPrefix = prefix }))
		require.Error(t, err, prefix)
		assert.Contains(t, err.Error(), "ParameterPrefix", prefix)
	}
	plan := run(t, func(a *backend.Args) { a.ParameterPrefix = "/teams/web/shop" })
	assert.NotNil(t, plan.Find(tParam, "shop-primary-database"))
	assert.Equal(t, "/teams/web/shop/primary/database", plan.Find(tParam, "shop-primary-database").Input("name"))
}
