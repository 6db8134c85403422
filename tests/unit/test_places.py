"""Places: gazetteer, toponym resolution, focus country, gold accuracy floor."""
from pathlib import Path

import pytest

from rasid.doc import Document, Span
from rasid.geo.gazetteer import load_gazetteer, lookup_place, normalize_place
from rasid.geo.resolve import convert_nisba
from rasid.stages.places import PlaceStage
from rasid.stages.tokenize import TokenizeStage

GOLD = Path(__file__).resolve().parents[1] / "resources" / "places-gold.jsonl"


def run(text, title="", locs=(), **kw):
    doc = Document(text=text, title=title)
    TokenizeStage()(doc)
    spans = []
    for word in locs:
        i = text.index(word)
        spans.append(Span(i, i + len(word), "LOC"))
    doc.layers["entities"] = spans
    PlaceStage(**kw)(doc)
    return doc


def places_by_text(doc):
    return {doc.text[s.start:s.end]: s.attrs for s in doc.layers["places"]}


def test_gazetteer_loads_once_and_finds_paris():
    gaz = load_gazetteer()
    assert load_gazetteer() is gaz
    assert len(gaz) > 10_000
    paris = lookup_place("باريس")[0]
    assert (paris.name_en, paris.country, paris.geonameid) == ("Paris", "FR", 2988507)
    assert abs(paris.lat - 48.85) < 0.1 and abs(paris.lon - 2.35) < 0.1


@pytest.mark.parametrize("name,en,cc", [
    ("دمشق", "Damascus", "SY"),
    ("القاهرة", "Cairo", "EG"),
    ("القاهره", "Cairo", "EG"),
    ("الرياض", "Riyadh", "SA"),
    ("سوريا", "Syria", "SY"),
    ("سورية", "Syria", "SY"),
    ("الولايات المتحدة الأمريكية", "United States", "US"),
    ("بريطانيا", "United Kingdom", "GB"),
    ("الإمارات", "United Arab Emirates", "AE"),
])
def test_lookup_best_prior(name, en, cc):
    best = lookup_place(name)[0]
    assert (best.name_en, best.country) == (en, cc)


def test_normalize_place_folds_variants():
    assert normalize_place("غزّة") == normalize_place("غزه")
    assert normalize_place("أبو-ظبي") == normalize_place("ابو ظبي")


def test_raqqa_in_syrian_context():
    doc = run("قصفت الطائرات مواقع التنظيم في الرقة وحلب شمال سوريا.", locs=("الرقة",))
    raqqa = places_by_text(doc)["الرقة"]
    assert raqqa["country"] == "SY" and raqqa["geonameid"] == 172955


def test_tripoli_by_context():
    lebanon = run("اندلعت اشتباكات في طرابلس شمال لبنان، وامتدت إلى بيروت وصيدا.", locs=("طرابلس",))
    libya = run("سيطرت الميليشيات على طرابلس بعد معارك مع قوات حكومة طبرق في ليبيا.", locs=("طرابلس",))
    assert places_by_text(lebanon)["طرابلس"]["country"] == "LB"
    assert places_by_text(libya)["طرابلس"]["country"] == "LY"
    assert lebanon.meta["focus_country"] == "LB"
    assert libya.meta["focus_country"] == "LY"


def test_amman_vs_oman():
    jordan = run("وصلت البعثة إلى العاصمة الأردنية عمان قادمة من إربد في الأردن.", locs=("عمان",))
    assert places_by_text(jordan)["عمان"]["name_en"] == "Amman"
    oman = run("وقعت سلطنة عمان والسعودية اتفاقية جديدة.", locs=("سلطنة عمان",))
    assert places_by_text(oman)["سلطنة عمان"]["country"] == "OM"


@pytest.mark.parametrize("word,iso", [
    ("الفرنسي", "FR"), ("الفرنسية", "FR"), ("السوري", "SY"), ("الأمريكيون", "US"),
    ("الأميركية", "US"), ("السعوديين", "SA"), ("اللبنانية", "LB"), ("الرئيس", None),
])
def test_nisba(word, iso):
    assert convert_nisba(normalize_place(word)) == iso


def test_demonyms_vote_for_focus():
    doc = run("قال وزير الخارجية الفرنسي إن الحكومة الفرنسية ستدعم الجيش الفرنسي.")
    assert doc.meta["focus_country"] == "FR"
    dem = [s for s in doc.layers["places"] if s.attrs.get("relation") == "demonym"]
    assert len(dem) == 3 and all(s.attrs["country"] == "FR" for s in dem)


def test_title_weighs_more():
    doc = run("التقى الوزير نظيره في القاهرة ثم سافر إلى القاهرة.", title="اجتماعات في باريس حول ليبيا")
    assert doc.meta["place_votes"]["FR"] > 0
    assert doc.meta["focus_country"] in ("EG", "FR", "LY")


def test_offsets_and_clitic_excluded():
    text = "زار الرئيس لندن وباريس والقاهرة، ثم عاد إلى الرياض."
    doc = run(text, match_gazetteer="safe")
    got = {text[s.start:s.end]: s for s in doc.layers["places"]}
    assert set(got) >= {"لندن", "باريس", "القاهرة", "الرياض"}
    for s in doc.layers["places"]:
        assert text[s.start:s.end] == text[s.start:s.end].strip()
        assert not text[s.start:s.end].startswith("و")
        assert s.label == "PLACE"
    paris = got["باريس"]
    assert text[paris.start - 1] == "و" and paris.attrs["geonameid"] == 2988507
    for key in ("name", "name_en", "country", "lat", "lon", "feature", "geonameid", "confidence"):
        assert key in paris.attrs


def test_loc_entity_with_clitic_is_trimmed():
    text = "وصل الوفد وباريس تراقب."
    doc = Document(text=text)
    TokenizeStage()(doc)
    i = text.index("وباريس")
    doc.layers["entities"] = [Span(i, i + len("وباريس"), "LOC")]
    PlaceStage(match_gazetteer="off", demonyms=False)(doc)
    (span,) = doc.layers["places"]
    assert text[span.start:span.end] == "باريس"


def test_gazetteer_matching_off_uses_only_entities():
    doc = run("زار الرئيس لندن وباريس.", match_gazetteer="off", locs=("لندن",))
    assert [doc.text[s.start:s.end] for s in doc.layers["places"]] == ["لندن"]


def test_common_words_not_tagged():
    doc = run("وقال مصدر على صلة بالملف إن الأمن مستتب الآن، ورابط الخبر في الصحيفة.")
    assert [s for s in doc.layers["places"] if s.attrs.get("relation") != "demonym"] == []


def test_stage_declares_layers():
    stage = PlaceStage()
    assert stage.name == "places"
    assert stage.reads == ("tokens", "entities") and stage.writes == ("places", "meta")


def test_gold_accuracy_floor_on_test_half():
    from rasid.eval.places import evaluate_places, read_gold

    gold = read_gold(GOLD)
    assert len(gold) >= 150
    test = [g for g in gold if g["split"] == "test"]
    res = evaluate_places(test, PlaceStage())
    # measured 88.5 / 93.1 (docs/places.md); floors never lowered silently
    assert res["entry"] >= 86.0
    assert res["country"] >= 91.0
