"""Arabic normalisation for matching, keeping a map back to the original offsets.

Two strengths:

* ``normalize_name`` (names, entity keys): removes harakat, tatweel, Quranic marks and
  bidi/zero-width controls; folds alef variants (أ إ آ ٱ -> ا), alef maqsura (ى -> ي),
  hamza carriers (ؤ ئ -> ء), Persian kaf/yeh, presentation forms (NFKC) and
  Arabic-Indic / Persian digits (-> ASCII); lower-cases Latin. Taa marbuta is kept, so
  names stay readable.
* ``normalize_key`` (search keys): the same, plus taa marbuta ة -> ه.

Deletions and 1->n expansions change lengths, so ``normalize_with_offsets`` also returns
``offsets`` with ``offsets[i]`` = index in the original text of normalised char ``i``
and a final sentinel equal to ``len(text)``.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Harakat (064B-065F), superscript alef (0670), Quranic annotation marks (0610-061A,
# 06D6-06DC, 06DF-06E8, 06EA-06ED), tatweel (0640).
_DROP = set(
    [chr(c) for c in range(0x064B, 0x0660)]
    + ["\u0670", "\u0640"]
    + [chr(c) for c in range(0x0610, 0x061B)]
    + [chr(c) for c in range(0x06D6, 0x06DD)]
    + [chr(c) for c in range(0x06DF, 0x06E9)]
    + [chr(c) for c in range(0x06EA, 0x06EE)]
    # bidi controls, zero-width characters, BOM, soft hyphen
    + ["\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u061c", "\ufeff", "\u00ad"]
    + [chr(c) for c in range(0x202A, 0x202F)]
    + [chr(c) for c in range(0x2066, 0x206A)]
)
DIACRITICS_RE = re.compile("[\u064B-\u065F\u0670\u0640\u0610-\u061A\u06D6-\u06DC\u06DF-\u06E8\u06EA-\u06ED]")

_FOLD = {
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ٲ": "ا", "ٳ": "ا",
    "ى": "ي", "ی": "ي", "ې": "ي", "ک": "ك", "ڪ": "ك",
    "ؤ": "ء", "ئ": "ء",
    "ە": "ه", "ۀ": "ه", "ہ": "ه",
}
for _i in range(10):
    _FOLD[chr(0x0660 + _i)] = str(_i)
    _FOLD[chr(0x06F0 + _i)] = str(_i)
_FOLD["٫"] = "."  # Arabic decimal separator
_FOLD["٬"] = ","  # Arabic thousands separator


@lru_cache(maxsize=4096)
def _map_char(ch: str, key: bool) -> str:
    if ch in _DROP:
        return ""
    cp = ord(ch)
    if 0xFB50 <= cp <= 0xFDFF or 0xFE70 <= cp <= 0xFEFF:
        # presentation forms: NFKC gives the base letters (ﻻ -> لا), then fold those
        decomposed = unicodedata.normalize("NFKC", ch)
        if decomposed != ch:
            return "".join(_map_char(c, key) for c in decomposed)
    out = _FOLD.get(ch, ch)
    if key and out == "ة":
        return "ه"
    if "A" <= out <= "Z":
        return out.lower()
    return out


def normalize_with_offsets(text: str, key: bool = False) -> tuple[str, list[int]]:
    """Normalise `text`; return it with the offset map back into `text`. The text is
    translated in one pass; the map is built from runs of offsets between the characters
    that are dropped or expanded (harakat, tatweel, ligatures), not character by character."""
    table = KEY_TABLE if key else _NAME_TABLE
    offsets: list[int] = []
    pos = 0
    for m in _RESIZED_RE.finditer(text):
        i = m.start()
        offsets.extend(range(pos, i))
        offsets.extend([i] * len(table.get(ord(text[i])) or ""))
        pos = i + 1
    offsets.extend(range(pos, len(text) + 1))  # ... and the final sentinel len(text)
    return text.translate(table), offsets


def _build_table(key: bool) -> dict[int, str | None]:
    """A str.translate table equal to `_map_char` on every character it changes."""
    table: dict[int, str | None] = {}
    ranges = [range(0x41, 0x5B), range(0x0600, 0x0700), range(0x2000, 0x2070),
              range(0xFB50, 0xFE00), range(0xFE70, 0xFF00), [0xAD]]
    for r in ranges:
        for cp in r:
            ch = chr(cp)
            out = _map_char(ch, key)
            if out != ch:
                table[cp] = out or None
    return table


_NAME_TABLE = _build_table(False)
#: `normalize_key`'s table (read by `rasid.geo.gazetteer.normalize_place`)
KEY_TABLE = _build_table(True)
# the characters whose normalised form is not one character (the same in both tables)
_RESIZED_RE = re.compile("[" + "".join(
    re.escape(chr(cp)) for cp, out in _NAME_TABLE.items() if out is None or len(out) != 1) + "]")


def normalize_name(text: str) -> str:
    """Unstemmed normalised form used for names and entity keys (keeps ة)."""
    return text.translate(_NAME_TABLE)


def normalize_key(text: str) -> str:
    """Normalised form used for search keys (also folds ة -> ه)."""
    return text.translate(KEY_TABLE)


def strip_diacritics(text: str) -> str:
    """Remove harakat, tatweel and Quranic marks only; letters are left as written."""
    return DIACRITICS_RE.sub("", text)


def map_span(offsets: list[int], start: int, end: int, text: str | None = None) -> tuple[int, int]:
    """Map a `[start, end)` span in normalised text back to the original text.

    With `text` (the original), the span is extended over the harakat and tatweel that
    follow its last letter, so a vowelled word is returned whole."""
    if end <= start:
        o = offsets[start]
        return o, o
    a, b = offsets[start], offsets[end - 1] + 1
    if text is not None:
        while b < len(text) and DIACRITICS_RE.match(text, b):
            b += 1
    return a, b
