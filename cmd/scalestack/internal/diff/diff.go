// Package diff compares two offline plans of the same program: the resources a change would
// add, remove and update (with the inputs that change), by URN, as the Pulumi engine matches
// them. A rename changes the URN, so it shows as a removal and an addition, unless the renamed
// resource declares its old URN with pulumi.Aliases (then it is the same resource, as the
// engine sees it: an update, with a "(urn)" change); removing a
// stateful resource (a database, replica, vault, bucket, key, disk) deletes its data, so the
// diff reports it as data loss.
//
// Moving a resource to another region, project or subscription is a replacement too, and so
// is moving it to another explicit provider: the engine replaces a resource whose provider
// reference changes (unless the old provider is an alias of the new one), and each cloud's
// provider replaces what it manages when its region changes. A plan places a resource by its
// own region/location/project input, else by its explicit provider's; the diff compares that
// placement and reports a stateful resource that moves as data loss, naming both places.
package diff

import (
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"

	"github.com/scalestack/scalestack/testkit"
)

// Op is what happens to a resource.
type Op string

// Ops, named as in `pulumi preview --json` steps.
const (
	Create Op = "create"
	Delete Op = "delete"
	Update Op = "update"
)

// Change is one input that differs, at a dotted path ("tags.Name", "origins.1.domainName").
// Secret values are shown as "[secret]"; an absent value is nil.
type Change struct {
	Path string `json:"path"`
	Old  any    `json:"old"`
	New  any    `json:"new"`
}

// Step is one resource that differs.
type Step struct {
	Op   Op     `json:"op"`
	URN  string `json:"urn"`
	Type string `json:"type"`
	Name string `json:"name"`
	// Stateful is true for resources that hold data (see IsStateful).
	Stateful bool `json:"stateful"`
	// Changes are the inputs that differ (updates only), sorted by path.
	Changes []Change `json:"changes,omitempty"`
	// Replaces is true for an update of a stateful resource that changes an input its
	// provider can only apply by replacing it (see ReplacingInputs): the data goes with it.
	Replaces bool `json:"replaces,omitempty"`
}

// ReplacingInputs are the top-level inputs whose change replaces a stateful resource: its
// physical name or identity, placement, or encryption at rest. The list is conservative: a
// change here is treated as data loss even where a provider could update in place.
var ReplacingInputs = []string{
	"name", "identifier", "bucket", "dbName", "serverName", "accountName", "vaultName",
	"kmsKeyId", "storageEncrypted", "location", "region", "project", "resourceGroupName",
	PathProvider, PathRegion, PathProject, PathSubscription,
}

// The change paths the diff adds for what is not an input of the resource itself. Each one
// replaces the resource.
const (
	// PathProvider is a change of the explicit provider (its URN): the engine replaces the
	// resource (pulumi/pulumi pkg/resource/deploy/step_generator.go, providerChanged: "If one
	// or both of these providers are not default providers, we will need to accept the diff
	// and replace everything").
	PathProvider = "(provider)"
	// PathRegion is a change of the region (Azure: location) a resource inherits from its
	// explicit provider because it sets none itself.
	PathRegion = "(region)"
	// PathProject is a change of the Google Cloud project a resource inherits from its provider.
	PathProject = "(project)"
	// PathSubscription is a change of the Azure subscription the provider is pinned to.
	PathSubscription = "(subscription)"
)

// replaces reports whether a change path touches a replacing input.
func replaces(changes []Change) bool {
	for _, c := range changes {
		top, _, _ := strings.Cut(c.Path, ".")
		for _, k := range ReplacingInputs {
			if top == k {
				return true
			}
		}
	}
	return false
}

// Result is the difference between a base plan and a target plan.
type Result struct {
	Steps []Step // creates, then updates, then deletes; each sorted by URN
	// Same counts the resources present in both with equal inputs.
	Same int
}

// Count returns how many steps have the op.
func (r *Result) Count(op Op) int {
	n := 0
	for _, s := range r.Steps {
		if s.Op == op {
			n++
		}
	}
	return n
}

// DataLoss returns the deletions and replacements of stateful resources: each one deletes
// data when the change is deployed.
func (r *Result) DataLoss() []Step {
	var out []Step
	for _, s := range r.Steps {
		if s.Op == Delete && s.Stateful || s.Replaces {
			out = append(out, s)
		}
	}
	return out
}

// Compare diffs base against target. Resources are matched by URN after replacing the target's
// stack name with the base's, so two stacks of one project compare resource by resource.
// Providers are compared too (a changed region is an update of the provider).
//
// Within one stack, inputs are compared by value. Across two stacks, an input computed from
// other resources' outputs (an ID, an ARN) differs by nature, since every stack has its own
// resources; such an input is compared by where it comes from (the resources whose outputs
// flowed into it), and plain inputs by value.
func Compare(base, target *testkit.Plan) *Result {
	res := &Result{}
	key := func(p *testkit.Plan, urn string) string { return normalize(urn, p.Stack, base.Stack) }
	baseByKey := map[string]*testkit.Resource{}
	for _, r := range base.Resources {
		baseByKey[r.URN] = r
	}
	seen := map[string]bool{}
	inTarget := map[string]bool{}
	for _, t := range target.Resources {
		inTarget[key(target, t.URN)] = true
	}
	var creates, updates, deletes []Step
	for _, t := range target.Resources {
		k := key(target, t.URN)
		seen[k] = true
		b, ok := baseByKey[k]
		renamedFrom := ""
		if !ok {
			for _, a := range t.Aliases { // a rename the program declared with pulumi.Aliases
				if ab, found := baseByKey[key(target, a)]; found && !seen[ab.URN] && !inTarget[ab.URN] {
					b, ok, renamedFrom = ab, true, ab.URN
					seen[ab.URN] = true
					break
				}
			}
		}
		if !ok {
			creates = append(creates, Step{Op: Create, URN: k, Type: t.Type, Name: t.Name, Stateful: IsStateful(t.Type)})
			continue
		}
		var changes []Change
		if renamedFrom != "" {
			changes = append(changes, Change{Path: "(urn)", Old: renamedFrom, New: k})
		}
		if base.Stack == target.Stack {
			changes = append(changes, ignoring(t.IgnoreChanges, compareInputs(b.Inputs, t.Inputs))...)
			changes = append(changes, ignoring(t.IgnoreChanges, computedFromNew(t, changes, func(u string) bool { _, old := baseByKey[key(target, u)]; return !old }))...)
		} else {
			changes = append(changes, ignoring(t.IgnoreChanges, compareAcrossStacks(b, t, func(u string) string { return key(target, u) }))...)
		}
		if b.Parent != "" && key(target, t.Parent) != b.Parent && !aliasOf(target, t.Parent, b.Parent, key) {
			changes = append(changes, Change{Path: "(parent)", Old: b.Parent, New: key(target, t.Parent)})
		}
		if b.Provider != key(target, t.Provider) && !aliasOf(target, t.Provider, b.Provider, key) {
			changes = append(changes, Change{Path: PathProvider, Old: b.Provider, New: key(target, t.Provider)})
		}
		changes = append(changes, placementChanges(b, t)...)
		if len(changes) == 0 {
			res.Same++
			continue
		}
		step := Step{Op: Update, URN: k, Type: t.Type, Name: t.Name, Stateful: IsStateful(t.Type), Changes: changes}
		step.Replaces = step.Stateful && replaces(changes)
		updates = append(updates, step)
	}
	for _, b := range base.Resources {
		if seen[b.URN] {
			continue
		}
		deletes = append(deletes, Step{Op: Delete, URN: b.URN, Type: b.Type, Name: b.Name, Stateful: IsStateful(b.Type)})
	}
	for _, group := range [][]Step{creates, updates, deletes} {
		sort.Slice(group, func(i, j int) bool { return group[i].URN < group[j].URN })
		res.Steps = append(res.Steps, group...)
	}
	return res
}

// placementChanges lists where a resource moves without an input of its own changing: the
// region (Azure: location), Google Cloud project or Azure subscription it inherits from its
// explicit provider. A resource that sets its own region/location/project input shows that
// input's change instead. Providers and components are not placed.
func placementChanges(b, t *testkit.Resource) []Change {
	if !b.Custom || !t.Custom || b.IsProvider() || t.IsProvider() {
		return nil
	}
	var out []Change
	for _, p := range placements {
		if owns(b, p.own) || owns(t, p.own) {
			continue // the input itself is compared, and replaces
		}
		old, cur := inherited(b, p.provider), inherited(t, p.provider)
		if old != cur && p.normalize(old) != p.normalize(cur) {
			out = append(out, Change{Path: p.path, Old: nilIfEmpty(old), New: nilIfEmpty(cur)})
		}
	}
	return out
}

// placements are the ways a resource is placed: its own inputs, else its provider's.
var placements = []struct {
	path      string
	own       []string
	provider  []string
	normalize func(string) string
}{
	{PathRegion, []string{"location", "region"}, []string{"region", "location"}, normalizeRegion},
	{PathProject, []string{"project"}, []string{"project"}, strings.TrimSpace},
	{PathSubscription, []string{"subscriptionId"}, []string{"subscriptionId"}, strings.ToLower},
}

// owns reports whether r sets one of the inputs itself.
func owns(r *testkit.Resource, keys []string) bool {
	for _, k := range keys {
		if v, ok := r.Inputs[resource.PropertyKey(k)]; ok && !v.IsNull() {
			return true
		}
	}
	return false
}

// inherited is the first of the keys its explicit provider sets, or "" (the default provider,
// whose configuration a plan cannot see).
func inherited(r *testkit.Resource, keys []string) string {
	p := r.ProviderResource()
	if p == nil {
		return ""
	}
	for _, k := range keys {
		if s, ok := p.Input(k).(string); ok && s != "" {
			return s
		}
	}
	return ""
}

func normalizeRegion(s string) string { return strings.ToLower(strings.ReplaceAll(s, " ", "")) }

func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// ignoring drops the changes under a path the resource lists in pulumi.IgnoreChanges: the
// engine keeps the old value of such an input, so it does not change the resource. Paths are
// property paths ("a.b", "a[0].b", `tags["Name"]`, "a[*].b"); a change at or below one of them
// is ignored.
func ignoring(ignore []string, changes []Change) []Change {
	if len(ignore) == 0 {
		return changes
	}
	var paths [][]string
	for _, p := range ignore {
		paths = append(paths, pathSegments(p))
	}
	var out []Change
	for _, c := range changes {
		path := strings.Split(strings.TrimSuffix(c.Path, " (from)"), ".")
		ignored := false
		for _, p := range paths {
			ignored = ignored || underPath(path, p)
		}
		if !ignored {
			out = append(out, c)
		}
	}
	return out
}

// pathSegments splits a property path into its keys and indices ("a[0].b" -> a, 0, b).
func pathSegments(p string) []string {
	r := strings.NewReplacer("[", ".", "]", "", `"`, "")
	var out []string
	for _, s := range strings.Split(r.Replace(p), ".") {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

// underPath reports whether path is at or below prefix ("*" matches any one segment).
func underPath(path, prefix []string) bool {
	if len(prefix) == 0 || len(path) < len(prefix) {
		return false
	}
	for i, p := range prefix {
		if p != "*" && p != path[i] {
			return false
		}
	}
	return true
}

// aliasOf reports whether the target resource at urn was known as old (a renamed parent).
func aliasOf(p *testkit.Plan, urn, old string, key func(*testkit.Plan, string) string) bool {
	if r := p.ByURN(urn); r != nil {
		for _, a := range r.Aliases {
			if key(p, a) == old {
				return true
			}
		}
	}
	return false
}

// normalize replaces the stack of a URN ("urn:pulumi:<stack>::...", and the root stack
// resource's name "<project>-<stack>") with want.
func normalize(urn, have, want string) string {
	if urn == "" || have == want {
		return urn
	}
	prefix := "urn:pulumi:" + have + "::"
	if !strings.HasPrefix(urn, prefix) {
		return urn
	}
	rest := urn[len(prefix):]
	if strings.HasSuffix(rest, "-"+have) && strings.Contains(rest, "::pulumi:pulumi:Stack::") {
		rest = strings.TrimSuffix(rest, have) + want
	}
	return "urn:pulumi:" + want + "::" + rest
}

// compareAcrossStacks compares inputs computed from outputs by their sources (normalized
// URNs) and the other inputs by value.
func compareAcrossStacks(b, t *testkit.Resource, norm func(string) string) []Change {
	bi, ti := b.Inputs.Copy(), t.Inputs.Copy()
	var out []Change
	keys := map[string]bool{}
	for k := range b.PropertyDependencies {
		keys[k] = true
	}
	for k := range t.PropertyDependencies {
		keys[k] = true
	}
	for k := range keys {
		if len(b.PropertyDependencies[k]) == 0 || len(t.PropertyDependencies[k]) == 0 {
			continue // computed on one side only: compared by value below
		}
		from := func(urns []string, n func(string) string) []any {
			set := map[string]bool{}
			for _, u := range urns {
				set[n(u)] = true
			}
			var l []any
			for u := range set {
				l = append(l, u)
			}
			sort.Slice(l, func(i, j int) bool { return l[i].(string) < l[j].(string) })
			return l
		}
		old := from(b.PropertyDependencies[k], func(u string) string { return u })
		cur := from(t.PropertyDependencies[k], norm)
		if !reflect.DeepEqual(old, cur) {
			out = append(out, Change{Path: k + " (from)", Old: old, New: cur})
		}
		delete(bi, resource.PropertyKey(k))
		delete(ti, resource.PropertyKey(k))
	}
	out = append(out, compareInputs(bi, ti)...)
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out
}

// compareInputs lists the leaf paths whose values differ.
func compareInputs(old, new resource.PropertyMap) []Change {
	var out []Change
	walk("", plain(resource.NewObjectProperty(old)), plain(resource.NewObjectProperty(new)), &out)
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out
}

func walk(path string, a, b any, out *[]Change) {
	am, aok := a.(map[string]any)
	bm, bok := b.(map[string]any)
	if aok && bok {
		keys := map[string]bool{}
		for k := range am {
			keys[k] = true
		}
		for k := range bm {
			keys[k] = true
		}
		for k := range keys {
			walk(join(path, k), am[k], bm[k], out)
		}
		return
	}
	al, aok := a.([]any)
	bl, bok := b.([]any)
	if aok && bok && len(al) == len(bl) {
		for i := range al {
			walk(join(path, strconv.Itoa(i)), al[i], bl[i], out)
		}
		return
	}
	if !reflect.DeepEqual(a, b) {
		*out = append(*out, Change{Path: path, Old: a, New: b})
	}
}

func join(path, k string) string {
	if path == "" {
		return k
	}
	return path + "." + k
}

// plain turns a property value into plain Go values with secrets masked.
func plain(v resource.PropertyValue) any {
	switch {
	case v.IsSecret():
		return "[secret]"
	case v.IsComputed() || v.IsOutput() && !v.OutputValue().Known:
		return "[unknown]"
	case v.IsOutput():
		return plain(v.OutputValue().Element)
	case v.IsObject():
		m := map[string]any{}
		for k, x := range v.ObjectValue() {
			m[string(k)] = plain(x)
		}
		return m
	case v.IsArray():
		l := make([]any, len(v.ArrayValue()))
		for i, x := range v.ArrayValue() {
			l[i] = plain(x)
		}
		return l
	case v.IsNull():
		return nil
	case v.IsResourceReference():
		return string(v.ResourceReferenceValue().URN)
	}
	return v.V
}

// statefulTypes are the resource types that hold data: deleting one loses it.
var statefulTypes = map[string]bool{
	// AWS
	"aws:rds/instance:Instance":               true,
	"aws:rds/cluster:Cluster":                 true,
	"aws:rds/clusterInstance:ClusterInstance": true,
	"aws:s3/bucket:Bucket":                    true,
	"aws:s3/bucketV2:BucketV2":                true,
	"aws:kms/key:Key":                         true,
	"aws:backup/vault:Vault":                  true,
	"aws:ebs/volume:Volume":                   true,
	"aws:dynamodb/table:Table":                true,
	"aws:efs/fileSystem:FileSystem":           true,
	"aws:secretsmanager/secret:Secret":        true,
	// Azure (azure-native)
	"azure-native:sql:Server":             true,
	"azure-native:sql:Database":           true,
	"azure-native:storage:StorageAccount": true,
	"azure-native:storage:BlobContainer":  true,
	"azure-native:recoveryservices:Vault": true,
	"azure-native:compute:Disk":           true,
	"azure-native:keyvault:Vault":         true,
	"azure-native:keyvault:Key":           true,
	// Google Cloud
	"gcp:sql/databaseInstance:DatabaseInstance": true,
	"gcp:sql/database:Database":                 true,
	"gcp:storage/bucket:Bucket":                 true,
	"gcp:kms/keyRing:KeyRing":                   true,
	"gcp:kms/cryptoKey:CryptoKey":               true,
	"gcp:compute/disk:Disk":                     true,
	"gcp:compute/regionDisk:RegionDisk":         true,
}

// IsStateful reports whether a resource type holds data (databases and their replicas,
// buckets, encryption keys, backup vaults, disks), decided by type token per cloud.
func IsStateful(typeToken string) bool { return statefulTypes[typeToken] }

// StatefulTypes lists the stateful type tokens, sorted (for documentation).
func StatefulTypes() []string {
	out := make([]string, 0, len(statefulTypes))
	for t := range statefulTypes {
		out = append(out, t)
	}
	sort.Strings(out)
	return out
}

// Describe is a one-line account of a data-loss step, naming the resource.
func (s Step) Describe() string {
	if s.Replaces {
		return fmt.Sprintf("%s %q (%s) would be replaced, with its data, %s", s.Type, s.Name, s.URN, s.Reason())
	}
	return fmt.Sprintf("%s %q (%s) would be deleted with its data", s.Type, s.Name, s.URN)
}

// Reason says why a replacing step replaces: the changes that do, and where the resource
// moves ("since (provider), (region) changes: from region us-east-1 to eu-west-1").
func (s Step) Reason() string {
	var paths, moves []string
	for _, c := range s.Changes {
		if !replaces([]Change{c}) {
			continue
		}
		paths = append(paths, c.Path)
		what := ""
		switch c.Path {
		case "location", "region", PathRegion:
			what = "region"
		case "project", PathProject:
			what = "project"
		case PathSubscription:
			what = "subscription"
		}
		if what != "" {
			moves = append(moves, fmt.Sprintf("from %s %s to %s", what, placeValue(c.Old), placeValue(c.New)))
		}
	}
	out := "since " + strings.Join(paths, ", ") + " changes"
	if len(moves) > 0 {
		out += ": it moves " + strings.Join(moves, ", ")
	}
	return out
}

// Moves reports whether the step replaces the resource because it changes place (region,
// project, subscription or provider).
func (s Step) Moves() bool {
	for _, c := range s.Changes {
		switch c.Path {
		case "location", "region", "project", PathProvider, PathRegion, PathProject, PathSubscription:
			return s.Replaces
		}
	}
	return false
}

func placeValue(v any) string {
	if s, ok := v.(string); ok && s != "" {
		return s
	}
	if v == nil {
		return "(the provider's default)"
	}
	return fmt.Sprint(v)
}

// computedFromNew lists the inputs of t that are computed from a resource the change creates
// (a new replica's endpoint in a connection document, say). Such an input is unknown in both
// offline plans, so comparing values cannot see it; the engine, comparing with the deployed
// state, reports it as an update. Inputs already listed in changes are not repeated.
func computedFromNew(t *testkit.Resource, changes []Change, isNew func(urn string) bool) []Change {
	listed := map[string]bool{}
	for _, c := range changes {
		listed[strings.SplitN(c.Path, ".", 2)[0]] = true
	}
	var inputs []string
	for input := range t.PropertyDependencies {
		inputs = append(inputs, input)
	}
	sort.Strings(inputs)
	var out []Change
	for _, input := range inputs {
		if listed[input] {
			continue
		}
		for _, u := range t.PropertyDependencies[input] {
			if isNew(u) {
				out = append(out, Change{Path: input, Old: "(as deployed)", New: "(computed from " + resource.URN(u).Name() + ", created by this change)"})
				break
			}
		}
	}
	return out
}
