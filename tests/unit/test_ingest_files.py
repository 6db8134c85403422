"""Directories, standard input, legacy encodings and bad inputs."""
from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

import pytest

from rasid.ingest import DecodeError, Rejection, decode_bytes, read_paths, read_stream
from rasid.ingest.encoding import score_arabic_text
from rasid.ingest.text import split_text_article

RESOURCES = Path(__file__).resolve().parents[1] / "resources"
SAMPLE = RESOURCES / "saudinewsnet-sample.jsonl"
TITLE = "هجمات باريس: محاربة تنظيم الدولة في الداخل والخارج"


def kinds(items) -> list[str]:
    return ["R" if isinstance(i, Rejection) else "D" for i in items]


def rss(paragraph: str) -> str:
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>بي بي سي</title>'
            f"<item><title>خبر</title><link>http://www.bbc.com/arabic/1</link><guid>1</guid>"
            f"<description>{paragraph}</description></item></channel></rss>")


def html(title: str, paragraphs: list[str]) -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (f"<!DOCTYPE html><html><head><title>{title}</title></head>"
            f"<body><article><h1>{title}</h1>{body}</article></body></html>")


# -- directories ------------------------------------------------------------------------

def test_directory_recursive_dispatch(tmp_path, seed_text):
    _, paragraphs, _ = split_text_article(seed_text)
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "deep").mkdir()
    (tmp_path / ".hidden").mkdir()
    (tmp_path / "a.txt").write_text(seed_text, encoding="utf-8")
    (tmp_path / "b" / "news.jsonl").write_bytes(b"\n".join(SAMPLE.read_bytes().splitlines()[:2]))
    (tmp_path / "b" / "deep" / "page.HTML").write_text(html(TITLE, paragraphs[:4]), encoding="utf-8")
    (tmp_path / "b" / "deep" / "feed.rss").write_text(rss(paragraphs[5]), encoding="utf-8")
    (tmp_path / "b" / "more.ndjson").write_bytes(SAMPLE.read_bytes().splitlines()[5])
    (tmp_path / "b" / "old.jsonl.gz").write_bytes(gzip.compress(SAMPLE.read_bytes().splitlines()[6]))
    (tmp_path / "notes.md").write_text("# ملاحظات", encoding="utf-8")  # unknown extension: skipped
    (tmp_path / ".hidden" / "x.txt").write_text("عنوان\n\nنص", encoding="utf-8")
    items = list(read_paths([tmp_path]))
    assert kinds(items) == ["D"] * 7
    b = tmp_path / "b"
    assert [i.origin for i in items] == [
        str(tmp_path / "a.txt"),
        f"{b / 'deep' / 'feed.rss'}#item-1",
        str(b / "deep" / "page.HTML"),
        f"{b / 'more.ndjson'}:1",
        f"{b / 'news.jsonl'}:1",
        f"{b / 'news.jsonl'}:2",
        f"{b / 'old.jsonl.gz'}:1",
    ]
    assert items[0].title == TITLE and len(items[0].images) == 5
    assert items[1].text == paragraphs[5]
    assert items[2].text == "\n\n".join(paragraphs[:4])
    assert items[6].source == json.loads(SAMPLE.read_bytes().splitlines()[6])["source"]


def test_directory_order_is_sorted_and_complete(tmp_path):
    lines = SAMPLE.read_bytes().splitlines()
    (tmp_path / "z").mkdir()
    (tmp_path / "z" / "2.jsonl").write_bytes(lines[1])
    (tmp_path / "1.jsonl.gz").write_bytes(gzip.compress(lines[0]))
    (tmp_path / "3.ndjson").write_bytes(lines[2])
    docs = list(read_paths([tmp_path]))
    assert [d.origin for d in docs] == [f"{tmp_path}/1.jsonl.gz:1", f"{tmp_path}/3.ndjson:1", f"{tmp_path}/z/2.jsonl:1"]


# -- standard input ---------------------------------------------------------------------

def test_stdin_jsonl():
    stream = io.BufferedReader(io.BytesIO(SAMPLE.read_bytes()))
    docs = list(read_stream(stream))
    assert len(docs) == 20
    assert docs[0].origin == "<stdin>:1" and docs[19].origin == "<stdin>:20"
    assert docs[0].source == "aawsat"


def test_stdin_plain_text(seed_text):
    [doc] = list(read_stream(io.BytesIO(seed_text.encode("utf-8"))))
    assert doc.title == TITLE and doc.origin == "<stdin>" and len(doc.images) == 5


def test_stdin_html_feed_and_gzip(seed_text):
    _, paragraphs, _ = split_text_article(seed_text)
    [page] = list(read_stream(io.BytesIO(html(TITLE, paragraphs[:3]).encode("utf-8")), name="-"))
    assert page.text == "\n\n".join(paragraphs[:3]) and page.origin == "-"
    [item] = list(read_stream(io.BytesIO(rss(paragraphs[4]).encode("utf-8"))))
    assert item.text == paragraphs[4] and item.origin == "<stdin>#item-1"
    zipped = list(read_stream(io.BytesIO(gzip.compress(SAMPLE.read_bytes()))))
    assert len(zipped) == 20 and zipped[0].origin == "<stdin>:1"


def test_stdin_jsonl_with_bad_line():
    data = SAMPLE.read_bytes().splitlines()[:2]
    stream = io.BytesIO(data[0] + b"\n{not json}\n" + data[1] + b"\n")
    items = list(read_stream(stream, field_map={"text": "content"}))
    assert kinds(items) == ["D", "R", "D"]
    assert items[1].origin == "<stdin>:2" and items[1].reason.startswith("malformed JSON")


# -- encodings --------------------------------------------------------------------------

@pytest.mark.parametrize("encoding, name", [("cp1256", "windows-1256"), ("iso-8859-6", "iso-8859-6")])
def test_decode_legacy_arabic(seed_text, encoding, name):
    data = seed_text.encode(encoding)
    assert data != seed_text.encode("utf-8")
    text, detected = decode_bytes(data)
    assert detected == name
    assert text == seed_text


@pytest.mark.parametrize("encoding", ["cp1256", "iso-8859-6"])
def test_decode_short_legacy_texts(encoding):
    records = [json.loads(line) for line in SAMPLE.read_text(encoding="utf-8").splitlines()]
    for rec in records[:10]:
        title = rec["title"]
        try:
            data = title.encode(encoding)
        except UnicodeEncodeError:
            continue  # « » and some punctuation are not in ISO-8859-6
        text, _ = decode_bytes(data)
        assert text == title


def test_decode_utf8_with_and_without_bom(seed_text):
    assert decode_bytes(seed_text.encode("utf-8")) == (seed_text, "utf-8")
    assert decode_bytes(b"\xef\xbb\xbf" + seed_text.encode("utf-8")) == (seed_text, "utf-8-sig")
    assert decode_bytes(seed_text.encode("utf-16")) == (seed_text, "utf-16")


def test_decode_wrong_code_page_scores_low(seed_text):
    data = seed_text.encode("iso-8859-6")
    assert score_arabic_text(data.decode("windows-1256")) < 0.5
    assert score_arabic_text(data.decode("iso-8859-6")) == 1.0


def test_decode_garbage_raises():
    with pytest.raises(DecodeError, match="undecodable bytes"):
        decode_bytes(bytes(range(256)) * 4)


@pytest.mark.parametrize("encoding", ["cp1256", "iso-8859-6", "utf-8-sig"])
def test_legacy_text_files(tmp_path, seed_text, encoding):
    path = tmp_path / f"paris-{encoding}.txt"
    path.write_bytes(seed_text.encode(encoding))
    [doc] = list(read_paths([path]))
    assert doc.title == TITLE
    assert doc.text == list(read_stream(io.BytesIO(seed_text.encode("utf-8"))))[0].text


def test_legacy_jsonl_lines(tmp_path):
    rec = {"title": "هجمات باريس", "content": "تحدث الرئيس الفرنسي فرانسوا هولاند عن حرب لا رحمة فيها."}
    line = json.dumps(rec, ensure_ascii=False)
    path = tmp_path / "legacy.jsonl"
    path.write_bytes(line.encode("cp1256") + b"\n" + line.encode("iso-8859-6") + b"\n")
    docs = list(read_paths([path]))
    assert [d.text for d in docs] == [rec["content"]] * 2


# -- bad inputs -------------------------------------------------------------------------

def test_oversized_file_rejected_without_reading(tmp_path):
    big_txt = tmp_path / "huge.txt"
    with open(big_txt, "wb") as out:
        out.truncate(60 * 1024 * 1024)  # sparse: 60 MB of NUL bytes, nothing written
    big_html = tmp_path / "huge.html"
    with open(big_html, "wb") as out:
        out.truncate(50 * 1024 * 1024 + 1)
    items = list(read_paths([big_txt, big_html, SAMPLE]))
    assert kinds(items[:2]) == ["R", "R"]
    # rejected for its size, not for its (unread) NUL content
    assert items[0].reason == f"file too large: {60 * 1024 * 1024} bytes, limit {50 * 1024 * 1024}"
    assert items[1].reason.startswith("file too large")
    assert items[0].origin == str(big_txt)
    assert len(items) == 22  # the rest of the batch still comes


def test_json_lines_of_any_size_are_read_record_by_record(tmp_path):
    """The file limit bounds what is read whole; a JSON Lines file (plain or gzip) is a
    stream of records, so one far over `max_bytes` is read, not rejected."""
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()[:20]
    path = tmp_path / "month.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    gz = tmp_path / "month.jsonl.gz"
    gz.write_bytes(gzip.compress(path.read_bytes()))
    limit = len(lines[0].encode("utf-8")) * 3
    assert path.stat().st_size > limit
    for item in (path, gz):
        docs = list(read_paths([item], max_bytes=limit))
        assert kinds(docs) == ["D"] * 20
        assert docs[-1].title == json.loads(lines[-1])["title"]
    array = tmp_path / "month.json"
    array.write_text("[" + ",".join(lines) + "]", encoding="utf-8")
    [rejection] = list(read_paths([array], max_bytes=limit))  # one JSON document is read whole
    assert "JSON document too large" in rejection.reason


def test_size_limit_is_configurable(tmp_path, seed_text):
    path = tmp_path / "paris.txt"
    path.write_text(seed_text, encoding="utf-8")
    [rejection] = list(read_paths([path], max_bytes=1000))
    assert isinstance(rejection, Rejection) and "file too large" in rejection.reason
    [rejection] = list(read_stream(io.BytesIO(seed_text.encode("utf-8")), max_bytes=1000))
    assert "too large" in rejection.reason


def test_bad_files_reported_and_batch_continues(tmp_path, seed_text):
    (tmp_path / "1-binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200))
    (tmp_path / "2-empty.txt").write_bytes(b"")
    (tmp_path / "3-bom-only.txt").write_text("\ufeff\n \n", encoding="utf-8")
    (tmp_path / "4-undecodable.txt").write_bytes(b"caf\xe9\xc7 \x81\x8d\xfe" * 20)
    (tmp_path / "5-good.txt").write_text(seed_text, encoding="utf-8")
    (tmp_path / "6-binary.jsonl").write_bytes(b"\x00\x01\x02binary" * 100)
    (tmp_path / "7-corrupt.jsonl.gz").write_bytes(b"\x1f\x8b\x08\x00garbage")
    items = list(read_paths([tmp_path, tmp_path / "missing.txt"]))
    reasons = {Path(i.origin).name: i.reason for i in items if isinstance(i, Rejection)}
    assert reasons["1-binary.txt"] == "binary file (NUL bytes)"
    assert reasons["2-empty.txt"] == "empty file"
    assert reasons["3-bom-only.txt"] == "empty article"
    assert reasons["4-undecodable.txt"].startswith("undecodable bytes")
    assert reasons["6-binary.jsonl"] == "binary file (NUL bytes)"
    assert "7-corrupt.jsonl.gz" in reasons
    assert reasons["missing.txt"].startswith("cannot read")
    docs = [i for i in items if not isinstance(i, Rejection)]
    assert [d.title for d in docs] == [TITLE]


def test_named_file_with_unknown_extension_is_sniffed(tmp_path, seed_text):
    article = tmp_path / "paris-article"
    article.write_text(seed_text, encoding="utf-8")
    record = json.loads(SAMPLE.read_text(encoding="utf-8").splitlines()[0])
    pretty = tmp_path / "record.dat"
    pretty.write_text(json.dumps(record, ensure_ascii=False, indent=2), encoding="utf-8")
    items = list(read_paths([article, pretty]))
    assert kinds(items) == ["D", "D"]
    assert items[0].title == TITLE
    assert items[1].title == record["title"] and items[1].origin == str(pretty)
