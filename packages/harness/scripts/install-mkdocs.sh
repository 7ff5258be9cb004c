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

die() {
  echo "install-mkdocs: $*" >&2
  exit 1
}

[[ -f "$requirements" ]] || die "$requirements is missing"
sha="$(sha256sum "$requirements" | cut -c1-12)"
venv="$venv_root/mkdocs-$sha"
# Written last, so a venv interrupted half-way is rebuilt rather than trusted.
stamp="$venv/.requirements.txt"

if [[ -x "$venv/bin/mkdocs" ]] && cmp -s "$requirements" "$stamp"; then
  echo "install-mkdocs: ready at $venv (cached)"
  exit 0
fi

python_bin="${SPARK_K8S_PYTHON:-$(command -v python3 || true)}"
[[ -n "$python_bin" ]] || die "python3 is missing: install Python 3.10+ with venv (apt-get install python3 python3-venv)"
"$python_bin" -c 'import sys, venv, ensurepip; sys.exit(0 if sys.version_info >= (3, 10) else 1)' 2>/dev/null ||
  die "$python_bin must be Python 3.10+ with the venv and ensurepip modules (apt-get install python3-venv)"

mkdir -p "$venv_root"
export PIP_CACHE_DIR="${PIP_CACHE_DIR:-$cache_dir/pip}"
export PIP_DISABLE_PIP_VERSION_CHECK=1

# Parallel test runs may call this script at once; the second waits, then finds the venv ready.
if command -v flock >/dev/null; then
  exec 9>"$venv_root/.install-mkdocs.lock"
  flock 9
  if [[ -x "$venv/bin/mkdocs" ]] && cmp -s "$requirements" "$stamp"; then
    echo "install-mkdocs: ready at $venv (cached)"
    exit 0
  fi
fi

echo "install-mkdocs: building $venv ..."
started=$SECONDS
rm -rf "$venv"
"$python_bin" -m venv "$venv"
"$venv/bin/pip" install --quiet --requirement "$requirements" ||
  die "pip install of $requirements failed (see output above)"
"$venv/bin/pip" check >/dev/null || die "pip check failed in $venv: $("$venv/bin/pip" check 2>&1 | head -n 1)"
"$venv/bin/python" -c 'import techdocs_core' 2>/dev/null || die "mkdocs-techdocs-core does not import in $venv"
[[ -x "$venv/bin/mkdocs" ]] || die "$venv/bin/mkdocs is missing after the install"

cp "$requirements" "$stamp"
echo "install-mkdocs: ready at $venv ($("$venv/bin/mkdocs" --version | cut -d' ' -f1-3), built in $((SECONDS - started))s)"
