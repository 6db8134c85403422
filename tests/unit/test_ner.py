"""NER: CoNLL reader, conlleval-style scorer, `rasid eval ner`, and the shipped model on the seed."""
from __future__ import annotations

import re
import json
import shutil
from importlib import resources
from pathlib import Path

import pytest

from rasid.doc import Document
from rasid.eval.ner import main as eval_main
from rasid.eval.ner import normalize_tag, read_conll, score_entities
from rasid.stages.ner_features import extract_entities

RESOURCES = Path(__file__).resolve().parents[1] / "resources"


# ----------------------------------------------------------------- reader and scorer
def test_read_conll_accepts_pers_tabs_and_blank_lines(tmp_path):
    path = tmp_path / "gold.txt"
    path.write_text(
        "\ufeffقال O\nفرانسوا B-PERS\nهولاند I-PERS\n\n\n"
        "في\tO\nباريس\tB-LOC\n(د O\nب O\n\nمنظمة B-MIS\n",
        encoding="utf-8",
    )
    sents = read_conll(path)
    assert [t for t, _ in sents] == [["قال", "فرانسوا", "هولاند"], ["في", "باريس", "(د", "ب"], ["منظمة"]]
    assert sents[0][1] == ["O", "B-PER", "I-PER"]
    assert sents[1][1] == ["O", "B-LOC", "O", "O"]
    assert sents[2][1] == ["B-MISC"]


@pytest.mark.parametrize(
    "tag, want",
    [("B-PERS", "B-PER"), ("I-PER", "I-PER"), ("O", "O"), ("", "O"), ("B-MIS", "B-MISC"), ("X-LOC", "O")],
)
def test_normalize_tag(tag, want):
    assert normalize_tag(tag) == want


def test_extract_entities_conlleval_semantics():
    tags = ["B-PER", "I-PER", "O", "I-LOC", "I-LOC", "B-LOC", "I-ORG", "O"]
    # an I- after O or after another type starts a new chunk, as conlleval reads it
    assert extract_entities(tags) == [(0, 2, "PER"), (3, 5, "LOC"), (5, 6, "LOC"), (6, 7, "ORG")]
    assert extract_entities(["B-LOC"]) == [(0, 1, "LOC")]
    assert extract_entities([]) == []


def test_score_entities_exact_span_and_type():
    gold = [["B-PER", "I-PER", "O", "B-LOC"], ["B-ORG", "I-ORG", "O"]]
    pred = [["B-PER", "O", "O", "B-LOC"], ["B-ORG", "I-ORG", "B-MISC"]]
    s = score_entities(gold, pred)
    # PER boundary wrong -> 0; LOC and ORG exact; MISC spurious
    assert s["PER"]["tp"] == 0 and s["PER"]["pred"] == 1 and s["PER"]["gold"] == 1
    assert s["LOC"]["f1"] == pytest.approx(100.0)
    assert s["MISC"]["precision"] == 0.0 and s["MISC"]["gold"] == 0
    m = s["micro"]
    assert (m["tp"], m["pred"], m["gold"]) == (2, 4, 3)
    assert m["precision"] == pytest.approx(50.0)
    assert m["recall"] == pytest.approx(200 / 3)
    assert m["f1"] == pytest.approx(2 * 50 * (200 / 3) / (50 + 200 / 3))


def test_eval_main_prints_micro_f1_last(capsys):
    assert eval_main([str(RESOURCES / "anercorp-excerpt.txt")]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert re.fullmatch(r"micro-F1 \d+\.\d\d", out[-1])
    assert any(line.startswith("tokens/s ") for line in out)
    assert float(out[-1].split()[1]) > 50  # a held-out excerpt; dev F1 is far above this


# ----------------------------------------------------------------- the shipped model
@pytest.fixture(scope="module")
def seed_doc(seed_text):
    from rasid.stages.ner import NERStage
    from rasid.stages.tokenize import TokenizeStage

    doc = Document(text=seed_text)
    return NERStage()(TokenizeStage()(doc))


def _found(doc, label: str) -> set[str]:
    return {doc.text[s.start:s.end] for s in doc.layers["entities"] if s.label == label}


def test_seed_spans_are_offsets_into_text(seed_doc):
    ents = seed_doc.layers["entities"]
    assert ents
    for s in ents:
        assert s.label in ("PER", "ORG", "LOC", "MISC")
        assert 0 <= s.attrs["confidence"] <= 1
        assert isinstance(s.attrs["sentence"], int)
        text = seed_doc.text[s.start:s.end]
        assert text == text.strip() and text
        assert not re.match(r"^[وبل](?:باريس|فرنسا|بلجيكا|سوريا)", text)


def test_seed_people(seed_doc):
    per = _found(seed_doc, "PER")
    assert "فرانسوا هولاند" in per
    assert "إسماعيل عمر مصطفاى" in per
    assert "مصطفاي" in per


def test_seed_places(seed_doc):
    loc = _found(seed_doc, "LOC")
    for name in ("باريس", "فرنسا", "سوريا", "العراق", "بلجيكا"):
        assert name in loc, name


def test_seed_organisations(seed_doc):
    org = _found(seed_doc, "ORG")
    assert "القاعدة" in org or "تنظيم القاعدة" in org
    assert org & {"تنظيم الدولة الإسلامية", "تنظيم الدولة", "الدولة الإسلامية", "داعش"}
    assert "حزب الله" in org
    assert "شارل إبدو" in org | _found(seed_doc, "MISC")
    assert "شارل إبدو" not in _found(seed_doc, "PER")


def test_seed_clitic_excluded(seed_doc):
    # the seed writes والعراق and وسوريا: the spans start after the conjunction
    starts = {s.start: s for s in seed_doc.layers["entities"]}
    clitic_tokens = [t for t in seed_doc.tokens if t.text in ("والعراق", "وسوريا")]
    assert clitic_tokens
    for tok in clitic_tokens:
        span = starts.get(tok.base_start)
        assert span is not None and span.label == "LOC", tok.text
        assert seed_doc.text[span.start:span.end] == tok.text[1:]
        assert span.attrs["norm"] == tok.base
        assert tok.start not in starts
    for s in seed_doc.layers["entities"]:
        assert not s.attrs["norm"].startswith(("وب", "وال", "بال", "لل"))


def test_entity_start_keeps_lil_tokens_whole():
    from rasid.arabic.tokenize import tokenize
    from rasid.stages.ner import entity_start

    tok = tokenize("للولايات")[0]
    assert tok.base == "الولايات"
    assert entity_start(tok) == tok.start  # "لولايات" would not be a word
    tok = tokenize("وباريس")[0]
    assert entity_start(tok) == 1


def test_clitic_span_on_hand_built_doc():
    from rasid.stages.ner import NERStage
    from rasid.stages.tokenize import TokenizeStage

    doc = TokenizeStage()(Document(text="وصل الرئيس الفرنسي فرانسوا هولاند إلى بلجيكا وباريس أمس."))
    NERStage()(doc)
    by_text = {doc.text[s.start:s.end]: s for s in doc.layers["entities"]}
    assert "باريس" in by_text and by_text["باريس"].label == "LOC"
    assert by_text["باريس"].attrs["norm"] == "باريس"
    assert "وباريس" not in by_text
    assert by_text.get("فرانسوا هولاند") is not None and by_text["فرانسوا هولاند"].label == "PER"


def test_tag_sentences_matches_stage(seed_doc):
    from rasid.stages.ner import group_tokens_by_sentence, tag_sentences

    groups = group_tokens_by_sentence(seed_doc)[:10]
    tags = tag_sentences([[t.text for t in toks] for _, toks in groups])
    starts = {(s.start, s.label) for s in seed_doc.layers["entities"] if s.attrs["sentence"] < 10}
    for (_, toks), sent_tags in zip(groups, tags):
        for tok, tag in zip(toks, sent_tags):
            if tag.startswith("B-"):
                assert (tok.base_start, tag[2:]) in starts


def test_model_hash_is_checked(tmp_path):
    from rasid.stages.ner import ModelError, NERTagger

    src = resources.files("rasid.models").joinpath("ner")
    manifest = json.loads(src.joinpath("manifest.json").read_text(encoding="utf-8"))
    for name in ["manifest.json", *manifest["files"]]:
        with resources.as_file(src.joinpath(name)) as p:
            shutil.copy(p, tmp_path / name)
    NERTagger(tmp_path)  # loads
    for name in manifest["files"]:  # every listed file is checked: CRF, vectors, networks
        good = (tmp_path / name).read_bytes()
        (tmp_path / name).write_bytes(b"tampered")
        with pytest.raises(ModelError, match=name):
            NERTagger(tmp_path)
        (tmp_path / name).write_bytes(good)
    (tmp_path / "model.crfsuite").unlink()
    with pytest.raises(ModelError, match="missing"):
        NERTagger(tmp_path)


def test_riyal_is_a_currency_unless_real_madrid():
    from rasid.stages.ner import load_tagger

    tagger = load_tagger()
    assert tagger.tag(["بلغت", "الأرباح", "مليون", "ريال", "سعودي"])[3] == "B-MISC"
    assert tagger.tag(["فاز", "ريال", "مدريد", "على", "برشلونة"])[1:3] == ["B-ORG", "I-ORG"]


def test_regnal_number_takes_the_teen():
    from rasid.stages.ner import extend_regnal, load_tagger

    # ANERcorp dev: "للملك الفونسو الثالث عشر ملك اسبانيا" ends the name at the ordinal without the rule
    tags = ["O", "B-PER", "I-PER", "O", "O"]
    assert extend_regnal(["للملك", "الفونسو", "الثالث", "عشر", "ملك"], tags) == [3]
    assert tags == ["O", "B-PER", "I-PER", "I-PER", "O"]
    # an ordinal outside a name, or عشرة after a clock hour, is left alone
    tags = ["O", "O", "O", "O"]
    assert extend_regnal(["الساعة", "الحادية", "عشرة", "."], tags) == [] and tags == ["O"] * 4
    tags = ["B-PER", "O", "O"]
    assert extend_regnal(["الثالث", "عشر", "."], tags) == [] and tags == ["B-PER", "O", "O"]
    toks = "زار البابا بنديكت السادس عشر تركيا".split()
    assert load_tagger().tag(toks)[2:5] == ["I-PER", "I-PER", "I-PER"]


def test_shipped_clusters_load_as_one_shared_tuple_per_finest_cluster():
    """Every word of the shipped cluster table keeps its three ids, read as the file
    writes them; words of one finest cluster share one tuple (the load's memory)."""
    import gzip
    from pathlib import Path

    from rasid.stages.ner_features import load_clusters

    raw = (Path(__file__).resolve().parents[2] / "src/rasid/models/ner/clusters.tsv.gz").read_bytes()
    clusters = load_clusters(raw)
    lines = [l for l in gzip.decompress(raw).decode("utf-8").splitlines() if l and not l.startswith("#")]
    assert len(clusters) == len(lines)
    for line in lines[::997]:
        word, *ids = line.split("\t")
        assert clusters[word] == tuple(ids) and len(ids) == 3
    assert len({id(t) for t in clusters.values()}) == len({t[-1] for t in clusters.values()})
