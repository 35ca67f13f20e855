package docs_test

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scalestack/scalestack/stacks/spec"
)

// docRow is one row of a config table: the key, its type and its "allowed" column.
type docRow struct {
	file, key, typ, allowed string
}

// configRows returns the config table rows of a Markdown file, by key.
func configRows(t *testing.T, path string) map[string]docRow {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	rel, _ := filepath.Rel(root, path)
	out := map[string]docRow{}
	for _, line := range strings.Split(string(b), "\n") {
		m := rowRE.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		cells := strings.Split(strings.Trim(strings.TrimSpace(line), "|"), "|")
		if len(cells) < 4 {
			continue
		}
		out[m[1]] = docRow{file: rel, key: m[1], typ: strings.TrimSpace(cells[1]), allowed: strings.TrimSpace(strings.Join(cells[3:], "|"))}
	}
	return out
}

var (
	// "10-90", "0 (off)-1000000", "7-3650" (in "0 (off) or 7-3650")
	dashRangeRE = regexp.MustCompile(`(\d+)(?: \([^)]*\))?-(\d+)`)
	// "0 (request-based scaling off) to 1000000"
	toRangeRE = regexp.MustCompile(`(\d+)(?: \([^)]*\))? to (\d+)`)
	// a leading "0 (...) or": an extra allowed value below the range
	zeroOrRE = regexp.MustCompile(`^0 \([^)]*\) or `)
)

// docRange is the numeric range an "allowed" cell documents: its bounds and, for "0 (off) or
// 7-3650", the extra value 0. ok is false when the cell documents no numeric range.
func docRange(allowed string) (lo, hi int, extra []int, ok bool) {
	m := dashRangeRE.FindStringSubmatch(allowed)
	if m == nil {
		m = toRangeRE.FindStringSubmatch(allowed)
	}
	if m == nil {
		return 0, 0, nil, false
	}
	lo, _ = strconv.Atoi(m[1])
	hi, _ = strconv.Atoi(m[2])
	if zeroOrRE.MatchString(allowed) {
		extra = []int{0}
	}
	return lo, hi, extra, true
}

// cloudNames are the words a documented narrowing names a cloud by.
var cloudNames = map[string][]string{"aws": {"AWS"}, "azure": {"Azure"}, "gcp": {"Google Cloud", "gcp"}}

// rangeCompanions are the other keys a boundary value needs to be valid at all (a minSize of
// 1000 needs a maxSize of 1000), so the test exercises the key, not its neighbours.
func rangeCompanions(key string, v int) []string {
	switch key {
	case "web.minSize":
		return []string{"scalestack:web.maxSize=" + strconv.Itoa(max(v, 1)), "scalestack:web.desiredSize=" + strconv.Itoa(v)}
	case "web.maxSize":
		return []string{"scalestack:web.minSize=" + strconv.Itoa(min(v, 1))}
	}
	return nil
}

// TestDocumentedRangesAreTheRealRanges: every int key whose documented "allowed" column is a
// numeric range (README's table and docs/configuration.md, which must agree) is tried at
// each end of its range (and at 0 where the row allows "0 (off) or ..."), on every cloud the
// key applies to, through the real stack build under mocks. Each value must build, or be
// refused by config validation naming the `scalestack:` key, on a cloud the row names as a
// narrowing. Anything else is a documented value a cloud refuses: the provider would reject
// it at `pulumi up` (a component's own check with an internal field name stands for that),
// which is exactly what the docs promised would not happen.
func TestDocumentedRangesAreTheRealRanges(t *testing.T) {
	readme := configRows(t, filepath.Join(root, "README.md"))
	conf := configRows(t, filepath.Join(root, "docs", "configuration.md"))
	var keys []string
	for k, r := range conf {
		if r.typ == "int" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	require.NotEmpty(t, keys)

	tried := 0
	for _, key := range keys {
		row := conf[key]
		lo, hi, extra, ok := docRange(row.allowed)
		if !ok {
			continue
		}
		if r, inReadme := readme[key]; inReadme {
			rlo, rhi, rextra, rok := docRange(r.allowed)
			if assert.True(t, rok, "README.md documents no range for `%s` (docs/configuration.md: %d-%d)", key, lo, hi) {
				assert.Equal(t, []any{lo, hi, extra}, []any{rlo, rhi, rextra}, "README.md and docs/configuration.md document different ranges for `%s`", key)
			}
		}
		clouds := []string{"aws", "azure", "gcp"}
		if prefix, _, _ := strings.Cut(key, "."); prefix == "aws" || prefix == "azure" || prefix == "gcp" {
			clouds = []string{prefix}
		}
		values := append([]int{lo, hi}, extra...)
		for _, cloud := range clouds {
			for _, v := range values {
				tried++
				t.Run(fmt.Sprintf("%s/%s=%d", cloud, key, v), func(t *testing.T) {
					sets := append([]string{"scalestack:" + key + "=" + strconv.Itoa(v)}, rangeCompanions(key, v)...)
					overrides, err := applySets(cloud, sets)
					require.NoError(t, err)
					_, err = reference(cloud, overrides...)
					if err == nil {
						return
					}
					msg := err.Error()
					named := strings.Contains(msg, "scalestack:"+key) && (spec.IsConfigError(err) || strings.Contains(msg, "invalid config"))
					assert.True(t, named, "%s=%d is documented as allowed (%s: %q) but the %s stack refuses it without naming scalestack:%s in config validation: %v",
						key, v, row.file, row.allowed, cloud, key, err)
					if !named {
						return
					}
					documented := false
					for _, name := range cloudNames[cloud] {
						documented = documented || strings.Contains(row.allowed, name)
					}
					assert.True(t, documented, "%s=%d is refused on %s (%v), but %s's row for `%s` does not say so: %q",
						key, v, cloud, err, row.file, key, row.allowed)
				})
			}
		}
	}
	assert.Greater(t, tried, 30, "the ranges of web, database, backup and the placement keys are tried")
}

// TestDocRangeParsing pins the range reader.
func TestDocRangeParsing(t *testing.T) {
	for cell, want := range map[string][]any{
		"10-90: the average CPU":                                    {10, 90, []int(nil), true},
		"0 (off)-1000000 requests per instance per minute":          {0, 1000000, []int(nil), true},
		"0 (request-based scaling off) to 1000000 requests":         {0, 1000000, []int(nil), true},
		"0 (no weekly backup) or 7-3650; must be 0 on Google Cloud": {7, 3650, []int{0}, true},
		"`minSize`-`maxSize`; later changes":                        {0, 0, []int(nil), false},
	} {
		lo, hi, extra, ok := docRange(cell)
		assert.Equal(t, want, []any{lo, hi, extra, ok}, cell)
	}
}
