"""The PostgreSQL tsvector/tsquery literals built from rasid's analysed terms (no server)."""
from __future__ import annotations

from rasid.search.analyzer import get_analyzer
from rasid.search.query import parse_query
from rasid.search.plan import QueryPlan, build_plan
from rasid.store.pg_search import compile_tsquery, convert_tsvector, plan_lexemes, quote_lexeme

AN = get_analyzer()


def parse_vector(literal: str) -> dict[str, list[str]]:
    out = {}
    for part in literal.split(" "):
        lexeme, _, positions = part.rpartition(":")
        out[lexeme.strip("'")] = positions.split(",")
    return out


def test_title_weighted_a_body_after_a_gap_with_exact_forms():
    title = "هجوم على باريس"
    body = "وهجوم الرئيس الفرنسي"
    vec = parse_vector(convert_tsvector(AN.index_forms(title), AN.index_forms(body)))
    t_stems, t_exacts = AN.index_forms(title)
    b_stems, b_exacts = AN.index_forms(body)
    # title term 1 at position 1 with weight A; body term 1 at position 3 + 1 (gap) + 1
    assert "1A" in vec[t_stems.split()[0]]
    assert "1A" in vec["=" + t_exacts.split()[0]]
    assert "5" in vec[b_stems.split()[0]]  # وهجوم -> the same stem as هجوم, body position 5
    assert "=" + b_exacts.split()[1] in vec  # الرئيس -> exact form without the article
    assert vec["=" + b_exacts.split()[1]] == ["6"]


def test_long_articles_clamp_positions():
    body = " ".join(["كلمة"] * 20000)
    vec = parse_vector(convert_tsvector(("", ""), AN.index_forms(body)))
    positions = next(iter(vec.values()))
    assert len(positions) == 256 and len(set(positions)) == 256


def test_query_and_of_clauses_phrase_and_exclusion():
    # the quoted phrase is required; the lone word only ranks (not in the tsquery: the
    # score comes from the postings of every positive clause), as on SQLite
    plan = build_plan(parse_query('"مجلس الأمن" هجوم -إردوغان', AN))
    q = compile_tsquery(plan)
    assert " <-> " in q and " & !(" in q
    assert q.count("'=") == 3  # the phrase's two exact forms, one excluded
    assert "=هجوم" in plan_lexemes(plan)
    # two plain words: both must match (min-should-match 2 of 2), stem or exact form each
    q = compile_tsquery(build_plan(parse_query("هجوم باريس", AN)))
    assert q.count(" & ") == 1 and q.count(" | ") == 2 and "<->" not in q


def test_plan_without_words_has_no_tsquery():  # an entity filter alone
    assert compile_tsquery(QueryPlan(entity_ids=(3,))) is None


def test_quote_lexeme_escapes():
    assert quote_lexeme("a'b\\c") == "'a''b\\\\c'"


def test_postings_weight_title_three_times_and_count_both_forms():
    from rasid.store.pg_search import convert_index_forms

    title, body = "هجوم على باريس", "وهجوم الرئيس الفرنسي على باريس"
    index = convert_index_forms(AN.index_forms(title), AN.index_forms(body))
    stem = AN.index_forms("هجوم")[0]
    assert index.postings[stem] == 3.0 + 1.0  # once in the title (x3), once in the body
    assert index.postings["=" + AN.index_forms("الرئيس")[1]] == 1.0
    assert index.length == 2 * (3 + 5)  # stems and exact forms, title and body
