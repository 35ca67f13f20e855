package e2e

import (
	"bytes"
	"context"
	"fmt"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/events"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optpreview"
	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// CheckFailure is one resource whose Check failed, in the provider's words.
type CheckFailure struct {
	URN     string `json:"urn"`
	Message string `json:"message"`
}

// CheckResult is what CheckAll found.
type CheckResult struct {
	// Failures are the resources the provider refused, with its words.
	Failures []CheckFailure `json:"failures"`
	// Checked counts the resources of the package the last preview checked, plus the refused ones.
	Checked int `json:"checked"`
	// Runs is how many previews it took.
	Runs int `json:"runs"`
	// Output is the last preview's output.
	Output string `json:"output"`
}

// CheckAll previews a stack until every Check passes. A preview stops at the first failed
// Check, so each refused resource is recorded, then excluded (with its dependents, which cannot
// be previewed without it) and the preview run again. pkg is the package whose resources are
// counted ("aws").
func CheckAll(ctx context.Context, stack auto.Stack, pkg string, maxRuns int, opts ...optpreview.Option) (*CheckResult, error) {
	res := &CheckResult{}
	var excluded []string
	seen := map[string]bool{}
	for res.Runs = 1; res.Runs <= maxRuns; res.Runs++ {
		steps := map[string]apitype.StepEventMetadata{}
		failed := map[string]string{}
		ch := make(chan events.EngineEvent, 64)
		done := make(chan struct{})
		go func() {
			for ev := range ch {
				if d := ev.DiagnosticEvent; d != nil && d.Severity == "error" && d.URN != "" {
					failed[d.URN] = strings.TrimSpace(d.Message)
				}
				if ev.ResourcePreEvent != nil {
					steps[ev.ResourcePreEvent.Metadata.URN] = ev.ResourcePreEvent.Metadata
				}
			}
			close(done)
		}()
		var out bytes.Buffer
		all := append([]optpreview.Option{optpreview.EventStreams(ch), optpreview.ProgressStreams(&out), optpreview.ErrorProgressStreams(&out)}, opts...)
		if len(excluded) > 0 {
			all = append(all, optpreview.Exclude(excluded), optpreview.ExcludeDependents())
		}
		_, err := stack.Preview(ctx, all...)
		<-done
		res.Output = out.String()
		if err == nil {
			res.Checked = len(res.Failures)
			for urn, m := range steps {
				typ := resource.URN(urn).Type()
				if m.Op != apitype.OpSame && string(typ.Package()) == pkg && !strings.HasPrefix(string(typ), "pulumi:providers:") {
					res.Checked++
				}
			}
			return res, nil
		}
		fresh := 0
		for urn, msg := range failed {
			if !seen[urn] {
				seen[urn], fresh = true, fresh+1
				res.Failures = append(res.Failures, CheckFailure{urn, msg})
				excluded = append(excluded, urn)
			}
		}
		if fresh == 0 {
			return res, fmt.Errorf("the preview failed without naming a new resource: %w\n%s", err, res.Output)
		}
	}
	return res, fmt.Errorf("still failing after %d previews", maxRuns)
}
