package backup

import (
	"testing"

	"github.com/pulumi/pulumi-gcp/sdk/v7/go/gcp"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scalestack/scalestack/testkit"
)

func TestResolve(t *testing.T) {
	r, err := (*Args)(nil).resolve()
	require.NoError(t, err)
	assert.Equal(t, "03:00", r.DailyAt)
	assert.Equal(t, "00:00", r.StartTime, "03:00 runs in the 00:00 window")
	assert.Equal(t, 7, r.RetentionDays)
	assert.Equal(t, "", r.StorageLocation)
	for at, want := range map[string]string{"23:59": "20:00", "04:00": "04:00", "13:30": "12:00"} {
		r, err := (&Args{DailyAt: at}).resolve()
		require.NoError(t, err)
		assert.Equal(t, want, r.StartTime, at)
	}

	cases := []struct {
		args Args
		want string
	}{
		{Args{DailyAt: "3am"}, `DailyAt "3am" is not allowed: want HH:MM in UTC`},
		{Args{RetentionDays: -1}, "RetentionDays -1 is not allowed: want 1-65536"},
		{Args{StorageLocation: "US East"}, `StorageLocation "US East" is not allowed`},
	}
	for _, c := range cases {
		_, err := c.args.resolve()
		require.Error(t, err, c.want)
		assert.Contains(t, err.Error(), c.want)
	}
}

func TestInvalidArgsRegisterNothing(t *testing.T) {
	plan, err := testkit.Run(func(ctx *pulumi.Context) error {
		_, err := New(ctx, "snap", &Args{DailyAt: "24:00"})
		return err
	})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `backup "snap": DailyAt "24:00"`)
	assert.Nil(t, plan)
}

func TestSnapshotSchedule(t *testing.T) {
	plan, err := testkit.RunExports(func(ctx *pulumi.Context) (pulumi.Map, error) {
		p, err := gcp.NewProvider(ctx, "gcp-us-east1", &gcp.ProviderArgs{Region: pulumi.String("us-east1")})
		if err != nil {
			return nil, err
		}
		b, err := New(ctx, "snap", &Args{DailyAt: "05:30", RetentionDays: 35, StorageLocation: "us"}, pulumi.Provider(p))
		if err != nil {
			return nil, err
		}
		return pulumi.Map{"policy": b.PolicySelfLink, "id": b.PolicyID}, nil
	})
	require.NoError(t, err)
	comp := plan.Find(typeToken, "snap")
	kids := plan.Children(comp.URN)
	require.Len(t, kids, 1)
	pol := kids[0]
	assert.Equal(t, "gcp:compute/resourcePolicy:ResourcePolicy", pol.Type)
	assert.Equal(t, "us-east1", pol.Region())
	assert.Equal(t, "04:00", pol.InputString("snapshotSchedulePolicy.schedule.dailySchedule.startTime"))
	assert.Equal(t, 1.0, pol.Input("snapshotSchedulePolicy.schedule.dailySchedule.daysInCycle"))
	assert.Equal(t, 35.0, pol.Input("snapshotSchedulePolicy.retentionPolicy.maxRetentionDays"))
	assert.Equal(t, "KEEP_AUTO_SNAPSHOTS", pol.InputString("snapshotSchedulePolicy.retentionPolicy.onSourceDiskDelete"))
	assert.Equal(t, "us", pol.InputString("snapshotSchedulePolicy.snapshotProperties.storageLocations"))
	assert.Contains(t, plan.Outputs["policy"], "/regions/us-east1/resourcePolicies/snap-")
	assert.Equal(t, pol.ID, plan.Outputs["id"])
	assert.Regexp(t, `^projects/[a-z0-9-]+/regions/us-east1/resourcePolicies/snap-[0-9a-f]{7}$`, pol.ID)
}
