"""Archive interface, part 5: the place page (`rasid place NAME`, ``/place``,
``GET /api/v1/places/lookup``). A place is its ``gazetteer_id`` in the ``places`` layer."""
from __future__ import annotations

import abc
from typing import Any


class PlaceMethods(abc.ABC):
    @abc.abstractmethod
    def count_place_articles(self, keys: list[str]) -> dict[str, int]:
        """``{gazetteer_id: distinct articles naming it}``; keys never named are left out."""

    @abc.abstractmethod
    def place_profile(self, key: str, limit: int = 20) -> dict[str, Any] | None:
        """One place: ``place`` (name, name_en, country, lat, lon, feature, geonameid,
        gazetteer_id, mentions, articles), ``timeline`` [{date, articles}], ``articles``
        [{id, title, published, source, mentions}] (latest first), ``entities`` [{id,
        canonical, type, articles}] (not LOC) and ``co_mentioned_places`` [{name, name_en,
        country, lat, lon, feature, gazetteer_id, articles}] named in the same articles;
        None when no article names it."""
