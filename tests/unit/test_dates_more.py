"""Dates, issue 14 item 1: ahead-of-publication counts, Hijri ranges across months,
numeric day/month ranges, last night, tatweel separators (constructed sentences)."""
import pytest

from rasid.stages.dates import extract_dates

PUB = "2015-08-05"  # a Wednesday; 20 Shawwal 1436 (Umm al-Qura)


def one(text, pub=PUB):
    spans = extract_dates(text, pub)
    assert len(spans) == 1, [(text[s.start:s.end], s.attrs) for s in spans]
    s = spans[0]
    return text[s.start:s.end], s.attrs["value"], s.attrs["granularity"]


@pytest.mark.parametrize("text,expr,value,gran", [
    ("سيعقد المؤتمر بعد أسبوعين في الرياض.", "بعد أسبوعين", "2015-W34", "week"),
    ("ستفتتح المدرسة بعد 10 أيام من الآن.", "بعد 10 أيام", "2015-08-15", "day"),
    ("تنتهي المهلة بعد ثلاثة أشهر.", "بعد ثلاثة أشهر", "2015-11", "month"),
    ("سيتم التسليم بعد عامين.", "بعد عامين", "2017", "year"),
    ("وصل الوفد قبل ثلاثة أيام.", "قبل ثلاثة أيام", "2015-08-02", "day"),
])
def test_counts_before_and_after_publication(text, expr, value, gran):
    assert one(text) == (expr, value, gran)


@pytest.mark.parametrize("text", [
    "انقسمت الجماعات بعد أربعة أعوام من الإطاحة بالنظام.",  # counted from another event
    "وقعت الأحداث قبل سبعين عاما من الحرب.",
    "عاد بعد عامين على توقيع الاتفاق.",
])
def test_counts_from_another_event_are_not_dates(text):
    assert extract_dates(text, PUB) == []


def test_hijri_range_across_two_months():
    assert one("تقبل الطلبات خلال الفترة من 20 شوال إلى 5 ذي القعدة.") == (
        "من 20 شوال إلى 5 ذي القعدة", "2015-08-05/2015-08-20", "range")
    # across the Hijri new year, with the year written once at the end
    text = "يستمر المعرض من 25 ذي الحجة إلى 3 محرم 1437هـ."
    assert one(text) == ("من 25 ذي الحجة إلى 3 محرم 1437هـ", "2015-10-08/2015-10-16", "range")


def test_numeric_day_month_range():
    assert one("التسجيل من 10/8 إلى 15/8/2015.") == ("من 10/8 إلى 15/8/2015", "2015-08-10/2015-08-15", "range")
    assert one("التسجيل من 28/7 إلى 3/8.")[1] == "2015-07-28/2015-08-03"


def test_last_night_is_the_day_before():
    assert one("شهدت المدينة الليلة الماضية أمطارا غزيرة.") == ("الليلة الماضية", "2015-08-04", "day")


def test_tatweel_between_digits_is_a_separator():
    text = "يبدأ الدوام يوم 9ــ10 ــ 1436هـ في جميع المدارس."
    expr, value, gran = one(text)
    assert expr.endswith("1436هـ") and (value, gran) == ("2015-07-25", "day")


@pytest.mark.parametrize("text,expr,value", [
    ("ارتفعت المبيعات خلال شهري يوليو وأغسطس.", "شهري يوليو وأغسطس", "2015-07/2015-08"),
    ("تقام الدورة خلال شهري نوفمبر وديسمبر المقبلين.", "شهري نوفمبر وديسمبر المقبلين", "2015-11/2015-12"),
    ("تراجع الإنتاج في شهري ديسمبر ويناير الماضيين.", "شهري ديسمبر ويناير الماضيين", "2014-12/2015-01"),
    ("بلغت الصادرات في شهري مايو ويونيو من العام الماضي ذروتها.", "شهري مايو ويونيو من العام الماضي",
     "2014-05/2014-06"),
])
def test_two_months_are_one_interval(text, expr, value):
    assert one(text) == (expr, value, "range")


def test_the_period_before_last():
    assert one("بلغ العجز ذروته في العام قبل الماضي.") == ("العام قبل الماضي", "2013", "year")
    assert one("عقد الاجتماع الأسبوع قبل الماضي.") == ("الأسبوع قبل الماضي", "2015-W30", "week")


def test_the_analyze_path_gives_the_same_dates_as_the_eval():
    # the held-back gold is measured through `rasid analyze FILE --published DATE --json`:
    # contexts with a line break (a dateline, then the story) must score there as here
    from rasid.eval.dates import DEFAULT_GOLD, evaluate_dates, load_gold

    rows = [r for r in load_gold(DEFAULT_GOLD, "dev", "issue14") if "\n" in r["sentence"]][:6]
    assert len(rows) == 6
    direct, via = evaluate_dates(rows), evaluate_dates(rows, via="analyze")
    assert direct["exact"] == via["exact"] == 100.0
    assert direct["spurious"] == via["spurious"]
    # the file may be the context itself (its first line a dateline): that line is analysed too
    bare = evaluate_dates(rows, via="analyze", shape="bare")
    assert bare["exact"] == 100.0 and bare["spurious"] == direct["spurious"]


# Issue 14, fifth round: each class fixed from the issue14d/issue14e dev batches, on the
# SaudiNewsNet sentences (CC BY-NC-SA 4.0) where it was seen, with the crawl date.
def found(text, pub):
    return [(text[s.start:s.end], s.attrs["value"]) for s in extract_dates(text, pub)]


@pytest.mark.parametrize("text,pub,expected", [
    # a relative year with its year written after it is one expression
    ("وبلغ إجمالي القروض منذ إنشائها وحتى نهاية العام الماضي 2014م ( 454.4 مليار ريال)", "2015-07-21",
     [("العام الماضي 2014م", "2014")]),
    # منذ + a month without a year: the last such month, not the coming one
    ("وخفضت بكين أسعار الفائدة أربع مرات منذ نوفمبر تشرين الثاني وخفضت مستوى الاحتياطيات", "2015-07-22",
     [("منذ نوفمبر تشرين الثاني", "2014-11")]),
    # a bare year written after the name it labels; a number before a counted noun is no year
    ("شنقت الهند الناجي الوحيد من بين المهاجمين الذين نفذوا اعتداءات 2008 التي استهدفت بومباي", "2015-07-31",
     [("2008", "2008")]),
    ("إلقاء مروحيات النظام السوري ما لا يقل عن 2000 برميل متفجر", "2015-08-09", []),
    # a strict month name after a preposition; a month alone; an event named by its month
    ("للمرة الاولى منذ سيطرة الحوثيين عليها في مارس.", "2015-08-06", [("مارس", "2015-03")]),
    ("واتجه المعدن الأصفر أيضا إلى إنهاء يوليو على أكبر خسائره الشهرية", "2015-08-01", [("يوليو", "2015-07")]),
    ("بسبب التغييرات المتلاحقة منذ ثورة يناير»، ولمح", "2015-08-01", []),
    # a Hijri month with its epithet and a year relative to publication; الأسبوع الأول is no day
    ("وأوضحت «إطعام» أن الأسبوع الأول من شهر رمضان المبارك للعام الجاري شهد حفظ 15166 وجبة", "2015-08-03",
     [("شهر رمضان المبارك للعام الجاري", "2015-06-18/2015-07-16")]),
    ("نفّذ مفتشو بلدية وسط الدمام 1947 جولة خلال شهر رمضان المبارك الماضي؛ أسفرت", "2015-07-27",
     [("شهر رمضان المبارك الماضي", "2015-06-18/2015-07-16")]),
    # لل + الشهر: the span keeps لل, as للسادس does
    ("مع العلم بأن التمويل المتوفر لديها يكفي لغاية للشهر الحالي فقط.", "2015-07-27",
     [("للشهر الحالي", "2015-07")]),
    # ranges: years after بين with a dash, a day range ending in هذا العام, two months with a
    # dash, a list of months with one year, two weekdays after يومي
    ("إنشاء 48 محطة جديدة في إطار خطتها التوسعية في الفترة بين 2015 - 2020.", "2015-08-11",
     [("بين 2015 - 2020", "2015/2020")]),
    ("أن الفترة من أول يناير وحتى 15 يوليو هذا العام شهدت ارتفاعاً", "2015-07-24",
     [("من أول يناير وحتى 15 يوليو هذا العام", "2015-01-01/2015-07-15")]),
    ("عن تحقيق إنجاز غير مسبوق خلال الفترة يونيو – يوليو 2015، والتي تزامنت", "2015-08-04",
     [("يونيو – يوليو 2015", "2015-06/2015-07")]),
    ("لدعم ميزانية السلطة الوطنية الفلسطينية لأشهر إبريل ومايو ويونيو 2015م بواقع 20 مليون دولار", "2015-07-31",
     [("إبريل ومايو ويونيو 2015م", "2015-04/2015-06")]),
    ("اجتماع لجنة التطوير الإداري وذلك يومي الاثنين والثلاثاء، بمقر الديوان", "2015-08-06",
     [("يومي الاثنين والثلاثاء", "2015-08-03/2015-08-04")]),
    # a year glued to عام; لامس ("touched") is no أمس
    ("منذ أن تحولت احتجاجات اندلعت في شهر مارس عام2011 للمطالبة بالديمقراطية", "2015-08-09",
     [("شهر مارس عام2011", "2011-03")]),
    ("بعدما لامس في وقت سابق من الجلسة 20817.48 نقطة", "2015-08-07", []),
    # from issue14f: fiscal years after عام (and منذ), a day range joined by و without من,
    # من before a dash range, the weekday before last, a day of "the same month"
    ("شهد إجمالي عائدات السلطات المحلية في إنجلترا، منذ عام 1997 - 1998 لغاية عام 2010 - 2011، ارتفاعًا",
     "2015-07-21", [("منذ عام 1997 - 1998", "1997/1998"), ("عام 2010 - 2011", "2010/2011")]),
    ("وينعقد الاجتماع الثاني لمنتدى الأعمال السعودي - الفرنسي في الرياض 12 و13 تشرين الأول (أكتوبر)، واعتبره",
     "2015-08-03", [("12 و13 تشرين الأول (أكتوبر)", "2015-10-12/2015-10-13")]),
    ("من إنقاذ حياة 84 مريضًا خلال الأسبوع المنصرم في الفترة من 17 - 23 شوال 1436هـ ، حيث", "2015-08-11",
     [("الأسبوع المنصرم", "2015-W32"), ("من 17 - 23 شوال 1436هـ", "2015-08-02/2015-08-08")]),
    ("وكانت إدارة الاستثمار في النادي قد دشنت الأطقم الثلاثة الجديدة، السبت قبل الماضي، التي لم تختلف",
     "2015-08-02", [("السبت قبل الماضي", "2015-07-25")]),
    ("منذ نزوله عن مستوى الدعم هذا في موجة هبوط 20 تموز (يوليو) التي نزلت به إلى 1077 دولارا في 24 من نفس الشهر",
     "2015-08-08", [("20 تموز (يوليو)", "2015-07-20"), ("24 من نفس الشهر", "2015-07-24")]),
    # from issue14g: two months after من joined by حتى, a Hijri year after في السنة الهجرية,
    # a later month after منذ <noun> في is last year's
    ("وكان سون رئيسا تنفيذيا للبنك خلال الفترة من ديسمبر 2008 حتى نوفمبر 2010.", "2015-07-23",
     [("من ديسمبر 2008 حتى نوفمبر 2010", "2008-12/2010-11")]),
    ("ولد في العشرين من شهر شعبان في السنة الهجرية 1395 بمحافظة الاحساء", "2015-07-25",
     [("العشرين من شهر شعبان في السنة الهجرية 1395", "1975-08-27")]),
    ("وجرى تخزين لحوم ومنتجات ألبان مستوردة في حاويات في الميناء منذ اغلاقه في نوفمبر تشرين الثاني عندما",
     "2015-08-04", [("نوفمبر تشرين الثاني", "2014-11")]),
    # from issue14h: two Hijri months after شهري, a day of هذا الشهر, no trailing space after
    # a weekday, اليوم naming a newspaper
    ("تصدرت اللحوم قائمة الأغذية المخالفة التي ضبطها المفتشون في المنافذ خلال شهري رجب وشعبان بواقع 267137 كجم",
     "2015-07-27", [("شهري رجب وشعبان", "2015-04-20/2015-06-17")]),
    ("حيث كان اكتمال البدر الأول يوافق اليوم الثاني من هذا الشهر، فيما يعرف بظاهرة القمر الأزرق", "2015-07-31",
     [("اليوم الثاني من هذا الشهر", "2015-07-02")]),
    ("وكتب سميث (46 عاما) أمس الاثنين (التوقيت المحلي): ", "2015-08-04", [("أمس الاثنين", "2015-08-03")]),
    ("عين اليوم – واشنطن\nقالت قوة المهام المشتركة في بيان اليوم الخميس إن الولايات المتحدة", "2015-07-24",
     [("اليوم الخميس", "2015-07-23")]),
    # from issue14i: الليلة alone is tonight; الليلة الأولى is no date
    ("أصدرت الحكومة المصرية ، الليلة ، قراراً بتمديد حالة الطوارئ في أجزاء من شمال سيناء", "2015-07-26",
     [("الليلة", "2015-07-26")]),
    ("وشهدت الليلة الأولى من المهرجان حضورا كبيرا", "2015-07-26", []),
    # from issue14j: a Hijri month with its epithet needs no cue word; a weekday pair placed by
    # the word after its second day; الـ30 من شهر الحالي; صلاة يوم الجمعة is the weekly prayer
    ("شهدت أسواقنا المحلية حركة نشطة خلال موسمي رمضان المبارك وعيد الفطر ولقيت رواجا", "2015-07-21",
     [("رمضان المبارك", "2015-06-18/2015-07-16")]),
    ("يذكر بأنه في يومي الجمعة و السبت المقبلين ستنطلق مواجهات الجولة الثانية", "2015-07-26",
     [("يومي الجمعة و السبت المقبلين", "2015-07-31/2015-08-01")]),
    ("تحضيرا لمواجهة أحد ضمن منافسات كأس ولي العهد في ال30 من شهر الحالي.", "2015-08-07",
     [("ال30 من شهر الحالي", "2015-08-30")]),
    ("خططوا لإثارة الفتنة وتفجير 7 مساجد في مدينتي الرياض والدمام خلال صلاة يوم الجمعة.", "2015-07-21", []),
])
def test_issue14_fifth_round_classes(text, pub, expected):
    assert found(text, pub) == expected


@pytest.mark.parametrize("text,pub,expected", [
    # a sentence that opens with an imperfect verb tells what comes: its weekdays are ahead
    ("وتستكمل مباريات الجولة الاميركية-الاوروبية الجمعة في كونيكتيكت بنفيكا مع فيورنتينا، والسبت في سانتا كلارا.",
     "2015-07-23", [("الجمعة", "2015-07-24"), ("السبت", "2015-07-25")]),
    ("ويلعب الاحد في نيوجرزي بنفيكا مع نيويورك ريد بولز، والثلاثاء المقبل في ميريلاند برشلونة مع تشلسي.",
     "2015-07-23", [("الاحد", "2015-07-26"), ("الثلاثاء المقبل", "2015-07-28")]),
    ("من جهة ثانية يخوض الاتفاق يوم (الاثنين) مباراته الودية الثالثة أمام الكويت الكويتي.", "2015-08-01",
     [("يوم (الاثنين)", "2015-08-03")]),
    # a past-tense sentence keeps the last such day
    ("وقال مصدر عسكري الاربعاء \"إن الحوطة باتت تحت السيطرة\".", "2015-08-06", [("الاربعاء", "2015-08-05")]),
    ("وعدلت الناقلة جدول رحلاتها يوم الجمعة بموجب التغيير.", "2015-08-10", [("يوم الجمعة", "2015-08-07")]),
    # tomorrow earlier in the sentence, an opening adverbial, هذا + a weekday
    ("على صعيد متصل تغادر بعثة النصر غدا الأحد إلى لندن، ويؤدي الفريق هناك حصتي تدريب يومي الاثنين والثلاثاء "
     "قبل أن يلتقي بغريمه الهلال هذا الأربعاء على كأس السوبر.", "2015-08-08",
     [("غدا الأحد", "2015-08-09"), ("يومي الاثنين والثلاثاء", "2015-08-10/2015-08-11"), ("هذا الأربعاء", "2015-08-12")]),
])
def test_weekday_in_a_sentence_about_what_comes(text, pub, expected):
    assert found(text, pub) == expected


def test_same_month_without_a_month_before_it_is_kept_unresolved():
    (span,) = extract_dates("وصل الوفد في 24 من نفس الشهر.", "2015-08-08")
    assert span.attrs["value"] is None and span.attrs["reason"] == "no month written before it"


# Issue 14, sixth round: each class fixed from the issue14l/issue14m dev batches (or the
# 2,000 unused articles checked for false dates), on the SaudiNewsNet sentences (CC BY-NC-SA
# 4.0) where it was seen, with the crawl date.
@pytest.mark.parametrize("text,pub,expected", [
    # two weekdays after من and joined by إلى are one interval, placed like يومي ... و...
    ("لكن الاستطلاع اجري من الخميس الى الاحد، وأوضحت صحيفة \"واشنطن بوست\"", "2015-07-21",
     [("من الخميس الى الاحد", "2015-07-16/2015-07-19")]),
    # a month pair's closing bracket only when the pair opened it
    ("التحق حوالى مئة إسباني (116 في 5 تموز/ يوليو) بصفوف المجموعات", "2015-07-22",
     [("5 تموز/ يوليو", "2015-07-05")]),
    # a day range in brackets without من
    ("بطولة العالم لألعاب القوى في بكين (22 إلى 30 أغسطس/آب).", "2015-08-03",
     [("22 إلى 30 أغسطس/آب", "2015-08-22/2015-08-30")]),
    # لعام between a month and its year
    ("فريدرك شوبان المولود في الأول من مارس (آذار) لعام 1810.", "2015-07-21",
     [("الأول من مارس (آذار) لعام 1810", "1810-03-01")]),
    ("خصوصا خلال شهر رمضان المبارك لعام 1436.", "2015-07-21",
     [("شهر رمضان المبارك لعام 1436", "2015-06-18/2015-07-16")]),
    # الشهر السابق: the month before the last one written
    ("تراجع عن مستواه في يونيو 2015 بنسبة (0.9%) عن مستوياته في الشهر السابق، وبانخفاض", "2015-08-02",
     [("يونيو 2015", "2015-06"), ("الشهر السابق", "2015-05")]),
    ("ارتفع المؤشر 0.13% مقارنة بالشهر السابق.", "2015-08-02", []),
    # today or yesterday with a weekday is never after the crawl date
    ("قال المرصد السوري أن تنظيم داعش صلب اليوم الاربعاء في مدينة الميادين", "2015-07-21",
     [("اليوم الاربعاء", "2015-07-15")]),
    ("وقال جون ماكين أمس (الاثنين)، \"يجب ان يقدم ترامب اعتذارات", "2015-07-21", [("أمس (الاثنين)", "2015-07-20")]),
    # not dates: أمس الحاجة, اليوم نفسه, half a day, a count from another event after فقط
    ("أن الأمة العربية والإسلامية في أمس الحاجة إلى التمسك بمبادئها", "2015-07-21", []),
    ("أقرت قوانين في اليوم نفسه الذي علمت فيه", "2015-07-21", []),
    ("وهو ما يكفي لتلبية الطلب الياباني ثلاثة أيام ونصف اليوم.", "2015-07-21", []),
    ("وبعد يوم واحد فقط على زيارة نائب الرئيس للمدينة", "2015-08-03", []),
    ("في أدنى مستوياته في خمس سنوات ونصف، اليوم متجها إلى", "2015-07-31", [("اليوم", "2015-07-31")]),
])
def test_issue14_sixth_round_classes(text, pub, expected):
    assert found(text, pub) == expected


# Issue 14, after the held-out issue14n run: sentences of unused SaudiNewsNet articles
# (Mazen Abdulaziz, CC BY-NC-SA 4.0), each a class found there (docs/dates.md)
@pytest.mark.parametrize("text,pub,expected", [
    # a count + على/من + a noun that begins with الان (الانتخابات، الانتظار) is counted from
    # that event; من الآن is still from now
    ("وأشار إلى أن هذه التصريحات جاءت قبل يومين على الانتخابات التشريعية", "2015-07-23", []),
    ("وبعد 54 عاما من الانتظار. لكن", "2015-07-20", []),
    ("وقال إن الاتفاق سيوقع بعد شهرين من الآن، بحسب", "2015-07-20", [("بعد شهرين", "2015-09")]),
    # a bare weekday at most two words after an imperfect verb is the coming one (a
    # headline's present), whatever opens the sentence; فيها is not a verb
    ("هجر يستأنف تدريباته الأحد", "2015-08-07", [("الأحد", "2015-08-09")]),
    ("مجلس الأمن يصوت الجمعة على قرار حول هجمات النظام السوري", "2015-08-05", [("الجمعة", "2015-08-07")]),
    ("قبل تصريحات ترامب التي هاجم فيها جون ماكين السبت، معتبرا", "2015-07-21", [("السبت", "2015-07-18")]),
])
def test_issue14_classes_after_the_held_out_run(text, pub, expected):
    assert found(text, pub) == expected


# Issue 14, eighth round: classes read from the unread batches issue14o/p and the held-out
# issue14n, on SaudiNewsNet sentences (Mazen Abdulaziz, CC BY-NC-SA 4.0) with the crawl date
@pytest.mark.parametrize("text,pub,expected", [
    # a decimal number's last digit is no day of the month
    ("وتراجعت القراءة الأولية إلى 53.7 هذا الشهر من أعلى مستوى", "2015-07-25", [("هذا الشهر", "2015-07")]),
    # هذا اليوم before a weekday and a date is part of it
    ("على السفر خارج المملكة هذا اليوم السبت التاسع من شهر شوال عام 1436 هـ حسب تقويم أم القرى", "2015-07-26",
     [("هذا اليوم السبت التاسع من شهر شوال عام 1436 هـ", "2015-07-25")]),
    # a Hijri year pair written in reverse, or with هـ after each year
    ("للعام الدراسي القادم 1437/1436هـ ، لجميع المتقدمين", "2015-08-06",
     [("1437/1436هـ", "2014-10-25/2016-10-01")]),
    ("ميزانية الدولة لهذا العام 1434هـ / 1435هـ، حين قال", "2015-07-22",
     [("العام 1434هـ / 1435هـ", "2012-11-15/2014-10-24")]),
    # the year written after a month with الجاري/الماضي is part of it; a count after it is not
    ("واستغرق حفرها عاما كاملا ليتم افتتاحها 6 أغسطس الجاري 2015.", "2015-08-04",
     [("6 أغسطس الجاري 2015", "2015-08-06")]),
    ("بلغ عدد الفروع العاملة في المملكة بنهاية شهر مايو الماضي 1959 فرعا مصرفيا", "2015-07-26",
     [("شهر مايو الماضي", "2015-05")]),
    # a day that names a revolution or an attack: its year, not the publication's
    ("كما علقت مساعداتها العسكرية إلى مصر بعد ثورة 30 يونيو (حزيران)، قبل أن", "2015-08-03",
     [("30 يونيو (حزيران)", "2013-06-30")]),
    ("منذ ثورتي 25 يناير و30 يونيو", "2015-08-03", [("25 يناير", "2011-01-25"), ("30 يونيو", "2013-06-30")]),
    # two months after شهري with a relative word each; pairs of names with one year
    ("لصلته بحوادث سطو على خمسة بنوك بين شهري مارس الماضي ويوليو الحالي وألقي", "2015-07-26",
     [("بين شهري مارس الماضي ويوليو الحالي", "2015-03/2015-07")]),
    ("ستقام في شهري يونيو حزيران ويوليو تموز 2018", "2015-07-31",
     [("شهري يونيو حزيران ويوليو تموز 2018", "2018-06/2018-07")]),
    ("وتم تعديل بيانات الوظائف لشهري مايو أيار ويونيو حزيران بما يظهر", "2015-08-10",
     [("مايو أيار", "2015-05"), ("يونيو حزيران", "2015-06")]),
    # a bracket round the first name of a pair
    ("خلاف مع المالك الروسي للنادي ويرحل في (سبتمبر) أيلول 2007.", "2015-08-06",
     [("سبتمبر) أيلول 2007", "2007-09")]),
    # a year before 1000 with عام and the era written; a two-digit one stays out (عام 79م)
    ("أن تاريخه يعود إلى حوالي عام 600 ميلادية.", "2015-07-23", [("عام 600 ميلادية", "0600")]),
    ("بدأ فرضها على إيران عام 79م بسبب", "2015-07-23", []),
    # a count + مما is counted from another event
    ("وأقيمت بعد عام مما كان مقررًا", "2015-07-31", []),
    # a bare year before a date word ends the name it labels
    ("في اجتماعه التنسيقي للدورة 2015 أمس الأول الاثنين قراراً", "2015-07-22",
     [("2015", "2015"), ("أمس الأول الاثنين", "2015-07-20")]),
    # a date that recurs every year or week is no date; اليوم before a number is a day's rank
    ("وإعلان سنة مالية موحدة للأندية تنتهي بنهاية شهر يونيو من كل عام وفرض عقوبات", "2015-08-02", []),
    ("على أن يقام لمدة 10 أيام ابتداء من الثاني عشر من ديسمبر كل عام، وذلك", "2015-08-04", []),
    ("الفترة الواقعة ما بين 15 من شهر يونيو إلى نهاية اليوم الـ 15 من شهر سبتمبر من كل عام ميلادي",
     "2015-08-06", []),
    ("يقام أيام الخميس والجمعة والسبت من كل أسبوع لمدة أسبوعين", "2015-08-01", []),
    # year after year, after the rest day: no count from publication; two years ago still is
    ("المسافرون يزدادون عاماً بعد عام كما في الإحصاءات الرسمية", "2015-07-26", []),
    ("نشهد يوما بعد يوم تجسيد الوسم الإلكتروني", "2015-07-23", []),
    ("وكان الفريق قد استأنف تدريباته بعد يوم الراحة الذي تمتع به اللاعبون", "2015-08-06", []),
    ("وصلت قيمته السوقية منذ عامين إلى نحو 9.5 مليون يورو", "2015-07-24", [("منذ عامين", "2013")]),
    # a number with decimals or a counted noun after it, or a count word before its cue, is no year
    ("واحتلت المركز الثاني بقيمة قدرها 2069.4 مليون ريال مقارنة", "2015-08-11", []),
    ("لرفع قدرتها من 1300 ميجاوات إلى 1950 ميجاوات، وتم تشغيلها", "2015-07-21", []),
    ("ترسم البسمة بأكثر من 2000 فعالية في العيد", "2015-07-21", []),
    ("وصول معدل التضخم إلى 4 بالمئة في 2015 ارتفاعا من 3 بالمئة", "2015-07-21", [("2015", "2015")]),
    # اليوم after a count and في is per day, not today
    ("لتبلغ 900 ألف برميل في اليوم من الزيت العربي الثقيل", "2015-08-07", []),
    ("بالعمل 18 ساعة في اليوم بسبب ارتفاع الحرارة", "2015-07-31", []),
    ("يستقبل المطار في اليوم الأول رحلتين، وأعلنت الوزارة اليوم عن", "2015-07-31", [("اليوم", "2015-07-31")]),
    # sermons (خطب الجمعة، منابر الجمعة) and a family name after a title are no Fridays
    ("بتوزيع «موسوعة خطب الجمعة» على فروع الوزارة", "2015-07-25", []),
    ("الخطباء الذين يعتلون منابر الجمعة في عموم المملكة", "2015-08-09", []),
    ("وأوضح الدكتور الجمعة عقب الاجتماع أن الزيارة", "2015-08-06", []),
    # a month pair in quotation marks
    ("حلقة أوباما في (ذا ديلي شو) في تشرين الأول «أكتوبر» 2008 قبل أيام", "2015-08-11",
     [("تشرين الأول «أكتوبر» 2008", "2008-10")]),
])
def test_issue14_eighth_round_classes(text, pub, expected):
    assert found(text, pub) == expected


# Issue 14, after the held-out issue14r run (92.6 %, measured once): two classes read from
# its misses, on SaudiNewsNet sentences (CC BY-NC-SA 4.0); docs/dates.md
@pytest.mark.parametrize("text,pub,expected", [
    # اليوم before a noun is today; before an adjective (nisba, ordinal, الذي) it is a day
    ("وحقق ويستهام اليوم الفوز الأول له على أرسنال في عقر داره", "2015-08-09", [("اليوم", "2015-08-09")]),
    ("وصلت اليوم الطائرة الإغاثية السعودية الخامسة إلى عدن", "2015-08-06", [("اليوم", "2015-08-06")]),
    ("وفي اليوم التالي عاد الوفد، وكان اليوم الأول هادئا", "2015-08-06", []),
    ("محاولة تسلل في اليوم الرابع منها و96 في اليوم الخامس، فيما", "2015-07-27", []),
    ("في هذه الليلة المباركة، وأتمنى", "2015-07-31", []),
    # منذ before a relative period is part of it
    ("التي تسيطر على العاصمة الليبية طرابلس منذ العام الماضي.", "2015-07-24", [("منذ العام الماضي", "2014")]),
    ("وصول أكثر من 3500 شخص منذ الأسبوع الماضي.", "2015-07-31", [("منذ الأسبوع الماضي", "2015-W30")]),
])
def test_issue14_classes_after_the_held_out_issue14r_run(text, pub, expected):
    assert found(text, pub) == expected


# Issue 14, after the held-out issue14s run (94.1 %, measured once): three classes read from
# its misses, on SaudiNewsNet sentences (CC BY-NC-SA 4.0); docs/dates.md
@pytest.mark.parametrize("text,pub,expected", [
    # a Hijri month named as a season or by its nights or daytime (not أيام: أيام صفر - 3)
    ("وذلك ضمن برامج ودراسات موسمي رمضان والحج لعام 1436هـ.", "2015-08-08",
     [("رمضان", "2015-06-18/2015-07-16"), ("عام 1436هـ", "2014-10-25/2015-10-13")]),
    ("خوفاً من أن يسبب لهم العطش خلال نهار رمضان.", "2015-07-22", [("رمضان", "2015-06-18/2015-07-16")]),
    ("الذي خسر أمام برشلونة قبل أربعة أيام صفر - 3 في الكامب نو", "2015-08-11",
     [("قبل أربعة أيام", "2015-08-07")]),
    # the weekday after next
    ("تبدأ فعاليات مهرجان سوق عكاظ في محافظة الطائف الأربعاء بعد القادم بمشاركة أدباء", "2015-08-04",
     [("الأربعاء بعد القادم", "2015-08-12")]),
    # a labelling year before a ب-word with the article
    ("كما شارك مع منتخب بلاده في كأس العالم 2014 بالبرازيل بالإضافة", "2015-07-31", [("2014", "2014")]),
])
def test_issue14_classes_after_the_held_out_issue14s_run(text, pub, expected):
    assert found(text, pub) == expected


# Issue 14, ninth round: the frequent classes of the pooled misses and false dates of every
# batch, on SaudiNewsNet sentences (CC BY-NC-SA 4.0); docs/dates.md
@pytest.mark.parametrize("text,pub,expected", [
    # بعد + a count in a past narrative is after the story's own time, not after publication
    ("بتمديد حالة الطوارئ لثلاثة شهور أخرى ، بعد تسعة شهور فرضت لأول مرة في أكتوبر العام الماضي", "2015-07-26",
     [("أكتوبر العام الماضي", "2014-10")]),
    ("انتخب رئيسا لفيفا، لكنه اضطر إلى الاستقالة بعد 4 أيام بسبب فضائح الرشاوى", "2015-08-04", []),
    ("وعندما سحب العلاج بعد ستة أسابيع رصدت مستويات عالية من الفيروس", "2015-07-21", []),
    ("وأجرى ناصيف المقابلة بعد أسبوع كامل من التدريبات", "2015-07-21", []),
    # ... and in a sentence that tells what comes it is counted from publication
    ("والتي ستجمع الهلال بالنصر في الـ12 من شهر أغسطس المقبل أي بعد 12 يوماً في لندن.", "2015-08-01",
     [("الـ12 من شهر أغسطس المقبل", "2015-08-12"), ("بعد 12 يوماً", "2015-08-13")]),
    ("وقال: سيتم فتح باب الترشح للانتخابات الرئاسية بعد 45 يوما", "2015-07-21", [("بعد 45 يوما", "2015-09-04")]),
    ("متى يبدأ الإصلاح؟! بعد ثلاثة أيام يقام السوبر السعودي", "2015-08-09", [("بعد ثلاثة أيام", "2015-08-12")]),
])
def test_issue14_ninth_round_classes(text, pub, expected):
    assert found(text, pub) == expected
