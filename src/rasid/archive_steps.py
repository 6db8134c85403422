"""Archive steps: the work across the archive that follows every stored batch.

The pipeline (`rasid.stages`) analyses one document at a time; these steps need the
archive (other articles). They are a declared list, run in this order by `Monitor` inside
the transaction that stores the batch, so a batch's articles, entity resolution,
near-duplicate links, story memberships and alerts are committed together or not at all
(a crash leaves nothing half done; the next run stores the batch again):

* ``resolve_entities``: each entity cluster to an archive entity (`rasid.entities.archive`);
* ``near_duplicates``: MinHash/LSH near-copies (`rasid.stories.neardup`);
* ``stories``: online story assignment (`rasid.stories.tracker`);
* ``event_groups``: one happening reported by several articles (`rasid.events.grouping`);
* ``alerts``: watches matched, alerts stored (`rasid.alerts.engine`); after the commit the
  new alerts are published and their webhooks delivered (outside the write transaction).

What a step needs of one document alone (the near-duplicate signature, the story vector, the
entity name keys) is its `prepare_document`: with several workers it is computed in the
worker that analysed the document and carried back with it (`rasid.carried`), so that the
parent's serial share (it alone writes and runs the steps) stays small.

Every step is idempotent per article (an article it has done is skipped), so
`Monitor.repair` can run them over the whole archive to complete what an older rasid (or
an archive filled by other means) left missing.

``RASID_TEST_CRASH_AT=NAME[@N]`` (the ``test_crash_at`` setting; test-only: the
crash-recovery tests use it) makes the
process kill itself (SIGKILL) the N-th time (default 1) it finishes the step NAME (or
``stored``: the articles were written, no step ran yet), inside the transaction.
"""
from __future__ import annotations

import os
import signal
from typing import Any, Callable, Iterable

from .doc import Document

ARCHIVE_STEPS = ("resolve_entities", "near_duplicates", "stories", "event_groups", "alerts")


class ArchiveStep:
    """One step: `prepare` before the batch's transaction (work that needs no archive),
    `run` inside it, `after_commit` once it committed."""

    name = ""

    def prepare(self, docs: list[Document]) -> None:
        """Compute what needs only the documents, outside the write transaction (default:
        nothing); `run` uses it for the documents it gets."""

    def prepare_document(self, doc: Document) -> Any:
        """What `prepare` computes for one document alone, or None (default: nothing). With
        `workers` > 1 a worker process computes it right after the analysis and it travels
        with the document (`attach_prepared`, `rasid.carried`), so the parent, which alone
        writes and runs every step, does not (`take_prepared`)."""
        return None

    def prepared_key(self) -> str:
        """The settings `prepare_document` depends on: a value computed under others is
        not taken (the worker's step is built with the defaults)."""
        return ""

    def take_prepared(self, doc: Document) -> Any:
        """This step's `prepare_document(doc)`: the value carried by `doc` when there is
        one computed under the same settings, else computed now."""
        got = self.take_carried(doc)
        return got if got is not None else self.prepare_document(doc)

    def take_carried(self, doc: Document) -> Any:
        """This step's `prepare_document(doc)` as carried by `doc` (computed under the same
        settings from the document as it is: `rasid.carried`), or None."""
        from .carried import take_carried

        return take_carried(doc, CARRIED_PREFIX + self.name, self.prepared_key())

    def warm(self) -> None:
        """Load the shipped tables `run` reads (default: none). With `workers` > 1 the parent
        does it while the template server builds the pipeline, when a core is idle
        (`warm_archive_steps`); else they are loaded on first use."""

    def run(self, archive: Any, docs: list[Document]) -> int:
        """Do the step for the stored articles `docs`; return how many it changed."""
        raise NotImplementedError

    def after_commit(self, archive: Any) -> None:
        """Work that must not hold the write transaction (default: none)."""


class ResolveEntitiesStep(ArchiveStep):
    name = "resolve_entities"

    def prepare(self, docs: list[Document]) -> None:
        """Give the resolver the name keys the workers computed (`list_name_keys`); in one
        process nothing is computed ahead: the resolver keys each name as it meets it."""
        from .entities.resolver import give_name_keys

        keys: dict = {}
        for doc in docs:
            keys.update(self.take_carried(doc) or {})
        give_name_keys(keys)

    def prepare_document(self, doc: Document) -> Any:
        from .entities.resolver import list_name_keys

        return list_name_keys(doc)

    def warm(self) -> None:
        """The gazetteer (place names' keys) and the word frequencies (office names are
        split into words with them): in one process the pipeline has loaded both, but the
        parent of workers loads them for the names it keys itself (0.3–0.5 CPU s); and the
        resolver's modules (rapidfuzz among them: 0.1 CPU s to import)."""
        from .arabic.tokenize import load_wordfreq
        from .entities.archive import resolve_batch_entities  # noqa: F401 (imported: loaded)
        from .geo.gazetteer import load_gazetteer

        load_gazetteer()
        load_wordfreq()

    def run(self, archive: Any, docs: list[Document]) -> int:
        from .entities.archive import is_resolved, resolve_batch_entities

        todo = [d for d in docs if (d.layers.get("entities") or d.layers.get("offices"))
                and not is_resolved(d)]
        resolve_batch_entities(archive, todo)
        return len(todo)


class NearDuplicatesStep(ArchiveStep):
    name = "near_duplicates"

    def __init__(self, detector: Any = None):
        from .stories.neardup import NearDuplicateDetector

        self.detector = detector or NearDuplicateDetector()
        self._signatures: dict[str, Any] = {}

    def prepare(self, docs: list[Document]) -> None:
        self._signatures = {d.id: self.take_prepared(d) for d in docs if d.id}

    def prepare_document(self, doc: Document) -> Any:
        from .stories.neardup import compute_signature

        return compute_signature(doc.text)

    def run(self, archive: Any, docs: list[Document]) -> int:
        ids = [d.id for d in docs]
        before = set(archive.get_signatures(ids))
        signatures, self._signatures = self._signatures, {}
        self.detector.process(archive, docs, signatures)
        return len(set(archive.get_signatures(ids)) - before)


class StoriesStep(ArchiveStep):
    name = "stories"

    def __init__(self, tracker: Any = None):
        from .stories.tracker import StoryTracker

        self.tracker = tracker or StoryTracker()
        self._features: dict[str, Any] = {}

    def prepare(self, docs: list[Document]) -> None:
        from .stories.tracker import convert_doc_time

        # the time is read here: an article without a date is dated when it is stored
        self._features = {d.id: (self.take_prepared(d), convert_doc_time(d)) for d in docs if d.id}

    def prepare_document(self, doc: Document) -> Any:
        """The article's term vector (`StoryTracker.compute_features` without the time)."""
        from .stories.tracker import compute_doc_vector

        return compute_doc_vector(doc, self.tracker.config)

    def prepared_key(self) -> str:
        return repr(self.tracker.config)

    def run(self, archive: Any, docs: list[Document]) -> int:
        features, self._features = self._features, {}
        return len(self.tracker.process(archive, docs, features))


class EventGroupsStep(ArchiveStep):
    name = "event_groups"

    def warm(self) -> None:
        """The grouping's module and the event cues it compares."""
        from .events.grouping import group_events  # noqa: F401 (imported: loaded)
        from .events.lexicon import load_cues

        load_cues()

    def run(self, archive: Any, docs: list[Document]) -> int:
        """Group the batch's events with the archive's (idempotent: an event grouped again
        gets the same group)."""
        from .events.grouping import group_events

        return group_events(archive, [d.id for d in docs if d.layers.get("events")])


class AlertsStep(ArchiveStep):
    name = "alerts"

    def __init__(self, engine: Any = None):
        from .alerts.engine import AlertEngine

        self.engine = engine or AlertEngine()
        self._created: list[int] = []

    def run(self, archive: Any, docs: list[Document]) -> int:
        created = self.engine.evaluate(archive, docs)
        self._created += created
        return len(created)

    def after_commit(self, archive: Any) -> None:
        created, self._created = self._created, []
        self.engine.announce(archive, created)


STEP_TYPES: dict[str, Callable[[], ArchiveStep]] = {
    "resolve_entities": ResolveEntitiesStep, "near_duplicates": NearDuplicatesStep,
    "stories": StoriesStep, "event_groups": EventGroupsStep, "alerts": AlertsStep}


def build_archive_steps(names: Iterable[str] = ARCHIVE_STEPS) -> list[ArchiveStep]:
    """The steps named, in the order given; an unknown name is an error."""
    steps = []
    for name in names:
        if name not in STEP_TYPES:
            raise ValueError(f"unknown archive step {name!r}; known: {', '.join(STEP_TYPES)}")
        steps.append(STEP_TYPES[name]())
    return steps


#: a step's `prepare_document` value travels with the document under this prefix and the
#: step's name (`rasid.carried`)
CARRIED_PREFIX = "step:"


def build_document_preparers(names: Iterable[str] = ARCHIVE_STEPS) -> list[ArchiveStep]:
    """The steps of `names` that compute something per document (`prepare_document`), built
    with their defaults: what a worker process runs after the analysis."""
    return [STEP_TYPES[n]() for n in names
            if n in STEP_TYPES and STEP_TYPES[n].prepare_document is not ArchiveStep.prepare_document]


def attach_prepared(steps: list[ArchiveStep], doc: Document) -> Document:
    """Compute every step's `prepare_document(doc)` and carry it with `doc` (a value that
    fails or is None is left for the parent to compute)."""
    from .carried import carry

    for step in steps:
        try:
            value = step.prepare_document(doc)
        except Exception:  # the parent computes it again and reports what goes wrong there
            continue
        if value is not None:
            carry(doc, CARRIED_PREFIX + step.name, value, step.prepared_key())
    return doc


def warm_archive_steps(steps: list[ArchiveStep]) -> None:
    """Let every step load the shipped tables it reads (`ArchiveStep.warm`)."""
    for step in steps:
        step.warm()


def prepare_archive_steps(steps: list[ArchiveStep], docs: list[Document]) -> None:
    """Let every step compute what needs no archive, before the write transaction."""
    for step in steps:
        step.prepare(docs)


def run_archive_steps(steps: list[ArchiveStep], archive: Any, docs: list[Document]) -> dict[str, int]:
    """Run every step on `docs` (inside the caller's transaction); ``{step: changed}``."""
    done = {}
    for step in steps:
        done[step.name] = step.run(archive, docs)
        crash_for_test(step.name)
    return done


_crash_counts: dict[str, int] = {}
_crash_at: list[str] = []  # the test_crash_at setting, read once per process


def crash_for_test(point: str) -> None:
    """Test-only: SIGKILL this process at `point` when ``RASID_TEST_CRASH_AT`` names it."""
    if not _crash_at:
        from .settings import get_setting

        _crash_at.append(get_setting("test_crash_at") or "")
    wanted = _crash_at[0]
    if not wanted:
        return
    name, _, nth = wanted.partition("@")
    if name != point:
        return
    _crash_counts[point] = _crash_counts.get(point, 0) + 1
    if _crash_counts[point] >= int(nth or 1):
        os.kill(os.getpid(), signal.SIGKILL)
