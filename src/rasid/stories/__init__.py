"""Near-duplicates and stories (design and figures in docs/stories.md).

    from rasid.stories import install, list_stories, get_story, story_of_article
    install(monitor)   # after-store hooks: near-duplicates, then stories

Importing this package reads no data and opens nothing.
"""
from __future__ import annotations

from typing import Any

from .neardup import NearDuplicateDetector, compute_signature, estimate_jaccard
from .queries import get_story, list_stories, story_of_article
from .tracker import StoryTracker, TrackerConfig, compute_doc_vector, score_documents

__all__ = ["NearDuplicateDetector", "StoryTracker", "TrackerConfig", "compute_doc_vector",
           "compute_signature", "estimate_jaccard", "get_story", "install", "list_stories",
           "score_documents", "story_of_article"]


def install(monitor: Any, tracker: StoryTracker | None = None,
            detector: NearDuplicateDetector | None = None) -> tuple[NearDuplicateDetector, StoryTracker]:
    """Put the near-duplicate hook, then the story hook, in ``monitor.after_store`` ahead of
    any other hook (alerts read ``doc.meta["near_duplicate_of"]``); once: calling it again
    adds nothing. Returns the two hooks."""
    hooks = monitor.after_store
    found_d = next((h for h in hooks if isinstance(h, NearDuplicateDetector)), None)
    found_t = next((h for h in hooks if isinstance(h, StoryTracker)), None)
    detector = found_d or detector or NearDuplicateDetector()
    tracker = found_t or tracker or StoryTracker()
    if found_d is None:
        hooks.insert(0, detector)
    if found_t is None:
        hooks.insert(hooks.index(detector) + 1, tracker)
    return detector, tracker
