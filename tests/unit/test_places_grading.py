"""The twelfth round of issue 14 (docs/places.md): a division and its seat town written in one
article. Texts are SaudiNewsNet sentences (CC BY-NC-SA 4.0, tests/resources/README.md)."""
from rasid.doc import Document, Span
from rasid.stages.places import PlaceStage
from rasid.stages.tokenize import TokenizeStage


def run(text, locs=()):
    doc = Document(text=text)
    TokenizeStage()(doc)
    starts, spans = 0, []
    for w in locs:  # each in turn, from where the last one ended
        i = text.index(w, starts)
        spans.append(Span(i, i + len(w), "LOC"))
        starts = i + len(w)
    doc.layers["entities"] = spans
    PlaceStage()(doc)
    return [(doc.text[s.start:s.end], s.attrs) for s in doc.layers["places"] if s.attrs.get("relation") != "demonym"]


MADINAH = ("توفي مواطن (19 سنة) بداخل بئر يدوية بمركز الهميج (١٨٠ كم شرق المدينة المنورة) بمحافظة "
           "الحناكية، بعمق ٢٠ مترا، وصرح نائب المتحدث الرسمي للدفاع المدني بمنطقة المدينة المنورة "
           "النقيب نايف محمد الجهني")


def test_the_seat_without_the_head_and_the_division_after_it():
    found = [(t, a["feature"]) for t, a in run(MADINAH) if t == "المدينة المنورة"]
    assert found == [("المدينة المنورة", "city"), ("المدينة المنورة", "admin1")]
    madinah = next(a for t, a in run(MADINAH) if t == "المدينة المنورة")
    assert abs(madinah["lat"] - 24.47) < 0.1 and madinah["alternatives"][0]["country"] == "SA"


def test_an_office_of_the_division_keeps_the_division():
    # أمير تبوك is the region's prince; the university is the town's (gold conventions)
    found = run("وصل أمير تبوك إلى ضباء، وزار مبنى جامعة تبوك، ثم التقى مدير التعليم بمنطقة تبوك",
                locs=("تبوك", "ضباء", "تبوك", "تبوك"))
    features = [a["feature"] for t, a in found if t == "تبوك"]
    assert features == ["admin1", "city", "admin1"]


def test_one_sense_when_every_mention_is_alike():
    # no division head anywhere: the name keeps the one sense the article gives it
    found = run("وصلت الطائرة الإغاثية إلى مطار عدن الدولي، وقال محافظ عدن إن المطار في عدن جاهز",
                locs=("عدن", "عدن", "عدن"))
    assert len({(a["gazetteer_id"]) for t, a in found if t == "عدن"}) == 1


def test_a_stop_name_the_text_marks_as_a_town():
    # ليل "night" and مشهد "scene" are stop names; after مدينة or before the country's
    # feminine nisba they are Lille and Mashhad
    found = dict(run("بدأت في مدينة ليل الفرنسية اليوم أعمال الندوة الدولية حول التناول الإعلامي"))
    assert found["ليل"]["name_en"] == "Lille"
    found = dict(run("أصيب أكثر من 50 زائرا خليجيا بينهم سعوديون في مشهد الإيرانية بتسمم"))
    assert found["مشهد"]["country"] == "IR"


def test_a_stop_name_stays_a_word_without_the_marks():
    for text in ("تجتمع العائلة ليل السبت في مدينة جديدة على الساحل",  # indefinite adjective
                 "في مشهد إيماني يجسد المكانة الدينية",  # no head, no nisba
                 "سيواجه العين الإماراتي في الثاني من شهر أغسطس",  # the club: masculine
                 "درجة الماجستير من جامعة سعودية أو أي جامعة أخرى"):  # indefinite nisba
        assert [t for t, a in run(text)] == [], text


def test_a_town_said_to_be_in_a_division_of_another_country_than_its_namesake():
    # العمران of the table is Amran, Yemen; the text puts it in Al-Ahsa (SaudiNewsNet)
    found = dict(run("نفذ 73 متطوعا من شباب قرية «غمسي» بمدينة العمران في محافظة الاحساء الحملة "
                     "التطوعية", locs=("العمران", "الاحساء")))
    assert found["العمران"]["country"] == "SA" and found["العمران"]["approximate"]
    assert found["العمران"]["near"] == found["الاحساء"]["name"]
    # named with its own country elsewhere in the article, it stays where the table has it
    found = dict(run("قصفت الطائرات مواقع في اليمن، وفي العمران بمحافظة الاحساء أقيمت الحملة",
                     locs=("اليمن", "العمران", "الاحساء")))
    assert found["العمران"]["country"] == "YE"


def test_a_small_town_the_text_puts_in_its_division():
    # Lawdar (no population figure) in Abyan, Al-Uqair in Al-Ahsa: the safe tagger refuses
    # them; the division named right after vouches for them
    found = dict(run("وفي جبهة لودر بمحافظة أبين، أفادت مصادر محلية أن حسم المعارك بات وشيكا",
                     locs=("أبين",)))
    assert found["لودر"]["name_en"] == "Lawdar"
    found = dict(run("توفي شخص في حادث سير وقع بعد كبري الجشه اتجاه العقير بمحافظة الاحساء",
                     locs=("الاحساء",)))
    assert found["العقير"]["country"] == "SA"
    # a division of another country does not vouch for the namesake
    assert "لودر" not in dict(run("وفي جبهة لودر بمحافظة جدة", locs=("جدة",)))


def test_a_distance_and_a_direction_from_a_place_give_the_point():
    # a centre no table holds, 180 km east / 270 km north-west of Medina (SaudiNewsNet)
    found = dict(run("تلقى الدفاع المدني بلاغا عن سقوط شخص ببئر في مركز الهميج (١٨٠ كم شرق المدينة المنورة)."))
    hum = found["الهميج"]
    assert hum["approximate"] and hum["near"] == "المدينة المنورة"
    assert abs(hum["lat"] - 24.47) < 0.1 and abs(hum["lon"] - 41.39) < 0.1
    found = dict(run("تبلغ صباح أمس عن سقوط مقيم في بئر بمركز المرمية (٢٧٠ كلم شمال غرب المدينة المنورة)"))
    mar = found["المرمية"]
    assert mar["lat"] > 25.9 and mar["lon"] < 38.0


def test_an_epithet_that_is_a_common_word_after_its_heads():
    # طيبة is Medina after a festival, season, university or its people; an adjective elsewhere
    for text in ("فنون في المنطقة ضمن أنشطة وفعاليات (عيد طيبة 36)، أبرز معالم المنطقة",
                 "خالفت كلية الهندسة في جامعة طيبة تأكيد رئيس الجامعة"):
        found = dict(run(text))
        assert found["طيبة"]["name_en"] == "Madinah", text
    assert run("تربطنا علاقات طيبة مع الجميع") == []


def test_a_stop_name_coordinated_with_a_town_of_its_country():
    found = dict(run("وذلك في الواجهة البحرية والمجمعات التجارية في الخبر والدمام والقطيف"))
    assert found["الخبر"]["name_en"] == "Khobar"
    found = dict(run("وقع حادث مروري على الطريق السريع بين القصيم والمدينة أمس"))
    assert found["المدينة"]["name_en"] == "Madinah"
    assert "الخبر" not in dict(run("وفور إعلانها بالخبر، انتشر في الرياض وجدة"))


def test_country_spellings_with_jim_an_article_or_a_conjunction():
    # جواتيمالا (the table: غواتيمالا), النيبال (نيبال), ونيوزلندا (و taken into NER's span)
    found = dict(run("زلزال قوته 5.1 درجة هز عاصمة جواتيمالا اليوم", locs=("جواتيمالا",)))
    assert found["جواتيمالا"]["country"] == "GT"
    found = dict(run("لإغاثة شعب النيبال بمطار تريبوفان الدولي بالعاصمة كاتماندو", locs=("النيبال", "كاتماندو")))
    assert found["النيبال"]["country"] == "NP"
    found = dict(run("مثل أستراليا ونيوزلندا وأمريكا الجنوبية", locs=("أستراليا", "ونيوزلندا", "أمريكا الجنوبية")))
    assert found["نيوزلندا"]["country"] == "NZ"
