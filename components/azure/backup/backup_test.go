package backup

import (
	"testing"

	"github.com/pulumi/pulumi-azure-native-sdk/resources/v2"
	azure "github.com/pulumi/pulumi-azure-native-sdk/v2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scalestack/scalestack/testkit"
)

func base() Args { return Args{Location: "eastus2", ResourceGroupName: pulumi.String("rg")} }

func TestResolveDefaults(t *testing.T) {
	a := base()
	r, err := a.resolve()
	require.NoError(t, err)
	assert.Equal(t, "03:00", r.DailyAt)
	assert.Equal(t, []int{3, 0}, []int{r.hour, r.minute})
	assert.Equal(t, 7, r.RetentionDays)
	assert.Equal(t, 0, r.WeeklyRetentionDays)
	assert.Equal(t, 7, r.SQLRetentionDays)
	assert.Equal(t, 13, weeks(90))
	assert.Equal(t, 1, weeks(7))
}

func TestResolveErrors(t *testing.T) {
	for _, tc := range []struct {
		edit func(*Args)
		want string
	}{
		{func(a *Args) { a.Location = "" }, `Location "" is not an Azure location`},
		{func(a *Args) { a.ResourceGroupName = nil }, "ResourceGroupName is required"},
		{func(a *Args) { a.DailyAt = "03:15" }, `DailyAt "03:15" is not allowed: want HH:MM in UTC on the hour or half hour`},
		{func(a *Args) { a.RetentionDays = 3 }, "RetentionDays 3 is not allowed: want 7-9999"},
		{func(a *Args) { a.WeeklyRetentionDays = 3 }, "WeeklyRetentionDays 3 is not allowed: want 0 (off) or 7-36400"},
		{func(a *Args) { a.SQLRetentionDays = 40 }, "SQLRetentionDays 40 is not allowed: want 1-35"},
		{func(a *Args) { a.Databases = []Database{{Key: "Primary"}} }, `Databases[0].Key "Primary" is not allowed`},
		{func(a *Args) { a.Databases = []Database{{Key: "primary"}} }, "Databases[0]: ResourceGroupName, ServerName and DatabaseName are required"},
	} {
		a := base()
		tc.edit(&a)
		_, err := a.resolve()
		if assert.Error(t, err, tc.want) {
			assert.Contains(t, err.Error(), tc.want)
		}
	}
}

func TestBackupResources(t *testing.T) {
	plan, err := testkit.Run(func(ctx *pulumi.Context) error {
		p1, err := azure.NewProvider(ctx, "azure-native-eastus2", &azure.ProviderArgs{Location: pulumi.StringPtr("eastus2")})
		if err != nil {
			return err
		}
		p2, err := azure.NewProvider(ctx, "azure-native-centralus", &azure.ProviderArgs{Location: pulumi.StringPtr("centralus")})
		if err != nil {
			return err
		}
		// Stand-ins for the servers, so the wiring can be asserted.
		s1, err := resources.NewResourceGroup(ctx, "server1", &resources.ResourceGroupArgs{}, pulumi.Provider(p1))
		if err != nil {
			return err
		}
		s2, err := resources.NewResourceGroup(ctx, "server2", &resources.ResourceGroupArgs{}, pulumi.Provider(p2))
		if err != nil {
			return err
		}
		_, err = New(ctx, "bk", &Args{
			Location: "eastus2", ResourceGroupName: pulumi.String("rg"), DailyAt: "01:30",
			RetentionDays: 35, WeeklyRetentionDays: 90, SQLRetentionDays: 14, Immutable: true,
			Databases: []Database{
				{Key: "primary", ResourceGroupName: pulumi.String("rg1"), ServerName: s1.Name, DatabaseName: pulumi.String("app")},
				{Key: "secondary", ResourceGroupName: pulumi.String("rg2"), ServerName: s2.Name, DatabaseName: pulumi.String("app"), Provider: p2},
			},
		}, pulumi.Provider(p1))
		return err
	})
	require.NoError(t, err)
	comp := plan.Find(typeToken, "bk")
	kids := plan.Children(comp.URN)
	assert.Len(t, kids, 2+2*2, "vault, VM policy, and PITR + LTR per database")
	for _, k := range kids {
		want := "azure-native-eastus2"
		if k.Name == "bk-secondary-pitr" || k.Name == "bk-secondary-ltr" {
			want = "azure-native-centralus"
		}
		assert.Equal(t, want, k.ProviderResource().Name, k.Name)
	}
	vault := plan.Find("azure-native:recoveryservices:Vault", "bk-vault")
	assert.Equal(t, "Disabled", vault.InputString("properties.publicNetworkAccess"))
	assert.Equal(t, "AlwaysON", vault.InputString("properties.securitySettings.softDeleteSettings.softDeleteState"))
	assert.Equal(t, "eastus2", vault.Region())
	assert.Equal(t, "Unlocked", vault.InputString("properties.securitySettings.immutabilitySettings.state"))

	pol := plan.Find("azure-native:recoveryservices:ProtectionPolicy", "bk-vm-daily")
	assert.True(t, pol.InputFrom("vaultName", vault))
	assert.Equal(t, "AzureIaasVM", pol.InputString("properties.backupManagementType"))
	assert.Equal(t, "Daily", pol.InputString("properties.schedulePolicy.scheduleRunFrequency"))
	assert.Equal(t, "2024-01-07T01:30:00Z", pol.InputString("properties.schedulePolicy.scheduleRunTimes.0"))
	assert.Equal(t, float64(35), pol.Input("properties.retentionPolicy.dailySchedule.retentionDuration.count"))
	assert.Equal(t, float64(13), pol.Input("properties.retentionPolicy.weeklySchedule.retentionDuration.count"))
	assert.Equal(t, []any{"Sunday"}, pol.Input("properties.retentionPolicy.weeklySchedule.daysOfTheWeek"))

	for key, server := range map[string]string{"primary": "server1", "secondary": "server2"} {
		srv := plan.Find("azure-native:resources:ResourceGroup", server)
		pitr := plan.Find("azure-native:sql:BackupShortTermRetentionPolicy", "bk-"+key+"-pitr")
		ltr := plan.Find("azure-native:sql:LongTermRetentionPolicy", "bk-"+key+"-ltr")
		require.NotNil(t, pitr)
		require.NotNil(t, ltr)
		assert.True(t, pitr.InputFrom("serverName", srv), key)
		assert.True(t, ltr.InputFrom("serverName", srv), key)
		assert.Equal(t, float64(14), pitr.Input("retentionDays"))
		assert.Equal(t, "P13W", ltr.InputString("weeklyRetention"))
	}
}

func TestNoWeeklyRetention(t *testing.T) {
	plan, err := testkit.Run(func(ctx *pulumi.Context) error {
		a := base()
		a.Databases = []Database{{Key: "primary", ResourceGroupName: pulumi.String("rg"), ServerName: pulumi.String("s"), DatabaseName: pulumi.String("app")}}
		_, err := New(ctx, "bk", &a)
		return err
	})
	require.NoError(t, err)
	assert.Empty(t, plan.ByType("azure-native:sql:LongTermRetentionPolicy"))
	assert.Len(t, plan.ByType("azure-native:sql:BackupShortTermRetentionPolicy"), 1)
	pol := plan.Find("azure-native:recoveryservices:ProtectionPolicy", "bk-vm-daily")
	assert.Nil(t, pol.Input("properties.retentionPolicy.weeklySchedule"))
	assert.Nil(t, plan.Find("azure-native:recoveryservices:Vault", "bk-vault").Input("properties.securitySettings.immutabilitySettings"))
}
