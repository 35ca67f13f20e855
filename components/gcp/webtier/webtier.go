// Package webtier creates one region's autoscaled web tier on Google Cloud: an instance
// template (Shielded VM, no public IP, OS Login, a least-privilege service account, an image
// chosen by family so nothing is looked up at preview), a regional managed instance group
// spread evenly over the region's zones with auto-healing on an HTTP health check and
// proactive rolling updates, and a regional autoscaler holding a CPU target, optionally a
// load-balancing utilization target and a custom Cloud Monitoring metric, with scale-in
// controls and optional scaling schedules.
//
// The region is the one of the provider given in opts.
package webtier

import (
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/pulumi/pulumi-gcp/sdk/v7/go/gcp/compute"
	"github.com/pulumi/pulumi-gcp/sdk/v7/go/gcp/projects"
	"github.com/pulumi/pulumi-gcp/sdk/v7/go/gcp/serviceaccount"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

const typeToken = "scalestack:gcp:WebTier"

// DefaultImage is the boot image: the newest Debian 12 image, selected by family when the
// template is created.
const DefaultImage = "projects/debian-cloud/global/images/family/debian-12"

// Args configures a WebTier. Zero values mean the documented default.
type Args struct {
	// Project is the project ID the tier's service account gets its roles in. Required unless
	// ServiceAccountEmail is given.
	Project pulumi.StringInput
	// Subnetwork is the self link of the subnet the instances live in. Required.
	Subnetwork pulumi.StringInput
	// NetworkTag is the network tag the firewall admits load balancer traffic to. Required.
	NetworkTag string
	// ServiceAccountEmail runs the instances as an existing service account. Default: a new
	// account "<name>" (at most 30 characters) with only the log writer and metric writer roles.
	ServiceAccountEmail pulumi.StringInput
	// MachineType of the instances. Default: e2-small.
	MachineType string
	// Image is the boot image or image family URL. Default: DefaultImage.
	Image string
	// DiskSizeGB is the boot disk size. Default: 20. Allowed: 10-65536.
	DiskSizeGB int
	// Zones pins the group to these zones of its region (distributionPolicyZones), such as
	// us-central1-a, us-central1-b, us-central1-c. A regional group's fixed maxSurge must be 0
	// or at least its number of zones, so the rolling update surges len(Zones) instances.
	// Changing the zones replaces the group. Required: 2 or more zones of one region.
	Zones []string
	// Port the instances serve HTTP on. Default: 8080. Allowed: 1-65535.
	Port int
	// HealthCheckPath is the path auto-healing probes. Default: /healthz.
	HealthCheckPath string
	// StartupScript runs at boot. Default: a script that serves HealthCheckPath and / on Port.
	StartupScript string
	// MinSize is the fewest instances. Default: 1. Allowed: 0-1000, at most MaxSize.
	MinSize int
	// MaxSize is the most instances. Default: max(3, MinSize). Allowed: 1-1000.
	MaxSize int
	// TargetCPUPercent is the average CPU utilization the autoscaler holds. Default: 60.
	// Allowed: 10-90.
	TargetCPUPercent int
	// LoadBalancingUtilizationPercent is the share of the backend capacity the load balancer
	// reports (its max rate per instance) the autoscaler holds. Default: 0 (signal off).
	// Allowed: 0 or 10-100.
	LoadBalancingUtilizationPercent int
	// CustomMetric adds a Cloud Monitoring metric signal. Default: none.
	CustomMetric *CustomMetric
	// ScaleInMaxReplicas is the most instances removed within ScaleInWindowSeconds.
	// Default: 1. Allowed: 1-1000.
	ScaleInMaxReplicas int
	// ScaleInWindowSeconds is the scale-in control window. Default: 600. Allowed: 60-3600.
	ScaleInWindowSeconds int
	// InitialDelaySeconds is the time a new instance gets before auto-healing probes count.
	// Default: 300. Allowed: 0-3600.
	InitialDelaySeconds int
	// Schedules raise the minimum on a recurring schedule. Default: none.
	Schedules []Schedule
	// Labels are added to the instances (the provider's default labels apply too). Default: none.
	Labels map[string]string
	// Metadata are extra instance metadata entries the application reads from the metadata
	// server (http://metadata.google.internal/computeMetadata/v1/instance/attributes/<key>),
	// such as the database's connection name. Keys: lowercase letters, digits, dashes and
	// underscores; the security keys the template sets (enable-oslogin,
	// block-project-ssh-keys) and startup-script may not be overridden. Default: none.
	Metadata map[string]pulumi.StringInput
}

// CustomMetric is a Cloud Monitoring metric the autoscaler holds at Target.
type CustomMetric struct {
	// Name is the metric type ("custom.googleapis.com/queue_depth"). Required.
	Name string
	// Target is the value per instance (GAUGE) or per second/minute (DELTA_*). Required, > 0.
	Target float64
	// Type is GAUGE, DELTA_PER_SECOND or DELTA_PER_MINUTE. Default: GAUGE.
	Type string
	// Filter narrows the time series (Cloud Monitoring filter syntax). Default: none.
	Filter string
}

// Schedule keeps at least MinReplicas instances for DurationMinutes each time Cron fires.
type Schedule struct {
	// Name identifies the schedule. Required: lowercase letters, digits and dashes.
	Name string
	// Cron is a five-field cron expression. Required.
	Cron string
	// MinReplicas is the minimum while the schedule is active. Allowed: 1-MaxSize.
	MinReplicas int
	// DurationMinutes is how long the schedule stays active. Default: 60. Allowed: 5-10080.
	DurationMinutes int
	// TimeZone is an IANA time zone. Default: UTC.
	TimeZone string
}

var (
	nameRE   = regexp.MustCompile(`^[a-z][a-z0-9-]{0,62}$`)
	saIDRE   = regexp.MustCompile(`^[a-z][a-z0-9-]{4,28}[a-z0-9]$`)
	metricRE = regexp.MustCompile(`^[a-z0-9.-]+\.googleapis\.com/.+$`)
	metaRE   = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,127}$`)
	zoneRE   = regexp.MustCompile(`^([a-z]+-[a-z]+[0-9]+)-[a-z]$`)
	reserved = map[string]bool{"enable-oslogin": true, "block-project-ssh-keys": true, "startup-script": true}
)

func (a *Args) resolve(name string) (Args, error) {
	var r Args
	if a != nil {
		r = *a
	}
	if r.Subnetwork == nil {
		return r, fmt.Errorf("Subnetwork is required")
	}
	if err := checkZones(r.Zones); err != nil {
		return r, err
	}
	if r.NetworkTag == "" || !nameRE.MatchString(r.NetworkTag) {
		return r, fmt.Errorf("NetworkTag %q is not allowed: want 1-63 lowercase letters, digits and dashes, starting with a letter", r.NetworkTag)
	}
	if r.ServiceAccountEmail == nil {
		if r.Project == nil {
			return r, fmt.Errorf("Project is required when ServiceAccountEmail is not given")
		}
		if id := serviceAccountID(name); !saIDRE.MatchString(id) {
			return r, fmt.Errorf("name %q gives service account ID %q, which is not allowed: want 6-30 lowercase letters, digits and dashes; pass ServiceAccountEmail or pick another name", name, id)
		}
	}
	def := func(v *int, d int) {
		if *v == 0 {
			*v = d
		}
	}
	if r.MachineType == "" {
		r.MachineType = "e2-small"
	}
	if r.Image == "" {
		r.Image = DefaultImage
	}
	if r.HealthCheckPath == "" {
		r.HealthCheckPath = "/healthz"
	}
	def(&r.DiskSizeGB, 20)
	def(&r.Port, 8080)
	def(&r.MinSize, 1)
	if r.MaxSize == 0 {
		r.MaxSize = max(3, r.MinSize)
	}
	def(&r.TargetCPUPercent, 60)
	def(&r.ScaleInMaxReplicas, 1)
	def(&r.ScaleInWindowSeconds, 600)
	def(&r.InitialDelaySeconds, 300)
	if r.StartupScript == "" {
		r.StartupScript = StartupScript(r.Port, r.HealthCheckPath)
	}
	switch {
	case r.DiskSizeGB < 10 || r.DiskSizeGB > 65536:
		return r, fmt.Errorf("DiskSizeGB %d is not allowed: want 10-65536", r.DiskSizeGB)
	case r.Port < 1 || r.Port > 65535:
		return r, fmt.Errorf("Port %d is not allowed: want 1-65535", r.Port)
	case !strings.HasPrefix(r.HealthCheckPath, "/"):
		return r, fmt.Errorf("HealthCheckPath %q is not allowed: want a path starting with /", r.HealthCheckPath)
	case r.MinSize < 0 || r.MinSize > 1000:
		return r, fmt.Errorf("MinSize %d is not allowed: want 0-1000", r.MinSize)
	case r.MaxSize < 1 || r.MaxSize > 1000:
		return r, fmt.Errorf("MaxSize %d is not allowed: want 1-1000", r.MaxSize)
	case r.MinSize > r.MaxSize:
		return r, fmt.Errorf("MinSize %d is more than MaxSize %d: want MinSize <= MaxSize", r.MinSize, r.MaxSize)
	case r.TargetCPUPercent < 10 || r.TargetCPUPercent > 90:
		return r, fmt.Errorf("TargetCPUPercent %d is not allowed: want 10-90", r.TargetCPUPercent)
	case r.LoadBalancingUtilizationPercent != 0 && (r.LoadBalancingUtilizationPercent < 10 || r.LoadBalancingUtilizationPercent > 100):
		return r, fmt.Errorf("LoadBalancingUtilizationPercent %d is not allowed: want 0 (off) or 10-100", r.LoadBalancingUtilizationPercent)
	case r.ScaleInMaxReplicas < 1 || r.ScaleInMaxReplicas > 1000:
		return r, fmt.Errorf("ScaleInMaxReplicas %d is not allowed: want 1-1000", r.ScaleInMaxReplicas)
	case r.ScaleInWindowSeconds < 60 || r.ScaleInWindowSeconds > 3600:
		return r, fmt.Errorf("ScaleInWindowSeconds %d is not allowed: want 60-3600", r.ScaleInWindowSeconds)
	case r.InitialDelaySeconds < 0 || r.InitialDelaySeconds > 3600:
		return r, fmt.Errorf("InitialDelaySeconds %d is not allowed: want 0-3600", r.InitialDelaySeconds)
	}
	if m := r.CustomMetric; m != nil {
		c := *m
		if c.Type == "" {
			c.Type = "GAUGE"
		}
		if !metricRE.MatchString(c.Name) {
			return r, fmt.Errorf("CustomMetric.Name %q is not allowed: want a metric type such as custom.googleapis.com/queue_depth", c.Name)
		}
		if c.Target <= 0 {
			return r, fmt.Errorf("CustomMetric.Target %v is not allowed: want a value above 0", c.Target)
		}
		if c.Type != "GAUGE" && c.Type != "DELTA_PER_SECOND" && c.Type != "DELTA_PER_MINUTE" {
			return r, fmt.Errorf("CustomMetric.Type %q is not allowed: want GAUGE, DELTA_PER_SECOND or DELTA_PER_MINUTE", c.Type)
		}
		r.CustomMetric = &c
	}
	keys := make([]string, 0, len(r.Metadata))
	for k := range r.Metadata {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		v := r.Metadata[k]
		switch {
		case !metaRE.MatchString(k):
			return r, fmt.Errorf("Metadata key %q is not allowed: want lowercase letters, digits, dashes and underscores", k)
		case reserved[k]:
			return r, fmt.Errorf("Metadata key %q is not allowed: the template sets it (OS Login, no project SSH keys, StartupScript)", k)
		case v == nil:
			return r, fmt.Errorf("Metadata[%q] is nil: want a value", k)
		}
	}
	seen := map[string]bool{}
	scheds := make([]Schedule, len(r.Schedules))
	for i, s := range r.Schedules {
		if s.DurationMinutes == 0 {
			s.DurationMinutes = 60
		}
		if s.TimeZone == "" {
			s.TimeZone = "UTC"
		}
		at := fmt.Sprintf("Schedules[%d]", i)
		switch {
		case !nameRE.MatchString(s.Name):
			return r, fmt.Errorf("%s.Name %q is not allowed: want lowercase letters, digits and dashes, starting with a letter", at, s.Name)
		case seen[s.Name]:
			return r, fmt.Errorf("%s.Name %q is used twice: want unique names", at, s.Name)
		case len(strings.Fields(s.Cron)) != 5:
			return r, fmt.Errorf("%s.Cron %q is not allowed: want a five-field cron expression", at, s.Cron)
		case s.MinReplicas < 1 || s.MinReplicas > r.MaxSize:
			return r, fmt.Errorf("%s.MinReplicas %d is not allowed: want 1-%d (MaxSize)", at, s.MinReplicas, r.MaxSize)
		case s.DurationMinutes < 5 || s.DurationMinutes > 10080:
			return r, fmt.Errorf("%s.DurationMinutes %d is not allowed: want 5-10080", at, s.DurationMinutes)
		}
		seen[s.Name] = true
		scheds[i] = s
	}
	r.Schedules = scheds
	return r, nil
}

// checkZones requires two or more distinct zones of one region.
func checkZones(zones []string) error {
	if len(zones) < 2 {
		return fmt.Errorf("Zones %v is not allowed: want at least 2 zones of the group's region, such as [us-central1-a us-central1-b us-central1-c]", zones)
	}
	region := ""
	seen := map[string]bool{}
	for i, z := range zones {
		m := zoneRE.FindStringSubmatch(z)
		switch {
		case m == nil:
			return fmt.Errorf("Zones[%d] %q is not a zone name: want one like us-central1-a", i, z)
		case region != "" && m[1] != region:
			return fmt.Errorf("Zones[%d] %q is not in region %s: a regional group's zones share one region", i, z, region)
		case seen[z]:
			return fmt.Errorf("Zones[%d] %q is listed twice: want distinct zones", i, z)
		}
		region = m[1]
		seen[z] = true
	}
	return nil
}

// serviceAccountID derives the service account ID from the component name.
func serviceAccountID(name string) string {
	id := strings.ToLower(name)
	if len(id) > 30 {
		id = strings.TrimRight(id[:30], "-")
	}
	return id
}

// StartupScript returns the default boot script: a small systemd service that answers 200
// on healthPath and a page on / at port, so the instances turn healthy as soon as they boot.
// Replace it (Args.StartupScript) with the script that installs your application.
func StartupScript(port int, healthPath string) string {
	return fmt.Sprintf(`#!/bin/bash
set -euo pipefail
mkdir -p /opt/scalestack
cat > /opt/scalestack/server.py <<'PY'
import http.server, socket
HEALTH = %q
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = b"ok\n" if self.path == HEALTH else ("scalestack on %%s\n" %% socket.gethostname()).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *args):
        pass
http.server.ThreadingHTTPServer(("0.0.0.0", %d), H).serve_forever()
PY
cat > /etc/systemd/system/scalestack-web.service <<'UNIT'
[Unit]
Description=scalestack web placeholder
After=network-online.target
[Service]
ExecStart=/usr/bin/python3 /opt/scalestack/server.py
Restart=always
DynamicUser=yes
[Install]
WantedBy=multi-user.target
UNIT
systemctl daemon-reload
systemctl enable --now scalestack-web.service
`, healthPath, port)
}

// WebTier is one region's instance template, managed instance group and autoscaler.
type WebTier struct {
	pulumi.ResourceState

	// InstanceGroup is the URL of the managed instance group's instance group: the backend a
	// load balancer's backend service points at.
	InstanceGroup pulumi.StringOutput `pulumi:"instanceGroup"`
	// GroupManagerName is the managed instance group's name (for monitoring filters).
	GroupManagerName pulumi.StringOutput `pulumi:"groupManagerName"`
	// GroupManagerSelfLink is the managed instance group's self link.
	GroupManagerSelfLink pulumi.StringOutput `pulumi:"groupManagerSelfLink"`
	// AutoscalerSelfLink is the autoscaler's self link.
	AutoscalerSelfLink pulumi.StringOutput `pulumi:"autoscalerSelfLink"`
	// ServiceAccountEmail is the identity the instances run as.
	ServiceAccountEmail pulumi.StringOutput `pulumi:"serviceAccountEmail"`
	// Region is the region the group runs in (from the provider).
	Region pulumi.StringOutput `pulumi:"region"`

	// MaxSize is the resolved maximum size, for alerting on a group at its maximum.
	MaxSize int `pulumi:"-"`
}

// New validates args, applies defaults and registers the web tier.
func New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*WebTier, error) {
	a, err := args.resolve(name)
	if err != nil {
		return nil, fmt.Errorf("web tier %q: %w", name, err)
	}
	w := &WebTier{MaxSize: a.MaxSize}
	if err := ctx.RegisterComponentResource(typeToken, name, w, opts...); err != nil {
		return nil, err
	}
	parent := pulumi.Parent(w)

	email := a.ServiceAccountEmail
	if email == nil {
		sa, err := serviceaccount.NewAccount(ctx, name, &serviceaccount.AccountArgs{
			AccountId:   pulumi.String(serviceAccountID(name)),
			DisplayName: pulumi.String("scalestack web tier " + name),
			Project:     a.Project,
		}, parent)
		if err != nil {
			return nil, fmt.Errorf("creating service account: %w", err)
		}
		for _, role := range []string{"roles/logging.logWriter", "roles/monitoring.metricWriter"} {
			short := strings.TrimSuffix(strings.TrimPrefix(role, "roles/"), "Writer")
			if _, err := projects.NewIAMMember(ctx, name+"-"+strings.ReplaceAll(short, ".", "-"), &projects.IAMMemberArgs{
				Project: a.Project,
				Role:    pulumi.String(role),
				Member:  sa.Member,
			}, parent); err != nil {
				return nil, fmt.Errorf("granting %s: %w", role, err)
			}
		}
		email = sa.Email
	}

	disk := compute.InstanceTemplateDiskArgs{
		Boot:        pulumi.Bool(true),
		AutoDelete:  pulumi.Bool(true),
		SourceImage: pulumi.String(a.Image),
		DiskType:    pulumi.String("pd-balanced"),
		DiskSizeGb:  pulumi.Int(a.DiskSizeGB),
	}
	tmpl, err := compute.NewInstanceTemplate(ctx, name, &compute.InstanceTemplateArgs{
		NamePrefix:  pulumi.String(name + "-"),
		MachineType: pulumi.String(a.MachineType),
		Disks:       compute.InstanceTemplateDiskArray{disk},
		NetworkInterfaces: compute.InstanceTemplateNetworkInterfaceArray{compute.InstanceTemplateNetworkInterfaceArgs{
			Subnetwork: a.Subnetwork,
			// No access configs: no public IP. Egress goes through Cloud NAT.
		}},
		ShieldedInstanceConfig: &compute.InstanceTemplateShieldedInstanceConfigArgs{
			EnableSecureBoot:          pulumi.Bool(true),
			EnableVtpm:                pulumi.Bool(true),
			EnableIntegrityMonitoring: pulumi.Bool(true),
		},
		Metadata:              metadata(a.Metadata),
		MetadataStartupScript: pulumi.String(a.StartupScript),
		ServiceAccount: &compute.InstanceTemplateServiceAccountArgs{
			Email:  email,
			Scopes: pulumi.StringArray{pulumi.String("cloud-platform")},
		},
		Tags:   pulumi.StringArray{pulumi.String(a.NetworkTag)},
		Labels: pulumi.ToStringMap(a.Labels),
	}, parent)
	if err != nil {
		return nil, fmt.Errorf("creating instance template: %w", err)
	}

	hc, err := compute.NewHealthCheck(ctx, name+"-autoheal", &compute.HealthCheckArgs{
		Description:        pulumi.String("auto-healing probe of " + name),
		CheckIntervalSec:   pulumi.Int(10),
		TimeoutSec:         pulumi.Int(5),
		HealthyThreshold:   pulumi.Int(2),
		UnhealthyThreshold: pulumi.Int(3),
		HttpHealthCheck: &compute.HealthCheckHttpHealthCheckArgs{
			Port:        pulumi.Int(a.Port),
			RequestPath: pulumi.String(a.HealthCheckPath),
		},
		LogConfig: &compute.HealthCheckLogConfigArgs{Enable: pulumi.Bool(true)},
	}, parent)
	if err != nil {
		return nil, fmt.Errorf("creating auto-healing health check: %w", err)
	}

	mig, err := compute.NewRegionInstanceGroupManager(ctx, name, &compute.RegionInstanceGroupManagerArgs{
		BaseInstanceName:              pulumi.String(name),
		DistributionPolicyTargetShape: pulumi.String("EVEN"),
		DistributionPolicyZones:       pulumi.ToStringArray(a.Zones),
		Versions: compute.RegionInstanceGroupManagerVersionArray{compute.RegionInstanceGroupManagerVersionArgs{
			Name:             pulumi.String("primary"),
			InstanceTemplate: tmpl.SelfLinkUnique,
		}},
		NamedPorts: compute.RegionInstanceGroupManagerNamedPortArray{compute.RegionInstanceGroupManagerNamedPortArgs{
			Name: pulumi.String("http"), Port: pulumi.Int(a.Port),
		}},
		AutoHealingPolicies: &compute.RegionInstanceGroupManagerAutoHealingPoliciesArgs{
			HealthCheck:     hc.ID(),
			InitialDelaySec: pulumi.Int(a.InitialDelaySeconds),
		},
		UpdatePolicy: &compute.RegionInstanceGroupManagerUpdatePolicyArgs{
			Type:                       pulumi.String("PROACTIVE"),
			MinimalAction:              pulumi.String("REPLACE"),
			InstanceRedistributionType: pulumi.String("PROACTIVE"),
			// A regional group's fixed surge must be 0 or at least its number of zones.
			MaxSurgeFixed:       pulumi.Int(len(a.Zones)),
			MaxUnavailableFixed: pulumi.Int(0),
			ReplacementMethod:   pulumi.String("SUBSTITUTE"),
		},
		WaitForInstances: pulumi.Bool(false),
	}, parent)
	if err != nil {
		return nil, fmt.Errorf("creating managed instance group: %w", err)
	}

	policy := compute.RegionAutoscalerAutoscalingPolicyArgs{
		MinReplicas:    pulumi.Int(a.MinSize),
		MaxReplicas:    pulumi.Int(a.MaxSize),
		CooldownPeriod: pulumi.Int(90),
		Mode:           pulumi.String("ON"),
		CpuUtilization: &compute.RegionAutoscalerAutoscalingPolicyCpuUtilizationArgs{
			Target: pulumi.Float64(float64(a.TargetCPUPercent) / 100),
		},
		ScaleInControl: &compute.RegionAutoscalerAutoscalingPolicyScaleInControlArgs{
			MaxScaledInReplicas: &compute.RegionAutoscalerAutoscalingPolicyScaleInControlMaxScaledInReplicasArgs{
				Fixed: pulumi.Int(a.ScaleInMaxReplicas),
			},
			TimeWindowSec: pulumi.Int(a.ScaleInWindowSeconds),
		},
	}
	if a.LoadBalancingUtilizationPercent > 0 {
		policy.LoadBalancingUtilization = &compute.RegionAutoscalerAutoscalingPolicyLoadBalancingUtilizationArgs{
			Target: pulumi.Float64(float64(a.LoadBalancingUtilizationPercent) / 100),
		}
	}
	if m := a.CustomMetric; m != nil {
		metric := compute.RegionAutoscalerAutoscalingPolicyMetricArgs{
			Name:   pulumi.String(m.Name),
			Target: pulumi.Float64(m.Target),
			Type:   pulumi.String(m.Type),
		}
		if m.Filter != "" {
			metric.Filter = pulumi.String(m.Filter)
		}
		policy.Metrics = compute.RegionAutoscalerAutoscalingPolicyMetricArray{metric}
	}
	var schedules compute.RegionAutoscalerAutoscalingPolicyScalingScheduleArray
	for _, s := range a.Schedules {
		schedules = append(schedules, compute.RegionAutoscalerAutoscalingPolicyScalingScheduleArgs{
			Name:                pulumi.String(s.Name),
			Schedule:            pulumi.String(s.Cron),
			MinRequiredReplicas: pulumi.Int(s.MinReplicas),
			DurationSec:         pulumi.Int(s.DurationMinutes * 60),
			TimeZone:            pulumi.String(s.TimeZone),
		})
	}
	if len(schedules) > 0 {
		policy.ScalingSchedules = schedules
	}
	as, err := compute.NewRegionAutoscaler(ctx, name, &compute.RegionAutoscalerArgs{
		Target:            mig.ID(),
		AutoscalingPolicy: policy,
	}, parent)
	if err != nil {
		return nil, fmt.Errorf("creating autoscaler: %w", err)
	}

	w.InstanceGroup = mig.InstanceGroup
	w.GroupManagerName = mig.Name
	w.GroupManagerSelfLink = mig.SelfLink
	w.AutoscalerSelfLink = as.SelfLink
	w.ServiceAccountEmail = email.ToStringOutput()
	w.Region = mig.Region
	return w, ctx.RegisterResourceOutputs(w, pulumi.Map{
		"instanceGroup":        w.InstanceGroup,
		"groupManagerName":     w.GroupManagerName,
		"groupManagerSelfLink": w.GroupManagerSelfLink,
		"autoscalerSelfLink":   w.AutoscalerSelfLink,
		"serviceAccountEmail":  w.ServiceAccountEmail,
		"region":               w.Region,
	})
}

// metadata is the template's metadata: the caller's entries and the security settings.
func metadata(extra map[string]pulumi.StringInput) pulumi.StringMap {
	m := pulumi.StringMap{
		"enable-oslogin":         pulumi.String("TRUE"),
		"block-project-ssh-keys": pulumi.String("TRUE"),
	}
	for k, v := range extra {
		m[k] = v
	}
	return m
}

// Validate reports the first problem with args for a web tier named name, registering nothing.
func (a *Args) Validate(name string) error { _, err := a.resolve(name); return err }
