"""Name keys and name similarity for entity resolution.

Three keys of growing looseness, all computed on a clitic-stripped surface form:

* ``normalize_entity_name``: ``normalize_name`` (harakat, hamza carriers, alef forms, ى -> ي)
  plus ة -> ه, compound given names joined (عبد الله -> عبدالله, أبو بكر -> ابوبكر) and
  punctuation dropped. Two mentions with the same normalised name are the same name.
* ``skeleton_token`` / ``skeleton_key``: a phonetic skeleton that merges transliteration
  variants: the article ال is dropped, doubled letters collapse, a French "H" written ه
  before a long vowel counts as a vowel carrier (هولاند = أولاند), and the long vowels
  ا و ي are dropped after the first letter (كاميرون = كامرون, بوتين = بوتن).
* The Latin consonant skeleton lives in ``rasid.entities.translit``.

The skeleton also merges distinct Arabic given names (محمد / محمود, حسن / حسين), so a
list of common given names (``data/given_names.txt``) blocks skeleton merges between
two different listed names. ``compare_names`` aligns tokens (given names vs surname) and
applies the rules: same surname + different given name => different people; a lone
surname is *compatible* with a full name (whether it links is decided by context, see
``rasid.stages.resolve`` and ``rasid.entities.resolver``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Sequence

from rapidfuzz.distance import Indel, JaroWinkler

from ..arabic.normalize import normalize_name

TYPES = ("PER", "ORG", "LOC", "MISC")

# Tokens that start a compound given name and are joined with the next token.
_JOIN_NEXT = {"عبد", "ابو", "ابي", "ابا", "ام"}
# Genealogy particles: kept as tokens but not counted as name parts.
PARTICLES = {"بن", "ابن", "بنت", "ال", "آل", "دي", "دو", "دا", "فون", "فان", "لا", "لو", "وبن"}
# Generic organisation heads: they do not tell two organisations apart.
ORG_HEADS = {
    "حزب", "حركه", "تنظيم", "جماعه", "منظمه", "جبهه", "هيءه", "مجلس", "جمعيه", "اتحاد",
    "شركه", "مجموعه", "ميليشيا", "مليشيا", "ميلشيا", "كتاءب", "كتيبه", "لواء", "جيش", "قوات",
}
_PUNCT_RE = re.compile(r"[^\w\s]|_")
_VOWELS = set("اوي")
# Letters that transliterations of foreign names swap (توني/طوني, سيرغي/سيرجي, القذافي/القدافي)
_SKEL_FOLD = str.maketrans({"ط": "ت", "ص": "س", "ض": "د", "ظ": "ز", "ذ": "د", "ث": "س",
                            "ق": "ك", "غ": "ج", "گ": "ج", "ڤ": "ف", "پ": "ب", "ة": "ه"})
_SKEL_DROP = set("ء")
_GIVEN_BLOCK_SCORE = 0.0
SAME_THRESHOLD = 0.90
JW_PENALTY = 0.05  # Jaro-Winkler without a shared skeleton must reach 0.95  # token similarity needed for two name parts to count as one (tuned on dev)


@lru_cache(maxsize=1)
def load_given_names() -> frozenset[str]:
    """Common Arabic given names (normalised): two different ones never merge by skeleton."""
    raw = resources.files("rasid.entities").joinpath("data/given_names.txt").read_text("utf-8")
    out = set()
    for line in raw.splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            out.update(normalize_entity_name(w) for w in line.split())
    return frozenset(out)


@lru_cache(maxsize=30_000)  # 94.3 % hits; 95.4 % with 100,000 and ~20 MB more per process (bench/memory_worker.py --hit-rates)
def normalize_entity_name(text: str) -> str:
    """Normalised name: see module doc. Latin is lower-cased; spaces collapsed."""
    s = normalize_name(text).replace("ة", "ه").replace("ـ", "")
    s = _PUNCT_RE.sub(" ", s)
    words = s.split()
    out: list[str] = []
    i = 0
    while i < len(words):
        w = words[i]
        if w in _JOIN_NEXT and i + 1 < len(words):
            out.append(w + words[i + 1])
            i += 2
            continue
        out.append(w)
        i += 1
    return " ".join(out)


@lru_cache(maxsize=12_000)  # 93 % hits (154k calls, 10.7k names on 2,000 articles); 10.7k entries 2.7 MB
def split_name(text: str) -> tuple[str, ...]:
    """Normalised name parts, without genealogy particles (cached: a tuple)."""
    return tuple(w for w in normalize_entity_name(text).split() if w not in PARTICLES)


def strip_article(word: str) -> str:
    if word.startswith("ال") and len(word) > 4:
        return word[2:]
    return word


@lru_cache(maxsize=100_000)
def skeleton_token(word: str) -> str:
    """Phonetic skeleton of one normalised name part (see module doc)."""
    w = strip_article(word)
    if not w:
        return ""
    if not ("\u0600" <= w[0] <= "\u06ff"):
        return w  # Latin: handled by translit
    chars = [c for c in w.translate(_SKEL_FOLD) if c not in _SKEL_DROP]
    if not chars:
        return ""
    # French "H" written ه before a long vowel, or an alef carrier: one vowel-initial class
    first = chars[0]
    if first == "ه" and len(chars) > 1 and chars[1] in "وا":
        first = "ا"
    out = [first]
    for c in chars[1:]:
        if c in _VOWELS:
            continue
        if c == "ه" and out and c == out[-1]:
            continue
        if out[-1] == c:
            continue
        out.append(c)
    # final ه from ة / ه after dropping: keep (سوريه), it is a consonant-like marker
    return "".join(out)


def _vowel_initial(word: str) -> str:
    """هولاند -> اولاند: a French H before a long vowel written as an alef carrier."""
    if len(word) > 2 and word[0] == "ه" and word[1] in "وا":
        return "ا" + word[1:]
    return word


def skeleton_key(text: str) -> str:
    return " ".join(skeleton_token(w) for w in split_name(text))


def is_arabic(text: str) -> bool:
    return any("\u0600" <= c <= "\u06ff" for c in text)


@lru_cache(maxsize=20_000)  # 43.0 % hits; 44.5 % unbounded (bench/memory_worker.py --hit-rates)
def score_tokens(a: str, b: str) -> float:
    """Similarity in [0, 1] of two normalised name parts."""
    if a == b:
        return 1.0
    a0, b0 = strip_article(a), strip_article(b)
    if a0 == b0:
        return 1.0
    given = load_given_names()
    if a0 in given and b0 in given:
        return _GIVEN_BLOCK_SCORE  # محمد / محمود: two real names, not two spellings
    sa, sb = skeleton_token(a), skeleton_token(b)
    jw = JaroWinkler.normalized_similarity(a0, b0)
    if sa and sa == sb:
        # same skeleton: a dropped/added long vowel or a French H is one edit; vowel
        # substitutions in short words (كيري / كاري, بوتين / باتون) mean two different words
        fa, fb = _fold_for_edits(a0), _fold_for_edits(b0)
        if fa == fb:
            return 0.97
        if (fa[-1] == "ي") != (fb[-1] == "ي"):
            return 0.8  # nisba / adjective: عباس / العباسي, تونس / تونسي
        edits = Indel.distance(fa, fb)
        if edits <= 1:
            return 0.96
        if edits == 2 and min(len(a0), len(b0)) >= 6:
            return 0.92
        return min(jw, 0.85)
    # different skeletons: only near-identical long strings count (JW is lenient on names)
    return jw - JW_PENALTY


def _fold_for_edits(word: str) -> str:
    return _vowel_initial(word).translate(_SKEL_FOLD).replace("ء", "ي")


@dataclass(slots=True)
class NameMatch:
    score: float
    relation: str  # "same", "subset" (one side is a part of the other), "different"
    reason: str


@lru_cache(maxsize=50_000)
def find_major_places(name: str) -> frozenset[int]:
    """Gazetteer entries that `name` names as written: countries, provinces, cities of
    100,000 people or more (هولندا, الرياض). Such a name merges only with another name of
    the same entry (سوريا / سورية), never by spelling with another (هولندا / هولاند)."""
    from ..geo.gazetteer import load_gazetteer, normalize_place

    gaz = load_gazetteer()
    return frozenset(i for i in gaz.index.get(normalize_place(name), ())
                     if gaz.places[i].feature in ("country", "admin1") or
                     (gaz.places[i].feature == "city" and gaz.places[i].population >= 100_000))


def compare_names(a: str, b: str, kind: str = "PER") -> NameMatch:
    """Align two names of the same type and decide whether they name one entity.

    ``relation`` is "subset" when one name is a lone part of the other (هولاند vs فرانسوا
    هولاند): compatible, to be linked only when the context leaves no ambiguity. A major
    place name (`find_major_places`) is the same only as a name of the same place."""
    na, nb = normalize_entity_name(a), normalize_entity_name(b)
    if not na or not nb:
        return NameMatch(0.0, "different", "empty")
    if na == nb:
        return NameMatch(1.0, "same", "exact")
    if na.replace(" ", "") == nb.replace(" ", ""):
        return NameMatch(0.99, "same", "spacing")
    pa, pb = find_major_places(a), find_major_places(b)
    if pa or pb:
        if pa & pb:
            return NameMatch(0.98, "same", "one gazetteer place")
        return NameMatch(0.0, "different", "a place name is only itself")
    if kind == "PER":
        lineage = compare_lineage(na, nb)
        if lineage is not None:
            return lineage
        return _compare_person(split_name(a), split_name(b))
    return _compare_group(split_name(a), split_name(b), kind)


_SON_OF = {"بن", "ابن", "بنت", "وبن"}
_FAMILY = {"ال", "آل"}


def find_lineage(norm: str) -> tuple[list[str], list[str]]:
    """(the given name and the fathers a normalised name lists with بن / ابن / بنت, in
    order; the words after them) — عبدالله بن خالد بن عبدالعزيز ال سعود -> (عبدالله,
    خالد, عبدالعزيز), (ال, سعود); ([], words) without بن."""
    words = norm.split()
    if len(words) < 3 or words[1] not in _SON_OF:
        return [], words
    chain, i = words[:1], 1
    while i + 1 < len(words) and words[i] in _SON_OF:
        chain.append(words[i + 1])
        i += 2
    return chain, words[i:]


def compare_lineage(na: str, nb: str) -> NameMatch | None:
    """Two person names that both write a بن chain: the same person only when the shorter
    chain starts the longer one (عبدالله بن عبدالعزيز is not عبدالله بن خالد بن عبدالعزيز,
    a grandson; محمد بن سلمان is محمد بن سلمان بن عبدالعزيز) and what follows the chains
    agrees or is a family name "آل X" left out (سلمان بن عبدالعزيز ال سعود); a family
    name such as الربيعة is not left out. None when either has no chain."""
    (ca, ra), (cb, rb) = find_lineage(na), find_lineage(nb)
    if not ca and not cb:
        return None
    if not ca or not cb:
        # a chain that ends with a forefather (no family name after it) against a name
        # written without بن: its parts are the given name and the fathers too
        # (محمد عبد العزيز is not محمد بن سلمان بن عبدالعزيز; خالد الفيصل is خالد بن فيصل)
        chain, rest = (ca, ra) if ca else (cb, rb)
        other = [w for w in (nb if ca else na).split() if w not in PARTICLES]
        if rest or len(other) < 2:
            return None
        scores = [score_tokens(x, y) for x, y in zip(chain, other)]
        if min(scores) < SAME_THRESHOLD:
            return NameMatch(min(scores), "different", "another father (بن chain)")
        return NameMatch(min(scores), "same", "one بن chain") if len(other) <= len(chain) else None
    scores = [score_tokens(x, y) for x, y in zip(ca, cb)]
    if min(scores) < SAME_THRESHOLD:
        return NameMatch(min(scores), "different", "another father (بن chain)")
    if ra and rb:
        return None  # both end with a family name: the usual rules decide
    rest = ra or rb
    if rest and rest[0] not in _FAMILY:
        return None
    return NameMatch(min(scores), "same", "one بن chain")


def _compare_person(ta: Sequence[str], tb: Sequence[str]) -> NameMatch:
    if not ta or not tb:
        return NameMatch(0.0, "different", "empty")
    if len(ta) < len(tb):
        ta, tb = tb, ta  # ta is the longer one
    s_last = score_tokens(ta[-1], tb[-1])
    if len(tb) == 1:
        if s_last >= SAME_THRESHOLD:
            return NameMatch(s_last, "subset" if len(ta) > 1 else "same", "surname")
        # a lone given name (فرانسوا) is left alone: too ambiguous
        return NameMatch(s_last, "different", "single part does not match surname")
    if s_last < SAME_THRESHOLD:
        return NameMatch(s_last, "different", "surname differs")
    s_first = score_tokens(ta[0], tb[0])
    if s_first < SAME_THRESHOLD:
        return NameMatch(min(s_first, s_last), "different", "same surname, different given name")
    # middle parts of the shorter name must appear, in order, in the longer one
    j = 1
    scores = [s_first, s_last]
    for part in tb[1:-1]:
        best, best_k = 0.0, -1
        for k in range(j, len(ta) - 1):
            s = score_tokens(part, ta[k])
            if s > best:
                best, best_k = s, k
        if best < SAME_THRESHOLD:
            return NameMatch(best, "different", "middle name differs")
        scores.append(best)
        j = best_k + 1
    return NameMatch(min(scores), "same", "aligned")


def _content(tokens: Sequence[str]) -> list[str]:
    return [strip_article(t) for t in tokens if t not in ORG_HEADS]


def _compare_group(ta: Sequence[str], tb: Sequence[str], kind: str) -> NameMatch:
    ca, cb = _content(ta) or [strip_article(t) for t in ta], _content(tb) or [strip_article(t) for t in tb]
    if not ca or not cb:
        return NameMatch(0.0, "different", "empty")
    if len(ca) < len(cb):
        ca, cb = cb, ca
    if len(ca) != len(cb):
        whole = score_tokens("".join(ca), "".join(cb))
        if whole >= 0.95:
            return NameMatch(whole, "same", "whole")
        return NameMatch(0.5, "different", "different distinguishing words")
    scores = [score_tokens(x, y) for x, y in zip(ca, cb)]
    if all(s >= SAME_THRESHOLD for s in scores):
        # same content words; a differing head (حزب / حركة) is tolerated
        return NameMatch(min(scores), "same", "content words")
    return NameMatch(min(scores), "different", "content words differ")


def is_same_name(a: str, b: str, kind: str = "PER", allow_subset: bool = False) -> bool:
    m = compare_names(a, b, kind)
    return m.relation == "same" or (allow_subset and m.relation == "subset")
