"""Archive interface, part 7: exports (`rasid export`, ``GET /api/v1/export/{kind}``).

Every kind is read in pages by a key (rowid or id), so an export of any size runs in
constant memory, and nothing is capped.
"""
from __future__ import annotations

import abc
from typing import Any, Iterator

#: What `ExportMethods.iter_export` reads (events: `Store.iter_events`).
EXPORT_KINDS = ("articles", "mentions", "entities", "places", "dates", "stories", "alerts")


class ExportMethods(abc.ABC):
    @abc.abstractmethod
    def iter_export(self, kind: str, filters: dict[str, Any] | None = None,
                    batch_size: int = 500) -> Iterator[dict[str, Any]]:
        """Every record of `kind` (one of `EXPORT_KINDS`) in insertion order, as dicts of
        plain JSON values, read `batch_size` at a time.

        ``articles``: `Document.to_dict()` plus ``ingested_at``; ``mentions``: every span
        of every layer but tokens and sentences (``article_id, published, layer, start,
        end, label, text, entity_id, attrs``); ``places`` and ``dates``: the spans of that
        layer with their attributes as columns; ``entities``: `EntityRecord.to_dict()`;
        ``stories``: ``id, title, first_published, last_published, article_count,
        article_ids``; ``alerts``: ``id, watch_id, watch, article_id, kind, event_time,
        created_at, reason, title, url, published``.

        `filters` choose the articles (and so what belongs to them): ``since``/``until``
        (published, ISO; until a day, inclusive), ``source``, ``entity_ids`` (mentions
        any), ``country`` (ISO2 of a place named), ``article_ids``. Entities are those
        mentioned in a chosen article, stories those holding one, alerts those on one."""
