package rules

import (
	"os"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// allComputed replaces every leaf of m with an unknown value.
func allComputed(v any) any {
	switch t := v.(type) {
	case map[string]any:
		out := obj{}
		for k, x := range t {
			out[k] = allComputed(x)
		}
		return out
	case []any:
		out := arr{}
		for _, x := range t {
			out = append(out, allComputed(x))
		}
		return out
	default:
		return computed
	}
}

func TestUnknownValuesNeverPanicOrBlockSilently(t *testing.T) {
	for _, tc := range resourceCases {
		for _, m := range []obj{tc.good, tc.bad} {
			variants := []obj{allComputed(m).(obj)}
			for k := range m {
				v := obj{}
				for k2, x := range m {
					v[k2] = x
				}
				v[k] = computed
				variants = append(variants, v)
			}
			for _, v := range variants {
				rep, err := Evaluate([]Resource{res(tc.typ, "x", v)}, Options{Environment: "prod"})
				require.NoError(t, err)
				for _, f := range rep.ByRule(tc.rule) {
					assert.NotContains(t, f.Message, "the rule failed", "%s on %v", tc.rule, v)
					if f.Unverified {
						assert.True(t, strings.HasPrefix(f.Message, UnverifiedPrefix), f.Message)
						assert.Equal(t, Advisory, f.EnforcementLevel)
						assert.False(t, f.Blocking())
					}
				}
			}
		}
	}
}

func TestUnknownDecidingValueIsReportedNotPassed(t *testing.T) {
	cases := []struct {
		rule, typ string
		props     obj
		path      string
	}{
		{"aws-rds-encrypted", awsRDSInstance, obj{"storageEncrypted": computed}, "storageEncrypted"},
		{"aws-lt-imdsv2", awsLaunchTemplate, obj{"metadataOptions": computed}, "metadataOptions.httpTokens"},
		{"aws-lt-ebs-encrypted", awsLaunchTemplate, obj{"blockDeviceMappings": arr{obj{"ebs": obj{"encrypted": computed}}}}, "blockDeviceMappings.0.ebs.encrypted"},
		{"aws-sg-no-open-ingress", "aws:ec2/securityGroup:SecurityGroup", obj{"ingress": computed}, "ingress"},
		{"az-appgw-tls", azAppGateway, obj{"sslPolicy": obj{"policyType": "Predefined", "policyName": "AppGwSslPolicy20220101"},
			"httpListeners":       arr{obj{"name": "http", "protocol": "Http"}},
			"requestRoutingRules": arr{obj{"httpListener": obj{"id": computed}, "redirectConfiguration": obj{"id": computed}}}}, "httpListeners.0 (the redirect rules' httpListener.id)"},
		{"az-sql-server", azSQLServer, obj{"publicNetworkAccess": computed, "minimalTlsVersion": "1.2"}, "publicNetworkAccess"},
		{"gcp-sql-network", gcpSQLInstance, obj{"settings": obj{"ipConfiguration": obj{"ipv4Enabled": false, "sslMode": "ENCRYPTED_ONLY", "authorizedNetworks": arr{obj{"value": computed}}}}}, "settings.ipConfiguration.authorizedNetworks.0.value"},
		{"aws-iam-no-wildcard-admin", awsIAMRolePolicy, obj{"role": "r", "policy": computed}, "policy"},
		{"aws-iam-no-wildcard-admin", awsIAMRole, obj{"inlinePolicies": arr{obj{"name": "p", "policy": computed}}}, "inlinePolicies.0.policy"},
		{"aws-s3-tls-only", awsBucketPolicy, obj{"bucket": "b", "policy": computed}, "policy"},
		{"aws-rds-param-force-ssl", awsRDSParamGroup, obj{"family": "postgres14", "parameters": arr{obj{"name": "rds.force_ssl", "value": computed}}}, "parameters.0.value"},
		{"aws-logs-encrypted", awsLogGroup, obj{"kmsKeyId": "k", "retentionInDays": computed}, "retentionInDays"},
		{"gcp-network-custom-mode", gcpNetwork, obj{"autoCreateSubnetworks": computed}, "autoCreateSubnetworks"},
		{"gcp-iam-no-primitive-roles", gcpProjectIAMMember, obj{"role": computed, "member": "user:a@example.com"}, "role"},
		{"gcp-bucket-public", gcpBucketIAMBinding, obj{"role": "roles/storage.objectViewer", "members": arr{"group:ops@example.com", computed}}, "members.1"},
		{"az-public-ip-standard", azPublicIP, obj{"sku": obj{"name": computed}}, "sku.name"},
		{"az-subnet-nsg", azSubnet, obj{"subnetName": computed}, "subnetName"},
		{"az-subnet-nsg", azVNet, obj{"subnets": arr{obj{"name": computed}}}, "subnets.0.name"},
	}
	for _, tc := range cases {
		t.Run(tc.rule, func(t *testing.T) {
			rep, err := Evaluate([]Resource{res(tc.typ, "x", tc.props)}, Options{Environment: "prod"})
			require.NoError(t, err)
			vs := rep.ByRule(tc.rule)
			require.NotEmpty(t, vs)
			assert.Contains(t, messages(vs), "cannot verify during preview: "+tc.path+" is not known until the resource is created")
			for _, v := range vs {
				assert.True(t, v.Unverified, "no definite verdict from an unknown value: %s", v.Message)
				assert.Equal(t, Advisory, v.EnforcementLevel)
				assert.False(t, v.Blocking())
			}
		})
	}
}

func TestEnforcementLevels(t *testing.T) {
	bad := res(awsRDSInstance, "db", obj{"storageEncrypted": true, "backupRetentionPeriod": 7, "multiAz": false})
	level := func(env string, settings map[string]map[string]any) []Violation {
		rep, err := Evaluate([]Resource{bad}, Options{Environment: env, Settings: settings})
		require.NoError(t, err)
		return rep.ByRule("aws-rds-multi-az")
	}
	assert.Equal(t, Advisory, level("dev", nil)[0].EnforcementLevel, "mandatory-in-prod is advisory in dev")
	assert.Equal(t, Advisory, level("staging", nil)[0].EnforcementLevel)
	assert.Equal(t, Mandatory, level("prod", nil)[0].EnforcementLevel)
	assert.Equal(t, Mandatory, level("dev", map[string]map[string]any{"aws-rds-multi-az": {"enforcementLevel": "mandatory"}})[0].EnforcementLevel)
	assert.Empty(t, level("prod", map[string]map[string]any{"aws-rds-multi-az": {"enforcementLevel": "disabled"}}))

	blocking := func(env string) []string {
		rep, err := Evaluate([]Resource{bad}, Options{Environment: env})
		require.NoError(t, err)
		var ids []string
		for _, v := range rep.Mandatory() {
			ids = append(ids, v.PolicyName)
		}
		return ids
	}
	// The lone primary also has no replica and no backup selection (stack rules).
	assert.Equal(t, []string{"stack-backup-covers-db"}, blocking("dev"))
	assert.Equal(t, []string{"aws-rds-deletion-protection", "aws-rds-multi-az", "stack-backup-covers-db", "stack-db-read-replica"}, blocking("prod"))
}

func TestEveryRuleIsDescribed(t *testing.T) {
	ids := map[string]bool{}
	counts := map[Level]int{}
	for _, r := range All() {
		assert.False(t, ids[r.ID], "duplicate id %s", r.ID)
		ids[r.ID] = true
		assert.NotEmpty(t, r.Description, r.ID)
		assert.Contains(t, []Level{Advisory, Mandatory, MandatoryInProd}, r.Level, r.ID)
		assert.Equal(t, r.Stack, len(r.ResourceTypes) == 0, "%s: stack rules have no types, resource rules have some", r.ID)
		for _, typ := range r.ResourceTypes {
			assert.Regexp(t, `^[a-z-]+:[a-zA-Z0-9/]*:[A-Za-z0-9]+$`, typ, r.ID)
		}
		counts[r.Level]++
	}
	assert.GreaterOrEqual(t, len(ids), 45)
	t.Logf("%d rules: %v", len(ids), counts)
}

func TestSettings(t *testing.T) {
	db := res(awsRDSInstance, "db", obj{"storageEncrypted": true, "backupRetentionPeriod": 7})
	rep, err := Evaluate([]Resource{db}, Options{})
	require.NoError(t, err)
	assert.Empty(t, rep.ByRule("aws-rds-backup-retention"))

	rep, err = Evaluate([]Resource{db}, Options{Settings: map[string]map[string]any{"aws-rds-backup-retention": {"minDays": float64(14)}}})
	require.NoError(t, err)
	require.Len(t, rep.ByRule("aws-rds-backup-retention"), 1)
	assert.Equal(t, "backupRetentionPeriod is 7: want at least 14 days", rep.ByRule("aws-rds-backup-retention")[0].Message)
}

func TestSettingsOfCoverageRules(t *testing.T) {
	cases := []struct {
		rule     string
		r        Resource
		settings map[string]any
		want     string
	}{
		{"aws-logs-encrypted", res(awsLogGroup, "lg", obj{"kmsKeyId": "k", "retentionInDays": 30}), map[string]any{"minDays": float64(14)}, ""},
		{"aws-logs-encrypted", res(awsLogGroup, "lg", obj{"kmsKeyId": "k", "retentionInDays": 90}), map[string]any{"minDays": float64(365)}, "retentionInDays is 90: want 0 (never expire) or at least 365 days"},
		{"gcp-iam-no-primitive-roles", res(gcpProjectIAMMember, "m", obj{"role": "roles/viewer"}), map[string]any{"forbiddenRoles": []any{"roles/owner", "roles/editor", "roles/viewer"}}, `role is "roles/viewer"`},
		{"az-subnet-nsg", res(azSubnet, "s", obj{"subnetName": "AzureBastionSubnet"}), map[string]any{"exemptSubnets": []any{"GatewaySubnet"}}, `networkSecurityGroup is not set (subnet "AzureBastionSubnet")`},
	}
	for _, tc := range cases {
		t.Run(tc.rule, func(t *testing.T) {
			rep, err := Evaluate([]Resource{tc.r}, Options{Environment: "prod", Settings: map[string]map[string]any{tc.rule: tc.settings}})
			require.NoError(t, err)
			if tc.want == "" {
				assert.Empty(t, rep.ByRule(tc.rule))
				return
			}
			assert.Contains(t, messages(rep.ByRule(tc.rule)), tc.want)
		})
	}
}

func TestS3HardeningUnknownInlineEncryptionIsReported(t *testing.T) {
	// A bucket without an encryption resource whose inline configuration is computed (a
	// stack rule under the engine sees outputs) cannot be verified: advisory, not a pass.
	b := res(awsBucketV2, "static", obj{"serverSideEncryptionConfigurations": computed})
	pab := dep(res(awsBucketPAB, "static-pab", obj{"bucket": computed}), "bucket", b)
	vs := findings(t, "aws-s3-bucket-hardening", "prod", b, pab)
	require.Len(t, vs, 1)
	assert.Equal(t, UnverifiedPrefix+": serverSideEncryptionConfigurations is not known until the resource is created", vs[0].Message)
	assert.False(t, vs[0].Blocking())
}

func TestOptionsValidation(t *testing.T) {
	cases := []struct {
		opts Options
		want string
	}{
		{Options{Environment: "qa"}, `environment "qa" is not allowed: want dev, staging or prod`},
		{Options{Settings: map[string]map[string]any{"aws-nope": {}}}, `policy settings: rule "aws-nope" does not exist`},
		{Options{Settings: map[string]map[string]any{"aws-rds-backup-retention": {"minDayz": 3}}}, `setting "minDayz" does not exist: want one of enforcementLevel, minDays`},
		{Options{Settings: map[string]map[string]any{"aws-rds-backup-retention": {"minDays": "7"}}}, `minDays 7 is not allowed: want a integer`},
		{Options{Settings: map[string]map[string]any{"aws-rds-multi-az": {"enforcementLevel": "loud"}}}, `enforcementLevel loud is not allowed: want advisory, mandatory, mandatory-in-prod or disabled`},
		{Options{Waivers: []Waiver{{Rule: "aws-nope", Resource: "db", Reason: "r"}}}, `policy waivers[0]: rule "aws-nope" does not exist`},
		{Options{Waivers: []Waiver{{Rule: "aws-rds-ops", Resource: "", Reason: "r"}}}, `policy waivers[0]: rule "aws-rds-ops": resource is empty`},
		{Options{Waivers: []Waiver{{Rule: "aws-rds-ops", Resource: "db", Reason: " "}}}, `reason is empty: a waiver needs a recorded reason`},
	}
	for _, tc := range cases {
		_, err := Evaluate(nil, tc.opts)
		require.Error(t, err)
		assert.Contains(t, err.Error(), tc.want)
		_, err = Pack(tc.opts)
		assert.Error(t, err, "Pack validates too")
	}
}

func TestWaivers(t *testing.T) {
	db := res(awsRDSInstance, "db", obj{"storageEncrypted": false, "backupRetentionPeriod": 7, "multiAz": true, "deletionProtection": true})
	other := res(awsRDSInstance, "other", obj{"storageEncrypted": false, "backupRetentionPeriod": 7, "multiAz": true, "deletionProtection": true})
	opts := Options{Environment: "prod", Waivers: []Waiver{
		{Rule: "aws-rds-encrypted", Resource: "db", Reason: "legacy snapshot restore, ticket OPS-12"},
		{Rule: "aws-rds-encrypted", Resource: other.URN, Reason: "by URN"},
		{Rule: "aws-rds-private", Resource: "db", Reason: "stale"},
	}}
	rep, err := Evaluate([]Resource{db, other}, opts)
	require.NoError(t, err)
	vs := rep.ByRule("aws-rds-encrypted")
	require.Len(t, vs, 2)
	for _, v := range vs {
		assert.True(t, v.Waived)
		assert.Equal(t, Mandatory, v.EnforcementLevel, "a waiver keeps the level it waives")
		assert.False(t, v.Blocking())
	}
	assert.Equal(t, "legacy snapshot restore, ticket OPS-12", vs[0].WaiverReason)
	assert.Equal(t, "by URN", vs[1].WaiverReason)
	for _, v := range rep.Mandatory() {
		assert.NotEqual(t, "aws-rds-encrypted", v.PolicyName)
	}
	assert.Equal(t, []Waiver{{Rule: "aws-rds-private", Resource: "db", Reason: "stale"}}, rep.UnusedWaivers)
}

func TestOptionsFromConfig(t *testing.T) {
	o, err := OptionsFromConfig("prod", `{"waivers":[{"rule":"aws-lb-hardening","resource":"web-alb","reason":"logs bucket pending"}],"settings":{"aws-rds-backup-retention":{"minDays":14}}}`)
	require.NoError(t, err)
	assert.Equal(t, "prod", o.Environment)
	assert.Equal(t, []Waiver{{Rule: "aws-lb-hardening", Resource: "web-alb", Reason: "logs bucket pending"}}, o.Waivers)
	assert.Equal(t, float64(14), o.Settings["aws-rds-backup-retention"]["minDays"])

	_, err = OptionsFromConfig("dev", `{"waivers": 3}`)
	assert.ErrorContains(t, err, "scalestack:policy: want")
	o, err = OptionsFromConfig("", "")
	require.NoError(t, err)
	assert.Equal(t, "dev", o.environment())
}

func TestRulePanicIsAViolation(t *testing.T) {
	r := &Rule{ID: "t", Level: Mandatory, check: func(c *check) { panic("boom") }}
	fs := r.runResource(&Resource{URN: "u"}, "prod", nil)
	require.Len(t, fs, 1)
	assert.Equal(t, "the rule failed on this input (boom): please report it", fs[0].msg)
	assert.False(t, fs[0].unknown)
}

func TestSecretValuesAreRead(t *testing.T) {
	pm := resource.PropertyMap{"publiclyAccessible": resource.MakeSecret(resource.NewBoolProperty(true))}
	r := Resource{URN: "u::db", Type: awsRDSInstance, Name: "db", Properties: resource.FromResourcePropertyMap(pm)}
	rep, err := Evaluate([]Resource{r}, Options{})
	require.NoError(t, err)
	require.Len(t, rep.ByRule("aws-rds-private"), 1)
	assert.Equal(t, "publiclyAccessible is true: databases stay in private subnets", rep.ByRule("aws-rds-private")[0].Message)
}

func TestReadmeListsEveryRule(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	require.NoError(t, err)
	for _, r := range All() {
		assert.Contains(t, string(readme), "| `"+r.ID+"` | "+string(r.Level)+" |", "policies/README.md: rule %s missing or with another level", r.ID)
	}
}
