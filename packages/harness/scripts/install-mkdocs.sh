#!/usr/bin/env bash
# Builds the TechDocs MkDocs venv (mkdocs + mkdocs-techdocs-core from PyPI, pinned by
# packages/harness/python/requirements-mkdocs.txt) at .cache/venv/mkdocs-<sha>/, where <sha>
# is the first 12 hex digits of the requirements file's sha256 (src/mkdocs.ts computes the same).
# Idempotent: an existing, completed venv for the current file is left alone.
set -euo pipefail

harness_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
repo_root="$(cd "$harness_dir/../.." && pwd)"
cache_dir="${SPARK_K8S_CACHE:-$repo_root/.cache}"
venv_root="$cache_dir/venv"
requirements="$harness_dir/python/requirements-mkdocs.txt"
tool=mkdocs
source "$harness_dir/scripts/venv.sh"

[[ -f "$requirements" ]] || die "$requirements is missing"
sha="$(sha256sum "$requirements" | cut -c1-12)"
venv="$venv_root/mkdocs-$sha"

if venv_is_current "$venv" "$requirements"; then
  echo "install-mkdocs: ready at $venv (cached)"
  exit 0
fi

echo "install-mkdocs: building $venv ..."
started=$SECONDS
venv_build "$venv" "$requirements"
"$venv/bin/python" -c 'import techdocs_core' 2>/dev/null || die "mkdocs-techdocs-core does not import in $venv"
[[ -x "$venv/bin/mkdocs" ]] || die "$venv/bin/mkdocs is missing after the install"

venv_complete "$venv" "$requirements"
# Venvs of earlier requirements files are dead weight, and would confuse a `mkdocs-*` glob.
for old in "$venv_root"/mkdocs-*; do
  [[ "$old" == "$venv" ]] || rm -rf "$old"
done
echo "install-mkdocs: ready at $venv ($("$venv/bin/mkdocs" --version | cut -d' ' -f1-3), built in $((SECONDS - started))s)"
