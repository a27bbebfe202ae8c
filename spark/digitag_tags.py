#!/usr/bin/env python3
"""The digitag tag catalog on Apache Spark: every tag of every enterprise, for `digitag run --tags-from`.

    digitag spark-job --pipeline Pipelines/shandong.yaml --as-of 2024-12-31 --out job
    spark-submit spark/digitag_tags.py --job job --input hdfs:///drops/2024-12-31 --out hdfs:///tags/2024-12-31

JOB is what `digitag spark-job` wrote: job.json (the sources, their columns and types, the pipeline hash,
the as-of date, the tag ids) and tags.sql (the catalog as one Spark SQL query, `digitag tags sql --dialect
spark`). INPUT has the layout `digitag run` reads (market/, tax/, credit/: <files>.csv and parts
<files>-*.csv), on any file system Spark reads. OUT receives

    tags/part-*.csv   the columns of tags.csv (uscc, then every tag id), a header in each part, the parts
                      partitioned by USCC range and sorted within; part names sort in USCC order. Numbers are
                      written in full precision, so digitag scores the same doubles it would have computed.
    manifest.json     format, pipeline hash, as-of date, tag ids, rows per source (read = accepted +
                      rejected), Spark's version and the job's timings. Written last: a directory without it is
                      an unfinished job, and `digitag run --tags-from` refuses it.

The query does not replay digitag's ingest validation (docs/spark.md): on a delivery with rows digitag would
reject, run `digitag run` itself. Files compressed with zstd (.csv.zst) need Hadoop's native zstd codec; on a
local file system without it, this job decompresses them next to OUT first.

Only the Python standard library and pyspark. Exit status 0 when OUT is complete, 2 on wrong usage or a job
directory that does not fit, 1 when Spark fails.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import time

MANIFEST_FORMAT = "digitag-tags/1"
JOB_FORMAT = "digitag-spark-job/1"

# The Spark type of each read type `digitag spark-job` writes (SQLField.readType).
SPARK_TYPES = {"VARCHAR": "STRING", "DATE": "DATE", "BIGINT": "BIGINT", "DOUBLE": "DOUBLE", "INTEGER": "INT"}


def fail(message, status=2):
    print(f"digitag_tags: {message}", file=sys.stderr)
    sys.exit(status)


def is_local(path):
    return "://" not in path or path.startswith("file://")


def local_path(path):
    return path[len("file://"):] if path.startswith("file://") else path


def source_paths(source, input_dir, scratch):
    """The files of one source as Spark reads them: a glob for `<files>.csv` and its parts.

    On a local file system the files are listed here (cheap, and `.csv.zst` parts are decompressed into
    `scratch`, as plain pyspark has no zstd codec); elsewhere a glob is handed to Spark.
    """
    base = source["files"]
    if not is_local(input_dir):
        pattern = f"{base}{{,-*}}.csv" if source["parts"] else f"{base}.csv"
        return [f"{input_dir.rstrip('/')}/{pattern}"]
    root = local_path(input_dir)
    folder = os.path.join(root, os.path.dirname(base))
    stem = os.path.basename(base)
    paths = []
    for name in sorted(os.listdir(folder)):
        plain = name[:-8] if name.endswith(".csv.zst") else name[:-4] if name.endswith(".csv") else None
        if plain is None or not (plain == stem or (source["parts"] and plain.startswith(stem + "-"))):
            continue
        path = os.path.join(folder, name)
        if name.endswith(".zst"):
            os.makedirs(scratch, exist_ok=True)
            target = os.path.join(scratch, source["name"] + "--" + name[:-4])
            subprocess.run(["zstd", "-q", "-d", "-f", path, "-o", target], check=True)
            path = target
        paths.append(path)
    if not paths:
        fail(f"no file for source {source['name']} ({base}.csv) in {input_dir}", 2)
    return paths


def schema_of(source, header=None):
    """The source's columns as a Spark schema, in the order of `header` when the file's header is known.

    digitag matches columns by name, in any order, and ignores extra ones: a file whose header differs from
    the schema's order is read with a schema in its own order (extra columns as strings, dropped later).
    """
    from pyspark.sql.types import StructType, StructField, StringType, DateType, LongType, DoubleType, IntegerType

    make = {"STRING": StringType, "DATE": DateType, "BIGINT": LongType, "DOUBLE": DoubleType, "INT": IntegerType}
    types = {c["name"]: make[SPARK_TYPES[c["type"]]]() for c in source["columns"]}
    names = header if header is not None else [c["name"] for c in source["columns"]]
    return StructType([StructField(n, types.get(n, StringType()), True) for n in names])


def local_header(path, encoding):
    """The first record's fields of a local CSV file (no Spark action: a few bytes read here)."""
    import csv

    with open(path, encoding="utf-8-sig" if encoding.lower() in ("utf-8", "utf8") else encoding, newline="") as f:
        return next(csv.reader(f), [])


def read_source(spark, source, paths, local):
    """One DataFrame of the source's rows, columns as the schema names them; one read per column order."""
    def reader(schema):
        return (spark.read.schema(schema)
                .option("header", "true").option("enforceSchema", "false")
                .option("mode", "FAILFAST").option("dateFormat", "yyyy-MM-dd").option("escape", '"')
                .option("multiLine", "true" if source.get("multiline") else "false")
                .option("encoding", source.get("encoding", "utf-8")))

    from pyspark.sql.functions import input_file_name, monotonically_increasing_id

    def ordered(frame):
        # The record's file and position in it: sums add records in this order, as digitag does.
        return frame.withColumn("__file", input_file_name()).withColumn("__row", monotonically_increasing_id())

    names = [c["name"] for c in source["columns"]]
    if not local:
        return ordered(reader(schema_of(source)).csv(paths))
    groups = {}
    for p in paths:
        groups.setdefault(tuple(local_header(p, source.get("encoding", "utf-8"))), []).append(p)
    frame = None
    for header, files in groups.items():
        missing = [n for n in names if n not in header]
        part = ordered(reader(schema_of(source, list(header))).csv(files))
        from pyspark.sql.functions import lit

        for n in missing:  # optional columns a file lacks read as empty, as in digitag
            part = part.withColumn(n, lit(None).cast(schema_of(source)[n].dataType))
        part = part.select(*names, "__file", "__row")
        frame = part if frame is None else frame.unionByName(part)
    return frame


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--job", required=True, help="the directory `digitag spark-job --out` wrote")
    parser.add_argument("--input", required=True, help="the input directory (market/, tax/, credit/)")
    parser.add_argument("--out", required=True, help="where tags/ and manifest.json go (replaced if present)")
    parser.add_argument("--partitions", type=int, default=0,
                        help="tag parts to write, by USCC range (default: about one per 200,000 enterprises, at least 1)")
    parser.add_argument("--master", default=None, help="Spark master when not given by spark-submit (e.g. local[2])")
    args = parser.parse_args()

    try:
        with open(os.path.join(args.job, "job.json"), encoding="utf-8") as f:
            job = json.load(f)
        with open(os.path.join(args.job, "tags.sql"), encoding="utf-8") as f:
            query = f.read().strip().rstrip(";")
    except OSError as e:
        fail(f"cannot read the job directory {args.job}: {e}")
    if job.get("format") != JOB_FORMAT:
        fail(f"{args.job}/job.json: format {job.get('format')!r}, expected {JOB_FORMAT!r} (made by another digitag version?)")

    started = time.time()
    timings = {}
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.appName(f"digitag tags as of {job['as_of']}")
    if args.master:
        builder = builder.master(args.master)
    # ANSI mode (Spark 4's default) with double-quoted identifiers: the query quotes tag ids like "market.x".
    builder = (builder.config("spark.sql.ansi.enabled", "true")
               .config("spark.sql.ansi.doubleQuotedIdentifiers", "true")
               .config("spark.sql.session.timeZone", "UTC"))
    if args.master and args.master.startswith("local"):
        builder = builder.config("spark.sql.shuffle.partitions", "4").config("spark.ui.enabled", "false")
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    timings["start"] = round(time.time() - started, 2)

    out = args.out.rstrip("/")
    scratch = local_path(out) + ".decompressed" if is_local(out) else None
    counts = []
    for source in job["sources"]:
        frame = read_source(spark, source, source_paths(source, args.input, scratch), is_local(args.input))
        frame.createOrReplaceTempView(source["name"])
        event = source["event_date"]
        column = f'"{event}"' if next(c for c in source["columns"] if c["name"] == event)["type"] == "DATE" else \
            f'CAST("{event}" || \'-01\' AS DATE)'
        counts.append(f"SELECT '{source['name']}' AS source, count(*) AS rows_read, "
                      f"count_if({column} > DATE '{job['as_of']}') AS rows_after_as_of FROM \"{source['name']}\"")
    # One job for every source's counts, not one action per source or per file.
    rows = spark.sql(" UNION ALL ".join(counts)).collect()
    by_source = {r["source"]: r for r in rows}
    timings["count"] = round(time.time() - started - sum(timings.values()), 2)

    tags = spark.sql(query)
    registration = next(s for s in job["sources"] if s.get("entity"))
    enterprises = by_source[registration["name"]]["rows_read"] - by_source[registration["name"]]["rows_after_as_of"]
    partitions = args.partitions or max(1, (enterprises + 199_999) // 200_000)
    (tags.repartitionByRange(partitions, "uscc").sortWithinPartitions("uscc")
     .write.mode("overwrite").option("header", "true").option("nullValue", "").option("emptyValue", "")
     .option("quoteAll", "false").option("escape", '"').csv(out + "/tags"))
    timings["tags"] = round(time.time() - started - sum(timings.values()), 2)

    manifest = {
        "format": MANIFEST_FORMAT,
        "pipeline": job["pipeline"],
        "pipeline_hash": job["pipeline_hash"],
        "as_of": job["as_of"],
        "tags": job["tags"],
        "partitions": partitions,
        "sources": [
            {"source": s["name"], "rows_read": by_source[s["name"]]["rows_read"],
             "rows_accepted": by_source[s["name"]]["rows_read"], "rows_rejected": 0,
             "rows_after_as_of": by_source[s["name"]]["rows_after_as_of"]}
            for s in job["sources"]
        ],
        "spark_version": spark.version,
        "timings_seconds": timings,
    }
    text = json.dumps(manifest, indent=2, ensure_ascii=False) + "\n"
    if is_local(out):
        target = local_path(out)
        for name in os.listdir(os.path.join(target, "tags")):
            if name.startswith((".", "_")):  # Spark's _SUCCESS and .crc files: not tag parts
                os.remove(os.path.join(target, "tags", name))
        with open(os.path.join(target, "manifest.json.tmp"), "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(os.path.join(target, "manifest.json.tmp"), os.path.join(target, "manifest.json"))
        if scratch and os.path.isdir(scratch):
            shutil.rmtree(scratch)
    else:
        spark.sparkContext.parallelize([text], 1).saveAsTextFile(out + "/manifest.json.d")
        print(f"manifest written to {out}/manifest.json.d/part-00000: rename it to {out}/manifest.json", file=sys.stderr)
    spark.stop()
    print(f"tags of {enterprises} enterprises as of {job['as_of']} in {out}/tags ({partitions} parts); "
          f"{round(time.time() - started, 1)} s", file=sys.stderr)


if __name__ == "__main__":
    main()
