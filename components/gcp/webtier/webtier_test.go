package webtier

import (
	"testing"

	"github.com/pulumi/pulumi-gcp/sdk/v7/go/gcp"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scalestack/scalestack/testkit"
)

func valid() *Args {
	return &Args{Project: pulumi.String("my-project"), Subnetwork: pulumi.String("subnet"), NetworkTag: "app-web", Zones: []string{"us-central1-a", "us-central1-b", "us-central1-c"}}
}

func TestResolveDefaults(t *testing.T) {
	r, err := valid().resolve("app-web-primary")
	require.NoError(t, err)
	assert.Equal(t, "e2-small", r.MachineType)
	assert.Equal(t, DefaultImage, r.Image)
	assert.Equal(t, 20, r.DiskSizeGB)
	assert.Equal(t, 8080, r.Port)
	assert.Equal(t, "/healthz", r.HealthCheckPath)
	assert.Equal(t, 1, r.MinSize)
	assert.Equal(t, 3, r.MaxSize)
	assert.Equal(t, 60, r.TargetCPUPercent)
	assert.Equal(t, 0, r.LoadBalancingUtilizationPercent)
	assert.Equal(t, 1, r.ScaleInMaxReplicas)
	assert.Equal(t, 600, r.ScaleInWindowSeconds)
	assert.Equal(t, 300, r.InitialDelaySeconds)
	assert.Contains(t, r.StartupScript, `HEALTH = "/healthz"`)
	assert.Contains(t, r.StartupScript, `("0.0.0.0", 8080)`)

	a := valid()
	a.MinSize = 5
	a.CustomMetric = &CustomMetric{Name: "custom.googleapis.com/q", Target: 10}
	a.Schedules = []Schedule{{Name: "day", Cron: "0 8 * * 1-5", MinReplicas: 4}}
	r, err = a.resolve("w-long-enough")
	require.NoError(t, err)
	assert.Equal(t, 5, r.MaxSize, "MaxSize defaults to at least MinSize")
	assert.Equal(t, "GAUGE", r.CustomMetric.Type)
	assert.Equal(t, 60, r.Schedules[0].DurationMinutes)
	assert.Equal(t, "UTC", r.Schedules[0].TimeZone)
}

func TestResolveErrors(t *testing.T) {
	cases := []struct {
		mod  func(*Args)
		want string
	}{
		{func(a *Args) { a.Subnetwork = nil }, "Subnetwork is required"},
		{func(a *Args) { a.NetworkTag = "Web" }, `NetworkTag "Web" is not allowed`},
		{func(a *Args) { a.Project = nil }, "Project is required when ServiceAccountEmail is not given"},
		{func(a *Args) { a.DiskSizeGB = 5 }, "DiskSizeGB 5 is not allowed: want 10-65536"},
		{func(a *Args) { a.Port = 99999 }, "Port 99999 is not allowed: want 1-65535"},
		{func(a *Args) { a.HealthCheckPath = "healthz" }, `HealthCheckPath "healthz" is not allowed`},
		{func(a *Args) { a.MinSize = -1 }, "MinSize -1 is not allowed: want 0-1000"},
		{func(a *Args) { a.MaxSize = 2000 }, "MaxSize 2000 is not allowed: want 1-1000"},
		{func(a *Args) { a.MinSize, a.MaxSize = 4, 2 }, "MinSize 4 is more than MaxSize 2"},
		{func(a *Args) { a.TargetCPUPercent = 95 }, "TargetCPUPercent 95 is not allowed: want 10-90"},
		{func(a *Args) { a.LoadBalancingUtilizationPercent = 5 }, "LoadBalancingUtilizationPercent 5 is not allowed: want 0 (off) or 10-100"},
		{func(a *Args) { a.ScaleInMaxReplicas = -2 }, "ScaleInMaxReplicas -2 is not allowed"},
		{func(a *Args) { a.ScaleInWindowSeconds = 10 }, "ScaleInWindowSeconds 10 is not allowed: want 60-3600"},
		{func(a *Args) { a.InitialDelaySeconds = -1 }, "InitialDelaySeconds -1 is not allowed"},
		{func(a *Args) { a.CustomMetric = &CustomMetric{Name: "queue", Target: 1} }, `CustomMetric.Name "queue" is not allowed`},
		{func(a *Args) { a.CustomMetric = &CustomMetric{Name: "custom.googleapis.com/q"} }, "CustomMetric.Target 0 is not allowed"},
		{func(a *Args) { a.CustomMetric = &CustomMetric{Name: "custom.googleapis.com/q", Target: 1, Type: "SUM"} }, `CustomMetric.Type "SUM" is not allowed`},
		{func(a *Args) { a.Schedules = []Schedule{{Name: "A", Cron: "0 8 * * *", MinReplicas: 1}} }, `Schedules[0].Name "A" is not allowed`},
		{func(a *Args) {
			a.Schedules = []Schedule{{Name: "a", Cron: "0 8 * * *", MinReplicas: 1}, {Name: "a", Cron: "0 8 * * *", MinReplicas: 1}}
		}, `Schedules[1].Name "a" is used twice`},
		{func(a *Args) { a.Schedules = []Schedule{{Name: "a", Cron: "0 8 *", MinReplicas: 1}} }, `Schedules[0].Cron "0 8 *" is not allowed`},
		{func(a *Args) { a.Schedules = []Schedule{{Name: "a", Cron: "0 8 * * *", MinReplicas: 9}} }, "Schedules[0].MinReplicas 9 is not allowed: want 1-3 (MaxSize)"},
		{func(a *Args) {
			a.Schedules = []Schedule{{Name: "a", Cron: "0 8 * * *", MinReplicas: 1, DurationMinutes: 1}}
		}, "Schedules[0].DurationMinutes 1 is not allowed"},
		{func(a *Args) { a.Metadata = map[string]pulumi.StringInput{"enable-oslogin": pulumi.String("FALSE")} }, `Metadata key "enable-oslogin" is not allowed: the template sets it`},
		{func(a *Args) { a.Metadata = map[string]pulumi.StringInput{"DB Host": pulumi.String("x")} }, `Metadata key "DB Host" is not allowed`},
		{func(a *Args) { a.Zones = nil }, "Zones [] is not allowed: want at least 2 zones"},
		{func(a *Args) { a.Zones = []string{"us-central1-a", "us-east1-b"} }, `Zones[1] "us-east1-b" is not in region us-central1`},
		{func(a *Args) { a.Zones = []string{"us-central1-a", "us-central1-a"} }, `Zones[1] "us-central1-a" is listed twice`},
		{func(a *Args) { a.Zones = []string{"us-central1-a", "us-central1"} }, `Zones[1] "us-central1" is not a zone name`},
	}
	for _, c := range cases {
		a := valid()
		c.mod(a)
		_, err := a.resolve("app-web-primary")
		require.Error(t, err, c.want)
		assert.Contains(t, err.Error(), c.want)
	}
	_, err := valid().resolve("web")
	require.Error(t, err)
	assert.Contains(t, err.Error(), `service account ID "web", which is not allowed`)
	a := valid()
	a.ServiceAccountEmail = pulumi.String("sa@p.iam.gserviceaccount.com")
	_, err = a.resolve("web")
	assert.NoError(t, err, "no account is created when one is given")
}

func TestInvalidArgsRegisterNothing(t *testing.T) {
	plan, err := testkit.Run(func(ctx *pulumi.Context) error {
		a := valid()
		a.MinSize, a.MaxSize = 3, 1
		_, err := New(ctx, "app-web-primary", a)
		return err
	})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `web tier "app-web-primary": MinSize 3 is more than MaxSize 1`)
	assert.Nil(t, plan)
}

func TestWebTier(t *testing.T) {
	plan, err := testkit.Run(func(ctx *pulumi.Context) error {
		p, err := gcp.NewProvider(ctx, "gcp-europe-west1", &gcp.ProviderArgs{Region: pulumi.String("europe-west1")})
		if err != nil {
			return err
		}
		a := valid()
		a.MinSize, a.MaxSize = 2, 8
		a.LoadBalancingUtilizationPercent = 80
		a.CustomMetric = &CustomMetric{Name: "custom.googleapis.com/queue_depth", Target: 50, Filter: `resource.type = "gce_instance"`}
		a.Schedules = []Schedule{{Name: "business-hours", Cron: "0 8 * * 1-5", MinReplicas: 4, DurationMinutes: 600}}
		a.Zones = DefaultZones("europe-west1")
		a.Metadata = map[string]pulumi.StringInput{"scalestack-db-host": pulumi.String("10.100.0.3")}
		_, err = New(ctx, "app-web-primary", a, pulumi.Provider(p))
		return err
	})
	require.NoError(t, err)
	comp := plan.Find(typeToken, "app-web-primary")
	require.NotNil(t, comp)
	kids := plan.Children(comp.URN)
	assert.Len(t, kids, 7, "account, 2 role grants, template, health check, group, autoscaler")
	for _, k := range kids {
		assert.Equal(t, comp.URN, k.Parent, k.Name)
		assert.Equal(t, "europe-west1", k.Region(), k.Name)
	}

	sa := plan.Find("gcp:serviceaccount/account:Account", "app-web-primary")
	assert.Equal(t, "app-web-primary", sa.InputString("accountId"))
	roles := []string{}
	for _, m := range plan.ByType("gcp:projects/iAMMember:IAMMember") {
		roles = append(roles, m.InputString("role"))
		assert.True(t, m.InputFrom("member", sa))
	}
	assert.ElementsMatch(t, []string{"roles/logging.logWriter", "roles/monitoring.metricWriter"}, roles, "least privilege")

	tmpl := plan.Find("gcp:compute/instanceTemplate:InstanceTemplate", "app-web-primary")
	assert.Nil(t, tmpl.Input("networkInterfaces.0.accessConfigs"), "no public IP")
	assert.Equal(t, "subnet", tmpl.InputString("networkInterfaces.0.subnetwork"))
	assert.Equal(t, true, tmpl.Input("shieldedInstanceConfig.enableSecureBoot"))
	assert.Equal(t, true, tmpl.Input("shieldedInstanceConfig.enableVtpm"))
	assert.Equal(t, true, tmpl.Input("shieldedInstanceConfig.enableIntegrityMonitoring"))
	assert.Equal(t, "TRUE", tmpl.InputString("metadata.enable-oslogin"))
	assert.Equal(t, "TRUE", tmpl.InputString("metadata.block-project-ssh-keys"))
	assert.Equal(t, "10.100.0.3", tmpl.InputString("metadata.scalestack-db-host"), "extra metadata for the application")
	assert.Equal(t, DefaultImage, tmpl.InputString("disks.0.sourceImage"))
	assert.Nil(t, tmpl.Input("disks.0.resourcePolicies"), "no snapshot schedule on disposable boot disks")
	assert.Equal(t, []any{"app-web"}, tmpl.Input("tags"))
	assert.True(t, tmpl.InputFrom("serviceAccount", sa), "instances run as the tier's account")
	assert.Contains(t, tmpl.InputString("metadataStartupScript"), "systemctl enable --now scalestack-web.service")

	hc := plan.Find("gcp:compute/healthCheck:HealthCheck", "app-web-primary-autoheal")
	assert.Equal(t, "/healthz", hc.InputString("httpHealthCheck.requestPath"))
	mig := plan.Find("gcp:compute/regionInstanceGroupManager:RegionInstanceGroupManager", "app-web-primary")
	assert.True(t, mig.InputFrom("versions", tmpl))
	assert.Equal(t, tmpl.Output("selfLinkUnique"), mig.Input("versions.0.instanceTemplate"))
	assert.True(t, mig.InputFrom("autoHealingPolicies", hc), "auto-healing on the health check")
	assert.Equal(t, "PROACTIVE", mig.InputString("updatePolicy.type"))
	assert.Equal(t, "http", mig.InputString("namedPorts.0.name"))
	assert.Equal(t, 8080.0, mig.Input("namedPorts.0.port"))
	assert.Nil(t, mig.Input("targetSize"), "the autoscaler owns the size")

	as := plan.Find("gcp:compute/regionAutoscaler:RegionAutoscaler", "app-web-primary")
	assert.True(t, as.InputFrom("target", mig), "the autoscaler targets the group")
	assert.Equal(t, mig.ID, as.InputString("target"))
	assert.Equal(t, 2.0, as.Input("autoscalingPolicy.minReplicas"))
	assert.Equal(t, 8.0, as.Input("autoscalingPolicy.maxReplicas"))
	assert.Equal(t, 0.6, as.Input("autoscalingPolicy.cpuUtilization.target"))
	assert.Equal(t, 0.8, as.Input("autoscalingPolicy.loadBalancingUtilization.target"))
	assert.Equal(t, "custom.googleapis.com/queue_depth", as.InputString("autoscalingPolicy.metrics.0.name"))
	assert.Equal(t, 1.0, as.Input("autoscalingPolicy.scaleInControl.maxScaledInReplicas.fixed"))
	assert.Equal(t, 36000.0, as.Input("autoscalingPolicy.scalingSchedules.0.durationSec"))
	assert.Equal(t, 4.0, as.Input("autoscalingPolicy.scalingSchedules.0.minRequiredReplicas"))
}

func TestGivenServiceAccountCreatesNone(t *testing.T) {
	plan, err := testkit.Run(func(ctx *pulumi.Context) error {
		a := valid()
		a.Project = nil
		a.ServiceAccountEmail = pulumi.String("web@my-project.iam.gserviceaccount.com")
		_, err := New(ctx, "web", a)
		return err
	})
	require.NoError(t, err)
	assert.Empty(t, plan.ByType("gcp:serviceaccount/account:Account"))
	assert.Empty(t, plan.ByType("gcp:projects/iAMMember:IAMMember"))
	tmpl := plan.Find("gcp:compute/instanceTemplate:InstanceTemplate", "web")
	assert.Equal(t, "web@my-project.iam.gserviceaccount.com", tmpl.InputString("serviceAccount.email"))
	as := plan.Find("gcp:compute/regionAutoscaler:RegionAutoscaler", "web")
	assert.Nil(t, as.Input("autoscalingPolicy.loadBalancingUtilization"), "LB signal off by default")
}

// TestRegionalMIGSurgeCoversItsZones: a regional managed instance group's fixed maxSurge (and
// maxUnavailable) must be 0 or at least the number of zones the group uses (pulumi-gcp
// RegionInstanceGroupManagerUpdatePolicy maxSurgeFixed: "It has to be either 0 or at least
// equal to the number of zones"; https://cloud.google.com/compute/docs/instance-groups/regional-migs).
// Unpinned, the group uses every zone of the region (us-central1 has four), so the zones are
// pinned and the surge is their count.
func TestRegionalMIGSurgeCoversItsZones(t *testing.T) {
	for _, zones := range [][]string{
		{"us-central1-a", "us-central1-b"},
		{"us-central1-a", "us-central1-b", "us-central1-c", "us-central1-f"},
		DefaultZones("us-east1"),
	} {
		plan, err := testkit.Run(func(ctx *pulumi.Context) error {
			a := valid()
			a.Zones = zones
			_, err := New(ctx, "app-web-primary", a)
			return err
		})
		require.NoError(t, err)
		mig := plan.Find("gcp:compute/regionInstanceGroupManager:RegionInstanceGroupManager", "app-web-primary")
		want := make([]any, len(zones))
		for i, z := range zones {
			want[i] = z
		}
		assert.Equal(t, want, mig.Input("distributionPolicyZones"))
		assert.Equal(t, float64(len(zones)), mig.Input("updatePolicy.maxSurgeFixed"), "%v", zones)
		assert.Equal(t, 0.0, mig.Input("updatePolicy.maxUnavailableFixed"))
	}
	assert.Equal(t, []string{"us-central1-a", "us-central1-b", "us-central1-c"}, DefaultZones("us-central1"))
	assert.Equal(t, []string{"us-east1-b", "us-east1-c", "us-east1-d"}, DefaultZones("us-east1"), "us-east1 has no zone a")
	assert.Equal(t, []string{"europe-west1-b", "europe-west1-c", "europe-west1-d"}, DefaultZones("europe-west1"))
	assert.Nil(t, DefaultZones("mars-north1"))
}
