package diff_test

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scalestack/scalestack/cmd/scalestack/internal/diff"
	"github.com/scalestack/scalestack/cmd/scalestack/internal/fixture"
	"github.com/scalestack/scalestack/testkit"
)

func plan(t *testing.T, o fixture.Options, opts ...testkit.Option) *testkit.Plan {
	t.Helper()
	p, err := testkit.RunExports(fixture.Program(o), append([]testkit.Option{testkit.DryRun(true)}, opts...)...)
	require.NoError(t, err)
	return p
}

func urn(name, typ string) string {
	return "urn:pulumi:dev::scalestack::" + typ + "::" + name
}

func names(steps []diff.Step) []string {
	var out []string
	for _, s := range steps {
		out = append(out, string(s.Op)+" "+s.Name)
	}
	return out
}

func TestNoChange(t *testing.T) {
	base := plan(t, fixture.Options{Secondary: true})
	res := diff.Compare(base, plan(t, fixture.Options{Secondary: true}))
	assert.Empty(t, res.Steps)
	assert.Equal(t, len(base.Resources), res.Same)
	assert.Empty(t, res.DataLoss())
}

func TestAddedReplicaIsSafe(t *testing.T) {
	res := diff.Compare(plan(t, fixture.Options{Replicas: 1}), plan(t, fixture.Options{Replicas: 2}))
	require.Equal(t, []string{"create db-replica-2"}, names(res.Steps))
	s := res.Steps[0]
	assert.Equal(t, urn("db-replica-2", "scalestack:aws:Database$aws:rds/instance:Instance"), s.URN)
	assert.Equal(t, "aws:rds/instance:Instance", s.Type)
	assert.True(t, s.Stateful)
	assert.Empty(t, res.DataLoss(), "adding a stateful resource loses nothing")
	assert.Equal(t, 1, res.Count(diff.Create))
	assert.Zero(t, res.Count(diff.Delete))
}

func TestRemovedSecondaryRegionReportsStatefulRemovals(t *testing.T) {
	res := diff.Compare(plan(t, fixture.Options{Secondary: true}), plan(t, fixture.Options{}))
	assert.Equal(t, []string{
		// The CDN loses its second origin; deletions are sorted by URN.
		"update cdn",
		"delete aws-us-west-2",
		"delete alarms-web-us-west-2",
		"delete backup-vault-us-west-2",
		"delete db-replica-us-west-2",
		"delete lb-us-west-2",
		"delete lb-us-west-2-tg",
		"delete lb-us-west-2",
		"delete web-us-west-2",
		"delete web-us-west-2",
	}, names(res.Steps))
	var lost []string
	for _, s := range res.DataLoss() {
		lost = append(lost, s.Type+" "+s.Name)
	}
	assert.Equal(t, []string{"aws:backup/vault:Vault backup-vault-us-west-2", "aws:rds/instance:Instance db-replica-us-west-2"}, lost)
	assert.Contains(t, res.DataLoss()[1].Describe(), `aws:rds/instance:Instance "db-replica-us-west-2"`)
	assert.Contains(t, res.DataLoss()[1].Describe(), "would be deleted with its data")

	cdn := res.Steps[0]
	assert.Equal(t, []diff.Change{{Path: "origins", Old: cdn.Changes[0].Old, New: cdn.Changes[0].New}}, cdn.Changes,
		"an array that changes length is one change")
	assert.Len(t, cdn.Changes[0].Old, 2)
	assert.Len(t, cdn.Changes[0].New, 1)
}

func TestRenamedDatabaseIsDataLoss(t *testing.T) {
	res := diff.Compare(plan(t, fixture.Options{Replicas: 1}), plan(t, fixture.Options{Replicas: 1, Database: "orders"}))
	var lost []string
	for _, s := range res.DataLoss() {
		lost = append(lost, s.Name)
	}
	assert.Equal(t, []string{"db", "db-replica-1"}, lost, "a rename is a delete and a create: both instances lose their data")
	assert.Equal(t, 3, res.Count(diff.Create), "component, primary and replica under the new name")
	assert.Equal(t, 3, res.Count(diff.Delete))
	// The resources that read the database's outputs are updated, not replaced.
	for _, s := range res.Steps {
		if s.Op == diff.Update {
			assert.Contains(t, []string{"backup-selection", "alarms-db-cpu"}, s.Name)
		}
	}
}

func TestChangedInputsAreListedByPath(t *testing.T) {
	base := plan(t, fixture.Options{})
	target := plan(t, fixture.Options{}, testkit.OnNewResource(func(r *testkit.Resource) error {
		if r.Custom && r.Name == "web-us-east-1" {
			r.Inputs["maxSize"] = resource.NewNumberProperty(9)
			r.Inputs["targetGroupArns"].ArrayValue()[0] = resource.NewStringProperty("arn:other")
		}
		return nil
	}))
	res := diff.Compare(base, target)
	require.Equal(t, []string{"update web-us-east-1"}, names(res.Steps))
	changes := res.Steps[0].Changes
	require.Len(t, changes, 2)
	assert.Equal(t, diff.Change{Path: "maxSize", Old: 6.0, New: 9.0}, changes[0])
	assert.Equal(t, "targetGroupArns.0", changes[1].Path)
	assert.Equal(t, "arn:other", changes[1].New)
	assert.Contains(t, changes[1].Old, "targetgroup/lb-us-east-1-tg/")
}

func TestAnotherStackIsComparedBySource(t *testing.T) {
	// Changing the stack name alone changes no resource: URNs are matched across stacks, and
	// inputs computed from outputs (IDs differ per stack) are compared by their sources.
	base := plan(t, fixture.Options{Secondary: true})
	prod := plan(t, fixture.Options{Secondary: true}, testkit.Stack("prod"))
	res := diff.Compare(base, prod)
	assert.Empty(t, res.Steps)
	assert.Equal(t, len(base.Resources), res.Same)

	// One origin fewer in the other stack: the CDN's origins come from fewer resources.
	single := plan(t, fixture.Options{}, testkit.Stack("prod"))
	res = diff.Compare(base, single)
	require.NotEmpty(t, res.Steps)
	assert.Equal(t, "update cdn", names(res.Steps)[0])
	assert.Equal(t, []diff.Change{{
		Path: "origins (from)",
		Old:  []any{urn("lb-us-east-1", "scalestack:aws:LoadBalancer$aws:lb/loadBalancer:LoadBalancer"), urn("lb-us-west-2", "scalestack:aws:LoadBalancer$aws:lb/loadBalancer:LoadBalancer")},
		New:  []any{urn("lb-us-east-1", "scalestack:aws:LoadBalancer$aws:lb/loadBalancer:LoadBalancer")},
	}}, res.Steps[0].Changes)
	assert.Len(t, res.DataLoss(), 2)
}

func TestRemovedSchedule(t *testing.T) {
	res := diff.Compare(plan(t, fixture.Options{Schedules: 2}), plan(t, fixture.Options{Schedules: 1}))
	assert.Equal(t, []string{"delete web-us-east-1-schedule-2"}, names(res.Steps))
	assert.False(t, res.Steps[0].Stateful)
	assert.Empty(t, res.DataLoss(), "a schedule holds no data")
}

func TestIsStateful(t *testing.T) {
	for _, typ := range []string{
		"aws:rds/instance:Instance", "aws:rds/cluster:Cluster", "aws:s3/bucketV2:BucketV2", "aws:kms/key:Key", "aws:backup/vault:Vault",
		"azure-native:sql:Server", "azure-native:sql:Database", "azure-native:storage:StorageAccount", "azure-native:recoveryservices:Vault",
		"gcp:sql/databaseInstance:DatabaseInstance", "gcp:storage/bucket:Bucket", "gcp:kms/cryptoKey:CryptoKey", "gcp:compute/disk:Disk",
	} {
		assert.True(t, diff.IsStateful(typ), typ)
	}
	for _, typ := range []string{"aws:ec2/vpc:Vpc", "aws:autoscaling/group:Group", "azure-native:network:VirtualNetwork", "gcp:compute/instanceTemplate:InstanceTemplate", "scalestack:aws:Database"} {
		assert.False(t, diff.IsStateful(typ), typ)
	}
	assert.Contains(t, diff.StatefulTypes(), "aws:rds/instance:Instance")
}
