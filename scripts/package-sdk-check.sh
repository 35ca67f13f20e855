#!/usr/bin/env bash
# Checks docs/package.md's TypeScript and Python examples against the SDKs a user gets from
# `pulumi package add`: the SDKs are generated from cmd/pulumi-resource-scalestack/schema.json
# with pulumi/pkg's code generators (scripts/package-sdk/gensdk.go, built once in a throwaway
# module and cached; `pulumi package gen-sdk` needs the pulumi-language-nodejs/-python hosts, which
# the Go module proxy does not serve), then
#   - every ```typescript block is type-checked with tsc (strict) against the generated nodejs
#     SDK, @pulumi/pulumi from npm, and declaration stubs for the cloud packages' Provider class;
#   - every ```python block is checked by scripts/package-sdk/pycheck.py against the generated
#     Python SDK (constructor parameters, nested dict keys, outputs read).
# The YAML examples run under the real engine in scripts/package-e2e.sh.
# Needs Go, node/npm (typescript and @pulumi/pulumi are installed in a cache directory once) and
# python3. SCALESTACK_SDK_OUT=<dir> keeps the generated SDKs there.
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$PWD"

cache="${SCALESTACK_CACHE:-$HOME/.cache/scalestack}"
pkg_version=v3.274.1
ts_version=5.9.3
pulumi_npm_version=3.248.0
mkdir -p "$cache"
step() { printf '== %s (%ss)\n' "$1" "$SECONDS"; }

gensdk="$cache/gensdk-$pkg_version"
src_sum="$(sha256sum scripts/package-sdk/gensdk.go | cut -c1-12)"
if [ ! -x "$gensdk-$src_sum" ]; then
  step "building gensdk against pulumi/pkg $pkg_version (once)"
  build="$(mktemp -d)"
  cat > "$build/go.mod" <<MOD
module scalestack.local/gensdk

go 1.26.6

require github.com/pulumi/pulumi/pkg/v3 $pkg_version

replace github.com/atotto/clipboard => github.com/tgummerer/clipboard v0.0.0-20241001131231-d02d263e614e
MOD
  sed '1,2d' scripts/package-sdk/gensdk.go > "$build/main.go"   # without the ignore build tag
  (cd "$build" && GOFLAGS=-mod=mod go mod tidy && nice go build -o "$gensdk-$src_sum.tmp" .)
  mv "$gensdk-$src_sum.tmp" "$gensdk-$src_sum"
  rm -rf "$build"
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
out="${SCALESTACK_SDK_OUT:-$work/sdk}"
rm -rf "$out"
"$gensdk-$src_sum" cmd/pulumi-resource-scalestack/schema.json "$out"
step "generated the SDKs in $out"

# The examples, one file per block, in document order.
python3 - "$repo/docs/package.md" "$work" <<'PY'
import re, sys
doc = open(sys.argv[1]).read()
for lang, ext in (("typescript", "ts"), ("python", "py")):
    blocks = re.findall(r"```" + lang + r"\n(.*?)```", doc, re.S)
    if not blocks:
        sys.exit(f"docs/package.md has no {lang} example")
    for i, block in enumerate(blocks):
        open(f"{sys.argv[2]}/example{i}.{ext}", "w").write(block)
    print(f"{len(blocks)} {lang} examples")
PY

npm_dir="$cache/package-sdk-npm-$ts_version-$pulumi_npm_version"
if [ ! -x "$npm_dir/node_modules/.bin/tsc" ]; then
  step "installing typescript $ts_version and @pulumi/pulumi $pulumi_npm_version from npm (once)"
  mkdir -p "$npm_dir"
  (cd "$npm_dir" && npm install --no-audit --no-fund --silent "typescript@$ts_version" "@pulumi/pulumi@$pulumi_npm_version")
fi
ln -s "$npm_dir/node_modules" "$work/node_modules"
mkdir -p "$work/stubs"
for cloud in aws gcp azure-native; do
  cat > "$work/stubs/$cloud.d.ts" <<'TS'
import * as pulumi from "@pulumi/pulumi";
export declare class Provider extends pulumi.ProviderResource {
    constructor(name: string, args?: { region?: pulumi.Input<string>; project?: pulumi.Input<string>; location?: pulumi.Input<string> }, opts?: pulumi.ResourceOptions);
}
TS
done
cp -r "$out/nodejs" "$work/scalestack"
cat > "$work/tsconfig.json" <<JSON
{
  "compilerOptions": {
    "strict": true, "noEmit": true, "target": "es2020", "module": "commonjs",
    "moduleResolution": "node", "esModuleInterop": true, "skipLibCheck": true, "types": ["node"],
    "baseUrl": ".",
    "paths": {
      "@scalestack/scalestack": ["scalestack/index.ts"],
      "@pulumi/aws": ["stubs/aws.d.ts"], "@pulumi/gcp": ["stubs/gcp.d.ts"],
      "@pulumi/azure-native": ["stubs/azure-native.d.ts"]
    }
  },
  "files": [$(cd "$work" && ls example*.ts | sed 's/.*/"&"/' | paste -sd,)]
}
JSON
(cd "$work" && node_modules/.bin/tsc -p .)
step "the TypeScript examples type-check against the generated SDK"

python3 scripts/package-sdk/pycheck.py "$out/python/scalestack_scalestack" "$work"/example*.py
step "the Python examples match the generated SDK"
