"""The dates stage: Arabic date expressions, normalised to ISO 8601.

`extract_dates(text, published)` matches regexes over the normalised text
(`normalize_with_offsets`), maps every match back to the original text and resolves
relative expressions against `published` (an ISO date or datetime) when it is known.
Each result is a `Span(label="DATE")` with attrs:

* ``value``: ISO 8601 string (``2015-11-13``, ``2015-11``, ``2015``, ``2015-W31``,
  decade ``198``, interval ``2013/2014``) or None when it cannot be resolved;
* ``granularity``: day, week, month, year, decade or range;
* ``resolved`` / ``relative``: bools; ``calendar``: gregorian or hijri (``hijri`` keeps the
  raw Hijri date, the value is Gregorian); ``start``/``end`` for ranges; ``relation``
  ``"since"`` after منذ.

Decisions are documented in docs/dates.md. Month names live in data/months.tsv; Hijri
conversion (Umm al-Qura) in calendars.py. An expression that cannot be resolved keeps its
span with ``value`` None and a ``reason``.
"""
from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from typing import Any

from ..arabic.normalize import DIACRITICS_RE, map_span, normalize_with_offsets
from ..doc import Document, Span
from ..lazy_re import LazyPattern
from ..pipeline import Stage
from .calendars import convert_gregorian_to_hijri, convert_hijri_to_gregorian, extract_hijri_month_range
from .date_resolve import (
    _RESOLVERS, _attrs, _day_of, _in_hijri_month, _iso_week, _match_weekday, _parse_published, _prev_word,
    _rel_kind, _rel_shift, _resolve_hijri, _resolve_weekday_dm, _shift_month, _since, _valid, _weekday_date, _year_for_day,
    _year_for_month, _yrel_year, hijri_current_day,
)
from .date_words import (
    BARE_NAMED_DAYS, NAMED_DAYS, WEEKDAYS, _AL, _B, _CLITIC, _CURR, _DECADES, _E, _EPITHET, _GSUF, _HSUF,
    _MONTH_CUES, _NEXT, _NUMW, _ORD, _ORDINALS, _PAST, _REL, _UNITS, _WD, _WD_BLOCK, _YEARW, _month_index, _month_of,
    convert_words_to_regex, folded, load_given_names,
)


# ---------------------------------------------------------------- patterns


#: a Hijri year before 1000 right after عام/سنة, its era written after it (سنة 583هـ، بعام 916 هـ،
#: سنة 747 هجرية، عام 857 للهجرة): 26 in the corpus, all Hijri years (twenty-seventh round)
_HYEAR3 = r"(?<=(?:عام|سنة)\s)[1-9]\d\d"


def _patterns() -> list[tuple[str, LazyPattern]]:
    _, greg, hij = _month_index()
    gm = f"(?:{greg})"
    # a month pair: نوفمبر/تشرين الثاني, يوليو - تموز, يونيو (حزيران), تشرين الأول «أكتوبر», أغسطس آب
    # (a closing bracket only after one the pair opened: "(5 تموز/ يوليو)" ends before it)
    # "(سبتمبر) أيلول": a bracket round the first name (checked in _resolve), the span from inside it
    gmonth = (rf"(?P<m1>{gm})(?:\s*(?:[/\-–]\s*|(?P<mpo>[(«\"“]\s*)|(?P<mpc>\)\s*))?"
              rf"(?P<m2>{gm})(?(mpo)\s*[)»\"”]))?")
    pair2 = rf"(?:\s*(?:[/\-–]\s*)?(?:{gm})|\s*\(\s*(?:{gm})\s*\))?"  # a month's other name, not checked
    # a day: a number, an ordinal word before من, or أول/غرة (the first: غرة شوال، أول يوليو)
    day = rf"(?:{_AL}(?P<d>[0-3]?\d)|(?P<od>{_ORD})(?=\s+من\s)|(?P<first>اول|غر[ةه])(?=\s))"
    # not after الأسبوع/النصف...: الأسبوع الأول من شهر رمضان is the month, not its 1st
    not_part = "".join(rf"(?<!{w}\s)" for w in sorted(_PART_WORDS))
    hyear = rf"(?:\s*[،,]?\s*(?:{_YEARW}|في\s+(?:السنة|العام)\s+الهجرية?\s+)?(?P<y>\d{{4}}|{_HYEAR3}(?={_HSUF})))"
    # (the weekday also in brackets or quotes after يوم or a relative day: هذا اليوم (الأحد) 17/ 10
    # /1436هـ، يوم (الخميس) 20 أغسطس، اليوم "الثلاثاء" 26 شوال، غدا "الأربعاء" 27 / 10 / 1436هـ; a
    # semicolon after the weekday too: الأربعاء؛ 28 رمضان 1436)
    pre = (rf"(?:(?P<rd>(?:يوم\s+)?(?:(?:ال)?اول\s+(?:من\s+)?امس|امس\s+الاول|امس|(?:هذا\s+)?اليوم|بعد\s+غدا?|غدا|غد))\s+)?"
           rf"(?:(?:يوم\s+)?(?P<wpo>[(«\"“](?:(?<=يوم\s[(«\"“])|(?<=غد\s[(«\"“])|(?<=غدا\s[(«\"“])|(?<=امس\s[(«\"“]))\s*)?(?P<wd>{_WD})(?(wpo)\s*[)»\"”])(?:\s+(?:(?:قبل|بعد)\s+)?{_REL})?\s*[،,؛\-]?\s*(?:الموافق\s+)?"
           rf"|يوم\s+(?:الموافق\s+)?)?")
    since = r"(?P<since>منذ\s+)?"
    yr = rf"(?:\s*[،,]?\s*{_YEARW}?(?P<y>\d{{4}}){_GSUF}?)"
    # رمضان المبارك للعام الجاري، رمضان الكريم من العام الماضي: the Hijri year relative to publication
    # شهر رمضان لهذا العام، 27 من شعبان لهذا العام (not before a written year: لهذا العام 1436هـ
    # is the year, the span conventions)
    # غرة ذي القعدة العام الماضي (as مارس العام الماضي)
    # and the Hijri year written after it, one expression (شهر رمضان المبارك للعام الحالي 1436هـ, as
    # العام الجاري 1436هـ)
    # شهر رمضان هذا العام without من/ل too (as مايو هذا العام; thirtieth round)
    hyrel = (rf"\s+(?:(?:من\s+(?:ال)?|لل|ل|ال)(?=عام)|(?:من\s+|ل)?(?=هذا))"
             rf"(?P<yrel>عام\s+(?:الهجري\s+)?{_REL}|هذا\s+العام(?!\s*\(?\s*\d))"
             rf"(?:\s+(?P<hry>1[345]\d\d)(?=\s*(?:ه|هجري)))?")
    # مايو من هذا العام، الثاني والعشرين من شهر مايو لهذا العام
    # مايو (أيار) العام قبل الماضي: two years back
    monthrel = rf"(?:\s+(?P<rel>{_REL})|\s+(?:من\s+|ل)?(?P<yrel>(?:ال)?عام\s+{_REL}|العام\s+(?:قبل\s+(?={_PAST}))?(?:{_REL})|هذا\s+العام))"
    # 6 أغسطس الجاري 2015، حزيران (يونيو) الماضي 2015: the year the relative word gives, written
    relyear = rf"(?P<ryw>\s+(?P<ry>(?:19|20)\d\d){_GSUF}?)?"
    # a relative word after a written Hijri year is part of it (عام 1435هـ الماضي، من عام 1436هـ الجاري)
    hrel_after = rf"(?:\s+{_REL})?"
    wd_at = rf"(?:(?:يوم\s+)?{_WD}\s*[،,]?\s+(?:الموافق\s+)?)?"  # a range end's weekday
    p: list[tuple[str, str]] = [
        # days as numbers or ordinal words (من الأول إلى الخامس من سبتمبر)
        ("range_days", rf"(?P<pfx>من|بين|يومي)\s+(?:تاريخ\s+)?(?:{_AL}(?P<d1>[0-3]?\d)|(?P<o1>{_ORD}))\s+(?:الى|حتى|و|وحتى|والى|ولغاية)\s*(?:{_AL}(?P<d2>[0-3]?\d)|(?P<o2>{_ORD}))\s+(?:من\s+)?(?:شهر\s+)?{gmonth}(?:{yr}|{monthrel})?"),
        # two ordinal days joined by و without من/بين/يومي: في السابع والثامن من يوليو
        ("range_days", rf"{not_part}(?P<o1>{_ORD})\s+و\s*(?P<o2>{_ORD})\s+من\s+(?:شهر\s+)?{gmonth}(?:{yr}|{monthrel})?"),
        ("range_days", rf"(?:(?:من|بين)\s+)?(?P<d1>[0-3]?\d)\s*(?:[\-–]\s*|و\s*|\s+(?:الى|حتى)\s*)(?P<d2>[0-3]?\d)\s+(?:من\s+)?(?:شهر\s+)?{gmonth}(?:{yr}|{monthrel})?"),
        # (يومي 17 و18 رمضان الماضي، من تاريخ 17 وإلى 27 من شهر شوال الحالي, as the Gregorian ones)
        ("range_days_h", rf"(?P<pfx>من|بين|يومي)\s+(?:تاريخ\s+)?(?:(?P<d1>[0-3]?\d)|(?P<o1>{_ORD}))\s+(?:الى|حتى|و|وحتى|والى)\s*(?:(?P<d2>[0-3]?\d)|(?P<o2>{_ORD}))\s+(?:من\s+)?(?:شهر\s+)?(?P<hm>{hij})(?:{hyear}|\s+(?P<rel>{_REL}))?(?P<hs>{_HSUF})?"),
        ("range_days_h", rf"(?:(?:من|بين)\s+)?(?P<d1>[0-3]?\d)\s*[\-–]\s*(?P<d2>[0-3]?\d)\s+(?:من\s+)?(?:شهر\s+)?(?P<hm>{hij})(?:{hyear}|\s+(?P<rel>{_REL}))?(?P<hs>{_HSUF})?"),
        # من 8 إلى 10/11، من 8 إلى 29 - 11 - 1433هـ (with dashes only when the year is written)
        ("range_numeric", rf"(?:من|بين)\s+(?:تاريخ\s+)?(?P<d1>[0-3]?\d)\s+(?:الى|حتى|و|وحتى|والى)\s*(?P<d2>[0-3]?\d)\s*(?:/\s*(?P<m>[01]?\d)(?:\s*/\s*(?P<y>\d{{4}}))?|-\s*(?P<mm>[01]?\d)\s*-\s*(?P<yy>\d{{4}}))(?![\d/])(?P<hs>{_HSUF})?"),
        ("range_dm", rf"(?:من|بين)\s+(?P<d1>[0-3]?\d)\s+(?:من\s+)?(?P<ma>{gm})(?:\s*[،,]?\s*(?P<y1>\d{{4}}){_GSUF}?)?\s+(?:الى|حتى|و|وحتى|والى)\s*(?P<d2>[0-3]?\d)\s+(?:من\s+)?(?P<mb>{gm})(?:{yr}|{monthrel})?"),
        ("range_dm_h", rf"(?:من|بين)\s+(?P<d1>[0-3]?\d)\s+(?:من\s+)?(?:شهر\s+)?(?P<ha>{hij})(?:\s*[،,]?\s*(?P<y1>1[345]\d\d))?\s+(?:الى|حتى|و|وحتى|والى)\s*(?P<d2>[0-3]?\d)\s+(?:من\s+)?(?:شهر\s+)?(?P<hb>{hij})(?:{hyear}|\s+(?P<rel>{_REL}))?(?P<hs>{_HSUF})?"),
        # with a weekday at either end (من الإثنين 11/9 إلى الأحد 15/11/1436هـ), and without من
        # after one when the second end has its year (يوم السبت 7/11 وحتى 1/12/1436هـ)
        ("range_numeric_dm", rf"(?:(?P<pfx>من|بين)\s+(?:تاريخ\s+)?|(?=(?:يوم\s+)?{_WD}\s)){wd_at}(?<![\d/.\-])(?P<d1>[0-3]?\d)\s*/\s*(?P<m1>[01]?\d)(?:\s*/)?\s+(?P<to>الى|حتى|و|وحتى|والى)\s*{wd_at}(?P<d2>[0-3]?\d)\s*/\s*(?P<m2>[01]?\d)(?:\s*/\s*(?P<y>\d{{4}}))?(?![\d/])(?P<hs>{_HSUF})?"),
        # بين شهري مارس الماضي ويوليو الحالي، خلال شهري نيسان (أبريل) وأيار (مايو) الماضيين;
        # not after ل: لشهري مايو أيار ويونيو حزيران are the figures of each month (issue14b)
        ("range_months", rf"(?:(?:بين|من)\s+)?(?<!ل)(?:شهري|الشهرين)\s+(?P<ma>{gm})(?P<pa>{pair2})(?:\s+(?P<rel1>{_REL}))?\s+(?:و|الى|حتى)\s*(?P<mb>{gm})(?P<pb>{pair2})(?:{yr}|{monthrel})?"),
        ("range_months_h", rf"(?:شهري|الشهرين)\s+(?P<ha>{hij})\s+(?:و|الى|حتى)\s*(?P<hb>{hij})(?:{hyear}|\s+(?P<rel>{_REL}))?(?P<hs>{_HSUF})?"),
        # من 21 وحتى 23 من الشهر الجاري، يومي 14، و17 من الشهر الجاري: two days of one month
        ("range_curdays", rf"(?P<pfx>من|بين|يومي)\s+(?:{_AL}(?P<d1>[0-3]?\d)|(?P<o1>{_ORD}))\s*[،,]?\s*(?:الى|حتى|و|وحتى|والى|ولغاية)\s*(?:{_AL}(?P<d2>[0-3]?\d)|(?P<o2>{_ORD}))\s+(?:من\s+)?(?:(?:ال)?شهر\s+(?P<rel>{_REL})|(?P<cur>{_CURR}|هذا\s+الشهر))"),
        ("range_numeric", rf"(?<![\d/.\-])(?P<d1>[0-3]?\d)\s*[\-–]\s*(?P<d2>[0-3]?\d)\s*/\s*(?P<m>[01]?\d)(?:\s*/\s*(?P<y>\d{{4}}))?(?![\d/])(?P<hs>{_HSUF})?"),
        # 1436/1437هـ, 1434هـ / 1435هـ, 1437/1436هـ (written in reverse), 36/1437هـ (the first
        # year's last two digits); after a relative year too (العام الماضي 1435/1436هـ, not من)
        ("range_hyears", rf"(?:(?:(?<!ل)لل|(?:ال)?(?<!لل))(?:عام|سنة)\s+{_REL}\s+|{_YEARW})?(?:(?P<y1>1[345]\d\d){_HSUF}?\s*[\-–/]|(?<![\d/.\-])(?P<yy>\d\d)\s*/)\s*(?P<y2>1[345]\d\d){_HSUF}"),
        # without هـ: after عام (العام 1435/1436), or two consecutive years alone, an academic
        # or fiscal year (العام الدراسي 1436-1437، ميزانية 1437/1436، العام الماضي 1435- 1436)
        ("range_hyears", rf"(?P<lead>(?:{_YEARW}|عامي\s*)(?:{_REL}\s+)?)?(?<![\d/.])(?P<y1>1[34]\d\d)\s*[\-–/]\s*(?P<y2>1[34]\d\d)(?![\d/]|\.\d)"),
        ("range_years", rf"(?:عامي|العامين|(?<!ل)للعامين|سنتي)\s*(?P<y1>\d{{4}}){_GSUF}?\s+و\s*(?:عام\s+)?(?P<y2>\d{{4}}){_GSUF}?"),
        ("range_years", rf"بين\s+(?:عامي|العامين|عام|العام|سنتي)?\s*(?P<y1>\d{{4}}){_GSUF}?(?:\s*[\-–]|\s+(?:و|ولغاية|وحتى|الى|حتى))\s*(?:عام\s+)?(?P<y2>\d{{4}}){_GSUF}?"),
        # من 1930 حتى 1940، (1957 إلى 1985): the years of an office in brackets
        ("range_years", rf"(?:(?:من|منذ)\s+{_YEARW}?|(?<=\())(?P<y1>\d{{4}}){_GSUF}?\s+(?:الى|حتى|لغاية|وحتى|والى)\s+{_YEARW}?(?P<y2>\d{{4}}){_GSUF}?"),
        ("range_years", rf"{since}{_YEARW}?(?P<y1>(?:19|20)\d\d)\s*[\-–/]\s*(?P<y2>(?:19|20)\d\d){_GSUF}?"),
        ("greg_dmy", rf"{since}{pre}{day}\s*(?:من\s+)?(?:ل?شهر\s+)?{gmonth}(?:{yr}|{monthrel}{relyear})?"),
        ("greg_my", rf"{since}(?P<shahr>شهر\s+)?{gmonth}(?:{yr}|{monthrel}{relyear})?"),
        ("hijri", rf"{since}{pre}(?:{not_part}{day}\s*(?:من\s+)?)?(?P<shahr>ل?شهر\s+)?(?P<hm>{hij})(?:\s+(?P<ep>{_EPITHET}))?(?:{hyear}|\s+(?P<rel>{_REL})|{hyrel})?(?P<hs>{_HSUF})?(?(hs){hrel_after}|(?:(?<=\d)(?P<gs>{_GSUF}))?)"),
        ("curday", rf"{since}{pre}(?:{_AL}(?P<d>[0-3]?\d)|(?P<od>{_ORD}))\s+(?:من\s+)?(?:(?:ال)?شهر\s+(?P<rel>{_REL})|(?P<cur>{_CURR}|هذا\s+الشهر)|(?P<same>نفس\s+الشهر|ذات\s+الشهر|الشهر\s+(?:نفسه|ذاته)))"),
        # الشهر نفسه (من العام الماضي)، بالشهر نفسه قبل سنة: the month last written (a year
        # before it); not before a written year (الشهر ذاته من عام 2014: the year is the date,
        # as issue14d annotates it) nor نفس الشهر من الأعوام الماضية (a habit)
        ("same_month", rf"(?:(?:ال)?شهر\s+(?:نفسه|ذاته)|(?:نفس|ذات)\s+الشهر)(?:\s+(?:من|في)\s+(?P<yrel>(?:ال)?عام\s+{_REL})"
                       rf"|\s+(?P<ago>قبل\s+(?:عام|سنة)(?:\s+مضى)?)"
                       rf"|(?!\s+(?:(?:من|في)\s+|ل(?=عام))?(?:(?:ال)?عام\s+)?\d|\s+(?:من|في)\s+(?:الاعوام|السنوات|كل)))"),
        ("hijri_paren", rf"{pre}\(\s*(?P<d>[0-3]?\d)\s+(?P<hm>{hij})\s*\)"),
        ("numeric", rf"{since}{pre}(?<![\d/.\-])(?P<d>[0-3]?\d)\s*(?P<sep>[/.\-])\s*(?P<m>[01]?\d)(?:\s*(?P=sep)\s*|\s+)(?P<y>\d{{4}})(?![\d/])(?P<hs>{_HSUF})?{_GSUF}?"),
        # a weekday before a day and month without a year (يوم السبت 2-10، الثلاثاء 10/12)
        ("weekday_dm", rf"{pre}(?<![\d/.\-])(?P<d>[0-3]?\d)\s*(?P<sep>[/\-])\s*(?P<m>[01]?\d)(?![\d/\-]|\.\d|\s*[/\-]\s*\d)"),
        ("numeric_ymd", rf"{since}{pre}(?<![\d/.\-])(?P<y>\d{{4}})\s*(?P<sep>[/.\-])\s*(?P<m>[01]?\d)\s*(?P=sep)\s*(?P<d>[0-3]?\d)(?![\d/])(?P<hs>{_HSUF})?{_GSUF}?"),
        # من before the year is no part of it (الأشهر التسعة الأولى من عام 1435هـ، بدءًا من العام
        # 1430هـ), as before a Gregorian year
        ("hijri_year", rf"{since}(?!من\s){_YEARW}?(?P<y>1[345]\d\d|{_HYEAR3}){_HSUF}{hrel_after}"),
        # the year may be glued to its noun (عام2014، العام2015، عام1991): 19 in the corpus, all years
        # a relative word after the year is part of it when it gives that year (عام 2015 الحالي،
        # عام 2016 المقبل، عام 2014 الماضي: 9 in the corpus; twenty-eighth round)
        # and a Hijri year in brackets after a relative year, or after العام الهجري + a relative word
        # (العام المنصرم (1435هـ)، العام الهجري المقبل 1437هـ): one expression where the year is the one
        # the word gives (4 in the corpus, all such; twenty-ninth round)
        ("year", rf"{since}(?:(?:(?<!لل)عام|العام|(?<!لل)سنة|السنة|عامي|(?<!ل)لل(?:عام|سنة))(?:\s+(?:(?P<hera>الهجري[ةه]?)\s+(?={_REL}))?"
                 rf"(?:(?P<yrel0>{_REL})(?:\s+|\s*(?P<ybo>\(\s*)))?|(?=\d)))(?P<y>\d{{4}})(?:{_GSUF}|(?P<hs>{_HSUF}))?(?(ybo)\s*\))"
                 rf"(?P<yrw>\s+(?P<yr>{_REL}))?"),
        ("year", rf"{since}(?P<y>(?:1[89]|20)\d\d){_GSUF}"),
        # before 1900 only as a list's entry; 14xx only as an edition's or a season's Hijri year
        ("year_bare", rf"{since}(?P<y>(?:1[4-9]|20)\d\d)"),
        # عام 600 ميلادية، عام 822م: a year before 1000 only with عام and the era written
        ("year_ad", rf"{since}(?:عام|العام|سنة|السنة)\s+(?P<y>[1-9]\d\d){_GSUF}"),
        ("decade", rf"{since}(?:ال)?(?P<dec>{'|'.join(_DECADES)})(?:يات|ات)(?:\s+(?:من\s+)?القرن\s+(?P<cent>الماضي|العشرين|التاسع\s+عشر))?"),
        ("ago", rf"(?P<dir>منذ|قبل|بعد)\s+(?:(?P<n>\d{{1,3}}|{'|'.join(_NUMW)})\s+)?(?P<unit>{'|'.join(_UNITS)})"),
        # the weekday after them bare, in brackets, quotes or dashes: أمس (الأحد)، امس «الاربعاء»، يوم غد -الاثنين-;
        # a bare one with المقبل: يوم غد الاثنين المقبل
        ("relday", rf"{since}(?:يوم\s+)?(?P<rd>(?:ال)?اول\s+(?:من\s+)?امس|امس\s+الاول|بعد\s+غدا?|(?:ال)?امس|اليوم|هذا\s+اليوم|غدا|الغد|غد|الليلة\s+الماضية|ليلة\s+امس|الليلة\s+قبل\s+الماضية|الليلة|البارحة\s+الاولي|(?:ليلة\s+)?البارحة)(?:\s*(?P<pw>[(«\"“\-]\s*)?(?:[،,]\s*(?={_WD}[،,]))?(?P<wd>{_WD})(?(pw)\s*[)»\"”\-]|(?:\s+(?:المقبل|القادم))?))?"),
        # يوم (الاثنين) too: the bracket only after يوم, and closed
        # a weekday of a week named after it (الثلاثاء من الأسبوع المقبل، يوم الأحد من هذا الأسبوع،
        # الأربعاء من الأسبوع ذاته): 7 in the corpus (twenty-ninth round)
        ("weekday", rf"{since}(?P<yawm>(?:يوم|(?P<this>هذا))\s+(?P<po>\(\s*)?)?(?P<wd>{_WD})(?(po)\s*\)|(?:\s+(?P<before>(?:قبل|بعد)\s+)?(?P<rel>{_REL}))?)"
                    rf"(?P<wk>\s+من\s+(?:هذا\s+الاسبوع|الاسبوع\s+(?P<wrel>{_REL}|ذاته|نفسه)))?"),
        ("relperiod", rf"{since}(?:(?:ال|لل)(?P<unit>اسبوع|شهر|عام|سنة)\s+(?:ال(?P<era>هجري|ميلادي)[ةه]?\s+)?(?P<before>قبل\s+)?(?P<rel>{_REL})|(?:هذا|هذه)\s+(?P<unit2>العام|الشهر|الاسبوع|السنة))"),
        # العامين الماضي والجاري، للعامين الحالي والمقبل، السنتين الماضية والحالية: two years
        # named by their relative words, one interval (7 in the corpus, all two years; twenty-eighth round)
        ("relyears", rf"(?:ال|لل)(?:عامين|سنتين)\s+(?P<r1>{_REL})\s+و\s*(?P<r2>{_REL})"),
    ]
    # patterns are written as printed (حتى، إلى); normalise them like the text (ى -> ي, أ -> ا).
    # Each is compiled when a text first triggers it (`LazyPattern`: most articles trigger
    # only some, and compiling them all was most of a cold start's dates stage)
    # a day glued to the word before it, in a date with its year (the dateline ينبع26 شوال 1436هـ،
    # في17 يناير 2012) or before a month name that is no common word (الموافق30 شوال، يوم20
    # يوليو; not مارس, صفر): the date starts at the digits
    index = _month_index()[0]
    plain = convert_words_to_regex(n for n, (_, _, strict) in index.items() if not strict)
    glued = (rf"(?:{_B}|(?<=[\u0621-\u064a])(?=[0-3]?\d\s+(?:(?:\S+\s+){{1,3}}\d{{4}}"
             rf"|(?:من\s+)?(?:شهر\s+)?(?:{plain})(?!\w))))")
    # a numeric date with its year glued to the word before it (الموافق9/8/2015م، بتاريخ16/10/1436ه،
    # في3/6/2015: the date starts at the digits; thirty-first round)
    start = {"greg_dmy": glued, "hijri": glued, "numeric": rf"(?:{_B}|(?<=[\u0621-\u064a])(?=\d))"}
    start["numeric_ymd"] = start["numeric"]
    return [(name, folded(start.get(name, _B) + _CLITIC + "(?P<x>" + rx + ")" + _E, LazyPattern)) for name, rx in p]


# Every pattern needs one of its trigger words (a month name, a digit pair, a weekday...);
# it runs only in windows around them (WINDOW_BEFORE/AFTER characters, far more than any
# expression reaches from its trigger), so a long article costs a few cheap scans.
_TRIGGER_OF = {
    "range_days": "gmonth", "range_dm": "gmonth", "range_months": "months2", "range_months_h": "months2", "greg_dmy": "gmonth", "greg_my": "gmonth",
    "range_days_h": "hmonth", "range_dm_h": "hmonth", "hijri": "hmonth", "hijri_paren": "hmonth",
    "range_numeric": "numeric", "range_numeric_dm": "numeric_dm", "numeric": "numeric", "range_curdays": "current",
    "numeric_ymd": "numeric", "weekday_dm": "numeric",
    "range_hyears": "year4", "range_years": "year4", "hijri_year": "year4", "year": "year4",
    "year_bare": "year4", "year_ad": "year4", "curday": "current", "same_month": "current", "decade": "decade", "ago": "ago",
    "relday": "relday", "weekday": "weekday", "relperiod": "period", "relyears": "period",
}
WINDOW_BEFORE, WINDOW_AFTER = 80, 100
#: the proclitics `_CLITIC` admits, one of them at least
_CLITIC_RUN = _CLITIC.removesuffix("?")


# بعد is one of the commonest words of news: it triggers only before a count or a unit
_AHEAD = rf"بعد\s+(?:\d|(?:{'|'.join(_NUMW)}|{'|'.join(_UNITS)})(?!\w))"


def _triggers() -> dict[str, re.Pattern[str]]:
    _, greg, hij = _month_index()
    raw = {
        # a month name as the patterns place it: after a non-letter (a space, a digit, a
        # slash) or after proclitics at a word's start (بمارس، ولشهر), and before a
        # non-letter, never inside a word: اب (August) and ماي (May) are in كتاب، ابو،
        # انتخابات، ماية, and windows around those covered most of a text. A pattern may
        # also write a month right before another month or a year word (يونيوحزيران،
        # مارسالعام): the trigger keeps those too
        # (one lookbehind first, then the proclitics only where no digit precedes: the same
        # matches as "after a non-letter-or-digit and proclitics, or after a non-letter",
        # a third cheaper)
        "gmonth": rf"(?<![^\W\d_])(?:(?<!\d){_CLITIC_RUN})?(?:{greg})"
                  rf"(?:(?![^\W\d_])|(?={greg}|{_YEARW}))",
        "hmonth": hij, "numeric": r"\d\s*[/.\-–]\s*\d",
        # four digits, or three after عام/سنة (عام 600 ميلادية): one scan for both
        "year4": r"\d{3}(?:\d|(?<=(?:عام|سنة)\s\d{3}))",
        "current": _CURR + "|الشهر", "decade": r"ين(?:يات|ات)", "ago": "منذ|قبل|" + _AHEAD,
        "relday": "امس|اليوم|غد|الليلة|البارحة", "weekday": _WD,
        # rare words or whole expressions, so that these patterns run in few windows
        "period": rf"(?:اسبوع|شهر|عام|سنة|عامين|سنتين)\s+(?:ال(?:هجري|ميلادي)[ةه]?\s+)?(?:قبل\s+)?{_REL}|(?:هذا|هذه)\s+ال(?:عام|شهر|اسبوع|سنة)",
        "months2": "شهري|الشهرين", "numeric_dm": r"\d\s*/\s*\d{1,2}(?:\s*/)?\s+(?:الى|حتى|و)",
    }
    return {k: folded(v) for k, v in raw.items()}


_COMPILED: list[tuple[str, LazyPattern, str]] | None = None
_TRIGGERS: dict[str, re.Pattern[str]] = {}


def _compiled() -> list[tuple[str, LazyPattern, str]]:
    global _COMPILED
    if _COMPILED is None:
        _TRIGGERS.update(_triggers())
        _COMPILED = [(kind, rx, _TRIGGER_OF[kind]) for kind, rx in _patterns()]
    return _COMPILED


def _windows(norm: str, trigger: re.Pattern[str]) -> list[tuple[int, int]]:
    """Merged [start, end) windows around each trigger match."""
    out: list[tuple[int, int]] = []
    for m in trigger.finditer(norm):
        s, e = max(0, m.start() - WINDOW_BEFORE), min(len(norm), m.end() + WINDOW_AFTER)
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def _resolve(kind: str, m: re.Match[str], norm: str, pub: dt.date | None) -> dict[str, Any] | None:
    g = m.groupdict()
    s, e = m.start(), m.end()
    if s >= 2 and norm[s - 1] in ".,٫" and norm[s - 2].isdigit() or norm[e:e + 1] in ".,٫" and norm[e + 1:e + 2].isdigit():
        return None  # 53.7 هذا الشهر, قدرها 2069.4 مليون: no day, no year inside a decimal number
    for o, d in (("o1", "d1"), ("o2", "d2")):  # من الأول إلى الخامس من سبتمبر
        if g.get(o):
            g[d] = str(_ORDINALS[" ".join(g[o].split())])
    if kind in ("greg_dmy", "greg_my", "range_days"):
        m1, _, strict = _month_of(g["m1"])
        if g.get("mpc") and not norm[:m.start("m1")].rstrip().endswith("("):
            return None  # a ")" between the names closes a bracket the first one did not open
        if g.get("m2"):
            m2 = _month_of(g["m2"])[0]
            if m2 != m1:
                between = norm[m.end("m1"):m.start("m2")]
                if kind != "greg_my" or not re.fullmatch(r"\s*[\-–]\s*", between):
                    return None
                return _RESOLVERS["range_months"](dict(g, ma=g["m1"], mb=g["m2"]), pub)
            strict = False
        year = int(g["y"]) if g.get("y") else None
        if year is not None and not 1000 <= year <= 2200:
            return None
        rel = g.get("rel")
        if kind == "greg_my" and strict and year is None and not rel and not g.get("shahr") \
                and not g.get("yrel") and not g.get("since") and _prev_word(norm, m.start("x")) not in _STRICT_MONTH_CUES:
            return None  # مارس alone is also "he practised"; في مارس، منذ مارس are the month
        if kind == "greg_my" and year is None and not rel and not g.get("yrel") \
                and (_prev_word(norm, m.start("x")) in _EVENT_NOUNS or _NAME_AFTER_MONTH_RE.match(norm, e)):
            return None  # ثورة يناير، نكسة حزيران: an event of another year; مايو كلينيك: a name
        if kind != "range_days" and year is None and not rel and not g.get("yrel") \
                and _ALLIANCE_RE.search(norm, max(0, m.start("x") - 40), m.start("x")):
            return None  # قوى 14 آذار، فريق 8 آذار: a political alliance named by a day
        if kind == "greg_dmy" and year is None and not rel and not g.get("yrel") \
                and (_NAMED_DAY_RE.search(norm, max(0, m.start("x") - 40), m.start("x"))
                     or (m1, _day_of(g)) in BARE_NAMED_DAYS and pub is not None
                     and (m1, _day_of(g)) > (pub.month, pub.day)):
            year = NAMED_DAYS.get((m1, _day_of(g)))  # ثورة 25 يناير: 2011; بعد 11 سبتمبر in July: 2001
        relative = year is None
        if year is None and g.get("yrel"):
            year = _yrel_year(g["yrel"], pub)
        elif year is None and pub is not None:
            year = _year_for_month(m1, rel, pub)
            day = 1
            if kind in ("greg_dmy", "range_days"):
                day = _day_of(g) if kind == "greg_dmy" else int(g["d1"])
                year = _year_for_day(year, m1, day, rel, pub, g.get("wd"))
            if (m1, day) > (pub.month, pub.day) and not rel and (
                    g.get("since") or _SINCE_CLAUSE_RE.search(norm, max(0, m.start("x") - 40), m.start("x"))):
                year = pub.year - 1  # منذ (اغلاقه في) نوفمبر in July: the last November
            elif m1 > pub.month and not rel and _told_as_past(norm, m.start("x"), e):
                year = pub.year - 1  # وفي نوفمبر تعهدت، صدر في ديسمبر: in July, the last one
        end = None
        if g.get("ry"):
            if year == int(g["ry"]):
                relative = False
            else:  # شهر مايو الماضي 1959 فرعا: a count, not the year
                end = m.start("ryw")
        if kind == "range_days":
            d1, d2 = int(g["d1"]), int(g["d2"])
            if year is None:
                return _attrs(None, "range", True)
            if not (_valid(year, m1, d1) and _valid(year, m1, d2) and d1 < d2) \
                    or g.get("o1") and not g.get("pfx") and d2 - d1 > 3:
                return None  # السادس والعشرين من فبراير is one day
            s, e = f"{year}-{m1:02d}-{d1:02d}", f"{year}-{m1:02d}-{d2:02d}"
            return _attrs(f"{s}/{e}", "range", relative, range_start=s, range_end=e)
        if kind == "greg_my":
            value = f"{year}-{m1:02d}" if year else None
            return _since(m, _attrs(value, "month", relative, end=end))
        d = _day_of(g)
        if not 1 <= d <= 31:
            return None
        if g.get("od") and _prev_word(norm, m.start("x")) in _PART_WORDS:
            return None  # النصف الثاني من يوليو: the second half, not the 2nd
        value = f"{year}-{m1:02d}-{d:02d}" if year and _valid(year, m1, d) else None
        if year and value is None:
            return _attrs(None, "day", relative, reason="no such day", end=end)
        return _since(m, _attrs(value, "day", relative, end=end))
    if kind in ("hijri", "hijri_paren"):
        return _resolve_hijri(m, g, pub)
    if kind == "curday" and g.get("od") and _prev_word(norm, m.start("x")) in _PART_WORDS:
        return None  # الأسبوع الثالث من الشهر نفسه: the third week, not the 3rd
    if kind in _RESOLVERS:
        return _RESOLVERS[kind](g, pub)
    if kind == "weekday_dm":
        return _resolve_weekday_dm(g, pub)
    if kind in ("numeric", "numeric_ymd"):
        y, mo, d = int(g["y"]), int(g["m"]), int(g["d"])
        if 1300 <= y <= 1600 or (g.get("hs") and y < 1700):
            if not (1 <= mo <= 12 and 1 <= d <= 30):
                return None
            date = _match_weekday(convert_hijri_to_gregorian(y, mo, d), g.get("wd"))
            return _since(m, _attrs(date.isoformat(), "day", False, "hijri", hijri=f"{y}-{mo:02d}-{d:02d}"))
        if not (1800 <= y <= 2200 and _valid(y, mo, d)):
            return None
        return _since(m, _attrs(f"{y}-{mo:02d}-{d:02d}", "day", False))
    if kind == "hijri_year":
        return _resolve_hijri_year(m, int(g["y"]))
    if kind in ("year", "year_bare"):
        y = int(g["y"])
        if not 1000 <= y <= 2200:
            return None
        # the relative word after it only where it gives that year (not عام 2004 الماضي)
        end = m.start("yrw") if g.get("yrw") and (pub is None or y != pub.year + _rel_shift(g["yr"])) else None
        if g.get("ybo") or g.get("hera"):  # العام المنصرم (1435هـ), العام الهجري المقبل 1437هـ
            if pub is None or not g.get("hs") or y != convert_gregorian_to_hijri(pub)[0] + _rel_shift(g["yrel0"]):
                return None  # the relative year and the written one each stay an expression
        if kind == "year" and (g.get("hs") and y < 1700 or HIJRI_BARE_YEARS[0] <= y <= HIJRI_BARE_YEARS[1]
                               and not _GSUF_END_RE.search(norm, m.start("x"), m.start("yrw") if g.get("yrw") else m.end("x"))):
            # عام 1435 in 2015 news is the Hijri year (a relative word after it stays out, as before)
            return dict(_resolve_hijri_year(m, y), end=m.start("yrw") if g.get("yrw") else None)
        if kind == "year_bare":
            if y < 1500:
                return _resolve_hijri_year(m, y) if _labels_hijri_year(norm, m, y, bool(g.get("since"))) else None
            if _opens_list_item(norm, m.start("x"), m.end("x")):
                return _attrs(str(y), "year", False)  # 1923 - عرض ...: a "this day in history" entry
            prev = _prev_word(norm, m.start("x"))
            if y < 1900 or not g.get("since") and prev not in _MONTH_CUES | {"عام", "لعام"} \
                    and _CLITICS_RE.sub("", prev).removeprefix("ال") not in _SEASONS \
                    and not _names_a_year(norm, m.start("x"), m.end("x"), prev) \
                    and not _EDITION_RE.search(norm, max(0, m.start("x") - 60), m.start("x")) \
                    and not _PART_OF_YEAR_RE.search(norm, max(0, m.start("x") - 24), m.start("x")):
                return None
            if _counts(norm, m.start("x"), m.end("x")):
                return None  # أكثر من 2000 فعالية، إلى 1950 ميجاوات: a count after a cue word
        return _since(m, _attrs(str(y), "year", False, end=end))
    if kind == "year_ad":
        return _since(m, _attrs(f"{int(g['y']):04d}", "year", False))
    if kind == "range_years":
        y1, y2 = int(g["y1"]), int(g["y2"])
        if y2 == y1 - 1:
            y1, y2 = y2, y1  # a season written in reverse (موسم 2014/2013، الموسم الرياضي 2016 - 2015م)
        if not (1000 <= y1 < y2 <= 2200) or _counts(norm, m.start("x"), m.end("x")):
            return None  # ما بين 1300 الى 1500 كيلو: a count
        return _attrs(f"{y1}/{y2}", "range", False, range_start=str(y1), range_end=str(y2))
    if kind == "decade":
        if re.match(r"\s*من\s+العمر", norm[m.end("x"):m.end("x") + 12]):
            return None  # في الثمانينات من العمر: an age
        cent = g.get("cent") or ""
        c = 18 if "التاسع" in cent else 19
        return _since(m, _attrs(f"{c}{_DECADES[g['dec']]}", "decade", False))  # منذ الثمانينات too
    if kind == "ago":
        unit, implied = _UNITS[g["unit"]]
        n = g.get("n")
        count = (int(n) if n.isdigit() else _NUMW[n]) if n else implied
        if count is None or (n and (implied == 2 or (implied == 1 and count < 11))):  # 50 سنة, not 3 سنة
            return None
        if _prev_word(norm, m.start("x")) in _UNITS or not n and implied == 1 \
                and re.match(r"\s+ال(?!ي\b)\w\w", norm[m.end("x"):m.end("x") + 8]):
            return None  # عاما بعد عام (year after year), بعد يوم الراحة (after the rest day): no count
        if unit == "year" and re.match(r"\s*\d{4}", norm[m.end("x"):m.end("x") + 6]):
            return None
        if g["dir"] != "منذ" and re.match(r"\s+(?:(?:واحد|واحدة|واحده|كامل|كاملة|كامله|كاملين|تقريبا)\s+)?(?:فقط\s+)?(?:من|مما|على|علي)\s(?!\s*الان(?!\w))", norm[m.end("x"):m.end("x") + 20]):
            return None  # قبل 70 عاما من الأحداث, بعد يوم واحد (فقط) من/على دعوة, بعد أسبوع كامل من, قبل يومين على
            # الانتخابات, بعد عام مما كان مقررا: counted from another event (من الآن is from
            # now, الانتخابات is not)
        if g["dir"] == "بعد" and not _tells_ahead(norm, m.start("x"), m.end("x")):
            return None  # اضطر إلى الاستقالة بعد 4 أيام، وبعد ثلاثة أشهر في 26 يونيو: after
            # the story's own time, not after publication
        sign = 1 if g["dir"] == "بعد" else -1  # بعد 12 يوما: ahead of publication
        if pub is None:
            return _attrs(None, unit, True)
        if unit == "day":
            return _attrs((pub + dt.timedelta(days=sign * count)).isoformat(), "day", True)
        if unit == "week":
            return _attrs(_iso_week(pub + dt.timedelta(days=7 * sign * count)), "week", True)
        if unit == "month":
            y, mo = _shift_month(pub.year, pub.month, sign * count)
            return _attrs(f"{y}-{mo:02d}", "month", True)
        return _attrs(str(pub.year + sign * count), "year", True)
    if kind == "relday":
        rd = " ".join(g["rd"].split())
        rd = "بعد غد" if rd == "بعد غدا" else rd  # بعد غدًا: the tanween form
        if rd == "امس" and (norm[m.start("x") - 1:m.start("x")] == "ل" or _NEED_RE.match(norm, m.end("x"))):
            return None  # لامس: "touched", not ل + أمس; في أمس الحاجة: "in direst need"
        if rd.endswith(("البارحة", "البارحة الاولي")) and norm[m.start("x") - 1:m.start("x")].isalpha():
            return None  # ما أشبه الليلة بالبارحة: a proverb
        if rd == "اليوم" and (_prev_word(norm, m.start("x")) in _PAPER_WORDS
                              or norm[m.start("x") - 1:m.start("x")] in ("«", '"')):
            return None  # عين اليوم، صحيفة «اليوم»: a newspaper
        if rd == "اليوم" and (after := _DAY_AFTER_RE.match(norm, m.end("x"))):
            return _attrs(None, "day", True, day_after=True, end=after.end())  # see _resolve_same_month
        if rd == "اليوم" and not g.get("wd") and (
                _PER_DAY_RE.search(norm, max(0, m.start("x") - 24), m.start("x"))
                or _BI_RE.search(norm, max(0, m.start("x") - 3), m.start("x"))
                or _prev_word(norm, m.start("x")) in _NOT_TODAY_BEFORE):
            return None  # مليون برميل في اليوم/باليوم، 4 حقن في اليوم، في ذلك اليوم، نفس اليوم: not today
        if rd in ("اليوم", "هذا اليوم") and _prev_word(norm, m.start("x")) in ("مثل", "لمثل"):
            return None  # في مثل هذا اليوم من عام 1990: a day like this one
        if rd in ("اليوم", "هذا اليوم", "الغد", "الليلة"):
            nxt = _NEXT_WORD_RE.match(norm, m.end("x"))
            if not g.get("wd") and (nxt and _qualifies_the_day(nxt.group(1), rd.endswith("اليوم"))
                                    or _HALF_RE.search(norm, max(0, m.start("x") - 8), m.start("x"))):
                return None  # اليوم التالي/الوطني/نفسه، اليوم الـ 15، أيام ونصف اليوم: not today
        offset = {"اليوم": 0, "هذا اليوم": 0, "الليلة": 0, "امس": -1, "الامس": -1, "غدا": 1, "غد": 1,
                  "الغد": 1, "بعد غد": 2, "الليلة الماضية": -1, "ليلة امس": -1, "البارحة": -1,
                  "ليلة البارحة": -1}.get(rd, -2)  # أول أمس، الليلة قبل الماضية، البارحة الأولى
        if pub is None:
            return _since(m, _attrs(None, "day", True))
        date = pub + dt.timedelta(days=offset)
        if g.get("wd"):  # اليوم (الاثنين): the weekday wins within three days
            wd = WEEKDAYS[g["wd"]]
            shift = (wd - date.weekday() + 3) % 7 - 3
            date += dt.timedelta(days=shift)
            if offset <= 0 and date > pub:
                date -= dt.timedelta(days=7)  # today or yesterday was not after the crawl date
            elif offset > 0 and date > pub + dt.timedelta(days=offset + 1):
                # غدا الجمعة crawled on the Tuesday after: written before the crawl date (a
                # day's slack), so the Friday before it, not three days ahead
                date -= dt.timedelta(days=7)
        return _since(m, _attrs(date.isoformat(), "day", True))
    if kind == "weekday":
        prev = _prev_word(norm, m.start("x"))
        block = _PRAYER_WORDS if g.get("yawm") else _WD_BLOCK
        if not g.get("rel") and (prev in block or _CLITICS_RE.sub("", prev) in block):
            return None  # صلاة الجمعة، لقاء الثلاثاء، لصلاة الجمعة; صلاة يوم الجمعة (لقاء يوم الثلاثاء is a date)
        if g["wd"] in _FAMILY_WEEKDAYS and not g.get("rel") and not g.get("yawm") \
                and _after_given_name(norm, m.start("x")):
            return None  # أحمد الخميس، عبدالرحمن بن صالح الخميس: a family name
        if g["wd"] == "الاحد" and re.match(r"\s+عشر", norm[m.end("x"):m.end("x") + 6]):
            return None  # الأحد عشر: eleven
        if g["wd"] == "الاثنين" and not g.get("yawm") and not g.get("rel") and prev in ("بين", "كلا", "هذين"):
            return None
        if pub is None:
            return _since(m, _attrs(None, "day", True))
        ahead = g.get("this") or not g.get("since") and _looks_ahead(norm, m.start("x")) \
            and not _governed_by_perfect(_PAST_BEFORE_WD_RE, norm, m.start("x"))  # التي بدأت الثلاثاء
        rel = g.get("rel") or ("ahead" if ahead else None)  # هذا الأربعاء: the coming one
        date = _weekday_date(WEEKDAYS[g["wd"]], rel, pub)
        if g.get("wk") and g.get("wrel") not in ("ذاته", "نفسه") and not g.get("rel"):
            # in the week (Sunday to Saturday, as Saudi weeks run) of publication, the last or the next
            sunday = pub - dt.timedelta(days=(pub.weekday() + 1) % 7)
            date = sunday + dt.timedelta(days=7 * _rel_shift(g.get("wrel")) + (WEEKDAYS[g["wd"]] + 1) % 7)
        if g.get("before"):  # السبت قبل الماضي / الأربعاء بعد القادم: a week further
            ahead = g["before"].startswith("بعد")
            if _rel_kind(rel) != ("next" if ahead else "past"):
                return None
            date += dt.timedelta(days=7 if ahead else -7)
        return _since(m, _attrs(date.isoformat(), "day", True))
    if kind == "same_month":  # placed in _resolve_same_month
        if not (g.get("yrel") or g.get("ago")):
            return _attrs(None, "month", True, same_as="same")
        year = _yrel_year(g.get("yrel") or "العام الماضي", pub)  # من العام الماضي، قبل سنة
        if year is None:
            return _attrs(None, "month", True, reason="no publication date")
        return _attrs(None, "month", True, same_as=str(year))
    if kind == "relperiod":  # منذ العام الماضي: since
        attrs = _resolve_relperiod(g, pub)
        return attrs and _since(m, attrs)
    if kind == "relyears":  # العامين الماضي والجاري: the two years, in either order
        d1, d2 = sorted((_rel_shift(g["r1"]), _rel_shift(g["r2"])))
        if d2 != d1 + 1:
            return None
        if pub is None:
            return _attrs(None, "range", True)
        y1, y2 = pub.year + d1, pub.year + d2
        return _attrs(f"{y1}/{y2}", "range", True, range_start=str(y1), range_end=str(y2))
    return None  # pragma: no cover


def _resolve_relperiod(g: dict[str, Any], pub: dt.date | None) -> dict[str, Any] | None:
    """الأسبوع/الشهر/العام الماضي|المقبل|الجاري، هذا العام، العام قبل الماضي، الشهر السابق."""
    unit = g.get("unit") or g["unit2"].replace("ال", "", 1)
    kind_rel = _rel_kind(g.get("rel")) or "current"
    delta = _rel_shift(g.get("rel"))
    if g.get("before"):  # العام قبل الماضي: the year before last
        if kind_rel != "past":
            return None
        delta = -2
    if g.get("rel") and re.fullmatch(r"السابق|السابقة", g["rel"]) and unit != "عام" and unit != "سنة":
        # الشهر السابق: the month before the last one written (see _resolve_same_month)
        return _attrs(None, "month", True, month_before=True) if unit == "شهر" else None
    if pub is None:
        gran = {"اسبوع": "week", "شهر": "month"}.get(unit, "year")
        return _attrs(None, gran, True)
    if unit == "اسبوع":
        return _attrs(_iso_week(pub + dt.timedelta(days=7 * delta)), "week", True)
    if unit == "شهر":
        if g.get("era") == "هجري":
            return None  # الشهر الهجري الجاري is a Hijri month (not handled), not the Gregorian one
        y, mo = _shift_month(pub.year, pub.month, delta)
        return _attrs(f"{y}-{mo:02d}", "month", True)
    if g.get("era") == "هجري":  # العام الهجري الجاري: the Hijri year relative to publication
        return _hijri_year_attrs(pub, delta)
    # no era written: the Gregorian year, or the Hijri one in a text that writes its years in
    # Hijri (_hijri_relative_years; "_yrel" is the shift it needs, popped there)
    return _attrs(str(pub.year + delta), "year", True, _yrel=(pub, delta) if g.get("era") is None else None)


def _hijri_year_attrs(pub: dt.date, delta: int) -> dict[str, Any]:
    """The Hijri year `delta` years from the one `pub` falls in, as its Gregorian interval."""
    hy = convert_gregorian_to_hijri(pub)[0] + delta
    end = convert_hijri_to_gregorian(hy + 1, 1, 1) - dt.timedelta(days=1)
    return _attrs(f"{convert_hijri_to_gregorian(hy, 1, 1)}/{end}", "year", True, "hijri", hijri=str(hy))


#: written years of each calendar: a Hijri one with its suffix (1436هـ، 1436 هجرية), a Gregorian
#: four-digit number (2015، 2015م; counts too, which leans to the Gregorian reading)
_HIJRI_WRITTEN_RE = re.compile(r"(?<!\d)1[34]\d\d\s*(?:ه(?!\w)|هجري)")
#: between a Gregorian month and the relative year that places it: (سبتمبر- نوفمبر) من هذا العام
_OF_GAP_RE = re.compile(r"[\s)»\"]*من\s+")
_GREG_WRITTEN_RE = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")


def _hijri_relative_years(norm: str, chosen: list[tuple[int, int, dict[str, Any]]]) -> list[tuple[int, int, dict[str, Any]]]:
    """A relative year without الهجري/الميلادي (هذا العام، العام الماضي، منذ العام الماضي) is the
    Hijri year in a text that writes more Hijri years (1436هـ) than four-digit Gregorian numbers
    (in SaudiNewsNet articles that do, the Hijri year was meant 18 times in 19 uses with a cue:
    docs/dates.md "Eleventh round, follow-up"); the Gregorian one elsewhere, and in a text that
    places a Gregorian month by one (`(سبتمبر- نوفمبر) من هذا العام`)."""
    shifts = [(i, attrs.pop("_yrel")) for i, (_, _, attrs) in enumerate(chosen) if "_yrel" in attrs]
    if not shifts or not any(attrs.get("calendar") == "hijri" for _, _, attrs in chosen):
        return chosen  # no Hijri date found: no text scan
    hijri = len(_HIJRI_WRITTEN_RE.findall(norm))
    if not hijri or hijri <= len(_GREG_WRITTEN_RE.findall(norm)):
        return chosen
    ends = sorted(((e, attrs) for _, e, attrs in chosen), key=lambda c: c[0])
    for i, _ in shifts:
        s = chosen[i][0]
        before = [a for pe, a in ends if pe <= s and _OF_GAP_RE.fullmatch(norm, pe, s)]
        if before and before[-1].get("calendar") == "gregorian" and before[-1].get("granularity") in ("month", "range", "day"):
            # (سبتمبر- نوفمبر) من هذا العام، أبريل الماضي من العام الحالي: the text counts its
            # relative years in Gregorian ones, all of them
            return chosen
    for i, (pub, delta) in shifts:
        s, e, attrs = chosen[i]
        new = _hijri_year_attrs(pub, delta)
        if attrs.get("relation"):
            new["relation"] = attrs["relation"]
        chosen[i] = (s, e, new)
    return chosen


#: a year after عام/سنة without هـ or م in this range is Hijri (عام 1435، العام 1435/1436):
#: Gregorian years 1340-1460 are rare in news, Hijri ones common in Saudi news
HIJRI_BARE_YEARS = (1340, 1460)
#: nouns an ordinal word qualifies when it is not a day (النصف الثاني من يوليو)
_PART_WORDS = {"النصف", "الربع", "الثلث", "الاسبوع", "العشر", "الشطر", "الجزء", "الفصل",
               "الدور", "الشوط", "الشهر", "الموسم", "المركز", "الجولة", "المرحلة"}
_GSUF_END_RE = re.compile(r"(?:م|ميلادي|ميلادية|ميلاديا|للميلاد)\s*$")


#: منذ and up to three words, then في, before a month: منذ اغلاقه في نوفمبر
_SINCE_CLAUSE_RE = re.compile(r"منذ\s+(?:\S+\s+){0,3}في\s+$")
#: perfect verbs of reporting and narration that place a bare month in the past when they
#: govern it (twenty-fourth round: counted over the corpus's bare months later in the year than
#: the publication, docs/dates.md)
_PAST_VERBS = r"(?:قال|قالت|قالوا|أعلن|أعلنت|أعلنوا|صدر|صدرت|أصدر|أصدرت|توقع|توقعت|وافق|وافقت|أطلق|أطلقت|" \
              r"أكد|أكدت|ذكر|ذكرت|تعهد|تعهدت|أقر|أقرت|قرر|قررت|أجرى|أجرت|نشر|نشرت|كشف|كشفت|سجل|سجلت|" \
              r"شهد|شهدت|أسقط|أسقطت|جرى|جرت|زار|زارت|فاز|فازت|أظهر|أظهرت|أشار|أشارت|حذر|حذرت|" \
              r"قتل|قتلت|قتلوا|أصيب|قاوم|قاومت|انتخب|انتخبت|أقيل|استقال|استقالت|توفي|توفيت|بدأ|بدأت)"
#: وفي نوفمبر (تشرين الثاني)، تعهدت: the month opens the clause and a perfect verb follows it
_PAST_OPEN_RE = re.compile(r"(?:^|[.،,؛\n])\s*و?في\s+$")
_PAST_AFTER_RE = folded(rf"\s*[،,]?\s*[وف]?{_PAST_VERBS}(?!\w)")
#: صدر في ديسمبر، وأسقطت هذه الملاحقات في ديسمبر: a perfect verb at most three words before في;
#: none of the words between is a future verb or a particle (سيزور، سوف، لن، أنه), a futures
#: contract (لتسليم) or a meeting to be held (عقد)
_PAST_BEFORE_RE = folded(rf"(?<!\w)[وف]?{_PAST_VERBS}(?P<mid>(?:\s+\S+){{0,3}})\s+(?:في|خلال)\s+$")
#: أعلن الأربعاء، الذي أكد خلال زيارته الخميس، التي شهدت الأربعاء: a perfect verb at most two
#: words before a bare weekday (a time of day between) makes it a past one, whatever the sentence opens with
_PAST_BEFORE_WD_RE = folded(rf"(?<!\w)[وف]?{_PAST_VERBS}(?P<mid>(?:\s+\S+){{0,2}})\s+(?:(?:مساء|صباح|ليل|ليلة)\s+)?(?:يوم\s+)?$")
_NOT_PAST_MID_RE = folded(r"(?<!\w)(?:[وفل]?س[يتنا]\w+|سوف|لن|[وف]?[اإأ]ن|[اإأ]نه|[اإأ]نها|[اإأ]نهم|عقد|[وفل]?لتسليم|تسليم|العقود)(?!\w)")


def _told_as_past(norm: str, start: int, end: int) -> bool:
    """Whether a perfect verb of narration governs the bare month at [start, end): it follows
    `وفي` + the month at a clause's opening, or stands at most three words before the في that
    introduces it with no future or reported clause between."""
    if _PAST_OPEN_RE.search(norm, max(0, start - 8), start) and _PAST_AFTER_RE.match(norm, end):
        return True
    return _governed_by_perfect(_PAST_BEFORE_RE, norm, start)


def _governed_by_perfect(rx: re.Pattern[str], norm: str, start: int) -> bool:
    """Whether `rx` finds a perfect verb before `start` with no future verb, particle, futures
    contract or meeting to be held among the words between."""
    m = rx.search(norm, max(0, start - 60), start)
    return m is not None and not _NOT_PAST_MID_RE.search(m.group("mid"))
#: nouns that name an event by its month (ثورة يناير): no date of the publication's year
_EVENT_NOUNS = {"ثورة", "انتفاضة", "نكسة", "حرب", "احداث", "مجزرة", "حركة"}
#: a word after a month name that makes it a name (مستشفى مايو كلينيك، وقائع مايو كلينك)
_NAME_AFTER_MONTH_RE = re.compile(r"\s+كليني?ك(?!\w)")
#: a political alliance named by a day (قوى 14 آذار، لقوى 8 آذار): no date, nor its month alone
_ALLIANCE_RE = folded(rf"(?<!\w)(?:[وف]?[لب]?)(?:قوي|تيار|فريق|تحالف|ائتلاف)\s+(?:(?:\d{{1,2}}|{_ORD})\s+(?:من\s+)?)?$")
#: nouns before a day that names an event (ثورة 25 يناير، ثورتي 25 يناير و30 يونيو، أحداث
#: 11 سبتمبر): its year is in NAMED_DAYS; after a proclitic, with the day in quotes or brackets
#: (لثورتي «25 يناير» و«30 يونيو»، وأحداث 11 سبتمبر، ثورة (30 يونيو)) and after حوادث too
#: (twenty-eighth round: 16 values in the corpus, all right)
_NAMED_DAY_RE = re.compile(r"(?<!\w)[وفلب]?(?:ثور[ةه]|ثورتي|انتفاض[ةه]|احداث|حوادث|هجمات|اعتداءات|تفجيرات|ذكري)"
                           r"\s*[«(\"“]?\s*(?:\d+\s+\w+(?:\s+\([^()]*\))?\s*[»)\"”]?\s+و\s*[«(\"“]?\s*)?$")
#: prepositions after which a month name that is also a common word is the month (في مارس)
_STRICT_MONTH_CUES = {"في", "وفي", "خلال", "وخلال", "مطلع", "منتصف", "اواخر", "اوائل", "اواسط",
                      "نهاية", "بداية", "بحلول"}
#: words after a bare year that end the phrase it labels (اعتداءات 2008 التي; a date: للدورة
#: 2015 أمس الأول): after any other word the number counts it (2000 برميل)
_AFTER_LABEL_YEAR = {"التي", "الذي", "اللذين", "اللتين", "في", "علي", "عن", "الي", "من", "حيث",
                     "عندما", "حين", "بعد", "قبل", "ضد", "مع", "او", "ثم", "لكن", "بين",
                     "امس", "اليوم", "غدا", *WEEKDAYS}
#: an edition a bare year labels, its noun one of the three words before the year, whatever
#: follows (كأس العالم 2018 لكرة القدم، مونديال البرازيل 2014 أمام، أولمبياد 2022 الشتوي، تصفيات
#: مونديال 2018 يوم السبت، وفي موسم 2012 انتقل، دورة 2015 عقب); an event's name too, its noun
#: without ال (معرض وظائف 2015 المزمع، إكسبو دبي 2020 حدثاً، لجائزة مان بوكر 2015 للرواية; not
#: المعرض باعت 2000 شقة); the name may be quoted (مؤتمر «عربال» 2015، مهرجان «العيد فرحة 1436»)
_EDITION_RE = re.compile(r"(?<!\w)[وف]?(?:(?:لل|[بل])?(?:ال)?(?:كاس|مونديال|بطول[ةه]|اولمبياد|تصفيات|موسم|دور[ةه]|نسخ[ةه])"
                         r"|[بل]?(?:معرض|مهرجان|اكسبو|جاءز[ةه]|مءتمر|ملتقي|منتدي))"
                         r"(?:\s+[«\"“]?[^\W\d_]+){0,2}[»\"”]?\s+$")


def _labels_hijri_year(norm: str, m: re.Match[str], y: int, since: bool) -> bool:
    """مهرجان أبها يجمعنا 1436، مهرجان «العيد فرحة 1436»، لموسم حج 1436، صيف الشرقية 1436: a
    bare 14xx in the Hijri years of the news after an edition's or a season's noun (one of the
    three words before it), counting nothing (not منذ 1400 عام، مهرجان ... 1400 زائر)."""
    start, end = m.start("x"), m.end("x")
    if not HIJRI_BARE_YEARS[0] <= y <= HIJRI_BARE_YEARS[1] or since or _counts(norm, start, end) \
            or re.match(r"\s*(?:عام|سن[ةه]|\w*(?:زاءر|مشارك|شخص))", norm[end:end + 12]):
        return False
    return bool(_EDITION_RE.search(norm, max(0, start - 60), start)
                or _SEASON_BEFORE_RE.search(norm, max(0, start - 40), start))


#: seasons before a bare year (صيف 2013، لخريف 2015 وشتاء 2016، لربيع وصيف 2016)
_SEASONS = {"صيف", "خريف", "شتاء", "ربيع"}
#: a quarter or a half of a year right before a bare year names that year (الربع الثاني 2015،
#: بالربع الرابع 2014، بنهاية النصف الأول 2015): 22 of SaudiNewsNet's 221 such phrases were lost
_PART_OF_YEAR_RE = re.compile(r"(?<!\w)[وف]?(?:لل|[بل]ال|ال)(?:ربع|نصف)\s+ال(?:اول|ثاني|ثالث|رابع|اخير)\s+$")
#: a season's noun one of the two words before a bare Hijri year (في صيف 1434، صيف الشرقية 1436)
_SEASON_BEFORE_RE = re.compile(r"(?<!\w)[وفبل]?(?:ال)?(?:صيف|خريف|شتاء|ربيع)(?:\s+[^\W\d_]+)?\s+$")
#: a year that opens a line (or a list after a colon) and a dash after it: an entry of a "this
#: day in history" list
_LIST_START_RE = re.compile(r"(?:^|\n|:)[ \t]*$")
_LIST_DASH_RE = re.compile(r"[ \t]*[\-–:][ \t]*[^\W\d_]")


def _opens_list_item(norm: str, start: int, end: int) -> bool:
    """1928 - اكتشاف مخطوطات ...، 1981: عوائد السندات ...: a year at a line's start (or after
    the colon that opens the list), then a dash or colon and a word."""
    return bool(_LIST_DASH_RE.match(norm, end) and _LIST_START_RE.search(norm, max(0, start - 8), start))


#: words before a bare number that count or number something (نحو 2000، القرار 2042)
_BEFORE_COUNT = {"نحو", "حوالي", "قرابة", "اكثر", "اقل", "بلغ", "بلغت", "عدد", "رقم", "الرقم",
                 "مجموع", "اجمالي", "القرار", "قرار", "المادة", "مادة", "البند", "الفقرة",
                 "العدد", "الصفحة", "بنحو", "بواقع", "بمعدل", "يزيد", "تزيد", "يتجاوز", "الي",
                 "عن", "و", "او", "بين", "مقابل", "بقيمة"}
_COUNTED_W = {"وحدة", "وظيفة", "وجبة", "ورقة", "وثيقة", "وفاة", "ولادة", "واقعة", "وسيلة"}
_LABEL_YEAR_NEXT_RE = re.compile(r"\s*(?:$|[^\w\s]|(\w+))")


#: nouns a number before them counts (1950 ميجاوات، 2000 فعالية)
_COUNTED_NOUNS = {"فعالية", "مواطن", "شخص", "ميجاوات", "كيلو", "سيارة", "ريال", "دولار", "نقطة",
                  "موظف", "قتيل", "عنصر", "برميل", "طن", "حالة", "متر", "وظيفة", "طالب", "طالبة",
                  "حاج", "لاعب", "شركة", "منزل", "مليون", "الف", "جنيه", "يورو"}
_COUNT_BEFORE_CUE_RE = re.compile(r"(?<!\w)(?:اكثر|اقل|نحو|حوالي|قرابة|يزيد|يقل)\s+(?:من|عن)\s+$")


def _counts(norm: str, start: int, end: int) -> bool:
    """A bare number after a cue word counts something: a count word before the cue (أكثر من
    2000) or a counted noun after it (إلى 1950 ميجاوات)."""
    nxt = re.match(r"\s+(\w+)", norm[end:end + 16])
    return bool(_COUNT_BEFORE_CUE_RE.search(norm, max(0, start - 16), start)) \
        or nxt is not None and nxt.group(1) in _COUNTED_NOUNS


def _names_a_year(norm: str, start: int, end: int, prev: str) -> bool:
    """A bare 19xx/20xx written after a name it labels (كأس العالم 2018، ثورة 2011، اعتداءات
    2008 التي، معرض «وظائف 2015»): the word before is a letter word that does not count, and
    the phrase ends after the number."""
    before = norm[max(0, start - 3):start].rstrip(" «\"“(")
    if not before or not before[-1].isalpha() or prev in _BEFORE_COUNT:
        return False
    nxt = _LABEL_YEAR_NEXT_RE.match(norm, end)
    word = nxt.group(1) if nxt else None
    return nxt is not None and (word is None or word in _AFTER_LABEL_YEAR
                                or (word.startswith("و") and len(word) > 3 and word not in _COUNTED_W)
                                or word.startswith("ب") and len(word) > 3 and not word.startswith(("بتوقيت", "بلاغ")))
    # كأس العالم 2014 بالبرازيل، كأس العالم 2018 بروسيا، الشتوية 2022 بترحيب (not (2059 بتوقيت
    # جرينتش), a time, nor 1913 بلاغا, a count)


#: a sentence that opens with an imperfect verb (ويلعب الأحد، يبدأ الخبراء الأربعاء, the
#: derived forms تستكمل، تتواصل whose past tense never begins with ت, ستقام) or
#: with سوف / من المقرر tells what comes: its bare weekday is the coming one
_IMPERFECT = r"س?ي\w{2,}|س?ت(?:ست|ت)\w{2,}|ست\w{3,}"
_AHEAD_OPENING_RE = re.compile(
    r"(?:(?:من\s+جهة\s+(?:ثانية|اخرى)|على\s+صعيد\s+(?:متصل|اخر)|في\s+سياق\s+(?:متصل|اخر)|الى\s+ذلك)\s*[،,]?\s*)?"
    r"(?:[وف]?فيما\s+)?"
    rf"[وف]?(?:(?P<v>{_IMPERFECT})|سوف|من\s+المقرر|من\s+المنتظر)(?!\w)")
#: an imperfect verb at most two words before a bare weekday (هجر يستأنف تدريباته الأحد,
#: a headline's present): the coming day
_VERB_BEFORE_RE = re.compile(rf"(?<!\w)و?(?P<v>{_IMPERFECT})(?:\s+\w+){{0,2}}\s+$")
#: أمس before حاجة is "most" (في أمس الحاجة إلى), not yesterday
_NEED_RE = re.compile(r"\s+(?:ال)?حاج[ةه]")
#: a number or a counted unit, then في, before اليوم: per day
_PER_DAY_RE = folded(r"(?<!\w)(?:\d+|مليون|الف|برميل|براميل|ساعات|ساعة|مرات|مرة|مكعبة|قياسية|ريال|ريالات|"
                     r"دولار|دولارات|يورو|طن|لتر|وجبات|وجبة|رحلة|رحلات|زائر|حالة|حالات)\s+في\s+$")
#: words before اليوم that make it "per day" (4 حقن في اليوم), all day (طوال اليوم، على مدار
#: اليوم) or another day (ذلك اليوم، نفس اليوم): not today
_NOT_TODAY_BEFORE = {"في", "وفي", "ذلك", "تلك", "نفس", "ذات", "لذلك", "طوال", "مدار"}
#: اليوم التالي: the day after the date written before it (not اليوم التالي على: after an event)
_DAY_AFTER_RE = re.compile(r"\s+التالي(?!\w)(?!\s+علي?(?!\w))")
#: the proclitic ب (with و/ف) right before: باليوم is per day or "with the day", never today
_BI_RE = re.compile(r"(?<!\w)[وف]?ب$")
_NEXT_WORD_RE = re.compile(r"\s+(\w+)")
#: adjectives of اليوم that make it a day, not today (اليوم الأول، اليوم المحدد)
_DAY_ADJECTIVES = {"الاول", "الثالث", "الرابع", "الخامس", "السادس", "السابع", "الثامن", "التاسع",
                   "العاشر", "العشرين", "الواحد", "الاخير", "الاخر", "المحدد", "الموعود", "المفتوح",
                   "الذين", "السابق", "اللاحق", "الحاضر", "الاكثر", "السعيد", "العظيم", "الكبير",
                   "الطويل", "الجميل", "الرائع", "المبارك", "الفضيل", "المشهود", "ال", "النفسه", "الخمس"}


def _qualifies_the_day(word: str, yawm: bool) -> bool:
    """The word after اليوم/الليلة/الغد makes it a day, not today: نفسه/ذاته, الـ + a number
    (اليوم الـ 15) or an adjective: after الليلة/الغد any word with ال (الليلة المباركة);
    after اليوم (masculine) a nisba or ordinal in ي (اليوم التالي/الوطني) or one of
    `_DAY_ADJECTIVES` (اليوم الأول، اليوم الذي), not a noun (وصلت اليوم الطائرة، وحقق ويستهام
    اليوم الفوز). الموافق and إلى leave it today."""
    if word in ("نفسه", "ذاته"):
        return True
    if not word.startswith("ال") or word in ("الي", "الموافق"):
        return False
    return not yawm or word.endswith("ي") or word in _DAY_ADJECTIVES or word[2:].isdigit()


#: اليوم right after نصف is a day's length (ثلاثة أيام ونصف اليوم), not today
_HALF_RE = re.compile(r"(?<!\w)و?نصف\s+$")
#: weekday words that are also Saudi family names (not الاثنين: عبدربه منصور هادي الاثنين)
_FAMILY_WEEKDAYS = {"الخميس", "الجمعة", "السبت"}
#: the word right before a position, and the one before it (عبد الله)
_TWO_WORDS_RE = re.compile(r"(?:(\w+)\s+)?(\w+)\s+$")


def _after_given_name(norm: str, pos: int) -> bool:
    """Whether a common given name (``load_given_names``) is written right before `pos`
    (أحمد الخميس، د.عبدالله الجمعة، عبد الله الجمعة), also after و/ف in a list of names
    (سليمان النزهة ويزيد الخميس وعبدالعزيز الخميس)."""
    m = _TWO_WORDS_RE.search(norm, max(0, pos - 30), pos)
    if m is None or m.end() != pos:
        return False
    names, word = load_given_names(), m.group(2)
    return word in names or word[:1] in "وف" and word[1:] in names \
        or m.group(1) == "عبد" and "عبد" + word in names


#: one proclitic run before a word (لصلاة، وبصلاة، وخطب)
_CLITICS_RE = re.compile(r"^(?:[وف]?(?:لل|[بلك])|[وف])(?=\w{3})")
#: a weekday after these and يوم is the weekly prayer, not a date
_PRAYER_WORDS = {"صلاة", "صلاه", "خطبة"}
#: words before اليوم when it names a newspaper (عين اليوم، صحيفة اليوم، دار اليوم)
_PAPER_WORDS = {"عين", "صحيفة", "جريدة", "لصحيفة", "لجريدة", "بصحيفة", "بجريدة", "دار"}
#: tomorrow, next week or a coming weekday earlier in the sentence (تغادر البعثة غدا الأحد، ويؤدي ...
#: يومي الاثنين والثلاثاء; تم تحديد يوم غد للقاء ... ويوم الاثنين; يختتم تجاربه الخميس المقبل قبل
#: عودته الجمعة، من بعد صلاة عصر الأربعاء المقبل حتى فجر الخميس)
_AHEAD_WORD_RE = re.compile(rf"(?<!\w)(?:غدا|(?:بعد|يوم|صباح|مساء)\s+(?:ال)?غد|(?:الاسبوع|{_WD})\s+{_NEXT})(?!\w)")
#: a future verb (س + an imperfect: سيتم، ستنطلق، سيلتقي) or سوف earlier in the weekday's clause
_FUTURE_VERB_RE = re.compile(r"(?<!\w)[وف]?(?:سوف|س[يت](?:تم|كون|قام|عقد|بدا|نطلق|لتقي|جري|شهد|زور|خوض|لعب|واجه|غادر|"
                             r"صل|عود|حضر|جتمع|نظم|قيم|نعقد|ستضيف|فتتح|ختتم))(?!\w)")
_CLAUSE_END_RE = re.compile(r"[.!؟?\n،,؛]")
#: also what `_IMPERFECT` takes at a sentence's opening that is no imperfect verb: فيما (ف + يما;
#: فيما + an imperfect is read past it), the past سيطر, given names, سياسيا and nouns in سي
_NOT_VERBS = frozenset(folded("يذكر يشار يوم يومي يوما يونيو يونيه يوليو يوليه يناير يما سيطر سيطرت سيطروا "
                              "ياسر يوسف يحيى يزيد ياسين يونس يعقوب سياسيا سياسة سيارة سيارات سيدة", str.split))
_SENTENCE_END_RE = re.compile(r"[.!؟?\n](?!\d)")


def _looks_ahead(norm: str, pos: int) -> bool:
    """Whether the sentence holding `pos` tells what comes: it opens with a verb of the
    present or the future, has one at most two words before `pos`, or says غدا / بعد غد /
    الأسبوع المقبل before `pos`."""
    lo = max(0, pos - 300)
    ends = list(_SENTENCE_END_RE.finditer(norm, lo, pos))
    if not ends and lo > 0:
        return False  # the sentence's opening is out of reach
    start = ends[-1].end() if ends else 0
    while start < pos and norm[start].isspace():
        start += 1
    m = _AHEAD_OPENING_RE.match(norm, start, pos)
    if m is not None and m.group("v") not in _NOT_VERBS:
        return True
    m = _VERB_BEFORE_RE.search(norm, max(start, pos - 40), pos)
    if m is not None and m.group("v") not in _NOT_VERBS:
        return True
    clause = [c.end() for c in _CLAUSE_END_RE.finditer(norm, max(start, pos - 70), pos)]
    if _FUTURE_VERB_RE.search(norm, clause[-1] if clause else max(start, pos - 70), pos):
        return True  # وسيتم عقد اجتماع طارئ الخميس، موغيريني سوف تزور طهران الثلاثاء
    return _AHEAD_WORD_RE.search(norm, start, pos) is not None


#: من الآن after a count (بعد أسبوعين من الآن), or an imperfect verb right after it (بعد ثلاثة
#: أيام يقام السوبر): counted from publication
_FROM_NOW_RE = re.compile(r"\s+من\s+الان(?!\w)")
_VERB_AFTER_RE = re.compile(rf"\s*[،,]?\s*و?(?P<v>{_IMPERFECT})(?!\w)")
#: a word of what comes, anywhere in the sentence (الـ12 من أغسطس المقبل أي بعد 12 يوما،
#: وبعد تسعة أشهر في رمضان القادم، سيتم فتح باب الترشح بعد 45 يوما)
_COMING_WORD_RE = re.compile(r"(?<!\w)(?:سوف|و?س[يت](?:تم|كون)|(?:ال)?(?:مقبل|قادم)(?:[ةه]|ين|تين)?)(?!\w)")

#: a sentence that opens with a verb of the present (تنتهي المهلة بعد ثلاثة أشهر)
_PRESENT_OPENING_RE = re.compile(r"\s*[وف]?[يت]\w{3,}(?<!يوم)(?<!يونيو)(?<!يوليو)(?<!يناير)\s")


def _tells_ahead(norm: str, start: int, end: int) -> bool:
    """Whether `بعد N unit` at [start, end) counts from publication: من الآن or an imperfect
    verb right after it, a word of what comes in its sentence, or a sentence that tells what
    comes (`_looks_ahead`)."""
    if _FROM_NOW_RE.match(norm, end):
        return True
    v = _VERB_AFTER_RE.match(norm, end)
    if v is not None and v.group("v") not in _NOT_VERBS:
        return True
    ends = list(_SENTENCE_END_RE.finditer(norm, max(0, start - 300), start))
    stop = _SENTENCE_END_RE.search(norm, end)
    lo, hi = ends[-1].end() if ends else max(0, start - 300), stop.start() if stop else len(norm)
    return _COMING_WORD_RE.search(norm, lo, min(hi, end + 120)) is not None \
        or _PRESENT_OPENING_RE.match(norm, lo, start) is not None or _looks_ahead(norm, start)


def _resolve_hijri_year(m: re.Match[str], y: int) -> dict[str, Any]:
    s = convert_hijri_to_gregorian(y, 1, 1)
    e = convert_hijri_to_gregorian(y + 1, 1, 1) - dt.timedelta(days=1)
    return _since(m, _attrs(f"{s}/{e}", "year", False, "hijri", hijri=str(y)))


_RANGE_FROM_RE = folded(r"(?:^|\s)[وف]?(?P<w>من|بين|ابتداء\s+من|اعتبارا\s+من)(?:\s+تاريخ)?\s*$")
_RANGE_TO_RE = folded(r"\s*(?:و?(?:الى|حتى|لغاية)|و)\s*(?:تاريخ\s+)?")
#: the longest link between two ends the patterns above admit, and more (ends further apart
#: are not tried)
_LINK_MAX = 24
#: a time of day before a range's weekday (منذ مساء الخميس حتى فجر الجمعة)
_TOD = r"(?:مساء|صباح|فجر|ظهر|عصر)"
_WEEKDAYS_TO_RE = folded(rf"\s*و?(?:الى|حتى|لغاية)\s*(?:{_TOD}\s+)?")
#: before the first of two weekdays joined by `_WEEKDAYS_TO_RE`: من, منذ or بين (a time of day between)
_WEEKDAYS_FROM_RE = folded(rf"(?:^|\s)[وف]?(?P<w>من|منذ|بين|ابتداء\s+من|اعتبارا\s+من)\s+(?:{_TOD}\s+)?$")
_RANGE_ENDS = ("greg_dmy", "greg_my", "hijri", "numeric", "numeric_ymd", "curday", "weekday_dm")  # written out


def join_date_ranges(norm: str, chosen: list, kinds: dict[int, str], pub: dt.date | None = None) -> list:
    """Two written-out days or Gregorian months joined by من ... إلى/حتى/و become one interval
    (من 17 شوال الجاري وحتى 10 ذي القعدة المقبل، من 1436/11/1هـ إلى 1436/11/30هـ، من ديسمبر
    2008 حتى نوفمبر 2010), and so do two weekdays joined by إلى/حتى (من الخميس إلى الأحد, placed
    like يومي الخميس والجمعة); a relative day keeps its own span (من اليوم حتى التاسع عشر من
    الشهر الحالي). `chosen`:
    (start, end, attrs) sorted by start, offsets into `norm`."""
    out: list = []
    i = 0
    while i < len(chosen):
        s1, e1, a1 = chosen[i]
        if _equivalent(norm, chosen, i) and _equivalent(norm, chosen, i + 2):
            # each end with its Gregorian equivalent: من السبت 7-11-1436هـ الموافق 22 اغسطس الجاري
            # الى الاثنين 1-12-1436هـ الموافق 14 سبتمبر المقبل, one interval to the last one
            head = _RANGE_FROM_RE.search(norm, max(0, s1 - 16), s1)
            g1, (_, e2, g2) = chosen[i + 1][2], chosen[i + 3]  # the Gregorian days written
            if (head and g1["value"] < g2["value"] and g1.get("granularity") == "day"
                    and _RANGE_TO_RE.fullmatch(norm, chosen[i + 1][1], chosen[i + 2][0])):
                attrs = _attrs(f"{g1['value']}/{g2['value']}", "range", bool(g1.get("relative") or g2.get("relative")),
                               range_start=g1["value"], range_end=g2["value"])
                out.append((_from_start(head), e2, attrs))
                i += 4
                continue
        if a1.get("granularity") == "range" and kinds.get(s1) == "greg_my":
            # من يونيو - يوليو 2015: من opens the range, as before days (من 4 - 6 أغسطس)
            head = _RANGE_FROM_RE.search(norm, max(0, s1 - 16), s1)
            if head:
                out.append((_from_start(head), e1, a1))
                i += 1
                continue
        if i + 1 < len(chosen) and chosen[i + 1][0] - e1 <= _LINK_MAX:
            s2, e2, a2 = chosen[i + 1]
            head = _RANGE_FROM_RE.search(norm, max(0, s1 - 16), s1)
            bare = head is None and _dated_to_dated(norm, chosen[i], chosen[i + 1], kinds)
            dash = _day_months_dash(norm, chosen[i], chosen[i + 1], kinds)
            linked = dash or _RANGE_TO_RE.fullmatch(norm, e1, s2)
            if (head or bare or dash) and kinds.get(s1) in ("greg_dmy", "greg_my") and linked:
                a1 = _in_year_of(a1, a2)
            ends = _range_values(a1, a2)
            if ((head or dash or bare and not a1.get("relative")) and _range_ends(kinds, chosen[i], chosen[i + 1])
                    and ends and not a1.get("relation") and linked):
                cal = "hijri" if a1.get("calendar") == a2.get("calendar") == "hijri" else "gregorian"
                start = _from_start(head) if head else s1
                attrs = _attrs(f"{ends[0]}/{ends[1]}", "range",
                               bool(a1.get("relative") or a2.get("relative")), cal,
                               range_start=ends[0], range_end=ends[1])
                out.append((start, e2, attrs))
                i += 2
                continue
            head = _WEEKDAYS_FROM_RE.search(norm, max(0, s1 - 16), s1)
            if (head and kinds.get(s2) == "weekday" and not a1.get("relation")
                    and (kinds.get(s1) == "weekday" or kinds.get(s1) == "relday" and _WD_RE.search(norm, s1, e1))
                    and _WEEKDAYS_TO_RE.fullmatch(norm, e1, s2)):
                # من الخميس إلى الأحد، منذ مساء الخميس حتى فجر الجمعة، من اليوم الخميس وحتى الأحد القادم
                if head.group("w") == "منذ" and a1.get("value") and pub is not None and a1["value"] > pub.isoformat():
                    a1 = dict(a1, value=(dt.date.fromisoformat(a1["value"]) - dt.timedelta(days=7)).isoformat())
                attrs = _weekday_pair(a1, a2, norm[s1:e1], norm[s2:e2])
                if attrs is not None:
                    out.append((_from_start(head), e2, attrs))
                    i += 2
                    continue
        out.append((s1, e1, a1))
        i += 1
    return out


#: الشهر and a relative word after a date, of the date's month: من الشهر المقبل
_OF_THE_MONTH_RE = folded(rf"\s+من\s+الشهر\s+(?P<rel>{_REL})(?!\w)")


def _of_the_month(norm: str, chosen: list, pub: dt.date | None) -> list:
    """الشهر with a relative word after a date that names the same month is part of it (من 4
    الى 15 اغسطس من الشهر المقبل written in July، 15 شوال من الشهر الحالي written in Shawwal)."""
    out: list = []
    for s, e, a in chosen:
        if out and pub is not None and (m := _OF_THE_MONTH_RE.fullmatch(norm, out[-1][1], e)):
            s0, _, a0 = out[-1]
            delta = _rel_shift(m.group("rel"))
            if a0.get("calendar") == "hijri":
                _, hm, _ = convert_gregorian_to_hijri(pub)
                same = (a0.get("hijri") or "")[5:7] == f"{(hm - 1 + delta) % 12 + 1:02d}"
            else:
                y, mo = _shift_month(pub.year, pub.month, delta)
                same = (a0.get("range_end") or a0.get("value") or "")[:7] == f"{y}-{mo:02d}"
            if same:
                out[-1] = (s0, e, a0)
                continue
        out.append((s, e, a))
    return out


def _from_start(head: re.Match[str]) -> int:
    """Where a range opened by `_RANGE_FROM_RE` starts: at من or بين, without a proclitic (ومن،
    وبين) and without ابتداء/اعتبارا before من (ابتداءً من عام 2008 الى العام الماضي)."""
    w = head.group("w")
    return head.start("w") + (w.rfind("من") if w.endswith("من") else 0)


_EQUIVALENT_RE = re.compile(r"\s*[،,]?\s*الموافق\s*(?:ل(?=\d))?")


def _equivalent(norm: str, chosen: list, i: int) -> bool:
    """chosen[i + 1] is the day chosen[i] gives, written after الموافق (1-12-1436هـ الموافق
    14 سبتمبر), or one day off it (1436/11/5هـ الموافق 2015/8/21م: a month begun by sighting)."""
    if i + 1 >= len(chosen) or not _EQUIVALENT_RE.fullmatch(norm, chosen[i][1], chosen[i + 1][0]):
        return False
    v1, v2 = chosen[i][2].get("value") or "", chosen[i + 1][2].get("value") or ""
    if not (re.fullmatch(r"\d{4}-\d\d-\d\d", v1) and re.fullmatch(r"\d{4}-\d\d-\d\d", v2)):
        return False
    return abs((dt.date.fromisoformat(v1) - dt.date.fromisoformat(v2)).days) <= 1  # a sighting's day


def _dated_to_dated(norm: str, first: tuple, second: tuple, kinds: dict[int, str]) -> bool:
    """Two written-out days joined by إلى/حتى without من, the second with its year and no
    weekday at either end, are one period too (22-9-1436هـ إلى 6-10-1436هـ، للرابع من ديسمبر
    2013م حتى 24 من أكتوبر 2014م، 14 من يونيو إلى 15 من يوليو عام 2018); with a weekday they
    stay two dates (يوم الأحد 1/11/1436هـ وحتى يوم الاثنين 1/12/1436هـ, as the gold reads them)."""
    (s1, e1, a1), (s2, e2, a2) = first, second
    return (_range_ends(kinds, first, second) and a1.get("granularity") != "month" and not a2.get("relative")
            and bool(_WEEKDAYS_TO_RE.fullmatch(norm, e1, s2)) and not _WD_RE.search(norm, s1, e2))


#: a dash between two ends, with spaces or none (28 يونيو– 4 يوليو 2015م)
_DASH_RE = re.compile(r"\s*[\-–]\s*")


def _day_months_dash(norm: str, first: tuple, second: tuple, kinds: dict[int, str]) -> bool:
    """Two days written with their month names joined by a dash are one period, with من before
    them or not (من 21 أغسطس - 14 سبتمبر; الموافق 28 يونيو– 4 يوليو 2015م, the Gregorian days of a
    Hijri range): a day-month date is never a score or a count."""
    (s1, e1, a1), (s2, _, a2) = first, second
    return (kinds.get(s1) == kinds.get(s2) == "greg_dmy" and a1.get("granularity") == a2.get("granularity") == "day"
            and bool(_DASH_RE.fullmatch(norm, e1, s2)))


def _range_values(a1: dict[str, Any], a2: dict[str, Any]) -> tuple[str, str] | None:
    """The first and last value of a range from `a1` to `a2`: their values, or for two Hijri
    years (عام 1425هـ وحتى عام 1435هـ) the first one's first day and the second one's last;
    None when an end has no value, the ends are out of order, or an end is another interval
    (a Hijri month)."""
    v1, v2 = a1.get("value") or "", a2.get("value") or ""
    if (a1.get("calendar") == a2.get("calendar") == "hijri"
            and a1.get("granularity") == a2.get("granularity") == "year" and v1.count("/") == v2.count("/") == 1):
        v1, v2 = v1.split("/")[0], v2.split("/")[1]
    if not v1 or not v2 or "/" in v1 + v2 or v1 >= v2:
        return None
    return v1, v2


def _range_ends(kinds: dict[int, str], first: tuple, second: tuple) -> bool:
    """Both ends written out, days or months (`_RANGE_ENDS`), or both a year after عام/سنة
    (في عام 1930م وحتى عام 1960، مواليد عام 2000م وحتى عام 2005م), Hijri ones too (عام 1425هـ
    وحتى عام 1435هـ), or such a year to a relative one (من عام 2008 الى العام الماضي)."""
    (s1, _, a1), (s2, _, a2) = first, second
    if kinds.get(s1) in ("year", "hijri_year") and kinds.get(s2) in ("year", "hijri_year", "relperiod"):
        return a1.get("granularity") == a2.get("granularity") == "year"
    return (kinds.get(s1) in _RANGE_ENDS and kinds.get(s2) in _RANGE_ENDS
            and a1.get("granularity") == a2.get("granularity") in ("day", "month"))


def _in_year_of(a1: dict[str, Any], a2: dict[str, Any]) -> dict[str, Any]:
    """A range's first end without its year takes the year written at the other end (من 14
    حزيران (يونيو) إلى 15 تموز (يوليو) 2018), the year before when its month-day comes later."""
    v1, v2 = a1.get("value") or "", a2.get("value") or ""
    if not (a1.get("relative") and not a2.get("relative") and a1.get("calendar") != "hijri"
            and re.fullmatch(r"\d{4}-\d\d(?:-\d\d)?", v1) and re.fullmatch(r"\d{4}-\d\d(?:-\d\d)?", v2)):
        return a1
    year = int(v2[:4]) - (v1[5:] > v2[5:])
    return dict(a1, value=f"{year}{v1[4:]}", relative=False)


_AND_YEAR_RE = re.compile(rf"(?:\s+[لب]\w{{3,}}|\s*\([^()\n]{{1,80}}\))?\s*[،,]?\s*و\s*(?P<y>(?:19|20)\d\d)(?![\d/.\-])(?:{_GSUF})?(?![^\W_])")
_YEAR_END_RE = re.compile(rf"(?<!\d)(?:19|20)\d\d(?:{_GSUF})?$")


def _and_years(norm: str, chosen: list) -> list:
    """A bare year after و that follows a year written as a year is one too (كأس آسيا 2007 و2011،
    في 2005 و2010، أعوام 1958 و1962 و1970، كأس العالم 2018 لروسيا و2022 لقطر، عامي 2006 (فاز
    اشبيلية ...) و2014 (...): a bracket between), unless it counts (2000 دقيقة، و2000 رسالة; the
    first is no year there)."""
    out: list = []
    for k, (s, e, a) in enumerate(chosen):
        out.append((s, e, a))
        nxt = chosen[k + 1][0] if k + 1 < len(chosen) else len(norm)
        while (a.get("granularity") == "year" and a.get("calendar") != "hijri" and not a.get("relative")
               and _YEAR_END_RE.search(norm, s, e)):
            m = _AND_YEAR_RE.match(norm, e)
            if m is None or m.end() > nxt or _counts(norm, m.start("y"), m.end()):
                break
            s, e, a = m.start("y"), m.end(), _attrs(m.group("y"), "year", False)
            out.append((s, e, a))
    return out


def _and_hijri_months(norm: str, chosen: list) -> list:
    """A Hijri month's name after و that follows a Hijri month is one too, of the same Hijri
    year (شملت أشهر ربيع أول وربيع ثان وجمادى الآخر ورجب ورمضان، للأشهر (محرم وربيع الأول)،
    بين شهر جمادى الآخرة وجمادى الأولى من هذا العام); a name the patterns found keeps its own span."""
    out: list = []
    for k, (s, e, a) in enumerate(chosen):
        out.append((s, e, a))
        nxt = chosen[k + 1][0] if k + 1 < len(chosen) else len(norm)
        while a.get("calendar") == "hijri" and a.get("granularity") == "month" and len(a.get("hijri") or "") == 7:
            m = _and_hijri_month_re().match(norm, e)
            if m is None or m.end() > nxt:
                break
            y, month = int(a["hijri"][:4]), _month_of(m.group("hm"))[0]
            first, last = extract_hijri_month_range(y, month)
            s, e = m.start("hm"), m.end("hm")
            a = _attrs(f"{first}/{last}", "month", a.get("relative", False), "hijri", hijri=f"{y}-{month:02d}")
            out.append((s, e, a))
    return out


@lru_cache(maxsize=1)
def _and_hijri_month_re() -> re.Pattern[str]:
    return folded(rf"\s*[،,]?\s*و\s*(?:شهر\s+)?(?P<hm>{_month_index()[2]})(?!\w)")


_AND_RE = re.compile(r"\s+و\s*")
_DAYS_HEAD_RE = re.compile(r"يومي\s+$")
#: before two weekdays that are no interval: a night between them (ليل الخميس والجمعة), days
#: excepted or recurring (عدا الجمعة والسبت، أيام الجمعة والسبت، صيام الاثنين والخميس)
_NOT_PAIR_HEAD_RE = folded(r"(?:ليل|ليله|عدا|ايام|صيام)\s+\(?$")


def join_date_lists(norm: str, chosen: list, kinds: dict[int, str], pub: dt.date | None = None) -> list:
    """Months listed with one year (إبريل ومايو ويونيو 2015م) and two weekdays after يومي
    (يومي الاثنين والثلاثاء) become one interval. `chosen` as in `join_date_ranges`."""
    out: list = []
    i = 0
    while i < len(chosen):
        s1, e1, a1 = chosen[i]
        j = i
        while (j + 1 < len(chosen) and kinds.get(chosen[j][0]) == kinds.get(s1) and _AND_RE.fullmatch(
                norm, chosen[j][1], chosen[j + 1][0]) and kinds.get(chosen[j + 1][0]) == kinds.get(s1)):
            j += 1
        attrs, start = None, s1
        if j > i and kinds.get(s1) == "greg_my":
            attrs = _month_list(norm, chosen[i:j + 1])
        elif j == i + 1 and kinds.get(s1) == "weekday" and _DAYS_HEAD_RE.search(norm, max(0, s1 - 8), s1):
            attrs = _weekday_pair(a1, chosen[j][2], norm[s1:e1], norm[chosen[j][0]:chosen[j][1]], pub)
            start = _DAYS_HEAD_RE.search(norm, max(0, s1 - 8), s1).start()
        elif j == i + 1 and kinds.get(s1) == "weekday" and _next_days(norm[s1:e1], norm[chosen[j][0]:chosen[j][1]]) \
                and not _NOT_PAIR_HEAD_RE.search(norm, max(0, s1 - 8), s1) \
                and not (i and kinds.get(chosen[i - 1][0]) == "weekday" and _AND_RE.fullmatch(norm, chosen[i - 1][1], s1)):
            # two consecutive weekdays without يومي, not of a longer list (الاثنين والثلاثاء،
            # يوم الأحد والاثنين الماضيين): one interval
            attrs = _weekday_pair(a1, chosen[j][2], norm[s1:e1], norm[chosen[j][0]:chosen[j][1]], pub)
        if attrs is None:
            out.append((s1, e1, a1))
            i += 1
            continue
        out.append((start, chosen[j][1], attrs))
        i = j + 1
    return out


#: after a date: it recurs (شهر يونيو من كل عام، أيام الجمعة من كل أسبوع)
_YEARLY_RE = re.compile(r"\s*\)?\s*[،,]?\s*(?:من\s+)?كل\s+(?:عام|سنة|سنه|اسبوع)(?!\w)")
_EVERY_RE = re.compile(r"كل\s+(?:عام|سنة|سنه|اسبوع)(?!\w)")
#: between two dates of one list or period (الخميس والجمعة، 15 يونيو إلى نهاية 15 سبتمبر)
_LINK_RE = folded(r"\s*(?:[،,]|و?(?:الى|حتى|لغاية)|و)?\s*(?:(?:نهاية|بداية|مطلع|منتصف)\s+)?")


def _drop_recurring(norm: str, chosen: list) -> list:
    """Dates that recur every year or week are no dates (نهاية شهر يونيو من كل عام), nor are
    the dates listed or ranged before them (أيام الخميس والجمعة والسبت من كل أسبوع، ما بين
    15 من شهر يونيو إلى نهاية اليوم الـ 15 من شهر سبتمبر من كل عام)."""
    if not _EVERY_RE.search(norm):
        return chosen
    out: list = []
    recurring_from = None  # start of the recurring date after the current one
    for s, e, attrs in reversed(chosen):
        if _YEARLY_RE.match(norm, e) or recurring_from is not None and _LINK_RE.fullmatch(norm, e, recurring_from):
            recurring_from = s
            continue
        recurring_from = None
        out.append((s, e, attrs))
    return out[::-1]


_DATED_RE = re.compile(r"\s*[،,]?\s*(?:ب|و)?(?:ال)?تاريخ\s*")


def _date_the_weekdays(norm: str, chosen: list, kinds: dict[int, str]) -> list:
    """A weekday written before (ب)تاريخ and a day it falls on is that day (يوم الاثنين،
    بتاريخ 18/10/1436هـ، تداول يوم الخميس بتاريخ 30-07-2015م), not the last such weekday."""
    for (s1, e1, a1), (s2, _, a2) in zip(chosen, chosen[1:]):
        if kinds.get(s1) == "weekday" and a2.get("granularity") == "day" and a2.get("value") \
                and _DATED_RE.fullmatch(norm, e1, s2):
            day = dt.date.fromisoformat(a2["value"])
            if day.weekday() == WEEKDAYS[_WD_RE.search(norm, s1, e1).group()]:
                a1["value"] = a2["value"]
    return chosen


_BARE_WD_RE = re.compile(rf"(?:يوم\s+)?{_WD}")
#: how far a weekday may stand after the coming one it follows (characters, in one sentence)
_NEXT_DAY_NEAR = 120


def _days_after_coming(norm: str, chosen: list, kinds: dict[int, str], pub: dt.date | None) -> list:
    """A bare weekday that is the day after a weekday placed on or after publication earlier in
    its sentence is that next day, not the past one (يلعب السبت ليستر سيتي مع سندرلاند، والأحد
    نيوكاسل: the coming Sunday; أن يكون يوم الجمعة مفتوحاً للاعبين قبل الاستعداد للسفر صباح السبت),
    one day after another along a list (الإثنين، الثلاثاء، الأربعاء، الخميس)."""
    if pub is None:
        return chosen
    last = None  # (end, date) of the last weekday placed on or after publication
    for s, e, a in chosen:
        kind = kinds.get(s)
        if kind not in ("weekday", "relday") or a.get("granularity") != "day" or not a.get("value"):
            continue
        wd = _WD_RE.search(norm, s, e)
        if wd is None:
            continue
        day = dt.date.fromisoformat(a["value"])
        if (last is not None and kind == "weekday" and day < pub and _BARE_WD_RE.fullmatch(norm, s, e)
                and s - last[0] <= _NEXT_DAY_NEAR and not _SENTENCE_END_RE.search(norm, last[0], s)
                and WEEKDAYS[wd.group()] == (last[1].weekday() + 1) % 7):
            day = last[1] + dt.timedelta(days=1)
            a["value"] = day.isoformat()
        last = (e, day) if day >= pub else None
    return chosen


#: how near a Hijri date makes a day of الشهر الجاري one of the Hijri month (in characters)
_HIJRI_NEAR = 80


def _hijri_current_days(norm: str, chosen: list, pub: dt.date | None) -> list:
    """A day of the current month with a Hijri date at most `_HIJRI_NEAR` characters away in
    its sentence is the day of the publication's Hijri month (`في الـ27 من الشهر الجاري ويستمر حتى
    الـ4 من شهر ذي القعدة القادم`، `سوق عكاظ (1436هـ – 2015م) التي تنطلق في الـ 27 من الشهر
    الجاري`: 27 Shawwal); without one, the Gregorian month's."""
    if not any("current_day" in a for _, _, a in chosen):
        return chosen
    hijri = [(s, e) for s, e, a in chosen if a.get("calendar") == "hijri"]
    for s, e, attrs in chosen:
        day = attrs.pop("current_day", None)
        if day is not None and pub is not None and any(
                hs - e <= _HIJRI_NEAR and s - he <= _HIJRI_NEAR
                and not _SENTENCE_END_RE.search(norm, min(e, he), max(s, hs)) for hs, he in hijri):
            attrs.update(hijri_current_day(pub, day) or {})
    return chosen


#: after a month or a day-month: the year of the date written before it (ديسمبر (كانون الأول) من
#: نفس العام، 20 فبراير من العام نفسه، 30 اكتوبر (تشرين الاول) تلك السنة)
_SAME_YEAR_RE = folded(r"\s*\)?\s*(?:(?:من|في)\s+)?(?:(?:العام|السنة)\s+(?:نفسه|ذاته|نفسها|ذاتها)|(?:نفس|ذات)\s+(?:العام|السنة)"
                       r"|ذلك\s+العام|تلك\s+السنة)(?!\w)")
_YEAR_VALUE_RE = re.compile(r"(\d{4})(?:-\d\d){0,2}")


def _of_the_same_year(norm: str, chosen: list) -> list:
    """A month or day-month without its year followed by من العام نفسه / من نفس العام / تلك السنة
    takes the year of the last Gregorian date before it (within 400 characters; a relative month
    or year as resolved), the words inside its span; without such a date it is left as it was."""
    out: list = []
    year = None
    for s, e, a in chosen:
        v = a.get("value") or ""
        m = _SAME_YEAR_RE.match(norm, e)
        if (m is not None and a.get("relative") and a.get("calendar") != "hijri" and year is not None
                and s - year[1] <= 400 and a.get("granularity") in ("day", "month")
                and re.fullmatch(r"\d{4}-\d\d(?:-\d\d)?", v)):
            a = dict(a, value=year[0] + v[4:], relative=False)
            e = m.end()
        elif a.get("calendar") != "hijri" and _YEAR_VALUE_RE.fullmatch(v) and not (
                a.get("relative") and a.get("granularity") == "day"):
            # a relative month or year too (مايو من العام نفسه after يونيو الماضي is this
            # year's), not a relative day (اليوم of «المصري اليوم»)
            year = (v[:4], e)
        out.append((s, e, a))
    return out


def _resolve_same_month(norm: str, chosen: list) -> list:
    """24 من نفس الشهر: the day in the month of the last date written before it (a Hijri
    month's day after a Hijri date: من 17 شوال وحتى 28 من الشهر نفسه); الشهر
    السابق: the month before that one, الشهر نفسه that one (in the year its resolver gives: من
    العام الماضي, قبل سنة), both dropped when no month was written before them; اليوم التالي:
    the day after the last day written before it in the same sentence (else dropped)."""
    month = last_day = month_cal = hmonth = None
    out = []
    for item in chosen:
        attrs = item[2]
        day = attrs.pop("same_month", None)
        if attrs.pop("day_after", None):
            if last_day is None or _SENTENCE_END_RE.search(norm, last_day[1], item[0]):
                continue
            attrs.update(_attrs((dt.date.fromisoformat(last_day[0]) + dt.timedelta(days=1)).isoformat(), "day", True))
        if re.fullmatch(r"\d{4}-\d\d-\d\d", attrs.get("value") or ""):
            last_day = (attrs["value"], item[1])
        same_as = attrs.pop("same_as", None)
        if attrs.pop("month_before", None) or same_as:
            if month is None:
                continue
            if same_as and month_cal == "hijri":
                continue  # غرة الشهر نفسه after ذي القعدة: a Hijri month, not its Gregorian one
            y, mo = int(month[:4]), int(month[5:7])
            if same_as is None:
                y, mo = _shift_month(y, mo, -1)
            elif same_as.isdigit():
                y = int(same_as)
            attrs.pop("reason", None)
            attrs.update(_attrs(f"{y}-{mo:02d}", "month", True))
        elif day is not None and month_cal == "hijri":
            if hmonth is not None and (hday := _in_hijri_month(hmonth, day)):
                attrs.pop("reason", None)
                attrs.update(hday)
        elif day is not None and month is not None and _valid(int(month[:4]), int(month[5:7]), day):
            attrs.pop("reason", None)
            attrs.update(_attrs(f"{month}-{day:02d}", "day", True))
        elif re.match(r"\d{4}-\d\d(?:-\d\d)?$", attrs.get("value") or ""):
            month, month_cal = attrs["value"][:7], attrs.get("calendar")
            hmonth = attrs.get("hijri", "")[:7] if month_cal == "hijri" else None
        elif attrs.get("calendar") == "hijri" and attrs.get("granularity") == "month":
            month_cal, hmonth = "hijri", attrs.get("hijri", "")[:7] or None  # شهر رمضان
        out.append(item)
    return out


def _month_list(norm: str, items: list) -> dict[str, Any] | None:
    """The interval of months listed in order, the year written after the last one; or of
    consecutive months in either order with one relative word after the last (يونيو ويوليو
    الماضيين، يونيو و مايو الماضيين، آذار (مارس) ونيسان (أبريل) من هذا العام), the others bare:
    months apart stay apart (يناير وأبريل من هذا العام: two rounds)."""
    values = [a.get("value") or "" for _, _, a in items]
    if not all(re.fullmatch(r"\d{4}-\d\d", v) for v in values):
        return None
    months = [int(v[5:]) for v in values]
    ls, le, _ = items[-1]
    if _REL_RE.search(norm, ls, le) or "العام" in norm[ls:le]:
        if any(re.search(r"\d", norm[s:e]) or _REL_RE.search(norm, s, e) for s, e, _ in items[:-1]) \
                or sorted(months) != list(range(min(months), min(months) + len(months))):
            return None
        months.sort()
    elif items[-1][2].get("relative") or any(b <= a for a, b in zip(months, months[1:])):
        return None
    year = values[-1][:4]
    start, end = f"{year}-{months[0]:02d}", f"{year}-{months[-1]:02d}"
    return _attrs(f"{start}/{end}", "range", False, range_start=start, range_end=end)


def _weekday_pair(a1: dict[str, Any], a2: dict[str, Any], w1: str, w2: str,
                  pub: dt.date | None = None) -> dict[str, Any] | None:
    """يومي الاثنين والثلاثاء: from the first day, placed as a bare weekday, to the second;
    يومي الجمعة والسبت المقبلين: to the second, placed by its word, from the first, both after
    publication (يومي الأحد والاثنين المقبلين written on a Sunday: the next week's)."""
    if a1.get("granularity") != "day" or a2.get("granularity") != "day":
        return None
    gap = (WEEKDAYS[_WD_RE.search(w2).group()] - WEEKDAYS[_WD_RE.search(w1).group()]) % 7
    if not a1.get("value") or not a2.get("value") or gap == 0:
        return _attrs(None, "range", True) if gap else None
    if rel := _REL_RE.search(w2):
        d1 = dt.date.fromisoformat(a2["value"]) - dt.timedelta(days=gap)
        if pub is not None and d1 <= pub and _rel_kind(rel.group()) == "next":
            d1 += dt.timedelta(days=7)
    else:
        d1 = dt.date.fromisoformat(a1["value"])
    a, b = d1.isoformat(), (d1 + dt.timedelta(days=gap)).isoformat()
    return _attrs(f"{a}/{b}", "range", True, range_start=a, range_end=b)


_WD_RE = re.compile(_WD)


def _next_days(w1: str, w2: str) -> bool:
    """The second weekday is the day after the first (الخميس والجمعة), the first bare or
    after يوم."""
    m1, m2 = _WD_RE.search(w1), _WD_RE.search(w2)
    return bool(m1 and m2 and m1.group() == w1.removeprefix("يوم ") and
                (WEEKDAYS[m2.group()] - WEEKDAYS[m1.group()]) % 7 == 1)
_REL_RE = re.compile(_REL)


# ---------------------------------------------------------------- public API
#: a tatweel or an en/em dash between digits is a separator (9ــ10ــ1436هـ، 3 – 11 - 1436هـ)
_DIGIT_SEP_RE = re.compile(r"(?<=\d)[ ]*(?:ـ+|[–—])[ ]*(?=\d)")


def _dash_separators(text: str) -> str:
    """Write a tatweel or an en/em dash between digits as '-' (one character for one, so that
    offsets do not move): a tatweel is no letter stretch that normalisation may drop there,
    and the numeric patterns take one separator throughout (4 – 9 - 1436هـ)."""
    if "ـ" not in text and "–" not in text and "—" not in text:
        return text
    return _DIGIT_SEP_RE.sub(
        lambda t: t.group().replace("–", "-").replace("—", "-").replace("ـ", "-", 1).replace("ـ", " "), text)


def extract_dates(text: str, published: str | None = None) -> list[Span]:
    """Find date expressions in `text`; offsets are into `text` itself."""
    norm, offsets = normalize_with_offsets(_dash_separators(text))
    pub = _parse_published(published)
    cands: list[tuple[int, int, int, dict[str, Any]]] = []
    windows: dict[str, list[tuple[int, int]]] = {}
    for prio, (kind, rx, trig) in enumerate(_compiled()):
        if trig not in windows:
            windows[trig] = _windows(norm, _TRIGGERS[trig])
        for ws, we in windows[trig]:
            for m in rx.finditer(norm, ws, we):
                attrs = _resolve(kind, m, norm, pub)
                if attrs is not None:  # a resolver may end the span early ("end")
                    cands.append((m.start("x"), attrs.pop("end", None) or m.end("x"), prio, attrs))
    cands.sort(key=lambda c: (-(c[1] - c[0]), c[2], c[0]))
    chosen: list[tuple[int, int, dict[str, Any]]] = []
    kinds: dict[int, str] = {}
    for s, e, prio, attrs in cands:
        if all(e <= cs or s >= ce for cs, ce, _ in chosen):
            chosen.append((s, e, attrs))
            kinds[s] = _compiled()[prio][0]
    chosen = _hijri_current_days(norm, sorted(chosen, key=lambda c: c[0]), pub)
    chosen = _of_the_month(norm, join_date_lists(norm, join_date_ranges(norm, chosen, kinds, pub), kinds, pub), pub)
    chosen = _and_hijri_months(norm, _and_years(norm, chosen))
    chosen = _days_after_coming(norm, _date_the_weekdays(norm, chosen, kinds), kinds, pub)
    chosen = _resolve_same_month(norm, _drop_recurring(norm, chosen))
    chosen = _hijri_relative_years(norm, _of_the_same_year(norm, chosen))
    spans = []
    for s, e, attrs in sorted(chosen, key=lambda c: c[0]):
        os_, oe = map_span(offsets, s, e)
        while oe < len(text) and DIACRITICS_RE.match(text[oe]):
            oe += 1  # keep a trailing tatweel or haraka (هـ, غداً) inside the span
        spans.append(Span(os_, oe, "DATE", attrs))
    return spans


class DateStage(Stage):
    """Adds the ``dates`` layer, resolved against ``doc.published``."""

    name = "dates"
    reads = ()  # doc.text and doc.published
    writes = ("dates",)

    def __call__(self, doc: Document) -> Document:
        doc.layers["dates"] = extract_dates(doc.text, doc.published)
        return doc
