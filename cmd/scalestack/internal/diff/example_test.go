package diff_test

import (
	"fmt"

	"github.com/scalestack/scalestack/cmd/scalestack/internal/diff"
	"github.com/scalestack/scalestack/cmd/scalestack/internal/fixture"
	"github.com/scalestack/scalestack/testkit"
)

// Compare the plans of two configurations: dropping the secondary region deletes a replica
// and a backup vault, with their data.
func Example() {
	before, err := testkit.RunExports(fixture.Program(fixture.Options{Secondary: true}), testkit.DryRun(true))
	if err != nil {
		fmt.Println(err)
		return
	}
	after, err := testkit.RunExports(fixture.Program(fixture.Options{}), testkit.DryRun(true))
	if err != nil {
		fmt.Println(err)
		return
	}
	res := diff.Compare(before, after)
	fmt.Printf("%d create, %d update, %d delete\n", res.Count(diff.Create), res.Count(diff.Update), res.Count(diff.Delete))
	for _, s := range res.DataLoss() {
		fmt.Println("data loss:", s.Type, s.Name)
	}
	// Output:
	// 0 create, 1 update, 9 delete
	// data loss: aws:backup/vault:Vault backup-vault-us-west-2
	// data loss: aws:rds/instance:Instance db-replica-us-west-2
}
