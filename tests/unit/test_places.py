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

    gold = read_gold(GOLD, "first")
    assert len(gold) >= 150
    test = [g for g in gold if g["split"] == "test"]
    res = evaluate_places(test, PlaceStage())
    # measured 88.5 / 93.1 (docs/places.md); floors never lowered silently
    assert res["entry"] >= 86.0
    assert res["country"] >= 91.0


def test_gold_placement_floor_on_issue14_test_half():
    from rasid.eval.places import evaluate_places, read_gold

    test = [g for g in read_gold(GOLD, "issue14") if g["split"] == "test"]
    assert len(test) >= 60
    res = evaluate_places(test, PlaceStage())
    # the second batch (docs/places.md); placement within 0.6 degrees / 4 degrees / country
    assert res["near"] >= 87.0  # 81.0 after the third round, 87.3 the fourth


def test_gold_placement_floor_on_the_held_out_third_batch():
    from rasid.eval.places import evaluate_places, read_gold

    rows = read_gold(GOLD, "issue14b")
    assert len(rows) >= 100
    # annotated before any run and never tuned on (tests/resources/README.md): 83.0 when set
    assert evaluate_places(rows, PlaceStage())["near"] >= 86.0  # 86.8 after the fourth round


def test_end_to_end_placement_floor_on_the_held_out_third_batch():
    # as rasid analyze is scored: NER and the places stage find the mentions themselves;
    # a gold place not found is wrong (docs/places.md, third round: 76.4 -> 83.0)
    from rasid.eval.places import evaluate_pipeline, read_gold
    from rasid.stages import build_pipeline

    rows = read_gold(GOLD, "issue14b")
    res = evaluate_pipeline(rows, build_pipeline(("tokenize", "ner", "places")))
    assert res["n"] >= 100 and res["near"] >= 89.0, res["errors"]  # 85.8 after the fourth round; 84.9 with the NER model retrained without AQMAR dev; 86.8 after the fifth round; 89.6 after the eighth (places no table holds)


def test_end_to_end_placement_floor_on_the_clean_fourth_batch():
    # issue14c: every 197th SaudiNewsNet article, annotated before any run, never tuned on
    # (tests/resources/README.md); 76.3 before the fourth round, 78.9 after; 83.3 with the
    # retrained NER model, 86.0 after the fifth round, 93.0 after the eighth (places no table
    # holds, placed approximately; its errors had been read by then)
    from rasid.eval.places import evaluate_pipeline, read_gold
    from rasid.stages import build_pipeline

    rows = read_gold(GOLD, "issue14c")
    res = evaluate_pipeline(rows, build_pipeline(("tokenize", "ner", "places")))
    assert res["n"] >= 100 and res["near"] >= 92.0, res["errors"]


def test_end_to_end_placement_floor_on_the_eighth_round_batch():
    # issue14x: every 197th SaudiNewsNet article from line 73, annotated and committed before
    # any run; 86.6 unread (the round's start), 89.3 after its changes
    from rasid.eval.places import evaluate_pipeline, read_gold
    from rasid.stages import build_pipeline

    rows = read_gold(GOLD, "issue14x")
    res = evaluate_pipeline(rows, build_pipeline(("tokenize", "ner", "places")))
    assert res["n"] >= 140 and res["near"] >= 88.5, res["errors"]


# -- issue 14: places people in this region write about ------------------------------------
CALAIS_TITLE = "فرنسا وبريطانيا تؤكدان على أولوية إنهاء أزمة المهاجرين في كاليه"
CALAIS_TEXT = ("أكدت فرنسا وبريطانيا أن إنهاء الأزمة في كاليه أولوية كبرى. "
               "وحذر كاميرون من محطة يوروتانل في كوكيل خارج كاليه، "
               "وقال إن محاولة للوصول إلى بريطانيا سجلت ليل السبت الأحد في مدينة كاليه الفرنسية. "
               "ويرى خبراء أن الظاهرة تتفاقم.")


def test_small_town_of_the_title_is_found_in_the_body():
    doc = run(CALAIS_TEXT, title=CALAIS_TITLE)
    calais = [s for s in doc.layers["places"] if doc.text[s.start:s.end] == "كاليه"]
    assert len(calais) == 3 and all(s.attrs["name_en"] == "Calais" for s in calais)
    assert all(s.attrs["country"] == "FR" for s in calais)


def test_time_words_and_common_nouns_are_not_places():
    doc = run(CALAIS_TEXT, title=CALAIS_TITLE)
    found = places_by_text(doc)
    assert "ليل" not in found and "الظاهرة" not in found and "السبت" not in found
    # even when NER calls it a location, ليل before a weekday is a time
    doc = run("سجلت ليل السبت محاولة جديدة في باريس", locs=("ليل", "باريس"))
    assert set(places_by_text(doc)) == {"باريس"}


@pytest.mark.parametrize("text,loc,name,en", [
    ("قصف التحالف مواقع في دير الزور شرق سوريا", "دير", "دير الزور", "Deir ez-Zor"),
    ("وصل الوفد إلى رأس الخيمة أمس", "رأس", "رأس الخيمة", "Ras Al Khaimah"),
    ("عقد المؤتمر في شرم الشيخ بمصر", "شرم", "شرم الشيخ", "Sharm el-Sheikh"),
])
def test_multi_word_names_stay_whole_when_ner_cuts_them(text, loc, name, en):
    doc = run(text, locs=(loc,))
    spans = [s for s in doc.layers["places"] if s.attrs.get("relation") != "demonym"]
    assert any(doc.text[s.start:s.end] == name and s.attrs["name_en"] == en for s in spans), \
        [(doc.text[s.start:s.end], s.attrs.get("name_en")) for s in spans]


def test_multi_word_names_found_by_the_tagger_without_ner():
    doc = run("وصل الوفد إلى جسر الشغور ثم إلى أبو ظبي")
    found = places_by_text(doc)
    assert found["جسر الشغور"]["country"] == "SY" and found["أبو ظبي"]["country"] == "AE"
    assert "جسر" not in found


def test_homograph_keeps_alternatives():
    # طرابلس alone: Libya's capital, Lebanon's city kept as the runner-up
    doc = run("وصل الوفد إلى طرابلس", locs=("طرابلس",))
    tripoli = places_by_text(doc)["طرابلس"]
    assert tripoli["country"] == "LY" and 0.5 < tripoli["confidence"] < 1
    assert [a["country"] for a in tripoli["alternatives"]][:1] == ["LB"]
    # with Lebanese context the other sense wins
    doc = run("اشتباكات في طرابلس وبيروت شمال لبنان", locs=("طرابلس", "بيروت", "لبنان"))
    assert places_by_text(doc)["طرابلس"]["country"] == "LB"


def test_pictures_are_not_tyre():
    # صور "pictures" is never proposed by the tagger; as a LOC entity it is Tyre, Lebanon
    doc = run("نشرت وكالة ناسا الصور التي التقطها المرصد للأرض")
    assert [s for s in doc.layers["places"] if s.attrs.get("relation") != "demonym"] == []
    doc = run("قصف إسرائيلي قرب صور في جنوب لبنان", locs=("صور", "لبنان"))
    assert places_by_text(doc)["صور"]["name_en"] == "Tyre"


# -- issue 14, third round: end-to-end recall ----------------------------------------------
def test_a_place_before_a_weekday_is_still_a_place():
    # only a time of day before a weekday is a time (ليل السبت); عسير الخميس is Asir
    doc = run("وصل إلى مسجد قوات الطوارئ الخاصة بمنطقة عسير الخميس الماضي", locs=("عسير",))
    asir = places_by_text(doc)["عسير"]
    assert (asir["name_en"], asir["country"], asir["feature"]) == ("Asir", "SA", "admin1")
    doc = run("سجلت ليل السبت محاولة جديدة", locs=("ليل",))
    assert "ليل" not in places_by_text(doc)


def test_a_small_town_after_a_head_word_is_tagged():
    # شقا (5,000 people) is below the tagger's population floor, but قرية says it is a place
    found = places_by_text(run("قصفت قوات النظام مواقع شرقي قرية شقا في ريف السويداء"))
    assert found["شقا"]["name_en"] == "Shaqqā" and found["شقا"]["country"] == "SY"
    # without the head word the same name is left alone
    assert "شقا" not in places_by_text(run("قال إن شقا الطريق طويل"))


def test_adjectives_name_their_country_and_are_not_towns():
    doc = run("الحرب الباكستانية الهندية منذ انفصال باكستان عن الهند")
    dem = {doc.text[s.start:s.end]: s.attrs for s in doc.layers["places"]
           if s.attrs.get("relation") == "demonym"}
    # الهندية is the adjective (India), not Al Hindiyah in Iraq
    assert dem["الهندية"]["country"] == "IN" and dem["الهندية"]["feature"] == "country"
    assert dem["الباكستانية"]["name_en"] == "Pakistan" and dem["الباكستانية"]["lat"] is not None
    assert not any(s.attrs.get("country") == "IQ" for s in doc.layers["places"])


def test_a_name_starting_with_kaf_is_not_a_proclitic():
    # كوباني is not ك + و + باني (Baní, Dominican Republic); كمينا ("an ambush") is not Minna
    doc = run("سيطرت القوات على عين العرب (كوباني) بعد معارك", locs=("كوباني",))
    assert not any(s.attrs.get("country") == "DO" for s in doc.layers["places"])
    doc = run("نصبت الجماعة كمينا للقوات")
    assert not [s for s in doc.layers["places"] if s.attrs.get("relation") != "demonym"]
    # ك before the article still is one (كالرياض)
    assert places_by_text(run("مدن كالرياض وجدة"))["الرياض"]["country"] == "SA"


def test_smaller_towns_of_the_focus_country_and_coordinated_names():
    # رابغ (~70,000) and خليص are below the safe tagger's floor: in a Saudi article they are
    # towns of the focus country; الليث is coordinated with القنفذة after محافظة
    found = places_by_text(run("أعلنت جامعة الملك عبدالعزيز بجدة عن قبول الطلاب في فرعها برابغ وخليص",
                               locs=("جدة",)))
    assert found["رابغ"]["country"] == "SA" and found["خليص"]["name_en"] == "Khulayş"
    found = places_by_text(run("شهدت محافظة القنفذة والليث أمطارا غزيرة"))
    assert found["القنفذة"]["name_en"] == "Al Qunfudhah" and found["الليث"]["country"] == "SA"
    # with no country to point to, a small town is not guessed
    assert "رابغ" not in places_by_text(run("في فرعها برابغ"))


def test_saudi_governorates_missing_from_geonames_are_found():
    # hand table geo/data/towns.tsv and BGN romanisation read back (geo/romanize.py)
    for name, en in (("بيشة", "Qal‘at Bīshah"), ("تيماء", "Taymā’"), ("رفحاء", "Rafha"),
                     ("ظهران الجنوب", "Dhahran al-Janub")):
        place = lookup_place(name)[0]
        assert (place.name_en, place.country) == (en, "SA")


def test_common_phrases_block_their_words():
    found = places_by_text(run("يحفظ الله حماة الوطن والجنود البواسل"))
    assert "حماة" not in found
    assert places_by_text(run("قصف الطيران مدينة حماة", locs=("حماة",)))["حماة"]["country"] == "SY"


def test_common_words_of_the_title_are_not_taken_for_hamlets():
    # حول is a hamlet of Syria in GeoNames (no population): a title word, not a place;
    # كاليه (74,000) in the title is still taken in the body (test above)
    doc = run("ناقشت الورشة حول التخطيط الاستراتيجي للمدن", title="ورشة عمل حول التخطيط")
    assert "حول" not in places_by_text(doc)


def test_the_division_word_picks_the_country_of_a_province():
    # Saudi regions are منطقة, Yemeni governorates محافظة: the same name الجوف in both
    assert places_by_text(run("أكد أمين منطقة الجوف أن", locs=("الجوف",)))["الجوف"]["country"] == "SA"
    assert places_by_text(run("سيطر الحوثيون على محافظة الجوف", locs=("الجوف",)))["الجوف"]["country"] == "YE"


def run_with_org(text, orgs):
    """`run` with ORG entity spans, as NER gives them for bodies' names."""
    doc = Document(text=text)
    TokenizeStage()(doc)
    doc.layers["entities"] = [Span(text.index(o), text.index(o) + len(o), "ORG") for o in orgs]
    PlaceStage()(doc)
    return places_by_text(doc)


def test_a_place_inside_a_body_named_by_its_territory_is_found():
    # SaudiNewsNet wording: the gold counts the place a police, university or prisons
    # service is named by (tests/resources/README.md), even inside NER's ORG span
    found = run_with_org("إن قوات الأمن دخلت جامعة الانبار في جنوب مدينة الرمادي",
                         ("جامعة الانبار",))
    assert found["الانبار"]["country"] == "IQ"
    found = run_with_org("وقال الناطق الإعلامي لشرطة منطقة مكة المكرمة إن", ("شرطة منطقة مكة المكرمة",))
    assert found["مكة المكرمة"]["country"] == "SA"
    found = run_with_org("وكشف مدير العلاقات بسجون القصيم الملازم", ("سجون القصيم",))
    assert found["القصيم"]["name_en"] == "Al-Qassim"
    # bodies named after a person, and clubs, name no place
    assert not run_with_org("أعلنت جامعة الملك سعود عن قبول الطلاب", ("جامعة الملك سعود",))
    assert "جدة" not in run_with_org("رصد نادي اتحاد جدة عرضا للاعب", ("نادي اتحاد جدة",))


def test_a_place_a_body_stands_in_after_the_preposition_ba_is_found():
    # SaudiNewsNet wording: NER's ORG span runs over "بالجبيل" (the body at Jubail) and on
    # into the next body's name; the place after ب inside it is found, as after a head word
    text = "فرع وزارة العدل الهيئة الملكية بالجبيل جامعة حفر الباطن الشؤون الصحية"
    found = run_with_org(text, ("الهيئة الملكية بالجبيل جامعة حفر الباطن",))
    assert found["الجبيل"]["name_en"] == "Al Jubayl" and found["حفر الباطن"]["country"] == "SA"
    # a body's name whose ب word holds no town is left alone (Planned Parenthood: بلاند)
    assert not run_with_org("وقال اتحاد منظمة بلاند بيرنتهود في بيان", ("منظمة بلاند بيرنتهود",))


def test_a_place_ner_took_for_the_body_after_its_head_word_is_found():
    # SaudiNewsNet wording: NER tags القريات ORG right after محافظ (the governor of Al
    # Qurayyat); the name after a body's head is read as a place
    found = run_with_org("يفتتح المهرجان محافظ القريات المكلف فيصل الشامي بحضور رئيس البلدية",
                         ("القريات",))
    assert found["القريات"]["country"] == "SA"
    # an organisation that no head word precedes stays whole (اتحاد جدة is a club)
    assert "جدة" not in run_with_org("رصد اتحاد جدة عرضا للاعب", ("اتحاد جدة",))


def test_a_province_named_like_its_seat_is_found_without_ner():
    # SaudiNewsNet wording: الباحة (88,000 people, below the safe tagger's 100,000) is a Saudi
    # region and its seat; such names with the article are taken on their own
    found = places_by_text(run("وأفاد بأن غرفة عمليات الهلال الأحمر بالباحة قد تلقت في نفس تلك الفترة 196 بلاغا"))
    assert found["الباحة"]["name_en"] == "Al Bahah"
    assert places_by_text(run("وتقع مدينة السويداء"))["السويداء"]["country"] == "SY"
    # names of that class without the article are also common words: حجة "pretext"، لحج
    for text in ("إلا أن اللاعب رفض بحجة أن ناديه منحه الحد الأعلى",
                 "وأضاف أن استعدادات الوزارة لحج هذا العام تشمل أيضا عدداً من الخطط"):
        assert not [s for s in run(text).layers["places"] if s.attrs.get("relation") != "demonym"], text


def test_saudi_after_a_definite_noun_is_the_adjective_and_birthplace_is_no_muscat():
    # SaudiNewsNet wording, NER tagging السعودية LOC: after a definite noun it is the
    # adjective "Saudi" (a demonym span: it names the country, but is no place on a map)
    for text in ("أعلنت الاتصالات السعودية عن توفيرها إمكانية", "مستوى الدخل العام للأسرة السعودية، فتجد"):
        span = next(s for s in run(text, locs=("السعودية",)).layers["places"])
        assert span.attrs["relation"] == "demonym" and span.attrs["country"] == "SA", text
    # the country itself: after a preposition or an adverb
    for text in ("وصل الوفد إلى السعودية أمس", "ضمن جولة إقليمية شملت حتى الآن السعودية والأردن"):
        span = next(s for s in run(text, locs=("السعودية",)).layers["places"])
        assert "relation" not in span.attrs and span.attrs["country"] == "SA", text
    # مسقط رأس "birthplace" is a stop phrase, not Muscat
    found = places_by_text(run("قصفت مدينة القرداحة (مسقط رأس الرئيس بشار الأسد)", locs=("القرداحة",)))
    assert "مسقط" not in found and found["القرداحة"]["country"] == "SY"
    assert "مسقط" not in places_by_text(run("وحاول الوصول إلى مسقط رأسه في نابلس"))


def test_common_words_the_focus_and_head_rules_took_are_not_places():
    # SaudiNewsNet wording: with Yemen or Jordan the focus country, حرب "war" (Harib) and
    # صاحب السمو (Sahab) were taken as towns of it; a name after حي is a city district the
    # gazetteer lacks, not the namesake town elsewhere (حي الخالدية -> Al Khalidiyah, Jordan)
    for text, loc, word in (
            ("اتهمت هيومن رايتس ووتش الحوثيين في اليمن بارتكاب جرائم حرب", "اليمن", "حرب"),
            ("عمان صدر اليوم بيان مشترك بمناسبة زيارة صاحب السمو الملكي الأمير محمد بن سلمان",
             "عمان", "صاحب"),
            ("اندلع حريق في عمارة سكنية بحي الخالدية في الدمام", "الدمام", "الخالدية")):
        found = places_by_text(run(text, locs=(loc,)))
        # since the eighth round a district is put at its city, flagged (test_places_approximate)
        assert loc in found and (word not in found or found[word]["near"] == loc), text
    # the towns themselves are still found where NER tags them
    assert places_by_text(run("وصلت التعزيزات إلى مديرية حريب", locs=("حريب",)))["حريب"]["country"] == "YE"


def test_listed_governorate_seats_of_the_focus_country_are_found():
    # SaudiNewsNet wording: رفحاء and العيدابي are in the hand table towns.tsv with no
    # population; in a Saudi article they are taken like a town of >= 20,000 of the focus country
    found = places_by_text(run("تلقت غرفة العمليات في الهلال الاحمر برفحاء بلاغا من أحد المواطنين "
                               "عن انقلاب مركبة على طريق الرياض", locs=("الرياض",)))
    assert found["رفحاء"]["name_en"] == "Rafha"
    found = places_by_text(run("في حين أخرجت فرقة من الدفاع المدني بالعيدابي مركبته في منطقة جازان",
                               locs=("جازان",)))
    assert found["العيدابي"]["country"] == "SA"
    # with no country to point to they are not guessed
    assert "رفحاء" not in places_by_text(run("تلقت غرفة العمليات برفحاء بلاغا"))
    # a listed seat whose name is also a common word (العارضة "crossbar") and the phrase
    # الحرث والنسل are not taken by that rule, even in a Saudi article
    found = places_by_text(run("وارتطمت الكرة بالعارضة في مباراة الهلال والنصر بالرياض", locs=("الرياض",)))
    assert "العارضة" not in found
    found = places_by_text(run("أكد أمير منطقة الرياض أن الفئة الضالة خرجت لتهلك الحرث والنسل",
                               locs=("الرياض",)))
    assert "الحرث" not in found
    # after a head word they still are places
    found = places_by_text(run("لمنكر بجازان ممثلاً بفرع الهيئة بمحافظة العارضة", locs=("جازان",)))
    assert found["العارضة"]["name_en"] == "Al Aridah"


def test_turkish_border_towns_and_district_names_are_in_the_gazetteer():
    # dr5hn's Arabic names for the Turkish provinces on the Syrian border, and district
    # names written with قضاء/ناحية indexed without it
    assert [p.name_en for p in lookup_place("سروج")][:1] == ["Suruç"]
    assert "TR" in {p.country for p in lookup_place("ريحانلي")}
    assert "LB" in {p.country for p in lookup_place("عكار")}
    # machine spellings of other Turkish districts that are common words are not read
    assert "TR" not in {p.country for p in lookup_place("إطار") + lookup_place("موت")}
    # الشرقية alone is the Saudi Eastern Province in Saudi usage (غرفة الشرقية)
    assert "SA" in {p.country for p in lookup_place("الشرقية")}


def test_more_saudi_governorate_seats_but_not_common_words():
    # SaudiNewsNet wording (bus/health news): seats of governorates no table held
    found = places_by_text(run("هطلت أمطار غزيرة على محافظة العرضيات، شملت مركز"))
    assert found["العرضيات"]["country"] == "SA"
    found = places_by_text(run("تُمتاز محافظة قلوة بمنطقة الباحة"))
    assert found["قلوة"]["name_en"] == "Qilwah"
    # governorates whose name is mostly a common word stay out of the table
    for word in ("الحريق", "العديد", "القرى"):
        assert "SA" not in {p.country for p in lookup_place(word) if p.feature == "city"
                            and p.key.startswith("rasid:")}
    assert "الحرث" not in places_by_text(run("ويهلك الحرث والنسل والله لا يحب الفساد"))


def test_a_small_town_in_the_dateline_is_found():
    # SaudiNewsNet dateline (writer- source- place:): أضم (Makkah region) is below every
    # population floor, but the dateline says it is where the story comes from
    found = places_by_text(run("عوض الفهمي- سبق- أضم: أعلنت جمعية البر الخيرية عن"))
    assert found["أضم"]["country"] == "SA"
    # further into the text the same word is left alone (كنت أضم نادية: "I hugged")
    assert "أضم" not in places_by_text(run("وطوال الطريق لم أتكلم تقريبا كنت أضم نادية الجالسة"))
    # a plain-text article's text begins with its title line: the dateline is the top of
    # the paragraph after it, or the first line itself (a file of the article without a title)
    title = "جمعية البر تعلن برامجها"
    text = f"{title}\n\nعوض الفهمي- سبق- أضم: أعلنت جمعية البر الخيرية عن"
    found = run(text, title=title).layers["places"]
    assert [(text[s.start:s.end], s.start, s.attrs["country"]) for s in found] == [("أضم", text.index("أضم"), "SA")]
    line = "عوض الفهمي- سبق- أضم: أعلنت جمعية البر الخيرية عن برامجها"
    assert places_by_text(run(f"{line}\n\nوقالت إنها ستبدأ غدا.", title=line))["أضم"]["country"] == "SA"


def test_common_words_the_safe_tagger_took_are_not_places():
    # SaudiNewsNet wording: طراز (a model of aircraft) is not Taraz, جنة in لجنة not Djenné,
    # عاصفة الحزم not Al Hazm (Yemen), شأن not Schaan, نساء not Nassau
    for text in ("وتحطمت الطائرة وهي من طراز إمبراير فينوم 300",
                 "ورغم أن لجنة خاصة قيمت عمل اللجان",
                 "خلال عاصفة الحزم ولتحقيق مزيد من التكاتف",
                 "ورفعت العقارية توصياتها بشأن فرض رسوم",
                 "وظيفة فني تمريض رجال ونساء على برامج التشغيل"):
        assert not [s for s in run(text).layers["places"] if s.attrs.get("relation") != "demonym"], text
    # NER's LOC span still makes a place of such a name (دوما in Rif Dimashq)
    assert places_by_text(run("قصف الطيران مدينة دوما في ريف دمشق", locs=("دوما",)))["دوما"]["country"] == "SY"


def test_regions_states_and_a_name_whose_first_letter_looks_like_a_clitic():
    # SaudiNewsNet wording: NER's span leaves out the ب of بعقوبة (عقوبة is "penalty")
    doc = Document(text="وإصابة 37 آخرين في مدينة بعقوبة شمال شرقي بغداد")
    TokenizeStage()(doc)
    i = doc.text.index("عقوبة")
    doc.layers["entities"] = [Span(i, i + len("عقوبة"), "LOC")]
    PlaceStage()(doc)
    assert places_by_text(doc)["بعقوبة"]["name_en"] == "Baqubah"
    # regions no table held, and US states now have a point (they had none)
    assert places_by_text(run("وهو من اسكوتلندا", locs=("اسكوتلندا",)))["اسكوتلندا"]["country"] == "GB"
    texas = [p for p in lookup_place("تكساس") if p.feature == "admin1"][0]
    assert texas.lat is not None and abs(texas.lat - 31.3) < 1.0


def test_gazetteer_windows_stop_where_no_name_or_stop_phrase_can_continue():
    # a window is looked up only while its words after the first occur inside some
    # gazetteer name or stop phrase; the matches are those of trying every window
    from rasid.arabic.tokenize import tokenize
    from rasid.geo.resolve import _inner_phrases, _window_limit, extract_gazetteer_mentions

    gaz = load_gazetteer()

    def limits(text):
        toks = tokenize(text)
        return toks, {t.text: _window_limit(text, toks, i, min(gaz.max_words, len(toks) - i),
                                            _inner_phrases(gaz)) for i, t in enumerate(toks)}

    text = "وصل الوفد إلى شرم الشيخ صباح أمس"
    toks, lim = limits(text)
    assert lim["شرم"] == 2 and lim["الوفد"] == 1
    assert [text[m.start:m.end] for m in extract_gazetteer_mentions(text, toks, [], gaz)] == ["شرم الشيخ"]
    _, lim = limits("قال حزب حماة الوطن في بيان")
    assert lim["حماة"] == 2  # the stop phrase حماة الوطن is still seen whole, and refused
    _, lim = limits("وصل إلى الدار البيضاء، ثم غادر")
    assert lim["البيضاء"] == 1  # the comma ends every window


@pytest.mark.parametrize("text,kept", [
    # a name right after كأس/دوري/أبطال/بطولة/نادي/منظمة, or two words after خام, names a
    # competition, a club, a crude or an organisation (SaudiNewsNet sentences, CC BY-NC-SA 4.0)
    ("بات سحب تنظيم كأس الخليج 23 والمقررة في الكويت نهاية العام", ["الكويت"]),
    ("في ذهاب ربع نهائي دوري أبطال آسيا لكرة القدم في الرياض", ["الرياض"]),
    ("قال رئيس نادي جدة الأدبي الدكتور عبدالله في الطائف", ["الطائف"]),
    ("خفض البنك توقعاته لسعر خام برنت وخام غرب تكساس الوسيط الأمريكي", []),
    ("وبحسب منظمة الفاو (منظمة الأغذية والزراعة للأمم المتحدة) تراجعت الأسعار في مصر", ["مصر"]),
    # a national team after منتخب/منتخبات (with the names joined to it by و) and the Copa America
    # (issue 14, twenty-seventh round; issue14h25, issue14x23, issue14x26)
    ("التعاقد مع لاعب وسط منتخب تشيلي ارتورو فيدال من يوفنتوس. وقال رومنيجه خلال رحلة الفريق إلى الصين",
     ["الصين"]),
    ("وقوع المنتخب السعودي في المجموعة الحديدية التي تضم منتخبات تونس والكويت وقطر ومصر، في حين ضمت "
     "المجموعة الأولى البلد المستضيف المغرب", ["المغرب"]),
    ("وسجل أنطونيو تويفونا عشرة أهداف لمنتخب فيجي تحت 23 عاماً", []),
    ("في غياب نجمها نيمار دا سيلفا لايقافه في كوبا أميركا عقب طرده في كوبا أميركا في نهاية المباراة", []),
    # twenty-eighth round: باريس before سان جرمان is the club (issue14h18's and issue14h19's sentences)
    ("وذلك عندما يتواجه باريس سان جرمان حامل اللقب وبطل ثلاثية الموسم الماضي", []),
    ("وقال لوران بلان مدرب باريس سان جيرمان إن الفريق جاهز، قبل أن يصل إلى باريس مساء السبت", ["باريس"]),
    # thirty-first round: the Middle East between quote marks is the newspaper (issue14h28's and issue14x31's
    # sentences); the region unquoted stays
    ("وقال مصدر في الموصل لـ«الشرق الأوسط»: «فجر أحد المسلحين مبنى»، وتصاعد التوتر في الشرق الأوسط",
     ["الموصل", "الشرق الأوسط"]),
    ("وحسب وكالة أنباء \"الشرق الأوسط\"، صدر حكم بالسجن في السويد", ["السويد"]),
])
def test_names_of_competitions_clubs_and_crudes_are_not_places(text, kept):
    doc = run(text, locs=[w for w in ("الخليج", "آسيا", "جدة", "تكساس", "الفاو", "تشيلي", "الصين", "تونس",
                                      "الكويت", "فيجي", "كوبا", "أميركا", "باريس", "الشرق الأوسط") if w in text])
    assert [text[s.start:s.end] for s in doc.layers["places"] if s.attrs.get("relation") != "demonym"] == kept


# The title rule's circular vouching (issue 14): a headline word the body takes only because
# the headline has it does not vouch for the headline. Headlines and contexts: SaudiNewsNet
# (Mazen Abdulaziz, CC BY-NC-SA 4.0), the contexts of tests/resources/places-gold.jsonl.
HEADLINED = [
    ("وزارة العمل: التطبيق الإلزامي لبرنامج “حماية الأجور” على جميع منشآت القطاع الخاص السبت المقبل",
     "عين اليوم – الرياض تبدأ وزارة العمل يوم السبت المقبل التطبيق الإلزامي لبرنامج “حماية الأجور” "
     "في مرحلته الثامنة الذي يشمل فئة المنشآت البالغ عدد العاملين بها (130) عاملاً فأكثر.", "الإلزامي"),
    ("«STC» تبث لقاء السوبر السعودي عبر تطبيق «دوري بلس»",
     "أعلنت الاتصالات السعودية \"STC\" عن توفيرها إمكانية متابعة مباراة السوبر السعودي بين فريقي النصر "
     "والهلال عبر تطبيق \"دوري بلس\" وعلى الهواء مباشرة، وكذلك من خلال خدمة جوال دوري بلس، والذي يقام "
     "للمرة الأولى خارج المملكة وعلى ملعب نادي كوينز بارك رينجرز بالعاصمة البريطانية لندن.", "دوري"),
]


def run_headlined(title, text, as_line):
    """`run` with the title apart, or as the text's first line (a plain-text article)."""
    if not as_line:
        return run(text, title=title)
    doc = Document(text=f"{title}\n\n{text}", title=title)
    TokenizeStage()(doc)
    doc.layers["entities"] = []
    return PlaceStage()(doc)


@pytest.mark.parametrize("as_line", [False, True])
@pytest.mark.parametrize("title,text,word", HEADLINED)
def test_a_headline_word_the_body_repeats_is_not_a_place_by_itself(title, text, word, as_line):
    doc = run_headlined(title, text, as_line)
    assert word not in places_by_text(doc)


@pytest.mark.parametrize("as_line", [False, True])
def test_a_title_town_with_evidence_of_its_own_in_the_body_is_taken(as_line):
    # after a head word (مدينة كاليه) or before a nisba of its country (كاليه الفرنسية), every
    # body mention of the title's town is taken; with neither, none is
    title = "أزمة المهاجرين في كاليه"
    for text in ("تفاقمت الأزمة في كاليه. ووصل المهاجرون إلى مدينة كاليه أمس.",
                 "تفاقمت الأزمة في كاليه. ووصل المهاجرون إلى كاليه الفرنسية أمس."):
        doc = run_headlined(title, text, as_line)
        calais = [s for s in doc.layers["places"] if doc.text[s.start:s.end] == "كاليه"]
        assert len(calais) == 2 + as_line and {s.attrs["name_en"] for s in calais} == {"Calais"}
    doc = run_headlined(title, "تفاقمت الأزمة في كاليه. ووصل المهاجرون إليها أمس.", as_line)
    assert "كاليه" not in places_by_text(doc)
