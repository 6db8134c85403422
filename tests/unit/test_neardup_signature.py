"""The MinHash signature (`rasid.stories.neardup.compute_signature`) against its definition:
for each of the 128 hash functions, the minimum over the text's shingles of
``((a * crc32(shingle) + b) mod 2**64) >> 32``. The code takes the minimum before the
shift (the shift keeps the order); stored signatures must not change with it."""
from __future__ import annotations

import json
import zlib
from importlib import resources

import numpy as np

from rasid.stories import neardup


def reference_signature(text: str) -> np.ndarray:
    norm = neardup.normalize_for_shingles(text)
    shingles = {norm[i:i + neardup.SHINGLE] for i in range(len(norm) - neardup.SHINGLE + 1)}
    mask = (1 << 64) - 1
    hashes = [zlib.crc32(s.encode("utf-8")) for s in shingles]
    return np.array([min((((int(a) * h + int(b)) & mask) >> 32) for h in hashes)
                     for a, b in zip(neardup._A, neardup._B)], dtype=np.uint32)


def test_signature_is_the_minhash_definition_on_real_articles():
    lines = resources.files("rasid.sample").joinpath("saudinewsnet-200.jsonl").read_text("utf-8").splitlines()
    texts = [json.loads(line)["content"] for line in lines[:3]]
    assert all(len(t) > 500 for t in texts)
    for text in texts:
        got = neardup.compute_signature(text)
        assert got.dtype == np.uint32 and got.shape == (neardup.NUM_PERM,)
        assert np.array_equal(got, reference_signature(text))
    assert neardup.compute_signature("قصير") is None


def test_shingle_crcs_are_zlib_crc32_of_each_shingle():
    """The CRCs computed for every shingle at once (from the CRC's linearity) are
    ``zlib.crc32`` of each shingle's UTF-8 bytes: Arabic (two bytes a letter), digits and
    Latin (one), CJK (three) and an emoji (four) side by side."""
    line = resources.files("rasid.sample").joinpath("saudinewsnet-200.jsonl").read_text("utf-8").splitlines()[7]
    mixed = "ولي العهد 2015 في RIYADH مع 東京 و😀 " + json.loads(line)["content"][:400]
    for text in (mixed, neardup.normalize_for_shingles(mixed), "😀😀😀😀😀", "abcde"):
        got = neardup.compute_shingle_crcs(text)
        want = [zlib.crc32(text[i:i + 5].encode("utf-8")) for i in range(len(text) - 4)]
        assert got.tolist() == want


def test_shingles_read_the_text_the_content_hash_folds(seed_text):
    """The shingled text is `fold_content` (the content hash's, cached): white space as the
    regular expression ``\\s+`` collapsed it, every Unicode space included."""
    import re

    from rasid.arabic.normalize import normalize_key
    from rasid.doc import compute_content_hash, fold_content

    odd = "  قال\u00a0الوزير\u2003اليوم\x1c\t\nإن\u3000الاتفاق \u200bقائم\u2028\u2029 "
    for text in (seed_text, odd, "", " \n "):
        assert neardup.normalize_for_shingles(text) == re.sub(r"\s+", " ", normalize_key(text)).strip()
        assert fold_content(text) is neardup.normalize_for_shingles(text)  # one fold, cached
    assert compute_content_hash(odd) == compute_content_hash(" ".join(odd.split()))
