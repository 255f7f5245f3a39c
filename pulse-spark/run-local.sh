#!/usr/bin/env bash
# Runs Pulse on Spark in local mode, without a Spark installation: Maven fetches Spark once, then this runs
# dev.pulse.spark.PulseSpark with `java` and the JDK options spark-submit would add.
#
#   pulse-spark/run-local.sh --demo [DIR]     the demo: data and config from `./pulse demo`, analysed by Spark
#   pulse-spark/run-local.sh analyze --config pulse.yaml [--format json] ...
#                                             any pulse command; the config says `engine: spark` and
#                                             `master: local[2]` (or set SPARK_MASTER=local[2])
#
# On a cluster use spark-submit instead (docs/spark.md). Extra JVM options: PULSE_JAVA_OPTS="-Xmx4g".
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="$root/pulse-spark/target/pulse-spark.jar"
classpath="$root/pulse-spark/target/spark-classpath.txt"

if [[ ! -f "$jar" || ! -f "$classpath" || -n "$(find "$root/pom.xml" "$root/pulse-stats" "$root/pulse-core" \
      "$root/pulse-cli" "$root/pulse-spark" -path '*/target' -prune -o -path '*/src/test' -prune -o -type f \
      -newer "$jar" -print -quit 2>/dev/null)" ]]; then
  echo "run-local: building pulse-spark.jar and fetching Spark (about 290 MB the first time)..." >&2
  (cd "$root" && mvn -q -B -DskipTests -pl pulse-spark -am package dependency:build-classpath \
      -Dmdep.includeScope=provided -Dmdep.outputFile="$classpath") >&2
fi

if [[ "${1:-}" == "--demo" ]]; then
  dir="${2:-pulse-demo-spark}"
  "$root/pulse" demo --dir "$dir" --orgs 300 >/dev/null
  sed 's/^sources:$/warehouse:\n  engine: spark\n  master: local[2]\n  conf: {spark.sql.shuffle.partitions: 2}\n\nsources:/' \
      "$dir/pulse.yaml" > "$dir/pulse-spark.yaml"
  echo "run-local: analysing $dir/pulse-spark.yaml on Spark local[2] (DuckDB's results: $dir/results.json)" >&2
  set -- analyze --config "$dir/pulse-spark.yaml"
fi

opens=(-XX:+IgnoreUnrecognizedVMOptions)
for package in java.lang java.lang.invoke java.lang.reflect java.io java.net java.nio java.util java.util.concurrent \
    java.util.concurrent.atomic jdk.internal.ref sun.nio.ch sun.nio.cs sun.security.action sun.util.calendar; do
  opens+=("--add-opens=java.base/$package=ALL-UNNAMED")
done
export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"
exec java "${opens[@]}" -Djdk.reflect.useDirectMethodHandle=false -Dio.netty.tryReflectionSetAccessible=true \
  -Dlog4j2.configurationFile="$root/pulse-spark/log4j2-local.properties" \
  ${SPARK_MASTER:+-Dspark.master="$SPARK_MASTER"} ${PULSE_JAVA_OPTS:-} \
  -cp "$jar:$(cat "$classpath")" dev.pulse.spark.PulseSpark "$@"
