"""What counts as a fuller version of a stored article (`rasid.ingest.updates`; issue 16
item 4), on the first sentences of the seed article (tests/resources/paris-2015.txt)."""
from __future__ import annotations

from pathlib import Path

from rasid.doc import Document
from rasid.ingest.updates import MIN_EXTRA_CHARS, is_fuller_text, merge_stored_fields

SEED = (Path(__file__).resolve().parents[1] / "resources" / "paris-2015.txt").read_text(encoding="utf-8")
BODY = [line for line in SEED.splitlines() if len(line) > 150 and not line.startswith("Image")]
SNIPPET, FULL = BODY[0], "\n".join(BODY[:3])


def test_a_longer_text_is_fuller_and_a_vowelled_or_respaced_copy_is_not():
    assert is_fuller_text(FULL, SNIPPET)
    assert not is_fuller_text(SNIPPET, FULL) and not is_fuller_text(FULL, FULL)
    # a fatha on every letter: many more code points, the same letters
    vowelled = "".join(c + "\u064e" if "\u0621" <= c <= "\u064a" else c for c in SNIPPET)
    assert len(vowelled) > len(SNIPPET) + MIN_EXTRA_CHARS and not is_fuller_text(vowelled, SNIPPET)
    respaced = "   ".join(SNIPPET.split()) + "\n\n"
    assert len(respaced) > len(SNIPPET) + MIN_EXTRA_CHARS and not is_fuller_text(respaced, SNIPPET)
    assert not is_fuller_text(SNIPPET + " " + "و" * (MIN_EXTRA_CHARS - 2), SNIPPET)
    assert is_fuller_text(SNIPPET + " " + "و" * MIN_EXTRA_CHARS, SNIPPET)


def test_stored_fields_win_and_missing_ones_are_filled():
    stored = Document(text=SNIPPET, url="http://news.test/1", title="عنوان الخلاصة",
                      source="feed", meta={"feed_url": "http://news.test/rss", "tags": ["فرنسا"]})
    stored.id = "stored-id"
    page = Document(text=FULL, url="http://news.test/1", title="عنوان الصفحة", source="page",
                    published="2015-11-14", meta={"tags": ["باريس"]},
                    images=[{"caption": "برج إيفل"}])
    merged = merge_stored_fields(page, stored)
    assert (merged.id, merged.title, merged.source, merged.published) == \
        ("stored-id", "عنوان الخلاصة", "feed", "2015-11-14")
    assert merged.meta == {"feed_url": "http://news.test/rss", "tags": ["باريس"]}
    assert merged.images == [{"caption": "برج إيفل"}] and merged.text == FULL
