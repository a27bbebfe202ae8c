"""DuckDB side of `make bench`: compute the tags with `digitag tags sql`, time it, and compare with the run.

Usage: bench_compare.py QUERY_FILE DUCKDB_OUT.csv ENGINE_TAGS.csv TAG_CATALOG.csv
Prints one JSON object: duckdb_seconds, compared_cells, mismatched_cells, mismatches (first few).

Comparison (as in Tests/OracleTests): same USCCs in the same order; every cell equal as text, or, for
numeric tags, within one unit of the 4th decimal (both round to 4 decimals, and a quotient whose 5th
decimal is a 5 can round either way in binary: 0.37125 gives 0.3712 in one and 0.3713 in the other) or
1e-6 relative. Empty cells are NULL on both sides.
"""
import csv, json, resource, sys, time
import duckdb

query_file, duck_out, engine_tags, catalog = sys.argv[1:5]
query = open(query_file, encoding="utf-8").read().strip()
if query.endswith(";"):
    query = query[:-1]

con = duckdb.connect()
con.execute("SET enable_progress_bar = false")
con.execute("SET preserve_insertion_order = true")
def cpu():
    u = resource.getrusage(resource.RUSAGE_SELF)
    return u.ru_utime + u.ru_stime

start, cpu_start = time.perf_counter(), cpu()
con.execute("COPY (\n" + query + "\n) TO '" + duck_out.replace("'", "''") + "' (HEADER, DELIMITER ',')")
duck_seconds = time.perf_counter() - start
duck_cpu = cpu() - cpu_start
duck_peak_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # Linux: kilobytes

with open(catalog, encoding="utf-8-sig") as f:
    rows = list(csv.DictReader(f))
numeric = {r["id"] for r in rows if r.get("type") == "numeric"}
ids = [r["id"] for r in rows]

def q(name):
    return '"' + name.replace('"', '""') + '"'

def read(path, alias):
    return (f"(SELECT row_number() OVER () AS rn, * FROM read_csv('{path}', all_varchar = true, header = true, "
            f"nullstr = '', quote = '\"', escape = '\"', sample_size = -1, max_line_size = 10000000)) {alias}")

checks = []
for t in ids:
    e, d = f"e.{q(t)}", f"d.{q(t)}"
    if t in numeric:
        ok = (f"({e} IS NOT DISTINCT FROM {d} OR abs(TRY_CAST({e} AS DOUBLE) - TRY_CAST({d} AS DOUBLE)) "
              f"<= greatest(1.000001e-4, 1e-6 * abs(TRY_CAST({d} AS DOUBLE))))")
    else:
        ok = f"({e} IS NOT DISTINCT FROM {d})"
    checks.append(f"CASE WHEN {ok} THEN 0 ELSE 1 END")

start = time.perf_counter()
# Sum in chunks of columns: one expression of 1,000+ terms is slow to bind.
mismatched_by_tag = {}
chunk = 200
total_rows = con.execute(f"SELECT count(*) FROM {read(engine_tags, 'e')}").fetchone()[0]
duck_rows = con.execute(f"SELECT count(*) FROM {read(duck_out, 'd')}").fetchone()[0]
key_mismatch = con.execute(
    f"SELECT count(*) FROM {read(engine_tags, 'e')} FULL JOIN {read(duck_out, 'd')} USING (rn) "
    f"WHERE e.uscc IS DISTINCT FROM d.uscc").fetchone()[0]
for i in range(0, len(ids), chunk):
    part = ids[i:i + chunk]
    sums = ", ".join(f"sum({c})" for c in checks[i:i + chunk])
    row = con.execute(f"SELECT {sums} FROM {read(engine_tags, 'e')} JOIN {read(duck_out, 'd')} USING (rn)").fetchone()
    for t, n in zip(part, row):
        if n:
            mismatched_by_tag[t] = int(n)
compare_seconds = time.perf_counter() - start
print(json.dumps({
    "duckdb_seconds": round(duck_seconds, 3),
    "duckdb_cpu_seconds": round(duck_cpu, 3),
    "duckdb_peak_rss_bytes": duck_peak_rss,
    "compare_seconds": round(compare_seconds, 3),
    "engine_rows": total_rows, "duckdb_rows": duck_rows, "uscc_mismatches": key_mismatch,
    "compared_cells": total_rows * len(ids),
    "mismatched_cells": sum(mismatched_by_tag.values()),
    "mismatched_tags": dict(list(mismatched_by_tag.items())[:10]),
}))
