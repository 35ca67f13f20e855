package backend

import (
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/pulumi/pulumi-gcp/sdk/v7/go/gcp"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scalestack/scalestack/components/gcp/webtier"
	"github.com/scalestack/scalestack/testkit"
)

func full() *Args {
	return &Args{
		Project:     "my-project",
		Web:         Web{MinSize: 2, MaxSize: 6, RequestsPerMinutePerInstance: 600, PrimaryZones: webtier.DefaultZones("us-central1"), SecondaryZones: webtier.DefaultZones("us-east1")},
		Database:    Database{HighAvailability: true, DeletionProtection: true, ReadReplicas: 1, CrossRegionReplica: true},
		CDN:         true,
		Backup:      Backup{Location: "us"},
		Domain:      "app.example.com",
		ManagedZone: "example-com",
		AlertEmail:  "ops@example.com",
	}
}

func run(t *testing.T, args *Args, secondary bool) (*testkit.Plan, *Backend) {
	t.Helper()
	var b *Backend
	plan, err := testkit.Run(func(ctx *pulumi.Context) error {
		p, err := gcp.NewProvider(ctx, "gcp-us-central1", &gcp.ProviderArgs{Project: pulumi.String("my-project"), Region: pulumi.String("us-central1")})
		if err != nil {
			return err
		}
		if secondary {
			if args.SecondaryProvider, err = gcp.NewProvider(ctx, "gcp-us-east1", &gcp.ProviderArgs{Project: pulumi.String("my-project"), Region: pulumi.String("us-east1")}); err != nil {
				return err
			}
		}
		b, err = New(ctx, "app", args, pulumi.Provider(p))
		return err
	})
	require.NoError(t, err)
	return plan, b
}

func TestValidation(t *testing.T) {
	cases := []struct {
		mod  func(*Args)
		want string
	}{
		{func(a *Args) { a.Project = "" }, "Project is required"},
		{func(a *Args) { a.Database.CrossRegionReplica = true }, "Database.CrossRegionReplica is true without a SecondaryProvider"},
		{func(a *Args) { a.Web.MinSize, a.Web.MaxSize = 5, 2 }, "Web (primary): MinSize 5 is more than MaxSize 2"},
		{func(a *Args) { a.Web.Schedules = []webtier.Schedule{{Name: "x", Cron: "0 8 * * *", MinReplicas: 0}} }, "Web (primary): Schedules[0].MinReplicas 0 is not allowed"},
		{func(a *Args) { a.Web.PrimaryZones = nil }, "Web (primary): Zones [] is not allowed: want at least 2 zones"},
		{func(a *Args) { a.Database.ReadReplicas = 7 }, "Database: ReadReplicas 7 is not allowed"},
		{func(a *Args) { a.Backup.DailyAt = "noon" }, `Database: BackupStartTime "noon" is not allowed`},
		{func(a *Args) { a.Domain = "bad domain" }, `LoadBalancer: Domains[0] "bad domain" is not a DNS name`},
		{func(a *Args) { a.ManagedZone = "zone" }, `Failover: ManagedZone "zone" is set without a Domain`},
		{func(a *Args) { a.AlertEmail = "ops" }, `Monitoring: Email "ops" is not an email address`},
		{func(a *Args) { a.Web.Port = -1 }, "Network: WebPort -1 is not allowed"},
		{func(a *Args) { a.RateLimitPerMinutePerIP = 5 }, "LoadBalancer: RateLimitPerMinutePerIP 5 is not allowed"},
		// Memorystore allows read replicas only on nodes of 5 GB or more.
		{func(a *Args) { a.Cache = Cache{Enabled: true, Replicas: 3, MemoryGB: 1} }, "Cache: Replicas 3 is not allowed with MemoryGB 1"},
		{func(a *Args) { a.Cache = Cache{Enabled: true, EvictionPolicy: "lru"} }, `Cache: EvictionPolicy "lru" is not allowed`},
		// Pub/Sub's dead-letter policy counts 5-100 delivery attempts.
		{func(a *Args) { a.Queue = Queue{Enabled: true, MaxDeliveryAttempts: 3} }, "Queue: MaxDeliveryAttempts 3 is not allowed: want 5-100"},
		{func(a *Args) { a.Queue = Queue{Enabled: true, Workers: Workers{MinSize: 4, MaxSize: 2}} }, "Queue.Workers: MaxSize 2 is not allowed: want MinSize (4) to 1000"},
	}
	for _, c := range cases {
		a := &Args{Project: "my-project", Web: Web{PrimaryZones: webtier.DefaultZones("us-central1")}}
		c.mod(a)
		var registered atomic.Int32
		_, err := testkit.Run(func(ctx *pulumi.Context) error {
			_, err := New(ctx, "app", a)
			return err
		}, testkit.OnNewResource(func(*testkit.Resource) error { registered.Add(1); return nil }))
		require.Error(t, err, c.want)
		assert.Contains(t, err.Error(), `backend "app": `+c.want)
		assert.Zero(t, registered.Load(), "nothing is registered: %s", c.want)
	}
	a := &Args{Project: "my-project", Web: Web{PrimaryZones: webtier.DefaultZones("us-central1")}}
	_, err := testkit.Run(func(ctx *pulumi.Context) error {
		_, err := New(ctx, "9app", a)
		return err
	})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `backend "9app": Web (primary): NetworkTag "9app-web" is not allowed`)
}

func TestTwoRegions(t *testing.T) {
	plan, b := run(t, full(), true)
	assert.Empty(t, b.Notes)
	comp := plan.Find(typeToken, "app")
	require.NotNil(t, comp)

	kids := map[string]int{}
	for _, k := range plan.Children(comp.URN) {
		kids[k.Type]++
	}
	assert.Equal(t, map[string]int{
		"scalestack:gcp:Network": 1, "scalestack:gcp:WebTier": 2, "scalestack:gcp:DatabaseIAMUser": 2,
		"scalestack:gcp:LoadBalancer": 1, "scalestack:gcp:Database": 1, "scalestack:gcp:Failover": 1,
		"scalestack:gcp:Monitoring": 1, "scalestack:gcp:Dashboard": 1,
	}, kids, "the backend composes the resource components")

	byRegion := plan.CountByRegion()
	for _, region := range []string{"us-central1", "us-east1"} {
		assert.Equal(t, 1, byRegion[region]["gcp:compute/regionInstanceGroupManager:RegionInstanceGroupManager"], region)
		assert.Equal(t, 1, byRegion[region]["gcp:compute/regionAutoscaler:RegionAutoscaler"], region)
		assert.Zero(t, byRegion[region]["gcp:compute/resourcePolicy:ResourcePolicy"], "%s: no snapshot schedule on disposable instances", region)
		assert.Equal(t, 1, byRegion[region]["gcp:compute/subnetwork:Subnetwork"], region)
	}
	assert.Equal(t, 2, byRegion["us-central1"]["gcp:sql/databaseInstance:DatabaseInstance"])
	assert.Equal(t, 1, byRegion["us-east1"]["gcp:sql/databaseInstance:DatabaseInstance"])

	for _, r := range plan.Descendants(comp.URN) {
		assert.NotEmpty(t, r.Parent, r.URN)
		if r.Custom {
			assert.Contains(t, []string{"us-central1", "us-east1", "us"}, r.Region(), "%s has a known region", r.URN)
		}
	}

	// Both regions' groups sit behind the one backend service, which has CDN on.
	bs := plan.ByType("gcp:compute/backendService:BackendService")
	require.Len(t, bs, 1)
	migs := plan.ByType("gcp:compute/regionInstanceGroupManager:RegionInstanceGroupManager")
	require.Len(t, migs, 2)
	for _, mig := range migs {
		assert.True(t, bs[0].InputFrom("backends", mig), "backend service holds %s", mig.Name)
		as := plan.Find("gcp:compute/regionAutoscaler:RegionAutoscaler", mig.Name)
		assert.True(t, as.InputFrom("target", mig), "autoscaler targets %s", mig.Name)
		assert.Equal(t, 0.8, as.Input("autoscalingPolicy.loadBalancingUtilization.target"))
		assert.Equal(t, 2.0, as.Input("autoscalingPolicy.minReplicas"))
		tmpl := plan.Find("gcp:compute/instanceTemplate:InstanceTemplate", mig.Name)
		assert.Nil(t, tmpl.Input("disks.0.resourcePolicies"), mig.Name)
		assert.Len(t, mig.Input("distributionPolicyZones"), 3, mig.Name)
		assert.Equal(t, 3.0, mig.Input("updatePolicy.maxSurgeFixed"), mig.Name)
	}
	assert.Equal(t, true, bs[0].Input("enableCdn"))
	armor := plan.ByType("gcp:compute/securityPolicy:SecurityPolicy")
	require.Len(t, armor, 1)
	assert.True(t, bs[0].InputFrom("securityPolicy", armor[0]))
	assert.Equal(t, 1200.0, armor[0].Input("rules.0.rateLimitOptions.rateLimitThreshold.count"), "the default rate limit")
	assert.Equal(t, "RATE", bs[0].InputString("backends.1.balancingMode"))
	assert.Equal(t, 10.0, bs[0].Input("backends.1.maxRatePerInstance"))

	primary := plan.Find("gcp:sql/databaseInstance:DatabaseInstance", "app-db")
	conn := plan.Find("gcp:servicenetworking/connection:Connection", "app-private-services")
	assert.True(t, primary.InputFrom("settings", conn), "the database waits for private services access")
	for _, n := range []string{"app-db-replica-1", "app-db-replica-dr"} {
		assert.True(t, plan.Find("gcp:sql/databaseInstance:DatabaseInstance", n).InputFrom("masterInstanceName", primary))
	}
	ch := plan.Find("gcp:monitoring/notificationChannel:NotificationChannel", "app-email")
	policies := plan.ByType("gcp:monitoring/alertPolicy:AlertPolicy")
	assert.Len(t, policies, 9)
	for _, p := range policies {
		assert.True(t, p.InputFrom("notificationChannels", ch), p.Name)
	}
	lag := plan.Find("gcp:monitoring/alertPolicy:AlertPolicy", "app-db-replica-lag")
	assert.True(t, lag.InputFrom("conditions", plan.Find("gcp:sql/databaseInstance:DatabaseInstance", "app-db-replica-dr")))
	rec := plan.Find("gcp:dns/recordSet:RecordSet", "app")
	assert.True(t, rec.InputFrom("rrdatas", plan.Find("gcp:compute/globalAddress:GlobalAddress", "app")))
}

func TestSingleRegionNotesAndURNStability(t *testing.T) {
	a := full()
	a.Database.CrossRegionReplica = false
	single, b := run(t, a, false)
	assert.Len(t, b.Notes, 2)
	assert.Contains(t, b.Notes[0], "no second serving web tier")
	assert.Len(t, single.ByType("gcp:compute/regionInstanceGroupManager:RegionInstanceGroupManager"), 1)
	assert.Empty(t, single.ByType("gcp:compute/resourcePolicy:ResourcePolicy"))
	assert.Len(t, single.ByType("gcp:sql/databaseInstance:DatabaseInstance"), 2)

	double, _ := run(t, full(), true)
	assert.Empty(t, testkit.MissingURNs(single, double), "adding the secondary region keeps every URN")
	more := full()
	more.Database.ReadReplicas = 3
	triple, _ := run(t, more, true)
	assert.Empty(t, testkit.MissingURNs(double, triple), "adding replicas keeps every URN")
}

// TestWebServiceAccountsSignInToCloudSQL: Cloud SQL IAM database authentication needs, for
// each web tier's service account, a CLOUD_IAM_SERVICE_ACCOUNT user named after its email
// without ".gserviceaccount.com" and the roles roles/cloudsql.instanceUser and
// roles/cloudsql.client (https://cloud.google.com/sql/docs/postgres/iam-logins); the
// instances learn where the database is from their metadata, and the secondary region
// reads from its own cross-region replica.
func TestWebServiceAccountsSignInToCloudSQL(t *testing.T) {
	plan, b := run(t, full(), true)
	primary := plan.Find("gcp:sql/databaseInstance:DatabaseInstance", "app-db")
	dr := plan.Find("gcp:sql/databaseInstance:DatabaseInstance", "app-db-replica-dr")
	replica := plan.Find("gcp:sql/databaseInstance:DatabaseInstance", "app-db-replica-1")
	users := map[string]string{}
	for _, key := range []string{"primary", "secondary"} {
		sa := plan.Find("gcp:serviceaccount/account:Account", "app-web-"+key)
		require.NotNil(t, sa, key)
		u := plan.Find("gcp:sql/user:User", "app-db-iam-"+key)
		require.NotNil(t, u, key)
		assert.Equal(t, "CLOUD_IAM_SERVICE_ACCOUNT", u.InputString("type"))
		assert.Equal(t, "app-web-"+key+"@my-project.iam", u.InputString("name"))
		assert.True(t, u.InputFrom("instance", primary), "%s: the user is created on the primary", key)
		assert.Equal(t, "gcp-us-central1", u.ProviderResource().Name, "users live with the primary")
		users[key] = u.InputString("name")
		for _, role := range []string{"client", "instance-user"} {
			m := plan.Find("gcp:projects/iAMMember:IAMMember", "app-db-iam-"+key+"-"+role)
			require.NotNil(t, m, role)
			assert.True(t, m.InputFrom("member", sa), "%s %s", key, role)
			for _, db := range []*testkit.Resource{primary, replica, dr} {
				assert.Contains(t, m.InputString("condition.expression"), "instances/"+db.OutputString("name")+"'", "%s %s covers %s", key, role, db.Name)
			}
		}
		tmpl := plan.Find("gcp:compute/instanceTemplate:InstanceTemplate", "app-web-"+key)
		assert.Equal(t, primary.OutputString("connectionName"), tmpl.InputString("metadata."+MetadataDBConnectionName), key)
		assert.Equal(t, primary.OutputString("privateIpAddress"), tmpl.InputString("metadata."+MetadataDBHost), "%s writes to the primary", key)
		assert.Equal(t, "app", tmpl.InputString("metadata."+MetadataDBName), key)
		assert.True(t, tmpl.InputFrom("metadata", primary), key)
	}
	assert.Equal(t, replica.OutputString("privateIpAddress"), plan.Find("gcp:compute/instanceTemplate:InstanceTemplate", "app-web-primary").InputString("metadata."+MetadataDBReadHosts))
	assert.Equal(t, dr.OutputString("privateIpAddress"), plan.Find("gcp:compute/instanceTemplate:InstanceTemplate", "app-web-secondary").InputString("metadata."+MetadataDBReadHosts), "the secondary reads from its own region")
	_ = b
}

// TestBothRegionsServeAtFullCapacity: a global external Application Load Balancer has no
// failover backends (failoverPolicy exists only on pulumi-gcp's RegionBackendService, for
// passthrough Network Load Balancers; the global BackendService has none) and a
// capacityScaler of 0 drains a backend
// (https://cloud.google.com/load-balancing/docs/backend-service#capacity_scaler), so the
// secondary cannot be a standby that still takes traffic on failover. Both regions serve at
// full capacity (active-active, documented with its latency cost).
func TestBothRegionsServeAtFullCapacity(t *testing.T) {
	plan, _ := run(t, full(), true)
	bs := plan.Find("gcp:compute/backendService:BackendService", "app")
	assert.Equal(t, "EXTERNAL_MANAGED", bs.InputString("loadBalancingScheme"))
	backends, _ := bs.Input("backends").([]any)
	require.Len(t, backends, 2)
	for i := range backends {
		assert.Equal(t, 1.0, bs.Input(fmt.Sprintf("backends.%d.capacityScaler", i)))
	}
}
