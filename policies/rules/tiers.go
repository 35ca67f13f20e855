package rules

import "strings"

// The cache and queue tiers (issue 13): ElastiCache and Memorystore caches, SQS queues and
// Pub/Sub subscriptions, and the roles that consume queues.
const (
	awsReplicationGroup   = "aws:elasticache/replicationGroup:ReplicationGroup"
	awsSQSQueue           = "aws:sqs/queue:Queue"
	awsSQSRedrivePolicy   = "aws:sqs/redrivePolicy:RedrivePolicy"
	awsSQSRedriveAllow    = "aws:sqs/redriveAllowPolicy:RedriveAllowPolicy"
	gcpRedisInstance      = "gcp:redis/instance:Instance"
	gcpPubSubSubscription = "gcp:pubsub/subscription:Subscription"
)

func init() {
	register(
		&Rule{
			ID:            "aws-elasticache-encrypted",
			Description:   "ElastiCache replication groups encrypt data at rest and in transit (TLS); Redis OSS does not encrypt at rest unless asked.",
			ResourceTypes: []string{awsReplicationGroup}, Level: Mandatory,
			Anchors: []string{"CKV_AWS_29", "CKV_AWS_30", "AWS Foundational Security Best Practices ElastiCache.4, ElastiCache.5"},
			check: func(c *check) {
				// atRestEncryptionEnabled defaults to true for engine "valkey" and to false for
				// "redis" (the default engine): pulumi-aws v6 elasticache.ReplicationGroup.
				rest := c.at("atRestEncryptionEnabled")
				engine := c.peek("engine")
				switch {
				case rest.unknown:
				case rest.isFalse():
					c.fail("atRestEncryptionEnabled is false: want true (a KMS key in kmsKeyId, ideally)")
				case !rest.present && engine.known() && engine.str() != "valkey":
					c.fail("atRestEncryptionEnabled is not set: engine %s defaults to unencrypted at rest; want true", show(engine))
				case !rest.present && !engine.present:
					c.fail("atRestEncryptionEnabled is not set: the default engine (redis) is unencrypted at rest; want true")
				}
				c.wantTrue("transitEncryptionEnabled", "want true so clients and replicas talk over TLS")
				if v := c.at("transitEncryptionMode"); v.known() && v.str() == "preferred" {
					c.fail("transitEncryptionMode is \"preferred\": plaintext connections are still accepted; want \"required\" once clients use TLS")
				}
			},
		},
		&Rule{
			ID:            "aws-elasticache-auth",
			Description:   "ElastiCache replication groups require authentication: an AUTH token or an RBAC user group.",
			ResourceTypes: []string{awsReplicationGroup}, Level: Mandatory,
			Anchors: []string{"CKV_AWS_31", "AWS Foundational Security Best Practices ElastiCache.6"},
			check: func(c *check) {
				if c.peek("authToken").isSet() || c.peek("userGroupIds").isSet() {
					return
				}
				c.fail("neither authToken nor userGroupIds is set: any client that reaches the port can read and write; set an AUTH token (from Secrets Manager) or an RBAC user group")
			},
		},
		&Rule{
			ID:            "aws-elasticache-failover",
			Description:   "ElastiCache replication groups keep a replica in another Availability Zone with automatic failover and Multi-AZ on.",
			ResourceTypes: []string{awsReplicationGroup}, Level: MandatoryInProd,
			Anchors: []string{"AWS Foundational Security Best Practices ElastiCache.3"},
			check: func(c *check) {
				if c.peek("globalReplicationGroupId").isSet() || c.peek("numNodeGroups").isSet() {
					return // a secondary of a global datastore, or cluster mode: failover is the shards'
				}
				if v := c.at("numCacheClusters"); v.known() {
					if n, _ := v.num(); n < 2 {
						c.fail("numCacheClusters is %s: want at least 2 (a primary and a replica in another zone)", show(v))
					}
				}
				c.wantTrue("automaticFailoverEnabled", "want true so a replica is promoted when the primary fails")
				c.wantTrue("multiAzEnabled", "want true so the replica is placed in another Availability Zone")
			},
		},
		&Rule{
			ID:            "aws-elasticache-snapshots",
			Description:   "ElastiCache replication groups keep automatic snapshots for at least the configured days.",
			ResourceTypes: []string{awsReplicationGroup}, Level: Advisory,
			Anchors:  []string{"AWS Foundational Security Best Practices ElastiCache.1"},
			Settings: []Setting{{Name: "minDays", Type: "integer", Default: 1, Description: "fewest days automatic snapshots are kept"}},
			check: func(c *check) {
				min := c.number("minDays")
				v := c.at("snapshotRetentionLimit")
				if v.unknown {
					return
				}
				if n, _ := v.num(); !v.present || n < min {
					c.fail("snapshotRetentionLimit is %s: want at least %g days of automatic snapshots", show(v), min)
				}
			},
		},
		&Rule{
			ID:            "aws-sqs-encrypted",
			Description:   "SQS queues are encrypted at rest: SSE-KMS (kmsMasterKeyId) or SQS-managed SSE (sqsManagedSseEnabled).",
			ResourceTypes: []string{awsSQSQueue}, Level: Mandatory, Anchors: []string{"CKV_AWS_27", "AWS Foundational Security Best Practices SQS.1"},
			check: func(c *check) {
				if c.peek("kmsMasterKeyId").isSet() {
					return
				}
				if v := c.at("sqsManagedSseEnabled"); v.unknown || v.isTrue() {
					return
				}
				c.fail("neither kmsMasterKeyId nor sqsManagedSseEnabled is set: encrypt the queue (a customer-managed KMS key, or SQS-managed SSE)")
			},
		},
		&Rule{
			ID:            "aws-iam-queue-least-privilege",
			Description:   "IAM policies grant SQS actions on named queues only: no \"sqs:*\" and no SQS action on Resource \"*\".",
			ResourceTypes: []string{awsIAMRolePolicy, awsIAMPolicy, awsIAMUserPolicy, awsIAMGroupPolicy, awsIAMRole}, Level: Mandatory,
			Anchors: []string{"CKV_AWS_355", "CKV_AWS_290"},
			check: func(c *check) {
				if c.r.Type == awsIAMRole {
					for _, p := range c.at("inlinePolicies").items() {
						c.sqsLeastPrivilege(c.need(c.r, p.sub("policy")))
					}
					return
				}
				c.sqsLeastPrivilege(c.at("policy"))
			},
		},
		&Rule{
			ID:            "gcp-redis-hardening",
			Description:   "Memorystore for Redis instances require AUTH, encrypt in transit (SERVER_AUTHENTICATION) and connect through private services access.",
			ResourceTypes: []string{gcpRedisInstance}, Level: Mandatory, Anchors: []string{"CKV_GCP_95", "CKV_GCP_97"},
			check: func(c *check) {
				c.wantTrue("authEnabled", "want true so clients must present the AUTH string")
				if v := c.at("transitEncryptionMode"); !v.unknown && v.str() != "SERVER_AUTHENTICATION" {
					c.fail("transitEncryptionMode is %s (default DISABLED): want \"SERVER_AUTHENTICATION\" (TLS)", show(v))
				}
				if v := c.at("connectMode"); !v.unknown && v.str() != "PRIVATE_SERVICE_ACCESS" {
					c.fail("connectMode is %s (default DIRECT_PEERING): want \"PRIVATE_SERVICE_ACCESS\" (the private services range shared with Cloud SQL)", show(v))
				}
			},
		},
		&Rule{
			ID:            "gcp-redis-ha",
			Description:   "Memorystore for Redis instances are STANDARD_HA (a replica in another zone with automatic failover).",
			ResourceTypes: []string{gcpRedisInstance}, Level: MandatoryInProd,
			check: func(c *check) {
				if v := c.at("tier"); !v.unknown && v.str() != "STANDARD_HA" {
					c.fail("tier is %s (default BASIC: one node, no failover): want \"STANDARD_HA\"", show(v))
				}
			},
		},
		&Rule{
			ID:          "stack-queue-dlq",
			Description: "Every work queue has a dead-letter queue: an SQS queue has a redrive policy unless it is itself a dead-letter queue; a Pub/Sub subscription has a dead-letter policy unless it reads a dead-letter topic.",
			Level:       Mandatory, Anchors: []string{"AWS Well-Architected REL05-BP (dead-letter queues)", "Pub/Sub dead-letter topics"},
			checkStack: func(c *check) {
				queues := c.ofType(awsSQSQueue)
				for _, q := range queues {
					if c.peekOf(q, "redrivePolicy").isSet() || c.peekOf(q, "redriveAllowPolicy").isSet() ||
						c.hasReferrer(q, []string{awsSQSRedrivePolicy, awsSQSRedriveAllow}, "queueUrl") ||
						c.hasReferrer(q, []string{awsSQSQueue, awsSQSRedrivePolicy}, "redrivePolicy") {
						continue
					}
					c.failOn(q, "SQS queue %q has no dead-letter queue (no redrivePolicy, and no queue redrives to it): poison messages are retried until they expire", q.Name)
				}
				subs := c.ofType(gcpPubSubSubscription)
				for _, s := range subs {
					if c.peekOf(s, "deadLetterPolicy.deadLetterTopic").isSet() {
						continue
					}
					if c.readsDeadLetterTopic(s, subs) {
						continue
					}
					c.failOn(s, "Pub/Sub subscription %q has no deadLetterPolicy: undeliverable messages are retried until they expire", s.Name)
				}
			},
		},
	)
}

// readsDeadLetterTopic reports whether subscription s reads a topic that another
// subscription uses as its dead-letter topic (by dependency or by the same value).
func (c *check) readsDeadLetterTopic(s *Resource, subs []*Resource) bool {
	topic := c.peekOf(s, "topic")
	for _, o := range subs {
		if o == s {
			continue
		}
		dl := c.peekOf(o, "deadLetterPolicy.deadLetterTopic")
		if !dl.isSet() {
			continue
		}
		if topic.known() && dl.known() && sameTopic(topic.str(), dl.str()) {
			return true
		}
		for _, u := range s.PropertyDependencies["topic"] {
			for _, v := range o.PropertyDependencies["deadLetterPolicy"] {
				if u == v {
					return true
				}
			}
		}
	}
	return false
}

// sameTopic compares a topic given by name or by id ("projects/p/topics/name").
func sameTopic(a, b string) bool {
	short := func(s string) string { return s[strings.LastIndex(s, "/")+1:] }
	return a == b || short(a) == short(b)
}

// sqsLeastPrivilege fails a policy document that allows "sqs:*" (or "*") or any SQS action on
// Resource "*".
func (c *check) sqsLeastPrivilege(v val) {
	stmts, ok := c.statementsOf(v)
	if !ok {
		return
	}
	for i, s := range stmts {
		if eff, _ := s["Effect"].(string); eff != "Allow" {
			continue
		}
		acts := jsonStrings(s["Action"])
		if contains(acts, "sqs:*") {
			c.fail("%s statement %d allows \"sqs:*\": grant the actions the role needs (a worker: sqs:ReceiveMessage, DeleteMessage, ChangeMessageVisibility, GetQueueAttributes)", v.path, i)
			continue
		}
		sqs := false
		for _, a := range acts {
			if strings.HasPrefix(strings.ToLower(a), "sqs:") {
				sqs = true
			}
		}
		if sqs && contains(jsonStrings(s["Resource"]), "*") {
			c.fail("%s statement %d allows SQS actions on Resource \"*\": name the queue's ARN", v.path, i)
		}
	}
}
