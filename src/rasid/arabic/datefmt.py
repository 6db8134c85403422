"""Dates as an Arabic reader expects them: `format_date("2015-11-13")` -> ``13 نوفمبر 2015``.

Month names are CLDR's ``ar`` (= ``ar_EG``) Gregorian names, the ones most Arabic news sites
print (يناير … ديسمبر); digits are the Western ones, as in `rasid.arabic.plural`. A value that
is not an ISO date (``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``, optionally ``THH:MM``) is returned
unchanged, so a page never hides what the archive holds.
"""
from __future__ import annotations

import re

#: CLDR ar (ar_EG) Gregorian month names, format width "wide"
MONTHS = ("يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر",
          "أكتوبر", "نوفمبر", "ديسمبر")

_ISO = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:[T ](\d{2}):(\d{2})(?::\d{2}(?:\.\d+)?)?"
                  r"(?:Z|[+-]\d{2}:?\d{2})?)?)?)?$")


def format_date(value: object, with_time: bool = False) -> str:
    """``13 نوفمبر 2015`` (``13 نوفمبر 2015، 21:20`` with `with_time` and a time given);
    ``نوفمبر 2015`` for a month, ``2015`` for a year; "" for None or ""."""
    if value is None:
        return ""
    text = str(value).strip()
    m = _ISO.match(text)
    if not m:
        return text
    year, month, day, hour, minute = m.groups()
    if month is None:
        return year
    if not 1 <= int(month) <= 12:
        return text
    name = MONTHS[int(month) - 1]
    if day is None:
        return f"{name} {year}"
    out = f"{int(day)} {name} {year}"
    if with_time and hour is not None:
        out += f"، {hour}:{minute}"
    return out
