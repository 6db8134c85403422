"""Unit tests for the dates stage: each category, unknown publication date, false positives."""
from __future__ import annotations

import pytest

from rasid.doc import Document
from rasid.eval.dates import DEFAULT_GOLD, evaluate_dates, load_gold
from rasid.stages.calendars import convert_gregorian_to_hijri, convert_hijri_to_gregorian
from rasid.stages.dates import (
    DateStage,
    extract_dates,
)

PUB = "2015-11-14"  # a Saturday

CASES = [
    # (text, expression, value, granularity)
    ("وقعت الهجمات في 13 نوفمبر 2015 في باريس", "13 نوفمبر 2015", "2015-11-13", "day"),
    ("صدر القرار بتاريخ ١٣/١١/٢٠١٥ رسميا", "١٣/١١/٢٠١٥", "2015-11-13", "day"),
    ("صدر القرار بتاريخ 13-11-2015 رسميا", "13-11-2015", "2015-11-13", "day"),
    ("وفي 2015-11-13 أعلن", "2015-11-13", "2015-11-13", "day"),
    ("قتل العشرات الجمعة 13 نوفمبر 2015 في باريس", "الجمعة 13 نوفمبر 2015", "2015-11-13", "day"),
    ("وقعت يوم 13 نوفمبر في باريس", "يوم 13 نوفمبر", "2015-11-13", "day"),
    ("في باريس يوم 13 نوفمبر/تشرين الثاني 2015.", "يوم 13 نوفمبر/تشرين الثاني 2015", "2015-11-13", "day"),
    ("في 13 تشرين الثاني/نوفمبر 2015", "13 تشرين الثاني/نوفمبر 2015", "2015-11-13", "day"),
    ("في 5 يونيو (حزيران) 2014", "5 يونيو (حزيران) 2014", "2014-06-05", "day"),
    ("منذ 3 يوليه 2013", "منذ 3 يوليه 2013", "2013-07-03", "day"),
    ("في 12 إبريل 2015", "12 إبريل 2015", "2015-04-12", "day"),
    ("في 12 شباط 2015", "12 شباط 2015", "2015-02-12", "day"),
    ("في 20 أيار 2015", "20 أيار 2015", "2015-05-20", "day"),
    ("في 13 نونبر 2015 بالرباط", "13 نونبر 2015", "2015-11-13", "day"),
    ("في 13 دجنبر 2015", "13 دجنبر 2015", "2015-12-13", "day"),
    ("يوم 5 جويلية 1962 في الجزائر", "يوم 5 جويلية 1962", "1962-07-05", "day"),
    ("في 20 أوت 1955", "20 أوت 1955", "1955-08-20", "day"),
    ("في 14 جانفي 2011 بتونس", "14 جانفي 2011", "2011-01-14", "day"),
    ("في ماي 2015", "ماي 2015", "2015-05", "month"),
    ("في 6 آب 2014", "6 آب 2014", "2014-08-06", "day"),
    # Hijri
    ("في 15 رمضان 1436 هـ", "15 رمضان 1436 هـ", "2015-07-02", "day"),
    ("في 26 شوال 1436هـ", "26 شوال 1436هـ", "2015-08-11", "day"),
    ("صدر عام 1436هـ", "عام 1436هـ", "2014-10-25/2015-10-13", "year"),
    ("يوم 3 ذو الحجة 1436 هـ", "يوم 3 ذو الحجة 1436 هـ", "2015-09-16", "day"),  # Umm al-Qura: 1 = 14 Sep
    ("في 10/10/1436هـ", "10/10/1436هـ", "2015-07-26", "day"),
    # years and ranges
    ("في عام 2015 تغير كل شيء", "عام 2015", "2015", "year"),
    ("تعمل منذ عام 2010 في المدينة", "منذ عام 2010", "2010", "year"),
    ("بين عامي 2013 و2014 ارتفعت", "بين عامي 2013 و2014", "2013/2014", "range"),
    ("من 2013 إلى 2014 ارتفعت", "من 2013 إلى 2014", "2013/2014", "range"),
    ("تأسست 2015م في جدة", "2015م", "2015", "year"),
    ("كان ذلك في الثمانينيات", "الثمانينيات", "198", "decade"),
    ("من 4 إلى 6 أغسطس المقبل", "من 4 إلى 6 أغسطس المقبل", "2016-08-04/2016-08-06", "range"),
    # relative, resolved against PUB (Saturday 2015-11-14)
    ("قال أمس إن", "أمس", "2015-11-13", "day"),
    ("أعلن اليوم أن", "اليوم", "2015-11-14", "day"),
    ("يصل غدا إلى", "غدا", "2015-11-15", "day"),
    ("وصل غداً إلى", "غداً", "2015-11-15", "day"),
    ("وصل أول أمس إلى", "أول أمس", "2015-11-12", "day"),
    ("وصل أول من أمس إلى", "أول من أمس", "2015-11-12", "day"),
    ("وقع الهجوم الجمعة الماضية", "الجمعة الماضية", "2015-11-13", "day"),
    ("وقع الهجوم يوم الجمعة في باريس", "يوم الجمعة", "2015-11-13", "day"),
    ("يجتمع يوم الخميس المقبل", "يوم الخميس المقبل", "2015-11-19", "day"),
    ("اجتمع اليوم (السبت) الوزراء", "اليوم (السبت)", "2015-11-14", "day"),
    ("زار الأسبوع الماضي", "الأسبوع الماضي", "2015-W45", "week"),
    ("زار الشهر الماضي", "الشهر الماضي", "2015-10", "month"),
    ("زار العام الماضي", "العام الماضي", "2014", "year"),
    ("سيزور العام المقبل", "العام المقبل", "2016", "year"),
    ("سيزور الشهر المقبل", "الشهر المقبل", "2015-12", "month"),
    ("في يناير/كانون الثاني الماضي", "يناير/كانون الثاني الماضي", "2015-01", "month"),
    ("في نوفمبر/تشرين الثاني الماضي", "نوفمبر/تشرين الثاني الماضي", "2014-11", "month"),
    ("في نوفمبر بدأت", "نوفمبر", "2015-11", "month"),
    ("وقع منذ 3 أيام", "منذ 3 أيام", "2015-11-11", "day"),
    ("وقع قبل يومين", "قبل يومين", "2015-11-12", "day"),
    ("وقع قبل ثلاثة أشهر", "قبل ثلاثة أشهر", "2015-08", "month"),
    ("في مارس من العام الماضي", "مارس من العام الماضي", "2014-03", "month"),
]


@pytest.mark.parametrize("text,expr,value,gran", CASES)
def test_extract_dates(text, expr, value, gran):
    spans = extract_dates(text, PUB)
    found = [(text[s.start:s.end], s.attrs["value"], s.attrs["granularity"]) for s in spans]
    assert (expr, value, gran) in found, found
    span = next(s for s in spans if text[s.start:s.end] == expr)
    assert span.label == "DATE"
    assert span.attrs["resolved"] is True


def test_hijri_attrs_and_calendar():
    (span,) = extract_dates("في 15 رمضان 1436 هـ", PUB)
    assert span.attrs["calendar"] == "hijri" and span.attrs["hijri"] == "1436-09-15"
    assert convert_hijri_to_gregorian(1436, 10, 1).isoformat() == "2015-07-17"
    assert convert_gregorian_to_hijri(convert_hijri_to_gregorian(1440, 3, 7)) == (1440, 3, 7)


def test_range_attrs():
    (span,) = extract_dates("بين عامي 2013 و2014", PUB)
    assert span.attrs["range_start"] == "2013" and span.attrs["range_end"] == "2014"


def test_since_relation():
    (span,) = extract_dates("منذ عام 2010", PUB)
    assert span.attrs["relation"] == "since"


@pytest.mark.parametrize("text,expr,gran", [
    ("قال أمس إن", "أمس", "day"),
    ("وقع الهجوم الجمعة الماضية", "الجمعة الماضية", "day"),
    ("زار العام الماضي", "العام الماضي", "year"),
    ("في يناير/كانون الثاني الماضي", "يناير/كانون الثاني الماضي", "month"),
    ("وقع منذ 3 أيام", "منذ 3 أيام", "day"),
])
def test_unknown_publication_date_keeps_unresolved(text, expr, gran):
    spans = extract_dates(text, None)
    assert [(text[s.start:s.end], s.attrs["value"], s.attrs["resolved"], s.attrs["relative"], s.attrs["granularity"])
            for s in spans] == [(expr, None, False, True, gran)]


def test_absolute_date_without_publication():
    (span,) = extract_dates("في 13 نوفمبر 2015", None)
    assert span.attrs["value"] == "2015-11-13" and span.attrs["relative"] is False


@pytest.mark.parametrize("text", [
    "قال رمضان عبدالله إن الفريق جاهز",
    "أعلنت جمعية الهلال الأحمر",          # الجمعة inside جمعية
    "بعد صلاة الجمعة في المسجد",          # a prayer, not a date
    "قتل 2015 شخصا في الحادث",            # bare number
    "اشترى 13 سيارة و45 منزلا",
    "مارس الضغط على الحكومة",             # مارس the verb
    "كان الأب آب يعمل",                   # آب without a number
    "ماي فريند",                          # ماي without a number
    "أوت الكلمة",
    "عندما مددت يدي لكي أمسك الباب",      # أمسك is not أمس
    "مراعاة جوانب السلامة",               # جوان inside جوانب
    "والاثنان في الثمانينات من العمر",    # an age, not a decade
    "في اليوم التالي للحادث",              # not today
    "اشترى سيارة نيسان جديدة",
    "بلغ الرقم 1,949 مليون ريال",
])
def test_false_positives(text):
    assert extract_dates(text, PUB) == []


def test_offsets_point_into_original_text_with_diacritics():
    text = "وَصَلَ أَمْسِ، وفي ١٣ نُوفَمْبِر ٢٠١٥ غادَرَ"
    spans = extract_dates(text, PUB)
    assert [text[s.start:s.end] for s in spans] == ["أَمْسِ", "١٣ نُوفَمْبِر ٢٠١٥"]


def test_stage_adds_layer():
    doc = Document(text="وصل الوزير أمس إلى باريس", published="2015-11-14T10:00:00")
    DateStage()(doc)
    (span,) = doc.layers["dates"]
    assert doc.text[span.start:span.end] == "أمس" and span.attrs["value"] == "2015-11-13"


def test_gold_accuracy_floor_on_test_split():
    rows = load_gold(DEFAULT_GOLD, "test", "first")
    assert len(rows) >= 100
    result = evaluate_dates(rows)
    assert result["exact"] >= 95.0, result["errors"]


def test_gold_accuracy_floor_on_issue14_test_split():
    # the second gold batch (SaudiNewsNet, ranges/ordinals/Hijri/relative months); never tuned on
    rows = load_gold(DEFAULT_GOLD, "test", "issue14")
    assert len(rows) >= 80
    result = evaluate_dates(rows)
    assert result["exact"] >= 95.0, result["errors"]  # 87.1 after the second round, 91.8 the third, 95.3 the fifth


def test_gold_accuracy_floor_on_the_held_out_third_batch():
    # issue14b: annotated before any run and never tuned on (tests/resources/README.md)
    rows = load_gold(DEFAULT_GOLD, "all", "issue14b")
    assert len(rows) >= 80
    assert evaluate_dates(rows)["exact"] >= 96.0  # 94.0 when set, 95.2 after the third round, 96.4 since


def test_gold_accuracy_floor_on_the_clean_fourth_batch():
    # issue14c: every 197th SaudiNewsNet article, annotated before any run, never tuned on
    rows = load_gold(DEFAULT_GOLD, "all", "issue14c")
    assert len(rows) >= 100
    assert evaluate_dates(rows)["exact"] >= 95.0  # 89.2 before and after the fourth round, 95.5 the fifth


def test_gold_accuracy_floor_on_the_held_out_issue14k():
    # every 197th article from line 170, annotated after the fifth round and never tuned on
    rows = load_gold(DEFAULT_GOLD, "all", "issue14k")
    assert len(rows) >= 70
    assert evaluate_dates(rows)["exact"] >= 95.0  # 94.3 at 1bf1092, 95.7 after the fifth round


def test_gold_accuracy_floor_on_the_fifth_round_dev_batches():
    # issue14d-j: 604 expressions of unused articles, annotated before any run, tuned on
    # (90.2 before the fifth round, 98.8 after it)
    rows = [r for b in ("issue14d", "issue14e", "issue14f", "issue14g", "issue14h", "issue14i", "issue14j")
            for r in load_gold(DEFAULT_GOLD, "dev", b)]
    assert len(rows) >= 600
    assert evaluate_dates(rows)["exact"] >= 98.5


PUB_AUG = "2015-08-05"  # a Wednesday; 20 Shawwal 1436 on the Umm al-Qura calendar

NEWS_CASES = [
    # ranges become one interval
    ("تقام من 3 إلى 7 رمضان 1436هـ", "من 3 إلى 7 رمضان 1436هـ", "2015-06-20/2015-06-24", "range"),
    ("تقام من 3 إلى 7 رمضان المقبل", "من 3 إلى 7 رمضان المقبل", "2016-06-08/2016-06-12", "range"),
    ("في الفترة بين 10 و12 مارس المقبل", "بين 10 و12 مارس المقبل", "2016-03-10/2016-03-12", "range"),
    ("ارتفعت الأسعار خلال عامي 2010 و2011", "عامي 2010 و2011", "2010/2011", "range"),
    ("يقام المعرض 10–12/3/2016 في جدة", "10–12/3/2016", "2016-03-10/2016-03-12", "range"),
    ("من 28 يوليو إلى 3 أغسطس", "من 28 يوليو إلى 3 أغسطس", "2015-07-28/2015-08-03", "range"),
    ("للعام الدراسي 1436/1437هـ", "1436/1437هـ", "2014-10-25/2016-10-01", "range"),
    # ordinal day words
    ("هجمات العاشر من سبتمبر", "العاشر من سبتمبر", "2015-09-10", "day"),
    ("حتى الحادي والثلاثين من ديسمبر 2014", "الحادي والثلاثين من ديسمبر 2014", "2014-12-31", "day"),
    ("في الثالث عشر من شهر يونيو 2014", "الثالث عشر من شهر يونيو 2014", "2014-06-13", "day"),
    # Hijri on Umm al-Qura, both orders of day and year
    ("الموافق 1437/3/5هـ", "1437/3/5هـ", "2015-12-16", "day"),
    ("الموافق 5/3/1437هـ", "5/3/1437هـ", "2015-12-16", "day"),
    ("في 1 ربيع الأول 1437هـ", "1 ربيع الأول 1437هـ", "2015-12-12", "day"),
    ("في رمضان الماضي", "رمضان الماضي", "2015-06-18/2015-07-16", "month"),
    ("منتصف شهر ذي القعدة المقبل", "شهر ذي القعدة المقبل", "2015-08-16/2015-09-13", "month"),
    # الجاري / الحالي with and without a month name
    ("يوم الأحد 9 الجاري", "يوم الأحد 9 الجاري", "2015-08-09", "day"),
    ("في الخامس من الشهر الجاري", "الخامس من الشهر الجاري", "2015-08-05", "day"),
    ("في 3 من الشهر الماضي", "3 من الشهر الماضي", "2015-07-03", "day"),
    ("خلال شهر شوال الجاري", "شهر شوال الجاري", "2015-07-17/2015-08-15", "month"),
    # المقبل with a month name: the next such month, never a year late
    ("يبدأ في 25 أغسطس المقبل", "25 أغسطس المقبل", "2015-08-25", "day"),
    ("يبدأ في سبتمبر المقبل", "سبتمبر المقبل", "2015-09", "month"),
    ("انتهى في 2 أغسطس الماضي", "2 أغسطس الماضي", "2015-08-02", "day"),
    # a printed weekday overrides a collection date that disagrees
    ("يوم الخميس 30 الجاري", "يوم الخميس 30 الجاري", "2015-07-30", "day"),
    ("الثلاثاء 6 يناير", "الثلاثاء 6 يناير", "2015-01-06", "day"),
    ("الأربعاء 6 يناير", "الأربعاء 6 يناير", "2016-01-06", "day"),
    ("يوم الثلاثاء 19 شوال 1436هـ", "يوم الثلاثاء 19 شوال 1436هـ", "2015-08-04", "day"),
    # third round: ordinal ranges, a day-only first half, لل before an ordinal, أول/غرة,
    # N لشهر, a space before the year
    ("من الأول إلى الخامس من سبتمبر", "من الأول إلى الخامس من سبتمبر", "2015-09-01/2015-09-05", "range"),
    ("من الأول إلى العاشر من ذي الحجة", "من الأول إلى العاشر من ذي الحجة", "2015-09-14/2015-09-23", "range"),
    ("من 8 إلى 29 / 11 / 1433هـ", "من 8 إلى 29 / 11 / 1433هـ", "2012-09-24/2012-10-15", "range"),
    ("الموافق للسادس والعشرين من مارس 2015م", "للسادس والعشرين من مارس 2015م", "2015-03-26", "day"),
    ("منذ أول شوال الجاري", "منذ أول شوال الجاري", "2015-07-17", "day"),
    ("يوم غرة رمضان 1436هـ", "يوم غرة رمضان 1436هـ", "2015-06-18", "day"),
    ("اعتبارا من أول يوليو", "أول يوليو", "2015-07-01", "day"),
    ("في 2 لشهر يوليو الحالي", "2 لشهر يوليو الحالي", "2015-07-02", "day"),
    ("بتاريخ 23 / 8 2015م", "23 / 8 2015م", "2015-08-23", "day"),
    # a Hijri month alone after a cue word: this Hijri year's (رمضان 1436 in August 2015)
    # (its epithet is part of the name: the span convention of the issue14d/e gold)
    ("خلال رمضان المبارك", "رمضان المبارك", "2015-06-18/2015-07-16", "month"),
    # a year after عام with neither هـ nor م, in the Hijri range, is Hijri (Saudi news)
    ("بدأ العمل بالنظام عام 1435 في المنافذ", "عام 1435", "2013-11-04/2014-10-24", "year"),
    ("في موازنة العام 1435/1436", "العام 1435/1436", "2013-11-04/2015-10-13", "range"),
    ("تسميمه في العام 1970م", "العام 1970م", "1970", "year"),
    # an ordinal after النصف/الأسبوع is no day: only the month is a date
    ("جرت في النصف الثاني من يوليو", "يوليو", "2015-07", "month"),
    # two written-out days joined by من ... إلى/حتى are one interval
    ("خلال الفترة من 1436/11/1هـ إلى 1436/11/30هـ", "من 1436/11/1هـ إلى 1436/11/30هـ",
     "2015-08-16/2015-09-14", "range"),
    ("من 5 أغسطس 2015 إلى 10 سبتمبر 2015", "من 5 أغسطس 2015 إلى 10 سبتمبر 2015",
     "2015-08-05/2015-09-10", "range"),
]


@pytest.mark.parametrize("text,expr,value,gran", NEWS_CASES)
def test_news_phenomena(text, expr, value, gran):
    spans = extract_dates(text, PUB_AUG)
    found = [(text[s.start:s.end], s.attrs["value"], s.attrs["granularity"]) for s in spans]
    assert (expr, value, gran) in found, found


def test_umm_al_qura_not_tabular():
    # 1 Rabi al-Awwal 1437 is 12 Dec 2015 on Umm al-Qura; the tabular calendar says the 13th
    assert convert_hijri_to_gregorian(1437, 3, 1).isoformat() == "2015-12-12"
    # administrative dates follow the printed calendar: 4 Dhu al-Hijja 1436 (start of the Eid break)
    assert convert_hijri_to_gregorian(1436, 12, 4).isoformat() == "2015-09-17"


def test_hijri_weekday_one_day_off_follows_weekday():
    # the printed calendar gives Wednesday 5 Aug for 20 Shawwal; a paper writing الخميس meant the 6th
    (span,) = extract_dates("يوم الخميس 20 شوال 1436هـ", PUB_AUG)
    assert span.attrs["value"] == "2015-08-06" and span.attrs["hijri"] == "1436-10-20"


def test_unresolvable_date_keeps_expression_and_says_why():
    text = "في 31 نوفمبر 2015 وقع"
    (span,) = extract_dates(text, PUB_AUG)
    assert text[span.start:span.end] == "31 نوفمبر 2015"
    assert span.attrs["value"] is None and span.attrs["resolved"] is False and span.attrs["reason"] == "no such day"
    (span,) = extract_dates("يوم الأحد 9 الجاري", None)
    assert span.attrs["value"] is None and span.attrs["reason"] == "no publication date"


def test_ordinal_words_regex_is_a_trie_with_the_same_words():
    import re

    from rasid.stages.date_words import _ORD, _ORDINALS, convert_words_to_regex

    rx = re.compile(_ORD)
    assert all(rx.fullmatch(w) for w in _ORDINALS)
    assert rx.match("الحادي والعشرين من").group() == "الحادي والعشرين"  # the longer word wins
    assert not rx.fullmatch("الحادي") and not rx.fullmatch("السادس وال")
    assert re.fullmatch(convert_words_to_regex(["ab", "a b"]), "a  b")


def test_a_relative_day_keeps_its_own_span_in_a_range():
    text = "بدءا من اليوم حتى التاسع عشر من الشهر الحالي"
    found = [(text[s.start:s.end], s.attrs["value"]) for s in extract_dates(text, PUB_AUG)]
    assert found == [("اليوم", "2015-08-05"), ("التاسع عشر من الشهر الحالي", "2015-08-19")]
    text = "ولد في 5 مارس 1990 وتوفي في 10 مايو 2000"  # no من before the first: two dates
    assert [s.attrs["granularity"] for s in extract_dates(text, PUB_AUG)] == ["day", "day"]


def test_this_month_with_next_early_in_the_month_and_years_of_a_count():
    # SaudiNewsNet (market report of 2 August): "August trading to come" is this August
    text = "ومن المتوقع في تداولات الأسبوع الجاري وتداولات أغسطس القادمة استمرار الحالة"
    got = {text[s.start:s.end]: s.attrs["value"] for s in extract_dates(text, "2015-08-02")}
    assert got["أغسطس القادمة"] == "2015-08"
    # later in the month it is next year's
    assert [s.attrs["value"] for s in extract_dates("في أغسطس المقبل", "2015-08-20")] == ["2016-08"]
    # "the past eighty years" is a count, not last year; with the article it is last year
    assert not extract_dates("شغل المنصب، خلال الثمانين سنة الماضية، أشهر الشعراء", "2015-07-21")
    assert [s.attrs["value"] for s in extract_dates("خلال السنة الماضية", "2015-07-21")] == ["2014"]
    assert [s.attrs["value"] for s in extract_dates("بنهاية النصف الأول للعام الحالي", "2015-07-21")] == ["2015"]


def test_day_after_tomorrow_with_tanween_and_a_day_counted_from_an_event():
    # SaudiNewsNet wording: "بعد غدًا" is the day after tomorrow, not tomorrow
    text = "يخوض اللاعب سعود الحقباني بعد غدًا بطولة السوبر"
    assert [(text[s.start:s.end], s.attrs["value"]) for s in extract_dates(text, "2015-08-01")] \
        == [("بعد غدًا", "2015-08-03")]
    # "one day after his imam's call" counts from another event, not from publication
    assert not extract_dates("ويأتي رفض الأزهر بعد يوم واحد من دعوة إمامه", "2015-07-24")


def test_a_numeric_range_after_min_tarikh():
    # SaudiNewsNet (a registration notice): "from the date 1 to 30/11/1436" is one interval
    text = "وذلك بدءاً من تاريخ 1 إلى 30/ 11/ 1436هـ خلال الدوام الرسمي"
    got = [(text[s.start:s.end], s.attrs["value"]) for s in extract_dates(text, "2015-08-03")]
    assert got == [("من تاريخ 1 إلى 30/ 11/ 1436هـ", "2015-08-16/2015-09-14")]


def test_gold_accuracy_floor_on_the_sixth_round_dev_batches():
    # issue14l/m: 173 expressions of unused articles, annotated before any run (first run:
    # 94.5 / 95.1, the round's unread figure), then tuned on: 97.8 / 97.6
    rows = [r for b in ("issue14l", "issue14m") for r in load_gold(DEFAULT_GOLD, "dev", b)]
    assert len(rows) >= 170
    assert evaluate_dates(rows)["exact"] >= 97.5


def test_gold_accuracy_floor_on_the_held_out_issue14n():
    # every 197th article from line 130, annotated after the sixth round and never tuned on
    rows = load_gold(DEFAULT_GOLD, "all", "issue14n")
    assert len(rows) >= 70
    # 93.2 at 36f97a7, 94.5 after the sixth round (held out); its misses read in the eighth: 97.3
    assert evaluate_dates(rows)["exact"] >= 97.0


def test_gold_accuracy_floor_on_the_eighth_round_dev_batches():
    # issue14o/p/q: 256 expressions of unused articles, each annotated before any run (first
    # runs 89.5 / 95.2 / 94.2, the round's unread figures), then tuned on: 96.5 / 100 / 94.2
    rows = [r for b in ("issue14o", "issue14p", "issue14q") for r in load_gold(DEFAULT_GOLD, "dev", b)]
    assert len(rows) >= 250
    assert evaluate_dates(rows)["exact"] >= 96.5


def test_gold_accuracy_floor_on_the_eighth_round_held_out_batches():
    # issue14r (every 197th article from 180): 92.6 measured once, 95.1 after two classes read
    # from its misses, 97.5 after the ninth round; issue14s (from 190), annotated after those:
    # 94.1 measured once, 98.8 after three classes read from it; issue14t (from 40), annotated
    # after those: 94.7 measured once, 97.9 after the ninth round's classes (docs/dates.md)
    r, s, t = (load_gold(DEFAULT_GOLD, "all", b) for b in ("issue14r", "issue14s", "issue14t"))
    assert len(r) >= 80 and len(s) >= 80 and len(t) >= 90
    assert evaluate_dates(r)["exact"] >= 97.5
    assert evaluate_dates(s)["exact"] >= 98.5
    assert evaluate_dates(t)["exact"] >= 97.5


def test_gold_accuracy_floor_on_the_ninth_round_dev_batches():
    # issue14u/v/w: 221 expressions of unused articles (residues 196, 186, 166), each annotated
    # and committed before any run; first runs 96.5 / 97.1 / 98.5, the round's unread figures
    rows = [r for b in ("issue14u", "issue14v", "issue14w") for r in load_gold(DEFAULT_GOLD, "dev", b)]
    assert len(rows) >= 220
    assert evaluate_dates(rows)["exact"] >= 97.0


def test_gold_accuracy_floor_on_the_tenth_round_batches():
    # issue14da/db/dc: 283 expressions of unused articles (residues 194, 184, 174), each annotated
    # and committed before any run; first runs 93.1 (on 87 lines) / 92.0 / 94.4, then 95.5 / 96.6 /
    # 94.4 after the round's classes; issue14dh (residues 164, 154), annotated after them, run
    # once: 95.7, 96.9 after two classes read from it; issue14dhh (residues 144, 134), annotated
    # after the last change, run once: 96.4 (docs/dates.md, "Tenth round")
    dev = [r for b in ("issue14da", "issue14db", "issue14dc") for r in load_gold(DEFAULT_GOLD, "dev", b)]
    held, last = (load_gold(DEFAULT_GOLD, "test", b) for b in ("issue14dh", "issue14dhh"))
    assert len(dev) >= 280 and len(held) >= 160 and len(last) >= 160
    assert evaluate_dates(dev)["exact"] >= 95.0
    assert evaluate_dates(held)["exact"] >= 96.5
    assert evaluate_dates(last)["exact"] >= 96.0


def test_gold_accuracy_floor_on_the_eleventh_round_batches():
    # issue14fa/fb (residues 124; 114 and 104) annotated and committed before any run: first runs
    # 95.7 / 96.5; issue14fc (residue 94), annotated after the round's first classes, run once:
    # 95.0; issue14fh (residues 84, 74), annotated after the next ones, run once: 94.0, 96.6 after
    # three classes read from it; issue14fi (residues 64, 54), annotated after the last change,
    # run once: 94.5, 97.6 after the follow-up's relative Hijri years; issue14fk (residues 146,
    # 136), annotated after those, run once: 97.5 (docs/dates.md, "Eleventh round" and its follow-up)
    dev = [r for b in ("issue14fa", "issue14fb", "issue14fc") for r in load_gold(DEFAULT_GOLD, "dev", b)]
    held, last, follow = (load_gold(DEFAULT_GOLD, "test", b) for b in ("issue14fh", "issue14fi", "issue14fk"))
    assert len(dev) >= 310 and len(held) >= 145 and len(last) >= 125 and len(follow) >= 160
    assert evaluate_dates(dev)["exact"] >= 97.5
    assert evaluate_dates(held)["exact"] >= 96.5
    assert evaluate_dates(last)["exact"] >= 97.0
    assert evaluate_dates(follow)["exact"] >= 97.0


#: the batches of the twelfth round of issue 14 and later (docs/dates.md, each round's section):
#: (batches, split, at least this many lines, exact accuracy at least), one row a measured group
ROUND_FLOORS = [
    # twelfth: issue14ga (residue 2) and issue14gb (residue 12), annotated and committed before
    # any run: first runs 96.4 / 93.7; 97.6 / 93.7 after the round's classes; issue14gh (residue
    # 22), annotated after the round's last code change, run once: 98.1
    (("issue14ga", "issue14gb"), "dev", 175, 95.0),
    (("issue14gh",), "test", 100, 97.0),
    # thirteenth: issue14ha (residues 48, 68), annotated and committed before any run: first run
    # 96.3; 97.6 after the round's class and two lines corrected to the conventions; issue14hh
    # (residue 78), annotated after the round's last code change, run once: 95.0
    (("issue14ha",), "dev", 160, 97.0),
    (("issue14hh",), "test", 100, 94.0),
    # fourteenth: issue14ia (residue 88) and issue14ib (residues 98, 108), annotated and committed
    # before any run: first runs 96.4 / 94.2; 97.6 / 96.8 after the round's two classes and two ib
    # lines corrected to the conventions; issue14ih (residues 118, 128), held out: first run 93.8,
    # 95.0 after the two classes read from it; issue14ik (residues 138, 148), annotated after the
    # round's last code change, run once: 95.1
    (("issue14ia", "issue14ib"), "dev", 235, 96.5),
    (("issue14ih",), "test", 160, 94.5),
    (("issue14ik",), "test", 160, 94.0),
    # fifteenth: issue14ja (residues 168, 178), annotated and committed before any run: first run
    # 96.6, 97.9 after the round's classes; issue14jh (residues 188, 4), annotated after the
    # round's last code change, run once: 96.4
    (("issue14ja",), "dev", 145, 97.5),
    (("issue14jh",), "test", 190, 96.0),
    # sixteenth: issue14ka (residues 151, 161 in part), annotated and committed before any run:
    # first run 96.9, 98.5 after one span re-read and the round's class; issue14kh (residues 171,
    # 183 in part), annotated after the round's last code change, run once: 98.1
    (("issue14ka",), "dev", 130, 98.0),
    (("issue14kh",), "test", 106, 98.0),
    # seventeenth: issue14la (residues 192, 182), annotated and committed before any run: first
    # run 97.9, 98.6 after the round's classes; issue14lh (residues 172, 162 in part), annotated
    # after the round's last code change, run once: 97.0
    (("issue14la",), "dev", 146, 98.5),
    (("issue14lh",), "test", 133, 96.5),
    # eighteenth: issue14ma (residues 152, 142), annotated and committed before any run: first
    # run 95.6, 97.8 after the round's classes and two lines re-read to the conventions;
    # issue14mh (residues 132, 122), annotated after the round's last code change, run once:
    # 95.6 (96.2 with one span re-read to the conventions)
    (("issue14ma",), "dev", 185, 97.5),
    # (181 lines since the twenty-second round joined its السبت والأحد-like pair into one range)
    (("issue14mh",), "test", 181, 96.0),
    # nineteenth: issue14na (residues 112, 102), annotated and committed before any run: first
    # run 95.9, none of the round's classes occurs in it
    (("issue14na",), "dev", 146, 95.5),
    # issue14nh (residues 96, 86), annotated after the round's last code change, run once: 95.9
    (("issue14nh",), "test", 147, 95.5),
    # twentieth: issue14oa (residues 92, 82), annotated and committed before any run: first
    # run 94.0, none of the round's classes occurs in it; issue14nh 95.9 -> 97.3 with the
    # round's classes (two of its misses, counted in the corpus first: the floor above stays)
    (("issue14oa",), "dev", 168, 93.5),
    # issue14oh (residues 72, 62), annotated after the round's last code change, run once: 95.1; 162 lines since
    # the thirtieth round's re-read (`منذ نحو عشر سنوات` left out)
    (("issue14oh",), "test", 162, 94.5),
    # twenty-first: issue14pa (residues 52, 42), annotated and committed before any run: first
    # run 94.8; 95.6 with the round's class (a bare year after a quarter: one of its misses)
    (("issue14pa",), "dev", 135, 94.5),
    # issue14ph (residues 32, 24), annotated after the round's last code change, run once: 92.4
    (("issue14ph",), "test", 211, 91.5),
    # twenty-second: issue14qa (residues 44, 34), annotated and committed before any run: first
    # run 95.3 (164 of 172)
    (("issue14qa",), "dev", 172, 95.0),
    # issue14qh (residues 28, 18), annotated after the round's last code change, run once: 95.9
    (("issue14qh",), "test", 170, 95.5),
    # twenty-third: issue14ra (residues 126, 133), annotated and committed before any run: first
    # run 98.2 (165 of 168), none of the round's classes occurs in it
    (("issue14ra",), "dev", 168, 97.5),
    # issue14rh (residues 137, 139), annotated after the round's last code change, run once: 95.5
    (("issue14rh",), "test", 134, 95.0),
    # twenty-fourth: issue14sa (residues 147, 153), annotated and committed before any run: first
    # run 97.5 (157 of 161), none of the round's classes occurs in it
    (("issue14sa",), "dev", 161, 97.0),
    # issue14sh (residues 155, 159), annotated after the round's last code change, run once: 97.6
    # (166 of 170; 97.6 with the code at the round's start too)
    (("issue14sh",), "test", 170, 97.0),
    # twenty-fifth: issue14ta (residues 109, 111), annotated and committed before any run: first
    # run 96.0 (170 of 177; 172 of 177 on the gold re-read after it)
    (("issue14ta",), "dev", 177, 95.5),
    # issue14th (residues 119, 123), annotated after the round's last code change, run once: 94.3
    # (148 of 157; 94.3 with the code at the round's start too)
    (("issue14th",), "test", 157, 94.0),
    # twenty-sixth: issue14ua (residues 81, 83), annotated and committed before any run: first
    # run 94.4 (168 of 178; 170 of 179 on the gold re-read after it), none of the round's classes
    # occurs in it
    (("issue14ua",), "dev", 179, 94.5),
    # issue14uh (residues 91, 195), annotated after the round's last code change, run once: 95.5
    # (169 of 177; 95.5 with the code at the round's start too); 176 lines since the thirtieth
    # round's re-read (`منذ نحو 9 أعوام` left out)
    (("issue14uh",), "test", 176, 95.0),
    # twenty-seventh: issue14va (residue 58), annotated and committed before any run: first run
    # 93.8 (91 of 97; 92 of 97 on the gold re-read after it), 94 of 97 after the round's class
    (("issue14va",), "dev", 97, 96.5),
    # issue14vh (residue 76), annotated after the round's last code change, run once: 92.1
    # (70 of 76; 92.1 with the code at the round's start too)
    (("issue14vh",), "test", 76, 92.0),
    # twenty-eighth: issue14wa (the second rule, residues 13 and 17 of 199), annotated and
    # committed before any run: first run 95.2 (40 of 42), neither of the round's classes occurs in it
    (("issue14wa",), "dev", 42, 95.0),
    # issue14wh (the second rule, residues 29 and 31 of 199), annotated after the round's last code
    # change, run once: 97.8 (45 of 46; 97.8 with the code at the round's start too)
    (("issue14wh",), "test", 46, 97.5),
    # twenty-ninth: issue14xa (the second rule, residues 61 and 67 of 199), annotated and committed
    # before any run: first run 100.0 (26 of 26)
    (("issue14xa",), "dev", 26, 100.0),
    # issue14xh (residues 71 and 73 of 199), annotated after the round's last code change, run once:
    # 96.4 (27 of 28; 96.4 with the code at the round's start too)
    (("issue14xh",), "test", 28, 96.0),
    # thirtieth: issue14ya (the second rule, six residues 79-103 of 199), annotated and committed
    # before any run: first run 96.2 (75 of 78), the round's class does not occur in it
    (("issue14ya",), "dev", 78, 96.0),
    # issue14yh (residues 107-137 of 199), annotated after the round's last code change, run once:
    # 94.9 (93 of 98; 94.9 with the code at the round's start too)
    (("issue14yh",), "test", 98, 94.5),
    # thirty-first: issue14za (residues 139-167 of 199), annotated and committed before any run:
    # first run 96.9 (94 of 97), 97.9 with the round's class (a numeric date glued to a word: one
    # of its misses, counted in the corpus first)
    (("issue14za",), "dev", 97, 97.5),
    # issue14zh (residues 173-197 of 199), annotated after the round's last code change, run once:
    # 95.3 (123 of 129; 95.3 with the code at the round's start too)
    (("issue14zh",), "test", 129, 95.0),
    # thirty-second: issue14aa2 (residues 1-15 of 199), annotated and committed before any run:
    # first run 96.3 (105 of 109), 97.2 with the round's class (a Hijri month with a Gregorian year:
    # one of its misses, counted in the corpus first)
    (("issue14aa2",), "dev", 109, 97.0),
    # issue14ah2 (residues 19-35 of 199), annotated after the round's last code change, run once:
    # 99.1 (116 of 117; 99.1 with the code at the round's start too)
    (("issue14ah2",), "test", 117, 99.0),
    # thirty-third: issue14ba2 (residues 37-49 of 199), annotated and committed before any run:
    # first run 92.5 (74 of 80), 93.8 with the round's class (a Hijri year pair with هـ after a
    # relative year: one of its misses, counted in the corpus first)
    (("issue14ba2",), "dev", 80, 93.5),
    # issue14bh2 (residues 51-65 of 199), annotated after the round's last code change, run once:
    # 97.2 (105 of 108; 97.2 with the code at the round's start too)
    (("issue14bh2",), "test", 108, 97.0),
]


@pytest.mark.parametrize("batches, split, size, floor", ROUND_FLOORS, ids=lambda v: "+".join(v) if isinstance(v, tuple) else None)
def test_gold_accuracy_floor_on_the_later_rounds_batches(batches, split, size, floor):
    rows = [r for b in batches for r in load_gold(DEFAULT_GOLD, split, b)]
    assert len(rows) >= size
    assert evaluate_dates(rows)["exact"] >= floor
