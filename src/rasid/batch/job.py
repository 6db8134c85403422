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
import threading
import time
from pathlib import PurePosixPath
from typing import Any

from ..stages import DEFAULT_STAGES

NEAR_DUPLICATE = 0.75  # Jaccard of 5-character shingles (as `rasid.stories.neardup`)
STORY_SIMILARITY = 0.25  # Jaccard of content words, published within STORY_DAYS
STORY_DAYS = 3
#: the story graph's similar pairs are joined into stories on the driver up to this many
#: (a dict of at most twice as many ids: at most about 200 MiB of the driver's Python);
#: above, by Spark (`rasid.batch.derive.find_components`)
STORY_DRIVER_PAIRS = 500_000
# MinHash LSH banding, rows x bands: a candidate pair agrees on all rows of one band
NEAR_DUPLICATE_BANDS = (4, 32)
STORY_BANDS = (3, 200)
NEAR_DUPLICATE_HASHES = NEAR_DUPLICATE_BANDS[0] * NEAR_DUPLICATE_BANDS[1]
STORY_HASHES = STORY_BANDS[0] * STORY_BANDS[1]
TABLES = ("articles", "mentions", "entities", "places", "dates", "events", "near_duplicates",
          "stories", "rejected")


#: rows per column batch of the persisted analysed rows (Spark's default: 10,000)
CACHE_BATCH_ROWS = 1000
#: at most this many raw records per analysis partition (and at least 2 partitions per
#: core): what one task holds, persists and hands to the derived tables' shuffles is
#: bounded whatever N (two per core gave 10,000 analysed articles a partition at N = 20,000
#: on local[1], and the JVM ran out of its 1 GiB heap: docs/batch.md "Scaling, fifth pass")
ROWS_PER_PARTITION = 2000
#: the JVM of a local run (driver and executor in one): its JIT stops at C1. C2 compiled
#: for about 30 of its 80 CPU seconds at N = 1,000, mostly Spark's planning and generated
#: code run a few times each; with C1 only the JVM spent 48 CPU s instead of 81, its task
#: threads no longer than before (docs/batch.md "Scaling, third pass"). PySpark passes it
#: to spark-submit first: a ``--driver-java-options`` in ``PYSPARK_SUBMIT_ARGS`` replaces it.
LOCAL_JAVA_OPTIONS = "-XX:TieredStopAtLevel=1"


class BatchError(Exception):
    def __init__(self, message: str, code: int = 2):
        super().__init__(message)
        self.code = code


class UnionParam:
    """A Spark accumulator of sets (PySpark's ``AccumulatorParam`` protocol): their union."""

    def zero(self, value: frozenset) -> frozenset:
        return frozenset()

    def addInPlace(self, a: frozenset, b: frozenset) -> frozenset:  # noqa: N802 (PySpark's name)
        return a | b


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
        if conf.get("spark.driver.extraJavaOptions", None) is None:
            builder = builder.config("spark.driver.extraJavaOptions", LOCAL_JAVA_OPTIONS)
    return (builder
            .config("spark.ui.enabled", "false")
            .config("spark.sql.session.timeZone", "UTC")
            .config("spark.python.worker.reuse", "true")
            # the daemon that forks the Python workers builds the pipeline first: they share it
            .config("spark.python.daemon.module", "rasid.batch.daemon")
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


def is_split_by_line(uri: str) -> bool:
    """A plain (not gzipped) JSON Lines file: read by Spark's text source, split across tasks."""
    from ..ingest.files import kind_of

    return kind_of(PurePosixPath(uri)) == "json" and not uri.lower().endswith(".gz")


def read_raw_records(spark: Any, files: list[str]) -> tuple[Any, int]:
    """An RDD of ``(file, line, kind, payload)`` and how many there are: a line of a plain
    JSON Lines file (its bytes, decoded by rasid as `rasid ingest` decodes them; Spark
    splits a big file; counted by the JVM), or an item (a Document or a Rejection) that
    rasid's readers made of a whole file of another kind (`rasid.batch.analyse.expand_file`:
    gzipped JSON Lines, Parquet, WARC, HTML, ...; counted by reading them once, then kept on
    disk for the analysis), so that a corrupt file becomes rejected rows and never stops the
    job."""
    from pyspark import StorageLevel
    from pyspark.sql import functions as F

    from .analyse import expand_file

    sc, parts, count = spark.sparkContext, [], 0
    lines, whole = [u for u in files if is_split_by_line(u)], [u for u in files if not is_split_by_line(u)]
    if lines:
        count += spark.read.text(lines).count()  # one job for all the files
    for uri in lines:
        # Spark's text source keeps each line's bytes as they are (no UTF-8 decoding,
        # which would turn bytes of another encoding into U+FFFD): rasid decodes them
        text = spark.read.text(uri).select(F.col("value").cast("binary"))
        parts.append(text.rdd.zipWithIndex().map(
            lambda ri, n=display_name(uri): (n, ri[1] + 1, "line", bytes(ri[0][0]))))
    if whole:
        # kept on disk once counted, so the analysis reads them instead of expanding each file
        # (decompressing, parsing) a second time
        items = sc.binaryFiles(",".join(whole)).flatMap(
            lambda fb: expand_file(display_name(fb[0]), fb[1])).persist(StorageLevel.DISK_ONLY)
        count += items.count()
        parts.append(items)
    if not parts:
        raise BatchError("no input files found", 3)
    return sc.union(parts), count


def count_partitions(records: int, cores: int) -> int:
    """Analysis partitions for `records` raw records on `cores` task slots: at least 2 per
    core, at most `ROWS_PER_PARTITION` records each."""
    return max(2 * cores, -(-records // ROWS_PER_PARTITION))


def output_schema() -> Any:
    from pyspark.sql import types as T

    from .offices import event_schema

    s, i = T.StringType(), T.IntegerType()
    mention = T.StructType([T.StructField(n, t) for n, t in (
        ("article_id", s), ("span_id", s), ("position", i), ("layer", s), ("start", i),
        ("end", i), ("label", s), ("text", s), ("entity_key", s), ("attrs", s),
        ("published_date", s))])
    fields = [(n, s) for n in ("id", "url", "title", "text", "source", "author", "published",
                               "summary", "origin", "images", "meta", "content_hash",
                               "published_date")]
    fields += [("mentions", T.ArrayType(mention)), ("offices", T.ArrayType(event_schema())),
               ("shingle_minhash", T.ArrayType(T.IntegerType())), ("word_minhash", T.ArrayType(T.IntegerType())),
               ("file", s), ("line", T.LongType()), ("reason", s)]
    return T.StructType([T.StructField(n, t) for n, t in fields])


class Phases:
    """The wall seconds of each phase of a run (``phases`` in the report); as each ends, a
    line ``rasid batch: NAME done in S s`` on stderr (progress, and what
    bench/bench_batch.py samples the processes' CPU at), and the Spark jobs of each phase
    are described by its name (Spark's UI and event log)."""

    def __init__(self, spark: Any) -> None:
        self.spark, self.seconds, self.clock = spark, {}, time.monotonic()
        self.lock = threading.Lock()

    def lap(self, name: str, following: str | None = None) -> None:
        """End the phase `name`, which began when the previous one ended."""
        self.clock = self.end(name, self.clock)
        if following:
            self.spark.sparkContext.setJobDescription(f"rasid batch: {following}")

    def end(self, name: str, began: float) -> float:
        """Record and report the phase `name`, begun at `began`; the time it ended."""
        with self.lock:
            now = time.monotonic()
            self.seconds[name] = round(now - began, 2)
            print(f"rasid batch: {name} done in {self.seconds[name]:.1f} s", file=sys.stderr, flush=True)
        return now

    def run_side_by_side(self, chains: list[list[tuple[str, Any]]]) -> None:
        """Run each chain of ``(phase, function)`` in a thread of its own, its phases in
        order: Spark runs the chains' jobs side by side, so a task slot that one chain leaves
        idle (a stage of fewer tasks than slots, its last task, the driver planning its next
        query) runs another chain's tasks. Each phase's seconds are its own; the lines on
        stderr come as phases end, whichever chain they belong to. The first error raised in
        a chain is raised here once all have ended. Plain threads: each sets its own job
        description (PySpark pins a JVM thread to each Python thread)."""
        errors: list[BaseException] = []

        def run(chain: list[tuple[str, Any]]) -> None:
            try:
                for name, function in chain:
                    self.spark.sparkContext.setJobDescription(f"rasid batch: {name}")
                    began = time.monotonic()
                    function()
                    self.end(name, began)
            except BaseException as exc:  # raised again in the calling thread
                errors.append(exc)

        threads = [threading.Thread(target=run, args=(chain,)) for chain in chains]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.clock = time.monotonic()
        if errors:
            raise errors[0]


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
    phases = Phases(spark)
    try:
        out = spark._jvm.org.apache.hadoop.fs.Path(output)
        fs = out.getFileSystem(spark._jsc.hadoopConfiguration())
        if fs.exists(out) and not overwrite:
            raise BatchError(f"{output} exists; use --overwrite to replace it")
        files = list_input_files(spark, inputs)
        raw, records = read_raw_records(spark, files)
        n = partitions or count_partitions(records, spark.sparkContext.defaultParallelism)
        # the derived tables' shuffles: as many partitions as the analysis (bounded rows, at
        # least 2 per core: a core that finishes its task early takes another), not Spark's
        # 200 tasks of a few rows; adaptive execution still merges those under 1 MB
        spark.conf.set("spark.sql.shuffle.partitions", str(n))
        # the persisted rows are cached in column batches built in the heap: an analysed
        # article's row (text, every span) is tens of kB, so Spark's 10,000 rows a batch
        # would be hundreds of MB at once in local mode's 1 GiB heap
        spark.conf.set("spark.sql.inMemoryColumnarStorage.batchSize", str(CACHE_BATCH_ROWS))
        stage_names = tuple(stages)
        built = spark.sparkContext.accumulator(frozenset(), UnionParam())
        rows = raw.repartition(n).mapPartitions(lambda part: analyse_partition(part, stage_names, built))
        # rows made by `analyse_partition` to this schema: not checked again, field by field,
        # in the Python workers (PySpark's verifySchema, about 5 % of their CPU)
        # on disk only: the heap holds no analysed rows between the phases (the OS's page
        # cache keeps the files warm where memory allows)
        frame = spark.createDataFrame(rows, output_schema(), verifySchema=False).persist(
            StorageLevel.DISK_ONLY)
        phases.lap("start", following="analyse")
        counts = write_tables(spark, frame, output, phases)
        counts["phases"] = phases.seconds
        counts["pipelines_built"] = len({builder for builder, _ in built.value})
        counts["pipelines_built_in_workers"] = len({b for b, user in built.value if b == user})
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
