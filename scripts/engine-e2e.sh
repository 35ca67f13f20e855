#!/usr/bin/env bash
# Runs every reference stack (aws, azure, gcp × dev, prod) through the real Pulumi engine
# (cmd/scalestack/e2e, its own module): Automation API inline programs against a file://
# backend, with the policy pack attached and a simulated provider per cloud served in the test
# process (PULUMI_DEBUG_PROVIDERS) that answers from testkit's cloud mocks. Per stack: preview
# (steps and policy verdict equal to `scalestack preview --json`'s), up, a second preview with no
# changes, a preview with one more read replica (only creates) and one without the secondary
# region (stateful deletes/replaces equal to `scalestack diff`'s data loss).
#   1. builds (once) and caches the Pulumi CLI (scripts/pulumi-cli.sh);
#   2. builds the policy pack and the scalestack CLI;
#   3. runs `go test` in cmd/scalestack/e2e.
set -euo pipefail
cd "$(dirname "$0")/.."

# shellcheck source=scripts/pulumi-cli.sh
source scripts/pulumi-cli.sh

echo "== building the policy pack and the scalestack CLI (this checkout's, in a temporary directory)"
bin="$(mktemp -d)"
trap 'rm -rf "$bin"' EXIT
pack="$bin/scalestack-policy"
scalestack="$bin/scalestack"
go build -o "$pack" ./policies
go build -o "$scalestack" ./cmd/scalestack

echo "== the reference stacks under the real engine"
cd cmd/scalestack/e2e
SCALESTACK_PULUMI="$cli" SCALESTACK_POLICY_PACK="$pack" SCALESTACK_CLI="$scalestack" \
  go test -count=1 -timeout 30m -v . "$@"
