package diff_test

import (
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/kms"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/sqs"
	"github.com/pulumi/pulumi-azure-native-sdk/storage/v2"
	azure "github.com/pulumi/pulumi-azure-native-sdk/v2"
	"github.com/pulumi/pulumi-gcp/sdk/v7/go/gcp"
	"github.com/pulumi/pulumi-gcp/sdk/v7/go/gcp/sql"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scalestack/scalestack/cmd/scalestack/internal/diff"
)

// awsKeyProgram places a KMS key (stateful) and a queue (stateless) with an explicit AWS
// provider named providerName in region; aliases are the provider's old names.
func awsKeyProgram(providerName, region string, aliases ...string) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		var opts []pulumi.ResourceOption
		for _, a := range aliases {
			opts = append(opts, pulumi.Aliases([]pulumi.Alias{{Name: pulumi.String(a)}}))
		}
		p, err := aws.NewProvider(ctx, providerName, &aws.ProviderArgs{Region: pulumi.String(region)}, opts...)
		if err != nil {
			return err
		}
		if _, err := kms.NewKey(ctx, "data-key", &kms.KeyArgs{EnableKeyRotation: pulumi.Bool(true)}, pulumi.Provider(p)); err != nil {
			return err
		}
		_, err = sqs.NewQueue(ctx, "jobs", &sqs.QueueArgs{}, pulumi.Provider(p))
		return err
	}
}

func lostNames(res *diff.Result) []string {
	var out []string
	for _, s := range res.DataLoss() {
		out = append(out, s.Name)
	}
	return out
}

func changeAt(s diff.Step, path string) *diff.Change {
	for i := range s.Changes {
		if s.Changes[i].Path == path {
			return &s.Changes[i]
		}
	}
	return nil
}

func stepNamed(res *diff.Result, name string) diff.Step {
	for _, s := range res.Steps {
		if s.Name == name {
			return s
		}
	}
	return diff.Step{}
}

// TestProviderChangeReplacesTheResource: the Pulumi engine replaces a resource whose explicit
// provider changes to another provider (not an alias of it). Source: pulumi/pulumi
// pkg/resource/deploy/step_generator.go, providerChanged: "If one or both of these providers
// are not default providers, we will need to accept the diff and replace everything". The
// reference stacks name providers after their region ("aws-us-east-1"), so a new region is a
// new provider: the key is replaced, with the data it encrypts; the queue is replaced too, but
// holds nothing that is kept.
func TestProviderChangeReplacesTheResource(t *testing.T) {
	res := diff.Compare(runPlan(t, awsKeyProgram("aws-us-east-1", "us-east-1")), runPlan(t, awsKeyProgram("aws-eu-west-1", "eu-west-1")))
	assert.Equal(t, []string{"data-key"}, lostNames(res))
	key := res.DataLoss()[0]
	assert.Equal(t, diff.Update, key.Op)
	assert.True(t, key.Replaces)
	require.NotNil(t, changeAt(key, diff.PathProvider))
	region := changeAt(key, diff.PathRegion)
	require.NotNil(t, region, "the region the key inherits from its provider is named")
	assert.Equal(t, diff.Change{Path: diff.PathRegion, Old: "us-east-1", New: "eu-west-1"}, *region)
	assert.Contains(t, key.Describe(), `aws:kms/key:Key "data-key"`)
	assert.Contains(t, key.Describe(), "would be replaced, with its data, since (provider), (region) changes: it moves from region us-east-1 to eu-west-1")
	assert.True(t, key.Moves())

	queue := stepNamed(res, "jobs")
	assert.Equal(t, diff.Update, queue.Op)
	assert.False(t, queue.Stateful)
	assert.False(t, queue.Replaces, "only stateful replacements are data loss")
}

// TestAWSProviderRegionChangeReplacesItsResources: changing `region` on one pulumi-aws
// provider (same URN) replaces every resource it manages (pulumi/pulumi-aws#4000, "Replace
// resources when the AWS region changes": a cascading replace of all resources associated
// with the provider). Even without the cascade, the state would point at a key in the old
// region that the provider no longer finds: the data is out of the stack either way.
func TestAWSProviderRegionChangeReplacesItsResources(t *testing.T) {
	res := diff.Compare(runPlan(t, awsKeyProgram("primary", "us-east-1")), runPlan(t, awsKeyProgram("primary", "eu-west-1")))
	assert.Equal(t, []string{"data-key"}, lostNames(res))
	key := res.DataLoss()[0]
	assert.Nil(t, changeAt(key, diff.PathProvider), "the same provider, updated")
	assert.Equal(t, &diff.Change{Path: diff.PathRegion, Old: "us-east-1", New: "eu-west-1"}, changeAt(key, diff.PathRegion))
	assert.Contains(t, names(res.Steps), "update primary", "the provider itself is updated")
}

// TestAliasedProviderInTheSameRegionKeepsTheData: the engine does not replace a resource whose
// new provider aliases the old one (step_generator.go providerChanged: "observed an aliased
// provider"), so renaming a provider with pulumi.Aliases in the same region loses nothing.
func TestAliasedProviderInTheSameRegionKeepsTheData(t *testing.T) {
	res := diff.Compare(runPlan(t, awsKeyProgram("aws-us-east-1", "us-east-1")), runPlan(t, awsKeyProgram("primary", "us-east-1", "aws-us-east-1")))
	assert.Empty(t, res.DataLoss())
	assert.Nil(t, changeAt(stepNamed(res, "data-key"), diff.PathProvider))
}

// azureProgram places a storage account with an explicit azure-native provider in location.
// With own set, the account names its location itself (as the reference stack does);
// otherwise it inherits the provider's.
func azureProgram(location string, own bool) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		p, err := azure.NewProvider(ctx, "azure", &azure.ProviderArgs{Location: pulumi.StringPtr(location)})
		if err != nil {
			return err
		}
		args := &storage.StorageAccountArgs{
			ResourceGroupName: pulumi.String("rg"), Kind: pulumi.String("StorageV2"),
			Sku: &storage.SkuArgs{Name: pulumi.String("Standard_ZRS")},
		}
		if own {
			args.Location = pulumi.String(location)
		}
		_, err = storage.NewStorageAccount(ctx, "audit", args, pulumi.Provider(p))
		return err
	}
}

// TestAzureLocationIsForceNew: an Azure resource cannot change location; azure-native v2
// replaces it. Source: the azure-native SDK's storage.StorageAccountArgs.Location (from the
// ARM spec): "The geo region of a resource cannot be changed once it is created"; azure-native
// marks `location` as replace-on-change on its resources. Where the resource does not name its
// location, the provider's `location` is its default, and changing it moves it just the same.
func TestAzureLocationIsForceNew(t *testing.T) {
	res := diff.Compare(runPlan(t, azureProgram("eastus2", true)), runPlan(t, azureProgram("westeurope", true)))
	assert.Equal(t, []string{"audit"}, lostNames(res))
	assert.Equal(t, &diff.Change{Path: "location", Old: "eastus2", New: "westeurope"}, changeAt(res.DataLoss()[0], "location"))
	assert.Contains(t, res.DataLoss()[0].Reason(), "it moves from region eastus2 to westeurope")

	res = diff.Compare(runPlan(t, azureProgram("eastus2", false)), runPlan(t, azureProgram("westeurope", false)))
	assert.Equal(t, []string{"audit"}, lostNames(res))
	assert.Equal(t, &diff.Change{Path: diff.PathRegion, Old: "eastus2", New: "westeurope"}, changeAt(res.DataLoss()[0], diff.PathRegion))

	// Spelling the same location another way moves nothing.
	res = diff.Compare(runPlan(t, azureProgram("eastus2", false)), runPlan(t, azureProgram("East US 2", false)))
	assert.Empty(t, res.DataLoss())
}

// gcpProgram places a Cloud SQL instance that names no region or project: it inherits both
// from its explicit provider.
func gcpProgram(project, region string) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		p, err := gcp.NewProvider(ctx, "gcp", &gcp.ProviderArgs{Project: pulumi.String(project), Region: pulumi.String(region)})
		if err != nil {
			return err
		}
		_, err = sql.NewDatabaseInstance(ctx, "db", &sql.DatabaseInstanceArgs{
			DatabaseVersion: pulumi.String("POSTGRES_16"),
			Settings:        &sql.DatabaseInstanceSettingsArgs{Tier: pulumi.String("db-custom-1-3840")},
		}, pulumi.Provider(p))
		return err
	}
}

// TestGCPRegionAndProjectAreForceNew: google_sql_database_instance's `region` and `project`
// are ForceNew and default to the provider's (terraform-provider-google
// services/sql/resource_sql_database_instance.go, which pulumi-gcp v7 bridges; the SDK's
// sql.DatabaseInstanceArgs.Region: "If a region is not provided in the resource definition,
// the provider region will be used instead"; regional resources add the provider's value to
// the plan with tpgresource.DefaultProviderRegion / DefaultProviderProject). Changing either
// on the provider replaces the instance, and with it the data.
func TestGCPRegionAndProjectAreForceNew(t *testing.T) {
	res := diff.Compare(runPlan(t, gcpProgram("shop-prod", "us-central1")), runPlan(t, gcpProgram("shop-prod", "europe-west1")))
	assert.Equal(t, []string{"db"}, lostNames(res))
	assert.Equal(t, &diff.Change{Path: diff.PathRegion, Old: "us-central1", New: "europe-west1"}, changeAt(res.DataLoss()[0], diff.PathRegion))

	res = diff.Compare(runPlan(t, gcpProgram("shop-prod", "us-central1")), runPlan(t, gcpProgram("shop-prod-2", "us-central1")))
	assert.Equal(t, []string{"db"}, lostNames(res))
	assert.Equal(t, &diff.Change{Path: diff.PathProject, Old: "shop-prod", New: "shop-prod-2"}, changeAt(res.DataLoss()[0], diff.PathProject))
	assert.Contains(t, res.DataLoss()[0].Reason(), "it moves from project shop-prod to shop-prod-2")

	res = diff.Compare(runPlan(t, gcpProgram("shop-prod", "us-central1")), runPlan(t, gcpProgram("shop-prod", "us-central1")))
	assert.Empty(t, res.Steps)
}
