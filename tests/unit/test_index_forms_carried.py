"""The search index's forms of an article computed where it was analysed (a worker process,
issue 17 item 3) and taken by the store only when they fit: the same analyzer signature, the
same title and text. On the seed article."""
from __future__ import annotations

import pickle
from pathlib import Path

from rasid.doc import Document
from rasid.search.analyzer import INDEX_FORMS_ATTR, Analyzer, attach_index_forms, get_analyzer, take_index_forms

SEED = Path(__file__).resolve().parents[1] / "resources" / "paris-2015.txt"


def seed() -> Document:
    title, _, body = SEED.read_text(encoding="utf-8").partition("\n")
    return Document(text=body, title=title)


def test_carried_forms_travel_pickled_and_equal_the_stores():
    an = get_analyzer()
    doc = pickle.loads(pickle.dumps(attach_index_forms(seed())))  # as from a worker
    carried = getattr(doc, INDEX_FORMS_ATTR)
    assert carried[2] is doc.text  # pickled once: checking the text costs no comparison
    fresh = seed()
    assert take_index_forms(an, doc) == (an.index_forms(fresh.title), an.index_forms(fresh.text))
    stems, exacts = take_index_forms(an, doc)[1]
    assert "باريس" in exacts.split() and len(stems.split()) == len(exacts.split()) > 100


def test_forms_of_another_analyzer_or_text_are_computed_again():
    doc = attach_index_forms(seed())
    sig, title, text, _, _ = getattr(doc, INDEX_FORMS_ATTR)
    setattr(doc, INDEX_FORMS_ATTR, (sig, title, text, ("x", "x"), ("y", "y")))
    assert take_index_forms(get_analyzer(), doc) == (("x", "x"), ("y", "y"))  # trusted as carried
    light = Analyzer("light10", "surface")
    assert take_index_forms(light, doc) == (light.index_forms(title), light.index_forms(text))
    doc.title = "عنوان آخر"
    assert take_index_forms(get_analyzer(), doc)[0] == get_analyzer().index_forms("عنوان آخر")
    plain = seed()  # analysed in this process: nothing carried
    assert take_index_forms(get_analyzer(), plain)[1] == get_analyzer().index_forms(plain.text)
