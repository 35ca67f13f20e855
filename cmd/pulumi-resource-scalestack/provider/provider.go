// Package provider serves the scalestack components to every Pulumi language: a component
// provider (pulumi-go-provider's infer) whose schema is derived from the Args types in this
// package, and whose constructors map those Args onto the components' Go Args and call the
// very constructors Go programs call (backend.New of each cloud, and the New of each component
// users take alone: database, webtier, loadbalancer, cdn, cache, queue, worker). There is no
// second copy of any component's logic here: defaults and validation stay in the components,
// so a program in TypeScript, Python or YAML gets the same resources, URNs and error messages
// as a Go program.
//
// Providers: a component is placed in a region by the cloud provider it is given. The caller
// passes the primary region's provider with the `providers` resource option (as for any
// component), and the other regions' providers as inputs (primary.provider/secondary.provider
// on AWS, secondaryProvider on Azure and Google Cloud; crossRegion.provider, crossRegionProvider
// and secondaryProvider on the standalone databases): provider resources are references in
// the schema ("/aws/v6.83.4/schema.json#/provider"), so the engine hands the very provider
// instances of the calling program to the construct.
//
// The binary is cmd/pulumi-resource-scalestack; its schema.json is checked in and compared
// with Schema() by a test.
package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	p "github.com/pulumi/pulumi-go-provider"
	"github.com/pulumi/pulumi-go-provider/infer"
)

// Name is the package name: the first segment of every type token (scalestack:aws:Backend).
const Name = "scalestack"

// Version is the package version the schema and the plugin report.
const Version = "0.1.0"

// foreignProviders are the cloud packages whose provider resources are inputs, with the
// version the SDKs in go.mod pin.
var foreignProviders = map[string]string{
	"aws":          "v6.83.4",
	"azure-native": "v2.90.0",
	"gcp":          "v7.38.0",
}

// New returns the component provider.
func New() (p.Provider, error) {
	prov, err := infer.NewProviderBuilder().
		WithDisplayName("scalestack").
		WithDescription("A scalable, secure web backend on AWS, Azure or Google Cloud: autoscaling web tiers behind load balancers, managed SQL with read replicas, a CDN, failover between two regions, backups and alerts.").
		WithKeywords("category/cloud", "kind/component", "aws", "azure", "gcp").
		WithRepository("https://github.com/scalestack/scalestack").
		WithGoImportPath("github.com/scalestack/scalestack/sdk/go/scalestack").
		WithPublisher("scalestack").
		WithLicense("Apache-2.0").
		WithNamespace("scalestack").
		WithComponents(
			infer.ComponentF(NewAWSBackend),
			infer.ComponentF(NewAzureBackend),
			infer.ComponentF(NewGCPBackend),
			infer.ComponentF(NewAWSDatabase),
			infer.ComponentF(NewAWSWebTier),
			infer.ComponentF(NewAWSLoadBalancer),
			infer.ComponentF(NewAWSCDN),
			infer.ComponentF(NewAWSCache),
			infer.ComponentF(NewAWSQueue),
			infer.ComponentF(NewAWSWorker),
			infer.ComponentF(NewAzureDatabase),
			infer.ComponentF(NewGCPDatabase),
			infer.ComponentF(NewGCPCache),
			infer.ComponentF(NewGCPQueue),
			infer.ComponentF(NewGCPWorker),
		).
		Build()
	if err != nil {
		return p.Provider{}, err
	}
	getSchema := prov.GetSchema
	prov.GetSchema = func(ctx context.Context, req p.GetSchemaRequest) (p.GetSchemaResponse, error) {
		resp, err := getSchema(ctx, req)
		if err != nil {
			return resp, err
		}
		resp.Schema = providerRefs(resp.Schema)
		return resp, nil
	}
	return prov, nil
}

// providerRefs rewrites infer's references to foreign provider resources
// ("/aws/v6.83.4/schema.json#/resources/aws:index:Provider", from the `type=` field tags)
// into the schema's form for a package's provider ("/aws/v6.83.4/schema.json#/provider").
func providerRefs(schema string) string {
	for pkg, version := range foreignProviders {
		schema = strings.ReplaceAll(schema,
			fmt.Sprintf("/%s/%s/schema.json#/resources/%s:index:Provider", pkg, version, pkg),
			fmt.Sprintf("/%s/%s/schema.json#/provider", pkg, version))
	}
	return schema
}

// Schema returns the package schema as the plugin serves it, indented.
func Schema(ctx context.Context) ([]byte, error) {
	prov, err := New()
	if err != nil {
		return nil, err
	}
	spec, err := p.GetSchema(ctx, Name, Version, prov)
	if err != nil {
		return nil, err
	}
	out, err := json.MarshalIndent(spec, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(out, '\n'), nil
}

// Serve runs the provider as a plugin (the engine starts it and reads its port from stdout).
func Serve(ctx context.Context) error {
	prov, err := New()
	if err != nil {
		return err
	}
	return p.RunProvider(ctx, Name, Version, prov)
}
