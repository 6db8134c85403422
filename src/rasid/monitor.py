"""Monitor: the one application object. CLI, API, web UI and batch jobs call its methods."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from . import app_reads
from .doc import Document
from .lazy_import import lazy_attributes
from .monitor_ingest import IngestMethods, IngestSummary, check_document  # noqa: F401 (the contract)
from .pipeline import Pipeline
from .stages import DEFAULT_STAGES, build_pipeline

#: exceptions that are part of Monitor's contract, for the shells to catch
__all__ = ["ArchiveNotEmpty", "ExportFilterError", "IngestSummary", "Monitor", "QueryError",
           "WatchError", "WorkerCrashed"]


#: the contract's exceptions, imported when a shell first asks for one (a cold `rasid
#: search` imports neither the readers, the alerts nor the archive copier)
__getattr__ = lazy_attributes(__name__, {
    "WatchError": ".alerts.watches", "ArchiveNotEmpty": ".store.copy",
    "ExportFilterError": ".export.records", "QueryError": ".search.query", "WorkerCrashed": ".workers",
})


#: events read for a place page's timeline (the page lists the newest `limit`)
MAX_PLACE_EVENTS = 1000


class Monitor(IngestMethods):
    def __init__(self, db: str | Path | None = None, stages: Iterable[str] = DEFAULT_STAGES,
                 workers: int = 1):
        """`workers` > 1 analyses in that many processes (`rasid.workers`; the CLI passes
        the ``workers`` setting); the store is written by this process alone."""
        from .store import open_store

        if workers < 1:
            raise ValueError(f"workers must be at least 1, not {workers}")
        self.store = open_store(db)
        self._stage_names = tuple(stages)
        self._pipeline: Pipeline | None = None
        self.workers = workers
        self._pool: Any = None
        #: (stage name, document) as each stage starts, in this process (`Pipeline.on_stage`)
        self.on_stage: Callable[[str, Document], None] | None = None
        self._archive_steps: list | None = None

    @property
    def archive_steps(self) -> list:
        """The archive steps (`rasid.archive_steps`), run in this order in the transaction
        of every stored batch; built on first use (a search imports none of them)."""
        if self._archive_steps is None:
            from .archive_steps import ARCHIVE_STEPS, build_archive_steps

            self._archive_steps = build_archive_steps(ARCHIVE_STEPS)
        return self._archive_steps

    @archive_steps.setter
    def archive_steps(self, steps: list) -> None:
        self._archive_steps = steps

    # -- analysis -------------------------------------------------------------------
    @property
    def pipeline(self) -> Pipeline:
        if self._pipeline is None:
            self._pipeline = build_pipeline(self._stage_names)
            self._pipeline.on_stage = self.on_stage
        return self._pipeline

    def analyze(self, doc: Document) -> Document:
        return self.pipeline(doc)

    # -- exports ----------------------------------------------------------------------
    def export_chunks(self, kind: str, fmt: str, query: str | None = None, bom: bool = False,
                      on_record: Callable[[int], None] | None = None,
                      **filters: Any) -> Iterator[bytes]:
        """Every record of `kind` matching the filters (query, since, until, source, entity,
        country) as `fmt` bytes, streamed (`rasid.export`); `ExportFilterError` or
        `QueryError` before the first chunk."""
        from .export import iter_chunks, iter_records

        if query:
            self.search(query, limit=1)  # a bad query fails here, not mid-stream
        records = iter_records(self.store, kind, query=query, on_record=on_record, **filters)
        return iter_chunks(kind, fmt, records, bom=bom)

    def archive_step(self, name: str) -> Any:
        """The installed archive step called `name` (see `rasid.archive_steps`)."""
        for step in self.archive_steps:
            if step.name == name:
                return step
        raise KeyError(f"no archive step {name!r}")

    def copy_to(self, target: str | Path) -> dict[str, int]:
        """Copy this archive into the empty archive at `target` (any engine: a path,
        ``sqlite:///``, ``postgresql://``), without analysing anything again;
        ``{kind: records copied}``. Raises `rasid.store.copy.ArchiveNotEmpty`."""
        from .store import open_store
        from .store.copy import copy_archive

        with open_store(target) as dest:
            return copy_archive(self.store, dest)

    # -- reading --------------------------------------------------------------------
    def search(self, text: str, **filters: Any):
        """Ranked hits (a list with ``expansions``: spellings added for named entities)."""
        from .store.base import SearchQuery

        return self.store.search(SearchQuery(text, **filters))

    def search_page(self, text: str, limit: int = 10, offset: int = 0,
                    **filters: Any) -> dict[str, Any]:
        """``{"hits", "total", "total_capped"}``: one page of ranked hits and how many
        articles match, counted over the best `FACET_POOL` (300) like the web UI's search;
        ``total_capped`` when there may be more."""
        from .search.facets import FACET_POOL

        pool_size = max(FACET_POOL, offset + limit)
        pool = self.search(text, limit=pool_size, offset=0, **filters)
        return {"hits": pool.page(offset, offset + limit), "total": len(pool),
                "total_capped": len(pool) >= pool_size}

    def search_trend(self, text: str, unit: str | None = None, **filters: Any) -> dict[str, Any]:
        """Matching articles per day (or hour) with surges marked (`rasid.search.trend`)."""
        from .search.trend import compute_trend
        from .store.base import SearchQuery

        return compute_trend(self.store, SearchQuery(text, **filters), unit)

    def search_facets(self, text: str, size: int = 12, **filters: Any) -> dict[str, Any]:
        """Exact counts of the matches by source, day, entity, place and country."""
        from .search.searcher import count_facets
        from .store.base import SearchQuery

        return count_facets(self.store, SearchQuery(text, **filters), size)

    def similar_articles(self, doc_id: str, limit: int = 10) -> dict[str, Any] | None:
        """More like this: key terms and the most similar articles, near-duplicates
        marked; None when `doc_id` is not stored."""
        from .search.similar import find_similar

        return find_similar(self.store, doc_id, limit)

    def get_document(self, doc_id: str) -> Document | None:
        return self.store.get_document(doc_id)

    def top_entities(self, **filters: Any) -> list[dict[str, Any]]:
        return self.store.top_entities(**filters)

    def entity_profiles(self, name: str, type: str | None = None, limit: int = 10) -> list[dict[str, Any]]:
        """Profiles of the entities whose names match `name` after normalisation (Arabic or
        Latin), best first by mentions; [] when none does (see `entity_suggestions`)."""
        from .entities.archive import lookup_entities

        out = []
        for record in lookup_entities(self.store, name, type=type, limit=3):
            profile = self.store.entity_profile(record.id, limit=limit)
            if profile:
                out.append(app_reads.add_entity_names(self.store, profile))
        return out

    def entity_suggestions(self, name: str, type: str | None = None, limit: int = 5) -> list[dict[str, Any]]:
        """The entities spelled closest to a name that matched none ("did you mean")."""
        from .entities.archive import suggest_entity_names

        return [{"id": r.id, "canonical": r.canonical, "type": r.type, "latin": r.latin,
                 "mentions": r.mention_count}
                for r in suggest_entity_names(self.store, name, type=type, limit=limit)]

    def top_places(self, **filters: Any) -> list[dict[str, Any]]:
        return self.store.top_places(**filters)

    def find_country(self, name: str) -> dict[str, Any] | None:
        """The country named `name` (ISO 3166 code, English or Arabic name):
        ``{"country", "name", "name_en"}``, or None (`rasid.geo.countries`)."""
        from .geo.countries import find_country

        return find_country(name)

    def place_profiles(self, name: str, limit: int = 20) -> list[dict[str, Any]]:
        """The place page: for each gazetteer entry a name (Arabic, English or a gazetteer
        id) may mean and the archive names, most articles first: the place, articles over
        time, latest articles, entities, co-mentioned places, archive places within
        300 km (``neighbours``), the events located there (``events``, newest first) and
        their count per day and type (``event_timeline``). Other entries of the same name
        are listed as ``alternatives``."""
        from .geo.profile import count_events_by_day, find_place_keys, select_neighbours

        keys = find_place_keys(name)
        counts = self.store.count_place_articles(keys)
        ranked = sorted(counts, key=lambda k: -counts[k])
        out = []
        nearby = self.store.top_places(limit=1000) if ranked else []
        for key in ranked[:3]:
            profile = self.store.place_profile(key, limit=limit)
            if profile:
                profile["neighbours"] = select_neighbours(profile["place"], nearby)[:limit]
                events = self.store.find_events({"place_id": key}, limit=MAX_PLACE_EVENTS)
                profile["event_timeline"] = count_events_by_day(events)
                profile["events"] = events[:limit]
                profile["alternatives"] = [{"gazetteer_id": k, "articles": counts[k]} for k in ranked if k != key]
                out.append(profile)
        return out

    def stats(self) -> dict[str, Any]:
        return self.store.stats()

    @property
    def location(self) -> str:
        """Where the archive is (a file path or a database URL without its password)."""
        return self.store.location

    def list_articles(self, limit: int = 20, offset: int = 0, source: str | None = None,
                      since: str | None = None, until: str | None = None) -> dict[str, Any]:
        """Newest first: ``{"total", "articles": [{id, title, source, published, url, excerpt}]}``;
        `since`/`until` are normalised ISO bounds (until exclusive)."""
        return self.store.list_articles(limit=limit, offset=offset, source=source, since=since, until=until)

    def list_sources(self) -> list[tuple[str, int]]:
        return app_reads.list_sources(self.store)

    def get_texts(self, ids: list[str]) -> dict[str, str]:
        """The text of each article id (for the snippets of search hits)."""
        return self.store.get_texts(ids) if ids else {}

    def article_layers(self, ids: list[str]) -> dict[str, dict[str, list]]:
        """For each article id: ``entities`` [(entity_id, type, canonical)] and ``places``
        [(gazetteer_id, name, lat, lon)] (demonyms left out)."""
        return self.store.collect_article_layers(ids)

    def search_with_facets(self, q: str, **options: Any) -> dict[str, Any]:
        """``{"hits", "total", "total_capped", "facets"}`` (see `rasid.search.facets`)."""
        from .search.facets import search_with_facets

        return search_with_facets(self, q, **options)

    def entity_spellings(self, entity_id: int) -> list[Any]:
        return self.store.entity_spellings(entity_id)

    def merge_entities(self, keep: int | str, drop: int | str) -> dict[str, Any]:
        """Merge entity `drop` into `keep` (ids, or names that match exactly one entity);
        the decision holds for later articles (`rasid.entities.corrections`). Returns the
        kept entity's profile; ValueError names what is wrong."""
        from .entities.corrections import merge_entities

        keep_id, drop_id = self.find_entity_id(keep), self.find_entity_id(drop)
        record = merge_entities(self.store, keep_id, drop_id)
        return app_reads.get_entity_profile(self.store, record.id, limit=5)

    def split_entity(self, entity_id: int | str, alias: str) -> dict[str, Any]:
        """Split the name `alias` off entity `entity_id` into an entity of its own; the
        decision holds for later articles. Returns the new entity's profile."""
        from .entities.corrections import split_entity

        record = split_entity(self.store, self.find_entity_id(entity_id), alias)
        return app_reads.get_entity_profile(self.store, record.id, limit=5)

    def find_entity_id(self, ref: int | str) -> int:
        """An entity id from an id or a name matching exactly one entity (ValueError else)."""
        from .entities.archive import lookup_entities

        text = str(ref).strip()
        if text.isdigit():
            if self.store.get_entity(int(text)) is None:
                raise ValueError(f"no entity with id {text}")
            return int(text)
        found = lookup_entities(self.store, text, limit=3)
        if not found:
            raise ValueError(f"no entity named {text!r}")
        if len(found) > 1:
            raise ValueError(f"{text!r} names {len(found)} entities (" + ", ".join(
                f"{r.canonical} id={r.id}" for r in found) + "): give an id")
        return found[0].id

    def entity_profile(self, entity_id: int, limit: int = 20) -> dict[str, Any] | None:
        """One entity's profile plus the spellings seen in the archive (``spellings``)."""
        return app_reads.get_entity_profile(self.store, entity_id, limit=limit)

    # -- stories ----------------------------------------------------------------------
    def list_stories(self, **options: Any) -> list[dict[str, Any]]:
        """Stories, most recently active first (`rasid.stories.queries.list_stories`)."""
        from .stories.queries import list_stories

        return list_stories(self.store, **options)

    def get_story(self, story_id: int | str) -> dict[str, Any] | None:
        from .stories.queries import get_story

        return get_story(self.store, story_id)

    def story_of_article(self, article_id: str) -> dict[str, Any] | None:
        from .stories.queries import story_of_article

        return story_of_article(self.store, article_id)

    # -- watches and alerts -------------------------------------------------------------
    def add_watch(self, **criteria: Any) -> Any:
        """Validate, resolve and store a watch; raises `WatchError` (a ValueError)."""
        from .alerts.watches import add_watch

        return add_watch(self.store, **criteria)

    def get_watch(self, watch_id: int) -> Any:
        from .alerts.watches import get_watch

        return get_watch(self.store, watch_id)

    def list_watches(self, active_only: bool = False) -> list[Any]:
        from .alerts.watches import list_watches

        return list_watches(self.store, active_only=active_only)

    def remove_watch(self, watch_id: int) -> bool:
        """Delete a watch and its alerts; False when there is no such watch."""
        from .alerts.watches import remove_watch

        return remove_watch(self.store, watch_id)

    def count_alerts_by_watch(self) -> dict[int, int]:
        return self.store.count_alerts_by_watch()

    def list_alerts(self, watch_id: int | None = None, since_id: int | None = None,
                    limit: int = 50) -> list[dict[str, Any]]:
        """With `since_id`: the alerts after it, oldest first; else the latest `limit`, oldest first."""
        from .alerts.delivery import list_alerts

        return list_alerts(self.store, watch_id=watch_id, since_id=since_id, limit=limit)

    def alerts_since(self, last_id: int = 0, limit: int = 100) -> list[dict[str, Any]]:
        """Alerts with ``id > last_id``, oldest first (the live feed's polling call)."""
        from .alerts.delivery import alerts_since

        return alerts_since(self.store, last_id, limit=limit)

    def latest_alert_id(self) -> int:
        from .alerts.delivery import latest_alert_id

        return int(latest_alert_id(self.store) or 0)

    # -- events -----------------------------------------------------------------------
    def event_filters(self, type: str | None = None, mode: str | None = None,
                      actor: str | None = None, recipient: str | None = None,
                      entity: str | None = None, country: str | None = None,
                      place: str | None = None, since: str | None = None,
                      until: str | None = None, uncertain: bool = False,
                      group: int | None = None, located: bool = False,
                      entity_id: int | None = None,
                      article_ids: list[str] | None = None) -> dict[str, Any]:
        """Store filters from user terms: names in any spelling resolve to archive entity
        ids (the typed text still matches argument phrases that are not entities)."""
        from .entities.archive import lookup_entities
        from .events.lexicon import PLOVER_TYPES

        f: dict[str, Any] = {"mode": mode, "country": country, "place": place, "since": since,
                             "until": until, "uncertain": uncertain, "group": group, "located": located}
        if type:
            bad = [t for t in type.upper().split(",") if t.strip() and t.strip() not in PLOVER_TYPES]
            if bad:
                raise ValueError(f"unknown event type {', '.join(bad)}; PLOVER types: {', '.join(PLOVER_TYPES)}")
            f["type"] = type
        for role, name in (("actor", actor), ("recipient", recipient)):
            if name:
                f[role] = name
                f[f"{role}_ids"] = [r.id for r in lookup_entities(self.store, name, limit=5)]
        if entity:
            f["entity_ids"] = [r.id for r in lookup_entities(self.store, entity, limit=5)] or [-1]
        if entity_id is not None:
            f["entity_ids"] = [int(entity_id)]
        if article_ids is not None:
            f["article_ids"] = list(article_ids) or ["-"]
        return {k: v for k, v in f.items() if v not in (None, "", False)}

    def events(self, limit: int = 100, offset: int = 0, **filters: Any) -> list[dict[str, Any]]:
        """Events across the archive, newest first (filters: `event_filters`)."""
        return self.store.find_events(self.event_filters(**filters), limit=limit, offset=offset)

    def event_group(self, group: int) -> dict[str, Any] | None:
        """One happening across articles: every source's sentence side by side, with the
        details they disagree on (toll, actor)."""
        from .events.grouping import describe_group

        members = self.store.find_events({"group": group, "uncertain": True}, limit=1000)
        if not members:
            return None
        return describe_group(members)

    def export_events(self, fmt: str, out: Any, **filters: Any) -> int:
        """Write every matching event to `out` as jsonl, csv or geojson, streamed."""
        from .events.export import write_events

        return write_events(fmt, self.iter_events(**filters), out)

    def iter_events(self, **filters: Any) -> Iterator[dict[str, Any]]:
        """Every matching event, streamed (filters: `event_filters`)."""
        return self.store.iter_events(self.event_filters(**filters))

    def close(self) -> None:
        from .alerts.delivery import wait_for_deliveries

        wait_for_deliveries(self.store)  # webhooks still being posted in the background
        if self._pool is not None:
            self._pool.close()
            self._pool = None
        self.store.close()

    def __enter__(self) -> "Monitor":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()
