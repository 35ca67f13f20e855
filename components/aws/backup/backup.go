// Package backup schedules AWS Backup for a stack: a vault encrypted with its own
// customer-managed KMS key, a plan with a daily and an optional weekly rule, a selection
// (by ARN and by tag) with a least-privilege service role, an optional copy of every
// recovery point to a vault in a second region, and an optional vault lock.
//
// The component is placed in a region by the provider passed in its options; the copy vault
// by the provider in CopyArgs. It performs no lookups, so it previews offline.
package backup

import (
	"encoding/json"
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/backup"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/kms"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// TypeToken is the component's type; it is part of every child's URN, so changing it
// needs pulumi.Aliases.
const TypeToken = "scalestack:aws:Backup"

// The AWS managed policies the selection's role gets: take backups and restore them.
const (
	BackupPolicyARN  = "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup"
	RestorePolicyARN = "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores"
)

// Rule windows, in minutes: start within an hour of the schedule, finish within a day.
const (
	startWindowMinutes      = 60
	completionWindowMinutes = 1440
)

// Backup is a vault, a plan and a selection (and optionally a copy vault).
type Backup struct {
	pulumi.ResourceState

	// VaultARN is the primary vault's ARN.
	VaultARN pulumi.StringOutput `pulumi:"vaultArn"`
	// VaultName is the primary vault's name.
	VaultName pulumi.StringOutput `pulumi:"vaultName"`
	// PlanID is the backup plan's id.
	PlanID pulumi.StringOutput `pulumi:"planId"`
	// PlanARN is the backup plan's ARN.
	PlanARN pulumi.StringOutput `pulumi:"planArn"`
	// CopyVaultARN is the copy vault's ARN, "" without a copy.
	CopyVaultARN pulumi.StringOutput `pulumi:"copyVaultArn"`
	// SelectionID is the backup selection's id.
	SelectionID pulumi.StringOutput `pulumi:"selectionId"`
	// RoleARN is the IAM role AWS Backup assumes for the selection.
	RoleARN pulumi.StringOutput `pulumi:"roleArn"`
}

// New validates args, applies defaults and registers the backup's resources.
func New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*Backup, error) {
	if args == nil {
		args = &Args{}
	}
	a := args.withDefaults()
	if err := validate(name, a); err != nil {
		return nil, fmt.Errorf("backup %q: %w", name, err)
	}

	b := &Backup{}
	if err := ctx.RegisterComponentResource(TypeToken, name, b, opts...); err != nil {
		return nil, err
	}
	parent := pulumi.Parent(b)

	vault, err := newVault(ctx, name, "", a.DestroyRecoveryPoints, a.Tags, parent)
	if err != nil {
		return nil, err
	}

	if a.LockMinRetentionDays > 0 {
		// Governance mode (no ChangeableForDays): compliance mode can never be undone.
		if _, err := backup.NewVaultLockConfiguration(ctx, name+"-lock", &backup.VaultLockConfigurationArgs{
			BackupVaultName:  vault.Name,
			MinRetentionDays: pulumi.Int(a.LockMinRetentionDays),
		}, parent); err != nil {
			return nil, fmt.Errorf("locking vault %q: %w", name, err)
		}
	}

	b.CopyVaultARN = pulumi.String("").ToStringOutput()
	copyActions := func(int) backup.PlanRuleCopyActionArray { return nil }
	if c := a.Copy; c != nil {
		copyVault, err := newVault(ctx, name, "-copy", a.DestroyRecoveryPoints, a.Tags, parent, pulumi.Provider(c.Provider))
		if err != nil {
			return nil, err
		}
		b.CopyVaultARN = copyVault.Arn
		copyActions = func(ruleRetention int) backup.PlanRuleCopyActionArray {
			days := c.RetentionDays
			if days == 0 {
				days = ruleRetention
			}
			return backup.PlanRuleCopyActionArray{backup.PlanRuleCopyActionArgs{
				DestinationVaultArn: copyVault.Arn,
				Lifecycle:           &backup.PlanRuleCopyActionLifecycleArgs{DeleteAfter: pulumi.Int(days)},
			}}
		}
	}

	dailyCron, weeklyCron := cron(a.DailyAt)
	rule := func(ruleName, schedule string, retention int) backup.PlanRuleArgs {
		return backup.PlanRuleArgs{
			RuleName:                   pulumi.String(ruleName),
			TargetVaultName:            vault.Name,
			Schedule:                   pulumi.String(schedule),
			ScheduleExpressionTimezone: pulumi.String("Etc/UTC"),
			StartWindow:                pulumi.Int(startWindowMinutes),
			CompletionWindow:           pulumi.Int(completionWindowMinutes),
			Lifecycle:                  &backup.PlanRuleLifecycleArgs{DeleteAfter: pulumi.Int(retention)},
			CopyActions:                copyActions(retention),
			RecoveryPointTags:          pulumi.StringMap{"backup-rule": pulumi.String(ruleName)},
		}
	}
	rules := backup.PlanRuleArray{rule("daily", dailyCron, a.RetentionDays)}
	if a.WeeklyRetentionDays > 0 {
		rules = append(rules, rule("weekly", weeklyCron, a.WeeklyRetentionDays))
	}
	plan, err := backup.NewPlan(ctx, name+"-plan", &backup.PlanArgs{
		Rules: rules,
		Tags:  tags(a.Tags, name+"-plan"),
	}, parent)
	if err != nil {
		return nil, fmt.Errorf("creating plan %q: %w", name+"-plan", err)
	}

	role, attachments, err := newRole(ctx, name, a.Tags, parent)
	if err != nil {
		return nil, err
	}

	var selectionTags backup.SelectionSelectionTagArray
	if t := a.SelectionTag; t != nil {
		selectionTags = backup.SelectionSelectionTagArray{backup.SelectionSelectionTagArgs{
			Type: pulumi.String("STRINGEQUALS"), Key: pulumi.String(t.Key), Value: pulumi.String(t.Value),
		}}
	}
	// ARNs and tags are alternatives: a resource is backed up when it is listed or tagged.
	selection, err := backup.NewSelection(ctx, name+"-selection", &backup.SelectionArgs{
		PlanId:        plan.ID(),
		IamRoleArn:    role.Arn,
		Resources:     a.ResourceARNs,
		SelectionTags: selectionTags,
	}, parent, pulumi.DependsOn(attachments))
	if err != nil {
		return nil, fmt.Errorf("creating selection %q: %w", name+"-selection", err)
	}

	b.VaultARN = vault.Arn
	b.VaultName = vault.Name
	b.PlanID = plan.ID().ToStringOutput()
	b.PlanARN = plan.Arn
	b.SelectionID = selection.ID().ToStringOutput()
	b.RoleARN = role.Arn
	return b, ctx.RegisterResourceOutputs(b, pulumi.Map{
		"vaultArn":     b.VaultARN,
		"vaultName":    b.VaultName,
		"planId":       b.PlanID,
		"planArn":      b.PlanARN,
		"copyVaultArn": b.CopyVaultARN,
		"selectionId":  b.SelectionID,
		"roleArn":      b.RoleARN,
	})
}

// newVault creates "<name><suffix>-key" and "<name><suffix>-vault". The key is retained on
// delete: recovery points encrypted with a deleted key cannot be restored. The vault is
// emptied on delete with destroyPoints, else retained (a vault holding recovery points
// cannot be deleted).
func newVault(ctx *pulumi.Context, name, suffix string, destroyPoints bool, userTags map[string]string, opts ...pulumi.ResourceOption) (*backup.Vault, error) {
	base := name + suffix
	key, err := kms.NewKey(ctx, base+"-key", &kms.KeyArgs{
		Description:          pulumi.Sprintf("AWS Backup vault %s-vault", base),
		EnableKeyRotation:    pulumi.Bool(true),
		DeletionWindowInDays: pulumi.Int(30),
		Tags:                 tags(userTags, base+"-key"),
	}, append(append([]pulumi.ResourceOption{}, opts...), pulumi.RetainOnDelete(true))...)
	if err != nil {
		return nil, fmt.Errorf("creating key %q: %w", base+"-key", err)
	}
	vault, err := backup.NewVault(ctx, base+"-vault", &backup.VaultArgs{
		KmsKeyArn:    key.Arn,
		ForceDestroy: pulumi.Bool(destroyPoints),
		Tags:         tags(userTags, base+"-vault"),
	}, append(append([]pulumi.ResourceOption{}, opts...), pulumi.RetainOnDelete(!destroyPoints))...)
	if err != nil {
		return nil, fmt.Errorf("creating vault %q: %w", base+"-vault", err)
	}
	return vault, nil
}

// newRole creates the role AWS Backup assumes, with the backup and restore managed policies.
func newRole(ctx *pulumi.Context, name string, userTags map[string]string, opts ...pulumi.ResourceOption) (*iam.Role, []pulumi.Resource, error) {
	assume, _ := json.Marshal(map[string]any{
		"Version": "2012-10-17",
		"Statement": []map[string]any{{
			"Effect":    "Allow",
			"Principal": map[string]any{"Service": "backup.amazonaws.com"},
			"Action":    "sts:AssumeRole",
		}},
	})
	rname := name + "-role"
	role, err := iam.NewRole(ctx, rname, &iam.RoleArgs{
		Description:      pulumi.Sprintf("AWS Backup for %s", name),
		AssumeRolePolicy: pulumi.String(string(assume)),
		Tags:             tags(userTags, rname),
	}, opts...)
	if err != nil {
		return nil, nil, fmt.Errorf("creating role %q: %w", rname, err)
	}
	var attachments []pulumi.Resource
	for _, p := range []struct{ suffix, arn string }{{"-backup", BackupPolicyARN}, {"-restores", RestorePolicyARN}} {
		att, err := iam.NewRolePolicyAttachment(ctx, name+p.suffix, &iam.RolePolicyAttachmentArgs{
			Role:      role.Name,
			PolicyArn: pulumi.String(p.arn),
		}, opts...)
		if err != nil {
			return nil, nil, fmt.Errorf("attaching %s to %q: %w", p.arn, rname, err)
		}
		attachments = append(attachments, att)
	}
	return role, attachments, nil
}

// tags merges the user's tags with the child's Name (the child's wins).
func tags(user map[string]string, name string) pulumi.StringMap {
	out := pulumi.StringMap{}
	for k, v := range user {
		out[k] = pulumi.String(v)
	}
	out["Name"] = pulumi.String(name)
	return out
}
