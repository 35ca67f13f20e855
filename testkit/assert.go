package testkit

import (
	"sort"
	"strconv"
	"strings"
	"testing"
)

// The Assert functions report failures through t.Errorf (the test goes on, as testify's
// assert does) and return whether the assertion held, so a caller can stop with
// `if !testkit.AssertCounts(...) { t.FailNow() }` when later checks depend on it. They
// call t.Helper, so failures point at the caller's line.

// AssertURNsStable fails when a resource of before is missing from after: the change from
// before to after would delete or replace it (a rename is a replacement in Pulumi). Run the
// program twice, with the old and the new configuration, and pass both plans.
func AssertURNsStable(t testing.TB, before, after *Plan) bool {
	t.Helper()
	missing := MissingURNs(before, after)
	if len(missing) == 0 {
		return true
	}
	t.Errorf("%d of %d resources would be deleted or replaced (their URNs are gone):\n  %s",
		len(missing), len(before.Resources), strings.Join(missing, "\n  "))
	return false
}

// AssertCounts fails unless the plan has exactly want[type] resources of each listed type
// (a 0 asserts that none exists). Types not listed are not checked.
func AssertCounts(t testing.TB, plan *Plan, want map[string]int) bool {
	t.Helper()
	got := plan.CountByType()
	types := make([]string, 0, len(want))
	for typ := range want {
		types = append(types, typ)
	}
	sort.Strings(types)
	var bad []string
	for _, typ := range types {
		if got[typ] != want[typ] {
			bad = append(bad, typ+": want "+strconv.Itoa(want[typ])+", got "+strconv.Itoa(got[typ]))
		}
	}
	if len(bad) == 0 {
		return true
	}
	t.Errorf("resource counts differ:\n  %s", strings.Join(bad, "\n  "))
	return false
}

// AssertWired fails unless an output of from flowed into the named input of to (see
// Resource.InputFrom). The message lists what the input is wired from instead.
func AssertWired(t testing.TB, to *Resource, input string, from *Resource) bool {
	t.Helper()
	if to == nil || from == nil {
		t.Errorf("AssertWired: resource is nil (to=%v, from=%v)", describe(to), describe(from))
		return false
	}
	if to.InputFrom(input, from) {
		return true
	}
	var srcs []string
	for _, s := range to.Sources(input) {
		srcs = append(srcs, s.URN)
	}
	if len(srcs) == 0 {
		srcs = []string{"(no resource: a plain value or unset)"}
	}
	t.Errorf("%s input %q is not wired from %s; it comes from:\n  %s",
		to.URN, input, from.URN, strings.Join(srcs, "\n  "))
	return false
}

// AssertPlaced fails unless component has children and every custom resource below it (in
// its parent tree) uses an explicit provider of region: the provider given to the component
// reached every child through Parent, and none fell back to the default provider (whose
// region a plan cannot tell). It checks the provider, not Resource.Region, so global
// resources created through a regional provider (an Azure Traffic Manager profile or
// private DNS zone, whose location is "global") pass. Resources named in elsewhere (logical
// names, such as a cross-region replica placed by a provider in the component's Args) may
// use another region's provider; they are only checked to use an explicit one.
func AssertPlaced(t testing.TB, plan *Plan, component *Resource, region string, elsewhere ...string) bool {
	t.Helper()
	if component == nil {
		t.Errorf("AssertPlaced: component is nil")
		return false
	}
	other := map[string]bool{}
	for _, n := range elsewhere {
		other[n] = true
	}
	var bad []string
	owned := plan.Descendants(component.URN)
	if len(owned) == 0 {
		bad = append(bad, "the component has no children")
	}
	for _, r := range owned {
		if !r.Custom || r.IsProvider() {
			continue
		}
		switch {
		case r.Provider == "":
			bad = append(bad, r.URN+": default provider (no explicit provider reached it)")
		case !other[r.Name] && providerRegion(r) != region:
			bad = append(bad, r.URN+": provider "+r.Provider+" is in region "+strconv.Quote(providerRegion(r))+", want "+strconv.Quote(region))
		}
	}
	if len(bad) == 0 {
		return true
	}
	t.Errorf("%s: children misplaced:\n  %s", component.URN, strings.Join(bad, "\n  "))
	return false
}

func describe(r *Resource) string {
	if r == nil {
		return "nil"
	}
	return r.URN
}

// providerRegion is the region of r's explicit provider ("" when unknown).
func providerRegion(r *Resource) string {
	if p := r.ProviderResource(); p != nil {
		return normalizeRegion(p.Region())
	}
	return ""
}
