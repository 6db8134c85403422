"""The search analyzer: one term per word, offsets into the original text, Arabic matching."""
from __future__ import annotations

import pytest

from rasid.arabic.normalize import normalize_key
from rasid.search.analyzer import Analyzer, KeyCounts, get_analyzer, strip_bare_proclitic

TEXT = ('تحدث الرئيس الفرنسي، فرانسوا هولاند، عن شن "حرب لا رحمة فيها" على المسؤولين '
        'عن الأحداث الأخيرة في باريس يوم 13 نوفمبر/تشرين الثاني 2015.')


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    return get_analyzer()


def forms(analyzer: Analyzer, word: str) -> tuple[str, str]:
    (term,) = analyzer.analyze(word)
    return term.exact, term.stem


def test_offsets_point_into_the_original_text(analyzer):
    terms = analyzer.analyze(TEXT)
    words = [m for m in TEXT.replace("،", " ").replace('"', " ").replace("/", " ").replace(".", " ").split()]
    assert [TEXT[t.start:t.end] for t in terms] == words
    assert all(t.exact and t.stem for t in terms)


def test_vowelled_text_keeps_original_offsets(analyzer):
    text = "قالَ الرَّئِيسُ إنَّ الهُجُومَ"
    terms = analyzer.analyze(text)
    assert [text[t.start:t.end] for t in terms] == ["قالَ", "الرَّئِيسُ", "إنَّ", "الهُجُومَ"]
    assert [t.exact for t in terms] == [t.exact for t in analyzer.analyze("قال الرئيس إن الهجوم")]


@pytest.mark.parametrize("variant", ["الهجوم", "وهجوم", "والهجوم", "بالهجوم", "هُجُوم", "الهُجُوم"])
def test_clitic_and_vowelled_forms_of_hujum_match(analyzer, variant):
    exact, stem = forms(analyzer, "هجوم")
    v_exact, v_stem = forms(analyzer, variant)
    assert v_stem == stem or v_exact == exact


@pytest.mark.parametrize("variant", ["الرئيس", "للرئيس", "والرئيس", "الرَّئِيسُ", "رئيس"])
def test_forms_of_rais_match(analyzer, variant):
    exact, stem = forms(analyzer, "رئيس")
    v_exact, v_stem = forms(analyzer, variant)
    assert v_stem == stem or v_exact == exact


@pytest.mark.parametrize("a,b", [("إردوغان", "اردوغان"), ("أميركا", "اميركا"),
                                  ("آخر", "اخر"), ("مستشفى", "مستشفي"), ("مدرسة", "مدرسه")])
def test_letter_variants_fold(analyzer, a, b):
    assert forms(analyzer, a) == forms(analyzer, b)


def test_names_keep_an_exact_unstemmed_form(analyzer):
    exact, stem = forms(analyzer, "فرانسوا")
    assert exact == "فرانسوا"  # Snowball alone would give رانس
    assert forms(analyzer, "هولاند")[0] == "هولاند"


def test_numbers_and_latin_are_terms(analyzer):
    terms = analyzer.analyze("قتل 13 شخصا في Paris و١٤ آخرون")
    assert "13" in [t.exact for t in terms]
    assert "paris" in [t.exact for t in terms]
    assert "14" in [t.exact for t in terms]


def test_index_forms_keep_positions(analyzer):
    stems, exacts = analyzer.index_forms(TEXT)
    assert len(stems.split()) == len(exacts.split()) == len(analyzer.analyze(TEXT))
    # every term is a single unicode61 token: letters and digits only
    assert all(w.isalnum() for w in (stems + " " + exacts).split())


def test_punctuation_and_symbols_give_no_terms(analyzer):
    assert analyzer.analyze('" * ( ) NEAR( : ^ - ، ؟ …') == [
        t for t in analyzer.analyze('" * ( ) NEAR( : ^ - ، ؟ …') if t.exact == "near"]


@pytest.mark.parametrize("name", ["none", "light10", "snowball", "snowball(base)", "default"])
def test_named_analyzers(name):
    a = get_analyzer(name)
    assert a.analyze("الرئيس")[0].exact == "رءيس"
    assert a.signature


def test_unknown_stemmer_is_refused():
    with pytest.raises(ValueError):
        Analyzer("porter")


@pytest.mark.parametrize("word,with_proclitic", [
    ("كرة", "لكرة"), ("حماية", "لحماية"), ("نسبة", "بنسبة"), ("قيمة", "بقيمة"),
    ("لجنة", "للجنة"), ("لاعب", "للاعب"), ("رئيس", "للرئيس"), ("قاهرة", "وبالقاهرة"),
])
def test_a_word_and_the_word_after_a_proclitic_share_a_stem(analyzer, word, with_proclitic):
    """ل، ب، و are part of the written word, not another word: لكرة القدم is كرة القدم."""
    assert forms(analyzer, with_proclitic)[1] == forms(analyzer, word)[1]


@pytest.mark.parametrize("word,not_a_proclitic", [
    ("كتاب", "تاب"), ("وزير", "زير"), ("بلدية", "لدية"), ("ولاية", "لاية"), ("كانت", "انت"),
    ("كيري", "يري"),
])
def test_a_first_letter_that_belongs_to_the_word_stays(analyzer, word, not_a_proclitic):
    """Nouns whose first letter is a root letter take the article (الكتاب، الوزير); verbs
    and names are left as the tokenizer splits them (Snowball may still shorten the stem:
    وزير -> زير is its own rule)."""
    key = normalize_key(word)
    assert forms(analyzer, word)[0] == key
    assert strip_bare_proclitic(key, KeyCounts()) == key


@pytest.mark.parametrize("a,b", [("بلدية", "بلديه"), ("كدمة", "كدمه"), ("للجنة", "للجنه")])
def test_taa_marbuta_and_ha_split_alike(analyzer, a, b):
    """The lexicon keeps ة; the analyzer reads it in key form (ة = ه), so a word splits the
    same way in either spelling (بلدية was ب + لديه when its ة form was not looked up)."""
    assert forms(analyzer, a) == forms(analyzer, b)
    assert forms(analyzer, "بلدية")[0] == "بلديه"
