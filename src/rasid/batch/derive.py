"""The tables of a batch run, derived from the analysed rows with Spark's own tools (no
collecting to the driver): the per-article tables partitioned by ``published_date``,
entities by a group-by over the whole input, near-duplicates by banded MinHash LSH, stories as
connected components of a similarity join. Schemas: docs/batch.md."""
from __future__ import annotations

from typing import Any

from .job import (NEAR_DUPLICATE, NEAR_DUPLICATE_BANDS, STORY_BANDS, STORY_DAYS, STORY_ROUNDS,
                  STORY_SIMILARITY)
from .offices import link_offices

PARTITION = "published_date"


def write(frame: Any, output: str, name: str, partitioned: bool = True) -> None:
    writer = frame.write.mode("overwrite")
    if partitioned:
        writer = writer.partitionBy(PARTITION)
    writer.parquet(f"{output.rstrip('/')}/{name}")


def keep_first(frame: Any, key: str) -> Any:
    """One row per `key`: the first read (file, line), as `rasid ingest` keeps the first."""
    from pyspark.sql import Window, functions as F

    order = Window.partitionBy(key).orderBy(F.col("file"), F.col("line"), F.col("id"))
    return frame.withColumn("_n", F.row_number().over(order)).filter("_n = 1").drop("_n")


def entity_id_of(label: Any, key: Any) -> Any:
    from pyspark.sql import functions as F

    return F.substring(F.sha1(F.concat_ws("|", label, key)), 1, 16)


def write_tables(spark: Any, frame: Any, output: str, lap: Any) -> dict[str, Any]:
    """Write every table; counts. ``lap(phase, following)`` is called as each phase ends
    (`rasid.batch.job.Phases`)."""
    from pyspark.sql import functions as F

    # the analysis, once (the frame is persisted), and what it read and rejected
    n_rows, n_rejected = frame.select(F.count(F.lit(1)), F.count("reason")).first()
    lap("analyse", following="article tables")

    rejected = frame.filter(F.col("reason").isNotNull()).select("file", "line", "reason")
    write(rejected.coalesce(1), output, "rejected", partitioned=False)
    read = frame.filter(F.col("reason").isNull())
    # duplicates in the input, as rasid ingest finds them: same id (canonical URL), same text
    articles = keep_first(keep_first(read, "id"), "content_hash")
    articles = articles.persist()
    n_articles = articles.count()
    write(articles.select("id", "url", "title", "text", "source", "author", "published",
                          "summary", "origin", "images", "meta", "content_hash", PARTITION),
          output, "articles")

    mentions = (link_offices(spark, articles, frame.schema["mentions"].dataType.elementType)
                .withColumn("entity_id", F.when(F.col("entity_key").isNotNull(),
                                                entity_id_of(F.col("label"), F.col("entity_key")))))
    mentions = mentions.persist()
    write(mentions, output, "mentions")
    write_span_views(mentions, output)
    lap("article_tables", following="entities")
    write_entities(spark, mentions, output)
    lap("entities", following="near-duplicates")
    write_near_duplicates(articles, output)
    lap("near_duplicates", following="stories")
    write_stories(articles, output)
    lap("stories")
    counts = {"articles": n_articles, "rejected": n_rejected,
              "duplicates": n_rows - n_rejected - n_articles, "mentions": mentions.count()}
    mentions.unpersist()
    articles.unpersist()
    return counts


def _attr(path: str, cast: str | None = None) -> Any:
    from pyspark.sql import functions as F

    col = F.get_json_object(F.col("attrs"), f"$.{path}")
    return col.cast(cast) if cast else col


def write_span_views(mentions: Any, output: str) -> None:
    from pyspark.sql import functions as F

    base = ("article_id", "span_id", "start", "end", "text")
    places = mentions.filter(F.col("layer") == "places").select(
        *base, _attr("name").alias("name"), _attr("name_en").alias("name_en"),
        _attr("country").alias("country"), _attr("lat", "double").alias("lat"),
        _attr("lon", "double").alias("lon"), _attr("feature").alias("feature"),
        _attr("geonameid", "long").alias("geonameid"), _attr("gazetteer_id").alias("gazetteer_id"),
        _attr("relation").alias("relation"), _attr("confidence", "double").alias("confidence"), PARTITION)
    write(places, output, "places")
    dates = mentions.filter(F.col("layer") == "dates").select(
        *base, "label", _attr("value").alias("value"), _attr("granularity").alias("granularity"),
        _attr("calendar").alias("calendar"), _attr("resolved", "boolean").alias("resolved"),
        _attr("relative", "boolean").alias("relative"), PARTITION)
    write(dates, output, "dates")
    events = mentions.filter(F.col("layer") == "events").select(
        *base, F.col("label").alias("type"), _attr("mode").alias("mode"),
        _attr("trigger").alias("trigger"), _attr("actor.text").alias("actor"),
        _attr("recipient.text").alias("recipient"), _attr("place.name").alias("place"),
        _attr("place.country").alias("country"), _attr("place.lat", "double").alias("lat"),
        _attr("place.lon", "double").alias("lon"), _attr("date.text").alias("date"),
        _attr("when").alias("when"), _attr("negated", "boolean").alias("negated"),
        _attr("hypothetical", "boolean").alias("hypothetical"),
        _attr("confidence", "double").alias("confidence"), PARTITION)
    write(events, output, "events")


def write_entities(spark: Any, mentions: Any, output: str) -> None:
    """One row per entity resolved across the whole input: the resolve stage's matching
    key and label; canonical name the most frequent; aliases every surface form;
    transliteration by rasid's `compute_latin_name`."""
    from pyspark.sql import Window, functions as F, types as T

    from ..entities.translit import compute_latin_name

    spans = mentions.filter(F.col("entity_id").isNotNull()).withColumn(
        "canonical", F.coalesce(_attr("canonical"), F.col("text")))
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
    entities = stats.join(canonical, "entity_id").withColumn("latin", latin("canonical", "type"))
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
    the component's smallest article id is the story id (min-label propagation)."""
    from pyspark.sql import functions as F

    near = (F.col("a_day").isNull() | F.col("b_day").isNull()
            | (F.abs(F.datediff(F.to_date("a_day"), F.to_date("b_day"))) <= STORY_DAYS))
    pairs = similar_pairs(articles, "word_minhash", STORY_SIMILARITY, *STORY_BANDS, keep=near)
    edges = pairs.select(F.col("a").alias("src"), F.col("b").alias("dst")).union(
        pairs.select(F.col("b").alias("src"), F.col("a").alias("dst"))).persist()
    labels = articles.select("id", F.col("id").alias("story_id")).localCheckpoint()
    for _ in range(STORY_ROUNDS):
        offered = edges.join(labels, edges.src == labels.id).groupBy("dst").agg(
            F.min("story_id").alias("offer"))
        updated = labels.join(offered, labels.id == offered.dst, "left").select(
            "id", F.least("story_id", F.coalesce("offer", "story_id")).alias("story_id"),
            (F.col("offer") < F.col("story_id")).alias("changed")).localCheckpoint()
        changed = updated.filter("changed").count()
        labels = updated.select("id", "story_id")
        if not changed:
            break
    edges.unpersist()
    members = articles.select("id", "title", "published", PARTITION).join(labels, "id")
    stories = members.groupBy("story_id").agg(
        F.count(F.lit(1)).alias("article_count"), F.min("published").alias("first_published"),
        F.max("published").alias("last_published"),
        F.min(F.struct(F.coalesce("published", F.lit("")), "id", "title")).alias("_first"))
    table = members.join(stories, "story_id").select(
        "story_id", F.col("id").alias("article_id"), "published",
        F.col("_first.title").alias("story_title"), "article_count", "first_published",
        "last_published")
    write(table.coalesce(2), output, "stories", partitioned=False)
