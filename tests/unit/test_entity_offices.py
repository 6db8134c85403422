"""Titles and offices (issue 13 item 2): roles kept on the mention and out of the canonical
name; nameless office mentions resolved to the holder on the article's day, from the
shipped office table or from what the archive itself said; every link says why."""
from __future__ import annotations

import pytest

from rasid.doc import Document
from rasid.entities.offices import (find_office_holder, is_learnable_office, load_offices,
                                    office_key)
from rasid.entities.names import normalize_entity_name
from rasid.entities.reasons import describe_reason
from rasid.entities.resolver import EntityResolver, MemoryEntityIndex, choose_role_holder
from rasid.stages.resolve import ResolveStage

from test_entities import make_doc


def resolved(text: str, entities: list[tuple[str, str]], published: str) -> Document:
    doc = make_doc(text, entities, published=published)
    ResolveStage()(doc)
    return doc


def spans_of(doc: Document) -> dict[str, dict]:
    return {doc.text[s.start:s.end]: s.attrs for s in doc.layers.get("entities", [])}


def test_office_key_drops_articles_and_clitics():
    assert office_key("وزير الخارجية السعودي") == office_key("ووزير خارجية السعودي") == "وزير خارجيه سعودي"
    assert office_key("الأمين العام للأمم المتحدة") == "امين عام امم متحده"
    assert office_key("أمير منطقة الرياض") == "امير منطقه رياض"


@pytest.mark.parametrize("office, day, holder", [
    ("ولي العهد", "2015-07-30", "محمد بن نايف"),
    ("ولي العهد", "2015-03-01", "مقرن بن عبدالعزيز"),
    ("ولي ولي العهد", "2015-08-10", "محمد بن سلمان"),
    ("وزير الخارجية السعودي", "2015-07-30", "عادل الجبير"),
    ("وزير الخارجية السعودي", "2015-01-10", "سعود الفيصل"),
    ("أمير منطقة الرياض", "2015-07-30", "فيصل بن بندر"),
    ("الرئيس الفلسطيني", "2015-07-30", "محمود عباس"),  # from the UniversalPetrarch dictionary
])
def test_office_holder_depends_on_the_date(office, day, holder):
    found = find_office_holder(office_key(office), day)
    assert found is not None and found.holder == holder and found.source


def test_office_table_unknown_day_or_office_answers_nothing():
    assert find_office_holder(office_key("ولي العهد"), None) is None
    assert find_office_holder(office_key("ولي العهد"), "1990-01-01") is None
    assert find_office_holder(office_key("وزير الزراعة الموريتاني"), "2015-07-30") is None
    # every shipped row is well formed: a key that is the office's own key, ordered days
    for key, offices in load_offices().items():
        for o in offices:
            assert o.key == office_key(o.text) and o.holder.strip()
            assert not o.end or o.start < o.end


def test_learnable_offices_are_offices_not_titles_or_former_ones():
    assert is_learnable_office(office_key("وزير الخارجية البحريني"))
    assert is_learnable_office(office_key("نائب رئيس الوزراء"))
    assert not is_learnable_office(office_key("الرئيس"))  # a bare title
    assert not is_learnable_office(office_key("الرئيس المخلوع"))
    assert not is_learnable_office(office_key("الانتحاري الثاني"))
    assert not is_learnable_office(office_key("ولي العهد السفير الأمريكي"))  # two roles


@pytest.mark.parametrize("text, name, role", [
    ("وقال الرئيس المخلوع حسني مبارك إن", "حسني مبارك", "الرئيس المخلوع"),
    ("واستقبل الملك سلمان بن عبدالعزيز الوفد", "سلمان بن عبدالعزيز", "الملك"),
    ("وصرح اللواء منصور التركي بأن", "منصور التركي", "اللواء"),
    ("وقال الدكتور عبدالله الربيعة إن", "عبدالله الربيعة", "الدكتور"),
    ("وأكد الشيخ عبدالعزيز آل الشيخ أن", "عبدالعزيز آل الشيخ", "الشيخ"),
])
def test_titles_are_roles_never_part_of_the_canonical_name(text, name, role):
    with_title = role + " " + name
    doc = resolved(text, [(with_title, "PER")], "2015-07-30")
    (attrs,) = [a for t, a in spans_of(doc).items() if t == name]
    assert attrs["role"] == role
    assert normalize_entity_name(attrs["canonical"]) == normalize_entity_name(name)


def test_nameless_office_mention_resolves_to_the_holder_that_day():
    text = ("واستقبل ولي العهد في جدة أمس وزير الخارجية السعودي، وبحث معه الأمير محمد بن نايف "
            "الأوضاع في اليمن.")
    doc = resolved(text, [("محمد بن نايف", "PER")], "2015-07-30")
    spans = spans_of(doc)
    crown = spans["ولي العهد"]
    assert crown["holder"] == "محمد بن نايف" and crown["link"] == "office"
    assert crown["cluster"] == spans["محمد بن نايف"]["cluster"]  # one person in the article
    assert "2015-04-29" in crown["office_source"]
    fm = spans["وزير الخارجية السعودي"]
    assert fm["canonical"] == "عادل الجبير" and fm["cluster"] != crown["cluster"]
    # the same words a year later name nobody the table knows: no entity is invented
    older = resolved("وقال ولي العهد إن المملكة ماضية", [], "1999-05-01")
    assert "entities" not in older.layers or not older.layers["entities"]
    assert [older.text[s.start:s.end] for s in older.layers["offices"]] == ["ولي العهد"]


def test_office_followed_by_its_holder_is_a_role_not_another_mention():
    doc = resolved("وقال وزير الخارجية عادل الجبير إن", [("عادل الجبير", "PER")], "2015-07-30")
    assert list(spans_of(doc)) == ["عادل الجبير"]
    assert spans_of(doc)["عادل الجبير"]["role"] == "وزير الخارجية"


def test_archive_learns_an_office_from_a_named_mention_and_says_why():
    resolver = EntityResolver(MemoryEntityIndex())
    first = resolved("وقال وزير الخارجية البحريني خالد بن أحمد آل خليفة إن المنامة تدعم التحالف.",
                     [("خالد بن أحمد آل خليفة", "PER")], "2015-07-10")
    (update,) = resolver.resolve(first)
    later = resolved("وأكد وزير الخارجية البحريني أن بلاده تقف مع السعودية.", [], "2015-07-20")
    assert not later.layers.get("entities")  # the shipped table does not know this office
    (office,) = resolver.resolve(later)
    assert office.record.id == update.record.id and office.how == "office"
    (span,) = later.layers["entities"]
    assert span.attrs["entity_id"] == update.record.id and span.attrs["link"] == "office-archive"
    reason = resolver.index.links[update.record.id]["وزير الخارجية البحريني"]
    assert reason.startswith("office-archive:وزير الخارجية البحريني = خالد بن أحمد آل خليفة 2015-07-10")
    assert describe_reason(reason, "ar").startswith("المنصب الذي شغله في تاريخ المقال")
    # five years on, the archive's knowledge of that office does not reach
    stale = resolved("وأكد وزير الخارجية البحريني أن بلاده تقف مع السعودية.", [], "2020-07-20")
    assert resolver.resolve(stale) == []


def test_role_holder_choice_needs_a_clear_winner():
    a = {"entity_id": 1, "text": "", "first_seen": "2015-07-01", "last_seen": "2015-07-20", "mentions": 3}
    b = {"entity_id": 2, "text": "", "first_seen": "2015-07-05", "last_seen": "2015-07-25", "mentions": 2}
    assert choose_role_holder([a, b], "2015-07-10") is None  # both in office that day
    b["mentions"] = 1
    assert choose_role_holder([a, b], "2015-07-10") is a
    assert choose_role_holder([a, b], "2015-07-24")["entity_id"] == 2  # only b seen that late
    assert choose_role_holder([a], "2016-06-01") is None


def _sample_docs(n: int = 60) -> list[Document]:
    import json
    from importlib import resources

    from rasid.stages.tokenize import TokenizeStage

    lines = resources.files("rasid.sample").joinpath("saudinewsnet-200.jsonl").read_text("utf-8").splitlines()
    docs = [Document(text=json.loads(line)["content"]) for line in lines[:n]]
    for doc in docs:
        TokenizeStage()(doc)
    return docs


def test_office_word_keys_match_the_full_normaliser_on_sample_articles():
    """`normalize_office_word`'s letters-only short cut keys every word of real articles as
    `normalize_entity_name` does (ة folded, ال / لل dropped)."""
    from rasid.entities.offices import normalize_office_word

    def full(word: str) -> str:
        w = normalize_entity_name(word).replace(" ", "")
        return w[2:] if (w.startswith("لل") and len(w) > 4) or (w.startswith("ال") and len(w) > 3) else w

    words = {t.base or t.text for doc in _sample_docs() for t in doc.tokens if t.kind == "word"}
    assert len(words) > 3000 and {"وزارة", "الخارجية", "للأمم"} & words
    assert [normalize_office_word(w) for w in sorted(words)] == [full(w) for w in sorted(words)]


def test_office_mentions_read_forward_find_the_longest_phrase_as_every_length_tried():
    """`find_office_mentions` reads a phrase forward (known prefixes, learnable words); on
    real articles it finds what trying every length from six words down found."""
    from rasid.entities.offices import (MAX_OFFICE_WORDS, OFFICE_HEADS, _office_prefixes,
                                        find_office_mentions, normalize_office_word)
    from rasid.doc import Span

    def every_length(doc: Document) -> list[Span]:  # the search before the forward reading
        tokens = doc.tokens
        keys = [normalize_office_word(t.base or t.text) if t.kind == "word" else "" for t in tokens]
        out, after = [], 0
        for i, k in enumerate(keys):
            if i < after or not k or not (k in _office_prefixes() or k in OFFICE_HEADS):
                continue
            best = next((n for n in range(min(MAX_OFFICE_WORDS, len(tokens) - i), 0, -1)
                         if all(keys[i:i + n]) and (" ".join(keys[i:i + n]) in load_offices()
                                                    or is_learnable_office(" ".join(keys[i:i + n])))), 0)
            if best:
                start, end = tokens[i].base_start, tokens[i + best - 1].end
                out.append(Span(start, end, "PER", {"office": " ".join(keys[i:i + best]),
                                                    "role": doc.text[start:end]}))
                after = i + best
        return out

    found = 0
    for doc in _sample_docs():
        got = find_office_mentions(doc, [])
        assert [(s.start, s.end, s.attrs) for s in got] == \
            [(s.start, s.end, s.attrs) for s in every_length(doc)]
        found += len(got)
    assert found > 50
