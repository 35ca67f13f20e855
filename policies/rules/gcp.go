package rules

import (
	"strings"
)

// Google Cloud (pulumi-gcp v7) type tokens.
const (
	gcpInstanceTemplate       = "gcp:compute/instanceTemplate:InstanceTemplate"
	gcpRegionInstanceTemplate = "gcp:compute/regionInstanceTemplate:RegionInstanceTemplate"
	gcpRegionMIG              = "gcp:compute/regionInstanceGroupManager:RegionInstanceGroupManager"
	gcpMIG                    = "gcp:compute/instanceGroupManager:InstanceGroupManager"
	gcpRegionAutoscaler       = "gcp:compute/regionAutoscaler:RegionAutoscaler"
	gcpAutoscaler             = "gcp:compute/autoscaler:Autoscaler"
	gcpSSLPolicy              = "gcp:compute/sSLPolicy:SSLPolicy"
	gcpHTTPSProxy             = "gcp:compute/targetHttpsProxy:TargetHttpsProxy"
	gcpHTTPProxy              = "gcp:compute/targetHttpProxy:TargetHttpProxy"
	gcpURLMap                 = "gcp:compute/uRLMap:URLMap"
	gcpGlobalForwardingRule   = "gcp:compute/globalForwardingRule:GlobalForwardingRule"
	gcpBackendService         = "gcp:compute/backendService:BackendService"
	gcpSQLInstance            = "gcp:sql/databaseInstance:DatabaseInstance"
	gcpManagedZone            = "gcp:dns/managedZone:ManagedZone"
	gcpFirewall               = "gcp:compute/firewall:Firewall"
	gcpBucket                 = "gcp:storage/bucket:Bucket"
	gcpDisk                   = "gcp:compute/disk:Disk"
	gcpRegionDisk             = "gcp:compute/regionDisk:RegionDisk"
	gcpInstance               = "gcp:compute/instance:Instance"
	gcpDiskPolicyAttachment   = "gcp:compute/diskResourcePolicyAttachment:DiskResourcePolicyAttachment"
	gcpRegionDiskAttachment   = "gcp:compute/regionDiskResourcePolicyAttachment:RegionDiskResourcePolicyAttachment"
)

var gcpTemplates = []string{gcpInstanceTemplate, gcpRegionInstanceTemplate}

func init() {
	register(
		&Rule{
			ID:            "gcp-tpl-no-public-ip",
			Description:   "Instance templates give instances no external IP (no access configs).",
			ResourceTypes: gcpTemplates, Level: Mandatory, Anchors: []string{"CKV_GCP_40"},
			check: func(c *check) {
				for _, ni := range c.at("networkInterfaces").items() {
					if ac := c.need(c.r, ni.sub("accessConfigs")); ac.isSet() {
						c.fail("%s is set: instances get an external IP; reach the internet through Cloud NAT", ac.path)
					}
				}
			},
		},
		&Rule{
			ID:            "gcp-tpl-hardening",
			Description:   "Instance templates use Shielded VM secure boot, block project SSH keys, disable the serial port and IP forwarding, and avoid the default service account.",
			ResourceTypes: gcpTemplates, Level: Mandatory, Anchors: []string{"CKV_GCP_39", "CKV_GCP_32", "CKV_GCP_35", "CKV_GCP_36", "CKV_GCP_30"},
			check: func(c *check) {
				c.wantTrue("shieldedInstanceConfig.enableSecureBoot", "boot only signed code")
				if v := c.at("metadata.block-project-ssh-keys"); !v.unknown && !v.isTrue() {
					c.fail("metadata.block-project-ssh-keys is %s: want \"true\" so project-wide SSH keys cannot log in", show(v))
				}
				if v := c.at("metadata.serial-port-enable"); v.isTrue() {
					c.fail("metadata.serial-port-enable is %s: the interactive serial console stays off", show(v))
				}
				c.wantNotTrue("canIpForward", "instances do not route other hosts' traffic")
				if v := c.at("serviceAccount.email"); v.known() {
					if e := v.str(); e == "default" || strings.HasSuffix(e, "-compute@developer.gserviceaccount.com") {
						c.fail("serviceAccount.email is %s: the default compute service account is Editor on the project; use a dedicated one", show(v))
					}
				}
			},
		},
		&Rule{
			ID:            "gcp-mig-autohealing",
			Description:   "Managed instance groups auto-heal from a health check and, when zones are listed, spread over at least two.",
			ResourceTypes: []string{gcpRegionMIG, gcpMIG}, Level: Mandatory,
			check: func(c *check) {
				if !c.peek("autoHealingPolicies.healthCheck").isSet() {
					c.fail("autoHealingPolicies.healthCheck is not set: recreate instances that fail the health check")
				}
				if c.r.Type != gcpRegionMIG {
					return
				}
				z := c.peek("distributionPolicyZones")
				if z.unknown {
					c.unverified(c.r, "distributionPolicyZones")
				} else if z.present && len(z.items()) < 2 {
					c.fail("distributionPolicyZones is %s: want at least 2 zones", show(z))
				}
			},
		},
		&Rule{
			ID:            "gcp-autoscaler-bounds",
			Description:   "Autoscalers keep at least the configured minimum, can grow past it, and scale on CPU, load balancing or a metric.",
			ResourceTypes: []string{gcpRegionAutoscaler, gcpAutoscaler}, Level: Advisory,
			Settings: []Setting{{Name: "minReplicas", Type: "integer", Default: 2, Description: "fewest instances"}},
			check: func(c *check) {
				min := c.number("minReplicas")
				lo := c.at("autoscalingPolicy.minReplicas")
				hi := c.at("autoscalingPolicy.maxReplicas")
				l, _ := lo.num()
				h, _ := hi.num()
				if !lo.unknown && l < min {
					c.fail("autoscalingPolicy.minReplicas is %s: want at least %g", show(lo), min)
				}
				if lo.known() && hi.known() && h <= l {
					c.fail("autoscalingPolicy.maxReplicas %s is not above minReplicas %s: the group cannot scale out", show(hi), show(lo))
				}
				p := c.at("autoscalingPolicy")
				if p.known() && !p.sub("cpuUtilization.target").isSet() && !p.sub("loadBalancingUtilization.target").isSet() && !p.sub("metrics").isSet() {
					c.fail("autoscalingPolicy has no cpuUtilization, loadBalancingUtilization or metrics target: it cannot react to load")
				}
			},
		},
		&Rule{
			ID:            "gcp-lb-tls",
			Description:   "SSL policies require TLS 1.2 with a MODERN or RESTRICTED profile, and every HTTPS proxy has one.",
			ResourceTypes: []string{gcpSSLPolicy, gcpHTTPSProxy}, Level: Mandatory, Anchors: []string{"CKV_GCP_4"},
			check: func(c *check) {
				if c.r.Type == gcpHTTPSProxy {
					if !c.peek("sslPolicy").isSet() {
						c.fail("sslPolicy is not set: the default policy allows TLS 1.0; attach an SSL policy with minTlsVersion TLS_1_2")
					}
					return
				}
				if v := c.at("minTlsVersion"); !v.unknown && v.str() != "TLS_1_2" && v.str() != "TLS_1_3" {
					c.fail("minTlsVersion is %s: want \"TLS_1_2\"", show(v))
				}
				if v := c.at("profile"); v.str() == "COMPATIBLE" || !v.present {
					c.fail("profile is %s: COMPATIBLE (the default) allows weak ciphers; want MODERN or RESTRICTED", show(v))
				}
			},
		},
		&Rule{
			ID:            "gcp-backend-service",
			Description:   "Backend services have health checks, request logging and a Cloud Armor security policy.",
			ResourceTypes: []string{gcpBackendService}, Level: Advisory, Anchors: []string{"CKV_GCP (Cloud Armor)"},
			check: func(c *check) {
				if !c.peek("healthChecks").isSet() {
					c.fail("healthChecks is not set: send traffic only to healthy backends")
				}
				c.wantTrue("logConfig.enable", "log requests at the load balancer")
				if !c.peek("securityPolicy").isSet() {
					c.fail("securityPolicy is not set: attach a Cloud Armor policy")
				}
			},
		},
		&Rule{
			ID:            "gcp-sql-backups",
			Description:   "Cloud SQL primaries take automated backups with point-in-time recovery.",
			ResourceTypes: []string{gcpSQLInstance}, Level: Mandatory, Anchors: []string{"CKV_GCP_14", "CIS 6.7"},
			check: func(c *check) {
				if c.peek("masterInstanceName").isSet() {
					return
				}
				c.wantTrue("settings.backupConfiguration.enabled", "take daily automated backups")
				ver := c.at("databaseVersion").str()
				if strings.HasPrefix(ver, "MYSQL") {
					c.wantTrue("settings.backupConfiguration.binaryLogEnabled", "binary logs enable point-in-time recovery")
				} else if !strings.HasPrefix(ver, "SQLSERVER") {
					c.wantTrue("settings.backupConfiguration.pointInTimeRecoveryEnabled", "restore to any point in time")
				}
			},
		},
		&Rule{
			ID:            "gcp-sql-network",
			Description:   "Cloud SQL instances have no public IP, no 0.0.0.0/0 authorized network, and require SSL.",
			ResourceTypes: []string{gcpSQLInstance}, Level: Mandatory, Anchors: []string{"CKV_GCP_60", "CKV_GCP_11", "CKV_GCP_6"},
			check: func(c *check) {
				if v := c.at("settings.ipConfiguration.ipv4Enabled"); !v.unknown && !v.isFalse() {
					c.fail("settings.ipConfiguration.ipv4Enabled is %s (the default is true): want false and a private network", show(v))
				}
				for _, n := range c.at("settings.ipConfiguration.authorizedNetworks").items() {
					if v := c.need(c.r, n.sub("value")); v.str() == "0.0.0.0/0" {
						c.fail("%s is \"0.0.0.0/0\": the database would accept connections from anywhere", v.path)
					}
				}
				mode := c.at("settings.ipConfiguration.sslMode")
				req := c.at("settings.ipConfiguration.requireSsl")
				if !mode.unknown && !req.unknown && mode.str() != "ENCRYPTED_ONLY" && mode.str() != "TRUSTED_CLIENT_CERTIFICATE_REQUIRED" && !req.isTrue() {
					c.fail("settings.ipConfiguration.sslMode is %s: want \"ENCRYPTED_ONLY\" (or TRUSTED_CLIENT_CERTIFICATE_REQUIRED)", show(mode))
				}
			},
		},
		&Rule{
			ID:            "gcp-sql-ha",
			Description:   "Cloud SQL primaries are regional (HA) and have deletion protection.",
			ResourceTypes: []string{gcpSQLInstance}, Level: MandatoryInProd,
			check: func(c *check) {
				if c.peek("masterInstanceName").isSet() {
					return
				}
				if v := c.at("settings.availabilityType"); !v.unknown && v.str() != "REGIONAL" {
					c.fail("settings.availabilityType is %s: want \"REGIONAL\" for a standby in another zone", show(v))
				}
				if v := c.at("deletionProtection"); v.isFalse() {
					c.fail("deletionProtection is false: a prod database cannot be deleted by accident")
				}
			},
		},
		&Rule{
			ID:            "gcp-dns-dnssec",
			Description:   "Public Cloud DNS zones have DNSSEC on.",
			ResourceTypes: []string{gcpManagedZone}, Level: Advisory, Anchors: []string{"CKV_GCP_16"},
			check: func(c *check) {
				if v := c.at("visibility"); v.unknown || v.str() == "private" {
					return
				}
				if v := c.at("dnssecConfig.state"); !v.unknown && v.str() != "on" {
					c.fail("dnssecConfig.state is %s: want \"on\" for a public zone", show(v))
				}
			},
		},
		&Rule{
			ID:            "gcp-firewall-no-open-mgmt",
			Description:   "Ingress firewall rules do not allow SSH, RDP or all ports from 0.0.0.0/0.",
			ResourceTypes: []string{gcpFirewall}, Level: Mandatory, Anchors: []string{"CKV_GCP_2", "CKV_GCP_3", "CIS 3.6", "CIS 3.7"},
			check: func(c *check) {
				if d := c.at("direction").str(); d == "EGRESS" || c.at("disabled").isTrue() {
					return
				}
				if !contains(c.at("sourceRanges").strs(), "0.0.0.0/0") {
					return
				}
				for _, a := range c.at("allows").items() {
					proto := a.sub("protocol").str()
					if proto != "tcp" && proto != "all" && proto != "udp" {
						continue
					}
					ports := a.sub("ports").strs()
					if len(ports) == 0 {
						c.fail("%s allows all %s ports from 0.0.0.0/0: open only 80/443 to the load balancer ranges", a.path, proto)
						continue
					}
					for _, p := range ports {
						if portInRange(p, 22) || portInRange(p, 3389) {
							c.fail("%s allows port %s from 0.0.0.0/0: use IAP TCP forwarding (35.235.240.0/20) for SSH/RDP", a.path, p)
						}
					}
				}
			},
		},
		&Rule{
			ID:            "gcp-bucket-uniform-access",
			Description:   "Cloud Storage buckets use uniform bucket-level access (no object ACLs).",
			ResourceTypes: []string{gcpBucket}, Level: Mandatory, Anchors: []string{"CKV_GCP_29"},
			check: func(c *check) {
				c.wantTrue("uniformBucketLevelAccess", "grant access with IAM only")
			},
		},
	)
}

// Type tokens of the rules below.
const (
	gcpNetwork           = "gcp:compute/network:Network"
	gcpSubnetwork        = "gcp:compute/subnetwork:Subnetwork"
	gcpProjectIAMMember  = "gcp:projects/iAMMember:IAMMember"
	gcpProjectIAMBinding = "gcp:projects/iAMBinding:IAMBinding"
	gcpBucketIAMMember   = "gcp:storage/bucketIAMMember:BucketIAMMember"
	gcpBucketIAMBinding  = "gcp:storage/bucketIAMBinding:BucketIAMBinding"
)

func init() {
	register(
		&Rule{
			ID:            "gcp-network-custom-mode",
			Description:   "VPC networks are custom mode (autoCreateSubnetworks false): no auto-created subnet in every region with the default network's wide ranges.",
			ResourceTypes: []string{gcpNetwork}, Level: Mandatory, Anchors: []string{"CIS GCP 3.1 (related: no default network)"},
			check: func(c *check) {
				if v := c.at("autoCreateSubnetworks"); !v.unknown && !v.isFalse() {
					c.fail("autoCreateSubnetworks is %s (the default is true): want false and explicit subnetworks", show(v))
				}
			},
		},
		&Rule{
			ID:            "gcp-subnet-hardening",
			Description:   "Subnetworks for instances have Private Google Access on and VPC flow logs (logConfig).",
			ResourceTypes: []string{gcpSubnetwork}, Level: Advisory, Anchors: []string{"CKV_GCP_26", "CKV_GCP_74", "CIS GCP 3.8"},
			check: func(c *check) {
				// Proxy-only, Private Service Connect and private NAT subnets take no instances,
				// flow logs or Private Google Access.
				if p := c.at("purpose"); p.unknown || (p.present && p.str() != "PRIVATE" && p.str() != "PRIVATE_RFC_1918") {
					return
				}
				c.wantTrue("privateIpGoogleAccess", "instances without external IPs reach Google APIs privately")
				if !c.peek("logConfig").present {
					c.fail("logConfig is not set: turn on VPC flow logs for the subnetwork")
				}
			},
		},
		&Rule{
			ID:            "gcp-iam-no-primitive-roles",
			Description:   "Project IAM members and bindings grant no primitive role (roles/owner, roles/editor): use predefined or custom roles.",
			ResourceTypes: []string{gcpProjectIAMMember, gcpProjectIAMBinding}, Level: Mandatory, Anchors: []string{"CIS GCP 1.5"},
			Settings: []Setting{{Name: "forbiddenRoles", Type: "array", Default: []string{"roles/owner", "roles/editor"}, Description: "project roles that may not be granted"}},
			check: func(c *check) {
				if v := c.at("role"); contains(c.list("forbiddenRoles"), v.str()) {
					c.fail("role is %s: a primitive role grants nearly every permission in the project; grant a predefined role", show(v))
				}
			},
		},
		&Rule{
			ID:            "gcp-bucket-public",
			Description:   "Cloud Storage bucket IAM grants nothing to allUsers or allAuthenticatedUsers. Advisory: a CDN static-content bucket is public by design (waive it with a reason); uniform access is gcp-bucket-uniform-access.",
			ResourceTypes: []string{gcpBucketIAMMember, gcpBucketIAMBinding}, Level: Advisory, Anchors: []string{"CKV_GCP_28", "CIS GCP 5.1"},
			check: func(c *check) {
				members := c.at("member")
				if c.r.Type == gcpBucketIAMBinding {
					members = c.at("members")
				}
				for _, m := range members.strs() {
					if m == "allUsers" || m == "allAuthenticatedUsers" {
						c.fail("member %q has %s on the bucket: anyone can use it; serve content through the load balancer or signed URLs unless the bucket is public by design", m, show(c.at("role")))
					}
				}
			},
		},
	)
}
