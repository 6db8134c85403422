"""WARC files of news pages, written with warcio from the seed article."""
from __future__ import annotations

import io
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from rasid.ingest import Rejection, read_paths, read_warc
from rasid.ingest.text import split_text_article


@pytest.fixture(scope="module")
def article(seed_text):
    title, paragraphs, _ = split_text_article(seed_text)
    return title, paragraphs


def page(title: str, paragraphs: list[str], charset: str = "utf-8") -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (f'<html lang="ar"><head><meta charset="{charset}"><title>{title}</title>'
            f'<meta name="author" content="فرانك غاردنر">'
            f'<meta property="article:published_time" content="2015-11-16T10:00:00Z"></head>'
            f'<body><nav><a href="/">الرئيسية</a></nav><article><h1>{title}</h1>{body}</article></body></html>')


def write_warc(path: Path, records: list[tuple], gzip: bool = True) -> None:
    with open(path, "wb") as out:
        writer = WARCWriter(out, gzip=gzip)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "rasid-tests"}))
        for kind, url, status, content_type, payload in records:
            if kind == "request":
                http = StatusAndHeaders(f"GET {url} HTTP/1.1", [("Host", "www.bbc.com")], is_http_request=True)
                writer.write_record(writer.create_warc_record(url, "request", payload=io.BytesIO(b""),
                                                              http_headers=http))
                continue
            http = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(payload),
                                                          http_headers=http))


URL1 = "https://www.bbc.com/arabic/middleeast/2015/11/151116_paris_analysis"
URL2 = "https://www.bbc.com/arabic/world/2015/11/151115_belgium"


@pytest.mark.parametrize("gzip", [True, False], ids=["warc.gz", "warc"])
def test_warc_html_responses_become_documents(tmp_path, article, gzip):
    title, paragraphs = article
    path = tmp_path / ("crawl.warc.gz" if gzip else "crawl.warc")
    write_warc(path, [
        ("request", URL1, None, None, None),
        ("response", URL1, "200 OK", "text/html; charset=utf-8", page(title, paragraphs[:6]).encode("utf-8")),
        ("response", "https://www.bbc.com/arabic/logo.png", "200 OK", "image/png", b"\x89PNG\r\n\x1a\n\x00\x00"),
        ("response", URL2, "200 OK", "text/html; charset=windows-1256",
         page("صلات داخل بلجيكا", paragraphs[20:24], charset="windows-1256").encode("cp1256")),
        ("response", "https://www.bbc.com/arabic/gone", "404 Not Found", "text/html",
         "<html><body><p>الصفحة غير موجودة</p></body></html>".encode("utf-8")),
        ("response", "https://www.bbc.com/arabic/index", "200 OK", "text/html",
         "<html><body><nav><a href='/'>الرئيسية</a></nav></body></html>".encode("utf-8")),
    ], gzip=gzip)
    items = list(read_warc(path))
    assert [type(i).__name__ for i in items] == ["Document", "Document", "Rejection", "Rejection"]
    first, second, gone, empty = items
    # record 1 is warcinfo, 2 the request, 3 the first response
    assert first.origin == f"{path}#record-3"
    assert first.url == URL1
    assert first.title == title
    assert first.text == "\n\n".join(paragraphs[:6])
    assert first.author == "فرانك غاردنر"
    assert first.published == "2015-11-16"
    assert "warc_date" in first.meta
    assert second.origin == f"{path}#record-5"
    assert second.url == URL2
    assert second.text == "\n\n".join(paragraphs[20:24])  # decoded from Windows-1256
    assert gone.origin == f"{path}#record-6" and "404" in gone.reason
    assert empty.origin == f"{path}#record-7" and "no article" in empty.reason


def test_warc_truncated_file_keeps_earlier_records(tmp_path, article):
    title, paragraphs = article
    path = tmp_path / "good.warc"
    write_warc(path, [("response", URL1, "200 OK", "text/html", page(title, paragraphs[:4]).encode("utf-8")),
                      ("response", URL2, "200 OK", "text/html", page(title, paragraphs[4:8]).encode("utf-8"))],
               gzip=False)
    data = path.read_bytes()
    broken = tmp_path / "broken.warc"
    broken.write_bytes(data + b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 99999\r\n\r\n<html>")
    garbage = tmp_path / "garbage.warc"
    garbage.write_bytes(b"this is not a warc file at all\n" * 10)
    items = list(read_paths([broken, garbage]))
    docs = [i for i in items if not isinstance(i, Rejection)]
    rejections = [i for i in items if isinstance(i, Rejection)]
    assert [d.url for d in docs] == [URL1, URL2]
    assert [r.origin.rsplit("/", 1)[-1] for r in rejections] == ["broken.warc#record-4", "garbage.warc"]
    assert rejections[1].reason == "not a WARC file (no WARC/ header)"


def test_gzipped_warc_from_standard_input_gives_every_record(tmp_path, article):
    """A .warc.gz is one gzip member per record: read from a stream (standard input) or from
    bytes, every member is unpacked, not only the first."""
    from rasid.ingest.files import read_stream

    title, paragraphs = article
    path = tmp_path / "crawl.warc.gz"
    write_warc(path, [("response", URL1, "200 OK", "text/html", page(title, paragraphs[:4]).encode("utf-8")),
                      ("response", URL2, "200 OK", "text/html", page(title, paragraphs[4:8]).encode("utf-8"))])
    items = list(read_stream(io.BytesIO(path.read_bytes()), "<stdin>"))
    assert [getattr(i, "url", None) for i in items] == [URL1, URL2]
    assert items[1].text == "\n\n".join(paragraphs[4:8])
