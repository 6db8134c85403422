"""Memos of per-word-form answers kept across texts (the places tagger's, the demonyms', the
trigger words', the summary terms'): plain dicts read for all of a text's tokens at once
(``map(memo.get, ...)`` in C), bounded by `trim_memo`."""
from __future__ import annotations

from itertools import islice


def trim_memo(memo: dict, size: int) -> dict:
    """`memo`, its older half gone when it holds `size` entries or more (a dict keeps the
    order of insertion; all but the newest `size` // 2 entries go): emptying it all would
    lose the forms every text repeats."""
    if len(memo) >= size:
        for key in list(islice(memo, len(memo) - size // 2)):
            memo.pop(key, None)  # another thread may have taken it
    return memo
