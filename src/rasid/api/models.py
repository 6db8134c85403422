"""Request bodies of the REST API (pydantic v2), validated before anything reaches the core."""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from ..doc import MAX_ARTICLE_CHARS, check_json_value

MAX_TEXT_CHARS = MAX_ARTICLE_CHARS  # the one article limit the CLI and the pipeline share
MAX_ARTICLES_PER_REQUEST = 500


def check_url(value: str | None) -> str | None:
    if value is None or value == "":
        return None
    value = value.strip()
    if not value.lower().startswith(("http://", "https://")) or len(value) < 10 or any(
            c.isspace() for c in value):
        raise ValueError("must be an http:// or https:// URL without spaces")
    return value


def check_iso_date(value: str | None) -> str | None:
    """An ISO 8601 date (YYYY-MM-DD) or datetime, returned in ISO form; None stays None."""
    if value is None or value == "":
        return None
    value = value.strip()
    try:
        if len(value) == 10:
            return date.fromisoformat(value).isoformat()
        return datetime.fromisoformat(value.replace("Z", "+00:00")).isoformat()
    except ValueError:
        raise ValueError("must be an ISO date (YYYY-MM-DD) or datetime (YYYY-MM-DDTHH:MM:SS)") from None


class ImageIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    caption: str = Field("", max_length=5000)
    credit: str = Field("", max_length=500)


class ArticleIn(BaseModel):
    """One article to analyse and store. Only `text` is required."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "title": "هولاند يتعهد بحرب لا رحمة فيها",
        "text": "قال الرئيس الفرنسي فرانسوا أولاند إن فرنسا ستواصل الحرب على الإرهاب.",
        "url": "https://example.org/news/1", "published": "2015-11-16", "source": "example"}]})

    text: str = Field(min_length=1, max_length=MAX_TEXT_CHARS, description="the body text, as published")
    title: str = Field("", max_length=2000)
    url: str | None = Field(None, max_length=2048, description="http(s) URL of the article")
    published: str | None = Field(None, max_length=40, description="ISO date or datetime")
    source: str | None = Field(None, max_length=200)
    author: str | None = Field(None, max_length=500)
    summary: str | None = Field(None, max_length=20000, description="a publisher's summary, if any")
    images: list[ImageIn] = Field(default_factory=list, max_length=100)
    meta: dict[str, Any] = Field(default_factory=dict)

    @field_validator("text")
    @classmethod
    def _text_not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must contain some text, not only white space")
        return value

    @field_validator("url")
    @classmethod
    def _url(cls, value: str | None) -> str | None:
        return check_url(value)

    @field_validator("meta")
    @classmethod
    def _meta(cls, value: dict[str, Any]) -> dict[str, Any]:
        check_json_value(value, "meta")  # NaN/Infinity, too deep: 422, not invalid JSON stored
        return value

    @field_validator("published")
    @classmethod
    def _published(cls, value: str | None) -> str | None:
        return check_iso_date(value)


class FeedIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={
        "examples": [{"url": "https://example.org/feed.xml"}]})
    url: str = Field(max_length=2048, description="an RSS/Atom feed or article page URL")

    @field_validator("url")
    @classmethod
    def _url(cls, value: str) -> str:
        checked = check_url(value)
        if checked is None:
            raise ValueError("must not be empty")
        return checked


class WatchIn(BaseModel):
    """A watch: alert when a new article matches all the criteria given (an entity, a search
    query, a place), optionally only on a surge ("5/24h": 5 matching articles in 24 hours)."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={
        "examples": [{"name": "أولاند", "entity": "أولاند"}, {"query": "هجوم باريس", "place": "FR"}]})
    name: str | None = Field(None, max_length=200, description="a label; defaults to the criteria")
    query: str | None = Field(None, max_length=1000, description="search words, as in /search")
    entity: str | None = Field(None, max_length=200, description="an entity name, any spelling")
    place: str | None = Field(None, max_length=200, description="a place name or ISO2 country code")
    event: str | None = Field(None, max_length=200, description="an event type in a place, e.g. 'ASSAULT in IQ'")
    surge: str | None = Field(None, max_length=20, description="N/window, e.g. 5/24h")
    webhook: str | None = Field(None, max_length=2048, description="POST each alert to this URL")

    @field_validator("webhook")
    @classmethod
    def _webhook(cls, value: str | None) -> str | None:
        return check_url(value)


class EntityMergeIn(BaseModel):
    """Merge entity `drop` into entity `keep` (ids, or names that match exactly one entity)."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"keep": "12", "drop": "47"}]})
    keep: str = Field(..., min_length=1, max_length=200, description="the entity that stays: id or name")
    drop: str = Field(..., min_length=1, max_length=200, description="the entity merged into it: id or name")


class EntitySplitIn(BaseModel):
    """Split a name off an entity into an entity of its own."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"alias": "الأسد"}]})
    alias: str = Field(..., min_length=1, max_length=200, description="the name, as the entity page lists it")
