// Package backup creates the snapshot schedule of one Google Cloud region: a resource
// policy that snapshots the disks it is attached to every day and keeps the snapshots for
// a retention period, optionally storing them in a multi-region so they survive the loss of
// the region. Attach it (Backup.PolicyID) to stateful disks: a compute.Disk's
// resourcePolicies, or a compute.DiskResourcePolicyAttachment.
//
// Do not attach it to the boot disks of a managed instance group (webtier): the group
// recreates those instances from their template on every scale-in, repair and update, so
// their snapshots hold nothing worth restoring, and KEEP_AUTO_SNAPSHOTS keeps the snapshots
// of every deleted disk. The scalestack backend creates none: its only state is Cloud SQL,
// whose backups and point-in-time recovery are configured on the database
// (database.Args.BackupRetentionDays, PointInTimeRecoveryDays, BackupLocation).
//
// The region is the one of the provider given in opts.
package backup

import (
	"fmt"
	"regexp"
	"strconv"

	"github.com/pulumi/pulumi-gcp/sdk/v7/go/gcp/compute"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

const typeToken = "scalestack:gcp:Backup"

// Args configures a Backup. Zero values mean the documented default.
type Args struct {
	// DailyAt is the UTC time of the daily snapshot, "HH:MM". Google Cloud starts daily
	// snapshot schedules on a four-hour boundary, so the window used is the one that starts
	// at or before it (03:00 runs in the 00:00 window). Default: 03:00.
	DailyAt string
	// RetentionDays keeps each snapshot. Default: 7. Allowed: 1-65536.
	RetentionDays int
	// StorageLocation stores the snapshots in a region or multi-region ("us", "eu"), such as
	// one that also covers the secondary region. Default: "" (the disk's region).
	StorageLocation string
	// Labels are added to every snapshot. Default: none.
	Labels map[string]string
}

var (
	hhmmRE     = regexp.MustCompile(`^([01][0-9]|2[0-3]):[0-5][0-9]$`)
	locationRE = regexp.MustCompile(`^[a-z]+(-[a-z]+[0-9])?$`)
)

type resolved struct {
	Args
	// StartTime is the schedule window start, "HH:00" on a four-hour boundary.
	StartTime string
}

func (a *Args) resolve() (resolved, error) {
	var r resolved
	if a != nil {
		r.Args = *a
	}
	if r.DailyAt == "" {
		r.DailyAt = "03:00"
	}
	if r.RetentionDays == 0 {
		r.RetentionDays = 7
	}
	if !hhmmRE.MatchString(r.DailyAt) {
		return r, fmt.Errorf("DailyAt %q is not allowed: want HH:MM in UTC, 00:00 to 23:59", r.DailyAt)
	}
	if r.RetentionDays < 1 || r.RetentionDays > 65536 {
		return r, fmt.Errorf("RetentionDays %d is not allowed: want 1-65536", r.RetentionDays)
	}
	if r.StorageLocation != "" && !locationRE.MatchString(r.StorageLocation) {
		return r, fmt.Errorf("StorageLocation %q is not allowed: want a region (us-east1) or multi-region (us, eu, asia)", r.StorageLocation)
	}
	hour, _ := strconv.Atoi(r.DailyAt[:2])
	r.StartTime = fmt.Sprintf("%02d:00", hour/4*4)
	return r, nil
}

// Backup is one region's daily snapshot schedule.
type Backup struct {
	pulumi.ResourceState

	// PolicySelfLink is the snapshot schedule resource policy's self link.
	PolicySelfLink pulumi.StringOutput `pulumi:"policySelfLink"`
	// PolicyID is its ID (projects/<p>/regions/<r>/resourcePolicies/<name>), the form disks
	// and instance templates take.
	PolicyID pulumi.StringOutput `pulumi:"policyId"`
	// PolicyName is its name.
	PolicyName pulumi.StringOutput `pulumi:"policyName"`
}

// New validates args, applies defaults and registers the snapshot schedule.
func New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*Backup, error) {
	a, err := args.resolve()
	if err != nil {
		return nil, fmt.Errorf("backup %q: %w", name, err)
	}
	b := &Backup{}
	if err := ctx.RegisterComponentResource(typeToken, name, b, opts...); err != nil {
		return nil, err
	}
	props := &compute.ResourcePolicySnapshotSchedulePolicySnapshotPropertiesArgs{
		Labels: pulumi.ToStringMap(a.Labels),
	}
	if a.StorageLocation != "" {
		props.StorageLocations = pulumi.String(a.StorageLocation)
	}
	policy, err := compute.NewResourcePolicy(ctx, name, &compute.ResourcePolicyArgs{
		Description: pulumi.String(fmt.Sprintf("daily snapshots kept %d days", a.RetentionDays)),
		SnapshotSchedulePolicy: &compute.ResourcePolicySnapshotSchedulePolicyArgs{
			Schedule: &compute.ResourcePolicySnapshotSchedulePolicyScheduleArgs{
				DailySchedule: &compute.ResourcePolicySnapshotSchedulePolicyScheduleDailyScheduleArgs{
					DaysInCycle: pulumi.Int(1),
					StartTime:   pulumi.String(a.StartTime),
				},
			},
			RetentionPolicy: &compute.ResourcePolicySnapshotSchedulePolicyRetentionPolicyArgs{
				MaxRetentionDays:   pulumi.Int(a.RetentionDays),
				OnSourceDiskDelete: pulumi.String("KEEP_AUTO_SNAPSHOTS"),
			},
			SnapshotProperties: props,
		},
	}, pulumi.Parent(b))
	if err != nil {
		return nil, fmt.Errorf("creating snapshot schedule: %w", err)
	}
	b.PolicySelfLink = policy.SelfLink
	b.PolicyName = policy.Name
	b.PolicyID = policy.ID().ToStringOutput()
	return b, ctx.RegisterResourceOutputs(b, pulumi.Map{
		"policySelfLink": b.PolicySelfLink,
		"policyName":     b.PolicyName,
		"policyId":       b.PolicyID,
	})
}

// Validate reports the first problem with args, registering nothing.
func (a *Args) Validate() error { _, err := a.resolve(); return err }
