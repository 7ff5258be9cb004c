#!/usr/bin/env bash
# Builds the real kube-apiserver from the Kubernetes Go modules (packages/harness/build/
# kube-apiserver: k8s.io/kubernetes with its staging modules replaced by the published releases)
# into .cache/kube/<version>/. etcd comes from Debian (scripts/install-system-packages.sh).
# Idempotent: a binary built for the version in go.mod is reused.
set -euo pipefail

harness_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
repo_root="$(cd "$harness_dir/../.." && pwd)"
cache_dir="${SPARK_K8S_CACHE:-$repo_root/.cache}"
module_dir="$harness_dir/build/kube-apiserver"

die() {
  echo "install-kube: $*" >&2
  exit 1
}

version="$(awk '$1 == "require" && $2 == "k8s.io/kubernetes" { print $3 }' "$module_dir/go.mod")"
[[ -n "$version" ]] || die "no 'require k8s.io/kubernetes <version>' line in $module_dir/go.mod"
out="$cache_dir/kube/$version/kube-apiserver"

if [[ -x "$out" ]]; then
  echo "install-kube: kube-apiserver $version ready at $out (cached)"
  exit 0
fi
command -v go >/dev/null || die "'go' is not installed: kube-apiserver is built from Go modules (Go 1.26+)"

echo "install-kube: building kube-apiserver $version (first time only, several minutes) ..."
started=$SECONDS
mkdir -p "$(dirname "$out")"
# go.sum is committed: the build is reproducible and needs nothing but the module proxy.
(cd "$module_dir" && CGO_ENABLED=0 go build -mod=readonly -trimpath -o "$out.tmp" k8s.io/kubernetes/cmd/kube-apiserver)
mv "$out.tmp" "$out"
echo "install-kube: built $out in $((SECONDS - started)) s"
