"""The raw records of `rasid batch` read without Spark (`rasid.batch.analyse`): a whole
WARC file's bytes (every gzip member, one per record), a file the driver could not read,
and the origins that become the ``file`` and ``line`` of the tables."""
from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from rasid.batch.analyse import read_file
from rasid.batch.tables import split_origin
from rasid.doc import Document
from rasid.ingest import Rejection
from rasid.ingest.files import read_paths

RESOURCES = Path(__file__).resolve().parents[1] / "resources"


def write_warc(records: list[dict]) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    stream = io.BytesIO()
    writer = WARCWriter(stream, gzip=True)
    for r in records:
        page = (f'<html lang="ar"><head><meta charset="utf-8"><title>{r["title"]}</title></head><body>'
                f'<article><h1>{r["title"]}</h1><p>{r["content"]}</p></article></body></html>')
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(r["url"], "response", payload=io.BytesIO(page.encode()),
                                                      http_headers=headers))
    return stream.getvalue()


def test_every_record_of_a_gzipped_warc_is_read_as_ingest_reads_the_file(tmp_path):
    lines = (RESOURCES / "saudinewsnet-sample.jsonl").read_text(encoding="utf-8").splitlines()[:3]
    data = write_warc([json.loads(line) for line in lines])
    path = tmp_path / "news.warc.gz"
    path.write_bytes(data)
    docs = list(read_file(str(path), data))
    local = list(read_paths([path]))
    assert len(docs) == 3 and all(isinstance(d, Document) for d in docs)
    assert [(d.id, d.title, d.text, d.origin) for d in docs] == [(d.id, d.title, d.text, d.origin) for d in local]
    assert [split_origin(d.origin) for d in docs] == [(str(path), n) for n in (1, 2, 3)]


def sample_lines(n: int) -> list[bytes]:
    lines = (RESOURCES / "saudinewsnet-sample.jsonl").read_bytes().splitlines(keepends=True)
    return lines[:n]


def test_a_corrupt_gzip_keeps_the_lines_before_the_damage_then_a_rejection():
    import gzip

    lines = sample_lines(6)
    data = gzip.compress(b"".join(lines))
    cut = data[:len(data) * 2 // 3]  # truncated: the download or the copy broke off
    items = list(read_file("/in/news.jsonl.gz", cut))
    *docs, last = items
    assert docs and all(isinstance(d, Document) for d in docs) and len(docs) < 6
    assert [split_origin(d.origin) for d in docs] == [("/in/news.jsonl.gz", n) for n in range(1, len(docs) + 1)]
    assert isinstance(last, Rejection) and "stopped reading" in last.reason
    assert split_origin(last.origin) == ("/in/news.jsonl.gz", len(docs) + 1)
    # garbage after a gzip header, and a file that is not gzip at all though named so
    for data in (b"\x1f\x8b\x08\x00" + bytes(range(256)) * 4, b"<html>not gzip"):
        items = list(read_file("/in/junk.jsonl.gz", data))
        assert len(items) == 1 and isinstance(items[0], Rejection), items
    assert split_origin(items[0].origin)[0] == "/in/junk.jsonl.gz"


def test_a_truncated_or_damaged_parquet_file_is_rejected_and_its_readable_row_groups_kept():
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    records = [json.loads(line) for line in sample_lines(6)]
    sink = io.BytesIO()
    pq.write_table(pa.Table.from_pylist(records), sink, row_group_size=2, compression="none")
    data = sink.getvalue()
    docs = list(read_file("/in/rows.parquet", data))
    assert [split_origin(d.origin) for d in docs] == [("/in/rows.parquet", n) for n in range(1, 7)]
    assert [d.title for d in docs] == [r["title"] for r in records]
    (cut,) = read_file("/in/rows.parquet", data[:len(data) // 2])  # no footer
    assert isinstance(cut, Rejection) and "unreadable Parquet file" in cut.reason
    assert split_origin(cut.origin) == ("/in/rows.parquet", None)
    # the second row group's data overwritten: rows 3-4 rejected, the others read
    meta = pq.ParquetFile(io.BytesIO(data)).metadata.row_group(1).column(0)
    start = meta.data_page_offset
    broken = data[:start] + b"\xff" * 64 + data[start + 64:]
    items = list(read_file("/in/rows.parquet", broken))
    rejected = [i for i in items if isinstance(i, Rejection)]
    assert [split_origin(r.origin) for r in rejected] == [("/in/rows.parquet", 3)]
    assert "row group 1 (rows 3-4)" in rejected[0].reason
    assert [split_origin(d.origin)[1] for d in items if isinstance(d, Document)] == [1, 2, 5, 6]


def test_a_warc_with_a_bad_record_keeps_the_records_before_it():
    lines = sample_lines(2)
    good = write_warc([json.loads(line) for line in lines])
    bad = good + b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 99999\r\n\r\ncut short"
    *docs, last = read_file("/in/crawl.warc.gz", bad)
    assert [split_origin(d.origin) for d in docs] == [("/in/crawl.warc.gz", 1), ("/in/crawl.warc.gz", 2)]
    assert isinstance(last, Rejection) and "WARC" in last.reason
    assert split_origin(last.origin) == ("/in/crawl.warc.gz", 3)


def test_origins_split_into_file_and_line():
    assert split_origin("/in/a.jsonl:12") == ("/in/a.jsonl", 12)
    assert split_origin("/in/rows.parquet:3") == ("/in/rows.parquet", 3)
    assert split_origin("hdfs://nn:8020/in/c.warc.gz#record-7") == ("hdfs://nn:8020/in/c.warc.gz", 7)
    assert split_origin("hdfs://nn:8020/in/page.html") == ("hdfs://nn:8020/in/page.html", None)


def test_a_failed_spark_job_exits_5_not_1_like_rejected_records(tmp_path, monkeypatch, capsys):
    """A crash of the job (here a Py4J error as a failed stage raises it) must not look like
    "finished, some records rejected" (exit 1) to a script or the bench."""
    import rasid.batch.job as job
    from rasid.cli.main import EXIT_FAILED, main

    class JavaError(Exception):
        class java_exception:  # what Py4J attaches
            @staticmethod
            def toString():
                return "org.apache.spark.SparkException: Job aborted due to stage failure\n\tat ..."

    def fail(*args, **kwargs):
        raise JavaError("An error occurred while calling o123.save")

    monkeypatch.setattr(job, "run_batch", fail)
    (tmp_path / "in.jsonl").write_text('{"title": "عنوان", "text": "نص الخبر."}\n', encoding="utf-8")
    code = main(["batch", str(tmp_path / "in.jsonl"), "-o", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code == EXIT_FAILED == 5
    assert "the Spark job failed" in err and "Job aborted due to stage failure" in err


def test_a_partition_analysed_in_chunks_gives_the_rows_of_one_document_at_a_time(monkeypatch):
    """`analyse_partition` analyses ``ner_batch_articles`` documents at a time: the same rows,
    in the same order, as one at a time; an unreadable line and an article a stage fails on
    are each a rejected row in their place, and the others of their chunk are analysed."""
    from rasid.batch.analyse import analyse_partition, get_pipeline

    lines = (RESOURCES / "saudinewsnet-sample.jsonl").read_text(encoding="utf-8").splitlines()[:6]
    bad = json.loads(lines[4])
    bad["url"] += "-bad"
    bad["content"] = "نص يفشل عليه التحليل. " + bad["content"]
    raw = lines[:2] + ["{not json"] + lines[2:4] + [json.dumps(bad, ensure_ascii=False)] + lines[4:]
    records = [("news.jsonl", k + 1, "line", line.encode()) for k, line in enumerate(raw)]
    stages = ("tokenize", "ner", "dates", "places")
    dates = next(s for s in get_pipeline(stages).stages if s.name == "dates")
    real = type(dates).__call__

    def failing(self, doc):
        if "يفشل عليه التحليل" in doc.text:
            raise ValueError("a stage failed on this article")
        return real(self, doc)

    monkeypatch.setattr(type(dates), "__call__", failing)
    pipeline = get_pipeline(stages)
    run_chunk, chunks = type(pipeline).run_chunk, []

    def counted(self, docs):
        chunks.append(len(docs))
        return run_chunk(self, docs)

    monkeypatch.setattr(type(pipeline), "run_chunk", counted)
    rows = {}
    for size in ("1", "3"):
        monkeypatch.setenv("RASID_NER_BATCH_ARTICLES", size)
        chunks.clear()
        rows[size] = list(analyse_partition(records, stages))
        assert chunks == ([1] * 7 if size == "1" else [3, 3, 1])
    assert rows["1"] == rows["3"]
    reasons = [r.get("reason") for r in rows["3"]]
    assert [bool(r) for r in reasons] == [False, False, True, False, False, True, False, False]
    assert reasons[2].startswith("unreadable") or "json" in reasons[2].lower()
    assert "a stage failed on this article" in reasons[5] and rows["3"][5]["line"] == 6
    assert all(rows["3"][k]["mentions"] for k in (3, 4, 6))  # the rest of the chunk analysed
