#!/usr/bin/env bash
# Runs every reference stack (aws, azure, gcp × dev, prod) through the real Pulumi engine
# (cmd/scalestack/e2e, its own module): Automation API inline programs against a file://
# backend, with the policy pack attached and a simulated provider per cloud served in the test
# process (PULUMI_DEBUG_PROVIDERS) that answers from testkit's cloud mocks. Per stack: preview
# (steps and policy verdict equal to `scalestack preview --json`'s), up, a second preview with no
# changes, a preview with one more read replica (only creates) and one without the secondary
# region (stateful deletes/replaces equal to `scalestack diff`'s data loss). Then the AWS stack
# (dev, prod) again with the Terraform AWS provider's validators as the "aws" provider
# (policies/tfaws): every resource whose inputs it refuses is reported in its words.
#   1. builds (once) and caches the Pulumi CLI (scripts/pulumi-cli.sh) and policies/tfaws
#      (scripts/tfaws-build.sh, ~35 CPU-minutes cold);
#   2. builds the policy pack and the scalestack CLI;
#   3. runs `go test` in cmd/scalestack/e2e.
set -euo pipefail
cd "$(dirname "$0")/.."

# shellcheck source=scripts/pulumi-cli.sh
source scripts/pulumi-cli.sh
tfaws=""
if [ "${SCALESTACK_SKIP_TFAWS:-}" = 1 ]; then
  # Opt-out for a quick local run: the AWS validators' tests skip, the examples run with the
  # simulated provider. CI never sets it.
  echo "== SCALESTACK_SKIP_TFAWS=1: not building or running the Terraform AWS provider's validators"
else
  # shellcheck source=scripts/tfaws-build.sh
  source scripts/tfaws-build.sh
fi

echo "== building the policy pack and the scalestack CLI (this checkout's, in a temporary directory)"
bin="$(mktemp -d)"
trap 'rm -rf "$bin"' EXIT
pack="$bin/scalestack-policy"
scalestack="$bin/scalestack"
go build -o "$pack" ./policies
go build -o "$scalestack" ./cmd/scalestack

echo "== the reference stacks under the real engine"
cd cmd/scalestack/e2e
SCALESTACK_PULUMI="$cli" SCALESTACK_POLICY_PACK="$pack" SCALESTACK_CLI="$scalestack" SCALESTACK_TFAWS="$tfaws" \
  go test -count=1 -timeout 30m -v . "$@"
