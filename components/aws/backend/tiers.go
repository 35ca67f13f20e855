package backend

import (
	"encoding/json"
	"fmt"
	"sort"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ssm"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/scalestack/scalestack/components/aws/cache"
	"github.com/scalestack/scalestack/components/aws/queue"
	"github.com/scalestack/scalestack/components/aws/worker"
)

// TiersParameterEnv is the variable in /etc/scalestack/app.env (web) and
// /etc/scalestack/worker.env (workers) that names the SSM parameter holding the region's
// TiersConnection: where the cache and the queue are.
const TiersParameterEnv = "SCALESTACK_TIERS_PARAMETER"

// TiersConnection is the JSON document the backend publishes per region for the web tier and
// the workers: the cache (primary region only) and the queue. Secrets are not in it: the
// cache's AUTH token is read from Secrets Manager (AuthSecretARN) with the instance role.
type TiersConnection struct {
	// Cache is nil without a cache, and in the secondary region (the cache lives in the
	// primary region only: after a regional failover the application runs without it).
	Cache *CacheConnection `json:"cache"`
	// Queue is nil without a queue. The secondary region's web tier sends to the primary
	// region's queue (SQS is reached over HTTPS through the NAT gateway).
	Queue *QueueConnection `json:"queue"`
}

// CacheConnection says how to reach the cache: TLS only, AUTH token from Secrets Manager.
type CacheConnection struct {
	// Primary is the primary endpoint (reads and writes); it follows a failover.
	Primary string `json:"primary"`
	// Reader spreads reads over the replicas.
	Reader string `json:"reader"`
	// Port is the TLS port.
	Port int `json:"port"`
	// AuthSecretARN is the Secrets Manager secret whose string is the AUTH token.
	AuthSecretARN string `json:"authSecretArn"`
	// Region is the region of the cache and of its secret.
	Region string `json:"region"`
}

// QueueConnection says where to send work.
type QueueConnection struct {
	// URL is the queue's URL.
	URL string `json:"url"`
	// Region is the queue's region (the primary region).
	Region string `json:"region"`
}

// tiersParameterName is the SSM parameter holding a region's TiersConnection.
func tiersParameterName(a Args, role string) string {
	return a.ParameterPrefix + "/" + role + "/tiers"
}

// hasTiers reports whether the region with role runs web instances that use a tier.
func hasTiers(a Args, role string) bool {
	return a.Queue != nil || (a.Cache != nil && role == "primary")
}

// tiers adds the queue, the worker tier and the cache in the primary region and wires them
// to the web tiers: the cache admits the primary web tier and the workers (ingress on its
// group, egress on theirs), both roles read the cache's AUTH secret, the web tiers send to
// the queue, the workers consume it, and each region gets its TiersConnection parameter.
// topic is the primary region's alert topic, which the queue's and the cache's alarms notify.
func (b *Backend) tiers(ctx *pulumi.Context, name string, a Args, regions map[string]Region, topic pulumi.StringInput) error {
	pri := b.Regions["primary"]
	opts := []pulumi.ResourceOption{pulumi.Parent(b), pulumi.Provider(a.Primary.Provider)}
	if a.Queue != nil {
		q, err := queue.New(ctx, name+"-queue", &queue.Args{
			MaxReceiveCount:          a.Queue.MaxReceiveCount,
			RetentionDays:            a.Queue.RetentionDays,
			VisibilityTimeoutSeconds: a.Queue.VisibilityTimeoutSeconds,
			AlarmTopicARN:            topic,
			Tags:                     a.Tags,
		}, opts...)
		if err != nil {
			return err
		}
		b.Queue = q
		param := tiersParameterName(a, "worker")
		w, err := worker.New(ctx, name+"-worker", &worker.Args{
			VpcID:            pri.Network.VpcID,
			SubnetIDs:        pri.Network.PrivateSubnetIDs,
			QueueARN:         q.ARN,
			QueueURL:         q.URL,
			QueueName:        q.Name,
			QueueKMSKeyARN:   q.KMSKeyARN,
			MinSize:          a.Queue.Workers.MinSize,
			MaxSize:          a.Queue.Workers.MaxSize,
			BacklogPerWorker: a.Queue.Workers.BacklogPerWorker,
			ImageID:          stringOrNil(a.Web.ImageID),
			InstanceType:     a.Web.InstanceType,
			UserData: q.URL.ApplyT(func(url string) string {
				return worker.DefaultUserData(url) + fmt.Sprintf("echo '%s=%s' >> /etc/scalestack/worker.env\n", TiersParameterEnv, param)
			}).(pulumi.StringOutput),
			Tags: a.Tags,
		}, opts...)
		if err != nil {
			return err
		}
		b.Worker = w
	}
	if a.Cache != nil {
		nodeType, err := cache.NodeTypeForMemoryGB(a.Cache.MemoryGB)
		if err != nil {
			return fmt.Errorf("Cache.MemoryGB: %w", err)
		}
		clients := map[string]pulumi.StringInput{"web": pri.Web.SecurityGroupID}
		if b.Worker != nil {
			clients["worker"] = b.Worker.SecurityGroupID
		}
		c, err := cache.New(ctx, name+"-cache", &cache.Args{
			VpcID:                   pri.Network.VpcID,
			SubnetIDs:               pri.Network.DataSubnetIDs,
			AllowedSecurityGroupIDs: clients,
			NodeType:                nodeType,
			Replicas:                a.Cache.Replicas,
			NoReplicas:              a.Cache.Replicas == 0,
			EvictionPolicy:          a.Cache.EvictionPolicy,
			AlarmTopicARN:           topic,
			Tags:                    a.Tags,
		}, opts...)
		if err != nil {
			return err
		}
		b.Cache = c
		roles := map[string]pulumi.StringInput{name + "-primary-web-cache": pri.Web.InstanceRoleName}
		if b.Worker != nil {
			roles[name+"-worker-cache"] = b.Worker.InstanceRoleName
		}
		for _, k := range sortedKeys(roles) {
			if _, err := iam.NewRolePolicy(ctx, k, &iam.RolePolicyArgs{Role: roles[k], Policy: c.ClientPolicyJSON}, opts...); err != nil {
				return fmt.Errorf("creating cache client policy %q: %w", k, err)
			}
		}
	}

	// Each region's web tier (and the workers) find the tiers in a parameter of their region.
	for _, role := range []string{"primary", "secondary", "worker"} {
		region := a.Primary
		if role == "secondary" {
			r, ok := regions["secondary"]
			if !ok || !hasTiers(a, role) {
				continue
			}
			region = r
		}
		if role == "worker" && b.Worker == nil || role == "primary" && !hasTiers(a, role) {
			continue
		}
		ropts := []pulumi.ResourceOption{pulumi.Parent(b), pulumi.Provider(region.Provider)}
		doc, err := b.tiersDocument(a, role)
		if err != nil {
			return err
		}
		param, err := ssm.NewParameter(ctx, name+"-"+role+"-tiers", &ssm.ParameterArgs{
			Name:        pulumi.String(tiersParameterName(a, role)),
			Description: pulumi.Sprintf("Cache and queue of the %s tier of %s (no secrets: see cache.authSecretArn)", role, name),
			Type:        pulumi.String("String"),
			Tier:        pulumi.String("Standard"),
			Value:       doc,
			Tags:        pulumi.ToStringMap(a.Tags),
		}, ropts...)
		if err != nil {
			return fmt.Errorf("creating %s tiers parameter: %w", role, err)
		}
		roleName := pri.Web.InstanceRoleName
		prefix := name + "-" + role + "-web"
		switch role {
		case "secondary":
			roleName = b.Regions["secondary"].Web.InstanceRoleName
		case "worker":
			roleName, prefix = b.Worker.InstanceRoleName, name+"-worker"
		}
		if _, err := iam.NewRolePolicy(ctx, prefix+"-tiers", &iam.RolePolicyArgs{
			Role: roleName,
			Policy: param.Arn.ApplyT(func(arn string) (string, error) {
				return parameterReadPolicy(arn)
			}).(pulumi.StringOutput),
		}, ropts...); err != nil {
			return fmt.Errorf("creating %s tiers parameter policy: %w", role, err)
		}
		if b.Queue != nil && role != "worker" {
			// The web tiers send to the queue (the secondary's across regions, over HTTPS).
			if _, err := iam.NewRolePolicy(ctx, prefix+"-queue", &iam.RolePolicyArgs{
				Role: roleName, Policy: b.Queue.ProducerPolicyJSON,
			}, ropts...); err != nil {
				return fmt.Errorf("creating %s queue producer policy: %w", role, err)
			}
		}
	}
	return nil
}

// tiersDocument is the TiersConnection of role ("primary", "secondary" or "worker").
func (b *Backend) tiersDocument(a Args, role string) (pulumi.StringOutput, error) {
	empty := pulumi.String("").ToStringOutput()
	url := empty
	if b.Queue != nil {
		url = b.Queue.URL
	}
	primary, reader, secret := empty, empty, empty
	withCache := b.Cache != nil && role != "secondary"
	if withCache {
		primary, reader, secret = b.Cache.PrimaryEndpoint, b.Cache.ReaderEndpoint, b.Cache.AuthSecretARN
	}
	region := a.Primary.Name
	return pulumi.All(url, primary, reader, secret).ApplyT(func(v []any) (string, error) {
		var c TiersConnection
		if b.Queue != nil {
			c.Queue = &QueueConnection{URL: v[0].(string), Region: region}
		}
		if withCache {
			c.Cache = &CacheConnection{Primary: v[1].(string), Reader: v[2].(string), Port: cache.DefaultPort,
				AuthSecretARN: v[3].(string), Region: region}
		}
		out, err := json.Marshal(c)
		return string(out), err
	}).(pulumi.StringOutput), nil
}

// parameterReadPolicy lets a role read exactly one SSM parameter.
func parameterReadPolicy(parameterARN string) (string, error) {
	out, err := json.Marshal(map[string]any{
		"Version": "2012-10-17",
		"Statement": []any{map[string]any{
			"Sid": "ReadTiersParameter", "Effect": "Allow",
			"Action": []string{"ssm:GetParameter"}, "Resource": parameterARN,
		}},
	})
	return string(out), err
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
