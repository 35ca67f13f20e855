#!/usr/bin/env bash
# Previews the scalestack Pulumi package under the real Pulumi engine
# (cmd/pulumi-resource-scalestack/e2e): a program that is not linked to the components (Go,
# through the remote-component protocol; and docs/package.md's YAML program with the YAML
# language host) constructs scalestack:aws:Backend in the plugin binary; a stub AWS provider
# answers the previews and the policy pack judges the result.
#   1. the Pulumi CLI v3.274.1, as scripts/policy-e2e.sh builds it (same cache, built once);
#   2. pulumi-language-yaml from github.com/pulumi/pulumi-yaml at an exact version, built once in
#      a throwaway module and cached (about 7 minutes cold on two busy cores; SCALESTACK_E2E_YAML=0
#      skips it and the YAML program, and the Go program runs alone);
#   3. the plugin binary and the policy pack from this checkout (incremental go builds);
#   4. `go test ./e2e` in cmd/pulumi-resource-scalestack (the plugin's own module).
# Each step's elapsed time is printed.
set -euo pipefail
cd "$(dirname "$0")/.."

cache="${SCALESTACK_CACHE:-$HOME/.cache/scalestack}"
version=v3.274.1
yaml_version=v1.25.0
mkdir -p "$cache"
step() { printf '== %s (%ss)\n' "$1" "$SECONDS"; }

# throwaway_build MODULE_REQUIRES IMPORT OUTPUT: builds IMPORT in a temporary module.
throwaway_build() {
  local build
  build="$(mktemp -d)"
  cat > "$build/go.mod" <<MOD
module scalestack.local/throwaway

go 1.26.6

require (
$1
)

replace github.com/atotto/clipboard => github.com/tgummerer/clipboard v0.0.0-20241001131231-d02d263e614e
MOD
  printf '//go:build tools\n\npackage tools\n\nimport _ "%s"\n' "$2" > "$build/tools.go"
  (cd "$build" && GOFLAGS=-mod=mod go mod tidy && nice go build \
    -ldflags "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$version" -o "$3.tmp" "$2")
  mv "$3.tmp" "$3"
  rm -rf "$build"
}

cli="$cache/pulumi"
if [ ! -x "$cli" ] || [ "$("$cli" version 2>/dev/null)" != "$version" ]; then
  step "the Pulumi CLI is missing: building it as scripts/policy-e2e.sh does"
  throwaway_build "	github.com/pulumi/pulumi/pkg/v3 $version" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi "$cli"
fi
step "Pulumi CLI: $cli ($("$cli" version))"

yamlhost=""
if [ "${SCALESTACK_E2E_YAML:-1}" = 1 ]; then
  yamlhost="$cache/pulumi-language-yaml-$yaml_version"
  if [ ! -x "$yamlhost" ]; then
    step "building pulumi-language-yaml $yaml_version from the module proxy (once)"
    # With the pulumi/pkg version pulumi-yaml pins (v1.25.0 does not build against pkg v3.274.1:
    # plugin.NewContextWithRoot and schema.NewPluginLoader changed); a language host speaks
    # gRPC to the CLI, so the two need not share a version.
    throwaway_build "	github.com/pulumi/pulumi-yaml $yaml_version" github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml "$yamlhost"
  fi
  step "YAML language host: $yamlhost"
else
  step "the YAML program is skipped (SCALESTACK_E2E_YAML=0)"
fi

plugin="$cache/pulumi-resource-scalestack"
pack="$cache/scalestack-policy"
nice go build -o "$pack" ./policies
cd cmd/pulumi-resource-scalestack   # the plugin's own module
nice go build -o "$plugin" .
step "built the plugin and the policy pack"

SCALESTACK_PULUMI="$cli" SCALESTACK_YAML_HOST="$yamlhost" SCALESTACK_PLUGIN="$plugin" SCALESTACK_POLICY_PACK="$pack" \
  go test -count=1 -v ./e2e "$@"
step "done"
