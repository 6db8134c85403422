"""Bytes to text: UTF-8 first, then the legacy Arabic code pages.

Older Arabic sites and archives use Windows-1256 or ISO-8859-6. The two put Arabic letters
in different places: ISO-8859-6 has them at 0xC1-0xDA and 0xE0-0xF2 and leaves many high
bytes undefined; Windows-1256 spreads them over 0xC1-0xFE between the French letters it
keeps from Latin-1 (à â ç è é ê ë î ï ô ù û ü), and uses 0x80-0xBF for Persian/Urdu
letters and punctuation. Text decoded with the wrong one therefore shows words that mix
Arabic and Latin letters, undefined bytes, or stray symbols. `decode_bytes` decodes with
each and keeps the one whose words look like real words.
"""
from __future__ import annotations

import codecs
import re

from .records import IngestError

LEGACY_ENCODINGS = ("windows-1256", "iso-8859-6")
MIN_SCORE = 0.6  # share of non-ASCII words that must read as clean Arabic or Latin words

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_WORD_RE = re.compile(r"[^\s\d!-/:-@\[-`{-~\u00a0«»،؛؟٪٫٬…–—‘’“”]+")
_ARABIC_LETTERS = re.compile(r"[\u0621-\u063A\u0641-\u064A\u0671-\u06D3\u0640\u064B-\u0652\u0670]+")
_LATIN_LETTERS = re.compile(r"[A-Za-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u017F]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd]")


class DecodeError(IngestError):
    """Bytes that are neither UTF-8 nor readable Arabic in a legacy code page."""


def decode_bytes(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Return ``(text, encoding name)``.

    Order: a byte-order mark; strict UTF-8; the `declared` charset (HTTP header, ``<meta>``,
    XML declaration) if it decodes cleanly; else the better of Windows-1256 and ISO-8859-6
    by `score_arabic_text`. Raises `DecodeError` with a reason when nothing fits."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(name), name
            except UnicodeDecodeError as exc:
                raise DecodeError(f"undecodable bytes: {name} byte-order mark but {exc.reason} "
                                  f"at byte {exc.start}") from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        utf8_error = exc
    if declared:
        name = lookup_encoding(declared)
        if name and name not in ("utf-8", "utf-8-sig"):
            try:
                text = data.decode(name)
            except UnicodeDecodeError:
                pass
            else:
                if not _CONTROL.search(text):
                    return text, name
    best: tuple[float, str, str] | None = None
    for name in LEGACY_ENCODINGS:
        text = data.decode(name, errors="replace")
        score = score_arabic_text(text)
        if best is None or score > best[0]:
            best = (score, text, name)
    assert best is not None
    if best[0] >= MIN_SCORE:
        return best[1], best[2]
    raise DecodeError(
        f"undecodable bytes: not UTF-8 ({utf8_error.reason} at byte {utf8_error.start}) "
        f"and not Arabic in {' or '.join(LEGACY_ENCODINGS)}"
    )


def lookup_encoding(label: str) -> str | None:
    """Python's canonical name for a charset label, or None if unknown."""
    label = label.strip().strip("\"'").lower()
    if label in ("x-user-defined", ""):
        return None
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    return {"cp1256": "windows-1256", "iso8859-6": "iso-8859-6", "utf-8": "utf-8"}.get(name, name)


def score_arabic_text(text: str) -> float:
    """Share of words with non-ASCII characters that read as clean words: all Arabic
    letters or all Latin letters. Mixed-script words, undefined bytes (U+FFFD), control
    characters and stray symbols count against. 0.0 when there are no such words."""
    good = bad = 0.0
    for word in _WORD_RE.findall(text):
        if word.isascii():
            if _CONTROL.search(word):
                bad += 1
            continue
        if _CONTROL.search(word):
            bad += 1
        elif _ARABIC_LETTERS.fullmatch(word):
            good += 1
        elif _LATIN_LETTERS.fullmatch(word):
            good += 0.5  # French in Windows-1256 is fine, but Arabic should win a tie
        else:
            bad += 1
    total = good + bad
    return good / total if total else 0.0
