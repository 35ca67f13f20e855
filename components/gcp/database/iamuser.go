package database

import (
	"fmt"
	"strings"

	"github.com/pulumi/pulumi-gcp/sdk/v7/go/gcp/projects"
	"github.com/pulumi/pulumi-gcp/sdk/v7/go/gcp/sql"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

const iamUserTypeToken = "scalestack:gcp:DatabaseIAMUser"

// IAMLoginRoles are the project roles a service account needs to sign in to Cloud SQL with
// IAM database authentication: roles/cloudsql.client to connect (the Cloud SQL connectors
// and Auth Proxy call the Admin API for the instance's certificate) and
// roles/cloudsql.instanceUser for the cloudsql.instances.login permission. Both are granted
// with an IAM condition that names the instances, so the account can reach no other
// instance of the project.
var IAMLoginRoles = []string{"roles/cloudsql.client", "roles/cloudsql.instanceUser"}

// IAMUserArgs configures an IAMUser.
type IAMUserArgs struct {
	// Project is the project the roles are granted in. Required.
	Project pulumi.StringInput
	// Instance is the primary instance's name (Database.InstanceName): the user is created
	// there, and PostgreSQL replicates it to the read replicas. Required.
	Instance pulumi.StringInput
	// ServiceAccountEmail is the service account that signs in. Required.
	ServiceAccountEmail pulumi.StringInput
	// InstanceNames are the instances the account may connect and sign in to (the primary
	// and its replicas: Database.InstanceNames). Default: Instance only.
	InstanceNames []pulumi.StringInput
}

// IAMUser is a Cloud SQL IAM service-account database user and the roles its account needs
// to sign in with IAM database authentication.
type IAMUser struct {
	pulumi.ResourceState

	// UserName is the database user name: the service account's email without the
	// ".gserviceaccount.com" suffix, as Cloud SQL for PostgreSQL names IAM service-account
	// users. The application signs in as this user with an OAuth token as the password (or
	// through a Cloud SQL connector with automatic IAM authentication).
	UserName pulumi.StringOutput `pulumi:"userName"`
}

// IAMUserName is the PostgreSQL user name of a service account: its email without
// ".gserviceaccount.com" (https://cloud.google.com/sql/docs/postgres/add-manage-iam-users).
func IAMUserName(email string) string { return strings.TrimSuffix(email, ".gserviceaccount.com") }

// NewIAMUser validates args and registers the database user and its two role grants:
// "<name>" (sql.User of type CLOUD_IAM_SERVICE_ACCOUNT, abandoned rather than deleted,
// because PostgreSQL refuses to drop a user that owns objects or holds grants),
// "<name>-client" and "<name>-instance-user" (project IAM members scoped by condition to
// InstanceNames).
func NewIAMUser(ctx *pulumi.Context, name string, args *IAMUserArgs, opts ...pulumi.ResourceOption) (*IAMUser, error) {
	switch {
	case args == nil || args.Project == nil:
		return nil, fmt.Errorf("database IAM user %q: Project is required", name)
	case args.Instance == nil:
		return nil, fmt.Errorf("database IAM user %q: Instance is required: the primary instance's name", name)
	case args.ServiceAccountEmail == nil:
		return nil, fmt.Errorf("database IAM user %q: ServiceAccountEmail is required", name)
	}
	instances := args.InstanceNames
	if len(instances) == 0 {
		instances = []pulumi.StringInput{args.Instance}
	}
	u := &IAMUser{}
	if err := ctx.RegisterComponentResource(iamUserTypeToken, name, u, opts...); err != nil {
		return nil, err
	}
	parent := pulumi.Parent(u)
	email := args.ServiceAccountEmail.ToStringOutput()
	user, err := sql.NewUser(ctx, name, &sql.UserArgs{
		Instance:       args.Instance,
		Name:           email.ApplyT(IAMUserName).(pulumi.StringOutput),
		Type:           pulumi.String("CLOUD_IAM_SERVICE_ACCOUNT"),
		DeletionPolicy: pulumi.String("ABANDON"),
	}, parent)
	if err != nil {
		return nil, fmt.Errorf("creating IAM database user: %w", err)
	}
	expr := instanceCondition(args.Project, instances)
	for _, role := range IAMLoginRoles {
		suffix := map[string]string{"roles/cloudsql.client": "client", "roles/cloudsql.instanceUser": "instance-user"}[role]
		if _, err := projects.NewIAMMember(ctx, name+"-"+suffix, &projects.IAMMemberArgs{
			Project: args.Project,
			Role:    pulumi.String(role),
			Member:  pulumi.Sprintf("serviceAccount:%s", email),
			Condition: &projects.IAMMemberConditionArgs{
				Title:       pulumi.String("scalestack database instances"),
				Description: pulumi.String("only the backend's Cloud SQL primary and replicas"),
				Expression:  expr,
			},
		}, parent); err != nil {
			return nil, fmt.Errorf("granting %s: %w", role, err)
		}
	}
	u.UserName = user.Name
	return u, ctx.RegisterResourceOutputs(u, pulumi.Map{"userName": u.UserName})
}

// instanceCondition is the IAM condition that matches the named Cloud SQL instances only, in
// the form Cloud SQL documents for instance-scoped grants:
// resource.type == 'sqladmin.googleapis.com/Instance' && resource.name == 'projects/P/instances/I'.
func instanceCondition(project pulumi.StringInput, instances []pulumi.StringInput) pulumi.StringOutput {
	all := []any{project}
	for _, i := range instances {
		all = append(all, i)
	}
	return pulumi.All(all...).ApplyT(func(xs []any) string {
		p, _ := xs[0].(string)
		var names []string
		for _, x := range xs[1:] {
			s, _ := x.(string)
			names = append(names, fmt.Sprintf("resource.name == 'projects/%s/instances/%s'", p, s))
		}
		return fmt.Sprintf("resource.type == 'sqladmin.googleapis.com/Instance' && (%s)", strings.Join(names, " || "))
	}).(pulumi.StringOutput)
}
