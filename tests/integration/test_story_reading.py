"""Issue 16, item 5: stories that read well, on real SaudiNewsNet articles
(tests/resources/README-stories.md, saudinewsnet-sample.jsonl) through a real Monitor:
stories of two articles or more listed first, one title everywhere, a summary of at most
three sentences with no sentence twice, keyphrases that are whole and do not overlap,
"most mentioned" lists that count articles, no formula, currency or byline at their head."""
from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from rasid.cli.main import main
from rasid.monitor import Monitor
from rasid.stories.queries import is_near_identical, story_title
from rasid.summarise.keyphrases import is_whole_phrase

RESOURCES = Path(__file__).resolve().parents[1] / "resources"
STAGES = ("tokenize", "ner", "resolve", "dates", "places")


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    db = tmp_path_factory.mktemp("story-reading") / "db.sqlite"
    monitor = Monitor(db, stages=STAGES)
    for name in ("saudinewsnet-stories.jsonl", "saudinewsnet-sample.jsonl"):
        summary = monitor.ingest([str(RESOURCES / name)])
        assert summary.stored and not summary.failed
    yield monitor
    monitor.close()


def test_stories_of_several_articles_come_first_on_every_page(archive):
    every = archive.list_stories(limit=100)
    counts = [s["article_count"] for s in every]
    assert counts[0] >= 2 and 1 in counts
    assert counts == sorted(counts, key=lambda n: n < 2)  # all >= 2 before any single one
    multi = [s for s in every if s["article_count"] >= 2]
    assert [s["id"] for s in multi] == [s["id"] for s in archive.list_stories(limit=100, min_articles=2)]
    paged = list(itertools.chain.from_iterable(
        archive.list_stories(limit=3, offset=o) for o in range(0, len(every), 3)))
    assert [s["id"] for s in paged] == [s["id"] for s in every]


def test_a_story_has_one_title_in_the_list_the_page_and_the_article(archive):
    for row in archive.list_stories(limit=100, min_articles=2):
        story = archive.get_story(row["id"])
        assert story["title"] == row["title"] and story["title"]
        for article in story["articles"]:
            assert archive.story_of_article(article["id"])["title"] == row["title"]


def test_story_title_drops_an_agency_section_label():
    assert story_title("عام / تعليم حائل يطلق برنامج \" كن مواظباً \"") == \
        'تعليم حائل يطلق برنامج " كن مواظباً "'
    assert story_title("  هجمات   باريس ") == "هجمات باريس"
    assert story_title("", 7) == "قصة 7"


def test_story_summary_is_three_sentences_at_most_none_repeated(archive):
    seen = 0
    for row in archive.list_stories(limit=100, min_articles=2):
        summary = archive.get_story(row["id"])["summary"]
        assert 1 <= len(summary) <= 3
        for a, b in itertools.combinations(summary, 2):
            assert not is_near_identical(a["text"], b["text"]), (a["text"], b["text"])
        seen += 1
    assert seen >= 2


def test_near_identical_sentences_of_syndicated_copies():
    # the opening sentence of the syndicated pair "ماليزيا ترسل فريقا ..." as two outlets ran it
    a = "كوالالمبور - أ ف ب: أعلنت ماليزيا اليوم أنها سترسل فريقا إلى جزيرة لا ريونيون لفحص قطع الحطام."
    b = "أعلنت ماليزيا، اليوم، أنها سترسل فريقاً إلى جزيرة لا ريونيون الفرنسية لفحص قطع الحطام"
    assert is_near_identical(a, b)
    assert not is_near_identical(a, "وقال وزير النقل إن الفريق سيضم خبراء من هيئة الطيران المدني.")


def test_story_keyphrases_are_whole_and_do_not_overlap(archive):
    checked = 0
    for row in archive.list_stories(limit=100, min_articles=2):
        phrases = archive.get_story(row["id"])["keyphrases"]
        keys = [set(p["key"].split()) for p in phrases]
        for a, b in itertools.combinations(keys, 2):
            assert not a & b, phrases
        assert all(is_whole_phrase(p["phrase"]) for p in phrases)
        checked += len(phrases)
    assert checked >= 10


@pytest.mark.parametrize("phrase, whole", [
    ("نادي هجر", True), ("إقامة العلاقات الدبلوماسية", True), ("البرنامج الإعدادي للفريق", True),
    ("لكرة القدم بنادي", False), ("وزراء الخارجية في", False), ("من الرياض", False),
    ("الهجوم على", False), ("مع", False),
])
def test_whole_phrase(phrase, whole):
    assert is_whole_phrase(phrase) is whole


def test_most_mentioned_counts_articles_and_has_no_formula_currency_or_byline(archive, capsys):
    rows = archive.top_entities(limit=30)
    articles = [r["articles"] for r in rows]
    assert articles == sorted(articles, reverse=True)
    mentions_first = sorted(rows, key=lambda r: -r["mentions"])
    assert mentions_first != rows  # on these articles the two orders differ
    names = {r["canonical"] for r in rows}
    assert not names & {"الله", "ريال", "دولار", "يورو", "أ ف ب", "رويترز", "واس"}
    assert main(["entities", "--db", archive.location, "--limit", "3"]) == 0
    first = capsys.readouterr().out.splitlines()[0].split()
    assert first[:4] == [str(rows[0]["articles"]), "art.", str(rows[0]["mentions"]), "ment."]
