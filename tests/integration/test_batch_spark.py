"""`rasid batch` on Spark (local[2], one session for the module) gives the same answers
as `rasid ingest` followed by export, and `rasid load` brings its tables into an archive.

Input: the first 8 articles of tests/resources/saudinewsnet-stories.jsonl (see
README-stories.md), the 2 of saudinewsnet-offices.jsonl (an office the archive learns in
the first and resolves in the second) and a file with two bad records. Kept to one batch
run: Spark's start and stages cost seconds each."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

pytest.importorskip("pyspark")
pa = pytest.importorskip("pyarrow")
import pyarrow.dataset as ds  # noqa: E402

from rasid.cli.main import main as cli_main  # noqa: E402
from rasid.monitor import Monitor  # noqa: E402

RESOURCES = Path(__file__).resolve().parents[1] / "resources"
N = 10  # 8 stories and 2 offices
COMPARED_LAYERS = ("entities", "places", "dates", "events")


def read_table(folder: Path, name: str) -> list[dict]:
    return ds.dataset(str(folder / name), format="parquet", partitioning="hive").to_table().to_pylist()


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("batch-in")
    lines = (RESOURCES / "saudinewsnet-stories.jsonl").read_text(encoding="utf-8").splitlines()[:8]
    (folder / "articles.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "offices.jsonl").write_bytes((RESOURCES / "saudinewsnet-offices.jsonl").read_bytes())
    (folder / "more").mkdir()
    (folder / "more" / "bad.jsonl").write_text(
        lines[0] + '\n{"title": "بلا نص"}\n{not json\n', encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def tables(spark, inputs, tmp_path_factory) -> tuple[Path, dict]:
    from rasid.batch.job import run_batch

    out = tmp_path_factory.mktemp("batch-out") / "tables"
    report = run_batch([str(inputs)], str(out), spark=spark, partitions=2)
    return out, report


def test_minhash_of_the_workers_is_sparks(spark):
    """The signatures the Python workers compute (`compute_minhash`) are those of Spark's
    `MinHashLSH` for the same seed and the 0/1 vectors of the same hashed features: the
    word sets of real articles, and a one-word set."""
    import zlib

    from pyspark.ml.feature import MinHashLSH
    from pyspark.ml.linalg import Vectors

    from rasid.batch.analyse import FEATURES, MINHASH_SEED, compute_minhash
    from rasid.batch.job import STORY_HASHES

    texts = [json.loads(line)["content"] for line in
             (RESOURCES / "saudinewsnet-stories.jsonl").read_text(encoding="utf-8").splitlines()[:3]]
    sets = [set(text.split()) for text in texts] + [{"الرياض"}]
    features = [sorted({zlib.crc32(w.encode("utf-8")) % FEATURES for w in words}) for words in sets]
    frame = spark.createDataFrame([(i, Vectors.sparse(FEATURES, f, [1.0] * len(f))) for i, f in enumerate(features)],
                                  ["i", "v"])
    model = MinHashLSH(inputCol="v", outputCol="h", numHashTables=STORY_HASHES, seed=MINHASH_SEED).fit(frame)
    theirs = {r["i"]: [int(h[0]) for h in r["h"]] for r in model.transform(frame).collect()}
    assert len(theirs) == 4 and min(len(f) for f in features[:3]) > 50
    for i, words in enumerate(sets):
        assert compute_minhash(words, STORY_HASHES) == theirs[i]
        assert compute_minhash(words, 128) == theirs[i][:128]  # a shorter draw is the prefix
    assert compute_minhash(set(), 128) is None


def test_components_by_spark_are_the_drivers(spark):
    """Above `STORY_DRIVER_PAIRS` Spark joins the story pairs (`find_components`, large-star
    and small-star rounds): the same stories as the driver's union-find, on a chain of 40
    (diameter 39) given in random order and a random graph."""
    import random

    from rasid.batch.derive import find_components, label_components

    rng = random.Random(5)
    ids = [f"{rng.getrandbits(64):016x}" for _ in range(120)]
    pairs = [tuple(sorted(p)) for p in zip(ids[:40], ids[1:40])]
    pairs += [tuple(sorted(rng.sample(ids[40:], 2))) for _ in range(60)]
    rng.shuffle(pairs)
    found = find_components(spark.createDataFrame(pairs, "a string, b string")).collect()
    # each story's smallest id is not listed: it is its own story
    labels = {i: story for i, story in label_components(pairs).items() if i != story}
    assert {r["id"]: r["story_id"] for r in found} == labels
    assert len(set(labels.values())) > 2 and labels[max(ids[:40])] == min(ids[:40])


@pytest.fixture(scope="module")
def ingested(inputs, tmp_path_factory) -> str:
    db = str(tmp_path_factory.mktemp("batch-db") / "archive.db")
    with Monitor(db) as monitor:
        summary = monitor.ingest([str(inputs)])
    assert summary.stored == N and len(summary.rejected) == 2
    return db


def exported(db: str, kind: str) -> list[dict]:
    with Monitor(db) as monitor:
        data = b"".join(monitor.export_chunks(kind, "jsonl"))
    return [json.loads(line) for line in data.decode("utf-8").splitlines()]


def test_same_answers_as_ingest_and_export(tables, ingested):
    out, report = tables
    assert report["articles"] == N and report["rejected"] == 2 and report["duplicates"] == 1
    # models and gazetteers load once per executor, in the Python daemon its workers are
    # forked from (rasid.batch.daemon), not per worker, partition or record
    assert report["pipelines_built"] == 1 and report["pipelines_built_in_workers"] == 0
    articles = read_table(out, "articles")
    one = {a["id"]: a for a in exported(ingested, "articles")}
    assert {a["id"] for a in articles} == set(one)
    for a in articles:
        assert (a["title"], a["text"], a["published"]) == (one[a["id"]]["title"], one[a["id"]]["text"],
                                                           one[a["id"]]["published"])
        assert a["published_date"] == a["published"][:10]
    spans = {(m["article_id"], m["layer"], m["start"], m["end"], m["label"])
             for m in read_table(out, "mentions") if m["layer"] in COMPARED_LAYERS}
    expected = {(m["article_id"], m["layer"], m["start"], m["end"], m["label"])
                for m in exported(ingested, "mentions") if m["layer"] in COMPARED_LAYERS}
    assert spans == expected and len(spans) > 100
    # an office mention learnt from the input (the role in one article, the bare office in
    # a later one) is a mention of its holder on both sides
    learnt = [m for m in read_table(out, "mentions") if m["layer"] == "entities" and '"office-archive"' in m["attrs"]]
    assert [(m["text"], json.loads(m["attrs"])["holder"]) for m in learnt] == [("وزير الدفاع الأميركي", "آشتون كارتر")]
    assert learnt[0]["span_id"].startswith("entities:")
    assert sum('"office-archive"' in json.dumps(m["attrs"]) for m in exported(ingested, "mentions")) == 1
    (holder,) = [e for e in read_table(out, "entities") if e["entity_id"] == learnt[0]["entity_id"]]
    assert holder["canonical"] == "آشتون كارتر" and "وزير الدفاع الأميركي" in holder["aliases"]
    places = {(p["article_id"], p["start"], p["end"], p["gazetteer_id"], p["lat"], p["lon"], p["country"])
              for p in read_table(out, "places")}
    assert places == {(p["article_id"], p["start"], p["end"], p["gazetteer_id"], p["lat"], p["lon"],
                       p["country"]) for p in exported(ingested, "places")}
    assert any(p[3] for p in places)
    dates = {(d["article_id"], d["start"], d["end"], d["value"]) for d in read_table(out, "dates")}
    assert dates == {(d["article_id"], d["start"], d["end"], d["value"]) for d in exported(ingested, "dates")}


def test_rejected_entities_duplicates_and_stories(tables, inputs):
    out, report = tables
    # the derived tables' three chains ran (side by side) to their end
    assert {"analyse", "duplicates", "articles", "mentions", "entities", "near_duplicates",
            "stories"} <= set(report["phases"])
    rejected = sorted((Path(r["file"]).name, r["line"]) for r in read_table(out, "rejected"))
    assert rejected == [("bad.jsonl", 2), ("bad.jsonl", 3)]
    reasons = " ".join(r["reason"] for r in read_table(out, "rejected"))
    assert "text" in reasons and "JSON" in reasons
    entities = read_table(out, "entities")
    assert len({e["entity_id"] for e in entities}) == len(entities)
    asir = [e for e in entities if e["canonical"] == "عسير"]  # the region, in most articles
    assert asir and asir[0]["articles"] >= 3 and asir[0]["latin"] == "Asir"
    mentions = read_table(out, "mentions")
    assert sum(1 for m in mentions if m["entity_id"] == asir[0]["entity_id"]) == asir[0]["mentions"]
    # one entity across articles and spellings: عبد الله / عبدالله (the victims' names that
    # the sources print either way; which names the NER tags whole depends on the model)
    spelled = [e for e in entities if e["articles"] >= 2 and any(
        "عبد ال" in a and a.replace("عبد ال", "عبدال") in e["aliases"] for a in e["aliases"])]
    assert spelled
    stories = read_table(out, "stories")
    assert sorted(s["article_id"] for s in stories) == sorted(a["id"] for a in read_table(out, "articles"))
    assert all(s["story_id"] <= s["article_id"] for s in stories)
    for pair in read_table(out, "near_duplicates"):
        assert pair["similarity"] >= 0.75 and pair["article_id"] != pair["duplicate_of"]


def test_load_brings_the_tables_into_an_archive(tables, ingested, tmp_path, capsys):
    out, _ = tables
    db = str(tmp_path / "loaded.db")
    assert cli_main(["load", str(out), "--db", db]) == 0
    assert f"stored {N}" in capsys.readouterr().out
    with Monitor(db) as loaded, Monitor(ingested) as one:
        for doc in one.store.iter_documents():
            again = loaded.get_document(doc.id)
            assert again is not None and again.text == doc.text
            for layer in COMPARED_LAYERS:
                assert [(s.start, s.end, s.label) for s in again.layers.get(layer, [])] == \
                    [(s.start, s.end, s.label) for s in doc.layers.get(layer, [])], layer
        assert loaded.search("ماليزيا", limit=3)  # the search index was filled
        assert loaded.top_entities(limit=1)  # the archive steps resolved the entities
    assert cli_main(["load", str(tmp_path / "nothing"), "--db", db]) == 3
