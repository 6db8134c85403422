"""HTML fragments built from article content: every piece of text is escaped here, then
wrapped in our own tags, so a script or tag inside an article shows as text and never runs.
Templates receive `Markup` only from these functions, never from raw article text."""
from __future__ import annotations

import re
from typing import Any, Iterable
from urllib.parse import urlencode

from markupsafe import Markup, escape

from ..doc import title_end
from ..search.snippets import make_snippet

TYPE_NAMES = {"PER": "شخص", "ORG": "منظمة", "LOC": "مكان", "MISC": "أخرى"}
GRANULARITY_NAMES = {"day": "يوم", "month": "شهر", "year": "سنة", "week": "أسبوع",
                     "time": "وقت", "datetime": "وقت", "decade": "عقد"}
_SAFE_CLASS = re.compile(r"^[A-Za-z]{1,8}$")


def entity_href(name: str | None, entity_id: Any = None) -> str:
    params: dict[str, Any] = {"name": name or ""}
    if isinstance(entity_id, int) or (isinstance(entity_id, str) and entity_id.isdigit()):
        params["id"] = int(entity_id)
    return "/entity?" + urlencode(params)


def safe_type(label: str | None) -> str:
    return label if label and _SAFE_CLASS.match(label) else "X"


def describe_date(attrs: dict[str, Any]) -> str:
    value = attrs.get("value")
    gran = GRANULARITY_NAMES.get(attrs.get("granularity") or "", attrs.get("granularity") or "")
    if not value:
        return "تاريخ لم يُحدَّد" + (f" ({gran})" if gran else "")
    return f"{value}" + (f" ({gran})" if gran else "")


def select_marks(doc: Any) -> list[tuple[int, int, str, Any]]:
    """Non-overlapping spans to mark: entities first, then dates, then places that no
    entity covers; each ``(start, end, kind, span)``."""
    candidates: list[tuple[int, int, int, str, Any]] = []
    for priority, (layer, kind) in enumerate((("entities", "ent"), ("dates", "date"), ("places", "place"))):
        for s in doc.layers.get(layer, []):
            if kind == "place" and (s.attrs.get("relation") or not s.attrs.get("name")):
                continue
            if 0 <= s.start < s.end <= len(doc.text):
                candidates.append((priority, s.start, s.end, kind, s))
    candidates.sort(key=lambda c: (c[0], c[1], -(c[2] - c[1])))
    taken: list[tuple[int, int, str, Any]] = []
    for _, start, end, kind, span in candidates:
        if any(start < t_end and t_start < end for t_start, t_end, _, _ in taken):
            continue
        taken.append((start, end, kind, span))
    taken.sort(key=lambda t: t[0])
    return taken


def place_note(attrs: dict[str, Any]) -> str:
    parts = [attrs.get("name") or "", attrs.get("name_en") or "", attrs.get("country") or ""]
    note = " / ".join(p for p in parts if p)
    if attrs.get("lat") is not None and attrs.get("lon") is not None:
        note += f" ({float(attrs['lat']):.2f}، {float(attrs['lon']):.2f})"
    return note


def render_article(doc: Any) -> tuple[Markup | None, Markup]:
    """``(heading, body)``: the text's title line marked, when the text begins with its
    title (a plain-text article, `Document.title_end`; else None: the page shows the
    title as given), and the rest of the text marked, so the title is printed once."""
    head = doc.title_end
    if not head:
        return None, render_article_text(doc)
    body = len(doc.text) - len(doc.text[head:].lstrip())  # past the blank line
    return render_article_text(doc, 0, head), render_article_text(doc, body)


def render_article_text(doc: Any, lo: int = 0, hi: int | None = None) -> Markup:
    """The original text (``text[lo:hi]``) with entities (linked, by type), dates
    (resolved value as the title) and places marked."""
    text = doc.text
    hi = len(text) if hi is None else hi
    places = {(s.start, s.end): s.attrs for s in doc.layers.get("places", [])
              if not s.attrs.get("relation") and s.attrs.get("name")}
    out: list[str] = []
    pos = lo
    for start, end, kind, span in select_marks(doc):
        if start < lo or end > hi:
            continue
        out.append(escape(text[pos:start]))
        inner = escape(text[start:end])
        attrs = span.attrs
        if kind == "ent":
            label = safe_type(span.label)
            canonical = attrs.get("canonical") or text[start:end]
            title = f"{TYPE_NAMES.get(label, label)}: {canonical}"
            if attrs.get("role"):
                title += f" — {attrs['role']}"
            if (start, end) in places:
                title += f" — {place_note(places[(start, end)])}"
            out.append(Markup('<a class="ent ent-{}" href="{}" title="{}" data-type="{}">{}</a>').format(
                label, entity_href(canonical, attrs.get("entity_id")), title, label, inner))
        elif kind == "date":
            value = attrs.get("value") or ""
            out.append(Markup('<time class="date{}" datetime="{}" title="{}">{}</time>').format(
                "" if value else " unresolved", value, describe_date(attrs), inner))
        else:
            out.append(Markup('<span class="place" title="{}">{}</span>').format(place_note(attrs), inner))
        pos = end
    out.append(escape(text[pos:hi]))
    return Markup("").join(out)


def mark_ranges(text: str, ranges: Iterable[tuple[int, int]], strip: int = 0) -> Markup:
    """`text` escaped, with each `[start, end)` range wrapped in <mark> (`strip` marker
    characters removed from both ends of each range)."""
    out: list[str] = []
    pos = 0
    for start, end in sorted(ranges):
        if start < pos or end > len(text) or start >= end:
            continue
        out.append(escape(text[pos:start]))
        out.append(Markup("<mark>{}</mark>").format(text[start + strip:end - strip]))
        pos = end
    out.append(escape(text[pos:]))
    return Markup("").join(out)


def render_snippet(text: str | None, matches: list[tuple[int, int]], fallback: str = "",
                   title: str | None = None) -> Markup:
    """A highlighted snippet cut from the original text (escaped, matches in <mark>), after
    the title line when the text begins with it (the result shows the title apart)."""
    if not text:
        return escape(fallback)
    snippet = make_snippet(text, [tuple(m) for m in matches], skip=title_end(title, text))
    return mark_ranges(snippet.text, snippet.marked, strip=1)


def render_bars(rows: list[dict[str, Any]], key: str = "date", value: str = "articles",
                width: int = 560, height: int = 120) -> Markup:
    """A small inline SVG bar chart (oldest on the right, as Arabic reads)."""
    rows = [r for r in rows if r.get(value)]
    if not rows:
        return Markup("")
    top = max(int(r[value]) for r in rows) or 1
    n = len(rows)
    bar = max(4.0, min(40.0, (width - 20) / n - 2))
    parts = [Markup('<svg class="bars" viewBox="0 0 {} {}" role="img" aria-label="{}">').format(
        width, height + 30, "الإشارات عبر الزمن")]
    for i, r in enumerate(rows):
        h = max(2.0, (height - 10) * int(r[value]) / top)
        x = width - 10 - (i + 1) * (bar + 2)
        label = r.get(key) or "بلا تاريخ"
        parts.append(Markup('<g><title>{}: {}</title><rect x="{:.1f}" y="{:.1f}" width="{:.1f}" '
                            'height="{:.1f}" rx="2"></rect></g>').format(
            label, r[value], x, height - h, bar, h))
        if n <= 12 or i in (0, n - 1):
            parts.append(Markup('<text x="{:.1f}" y="{}" text-anchor="middle">{}</text>').format(
                x + bar / 2, height + 18, str(label)[5:] if len(str(label)) == 10 else label))
    parts.append(Markup("</svg>"))
    return Markup("").join(parts)
