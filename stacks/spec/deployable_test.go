package spec_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scalestack/scalestack/stacks/spec"
)

// TestRoute53RefusesReservedDomains: RFC 2606 reserves example.com/.net/.org and the
// .test, .example, .invalid and .localhost top-level domains (RFC 6761 section 6); Route 53
// answers CreateHostedZone for them with InvalidDomainName ("domain name is reserved by
// AWS"), and no registrar delegates them, so ACM DNS validation can never finish. A
// deployment with one stops in spec validation; a preview (dry run) keeps working.
func TestRoute53RefusesReservedDomains(t *testing.T) {
	for _, name := range []string{
		"example.com", "app.example.com", "a.b.example.net", "example.org",
		"shop.test", "x.example", "svc.invalid", "localhost", "web.localhost", "APP.EXAMPLE.COM.",
	} {
		assert.True(t, spec.ReservedDomain(name), name)
	}
	for _, name := range []string{"example.co", "myexample.com", "app.example.com.au", "example.company", "testing.io", "app.scalestack.dev"} {
		assert.False(t, spec.ReservedDomain(name), name)
	}

	s, err := spec.FromMap("scalestack", "dev", map[string]string{"scalestack:domain": `{"name": "app.example.com"}`})
	require.NoError(t, err)
	assert.NoError(t, spec.CheckDeployable(s, true), "a preview keeps the sample domain")
	err = spec.CheckDeployable(s, false)
	require.Error(t, err)
	assert.True(t, spec.IsConfigError(err))
	assert.Contains(t, err.Error(), `scalestack:domain.name: "app.example.com" is a reserved example domain`)
	assert.Contains(t, err.Error(), "set scalestack:domain.name to a domain you own")

	own, err := spec.FromMap("scalestack", "dev", map[string]string{"scalestack:domain": `{"name": "app.scalestack.dev"}`})
	require.NoError(t, err)
	assert.NoError(t, spec.CheckDeployable(own, false))
	none, err := spec.FromMap("scalestack", "dev", map[string]string{})
	require.NoError(t, err)
	assert.NoError(t, spec.CheckDeployable(none, false), "no domain is a dev mode, not a placeholder")
}

func TestFirstDeployAndZoneKeys(t *testing.T) {
	s, err := spec.FromMap("scalestack", "dev", map[string]string{
		"scalestack:domain": `{"name": "app.mycompany.io", "delegated": false}`,
	})
	require.NoError(t, err)
	assert.False(t, s.Domain.Delegated)
	assert.Equal(t, "count", s.AWS.WAFBodySizeAction)

	def, err := spec.FromMap("scalestack", "dev", map[string]string{})
	require.NoError(t, err)
	assert.True(t, def.Domain.Delegated, "delegated by default")

	for msg, cfg := range map[string]map[string]string{
		`scalestack:domain.delegated: false needs scalestack:domain.name`: {"scalestack:domain": `{"delegated": false}`},
		`scalestack:domain.delegated: false is supported on aws only (cloud gcp)`: {
			"scalestack:cloud": "gcp", "scalestack:domain": `{"name": "app.mycompany.io", "delegated": false}`},
		`scalestack:aws.hostedZoneId: "zone-1" is not a Route 53 hosted zone ID`: {
			"scalestack:domain": `{"name": "app.mycompany.io"}`, "scalestack:aws": `{"hostedZoneId": "zone-1"}`},
		`scalestack:aws.hostedZoneId: "Z123" needs scalestack:domain.name`: {"scalestack:aws": `{"hostedZoneId": "Z123"}`},
		`scalestack:domain.delegated: false is not allowed with scalestack:aws.hostedZoneId "Z123"`: {
			"scalestack:domain": `{"name": "app.mycompany.io", "delegated": false}`, "scalestack:aws": `{"hostedZoneId": "Z123"}`},
		`scalestack:aws.wafBodySizeAction: "allow" is not allowed: want count or block`: {"scalestack:aws": `{"wafBodySizeAction": "allow"}`},
	} {
		_, err := spec.FromMap("scalestack", "dev", cfg)
		require.Error(t, err, msg)
		assert.Contains(t, err.Error(), msg)
	}
}
