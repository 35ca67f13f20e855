package provider_test

import (
	"strings"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	azure "github.com/pulumi/pulumi-azure-native-sdk/v2"
	"github.com/pulumi/pulumi-gcp/sdk/v7/go/gcp"
	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scalestack/scalestack/cmd/pulumi-resource-scalestack/provider"
	awscache "github.com/scalestack/scalestack/components/aws/cache"
	"github.com/scalestack/scalestack/components/aws/cdn"
	"github.com/scalestack/scalestack/components/aws/loadbalancer"
	awsqueue "github.com/scalestack/scalestack/components/aws/queue"
	"github.com/scalestack/scalestack/components/aws/webtier"
	awsworker "github.com/scalestack/scalestack/components/aws/worker"
	azdatabase "github.com/scalestack/scalestack/components/azure/database"
	gcpcache "github.com/scalestack/scalestack/components/gcp/cache"
	gcpdatabase "github.com/scalestack/scalestack/components/gcp/database"
	gcpqueue "github.com/scalestack/scalestack/components/gcp/queue"
	gcpworker "github.com/scalestack/scalestack/components/gcp/worker"
	"github.com/scalestack/scalestack/testkit"
)

// A standalone component in both worlds: the package inputs a TypeScript, Python or YAML
// program sends, and the Go API call that builds the same thing. Every case is placed by the
// caller's provider "home" (the `providers` option in the package, pulumi.Provider in Go); an
// "away" provider of the same cloud is there for the inputs that take a second region.
type standalone struct {
	token, name string
	pkg         string         // the provider package: aws, gcp, azure-native
	home, away  map[string]any // the two providers' inputs
	inputs      func(away resource.PropertyValue) resource.PropertyMap
	goNew       func(ctx *pulumi.Context, home, away pulumi.ProviderResource) error
	bad         func(in resource.PropertyMap) // makes the inputs invalid
	goWords     string                        // the Go API's message for bad, verbatim
	outputs     []string                      // outputs the construct must return, non-empty
}

func props(m map[string]any) resource.PropertyMap { return resource.NewPropertyMapFromMap(m) }

func num(n float64) resource.PropertyValue { return resource.NewProperty(n) }

// goProviders registers the two providers of a case in a Go program, named as the harness names
// them, so the URNs of both runs compare.
func (c standalone) goProviders(ctx *pulumi.Context) (home, away pulumi.ProviderResource, err error) {
	switch c.pkg {
	case "aws":
		h, err := aws.NewProvider(ctx, "home", &aws.ProviderArgs{Region: pulumi.String(c.home["region"].(string))})
		if err != nil {
			return nil, nil, err
		}
		a, err := aws.NewProvider(ctx, "away", &aws.ProviderArgs{Region: pulumi.String(c.away["region"].(string))})
		return h, a, err
	case "gcp":
		h, err := gcp.NewProvider(ctx, "home", &gcp.ProviderArgs{Project: pulumi.String(c.home["project"].(string)), Region: pulumi.String(c.home["region"].(string))})
		if err != nil {
			return nil, nil, err
		}
		a, err := gcp.NewProvider(ctx, "away", &gcp.ProviderArgs{Project: pulumi.String(c.away["project"].(string)), Region: pulumi.String(c.away["region"].(string))})
		return h, a, err
	default:
		h, err := azure.NewProvider(ctx, "home", &azure.ProviderArgs{Location: pulumi.StringPtr(c.home["location"].(string))})
		if err != nil {
			return nil, nil, err
		}
		a, err := azure.NewProvider(ctx, "away", &azure.ProviderArgs{Location: pulumi.StringPtr(c.away["location"].(string))})
		return h, a, err
	}
}

// construct builds the case through the package with mutate applied to its inputs (nil for
// none), with the home provider in the providers option.
func (c standalone) construct(t *testing.T, mutate func(resource.PropertyMap)) (*harness, p.ConstructResponse, error) {
	h := newHarness(t)
	home, _ := h.cloudProvider(c.pkg, "home", c.home)
	_, away := h.cloudProvider(c.pkg, "away", c.away)
	in := c.inputs(away)
	if mutate != nil {
		mutate(in)
	}
	resp, err := h.construct(c.token, c.name, in, map[string]p.ProviderReference{c.pkg: home}, "")
	return h, resp, err
}

const (
	vpcID        = "vpc-0123456789abcdef0"
	tgARN        = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/0123456789abcdef"
	certARN      = "arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b"
	originSecret = "Zq8b2Lw5Nf3Rk7Tp"
	adminGUID    = "11111111-2222-3333-4444-555555555555"
	gcpNetwork   = "projects/my-project/global/networks/app"
	gcpSubnet    = "projects/my-project/regions/us-central1/subnetworks/app-primary"
)

var (
	awsHome = map[string]any{"region": "us-east-1"}
	awsAway = map[string]any{"region": "us-west-2"}
	gcpHome = map[string]any{"project": "my-project", "region": "us-central1"}
	gcpAway = map[string]any{"project": "my-project", "region": "us-east1"}
	azHome  = map[string]any{"location": "eastus2"}
	azAway  = map[string]any{"location": "centralus"}
	subnets = []string{"subnet-0a1b2c3d", "subnet-4e5f6a7b"}
)

func anys(s []string) []any {
	out := make([]any, len(s))
	for i, v := range s {
		out[i] = v
	}
	return out
}

// standalones are the components users take alone, each with the inputs most programs give.
func standalones() []standalone {
	return []standalone{
		{
			token: webtier.TypeToken, name: "web", pkg: "aws", home: awsHome, away: awsAway,
			inputs: func(resource.PropertyValue) resource.PropertyMap {
				return props(map[string]any{
					"vpcId": vpcID, "subnetIds": anys(subnets), "loadBalancerSecurityGroupId": "sg-0lb",
					"targetGroupArns": []any{tgARN}, "loadBalancerArnSuffix": "app/web/0123456789abcdef",
					"targetGroupArnSuffix": "targetgroup/web/0123456789abcdef", "minSize": 2, "maxSize": 6,
					"schedules": []any{map[string]any{"name": "business-hours", "recurrence": "0 8 * * MON-FRI",
						"timeZone": "Europe/Paris", "minSize": 3, "maxSize": 6, "desiredCapacity": 4}},
				})
			},
			goNew: func(ctx *pulumi.Context, home, _ pulumi.ProviderResource) error {
				_, err := webtier.New(ctx, "web", &webtier.Args{
					VpcID: pulumi.String(vpcID), SubnetIDs: pulumi.ToStringArray(subnets),
					LoadBalancerSecurityGroupID: pulumi.String("sg-0lb"), TargetGroupARNs: pulumi.ToStringArray([]string{tgARN}),
					LoadBalancerARNSuffix: pulumi.String("app/web/0123456789abcdef"),
					TargetGroupARNSuffix:  pulumi.String("targetgroup/web/0123456789abcdef"), MinSize: 2, MaxSize: 6,
					Schedules: []webtier.Schedule{{Name: "business-hours", Recurrence: "0 8 * * MON-FRI",
						TimeZone: "Europe/Paris", MinSize: 3, MaxSize: 6, DesiredCapacity: 4}},
				}, pulumi.Provider(home))
				return err
			},
			bad:     func(in resource.PropertyMap) { in["maxSize"] = num(1) },
			goWords: `MaxSize 1 is not allowed: want at least 1 and at least MinSize 2`,
			outputs: []string{"groupName", "groupArn", "securityGroupId", "launchTemplateId", "instanceRoleArn", "instanceRoleName"},
		},
		{
			token: loadbalancer.TypeToken, name: "web-lb", pkg: "aws", home: awsHome, away: awsAway,
			inputs: func(resource.PropertyValue) resource.PropertyMap {
				return props(map[string]any{
					"vpcId": vpcID, "subnetIds": anys(subnets), "region": "us-east-1", "certificateArn": certARN,
				})
			},
			goNew: func(ctx *pulumi.Context, home, _ pulumi.ProviderResource) error {
				_, err := loadbalancer.New(ctx, "web-lb", &loadbalancer.Args{
					VpcID: pulumi.String(vpcID), SubnetIDs: pulumi.ToStringArray(subnets), Region: "us-east-1",
					CertificateARN: pulumi.String(certARN),
				}, pulumi.Provider(home))
				return err
			},
			bad:     func(in resource.PropertyMap) { in["region"] = resource.NewProperty("mars-1") },
			goWords: `Region "mars-1" is not allowed: want the provider's AWS region, such as us-east-1`,
			outputs: []string{"loadBalancerArn", "arnSuffix", "dnsName", "zoneId", "securityGroupId", "targetGroupArn", "targetGroupArnSuffix", "httpsListenerArn", "accessLogBucket"},
		},
		{
			token: cdn.Type, name: "web-cdn", pkg: "aws", home: awsHome, away: awsAway,
			inputs: func(resource.PropertyValue) resource.PropertyMap {
				return props(map[string]any{
					"primaryOrigin":  map[string]any{"domainName": "origin-us-east-1.app.example.com"},
					"certificateArn": certARN, "aliases": []any{"app.example.com"}, "priceClass": "PriceClass_200",
				})
			},
			goNew: func(ctx *pulumi.Context, home, _ pulumi.ProviderResource) error {
				_, err := cdn.New(ctx, "web-cdn", &cdn.Args{
					PrimaryOrigin:  cdn.Origin{DomainName: pulumi.String("origin-us-east-1.app.example.com")},
					CertificateARN: pulumi.String(certARN), Aliases: []string{"app.example.com"}, PriceClass: "PriceClass_200",
				}, pulumi.Provider(home))
				return err
			},
			// The schema's enum lists the allowed classes; the Go validation still guards a
			// value a program sends without a generated SDK (YAML accepts any string).
			bad:     func(in resource.PropertyMap) { in["priceClass"] = resource.NewProperty("PriceClass_1000") },
			goWords: `PriceClass "PriceClass_1000" is not allowed: want one of [PriceClass_100 PriceClass_200 PriceClass_All]`,
			outputs: []string{"distributionId", "distributionArn", "domainName", "hostedZoneId", "staticBucketName", "staticBucketArn", "accessLogBucketName"},
		},
		{
			token: awscache.TypeToken, name: "sessions", pkg: "aws", home: awsHome, away: awsAway,
			inputs: func(resource.PropertyValue) resource.PropertyMap {
				return props(map[string]any{
					"vpcId": vpcID, "subnetIds": anys(subnets),
					"allowedSecurityGroupIds": map[string]any{"web": "sg-0web", "worker": "sg-0worker"},
				})
			},
			goNew: func(ctx *pulumi.Context, home, _ pulumi.ProviderResource) error {
				_, err := awscache.New(ctx, "sessions", &awscache.Args{
					VpcID: pulumi.String(vpcID), SubnetIDs: pulumi.ToStringArray(subnets),
					AllowedSecurityGroupIDs: map[string]pulumi.StringInput{"web": pulumi.String("sg-0web"), "worker": pulumi.String("sg-0worker")},
				}, pulumi.Provider(home))
				return err
			},
			bad:     func(in resource.PropertyMap) { in["replicas"] = num(9) },
			goWords: `Replicas 9 is not allowed: want 0-5 (a primary and up to five replicas)`,
			outputs: []string{"primaryEndpoint", "readerEndpoint", "port", "authSecretArn", "kmsKeyArn", "securityGroupId", "replicationGroupId", "clientPolicyJson"},
		},
		{
			token: awsqueue.TypeToken, name: "jobs", pkg: "aws", home: awsHome, away: awsAway,
			inputs: func(resource.PropertyValue) resource.PropertyMap { return props(map[string]any{"maxReceiveCount": 3}) },
			goNew: func(ctx *pulumi.Context, home, _ pulumi.ProviderResource) error {
				_, err := awsqueue.New(ctx, "jobs", &awsqueue.Args{MaxReceiveCount: 3}, pulumi.Provider(home))
				return err
			},
			bad:     func(in resource.PropertyMap) { in["maxReceiveCount"] = num(2000) },
			goWords: `MaxReceiveCount 2000 is not allowed: want 1-1000`,
			outputs: []string{"url", "arn", "name", "deadLetterUrl", "deadLetterArn", "deadLetterName", "kmsKeyArn", "visibilityTimeoutSeconds", "producerPolicyJson", "consumerPolicyJson", "alarmArns"},
		},
		{
			token: awsworker.TypeToken, name: "jobs-worker", pkg: "aws", home: awsHome, away: awsAway,
			inputs: func(resource.PropertyValue) resource.PropertyMap {
				return props(map[string]any{
					"vpcId": vpcID, "subnetIds": anys(subnets),
					"queueArn": "arn:aws:sqs:us-east-1:123456789012:jobs", "queueUrl": "https://sqs.us-east-1.amazonaws.com/123456789012/jobs",
					"queueName": "jobs", "queueKmsKeyArn": "arn:aws:kms:us-east-1:123456789012:key/jobs",
					"maxSize": 10, "backlogPerWorker": 50, "policies": map[string]any{"cache": `{"Version":"2012-10-17","Statement":[]}`},
				})
			},
			goNew: func(ctx *pulumi.Context, home, _ pulumi.ProviderResource) error {
				_, err := awsworker.New(ctx, "jobs-worker", &awsworker.Args{
					VpcID: pulumi.String(vpcID), SubnetIDs: pulumi.ToStringArray(subnets),
					QueueARN: pulumi.String("arn:aws:sqs:us-east-1:123456789012:jobs"), QueueURL: pulumi.String("https://sqs.us-east-1.amazonaws.com/123456789012/jobs"),
					QueueName: pulumi.String("jobs"), QueueKMSKeyARN: pulumi.String("arn:aws:kms:us-east-1:123456789012:key/jobs"),
					MaxSize: 10, BacklogPerWorker: 50, Policies: map[string]pulumi.StringInput{"cache": pulumi.String(`{"Version":"2012-10-17","Statement":[]}`)},
				}, pulumi.Provider(home))
				return err
			},
			bad:     func(in resource.PropertyMap) { in["maxSize"] = num(0) },
			goWords: `MaxSize 0 is not allowed: want at least MinSize 1`,
			outputs: []string{"groupName", "groupArn", "securityGroupId", "instanceRoleArn", "instanceRoleName", "launchTemplateId"},
		},
		{
			token: gcpcache.TypeToken, name: "sessions", pkg: "gcp", home: gcpHome, away: gcpAway,
			inputs: func(resource.PropertyValue) resource.PropertyMap {
				return props(map[string]any{"authorizedNetwork": gcpNetwork, "memoryGb": 5, "replicas": 2})
			},
			goNew: func(ctx *pulumi.Context, home, _ pulumi.ProviderResource) error {
				_, err := gcpcache.New(ctx, "sessions", &gcpcache.Args{AuthorizedNetwork: pulumi.String(gcpNetwork), MemoryGB: 5, Replicas: 2}, pulumi.Provider(home))
				return err
			},
			bad:     func(in resource.PropertyMap) { in["memoryGb"] = num(1) },
			goWords: `Replicas 2 is not allowed with MemoryGB 1: read replicas need nodes of at least 5 GB`,
			outputs: []string{"host", "port", "authString", "instanceId"},
		},
		{
			token: gcpqueue.TypeToken, name: "jobs", pkg: "gcp", home: gcpHome, away: gcpAway,
			inputs: func(resource.PropertyValue) resource.PropertyMap {
				return props(map[string]any{"project": "my-project", "maxDeliveryAttempts": 10})
			},
			goNew: func(ctx *pulumi.Context, home, _ pulumi.ProviderResource) error {
				_, err := gcpqueue.New(ctx, "jobs", &gcpqueue.Args{Project: pulumi.String("my-project"), MaxDeliveryAttempts: 10}, pulumi.Provider(home))
				return err
			},
			bad:     func(in resource.PropertyMap) { in["maxDeliveryAttempts"] = num(3) },
			goWords: `MaxDeliveryAttempts 3 is not allowed: want 5-100 (Pub/Sub's dead-letter policy)`,
			outputs: []string{"topic", "subscription", "subscriptionName", "deadLetterTopic", "deadLetterSubscription", "alertPolicies"},
		},
		{
			token: gcpworker.TypeToken, name: "jobs-worker", pkg: "gcp", home: gcpHome, away: gcpAway,
			inputs: func(resource.PropertyValue) resource.PropertyMap {
				return props(map[string]any{
					"project": "my-project", "network": gcpNetwork, "subnetwork": gcpSubnet,
					"subscription": "projects/my-project/subscriptions/jobs", "subscriptionName": "jobs", "maxSize": 5,
				})
			},
			goNew: func(ctx *pulumi.Context, home, _ pulumi.ProviderResource) error {
				_, err := gcpworker.New(ctx, "jobs-worker", &gcpworker.Args{
					Project: pulumi.String("my-project"), Network: pulumi.String(gcpNetwork), Subnetwork: pulumi.String(gcpSubnet),
					Subscription: pulumi.String("projects/my-project/subscriptions/jobs"), SubscriptionName: pulumi.String("jobs"), MaxSize: 5,
				}, pulumi.Provider(home))
				return err
			},
			bad:     func(in resource.PropertyMap) { in["maxSize"] = num(0) },
			goWords: `MaxSize 0 is not allowed`,
			outputs: []string{"instanceGroupManager", "groupManagerName", "serviceAccountEmail", "networkTag"},
		},
		{
			token: "scalestack:gcp:Database", name: "orders-db", pkg: "gcp", home: gcpHome, away: gcpAway,
			inputs: func(away resource.PropertyValue) resource.PropertyMap {
				m := props(map[string]any{"privateNetwork": gcpNetwork, "highAvailability": true, "readReplicas": 1})
				m["crossRegionProvider"] = away
				return m
			},
			goNew: func(ctx *pulumi.Context, home, away pulumi.ProviderResource) error {
				_, err := gcpdatabase.New(ctx, "orders-db", &gcpdatabase.Args{
					PrivateNetwork: pulumi.String(gcpNetwork), HighAvailability: true, ReadReplicas: 1,
					CrossRegionProvider: away.(*gcp.Provider),
				}, pulumi.Provider(home))
				return err
			},
			bad:     func(in resource.PropertyMap) { in["readReplicas"] = num(9) },
			goWords: `ReadReplicas 9 is not allowed: want 0-5`,
			outputs: []string{"instanceName", "connectionName", "privateIp", "databaseName", "replicaNames", "replicaPrivateIps", "crossRegionReplicaName", "crossRegionReplicaConnectionName", "crossRegionReplicaPrivateIp"},
		},
		{
			token: "scalestack:azure:Database", name: "orders-sql", pkg: "azure-native", home: azHome, away: azAway,
			inputs: func(away resource.PropertyValue) resource.PropertyMap {
				m := props(map[string]any{
					"primary":    azSite("eastus2", "east"),
					"secondary":  azSite("centralus", "central"),
					"adminLogin": "sql-admins", "adminObjectId": adminGUID, "readReplicas": 1,
				})
				m["secondaryProvider"] = away
				return m
			},
			goNew: func(ctx *pulumi.Context, home, away pulumi.ProviderResource) error {
				primary, secondary := azGoSite("eastus2", "east"), azGoSite("centralus", "central")
				_, err := azdatabase.New(ctx, "orders-sql", &azdatabase.Args{
					Primary: primary, Secondary: &secondary, SecondaryProvider: away,
					AdminLogin: "sql-admins", AdminObjectID: adminGUID, ReadReplicas: 1,
				}, pulumi.Provider(home))
				return err
			},
			bad:     func(in resource.PropertyMap) { in["adminObjectId"] = resource.NewProperty("ops-team") },
			goWords: `AdminObjectID "ops-team" is not allowed: want the administrator's Entra object ID (a GUID)`,
			outputs: []string{"primaryServerName", "primaryServerId", "primaryServerFqdn", "databaseId", "databaseName", "replicaIds", "secondaryServerName", "secondaryServerFqdn", "secondaryDatabaseId", "listener", "readOnlyListener"},
		},
	}
}

func azSiteIDs(site string) (rg, subnet, vnet string) {
	rg = "rg-" + site
	vnet = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/" + rg + "/providers/Microsoft.Network/virtualNetworks/app-" + site
	return rg, vnet + "/subnets/data", vnet
}

func azSite(location, site string) map[string]any {
	rg, subnet, vnet := azSiteIDs(site)
	return map[string]any{"location": location, "resourceGroupName": rg, "dataSubnetId": subnet, "vnetId": vnet}
}

func azGoSite(location, site string) azdatabase.Site {
	rg, subnet, vnet := azSiteIDs(site)
	return azdatabase.Site{Location: location, ResourceGroupName: pulumi.String(rg), DataSubnetID: pulumi.String(subnet), VNetID: pulumi.String(vnet)}
}

// TestStandaloneComponentsBuildWhatTheGoAPIBuilds: each standalone component, constructed
// through the package with the caller's provider in the `providers` option, registers exactly
// the Go API's resources (URNs, parents, explicit providers, inputs): there is no second copy
// of any component's logic, and every child is placed by the caller's provider.
func TestStandaloneComponentsBuildWhatTheGoAPIBuilds(t *testing.T) {
	for _, c := range standalones() {
		t.Run(c.token, func(t *testing.T) {
			want, err := goPlan(t, func(ctx *pulumi.Context) error {
				home, away, err := c.goProviders(ctx)
				if err != nil {
					return err
				}
				return c.goNew(ctx, home, away)
			})
			require.NoError(t, err)

			h, resp, err := c.construct(t, nil)
			require.NoError(t, err)
			got := h.plan()
			assertSamePlan(t, want, got)
			root := got.Find(c.token, c.name)
			require.NotNil(t, root)
			assert.Equal(t, root.URN, string(resp.Urn))
			assert.NotEmpty(t, got.Descendants(root.URN), "the component's children")
			home := got.Find("pulumi:providers:"+c.pkg, "home").URN
			away := got.Find("pulumi:providers:"+c.pkg, "away").URN
			placed := 0
			for _, r := range got.Descendants(root.URN) {
				if r.Package() != c.pkg || strings.HasPrefix(r.Type, "scalestack:") {
					continue
				}
				assert.Contains(t, []string{home, away}, r.Provider, "%s is placed by one of the caller's providers", r.URN)
				if r.Provider == home {
					placed++
				}
			}
			assert.NotZero(t, placed, "children on the providers option's provider")
		})
	}
}

// TestStandaloneValidationErrorsReachTheCallerInGoWords: a bad value fails the construct with
// the Go API's message (field, value, what is allowed), and nothing is registered.
func TestStandaloneValidationErrorsReachTheCallerInGoWords(t *testing.T) {
	for _, c := range standalones() {
		t.Run(c.token, func(t *testing.T) {
			h, _, err := c.construct(t, c.bad)
			require.Error(t, err)
			assert.Contains(t, err.Error(), c.goWords)
			for _, r := range h.plan().Resources {
				assert.True(t, r.IsProvider(), "nothing but the caller's providers is registered: %s", r.URN)
			}
		})
	}
}

// TestStandaloneOutputsReachTheCaller: the construct returns every output of the component.
func TestStandaloneOutputsReachTheCaller(t *testing.T) {
	for _, c := range standalones() {
		t.Run(c.token, func(t *testing.T) {
			_, resp, err := c.construct(t, nil)
			require.NoError(t, err)
			out := resource.ToResourcePropertyMap(resp.State)
			for _, k := range c.outputs {
				v, ok := out[resource.PropertyKey(k)]
				assert.True(t, ok && !v.IsNull(), "output %s", k)
			}
		})
	}
}

// TestSchemaServesTheStandaloneComponents: every standalone component is in the schema under the
// Go API's own type token.
func TestSchemaServesTheStandaloneComponents(t *testing.T) {
	out, err := provider.Schema(t.Context())
	require.NoError(t, err)
	for _, c := range standalones() {
		assert.Contains(t, string(out), `"`+c.token+`": {`)
	}
}

// onlySecret asserts that value reaches the plan, and only inside secrets: a resource whose
// inputs hold it in plain text would show it in the state and in `pulumi preview --diff`.
func onlySecret(t *testing.T, plan *testkit.Plan, value string) {
	t.Helper()
	seen := 0
	for _, r := range plan.Resources {
		var walk func(v resource.PropertyValue, secret bool)
		walk = func(v resource.PropertyValue, secret bool) {
			switch {
			case v.IsSecret():
				walk(v.SecretValue().Element, true)
			case v.IsOutput():
				walk(v.OutputValue().Element, secret || v.OutputValue().Secret)
			case v.IsArray():
				for _, e := range v.ArrayValue() {
					walk(e, secret)
				}
			case v.IsObject():
				for _, e := range v.ObjectValue() {
					walk(e, secret)
				}
			case v.IsString() && strings.Contains(v.StringValue(), value):
				seen++
				assert.True(t, secret, "%s holds %q in plain text", r.URN, value)
			}
		}
		walk(resource.NewObjectProperty(r.Inputs), false)
	}
	assert.NotZero(t, seen, "the value reaches the plan")
}

// TestLoadBalancerRequiredHeaderStaysSecret: the header a CDN adds and the load balancer checks
// is a shared secret; sent as a secret through the package, it is a secret on the listener.
func TestLoadBalancerRequiredHeaderStaysSecret(t *testing.T) {
	c := standalones()[1]
	require.Equal(t, loadbalancer.TypeToken, c.token)
	h, _, err := c.construct(t, func(in resource.PropertyMap) {
		in["requiredHeader"] = resource.NewObjectProperty(resource.PropertyMap{
			"name":  resource.NewProperty("X-Origin-Verify"),
			"value": resource.MakeSecret(resource.NewProperty(originSecret)),
		})
	})
	require.NoError(t, err)
	onlySecret(t, h.plan(), originSecret)
}

// TestCDNOriginHeadersStaySecret: a custom origin header given as a secret stays one on the
// distribution (the map's keys are plain: they name nothing secret).
func TestCDNOriginHeadersStaySecret(t *testing.T) {
	c := standalones()[2]
	require.Equal(t, cdn.Type, c.token)
	h, _, err := c.construct(t, func(in resource.PropertyMap) {
		in["primaryOrigin"].ObjectValue()["customHeaders"] = resource.NewObjectProperty(resource.PropertyMap{
			"X-Origin-Verify": resource.MakeSecret(resource.NewProperty(originSecret)),
		})
	})
	require.NoError(t, err)
	plan := h.plan()
	onlySecret(t, plan, originSecret)
	assert.NotNil(t, plan.Find("aws:cloudfront/distribution:Distribution", "web-cdn"))
}

// TestGCPCacheAuthStringIsASecretOutput: the AUTH string reaches the caller as a secret, and
// the schema says so (generated SDKs type it as a secret output).
func TestGCPCacheAuthStringIsASecretOutput(t *testing.T) {
	c := standalones()[6]
	require.Equal(t, gcpcache.TypeToken, c.token)
	_, resp, err := c.construct(t, nil)
	require.NoError(t, err)
	auth := resource.ToResourcePropertyMap(resp.State)["authString"]
	assert.True(t, auth.ContainsSecrets(), "authString is a secret: %v", auth)
}

// TestSecondRegionProvidersAreTheCallers: the inputs that place a second region
// (crossRegionProvider on Google Cloud, secondaryProvider on Azure) take the caller's provider
// instance, and the children they place use it.
func TestSecondRegionProvidersAreTheCallers(t *testing.T) {
	for _, tc := range []struct {
		c         standalone
		typ, name string
		location  string
	}{
		{standalones()[9], "gcp:sql/databaseInstance:DatabaseInstance", "orders-db-replica-dr", "us-east1"},
		{standalones()[10], "azure-native:sql:Server", "orders-sql-secondary", "centralus"},
	} {
		t.Run(tc.c.token, func(t *testing.T) {
			h, _, err := tc.c.construct(t, nil)
			require.NoError(t, err)
			plan := h.plan()
			away := plan.Find("pulumi:providers:"+tc.c.pkg, "away")
			r := plan.Find(tc.typ, tc.name)
			require.NotNil(t, r, "%s %s among %v", tc.typ, tc.name, plan.URNs())
			assert.Equal(t, away.URN, r.Provider)
			assert.Equal(t, tc.location, r.Region())
		})
	}
}

// TestAzureDatabaseSecondaryNeedsItsProvider: a secondary site without its provider is the Go
// error naming the field.
func TestAzureDatabaseSecondaryNeedsItsProvider(t *testing.T) {
	c := standalones()[10]
	_, _, err := c.construct(t, func(in resource.PropertyMap) { delete(in, "secondaryProvider") })
	require.Error(t, err)
	assert.Contains(t, err.Error(), `SecondaryProvider is required with Secondary: the azure-native provider of centralus`)
}

// TestEnumValuesAreTheGoValues: the schema's closed value sets are the values the Go components
// accept; a drift would make a valid SDK value fail, or hide an allowed one.
func TestEnumValuesAreTheGoValues(t *testing.T) {
	var policies []string
	for _, v := range provider.EvictionPolicy("").Values() {
		policies = append(policies, string(v.Value))
	}
	assert.Equal(t, awscache.EvictionPolicies, policies)
	assert.Equal(t, gcpcache.EvictionPolicies, policies)
	var classes []string
	for _, v := range provider.PriceClass("").Values() {
		classes = append(classes, string(v.Value))
	}
	assert.Equal(t, cdn.PriceClasses, classes)
	var editions []string
	for _, v := range provider.SQLEdition("").Values() {
		editions = append(editions, string(v.Value))
	}
	assert.Equal(t, []string{gcpdatabase.Enterprise, gcpdatabase.EnterprisePlus}, editions)
}

// TestStandaloneParentOptionIsHonoured: a standalone component created under a parent in the
// calling program has that parent, and its children's URNs carry it.
func TestStandaloneParentOptionIsHonoured(t *testing.T) {
	c := standalones()[4]
	require.Equal(t, awsqueue.TypeToken, c.token)
	h := newHarness(t)
	home, _ := h.cloudProvider(c.pkg, "home", c.home)
	parentRef, err := h.mon.Register("acme:index:Platform", "platform", false, nil)
	require.NoError(t, err)
	parent := resource.URN(strings.TrimSuffix(parentRef, "::"))
	_, err = h.construct(c.token, c.name, c.inputs(resource.NewNullProperty()), map[string]p.ProviderReference{c.pkg: home}, parent)
	require.NoError(t, err)
	plan := h.plan()
	root := plan.Find(c.token, c.name)
	require.NotNil(t, root)
	assert.Equal(t, string(parent), root.Parent)
	dlq := plan.Find("aws:sqs/queue:Queue", "jobs-dlq")
	require.NotNil(t, dlq)
	assert.Contains(t, dlq.URN, "acme:index:Platform$scalestack:aws:Queue$aws:sqs/queue:Queue::jobs-dlq")
}
