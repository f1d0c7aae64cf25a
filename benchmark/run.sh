#!/usr/bin/env bash
# Parley's benchmark: held long polls on one node, post-to-poll delivery latency, and the consumer ->
# agent -> consumer round trip over the agent API.
# Builds Parley and the harness, runs each phase against a fresh server JVM (default heap, fresh
# data directory), and writes benchmark/results.md. See benchmark/README.md.
#
#   benchmark/run.sh [--quick]
#
# --quick runs small numbers (about a minute) to check that the harness works; its results go to
# target/bench/results-quick.md and leave benchmark/results.md alone.
set -euo pipefail
cd "$(dirname "$0")/.."

MODE=full
case "${1:-}" in
  "") ;;
  --quick) MODE=quick ;;
  *) echo "Usage: benchmark/run.sh [--quick]" >&2; exit 2 ;;
esac

if [ "$MODE" = quick ]; then
  HELD_TARGETS=200,500
  LATENCY_ARGS=(--sessions 100 --rate 100 --duration 15 --warmup 5 --drain 5)
  ROUND_TRIP_ARGS=(--conversations 100 --rate 50 --duration 15 --warmup 5 --drain 5)
  RESULTS=target/bench/results-quick.md
else
  HELD_TARGETS=2500,5000,10000,12000,15000,16000
  LATENCY_ARGS=(--sessions 1000 --rate 1000 --duration 60 --warmup 10 --drain 10)
  ROUND_TRIP_ARGS=(--conversations 1000 --rate 200 --duration 60 --warmup 10 --drain 10)
  RESULTS=benchmark/results.md
fi
HOLD_SECONDS=30
BENCH=target/bench
STARTED=$(date +%s)
LOAD_AT_START=$(awk '{print $1 ", " $2 ", " $3}' /proc/loadavg)

SERVER_PID=""
stop_server() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 1 50); do
      kill -0 "$SERVER_PID" 2>/dev/null || break
      sleep 0.2
    done
    kill -9 "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  SERVER_PID=""
}
trap stop_server EXIT
trap 'exit 130' INT TERM

echo "== Building Parley and the benchmark harness"
mvn -q -B -ntp -DskipTests package
mkdir -p "$BENCH"
rm -f "$BENCH/held.md" "$BENCH/latency.md" "$BENCH/round-trip.md"
mvn -q -B -ntp dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$BENCH/classpath.txt"
CP="target/test-classes:target/classes:$(cat "$BENCH/classpath.txt")"
bench_java() {
  local opts=()
  while [ "${1:0:1}" = "-" ]; do opts+=("$1"); shift; done
  java ${opts[@]+"${opts[@]}"} -cp "$CP" "$@"
}
bench_java io.parley.bench.BenchWar --war target/parley.war --out "$BENCH/parley-bench.war"

free_port() {
  local port
  for _ in $(seq 1 50); do
    port=$((20000 + RANDOM % 10000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return
    fi
  done
  echo "No free port found" >&2
  exit 1
}

# Starts a fresh server (new data directory, default heap) with the given JVM options.
start_server() {
  local name=$1; shift
  PORT=$(free_port)
  rm -rf "$BENCH/data-$name"
  echo "== Starting Parley for the $name phase on port $PORT (log: $BENCH/server-$name.log)"
  java "$@" -Xlog:gc:file="$BENCH/gc-$name.log" -jar target/parley-launcher.jar \
    --war "$BENCH/parley-bench.war" --port "$PORT" --bind 127.0.0.1 --data "$BENCH/data-$name" \
    >"$BENCH/server-$name.log" 2>&1 &
  SERVER_PID=$!
}

start_server held "-Dparley.poll.hold=$HOLD_SECONDS"
echo "== Phase 1: held polls (targets $HELD_TARGETS)"
bench_java io.parley.bench.HeldPollsBenchmark --base "http://127.0.0.1:$PORT" --pid "$SERVER_PID" \
  --targets "$HELD_TARGETS" --hold "$HOLD_SECONDS" --out "$BENCH/held.md" \
  || echo "Phase 1 failed; see above and $BENCH/server-held.log"
stop_server

start_server latency
echo "== Phase 2: delivery latency"
bench_java -Xlog:gc:file="$BENCH/gc-client-latency.log" io.parley.bench.DeliveryLatencyBenchmark \
  --base "http://127.0.0.1:$PORT" --pid "$SERVER_PID" "${LATENCY_ARGS[@]}" \
  --server-gc-log "$BENCH/gc-latency.log" --client-gc-log "$BENCH/gc-client-latency.log" --out "$BENCH/latency.md" \
  || echo "Phase 2 failed; see above and $BENCH/server-latency.log"
stop_server

# The round trip runs on a site of its own: one queue, four bots (benchmark/round-trip-seed.json).
start_server round-trip "-Dparley.seed=$PWD/benchmark/round-trip-seed.json"
echo "== Phase 3: round trip consumer -> agent -> consumer"
bench_java -Xlog:gc:file="$BENCH/gc-client-round-trip.log" io.parley.bench.RoundTripBenchmark \
  --base "http://127.0.0.1:$PORT" --pid "$SERVER_PID" "${ROUND_TRIP_ARGS[@]}" \
  --server-gc-log "$BENCH/gc-round-trip.log" --client-gc-log "$BENCH/gc-client-round-trip.log" \
  --server-log "$BENCH/server-round-trip.log" --out "$BENCH/round-trip.md" \
  || echo "Phase 3 failed; see above and $BENCH/server-round-trip.log"
stop_server

echo "== Results"
bench_java io.parley.bench.ResultsReport --out "$RESULTS" --mode "$MODE" \
  --commit "$(git rev-parse --short HEAD 2>/dev/null || echo unknown)" \
  --seconds "$(($(date +%s) - STARTED))" --load-at-start "$LOAD_AT_START" --sections "$BENCH/held.md,$BENCH/latency.md,$BENCH/round-trip.md"
echo
echo "Written to $RESULTS"
