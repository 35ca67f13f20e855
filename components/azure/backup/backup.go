// Package backup creates the backup schedules of the scalestack backend on Azure:
//
//   - a Recovery Services vault (geo-redundant storage, the Azure default, which cannot be set
//     through this API version; soft delete always on; public network access off) with a VM
//     backup policy: a daily backup at DailyAt (UTC), kept RetentionDays, and a weekly one
//     (Sundays) kept WeeklyRetentionDays;
//   - for each SQL database: the short-term retention (point-in-time restore) policy and a
//     long-term retention policy keeping the weekly full backup.
//
// What the VM policy protects: Azure Backup protects individual virtual machines, not the
// instances of a uniform scale set, which autoscaling creates and deletes. The web tier is
// stateless (its image and cloud-init rebuild any instance), so no instance is enrolled; the
// policy is there for stateful VMs a team adds to the vault. The state worth backing up is the
// database, covered by the SQL policies.
package backup

import (
	"fmt"
	"regexp"

	"github.com/pulumi/pulumi-azure-native-sdk/recoveryservices/v2"
	"github.com/pulumi/pulumi-azure-native-sdk/sql/v2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/scalestack/scalestack/providers"
	"github.com/scalestack/scalestack/providers/azureregions"
)

// typeToken is part of every child's URN: changing it needs pulumi.Aliases.
const typeToken = "scalestack:azure:Backup"

// Database is one SQL database whose retention policies the component sets.
type Database struct {
	// Key names its policies ("primary" → <name>-primary-str). Required, unique.
	Key string
	// ResourceGroupName, ServerName and DatabaseName identify the database. Required.
	ResourceGroupName pulumi.StringInput
	ServerName        pulumi.StringInput
	DatabaseName      pulumi.StringInput
	// Provider places the policies with the database's region provider. Default: the
	// component's provider.
	Provider pulumi.ProviderResource
}

// Args configures Backup. Zero values mean the documented default.
type Args struct {
	// Location and ResourceGroupName place the vault. Required.
	Location          string
	ResourceGroupName pulumi.StringInput
	// DailyAt is the UTC time of the daily VM backup, "HH:MM" on the hour or half hour.
	// Default: 03:00.
	DailyAt string
	// RetentionDays keeps daily VM backups. Default: 7. Allowed: 7-9999.
	RetentionDays int
	// WeeklyRetentionDays keeps weekly (Sunday) VM backups and the databases' weekly full
	// backups, rounded up to whole weeks. 0 turns weekly retention off. Default: 0.
	// Allowed: 0 or 7-36400.
	WeeklyRetentionDays int
	// SQLRetentionDays is the databases' point-in-time restore window. Default: 7. Allowed: 1-35.
	SQLRetentionDays int
	// Immutable makes recovery points immutable (state Unlocked: it can still be turned off;
	// lock it in the portal once satisfied, which is irreversible). Default: false.
	Immutable bool
	// Databases get short-term and (with WeeklyRetentionDays) long-term retention policies.
	Databases []Database
	// Tags are added to the vault.
	Tags map[string]string
}

type resolved struct {
	Args
	hour, minute int
}

var (
	locationRE = regexp.MustCompile(`^[a-z]+[a-z0-9]*$`)
	hhmmRE     = regexp.MustCompile(`^([01][0-9]|2[0-3]):(00|30)$`)
	keyRE      = regexp.MustCompile(`^[a-z][a-z0-9-]{0,30}$`)
)

// Validate checks args (with the defaults applied) without registering anything.
func (a *Args) Validate() error {
	_, err := a.resolve()
	return err
}

func (a *Args) resolve() (*resolved, error) {
	if a == nil {
		return nil, fmt.Errorf("args are required: want Location and ResourceGroupName")
	}
	r := &resolved{Args: *a}
	if r.DailyAt == "" {
		r.DailyAt = "03:00"
	}
	if r.RetentionDays == 0 {
		r.RetentionDays = 7
	}
	if r.SQLRetentionDays == 0 {
		r.SQLRetentionDays = 7
	}
	switch {
	case !locationRE.MatchString(r.Location):
		return nil, fmt.Errorf("Location %q is not an Azure location: want a name such as eastus2", r.Location)
	case r.ResourceGroupName == nil:
		return nil, fmt.Errorf("ResourceGroupName is required")
	case !hhmmRE.MatchString(r.DailyAt):
		return nil, fmt.Errorf("DailyAt %q is not allowed: want HH:MM in UTC on the hour or half hour (Azure Backup schedules), such as 03:00", r.DailyAt)
	case r.RetentionDays < 7 || r.RetentionDays > 9999:
		return nil, fmt.Errorf("RetentionDays %d is not allowed: want 7-9999 (Azure Backup keeps daily VM backups at least 7 days)", r.RetentionDays)
	case r.WeeklyRetentionDays != 0 && (r.WeeklyRetentionDays < 7 || r.WeeklyRetentionDays > 36400):
		return nil, fmt.Errorf("WeeklyRetentionDays %d is not allowed: want 0 (off) or 7-36400", r.WeeklyRetentionDays)
	case r.SQLRetentionDays < 1 || r.SQLRetentionDays > 35:
		return nil, fmt.Errorf("SQLRetentionDays %d is not allowed: want 1-35", r.SQLRetentionDays)
	}
	seen := map[string]bool{}
	for i, d := range r.Databases {
		switch {
		case !keyRE.MatchString(d.Key) || seen[d.Key]:
			return nil, fmt.Errorf("Databases[%d].Key %q is not allowed: want a unique lowercase name such as primary", i, d.Key)
		case d.ResourceGroupName == nil || d.ServerName == nil || d.DatabaseName == nil:
			return nil, fmt.Errorf("Databases[%d]: ResourceGroupName, ServerName and DatabaseName are required", i)
		}
		seen[d.Key] = true
	}
	fmt.Sscanf(r.DailyAt, "%d:%d", &r.hour, &r.minute)
	return r, nil
}

// immutability sets the vault's immutability only when asked.
func immutability(on bool) *recoveryservices.ImmutabilitySettingsArgs {
	if !on {
		return nil
	}
	return &recoveryservices.ImmutabilitySettingsArgs{State: pulumi.String("Unlocked")}
}

// weeks rounds days up to whole weeks.
func weeks(days int) int { return (days + 6) / 7 }

// Backup is the vault, its VM policy and the SQL retention policies.
type Backup struct {
	pulumi.ResourceState

	// VaultID and VaultName identify the Recovery Services vault.
	VaultID   pulumi.StringOutput `pulumi:"vaultId"`
	VaultName pulumi.StringOutput `pulumi:"vaultName"`
	// VMPolicyID is the VM backup policy's ID.
	VMPolicyID pulumi.StringOutput `pulumi:"vmPolicyId"`
}

// New validates args, applies defaults and registers the backup resources.
func New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*Backup, error) {
	a, err := args.resolve()
	if err != nil {
		return nil, fmt.Errorf("backup %q: %w", name, err)
	}
	b := &Backup{}
	if err := ctx.RegisterComponentResource(typeToken, name, b, opts...); err != nil {
		return nil, err
	}
	parent := pulumi.Parent(b)
	tags := azureregions.Tags(providers.Tags(a.Tags), map[string]string{"tier": "backup"})

	vault, err := recoveryservices.NewVault(ctx, name+"-vault", &recoveryservices.VaultArgs{
		ResourceGroupName: a.ResourceGroupName,
		Location:          pulumi.String(a.Location),
		Sku:               &recoveryservices.SkuArgs{Name: pulumi.String("Standard")},
		Identity:          &recoveryservices.IdentityDataArgs{Type: pulumi.String("SystemAssigned")},
		Properties: &recoveryservices.VaultPropertiesArgs{
			PublicNetworkAccess: pulumi.String("Disabled"),
			SecuritySettings: &recoveryservices.SecuritySettingsArgs{
				ImmutabilitySettings: immutability(a.Immutable),
				SoftDeleteSettings: &recoveryservices.SoftDeleteSettingsArgs{
					SoftDeleteState:                 pulumi.String("AlwaysON"),
					SoftDeleteRetentionPeriodInDays: pulumi.Int(14),
				},
			},
			MonitoringSettings: &recoveryservices.MonitoringSettingsArgs{
				AzureMonitorAlertSettings: &recoveryservices.AzureMonitorAlertSettingsArgs{AlertsForAllJobFailures: pulumi.String("Enabled")},
			},
		},
		Tags: tags,
	}, parent)
	if err != nil {
		return nil, fmt.Errorf("creating vault: %w", err)
	}

	at := pulumi.StringArray{pulumi.String(fmt.Sprintf("2024-01-07T%02d:%02d:00Z", a.hour, a.minute))}
	retention := &recoveryservices.LongTermRetentionPolicyArgs{
		RetentionPolicyType: pulumi.String("LongTermRetentionPolicy"),
		DailySchedule: &recoveryservices.DailyRetentionScheduleArgs{
			RetentionTimes:    at,
			RetentionDuration: &recoveryservices.RetentionDurationArgs{Count: pulumi.Int(a.RetentionDays), DurationType: pulumi.String("Days")},
		},
	}
	if a.WeeklyRetentionDays > 0 {
		retention.WeeklySchedule = &recoveryservices.WeeklyRetentionScheduleArgs{
			DaysOfTheWeek:     recoveryservices.DayOfWeekArray{recoveryservices.DayOfWeekSunday},
			RetentionTimes:    at,
			RetentionDuration: &recoveryservices.RetentionDurationArgs{Count: pulumi.Int(weeks(a.WeeklyRetentionDays)), DurationType: pulumi.String("Weeks")},
		}
	}
	policy, err := recoveryservices.NewProtectionPolicy(ctx, name+"-vm-daily", &recoveryservices.ProtectionPolicyArgs{
		ResourceGroupName: a.ResourceGroupName,
		VaultName:         vault.Name,
		Properties: &recoveryservices.AzureIaaSVMProtectionPolicyArgs{
			BackupManagementType:          pulumi.String("AzureIaasVM"),
			TimeZone:                      pulumi.String("UTC"),
			InstantRpRetentionRangeInDays: pulumi.Int(2),
			SchedulePolicy: &recoveryservices.SimpleSchedulePolicyArgs{
				SchedulePolicyType:   pulumi.String("SimpleSchedulePolicy"),
				ScheduleRunFrequency: pulumi.String("Daily"),
				ScheduleRunTimes:     at,
			},
			RetentionPolicy: retention,
		},
		Tags: tags,
	}, parent)
	if err != nil {
		return nil, fmt.Errorf("creating VM backup policy: %w", err)
	}

	for _, d := range a.Databases {
		dopts := []pulumi.ResourceOption{parent}
		if d.Provider != nil {
			dopts = append(dopts, pulumi.Provider(d.Provider))
		}
		if _, err := sql.NewBackupShortTermRetentionPolicy(ctx, name+"-"+d.Key+"-pitr", &sql.BackupShortTermRetentionPolicyArgs{
			ResourceGroupName: d.ResourceGroupName,
			ServerName:        d.ServerName,
			DatabaseName:      d.DatabaseName,
			PolicyName:        pulumi.String("default"),
			RetentionDays:     pulumi.Int(a.SQLRetentionDays),
		}, dopts...); err != nil {
			return nil, fmt.Errorf("creating short-term retention of %q: %w", d.Key, err)
		}
		if a.WeeklyRetentionDays > 0 {
			if _, err := sql.NewLongTermRetentionPolicy(ctx, name+"-"+d.Key+"-ltr", &sql.LongTermRetentionPolicyArgs{
				ResourceGroupName: d.ResourceGroupName,
				ServerName:        d.ServerName,
				DatabaseName:      d.DatabaseName,
				PolicyName:        pulumi.String("default"),
				WeeklyRetention:   pulumi.String(fmt.Sprintf("P%dW", weeks(a.WeeklyRetentionDays))),
			}, dopts...); err != nil {
				return nil, fmt.Errorf("creating long-term retention of %q: %w", d.Key, err)
			}
		}
	}

	b.VaultID = vault.ID().ToStringOutput()
	b.VaultName = vault.Name
	b.VMPolicyID = policy.ID().ToStringOutput()
	return b, ctx.RegisterResourceOutputs(b, pulumi.Map{"vaultId": b.VaultID, "vaultName": b.VaultName, "vmPolicyId": b.VMPolicyID})
}
