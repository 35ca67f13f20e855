// Package webtier creates the instances behind a load balancer: a launch template (IMDSv2
// only, encrypted gp3 root volume, no public IP, an instance role with Systems Manager access
// to which callers attach what the application needs, user data that serves the health check
// and writes Args.Environment), an instance security group that admits only the load balancer,
// and an Auto Scaling group in private subnets with ELB health checks, rolling instance
// refresh and metric policies: target tracking on average CPU and on ALB requests per
// target, step scaling driven by CloudWatch CPU alarms, and optional scheduled actions.
//
// The region is the region of the provider the component is given; the image defaults to
// an SSM parameter that the launch template resolves at launch, so previews need no lookup.
package webtier

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"path"
	"regexp"
	"sort"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/autoscaling"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/vpc"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// TypeToken is the component's type; it is part of every child's URN.
const TypeToken = "scalestack:aws:WebTier"

// Defaults of the optional Args fields.
const (
	// DefaultImageID is the latest Amazon Linux 2023 AMI, resolved by EC2 at launch.
	DefaultImageID                       = "resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"
	DefaultInstanceType                  = "t3.small"
	DefaultRootVolumeGiB                 = 20
	DefaultPort                          = 8080
	DefaultHealthCheckPath               = "/healthz"
	DefaultHealthCheckGracePeriodSeconds = 300
	DefaultTargetCPUPercent              = 55
	DefaultRequestsPerTarget             = 1000
	DefaultStepOutCPUPercent             = 80
	DefaultStepInCPUPercent              = 20
)

// InstanceWarmupSeconds is how long a new instance is left out of the group's metrics.
const InstanceWarmupSeconds = 120

// Schedule is a scheduled change of the group's capacity. At the scheduled time the group's
// minimum, maximum and desired capacity are all set to the given values.
type Schedule struct {
	// Name identifies the action; it is part of the child's logical name, so changing it
	// replaces the action. Required: lowercase letters, digits and dashes.
	Name string
	// Recurrence is a cron expression with five fields ("0 8 * * MON-FRI"). Required.
	Recurrence string
	// TimeZone is the IANA zone of Recurrence ("Europe/Paris"). Default: UTC.
	TimeZone string
	// MinSize, MaxSize and DesiredCapacity take effect at the scheduled time.
	// Allowed: 0 <= MinSize <= DesiredCapacity <= MaxSize.
	MinSize, MaxSize, DesiredCapacity int
}

// Args configures a WebTier. Zero values mean the documented default.
type Args struct {
	// VpcID is the VPC of the instances' security group. Required.
	VpcID pulumi.StringInput
	// SubnetIDs are the private subnets the instances run in, one per zone. Required.
	SubnetIDs pulumi.StringArrayInput
	// LoadBalancerSecurityGroupID is the load balancer's security group: the only source the
	// instances admit, on Port. The component also adds the matching egress rule to it.
	// Required.
	LoadBalancerSecurityGroupID pulumi.StringInput
	// TargetGroupARNs are the target groups the group registers its instances with. Required.
	TargetGroupARNs pulumi.StringArrayInput
	// LoadBalancerARNSuffix and TargetGroupARNSuffix identify the load balancer and target
	// group of the request-count policy. Required unless DisableRequestScaling.
	LoadBalancerARNSuffix pulumi.StringInput
	// TargetGroupARNSuffix: see LoadBalancerARNSuffix.
	TargetGroupARNSuffix pulumi.StringInput

	// ImageID is the AMI, or a "resolve:ssm:" parameter. Default: DefaultImageID (Amazon
	// Linux 2023, x86_64).
	ImageID pulumi.StringInput
	// InstanceType of the instances. Default: "t3.small". Allowed: an EC2 type ("m6i.large").
	InstanceType string
	// RootVolumeGiB is the size of the encrypted gp3 root volume. Default: 20. Allowed: 8-16384.
	RootVolumeGiB int
	// KMSKeyID encrypts the root volume. Default: nil, the account's EBS key (aws/ebs). A
	// customer key must let the Auto Scaling service-linked role use it.
	KMSKeyID pulumi.StringInput
	// Port is where the instances serve HTTP. Default: 8080. Allowed: 1-65535.
	Port int
	// HealthCheckPath answers 200 on a healthy instance; the default user data serves it.
	// Default: "/healthz". Allowed: a path of letters, digits and . _ ~ / - starting with /.
	HealthCheckPath string
	// UserData is the instances' start-up script (plain text; the component base64-encodes
	// it). Default: a script that installs nothing and serves an index page and a 200 at
	// HealthCheckPath on Port with python3's http.server under systemd.
	UserData pulumi.StringInput
	// Environment is written to /etc/scalestack/app.env (KEY=value lines) by the default
	// user data, and the placeholder service reads it as its EnvironmentFile; an application
	// replacing it reads the same file. With a custom UserData it is ignored. Values are not
	// secret (they land in the launch template): pass where a secret lives, not the secret.
	// Default: none. Allowed: keys of capital letters, digits and _, values without newlines.
	Environment map[string]string

	// MinSize is the fewest instances. Default: 0. Allowed: 0 <= MinSize <= DesiredCapacity.
	MinSize int
	// MaxSize is the most instances. Required: at least 1 and at least MinSize.
	MaxSize int
	// DesiredCapacity is how many instances the group starts with. Default: MinSize.
	// Allowed: MinSize-MaxSize. Later changes are left to the scaling policies (Pulumi
	// ignores drift and edits of this field after creation).
	DesiredCapacity int
	// HealthCheckGracePeriodSeconds lets a new instance boot before ELB health checks count.
	// Default: 300. Allowed: 0-7200.
	HealthCheckGracePeriodSeconds int

	// TargetCPUPercent is the average CPU the target-tracking policy keeps. Default: 55.
	// Allowed: 1-100.
	TargetCPUPercent int
	// RequestsPerTarget is the ALB requests per target per minute the request-count policy
	// keeps. Default: 1000. Allowed: 1-1000000.
	RequestsPerTarget int
	// DisableRequestScaling leaves out the request-count policy. Default: false.
	DisableRequestScaling bool
	// DisableStepScaling leaves out the CPU alarms and their step policies. Default: false.
	DisableStepScaling bool
	// StepOutCPUPercent is the average CPU above which the step policy adds instances (one,
	// two from 15 points above). Default: 80, or halfway from a TargetCPUPercent of 80 or more
	// to 100. Allowed: TargetCPUPercent < it <= 100.
	StepOutCPUPercent int
	// StepInCPUPercent is the average CPU below which the step policy removes one instance.
	// Default: 20, or half a TargetCPUPercent of 20 or less. Allowed: 1 <= it < TargetCPUPercent.
	StepInCPUPercent int
	// Schedules are scheduled capacity changes, keyed by Name. With schedules, Pulumi also
	// ignores later changes of the group's MinSize and MaxSize (a schedule owns them): change
	// the schedules, or the group in the console, to move them. Default: none.
	Schedules []Schedule

	// Tags are added to every child that takes tags, and to the instances and volumes
	// through the launch template (a backup selection can select instances by one of them).
	// Default: none. A child's own Name tag wins over a "Name" given here.
	Tags map[string]string
}

// WebTier is an Auto Scaling group of instances behind a load balancer.
type WebTier struct {
	pulumi.ResourceState

	// GroupName is the Auto Scaling group's name (the CloudWatch dimension AutoScalingGroupName).
	GroupName pulumi.StringOutput `pulumi:"groupName"`
	// GroupARN is the Auto Scaling group's ARN.
	GroupARN pulumi.StringOutput `pulumi:"groupArn"`
	// SecurityGroupID is the instances' security group: admit it where instances connect
	// (the database).
	SecurityGroupID pulumi.StringOutput `pulumi:"securityGroupId"`
	// LaunchTemplateID is the launch template's id.
	LaunchTemplateID pulumi.StringOutput `pulumi:"launchTemplateId"`
	// InstanceRoleARN is the instances' IAM role; attach further policies to it.
	InstanceRoleARN pulumi.StringOutput `pulumi:"instanceRoleArn"`
	// InstanceRoleName is the instances' IAM role's name (what iam.RolePolicy takes).
	InstanceRoleName pulumi.StringOutput `pulumi:"instanceRoleName"`
}

var (
	instanceTypeRE = regexp.MustCompile(`^[a-z][a-z0-9-]*\.[a-z0-9]+$`)
	healthPathRE   = regexp.MustCompile(`^/[A-Za-z0-9._~/-]*$`)
	scheduleNameRE = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,62}$`)
	envKeyRE       = regexp.MustCompile(`^[A-Z_][A-Z0-9_]{0,127}$`)
)

// withDefaults returns a copy of a with every zero value replaced by its default.
func (a Args) withDefaults() Args {
	if a.ImageID == nil {
		a.ImageID = pulumi.String(DefaultImageID)
	}
	if a.InstanceType == "" {
		a.InstanceType = DefaultInstanceType
	}
	if a.RootVolumeGiB == 0 {
		a.RootVolumeGiB = DefaultRootVolumeGiB
	}
	if a.Port == 0 {
		a.Port = DefaultPort
	}
	if a.HealthCheckPath == "" {
		a.HealthCheckPath = DefaultHealthCheckPath
	}
	if a.DesiredCapacity == 0 {
		a.DesiredCapacity = a.MinSize
	}
	if a.HealthCheckGracePeriodSeconds == 0 {
		a.HealthCheckGracePeriodSeconds = DefaultHealthCheckGracePeriodSeconds
	}
	if a.TargetCPUPercent == 0 {
		a.TargetCPUPercent = DefaultTargetCPUPercent
	}
	if a.RequestsPerTarget == 0 {
		a.RequestsPerTarget = DefaultRequestsPerTarget
	}
	// The step thresholds bracket the target: every TargetCPUPercent the stacks document
	// (10-90) gets defaults on either side of it.
	if a.StepOutCPUPercent == 0 {
		a.StepOutCPUPercent = DefaultStepOutCPUPercent
		if a.TargetCPUPercent >= DefaultStepOutCPUPercent {
			a.StepOutCPUPercent = (a.TargetCPUPercent + 101) / 2
		}
	}
	if a.StepInCPUPercent == 0 {
		a.StepInCPUPercent = DefaultStepInCPUPercent
		if a.TargetCPUPercent <= DefaultStepInCPUPercent {
			a.StepInCPUPercent = max(1, a.TargetCPUPercent/2)
		}
	}
	if a.UserData == nil {
		a.UserData = pulumi.String(DefaultUserDataWithEnvironment(a.Port, a.HealthCheckPath, a.Environment))
	}
	return a
}

// validate checks defaulted args; it registers nothing.
func (a Args) validate() error {
	switch {
	case a.VpcID == nil:
		return fmt.Errorf("VpcID is required")
	case a.SubnetIDs == nil:
		return fmt.Errorf("SubnetIDs is required: want the private subnets")
	case a.LoadBalancerSecurityGroupID == nil:
		return fmt.Errorf("LoadBalancerSecurityGroupID is required: the instances admit only the load balancer")
	case a.TargetGroupARNs == nil:
		return fmt.Errorf("TargetGroupARNs is required: the group registers its instances with them")
	}
	if !a.DisableRequestScaling && (a.LoadBalancerARNSuffix == nil || a.TargetGroupARNSuffix == nil) {
		return fmt.Errorf("LoadBalancerARNSuffix and TargetGroupARNSuffix are required for the request-count policy: give both, or set DisableRequestScaling")
	}
	if !instanceTypeRE.MatchString(a.InstanceType) {
		return fmt.Errorf("InstanceType %q is not allowed: want an EC2 instance type such as t3.small", a.InstanceType)
	}
	if a.RootVolumeGiB < 8 || a.RootVolumeGiB > 16384 {
		return fmt.Errorf("RootVolumeGiB %d is not allowed: want 8-16384", a.RootVolumeGiB)
	}
	if a.Port < 1 || a.Port > 65535 {
		return fmt.Errorf("Port %d is not allowed: want 1-65535", a.Port)
	}
	if !healthPathRE.MatchString(a.HealthCheckPath) || strings.Contains(a.HealthCheckPath, "..") {
		return fmt.Errorf("HealthCheckPath %q is not allowed: want a path of letters, digits and . _ ~ / - starting with / (no ..)", a.HealthCheckPath)
	}
	if err := checkCapacity("", a.MinSize, a.DesiredCapacity, a.MaxSize, 1); err != nil {
		return err
	}
	if a.HealthCheckGracePeriodSeconds < 0 || a.HealthCheckGracePeriodSeconds > 7200 {
		return fmt.Errorf("HealthCheckGracePeriodSeconds %d is not allowed: want 0-7200", a.HealthCheckGracePeriodSeconds)
	}
	if a.TargetCPUPercent < 1 || a.TargetCPUPercent > 100 {
		return fmt.Errorf("TargetCPUPercent %d is not allowed: want 1-100", a.TargetCPUPercent)
	}
	if a.RequestsPerTarget < 1 || a.RequestsPerTarget > 1000000 {
		return fmt.Errorf("RequestsPerTarget %d is not allowed: want 1-1000000 (set DisableRequestScaling to leave the policy out)", a.RequestsPerTarget)
	}
	if !a.DisableStepScaling {
		if a.StepOutCPUPercent <= a.TargetCPUPercent || a.StepOutCPUPercent > 100 {
			return fmt.Errorf("StepOutCPUPercent %d is not allowed: want above TargetCPUPercent %d and at most 100", a.StepOutCPUPercent, a.TargetCPUPercent)
		}
		if a.StepInCPUPercent < 1 || a.StepInCPUPercent >= a.TargetCPUPercent {
			return fmt.Errorf("StepInCPUPercent %d is not allowed: want 1 or more and below TargetCPUPercent %d", a.StepInCPUPercent, a.TargetCPUPercent)
		}
	}
	for _, k := range sortedKeys(a.Environment) {
		if !envKeyRE.MatchString(k) {
			return fmt.Errorf("Environment: key %q is not allowed: want capital letters, digits and _ (like DATABASE_PARAMETER)", k)
		}
		if strings.ContainsAny(a.Environment[k], "\n\r") {
			return fmt.Errorf("Environment[%s]: a value with a newline is not allowed: want one line", k)
		}
	}
	seen := map[string]bool{}
	for _, s := range a.Schedules {
		if !scheduleNameRE.MatchString(s.Name) {
			return fmt.Errorf("Schedules: name %q is not allowed: want lowercase letters, digits and dashes (at most 63)", s.Name)
		}
		if seen[s.Name] {
			return fmt.Errorf("Schedules: name %q is used twice: want one action per name", s.Name)
		}
		seen[s.Name] = true
		if len(strings.Fields(s.Recurrence)) != 5 {
			return fmt.Errorf("Schedules[%s]: Recurrence %q is not allowed: want a cron expression of five fields such as \"0 8 * * MON-FRI\"", s.Name, s.Recurrence)
		}
		if err := checkCapacity("Schedules["+s.Name+"]: ", s.MinSize, s.DesiredCapacity, s.MaxSize, 0); err != nil {
			return err
		}
	}
	return nil
}

// checkCapacity enforces 0 <= min <= desired <= max and max >= minMax.
func checkCapacity(prefix string, min, desired, max, minMax int) error {
	if min < 0 {
		return fmt.Errorf("%sMinSize %d is not allowed: want 0 or more", prefix, min)
	}
	if max < minMax || max < min {
		return fmt.Errorf("%sMaxSize %d is not allowed: want at least %d and at least MinSize %d", prefix, max, minMax, min)
	}
	if desired < min || desired > max {
		return fmt.Errorf("%sDesiredCapacity %d is not allowed: want MinSize %d to MaxSize %d", prefix, desired, min, max)
	}
	return nil
}

// resolve applies the defaults and validates the result.
func (a *Args) resolve() (Args, error) {
	if a == nil {
		return Args{}, fmt.Errorf("args are required (VpcID, SubnetIDs, LoadBalancerSecurityGroupID, TargetGroupARNs, MaxSize)")
	}
	r := a.withDefaults()
	return r, r.validate()
}

// DefaultUserData is the start-up script used when Args.UserData is nil: it installs
// nothing, writes an index page and a health file, and runs python3's http.server on port
// under systemd, as an unprivileged dynamic user, restarted if it stops. healthPath must be
// a validated HealthCheckPath (no shell metacharacters).
func DefaultUserData(port int, healthPath string) string {
	return DefaultUserDataWithEnvironment(port, healthPath, nil)
}

// EnvironmentFile is where the default user data writes Args.Environment.
const EnvironmentFile = "/etc/scalestack/app.env"

// DefaultUserDataWithEnvironment is DefaultUserData that also writes env to EnvironmentFile
// (KEY=value lines, sorted) and makes the service read it. With an empty env it is
// DefaultUserData.
func DefaultUserDataWithEnvironment(port int, healthPath string, env map[string]string) string {
	const root = "/srv/scalestack/www"
	envFile, envUnit := "", ""
	if len(env) > 0 {
		var b strings.Builder
		b.WriteString("install -d -m 0755 " + path.Dir(EnvironmentFile) + "\n")
		b.WriteString("cat > " + EnvironmentFile + " <<'ENV'\n")
		for _, k := range sortedKeys(env) {
			b.WriteString(k + "=" + env[k] + "\n")
		}
		b.WriteString("ENV\nchmod 0644 " + EnvironmentFile + "\n")
		envFile = b.String()
		envUnit = "EnvironmentFile=-" + EnvironmentFile + "\n"
	}
	file := root + healthPath
	if strings.HasSuffix(healthPath, "/") {
		file += "index.html"
	}
	return fmt.Sprintf(`#!/bin/bash
set -euo pipefail
install -d -m 0755 %[1]s %[2]s
cat > %[1]s/index.html <<'HTML'
<!doctype html>
<html><head><title>scalestack</title></head>
<body><h1>scalestack web tier</h1><p>Replace this page with your application (WebTier UserData).</p></body></html>
HTML
echo ok > %[3]s
chmod -R a+rX %[1]s
%[5]scat > /etc/systemd/system/scalestack-web.service <<'UNIT'
[Unit]
Description=scalestack placeholder web server
Wants=network-online.target
After=network-online.target

[Service]
%[6]sExecStart=/usr/bin/python3 -m http.server %[4]d --bind 0.0.0.0 --directory %[1]s
DynamicUser=yes
AmbientCapabilities=CAP_NET_BIND_SERVICE
Restart=always
RestartSec=2

[Install]
WantedBy=multi-user.target
UNIT
systemctl daemon-reload
systemctl enable --now scalestack-web.service
`, root, path.Dir(file), file, port, envFile, envUnit)
}

// tags merges the user's tags with a child's Name tag (the Name tag wins).
func tags(a Args, name string) pulumi.StringMap {
	out := pulumi.StringMap{}
	for k, v := range a.Tags {
		out[k] = pulumi.String(v)
	}
	out["Name"] = pulumi.String(name)
	return out
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // only maps of strings are marshalled here
	}
	return string(b)
}

// New validates args, applies defaults and registers the web tier's resources.
func New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*WebTier, error) {
	a, err := args.resolve()
	if err != nil {
		return nil, fmt.Errorf("web tier %q: %w", name, err)
	}
	w := &WebTier{}
	if err := ctx.RegisterComponentResource(TypeToken, name, w, opts...); err != nil {
		return nil, err
	}
	parent := pulumi.Parent(w)

	sg, err := securityGroups(ctx, name, a, parent)
	if err != nil {
		return nil, err
	}
	role, profile, err := instanceRole(ctx, name, a, parent)
	if err != nil {
		return nil, err
	}

	ebs := &ec2.LaunchTemplateBlockDeviceMappingEbsArgs{
		VolumeType:          pulumi.String("gp3"),
		VolumeSize:          pulumi.Int(a.RootVolumeGiB),
		Encrypted:           pulumi.String("true"),
		DeleteOnTermination: pulumi.String("true"),
	}
	if a.KMSKeyID != nil {
		ebs.KmsKeyId = a.KMSKeyID
	}
	lt, err := ec2.NewLaunchTemplate(ctx, name, &ec2.LaunchTemplateArgs{
		Description:          pulumi.Sprintf("Instances of web tier %s", name),
		ImageId:              a.ImageID,
		InstanceType:         pulumi.String(a.InstanceType),
		UpdateDefaultVersion: pulumi.Bool(true),
		IamInstanceProfile:   &ec2.LaunchTemplateIamInstanceProfileArgs{Arn: profile.Arn},
		MetadataOptions: &ec2.LaunchTemplateMetadataOptionsArgs{
			HttpEndpoint:            pulumi.String("enabled"),
			HttpTokens:              pulumi.String("required"),
			HttpPutResponseHopLimit: pulumi.Int(1),
			InstanceMetadataTags:    pulumi.String("disabled"),
		},
		BlockDeviceMappings: ec2.LaunchTemplateBlockDeviceMappingArray{&ec2.LaunchTemplateBlockDeviceMappingArgs{
			DeviceName: pulumi.String("/dev/xvda"),
			Ebs:        ebs,
		}},
		NetworkInterfaces: ec2.LaunchTemplateNetworkInterfaceArray{&ec2.LaunchTemplateNetworkInterfaceArgs{
			DeviceIndex:              pulumi.Int(0),
			AssociatePublicIpAddress: pulumi.String("false"),
			DeleteOnTermination:      pulumi.String("true"),
			SecurityGroups:           pulumi.StringArray{sg.ID()},
		}},
		Monitoring: &ec2.LaunchTemplateMonitoringArgs{Enabled: pulumi.Bool(true)},
		UserData: a.UserData.ToStringOutput().ApplyT(func(s string) string {
			return base64.StdEncoding.EncodeToString([]byte(s))
		}).(pulumi.StringOutput),
		TagSpecifications: ec2.LaunchTemplateTagSpecificationArray{
			&ec2.LaunchTemplateTagSpecificationArgs{ResourceType: pulumi.String("instance"), Tags: tags(a, name)},
			&ec2.LaunchTemplateTagSpecificationArgs{ResourceType: pulumi.String("volume"), Tags: tags(a, name)},
		},
		Tags: tags(a, name),
	}, parent)
	if err != nil {
		return nil, fmt.Errorf("creating launch template: %w", err)
	}

	groupTags := autoscaling.GroupTagArray{}
	for _, k := range sortedKeys(a.Tags) {
		if k == "Name" {
			continue
		}
		groupTags = append(groupTags, &autoscaling.GroupTagArgs{Key: pulumi.String(k), Value: pulumi.String(a.Tags[k]), PropagateAtLaunch: pulumi.Bool(false)})
	}
	groupTags = append(groupTags, &autoscaling.GroupTagArgs{Key: pulumi.String("Name"), Value: pulumi.String(name), PropagateAtLaunch: pulumi.Bool(false)})
	asg, err := autoscaling.NewGroup(ctx, name, &autoscaling.GroupArgs{
		VpcZoneIdentifiers:     a.SubnetIDs,
		TargetGroupArns:        a.TargetGroupARNs,
		MinSize:                pulumi.Int(a.MinSize),
		MaxSize:                pulumi.Int(a.MaxSize),
		DesiredCapacity:        pulumi.Int(a.DesiredCapacity),
		HealthCheckType:        pulumi.String("ELB"),
		HealthCheckGracePeriod: pulumi.Int(a.HealthCheckGracePeriodSeconds),
		DefaultInstanceWarmup:  pulumi.Int(InstanceWarmupSeconds),
		// The template's version number (not "$Latest"), so that a template change is a
		// change of the group and starts an instance refresh.
		LaunchTemplate: &autoscaling.GroupLaunchTemplateArgs{
			Id:      lt.ID(),
			Version: lt.LatestVersion.ApplyT(func(v int) string { return fmt.Sprint(v) }).(pulumi.StringOutput),
		},
		InstanceRefresh: &autoscaling.GroupInstanceRefreshArgs{
			Strategy: pulumi.String("Rolling"),
			Preferences: &autoscaling.GroupInstanceRefreshPreferencesArgs{
				MinHealthyPercentage: pulumi.Int(90),
				InstanceWarmup:       pulumi.String(fmt.Sprint(InstanceWarmupSeconds)),
			},
		},
		MetricsGranularity: pulumi.String("1Minute"),
		EnabledMetrics: pulumi.ToStringArray([]string{
			"GroupMinSize", "GroupMaxSize", "GroupDesiredCapacity", "GroupInServiceInstances",
			"GroupPendingInstances", "GroupStandbyInstances", "GroupTerminatingInstances", "GroupTotalInstances",
		}),
		TerminationPolicies: pulumi.ToStringArray([]string{"OldestLaunchTemplate", "OldestInstance"}),
		Tags:                groupTags,
	}, parent, pulumi.IgnoreChanges(ignoredGroupFields(a)))
	if err != nil {
		return nil, fmt.Errorf("creating autoscaling group: %w", err)
	}
	if err := policies(ctx, name, a, asg, parent); err != nil {
		return nil, err
	}
	for _, s := range a.Schedules {
		sa := &autoscaling.ScheduleArgs{
			AutoscalingGroupName: asg.Name,
			ScheduledActionName:  pulumi.String(s.Name),
			Recurrence:           pulumi.String(s.Recurrence),
			MinSize:              pulumi.Int(s.MinSize),
			MaxSize:              pulumi.Int(s.MaxSize),
			DesiredCapacity:      pulumi.Int(s.DesiredCapacity),
		}
		if s.TimeZone != "" {
			sa.TimeZone = pulumi.String(s.TimeZone)
		}
		if _, err := autoscaling.NewSchedule(ctx, name+"-schedule-"+s.Name, sa, parent); err != nil {
			return nil, fmt.Errorf("creating scheduled action %q: %w", s.Name, err)
		}
	}

	w.GroupName = asg.Name
	w.GroupARN = asg.Arn
	w.SecurityGroupID = sg.ID().ToStringOutput()
	w.LaunchTemplateID = lt.ID().ToStringOutput()
	w.InstanceRoleARN = role.Arn
	w.InstanceRoleName = role.Name
	return w, ctx.RegisterResourceOutputs(w, pulumi.Map{
		"instanceRoleName": w.InstanceRoleName,
		"groupName":        w.GroupName,
		"groupArn":         w.GroupARN,
		"securityGroupId":  w.SecurityGroupID,
		"launchTemplateId": w.LaunchTemplateID,
		"instanceRoleArn":  w.InstanceRoleARN,
	})
}

// securityGroups registers the instances' security group and its rules, and the egress rule
// on the load balancer's group that lets it reach (only) the instances on Port.
func securityGroups(ctx *pulumi.Context, name string, a Args, parent pulumi.ResourceOption) (*ec2.SecurityGroup, error) {
	sg, err := ec2.NewSecurityGroup(ctx, name, &ec2.SecurityGroupArgs{
		VpcId:       a.VpcID,
		Description: pulumi.String(fmt.Sprintf("Web tier %s: port %d from the load balancer only; HTTP(S) out for updates", name, a.Port)),
		Tags:        tags(a, name),
	}, parent)
	if err != nil {
		return nil, fmt.Errorf("creating instance security group: %w", err)
	}
	if _, err := vpc.NewSecurityGroupIngressRule(ctx, name+"-from-lb", &vpc.SecurityGroupIngressRuleArgs{
		SecurityGroupId:           sg.ID(),
		ReferencedSecurityGroupId: a.LoadBalancerSecurityGroupID,
		IpProtocol:                pulumi.String("tcp"),
		FromPort:                  pulumi.Int(a.Port),
		ToPort:                    pulumi.Int(a.Port),
		Description:               pulumi.String("HTTP from the load balancer"),
	}, parent); err != nil {
		return nil, fmt.Errorf("creating ingress rule from the load balancer: %w", err)
	}
	if _, err := vpc.NewSecurityGroupEgressRule(ctx, name+"-lb-to-instances", &vpc.SecurityGroupEgressRuleArgs{
		SecurityGroupId:           a.LoadBalancerSecurityGroupID,
		ReferencedSecurityGroupId: sg.ID(),
		IpProtocol:                pulumi.String("tcp"),
		FromPort:                  pulumi.Int(a.Port),
		ToPort:                    pulumi.Int(a.Port),
		Description:               pulumi.Sprintf("HTTP to the instances of web tier %s", name),
	}, parent); err != nil {
		return nil, fmt.Errorf("creating load balancer egress rule: %w", err)
	}
	for _, out := range []struct {
		key  string
		port int
	}{{"https", 443}, {"http", 80}} {
		if _, err := vpc.NewSecurityGroupEgressRule(ctx, name+"-"+out.key+"-out", &vpc.SecurityGroupEgressRuleArgs{
			SecurityGroupId: sg.ID(),
			CidrIpv4:        pulumi.String("0.0.0.0/0"),
			IpProtocol:      pulumi.String("tcp"),
			FromPort:        pulumi.Int(out.port),
			ToPort:          pulumi.Int(out.port),
			Description:     pulumi.String(strings.ToUpper(out.key) + " out for package updates and AWS APIs (SSM)"),
		}, parent); err != nil {
			return nil, fmt.Errorf("creating %s egress rule: %w", out.key, err)
		}
	}
	return sg, nil
}

// instanceRole registers the instances' role (Systems Manager access only) and its profile.
func instanceRole(ctx *pulumi.Context, name string, a Args, parent pulumi.ResourceOption) (*iam.Role, *iam.InstanceProfile, error) {
	role, err := iam.NewRole(ctx, name, &iam.RoleArgs{
		Description: pulumi.Sprintf("Instances of web tier %s", name),
		AssumeRolePolicy: pulumi.String(mustJSON(map[string]any{
			"Version": "2012-10-17",
			"Statement": []any{map[string]any{
				"Effect":    "Allow",
				"Principal": map[string]any{"Service": "ec2.amazonaws.com"},
				"Action":    "sts:AssumeRole",
			}},
		})),
		Tags: tags(a, name),
	}, parent)
	if err != nil {
		return nil, nil, fmt.Errorf("creating instance role: %w", err)
	}
	// The managed policy lives in the role's partition (aws, aws-us-gov, aws-cn).
	policyARN := role.Arn.ApplyT(func(arn string) string {
		partition := "aws"
		if p := strings.SplitN(arn, ":", 3); len(p) == 3 && p[1] != "" {
			partition = p[1]
		}
		return "arn:" + partition + ":iam::aws:policy/AmazonSSMManagedInstanceCore"
	}).(pulumi.StringOutput)
	if _, err := iam.NewRolePolicyAttachment(ctx, name+"-ssm", &iam.RolePolicyAttachmentArgs{
		Role:      role.Name,
		PolicyArn: policyARN,
	}, parent); err != nil {
		return nil, nil, fmt.Errorf("attaching SSM policy: %w", err)
	}
	profile, err := iam.NewInstanceProfile(ctx, name, &iam.InstanceProfileArgs{
		Role: role.Name,
		Tags: tags(a, name),
	}, parent)
	if err != nil {
		return nil, nil, fmt.Errorf("creating instance profile: %w", err)
	}
	return role, profile, nil
}

// policies registers the scaling policies and the alarms that drive the step policies.
func policies(ctx *pulumi.Context, name string, a Args, asg *autoscaling.Group, parent pulumi.ResourceOption) error {
	if _, err := autoscaling.NewPolicy(ctx, name+"-cpu", &autoscaling.PolicyArgs{
		AutoscalingGroupName: asg.Name,
		PolicyType:           pulumi.String("TargetTrackingScaling"),
		TargetTrackingConfiguration: &autoscaling.PolicyTargetTrackingConfigurationArgs{
			PredefinedMetricSpecification: &autoscaling.PolicyTargetTrackingConfigurationPredefinedMetricSpecificationArgs{
				PredefinedMetricType: pulumi.String("ASGAverageCPUUtilization"),
			},
			TargetValue: pulumi.Float64(float64(a.TargetCPUPercent)),
		},
	}, parent); err != nil {
		return fmt.Errorf("creating CPU target-tracking policy: %w", err)
	}
	if !a.DisableRequestScaling {
		if _, err := autoscaling.NewPolicy(ctx, name+"-requests", &autoscaling.PolicyArgs{
			AutoscalingGroupName: asg.Name,
			PolicyType:           pulumi.String("TargetTrackingScaling"),
			TargetTrackingConfiguration: &autoscaling.PolicyTargetTrackingConfigurationArgs{
				PredefinedMetricSpecification: &autoscaling.PolicyTargetTrackingConfigurationPredefinedMetricSpecificationArgs{
					PredefinedMetricType: pulumi.String("ALBRequestCountPerTarget"),
					ResourceLabel:        pulumi.Sprintf("%s/%s", a.LoadBalancerARNSuffix, a.TargetGroupARNSuffix),
				},
				TargetValue: pulumi.Float64(float64(a.RequestsPerTarget)),
			},
		}, parent); err != nil {
			return fmt.Errorf("creating request-count target-tracking policy: %w", err)
		}
	}
	if a.DisableStepScaling {
		return nil
	}
	out, err := autoscaling.NewPolicy(ctx, name+"-step-out", &autoscaling.PolicyArgs{
		AutoscalingGroupName:    asg.Name,
		PolicyType:              pulumi.String("StepScaling"),
		AdjustmentType:          pulumi.String("ChangeInCapacity"),
		MetricAggregationType:   pulumi.String("Average"),
		EstimatedInstanceWarmup: pulumi.Int(InstanceWarmupSeconds),
		StepAdjustments: autoscaling.PolicyStepAdjustmentArray{
			&autoscaling.PolicyStepAdjustmentArgs{MetricIntervalLowerBound: pulumi.String("0"), MetricIntervalUpperBound: pulumi.String("15"), ScalingAdjustment: pulumi.Int(1)},
			&autoscaling.PolicyStepAdjustmentArgs{MetricIntervalLowerBound: pulumi.String("15"), ScalingAdjustment: pulumi.Int(2)},
		},
	}, parent)
	if err != nil {
		return fmt.Errorf("creating step-out policy: %w", err)
	}
	in, err := autoscaling.NewPolicy(ctx, name+"-step-in", &autoscaling.PolicyArgs{
		AutoscalingGroupName:  asg.Name,
		PolicyType:            pulumi.String("StepScaling"),
		AdjustmentType:        pulumi.String("ChangeInCapacity"),
		MetricAggregationType: pulumi.String("Average"),
		StepAdjustments: autoscaling.PolicyStepAdjustmentArray{
			&autoscaling.PolicyStepAdjustmentArgs{MetricIntervalUpperBound: pulumi.String("0"), ScalingAdjustment: pulumi.Int(-1)},
		},
	}, parent)
	if err != nil {
		return fmt.Errorf("creating step-in policy: %w", err)
	}
	alarms := []struct {
		key, cmp, desc string
		threshold      int
		periods        int
		policy         *autoscaling.Policy
	}{
		{"cpu-high", "GreaterThanOrEqualToThreshold", "add instances", a.StepOutCPUPercent, 2, out},
		{"cpu-low", "LessThanOrEqualToThreshold", "remove an instance", a.StepInCPUPercent, 10, in},
	}
	for _, al := range alarms {
		if _, err := cloudwatch.NewMetricAlarm(ctx, name+"-"+al.key, &cloudwatch.MetricAlarmArgs{
			AlarmDescription:   pulumi.Sprintf("Web tier %s: average CPU %d%% or beyond: %s", name, al.threshold, al.desc),
			Namespace:          pulumi.String("AWS/EC2"),
			MetricName:         pulumi.String("CPUUtilization"),
			Dimensions:         pulumi.StringMap{"AutoScalingGroupName": asg.Name},
			Statistic:          pulumi.String("Average"),
			Period:             pulumi.Int(60),
			EvaluationPeriods:  pulumi.Int(al.periods),
			Threshold:          pulumi.Float64(float64(al.threshold)),
			ComparisonOperator: pulumi.String(al.cmp),
			TreatMissingData:   pulumi.String("notBreaching"),
			AlarmActions:       pulumi.Array{al.policy.Arn},
			Tags:               tags(a, name+"-"+al.key),
		}, parent); err != nil {
			return fmt.Errorf("creating %s alarm: %w", al.key, err)
		}
	}
	return nil
}

// ignoredGroupFields are the Auto Scaling group fields Pulumi leaves alone after creation:
// desiredCapacity always (the scaling policies own it), and minSize and maxSize too when
// scheduled actions exist, since a scheduled action sets all three on the group ("Scheduled
// scaling", EC2 Auto Scaling user guide) and the next `pulumi up --refresh` inside a
// scheduled window would otherwise put min and max back and undo the schedule.
func ignoredGroupFields(a Args) []string {
	if len(a.Schedules) > 0 {
		return []string{"desiredCapacity", "maxSize", "minSize"}
	}
	return []string{"desiredCapacity"}
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
