// Package azurestack is the Azure reference stack: the spec's intent deployed as a
// scalestack:azure:Backend over the primary and (optionally) secondary location, with one
// explicit azure-native provider per location.
//
// Primary active, secondary warm standby: the secondary scale set runs at its minimum, its
// gateway may scale to zero, the database has a geo-secondary there in a failover group
// (customer-managed failover: docs/operations.md has the drill), and Front Door (or, without a
// CDN, Traffic Manager) fails over between the gateways.
//
// Azure-only settings live under scalestack:azure next to the common placement keys (see
// Extra); common keys with no meaning on Azure are rejected, not ignored (see Validate).
package azurestack

import (
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"

	azure "github.com/pulumi/pulumi-azure-native-sdk/v2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/scalestack/scalestack/components/azure/backend"
	"github.com/scalestack/scalestack/components/azure/webtier"
	"github.com/scalestack/scalestack/providers"
	"github.com/scalestack/scalestack/providers/azureregions"
	"github.com/scalestack/scalestack/stacks/spec"
)

// BackendName is the logical name of the stack's Backend; it prefixes every resource name.
const BackendName = "backend"

// Extra are the Azure-only settings under scalestack:azure.
type Extra struct {
	// LoadBalancer is "appgateway" (default: Application Gateway v2) or "standard" (a
	// Standard Load Balancer, TCP only).
	LoadBalancer string `json:"loadBalancer"`
	// CDNKind is "frontdoor" (default and only value: Front Door Standard/Premium; "classic"
	// is refused, Azure no longer creates classic CDN profiles).
	CDNKind string `json:"cdnKind"`
	// CDNSku is the Front Door tier: Standard_AzureFrontDoor (default) or Premium_AzureFrontDoor.
	CDNSku string `json:"cdnSku"`
	// SQLAdminLogin and SQLAdminObjectID name the Microsoft Entra administrator of the SQL
	// servers (a group by default). Required: the servers allow Entra authentication only.
	SQLAdminLogin    string `json:"sqlAdminLogin"`
	SQLAdminObjectID string `json:"sqlAdminObjectId"`
	// SQLAdminPrincipalType is Group, User or Application. Default: Group for a named
	// administrator; for the deploying identity, User when it signed in through the Azure CLI
	// as a user, else Application (a service principal or managed identity, as in CI).
	SQLAdminPrincipalType string `json:"sqlAdminPrincipalType"`
	// TenantID is the Entra tenant of the administrator. Default: the subscription's.
	TenantID string `json:"tenantId"`
	// SubscriptionID pins the providers to one subscription. Default: the credentials'.
	SubscriptionID string `json:"subscriptionId"`
	// SQLSku is the database SKU. Default: HS_Gen5_2 (Hyperscale).
	SQLSku string `json:"sqlSku"`
	// GatewayCertificateSecretID is the Key Vault secret ID of the gateways' HTTPS
	// certificate; GatewayIdentityID the user-assigned identity that can read it (Key Vault
	// and managed identities are not in this build's SDK modules, so both are made outside
	// the stack). Default: none: HTTP-only gateways, which the policy pack flags.
	GatewayCertificateSecretID string `json:"gatewayCertificateSecretId"`
	GatewayIdentityID          string `json:"gatewayIdentityId"`
	// GatewayMaxCapacity bounds each Application Gateway's instances. Default: 10.
	GatewayMaxCapacity int `json:"gatewayMaxCapacity"`
	// WAF turns the Application Gateway WAF policy on. Default: true.
	WAF *bool `json:"waf"`
	// EncryptionAtHost encrypts the web tier's temp disks and caches on the host; it needs
	// the Microsoft.Compute/EncryptionAtHost feature on the subscription. Default: false.
	EncryptionAtHost bool `json:"encryptionAtHost"`
	// SSHPublicKey is the web tier admin's OpenSSH key. Default: none (no SSH login).
	SSHPublicKey string `json:"sshPublicKey"`
	// Image is the web tier's image. Default: Canonical ubuntu-24_04-lts server latest.
	Image *Image `json:"image"`
}

// Image is a Marketplace image reference.
type Image struct {
	Publisher string `json:"publisher"`
	Offer     string `json:"offer"`
	SKU       string `json:"sku"`
	Version   string `json:"version"`
}

// ExtraKeys are the scalestack:azure keys Extra decodes, registered with the spec so that
// misspellings are rejected.
var ExtraKeys = []string{"loadBalancer", "cdnKind", "cdnSku", "sqlAdminLogin", "sqlAdminObjectId", "sqlAdminPrincipalType",
	"tenantId", "subscriptionId", "sqlSku", "gatewayCertificateSecretId", "gatewayIdentityId", "gatewayMaxCapacity", "waf",
	"sshPublicKey", "image", "encryptionAtHost"}

func init() {
	for _, k := range ExtraKeys {
		spec.AzureExtraKeys[k] = true
	}
}

var (
	guidRE = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)
	dayMap = map[string]string{"SUN": "Sunday", "MON": "Monday", "TUE": "Tuesday", "WED": "Wednesday", "THU": "Thursday", "FRI": "Friday", "SAT": "Saturday",
		"0": "Sunday", "1": "Monday", "2": "Tuesday", "3": "Wednesday", "4": "Thursday", "5": "Friday", "6": "Saturday", "7": "Sunday"}
	dayOrder = []string{"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"}
)

// Settings is everything the stack decided from the spec and the raw config.
type Settings struct {
	Extra     Extra
	Schedules []webtier.Schedule
}

// Validate decodes the Azure settings and checks everything Azure-specific, reporting every
// problem at once as a *spec.ConfigError, before any resource is registered. get reads raw
// configuration (to tell keys that are set from defaults); nil means nothing is set.
func Validate(s *spec.Spec, get spec.Getter) (*Settings, error) {
	var problems []string
	bad := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	st := &Settings{}
	e := &st.Extra
	for _, k := range sortedKeys(s.Azure.Extra) {
		if !spec.AzureExtraKeys[k] {
			continue
		}
		raw := s.Azure.Extra[k]
		one, _ := json.Marshal(map[string]json.RawMessage{k: raw})
		if err := json.Unmarshal(one, e); err != nil {
			bad("scalestack:azure.%s: %s is not allowed: %s", k, raw, wantType(k))
		}
	}
	if e.LoadBalancer == "" {
		e.LoadBalancer = "appgateway"
	}
	if e.CDNKind == "" {
		e.CDNKind = "frontdoor"
	}
	if e.SQLSku == "" {
		e.SQLSku = "HS_Gen5_2"
	}
	if e.WAF == nil {
		on := true
		e.WAF = &on
	}
	if e.LoadBalancer != "appgateway" && e.LoadBalancer != "standard" {
		bad("scalestack:azure.loadBalancer: %q is not allowed: want appgateway or standard", e.LoadBalancer)
	}
	switch e.CDNKind {
	case "frontdoor":
	case "classic":
		// https://learn.microsoft.com/azure/cdn/classic-cdn-retirement-faq
		bad("scalestack:azure.cdnKind: \"classic\" is not allowed: Azure no longer creates Azure CDN Standard from Microsoft (classic) profiles (retired for new profiles in 2025): want frontdoor")
	default:
		bad("scalestack:azure.cdnKind: %q is not allowed: want frontdoor", e.CDNKind)
	}
	if e.CDNSku != "" && e.CDNSku != "Standard_AzureFrontDoor" && e.CDNSku != "Premium_AzureFrontDoor" {
		bad("scalestack:azure.cdnSku: %q is not allowed: want Standard_AzureFrontDoor or Premium_AzureFrontDoor", e.CDNSku)
	}
	switch {
	case e.SQLAdminLogin == "" && e.SQLAdminObjectID == "":
		// Default: the identity running `pulumi up` administers the servers (see Build).
	case strings.TrimSpace(e.SQLAdminLogin) == "":
		bad("scalestack:azure.sqlAdminLogin: is required with sqlAdminObjectId: the display name of the Microsoft Entra group (or user) that administers the SQL servers (they allow Entra authentication only, with no SQL password)")
	case !guidRE.MatchString(e.SQLAdminObjectID):
		bad("scalestack:azure.sqlAdminObjectId: %q is not allowed: want the Entra object ID (a GUID) of sqlAdminLogin", e.SQLAdminObjectID)
	}
	if e.SQLAdminPrincipalType != "" && e.SQLAdminPrincipalType != "Group" && e.SQLAdminPrincipalType != "User" && e.SQLAdminPrincipalType != "Application" {
		bad("scalestack:azure.sqlAdminPrincipalType: %q is not allowed: want Group, User or Application", e.SQLAdminPrincipalType)
	}
	for k, v := range map[string]string{"tenantId": e.TenantID, "subscriptionId": e.SubscriptionID} {
		if v != "" && !guidRE.MatchString(v) {
			bad("scalestack:azure.%s: %q is not allowed: want a GUID", k, v)
		}
	}
	if s.Database.ReadReplicas > 0 && !strings.HasPrefix(e.SQLSku, "HS_") {
		bad("scalestack:azure.sqlSku: %q has no named read replicas, but scalestack:database.readReplicas is %d: want a Hyperscale SKU (HS_...) or readReplicas 0", e.SQLSku, s.Database.ReadReplicas)
	}
	if (e.GatewayCertificateSecretID == "") != (e.GatewayIdentityID == "") {
		bad("scalestack:azure.gatewayCertificateSecretId and gatewayIdentityId: set both (the Key Vault secret and the user-assigned identity that reads it) or neither (HTTP only)")
	}
	if e.LoadBalancer == "standard" && e.GatewayCertificateSecretID != "" {
		bad("scalestack:azure.gatewayCertificateSecretId: has no meaning with loadBalancer standard, which does not terminate TLS: want loadBalancer appgateway")
	}
	if e.LoadBalancer == "standard" && set(get, "scalestack:azure", "waf") {
		bad("scalestack:azure.waf: has no meaning with loadBalancer standard (WAF policies attach to Application Gateways): remove it")
	}
	if e.LoadBalancer == "appgateway" && !*e.WAF && s.CDN.Enabled {
		bad("scalestack:azure.waf: false is not allowed with scalestack:cdn.enabled true: the gateways admit only this Front Door through a WAF custom rule on its X-Azure-FDID header: want waf true, or cdn.enabled false")
	}
	if e.GatewayMaxCapacity < 0 || e.GatewayMaxCapacity > 125 {
		bad("scalestack:azure.gatewayMaxCapacity: %d is not allowed: want 1-125", e.GatewayMaxCapacity)
	}
	if e.Image != nil && (e.Image.Publisher == "" || e.Image.Offer == "" || e.Image.SKU == "" || e.Image.Version == "") {
		bad("scalestack:azure.image: %+v is incomplete: want {publisher, offer, sku, version}", *e.Image)
	}

	// Common keys that mean nothing on Azure.
	if set(get, "scalestack:database", "storageGb") {
		bad("scalestack:database.storageGb: has no meaning on Azure: Azure SQL Hyperscale grows storage on its own (up to 128 TB) and the stack sets no fixed size: remove it")
	}
	if e.LoadBalancer == "standard" && set(get, "scalestack:web", "requestsPerInstance") && s.Web.RequestsPerInstance != 0 {
		bad("scalestack:web.requestsPerInstance: has no meaning with scalestack:azure.loadBalancer standard, which exposes no request count: remove it or set it to 0")
	}
	if m := s.Backup.DailyAt[len(s.Backup.DailyAt)-2:]; m != "00" && m != "30" {
		bad("scalestack:backup.dailyAt: %q has no meaning on Azure: Azure Backup schedules start on the hour or half hour: want HH:00 or HH:30", s.Backup.DailyAt)
	}
	for i, sch := range s.Web.Schedules {
		if sch.Name == "default" {
			bad("scalestack:web.schedules[%d].name: \"default\" is taken on Azure (the autoscale setting's base profile): want another name", i)
		}
		ws, err := weekly(sch)
		if err != nil {
			bad("scalestack:web.schedules[%d].cron: %q %v", i, sch.Cron, err)
			continue
		}
		st.Schedules = append(st.Schedules, ws)
	}
	if len(problems) > 0 {
		return nil, &spec.ConfigError{Problems: problems}
	}
	// Everything else the components check, with the backend's own wiring, before any
	// provider exists: the secondary provider is a stand-in that is never registered.
	regions := &azureregions.Regions{PrimaryLocation: s.Azure.PrimaryLocation, SecondaryLocation: s.Azure.SecondaryLocation}
	if s.Azure.SecondaryLocation != "" {
		regions.Secondary = &azure.Provider{}
	}
	check := *st
	if check.Extra.SQLAdminObjectID == "" {
		// The deploying identity is read in Build; check the rest with a well-formed stand-in.
		check.Extra.SQLAdminLogin, check.Extra.SQLAdminObjectID = DeployerAdminLogin, "00000000-0000-0000-0000-000000000000"
	}
	if err := Args(s, &check, regions).Check(); err != nil {
		return nil, &spec.ConfigError{Problems: []string{"scalestack:azure (checked by the Azure components): " + err.Error()}}
	}
	return st, nil
}

func wantType(key string) string {
	switch key {
	case "gatewayMaxCapacity":
		return "want a whole number"
	case "waf", "encryptionAtHost":
		return "want true or false"
	case "image":
		return "want {publisher, offer, sku, version}"
	}
	return "want a string"
}

// set reports whether field is present in the raw JSON object of key.
func set(get spec.Getter, key, field string) bool {
	if get == nil {
		return false
	}
	v, ok := get(key)
	if !ok {
		return false
	}
	var m map[string]json.RawMessage
	if json.Unmarshal([]byte(v), &m) != nil {
		return false
	}
	_, ok = m[field]
	return ok
}

// weekly maps a five-field cron ("M H * * DAYS") onto an Azure autoscale recurrence, which
// recurs weekly: day-of-month and month must be "*".
func weekly(sch spec.Schedule) (webtier.Schedule, error) {
	f := strings.Fields(sch.Cron)
	ws := webtier.Schedule{Name: sch.Name, MinSize: sch.MinSize, DesiredSize: sch.DesiredSize, MaxSize: sch.MaxSize}
	if len(f) != 5 {
		return ws, fmt.Errorf("is not a five-field cron expression")
	}
	m, err1 := strconv.Atoi(f[0])
	h, err2 := strconv.Atoi(f[1])
	if err1 != nil || err2 != nil || m < 0 || m > 59 || h < 0 || h > 23 {
		return ws, fmt.Errorf("has no meaning on Azure: autoscale schedules start at one fixed time: want a single minute and hour, such as \"0 8 * * MON-FRI\"")
	}
	if f[2] != "*" || f[3] != "*" {
		return ws, fmt.Errorf("has no meaning on Azure: autoscale schedules recur weekly, so day of month and month must be \"*\"")
	}
	days, err := cronDays(f[4])
	if err != nil {
		return ws, err
	}
	ws.Hour, ws.Minute, ws.Days = h, m, days
	return ws, nil
}

func cronDays(field string) ([]string, error) {
	if field == "*" {
		return []string{"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}, nil
	}
	index := func(s string) int {
		full, ok := dayMap[strings.ToUpper(s)]
		if !ok {
			return -1
		}
		for i, d := range dayOrder {
			if dayMap[d] == full {
				return i
			}
		}
		return -1
	}
	seen := map[string]bool{}
	var out []string
	for _, part := range strings.Split(field, ",") {
		lo, hi, isRange := strings.Cut(part, "-")
		a, b := index(lo), index(lo)
		if isRange {
			b = index(hi)
			if hi == "7" {
				b = 7
			}
		}
		if a < 0 || b < 0 || b < a {
			return nil, fmt.Errorf("has a day of week Azure cannot use: %q: want names (MON-FRI, SAT,SUN) or numbers 0-7", part)
		}
		for i := a; i <= b; i++ {
			d := dayMap[dayOrder[i%7]]
			if !seen[d] {
				seen[d] = true
				out = append(out, d)
			}
		}
	}
	return out, nil
}

func sortedKeys(m map[string]json.RawMessage) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Args maps a validated spec and its Azure settings onto the Backend's arguments.
func Args(s *spec.Spec, st *Settings, regions *azureregions.Regions) *backend.Args {
	e := st.Extra
	a := &backend.Args{
		PrimaryLocation: s.Azure.PrimaryLocation,
		Web: backend.Web{
			VMSize: s.Azure.VMSize, MinSize: s.Web.MinSize, MaxSize: s.Web.MaxSize, DesiredSize: s.Web.DesiredSize,
			TargetCPUPercent: s.Web.TargetCPUPercent, RequestsPerInstance: s.Web.RequestsPerInstance,
			Schedules: st.Schedules, Port: s.Web.Port, HealthCheckPath: s.Web.HealthCheckPath, SSHPublicKey: e.SSHPublicKey,
			EncryptionAtHost: e.EncryptionAtHost,
		},
		Gateway: backend.Gateway{
			Kind: e.LoadBalancer, CertificateSecretID: e.GatewayCertificateSecretID, IdentityID: e.GatewayIdentityID,
			DisableWAF: !*e.WAF, MaxCapacity: e.GatewayMaxCapacity,
		},
		Database: backend.Database{
			AdminLogin: e.SQLAdminLogin, AdminObjectID: e.SQLAdminObjectID, AdminPrincipalType: e.SQLAdminPrincipalType,
			TenantID: e.TenantID, Name: s.Database.Name, SKUName: e.SQLSku,
			ZoneRedundant: s.Database.HighAvailability, DeletionProtection: s.Database.DeletionProtection,
			ReadReplicas: s.Database.ReadReplicas, GeoSecondary: s.Database.CrossRegionReplica && regions.Secondary != nil,
		},
		CDN: backend.CDN{Enabled: s.CDN.Enabled, Kind: e.CDNKind, SKU: e.CDNSku},
		Queue: backend.Queue{
			Enabled: s.Queue.Enabled, MaxDequeueCount: s.Queue.MaxReceiveCount, RetentionDays: s.Queue.RetentionDays,
			VisibilityTimeoutSeconds: s.Queue.VisibilityTimeoutSeconds,
			WorkersMinSize:           s.Queue.Workers.MinSize, WorkersMaxSize: s.Queue.Workers.MaxSize, BacklogPerWorker: s.Queue.Workers.BacklogPerWorker,
			SubscriptionID: e.SubscriptionID,
		},
		Backup: backend.Backup{
			DailyAt: s.Backup.DailyAt, RetentionDays: max(s.Backup.RetentionDays, 7), WeeklyRetentionDays: s.Backup.WeeklyRetentionDays,
			SQLRetentionDays: s.Database.BackupRetentionDays, Immutable: s.Environment == spec.Prod,
			CopyToSecondary: s.Backup.CopyToSecondary && s.Database.CrossRegionReplica && regions.Secondary != nil,
		},
		AlertEmail: s.Alerts.Email,
		Domain:     s.Domain.Name,
		Tags:       providers.DefaultTags(s.Project, s.Stack, string(s.Environment)),
	}
	if e.Image != nil {
		a.Web.Image = webtier.Image{Publisher: e.Image.Publisher, Offer: e.Image.Offer, SKU: e.Image.SKU, Version: e.Image.Version}
	}
	if regions.Secondary != nil {
		a.SecondaryLocation, a.SecondaryProvider = regions.SecondaryLocation, regions.Secondary
	}
	return a
}

// DeployerAdminLogin is the administrator's display name on the SQL servers when the deploying
// identity administers them (no scalestack:azure.sqlAdminObjectId).
const DeployerAdminLogin = "scalestack-deployer"

// AzureCLIClientID is the application ID of the Azure CLI: getClientConfig reports it as the
// clientId when the deployment signed in with `az login` as a user; a service principal or
// managed identity (CI) reports its own application ID.
const AzureCLIClientID = "04b07795-8ddb-461a-bbee-02f9e1bf7b46"

// DeployerPrincipalType is the SQL administrator principal type of the deploying identity,
// from the clientId getClientConfig reports: "User" for the Azure CLI's own application (a
// person signed in with `az login`), else "Application" (a service principal or managed
// identity). getClientConfig says no more (objectId, clientId, tenantId, subscriptionId), so
// scalestack:azure.sqlAdminPrincipalType overrides it.
func DeployerPrincipalType(clientID string) string {
	if strings.EqualFold(clientID, AzureCLIClientID) {
		return "User"
	}
	return "Application"
}

// clientConfig is the result of azure-native's getClientConfig invoke.
type clientConfig struct {
	ObjectID       string `pulumi:"objectId"`
	TenantID       string `pulumi:"tenantId"`
	SubscriptionID string `pulumi:"subscriptionId"`
	ClientID       string `pulumi:"clientId"`
}

// Build validates the Azure settings, creates the providers and the Backend, logs what it
// left out, and returns the stack outputs.
func Build(ctx *pulumi.Context, s *spec.Spec) (pulumi.Map, error) {
	st, err := Validate(s, func(k string) (string, bool) { return ctx.GetConfig(k) })
	if err != nil {
		return nil, err
	}
	regions, err := azureregions.New(ctx, azureregions.Args{
		Primary: s.Azure.PrimaryLocation, Secondary: s.Azure.SecondaryLocation, SubscriptionID: st.Extra.SubscriptionID,
	})
	if err != nil {
		return nil, err
	}
	var deployerNote, subscription string
	if st.Extra.SQLAdminObjectID == "" {
		// No administrator configured: the identity running the deployment administers the
		// SQL servers, as the Azure portal does. Its object and tenant IDs come from the
		// provider (answered offline by testkit's mocks).
		var who clientConfig
		if err := ctx.Invoke("azure-native:authorization:getClientConfig", nil, &who, pulumi.Provider(regions.Primary)); err != nil {
			return nil, fmt.Errorf("reading the deploying identity (set scalestack:azure.sqlAdminLogin and sqlAdminObjectId to name the SQL administrator instead): %w", err)
		}
		subscription = who.SubscriptionID
		if !guidRE.MatchString(who.ObjectID) {
			return nil, fmt.Errorf("the deploying identity has no Entra object ID (%q): set scalestack:azure.sqlAdminLogin and sqlAdminObjectId", who.ObjectID)
		}
		st.Extra.SQLAdminObjectID, st.Extra.SQLAdminLogin = who.ObjectID, DeployerAdminLogin
		if st.Extra.TenantID == "" {
			st.Extra.TenantID = who.TenantID
		}
		how := "set by scalestack:azure.sqlAdminPrincipalType"
		if st.Extra.SQLAdminPrincipalType == "" {
			st.Extra.SQLAdminPrincipalType = DeployerPrincipalType(who.ClientID)
			how = fmt.Sprintf("derived from the client ID %s; set scalestack:azure.sqlAdminPrincipalType if wrong", who.ClientID)
		}
		deployerNote = fmt.Sprintf("the SQL administrator is the deploying identity (object %s, as %s, %s): name an Entra group with scalestack:azure.sqlAdminLogin and sqlAdminObjectId for shared access", who.ObjectID, st.Extra.SQLAdminPrincipalType, how)
	}
	if subscription == "" && s.Queue.Enabled && st.Extra.SubscriptionID == "" {
		// The queue's role assignments name their roles in the providers' subscription, the
		// deploying identity's when none is pinned, so a preview shows them.
		var who clientConfig
		if err := ctx.Invoke("azure-native:authorization:getClientConfig", nil, &who, pulumi.Provider(regions.Primary)); err != nil {
			return nil, fmt.Errorf("reading the deploying identity's subscription (set scalestack:azure.subscriptionId instead): %w", err)
		}
		subscription = who.SubscriptionID
	}
	args := Args(s, st, regions)
	if args.Queue.SubscriptionID == "" && guidRE.MatchString(subscription) {
		// The deploying identity's subscription (the providers' when none is pinned): the
		// queue's role assignments then name their roles at preview.
		args.Queue.SubscriptionID = subscription
	}
	b, err := backend.New(ctx, BackendName, args, pulumi.Provider(regions.Primary))
	if err != nil {
		return nil, err
	}
	notes := b.Notes
	if deployerNote != "" {
		notes = append(notes, deployerNote)
	}
	if s.Backup.RetentionDays < 7 {
		notes = append(notes, fmt.Sprintf("backup.retentionDays %d is below Azure Backup's minimum for VM backups: the VM policy keeps 7 days", s.Backup.RetentionDays))
	}
	if s.Backup.CopyToSecondary && !(s.Database.CrossRegionReplica && s.Azure.SecondaryLocation != "") {
		notes = append(notes, "backup.copyToSecondary: on Azure it sets the retention policies of the SQL geo-secondary, which needs database.crossRegionReplica; SQL backups stay geo-redundant (Geo/GeoZone) either way")
	}
	for _, n := range notes {
		if err := ctx.Log.Info("scalestack: "+n, nil); err != nil {
			return nil, err
		}
	}
	regionsOut := pulumi.StringMap{"primary": pulumi.String(s.Azure.PrimaryLocation)}
	if s.Azure.SecondaryLocation != "" {
		regionsOut["secondary"] = pulumi.String(s.Azure.SecondaryLocation)
	}
	return pulumi.Map{
		"url":                b.URL,
		"cdnHostName":        b.CDNHostName,
		"gatewayFqdns":       b.GatewayFQDNs,
		"gatewayIps":         b.GatewayIPs,
		"sqlServerFqdns":     b.SQLServerFQDNs,
		"databaseListener":   b.DatabaseListener,
		"trafficManagerFqdn": b.TrafficManagerFQDN,
		"nameServers":        b.NameServers,
		"webIdentities":      b.WebIdentities,
		"queue":              b.Queue,
		"workerIdentity":     b.WorkerIdentity,
		"dashboardUrl":       b.DashboardURL,
		"regions":            regionsOut,
		"notes":              pulumi.ToStringArray(notes),
	}, nil
}
