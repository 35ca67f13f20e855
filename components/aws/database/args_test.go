package database

import (
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// validArgs are the least a caller must give.
func validArgs() Args {
	return Args{
		VpcID:                   pulumi.String("vpc-1"),
		SubnetIDs:               pulumi.ToStringArray([]string{"subnet-a", "subnet-b"}),
		AllowedSecurityGroupIDs: pulumi.ToStringArray([]string{"sg-web"}),
	}
}

type fakeProvider struct{ pulumi.ProviderResourceState }

func TestWithDefaults(t *testing.T) {
	d := validArgs().withDefaults()
	assert.Equal(t, "16", d.EngineVersion)
	assert.Equal(t, "db.t4g.medium", d.InstanceClass)
	assert.Equal(t, "db.t4g.medium", d.ReplicaInstanceClass, "replicas follow the primary's class")
	assert.True(t, *d.MultiAZ)
	assert.True(t, *d.DeletionProtection)
	assert.True(t, *d.FinalSnapshot)
	assert.Equal(t, 20, d.AllocatedStorageGB)
	assert.Equal(t, 80, d.MaxAllocatedStorageGB)
	assert.Equal(t, "app_admin", d.Username)
	assert.Equal(t, "app", d.DatabaseName)
	assert.Equal(t, 7, d.BackupRetentionDays)
	assert.Equal(t, "01:00-02:00", d.BackupWindow)
	assert.Equal(t, "sun:05:00-sun:06:00", d.MaintenanceWindow)
	assert.Equal(t, 0, d.MonitoringIntervalSeconds)
	assert.Equal(t, 0, d.ReadReplicas)
	assert.Nil(t, d.CrossRegion)
	require.NoError(t, validate("db", d))

	// Explicit values survive; derived defaults follow them.
	in := validArgs()
	in.InstanceClass = "db.r6g.large"
	in.AllocatedStorageGB = 20000
	in.MultiAZ = new(false)
	in.DeletionProtection = new(false)
	in.FinalSnapshot = new(false)
	in.CrossRegion = &CrossRegionArgs{}
	d = in.withDefaults()
	assert.Equal(t, "db.r6g.large", d.ReplicaInstanceClass)
	assert.Equal(t, "db.r6g.large", d.CrossRegion.InstanceClass)
	assert.Equal(t, 65536, d.MaxAllocatedStorageGB, "the autoscaling ceiling is capped at the RDS limit")
	assert.False(t, *d.MultiAZ)
	assert.False(t, *d.DeletionProtection)
	assert.False(t, *d.FinalSnapshot)
	assert.Empty(t, in.CrossRegion.InstanceClass, "withDefaults does not modify its receiver's pointees")

	in = validArgs()
	in.ReplicaInstanceClass = "db.t4g.large"
	in.CrossRegion = &CrossRegionArgs{}
	assert.Equal(t, "db.t4g.large", in.withDefaults().CrossRegion.InstanceClass)
}

func TestValidate(t *testing.T) {
	cr := func() *CrossRegionArgs {
		return &CrossRegionArgs{
			Provider: &fakeProvider{}, VpcID: pulumi.String("vpc-2"),
			SubnetIDs: pulumi.ToStringArray([]string{"s"}), AllowedSecurityGroupIDs: pulumi.ToStringArray([]string{"sg"}),
		}
	}
	tests := []struct {
		name   string
		dbName string
		change func(*Args)
		want   []string // every fragment must appear; nil means valid
	}{
		{"defaults", "db", func(*Args) {}, nil},
		{"five replicas", "db", func(a *Args) { a.ReadReplicas = 5 }, nil},
		{"cross region", "db", func(a *Args) { a.CrossRegion = cr() }, nil},
		{"wrapping backup window", "db", func(a *Args) { a.BackupWindow = "23:45-00:30" }, nil},
		{"too many replicas", "db", func(a *Args) { a.ReadReplicas = 9 }, []string{"ReadReplicas 9 is not allowed: want 0-5"}},
		{"negative replicas", "db", func(a *Args) { a.ReadReplicas = -1 }, []string{"ReadReplicas -1 is not allowed: want 0-5"}},
		{"retention too long", "db", func(a *Args) { a.BackupRetentionDays = 36 }, []string{"BackupRetentionDays 36 is not allowed: want 1-35"}},
		{"retention negative", "db", func(a *Args) { a.BackupRetentionDays = -1 }, []string{"BackupRetentionDays -1 is not allowed: want 1-35"}},
		{"no vpc", "db", func(a *Args) { a.VpcID = nil }, []string{"VpcID is required"}},
		{"no subnets", "db", func(a *Args) { a.SubnetIDs = nil }, []string{"SubnetIDs is required"}},
		{"no allowed groups", "db", func(a *Args) { a.AllowedSecurityGroupIDs = nil }, []string{"AllowedSecurityGroupIDs is required"}},
		{"bad engine version", "db", func(a *Args) { a.EngineVersion = "latest" }, []string{`EngineVersion "latest" is not allowed: want a PostgreSQL version like "16"`}},
		{"old engine version", "db", func(a *Args) { a.EngineVersion = "11.22" }, []string{`EngineVersion "11.22" is not allowed: want PostgreSQL 12 or later`}},
		{"bad class", "db", func(a *Args) { a.InstanceClass = "t3.micro" }, []string{`InstanceClass "t3.micro" is not allowed`, `ReplicaInstanceClass "t3.micro" is not allowed`}},
		{"bad replica class", "db", func(a *Args) { a.ReplicaInstanceClass = "m5.large" }, []string{`ReplicaInstanceClass "m5.large" is not allowed: want an RDS instance class`}},
		{"storage too small", "db", func(a *Args) { a.AllocatedStorageGB = 10 }, []string{"AllocatedStorageGB 10 is not allowed: want 20-65536"}},
		{"storage too big", "db", func(a *Args) { a.AllocatedStorageGB = 70000; a.MaxAllocatedStorageGB = 70000 }, []string{"AllocatedStorageGB 70000 is not allowed: want 20-65536", "MaxAllocatedStorageGB 70000 is not allowed"}},
		{"ceiling below allocation", "db", func(a *Args) { a.AllocatedStorageGB = 100; a.MaxAllocatedStorageGB = 50 }, []string{"MaxAllocatedStorageGB 50 is not allowed: want 100-65536 (at least AllocatedStorageGB)"}},
		{"bad username", "db", func(a *Args) { a.Username = "1admin" }, []string{`Username "1admin" is not allowed`}},
		{"reserved username", "db", func(a *Args) { a.Username = "rdsadmin" }, []string{`Username "rdsadmin" is not allowed`, "reserved"}},
		{"bad database name", "db", func(a *Args) { a.DatabaseName = "my-app" }, []string{`DatabaseName "my-app" is not allowed`}},
		{"bad backup window", "db", func(a *Args) { a.BackupWindow = "1am-2am" }, []string{`BackupWindow "1am-2am" is not allowed: want "hh:mm-hh:mm" in UTC`}},
		{"short backup window", "db", func(a *Args) { a.BackupWindow = "01:00-01:10" }, []string{`BackupWindow "01:00-01:10" is not allowed: want at least 30 minutes`}},
		{"bad maintenance window", "db", func(a *Args) { a.MaintenanceWindow = "sunday 5am" }, []string{`MaintenanceWindow "sunday 5am" is not allowed: want "ddd:hh:mm-ddd:hh:mm"`}},
		{"windows overlap", "db", func(a *Args) { a.BackupWindow = "05:30-06:30" }, []string{`BackupWindow "05:30-06:30" is not allowed: it overlaps MaintenanceWindow "sun:05:00-sun:06:00"`}},
		{"windows overlap across midnight", "db", func(a *Args) { a.BackupWindow = "23:30-00:30"; a.MaintenanceWindow = "sat:23:00-sun:00:15" }, []string{"it overlaps MaintenanceWindow"}},
		{"bad monitoring interval", "db", func(a *Args) { a.MonitoringIntervalSeconds = 7 }, []string{"MonitoringIntervalSeconds 7 is not allowed: want one of 0, 1, 5, 10, 15, 30, 60"}},
		{"cross region without provider", "db", func(a *Args) { c := cr(); c.Provider = nil; a.CrossRegion = c }, []string{"CrossRegion.Provider is required"}},
		{"cross region without network", "db", func(a *Args) { a.CrossRegion = &CrossRegionArgs{Provider: &fakeProvider{}} },
			[]string{"CrossRegion.VpcID is required", "CrossRegion.SubnetIDs is required", "CrossRegion.AllowedSecurityGroupIDs is required"}},
		{"cross region bad class", "db", func(a *Args) { c := cr(); c.InstanceClass = "large"; a.CrossRegion = c }, []string{`CrossRegion.InstanceClass "large" is not allowed`}},
		{"upper-case name", "DB", func(*Args) {}, []string{`name "DB" is not allowed: want lowercase letters`}},
		{"double hyphen name", "my--db", func(*Args) {}, []string{`name "my--db" is not allowed`}},
		{"long name", strings.Repeat("a", 41), func(*Args) {}, []string{"at most 40 characters"}},
		{"every problem at once", "db", func(a *Args) { a.ReadReplicas = 6; a.BackupRetentionDays = 40 },
			[]string{"BackupRetentionDays 40 is not allowed: want 1-35; ReadReplicas 6 is not allowed: want 0-5"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := validArgs()
			tt.change(&a)
			err := validate(tt.dbName, a.withDefaults())
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
