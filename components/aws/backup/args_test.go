package backup

import (
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type fakeProvider struct{ pulumi.ProviderResourceState }

func validArgs() Args {
	return Args{ResourceARNs: pulumi.ToStringArray([]string{"arn:aws:rds:us-east-1:123456789012:db:db"})}
}

func TestWithDefaults(t *testing.T) {
	d := validArgs().withDefaults()
	assert.Equal(t, "03:00", d.DailyAt)
	assert.Equal(t, 35, d.RetentionDays)
	assert.Equal(t, 0, d.WeeklyRetentionDays, "no weekly rule unless asked")
	assert.Nil(t, d.Copy)
	assert.Equal(t, 0, d.LockMinRetentionDays)
	require.NoError(t, validate("backup", d))

	in := validArgs()
	in.DailyAt, in.RetentionDays = "22:15", 7
	d = in.withDefaults()
	assert.Equal(t, "22:15", d.DailyAt)
	assert.Equal(t, 7, d.RetentionDays)
}

func TestCron(t *testing.T) {
	for _, tt := range []struct{ at, daily, weekly string }{
		{"03:00", "cron(0 3 * * ? *)", "cron(0 3 ? * SUN *)"},
		{"00:05", "cron(5 0 * * ? *)", "cron(5 0 ? * SUN *)"},
		{"23:59", "cron(59 23 * * ? *)", "cron(59 23 ? * SUN *)"},
		{"10:30", "cron(30 10 * * ? *)", "cron(30 10 ? * SUN *)"},
	} {
		daily, weekly := cron(tt.at)
		assert.Equal(t, tt.daily, daily, tt.at)
		assert.Equal(t, tt.weekly, weekly, tt.at)
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name   string
		bName  string
		change func(*Args)
		want   []string
	}{
		{"defaults", "backup", func(*Args) {}, nil},
		{"tag only", "backup", func(a *Args) { a.ResourceARNs = nil; a.SelectionTag = &SelectionTag{Key: "backup", Value: "daily"} }, nil},
		{"copy and lock", "backup", func(a *Args) {
			a.Copy = &CopyArgs{Provider: &fakeProvider{}, RetentionDays: 90}
			a.WeeklyRetentionDays = 90
			a.LockMinRetentionDays = 35
		}, nil},
		{"bad daily time", "backup", func(a *Args) { a.DailyAt = "3am" }, []string{`DailyAt "3am" is not allowed: want "HH:MM" in UTC, like "03:00"`}},
		{"hour out of range", "backup", func(a *Args) { a.DailyAt = "24:00" }, []string{`DailyAt "24:00" is not allowed`}},
		{"negative retention", "backup", func(a *Args) { a.RetentionDays = -1 }, []string{"RetentionDays -1 is not allowed: want 1-3650"}},
		{"retention too long", "backup", func(a *Args) { a.RetentionDays = 4000 }, []string{"RetentionDays 4000 is not allowed: want 1-3650"}},
		{"weekly negative", "backup", func(a *Args) { a.WeeklyRetentionDays = -7 }, []string{"WeeklyRetentionDays -7 is not allowed: want 0 (no weekly backup) or 1-3650"}},
		{"nothing selected", "backup", func(a *Args) { a.ResourceARNs = nil }, []string{"ResourceARNs or SelectionTag is required: the selection would cover nothing"}},
		{"empty tag", "backup", func(a *Args) { a.SelectionTag = &SelectionTag{} }, []string{`SelectionTag.Key "" is not allowed: want 1-128 characters`, `SelectionTag.Value "" is not allowed: want 1-256 characters`}},
		{"copy without provider", "backup", func(a *Args) { a.Copy = &CopyArgs{} }, []string{"Copy.Provider is required"}},
		{"copy retention negative", "backup", func(a *Args) { a.Copy = &CopyArgs{Provider: &fakeProvider{}, RetentionDays: -1} }, []string{"Copy.RetentionDays -1 is not allowed: want 0 (each rule's retention) or 1-3650"}},
		{"lock longer than daily retention", "backup", func(a *Args) { a.LockMinRetentionDays = 36 }, []string{"LockMinRetentionDays 36 is not allowed: want 0 (no lock) or 1-35"}},
		{"lock longer than weekly retention", "backup", func(a *Args) { a.WeeklyRetentionDays = 14; a.LockMinRetentionDays = 20 }, []string{"LockMinRetentionDays 20 is not allowed: want 0 (no lock) or 1-14"}},
		{"negative lock", "backup", func(a *Args) { a.LockMinRetentionDays = -1 }, []string{"LockMinRetentionDays -1 is not allowed"}},
		{"bad name", "my backup", func(*Args) {}, []string{`name "my backup" is not allowed: want 1-30 letters, digits, hyphens or underscores`}},
		{"long name", strings.Repeat("b", 31), func(*Args) {}, []string{"is not allowed: want 1-30"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := validArgs()
			tt.change(&a)
			err := validate(tt.bName, a.withDefaults())
			if tt.want == nil {
				assert.NoError(t, err)
				return
			}
			require.Error(t, err)
			for _, w := range tt.want {
				assert.Contains(t, err.Error(), w)
			}
		})
	}
}
