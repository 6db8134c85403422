"""Snippets highlighted in the ORIGINAL text.

The index holds analysed terms, not the text, so matches are found again here: the
original text is analysed (each term keeps its `[start, end)` offsets into it) and a
token matches when its stem or exact form is one of the query's. The snippet is cut from
the original text around the densest group of matches, and the markers are inserted at
the original offsets, so harakat, hamza forms and clitics show as written.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .analyzer import Analyzer, get_analyzer
from .query import ParsedQuery

DEFAULT_MARKERS = ("[", "]")


@dataclass(slots=True)
class Snippet:
    text: str
    #: `[start, end)` of every match, as offsets into the original text
    matches: list[tuple[int, int]] = field(default_factory=list)
    #: `[start, end)` of the matches shown, as offsets into `text` (markers included)
    marked: list[tuple[int, int]] = field(default_factory=list)


def find_matches(text: str, query: ParsedQuery, analyzer: Analyzer | None = None) -> list[tuple[int, int]]:
    """Offsets in `text` of the tokens that match one of the query's positive terms."""
    analyzer = analyzer or get_analyzer()
    stems, exacts = query.match_terms()
    return analyzer.find_terms(text, stems, exacts)


def _best_window(matches: list[tuple[int, int]], width: int) -> int:
    best_start, best_count, j = 0, -1, 0
    for i, (start, _) in enumerate(matches):
        while j < len(matches) and matches[j][1] <= start + width:
            j += 1
        if j - i > best_count:
            best_start, best_count = start, j - i
    return best_start


def make_snippet(text: str, matches: list[tuple[int, int]], width: int = 240,
                 markers: tuple[str, str] = DEFAULT_MARKERS, skip: int = 0) -> Snippet:
    """Cut about `width` characters of `text` around the densest matches and mark them;
    the cut starts at `skip` or later (a title line at the start of the text, shown apart:
    `rasid.doc.title_end`). `Snippet.matches` stays every match, offsets into `text`."""
    if not text:
        return Snippet("", list(matches), [])
    if skip:  # past the blank line after the title; the whole text when nothing follows it
        skip = len(text) - len(text[skip:].lstrip()) if skip < len(text.rstrip()) else 0
    after = [m for m in matches if m[0] >= skip]
    if after:
        anchor = _best_window(after, width)
        start = max(skip, anchor - width // 4)
    else:
        start = skip
    end = min(len(text), start + width)
    if end == len(text):
        start = max(skip, end - width)
    # widen to whole words
    limit = max(start - 30, skip)
    while start > limit and not text[start - 1].isspace():
        start -= 1
    limit = end + 30
    while end < len(text) and end < limit and not text[end].isspace():
        end += 1
    pieces: list[str] = []
    marked: list[tuple[int, int]] = []
    pos = start
    out_len = 0
    if start > skip:
        pieces.append("…")
        out_len += 1
    for m_start, m_end in matches:
        if m_start < pos or m_end > end:
            continue
        chunk = text[pos:m_start]
        pieces.append(chunk)
        out_len += len(chunk)
        word = markers[0] + text[m_start:m_end] + markers[1]
        marked.append((out_len, out_len + len(word)))
        pieces.append(word)
        out_len += len(word)
        pos = m_end
    pieces.append(text[pos:end])
    if end < len(text):
        pieces.append("…")
    snippet = "".join(pieces).replace("\n", " ")  # same length, so `marked` stays valid
    return Snippet(snippet, list(matches), marked)


def highlight(text: str, query: ParsedQuery, analyzer: Analyzer | None = None, width: int = 240,
              markers: tuple[str, str] = DEFAULT_MARKERS) -> Snippet:
    """Find the query's matches in `text` and return a marked snippet."""
    return make_snippet(text, find_matches(text, query, analyzer), width, markers)
