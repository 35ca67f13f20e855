// Package gateway creates the public entry point of one Azure region's web tier: an
// Application Gateway v2 (zone-redundant, autoscaling, HTTPS listener with a Key Vault
// certificate, HTTP→HTTPS redirect, health probe, WAF policy in prevention mode unless
// turned off) or, for plain TCP, a Standard Load Balancer with an HTTP probe.
//
// Without a certificate the Application Gateway serves HTTP only (an honest dev mode: the
// HTTPS output is false, and the policy pack flags it). Azure Key Vault is not among the
// SDK modules this project builds with, and neither is managed identity, so the certificate
// is given as a Key Vault secret ID together with the resource ID of a user-assigned identity
// that may read it; both come from configuration.
//
// Behind Azure Front Door (FrontDoorID set), the WAF policy's first custom rule blocks every
// request whose X-Azure-FDID header is not that Front Door profile's ID, so neither clients
// nor other Front Door profiles (the AzureFrontDoor.Backend service tag the network admits
// covers every customer's) can skip the CDN and its WAF.
//
// The gateway's own sub-resource IDs (frontends, pools, listeners) are built from the
// resource group's ID output and the gateway's fixed name, as ARM requires; the public IP's
// DNS label is derived from the resource group ID, so it is unique and stable.
package gateway

import (
	"crypto/sha256"
	"fmt"
	"regexp"
	"strings"

	"github.com/pulumi/pulumi-azure-native-sdk/network/v2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/scalestack/scalestack/providers"
	"github.com/scalestack/scalestack/providers/azureregions"
)

// typeToken is part of every child's URN: changing it needs pulumi.Aliases.
const typeToken = "scalestack:azure:Gateway"

// Kinds of gateway.
const (
	// KindAppGateway is an Application Gateway v2 (layer 7, TLS termination, WAF).
	KindAppGateway = "appgateway"
	// KindStandardLB is a Standard Load Balancer (layer 4, TCP).
	KindStandardLB = "standard"
)

// Args configures a Gateway. Zero values mean the documented default.
type Args struct {
	// Kind is "appgateway" (default) or "standard".
	Kind string
	// Location is the Azure location ("eastus2"). Required.
	Location string
	// ResourceGroupName and ResourceGroupID identify the resource group. Required.
	ResourceGroupName pulumi.StringInput
	ResourceGroupID   pulumi.StringInput
	// SubnetID is the dedicated gateway subnet (Application Gateway only). Required for appgateway.
	SubnetID pulumi.StringInput
	// BackendPort is the port the web tier serves HTTP on. Default: 8080.
	BackendPort int
	// HealthCheckPath is the probed path. Default: /healthz.
	HealthCheckPath string
	// CertificateSecretID is the Key Vault secret ID of the HTTPS certificate
	// ("https://<vault>.vault.azure.net/secrets/<name>"). Default: none: HTTP only.
	CertificateSecretID string
	// IdentityID is the resource ID of a user-assigned identity allowed to read the
	// certificate secret. Required with CertificateSecretID.
	IdentityID string
	// HostName restricts the HTTPS listener to one host name. Default: any host.
	HostName string
	// DisableWAF turns the WAF policy (OWASP 3.2, prevention mode) off. Default: false.
	DisableWAF bool
	// FrontDoorID is the ID (the frontDoorId output, a GUID) of the Front Door profile in
	// front of the gateway: requests whose X-Azure-FDID header differs are blocked. Needs the
	// WAF. Default: none (no check: the gateway serves clients directly).
	FrontDoorID pulumi.StringInput
	// MinCapacity and MaxCapacity bound the gateway's autoscaling instances.
	// Default: 1 and 10. Allowed: 0-125, MinCapacity <= MaxCapacity.
	MinCapacity, MaxCapacity int
	// Zones are the zones the gateway and its IP span. Default: 1, 2, 3.
	Zones []string
	// Tags are added to every child, under the per-child "tier" tag.
	Tags map[string]string
}

type resolved struct{ Args }

var (
	locationRE = regexp.MustCompile(`^[a-z]+[a-z0-9]*$`)
	secretRE   = regexp.MustCompile(`^https://[a-z0-9-]{3,24}\.vault\.azure\.(net|us|cn)/secrets/[A-Za-z0-9-]+(/[0-9a-f]{32})?$`)
	identityRE = regexp.MustCompile(`(?i)^/subscriptions/[0-9a-f-]{36}/resourceGroups/[^/]+/providers/Microsoft\.ManagedIdentity/userAssignedIdentities/[^/]+$`)
)

// Validate checks args (with the defaults applied) without registering anything.
func (a *Args) Validate() error {
	_, err := a.resolve()
	return err
}

func (a *Args) resolve() (*resolved, error) {
	if a == nil {
		return nil, fmt.Errorf("args are required: want Location, ResourceGroupName, ResourceGroupID and SubnetID")
	}
	r := &resolved{*a}
	if r.Kind == "" {
		r.Kind = KindAppGateway
	}
	if r.BackendPort == 0 {
		r.BackendPort = 8080
	}
	if r.HealthCheckPath == "" {
		r.HealthCheckPath = "/healthz"
	}
	if r.MinCapacity == 0 && r.MaxCapacity == 0 {
		r.MinCapacity, r.MaxCapacity = 1, 10
	}
	if r.Zones == nil {
		r.Zones = []string{"1", "2", "3"}
	}
	switch {
	case r.Kind != KindAppGateway && r.Kind != KindStandardLB:
		return nil, fmt.Errorf("Kind %q is not allowed: want %q or %q", r.Kind, KindAppGateway, KindStandardLB)
	case !locationRE.MatchString(r.Location):
		return nil, fmt.Errorf("Location %q is not an Azure location: want a name such as eastus2", r.Location)
	case r.ResourceGroupName == nil || r.ResourceGroupID == nil:
		return nil, fmt.Errorf("ResourceGroupName and ResourceGroupID are required")
	case r.Kind == KindAppGateway && r.SubnetID == nil:
		return nil, fmt.Errorf("SubnetID is required for an Application Gateway: its dedicated subnet")
	case r.BackendPort < 1 || r.BackendPort > 65535:
		return nil, fmt.Errorf("BackendPort %d is not allowed: want 1-65535", r.BackendPort)
	case !strings.HasPrefix(r.HealthCheckPath, "/"):
		return nil, fmt.Errorf("HealthCheckPath %q is not allowed: want a path starting with \"/\"", r.HealthCheckPath)
	case r.CertificateSecretID != "" && !secretRE.MatchString(r.CertificateSecretID):
		return nil, fmt.Errorf("CertificateSecretID %q is not a Key Vault secret ID: want https://<vault>.vault.azure.net/secrets/<name>[/<version>]", r.CertificateSecretID)
	case r.CertificateSecretID != "" && !identityRE.MatchString(r.IdentityID):
		return nil, fmt.Errorf("IdentityID %q is not a user-assigned identity's resource ID: want /subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.ManagedIdentity/userAssignedIdentities/<name>, which can read the certificate", r.IdentityID)
	case r.FrontDoorID != nil && (r.Kind != KindAppGateway || r.DisableWAF):
		return nil, fmt.Errorf("FrontDoorID is set but the X-Azure-FDID check is a WAF custom rule: want Kind %q with the WAF on", KindAppGateway)
	case r.CertificateSecretID == "" && r.IdentityID != "":
		return nil, fmt.Errorf("IdentityID is set without CertificateSecretID: want both or neither")
	case r.Kind == KindStandardLB && r.CertificateSecretID != "":
		return nil, fmt.Errorf("CertificateSecretID is set for a Standard Load Balancer, which does not terminate TLS: want Kind %q", KindAppGateway)
	case r.MinCapacity < 0 || r.MaxCapacity > 125 || r.MaxCapacity < max(r.MinCapacity, 1):
		return nil, fmt.Errorf("capacity %d-%d is not allowed: want 0 <= MinCapacity <= MaxCapacity <= 125, MaxCapacity at least 1", r.MinCapacity, r.MaxCapacity)
	}
	for _, z := range r.Zones {
		if z != "1" && z != "2" && z != "3" {
			return nil, fmt.Errorf("Zones %q is not allowed: want a subset of \"1\", \"2\", \"3\"", r.Zones)
		}
	}
	return r, nil
}

// HTTPS reports whether the resolved gateway terminates HTTPS.
func (r *resolved) HTTPS() bool { return r.CertificateSecretID != "" }

// Gateway is the region's public entry point.
type Gateway struct {
	pulumi.ResourceState

	// PublicIP is the gateway's public IPv4 address.
	PublicIP pulumi.StringOutput `pulumi:"publicIp"`
	// FQDN is the public IP's DNS name (<label>.<location>.cloudapp.azure.com).
	FQDN pulumi.StringOutput `pulumi:"fqdn"`
	// PublicIPID is the public IP's ARM ID (a Traffic Manager endpoint target).
	PublicIPID pulumi.StringOutput `pulumi:"publicIpId"`
	// ID is the Application Gateway's or load balancer's ARM ID (for metrics and alerts).
	ID pulumi.StringOutput `pulumi:"id"`
	// BackendPoolID is the backend pool the web tier joins.
	BackendPoolID pulumi.StringOutput `pulumi:"backendPoolId"`

	// Kind is the resolved kind; HTTPS reports whether it terminates HTTPS.
	Kind  string
	HTTPS bool
}

// New validates args, applies defaults and registers the gateway.
func New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*Gateway, error) {
	a, err := args.resolve()
	if err != nil {
		return nil, fmt.Errorf("gateway %q: %w", name, err)
	}
	g := &Gateway{Kind: a.Kind, HTTPS: a.HTTPS()}
	if err := ctx.RegisterComponentResource(typeToken, name, g, opts...); err != nil {
		return nil, err
	}
	parent := pulumi.Parent(g)
	tags := azureregions.Tags(providers.Tags(a.Tags), map[string]string{"tier": "gateway"})
	zones := pulumi.ToStringArray(a.Zones)
	if len(a.Zones) == 0 {
		zones = nil
	}

	rgID := a.ResourceGroupID.ToStringOutput()
	label := rgID.ApplyT(func(id string) string {
		return dnsLabel(name, id)
	}).(pulumi.StringOutput)
	fqdn := FQDN(name, a.Location, rgID)
	ip, err := network.NewPublicIPAddress(ctx, name+"-ip", &network.PublicIPAddressArgs{
		ResourceGroupName:        a.ResourceGroupName,
		Location:                 pulumi.String(a.Location),
		Sku:                      &network.PublicIPAddressSkuArgs{Name: pulumi.String("Standard"), Tier: pulumi.String("Regional")},
		PublicIPAllocationMethod: pulumi.String("Static"),
		PublicIPAddressVersion:   pulumi.String("IPv4"),
		Zones:                    zones,
		DnsSettings:              &network.PublicIPAddressDnsSettingsArgs{DomainNameLabel: label},
		Tags:                     tags,
	}, parent)
	if err != nil {
		return nil, fmt.Errorf("creating public IP: %w", err)
	}

	if a.Kind == KindStandardLB {
		err = g.loadBalancer(ctx, name, a, rgID, ip, tags, parent)
	} else {
		err = g.appGateway(ctx, name, a, rgID, ip, zones, tags, parent)
	}
	if err != nil {
		return nil, err
	}
	g.PublicIP = ip.IpAddress.Elem()
	g.PublicIPID = ip.ID().ToStringOutput()
	g.FQDN = fqdn
	return g, ctx.RegisterResourceOutputs(g, pulumi.Map{
		"publicIp":      g.PublicIP,
		"fqdn":          g.FQDN,
		"publicIpId":    g.PublicIPID,
		"id":            g.ID,
		"backendPoolId": g.BackendPoolID,
	})
}

// FQDN is the DNS name New gives the public IP of the gateway called name in location, whose
// resource group has the ID resourceGroupID (<label>.<location>.cloudapp.azure.com). A caller
// that needs it before the gateway exists (a Front Door whose profile ID the gateway's WAF
// checks) takes it from here.
func FQDN(name, location string, resourceGroupID pulumi.StringInput) pulumi.StringOutput {
	return resourceGroupID.ToStringOutput().ApplyT(func(id string) string {
		return fmt.Sprintf("%s.%s.cloudapp.azure.com", dnsLabel(name, id), location)
	}).(pulumi.StringOutput)
}

// dnsLabel is name plus 8 hex digits of the resource group ID: unique per subscription and
// resource group, stable across runs, at most 63 characters.
func dnsLabel(name, rgID string) string {
	sum := sha256.Sum256([]byte(rgID))
	base := strings.Trim(regexp.MustCompile(`[^a-z0-9-]`).ReplaceAllString(strings.ToLower(name), "-"), "-")
	if len(base) > 54 {
		base = base[:54]
	}
	return fmt.Sprintf("%s-%x", base, sum[:4])
}

func (g *Gateway) appGateway(ctx *pulumi.Context, name string, a *resolved, rgID pulumi.StringOutput, ip *network.PublicIPAddress, zones pulumi.StringArray, tags pulumi.StringMap, parent pulumi.ResourceOption) error {
	gwID := pulumi.Sprintf("%s/providers/Microsoft.Network/applicationGateways/%s", rgID, name)
	sub := func(kind, child string) *network.SubResourceArgs {
		return &network.SubResourceArgs{Id: pulumi.Sprintf("%s/%s/%s", gwID, kind, child)}
	}
	sku := "Standard_v2"
	var firewall *network.SubResourceArgs
	if !a.DisableWAF {
		sku = "WAF_v2"
		waf, err := network.NewWebApplicationFirewallPolicy(ctx, name+"-waf", &network.WebApplicationFirewallPolicyArgs{
			ResourceGroupName: a.ResourceGroupName,
			Location:          pulumi.String(a.Location),
			ManagedRules: &network.ManagedRulesDefinitionArgs{ManagedRuleSets: network.ManagedRuleSetArray{
				&network.ManagedRuleSetArgs{RuleSetType: pulumi.String("OWASP"), RuleSetVersion: pulumi.String("3.2")},
			}},
			PolicySettings: &network.PolicySettingsArgs{
				Mode:                   pulumi.String("Prevention"),
				State:                  pulumi.String("Enabled"),
				RequestBodyCheck:       pulumi.Bool(true),
				MaxRequestBodySizeInKb: pulumi.Int(128),
				FileUploadLimitInMb:    pulumi.Int(100),
			},
			CustomRules: frontDoorOnly(a.FrontDoorID),
			Tags:        tags,
		}, parent)
		if err != nil {
			return fmt.Errorf("creating WAF policy: %w", err)
		}
		firewall = &network.SubResourceArgs{Id: waf.ID()}
	}

	ports := network.ApplicationGatewayFrontendPortArray{
		&network.ApplicationGatewayFrontendPortArgs{Name: pulumi.String("http"), Port: pulumi.Int(80)},
	}
	listeners := network.ApplicationGatewayHttpListenerArray{
		&network.ApplicationGatewayHttpListenerArgs{
			Name:                    pulumi.String("http"),
			Protocol:                pulumi.String("Http"),
			FrontendIPConfiguration: sub("frontendIPConfigurations", "public"),
			FrontendPort:            sub("frontendPorts", "http"),
		},
	}
	routeToBackend := &network.ApplicationGatewayRequestRoutingRuleArgs{
		Name:                pulumi.String("http-to-web"),
		RuleType:            pulumi.String("Basic"),
		Priority:            pulumi.Int(100),
		HttpListener:        sub("httpListeners", "http"),
		BackendAddressPool:  sub("backendAddressPools", "web"),
		BackendHttpSettings: sub("backendHttpSettingsCollection", "web"),
	}
	rules := network.ApplicationGatewayRequestRoutingRuleArray{routeToBackend}
	var (
		certs     network.ApplicationGatewaySslCertificateArray
		redirects network.ApplicationGatewayRedirectConfigurationArray
		identity  *network.ManagedServiceIdentityArgs
	)
	if a.HTTPS() {
		ports = append(ports, &network.ApplicationGatewayFrontendPortArgs{Name: pulumi.String("https"), Port: pulumi.Int(443)})
		https := &network.ApplicationGatewayHttpListenerArgs{
			Name:                    pulumi.String("https"),
			Protocol:                pulumi.String("Https"),
			FrontendIPConfiguration: sub("frontendIPConfigurations", "public"),
			FrontendPort:            sub("frontendPorts", "https"),
			SslCertificate:          sub("sslCertificates", "tls"),
		}
		if a.HostName != "" {
			https.HostName = pulumi.String(a.HostName)
			https.RequireServerNameIndication = pulumi.Bool(true)
		}
		listeners = append(listeners, https)
		certs = network.ApplicationGatewaySslCertificateArray{&network.ApplicationGatewaySslCertificateArgs{
			Name:             pulumi.String("tls"),
			KeyVaultSecretId: pulumi.String(a.CertificateSecretID),
		}}
		identity = &network.ManagedServiceIdentityArgs{
			Type:                   network.ResourceIdentityTypeUserAssigned,
			UserAssignedIdentities: pulumi.StringArray{pulumi.String(a.IdentityID)},
		}
		redirects = network.ApplicationGatewayRedirectConfigurationArray{&network.ApplicationGatewayRedirectConfigurationArgs{
			Name:               pulumi.String("http-to-https"),
			RedirectType:       pulumi.String("Permanent"),
			TargetListener:     sub("httpListeners", "https"),
			IncludePath:        pulumi.Bool(true),
			IncludeQueryString: pulumi.Bool(true),
		}}
		routeToBackend.Name = pulumi.String("https-to-web")
		routeToBackend.HttpListener = sub("httpListeners", "https")
		rules = append(rules, &network.ApplicationGatewayRequestRoutingRuleArgs{
			Name:                  pulumi.String("http-redirect"),
			RuleType:              pulumi.String("Basic"),
			Priority:              pulumi.Int(200),
			HttpListener:          sub("httpListeners", "http"),
			RedirectConfiguration: sub("redirectConfigurations", "http-to-https"),
		})
	}

	gw, err := network.NewApplicationGateway(ctx, name, &network.ApplicationGatewayArgs{
		ApplicationGatewayName: pulumi.String(name),
		ResourceGroupName:      a.ResourceGroupName,
		Location:               pulumi.String(a.Location),
		Zones:                  zones,
		Sku:                    &network.ApplicationGatewaySkuArgs{Name: pulumi.String(sku), Tier: pulumi.String(sku)},
		AutoscaleConfiguration: &network.ApplicationGatewayAutoscaleConfigurationArgs{MinCapacity: pulumi.Int(a.MinCapacity), MaxCapacity: pulumi.Int(a.MaxCapacity)},
		EnableHttp2:            pulumi.Bool(true),
		FirewallPolicy:         firewall,
		Identity:               identity,
		SslPolicy: &network.ApplicationGatewaySslPolicyArgs{
			PolicyType: pulumi.String("Predefined"),
			PolicyName: pulumi.String("AppGwSslPolicy20220101S"),
		},
		GatewayIPConfigurations: network.ApplicationGatewayIPConfigurationArray{&network.ApplicationGatewayIPConfigurationArgs{
			Name: pulumi.String("gateway"), Subnet: &network.SubResourceArgs{Id: a.SubnetID},
		}},
		FrontendIPConfigurations: network.ApplicationGatewayFrontendIPConfigurationArray{&network.ApplicationGatewayFrontendIPConfigurationArgs{
			Name: pulumi.String("public"), PublicIPAddress: &network.SubResourceArgs{Id: ip.ID()},
		}},
		FrontendPorts:       ports,
		BackendAddressPools: network.ApplicationGatewayBackendAddressPoolArray{&network.ApplicationGatewayBackendAddressPoolArgs{Name: pulumi.String("web")}},
		Probes: network.ApplicationGatewayProbeArray{&network.ApplicationGatewayProbeArgs{
			Name:               pulumi.String("health"),
			Protocol:           pulumi.String("Http"),
			Host:               pulumi.String("127.0.0.1"),
			Path:               pulumi.String(a.HealthCheckPath),
			Interval:           pulumi.Int(15),
			Timeout:            pulumi.Int(10),
			UnhealthyThreshold: pulumi.Int(3),
			Match:              &network.ApplicationGatewayProbeHealthResponseMatchArgs{StatusCodes: pulumi.StringArray{pulumi.String("200-399")}},
		}},
		BackendHttpSettingsCollection: network.ApplicationGatewayBackendHttpSettingsArray{&network.ApplicationGatewayBackendHttpSettingsArgs{
			Name:                pulumi.String("web"),
			Port:                pulumi.Int(a.BackendPort),
			Protocol:            pulumi.String("Http"),
			CookieBasedAffinity: pulumi.String("Disabled"),
			RequestTimeout:      pulumi.Int(30),
			Probe:               sub("probes", "health"),
		}},
		HttpListeners:          listeners,
		SslCertificates:        certs,
		RedirectConfigurations: redirects,
		RequestRoutingRules:    rules,
		Tags:                   tags,
	}, parent)
	if err != nil {
		return fmt.Errorf("creating application gateway: %w", err)
	}
	g.ID = gw.ID().ToStringOutput()
	g.BackendPoolID = pulumi.Sprintf("%s/backendAddressPools/web", gw.ID())
	return nil
}

// frontDoorOnly is the WAF custom rule that blocks requests whose X-Azure-FDID header is not
// frontDoorID ("" header included), evaluated before the managed rules; nil without a Front
// Door.
func frontDoorOnly(frontDoorID pulumi.StringInput) network.WebApplicationFirewallCustomRuleArray {
	if frontDoorID == nil {
		return nil
	}
	return network.WebApplicationFirewallCustomRuleArray{&network.WebApplicationFirewallCustomRuleArgs{
		Name:     pulumi.String("RequireOurFrontDoor"),
		Priority: pulumi.Int(1),
		RuleType: pulumi.String("MatchRule"),
		Action:   pulumi.String("Block"),
		State:    pulumi.String("Enabled"),
		MatchConditions: network.MatchConditionArray{&network.MatchConditionArgs{
			MatchVariables: network.MatchVariableArray{&network.MatchVariableArgs{
				VariableName: pulumi.String("RequestHeaders"),
				Selector:     pulumi.String("X-Azure-FDID"),
			}},
			Operator:         pulumi.String("Equal"),
			NegationConditon: pulumi.Bool(true),
			MatchValues:      pulumi.StringArray{frontDoorID.ToStringOutput().ApplyT(strings.ToLower).(pulumi.StringOutput)},
			Transforms:       pulumi.StringArray{pulumi.String("Lowercase")},
		}},
	}}
}

func (g *Gateway) loadBalancer(ctx *pulumi.Context, name string, a *resolved, rgID pulumi.StringOutput, ip *network.PublicIPAddress, tags pulumi.StringMap, parent pulumi.ResourceOption) error {
	lbID := pulumi.Sprintf("%s/providers/Microsoft.Network/loadBalancers/%s", rgID, name)
	sub := func(kind, child string) *network.SubResourceArgs {
		return &network.SubResourceArgs{Id: pulumi.Sprintf("%s/%s/%s", lbID, kind, child)}
	}
	lb, err := network.NewLoadBalancer(ctx, name, &network.LoadBalancerArgs{
		LoadBalancerName:  pulumi.String(name),
		ResourceGroupName: a.ResourceGroupName,
		Location:          pulumi.String(a.Location),
		Sku:               &network.LoadBalancerSkuArgs{Name: pulumi.String("Standard"), Tier: pulumi.String("Regional")},
		FrontendIPConfigurations: network.FrontendIPConfigurationArray{&network.FrontendIPConfigurationArgs{
			Name: pulumi.String("public"), PublicIPAddress: &network.PublicIPAddressTypeArgs{Id: ip.ID()},
		}},
		BackendAddressPools: network.BackendAddressPoolArray{&network.BackendAddressPoolArgs{Name: pulumi.String("web")}},
		Probes: network.ProbeArray{&network.ProbeArgs{
			Name:              pulumi.String("health"),
			Protocol:          pulumi.String("Http"),
			Port:              pulumi.Int(a.BackendPort),
			RequestPath:       pulumi.String(a.HealthCheckPath),
			IntervalInSeconds: pulumi.Int(15),
			NumberOfProbes:    pulumi.Int(2),
		}},
		LoadBalancingRules: network.LoadBalancingRuleArray{&network.LoadBalancingRuleArgs{
			Name:                    pulumi.String("http"),
			Protocol:                pulumi.String("Tcp"),
			FrontendPort:            pulumi.Int(80),
			BackendPort:             pulumi.Int(a.BackendPort),
			FrontendIPConfiguration: sub("frontendIPConfigurations", "public"),
			BackendAddressPool:      sub("backendAddressPools", "web"),
			Probe:                   sub("probes", "health"),
			EnableTcpReset:          pulumi.Bool(true),
			IdleTimeoutInMinutes:    pulumi.Int(4),
		}},
		Tags: tags,
	}, parent)
	if err != nil {
		return fmt.Errorf("creating load balancer: %w", err)
	}
	g.ID = lb.ID().ToStringOutput()
	g.BackendPoolID = pulumi.Sprintf("%s/backendAddressPools/web", lb.ID())
	return nil
}
