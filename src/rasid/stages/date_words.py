"""Words and tables of the dates stage: weekday, relative, unit, ordinal and decade words,
cue words, and the month names of data/months.tsv (loaded once). Regex fragments are written
as printed; `rasid.stages.dates` folds them like the normalised text."""
from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from importlib import resources
from typing import TypeVar

from ..arabic.normalize import normalize_name

T = TypeVar("T")

#: the letters normalisation folds (normalize_with_offsets), applied to a fragment written as printed
_FOLD_RX = str.maketrans({"ى": "ي", "أ": "ا", "إ": "ا", "آ": "ا", "ؤ": "ء", "ئ": "ء"})


def folded(pattern: str, make: Callable[[str], T] = re.compile) -> T:
    """`pattern`, written as printed (حتى، إلى، الفائت), folded like the normalised text and made
    by `make`: compiled (`re.compile`, or `LazyPattern` for one compiled when first used), or
    split into the words of a list (`str.split`)."""
    return make(pattern.translate(_FOLD_RX))

_W = r"[^\W\d_]"  # a letter
_B = r"(?<![^\W_])"  # not preceded by a letter or digit
_E = r"(?![^\W_])"  # not followed by a letter or digit
_CLITIC = r"(?:[وف]?لل|[وف]?[بلك]|[وف])?"
_AL = r"(?:ال\s*)?"  # الـ12 من أغسطس: the article on a day number (its tatweel is normalised away)

WEEKDAYS = {  # normalised name -> Python weekday (Monday=0)
    "الاثنين": 0, "الثلاثاء": 1, "الاربعاء": 2, "الخميس": 3, "الجمعة": 4, "السبت": 5, "الاحد": 6,
}
_WD = "(?:" + "|".join(WEEKDAYS) + ")"
_PAST = r"(?:الماضيين|الماضي|الماضية|المنصرم|المنصرمة|السابق|السابقة|الفائت|الفائتة|الفارط|الفارطة)"
_NEXT = r"(?:المقبلين|المقبل|المقبلة|القادمين|القادم|القادمة)"
_CURR = r"(?:الجاري|الجارية|الحالي|الحالية)"
_REL = f"(?:{_PAST}|{_NEXT}|{_CURR})"
_EPITHET = "(?:المبارك|الكريم|المعظم|الفضيل|الحرام)"  # of a Hijri month: شهر رمضان المبارك الماضي
_GSUF = r"(?:\s*(?:م|ميلادي|ميلادية|ميلاديا|للميلاد)" + _E + ")"
_HSUF = r"(?:\s*(?:ه|هجري|هجرية|هجريا|للهجرة)" + _E + ")"
#: عام/العام/سنة before a year; عام2011 (no space) too; مارس لعام 1810. للعام/للسنة (the alef
#: elided) keep لل, which the clitic before a pattern would otherwise take (docs/dates.md, span
#: conventions): عام and سنة right after لل are not a word's start, nor لل right after ل (ولل)
_YEARW = r"(?:(?:(?:من\s+)?(?:(?<!لل)عام|العام|(?<!لل)سنة|السنة)|(?<!ل)لل?عام|(?<!ل)لل?سنة)\s*)"
_NUMW = {
    "واحد": 1, "اثنين": 2, "ثلاثة": 3, "ثلاث": 3, "اربعة": 4, "اربع": 4, "خمسة": 5, "خمس": 5,
    "ستة": 6, "ست": 6, "سبعة": 7, "سبع": 7, "ثمانية": 8, "ثماني": 8, "تسعة": 9, "تسع": 9,
    "عشرة": 10, "عشر": 10,
    # tens and a hundred (منذ عشرين عاما، قبل ثلاثين سنة، قبل مائة عام: 59 in the corpus, none found)
    "عشرين": 20, "ثلاثين": 30, "اربعين": 40, "خمسين": 50, "ستين": 60, "سبعين": 70, "ثمانين": 80,
    "تسعين": 90, "ماءة": 100, "مءة": 100,  # مائة، مئة as normalised
}
_UNITS = {  # normalised unit word -> (unit, count implied or None)
    "يوم": ("day", 1), "يومين": ("day", 2), "ايام": ("day", None), "يوما": ("day", None),
    "اسبوع": ("week", 1), "اسبوعين": ("week", 2), "اسابيع": ("week", None), "اسبوعا": ("week", None),
    "شهر": ("month", 1), "شهرين": ("month", 2), "اشهر": ("month", None), "شهور": ("month", None),
    "شهرا": ("month", None), "عام": ("year", 1), "عامين": ("year", 2), "اعوام": ("year", None),
    "عاما": ("year", None), "سنة": ("year", 1), "سنتين": ("year", 2), "سنوات": ("year", None),
    "سنين": ("year", None),
}
_ORD_UNITS = ["الاول", "الثاني", "الثالث", "الرابع", "الخامس", "السادس", "السابع", "الثامن", "التاسع"]


def _build_ordinals() -> dict[str, int]:
    """Ordinal day words as Arabic news writes them (normalised): الاول .. الحادي والثلاثين."""
    out = {w: i + 1 for i, w in enumerate(_ORD_UNITS)}
    out["العاشر"] = 10
    for i, w in enumerate(["الحادي"] + _ORD_UNITS[1:]):
        out[f"{w} عشر"] = 11 + i
    out["العشرين"], out["الثلاثين"] = 20, 30
    for i, w in enumerate(["الحادي", "الواحد"] + _ORD_UNITS[1:]):
        n = 1 if i < 2 else i
        out[f"{w} والعشرين"] = 20 + n
    out["الحادي والثلاثين"] = out["الواحد والثلاثين"] = 31
    # after the preposition ل the article loses its alif (للسادس والعشرين من مارس): the
    # whole word, ل included, is the ordinal
    out.update({"لل" + w[2:]: n for w, n in list(out.items())})
    return out


_ORDINALS = _build_ordinals()


def convert_words_to_regex(words) -> str:
    """One regex for a word list, as a trie (shared prefixes written once: a plain
    alternation of 120 ordinals is tried word by word at every position); a space in a
    word matches any whitespace; longer words win over their prefixes."""
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict) -> str:
        ends = "" in node
        alts = [(r"\s+" if ch == " " else re.escape(ch)) + emit(sub)
                for ch, sub in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if ends else body

    return "(?:" + emit(trie) + ")"


_ORD = convert_words_to_regex(_ORDINALS)
_DECADES = {"عشرين": 2, "ثلاثين": 3, "اربعين": 4, "خمسين": 5, "ستين": 6, "سبعين": 7,
            "ثمانين": 8, "تسعين": 9}
# words before a bare weekday that make it a name, not a date (صلاة الجمعة, لقاء الثلاثاء,
# خطب الجمعة, a title before a family name: الدكتور الجمعة)
_WD_BLOCK = {"صلاة", "صلاه", "خطبة", "خطيب", "جامع", "مسجد", "لقاء", "سوق", "جمعة", "الواحد",
             "كلا", "مجلس", "ندوة", "اثنين", "خطب", "منابر", "منبر", "الدكتور", "المهندس", "الشيخ",
             "الاستاذ", "الزميل", "اللاعب", "المدرب"}
_MONTH_CUES_RAW = {"في", "منذ", "خلال", "حتى", "مطلع", "منتصف", "اواخر", "اوائل", "نهاية", "بداية",
               "بحلول", "قبل", "بعد", "من", "الى", "شهر", "وفي", "ومنذ", "وخلال", "وحتى", "اواسط"}
_MONTH_CUES = {normalize_name(w) for w in _MONTH_CUES_RAW}
#: days without a year that name an event of a known year after ثورة/أحداث/هجمات...
#: (ثورة 25 يناير, ثورتي 25 يناير و30 يونيو, أحداث 11 سبتمبر): (month, day) -> year; the
#: ones Saudi news of 2015 writes (Egypt 2011, 2013 and 1952, Yemen and Libya 2011, 9/11)
NAMED_DAYS = {(1, 25): 2011, (6, 30): 2013, (7, 23): 1952, (2, 11): 2011, (2, 17): 2011, (9, 11): 2001}
#: the named days that need no noun before them where they would fall after publication: a bare
#: 11 سبتمبر (بعد 11 سبتمبر، تبعات الحادي عشر من سبتمبر) in July-August 2015 news is 2001 in all 13
#: such spans of the corpus (twenty-eighth round); 30 June is a quarter's end, 23 July a fixture
BARE_NAMED_DAYS = {(9, 11)}


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
def load_given_names() -> frozenset[str]:
    """The common Arabic given names of `rasid.entities` (entities/data/given_names.txt),
    normalised: a bare weekday word right after one is a family name (أحمد الخميس، علي بن
    محمد الجمعة). Read as a file: importing rasid.entities would load rapidfuzz."""
    raw = resources.files("rasid").joinpath("entities/data/given_names.txt").read_text("utf-8")
    return frozenset(normalize_name(w) for line in raw.splitlines() for w in line.split("#", 1)[0].split())


@lru_cache(maxsize=1)
def _month_index() -> tuple[dict[str, tuple[int, str, bool]], str, str]:
    index = {}
    for name, month, cal, strict in load_months():
        index[name] = (month, cal, strict)
    # as tries: a plain alternation of ~100 names is tried name by name at every position
    greg = convert_words_to_regex(n for n, (_, c, _) in index.items() if c == "gregorian")
    hij = convert_words_to_regex(n for n, (_, c, _) in index.items() if c == "hijri")
    return index, greg, hij


def _month_of(name: str) -> tuple[int, str, bool]:
    return _month_index()[0][" ".join(name.split())]
