"""`rasid batch` reads WARC, Parquet and JSON Lines, a directory mixing them given as a
``file://`` URI, and sends unreadable files to ``rejected`` without stopping.

Input: the first 7 articles of tests/resources/saudinewsnet-sample.jsonl (see README.md):
3 as HTML pages in a WARC built here with warcio, 2 as a Parquet file written with
pyarrow, 2 as JSON Lines; and three garbage files. One Spark session and one batch run
(tokenizer only: the stages are tested in test_batch_spark.py) for the module."""
from __future__ import annotations

import html
import io
import json
from pathlib import Path

import pytest

pytest.importorskip("pyspark")
pa = pytest.importorskip("pyarrow")
import pyarrow.dataset as ds  # noqa: E402
import pyarrow.parquet as pq  # noqa: E402

from rasid.doc import Document  # noqa: E402
from rasid.ingest.files import read_paths  # noqa: E402

RESOURCES = Path(__file__).resolve().parents[1] / "resources"


def read_table(folder: Path, name: str) -> list[dict]:
    return ds.dataset(str(folder / name), format="parquet", partitioning="hive").to_table().to_pylist()


def write_warc(path: Path, records: list[dict]) -> None:
    """A gzipped WARC: a warcinfo record, then one HTML response per record."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as stream:
        writer = WARCWriter(stream, gzip=True)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "rasid tests"}))
        for r in records:
            paragraphs = "".join(f"<p>{html.escape(p)}</p>" for p in r["content"].split("\n") if p.strip())
            page = (f'<html lang="ar"><head><meta charset="utf-8"><title>{html.escape(r["title"])}</title>'
                    f'<meta property="article:published_time" content="{r["date_extracted"]}"></head>'
                    f'<body><article><h1>{html.escape(r["title"])}</h1>{paragraphs}</article></body></html>')
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")],
                                       protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(
                r["url"], "response", payload=io.BytesIO(page.encode("utf-8")), http_headers=headers))


@pytest.fixture(scope="module")
def records() -> list[dict]:
    lines = (RESOURCES / "saudinewsnet-sample.jsonl").read_text(encoding="utf-8").splitlines()[:7]
    return [json.loads(line) for line in lines]


@pytest.fixture(scope="module")
def inputs(records, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("batch-inputs")
    (folder / "crawl").mkdir()
    write_warc(folder / "crawl" / "pages.warc.gz", records[:3])
    pq.write_table(pa.Table.from_pylist(records[3:5]), folder / "rows.parquet")
    (folder / "lines.jsonl").write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records[5:]), encoding="utf-8")
    (folder / "junk.parquet").write_bytes(b"PAR1 this is not a parquet file")
    (folder / "crawl" / "broken.warc.gz").write_bytes(b"\x1f\x8b\x08\x00 truncated gzip")
    (folder / "crawl" / "garbage.warc").write_bytes(
        b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 99999\r\n\r\ncut short")
    return folder


@pytest.fixture(scope="module")
def spark():
    from rasid.batch.job import start_spark

    session = start_spark("local[2]")
    yield session
    session.stop()


@pytest.fixture(scope="module")
def tables(spark, inputs, tmp_path_factory) -> tuple[Path, dict]:
    from rasid.batch.job import run_batch

    out = tmp_path_factory.mktemp("batch-inputs-out") / "tables"
    report = run_batch([inputs.as_uri()], str(out), spark=spark, partitions=2, stages=("tokenize",))
    return out, report


def local_read(path: Path) -> list[Document]:
    """What `rasid ingest` reads from a file (rasid's own readers, no Spark)."""
    return [d for d in read_paths([path]) if isinstance(d, Document)]


def test_warc_parquet_and_jsonl_give_the_same_articles(tables, inputs, records, tmp_path):
    out, report = tables
    articles = {a["id"]: a for a in read_table(out, "articles")}
    assert report["articles"] == 7 and len(articles) == 7
    # the same seven records as one JSON Lines file, read as `rasid ingest` reads it
    jsonl = tmp_path / "all.jsonl"
    jsonl.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    expected = {d.id: d for d in local_read(jsonl)}
    assert set(articles) == set(expected)
    for doc in local_read(inputs / "crawl" / "pages.warc.gz"):
        # the WARC: as the local WARC reader gives it; the JSON Lines article's words
        a = articles[doc.id]
        assert (a["title"], a["text"], a["published"], a["url"]) == (doc.title, doc.text, doc.published, doc.url)
        assert a["origin"].endswith("pages.warc.gz#record-" + doc.origin.rsplit("-", 1)[1])
        assert a["title"] == expected[doc.id].title and a["text"].split() == expected[doc.id].text.split()
        assert a["published"] == expected[doc.id].published[:10]
    warc_ids = {d.id for d in local_read(inputs / "crawl" / "pages.warc.gz")}
    assert len(warc_ids) == 3
    for doc_id, doc in expected.items():
        if doc_id in warc_ids:
            continue
        a = articles[doc_id]  # Parquet rows and JSON Lines lines: the JSON Lines article exactly
        assert (a["title"], a["text"], a["published"], a["source"], a["author"]) == \
            (doc.title, doc.text, doc.published, doc.source, doc.author)
    origins = sorted(Path(a["origin"]).name for a in articles.values())
    assert origins == ["lines.jsonl:1", "lines.jsonl:2", "pages.warc.gz#record-2", "pages.warc.gz#record-3",
                       "pages.warc.gz#record-4", "rows.parquet:1", "rows.parquet:2"]


def test_unreadable_files_are_rejected_with_file_and_reason(tables):
    out, report = tables
    rejected = {Path(r["file"]).name: r for r in read_table(out, "rejected")}
    assert report["rejected"] == 3 and set(rejected) == {"junk.parquet", "broken.warc.gz", "garbage.warc"}
    assert "Parquet" in rejected["junk.parquet"]["reason"] and rejected["junk.parquet"]["line"] is None
    # WARC: the record it stopped at (here the first) in `line`
    for name in ("broken.warc.gz", "garbage.warc"):
        assert "corrupt WARC" in rejected[name]["reason"] and rejected[name]["line"] == 1
    assert all(r["file"].startswith("/") for r in rejected.values())  # a path, not file:/...


def test_a_path_and_its_file_uri_list_the_same_files(spark, inputs):
    from rasid.batch.job import list_input_files

    files = list_input_files(spark, [str(inputs)])
    assert files == list_input_files(spark, [inputs.as_uri()]) and len(files) == 6
    assert sorted(Path(f).name for f in files) == ["broken.warc.gz", "garbage.warc", "junk.parquet",
                                                   "lines.jsonl", "pages.warc.gz", "rows.parquet"]


def test_a_uri_spark_cannot_read_is_a_clear_error(spark, inputs):
    from rasid.batch.job import BatchError, list_input_files

    with pytest.raises(BatchError, match=r"s3a://bucket/news: Spark cannot read it: .*s3a"):
        list_input_files(spark, ["s3a://bucket/news"])
    with pytest.raises(BatchError, match="no such file"):
        list_input_files(spark, [(inputs / "missing").as_uri()])
