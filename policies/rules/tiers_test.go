package rules

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// goodCache is a replication group as components/aws/cache registers it.
var goodCache = obj{"engine": "valkey", "atRestEncryptionEnabled": true, "kmsKeyId": computed, "transitEncryptionEnabled": true,
	"transitEncryptionMode": "required", "authToken": "0123456789abcdef0123", "numCacheClusters": 2,
	"automaticFailoverEnabled": true, "multiAzEnabled": true, "snapshotRetentionLimit": 7}

func with(base obj, kv ...any) obj {
	out := obj{}
	for k, v := range base {
		out[k] = v
	}
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == nil {
			delete(out, kv[i].(string))
			continue
		}
		out[kv[i].(string)] = kv[i+1]
	}
	return out
}

var (
	sqsMain = dep(res(awsSQSQueue, "jobs", obj{"kmsMasterKeyId": computed, "redrivePolicy": computed}), "redrivePolicy", sqsDLQ)
	sqsDLQ  = res(awsSQSQueue, "jobs-dlq", obj{"kmsMasterKeyId": computed})
	dlTopic = res("gcp:pubsub/topic:Topic", "jobs-dlq", obj{"name": "jobs-dlq"})
	subMain = dep(res(gcpPubSubSubscription, "jobs", obj{"topic": "jobs", "deadLetterPolicy": obj{"deadLetterTopic": computed, "maxDeliveryAttempts": 5}}), "deadLetterPolicy", dlTopic)
	subDLQ  = dep(res(gcpPubSubSubscription, "jobs-dlq", obj{"topic": computed}), "topic", dlTopic)
)

func init() {
	resourceCases = append(resourceCases,
		resourceCase{rule: "aws-elasticache-encrypted", typ: awsReplicationGroup, good: goodCache,
			bad: with(goodCache, "atRestEncryptionEnabled", false), want: "atRestEncryptionEnabled is false"},
		resourceCase{name: "redis default", rule: "aws-elasticache-encrypted", typ: awsReplicationGroup,
			good: with(goodCache, "engine", "redis"), bad: with(goodCache, "engine", "redis", "atRestEncryptionEnabled", nil),
			want: `engine "redis" defaults to unencrypted at rest`},
		resourceCase{name: "valkey default", rule: "aws-elasticache-encrypted", typ: awsReplicationGroup,
			good: with(goodCache, "atRestEncryptionEnabled", nil), bad: with(goodCache, "engine", nil, "atRestEncryptionEnabled", nil),
			want: "the default engine (redis) is unencrypted at rest"},
		resourceCase{name: "transit", rule: "aws-elasticache-encrypted", typ: awsReplicationGroup, good: goodCache,
			bad: with(goodCache, "transitEncryptionEnabled", nil, "authToken", nil), want: "transitEncryptionEnabled is not set"},
		resourceCase{name: "preferred", rule: "aws-elasticache-encrypted", typ: awsReplicationGroup, good: goodCache,
			bad: with(goodCache, "transitEncryptionMode", "preferred"), want: `transitEncryptionMode is "preferred"`},
		resourceCase{rule: "aws-elasticache-auth", typ: awsReplicationGroup, good: goodCache,
			bad: with(goodCache, "authToken", nil), want: "neither authToken nor userGroupIds is set"},
		resourceCase{name: "rbac", rule: "aws-elasticache-auth", typ: awsReplicationGroup,
			good: with(goodCache, "authToken", nil, "userGroupIds", arr{computed}), bad: with(goodCache, "authToken", nil, "userGroupIds", arr{}),
			want: "neither authToken nor userGroupIds"},
		resourceCase{rule: "aws-elasticache-failover", typ: awsReplicationGroup, good: goodCache,
			bad: with(goodCache, "numCacheClusters", 1, "automaticFailoverEnabled", false, "multiAzEnabled", false), want: "numCacheClusters is 1"},
		resourceCase{name: "multi-az off", rule: "aws-elasticache-failover", typ: awsReplicationGroup, good: goodCache,
			bad: with(goodCache, "multiAzEnabled", nil), want: "multiAzEnabled is not set"},
		resourceCase{rule: "aws-elasticache-snapshots", typ: awsReplicationGroup, good: goodCache,
			bad: with(goodCache, "snapshotRetentionLimit", 0), want: "snapshotRetentionLimit is 0"},
		resourceCase{rule: "aws-sqs-encrypted", typ: awsSQSQueue, good: obj{"kmsMasterKeyId": "alias/jobs"},
			bad: obj{"visibilityTimeoutSeconds": 30}, want: "neither kmsMasterKeyId nor sqsManagedSseEnabled is set"},
		resourceCase{name: "sse-sqs", rule: "aws-sqs-encrypted", typ: awsSQSQueue, good: obj{"sqsManagedSseEnabled": true},
			bad: obj{"sqsManagedSseEnabled": false}, want: "neither kmsMasterKeyId nor sqsManagedSseEnabled"},
		resourceCase{rule: "aws-iam-queue-least-privilege", typ: awsIAMRolePolicy,
			good: obj{"policy": policyJSON(obj{"Effect": "Allow", "Action": arr{"sqs:ReceiveMessage", "sqs:DeleteMessage"}, "Resource": "arn:aws:sqs:us-east-1:123456789012:jobs"},
				obj{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*"})},
			bad:  obj{"policy": policyJSON(obj{"Effect": "Allow", "Action": "sqs:*", "Resource": "arn:aws:sqs:us-east-1:123456789012:jobs"})},
			want: `allows "sqs:*"`},
		resourceCase{name: "any queue", rule: "aws-iam-queue-least-privilege", typ: awsIAMRolePolicy,
			good: obj{"policy": policyJSON(obj{"Effect": "Deny", "Action": "sqs:*", "Resource": "*"})},
			bad:  obj{"policy": policyJSON(obj{"Effect": "Allow", "Action": arr{"sqs:ReceiveMessage"}, "Resource": arr{"*"}})},
			want: `allows SQS actions on Resource "*"`},
		resourceCase{name: "inline on the role", rule: "aws-iam-queue-least-privilege", typ: awsIAMRole,
			good: obj{"inlinePolicies": arr{obj{"name": "q", "policy": policyJSON(obj{"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "arn:aws:sqs:us-east-1:1:q"})}}},
			bad:  obj{"inlinePolicies": arr{obj{"name": "q", "policy": policyJSON(obj{"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "*"})}}},
			want: `allows SQS actions on Resource "*"`},
		resourceCase{rule: "gcp-redis-hardening", typ: gcpRedisInstance,
			good: obj{"authEnabled": true, "transitEncryptionMode": "SERVER_AUTHENTICATION", "connectMode": "PRIVATE_SERVICE_ACCESS"},
			bad:  obj{"authEnabled": true, "connectMode": "PRIVATE_SERVICE_ACCESS"}, want: "transitEncryptionMode is not set (default DISABLED)"},
		resourceCase{name: "auth and peering", rule: "gcp-redis-hardening", typ: gcpRedisInstance,
			good: obj{"authEnabled": true, "transitEncryptionMode": "SERVER_AUTHENTICATION", "connectMode": "PRIVATE_SERVICE_ACCESS"},
			bad:  obj{"transitEncryptionMode": "SERVER_AUTHENTICATION", "connectMode": "DIRECT_PEERING"}, want: "authEnabled is not set"},
		resourceCase{rule: "gcp-redis-ha", typ: gcpRedisInstance, good: obj{"tier": "STANDARD_HA"},
			bad: obj{"memorySizeGb": 1}, want: "tier is not set (default BASIC"},
	)
	stackCases = append(stackCases,
		stackCase{rule: "stack-queue-dlq",
			good: []Resource{sqsDLQ, sqsMain},
			bad:  []Resource{res(awsSQSQueue, "jobs", obj{"kmsMasterKeyId": computed})}, want: `SQS queue "jobs" has no dead-letter queue`},
		stackCase{name: "redrive policy resource", rule: "stack-queue-dlq",
			good: []Resource{sqsDLQ, dep(res(awsSQSQueue, "jobs", obj{"kmsMasterKeyId": computed}), "", sqsDLQ),
				dep(dep(res(awsSQSRedrivePolicy, "jobs", obj{"queueUrl": computed, "redrivePolicy": computed}), "queueUrl", res(awsSQSQueue, "jobs", obj{})), "redrivePolicy", sqsDLQ)},
			bad:  []Resource{sqsDLQ, sqsMain, res(awsSQSQueue, "other", obj{"kmsMasterKeyId": computed})},
			want: `SQS queue "other" has no dead-letter queue`},
		stackCase{name: "pubsub", rule: "stack-queue-dlq",
			good: []Resource{dlTopic, subMain, subDLQ},
			bad:  []Resource{dlTopic, res(gcpPubSubSubscription, "jobs", obj{"topic": "jobs"})}, want: `Pub/Sub subscription "jobs" has no deadLetterPolicy`},
	)
}

// A rule that reads a value unknown at preview reports "cannot verify", never a pass.
func TestTierRulesReportUnknowns(t *testing.T) {
	vs := findings(t, "aws-elasticache-encrypted", "prod", res(awsReplicationGroup, "c", with(goodCache, "transitEncryptionEnabled", computed)))
	require.Len(t, vs, 1)
	assert.True(t, vs[0].Unverified)
	vs = findings(t, "gcp-redis-hardening", "prod", res(gcpRedisInstance, "r", obj{"authEnabled": computed, "transitEncryptionMode": "SERVER_AUTHENTICATION", "connectMode": "PRIVATE_SERVICE_ACCESS"}))
	require.Len(t, vs, 1)
	assert.True(t, vs[0].Unverified)
}
