// Package providers holds what the per-cloud provider packages share: the default tags every
// resource carries. The providers themselves live in awsregions, azureregions and gcpregions,
// so that a program for one cloud does not compile the others.
//
// Tag precedence, lowest to highest: these defaults, then tags a user passes to a component,
// then tags a component sets on one child (such as Name).
package providers

import (
	"regexp"
	"sort"
	"strings"
)

// Tags are the default tags of a stack: project, stack, environment and managed-by.
type Tags map[string]string

// DefaultTags returns the tags every resource of a stack carries.
func DefaultTags(project, stack, environment string) Tags {
	return Tags{
		"project":     project,
		"stack":       stack,
		"environment": environment,
		"managed-by":  "pulumi-scalestack",
	}
}

// Merge returns t overlaid with each of more in turn (later wins). Nil maps are fine.
func (t Tags) Merge(more ...map[string]string) Tags {
	out := Tags{}
	for k, v := range t {
		out[k] = v
	}
	for _, m := range more {
		for k, v := range m {
			out[k] = v
		}
	}
	return out
}

// Keys returns the tag keys, sorted.
func (t Tags) Keys() []string {
	keys := make([]string, 0, len(t))
	for k := range t {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

var labelInvalid = regexp.MustCompile(`[^a-z0-9_-]`)

// Labels normalises tags for Google Cloud labels: lowercase keys and values of at most 63
// characters from [a-z0-9_-], keys starting with a letter.
func (t Tags) Labels() map[string]string {
	out := make(map[string]string, len(t))
	for k, v := range t {
		lk := labelInvalid.ReplaceAllString(strings.ToLower(k), "_")
		if lk == "" || lk[0] < 'a' || lk[0] > 'z' {
			lk = "k" + lk
		}
		lv := labelInvalid.ReplaceAllString(strings.ToLower(v), "_")
		out[trim63(lk)] = trim63(lv)
	}
	return out
}

func trim63(s string) string {
	if len(s) > 63 {
		return s[:63]
	}
	return s
}
