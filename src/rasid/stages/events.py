"""The events stage: PLOVER event records, each traced to its sentence.

Reads ``doc.tokens``, ``sentences``, ``entities`` (with the resolve stage's attributes),
``places`` and ``dates``; writes ``doc.layers["events"]``: one
``Span(start, end, TYPE)`` per event over its trigger word, with attrs ``type``, ``mode``,
``trigger``, ``actor`` / ``recipient`` (``{"layer": "entities"|"np", "start", "end",
"text", "id", ...}``, ``id`` being the target span's id such as ``entities:3``: an entity span with its resolved ``entity``, or a noun phrase where the
text names no entity; ``inferred`` when taken from the previous sentence), ``place``
and ``date`` (references to ``places`` / ``dates`` spans), ``when`` (the event's day),
``sentence``, ``sentence_start``, ``sentence_end``, ``negated``, ``hypothetical``,
``threatened`` (the act a THREATEN event threatens) and ``confidence``.
Method and figures: docs/events.md.
"""
from __future__ import annotations

from ..doc import Document
from ..events.extract import extract_events
from ..events.lexicon import load_cues, load_triggers
from ..pipeline import Stage


class EventStage(Stage):
    name = "events"
    reads = ("tokens", "sentences", "entities", "places", "dates")
    writes = ("events",)

    def __init__(self) -> None:
        load_triggers()
        load_cues()

    def __call__(self, doc: Document) -> Document:
        doc.layers["events"] = extract_events(doc)
        return doc
