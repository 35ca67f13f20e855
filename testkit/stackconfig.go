package testkit

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// StackConfiguration is a stack's configuration as the Pulumi engine hands it to a program:
// flat "namespace:key" entries, object values encoded as JSON.
type StackConfiguration struct {
	Project    string
	Stack      string
	Values     map[string]string
	SecretKeys []string
}

// secretPlaceholder stands for a `secure:` value, which cannot be decrypted offline.
const secretPlaceholder = "offline-secret-placeholder"

// LoadStackConfig reads Pulumi.yaml (its name and config defaults) and Pulumi.<stack>.yaml
// from dir, then applies overrides the way `pulumi preview --config` does: "key=value" sets a
// key; a dotted path ("scalestack:database.readReplicas=3") sets one field of an object value,
// as `pulumi config set --path` does. Keys without a namespace get the project's.
// Encrypted values are replaced with a placeholder and marked secret.
func LoadStackConfig(dir, stack string, overrides []string) (*StackConfiguration, error) {
	sc := &StackConfiguration{Stack: stack, Values: map[string]string{}}
	var project struct {
		Name   string         `yaml:"name"`
		Config map[string]any `yaml:"config"`
	}
	if err := readYAML(filepath.Join(dir, "Pulumi.yaml"), &project, true); err != nil {
		return nil, err
	}
	sc.Project = project.Name
	objects := map[string]any{}
	for k, v := range project.Config {
		// Project-level config: either a plain value or {default: v, type: ...}.
		if m, ok := v.(map[string]any); ok {
			if d, has := m["default"]; has {
				objects[sc.qualify(k)] = d
				continue
			}
			if _, has := m["type"]; has {
				continue
			}
		}
		objects[sc.qualify(k)] = v
	}
	var stackFile struct {
		Config map[string]any `yaml:"config"`
	}
	if err := readYAML(filepath.Join(dir, "Pulumi."+stack+".yaml"), &stackFile, false); err != nil {
		return nil, err
	}
	for k, v := range stackFile.Config {
		objects[sc.qualify(k)] = v
	}
	for _, o := range overrides {
		key, val, ok := strings.Cut(o, "=")
		if !ok || key == "" {
			return nil, fmt.Errorf("config override %q: want key=value (for example scalestack:web.minSize=3)", o)
		}
		if err := sc.set(objects, key, val); err != nil {
			return nil, err
		}
	}
	for k, v := range objects {
		s, secret, err := encode(v)
		if err != nil {
			return nil, fmt.Errorf("config key %q: %w", k, err)
		}
		sc.Values[k] = s
		if secret {
			sc.SecretKeys = append(sc.SecretKeys, k)
		}
	}
	sort.Strings(sc.SecretKeys)
	return sc, nil
}

func readYAML(path string, into any, required bool) error {
	b, err := os.ReadFile(path)
	if err != nil {
		if os.IsNotExist(err) && !required {
			return fmt.Errorf("stack file %s not found: create it or pass another --stack", path)
		}
		return fmt.Errorf("reading %s: %w", path, err)
	}
	if err := yaml.Unmarshal(b, into); err != nil {
		return fmt.Errorf("parsing %s: %w", path, err)
	}
	return nil
}

func (sc *StackConfiguration) qualify(key string) string {
	if strings.Contains(key, ":") || sc.Project == "" {
		return key
	}
	return sc.Project + ":" + key
}

// set applies one override. The value is parsed as YAML would parse it (numbers, booleans,
// objects in JSON form); a dotted path sets a field inside an object value.
func (sc *StackConfiguration) set(objects map[string]any, key, raw string) error {
	key = sc.qualify(key)
	ns, rest, _ := strings.Cut(key, ":")
	path := strings.Split(rest, ".")
	top := ns + ":" + path[0]
	val := parseScalar(raw)
	if len(path) == 1 {
		objects[top] = val
		return nil
	}
	cur, ok := objects[top].(map[string]any)
	if !ok {
		if objects[top] != nil {
			return fmt.Errorf("config override %q: %s is %v, not an object, so %q cannot be set inside it",
				key+"="+raw, top, objects[top], strings.Join(path[1:], "."))
		}
		cur = map[string]any{}
	}
	objects[top] = cur
	for i, p := range path[1:] {
		if i == len(path)-2 {
			cur[p] = val
			break
		}
		next, ok := cur[p].(map[string]any)
		if !ok {
			next = map[string]any{}
			cur[p] = next
		}
		cur = next
	}
	return nil
}

func parseScalar(raw string) any {
	if raw == "true" || raw == "false" {
		return raw == "true"
	}
	if i, err := strconv.ParseInt(raw, 10, 64); err == nil {
		return int(i)
	}
	if f, err := strconv.ParseFloat(raw, 64); err == nil {
		return f
	}
	if strings.HasPrefix(raw, "{") || strings.HasPrefix(raw, "[") {
		var v any
		if json.Unmarshal([]byte(raw), &v) == nil {
			return v
		}
	}
	return raw
}

// encode turns a YAML value into the string the engine passes: strings as they are, scalars
// formatted, objects and lists as JSON. It reports whether any part was a secure value.
func encode(v any) (string, bool, error) {
	secret := false
	var walk func(any) any
	walk = func(v any) any {
		switch t := v.(type) {
		case map[string]any:
			if s, ok := t["secure"].(string); ok && len(t) == 1 && s != "" {
				secret = true
				return secretPlaceholder
			}
			out := make(map[string]any, len(t))
			for k, x := range t {
				out[k] = walk(x)
			}
			return out
		case []any:
			out := make([]any, len(t))
			for i, x := range t {
				out[i] = walk(x)
			}
			return out
		default:
			return v
		}
	}
	v = walk(v)
	switch t := v.(type) {
	case string:
		return t, secret, nil
	case nil:
		return "", secret, nil
	case bool, int, int64, float64:
		return fmt.Sprint(t), secret, nil
	default:
		b, err := json.Marshal(t)
		return string(b), secret, err
	}
}
