package backend_test

import (
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scalestack/scalestack/components/aws/backend"
	"github.com/scalestack/scalestack/testkit"
)

const (
	tSG        = "aws:ec2/securityGroup:SecurityGroup"
	tEgress    = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"
	tIngress   = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
	tRolePol   = "aws:iam/rolePolicy:RolePolicy"
	tRole      = "aws:iam/role:Role"
	tParam     = "aws:ssm/parameter:Parameter"
	tRule      = "aws:lb/listenerRule:ListenerRule"
	tKey       = "aws:kms/key:Key"
	tTemplate  = "aws:ec2/launchTemplate:LaunchTemplate"
	cfPrefixes = "com.amazonaws.global.cloudfront.origin-facing"
)

// TestProviderRemovesDefaultEgressSoWebTierHasExplicitEgressToItsDatabase: the Terraform AWS
// provider (which pulumi-aws bridges) removes the ALLOW ALL egress rule AWS adds to every
// new security group ("by default, AWS creates an ALLOW ALL egress rule when creating a new
// Security Group inside of a VPC. When creating a new Security Group inside a VPC,
// Terraform will remove this default rule": terraform-provider-aws
// website/docs/r/security_group.html.markdown). So each region's web security group needs
// an explicit egress rule to its database's security group on 5432, and the database
// groups must admit those web groups (primary + in-region replicas share the primary
// group; the cross-region replica's group admits the secondary web tier).
func TestProviderRemovesDefaultEgressSoWebTierHasExplicitEgressToItsDatabase(t *testing.T) {
	plan := run(t, nil)
	for _, c := range []struct{ role, dbSG, region string }{
		{"primary", "shop-db-sg", "us-east-1"},
		{"secondary", "shop-db-secondary-sg", "eu-west-1"},
	} {
		web := plan.Find(tSG, "shop-"+c.role+"-web")
		db := plan.Find(tSG, c.dbSG)
		require.NotNil(t, web, c.role)
		require.NotNil(t, db, c.role)
		egress := plan.Find(tEgress, "shop-"+c.role+"-web-to-db")
		require.NotNil(t, egress, "%s web tier has no egress rule to its database", c.role)
		assert.True(t, egress.InputFrom("securityGroupId", web), c.role)
		assert.True(t, egress.InputFrom("referencedSecurityGroupId", db), c.role)
		assert.Equal(t, "tcp", egress.Input("ipProtocol"))
		assert.EqualValues(t, 5432, egress.Input("fromPort"))
		assert.EqualValues(t, 5432, egress.Input("toPort"))
		assert.Equal(t, c.region, egress.Region())
		assert.True(t, db.InputFrom("ingress", web), "%s database group admits its web tier", c.role)

		// AWS APIs (Secrets Manager, KMS, SSM) over HTTPS through the NAT gateway.
		https := plan.Find(tEgress, "shop-"+c.role+"-web-https-out")
		require.NotNil(t, https, c.role)
		assert.True(t, https.InputFrom("securityGroupId", web))
		assert.EqualValues(t, 443, https.Input("fromPort"))
	}
	// The replicas sit behind the primary's group, so the one rule covers them too.
	replica := plan.Find(tRDS, "shop-db-replica-1")
	require.NotNil(t, replica)
	assert.True(t, replica.InputFrom("vpcSecurityGroupIds", plan.Find(tSG, "shop-db-sg")))
}

// TestInstanceRoleReadsExactlyTheRDSManagedSecretAndItsKey: with manageMasterUserPassword
// RDS keeps the password in a Secrets Manager secret encrypted with
// masterUserSecretKmsKeyId (RDS user guide, "Password management with Amazon RDS and
// Secrets Manager"; pulumi-aws rds.Instance masterUserSecrets). Reading it takes
// secretsmanager:GetSecretValue on the secret and kms:Decrypt on that key (Secrets Manager
// docs, "Authentication and access control": a customer managed key needs kms:Decrypt).
// Both regions' roles get exactly those ARNs (the secret lives in the primary region), and
// no wildcard.
func TestInstanceRoleReadsExactlyTheRDSManagedSecretAndItsKey(t *testing.T) {
	plan := run(t, nil)
	primary := plan.Find(tRDS, "shop-db")
	key := plan.Find(tKey, "shop-db-key")
	require.NotNil(t, primary)
	require.NotNil(t, key)
	assert.True(t, primary.InputFrom("masterUserSecretKmsKeyId", key))
	secretARN := primary.OutputString("masterUserSecrets.0.secretArn")
	require.NotEmpty(t, secretARN)
	assert.Equal(t, key.OutputString("arn"), primary.OutputString("masterUserSecrets.0.kmsKeyId"),
		"the mock reports the key RDS encrypts the secret with")

	for _, role := range []string{"primary", "secondary"} {
		pol := plan.Find(tRolePol, "shop-"+role+"-web-data-access")
		require.NotNil(t, pol, role)
		iamRole := plan.Find(tRole, "shop-"+role+"-web")
		require.NotNil(t, iamRole)
		assert.True(t, pol.InputFrom("role", iamRole), "%s policy is on the web tier's role", role)
		param := plan.Find(tParam, "shop-"+role+"-database")
		require.NotNil(t, param, role)

		var doc struct {
			Statement []struct {
				Sid       string
				Effect    string
				Action    []string
				Resource  string
				Condition map[string]map[string]string
			}
		}
		require.NoError(t, json.Unmarshal([]byte(pol.InputString("policy")), &doc))
		got := map[string][]string{}
		for _, s := range doc.Statement {
			assert.Equal(t, "Allow", s.Effect)
			assert.NotContains(t, s.Resource, "*", "%s: no wildcard resources", s.Sid)
			for _, a := range s.Action {
				assert.NotContains(t, a, "*", "%s: no wildcard actions", s.Sid)
				got[a] = append(got[a], s.Resource)
			}
			if s.Sid == "DecryptDatabaseSecret" {
				assert.Equal(t, "secretsmanager.us-east-1.amazonaws.com", s.Condition["StringEquals"]["kms:ViaService"])
			}
		}
		assert.Equal(t, []string{secretARN}, got["secretsmanager:GetSecretValue"], role)
		assert.Equal(t, []string{secretARN}, got["secretsmanager:DescribeSecret"], role)
		assert.Equal(t, []string{key.OutputString("arn")}, got["kms:Decrypt"], role)
		assert.Equal(t, []string{param.OutputString("arn")}, got["ssm:GetParameter"], role)
		assert.Len(t, got, 4, "nothing else")
	}
}

// TestInstancesFindTheirDatabaseThroughAnSSMParameter: the launch template's user data
// names the region's parameter (SCALESTACK_DATABASE_PARAMETER in /etc/scalestack/app.env),
// and the parameter holds the writer/readers and the secret's ARN and region, not the
// password. The secondary region reads its cross-region replica (read-only until promoted).
func TestInstancesFindTheirDatabaseThroughAnSSMParameter(t *testing.T) {
	plan := run(t, nil)
	for _, c := range []struct{ role, region string }{{"primary", "us-east-1"}, {"secondary", "eu-west-1"}} {
		param := plan.Find(tParam, "shop-"+c.role+"-database")
		require.NotNil(t, param)
		name := "/scalestack/dev/shop/" + c.role + "/database"
		assert.Equal(t, name, param.Input("name"))
		assert.Equal(t, c.region, param.Region())
		var conn backend.DatabaseConnection
		require.NoError(t, json.Unmarshal([]byte(secretString(t, param, "value")), &conn))
		assert.Equal(t, "us-east-1", conn.SecretRegion)
		assert.Contains(t, conn.SecretARN, "arn:aws:secretsmanager:us-east-1:")
		assert.Equal(t, "app", conn.Database)
		require.Len(t, conn.Readers, 1)
		assert.Contains(t, conn.Readers[0], "."+c.region+".rds.amazonaws.com:5432")
		if c.role == "primary" {
			assert.Contains(t, conn.Writer, ".us-east-1.rds.amazonaws.com:5432")
		} else {
			assert.Empty(t, conn.Writer, "the cross-region replica is read-only")
		}

		lt := plan.Find(tTemplate, "shop-"+c.role+"-web")
		require.NotNil(t, lt)
		ud := decodeUserData(t, lt.InputString("userData"))
		assert.Contains(t, ud, "SCALESTACK_DATABASE_PARAMETER="+name+"\n")
		assert.Contains(t, ud, "AWS_REGION="+c.region+"\n")
		assert.Contains(t, ud, "EnvironmentFile=-/etc/scalestack/app.env")
	}
}

// TestALBAdmitsOnlyCloudFrontAndRoute53HealthCheckers: with CloudFront in front, an ALB that
// admits 0.0.0.0/0 lets anyone skip CloudFront and its WAF. The ALB admits 443 only from
// the AWS-managed prefix list com.amazonaws.global.cloudfront.origin-facing ("Restrict
// access to Application Load Balancers", CloudFront developer guide) and from
// com.amazonaws.<region>.route53-healthchecks, which the failover health checks need
// (Route 53 developer guide, dns-failover-router-firewall-rules.html). Each list has its
// own security group: CloudFront's list counts as 55 rules against a group's default quota
// of 60 (VPC user guide, "AWS-managed prefix lists").
func TestALBAdmitsOnlyCloudFrontAndRoute53HealthCheckers(t *testing.T) {
	plan := run(t, nil)
	for _, c := range []struct{ role, region string }{{"primary", "us-east-1"}, {"secondary", "eu-west-1"}} {
		lb := plan.Find(tLB, "shop-"+c.role+"-lb")
		require.NotNil(t, lb)
		var cidrs []any
		for _, r := range plan.ByType(tIngress) {
			if strings.HasPrefix(r.Name, "shop-"+c.role+"-lb") {
				if v := r.Input("cidrIpv4"); v != nil {
					cidrs = append(cidrs, v)
				}
				if v := r.Input("cidrIpv6"); v != nil {
					cidrs = append(cidrs, v)
				}
			}
		}
		assert.Empty(t, cidrs, "%s load balancer admits no address range", c.role)
		for _, key := range []string{"cloudfront-origin-facing", "route53-healthchecks"} {
			sg := plan.Find(tSG, "shop-"+c.role+"-lb-"+key)
			require.NotNil(t, sg, "%s %s security group", c.role, key)
			assert.True(t, lb.InputFrom("securityGroups", sg))
			rule := plan.Find(tIngress, "shop-"+c.role+"-lb-"+key+"-https")
			require.NotNil(t, rule)
			assert.True(t, rule.InputFrom("securityGroupId", sg))
			assert.EqualValues(t, 443, rule.Input("fromPort"))
			assert.Regexp(t, `^pl-[0-9a-f]+$`, rule.Input("prefixListId"))
		}
	}
	assert.Len(t, plan.Where(func(r *testkit.Resource) bool {
		return r.Type == tSG && r.Input("description") != nil && strings.Contains(r.InputString("description"), "com.amazonaws.us-east-1.route53-healthchecks")
	}), 1, "the primary's health checker list is its own region's")
}

// TestALBRequiresTheOriginHeaderCloudFrontSends: the prefix list admits every CloudFront
// distribution, anyone's. CloudFront adds a custom origin header with a secret value, and
// the HTTPS listener forwards only requests carrying it (answering 403 otherwise), except
// the health check path, which Route 53 health checks request without custom headers
// ("Restricting access to Application Load Balancers", CloudFront developer guide).
func TestALBRequiresTheOriginHeaderCloudFrontSends(t *testing.T) {
	plan := run(t, nil)
	secret := plan.Find(tParam, "shop-origin-verify")
	require.NotNil(t, secret)
	assert.Equal(t, "SecureString", secret.Input("type"))
	assert.True(t, secret.IsSecret("value"))
	assert.Regexp(t, `^[a-z0-9]{40}$`, secretString(t, secret, "value"), "letters and digits: no ALB wildcard characters")

	dist := plan.ByType(tDist)
	require.Len(t, dist, 1)
	for i := 0; i < 2; i++ {
		if dist[0].InputString("origins."+itoa(i)+".originId") == "static" {
			continue
		}
		assert.Equal(t, backend.OriginVerifyHeader, dist[0].Input("origins."+itoa(i)+".customHeaders.0.name"))
	}
	assert.True(t, dist[0].InputFrom("origins", secret))

	for _, role := range []string{"primary", "secondary"} {
		l := plan.Find(tListener, "shop-"+role+"-lb-https")
		require.NotNil(t, l)
		assert.Equal(t, "fixed-response", l.Input("defaultActions.0.type"))
		assert.Equal(t, "403", l.Input("defaultActions.0.fixedResponse.statusCode"))
		verify := plan.Find(tRule, "shop-"+role+"-lb-https-origin-verify")
		require.NotNil(t, verify)
		assert.Equal(t, backend.OriginVerifyHeader, verify.Input("conditions.0.httpHeader.httpHeaderName"))
		assert.True(t, verify.InputFrom("conditions", secret))
		assert.Equal(t, "forward", verify.Input("actions.0.type"))
		health := plan.Find(tRule, "shop-"+role+"-lb-https-health-check")
		require.NotNil(t, health)
		assert.Equal(t, []any{"/healthz"}, health.Input("conditions.0.pathPattern.values"))
	}
	// The origin names stay public DNS for the failover health checks.
	assert.NotNil(t, plan.Where(func(r *testkit.Resource) bool {
		return r.Type == tRecord && r.Input("name") == "origin-primary.shop.example.org"
	}))
}

// TestWithoutCDNTheALBStaysOpen: without CloudFront users reach the load balancers directly.
func TestWithoutCDNTheALBStaysOpen(t *testing.T) {
	plan := run(t, func(a *backend.Args) { a.CDN = false })
	assert.Nil(t, plan.Find(tSG, "shop-primary-lb-cloudfront-origin-facing"))
	assert.Nil(t, plan.Find(tParam, "shop-origin-verify"))
	l := plan.Find(tListener, "shop-primary-lb-https")
	require.NotNil(t, l)
	assert.Equal(t, "forward", l.Input("defaultActions.0.type"))
}

func decodeUserData(t *testing.T, s string) string {
	t.Helper()
	b, err := base64.StdEncoding.DecodeString(s)
	require.NoError(t, err)
	return string(b)
}

// secretString unwraps a secret string input (the pulumi-aws SDK marks ssm.Parameter's value
// secret).
func secretString(t *testing.T, r *testkit.Resource, key string) string {
	t.Helper()
	v, ok := r.Inputs[resource.PropertyKey(key)]
	require.True(t, ok, "%s has no %s", r.Name, key)
	for v.IsSecret() {
		v = v.SecretValue().Element
	}
	require.True(t, v.IsString(), "%s.%s is %v", r.Name, key, v)
	return v.StringValue()
}
