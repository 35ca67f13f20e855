#!/usr/bin/env bash
# Sourced by scripts/engine-e2e.sh: builds policies/tfaws (the Terraform AWS provider's schema
# and validators bridged to Pulumi) once and caches the binary in $SCALESTACK_CACHE (default
# ~/.cache/scalestack), keyed by the hash of policies/tfaws (go.sum, go.mod, sources): a cold
# build is ~35 CPU-minutes (stripped with -s -w); with the same key it is never rebuilt, and
# after a source change the Go build cache makes it a matter of seconds. The build runs at the
# lowest CPU priority so that it does not starve other work on a shared machine;
# TFAWS_BUILD_JOBS sets go build -p (default: the number of CPUs). A lock makes a second run
# wait for a build in progress instead of starting another. Sets $tfaws (the binary).
cache="${SCALESTACK_CACHE:-$HOME/.cache/scalestack}"
mkdir -p "$cache"
tfaws_key="$(cat policies/tfaws/go.sum policies/tfaws/go.mod policies/tfaws/*.go | sha256sum | cut -c1-16)"
tfaws="$cache/tfaws-$tfaws_key"
exec 9>"$cache/tfaws.lock"
flock 9
if [ ! -x "$tfaws" ]; then
  echo "== building policies/tfaws (the Terraform AWS provider's validators; ~35 CPU-minutes cold, once)"
  start=$(date +%s)
  (cd policies/tfaws && nice -n 19 go build -p "${TFAWS_BUILD_JOBS:-$(nproc)}" -trimpath -ldflags "-s -w" -o "$tfaws.tmp" . && mv "$tfaws.tmp" "$tfaws")
  echo "== built in $(( $(date +%s) - start )) s"
fi
flock -u 9
echo "== Terraform AWS provider validators: $tfaws"
