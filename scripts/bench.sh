#!/usr/bin/env bash
# `make bench`: the issue-6 benchmark. For each size in BENCH_SIZES (enterprises):
#   1. generate the input once (cached in $BENCH_DIR/g<size>; tax filings in 8 part files);
#   2. libcsv alone over the inputs (`digitag tokenize`): the tokenizing floor;
#   3. `digitag run` under /usr/bin/time -v: wall, CPU, peak RSS; per-stage numbers from its manifest
#      (a nightly run as deployed: above 100,000 enterprises it writes no tags.csv, `--tags-csv auto`);
#   4. `digitag export tags` of the whole run (what a tool asking for the CSV pays, on demand), timed;
#   5. DuckDB computing the same tags from `digitag tags sql` over the same files, timed, under
#      /usr/bin/time -v too, then every cell compared with the exported tags.
# Prints a Markdown table per size (paste into BENCHMARKS.md) and keeps raw logs in $BENCH_DIR.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin="${BENCH_BIN:-$root/.build/release/digitag}"   # BENCH_BIN= another build, to compare two
sizes="${BENCH_SIZES:-1000000 3000000}"
dir="${BENCH_DIR:-$root/.bench}"
as_of=2024-12-31
duckdb_max="${BENCH_DUCKDB_MAX:-1000000}"   # DuckDB is run up to this size (3M takes very long)
mkdir -p "$dir"

elapsed() { # seconds from /usr/bin/time -v's "Elapsed (wall clock) time (h:mm:ss or m:ss): 1:02.03"
  awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,p,":"); s=0; for(i=1;i<=n;i++) s=s*60+p[i]; print s}' "$1"
}
field() { awk -F': ' -v k="$2" '$1 ~ k {print $2}' "$1" | head -1; }

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "digitag: commit $(cd "$root" && git rev-parse --short HEAD 2>/dev/null || echo unknown), release build"
for n in $sizes; do
  input="$dir/g$n"
  if [ ! -f "$input/.complete" ]; then
    echo "generating $n enterprises into $input"
    rm -rf "$input"
    "$bin" generate --enterprises "$n" --out "$input" --filings-parts 8 --pipelines "$root/Pipelines" > "$dir/generate-$n.log"
    touch "$input/.complete"
  fi
  stored_mb=$(du -sm --exclude=inspectors.csv "$input" | cut -f1)

  /usr/bin/time -v "$bin" tokenize --pipeline "$root/Pipelines/shandong.yaml" --input "$input" \
    > "$dir/tokenize-$n.out" 2> "$dir/tokenize-$n.log"
  tok=$(cat "$dir/tokenize-$n.out")
  tok_cpu=$(awk -F': ' '/User time|System time/ {s+=$2} END {print s}' "$dir/tokenize-$n.log")
  tok_s=$(sed -E 's/.* ([0-9.]+) s \(.*/\1/' <<<"$tok")
  csv_mb=$(sed -E 's/.*CSV ([0-9.]+) MB.*/\1/' <<<"$tok")
  rows=$(sed -E 's/.*rows ([0-9]+),.*/\1/' <<<"$tok")

  out="$dir/runs-$n"
  rm -rf "$out"
  /usr/bin/time -v "$bin" run --pipeline "$root/Pipelines/shandong.yaml" --input "$input" --as-of "$as_of" --out "$out" \
    > "$dir/run-$n.out" 2> "$dir/run-$n.log"
  run_s=$(elapsed "$dir/run-$n.log")
  run_cpu=$(awk -F': ' '/User time|System time/ {s+=$2} END {print s}' "$dir/run-$n.log")
  run_rss_kb=$(field "$dir/run-$n.log" "Maximum resident")
  manifest="$out/current/manifest.json"
  /usr/bin/time -v "$bin" export tags --run "$out/current" --out "$dir/engine-tags-$n.csv" > /dev/null 2> "$dir/export-$n.log"
  export_s=$(elapsed "$dir/export-$n.log")
  export_cpu=$(awk -F': ' '/User time|System time/ {s+=$2} END {print s}' "$dir/export-$n.log")

  echo
  echo "### $n enterprises"
  echo
  echo "Input: $stored_mb MB stored, $csv_mb MB of CSV, $rows rows (header rows included), $(ls "$input"/tax/filings-* | wc -l) tax filing parts."
  echo
  echo "| stage | wall s | CPU s | rows/s | MB/s of CSV | peak RSS so far |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: |"
  python3 - "$manifest" "$rows" "$csv_mb" <<'PY'
import json, sys
m = json.load(open(sys.argv[1])); rows = int(sys.argv[2]); mb = float(sys.argv[3])
for s in m.get("stages", []):
    w = s["wall_seconds"]
    rate = f"{rows / w / 1e6:.2f} M" if s["stage"] == "ingest" and w > 0 else ""
    mbs = f"{mb / w:.0f}" if s["stage"] == "ingest" and w > 0 else ""
    print(f"| {s['stage']} | {w:.1f} | {s['cpu_seconds']:.1f} | {rate} | {mbs} | {s['peak_rss_bytes'] / 2**30:.2f} GiB |")
print(f"| **run total** | | | | | shards: {m['shards']}, spilled {m.get('spill_bytes', 0) / 1e6:.0f} MB |")
PY
  echo
  echo "| what | wall s | CPU s | peak RSS | vs run |"
  echo "| --- | ---: | ---: | ---: | ---: |"
  tags_note=$(grep -q '"tags.csv"' "$manifest" && echo "writes tags.csv" || echo "no tags.csv: --tags-csv auto")
  printf "| digitag run (ingest → tags → classes → store; %s) | %.1f | %.1f | %.2f GiB | 1.00 |\n" "$tags_note" "$run_s" "$run_cpu" "$(awk "BEGIN {print $run_rss_kb / 1048576}")"
  printf "| digitag export tags, the whole run as tags.csv (on demand, not part of the run) | %.1f | %.1f | | |\n" "$export_s" "$export_cpu"
  printf "| libcsv alone over the same files (digitag tokenize) | %.1f | %.1f | | run is %.2f× of it (CPU %.2f×) |\n" \
    "$tok_s" "$tok_cpu" "$(awk "BEGIN {print $run_s / $tok_s}")" "$(awk "BEGIN {print $run_cpu / $tok_cpu}")"

  if [ "$n" -le "$duckdb_max" ]; then
    "$bin" tags sql --pipeline "$root/Pipelines/shandong.yaml" --input "$input" --as-of "$as_of" --out "$dir/tags-$n.sql" > /dev/null
    /usr/bin/time -v "$root/.venv/bin/python" "$root/scripts/bench_compare.py" "$dir/tags-$n.sql" "$dir/duckdb-tags-$n.csv" \
      "$dir/engine-tags-$n.csv" "$out/current/tag_catalog.csv" > "$dir/duckdb-$n.json" 2> "$dir/duckdb-$n.log"
    duck_s=$(python3 -c "import json,sys; print(json.load(open('$dir/duckdb-$n.json'))['duckdb_seconds'])")
    duck_rss_kb=$(python3 -c "import json; print(json.load(open('$dir/duckdb-$n.json'))['duckdb_peak_rss_bytes'] // 1024)")
    duck_cpu=$(python3 -c "import json; print(json.load(open('$dir/duckdb-$n.json'))['duckdb_cpu_seconds'])")
    printf "| DuckDB 2.0, same tags from \`digitag tags sql\` (query + COPY to CSV) | %.1f | %.1f | %.2f GiB | DuckDB takes %.2f× as long |\n" \
      "$duck_s" "$duck_cpu" "$(awk "BEGIN {print $duck_rss_kb / 1048576}")" "$(awk "BEGIN {print $duck_s / $run_s}")"
    echo
    python3 -c "import json; d=json.load(open('$dir/duckdb-$n.json')); print(f\"Values: {d['compared_cells']:,} cells compared, {d['mismatched_cells']:,} mismatched, {d['uscc_mismatches']} USCC/row-order differences (DuckDB {d['duckdb_rows']:,} rows, engine {d['engine_rows']:,}).\")"
  else
    echo
    echo "(DuckDB not run at this size: BENCH_DUCKDB_MAX=$duckdb_max)"
  fi
done
