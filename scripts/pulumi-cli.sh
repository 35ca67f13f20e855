#!/usr/bin/env bash
# Sourced by the e2e scripts: builds the Pulumi CLI v3.274.1 from the Go module proxy, once, in a
# throwaway module outside the repository, and caches it in $SCALESTACK_CACHE (default
# ~/.cache/scalestack). Sets $cli (the binary) and $cache.
cache="${SCALESTACK_CACHE:-$HOME/.cache/scalestack}"
cli="$cache/pulumi"
pulumi_version=v3.274.1
mkdir -p "$cache"

if [ ! -x "$cli" ] || [ "$("$cli" version 2>/dev/null)" != "$pulumi_version" ]; then
  echo "== building the Pulumi CLI $pulumi_version from the module proxy (takes minutes, once)"
  build="$(mktemp -d)"
  cat > "$build/go.mod" <<MOD
module scalestack.local/pulumicli

go 1.26.6

require github.com/pulumi/pulumi/pkg/v3 $pulumi_version

replace github.com/atotto/clipboard => github.com/tgummerer/clipboard v0.0.0-20241001131231-d02d263e614e
MOD
  cat > "$build/tools.go" <<'GO'
//go:build tools

package tools

import _ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
GO
  (cd "$build" && GOFLAGS=-mod=mod go mod tidy && go build \
    -ldflags "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$pulumi_version" \
    -o "$cli" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi)
  rm -rf "$build"
fi
echo "== Pulumi CLI: $cli ($("$cli" version))"
