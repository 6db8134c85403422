"""The gazetteer tagger's first-word memo (`rasid.geo.resolve._first_word`): a cache only.

The tagger reads the memo inline for every word and trims it to `FIRST_WORDS_MEMO` entries;
what it finds must not depend on what the memo holds, and the memo must stay bounded."""
import json
from pathlib import Path

import rasid.geo.resolve as resolve
from rasid.doc import Document
from rasid.geo.gazetteer import load_gazetteer
from rasid.stages.places import PlaceStage
from rasid.stages.tokenize import TokenizeStage

SAMPLE = Path(resolve.__file__).resolve().parents[1] / "sample" / "saudinewsnet-200.jsonl"


def places_of(records):
    stage, tokenize, out = PlaceStage(), TokenizeStage(), []
    for rec in records:
        doc = Document(text=rec["content"], title=rec.get("title") or "")
        tokenize(doc)
        doc.layers["entities"] = []
        stage(doc)
        out.append([(s.start, s.end, s.attrs.get("geonameid")) for s in doc.layers["places"]])
    return out


def test_places_are_the_same_with_a_tiny_first_word_memo_and_it_stays_bounded(monkeypatch):
    records = [json.loads(line) for line in SAMPLE.read_text("utf-8").splitlines()[:40]]
    memos = load_gazetteer().memos
    memos.pop("first words", None)
    roomy = places_of(records)
    assert sum(map(len, roomy)) > 40  # real articles name places
    memos.pop("first words", None)
    monkeypatch.setattr(resolve, "FIRST_WORDS_MEMO", 16)
    assert places_of(records) == roomy  # forms forgotten and read again: the same names
    assert len(memos["first words"]) <= 16
    memos.pop("first words", None)


def test_a_one_word_lookup_read_from_its_memo_is_the_lookup_at_that_token():
    """`_lookup_tokens` keeps a one-word run's answer by the token's text, its start relative
    to the token: read back at another offset of another text (here with harakat after a
    proclitic: وَبِجدة), it is what the lookup itself gives there."""
    from rasid.arabic.tokenize import tokenize

    gaz = load_gazetteer()
    rec = json.loads(SAMPLE.read_text("utf-8").splitlines()[0])
    texts = [rec["content"], "وصل الوفد وَبِجدة ثم غادر إلى وَبِجدة"]
    gaz.memos.pop("one word", None)
    seen = 0
    for text in texts:
        for tok in tokenize(text):
            if tok.kind != "word":
                continue
            expected = resolve._read_tokens(text, [tok], gaz)
            assert resolve._lookup_tokens(text, [tok], gaz) == expected  # filled or read
            assert resolve._lookup_tokens(text, [tok], gaz) == expected  # read
            seen += bool(expected[2])
    assert seen > 5  # names found, not only misses
    gaz.memos.pop("one word", None)


def test_demonyms_read_from_their_memo_are_those_of_each_word(monkeypatch):
    """`extract_demonyms` reads each base's nisba from a memo for all of a text's tokens at
    once: the demonyms of real articles are those `convert_nisba` gives word by word, read
    fresh, read back, and with a memo so small that it is trimmed at every text."""
    from rasid.arabic.tokenize import tokenize

    records = [json.loads(line) for line in SAMPLE.read_text("utf-8").splitlines()[:40]]
    texts = [r["content"] for r in records] + ["قال المسؤولون الفرنسيون، ٢٠١٥، إن الوفد السعودي وصل."]

    def expected(tokens):
        return [(t.base_start, t.end, resolve.convert_nisba(t.base)) for t in tokens
                if t.kind == "word" and resolve.convert_nisba(t.base)]

    def found(tokens):
        return [(m.start, m.end, m.country) for m in resolve.extract_demonyms(tokens, [])]

    resolve._NISBA_MEMO.clear()
    want = [expected(tokenize(t)) for t in texts]
    assert sum(map(len, want)) > 20 and want[-1][0][2] == "FR" and want[-1][1][2] == "SA"
    assert [found(tokenize(t)) for t in texts] == want  # filled
    assert [found(tokenize(t)) for t in texts] == want  # read back
    monkeypatch.setattr(resolve, "MEMO_SIZE", 8)
    assert [found(tokenize(t)) for t in texts] == want
    assert len(resolve._NISBA_MEMO) <= 8 + max(len(tokenize(t)) for t in texts)
    # a covered word is no demonym
    tokens = tokenize(texts[-1])
    first = want[-1][0]
    assert [d[:2] for d in found(tokens)] == [w[:2] for w in want[-1]]
    assert first not in [(m.start, m.end, m.country) for m in resolve.extract_demonyms(tokens, [first[:2]])]
    resolve._NISBA_MEMO.clear()
