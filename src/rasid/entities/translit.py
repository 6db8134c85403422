"""Arabic <-> Latin for entity names.

* ``transliterate(name)``: a simple readable Arabic -> Latin scheme (no diacritics:
  هولاند -> "Huland", بشار الأسد -> "Bashar al-Asad"). It cannot recover the French or
  English spelling (Hollande), so the curated alias table supplies those where known.
* ``latin_skeleton(text)`` / ``arabic_skeleton(text)``: both scripts reduced to one
  consonant-class alphabet (vowels, w/y, h/ه/ح/ع and hamza dropped; emphatics folded;
  doubled letters collapsed; a leading article al-/ال dropped). "Hollande" and هولاند /
  أولاند all give ``LNT``; "Putin" and بوتين give ``BTN``. Lookups compare these keys,
  so they work in both directions.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from rapidfuzz.distance import Levenshtein

from .names import normalize_entity_name, strip_article

# Arabic letter -> consonant class ("" = dropped)
_AR_CLASS = {
    "ب": "B", "پ": "B", "ت": "T", "ط": "T", "ث": "S", "ج": "J", "چ": "J", "ح": "", "خ": "K",
    "د": "T", "ض": "T", "ذ": "Z", "ر": "R", "ز": "Z", "ظ": "Z", "س": "S", "ص": "S", "ش": "X",
    "ع": "", "غ": "G", "گ": "G", "ف": "F", "ڤ": "F", "ق": "K", "ك": "K", "ل": "L", "م": "M",
    "ن": "N", "ه": "", "ة": "", "و": "", "ي": "", "ى": "", "ا": "", "ء": "", "أ": "",
    "إ": "", "آ": "", "ؤ": "", "ئ": "",
}
# Latin digraphs first, then letters
_LAT_DIGRAPHS = [("sch", "X"), ("tch", "X"), ("sh", "X"), ("ch", "X"), ("kh", "K"), ("gh", "G"),
                 ("th", "S"), ("ph", "F"), ("dh", "Z"), ("ck", "K"), ("qu", "K"), ("zh", "J"),
                 ("dj", "J"), ("ou", "")]
_LAT_CLASS = {
    "b": "B", "p": "B", "t": "T", "d": "T", "j": "J", "g": "G", "k": "K", "q": "K", "c": "K",
    "x": "KS", "f": "F", "v": "F", "r": "R", "z": "Z", "s": "S", "l": "L", "m": "M", "n": "N",
}
# G is written ج or غ or ق; J is ج: one class for the comparison
_MERGE = str.maketrans({"G": "J", "Z": "S"})

# A readable Arabic -> Latin scheme
_TRANSLIT = {
    "ا": "a", "أ": "a", "إ": "i", "آ": "a", "ء": "'", "ؤ": "'", "ئ": "'", "ب": "b", "ت": "t",
    "ث": "th", "ج": "j", "ح": "h", "خ": "kh", "د": "d", "ذ": "dh", "ر": "r", "ز": "z", "س": "s",
    "ش": "sh", "ص": "s", "ض": "d", "ط": "t", "ظ": "z", "ع": "'", "غ": "gh", "ف": "f", "ق": "q",
    "ك": "k", "ل": "l", "م": "m", "ن": "n", "ه": "h", "ة": "a", "و": "u", "ي": "i", "ى": "a",
    "پ": "p", "ڤ": "v", "گ": "g", "چ": "ch",
}


@lru_cache(maxsize=50_000)
def is_latin(text: str) -> bool:
    return any("a" <= c.lower() <= "z" for c in text) and not any("\u0600" <= c <= "\u06ff" for c in text)


def _fold_latin(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).lower()


@lru_cache(maxsize=50_000)
def latin_skeleton(text: str) -> str:
    """Consonant-class skeleton of a Latin name ("Hollande" -> "LNT")."""
    words = re.findall(r"[a-z]+", _fold_latin(text))
    if words and words[0] in ("al", "el", "ad", "ash", "as", "an", "ar", "at", "az") and len(words) > 1:
        words = words[1:]
    out: list[str] = []
    for w in words:
        if w in ("al", "el", "bin", "ben", "ibn", "de", "di", "von", "van", "la", "le", "da", "du"):
            continue
        if len(w) > 3 and w.startswith(("al", "el")) and w[2] not in "aeiou":
            w = w[2:]
        # final silent e (Hollande) and the h that only marks a vowel
        i = 0
        while i < len(w):
            for dg, cls in _LAT_DIGRAPHS:
                if w.startswith(dg, i):
                    out.append(cls)
                    i += len(dg)
                    break
            else:
                ch = w[i]
                if ch == "c" and i + 1 < len(w) and w[i + 1] in "eiy":
                    out.append("S")
                else:
                    out.append(_LAT_CLASS.get(ch, ""))
                i += 1
    return _collapse("".join(out))


@lru_cache(maxsize=50_000)
def arabic_skeleton(text: str) -> str:
    """Consonant-class skeleton of an Arabic name (هولاند -> "LNT")."""
    words = normalize_entity_name(text).split()
    out: list[str] = []
    for w in words:
        if w in ("بن", "ابن", "بنت", "ال", "دي", "دو", "دا", "فون", "فان"):
            continue
        w = strip_article(w)
        out.append("".join(_AR_CLASS.get(c, "") for c in w))
    return _collapse("".join(out))


def _collapse(s: str) -> str:
    s = s.translate(_MERGE)
    out: list[str] = []
    for c in s:
        if not out or out[-1] != c:
            out.append(c)
    return "".join(out)


def name_skeleton(text: str) -> str:
    """The consonant skeleton of a name in either script."""
    return latin_skeleton(text) if is_latin(text) else arabic_skeleton(text)


def score_skeletons(a: str, b: str) -> float:
    """Similarity of two consonant skeletons in [0, 1]."""
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    return 1.0 - Levenshtein.distance(a, b) / max(len(a), len(b))


@lru_cache(maxsize=1)
def load_latin_names() -> dict[str, str]:
    """``data/latin_names.tsv``: normalised Arabic name part -> usual English spelling."""
    from importlib import resources

    raw = resources.files("rasid.entities").joinpath("data/latin_names.tsv").read_text("utf-8")
    out = {}
    for line in raw.splitlines():
        if line.startswith("#") or "\t" not in line:
            continue
        arabic, latin = line.split("\t", 1)
        out[normalize_entity_name(arabic)] = latin.strip()
    return out


def compute_latin_name(name: str, kind: str = "") -> str:
    """A readable Latin form of an entity name: the alias table's English name, else the
    gazetteer's English name of the place it names (جدة -> Jeddah, سوريا -> Syria), else
    each part from ``data/latin_names.tsv`` where listed (محمد -> Mohammed) and
    `transliterate` for the rest."""
    from .aliases import find_alias
    from .names import find_major_places

    alias = find_alias(name)
    if alias is not None:
        return alias.latin
    places = find_major_places(name)
    if places:
        from ..geo.gazetteer import load_gazetteer

        gaz = load_gazetteer()
        best = max((gaz.places[i] for i in places), key=lambda p: (p.feature == "country", p.population))
        if best.name_en:
            return best.name_en
    table = load_latin_names()
    raw = name.split()
    parts: list[str] = []  # words as written, compound given names joined (عبد الله)
    for w in raw:
        if parts and normalize_entity_name(parts[-1]) in ("عبد", "ابو"):
            parts[-1] += w
        else:
            parts.append(w)
    words = []
    for w in parts:
        key = normalize_entity_name(w)
        if key in table:
            words.append(table[key])
        elif key.startswith("ال") and key[2:] in table and key[2:] not in ("بن", "ابن"):
            words.append("al-" + table[key[2:]])
        else:
            words.append(transliterate(w))
    return " ".join(words)


@lru_cache(maxsize=20_000)
def transliterate(text: str) -> str:
    """A simple readable Latin form of an Arabic name (no diacritics; cached: the resolver
    names every new record, and most name parts come up again)."""
    from ..arabic.normalize import normalize_name

    words = []
    for w in normalize_name(text).split():
        if w in ("الله", "لله"):
            words.append("Allah")
            continue
        if is_latin(w):
            words.append(w)
            continue
        prefix = ""
        if w.startswith("ال") and len(w) > 3:
            prefix, w = "al-", w[2:]
        chars: list[str] = []
        for i, c in enumerate(w):
            nxt = w[i + 1] if i + 1 < len(w) else ""
            if c == "و" and (i == 0 or (nxt and nxt in "اوي")):
                chars.append("w")
            elif c == "ي" and (i == 0 or (nxt and nxt in "اوي")):
                chars.append("y")
            elif c == "ي" and not nxt:
                chars.append("i")
            elif c == "ع" and i == 0:
                chars.append("a" if not (nxt and nxt in "اوي") else "")
            elif c == "ا" and i > 0 and chars and chars[-1] == "a":
                continue
            else:
                chars.append(_TRANSLIT.get(c, c))
        body = "".join(chars).strip("'")
        words.append(prefix + body[:1].upper() + body[1:] if not prefix else prefix + body.capitalize())
    return " ".join(words)
