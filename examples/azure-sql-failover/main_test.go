package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scalestack/scalestack/testkit"
)

const project = "azure-sql-failover"

func stackConfig(extra map[string]string) testkit.Option {
	cfg := map[string]string{
		project + ":sqlAdminGroup":    "sql-admins",
		project + ":sqlAdminObjectId": "11111111-2222-3333-4444-555555555555",
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

// TestProgram checks both halves of the failover: the SQL failover group between the two
// locations' servers, and Traffic Manager's priority endpoints on the two gateways.
func TestProgram(t *testing.T) {
	plan, err := testkit.RunExports(program, testkit.Project(project), stackConfig(nil))
	require.NoError(t, err)

	testkit.AssertCounts(t, plan, map[string]int{
		"pulumi:providers:azure-native":           2,
		"scalestack:azure:Network":                2,
		"scalestack:azure:Gateway":                2,
		"scalestack:azure:Database":               1,
		"scalestack:azure:Failover":               1,
		"azure-native:sql:Server":                 2,
		"azure-native:sql:Database":               2, // the database and its geo-secondary
		"azure-native:sql:FailoverGroup":          1,
		"azure-native:network:PrivateEndpoint":    4, // each location reaches both servers
		"azure-native:network:ApplicationGateway": 2,
		"azure-native:network:Profile":            1,
		"azure-native:network:Endpoint":           2,
	})

	// Placement: each location's components on that location's provider; the database's
	// secondary half on the secondary provider it was given in Args.
	for _, loc := range []string{"eastus2", "centralus"} {
		testkit.AssertPlaced(t, plan, plan.Find("scalestack:azure:Network", "shop-"+loc), loc)
		testkit.AssertPlaced(t, plan, plan.Find("scalestack:azure:Gateway", "shop-"+loc), loc)
	}
	dbc := plan.Find("scalestack:azure:Database", "shop-db")
	require.NotNil(t, dbc)
	var secondaryHalf []string
	for _, r := range plan.Owned(dbc, "") {
		if r.Custom && r.ProviderResource().Region() == "centralus" {
			secondaryHalf = append(secondaryHalf, r.Name)
		}
	}
	// The secondary server, its geo-secondary database and its private endpoint are in
	// centralus, and everything there belongs to the secondary server.
	assert.Subset(t, secondaryHalf, []string{"shop-db-secondary", "shop-db-geo", "shop-db-secondary-pe"})
	for _, n := range secondaryHalf {
		assert.True(t, n == "shop-db-geo" || strings.HasPrefix(n, "shop-db-secondary"), n)
	}
	testkit.AssertPlaced(t, plan, dbc, "eastus2", secondaryHalf...)
	tmc := plan.Find("scalestack:azure:Failover", "shop")
	testkit.AssertPlaced(t, plan, tmc, "eastus2")

	// The failover group joins the primary database to the partner server in centralus.
	primarySrv := plan.FindIn(dbc, "azure-native:sql:Server", "shop-db-primary")
	secondarySrv := plan.FindIn(dbc, "azure-native:sql:Server", "shop-db-secondary")
	primaryDB := plan.FindIn(dbc, "azure-native:sql:Database", "shop-db")
	geo := plan.FindIn(dbc, "azure-native:sql:Database", "shop-db-geo")
	fog := plan.FindIn(dbc, "azure-native:sql:FailoverGroup", "shop-db-fog")
	for _, r := range []*testkit.Resource{primarySrv, secondarySrv, primaryDB, geo, fog} {
		require.NotNil(t, r)
	}
	assert.Equal(t, "centralus", secondarySrv.Region())
	testkit.AssertWired(t, fog, "partnerServers", secondarySrv)
	testkit.AssertWired(t, fog, "databases", primaryDB)
	assert.Equal(t, []any{primaryDB.ID}, fog.Input("databases"))
	assert.Equal(t, secondarySrv.ID, fog.Input("partnerServers.0.id"))
	assert.Equal(t, "Manual", fog.Input("readWriteEndpoint.failoverPolicy"), "customer-managed failover")
	testkit.AssertWired(t, geo, "sourceDatabaseId", primaryDB)
	assert.Equal(t, "Secondary", geo.Input("createMode"))

	// Entra-only administration, no public network access, on both servers.
	for _, srv := range []*testkit.Resource{primarySrv, secondarySrv} {
		assert.Nil(t, srv.Input("administratorLoginPassword"), srv.Name)
		assert.Equal(t, true, srv.Input("administrators.azureADOnlyAuthentication"), srv.Name)
		assert.Equal(t, "sql-admins", srv.Input("administrators.login"), srv.Name)
		assert.Equal(t, "Disabled", srv.Input("publicNetworkAccess"), srv.Name)
	}

	// Each server is reached through a private endpoint in its own location's data subnet.
	for _, pair := range [][2]string{{"shop-db-primary-pe", "shop-eastus2"}, {"shop-db-secondary-pe", "shop-centralus"}} {
		pe := plan.FindIn(dbc, "azure-native:network:PrivateEndpoint", pair[0])
		data := plan.FindIn(plan.Find("scalestack:azure:Network", pair[1]), "azure-native:network:Subnet", pair[1]+"-data")
		require.NotNil(t, pe, pair[0])
		require.NotNil(t, data, pair[1])
		testkit.AssertWired(t, pe, "subnet", data)
	}

	// Traffic Manager: priority routing, the primary gateway's public IP first.
	profile := plan.FindIn(tmc, "azure-native:network:Profile", "shop")
	require.NotNil(t, profile)
	assert.Equal(t, "Priority", profile.Input("trafficRoutingMethod"))
	assert.Equal(t, "/healthz", profile.Input("monitorConfig.path"))
	for i, loc := range []string{"eastus2", "centralus"} {
		key := []string{"primary", "secondary"}[i]
		ep := plan.FindIn(tmc, "azure-native:network:Endpoint", "shop-"+key)
		ip := plan.FindIn(plan.Find("scalestack:azure:Gateway", "shop-"+loc), "azure-native:network:PublicIPAddress", "shop-"+loc+"-ip")
		require.NotNil(t, ep, key)
		require.NotNil(t, ip, loc)
		testkit.AssertWired(t, ep, "target", ip)
		testkit.AssertWired(t, ep, "profileName", profile)
		assert.EqualValues(t, i+1, ep.Input("priority"), key)
		assert.Equal(t, ip.Output("ipAddress"), ep.Input("target"), key)
		assert.Equal(t, "ExternalEndpoints", ep.Input("endpointType"), key)
	}

	assert.Equal(t, "http://"+profile.InputString("dnsConfig.relativeName")+".trafficmanager.net", plan.Outputs["url"])
	assert.Regexp(t, `^shop-db-fog[0-9a-f]+\.database\.windows\.net$`, plan.Outputs["sqlListener"])
	assert.Regexp(t, `\.secondary\.database\.windows\.net$`, plan.Outputs["sqlReadListener"])
}

// TestOtherLocations moves both sites; every resource follows its provider.
func TestOtherLocations(t *testing.T) {
	plan, err := testkit.RunExports(program, testkit.Project(project), stackConfig(map[string]string{
		project + ":primaryLocation": "westeurope", project + ":secondaryLocation": "northeurope",
	}))
	require.NoError(t, err)
	var regions []string
	for _, p := range plan.ByType("pulumi:providers:azure-native") {
		regions = append(regions, p.Region())
	}
	assert.ElementsMatch(t, []string{"westeurope", "northeurope"}, regions)
	assert.Equal(t, "northeurope", plan.Find("azure-native:sql:Server", "shop-db-secondary").Region())
}

// TestMissingAdmin fails before any resource is registered and names the key.
func TestMissingAdmin(t *testing.T) {
	_, err := testkit.RunExports(program, testkit.Project(project), stackConfig(map[string]string{project + ":sqlAdminObjectId": ""}))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "missing required configuration variable 'sqlAdminObjectId'")
}
