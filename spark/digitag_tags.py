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

    rejects/part-*.csv the rows digitag rejects (source, file, line, field, reason), in its words.

The queries replay digitag's ingest validation (docs/spark.md): a row is used exactly when `digitag run`
accepts it, and the manifest counts read = accepted + rejected per source. Files compressed with zstd (.csv.zst) need Hadoop's native zstd codec; on a
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

def fail(message, status=2):
    print(f"digitag_tags: {message}", file=sys.stderr)
    sys.exit(status)


def is_local(path):
    return "://" not in path or path.startswith("file://")


def local_path(path):
    return path[len("file://"):] if path.startswith("file://") else path


def source_paths(spark, source, input_dir, scratch):
    """The files of one source, in digitag's order (by name), each as (the path digitag names it by, the path
    Spark reads): `<files>.csv` or `.csv.zst` and, when the source takes parts, `<files>-*.csv[.zst]`.

    On a local file system `.csv.zst` files are decompressed into `scratch` (plain pyspark has no zstd
    codec); elsewhere the files are listed with Hadoop's file system and read as they are.
    """
    base = source["files"]
    stem = os.path.basename(base)

    def wanted(name):
        plain = name[:-8] if name.endswith(".csv.zst") else name[:-4] if name.endswith(".csv") else None
        return plain is not None and (plain == stem or (source["parts"] and plain.startswith(stem + "-")))

    paths = []
    if not is_local(input_dir):
        folder = f"{input_dir.rstrip('/')}/{os.path.dirname(base)}"
        jvm = spark._jvm
        hadoop_folder = jvm.org.apache.hadoop.fs.Path(folder)
        fs = hadoop_folder.getFileSystem(spark._jsc.hadoopConfiguration())
        names = sorted(str(st.getPath().getName()) for st in fs.listStatus(hadoop_folder))
        paths = [(f"{folder}/{n}", f"{folder}/{n}") for n in names if wanted(n)]
    else:
        folder = os.path.join(local_path(input_dir), os.path.dirname(base))
        for name in sorted(os.listdir(folder)):
            if not wanted(name):
                continue
            path = os.path.join(folder, name)
            read = path
            if name.endswith(".zst"):
                os.makedirs(scratch, exist_ok=True)
                read = os.path.join(scratch, source["name"] + "--" + name[:-4])
                subprocess.run(["zstd", "-q", "-d", "-f", path, "-o", read], check=True)
            paths.append((path, read))
    if not paths:
        fail(f"no file for source {source['name']} ({base}.csv) in {input_dir}", 2)
    return paths


def header_of(spark, path, encoding, local):
    """The first record's fields of a CSV file: read here for a local file, else its first line through Spark."""
    import csv
    import io

    if local:
        with open(path, encoding="utf-8-sig" if encoding.lower() in ("utf-8", "utf8") else encoding, newline="") as f:
            return next(csv.reader(f), [])
    first = spark.read.option("encoding", encoding).text(path).limit(1).collect()
    return next(csv.reader(io.StringIO(first[0][0].lstrip("\ufeff") if first else "")), [])


def read_source(spark, source, paths, local):
    """The source's rows as text, as the generated SQL expects its view (`SQLSourceValidation`): header row
    included, columns c1 … cN, each record's file (`__file`, named as digitag names it), its place in the
    read (`__ord`: files in digitag's order, rows in file order) and its number of fields (`__fields`).

    Each file is read with as many columns as its header has: Spark marks a row with another number of
    fields as corrupt and keeps its text, whose fields (outside quotes) are counted here.
    """
    from pyspark.sql.functions import col, expr, lit, monotonically_increasing_id
    from pyspark.sql.types import StructType, StructField, StringType

    width = source["raw_columns"]
    encoding = source.get("encoding", "utf-8")
    frame = None
    for index, (named, read) in enumerate(paths):
        header = header_of(spark, read, encoding, local)
        columns = min(max(1, len(header)), width)
        schema = StructType([StructField(f"c{i}", StringType(), True) for i in range(1, columns + 1)]
                            + [StructField("__corrupt", StringType(), True)])
        part = (spark.read.schema(schema)
                .option("header", "false").option("mode", "PERMISSIVE").option("columnNameOfCorruptRecord", "__corrupt")
                .option("escape", '"').option("nullValue", "\u0001")
                .option("multiLine", "true" if source.get("multiline") else "false")
                .option("encoding", encoding).csv(read))
        for i in range(columns + 1, width + 1):
            part = part.withColumn(f"c{i}", lit(None).cast(StringType()))
        part = (part.withColumn("__file", lit(named))
                .withColumn("__ord", lit(index).cast("bigint") * lit(1 << 42) + monotonically_increasing_id())
                .withColumn("__fields", expr(
                    f"CASE WHEN __corrupt IS NULL THEN {columns} "
                    "ELSE size(split(regexp_replace(__corrupt, '\"([^\"]|\"\")*\"', ''), ',')) END")))
        part = part.select("__file", "__ord", "__fields", *[col(f"c{i}") for i in range(1, width + 1)])
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
        with open(os.path.join(args.job, "rejects.sql"), encoding="utf-8") as f:
            rejects_query = f.read().strip().rstrip(";")
        with open(os.path.join(args.job, "ledger.sql"), encoding="utf-8") as f:
            ledger_query = f.read().strip().rstrip(";")
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
    for source in job["sources"]:
        frame = read_source(spark, source, source_paths(spark, source, args.input, scratch), is_local(args.input))
        frame.createOrReplaceTempView(source["name"])
    # Ingest validation (job.json's "validation": SQLSourceValidation's relations, in order), each made a view
    # of its name and checkpointed: the queries then read small plans, not the validation inlined at every use.
    for step in job["validation"]:
        spark.sql(step["sql"]).localCheckpoint().createOrReplaceTempView("`" + step["name"] + "`")
    timings["validation"] = round(time.time() - started - sum(timings.values()), 2)
    # One job for every source's counts (ledger.sql: read, rejected, after the as-of date, as digitag counts them).
    rows = spark.sql(ledger_query).collect()
    by_source = {r["source"]: r for r in rows}
    timings["count"] = round(time.time() - started - sum(timings.values()), 2)

    tags = spark.sql(query)
    registration = next(s for s in job["sources"] if s.get("entity"))
    reg = by_source[registration["name"]]
    enterprises = reg["rows_read"] - reg["rows_rejected"] - reg["rows_after_as_of"]
    partitions = args.partitions or max(1, (enterprises + 199_999) // 200_000)
    (tags.repartitionByRange(partitions, "uscc").sortWithinPartitions("uscc")
     .write.mode("overwrite").option("header", "true").option("nullValue", "").option("emptyValue", "")
     .option("quoteAll", "false").option("escape", '"').csv(out + "/tags"))
    timings["tags"] = round(time.time() - started - sum(timings.values()), 2)
    # The rows digitag rejects, with its reasons (rejects.sql): one CSV, in source and read order.
    (spark.sql(rejects_query).coalesce(1)
     .write.mode("overwrite").option("header", "true").option("nullValue", "").option("emptyValue", "")
     .option("escape", '"').csv(out + "/rejects"))
    timings["rejects"] = round(time.time() - started - sum(timings.values()), 2)

    manifest = {
        "format": MANIFEST_FORMAT,
        "pipeline": job["pipeline"],
        "pipeline_hash": job["pipeline_hash"],
        "as_of": job["as_of"],
        "tags": job["tags"],
        "partitions": partitions,
        "sources": [
            {"source": s["name"], "rows_read": by_source[s["name"]]["rows_read"],
             "rows_accepted": by_source[s["name"]]["rows_read"] - by_source[s["name"]]["rows_rejected"],
             "rows_rejected": by_source[s["name"]]["rows_rejected"],
             "rows_after_as_of": by_source[s["name"]]["rows_after_as_of"]}
            for s in job["sources"]
        ],
        "spark_version": spark.version,
        "timings_seconds": timings,
    }
    text = json.dumps(manifest, indent=2, ensure_ascii=False) + "\n"
    if is_local(out):
        target = local_path(out)
        for folder in ("tags", "rejects"):
            for name in os.listdir(os.path.join(target, folder)):
                if name.startswith((".", "_")):  # Spark's _SUCCESS and .crc files: not parts
                    os.remove(os.path.join(target, folder, name))
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
