"""Issue 15, items 1 and 2: one bad record never stops a batch, and every input is bounded.

Real SaudiNewsNet records (tests/resources/saudinewsnet-sample.jsonl) surround hostile
ones; every valid record, in this file and in the next files of the directory, must be
stored, and each bad one rejected with its file, line and reason."""
from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from rasid.doc import MAX_ARTICLE_CHARS, Document
from rasid.ingest import Rejection, read_paths
from rasid.monitor import Monitor
from rasid.ingest.records import MAX_LINE_BYTES

RESOURCES = Path(__file__).resolve().parents[1] / "resources"
SAMPLE = RESOURCES / "saudinewsnet-sample.jsonl"
STAGES = ("tokenize",)  # the readers and checks are under test here, not the analysis


@pytest.fixture(scope="module")
def lines() -> list[str]:
    return SAMPLE.read_text(encoding="utf-8").splitlines()


def hostile_lines(good: list[str]) -> list[tuple[str, str]]:
    """(line, expected reason words) for each hostile record."""
    rec = json.loads(good[0])
    return [
        ('{"content": ' + "[" * 1000 + "]" * 1000 + "}", "nested"),
        (json.dumps({**rec, "url": "http://x.test/1", "title": ["عنوان", ["آخر", {"x": [1]}]],
                     "meta_x": {"a": [[[[]]]]}}), ""),  # a list title is joined, not a crash
        ('{"content": "نص", "n": ' + "9" * 5000 + "}", "integer"),
        ('{"content": "نص عن الرياض", "score": NaN}', "NaN"),
        ('{"content": "نص عن الرياض", "score": -Infinity}', "Infinity"),
        ('{"content": "نص عن الرياض", "score": 1e999}', "out of range"),
        ('{"content": "نص", "title": {"name": 5}, "author": true, "source": 3.5}', ""),
        ('{"content": "نص عن جدة", "meta": ' + '{"a": ' * 40 + "1" + "}" * 40 + "}", "deeper"),
        ('{"content": 12345}', "not a string"),
        ('[1, 2', "malformed"),
        ('"just a string"', "not a JSON object"),
    ]


def test_bad_records_are_rejected_and_the_rest_of_the_directory_stored(tmp_path, lines):
    folder = tmp_path / "in"
    folder.mkdir()
    hostile = hostile_lines(lines)
    mixed = [lines[1], *[h for h, _ in hostile], lines[2]]
    (folder / "a.jsonl").write_text("\n".join(mixed) + "\n", encoding="utf-8")
    (folder / "b.jsonl").write_text("\n".join(lines[3:6]) + "\n", encoding="utf-8")
    with Monitor(str(tmp_path / "x.db"), stages=STAGES) as monitor:
        summary = monitor.ingest([str(folder)])
        stored_ids = {row[0] for row in monitor.store.con.execute("SELECT id FROM articles")}
        metas = [row[0] for row in monitor.store.con.execute("SELECT meta FROM articles")]
    assert not summary.failed
    by_line = {r.origin: r.reason for r in summary.rejected}
    for n, (_, words) in enumerate(hostile, 2):
        origin = f"{folder / 'a.jsonl'}:{n}"
        if words:
            assert words.lower() in by_line[origin].lower(), (origin, by_line.get(origin))
    # every good record (and the odd-but-usable ones) is stored
    good = [json.loads(x)["url"] for x in (lines[1], lines[2], *lines[3:6])]
    docs = [d for d in read_paths([folder]) if isinstance(d, Document)]
    assert {d.id for d in docs if d.url in good} <= stored_ids
    assert summary.stored == len(stored_ids) >= len(good) + 1
    for meta in metas:  # strict JSON, no NaN
        json.loads(meta, parse_constant=lambda c: pytest.fail(f"stored {c}"))


def test_a_line_over_the_limit_is_skipped_without_holding_it(tmp_path, lines):
    path = tmp_path / "long.jsonl.gz"
    huge = '{"content": "' + "ن" * 3_000_000 + '"}'
    with gzip.open(path, "wt", encoding="utf-8") as out:
        out.write(lines[0] + "\n" + huge + "\n" + lines[1] + "\n")
    from rasid.ingest.jsonl import read_jsonl

    items = list(read_jsonl(path, max_line=1_000_000))
    assert [type(i).__name__ for i in items] == ["Document", "Rejection", "Document"]
    assert items[1].origin == f"{path}:2" and "line too long: over 1000000 bytes" in items[1].reason


def test_compressed_files_are_bounded_by_their_decompressed_size(tmp_path, lines):
    bomb = tmp_path / "bomb.jsonl.gz"
    with gzip.open(bomb, "wb") as out:
        out.write((lines[0] + "\n").encode())
        out.write(b" " * (MAX_LINE_BYTES + 1) + b"\n")  # one line that expands past the line limit
        out.write((lines[1] + "\n").encode())
    assert bomb.stat().st_size < 100_000
    after = tmp_path / "z.jsonl"
    after.write_text(lines[2] + "\n", encoding="utf-8")
    items = list(read_paths([bomb, after], max_bytes=1_000_000))
    # the line is skipped unread, the records around it and the next file are kept
    assert [type(i).__name__ for i in items] == ["Document", "Rejection", "Document", "Document"]
    assert items[1].origin == f"{bomb}:2" and "line too long" in items[1].reason
    array = tmp_path / "array.json.gz"  # one JSON document is read whole: bounded by max_bytes
    array.write_bytes(gzip.compress(b"[" + b" " * 3_000_000 + b"]"))
    [stop] = list(read_paths([array], max_bytes=1_000_000))
    assert "over 1000000 bytes" in stop.reason
    gz = tmp_path / "page.html.gz"
    gz.write_bytes(gzip.compress(b"<html>" + b" " * 3_000_000 + b"</html>"))
    from rasid.ingest.files import read_bytes

    [rejected] = list(read_bytes(gz.read_bytes(), str(gz), max_bytes=1_000_000))
    assert isinstance(rejected, Rejection) and "over 1000000 bytes uncompressed" in rejected.reason


def test_article_length_limit_names_source_and_limit(tmp_path):
    path = tmp_path / "long.txt"
    path.write_text("عنوان\n\n" + "كلمة " * (MAX_ARTICLE_CHARS // 5 + 10), encoding="utf-8")
    with Monitor(str(tmp_path / "l.db"), stages=STAGES) as monitor:
        summary = monitor.ingest([str(path)])
    assert summary.stored == 0
    [rejection] = summary.rejected
    assert rejection.origin == str(path) and str(MAX_ARTICLE_CHARS) in rejection.reason


def test_script_urls_are_dropped_at_ingest(tmp_path, lines):
    rec = json.loads(lines[0])
    path = tmp_path / "js.jsonl"
    path.write_text(json.dumps({**rec, "url": "javascript:alert(document.cookie)"}, ensure_ascii=False)
                    + "\n" + json.dumps({**json.loads(lines[1]), "url": " DATA:text/html,<script>x</script>"},
                                        ensure_ascii=False) + "\n", encoding="utf-8")
    with Monitor(str(tmp_path / "j.db"), stages=STAGES) as monitor:
        summary = monitor.ingest([str(path)])
        urls = [row[0] for row in monitor.store.con.execute("SELECT url FROM articles")]
    assert summary.stored == 2 and urls == [None, None]


def test_html_pages_are_bounded_before_extraction(tmp_path):
    from rasid.ingest.html import MAX_HTML_BYTES

    big = tmp_path / "big.html"
    paragraph = "<p>قال أولاند في باريس إن فرنسا ستواصل الحرب على الإرهاب، وإن الهجوم لن يمر.</p>\n"
    big.write_text("<html><body><article>" + paragraph * (MAX_HTML_BYTES // len(paragraph.encode()) + 10)
                   + "</article></body></html>", encoding="utf-8")
    deep = tmp_path / "deep.html"
    deep.write_text("<div>" * 50_000 + paragraph * 5 + "</div>" * 50_000, encoding="utf-8")
    items = list(read_paths([big, deep]))
    assert [type(i).__name__ for i in items] == ["Rejection", "Rejection"]
    assert "MAX_HTML_BYTES" in items[0].reason and items[0].origin == str(big)
    assert items[1].origin == str(deep)
