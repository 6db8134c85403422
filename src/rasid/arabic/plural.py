"""Counted nouns in Arabic: `count_noun(n, "مقالة")` -> مقالة واحدة، مقالتان، 3 مقالات، 11 مقالة.

The rules of the Arabic number-noun agreement (العدد والمعدود), applied to the last two
digits of the number as written with digits:

* 0: لا + the plural (لا مقالات);
* 1: the singular followed by واحد / واحدة, no digit (مقالة واحدة، تنبيه واحد);
* 2: the dual, no digit (مقالتان، تنبيهان);
* 3 to 10: the number and the plural (3 مقالات، 10 تنبيهات);
* 11 to 99: the number and the singular in the accusative (11 مقالة، 25 تنبيهًا);
* 100, 1000, ... (last two digits 00), and 101, 102 (last two digits 01, 02): the number
  and the singular in the genitive (100 مقالة، 101 تنبيه);
* above 100, the last two digits decide as above: 103 مقالات، 111 تنبيهًا.

Digits are the Western ones (0-9), as most Arabic news sites print them (docs/web.md).
Every noun rasid counts is in `NOUNS` with its dual, plural and gender; a noun that is
not there is an error, so that a new count on a page cannot silently read wrong.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Noun:
    singular: str
    dual: str
    plural: str
    feminine: bool

    @property
    def accusative(self) -> str:
        """The singular after 11-99: a masculine noun takes tanwin al-fath (تنبيهًا)."""
        if self.feminine or self.singular.endswith(("ة", "ى")):
            return self.singular
        if self.singular.endswith("اء"):
            return self.singular + "ً"
        return self.singular + "ًا"


def _noun(singular: str, dual: str, plural: str, feminine: bool) -> tuple[str, Noun]:
    return singular, Noun(singular, dual, plural, feminine)


#: the nouns the UI counts: singular -> forms (dual and broken plurals as in standard usage)
NOUNS: dict[str, Noun] = dict([
    _noun("مقالة", "مقالتان", "مقالات", True),
    _noun("إشارة", "إشارتان", "إشارات", True),
    _noun("قصة", "قصتان", "قصص", True),
    _noun("نتيجة", "نتيجتان", "نتائج", True),
    _noun("مراقبة", "مراقبتان", "مراقبات", True),
    _noun("نسخة", "نسختان", "نسخ", True),
    _noun("كلمة", "كلمتان", "كلمات", True),
    _noun("تنبيه", "تنبيهان", "تنبيهات", False),
    _noun("كيان", "كيانان", "كيانات", False),
    _noun("تقرير", "تقريران", "تقارير", False),
    _noun("مصدر", "مصدران", "مصادر", False),
    _noun("حدث", "حدثان", "أحداث", False),
    _noun("مكان", "مكانان", "أماكن", False),
    _noun("حرف", "حرفان", "أحرف", False),
])


def count_noun(n: int, noun: str) -> str:
    """`n` and `noun` (a singular in `NOUNS`) as Arabic writes a count of it."""
    try:
        forms = NOUNS[noun]
    except KeyError:
        raise KeyError(f"count_noun: {noun!r} is not in rasid.arabic.plural.NOUNS; add its "
                       "dual, plural and gender there") from None
    if isinstance(n, bool) or not isinstance(n, int):
        try:
            n = int(n)
        except (TypeError, ValueError):
            raise TypeError(f"count_noun: the count must be a whole number, not {n!r}") from None
    if n < 0:
        raise ValueError(f"count_noun: a count cannot be negative ({n})")
    if n == 0:
        return f"لا {forms.plural}"
    if n == 1:
        return f"{forms.singular} {'واحدة' if forms.feminine else 'واحد'}"
    if n == 2:
        return forms.dual
    last = n % 100
    if 3 <= last <= 10:
        return f"{n} {forms.plural}"
    if 11 <= last <= 99:
        return f"{n} {forms.accusative}"
    return f"{n} {forms.singular}"  # 100, 101, 102, 200, 1000, ...
