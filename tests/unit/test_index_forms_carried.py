"""The search index's forms of an article computed where it was analysed (a worker process,
issue 17 item 3) and taken by the store only when they fit: the same analyzer signature, the
same title and text. On the seed article."""
from __future__ import annotations

import pickle
from pathlib import Path

from rasid.doc import Document
from rasid.carried import CARRIED_ATTR
from rasid.search.analyzer import INDEX_FORMS, Analyzer, attach_index_forms, get_analyzer, take_index_forms

SEED = Path(__file__).resolve().parents[1] / "resources" / "paris-2015.txt"


def seed() -> Document:
    title, _, body = SEED.read_text(encoding="utf-8").partition("\n")
    return Document(text=body, title=title)


def test_carried_forms_travel_pickled_and_equal_the_stores():
    an = get_analyzer()
    doc = pickle.loads(pickle.dumps(attach_index_forms(seed())))  # as from a worker
    made_from, values = getattr(doc, CARRIED_ATTR)
    assert made_from[1] is doc.text  # pickled once: checking the text costs no comparison
    assert values[INDEX_FORMS][0] == an.signature
    fresh = seed()
    assert take_index_forms(an, doc) == (an.index_forms(fresh.title), an.index_forms(fresh.text))
    assert INDEX_FORMS not in values  # taken once
    stems, exacts = take_index_forms(an, doc)[1]
    assert "باريس" in exacts.split() and len(stems.split()) == len(exacts.split()) > 100


def test_forms_of_another_analyzer_or_text_are_computed_again():
    def sent() -> Document:  # carrying forms no analyzer gives: only forms taken as carried are these
        doc = attach_index_forms(seed())
        values = getattr(doc, CARRIED_ATTR)[1]
        values[INDEX_FORMS] = (values[INDEX_FORMS][0], (("x", "x"), ("y", "y")))
        return doc

    assert take_index_forms(get_analyzer(), sent()) == (("x", "x"), ("y", "y"))  # trusted as carried
    light, doc = Analyzer("light10", "surface"), sent()
    assert take_index_forms(light, doc) == (light.index_forms(doc.title), light.index_forms(doc.text))
    doc = sent()
    doc.title = "عنوان آخر"
    assert take_index_forms(get_analyzer(), doc)[0] == get_analyzer().index_forms("عنوان آخر")
    doc = sent()
    doc.text = doc.text + " خاتمة"
    assert take_index_forms(get_analyzer(), doc)[1] == get_analyzer().index_forms(doc.text)
    plain = seed()  # analysed in this process: nothing carried
    assert take_index_forms(get_analyzer(), plain)[1] == get_analyzer().index_forms(plain.text)
