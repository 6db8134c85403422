"""Toponym resolution: find place mentions, pick gazetteer entries, vote a focus country.

Method (docs/places.md has the measured figures):

1. Mentions come from LOC entities (offsets without proclitics), optionally from a
   gazetteer tagger over token ``base`` forms (longest match, for names NER missed), and
   from nisba adjectives (الفرنسية -> FR; ``relation="demonym"``, focus vote only).
2. Each candidate gets a prior: feature (country > continent > region > city > admin1),
   log population, capital bonus, and a penalty when it matched only through the
   article variant (رقة/الرقة). Country candidates need an exact match, so the
   adjective السورية never becomes the country سورية.
3. Context: the share of the article's other mentions (cities vote for their country,
   demonyms and title mentions too) that point to the candidate's country, a bonus for
   the caller's country hint, and one for being within 150 km of another resolved place.
   Names are resolved once per article (one sense per discourse), in two passes: first
   with the unambiguous mentions as context, then with every first-pass choice. A far
   smaller namesake abroad of a capital or large city gets nothing from the country alone
   (`is_namesake_of`: لندن in a US story is London, England), and a country in a list of
   cities is its capital (`cities_in_lists`).
4. Focus country: weighted vote of the resolved mentions (title x2, first 300 characters
   x1.5, demonyms x0.5); the top country wins.
"""
from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from itertools import compress
from operator import attrgetter, itemgetter
from typing import Any
from functools import lru_cache
from importlib import resources

from ..arabic.normalize import normalize_name
from ..arabic.tokenize import load_wordfreq
from ..memo import recall, trim_memo
from .gazetteer import Gazetteer, Place, PlaceRows, load_gazetteer, normalize_place, strip_article

FEATURE_BASE = {"country": 5.5, "continent": 5.0, "region": 4.5, "city": 0.0, "admin1": 0.5}
CONTEXT_WEIGHT = 3.0
HINT_WEIGHT = 1.0
HEAD_WEIGHT = 3.0
ADMIN_HEADS = {normalize_place(w) for w in ("محافظة", "ولاية", "منطقة", "إمارة", "إقليم", "مقاطعة")}
CITY_HEADS = {normalize_place(w) for w in ("مدينة", "بلدة", "قرية", "العاصمة", "عاصمة")}
NEAR_WEIGHT = 1.0
#: the word each country's own usage gives its first-level divisions: منطقة الجوف is the Saudi
#: region, محافظة الجوف the Yemeni governorate (dr5hn's types: region / governorate)
DIVISION_HEADS = {cc: normalize_place(w) for w, ccs in (
    ("منطقة", "SA"), ("محافظة", "YE EG SY IQ JO LB PS KW BH OM"), ("إمارة", "AE"),
    ("ولاية", "SD TN DZ MR US")) for cc in ccs.split()}
DIVISION_WEIGHT = 1.0
NISBA_WEIGHT = 4.0  # a candidate in the country of the adjective right after the name
ALTERNATIVE_MIN = 0.05
#: multi-word names the safe tagger takes whatever their size (the region news writes about)
NEAR_COUNTRIES = frozenset("SA AE BH KW QA OM YE IQ SY LB JO PS EG LY SD".split())
MULTIWORD_POPULATION = 20_000
#: a name the safe tagger refused is taken when it is a town of this size in the article's
#: focus country (dev gold, docs/places.md)
FOCUS_POPULATION = 20_000
#: confidence of a division chosen over a town abroad nothing else points to (`prefer_provinces`)
PROVINCE_CONFIDENCE = 0.6
PARTIAL_FACTOR = 0.5  # confidence of a name matched inside a longer LOC span (dev gold)  # runner-up senses kept on a mention when at least this probable
#: weekday names (normalised): never places, and a name right before one is a time (ليل السبت)
TIME_NEXT = {normalize_place(w) for w in (
    "السبت", "الأحد", "الاثنين", "الإثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة")}
_TIME_BARE = {strip_article(k) for k in TIME_NEXT}
#: times of day that GeoNames also lists as places (ليل = Lille): before a weekday they are a
#: time; any other name before a weekday is a place (بمنطقة عسير الخميس الماضي)
TIME_OF_DAY = {normalize_place(w) for w in (
    "ليل", "الليل", "ليلة", "صباح", "الصباح", "مساء", "المساء", "فجر", "الفجر", "ظهر",
    "الظهر", "ظهيرة", "عصر", "العصر", "مغرب", "المغرب", "عشية", "ضحى", "منتصف ليل")}
NEAR_KM = 150.0
#: a city this large (or a capital) keeps its name against a namesake `NAMESAKE_RATIO` times
#: smaller in a country the article names, unless a place near the namesake is named too
WORLD_POPULATION = 100_000
NAMESAKE_RATIO = 5
#: distinct cities an ambiguous name is compared with for nearness (keeps long texts linear)
MAX_NEARBY_CITIES = 200
GENERIC_HEADS = {normalize_place(w) for w in (
    "مدينة", "محافظة", "ولاية", "منطقة", "العاصمة", "بلدة", "قرية", "مخيم", "حي", "إمارة",
    "إقليم", "مقاطعة", "دولة", "جمهورية", "مملكة", "عاصمة", "ميناء", "مطار", "ريف", "ضاحية",
    "مديرية", "قضاء", "ناحية", "محلة", "بلدات", "قرى", "مدن",
    # duals: محافظتي القنفذة والليث; حيي الأندلس والرسالة (read as حي: `_head_of`)
    "محافظتي", "مدينتي", "منطقتي", "بلدتي", "قريتي", "محلتي", "مديريتي", "ولايتي", "حيي")}
#: bodies and facilities named by the territory they serve or stand in (شرطة جدة، أمانة منطقة
#: الرياض، مستشفى طريف العام، جامعة حفر الباطن، بنك إنجلترا): the gold counts the place
#: (tests/resources/README.md), so a name right after one is taken, also inside an
#: organisation's NER span, when it is a known town (`is_body_match`); not clubs, companies
#: or person titles (أمير/أمين are also given names)
BODY_HEADS = {normalize_place(w) for w in (
    "شرطة", "أمانة", "إمارة", "بلدية", "سجون", "سجن", "جامعة", "مستشفى", "مطار", "ميناء",
    "قاعدة", "تعليم", "بنك", "محافظ", "محكمة", "غرفة")}
#: ninth round of issue 14: a health directorate, a town's festival or summer season, a
#: stadium (صحة تبوك، مهرجان أملج، صيف الباحة، استاد الجونة: the gold counts the town); a name
#: after one only in the region (`NEAR_COUNTRIES`): ملعب كوينز بارك is no Köniz
VENUE_HEADS = {normalize_place(w) for w in ("صحة", "مهرجان", "صيف", "عيد", "استاد", "ملعب")}
BODY_HEADS |= VENUE_HEADS
#: words that name a natural feature after a place (خليج السويس، قناة السويس، بحيرة تشاد): alone
#: inside a longer LOC span they are no match (خليج is not the Gulf there); the place is
FEATURE_WORDS = {normalize_place(w) for w in ("خليج", "قناة", "بحيرة", "مضيق", "جزيرة", "بحر")}
#: compass words that start the name of a part of a continent or country (جنوب أفريقيا، شمال
#: إفريقيا، غرب أفريقيا), which NER often tags without them
COMPASS_WORDS = {normalize_place(w) for w in ("شمال", "جنوب", "شرق", "غرب", "وسط")}
BODY_POPULATION = 5_000
#: a city district's head word: it does not license a name of any size (حي الروضة: districts
#: are not in the gazetteer, and their namesake towns elsewhere are wrong: حي الخالدية -> Jordan)
_DISTRICT_HEAD = normalize_place("حي")
#: the dual district head (حيي الأندلس والرسالة): its names are districts too, the head is حي
DISTRICTS_DUAL = normalize_place("حيي")

#: a dateline: the place right after the source or the writer at the top of a text
#: (سبق- أضم:، عين اليوم – جدة، عويد التومي- سبق- رفحاء:), taken whatever its size
_DATELINE_RE = re.compile(r"\s*(?:[^\s.:،؛!؟]+\s*){1,4}[-–—ـ]\s*")
DATELINE_CHARS = 60
_DATELINE_END = re.compile(r"\s*:")
_NISBA_SUFFIXES = (("يتين", "ي"), ("يين", "ي"), ("يون", "ي"), ("يان", "ي"), ("يات", "ي"),
                   ("يه", "ي"), ("ي", "ي"))
_NISBA_ENDINGS = tuple(suf for suf, _ in _NISBA_SUFFIXES)


@dataclass
class Mention:
    start: int
    end: int
    key: str
    source: str  # "entity", "gazetteer" or "demonym"
    cands: list[tuple[Place, float]] = field(default_factory=list)
    country: str = ""  # demonyms: the country they point to
    head: str = ""  # generic head word before the name (محافظه، مدينه ...)
    in_title: bool = False
    choice: Place | None = None
    confidence: float = 0.0
    alternatives: list[tuple[Place, float]] = field(default_factory=list)  # runner-up senses
    partial: bool = False  # matched inside a longer LOC span: the rest of it is unexplained
    nisba: str = ""  # country of a nisba adjective right after the name (هورست الهولندية)
    near: Place | None = None  # placed approximately at this place (geo/approximate.py)


def score_prior(place: Place, weight: float = 1.0) -> float:
    s = FEATURE_BASE.get(place.feature, 0.0)
    if place.feature == "city":
        s += 0.6 * math.log10(place.population + 10) + (1.0 if place.capital else 0.0)
    elif place.feature == "admin1":
        s += 0.3 * math.log10(place.population + 10)
    return s - (1.0 - weight) * 5.0


@lru_cache(maxsize=1)
def load_nisba() -> dict[str, str]:
    table: dict[str, str] = {}
    text = resources.files("rasid.geo").joinpath("data/nisba.tsv").read_text("utf-8")
    for line in text.splitlines():
        if line and not line.startswith("#"):
            adj, iso = line.split("\t")[:2]
            table[normalize_place(adj)] = iso
    return table


@lru_cache(maxsize=1)
def load_stopnames() -> frozenset[str]:
    text = resources.files("rasid.geo").joinpath("data/stopnames.txt").read_text("utf-8")
    return frozenset(normalize_place(x.split("#")[0]) for x in text.splitlines()
                     if x.split("#")[0].strip())


@lru_cache(maxsize=1)
def load_epithets() -> dict[str, tuple[str, frozenset[str]]]:
    """``epithets.tsv``: an epithet's key -> (its town's gazetteer key, the head words that
    mark it: عيد طيبة، جامعة طيبة are Medina; علاقات طيبة "good relations" is no place)."""
    text = resources.files("rasid.geo").joinpath("data/epithets.tsv").read_text("utf-8")
    rows = (x.split("\t") for x in text.splitlines() if x.strip() and not x.startswith("#"))
    return {normalize_place(name): (target, frozenset(normalize_place(h) for h in heads.split()))
            for name, target, heads in rows}


@lru_cache(maxsize=30_000)  # 90.4 % hits; 91.8 % with 100,000 and ~20 MB more per process (bench/memory_worker.py --hit-rates)
def convert_nisba(base: str) -> str | None:
    """ISO2 of a nisba adjective token (``base`` form): الفرنسيون -> FR."""
    key = normalize_place(base)
    if key.startswith("ال"):
        key = key[2:]
    if not key.endswith(_NISBA_ENDINGS):
        return None  # most words: one test in C
    table = load_nisba()
    for suf, repl in _NISBA_SUFFIXES:
        if key.endswith(suf) and len(key) > len(suf) + 1:
            iso = table.get(key[: -len(suf)] + repl)
            if iso:
                return iso
    return None


#: a word form this common in the news corpus (``wordfreq.tsv.gz``) is read as the common word
COMMON_FREQ = 200
#: entries of each per-word-form memo of a gazetteer (`memo_of`) before it starts again
MEMO_SIZE = 30_000
#: entries of the first-word memo (`_first_word`): one per token form read (its text), its
#: value one of three shared pairs (some 180 bytes an entry); 2,000 SaudiNewsNet articles have
#: 83,500 word forms, and with `MEMO_SIZE` a fifth of the lookups missed
FIRST_WORDS_MEMO = 100_000


def memo_of(gaz: Gazetteer, name: str, size: int = MEMO_SIZE) -> dict:
    """A memo kept with the gazetteer it reads, keyed by strings, not by the gazetteer, so
    that the collector has no key tuple to visit. When full (`size` entries) its older half
    goes (a dict keeps the order of insertion; all but the newest `size` // 2 entries when a
    whole text's forms came in at once: `_first_words`): emptying it all lost the forms every
    text repeats, a fifth of the first-word lookups missed."""
    return trim_memo(gaz.memos.setdefault(name, {}), size)


def find_candidates(gaz: Gazetteer, key: str) -> tuple[tuple[Place, float], ...]:
    """Lookup; country entries only on an exact match (not السورية -> سورية). Kept per
    key: the tagger asks for the same windows (في، من ...) in every article."""
    memo = gaz.memos.get("candidates")
    found = None if memo is None else memo.get(key)
    if found is None:  # read and written once each: another thread may empty the memo
        found = memo_of(gaz, "candidates")[key] = tuple(
            (p, w) for p, w in gaz.lookup(key, normalized=True)
            if w >= 1.0 or p.feature not in ("country",))
    return found


def _key_of(tokens, first: str | None = None) -> str:
    if len(tokens) == 1:
        return normalize_place(first or tokens[0].base)
    return normalize_place(" ".join([first or tokens[0].base] + [t.norm for t in tokens[1:]]))


def _skip_letters(text: str, start: int, n: int) -> int:
    """Offset in `text` after `n` letters from `start` (harakat and tatweel skipped)."""
    i = start
    while n > 0 and i < len(text):
        i += 1
        n -= 1
        while i < len(text) and ("\u064b" <= text[i] <= "\u065f" or text[i] in "\u0640\u0670"):
            i += 1
    return i


def _lookup_tokens(text: str, toks, gaz: Gazetteer):
    """(key, start, candidates) for a token run; a proclitic the tokenizer kept
    (وشبوة) is stripped when only the shorter form is a place name. A one-word run's is
    fixed per form as written (its start relative to the token's), so kept by its text."""
    if len(toks) == 1:
        tok = toks[0]
        memo = gaz.memos.get("one word")
        found = None if memo is None else memo.get(tok.text)
        if found is None:
            key, start, cands = _read_tokens(text, toks, gaz)
            found = memo_of(gaz, "one word")[tok.text] = (key, start - tok.start, cands)
        return found[0], tok.start + found[1], found[2]
    return _read_tokens(text, toks, gaz)


def _read_tokens(text: str, toks, gaz: Gazetteer):
    if toks[0].article and toks[0].clitic.endswith("ل") and \
            load_wordfreq().get(toks[0].base, 0) < COMMON_FREQ:  # للبنان: ل + لبنان; للحج is ل + الحج
        key = _key_of(toks, toks[0].base[1:])
        cands = find_candidates(gaz, key)
        if any(w >= 1.0 for _, w in cands):
            return key, toks[0].base_start, cands
    key = _key_of(toks)
    cands = find_candidates(gaz, key)
    if cands:
        return key, toks[0].base_start, cands
    if toks[0].clitic:  # the tokenizer took the name's first letter for a proclitic (كاليه)
        whole = _key_of(toks, toks[0].norm)
        cands = find_candidates(gaz, whole)
        if cands:
            return whole, toks[0].start, cands
    base = toks[0].base
    for n in (1, 2):
        if len(base) - n >= 3 and is_proclitic(base[:n], base[n:]):
            k2 = _key_of(toks, base[n:])
            cands = find_candidates(gaz, k2)
            if cands:
                return k2, _skip_letters(text, toks[0].base_start, n), cands
    return key, toks[0].base_start, []


#: the letters a proclitic `is_proclitic` admits can start with
_PROCLITICS = frozenset("وفبلك")


def is_proclitic(prefix: str, rest: str) -> bool:
    """Whether `prefix` (one or two letters) can be proclitics before the name `rest`:
    و/ف, then ب/ل/ك; ك only before the article (كالرياض), so كوباني is not ك+و+باني
    and كمينا not ك+مينا."""
    if len(prefix) == 2 and (prefix[0] not in "وف" or prefix[1] not in "بلك"):
        return False
    last = prefix[-1]
    if last not in "وفبلك":
        return False
    return last != "ك" or rest.startswith("ال")


#: heads a name may follow inside quotes (بولاية "أوكلاهوما"، محافظة «سقطرى»، مدينة “لورد”):
#: counted on all 29,995 SaudiNewsNet articles, docs/places.md, thirteenth round (after مركز
#: and منطقة a quoted name is as often an institution or a phrase: مركز «بروكينغز»)
QUOTED_HEADS = {normalize_place(w) for w in ("مدينة", "ولاية", "محافظة", "قرية", "بلدة", "مقاطعة", "إقليم")}
_OPEN_QUOTES = frozenset('"«“”')
_CLOSE_QUOTES = frozenset('"»”“')


def _quoted_after_head(tokens, lo: int, start: int) -> bool:
    """Whether ``tokens[lo]`` is a quote opening at `start` right after a `QUOTED_HEADS` word."""
    return lo >= 1 and tokens[lo].text in _OPEN_QUOTES and tokens[lo].end == start \
        and tokens[lo - 1].kind == "word" and bool(_head_of(normalize_place(tokens[lo - 1].base), QUOTED_HEADS))


def _head_before(text: str, tokens, start: int, starts: list[int],
                 heads: set[str] = GENERIC_HEADS, end: int | None = None) -> str:
    """The generic head word (محافظة، مدينة ...; or one of `heads`) right before `start`,
    normalised (`starts`: the tokens' start offsets, computed once per text); a place head
    before an opening quote too (`QUOTED_HEADS`), when the name ending at `end` fills the
    quotes (مدينة «سال باخ» is no Sāl)."""
    lo = bisect_left(starts, start) - 1
    if _quoted_after_head(tokens, lo, start):
        hi = bisect_left(starts, end) if end is not None else len(tokens)
        if hi >= len(tokens) or tokens[hi].text not in _CLOSE_QUOTES or tokens[hi].start != end:
            return ""
        return _head_of(normalize_place(tokens[lo - 1].base), heads & QUOTED_HEADS)
    if lo >= 0 and tokens[lo].kind == "word":
        return _head_of(normalize_place(tokens[lo].base), heads)
    return ""


def _head_of(key: str, heads: set[str]) -> str:
    """The head word of `heads` that the normalised word `key` is after up to two proclitics
    the tokenizer kept (بمحافظة، وبمحافظة), or ""."""
    for n in (0, 1, 2):
        if key[n:] in heads and all(c in _PROCLITICS for c in key[:n]):
            return _DISTRICT_HEAD if key[n:] == DISTRICTS_DUAL else key[n:]
    return ""


def is_listed_town(p: Place) -> bool:
    """A town of the hand table ``towns.tsv``: the seat of a governorate that no other table
    holds, kept there only when its name is not mostly a common word. It has no population
    figure, so the rules that ask for a size take it as the governorate seat it is."""
    return p.feature == "city" and p.key.startswith("rasid:")


@lru_cache(maxsize=1)
def load_word_towns() -> frozenset[str]:
    """Keys of the listed towns whose name is also a common word (``towns.tsv``, last
    column ``word``: العارضة "crossbar", البدع "heresies")."""
    text = resources.files("rasid.geo").joinpath("data/towns.tsv").read_text("utf-8")
    rows = [line.split("\t") for line in text.splitlines() if line and not line.startswith("#")]
    return frozenset(f"rasid:{r[0]}" for r in rows if r[6:7] == ["word"])


def is_focus_town(p: Place, focus: str | None, min_population: int) -> bool:
    """A town the focus-country rule takes: of the article's focus country and of at least
    `min_population` people, or a listed governorate seat whose name is no common word."""
    return p.country == focus and (p.population >= min_population or (
        is_listed_town(p) and p.key not in load_word_towns()))


def is_body_match(cands: list[tuple[Place, float]], region: bool = False) -> bool:
    """A name after a body's head word (شرطة X) is a place when it names a town of at
    least ``BODY_POPULATION`` people, a hand-listed town or a larger unit, exactly (in
    `NEAR_COUNTRIES` when `region`: after a venue's head, `VENUE_HEADS`)."""
    return any(w >= 1.0 and (p.feature != "city" or p.population >= BODY_POPULATION
                             or is_listed_town(p)) and (not region or p.country in NEAR_COUNTRIES)
               for p, w in cands)


def uncover_bodies(tokens, entities) -> tuple[list[tuple[int, int]], frozenset[int]]:
    """Spans the gazetteer tagger must skip: every entity, except three parts of a
    non-person entity, which the tagger reads as names after a body's head word: the whole
    entity right after such a word (محافظ [القريات]: NER took the place for the body), the
    part after such a word inside it (شرطة [منطقة مكة المكرمة], جامعة [حفر الباطن]), and the
    part from a later word that starts with the preposition ب (الهيئة الملكية [بالجبيل]: the
    body stands in that place). Also the start offsets of those ب words, which the tagger
    treats like a name after a body's head (`is_body_match`)."""
    starts = [t.start for t in tokens]
    out, located = [], set()
    for s in entities:
        lo = max(bisect_right(starts, s.start) - 1, 0)  # the span may start after a clitic
        if s.label == "PER":
            out.append((s.start, s.end))
        elif lo and _quoted_after_head(tokens, lo - 1, tokens[lo].start) and _is_whole_name(tokens, starts, lo, s.end):
            continue  # بولاية "[أوكلاهوما]": NER took the place for another kind of name
        elif lo and tokens[lo].start >= s.start and _ends_feature_name(tokens, starts, lo, s.end):
            continue  # قناة [السويس]: NER took the end of a table place's name for a body
        elif not (lo and tokens[lo].start >= s.start and _is_body_head(tokens[lo - 1])
                  and (_is_body_head(tokens[lo - 1], _OWN_HEADS) or _starts_name(tokens[lo]))):
            out.append((s.start, _covered_end(tokens, starts, lo, s, located)))
    return out, frozenset(located)


def _is_whole_name(tokens, starts: list[int], lo: int, end: int) -> bool:
    """Whether the words from ``tokens[lo]`` to `end` are one gazetteer name (not «الدهاسين
    الذويبات بني سعد», a village that only ends with one)."""
    toks = [t for t in tokens[lo:bisect_left(starts, end)] if t.kind == "word"]
    gaz = load_gazetteer()  # the word as written too: لورد, whose ل the tokenizer took off
    return bool(toks) and any(find_candidates(gaz, _key_of(toks, first)) for first in (None, toks[0].norm))


def _ends_feature_name(tokens, starts: list[int], lo: int, end: int) -> bool:
    """Whether the word before ``tokens[lo]`` and the words from there to `end` are one name
    of the features table (`rasid:` entries: قناة السويس, whose السويس NER tags ORG)."""
    prev = tokens[lo - 1]
    if prev.kind != "word" or prev.end + 1 < tokens[lo].start:
        return False
    toks = [prev] + [t for t in tokens[lo:bisect_left(starts, end)] if t.kind == "word"]
    return any(p.key.startswith("rasid:") and p.feature == "region"
               for p, _ in find_candidates(load_gazetteer(), _key_of(toks, prev.norm)))


def _is_body_head(tok, heads: set[str] = BODY_HEADS) -> bool:
    """Whether a token is a body's head word (of `heads`), after at most one proclitic
    (وبلدية)."""
    if tok.kind != "word":
        return False
    key = normalize_place(tok.base)
    return key in heads or (key[:1] in "وفبل" and key[1:] in heads)


#: heads whose whole following entity names the place (محافظ [القريات]); after a venue's, only
#: an entity that starts with a name (ملعب [الجونة]; ملعب [بايرن ميونيخ] is a club's ground)
_OWN_HEADS = BODY_HEADS - VENUE_HEADS


def _starts_name(tok) -> bool:
    return load_gazetteer().may_start_name(normalize_place(tok.base))


def _covered_end(tokens, starts: list[int], lo: int, span, located: set[int]) -> int:
    """Where the part of a non-person entity that the tagger skips ends: before the part
    that names a place (see `uncover_bodies`), else at `span.end` (`starts`: the tokens'
    start offsets; `lo`: the span's first token); a ب word's start joins `located`."""
    for j, tok in enumerate(tokens[lo:bisect_left(starts, span.end)]):
        if tok.kind != "word":
            continue
        if j and (tok.clitic.endswith("ب") or _is_glued_head(tok)) and tok.start >= span.start:
            located.add(tok.start)
            return tokens[lo + j - 1].end
        if tok.end < span.end and _is_body_head(tok):
            return tok.end
    return span.end


#: place heads the tokenizer leaves glued to ب (بحي، بمحافظة): a body "بحي X" stands in X
_GLUED_HEADS = ADMIN_HEADS | {_DISTRICT_HEAD}


def _is_glued_head(tok) -> bool:
    return tok.base[:1] == "ب" and normalize_place(tok.base[1:]) in _GLUED_HEADS


def _contiguous(text: str, tokens) -> bool:
    return all(tokens[i].kind == "word" and not text[tokens[i - 1].end:tokens[i].start].strip()
               for i in range(1, len(tokens))) and tokens[0].kind == "word"


def join_split_locs(text: str, spans, gaz: Gazetteer) -> list:
    """LOC spans with two spans joined when only spaces part them and the first is a word of
    a foreign compound (`FOREIGN_PARTS`) or neither names a place: NER tags the words of a
    foreign name apart (وينستن | سيلم، نورث | كارولينا، سان | بطرسبورغ), whose parts alone
    are no place or the wrong one (Carolina, Puerto Rico; Ulsan)."""
    from ..doc import Span

    if len(spans) < 2:
        return spans
    out = []
    for s in sorted(spans, key=lambda s: s.start):
        prev = out[-1] if out else None
        if prev is not None and 0 < s.start - prev.end <= 2 and text[prev.end:s.start].isspace() and (
                normalize_place(text[prev.start:prev.end]) in FOREIGN_PARTS
                or not (_names_place(text[prev.start:prev.end], gaz) or _names_place(text[s.start:s.end], gaz))):
            out[-1] = Span(prev.start, s.end, prev.label, dict(prev.attrs))
        else:
            out.append(s)
    return out


def _names_place(name: str, gaz: Gazetteer) -> bool:
    """Whether a span's text (after one or two proclitics: وجورجيا) has gazetteer entries."""
    key = normalize_place(name)
    return any(find_candidates(gaz, k) for k in (key, *(key[n:] for n in (1, 2) if len(key) - n >= 3
                                                          and is_proclitic(key[:n], key[n:]))))


def extract_entity_mentions(text: str, tokens, spans, gaz: Gazetteer) -> list[Mention]:
    """One mention per LOC span: the longest gazetteer name inside it."""
    starts = [t.start for t in tokens]
    out: list[Mention] = []
    for span in spans:
        lo = bisect_right(starts, span.start) - 1
        lo = max(lo, 0)
        while lo < len(tokens) and tokens[lo].end <= span.start:
            lo += 1
        hi = bisect_left(starts, span.end)
        toks = [t for t in tokens[lo:hi] if t.kind == "word"]
        if not toks:
            continue
        whole = None
        if toks[0].start < span.start < toks[0].end:  # span starts after a clitic
            whole = toks
            toks = [_retoken(text, toks[0], span.start)] + toks[1:]
        m = _best_submatch(text, toks, gaz)
        if m is None and whole is not None:  # ب of بعقوبة is the name's (عقوبة: "penalty")
            key = _key_of(whole, whole[0].norm)
            cands = find_candidates(gaz, key)
            if cands:
                m = Mention(whole[0].start, whole[-1].end, key, "entity", cands)
        if m is None:  # شرم of شرم الشيخ: no name inside, one that runs past the span
            bare = Mention(toks[0].base_start, toks[-1].end, "", "entity")
            m = _extend_right(text, tokens, starts, hi, bare, gaz) or _extend_left(
                text, tokens, starts, bare, gaz, any_word=True)
        elif m.end == toks[-1].end:  # دير [الزور]: a longer name past the span
            m = _extend_right(text, tokens, starts, hi, m, gaz) or m
        if m is not None and m.start == toks[0].base_start:  # [جنوب] أفريقيا: the compass word
            m = _extend_left(text, tokens, starts, m, gaz) or m
        if m is not None and (is_time_word(tokens, starts, m.end, m.key) or (
                out and (out[-1].start, out[-1].end) == (m.start, m.end))):
            continue  # a time; or the name the span before already took (كردستان | العراق)
        if m is not None:
            m.head = _head_before(text, tokens, m.start, starts, end=m.end) or (
                normalize_place(toks[0].base) if toks[0].start < m.start
                and normalize_place(toks[0].base) in GENERIC_HEADS else "")
        if m is None:
            head = _leading_head(toks)
            if head:  # [بحي الملز]: NER took the head word in; the name is after it
                toks = toks[1:]
            first = toks[0]
            start = first.base_start if head or first.start <= span.start <= first.base_start else span.start
            out.append(Mention(start, span.end, _key_of(toks), "entity",
                               head=head or _head_before(text, tokens, start, starts, end=span.end)))
        else:
            out.append(m)
    return out


def _leading_head(toks) -> str:
    """The generic head word (after up to two proclitics: بحي) that starts a LOC span of
    several words, normalised, or ""."""
    return _head_of(normalize_place(toks[0].base), GENERIC_HEADS) if len(toks) > 1 else ""


def _extend_right(text: str, tokens, starts: list[int], hi: int, m: Mention,
                  gaz: Gazetteer) -> Mention | None:
    """The longest gazetteer name that starts where `m` starts and runs past its end
    (`starts`: the tokens' start offsets; only the windows a name can fill are looked up)."""
    lo = bisect_left(starts, m.start)
    while lo > 0 and tokens[lo - 1].end > m.start:
        lo -= 1
    last = min(len(tokens), hi + gaz.max_words - 1)
    if lo >= last or tokens[lo].kind != "word":
        return None
    may_start, check = _first_word(gaz, tokens[lo])
    if not may_start:
        return None
    # only windows whose later words can follow the first in a name (`_window_limit`)
    run = lo + _window_limit(text, tokens, lo, last - lo, _inner_phrases(gaz), check)
    for stop in range(run, max(hi, lo), -1):
        sub = tokens[lo:stop]
        key, start, cands = _lookup_tokens(text, sub, gaz)
        if cands and start == m.start:
            return Mention(start, sub[-1].end, key, "entity", cands)
    return None


def _extend_left(text: str, tokens, starts: list[int], m: Mention, gaz: Gazetteer,
                 any_word: bool = False) -> Mention | None:
    """The name that a compass word right before `m` starts and `m` ends (جنوب | أفريقيا is
    South Africa, not Africa; شمال | إفريقيا North Africa), or any word a name of the features
    table (بحيرة | تشاد), if the gazetteer has one; with
    `any_word` (a span that names nothing), one or two words of any kind but a head's
    (بالعاشر من | رمضان is Tenth of Ramadan City, not a place رمضان)."""
    i = j = bisect_right(starts, m.start) - 1
    while j > max(i - 2, 0) and tokens[j - 1].kind == "word" and not text[tokens[j - 1].end:tokens[j].start].strip() \
            and (normalize_place(tokens[j - 1].base) in COMPASS_WORDS or (
                any_word and normalize_place(tokens[j - 1].base) not in GENERIC_HEADS | BODY_HEADS)):
        j -= 1  # جنوب شرق آسيا: two
    for k in range(j, i):
        key, start, cands = _lookup_tokens(text, tokens[k:bisect_left(starts, m.end)], gaz)
        if cands:
            return Mention(start, m.end, key, "entity", cands)
    if j == i and i > 0 and tokens[i - 1].kind == "word" and text[tokens[i - 1].end:tokens[i].start] == " " \
            and _head_of(normalize_place(tokens[i - 1].base), _feature_first_words(gaz)):
        # a name of the features table the span ends (بحيرة | تشاد is Lake Chad, not Chad; its first
        # word after up to two proclitics: لهضبة، وببحيرة; twenty-first round of issue 14, counted
        # on the corpus: docs/places.md)
        key, start, cands = _lookup_tokens(text, tokens[i - 1:bisect_left(starts, m.end)], gaz)
        if any(p.key.startswith("rasid:") and p.feature == "region" for p, _ in cands):
            return Mention(start, m.end, key, "entity", cands)
    return None


def _feature_first_words(gaz: Gazetteer) -> frozenset[str]:
    """The first words of the names of several words of the features and regions tables
    (`rasid:` region entries: بحيرة، قناة، جزيرة، إقليم ...), worked out once per gazetteer."""
    found = gaz.memos.get("feature first words")
    if found is None:
        rows = gaz.places

        def is_feature(i: int) -> bool:
            key, feature = rows.key_and_feature(i) if isinstance(rows, PlaceRows) else (rows[i].key, rows[i].feature)
            return key.startswith("rasid:") and feature == "region"

        found = gaz.memos["feature first words"] = frozenset(
            k.split(" ", 1)[0] for k, ids in gaz.index.items() if " " in k and any(map(is_feature, ids)))
    return found


def is_time_word(tokens, starts: list[int], end: int, key: str) -> bool:
    """A weekday, or a time of day followed by a weekday (ليل السبت، صباح الأحد): a time,
    not a place. `starts`: the tokens' start offsets; `end`: where the name ends."""
    if key in TIME_NEXT or strip_article(key) in _TIME_BARE:
        return True
    if key not in TIME_OF_DAY:
        return False
    i = bisect_left(starts, end)
    for tok in tokens[i:i + 3]:  # the next word, past at most two punctuation tokens
        if tok.kind == "word":
            return normalize_place(tok.base) in TIME_NEXT
    return False


def _retoken(text: str, tok, start: int):
    from ..arabic.tokenize import tokenize

    sub = tokenize(text[start:tok.end])
    t = sub[0]
    t.start, t.end, t.base_start = t.start + start, t.end + start, t.base_start + start
    return t


def _best_submatch(text: str, toks, gaz: Gazetteer) -> Mention | None:
    n = len(toks)
    for size in range(min(n, gaz.max_words), 0, -1):
        for i in range(0, n - size + 1):
            sub = toks[i:i + size]
            if not _contiguous(text, sub):
                continue
            word = normalize_place(sub[0].base)
            if size == 1 and (word in GENERIC_HEADS or word in FOREIGN_PARTS  # سان alone is no Ulsan
                              or (n > 1 and (len(sub[0].base) < 3 or word in FEATURE_WORDS))):
                continue
            key, start, cands = _lookup_tokens(text, sub, gaz)
            if cands and _is_partial(toks, sub) and (key in load_stopnames() or _foreign_whole(toks, sub)):
                continue  # رأس alone inside رأس الرجاء الصالح: a common word, not the place
            if cands:
                return Mention(start, sub[-1].end, key, "entity", cands, partial=_is_partial(toks, sub))
    return None


#: words of foreign compound names written by sound (نورث كارولينا، سان بطرسبورغ، نيو مكسيكو):
#: a name matched beside one inside a LOC span is part of the foreign name (كارولينا is not
#: Carolina, Puerto Rico there), which the sound match reads whole (`geo/translit.py`)
FOREIGN_PARTS = {normalize_place(w) for w in (
    "نورث", "ساوث", "ويست", "ايست", "إيست", "نيو", "سان", "سانت", "سانتا", "فورت", "بورت", "ماونت",
    "لوس", "لاس", "ديل", "دي", "دو", "لا", "لو")}


def _foreign_whole(toks, sub) -> bool:
    """Whether a word of `toks` outside `sub` is a part of a foreign compound name."""
    inside = {id(t) for t in sub}
    return any(id(t) not in inside and normalize_place(t.base) in FOREIGN_PARTS for t in toks)


def _is_partial(toks, sub) -> bool:
    """Whether the LOC span has words outside the matched name besides generic heads."""
    inside = {id(t) for t in sub}
    return any(id(t) not in inside and normalize_place(t.base) not in GENERIC_HEADS for t in toks)


def extract_gazetteer_mentions(text: str, tokens, covered: list[tuple[int, int]],
                               gaz: Gazetteer, policy: str = "safe",
                               min_population: int = 100_000,
                               also_keys: frozenset[str] = frozenset(),
                               deferred: list[Mention] | None = None,
                               located: frozenset[int] = frozenset(), top: int = 0) -> list[Mention]:
    """Longest gazetteer matches over tokens outside `covered` (NER spans). Names in
    `also_keys` (the title's places) are taken whatever their population, names at
    `located` (token starts: `uncover_bodies`) like names after a body's head; the dateline
    rule looks at the top of the text, from `top` (after a title line). Names the safe
    test refuses are appended to `deferred` when given (`accept_focus_mentions` takes
    those of the article's focus country once it is known)."""
    if policy == "off":
        return []
    stop = load_stopnames()
    epithets = load_epithets()
    inner = _inner_phrases(gaz)
    out: list[Mention] = []
    covered = Coverage(covered)
    starts = [t.start for t in tokens]
    firsts = _first_words(gaz, tokens)
    n = len(tokens)
    after = 0  # the first token a window may start at: none inside a match or a stop phrase
    for i in compress(range(n), map(_MAY_START, firsts)):
        tok = tokens[i]
        if i < after or covered.overlaps(tok.start, tok.end):
            continue
        found = refused = None
        skip = 1
        for size in range(_window_limit(text, tokens, i, min(gaz.max_words, n - i), inner, firsts[i][1]),
                          0, -1):
            sub = tokens[i:i + size]
            if covered.overlaps(sub[-1].start, sub[-1].end):
                continue
            key, start, cands = _lookup_tokens(text, sub, gaz)
            epithet = epithets.get(key) if size == 1 else None
            if epithet and _head_before(text, tokens, sub[0].start, starts, epithet[1]):
                cands = [(gaz.by_key[epithet[0]], 1.0)]  # عيد طيبة: Medina's festival
                found = Mention(start, sub[-1].end, key, "gazetteer", cands)
                break
            if size > 1 and key in stop:  # a common phrase (حماة الوطن): none of its words
                refused, skip = None, size
                break
            town = key in stop and size == 1 and (_is_marked_town(tokens, i, cands, min_population)
                                                  or _is_marked_division(tokens, i, cands, min_population))
            if len(key.replace(" ", "")) < 3 or (size == 1 and key in GENERIC_HEADS) or (
                    key in stop and not town and not _is_stop_dateline(text, top, start, sub[-1].end)):
                if key in stop and size == 1 and refused is None and _has_city(cands, min_population):
                    # الدمام والخبر: a common word a coordinated place may still make a town
                    refused = Mention(start, sub[-1].end, key, "gazetteer", cands, head=_STOP_HEAD)
                continue
            if not cands:
                continue
            head = _head_before(text, tokens, sub[0].start, starts, end=sub[-1].end)
            if head == _DISTRICT_HEAD:
                head = ""
            body_head = _head_before(text, tokens, sub[0].start, starts, BODY_HEADS)
            body = not head and ((sub[0].start in located and start == sub[0].base_start) or body_head)
            if size == 1 and not head and convert_nisba(sub[0].base):
                continue  # الحرب الباكستانية الهندية: an adjective, not Al Hindiyah (Iraq)
            # after a head word (قرية شقا، محافظة X، ريف X) a name is a place whatever its size
            if is_time_word(tokens, starts, sub[-1].end, key):
                continue
            if size > 1 and _is_body_head(sub[0]) and _runs_past(text, tokens, i + 1, i + size, gaz):
                break  # أمانة العاصمة | المقدسة: the body's head, then the longer name after it
            if (policy == "all" or key in also_keys or head or town
                    or (body and is_body_match(cands, body_head in VENUE_HEADS))
                    or is_safe_match(cands, min_population, size) or is_province_seat(key, cands)
                    or (at_dateline(text, top, start) and any(w >= 1.0 for _, w in cands))):
                found = Mention(start, sub[-1].end, key, "gazetteer", cands, head=head)
                break
            if refused is None:
                refused = Mention(start, sub[-1].end, key, "gazetteer", cands)
        if found:
            out.append(found)
            after = i + size
        else:
            if refused is not None and deferred is not None:
                deferred.append(refused)
            after = i + skip
    return out


def at_dateline(text: str, top: int, start: int) -> bool:
    """Whether `start` is right after the source or the writer at the top of a text (from
    `top`): the dateline (سبق- أضم:، عين اليوم – جدة)."""
    return top <= start <= top + DATELINE_CHARS and _DATELINE_RE.fullmatch(text, top, start) is not None


def capitals_at_dateline(text: str, top: int, mentions: list[Mention]) -> None:
    """A country named at the dateline that has a capital of the same name is the capital
    (عين اليوم – الكويت، واس- الجزائر، عين اليوم – تونس): a dateline names the town the report
    was written in (the gold's convention; 13 of 13 such datelines in SaudiNewsNet, twenty-first
    round of issue 14: docs/places.md). In place; the country is kept as the first alternative."""
    for m in mentions:
        p = m.choice
        if p is None or p.feature != "country" or m.start > top + DATELINE_CHARS or m.source == "demonym" \
                or not at_dateline(text, top, m.start):
            continue
        capital = next((q for q, w in m.cands if q.feature == "city" and q.capital and w >= 1.0
                        and q.country == p.country), None)
        if capital is not None:
            m.choice, m.alternatives = capital, [(p, m.confidence)] + m.alternatives[:2]


def _is_stop_dateline(text: str, top: int, start: int, end: int) -> bool:
    """A common word that is a place at a dateline between a dash and a colon (سبق- المدينة:
    is Medina; not نايف عبدالله – عين اليوم, nor لـ المدينة : in a title)."""
    return at_dateline(text, top, start) and text[:start].rstrip()[-1:] in "-–—" \
        and _DATELINE_END.match(text, end) is not None


_CITY_HEAD = normalize_place("مدينة")


#: the mark of a refused match that is a stop name (`accept_deferred_mentions` takes it only
#: when coordinated with a place of its country: الدمام والخبر)
_STOP_HEAD = "stop name"


def _has_city(cands, min_population: int) -> bool:
    return any(p.feature == "city" and p.population >= min_population for p, _ in cands)


def _is_marked_town(tokens, i: int, cands, min_population: int) -> bool:
    """A one-word stop name (ليل "night", مشهد "scene") that the text marks as a town: right
    after the head word مدينة when it names a city of `min_population` people or more and is
    no indefinite adjective (مدينة جديدة), or followed by the definite feminine nisba adjective
    of a country it has a town in (ليل الفرنسية، مشهد الإيرانية; the masculine one follows
    clubs and people: العين الإماراتي; an indefinite one a common noun: جامعة سعودية). Counted on all 29,995 SaudiNewsNet articles: docs/places.md,
    twelfth round."""
    tok, prev = tokens[i], tokens[i - 1] if i else None
    if prev is not None and prev.kind == "word" and prev.base.endswith(("مدينة", "مدينه")) \
            and _head_of(normalize_place(prev.base), {_CITY_HEAD}) and (tok.article or not tok.base.endswith(("ة", "ه"))) \
            and _has_city(cands, min_population):
        return True
    nxt = tokens[i + 1] if i + 1 < len(tokens) else None
    if nxt is None or nxt.kind != "word" or nxt.start != tok.end + 1 or not nxt.article \
            or not nxt.norm.endswith(("ة", "ه")):
        return False
    cc = convert_nisba(nxt.base)
    return cc is not None and any(p.feature == "city" and p.country == cc for p, _ in cands)


#: the head word that makes a common word a first-level division (محافظة البيضاء)
GOVERNORATE_HEADS = {normalize_place(w) for w in ("محافظة", "محافظتي")}


def _is_marked_division(tokens, i: int, cands, min_population: int) -> bool:
    """A one-word stop name (البيضاء "the white") right after محافظة/محافظتي that names a
    first-level division: محافظة البيضاء is Al Bayda', Yemen (50 times in the corpus, all of
    them; محافظة الزرقاء once; after منطقة such words are common: المنطقة الداخلية، منطقة بركان),
    or, written with the article, a city of `min_population` people or more, the governorate's
    seat: محافظة الخبر is Khobar (57 times in the corpus, every one read the town; without the
    article such words are not: محافظة بكل من، محافظة دون غيرها، محافظة عين دار). Counted on all
    29,995 SaudiNewsNet articles: docs/places.md, thirteenth and twenty-fourth rounds."""
    prev = tokens[i - 1] if i else None
    if prev is None or prev.kind != "word" or not _head_of(normalize_place(prev.base), GOVERNORATE_HEADS):
        return False
    return any(p.feature == "admin1" and w >= 1.0 for p, w in cands) \
        or (tokens[i].article and _has_city(cands, min_population))


def _runs_past(text: str, tokens, i: int, end: int, gaz: Gazetteer) -> bool:
    """Whether a gazetteer name starts at ``tokens[i]`` and runs past ``tokens[end - 1]``."""
    for stop in range(min(len(tokens), i + gaz.max_words), end, -1):
        sub = tokens[i:stop]
        if _contiguous(text, sub) and _lookup_tokens(text, sub, gaz)[2]:
            return True
    return False


def accept_deferred_mentions(text: str, deferred: list[Mention], focus: str | None,
                             taken: list[Mention], min_population: int = FOCUS_POPULATION,
                             home: str | None = None) -> list[Mention]:
    """The refused tagger matches that name a town of the article's focus country of at
    least `min_population` people (برابغ in a Saudi article) or a governorate seat of the
    hand table (`is_listed_town`: رفحاء، النعيرية), or that are coordinated with
    a resolved place (القنفذة والليث، زحلة والمنية) and have an entry in its country, or that
    follow مركز and name a town of the focus country (of `home`, the country the news comes
    from, in an article with no focus); never overlapping `taken` (resolved mentions)."""
    if not deferred:
        return []
    placed = sorted((m for m in taken if m.choice is not None and m.source != "demonym"),
                    key=lambda m: m.start)
    spans = Coverage([(m.start, m.end) for m in taken])
    ends = {m.end: m.choice.country for m in placed}
    starts = {m.start: m.choice.country for m in placed}
    by_start = {m.start: m.choice for m in placed}
    # a common word the text has named a division after محافظة is that place everywhere in it
    divisions = {m.key for m in placed if m.head in GOVERNORATE_HEADS and m.choice.feature == "admin1"}
    # one sense per article: a name the text has made a governorate (محافظة المجمعة) is that
    # place in its other mentions too (بالمجمعة، محافظ المجمعة); docs/places.md, fourteenth round
    headed = {m.key for m in placed if m.head in GOVERNORATE_HEADS and m.source == "gazetteer"}
    # a town of the focus country right after مركز (an administrative centre: رئيس مركز ساجر)
    # or شاطئ/شواطئ (its beach: بشاطئ العقير) is that town, whatever its size, and so are its other
    # mentions (بساجر); twenty-sixth and twenty-eighth rounds
    if any(w in text for w in _CENTRE_WORDS):  # most articles name no centre and no beach
        after_centre = {c.end() for c in _CENTRE_RE.finditer(text)}
        headed |= {m.key for m in deferred if m.start in after_centre and m.head != _STOP_HEAD
                   and _is_centre_town(text, m, focus or home)}
    out = []
    for m in deferred:
        if spans.overlaps(m.start, m.end) or (out and out[-1].end > m.start):
            continue
        coordinated = _coordinated(text, m, ends, starts)
        if m.head == _STOP_HEAD:  # a common word: only a coordinated place of its country vouches
            if m.key in divisions or any(
                    w >= 1.0 and p.feature == "city" and p.country in coordinated for p, w in m.cands) or (
                    _after_locative(text, m.start) and _vouched_by_neighbour(_largest_town(m.cands), placed)):
                m.head = ""
                out.append(m)
            continue
        division = _division_after(text, m, by_start)
        if m.key in headed or any(w >= 1.0 and (p.country in coordinated or is_focus_town(p, focus, min_population)
                             or (division is not None and p.country == division.country
                                 and p.feature == "city" and _km(p, division) < NEAR_KM))
               for p, w in m.cands):
            out.append(m)
    return out


#: an administrative centre's head word (مركز ساجر، بمركز الموسم، مركزي حرض وخريص) or a beach's
#: (بشاطئ العقير، شواطئ ضباء: twenty-eighth round), the word before it at most a proclitic or a
#: quote away
_CENTRE_WORDS = ("مركز", "شاطئ", "شواطئ", "شاطى")
_CENTRE_RE = re.compile(r"(?<!\w)[وفبل]{0,2}(?:مركزي?|شاط[ئى]ء?|شواطئ)\s*[«\"“(]?\s*")


def _is_centre_town(text: str, m: Mention, focus: str | None) -> bool:
    """Whether the refused name `m`, right after مركز/مركزي or شاطئ/شواطئ, names a town of the
    article's focus country, its word no common one (`is_name_word`: مركز الدعوة، مركز السلامة are
    not). Counted on all 29,995 SaudiNewsNet articles (docs/places.md, twenty-sixth and
    twenty-eighth rounds)."""
    from .approximate import is_name_word  # approximate builds on this module

    return bool(focus) and any(w >= 1.0 and p.feature == "city" and p.country == focus for p, w in m.cands) \
        and is_name_word(normalize_name(text[m.start:m.end]), load_wordfreq())


def _after_locative(text: str, start: int) -> bool:
    """Whether the word at `start` is definite and follows في or a glued ب (في الخبر، بالخبر;
    not بخبر "with news of")."""
    if not text.startswith("ال", start):
        return False
    if start >= 1 and text[start - 1] == "ب":
        return start == 1 or not text[start - 2].isalpha()
    return text[max(0, start - 4):start] in (" في ", "\nفي ") or text[:start] == "في "


def _largest_town(cands) -> Place | None:
    towns = [p for p, w in cands if w >= 1.0 and p.feature == "city"]
    return max(towns, key=attrgetter("population")) if towns else None


def _vouched_by_neighbour(p: Place | None, placed: list[Mention]) -> bool:
    """Whether the article has placed, elsewhere, a town of `p`'s country (the largest town of
    the name, the one the resolver takes) within `NEAR_KM`
    of it or the first-level division of that country whose point is nearest to it (its
    region: الخبر in an article naming الدمام or المنطقة الشرقية); docs/places.md,
    fifteenth round."""
    if p is None or p.lat is None:
        return False
    region = _nearest_division(p.key)
    return any(m.choice.key == region or (
        m.choice.feature == "city" and m.choice.country == p.country and m.choice.key != p.key
        and m.choice.lat is not None and _km(p, m.choice) < NEAR_KM) for m in placed)


@lru_cache(maxsize=256)
def _nearest_division(key: str) -> str | None:
    """The key of the first-level division of a town's country with the nearest point."""
    gaz = load_gazetteer()
    p = gaz.by_key[key]
    divisions = [d for d in _divisions_of(p.country) if d.lat is not None]
    return min(divisions, key=lambda d: _km(p, d)).key if divisions else None


@lru_cache(maxsize=64)
def _divisions_of(country: str) -> tuple[Place, ...]:
    gaz = load_gazetteer()
    return tuple(d for d in (gaz.places[i] for i in gaz.places.find_feature("admin1")) if d.country == country)


#: between a name and the division the text says it is in: (التابع ل)محافظة، بمنطقة، في مديرية
_DIVISION_GAP = re.compile(r"\s+(?:(?:ال)?تابع[ةه]?\s+)?(?:في\s+|[بل])?"
                           r"(?:محافظ[ةه]|منطق[ةه]|مديري[ةه]|إمار[ةه]|امار[ةه]|ولاي[ةه]|قطاع)\s+")


def _division_after(text: str, m: Mention, by_start: dict) -> Place | None:
    """The resolved place the text puts `m` in at once (لودر بمحافظة أبين: Abyan), or None
    (`by_start`: resolved mentions' starts -> their place)."""
    gap = _DIVISION_GAP.match(text, m.end)
    p = by_start.get(gap.end()) if gap else None
    return p if p is not None and p.lat is not None else None


_COORD_BEFORE = re.compile(r"\s*(?:[،,]\s*)?و?\s*$")
_COORD_AFTER = re.compile(r"^\s*(?:[،,]\s*)?و")


def _coordinated(text: str, m: Mention, ends: dict[int, str], starts: dict[int, str]) -> set[str]:
    """Countries of resolved places coordinated with `m` (X وM، X، M، M وX), at most a
    comma and و apart (`ends`/`starts`: resolved mentions' offsets -> country)."""
    out = set()
    lo = max(0, m.start - 4)
    for e in range(lo, m.start + 1):
        if e in ends and _COORD_BEFORE.fullmatch(text[e:m.start]) and (
                "و" in text[e:m.start + 1] or "،" in text[e:m.start] or "," in text[e:m.start]):
            out.add(ends[e])
    for s in range(m.end, min(len(text), m.end + 4) + 1):
        if s in starts and _COORD_AFTER.match(text[m.end:s + 1]):
            out.add(starts[s])
    return out


_LIST_SEP = re.compile(r"\s*[،,]\s*(?:و\s*)?|\s+و\s*")


def cities_in_lists(text: str, mentions: list[Mention]) -> None:
    """A country named in a list of three or more cities and no other country is its capital
    (لوس أنجلوس، لندن، باريس، تونس، القاهرة: Tunis; الكويت، الجزائر alike); in place."""
    placed = sorted((m for m in mentions if m.choice is not None and m.source != "demonym"),
                    key=lambda m: m.start)
    chain: list[Mention] = []
    for m in placed + [None]:
        if m is not None and chain and _LIST_SEP.fullmatch(text[chain[-1].end:m.start]):
            chain.append(m)
            continue
        countries = [c for c in chain if c.choice.feature == "country"]
        if len(chain) >= 3 and len(countries) == 1 and all(
                c.choice.feature == "city" for c in chain if c is not countries[0]):
            country = countries[0]
            capital = [p for p, w in country.cands if w >= 1.0 and p.feature == "city"
                       and p.capital and p.country == country.choice.country]
            if capital:
                country.choice = capital[0]
        chain = [m] if m is not None else []


def is_safe_match(cands: list[tuple[Place, float]], min_population: int, words: int = 1) -> bool:
    best, w = max(cands, key=lambda pw: score_prior(*pw))
    if w < 1.0:
        return False
    if best.feature in ("country", "continent", "region"):
        return True
    if words > 1 and (best.country in NEAR_COUNTRIES or best.population >= MULTIWORD_POPULATION):
        return True  # جسر الشغور، شرم الشيخ: a two-word name is rarely a common phrase
    return best.population >= min_population


def is_province_seat(key: str, cands: list[tuple[Place, float]]) -> bool:
    """A name with the article that is both a first-level division of the region and its
    seat, a town of at least ``MULTIWORD_POPULATION`` people (الباحة، السويداء، العقبة،
    الجهراء): the region's news uses it for the province and its capital alike. Names of this
    class without the article are also common nouns or given names (حجة "pretext", لحج =
    ل + حج, درعا، جنين، عمران) and are left to NER."""
    if not key.startswith("ال"):
        return False
    provinces = {p.country for p, w in cands if w >= 1.0 and p.feature == "admin1"
                 and p.country in NEAR_COUNTRIES}
    return any(w >= 1.0 and p.feature == "city" and p.country in provinces
               and p.population >= MULTIWORD_POPULATION for p, w in cands)


class Coverage:
    """Character mask of covered spans: overlap tests in O(span length), not O(spans)."""

    def __init__(self, covered: list[tuple[int, int]]):
        size = max((e for _, e in covered), default=0)
        self.mask = bytearray(size)
        for s, e in covered:
            self.mask[s:e] = b"\x01" * (e - s)

    def overlaps(self, start: int, end: int) -> bool:
        return self.mask.find(1, start, end) != -1  # find() clips end to the mask


@lru_cache(maxsize=2)
def _inner_phrases(gaz: Gazetteer) -> frozenset[str]:
    """Every run of words inside a gazetteer name or stop phrase that does not start at
    its first word (شرم الشيخ -> الشيخ): what the words after a window's first token must
    form for any of `_lookup_tokens`' keys of the window to be a name or a stop phrase."""
    out = set()
    for key in (*gaz.index, *gaz.bare_index, *load_stopnames()):
        words = key.split()
        out.update(" ".join(words[j:k]) for j in range(1, len(words))
                   for k in range(j + 1, len(words) + 1))
    return frozenset(out)


def _window_limit(text: str, tokens, i: int, limit: int, inner: frozenset[str],
                  check: bool = True) -> int:
    """How many tokens from `tokens[i]` (a word) a gazetteer window can take, at most
    `limit`: contiguous words whose normalised words after the first are in `inner`.
    Longer windows cannot match, so only these are looked up (same matches, fewer
    lookups). When a first-word form of `_lookup_tokens` normalises to nothing (`check`
    false: `_first_word`) the key is the tail alone, and every window up to `limit` is tried."""
    size, tail = 1, ""  # the normalised words after the first, one space between
    while size < limit:
        prev, tok = tokens[i + size - 1], tokens[i + size]
        if tok.kind != "word" or text[prev.end:tok.start].strip():
            break  # not contiguous (`_contiguous`)
        word = normalize_place(tok.norm)  # its words one space apart already
        if word:
            tail = tail + " " + word if tail else word
        if check and tail and tail not in inner:
            break
        size += 1
    return size


def _first_word(gaz: Gazetteer, tok) -> tuple[bool, bool]:
    """Of a token: whether a gazetteer name could start at it in `_lookup_tokens`' variants
    (as written, or without one or two proclitics; never at a token that is no word), and
    if so whether each of those first-word forms normalises to something (`_window_limit`'s
    ``check``). Fixed per form as written (`analyse_token`), so kept by its text."""
    memo = gaz.memos.get("first words")
    found = None if memo is None else memo.get(tok.text)
    if found is None:
        found = memo_of(gaz, "first words", FIRST_WORDS_MEMO)[tok.text] = _read_first_word(gaz, tok)
    return found


def _first_words(gaz: Gazetteer, tokens) -> list[tuple[bool, bool]]:
    """`_first_word` of every token: the memo read for all of them in C (a text's forms
    are mostly known), the forms it lacks read and kept."""
    found = recall(gaz.memos.setdefault("first words", {}), list(map(_TEXT, tokens)),
                   lambda i: _read_first_word(gaz, tokens[i]))
    memo_of(gaz, "first words", FIRST_WORDS_MEMO)  # kept within its bound
    return found


_TEXT, _MAY_START = attrgetter("text"), itemgetter(0)


def _read_first_word(gaz: Gazetteer, tok) -> tuple[bool, bool]:
    if tok.kind != "word":
        return _NO_START
    base, whole = tok.base, tok.norm if tok.clitic else ""
    may_start = gaz.may_start_name
    if not (may_start(normalize_place(base))
            or (whole and (may_start(normalize_place(whole))
                           or (base.startswith("ال") and may_start(normalize_place(base[1:])))))
            or (base[:1] in _PROCLITICS and (  # without one or two proclitics (`is_proclitic`)
                (len(base) >= 4 and is_proclitic(base[:1], base[1:]) and may_start(normalize_place(base[1:])))
                or (len(base) >= 5 and is_proclitic(base[:2], base[2:])
                    and may_start(normalize_place(base[2:])))))):
        return _NO_START
    forms = (base, whole or base, *(base[n:] for n in (1, 2) if len(base) - n >= 3))
    return _START_CHECKED if all(normalize_place(f) for f in forms) else _START_UNCHECKED


_NO_START, _START_CHECKED, _START_UNCHECKED = (False, True), (True, True), (True, False)


#: words with the article that are no nouns an adjective could follow (شملت حتى الآن السعودية)
_NOT_NOUNS = {normalize_place(w) for w in ("الآن", "اليوم", "الليلة", "الذي", "التي", "الذين")}


def demote_adjective_countries(text: str, tokens, mentions: list[Mention]) -> None:
    """A country whose name is also its nisba adjective (السعودية) written right after a
    definite noun is the adjective (الأسرة السعودية، الاتصالات السعودية، العاصمة السعودية:
    40 of 40 such pairs drawn from SaudiNewsNet): the mention becomes a demonym (in place)."""
    starts = [t.start for t in tokens]
    for m in mentions:
        if m.source not in ("entity", "gazetteer") or " " in m.key:
            continue
        iso = convert_nisba(m.key)
        if not iso or not any(w >= 1.0 and p.feature == "country" and p.country == iso
                              for p, w in m.cands):
            continue
        i = bisect_left(starts, m.start)
        prev = tokens[i - 1] if 0 < i < len(tokens) and tokens[i].start == m.start else None
        if prev is not None and prev.kind == "word" and prev.article and not text[
                prev.end:m.start].strip() and normalize_place(prev.base) not in _NOT_NOUNS:
            m.source, m.country, m.cands = "demonym", iso, []


#: a place name right after these words names a competition, a club, a national team, a crude
#: or an organisation, not a place on the map (كأس الخليج والعرب وآسيا، دوري أبطال آسيا، نادي الباحة
#: الأدبي، منتخب تشيلي، منتخبات تونس والكويت، كوبا أميركا، خام دبي، منظمة الفاو، ريال مدريد): the gold
#: leaves such names out (tests/resources/README.md)
NAMING_HEADS = {normalize_place(w) for w in ("كأس", "دوري", "أبطال", "بطولة", "نادي", "خام", "منظمة", "ريال",
                                             "منتخب", "المنتخب", "منتخبات", "المنتخبات", "كوبا")}
_CRUDE = normalize_place("خام")
_NAMING_RE = re.compile("ك[أإا]س|دوري|[أا]بطال|بطول|نادي|خام|منظم|ريال|الوسيط|منتخب|كوبا|سان جي?رمان|الأوسط[»\"”]")


def _words(*words: str) -> frozenset[str]:
    return frozenset(map(normalize_place, words))


#: a place name (its key; "" any name) right before these words (each a set of normalised bases, the
#: first joined to the name) names something else: (خام) غرب تكساس الوسيط, the crude West Texas
#: Intermediate; كوبا أمريكا, the Copa America, not Cuba (139 corpus mentions, all the cup); باريس
#: سان جرمان/جيرمان, the club Paris Saint-Germain, not the city (221 corpus mentions, all 12 read the
#: club; twenty-eighth round)
NAMED_BEFORE = (("", (_words("الوسيط"),)),
                (normalize_place("كوبا"), (_words("أمريكا", "أميركا"),)),
                (normalize_place("باريس"), (_words("سان"), _words("جرمان", "جيرمان"))))
#: the Middle East between quote marks is the newspaper Asharq Al-Awsat (لـ«الشرق الأوسط»: 1,440 corpus
#: mentions in 706 articles, all 12 read the paper; thirty-first round)
_MIDDLE_EAST = normalize_place("الشرق الأوسط")
_QUOTED = ('«"“', '»"”')


def drop_named_things(text: str, tokens, mentions: list[Mention]) -> list[Mention]:
    """The mentions that are places: not a name right after a word of `NAMING_HEADS` (or
    joined by و to such a name), two words after خام, before الوسيط, كوبا before أمريكا, باريس
    before سان جرمان, or the Middle East between quote marks (the newspaper)."""
    if not _NAMING_RE.search(text):
        return mentions  # most articles: one scan, no token walk
    starts = [t.start for t in tokens]

    def joined(i: int) -> bool:  # nothing but spaces between tokens i - 1 and i
        return 0 < i < len(tokens) and not text[tokens[i - 1].end:tokens[i].start].strip()

    def base(i: int) -> str:
        return normalize_place(tokens[i].base) if 0 <= i < len(tokens) and tokens[i].kind == "word" else ""

    def is_name(m: Mention) -> bool:
        if m.key == _MIDDLE_EAST and 0 < m.start and m.end < len(text) \
                and text[m.start - 1] in _QUOTED[0] and text[m.end] in _QUOTED[1]:
            return True
        after = bisect_left(starts, m.end)
        if joined(after) and any(key in ("", m.key) and all(base(after + k) in w for k, w in enumerate(words))
                                 for key, words in NAMED_BEFORE):
            return True
        i = bisect_right(starts, m.start) - 1
        while tokens[i].clitic.startswith("و") and joined(i):  # كأس الخليج والعرب وآسيا
            i -= 1
        return joined(i) and (base(i - 1) in NAMING_HEADS or joined(i - 1) and base(i - 2) == _CRUDE)

    return [m for m in mentions if m.source == "demonym" or not is_name(m)]


def extract_demonyms(tokens, covered: list[tuple[int, int]]) -> list[Mention]:
    """A demonym mention per word that is a nisba adjective (`convert_nisba`) outside
    `covered`. The nisba of each token's base is read from a memo for all of a text's
    tokens at once (``map`` in C; a text's forms are mostly known, and most are no nisba),
    the bases it lacks worked out and kept; only the nisbas are looked at one by one."""
    bases = list(map(_BASE, tokens))
    isos = recall(trim_memo(_NISBA_MEMO, MEMO_SIZE), bases, lambda i: convert_nisba(bases[i]) or "")
    out = []
    covered = Coverage(covered)
    for i in compress(range(len(isos)), isos):
        tok = tokens[i]
        if tok.kind == "word" and not covered.overlaps(tok.start, tok.end):
            out.append(Mention(tok.base_start, tok.end, normalize_place(tok.base), "demonym",
                               country=isos[i]))
    return out


_NISBA_MEMO: dict[str, str] = {}  # a token's base -> its nisba's ISO2, "" for none
_BASE = attrgetter("base")


def _km(a: Place, b: Place) -> float:
    p1, p2 = math.radians(a.lat), math.radians(b.lat)
    dp, dl = p2 - p1, math.radians(b.lon - a.lon)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(min(1.0, math.sqrt(h)))


def _vote_of(m: Mention) -> tuple[str, float]:
    if m.source in ("demonym", "cue"):
        return m.country, 0.5
    if m.source in ("entity", "gazetteer") and m.choice is not None and m.choice.country:
        return m.choice.country, 1.0
    return "", 0.0


def world_city(cands) -> Place | None:
    """The capital or large city among a name's candidates (`WORLD_POPULATION`), if any."""
    best = max((p for p, w in cands if w >= 1.0 and p.feature == "city"),
               key=lambda p: p.population, default=None)
    return best if best is not None and (best.capital or best.population >= WORLD_POPULATION) else None


def is_namesake_of(p: Place, world: Place) -> bool:
    """A town abroad named after `world` and far smaller (Geneva, Illinois; الرياض in Egypt;
    not Tripoli, Lebanon, a large city itself, nor a village whose size the table does not
    know, as المنصورة in Syria's Ghab plain): the country the article names does not make it
    win; a place near it or a nisba does."""
    return (p.feature == "city" and p.country != world.country and 0 < p.population < WORLD_POPULATION
            and p.population * NAMESAKE_RATIO <= world.population)


def resolve_mentions(mentions: list[Mention], hint: str | None = None, home: str | None = None) -> None:
    """Set ``choice`` and ``confidence`` on every mention with candidates (in place); `home`:
    the country the news comes from (the ``home_country`` setting, `prefer_provinces`)."""
    groups: dict[str, list[Mention]] = {}
    for m in mentions:
        if m.source != "demonym" and m.cands:
            groups.setdefault(m.key, []).append(m)
    # pass 0: unambiguous groups (one country among the candidates) fix themselves
    for key, ms in groups.items():
        if len({p.country for p, _ in ms[0].cands}) == 1:
            best = max(ms[0].cands, key=lambda pw: score_prior(*pw))[0]
            for m in ms:
                m.choice = best
    for _ in range(2):
        choices = {}
        # every mention's vote, city and country once per pass; each group then takes out
        # its own (linear in the mentions, where a scan per group was quadratic)
        all_votes: dict[str, float] = {}
        own_votes: dict[str, dict[str, float]] = {}
        cities: dict[str, Any] = {}  # gazetteer key -> a city/admin1 choice with coordinates
        city_keys: dict[str, set[str]] = {}  # place key -> mention keys choosing it
        country_keys: dict[str, set[str]] = {}  # country -> mention keys naming it
        for o in mentions:
            cc, w = _vote_of(o)
            if cc:
                w *= 2.0 if o.in_title else 1.0
                all_votes[cc] = all_votes.get(cc, 0.0) + w
                mine = own_votes.setdefault(o.key, {})
                mine[cc] = mine.get(cc, 0.0) + w
            if o.choice is not None and o.choice.feature in ("city", "admin1") and o.choice.lat is not None:
                cities.setdefault(o.choice.key, o.choice)
                city_keys.setdefault(o.choice.key, set()).add(o.key)
            if o.choice is not None and o.choice.feature == "country":
                country_keys.setdefault(o.choice.country, set()).add(o.key)
        nearby_cities = list(cities.values())[:MAX_NEARBY_CITIES]
        for key, ms in groups.items():
            mine = own_votes.get(key, {})
            votes = {cc: v - mine.get(cc, 0.0) for cc, v in all_votes.items()}
            votes = {cc: v for cc, v in votes.items() if v > 1e-12}
            others = [c for c in nearby_cities if city_keys[c.key] - {key}]
            named_countries = {cc for cc, keys in country_keys.items() if keys - {key}}
            heads = {m.head for m in ms if m.head}
            nisbas = {m.nisba for m in ms if m.nisba}
            total = sum(votes.values())
            world = world_city(ms[0].cands)
            scored = []
            for p, w in ms[0].cands:
                s = score_prior(p, w)
                country_part = 0.0  # what the country alone gives the candidate
                if p.country and total:
                    country_part += CONTEXT_WEIGHT * votes.get(p.country, 0.0) / total
                if hint and p.country == hint:
                    country_part += HINT_WEIGHT
                if p.feature != "country" and p.country in named_countries:
                    country_part += NEAR_WEIGHT
                if p.country in nisbas:
                    s += NISBA_WEIGHT
                if heads & ADMIN_HEADS and p.feature == "admin1":
                    s += HEAD_WEIGHT + (DIVISION_WEIGHT if DIVISION_HEADS.get(p.country) in heads else 0.0)
                if heads & CITY_HEADS and p.feature == "city":
                    s += HEAD_WEIGHT
                local = p.feature == "city" and p.lat is not None and any(
                    _km(p, o) < NEAR_KM for o in others if o.key != p.key)
                if local:
                    s += NEAR_WEIGHT
                if world is not None and is_namesake_of(p, world) and not (local or p.country in nisbas):
                    country_part = 0.0  # لندن in a US story is still London, not London KY
                scored.append((s + country_part, p))
            scored.sort(key=lambda sp: -sp[0])
            top = scored[0][0]
            z = sum(math.exp(s - top) for s, _ in scored)
            alts = [(p, round(math.exp(s - top) / z, 3)) for s, p in scored[1:4]
                    if math.exp(s - top) / z >= ALTERNATIVE_MIN]
            choices[key] = (scored[0][1], 1.0 / z, alts)
        for key, (p, conf, alts) in choices.items():
            for m in groups[key]:
                share = conf * (PARTIAL_FACTOR if m.partial else 1.0)
                m.choice, m.confidence, m.alternatives = p, round(share, 3), alts
                if m.nisba and p.country != m.nisba and p.feature != "country":
                    # هورست الهولندية is no Hurst of the US: a place the gazetteer lacks
                    m.choice, m.confidence, m.alternatives = None, 0.0, []
    prefer_provinces(groups, mentions, home)


#: words before a name that make it the division's, not its seat's (أمير تبوك، تعليم نجران،
#: صحة الباحة: the gold's convention, tests/resources/README.md; ريف إدلب، محافظات عدن)
DIVISION_OFFICES = frozenset(normalize_place(w) for w in (
    "أمير", "تعليم", "صحة", "ريف", "منطقتي", "محافظتي", "مناطق", "محافظات"))


def split_division_seat(text: str, tokens, mentions: list[Mention]) -> None:
    """A name that is both a first-level division and its seat town (المدينة المنورة، تبوك،
    لحج) and that the article writes both after a division's head word and without one
    (بمنطقة المدينة المنورة ... 180 كم شرق المدينة المنورة): the mentions after the head name
    the division, the others the town (not those after an office of the division: أمير تبوك),
    whichever sense the name took as a whole; the sense not taken is kept as the first
    alternative. Counted on every gold batch: the mentions without a head in such articles
    are the town 30 times in 33 (docs/places.md, twelfth round)."""
    groups: dict[str, list[Mention]] = {}
    for m in mentions:
        if m.source != "demonym" and m.choice is not None and m.choice.feature in ("city", "admin1"):
            groups.setdefault(m.key, []).append(m)
    starts = None
    for ms in groups.values():
        heads = [m.head in ADMIN_HEADS for m in ms]
        if all(heads) or not any(heads):
            continue
        p = ms[0].choice
        division = next((q for q, _ in ms[0].cands if q.feature == "admin1" and q.country == p.country), None)
        seat = max((q for q, _ in ms[0].cands if q.feature == "city" and q.country == p.country),
                   key=lambda q: q.population, default=None)
        if division is None or seat is None:
            continue
        if starts is None:
            starts = [t.start for t in tokens]
        for m, head in zip(ms, heads):
            q = division if head else seat
            if m.choice is q or (not head and _head_before(text, tokens, m.start, starts, DIVISION_OFFICES)):
                continue
            m.alternatives = [(m.choice, m.confidence)] + [a for a in m.alternatives if a[0] is not q][:2]
            m.choice = q


def prefer_provinces(groups: dict[str, list[Mention]], mentions: list[Mention],
                     home: str | None = None) -> None:
    """A name resolved to a town in a country nothing else in the article points to, that is
    also a first-level division of a country of the region the article's other mentions,
    demonyms or co-mentioned entities do point to, names the division (الجوف with King Salman
    and Germany: Saudi Arabia's Al Jawf region, not the Libyan town); when they point nowhere,
    the division of `home` (the country the news comes from; None: none) does. In place; the
    town is kept as the first alternative. Counted on the corpus: docs/places.md."""
    all_votes: dict[str, float] | None = None
    own_votes: dict[str, dict[str, float]] = {}
    for key, ms in groups.items():
        p = ms[0].choice
        if p is None or p.feature != "city" or not any(
                q.feature == "admin1" and q.country in NEAR_COUNTRIES for q, _ in ms[0].cands):
            continue
        if all_votes is None:  # every mention's vote once; each name then takes out its own
            all_votes = {}
            for o in mentions:
                cc, w = _vote_of(o)
                if cc:
                    all_votes[cc] = all_votes.get(cc, 0.0) + w
                    mine = own_votes.setdefault(o.key, {})
                    mine[cc] = mine.get(cc, 0.0) + w
        mine = own_votes.get(key, {})
        votes = {cc: v - mine.get(cc, 0.0) for cc, v in all_votes.items() if v - mine.get(cc, 0.0) > 1e-9}
        if votes.get(p.country):
            continue
        if home and p.country != home and not NEAR_COUNTRIES.intersection(votes):
            votes = {home: 1.0}
        provinces = [q for q, w in ms[0].cands if w >= 1.0 and q.feature == "admin1"
                     and q.country in NEAR_COUNTRIES and votes.get(q.country)]
        if provinces:
            best = max(provinces, key=lambda q: votes[q.country])
            for m in ms:
                m.choice, m.confidence, m.alternatives = best, PROVINCE_CONFIDENCE, [(p, m.confidence)]


def vote_focus(mentions: list[Mention], lead_chars: int = 300,
               top: int = 0) -> tuple[str | None, dict[str, float]]:
    """The focus country and the votes: title mentions count twice, those of the first
    `lead_chars` characters from `top` (after a title line) 1.5 times."""
    votes: dict[str, float] = {}
    for m in mentions:
        cc, w = _vote_of(m)
        if not cc:
            continue
        if m.in_title:
            w *= 2.0
        elif m.start - top < lead_chars:
            w *= 1.5
        votes[cc] = votes.get(cc, 0.0) + w
    if not votes:
        return None, votes
    best = max(sorted(votes), key=lambda c: votes[c])
    return best, {c: round(v, 2) for c, v in sorted(votes.items(), key=lambda cv: -cv[1])}

