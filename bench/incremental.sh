#!/usr/bin/env bash
# The day-28 refresh against a full run (issue 13; bench/README.md "Incremental refresh"): generates the 10M-event
# bench data split into daily Hive folders, then runs dev.pulse.bench.Incremental on pulse-incremental.yaml (pruning
# by the timestamp alone: Parquet row-group statistics) and on pulse-incremental-partitioned.yaml (date_partition:
# whole day folders skipped), then dev.pulse.bench.IncrementalInProcess: the same day-28 refresh and full run inside one
# warm JVM, as `pulse serve --incremental` runs them (IN_PROCESS_ROUNDS=0 skips it). Records `uptime` before and after.
# Run from anywhere; it works in the repository root.
#
#   bench/incremental.sh
#   RUNS=9 EVENTS=1000000 PULSE_CMD="./pulse" bench/incremental.sh
#   RUNS=0 PROFILED_RUNS=3 SUFFIX=-profiled bench/incremental.sh   # only the profiled runs, 3 of each
#   GENERATE=false RUNS=3 bench/incremental.sh   # reuse bench/data/daily-N as it is (e.g. a checked copy of it)
#   RUNS=0 PROFILED_RUNS=1 IN_PROCESS_ROUNDS=9 bench/incremental.sh   # mostly the runs in one JVM
#
# Data goes to bench/data/daily-N/ (git-ignored), outputs to bench/results/daily-N-<config>/ and summary.txt there.
set -euo pipefail
cd "$(dirname "$0")/.."

EVENTS=${EVENTS:-10000000}
ORGS=${ORGS:-100000}
RUNS=${RUNS:-5}
WARMUPS=${WARMUPS:-1}
PROFILED_RUNS=${PROFILED_RUNS:-1}
GENERATE=${GENERATE:-true}
SUFFIX=${SUFFIX:-}
# pulse.jar itself by default: the ./pulse launcher rebuilds it when a source is newer, never inside a timed run here
PULSE_CMD=${PULSE_CMD:-java -jar pulse-cli/target/pulse.jar}
CONFIGS=${CONFIGS:-"pulse-incremental.yaml pulse-incremental-partitioned.yaml"}
IN_PROCESS_ROUNDS=${IN_PROCESS_ROUNDS:-7}
IN_PROCESS_WARMUPS=${IN_PROCESS_WARMUPS:-2}
JAR=bench/target/pulse-bench.jar

mvn -o -q -B -pl pulse-cli,bench -am package -DskipTests -Pin-process
data=bench/data/daily-$EVENTS
# Deterministic: the same arguments give byte-identical files.
if [ "$GENERATE" = true ]; then
  java -cp "$JAR" dev.pulse.bench.GenerateData --events "$EVENTS" --orgs "$ORGS" --out "$data" --daily true
fi
for config in $CONFIGS; do
  results=bench/results/daily-$EVENTS-${config%.yaml}$SUFFIX
  mkdir -p "$results"
  {
    echo "commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- . || echo ' (with local changes)'), $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "uptime before: $(uptime)"
    java -cp "$JAR" dev.pulse.bench.Incremental --data "$data" --config "$config" --runs "$RUNS" --warmups "$WARMUPS" \
      --profiled-runs "$PROFILED_RUNS" \
      --pulse-cmd "$PULSE_CMD" --results "$results"
    echo "uptime after: $(uptime)"
    if [ "$IN_PROCESS_ROUNDS" -gt 0 ]; then
      echo
      java -cp pulse-cli/target/pulse.jar:"$JAR" dev.pulse.bench.IncrementalInProcess --data "$data" --config "$config" \
        --day27 "$results/day27.duckdb" --rounds "$IN_PROCESS_ROUNDS" --warmups "$IN_PROCESS_WARMUPS" --results "$results"
      echo "uptime after in one JVM: $(uptime)"
    fi
  } 2>&1 | tee "$results/summary.txt"
done
