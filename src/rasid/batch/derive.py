"""The tables of a batch run, derived from the analysed rows with Spark's own tools (no
collecting to the driver): the per-article tables partitioned by ``published_date``,
entities by a group-by over the whole input, near-duplicates by banded MinHash LSH, stories as
connected components of a similarity join. Schemas: docs/batch.md."""
from __future__ import annotations

from typing import Any, Iterable

from .job import (NEAR_DUPLICATE, NEAR_DUPLICATE_BANDS, STORY_BANDS, STORY_DAYS,
                  STORY_DRIVER_PAIRS, STORY_SIMILARITY)
from .offices import find_office_links, link_offices

PARTITION = "published_date"


def write(frame: Any, output: str, name: str, partitioned: bool = True) -> None:
    writer = frame.write.mode("overwrite")
    if partitioned:
        writer = writer.partitionBy(PARTITION)
    writer.parquet(f"{output.rstrip('/')}/{name}")


def find_duplicates(read: Any) -> Any:
    """``(id, file, line)`` of each analysed article that repeats an earlier one, as `rasid
    ingest` drops them: the same id (canonical URL), then the same text (content hash),
    the first read (file, line) kept. Only these narrow columns are shuffled."""
    from pyspark.sql import Window, functions as F

    def number(frame: Any, key: str) -> Any:
        order = Window.partitionBy(key).orderBy(F.col("file"), F.col("line"), F.col("id"))
        return frame.withColumn("_n", F.row_number().over(order))

    by_id = number(read.select("id", "content_hash", "file", "line"), "id")
    by_text = number(by_id.filter("_n = 1").drop("_n"), "content_hash")
    return by_id.filter("_n > 1").union(by_text.filter("_n > 1")).select("id", "file", "line")


def entity_id_of(label: Any, key: Any) -> Any:
    from pyspark.sql import functions as F

    return F.substring(F.sha1(F.concat_ws("|", label, key)), 1, 16)


def write_tables(spark: Any, frame: Any, output: str, phases: Any) -> dict[str, Any]:
    """Write every table; counts. `phases` (`rasid.batch.job.Phases`) reports each phase as
    it ends and runs the three chains of derived tables side by side (`run_side_by_side`):
    the articles and rejected tables; the mention rows (then their table, their span views
    and the entities, side by side); the near-duplicates and stories. Only the analysed
    rows (`frame`, on disk) are persisted whole: the deduplicated articles are read from them as they are written (the
    repeats broadcast to an anti-join, no shuffle); the mention rows are persisted (on disk)
    for their table, the span views and the entities; the similarity joins read a persisted
    frame of the articles' ids, dates and signatures."""
    from pyspark import StorageLevel
    from pyspark.sql import functions as F

    # the analysis, once (the frame is persisted), and what it read and rejected
    n_rows, n_rejected = frame.select(F.count(F.lit(1)), F.count("reason")).first()
    phases.lap("analyse", following="duplicates")
    read = frame.filter(F.col("reason").isNull())
    # persisted and counted, the repeats are a table of known size: Spark broadcasts it to
    # drop them, when small, instead of shuffling the analysed rows
    repeats = find_duplicates(read).persist()
    n_duplicates = repeats.count()
    dropped = repeats.select(*(F.col(c).alias(f"_{c}") for c in repeats.columns))
    articles = read.join(dropped, (F.col("id") == F.col("_id")) & F.col("file").eqNullSafe(F.col("_file"))
                         & F.col("line").eqNullSafe(F.col("_line")), "left_anti")
    phases.lap("duplicates")
    kept = {"repeats": repeats}  # what each chain persisted, unpersisted at the end

    def write_articles() -> None:
        # one file: the few rejected rows are gathered after the scan, which stays parallel
        rejected = frame.filter(F.col("reason").isNotNull()).select("file", "line", "reason")
        write(rejected.repartition(1), output, "rejected", partitioned=False)
        write(articles.select("id", "url", "title", "text", "source", "author", "published",
                              "summary", "origin", "images", "meta", "content_hash", PARTITION),
              output, "articles")

    def link_mentions() -> None:
        links = find_office_links(spark, articles).persist()
        links.count()
        mentions = (link_offices(spark, articles, links, frame.schema["mentions"].dataType.elementType)
                    .withColumn("entity_id", F.when(F.col("entity_key").isNotNull(),
                                                    entity_id_of(F.col("label"), F.col("entity_key")))))
        # persisted and counted once, before the tables that read it are written side by side
        kept.update(links=links, mentions=mentions.persist(StorageLevel.DISK_ONLY))
        kept["n_mentions"] = kept["mentions"].count()

    def signatures_and_near_duplicates() -> None:
        signatures = articles.select("id", "title", "published", PARTITION, "shingle_minhash",
                                     "word_minhash").persist(StorageLevel.DISK_ONLY)
        kept["signatures"] = signatures
        write_near_duplicates(signatures, output)

    phases.run_side_by_side([
        [("office_links", link_mentions), ("mention_tables", lambda: phases.run_side_by_side([
            [("mentions", lambda: write(kept["mentions"], output, "mentions"))],
            [("span_views", lambda: write_span_views(kept["mentions"], output))],
            [("entities", lambda: write_entities(spark, kept["mentions"], output))]]))],
        [("near_duplicates", signatures_and_near_duplicates), ("stories", lambda: write_stories(kept["signatures"], output))],
        [("articles", write_articles)]])
    counts = {"articles": n_rows - n_rejected - n_duplicates, "rejected": n_rejected,
              "duplicates": n_duplicates, "mentions": kept.pop("n_mentions")}
    for persisted in kept.values():
        persisted.unpersist()
    return counts


#: the columns of the span views that come from the span's ``attrs`` (JSON), as the schema
#: `from_json` parses them with: one parse per span, where one ``get_json_object`` per column
#: parsed the JSON once per column
VIEW_ATTRS = {
    "places": "name string, name_en string, country string, lat double, lon double, feature string, "
              "geonameid long, gazetteer_id string, relation string, confidence double",
    "dates": "value string, granularity string, calendar string, resolved boolean, relative boolean",
    "events": "mode string, trigger string, actor struct<text string>, recipient struct<text string>, "
              "place struct<name string, country string, lat double, lon double>, date struct<text string>, "
              "when string, negated boolean, hypothetical boolean, confidence double",
}


def write_span_views(mentions: Any, output: str) -> None:
    from pyspark.sql import functions as F

    def view(layer: str, *columns: Any) -> Any:
        spans = mentions.filter(F.col("layer") == layer).withColumn("a", F.from_json("attrs", VIEW_ATTRS[layer]))
        return spans.select("article_id", "span_id", "start", "end", "text", *columns, PARTITION)

    write(view("places", "a.*"), output, "places")
    write(view("dates", "label", "a.*"), output, "dates")
    nested = {"actor": "actor.text", "recipient": "recipient.text", "place": "place.name",
              "country": "place.country", "lat": "place.lat", "lon": "place.lon", "date": "date.text"}
    write(view("events", F.col("label").alias("type"), "a.mode", "a.trigger",
               *(F.col(f"a.{path}").alias(name) for name, path in nested.items()),
               "a.when", "a.negated", "a.hypothetical", "a.confidence"), output, "events")


def write_entities(spark: Any, mentions: Any, output: str) -> None:
    """One row per entity resolved across the whole input: the resolve stage's matching
    key and label; canonical name the most frequent; aliases every surface form;
    transliteration by rasid's `compute_latin_name`."""
    from pyspark.sql import Window, functions as F, types as T

    from ..entities.translit import compute_latin_name

    spans = mentions.filter(F.col("entity_id").isNotNull()).withColumn(
        "canonical", F.coalesce(F.get_json_object("attrs", "$.canonical"), F.col("text")))
    names = spans.groupBy("entity_id", "canonical").count()
    best = Window.partitionBy("entity_id").orderBy(F.desc("count"), F.col("canonical"))
    canonical = names.withColumn("_n", F.row_number().over(best)).filter("_n = 1").select(
        "entity_id", "canonical")
    stats = spans.groupBy("entity_id").agg(
        F.first("label").alias("type"), F.first("entity_key").alias("key"),
        F.count(F.lit(1)).alias("mentions"), F.countDistinct("article_id").alias("articles"),
        F.array_sort(F.collect_set("text")).alias("aliases"),
        F.min(PARTITION).alias("first_seen"), F.max(PARTITION).alias("last_seen"))
    latin = F.udf(lambda name, kind: compute_latin_name(name or "", kind or ""), T.StringType())
    # spread by number before the transliteration (Python): adaptive execution merges the
    # join's small partitions into one task, which would run it on one core
    tasks = int(spark.conf.get("spark.sql.shuffle.partitions"))
    entities = stats.join(canonical, "entity_id").repartition(tasks).withColumn("latin", latin("canonical", "type"))
    write(entities.select("entity_id", "canonical", "type", "latin", "aliases", "key", "mentions",
                          "articles", "first_seen", "last_seen").coalesce(4),
          output, "entities", partitioned=False)


#: estimated Jaccard: the share of this many MinHash values two articles have in common
COMPARED_HASHES = 128


def similar_pairs(frame: Any, column: str, min_similarity: float, rows: int, bands: int,
                  keep: Any = None) -> Any:
    """``(a, b, a_published, b_published, a_day, b_day, similarity)`` with a < b: pairs of
    articles whose sets are at least `min_similarity` alike (Jaccard, estimated from the
    first `COMPARED_HASHES` values of the MinHash signature in `column`, ``rows x bands``
    values that the Python workers computed as Spark's `MinHashLSH` would:
    `rasid.batch.analyse.compute_minhash`), among the candidates that agree on all `rows`
    values of at least one of `bands` bands (LSH banding: AND within a band, OR across
    bands). Spark's own `approxSimilarityJoin` makes every pair that agrees on any one
    value a candidate (OR only): articles share common words and shingles (random
    SaudiNewsNet pairs: Jaccard 0.02 of content words, 0.04 of shingles), so its
    candidates, each carrying both articles' vectors, grow as N² (about 27 million for
    stories at N = 20,000). Banded, they grow with the similar pairs. `keep` filters the
    candidates (on the ``a_``/``b_`` columns) before they are compared."""
    from pyspark.sql import functions as F

    signatures = frame.filter(F.col(column).isNotNull()).select("id", F.col(column).alias("signature"))
    banded = signatures.select("id", F.posexplode(F.transform(
        F.sequence(F.lit(0), F.lit(bands - 1)),
        lambda i: F.slice(F.col("signature"), i * rows + 1, F.lit(rows)))).alias("band", "key"))
    x, y = banded.alias("x"), banded.alias("y")
    pairs = x.join(y, (F.col("x.band") == F.col("y.band")) & (F.col("x.key") == F.col("y.key"))
                   & (F.col("x.id") < F.col("y.id"))).select(
        F.col("x.id").alias("a"), F.col("y.id").alias("b")).distinct()
    meta = frame.select("id", "published", PARTITION)
    for side in ("a", "b"):
        pairs = pairs.join(meta.select(F.col("id").alias(side), F.col("published").alias(f"{side}_published"),
                                       F.col(PARTITION).alias(f"{side}_day")), side)
    if keep is not None:
        pairs = pairs.filter(keep)
    n = min(COMPARED_HASHES, rows * bands)
    for side in ("a", "b"):
        pairs = pairs.join(signatures.select(F.col("id").alias(side),
                                             F.slice("signature", 1, n).alias(f"{side}_sig")), side)
    same = F.size(F.filter(F.zip_with("a_sig", "b_sig", lambda p, q: p == q), lambda t: t))
    return pairs.withColumn("similarity", same / F.lit(float(n))).filter(
        F.col("similarity") >= min_similarity).drop("a_sig", "b_sig")


def write_near_duplicates(articles: Any, output: str) -> None:
    """Each article that nearly copies an earlier one (published first, then id): its
    closest such original, as the archive's ``near_duplicates``."""
    from pyspark.sql import Window, functions as F

    pairs = similar_pairs(articles, "shingle_minhash", NEAR_DUPLICATE, *NEAR_DUPLICATE_BANDS)
    a_first = F.struct(F.coalesce("a_published", F.lit("")), F.col("a")) <= \
        F.struct(F.coalesce("b_published", F.lit("")), F.col("b"))
    oriented = pairs.select(
        F.when(a_first, F.col("b")).otherwise(F.col("a")).alias("article_id"),
        F.when(a_first, F.col("a")).otherwise(F.col("b")).alias("duplicate_of"),
        F.round("similarity", 4).alias("similarity"))
    best = Window.partitionBy("article_id").orderBy(F.desc("similarity"), F.col("duplicate_of"))
    table = oriented.withColumn("_n", F.row_number().over(best)).filter("_n = 1").drop("_n")
    write(table.coalesce(1), output, "near_duplicates", partitioned=False)


def write_stories(articles: Any, output: str) -> None:
    """Stories: connected components of the graph linking articles whose content words are
    `STORY_SIMILARITY` alike and whose publication days are at most `STORY_DAYS` apart;
    the component's smallest article id is the story id. The pairs are collected to the
    driver and joined there (`label_components`) when there are at most
    `STORY_DRIVER_PAIRS`; above, Spark joins them (`find_components`)."""
    from pyspark.sql import Window, functions as F

    near = (F.col("a_day").isNull() | F.col("b_day").isNull()
            | (F.abs(F.datediff(F.to_date("a_day"), F.to_date("b_day"))) <= STORY_DAYS))
    pairs = similar_pairs(articles, "word_minhash", STORY_SIMILARITY, *STORY_BANDS, keep=near).select(
        "a", "b").persist()
    if pairs.count() <= STORY_DRIVER_PAIRS:
        found = label_components((r["a"], r["b"]) for r in pairs.toLocalIterator())
        labels = articles.sparkSession.createDataFrame(list(found.items()), "id string, story_id string")
    else:
        labels = find_components(pairs)
    members = articles.select("id", "title", "published", PARTITION).join(labels, "id", "left").withColumn(
        "story_id", F.coalesce("story_id", "id"))
    story = Window.partitionBy("story_id")
    table = members.select(
        "story_id", F.col("id").alias("article_id"), "published",
        F.min(F.struct(F.coalesce("published", F.lit("")), "id", "title")).over(story)["title"].alias(
            "story_title"),
        F.count(F.lit(1)).over(story).alias("article_count"),
        F.min("published").over(story).alias("first_published"),
        F.max("published").over(story).alias("last_published"))
    write(table.coalesce(2), output, "stories", partitioned=False)
    pairs.unpersist()


def label_components(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """``{id: smallest id of its component}`` for every id in `pairs` (union-find: each
    set's root is its smallest id; paths halved as they are walked)."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in pairs:
        ra, rb = find(parent.setdefault(a, a)), find(parent.setdefault(b, b))
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    for x in parent:
        parent[x] = find(x)
    return parent


def find_components(pairs: Any) -> Any:
    """``(id, story_id)``: the smallest id of each id's component in the graph of `pairs`
    (``a``, ``b``; a < b), by alternating large-star and small-star rounds (Kiveris et
    al., "Connected Components in MapReduce and Beyond", 2014): O(log n) rounds of two
    shuffles, whatever the components' diameter. Each round keeps the components and ends
    with an edge set ``(u, v)``, u < v; once no id is both a ``u`` and a ``v`` every
    component is a star whose centre ``u`` is its smallest id."""
    from pyspark.sql import functions as F

    edges = pairs.select(F.col("a").alias("u"), F.col("b").alias("v")).distinct().localCheckpoint()
    while True:
        # large-star: each id's larger neighbours are linked to the least of its neighbourhood
        both = edges.union(edges.select(F.col("v").alias("u"), F.col("u").alias("v")))
        least = both.groupBy("u").agg(F.least(F.min("v"), F.col("u")).alias("m"))
        edges = both.filter(F.col("v") > F.col("u")).join(least, "u").select(
            F.col("m").alias("u"), "v").distinct()
        # small-star: each id and its smaller neighbours are linked to the least of them
        least = edges.groupBy("v").agg(F.min("u").alias("m"))
        edges = edges.join(least, "v").select(
            "m", F.explode(F.array("u", "v")).alias("x")).filter(F.col("x") != F.col("m")).select(
            F.col("m").alias("u"), F.col("x").alias("v")).distinct().localCheckpoint()
        if not edges.join(edges.select(F.col("v").alias("u")), "u", "left_semi").limit(1).count():
            return edges.select(F.col("v").alias("id"), F.col("u").alias("story_id"))
