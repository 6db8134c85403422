"""Memos of per-word-form answers kept across texts (the places tagger's, the demonyms', the
trigger words', the summary terms'): plain dicts read for all of a text's tokens at once
(``map(memo.get, ...)`` in C: `recall`), bounded by `trim_memo`."""
from __future__ import annotations

from itertools import compress, islice, repeat
from operator import is_
from typing import Callable, Sequence


def trim_memo(memo: dict, size: int) -> dict:
    """`memo`, its older half gone when it holds `size` entries or more (a dict keeps the
    order of insertion; all but the newest `size` // 2 entries go): emptying it all would
    lose the forms every text repeats."""
    if len(memo) >= size:
        for key in list(islice(memo, len(memo) - size // 2)):
            memo.pop(key, None)  # another thread may have taken it
    return memo


def recall(memo: dict, keys: Sequence, compute: Callable[[int], object]) -> list:
    """`memo`'s answer for each of `keys`, read for all of them at once (``map`` in C: a
    text's forms are mostly known); the answer for a key it lacks is ``compute(i)`` (`i` its
    index in `keys`), kept under the key, computed once however often the key repeats.
    ``compute`` never answers None (None marks a miss)."""
    found = list(map(memo.get, keys))
    for i in compress(range(len(found)), map(is_, found, repeat(None))):  # the misses
        got = memo.get(keys[i])
        found[i] = memo[keys[i]] = compute(i) if got is None else got
    return found
