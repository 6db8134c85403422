"""JSON Lines and JSON arrays: SaudiNewsNet records, field aliases, field maps, bad lines."""
from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from rasid.ingest import Rejection, read_jsonl, read_paths

RESOURCES = Path(__file__).resolve().parents[1] / "resources"
SAMPLE = RESOURCES / "saudinewsnet-sample.jsonl"


@pytest.fixture(scope="module")
def records() -> list[dict]:
    return [json.loads(line) for line in SAMPLE.read_text(encoding="utf-8").splitlines()]


def test_jsonl_saudinewsnet_fields(records):
    docs = list(read_jsonl(SAMPLE))
    assert len(docs) == len(records) == 20
    doc, rec = docs[0], records[0]
    assert doc.title == rec["title"] == "بريطانيا: أربعة محاور لاستراتيجية جديدة تتصدى للتطرف على مدى خمس سنوات"
    assert doc.text == rec["content"].strip()
    assert doc.text.startswith("حدد رئيس الوزراء البريطاني ديفيد كاميرون")
    assert "\n\n" in doc.text  # paragraph breaks kept
    assert doc.url == rec["url"]
    assert doc.source == "aawsat"
    assert doc.author == "لندن: رنيم حنوش"
    assert doc.published == "2015-07-21T02:51:32"
    assert doc.meta == {"archive": "2015-07-21.zip", "published_field": "date_extracted"}
    assert doc.origin == f"{SAMPLE}:1"
    assert [d.origin for d in docs] == [f"{SAMPLE}:{i}" for i in range(1, 21)]
    assert len({d.id for d in docs}) == 20


def test_jsonl_html_entities_in_byline_are_decoded():
    docs = list(read_jsonl(SAMPLE))
    okaz = next(d for d in docs if d.source == "okaz")
    assert okaz.author == "صباح مبارك (مكة المكرمة )"


def test_jsonl_gzip_read_transparently(tmp_path):
    path = tmp_path / "saudinewsnet.jsonl.gz"
    path.write_bytes(gzip.compress(SAMPLE.read_bytes()))
    plain = list(read_jsonl(SAMPLE))
    zipped = list(read_paths([path]))
    assert [d.text for d in zipped] == [d.text for d in plain]
    assert zipped[3].origin == f"{path}:4"


def test_jsonl_aliases_id_and_meta(tmp_path):
    record = {
        "id": "spa-2015-1102",
        "headline": "خادم الحرمين يعزي الرئيس الفرنسي",
        "body": "بعث خادم الحرمين الشريفين برقية عزاء ومواساة للرئيس الفرنسي فرانسوا هولاند.",
        "link": "http://www.spa.gov.sa/1102",
        "pubDate": "السبت 14 نوفمبر 2015",
        "byline": ["واس", "الرياض"],
        "category": "سياسة",
    }
    path = tmp_path / "a.ndjson"
    path.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    [doc] = list(read_paths([path]))
    assert doc.title == "خادم الحرمين يعزي الرئيس الفرنسي"
    assert doc.text.startswith("بعث خادم الحرمين")
    assert doc.url == "http://www.spa.gov.sa/1102"
    assert doc.published == "2015-11-14"
    assert doc.author == "واس، الرياض"
    assert doc.meta == {"category": "سياسة", "source_id": "spa-2015-1102"}
    assert doc.id != "spa-2015-1102"  # rasid computes its own id


def test_jsonl_field_map(tmp_path, records):
    rec = records[1]
    mapped = {"article_body": rec["content"], "content": "ليس هذا هو النص", "heading": rec["title"],
              "when": "2015-07-21"}
    path = tmp_path / "mapped.jsonl"
    path.write_text(json.dumps(mapped, ensure_ascii=False) + "\n", encoding="utf-8")
    [doc] = list(read_paths([path], field_map={"text": "article_body", "title": "heading",
                                                "published": "when"}))
    assert doc.text == rec["content"].strip()
    assert doc.title == rec["title"]
    assert doc.published == "2015-07-21"
    assert doc.meta == {"content": "ليس هذا هو النص"}
    with pytest.raises(ValueError, match="unknown rasid field"):
        list(read_paths([path], field_map={"body": "article_body"}))


def test_jsonl_bad_lines_reported_and_rest_kept(tmp_path):
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()[:3]
    bad = [
        lines[0],
        '{"title": "خبر", "content": "نص" "source": "okaz"}',  # malformed
        "",
        json.dumps({"title": "خبر بلا نص", "content": "   "}, ensure_ascii=False),
        json.dumps({"title": "خبر بلا حقل نص"}, ensure_ascii=False),
        json.dumps(["ليس", "كائنا"], ensure_ascii=False),
        lines[1],
    ]
    data = ("\n".join(bad).encode("utf-8") + b"\n"
            + b'{"content": "caf\xe9\xc7 \x00"}\n'  # NUL byte
            + b'{"content": "caf\xe9\xc7 bad"}\n'  # neither UTF-8 nor Arabic in a legacy code page
            + lines[2].encode("utf-8"))
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(data)
    items = list(read_paths([path]))
    docs = [i for i in items if not isinstance(i, Rejection)]
    rejections = {r.origin: r.reason for r in items if isinstance(r, Rejection)}
    assert [d.origin for d in docs] == [f"{path}:1", f"{path}:7", f"{path}:10"]
    assert rejections[f"{path}:2"] == "malformed JSON: Expecting ',' delimiter at column 34"
    assert rejections[f"{path}:4"].startswith("empty article")
    assert rejections[f"{path}:5"].startswith("empty article: no text field")
    assert rejections[f"{path}:6"] == "not a JSON object but list"
    assert rejections[f"{path}:8"] == "binary data (NUL bytes) in line"
    assert rejections[f"{path}:9"].startswith("undecodable bytes: not UTF-8")
    assert len(rejections) == 6


def test_jsonl_unparseable_date_kept_raw(tmp_path):
    path = tmp_path / "d.jsonl"
    rec = {"text": "نص الخبر عن هجمات باريس.", "date": "منذ ساعتين"}
    path.write_text(json.dumps(rec, ensure_ascii=False), encoding="utf-8")
    [doc] = list(read_paths([path]))
    assert doc.published is None
    assert doc.meta["published_raw"] == "منذ ساعتين"


def test_json_array_file(tmp_path, records):
    path = tmp_path / "2015-07-21.json"
    path.write_text(json.dumps(records[:3], ensure_ascii=False, indent=2), encoding="utf-8")
    docs = list(read_paths([path]))
    assert [d.title for d in docs] == [r["title"] for r in records[:3]]
    assert docs[2].origin == f"{path}#record-3"
