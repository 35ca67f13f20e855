//go:build ignore

// Command gensdk generates the TypeScript (nodejs) and Python SDKs of the scalestack package from
// its schema.json with pulumi/pkg's code generators, the ones `pulumi package gen-sdk` runs
// through the pulumi-language-nodejs and pulumi-language-python hosts (which the Go module proxy
// does not serve, so gen-sdk cannot run offline here). The packages the schema refers to (the
// aws, gcp and azure-native providers, inputs of the components) are bound from minimal specs
// (name, version, provider) instead of their plugins, which cannot be downloaded.
//
// It is built outside this repository by scripts/package-sdk-check.sh (the build tag keeps it
// out of the root module):
//
//	gensdk <schema.json> <out dir>   (writes <out>/nodejs and <out>/python)
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/blang/semver"
	"github.com/pulumi/pulumi/pkg/v3/codegen/nodejs"
	"github.com/pulumi/pulumi/pkg/v3/codegen/python"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
)

// loader binds the foreign packages from minimal specs.
type loader struct{}

// stubs are the foreign packages and the versions the schema refers to.
var stubs = map[string]string{"aws": "6.83.4", "gcp": "7.38.0", "azure-native": "2.90.0"}

func (l loader) LoadPackage(name string, _ *semver.Version) (*schema.Package, error) {
	v, ok := stubs[name]
	if !ok {
		return nil, fmt.Errorf("unknown package %s", name)
	}
	spec := schema.PackageSpec{Name: name, Version: v, Provider: &schema.ResourceSpec{
		InputProperties: map[string]schema.PropertySpec{"region": {TypeSpec: schema.TypeSpec{Type: "string"}}}}}
	spec.Language = map[string]schema.RawMessage{
		"nodejs": schema.RawMessage(fmt.Sprintf(`{"packageName":"@pulumi/%s"}`, name)),
		"python": schema.RawMessage(fmt.Sprintf(`{"packageName":"pulumi_%s"}`, name)),
	}
	pkg, diags, err := schema.BindSpec(spec, l, schema.ValidationOptions{})
	if err != nil {
		return nil, err
	}
	if diags.HasErrors() {
		return nil, diags
	}
	return pkg, nil
}
func (l loader) LoadPackageV2(_ context.Context, d *schema.PackageDescriptor) (*schema.Package, error) {
	return l.LoadPackage(d.Name, d.Version)
}
func (l loader) LoadPackageReference(name string, v *semver.Version) (schema.PackageReference, error) {
	p, err := l.LoadPackage(name, v)
	if err != nil {
		return nil, err
	}
	return p.Reference(), nil
}
func (l loader) LoadPackageReferenceV2(ctx context.Context, d *schema.PackageDescriptor) (schema.PackageReference, error) {
	return l.LoadPackageReference(d.Name, d.Version)
}

func main() {
	raw, err := os.ReadFile(os.Args[1])
	check(err)
	var spec schema.PackageSpec
	check(json.Unmarshal(raw, &spec))
	out := os.Args[2]
	for lang, gen := range map[string]func(*schema.Package) (map[string][]byte, error){
		"nodejs": func(p *schema.Package) (map[string][]byte, error) {
			return nodejs.GeneratePackage("gensdk", p, nil, nil, true, loader{})
		},
		"python": func(p *schema.Package) (map[string][]byte, error) {
			return python.GeneratePackage("gensdk", p, nil, loader{})
		},
	} {
		pkg, diags, err := schema.BindSpec(spec, loader{}, schema.ValidationOptions{})
		check(err)
		if diags.HasErrors() {
			check(diags)
		}
		files, err := gen(pkg)
		check(err)
		for name, b := range files {
			p := filepath.Join(out, lang, name)
			check(os.MkdirAll(filepath.Dir(p), 0o755))
			check(os.WriteFile(p, b, 0o644))
		}
		fmt.Println(lang, len(files), "files")
	}
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
