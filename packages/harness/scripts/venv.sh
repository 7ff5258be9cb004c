# Shared by the harness's venv installers (sourced, not run): one Python venv per pinned
# requirements file, rebuilt when the file changes. The caller sets `tool` (for messages),
# `cache_dir` and `venv_root` before sourcing.

die() {
  echo "install-$tool: $*" >&2
  exit 1
}

python_bin="${SPARK_K8S_PYTHON:-python3}"
command -v "$python_bin" >/dev/null ||
  die "$python_bin is missing: install Python 3.10+ with venv (apt-get install python3 python3-venv)"
"$python_bin" -c 'import sys, venv, ensurepip; sys.exit(0 if sys.version_info >= (3, 10) else 1)' 2>/dev/null ||
  die "$python_bin must be Python 3.10+ with the venv and ensurepip modules (apt-get install python3-venv)"

mkdir -p "$venv_root"
# Downloads (and wheels pip builds from sdists such as pyspark's) stay in the repo cache,
# so re-creating a venv fetches nothing again.
export PIP_CACHE_DIR="${PIP_CACHE_DIR:-$cache_dir/pip}"
export PIP_DISABLE_PIP_VERSION_CHECK=1

# Parallel test runs may call an installer at once; the second waits for the first.
if command -v flock >/dev/null; then
  exec 9>"$venv_root/.install-$tool.lock"
  flock 9
fi

# venv_is_current VENV REQUIREMENTS: the venv was completed for exactly this file.
venv_is_current() {
  [[ -x "$1/bin/python" ]] && cmp -s "$2" "$1/.requirements.txt"
}

# venv_build VENV REQUIREMENTS: a new venv with exactly the pinned packages.
venv_build() {
  rm -rf "$1"
  "$python_bin" -m venv "$1"
  "$1/bin/pip" install --quiet --requirement "$2" || die "pip install of $2 failed (see output above)"
  "$1/bin/pip" check >/dev/null || die "pip check failed in $1: $("$1/bin/pip" check 2>&1 | head -n 1)"
}

# venv_complete VENV REQUIREMENTS: written last, so a venv interrupted half-way is rebuilt.
venv_complete() {
  cp "$2" "$1/.requirements.txt"
}
