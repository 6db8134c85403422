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

Decisions are documented in docs/dates.md. Month names live in data/months.tsv; Umm al-Qura
month starts in data/dates_ummalqura.tsv (tabular Islamic calendar otherwise).
"""
from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from importlib import resources
from typing import Any

from ..arabic.normalize import DIACRITICS_RE, map_span, normalize_name, normalize_with_offsets
from ..doc import Document, Span
from ..pipeline import Stage

_W = r"[^\W\d_]"  # a letter
_B = r"(?<![^\W_])"  # not preceded by a letter or digit
_E = r"(?![^\W_])"  # not followed by a letter or digit
_CLITIC = r"(?:[وف]?لل|[وف]?[بلك]|[وف])?"

WEEKDAYS = {  # normalised name -> Python weekday (Monday=0)
    "الاثنين": 0, "الثلاثاء": 1, "الاربعاء": 2, "الخميس": 3, "الجمعة": 4, "السبت": 5, "الاحد": 6,
}
_WD = "(?:" + "|".join(WEEKDAYS) + ")"
_PAST = r"(?:الماضي|الماضية|المنصرم|المنصرمة|السابق|السابقة|الفائت|الفائتة)"
_NEXT = r"(?:المقبل|المقبلة|القادم|القادمة)"
_CURR = r"(?:الجاري|الجارية|الحالي|الحالية)"
_REL = f"(?:{_PAST}|{_NEXT}|{_CURR})"
_GSUF = r"(?:\s*(?:م|ميلادي|ميلادية|للميلاد)" + _E + ")"
_HSUF = r"(?:\s*(?:ه|هجري|هجرية|للهجرة)" + _E + ")"
_YEARW = r"(?:(?:من\s+)?(?:عام|العام|سنة|السنة)\s+)"
_NUMW = {
    "واحد": 1, "اثنين": 2, "ثلاثة": 3, "ثلاث": 3, "اربعة": 4, "اربع": 4, "خمسة": 5, "خمس": 5,
    "ستة": 6, "ست": 6, "سبعة": 7, "سبع": 7, "ثمانية": 8, "ثماني": 8, "تسعة": 9, "تسع": 9,
    "عشرة": 10, "عشر": 10,
}
_UNITS = {  # normalised unit word -> (unit, count implied or None)
    "يوم": ("day", 1), "يومين": ("day", 2), "ايام": ("day", None), "يوما": ("day", None),
    "اسبوع": ("week", 1), "اسبوعين": ("week", 2), "اسابيع": ("week", None), "اسبوعا": ("week", None),
    "شهر": ("month", 1), "شهرين": ("month", 2), "اشهر": ("month", None), "شهور": ("month", None),
    "شهرا": ("month", None), "عام": ("year", 1), "عامين": ("year", 2), "اعوام": ("year", None),
    "عاما": ("year", None), "سنة": ("year", 1), "سنتين": ("year", 2), "سنوات": ("year", None),
    "سنين": ("year", None),
}
_DECADES = {"عشرين": 2, "ثلاثين": 3, "اربعين": 4, "خمسين": 5, "ستين": 6, "سبعين": 7,
            "ثمانين": 8, "تسعين": 9}
# words before a bare weekday that make it a name, not a date (صلاة الجمعة, لقاء الثلاثاء)
_WD_BLOCK = {"صلاة", "صلاه", "خطبة", "خطيب", "جامع", "مسجد", "لقاء", "سوق", "جمعة", "الواحد",
             "كلا", "مجلس", "ندوة", "اثنين"}
_MONTH_CUES_RAW = {"في", "منذ", "خلال", "حتى", "مطلع", "منتصف", "اواخر", "اوائل", "نهاية", "بداية",
               "بحلول", "قبل", "بعد", "من", "الى", "شهر", "وفي", "ومنذ", "وخلال", "وحتى", "اواسط"}
_MONTH_CUES = {normalize_name(w) for w in _MONTH_CUES_RAW}


# ---------------------------------------------------------------- data tables
@lru_cache(maxsize=1)
def load_months() -> list[tuple[str, int, str, bool]]:
    rows = []
    text = resources.files("rasid.stages").joinpath("data/months.tsv").read_text("utf-8")
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, month, cal, _region, strict = line.split("\t")
        rows.append((normalize_name(name), int(month), cal, strict == "1"))
    return rows


@lru_cache(maxsize=1)
def load_ummalqura() -> dict[tuple[int, int], dt.date]:
    out = {}
    text = resources.files("rasid.stages").joinpath("data/dates_ummalqura.tsv").read_text("utf-8")
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            ym, day = line.split("\t")
            y, m = ym.split("-")
            out[(int(y), int(m))] = dt.date.fromisoformat(day)
    return out


def _alt(names: list[str]) -> str:
    return "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in sorted(set(names), key=len, reverse=True))


@lru_cache(maxsize=1)
def _month_index() -> tuple[dict[str, tuple[int, str, bool]], str, str]:
    index = {}
    for name, month, cal, strict in load_months():
        index[name] = (month, cal, strict)
    greg = _alt([n for n, (_, c, _) in index.items() if c == "gregorian"])
    hij = _alt([n for n, (_, c, _) in index.items() if c == "hijri"])
    return index, greg, hij


def _month_of(name: str) -> tuple[int, str, bool]:
    return _month_index()[0][" ".join(name.split())]


# ---------------------------------------------------------------- calendars
def convert_hijri_to_gregorian(year: int, month: int, day: int) -> dt.date:
    """Hijri -> Gregorian: Umm al-Qura month start when tabulated, else tabular (Kuwaiti)."""
    start = load_ummalqura().get((year, month))
    if start is not None:
        return start + dt.timedelta(days=day - 1)
    jd = day + -(-(295 * (month - 1)) // 10) + (year - 1) * 354 + (3 + 11 * year) // 30 + 1948439 - 1
    return dt.date.fromordinal(jd - 1721425)


def convert_gregorian_to_hijri(date: dt.date) -> tuple[int, int, int]:
    approx = int((date.toordinal() - 227015) / 354.367) + 1
    for year in (approx + 1, approx, approx - 1):
        for month in range(12, 0, -1):
            start = convert_hijri_to_gregorian(year, month, 1)
            if start <= date:
                return year, month, (date - start).days + 1
    return approx, 1, 1  # pragma: no cover


def _hijri_month_range(year: int, month: int) -> tuple[dt.date, dt.date]:
    start = convert_hijri_to_gregorian(year, month, 1)
    nxt = convert_hijri_to_gregorian(year + month // 12, month % 12 + 1, 1)
    return start, nxt - dt.timedelta(days=1)


# ---------------------------------------------------------------- patterns
_FOLD_RX = str.maketrans({"ى": "ي", "أ": "ا", "إ": "ا", "آ": "ا", "ؤ": "ء", "ئ": "ء"})


def _patterns() -> list[tuple[str, re.Pattern[str]]]:
    _, greg, hij = _month_index()
    gm = f"(?:{greg})"
    # a month pair: نوفمبر/تشرين الثاني, يوليو - تموز, يونيو (حزيران), أغسطس آب
    gmonth = rf"(?P<m1>{gm})(?:\s*(?:[/\-–]\s*|\(\s*)?(?P<m2>{gm})\s*\)?)?"
    day = r"(?P<d>[0-3]?\d)"
    pre = (rf"(?:(?P<rd>(?:يوم\s+)?(?:اول\s+(?:من\s+)?امس|امس\s+الاول|امس|اليوم|غدا|غد))\s+)?"
           rf"(?:(?:يوم\s+)?(?P<wd>{_WD})(?:\s+{_REL})?\s*[،,\-]?\s*(?:الموافق\s+)?|يوم\s+(?:الموافق\s+)?)?")
    since = r"(?P<since>منذ\s+)?"
    yr = rf"(?:\s*[،,]?\s*{_YEARW}?(?P<y>\d{{4}}){_GSUF}?)"
    monthrel = rf"(?:\s+(?P<rel>{_REL})|\s+من\s+(?P<yrel>(?:ال)?عام\s+{_REL}|العام\s+(?:{_REL})|هذا\s+العام))"
    p: list[tuple[str, str]] = [
        ("range_days", rf"(?P<pfx>من|بين)\s+(?P<d1>[0-3]?\d)\s+(?:الى|حتى|و)\s*(?P<d2>[0-3]?\d)\s+(?:من\s+)?(?:شهر\s+)?{gmonth}(?:{yr}|{monthrel})?"),
        ("range_days", rf"(?P<d1>[0-3]?\d)\s*[\-–]\s*(?P<d2>[0-3]?\d)\s+(?:من\s+)?(?:شهر\s+)?{gmonth}(?:{yr}|{monthrel})?"),
        ("range_years", rf"بين\s+(?:عامي|العامين|عام|سنتي)?\s*(?P<y1>\d{{4}}){_GSUF}?\s+و\s*(?:عام\s+)?(?P<y2>\d{{4}}){_GSUF}?"),
        ("range_years", rf"(?:من|منذ)\s+{_YEARW}?(?P<y1>\d{{4}}){_GSUF}?\s+(?:الى|حتى|لغاية|وحتى|والى)\s+{_YEARW}?(?P<y2>\d{{4}}){_GSUF}?"),
        ("range_years", rf"(?P<y1>(?:19|20)\d\d)\s*[\-–/]\s*(?P<y2>(?:19|20)\d\d){_GSUF}?"),
        ("greg_dmy", rf"{since}{pre}{day}\s*(?:من\s+)?(?:شهر\s+)?{gmonth}(?:{yr}|{monthrel})?"),
        ("greg_my", rf"{since}(?P<shahr>شهر\s+)?{gmonth}(?:{yr}|{monthrel})?"),
        ("hijri", rf"{since}{pre}(?:{day}\s*(?:من\s+)?)?(?:شهر\s+)?(?P<hm>{hij})(?:\s*[،,]?\s*{_YEARW}?(?P<y>\d{{4}}))?(?P<hs>{_HSUF})?"),
        ("hijri_paren", rf"{pre}\(\s*(?P<d>[0-3]?\d)\s+(?P<hm>{hij})\s*\)"),
        ("numeric", rf"{since}{pre}(?<![\d/.\-])(?P<d>[0-3]?\d)\s*(?P<sep>[/.\-])\s*(?P<m>[01]?\d)\s*(?P=sep)\s*(?P<y>\d{{4}})(?![\d/])(?P<hs>{_HSUF})?{_GSUF}?"),
        ("numeric_iso", rf"{since}(?<![\d/.\-])(?P<y>(?:19|20)\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)(?![\d])"),
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


_COMPILED: list[tuple[str, re.Pattern[str]]] | None = None


def _compiled() -> list[tuple[str, re.Pattern[str]]]:
    global _COMPILED
    if _COMPILED is None:
        _COMPILED = _patterns()
    return _COMPILED


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


# ---------------------------------------------------------------- handlers
def _attrs(value: str | None, gran: str, relative: bool, calendar: str = "gregorian", **extra: Any) -> dict[str, Any]:
    out = {"value": value, "granularity": gran, "resolved": value is not None,
           "relative": relative, "calendar": calendar}
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
        d = int(g["d"])
        if not 1 <= d <= 31:
            return None
        value = f"{year}-{m1:02d}-{d:02d}" if year and _valid(year, m1, d) else None
        if year and value is None:
            return None
        return _since(m, _attrs(value, "day", relative))
    if kind in ("hijri", "hijri_paren"):
        hm = _month_of(g["hm"])[0]
        hy = int(g["y"]) if g.get("y") else None
        d = int(g["d"]) if g.get("d") else None
        if d is None and hy is None:
            return None
        if hy is not None and not 1300 <= hy <= 1600:
            return None
        if d is not None and not 1 <= d <= 30:
            return None
        relative = hy is None
        if hy is None and pub is not None:
            py, pm, _ = convert_gregorian_to_hijri(pub)
            hy = py if hm <= pm + 2 else py - 1  # near-future months stay in the current year
        if hy is None:
            return _attrs(None, "day", True, "hijri", hijri=f"{hm:02d}-{d:02d}")
        if d is None:
            s, e = _hijri_month_range(hy, hm)
            return _since(m, _attrs(f"{s}/{e}", "month", relative, "hijri", hijri=f"{hy}-{hm:02d}"))
        date = convert_hijri_to_gregorian(hy, hm, d)
        return _since(m, _attrs(date.isoformat(), "day", relative, "hijri", hijri=f"{hy}-{hm:02d}-{d:02d}"))
    if kind in ("numeric", "numeric_iso"):
        y, mo, d = int(g["y"]), int(g["m"]), int(g["d"])
        if 1300 <= y <= 1600 or (g.get("hs") and y < 1700):
            if not (1 <= mo <= 12 and 1 <= d <= 30):
                return None
            date = convert_hijri_to_gregorian(y, mo, d)
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
        if count is None or (n and implied in (1, 2)):
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
    for prio, (kind, rx) in enumerate(_compiled()):
        for m in rx.finditer(norm):
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
