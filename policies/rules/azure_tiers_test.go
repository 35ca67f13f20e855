package rules

// goodStorage is a storage account as components/azure/queue registers it.
var goodStorage = obj{"minimumTlsVersion": "TLS1_2", "enableHttpsTrafficOnly": true, "allowBlobPublicAccess": false,
	"allowSharedKeyAccess": false, "publicNetworkAccess": "Enabled", "networkRuleSet": obj{"defaultAction": "Deny", "bypass": "AzureServices"}}

// goodQueue is a queue as components/azure/queue registers it.
var goodQueue = obj{"queueName": "jobs", "metadata": obj{"poisonqueue": "jobs-poison", "maxdequeuecount": "5"}}

func init() {
	resourceCases = append(resourceCases,
		// Storage accounts deny network access by default (CKV_AZURE_35) or have no public
		// endpoint (CKV_AZURE_59): https://learn.microsoft.com/azure/storage/common/storage-network-security
		resourceCase{rule: "az-storage-network", typ: azStorageAccount, good: goodStorage,
			bad: with(goodStorage, "networkRuleSet", obj{"defaultAction": "Allow"}), want: `networkRuleSet.defaultAction is "Allow"`},
		resourceCase{name: "public endpoint off", rule: "az-storage-network", typ: azStorageAccount,
			good: with(goodStorage, "networkRuleSet", nil, "publicNetworkAccess", "Disabled"),
			bad:  with(goodStorage, "networkRuleSet", nil), want: "networkRuleSet.defaultAction is not set"},
		resourceCase{rule: "az-queue-poison", typ: azStorageQueue, good: goodQueue,
			bad: obj{"queueName": "jobs"}, want: "metadata.poisonqueue is not set"},
		resourceCase{name: "the poison queue itself", rule: "az-queue-poison", typ: azStorageQueue,
			good: obj{"queueName": "jobs-poison", "metadata": obj{"poisonof": "jobs"}},
			bad:  obj{"queueName": "jobs", "metadata": obj{"poisonqueue": "jobs-poison"}}, want: "metadata.maxdequeuecount is not set"},
	)
}
