package backup

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Defaults applied by Args.withDefaults. They are part of the documented contract.
const (
	DefaultDailyAt       = "03:00"
	DefaultRetentionDays = 35
	// maxRetentionDays is the longest retention a Backup accepts (ten years).
	maxRetentionDays = 3650
)

// Args configures a Backup. Zero values mean the documented default.
type Args struct {
	// DailyAt is the UTC time of the daily backup, "HH:MM". Default: "03:00".
	DailyAt string
	// RetentionDays keeps daily recovery points. Default: 35. Allowed: 1-3650.
	RetentionDays int
	// WeeklyRetentionDays keeps the weekly recovery point, taken Sundays at DailyAt.
	// Default: 0, meaning no weekly rule. Allowed: 0-3650. (On Sundays AWS Backup keeps one
	// recovery point, with the longer retention.)
	WeeklyRetentionDays int

	// ResourceARNs are resources the selection covers by ARN (the database). At least one of
	// ResourceARNs and SelectionTag is required.
	ResourceARNs pulumi.StringArrayInput
	// SelectionTag also selects every resource carrying this tag (the instances).
	// Default: nil (select by ARN only).
	SelectionTag *SelectionTag

	// Copy copies every recovery point to a vault in another region. Default: nil (no copy).
	Copy *CopyArgs
	// LockMinRetentionDays locks the vault (governance mode: removable by privileged IAM
	// principals, never by a backup job) so no recovery point is kept for less than this.
	// Default: 0 (no lock). Allowed: 0, or 1 up to the shortest rule retention.
	LockMinRetentionDays int

	// DestroyRecoveryPoints deletes every recovery point with the vaults when they are
	// deleted (AWS Backup deletes only empty vaults, so without it `pulumi destroy` fails once a
	// backup ran): for dev stacks. Default: false: the vaults are retained on delete, with
	// their recovery points (and their keys, as always).
	DestroyRecoveryPoints bool

	// Tags are added to every child (over the provider's default tags).
	Tags map[string]string
}

// SelectionTag selects resources by one tag, key and value equal.
type SelectionTag struct {
	// Key of the tag. Required.
	Key string
	// Value the tag must have. Required.
	Value string
}

// CopyArgs places a copy vault in a second region.
type CopyArgs struct {
	// Provider is the explicit provider of the copy's region. Required.
	Provider pulumi.ProviderResource
	// RetentionDays keeps the copies. Default: 0, meaning each rule's own retention.
	// Allowed: 0-3650.
	RetentionDays int
}

// maxNameLength keeps "<name>-copy-vault" plus Pulumi's 8-character auto-name suffix
// inside AWS Backup's 50-character vault names.
const maxNameLength = 30

var (
	dailyAtRE = regexp.MustCompile(`^([01][0-9]|2[0-3]):([0-5][0-9])$`)
	nameRE    = regexp.MustCompile(`^[A-Za-z0-9_-]{1,30}$`)
)

// withDefaults returns a copy of a with every zero value replaced by its documented default.
// It is pure: the one place defaults live.
func (a Args) withDefaults() Args {
	if a.DailyAt == "" {
		a.DailyAt = DefaultDailyAt
	}
	if a.RetentionDays == 0 {
		a.RetentionDays = DefaultRetentionDays
	}
	return a
}

// validate checks defaulted arguments, reporting every problem at once. It is pure and runs
// before anything is registered.
func validate(name string, a Args) error {
	var p []string
	bad := func(format string, args ...any) { p = append(p, fmt.Sprintf(format, args...)) }

	if !nameRE.MatchString(name) {
		bad("name %q is not allowed: want 1-%d letters, digits, hyphens or underscores (it prefixes the vault and plan names)", name, maxNameLength)
	}
	if !dailyAtRE.MatchString(a.DailyAt) {
		bad("DailyAt %q is not allowed: want \"HH:MM\" in UTC, like %q", a.DailyAt, DefaultDailyAt)
	}
	if a.RetentionDays < 1 || a.RetentionDays > maxRetentionDays {
		bad("RetentionDays %d is not allowed: want 1-%d", a.RetentionDays, maxRetentionDays)
	}
	if a.WeeklyRetentionDays < 0 || a.WeeklyRetentionDays > maxRetentionDays {
		bad("WeeklyRetentionDays %d is not allowed: want 0 (no weekly backup) or 1-%d", a.WeeklyRetentionDays, maxRetentionDays)
	}
	if a.ResourceARNs == nil && a.SelectionTag == nil {
		bad("ResourceARNs or SelectionTag is required: the selection would cover nothing")
	}
	if t := a.SelectionTag; t != nil {
		if t.Key == "" || len(t.Key) > 128 {
			bad("SelectionTag.Key %q is not allowed: want 1-128 characters", t.Key)
		}
		if t.Value == "" || len(t.Value) > 256 {
			bad("SelectionTag.Value %q is not allowed: want 1-256 characters", t.Value)
		}
	}
	if c := a.Copy; c != nil {
		if c.Provider == nil {
			bad("Copy.Provider is required: the provider of the copy vault's region")
		}
		if c.RetentionDays < 0 || c.RetentionDays > maxRetentionDays {
			bad("Copy.RetentionDays %d is not allowed: want 0 (each rule's retention) or 1-%d", c.RetentionDays, maxRetentionDays)
		}
	}
	if a.LockMinRetentionDays != 0 {
		shortest := a.RetentionDays
		if a.WeeklyRetentionDays > 0 && a.WeeklyRetentionDays < shortest {
			shortest = a.WeeklyRetentionDays
		}
		if a.LockMinRetentionDays < 1 || a.LockMinRetentionDays > shortest {
			bad("LockMinRetentionDays %d is not allowed: want 0 (no lock) or 1-%d (the shortest rule retention, or the lock rejects that rule's backups)", a.LockMinRetentionDays, shortest)
		}
	}
	if len(p) == 0 {
		return nil
	}
	return errors.New(strings.Join(p, "; "))
}

// cron turns "HH:MM" into AWS Backup schedule expressions: every day, and Sundays.
func cron(dailyAt string) (daily, weekly string) {
	m := dailyAtRE.FindStringSubmatch(dailyAt)
	hour, minute := strings.TrimPrefix(m[1], "0"), strings.TrimPrefix(m[2], "0")
	if hour == "" {
		hour = "0"
	}
	if minute == "" {
		minute = "0"
	}
	return fmt.Sprintf("cron(%s %s * * ? *)", minute, hour), fmt.Sprintf("cron(%s %s ? * SUN *)", minute, hour)
}
