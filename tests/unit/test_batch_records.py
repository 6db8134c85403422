"""The raw records of `rasid batch` read without Spark (`rasid.batch.analyse`): a whole
WARC file's bytes (every gzip member, one per record), a file the driver could not read,
and the origins that become the ``file`` and ``line`` of the tables."""
from __future__ import annotations

import io
import json
from pathlib import Path

from rasid.batch.analyse import read_raw_record
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
    docs = list(read_raw_record(str(path), None, "file", data))
    local = list(read_paths([path]))
    assert len(docs) == 3 and all(isinstance(d, Document) for d in docs)
    assert [(d.id, d.title, d.text, d.origin) for d in docs] == [(d.id, d.title, d.text, d.origin) for d in local]
    assert [split_origin(d.origin) for d in docs] == [(str(path), n) for n in (1, 2, 3)]


def test_a_file_the_driver_could_not_read_is_a_rejection():
    [item] = read_raw_record("/in/junk.parquet", None, "error", "unreadable Parquet file: no footer")
    assert isinstance(item, Rejection) and item.origin == "/in/junk.parquet"
    assert split_origin(item.origin) == ("/in/junk.parquet", None)


def test_origins_split_into_file_and_line():
    assert split_origin("/in/a.jsonl:12") == ("/in/a.jsonl", 12)
    assert split_origin("/in/rows.parquet:3") == ("/in/rows.parquet", 3)
    assert split_origin("hdfs://nn:8020/in/c.warc.gz#record-7") == ("hdfs://nn:8020/in/c.warc.gz", 7)
    assert split_origin("hdfs://nn:8020/in/page.html") == ("hdfs://nn:8020/in/page.html", None)
