// Command tfaws is the "aws" provider plugin for offline checks: the Terraform AWS provider's
// own schema and validators (the upbound fork of terraform-provider-aws, ~v5.68, whose public
// xpprovider package returns its SDKv2 and Plugin Framework providers), bridged to Pulumi with
// pulumi-terraform-bridge. Served to the real engine with PULUMI_DEBUG_PROVIDERS (or as
// pulumi-resource-aws), its Check runs the Terraform validators on every input a program gives
// an AWS resource: an invalid CIDR, an unknown protocol or a retention out of range fails the
// preview with the provider's words. Create is answered as a preview (inputs as the state); the
// plugin never calls AWS: it is configured with fake keys and every network check skipped.
//
// It is its own module (its dependency graph is the Terraform provider's): scripts/tfaws-build.sh
// builds it once, cached by the hash of this module; scripts/engine-e2e.sh runs the AWS
// reference stack and examples through the engine with it.
package main

import (
	"context"
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/hashicorp/terraform-provider-aws/xpprovider"
	pftfbridge "github.com/pulumi/pulumi-terraform-bridge/v3/pkg/pf/tfbridge"
	"github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfbridge"
	shimv2 "github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfshim/sdk-v2"
	"github.com/pulumi/pulumi-terraform-bridge/v3/pkg/x/muxer"
	"github.com/pulumi/pulumi-terraform-bridge/v3/unstable/metadata"
	rprovider "github.com/pulumi/pulumi/pkg/v3/resource/provider"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/protobuf/types/known/structpb"
)

// version is the pulumi-aws version the project's SDK is generated from; the engine matches
// the plugin by it.
const version = "6.83.4"

func main() {
	// The machine's AWS_* variables are the Terraform provider's configuration too: a CA bundle
	// path (AWS_CA_BUNDLE) makes its Configure fail with "unable to add custom RootCAs", and a
	// profile or a role would make it call AWS. The plugin is configured only by offlineConfig.
	for _, kv := range os.Environ() {
		if k, _, _ := strings.Cut(kv, "="); strings.HasPrefix(k, "AWS_") {
			_ = os.Unsetenv(k)
		}
	}
	ctx := context.Background()
	info, err := providerInfo(ctx)
	if err != nil {
		fmt.Fprintln(os.Stderr, "tfaws:", err)
		os.Exit(1)
	}
	serve := pftfbridge.MakeMuxedServer(ctx, "aws", info, []byte(`{"name":"aws","version":"`+version+`"}`))
	err = rprovider.Main("aws", func(host *rprovider.HostClient) (pulumirpc.ResourceProviderServer, error) {
		srv, err := serve(host)
		if err != nil {
			return nil, err
		}
		return offline{srv}, nil
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "tfaws:", err)
		os.Exit(1)
	}
}

// providerInfo muxes the SDKv2 and Plugin Framework providers, maps every AWS token the
// project uses to its Terraform name (a name the provider does not have is an error naming
// it), and computes the mux dispatch table that tfgen would otherwise have precomputed.
func providerInfo(ctx context.Context) (tfbridge.ProviderInfo, error) {
	fw, sdk, err := xpprovider.GetProvider(ctx)
	if err != nil {
		return tfbridge.ProviderInfo{}, fmt.Errorf("the Terraform AWS provider: %w", err)
	}
	info := tfbridge.ProviderInfo{
		P:            pftfbridge.MuxShimWithPF(ctx, shimv2.NewProvider(sdk), fw),
		Name:         "aws",
		Version:      version,
		MetadataInfo: tfbridge.NewProviderMetadata([]byte(`{}`)),
		Resources:    map[string]*tfbridge.ResourceInfo{},
	}
	var missing []string
	for tok, tf := range Tokens {
		if _, ok := info.P.ResourcesMap().GetOk(tf); !ok {
			missing = append(missing, fmt.Sprintf("%s (mapped to %s)", tok, tf))
			continue
		}
		info.Resources[tf] = &tfbridge.ResourceInfo{Tok: tokens.Type(tok), Fields: Fields[tok]}
	}
	for tok := range Fields {
		if _, ok := Tokens[tok]; !ok {
			missing = append(missing, fmt.Sprintf("%s (has Fields but no Terraform name)", tok))
		}
	}
	if len(missing) > 0 {
		sort.Strings(missing)
		return info, fmt.Errorf("the Terraform AWS provider has no resource for: %s", strings.Join(missing, ", "))
	}
	// pulumi-aws names every resource with a name field from its logical name plus a random
	// suffix (resources.go: prov.SetAutonaming(255, "-")); the SDK's programs leave it unset.
	info.SetAutonaming(255, "-")
	resolver, ok := info.P.(interface {
		ResolveDispatch(*tfbridge.ProviderInfo) (muxer.DispatchTable, error)
	})
	if !ok {
		return info, fmt.Errorf("the muxed provider cannot compute its dispatch table")
	}
	dispatch, err := resolver.ResolveDispatch(&info)
	if err != nil {
		return info, fmt.Errorf("mux dispatch: %w", err)
	}
	if err := metadata.Set(info.GetMetadata(), "mux", dispatch); err != nil {
		return info, err
	}
	return info, nil
}

// offline forces the provider configuration that makes no network call: fake keys, and no
// credential, account, metadata-API or region check. The engine's own configuration (region,
// default tags) is kept.
type offline struct {
	pulumirpc.ResourceProviderServer
}

var offlineConfig = map[string]any{
	"accessKey":                 "AKIAIOSFODNN7EXAMPLE",
	"secretKey":                 "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
	"skipCredentialsValidation": true,
	"skipRequestingAccountId":   true,
	"skipMetadataApiCheck":      true,
	"skipRegionValidation":      true,
}

func withOffline(s *structpb.Struct) *structpb.Struct {
	if s == nil {
		s = &structpb.Struct{}
	}
	if s.Fields == nil {
		s.Fields = map[string]*structpb.Value{}
	}
	for k, v := range offlineConfig {
		val, err := structpb.NewValue(v)
		if err == nil {
			s.Fields[k] = val
		}
	}
	return s
}

// CheckConfig checks the configuration with the offline settings applied.
func (o offline) CheckConfig(ctx context.Context, req *pulumirpc.CheckRequest) (*pulumirpc.CheckResponse, error) {
	req.News = withOffline(req.GetNews())
	return o.ResourceProviderServer.CheckConfig(ctx, req)
}

// Configure configures the provider with the offline settings applied.
func (o offline) Configure(ctx context.Context, req *pulumirpc.ConfigureRequest) (*pulumirpc.ConfigureResponse, error) {
	req.Args = withOffline(req.GetArgs())
	if req.Variables != nil {
		for k, v := range offlineConfig {
			req.Variables["aws:config:"+k] = fmt.Sprint(v)
		}
	}
	return o.ResourceProviderServer.Configure(ctx, req)
}

// Create answers only previews: the inputs become the planned state. A real create is refused,
// since this plugin never reaches AWS.
func (o offline) Create(ctx context.Context, req *pulumirpc.CreateRequest) (*pulumirpc.CreateResponse, error) {
	if !req.GetPreview() {
		return nil, fmt.Errorf("tfaws validates inputs only: it cannot create %s", req.GetUrn())
	}
	return o.ResourceProviderServer.Create(ctx, req)
}
