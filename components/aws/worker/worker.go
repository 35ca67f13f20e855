// Package worker creates the tier that drains an SQS queue: an Auto Scaling group in private
// subnets, with its own hardened launch template (IMDSv2, encrypted root volume, no public
// IP: components/aws/launchtemplate), a security group that admits nothing and sends only
// HTTPS, a least-privilege instance role (Systems Manager, and receive, delete, change
// visibility and get attributes on its queue only, kms:Decrypt on the queue's key through
// SQS only), and a target-tracking policy that keeps the backlog per instance near a target.
//
// The backlog per instance is the metric-math form AWS documents for SQS ("Create a target
// tracking scaling policy using metric math", Amazon EC2 Auto Scaling user guide):
// ApproximateNumberOfMessagesVisible of the queue (Sum) divided by the group's
// GroupInServiceInstances (Average). No custom metric is published.
//
// The region is the region of the provider the component is given.
package worker

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/autoscaling"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/vpc"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/scalestack/scalestack/components/aws/launchtemplate"
	"github.com/scalestack/scalestack/components/aws/queue"
)

// TypeToken is the component's type; it is part of every child's URN, so changing it needs
// pulumi.Aliases.
const TypeToken = "scalestack:aws:Worker"

// Defaults applied by Args.withDefaults.
const (
	DefaultMinSize          = 1
	DefaultBacklogPerWorker = 100
	// InstanceWarmupSeconds is how long a new worker is left out of the group's metrics.
	InstanceWarmupSeconds = 120
)

// Args configures a Worker. Zero values mean the documented default.
type Args struct {
	// VpcID is the VPC of the workers' security group. Required.
	VpcID pulumi.StringInput
	// SubnetIDs are the private subnets the workers run in, one per zone. Required.
	SubnetIDs pulumi.StringArrayInput
	// QueueARN, QueueURL and QueueName identify the queue the workers drain (queue.Queue's
	// ARN, URL and Name). Required.
	QueueARN pulumi.StringInput
	// QueueURL is written to /etc/scalestack/worker.env as SCALESTACK_QUEUE_URL. Required.
	QueueURL pulumi.StringInput
	// QueueName is the CloudWatch dimension of the backlog metric. Required.
	QueueName pulumi.StringInput
	// QueueKMSKeyARN is the queue's key: the role may decrypt with it through SQS. Required.
	QueueKMSKeyARN pulumi.StringInput

	// MinSize is the fewest workers. Default: 1. Allowed: 1 or more: backlog per instance is
	// divided by the instances in service, and with none it has no value to scale out on.
	MinSize int
	// MaxSize is the most workers. Required: at least MinSize.
	MaxSize int
	// BacklogPerWorker is the visible messages per in-service worker the policy keeps.
	// Default: 100. Allowed: 1-100000. Choose it as (acceptable latency) / (processing time
	// of one message).
	BacklogPerWorker int

	// ImageID, InstanceType, RootVolumeGiB and KMSKeyID configure the launch template; see
	// launchtemplate.Args for their defaults.
	ImageID pulumi.StringInput
	// InstanceType of the workers. Default: "t3.small".
	InstanceType string
	// RootVolumeGiB of the encrypted gp3 root volume. Default: 20. Allowed: 8-16384.
	RootVolumeGiB int
	// KMSKeyID encrypts the root volume. Default: the account's EBS key (aws/ebs).
	KMSKeyID pulumi.StringInput
	// UserData is the start-up script (plain text). Default: DefaultUserData, which writes
	// the queue's URL to /etc/scalestack/worker.env and starts nothing: install your worker.
	UserData pulumi.StringInput

	// Policies are further inline policies of the workers' role, keyed by a stable name that
	// names the policy resource ("cache": the cache's ClientPolicyJSON). Default: none.
	Policies map[string]pulumi.StringInput
	// Tags are added to every child that takes tags, and to the instances and volumes.
	Tags map[string]string
}

// Worker is an Auto Scaling group that drains a queue.
type Worker struct {
	pulumi.ResourceState

	// GroupName is the Auto Scaling group's name.
	GroupName pulumi.StringOutput `pulumi:"groupName"`
	// GroupARN is the Auto Scaling group's ARN.
	GroupARN pulumi.StringOutput `pulumi:"groupArn"`
	// SecurityGroupID is the workers' security group: admit it where workers connect (the
	// cache, the database).
	SecurityGroupID pulumi.StringOutput `pulumi:"securityGroupId"`
	// InstanceRoleARN is the workers' IAM role.
	InstanceRoleARN pulumi.StringOutput `pulumi:"instanceRoleArn"`
	// InstanceRoleName is the role's name, to attach further policies.
	InstanceRoleName pulumi.StringOutput `pulumi:"instanceRoleName"`
	// LaunchTemplateID is the launch template's id.
	LaunchTemplateID pulumi.StringOutput `pulumi:"launchTemplateId"`
}

var (
	nameRE      = regexp.MustCompile(`^[a-z][a-z0-9-]{0,38}$`)
	policyKeyRE = regexp.MustCompile(`^[a-z][a-z0-9-]{0,30}$`)
)

func (a Args) withDefaults() Args {
	if a.MinSize == 0 {
		a.MinSize = DefaultMinSize
	}
	if a.BacklogPerWorker == 0 {
		a.BacklogPerWorker = DefaultBacklogPerWorker
	}
	return a
}

// validate checks the name and defaulted args, reporting every problem at once.
func validate(name string, a Args) (launchtemplate.Args, error) {
	var p []string
	bad := func(format string, args ...any) { p = append(p, fmt.Sprintf(format, args...)) }
	if !nameRE.MatchString(name) {
		bad("name %q is not allowed: want 1-39 lowercase letters, digits and hyphens, starting with a letter", name)
	}
	for _, r := range []struct {
		ok   bool
		what string
	}{
		{a.VpcID != nil, "VpcID is required"},
		{a.SubnetIDs != nil, "SubnetIDs is required: want the private subnets"},
		{a.QueueARN != nil, "QueueARN is required"},
		{a.QueueURL != nil, "QueueURL is required"},
		{a.QueueName != nil, "QueueName is required: the backlog metric's dimension"},
		{a.QueueKMSKeyARN != nil, "QueueKMSKeyARN is required: the workers decrypt messages with it"},
	} {
		if !r.ok {
			bad("%s", r.what)
		}
	}
	if a.MinSize < 1 {
		bad("MinSize %d is not allowed: want 1 or more (backlog per instance divides by the instances in service)", a.MinSize)
	}
	if a.MaxSize < a.MinSize || a.MaxSize < 1 {
		bad("MaxSize %d is not allowed: want at least MinSize %d", a.MaxSize, a.MinSize)
	}
	if a.BacklogPerWorker < 1 || a.BacklogPerWorker > 100000 {
		bad("BacklogPerWorker %d is not allowed: want 1-100000", a.BacklogPerWorker)
	}
	for _, k := range sortedKeys(a.Policies) {
		if !policyKeyRE.MatchString(k) {
			bad("Policies key %q is not allowed: want 1-31 lowercase letters, digits and hyphens, starting with a letter", k)
		}
		if a.Policies[k] == nil {
			bad("Policies[%s] is nil: want a policy document", k)
		}
	}
	lt, err := launchtemplate.Args{
		ImageID: a.ImageID, InstanceType: a.InstanceType, RootVolumeGiB: a.RootVolumeGiB, KMSKeyID: a.KMSKeyID,
	}.Resolve()
	if err != nil {
		bad("%v", err)
	}
	if len(p) > 0 {
		return lt, errors.New(strings.Join(p, "; "))
	}
	return lt, nil
}

// DefaultUserData is the start-up script used when Args.UserData is nil: it writes the
// queue's URL to /etc/scalestack/worker.env for the worker process to read, and starts
// nothing (a worker image or a later script installs the application).
func DefaultUserData(queueURL string) string {
	return fmt.Sprintf(`#!/bin/bash
set -euo pipefail
install -d -m 0755 /etc/scalestack
cat > /etc/scalestack/worker.env <<'ENV'
SCALESTACK_QUEUE_URL=%s
ENV
`, queueURL)
}

// New validates args, applies defaults and registers the worker tier's resources.
func New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*Worker, error) {
	if args == nil {
		args = &Args{}
	}
	a := args.withDefaults()
	ltArgs, err := validate(name, a)
	if err != nil {
		return nil, fmt.Errorf("worker %q: %w", name, err)
	}
	w := &Worker{}
	if err := ctx.RegisterComponentResource(TypeToken, name, w, opts...); err != nil {
		return nil, err
	}
	parent := pulumi.Parent(w)

	sg, err := ec2.NewSecurityGroup(ctx, name, &ec2.SecurityGroupArgs{
		VpcId:       a.VpcID,
		Description: pulumi.Sprintf("Worker tier %s: no inbound; HTTPS out (SQS, SSM, package repositories)", name),
		Tags:        tags(a.Tags, name),
	}, parent)
	if err != nil {
		return nil, fmt.Errorf("creating security group: %w", err)
	}
	if _, err := vpc.NewSecurityGroupEgressRule(ctx, name+"-https-out", &vpc.SecurityGroupEgressRuleArgs{
		SecurityGroupId: sg.ID(),
		CidrIpv4:        pulumi.String("0.0.0.0/0"),
		IpProtocol:      pulumi.String("tcp"),
		FromPort:        pulumi.Int(443),
		ToPort:          pulumi.Int(443),
		Description:     pulumi.String("HTTPS out to AWS APIs (SQS, SSM) and package repositories"),
		Tags:            tags(a.Tags, name+"-https-out"),
	}, parent); err != nil {
		return nil, fmt.Errorf("creating HTTPS egress rule: %w", err)
	}

	role, profile, err := instanceRole(ctx, name, a, parent)
	if err != nil {
		return nil, err
	}

	ltArgs.Description = fmt.Sprintf("Workers of %s", name)
	ltArgs.InstanceProfileARN = profile.Arn
	ltArgs.SecurityGroupIDs = pulumi.StringArray{sg.ID()}
	ltArgs.Tags = tags(a.Tags, name)
	ltArgs.UserData = a.UserData
	if ltArgs.UserData == nil {
		ltArgs.UserData = a.QueueURL.ToStringOutput().ApplyT(DefaultUserData).(pulumi.StringOutput)
	}
	lt, err := launchtemplate.New(ctx, name, ltArgs, parent)
	if err != nil {
		return nil, err
	}

	groupTags := autoscaling.GroupTagArray{}
	for _, k := range sortedKeys(a.Tags) {
		if k != "Name" {
			groupTags = append(groupTags, &autoscaling.GroupTagArgs{Key: pulumi.String(k), Value: pulumi.String(a.Tags[k]), PropagateAtLaunch: pulumi.Bool(false)})
		}
	}
	groupTags = append(groupTags, &autoscaling.GroupTagArgs{Key: pulumi.String("Name"), Value: pulumi.String(name), PropagateAtLaunch: pulumi.Bool(false)})
	asg, err := autoscaling.NewGroup(ctx, name, &autoscaling.GroupArgs{
		VpcZoneIdentifiers:     a.SubnetIDs,
		MinSize:                pulumi.Int(a.MinSize),
		MaxSize:                pulumi.Int(a.MaxSize),
		DesiredCapacity:        pulumi.Int(a.MinSize),
		HealthCheckType:        pulumi.String("EC2"),
		HealthCheckGracePeriod: pulumi.Int(InstanceWarmupSeconds),
		DefaultInstanceWarmup:  pulumi.Int(InstanceWarmupSeconds),
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
		// GroupInServiceInstances is the divisor of the backlog per instance: Auto Scaling
		// publishes it only while group metrics collection is on.
		MetricsGranularity: pulumi.String("1Minute"),
		EnabledMetrics: pulumi.ToStringArray([]string{
			"GroupMinSize", "GroupMaxSize", "GroupDesiredCapacity", "GroupInServiceInstances",
			"GroupPendingInstances", "GroupTerminatingInstances", "GroupTotalInstances",
		}),
		TerminationPolicies: pulumi.ToStringArray([]string{"OldestLaunchTemplate", "OldestInstance"}),
		Tags:                groupTags,
	}, parent, pulumi.IgnoreChanges([]string{"desiredCapacity"}))
	if err != nil {
		return nil, fmt.Errorf("creating autoscaling group: %w", err)
	}

	if _, err := autoscaling.NewPolicy(ctx, name+"-backlog", &autoscaling.PolicyArgs{
		AutoscalingGroupName:    asg.Name,
		PolicyType:              pulumi.String("TargetTrackingScaling"),
		EstimatedInstanceWarmup: pulumi.Int(InstanceWarmupSeconds),
		TargetTrackingConfiguration: &autoscaling.PolicyTargetTrackingConfigurationArgs{
			TargetValue:                   pulumi.Float64(float64(a.BacklogPerWorker)),
			CustomizedMetricSpecification: backlogPerInstance(a.QueueName, asg.Name),
		},
	}, parent); err != nil {
		return nil, fmt.Errorf("creating backlog target-tracking policy: %w", err)
	}

	w.GroupName = asg.Name
	w.GroupARN = asg.Arn
	w.SecurityGroupID = sg.ID().ToStringOutput()
	w.InstanceRoleARN = role.Arn
	w.InstanceRoleName = role.Name
	w.LaunchTemplateID = lt.ID().ToStringOutput()
	return w, ctx.RegisterResourceOutputs(w, pulumi.Map{
		"groupName":        w.GroupName,
		"groupArn":         w.GroupARN,
		"securityGroupId":  w.SecurityGroupID,
		"instanceRoleArn":  w.InstanceRoleARN,
		"instanceRoleName": w.InstanceRoleName,
		"launchTemplateId": w.LaunchTemplateID,
	})
}

// backlogPerInstance is the metric-math specification AWS documents for SQS: visible
// messages (Sum) divided by the instances in service (Average).
func backlogPerInstance(queueName, groupName pulumi.StringInput) *autoscaling.PolicyTargetTrackingConfigurationCustomizedMetricSpecificationArgs {
	type dim = autoscaling.PolicyTargetTrackingConfigurationCustomizedMetricSpecificationMetricMetricStatMetricDimensionArgs
	type dims = autoscaling.PolicyTargetTrackingConfigurationCustomizedMetricSpecificationMetricMetricStatMetricDimensionArray
	return &autoscaling.PolicyTargetTrackingConfigurationCustomizedMetricSpecificationArgs{
		Metrics: autoscaling.PolicyTargetTrackingConfigurationCustomizedMetricSpecificationMetricArray{
			&autoscaling.PolicyTargetTrackingConfigurationCustomizedMetricSpecificationMetricArgs{
				Id:    pulumi.String("visible"),
				Label: pulumi.String("Messages visible in the queue"),
				MetricStat: &autoscaling.PolicyTargetTrackingConfigurationCustomizedMetricSpecificationMetricMetricStatArgs{
					Metric: &autoscaling.PolicyTargetTrackingConfigurationCustomizedMetricSpecificationMetricMetricStatMetricArgs{
						Namespace:  pulumi.String("AWS/SQS"),
						MetricName: pulumi.String("ApproximateNumberOfMessagesVisible"),
						Dimensions: dims{&dim{Name: pulumi.String("QueueName"), Value: queueName}},
					},
					Stat: pulumi.String("Sum"),
				},
				ReturnData: pulumi.Bool(false),
			},
			&autoscaling.PolicyTargetTrackingConfigurationCustomizedMetricSpecificationMetricArgs{
				Id:    pulumi.String("inservice"),
				Label: pulumi.String("Workers in service"),
				MetricStat: &autoscaling.PolicyTargetTrackingConfigurationCustomizedMetricSpecificationMetricMetricStatArgs{
					Metric: &autoscaling.PolicyTargetTrackingConfigurationCustomizedMetricSpecificationMetricMetricStatMetricArgs{
						Namespace:  pulumi.String("AWS/AutoScaling"),
						MetricName: pulumi.String("GroupInServiceInstances"),
						Dimensions: dims{&dim{Name: pulumi.String("AutoScalingGroupName"), Value: groupName}},
					},
					Stat: pulumi.String("Average"),
				},
				ReturnData: pulumi.Bool(false),
			},
			&autoscaling.PolicyTargetTrackingConfigurationCustomizedMetricSpecificationMetricArgs{
				Id:         pulumi.String("backlog"),
				Expression: pulumi.String("visible / inservice"),
				Label:      pulumi.String("Backlog per worker"),
				ReturnData: pulumi.Bool(true),
			},
		},
	}
}

// instanceRole registers the workers' role: Systems Manager, consuming its queue, and the
// further policies of Args.Policies.
func instanceRole(ctx *pulumi.Context, name string, a Args, parent pulumi.ResourceOption) (*iam.Role, *iam.InstanceProfile, error) {
	role, err := iam.NewRole(ctx, name, &iam.RoleArgs{
		Description: pulumi.Sprintf("Workers of %s", name),
		AssumeRolePolicy: pulumi.String(mustJSON(map[string]any{
			"Version": "2012-10-17",
			"Statement": []any{map[string]any{
				"Effect": "Allow", "Principal": map[string]any{"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole",
			}},
		})),
		Tags: tags(a.Tags, name),
	}, parent)
	if err != nil {
		return nil, nil, fmt.Errorf("creating instance role: %w", err)
	}
	policyARN := role.Arn.ApplyT(func(arn string) string {
		partition := "aws"
		if p := strings.SplitN(arn, ":", 3); len(p) == 3 && p[1] != "" {
			partition = p[1]
		}
		return "arn:" + partition + ":iam::aws:policy/AmazonSSMManagedInstanceCore"
	}).(pulumi.StringOutput)
	if _, err := iam.NewRolePolicyAttachment(ctx, name+"-ssm", &iam.RolePolicyAttachmentArgs{
		Role: role.Name, PolicyArn: policyARN,
	}, parent); err != nil {
		return nil, nil, fmt.Errorf("attaching SSM policy: %w", err)
	}
	if _, err := iam.NewRolePolicy(ctx, name+"-queue", &iam.RolePolicyArgs{
		Role: role.Name,
		Policy: pulumi.All(a.QueueARN, a.QueueKMSKeyARN).ApplyT(func(v []any) string {
			return queue.ConsumerPolicy(v[0].(string), v[1].(string))
		}).(pulumi.StringOutput),
	}, parent); err != nil {
		return nil, nil, fmt.Errorf("creating queue policy: %w", err)
	}
	for _, k := range sortedKeys(a.Policies) {
		if _, err := iam.NewRolePolicy(ctx, name+"-policy-"+k, &iam.RolePolicyArgs{
			Role: role.Name, Policy: a.Policies[k],
		}, parent); err != nil {
			return nil, nil, fmt.Errorf("creating policy %q: %w", k, err)
		}
	}
	profile, err := iam.NewInstanceProfile(ctx, name, &iam.InstanceProfileArgs{
		Role: role.Name, Tags: tags(a.Tags, name),
	}, parent)
	if err != nil {
		return nil, nil, fmt.Errorf("creating instance profile: %w", err)
	}
	return role, profile, nil
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// tags merges the user's tags with a child's Name tag (the Name tag wins).
func tags(user map[string]string, name string) pulumi.StringMap {
	out := pulumi.StringMap{}
	for k, v := range user {
		out[k] = pulumi.String(v)
	}
	out["Name"] = pulumi.String(name)
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
