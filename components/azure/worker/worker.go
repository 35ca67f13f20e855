// Package worker creates the worker tier of the asynchronous tier on Azure: a hardened scale
// set (the web tier's, from webtier.Build: Trusted Launch, encrypted disks, no public address,
// password login off, rolling upgrades, automatic repairs behind the Application Health
// extension) in the given subnet with no load balancer, its system-assigned identity allowed
// to process its queue and to send to its poison queue only, and an autoscale setting that
// keeps the backlog per instance near BacklogPerWorker.
//
// The backlog rule reads the queue's length the way Azure Monitor autoscale documents for
// Storage queues: metricName ApproximateMessageCount, an empty metricNamespace and
// metricResourceUri <account ID>/services/queue/queues/<queue>; the threshold of that special
// metric is messages per instance (with 2 instances and threshold 100, autoscale scales out
// at 200 messages).
// https://learn.microsoft.com/azure/azure-monitor/autoscale/autoscale-common-metrics
//
// Scale-out is by one instance when the backlog per instance stays over BacklogPerWorker for
// five minutes (or CPU over TargetCPUPercent); scale-in by one when it stays under half of it
// and CPU is low (autoscale scales in only when every scale-in rule agrees).
package worker

import (
	"fmt"

	"github.com/pulumi/pulumi-azure-native-sdk/insights/v2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/scalestack/scalestack/components/azure/queue"
	"github.com/scalestack/scalestack/components/azure/webtier"
)

// typeToken is part of every child's URN: changing it needs pulumi.Aliases.
const typeToken = "scalestack:azure:Worker"

// QueueLengthMetric is the special autoscale metric of a Storage queue's length.
const QueueLengthMetric = "ApproximateMessageCount"

// Args configures a Worker. Zero values mean the documented default.
type Args struct {
	// Location of the scale set. Required.
	Location string
	// ResourceGroupName holds the scale set and its autoscale setting. Required.
	ResourceGroupName pulumi.StringInput
	// SubnetID is the subnet of the instances (the web subnet: it reaches the queue's private
	// endpoint). Required.
	SubnetID pulumi.StringInput
	// QueueID and PoisonQueueID are the queues' ARM IDs (role scopes); MetricResourceURI the
	// queue as autoscale names it (queue.Queue.MetricResourceURI). Required.
	QueueID, PoisonQueueID, MetricResourceURI pulumi.StringInput
	// MinSize and MaxSize bound the instances. Default: 1 and max(3, MinSize).
	// Allowed: 0 <= MinSize <= MaxSize <= 1000.
	MinSize, MaxSize int
	// BacklogPerWorker is the queued messages per instance the autoscaler keeps. Default: 100.
	// Allowed: 1-100000.
	BacklogPerWorker int
	// VMSize, Image, SSHPublicKey and EncryptionAtHost as in webtier.Args.
	VMSize           string
	Image            webtier.Image
	SSHPublicKey     string
	EncryptionAtHost bool
	// SubscriptionID names the subscription of the role definitions (see queue.Args).
	// Default: "".
	SubscriptionID string
	// CloudInit runs the worker program. Default: webtier.DefaultCloudInit on port 8080 (a
	// health endpoint only: deploy the worker program with your image or cloud-init).
	CloudInit string
	// Tags are added to every child, under the "tier" tag.
	Tags map[string]string
}

type resolved struct{ Args }

// Validate checks args (with the defaults applied) without registering anything.
func (a *Args) Validate() error {
	r, err := a.resolve()
	if err != nil {
		return err
	}
	return r.webArgs().Validate()
}

func (a *Args) resolve() (*resolved, error) {
	if a == nil {
		return nil, fmt.Errorf("args are required: want Location, ResourceGroupName, SubnetID and the queue")
	}
	r := &resolved{*a}
	if r.MinSize == 0 && r.MaxSize == 0 {
		r.MinSize = 1
	}
	if r.MaxSize == 0 {
		r.MaxSize = max(3, r.MinSize)
	}
	if r.BacklogPerWorker == 0 {
		r.BacklogPerWorker = 100
	}
	switch {
	case r.QueueID == nil || r.PoisonQueueID == nil || r.MetricResourceURI == nil:
		return nil, fmt.Errorf("QueueID, PoisonQueueID and MetricResourceURI are required: the queue the workers process")
	case r.MinSize < 0 || r.MaxSize < r.MinSize || r.MaxSize > 1000:
		return nil, fmt.Errorf("MinSize %d and MaxSize %d are not allowed: want 0 <= MinSize <= MaxSize <= 1000", r.MinSize, r.MaxSize)
	case r.BacklogPerWorker < 1 || r.BacklogPerWorker > 100000:
		return nil, fmt.Errorf("BacklogPerWorker %d is not allowed: want 1-100000", r.BacklogPerWorker)
	case r.SubscriptionID != "" && !queue.GUIDRE.MatchString(r.SubscriptionID):
		return nil, fmt.Errorf("SubscriptionID %q is not a subscription ID: want a GUID, or \"\"", r.SubscriptionID)
	}
	return r, nil
}

func (r *resolved) webArgs() *webtier.Args {
	return &webtier.Args{
		Location: r.Location, ResourceGroupName: r.ResourceGroupName, SubnetID: r.SubnetID,
		VMSize: r.VMSize, Image: r.Image, MinSize: r.MinSize, MaxSize: r.MaxSize, DesiredSize: r.MinSize,
		SSHPublicKey: r.SSHPublicKey, EncryptionAtHost: r.EncryptionAtHost, CloudInit: r.CloudInit, Tags: r.Tags,
	}
}

// Worker is the worker scale set, its autoscale setting and its queue roles.
type Worker struct {
	pulumi.ResourceState

	// ScaleSetID and ScaleSetName are the scale set's.
	ScaleSetID   pulumi.StringOutput `pulumi:"scaleSetId"`
	ScaleSetName pulumi.StringOutput `pulumi:"scaleSetName"`
	// AutoscaleSettingID is the autoscale setting's ARM ID.
	AutoscaleSettingID pulumi.StringOutput `pulumi:"autoscaleSettingId"`
	// PrincipalID is the object ID of the scale set's system-assigned identity.
	PrincipalID pulumi.StringOutput `pulumi:"principalId"`

	// MaxSize is the resolved maximum (the at-max alert fires at it).
	MaxSize int
}

// New validates args, applies defaults and registers the worker tier.
func New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*Worker, error) {
	a, err := args.resolve()
	if err != nil {
		return nil, fmt.Errorf("worker %q: %w", name, err)
	}
	if err := a.webArgs().Validate(); err != nil {
		return nil, fmt.Errorf("worker %q: %w", name, err)
	}
	w := &Worker{MaxSize: a.MaxSize}
	if err := ctx.RegisterComponentResource(typeToken, name, w, opts...); err != nil {
		return nil, err
	}
	parent := pulumi.Parent(w)
	uri := a.MetricResourceURI.ToStringOutput()
	in := max(a.BacklogPerWorker/2, 1)
	backlog := insights.ScaleRuleArray{
		backlogRule(uri, insights.ComparisonOperationTypeGreaterThan, float64(a.BacklogPerWorker), insights.ScaleDirectionIncrease, "PT5M"),
		backlogRule(uri, insights.ComparisonOperationTypeLessThan, float64(in), insights.ScaleDirectionDecrease, "PT10M"),
	}
	ss, as, _, err := webtier.Build(ctx, name, a.webArgs(), "worker", "worker", backlog, parent)
	if err != nil {
		return nil, fmt.Errorf("worker %q: %w", name, err)
	}
	principal := ss.Identity.PrincipalId().Elem()
	// Least privilege: receive and delete on its queue; add on its poison queue only.
	if _, err := queue.Grant(ctx, name+"-process", principal, a.QueueID.ToStringOutput(), queue.ProcessorRoleID, a.SubscriptionID, parent); err != nil {
		return nil, err
	}
	if _, err := queue.Grant(ctx, name+"-poison-send", principal, a.PoisonQueueID.ToStringOutput(), queue.SenderRoleID, a.SubscriptionID, parent); err != nil {
		return nil, err
	}

	w.ScaleSetID, w.ScaleSetName = ss.ID().ToStringOutput(), ss.Name
	w.AutoscaleSettingID = as.ID().ToStringOutput()
	w.PrincipalID = principal
	return w, ctx.RegisterResourceOutputs(w, pulumi.Map{
		"scaleSetId": w.ScaleSetID, "scaleSetName": w.ScaleSetName,
		"autoscaleSettingId": w.AutoscaleSettingID, "principalId": w.PrincipalID,
	})
}

// backlogRule is a scale rule on the queue's length per instance.
func backlogRule(queueURI pulumi.StringOutput, op insights.ComparisonOperationType, threshold float64, dir insights.ScaleDirection, cooldown string) *insights.ScaleRuleArgs {
	return &insights.ScaleRuleArgs{
		MetricTrigger: &insights.MetricTriggerArgs{
			MetricName:        pulumi.String(QueueLengthMetric),
			MetricNamespace:   pulumi.String(""),
			MetricResourceUri: queueURI,
			Operator:          op,
			Statistic:         insights.MetricStatisticTypeAverage,
			Threshold:         pulumi.Float64(threshold),
			TimeAggregation:   insights.TimeAggregationTypeAverage,
			TimeGrain:         pulumi.String("PT1M"),
			TimeWindow:        pulumi.String("PT5M"),
		},
		ScaleAction: &insights.ScaleActionArgs{
			Direction: dir,
			Type:      insights.ScaleTypeChangeCount,
			Value:     pulumi.String("1"),
			Cooldown:  pulumi.String(cooldown),
		},
	}
}
