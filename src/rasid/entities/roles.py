"""Titles and roles split from person names (الرئيس الفرنسي، فرانسوا هولاند).

``find_role(doc, span)`` looks at the tokens just before a PER span (an Arabic comma,
comma or colon may sit between) and, when they form a role (at least one head word from
``data/roles.txt`` plus complements and nisba adjectives), returns its ``(start, end)``
offsets in ``doc.text``. ``split_leading_role`` does the same for role words that the NER
left *inside* the span (الرئيس فرانسوا هولاند).
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from functools import lru_cache
from importlib import resources

from ..arabic.tokenize import Token, tokenize
from ..doc import Document, Span
from .names import normalize_entity_name

_SEPARATORS = {"،", ",", ":", "-", "–"}
_MAX_ROLE_TOKENS = 6


@lru_cache(maxsize=1)
def load_roles() -> dict[str, set[str]]:
    """Section -> normalised words (with and without the article)."""
    raw = resources.files("rasid.entities").joinpath("data/roles.txt").read_text("utf-8")
    sections: dict[str, set[str]] = {"head": set(), "complement": set(), "nisba": set()}
    current = "head"
    for line in raw.splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        if line.startswith("[") and line.endswith("]"):
            current = line[1:-1]
            sections.setdefault(current, set())
            continue
        for word in line.split():
            for part in word.split("_"):
                key = normalize_entity_name(part)
                sections[current].add(key)
                if key.startswith("ال") and len(key) > 3:
                    sections[current].add(key[2:])
                else:
                    sections[current].add("ال" + key)
    return sections


def _role_class(token: Token) -> str | None:
    if not token.is_word:
        return None
    word = normalize_entity_name(token.base or token.norm)
    roles = load_roles()
    for section in ("head", "nisba", "complement"):
        if word in roles[section]:
            return section
    return None


def _tokens(doc: Document) -> list[Token]:
    if not doc.tokens:
        doc.tokens = tokenize(doc.text)
    return doc.tokens


_offsets_cache: tuple = (None, [], [])  # (tokens list, starts, ends): the last document's


def _offsets(tokens: list[Token]) -> tuple[list[int], list[int]]:
    """Start and end offsets of `tokens`, computed once per token list (for bisect)."""
    global _offsets_cache
    cached = _offsets_cache  # one read: another thread may replace it
    if cached[0] is not tokens or len(cached[1]) != len(tokens):
        cached = (tokens, [t.start for t in tokens], [t.end for t in tokens])
        _offsets_cache = cached
    return cached[1], cached[2]


def find_role(doc: Document, span: Span) -> tuple[int, int] | None:
    """Offsets of the role written just before `span`, or None."""
    tokens = _tokens(doc)
    _, ends = _offsets(tokens)
    idx = bisect_right(ends, span.start)  # the first token ending after span.start
    i = idx - 1
    if i >= 0 and tokens[i].kind == "punct" and tokens[i].text in _SEPARATORS:
        i -= 1
    collected: list[tuple[Token, str]] = []
    while i >= 0 and len(collected) < _MAX_ROLE_TOKENS:
        cls = _role_class(tokens[i])
        if cls is None:
            break
        collected.append((tokens[i], cls))
        i -= 1
    # the role must start with a head word (الرئيس ...), not end with a dangling complement
    while collected and collected[-1][1] != "head":
        collected.pop()
    if not collected:
        return None
    first, last = collected[-1][0], collected[0][0]
    return first.base_start, last.end


def split_leading_role(doc: Document, span: Span) -> tuple[int, int] | None:
    """Offsets of role words at the start of `span` (the name must keep >= 1 word)."""
    every = _tokens(doc)
    starts, _ = _offsets(every)
    lo, hi = bisect_left(starts, span.start), bisect_right(starts, span.end)
    tokens = [t for t in every[lo:hi] if t.end <= span.end]
    n = 0
    while n < len(tokens) - 1 and (_role_class(tokens[n]) is not None or
                                   (tokens[n].kind == "punct" and tokens[n].text in _SEPARATORS)):
        n += 1
    if n == 0 or not any(_role_class(t) == "head" for t in tokens[:n]):
        return None
    # never cut into the name itself: stop before the first non-role word
    role_tokens = [t for t in tokens[:n] if t.is_word]
    return role_tokens[0].base_start if role_tokens[0].start == span.start else span.start, role_tokens[-1].end


def name_start_after(doc: Document, end: int) -> int:
    """First word start at or after `end` (skips spaces and separators)."""
    tokens = _tokens(doc)
    starts, _ = _offsets(tokens)
    for t in tokens[bisect_left(starts, end):]:
        if t.is_word:
            return t.base_start
    return end
