"""A fuller version of a stored article replaces it (issue 16 item 4; docs/archive.md).

A feed often gives an article's first sentences only; when its page (or a JSON Lines
record of it) is ingested later, the archive keeps the fuller text under the same id:

* **the same article**: the same canonical URL (`rasid.ingest.urls.canonicalize_url`, the
  archive's key; the article id is derived from it), so the store reports the new
  document as a ``url`` duplicate;
* **fuller**: its text, normalised as the content hash normalises it (letters folded,
  diacritics dropped, whitespace collapsed), is at least `MIN_EXTRA_CHARS` characters
  longer than the stored one. The same, a shorter or a barely longer text is a duplicate
  and skipped, so re-runs stay idempotent whatever the order of snippet and page;
* **fields**: the stored title, publication date, source, author and summary are kept;
  one the stored article lacks is taken from the new version; ``meta`` is the stored
  keys updated by the new ones; images come from the new version when the stored article
  has none. The id stays, and so does the time it was first seen (``ingested_at``).

The new text is analysed by the normal pipeline (the fields merged first, so that dates
are resolved against the kept publication date), then `Store.replace_document` swaps it
in and the archive steps run on it as on a new article (`Monitor._store_batch`): alerts
already raised for the article stay (one per watch and article), a watch that only the
new text matches fires.
"""
from __future__ import annotations

from typing import Any

from ..doc import Document, fold_content

#: how many more characters (normalised) a text needs to replace the stored one
MIN_EXTRA_CHARS = 20
#: the fields a fuller version fills only where the stored article lacks them
KEPT_FIELDS = ("title", "published", "source", "author", "summary")


def measure_text(text: str) -> int:
    """The length of `text` as the content hash sees it (`compute_content_hash`)."""
    return len(fold_content(text))


def is_fuller_text(new: str, old: str) -> bool:
    """Whether `new` is at least `MIN_EXTRA_CHARS` characters longer than `old`."""
    return measure_text(new) >= measure_text(old) + MIN_EXTRA_CHARS


def find_replaced_article(store: Any, doc: Document, found: tuple[str, str] | None) -> Document | None:
    """The stored article `doc` is a fuller version of, or None. `found`: what
    ``store.find_duplicate(doc)`` returned (only a ``url`` duplicate can be replaced)."""
    if not found or found[1] != "url":
        return None
    old = store.get_texts([found[0]]).get(found[0])
    if old is None or not is_fuller_text(doc.text, old):
        return None
    return store.get_document(found[0])


def merge_stored_fields(doc: Document, stored: Document) -> Document:
    """`doc` (the fuller version) with the stored article's id and the fields it keeps."""
    doc.id = stored.id
    for name in KEPT_FIELDS:
        if getattr(stored, name):
            setattr(doc, name, getattr(stored, name))
    doc.meta = {**stored.meta, **doc.meta}
    if stored.images:
        doc.images = stored.images
    return doc


def replace_fuller_versions(store: Any, batch: list[Document], outcomes: list[Any]) -> None:
    """After ``store.add_documents(batch)``: every document found a ``url`` duplicate of a
    stored article whose text it makes fuller replaces it (`Store.replace_document`, inside
    the caller's transaction); its entry of `outcomes` (aligned with `batch`) becomes that
    outcome (``updated``; ``failed`` with the reason when the replacement raised)."""
    from ..store.base import DocOutcome

    if len(outcomes) != len(batch):
        raise ValueError(f"{len(outcomes)} outcomes for a batch of {len(batch)} documents")
    for i, (doc, outcome) in enumerate(zip(batch, outcomes)):
        if outcome.outcome != "duplicate" or outcome.reason != "url":
            continue
        stored = find_replaced_article(store, doc, (outcome.duplicate_of, "url"))
        if stored is None:
            continue
        merge_stored_fields(doc, stored)
        try:
            with store.transaction():  # a savepoint: a failed replacement changes nothing
                outcomes[i] = store.replace_document(doc)
        except Exception as exc:  # recorded, not raised: one bad document
            outcomes[i] = DocOutcome(doc.id, "failed", f"{type(exc).__name__}: {exc}",
                                     origin=doc.origin)
