#!/usr/bin/env bash
# Builds what the benchmark needs, generates the data (1M and 10M events, 100k orgs), counts the
# passes over each source (Passes) and runs Pulse (pulse.yaml and pulse-options.yaml) against the
# hand-written floor on each. Run from anywhere; it works in the repository root.
#
#   bench/run.sh                                  # defaults
#   RUNS=9 PULSE_CMD="./pulse" bench/run.sh       # other Pulse command prefix, more rounds
#   EVENTS_LIST="10000000" bench/run.sh           # one size only
#
# Data goes to bench/data/events-N/ (git-ignored), run outputs and GC logs to bench/results/events-N/.
set -euo pipefail
cd "$(dirname "$0")/.."

EVENTS_LIST=${EVENTS_LIST:-"1000000 10000000"}
ORGS=${ORGS:-100000}
RUNS=${RUNS:-5}
# What a user runs: the launcher (it builds pulse-cli/target/pulse.jar when missing or stale).
PULSE_CMD=${PULSE_CMD:-./pulse}
JAR=bench/target/pulse-bench.jar

mvn -q -B -pl bench package
./pulse --version > /dev/null   # build now, not inside the first timed run

for events in $EVENTS_LIST; do
  data=bench/data/events-$events
  results=bench/results/events-$events
  # Deterministic, so regenerating gives the same files; it takes seconds.
  java -cp "$JAR" dev.pulse.bench.GenerateData --events "$events" --orgs "$ORGS" --out "$data"
  mkdir -p "$results"
  java -cp "$JAR" dev.pulse.bench.Passes --data "$data" --pulse-cmd "$PULSE_CMD" | tee "$results/passes.txt"
  java -cp "$JAR" dev.pulse.bench.Benchmark --data "$data" --runs "$RUNS" --pulse-cmd "$PULSE_CMD" \
    --results "$results" | tee "$results/summary.txt"
done
