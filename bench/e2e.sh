#!/usr/bin/env bash
# End-to-end benchmark (issue 4): `redline run` (release build) against the test broker,
# for both processing guarantees, with a pass-through consumer→producer (examples/passthrough.rs:
# same client settings, guarantee and batching, no engine) as the baseline.
#
#   bench/e2e.sh                       # uses $REDLINE_TEST_BROKERS, else starts scripts/test-broker
#   N=3000 LAT_N=2000 LAT_WARMUP=1000 RATE=1000 PARTITIONS=6 bench/e2e.sh
#   BIN_DIR=/tmp/redline-before bench/e2e.sh   # binaries copied from an earlier build (no build):
#                                              # redline, passthrough, e2e_bench
#   GUARANTEES=at_least_once PHASES=latency bench/e2e.sh   # a subset (default: both, both)
#   ROUNDS=3 WARMUP_ROUNDS=1 bench/e2e.sh   # backlog rounds (pass-through, then redline, each
#                                           # round) after untimed warm-up rounds; median ratio
#   CEILING=1 bench/e2e.sh   # each backlog round also runs the pass-through as redline with an
#                            # engine that costs nothing (precomputed outputs, same records to the
#                            # same topics): the most any engine could reach on this machine
#
# Without $REDLINE_TEST_BROKERS it starts its own broker (scripts/test-broker, instance dir
#   $BENCH_BROKER_DIR, default /tmp/redline-bench-broker) set up as Kafka's own start script
#   sets up a server, not as the tests' fast-starting one: full JIT, G1 with a 20 ms pause goal,
#   a fixed 1 GiB heap. And index files of 1 MiB instead of 10 MiB: every run writes to fresh
#   topics, and on this machine the first writes to each new partition's sparse, memory-mapped
#   index files cost the broker the zeroing of their read-ahead windows (60 % of its request
#   threads' CPU in a profile; redline writes 24 partitions, the pass-through 6). A server
#   with long-lived topics pays that once per segment, not per run.
#
# Throughput: N corpus versions are produced first (a backlog), then the processor starts;
#   versions/s = N / span of the output record timestamps (start-up and group join excluded).
#   redline's output is story.revisions (one record per version); pass-through's is its copy.
# Latency: the processor runs and is ready (/readyz) first; LAT_N versions are then produced at a
#   steady RATE versions/s; latency = change-event record timestamp (story.changes) − input
#   record timestamp (both CreateTime, set by the producers), p50/p99 over all events.
#   The pass-through and redline are measured one after the other, never side by side: on two
#   cores each would otherwise measure the other's CPU use. Each gets a warm-up first: LAT_WARMUP
#   versions (taken after the measured ones in the corpus, story ids prefixed "warmup-", not
#   measured) at the same RATE, then the LAT_N measured versions right after, so the figures
#   are those of a running process, not of its first second (threads, connections, caches).
#   For exactly_once that is when the event was produced inside the transaction; readers see it
#   at commit (up to batch_max_ms later).
# Versions come from ../shared/corpus/*.jsonl in file order (each story's versions in order).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

N="${N:-3000}"
LAT_N="${LAT_N:-2000}"
LAT_WARMUP="${LAT_WARMUP:-1000}"
RATE="${RATE:-1000}"
PARTITIONS="${PARTITIONS:-6}"
GUARANTEES="${GUARANTEES:-at_least_once exactly_once}"
PHASES="${PHASES:-backlog latency}"
CORPUS=(../shared/corpus/newsdiffs_se_2017.jsonl ../shared/corpus/govuk_gitgovuk.jsonl ../shared/corpus/govuk_gitgovuk_change_notes.jsonl)

ROUNDS="${ROUNDS:-3}"
WARMUP_ROUNDS="${WARMUP_ROUNDS:-1}"
if [ -z "${REDLINE_TEST_BROKERS:-}" ]; then
  BENCH_BROKER_DIR="${BENCH_BROKER_DIR:-/tmp/redline-bench-broker}"
  mkdir -p "$BENCH_BROKER_DIR"
  printf 'log.index.size.max.bytes=1048576\n' >"$BENCH_BROKER_DIR.properties"
  REDLINE_TEST_BROKERS="$(REDLINE_BROKER_FAST_START=0 REDLINE_BROKER_HEAP_OPTS='-Xms1g -Xmx1g' \
    REDLINE_BROKER_GC_OPTS='-XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35' \
    REDLINE_BROKER_EXTRA_CONFIG="$BENCH_BROKER_DIR.properties" \
    scripts/test-broker --data-dir "$BENCH_BROKER_DIR" start | tail -n 1)"
fi
B="$REDLINE_TEST_BROKERS"
if [ -n "${BIN_DIR:-}" ]; then
  R="$BIN_DIR/redline" PT="$BIN_DIR/passthrough" EB="$BIN_DIR/e2e_bench"
else
  cargo build --release --quiet --bin redline --example passthrough --example e2e_bench
  R=target/release/redline
  PT=target/release/examples/passthrough
  EB=target/release/examples/e2e_bench
fi
LOGS="$(mktemp -d -t redline-bench.XXXXXX)"
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

topics_env() { # prefix -> exports REDLINE_TOPICS_*
  export REDLINE_TOPICS_VERSIONS="$1.versions" REDLINE_TOPICS_CHANGES="$1.changes" \
    REDLINE_TOPICS_ALERTS="$1.alerts" REDLINE_TOPICS_REVISIONS="$1.revisions" \
    REDLINE_TOPICS_STATE="$1.state" REDLINE_TOPICS_DLQ="$1.dlq"
}
create() { topics_env "$1"; "$R" topics create --brokers "$B" --partitions "$PARTITIONS" >/dev/null; }
port=19500
start_run() { # prefix guarantee -> pid in RUN_PID, waits until /readyz
  port=$((port + 1))
  topics_env "$1"
  REDLINE_PROCESSING_GUARANTEE="$2" RUST_LOG=warn "$R" run --brokers "$B" --group "$1-g" \
    --instance bench --metrics-addr "127.0.0.1:$port" >"$LOGS/$1.log" 2>&1 &
  RUN_PID=$!; PIDS+=("$RUN_PID")
  for _ in $(seq 1 600); do
    if [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/readyz" || true)" = 200 ]; then return; fi
    sleep 0.1
  done
  echo "redline run never became ready; log: $LOGS/$1.log" >&2; exit 1
}
start_pt() { # input output group guarantee [corpus files: the zero-cost-engine ceiling]
  REDLINE_PROCESSING_GUARANTEE="$4" "$PT" "$B" "$1" "$2" "$3" "${@:5}" >"$LOGS/$3.log" 2>&1 &
  PT_PID=$!; PIDS+=("$PT_PID")
  for _ in $(seq 1 600); do
    if grep -q "partitions assigned" "$LOGS/$3.log"; then return; fi
    sleep 0.1
  done
  echo "passthrough never got partitions; log: $LOGS/$3.log" >&2; exit 1
}
stream() { # topic -> the warm-up versions, then the LAT_N measured ones, at RATE
  E2E_FROM="$LAT_N" E2E_STORY_PREFIX=warmup- "$EB" produce "$B" "$1" "$LAT_WARMUP" "$RATE" "${CORPUS[@]}" 2>>"$LOGS/produce.log"
  "$EB" produce "$B" "$1" "$LAT_N" "$RATE" "${CORPUS[@]}" 2>>"$LOGS/produce.log"
}
field() { python3 -c "import json,sys; print(json.loads(sys.argv[1])['$2'])" "$1"; }
# CPU time (ms, user + system) a process has used so far; 0 if it is not ours to read.
cpu_ms() { awk -v hz="$(getconf CLK_TCK)" '{print int(($14 + $15) * 1000 / hz)}' "/proc/$1/stat" 2>/dev/null || echo 0; }
BROKER_PID="$(cat "${BENCH_BROKER_DIR:-/nonexistent}/pid" 2>/dev/null || echo 0)"

echo "| guarantee | what | versions | throughput (versions/s) | p50 ms | p99 ms | max ms |"
echo "|---|---|---:|---:|---:|---:|---:|"
for G in $GUARANTEES; do
  id="bench-$$-$(date +%s)-$G"
  if [[ " $PHASES " == *" backlog "* ]]; then
    # ---- throughput over a backlog: warm-up rounds (not shown), then ROUNDS measured ones
    ratios=() zratios=()
    for r in $(seq 1 $((WARMUP_ROUNDS + ROUNDS))); do
      idr="$id-r$r"
      create "$idr"; create "$idr-pt"
      "$EB" produce "$B" "$idr.versions" "$N" 0 "${CORPUS[@]}" 2>>"$LOGS/produce.log"
      # CPU used while each one works through the backlog (its start-up included), and the
      # broker's over the same time: where a version's cost goes on a shared machine.
      start_pt "$idr.versions" "$idr-pt.changes" "$idr-ptg" "$G"
      c0=$(cpu_ms "$PT_PID") b0=$(cpu_ms "$BROKER_PID")
      pt=$("$EB" measure "$B" "$idr.versions" "$idr-pt.changes" "$N")
      ptcpu="$(( $(cpu_ms "$PT_PID") - c0 )) / $(( $(cpu_ms "$BROKER_PID") - b0 ))"
      kill "$PT_PID"; wait "$PT_PID" || true
      start_run "$idr" "$G"
      c0=$(cpu_ms "$RUN_PID") b0=$(cpu_ms "$BROKER_PID")
      rl=$("$EB" measure "$B" "$idr.versions" "$idr.revisions" "$N")
      rlcpu="$(( $(cpu_ms "$RUN_PID") - c0 )) / $(( $(cpu_ms "$BROKER_PID") - b0 ))"
      kill "$RUN_PID"; wait "$RUN_PID" || true
      if [ -n "${CEILING:-}" ]; then
        create "$idr-zero"
        start_pt "$idr.versions" "$idr-zero" "$idr-zerog" "$G" "${CORPUS[@]}"
        c0=$(cpu_ms "$PT_PID") b0=$(cpu_ms "$BROKER_PID")
        zr=$("$EB" measure "$B" "$idr.versions" "$idr-zero.revisions" "$N")
        zrcpu="$(( $(cpu_ms "$PT_PID") - c0 )) / $(( $(cpu_ms "$BROKER_PID") - b0 ))"
        kill "$PT_PID"; wait "$PT_PID" || true
      fi
      (( r > WARMUP_ROUNDS )) || continue
      ptv=$(field "$pt" throughput_per_s) rlv=$(field "$rl" throughput_per_s)
      ratios+=("$(python3 -c "print(round($rlv / $ptv, 3))")")
      echo "| $G | pass-through, backlog (round $((r - WARMUP_ROUNDS))); CPU ms process / broker: $ptcpu | $N | $ptv | | | |"
      echo "| $G | redline, backlog (round $((r - WARMUP_ROUNDS))), ratio ${ratios[-1]}; CPU ms process / broker: $rlcpu | $N | $rlv | | | |"
      if [ -n "${CEILING:-}" ]; then
        zv=$(field "$zr" throughput_per_s)
        zratios+=("$(python3 -c "print(round($zv / $ptv, 3))")")
        echo "| $G | redline's outputs, engine cost zero (round $((r - WARMUP_ROUNDS))), ratio ${zratios[-1]}; CPU ms process / broker: $zrcpu | $N | $zv | | | |"
      fi
    done
    median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
    echo "| $G | median ratio redline / pass-through over $ROUNDS rounds: $(median "${ratios[@]}") | | | | | |"
    if [ -n "${CEILING:-}" ]; then
      echo "| $G | median ratio engine-cost-zero / pass-through over $ROUNDS rounds: $(median "${zratios[@]}") | | | | | |"
    fi
  fi
  if [[ " $PHASES " == *" latency "* ]]; then
    # ---- latency at a steady rate: the pass-through alone, then redline alone
    id2="$id-lat"; create "$id2-pt"; create "$id2"
    start_pt "$id2-pt.versions" "$id2-pt.changes" "$id2-ptg" "$G"
    stream "$id2-pt.versions"
    ptl=$(E2E_SKIP_PREFIX=warmup- "$EB" measure "$B" "$id2-pt.versions" "$id2-pt.changes" "$LAT_N"); kill "$PT_PID"; wait "$PT_PID" || true
    start_run "$id2" "$G"
    stream "$id2.versions"
    rev=$(E2E_SKIP_PREFIX=warmup- "$EB" measure "$B" "$id2.versions" "$id2.revisions" "$LAT_N")
    ev=$(E2E_SKIP_PREFIX=warmup- "$EB" measure "$B" "$id2.versions" "$id2.changes" 0)
    kill "$RUN_PID"; wait "$RUN_PID" || true
    echo "| $G | pass-through @ $RATE/s | $LAT_N | $(field "$ptl" throughput_per_s) | $(field "$ptl" p50_ms) | $(field "$ptl" p99_ms) | $(field "$ptl" max_ms) |"
    echo "| $G | redline events @ $RATE/s | $(field "$ev" records) events | | $(field "$ev" p50_ms) | $(field "$ev" p99_ms) | $(field "$ev" max_ms) |"
    echo "| $G | redline revisions @ $RATE/s | $LAT_N | $(field "$rev" throughput_per_s) | $(field "$rev" p50_ms) | $(field "$rev" p99_ms) | $(field "$rev" max_ms) |"
  fi
done
echo "logs: $LOGS" >&2
