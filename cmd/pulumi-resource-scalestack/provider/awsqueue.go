package provider

import (
	"strings"

	"github.com/pulumi/pulumi-go-provider/infer"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/scalestack/scalestack/components/aws/cache"
	"github.com/scalestack/scalestack/components/aws/queue"
	"github.com/scalestack/scalestack/components/aws/worker"
)

// CacheEngine is the ElastiCache engine.
type CacheEngine string

// Values lists cache.EngineValkey and cache.EngineRedis.
func (CacheEngine) Values() []infer.EnumValue[CacheEngine] {
	return []infer.EnumValue[CacheEngine]{
		{Name: "Valkey", Value: cache.EngineValkey, Description: "Valkey (default)."},
		{Name: "Redis", Value: cache.EngineRedis, Description: "Redis OSS."},
	}
}

// Annotate names the enum in the schema.
func (k *CacheEngine) Annotate(an infer.Annotator) { an.SetToken("aws", "CacheEngine") }

// EvictionPolicy is a Valkey/Redis maxmemory-policy; the same values on AWS and Google Cloud
// (cache.EvictionPolicies of both).
type EvictionPolicy string

// evictionPolicies describes cache.EvictionPolicies (the same list on Google Cloud).
var evictionPolicies = map[string]string{
	"volatile-lru":    "Evict the least recently used keys among those with an expiry (default).",
	"allkeys-lru":     "Evict the least recently used keys.",
	"volatile-lfu":    "Evict the least frequently used keys among those with an expiry.",
	"allkeys-lfu":     "Evict the least frequently used keys.",
	"volatile-random": "Evict random keys among those with an expiry.",
	"allkeys-random":  "Evict random keys.",
	"volatile-ttl":    "Evict the keys with an expiry nearest to it.",
	"noeviction":      "Evict nothing: writes fail while memory is full.",
}

// Values lists the maxmemory-policy values.
func (EvictionPolicy) Values() []infer.EnumValue[EvictionPolicy] {
	var out []infer.EnumValue[EvictionPolicy]
	for _, v := range cache.EvictionPolicies {
		name := ""
		for _, w := range strings.Split(v, "-") { // volatile-lru: VolatileLru, a name in every SDK
			name += strings.ToUpper(w[:1]) + w[1:]
		}
		out = append(out, infer.EnumValue[EvictionPolicy]{Name: name, Value: EvictionPolicy(v), Description: evictionPolicies[v]})
	}
	return out
}

// Annotate names the enum in the schema.
func (k *EvictionPolicy) Annotate(an infer.Annotator) { an.SetToken("index", "EvictionPolicy") }

// AWSCacheArgs are the inputs of scalestack:aws:Cache, one to one with cache.Args
// (components/aws/cache).
type AWSCacheArgs struct {
	VpcID                   pulumi.StringInput            `pulumi:"vpcId"`
	SubnetIDs               pulumi.StringArrayInput       `pulumi:"subnetIds"`
	AllowedSecurityGroupIDs map[string]pulumi.StringInput `pulumi:"allowedSecurityGroupIds"`
	Engine                  *CacheEngine                  `pulumi:"engine,optional"`
	EngineVersion           string                        `pulumi:"engineVersion,optional"`
	NodeType                string                        `pulumi:"nodeType,optional"`
	Replicas                int                           `pulumi:"replicas,optional"`
	NoReplicas              bool                          `pulumi:"noReplicas,optional"`
	EvictionPolicy          *EvictionPolicy               `pulumi:"evictionPolicy,optional"`
	SnapshotRetentionDays   int                           `pulumi:"snapshotRetentionDays,optional"`
	SnapshotWindow          string                        `pulumi:"snapshotWindow,optional"`
	MaintenanceWindow       string                        `pulumi:"maintenanceWindow,optional"`
	Port                    int                           `pulumi:"port,optional"`
	Tags                    map[string]string             `pulumi:"tags,optional"`
}

// Annotate documents the inputs in the schema.
func (a *AWSCacheArgs) Annotate(an infer.Annotator) {
	an.Describe(&a.VpcID, "The VPC of the cache's security group. Required.")
	an.Describe(&a.SubnetIDs, "The data subnets of the cache subnet group, one per zone, at least two for Multi-AZ. Required.")
	an.Describe(&a.AllowedSecurityGroupIDs, "The only security groups that reach the cache, keyed by a stable name (\"web\", \"worker\") that names their rules (a WebTier's or Worker's `securityGroupId`). Required: at least one. The component also adds the matching egress rule on each source group.")
	an.Describe(&a.Engine, "The engine. Default: valkey.")
	an.Describe(&a.EngineVersion, "The major.minor version. Default: 8.0 (Valkey), 7.1 (Redis OSS). Allowed: Valkey 7.2, 8.0, 8.1; Redis OSS 6.2, 7.0, 7.1.")
	an.Describe(&a.NodeType, "The ElastiCache node type. Default: cache.t4g.small.")
	an.Describe(&a.Replicas, "Read replicas beside the primary; with one or more the group is Multi-AZ with automatic failover. Default: 1. Allowed: 0-5 (set `noReplicas` for 0).")
	an.Describe(&a.NoReplicas, "Run a single node, without failover (dev only). Default: false.")
	an.Describe(&a.EvictionPolicy, "The maxmemory-policy. Default: volatile-lru.")
	an.Describe(&a.SnapshotRetentionDays, "Days of daily automatic snapshots. Default: 7. Allowed: 1-35.")
	an.Describe(&a.SnapshotWindow, "The daily UTC snapshot window \"hh:mm-hh:mm\". Default: 03:00-04:00.")
	an.Describe(&a.MaintenanceWindow, "The weekly UTC maintenance window \"ddd:hh:mm-ddd:hh:mm\". Default: sun:05:00-sun:06:00.")
	an.Describe(&a.Port, "The port the nodes listen on (TLS only). Default: 6379. Allowed: 1024-65535.")
	an.Describe(&a.Tags, "Added to every child that takes tags.")
}

// AWSCache is scalestack:aws:Cache as served to every Pulumi language.
type AWSCache struct {
	pulumi.ComponentResource

	PrimaryEndpoint    pulumi.StringOutput `pulumi:"primaryEndpoint"`
	ReaderEndpoint     pulumi.StringOutput `pulumi:"readerEndpoint"`
	Port               pulumi.IntOutput    `pulumi:"port"`
	AuthSecretARN      pulumi.StringOutput `pulumi:"authSecretArn"`
	KMSKeyARN          pulumi.StringOutput `pulumi:"kmsKeyArn"`
	SecurityGroupID    pulumi.StringOutput `pulumi:"securityGroupId"`
	ReplicationGroupID pulumi.StringOutput `pulumi:"replicationGroupId"`
	ClientPolicyJSON   pulumi.StringOutput `pulumi:"clientPolicyJson"`
}

// Annotate documents the component and its outputs in the schema.
func (c *AWSCache) Annotate(an infer.Annotator) {
	an.SetToken("aws", "Cache")
	an.Describe(c, "An ElastiCache (Valkey or Redis OSS) replication group: Multi-AZ with automatic failover, TLS in transit, "+
		"KMS at rest, an AUTH token generated into Secrets Manager, snapshots. The same component as the Go API (components/aws/cache).")
	an.Describe(&c.PrimaryEndpoint, "The primary's DNS name (reads and writes); it follows failover.")
	an.Describe(&c.ReaderEndpoint, "The DNS name that spreads reads over the replicas.")
	an.Describe(&c.Port, "The port the nodes listen on (TLS only).")
	an.Describe(&c.AuthSecretARN, "The Secrets Manager secret holding the AUTH token (the token never leaves AWS as a stack output).")
	an.Describe(&c.KMSKeyARN, "The key of the data at rest, the snapshots and the secret.")
	an.Describe(&c.SecurityGroupID, "The cache's security group.")
	an.Describe(&c.ReplicationGroupID, "The replication group's id (the CloudWatch dimension ReplicationGroupId).")
	an.Describe(&c.ClientPolicyJSON, "An IAM policy that lets a client read the AUTH token: attach it to the web and worker roles (a Worker's `policies`).")
}

// goArgs maps the package inputs onto cache.Args: the one place the two meet.
func (a *AWSCacheArgs) goArgs() *cache.Args {
	return &cache.Args{
		VpcID: a.VpcID, SubnetIDs: a.SubnetIDs, AllowedSecurityGroupIDs: a.AllowedSecurityGroupIDs,
		Engine: str(a.Engine), EngineVersion: a.EngineVersion, NodeType: a.NodeType,
		Replicas: a.Replicas, NoReplicas: a.NoReplicas, EvictionPolicy: str(a.EvictionPolicy),
		SnapshotRetentionDays: a.SnapshotRetentionDays, SnapshotWindow: a.SnapshotWindow,
		MaintenanceWindow: a.MaintenanceWindow, Port: a.Port, Tags: a.Tags,
	}
}

// NewAWSCache constructs scalestack:aws:Cache for the package: it maps args and calls
// cache.New, which validates them and registers the component and its children.
func NewAWSCache(ctx *pulumi.Context, name string, args AWSCacheArgs, opts ...pulumi.ResourceOption) (*AWSCache, error) {
	c, err := cache.New(ctx, name, args.goArgs(), opts...)
	if err != nil {
		return nil, err
	}
	return &AWSCache{
		ComponentResource: c,
		PrimaryEndpoint:   c.PrimaryEndpoint, ReaderEndpoint: c.ReaderEndpoint, Port: c.Port,
		AuthSecretARN: c.AuthSecretARN, KMSKeyARN: c.KMSKeyARN, SecurityGroupID: c.SecurityGroupID,
		ReplicationGroupID: c.ReplicationGroupID, ClientPolicyJSON: c.ClientPolicyJSON,
	}, nil
}

// AWSQueueArgs are the inputs of scalestack:aws:Queue, one to one with queue.Args
// (components/aws/queue).
type AWSQueueArgs struct {
	MaxReceiveCount          int                `pulumi:"maxReceiveCount,optional"`
	RetentionDays            int                `pulumi:"retentionDays,optional"`
	VisibilityTimeoutSeconds int                `pulumi:"visibilityTimeoutSeconds,optional"`
	ReceiveWaitSeconds       int                `pulumi:"receiveWaitSeconds,optional"`
	OldestMessageAgeSeconds  int                `pulumi:"oldestMessageAgeSeconds,optional"`
	AlarmTopicARN            pulumi.StringInput `pulumi:"alarmTopicArn,optional"`
	Tags                     map[string]string  `pulumi:"tags,optional"`
}

// Annotate documents the inputs in the schema.
func (a *AWSQueueArgs) Annotate(an infer.Annotator) {
	an.Describe(&a.MaxReceiveCount, "Receives (without a delete) before a message moves to the dead-letter queue. Default: 5. Allowed: 1-1000.")
	an.Describe(&a.RetentionDays, "Days an unprocessed message is kept; the dead-letter queue keeps 14. Default: 4. Allowed: 1-13.")
	an.Describe(&a.VisibilityTimeoutSeconds, "Hides a received message from other workers; set it above the longest processing time. Default: 120. Allowed: 0-43200.")
	an.Describe(&a.ReceiveWaitSeconds, "The long-polling wait of a receive. Default: 20. Allowed: 1-20.")
	an.Describe(&a.OldestMessageAgeSeconds, "The backlog alarm fires when the oldest message has waited this long for 5 minutes. Default: 900. Allowed: 60 up to the retention.")
	an.Describe(&a.AlarmTopicARN, "The SNS topic the alarms notify. Default: none (the alarms exist, with no action).")
	an.Describe(&a.Tags, "Added to every child that takes tags.")
}

// AWSQueue is scalestack:aws:Queue as served to every Pulumi language.
type AWSQueue struct {
	pulumi.ComponentResource

	URL                      pulumi.StringOutput    `pulumi:"url"`
	ARN                      pulumi.StringOutput    `pulumi:"arn"`
	Name                     pulumi.StringOutput    `pulumi:"name"`
	DeadLetterURL            pulumi.StringOutput    `pulumi:"deadLetterUrl"`
	DeadLetterARN            pulumi.StringOutput    `pulumi:"deadLetterArn"`
	DeadLetterName           pulumi.StringOutput    `pulumi:"deadLetterName"`
	KMSKeyARN                pulumi.StringOutput    `pulumi:"kmsKeyArn"`
	VisibilityTimeoutSeconds pulumi.IntOutput       `pulumi:"visibilityTimeoutSeconds"`
	ProducerPolicyJSON       pulumi.StringOutput    `pulumi:"producerPolicyJson"`
	ConsumerPolicyJSON       pulumi.StringOutput    `pulumi:"consumerPolicyJson"`
	AlarmARNs                pulumi.StringMapOutput `pulumi:"alarmArns"`
}

// Annotate documents the component and its outputs in the schema.
func (q *AWSQueue) Annotate(an infer.Annotator) {
	an.SetToken("aws", "Queue")
	an.Describe(q, "An SQS queue and its dead-letter queue, KMS-encrypted and TLS-only, with backlog and dead-letter alarms. "+
		"The same component as the Go API (components/aws/queue).")
	an.Describe(&q.URL, "The queue's URL (what SDKs send to and receive from; a Worker's `queueUrl`).")
	an.Describe(&q.ARN, "The queue's ARN (a Worker's `queueArn`).")
	an.Describe(&q.Name, "The queue's name, the CloudWatch dimension QueueName (a Worker's `queueName`).")
	an.Describe(&q.DeadLetterURL, "The dead-letter queue's URL.")
	an.Describe(&q.DeadLetterARN, "The dead-letter queue's ARN.")
	an.Describe(&q.DeadLetterName, "The dead-letter queue's name.")
	an.Describe(&q.KMSKeyARN, "The key of both queues (a Worker's `queueKmsKeyArn`).")
	an.Describe(&q.VisibilityTimeoutSeconds, "The queue's visibility timeout.")
	an.Describe(&q.ProducerPolicyJSON, "An IAM policy that lets a role send to the queue (attach it to the web tier's role).")
	an.Describe(&q.ConsumerPolicyJSON, "An IAM policy that lets a role receive, delete and extend messages: the worker's permissions.")
	an.Describe(&q.AlarmARNs, "The alarms' ARNs, keyed \"oldest-message\" and \"dlq-not-empty\".")
}

// goArgs maps the package inputs onto queue.Args: the one place the two meet.
func (a *AWSQueueArgs) goArgs() *queue.Args {
	return &queue.Args{
		MaxReceiveCount: a.MaxReceiveCount, RetentionDays: a.RetentionDays,
		VisibilityTimeoutSeconds: a.VisibilityTimeoutSeconds, ReceiveWaitSeconds: a.ReceiveWaitSeconds,
		OldestMessageAgeSeconds: a.OldestMessageAgeSeconds, AlarmTopicARN: a.AlarmTopicARN, Tags: a.Tags,
	}
}

// NewAWSQueue constructs scalestack:aws:Queue for the package: it maps args and calls
// queue.New, which validates them and registers the component and its children.
func NewAWSQueue(ctx *pulumi.Context, name string, args AWSQueueArgs, opts ...pulumi.ResourceOption) (*AWSQueue, error) {
	q, err := queue.New(ctx, name, args.goArgs(), opts...)
	if err != nil {
		return nil, err
	}
	return &AWSQueue{
		ComponentResource: q,
		URL:               q.URL, ARN: q.ARN, Name: q.Name,
		DeadLetterURL: q.DeadLetterURL, DeadLetterARN: q.DeadLetterARN, DeadLetterName: q.DeadLetterName,
		KMSKeyARN: q.KMSKeyARN, VisibilityTimeoutSeconds: q.VisibilityTimeoutSeconds,
		ProducerPolicyJSON: q.ProducerPolicyJSON, ConsumerPolicyJSON: q.ConsumerPolicyJSON, AlarmARNs: q.AlarmARNs,
	}, nil
}

// AWSWorkerArgs are the inputs of scalestack:aws:Worker, one to one with worker.Args
// (components/aws/worker).
type AWSWorkerArgs struct {
	VpcID            pulumi.StringInput            `pulumi:"vpcId"`
	SubnetIDs        pulumi.StringArrayInput       `pulumi:"subnetIds"`
	QueueARN         pulumi.StringInput            `pulumi:"queueArn"`
	QueueURL         pulumi.StringInput            `pulumi:"queueUrl"`
	QueueName        pulumi.StringInput            `pulumi:"queueName"`
	QueueKMSKeyARN   pulumi.StringInput            `pulumi:"queueKmsKeyArn"`
	MinSize          int                           `pulumi:"minSize,optional"`
	MaxSize          int                           `pulumi:"maxSize"`
	BacklogPerWorker int                           `pulumi:"backlogPerWorker,optional"`
	ImageID          pulumi.StringInput            `pulumi:"imageId,optional"`
	InstanceType     string                        `pulumi:"instanceType,optional"`
	RootVolumeGiB    int                           `pulumi:"rootVolumeGib,optional"`
	KMSKeyID         pulumi.StringInput            `pulumi:"kmsKeyId,optional"`
	UserData         pulumi.StringInput            `pulumi:"userData,optional"`
	Policies         map[string]pulumi.StringInput `pulumi:"policies,optional"`
	Tags             map[string]string             `pulumi:"tags,optional"`
}

// Annotate documents the inputs in the schema.
func (a *AWSWorkerArgs) Annotate(an infer.Annotator) {
	an.Describe(&a.VpcID, "The VPC of the workers' security group. Required.")
	an.Describe(&a.SubnetIDs, "The private subnets the workers run in, one per zone. Required.")
	an.Describe(&a.QueueARN, "The queue the workers drain (a Queue's `arn`). Required.")
	an.Describe(&a.QueueURL, "The queue's URL, written to /etc/scalestack/worker.env as SCALESTACK_QUEUE_URL (a Queue's `url`). Required.")
	an.Describe(&a.QueueName, "The queue's name, the backlog metric's dimension (a Queue's `name`). Required.")
	an.Describe(&a.QueueKMSKeyARN, "The queue's key, which the role may decrypt with through SQS (a Queue's `kmsKeyArn`). Required.")
	an.Describe(&a.MinSize, "The fewest workers. Default: 1. Allowed: 1 or more (backlog per instance needs an instance in service).")
	an.Describe(&a.MaxSize, "The most workers. Required: at least minSize.")
	an.Describe(&a.BacklogPerWorker, "Visible messages per in-service worker the policy keeps: (acceptable latency) / (time per message). Default: 100. Allowed: 1-100000.")
	an.Describe(&a.ImageID, "The AMI, or a \"resolve:ssm:\" parameter. Default: the latest Amazon Linux 2023 (x86_64).")
	an.Describe(&a.InstanceType, "The EC2 instance type. Default: t3.small.")
	an.Describe(&a.RootVolumeGiB, "The encrypted gp3 root volume's size. Default: 20. Allowed: 8-16384.")
	an.Describe(&a.KMSKeyID, "The KMS key of the root volume. Default: the account's EBS key (aws/ebs).")
	an.Describe(&a.UserData, "The start-up script, plain text. Default: writes the queue's URL to /etc/scalestack/worker.env and starts nothing: install your worker.")
	an.Describe(&a.Policies, "Further inline policies of the workers' role, keyed by a stable name (\"cache\": a Cache's `clientPolicyJson`). Default: none.")
	an.Describe(&a.Tags, "Added to every child that takes tags, and to the instances and volumes.")
}

// AWSWorker is scalestack:aws:Worker as served to every Pulumi language.
type AWSWorker struct {
	pulumi.ComponentResource

	GroupName        pulumi.StringOutput `pulumi:"groupName"`
	GroupARN         pulumi.StringOutput `pulumi:"groupArn"`
	SecurityGroupID  pulumi.StringOutput `pulumi:"securityGroupId"`
	InstanceRoleARN  pulumi.StringOutput `pulumi:"instanceRoleArn"`
	InstanceRoleName pulumi.StringOutput `pulumi:"instanceRoleName"`
	LaunchTemplateID pulumi.StringOutput `pulumi:"launchTemplateId"`
}

// Annotate documents the component and its outputs in the schema.
func (w *AWSWorker) Annotate(an infer.Annotator) {
	an.SetToken("aws", "Worker")
	an.Describe(w, "An Auto Scaling group of workers that drain a queue, scaled on the backlog per in-service instance, "+
		"with a least-privilege role (receive and delete on that queue). The same component as the Go API (components/aws/worker).")
	an.Describe(&w.GroupName, "The Auto Scaling group's name.")
	an.Describe(&w.GroupARN, "The Auto Scaling group's ARN.")
	an.Describe(&w.SecurityGroupID, "The workers' security group: admit it where workers connect (a Cache's `allowedSecurityGroupIds`).")
	an.Describe(&w.InstanceRoleARN, "The workers' IAM role.")
	an.Describe(&w.InstanceRoleName, "The role's name, to attach further policies.")
	an.Describe(&w.LaunchTemplateID, "The launch template's id.")
}

// goArgs maps the package inputs onto worker.Args: the one place the two meet.
func (a *AWSWorkerArgs) goArgs() *worker.Args {
	return &worker.Args{
		VpcID: a.VpcID, SubnetIDs: a.SubnetIDs, QueueARN: a.QueueARN, QueueURL: a.QueueURL,
		QueueName: a.QueueName, QueueKMSKeyARN: a.QueueKMSKeyARN, MinSize: a.MinSize, MaxSize: a.MaxSize,
		BacklogPerWorker: a.BacklogPerWorker, ImageID: a.ImageID, InstanceType: a.InstanceType,
		RootVolumeGiB: a.RootVolumeGiB, KMSKeyID: a.KMSKeyID, UserData: a.UserData,
		Policies: a.Policies, Tags: a.Tags,
	}
}

// NewAWSWorker constructs scalestack:aws:Worker for the package: it maps args and calls
// worker.New, which validates them and registers the component and its children.
func NewAWSWorker(ctx *pulumi.Context, name string, args AWSWorkerArgs, opts ...pulumi.ResourceOption) (*AWSWorker, error) {
	w, err := worker.New(ctx, name, args.goArgs(), opts...)
	if err != nil {
		return nil, err
	}
	return &AWSWorker{
		ComponentResource: w,
		GroupName:         w.GroupName, GroupARN: w.GroupARN, SecurityGroupID: w.SecurityGroupID,
		InstanceRoleARN: w.InstanceRoleARN, InstanceRoleName: w.InstanceRoleName, LaunchTemplateID: w.LaunchTemplateID,
	}, nil
}
