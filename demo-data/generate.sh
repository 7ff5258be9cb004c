#!/usr/bin/env bash
# Regenerates the demo data (event logs and Kubernetes objects) from real Spark 4.x and 3.5.x
# runs; see demo-data/README.md. Takes a few minutes; commit what it writes.
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
cd "$ROOT"
ensure_node
ensure_deps
bash packages/harness/scripts/install-spark.sh
exec node --require @backstage/cli/config/nodeTransform.cjs demo-data/generate.ts
