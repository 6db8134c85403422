"""Extractive summaries, keyphrases and ROUGE for rasid.

    from rasid.summarise import summarise_document, summarise_story, extract_keyphrases
"""
from .extractive import (SummaryConfig, compress_headline, extract_headline, summarise_document,
                         summarise_story)
from .keyphrases import extract_keyphrases, extract_story_keyphrases
from .rouge import score_rouge, tokenize_for_rouge

__all__ = ["SummaryConfig", "compress_headline", "extract_headline", "summarise_document",
           "summarise_story", "extract_keyphrases", "extract_story_keyphrases", "score_rouge",
           "tokenize_for_rouge"]
