package spec_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scalestack/scalestack/stacks/spec"
)

func parse(t *testing.T, cfg map[string]string) (*spec.Spec, error) {
	t.Helper()
	return spec.FromMap("scalestack", "test", cfg)
}

func TestDefaultsPerEnvironment(t *testing.T) {
	dev, err := parse(t, map[string]string{})
	require.NoError(t, err)
	assert.Equal(t, spec.AWS, dev.Cloud)
	assert.Equal(t, spec.Dev, dev.Environment)
	assert.Equal(t, 1, dev.Web.MinSize)
	assert.Equal(t, 3, dev.Web.MaxSize)
	assert.Equal(t, 1, dev.Web.DesiredSize)
	assert.Equal(t, 55, dev.Web.TargetCPUPercent)
	assert.Equal(t, "/healthz", dev.Web.HealthCheckPath)
	assert.Equal(t, 0, dev.Database.ReadReplicas)
	assert.False(t, dev.Database.HighAvailability)
	assert.False(t, dev.Database.DeletionProtection)
	assert.False(t, dev.Database.CrossRegionReplica, "dev is single-region by default")
	assert.Equal(t, "", dev.AWS.SecondaryRegion)
	assert.False(t, dev.MultiRegion())
	assert.Equal(t, 7, dev.Backup.RetentionDays)
	assert.Equal(t, "03:00", dev.Backup.DailyAt)
	assert.True(t, dev.CDN.Enabled)

	prod, err := parse(t, map[string]string{"scalestack:environment": "prod"})
	require.NoError(t, err)
	assert.Equal(t, 2, prod.Web.MinSize)
	assert.Equal(t, 12, prod.Web.MaxSize)
	assert.Equal(t, 1, prod.Database.ReadReplicas)
	assert.True(t, prod.Database.HighAvailability)
	assert.True(t, prod.Database.DeletionProtection)
	assert.True(t, prod.Database.CrossRegionReplica)
	assert.Equal(t, 14, prod.Database.BackupRetentionDays)
	assert.Equal(t, "us-west-2", prod.AWS.SecondaryRegion)
	assert.True(t, prod.MultiRegion())
	assert.Equal(t, 35, prod.Backup.RetentionDays)
	assert.Equal(t, 90, prod.Backup.WeeklyRetentionDays)
	assert.True(t, prod.Backup.CopyToSecondary)
	assert.Equal(t, 3, prod.AWS.AvailabilityZones)
}

func TestExplicitValuesWin(t *testing.T) {
	s, err := parse(t, map[string]string{
		"scalestack:environment": "prod",
		"scalestack:web":         `{"minSize": 3, "maxSize": 9, "desiredSize": 4, "schedules": [{"name": "office-hours", "cron": "0 8 * * MON-FRI", "minSize": 4, "maxSize": 9, "desiredSize": 4}]}`,
		"scalestack:database":    `{"readReplicas": 2, "crossRegionReplica": false}`,
		"scalestack:aws":         `{"primaryRegion": "eu-west-1", "secondaryRegion": ""}`,
		"scalestack:backup":      `{"copyToSecondary": false}`,
	})
	require.NoError(t, err)
	assert.Equal(t, 3, s.Web.MinSize)
	assert.Equal(t, 4, s.Web.DesiredSize)
	require.Len(t, s.Web.Schedules, 1)
	assert.Equal(t, "office-hours", s.Web.Schedules[0].Name)
	assert.Equal(t, 2, s.Database.ReadReplicas)
	assert.False(t, s.Database.CrossRegionReplica)
	assert.Equal(t, "eu-west-1", s.PrimaryRegion())
	assert.False(t, s.MultiRegion(), `an explicit "" turns the secondary region off, even in prod`)
}

func TestSingleRegionDropsCrossRegionDefaults(t *testing.T) {
	s, err := parse(t, map[string]string{
		"scalestack:environment": "prod",
		"scalestack:aws":         `{"secondaryRegion": ""}`,
	})
	require.NoError(t, err)
	assert.False(t, s.Database.CrossRegionReplica)
	assert.False(t, s.Backup.CopyToSecondary)
}

func TestValidationErrorsNameKeyValueAndAllowed(t *testing.T) {
	cases := map[string]struct {
		cfg  map[string]string
		want string
	}{
		"cloud":            {map[string]string{"scalestack:cloud": "oracle"}, `scalestack:cloud: "oracle" is not allowed: want one of aws, azure, gcp`},
		"not an object":    {map[string]string{"scalestack:web": "big"}, `scalestack:web: "big" is not an object`},
		"unknown field":    {map[string]string{"scalestack:web": `{"minSise": 2}`}, "scalestack:web.minSise: unknown key (allowed: "},
		"not a number":     {map[string]string{"scalestack:web": `{"minSize": "two"}`}, `scalestack:web.minSize: "two" is not a number`},
		"fraction":         {map[string]string{"scalestack:database": `{"readReplicas": 1.5}`}, "scalestack:database.readReplicas: 1.5 is not allowed: want a whole number from 0 to 5"},
		"too many":         {map[string]string{"scalestack:database": `{"readReplicas": 9}`}, "scalestack:database.readReplicas: 9 is not allowed: want a whole number from 0 to 5"},
		"retention":        {map[string]string{"scalestack:database": `{"backupRetentionDays": 0}`}, "scalestack:database.backupRetentionDays: 0 is not allowed: want a whole number from 1 to 35"},
		"bool":             {map[string]string{"scalestack:cdn": `{"enabled": "yes"}`}, `scalestack:cdn.enabled: "yes" is not allowed: want true or false`},
		"desired":          {map[string]string{"scalestack:web": `{"minSize": 2, "maxSize": 4, "desiredSize": 5}`}, "scalestack:web.desiredSize: 5 is outside web.minSize..web.maxSize (2..4)"},
		"prod min":         {map[string]string{"scalestack:environment": "prod", "scalestack:web": `{"minSize": 1}`}, "scalestack:web.minSize: 1 is too few for prod"},
		"health path":      {map[string]string{"scalestack:web": `{"healthCheckPath": "healthz"}`}, `scalestack:web.healthCheckPath: "healthz" must start with "/"`},
		"schedule cron":    {map[string]string{"scalestack:web": `{"schedules": [{"name": "a", "cron": "daily", "minSize": 1, "maxSize": 2, "desiredSize": 1}]}`}, `scalestack:web.schedules[0].cron: "daily" is not a five-field cron expression`},
		"schedule dup":     {map[string]string{"scalestack:web": `{"schedules": [{"name": "a", "cron": "0 8 * * *", "maxSize": 1}, {"name": "a", "cron": "0 9 * * *", "maxSize": 1}]}`}, `scalestack:web.schedules[1].name: "a" is used twice`},
		"daily at":         {map[string]string{"scalestack:backup": `{"dailyAt": "3am"}`}, `scalestack:backup.dailyAt: "3am" is not a UTC time: want HH:MM`},
		"weekly":           {map[string]string{"scalestack:backup": `{"weeklyRetentionDays": 3}`}, "scalestack:backup.weeklyRetentionDays: 3 keeps a weekly backup less than a week"},
		"email":            {map[string]string{"scalestack:alerts": `{"email": "ops"}`}, `scalestack:alerts.email: "ops" is not an email address`},
		"domain":           {map[string]string{"scalestack:domain": `{"name": "not a domain"}`}, `scalestack:domain.name: "not a domain" is not a DNS name`},
		"region":           {map[string]string{"scalestack:aws": `{"primaryRegion": "Virginia"}`}, `scalestack:aws.primaryRegion: "Virginia" is not allowed: want an AWS region such as us-east-1`},
		"same region":      {map[string]string{"scalestack:aws": `{"secondaryRegion": "us-east-1"}`}, `scalestack:aws.secondaryRegion: "us-east-1" is the primary region`},
		"instance":         {map[string]string{"scalestack:aws": `{"instanceType": "large"}`}, `scalestack:aws.instanceType: "large" is not an EC2 instance type`},
		"image":            {map[string]string{"scalestack:aws": `{"imageId": "ubuntu"}`}, `scalestack:aws.imageId: "ubuntu" is neither an AMI ID`},
		"copy single":      {map[string]string{"scalestack:backup": `{"copyToSecondary": true}`}, "scalestack:backup.copyToSecondary: true needs a secondary region: set scalestack:aws.secondaryRegion"},
		"replica single":   {map[string]string{"scalestack:database": `{"crossRegionReplica": true}`}, "scalestack:database.crossRegionReplica: true needs a secondary region"},
		"azure location":   {map[string]string{"scalestack:cloud": "azure", "scalestack:azure": `{"primaryLocation": "East US"}`}, `scalestack:azure.primaryLocation: "East US" is not allowed`},
		"gcp project":      {map[string]string{"scalestack:cloud": "gcp", "scalestack:gcp": `{"project": "X"}`}, `scalestack:gcp.project: "X" is not a project ID`},
		"gcp region":       {map[string]string{"scalestack:cloud": "gcp", "scalestack:gcp": `{"primaryRegion": "us-central"}`}, `scalestack:gcp.primaryRegion: "us-central" is not allowed`},
		"unknown top":      {map[string]string{"scalestack:databse": `{}`}, "scalestack:databse: unknown key (allowed: scalestack:cloud"},
		"waiver no reason": {map[string]string{"scalestack:policy": `{"waivers": [{"rule": "aws-lb-hardening", "resource": "lb"}]}`}, `scalestack:policy.waivers[0]: rule "aws-lb-hardening", resource "lb", reason "": all three are required`},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := parse(t, tc.cfg)
			require.Error(t, err)
			assert.True(t, spec.IsConfigError(err))
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

func TestOtherCloudsSectionsAreNotValidatedForTheSelectedCloud(t *testing.T) {
	// One stack file can carry every cloud's placement and be previewed on any cloud.
	_, err := parse(t, map[string]string{
		"scalestack:cloud": "aws",
		"scalestack:gcp":   `{"project": "X"}`,
	})
	assert.NoError(t, err)
}

func TestAllProblemsAtOnce(t *testing.T) {
	_, err := parse(t, map[string]string{
		"scalestack:web":    `{"minSize": -1}`,
		"scalestack:alerts": `{"email": "nope"}`,
	})
	require.Error(t, err)
	var ce *spec.ConfigError
	require.ErrorAs(t, err, &ce)
	assert.Len(t, ce.Problems, 2)
}

func TestExplicitKeys(t *testing.T) {
	s, err := parse(t, map[string]string{
		"scalestack:environment": "prod",
		"scalestack:backup":      `{"weeklyRetentionDays": 30}`,
		"scalestack:aws":         `{"secondaryRegion": ""}`,
	})
	require.NoError(t, err)
	assert.True(t, s.Explicit("environment"))
	assert.True(t, s.Explicit("backup.weeklyRetentionDays"))
	assert.True(t, s.Explicit("aws.secondaryRegion"), `an explicit "" counts as set`)
	assert.False(t, s.Explicit("backup.retentionDays"), "defaulted")
	assert.False(t, s.Explicit("cloud"))
	assert.Equal(t, 35, s.Backup.RetentionDays)
}
