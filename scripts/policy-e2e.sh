#!/usr/bin/env bash
# Runs the scalestack policy pack under the real Pulumi engine (policies/e2e):
#   1. builds the Pulumi CLI v3.274.1 from the Go module proxy, once, in a throwaway module
#      outside the repository, and caches it in $SCALESTACK_CACHE (default ~/.cache/scalestack)
#      (scripts/pulumi-cli.sh);
#   2. builds the policy pack binary from ./policies;
#   3. runs `go test` in policies/e2e (its own module: the Automation API needs modules the root go.sum does not pin): Automation API inline previews against a
#      file:// backend with optpreview.PolicyPacks(<pack binary>), asserting that a compliant
#      program passes (with a waiver) and an insecure one fails on mandatory violations.
set -euo pipefail
cd "$(dirname "$0")/.."

# shellcheck source=scripts/pulumi-cli.sh
source scripts/pulumi-cli.sh

echo "== building the policy pack"
pack="$cache/scalestack-policy"
go build -o "$pack" ./policies

echo "== previews under the real engine with the pack"
cd policies/e2e
SCALESTACK_PULUMI="$cli" SCALESTACK_POLICY_PACK="$pack" go test -count=1 -v . "$@"
