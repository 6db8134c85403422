"""Countries named the way a user types them: an ISO 3166 alpha-2 code (FR, fr), an English
name (France, france) or an Arabic name in any spelling the gazetteer knows (فرنسا); the
countries are the gazetteer's ``country`` entries (``data/gazetteer.tsv.gz``)."""
from __future__ import annotations

from functools import lru_cache
from typing import Any

from .gazetteer import load_gazetteer


@lru_cache(maxsize=1)
def english_names() -> dict[str, str]:
    """``{casefolded English name: ISO code}`` of every country in the gazetteer."""
    return {p.name_en.casefold(): code for code, p in load_gazetteer().by_country.items()
            if p.name_en}


def find_country(name: str) -> dict[str, Any] | None:
    """``{"country": ISO code, "name": Arabic name, "name_en"}`` of the country `name`
    names, or None when it names none."""
    gaz = load_gazetteer()
    text = " ".join((name or "").split())
    if not text:
        return None
    code = text.upper() if len(text) == 2 and text.isascii() else english_names().get(text.casefold())
    if code is None:
        countries = [p for p in (c for c, _ in gaz.lookup(text)) if p.feature == "country"]
        code = countries[0].country if countries else None
    place = gaz.country(code) if code else None
    if place is None:
        return None
    return {"country": place.country, "name": place.name, "name_en": place.name_en}
