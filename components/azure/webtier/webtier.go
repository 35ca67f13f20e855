// Package webtier creates the autoscaled web tier of one Azure region: a Linux virtual machine
// scale set spread over availability zones, with rolling upgrades and automatic repairs driven
// by the Application Health extension probing the health path, behind an Application Gateway
// or Standard Load Balancer backend pool; and an insights.AutoscaleSetting with CPU-based
// scale-out and scale-in rules, a request-based rule when an Application Gateway is given
// (its AvgRequestCountPerHealthyHost metric), and optional weekly schedules.
//
// Instances have no public address, boot a Gen2 image by publisher/offer/SKU/version with
// Trusted Launch (secure boot, vTPM), encrypted managed disks, password login disabled, and a
// cloud-init that serves the health path with the image's own python3, so probes turn healthy
// without downloading anything. The scale set has a system-assigned managed identity
// (PrincipalID) so the application signs in to Entra-only Azure SQL without a secret.
//
// The autoscale setting owns the instance count: the scale set's sku.capacity is DesiredSize
// at creation and ignored afterwards (pulumi.IgnoreChanges), so an update never resets it.
package webtier

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"regexp"
	"strings"

	"github.com/pulumi/pulumi-azure-native-sdk/compute/v2"
	"github.com/pulumi/pulumi-azure-native-sdk/insights/v2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"golang.org/x/crypto/ssh"

	"github.com/scalestack/scalestack/providers"
	"github.com/scalestack/scalestack/providers/azureregions"
)

// typeToken is part of every child's URN: changing it needs pulumi.Aliases.
const typeToken = "scalestack:azure:WebTier"

// Image is a Marketplace image named by publisher, offer, SKU and version (no lookup at
// preview time). It must be a Generation 2 image (Trusted Launch).
type Image struct {
	Publisher, Offer, SKU, Version string
}

// DefaultImage is Ubuntu Server 24.04 LTS (Gen2), latest version.
var DefaultImage = Image{Publisher: "Canonical", Offer: "ubuntu-24_04-lts", SKU: "server", Version: "latest"}

// Schedule is a weekly capacity change: from Days at Hour:Minute (UTC) the capacity is
// MinSize..MaxSize starting at DesiredSize, until the next schedule starts.
type Schedule struct {
	// Name identifies the schedule (an autoscale profile name). Required, unique.
	Name string
	// Days are the weekdays ("Monday" ... "Sunday"). Required.
	Days []string
	// Hour (0-23) and Minute (0-59) in UTC.
	Hour, Minute int
	// MinSize, DesiredSize and MaxSize are the capacity. Allowed: 0 <= min <= desired <= max.
	MinSize, DesiredSize, MaxSize int
}

// Args configures a WebTier. Zero values mean the documented default.
type Args struct {
	// Location is the Azure location of the scale set ("eastus2"). Required.
	Location string
	// ResourceGroupName is the resource group of every child. Required.
	ResourceGroupName pulumi.StringInput
	// SubnetID is the web subnet the instances' NICs join. Required.
	SubnetID pulumi.StringInput
	// AppGatewayBackendPoolID joins the instances to an Application Gateway backend pool.
	AppGatewayBackendPoolID pulumi.StringInput
	// LoadBalancerBackendPoolID joins the instances to a Standard Load Balancer backend pool.
	LoadBalancerBackendPoolID pulumi.StringInput
	// AppGatewayID enables the request-based autoscale rule on the gateway's
	// AvgRequestCountPerHealthyHost metric. Default: none (no request rule).
	AppGatewayID pulumi.StringInput
	// VMSize is the instance size. Default: Standard_B2s.
	VMSize string
	// Image is the boot image. Default: DefaultImage.
	Image Image
	// Zones are the availability zones the instances are spread over. Default: 1, 2, 3.
	// Allowed: a subset of "1", "2", "3".
	Zones []string
	// MinSize is the fewest instances. Default: 1. Allowed: 0-1000.
	MinSize int
	// MaxSize is the most instances. Default: max(3, MinSize). Allowed: MinSize-1000.
	MaxSize int
	// DesiredSize is the capacity the scale set is created with and the autoscale default
	// profile's default. Later changes reach the autoscale setting only: the scale set's own
	// capacity is never updated (the autoscaler owns it). Default: MinSize.
	DesiredSize int
	// TargetCPUPercent: above it the tier scales out by one, below TargetCPUPercent-20 (at
	// least 5) it scales in by one. Default: 55. Allowed: 10-90.
	TargetCPUPercent int
	// RequestsPerInstance is the gateway requests per healthy instance per minute above which
	// the tier scales out (and below half of which it scales in). Default: 1000 when
	// AppGatewayID is set. 0 keeps the default; the rule exists only with AppGatewayID.
	RequestsPerInstance int
	// Schedules are optional weekly capacity changes.
	Schedules []Schedule
	// Port is the HTTP port the instances serve on. Default: 8080.
	Port int
	// HealthCheckPath is the path probed by the gateway and the health extension.
	// Default: /healthz.
	HealthCheckPath string
	// AdminUsername is the Linux admin. Default: azureuser.
	AdminUsername string
	// SSHPublicKey is the admin's OpenSSH public key. Default: a fresh Ed25519 key whose
	// private half is discarded (no SSH login; use Run Command or the serial console); it is
	// ignored on later updates, so it does not churn the scale set.
	SSHPublicKey string
	// EncryptionAtHost also encrypts temp disks and caches on the host. It needs the
	// Microsoft.Compute/EncryptionAtHost feature registered on the subscription. Default: false
	// (managed disks are encrypted at rest either way).
	EncryptionAtHost bool
	// CloudInit replaces the default cloud-init, which serves HealthCheckPath and "/" on Port.
	CloudInit string
	// Tags are added to every child, under the per-child "tier" tag.
	Tags map[string]string
}

type resolved struct {
	Args
	generatedKey bool
}

var (
	locationRE = regexp.MustCompile(`^[a-z]+[a-z0-9]*$`)
	nameRE     = regexp.MustCompile(`^[a-z][a-z0-9-]{0,30}$`)
	weekdays   = map[string]bool{"Monday": true, "Tuesday": true, "Wednesday": true, "Thursday": true, "Friday": true, "Saturday": true, "Sunday": true}
)

// Validate checks args (with the defaults applied) without registering anything.
func (a *Args) Validate() error {
	_, err := a.resolve()
	return err
}

// resolve applies the defaults and validates; it registers nothing (it may generate the
// throwaway SSH key).
func (a *Args) resolve() (*resolved, error) {
	if a == nil {
		return nil, fmt.Errorf("args are required: want Location, ResourceGroupName and SubnetID")
	}
	r := &resolved{Args: *a}
	if r.VMSize == "" {
		r.VMSize = "Standard_B2s"
	}
	if r.Image == (Image{}) {
		r.Image = DefaultImage
	}
	if r.Zones == nil {
		r.Zones = []string{"1", "2", "3"}
	}
	if r.MaxSize == 0 {
		r.MaxSize = max(3, r.MinSize)
	}
	if r.DesiredSize == 0 {
		r.DesiredSize = r.MinSize
	}
	if r.TargetCPUPercent == 0 {
		r.TargetCPUPercent = 55
	}
	if r.RequestsPerInstance == 0 {
		r.RequestsPerInstance = 1000
	}
	if r.Port == 0 {
		r.Port = 8080
	}
	if r.HealthCheckPath == "" {
		r.HealthCheckPath = "/healthz"
	}
	if r.AdminUsername == "" {
		r.AdminUsername = "azureuser"
	}
	switch {
	case !locationRE.MatchString(r.Location):
		return nil, fmt.Errorf("Location %q is not an Azure location: want a name such as eastus2", r.Location)
	case r.ResourceGroupName == nil:
		return nil, fmt.Errorf("ResourceGroupName is required")
	case r.SubnetID == nil:
		return nil, fmt.Errorf("SubnetID is required: the web subnet's ID")
	case r.AppGatewayBackendPoolID != nil && r.LoadBalancerBackendPoolID != nil:
		return nil, fmt.Errorf("AppGatewayBackendPoolID and LoadBalancerBackendPoolID are both set: want at most one")
	case !strings.HasPrefix(r.VMSize, "Standard_"):
		return nil, fmt.Errorf("VMSize %q is not an Azure VM size: want a size such as Standard_B2s", r.VMSize)
	case r.Image.Publisher == "" || r.Image.Offer == "" || r.Image.SKU == "" || r.Image.Version == "":
		return nil, fmt.Errorf("Image %+v is incomplete: want Publisher, Offer, SKU and Version", r.Image)
	case r.MinSize < 0 || r.MinSize > 1000:
		return nil, fmt.Errorf("MinSize %d is not allowed: want 0-1000", r.MinSize)
	case r.MaxSize < r.MinSize || r.MaxSize > 1000:
		return nil, fmt.Errorf("MaxSize %d is not allowed: want MinSize (%d) to 1000", r.MaxSize, r.MinSize)
	case r.DesiredSize < r.MinSize || r.DesiredSize > r.MaxSize:
		return nil, fmt.Errorf("DesiredSize %d is not allowed: want MinSize..MaxSize (%d..%d)", r.DesiredSize, r.MinSize, r.MaxSize)
	case r.TargetCPUPercent < 10 || r.TargetCPUPercent > 90:
		return nil, fmt.Errorf("TargetCPUPercent %d is not allowed: want 10-90", r.TargetCPUPercent)
	case r.RequestsPerInstance < 0:
		return nil, fmt.Errorf("RequestsPerInstance %d is not allowed: want a positive number", r.RequestsPerInstance)
	case r.Port < 1 || r.Port > 65535:
		return nil, fmt.Errorf("Port %d is not allowed: want 1-65535", r.Port)
	case !strings.HasPrefix(r.HealthCheckPath, "/") || strings.ContainsAny(r.HealthCheckPath, " ?#'\"\\"):
		return nil, fmt.Errorf("HealthCheckPath %q is not allowed: want a plain path starting with \"/\"", r.HealthCheckPath)
	}
	for _, z := range r.Zones {
		if z != "1" && z != "2" && z != "3" {
			return nil, fmt.Errorf("Zones %q is not allowed: want a subset of \"1\", \"2\", \"3\" (or empty for a region without zones)", r.Zones)
		}
	}
	seen := map[string]bool{"default": true}
	for i, s := range r.Schedules {
		at := fmt.Sprintf("Schedules[%d]", i)
		switch {
		case !nameRE.MatchString(s.Name) || seen[s.Name]:
			return nil, fmt.Errorf("%s.Name %q is not allowed: want a unique lowercase name (not \"default\")", at, s.Name)
		case len(s.Days) == 0:
			return nil, fmt.Errorf("%s.Days is empty: want weekdays such as Monday", at)
		case s.Hour < 0 || s.Hour > 23 || s.Minute < 0 || s.Minute > 59:
			return nil, fmt.Errorf("%s: %02d:%02d is not a time: want Hour 0-23 and Minute 0-59", at, s.Hour, s.Minute)
		case s.MinSize < 0 || s.DesiredSize < s.MinSize || s.MaxSize < s.DesiredSize || s.MaxSize > 1000:
			return nil, fmt.Errorf("%s: sizes min %d, desired %d, max %d: want 0 <= min <= desired <= max <= 1000", at, s.MinSize, s.DesiredSize, s.MaxSize)
		}
		for _, d := range s.Days {
			if !weekdays[d] {
				return nil, fmt.Errorf("%s.Days: %q is not a weekday: want Monday ... Sunday", at, d)
			}
		}
		seen[s.Name] = true
	}
	if r.SSHPublicKey == "" {
		pub, _, err := ed25519.GenerateKey(rand.Reader)
		if err != nil {
			return nil, fmt.Errorf("generating the throwaway SSH key: %w", err)
		}
		sp, err := ssh.NewPublicKey(pub)
		if err != nil {
			return nil, fmt.Errorf("encoding the throwaway SSH key: %w", err)
		}
		r.SSHPublicKey, r.generatedKey = strings.TrimSpace(string(ssh.MarshalAuthorizedKey(sp))), true
	} else if _, _, _, _, err := ssh.ParseAuthorizedKey([]byte(r.SSHPublicKey)); err != nil {
		return nil, fmt.Errorf("SSHPublicKey is not an OpenSSH public key (ssh-rsa or ssh-ed25519 ...): %v", err)
	}
	if r.CloudInit == "" {
		r.CloudInit = DefaultCloudInit(r.Port, r.HealthCheckPath)
	}
	return r, nil
}

// DefaultCloudInit serves "/" and healthPath with "ok" on port, using the python3 that
// Ubuntu images ship, as a systemd service that restarts on failure.
func DefaultCloudInit(port int, healthPath string) string {
	return fmt.Sprintf(`#cloud-config
write_files:
  - path: /srv/www%[2]s
    content: "ok\n"
  - path: /srv/www/index.html
    content: "scalestack web tier\n"
  - path: /etc/systemd/system/scalestack-web.service
    content: |
      [Unit]
      Description=scalestack web tier
      After=network-online.target
      [Service]
      ExecStart=/usr/bin/python3 -m http.server %[1]d --directory /srv/www
      Restart=always
      DynamicUser=yes
      [Install]
      WantedBy=multi-user.target
runcmd:
  - [systemctl, daemon-reload]
  - [systemctl, enable, --now, scalestack-web.service]
`, port, healthPath)
}

// WebTier is a scale set and its autoscale setting.
type WebTier struct {
	pulumi.ResourceState

	// ScaleSetID is the scale set's ARM ID (for alerts and backup).
	ScaleSetID pulumi.StringOutput `pulumi:"scaleSetId"`
	// ScaleSetName is the scale set's ARM name.
	ScaleSetName pulumi.StringOutput `pulumi:"scaleSetName"`
	// AutoscaleSettingID is the autoscale setting's ARM ID.
	AutoscaleSettingID pulumi.StringOutput `pulumi:"autoscaleSettingId"`
	// PrincipalID is the object ID of the scale set's system-assigned identity, as which the
	// instances sign in to Azure SQL (grant it a database user) and other Entra services.
	PrincipalID pulumi.StringOutput `pulumi:"principalId"`

	// MaxSize is the resolved maximum (alerts fire at it).
	MaxSize int
}

// New validates args, applies defaults and registers the web tier.
func New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*WebTier, error) {
	a, err := args.resolve()
	if err != nil {
		return nil, fmt.Errorf("web tier %q: %w", name, err)
	}
	w := &WebTier{MaxSize: a.MaxSize}
	if err := ctx.RegisterComponentResource(typeToken, name, w, opts...); err != nil {
		return nil, err
	}
	ss, as, err := a.build(ctx, name, "web", computerNamePrefix(name), nil, pulumi.Parent(w))
	if err != nil {
		return nil, err
	}

	w.ScaleSetID = ss.ID().ToStringOutput()
	w.ScaleSetName = ss.Name
	w.AutoscaleSettingID = as.ID().ToStringOutput()
	w.PrincipalID = ss.Identity.PrincipalId().Elem()
	return w, ctx.RegisterResourceOutputs(w, pulumi.Map{
		"scaleSetId":         w.ScaleSetID,
		"scaleSetName":       w.ScaleSetName,
		"autoscaleSettingId": w.AutoscaleSettingID,
		"principalId":        w.PrincipalID,
	})
}

// Build registers a scale set named name+"-vmss" and its autoscale setting name+"-autoscale"
// with args (defaults applied) under opts (the caller's parent and provider): the web tier's
// pieces, for a component that runs another tier on the same hardened scale set (the worker
// tier). tier is the "tier" tag, prefix the instances' computer name prefix (at most 9
// characters), and extra are scale rules added to the CPU (and request) rules of every
// profile. It validates args first and returns the scale set, the autoscale setting and the
// resolved maximum size.
func Build(ctx *pulumi.Context, name string, args *Args, tier, prefix string, extra insights.ScaleRuleArray, opts ...pulumi.ResourceOption) (*compute.VirtualMachineScaleSet, *insights.AutoscaleSetting, int, error) {
	a, err := args.resolve()
	if err != nil {
		return nil, nil, 0, err
	}
	if tier == "" || prefix == "" || len(prefix) > 9 {
		return nil, nil, 0, fmt.Errorf("tier %q and prefix %q are not allowed: want a tier name and a computer name prefix of 1-9 characters", tier, prefix)
	}
	ss, as, err := a.build(ctx, name, tier, prefix, extra, opts...)
	return ss, as, a.MaxSize, err
}

// build registers the scale set and its autoscale setting.
func (a *resolved) build(ctx *pulumi.Context, name, tier, prefix string, extra insights.ScaleRuleArray, opts ...pulumi.ResourceOption) (*compute.VirtualMachineScaleSet, *insights.AutoscaleSetting, error) {
	tags := azureregions.Tags(providers.Tags(a.Tags), map[string]string{"tier": tier})

	ipConfig := &compute.VirtualMachineScaleSetIPConfigurationArgs{
		Name:    pulumi.String(name + "-ip"),
		Primary: pulumi.Bool(true),
		Subnet:  &compute.ApiEntityReferenceArgs{Id: a.SubnetID},
	}
	if a.AppGatewayBackendPoolID != nil {
		ipConfig.ApplicationGatewayBackendAddressPools = compute.SubResourceArray{&compute.SubResourceArgs{Id: a.AppGatewayBackendPoolID}}
	}
	if a.LoadBalancerBackendPoolID != nil {
		ipConfig.LoadBalancerBackendAddressPools = compute.SubResourceArray{&compute.SubResourceArgs{Id: a.LoadBalancerBackendPoolID}}
	}
	var zones pulumi.StringArray
	for _, z := range a.Zones {
		zones = append(zones, pulumi.String(z))
	}
	// The autoscale setting owns the instance count: sku.capacity is sent only when the scale
	// set is created (DesiredSize), and later full PUTs (an image or tag change) keep the
	// count Azure reports instead of resetting a loaded tier to DesiredSize.
	ignore := []string{"sku.capacity"}
	if a.generatedKey {
		ignore = append(ignore, "virtualMachineProfile.osProfile.linuxConfiguration.ssh")
	}
	ssOpts := append(append([]pulumi.ResourceOption{}, opts...), pulumi.IgnoreChanges(ignore))
	ss, err := compute.NewVirtualMachineScaleSet(ctx, name+"-vmss", &compute.VirtualMachineScaleSetArgs{
		ResourceGroupName: a.ResourceGroupName,
		Location:          pulumi.String(a.Location),
		Sku:               &compute.SkuArgs{Name: pulumi.String(a.VMSize), Tier: pulumi.String("Standard"), Capacity: pulumi.Float64(float64(a.DesiredSize))},
		Zones:             zones,
		ZoneBalance:       zoneBalance(a.Zones),
		// The instances sign in to Azure SQL (Entra-only) and other Entra-protected services
		// as the scale set's system-assigned identity: no secret on the instances.
		Identity:          &compute.VirtualMachineScaleSetIdentityArgs{Type: compute.ResourceIdentityTypeSystemAssigned},
		OrchestrationMode: pulumi.String("Uniform"),
		Overprovision:     pulumi.Bool(false),
		UpgradePolicy: &compute.UpgradePolicyArgs{
			Mode: compute.UpgradeModeRolling,
			RollingUpgradePolicy: &compute.RollingUpgradePolicyArgs{
				MaxBatchInstancePercent:             pulumi.Int(20),
				MaxUnhealthyInstancePercent:         pulumi.Int(20),
				MaxUnhealthyUpgradedInstancePercent: pulumi.Int(20),
				PauseTimeBetweenBatches:             pulumi.String("PT30S"),
				PrioritizeUnhealthyInstances:        pulumi.Bool(true),
				EnableCrossZoneUpgrade:              pulumi.Bool(true),
			},
		},
		AutomaticRepairsPolicy: &compute.AutomaticRepairsPolicyArgs{
			Enabled:      pulumi.Bool(true),
			GracePeriod:  pulumi.String("PT10M"),
			RepairAction: pulumi.String("Replace"),
		},
		ScaleInPolicy: &compute.ScaleInPolicyArgs{Rules: pulumi.StringArray{pulumi.String("Default")}},
		VirtualMachineProfile: &compute.VirtualMachineScaleSetVMProfileArgs{
			StorageProfile: &compute.VirtualMachineScaleSetStorageProfileArgs{
				ImageReference: &compute.ImageReferenceArgs{
					Publisher: pulumi.String(a.Image.Publisher),
					Offer:     pulumi.String(a.Image.Offer),
					Sku:       pulumi.String(a.Image.SKU),
					Version:   pulumi.String(a.Image.Version),
				},
				OsDisk: &compute.VirtualMachineScaleSetOSDiskArgs{
					CreateOption: pulumi.String("FromImage"),
					Caching:      compute.CachingTypesReadWrite,
					ManagedDisk:  &compute.VirtualMachineScaleSetManagedDiskParametersArgs{StorageAccountType: pulumi.String("StandardSSD_LRS")},
				},
			},
			OsProfile: &compute.VirtualMachineScaleSetOSProfileArgs{
				ComputerNamePrefix: pulumi.String(prefix),
				AdminUsername:      pulumi.String(a.AdminUsername),
				CustomData:         pulumi.String(base64.StdEncoding.EncodeToString([]byte(a.CloudInit))),
				LinuxConfiguration: &compute.LinuxConfigurationArgs{
					DisablePasswordAuthentication: pulumi.Bool(true),
					ProvisionVMAgent:              pulumi.Bool(true),
					Ssh: &compute.SshConfigurationArgs{PublicKeys: compute.SshPublicKeyTypeArray{&compute.SshPublicKeyTypeArgs{
						Path:    pulumi.String("/home/" + a.AdminUsername + "/.ssh/authorized_keys"),
						KeyData: pulumi.String(a.SSHPublicKey),
					}}},
				},
			},
			SecurityProfile: &compute.SecurityProfileArgs{
				EncryptionAtHost: encryptionAtHost(a.EncryptionAtHost),
				SecurityType:     pulumi.String("TrustedLaunch"),
				UefiSettings:     &compute.UefiSettingsArgs{SecureBootEnabled: pulumi.Bool(true), VTpmEnabled: pulumi.Bool(true)},
			},
			DiagnosticsProfile: &compute.DiagnosticsProfileArgs{BootDiagnostics: &compute.BootDiagnosticsArgs{Enabled: pulumi.Bool(true)}},
			NetworkProfile: &compute.VirtualMachineScaleSetNetworkProfileArgs{
				NetworkInterfaceConfigurations: compute.VirtualMachineScaleSetNetworkConfigurationArray{
					&compute.VirtualMachineScaleSetNetworkConfigurationArgs{
						Name:             pulumi.String(name + "-nic"),
						Primary:          pulumi.Bool(true),
						IpConfigurations: compute.VirtualMachineScaleSetIPConfigurationArray{ipConfig},
					},
				},
			},
			ExtensionProfile: &compute.VirtualMachineScaleSetExtensionProfileArgs{
				Extensions: compute.VirtualMachineScaleSetExtensionTypeArray{&compute.VirtualMachineScaleSetExtensionTypeArgs{
					Name:                    pulumi.String("health"),
					Publisher:               pulumi.String("Microsoft.ManagedServices"),
					Type:                    pulumi.String("ApplicationHealthLinux"),
					TypeHandlerVersion:      pulumi.String("1.0"),
					AutoUpgradeMinorVersion: pulumi.Bool(true),
					Settings: pulumi.Map{
						"protocol":    pulumi.String("http"),
						"port":        pulumi.Int(a.Port),
						"requestPath": pulumi.String(a.HealthCheckPath),
					},
				}},
			},
		},
		Tags: tags,
	}, ssOpts...)
	if err != nil {
		return nil, nil, fmt.Errorf("creating scale set: %w", err)
	}

	rules := append(a.rules(ss.ID().ToStringOutput()), extra...)
	profiles := insights.AutoscaleProfileArray{&insights.AutoscaleProfileArgs{
		Name:     pulumi.String("default"),
		Capacity: capacity(a.MinSize, a.DesiredSize, a.MaxSize),
		Rules:    rules,
	}}
	for _, s := range a.Schedules {
		var hours, minutes pulumi.IntArray
		hours, minutes = append(hours, pulumi.Int(s.Hour)), append(minutes, pulumi.Int(s.Minute))
		profiles = append(profiles, &insights.AutoscaleProfileArgs{
			Name:     pulumi.String(s.Name),
			Capacity: capacity(s.MinSize, s.DesiredSize, s.MaxSize),
			Rules:    rules,
			Recurrence: &insights.RecurrenceArgs{
				Frequency: insights.RecurrenceFrequencyWeek,
				Schedule: &insights.RecurrentScheduleArgs{
					TimeZone: pulumi.String("UTC"),
					Days:     pulumi.ToStringArray(s.Days),
					Hours:    hours,
					Minutes:  minutes,
				},
			},
		})
	}
	as, err := insights.NewAutoscaleSetting(ctx, name+"-autoscale", &insights.AutoscaleSettingArgs{
		ResourceGroupName: a.ResourceGroupName,
		Location:          pulumi.String(a.Location),
		Enabled:           pulumi.Bool(true),
		TargetResourceUri: ss.ID(),
		Profiles:          profiles,
		Tags:              tags,
	}, opts...)
	if err != nil {
		return nil, nil, fmt.Errorf("creating autoscale setting: %w", err)
	}

	return ss, as, nil
}

// rules are the metric rules every autoscale profile shares.
func (a *resolved) rules(scaleSetID pulumi.StringOutput) insights.ScaleRuleArray {
	in := max(a.TargetCPUPercent-20, 5)
	out := insights.ScaleRuleArray{
		rule(scaleSetID, "Percentage CPU", "microsoft.compute/virtualmachinescalesets", insights.ComparisonOperationTypeGreaterThan, float64(a.TargetCPUPercent), insights.ScaleDirectionIncrease, "PT5M"),
		rule(scaleSetID, "Percentage CPU", "microsoft.compute/virtualmachinescalesets", insights.ComparisonOperationTypeLessThan, float64(in), insights.ScaleDirectionDecrease, "PT10M"),
	}
	if a.AppGatewayID != nil {
		gw := a.AppGatewayID.ToStringOutput()
		out = append(out,
			rule(gw, "AvgRequestCountPerHealthyHost", "microsoft.network/applicationgateways", insights.ComparisonOperationTypeGreaterThan, float64(a.RequestsPerInstance), insights.ScaleDirectionIncrease, "PT5M"),
			rule(gw, "AvgRequestCountPerHealthyHost", "microsoft.network/applicationgateways", insights.ComparisonOperationTypeLessThan, float64(a.RequestsPerInstance/2), insights.ScaleDirectionDecrease, "PT10M"),
		)
	}
	return out
}

func rule(resourceID pulumi.StringOutput, metric, namespace string, op insights.ComparisonOperationType, threshold float64, dir insights.ScaleDirection, cooldown string) *insights.ScaleRuleArgs {
	return &insights.ScaleRuleArgs{
		MetricTrigger: &insights.MetricTriggerArgs{
			MetricName:        pulumi.String(metric),
			MetricNamespace:   pulumi.String(namespace),
			MetricResourceUri: resourceID,
			Operator:          op,
			Statistic:         insights.MetricStatisticTypeAverage,
			Threshold:         pulumi.Float64(threshold),
			TimeAggregation:   insights.TimeAggregationTypeAverage,
			TimeGrain:         pulumi.String("PT1M"),
			TimeWindow:        pulumi.String("PT5M"),
		},
		ScaleAction: &insights.ScaleActionArgs{
			Direction: dir,
			Type:      insights.ScaleTypeChangeCount,
			Value:     pulumi.String("1"),
			Cooldown:  pulumi.String(cooldown),
		},
	}
}

// zoneBalance is true over several zones and unset otherwise: ARM accepts zoneBalance only
// when the scale set spans more than one zone ("If there are no zones or only one zone
// specified, then zoneBalance property should not be set").
func zoneBalance(zones []string) pulumi.BoolPtrInput {
	if len(zones) > 1 {
		return pulumi.Bool(true)
	}
	return nil
}

// encryptionAtHost sets the flag only when asked, so existing scale sets see no diff.
func encryptionAtHost(on bool) pulumi.BoolPtrInput {
	if on {
		return pulumi.Bool(true)
	}
	return nil
}

func capacity(lo, desired, hi int) *insights.ScaleCapacityArgs {
	return &insights.ScaleCapacityArgs{Minimum: pulumi.String(fmt.Sprint(lo)), Default: pulumi.String(fmt.Sprint(desired)), Maximum: pulumi.String(fmt.Sprint(hi))}
}

// computerNamePrefix is the component name cut to the 9 letters and digits Linux scale
// sets allow as a prefix.
func computerNamePrefix(name string) string {
	var b strings.Builder
	for _, c := range strings.ToLower(name) {
		if (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' {
			b.WriteRune(c)
		}
	}
	s := strings.Trim(b.String(), "-")
	if len(s) > 9 {
		s = s[:9]
	}
	if s == "" {
		s = "web"
	}
	return s
}
