#!/usr/bin/env bash
# Builds one Python venv per Spark line with pyspark from PyPI, pinned by
# packages/harness/python/requirements-spark-*.txt, at .cache/venv/spark-<version>/.
# Idempotent: a venv whose stamp matches its requirements file is left alone,
# so bumping a version (or any pin) re-creates it.
set -euo pipefail

harness_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
repo_root="$(cd "$harness_dir/../.." && pwd)"
cache_dir="${SPARK_K8S_CACHE:-$repo_root/.cache}"
venv_root="$cache_dir/venv"

die() {
  echo "install-spark: $*" >&2
  exit 1
}

# --- prerequisites -----------------------------------------------------------
if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then
  java_bin="$JAVA_HOME/bin/java"
else
  java_bin="$(command -v java || true)"
fi
[[ -n "$java_bin" ]] || die "java is missing: install Java 17 (apt-get install openjdk-17-jdk-headless) or set JAVA_HOME"
java_version="$("$java_bin" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p')"
# Both Spark 3.5 and 4.x support Java 17 and 21; anything else is a surprise.
case "$java_version" in
  17 | 21) ;;
  *) die "Java 17 is required, but $java_bin is Java ${java_version:-unknown}: install openjdk-17 or point JAVA_HOME at it" ;;
esac

python_bin="${SPARK_K8S_PYTHON:-python3}"
command -v "$python_bin" >/dev/null ||
  die "$python_bin is missing: install Python 3.10+ with venv (apt-get install python3 python3-venv)"
"$python_bin" -c 'import sys, venv, ensurepip; sys.exit(0 if sys.version_info >= (3, 10) else 1)' 2>/dev/null ||
  die "$python_bin must be Python 3.10+ with the venv and ensurepip modules (apt-get install python3-venv)"

mkdir -p "$venv_root"
# Downloads and the wheel pip builds from the pyspark sdist stay in the repo cache,
# so re-creating a venv does not fetch 300-450 MB again.
export PIP_CACHE_DIR="${PIP_CACHE_DIR:-$cache_dir/pip}"
export PIP_DISABLE_PIP_VERSION_CHECK=1

# Parallel test runs may call this script at once.
if command -v flock >/dev/null; then
  exec 9>"$venv_root/.install-spark.lock"
  flock 9
fi

# --- one venv per requirements file -------------------------------------------
shopt -s nullglob
requirement_files=("$harness_dir"/python/requirements-spark-*.txt)
[[ ${#requirement_files[@]} -gt 0 ]] || die "no requirements-spark-*.txt in $harness_dir/python"

for requirements in "${requirement_files[@]}"; do
  version="$(sed -n 's/^pyspark==\([^[:space:];]*\).*/\1/p' "$requirements")"
  [[ -n "$version" ]] || die "$requirements has no exact 'pyspark==<version>' pin"
  venv="$venv_root/spark-$version"
  stamp="$venv/.requirements.txt"

  if [[ -x "$venv/bin/python" ]] && cmp -s "$requirements" "$stamp"; then
    echo "install-spark: spark $version ready at $venv (cached)"
    continue
  fi

  echo "install-spark: building spark $version venv at $venv ..."
  started=$SECONDS
  rm -rf "$venv"
  "$python_bin" -m venv "$venv"
  "$venv/bin/pip" install --quiet --requirement "$requirements" ||
    die "pip install of $requirements failed (see output above)"
  "$venv/bin/pip" check >/dev/null || die "pip check failed in $venv: $("$venv/bin/pip" check 2>&1 | head -n 1)"

  installed="$("$venv/bin/python" -c 'import pyspark; print(pyspark.__version__)')"
  [[ "$installed" == "$version" ]] || die "$venv has pyspark $installed, expected $version"
  spark_home="$("$venv/bin/python" -c 'import os, pyspark; print(os.path.dirname(pyspark.__file__))')"
  # The sdist does not always keep the executable bit on the launcher scripts.
  chmod +x "$spark_home"/bin/* 2>/dev/null || true
  [[ -x "$spark_home/bin/spark-class" ]] || die "$spark_home/bin/spark-class is missing from pyspark $version"

  cp "$requirements" "$stamp"
  echo "install-spark: spark $version ready at $venv (built in $((SECONDS - started))s)"
done
