#!/usr/bin/env bash
# Issue 5's engine comparison and scaling table: Pulse against each engine's own hand-written floor, as
# whole processes, alternately (Benchmark with --floor-cmd/--pulse-cmd), config pulse.yaml (plain).
#
#   PULSE_BENCH_PG_PASSWORD=... bench/engines.sh configs N          # write pulse-spark.yaml, pulse-postgres.yaml for N events
#   PULSE_BENCH_PG_PASSWORD=... bench/engines.sh pgload N           # load bench/data/events-N into schema bench_N
#   PULSE_BENCH_PG_PASSWORD=... bench/engines.sh run ENGINE N RUNS [WARMUPS]   # ENGINE: duckdb | postgres | spark
#
# Needs bench/target/pulse-bench.jar, pulse-cli/target/pulse.jar (./pulse), pulse-spark/target/pulse-spark.jar
# and bench/target/spark-classpath.txt (see bench/spark-java.sh). Results: bench/results/<engine>-events-N/.
set -euo pipefail
cd "$(dirname "$0")/.."
J=bench/target/pulse-bench.jar
# Pulse as ./pulse runs it (same JVM flags), but from snapshots of the jars taken before the series
# (cp pulse-cli/target/pulse.jar bench/target/pulse-cli-snapshot.jar, likewise pulse-spark.jar): the
# launchers rebuild when pulse-cli/ changes, which must not happen inside a timed run.
PULSE=${PULSE:-"java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -jar bench/target/pulse-cli-snapshot.jar"}
PULSE_SPARK_JAR=${PULSE_SPARK_JAR:-bench/target/pulse-spark-snapshot.jar}
cmd=$1
if [[ $cmd == run ]]; then engine=$2; n=$3; runs=$4; warmups=${5:-1}; else n=$2; fi
data=bench/data/events-$n
case "$cmd" in
  configs)
    # Spark: the same sources (Parquet paths), session local[2] with 2 shuffle partitions (2 cores).
    sed 's/^warehouse:$/warehouse:/; s/^  engine: duckdb .*$/  engine: spark\n  master: local[2]\n  conf: {spark.sql.shuffle.partitions: 2, spark.ui.enabled: false}/' \
      "$data/pulse.yaml" > "$data/pulse-spark.yaml"
    # PostgreSQL: table sources in schema bench_N (PgLoad), password from PULSE_BENCH_PG_PASSWORD.
    sed "s#^  engine: duckdb .*\$#  engine: postgres\n  url: ${PULSE_BENCH_PG_URL:-jdbc:postgresql://127.0.0.1:5432/pulse_bench}\n  user: ${PULSE_BENCH_PG_USER:-pulse_bench}\n  password_env: PULSE_BENCH_PG_PASSWORD#; s#path: events.parquet#table: bench_$n.events#; s#path: exposures.parquet#table: bench_$n.exposures#" \
      "$data/pulse.yaml" > "$data/pulse-postgres.yaml" ;;
  pgload)
    java -cp "$J" dev.pulse.bench.PgLoad "$data" "bench_$n" ;;
  run)
    case "$engine" in
      duckdb)   floor="java -cp $J dev.pulse.bench.Floor $data"; pulse="$PULSE"; config=pulse.yaml ;;
      postgres) floor="java -cp $J dev.pulse.bench.Floor --engine postgres bench_$n"; pulse="$PULSE"; config=pulse-postgres.yaml ;;
      spark)    floor="bench/spark-java.sh $J dev.pulse.bench.SparkFloor $data"
                pulse="bench/spark-java.sh $PULSE_SPARK_JAR dev.pulse.spark.PulseSpark"; config=pulse-spark.yaml ;;
    esac
    mkdir -p "bench/results/$engine-events-$n"
    { echo "uptime at start: $(uptime)"
      java -cp "$J" dev.pulse.bench.Benchmark --data "$data" --runs "$runs" --warmups "$warmups" --configs "$config" \
        --floor-cmd "$floor" --pulse-cmd "$pulse" --results "bench/results/$engine-events-$n"
      echo "uptime at end: $(uptime)"; } | tee "bench/results/$engine-events-$n/summary.txt" ;;
esac
