// Package testkit runs a Pulumi program offline under pulumi.WithMocks and returns every
// resource it registered, so tests (and the scalestack preview command) can query the plan:
// which resources exist, their inputs, parents, providers and regions, and how they connect.
//
// The mocks answer like the clouds do: AWS resources get ARNs, IDs and DNS names shaped as
// AWS would shape them, Azure resources get ARM IDs, Google Cloud resources get self links,
// so Apply chains in a program behave as they would in a real deployment.
//
// A plan lists resources in a stable order (providers, then the parent tree, siblings by
// name), resolves pulumi.Aliases to old URNs, records ctx.Log messages (Plan.Logs), and runs
// the policy pack in-process (Plan.Policies). The Assert* helpers (AssertURNsStable,
// AssertCounts, AssertWired, AssertPlaced) give tests one-line checks with messages that
// name the resources involved.
//
//	plan, err := testkit.Run(myProgram, testkit.Config(map[string]string{"scalestack:cloud": "aws"}))
//	if err != nil { ... }
//	for _, db := range plan.ByType("aws:rds/instance:Instance") {
//		fmt.Println(db.Name, db.Region(), db.Input("storageEncrypted"))
//	}
package testkit

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/scalestack/scalestack/policies/flows"
)

// DefaultProject and DefaultStack name the project and stack a run uses unless told otherwise.
const (
	DefaultProject = "scalestack"
	DefaultStack   = "dev"
)

// Option changes how Run executes a program.
type Option func(*options)

type options struct {
	project string
	stack   string
	config  map[string]string
	secrets []string
	dryRun  bool
	hooks   []NewResourceHook
}

// NewResourceHook lets a test change or fail the mock answer for one resource. It is called
// after the built-in cloud mocks computed id and outputs; returning an error fails the
// registration as a provider error would.
type NewResourceHook func(r *Resource) error

// Project sets the Pulumi project name (default "scalestack").
func Project(name string) Option { return func(o *options) { o.project = name } }

// Stack sets the Pulumi stack name (default "dev").
func Stack(name string) Option { return func(o *options) { o.stack = name } }

// Config adds stack configuration, keyed as in Pulumi.<stack>.yaml ("scalestack:cloud").
// Object values are JSON strings, as the Pulumi engine passes them to programs.
func Config(cfg map[string]string) Option {
	return func(o *options) {
		for k, v := range cfg {
			o.config[k] = v
		}
	}
}

// StackConfig applies a configuration loaded with LoadStackConfig, secrets included.
func StackConfig(sc *StackConfiguration) Option {
	return func(o *options) {
		if sc == nil {
			return
		}
		for k, v := range sc.Values {
			o.config[k] = v
		}
		o.secrets = append(o.secrets, sc.SecretKeys...)
		if sc.Project != "" {
			o.project = sc.Project
		}
		if sc.Stack != "" {
			o.stack = sc.Stack
		}
	}
}

// Secret marks configuration keys as secret, as `pulumi config set --secret` does.
func Secret(keys ...string) Option {
	return func(o *options) { o.secrets = append(o.secrets, keys...) }
}

// DryRun runs the program as `pulumi preview` would (ctx.DryRun() reports true). Mocked
// outputs are still known values, so Apply chains run either way.
func DryRun(on bool) Option { return func(o *options) { o.dryRun = on } }

// OnNewResource installs a hook that sees (and may adjust) every resource as it is registered.
func OnNewResource(h NewResourceHook) Option {
	return func(o *options) { o.hooks = append(o.hooks, h) }
}

// Run executes program under mocks and returns the plan of everything it registered.
// It fails when the program fails, when a resource registration fails, or when two
// resources share a URN (which the real engine rejects too).
func Run(program pulumi.RunFunc, opts ...Option) (*Plan, error) {
	return RunExports(func(ctx *pulumi.Context) (pulumi.Map, error) {
		return nil, program(ctx)
	}, opts...)
}

// RunExports executes a program that returns its stack outputs instead of calling ctx.Export
// (the mock engine does not surface exports). The outputs are resolved after the run and
// are available as Plan.Outputs.
func RunExports(program func(*pulumi.Context) (pulumi.Map, error), opts ...Option) (*Plan, error) {
	o := &options{project: DefaultProject, stack: DefaultStack, config: map[string]string{}}
	for _, opt := range opts {
		opt(o)
	}
	m := newMocks(o)
	var (
		outMu   sync.Mutex
		outputs map[string]any
	)
	logs := &logRecorder{}
	var resolved chan struct{}
	var runCtx *pulumi.Context
	err := pulumi.RunErr(func(ctx *pulumi.Context) error {
		runCtx = ctx
		logs.inner = ctx.Log
		ctx.Log = logs
		exports, err := program(ctx)
		if err != nil {
			return err
		}
		if len(exports) == 0 {
			return nil
		}
		for k, v := range exports {
			ctx.Export(k, v)
		}
		// Outputs built only from plain values are not tracked by the run's wait group, so
		// the apply signals completion itself and is awaited after the run.
		resolved = make(chan struct{})
		exports.ToMapOutput().ApplyT(func(v map[string]any) (any, error) {
			outMu.Lock()
			outputs = plainValues(v).(map[string]any)
			outMu.Unlock()
			close(resolved)
			return nil, nil
		})
		return nil
	}, pulumi.WithMocks(o.project, o.stack, m), func(info *pulumi.RunInfo) {
		info.Config = o.config
		info.ConfigSecretKeys = o.secrets
		info.DryRun = o.dryRun
	})
	declared := flows.Drain(runCtx) // always drained, so a failed run leaves nothing behind
	if err != nil {
		return nil, err
	}
	if resolved != nil {
		select {
		case <-resolved:
		case <-time.After(outputsDeadline):
			return nil, errors.New("the program's outputs never resolved: an output depends on a value that is never set")
		}
	}
	plan, err := m.plan()
	if err != nil {
		return nil, err
	}
	outMu.Lock()
	defer outMu.Unlock()
	plan.Project, plan.Stack = o.project, o.stack
	plan.Outputs = outputs
	plan.Logs = logs.entries()
	plan.attachFlows(declared)
	if plan.Outputs == nil {
		plan.Outputs = map[string]any{}
	}
	return plan, nil
}

// outputsDeadline bounds the wait for stack outputs after the run has finished; every mocked
// value is known by then, so reaching it means an output can never resolve.
const outputsDeadline = 30 * time.Second

// MissingURNs lists the URNs of before that after no longer has: the resources a change
// would delete (or replace under a new name). An empty result means every resource of
// before survives the change.
func MissingURNs(before, after *Plan) []string {
	var missing []string
	for _, r := range before.Resources {
		if after.ByURN(r.URN) == nil {
			missing = append(missing, r.URN)
		}
	}
	sort.Strings(missing)
	return missing
}

// duplicateURNError reports URNs registered more than once.
func duplicateURNError(dups []string) error {
	sort.Strings(dups)
	return errors.New("duplicate resource URNs (the engine would reject this program): " +
		strings.Join(dups, ", "))
}

// LogEntry is one message a program logged.
type LogEntry struct {
	// Severity is "debug", "info", "warning" or "error".
	Severity string
	Message  string
	// URN is the resource the message is about, or "".
	URN string
}

// logRecorder records ctx.Log messages and forwards them to the engine's logger.
type logRecorder struct {
	inner pulumi.Log
	mu    sync.Mutex
	logs  []*LogEntry
}

func (l *logRecorder) record(sev, msg string, args *pulumi.LogArgs) {
	e := &LogEntry{Severity: sev, Message: msg}
	l.mu.Lock()
	l.logs = append(l.logs, e)
	l.mu.Unlock()
	if args != nil && args.Resource != nil {
		args.Resource.URN().ApplyT(func(u pulumi.URN) error {
			l.mu.Lock()
			e.URN = string(u)
			l.mu.Unlock()
			return nil
		})
	}
}

func (l *logRecorder) entries() []LogEntry {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := make([]LogEntry, len(l.logs))
	for i, e := range l.logs {
		out[i] = *e
	}
	return out
}

func (l *logRecorder) Debug(msg string, args *pulumi.LogArgs) error {
	l.record("debug", msg, args)
	return l.inner.Debug(msg, args)
}

func (l *logRecorder) Info(msg string, args *pulumi.LogArgs) error {
	l.record("info", msg, args)
	return l.inner.Info(msg, args)
}

func (l *logRecorder) Warn(msg string, args *pulumi.LogArgs) error {
	l.record("warning", msg, args)
	return l.inner.Warn(msg, args)
}

func (l *logRecorder) Error(msg string, args *pulumi.LogArgs) error {
	l.record("error", msg, args)
	return l.inner.Error(msg, args)
}

// plainValues turns SDK named string types (pulumi.ID, pulumi.URN) into strings, recursively,
// so resolved outputs compare equal to plain Go values.
func plainValues(v any) any {
	switch t := v.(type) {
	case pulumi.ID:
		return string(t)
	case pulumi.URN:
		return string(t)
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, x := range t {
			out[k] = plainValues(x)
		}
		return out
	case []any:
		out := make([]any, len(t))
		for i, x := range t {
			out[i] = plainValues(x)
		}
		return out
	case map[string]string:
		out := make(map[string]any, len(t))
		for k, x := range t {
			out[k] = x
		}
		return out
	case []string:
		out := make([]any, len(t))
		for i, x := range t {
			out[i] = x
		}
		return out
	case fmt.Stringer:
		return t.String()
	default:
		return v
	}
}
