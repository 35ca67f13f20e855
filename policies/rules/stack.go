package rules

import (
	"sort"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/property"
)

func init() {
	register(
		&Rule{
			ID:          "stack-db-read-replica",
			Description: "Every primary database has a replica: an RDS read replica, a Cloud SQL replica, or an Azure geo-secondary, failover group or read scale-out.",
			Level:       MandatoryInProd,
			checkStack: func(c *check) {
				for _, db := range c.ofType(awsRDSInstance) {
					if c.peekOf(db, "replicateSourceDb").isSet() {
						continue
					}
					if !c.hasReferrer(db, []string{awsRDSInstance}, "replicateSourceDb") {
						c.failOn(db, "RDS primary %q has no read replica (no instance with replicateSourceDb from it)", db.Name)
					}
				}
				for _, db := range c.ofType(gcpSQLInstance) {
					if c.peekOf(db, "masterInstanceName").isSet() {
						continue
					}
					if !c.hasReferrer(db, []string{gcpSQLInstance}, "masterInstanceName") {
						c.failOn(db, "Cloud SQL primary %q has no replica (no instance with masterInstanceName from it)", db.Name)
					}
				}
				for _, db := range c.ofType(azSQLDatabase) {
					if c.peekOf(db, "createMode").str() == "Secondary" || c.peekOf(db, "sku.name").str() == "DataWarehouse" {
						continue
					}
					if c.peekOf(db, "readScale").str() == "Enabled" {
						continue
					}
					if n, _ := c.peekOf(db, "highAvailabilityReplicaCount").num(); n >= 1 {
						continue
					}
					if c.hasReferrer(db, []string{azSQLDatabase}, "sourceDatabaseId") || c.hasReferrer(db, []string{azFailoverGroup}, "databases") {
						continue
					}
					c.failOn(db, "Azure SQL database %q has no geo-secondary, failover group, read scale-out or HA replica", db.Name)
				}
			},
		},
		&Rule{
			ID:          "stack-backup-covers-db",
			Description: "Every database is covered by a backup: an AWS Backup selection for RDS, a short- or long-term retention policy for Azure SQL, automated backups for Cloud SQL.",
			Level:       Mandatory, Anchors: []string{"CKV2_AWS_8", "CKV2_AWS_9"},
			checkStack: func(c *check) {
				sels := c.ofType(awsBackupSelect)
				for _, db := range c.ofType(awsRDSInstance, awsRDSCluster) {
					if db.Type == awsRDSInstance && c.peekOf(db, "replicateSourceDb").isSet() {
						continue
					}
					covered := false
					for _, s := range sels {
						if c.refers(s, "resources", db) || c.selectsByTag(s, db) {
							covered = true
						}
					}
					if !covered {
						c.failOn(db, "database %q is in no AWS Backup selection (resources or selectionTags): add it to a backup plan", db.Name)
					}
				}
				for _, db := range c.ofType(azSQLDatabase) {
					if c.peekOf(db, "createMode").str() == "Secondary" {
						continue
					}
					if !c.hasReferrer(db, []string{azSTRPolicy, azLTRPolicy, azLTRPolicyOld}, "databaseName") {
						c.failOn(db, "Azure SQL database %q has no backup retention policy (BackupShortTermRetentionPolicy or LongTermRetentionPolicy)", db.Name)
					}
				}
				for _, db := range c.ofType(gcpSQLInstance) {
					if c.peekOf(db, "masterInstanceName").isSet() {
						continue
					}
					if v := c.atOf(db, "settings.backupConfiguration.enabled"); !v.unknown && !v.isTrue() {
						c.failOn(db, "Cloud SQL primary %q has settings.backupConfiguration.enabled %s: want true", db.Name, show(v))
					}
				}
			},
		},
		&Rule{
			ID:          "stack-failover-pair",
			Description: "Failover DNS is complete: a Route 53 PRIMARY failover record has a health check and a SECONDARY for the same name; a priority Traffic Manager profile has at least two endpoints.",
			Level:       Mandatory,
			checkStack: func(c *check) {
				type key struct{ zone, name string }
				secondary := map[key]bool{}
				var primaries []*Resource
				for _, r := range c.ofType(awsRecord) {
					for _, p := range c.peekOf(r, "failoverRoutingPolicies").items() {
						k := key{c.zoneKey(r), c.peekOf(r, "name").str()}
						switch p.sub("type").str() {
						case "SECONDARY":
							secondary[k] = true
						case "PRIMARY":
							primaries = append(primaries, r)
						}
					}
				}
				for _, r := range primaries {
					if !c.peekOf(r, "healthCheckId").isSet() {
						c.failOn(r, "PRIMARY failover record %q has no healthCheckId: Route 53 would never fail over", r.Name)
					}
					name := c.atOf(r, "name")
					if name.unknown {
						continue
					}
					if !secondary[key{c.zoneKey(r), name.str()}] {
						c.failOn(r, "PRIMARY failover record %q (%s) has no SECONDARY record with the same name in the same zone", r.Name, name.str())
					}
				}
				for _, p := range c.ofType(azTMProfile) {
					if c.peekOf(p, "trafficRoutingMethod").str() != "Priority" {
						continue
					}
					eps := c.peekOf(p, "endpoints")
					if eps.unknown {
						c.unverified(p, "endpoints")
						continue
					}
					n := len(eps.items())
					for _, e := range c.ofType(azTMEndpoint) {
						if c.refers(e, "profileName", p) || e.Parent == p.URN {
							n++
						}
					}
					if n < 2 {
						c.failOn(p, "priority Traffic Manager profile %q has %d endpoint(s): want a primary and a secondary", p.Name, n)
					}
				}
			},
		},
		&Rule{
			ID:          "stack-multi-region",
			Description: "In prod, the database and load balancer tiers run in at least two regions.",
			Level:       Advisory,
			checkStack: func(c *check) {
				if !c.prod() {
					return
				}
				tiers := []struct {
					name  string
					types []string
				}{
					{"database", []string{awsRDSInstance, awsRDSCluster, azSQLServer, gcpSQLInstance}},
					{"load balancer", append(append([]string{azAppGateway, azVMSS, gcpRegionMIG}, awsLoadBalancers...), awsASG)},
				}
				for _, t := range tiers {
					rs := c.ofType(t.types...)
					if len(rs) == 0 {
						continue
					}
					regions := map[string]bool{}
					for _, r := range rs {
						if reg := r.Region(); reg != "" {
							regions[reg] = true
						}
					}
					if len(regions) < 2 {
						c.failOn(nil, "the %s tier runs in %s: want at least 2 regions in prod", t.name, regionList(regions))
					}
				}
			},
		},
		&Rule{
			ID:          "stack-disk-protection",
			Description: "Stateful VMs and disks (outside autoscaling groups) are under a snapshot schedule or a backup.",
			Level:       Advisory,
			checkStack: func(c *check) {
				dlm := len(c.ofType(awsDLMPolicy)) > 0
				for _, r := range c.ofType(awsEC2Instance, awsEBSVolume) {
					covered := dlm
					for _, s := range c.ofType(awsBackupSelect) {
						if c.refers(s, "resources", r) || c.selectsByTag(s, r) {
							covered = true
						}
					}
					if !covered {
						c.failOn(r, "%q is in no AWS Backup selection and no DLM snapshot policy exists", r.Name)
					}
				}
				for _, r := range c.ofType(gcpDisk, gcpRegionDisk, gcpInstance) {
					covered := c.peekOf(r, "resourcePolicies").isSet() || c.peekOf(r, "bootDisk.initializeParams.resourcePolicies").isSet()
					if c.hasReferrer(r, []string{gcpDiskPolicyAttachment, gcpRegionDiskAttachment}, "disk") {
						covered = true
					}
					if !covered {
						c.failOn(r, "%q has no snapshot schedule (resourcePolicies or a resource policy attachment)", r.Name)
					}
				}
				for _, r := range c.ofType(azVM, azDisk) {
					if !c.hasReferrer(r, []string{azProtectedItem}, "properties") && !c.hasReferrer(r, []string{azProtectedItem}, "protectedItemName") {
						c.failOn(r, "%q is not a protected item of a Recovery Services vault", r.Name)
					}
				}
			},
		},
		&Rule{
			ID:          "stack-sql-auditing-coverage",
			Description: "Every Azure SQL server has a server auditing policy.",
			Level:       Mandatory, Anchors: []string{"CKV_AZURE_23"},
			checkStack: func(c *check) {
				for _, s := range c.ofType(azSQLServer) {
					if !c.hasReferrer(s, []string{azServerAudit, azServerAuditExt}, "serverName") {
						c.failOn(s, "SQL server %q has no ServerBlobAuditingPolicy: audit every server", s.Name)
					}
				}
			},
		},
		&Rule{
			ID:          "az-frontdoor-waf",
			Description: "Every Azure Front Door profile has a security policy with a WAF policy.",
			Level:       Mandatory, Anchors: []string{"CKV_AZURE_121"},
			checkStack: func(c *check) {
				for _, p := range c.ofType(azCDNProfile) {
					if sku := c.atOf(p, "sku.name"); sku.unknown || !strings.HasSuffix(sku.str(), "AzureFrontDoor") {
						continue
					}
					ok := false
					for _, sp := range c.ofType(azCDNSecurity) {
						if c.refers(sp, "profileName", p) && c.peekOf(sp, "parameters.wafPolicy.id").isSet() {
							ok = true
						}
					}
					if !ok {
						c.failOn(p, "Front Door profile %q has no SecurityPolicy with a wafPolicy", p.Name)
					}
				}
			},
		},
		&Rule{
			ID:          "gcp-lb-http-redirect",
			Description: "External HTTP forwarding rules only serve a URL map that redirects to HTTPS.",
			Level:       Mandatory, Anchors: []string{"CKV_GCP_4 (related)"},
			checkStack: func(c *check) {
				for _, fr := range c.ofType(gcpGlobalForwardingRule) {
					scheme := c.peekOf(fr, "loadBalancingScheme").str()
					if strings.HasPrefix(scheme, "INTERNAL") {
						continue
					}
					for _, proxy := range c.ofType(gcpHTTPProxy) {
						if !c.refers(fr, "target", proxy) {
							continue
						}
						redirects := false
						for _, um := range c.ofType(gcpURLMap) {
							if c.refers(proxy, "urlMap", um) {
								v := c.atOf(um, "defaultUrlRedirect.httpsRedirect")
								redirects = v.isTrue() || v.unknown
							}
						}
						if !redirects {
							c.failOn(fr, "forwarding rule %q serves plain HTTP through %q whose URL map does not redirect to HTTPS (defaultUrlRedirect.httpsRedirect)", fr.Name, proxy.Name)
						}
					}
				}
			},
		},
		&Rule{
			ID:          "aws-s3-bucket-hardening",
			Description: "Every S3 bucket (BucketV2 or the legacy Bucket) has a BucketPublicAccessBlock (its four settings are checked by aws-s3-block-public) and default server-side encryption (a BucketServerSideEncryptionConfigurationV2, also under its pulumi-aws v7 name, or the legacy inline configuration), linked through the bucket input (its dependency or value), never by logical name.",
			Level:       Mandatory, Anchors: []string{"CKV_AWS_19", "CKV_AWS_53", "CKV_AWS_54", "CKV_AWS_55", "CKV_AWS_56", "CKV2_AWS_6"},
			checkStack: func(c *check) {
				for _, b := range c.ofType(awsBucketV2, awsBucket) {
					if !c.bucketHas(b, awsBucketPAB) {
						c.failOn(b, "bucket %q has no BucketPublicAccessBlock: block public ACLs and policies on every bucket", b.Name)
					}
					if c.bucketHas(b, awsBucketSSE, awsBucketSSEv7) {
						continue
					}
					// The deprecated inline configuration: a list on BucketV2, an object on the
					// legacy Bucket (either spelling is accepted on both types).
					keys := []string{"serverSideEncryptionConfigurations", "serverSideEncryptionConfiguration"}
					if v0, v1 := c.peekOf(b, keys[0]), c.peekOf(b, keys[1]); v0.known() && v0.isSet() || v1.known() && v1.isSet() {
						continue
					}
					unknown := false
					for _, k := range keys {
						unknown = c.atOf(b, k).unknown || unknown // records "cannot verify"
					}
					if unknown {
						continue
					}
					c.failOn(b, "bucket %q has no server-side encryption configuration: add a BucketServerSideEncryptionConfigurationV2 (aws:kms or AES256)", b.Name)
				}
			},
		},
		&Rule{
			ID:          "aws-vpc-flow-logs",
			Description: "Every VPC has flow logs.",
			Level:       Advisory, Anchors: []string{"CKV2_AWS_11", "CIS 3.9"},
			checkStack: func(c *check) {
				for _, v := range c.ofType(awsVPC) {
					if !c.hasReferrer(v, []string{awsFlowLog}, "vpcId") {
						c.failOn(v, "VPC %q has no flow log", v.Name)
					}
				}
			},
		},
	)
}

// peekOf looks up a property of another resource without recording unknowns.
func (c *check) peekOf(r *Resource, path string) val { return c.get(r, path) }

// hasReferrer reports whether a resource of one of types refers to target through key.
func (c *check) hasReferrer(target *Resource, types []string, key string) bool {
	for _, r := range c.ofType(types...) {
		if c.refers(r, key, target) {
			return true
		}
	}
	return false
}

// selectsByTag reports whether an AWS Backup selection selects r by one of its tags.
func (c *check) selectsByTag(sel, r *Resource) bool {
	for _, t := range c.peekOf(sel, "selectionTags").items() {
		k, v := t.sub("key").str(), t.sub("value").str()
		if tv := c.peekOf(r, "tags."+k); k != "" && (tv.unknown || tv.str() == v) {
			return true
		}
	}
	return false
}

// zoneKey identifies a record's hosted zone: the zone resource its zoneId came from, or the
// zoneId string.
func (c *check) zoneKey(r *Resource) string {
	if deps := r.PropertyDependencies["zoneId"]; len(deps) > 0 {
		return deps[0]
	}
	return c.peekOf(r, "zoneId").str()
}

func regionList(m map[string]bool) string {
	if len(m) == 0 {
		return "no known region"
	}
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return "only " + strings.Join(out, ", ")
}

// bucketHas reports whether a resource of one of types configures bucket b: its bucket input
// came from b (PropertyDependencies) or holds b's name or id.
func (c *check) bucketHas(b *Resource, types ...string) bool {
	names := map[string]bool{}
	for _, k := range []string{"bucket", "id"} {
		for _, m := range []property.Map{b.Properties, b.Outputs} {
			if v := lookup(m, k); v.known() && v.str() != "" {
				names[v.str()] = true
			}
		}
	}
	for _, r := range c.ofType(types...) {
		if c.refers(r, "bucket", b) || names[c.peekOf(r, "bucket").str()] {
			return true
		}
	}
	return false
}
