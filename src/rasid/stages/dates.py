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
from typing import Any

from ..arabic.normalize import DIACRITICS_RE, map_span, normalize_with_offsets
from ..doc import Document, Span
from ..pipeline import Stage
from .calendars import convert_gregorian_to_hijri, convert_hijri_to_gregorian, extract_hijri_month_range
from .date_words import (
    WEEKDAYS, _AL, _B, _CLITIC, _CURR, _DECADES, _E, _GSUF, _HSUF, _MONTH_CUES, _NEXT, _NUMW,
    _ORD, _ORDINALS, _PAST, _REL, _UNITS, _WD, _WD_BLOCK, _YEARW, _month_index, _month_of,
)


# ---------------------------------------------------------------- patterns
_FOLD_RX = str.maketrans({"ى": "ي", "أ": "ا", "إ": "ا", "آ": "ا", "ؤ": "ء", "ئ": "ء"})


def _patterns() -> list[tuple[str, re.Pattern[str]]]:
    _, greg, hij = _month_index()
    gm = f"(?:{greg})"
    # a month pair: نوفمبر/تشرين الثاني, يوليو - تموز, يونيو (حزيران), أغسطس آب
    gmonth = rf"(?P<m1>{gm})(?:\s*(?:[/\-–]\s*|\(\s*)?(?P<m2>{gm})\s*\)?)?"
    day = rf"(?:{_AL}(?P<d>[0-3]?\d)|(?P<od>{_ORD})(?=\s+من\s))"
    hyear = rf"(?:\s*[،,]?\s*{_YEARW}?(?P<y>\d{{4}}))"
    pre = (rf"(?:(?P<rd>(?:يوم\s+)?(?:اول\s+(?:من\s+)?امس|امس\s+الاول|امس|اليوم|غدا|غد))\s+)?"
           rf"(?:(?:يوم\s+)?(?P<wd>{_WD})(?:\s+{_REL})?\s*[،,\-]?\s*(?:الموافق\s+)?|يوم\s+(?:الموافق\s+)?)?")
    since = r"(?P<since>منذ\s+)?"
    yr = rf"(?:\s*[،,]?\s*{_YEARW}?(?P<y>\d{{4}}){_GSUF}?)"
    monthrel = rf"(?:\s+(?P<rel>{_REL})|\s+من\s+(?P<yrel>(?:ال)?عام\s+{_REL}|العام\s+(?:{_REL})|هذا\s+العام))"
    p: list[tuple[str, str]] = [
        ("range_days", rf"(?P<pfx>من|بين|يومي)\s+{_AL}(?P<d1>[0-3]?\d)\s+(?:الى|حتى|و|وحتى|والى|ولغاية)\s*{_AL}(?P<d2>[0-3]?\d)\s+(?:من\s+)?(?:شهر\s+)?{gmonth}(?:{yr}|{monthrel})?"),
        ("range_days", rf"(?P<d1>[0-3]?\d)\s*[\-–]\s*(?P<d2>[0-3]?\d)\s+(?:من\s+)?(?:شهر\s+)?{gmonth}(?:{yr}|{monthrel})?"),
        ("range_days_h", rf"(?P<pfx>من|بين)\s+(?P<d1>[0-3]?\d)\s+(?:الى|حتى|و)\s*(?P<d2>[0-3]?\d)\s+(?:من\s+)?(?:شهر\s+)?(?P<hm>{hij})(?:{hyear}|\s+(?P<rel>{_REL}))?(?P<hs>{_HSUF})?"),
        ("range_days_h", rf"(?P<d1>[0-3]?\d)\s*[\-–]\s*(?P<d2>[0-3]?\d)\s+(?:من\s+)?(?:شهر\s+)?(?P<hm>{hij})(?:{hyear}|\s+(?P<rel>{_REL}))?(?P<hs>{_HSUF})?"),
        ("range_dm", rf"(?:من|بين)\s+(?P<d1>[0-3]?\d)\s+(?:من\s+)?(?P<ma>{gm})(?:\s*[،,]?\s*(?P<y1>\d{{4}}){_GSUF}?)?\s+(?:الى|حتى|و|وحتى|والى)\s*(?P<d2>[0-3]?\d)\s+(?:من\s+)?(?P<mb>{gm})(?:{yr})?"),
        ("range_numeric", rf"(?<![\d/.\-])(?P<d1>[0-3]?\d)\s*[\-–]\s*(?P<d2>[0-3]?\d)\s*/\s*(?P<m>[01]?\d)(?:\s*/\s*(?P<y>\d{{4}}))?(?![\d/])(?P<hs>{_HSUF})?"),
        ("range_hyears", rf"{_YEARW}?(?P<y1>1[345]\d\d)\s*[\-–/]\s*(?P<y2>1[345]\d\d){_HSUF}"),
        ("range_years", rf"(?:عامي|العامين|سنتي)\s*(?P<y1>\d{{4}}){_GSUF}?\s+و\s*(?:عام\s+)?(?P<y2>\d{{4}}){_GSUF}?"),
        ("range_years", rf"بين\s+(?:عامي|العامين|عام|سنتي)?\s*(?P<y1>\d{{4}}){_GSUF}?\s+(?:و|ولغاية|وحتى|الى|حتى)\s*(?:عام\s+)?(?P<y2>\d{{4}}){_GSUF}?"),
        ("range_years", rf"(?:من|منذ)\s+{_YEARW}?(?P<y1>\d{{4}}){_GSUF}?\s+(?:الى|حتى|لغاية|وحتى|والى)\s+{_YEARW}?(?P<y2>\d{{4}}){_GSUF}?"),
        ("range_years", rf"(?P<y1>(?:19|20)\d\d)\s*[\-–/]\s*(?P<y2>(?:19|20)\d\d){_GSUF}?"),
        ("greg_dmy", rf"{since}{pre}{day}\s*(?:من\s+)?(?:شهر\s+)?{gmonth}(?:{yr}|{monthrel})?"),
        ("greg_my", rf"{since}(?P<shahr>شهر\s+)?{gmonth}(?:{yr}|{monthrel})?"),
        ("hijri", rf"{since}{pre}(?:{day}\s*(?:من\s+)?)?(?P<shahr>شهر\s+)?(?P<hm>{hij})(?:{hyear}|\s+(?P<rel>{_REL}))?(?P<hs>{_HSUF})?"),
        ("curday", rf"{since}{pre}(?:(?P<d>[0-3]?\d)|(?P<od>{_ORD}))\s+(?:من\s+)?(?:الشهر\s+(?P<rel>{_REL})|(?P<cur>{_CURR}))"),
        ("hijri_paren", rf"{pre}\(\s*(?P<d>[0-3]?\d)\s+(?P<hm>{hij})\s*\)"),
        ("numeric", rf"{since}{pre}(?<![\d/.\-])(?P<d>[0-3]?\d)\s*(?P<sep>[/.\-])\s*(?P<m>[01]?\d)\s*(?P=sep)\s*(?P<y>\d{{4}})(?![\d/])(?P<hs>{_HSUF})?{_GSUF}?"),
        ("numeric_ymd", rf"{since}{pre}(?<![\d/.\-])(?P<y>\d{{4}})\s*(?P<sep>[/.\-])\s*(?P<m>[01]?\d)\s*(?P=sep)\s*(?P<d>[0-3]?\d)(?![\d/])(?P<hs>{_HSUF})?{_GSUF}?"),
        ("hijri_year", rf"{since}{_YEARW}?(?P<y>1[345]\d\d){_HSUF}"),
        ("year", rf"{since}(?:(?:عام|العام|سنة|السنة|عامي)\s+)(?P<y>\d{{4}}){_GSUF}?"),
        ("year", rf"{since}(?P<y>(?:1[89]|20)\d\d){_GSUF}"),
        ("year_bare", rf"{since}(?P<y>(?:19|20)\d\d)"),
        ("decade", rf"(?:ال)?(?P<dec>{'|'.join(_DECADES)})(?:يات|ات)(?:\s+(?:من\s+)?القرن\s+(?P<cent>الماضي|العشرين|التاسع\s+عشر))?"),
        ("ago", rf"(?P<dir>منذ|قبل)\s+(?:(?P<n>\d{{1,3}}|{'|'.join(_NUMW)})\s+)?(?P<unit>{'|'.join(_UNITS)})"),
        ("relday", rf"{since}(?:يوم\s+)?(?P<rd>اول\s+(?:من\s+)?امس|امس\s+الاول|بعد\s+غد|(?:ال)?امس|اليوم|هذا\s+اليوم|غدا|الغد|غد)(?:\s*\(?\s*(?P<wd>{_WD})\s*\)?)?"),
        ("weekday", rf"{since}(?P<yawm>يوم\s+)?(?P<wd>{_WD})(?:\s+(?P<rel>{_REL}))?"),
        ("relperiod", rf"(?:(?:ال)?(?P<unit>اسبوع|شهر|عام|سنة)\s+(?P<rel>{_REL})|(?:هذا|هذه)\s+(?P<unit2>العام|الشهر|الاسبوع|السنة))"),
    ]
    # patterns are written as printed (حتى، إلى); normalise them like the text (ى -> ي, أ -> ا)
    return [(name, re.compile((_B + _CLITIC + "(?P<x>" + rx + ")" + _E).translate(_FOLD_RX))) for name, rx in p]


# Every pattern needs one of its trigger words (a month name, a digit pair, a weekday...);
# it runs only in windows around them (WINDOW_BEFORE/AFTER characters, far more than any
# expression reaches from its trigger), so a long article costs a few cheap scans.
_TRIGGER_OF = {
    "range_days": "gmonth", "range_dm": "gmonth", "greg_dmy": "gmonth", "greg_my": "gmonth",
    "range_days_h": "hmonth", "hijri": "hmonth", "hijri_paren": "hmonth",
    "range_numeric": "numeric", "numeric": "numeric", "numeric_ymd": "numeric",
    "range_hyears": "year4", "range_years": "year4", "hijri_year": "year4", "year": "year4",
    "year_bare": "year4", "curday": "current", "decade": "decade", "ago": "ago",
    "relday": "relday", "weekday": "weekday", "relperiod": "period",
}
WINDOW_BEFORE, WINDOW_AFTER = 80, 100


def _triggers() -> dict[str, re.Pattern[str]]:
    _, greg, hij = _month_index()
    raw = {
        "gmonth": greg, "hmonth": hij, "numeric": r"\d\s*[/.\-–]\s*\d", "year4": r"\d{4}",
        "current": _CURR + "|الشهر", "decade": r"ين(?:يات|ات)", "ago": "منذ|قبل",
        "relday": "امس|اليوم|غد", "weekday": _WD, "period": "اسبوع|شهر|عام|سنة",
    }
    return {k: re.compile(v.translate(_FOLD_RX)) for k, v in raw.items()}


_COMPILED: list[tuple[str, re.Pattern[str], str]] | None = None
_TRIGGERS: dict[str, re.Pattern[str]] = {}


def _compiled() -> list[tuple[str, re.Pattern[str], str]]:
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


def _rel_kind(rel: str | None) -> str | None:
    if not rel:
        return None
    if re.fullmatch(_PAST, rel):
        return "past"
    if re.fullmatch(_NEXT, rel):
        return "next"
    return "current"


def _year_for_month(month: int, rel: str | None, pub: dt.date) -> int:
    kind = _rel_kind(rel)
    if kind == "past":
        return pub.year if month < pub.month else pub.year - 1
    if kind == "next":
        return pub.year if month > pub.month else pub.year + 1
    return pub.year  # no cue: the publication year (see docs/dates.md)


def _yrel_year(yrel: str, pub: dt.date | None) -> int | None:
    if pub is None:
        return None
    kind = _rel_kind(yrel.split()[-1])
    return pub.year + {"past": -1, "next": 1}.get(kind or "current", 0)


def _weekday_date(wd: int, rel: str | None, pub: dt.date) -> dt.date:
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


def _resolve_hijri(m: re.Match[str], g: dict[str, Any], pub: dt.date | None) -> dict[str, Any] | None:
    hm = _month_of(g["hm"])[0]
    hy = int(g["y"]) if g.get("y") else None
    d = _day_of(g) if g.get("d") or g.get("od") else None
    rel = g.get("rel")
    if d is None and hy is None and not rel and not g.get("shahr"):
        return None
    if hy is not None and not 1300 <= hy <= 1600:
        return None
    if d is not None and not 1 <= d <= 30:
        return None
    relative = hy is None
    if hy is None and pub is not None:
        hy = _hijri_year_for(hm, d, rel, pub)
    if hy is None:
        return _attrs(None, "day" if d else "month", True, "hijri", hijri=f"{hm:02d}-{d:02d}" if d else f"{hm:02d}")
    if d is None:
        s, e = extract_hijri_month_range(hy, hm)
        return _since(m, _attrs(f"{s}/{e}", "month", relative, "hijri", hijri=f"{hy}-{hm:02d}"))
    date = _match_weekday(convert_hijri_to_gregorian(hy, hm, d), g.get("wd"))
    return _since(m, _attrs(date.isoformat(), "day", relative, "hijri", hijri=f"{hy}-{hm:02d}-{d:02d}"))


def _resolve_curday(g: dict[str, Any], pub: dt.date | None) -> dict[str, Any] | None:
    """5 الجاري، الخامس من الشهر الجاري، 3 من الشهر الماضي: a day of the publication's month
    (or the one before / after); a printed weekday moves it to the neighbouring month it fits."""
    d = _day_of(g)
    if not 1 <= d <= 31:
        return None
    if pub is None:
        return _attrs(None, "day", True)
    delta = {"past": -1, "next": 1}.get(_rel_kind(g.get("rel")) or "current", 0)
    shifts = (delta, delta - 1, delta + 1) if g.get("wd") else (delta,)
    for shift in shifts:
        y, mo = _shift_month(pub.year, pub.month, shift)
        if _valid(y, mo, d) and (not g.get("wd") or dt.date(y, mo, d).weekday() == WEEKDAYS[g["wd"]]):
            return _attrs(f"{y}-{mo:02d}-{d:02d}", "day", True)
    y, mo = _shift_month(pub.year, pub.month, delta)
    if not _valid(y, mo, d):
        return _attrs(None, "day", True, reason="no such day")
    return _attrs(f"{y}-{mo:02d}-{d:02d}", "day", True)


def _range(s: dt.date, e: dt.date, relative: bool, calendar: str = "gregorian", **extra: Any) -> dict[str, Any] | None:
    if s >= e:
        return None
    a, b = s.isoformat(), e.isoformat()
    return _attrs(f"{a}/{b}", "range", relative, calendar, range_start=a, range_end=b, **extra)


def _resolve_range_days_h(g: dict[str, Any], pub: dt.date | None) -> dict[str, Any] | None:
    """من 3 إلى 7 رمضان، 10-12 شوال 1436هـ: one Gregorian interval."""
    hm = _month_of(g["hm"])[0]
    d1, d2 = int(g["d1"]), int(g["d2"])
    if not (1 <= d1 < d2 <= 30):
        return None
    hy = int(g["y"]) if g.get("y") else None
    if hy is None and pub is not None:
        hy = _hijri_year_for(hm, d1, g.get("rel"), pub)
    if hy is None:
        return _attrs(None, "range", True, "hijri")
    if not 1300 <= hy <= 1600:
        return None
    return _range(convert_hijri_to_gregorian(hy, hm, d1), convert_hijri_to_gregorian(hy, hm, d2),
                  g.get("y") is None, "hijri", hijri=f"{hy}-{hm:02d}-{d1:02d}/{hy}-{hm:02d}-{d2:02d}")


def _resolve_range_dm(g: dict[str, Any], pub: dt.date | None) -> dict[str, Any] | None:
    """من 28 يوليو إلى 3 أغسطس 2015: a range across two months."""
    ma, mb = _month_of(g["ma"])[0], _month_of(g["mb"])[0]
    d1, d2 = int(g["d1"]), int(g["d2"])
    y2 = int(g["y"]) if g.get("y") else None
    y1 = int(g["y1"]) if g.get("y1") else None
    relative = y1 is None and y2 is None
    if y2 is None:
        y2 = y1 if y1 is not None else (pub.year if pub else None)
    if y2 is None:
        return _attrs(None, "range", True)
    if y1 is None:
        y1 = y2 - 1 if ma > mb else y2
    if not (_valid(y1, ma, d1) and _valid(y2, mb, d2)):
        return None
    return _range(dt.date(y1, ma, d1), dt.date(y2, mb, d2), relative)


def _resolve_range_numeric(g: dict[str, Any], pub: dt.date | None) -> dict[str, Any] | None:
    """10-12/3, 10–12/3/2015, 5-7/9/1436هـ: days of one month."""
    d1, d2, mo = int(g["d1"]), int(g["d2"]), int(g["m"])
    y = int(g["y"]) if g.get("y") else None
    if not (1 <= mo <= 12 and 1 <= d1 < d2 <= 31):
        return None
    hijri = bool(g.get("hs")) or (y is not None and 1300 <= y <= 1600)
    if y is None and pub is not None:
        y = convert_gregorian_to_hijri(pub)[0] if hijri else pub.year
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


def _resolve_range_hyears(g: dict[str, Any], pub: dt.date | None) -> dict[str, Any] | None:
    """1436/1437هـ (an academic or fiscal year): from 1 Muharram of the first to the end of the second."""
    y1, y2 = int(g["y1"]), int(g["y2"])
    if not 1300 <= y1 < y2 <= min(1600, y1 + 5):
        return None
    end = convert_hijri_to_gregorian(y2 + 1, 1, 1) - dt.timedelta(days=1)
    return _range(convert_hijri_to_gregorian(y1, 1, 1), end, False, "hijri", hijri=f"{y1}/{y2}")


_RESOLVERS = {"curday": _resolve_curday, "range_days_h": _resolve_range_days_h, "range_dm": _resolve_range_dm,
              "range_numeric": _resolve_range_numeric, "range_hyears": _resolve_range_hyears}


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


def _resolve(kind: str, m: re.Match[str], norm: str, pub: dt.date | None) -> dict[str, Any] | None:
    g = m.groupdict()
    if kind in ("greg_dmy", "greg_my", "range_days"):
        m1, _, strict = _month_of(g["m1"])
        if g.get("m2"):
            m2 = _month_of(g["m2"])[0]
            if m2 != m1:
                return None
            strict = False
        year = int(g["y"]) if g.get("y") else None
        if year is not None and not 1000 <= year <= 2200:
            return None
        rel = g.get("rel")
        if kind == "greg_my" and strict and year is None and not rel and not g.get("shahr") and not g.get("yrel"):
            return None
        if kind == "greg_my" and year is None and not rel and not g.get("yrel") and not g.get("m2"):
            if not g.get("shahr") and not g.get("since") and _prev_word(norm, m.start("x")) not in _MONTH_CUES:
                return None
        relative = year is None
        if year is None and g.get("yrel"):
            year = _yrel_year(g["yrel"], pub)
        elif year is None and pub is not None:
            year = _year_for_month(m1, rel, pub)
            if kind in ("greg_dmy", "range_days"):
                day = _day_of(g) if kind == "greg_dmy" else int(g["d1"])
                year = _year_for_day(year, m1, day, rel, pub, g.get("wd"))
        if kind == "range_days":
            d1, d2 = int(g["d1"]), int(g["d2"])
            if year is None:
                return _attrs(None, "range", True)
            if not (_valid(year, m1, d1) and _valid(year, m1, d2) and d1 < d2):
                return None
            s, e = f"{year}-{m1:02d}-{d1:02d}", f"{year}-{m1:02d}-{d2:02d}"
            return _attrs(f"{s}/{e}", "range", relative, range_start=s, range_end=e)
        if kind == "greg_my":
            value = f"{year}-{m1:02d}" if year else None
            return _since(m, _attrs(value, "month", relative))
        d = _day_of(g)
        if not 1 <= d <= 31:
            return None
        value = f"{year}-{m1:02d}-{d:02d}" if year and _valid(year, m1, d) else None
        if year and value is None:
            return _attrs(None, "day", relative, reason="no such day")
        return _since(m, _attrs(value, "day", relative))
    if kind in ("hijri", "hijri_paren"):
        return _resolve_hijri(m, g, pub)
    if kind in ("curday", "range_days_h", "range_dm", "range_numeric", "range_hyears"):
        return _RESOLVERS[kind](g, pub)
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
        y = int(g["y"])
        s = convert_hijri_to_gregorian(y, 1, 1)
        e = convert_hijri_to_gregorian(y + 1, 1, 1) - dt.timedelta(days=1)
        return _since(m, _attrs(f"{s}/{e}", "year", False, "hijri", hijri=str(y)))
    if kind in ("year", "year_bare"):
        y = int(g["y"])
        if not 1000 <= y <= 2200:
            return None
        if kind == "year_bare":
            prev = _prev_word(norm, m.start("x"))
            if not g.get("since") and prev not in _MONTH_CUES | {"عام", "لعام"}:
                return None
        return _since(m, _attrs(str(y), "year", False))
    if kind == "range_years":
        y1, y2 = int(g["y1"]), int(g["y2"])
        if not (1000 <= y1 < y2 <= 2200):
            return None
        return _attrs(f"{y1}/{y2}", "range", False, range_start=str(y1), range_end=str(y2))
    if kind == "decade":
        if re.match(r"\s*من\s+العمر", norm[m.end("x"):m.end("x") + 12]):
            return None  # في الثمانينات من العمر: an age
        cent = g.get("cent") or ""
        c = 18 if "التاسع" in cent else 19
        return _attrs(f"{c}{_DECADES[g['dec']]}", "decade", False)
    if kind == "ago":
        unit, implied = _UNITS[g["unit"]]
        n = g.get("n")
        count = (int(n) if n.isdigit() else _NUMW[n]) if n else implied
        if count is None or (n and (implied == 2 or (implied == 1 and count < 11))):  # 50 سنة, not 3 سنة
            return None
        if unit == "year" and re.match(r"\s*\d{4}", norm[m.end("x"):m.end("x") + 6]):
            return None
        if pub is None:
            return _attrs(None, unit, True)
        if unit == "day":
            return _attrs((pub - dt.timedelta(days=count)).isoformat(), "day", True)
        if unit == "week":
            return _attrs(_iso_week(pub - dt.timedelta(days=7 * count)), "week", True)
        if unit == "month":
            y, mo = _shift_month(pub.year, pub.month, -count)
            return _attrs(f"{y}-{mo:02d}", "month", True)
        return _attrs(str(pub.year - count), "year", True)
    if kind == "relday":
        rd = " ".join(g["rd"].split())
        if rd in ("اليوم", "هذا اليوم", "الغد"):
            nxt = norm[m.end("x"):m.end("x") + 12]
            if not g.get("wd") and re.match(r"\s+ال(?!موافق|ي\b|ى\b)\w", nxt):
                return None  # اليوم التالي، اليوم الوطني: not today
        offset = {"اليوم": 0, "هذا اليوم": 0, "امس": -1, "الامس": -1, "غدا": 1, "غد": 1,
                  "الغد": 1, "بعد غد": 2}.get(rd, -2)
        if pub is None:
            return _since(m, _attrs(None, "day", True))
        date = pub + dt.timedelta(days=offset)
        if g.get("wd"):  # اليوم (الاثنين): the weekday wins within three days
            wd = WEEKDAYS[g["wd"]]
            shift = (wd - date.weekday() + 3) % 7 - 3
            date += dt.timedelta(days=shift)
        return _since(m, _attrs(date.isoformat(), "day", True))
    if kind == "weekday":
        prev = _prev_word(norm, m.start("x"))
        if not g.get("yawm") and not g.get("rel") and prev in _WD_BLOCK:
            return None
        if g["wd"] == "الاحد" and re.match(r"\s+عشر", norm[m.end("x"):m.end("x") + 6]):
            return None  # الأحد عشر: eleven
        if g["wd"] == "الاثنين" and not g.get("yawm") and not g.get("rel") and prev in ("بين", "كلا", "هذين"):
            return None
        if pub is None:
            return _since(m, _attrs(None, "day", True))
        date = _weekday_date(WEEKDAYS[g["wd"]], g.get("rel"), pub)
        return _since(m, _attrs(date.isoformat(), "day", True))
    if kind == "relperiod":
        unit = g.get("unit") or g["unit2"].replace("ال", "", 1)
        kind_rel = _rel_kind(g.get("rel")) or "current"
        delta = {"past": -1, "next": 1, "current": 0}[kind_rel]
        if g.get("rel") and re.fullmatch(r"السابق|السابقة", g["rel"]) and unit != "عام" and unit != "سنة":
            return None
        if pub is None:
            gran = {"اسبوع": "week", "شهر": "month"}.get(unit, "year")
            return _attrs(None, gran, True)
        if unit == "اسبوع":
            return _attrs(_iso_week(pub + dt.timedelta(days=7 * delta)), "week", True)
        if unit == "شهر":
            y, mo = _shift_month(pub.year, pub.month, delta)
            return _attrs(f"{y}-{mo:02d}", "month", True)
        return _attrs(str(pub.year + delta), "year", True)
    return None  # pragma: no cover


# ---------------------------------------------------------------- public API
def extract_dates(text: str, published: str | None = None) -> list[Span]:
    """Find date expressions in `text`; offsets are into `text` itself."""
    norm, offsets = normalize_with_offsets(text)
    pub = _parse_published(published)
    cands: list[tuple[int, int, int, dict[str, Any]]] = []
    windows: dict[str, list[tuple[int, int]]] = {}
    for prio, (kind, rx, trig) in enumerate(_compiled()):
        if trig not in windows:
            windows[trig] = _windows(norm, _TRIGGERS[trig])
        for ws, we in windows[trig]:
            for m in rx.finditer(norm, ws, we):
                attrs = _resolve(kind, m, norm, pub)
                if attrs is not None:
                    cands.append((m.start("x"), m.end("x"), prio, attrs))
    cands.sort(key=lambda c: (-(c[1] - c[0]), c[2], c[0]))
    chosen: list[tuple[int, int, dict[str, Any]]] = []
    for s, e, _, attrs in cands:
        if all(e <= cs or s >= ce for cs, ce, _ in chosen):
            chosen.append((s, e, attrs))
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
