package monitoring

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func validArgs() Args {
	return Args{
		LoadBalancer: &LoadBalancerAlarms{LoadBalancerARNSuffix: pulumi.String("app/web/1"), TargetGroupARNSuffix: pulumi.String("targetgroup/web/2")},
		AutoScaling:  &AutoScalingAlarms{AutoScalingGroupName: pulumi.String("web"), MaxSize: 6},
		Database:     &DatabaseAlarms{DBInstanceIdentifier: pulumi.String("db")},
	}
}

func TestWithDefaults(t *testing.T) {
	in := validArgs()
	d := in.withDefaults()
	assert.Equal(t, 10, d.LoadBalancer.Server5xxPerMinute)
	assert.Equal(t, 1.0, d.LoadBalancer.LatencyThresholdSeconds)
	assert.Equal(t, 2.0, d.LoadBalancer.LatencyP99ThresholdSeconds)
	assert.Equal(t, 80, d.Database.CPUPercent)
	assert.Equal(t, 5, d.Database.FreeStorageGB)
	assert.Equal(t, 120, d.Database.ReplicaLagSeconds)
	assert.Equal(t, "", d.AlertEmail)
	assert.Zero(t, in.LoadBalancer.Server5xxPerMinute, "withDefaults leaves the caller's structs alone")
	require.NoError(t, validate("alerts", d))

	in = validArgs()
	in.LoadBalancer.LatencyThresholdSeconds = 40
	assert.Equal(t, 60.0, in.withDefaults().LoadBalancer.LatencyP99ThresholdSeconds, "p99 default is capped at 60s")
	in.LoadBalancer.LatencyThresholdSeconds = 0.5
	in.LoadBalancer.LatencyP99ThresholdSeconds = 3
	assert.Equal(t, 3.0, in.withDefaults().LoadBalancer.LatencyP99ThresholdSeconds)

	assert.Nil(t, Args{}.withDefaults().LoadBalancer, "no group is invented")
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name   string
		mName  string
		change func(*Args)
		want   []string
	}{
		{"all groups", "alerts", func(*Args) {}, nil},
		{"database only", "alerts", func(a *Args) { a.LoadBalancer, a.AutoScaling = nil, nil }, nil},
		{"email", "alerts", func(a *Args) { a.AlertEmail = "ops@example.com" }, nil},
		{"nothing to watch", "alerts", func(a *Args) { *a = Args{AlertEmail: "ops@example.com"} }, []string{"LoadBalancer, AutoScaling or Database is required: there would be nothing to alarm on"}},
		{"bad email", "alerts", func(a *Args) { a.AlertEmail = "ops" }, []string{`AlertEmail "ops" is not allowed: want an email address`}},
		{"no load balancer", "alerts", func(a *Args) { a.LoadBalancer.LoadBalancerARNSuffix = nil }, []string{"LoadBalancer.LoadBalancerARNSuffix is required"}},
		{"no target group", "alerts", func(a *Args) { a.LoadBalancer.TargetGroupARNSuffix = nil }, []string{"LoadBalancer.TargetGroupARNSuffix is required"}},
		{"negative 5xx", "alerts", func(a *Args) { a.LoadBalancer.Server5xxPerMinute = -1 }, []string{"LoadBalancer.Server5xxPerMinute -1 is not allowed: want at least 1"}},
		{"negative latency", "alerts", func(a *Args) { a.LoadBalancer.LatencyThresholdSeconds = -1 }, []string{"LoadBalancer.LatencyThresholdSeconds -1 is not allowed: want more than 0, up to 60"}},
		{"latency too high", "alerts", func(a *Args) { a.LoadBalancer.LatencyThresholdSeconds = 61 }, []string{"LoadBalancer.LatencyThresholdSeconds 61 is not allowed"}},
		{"p99 below p95", "alerts", func(a *Args) {
			a.LoadBalancer.LatencyThresholdSeconds = 2
			a.LoadBalancer.LatencyP99ThresholdSeconds = 1.5
		},
			[]string{"LoadBalancer.LatencyP99ThresholdSeconds 1.5 is not allowed: want 2-60 (at least the p95 threshold)"}},
		{"no group name", "alerts", func(a *Args) { a.AutoScaling.AutoScalingGroupName = nil }, []string{"AutoScaling.AutoScalingGroupName is required"}},
		{"no max size", "alerts", func(a *Args) { a.AutoScaling.MaxSize = 0 }, []string{"AutoScaling.MaxSize 0 is not allowed: want the group's maximum size, at least 1"}},
		{"no db identifier", "alerts", func(a *Args) { a.Database.DBInstanceIdentifier = nil }, []string{"Database.DBInstanceIdentifier is required"}},
		{"nil replica", "alerts", func(a *Args) { a.Database.ReplicaIdentifiers = []pulumi.StringInput{pulumi.String("r1"), nil} }, []string{"Database.ReplicaIdentifiers[1] is nil"}},
		{"cpu over 100", "alerts", func(a *Args) { a.Database.CPUPercent = 120 }, []string{"Database.CPUPercent 120 is not allowed: want 1-100"}},
		{"negative storage", "alerts", func(a *Args) { a.Database.FreeStorageGB = -5 }, []string{"Database.FreeStorageGB -5 is not allowed: want 1-65536"}},
		{"negative lag", "alerts", func(a *Args) { a.Database.ReplicaLagSeconds = -1 }, []string{"Database.ReplicaLagSeconds -1 is not allowed: want 1-86400"}},
		{"bad name", "my alerts", func(*Args) {}, []string{`name "my alerts" is not allowed`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := validArgs()
			tt.change(&a)
			err := validate(tt.mName, a.withDefaults())
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

func TestKeyPolicy(t *testing.T) {
	p, err := keyPolicy("arn:aws-us-gov:kms:us-gov-west-1:111122223333:key/abcd")
	require.NoError(t, err)
	assert.Contains(t, p, `"arn:aws-us-gov:iam::111122223333:root"`)
	assert.Contains(t, p, `"aws:SourceAccount":"111122223333"`)
	_, err = keyPolicy("not-an-arn")
	assert.ErrorContains(t, err, `unexpected KMS key ARN "not-an-arn"`)
}
