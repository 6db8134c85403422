"""Arabic text core: normalisation with offset maps, tokenisation, sentences, stemming."""

from .normalize import normalize_key, normalize_name, normalize_with_offsets, strip_diacritics
from .sentences import split_sentences
from .tokenize import Token, tokenize

__all__ = [
    "Token",
    "normalize_key",
    "normalize_name",
    "normalize_with_offsets",
    "split_sentences",
    "strip_diacritics",
    "tokenize",
]
