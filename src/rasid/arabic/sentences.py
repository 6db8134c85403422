"""Sentence splitting on . ؟ ? ! ؛ and line breaks.

Rules: never split at the Arabic comma ، ; a full stop between digits (3.5) or after a
one-letter abbreviation (د. ، أ.) or a known abbreviation does not end a sentence;
terminators inside quotes or brackets do not end a sentence unless the quote is closed
at a line break; closing quotes/brackets right after a terminator stay with the sentence.
"""
from __future__ import annotations

import re

from ..doc import Span

TERMINATORS = set(".؟?!؛…")
OPENERS = {'"': '"', "«": "»", "“": "”", "(": ")", "[": "]", "„": "“"}
CLOSERS = set('"»”)]“')
# Common abbreviations written with a full stop in Arabic and English news.
ABBREVIATIONS = {"د", "م", "ص", "ج", "ه", "أ", "ا", "ق", "ت", "ش", "Dr", "Mr", "Mrs", "St", "No", "vs", "etc"}
_WORD_BEFORE = re.compile(r"(\w+)$")
_SPECIAL_RE = re.compile("[\n" + re.escape("".join(sorted(TERMINATORS | set(OPENERS) | CLOSERS))) + "]")


def split_sentences(text: str, start: int = 0, end: int | None = None) -> list[Span]:
    """Return sentence spans (stripped of surrounding space) over `text[start:end]`."""
    end = len(text) if end is None else end
    spans: list[Span] = []
    sent_start = start
    stack: list[str] = []
    i = start
    while True:
        # only these characters change anything: jump from one to the next
        m = _SPECIAL_RE.search(text, i, end)
        if m is None:
            break
        i = m.start()
        ch = text[i]
        if ch == "\n":
            stack.clear()
            _emit(text, sent_start, i, spans)
            sent_start = i + 1
        elif ch == '"':
            if stack and stack[-1] == '"':
                stack.pop()
            else:
                stack.append('"')
        elif ch in OPENERS:
            stack.append(OPENERS[ch])
        elif ch in CLOSERS and stack and stack[-1] == ch:
            stack.pop()
        elif ch in TERMINATORS and not stack and _is_boundary(text, i, end):
            j = i + 1
            while j < end and (text[j] in TERMINATORS or text[j] in CLOSERS):
                j += 1
            _emit(text, sent_start, j, spans)
            sent_start = j
            i = j
            continue
        i += 1
    _emit(text, sent_start, end, spans)
    return spans


def _is_boundary(text: str, i: int, end: int) -> bool:
    ch = text[i]
    if ch == ".":
        if 0 < i < end - 1 and text[i - 1].isdigit() and text[i + 1].isdigit():
            return False
        m = _WORD_BEFORE.search(text[max(0, i - 12):i])
        if m and (m.group(1) in ABBREVIATIONS or (len(m.group(1)) == 1 and not m.group(1).isdigit())):
            return False
        if i + 1 < end and not text[i + 1].isspace() and text[i + 1] not in CLOSERS and text[i + 1] != ".":
            return False  # "example.com", "U.N"
    return True


def _emit(text: str, a: int, b: int, spans: list[Span]) -> None:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    if b > a:
        spans.append(Span(a, b, "sentence"))
