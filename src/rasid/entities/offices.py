"""Offices and who held them when: a mention such as ولي العهد or وزير الخارجية السعودي
names the person holding the office on the article's date.

* ``office_key(text)``: the office as a key: words normalised, the article ال and the
  preposition لل dropped (وزير الخارجية السعودي -> ``وزير خارجيه سعودي``); a role written
  before a name is keyed the same way (``rasid.entities.archive`` stores it per entity, so
  the archive learns who held an office when: "وزير الخارجية عادل الجبير").
* ``data/offices.tsv``: the knowledge table shipped with rasid, built by
  ``bench/make_offices.py`` from the UniversalPetrarch Arabic actor dictionary and the
  hand-checked ``data/offices_curated.tsv``; ``find_office_holder(key, day)`` answers from it.
* ``find_office_mentions(doc)``: office phrases in the text that no name follows (those
  are roles of the name, see ``rasid.entities.roles``), longest first.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from ..arabic.normalize import normalize_name
from ..arabic.tokenize import tokenize
from ..doc import Document, Span
from .names import normalize_entity_name
from .roles import load_roles

MAX_OFFICE_WORDS = 6
#: words that make a role a former or a deputy one: never the office itself
_CHAINING_HEADS = {"ناءب", "ولي"}  # نائب, ولي (normalised)
_NOT_THE_HOLDER = {"سابق", "سابقه", "اسبق", "راحل", "مخلوع", "مساعد", "وكيل"}


@dataclass(frozen=True, slots=True)
class Office:
    key: str
    text: str
    holder: str
    latin: str
    start: str  # YYYY-MM-DD or ""
    end: str    # YYYY-MM-DD or "" (still in office)
    source: str

    def covers(self, day: str | None) -> bool:
        if not day:
            return False
        return (not self.start or self.start <= day) and (not self.end or day < self.end)

    def describe(self) -> str:
        return f"{self.text} = {self.holder} {self.start or '…'}..{self.end or '…'} ({self.source})"


#: a word of Arabic letters only (no tatweel, no mark): `normalize_entity_name` of it is
#: `normalize_name` with ة folded (no punctuation to blank, no second word to join)
_LETTERS_ONLY = re.compile("[\u0621-\u063a\u0641-\u064a]+")


@lru_cache(maxsize=30_000)
def normalize_office_word(word: str) -> str:
    w = normalize_name(word)
    # the common case without `normalize_entity_name` (and without filling its cache with
    # every word of every article: `find_office_mentions` keys all of them)
    w = w.replace("ة", "ه") if _LETTERS_ONLY.fullmatch(w) else normalize_entity_name(word).replace(" ", "")
    if w.startswith("لل") and len(w) > 4:
        return w[2:]
    if w.startswith("ال") and len(w) > 3:
        return w[2:]
    return w


#: role heads that name an office someone holds (not الانتحاري, المتهم, الكاتب ...)
OFFICE_HEADS = frozenset(normalize_office_word(w) for w in (
    "رئيس نائب وزير ملك عاهل أمير ولي سفير مبعوث ممثل مندوب أمين مدير مستشار مرشد حاكم "
    "محافظ قائد زعيم متحدث ناطق مفتي خادم").split())


def office_key(text: str) -> str:
    """The key of an office or role phrase (see module doc); "" when it has no word."""
    words = [normalize_office_word(t.base or t.text) for t in tokenize(text) if t.is_word]
    return " ".join(w for w in words if w and w != "ل")


@lru_cache(maxsize=1)
def load_offices() -> dict[str, tuple[Office, ...]]:
    """``data/offices.tsv``: office key -> its holders, earliest first."""
    raw = resources.files("rasid.entities").joinpath("data/offices.tsv").read_text("utf-8")
    out: dict[str, list[Office]] = {}
    for n, line in enumerate(raw.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) != 7:
            raise ValueError(f"rasid/entities/data/offices.tsv line {n}: expected 7 tab-separated "
                             f"fields (key, office, holder, latin, start, end, source), got {len(fields)}")
        out.setdefault(fields[0], []).append(Office(*fields))
    return {k: tuple(sorted(v, key=lambda o: o.start)) for k, v in out.items()}


def find_office_holder(key: str, day: str | None) -> Office | None:
    """The one holder of the office `key` on `day` in the shipped table; None when the
    table does not know the office, the day, or knows several holders that day."""
    found = [o for o in load_offices().get(key, ()) if o.covers(day)]
    holders = {normalize_entity_name(o.holder) for o in found}
    return found[0] if len(holders) == 1 else None


@lru_cache(maxsize=50_000)
def is_office_name(text: str) -> bool:
    """Whether a name is an office phrase (the table's, or a learnable one)."""
    key = office_key(text)
    return bool(key) and (key in load_offices() or is_learnable_office(key))


@lru_cache(maxsize=1)
def _holder_latin() -> dict[str, str]:
    return {normalize_entity_name(o.holder): o.latin for rows in load_offices().values()
            for o in rows if o.source.startswith("curated") and o.latin}


def find_holder_latin(name: str) -> str | None:
    """The Latin form the hand-checked office rows give a holder's name (محمد بن نايف ->
    Mohammed bin Nayef), or None."""
    return _holder_latin().get(normalize_entity_name(name))


@lru_cache(maxsize=1)
def _office_prefixes() -> frozenset[str]:
    out = set()
    for key in load_offices():
        words = key.split()
        out.update(" ".join(words[:i]) for i in range(1, len(words) + 1))
    return frozenset(out)


def is_learnable_office(key: str) -> bool:
    """A role key the archive may learn as an office: a head word and a complement or a
    nisba (وزير خارجيه, رئيس روسي), not a bare title (رئيس, امير) nor a former one."""
    words = key.split()
    if len(words) < 2 or any(w in _NOT_THE_HOLDER for w in words) or key in _NOT_THE_HOLDER:
        return False
    roles = load_roles()
    # after the head, only complements and nisbas; a second head only after نائب / ولي
    # (نائب رئيس الوزراء, ولي ولي العهد), so that two roles side by side stay two
    return words[0] in OFFICE_HEADS and all(
        w in roles["complement"] or w in roles["nisba"] or
        (w in roles["head"] and prev in _CHAINING_HEADS) for prev, w in zip(words, words[1:]))


@lru_cache(maxsize=1)
def _first_words() -> frozenset[str]:
    """The words a known office (its first word) or a learnable one (a head) begins with."""
    return frozenset(w for w in _office_prefixes() | OFFICE_HEADS if w and " " not in w)


@lru_cache(maxsize=1)
def _after_head_words() -> tuple[frozenset[str], frozenset[str]]:
    """The words `is_learnable_office` takes after a head: (complements and nisbas, heads)."""
    roles = load_roles()
    return frozenset(roles["complement"] | roles["nisba"]), frozenset(roles["head"])


def find_office_mentions(doc: Document, spans: list[Span]) -> list[Span]:
    """New PER spans for the office phrases of `doc` that no entity span covers or follows
    (attrs ``office`` key and ``role`` as written). Known offices (the shipped table) and
    learnable ones (`is_learnable_office`) are found, the longest phrase first."""
    tokens = doc.tokens or tokenize(doc.text)
    keys = list(map(normalize_office_word, [t.base or t.text if t.kind == "word" else "" for t in tokens]))
    starts = sorted(s.start for s in spans)
    taken = sorted((s.start, s.end) for s in spans)
    prefixes = _office_prefixes()
    out: list[Span] = []
    after = 0  # the first token after the last phrase found
    offices = load_offices()
    complements, heads = _after_head_words()
    firsts = _first_words()
    for i in [i for i, k in enumerate(keys) if k in firsts]:  # first words
        if i < after:
            continue
        # the longest phrase from word i that is a known office or a learnable one, read
        # forward: a known key's every prefix is in `prefixes`, and a learnable key's every
        # prefix of two words or more is learnable (`is_learnable_office` tests word by word)
        stop = min(i + MAX_OFFICE_WORDS, len(tokens))
        best, key, j = 0, keys[i], i + 1
        while key in prefixes:
            if key in offices:
                best = j - i
            if j == stop or not keys[j]:
                break
            key += " " + keys[j]
            j += 1
        if keys[i] in OFFICE_HEADS and keys[i] not in _NOT_THE_HOLDER:
            j = i + 1
            while j < stop and keys[j] and keys[j] not in _NOT_THE_HOLDER and (
                    keys[j] in complements or (keys[j] in heads and keys[j - 1] in _CHAINING_HEADS)):
                j += 1
            if j - i >= 2:
                best = max(best, j - i)
        if not best:
            continue
        first, last = tokens[i], tokens[i + best - 1]
        start, end = first.base_start, last.end
        nxt = bisect_left(starts, end)
        gap = doc.text[end:starts[nxt]] if nxt < len(starts) else "x"
        followed = gap.strip(" \u060c,:") == "" and nxt < len(starts)
        overlaps = any(a < end and start < b for a, b in taken)
        if not followed and not overlaps:
            out.append(Span(start, end, "PER", {"office": " ".join(keys[i:i + best]),
                                                "role": doc.text[start:end]}))
        after = i + best
    return out
