"""Safe query parsing: user text never reaches FTS5 syntax unescaped."""
from __future__ import annotations

import random
import sqlite3

import pytest

from rasid.search.plan import build_plan
from rasid.search.query import (MAX_QUERY_CHARS, QueryError, convert_date_bound, parse_query,
                                split_query, unquote_phrases)
from rasid.store.sqlite_search import compile_match


def to_fts(text: str, msm: int | None = None) -> str:
    return compile_match(build_plan(parse_query(text), msm=msm))

HOSTILE = ['"', '""', '"""', "NEAR(", "NEAR(a b)", "*", "**", "OR OR", "AND", "NOT", "-", "--",
           "- -", "(", ")", "()", "{", "}:", "title_stem:", "body_exact : x", "^", "a*", "'",
           "\\", ";DROP TABLE articles;--", "\x00", "\u200f", "ـــ", "َُِ", "\ud800", "🙂",
           "الرئيس OR", '"الرئيس', 'الرئيس"', '-"', '-"الرئيس"', "NEAR(الرئيس هجوم, 5)",
           "", "   ", "\n\t", "x" * 10_000, "هجوم " * 2000]


@pytest.fixture(scope="module")
def fts() -> sqlite3.Connection:
    """A tiny FTS5 table with the store's columns, to run every generated MATCH string."""
    con = sqlite3.connect(":memory:")
    con.execute("CREATE VIRTUAL TABLE f USING fts5(title_stem, title_exact, body_stem, body_exact, "
                "tokenize='unicode61 remove_diacritics 0')")
    con.execute("INSERT INTO f VALUES ('هجوم', 'هجوم', 'رءيس near or', 'رءيس near or')")
    return con


def test_split_words_phrases_and_exclusions():
    assert split_query('هجوم "مجلس الأمن" -إيران +باريس') == [
        ("هجوم", False, ""), ("مجلس الأمن", True, ""), ("إيران", False, "-"), ("باريس", False, "+")]
    assert split_query('-"a b" c-d') == [("a b", True, "-"), ("c-d", False, "")]
    assert split_query('"unclosed phrase') == [("unclosed phrase", True, "")]


def test_match_string_quotes_every_term():
    parsed = parse_query('الهجوم "مجلس الأمن" -النووي')
    match = to_fts('الهجوم "مجلس الأمن" -النووي')
    assert match.count('"') % 2 == 0
    assert "NOT" in match and "AND" not in match  # الهجوم only ranks: not in the MATCH
    assert "NOT" in to_fts('"مجلس الأمن" +الهجوم -النووي') and "AND" in to_fts('"مجلس الأمن" +الهجوم')
    assert [c.phrase for c in parsed.clauses] == [False, True, False]
    assert [c.negated for c in parsed.clauses] == [False, False, True]


def test_guillemets_are_punctuation_not_phrases():
    """«» (and typographic “”) mark names and quotations in news text: ordinary words."""
    for text in ("مجلس الأمن يصادق على «الاتفاق النووي»", "مجلس الأمن يصادق على “الاتفاق النووي”"):
        parsed = parse_query(text)
        assert not any(c.phrase or c.required for c in parsed.clauses)
        plain = parse_query("مجلس الأمن يصادق على الاتفاق النووي")
        assert [t.exact for c in parsed.clauses for t in c.terms] == [
            t.exact for c in plain.clauses for t in c.terms]
        assert len(parsed.clauses) == 5  # على dropped


def test_unquoted_phrases_become_ordinary_words():
    parsed = parse_query('طواف لـ " الوطن " : الأسد نقل "الحوثيين إلى طهران" -"مجلس الأمن" +"بدون تأشيرات"')
    assert [(c.text.strip(), c.phrase, c.required) for c in parsed.clauses if c.required] == [
        ("الوطن", False, True), ("الحوثيين إلى طهران", True, True), ("بدون تأشيرات", True, True)]
    loose = unquote_phrases(parsed)
    # quoted words and phrases: ordinary optional words, the function word إلى dropped;
    # +"phrase" gives required words; an excluded phrase stays a phrase
    assert [c.text.strip() for c in loose.optional] == ["طواف", "لـ", "الوطن", "الأسد", "نقل", "الحوثيين",
                                                "طهران"]
    assert [c.text for c in loose.required] == ["بدون", "تأشيرات"]
    assert [(c.text, c.phrase) for c in loose.negative] == [("مجلس الأمن", True)]
    assert unquote_phrases(parse_query('الرئيس +إيران -"مجلس الأمن"')) is None  # nothing quoted


def test_a_question_also_drops_glue_and_template_words():
    def words(text):
        return [c.text.rstrip("؟") for c in parse_query(text).clauses]

    assert words("- في أي عام ولد جمال خاشقجي؟") == ["ولد", "جمال", "خاشقجي"]
    assert words("كم عدد سكان مصر") == ["سكان", "مصر"]  # an interrogative first: a question
    assert words("ما اسم عاصمة اليابان قبل طوكيو؟") == ["عاصمة", "اليابان", "طوكيو"]
    # a template word after a content word stays; a headline keeps its glue words
    assert words("من هو الأمين العام؟") == ["الأمين", "العام"]
    assert words("الأمين العام للأمم المتحدة") == ["الأمين", "العام", "للأمم", "المتحدة"]
    assert words("بعد الهجوم على باريس") == ["بعد", "الهجوم", "باريس"]
    assert words('متى "قبل الهجوم"؟') == ["قبل الهجوم"]  # quoted words stay as written


def test_operators_are_plain_words():
    parsed = parse_query("NEAR( OR OR")
    assert [t.exact for c in parsed.clauses for t in c.terms] == ["near", "or", "or"]
    assert " OR " in to_fts("NEAR( OR OR", msm=1)  # only our own operators


@pytest.mark.parametrize("text", ["", "   ", '"', "* ( ) :", "-هجوم", "x" * (MAX_QUERY_CHARS + 1)])
def test_unusable_queries_raise_query_error(text):
    with pytest.raises(QueryError) as err:
        parse_query(text)
    assert str(err.value)  # a message for the user


def test_non_text_query():
    with pytest.raises(QueryError):
        parse_query(None)  # type: ignore[arg-type]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_queries_never_crash(fts, text):
    try:
        match = to_fts(text)
    except QueryError:
        return
    fts.execute("SELECT rowid FROM f WHERE f MATCH ?", (match,)).fetchall()


def test_random_garbage_fuzz(fts):
    rng = random.Random(20151113)
    alphabet = list('"*()-:^{}+.,;\'\\ \t\nORANDNEAR') + list("هجومالرئيسإأآةىؤئ") + \
        ["\u064e", "\u0651", "\u0640", "\u200f", "\x00", "\ud83d", "🙂", "١", "٣"]
    for _ in range(500):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        try:
            match = to_fts(text, rng.choice([None, 1, 2]))
        except QueryError:
            continue
        fts.execute("SELECT rowid, bm25(f, 3, 1.5, 1, 0.5) FROM f WHERE f MATCH ?", (match,)).fetchall()


def test_date_bounds():
    assert convert_date_bound("2015-07-21") == "2015-07-21"
    assert convert_date_bound("2015-07-21", upper=True) == "2015-07-22"
    assert convert_date_bound("2015-12", upper=True) == "2016-01"
    assert convert_date_bound("2015", upper=True) == "2016"
    assert convert_date_bound(None) is None
    with pytest.raises(QueryError):
        convert_date_bound("yesterday")
