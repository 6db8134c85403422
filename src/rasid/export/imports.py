"""`rasid import`: the articles of a JSON Lines export back into an archive, without
analysing them again (their layers are kept; the archive steps run as for an ingest)."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Iterator

from ..doc import Document
from ..ingest import Rejection


def clear_archive_ids(doc: Document) -> Document:
    """Drop the entity ids of another archive from the entity spans: the archive the
    document goes into resolves them to its own entities."""
    for span in doc.layers.get("entities", []):
        span.attrs.pop("entity_id", None)
    return doc


def read_exported_articles(path: str | Path) -> Iterator[Document | Rejection]:
    """Documents from an articles export (`rasid export articles --format jsonl`), one per
    line; a line that is not one is a Rejection naming the file, line and field."""
    path = Path(path)
    with path.open(encoding="utf-8-sig") as lines:
        for n, line in enumerate(lines, 1):
            if not line.strip():
                continue
            origin = f"{path}:{n}"
            try:
                data = json.loads(line)
                if not isinstance(data, dict):
                    raise ValueError("not a JSON object")
                if not isinstance(data.get("text"), str):
                    raise ValueError("field 'text': missing or not a string")
                if not isinstance(data.get("layers", {}), dict):
                    raise ValueError("field 'layers': not an object")
                doc = Document.from_dict(data)
            except (ValueError, KeyError, TypeError) as exc:
                yield Rejection(origin, f"not an exported article: {exc}")
                continue
            yield clear_archive_ids(doc)
