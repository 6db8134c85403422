"""Issue 15, item 4: the stages stay linear in the article on pathological shapes.

No wall clock: each test counts the work a stage does (name comparisons, votes, network
time steps) on an input and on one twice as large, in the same run."""
from __future__ import annotations

import pytest

from rasid.doc import Document, Span
from rasid.stages.tokenize import TokenizeStage

FIRST = ["محمد", "أحمد", "خالد", "سعيد", "فهد", "علي", "عمر", "يوسف", "سلمان", "ناصر", "بدر", "زياد"]


def names_doc(n_distinct: int, repeats: int = 1) -> Document:
    """An article naming `n_distinct` different people, each `repeats` times, with PER spans."""
    parts, spans, pos = [], [], 0
    for r in range(repeats):
        for i in range(n_distinct):
            name = f"{FIRST[i % 12]} {FIRST[(i // 12) % 12]} آل{FIRST[(i // 144) % 12]}"
            sentence = f"وقال {name} للصحفيين. "
            start = pos + len("وقال ")
            spans.append(Span(start, start + len(name), "PER", {"confidence": 0.9}))
            parts.append(sentence)
            pos += len(sentence)
    doc = TokenizeStage()(Document(text="".join(parts)))
    doc.layers["entities"] = spans
    return doc


def count_calls(monkeypatch, module, name: str) -> list[int]:
    counter = [0]
    real = getattr(module, name)

    def counting(*args, **kwargs):
        counter[0] += 1
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, counting)
    return counter


def test_resolve_compares_distinct_names_not_mentions(monkeypatch):
    from rasid.entities import linking

    calls = count_calls(monkeypatch, linking, "compare_names")
    linking.link_mentions(names_doc(30, repeats=1))
    once = calls[0]
    calls[0] = 0
    clusters = linking.link_mentions(names_doc(30, repeats=20))
    assert calls[0] == once  # 20 times the mentions, no more comparisons
    assert sum(len(c.spans) for c in clusters) == 600


def test_resolve_is_linear_in_distinct_names(monkeypatch):
    from rasid.entities import linking

    monkeypatch.setattr(linking, "MAX_COMPARED_CLUSTERS", 20)
    calls = count_calls(monkeypatch, linking, "compare_names")
    linking.link_mentions(names_doc(150))
    small = calls[0]
    calls[0] = 0
    linking.link_mentions(names_doc(300))
    assert small > 0 and calls[0] <= 2.3 * small


def test_roles_look_up_tokens_by_offset():
    from rasid.entities.roles import find_role, name_start_after

    doc = TokenizeStage()(Document(text="وقال الرئيس الفرنسي فرانسوا هولاند إن فرنسا في حرب. " * 50))
    start = doc.text.rindex("فرانسوا")
    span = Span(start, start + len("فرانسوا هولاند"), "PER")
    role = find_role(doc, span)
    assert role is not None and doc.text[role[0]:role[1]] == "الرئيس الفرنسي"
    assert name_start_after(doc, role[1]) == start


def places_doc(n: int) -> Document:
    """An article naming `n` different gazetteer places, each as a LOC entity span."""
    from rasid.geo.gazetteer import load_gazetteer

    gaz = load_gazetteer()
    names = sorted(k for k in gaz.index if " " not in k and len(k) >= 5 and not k.startswith("ال")
                   and all("\u0621" <= c <= "\u064a" for c in k))[:n]
    parts, spans, pos = [], [], 0
    for name in names:
        sentence = f"وصل الوفد إلى {name} ثم غادر. "
        start = pos + len("وصل الوفد إلى ")
        spans.append(Span(start, start + len(name), "LOC", {"confidence": 0.9}))
        parts.append(sentence)
        pos += len(sentence)
    doc = TokenizeStage()(Document(text="".join(parts)))
    doc.layers["entities"] = spans
    return doc


def test_places_votes_are_counted_once_per_mention(monkeypatch):
    """Each distinct place weighs the votes of all the others: counted once per pass, not
    once per place and mention (which grew with the square of the distinct places)."""
    from rasid.geo import resolve
    from rasid.stages.places import PlaceStage

    stage = PlaceStage()
    calls = count_calls(monkeypatch, resolve, "_vote_of")
    small_doc = stage(places_doc(300))
    small = calls[0]
    calls[0] = 0
    stage(places_doc(600))
    assert len(small_doc.layers["places"]) >= 200
    assert small > 0 and calls[0] <= 2.2 * small


@pytest.mark.parametrize("shape", ["x/" * 500, "ب " * 500, "قال أولاند في باريس ، " * 100])
def test_ner_tags_long_sentences_in_bounded_pieces(monkeypatch, shape):
    """One run-on sentence is tagged in pieces of at most MAX_SEQUENCE_TOKENS: the networks
    run over batches of short sequences, so the steps grow with the text, not its square."""
    from rasid.stages import ner_nn
    from rasid.stages.ner import MAX_SEQUENCE_TOKENS, NERStage

    stage = NERStage()
    steps: list[tuple[int, int]] = []
    real = ner_nn.BiLSTMCRF._run

    def counting(self, P, active):  # active: the sequences run at each step
        steps.append((sum(active), len(active)))
        return real(self, P, active)

    monkeypatch.setattr(ner_nn.BiLSTMCRF, "_run", counting)
    doc = TokenizeStage()(Document(text=shape))
    stage(doc)
    assert steps, "the network ran"
    assert max(length for _, length in steps) <= MAX_SEQUENCE_TOKENS
    assert sum(work for work, _ in steps) == len(doc.tokens)  # each token once, both directions together


def saudinewsnet_doc(n_articles: int) -> Document:
    """The first `n_articles` SaudiNewsNet articles in tests/resources run together as one
    long article (more sentences and more distinct words), analysed up to the places stage
    (what the events and summarise stages read)."""
    import json
    from pathlib import Path

    from rasid.stages import build_pipeline

    lines = (Path(__file__).resolve().parents[1] / "resources" / "saudinewsnet-stories.jsonl").read_text(
        encoding="utf-8").splitlines()
    text = "\n\n".join(json.loads(line)["content"] for line in lines[:n_articles])
    return build_pipeline(("tokenize", "ner", "resolve", "dates", "places"))(Document(text=text))


class CountingList(list):
    """A layer that counts how many spans are read by iterating over it."""

    reads = 0

    def __iter__(self):
        CountingList.reads += len(self)
        return super().__iter__()


def test_events_look_up_a_sentences_spans_without_scanning_the_layer():
    """Each sentence and event finds its entities, places and dates by bisection: scanning
    every layer once per sentence made a 500 KB article take minutes (issue 17 item 6)."""
    from rasid.stages.events import EventStage

    stage = EventStage()
    reads, events, sizes = [], [], []
    for n in (8, 16):
        doc = saudinewsnet_doc(n)
        sizes.append(len(doc.text))
        for layer in ("entities", "places", "dates"):
            doc.layers[layer] = CountingList(doc.layers.get(layer, []))
        CountingList.reads = 0
        events.append(len(stage(doc).layers["events"]))
        reads.append(CountingList.reads)
    assert events[0] > 0 and events[1] > events[0]
    assert reads[1] <= 1.3 * reads[0] * sizes[1] / sizes[0]  # linear: grows as the text


def test_summary_centrality_norms_the_centroid_once(monkeypatch):
    """Every sentence is compared with the article's centroid: its norm is computed once,
    not once per sentence (which grew with sentences x vocabulary)."""
    from rasid.summarise import extractive, terms

    summed: list[int] = [0]
    real = terms.compute_norm

    def counting(vec):
        summed[0] += len(vec)
        return real(vec)

    monkeypatch.setattr(terms, "compute_norm", counting)
    monkeypatch.setattr(extractive, "compute_norm", counting)
    work, picked, sizes = [], [], []
    for n in (8, 16):
        summed[0] = 0
        doc = saudinewsnet_doc(n)
        sizes.append(len(doc.text))
        picked.append(len(extractive.summarise_document(doc, 3)))
        work.append(summed[0])
    assert picked == [3, 3]
    assert work[1] <= 1.3 * work[0] * sizes[1] / sizes[0]  # linear: grows as the text
