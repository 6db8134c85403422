"""Acronyms and short names written in parentheses or quotes after an organisation's name.

"وكالة الأنباء السعودية (واس)", "منظمة الدول المصدرة للنفط «أوبك»", "حلف شمال الأطلسي
(الناتو)": `find_acronym_pairs(doc, spans)` returns ``(long_span, short_span)`` for each
ORG span followed by one to three words in ( ) « » or " " that are shorter than it and not
a place (a dateline byline such as "الرياض (واس)" follows a place, not an organisation).
When the NER did not tag the short form, a span is added for it (same label). The resolve
stage then puts both in one cluster (``link`` = ``parenthesis`` on the short form), and the
archive keeps the short form among the entity's names, so a later article that writes
only "واس" or "أوبك" finds it.
"""
from __future__ import annotations

import re
from bisect import bisect_left

from ..doc import Document, Span
from .names import find_major_places, normalize_entity_name

_AFTER = re.compile(r"\s*(?:\(|«|\")\s*([^()«»\"\n،,.:]{2,40}?)\s*(?:\)|»|\")")
MAX_SHORT_WORDS = 3


def find_acronym_pairs(doc: Document, spans: list[Span]) -> list[tuple[Span, Span]]:
    """Pairs (organisation, its short form in parentheses/quotes); may add spans to `spans`
    (kept in text order)."""
    pairs: list[tuple[Span, Span]] = []
    starts = [s.start for s in spans]
    for long_span in [s for s in spans if s.label == "ORG"]:
        m = _AFTER.match(doc.text, long_span.end)
        if not m:
            continue
        inner = m.group(1)
        words = inner.split()
        long_words = normalize_entity_name(doc.text[long_span.start:long_span.end]).split()
        if not words or len(words) > MAX_SHORT_WORDS or len(words) >= len(long_words):
            continue
        if any(ch.isdigit() for ch in inner) or find_major_places(inner):
            continue
        start, end = m.start(1), m.end(1)
        i = bisect_left(starts, start)
        short = spans[i] if i < len(spans) and spans[i].start == start else None
        if short is None:
            if i < len(spans) and spans[i].start < end:
                continue  # another span overlaps: leave the text alone
            short = Span(start, end, long_span.label)
            spans.insert(i, short)
            starts.insert(i, start)
        elif short.end != end:
            continue
        pairs.append((long_span, short))
    return pairs
