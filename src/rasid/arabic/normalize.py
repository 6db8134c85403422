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
from bisect import bisect_right
from collections.abc import Sequence
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


def normalize_with_offsets(text: str, key: bool = False) -> tuple[str, OffsetMap]:
    """Normalise `text`; return it with the offset map back into `text` (`OffsetMap`). The
    text is translated in one pass; the map holds only the characters that are dropped or
    expanded (harakat, tatweel, ligatures), not an entry per character."""
    table = KEY_TABLE if key else _NAME_TABLE
    starts, origins, widths = [], [], []
    shift = 0  # normalised position minus original position so far
    for m in _RESIZED_RE.finditer(text):
        i = m.start()
        width = len(table.get(ord(text[i])) or "")
        starts.append(i + shift)
        origins.append(i)
        widths.append(width)
        shift += width - 1
    return normalize_key(text) if key else normalize_name(text), OffsetMap(len(text) + shift + 1, starts, origins, widths)


class OffsetMap(Sequence):
    """``offsets[i]``: the index in the original text of normalised character ``i``, and
    ``offsets[len(norm)]`` = ``len(text)`` (a final sentinel). Kept as the characters whose
    normalised form is not one character (``starts``: where each one's output begins in the
    normalised text, ``origins``: its index in the original, ``widths``: its output's length,
    0 when dropped); between them the map runs one for one. A lookup is a bisection."""

    __slots__ = ("_size", "_starts", "_origins", "_widths")

    def __init__(self, size: int, starts: list[int], origins: list[int], widths: list[int]):
        self._size, self._starts, self._origins, self._widths = size, starts, origins, widths

    def __len__(self) -> int:
        return self._size

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(self._size))]
        if i < 0:
            i += self._size
        if not 0 <= i < self._size:
            raise IndexError("offset map index out of range")
        r = bisect_right(self._starts, i) - 1  # the last resized character at or before i
        if r < 0:
            return i
        past = i - self._starts[r] - self._widths[r]  # characters after its output
        return self._origins[r] + (1 + past if past >= 0 else 0)


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


#: each table's characters (those it changes), as one character class
_CHANGED_RE = {key: re.compile("[" + "".join(re.escape(chr(cp)) for cp in table) + "]")
               for key, table in ((False, _NAME_TABLE), (True, KEY_TABLE))}
#: from this length a text is translated by `str.replace` (`_replace_each`): a word is
#: cheaper through `str.translate`, a sentence or an article about 5x cheaper the other way
_LONG_TEXT = 32


def _replace_each(text: str, key: bool) -> str:
    """``text.translate(table)`` of `normalize_key` (`key`) or `normalize_name` for a long
    text: one ``str.replace`` per distinct character the table changes (``str.translate``
    looks every character of an Arabic text up in the table's dict). The same text: every
    output of the tables is left as it is by them, so the order of the replacements is free."""
    table = KEY_TABLE if key else _NAME_TABLE
    for ch in set(_CHANGED_RE[key].findall(text)):
        text = text.replace(ch, table[ord(ch)] or "")
    return text


def normalize_name(text: str) -> str:
    """Unstemmed normalised form used for names and entity keys (keeps ة)."""
    return text.translate(_NAME_TABLE) if len(text) < _LONG_TEXT else _replace_each(text, False)


def normalize_key(text: str) -> str:
    """Normalised form used for search keys (also folds ة -> ه)."""
    return text.translate(KEY_TABLE) if len(text) < _LONG_TEXT else _replace_each(text, True)


def strip_diacritics(text: str) -> str:
    """Remove harakat, tatweel and Quranic marks only; letters are left as written."""
    return DIACRITICS_RE.sub("", text)


def map_span(offsets: Sequence[int], start: int, end: int, text: str | None = None) -> tuple[int, int]:
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
