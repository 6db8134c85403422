"""The rows of the batch tables for one analysed Document, and the Document back from
its rows: plain dicts, no Spark, so the job and `rasid load` share one definition.

Per-article tables carry ``published_date`` (``YYYY-MM-DD``, or None: the partition
column). ``mentions`` holds every span of every layer (sentences included: `rasid load`
rebuilds the documents from it) with its attributes as JSON; ``places``, ``dates`` and
``events`` are views of it that the job derives with Spark.
"""
from __future__ import annotations

import json
import re
from typing import Any

from ..doc import Document, Span

ARTICLE_FIELDS = ("id", "url", "title", "text", "source", "author", "published", "summary",
                  "origin")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def compute_published_date(published: str | None) -> str | None:
    day = (published or "")[:10]
    return day if _DAY.match(day) else None


def convert_document_to_rows(doc: Document) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """``(article row, mention rows)`` of an analysed document."""
    day = compute_published_date(doc.published)
    article = {name: getattr(doc, name) for name in ARTICLE_FIELDS}
    article.update(images=json.dumps(doc.images, ensure_ascii=False),
                   meta=json.dumps(doc.meta, ensure_ascii=False),
                   content_hash=doc.content_hash, published_date=day)
    mentions = []
    for layer, spans in doc.layers.items():
        for position, span in enumerate(spans):
            mentions.append({
                "article_id": doc.id, "span_id": span.id, "position": position, "layer": layer,
                "start": span.start, "end": span.end, "label": span.label,
                "text": doc.text[span.start:span.end],
                "entity_key": span.attrs.get("key") if layer == "entities" else None,
                "attrs": json.dumps(span.attrs, ensure_ascii=False, sort_keys=True),
                "published_date": day})
    return article, mentions


def convert_rows_to_document(article: dict[str, Any], mentions: list[dict[str, Any]]) -> Document:
    """The Document an article row and its mention rows came from (layers in their order)."""
    doc = Document(text=article["text"], title=article.get("title") or "", url=article.get("url"),
                   source=article.get("source"), author=article.get("author"),
                   published=article.get("published"), summary=article.get("summary"),
                   images=json.loads(article.get("images") or "[]"),
                   meta=json.loads(article.get("meta") or "{}"), origin=article.get("origin"),
                   id=article["id"])
    for m in sorted(mentions, key=lambda m: (m["layer"], m["position"])):
        span = Span(int(m["start"]), int(m["end"]), m.get("label") or "",
                    json.loads(m.get("attrs") or "{}"), m.get("span_id"))
        doc.layers.setdefault(m["layer"], []).append(span)
    return doc


def split_origin(origin: str) -> tuple[str, int | None]:
    """``("file.jsonl", 12)`` from ``"file.jsonl:12"`` (a line, or a Parquet row) and
    ``("file.warc.gz", 3)`` from ``"file.warc.gz#record-3"`` (a WARC record); the line is
    None when there is none."""
    for separator in ("#record-", ":"):
        head, sep, tail = origin.rpartition(separator)
        if sep and tail.isdigit():
            return head, int(tail)
    return origin, None
