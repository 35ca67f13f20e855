package testkit

import (
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// Answer returns the ID and the state the cloud mocks give a new custom resource: the same
// cloud-shaped IDs and computed outputs (ARNs, ARM IDs, self links, DNS names) a resource has
// in a Run plan, merged under its inputs. It lets a simulated provider served to the real
// Pulumi engine answer Create as testkit's mocks do, from one implementation.
//
// urn is the resource's URN (its type and name are read from it; the mocked identifiers are
// derived from it, so the same URN always gets the same answer); inputs are the inputs the
// provider received; provider is the configuration of the explicit provider the resource uses
// (its region, location or project), or nil for the default provider. A package without a
// cloud mock gets "<name>-id" and its inputs, as in a Run.
func Answer(urn string, inputs, provider resource.PropertyMap) (id string, state resource.PropertyMap) {
	u := resource.URN(urn)
	r := &Resource{URN: urn, Type: string(u.Type()), Name: u.Name(), Custom: true, Inputs: inputs}
	if provider != nil {
		r.provider = &Resource{Type: "pulumi:providers:" + r.Package(), Custom: true, Inputs: provider}
		r.Provider = r.provider.Type // any non-empty reference: the provider is r.provider
	}
	id = r.Name + "-id"
	var computed map[string]any
	if mock, ok := cloudMocks[r.Package()]; ok {
		id, computed = mock(r, regionFrom(r.Inputs, r.provider))
	}
	return id, mergeComputed(inputs.Copy(), resource.NewPropertyMapFromMap(computed))
}

// AnswerInvoke answers an invoke (a data source such as aws:index/getCallerIdentity) as the
// mocks do. provider is the configuration of the explicit provider the invoke uses, or nil.
// ok is false when the mocks know no answer for the token (a Run then answers with an empty
// result).
func AnswerInvoke(token string, args, provider resource.PropertyMap) (result resource.PropertyMap, ok bool) {
	pkg, _, _ := strings.Cut(token, ":")
	call, known := cloudCalls[pkg]
	if !known {
		return nil, false
	}
	region := ""
	if provider != nil {
		region = (&Resource{Type: "pulumi:providers:" + pkg, Inputs: provider}).Region()
	}
	out, ok := call(token, args, region)
	if !ok {
		return nil, false
	}
	return resource.NewPropertyMapFromMap(out), true
}

// regionFrom is where a resource being registered is placed: its own location/region input,
// else its explicit provider's region ("" when neither tells).
func regionFrom(inputs resource.PropertyMap, provider *Resource) string {
	for _, k := range []resource.PropertyKey{"location", "region"} {
		if v, ok := inputs[k]; ok && v.IsString() && v.StringValue() != "" {
			return normalizeRegion(v.StringValue())
		}
	}
	if provider != nil {
		return normalizeRegion(provider.Region())
	}
	return ""
}
