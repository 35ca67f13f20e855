#!/usr/bin/env bash
# Runs the scalestack policy pack under the real Pulumi engine (policies/e2e):
#   1. builds the Pulumi CLI v3.274.1 from the Go module proxy, once, in a throwaway module
#      outside the repository, and caches it in $SCALESTACK_CACHE (default ~/.cache/scalestack);
#   2. builds the policy pack binary from ./policies;
#   3. runs `go test` in policies/e2e (its own module: the Automation API needs modules the root go.sum does not pin): Automation API inline previews against a
#      file:// backend with optpreview.PolicyPacks(<pack binary>), asserting that a compliant
#      program passes (with a waiver) and an insecure one fails on mandatory violations.
set -euo pipefail
cd "$(dirname "$0")/.."

cache="${SCALESTACK_CACHE:-$HOME/.cache/scalestack}"
cli="$cache/pulumi"
version=v3.274.1
mkdir -p "$cache"

if [ ! -x "$cli" ] || [ "$("$cli" version 2>/dev/null)" != "$version" ]; then
  echo "== building the Pulumi CLI $version from the module proxy (takes minutes, once)"
  build="$(mktemp -d)"
  trap 'rm -rf "$build"' EXIT
  cat > "$build/go.mod" <<MOD
module scalestack.local/pulumicli

go 1.26.6

require github.com/pulumi/pulumi/pkg/v3 $version

replace github.com/atotto/clipboard => github.com/tgummerer/clipboard v0.0.0-20241001131231-d02d263e614e
MOD
  cat > "$build/tools.go" <<'GO'
//go:build tools

package tools

import _ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
GO
  (cd "$build" && GOFLAGS=-mod=mod go mod tidy && go build \
    -ldflags "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$version" \
    -o "$cli" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi)
fi
echo "== Pulumi CLI: $cli ($("$cli" version))"

echo "== building the policy pack"
pack="$cache/scalestack-policy"
go build -o "$pack" ./policies

echo "== previews under the real engine with the pack"
cd policies/e2e
SCALESTACK_PULUMI="$cli" SCALESTACK_POLICY_PACK="$pack" go test -count=1 -v . "$@"
