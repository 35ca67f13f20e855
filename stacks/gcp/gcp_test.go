package gcpstack_test

import (
	"sync/atomic"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	gcpstack "github.com/scalestack/scalestack/stacks/gcp"
	"github.com/scalestack/scalestack/stacks/spec"
	"github.com/scalestack/scalestack/testkit"
)

func program(ctx *pulumi.Context) (pulumi.Map, error) {
	s, err := spec.Load(ctx)
	if err != nil {
		return nil, err
	}
	return gcpstack.Build(ctx, s)
}

func run(t testing.TB, cfg map[string]string, opts ...testkit.Option) *testkit.Plan {
	t.Helper()
	plan, err := testkit.RunExports(program, append([]testkit.Option{testkit.Config(cfg)}, opts...)...)
	require.NoError(t, err)
	return plan
}

func devConfig() map[string]string {
	return map[string]string{
		"scalestack:cloud":       "gcp",
		"scalestack:environment": "dev",
		"scalestack:alerts":      `{"email":"ops@example.com"}`,
		"scalestack:gcp":         `{"project":"my-project","primaryRegion":"us-central1"}`,
	}
}

func prodConfig() map[string]string {
	return map[string]string{
		"scalestack:cloud":       "gcp",
		"scalestack:environment": "prod",
		"scalestack:web":         `{"minSize":2,"maxSize":8}`,
		"scalestack:alerts":      `{"email":"ops@example.com"}`,
		"scalestack:domain":      `{"name":"app.example.com"}`,
		"scalestack:gcp":         `{"project":"my-project","primaryRegion":"us-central1","secondaryRegion":"us-east1","dnsZone":"example-com"}`,
	}
}

func TestDevCountsByRegion(t *testing.T) {
	plan := run(t, devConfig())
	assert.Equal(t, map[string]map[string]int{
		"":   {"gcp:projects/service:Service": 11, "pulumi:providers:gcp": 1},
		"us": {"gcp:storage/bucket:Bucket": 1},
		"us-central1": {
			"pulumi:providers:gcp":                                              1,
			"gcp:compute/backendBucket:BackendBucket":                           1,
			"gcp:compute/backendService:BackendService":                         1,
			"gcp:compute/securityPolicy:SecurityPolicy":                         1,
			"gcp:compute/firewall:Firewall":                                     5,
			"gcp:compute/globalAddress:GlobalAddress":                           2,
			"gcp:compute/globalForwardingRule:GlobalForwardingRule":             1,
			"gcp:compute/healthCheck:HealthCheck":                               3,
			"gcp:compute/instanceTemplate:InstanceTemplate":                     2,
			"gcp:compute/network:Network":                                       1,
			"gcp:compute/regionAutoscaler:RegionAutoscaler":                     2,
			"gcp:compute/regionInstanceGroupManager:RegionInstanceGroupManager": 2,
			"gcp:compute/router:Router":                                         1,
			"gcp:compute/routerNat:RouterNat":                                   1,
			"gcp:compute/subnetwork:Subnetwork":                                 1,
			"gcp:compute/targetHttpProxy:TargetHttpProxy":                       1,
			"gcp:compute/uRLMap:URLMap":                                         1,
			"gcp:monitoring/alertPolicy:AlertPolicy":                            11,
			"gcp:monitoring/dashboard:Dashboard":                                1,
			"gcp:monitoring/notificationChannel:NotificationChannel":            1,
			"gcp:monitoring/uptimeCheckConfig:UptimeCheckConfig":                1,
			"gcp:projects/iAMMember:IAMMember":                                  6,
			"gcp:projects/serviceIdentity:ServiceIdentity":                      1,
			"gcp:pubsub/subscription:Subscription":                              2,
			"gcp:pubsub/subscriptionIAMMember:SubscriptionIAMMember":            2,
			"gcp:pubsub/topic:Topic":                                            2,
			"gcp:pubsub/topicIAMMember:TopicIAMMember":                          2,
			"gcp:redis/instance:Instance":                                       1,
			"gcp:secretmanager/secret:Secret":                                   1,
			"gcp:secretmanager/secretIamMember:SecretIamMember":                 2,
			"gcp:secretmanager/secretVersion:SecretVersion":                     1,
			"gcp:serviceaccount/account:Account":                                2,
			"gcp:servicenetworking/connection:Connection":                       1,
			"gcp:sql/database:Database":                                         1,
			"gcp:sql/databaseInstance:DatabaseInstance":                         1,
			"gcp:sql/user:User":                                                 1,
			"gcp:storage/bucketIAMMember:BucketIAMMember":                       1,
		},
	}, customCountsByRegion(plan), "components are counted below: their region is the first child's")
	assert.Equal(t, map[string]int{
		"scalestack:gcp:Backend": 1, "scalestack:gcp:Database": 1, "scalestack:gcp:DatabaseIAMUser": 1, "scalestack:gcp:Failover": 1,
		"scalestack:gcp:LoadBalancer": 1, "scalestack:gcp:Monitoring": 1, "scalestack:gcp:Network": 1, "scalestack:gcp:WebTier": 1,
		"scalestack:gcp:Cache": 1, "scalestack:gcp:Queue": 1, "scalestack:gcp:Worker": 1, "scalestack:gcp:Dashboard": 1,
	}, componentCounts(plan))

	assert.Equal(t, "http://"+plan.Outputs["address"].(string)+"/", plan.Outputs["url"])
	assert.Equal(t, true, plan.Outputs["cdnEnabled"])
	assert.Equal(t, []any{}, plan.Outputs["replicaNames"])
	assert.Equal(t, "", plan.Outputs["crossRegionReplicaConnectionName"])
	assert.Nil(t, plan.Outputs["secondaryRegion"])
	notes := plan.Outputs["notes"].([]any)
	assert.Contains(t, notes, "single region: no cross-region database replica")
	assert.Contains(t, notes, "no domain: the load balancer serves plain HTTP on its address, without a certificate")
	logged := map[string]string{}
	for _, l := range plan.Logs {
		logged[l.Message] = l.Severity
	}
	for _, n := range notes {
		assert.Equal(t, "info", logged["gcp: "+n.(string)], "the note %q is logged", n)
	}
	assert.Equal(t, "warning", logged[`load balancer "app" has no domains: serving plain HTTP on its address, without TLS`])
}

func TestProdCountsByRegion(t *testing.T) {
	plan := run(t, prodConfig(), testkit.Stack("prod"))
	counts := customCountsByRegion(plan)
	assert.Equal(t, map[string]int{
		"scalestack:gcp:Backend": 1, "scalestack:gcp:Database": 1, "scalestack:gcp:DatabaseIAMUser": 2, "scalestack:gcp:Failover": 1,
		"scalestack:gcp:LoadBalancer": 1, "scalestack:gcp:Monitoring": 1, "scalestack:gcp:Network": 1, "scalestack:gcp:WebTier": 2,
		"scalestack:gcp:Cache": 1, "scalestack:gcp:Queue": 1, "scalestack:gcp:Worker": 1, "scalestack:gcp:Dashboard": 1,
	}, componentCounts(plan), "the cache, the queue and the workers are in the primary region only")
	assert.Equal(t, map[string]int{"gcp:projects/service:Service": 12, "pulumi:providers:gcp": 1}, counts[""], "dns, redis, secretmanager and pubsub too, through the region-less project provider")
	assert.Equal(t, map[string]int{"gcp:storage/bucket:Bucket": 1}, counts["us"])
	assert.Equal(t, map[string]int{
		"pulumi:providers:gcp":                                              1,
		"gcp:compute/healthCheck:HealthCheck":                               1,
		"gcp:compute/instanceTemplate:InstanceTemplate":                     1,
		"gcp:compute/regionAutoscaler:RegionAutoscaler":                     1,
		"gcp:compute/regionInstanceGroupManager:RegionInstanceGroupManager": 1,
		"gcp:compute/router:Router":                                         1,
		"gcp:compute/routerNat:RouterNat":                                   1,
		"gcp:compute/subnetwork:Subnetwork":                                 1,
		"gcp:projects/iAMMember:IAMMember":                                  2,
		"gcp:serviceaccount/account:Account":                                1,
		"gcp:sql/databaseInstance:DatabaseInstance":                         1,
	}, counts["us-east1"], "the second serving region")
	primary := counts["us-central1"]
	for typ, want := range map[string]int{
		"gcp:compute/globalForwardingRule:GlobalForwardingRule":             2,
		"gcp:compute/managedSslCertificate:ManagedSslCertificate":           1,
		"gcp:compute/sSLPolicy:SSLPolicy":                                   1,
		"gcp:compute/targetHttpsProxy:TargetHttpsProxy":                     1,
		"gcp:compute/targetHttpProxy:TargetHttpProxy":                       1,
		"gcp:compute/uRLMap:URLMap":                                         2,
		"gcp:dns/recordSet:RecordSet":                                       1,
		"gcp:monitoring/alertPolicy:AlertPolicy":                            13,
		"gcp:monitoring/dashboard:Dashboard":                                1,
		"gcp:redis/instance:Instance":                                       1,
		"gcp:pubsub/topic:Topic":                                            2,
		"gcp:pubsub/subscription:Subscription":                              2,
		"gcp:pubsub/topicIAMMember:TopicIAMMember":                          3,
		"gcp:secretmanager/secretIamMember:SecretIamMember":                 3,
		"gcp:sql/databaseInstance:DatabaseInstance":                         2,
		"gcp:sql/user:User":                                                 2,
		"gcp:projects/iAMMember:IAMMember":                                  8,
		"gcp:compute/firewall:Firewall":                                     5,
		"gcp:compute/regionInstanceGroupManager:RegionInstanceGroupManager": 2,
		"gcp:compute/backendService:BackendService":                         1,
	} {
		assert.Equal(t, want, primary[typ], typ)
	}
	assert.Len(t, primary, 41)
	total := 0
	for _, n := range primary {
		total += n
	}
	assert.Equal(t, 82, total, "with each region's database IAM user and its two role grants, the database egress rule, and the cache, queue, workers and dashboard")
	assert.Len(t, plan.Resources, 122, "12 APIs and their project provider, 1 bucket, 12 in the secondary region, 82 in the primary, 14 components")

	assert.Equal(t, "https://app.example.com/", plan.Outputs["url"])
	assert.Equal(t, map[string]any{"primary": "app-web-primary@my-project.iam", "secondary": "app-web-secondary@my-project.iam"}, plan.Outputs["databaseUsers"], "the IAM database users the web tiers sign in as")
	assert.Equal(t, "us-east1", plan.Outputs["secondaryRegion"])
	assert.Len(t, plan.Outputs["replicaNames"], 1)
	assert.Contains(t, plan.Outputs["crossRegionReplicaConnectionName"], ":us-east1:app-db-replica-dr-")
	assert.Regexp(t, `^10\.\d+\.\d+\.\d+$`, plan.Outputs["databasePrivateIp"])
	assert.Contains(t, plan.Outputs["databaseConnectionName"], ":us-central1:app-db-")
	assert.Equal(t, []any{
		"backup.weeklyRetentionDays 90 (an environment default) is not used on gcp: Cloud SQL keeps daily backups only",
		gcpstack.SecondaryRegionTiersNote,
		"database.backupRetentionDays 14: Cloud SQL ENTERPRISE keeps 7 days of point-in-time recovery (ENTERPRISE_PLUS keeps up to 35) and 35 daily backups",
	}, plan.Outputs["notes"])
}

// customCountsByRegion counts custom resources and providers by region and type.
func customCountsByRegion(plan *testkit.Plan) map[string]map[string]int {
	out := map[string]map[string]int{}
	for _, r := range plan.Resources {
		if !r.Custom && !r.IsProvider() {
			continue
		}
		reg := r.Region()
		if out[reg] == nil {
			out[reg] = map[string]int{}
		}
		out[reg][r.Type]++
	}
	return out
}

// componentCounts counts the scalestack components by type.
func componentCounts(plan *testkit.Plan) map[string]int {
	out := map[string]int{}
	for _, r := range plan.Resources {
		if !r.Custom && !r.IsProvider() {
			out[r.Type]++
		}
	}
	return out
}

func TestProvidersServicesAndParents(t *testing.T) {
	plan := run(t, prodConfig(), testkit.Stack("prod"))
	services := plan.ByType("gcp:projects/service:Service")
	project := plan.Find("pulumi:providers:gcp", "gcp-project")
	require.NotNil(t, project, "the APIs are enabled through an explicit project provider")
	assert.Equal(t, "my-project", project.InputString("project"))
	assert.Nil(t, project.Input("region"))
	for _, s := range services {
		assert.Equal(t, false, s.Input("disableOnDestroy"), s.Name)
		assert.Equal(t, "my-project", s.InputString("project"))
		assert.Equal(t, project, s.ProviderResource(), "%s never falls back to the default provider", s.Name)
	}
	providers := plan.Where(func(r *testkit.Resource) bool { return r.IsProvider() && r.Name != "gcp-project" })
	require.Len(t, providers, 2)
	for _, p := range providers {
		assert.Equal(t, "my-project", p.InputString("project"))
		assert.Equal(t, "prod", p.InputString("defaultLabels.environment"))
		for _, s := range services {
			assert.True(t, p.DependsOn(s), "%s waits for %s", p.Name, s.Name)
		}
	}
	backend := plan.Find("scalestack:gcp:Backend", "app")
	under := map[string]bool{}
	for _, r := range plan.Descendants(backend.URN) {
		under[r.URN] = true
	}
	for _, r := range plan.Resources {
		if r.Type == "gcp:projects/service:Service" || r.IsProvider() || r == backend {
			continue
		}
		assert.True(t, under[r.URN], "%s is part of the backend", r.URN)
		if r.Custom {
			require.NotNil(t, r.ProviderResource(), "%s uses an explicit provider", r.URN)
			assert.Equal(t, "gcp-"+map[bool]string{true: "us-east1", false: "us-central1"}[r.ProviderResource().Name == "gcp-us-east1"], r.ProviderResource().Name)
		}
	}
	for _, name := range []string{"app-web-secondary", "app-db-replica-dr", "app-secondary"} {
		for _, r := range plan.Named(name) {
			if r.Custom {
				assert.Equal(t, "gcp-us-east1", r.ProviderResource().Name, "%s %s is in the secondary region", r.Type, name)
			}
		}
	}
}

func TestWiring(t *testing.T) {
	plan := run(t, prodConfig(), testkit.Stack("prod"))
	primary := plan.Find("gcp:sql/databaseInstance:DatabaseInstance", "app-db")
	for _, n := range []string{"app-db-replica-1", "app-db-replica-dr"} {
		r := plan.Find("gcp:sql/databaseInstance:DatabaseInstance", n)
		assert.True(t, r.InputFrom("masterInstanceName", primary), "%s's master is the primary", n)
	}
	assert.Equal(t, "REGIONAL", primary.InputString("settings.availabilityType"))
	assert.Equal(t, true, primary.Input("deletionProtection"))
	assert.Equal(t, "us", primary.InputString("settings.backupConfiguration.location"), "backups copied to a multi-region covering both")
	assert.Equal(t, 35.0, primary.Input("settings.backupConfiguration.backupRetentionSettings.retainedBackups"), "backup.retentionDays daily backups")

	bs := plan.Find("gcp:compute/backendService:BackendService", "app")
	for _, name := range []string{"app-web-primary", "app-web-secondary"} {
		mig := plan.Find("gcp:compute/regionInstanceGroupManager:RegionInstanceGroupManager", name)
		assert.True(t, bs.InputFrom("backends", mig), "the backend service holds %s", name)
		as := plan.Find("gcp:compute/regionAutoscaler:RegionAutoscaler", name)
		assert.True(t, as.InputFrom("target", mig), "the autoscaler targets %s", name)
		assert.Equal(t, 2.0, as.Input("autoscalingPolicy.minReplicas"))
		assert.Equal(t, 8.0, as.Input("autoscalingPolicy.maxReplicas"))
	}
	assert.Equal(t, true, bs.Input("enableCdn"), "CDN sits on the backend service")
	assert.Equal(t, "USE_ORIGIN_HEADERS", bs.InputString("cdnPolicy.cacheMode"), "pages are cached as the origin's Cache-Control says")
	static := plan.Find("gcp:compute/backendBucket:BackendBucket", "app-static")
	assert.Equal(t, "CACHE_ALL_STATIC", static.InputString("cdnPolicy.cacheMode"), "the static path is cached long")
	assert.Equal(t, 2592000.0, static.Input("cdnPolicy.defaultTtl"))

	ch := plan.Find("gcp:monitoring/notificationChannel:NotificationChannel", "app-email")
	assert.Equal(t, "ops@example.com", ch.InputString("labels.email_address"))
	for _, p := range plan.ByType("gcp:monitoring/alertPolicy:AlertPolicy") {
		assert.True(t, p.InputFrom("notificationChannels", ch), "%s alerts go to the channel", p.Name)
	}
	rec := plan.Find("gcp:dns/recordSet:RecordSet", "app")
	assert.Equal(t, "example-com", rec.InputString("managedZone"))
	assert.True(t, rec.InputFrom("rrdatas", plan.Find("gcp:compute/globalAddress:GlobalAddress", "app")))
	cert := plan.Find("gcp:compute/managedSslCertificate:ManagedSslCertificate", "app")
	assert.Equal(t, []any{"app.example.com"}, cert.Input("managed.domains"))
	tmpl := plan.Find("gcp:compute/instanceTemplate:InstanceTemplate", "app-web-secondary")
	assert.Equal(t, "n2-standard-2", tmpl.InputString("machineType"))
	assert.Equal(t, "projects/debian-cloud/global/images/family/debian-12", tmpl.InputString("disks.0.sourceImage"))
	assert.Equal(t, []any{"us-east1-b", "us-east1-c", "us-east1-d"}, plan.Find("gcp:compute/regionInstanceGroupManager:RegionInstanceGroupManager", "app-web-secondary").Input("distributionPolicyZones"))
}

func TestURNStability(t *testing.T) {
	base := run(t, devConfig())

	replica := devConfig()
	replica["scalestack:database"] = `{"readReplicas":1}`
	withReplica := run(t, replica)
	assert.Empty(t, testkit.MissingURNs(base, withReplica), "adding a read replica keeps every URN")
	assert.Len(t, withReplica.ByType("gcp:sql/databaseInstance:DatabaseInstance"), 2)

	region := devConfig()
	region["scalestack:database"] = `{"readReplicas":1,"crossRegionReplica":true}`
	region["scalestack:gcp"] = `{"project":"my-project","primaryRegion":"us-central1","secondaryRegion":"us-east1"}`
	withRegion := run(t, region)
	assert.Empty(t, testkit.MissingURNs(withReplica, withRegion), "adding the secondary region keeps every URN")
	assert.Len(t, withRegion.ByType("gcp:compute/regionInstanceGroupManager:RegionInstanceGroupManager"), 3, "two web tiers and the workers")
	assert.Len(t, withRegion.ByType("gcp:sql/databaseInstance:DatabaseInstance"), 3)
}

func TestValidationErrors(t *testing.T) {
	cases := []struct {
		name string
		set  map[string]string
		want []string
	}{
		{"gcp extras", map[string]string{"scalestack:gcp": `{"project":"my-project","dbTier":"n2-standard-4","dbVersion":"MYSQL_8_0","image":"debian","scheduleDurationMinutes":2}`}, []string{
			`scalestack:gcp.dbTier: "n2-standard-4" is not allowed with gcp.dbEdition ENTERPRISE: edition ENTERPRISE takes db-f1-micro, db-g1-small or db-custom-<vCPUs>-<memory MB>`,
			`scalestack:gcp.dbVersion: "MYSQL_8_0" is not allowed: want POSTGRES_<major>`,
			`scalestack:gcp.image: "debian" is not an image URL`,
			`scalestack:gcp.scheduleDurationMinutes: 2 is not allowed: want 5-10080`,
		}},
		{"dns zone without domain", map[string]string{"scalestack:gcp": `{"project":"my-project","dnsZone":"example-com"}`}, []string{
			`scalestack:gcp.dnsZone: "example-com" is set but scalestack:domain.name is empty`,
		}},
		{"bad dns zone", map[string]string{"scalestack:gcp": `{"project":"my-project","dnsZone":"Example.com"}`, "scalestack:domain": `{"name":"app.example.com"}`}, []string{
			`scalestack:gcp.dnsZone: "Example.com" is not a managed zone name`,
		}},
		{"wrong type", map[string]string{"scalestack:gcp": `{"project":"my-project","scheduleDurationMinutes":"long"}`}, []string{
			`scalestack:gcp.scheduleDurationMinutes: "long" is not allowed: want a whole number`,
		}},
		{"unknown gcp key", map[string]string{"scalestack:gcp": `{"project":"my-project","dbTeir":"db-f1-micro"}`}, []string{
			`scalestack:gcp.dbTeir: unknown key`,
		}},
		{"keys with no meaning on gcp", map[string]string{
			"scalestack:web":    `{"minSize":2,"maxSize":6,"desiredSize":3,"schedules":[{"name":"day","cron":"0 8 * * 1-5","minSize":3,"maxSize":4,"desiredSize":3}]}`,
			"scalestack:backup": `{"weeklyRetentionDays":30}`,
		}, []string{
			"scalestack:web.desiredSize: 3 has no meaning on gcp",
			"scalestack:backup.weeklyRetentionDays: 30 has no meaning on gcp",
			"scalestack:web.schedules[0].maxSize: 4 has no meaning on gcp",
		}},
		// Cloud SQL: ENTERPRISE_PLUS takes only db-perf-optimized-N-* tiers and those need
		// ENTERPRISE_PLUS (https://cloud.google.com/sql/docs/postgres/machine-series-overview).
		{"enterprise plus tier on enterprise", map[string]string{"scalestack:gcp": `{"project":"my-project","dbTier":"db-perf-optimized-N-8"}`}, []string{
			`scalestack:gcp.dbTier: "db-perf-optimized-N-8" is not allowed with gcp.dbEdition ENTERPRISE: db-perf-optimized-N-* tiers need edition ENTERPRISE_PLUS`,
		}},
		{"enterprise tier on enterprise plus", map[string]string{"scalestack:gcp": `{"project":"my-project","dbEdition":"ENTERPRISE_PLUS","dbTier":"db-custom-2-7680"}`}, []string{
			`scalestack:gcp.dbTier: "db-custom-2-7680" is not allowed with gcp.dbEdition ENTERPRISE_PLUS: edition ENTERPRISE_PLUS takes only db-perf-optimized-N-<vCPUs> tiers`,
		}},
		{"custom tier out of shape", map[string]string{"scalestack:gcp": `{"project":"my-project","dbTier":"db-custom-3-3840"}`}, []string{
			`scalestack:gcp.dbTier: "db-custom-3-3840" is not allowed with gcp.dbEdition ENTERPRISE: 3 vCPUs is not allowed`,
		}},
		// A regional MIG's fixed maxSurge must be 0 or at least its zone count (pulumi-gcp
		// RegionInstanceGroupManagerUpdatePolicy.maxSurgeFixed), so zones are pinned; zone
		// letters differ per region (https://cloud.google.com/compute/docs/regions-zones).
		{"zones", map[string]string{"scalestack:gcp": `{"project":"my-project","primaryRegion":"us-central1","secondaryRegion":"us-east1","primaryZones":["us-central1-a"],"secondaryZones":["us-east1-a","us-central1-b","us-east1-b"]}`}, []string{
			`scalestack:gcp.primaryZones: [us-central1-a] is not allowed: want at least 2 zones of us-central1`,
			`scalestack:gcp.secondaryZones[1]: "us-central1-b" is not a zone of us-east1`,
		}},
		{"unknown region needs zones", map[string]string{"scalestack:gcp": `{"project":"my-project","primaryRegion":"europe-north2"}`}, []string{
			`scalestack:gcp.primaryZones: no default for region "europe-north2": list two or three of its zones`,
		}},
		{"secondary zones without a region", map[string]string{"scalestack:gcp": `{"project":"my-project","secondaryZones":["us-east1-b","us-east1-c"]}`}, []string{
			`scalestack:gcp.secondaryZones: [us-east1-b us-east1-c] is set but scalestack:gcp.secondaryRegion is empty`,
		}},
		// Cloud SQL keeps 1-365 retained backups (pulumi-gcp backupRetentionSettings.retainedBackups;
		// https://cloud.google.com/sql/docs/postgres/backup-recovery/backups#retention).
		{"backup retention beyond Cloud SQL", map[string]string{"scalestack:backup": `{"retentionDays":400}`}, []string{
			`scalestack:backup.retentionDays: 400 is not allowed on gcp: Cloud SQL keeps at most 365 daily backups`,
		}},
		{"bad edition", map[string]string{"scalestack:gcp": `{"project":"my-project","dbEdition":"STANDARD"}`}, []string{
			`scalestack:gcp.dbEdition: "STANDARD" is not allowed: want ENTERPRISE or ENTERPRISE_PLUS`,
		}},
		{"empty web tier", map[string]string{"scalestack:web": `{"minSize":0}`}, []string{
			"scalestack:web.minSize: 0 is not allowed on gcp",
		}},
		{"same regions", map[string]string{"scalestack:gcp": `{"project":"my-project","primaryRegion":"us-east1","secondaryRegion":"us-east1"}`}, []string{
			`scalestack:gcp.secondaryRegion: "us-east1" is the primary region`,
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg := devConfig()
			for k, v := range c.set {
				cfg[k] = v
			}
			var registered atomic.Int32
			plan, err := testkit.RunExports(program, testkit.Config(cfg), testkit.OnNewResource(func(*testkit.Resource) error {
				registered.Add(1)
				return nil
			}))
			require.Error(t, err)
			assert.Nil(t, plan)
			assert.Zero(t, registered.Load(), "nothing is registered")
			assert.True(t, spec.IsConfigError(err), "%v", err)
			for _, w := range c.want {
				assert.Contains(t, err.Error(), w)
			}
		})
	}
	// Setting the defaults explicitly is fine.
	cfg := devConfig()
	cfg["scalestack:web"] = `{"minSize":1,"desiredSize":1,"schedules":[{"name":"day","cron":"0 8 * * 1-5","minSize":2,"maxSize":3,"desiredSize":2}]}`
	cfg["scalestack:backup"] = `{"weeklyRetentionDays":0}`
	plan := run(t, cfg)
	as := plan.Find("gcp:compute/regionAutoscaler:RegionAutoscaler", "app-web-primary")
	assert.Equal(t, 2.0, as.Input("autoscalingPolicy.scalingSchedules.0.minRequiredReplicas"))
	assert.Equal(t, 3600.0, as.Input("autoscalingPolicy.scalingSchedules.0.durationSec"))
}

func TestHelpers(t *testing.T) {
	assert.Equal(t, "us", gcpstack.BackupLocation("us-central1", "us-east1"))
	assert.Equal(t, "eu", gcpstack.BackupLocation("europe-west1", "europe-west4"))
	assert.Equal(t, "us-east1", gcpstack.BackupLocation("europe-west1", "us-east1"))
	assert.Contains(t, gcpstack.APIs(true, false, false), "dns.googleapis.com")
	assert.NotContains(t, gcpstack.APIs(false, false, false), "dns.googleapis.com")
}

// BenchmarkGCPStack runs the prod stack (two regions) under mocks.
func BenchmarkGCPStack(b *testing.B) {
	b.ReportAllocs()
	resources := 0
	for i := 0; i < b.N; i++ {
		plan := run(b, prodConfig(), testkit.Stack("prod"))
		resources += len(plan.Resources)
	}
	b.ReportMetric(float64(resources)/b.Elapsed().Seconds(), "resources/s")
	b.ReportMetric(float64(resources)/float64(b.N), "resources/op")
}

func TestCDNOff(t *testing.T) {
	cfg := devConfig()
	cfg["scalestack:cdn"] = `{"enabled":false}`
	plan := run(t, cfg)
	assert.Equal(t, false, plan.Outputs["cdnEnabled"])
	assert.Empty(t, plan.ByType("gcp:storage/bucket:Bucket"))
	assert.Empty(t, plan.ByType("gcp:compute/backendBucket:BackendBucket"))
	bs := plan.Find("gcp:compute/backendService:BackendService", "app")
	assert.Equal(t, false, bs.Input("enableCdn"))
}

// TestNoPublicPathBypassesTheLoadBalancer: with a domain, the internet reaches the backend only
// through the global external Application Load Balancer and its Cloud Armor policy: the
// instances have no access config (no external IP: compute InstanceTemplate
// networkInterfaces.accessConfigs), the only external address is the anycast address, port
// 443 terminates TLS, and port 80 only redirects to HTTPS (URL map defaultUrlRedirect), so no
// forwarding rule serves the application over plain HTTP.
func TestNoPublicPathBypassesTheLoadBalancer(t *testing.T) {
	plan := run(t, prodConfig(), testkit.Stack("prod"))
	for _, tmpl := range plan.ByType("gcp:compute/instanceTemplate:InstanceTemplate") {
		assert.Nil(t, tmpl.Input("networkInterfaces.0.accessConfigs"), "%s has no external IP", tmpl.Name)
	}
	var external []*testkit.Resource
	for _, a := range plan.ByType("gcp:compute/globalAddress:GlobalAddress") {
		if a.InputString("addressType") != "INTERNAL" {
			external = append(external, a)
		}
	}
	require.Len(t, external, 1, "one public address")
	assert.Empty(t, plan.ByType("gcp:compute/address:Address"), "no regional external addresses")
	rules := plan.ByType("gcp:compute/globalForwardingRule:GlobalForwardingRule")
	require.Len(t, rules, 2)
	bs := plan.Find("gcp:compute/backendService:BackendService", "app")
	for _, fr := range rules {
		assert.True(t, fr.InputFrom("ipAddress", external[0]), fr.Name)
		switch fr.InputString("portRange") {
		case "443":
			proxy := plan.Find("gcp:compute/targetHttpsProxy:TargetHttpsProxy", "app")
			assert.True(t, fr.InputFrom("target", proxy))
		case "80":
			proxy := plan.Find("gcp:compute/targetHttpProxy:TargetHttpProxy", "app-http")
			assert.True(t, fr.InputFrom("target", proxy))
			redirect := plan.Find("gcp:compute/uRLMap:URLMap", "app-redirect")
			assert.True(t, proxy.InputFrom("urlMap", redirect), "port 80 only redirects")
			assert.Equal(t, true, redirect.Input("defaultUrlRedirect.httpsRedirect"))
			assert.Nil(t, redirect.Input("defaultService"))
		default:
			t.Errorf("%s serves port %s", fr.Name, fr.InputString("portRange"))
		}
	}
	assert.NotEmpty(t, bs.InputString("securityPolicy"), "Cloud Armor guards the backend service")
}

// TestCloudSQLEditionPicksItsTier: with gcp.dbEdition ENTERPRISE_PLUS and no gcp.dbTier the
// stack picks a db-perf-optimized-N-* tier (the only ones that edition takes) and sends the
// edition; point-in-time recovery then covers database.backupRetentionDays (up to 35 days).
func TestCloudSQLEditionPicksItsTier(t *testing.T) {
	cfg := prodConfig()
	cfg["scalestack:gcp"] = `{"project":"my-project","primaryRegion":"us-central1","secondaryRegion":"us-east1","dnsZone":"example-com","dbEdition":"ENTERPRISE_PLUS"}`
	plan := run(t, cfg, testkit.Stack("prod"))
	for _, db := range plan.ByType("gcp:sql/databaseInstance:DatabaseInstance") {
		assert.Equal(t, "ENTERPRISE_PLUS", db.InputString("settings.edition"), db.Name)
		assert.Equal(t, "db-perf-optimized-N-4", db.InputString("settings.tier"), db.Name)
	}
	primary := plan.Find("gcp:sql/databaseInstance:DatabaseInstance", "app-db")
	assert.Equal(t, 14.0, primary.Input("settings.backupConfiguration.transactionLogRetentionDays"))
	assert.Equal(t, 35.0, primary.Input("settings.backupConfiguration.backupRetentionSettings.retainedBackups"), "backup.retentionDays (35 in prod) is above the 15 the log days need")
}

// TestCloudSQLRetentionKeepsMoreBackupsThanLogDays: Cloud SQL refuses transaction-log
// retention that is not below the retained backups ("backup retention should be >
// transaction log retention", terraform-google-sql-db#785) and keeps at most 7 log days on
// ENTERPRISE, 35 on ENTERPRISE_PLUS (pulumi-gcp transactionLogRetentionDays doc). Every
// value database.backupRetentionDays accepts (1-35) maps to a valid pair on both editions;
// the dev defaults (7 and 7) used to be refused.
func TestCloudSQLRetentionKeepsMoreBackupsThanLogDays(t *testing.T) {
	for _, edition := range []string{"ENTERPRISE", "ENTERPRISE_PLUS"} {
		for days := 1; days <= 35; days++ {
			s := &spec.Spec{Database: spec.Database{BackupRetentionDays: days}}
			pitr, kept := gcpstack.DatabaseRetention(s, gcpstack.Settings{DBEdition: edition})
			assert.GreaterOrEqual(t, pitr, 1, "%s %d", edition, days)
			assert.LessOrEqual(t, pitr, map[string]int{"ENTERPRISE": 7, "ENTERPRISE_PLUS": 35}[edition])
			assert.Less(t, pitr, kept, "%s %d", edition, days)
			assert.GreaterOrEqual(t, kept, days)
			assert.Equal(t, min(days, map[string]int{"ENTERPRISE": 7, "ENTERPRISE_PLUS": 35}[edition]), pitr)
		}
	}
	plan := run(t, devConfig())
	primary := plan.Find("gcp:sql/databaseInstance:DatabaseInstance", "app-db")
	assert.Equal(t, 7.0, primary.Input("settings.backupConfiguration.transactionLogRetentionDays"), "dev: 7 days of point-in-time recovery")
	assert.Equal(t, 8.0, primary.Input("settings.backupConfiguration.backupRetentionSettings.retainedBackups"), "and one more daily backup than log days")
}

// TestPinnedZonesFromConfig: gcp.primaryZones / secondaryZones pin each web tier's group, as a
// list or a comma-separated string (what -c gives), and the rolling-update surge follows
// their count.
func TestPinnedZonesFromConfig(t *testing.T) {
	cfg := devConfig()
	cfg["scalestack:gcp"] = `{"project":"my-project","primaryRegion":"us-central1","secondaryRegion":"us-east1","primaryZones":"us-central1-a, us-central1-b, us-central1-c, us-central1-f","secondaryZones":["us-east1-c","us-east1-d"]}`
	plan := run(t, cfg)
	for name, want := range map[string][]any{
		"app-web-primary":   {"us-central1-a", "us-central1-b", "us-central1-c", "us-central1-f"},
		"app-web-secondary": {"us-east1-c", "us-east1-d"},
	} {
		mig := plan.Find("gcp:compute/regionInstanceGroupManager:RegionInstanceGroupManager", name)
		assert.Equal(t, want, mig.Input("distributionPolicyZones"), name)
		assert.Equal(t, float64(len(want)), mig.Input("updatePolicy.maxSurgeFixed"), name)
	}
}

// TestStateIsBackedUpWhereItLives: on Google Cloud the only state is Cloud SQL. The web
// instances belong to managed instance groups that recreate them from the template on every
// scale-in, repair and update (https://cloud.google.com/compute/docs/instance-groups), so a
// snapshot schedule on their boot disks protects nothing, and with KEEP_AUTO_SNAPSHOTS it
// leaves snapshots behind for every churned disk
// (https://cloud.google.com/compute/docs/disks/scheduled-snapshots). The stack attaches none;
// Cloud SQL keeps daily backups (backup.retentionDays) in the backup location, with
// point-in-time recovery.
func TestStateIsBackedUpWhereItLives(t *testing.T) {
	plan := run(t, prodConfig(), testkit.Stack("prod"))
	assert.Empty(t, plan.ByType("gcp:compute/resourcePolicy:ResourcePolicy"))
	for _, tmpl := range plan.ByType("gcp:compute/instanceTemplate:InstanceTemplate") {
		assert.Nil(t, tmpl.Input("disks.0.resourcePolicies"), tmpl.Name)
	}
	primary := plan.Find("gcp:sql/databaseInstance:DatabaseInstance", "app-db")
	assert.Equal(t, true, primary.Input("settings.backupConfiguration.enabled"))
	assert.Equal(t, true, primary.Input("settings.backupConfiguration.pointInTimeRecoveryEnabled"))
	assert.Equal(t, "03:00", primary.InputString("settings.backupConfiguration.startTime"))
	assert.Equal(t, "us", primary.InputString("settings.backupConfiguration.location"))
	assert.Equal(t, 35.0, primary.Input("settings.backupConfiguration.backupRetentionSettings.retainedBackups"))
}

// TestDevStaticBucketIsDestroyable: deleting a Cloud Storage bucket that holds objects fails
// unless forceDestroy is set (pulumi-gcp storage.Bucket ForceDestroy doc), so `pulumi destroy`
// of a dev stack with uploaded static assets would stop there; dev sets it, staging and prod
// keep the refusal.
func TestDevStaticBucketIsDestroyable(t *testing.T) {
	dev := run(t, devConfig()).Find("gcp:storage/bucket:Bucket", "app-static")
	assert.Equal(t, true, dev.Input("forceDestroy"))
	prod := run(t, prodConfig(), testkit.Stack("prod")).Find("gcp:storage/bucket:Bucket", "app-static")
	assert.Equal(t, false, prod.Input("forceDestroy"))
}
