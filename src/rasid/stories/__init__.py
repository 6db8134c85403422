"""Near-duplicates and stories (design and figures in docs/stories.md).

    from rasid.stories import list_stories, get_story, story_of_article

The ``near_duplicates`` and ``stories`` archive steps (`rasid.archive_steps`) run
`NearDuplicateDetector` and `StoryTracker` on every stored batch.

Importing this package reads no data and opens nothing.
"""
from __future__ import annotations

from .neardup import NearDuplicateDetector, compute_signature, estimate_jaccard
from .queries import get_story, list_stories, story_of_article
from .tracker import StoryTracker, TrackerConfig, compute_doc_vector, score_documents

__all__ = ["NearDuplicateDetector", "StoryTracker", "TrackerConfig", "compute_doc_vector",
           "compute_signature", "estimate_jaccard", "get_story", "list_stories",
           "score_documents", "story_of_article"]
