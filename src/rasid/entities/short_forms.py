"""Mentions the NER missed that the article or the knowledge table vouches for.

Two sources, both within one article (issue 13, item 3):

* `add_table_mentions`: organisation names of the curated alias table (``data/aliases.tsv``:
  "مؤسسة النقد العربي السعودي", "ساما", "أوبك", "الحوثيين") written where no entity span
  is get a span of the table's type, so the table's short forms and acronyms join their
  entity even when the NER tagged neither. Forms that are also common words (فتح, حماس,
  طالبان …, ``[not-searched]`` in ``data/non_entities.txt``) are not searched for.
* `find_short_form_pairs`: an organisation named in full with a generic head (نادي الهلال,
  مصرف الراجحي, جبهة النصرة, هيئة الهلال الأحمر) and later by the rest of its name alone
  (الهلال, الراجحي): each bare occurrence no span covers gets a span, paired with the full
  name, and the resolve stage puts both in one cluster (reason ``same-article``).

A match is whole words (a leading و ف ب before ال is left outside the span). A one-word
form is not taken where a definite word follows it (الهلال الأحمر is another name), and a
short form not where a definite word comes before it either (المجتمع الدولي: an adjective).
Matching works on a copy of the text whose letters are folded one for one (hamza carriers,
alef maqsura, taa marbuta), so offsets are those of `Document.text`.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from functools import lru_cache

from ..doc import Document, Span
from .aliases import load_alias_table
from .names import find_major_places, normalize_entity_name

#: heads after which the rest of an organisation's name is a name of its own; هيئة only
#: with two or more words after it (هيئة السياحة: السياحة alone is a common noun)
SHORT_FORM_HEADS = {"نادي", "مصرف", "بنك", "جماعه", "جبهه", "تنظيم", "حركه", "حزب"}
LONG_REST_HEADS = {"هيءه"}

_FOLD = (("أ", "ا"), ("إ", "ا"), ("آ", "ا"), ("ٱ", "ا"), ("ى", "ي"), ("ة", "ه"), ("ؤ", "و"), ("ئ", "ي"))
_WORD = re.compile(r"\S+")


def fold_text(text: str) -> str:
    """One letter for one: hamza carriers, alef maqsura and taa marbuta folded (one
    `str.replace` per letter: a whole article's text in a few passes of C, where a
    `str.translate` table looks every character up)."""
    for letter, folded in _FOLD:
        text = text.replace(letter, folded)
    return text


def _body(form: str) -> str:
    parts = []
    for w in fold_text(form).split():
        w = re.escape(w)
        if w.startswith("عبد") and len(w) > 3:
            w = "عبد ?" + w[3:]  # عبدالله / عبد الله
        parts.append(w)
    return r"\s+".join(parts)


#: one character of a pattern body (a letter or an escape) with its quantifier, if any
_ATOM = re.compile(r"(?:\\.|[^\\])[?*+]?")


def factor_alternatives(bodies: list[str], depth: int = 2) -> str:
    """``"|".join(bodies)`` with the alternatives that begin with the same character put
    under it, `depth` characters deep (ال(?:حوثي…|…)|س(?:اما|…)): the regex engine tries
    a first character once, not once an alternative, and the matches are the same (the
    alternatives under one character keep their order; those under different characters
    never match at the same place, so their order changes nothing). A level where some
    alternative begins otherwise than with one literal character is left as it is."""
    if depth == 0 or len(bodies) < 2:
        return "|".join(bodies)
    groups: dict[str, list[str]] = {}
    for body in bodies:
        m = _ATOM.match(body)
        atom = m.group(0) if m else ""
        if atom[-1:] in ("?", "*", "+") or (atom[:1] == "\\" and atom[1:].isalnum()):
            return "|".join(bodies)  # only one literal character each (\s+, " ?": not)
        groups.setdefault(atom, []).append(body[len(atom):])
    return "|".join(atom + rests[0] if len(rests) == 1 or not atom else
                    atom + "(?:" + factor_alternatives(rests, depth - 1) + ")"
                    for atom, rests in groups.items())


def compile_forms(forms: list[str]) -> re.Pattern:
    """One pattern for whole-word matches of `forms` (longest first), group 1 the name
    without a leading clitic (و ف ب before ال, و before another word)."""
    alts = factor_alternatives([_body(f) for f in sorted(forms, key=len, reverse=True)])
    return re.compile(rf"(?<![\w\-])(?:[وفب](?=ال)|و)?({alts})(?![\w\-])")


def _is_definite(word: str) -> bool:
    word = word.strip("«»\"'()،,.:؛")
    return word.startswith(("ال", "وال")) and len(word) > 3


def _next_word(text: str, end: int) -> str:
    m = _WORD.search(text, end)
    return m.group(0) if m and text[end:m.start()].strip() == "" else ""


def _previous_word(text: str, start: int) -> str:
    words = text[:start].split()
    return words[-1] if words and text[:start][-1:].isspace() else ""


def _is_free(spans: list[Span], starts: list[int], start: int, end: int) -> bool:
    """No span of `spans` (sorted by start) overlaps [start, end)."""
    i = bisect_right(starts, start)
    if i and spans[i - 1].end > start:
        return False
    return not (i < len(spans) and spans[i].start < end)


def find_free_matches(doc: Document, folded: str, pattern: re.Pattern, spans: list[Span],
                      adjective_guard: bool) -> list[tuple[int, int]]:
    """Offsets of the matches of `pattern` in `folded` (`fold_text` of the document's
    text) that no span covers, under the guards above."""
    starts = [s.start for s in spans]
    out = []
    for m in pattern.finditer(folded):
        start, end = m.start(1), m.end(1)
        if not _is_free(spans, starts, start, end):
            continue
        if " " not in m.group(1) and _is_definite(_next_word(doc.text, end)):
            continue
        if adjective_guard and _is_definite(_previous_word(doc.text, m.start())):
            continue
        out.append((start, end))
    return out


def _insert(spans: list[Span], span: Span) -> None:
    spans.insert(bisect_left([s.start for s in spans], span.start), span)


@lru_cache(maxsize=1)
def _table_forms() -> tuple[re.Pattern, dict[str, str]] | None:
    """One pattern for the searchable organisation forms of the alias table, and the type
    of each (by normalised form)."""
    from .linking import load_non_entities

    skip = load_non_entities().get("not-searched", frozenset())
    kinds: dict[str, str] = {}
    forms: list[str] = []
    for entry in load_alias_table()[1]:
        if entry.type != "ORG":
            continue
        for form in entry.forms:
            norm = normalize_entity_name(form)
            if not form or form.isascii() or norm in skip or len(norm.replace(" ", "")) < 3:
                continue
            if norm not in kinds:
                kinds[norm] = entry.type
                forms.append(form)
    return (compile_forms(forms), kinds) if forms else None


def add_table_mentions(doc: Document, spans: list[Span]) -> list[Span]:
    """Add a span for each alias-table organisation form written where no span is (kept in
    text order in `spans`); return the added spans."""
    table = _table_forms()
    if table is None:
        return []
    pattern, kinds = table
    added = []
    for start, end in find_free_matches(doc, fold_text(doc.text), pattern, spans, adjective_guard=False):
        kind = kinds.get(normalize_entity_name(doc.text[start:end]))
        if kind is None:
            continue
        span = Span(start, end, kind)
        _insert(spans, span)
        added.append(span)
    return added


#: heads that always begin an organisation's name when a definite word follows them
#: (نادي الهلال, مصرف الراجحي, هيئة الهلال الأحمر): the NER often misses these. The
#: name is the head, a definite word and, optionally, a definite nisba (السعودي) or الأحمر.
NAME_HEADS = ("نادي", "مصرف", "هيئة")
_HEADED = re.compile(r"(?<![\w\-])(?:[وف]?[لب]|[وف])?((?:%s)\s+ال\w{3,}(?:\s+ال\w{2,}ي|\s+الاحمر)?)(?![\w\-])"
                     % "|".join(fold_text(h) for h in NAME_HEADS))
_FOLDED_HEADS = tuple(fold_text(h) for h in NAME_HEADS)


def add_headed_mentions(doc: Document, spans: list[Span]) -> list[Span]:
    """Add an ORG span for each organisation head followed by one or two definite words
    (`NAME_HEADS`: نادي النصر, هيئة الهلال الأحمر) that no span covers; an ORG span of the
    words after the head alone grows to take the head. Return the spans added or grown."""
    folded = fold_text(doc.text)
    if not any(head in folded for head in _FOLDED_HEADS):
        return []  # no head written: no match (three searches of the text, not a scan)
    starts = [s.start for s in spans]
    added = []
    for m in _HEADED.finditer(folded):
        start, end = m.start(1), m.end(1)
        if find_major_places(doc.text[start:end].split(None, 1)[1]):
            continue
        if not _is_free(spans, starts, start, end):
            # the NER tagged the name without its head (نادي [النصر]): the span takes the head
            inside = [s for s in spans if s.start < end and start < s.end]
            name_start = start + len(doc.text[start:end].split(None, 1)[0])
            name_start += len(doc.text[name_start:end]) - len(doc.text[name_start:end].lstrip())
            if len(inside) == 1 and inside[0].label == "ORG" and inside[0].start == name_start \
                    and inside[0].end <= end:
                inside[0].start = start
                inside[0].attrs.pop("norm", None)
                added.append(inside[0])
            continue
        span = Span(start, end, "ORG")
        _insert(spans, span)
        starts = [s.start for s in spans]
        added.append(span)
    return added


def find_short_form(doc: Document, span: Span) -> str | None:
    """The rest of an ORG span's name after a generic head (نادي الهلال -> الهلال), as
    written; None when the name has no such head or the rest is not a name of its own."""
    words = doc.text[span.start:span.end].split()
    if len(words) < 2:
        return None
    head = normalize_entity_name(words[0])
    head = head[2:] if head.startswith("ال") and head[2:] in SHORT_FORM_HEADS | LONG_REST_HEADS else head
    rest = words[1:]
    if head in LONG_REST_HEADS:
        if len(rest) < 2:
            return None
    elif head not in SHORT_FORM_HEADS:
        return None
    short = " ".join(rest)
    norm = normalize_entity_name(short)
    if not norm.startswith("ال") or len(norm.replace(" ", "")) < 5 or find_major_places(short):
        return None
    from .linking import is_non_entity, load_non_entities

    if is_non_entity(short) or norm in load_non_entities().get("not-searched", frozenset()):
        return None
    return short


def find_short_form_pairs(doc: Document, spans: list[Span]) -> list[tuple[Span, Span]]:
    """(full name, bare short form) for each ORG span with a generic head whose short form
    the article also writes alone; spans are added (text order kept) for the bare forms."""
    pairs: list[tuple[Span, Span]] = []
    folded = None
    for long_span in [s for s in spans if s.label == "ORG"]:
        short = find_short_form(doc, long_span)
        if short is None:
            continue
        folded = folded if folded is not None else fold_text(doc.text)
        norm = normalize_entity_name(short)
        # the NER's own ORG spans of the bare form join too
        pairs += [(long_span, s) for s in spans if s.label == "ORG" and s is not long_span
                  and normalize_entity_name(doc.text[s.start:s.end]) == norm]
        for start, end in find_free_matches(doc, folded, compile_forms([short]), spans,
                                            adjective_guard=True):
            span = Span(start, end, "ORG")
            _insert(spans, span)
            pairs.append((long_span, span))
    return pairs
