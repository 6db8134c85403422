"""`rasid batch`: the pipeline on Apache Spark, from input files to Parquet tables.

Inputs (local paths or any URI the Spark installation reads: ``file://``, ``hdfs://``,
``s3a://``), listed recursively through Hadoop's FileSystem: JSON Lines (one record per
line, line numbers kept), Parquet (one record per row, row numbers kept) and whole files
of the other kinds rasid reads (WARC, HTML, text); a file that cannot be read becomes a
rejected row. The raw records are spread over the cluster, analysed in
``mapPartitions`` by the same registered stages as `rasid ingest` (`analyse`), and the
tables of `docs/batch.md` are derived with Spark: near-duplicates with MinHash LSH,
stories as connected components of a similarity join, entities by a group-by over the
whole input. Ids are content-derived, so a re-run writes the same tables.
"""
from __future__ import annotations

import os
import sys
import time
from pathlib import PurePosixPath
from typing import Any

from ..stages import DEFAULT_STAGES

NEAR_DUPLICATE = 0.75  # Jaccard of 5-character shingles (as `rasid.stories.neardup`)
STORY_SIMILARITY = 0.25  # Jaccard of content words, published within STORY_DAYS
STORY_DAYS = 3
STORY_ROUNDS = 30
TABLES = ("articles", "mentions", "entities", "places", "dates", "events", "near_duplicates",
          "stories", "rejected")


class BatchError(Exception):
    def __init__(self, message: str, code: int = 2):
        super().__init__(message)
        self.code = code


def start_spark(master: str | None = None) -> Any:
    """A SparkSession: `master`, else spark-submit's, else ``local[*]``; no web UI; UTC."""
    from pyspark import SparkConf
    from pyspark.sql import SparkSession

    conf = SparkConf()
    master = master or conf.get("spark.master", None) or "local[*]"
    builder = SparkSession.builder.master(master).appName("rasid batch")
    if master.startswith("local"):
        # loopback, not the first interface's address; and the Python workers run this
        # interpreter (the one rasid is installed in), not whatever `python3` is on PATH:
        # PySpark reads both from the environment when the session starts
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    return (builder
            .config("spark.ui.enabled", "false")
            .config("spark.sql.session.timeZone", "UTC")
            .config("spark.python.worker.reuse", "true")
            .config("spark.ui.showConsoleProgress", "false")
            .getOrCreate())


def list_input_files(spark: Any, inputs: list[str]) -> list[str]:
    """Every file under the inputs (recursively; hidden and ``_`` files skipped), sorted."""
    from py4j.protocol import Py4JJavaError

    jvm, conf = spark._jvm, spark._jsc.hadoopConfiguration()
    found: list[str] = []
    for item in inputs:
        # any URI goes to Hadoop's FileSystem as it is: the installation decides what it reads
        try:
            path = jvm.org.apache.hadoop.fs.Path(item)
            fs = path.getFileSystem(conf)
            if not fs.exists(path):
                raise BatchError(f"{item}: no such file or directory", 3)
            files = fs.listFiles(path, True)
            while files.hasNext():
                name = files.next().getPath().toString()
                if not os.path.basename(name).startswith((".", "_")):
                    found.append(name)
        except Py4JJavaError as exc:
            raise BatchError(f"{item}: Spark cannot read it: {java_message(exc)}", 3) from None
    return sorted(found)


def java_message(exc: Any) -> str:
    """The first line of a Java exception raised through Py4J (class: message)."""
    java = getattr(exc, "java_exception", None)
    return (str(java.toString()) if java is not None else str(exc)).splitlines()[0]


def display_name(uri: str) -> str:
    return uri[len("file:"):] if uri.startswith("file:") else uri


def read_raw_records(spark: Any, files: list[str]) -> Any:
    """An RDD of ``(file, line, kind, payload)``: a line of JSON Lines, a Parquet row as
    JSON (line: its row number), a whole file's bytes, or the reason a file could not be
    read (kind ``error``, so it becomes a rejected row)."""
    import json

    from pyspark.errors import PySparkException
    from py4j.protocol import Py4JJavaError

    from ..ingest.files import kind_of

    sc, parts = spark.sparkContext, []
    for uri in files:
        name = display_name(uri)
        kind = kind_of(PurePosixPath(uri))
        if kind == "json":
            lines = sc.textFile(uri).zipWithIndex()
            parts.append(lines.map(lambda li, n=name: (n, li[1] + 1, "line", li[0].encode("utf-8"))))
        elif uri.lower().endswith(".parquet"):
            try:  # the footer is read here: a file that is no Parquet fails now, not in the job
                rows = spark.read.parquet(uri).rdd.zipWithIndex()
            except (PySparkException, Py4JJavaError) as exc:
                reason = f"unreadable Parquet file: {java_message(exc)}"
                parts.append(sc.parallelize([(name, None, "error", reason)], 1))
                continue
            parts.append(rows.map(lambda ri, n=name: (n, ri[1] + 1, "record",
                                                      json.dumps(ri[0].asDict(recursive=True),
                                                                 ensure_ascii=False, default=str))))
        else:
            parts.append(sc.binaryFiles(uri).map(lambda fb, n=name: (n, None, "file", fb[1])))
    if not parts:
        raise BatchError("no input files found", 3)
    return sc.union(parts)


def output_schema() -> Any:
    from pyspark.ml.linalg import VectorUDT
    from pyspark.sql import types as T

    s, i = T.StringType(), T.IntegerType()
    mention = T.StructType([T.StructField(n, t) for n, t in (
        ("article_id", s), ("span_id", s), ("position", i), ("layer", s), ("start", i),
        ("end", i), ("label", s), ("text", s), ("entity_key", s), ("attrs", s),
        ("published_date", s))])
    fields = [(n, s) for n in ("id", "url", "title", "text", "source", "author", "published",
                               "summary", "origin", "images", "meta", "content_hash",
                               "published_date")]
    fields += [("mentions", T.ArrayType(mention)), ("shingles", VectorUDT()), ("words", VectorUDT()),
               ("file", s), ("line", T.LongType()), ("reason", s)]
    return T.StructType([T.StructField(n, t) for n, t in fields])


def run_batch(inputs: list[str], output: str, master: str | None = None,
              partitions: int | None = None, overwrite: bool = False,
              stages: tuple[str, ...] = tuple(DEFAULT_STAGES), spark: Any = None) -> dict[str, Any]:
    """Analyse `inputs` into the tables of docs/batch.md under `output`; a report of counts
    and speed. Raises `BatchError` for missing inputs or an existing output. A session
    given in `spark` is used and left running; else one is started and stopped."""
    from pyspark import StorageLevel

    from .analyse import analyse_partition
    from .derive import write_tables

    started = time.monotonic()
    own = spark is None
    spark = spark or start_spark(master)
    try:
        out = spark._jvm.org.apache.hadoop.fs.Path(output)
        fs = out.getFileSystem(spark._jsc.hadoopConfiguration())
        if fs.exists(out) and not overwrite:
            raise BatchError(f"{output} exists; use --overwrite to replace it")
        files = list_input_files(spark, inputs)
        raw = read_raw_records(spark, files)
        n = partitions or 2 * spark.sparkContext.defaultParallelism
        # the derived tables are small next to the analysis: few shuffle partitions
        spark.conf.set("spark.sql.shuffle.partitions", str(max(2, spark.sparkContext.defaultParallelism)))
        stage_names = tuple(stages)
        rows = raw.repartition(n).mapPartitions(lambda part: analyse_partition(part, stage_names))
        frame = spark.createDataFrame(rows, output_schema()).persist(StorageLevel.MEMORY_AND_DISK)
        counts = write_tables(spark, frame, output)
        frame.unpersist()
    finally:
        if own:
            spark.stop()
    seconds = time.monotonic() - started
    return {"files": len(files), "partitions": n,
            "read": counts["articles"] + counts["rejected"] + counts["duplicates"],
            **counts, "seconds": round(seconds, 3),
            "articles_per_s": round(counts["articles"] / seconds, 2) if seconds else 0.0,
            "output": output}
