// Package docs_test keeps the documentation honest: every config key is documented, and every
// shell command in README.md, docs/*.md and examples/*/README.md is either run here or checked
// against the code.
//
// The convention, for ```sh (or bash, shell) fenced blocks:
//
//   - `scalestack ...` and `go run ./cmd/scalestack ...` lines are run, offline, from the
//     repository root with a CLI built once for the test. They must exit 0, or with the
//     status a trailing `# exit N` comment documents.
//   - `pulumi config set` lines are applied, block by block, on top of Pulumi.dev.yaml, and the
//     reference stack must then build under mocks. A dotted key needs --path, as in Pulumi.
//   - `pulumi stack output NAME` (also inside `$(...)`) must name an output of the reference
//     stack of the block's cloud (the cloud whose CLI the block uses, or scalestack:cloud).
//   - aws, az and gcloud commands cannot run here: each command prefix must be registered in
//     cliTouches with the resource types it acts on, and the block's reference plan must hold
//     one of them; `tag:KEY` filters must use a default tag key.
//   - go test/vet/build patterns must name existing directories; other pulumi verbs and shell
//     tools must be in the allow lists below. Anything else fails, so a new kind of command is
//     a decision, not an accident.
package docs_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scalestack/scalestack/policies/rules"
	"github.com/scalestack/scalestack/providers"
	"github.com/scalestack/scalestack/stacks"
	"github.com/scalestack/scalestack/stacks/spec"
	"github.com/scalestack/scalestack/testkit"
)

// root is the repository root (tests run in their package directory).
const root = ".."

// command is one shell command of a fenced block.
type command struct {
	file   string
	line   int
	text   string // comment stripped, continuations joined
	expect int    // the documented exit status ("# exit N"), 0 by default
}

func (c command) String() string { return fmt.Sprintf("%s:%d: %s", c.file, c.line, c.text) }

// block is one fenced shell block.
type block struct {
	file     string
	line     int
	commands []command
}

var exitRE = regexp.MustCompile(`#\s*exit\s+(\d+)\s*$`)

// shellBlocks returns the ```sh/```bash/```shell blocks of a Markdown file.
func shellBlocks(t *testing.T, path string) []block {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	rel, _ := filepath.Rel(root, path)
	var (
		out     []block
		cur     *block
		pending string
		start   int
	)
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		n++
		line := sc.Text()
		trimmed := strings.TrimSpace(line)
		if cur == nil {
			if lang, ok := strings.CutPrefix(trimmed, "```"); ok && (lang == "sh" || lang == "bash" || lang == "shell") {
				cur = &block{file: rel, line: n}
			}
			continue
		}
		if trimmed == "```" {
			out = append(out, *cur)
			cur = nil
			continue
		}
		if pending == "" {
			start = n
		}
		if s, ok := strings.CutSuffix(trimmed, `\`); ok {
			pending += s + " "
			continue
		}
		full := strings.TrimSpace(pending + trimmed)
		pending = ""
		full = strings.TrimPrefix(full, "$ ")
		c := command{file: rel, line: start}
		if m := exitRE.FindStringSubmatch(full); m != nil {
			c.expect, _ = strconv.Atoi(m[1])
		}
		c.text = strings.TrimSpace(stripComment(full))
		if c.text != "" {
			cur.commands = append(cur.commands, c)
		}
	}
	require.NoError(t, sc.Err())
	require.Nil(t, cur, "%s: unterminated fenced block", rel)
	return out
}

// stripComment removes a shell comment: a # at the start or after a blank, outside quotes.
func stripComment(s string) string {
	var q rune
	for i, r := range s {
		switch {
		case q != 0:
			if r == q {
				q = 0
			}
		case r == '\'' || r == '"':
			q = r
		case r == '#' && (i == 0 || s[i-1] == ' ' || s[i-1] == '\t'):
			return s[:i]
		}
	}
	return s
}

// fields splits a command like a shell would for our purposes: blanks separate words,
// quotes group (and are removed), $(...) stays one word.
func fields(s string) []string {
	var (
		out   []string
		cur   strings.Builder
		q     rune
		depth int
		has   bool
	)
	flush := func() {
		if has {
			out = append(out, cur.String())
		}
		cur.Reset()
		has = false
	}
	for i, r := range s {
		switch {
		case q != 0:
			if r == q {
				q = 0
				continue
			}
			cur.WriteRune(r)
		case depth > 0:
			cur.WriteRune(r)
			if r == '(' {
				depth++
			} else if r == ')' {
				depth--
			}
		case r == '\'' || r == '"':
			q, has = r, true
		case r == '$' && i+1 < len(s) && s[i+1] == '(':
			cur.WriteRune(r)
			has = true
		case r == '(' && strings.HasSuffix(cur.String(), "$"):
			cur.WriteRune(r)
			depth = 1
		case r == ' ' || r == '\t':
			flush()
		default:
			cur.WriteRune(r)
			has = true
		}
	}
	flush()
	return out
}

// segments splits a command line into simple commands: on |, &&, ||, ; at the top level,
// and the commands inside $(...).
func segments(s string) [][]string {
	var out [][]string
	var cur []string
	for _, w := range fields(s) {
		switch w {
		case "|", "&&", "||", ";":
			if len(cur) > 0 {
				out = append(out, cur)
			}
			cur = nil
			continue
		}
		if inner, ok := strings.CutPrefix(w, "$("); ok {
			out = append(out, segments(strings.TrimSuffix(inner, ")"))...)
		} else if k, v, ok := strings.Cut(w, "=$("); ok && !strings.HasPrefix(k, "-") {
			out = append(out, segments(strings.TrimSuffix(v, ")"))...)
			continue
		}
		cur = append(cur, w)
	}
	if len(cur) > 0 {
		out = append(out, cur)
	}
	return out
}

// markdownFiles are the documents whose commands are checked: README.md, docs/*.md and the
// examples' READMEs.
func markdownFiles(t *testing.T) []string {
	t.Helper()
	files := []string{filepath.Join(root, "README.md"), filepath.Join(root, "examples", "README.md")}
	for _, glob := range []string{"docs/*.md", "examples/*/README.md"} {
		m, err := filepath.Glob(filepath.Join(root, glob))
		require.NoError(t, err)
		files = append(files, m...)
	}
	sort.Strings(files)
	return files
}

// --- config keys -----------------------------------------------------------------------

// specKeys are the keys the spec itself declares: the top-level keys that are not objects,
// and "object.field" for every field of every object.
func specKeys() []string {
	keys := []string{"cloud", "environment"}
	objects := []struct {
		name  string
		shape any
	}{
		{"web", spec.Web{}}, {"database", spec.Database{}}, {"cdn", spec.CDN{}}, {"backup", spec.Backup{}},
		{"alerts", spec.Alerts{}}, {"domain", spec.Domain{}}, {"aws", spec.AWSPlacement{}},
		{"cache", spec.Cache{}}, {"queue", spec.Queue{}}, {"queue.workers", spec.Workers{}},
		{"azure", spec.AzurePlacement{}}, {"gcp", spec.GCPPlacement{}}, {"policy", spec.Policy{}},
	}
	for _, o := range objects {
		typ := reflect.TypeOf(o.shape)
		for i := 0; i < typ.NumField(); i++ {
			tag := strings.Split(typ.Field(i).Tag.Get("json"), ",")[0]
			if tag != "" && tag != "-" {
				keys = append(keys, o.name+"."+tag)
			}
		}
	}
	return keys
}

// cloudKeys are the placement keys the cloud stacks register beyond the spec's.
func cloudKeys() []string {
	var keys []string
	for k := range spec.AzureExtraKeys {
		keys = append(keys, "azure."+k)
	}
	for k := range spec.GCPExtraKeys {
		keys = append(keys, "gcp."+k)
	}
	sort.Strings(keys)
	return keys
}

var rowRE = regexp.MustCompile("^\\|\\s*`([a-zA-Z.]+)`\\s*\\|")

// tableKeys returns the keys of the config tables of a Markdown file: rows that start with
// a backquoted key.
func tableKeys(t *testing.T, path string) map[string]bool {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	out := map[string]bool{}
	for _, line := range strings.Split(string(b), "\n") {
		if m := rowRE.FindStringSubmatch(line); m != nil {
			out[m[1]] = true
		}
	}
	return out
}

// TestEveryConfigKeyIsDocumented fails when a key is added to the spec (or a cloud stack's
// extra keys) without a row in docs/configuration.md, or to the spec without a row in
// README's table; and when a documented key no longer exists.
func TestEveryConfigKeyIsDocumented(t *testing.T) {
	all := append(specKeys(), cloudKeys()...)
	require.NotEmpty(t, spec.AzureExtraKeys, "the Azure stack registers its keys")
	require.NotEmpty(t, spec.GCPExtraKeys, "the GCP stack registers its keys")

	conf := tableKeys(t, filepath.Join(root, "docs", "configuration.md"))
	for _, k := range all {
		assert.True(t, conf[k], "docs/configuration.md has no row for `%s`", k)
	}
	readme := tableKeys(t, filepath.Join(root, "README.md"))
	for _, k := range specKeys() {
		assert.True(t, readme[k], "README.md's configuration table has no row for `%s`", k)
	}
	known := map[string]bool{}
	for _, k := range all {
		known[k] = true
	}
	for _, doc := range []map[string]bool{conf, readme} {
		for k := range doc {
			assert.True(t, known[k], "`%s` is documented but is not a config key", k)
		}
	}
}

// --- reference stacks ------------------------------------------------------------------

// referenceOverrides make Pulumi.dev.yaml valid on each cloud: the dev stack file is written
// for AWS, and the other clouds need a few settings of their own.
var referenceOverrides = map[string][]string{
	"aws": {"scalestack:cloud=aws"},
	"azure": {"scalestack:cloud=azure", "scalestack:azure.sqlAdminLogin=sql-admins",
		"scalestack:azure.sqlAdminObjectId=11111111-2222-3333-4444-555555555555"},
	"gcp": {"scalestack:cloud=gcp", "scalestack:backup.weeklyRetentionDays=0"},
}

// reference builds the dev stack on a cloud with overrides, under mocks, and validates its
// policy settings and waivers as the policy pack would.
func reference(cloud string, overrides ...string) (*testkit.Plan, error) {
	sc, err := testkit.LoadStackConfig(root, "dev", append(append([]string{}, referenceOverrides[cloud]...), overrides...))
	if err != nil {
		return nil, err
	}
	// A preview, as `scalestack preview` runs it: Pulumi.dev.yaml keeps the sample domain,
	// which a deployment refuses (spec.CheckDeployable).
	plan, err := testkit.RunExports(stacks.Build, testkit.StackConfig(sc), testkit.DryRun(true))
	if err != nil {
		return nil, err
	}
	if _, err := rules.OptionsFromConfig(sc.Values["scalestack:environment"], sc.Values["scalestack:policy"]); err != nil {
		return nil, err
	}
	return plan, nil
}

var (
	refMu    sync.Mutex
	refPlans = map[string]*testkit.Plan{}
)

func referencePlan(t *testing.T, cloud string) *testkit.Plan {
	t.Helper()
	refMu.Lock()
	defer refMu.Unlock()
	if p, ok := refPlans[cloud]; ok {
		return p
	}
	p, err := reference(cloud)
	require.NoError(t, err, "the %s reference stack must build from Pulumi.dev.yaml", cloud)
	refPlans[cloud] = p
	return p
}

// --- cloud CLIs --------------------------------------------------------------------------

// cliTouches maps a cloud CLI command prefix to the resource types it acts on. A documented
// command must start with a registered prefix, and the reference plan must hold one of its
// types: an operations page cannot describe a resource the stack does not create.
var cliTouches = map[string][]string{
	// AWS
	"aws route53 get-health-check-status":          {"aws:route53/healthCheck:HealthCheck"},
	"aws route53 list-health-checks":               {"aws:route53/healthCheck:HealthCheck"},
	"aws route53 update-health-check":              {"aws:route53/healthCheck:HealthCheck"},
	"aws route53 list-resource-record-sets":        {"aws:route53/record:Record"},
	"aws rds describe-db-instances":                {"aws:rds/instance:Instance"},
	"aws rds promote-read-replica":                 {"aws:rds/instance:Instance"},
	"aws rds restore-db-instance-to-point-in-time": {"aws:rds/instance:Instance"},
	"aws rds wait":                                    {"aws:rds/instance:Instance"},
	"aws rds reboot-db-instance":                      {"aws:rds/instance:Instance"},
	"aws ssm get-parameter":                           {"aws:ssm/parameter:Parameter"},
	"aws secretsmanager get-secret-value":             {"aws:rds/instance:Instance"},
	"aws backup list-recovery-points-by-backup-vault": {"aws:backup/vault:Vault"},
	"aws backup get-recovery-point-restore-metadata":  {"aws:backup/vault:Vault"},
	"aws backup start-restore-job":                    {"aws:backup/selection:Selection"},
	"aws backup describe-restore-job":                 {"aws:backup/selection:Selection"},
	"aws backup start-backup-job":                     {"aws:backup/selection:Selection"},
	"aws autoscaling describe-auto-scaling-groups":    {"aws:autoscaling/group:Group"},
	"aws autoscaling describe-policies":               {"aws:autoscaling/policy:Policy"},
	"aws autoscaling describe-scaling-activities":     {"aws:autoscaling/group:Group"},
	"aws autoscaling start-instance-refresh":          {"aws:autoscaling/group:Group"},
	"aws cloudwatch describe-alarms":                  {"aws:cloudwatch/metricAlarm:MetricAlarm"},
	"aws cloudwatch set-alarm-state":                  {"aws:cloudwatch/metricAlarm:MetricAlarm"},
	"aws secretsmanager rotate-secret":                {"aws:rds/instance:Instance"},
	"aws secretsmanager describe-secret":              {"aws:rds/instance:Instance"},
	"aws iam list-roles":                              {"aws:iam/role:Role"},
	"aws sts get-caller-identity":                     {"pulumi:providers:aws"},
	"aws cloudfront create-invalidation":              {"aws:cloudfront/distribution:Distribution"},
	"aws cloudfront wait":                             {"aws:cloudfront/distribution:Distribution"},
	"aws sqs get-queue-attributes":                    {"aws:sqs/queue:Queue"},
	"aws sqs start-message-move-task":                 {"aws:sqs/queue:Queue"},
	"aws elasticache describe-replication-groups":     {"aws:elasticache/replicationGroup:ReplicationGroup"},
	// Azure
	"az sql failover-group show":                 {"azure-native:sql:FailoverGroup"},
	"az sql failover-group set-primary":          {"azure-native:sql:FailoverGroup"},
	"az sql db restore":                          {"azure-native:sql:BackupShortTermRetentionPolicy"},
	"az sql db ltr-backup list":                  {"azure-native:sql:LongTermRetentionPolicy"},
	"az sql db ltr-backup restore":               {"azure-native:sql:LongTermRetentionPolicy"},
	"az sql server ad-admin list":                {"azure-native:sql:Server"},
	"az network traffic-manager profile show":    {"azure-native:network:Profile"},
	"az network traffic-manager endpoint list":   {"azure-native:network:Endpoint"},
	"az network traffic-manager endpoint update": {"azure-native:network:Endpoint"},
	"az monitor autoscale show":                  {"azure-native:insights:AutoscaleSetting"},
	"az monitor autoscale rule list":             {"azure-native:insights:AutoscaleSetting"},
	"az resource list":                           {"azure-native:resources:ResourceGroup"},
	"az ad group member add":                     {"azure-native:sql:Server"},
	"az ad group member remove":                  {"azure-native:sql:Server"},
	"az account show":                            {"pulumi:providers:azure-native"},
	"az afd origin-group list":                   {"azure-native:cdn:AFDOriginGroup"},
	"az afd origin list":                         {"azure-native:cdn:AFDOrigin"},
	"az afd origin update":                       {"azure-native:cdn:AFDOrigin"},
	"az afd endpoint purge":                      {"azure-native:cdn:AFDEndpoint"},
	"az storage message peek":                    {"azure-native:storage:Queue"},
	"az sql server update":                       {"azure-native:sql:Server"},
	"az sql server firewall-rule create":         {"azure-native:sql:Server"},
	"az sql server firewall-rule delete":         {"azure-native:sql:Server"},
	// sqlcmd (go-sqlcmd) runs T-SQL the stack cannot express in ARM (database users).
	"sqlcmd": {"azure-native:sql:Database"},
	// Google Cloud
	"gcloud sql instances describe":                         {"gcp:sql/databaseInstance:DatabaseInstance"},
	"gcloud sql instances list":                             {"gcp:sql/databaseInstance:DatabaseInstance"},
	"gcloud sql instances failover":                         {"gcp:sql/databaseInstance:DatabaseInstance"},
	"gcloud sql instances promote-replica":                  {"gcp:sql/databaseInstance:DatabaseInstance"},
	"gcloud sql instances clone":                            {"gcp:sql/databaseInstance:DatabaseInstance"},
	"gcloud sql backups list":                               {"gcp:sql/databaseInstance:DatabaseInstance"},
	"gcloud sql backups restore":                            {"gcp:sql/databaseInstance:DatabaseInstance"},
	"gcloud sql users list":                                 {"gcp:sql/databaseInstance:DatabaseInstance"},
	"gcloud compute backend-services list":                  {"gcp:compute/backendService:BackendService"},
	"gcloud compute backend-services get-health":            {"gcp:compute/backendService:BackendService"},
	"gcloud compute backend-services update-backend":        {"gcp:compute/backendService:BackendService"},
	"gcloud compute instance-groups managed list":           {"gcp:compute/regionInstanceGroupManager:RegionInstanceGroupManager"},
	"gcloud compute instance-groups managed describe":       {"gcp:compute/regionAutoscaler:RegionAutoscaler"},
	"gcloud compute instance-groups managed rolling-action": {"gcp:compute/regionInstanceGroupManager:RegionInstanceGroupManager"},
	"gcloud compute snapshots list":                         {"gcp:compute/resourcePolicy:ResourcePolicy"},
	"gcloud compute disks create":                           {"gcp:compute/resourcePolicy:ResourcePolicy"},
	"gcloud projects add-iam-policy-binding":                {"gcp:projects/iAMMember:IAMMember"},
	"gcloud projects remove-iam-policy-binding":             {"gcp:projects/iAMMember:IAMMember"},
	"gcloud config get-value":                               {"pulumi:providers:gcp"},
	"gcloud auth application-default login":                 {"pulumi:providers:gcp"},
	"gcloud services enable":                                {"gcp:projects/service:Service"},
	"gcloud dns managed-zones create":                       {"gcp:dns/recordSet:RecordSet", "gcp:compute/managedSslCertificate:ManagedSslCertificate"},
	"gcloud dns managed-zones describe":                     {"gcp:dns/recordSet:RecordSet", "gcp:compute/managedSslCertificate:ManagedSslCertificate"},
	"gcloud compute ssl-certificates list":                  {"gcp:compute/managedSslCertificate:ManagedSslCertificate"},
	"gcloud sql users set-password":                         {"gcp:sql/databaseInstance:DatabaseInstance"},
	"gcloud compute url-maps list":                          {"gcp:compute/uRLMap:URLMap"},
	"gcloud compute url-maps invalidate-cdn-cache":          {"gcp:compute/uRLMap:URLMap"},
	"gcloud redis instances list":                           {"gcp:redis/instance:Instance"},
	"gcloud redis instances describe":                       {"gcp:redis/instance:Instance"},
	"gcloud pubsub subscriptions describe":                  {"gcp:pubsub/subscription:Subscription"},
	"gcloud pubsub subscriptions pull":                      {"gcp:pubsub/subscription:Subscription"},
}

var cliCloud = map[string]string{"aws": "aws", "az": "azure", "gcloud": "gcp", "sqlcmd": "azure"}

// allowedPulumi are the pulumi verbs the docs may use besides config set and stack output.
var allowedPulumi = []string{"stack init", "stack select", "stack ls", "up", "preview", "refresh", "destroy", "config get", "config", "stack output"}

// allowedTools are the ordinary shell tools the docs may use (they read or print; they never
// act on a cloud).
var allowedTools = map[string]bool{"export": true, "echo": true, "jq": true, "curl": true, "dig": true, "sleep": true, "watch": true, "date": true, "cut": true}

// prefixOf returns the registered cliTouches prefix the command starts with, or "".
func prefixOf(words []string) string {
	best := ""
	for p := range cliTouches {
		pw := strings.Fields(p)
		if len(words) < len(pw) {
			continue
		}
		if strings.Join(words[:len(pw)], " ") == p && len(p) > len(best) {
			best = p
		}
	}
	return best
}

// blockCloud is the cloud a block acts on: scalestack:cloud set in it, else the first cloud
// CLI it uses, else "" (any).
func blockCloud(b block) string {
	for _, c := range b.commands {
		for _, seg := range segments(c.text) {
			if k, v, ok := configSet(seg); ok && k == "scalestack:cloud" {
				return v
			}
		}
	}
	for _, c := range b.commands {
		for _, seg := range segments(c.text) {
			if cl, ok := cliCloud[seg[0]]; ok {
				return cl
			}
		}
	}
	return ""
}

// configSet parses `pulumi config set [--path] [--secret] KEY [VALUE]`. It returns the key as
// written and the value; ok is false for any other command.
func configSet(words []string) (key, value string, ok bool) {
	if len(words) < 4 || words[0] != "pulumi" || words[1] != "config" || words[2] != "set" {
		return "", "", false
	}
	var args []string
	for _, w := range words[3:] {
		if !strings.HasPrefix(w, "--") {
			args = append(args, w)
		}
	}
	if len(args) == 0 {
		return "", "", false
	}
	if len(args) > 1 {
		value = args[1]
	}
	return args[0], value, true
}

func hasFlag(words []string, flag string) bool {
	for _, w := range words {
		if w == flag {
			return true
		}
	}
	return false
}

var (
	outputRE  = regexp.MustCompile(`pulumi stack output(?:\s+--\S+)*\s+([A-Za-z0-9_]+)`)
	tagKeyRE  = regexp.MustCompile(`tag:([A-Za-z0-9_-]+)`)
	tagsDotRE = regexp.MustCompile(`tags\.([A-Za-z0-9_-]+)`)
	labelRE   = regexp.MustCompile(`labels\.([A-Za-z0-9_-]+)`)
	azTagRE   = regexp.MustCompile(`--tag\s+([A-Za-z0-9_-]+)=`)
	indexRE   = regexp.MustCompile(`\[\d+\]`)
)

// TestDocCommandsAreChecked checks every command that is not run (see the package comment).
func TestDocCommandsAreChecked(t *testing.T) {
	tagKeys := providers.DefaultTags("p", "s", "dev")
	for _, path := range markdownFiles(t) {
		rel, _ := filepath.Rel(root, path)
		example := strings.HasPrefix(rel, "examples"+string(filepath.Separator))
		for _, b := range shellBlocks(t, path) {
			cloud := blockCloud(b)
			var sets []string
			for _, c := range b.commands {
				if strings.Contains(c.text, "<") && strings.Contains(c.text, ">") && !strings.Contains(c.text, "<<") {
					t.Errorf("%s: a placeholder like <value> cannot run: write a real value or a $(...) lookup", c)
				}
				for _, m := range outputRE.FindAllStringSubmatch(c.text, -1) {
					if example {
						continue
					}
					clouds := []string{cloud}
					if cloud == "" {
						clouds = []string{"aws", "azure", "gcp"}
					}
					found := false
					for _, cl := range clouds {
						_, found = referencePlan(t, cl).Outputs[m[1]]
						if found {
							break
						}
					}
					assert.True(t, found, "%s: `pulumi stack output %s`: the %v reference stack has no such output", c, m[1], clouds)
				}
				for _, re := range []*regexp.Regexp{tagKeyRE, tagsDotRE, labelRE, azTagRE} {
					for _, m := range re.FindAllStringSubmatch(c.text, -1) {
						_, ok := tagKeys[m[1]]
						assert.True(t, ok, "%s: tag %q is not one of the default tags %v", c, m[1], tagKeys)
					}
				}
				for _, seg := range segments(c.text) {
					for len(seg) > 0 && strings.Contains(seg[0], "=") && !strings.HasPrefix(seg[0], "-") {
						seg = seg[1:] // VAR=value prefixes
					}
					if len(seg) == 0 {
						continue
					}
					switch head := seg[0]; {
					case head == "scalestack" || (head == "go" && len(seg) > 2 && seg[1] == "run" && seg[2] == "./cmd/scalestack"):
						// run by TestDocCommandsRun
					case head == "go":
						checkGo(t, c, seg)
					case head == "pulumi":
						if k, v, ok := configSet(seg); ok {
							if example {
								checkExampleKey(t, c, filepath.Dir(path), k)
								continue
							}
							ns, rest, _ := strings.Cut(k, ":")
							if ns != spec.Namespace {
								t.Errorf("%s: %q is not a scalestack key", c, k)
								continue
							}
							if strings.Contains(rest, ".") && !hasFlag(seg, "--path") {
								t.Errorf("%s: %q is a path into an object: pulumi needs --path to set it", c, k)
							}
							sets = append(sets, k+"="+v)
							continue
						}
						if len(seg) > 3 && seg[1] == "package" && seg[2] == "add" {
							checkPackageAdd(t, c, seg[3])
							continue
						}
						verb := strings.Join(seg[1:min(3, len(seg))], " ")
						ok := false
						for _, a := range allowedPulumi {
							if verb == a || strings.HasPrefix(verb, a+" ") || strings.Join(seg[1:2], "") == a {
								ok = true
							}
						}
						assert.True(t, ok, "%s: `pulumi %s` is not an allowed pulumi command (%v)", c, verb, allowedPulumi)
					case cliCloud[head] != "":
						p := prefixOf(seg)
						if p == "" {
							t.Errorf("%s: %q is not registered in cliTouches: add it with the resource types it acts on", c, strings.Join(seg[:min(4, len(seg))], " "))
							continue
						}
						if example {
							continue
						}
						plan := referencePlan(t, cliCloud[head])
						found := false
						for _, typ := range cliTouches[p] {
							found = found || len(plan.ByType(typ)) > 0
						}
						assert.True(t, found, "%s: %q acts on %v, which the %s reference stack does not create", c, p, cliTouches[p], cliCloud[head])
					case allowedTools[head]:
					default:
						t.Errorf("%s: %q is neither run nor checked: use an allowed command or extend docs_test.go", c, head)
					}
				}
			}
			if len(sets) > 0 {
				cl := cloud
				if cl == "" {
					cl = "aws"
				}
				overrides, err := applySets(cl, sets)
				if assert.NoError(t, err, "%s:%d", b.file, b.line) {
					_, err = reference(cl, overrides...)
					assert.NoError(t, err, "%s:%d: after this block's `pulumi config set` commands %v, the %s reference stack must build", b.file, b.line, sets, cl)
				}
			}
		}
	}
}

// applySets applies `pulumi config set --path` assignments ("scalestack:web.schedules[0].name=x")
// to the dev stack's config as Pulumi does (list indexes included; "true", "false" and whole
// numbers become booleans and numbers), and returns each changed top-level key as one
// "key=<json>" override for testkit.LoadStackConfig.
func applySets(cloud string, sets []string) ([]string, error) {
	base, err := testkit.LoadStackConfig(root, "dev", referenceOverrides[cloud])
	if err != nil {
		return nil, err
	}
	tops := map[string]any{}
	var order []string
	for _, set := range sets {
		key, raw, _ := strings.Cut(set, "=")
		var val any = raw
		if raw == "true" || raw == "false" {
			val = raw == "true"
		} else if n, err := strconv.Atoi(raw); err == nil {
			val = n
		}
		ns, path, _ := strings.Cut(key, ":")
		parts := strings.Split(indexRE.ReplaceAllStringFunc(path, func(m string) string { return "." + m }), ".")
		top := ns + ":" + parts[0]
		if len(parts) == 1 {
			tops[top] = val
		} else {
			cur, ok := tops[top]
			if !ok {
				var decoded any
				if v, set := base.Values[top]; set && v != "" {
					if err := json.Unmarshal([]byte(v), &decoded); err != nil {
						return nil, fmt.Errorf("%s: %q is not an object: %w", key, v, err)
					}
				}
				cur = decoded
			}
			next, err := setPath(cur, parts[1:], val)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", key, err)
			}
			tops[top] = next
		}
		if !contains(order, top) {
			order = append(order, top)
		}
	}
	var out []string
	for _, top := range order {
		switch v := tops[top].(type) {
		case string:
			out = append(out, top+"="+v)
		default:
			b, err := json.Marshal(v)
			if err != nil {
				return nil, err
			}
			out = append(out, top+"="+string(b))
		}
	}
	return out, nil
}

// setPath sets val at path ("schedules", "[0]", "name") inside cur, creating maps and lists.
func setPath(cur any, path []string, val any) (any, error) {
	if len(path) == 0 {
		return val, nil
	}
	if idx, ok := strings.CutPrefix(path[0], "["); ok {
		i, err := strconv.Atoi(strings.TrimSuffix(idx, "]"))
		if err != nil {
			return nil, err
		}
		list, _ := cur.([]any)
		if i > len(list) {
			return nil, fmt.Errorf("index %d skips elements: a list of %d", i, len(list))
		}
		if i == len(list) {
			list = append(list, nil)
		}
		v, err := setPath(list[i], path[1:], val)
		list[i] = v
		return list, err
	}
	m, _ := cur.(map[string]any)
	if m == nil {
		m = map[string]any{}
	}
	v, err := setPath(m[path[0]], path[1:], val)
	m[path[0]] = v
	return m, err
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// packageRepo is this repository as `pulumi package add` names it: a path inside it follows ".git/".
const packageRepo = "github.com/scalestack/scalestack.git/"

// checkPackageAdd checks `pulumi package add SOURCE`: SOURCE is this repository's plugin
// directory (by Git URL, with an optional @version, or as a local path from the repository
// root), and that directory holds a PulumiPlugin.yaml, as `pulumi package add` needs.
func checkPackageAdd(t *testing.T, c command, source string) {
	t.Helper()
	dir, ok := strings.CutPrefix(source, packageRepo)
	if ok {
		dir, _, _ = strings.Cut(dir, "@")
	} else if !strings.HasPrefix(source, "./") {
		t.Errorf("%s: `pulumi package add %s`: want %s<path>[@version] or a ./path to this repository's plugin", c, source, packageRepo)
		return
	}
	if _, err := os.Stat(filepath.Join(root, dir, "PulumiPlugin.yaml")); err != nil {
		t.Errorf("%s: `pulumi package add %s`: %s has no PulumiPlugin.yaml", c, source, dir)
	}
}

// checkGo checks `go test|vet|build PATTERN...`: every ./dir pattern exists.
func checkGo(t *testing.T, c command, seg []string) {
	t.Helper()
	if len(seg) < 2 || !map[string]bool{"test": true, "vet": true, "build": true, "run": true}[seg[1]] {
		t.Errorf("%s: only go test, vet, build and run are allowed", c)
		return
	}
	for _, w := range seg[2:] {
		if !strings.HasPrefix(w, "./") {
			continue
		}
		dir := strings.TrimSuffix(strings.TrimSuffix(w, "..."), "/")
		if _, err := os.Stat(filepath.Join(root, dir)); err != nil {
			t.Errorf("%s: %s does not exist", c, w)
		}
	}
}

// checkExampleKey checks a `pulumi config set` in an example's README: the example's program
// reads the key (its name appears as a Go string literal in the example).
func checkExampleKey(t *testing.T, c command, dir, key string) {
	t.Helper()
	key = indexRE.ReplaceAllString(key, "")
	if _, rest, ok := strings.Cut(key, ":"); ok {
		key = rest
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.go"))
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		require.NoError(t, err)
		if strings.Contains(string(b), strconv.Quote(key)) || strings.Contains(string(b), strconv.Quote(":"+key)) {
			return
		}
	}
	t.Errorf("%s: the example's program never reads %q", c, key)
}

// TestDocCommandsRun runs every scalestack command of the docs with a CLI built once, from
// the repository root, and checks its exit status.
func TestDocCommandsRun(t *testing.T) {
	var runs []command
	for _, path := range markdownFiles(t) {
		for _, b := range shellBlocks(t, path) {
			for _, c := range b.commands {
				w := fields(c.text)
				if len(w) > 0 && (w[0] == "scalestack" || strings.HasPrefix(c.text, "go run ./cmd/scalestack")) {
					runs = append(runs, c)
				}
			}
		}
	}
	require.NotEmpty(t, runs, "the docs show at least the README's preview")
	if testing.Short() {
		t.Skipf("-short: not building the CLI to run %d documented commands", len(runs))
	}
	bin := t.TempDir()
	build := exec.Command("go", "build", "-o", filepath.Join(bin, "scalestack"), "./cmd/scalestack")
	build.Dir = root
	out, err := build.CombinedOutput()
	require.NoError(t, err, "building the CLI: %s", out)

	for _, c := range runs {
		t.Run(fmt.Sprintf("%s:%d", c.file, c.line), func(t *testing.T) {
			line := strings.Replace(c.text, "go run ./cmd/scalestack", "scalestack", 1)
			cmd := exec.Command("sh", "-c", line)
			cmd.Dir = root
			cmd.Env = append(os.Environ(), "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"), "NO_COLOR=1")
			out, err := cmd.CombinedOutput()
			status := 0
			if ee, ok := err.(*exec.ExitError); ok {
				status = ee.ExitCode()
			} else {
				require.NoError(t, err)
			}
			tail := string(out)
			if len(tail) > 2000 {
				tail = "..." + tail[len(tail)-2000:]
			}
			assert.Equal(t, c.expect, status, "%s\nexit status %d, documented %d; output:\n%s", c, status, c.expect, tail)
		})
	}
}

// TestShellParsing pins the small shell reader the checks rely on.
func TestShellParsing(t *testing.T) {
	assert.Equal(t, []string{"a", "b c", "$(pulumi stack output x)", "d"}, fields(`a 'b c' $(pulumi stack output x) "d"`))
	assert.Equal(t, [][]string{{"pulumi", "stack", "output", "x"}, {"aws", "rds", "describe-db-instances", "--db-instance-identifier", "$(pulumi stack output x)"}, {"jq", "."}},
		segments(`aws rds describe-db-instances --db-instance-identifier $(pulumi stack output x) | jq .`))
	assert.Equal(t, [][]string{{"pulumi", "stack", "output", "y"}, {"echo", "$ID"}}, segments(`ID=$(pulumi stack output y) && echo $ID`))
	assert.Equal(t, "scalestack preview ", stripComment(`scalestack preview # exit 1`))
	assert.Equal(t, `echo "a # b"`, stripComment(`echo "a # b"`))
	k, v, ok := configSet([]string{"pulumi", "config", "set", "--path", "scalestack:web.minSize", "3"})
	assert.True(t, ok)
	assert.Equal(t, "scalestack:web.minSize", k)
	assert.Equal(t, "3", v)
	assert.Equal(t, "aws route53 get-health-check-status", prefixOf([]string{"aws", "route53", "get-health-check-status", "--health-check-id", "x"}))
	assert.Equal(t, "", prefixOf([]string{"aws", "route53", "delete-hosted-zone"}))
	got, err := applySets("aws", []string{"scalestack:web.schedules[0].name=peak", "scalestack:web.schedules[0].minSize=3", "scalestack:cdn.enabled=false", "scalestack:environment=staging"})
	require.NoError(t, err)
	require.Len(t, got, 3)
	assert.Contains(t, got[0], `"schedules":[{"minSize":3,"name":"peak"}]`)
	assert.Contains(t, got[0], `"minSize":2`, "the stack file's other fields stay")
	assert.Equal(t, `scalestack:cdn={"enabled":false}`, got[1])
	assert.Equal(t, "scalestack:environment=staging", got[2])
	_, err = applySets("aws", []string{"scalestack:web.schedules[2].name=x"})
	assert.ErrorContains(t, err, "skips elements")
	assert.Equal(t, []string{"--tag stack=", "stack"}, azTagRE.FindStringSubmatch(`az resource list --tag stack=prod`))
}

var (
	linkRE  = regexp.MustCompile(`\]\(([^)#\s]+)(#[^)]*)?\)`)
	tokenRE = regexp.MustCompile("`(scalestack:(aws|azure|gcp):[A-Z][A-Za-z]*)`")
)

// TestDocReferencesExist fails on a relative link to a missing file (a diagram, a source
// file), and on a component type token that the cloud's reference stack does not create.
func TestDocReferencesExist(t *testing.T) {
	for _, path := range markdownFiles(t) {
		b, err := os.ReadFile(path)
		require.NoError(t, err)
		rel, _ := filepath.Rel(root, path)
		for _, m := range linkRE.FindAllStringSubmatch(string(b), -1) {
			if strings.Contains(m[1], "://") || strings.HasPrefix(m[1], "mailto:") {
				continue
			}
			_, err := os.Stat(filepath.Join(filepath.Dir(path), m[1]))
			assert.NoError(t, err, "%s links to %s, which does not exist", rel, m[1])
		}
		if strings.HasPrefix(rel, "examples") {
			continue
		}
		for _, m := range tokenRE.FindAllStringSubmatch(string(b), -1) {
			assert.NotEmpty(t, referencePlan(t, m[2]).ByType(m[1]), "%s names %s, which the %s reference stack does not create", rel, m[1], m[2])
		}
	}
}

var ruleRowRE = regexp.MustCompile("^\\|\\s*`([a-z0-9-]+)`\\s*\\|\\s*([a-z-]+)\\s*\\|")

// TestEveryPolicyIsDocumented fails when a rule exists without a row in docs/policies.md (with
// its level), or a row names no rule.
func TestEveryPolicyIsDocumented(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(root, "docs", "policies.md"))
	require.NoError(t, err)
	rows := map[string]string{}
	for _, line := range strings.Split(string(b), "\n") {
		if m := ruleRowRE.FindStringSubmatch(line); m != nil {
			rows[m[1]] = m[2]
		}
	}
	for _, r := range rules.All() {
		level, ok := rows[r.ID]
		if assert.True(t, ok, "docs/policies.md has no row for rule %s", r.ID) {
			assert.Equal(t, string(r.Level), level, "docs/policies.md: level of %s", r.ID)
		}
	}
	for id := range rows {
		assert.NotNil(t, rules.ByID(id), "docs/policies.md documents %s, which is not a rule", id)
	}
}
