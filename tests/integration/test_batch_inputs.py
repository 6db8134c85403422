"""`rasid batch` reads WARC, Parquet and JSON Lines, a directory mixing them given as a
``file://`` URI, and sends unreadable files to ``rejected`` without stopping.

Input: the first 7 articles of tests/resources/saudinewsnet-sample.jsonl (see README.md):
3 as HTML pages in a WARC built here with warcio, 2 as a Parquet file written with
pyarrow, 2 as JSON Lines; the next ones in a gzipped JSON Lines file cut short (the lines
before the damage are read) and a JSON Lines file with a line that is not UTF-8; and
garbage files (Parquet, WARC, gzip). One Spark session and one batch run (tokenizer only:
the stages are tested in test_batch_spark.py) for the module; the readers themselves are
tested without Spark in tests/unit/test_batch_records.py."""
from __future__ import annotations

import gzip
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
    lines = (RESOURCES / "saudinewsnet-sample.jsonl").read_text(encoding="utf-8").splitlines()[:13]
    return [json.loads(line) for line in lines]


@pytest.fixture(scope="module")
def inputs(records, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("batch-inputs")
    (folder / "crawl").mkdir()
    write_warc(folder / "crawl" / "pages.warc.gz", records[:3])
    pq.write_table(pa.Table.from_pylist(records[3:5]), folder / "rows.parquet")
    (folder / "lines.jsonl").write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records[5:7]), encoding="utf-8")
    packed = gzip.compress("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records[7:12]).encode())
    (folder / "cut.jsonl.gz").write_bytes(packed[:len(packed) * 9 // 10])
    (folder / "noise.jsonl.gz").write_bytes(b"\x1f\x8b\x08\x00" + bytes(range(256)) * 8)
    (folder / "latin.jsonl").write_bytes(json.dumps(records[12], ensure_ascii=False).encode() + b"\n"
                                         + b'{"title": "caf\xe9", "content": "\xe9\xe8\xff\xfe"}\n')
    rows = io.BytesIO()
    pq.write_table(pa.Table.from_pylist(records[3:5]), rows)
    (folder / "half.parquet").write_bytes(rows.getvalue()[:len(rows.getvalue()) // 2])
    (folder / "junk.parquet").write_bytes(b"PAR1 this is not a parquet file")
    (folder / "crawl" / "broken.warc.gz").write_bytes(b"\x1f\x8b\x08\x00 truncated gzip")
    (folder / "crawl" / "garbage.warc").write_bytes(
        b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 99999\r\n\r\ncut short")
    return folder


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
    # what `rasid ingest` reads of the damaged gzip: the lines before the damage
    cut = local_read(inputs / "cut.jsonl.gz")
    assert 1 <= len(cut) < 5
    assert report["articles"] == 8 + len(cut) and len(articles) == 8 + len(cut)
    # the same records as one JSON Lines file, read as `rasid ingest` reads it
    jsonl = tmp_path / "all.jsonl"
    jsonl.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records[:7 + len(cut)] + records[12:]),
                     encoding="utf-8")
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
    assert origins == sorted(["lines.jsonl:1", "lines.jsonl:2", "pages.warc.gz#record-2", "pages.warc.gz#record-3",
                              "pages.warc.gz#record-4", "rows.parquet:1", "rows.parquet:2", "latin.jsonl:1"]
                             + [f"cut.jsonl.gz:{n}" for n in range(1, len(cut) + 1)])


def test_unreadable_files_and_lines_are_rejected_with_file_line_and_reason(tables, inputs):
    out, report = tables
    rejected = {Path(r["file"]).name: r for r in read_table(out, "rejected")}
    assert report["rejected"] == 7 and set(rejected) == {
        "junk.parquet", "half.parquet", "broken.warc.gz", "garbage.warc", "cut.jsonl.gz", "noise.jsonl.gz",
        "latin.jsonl"}
    for name in ("junk.parquet", "half.parquet"):
        assert "Parquet" in rejected[name]["reason"] and rejected[name]["line"] is None
    # WARC: the record it stopped at (here the first) in `line`
    for name in ("broken.warc.gz", "garbage.warc"):
        assert "corrupt WARC" in rejected[name]["reason"] and rejected[name]["line"] == 1
    # gzip: the line it stopped at, as `rasid ingest` says it
    (stop,) = [r for r in read_paths([inputs / "cut.jsonl.gz"]) if not isinstance(r, Document)]
    assert "stopped reading" in rejected["cut.jsonl.gz"]["reason"]
    assert f"{rejected['cut.jsonl.gz']['file']}:{rejected['cut.jsonl.gz']['line']}" == stop.origin
    assert rejected["noise.jsonl.gz"]["line"] == 1 and "stopped reading" in rejected["noise.jsonl.gz"]["reason"]
    assert rejected["latin.jsonl"]["line"] == 2 and "undecodable" in rejected["latin.jsonl"]["reason"]
    assert all(r["file"].startswith("/") for r in rejected.values())  # a path, not file:/...


def test_a_path_and_its_file_uri_list_the_same_files(spark, inputs):
    from rasid.batch.job import list_input_files

    files = list_input_files(spark, [str(inputs)])
    assert files == list_input_files(spark, [inputs.as_uri()]) and len(files) == 10
    assert sorted(Path(f).name for f in files) == ["broken.warc.gz", "cut.jsonl.gz", "garbage.warc", "half.parquet",
                                                   "junk.parquet", "latin.jsonl", "lines.jsonl", "noise.jsonl.gz",
                                                   "pages.warc.gz", "rows.parquet"]


def test_a_uri_spark_cannot_read_is_a_clear_error(spark, inputs):
    from rasid.batch.job import BatchError, list_input_files

    with pytest.raises(BatchError, match=r"s3a://bucket/news: Spark cannot read it: .*s3a"):
        list_input_files(spark, ["s3a://bucket/news"])
    with pytest.raises(BatchError, match="no such file"):
        list_input_files(spark, [(inputs / "missing").as_uri()])
