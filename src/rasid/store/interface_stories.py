"""Archive interface, part 3: near-duplicate signatures and links, stories.

The MinHash signatures, band keys, vectors and scores are computed in `rasid.stories`;
the archive only stores and looks them up.
"""
from __future__ import annotations

import abc
from typing import Any, Iterable


class StoryMethods(abc.ABC):
    # -- near-duplicates ---------------------------------------------------------------------
    @abc.abstractmethod
    def get_near_duplicate(self, article_id: str) -> tuple[str, float] | None:
        """``(duplicate_of, similarity)`` recorded for the article, or None."""

    @abc.abstractmethod
    def get_near_duplicates(self, article_ids: list[str]) -> dict[str, tuple[str, float]]:
        """`get_near_duplicate` for a batch: ``{article id: (duplicate_of, similarity)}``
        for those of `article_ids` that have one."""

    @abc.abstractmethod
    def has_signature(self, article_id: str) -> bool:
        """Whether a signature is stored for the article (it was processed)."""

    @abc.abstractmethod
    def add_signature(self, article_id: str, signature: bytes,
                      band_keys: list[tuple[int, int]]) -> None:
        """Store the article's signature (bytes) and its ``(band, bucket_hash)`` keys."""

    @abc.abstractmethod
    def find_band_matches(self, band_keys: list[tuple[int, int]],
                          per_band_limit: int) -> dict[str, int]:
        """``{article_id: bands shared}`` for the stored articles sharing a band key
        (at most `per_band_limit` articles per key)."""

    @abc.abstractmethod
    def get_signatures(self, article_ids: list[str]) -> dict[str, bytes]:
        """``{article_id: signature}`` for those that have one."""

    @abc.abstractmethod
    def add_near_duplicate(self, article_id: str, duplicate_of: str, similarity: float) -> None:
        """Record that the article copies `duplicate_of` (kept if already recorded) and set
        ``meta["near_duplicate_of"]`` on the stored article."""

    @abc.abstractmethod
    def list_near_duplicates(self) -> list[dict[str, Any]]:
        """Every link: [{article_id, duplicate_of, similarity}], by article id."""

    # -- stories: the tracker's reads and writes ---------------------------------------------
    @abc.abstractmethod
    def get_story_id(self, article_id: str) -> int | None:
        """The story the article belongs to, or None."""

    @abc.abstractmethod
    def get_story_ids(self, article_ids: list[str]) -> dict[str, int]:
        """`get_story_id` for a batch: ``{article id: story id}`` for those in a story."""

    @abc.abstractmethod
    def find_stories_by_terms(self, terms: Iterable[str], since: str, limit: int) -> dict[str, list[int]]:
        """``{term: story ids}``: per term, at most `limit` stories indexed under it with
        last_published >= `since`, latest first (terms with none are left out)."""

    @abc.abstractmethod
    def find_stories_by_entities(self, entity_ids: Iterable[int], since: str,
                                 limit: int) -> dict[int, list[int]]:
        """``{entity id: story ids}``, as `find_stories_by_terms` for the entity index."""

    @abc.abstractmethod
    def get_story_entities(self, story_ids: list[int], entity_ids: list[int]) -> dict[int, set[int]]:
        """``{story_id: {entity_id}}``: which of `entity_ids` each story is indexed under."""

    @abc.abstractmethod
    def get_story_centroids(self, story_ids: list[int]) -> list[dict[str, Any]]:
        """[{id, centroid ({term: weight}), first_published, last_published}] of the
        existing ones, by id."""

    @abc.abstractmethod
    def create_story(self, title: str, published: str, centroid: dict[str, float],
                     index_terms: list[str], entity_ids: list[int]) -> int:
        """A new story (article_count 0, n_vectors 1, first = last = `published`) indexed
        under `index_terms` and `entity_ids`; return its id."""

    @abc.abstractmethod
    def update_story(self, story_id: int, centroid: dict[str, float], first_published: str,
                     last_published: str, index_terms: list[str], entity_ids: list[int]) -> None:
        """A member's vector was added: new centroid and span (n_vectors + 1), the term
        index replaced by `index_terms`, each of `entity_ids` counted once more (added
        when new), every index row's last_published set to `last_published`."""

    @abc.abstractmethod
    def add_story_article(self, story_id: int, article_id: str, published: str,
                          similarity: float, duplicate_of: str | None = None) -> None:
        """Make the article a member (article_count + 1)."""

    # -- stories: reading ---------------------------------------------------------------------
    @abc.abstractmethod
    def list_stories(self, since: str | None = None, until: str | None = None, limit: int = 20,
                     offset: int = 0, min_articles: int = 1) -> list[dict[str, Any]]:
        """Stories active in [since, until], most recently active first: [{id, title,
        first_published, last_published, article_count, updated_at}]."""

    @abc.abstractmethod
    def story_of_article(self, article_id: str) -> dict[str, Any] | None:
        """The article's story in list form plus ``similarity`` and ``duplicate_of``."""

    @abc.abstractmethod
    def get_story(self, story_id: int, limit: int = 15) -> dict[str, Any] | None:
        """List form plus ``centroid`` ({term: weight}), ``articles`` [{id, title,
        published, source, url, similarity, duplicate_of, story_time}] in time order
        (``story_time``: the time the article counts at in the story, its publication time
        or, undated, when it was first seen), ``entities`` [{id, canonical, type, latin,
        mentions, articles}], ``places`` [{name, name_en, country, lat, lon, feature,
        mentions, articles}] and ``timeline`` [{date, articles, first_seen}] (``first_seen``:
        how many of that day's articles are undated, counted on the day they were first
        seen); None for an unknown id."""

    @abc.abstractmethod
    def list_story_members(self) -> list[dict[str, Any]]:
        """Every membership: [{story_id, article_id, similarity, duplicate_of}], by article id."""
