"""Option values of the `rasid` commands, checked as argparse parses them.

Each function here is an argparse ``type=``: it returns the value in its canonical form or
raises ``argparse.ArgumentTypeError`` with a message that says what is allowed; argparse
prefixes it with the command and the option (``rasid search: error: argument --since:
...``) and exits with code 2 (usage error, docs/cli.md).
"""
from __future__ import annotations

import argparse

ENTITY_TYPES = ("PER", "ORG", "LOC", "MISC")
URL_SCHEMES = ("http://", "https://")


def _whole_number(value: str, least: int, below: str) -> int:
    """`value` as a whole number of at least `least`; `below` says what is allowed."""
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number, not {value!r}") from None
    if number < least:
        raise argparse.ArgumentTypeError(f"must be {below}, not {number}")
    return number


def positive_int(value: str) -> int:
    """``--limit``, ``--batch-size``, ``--max-bytes`` ...: a whole number of at least 1."""
    return _whole_number(value, 1, "at least 1")


def non_negative_int(value: str) -> int:
    """``--offset``: a whole number of at least 0."""
    return _whole_number(value, 0, "0 or more")


def entity_type(value: str) -> str:
    """``--type`` of the entity commands: PER, ORG, LOC or MISC (any case)."""
    kind = value.strip().upper()
    if kind not in ENTITY_TYPES:
        raise argparse.ArgumentTypeError(
            f"{value!r} is not an entity type; choose from {', '.join(ENTITY_TYPES)}")
    return kind


def convert_date(value: str) -> str:
    """An ISO date (YYYY-MM-DD) or date-time, normalised; ValueError names what is wrong."""
    from datetime import date, datetime

    try:
        if len(value) == 10:
            return date.fromisoformat(value).isoformat()
        return datetime.fromisoformat(value).isoformat()
    except ValueError as exc:
        raise ValueError(f"{value!r} is not a date (YYYY-MM-DD): {exc}") from None


def iso_date(value: str) -> str:
    """``--since``, ``--until``, ``--published``: an ISO date (YYYY-MM-DD) or date-time."""
    try:
        return convert_date(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def url_scheme_problem(source: str) -> str | None:
    """Why `source` (an ingest argument) is an unsupported URL, or None when it is a path,
    ``-`` or an http(s) URL."""
    head, sep, _ = source.partition("://")
    if not sep or source.startswith(URL_SCHEMES) or not head.isascii() or not head.isalpha():
        return None
    return (f"{source}: unsupported URL scheme {head + '://'!r}; rasid reads http:// and "
            "https:// URLs, files, directories and - (stdin)")
