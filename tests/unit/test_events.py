"""Events stage: PLOVER type, mode, modifiers and arguments on real Arabic sentences."""
import json
from collections import Counter
from pathlib import Path

import pytest

from rasid.doc import Document
from rasid.events.lexicon import find_forms, load_triggers
from rasid.stages import build_pipeline

GOLD = Path(__file__).resolve().parents[1] / "resources" / "events-gold.jsonl"


@pytest.fixture(scope="module")
def pipeline():
    return build_pipeline(("tokenize", "ner", "resolve", "dates", "places", "events"))


def events_of(pipeline, text):
    doc = pipeline(Document(text=text))
    return doc, doc.layers["events"]


def only(events, typ):
    found = [e for e in events if e.label == typ]
    assert found, f"no {typ} in {[e.label for e in events]}"
    return found[0]


def test_air_strike_with_actor_recipient_place_and_offsets(pipeline):
    text = "وشن طيران التحالف غارات على مواقع الحوثيين في مدينة تعز أمس."
    doc, events = events_of(pipeline, text)
    ev = only(events, "ASSAULT")
    assert ev.attrs["mode"] == "aerial"
    assert doc.text[ev.start:ev.end] == ev.attrs["trigger"] == "غارات"
    actor, recipient, place = ev.attrs["actor"], ev.attrs["recipient"], ev.attrs["place"]
    assert "التحالف" in actor["text"] and doc.text[actor["start"]:actor["end"]] == actor["text"]
    assert "الحوثيين" in recipient["text"]
    assert place["text"] == "تعز" and place["country"] == "YE"
    assert (ev.attrs["sentence_start"], ev.attrs["sentence_end"]) == (0, len(text))
    assert not ev.attrs["negated"] and not ev.attrs["hypothetical"]


def test_negation_is_marked(pipeline):
    _, events = events_of(pipeline, "ونفت وزارة الداخلية وقوع أي تفجير في العاصمة بغداد.")
    assert only(events, "ASSAULT").attrs["negated"] is True
    _, events = events_of(pipeline, "لم تشهد المدينة أي اشتباكات بين الجيش والمسلحين.")
    assert only(events, "ASSAULT").attrs["negated"] is True


def test_threat_is_threaten_not_the_act(pipeline):
    _, events = events_of(pipeline, "وهدد تنظيم داعش بتنفيذ هجمات جديدة على السفارات الغربية.")
    assert "ASSAULT" not in {e.label for e in events}
    assert only(events, "THREATEN").attrs["threatened"] == "ASSAULT"


@pytest.mark.parametrize("text", [
    "وستنظم المعارضة مظاهرة حاشدة أمام البرلمان يوم الجمعة المقبل.",
    "وقد يؤدي ذلك إلى اشتباكات بين الطرفين.",
])
def test_future_and_modal_are_hypothetical(pipeline, text):
    _, events = events_of(pipeline, text)
    assert events and all(e.attrs["hypothetical"] for e in events)


@pytest.mark.parametrize("text", [
    "وشن الهلال هجوما قويا على مرمى النصر في الشوط الثاني من المباراة.",
    "ودعا إلى استكمال مسيرة التنمية والبناء في المملكة.",
    "تعيش المدينة هذه الأيام تظاهرة اقتصادية كبيرة بمهرجان التمور.",
    "ولقي ثلاثة أشخاص مصرعهم في حادث مروري على طريق الرياض.",
    "وكان خامنئي قد تظاهر بالموافقة على الاتفاق.",
])
def test_no_event_in_sports_metaphor_and_accidents(pipeline, text):
    _, events = events_of(pipeline, text)
    assert {e.label for e in events} <= {"AGREE"}, [(e.label, e.attrs["trigger"]) for e in events]


def test_protest_with_crowd_actor(pipeline):
    doc, events = events_of(pipeline, "وتظاهر آلاف العراقيين في بغداد احتجاجا على نقص الكهرباء.")
    ev = only(events, "PROTEST")
    assert ev.attrs["mode"] == "demo"
    assert "العراقيين" in ev.attrs["actor"]["text"]
    assert ev.attrs["place"]["text"] == "بغداد"


def test_killing_in_family_dispute_is_crime(pipeline):
    _, events = events_of(pipeline, "قتل رجل ثلاثيني زوجته بحجر بعد خلاف عائلي نشب بينهما.")
    assert only(events, "CRIME")
    assert "ASSAULT" not in {e.label for e in events}


def test_arrest_is_coerce(pipeline):
    _, events = events_of(pipeline, "وألقت الشرطة القبض على ثلاثة مطلوبين في محافظة القطيف.")
    ev = only(events, "COERCE")
    assert ev.attrs["mode"] == "arrest"


def test_forms_strip_clitics_and_verb_affixes():
    table = load_triggers()
    assert {"تفجير"} <= {f for f, _, _ in find_forms("والتفجيرات")} | {"تفجير"}
    assert any(f in table and table[f].type == "ASSAULT" for f, _, _ in find_forms("يهاجمون"))
    assert any(f in table and table[f].type == "PROTEST" for f, _, _ in find_forms("وتظاهروا"))


def test_gold_set_shape():
    rows = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines()]
    assert len(rows) >= 300
    assert sum(1 for r in rows if not r["events"]) >= 100
    assert {r["split"] for r in rows} == {"dev", "test"}
    types = Counter(e["type"] for r in rows for e in r["events"])
    assert types["ASSAULT"] >= 100 and types["PROTEST"] >= 60
    assert len({r["source"] for r in rows if any(e["type"] == "PROTEST" for e in r["events"])}) >= 8


def test_trigger_candidates_read_from_their_memo_are_each_words_entry(monkeypatch):
    """`trigger_candidates` reads whether each word is a trigger from a memo for all of a
    text's tokens at once: on real articles (the bundled sample) and gold sentences it gives
    the words whose lexicon entry is a trigger, fresh, read back, and with a memo so small
    that it is trimmed at every text; numbers and punctuation are never candidates."""
    import rasid.events.extract as extract
    from rasid.arabic.tokenize import tokenize

    sample = Path(extract.__file__).resolve().parents[1] / "sample" / "saudinewsnet-200.jsonl"
    texts = [json.loads(x)["content"] for x in sample.read_text("utf-8").splitlines()[:30]]
    texts += [json.loads(x)["text"] for x in GOLD.read_text("utf-8").splitlines()[:30]]

    def expected(tokens):
        return [i for i, t in enumerate(tokens) if t.kind == "word" and (trig := extract.lexicon_trigger(t.norm))
                is not None and trig.type != "-"]

    extract._TRIGGER_MEMO.clear()
    tokens = [tokenize(t) for t in texts]
    want = [expected(t) for t in tokens]
    assert sum(map(len, want)) > 30
    assert [extract.trigger_candidates(t) for t in tokens] == want  # filled
    assert [extract.trigger_candidates(t) for t in tokens] == want  # read back
    monkeypatch.setattr(extract, "TRIGGER_MEMO", 8)
    assert [extract.trigger_candidates(t) for t in tokens] == want
    assert len(extract._TRIGGER_MEMO) <= 8 + max(map(len, tokens))
    extract._TRIGGER_MEMO.clear()
