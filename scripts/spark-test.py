#!/usr/bin/env python3
"""The catalog on Spark equals the engine: Spark local[2] computes the tags, `digitag run --tags-from` publishes.

Run by `make test` (after `make spark-env`) with the project's .venv Python, which has pyspark:

    .venv/bin/python scripts/spark-test.py --bin .build/debug/digitag --scratch .build/test-tmp/spark-test

On generated enterprises (clean deliveries: the Spark job does not replay ingest validation, docs/spark.md):
a native `digitag run`; `digitag spark-job`; spark/digitag_tags.py in local[2]; `digitag run --tags-from`
its output. classes.csv, tags.csv, the profile store and a drawn sample must be the same bytes, and the
Spark manifest's rows per source the native run's. Prints the time of each step; exit 0 when all agree.
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


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bin", default=os.path.join(ROOT, ".build/debug/digitag"))
    parser.add_argument("--scratch", default=os.path.join(ROOT, ".build/test-tmp/spark-test"))
    parser.add_argument("--enterprises", type=int, default=1000)
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
    step("generate", [binary, "generate", "--enterprises", str(args.enterprises), "--seed", "7", "--as-of", AS_OF, "--out", data])
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

    for f in ("classes.csv", "tags.csv", "store/profile.dts"):
        same(os.path.join(native_run, f), os.path.join(spark_run, f), f)
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
    parts = [p for p in os.listdir(os.path.join(tags, "tags")) if p.endswith(".csv")]
    if len(parts) != 3:
        problems.append(f"expected 3 tag parts (--partitions 3), found {len(parts)}")

    print("spark-test: " + ", ".join(f"{k} {v:.1f} s" for k, v in timings.items()))
    print(f"spark-test: Spark job's own timings: {spark_manifest.get('timings_seconds')}")
    if problems:
        print("spark-test: FAILED\n  " + "\n  ".join(problems) + f"\n  (kept: {scratch})", file=sys.stderr)
        sys.exit(1)
    print(f"spark-test: classes.csv, tags.csv, store and sample identical ({native_manifest['enterprises']} enterprises, "
          f"{native_manifest['tags']} tags, {len(parts)} parts from Spark {spark_manifest.get('spark_version')})")
    if not args.keep:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
