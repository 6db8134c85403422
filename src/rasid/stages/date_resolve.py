"""Resolution helpers of the dates stage (`rasid.stages.dates`): publication-relative
years, months, weekdays and Hijri years, and the resolvers of ranges and of days of the
current month. Pure functions of a match's groups and the publication date; the rules
are documented in docs/dates.md."""
from __future__ import annotations

import datetime as dt
import re
from typing import Any

from .calendars import convert_gregorian_to_hijri, convert_hijri_to_gregorian, extract_hijri_month_range
from .date_words import WEEKDAYS, _MONTH_CUES, _NEXT, _ORDINALS, _PAST, _month_of, folded

# ---------------------------------------------------------------- resolution helpers
def _parse_published(published: str | None) -> dt.date | None:
    if not published:
        return None
    try:
        return dt.date.fromisoformat(str(published).strip()[:10])
    except ValueError:
        return None


def _shift_month(year: int, month: int, delta: int) -> tuple[int, int]:
    idx = year * 12 + (month - 1) + delta
    return idx // 12, idx % 12 + 1


def _iso_week(d: dt.date) -> str:
    y, w, _ = d.isocalendar()
    return f"{y}-W{w:02d}"


#: a relative word as the normalised text writes it (الفائت is الفاءت there)
_PAST_RE = folded(_PAST)
_NEXT_RE = folded(_NEXT)


def _rel_kind(rel: str | None) -> str | None:
    if not rel:
        return None
    if _PAST_RE.fullmatch(rel):
        return "past"
    if _NEXT_RE.fullmatch(rel):
        return "next"
    return "current"


def _rel_shift(rel: str | None) -> int:
    """The step a relative word gives: -1 for the past one (الماضي), +1 for the next (المقبل), 0 for
    the present one or none."""
    return {"past": -1, "next": 1}.get(_rel_kind(rel), 0)


#: in the first days of a month, "<this month> المقبل/القادم" is this month: the article was
#: written before the month began or crawled a day or two late (the days rule's slack; dev
#: gold: الثالث من اغسطس المقبل on 1 August)
NEXT_MONTH_SLACK_DAYS = 7


def _year_for_month(month: int, rel: str | None, pub: dt.date) -> int:
    kind = _rel_kind(rel)
    if kind == "past":
        return pub.year if month < pub.month else pub.year - 1
    if kind == "next":
        early = month == pub.month and pub.day <= NEXT_MONTH_SLACK_DAYS
        return pub.year if month > pub.month or early else pub.year + 1
    return pub.year  # no cue: the publication year (see docs/dates.md)


def _yrel_year(yrel: str, pub: dt.date | int | None) -> int | None:
    """The year of العام الماضي/المقبل/الجاري/هذا العام (العام قبل الماضي: two back) relative to `pub` (a date, or a year:
    the publication's Hijri year for a Hijri month)."""
    if pub is None:
        return None
    year = pub if isinstance(pub, int) else pub.year
    return year + _rel_shift(yrel.split()[-1]) - ("قبل" in yrel.split())


def _weekday_date(wd: int, rel: str | None, pub: dt.date) -> dt.date:
    """The weekday `wd` nearest `pub` in the direction of `rel` (المقبل after, الماضي before,
    ``"ahead"`` on or after: a sentence about what comes; none: on or before)."""
    if rel == "ahead":
        return pub + dt.timedelta(days=(wd - pub.weekday()) % 7)
    kind = _rel_kind(rel)
    if kind == "next":
        return pub + dt.timedelta(days=(wd - pub.weekday() - 1) % 7 + 1)
    if kind == "past":
        return pub - dt.timedelta(days=(pub.weekday() - wd - 1) % 7 + 1)
    return pub - dt.timedelta(days=(pub.weekday() - wd) % 7)  # on or before publication


def _valid(y: int, m: int, d: int) -> bool:
    try:
        dt.date(y, m, d)
        return True
    except ValueError:
        return False


def _prev_word(norm: str, pos: int) -> str:
    m = re.search(r"(\w+)\W*$", norm[max(0, pos - 30):pos])
    return m.group(1) if m else ""


def _day_of(g: dict[str, Any]) -> int:
    if g.get("d"):
        return int(g["d"])
    if g.get("first"):
        return 1
    return _ORDINALS[" ".join(g["od"].split())]


def _match_weekday(date: dt.date, wd: str | None) -> dt.date:
    """A Hijri date one day off the weekday printed next to it follows the weekday (sighting)."""
    if wd:
        shift = (WEEKDAYS[wd] - date.weekday() + 3) % 7 - 3
        if abs(shift) == 1:
            return date + dt.timedelta(days=shift)
    return date


def _year_for_day(year: int, month: int, day: int, rel: str | None, pub: dt.date, wd: str | None) -> int:
    """The year of a day-month without a year: المقبل the next such day (never a year late),
    الماضي the last one; a weekday printed with it picks the neighbouring year it fits."""
    kind = _rel_kind(rel)
    if kind in ("next", "past") and _valid(pub.year, month, day):
        date, slack = dt.date(pub.year, month, day), dt.timedelta(days=2)
        year = pub.year
        if kind == "next" and date < pub - slack:
            year += 1
        elif kind == "past" and date > pub + slack:
            year -= 1
    if wd and not kind:
        for cand in (year, year - 1, year + 1):
            if _valid(cand, month, day) and dt.date(cand, month, day).weekday() == WEEKDAYS[wd]:
                return cand
    return year


def _hijri_year_for(hm: int, d: int | None, rel: str | None, pub: dt.date) -> int:
    py, pm, pd = convert_gregorian_to_hijri(pub)
    kind = _rel_kind(rel)
    if kind == "current":
        return py
    if kind == "past":
        return py if hm < pm or (hm == pm and d is not None and d <= pd + 2) else py - 1
    if kind == "next":
        return py if hm > pm or (hm == pm and (d is None or d >= pd - 2)) else py + 1
    if (hm - pm) % 12 <= 2:  # this month or the next two: the coming one (across the new year too)
        return py + 1 if hm < pm else py
    return py if hm <= pm else py - 1


#: nouns a Hijri month alone follows as the month (موسمي رمضان والحج، ليالي رمضان، نهار رمضان),
#: also "the months of" before a list (شملت أشهر ربيع أول وربيع ثان، للأشهر (محرم وربيع الأول))
_HIJRI_MONTH_NOUNS = {"موسم", "موسمي", "ليالي", "نهار", "اشهر", "لاشهر", "الاشهر", "للاشهر"}

#: another Hijri month after الى/حتى: صفر in من صفر إلى شعبان is the month
_TO_HIJRI_MONTH_RE = re.compile(r"\s+(?:الي|حتي)\s+(?:شهر\s+)?(?:محرم|ربيع|جمادي|رجب|شعبان|رمضان|شوال|ذ[وي]\s+ال)")
#: the words before a bare صفر that make it the number zero (written as the text is normalised)
_ZERO_CUES = {"من", "الي"}


def _resolve_hijri(m: re.Match[str], g: dict[str, Any], pub: dt.date | None) -> dict[str, Any] | None:
    hm = _month_of(g["hm"])[0]
    hy = int(g.get("y") or g.get("hry") or 0) or None
    d = _day_of(g) if g.get("d") or g.get("od") or g.get("first") else None
    rel = g.get("rel")
    if d is None and hy is None and not rel and not g.get("shahr") and not g.get("ep"):
        prev = _prev_word(m.string, m.start("x"))
        if prev not in _MONTH_CUES | _HIJRI_MONTH_NOUNS:
            return None  # رمضان alone is also a name; في رمضان، رمضان المبارك، موسم رمضان is the month
        if hm == 2 and prev in _ZERO_CUES and not g.get("yrel") and not _TO_HIJRI_MONTH_RE.match(m.string, m.end("x")):
            return None  # من صفر إلى 100، قريب من صفر في المائة، إلى صفر: zero (not من صفر إلى شعبان)
    if hy is not None and 1900 <= hy <= 2100 and not g.get("hs"):
        hy = _hijri_year_of_month_in(hm, hy)  # شهر رمضان 2014، رمضان 2015م: the Ramadan of that Gregorian year
    elif g.get("gs") or (hy is not None and not (1300 <= hy <= 1600 or hy < 1000)):  # three digits only with عام/سنة and هـ
        return None
    if d is not None and not 1 <= d <= 30:
        return None
    relative = hy is None
    if hy is None and pub is not None:
        hy = _hijri_year_for(hm, d, rel, pub) if not g.get("yrel") \
            else _yrel_year(g["yrel"], convert_gregorian_to_hijri(pub)[0])
    if hy is None:
        return _attrs(None, "day" if d else "month", True, "hijri", hijri=f"{hm:02d}-{d:02d}" if d else f"{hm:02d}")
    if d is None:
        s, e = extract_hijri_month_range(hy, hm)
        return _since(m, _attrs(f"{s}/{e}", "month", relative, "hijri", hijri=f"{hy}-{hm:02d}"))
    date = _match_weekday(convert_hijri_to_gregorian(hy, hm, d), g.get("wd"))
    return _since(m, _attrs(date.isoformat(), "day", relative, "hijri", hijri=f"{hy}-{hm:02d}-{d:02d}"))


def _hijri_year_of_month_in(hm: int, gy: int) -> int:
    """The Hijri year whose month `hm` starts in the Gregorian year `gy` (the first one, where
    two do)."""
    hy = convert_gregorian_to_hijri(dt.date(gy, 1, 1))[0]
    return hy if convert_hijri_to_gregorian(hy, hm, 1).year == gy else hy + 1


def _resolve_curday(g: dict[str, Any], pub: dt.date | None) -> dict[str, Any] | None:
    """5 الجاري، الخامس من الشهر الجاري، 3 من الشهر الماضي: a day of the publication's month
    (or the one before / after); a printed weekday moves it to the neighbouring month it fits,
    or to the publication's Hijri month where no Gregorian one does (a Saudi text's الشهر الجاري)."""
    d = _day_of(g)
    if not 1 <= d <= 31:
        return None
    if g.get("same"):  # 24 من نفس الشهر: the month of the date before it (dates.py)
        return _attrs(None, "day", True, reason="no month written before it", same_month=d)
    if pub is None:
        return _attrs(None, "day", True)
    delta = _rel_shift(g.get("rel"))
    shifts = (delta, delta - 1, delta + 1) if g.get("wd") else (delta,)
    for shift in shifts:
        y, mo = _shift_month(pub.year, pub.month, shift)
        if _valid(y, mo, d) and (not g.get("wd") or dt.date(y, mo, d).weekday() == WEEKDAYS[g["wd"]]):
            # without a weekday, the Hijri month's day by a Hijri date near it (dates.py)
            return _attrs(f"{y}-{mo:02d}-{d:02d}", "day", True, current_day=d if not (delta or g.get("wd")) else None)
    if g.get("wd") and delta == 0 and (hday := hijri_current_day(pub, d)) \
            and dt.date.fromisoformat(hday["value"]).weekday() == WEEKDAYS[g["wd"]]:
        return hday  # يوم الخميس 28 من الشهر الحالي in August 2015: no Gregorian month fits, Shawwal does
    y, mo = _shift_month(pub.year, pub.month, delta)
    if not _valid(y, mo, d):
        return _attrs(None, "day", True, reason="no such day")
    return _attrs(f"{y}-{mo:02d}-{d:02d}", "day", True)


def hijri_current_day(pub: dt.date, day: int) -> dict[str, Any] | None:
    """Day `day` of the Hijri month `pub` falls in (a Saudi text's الشهر الجاري), None past its end."""
    hy, hm, _ = convert_gregorian_to_hijri(pub)
    return _in_hijri_month(f"{hy}-{hm:02d}", day)


def _resolve_range_curdays(g: dict[str, Any], pub: dt.date | None) -> dict[str, Any] | None:
    """من 21 وحتى 23 من الشهر الجاري، يومي 14 و17 من الشهر الجاري: two days of the
    publication's month (or the one before / after), as `_resolve_curday` places one."""
    if pub is None:
        return _attrs(None, "range", True)
    y, mo = _shift_month(pub.year, pub.month, _rel_shift(g.get("rel")))
    d1, d2 = int(g["d1"]), int(g["d2"])
    if not (_valid(y, mo, d1) and _valid(y, mo, d2)):
        return None
    return _range(dt.date(y, mo, d1), dt.date(y, mo, d2), True)


def _resolve_weekday_dm(g: dict[str, Any], pub: dt.date | None) -> dict[str, Any] | None:
    """يوم السبت 2-10، الثلاثاء 10/12: a weekday before a day and month without a year. Of
    the readings (Hijri or Gregorian, day/month or month/day) the one on that weekday within
    45 days of publication; none or more than one: not a date (the weekday alone stays)."""
    if not g.get("wd") or pub is None:
        return None
    wd, a, b = WEEKDAYS[g["wd"]], int(g["d"]), int(g["m"])
    hy = convert_gregorian_to_hijri(pub)[0]
    found: dict[dt.date, dict[str, Any]] = {}
    for d, mo in {(a, b), (b, a)}:
        if not (1 <= mo <= 12 and 1 <= d <= 31):
            continue
        for y in (hy - 1, hy, hy + 1):
            if attrs := _in_hijri_month(f"{y}-{mo:02d}", d):  # None past day 30 or the month's end
                found.setdefault(dt.date.fromisoformat(attrs["value"]), attrs)
        for y in (pub.year - 1, pub.year, pub.year + 1):
            if _valid(y, mo, d):
                found.setdefault(dt.date(y, mo, d), _attrs(f"{y}-{mo:02d}-{d:02d}", "day", True))
    fits = [attrs for date, attrs in found.items() if date.weekday() == wd and abs((date - pub).days) <= 45]
    return fits[0] if len(fits) == 1 else None


def _in_hijri_month(hmonth: str, day: int) -> dict[str, Any] | None:
    """Day `day` of the Hijri month ``YYYY-MM`` (the 8th of the month ذي القعدة 1436 written
    before it), None past the month's end."""
    y, m = int(hmonth[:4]), int(hmonth[5:7])
    if not (1300 <= y <= 1600 and 1 <= day <= 30):
        return None
    first, last = extract_hijri_month_range(y, m)
    date = first + dt.timedelta(days=day - 1)
    return _attrs(date.isoformat(), "day", True, "hijri", hijri=f"{hmonth}-{day:02d}") if date <= last else None


def _range(s: dt.date, e: dt.date, relative: bool, calendar: str = "gregorian", **extra: Any) -> dict[str, Any] | None:
    if s >= e:
        return None
    a, b = s.isoformat(), e.isoformat()
    return _attrs(f"{a}/{b}", "range", relative, calendar, range_start=a, range_end=b, **extra)


def _written_or_placed_year(g: dict[str, Any], hm: int, d: int | None, pub: dt.date | None) -> int | None:
    """The Hijri year a range gives (its ``y`` group), else the year the collection date
    places month `hm` (day `d`) in, else None (no year and no date)."""
    if g.get("y"):
        return int(g["y"])
    return None if pub is None else _hijri_year_for(hm, d, g.get("rel"), pub)


def _resolve_range_days_h(g: dict[str, Any], pub: dt.date | None) -> dict[str, Any] | None:
    """من 3 إلى 7 رمضان، 10-12 شوال 1436هـ: one Gregorian interval."""
    hm = _month_of(g["hm"])[0]
    d1, d2 = int(g["d1"]), int(g["d2"])
    if not (1 <= d1 < d2 <= 30):
        return None
    hy = _written_or_placed_year(g, hm, d1, pub)
    if hy is None:
        return _attrs(None, "range", True, "hijri")
    if not 1300 <= hy <= 1600:
        return None
    return _range(convert_hijri_to_gregorian(hy, hm, d1), convert_hijri_to_gregorian(hy, hm, d2),
                  g.get("y") is None, "hijri", hijri=f"{hy}-{hm:02d}-{d1:02d}/{hy}-{hm:02d}-{d2:02d}")


def _resolve_range_dm(g: dict[str, Any], pub: dt.date | None) -> dict[str, Any] | None:
    """من 28 يوليو إلى 3 أغسطس 2015, من 23 ديسمبر وحتى 5 يناير المقبل: a range across two
    months (the second placed by its relative word, as one month alone)."""
    ma, mb = _month_of(g["ma"])[0], _month_of(g["mb"])[0]
    d1, d2 = int(g["d1"]), int(g["d2"])
    y2 = int(g["y"]) if g.get("y") else None
    y1 = int(g["y1"]) if g.get("y1") else None
    relative = y1 is None and y2 is None
    if y2 is None and y1 is None and pub is not None:
        y2 = _yrel_year(g["yrel"], pub) if g.get("yrel") else _year_for_month(mb, g.get("rel"), pub)
    elif y2 is None:
        y2 = y1
    if y2 is None:
        return _attrs(None, "range", True)
    if y1 is None:
        y1 = y2 - 1 if ma > mb else y2
    if not (_valid(y1, ma, d1) and _valid(y2, mb, d2)):
        return None
    return _range(dt.date(y1, ma, d1), dt.date(y2, mb, d2), relative)


def _range_year(g: dict[str, Any], pub: dt.date | None) -> tuple[int | None, bool]:
    """The year of a numeric range and whether it is Hijri (هـ written, or a year in
    1300-1600); without a year, the publication's year in that calendar (None without one)."""
    y = int(g["y"]) if g.get("y") else None
    hijri = bool(g.get("hs")) or (y is not None and 1300 <= y <= 1600)
    if y is None and pub is not None:
        y = convert_gregorian_to_hijri(pub)[0] if hijri else pub.year
    return y, hijri


def _resolve_range_numeric(g: dict[str, Any], pub: dt.date | None) -> dict[str, Any] | None:
    """10-12/3, 10–12/3/2015, 5-7/9/1436هـ, من 8 إلى 29 - 11 - 1433هـ: days of one month."""
    if g.get("mm"):
        g = dict(g, m=g["mm"], y=g["yy"])
    d1, d2, mo = int(g["d1"]), int(g["d2"]), int(g["m"])
    if not (1 <= mo <= 12 and 1 <= d1 < d2 <= 31):
        return None
    y, hijri = _range_year(g, pub)
    if y is None:
        return _attrs(None, "range", True)
    if hijri:
        if d2 > 30:
            return None
        return _range(convert_hijri_to_gregorian(y, mo, d1), convert_hijri_to_gregorian(y, mo, d2),
                      g.get("y") is None, "hijri", hijri=f"{y}-{mo:02d}-{d1:02d}/{y}-{mo:02d}-{d2:02d}")
    if not (1800 <= y <= 2200 and _valid(y, mo, d1) and _valid(y, mo, d2)):
        return None
    return _range(dt.date(y, mo, d1), dt.date(y, mo, d2), g.get("y") is None)


def _resolve_range_dm_h(g: dict[str, Any], pub: dt.date | None) -> dict[str, Any] | None:
    """من 20 شوال إلى 5 ذي القعدة 1436هـ: a Hijri range across two months."""
    ha, hb = _month_of(g["ha"])[0], _month_of(g["hb"])[0]
    d1, d2 = int(g["d1"]), int(g["d2"])
    if not (1 <= d1 <= 30 and 1 <= d2 <= 30) or ha == hb:
        return None
    y2 = int(g["y"]) if g.get("y") else None
    y1 = int(g["y1"]) if g.get("y1") else None
    relative = y1 is None and y2 is None
    if y1 is None and y2 is not None:
        y1 = y2 - 1 if ha > hb else y2
    if y1 is None and pub is not None:
        y1 = _hijri_year_for(ha, d1, g.get("rel"), pub)
    if y1 is None:
        return _attrs(None, "range", True, "hijri")
    if y2 is None:
        y2 = y1 + 1 if ha > hb else y1
    if not (1300 <= y1 <= y2 <= 1600):
        return None
    return _range(convert_hijri_to_gregorian(y1, ha, d1), convert_hijri_to_gregorian(y2, hb, d2),
                  relative, "hijri", hijri=f"{y1}-{ha:02d}-{d1:02d}/{y2}-{hb:02d}-{d2:02d}")


def _resolve_range_months_h(g: dict[str, Any], pub: dt.date | None) -> dict[str, Any] | None:
    """شهري رجب وشعبان: two Hijri months as one interval (the year placed like the second's)."""
    ha, hb = _month_of(g["ha"])[0], _month_of(g["hb"])[0]
    if ha == hb:
        return None
    y2 = _written_or_placed_year(g, hb, None, pub)
    if y2 is None:
        return _attrs(None, "range", True, "hijri")
    y1 = y2 - 1 if ha > hb else y2
    if not 1300 <= y1 <= 1600:
        return None
    return _range(extract_hijri_month_range(y1, ha)[0], extract_hijri_month_range(y2, hb)[1],
                  g.get("y") is None, "hijri", hijri=f"{y1}-{ha:02d}/{y2}-{hb:02d}")


def _resolve_range_numeric_dm(g: dict[str, Any], pub: dt.date | None) -> dict[str, Any] | None:
    """من 10/8 إلى 15/8/2015, من 28/7 إلى 3/8: day/month to day/month (Hijri with هـ or a
    Hijri year); after a weekday without من only to a second end with its year (يوم السبت 7/11
    وحتى 1/12/1436هـ: الثلاثاء 10/12 والأربعاء 10/13 are two days)."""
    d1, m1, d2, m2 = int(g["d1"]), int(g["m1"]), int(g["d2"]), int(g["m2"])
    if not (1 <= m1 <= 12 and 1 <= m2 <= 12) or not g.get("pfx") and (not g.get("y") or g["to"] == "و"):
        return None
    y, hijri = _range_year(g, pub)
    if y is None:
        return _attrs(None, "range", True)
    y1 = y - 1 if (m1, d1) > (m2, d2) else y
    if hijri:
        if d1 > 30 or d2 > 30 or not 1300 <= y1 <= 1600:
            return None
        return _range(convert_hijri_to_gregorian(y1, m1, d1), convert_hijri_to_gregorian(y, m2, d2),
                      g.get("y") is None, "hijri", hijri=f"{y1}-{m1:02d}-{d1:02d}/{y}-{m2:02d}-{d2:02d}")
    if not (1800 <= y1 and _valid(y1, m1, d1) and _valid(y, m2, d2)):
        return None
    return _range(dt.date(y1, m1, d1), dt.date(y, m2, d2), g.get("y") is None)


def _resolve_range_months(g: dict[str, Any], pub: dt.date | None) -> dict[str, Any] | None:
    """شهري يوليو وأغسطس (2015): two months as one interval, ``2015-07/2015-08``."""
    ma, mb = _month_of(g["ma"])[0], _month_of(g["mb"])[0]
    if ma == mb:
        return None
    y2 = int(g["y"]) if g.get("y") else None
    if y2 is None and g.get("yrel"):
        y2 = _yrel_year(g["yrel"], pub)
    elif y2 is None and pub is not None:
        y2 = _year_for_month(mb, g.get("rel"), pub)
    if y2 is None:
        return _attrs(None, "range", True)
    y1 = y2 - 1 if ma > mb else y2
    if g.get("rel1") and pub is not None:  # شهري مارس الماضي ويوليو الحالي
        y1 = _year_for_month(ma, g["rel1"], pub)
    a, b = f"{y1}-{ma:02d}", f"{y2}-{mb:02d}"
    if a >= b:
        return None
    return _attrs(f"{a}/{b}", "range", g.get("y") is None, range_start=a, range_end=b)


def _resolve_range_hyears(g: dict[str, Any], pub: dt.date | None) -> dict[str, Any] | None:
    """1436/1437هـ (an academic or fiscal year, also written 1437/1436هـ): from 1 Muharram of
    the earlier to the end of the later; 36/1437هـ is 1436/1437هـ."""
    if g.get("yy"):  # only the year before, two digits: 10 / 1436هـ is a day's month
        if (int(g["y2"]) - 1) % 100 != int(g["yy"]):
            return None
        g = dict(g, y1=int(g["y2"]) - 1)
    y1, y2 = sorted((int(g["y1"]), int(g["y2"])))
    if not 1300 <= y1 < y2 <= min(1600, y1 + (1 if "lead" in g and not g["lead"] else 5)):
        return None  # without هـ and عام only two consecutive years: (1346 - 1409) is a lifespan
    end = convert_hijri_to_gregorian(y2 + 1, 1, 1) - dt.timedelta(days=1)
    return _range(convert_hijri_to_gregorian(y1, 1, 1), end, False, "hijri", hijri=f"{y1}/{y2}")


_RESOLVERS = {"curday": _resolve_curday, "range_curdays": _resolve_range_curdays, "range_days_h": _resolve_range_days_h, "range_dm": _resolve_range_dm,
              "range_dm_h": _resolve_range_dm_h, "range_numeric": _resolve_range_numeric,
              "range_numeric_dm": _resolve_range_numeric_dm, "range_hyears": _resolve_range_hyears,
              "range_months": _resolve_range_months, "range_months_h": _resolve_range_months_h}


# ---------------------------------------------------------------- handlers
def _attrs(value: str | None, gran: str, relative: bool, calendar: str = "gregorian", **extra: Any) -> dict[str, Any]:
    out = {"value": value, "granularity": gran, "resolved": value is not None,
           "relative": relative, "calendar": calendar}
    if value is None:  # kept, and says why it has no value
        out["reason"] = extra.pop("reason", None) or ("no publication date" if relative else "unresolvable")
    out.update({k: v for k, v in extra.items() if v is not None})
    return out


def _since(m: re.Match[str], attrs: dict[str, Any]) -> dict[str, Any]:
    if m.groupdict().get("since"):
        attrs["relation"] = "since"
    return attrs
