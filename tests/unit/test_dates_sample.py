"""rasid.eval.dates_sample: the unused-article samples the dates batches are drawn from,
on the bundled SaudiNewsNet sample (CC BY-NC-SA 4.0) under fresh URLs (its own URLs count
as used)."""
import json

import pytest

from rasid.eval.dates_sample import (ROOT, SECOND_STEP, STEP, article_spans, batch_sentences, cue_regex, diff_spans,
                                     unused_articles, used_ids)
from rasid.stages.dates import extract_dates

SAMPLE = ROOT / "src" / "rasid" / "sample" / "saudinewsnet-200.jsonl"


def corpus(tmp_path, urls="fresh"):
    rows = [json.loads(line) for line in SAMPLE.read_text("utf-8").splitlines()]
    if urls == "fresh":
        rows = [dict(r, url=f"test://{i}") for i, r in enumerate(rows)]
    path = tmp_path / "corpus.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    return path, rows


def test_used_articles_are_skipped(tmp_path):
    path, rows = corpus(tmp_path, urls="own")
    assert rows[0]["url"] in used_ids()
    assert list(batch_sentences(path, 0)) == []


def test_batch_sentences_follow_the_rule(tmp_path):
    path, rows = corpus(tmp_path)
    cues = cue_regex()
    got = [s for r in range(0, STEP, 3) for s in batch_sentences(path, r)]
    assert len(got) > 30
    per_article = {}
    for s in got:
        assert s["line"] % STEP == s["line"] and s["id"] == f"test://{s['line']}"
        assert 40 <= len(s["sentence"]) <= 320 and len(cues.findall(s["sentence"])) >= 2
        assert " ".join(s["sentence"].split()) in " ".join(rows[s["line"]]["content"].split())
        per_article[s["line"]] = per_article.get(s["line"], 0) + 1
    assert max(per_article.values()) == 2


def test_spans_and_their_diff(tmp_path):
    path, rows = corpus(tmp_path)
    spans = list(article_spans(path, (5, 6)))
    assert spans and {d["i"] for d in spans} <= {5, 6}
    d = spans[0]
    text = rows[d["i"]]["title"].strip() + "\n" + rows[d["i"]]["content"][:1500]
    found = [(s.start, s.end, s.attrs["value"]) for s in extract_dates(text, d["pub"])]
    assert (d["s"], d["e"], d["value"]) in found and text[d["s"]:d["e"]] == d["text"]
    changed = dict(d, value="1999")
    res = diff_spans(spans, [changed] + spans[2:])
    assert res["gone"] == [spans[1]] and res["new"] == [] and res["changed"] == [(d, changed)]


def test_the_second_rule_skips_the_articles_the_checks_read(tmp_path):
    rows = [json.loads(line) for line in SAMPLE.read_text("utf-8").splitlines()]
    rows = [dict(rows[i % len(rows)], url=f"test://{i}") for i in range(420)]
    path = tmp_path / "corpus.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    lines = lambda residue, step=SECOND_STEP: [i for i, _ in unused_articles(path, (residue,), step=step)]
    # 8, 207, 406: i % 197 is 8, 10, 12, no check's; 5 and 204 (i % 197 5 and 7) the checks read
    assert lines(8) == [8, 207, 406]
    assert lines(5) == [403]
    assert lines(5, STEP) == [5, 202, 399]
    with pytest.raises(ValueError, match="199"):
        list(unused_articles(path, (5,), step=200))
