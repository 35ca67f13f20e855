package webtier

import (
	"encoding/base64"
	"strings"
	"testing"

	"github.com/pulumi/pulumi-azure-native-sdk/resources/v2"
	azure "github.com/pulumi/pulumi-azure-native-sdk/v2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scalestack/scalestack/testkit"
)

func base() Args {
	return Args{Location: "eastus2", ResourceGroupName: pulumi.String("rg"), SubnetID: pulumi.String("subnet-id")}
}

func TestResolveDefaults(t *testing.T) {
	a := base()
	r, err := a.resolve()
	require.NoError(t, err)
	assert.Equal(t, "Standard_B2s", r.VMSize)
	assert.Equal(t, DefaultImage, r.Image)
	assert.Equal(t, []string{"1", "2", "3"}, r.Zones)
	assert.Equal(t, []int{0, 0, 3}, []int{r.MinSize, r.DesiredSize, r.MaxSize})
	assert.Equal(t, 55, r.TargetCPUPercent)
	assert.Equal(t, 1000, r.RequestsPerInstance)
	assert.Equal(t, 8080, r.Port)
	assert.Equal(t, "/healthz", r.HealthCheckPath)
	assert.Equal(t, "azureuser", r.AdminUsername)
	assert.True(t, r.generatedKey)
	assert.True(t, strings.HasPrefix(r.SSHPublicKey, "ssh-ed25519 "))
	assert.Contains(t, r.CloudInit, "/srv/www/healthz")
	assert.Contains(t, r.CloudInit, "http.server 8080")

	a.MinSize, a.SSHPublicKey = 4, r.SSHPublicKey
	r, err = a.resolve()
	require.NoError(t, err)
	assert.Equal(t, []int{4, 4, 4}, []int{r.MinSize, r.DesiredSize, r.MaxSize})
	assert.False(t, r.generatedKey)
}

func TestResolveErrors(t *testing.T) {
	for _, tc := range []struct {
		edit func(*Args)
		want string
	}{
		{func(a *Args) { a.Location = "" }, `Location "" is not an Azure location`},
		{func(a *Args) { a.ResourceGroupName = nil }, "ResourceGroupName is required"},
		{func(a *Args) { a.SubnetID = nil }, "SubnetID is required"},
		{func(a *Args) {
			a.AppGatewayBackendPoolID, a.LoadBalancerBackendPoolID = pulumi.String("a"), pulumi.String("b")
		}, "both set: want at most one"},
		{func(a *Args) { a.VMSize = "B2s" }, `VMSize "B2s" is not an Azure VM size`},
		{func(a *Args) { a.Image = Image{Publisher: "Canonical"} }, "is incomplete: want Publisher, Offer, SKU and Version"},
		{func(a *Args) { a.MinSize = -1 }, "MinSize -1 is not allowed: want 0-1000"},
		{func(a *Args) { a.MinSize, a.MaxSize = 3, 2 }, "MaxSize 2 is not allowed: want MinSize (3) to 1000"},
		{func(a *Args) { a.MinSize, a.MaxSize, a.DesiredSize = 1, 3, 5 }, "DesiredSize 5 is not allowed: want MinSize..MaxSize (1..3)"},
		{func(a *Args) { a.TargetCPUPercent = 95 }, "TargetCPUPercent 95 is not allowed: want 10-90"},
		{func(a *Args) { a.RequestsPerInstance = -5 }, "RequestsPerInstance -5 is not allowed"},
		{func(a *Args) { a.Port = 70000 }, "Port 70000 is not allowed: want 1-65535"},
		{func(a *Args) { a.HealthCheckPath = "healthz" }, `HealthCheckPath "healthz" is not allowed: want a plain path starting with "/"`},
		{func(a *Args) { a.Zones = []string{"4"} }, `Zones ["4"] is not allowed`},
		{func(a *Args) { a.Schedules = []Schedule{{Name: "default", Days: []string{"Monday"}}} }, `Schedules[0].Name "default" is not allowed`},
		{func(a *Args) { a.Schedules = []Schedule{{Name: "peak"}} }, "Schedules[0].Days is empty"},
		{func(a *Args) { a.Schedules = []Schedule{{Name: "peak", Days: []string{"Mon"}}} }, `Schedules[0].Days: "Mon" is not a weekday`},
		{func(a *Args) { a.Schedules = []Schedule{{Name: "peak", Days: []string{"Monday"}, Hour: 24}} }, "Schedules[0]: 24:00 is not a time"},
		{func(a *Args) {
			a.Schedules = []Schedule{{Name: "peak", Days: []string{"Monday"}, MinSize: 3, DesiredSize: 2, MaxSize: 4}}
		}, "Schedules[0]: sizes min 3, desired 2, max 4"},
		{func(a *Args) { a.SSHPublicKey = "not a key" }, "SSHPublicKey is not an OpenSSH public key"},
	} {
		a := base()
		tc.edit(&a)
		_, err := a.resolve()
		if assert.Error(t, err, tc.want) {
			assert.Contains(t, err.Error(), tc.want)
		}
	}
	_, err := (*Args)(nil).resolve()
	assert.ErrorContains(t, err, "args are required")
}

func run(t *testing.T, edit func(*Args, *resources.ResourceGroup)) *testkit.Plan {
	t.Helper()
	plan, err := testkit.Run(func(ctx *pulumi.Context) error {
		p, err := azure.NewProvider(ctx, "azure-native-eastus2", &azure.ProviderArgs{Location: pulumi.StringPtr("eastus2")})
		if err != nil {
			return err
		}
		rg, err := resources.NewResourceGroup(ctx, "rg", &resources.ResourceGroupArgs{Location: pulumi.String("eastus2")}, pulumi.Provider(p))
		if err != nil {
			return err
		}
		a := base()
		a.ResourceGroupName = rg.Name
		edit(&a, rg)
		_, err = New(ctx, "web", &a, pulumi.Provider(p))
		return err
	})
	require.NoError(t, err)
	return plan
}

func TestWebTierResources(t *testing.T) {
	plan := run(t, func(a *Args, rg *resources.ResourceGroup) {
		a.MinSize, a.MaxSize, a.Port = 2, 6, 9000
		a.AppGatewayBackendPoolID = pulumi.String("/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/applicationGateways/gw/backendAddressPools/web")
		a.AppGatewayID = rg.ID().ToStringOutput()
		a.Schedules = []Schedule{{Name: "business-hours", Days: []string{"Monday", "Friday"}, Hour: 8, MinSize: 3, DesiredSize: 3, MaxSize: 8}}
	})
	comp := plan.Find(typeToken, "web")
	kids := plan.Children(comp.URN)
	require.Len(t, kids, 2)
	for _, k := range kids {
		assert.Equal(t, "eastus2", k.Region())
		assert.Equal(t, "azure-native-eastus2", k.ProviderResource().Name)
	}
	ss := plan.Find("azure-native:compute:VirtualMachineScaleSet", "web-vmss")
	as := plan.Find("azure-native:insights:AutoscaleSetting", "web-autoscale")
	rg := plan.Find("azure-native:resources:ResourceGroup", "rg")
	require.NotNil(t, ss)
	require.NotNil(t, as)

	assert.True(t, ss.InputFrom("resourceGroupName", rg))
	assert.Equal(t, []any{"1", "2", "3"}, ss.Input("zones"))
	assert.Equal(t, "Rolling", ss.InputString("upgradePolicy.mode"))
	assert.Equal(t, true, ss.Input("automaticRepairsPolicy.enabled"))
	assert.Equal(t, float64(2), ss.Input("sku.capacity"))
	vm := "virtualMachineProfile."
	assert.Equal(t, "Canonical", ss.InputString(vm+"storageProfile.imageReference.publisher"))
	assert.Equal(t, "ubuntu-24_04-lts", ss.InputString(vm+"storageProfile.imageReference.offer"))
	assert.Equal(t, "TrustedLaunch", ss.InputString(vm+"securityProfile.securityType"))
	assert.Equal(t, true, ss.Input(vm+"osProfile.linuxConfiguration.disablePasswordAuthentication"))
	assert.Nil(t, ss.Input(vm+"osProfile.adminPassword"))
	ip := vm + "networkProfile.networkInterfaceConfigurations.0.ipConfigurations.0."
	assert.Nil(t, ss.Input(ip+"publicIPAddressConfiguration"), "no public IPs on instances")
	assert.Contains(t, ss.InputString(ip+"applicationGatewayBackendAddressPools.0.id"), "/backendAddressPools/web")
	assert.Equal(t, "subnet-id", ss.InputString(ip+"subnet.id"))
	assert.Equal(t, float64(9000), ss.Input(vm+"extensionProfile.extensions.0.settings.port"))
	assert.Equal(t, "/healthz", ss.Input(vm+"extensionProfile.extensions.0.settings.requestPath"))
	ci, err := base64.StdEncoding.DecodeString(ss.InputString(vm + "osProfile.customData"))
	require.NoError(t, err)
	assert.Contains(t, string(ci), "http.server 9000")
	assert.Contains(t, ss.IgnoreChanges, "virtualMachineProfile.osProfile.linuxConfiguration.ssh", "the throwaway key does not churn")

	assert.True(t, as.InputFrom("targetResourceUri", ss), "autoscale targets the scale set")
	assert.Equal(t, ss.ID, as.InputString("targetResourceUri"))
	assert.Equal(t, map[string]any{"minimum": "2", "default": "2", "maximum": "6"}, as.Input("profiles.0.capacity"))
	rules := as.Input("profiles.0.rules").([]any)
	require.Len(t, rules, 4, "CPU out/in and request out/in")
	assert.Equal(t, "Percentage CPU", as.Input("profiles.0.rules.0.metricTrigger.metricName"))
	assert.Equal(t, float64(55), as.Input("profiles.0.rules.0.metricTrigger.threshold"))
	assert.Equal(t, ss.ID, as.Input("profiles.0.rules.0.metricTrigger.metricResourceUri"))
	assert.Equal(t, float64(35), as.Input("profiles.0.rules.1.metricTrigger.threshold"))
	assert.Equal(t, "Decrease", as.Input("profiles.0.rules.1.scaleAction.direction"))
	assert.Equal(t, "AvgRequestCountPerHealthyHost", as.Input("profiles.0.rules.2.metricTrigger.metricName"))
	assert.Equal(t, rg.ID, as.Input("profiles.0.rules.2.metricTrigger.metricResourceUri"))
	assert.Equal(t, "business-hours", as.Input("profiles.1.name"))
	assert.Equal(t, "Week", as.Input("profiles.1.recurrence.frequency"))
	assert.Equal(t, []any{"Monday", "Friday"}, as.Input("profiles.1.recurrence.schedule.days"))
	assert.Equal(t, map[string]any{"minimum": "3", "default": "3", "maximum": "8"}, as.Input("profiles.1.capacity"))
}

func TestNoRequestRuleWithoutGateway(t *testing.T) {
	key := "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMhXbK1pQEHd6GJgSQ6O5a7+oAqJpYG0Sb1Vwhe0Kd9H ops"
	plan := run(t, func(a *Args, _ *resources.ResourceGroup) {
		a.LoadBalancerBackendPoolID = pulumi.String("lb-pool")
		a.Zones = []string{}
		a.SSHPublicKey = key
	})
	ss := plan.Find("azure-native:compute:VirtualMachineScaleSet", "web-vmss")
	as := plan.Find("azure-native:insights:AutoscaleSetting", "web-autoscale")
	assert.Len(t, as.Input("profiles.0.rules").([]any), 2)
	assert.Equal(t, "lb-pool", ss.InputString("virtualMachineProfile.networkProfile.networkInterfaceConfigurations.0.ipConfigurations.0.loadBalancerBackendAddressPools.0.id"))
	assert.Nil(t, ss.Input("zones"))
	assert.Equal(t, key, ss.InputString("virtualMachineProfile.osProfile.linuxConfiguration.ssh.publicKeys.0.keyData"))
	assert.Equal(t, []string{"sku.capacity"}, ss.IgnoreChanges, "a given key is managed")
	assert.Nil(t, ss.Input("virtualMachineProfile.securityProfile.encryptionAtHost"))
}

func TestEncryptionAtHost(t *testing.T) {
	plan := run(t, func(a *Args, _ *resources.ResourceGroup) { a.EncryptionAtHost = true })
	ss := plan.Find("azure-native:compute:VirtualMachineScaleSet", "web-vmss")
	assert.Equal(t, true, ss.Input("virtualMachineProfile.securityProfile.encryptionAtHost"))
}

// TestScaleSetHasAnIdentityForEntraOnlySQL: the SQL servers accept Microsoft Entra
// authentication only, so the instances need an Entra identity to sign in with; a
// system-assigned managed identity exists exactly as long as the scale set and needs no secret
// on the instances. Rule: "Managed identities for Azure resources ... Virtual Machine Scale
// Sets" (https://learn.microsoft.com/entra/identity/managed-identities-azure-resources/qs-configure-template-windows-vmss)
// and "Connect with a managed identity to Azure SQL Database"
// (https://learn.microsoft.com/azure/azure-sql/database/authentication-azure-ad-user-assigned-managed-identity).
func TestScaleSetHasAnIdentityForEntraOnlySQL(t *testing.T) {
	plan, err := testkit.RunExports(func(ctx *pulumi.Context) (pulumi.Map, error) {
		p, err := azure.NewProvider(ctx, "azure-native-eastus2", &azure.ProviderArgs{Location: pulumi.StringPtr("eastus2")})
		if err != nil {
			return nil, err
		}
		w, err := New(ctx, "web", &Args{Location: "eastus2", ResourceGroupName: pulumi.String("rg"), SubnetID: pulumi.String("subnet-id")}, pulumi.Provider(p))
		if err != nil {
			return nil, err
		}
		return pulumi.Map{"principalId": w.PrincipalID}, nil
	})
	require.NoError(t, err)
	ss := plan.Find("azure-native:compute:VirtualMachineScaleSet", "web-vmss")
	require.NotNil(t, ss)
	assert.Equal(t, "SystemAssigned", ss.InputString("identity.type"))
	assert.Regexp(t, `^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`, plan.Outputs["principalId"], "the identity's object ID is an output")
}

// TestAutoscaleSettingOwnsScaleSetCapacity: an ARM PUT of a scale set sets its instance count
// to sku.capacity, so a program that sends sku.capacity on every update scales a loaded tier
// back to DesiredSize whenever anything else (image, tags) changes. The autoscale setting owns
// the count: sku.capacity is sent at creation only (ignoreChanges). Rule: "Virtual Machine
// Scale Sets - Create Or Update: sku.capacity, the number of virtual machines in the scale set"
// (https://learn.microsoft.com/rest/api/compute/virtual-machine-scale-sets/create-or-update) and
// "Overview of autoscale with Azure Virtual Machine Scale Sets"
// (https://learn.microsoft.com/azure/virtual-machine-scale-sets/virtual-machine-scale-sets-autoscale-overview).
func TestAutoscaleSettingOwnsScaleSetCapacity(t *testing.T) {
	key := "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMhXbK1pQEHd6GJgSQ6O5a7+oAqJpYG0Sb1Vwhe0Kd9H ops"
	for _, generated := range []bool{true, false} {
		plan := run(t, func(a *Args, _ *resources.ResourceGroup) {
			a.MinSize, a.DesiredSize, a.MaxSize = 2, 3, 6
			if !generated {
				a.SSHPublicKey = key
			}
		})
		ss := plan.Find("azure-native:compute:VirtualMachineScaleSet", "web-vmss")
		as := plan.Find("azure-native:insights:AutoscaleSetting", "web-autoscale")
		assert.Equal(t, float64(3), ss.Input("sku.capacity"), "created at DesiredSize")
		assert.Contains(t, ss.IgnoreChanges, "sku.capacity", "never reset on update (generated key: %v)", generated)
		assert.Equal(t, "3", as.InputString("profiles.0.capacity.default"), "the autoscale setting carries the count from then on")
	}
}

// TestZoneBalanceOnlyAcrossSeveralZones: ARM accepts zoneBalance only when the scale set spans
// more than one zone; with no zone or one zone the property must not be sent. Rule: the
// VirtualMachineScaleSet zoneBalance property doc (azure-native v2 compute
// VirtualMachineScaleSetArgs.ZoneBalance, from "Virtual Machine Scale Sets - Create Or Update",
// https://learn.microsoft.com/rest/api/compute/virtual-machine-scale-sets/create-or-update).
func TestZoneBalanceOnlyAcrossSeveralZones(t *testing.T) {
	for _, tc := range []struct {
		zones []string
		want  any
	}{{nil, true}, {[]string{"1", "2"}, true}, {[]string{"2"}, nil}, {[]string{}, nil}} {
		plan := run(t, func(a *Args, _ *resources.ResourceGroup) { a.Zones = tc.zones })
		ss := plan.Find("azure-native:compute:VirtualMachineScaleSet", "web-vmss")
		assert.Equal(t, tc.want, ss.Input("zoneBalance"), "zones %v", tc.zones)
	}
}
