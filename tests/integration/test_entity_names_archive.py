"""No invented names (issue 13 item 4), on 60 SaudiNewsNet articles of July-August 2015
(tests/resources/saudinewsnet-summ.jsonl and saudinewsnet-sample.jsonl, see their READMEs)
through the whole pipeline: every entity's canonical name occurs, normalised and as whole
words, in an article that mentions it or in the knowledge tables; one place under two
spellings is one entity. The same check over a month of SaudiNewsNet is
``python -m rasid.eval.canonical --db ARCHIVE`` on the archive of
``bench/make_lookup_archive.py`` (docs/entities.md gives the figure)."""
from __future__ import annotations

from pathlib import Path

import pytest

from rasid.eval.canonical import find_invented_names, is_known_name
from rasid.monitor import Monitor

RESOURCES = Path(__file__).resolve().parents[1] / "resources"


ARTICLES = 60  # the first 40 of saudinewsnet-summ.jsonl and the 20 of the sample: CI time


@pytest.fixture(scope="module")
def monitor(tmp_path_factory):
    folder = tmp_path_factory.mktemp("names")
    summ = (RESOURCES / "saudinewsnet-summ.jsonl").read_text(encoding="utf-8").splitlines()[:40]
    (folder / "summ-40.jsonl").write_text("\n".join(summ) + "\n", encoding="utf-8")
    m = Monitor(str(folder / "archive.db"))
    summary = m.ingest([str(folder / "summ-40.jsonl"), str(RESOURCES / "saudinewsnet-sample.jsonl")])
    assert summary.stored == ARTICLES, summary.to_dict()
    yield m
    m.close()


def test_every_canonical_name_occurs_in_an_article_or_a_table(monitor):
    invented, total = find_invented_names(monitor.store)
    assert total > 150
    assert [e["canonical"] for e in invented] == []


def test_knowledge_table_names_count_as_attested():
    assert is_known_name("محمد بن نايف") and is_known_name("تنظيم الدولة الإسلامية")
    assert not is_known_name("عادل محمد نايف")
