package backend

import (
	"fmt"
	"strconv"

	"github.com/pulumi/pulumi-gcp/sdk/v7/go/gcp/compute"
	"github.com/pulumi/pulumi-gcp/sdk/v7/go/gcp/pubsub"
	"github.com/pulumi/pulumi-gcp/sdk/v7/go/gcp/secretmanager"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/scalestack/scalestack/components/gcp/cache"
	"github.com/scalestack/scalestack/components/gcp/monitoring"
	"github.com/scalestack/scalestack/components/gcp/network"
	"github.com/scalestack/scalestack/components/gcp/queue"
	"github.com/scalestack/scalestack/components/gcp/worker"
	"github.com/scalestack/scalestack/policies/flows"
)

// Roles the web and worker service accounts get on one resource each, and nothing more.
const (
	// PublisherRole lets the web tiers publish to the work topic.
	PublisherRole = "roles/pubsub.publisher"
	// SecretAccessorRole lets the web and worker tiers read the cache's AUTH string.
	SecretAccessorRole = "roles/secretmanager.secretAccessor"
)

// CachePort is the port Memorystore for Redis serves on with in-transit encryption
// (SERVER_AUTHENTICATION), which the cache component always turns on; 6379 is the plain port
// (https://cloud.google.com/memorystore/docs/redis/about-in-transit-encryption).
const CachePort = 6378

// Metadata keys the web and worker instances find the cache and the queue under.
const (
	MetadataCacheHost       = "scalestack-cache-host"
	MetadataCachePort       = "scalestack-cache-port"
	MetadataCacheAuthSecret = "scalestack-cache-auth-secret"
	MetadataQueueTopic      = "scalestack-queue-topic"
)

// tiers are the cache and the queue with its workers, each nil when turned off.
type tiers struct {
	project string
	cache   *cache.Cache
	secret  *secretmanager.Secret
	queue   *queue.Queue
	workers *worker.Worker
}

// newTiers registers the cache (with its AUTH string in Secret Manager and the egress rules
// that let only the web and worker instances reach it) and the queue.
func newTiers(ctx *pulumi.Context, name, project string, p parts, net *network.Network, parent pulumi.ResourceOption, channels pulumi.StringArrayOutput) (*tiers, error) {
	t := &tiers{project: project}
	if p.cache != nil {
		// PRIVATE_SERVICE_ACCESS takes the instance's IP from the private services range, so
		// the connection must exist first: PrivateNetwork resolves only once it does.
		p.cache.AuthorizedNetwork = net.PrivateNetwork
		c, err := cache.New(ctx, name+"-cache", p.cache, parent)
		if err != nil {
			return nil, err
		}
		t.cache = c
		// The AUTH string goes to Secret Manager (secretData is a Pulumi secret), read by the
		// web and worker service accounts alone; no role on the instance is granted.
		secret, err := secretmanager.NewSecret(ctx, name+"-cache-auth", &secretmanager.SecretArgs{
			Project:     pulumi.String(project),
			SecretId:    pulumi.String(name + "-cache-auth"),
			Replication: &secretmanager.SecretReplicationArgs{Auto: &secretmanager.SecretReplicationAutoArgs{}},
			Labels:      pulumi.ToStringMap(p.cache.Labels),
		}, parent)
		if err != nil {
			return nil, fmt.Errorf("creating the cache AUTH secret: %w", err)
		}
		t.secret = secret
		if _, err := secretmanager.NewSecretVersion(ctx, name+"-cache-auth", &secretmanager.SecretVersionArgs{
			Secret: secret.ID(), SecretData: c.AuthString,
		}, parent); err != nil {
			return nil, fmt.Errorf("storing the cache AUTH string: %w", err)
		}
		// Memorystore is outside the VPC's ingress rules; egress rules decide who reaches it:
		// the web (and worker) tags at priority 1000, and no other instance (a deny of the
		// private services range on the Redis ports at 1100).
		tags := pulumi.StringArray{pulumi.String(p.network.WebTag)}
		if p.worker != nil {
			tags = append(tags, pulumi.String(name+"-worker"))
		}
		if _, err := compute.NewFirewall(ctx, name+"-allow-cache", &compute.FirewallArgs{
			Network:           net.NetworkSelfLink,
			Description:       pulumi.String("web and worker instances to the Memorystore cache (TLS port 6378)"),
			Direction:         pulumi.String("EGRESS"),
			Priority:          pulumi.Int(1000),
			DestinationRanges: pulumi.StringArray{net.PrivateServicesRange},
			TargetTags:        tags,
			Allows: compute.FirewallAllowArray{compute.FirewallAllowArgs{
				Protocol: pulumi.String("tcp"), Ports: pulumi.StringArray{pulumi.String(strconv.Itoa(CachePort))},
			}},
			LogConfig: &compute.FirewallLogConfigArgs{Metadata: pulumi.String("INCLUDE_ALL_METADATA")},
		}, parent); err != nil {
			return nil, fmt.Errorf("creating cache egress rule: %w", err)
		}
		if _, err := compute.NewFirewall(ctx, name+"-deny-cache", &compute.FirewallArgs{
			Network:           net.NetworkSelfLink,
			Description:       pulumi.String("no other instance reaches the Memorystore cache"),
			Direction:         pulumi.String("EGRESS"),
			Priority:          pulumi.Int(1100),
			DestinationRanges: pulumi.StringArray{net.PrivateServicesRange},
			Denies: compute.FirewallDenyArray{compute.FirewallDenyArgs{
				Protocol: pulumi.String("tcp"), Ports: pulumi.StringArray{pulumi.String("6378-6379")},
			}},
			LogConfig: &compute.FirewallLogConfigArgs{Metadata: pulumi.String("INCLUDE_ALL_METADATA")},
		}, parent); err != nil {
			return nil, fmt.Errorf("creating cache egress deny rule: %w", err)
		}
	}
	if p.queue != nil {
		p.queue.NotificationChannels = channels
		q, err := queue.New(ctx, name+"-queue", p.queue, parent)
		if err != nil {
			return nil, err
		}
		t.queue = q
	}
	return t, nil
}

// cacheMetadata tells instances where the cache is and which secret holds its AUTH string.
func (t *tiers) cacheMetadata(m map[string]pulumi.StringInput) map[string]pulumi.StringInput {
	if t.cache != nil {
		m[MetadataCacheHost] = t.cache.Host
		m[MetadataCachePort] = t.cache.Port.ApplyT(strconv.Itoa).(pulumi.StringOutput)
		m[MetadataCacheAuthSecret] = t.secret.ID().ToStringOutput()
	}
	return m
}

// metadata adds the cache and the topic to a web tier's metadata.
func (t *tiers) metadata(m map[string]pulumi.StringInput) map[string]pulumi.StringInput {
	m = t.cacheMetadata(m)
	if t.queue != nil {
		m[MetadataQueueTopic] = t.queue.Topic
	}
	return m
}

// grantSecret lets a service account read the cache's AUTH string.
func (t *tiers) grantSecret(ctx *pulumi.Context, prefix string, member pulumi.StringInput, parent pulumi.ResourceOption) error {
	if t.secret == nil {
		return nil
	}
	if _, err := secretmanager.NewSecretIamMember(ctx, prefix+"-cache-auth", &secretmanager.SecretIamMemberArgs{
		Project: pulumi.String(t.project), SecretId: t.secret.SecretId, Role: pulumi.String(SecretAccessorRole), Member: member,
	}, parent); err != nil {
		return fmt.Errorf("granting %s read of the cache AUTH string: %w", prefix, err)
	}
	return nil
}

// grantWeb gives one web tier's service account publisher on the topic and read of the AUTH
// string, on those two resources only.
func (t *tiers) grantWeb(ctx *pulumi.Context, prefix string, email pulumi.StringOutput, parent pulumi.ResourceOption) error {
	member := pulumi.Sprintf("serviceAccount:%s", email)
	if t.queue != nil {
		if _, err := pubsub.NewTopicIAMMember(ctx, prefix+"-publisher", &pubsub.TopicIAMMemberArgs{
			Project: pulumi.String(t.project), Topic: t.queue.Topic, Role: pulumi.String(PublisherRole), Member: member,
		}, parent); err != nil {
			return fmt.Errorf("granting %s publisher on the topic: %w", prefix, err)
		}
	}
	return t.grantSecret(ctx, prefix, member, parent)
}

// newWorkers registers the worker tier in the primary region on the queue's subscription.
func (t *tiers) newWorkers(ctx *pulumi.Context, name string, p parts, net *network.Network, parent pulumi.ResourceOption) error {
	if t.queue == nil {
		return nil
	}
	p.worker.Network = net.NetworkSelfLink
	p.worker.Subnetwork = net.PrimarySubnetSelfLink
	p.worker.Subscription = t.queue.Subscription
	p.worker.SubscriptionName = t.queue.SubscriptionName
	p.worker.Metadata = t.cacheMetadata(map[string]pulumi.StringInput{})
	w, err := worker.New(ctx, name+"-worker", p.worker, parent)
	if err != nil {
		return err
	}
	t.workers = w
	return t.grantSecret(ctx, name+"-worker", pulumi.Sprintf("serviceAccount:%s", w.ServiceAccountEmail), parent)
}

// dashboard is what the on-call dashboard shows.
func (t *tiers) dashboard(p parts, groups []monitoring.Group) *monitoring.DashboardArgs {
	d := &monitoring.DashboardArgs{
		Project:          t.project,
		URLMapName:       p.monitoring.URLMapName,
		Groups:           groups,
		PrimaryDatabase:  p.monitoring.PrimaryDatabase,
		ReplicaDatabases: p.monitoring.ReplicaDatabases,
	}
	if t.cache != nil {
		d.CacheInstanceID = t.cache.InstanceID
	}
	if t.queue != nil {
		d.SubscriptionName = t.queue.SubscriptionName
		d.DeadLetterSubscriptionName = t.queue.DeadLetterSubscriptionName
	}
	if t.workers != nil {
		d.Workers = &monitoring.Group{Key: "workers", Name: t.workers.GroupManagerName, MaxSize: p.worker.MaxSize}
	}
	return d
}

// outputs fills the backend's cache and queue outputs ("" and 0 for a tier that is off).
func (t *tiers) outputs(b *Backend) {
	empty := pulumi.String("").ToStringOutput()
	b.CacheHost, b.CachePort, b.CacheAuthSecret = empty, pulumi.Int(0).ToIntOutput(), empty
	b.QueueTopic, b.QueueSubscription, b.DeadLetterSubscription = empty, empty, empty
	if t.cache != nil {
		b.CacheHost, b.CachePort, b.CacheAuthSecret = t.cache.Host, t.cache.Port, t.secret.ID().ToStringOutput()
	}
	if t.queue != nil {
		b.QueueTopic, b.QueueSubscription, b.DeadLetterSubscription = t.queue.Topic, t.queue.Subscription, t.queue.DeadLetterSubscription
	}
}

const (
	redisType        = "gcp:redis/instance:Instance"
	topicType        = "gcp:pubsub/topic:Topic"
	subscriptionType = "gcp:pubsub/subscription:Subscription"
)

// flows are the flows the cache and the queue need: each web tier and the workers reach the
// cache on its TLS port and read its AUTH string, each web tier publishes to the topic, the
// workers consume the subscription, and Google's health checkers reach the workers.
func (t *tiers) flows(name string, webs map[string]pulumi.Resource) []flows.Flow {
	var fs []flows.Flow
	var secret flows.Endpoint
	if t.secret != nil {
		secret = flows.On(t.secret)
	}
	cacheEnd := func() flows.Endpoint { return flows.Below(t.cache, redisType) }
	for _, role := range []string{"primary", "secondary"} {
		web := webs[role]
		if web == nil {
			continue
		}
		if t.cache != nil {
			fs = append(fs,
				flows.Flow{Name: role + ": web → cache", Kind: flows.Network,
					From: flows.Below(web, templateType), To: cacheEnd(), Port: CachePort},
				flows.Flow{Name: role + ": web reads the cache AUTH string", Kind: flows.Permission,
					From: flows.Below(web, serviceAccountType), To: secret, Permission: SecretAccessorRole},
			)
		}
		if t.queue != nil {
			fs = append(fs, flows.Flow{Name: role + ": web publishes to the queue", Kind: flows.Permission,
				From: flows.Below(web, serviceAccountType), To: flows.Below(t.queue, topicType, name+"-queue"), Permission: PublisherRole})
		}
	}
	if t.workers != nil {
		fs = append(fs,
			flows.Flow{Name: "workers consume the subscription", Kind: flows.Permission,
				From: flows.Below(t.workers, serviceAccountType), To: flows.Below(t.queue, subscriptionType, name+"-queue"), Permission: queue.SubscriberRole},
			flows.Flow{Name: "health checks → workers", Kind: flows.Network,
				From: flows.From(flows.GoogleFrontEnd), To: flows.Below(t.workers, templateType), Port: worker.DefaultHealthPort},
		)
		if t.cache != nil {
			fs = append(fs,
				flows.Flow{Name: "workers → cache", Kind: flows.Network,
					From: flows.Below(t.workers, templateType), To: cacheEnd(), Port: CachePort},
				flows.Flow{Name: "workers read the cache AUTH string", Kind: flows.Permission,
					From: flows.Below(t.workers, serviceAccountType), To: secret, Permission: SecretAccessorRole},
			)
		}
	}
	return fs
}
