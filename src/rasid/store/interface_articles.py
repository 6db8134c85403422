"""Archive interface, part 1: transactions, articles, search, listings, state, copy.

Article "sequence numbers" (``seq``) are the archive's own insertion order: positive,
strictly increasing integers (SQLite: the rowid), used as high-water marks.
"""
from __future__ import annotations

import abc
import contextlib
from typing import TYPE_CHECKING, Any, Iterable, Iterator

if TYPE_CHECKING:
    from ..doc import Document
    from .base import DocOutcome, IngestReport


class ArticleMethods(abc.ABC):
    # -- transactions ------------------------------------------------------------------------
    @abc.abstractmethod
    def transaction(self) -> contextlib.AbstractContextManager[None]:
        """A context manager: everything the archive does inside it is committed together
        when the outermost block exits normally, and rolled back when it raises. Nesting is
        safe: an inner block is a savepoint (its exception rolls back only the inner block
        when caught inside the outer one). The outermost block waits for other writers
        (other processes) instead of failing. Every write method opens one itself, so a
        single call is atomic on its own."""

    # -- articles ----------------------------------------------------------------------------
    @abc.abstractmethod
    def add_documents(self, docs: Iterable["Document"], batch_size: int = 500) -> "IngestReport":
        """Store documents with all their layers (entity spans as they are: an
        ``entity_id`` attribute becomes a mention), skipping duplicates by id, canonical
        URL and normalised content. One transaction per batch (nested in the caller's
        `transaction` when there is one): if `docs` raises, the batches already committed
        stay and the exception propagates; running again resumes without duplicates. A
        document that cannot be stored is recorded as ``failed`` and the rest go on."""

    def add_document(self, doc: "Document") -> "DocOutcome":
        return self.add_documents([doc]).outcomes[0]

    @abc.abstractmethod
    def replace_document(self, doc: "Document") -> "DocOutcome":
        """Replace the stored article ``doc.id`` by `doc` (its fuller version, already
        analysed: the caller decides what is fuller), in one transaction: the row takes the
        new fields, text and layers and the next sequence number (so that work keyed on the
        sequence, such as the alert mark, sees it again; ``ingested_at`` stays: first seen);
        what was derived from the old text (spans, mentions and their entities' counts,
        search index, near-duplicate signature and link) is deleted and the new layers are
        written as `add_documents` writes them. Its alerts, surge matches and story
        membership stay. Outcome ``updated``, or ``duplicate`` (nothing changed) when the
        new text or URL is another article's; KeyError when ``doc.id`` is not stored."""

    @abc.abstractmethod
    def find_duplicate(self, doc: "Document") -> tuple[str, str] | None:
        """``(stored id, why)`` of the article `doc` duplicates (why: ``url``, ``content``
        or ``id``, checked in that order), or None."""

    @abc.abstractmethod
    def get_document(self, id: str) -> "Document | None":
        """The stored document with its layers, or None."""

    @abc.abstractmethod
    def count_documents(self) -> int:
        """How many articles are stored."""

    @abc.abstractmethod
    def iter_documents(self, batch_size: int = 500) -> Iterator["Document"]:
        """All documents in insertion order."""

    @abc.abstractmethod
    def has_document(self, doc: "Document") -> bool:
        """Whether `doc` (same id, canonical URL or normalised content) is stored already."""

    @abc.abstractmethod
    def has_article(self, article_id: str) -> bool:
        """Whether an article with this id is stored."""

    @abc.abstractmethod
    def find_stored_articles(self, article_ids: list[str]) -> set[str]:
        """Those of `article_ids` that are stored (one lookup for a batch)."""

    @abc.abstractmethod
    def set_article_meta(self, article_id: str, key: str, value: Any) -> None:
        """Set one key of a stored article's ``meta`` (JSON value)."""

    @abc.abstractmethod
    def set_entity_mentions(self, article_id: str, spans: list[dict[str, Any]]) -> None:
        """Record the resolution of a stored article's entity spans. `spans`: ``{"start",
        "end", "text", "attrs"}`` per entity span (offsets identify the span; attrs: all
        its attributes, with ``entity_id``, the archive entity, and ``sentence`` when
        known). The spans' stored attributes and the article's layers take the new
        attributes, and the article's mentions are replaced by one per span with an
        ``entity_id``. A span with a ``"label"`` that the stored layer lacks and that
        overlaps none of its spans (an office mention the archive step resolved) is added
        to the layer and to the stored spans."""

    @abc.abstractmethod
    def set_entity_mentions_many(self, spans: dict[str, list[dict[str, Any]]]) -> None:
        """`set_entity_mentions` for several articles at once: ``{article id: spans}``
        (one statement per kind of row for the whole batch)."""

    @abc.abstractmethod
    def list_articles_after(self, seq: int, limit: int = 200) -> list[dict[str, Any]]:
        """Articles with a sequence number above `seq`, oldest first, at most `limit`:
        ``{"seq", "id", "published", "ingested_at"}`` (ingested_at: UTC
        ``YYYY-MM-DDTHH:MM:SSZ``)."""

    @abc.abstractmethod
    def latest_article_seq(self) -> int:
        """The highest article sequence number (0 for an empty archive)."""

    @abc.abstractmethod
    def list_articles(self, limit: int = 20, offset: int = 0, source: str | None = None,
                      since: str | None = None, until: str | None = None) -> dict[str, Any]:
        """Newest first (by published, then insertion): ``{"total": n, "articles":
        [{"id", "title", "source", "published", "url", "excerpt"}]}`` (excerpt: the first
        240 characters). `since` inclusive, `until` exclusive, compared as ISO strings."""

    @abc.abstractmethod
    def get_texts(self, ids: list[str]) -> dict[str, str]:
        """``{id: text}`` for the stored ones of `ids`."""

    @abc.abstractmethod
    def collect_article_layers(self, ids: list[str]) -> dict[str, dict[str, list]]:
        """For each id of `ids`: ``{"entities": [(entity_id, label, canonical)], "places":
        [(gazetteer_id, name, lat, lon)]}``; canonical: the archive entity's canonical
        name, else the span's, else its text; places without a gazetteer id and demonyms
        (``relation`` set) are left out. Unknown ids get empty lists."""

    @abc.abstractmethod
    def stats(self) -> dict[str, Any]:
        """``articles``, ``sources`` ({source: count}), ``published`` ({min, max}),
        ``spans`` ({layer: count}), ``entities`` ({label: count}), plus backend details
        (``schema_version``, ``analyzer``, ``path``)."""

    @property
    @abc.abstractmethod
    def location(self) -> str:
        """Where the archive lives (a path or URL without password)."""

    @abc.abstractmethod
    def close(self) -> None:
        """Release the connection; the object is unusable afterwards."""

    # -- search: interface_search.SearchMethods ----------------------------------------------

    # -- small key/value state (feeds) --------------------------------------------------------
    @abc.abstractmethod
    def get_state(self, key: str, default: Any = None) -> Any:
        """A JSON value stored with `set_state`, or `default`."""

    @abc.abstractmethod
    def set_state(self, key: str, value: Any) -> None:
        """Store a JSON-serialisable value (None deletes the key)."""

    # -- moving an archive (rasid copy) -------------------------------------------------------
    @abc.abstractmethod
    def iter_records(self, kind: str, batch_size: int = 500) -> Iterator[dict[str, Any]]:
        """Every record of one kind of `base.RECORD_KINDS`, in insertion order, as a dict
        of plain JSON values; what `import_records` of any backend takes back unchanged.
        ``articles``: the document fields (``Document.to_dict()`` keys, layers included)
        plus ``ingested_at``; the other kinds: their columns (JSON columns decoded,
        signatures as lists of ints); ``progress``: ``{"name": "alerts_evaluated", "value":
        n}``, the alert mark as the number of articles (in insertion order) it covers, so
        that it means the same in an engine with other sequence numbers."""

    @abc.abstractmethod
    def import_records(self, kind: str, records: Iterable[dict[str, Any]]) -> int:
        """Insert records from `iter_records` as they are (ids kept, no analysis: spans
        and mentions of articles come from their layers, the search index is filled);
        return how many were inserted. Meant for an empty archive."""
