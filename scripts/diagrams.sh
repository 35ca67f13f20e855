#!/usr/bin/env bash
# Renders the architecture diagram of each cloud's reference stack, from the resource graph of
# the offline preview (no credentials, no network):
#   docs/diagrams/<cloud>.dot   Graphviz source  (scalestack preview --cloud <cloud> --diagram dot)
#   docs/diagrams/<cloud>.mmd   Mermaid source   (scalestack preview --cloud <cloud> --diagram mermaid)
#   docs/diagrams/<cloud>.svg and .png, rendered by Graphviz `dot`
# Graphviz comes from the Debian package, installed here with apt-get when `dot` is missing.
#
# Usage: scripts/diagrams.sh [--stack NAME] [-c key=value]... [cloud...]
#        (default: stack dev; clouds aws azure gcp; -c overrides as in scalestack preview)
set -euo pipefail
cd "$(dirname "$0")/.."

stack=dev
overrides=()
while [ $# -gt 0 ]; do
  case "$1" in
    --stack) stack="$2"; shift 2 ;;
    -c) overrides+=(-c "$2"); shift 2 ;;
    *) break ;;
  esac
done
clouds=("$@")
[ ${#clouds[@]} -gt 0 ] || clouds=(aws azure gcp)

if ! command -v dot >/dev/null 2>&1; then
  echo "== installing Graphviz (Debian package graphviz)"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends graphviz
fi

bin="$(mktemp -d)"
trap 'rm -rf "$bin"' EXIT
echo "== building scalestack"
go build -o "$bin/scalestack" ./cmd/scalestack

out=docs/diagrams
mkdir -p "$out"
failed=()
for cloud in "${clouds[@]}"; do
  echo "== $cloud (stack $stack)"
  # Exit status 1 is a mandatory policy violation: the picture is still right, so keep it.
  status=0
  "$bin/scalestack" preview --stack "$stack" --cloud "$cloud" "${overrides[@]}" --diagram dot >"$bin/$cloud.dot" || status=$?
  if [ "$status" -ge 2 ]; then
    echo "   $cloud: not previewed (exit $status); its diagram is left as it was" >&2
    failed+=("$cloud")
    continue
  fi
  "$bin/scalestack" preview --stack "$stack" --cloud "$cloud" "${overrides[@]}" --diagram mermaid >"$bin/$cloud.mmd" 2>/dev/null || true
  cp "$bin/$cloud.dot" "$out/$cloud.dot"
  cp "$bin/$cloud.mmd" "$out/$cloud.mmd"
  dot -Tsvg "$out/$cloud.dot" -o "$out/$cloud.svg"
  dot -Tpng -Gdpi=110 "$out/$cloud.dot" -o "$out/$cloud.png"
  echo "   wrote $out/$cloud.{dot,mmd,svg,png}"
done

if [ ${#failed[@]} -gt 0 ]; then
  echo "diagrams not rendered for: ${failed[*]}" >&2
  exit 1
fi
