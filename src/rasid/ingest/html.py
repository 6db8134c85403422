"""HTML pages: the article's main text, title, date and author, via trafilatura."""
from __future__ import annotations

import html as html_lib
import re
import warnings
from typing import Any

from ..doc import Document
from .encoding import decode_bytes
from .records import IngestError, Rejection, apply_published

MIN_ARTICLE_CHARS = 100  # less extracted text than this is navigation or an error page
#: Largest page handed to the extractor. Real article pages are well under 2 MB; the
#: extractor's time grows faster than the page (20 MB: minutes), so a bigger one is rejected.
MAX_HTML_BYTES = 5 * 1024 * 1024

_META_CHARSET_RE = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE
)
_XML_DECL_RE = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)


def read_html(html: str | bytes, url: str | None = None, origin: str | None = None, *,
              declared_encoding: str | None = None, source: str | None = None,
              min_chars: int = MIN_ARTICLE_CHARS) -> Document | Rejection:
    """Extract one article from an HTML page.

    `declared_encoding` is the charset from an HTTP or WARC header, if any; bytes are
    decoded with `decode_bytes` (which also honours ``<meta charset>``). A page with no
    article text (navigation only, an error page) is a `Rejection`."""
    origin = origin or url or "<html>"
    size = len(html) if isinstance(html, bytes) else len(html.encode("utf-8", "surrogatepass"))
    if size > MAX_HTML_BYTES:
        return Rejection(origin, f"HTML page too large: {size} bytes, limit {MAX_HTML_BYTES} (MAX_HTML_BYTES)")
    try:
        text = decode_html(html, declared_encoding) if isinstance(html, bytes) else html
        return extract_article(text, url=url, origin=origin, source=source, min_chars=min_chars)
    except IngestError as exc:
        return Rejection(origin, str(exc))


def decode_html(data: bytes, declared_encoding: str | None = None) -> str:
    """Decode page bytes: BOM, UTF-8, the header charset, the ``<meta>`` charset, then the
    legacy Arabic code pages."""
    declared = declared_encoding
    if not declared:
        match = _META_CHARSET_RE.search(data[:4096])
        declared = match.group(1).decode("ascii") if match else None
    text, _ = decode_bytes(data, declared)
    return text


def extract_article(page: str, url: str | None = None, origin: str | None = None,
                    source: str | None = None, min_chars: int = MIN_ARTICLE_CHARS) -> Document:
    """Run trafilatura on a decoded page; raise `IngestError` when there is no article."""
    import trafilatura  # imported here: importing rasid.ingest stays cheap

    page = _XML_DECL_RE.sub("", page, count=1)  # lxml refuses str input with an encoding decl
    if not page.strip():
        raise IngestError("empty page")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = trafilatura.bare_extraction(
            page, url=url, with_metadata=True, include_comments=False,
            include_tables=True, include_images=False, deduplicate=False,
            # dates from metadata, URL and markup only: the extensive text search takes a
            # copyright year in the footer for the publication date ("2015-01-01")
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    if result is None:
        raise IngestError("no article found in HTML page")
    data: dict[str, Any] = result.as_dict() if hasattr(result, "as_dict") else dict(result)
    title = clean_line(data.get("title") or "")
    paragraphs = [clean_line(line) for line in (data.get("text") or "").splitlines()]
    paragraphs = [p for p in paragraphs if p]
    if paragraphs and title and paragraphs[0] == title:
        paragraphs = paragraphs[1:]  # trafilatura keeps the <h1> as the first line
    body = "\n\n".join(paragraphs)
    if len(body) < min_chars:
        raise IngestError(
            f"no article found in HTML page ({len(body)} characters of text, need {min_chars})"
        )
    meta: dict[str, Any] = {}
    for key, name in (("sitename", "sitename"), ("hostname", "hostname"), ("image", "image_url"),
                      ("language", "language")):
        if data.get(key):
            meta[name] = data[key]
    for key in ("categories", "tags"):
        value = data.get(key)
        if value:
            meta[key] = list(value) if not isinstance(value, str) else [value]
    fields: dict[str, Any] = {}
    apply_published(fields, meta, data.get("date"))
    return Document(
        text=body,
        title=title,
        url=url or data.get("url") or None,
        source=source or data.get("sitename") or data.get("hostname") or None,
        author=data.get("author") or None,
        summary=clean_line(data.get("description") or "") or None,
        meta=meta,
        origin=origin,
        **fields,
    )


def clean_line(text: str) -> str:
    """Collapse runs of whitespace (including NBSP) inside one line."""
    return " ".join(text.split())


_BLOCK_END_RE = re.compile(
    r"<\s*(?:br\s*/?|/\s*(?:p|div|li|ul|ol|h[1-6]|blockquote|tr|table|section|article|figcaption|pre))\s*>",
    re.IGNORECASE,
)
_BLOCK_START_RE = re.compile(r"<\s*(?:p|div|li|h[1-6]|blockquote|tr|section|article|pre)\b[^>]*>", re.IGNORECASE)
_DROP_RE = re.compile(r"<\s*(script|style|noscript|template)\b.*?<\s*/\s*\1\s*>", re.IGNORECASE | re.DOTALL)
_TAG_RE = re.compile(r"<[^>]*>")
_COMMENT_RE = re.compile(r"<!--.*?-->", re.DOTALL)


def extract_fragment_text(fragment: str) -> str:
    """Text of an HTML fragment (a feed item's content or summary), one paragraph per
    block element, paragraphs joined with a blank line."""
    if "<" not in fragment and "&" not in fragment:
        paragraphs = [clean_line(p) for p in re.split(r"\n\s*\n", fragment)]
        return "\n\n".join(p for p in paragraphs if p)
    text = _COMMENT_RE.sub("", fragment)
    text = _DROP_RE.sub("", text)
    text = _BLOCK_END_RE.sub("\n\n", text)
    text = _BLOCK_START_RE.sub("\n\n", text)
    text = html_lib.unescape(_TAG_RE.sub("", text))
    paragraphs = [clean_line(p) for p in re.split(r"\n\s*\n", text)]
    return "\n\n".join(p for p in paragraphs if p)
