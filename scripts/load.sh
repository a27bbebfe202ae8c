#!/usr/bin/env bash
# `make load`: digitag serve under wrk on a 1M-enterprise store (issue #15, "Load").
#   1. generate LOAD_SIZE enterprises once (cached in $BENCH_DIR/g<size>, shared with scripts/bench.sh);
#   2. run the release pipeline on them once (a fresh run in $BENCH_DIR/load-runs-<size>);
#   3. start `digitag serve --count-cache 0` (a province analyst, so every enterprise is in scope), sign in with curl;
#   4. wrk, LOAD_CONNECTIONS (64) connections, for LOAD_PHASE_SECONDS (60) each:
#        profile         GET /enterprise/<a random USCC of the run>            target p99 <= 100 ms
#        count-uncached  GET /api/segments?expr=<3 conditions> (counts + page), every request evaluated
#   5. restart it with the segment cache (the default, 64 per run) and sign in again:
#        count-cached    the same count, answered from the cache after the first   target p99 <= 300 ms
#   6. a soak of LOAD_SECONDS (600): both kinds of request, 9 profiles to 1 count, RSS of the server every 30 s.
# Prints what to paste into BENCHMARKS.md and keeps the logs in $BENCH_DIR/load-*. `uptime` is printed before
# and after: other builds share the machine's cores, and the numbers mean little without it.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin="${LOAD_BIN:-$root/.build/release/digitag}"
n="${LOAD_SIZE:-1000000}"
dir="${BENCH_DIR:-$root/.bench}"
connections="${LOAD_CONNECTIONS:-64}"
threads="${LOAD_THREADS:-2}"
phase="${LOAD_PHASE_SECONDS:-60}"
soak="${LOAD_SECONDS:-600}"
port="${LOAD_PORT:-18080}"
expr="${LOAD_EXPR:-abnormal.listed and not inspection.any.1y and class in ['C','D']}"
as_of=2024-12-31
mkdir -p "$dir"
out="$dir/load-$n"
rm -rf "$out" && mkdir -p "$out"

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo); digitag $(cd "$root" && git rev-parse --short HEAD), release build"
echo "load before: $(uptime)"

input="$dir/g$n"
if [ ! -f "$input/.complete" ]; then
  echo "generating $n enterprises into $input (once)"
  rm -rf "$input"
  "$bin" generate --enterprises "$n" --out "$input" --filings-parts 8 --pipelines "$root/Pipelines" > "$dir/generate-$n.log"
  touch "$input/.complete"
fi
runs="$dir/load-runs-$n"
if [ "${LOAD_REUSE_RUN:-0}" = 1 ] && [ -f "$runs/current/manifest.json" ]; then
  # Comparing two server builds on the same run: the run is the same data either way.
  echo "reusing the published run in $runs (LOAD_REUSE_RUN=1)"
else
  rm -rf "$runs"
  echo "running the pipeline on $n enterprises"
  start=$(date +%s)
  "$bin" run --pipeline "$root/Pipelines/shandong.yaml" --input "$input" --as-of "$as_of" --out "$runs" > "$out/run.log" 2>&1
  echo "pipeline: $(( $(date +%s) - start )) s"
fi

# The USCCs the profile requests pick from: every published enterprise.
cut -d, -f1 "$runs/current/classes.csv" | tail -n +2 | tr -d '\r\357\273\277' > "$out/usccs.txt"
echo "$(wc -l < "$out/usccs.txt") published enterprises"

password="load test passphrase (not a real account)"
printf '%s\n%s\n' "$password" "$password" | "$bin" users add load.province --role province_analyst --region 37 --users "$out/users.yaml" > /dev/null
path="/api/segments?expr=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$expr")"
server=""
# A build from before the segment cache (LOAD_BIN=an older binary, for a before/after table) has no --count-cache.
cache_option=""
case "$("$bin" serve --help 2>&1 || true)" in *--count-cache*) cache_option=yes ;; esac
trap '[ -z "$server" ] || kill $server 2>/dev/null || true' EXIT
# start_server COUNT_CACHE: (re)starts digitag serve with that many segments cached per run (0: none) and signs in.
start_server() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  "$bin" serve --runs "$runs" --samples "$out/samples" --users "$out/users.yaml" --audit-log "$out/audit.log" \
    --listen "127.0.0.1:$port" ${cache_option:+--count-cache=$1} >> "$out/serve.log" 2>&1 &
  server=$!
  for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$port/login" && break; sleep 0.2; done
  cookie=$(curl -s -D - -o /dev/null --data-urlencode "user=load.province" --data-urlencode "password=$password" \
    "http://127.0.0.1:$port/api/session" | sed -n 's/^[Ss]et-[Cc]ookie: \(digitag_session=[^;]*\).*/\1/p' | tr -d '\r')
  [ -n "$cookie" ] || { echo "load: could not sign in" >&2; exit 1; }
}
# First without the segment cache: every count evaluates the expression (the cost of a question not asked before).
start_server 0
# One of each first: both answer 200, and the count is what digitag query counts on the same run.
curl -sf -o /dev/null -H "Cookie: $cookie" "http://127.0.0.1:$port/enterprise/$(head -1 "$out/usccs.txt")"
web=$(curl -sf -H "Cookie: $cookie" "http://127.0.0.1:$port$path" | python3 -c 'import json, sys; print(json.load(sys.stdin)["total"])')
cli=$("$bin" query "$expr" --run "$runs/current" --format json | python3 -c 'import json, sys; print(json.load(sys.stdin)["count"])')
echo "count of \"$expr\": $web (digitag query: $cli)"
[ "$web" = "$cli" ] || { echo "load: the page counts $web, digitag query $cli" >&2; exit 1; }

rss() { awk '/VmRSS/ {printf "%.0f", $2/1024}' "/proc/$server/status"; }
wrk_run() { # name seconds mix [connections]
  local c="${4:-$connections}"
  # A 60 s timeout: a slow answer is measured as slow, not counted as an error after wrk's default 2 s.
  LOAD_COOKIE="$cookie" LOAD_USCCS="$out/usccs.txt" LOAD_COUNT_PATH="$path" LOAD_MIX="$3" \
    wrk -t "$(( c < threads ? c : threads ))" -c "$c" -d "${2}s" --timeout 60s -s "$root/scripts/load.lua" "http://127.0.0.1:$port" > "$out/wrk-$1.txt"
  grep '^RESULT' "$out/wrk-$1.txt" | sed "s/^RESULT/$1 ($c connections):/"
}
echo "RSS at start: $(rss) MB"
# One connection first: the time one request takes alone (at 64 connections, latency ≈ 64 × this ÷ the cores
# when the server keeps them all busy — Little's law).
wrk_run profile-alone 20 profile 1
wrk_run count-uncached-alone 20 count 1
wrk_run profile "$phase" profile
echo "RSS after profile: $(rss) MB"
wrk_run count-uncached "$phase" count
echo "RSS after uncached count: $(rss) MB"
# Then as served (--count-cache 64): the fixed expression is evaluated once, every later count is a cache hit.
start_server 64
wrk_run count-cached "$phase" count
echo "RSS after cached count: $(rss) MB"
echo "soak: $soak s, 9 profiles to 1 count, RSS every 30 s"
( for ((t = 0; t <= soak; t += 30)); do echo "$t $(rss)"; sleep 30; done ) > "$out/rss.txt" &
sampler=$!
wrk_run soak "$soak" mixed
kill $sampler 2>/dev/null || true
echo "RSS over the soak (s MB): $(tr '\n' ' ' < "$out/rss.txt")"
echo "audit log: $(wc -l < "$out/audit.log") lines; $("$bin" audit verify "$out/audit.log" | sed 's/, head.*//')"
echo "load after: $(uptime)"
