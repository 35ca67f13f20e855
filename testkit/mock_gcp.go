package testkit

import (
	"fmt"
	"strings"
)

// FakeGCPProject is the project mocked Google Cloud resources belong to when none is set.
const FakeGCPProject = "scalestack-test"

// FakeGCPProjectNumber is the project number of FakeGCPProject.
const FakeGCPProjectNumber = "123456789012"

func init() { cloudMocks["gcp"] = gcpMock }

// gcpComputeBase is the prefix of every Compute Engine self link.
const gcpComputeBase = "https://www.googleapis.com/compute/v1/"

// gcpRegionalCompute maps the regional Compute Engine types to their collection name.
var gcpRegionalCompute = map[string]string{
	"gcp:compute/subnetwork:Subnetwork":                                 "subnetworks",
	"gcp:compute/router:Router":                                         "routers",
	"gcp:compute/regionInstanceGroupManager:RegionInstanceGroupManager": "instanceGroupManagers",
	"gcp:compute/regionAutoscaler:RegionAutoscaler":                     "autoscalers",
	"gcp:compute/resourcePolicy:ResourcePolicy":                         "resourcePolicies",
	"gcp:compute/regionHealthCheck:RegionHealthCheck":                   "healthChecks",
	"gcp:compute/address:Address":                                       "addresses",
	"gcp:compute/regionBackendService:RegionBackendService":             "backendServices",
}

// gcpGlobalCompute maps the global Compute Engine types to their collection name.
var gcpGlobalCompute = map[string]string{
	"gcp:compute/network:Network":                             "networks",
	"gcp:compute/firewall:Firewall":                           "firewalls",
	"gcp:compute/globalAddress:GlobalAddress":                 "addresses",
	"gcp:compute/healthCheck:HealthCheck":                     "healthChecks",
	"gcp:compute/backendService:BackendService":               "backendServices",
	"gcp:compute/backendBucket:BackendBucket":                 "backendBuckets",
	"gcp:compute/uRLMap:URLMap":                               "urlMaps",
	"gcp:compute/managedSslCertificate:ManagedSslCertificate": "sslCertificates",
	"gcp:compute/sSLPolicy:SSLPolicy":                         "sslPolicies",
	"gcp:compute/targetHttpsProxy:TargetHttpsProxy":           "targetHttpsProxies",
	"gcp:compute/targetHttpProxy:TargetHttpProxy":             "targetHttpProxies",
	"gcp:compute/globalForwardingRule:GlobalForwardingRule":   "forwardingRules",
	"gcp:compute/instanceTemplate:InstanceTemplate":           "instanceTemplates",
	"gcp:compute/securityPolicy:SecurityPolicy":               "securityPolicies",
}

// gcpMock shapes ids and computed attributes as Google Cloud returns them: Compute Engine
// self links (regional resources under regions/<region>/), Cloud SQL connection names and
// private IPs, anycast addresses, service account emails, bucket URLs and Cloud Monitoring
// resource names. region is the resource's region (its input or its provider's), "" when
// unknown, in which case us-central1 is assumed for regional resources.
func gcpMock(r *Resource, region string) (string, map[string]any) {
	project, _ := r.Input("project").(string)
	if p := r.ProviderResource(); project == "" && p != nil {
		project, _ = p.Input("project").(string)
	}
	if project == "" {
		project = FakeGCPProject
	}
	if region == "" {
		region = "us-central1"
	}
	h := shortHash(r.URN)
	name := r.Name
	if s, ok := r.Input("name").(string); ok && s != "" {
		name = s
	} else if autonamed(r.Type) {
		// Pulumi auto-names resources "<logical name>-<7 random hex>".
		name = strings.ToLower(r.Name) + "-" + h[:7]
	}
	out := map[string]any{"name": name, "project": project}
	if coll, ok := gcpRegionalCompute[r.Type]; ok {
		id := fmt.Sprintf("projects/%s/regions/%s/%s/%s", project, region, coll, name)
		out["region"] = region
		out["selfLink"] = gcpComputeBase + id
		out["id"] = id
		switch r.Type {
		case "gcp:compute/regionInstanceGroupManager:RegionInstanceGroupManager":
			out["instanceGroup"] = gcpComputeBase + fmt.Sprintf("projects/%s/regions/%s/instanceGroups/%s", project, region, name)
		case "gcp:compute/subnetwork:Subnetwork":
			out["gatewayAddress"] = gatewayOf(r.Input("ipCidrRange"))
		case "gcp:compute/address:Address":
			out["address"] = fmt.Sprintf("10.%d.%d.%d", int(h[0])%200, int(h[1])%250, int(h[2])%250+2)
		}
		return id, out
	}
	if coll, ok := gcpGlobalCompute[r.Type]; ok {
		id := fmt.Sprintf("projects/%s/global/%s/%s", project, coll, name)
		out["selfLink"] = gcpComputeBase + id
		out["id"] = id
		switch r.Type {
		case "gcp:compute/globalAddress:GlobalAddress":
			if r.Input("addressType") == "INTERNAL" {
				out["address"] = fmt.Sprintf("10.%d.0.0", 100+int(h[0])%50)
			} else {
				out["address"] = fmt.Sprintf("34.%d.%d.%d", 96+int(h[0])%32, int(h[1])%250, int(h[2])%250+2)
			}
		case "gcp:compute/instanceTemplate:InstanceTemplate":
			out["selfLinkUnique"] = gcpComputeBase + id + "?uniqueId=" + h[:19]
		case "gcp:compute/managedSslCertificate:ManagedSslCertificate":
			out["certificateId"] = int(h[0]) * 1000
		case "gcp:compute/globalForwardingRule:GlobalForwardingRule":
			out["ipAddress"] = r.Input("ipAddress")
		}
		return id, out
	}
	id := fmt.Sprintf("projects/%s/%s", project, name)
	switch r.Type {
	case "gcp:sql/databaseInstance:DatabaseInstance":
		id = name
		out["connectionName"] = fmt.Sprintf("%s:%s:%s", project, region, name)
		out["privateIpAddress"] = fmt.Sprintf("10.%d.0.%d", 100+int(h[0])%50, int(h[1])%250+2)
		out["region"] = region
		out["selfLink"] = fmt.Sprintf("https://sqladmin.googleapis.com/sql/v1beta4/projects/%s/instances/%s", project, name)
		out["serviceAccountEmailAddress"] = fmt.Sprintf("p%s-%s@gcp-sa-cloud-sql.iam.gserviceaccount.com", FakeGCPProjectNumber, h[:6])
		out["ipAddresses"] = []any{map[string]any{"ipAddress": out["privateIpAddress"], "type": "PRIVATE"}}
	case "gcp:sql/database:Database":
		id = fmt.Sprintf("projects/%s/instances/%v/databases/%s", project, r.Input("instance"), name)
	case "gcp:redis/instance:Instance":
		id = fmt.Sprintf("projects/%s/locations/%s/instances/%s", project, region, name)
		out["region"] = region
		out["host"] = fmt.Sprintf("10.%d.0.%d", 100+int(h[0])%50, int(h[1])%250+3)
		out["port"] = 6379
		if r.Input("transitEncryptionMode") == "SERVER_AUTHENTICATION" {
			out["port"] = 6378
		}
		if r.Input("readReplicasMode") == "READ_REPLICAS_ENABLED" {
			out["readEndpoint"] = fmt.Sprintf("10.%d.0.%d", 100+int(h[0])%50, int(h[1])%250+4)
			out["readEndpointPort"] = out["port"]
		}
		if r.Input("authEnabled") == true {
			out["authString"] = "mock-auth-" + h[:16]
		}
		out["serverCaCerts"] = []any{map[string]any{"cert": "-----BEGIN CERTIFICATE-----\nMOCK\n-----END CERTIFICATE-----\n", "serialNumber": h[:8]}}
	case "gcp:pubsub/topic:Topic", "gcp:pubsub/subscription:Subscription":
		coll := "topics"
		if r.Type == "gcp:pubsub/subscription:Subscription" {
			coll = "subscriptions"
		}
		id = fmt.Sprintf("projects/%s/%s/%s", project, coll, name)
	case "gcp:projects/serviceIdentity:ServiceIdentity":
		svc := strings.TrimSuffix(fmt.Sprint(r.Input("service")), ".googleapis.com")
		email := fmt.Sprintf("service-%s@gcp-sa-%s.iam.gserviceaccount.com", FakeGCPProjectNumber, svc)
		id = fmt.Sprintf("projects/%s/services/%v", project, r.Input("service"))
		out["email"] = email
		out["member"] = "serviceAccount:" + email
	case "gcp:pubsub/topicIAMMember:TopicIAMMember", "gcp:pubsub/subscriptionIAMMember:SubscriptionIAMMember":
		id = fmt.Sprintf("%v%v/%v/%v", r.Input("topic"), r.Input("subscription"), r.Input("role"), r.Input("member"))
		out["etag"] = "BwY" + h[:9]
	case "gcp:storage/bucket:Bucket":
		id = name
		out["url"] = "gs://" + name
		out["selfLink"] = "https://www.googleapis.com/storage/v1/b/" + name
	case "gcp:serviceaccount/account:Account":
		email := fmt.Sprintf("%v@%s.iam.gserviceaccount.com", r.Input("accountId"), project)
		id = fmt.Sprintf("projects/%s/serviceAccounts/%s", project, email)
		out["email"] = email
		out["member"] = "serviceAccount:" + email
		out["uniqueId"] = "1" + strings.Repeat("0", 8) + fmt.Sprint(int(h[0])*7)
	case "gcp:projects/service:Service":
		id = fmt.Sprintf("%s/%v", project, r.Input("service"))
	case "gcp:servicenetworking/connection:Connection":
		id = fmt.Sprintf("%v:%v", r.Input("network"), r.Input("service"))
		out["peering"] = "servicenetworking-googleapis-com"
	case "gcp:monitoring/notificationChannel:NotificationChannel":
		id = fmt.Sprintf("projects/%s/notificationChannels/%d", project, 1000+int(h[0])*37)
		out["name"] = id
	case "gcp:monitoring/alertPolicy:AlertPolicy":
		id = fmt.Sprintf("projects/%s/alertPolicies/%d", project, 2000+int(h[0])*37)
		out["name"] = id
	case "gcp:monitoring/uptimeCheckConfig:UptimeCheckConfig":
		check := strings.ToLower(r.Name) + "-" + h[:12]
		id = fmt.Sprintf("projects/%s/uptimeCheckConfigs/%s", project, check)
		out["name"] = id
		out["uptimeCheckId"] = check
	case "gcp:dns/recordSet:RecordSet":
		id = fmt.Sprintf("projects/%s/managedZones/%v/rrsets/%v/%v", project, r.Input("managedZone"), r.Input("name"), r.Input("type"))
	case "gcp:dns/managedZone:ManagedZone":
		id = fmt.Sprintf("projects/%s/managedZones/%s", project, name)
		out["nameServers"] = []any{"ns-cloud-a1.googledomains.com.", "ns-cloud-a2.googledomains.com.", "ns-cloud-a3.googledomains.com.", "ns-cloud-a4.googledomains.com."}
	case "gcp:projects/iAMMember:IAMMember", "gcp:storage/bucketIAMMember:BucketIAMMember":
		id = fmt.Sprintf("%v/%v/%v", r.Input("project"), r.Input("role"), r.Input("member"))
		if r.Type == "gcp:storage/bucketIAMMember:BucketIAMMember" {
			id = fmt.Sprintf("b/%v/%v/%v", r.Input("bucket"), r.Input("role"), r.Input("member"))
		}
		out["etag"] = "BwY" + h[:9]
	default:
		out["selfLink"] = "https://www.googleapis.com/" + id
	}
	out["id"] = id
	return id, out
}

// autonamed reports whether Pulumi auto-names the type from its logical name (most Google
// Cloud resources with a name property).
func autonamed(typ string) bool {
	switch typ {
	case "gcp:projects/service:Service", "gcp:servicenetworking/connection:Connection",
		"gcp:monitoring/alertPolicy:AlertPolicy", "gcp:monitoring/notificationChannel:NotificationChannel",
		"gcp:monitoring/uptimeCheckConfig:UptimeCheckConfig", "gcp:dns/recordSet:RecordSet",
		"gcp:projects/iAMMember:IAMMember", "gcp:storage/bucketIAMMember:BucketIAMMember",
		"gcp:serviceaccount/account:Account", "gcp:projects/serviceIdentity:ServiceIdentity",
		"gcp:pubsub/topicIAMMember:TopicIAMMember", "gcp:pubsub/subscriptionIAMMember:SubscriptionIAMMember":
		return false
	}
	return true
}

// gatewayOf returns the first usable address of a CIDR block ("10.0.0.0/20" -> "10.0.0.1").
func gatewayOf(cidr any) string {
	s, _ := cidr.(string)
	ip, _, _ := strings.Cut(s, "/")
	parts := strings.Split(ip, ".")
	if len(parts) != 4 {
		return ""
	}
	return strings.Join(parts[:3], ".") + ".1"
}
