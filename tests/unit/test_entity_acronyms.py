"""Issue 13, item 3: acronyms and short forms written in parentheses or quotes link to the
organisation's full name, in the article and across the archive."""
from __future__ import annotations

from rasid.entities.linking import link_mentions
from rasid.entities.lookup import find_entities
from rasid.entities.resolver import EntityResolver

from test_entities import make_doc


def test_parenthesised_and_quoted_short_forms_join_their_organisation():
    doc = make_doc("أعلنت المؤسسة العامة للتدريب التقني (التدريب التقني) أن منظمة الدول المصدرة للنفط "
                   "«أوبك» ستجتمع، وقالت هيئة الهلال الأحمر السعودي \"الهلال الأحمر\" إن فرقها في فيينا.",
                   [("المؤسسة العامة للتدريب التقني", "ORG"), ("منظمة الدول المصدرة للنفط", "ORG"),
                    ("هيئة الهلال الأحمر السعودي", "ORG"), ("فيينا", "LOC")])
    clusters = {c.canonical: c for c in link_mentions(doc)}
    assert clusters["المؤسسة العامة للتدريب التقني"].names == ["المؤسسة العامة للتدريب التقني", "التدريب التقني"]
    assert clusters["هيئة الهلال الأحمر السعودي"].names == ["هيئة الهلال الأحمر السعودي", "الهلال الأحمر"]
    assert clusters["منظمة الدول المصدرة للنفط"].names == ["منظمة الدول المصدرة للنفط", "أوبك"]
    short = [s for s in doc.layers["entities"] if doc.text[s.start:s.end] == "التدريب التقني"]
    assert short and short[0].attrs["link"] == "parenthesis"  # added: the NER had not tagged it
    assert short[0].attrs["canonical"] == "المؤسسة العامة للتدريب التقني"


def test_a_dateline_byline_after_a_place_is_not_an_acronym():
    doc = make_doc("الرياض (واس) - أعلنت وزارة الداخلية القبض على مطلوب.",
                   [("الرياض", "LOC"), ("واس", "ORG"), ("وزارة الداخلية", "ORG")])
    clusters = {c.canonical: c.names for c in link_mentions(doc)}
    assert clusters["الرياض"] == ["الرياض"] and clusters["وكالة الأنباء السعودية"] == ["واس"]


def test_words_in_parentheses_after_an_organisation_that_are_a_place_or_a_date_stay_apart():
    doc = make_doc("وقالت وزارة الخارجية (الرياض) إن الاجتماع عقد، وذكرت وزارة الصحة (2015) أرقاما.",
                   [("وزارة الخارجية", "ORG"), ("الرياض", "LOC"), ("وزارة الصحة", "ORG")])
    clusters = {c.canonical: c.names for c in link_mentions(doc)}
    assert clusters["وزارة الخارجية"] == ["وزارة الخارجية"]
    assert clusters["وزارة الصحة"] == ["وزارة الصحة"]


def test_the_archive_learns_the_pair_and_a_later_short_form_finds_the_organisation():
    resolver = EntityResolver()
    first = make_doc("أعلنت المؤسسة العامة للتدريب التقني (التدريب التقني) فتح باب القبول.",
                     [("المؤسسة العامة للتدريب التقني", "ORG")], published="2015-07-21")
    later = make_doc("وقال متحدث باسم التدريب التقني إن القبول مستمر.", [("التدريب التقني", "ORG")],
                     published="2015-08-02")
    (agency,) = [u.record for u in resolver.resolve(first)]
    (again,) = [u.record for u in resolver.resolve(later)]
    assert again.id == agency.id and agency.canonical == "المؤسسة العامة للتدريب التقني"
    assert [r.canonical for r in find_entities(resolver.index, "التدريب التقني")] == \
        ["المؤسسة العامة للتدريب التقني"]
