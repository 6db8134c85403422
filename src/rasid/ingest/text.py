"""Plain-text articles in the layout of a BBC Arabic page saved as text.

Layout (see ``rasid/sample/paris-2015.txt``)::

    <title>

    مصدر الصورة Getty
    Image caption <caption>

    <paragraph>

    ...
    المزيد حول هذه القصة
    <related-story links>

The title is the first non-empty line. Each ``مصدر الصورة <agency>`` line and the
``Image caption <text>`` line after it become one entry of `Document.images`; they are
not body text. Everything from a trailing boilerplate heading such as
``المزيد حول هذه القصة`` on is dropped. The other lines form paragraphs (blocks separated
by blank lines; the first line is a paragraph of its own).

`Document.text` is the whole article as read, **the first line included**: the paragraphs
joined with a blank line. `Document.title` is still that first line, as metadata (lists, the
page heading, search), and the text begins with it, so every stage sees it (a place or a
date of the headline or the dateline is found) and every span is an offset into the text as
read. (Readers of JSON Lines, HTML, WARC and feeds keep the publisher's title and body apart:
their text is the body as given. docs/pipeline.md.)

A file whose only text is one line (nothing after it but image lines, if any) is a
one-line article: that line is its text and it has no title. Someone who runs ``rasid
analyze`` on a sentence saved to a file wants it analysed, not rejected.

The id (when no url is given) is the content id of the text **after** the first line, as it
was when the title was kept out of the text: a file ingested before the title joined the
text is found again by its id and counted a duplicate, not stored twice (a one-line article:
of its text, as before).
"""
from __future__ import annotations

import re

from ..doc import Document, content_id
from .records import IngestError

# Image credit and caption line openers on BBC Arabic pages (the Arabic and English UI
# strings both occur in saved pages).
_CREDIT_RE = re.compile(r"^\s*(?:مصدر الصورة|Image source|Image copyright)\s*[:：]?\s*(.*)$")
_CAPTION_RE = re.compile(r"^\s*(?:Image caption|تعليق على الصورة|التعليق على الصورة)\s*[:：]?\s*(.*)$")
# Headings after which a saved page holds only links to other stories, share buttons or
# topic lists: the article has ended.
TRAILER_HEADINGS = (
    "المزيد حول هذه القصة",
    "قصص ذات صلة",
    "موضوعات ذات صلة",
    "مواضيع ذات صلة",
    "روابط ذات صلة",
    "روابط خارجية ذات صلة",
    "شارك هذه القصة",
    "More on this story",
    "Related Topics",
    "Related Internet links",
)
_TRAILER_RE = re.compile(
    r"^\s*(?:" + "|".join(re.escape(h) for h in TRAILER_HEADINGS) + r")\s*[:：]?\s*$",
    re.IGNORECASE,
)


def read_text_article(text: str, origin: str | None = None, **fields) -> Document:
    """Parse one plain-text article. Extra keyword `fields` (url, source, published, ...)
    are passed to `Document`. Raises `IngestError` for an article with no text."""
    title, paragraphs, images = split_text_article(text)
    if not title:
        raise IngestError("empty article")
    if not fields.get("url") and not fields.get("id"):
        fields["id"] = content_id("\n\n".join(paragraphs) or title)  # module docstring
    if not paragraphs:
        title, paragraphs = "", [title]  # a one-line article (module docstring)
    else:
        paragraphs.insert(0, title)
    return Document(
        text="\n\n".join(paragraphs),
        title=fields.pop("title", None) or title,
        images=images,
        origin=origin,
        **fields,
    )


def split_text_article(text: str) -> tuple[str, list[str], list[dict[str, str]]]:
    """Return ``(title, paragraphs, images)`` of a plain-text article: its first line and the
    paragraphs after it."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff").split("\n")
    title = ""
    images: list[dict[str, str]] = []
    paragraphs: list[str] = []
    block: list[str] = []
    pending: dict[str, str] | None = None  # an image credit waiting for its caption

    def end_block() -> None:
        if block:
            paragraphs.append("\n".join(block))
            block.clear()

    for line in lines:
        stripped = line.strip()
        if not title:
            title = stripped
            continue
        if not stripped:
            end_block()
            continue
        if _TRAILER_RE.match(stripped):
            break
        credit = _CREDIT_RE.match(stripped)
        if credit:
            end_block()
            pending = {"credit": credit.group(1).strip(), "caption": ""}
            images.append(pending)
            continue
        caption = _CAPTION_RE.match(stripped)
        if caption:
            end_block()
            if pending is not None and not pending["caption"]:
                pending["caption"] = caption.group(1).strip()
            else:
                images.append({"credit": "", "caption": caption.group(1).strip()})
            pending = None
            continue
        pending = None
        block.append(stripped)
    end_block()
    return title, paragraphs, images
