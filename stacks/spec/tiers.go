package spec

import (
	"encoding/json"
	"sort"
	"strings"
)

// Cache is the managed cache tier (scalestack:cache): ElastiCache on AWS, Memorystore on
// Google Cloud; not available on Azure in this build.
type Cache struct {
	// Enabled adds the cache. Default: true on AWS and Google Cloud; false on Azure, where
	// true is refused (no cache module is served in this build).
	Enabled bool `json:"enabled"`
	// Replicas are read replicas beside the primary; with one or more the cache fails over to
	// another zone. Default 0 / 1 / 1; at least 1 in prod.
	Replicas int `json:"replicas"`
	// MemoryGB is the memory of each node (AWS: the smallest node type with as much;
	// Google Cloud: the instance size). Default 1 / 3 / 6.
	MemoryGB int `json:"memoryGb"`
	// EvictionPolicy is the maxmemory-policy. Default "volatile-lru".
	EvictionPolicy string `json:"evictionPolicy"`
}

// Queue is the asynchronous tier (scalestack:queue): a queue with a dead-letter queue and a
// worker tier scaled on the backlog.
type Queue struct {
	// Enabled adds the queue and its workers. Default: true.
	Enabled bool `json:"enabled"`
	// MaxReceiveCount is the deliveries before a message goes to the dead-letter queue.
	MaxReceiveCount int `json:"maxReceiveCount"`
	// RetentionDays keeps an unprocessed message.
	RetentionDays int `json:"retentionDays"`
	// VisibilityTimeoutSeconds hides a message from other workers while one works on it
	// (Pub/Sub: the ack deadline).
	VisibilityTimeoutSeconds int `json:"visibilityTimeoutSeconds"`
	// Workers sizes the worker tier.
	Workers Workers `json:"workers"`
}

// Workers sizes the worker tier of scalestack:queue.
type Workers struct {
	// MinSize is the fewest workers. Default 1 / 1 / 2 (prod: one per zone survives a zone
	// loss).
	MinSize int `json:"minSize"`
	// MaxSize is the most workers. Default 3 / 10 / 20.
	MaxSize int `json:"maxSize"`
	// BacklogPerWorker is the queued messages per worker the autoscaler keeps. Default 100.
	BacklogPerWorker int `json:"backlogPerWorker"`
}

// EvictionPolicies are the maxmemory-policy values scalestack:cache.evictionPolicy accepts
// (the same on ElastiCache and Memorystore).
var EvictionPolicies = []string{
	"volatile-lru", "allkeys-lru", "volatile-lfu", "allkeys-lfu",
	"volatile-random", "allkeys-random", "volatile-ttl", "noeviction",
}

// Limits shared by every cloud, so an intent key means the same everywhere.
const (
	// MaxQueueRetentionDays is Pub/Sub's longest subscription retention (7 days); SQS keeps
	// up to 14 and Azure Storage queues longer.
	MaxQueueRetentionDays = 7
	// MinVisibilityTimeoutSeconds and MaxVisibilityTimeoutSeconds are Pub/Sub's ack deadline
	// bounds (10-600 seconds), within SQS's 0-43200.
	MinVisibilityTimeoutSeconds = 10
	MaxVisibilityTimeoutSeconds = 600
)

// parseTiers reads scalestack:cache and scalestack:queue into s, with defaults per
// environment.
func (p *parser) parseTiers(s *Spec, pick func(dev, staging, prod int) int) {
	rawCache := p.object("cache", Cache{})
	rawQueue := p.object("queue", Queue{})
	prod := s.Environment == Prod

	c := &s.Cache
	c.Enabled = p.bool("cache", rawCache, "enabled", s.Cloud != Azure)
	c.Replicas = p.int("cache", rawCache, "replicas", pick(0, 1, 1), 0, 5)
	c.MemoryGB = p.int("cache", rawCache, "memoryGb", pick(1, 3, 6), 1, 300)
	c.EvictionPolicy = p.str("cache", rawCache, "evictionPolicy", "volatile-lru")
	if !contains(EvictionPolicies, c.EvictionPolicy) {
		p.errf("scalestack:cache.evictionPolicy: %q is not allowed: want one of %s", c.EvictionPolicy, strings.Join(EvictionPolicies, ", "))
	}
	if c.Enabled && prod && c.Replicas < 1 {
		p.errf("scalestack:cache.replicas: %d is too few for prod: want at least 1 so the cache fails over to another zone", c.Replicas)
	}
	// Memorystore allows read replicas only on nodes of 5 GB or more; one replica under that
	// is the Standard Tier's failover replica.
	if s.Cloud == GCP && c.Replicas >= 2 && c.MemoryGB < 5 {
		p.errf("scalestack:cache.replicas: %d is not allowed on gcp with cache.memoryGb %d: Memorystore read replicas need nodes of at least 5 GB; want replicas 0-1, or memoryGb 5 or more", c.Replicas, c.MemoryGB)
	}
	if c.Enabled && s.Cloud == Azure {
		p.errf("scalestack:cache.enabled: true is not available on azure: this build serves no Azure Cache for Redis module (azure-native cache or redisenterprise); want false, or run the cache outside scalestack")
	}

	q := &s.Queue
	q.Enabled = p.bool("queue", rawQueue, "enabled", true)
	q.MaxReceiveCount = p.int("queue", rawQueue, "maxReceiveCount", 5, 1, 100)
	q.RetentionDays = p.int("queue", rawQueue, "retentionDays", 4, 1, MaxQueueRetentionDays)
	q.VisibilityTimeoutSeconds = p.int("queue", rawQueue, "visibilityTimeoutSeconds", 120, MinVisibilityTimeoutSeconds, MaxVisibilityTimeoutSeconds)
	// Pub/Sub's dead-letter policy accepts 5-100 delivery attempts (maxDeliveryAttempts).
	if s.Cloud == GCP && q.MaxReceiveCount < 5 {
		p.errf("scalestack:queue.maxReceiveCount: %d is not allowed on gcp: want 5-100 (Pub/Sub's dead-letter policy counts at least 5 delivery attempts)", q.MaxReceiveCount)
	}
	rawWorkers := map[string]json.RawMessage{}
	if v, ok := rawQueue["workers"]; ok && string(v) != "null" {
		p.explicit["queue.workers"] = true
		if err := json.Unmarshal(v, &rawWorkers); err != nil {
			p.errf("scalestack:queue.workers: %s is not an object: want {minSize, maxSize, backlogPerWorker}", v)
		}
		allowed := jsonFields(Workers{})
		for _, k := range sortedKeys(rawWorkers) {
			if !contains(allowed, k) {
				p.errf("scalestack:queue.workers.%s: unknown key (allowed: %s)", k, strings.Join(allowed, ", "))
			}
		}
	}
	w := &q.Workers
	w.MinSize = p.int("queue.workers", rawWorkers, "minSize", pick(1, 1, 2), 1, 1000)
	w.MaxSize = p.int("queue.workers", rawWorkers, "maxSize", max(pick(3, 10, 20), w.MinSize), 1, 1000)
	w.BacklogPerWorker = p.int("queue.workers", rawWorkers, "backlogPerWorker", 100, 1, 100000)
	if w.MaxSize < w.MinSize {
		p.errf("scalestack:queue.workers.maxSize: %d is less than queue.workers.minSize %d: want maxSize >= minSize", w.MaxSize, w.MinSize)
	}
	if q.Enabled && prod && w.MinSize < 2 {
		p.errf("scalestack:queue.workers.minSize: %d is too few for prod: want at least 2 so the workers survive a zone loss", w.MinSize)
	}
}

func sortedKeys(m map[string]json.RawMessage) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
