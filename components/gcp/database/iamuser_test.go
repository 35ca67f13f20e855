package database

import (
	"testing"

	"github.com/pulumi/pulumi-gcp/sdk/v7/go/gcp"
	"github.com/pulumi/pulumi-gcp/sdk/v7/go/gcp/serviceaccount"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scalestack/scalestack/testkit"
)

func iamProgram(ctx *pulumi.Context) (pulumi.Map, error) {
	p, err := gcp.NewProvider(ctx, "gcp-us-central1", &gcp.ProviderArgs{Project: pulumi.String("my-project"), Region: pulumi.String("us-central1")})
	if err != nil {
		return nil, err
	}
	dr, err := gcp.NewProvider(ctx, "gcp-us-east1", &gcp.ProviderArgs{Project: pulumi.String("my-project"), Region: pulumi.String("us-east1")})
	if err != nil {
		return nil, err
	}
	sa, err := serviceaccount.NewAccount(ctx, "web", &serviceaccount.AccountArgs{AccountId: pulumi.String("app-web"), Project: pulumi.String("my-project")}, pulumi.Provider(p))
	if err != nil {
		return nil, err
	}
	d, err := New(ctx, "db", &Args{PrivateNetwork: pulumi.String("projects/p/global/networks/app"), ReadReplicas: 1, CrossRegionProvider: dr}, pulumi.Provider(p))
	if err != nil {
		return nil, err
	}
	u, err := NewIAMUser(ctx, "db-iam-web", &IAMUserArgs{
		Project: pulumi.String("my-project"), Instance: d.InstanceName, ServiceAccountEmail: sa.Email, InstanceNames: d.InstanceNames(),
	}, pulumi.Provider(p))
	if err != nil {
		return nil, err
	}
	return pulumi.Map{"user": u.UserName}, nil
}

// TestCloudSQLIAMServiceAccountUserIsEmailWithoutDomain: with IAM database authentication on
// (flag cloudsql.iam_authentication), a service account signs in to Cloud SQL for PostgreSQL
// only through a database user of type CLOUD_IAM_SERVICE_ACCOUNT named after its email
// without ".gserviceaccount.com" (https://cloud.google.com/sql/docs/postgres/add-manage-iam-users;
// pulumi-gcp sql.User's own example trims the suffix). Users are created on the primary (a
// replica refuses users.insert) and reach the replicas by replication. PostgreSQL refuses to
// drop a user that holds grants, so the provider's ABANDON deletion policy is set (sql.User
// DeletionPolicy doc).
func TestCloudSQLIAMServiceAccountUserIsEmailWithoutDomain(t *testing.T) {
	plan, err := testkit.RunExports(iamProgram)
	require.NoError(t, err)
	assert.Equal(t, "app-web@my-project.iam", plan.Outputs["user"])
	assert.Equal(t, "app-web@my-project.iam", IAMUserName("app-web@my-project.iam.gserviceaccount.com"))

	users := plan.ByType("gcp:sql/user:User")
	require.Len(t, users, 1, "one user, on the primary only")
	u := users[0]
	assert.Equal(t, "CLOUD_IAM_SERVICE_ACCOUNT", u.InputString("type"))
	assert.Equal(t, "app-web@my-project.iam", u.InputString("name"))
	assert.Equal(t, "ABANDON", u.InputString("deletionPolicy"))
	assert.Nil(t, u.Input("password"), "IAM users have no password")
	primary := plan.Find("gcp:sql/databaseInstance:DatabaseInstance", "db")
	assert.True(t, u.InputFrom("instance", primary))
	assert.True(t, u.InputFrom("name", plan.Find("gcp:serviceaccount/account:Account", "web")))
	comp := plan.Find(iamUserTypeToken, "db-iam-web")
	assert.Equal(t, comp.URN, u.Parent)
	assert.Equal(t, "gcp-us-central1", u.ProviderResource().Name)
	for _, r := range plan.ByType("gcp:sql/databaseInstance:DatabaseInstance") {
		assert.Equal(t, "on", r.InputString("settings.databaseFlags.0.value"), "%s: IAM authentication on, replicas too", r.Name)
		assert.Equal(t, "cloudsql.iam_authentication", r.InputString("settings.databaseFlags.0.name"), r.Name)
	}
}

// TestCloudSQLIAMLoginNeedsInstanceUserAndClientRoles: signing in with IAM database
// authentication needs cloudsql.instances.login (roles/cloudsql.instanceUser) and connecting
// through the Cloud SQL connectors needs roles/cloudsql.client
// (https://cloud.google.com/sql/docs/postgres/iam-logins#before_you_begin). Both are granted
// to the service account, scoped by an IAM condition to the primary and its replicas, in the
// form Cloud SQL documents (resource.type == 'sqladmin.googleapis.com/Instance' &&
// resource.name == 'projects/P/instances/I'; terraform-docs-samples
// cloud_sql/instance_iam_condition).
func TestCloudSQLIAMLoginNeedsInstanceUserAndClientRoles(t *testing.T) {
	plan, err := testkit.RunExports(iamProgram)
	require.NoError(t, err)
	sa := plan.Find("gcp:serviceaccount/account:Account", "web")
	roles := map[string]*testkit.Resource{}
	for _, m := range plan.ByType("gcp:projects/iAMMember:IAMMember") {
		roles[m.InputString("role")] = m
	}
	require.Len(t, roles, 2)
	var names []string
	for _, r := range plan.ByType("gcp:sql/databaseInstance:DatabaseInstance") {
		names = append(names, r.OutputString("name"))
	}
	require.Len(t, names, 3, "primary, replica, cross-region replica")
	for _, role := range []string{"roles/cloudsql.client", "roles/cloudsql.instanceUser"} {
		m := roles[role]
		require.NotNil(t, m, role)
		assert.Equal(t, "serviceAccount:app-web@my-project.iam.gserviceaccount.com", m.InputString("member"), role)
		assert.True(t, m.InputFrom("member", sa), role)
		assert.Equal(t, "my-project", m.InputString("project"), role)
		expr := m.InputString("condition.expression")
		assert.Contains(t, expr, "resource.type == 'sqladmin.googleapis.com/Instance' && (", role)
		for _, n := range names {
			assert.Contains(t, expr, "resource.name == 'projects/my-project/instances/"+n+"'", "%s covers %s", role, n)
		}
		for _, r := range plan.ByType("gcp:sql/databaseInstance:DatabaseInstance") {
			assert.True(t, m.InputFrom("condition", r), "%s is scoped to %s", role, r.Name)
		}
	}

	_, err = testkit.Run(func(ctx *pulumi.Context) error {
		_, err := NewIAMUser(ctx, "u", &IAMUserArgs{Project: pulumi.String("p"), Instance: pulumi.String("i")})
		return err
	})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `database IAM user "u": ServiceAccountEmail is required`)
}
