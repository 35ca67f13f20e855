package rules

import (
	"strconv"
	"strings"
)

// Azure (azure-native v2) type tokens.
const (
	azVMSS           = "azure-native:compute:VirtualMachineScaleSet"
	azAppGateway     = "azure-native:network:ApplicationGateway"
	azWAFPolicy      = "azure-native:network:WebApplicationFirewallPolicy"
	azSQLServer      = "azure-native:sql:Server"
	azSQLDatabase    = "azure-native:sql:Database"
	azFailoverGroup  = "azure-native:sql:FailoverGroup"
	azServerAudit    = "azure-native:sql:ServerBlobAuditingPolicy"
	azServerAuditExt = "azure-native:sql:ExtendedServerBlobAuditingPolicy"
	azLTRPolicy      = "azure-native:sql:LongTermRetentionPolicy"
	azLTRPolicyOld   = "azure-native:sql:BackupLongTermRetentionPolicy"
	azSTRPolicy      = "azure-native:sql:BackupShortTermRetentionPolicy"
	azCDNEndpoint    = "azure-native:cdn:Endpoint"
	azCDNRoute       = "azure-native:cdn:Route"
	azAFDDomain      = "azure-native:cdn:AFDCustomDomain"
	azCDNProfile     = "azure-native:cdn:Profile"
	azCDNSecurity    = "azure-native:cdn:SecurityPolicy"
	azTMProfile      = "azure-native:network:Profile"
	azTMEndpoint     = "azure-native:network:Endpoint"
	azRSVault        = "azure-native:recoveryservices:Vault"
	azProtectedItem  = "azure-native:recoveryservices:ProtectedItem"
	azNSG            = "azure-native:network:NetworkSecurityGroup"
	azSecurityRule   = "azure-native:network:SecurityRule"
	azStorageAccount = "azure-native:storage:StorageAccount"
	azVM             = "azure-native:compute:VirtualMachine"
	azDisk           = "azure-native:compute:Disk"
)

// azTLSPolicies are the predefined Application Gateway SSL policies with TLS 1.2 minimum.
var azTLSPolicies = []string{"AppGwSslPolicy20170401S", "AppGwSslPolicy20220101", "AppGwSslPolicy20220101S"}

func init() {
	register(
		&Rule{
			ID:            "az-vmss-no-password",
			Description:   "Linux scale sets authenticate with SSH keys only (password authentication off).",
			ResourceTypes: []string{azVMSS}, Level: Mandatory, Anchors: []string{"CKV_AZURE_49"},
			check: func(c *check) {
				os := c.at("virtualMachineProfile.osProfile")
				if os.known() && os.sub("windowsConfiguration").present && !os.sub("linuxConfiguration").present {
					return
				}
				c.wantTrue("virtualMachineProfile.osProfile.linuxConfiguration.disablePasswordAuthentication", "log in with SSH keys only")
			},
		},
		&Rule{
			ID:            "az-vmss-encryption-at-host",
			Description:   "Scale sets encrypt temp disks and caches at the host.",
			ResourceTypes: []string{azVMSS}, Level: Advisory, Anchors: []string{"CKV_AZURE_97"},
			check: func(c *check) {
				c.wantTrue("virtualMachineProfile.securityProfile.encryptionAtHost", "encrypt temp disks and disk caches too (needs the EncryptionAtHost subscription feature)")
			},
		},
		&Rule{
			ID:            "az-vmss-resilience",
			Description:   "Scale sets span at least two zones, repair unhealthy instances and upgrade automatically or rolling.",
			ResourceTypes: []string{azVMSS}, Level: Advisory,
			check: func(c *check) {
				if z := c.peek("zones"); z.unknown {
					c.unverified(c.r, "zones")
				} else if len(z.items()) < 2 {
					c.fail("zones is %s: spread instances over at least 2 availability zones", show(z))
				}
				c.wantTrue("automaticRepairsPolicy.enabled", "replace instances the health probe reports unhealthy")
				mode := c.at("upgradePolicy.mode")
				auto := c.at("upgradePolicy.automaticOSUpgradePolicy.enableAutomaticOSUpgrade")
				if !mode.unknown && !auto.unknown && mode.str() != "Rolling" && mode.str() != "Automatic" && !auto.isTrue() {
					c.fail("upgradePolicy.mode is %s: want Rolling or Automatic (or automatic OS upgrades) so images are rolled out", show(mode))
				}
			},
		},
		&Rule{
			ID:            "az-appgw-waf",
			Description:   "Application Gateways run a WAF in Prevention mode (inline configuration or a firewall policy in Prevention mode).",
			ResourceTypes: []string{azAppGateway, azWAFPolicy}, Level: Mandatory, Anchors: []string{"CKV_AZURE_120", "CKV_AZURE_122"},
			check: func(c *check) {
				if c.r.Type == azWAFPolicy {
					if v := c.at("policySettings.state"); v.str() == "Disabled" {
						c.fail("policySettings.state is \"Disabled\": want Enabled")
					}
					if v := c.at("policySettings.mode"); !v.unknown && v.str() != "Prevention" {
						c.fail("policySettings.mode is %s: want \"Prevention\" so attacks are blocked, not only logged", show(v))
					}
					return
				}
				if c.peek("firewallPolicy.id").isSet() {
					return
				}
				waf := c.at("webApplicationFirewallConfiguration")
				if waf.unknown {
					return
				}
				if !waf.sub("enabled").isTrue() {
					c.fail("neither firewallPolicy nor webApplicationFirewallConfiguration.enabled is set: put a WAF (WAF_v2 SKU) in front of the application")
					return
				}
				if m := waf.sub("firewallMode"); m.str() != "Prevention" {
					c.fail("webApplicationFirewallConfiguration.firewallMode is %s: want \"Prevention\"", show(m))
				}
			},
		},
		&Rule{
			ID:            "az-appgw-tls",
			Description:   "Application Gateways use a TLS 1.2+ SSL policy and every HTTP listener only redirects to HTTPS.",
			ResourceTypes: []string{azAppGateway}, Level: Mandatory, Anchors: []string{"CKV_AZURE_218", "CKV_AZURE_217"},
			check: func(c *check) {
				pol := c.at("sslPolicy")
				if !pol.unknown {
					typ := c.need(c.r, pol.sub("policyType")).str()
					switch {
					case !pol.present:
						c.fail("sslPolicy is not set: the service default may allow TLS 1.0; want Predefined AppGwSslPolicy20220101 or a custom policy with minProtocolVersion TLSv1_2")
					case typ == "Predefined":
						if n := c.need(c.r, pol.sub("policyName")); !n.unknown && !contains(azTLSPolicies, n.str()) {
							c.fail("sslPolicy.policyName is %s: want one of %s", show(n), strings.Join(azTLSPolicies, ", "))
						}
					default:
						if v := c.need(c.r, pol.sub("minProtocolVersion")); !v.unknown && v.str() != "TLSv1_2" && v.str() != "TLSv1_3" {
							c.fail("sslPolicy.minProtocolVersion is %s: want TLSv1_2 or TLSv1_3", show(v))
						}
					}
				}
				redirected := map[string]bool{}
				unknownRef := false
				for _, rr := range c.at("requestRoutingRules").items() {
					if !rr.sub("redirectConfiguration").isSet() {
						continue
					}
					if id := rr.sub("httpListener.id"); id.unknown {
						unknownRef = true
					} else {
						redirected[lastSegment(id.str())] = true
					}
				}
				for _, l := range c.at("httpListeners").items() {
					p := c.need(c.r, l.sub("protocol"))
					if p.str() != "Http" {
						continue
					}
					name := l.sub("name").str()
					if !redirected[name] && unknownRef {
						c.unverified(c.r, l.path+" (the redirect rules' httpListener.id)")
					} else if !redirected[name] {
						c.fail("httpListeners listener %q is plain HTTP and no routing rule redirects it: serve HTTPS, redirect HTTP", name)
					}
				}
			},
		},
		&Rule{
			ID:            "az-sql-server",
			Description:   "Azure SQL servers have public network access disabled and a minimal TLS version of 1.2.",
			ResourceTypes: []string{azSQLServer}, Level: Mandatory, Anchors: []string{"CKV_AZURE_113", "CKV_AZURE_52"},
			check: func(c *check) {
				if v := c.at("publicNetworkAccess"); !v.unknown && v.str() != "Disabled" {
					c.fail("publicNetworkAccess is %s: want \"Disabled\" and a private endpoint", show(v))
				}
				if v := c.at("minimalTlsVersion"); !v.unknown && v.str() != "1.2" && v.str() != "1.3" {
					c.fail("minimalTlsVersion is %s: want \"1.2\" or newer", show(v))
				}
			},
		},
		&Rule{
			ID:            "az-sql-entra-only",
			Description:   "Azure SQL servers use Microsoft Entra-only authentication (no SQL logins).",
			ResourceTypes: []string{azSQLServer}, Level: Advisory, Anchors: []string{"CKV_AZURE_23 (related)", "MCSB IM-1"},
			check: func(c *check) {
				if c.peek("administratorLoginPassword").isSet() {
					c.fail("administratorLoginPassword is set: use Entra-only authentication so no password exists")
				}
				c.wantTrue("administrators.azureADOnlyAuthentication", "disable SQL authentication")
			},
		},
		&Rule{
			ID:            "az-sql-auditing",
			Description:   "SQL server auditing is enabled and keeps logs forever (0) or more than the configured days.",
			ResourceTypes: []string{azServerAudit, azServerAuditExt}, Level: Mandatory, Anchors: []string{"CKV_AZURE_23", "CKV_AZURE_24"},
			Settings: []Setting{{Name: "minRetentionDays", Type: "integer", Default: 90, Description: "fewest days audit logs are kept (0 = forever is always allowed)"}},
			check: func(c *check) {
				if v := c.at("state"); !v.unknown && v.str() != "Enabled" {
					c.fail("state is %s: want \"Enabled\"", show(v))
				}
				min := c.number("minRetentionDays")
				if v := c.at("retentionDays"); v.known() {
					if n, _ := v.num(); n != 0 && n < min {
						c.fail("retentionDays is %s: want 0 (forever) or at least %g", show(v), min)
					}
				}
			},
		},
		&Rule{
			ID:            "az-sql-db-resilience",
			Description:   "Azure SQL databases are zone redundant and keep geo-redundant backups.",
			ResourceTypes: []string{azSQLDatabase}, Level: MandatoryInProd, Anchors: []string{"CKV_AZURE_229"},
			check: func(c *check) {
				if c.at("sku.name").str() == "DataWarehouse" {
					return
				}
				c.wantTrue("zoneRedundant", "replicas in several availability zones survive a zone outage")
				if c.at("createMode").str() == "Secondary" {
					return
				}
				if v := c.at("requestedBackupStorageRedundancy"); !v.unknown && v.str() != "Geo" && v.str() != "GeoZone" {
					c.fail("requestedBackupStorageRedundancy is %s: want \"Geo\" or \"GeoZone\" so backups survive a region outage", show(v))
				}
			},
		},
		&Rule{
			ID:            "az-sql-failover-group",
			Description:   "SQL failover groups have a partner server and a deliberate read-write failover policy: Manual (customer-managed, Microsoft's recommendation) or Automatic with its grace period set.",
			ResourceTypes: []string{azFailoverGroup}, Level: Advisory,
			check: func(c *check) {
				// Microsoft-managed (Automatic) failover happens only for a region-wide outage after
				// the grace period, so Microsoft recommends customer-managed (Manual) failover.
				switch v := c.at("readWriteEndpoint.failoverPolicy"); {
				case v.unknown || v.str() == "Manual":
				case v.str() == "Automatic":
					if g := c.at("readWriteEndpoint.failoverWithDataLossGracePeriodMinutes"); !g.unknown && !g.isSet() {
						c.fail("readWriteEndpoint.failoverWithDataLossGracePeriodMinutes is not set with an Automatic policy: set it (at least 60), or use \"Manual\" (customer-managed) failover")
					}
				default:
					c.fail("readWriteEndpoint.failoverPolicy is %s: want \"Manual\" (customer-managed) or \"Automatic\"", show(v))
				}
				if p := c.peek("partnerServers"); p.unknown {
					c.unverified(c.r, "partnerServers")
				} else if len(p.items()) == 0 {
					c.fail("partnerServers is empty: want a partner server in another region")
				}
			},
		},
		&Rule{
			ID:            "az-cdn-https",
			Description:   "Azure CDN endpoints and Front Door routes serve HTTPS only or redirect to it, and custom domains require TLS 1.2.",
			ResourceTypes: []string{azCDNEndpoint, azCDNRoute, azAFDDomain}, Level: Mandatory, Anchors: []string{"CKV_AZURE_197", "CKV_AZURE_198", "CKV_AZURE_200"},
			check: func(c *check) {
				switch c.r.Type {
				case azCDNEndpoint:
					if v := c.at("isHttpAllowed"); !v.unknown && !v.isFalse() {
						c.fail("isHttpAllowed is %s (the default is true): want false", show(v))
					}
				case azCDNRoute:
					protos := c.at("supportedProtocols")
					if !contains(protos.strs(), "Http") && protos.present {
						break
					}
					if v := c.at("httpsRedirect"); !v.unknown && v.str() != "Enabled" {
						c.fail("httpsRedirect is %s with HTTP accepted: want \"Enabled\"", show(v))
					}
				case azAFDDomain:
					if v := c.at("tlsSettings.minimumTlsVersion"); !v.unknown && v.str() != "TLS12" && v.str() != "TLS13" {
						c.fail("tlsSettings.minimumTlsVersion is %s: want \"TLS12\"", show(v))
					}
				}
			},
		},
		&Rule{
			ID:            "az-tm-probe",
			Description:   "Traffic Manager profiles probe endpoints over HTTPS on a health path.",
			ResourceTypes: []string{azTMProfile}, Level: Advisory,
			check: func(c *check) {
				if v := c.at("monitorConfig.protocol"); !v.unknown && v.str() != "HTTPS" {
					c.fail("monitorConfig.protocol is %s: want \"HTTPS\"", show(v))
				}
				if v := c.at("monitorConfig.path"); !v.unknown && v.str() == "" {
					c.fail("monitorConfig.path is not set: probe an application health endpoint such as /healthz")
				}
			},
		},
		&Rule{
			ID:            "az-rsv-vault",
			Description:   "Recovery Services vaults keep soft delete on and, in prod, are immutable.",
			ResourceTypes: []string{azRSVault}, Level: Advisory,
			check: func(c *check) {
				if v := c.at("properties.securitySettings.softDeleteSettings.softDeleteState"); v.str() == "Disabled" {
					c.fail("properties.securitySettings.softDeleteSettings.softDeleteState is \"Disabled\": deleted backups must stay recoverable")
				}
				if c.prod() {
					if v := c.at("properties.securitySettings.immutabilitySettings.state"); !v.unknown && v.str() != "Unlocked" && v.str() != "Locked" {
						c.fail("properties.securitySettings.immutabilitySettings.state is %s: make prod recovery points immutable", show(v))
					}
				}
			},
		},
		&Rule{
			ID:            "az-nsg-no-open-mgmt",
			Description:   "Network security groups do not allow SSH, RDP or all ports inbound from the internet.",
			ResourceTypes: []string{azNSG, azSecurityRule}, Level: Mandatory, Anchors: []string{"CKV_AZURE_9", "CKV_AZURE_10", "CIS 6.1", "CIS 6.2"},
			check: func(c *check) {
				if c.r.Type == azSecurityRule {
					c.azRule("", func(p string) val { return c.at(p) })
					return
				}
				for _, r := range c.at("securityRules").items() {
					rule := r
					c.azRule(rule.path+".", func(p string) val { return c.need(c.r, rule.sub(p)) })
				}
			},
		},
		&Rule{
			ID:            "az-storage-secure",
			Description:   "Storage accounts accept HTTPS only with TLS 1.2 and allow no public blob access.",
			ResourceTypes: []string{azStorageAccount}, Level: Mandatory, Anchors: []string{"CKV_AZURE_3", "CKV_AZURE_44", "CKV_AZURE_190"},
			check: func(c *check) {
				if v := c.at("enableHttpsTrafficOnly"); v.isFalse() {
					c.fail("enableHttpsTrafficOnly is false: want true")
				}
				if v := c.at("minimumTlsVersion"); !v.unknown && v.str() != "TLS1_2" && v.str() != "TLS1_3" {
					c.fail("minimumTlsVersion is %s: want \"TLS1_2\"", show(v))
				}
				if v := c.at("allowBlobPublicAccess"); !v.unknown && !v.isFalse() {
					c.fail("allowBlobPublicAccess is %s: want false", show(v))
				}
			},
		},
	)
}

// azRule fails an inbound Allow rule from the internet to SSH, RDP or all ports. get reads a
// rule field by name; prefix is the rule's path for messages.
func (c *check) azRule(prefix string, get func(string) val) {
	if get("direction").str() != "Inbound" || get("access").str() != "Allow" {
		return
	}
	sources := append(get("sourceAddressPrefix").strs(), get("sourceAddressPrefixes").strs()...)
	internet := false
	for _, s := range sources {
		if s == "*" || s == "Internet" || s == "0.0.0.0/0" || s == "Any" {
			internet = true
		}
	}
	if !internet {
		return
	}
	ports := append(get("destinationPortRange").strs(), get("destinationPortRanges").strs()...)
	for _, p := range ports {
		if p == "*" || portInRange(p, 22) || portInRange(p, 3389) {
			c.fail("%sdestinationPortRange %q is open to the internet: reach instances through Bastion or the load balancer", prefix, p)
		}
	}
}

// portInRange reports whether a port spec ("22", "20-30") includes port.
func portInRange(spec string, port int) bool {
	lo, hi, ok := strings.Cut(spec, "-")
	if !ok {
		hi = lo
	}
	l, err := strconv.Atoi(strings.TrimSpace(lo))
	if err != nil {
		return false
	}
	h, err := strconv.Atoi(strings.TrimSpace(hi))
	if err != nil {
		return false
	}
	return l <= port && port <= h
}

// lastSegment is the last "/"-separated segment of an ARM id (a sub-resource's name).
func lastSegment(id string) string {
	if i := strings.LastIndex(id, "/"); i >= 0 {
		return id[i+1:]
	}
	return id
}

// Type tokens of the rules below.
const (
	azPublicIP = "azure-native:network:PublicIPAddress"
	azSubnet   = "azure-native:network:Subnet"
	azVNet     = "azure-native:network:VirtualNetwork"
)

// azNSGExemptSubnets are the subnets where Azure forbids a network security group or manages
// traffic itself.
var azNSGExemptSubnets = []string{"GatewaySubnet", "AzureFirewallSubnet", "AzureFirewallManagementSubnet", "AzureBastionSubnet", "RouteServerSubnet"}

func init() {
	register(
		&Rule{
			ID:            "az-public-ip-standard",
			Description:   "Public IP addresses use the Standard SKU: Basic is retired (30 September 2025), has no availability zones and is open to inbound traffic by default.",
			ResourceTypes: []string{azPublicIP}, Level: Advisory, Anchors: []string{"Azure Basic public IP retirement", "WAF reliability (zone-redundant IPs)"},
			check: func(c *check) {
				if v := c.at("sku.name"); !v.unknown && !strings.HasPrefix(v.str(), "Standard") {
					c.fail("sku.name is %s: want \"Standard\" (Basic is retired, has no zones and is open by default)", show(v))
				}
			},
		},
		&Rule{
			ID:            "az-subnet-nsg",
			Description:   "Every subnet (a Subnet resource or a virtual network's inline subnet) has a network security group, except the subnets where Azure forbids or manages one (GatewaySubnet, AzureFirewallSubnet, AzureBastionSubnet, ...).",
			ResourceTypes: []string{azSubnet, azVNet}, Level: Mandatory, Anchors: []string{"CKV2_AZURE_31"},
			Settings: []Setting{{Name: "exemptSubnets", Type: "array", Default: azNSGExemptSubnets, Description: "subnet names that need no network security group"}},
			check: func(c *check) {
				if c.r.Type == azSubnet {
					c.subnetNSG("", c.peek("networkSecurityGroup.id"), func() val {
						if n := c.peek("subnetName"); n.present {
							return c.at("subnetName")
						}
						return c.at("name") // the body's name, when the path's subnetName is not given
					})
					return
				}
				for _, s := range c.at("subnets").items() {
					sn := s
					c.subnetNSG(sn.path+".", sn.sub("networkSecurityGroup.id"), func() val { return c.need(c.r, sn.sub("name")) })
				}
			},
		},
	)
}

// subnetNSG fails a subnet without a network security group unless its name is exempt. The
// name is read (and an unknown one recorded as unverified) only when the subnet has no group.
func (c *check) subnetNSG(prefix string, nsg val, nameOf func() val) {
	if nsg.isSet() {
		return
	}
	name := nameOf()
	if name.unknown {
		return // recorded as unverified when it was read
	}
	for _, e := range c.list("exemptSubnets") {
		if strings.EqualFold(name.str(), e) {
			return
		}
	}
	c.fail("%snetworkSecurityGroup is not set (subnet %s): associate a network security group that denies what is not needed", prefix, show(name))
}
