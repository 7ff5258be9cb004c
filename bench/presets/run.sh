#!/usr/bin/env bash
# Preset benchmark: rendering + validating every preset for every Spark version, and one full
# template dry-run through a real Backstage backend's scaffolder HTTP API against the real
# kube-apiserver of the harness. Prints the times; writes test-results/bench/presets.json.
source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib.sh"
cd "$ROOT"
ensure_node
ensure_deps
bash packages/harness/scripts/install-kube.sh
exec node --require @backstage/cli/config/nodeTransform.cjs bench/presets/bench.ts
