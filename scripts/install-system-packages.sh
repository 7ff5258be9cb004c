#!/usr/bin/env bash
# Installs the Debian packages the test harness and the e2e tests run against.
# Idempotent: when every package is already installed it does nothing (no apt-get update,
# no root needed). Never starts the packages' system services: the harness starts its own
# PostgreSQL, Prometheus and etcd on free loopback ports with temporary data directories.
set -euo pipefail

# The one list. Each entry: package, then why.
packages=(
  chromium          # Playwright e2e tests and rendering checks (headless)
  fonts-dejavu-core # a font for headless Chromium; DejaVu covers Latin and Cyrillic
  postgresql        # packages/harness/src/postgres.ts: /usr/lib/postgresql/<major>/bin/{initdb,postgres}
  prometheus        # packages/harness/src/prometheus.ts: prometheus and promtool
  etcd-server       # the kube-apiserver's etcd in the harness
  zstd              # unpacking cached toolchains
  lz4               # unpacking cached toolchains
)
# Debian's own python3 needs python3-venv for the harness venvs; other Pythons (pyenv) bring venv.
if [[ "$(command -v python3 || true)" == /usr/bin/python3 ]]; then
  packages+=(python3-venv)
fi

die() {
  echo "install-system-packages: $*" >&2
  exit 1
}

missing=()
for package in "${packages[@]}"; do
  if [[ "$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)" != "install ok installed" ]]; then
    missing+=("$package")
  fi
done

if [[ ${#missing[@]} -eq 0 ]]; then
  echo "install-system-packages: all installed (${packages[*]})"
  exit 0
fi

command -v apt-get >/dev/null || die "apt-get is missing (Debian/Ubuntu only); install by hand: ${missing[*]}"
[[ "$(id -u)" -eq 0 ]] || die "missing ${missing[*]}; run as root: sudo $0"

# policy-rc.d exit code 101 = "action forbidden": invoke-rc.d and deb-systemd-invoke then
# skip starting services from the packages' postinst scripts. Any existing policy is restored.
policy=/usr/sbin/policy-rc.d
policy_backup=""
if [[ -e "$policy" ]]; then
  policy_backup="$(mktemp /usr/sbin/policy-rc.d.backup.XXXXXX)"
  cp -p "$policy" "$policy_backup"
fi
restore_policy() {
  if [[ -n "$policy_backup" ]]; then
    mv -f "$policy_backup" "$policy"
  else
    rm -f "$policy"
  fi
}
trap restore_policy EXIT
printf '#!/bin/sh\nexit 101\n' > "$policy"
chmod 755 "$policy"

echo "install-system-packages: installing ${missing[*]}"
started=$SECONDS
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq || die "apt-get update failed"
apt-get install -y -qq --no-install-recommends "${missing[@]}" || die "apt-get install ${missing[*]} failed"
echo "install-system-packages: installed ${missing[*]} in $((SECONDS - started))s"
