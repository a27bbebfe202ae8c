#!/usr/bin/env python3
"""The catalog on Spark equals the engine: Spark local[2] computes the tags, `digitag run --tags-from` publishes.

Run by `make test` (after `make spark-env`) with the project's .venv Python, which has pyspark:

    .venv/bin/python scripts/spark-test.py --bin .build/debug/digitag --scratch .build/test-tmp/spark-test

On SampleData, with its hand-made bad rows (or `--enterprises N` generated ones): a native `digitag run`;
`digitag spark-job`; spark/digitag_tags.py in local[2]; `digitag run --tags-from` its output. classes.csv,
tags.csv, the profile store and a drawn sample must be the same bytes, the Spark manifest's rows per source
(read, accepted, rejected) the native run's, and Spark's rejects the native run's rejects files (source, file,
line, field, reason). When the store differs, the columns and values that differ
are listed (a sum added in another order than the engine's differs in its last bits: 101046.19000000002
against 101046.19). Prints the time of each step; exit 0 when all agree.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
AS_OF = "2024-12-31"


def store_differences(a_path, b_path, problems):
    """Says where two profile stores (docs/STORE-FORMAT.md) differ, block by block: returns {column: values
    differing in their last bits}; anything else (metadata, encodings, a value beyond 1e-9 relative) is added
    to `problems`."""
    import struct

    def load(path):
        with open(path, "rb") as f:
            data = f.read()
        meta_offset, meta_length, dir_offset, dir_length = struct.unpack("<QQQQ", data[-48:-16])
        meta = json.loads(zstd(data[meta_offset:meta_offset + meta_length]))
        d = data[dir_offset:dir_offset + dir_length]
        return data, meta, [struct.unpack("<QIIIBBHq", d[i:i + 32]) for i in range(0, len(d), 32)]

    def zstd(frame):
        return subprocess.run(["zstd", "-dc"], input=frame, capture_output=True, check=True).stdout

    a, meta_a, entries_a = load(a_path)
    b, meta_b, entries_b = load(b_path)
    if meta_a != meta_b:
        problems.append("store metadata differs")
        return {}
    groups = meta_a["groupCount"]
    differing = {}
    for c, column in enumerate(meta_a["columns"]):
        for g in range(groups):
            x, y = entries_a[c * groups + g], entries_b[c * groups + g]
            if a[x[0]:x[0] + x[1]] == b[y[0]:y[0] + y[1]]:
                continue
            raw_a, raw_b = zstd(a[x[0]:x[0] + x[1]]), zstd(b[y[0]:y[0] + y[1]])
            if x[4] != 2 or y[4] != 2 or len(raw_a) != len(raw_b):  # 2: doubles
                problems.append(f"store column {column['name']} differs beyond floating-point sums (encoding {x[4]}/{y[4]})")
                continue
            va = struct.unpack(f"<{len(raw_a) // 8}d", raw_a)
            vb = struct.unpack(f"<{len(raw_b) // 8}d", raw_b)
            for p, q in zip(va, vb):
                if p == q or (p != p and q != q):
                    continue
                if not abs(p - q) <= 1e-9 * max(abs(p), abs(q)):
                    problems.append(f"store column {column['name']}: {p!r} against {q!r}")
                    break
                differing[column["name"]] = differing.get(column["name"], 0) + 1
    return differing


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bin", default=os.path.join(ROOT, ".build/debug/digitag"))
    parser.add_argument("--scratch", default=os.path.join(ROOT, ".build/test-tmp/spark-test"))
    parser.add_argument("--enterprises", type=int, default=0, help="generated enterprises instead of SampleData")
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder even when everything agrees")
    args = parser.parse_args()
    binary = os.path.abspath(args.bin)
    scratch = os.path.abspath(args.scratch)
    shutil.rmtree(scratch, ignore_errors=True)
    os.makedirs(scratch)
    pipeline = os.path.join(ROOT, "Pipelines/shandong.yaml")
    timings = {}

    def step(name, command, **kw):
        started = time.time()
        r = subprocess.run(command, capture_output=True, text=True, **kw)
        timings[name] = time.time() - started
        if r.returncode != 0:
            print(f"spark-test: {name} failed (exit {r.returncode}): {' '.join(command)}\n{r.stdout[-3000:]}\n{r.stderr[-3000:]}",
                  file=sys.stderr)
            sys.exit(1)
        return r

    data = os.path.join(scratch, "input")
    if args.enterprises:
        step("generate", [binary, "generate", "--enterprises", str(args.enterprises), "--seed", "7", "--as-of", AS_OF, "--out", data])
    else:
        shutil.copytree(os.path.join(ROOT, "SampleData"), data)
    step("native run", [binary, "run", "--pipeline", pipeline, "--input", data, "--as-of", AS_OF,
                        "--out", os.path.join(scratch, "native")])
    job = os.path.join(scratch, "job")
    step("spark-job", [binary, "spark-job", "--pipeline", pipeline, "--as-of", AS_OF, "--out", job])
    tags = os.path.join(scratch, "tags")
    spark = step("spark", [sys.executable, os.path.join(ROOT, "spark/digitag_tags.py"), "--job", job, "--input", data,
                           "--out", tags, "--master", "local[2]", "--partitions", "3"])
    step("run --tags-from", [binary, "run", "--pipeline", pipeline, "--input", data, "--as-of", AS_OF,
                             "--out", os.path.join(scratch, "spark"), "--tags-from", tags])
    native_run = os.path.join(scratch, "native", AS_OF)
    spark_run = os.path.join(scratch, "spark", AS_OF)
    for name, run in (("native", native_run), ("spark", spark_run)):
        step(f"sample ({name})", [binary, "sample", "--run", run, "--out", os.path.join(scratch, f"sample-{name}")])

    problems = []

    def same(a, b, what):
        with open(a, "rb") as fa, open(b, "rb") as fb:
            if fa.read() != fb.read():
                problems.append(f"{what} differs: {a} vs {b}")

    for f in ("classes.csv", "tags.csv"):
        same(os.path.join(native_run, f), os.path.join(spark_run, f), f)
    stores = (os.path.join(native_run, "store/profile.dts"), os.path.join(spark_run, "store/profile.dts"))
    with open(stores[0], "rb") as fa, open(stores[1], "rb") as fb:
        if fa.read() != fb.read():
            last_bits = store_differences(*stores, problems)
            problems.append("store/profile.dts differs" + (f": last bits of {sum(last_bits.values())} values in "
                                                           f"{', '.join(sorted(last_bits))}" if last_bits else ""))
    for f in ("plan.csv", "notice.csv", "ledger.csv"):
        same(os.path.join(scratch, "sample-native", f), os.path.join(scratch, "sample-spark", f), f"sample {f}")
    with open(os.path.join(native_run, "manifest.json"), encoding="utf-8") as f:
        native_manifest = json.load(f)
    with open(os.path.join(tags, "manifest.json"), encoding="utf-8") as f:
        spark_manifest = json.load(f)
    native_rows = {s["source"]: (s["rows_read"], s["rows_accepted"], s["rows_rejected"]) for s in native_manifest["sources"]}
    for s in spark_manifest["sources"]:
        if s["rows_read"] != s["rows_accepted"] + s["rows_rejected"]:
            problems.append(f"spark manifest {s['source']}: read != accepted + rejected")
        if native_rows.get(s["source"]) != (s["rows_read"], s["rows_accepted"], s["rows_rejected"]):
            problems.append(f"rows of {s['source']}: native {native_rows.get(s['source'])}, spark "
                            f"{(s['rows_read'], s['rows_accepted'], s['rows_rejected'])}")
    import csv

    def rows(path, prefix):
        with open(path, encoding="utf-8", newline="") as f:
            return [tuple(prefix + r[:5 - len(prefix)]) for r in list(csv.reader(f))[1:]]

    native_rejects = set()
    for name in os.listdir(os.path.join(native_run, "rejects")):
        if name.endswith(".csv"):
            native_rejects |= set(rows(os.path.join(native_run, "rejects", name), [name[:-4]]))
    spark_rejects = set()
    for name in os.listdir(os.path.join(tags, "rejects")):
        if name.endswith(".csv"):
            spark_rejects |= set(rows(os.path.join(tags, "rejects", name), []))
    if native_rejects != spark_rejects:
        problems.append(f"rejects differ: only native {sorted(native_rejects - spark_rejects)[:5]}, "
                        f"only Spark {sorted(spark_rejects - native_rejects)[:5]}")
    parts = [p for p in os.listdir(os.path.join(tags, "tags")) if p.endswith(".csv")]
    if len(parts) != 3:
        problems.append(f"expected 3 tag parts (--partitions 3), found {len(parts)}")

    print("spark-test: " + ", ".join(f"{k} {v:.1f} s" for k, v in timings.items()))
    print(f"spark-test: Spark job's own timings: {spark_manifest.get('timings_seconds')}")
    if problems:
        print("spark-test: FAILED\n  " + "\n  ".join(problems) + f"\n  (kept: {scratch})", file=sys.stderr)
        sys.exit(1)
    print(f"spark-test: {len(native_rejects)} rejects identical; classes.csv, tags.csv, store and sample identical ({native_manifest['enterprises']} enterprises, "
          f"{native_manifest['tags']} tags, {len(parts)} parts from Spark {spark_manifest.get('spark_version')})")
    if not args.keep:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
