package waf

import (
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scalestack/scalestack/testkit"
)

const tACL = "aws:wafv2/webAcl:WebAcl"

func TestDefaults(t *testing.T) {
	a := Args{}.withDefaults()
	assert.Equal(t, ScopeCloudFront, a.Scope)
	assert.Equal(t, DefaultManagedRuleGroups, a.ManagedRuleGroups)
	assert.Equal(t, 2000, a.RateLimitPer5Minutes)
	assert.False(t, a.CountOnly)
}

func TestValidation(t *testing.T) {
	many := make([]string, 11)
	for i := range many {
		many[i] = "Group" + string(rune('A'+i))
	}
	cases := map[string]struct {
		args Args
		want string
	}{
		"scope":     {Args{Scope: "GLOBAL"}, `Scope "GLOBAL" is not allowed: want CLOUDFRONT or REGIONAL`},
		"too many":  {Args{ManagedRuleGroups: many}, "ManagedRuleGroups has 11 groups: want at most 10"},
		"bad name":  {Args{ManagedRuleGroups: []string{"not a group"}}, `ManagedRuleGroups[0] "not a group" is not a rule group name`},
		"duplicate": {Args{ManagedRuleGroups: []string{"AWSManagedRulesCommonRuleSet", "AWSManagedRulesCommonRuleSet"}}, `ManagedRuleGroups[1] "AWSManagedRulesCommonRuleSet" is listed twice`},
		"rate":      {Args{RateLimitPer5Minutes: 10}, "RateLimitPer5Minutes 10 is not allowed: want 100-2000000000"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			registered := 0
			_, err := testkit.Run(func(ctx *pulumi.Context) error {
				_, err := New(ctx, "edge", &tc.args)
				return err
			}, testkit.OnNewResource(func(*testkit.Resource) error { registered++; return nil }))
			require.Error(t, err)
			assert.Contains(t, err.Error(), `web ACL "edge": `+tc.want)
			assert.Zero(t, registered, "bad input registers nothing")
		})
	}
	assert.NoError(t, Args{DisableRateLimit: true, RateLimitPer5Minutes: 1}.withDefaults().validate(), "the limit is not checked when the rule is off")
}

func run(t *testing.T, args *Args) (*testkit.Plan, *testkit.Resource) {
	t.Helper()
	plan, err := testkit.RunExports(func(ctx *pulumi.Context) (pulumi.Map, error) {
		edge, err := aws.NewProvider(ctx, "aws-us-east-1", &aws.ProviderArgs{Region: pulumi.String("us-east-1")})
		if err != nil {
			return nil, err
		}
		w, err := New(ctx, "edge", args, pulumi.Provider(edge))
		if err != nil {
			return nil, err
		}
		return pulumi.Map{"arn": w.WebACLARN}, nil
	})
	require.NoError(t, err)
	acls := plan.ByType(tACL)
	require.Len(t, acls, 1)
	return plan, acls[0]
}

func TestManagedRulesAndRateLimitBlockByDefault(t *testing.T) {
	plan, acl := run(t, nil)
	comp := plan.Find(TypeToken, "edge")
	require.NotNil(t, comp)
	assert.Equal(t, comp.URN, acl.Parent)
	assert.Equal(t, "us-east-1", acl.Region(), "CloudFront web ACLs live in us-east-1")
	assert.Equal(t, "CLOUDFRONT", acl.Input("scope"))
	assert.NotNil(t, acl.Input("defaultAction.allow"))
	rules, _ := acl.Input("rules").([]any)
	require.Len(t, rules, 4)
	for i, g := range DefaultManagedRuleGroups {
		assert.Equal(t, g, acl.Input("rules."+itoa(i)+".statement.managedRuleGroupStatement.name"))
		assert.Equal(t, "AWS", acl.Input("rules."+itoa(i)+".statement.managedRuleGroupStatement.vendorName"))
		assert.NotNil(t, acl.Input("rules."+itoa(i)+".overrideAction.none"), "managed groups block what they match")
		assert.EqualValues(t, i, acl.Input("rules."+itoa(i)+".priority"))
		assert.Equal(t, true, acl.Input("rules."+itoa(i)+".visibilityConfig.cloudwatchMetricsEnabled"))
	}
	assert.EqualValues(t, 2000, acl.Input("rules.3.statement.rateBasedStatement.limit"))
	assert.Equal(t, "IP", acl.Input("rules.3.statement.rateBasedStatement.aggregateKeyType"))
	assert.NotNil(t, acl.Input("rules.3.action.block"))
	assert.Regexp(t, `^arn:aws:wafv2:us-east-1:123456789012:global/webacl/`, plan.Outputs["arn"])
}

func TestCountOnlyBlocksNothing(t *testing.T) {
	_, acl := run(t, &Args{CountOnly: true, ManagedRuleGroups: []string{"AWSManagedRulesCommonRuleSet"}, RateLimitPer5Minutes: 500})
	assert.NotNil(t, acl.Input("rules.0.overrideAction.count"))
	assert.Nil(t, acl.Input("rules.0.overrideAction.none"))
	assert.NotNil(t, acl.Input("rules.1.action.count"))
	assert.Nil(t, acl.Input("rules.1.action.block"))
	assert.EqualValues(t, 500, acl.Input("rules.1.statement.rateBasedStatement.limit"))
}

func TestRateLimitCanBeTurnedOff(t *testing.T) {
	_, acl := run(t, &Args{DisableRateLimit: true})
	rules, _ := acl.Input("rules").([]any)
	assert.Len(t, rules, len(DefaultManagedRuleGroups))
}

func itoa(i int) string { return string(rune('0' + i)) }

// TestCommonRuleSetBlocksBodiesOver8KBSoTheBodySizeRuleCounts: AWSManagedRulesCommonRuleSet's
// SizeRestrictions_BODY rule blocks request bodies over 8 KB ("Baseline rule groups" ->
// "Core rule set (CRS) managed rule group", AWS WAF developer guide), which turns every
// upload or large JSON request to an API backend into a 403. By default the web ACL
// overrides that one rule to Count (rule_action_override in terraform-provider-aws
// website/docs/r/wafv2_web_acl.html.markdown), and BodySizeAction "block" keeps the
// managed action.
func TestCommonRuleSetBlocksBodiesOver8KBSoTheBodySizeRuleCounts(t *testing.T) {
	_, acl := run(t, nil)
	base := "rules.0.statement.managedRuleGroupStatement."
	require.Equal(t, "AWSManagedRulesCommonRuleSet", acl.Input(base+"name"))
	assert.Equal(t, BodySizeRule, acl.Input(base+"ruleActionOverrides.0.name"))
	assert.NotNil(t, acl.Input(base+"ruleActionOverrides.0.actionToUse.count"))
	assert.Nil(t, acl.Input(base+"ruleActionOverrides.1"), "only the body size rule is overridden")
	assert.Nil(t, acl.Input("rules.1.statement.managedRuleGroupStatement.ruleActionOverrides"), "other groups are untouched")

	_, acl = run(t, &Args{BodySizeAction: BodySizeBlock})
	assert.Nil(t, acl.Input(base+"ruleActionOverrides"), "block keeps the managed rule's action")

	err := Args{BodySizeAction: "allow"}.Validate()
	require.Error(t, err)
	assert.Contains(t, err.Error(), `BodySizeAction "allow" is not allowed: want count or block`)
}
