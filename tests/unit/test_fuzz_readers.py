"""Property-based fuzzing (issue 15, item 7): every reader, the date and query parsers and
the API's request models take any input without an uncaught error.

A reader yields only Documents and Rejections and never raises; a Document it yields passes
the archive's checks (finite JSON, text within MAX_ARTICLE_CHARS). The budget is fixed
(derandomized, 40 examples per target) so that CI time stays small and runs repeat;
``FUZZ_EXAMPLES=2000`` runs a longer campaign."""
from __future__ import annotations

import gzip
import io
import json
import math
import os
from pathlib import Path

import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from rasid.doc import Document  # noqa: E402
from rasid.ingest import Rejection, read_feed, read_html, read_stream, read_text_article  # noqa: E402
from rasid.ingest.files import read_bytes  # noqa: E402
from rasid.ingest.jsonl import read_json_stream  # noqa: E402
from rasid.ingest.records import IngestError, parse_published  # noqa: E402
from rasid.ingest.warc import read_warc_stream  # noqa: E402
from rasid.monitor import check_document  # noqa: E402

RESOURCES = Path(__file__).resolve().parents[1] / "resources"
# FUZZ_EXAMPLES raises the budget for a longer campaign outside CI
FUZZ = settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", 40)), derandomize=True,
                deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# Arabic letters and the punctuation, digits and markup characters that readers split on
ARABIC = st.characters(min_codepoint=0x0600, max_codepoint=0x06FF)
TEXTISH = st.one_of(ARABIC, st.sampled_from(list(" \n\t.،؟!:/\\\"'<>&;{}[],-_0123456789٠١٢٣xX")),
                    st.characters())
text = st.text(TEXTISH, max_size=400)
json_scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True, allow_infinity=True),
                         st.text(TEXTISH, max_size=40))
json_values = st.recursive(json_scalars, lambda kids: st.one_of(
    st.lists(kids, max_size=4), st.dictionaries(st.text(max_size=10), kids, max_size=4)), max_leaves=20)
FIELDS = ["text", "content", "title", "url", "published", "date", "author", "source", "summary", "id", "meta"]
records = st.dictionaries(st.sampled_from(FIELDS) | st.text(max_size=8), json_values | text, max_size=8)


def encode(value) -> bytes:
    """JSON bytes of `value`; lone surrogates become invalid UTF-8, as in a damaged file."""
    return json.dumps(value, ensure_ascii=False).encode("utf-8", "surrogatepass")


def check_items(items) -> list:
    items = list(items)
    for item in items:
        assert isinstance(item, (Document, Rejection)), type(item)
        if isinstance(item, Rejection):
            assert item.origin and item.reason
        else:
            checked = check_document(item)
            if isinstance(checked, Document):  # what the archive stores is strict JSON
                json.dumps(checked.to_dict(), allow_nan=False)
    return items


def seed_lines() -> list[bytes]:
    return (RESOURCES / "saudinewsnet-sample.jsonl").read_bytes().splitlines()[:3]


@FUZZ
@given(st.lists(st.one_of(records.map(encode),
                          st.binary(max_size=200), st.sampled_from(seed_lines()),
                          st.sampled_from([b"[" * 3000, b'{"content": NaN}', b'{"text": 1' + b"0" * 5000 + b"}",
                                           b'{"content": "x", "title": [[[[]]]]}', b"\xff\xfe{"])), max_size=8))
def test_jsonl_reader_never_raises(lines):
    items = check_items(read_json_stream(io.BytesIO(b"\n".join(lines)), "fuzz.jsonl", max_line=5000))
    for item in items:
        assert item.origin.startswith("fuzz.jsonl")


@FUZZ
@given(st.one_of(st.lists(records, max_size=5).map(encode),
                 st.binary(max_size=300), text.map(lambda t: t.encode("utf-8", "surrogatepass"))))
def test_stdin_and_gzip_never_raise(data):
    check_items(read_stream(io.BytesIO(data), "<stdin>", max_bytes=100_000))
    check_items(read_bytes(gzip.compress(data), "x.gz", max_bytes=100_000))
    check_items(read_bytes(gzip.compress(data)[:max(1, len(data) // 2)], "cut.gz", max_bytes=100_000))


@FUZZ
@given(text)
def test_text_reader(body):
    try:
        doc = read_text_article(body, origin="fuzz.txt")
    except IngestError as exc:
        assert str(exc)
    else:
        assert doc.text.strip() and doc.origin == "fuzz.txt"


TAGS = st.sampled_from(["p", "div", "article", "h1", "title", "script", "style", "a", "span", "body", "html",
                        "meta", "br", "table", "td", "!--", "![CDATA["])


@st.composite
def html_pages(draw):
    parts = []
    for _ in range(draw(st.integers(0, 30))):
        tag = draw(TAGS)
        parts.append(draw(st.sampled_from([f"<{tag}>", f"</{tag}>", f'<{tag} href="javascript:x" charset="x">'])))
        parts.append(draw(text))
    depth = draw(st.integers(0, 400))
    page = "<div>" * depth + "".join(parts) + "</div>" * depth
    return page.encode(draw(st.sampled_from(["utf-8", "utf-16"])), "surrogatepass")  # lone surrogates: invalid bytes


@FUZZ
@given(st.one_of(html_pages(), st.binary(max_size=300)))
def test_html_reader_never_raises(page):
    check_items([read_html(page, origin="fuzz.html")])


@st.composite
def feeds(draw):
    items = "".join(
        f"<item><title>{draw(text)}</title><link>{draw(st.sampled_from(['javascript:alert(1)', 'http://x.test/a', '', 'data:,x']))}</link>"
        f"<pubDate>{draw(st.text(max_size=30))}</pubDate><description><![CDATA[{draw(text)}]]></description></item>"
        for _ in range(draw(st.integers(0, 4))))
    doc = f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>t</title>{items}</channel></rss>'
    cut = draw(st.integers(0, len(doc)))
    return doc[:cut].encode("utf-8", "surrogatepass") if draw(st.booleans()) else doc.encode("utf-8", "surrogatepass")


@FUZZ
@given(st.one_of(feeds(), st.binary(max_size=300)))
def test_feed_reader_never_raises(data):
    check_items(read_feed(data, origin="fuzz.xml"))


@st.composite
def warcs(draw):
    body = draw(st.one_of(html_pages(), st.binary(max_size=100)))
    http = (b"HTTP/1.1 " + draw(st.sampled_from([b"200 OK", b"404 X", b"abc"])) + b"\r\nContent-Type: "
            + draw(st.sampled_from([b"text/html; charset=utf-8", b"text/html; charset=bogus", b"image/png"]))
            + b"\r\n\r\n" + body)
    length = draw(st.sampled_from([len(http), len(http) + 10, 0, -1]))
    record = (b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: http://x.test/a\r\n"
              b"WARC-Date: 2015-11-14T00:00:00Z\r\nContent-Type: application/http; msgtype=response\r\n"
              b"Content-Length: " + str(length).encode() + b"\r\n\r\n" + http + b"\r\n\r\n")
    data = record * draw(st.integers(1, 3))
    return gzip.compress(data) if draw(st.booleans()) else data[:draw(st.integers(5, len(data)))]


@FUZZ
@given(warcs())
def test_warc_reader_never_raises(data):
    check_items(read_warc_stream(io.BytesIO(data), "fuzz.warc"))


# -- parsers ------------------------------------------------------------------------------------
@FUZZ
@given(st.one_of(json_values, text, st.sampled_from(["2015-11-14", "السبت 14 نوفمبر 2015", "99999999999999",
                                                      "1e308", "14/13/2015", "٢٠١٥-١١-١٤T25:61"])))
def test_publication_date_parser(value):
    out = parse_published(value)
    assert out is None or isinstance(out, str) and out[:4].isdigit()


@FUZZ
@given(text, st.one_of(st.none(), st.text(max_size=30), st.sampled_from(["2015-11-14", "0001-01-01", "9999-12-31"])))
def test_date_expression_extractor(body, published):
    from rasid.stages.dates import extract_dates

    for span in extract_dates(body, published):
        assert 0 <= span.start <= span.end <= len(body)


@FUZZ
@given(st.text(st.one_of(TEXTISH, st.sampled_from(list('"-*()^:+ORANDNOT'))), max_size=200))
def test_query_parser(query):
    from rasid.search.query import QueryError, convert_date_bound, parse_query

    try:
        parse_query(query)
    except QueryError as exc:
        assert str(exc)
    try:
        convert_date_bound(query[:20])
    except QueryError:
        pass


@FUZZ
@given(records, st.sampled_from(["article", "feed", "watch"]))
def test_api_request_models(body, model):
    from pydantic import ValidationError

    from rasid.api.models import ArticleIn, FeedIn, WatchIn

    kind = {"article": ArticleIn, "feed": FeedIn, "watch": WatchIn}[model]
    try:
        parsed = kind.model_validate(body)
    except ValidationError:
        return
    data = parsed.model_dump()
    json.dumps(data, allow_nan=False)  # nothing non-finite gets past the models
    if model == "article":
        assert isinstance(check_document(Document.from_dict(data)), Document)
    for value in data.values():
        assert not (isinstance(value, float) and not math.isfinite(value))
