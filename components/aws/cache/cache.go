// Package cache creates an ElastiCache replication group (Valkey by default, or Redis OSS)
// for a web backend: in the data subnets, Multi-AZ with automatic failover whenever it has a
// replica, encrypted at rest with its own KMS key and in transit (TLS required), with an
// AUTH token kept in Secrets Manager, daily snapshots, an eviction policy, a security
// group that admits only the security groups it is given, and alarms on engine CPU, memory,
// evictions and (with replicas) replication lag, over every node through metric math.
//
// The AUTH token is generated once, on the first deployment, and never leaves Pulumi
// secrets and Secrets Manager: the replication group reads it from the secret's stored
// version, and later runs ignore the freshly generated candidate (see Cache.AuthSecretARN
// for rotation). Clients read the secret with the policy in Cache.ClientPolicyJSON.
//
// The region is the region of the provider the component is given.
package cache

import (
	"crypto/rand"
	"encoding/json"
	"fmt"
	"math/big"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/elasticache"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/kms"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/secretsmanager"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/vpc"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// TypeToken is the component's type; it is part of every child's URN, so changing it needs
// pulumi.Aliases.
const TypeToken = "scalestack:aws:Cache"

// AuthTokenLength is the length of the generated AUTH token: ElastiCache accepts 16-128
// printable characters other than @, " and /; the token uses letters and digits only.
const AuthTokenLength = 64

const tokenAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

// Cache is a replication group, its network and its secret.
type Cache struct {
	pulumi.ResourceState

	// PrimaryEndpoint is the DNS name of the primary (reads and writes); it follows failover.
	PrimaryEndpoint pulumi.StringOutput `pulumi:"primaryEndpoint"`
	// ReaderEndpoint is the DNS name that spreads reads over the replicas.
	ReaderEndpoint pulumi.StringOutput `pulumi:"readerEndpoint"`
	// Port is the port the nodes listen on (TLS only).
	Port pulumi.IntOutput `pulumi:"port"`
	// AuthSecretARN is the Secrets Manager secret holding the AUTH token (the secret string is
	// the token itself). To rotate, replace the secret version (`pulumi up --replace` on its
	// URN): the group then accepts the old and the new token (strategy ROTATE) until the next
	// change.
	AuthSecretARN pulumi.StringOutput `pulumi:"authSecretArn"`
	// KMSKeyARN encrypts the data at rest, the snapshots and the secret.
	KMSKeyARN pulumi.StringOutput `pulumi:"kmsKeyArn"`
	// SecurityGroupID is the cache's security group.
	SecurityGroupID pulumi.StringOutput `pulumi:"securityGroupId"`
	// ReplicationGroupID is the group's id (the CloudWatch dimension ReplicationGroupId).
	ReplicationGroupID pulumi.StringOutput `pulumi:"replicationGroupId"`
	// MemberClusterIDs are the nodes' cache cluster ids ("<group id>-001", ...), the
	// CloudWatch dimension CacheClusterId of the node metrics; the first is the initial
	// primary.
	MemberClusterIDs pulumi.StringArrayOutput `pulumi:"memberClusterIds"`
	// AlarmARNs are the alarms' ARNs by key (KeyCPU, KeyMemory, KeyEvictions,
	// KeyReplicationLag).
	AlarmARNs pulumi.StringMapOutput `pulumi:"alarmArns"`
	// ClientPolicyJSON is an IAM policy document that lets a client read the AUTH token
	// (secretsmanager:GetSecretValue on the secret, kms:Decrypt on the key through Secrets
	// Manager only): attach it to the web and worker roles.
	ClientPolicyJSON pulumi.StringOutput `pulumi:"clientPolicyJson"`
}

// New validates args, applies defaults and registers the cache's resources.
func New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*Cache, error) {
	a, err := resolve(name, args)
	if err != nil {
		return nil, fmt.Errorf("cache %q: %w", name, err)
	}
	token, err := newAuthToken()
	if err != nil {
		return nil, fmt.Errorf("cache %q: generating the AUTH token: %w", name, err)
	}
	c := &Cache{}
	if err := ctx.RegisterComponentResource(TypeToken, name, c, opts...); err != nil {
		return nil, err
	}
	parent := pulumi.Parent(c)

	key, err := kms.NewKey(ctx, name+"-key", &kms.KeyArgs{
		Description:          pulumi.Sprintf("Cache %s: data at rest, snapshots and the AUTH token secret", name),
		EnableKeyRotation:    pulumi.Bool(true),
		DeletionWindowInDays: pulumi.Int(30),
		Tags:                 tags(a.Tags, name+"-key"),
	}, parent)
	if err != nil {
		return nil, fmt.Errorf("creating key %q: %w", name+"-key", err)
	}

	sg, err := securityGroup(ctx, name, a, parent)
	if err != nil {
		return nil, err
	}

	subnets, err := elasticache.NewSubnetGroup(ctx, name, &elasticache.SubnetGroupArgs{
		Description: pulumi.Sprintf("Data subnets of cache %s", name),
		SubnetIds:   a.SubnetIDs,
		Tags:        tags(a.Tags, name),
	}, parent)
	if err != nil {
		return nil, fmt.Errorf("creating subnet group %q: %w", name, err)
	}
	params, err := elasticache.NewParameterGroup(ctx, name, &elasticache.ParameterGroupArgs{
		Description: pulumi.Sprintf("Cache %s: %s %s, eviction %s", name, a.Engine, a.EngineVersion, a.EvictionPolicy),
		Family:      pulumi.String(a.parameterFamily()),
		Parameters: elasticache.ParameterGroupParameterArray{
			&elasticache.ParameterGroupParameterArgs{Name: pulumi.String("maxmemory-policy"), Value: pulumi.String(a.EvictionPolicy)},
		},
		Tags: tags(a.Tags, name),
	}, parent)
	if err != nil {
		return nil, fmt.Errorf("creating parameter group %q: %w", name, err)
	}

	secret, err := secretsmanager.NewSecret(ctx, name+"-auth", &secretsmanager.SecretArgs{
		Description:          pulumi.Sprintf("AUTH token of cache %s", name),
		KmsKeyId:             key.Arn,
		RecoveryWindowInDays: pulumi.Int(7),
		Tags:                 tags(a.Tags, name+"-auth"),
	}, parent)
	if err != nil {
		return nil, fmt.Errorf("creating secret %q: %w", name+"-auth", err)
	}
	// The token is generated on every run but used once: ignoreChanges keeps the stored
	// version, and the group reads the token from that version, so the two never differ.
	version, err := secretsmanager.NewSecretVersion(ctx, name+"-auth", &secretsmanager.SecretVersionArgs{
		SecretId:     secret.ID(),
		SecretString: pulumi.ToSecret(pulumi.String(token)).(pulumi.StringOutput),
	}, parent, pulumi.IgnoreChanges([]string{"secretString"}))
	if err != nil {
		return nil, fmt.Errorf("creating secret version %q: %w", name+"-auth", err)
	}

	multiAZ := a.multiAZ()
	group, err := elasticache.NewReplicationGroup(ctx, name, &elasticache.ReplicationGroupArgs{
		Description:              pulumi.Sprintf("Cache %s (%s %s)", name, a.Engine, a.EngineVersion),
		Engine:                   pulumi.String(a.Engine),
		EngineVersion:            pulumi.String(a.EngineVersion),
		NodeType:                 pulumi.String(a.NodeType),
		NumCacheClusters:         pulumi.Int(1 + a.Replicas),
		AutomaticFailoverEnabled: pulumi.Bool(multiAZ),
		MultiAzEnabled:           pulumi.Bool(multiAZ),
		Port:                     pulumi.Int(a.Port),
		SubnetGroupName:          subnets.Name,
		SecurityGroupIds:         pulumi.StringArray{sg.ID()},
		ParameterGroupName:       params.Name,
		AtRestEncryptionEnabled:  pulumi.Bool(true),
		KmsKeyId:                 key.Arn,
		TransitEncryptionEnabled: pulumi.Bool(true),
		TransitEncryptionMode:    pulumi.String("required"),
		AuthToken:                version.SecretString,
		AuthTokenUpdateStrategy:  pulumi.String("ROTATE"),
		SnapshotRetentionLimit:   pulumi.Int(a.SnapshotRetentionDays),
		SnapshotWindow:           pulumi.String(a.SnapshotWindow),
		MaintenanceWindow:        pulumi.String(a.MaintenanceWindow),
		AutoMinorVersionUpgrade:  pulumi.Bool(true),
		ApplyImmediately:         pulumi.Bool(false),
		Tags:                     tags(a.Tags, name),
	}, parent)
	if err != nil {
		return nil, fmt.Errorf("creating replication group %q: %w", name, err)
	}

	members := group.ID().ToStringOutput().ApplyT(func(id string) []string {
		return MemberClusterIDs(id, 1+a.Replicas)
	}).(pulumi.StringArrayOutput)
	alarmARNs, err := alarms(ctx, name, a, members, parent)
	if err != nil {
		return nil, err
	}

	c.MemberClusterIDs = members
	c.AlarmARNs = alarmARNs
	c.PrimaryEndpoint = group.PrimaryEndpointAddress
	c.ReaderEndpoint = group.ReaderEndpointAddress
	c.Port = pulumi.Int(a.Port).ToIntOutput()
	c.AuthSecretARN = secret.Arn
	c.KMSKeyARN = key.Arn
	c.SecurityGroupID = sg.ID().ToStringOutput()
	c.ReplicationGroupID = group.ID().ToStringOutput()
	c.ClientPolicyJSON = pulumi.All(secret.Arn, key.Arn).ApplyT(func(v []any) string {
		return clientPolicy(v[0].(string), v[1].(string))
	}).(pulumi.StringOutput)
	return c, ctx.RegisterResourceOutputs(c, pulumi.Map{
		"primaryEndpoint":    c.PrimaryEndpoint,
		"readerEndpoint":     c.ReaderEndpoint,
		"port":               c.Port,
		"authSecretArn":      c.AuthSecretARN,
		"kmsKeyArn":          c.KMSKeyARN,
		"securityGroupId":    c.SecurityGroupID,
		"replicationGroupId": c.ReplicationGroupID,
		"memberClusterIds":   c.MemberClusterIDs,
		"alarmArns":          c.AlarmARNs,
		"clientPolicyJson":   c.ClientPolicyJSON,
	})
}

// Alarm keys: the suffixes of the alarms' logical names and the keys of AlarmARNs.
const (
	KeyCPU            = "cpu"
	KeyMemory         = "memory"
	KeyEvictions      = "evictions"
	KeyReplicationLag = "replication-lag"
)

// MemberClusterIDs are the cache cluster ids ElastiCache gives the nodes of a replication
// group with cluster mode disabled: the group id followed by "-001", "-002", ... (the
// MemberClusters of describe-replication-groups). Node metrics carry them as CacheClusterId,
// with CacheNodeId "0001".
func MemberClusterIDs(groupID string, nodes int) []string {
	out := make([]string, nodes)
	for i := range out {
		out[i] = fmt.Sprintf("%s-%03d", groupID, i+1)
	}
	return out
}

// NodeID is the CacheNodeId of the one node of each member cluster.
const NodeID = "0001"

// alarms registers one alarm per signal over every node at once: metric math takes the
// maximum of the nodes' series (MAX(METRICS())), so a failover, which moves the primary role
// to another node, changes no alarm.
func alarms(ctx *pulumi.Context, name string, a Args, members pulumi.StringArrayOutput, parent pulumi.ResourceOption) (pulumi.StringMapOutput, error) {
	nodes := 1 + a.Replicas
	defs := []struct {
		key, metric, stat, desc, missing string
		threshold                        float64
		periods                          int
	}{
		{KeyCPU, "EngineCPUUtilization", "Average",
			fmt.Sprintf("Cache %s: the engine thread of a node above %d%% CPU for 15 minutes (Valkey and Redis OSS run commands on one thread).", name, DefaultAlarmCPUPercent),
			"missing", DefaultAlarmCPUPercent, 3},
		{KeyMemory, "DatabaseMemoryUsagePercentage", "Maximum",
			fmt.Sprintf("Cache %s: a node has used more than %d%% of its maxmemory for 15 minutes; evictions (%s) follow.", name, DefaultAlarmMemoryPercent, a.EvictionPolicy),
			"missing", DefaultAlarmMemoryPercent, 3},
		// Evictions is published as 0 while nothing is evicted: no data is no eviction.
		{KeyEvictions, "Evictions", "Sum",
			fmt.Sprintf("Cache %s: keys were evicted for lack of memory in 3 consecutive 5-minute periods: the cache is too small for its working set (scalestack:cache.memoryGb).", name),
			"notBreaching", 0, 3},
	}
	if a.Replicas > 0 {
		defs = append(defs, struct {
			key, metric, stat, desc, missing string
			threshold                        float64
			periods                          int
		}{KeyReplicationLag, "ReplicationLag", "Maximum",
			fmt.Sprintf("Cache %s: a replica more than %d seconds behind the primary for 15 minutes (reads from the reader endpoint are stale).", name, DefaultAlarmReplicationLagSec),
			// Only replicas publish ReplicationLag; the primary's missing series is not lag.
			"notBreaching", DefaultAlarmReplicationLagSec, 3})
	}
	arns := pulumi.StringMap{}
	for _, d := range defs {
		queries := cloudwatch.MetricAlarmMetricQueryArray{}
		for i := 0; i < nodes; i++ {
			i := i
			queries = append(queries, &cloudwatch.MetricAlarmMetricQueryArgs{
				Id: pulumi.Sprintf("n%d", i+1),
				Metric: &cloudwatch.MetricAlarmMetricQueryMetricArgs{
					Namespace:  pulumi.String("AWS/ElastiCache"),
					MetricName: pulumi.String(d.metric),
					Dimensions: pulumi.StringMap{
						"CacheClusterId": members.Index(pulumi.Int(i)),
						"CacheNodeId":    pulumi.String(NodeID),
					},
					Period: pulumi.Int(300),
					Stat:   pulumi.String(d.stat),
				},
				ReturnData: pulumi.Bool(false),
			})
		}
		queries = append(queries, &cloudwatch.MetricAlarmMetricQueryArgs{
			Id:         pulumi.String("worst"),
			Expression: pulumi.String("MAX(METRICS())"),
			Label:      pulumi.Sprintf("%s, worst node", d.metric),
			ReturnData: pulumi.Bool(true),
		})
		alarmName := name + "-" + d.key
		ma := &cloudwatch.MetricAlarmArgs{
			AlarmDescription:   pulumi.String(d.desc),
			MetricQueries:      queries,
			EvaluationPeriods:  pulumi.Int(d.periods),
			DatapointsToAlarm:  pulumi.Int(d.periods),
			Threshold:          pulumi.Float64(d.threshold),
			ComparisonOperator: pulumi.String("GreaterThanThreshold"),
			TreatMissingData:   pulumi.String(d.missing),
			Tags:               tags(a.Tags, alarmName),
		}
		if a.AlarmTopicARN != nil {
			ma.AlarmActions = pulumi.Array{a.AlarmTopicARN}
			ma.OkActions = pulumi.Array{a.AlarmTopicARN}
		}
		res, err := cloudwatch.NewMetricAlarm(ctx, alarmName, ma, parent)
		if err != nil {
			return pulumi.StringMapOutput{}, fmt.Errorf("creating alarm %q: %w", alarmName, err)
		}
		arns[d.key] = res.Arn
	}
	return arns.ToStringMapOutput(), nil
}

// securityGroup registers the cache's group with no inline rules, one ingress rule per
// allowed source group on Port, and the matching egress rule on each source group. The
// cache's group has no egress rule: the nodes open no connections, and the Terraform AWS
// provider removes the allow-all egress AWS adds to a new group.
func securityGroup(ctx *pulumi.Context, name string, a Args, parent pulumi.ResourceOption) (*ec2.SecurityGroup, error) {
	sg, err := ec2.NewSecurityGroup(ctx, name, &ec2.SecurityGroupArgs{
		VpcId:       a.VpcID,
		Description: pulumi.Sprintf("Cache %s: port %d from the allowed groups only", name, a.Port),
		Tags:        tags(a.Tags, name),
	}, parent)
	if err != nil {
		return nil, fmt.Errorf("creating security group %q: %w", name, err)
	}
	for _, k := range sortedKeys(a.AllowedSecurityGroupIDs) {
		src := a.AllowedSecurityGroupIDs[k]
		if _, err := vpc.NewSecurityGroupIngressRule(ctx, name+"-from-"+k, &vpc.SecurityGroupIngressRuleArgs{
			SecurityGroupId:           sg.ID(),
			ReferencedSecurityGroupId: src,
			IpProtocol:                pulumi.String("tcp"),
			FromPort:                  pulumi.Int(a.Port),
			ToPort:                    pulumi.Int(a.Port),
			Description:               pulumi.Sprintf("Cache clients: %s", k),
			Tags:                      tags(a.Tags, name+"-from-"+k),
		}, parent); err != nil {
			return nil, fmt.Errorf("creating ingress rule from %q: %w", k, err)
		}
		if _, err := vpc.NewSecurityGroupEgressRule(ctx, name+"-"+k+"-out", &vpc.SecurityGroupEgressRuleArgs{
			SecurityGroupId:           src,
			ReferencedSecurityGroupId: sg.ID(),
			IpProtocol:                pulumi.String("tcp"),
			FromPort:                  pulumi.Int(a.Port),
			ToPort:                    pulumi.Int(a.Port),
			Description:               pulumi.Sprintf("To cache %s", name),
			Tags:                      tags(a.Tags, name+"-"+k+"-out"),
		}, parent); err != nil {
			return nil, fmt.Errorf("creating egress rule for %q: %w", k, err)
		}
	}
	return sg, nil
}

// newAuthToken returns AuthTokenLength random letters and digits.
func newAuthToken() (string, error) {
	b := make([]byte, AuthTokenLength)
	n := big.NewInt(int64(len(tokenAlphabet)))
	for i := range b {
		j, err := rand.Int(rand.Reader, n)
		if err != nil {
			return "", err
		}
		b[i] = tokenAlphabet[j.Int64()]
	}
	return string(b), nil
}

// clientPolicy lets a client read the secret, and decrypt it with the key only when Secrets
// Manager asks (kms:ViaService), so the key opens nothing else.
func clientPolicy(secretARN, keyARN string) string {
	region := ""
	if p := strings.SplitN(keyARN, ":", 6); len(p) > 3 {
		region = p[3]
	}
	doc := map[string]any{
		"Version": "2012-10-17",
		"Statement": []any{
			map[string]any{
				"Sid":      "ReadCacheAuthToken",
				"Effect":   "Allow",
				"Action":   []string{"secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"},
				"Resource": secretARN,
			},
			map[string]any{
				"Sid":       "DecryptCacheAuthToken",
				"Effect":    "Allow",
				"Action":    "kms:Decrypt",
				"Resource":  keyARN,
				"Condition": map[string]any{"StringEquals": map[string]any{"kms:ViaService": "secretsmanager." + region + ".amazonaws.com"}},
			},
		},
	}
	out, err := json.Marshal(doc)
	if err != nil {
		panic(err) // maps of strings only
	}
	return string(out)
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
