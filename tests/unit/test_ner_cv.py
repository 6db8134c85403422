"""NER training support: cross-validation folds and harness (rasid.train.ner_cv) and the
UniversalPetrarch gazetteer readers (rasid.train.ner_gazetteer)."""
from __future__ import annotations

from pathlib import Path

import pytest

from rasid.eval.ner import read_conll
from rasid.stages.ner_features import extract_entities
from rasid.train.ner_cv import fold_blocks, run_cv, summarize, training_part
from rasid.train.ner_gazetteer import read_petrarch_actors, read_petrarch_roles

RESOURCES = Path(__file__).resolve().parents[1] / "resources"
SENTS = read_conll(RESOURCES / "anercorp-excerpt.txt")


def test_folds_are_contiguous_disjoint_and_cover_the_corpus():
    blocks = fold_blocks(SENTS, 5)
    assert [len(b) for b in blocks] == [5, 5, 5, 5, 5]
    assert [s for b in blocks for s in b] == SENTS  # corpus order, nothing lost or repeated
    blocks = fold_blocks(SENTS, 4)
    assert sorted(len(b) for b in blocks) == [6, 6, 6, 7]
    with pytest.raises(ValueError, match="at least 2"):
        fold_blocks(SENTS, 1)


def test_training_part_never_holds_the_held_out_block():
    blocks = fold_blocks(SENTS, 5)
    train = training_part(blocks, 2)
    assert len(train) == 20 and not any(s in train for s in blocks[2])
    # the learning curve keeps the first p% of every other block: contiguous runs
    # spread over the corpus
    part = training_part(blocks, 2, 40)
    assert part == blocks[0][:2] + blocks[1][:2] + blocks[3][:2] + blocks[4][:2]


def test_summarize_gives_mean_spread_and_range():
    runs = [{"micro": {"precision": 80.0, "recall": 70.0, "f1": 74.0}, "ORG": {"f1": 50.0}},
            {"micro": {"precision": 84.0, "recall": 74.0, "f1": 78.0}, "ORG": {"f1": 60.0}}]
    s = summarize(runs)
    assert s["micro.f1"]["mean"] == 76.0 and s["micro.f1"]["min"] == 74.0 and s["micro.f1"]["max"] == 78.0
    assert s["micro.f1"]["sd"] == pytest.approx(2.828, abs=1e-3)
    assert s["ORG.f1"]["mean"] == 55.0 and "PER.f1" not in s


def test_run_cv_scores_each_block_with_a_model_that_never_saw_it(tmp_path):
    """A real (tiny) CRF per fold, written as a model directory and scored through
    NERTagger: every held-out sentence is scored exactly once, by the fold that left it out."""
    from rasid.stages.ner import _read_model_dir
    from rasid.stages.ner_features import build_resources, extract_features, load_clusters, load_gazetteer, make_describer
    from rasid.train.ner import train_crf, write_model_dir

    blobs, _ = _read_model_dir(None)
    res = build_resources(load_clusters(blobs["clusters.tsv.gz"]), load_gazetteer(blobs["gazetteer.tsv.gz"]))
    describe = make_describer(res)
    seen: list[list] = []

    def build(train, out):
        seen.append(train)
        crf = tmp_path / "fold.crfsuite"
        train_crf([extract_features(t, describe, res) for t, _ in train], [y for _, y in train], crf, 0.05, 0.05, 30)
        write_model_dir(out, crf.read_bytes(), blobs["clusters.tsv.gz"], blobs["gazetteer.tsv.gz"], [], None, 0.5, {})

    result = run_cv(SENTS, 3, build, tmp_path, log=lambda _: None)
    blocks = fold_blocks(SENTS, 3)
    assert [len(t) for t in seen] == [len(SENTS) - len(b) for b in blocks]
    assert all(not any(s in train for s in block) for train, block in zip(seen, blocks))
    runs = result["runs"]["context@100"]
    assert [r["fold"] for r in runs] == [0, 1, 2]
    # each fold is scored on its own block's gold entities, and all of them together once
    for r, block in zip(runs, blocks):
        assert r["micro"]["gold"] == sum(len(extract_entities(y)) for _, y in block)
    assert sum(r["micro"]["gold"] for r in runs) == sum(len(extract_entities(y)) for _, y in SENTS)
    assert 0 < result["summary"]["context@100"]["micro.f1"]["mean"] < 100
    assert (tmp_path / "cv" / "cv-3.json").exists()
    assert "micro" in result["dev_split_out_of_fold"]["context"]
    # a rerun with the same settings reuses each fold's kept predictions: no training
    again = run_cv(SENTS, 3, build, tmp_path, log=lambda _: None)
    assert len(seen) == 3 and again["summary"] == result["summary"]
    # other settings train again
    run_cv(SENTS, 3, build, tmp_path, folds=[1], log=lambda _: None, settings={"c1": 0.1})
    assert len(seen) == 4


# ------------------------------------------------------------------ UniversalPetrarch
def test_petrarch_actors_give_persons_and_organisations_not_places():
    found = set(read_petrarch_actors(RESOURCES / "petrarch-actors-excerpt.txt"))
    assert ("PER", "نوري المالكي") in found
    assert ("PER", "غوردون براون") in found  # رئيس_وزير_ stripped
    assert ("PER", "انجيلا ميركل") in found  # مستشارة_ألماني_ stripped
    assert ("ORG", "حزب الله") in found
    assert ("ORG", "حماس") in found  # one word, kept for its group code PSEREB
    # lemmatised modifiers get the article and agree with a feminine head, as news writes them
    assert ("ORG", "وزارة الدفاع العراقية") in found
    assert ("ORG", "منظمة التحرير الفلسطينية") in found
    names = {p for _, p in found}
    assert "بيت حانون" not in names  # a bare country code: a place
    assert "مطار عريش" not in names and "بلغراد" not in names
    assert not any(p.startswith("رءيس") or p.startswith("رئيس") for p in names)  # a role, not a name


def test_petrarch_roles_read_agents_and_role_heads():
    roles = set(read_petrarch_roles(RESOURCES / "petrarch-agents-excerpt.txt", RESOURCES / "petrarch-actors-excerpt.txt"))
    assert {"انفصالي", "طبيب", "ناشر", "حزب سياسي", "الحزب السياسي الوحيد"} <= roles
    assert "رءيس" in roles or "رئيس" in roles


@pytest.mark.parametrize("args, message", [
    (["--cv", "5", "--cv-folds", "7"], "--cv-folds between 0 and K-1"),
    (["--cv", "1"], "K >= 2"),
    (["--cv-folds", "1"], "go with --cv K"),
    (["--cv", "5", "--curve", "0,50"], "--curve: percentages"),
    (["--gazetteer-groups", "anergazet,foo"], "unknown group 'foo'"),
])
def test_train_ner_refuses_bad_cv_options_before_any_work(tmp_path, capsys, args, message):
    from rasid.train.ner import main

    with pytest.raises(SystemExit) as exc:
        main(["--networks", "0", "--work", str(tmp_path / "work"), *args])
    assert exc.value.code == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "work").exists()  # nothing built


def test_a_crf_with_the_same_features_tags_and_settings_is_trained_once(tmp_path, monkeypatch):
    import rasid.train.ner as ner

    xs = [[[f"w={t}", f"len={len(t)}"] for t in toks] for toks, _ in SENTS[:6]]
    ys = [tags for _, tags in SENTS[:6]]
    ner.cached_crf(xs, ys, tmp_path / "a.crfsuite", tmp_path / "cache", 0.05, 0.05, 20)
    trained = (tmp_path / "a.crfsuite").read_bytes()
    assert len(list((tmp_path / "cache").iterdir())) == 1

    def no_training(*a):
        raise AssertionError("trained again")

    monkeypatch.setattr(ner, "train_crf", no_training)
    ner.cached_crf(xs, ys, tmp_path / "b.crfsuite", tmp_path / "cache", 0.05, 0.05, 20)
    assert (tmp_path / "b.crfsuite").read_bytes() == trained
    # other tags, features or settings are another model
    for args in ((xs, ys[:5] + [["O"] * len(ys[5])], 0.05, 0.05, 20), (xs[:5] + [xs[0]], ys, 0.05, 0.05, 20),
                 (xs, ys, 0.1, 0.05, 20), (xs, ys, 0.05, 0.05, 30)):
        with pytest.raises(AssertionError, match="trained again"):
            ner.cached_crf(*args[:2], tmp_path / "c.crfsuite", tmp_path / "cache", *args[2:])
