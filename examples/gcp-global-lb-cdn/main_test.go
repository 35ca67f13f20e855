package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scalestack/scalestack/testkit"
)

const project = "gcp-global-lb-cdn"

func stackConfig(extra map[string]string) testkit.Option {
	cfg := map[string]string{
		project + ":gcpProject": "my-project-123",
		project + ":domain":     "shop.example.com",
	}
	for k, v := range extra {
		if v == "" {
			delete(cfg, k) // "" stands for an unset key
			continue
		}
		cfg[k] = v
	}
	return testkit.Config(cfg)
}

const (
	typeBackendService = "gcp:compute/backendService:BackendService"
	typeMIG            = "gcp:compute/regionInstanceGroupManager:RegionInstanceGroupManager"
	typeSubnet         = "gcp:compute/subnetwork:Subnetwork"
)

// TestProgram checks the one global backend service over both regions' groups with CDN on,
// and the placement of every regional resource by its region's provider.
func TestProgram(t *testing.T) {
	plan, err := testkit.RunExports(program, testkit.Project(project), stackConfig(nil))
	require.NoError(t, err)

	testkit.AssertCounts(t, plan, map[string]int{
		"pulumi:providers:gcp":                                    2,
		"scalestack:gcp:Network":                                  1,
		"scalestack:gcp:WebTier":                                  2,
		"scalestack:gcp:LoadBalancer":                             1,
		typeBackendService:                                        1,
		typeMIG:                                                   2,
		"gcp:compute/regionAutoscaler:RegionAutoscaler":           2,
		"gcp:compute/backendBucket:BackendBucket":                 1,
		"gcp:compute/managedSslCertificate:ManagedSslCertificate": 1,
		"gcp:compute/globalForwardingRule:GlobalForwardingRule":   2, // HTTPS, and HTTP that redirects
		"gcp:compute/globalAddress:GlobalAddress":                 2, // the anycast address, the private services range
	})

	for _, p := range plan.ByType("pulumi:providers:gcp") {
		assert.Equal(t, "my-project-123", p.InputString("project"), p.Name)
	}
	netc := plan.Find("scalestack:gcp:Network", "shop")
	lbc := plan.Find("scalestack:gcp:LoadBalancer", "shop")
	testkit.AssertPlaced(t, plan, lbc, "us-central1") // global resources, through the primary provider
	testkit.AssertPlaced(t, plan, netc, "us-central1", "shop-secondary")
	for _, r := range plan.Owned(netc, "") {
		if r.Name == "shop-secondary" {
			assert.Equal(t, "us-east1", r.Region(), r.URN)
		}
	}
	for _, region := range []string{"us-central1", "us-east1"} {
		testkit.AssertPlaced(t, plan, plan.Find("scalestack:gcp:WebTier", "shop-"+region), region)
	}

	// Each region's group runs in that region's subnet and carries the tag the firewall admits.
	firewall := plan.FindIn(netc, "gcp:compute/firewall:Firewall", "shop-allow-lb")
	require.NotNil(t, firewall)
	assert.Equal(t, []any{"shop-web"}, firewall.Input("targetTags"))
	assert.Equal(t, []any{"35.191.0.0/16", "130.211.0.0/22"}, firewall.Input("sourceRanges"))
	bs := plan.FindIn(lbc, typeBackendService, "shop")
	require.NotNil(t, bs)
	for i, s := range []struct{ region, subnet string }{{"us-central1", "shop-primary"}, {"us-east1", "shop-secondary"}} {
		tier := plan.Find("scalestack:gcp:WebTier", "shop-"+s.region)
		tmpl := plan.FindIn(tier, "gcp:compute/instanceTemplate:InstanceTemplate", "shop-"+s.region)
		mig := plan.FindIn(tier, typeMIG, "shop-"+s.region)
		subnet := plan.FindIn(netc, typeSubnet, s.subnet)
		require.NotNil(t, tmpl, s.region)
		require.NotNil(t, mig, s.region)
		require.NotNil(t, subnet, s.region)
		testkit.AssertWired(t, tmpl, "networkInterfaces", subnet)
		assert.Equal(t, subnet.OutputString("selfLink"), tmpl.Input("networkInterfaces.0.subnetwork"))
		assert.Nil(t, tmpl.Input("networkInterfaces.0.accessConfigs"), "no public IP")
		assert.Equal(t, []any{"shop-web"}, tmpl.Input("tags"))
		testkit.AssertWired(t, mig, "versions", tmpl)

		// The backend service holds the group, primary first.
		testkit.AssertWired(t, bs, "backends", mig)
		assert.Equal(t, mig.OutputString("instanceGroup"), bs.Input("backends."+[]string{"0", "1"}[i]+".group"))
		assert.Contains(t, bs.Input("backends."+[]string{"0", "1"}[i]+".group"), "/regions/"+s.region+"/")
	}

	// Cloud CDN on the backend service and on the static bucket's backend.
	assert.Equal(t, true, bs.Input("enableCdn"))
	bucket := plan.FindIn(lbc, "gcp:storage/bucket:Bucket", "shop-static")
	bb := plan.FindIn(lbc, "gcp:compute/backendBucket:BackendBucket", "shop-static")
	require.NotNil(t, bucket)
	require.NotNil(t, bb)
	assert.Equal(t, true, bb.Input("enableCdn"))
	testkit.AssertWired(t, bb, "bucketName", bucket)
	assert.Equal(t, true, bucket.Input("uniformBucketLevelAccess"))

	// HTTPS for the configured domain, on the anycast address.
	cert := plan.FindIn(lbc, "gcp:compute/managedSslCertificate:ManagedSslCertificate", "shop")
	require.NotNil(t, cert)
	assert.Equal(t, []any{"shop.example.com"}, cert.Input("managed.domains"))
	https := plan.FindIn(lbc, "gcp:compute/globalForwardingRule:GlobalForwardingRule", "shop-https")
	addr := plan.FindIn(lbc, "gcp:compute/globalAddress:GlobalAddress", "shop")
	require.NotNil(t, https)
	require.NotNil(t, addr)
	testkit.AssertWired(t, https, "ipAddress", addr)
	assert.EqualValues(t, "443", https.InputString("portRange"))
	assert.Equal(t, "https://shop.example.com/", plan.Outputs["url"])
	assert.Equal(t, addr.OutputString("address"), plan.Outputs["address"])
	assert.Equal(t, bucket.OutputString("name"), plan.Outputs["staticBucket"])
}

// TestWithoutDomain serves plain HTTP on the address (which the policy pack flags).
func TestWithoutDomain(t *testing.T) {
	plan, err := testkit.RunExports(program, testkit.Project(project), stackConfig(map[string]string{project + ":domain": ""}))
	require.NoError(t, err)
	testkit.AssertCounts(t, plan, map[string]int{
		"gcp:compute/managedSslCertificate:ManagedSslCertificate": 0,
		"gcp:compute/globalForwardingRule:GlobalForwardingRule":   1,
	})
	assert.Regexp(t, `^http://[0-9.]+/$`, plan.Outputs["url"])
}

// TestMissingProject fails before any resource is registered and names the key.
func TestMissingProject(t *testing.T) {
	_, err := testkit.RunExports(program, testkit.Project(project), stackConfig(map[string]string{project + ":gcpProject": ""}))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "missing required configuration variable 'gcpProject'")
}
