package backend_test

import (
	"strings"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scalestack/scalestack/components/aws/backend"
	"github.com/scalestack/scalestack/testkit"
)

const (
	tRDS        = "aws:rds/instance:Instance"
	tRecord     = "aws:route53/record:Record"
	tHealth     = "aws:route53/healthCheck:HealthCheck"
	tDist       = "aws:cloudfront/distribution:Distribution"
	tLB         = "aws:lb/loadBalancer:LoadBalancer"
	tASG        = "aws:autoscaling/group:Group"
	tSelection  = "aws:backup/selection:Selection"
	tAlarm      = "aws:cloudwatch/metricAlarm:MetricAlarm"
	tTopic      = "aws:sns/topic:Topic"
	tCert       = "aws:acm/certificate:Certificate"
	tListener   = "aws:lb/listener:Listener"
	tCertValid  = "aws:acm/certificateValidation:CertificateValidation"
	tBackupPlan = "aws:backup/plan:Plan"
)

// pair builds a Backend over us-east-1 and eu-west-1 (edge = us-east-1), with mutate applied.
func pair(mutate func(a *backend.Args)) func(ctx *pulumi.Context) error {
	return func(ctx *pulumi.Context) error {
		use1, err := aws.NewProvider(ctx, "aws-us-east-1", &aws.ProviderArgs{Region: pulumi.String("us-east-1")})
		if err != nil {
			return err
		}
		euw1, err := aws.NewProvider(ctx, "aws-eu-west-1", &aws.ProviderArgs{Region: pulumi.String("eu-west-1")})
		if err != nil {
			return err
		}
		a := &backend.Args{
			Primary:    backend.Region{Provider: use1, Name: "us-east-1"},
			Secondary:  &backend.Region{Provider: euw1, Name: "eu-west-1"},
			Edge:       use1,
			Domain:     "shop.example.org",
			CDN:        true,
			AlertEmail: "ops@example.org",
			Web:        backend.Web{MinSize: 2, MaxSize: 8, DesiredSize: 3},
			Database:   backend.Database{ReadReplicas: 1, CrossRegionReplica: true, DeletionProtection: true, HighAvailability: true},
			Backup:     &backend.Backup{RetentionDays: 35, WeeklyRetentionDays: 90, CopyToSecondary: true},
		}
		if mutate != nil {
			mutate(a)
		}
		_, err = backend.New(ctx, "shop", a)
		return err
	}
}

func run(t *testing.T, mutate func(a *backend.Args)) *testkit.Plan {
	t.Helper()
	plan, err := testkit.Run(pair(mutate))
	require.NoError(t, err)
	return plan
}

func TestEveryResourceIsUnderTheBackendWithAnExplicitProvider(t *testing.T) {
	plan := run(t, nil)
	root := plan.Find(backend.TypeToken, "shop")
	require.NotNil(t, root)
	under := map[string]bool{}
	for _, r := range plan.Descendants(root.URN) {
		under[r.URN] = true
	}
	for _, r := range plan.Resources {
		if r.IsProvider() || r == root {
			continue
		}
		assert.True(t, under[r.URN], "%s is not parented (transitively) to the backend", r.URN)
		if r.Custom {
			assert.NotEmpty(t, r.Provider, "%s uses the default provider: regions must be explicit", r.URN)
			assert.NotEmpty(t, r.Region(), "%s has no region", r.URN)
		}
	}
}

func TestRegionsGetTheirOwnTiers(t *testing.T) {
	plan := run(t, nil)
	regionOf := func(typ string) []string {
		var out []string
		for _, r := range plan.ByType(typ) {
			out = append(out, r.Region())
		}
		return out
	}
	assert.ElementsMatch(t, []string{"us-east-1", "eu-west-1"}, regionOf(tLB))
	assert.ElementsMatch(t, []string{"us-east-1", "eu-west-1"}, regionOf(tASG))
	assert.ElementsMatch(t, []string{"us-east-1", "us-east-1", "eu-west-1"}, regionOf(tRDS), "primary and replica in the primary region, cross-region replica in the secondary")

	pri := plan.Find(tASG, "shop-primary-web")
	sec := plan.Find(tASG, "shop-secondary-web")
	require.NotNil(t, pri)
	require.NotNil(t, sec)
	assert.EqualValues(t, 3, pri.Input("desiredCapacity"))
	assert.EqualValues(t, 2, sec.Input("desiredCapacity"), "the secondary is a warm standby at its minimum")
	assert.EqualValues(t, 8, sec.Input("maxSize"), "the standby can grow to the primary's maximum on failover")
}

func TestDatabaseWiring(t *testing.T) {
	plan := run(t, nil)
	primary := plan.Find(tRDS, "shop-db")
	replica := plan.Find(tRDS, "shop-db-replica-1")
	cross := plan.Where(func(r *testkit.Resource) bool { return r.Type == tRDS && r.Region() == "eu-west-1" })
	require.NotNil(t, primary)
	require.NotNil(t, replica)
	require.Len(t, cross, 1)
	assert.True(t, replica.InputFrom("replicateSourceDb", primary))
	assert.True(t, cross[0].InputFrom("replicateSourceDb", primary))
	assert.Equal(t, true, primary.Input("multiAz"))
	assert.Equal(t, true, primary.Input("deletionProtection"))
	assert.Equal(t, true, primary.Input("storageEncrypted"))
	assert.Equal(t, false, primary.Input("publiclyAccessible"))

	// Only the web tier's security group reaches the primary database.
	webSG := plan.Find("aws:ec2/securityGroup:SecurityGroup", "shop-primary-web")
	require.NotNil(t, webSG, "web tier security group")
	dbSG := plan.Find("aws:ec2/securityGroup:SecurityGroup", "shop-db-sg")
	require.NotNil(t, dbSG)
	assert.True(t, dbSG.InputFrom("ingress", webSG), "the database admits the web tier's security group")
	assert.Len(t, dbSG.Input("ingress"), 1)
	assert.Nil(t, dbSG.Input("ingress.0.cidrBlocks"), "no address ranges reach the database")
	assert.EqualValues(t, 5432, dbSG.Input("ingress.0.fromPort"))
}

func TestFailoverAndCDNWiring(t *testing.T) {
	plan := run(t, nil)
	// The failover records use the health checks, and alias the regions' load balancers.
	priLB, secLB := plan.Find(tLB, "shop-primary-lb"), plan.Find(tLB, "shop-secondary-lb")
	require.NotNil(t, priLB)
	require.NotNil(t, secLB)
	checks := plan.ByType(tHealth)
	require.Len(t, checks, 2)
	var primaryRec, secondaryRec *testkit.Resource
	for _, r := range plan.ByType(tRecord) {
		switch r.Input("failoverRoutingPolicies.0.type") {
		case "PRIMARY":
			primaryRec = r
		case "SECONDARY":
			secondaryRec = r
		}
	}
	require.NotNil(t, primaryRec)
	require.NotNil(t, secondaryRec)
	assert.Equal(t, "origin.shop.example.org", primaryRec.Input("name"))
	assert.True(t, primaryRec.InputFrom("aliases", priLB))
	assert.True(t, secondaryRec.InputFrom("aliases", secLB))
	assert.True(t, primaryRec.InputFrom("healthCheckId", checks[0]) || primaryRec.InputFrom("healthCheckId", checks[1]))
	assert.NotEqual(t, primaryRec.Input("healthCheckId"), secondaryRec.Input("healthCheckId"))
	for _, hc := range checks {
		assert.Equal(t, "HTTPS", hc.Input("type"))
		assert.Equal(t, "/healthz", hc.Input("resourcePath"))
	}

	// CloudFront: its origins are the failover name and the secondary origin name.
	dist := plan.ByType(tDist)
	require.Len(t, dist, 1)
	var origins []any
	for i := 0; ; i++ {
		d := dist[0].Input("origins." + itoa(i) + ".domainName")
		if d == nil {
			break
		}
		origins = append(origins, d)
	}
	assert.Contains(t, origins, "origin.shop.example.org")
	assert.Contains(t, origins, "origin-secondary.shop.example.org")
	// Its certificate comes from us-east-1 and the apex aliases the distribution.
	edge := plan.Find(tCertValid, "shop-edge-cert-validation")
	if edge == nil {
		for _, c := range plan.ByType(tCertValid) {
			if strings.HasPrefix(c.Name, "shop-edge-cert") {
				edge = c
			}
		}
	}
	require.NotNil(t, edge)
	assert.Equal(t, "us-east-1", edge.Region())
	assert.True(t, dist[0].InputFrom("viewerCertificate", edge))
	apex := plan.Where(func(r *testkit.Resource) bool {
		return r.Type == tRecord && r.Input("name") == "shop.example.org" && r.Input("type") == "A"
	})
	require.Len(t, apex, 1)
	assert.True(t, apex[0].InputFrom("aliases", dist[0]))
}

func TestHTTPSListenersUseTheRegionalCertificates(t *testing.T) {
	plan := run(t, nil)
	for _, role := range []string{"primary", "secondary"} {
		var valid *testkit.Resource
		for _, c := range plan.ByType(tCertValid) {
			if strings.HasPrefix(c.Name, "shop-"+role+"-cert") {
				valid = c
			}
		}
		require.NotNil(t, valid, role)
		found := false
		for _, l := range plan.ByType(tListener) {
			if l.Input("protocol") == "HTTPS" && plan.Component(l).Name == "shop-"+role+"-lb" {
				found = true
				assert.True(t, l.InputFrom("certificateArn", valid), "%s listener uses the %s certificate", l.Name, role)
				assert.Equal(t, valid.Region(), l.Region())
			}
		}
		assert.True(t, found, "%s has an HTTPS listener", role)
	}
}

// TestAWSBackupSelectsListedOrTaggedSoOnlyTheDatabaseIsListed: the backup selection covers
// only what holds state (rule and source in the body), and every alarm
// notifies its own region.
func TestAWSBackupSelectsListedOrTaggedSoOnlyTheDatabaseIsListed(t *testing.T) {
	plan := run(t, nil)
	sel := plan.ByType(tSelection)
	require.Len(t, sel, 1)
	assert.True(t, sel[0].InputFrom("resources", plan.Find(tRDS, "shop-db")), "the selection covers the database")
	// AWS Backup backs up what holds state: the database, not the stateless instances of the
	// web tiers (an ASG replaces them from the launch template; daily AMIs and snapshot copies
	// of them protect nothing and cost cross-region copies). AWS Backup selects a resource
	// when it is listed in resources OR matches a selection tag ("Assigning resources to a
	// backup plan", AWS Backup developer guide), so there must be no tag condition at all.
	assert.Nil(t, sel[0].Input("selectionTags"), "no tag selects the web instances")
	assert.Len(t, sel[0].Input("resources"), 1, "only the primary database")
	for _, lt := range plan.ByType("aws:ec2/launchTemplate:LaunchTemplate") {
		assert.Nil(t, lt.Input("tagSpecifications.0.tags.scalestack-backup"), "%s instances carry no backup tag", lt.Name)
	}
	plans := plan.ByType(tBackupPlan)
	require.Len(t, plans, 1)
	assert.NotNil(t, plans[0].Input("rules.0.copyActions.0.destinationVaultArn"), "backups are copied to the secondary region")

	topics := plan.ByType(tTopic)
	require.Len(t, topics, 2)
	policies := plan.ByType("aws:autoscaling/policy:Policy")
	for _, alarm := range plan.ByType(tAlarm) {
		scaling := false
		for _, p := range policies {
			scaling = scaling || alarm.InputFrom("alarmActions", p)
		}
		if scaling {
			assert.Equal(t, "scalestack:aws:WebTier", plan.Component(alarm).Type, "%s drives step scaling", alarm.Name)
			continue
		}
		notified := false
		for _, tp := range topics {
			if alarm.InputFrom("alarmActions", tp) {
				notified = true
				assert.Equal(t, tp.Region(), alarm.Region(), "%s notifies its own region's topic", alarm.Name)
			}
		}
		assert.True(t, notified, "%s notifies a topic", alarm.Name)
	}
}

func TestSingleRegionWithoutDomainSaysWhatItLeftOut(t *testing.T) {
	var notes []string
	plan, err := testkit.Run(func(ctx *pulumi.Context) error {
		p, err := aws.NewProvider(ctx, "aws-us-east-1", &aws.ProviderArgs{Region: pulumi.String("us-east-1")})
		if err != nil {
			return err
		}
		b, err := backend.New(ctx, "solo", &backend.Args{Primary: backend.Region{Provider: p, Name: "us-east-1"}, CDN: true})
		if err == nil {
			notes = b.Notes
		}
		return err
	})
	require.NoError(t, err)
	assert.Empty(t, plan.ByType(tDist), "no CDN without a domain")
	assert.Empty(t, plan.ByType(tHealth))
	assert.Empty(t, plan.ByType(tCert))
	assert.Len(t, plan.ByType(tLB), 1)
	assert.Len(t, plan.ByType(tRDS), 1)
	require.Len(t, notes, 3)
	assert.Contains(t, notes[0], "no domain")
	assert.Contains(t, notes[1], "single region")
	assert.Contains(t, notes[2], "no AWS Backup plan")
	for _, l := range plan.ByType(tListener) {
		assert.Equal(t, "HTTP", l.Input("protocol"))
	}
}

func TestAddingTheSecondaryRegionOrAReplicaKeepsEveryURN(t *testing.T) {
	single := run(t, func(a *backend.Args) {
		a.Secondary = nil
		a.Database.CrossRegionReplica = false
		a.Backup.CopyToSecondary = false
	})
	both := run(t, nil)
	assert.Empty(t, testkit.MissingURNs(single, both))
	more := run(t, func(a *backend.Args) { a.Database.ReadReplicas = 3 })
	assert.Empty(t, testkit.MissingURNs(both, more))
	assert.Len(t, more.ByType(tRDS), len(both.ByType(tRDS))+2)
}

func TestValidation(t *testing.T) {
	cases := map[string]struct {
		mutate func(a *backend.Args)
		want   string
	}{
		"no provider":       {func(a *backend.Args) { a.Primary.Provider = nil }, "Primary.Provider is required"},
		"bad region":        {func(a *backend.Args) { a.Primary.Name = "Virginia" }, `Primary.Name "Virginia" is not an AWS region`},
		"same region":       {func(a *backend.Args) { a.Secondary.Name = "us-east-1" }, `Secondary.Name "us-east-1" equals Primary.Name`},
		"same cidr":         {func(a *backend.Args) { a.Secondary.CIDRBlock = "10.0.0.0/16" }, `Secondary.CIDRBlock "10.0.0.0/16" overlaps Primary.CIDRBlock`},
		"zones":             {func(a *backend.Args) { a.AvailabilityZoneCount = 4 }, "AvailabilityZoneCount 4 is not allowed: want 2 or 3"},
		"domain":            {func(a *backend.Args) { a.Domain = "not a domain" }, `Domain "not a domain" is not a DNS name`},
		"edge":              {func(a *backend.Args) { a.Edge = nil }, "Edge is required with CDN and Domain"},
		"replica no region": {func(a *backend.Args) { a.Secondary = nil }, "Database.CrossRegionReplica needs Secondary"},
		"copy no region":    {func(a *backend.Args) { a.Secondary = nil; a.Database.CrossRegionReplica = false }, "Backup.CopyToSecondary needs Secondary"},
		"sizes":             {func(a *backend.Args) { a.Web.MinSize = 5 }, "Web sizes min 5, desired 3, max 8 are not allowed"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			var registered int
			_, err := testkit.Run(pair(tc.mutate), testkit.OnNewResource(func(r *testkit.Resource) error {
				if !r.IsProvider() {
					registered++
				}
				return nil
			}))
			require.Error(t, err)
			assert.Contains(t, err.Error(), `backend "shop": `+tc.want)
			assert.Zero(t, registered, "bad input registers nothing")
		})
	}
}

func itoa(i int) string { return string(rune('0' + i)) }

func TestCloudFrontIsGuardedByAWebACLInUSEast1(t *testing.T) {
	plan := run(t, func(a *backend.Args) { a.WAF.RateLimitPer5Minutes = 500 })
	acls := plan.ByType("aws:wafv2/webAcl:WebAcl")
	require.Len(t, acls, 1)
	assert.Equal(t, "us-east-1", acls[0].Region())
	assert.Equal(t, "CLOUDFRONT", acls[0].Input("scope"))
	assert.EqualValues(t, 500, acls[0].Input("rules.3.statement.rateBasedStatement.limit"))
	dist := plan.ByType(tDist)
	require.Len(t, dist, 1)
	assert.True(t, dist[0].InputFrom("webAclId", acls[0]), "the distribution uses the web ACL")

	off := run(t, func(a *backend.Args) { a.DisableWAF = true })
	assert.Empty(t, off.ByType("aws:wafv2/webAcl:WebAcl"))
	assert.Nil(t, off.ByType(tDist)[0].Input("webAclId"))
}

func TestBadWAFSettingsRegisterNothing(t *testing.T) {
	registered := 0
	_, err := testkit.Run(pair(func(a *backend.Args) { a.WAF.Scope = "GLOBAL" }), testkit.OnNewResource(func(r *testkit.Resource) error {
		if !r.IsProvider() {
			registered++
		}
		return nil
	}))
	require.Error(t, err)
	assert.Contains(t, err.Error(), `backend "shop": WAF: Scope "GLOBAL" is not allowed`)
	assert.Zero(t, registered)
}
