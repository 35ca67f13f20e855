// Package monitoring raises CloudWatch alarms for a web backend on AWS and sends them, and
// their recovery, to an SNS topic encrypted with a customer-managed KMS key, with an
// optional email subscription.
//
// Alarms: 5xx responses from the load balancer and from its targets, target response time
// p95 and p99, unhealthy hosts, database CPU and free storage, lag per read replica, and
// the Auto Scaling group stuck at its maximum size. How each alarm treats missing data is
// chosen per metric and documented at its definition.
//
// The topic's key is customer-managed because CloudWatch alarms cannot publish to a topic
// encrypted with the AWS managed key alias/aws/sns (its policy cannot admit
// cloudwatch.amazonaws.com). The key policy is set from the key's own ARN, so no account
// lookup is needed and the component previews offline.
package monitoring

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/kms"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/sns"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// TypeToken is the component's type; it is part of every child's URN, so changing it
// needs pulumi.Aliases.
const TypeToken = "scalestack:aws:Monitoring"

// The values CloudWatch accepts for treatMissingData.
const (
	missingNotBreaching = "notBreaching"
	missingBreaching    = "breaching"
	missingKeep         = "missing"
)

const bytesPerGB = 1 << 30

// Alarm keys: the keys of AlarmARNs and the suffixes of the alarms' logical names.
const (
	KeyALB5xx         = "alb-5xx"
	KeyTarget5xx      = "target-5xx"
	KeyLatencyP95     = "latency-p95"
	KeyLatencyP99     = "latency-p99"
	KeyUnhealthyHosts = "unhealthy-hosts"
	KeyDBCPU          = "db-cpu"
	KeyDBFreeStorage  = "db-free-storage"
	KeyASGAtMax       = "asg-at-max"
	// KeyReplicaLagPrefix is followed by the replica's 1-based position: "db-replica-lag-1".
	KeyReplicaLagPrefix = "db-replica-lag-"
)

// Monitoring is an alert topic and the alarms that notify it.
type Monitoring struct {
	pulumi.ResourceState

	// TopicARN is the SNS topic every alarm notifies (on alarm and on recovery).
	TopicARN pulumi.StringOutput `pulumi:"topicArn"`
	// KMSKeyARN is the key encrypting the topic.
	KMSKeyARN pulumi.StringOutput `pulumi:"kmsKeyArn"`
	// AlarmARNs are the alarms' ARNs by key (KeyALB5xx, ..., "db-replica-lag-1", ...).
	AlarmARNs pulumi.StringMapOutput `pulumi:"alarmArns"`
}

// alarm is one CloudWatch alarm definition.
type alarm struct {
	key, description  string
	namespace, metric string
	dimensions        pulumi.StringMap
	statistic         string // Sum, Average, Minimum or Maximum, unless percentile is set
	percentile        string // "p95"
	periodSeconds     int
	evaluationPeriods int
	datapointsToAlarm int
	threshold         float64
	comparison        string
	treatMissingData  string
}

// New validates args, applies defaults and registers the topic and alarms.
func New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*Monitoring, error) {
	if args == nil {
		args = &Args{}
	}
	a := args.withDefaults()
	if err := validate(name, a); err != nil {
		return nil, fmt.Errorf("monitoring %q: %w", name, err)
	}

	m := &Monitoring{}
	if err := ctx.RegisterComponentResource(TypeToken, name, m, opts...); err != nil {
		return nil, err
	}
	parent := pulumi.Parent(m)

	key, err := kms.NewKey(ctx, name+"-key", &kms.KeyArgs{
		Description:          pulumi.Sprintf("SNS alert topic of %s", name),
		EnableKeyRotation:    pulumi.Bool(true),
		DeletionWindowInDays: pulumi.Int(30),
		Tags:                 tags(a.Tags, name+"-key"),
	}, parent)
	if err != nil {
		return nil, fmt.Errorf("creating key %q: %w", name+"-key", err)
	}
	policy, err := kms.NewKeyPolicy(ctx, name+"-key", &kms.KeyPolicyArgs{
		KeyId:  key.KeyId,
		Policy: key.Arn.ApplyT(keyPolicy).(pulumi.StringOutput),
	}, parent)
	if err != nil {
		return nil, fmt.Errorf("creating key policy %q: %w", name+"-key", err)
	}
	topic, err := sns.NewTopic(ctx, name+"-alerts", &sns.TopicArgs{
		DisplayName:    pulumi.Sprintf("%s alerts", name),
		KmsMasterKeyId: key.Arn,
		Tags:           tags(a.Tags, name+"-alerts"),
	}, parent, pulumi.DependsOn([]pulumi.Resource{policy}))
	if err != nil {
		return nil, fmt.Errorf("creating topic %q: %w", name+"-alerts", err)
	}
	if a.AlertEmail != "" {
		if _, err := sns.NewTopicSubscription(ctx, name+"-email", &sns.TopicSubscriptionArgs{
			Topic:    topic.Arn,
			Protocol: pulumi.String("email"),
			Endpoint: pulumi.String(a.AlertEmail),
		}, parent); err != nil {
			return nil, fmt.Errorf("subscribing %q: %w", a.AlertEmail, err)
		}
	}

	arns := pulumi.StringMap{}
	for _, al := range alarms(a) {
		alarmName := name + "-" + al.key
		args := &cloudwatch.MetricAlarmArgs{
			AlarmDescription:   pulumi.String(al.description),
			Namespace:          pulumi.String(al.namespace),
			MetricName:         pulumi.String(al.metric),
			Dimensions:         al.dimensions,
			Period:             pulumi.Int(al.periodSeconds),
			EvaluationPeriods:  pulumi.Int(al.evaluationPeriods),
			DatapointsToAlarm:  pulumi.Int(al.datapointsToAlarm),
			Threshold:          pulumi.Float64(al.threshold),
			ComparisonOperator: pulumi.String(al.comparison),
			TreatMissingData:   pulumi.String(al.treatMissingData),
			ActionsEnabled:     pulumi.Bool(true),
			AlarmActions:       pulumi.Array{topic.Arn},
			OkActions:          pulumi.Array{topic.Arn},
			Tags:               tags(a.Tags, alarmName),
		}
		if al.percentile != "" {
			args.ExtendedStatistic = pulumi.String(al.percentile)
			// A percentile of a handful of requests is noise: keep the state until there
			// are enough samples.
			args.EvaluateLowSampleCountPercentiles = pulumi.String("ignore")
		} else {
			args.Statistic = pulumi.String(al.statistic)
		}
		res, err := cloudwatch.NewMetricAlarm(ctx, alarmName, args, parent)
		if err != nil {
			return nil, fmt.Errorf("creating alarm %q: %w", alarmName, err)
		}
		arns[al.key] = res.Arn
	}

	m.TopicARN = topic.Arn
	m.KMSKeyARN = key.Arn
	m.AlarmARNs = arns.ToStringMapOutput()
	return m, ctx.RegisterResourceOutputs(m, pulumi.Map{
		"topicArn":  m.TopicARN,
		"kmsKeyArn": m.KMSKeyARN,
		"alarmArns": m.AlarmARNs,
	})
}

// alarms lists the alarm definitions for defaulted args, in a stable order.
func alarms(a Args) []alarm {
	var out []alarm
	if lb := a.LoadBalancer; lb != nil {
		lbOnly := pulumi.StringMap{"LoadBalancer": lb.LoadBalancerARNSuffix}
		lbAndTG := pulumi.StringMap{"LoadBalancer": lb.LoadBalancerARNSuffix, "TargetGroup": lb.TargetGroupARNSuffix}
		out = append(out,
			// 5xx counts are only published when non-zero: no data means no errors.
			alarm{key: KeyALB5xx, namespace: "AWS/ApplicationELB", metric: "HTTPCode_ELB_5XX_Count", dimensions: lbOnly,
				statistic: "Sum", periodSeconds: 60, evaluationPeriods: 5, datapointsToAlarm: 3,
				threshold: float64(lb.Server5xxPerMinute), comparison: "GreaterThanThreshold", treatMissingData: missingNotBreaching,
				description: fmt.Sprintf("The load balancer itself answered more than %d 5xx per minute in 3 of 5 minutes (no healthy targets, or targets refusing connections).", lb.Server5xxPerMinute)},
			alarm{key: KeyTarget5xx, namespace: "AWS/ApplicationELB", metric: "HTTPCode_Target_5XX_Count", dimensions: lbAndTG,
				statistic: "Sum", periodSeconds: 60, evaluationPeriods: 5, datapointsToAlarm: 3,
				threshold: float64(lb.Server5xxPerMinute), comparison: "GreaterThanThreshold", treatMissingData: missingNotBreaching,
				description: fmt.Sprintf("The application answered more than %d 5xx per minute in 3 of 5 minutes.", lb.Server5xxPerMinute)},
			// No requests, no response time: missing data is not slowness.
			alarm{key: KeyLatencyP95, namespace: "AWS/ApplicationELB", metric: "TargetResponseTime", dimensions: lbAndTG,
				percentile: "p95", periodSeconds: 60, evaluationPeriods: 5, datapointsToAlarm: 3,
				threshold: lb.LatencyThresholdSeconds, comparison: "GreaterThanThreshold", treatMissingData: missingNotBreaching,
				description: fmt.Sprintf("p95 target response time above %gs in 3 of 5 minutes.", lb.LatencyThresholdSeconds)},
			alarm{key: KeyLatencyP99, namespace: "AWS/ApplicationELB", metric: "TargetResponseTime", dimensions: lbAndTG,
				percentile: "p99", periodSeconds: 60, evaluationPeriods: 5, datapointsToAlarm: 3,
				threshold: lb.LatencyP99ThresholdSeconds, comparison: "GreaterThanThreshold", treatMissingData: missingNotBreaching,
				description: fmt.Sprintf("p99 target response time above %gs in 3 of 5 minutes.", lb.LatencyP99ThresholdSeconds)},
			// UnHealthyHostCount is published every minute while the target group serves a
			// load balancer: its absence means the target group stopped serving.
			alarm{key: KeyUnhealthyHosts, namespace: "AWS/ApplicationELB", metric: "UnHealthyHostCount", dimensions: lbAndTG,
				statistic: "Maximum", periodSeconds: 60, evaluationPeriods: 3, datapointsToAlarm: 3,
				threshold: 0, comparison: "GreaterThanThreshold", treatMissingData: missingBreaching,
				description: "At least one target failed its health checks for 3 minutes."},
		)
	}
	if db := a.Database; db != nil {
		primary := pulumi.StringMap{"DBInstanceIdentifier": db.DBInstanceIdentifier}
		out = append(out,
			// Missing CPU data is an availability problem, not a CPU one: keep the state.
			alarm{key: KeyDBCPU, namespace: "AWS/RDS", metric: "CPUUtilization", dimensions: primary,
				statistic: "Average", periodSeconds: 300, evaluationPeriods: 3, datapointsToAlarm: 3,
				threshold: float64(db.CPUPercent), comparison: "GreaterThanThreshold", treatMissingData: missingKeep,
				description: fmt.Sprintf("Database CPU above %d%% for 15 minutes.", db.CPUPercent)},
			// An instance that stops reporting free storage may have filled up and stopped.
			alarm{key: KeyDBFreeStorage, namespace: "AWS/RDS", metric: "FreeStorageSpace", dimensions: primary,
				statistic: "Minimum", periodSeconds: 300, evaluationPeriods: 1, datapointsToAlarm: 1,
				threshold: float64(db.FreeStorageGB) * bytesPerGB, comparison: "LessThanThreshold", treatMissingData: missingBreaching,
				description: fmt.Sprintf("Database free storage below %d GB.", db.FreeStorageGB)},
		)
		for i, id := range db.ReplicaIdentifiers {
			// ReplicaLag disappears when replication stops: missing data is lag.
			out = append(out, alarm{key: KeyReplicaLagPrefix + strconv.Itoa(i+1), namespace: "AWS/RDS", metric: "ReplicaLag",
				dimensions: pulumi.StringMap{"DBInstanceIdentifier": id},
				statistic:  "Maximum", periodSeconds: 60, evaluationPeriods: 5, datapointsToAlarm: 5,
				threshold: float64(db.ReplicaLagSeconds), comparison: "GreaterThanThreshold", treatMissingData: missingBreaching,
				description: fmt.Sprintf("Read replica %d more than %ds behind the primary (or not replicating) for 5 minutes.", i+1, db.ReplicaLagSeconds)})
		}
	}
	if as := a.AutoScaling; as != nil {
		// Group metrics must be enabled on the group; until they are, missing data shows
		// as insufficient data rather than paging anyone.
		out = append(out, alarm{key: KeyASGAtMax, namespace: "AWS/AutoScaling", metric: "GroupInServiceInstances",
			dimensions: pulumi.StringMap{"AutoScalingGroupName": as.AutoScalingGroupName},
			statistic:  "Minimum", periodSeconds: 300, evaluationPeriods: 3, datapointsToAlarm: 3,
			threshold: float64(as.MaxSize), comparison: "GreaterThanOrEqualToThreshold", treatMissingData: missingKeep,
			description: fmt.Sprintf("The Auto Scaling group has stayed at its maximum size (%d) for 15 minutes: it cannot scale out further.", as.MaxSize)})
	}
	return out
}

// keyPolicy keeps the account in control of the key and lets CloudWatch alarms (of this
// account only) encrypt messages for the topic. Account and partition come from the key's
// own ARN ("arn:<partition>:kms:<region>:<account>:key/<id>").
func keyPolicy(keyARN string) (string, error) {
	parts := strings.SplitN(keyARN, ":", 6)
	if len(parts) != 6 || parts[4] == "" {
		return "", fmt.Errorf("unexpected KMS key ARN %q", keyARN)
	}
	partition, account := parts[1], parts[4]
	b, err := json.Marshal(map[string]any{
		"Version": "2012-10-17",
		"Statement": []map[string]any{
			{
				"Sid":       "AccountAdministersKey",
				"Effect":    "Allow",
				"Principal": map[string]any{"AWS": fmt.Sprintf("arn:%s:iam::%s:root", partition, account)},
				"Action":    "kms:*",
				"Resource":  "*",
			},
			{
				"Sid":       "CloudWatchAlarmsPublish",
				"Effect":    "Allow",
				"Principal": map[string]any{"Service": "cloudwatch.amazonaws.com"},
				"Action":    []string{"kms:Decrypt", "kms:GenerateDataKey*"},
				"Resource":  "*",
				"Condition": map[string]any{"StringEquals": map[string]any{"aws:SourceAccount": account}},
			},
		},
	})
	return string(b), err
}

// tags merges the user's tags with the child's Name (the child's wins).
func tags(user map[string]string, name string) pulumi.StringMap {
	out := pulumi.StringMap{}
	for k, v := range user {
		out[k] = pulumi.String(v)
	}
	out["Name"] = pulumi.String(name)
	return out
}
