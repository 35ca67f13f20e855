package rules

// The Azure queue tier (issue 13): the network of the storage accounts behind Storage queues
// (az-storage-secure covers their TLS and public blob access), and the queues' dead-letter
// (poison queue) contract.
const azStorageQueue = "azure-native:storage:Queue"

func init() {
	register(
		&Rule{
			ID:            "az-storage-network",
			Description:   "Storage accounts deny network access by default (reached through a private endpoint, and by trusted Azure services) or disable their public endpoint.",
			ResourceTypes: []string{azStorageAccount}, Level: Mandatory,
			Anchors: []string{"CKV_AZURE_35", "CKV_AZURE_59"},
			check: func(c *check) {
				pna, deny := c.at("publicNetworkAccess"), c.at("networkRuleSet.defaultAction")
				if pna.unknown || deny.unknown || pna.str() == "Disabled" || deny.str() == "Deny" {
					return
				}
				c.fail("networkRuleSet.defaultAction is %s and publicNetworkAccess is %s: want defaultAction Deny (reach it through a private endpoint) or publicNetworkAccess Disabled", show(deny), show(pna))
			},
		},
		&Rule{
			ID:            "az-queue-poison",
			Description:   "Storage queues (which have no dead-letter queue) state their poison-queue contract in metadata: a queue names its poison queue and maximum dequeue count, unless it is itself a poison queue.",
			ResourceTypes: []string{azStorageQueue}, Level: Mandatory,
			Anchors: []string{"stack-queue-dlq (the same intent on SQS and Pub/Sub)", "Azure Functions queue trigger poison messages"},
			check: func(c *check) {
				if c.peek("metadata.poisonof").isSet() {
					return
				}
				p, n := c.at("metadata.poisonqueue"), c.at("metadata.maxdequeuecount")
				if p.unknown || n.unknown {
					return
				}
				if !p.isSet() || !n.isSet() {
					c.fail("metadata.poisonqueue is %s and metadata.maxdequeuecount is %s: name the poison queue and the deliveries after which workers move a message there (Storage queues have no dead-letter queue)", show(p), show(n))
				}
			},
		},
	)
}
