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

tool=spark
source "$harness_dir/scripts/venv.sh"

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

# --- one venv per requirements file -------------------------------------------
shopt -s nullglob
requirement_files=("$harness_dir"/python/requirements-spark-*.txt)
[[ ${#requirement_files[@]} -gt 0 ]] || die "no requirements-spark-*.txt in $harness_dir/python"

for requirements in "${requirement_files[@]}"; do
  version="$(sed -n 's/^pyspark==\([^[:space:];]*\).*/\1/p' "$requirements")"
  [[ -n "$version" ]] || die "$requirements has no exact 'pyspark==<version>' pin"
  venv="$venv_root/spark-$version"

  if venv_is_current "$venv" "$requirements"; then
    echo "install-spark: spark $version ready at $venv (cached)"
    continue
  fi

  echo "install-spark: building spark $version venv at $venv ..."
  started=$SECONDS
  venv_build "$venv" "$requirements"

  installed="$("$venv/bin/python" -c 'import pyspark; print(pyspark.__version__)')"
  [[ "$installed" == "$version" ]] || die "$venv has pyspark $installed, expected $version"
  spark_home="$("$venv/bin/python" -c 'import os, pyspark; print(os.path.dirname(pyspark.__file__))')"
  # The sdist does not always keep the executable bit on the launcher scripts.
  chmod +x "$spark_home"/bin/* 2>/dev/null || true
  [[ -x "$spark_home/bin/spark-class" ]] || die "$spark_home/bin/spark-class is missing from pyspark $version"

  venv_complete "$venv" "$requirements"
  echo "install-spark: spark $version ready at $venv (built in $((SECONDS - started))s)"
done
