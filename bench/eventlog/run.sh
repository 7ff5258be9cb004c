#!/usr/bin/env bash
# Event-log ingestion benchmark: the portal vs the real Spark History Server on one real,
# large Spark event log (generated once with Spark and cached under .cache/bench/).
# TASKS=240000 by default (about 1.3 GB of log); the first run spends ~20-30 min generating it.
source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib.sh"
cd "$ROOT"
ensure_node
ensure_deps
bash packages/harness/scripts/install-spark.sh
exec node --require @backstage/cli/config/nodeTransform.cjs bench/eventlog/bench.ts
