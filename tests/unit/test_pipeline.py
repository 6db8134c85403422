"""Stages by registry, declared reads/writes checked, stable span ids (on the seed article)."""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from rasid.doc import Document, Span, assign_span_ids
from rasid.pipeline import STAGES, Pipeline, PipelineError, Stage, register_stage
from rasid.stages import DEFAULT_STAGES, build_pipeline, create_stage

ROOT = Path(__file__).resolve().parents[2]
ID_RE = re.compile(r"(?P<layer>[a-z_]+):(?P<n>[1-9][0-9]*)")


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return build_pipeline(strict=True)


@pytest.fixture(scope="module")
def seed_doc(pipeline, seed_text) -> Document:
    return pipeline(Document(seed_text, title="هجمات باريس", published="2015-11-14"))


# -- the registry -------------------------------------------------------------------------------
def test_default_stages_come_from_the_registry_in_order():
    assert DEFAULT_STAGES == ("tokenize", "ner", "resolve", "dates", "places", "summarise")
    assert [create_stage(n).name for n in ("tokenize", "dates")] == ["tokenize", "dates"]
    with pytest.raises(ValueError, match=r"unknown stage 'event'; known: tokenize, ner"):
        create_stage("event")


def test_importing_rasid_stages_imports_no_stage_module():
    code = ("import sys, rasid, rasid.stages, rasid.monitor; "
            "print(sorted(m for m in sys.modules if m.startswith('rasid.stages.')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={"PYTHONPATH": str(ROOT / "src")}).stdout
    assert out.strip() == "[]"


class Shout(Stage):
    """Marks every sentence that ends in an exclamation mark."""

    name = "shout"
    reads = ("sentences",)
    writes = ("shouts",)

    def __call__(self, doc):
        doc.layers["shouts"] = [Span(s.start, s.end, "SHOUT") for s in doc.sentences
                                if doc.text[s.start:s.end].rstrip().endswith("!")]
        return doc


@pytest.fixture
def registry():
    saved = dict(STAGES)
    yield STAGES
    STAGES.clear()
    STAGES.update(saved)


def test_registering_a_stage_is_one_line(registry):
    register_stage("shout", Shout, default=False)
    assert "shout" not in build_pipeline().names
    doc = build_pipeline(["tokenize", "shout"], strict=True)(Document("قتل العشرات! ونجا آخرون."))
    assert [(s.id, doc.text[s.start:s.end]) for s in doc.layers["shouts"]] == [("shouts:1", "قتل العشرات!")]
    with pytest.raises(ValueError, match="registered twice"):
        register_stage("shout", "rasid.stages.tokenize:TokenizeStage")


def test_a_stage_registers_with_a_decorator_and_must_carry_the_name(registry):
    @register_stage("whisper", default=False)
    class Whisper(Shout):
        name = "whisper"

    assert create_stage("whisper").writes == ("shouts",)
    register_stage("yell", Shout)
    with pytest.raises(TypeError, match="named 'shout'"):
        create_stage("yell")


def test_older_requires_provides_are_aliases():
    class Old(Stage):
        name = "old"
        requires = ("tokens",)
        provides = ("old",)

    assert (Old.reads, Old.writes) == (("tokens",), ("old",))
    assert (Old().requires, Old().provides) == (("tokens",), ("old",))


# -- order and strict mode ------------------------------------------------------------------------
def test_order_is_checked_when_the_pipeline_is_built():
    with pytest.raises(PipelineError, match=r"stage 'ner' reads \['tokens', 'sentences'\]"):
        build_pipeline(["ner", "tokenize"])
    with pytest.raises(PipelineError, match=r"stage 'places' reads \['entities'\]"):
        build_pipeline(["tokenize", "places"])


class Sneaky(Stage):
    """Writes its layer, and also touches what it should not (chosen per test)."""

    name = "sneaky"
    reads = ("tokens", "entities")
    writes = ("notes",)

    def __init__(self, mischief):
        self.mischief = mischief

    def __call__(self, doc):
        doc.layers["notes"] = [Span(0, 4, "NOTE")]
        return self.mischief(doc) or doc


def _relabel_entity(doc):
    doc.layers["entities"][0].label = "MISC"


def _drop_token(doc):
    doc.tokens.pop()


def _set_meta(doc):
    doc.meta["seen"] = True


def _copy_doc(doc):
    return Document.from_dict(doc.to_dict())


@pytest.mark.parametrize("mischief, message", [
    (_relabel_entity, r"stage 'sneaky' changed \['entities'\], which it does not declare"),
    (_drop_token, r"changed \['tokens'\]"),
    (_set_meta, r"changed \['meta'\]"),
    (_copy_doc, r"stage 'sneaky' returned another Document"),
])
def test_strict_mode_catches_undeclared_changes(seed_text, mischief, message):
    stages = [create_stage("tokenize"), create_stage("ner"), Sneaky(mischief)]
    with pytest.raises(PipelineError, match=message):
        Pipeline(stages, strict=True)(Document(seed_text))
    doc = Pipeline(stages, strict=False)(Document(seed_text))  # not checked outside strict mode
    assert doc.layers["notes"][0].id == "notes:1"


def test_the_default_stages_keep_to_their_declarations(seed_doc):
    # the module fixture ran them all in strict mode; what they declare is what they wrote
    declared = {w for name in DEFAULT_STAGES for w in create_stage_class_writes(name)}
    assert set(seed_doc.layers) <= declared
    assert seed_doc.layers["entities"] and seed_doc.layers["places"] and seed_doc.layers["dates"]


def create_stage_class_writes(name: str) -> tuple[str, ...]:
    from rasid.pipeline import load_stage_class

    return load_stage_class(name).writes


# -- span ids -------------------------------------------------------------------------------------
def all_ids(doc: Document) -> list[tuple[str, str, int, int, str]]:
    return [(layer, s.id, s.start, s.end, s.label) for layer, spans in doc.layers.items() for s in spans]


def test_every_span_has_a_unique_id_of_its_layer(seed_doc):
    rows = all_ids(seed_doc)
    assert len(rows) > 100
    ids = [r[1] for r in rows]
    assert len(set(ids)) == len(ids)
    for layer, span_id, *_ in rows:
        m = ID_RE.fullmatch(span_id)
        assert m and m["layer"] == layer, span_id
    for layer, spans in seed_doc.layers.items():  # numbered 1..n in document order
        ordered = sorted(spans, key=lambda s: (s.start, s.end, s.label))
        assert [s.id for s in ordered] == [f"{layer}:{n}" for n in range(1, len(spans) + 1)], layer


def test_ids_are_stable_across_runs_and_json(pipeline, seed_doc, seed_text):
    again = pipeline(Document(seed_text, title="هجمات باريس", published="2015-11-14"))
    assert all_ids(again) == all_ids(seed_doc)
    data = json.loads(json.dumps(seed_doc.to_dict(), ensure_ascii=False))
    assert data["layers"]["entities"][0]["id"] == "entities:1"
    back = Document.from_dict(data)
    assert all_ids(back) == all_ids(seed_doc)
    assert back.to_dict() == seed_doc.to_dict()
    entity = back.find_span("entities:3")
    assert entity is not None and entity == seed_doc.layers["entities"][2]
    assert back.find_span("entities:999") is None and back.find_span("nolayer:1") is None


def test_ids_are_stored_with_the_article(seed_doc):
    from rasid.store import open_store

    with open_store(":memory:") as store:
        store.add_documents([seed_doc])
        stored = store.get_document(seed_doc.id)
    assert all_ids(stored) == all_ids(seed_doc)


def test_ids_continue_when_a_layer_grows():
    doc = Document("باريس ولندن وبرلين")
    doc.layers["places"] = [Span(6, 11, "PLACE"), Span(0, 5, "PLACE")]
    assign_span_ids(doc, "places")
    assert [s.id for s in doc.layers["places"]] == ["places:2", "places:1"]
    doc.layers["places"][0].start = 7  # a later stage adjusts a span: its id stays
    doc.layers["places"].insert(0, Span(12, 18, "PLACE"))
    assign_span_ids(doc, "places")
    assert [s.id for s in doc.layers["places"]] == ["places:3", "places:2", "places:1"]


def test_id_is_reserved_for_the_span():
    with pytest.raises(ValueError, match="reserved"):
        Span(0, 1, "X", {"id": "mine"}).to_dict()
