"""The document object every pipeline stage reads and enriches.

`Document.text` is the original body text and never changes. Every annotation is a
`Span` with `[start, end)` offsets in Unicode code points into `Document.text`.
Stages add spans to named layers (``doc.layers["entities"]``) and never re-parse
text that another stage already parsed: tokens and sentences are computed once by
the `tokenize` stage and read from ``doc.tokens`` / ``doc.sentences`` afterwards.

No I/O happens here.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Iterable

SCHEMA_VERSION = 1

#: Longest article text, in characters (code points), that rasid analyses: the CLI and the
#: readers reject a longer one (naming the source and this limit), the API answers 422,
#: and the pipeline refuses it. A 5 MB Arabic text (a book: 2.7 million letters of UTF-8);
#: every stage is linear in it (docs/limits.md). Posted as ASCII-escaped JSON (6 bytes a
#: letter) it still fits the API's 20 MB body limit.
MAX_ARTICLE_CHARS = 3_000_000
#: Deepest nesting accepted in a document's ``meta`` (and other free-form JSON values).
MAX_JSON_DEPTH = 20


class ArticleTooLong(ValueError):
    """An article text over `MAX_ARTICLE_CHARS`."""


def check_article_size(text: str, origin: str | None = None) -> None:
    """Raise `ArticleTooLong` when `text` is over `MAX_ARTICLE_CHARS`."""
    if len(text) > MAX_ARTICLE_CHARS:
        raise ArticleTooLong(f"article too long: {len(text)} characters, limit {MAX_ARTICLE_CHARS} "
                             f"(MAX_ARTICLE_CHARS)" + (f" in {origin}" if origin else ""))


def check_json_value(value: Any, where: str = "meta", depth: int = 0) -> None:
    """Raise `ValueError` naming the field when `value` is not plain, finite JSON: NaN and
    infinities, non-string keys, other Python types, or nesting deeper than MAX_JSON_DEPTH."""
    if depth > MAX_JSON_DEPTH:
        raise ValueError(f"{where}: nested deeper than {MAX_JSON_DEPTH} levels")
    if value is None or isinstance(value, (str, bool, int)):
        return
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError(f"{where}: non-finite number {value}")
        return
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise ValueError(f"{where}: key {key!r} is not a string")
            check_json_value(item, f"{where}.{key}"[:200], depth + 1)
        return
    if isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            check_json_value(item, f"{where}[{i}]"[:200], depth + 1)
        return
    raise ValueError(f"{where}: {type(value).__name__} is not a JSON value")


#: Keys of a span's JSON form; attributes may not use them (they would shadow the offsets).
RESERVED_SPAN_KEYS = frozenset({"id", "start", "end", "label", "text"})


@dataclass(slots=True)
class Span:
    """A labelled `[start, end)` slice of `Document.text` with free-form attributes
    (whose names may not be one of `RESERVED_SPAN_KEYS`). `id` is stable within the article:
    ``<layer>:<n>``, given by the pipeline when the layer is written (`assign_span_ids`)."""

    start: int
    end: int
    label: str = ""
    attrs: dict[str, Any] = field(default_factory=dict)
    id: str | None = None

    def text_of(self, text: str) -> str:
        return text[self.start:self.end]

    def to_dict(self, text: str | None = None) -> dict[str, Any]:
        clash = RESERVED_SPAN_KEYS.intersection(self.attrs)
        if clash:
            raise ValueError(f"span attribute names {sorted(clash)} are reserved for the span itself")
        out: dict[str, Any] = {} if self.id is None else {"id": self.id}
        out.update(start=self.start, end=self.end, label=self.label)
        if text is not None:
            out["text"] = text[self.start:self.end]
        out.update(self.attrs)
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Span":
        attrs = {k: v for k, v in data.items() if k not in RESERVED_SPAN_KEYS}
        return cls(int(data["start"]), int(data["end"]), data.get("label", ""), attrs, data.get("id"))


@dataclass
class Document:
    """One article: original text plus metadata and annotation layers."""

    text: str
    title: str = ""
    url: str | None = None
    source: str | None = None
    author: str | None = None
    published: str | None = None  # ISO 8601 date or datetime, as known
    summary: str | None = None  # a summary supplied by the publisher, if any
    images: list[dict[str, str]] = field(default_factory=list)  # {"credit":..., "caption":...}
    meta: dict[str, Any] = field(default_factory=dict)
    origin: str | None = None  # where it was read from: "file.jsonl:12", a URL, "<stdin>"
    id: str | None = None
    layers: dict[str, list[Span]] = field(default_factory=dict)
    # Computed once by the tokenize stage; see rasid.arabic.tokenize.Token.
    tokens: list[Any] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        if self.id is None:
            self.id = compute_doc_id(self)

    @property
    def sentences(self) -> list[Span]:
        return self.layers.get("sentences", [])

    @property
    def title_end(self) -> int:
        """Where the title ends in the text when the text begins with it as a line of its
        own (a plain-text article: `rasid.ingest.text`), else 0 (the title is apart)."""
        return title_end(self.title, self.text)

    @property
    def content_hash(self) -> str:
        return compute_content_hash(self.text)

    def spans(self, layer: str) -> list[Span]:
        return self.layers.setdefault(layer, [])

    def add_span(self, layer: str, span: Span) -> Span:
        if not (0 <= span.start <= span.end <= len(self.text)):
            raise ValueError(
                f"span [{span.start}, {span.end}) outside text of length {len(self.text)}"
            )
        self.layers.setdefault(layer, []).append(span)
        return span

    def find_span(self, span_id: str) -> Span | None:
        """The span with this id (``entities:3``), or None."""
        layer, _, _ = span_id.partition(":")
        for span in self.layers.get(layer, []):
            if span.id == span_id:
                return span
        return None

    def sentence_at(self, offset: int) -> Span | None:
        for sent in self.sentences:
            if sent.start <= offset < sent.end:
                return sent
        return None

    def to_dict(self, with_text: bool = True) -> dict[str, Any]:
        out: dict[str, Any] = {
            "schema": SCHEMA_VERSION,
            "id": self.id,
            "title": self.title,
            "url": self.url,
            "source": self.source,
            "author": self.author,
            "published": self.published,
            "summary": self.summary,
            "images": self.images,
            "meta": self.meta,
            "origin": self.origin,
        }
        if with_text:
            out["text"] = self.text
        out["layers"] = {
            name: [s.to_dict(self.text) for s in spans]
            for name, spans in self.layers.items()
        }
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Document":
        version = data.get("schema", SCHEMA_VERSION)
        if version > SCHEMA_VERSION:
            raise ValueError(f"document schema {version} is newer than supported {SCHEMA_VERSION}")
        doc = cls(
            text=data["text"],
            title=data.get("title") or "",
            url=data.get("url"),
            source=data.get("source"),
            author=data.get("author"),
            published=data.get("published"),
            summary=data.get("summary"),
            images=list(data.get("images") or []),
            meta=dict(data.get("meta") or {}),
            origin=data.get("origin"),
            id=data.get("id"),
        )
        for name, spans in (data.get("layers") or {}).items():
            doc.layers[name] = [Span.from_dict(s) for s in spans]
        return doc


def title_end(title: str | None, text: str) -> int:
    """``len(title)`` when `text` begins with `title` as a line of its own, else 0."""
    n = len(title or "")
    return n if n and text.startswith(title) and text[n:n + 1] in ("", "\n") else 0


def compute_content_hash(text: str) -> str:
    """Hash of the normalised content, so re-encoded or re-vowelled copies collide."""
    return hashlib.sha1(fold_content(text).encode("utf-8")).hexdigest()


@lru_cache(maxsize=512)
def fold_content(text: str) -> str:
    """`text` as duplicates are compared: ``normalize_key``, each run of white space one
    space, none at the ends. Cached for more articles than an ingest batch holds: an
    article's near-duplicate signature folds the text its content hash folded before its
    analysis (a text's hash is kept by the string itself, so a lookup costs no pass)."""
    from .arabic.normalize import normalize_key  # here, not at the top: arabic imports doc

    return " ".join(normalize_key(text).split())


def compute_doc_id(doc: Document) -> str:
    """Stable id: from the canonical URL when there is one, else from the content."""
    from .ingest.urls import canonicalize_url

    if doc.url:
        return hashlib.sha1(("url:" + canonicalize_url(doc.url)).encode("utf-8")).hexdigest()[:16]
    return content_id(doc.text)


def content_id(text: str) -> str:
    """The id of an article without a URL whose text is `text`."""
    return hashlib.sha1(("text:" + compute_content_hash(text)).encode("utf-8")).hexdigest()[:16]


def assign_span_ids(doc: Document, layer: str) -> None:
    """Give each span of `layer` that has no id one: ``<layer>:<n>``, n = 1, 2, ... in
    document order (start, end, label), after the highest n already in the layer, so the
    ids a layer had are kept when a later stage adds to it."""
    spans = doc.layers.get(layer, [])
    prefix = layer + ":"
    taken = [int(s.id[len(prefix):]) for s in spans
             if s.id and s.id.startswith(prefix) and s.id[len(prefix):].isdigit()]
    n = max(taken, default=0)
    for span in sorted((s for s in spans if s.id is None), key=lambda s: (s.start, s.end, s.label)):
        n += 1
        span.id = f"{prefix}{n}"


def iter_layer_text(doc: Document, layer: str) -> Iterable[tuple[Span, str]]:
    for span in doc.layers.get(layer, []):
        yield span, doc.text[span.start:span.end]
