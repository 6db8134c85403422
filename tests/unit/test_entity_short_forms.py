"""Issue 13, item 3: short forms the NER missed join their organisation where the article or
the knowledge table vouches for it; a بن chain tells two people with one given name apart.

The Arabic sentences are shortened from SaudiNewsNet 2015 articles (CC BY-NC-SA 4.0; the
copyright stays with each newspaper): alyaum.com/article/4082707 (مصرف الراجحي),
aleqt.com/2015/07/23/article_975465.html (ساما), al-madina.com/node/623839 (نادي الهلال).
"""
from __future__ import annotations

import pytest

from rasid.entities.linking import link_mentions
from rasid.entities.lookup import find_entities
from rasid.entities.names import compare_names
from rasid.entities.resolver import EntityResolver

from test_entities import make_doc


def _clusters(doc) -> dict[str, list[str]]:
    return {c.canonical: c.names for c in link_mentions(doc)}


def test_a_bank_named_in_full_then_by_its_short_form_is_one_entity():
    doc = make_doc("كان كل من مصرف الراجحي والسعودي الفرنسي الأكثر مساهمة، حيث قلص الراجحي مخصصاته "
                   "بـ 130 مليون ريال.", [("مصرف الراجحي", "ORG")])
    clusters = _clusters(doc)
    assert clusters["مصرف الراجحي"] == ["مصرف الراجحي", "الراجحي"]
    short = next(s for s in doc.layers["entities"] if doc.text[s.start:s.end] == "الراجحي")
    assert doc.text[short.start - 4:short.end] == "قلص الراجحي"  # offsets into the text


def test_a_club_the_ner_missed_is_found_by_its_head_and_its_bare_name_joins_it():
    doc = make_doc("يصل الأمير نواف بن سعد رئيس نادي الهلال مساء اليوم إلى لندن لمتابعة تحضيرات "
                   "الفريق، بعد أن فاز الهلال على العين الإماراتي.",
                   [("نواف بن سعد", "PER"), ("لندن", "LOC")])
    clusters = _clusters(doc)
    assert clusters["نادي الهلال"] == ["نادي الهلال", "الهلال"]


def test_a_short_form_used_as_an_adjective_or_inside_a_longer_name_is_left_alone():
    doc = make_doc("قدم البنك الدولي قرضا، ورحب المجتمع الدولي بذلك. وأعلن نادي الهلال أن "
                   "الهلال الأحمر السعودي أسعف المصابين.",
                   [("البنك الدولي", "ORG")])
    clusters = _clusters(doc)
    assert clusters["البنك الدولي"] == ["البنك الدولي"]  # المجتمع الدولي: an adjective
    assert clusters["نادي الهلال"] == ["نادي الهلال"]  # الهلال الأحمر: another name


def test_an_acronym_and_its_organisation_from_the_knowledge_table_when_the_ner_tagged_neither():
    doc = make_doc('ووفقا لبيانات هيئة السوق المالية ومؤسسة النقد العربي السعودي "ساما"، ظلت معظم '
                   "الشركات أقل اعتمادا على الاقتراض.", [("هيئة السوق المالية", "ORG")])
    clusters = _clusters(doc)
    assert clusters["مؤسسة النقد العربي السعودي"] == ["مؤسسة النقد العربي السعودي", "ساما"]
    span = next(s for s in doc.layers["entities"] if doc.text[s.start:s.end] == "مؤسسة النقد العربي السعودي")
    assert doc.text[span.start - 1] == "و"  # the clitic stays outside the span


def test_table_forms_that_are_common_words_are_not_searched_for():
    doc = make_doc("وزاد حماس اللعب بعد فتح باب التسجيل، وقال طالبان في الجامعة إن القاعدة واضحة.",
                   [])
    link_mentions(doc)
    assert doc.layers.get("entities", []) == []


def test_the_archive_keeps_the_short_form_so_a_lookup_by_it_finds_the_organisation():
    resolver = EntityResolver()
    first = make_doc("أعلن مصرف الراجحي نتائجه، وقلص الراجحي مخصصاته.", [("مصرف الراجحي", "ORG")],
                     published="2015-08-10")
    resolver.resolve(first)
    found = find_entities(resolver.index, "الراجحي")
    assert [r.canonical for r in found] == ["مصرف الراجحي"]


@pytest.mark.parametrize("a, b", [
    ("عبدالله بن عبدالعزيز", "عبدالله بن خالد بن عبدالعزيز"),  # a grandson
    ("عبدالله بن مساعد بن عبدالعزيز", "عبدالله بن خالد بن عبدالعزيز"),
    ("محمد بن سلمان", "محمد بن نايف بن عبدالعزيز"),
    ("محمد عبد العزيز", "محمد بن سلمان بن عبدالعزيز"),
    ("عبدالله بن عبدالعزيز", "عبدالله بن عبدالعزيز الربيعة"),  # a family name is not left out
])
def test_another_father_in_a_bin_chain_is_another_person(a, b):
    assert compare_names(a, b, "PER").relation == "different"
    assert compare_names(b, a, "PER").relation == "different"


@pytest.mark.parametrize("a, b", [
    ("محمد بن سلمان", "محمد بن سلمان بن عبدالعزيز"),
    ("محمد بن نايف", "محمد بن نايف بن عبدالعزيز آل سعود"),
    ("سلمان بن عبد العزيز", "سلمان بن عبدالعزيز آل سعود"),
    ("خالد الفيصل", "خالد بن فيصل"),
    ("عادل الجبير", "عادل بن أحمد الجبير"),
])
def test_a_shorter_bin_chain_is_the_same_person(a, b):
    assert compare_names(a, b, "PER").relation == "same"


def test_an_ner_span_without_its_head_takes_it_and_the_bare_name_joins():
    text = "وافقت إدارة نادي النصر على انتقال اللاعب خالد الزيلعي، وفاز النصر وديا."
    first = text.index("النصر")
    second = text.index("النصر", first + 1)
    doc = make_doc(text, [("النصر", "ORG"), ("النصر", "ORG"), ("خالد الزيلعي", "PER")])
    assert [s.start for s in doc.layers["entities"] if s.label == "ORG"] == [first, second]
    clusters = _clusters(doc)
    assert clusters["نادي النصر"] == ["نادي النصر", "النصر"]


def test_a_lookup_by_a_shorter_bin_chain_finds_the_person_and_not_his_cousin():
    resolver = EntityResolver()
    resolver.resolve(make_doc(
        "حضر متعب بن عبدالله بن عبدالعزيز وزير الحرس الوطني، وعبدالله بن خالد بن عبدالعزيز.",
        [("متعب بن عبدالله بن عبدالعزيز", "PER"), ("عبدالله بن خالد بن عبدالعزيز", "PER")],
        published="2015-08-01"))
    for name in ("متعب بن عبدالله", "الأمير متعب بن عبدالله"):
        assert [r.canonical for r in find_entities(resolver.index, name)] == ["متعب بن عبدالله بن عبدالعزيز"]
    assert find_entities(resolver.index, "عبدالله بن عبدالعزيز") == []


def test_factored_table_pattern_matches_as_the_plain_alternation_on_sample_articles():
    """`compile_forms` puts the table's forms under their first two characters; on real
    articles it finds what the plain alternation (longest form first) found."""
    import json
    import re
    from importlib import resources

    from rasid.entities.short_forms import _body, _table_forms, compile_forms, fold_text
    from rasid.entities.aliases import load_alias_table

    pattern = _table_forms()[0]
    forms = [f for e in load_alias_table()[1] if e.type == "ORG" for f in e.forms
             if f and not f.isascii()]
    assert "ت(?:ن(?:ظيم" in pattern.pattern
    plain = re.compile(r"(?<![\w\-])(?:[وفب](?=ال)|و)?(%s)(?![\w\-])"
                       % "|".join(_body(f) for f in sorted(forms, key=len, reverse=True)))
    factored = compile_forms(forms)
    lines = resources.files("rasid.sample").joinpath("saudinewsnet-200.jsonl").read_text("utf-8").splitlines()
    texts = [fold_text(json.loads(line)["content"]) for line in lines]
    got = [[m.span(1) for m in factored.finditer(t)] for t in texts]
    assert got == [[m.span(1) for m in plain.finditer(t)] for t in texts]
    assert sum(map(len, got)) > 100


def test_factoring_leaves_a_level_whose_alternatives_do_not_all_begin_with_one_letter():
    from rasid.entities.short_forms import factor_alternatives

    assert factor_alternatives(["الهلال", "الاهلي", "ساما"]) == "ا(?:ل(?:هلال|اهلي))|ساما"
    # عبد ?الله: the optional space may match nothing, so that level is not factored
    assert factor_alternatives(["عبد ?الله", "عبدالرحمن"], depth=4) == "ع(?:ب(?:د(?: ?الله|الرحمن)))"
    assert factor_alternatives(["ا ?ب", "اب"]) == "ا(?: ?ب|ب)"
    assert factor_alternatives([r"ب\s+ج", "بج"]) == r"ب(?:\s+ج|ج)"
