"""Entity resolution: within-article linking, roles, aliases, archive records, pair gate."""
from __future__ import annotations

from pathlib import Path

import pytest

from rasid.doc import Document, Span
from rasid.entities.aliases import find_alias, read_alias_text, validate_alias_rows
from rasid.entities.linking import is_same_entity
from rasid.entities.names import compare_names, skeleton_key
from rasid.entities.lookup import find_entities
from rasid.entities.resolver import EntityResolver
from rasid.entities.translit import arabic_skeleton, latin_skeleton
from rasid.eval.resolve import evaluate_pairs, read_pairs
from rasid.pipeline import Pipeline, Stage
from rasid.stages.resolve import ResolveStage
from rasid.stages.tokenize import TokenizeStage

RESOURCES = Path(__file__).resolve().parents[1] / "resources"
ALIASES = Path(__file__).resolve().parents[2] / "src" / "rasid" / "entities" / "data" / "aliases.tsv"


def add_entity(doc: Document, surface: str, label: str, occurrence: int = 0) -> Span:
    start = -1
    for _ in range(occurrence + 1):
        start = doc.text.index(surface, start + 1)
    return doc.add_span("entities", Span(start, start + len(surface), label, {"confidence": 1.0}))


def make_doc(text: str, entities: list[tuple[str, str]], published: str | None = None) -> Document:
    doc = Document(text=text, published=published)
    TokenizeStage()(doc)
    counts: dict[str, int] = {}
    for surface, label in entities:
        add_entity(doc, surface, label, counts.get(surface, 0))
        counts[surface] = counts.get(surface, 0) + 1
    return doc


@pytest.fixture()
def seed_doc(seed_text: str) -> Document:
    ents = [("تنظيم الدولة", "ORG"), ("فرانسوا هولاند", "PER"), ("الدولة الإسلامية", "ORG"),
            ("إسماعيل عمر مصطفاى", "PER"), ("مصطفاي", "PER"), ("مصطفاي", "PER")]
    doc = make_doc(seed_text, ents, published="2015-11-16")
    # the seed writes بتنظيم "الدولة الإسلامية": the NER span excludes the clitic and quotes
    return doc


@pytest.mark.parametrize("a,b", [("هولاند", "أولاند"), ("مصطفاى", "مصطفاي"), ("كاميرون", "كامرون"),
                                 ("بوتين", "بوتن"), ("نتنياهو", "نتانياهو")])
def test_skeleton_merges_variants(a, b):
    assert skeleton_key(a) == skeleton_key(b)
    assert compare_names(a, b).relation == "same"


@pytest.mark.parametrize("a,b", [("بشار الأسد", "حافظ الأسد"), ("محمد بن سلمان", "محمد بن نايف"),
                                 ("عبدالله بن عبدالعزيز", "سلمان بن عبدالعزيز"), ("محمد مرسي", "محمود مرسي")])
def test_same_surname_different_person(a, b):
    assert not is_same_entity(a, b, "PER")


def test_org_sharing_words_stay_apart():
    assert not is_same_entity("حزب الله", "حزب الدعوة", "ORG")
    assert is_same_entity("تنظيم الدولة", "داعش", "ORG")


def test_seed_short_mention_links_to_full_name(seed_doc):
    Pipeline([TokenizeStage(), _Given(), ResolveStage()])  # order check
    ResolveStage()(seed_doc)
    spans = {seed_doc.text[s.start:s.end]: s for s in seed_doc.layers["entities"]}
    full, short = spans["إسماعيل عمر مصطفاى"], spans["مصطفاي"]
    assert short.attrs["cluster"] == full.attrs["cluster"]
    assert short.attrs["canonical"] == "إسماعيل عمر مصطفاى"
    assert short.attrs["alias_of"] == "إسماعيل عمر مصطفاى"


def test_seed_role_split(seed_doc):
    ResolveStage()(seed_doc)
    per = next(s for s in seed_doc.layers["entities"] if seed_doc.text[s.start:s.end] == "فرانسوا هولاند")
    assert per.attrs["role"] == "الرئيس الفرنسي"
    assert seed_doc.text[per.attrs["role_start"]:per.attrs["role_end"]] == "الرئيس الفرنسي"


def test_role_inside_span_is_trimmed():
    doc = make_doc("وقال الرئيس فرانسوا هولاند إن", [("الرئيس فرانسوا هولاند", "PER")])
    ResolveStage()(doc)
    span = doc.layers["entities"][0]
    assert doc.text[span.start:span.end] == "فرانسوا هولاند"
    assert span.attrs["role"] == "الرئيس"


def test_seed_islamic_state_names_one_entity(seed_doc):
    text = seed_doc.text + "\nوأعلن تنظيم الدولة الإسلامية مسؤوليته، وقال خبراء إن داعش خطط للهجمات."
    doc = make_doc(text, [("تنظيم الدولة", "ORG"), ("الدولة الإسلامية", "ORG"),
                          ("تنظيم الدولة الإسلامية", "ORG"), ("داعش", "ORG")])
    ResolveStage()(doc)
    names = {"تنظيم الدولة", "الدولة الإسلامية", "تنظيم الدولة الإسلامية", "داعش"}
    spans = [s for s in doc.layers["entities"] if doc.text[s.start:s.end] in names]
    assert len({s.attrs["cluster"] for s in spans}) == 1
    assert {s.attrs["canonical"] for s in spans} == {"تنظيم الدولة الإسلامية"}
    # the alias table's organisations the NER was not given are found in the text too
    others = {doc.text[s.start:s.end] for s in doc.layers["entities"]} - names
    assert others == {"حزب الله", "تنظيم القاعدة"}


def test_archive_hollande_variants_and_latin_lookup():
    resolver = EntityResolver()
    d1 = make_doc("قال الرئيس الفرنسي فرانسوا هولاند إن فرنسا في حرب.", [("فرانسوا هولاند", "PER")],
                  published="2015-11-14")
    d2 = make_doc("وأكد أولاند أن الرد سيكون قاسيا.", [("أولاند", "PER")], published="2015-11-16")
    u1, u2 = resolver.resolve(d1), resolver.resolve(d2)
    assert u1[0].record.id == u2[0].record.id
    rec = u2[0].record
    assert rec.mention_count == 2
    assert (rec.first_seen, rec.last_seen) == ("2015-11-14", "2015-11-16")
    assert {"فرانسوا هولاند", "أولاند"} <= rec.aliases
    assert find_entities(resolver.index, "Hollande")[0].id == rec.id
    assert find_entities(resolver.index, "هولاند")[0].id == rec.id


def test_archive_unlisted_variants_merge_without_alias_table():
    resolver = EntityResolver()
    d1 = make_doc("التقى ماكس فيرستابن بالصحفيين.", [("ماكس فيرستابن", "PER")], published="2015-08-01")
    d2 = make_doc("وقال ماكس فيرستابين إن السباق صعب.", [("ماكس فيرستابين", "PER")], published="2015-08-03")
    assert resolver.resolve(d1)[0].record.id == resolver.resolve(d2)[0].record.id
    assert latin_skeleton("Verstappen") == arabic_skeleton("فيرستابن")
    assert find_entities(resolver.index, "Verstappen")


def test_archive_assad_family_stays_apart():
    resolver = EntityResolver()
    d1 = make_doc("قال بشار الأسد إن الحرب مستمرة.", [("بشار الأسد", "PER")], published="2015-08-01")
    d2 = make_doc("حكم حافظ الأسد سوريا ثلاثين عاما.", [("حافظ الأسد", "PER")], published="2015-08-02")
    r1, r2 = resolver.resolve(d1)[0].record, resolver.resolve(d2)[0].record
    assert r1.id != r2.id


def test_alias_file_is_valid():
    meta, rows = read_alias_text(ALIASES.read_text(encoding="utf-8"))
    assert meta.get("version")
    assert validate_alias_rows(meta, rows) == []
    assert len(rows) >= 20
    assert find_alias("ISIL").canonical == find_alias("داعش").canonical


def test_alias_validation_catches_problems():
    meta = {"version": "1", "columns": "canonical\ttype\tlatin\taliases"}
    bad = [["داعش", "ORG", "ISIS", "تنظيم الدولة"], ["تنظيم الدولة", "GROUP", "IS", "x"],
           ["حماس", "ORG", "", "حركة حماس"]]
    problems = validate_alias_rows(meta, bad)
    assert any("also belongs" in p for p in problems)
    assert any("type" in p for p in problems)
    assert any("non-empty" in p for p in problems)


def test_pair_gate_on_test_half():
    rows = read_pairs(RESOURCES / "name-pairs.tsv")
    assert len(rows) >= 300
    assert {r["split"] for r in rows} == {"dev", "test"}
    s = evaluate_pairs(rows, "test")
    assert s.precision >= 0.95 and s.recall >= 0.85  # floors: never lower silently


class _Given(Stage):
    name = "ner"
    requires = ("tokens",)
    provides = ("entities",)

    def __call__(self, doc):
        return doc


def test_name_keys_are_cached_and_cannot_be_changed_by_a_caller():
    """`compute_name_keys` is cached (a record's every name is keyed again on each update):
    what it returns is frozen, so a caller's ``keys |= ...`` cannot change a later answer."""
    from rasid.entities.resolver import compute_name_keys

    keys = compute_name_keys("محمد بن سلمان", "PER")
    assert isinstance(keys, frozenset)
    assert "n:محمد بن سلمان" in keys and any(k.startswith("c:") for k in keys)
    merged = set()
    merged |= keys
    merged.add("n:غيره")
    assert compute_name_keys("محمد بن سلمان", "PER") == keys and "n:غيره" not in keys
    assert compute_name_keys("ولي العهد", "PER") == frozenset({"n:ولي العهد"})  # an office: its name only
    assert compute_name_keys("", "PER") == frozenset()


def test_every_name_of_a_record_is_keyed_once_given():
    """`_commit` gives the index only the keys of a record's forms it has not given before
    (the index keeps the others): after articles naming one person three ways, the index
    holds every key of every form of the record, as keying all of them each time would."""
    from rasid.entities.resolver import compute_name_keys

    class CountingIndex(type(EntityResolver().index)):
        def __init__(self):
            super().__init__()
            self.given: list[set[str]] = []

        def update(self, record, keys):
            self.given.append(set(keys))
            super().update(record, keys)

    index = CountingIndex()
    resolver = EntityResolver(index)
    texts = [("قال الرئيس الفرنسي فرانسوا هولاند إن فرنسا في حرب.", "فرانسوا هولاند"),
             ("وأكد أولاند أن الرد سيكون قاسيا.", "أولاند"),
             ("وقال فرانسوا أولاند إن الرد سيكون قاسيا.", "فرانسوا أولاند"),
             ("وأكد هولاند مجددا أن فرنسا في حرب.", "هولاند")]
    records = [resolver.resolve(make_doc(t, [(name, "PER")], published="2015-11-14"))[0].record for t, name in texts]
    assert len({r.id for r in records}) == 1
    record = records[-1]
    want = set().union(*(compute_name_keys(f, "PER") for f in record.aliases | {record.canonical}))
    assert {k for k, ids in index.keys.items() if record.id in ids} == want
    # the last article's update gave only the keys of its new form (none when it was known)
    assert index.given[-1] <= compute_name_keys("هولاند", "PER") and len(index.given) == 4
