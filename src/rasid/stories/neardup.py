"""Near-duplicate detection: MinHash over normalised character 5-shingles, LSH in the archive.

* ``compute_signature(text)``: 128 MinHash values (uint32) of the set of character
  5-shingles of ``normalize_key(text)`` (harakat, tatweel, alef/ya/ta-marbuta variants and
  punctuation folded; whitespace collapsed). Shingles are hashed with CRC-32 (stable across
  processes), then permuted by 128 universal hashes ``(a*x + b) mod (2**61 - 1)``.
* LSH: 32 bands x 4 rows. Two texts with Jaccard J share at least one band with probability
  ``1 - (1 - J**4)**32`` (J=0.3: 23%, 0.5: 87%, 0.7: 99.98%), and each band is one indexed
  ``(band, bucket_hash)`` lookup (at most `max_candidates` rows each), so a new article
  costs 32 index probes and at most `max_candidates` signature checks, whatever the
  archive size.
* A candidate is confirmed when the signatures agree on >= `threshold` of the 128 values
  (the estimated Jaccard; default 0.75, see docs/stories.md). The article is linked to the *first* copy: when the
  best match is itself a near-duplicate, its ``duplicate_of`` is used.

`NearDuplicateDetector.process(archive, docs)` is the work of the ``near_duplicates``
archive step (`rasid.archive_steps`): it records the link (``archive.add_near_duplicate``),
sets ``doc.meta["near_duplicate_of"]`` (and ``near_duplicate_similarity``) in memory and
in the stored article's ``meta``, so later steps (stories, alerts) can skip the copy.
Idempotent: an article with a stored signature is not processed again.
"""
from __future__ import annotations

import hashlib
import zlib
from functools import lru_cache
from typing import Any, Iterable

import numpy as np

from ..doc import Document, fold_content

NUM_PERM = 128
BANDS = 32
ROWS = NUM_PERM // BANDS
SHINGLE = 5
#: estimated Jaccard of the shingle sets at or above which a text is a near-duplicate
DEFAULT_THRESHOLD = 0.75
#: texts shorter than this (normalised characters) are not compared: too little to tell
MIN_CHARS = 120

_rng = np.random.RandomState(20151113)  # fixed: signatures must be stable across runs
_A = _rng.randint(0, 1 << 63, size=NUM_PERM, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
_B = _rng.randint(0, 1 << 63, size=NUM_PERM, dtype=np.uint64)
_B_COLUMN = _B[:, None]
_SHIFT = np.uint64(32)


def normalize_for_shingles(text: str) -> str:
    """The text the content hash reads (`fold_content`: most often its cached value)."""
    return fold_content(text or "")


def extract_shingles(text: str, k: int = SHINGLE) -> set[str]:
    norm = normalize_for_shingles(text)
    if len(norm) < k:
        return {norm} if norm else set()
    return {norm[i:i + k] for i in range(len(norm) - k + 1)}


def compute_signature(text: str) -> np.ndarray | None:
    """MinHash signature (uint32[128]) of `text`, or None when it is too short."""
    norm = normalize_for_shingles(text)
    if len(norm) < MIN_CHARS:
        return None
    crcs = np.sort(compute_shingle_crcs(norm))  # each shingle once (a repeat is the same CRC)
    hv = crcs[np.concatenate(([True], crcs[1:] != crcs[:-1]))].astype(np.uint64)
    # multiply-add-shift hashing: ((a*x + b) mod 2**64) >> 32, a odd (uint64 arithmetic
    # wraps); the shift keeps the order, so it is applied to the minimum only
    # (one row per hash function: each row's minimum is over contiguous memory)
    phv = np.multiply.outer(_A, hv)
    phv += _B_COLUMN
    return (phv.min(axis=1) >> _SHIFT).astype(np.uint32)


def compute_shingle_crcs(norm: str, k: int = SHINGLE) -> np.ndarray:
    """``zlib.crc32`` of the UTF-8 bytes of every `k`-character shingle of `norm` (one per
    position, repeats included; `norm` at least `k` characters), computed for all of them at
    once from the CRC's linearity: a message's CRC is that of as many zero bytes XOR, for
    each of its characters, the CRC-without-its-zero-part of that character followed by the
    bytes after it (`_char_crcs`), so a shingle's CRC is a few table lookups and XORs. The
    rows of the characters below `_BLOCK` are one table made once (`_block_table`); those of
    the others a text has (quotes, dashes) are put after them for that text."""
    chars = np.frombuffer(norm.encode("utf-32-le"), dtype=np.uint32)
    rows = chars.astype(np.int64)  # each character's row of the table
    table = _block_table()
    high = chars >= _BLOCK
    if high.any():
        extra = np.unique(chars[high])
        table = np.concatenate([table, *(_char_crcs(int(c)) for c in extra)])
        rows[high] = _BLOCK + np.searchsorted(extra, chars[high])
    rows *= _ROW
    # UTF-8 bytes of each character
    sizes = 1 + (chars >= 0x80).astype(np.int64) + (chars >= 0x800) + (chars >= 0x10000)
    n = len(chars) - k + 1
    ends = np.cumsum(sizes)  # bytes up to and including each character
    last = ends[k - 1:]  # per shingle: bytes up to its last character
    crcs = _ZERO_CRCS[last - np.concatenate(([0], ends[:n - 1]))]  # the shingle's length
    for j in range(k):
        crcs ^= table[rows[j:j + n] + (last - ends[j:j + n])]
    return crcs


#: the most UTF-8 bytes after a character inside a shingle (four of four bytes each)
_MAX_AFTER = 4 * (SHINGLE - 1)
#: a character's `_char_crcs`: one value for each number of bytes after it, 0 .. `_MAX_AFTER`
_ROW = _MAX_AFTER + 1
#: crc32 of n zero bytes, n = 0 .. every shingle's length
_ZERO_CRCS = np.array([zlib.crc32(bytes(n)) for n in range(4 * SHINGLE + 1)], dtype=np.uint32)
#: the characters whose rows `_block_table` holds: Latin and Arabic (what `fold_content`
#: leaves of most articles)
_BLOCK = 0x700


def _crc_row(code: int) -> np.ndarray:
    """For a character: ``crc32(its bytes + a zero bytes) ^ crc32(as many zero bytes)`` for
    a = 0 .. `_MAX_AFTER` (the CRC's linear part of the character `a` bytes before the end
    of a message)."""
    raw = chr(code).encode("utf-8")
    return np.array([zlib.crc32(raw + bytes(a)) ^ zlib.crc32(bytes(len(raw) + a))
                     for a in range(_ROW)], dtype=np.uint32)


#: `_crc_row` of a character outside the block, cached
_char_crcs = lru_cache(maxsize=4096)(_crc_row)


@lru_cache(maxsize=1)
def _block_table() -> np.ndarray:
    """`_crc_row` of every character below `_BLOCK`, one after the other (made once)."""
    return np.concatenate([_crc_row(code) for code in range(_BLOCK)])


def estimate_jaccard(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.count_nonzero(a == b)) / len(a)


def compute_band_keys(sig: np.ndarray) -> list[tuple[int, int]]:
    """``(band, bucket_hash)`` for each LSH band (bucket_hash: a signed 64-bit int)."""
    raw = sig.astype("<u4").tobytes()
    out = []
    for band in range(BANDS):
        chunk = raw[band * ROWS * 4:(band + 1) * ROWS * 4]
        h = int.from_bytes(hashlib.blake2b(chunk, digest_size=8).digest(), "little", signed=True)
        out.append((band, h))
    return out


def convert_signature(blob: bytes) -> np.ndarray:
    return np.frombuffer(blob, dtype="<u4")


class NearDuplicateDetector:
    """Finds and records near-duplicates through the archive interface (see module doc)."""

    def __init__(self, threshold: float = DEFAULT_THRESHOLD, max_candidates: int = 50):
        self.threshold = threshold
        self.max_candidates = max_candidates

    def process(self, archive: Any, docs: Iterable[Document],
                signatures: dict[str, np.ndarray | None] | None = None) -> dict[str, tuple[str, float]]:
        """Detect and record near-duplicates among `docs` (stored articles), in one
        transaction; ``{article_id: (duplicate_of, similarity)}`` for those found (already
        recorded ones included). `signatures`: `compute_signature` of some of them, done
        beforehand (outside the transaction)."""
        docs = [d for d in docs if d.id]
        sigs = dict(signatures or {})
        for d in docs:
            if d.id not in sigs:
                sigs[d.id] = compute_signature(d.text)
        found: dict[str, tuple[str, float]] = {}
        with archive.transaction():
            ids = [d.id for d in docs]  # what each article's status is, read once for the batch
            recorded, stored = archive.get_near_duplicates(ids), archive.find_stored_articles(ids)
            signed = set(archive.get_signatures(ids))
            for doc in docs:
                if doc.id in recorded:
                    result = recorded[doc.id]
                elif doc.id not in stored or doc.id in signed:
                    result = None  # not stored, or processed before: not a duplicate
                else:
                    result = self._process_one(archive, doc, sigs[doc.id])
                    signed.add(doc.id)  # an article given twice is done once
                    if result:
                        recorded[doc.id] = result
                if result:
                    found[doc.id] = result
                    doc.meta["near_duplicate_of"] = result[0]
                    doc.meta["near_duplicate_similarity"] = round(result[1], 3)
        return found

    def _process_one(self, archive: Any, doc: Document, sig: np.ndarray | None) -> tuple[str, float] | None:
        """Find and record the copy of a stored article not processed before."""
        if sig is None:
            return None  # too short
        keys = compute_band_keys(sig)
        best = self.find_best(archive, sig, keys, exclude=doc.id)
        archive.add_signature(doc.id, sig.astype("<u4").tobytes(), keys)
        if best is None:
            return None
        archive.add_near_duplicate(doc.id, best[0], best[1])
        return best

    def find_best(self, archive: Any, sig: np.ndarray, keys: list[tuple[int, int]],
                  exclude: str | None = None) -> tuple[str, float] | None:
        """The first copy of the best-matching stored article at or above the threshold."""
        hits = archive.find_band_matches(keys, self.max_candidates)
        hits.pop(exclude, None)
        if not hits:
            return None
        ranked = sorted(hits, key=lambda a: -hits[a])[:self.max_candidates]
        signatures = archive.get_signatures(ranked)
        best: tuple[str, float] | None = None
        for aid in ranked:
            if aid not in signatures:
                continue
            sim = estimate_jaccard(sig, convert_signature(signatures[aid]))
            if sim >= self.threshold and (best is None or sim > best[1]):
                best = (aid, sim)
        if best is None:
            return None
        first = archive.get_near_duplicate(best[0])
        if first and first[0] == exclude:
            return None  # a copy of this very article (replaced by its fuller version)
        return (first[0] if first else best[0]), best[1]
