#!/usr/bin/env bash
# Runs a main class on Spark's jars in local mode exactly as pulse-spark/run-local.sh runs Pulse (same JDK
# options, logging, SPARK_LOCAL_IP), but never rebuilds anything: a timed run must not include a Maven build.
#
#   bench/spark-java.sh JAR CLASS ARGS...
#   bench/spark-java.sh pulse-spark/target/pulse-spark.jar dev.pulse.spark.PulseSpark analyze --config C
#   bench/spark-java.sh bench/target/pulse-bench.jar dev.pulse.bench.SparkFloor DIR
#
# Spark's classpath: bench/target/spark-classpath.txt, written by
#   mvn -o -q -pl bench dependency:build-classpath -Dmdep.includeScope=provided \
#       -Dmdep.outputFile="$PWD/bench/target/spark-classpath.txt"
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="$1"; shift
opens=(-XX:+IgnoreUnrecognizedVMOptions)
for package in java.lang java.lang.invoke java.lang.reflect java.io java.net java.nio java.util java.util.concurrent \
    java.util.concurrent.atomic jdk.internal.ref sun.nio.ch sun.nio.cs sun.security.action sun.util.calendar; do
  opens+=("--add-opens=java.base/$package=ALL-UNNAMED")
done
export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"
exec java "${opens[@]}" -Djdk.reflect.useDirectMethodHandle=false -Dio.netty.tryReflectionSetAccessible=true \
  -Dlog4j2.configurationFile="$root/pulse-spark/log4j2-local.properties" ${PULSE_JAVA_OPTS:-} \
  -cp "$jar:$(cat "$root/bench/target/spark-classpath.txt")" "$@"
