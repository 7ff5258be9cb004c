#!/usr/bin/env bash
# Builds the real versitygw S3 server (Apache-2.0; the S3 API on a plain directory, its posix
# backend) from its published Go module (packages/harness/build/versitygw) into
# .cache/versitygw/<version>/. Idempotent: a binary built for the version in go.mod is reused.
set -euo pipefail

harness_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
repo_root="$(cd "$harness_dir/../.." && pwd)"
cache_dir="${SPARK_K8S_CACHE:-$repo_root/.cache}"
module_dir="$harness_dir/build/versitygw"

die() {
  echo "install-s3: $*" >&2
  exit 1
}

version="$(awk '$1 == "github.com/versity/versitygw" { print $2 }' "$module_dir/go.mod")"
[[ -n "$version" ]] || die "no 'github.com/versity/versitygw <version>' line in $module_dir/go.mod"
out="$cache_dir/versitygw/$version/versitygw"

if [[ -x "$out" ]]; then
  echo "install-s3: versitygw $version ready at $out (cached)"
  exit 0
fi
command -v go >/dev/null || die "'go' is not installed: versitygw is built from Go modules (Go 1.26+)"

echo "install-s3: building versitygw $version (first time only, a minute or two) ..."
started=$SECONDS
mkdir -p "$(dirname "$out")"
# go.sum is committed: the build is reproducible and needs nothing but the module proxy.
(cd "$module_dir" && CGO_ENABLED=0 go build -mod=readonly -trimpath \
  -ldflags "-X main.Version=$version" -o "$out.tmp" github.com/versity/versitygw/cmd/versitygw)
mv "$out.tmp" "$out"
echo "install-s3: built $out in $((SECONDS - started)) s"
