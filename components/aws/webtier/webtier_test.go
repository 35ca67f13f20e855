package webtier

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lb"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scalestack/scalestack/testkit"
)

func validArgs() *Args {
	return &Args{
		VpcID:                       pulumi.String("vpc-1"),
		SubnetIDs:                   pulumi.ToStringArray([]string{"subnet-a", "subnet-b"}),
		LoadBalancerSecurityGroupID: pulumi.String("sg-lb"),
		TargetGroupARNs:             pulumi.ToStringArray([]string{"arn:tg"}),
		LoadBalancerARNSuffix:       pulumi.String("app/web/1"),
		TargetGroupARNSuffix:        pulumi.String("targetgroup/web/2"),
		MinSize:                     2,
		MaxSize:                     6,
	}
}

func TestDefaults(t *testing.T) {
	got, err := validArgs().resolve()
	require.NoError(t, err)
	assert.Equal(t, "t3.small", got.InstanceType)
	assert.Equal(t, 20, got.RootVolumeGiB)
	assert.Equal(t, 8080, got.Port)
	assert.Equal(t, "/healthz", got.HealthCheckPath)
	assert.Equal(t, 2, got.DesiredCapacity, "desired defaults to MinSize")
	assert.Equal(t, 300, got.HealthCheckGracePeriodSeconds)
	assert.Equal(t, 55, got.TargetCPUPercent)
	assert.Equal(t, 1000, got.RequestsPerTarget)
	assert.Equal(t, 80, got.StepOutCPUPercent)
	assert.Equal(t, 20, got.StepInCPUPercent)
	assert.False(t, got.DisableRequestScaling)
	assert.False(t, got.DisableStepScaling)
	assert.Equal(t, pulumi.String(DefaultImageID), got.ImageID)
	assert.Equal(t, pulumi.String(DefaultUserData(8080, "/healthz")), got.UserData)
	assert.Nil(t, got.KMSKeyID)

	a := validArgs()
	a.Port, a.HealthCheckPath, a.DesiredCapacity, a.InstanceType = 9000, "/up", 4, "m6i.large"
	got, err = a.resolve()
	require.NoError(t, err)
	assert.Equal(t, 4, got.DesiredCapacity)
	assert.Equal(t, "m6i.large", got.InstanceType)
	assert.Equal(t, pulumi.String(DefaultUserData(9000, "/up")), got.UserData, "the default script serves the configured port and path")
}

func TestValidation(t *testing.T) {
	cases := []struct {
		name   string
		mutate func(*Args)
		want   []string
	}{
		{"no VPC", func(a *Args) { a.VpcID = nil }, []string{"VpcID is required"}},
		{"no subnets", func(a *Args) { a.SubnetIDs = nil }, []string{"SubnetIDs is required"}},
		{"no LB SG", func(a *Args) { a.LoadBalancerSecurityGroupID = nil }, []string{"LoadBalancerSecurityGroupID is required"}},
		{"no TGs", func(a *Args) { a.TargetGroupARNs = nil }, []string{"TargetGroupARNs is required"}},
		{"no LB suffix", func(a *Args) { a.LoadBalancerARNSuffix = nil }, []string{"LoadBalancerARNSuffix and TargetGroupARNSuffix are required", "DisableRequestScaling"}},
		{"no TG suffix", func(a *Args) { a.TargetGroupARNSuffix = nil }, []string{"TargetGroupARNSuffix are required"}},
		{"instance type", func(a *Args) { a.InstanceType = "large" }, []string{`InstanceType "large"`, "such as t3.small"}},
		{"tiny volume", func(a *Args) { a.RootVolumeGiB = 4 }, []string{"RootVolumeGiB 4", "want 8-16384"}},
		{"port", func(a *Args) { a.Port = 65536 }, []string{"Port 65536", "want 1-65535"}},
		{"health path shell", func(a *Args) { a.HealthCheckPath = "/h;rm -rf /" }, []string{`HealthCheckPath "/h;rm -rf /"`, "starting with /"}},
		{"health path relative", func(a *Args) { a.HealthCheckPath = "healthz" }, []string{`HealthCheckPath "healthz"`}},
		{"health path escape", func(a *Args) { a.HealthCheckPath = "/../etc/x" }, []string{`HealthCheckPath "/../etc/x"`, "no .."}},
		{"negative min", func(a *Args) { a.MinSize = -1 }, []string{"MinSize -1", "want 0 or more"}},
		{"max zero", func(a *Args) { a.MinSize, a.MaxSize = 0, 0 }, []string{"MaxSize 0", "want at least 1"}},
		{"max below min", func(a *Args) { a.MinSize, a.MaxSize = 5, 3 }, []string{"MaxSize 3", "at least MinSize 5"}},
		{"desired above max", func(a *Args) { a.DesiredCapacity = 7 }, []string{"DesiredCapacity 7", "MinSize 2 to MaxSize 6"}},
		{"desired below min", func(a *Args) { a.MinSize, a.DesiredCapacity = 3, 1 }, []string{"DesiredCapacity 1", "MinSize 3 to MaxSize 6"}},
		{"grace", func(a *Args) { a.HealthCheckGracePeriodSeconds = 9000 }, []string{"HealthCheckGracePeriodSeconds 9000", "want 0-7200"}},
		{"CPU target", func(a *Args) { a.TargetCPUPercent = 120 }, []string{"TargetCPUPercent 120", "want 1-100"}},
		{"requests", func(a *Args) { a.RequestsPerTarget = -5 }, []string{"RequestsPerTarget -5", "DisableRequestScaling"}},
		{"step out below target", func(a *Args) { a.StepOutCPUPercent = 50 }, []string{"StepOutCPUPercent 50", "above TargetCPUPercent 55"}},
		{"step in above target", func(a *Args) { a.StepInCPUPercent = 60 }, []string{"StepInCPUPercent 60", "below TargetCPUPercent 55"}},
		{"schedule name", func(a *Args) { a.Schedules = []Schedule{{Name: "Night Shift", Recurrence: "0 20 * * *", MaxSize: 1}} }, []string{`Schedules: name "Night Shift"`, "lowercase"}},
		{"schedule twice", func(a *Args) {
			s := Schedule{Name: "night", Recurrence: "0 20 * * *", MaxSize: 1}
			a.Schedules = []Schedule{s, s}
		}, []string{`Schedules: name "night" is used twice`}},
		{"schedule cron", func(a *Args) { a.Schedules = []Schedule{{Name: "night", Recurrence: "@daily", MaxSize: 1}} }, []string{`Schedules[night]: Recurrence "@daily"`, "five fields"}},
		{"schedule capacity", func(a *Args) {
			a.Schedules = []Schedule{{Name: "peak", Recurrence: "0 8 * * MON-FRI", MinSize: 4, MaxSize: 10, DesiredCapacity: 2}}
		}, []string{"Schedules[peak]: DesiredCapacity 2", "MinSize 4 to MaxSize 10"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := validArgs()
			c.mutate(a)
			_, err := a.resolve()
			require.Error(t, err)
			for _, w := range c.want {
				assert.Contains(t, err.Error(), w)
			}
		})
	}

	ok := validArgs()
	ok.DisableRequestScaling, ok.LoadBalancerARNSuffix, ok.TargetGroupARNSuffix = true, nil, nil
	ok.DisableStepScaling, ok.StepOutCPUPercent = true, 10 // step thresholds are not checked when step scaling is off
	ok.MinSize, ok.MaxSize = 0, 1
	ok.Schedules = []Schedule{{Name: "night", Recurrence: "0 20 * * *"}} // scale to zero
	_, err := ok.resolve()
	assert.NoError(t, err)

	var nilArgs *Args
	_, err = nilArgs.resolve()
	assert.ErrorContains(t, err, "args are required")
}

func TestDefaultUserDataServesTheHealthCheck(t *testing.T) {
	s := DefaultUserData(8080, "/healthz")
	assert.Contains(t, s, "#!/bin/bash\nset -euo pipefail\n")
	assert.Contains(t, s, "echo ok > /srv/scalestack/www/healthz\n")
	assert.Contains(t, s, "ExecStart=/usr/bin/python3 -m http.server 8080 --bind 0.0.0.0 --directory /srv/scalestack/www\n")
	assert.Contains(t, s, "systemctl enable --now scalestack-web.service")
	assert.Contains(t, s, "DynamicUser=yes", "the server does not run as root")
	assert.NotContains(t, s, "dnf ", "installs nothing")
	assert.NotContains(t, s, "yum ")

	nested := DefaultUserData(80, "/status/live")
	assert.Contains(t, nested, "install -d -m 0755 /srv/scalestack/www /srv/scalestack/www/status\n")
	assert.Contains(t, nested, "echo ok > /srv/scalestack/www/status/live\n")
	assert.Contains(t, nested, "http.server 80 ")

	dir := DefaultUserData(8080, "/health/")
	assert.Contains(t, dir, "echo ok > /srv/scalestack/www/health/index.html\n", "a directory path is served by its index")
}

// run places a web tier in region, through an explicit provider, behind a load balancer
// and target group registered beside it (so wiring can be asserted with InputFrom).
func run(t *testing.T, region string, mutate func(*Args)) *testkit.Plan {
	t.Helper()
	plan, err := testkit.RunExports(func(ctx *pulumi.Context) (pulumi.Map, error) {
		p, err := aws.NewProvider(ctx, "aws-"+region, &aws.ProviderArgs{Region: pulumi.String(region)})
		if err != nil {
			return nil, err
		}
		in := pulumi.Provider(p)
		lbSG, err := ec2.NewSecurityGroup(ctx, "lb", &ec2.SecurityGroupArgs{VpcId: pulumi.String("vpc-1")}, in)
		if err != nil {
			return nil, err
		}
		alb, err := lb.NewLoadBalancer(ctx, "lb", &lb.LoadBalancerArgs{SecurityGroups: pulumi.StringArray{lbSG.ID()}}, in)
		if err != nil {
			return nil, err
		}
		tg, err := lb.NewTargetGroup(ctx, "tg", &lb.TargetGroupArgs{Port: pulumi.Int(8080), Protocol: pulumi.String("HTTP")}, in)
		if err != nil {
			return nil, err
		}
		args := &Args{
			VpcID:                       pulumi.String("vpc-1"),
			SubnetIDs:                   pulumi.ToStringArray([]string{"subnet-a", "subnet-b", "subnet-c"}),
			LoadBalancerSecurityGroupID: lbSG.ID(),
			TargetGroupARNs:             pulumi.StringArray{tg.Arn},
			LoadBalancerARNSuffix:       alb.ArnSuffix,
			TargetGroupARNSuffix:        tg.ArnSuffix,
			MinSize:                     2,
			MaxSize:                     6,
			Tags:                        map[string]string{"backup": "daily", "team": "web"},
		}
		if mutate != nil {
			mutate(args)
		}
		w, err := New(ctx, "web", args, in)
		if err != nil {
			return nil, err
		}
		return pulumi.Map{
			"groupName": w.GroupName, "groupArn": w.GroupARN, "sg": w.SecurityGroupID,
			"lt": w.LaunchTemplateID, "role": w.InstanceRoleARN,
		}, nil
	})
	require.NoError(t, err)
	return plan
}

const (
	typeGroup    = "aws:autoscaling/group:Group"
	typePolicy   = "aws:autoscaling/policy:Policy"
	typeSchedule = "aws:autoscaling/schedule:Schedule"
	typeAlarm    = "aws:cloudwatch/metricAlarm:MetricAlarm"
	typeLT       = "aws:ec2/launchTemplate:LaunchTemplate"
	typeSG       = "aws:ec2/securityGroup:SecurityGroup"
	typeIngress  = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
	typeEgress   = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"
)

func countChildren(plan *testkit.Plan) map[string]int {
	comp := plan.Find(TypeToken, "web")
	out := map[string]int{}
	for _, r := range plan.Descendants(comp.URN) {
		out[r.Type]++
	}
	return out
}

func TestCounts(t *testing.T) {
	full := run(t, "us-east-1", func(a *Args) {
		a.Schedules = []Schedule{
			{Name: "business-hours", Recurrence: "0 8 * * MON-FRI", TimeZone: "Europe/Paris", MinSize: 4, MaxSize: 10, DesiredCapacity: 4},
			{Name: "night", Recurrence: "0 20 * * *", MinSize: 2, MaxSize: 6, DesiredCapacity: 2},
		}
	})
	assert.Equal(t, map[string]int{
		typeSG:              1,
		typeIngress:         1, // from the load balancer only
		typeEgress:          3, // LB → instances, instances → 443 and 80
		"aws:iam/role:Role": 1,
		"aws:iam/rolePolicyAttachment:RolePolicyAttachment": 1,
		"aws:iam/instanceProfile:InstanceProfile":           1,
		typeLT:       1,
		typeGroup:    1,
		typePolicy:   4, // CPU and request target tracking, step out, step in
		typeAlarm:    2,
		typeSchedule: 2,
	}, countChildren(full))

	lean := countChildren(run(t, "us-east-1", func(a *Args) { a.DisableRequestScaling, a.DisableStepScaling = true, true }))
	assert.Equal(t, 1, lean[typePolicy], "only CPU target tracking")
	assert.Zero(t, lean[typeAlarm])
	assert.Zero(t, lean[typeSchedule])
}

func TestEveryChildIsParentedAndPlacedByTheProvider(t *testing.T) {
	plan := run(t, "eu-west-1", func(a *Args) {
		a.Schedules = []Schedule{{Name: "night", Recurrence: "0 20 * * *", MaxSize: 2, MinSize: 1, DesiredCapacity: 1}}
	})
	comp := plan.Find(TypeToken, "web")
	provider := plan.Find("pulumi:providers:aws", "aws-eu-west-1")
	require.NotNil(t, comp)
	children := plan.Children(comp.URN)
	assert.Len(t, children, 17)
	assert.Len(t, plan.Descendants(comp.URN), 17, "no grandchildren")
	for _, c := range children {
		assert.Equal(t, provider.URN, c.Provider, c.URN)
		assert.Equal(t, "eu-west-1", c.Region(), c.URN)
	}
}

func TestInstanceSecurityGroupAdmitsOnlyTheLoadBalancer(t *testing.T) {
	plan := run(t, "us-east-1", func(a *Args) { a.Port = 9000 })
	lbSG := plan.Find(typeSG, "lb")
	sg := plan.Find(typeSG, "web")
	require.NotNil(t, sg)
	assert.Empty(t, sg.Input("ingress"), "no inline rules")
	assert.Empty(t, sg.Input("egress"))

	ingress := plan.ByType(typeIngress)
	require.Len(t, ingress, 1)
	in := ingress[0]
	assert.True(t, in.InputFrom("securityGroupId", sg))
	assert.True(t, in.InputFrom("referencedSecurityGroupId", lbSG), "the one source is the load balancer's group")
	assert.Equal(t, lbSG.ID, in.InputString("referencedSecurityGroupId"))
	assert.Empty(t, in.InputString("cidrIpv4"))
	assert.Empty(t, in.InputString("cidrIpv6"))
	assert.Equal(t, "tcp", in.InputString("ipProtocol"))
	assert.EqualValues(t, 9000, in.Input("fromPort"))
	assert.EqualValues(t, 9000, in.Input("toPort"))

	lbOut := plan.Find(typeEgress, "web-lb-to-instances")
	require.NotNil(t, lbOut)
	assert.True(t, lbOut.InputFrom("securityGroupId", lbSG), "the rule is on the load balancer's group")
	assert.True(t, lbOut.InputFrom("referencedSecurityGroupId", sg), "and reaches only the instances")
	assert.EqualValues(t, 9000, lbOut.Input("fromPort"))
	assert.EqualValues(t, 9000, lbOut.Input("toPort"))

	for _, port := range []struct {
		name string
		port float64
	}{{"web-https-out", 443}, {"web-http-out", 80}} {
		r := plan.Find(typeEgress, port.name)
		require.NotNil(t, r, port.name)
		assert.True(t, r.InputFrom("securityGroupId", sg))
		assert.Equal(t, port.port, r.Input("fromPort"))
		assert.Equal(t, port.port, r.Input("toPort"))
		assert.Equal(t, "tcp", r.InputString("ipProtocol"))
	}
}

func TestLaunchTemplateIsHardened(t *testing.T) {
	plan := run(t, "us-east-1", func(a *Args) {
		a.KMSKeyID = pulumi.String("arn:aws:kms:us-east-1:123456789012:key/abc")
		a.InstanceType = "m6i.large"
	})
	lt := plan.Find(typeLT, "web")
	sg := plan.Find(typeSG, "web")
	profile := plan.Find("aws:iam/instanceProfile:InstanceProfile", "web")
	require.NotNil(t, lt)
	assert.Equal(t, DefaultImageID, lt.InputString("imageId"))
	assert.Equal(t, "m6i.large", lt.InputString("instanceType"))
	assert.Equal(t, map[string]any{
		"httpEndpoint": "enabled", "httpTokens": "required", "httpPutResponseHopLimit": 1.0, "instanceMetadataTags": "disabled",
	}, lt.Input("metadataOptions"), "IMDSv2 only, hop limit 1")
	assert.Equal(t, map[string]any{
		"volumeType": "gp3", "volumeSize": 20.0, "encrypted": "true", "deleteOnTermination": "true",
		"kmsKeyId": "arn:aws:kms:us-east-1:123456789012:key/abc",
	}, lt.Input("blockDeviceMappings.0.ebs"))
	assert.Equal(t, "/dev/xvda", lt.InputString("blockDeviceMappings.0.deviceName"))
	assert.Equal(t, "false", lt.InputString("networkInterfaces.0.associatePublicIpAddress"))
	assert.True(t, lt.InputFrom("networkInterfaces", sg))
	assert.Equal(t, []any{sg.ID}, lt.Input("networkInterfaces.0.securityGroups"))
	assert.Nil(t, lt.Input("vpcSecurityGroupIds"))
	assert.Nil(t, lt.Input("keyName"), "no SSH key")
	assert.True(t, lt.InputFrom("iamInstanceProfile", profile))
	assert.Equal(t, profile.Output("arn"), lt.Input("iamInstanceProfile.arn"))

	ud, err := base64.StdEncoding.DecodeString(lt.InputString("userData"))
	require.NoError(t, err, "user data is base64")
	assert.Equal(t, DefaultUserData(8080, "/healthz"), string(ud))

	want := map[string]any{"Name": "web", "backup": "daily", "team": "web"}
	assert.Equal(t, []any{
		map[string]any{"resourceType": "instance", "tags": want},
		map[string]any{"resourceType": "volume", "tags": want},
	}, lt.Input("tagSpecifications"), "instances and volumes carry the tags (the backup selection's among them)")

	defaultKey := run(t, "us-east-1", nil).Find(typeLT, "web")
	assert.Nil(t, defaultKey.Input("blockDeviceMappings.0.ebs.kmsKeyId"), "the account's EBS key unless one is given")
	assert.Equal(t, "true", defaultKey.InputString("blockDeviceMappings.0.ebs.encrypted"))
}

func TestCustomUserDataAndImage(t *testing.T) {
	plan := run(t, "us-east-1", func(a *Args) {
		a.UserData = pulumi.String("#!/bin/bash\necho hi\n")
		a.ImageID = pulumi.String("ami-0123456789abcdef0")
	})
	lt := plan.Find(typeLT, "web")
	ud, err := base64.StdEncoding.DecodeString(lt.InputString("userData"))
	require.NoError(t, err)
	assert.Equal(t, "#!/bin/bash\necho hi\n", string(ud))
	assert.Equal(t, "ami-0123456789abcdef0", lt.InputString("imageId"))
}

func TestInstanceRoleHasOnlySSM(t *testing.T) {
	plan := run(t, "us-east-1", nil)
	role := plan.Find("aws:iam/role:Role", "web")
	att := plan.ByType("aws:iam/rolePolicyAttachment:RolePolicyAttachment")
	profile := plan.Find("aws:iam/instanceProfile:InstanceProfile", "web")
	require.NotNil(t, role)
	require.Len(t, att, 1)
	assert.Equal(t, "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore", att[0].InputString("policyArn"))
	assert.True(t, att[0].InputFrom("role", role))
	assert.True(t, profile.InputFrom("role", role))
	assert.Empty(t, plan.ByType("aws:iam/rolePolicy:RolePolicy"), "no inline permissions")
	assert.Nil(t, role.Input("managedPolicyArns"))
	var trust struct {
		Statement []struct {
			Principal map[string]string
			Action    string
		}
	}
	require.NoError(t, json.Unmarshal([]byte(role.InputString("assumeRolePolicy")), &trust))
	require.Len(t, trust.Statement, 1)
	assert.Equal(t, "ec2.amazonaws.com", trust.Statement[0].Principal["Service"])
	assert.Equal(t, role.Output("arn"), plan.Outputs["role"])
}

func TestGroupUsesTargetGroupELBChecksAndRefresh(t *testing.T) {
	plan := run(t, "us-east-1", func(a *Args) { a.DesiredCapacity = 3 })
	asg := plan.Find(typeGroup, "web")
	tg := plan.Find("aws:lb/targetGroup:TargetGroup", "tg")
	lt := plan.Find(typeLT, "web")
	require.NotNil(t, asg)
	assert.True(t, asg.InputFrom("targetGroupArns", tg))
	assert.Equal(t, []any{tg.ID}, asg.Input("targetGroupArns"))
	assert.Equal(t, "ELB", asg.InputString("healthCheckType"))
	assert.EqualValues(t, 300, asg.Input("healthCheckGracePeriod"))
	assert.Equal(t, []any{"subnet-a", "subnet-b", "subnet-c"}, asg.Input("vpcZoneIdentifiers"))
	assert.EqualValues(t, 2, asg.Input("minSize"))
	assert.EqualValues(t, 6, asg.Input("maxSize"))
	assert.EqualValues(t, 3, asg.Input("desiredCapacity"))
	assert.Contains(t, asg.IgnoreChanges, "desiredCapacity", "the scaling policies own the capacity after creation")
	assert.True(t, asg.InputFrom("launchTemplate", lt))
	assert.Equal(t, lt.ID, asg.InputString("launchTemplate.id"))
	assert.Equal(t, fmt.Sprint(lt.Output("latestVersion")), asg.InputString("launchTemplate.version"),
		"the version number, so a template change starts an instance refresh")
	assert.Equal(t, "Rolling", asg.InputString("instanceRefresh.strategy"))
	assert.EqualValues(t, 90, asg.Input("instanceRefresh.preferences.minHealthyPercentage"))
	assert.Contains(t, asg.Input("enabledMetrics"), "GroupInServiceInstances")
	assert.Contains(t, asg.Input("enabledMetrics"), "GroupMaxSize")
	assert.Equal(t, "1Minute", asg.InputString("metricsGranularity"))

	assert.Equal(t, asg.Output("name"), plan.Outputs["groupName"])
	assert.Equal(t, asg.Output("arn"), plan.Outputs["groupArn"])
	assert.Equal(t, lt.ID, plan.Outputs["lt"])
	assert.Equal(t, plan.Find(typeSG, "web").ID, plan.Outputs["sg"])
}

func TestScalingPolicies(t *testing.T) {
	plan := run(t, "us-east-1", func(a *Args) { a.TargetCPUPercent, a.RequestsPerTarget = 60, 750 })
	asg := plan.Find(typeGroup, "web")
	alb := plan.Find("aws:lb/loadBalancer:LoadBalancer", "lb")
	tg := plan.Find("aws:lb/targetGroup:TargetGroup", "tg")

	cpu := plan.Find(typePolicy, "web-cpu")
	require.NotNil(t, cpu)
	assert.True(t, cpu.InputFrom("autoscalingGroupName", asg))
	assert.Equal(t, "TargetTrackingScaling", cpu.InputString("policyType"))
	assert.Equal(t, "ASGAverageCPUUtilization", cpu.InputString("targetTrackingConfiguration.predefinedMetricSpecification.predefinedMetricType"))
	assert.EqualValues(t, 60, cpu.Input("targetTrackingConfiguration.targetValue"))

	req := plan.Find(typePolicy, "web-requests")
	require.NotNil(t, req)
	assert.True(t, req.InputFrom("autoscalingGroupName", asg))
	assert.Equal(t, "ALBRequestCountPerTarget", req.InputString("targetTrackingConfiguration.predefinedMetricSpecification.predefinedMetricType"))
	assert.EqualValues(t, 750, req.Input("targetTrackingConfiguration.targetValue"))
	assert.True(t, req.InputFrom("targetTrackingConfiguration", alb), "the resource label comes from the ALB's suffix")
	assert.True(t, req.InputFrom("targetTrackingConfiguration", tg), "and the target group's")
	assert.Equal(t, fmt.Sprintf("%s/%s", alb.Output("arnSuffix"), tg.Output("arnSuffix")),
		req.InputString("targetTrackingConfiguration.predefinedMetricSpecification.resourceLabel"))
	assert.Regexp(t, `^app/lb/[0-9a-f]{16}/targetgroup/tg/[0-9a-f]{16}$`,
		req.InputString("targetTrackingConfiguration.predefinedMetricSpecification.resourceLabel"))

	out := plan.Find(typePolicy, "web-step-out")
	in := plan.Find(typePolicy, "web-step-in")
	require.NotNil(t, out)
	require.NotNil(t, in)
	for _, p := range []*testkit.Resource{out, in} {
		assert.Equal(t, "StepScaling", p.InputString("policyType"))
		assert.Equal(t, "ChangeInCapacity", p.InputString("adjustmentType"))
		assert.True(t, p.InputFrom("autoscalingGroupName", asg))
	}
	assert.Equal(t, []any{
		map[string]any{"metricIntervalLowerBound": "0", "metricIntervalUpperBound": "15", "scalingAdjustment": 1.0},
		map[string]any{"metricIntervalLowerBound": "15", "scalingAdjustment": 2.0},
	}, out.Input("stepAdjustments"))
	assert.Equal(t, []any{map[string]any{"metricIntervalUpperBound": "0", "scalingAdjustment": -1.0}}, in.Input("stepAdjustments"))

	high := plan.Find(typeAlarm, "web-cpu-high")
	low := plan.Find(typeAlarm, "web-cpu-low")
	require.NotNil(t, high)
	require.NotNil(t, low)
	for _, al := range []struct {
		r         *testkit.Resource
		policy    *testkit.Resource
		cmp       string
		threshold float64
	}{{high, out, "GreaterThanOrEqualToThreshold", 80}, {low, in, "LessThanOrEqualToThreshold", 20}} {
		assert.True(t, al.r.InputFrom("alarmActions", al.policy), al.r.Name)
		assert.Equal(t, []any{al.policy.Output("arn")}, al.r.Input("alarmActions"))
		assert.True(t, al.r.InputFrom("dimensions", asg))
		assert.Equal(t, map[string]any{"AutoScalingGroupName": asg.Output("name")}, al.r.Input("dimensions"))
		assert.Equal(t, "AWS/EC2", al.r.InputString("namespace"))
		assert.Equal(t, "CPUUtilization", al.r.InputString("metricName"))
		assert.Equal(t, al.cmp, al.r.InputString("comparisonOperator"))
		assert.Equal(t, al.threshold, al.r.Input("threshold"))
	}
}

func TestScheduledActionsAreKeyedByName(t *testing.T) {
	night := Schedule{Name: "night", Recurrence: "0 20 * * *", MinSize: 1, MaxSize: 2, DesiredCapacity: 1}
	peak := Schedule{Name: "peak", Recurrence: "0 8 * * MON-FRI", TimeZone: "Europe/Paris", MinSize: 4, MaxSize: 10, DesiredCapacity: 4}
	before := run(t, "us-east-1", func(a *Args) { a.Schedules = []Schedule{night} })
	after := run(t, "us-east-1", func(a *Args) { a.Schedules = []Schedule{peak, night} })
	assert.Empty(t, testkit.MissingURNs(before, after), "adding a schedule in front renames nothing")

	s := after.Find(typeSchedule, "web-schedule-peak")
	require.NotNil(t, s)
	assert.True(t, s.InputFrom("autoscalingGroupName", after.Find(typeGroup, "web")))
	assert.Equal(t, "peak", s.InputString("scheduledActionName"))
	assert.Equal(t, "0 8 * * MON-FRI", s.InputString("recurrence"))
	assert.Equal(t, "Europe/Paris", s.InputString("timeZone"))
	assert.EqualValues(t, 4, s.Input("minSize"))
	assert.EqualValues(t, 10, s.Input("maxSize"))
	assert.EqualValues(t, 4, s.Input("desiredCapacity"))
	assert.Nil(t, after.Find(typeSchedule, "web-schedule-night").Input("timeZone"), "UTC unless given")
}

func TestURNsSurviveEnablingPolicies(t *testing.T) {
	before := run(t, "us-east-1", func(a *Args) { a.DisableRequestScaling, a.DisableStepScaling = true, true })
	after := run(t, "us-east-1", nil)
	assert.Empty(t, testkit.MissingURNs(before, after))
}

func TestInvalidArgsRegisterNothing(t *testing.T) {
	var created int
	_, err := testkit.Run(func(ctx *pulumi.Context) error {
		a := validArgs()
		a.MinSize, a.MaxSize = 4, 2
		_, err := New(ctx, "web", a)
		return err
	}, testkit.OnNewResource(func(*testkit.Resource) error { created++; return nil }))
	require.Error(t, err)
	assert.Contains(t, err.Error(), `web tier "web": MaxSize 2 is not allowed`)
	assert.Zero(t, created)
}

// TestScheduledActionsOwnMinAndMaxSoRefreshKeepsThem: a scheduled action sets the group's
// MinSize, MaxSize and DesiredCapacity at its time (EC2 Auto Scaling user guide, "Scheduled
// scaling for Amazon EC2 Auto Scaling"; terraform-provider-aws
// website/docs/r/autoscaling_schedule.html.markdown). Without ignoring min/max, `pulumi up
// --refresh` inside a scheduled window reads the scheduled sizes and puts the configured ones
// back, undoing the schedule. Without schedules, min and max stay managed.
func TestScheduledActionsOwnMinAndMaxSoRefreshKeepsThem(t *testing.T) {
	plan := run(t, "us-east-1", func(a *Args) {
		a.Schedules = []Schedule{{Name: "business-hours", Recurrence: "0 8 * * MON-FRI", MinSize: 4, MaxSize: 10, DesiredCapacity: 4}}
	})
	asg := plan.Find(typeGroup, "web")
	require.NotNil(t, asg)
	assert.ElementsMatch(t, []string{"desiredCapacity", "minSize", "maxSize"}, asg.IgnoreChanges)

	plain := run(t, "us-east-1", nil)
	asg = plain.Find(typeGroup, "web")
	require.NotNil(t, asg)
	assert.Equal(t, []string{"desiredCapacity"}, asg.IgnoreChanges, "without schedules Pulumi keeps min and max")
}

// TestEnvironmentIsWrittenForTheService: Args.Environment lands in EnvironmentFile, which
// the service reads; keys and values are validated.
func TestEnvironmentIsWrittenForTheService(t *testing.T) {
	s := DefaultUserDataWithEnvironment(8080, "/healthz", map[string]string{"B_KEY": "2", "A_KEY": "/x/y"})
	assert.Contains(t, s, "cat > /etc/scalestack/app.env <<'ENV'\nA_KEY=/x/y\nB_KEY=2\nENV\n")
	assert.Contains(t, s, "[Service]\nEnvironmentFile=-/etc/scalestack/app.env\nExecStart=")
	assert.Equal(t, DefaultUserData(8080, "/healthz"), DefaultUserDataWithEnvironment(8080, "/healthz", nil))
}

// TestStepThresholdsBracketEveryTarget: a CloudWatch step-scaling alarm must sit above
// (scale out) or below (scale in) the target-tracking target, or the two policies fight; the
// stacks document targetCpuPercent 10-90, so the default thresholds follow the target at the
// ends of that range instead of refusing it (scalestack issue 10, "documented ranges must be
// the real ranges"; docs/ranges_test.go tries both ends on every cloud).
func TestStepThresholdsBracketEveryTarget(t *testing.T) {
	for target := 10; target <= 90; target++ {
		a := validArgs()
		a.TargetCPUPercent = target
		got, err := a.resolve()
		if assert.NoError(t, err, "target %d", target) {
			assert.Greater(t, got.StepOutCPUPercent, target)
			assert.LessOrEqual(t, got.StepOutCPUPercent, 100)
			assert.Less(t, got.StepInCPUPercent, target)
			assert.GreaterOrEqual(t, got.StepInCPUPercent, 1)
		}
	}
	a := validArgs()
	a.TargetCPUPercent = 90
	got, err := a.resolve()
	require.NoError(t, err)
	assert.Equal(t, 95, got.StepOutCPUPercent)
	assert.Equal(t, 20, got.StepInCPUPercent)
	a.TargetCPUPercent = 10
	got, err = a.resolve()
	require.NoError(t, err)
	assert.Equal(t, 80, got.StepOutCPUPercent)
	assert.Equal(t, 5, got.StepInCPUPercent)
}
