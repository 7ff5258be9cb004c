#!/usr/bin/env bash
# Cost and SLO benchmark: a team with 100k stored runs, on SQLite (and Postgres with
# DB=postgres). Prints p50/p95 of the cost summary and the SLO status and their ratio to the raw
# indexed queries under them; writes test-results/bench/cost.json.
source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib.sh"
cd "$ROOT"
ensure_node
ensure_deps
exec node --require @backstage/cli/config/nodeTransform.cjs bench/cost/bench.ts
