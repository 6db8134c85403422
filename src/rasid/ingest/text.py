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
``المزيد حول هذه القصة`` on is dropped. The body is the remaining paragraphs (blocks
separated by blank lines) joined with a blank line.

A file whose only content is one line (no image lines, nothing after it) is a one-line
article: that line is its text and it has no title. Someone who runs ``rasid analyze`` on
a sentence saved to a file wants it analysed, not rejected as "a title without a body".
A title followed by image lines only is still an empty article (a saved page that lost
its body).
"""
from __future__ import annotations

import re

from ..doc import Document
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
    are passed to `Document`. Raises `IngestError` for an article with no body text."""
    title, paragraphs, images = split_text_article(text)
    if not paragraphs and title and not images:
        title, paragraphs = "", [title]  # a one-line article (module docstring)
    if not paragraphs:
        raise IngestError("empty article: no body text after the title" if title else "empty article")
    return Document(
        text="\n\n".join(paragraphs),
        title=fields.pop("title", None) or title,
        images=images,
        origin=origin,
        **fields,
    )


def split_text_article(text: str) -> tuple[str, list[str], list[dict[str, str]]]:
    """Return ``(title, paragraphs, images)`` of a plain-text article."""
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
