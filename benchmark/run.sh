#!/usr/bin/env bash
# Parley's benchmark: held long polls on one node, post-to-poll delivery latency, the consumer ->
# agent -> consumer round trip over the agent API, throughput and delivery latency on H2, on
# PostgreSQL and on two nodes sharing one PostgreSQL, and request rates against the floors of a bare
# Tomcat and a bare Jersey measured in the same run.
# Builds Parley and the harness, runs each phase against fresh server JVMs (default heap, fresh
# data directory or database), and writes benchmark/results.md. See benchmark/README.md.
#
#   benchmark/run.sh [--quick] [--phases 1,2,3,4,5] [--jfr]
#
# --quick runs small numbers (about five minutes) to check that the harness works; its results go to
# target/bench/results-quick.md and leave benchmark/results.md alone. --phases runs only the phases
# listed; unless all five run in full, the results go to target/bench/results-partial.md.
# --jfr records a Java Flight Recorder profile of each Parley server over its phase's timed part
# (target/bench/jfr-*.jfr) and adds its hottest frames to the phase's section; the phases' own
# figures are then taken with the profiler running, so do not compare them with a run without it.
# Phase 5 needs wrk (apt-get install -y wrk).
set -euo pipefail
cd "$(dirname "$0")/.."

MODE=full
ALL_PHASES=1,2,3,4,5
PHASES=$ALL_PHASES
JFR=0
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) MODE=quick; shift ;;
    --phases) PHASES=${2:?--phases needs a list, e.g. 1,4}; shift 2 ;;
    --jfr) JFR=1; shift ;;
    *) echo "Usage: benchmark/run.sh [--quick] [--phases 1,2,3,4,5] [--jfr]" >&2; exit 2 ;;
  esac
done
run_phase() { [[ ",$PHASES," == *",$1,"* ]]; }

if [ "$MODE" = quick ]; then
  HELD_TARGETS=200,500
  LATENCY_ARGS=(--sessions 100 --rate 100 --duration 15 --warmup 5 --drain 5)
  ROUND_TRIP_ARGS=(--conversations 100 --rate 50 --duration 15 --warmup 5 --drain 5)
  NODES_ARGS=(--sessions 100 --fixed-rate 100 --warmup 5 --fixed-duration 5 --rates 50,200,400
    --step-settle 2 --step-duration 5 --pause 2 --drain 5)
  RATE_ARGS=(--threads 1 --connections 64 --warmup 3 --duration 5 --pause 1 --chats 200)
  RESULTS=target/bench/results-quick.md
else
  HELD_TARGETS=2500,5000,10000,15000,19000,19600
  LATENCY_ARGS=(--sessions 1000 --rate 1000 --duration 60 --warmup 10 --drain 10)
  ROUND_TRIP_ARGS=(--conversations 1000 --rate 200 --duration 60 --warmup 10 --drain 10)
  # The fixed rate is the delivery target (1,000 sessions, 2,000 msg/s, 60 s timed); two steps above it, or
  # below it when it is not sustained, keep phase 4 near ten minutes.
  NODES_ARGS=(--sessions 1000 --fixed-rate 2000 --warmup 10 --fixed-duration 60 --rates 1000,1500,2500,3000
    --step-settle 5 --step-duration 15 --pause 3 --drain 10)
  # wrk's one thread and the server share the two cores; 64 connections keep 64 requests in flight.
  RATE_ARGS=(--threads 1 --connections 64 --warmup 10 --duration 20 --pause 2 --chats 200)
  RESULTS=benchmark/results.md
fi
if [ "$PHASES" != "$ALL_PHASES" ] && [ "$MODE" = full ]; then
  RESULTS=target/bench/results-partial.md
fi
HOLD_SECONDS=30
BENCH=target/bench
STARTED=$(date +%s)
LOAD_AT_START=$(awk '{print $1 ", " $2 ", " $3}' /proc/loadavg)

SERVER_PID=""
SERVER_PIDS=()
POSTGRES_PID=""
LAUNCHER_ARGS=()
# Stops a process this script started: SIGTERM, up to 10 s to exit, then SIGKILL.
stop_pid() {
  local pid=$1
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.2
    done
    kill -9 "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  fi
}
# Stops every server JVM started since the last call.
stop_server() {
  local pid
  for pid in ${SERVER_PIDS[@]+"${SERVER_PIDS[@]}"}; do
    stop_pid "$pid"
  done
  SERVER_PIDS=()
  SERVER_PID=""
}
# Stops the PostgreSQL of phase 4: its JVM stops PostgreSQL when it gets SIGTERM. Should that JVM
# have died without doing so, the postmaster it started (named in the ready file) is stopped too.
stop_postgres() {
  if [ -n "$POSTGRES_PID" ]; then
    stop_pid "$POSTGRES_PID"
    POSTGRES_PID=""
    local postmaster
    postmaster=$(sed -n 's/^postmasterPid=//p' "$BENCH/pg/ready" 2>/dev/null || true)
    if [ -n "$postmaster" ] && kill -0 "$postmaster" 2>/dev/null \
        && grep -q "$BENCH/pg/data" "/proc/$postmaster/cmdline" 2>/dev/null; then
      stop_pid "$postmaster"
    fi
  fi
}
cleanup() {
  stop_server
  stop_postgres
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "== Building Parley and the benchmark harness"
mvn -q -B -ntp -DskipTests package
mkdir -p "$BENCH"
rm -f "$BENCH/held.md" "$BENCH/held.json" "$BENCH/latency.md" "$BENCH/round-trip.md" "$BENCH/nodes.md" "$BENCH"/nodes-*.md \
  "$BENCH"/nodes-*.json "$BENCH"/threads-*.txt "$BENCH"/messages-*.csv "$BENCH/rates.md" "$BENCH"/rates-*.json \
  "$BENCH"/rates-sessions-*.txt "$BENCH"/jfr-*.jfr
mvn -q -B -ntp dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$BENCH/classpath.txt"
CP="target/test-classes:target/classes:$(cat "$BENCH/classpath.txt")"
bench_java() {
  local opts=()
  while [ "${1:0:1}" = "-" ]; do opts+=("$1"); shift; done
  java ${opts[@]+"${opts[@]}"} -cp "$CP" "$@"
}
bench_java io.parley.bench.BenchWar --war target/parley.war --out "$BENCH/parley-bench.war"

# A port nobody listens on, and none a server of this script is starting on.
free_port() {
  local port
  for _ in $(seq 1 50); do
    port=$((20000 + RANDOM % 10000))
    if [[ " ${PORTS_TAKEN:-} " != *" $port "* ]] && ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      PORTS_TAKEN="${PORTS_TAKEN:-} $port"
      echo "$port"
      return
    fi
  done
  echo "No free port found" >&2
  exit 1
}

# With --jfr: the recording file of a Parley server's phase, else nothing (each phase's main class
# records over its timed part with jcmd; see FlightRecording).
jfr_file() {
  if [ "$JFR" = 1 ]; then echo "$BENCH/jfr-$1.jfr"; fi
}
# With --jfr: appends the hottest frames of a recording to a phase's section.
hot_frames() {
  local jfr=$1 title=$2 section=$3
  if [ "$JFR" = 1 ] && [ -f "$section" ]; then
    bench_java io.parley.bench.JfrHotFrames --jfr "$jfr" --title "$title" --append "$section" \
      || echo "The hot frames of $jfr were not written"
  fi
}

# Starts a fresh server (new data directory, default heap) with the given JVM options; LAUNCHER_ARGS
# adds launcher options (phase 4: --config). Sets PORT and SERVER_PID.
start_server() {
  local name=$1; shift
  free_port >/dev/null
  PORT=${PORTS_TAKEN##* }
  rm -rf "$BENCH/data-$name"
  echo "== Starting Parley for the $name phase on port $PORT (log: $BENCH/server-$name.log)"
  local jfr_opts=()
  # Jersey's stacks are deeper than JFR's default 64 frames: the first Parley frame would often be cut off.
  if [ "$JFR" = 1 ]; then jfr_opts=(-XX:FlightRecorderOptions=stackdepth=256); fi
  # The load client opens chat sessions far faster than one site's visitors do: the API user's session
  # budget (throttle.sessions.perApiUserPerMinute) is raised so that it measures Parley, not the throttle.
  # SERVER_OPTS (environment) adds JVM options to every server, e.g. a setting to compare:
  # SERVER_OPTS=-Dparley.db.groupCommit=false benchmark/run.sh --phases 2
  # shellcheck disable=SC2086
  java "$@" ${jfr_opts[@]+"${jfr_opts[@]}"} ${SERVER_OPTS:-} -Dparley.throttle.sessions.perApiUserPerMinute=10000000 \
    -Xlog:gc:file="$BENCH/gc-$name.log" \
    -jar target/parley-launcher.jar \
    --war "$BENCH/parley-bench.war" --port "$PORT" --bind 127.0.0.1 --data "$BENCH/data-$name" \
    ${LAUNCHER_ARGS[@]+"${LAUNCHER_ARGS[@]}"} >"$BENCH/server-$name.log" 2>&1 &
  SERVER_PID=$!
  SERVER_PIDS+=("$SERVER_PID")
}

if run_phase 1; then
  start_server held "-Dparley.poll.hold=$HOLD_SECONDS"
  echo "== Phase 1: held polls (targets $HELD_TARGETS)"
  bench_java io.parley.bench.HeldPollsBenchmark --base "http://127.0.0.1:$PORT" --pid "$SERVER_PID" \
    --targets "$HELD_TARGETS" --hold "$HOLD_SECONDS" --out "$BENCH/held.md" --summary "$BENCH/held.json" \
    --jfr "$(jfr_file held)" \
    || echo "Phase 1 failed; see above and $BENCH/server-held.log"
  stop_server
  hot_frames "$BENCH/jfr-held.jfr" "phase 1's server, from the baseline to the release of the polls" "$BENCH/held.md"
fi

if run_phase 2; then
  start_server latency
  echo "== Phase 2: delivery latency"
  bench_java -Xlog:gc:file="$BENCH/gc-client-latency.log" io.parley.bench.DeliveryLatencyBenchmark \
    --base "http://127.0.0.1:$PORT" --pid "$SERVER_PID" "${LATENCY_ARGS[@]}" \
    --server-gc-log "$BENCH/gc-latency.log" --client-gc-log "$BENCH/gc-client-latency.log" --out "$BENCH/latency.md" \
    --jfr "$(jfr_file latency)" || echo "Phase 2 failed; see above and $BENCH/server-latency.log"
  stop_server
  hot_frames "$BENCH/jfr-latency.jfr" "phase 2's server, timed part" "$BENCH/latency.md"
fi

if run_phase 3; then
  # The round trip runs on a site of its own: one queue, four bots (benchmark/round-trip-seed.json).
  start_server round-trip "-Dparley.seed=$PWD/benchmark/round-trip-seed.json"
  echo "== Phase 3: round trip consumer -> agent -> consumer"
  bench_java -Xlog:gc:file="$BENCH/gc-client-round-trip.log" io.parley.bench.RoundTripBenchmark \
    --base "http://127.0.0.1:$PORT" --pid "$SERVER_PID" "${ROUND_TRIP_ARGS[@]}" \
    --server-gc-log "$BENCH/gc-round-trip.log" --client-gc-log "$BENCH/gc-client-round-trip.log" \
    --server-log "$BENCH/server-round-trip.log" --out "$BENCH/round-trip.md" --jfr "$(jfr_file round-trip)" \
    || echo "Phase 3 failed; see above and $BENCH/server-round-trip.log"
  stop_server
  hot_frames "$BENCH/jfr-round-trip.jfr" "phase 3's server, timed part" "$BENCH/round-trip.md"
fi

# Phase 4, one configuration: NodesBenchmark with the phase's arguments and the given ones.
nodes_bench() {
  local name=$1; shift
  echo "== Phase 4: $name"
  bench_java io.parley.bench.NodesBenchmark --name "$name" "${NODES_ARGS[@]}" \
    --out "$BENCH/nodes-$name.md" --summary "$BENCH/nodes-$name.json" "$@" \
    || echo "Phase 4 ($name) failed; see above and $BENCH/server-nodes-$name*.log"
}

# Phase 4's PostgreSQL (embedded, in a JVM of its own) with one empty database per configuration.
# Sets POSTGRES_PID and POSTMASTER_PID; fails when PostgreSQL is not up within 60 s.
start_postgres() {
  rm -f "$BENCH/pg/ready"
  echo "== Starting PostgreSQL for phase 4 (log: $BENCH/postgres.log)"
  # java itself, not bench_java: $! must be the JVM's id, not that of a subshell running the function.
  java -cp "$CP" io.parley.bench.BenchPostgres --dir "$BENCH/pg" --databases pg1,pg2 >"$BENCH/postgres.log" 2>&1 &
  POSTGRES_PID=$!
  for _ in $(seq 1 120); do
    if [ -f "$BENCH/pg/ready" ]; then
      POSTMASTER_PID=$(sed -n 's/^postmasterPid=//p' "$BENCH/pg/ready")
      return 0
    fi
    kill -0 "$POSTGRES_PID" 2>/dev/null || break
    sleep 0.5
  done
  echo "PostgreSQL did not start; see $BENCH/postgres.log"
  return 1
}

if run_phase 4; then
  # 4.1: one node on H2, started as phase 2's server is.
  start_server nodes-h2
  nodes_bench h2 --label "One node, H2" --database "H2 file database (demo mode, as in phases 1-3)" \
    --poll-base "http://127.0.0.1:$PORT" --poll-pid "$SERVER_PID" \
    --poll-gc-log "$BENCH/gc-nodes-h2.log" --poll-log "$BENCH/server-nodes-h2.log" --poll-jfr "$(jfr_file nodes-h2)"
  stop_server

  if start_postgres; then
    # 4.2: one node on PostgreSQL. benchmark/nodes.properties plus the lines naming its database.
    cat benchmark/nodes.properties "$BENCH/pg/pg1.properties" >"$BENCH/node-pg1.properties"
    LAUNCHER_ARGS=(--config "$BENCH/node-pg1.properties")
    start_server nodes-pg1
    nodes_bench pg1 --label "One node, PostgreSQL" --database "PostgreSQL 14 (embedded), database of its own" \
      --poll-base "http://127.0.0.1:$PORT" --poll-pid "$SERVER_PID" --postgres-pid "$POSTMASTER_PID" \
      --poll-gc-log "$BENCH/gc-nodes-pg1.log" --poll-log "$BENCH/server-nodes-pg1.log" --poll-jfr "$(jfr_file nodes-pg1)"
    stop_server

    # 4.3: two nodes on one PostgreSQL database, started together; polls on A, posts on B.
    cat benchmark/nodes.properties "$BENCH/pg/pg2.properties" >"$BENCH/node-pg2.properties"
    LAUNCHER_ARGS=(--config "$BENCH/node-pg2.properties")
    start_server nodes-pg2-a
    PORT_A=$PORT PID_A=$SERVER_PID
    start_server nodes-pg2-b
    nodes_bench pg2 --label "Two nodes, PostgreSQL" \
      --database "PostgreSQL 14 (embedded), one database shared by both nodes" \
      --poll-base "http://127.0.0.1:$PORT_A" --poll-pid "$PID_A" \
      --poll-gc-log "$BENCH/gc-nodes-pg2-a.log" --poll-log "$BENCH/server-nodes-pg2-a.log" \
      --post-base "http://127.0.0.1:$PORT" --post-pid "$SERVER_PID" \
      --post-gc-log "$BENCH/gc-nodes-pg2-b.log" --post-log "$BENCH/server-nodes-pg2-b.log" \
      --poll-jfr "$(jfr_file nodes-pg2-a)" --post-jfr "$(jfr_file nodes-pg2-b)" \
      --postgres-pid "$POSTMASTER_PID"
    stop_server
    LAUNCHER_ARGS=()
    stop_postgres
  fi
  bench_java io.parley.bench.NodesReport --configurations "$BENCH/nodes-h2,$BENCH/nodes-pg1,$BENCH/nodes-pg2" \
    --out "$BENCH/nodes.md" || echo "Phase 4's report failed"
  hot_frames "$BENCH/jfr-nodes-h2.jfr" "phase 4, one node on H2, fixed rate and steps" "$BENCH/nodes.md"
  hot_frames "$BENCH/jfr-nodes-pg1.jfr" "phase 4, one node on PostgreSQL, fixed rate and steps" "$BENCH/nodes.md"
  hot_frames "$BENCH/jfr-nodes-pg2-a.jfr" "phase 4, two nodes: node A (polls), fixed rate and steps" "$BENCH/nodes.md"
  hot_frames "$BENCH/jfr-nodes-pg2-b.jfr" "phase 4, two nodes: node B (posts), fixed rate and steps" "$BENCH/nodes.md"
fi

# Phase 5's floors: BareTomcat (the launcher's Tomcat version and connector settings, no Parley) in a
# JVM of its own. Sets PORT and SERVER_PID.
start_bare() {
  local mode=$1
  free_port >/dev/null
  PORT=${PORTS_TAKEN##* }
  echo "== Starting bare $mode on port $PORT (log: $BENCH/server-rates-bare-$mode.log)"
  java -cp "$CP" io.parley.bench.BareTomcat --mode "$mode" --port "$PORT" --dir "$BENCH/bare-$mode" \
    >"$BENCH/server-rates-bare-$mode.log" 2>&1 &
  SERVER_PID=$!
  SERVER_PIDS+=("$SERVER_PID")
}

if run_phase 5; then
  if ! command -v wrk >/dev/null 2>&1; then
    echo "Phase 5 needs wrk, which is not installed: apt-get install -y wrk"
    printf '## Request rates: Parley against bare Tomcat and bare Jersey\n\nNot run: `wrk` is not installed (`apt-get install -y wrk`).\n' \
      >"$BENCH/rates.md"
  else
    # The floors first, then Parley, one server at a time, all in this run.
    for mode in tomcat jersey; do
      start_bare "$mode"
      echo "== Phase 5: request rates, bare $mode"
      bench_java io.parley.bench.RequestRateBenchmark --server "bare-$mode" --label "Bare ${mode^}" \
        --base "http://127.0.0.1:$PORT" --pid "$SERVER_PID" --targets bare "${RATE_ARGS[@]}" \
        --out "$BENCH/rates-bare-$mode.json" || echo "Phase 5 (bare $mode) failed; see above and $BENCH/server-rates-bare-$mode.log"
      stop_server
    done
    # getQueueStats spends the client address's request budget (throttle.requests.perAddressPerMinute,
    # 1,200 by default), raised so that it measures Parley, not the throttle.
    start_server rates -Dparley.throttle.requests.perAddressPerMinute=10000000
    echo "== Phase 5: request rates, Parley"
    JFR_DIR=()
    if [ "$JFR" = 1 ]; then JFR_DIR=(--jfr-dir "$BENCH"); fi
    bench_java io.parley.bench.RequestRateBenchmark --server parley --label Parley --base "http://127.0.0.1:$PORT" \
      --pid "$SERVER_PID" --targets live,queue-stats,post-chats,post-one-chat "${RATE_ARGS[@]}" \
      --script benchmark/post-message.lua ${JFR_DIR[@]+"${JFR_DIR[@]}"} --out "$BENCH/rates-parley.json" \
      || echo "Phase 5 (Parley) failed; see above and $BENCH/server-rates.log"
    stop_server
    bench_java io.parley.bench.RequestRateReport \
      --results "$BENCH/rates-bare-tomcat.json,$BENCH/rates-bare-jersey.json,$BENCH/rates-parley.json" \
      --out "$BENCH/rates.md" || echo "Phase 5's report failed"
    hot_frames "$BENCH/jfr-rates-live.jfr" "phase 5, Parley, \`GET /health/live\`" "$BENCH/rates.md"
    hot_frames "$BENCH/jfr-rates-queue-stats.jfr" "phase 5, Parley, \`GET getQueueStats\`" "$BENCH/rates.md"
    hot_frames "$BENCH/jfr-rates-post-chats.jfr" "phase 5, Parley, \`postMessage\` over 200 chats" "$BENCH/rates.md"
    hot_frames "$BENCH/jfr-rates-post-one-chat.jfr" "phase 5, Parley, \`postMessage\` to one chat" "$BENCH/rates.md"
  fi
fi

echo "== Results"
bench_java io.parley.bench.ResultsReport --out "$RESULTS" --mode "$MODE" --summaries "$BENCH" \
  --commit "$(git rev-parse --short HEAD 2>/dev/null || echo unknown)" \
  --seconds "$(($(date +%s) - STARTED))" --load-at-start "$LOAD_AT_START" \
  --sections "$BENCH/held.md,$BENCH/latency.md,$BENCH/round-trip.md,$BENCH/nodes.md,$BENCH/rates.md"
echo
echo "Written to $RESULTS"
