// Package worker creates the tier that drains a Pub/Sub subscription on Google Cloud: a
// service account that may only consume that subscription (roles/pubsub.subscriber on it,
// plus log and metric writing), an instance template (Shielded VM, no public IP, OS Login,
// blocked project SSH keys), a regional managed instance group with auto-healing on the
// worker's health endpoint, a firewall rule that admits only Google's health checkers to it,
// and a regional autoscaler on the subscription's undelivered messages per instance
// (singleInstanceAssignment), the form Google documents for Pub/Sub.
//
// The region is the region of the provider the component is given.
package worker

import (
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/pulumi/pulumi-gcp/sdk/v7/go/gcp/compute"
	"github.com/pulumi/pulumi-gcp/sdk/v7/go/gcp/projects"
	"github.com/pulumi/pulumi-gcp/sdk/v7/go/gcp/pubsub"
	"github.com/pulumi/pulumi-gcp/sdk/v7/go/gcp/serviceaccount"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// TypeToken is the component's type; it is part of every child's URN.
const TypeToken = "scalestack:gcp:Worker"

// Defaults applied by Args.withDefaults.
const (
	DefaultMachineType      = "e2-small"
	DefaultImage            = "projects/debian-cloud/global/images/family/debian-12"
	DefaultDiskSizeGB       = 20
	DefaultMinSize          = 1
	DefaultBacklogPerWorker = 100
	DefaultHealthPort       = 8080
	DefaultHealthPath       = "/healthz"
	// BacklogMetric is the per-group metric the autoscaler divides among the workers.
	BacklogMetric = "pubsub.googleapis.com/subscription/num_undelivered_messages"
)

// HealthCheckRanges are the source ranges of Google's health checkers.
var HealthCheckRanges = []string{"35.191.0.0/16", "130.211.0.0/22"}

// Args configures a Worker. Zero values mean the documented default.
type Args struct {
	// Project is the project the service account's log and metric roles are granted in.
	// Required.
	Project pulumi.StringInput
	// Network is the VPC self link the health-check firewall rule applies to. Required.
	Network pulumi.StringInput
	// Subnetwork is the self link of the subnet the workers live in. Required.
	Subnetwork pulumi.StringInput
	// Subscription is the subscription's id (queue.Queue.Subscription): the service account
	// gets roles/pubsub.subscriber on it alone. Required.
	Subscription pulumi.StringInput
	// SubscriptionName is its short name (queue.Queue.SubscriptionName), the monitoring label
	// subscription_id. Required.
	SubscriptionName pulumi.StringInput
	// MinSize is the fewest workers. Default: 1. Allowed: 1-1000.
	MinSize int
	// MaxSize is the most workers. Required: at least MinSize.
	MaxSize int
	// BacklogPerWorker is the undelivered messages per worker the autoscaler keeps.
	// Default: 100. Allowed: 1-100000.
	BacklogPerWorker int
	// MachineType of the workers. Default: "e2-small".
	MachineType string
	// Image is the boot image or family. Default: DefaultImage (Debian 12).
	Image string
	// DiskSizeGB of the boot disk. Default: 20. Allowed: 10-65536.
	DiskSizeGB int
	// HealthPort and HealthPath are where the worker answers 200 while it is healthy
	// (auto-healing). Default: 8080 and "/healthz".
	HealthPort int
	// HealthPath: see HealthPort.
	HealthPath string
	// StartupScript runs at boot. Default: DefaultStartupScript (the health endpoint and the
	// subscription's id in /etc/scalestack/worker.env; no worker process).
	StartupScript pulumi.StringInput
	// Metadata are extra instance metadata entries the worker reads from the metadata server
	// (such as where the cache is). Keys: lowercase letters, digits, dashes and underscores;
	// the keys the template sets itself (enable-oslogin, block-project-ssh-keys) are refused.
	// Default: none.
	Metadata map[string]pulumi.StringInput
	// Labels are added to the instances.
	Labels map[string]string
}

var (
	nameRE = regexp.MustCompile(`^[a-z][a-z0-9-]{4,28}[a-z0-9]$`)
	keyRE  = regexp.MustCompile(`^[a-z0-9_-]{1,128}$`)
	pathRE = regexp.MustCompile(`^/[A-Za-z0-9._~/-]*$`)
)

func (a Args) withDefaults() Args {
	def := func(p *int, v int) {
		if *p == 0 {
			*p = v
		}
	}
	def(&a.MinSize, DefaultMinSize)
	def(&a.BacklogPerWorker, DefaultBacklogPerWorker)
	def(&a.DiskSizeGB, DefaultDiskSizeGB)
	def(&a.HealthPort, DefaultHealthPort)
	if a.MachineType == "" {
		a.MachineType = DefaultMachineType
	}
	if a.Image == "" {
		a.Image = DefaultImage
	}
	if a.HealthPath == "" {
		a.HealthPath = DefaultHealthPath
	}
	return a
}

func validate(name string, a Args) error {
	var p []string
	bad := func(format string, args ...any) { p = append(p, fmt.Sprintf(format, args...)) }
	// The name is also the service account id: 6-30 lowercase letters, digits and hyphens,
	// starting with a letter and not ending with a hyphen.
	if !nameRE.MatchString(name) {
		bad("name %q is not allowed: want 6-30 lowercase letters, digits and hyphens, starting with a letter (it is the service account id)", name)
	}
	for _, r := range []struct {
		ok   bool
		what string
	}{
		{a.Project != nil, "Project is required"},
		{a.Network != nil, "Network is required: the health-check firewall rule applies to it"},
		{a.Subnetwork != nil, "Subnetwork is required"},
		{a.Subscription != nil, "Subscription is required: the workers may consume it alone"},
		{a.SubscriptionName != nil, "SubscriptionName is required: the backlog metric's subscription_id"},
	} {
		if !r.ok {
			bad("%s", r.what)
		}
	}
	if a.MinSize < 1 || a.MinSize > 1000 {
		bad("MinSize %d is not allowed: want 1-1000", a.MinSize)
	}
	if a.MaxSize < a.MinSize || a.MaxSize > 1000 {
		bad("MaxSize %d is not allowed: want MinSize (%d) to 1000", a.MaxSize, a.MinSize)
	}
	if a.BacklogPerWorker < 1 || a.BacklogPerWorker > 100000 {
		bad("BacklogPerWorker %d is not allowed: want 1-100000", a.BacklogPerWorker)
	}
	if a.DiskSizeGB < 10 || a.DiskSizeGB > 65536 {
		bad("DiskSizeGB %d is not allowed: want 10-65536", a.DiskSizeGB)
	}
	if a.HealthPort < 1 || a.HealthPort > 65535 {
		bad("HealthPort %d is not allowed: want 1-65535", a.HealthPort)
	}
	if !pathRE.MatchString(a.HealthPath) || strings.Contains(a.HealthPath, "..") {
		bad("HealthPath %q is not allowed: want a path of letters, digits and . _ ~ / - starting with /", a.HealthPath)
	}
	keys := make([]string, 0, len(a.Metadata))
	for k := range a.Metadata {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		switch {
		case k == "enable-oslogin" || k == "block-project-ssh-keys" || k == "startup-script":
			bad("Metadata key %q is not allowed: the template sets it", k)
		case !keyRE.MatchString(k):
			bad("Metadata key %q is not allowed: want lowercase letters, digits, dashes and underscores", k)
		}
	}
	if len(p) == 0 {
		return nil
	}
	return errors.New(strings.Join(p, "; "))
}

// DefaultStartupScript writes the subscription's id to /etc/scalestack/worker.env and serves
// 200 on healthPath at port (a placeholder for the worker's own health endpoint).
func DefaultStartupScript(subscription string, port int, healthPath string) string {
	return fmt.Sprintf(`#!/bin/bash
set -euo pipefail
install -d -m 0755 /etc/scalestack /opt/scalestack
cat > /etc/scalestack/worker.env <<'ENV'
SCALESTACK_SUBSCRIPTION=%s
ENV
cat > /opt/scalestack/health.py <<'PY'
import http.server
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        ok = self.path == %q
        self.send_response(200 if ok else 404)
        self.end_headers()
        self.wfile.write(b"ok\n" if ok else b"")
    def log_message(self, *args):
        pass
http.server.HTTPServer(("0.0.0.0", %d), H).serve_forever()
PY
cat > /etc/systemd/system/scalestack-worker-health.service <<'UNIT'
[Unit]
Description=scalestack worker health placeholder
After=network-online.target
[Service]
ExecStart=/usr/bin/python3 /opt/scalestack/health.py
Restart=always
DynamicUser=yes
[Install]
WantedBy=multi-user.target
UNIT
systemctl daemon-reload
systemctl enable --now scalestack-worker-health.service
`, subscription, healthPath, port)
}

// Worker is a managed instance group that drains a subscription.
type Worker struct {
	pulumi.ResourceState

	// InstanceGroupManager is the regional managed instance group's self link.
	InstanceGroupManager pulumi.StringOutput `pulumi:"instanceGroupManager"`
	// GroupManagerName is its name (for monitoring filters).
	GroupManagerName pulumi.StringOutput `pulumi:"groupManagerName"`
	// ServiceAccountEmail is the workers' identity: grant it what else they reach (the cache's
	// secret, the database).
	ServiceAccountEmail pulumi.StringOutput `pulumi:"serviceAccountEmail"`
	// NetworkTag is the workers' network tag.
	NetworkTag pulumi.StringOutput `pulumi:"networkTag"`
}

// New validates args, applies defaults and registers the worker tier.
func New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*Worker, error) {
	if args == nil {
		args = &Args{}
	}
	a := args.withDefaults()
	if err := validate(name, a); err != nil {
		return nil, fmt.Errorf("worker %q: %w", name, err)
	}
	w := &Worker{}
	if err := ctx.RegisterComponentResource(TypeToken, name, w, opts...); err != nil {
		return nil, err
	}
	parent := pulumi.Parent(w)
	tag := name

	sa, err := serviceaccount.NewAccount(ctx, name, &serviceaccount.AccountArgs{
		AccountId:   pulumi.String(name),
		DisplayName: pulumi.String("scalestack worker " + name),
		Project:     a.Project,
	}, parent)
	if err != nil {
		return nil, fmt.Errorf("creating service account: %w", err)
	}
	if _, err := pubsub.NewSubscriptionIAMMember(ctx, name+"-subscriber", &pubsub.SubscriptionIAMMemberArgs{
		Subscription: a.Subscription, Role: pulumi.String("roles/pubsub.subscriber"), Member: sa.Member,
	}, parent); err != nil {
		return nil, fmt.Errorf("granting subscriber on the subscription: %w", err)
	}
	for _, role := range []string{"roles/logging.logWriter", "roles/monitoring.metricWriter"} {
		short := strings.TrimSuffix(strings.TrimPrefix(role, "roles/"), "Writer")
		if _, err := projects.NewIAMMember(ctx, name+"-"+strings.ReplaceAll(short, ".", "-"), &projects.IAMMemberArgs{
			Project: a.Project, Role: pulumi.String(role), Member: sa.Member,
		}, parent); err != nil {
			return nil, fmt.Errorf("granting %s: %w", role, err)
		}
	}

	if _, err := compute.NewFirewall(ctx, name+"-health", &compute.FirewallArgs{
		Network:      a.Network,
		Description:  pulumi.String("Google health checkers to the workers' health endpoint only"),
		Direction:    pulumi.String("INGRESS"),
		SourceRanges: pulumi.ToStringArray(HealthCheckRanges),
		TargetTags:   pulumi.StringArray{pulumi.String(tag)},
		Allows: compute.FirewallAllowArray{compute.FirewallAllowArgs{
			Protocol: pulumi.String("tcp"), Ports: pulumi.StringArray{pulumi.String(fmt.Sprint(a.HealthPort))},
		}},
		LogConfig: &compute.FirewallLogConfigArgs{Metadata: pulumi.String("INCLUDE_ALL_METADATA")},
	}, parent); err != nil {
		return nil, fmt.Errorf("creating health-check firewall rule: %w", err)
	}

	script := a.StartupScript
	if script == nil {
		script = a.Subscription.ToStringOutput().ApplyT(func(s string) string {
			return DefaultStartupScript(s, a.HealthPort, a.HealthPath)
		}).(pulumi.StringOutput)
	}
	metadata := pulumi.StringMap{
		"enable-oslogin":         pulumi.String("TRUE"),
		"block-project-ssh-keys": pulumi.String("TRUE"),
	}
	for k, v := range a.Metadata {
		metadata[k] = v
	}
	tmpl, err := compute.NewInstanceTemplate(ctx, name, &compute.InstanceTemplateArgs{
		NamePrefix:  pulumi.String(name + "-"),
		MachineType: pulumi.String(a.MachineType),
		Disks: compute.InstanceTemplateDiskArray{compute.InstanceTemplateDiskArgs{
			Boot: pulumi.Bool(true), AutoDelete: pulumi.Bool(true), SourceImage: pulumi.String(a.Image),
			DiskType: pulumi.String("pd-balanced"), DiskSizeGb: pulumi.Int(a.DiskSizeGB),
		}},
		// No access configs: no public IP; egress through Cloud NAT.
		NetworkInterfaces: compute.InstanceTemplateNetworkInterfaceArray{compute.InstanceTemplateNetworkInterfaceArgs{Subnetwork: a.Subnetwork}},
		ShieldedInstanceConfig: &compute.InstanceTemplateShieldedInstanceConfigArgs{
			EnableSecureBoot: pulumi.Bool(true), EnableVtpm: pulumi.Bool(true), EnableIntegrityMonitoring: pulumi.Bool(true),
		},
		Metadata:              metadata,
		MetadataStartupScript: script,
		ServiceAccount: &compute.InstanceTemplateServiceAccountArgs{
			Email: sa.Email, Scopes: pulumi.StringArray{pulumi.String("cloud-platform")},
		},
		Tags:   pulumi.StringArray{pulumi.String(tag)},
		Labels: pulumi.ToStringMap(a.Labels),
	}, parent)
	if err != nil {
		return nil, fmt.Errorf("creating instance template: %w", err)
	}
	hc, err := compute.NewHealthCheck(ctx, name+"-autoheal", &compute.HealthCheckArgs{
		Description:      pulumi.String("auto-healing probe of " + name),
		CheckIntervalSec: pulumi.Int(10), TimeoutSec: pulumi.Int(5), HealthyThreshold: pulumi.Int(2), UnhealthyThreshold: pulumi.Int(3),
		HttpHealthCheck: &compute.HealthCheckHttpHealthCheckArgs{Port: pulumi.Int(a.HealthPort), RequestPath: pulumi.String(a.HealthPath)},
		LogConfig:       &compute.HealthCheckLogConfigArgs{Enable: pulumi.Bool(true)},
	}, parent)
	if err != nil {
		return nil, fmt.Errorf("creating health check: %w", err)
	}
	mig, err := compute.NewRegionInstanceGroupManager(ctx, name, &compute.RegionInstanceGroupManagerArgs{
		BaseInstanceName:              pulumi.String(name),
		DistributionPolicyTargetShape: pulumi.String("EVEN"),
		Versions: compute.RegionInstanceGroupManagerVersionArray{compute.RegionInstanceGroupManagerVersionArgs{
			Name: pulumi.String("primary"), InstanceTemplate: tmpl.SelfLinkUnique,
		}},
		AutoHealingPolicies: &compute.RegionInstanceGroupManagerAutoHealingPoliciesArgs{
			HealthCheck: hc.ID(), InitialDelaySec: pulumi.Int(300),
		},
		UpdatePolicy: &compute.RegionInstanceGroupManagerUpdatePolicyArgs{
			Type: pulumi.String("PROACTIVE"), MinimalAction: pulumi.String("REPLACE"),
			InstanceRedistributionType: pulumi.String("PROACTIVE"),
			// A regional group needs 0 or at least as many as its zones (3).
			MaxSurgeFixed: pulumi.Int(3), MaxUnavailableFixed: pulumi.Int(0), ReplacementMethod: pulumi.String("SUBSTITUTE"),
		},
		WaitForInstances: pulumi.Bool(false),
	}, parent)
	if err != nil {
		return nil, fmt.Errorf("creating managed instance group: %w", err)
	}
	filter := a.SubscriptionName.ToStringOutput().ApplyT(func(id string) string {
		return fmt.Sprintf(`resource.type = "pubsub_subscription" AND resource.labels.subscription_id = %q`, id)
	}).(pulumi.StringOutput)
	if _, err := compute.NewRegionAutoscaler(ctx, name, &compute.RegionAutoscalerArgs{
		Target: mig.ID(),
		AutoscalingPolicy: compute.RegionAutoscalerAutoscalingPolicyArgs{
			MinReplicas:    pulumi.Int(a.MinSize),
			MaxReplicas:    pulumi.Int(a.MaxSize),
			CooldownPeriod: pulumi.Int(120),
			// A per-group metric: the autoscaler keeps (undelivered messages) / (instances)
			// near singleInstanceAssignment.
			Metrics: compute.RegionAutoscalerAutoscalingPolicyMetricArray{compute.RegionAutoscalerAutoscalingPolicyMetricArgs{
				Name:                     pulumi.String(BacklogMetric),
				Filter:                   filter,
				SingleInstanceAssignment: pulumi.Float64(float64(a.BacklogPerWorker)),
			}},
		},
	}, parent); err != nil {
		return nil, fmt.Errorf("creating autoscaler: %w", err)
	}

	w.InstanceGroupManager = mig.SelfLink
	w.GroupManagerName = mig.Name
	w.ServiceAccountEmail = sa.Email
	w.NetworkTag = pulumi.String(tag).ToStringOutput()
	return w, ctx.RegisterResourceOutputs(w, pulumi.Map{
		"instanceGroupManager": w.InstanceGroupManager, "groupManagerName": w.GroupManagerName,
		"serviceAccountEmail": w.ServiceAccountEmail, "networkTag": w.NetworkTag,
	})
}

// Validate reports every problem with args for a component named name, registering nothing.
func (a *Args) Validate(name string) error {
	if a == nil {
		a = &Args{}
	}
	return validate(name, a.withDefaults())
}
