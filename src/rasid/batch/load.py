"""`rasid load`: the Documents of a `rasid batch` output folder, rebuilt from its
``articles`` and ``mentions`` tables one publication-date partition at a time (memory
holds one day of articles, never the whole output)."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Iterator

from ..doc import Document
from ..export.imports import clear_archive_ids
from ..ingest import Rejection
from .tables import convert_rows_to_document

PARTITION = "published_date"


def list_partitions(table: Path) -> list[Path]:
    """The partition folders of a table (``published_date=...``), in date order; the
    table folder itself when it is not partitioned."""
    parts = sorted(p for p in table.iterdir() if p.is_dir() and p.name.startswith(PARTITION + "="))
    return parts or [table]


def read_rows(folder: Path) -> list[dict[str, Any]]:
    import pyarrow.parquet as pq

    files = sorted(folder.glob("*.parquet"))
    rows: list[dict[str, Any]] = []
    for f in files:
        rows.extend(pq.read_table(f).to_pylist())
    return rows


def read_batch_documents(folder: str | Path) -> Iterator[Document | Rejection]:
    """Every article of the output folder as a Document with its layers (entity spans
    without archive ids: the archive resolves them); rows that cannot be rebuilt become
    Rejections naming the table, partition and article."""
    try:
        import pyarrow.parquet  # noqa: F401
    except ImportError as exc:  # pragma: no cover
        raise ValueError("rasid load needs pyarrow: pip install 'rasid[export]'") from exc
    folder = Path(folder)
    articles, mentions = folder / "articles", folder / "mentions"
    if not articles.is_dir():
        raise ValueError(f"{folder}: no articles table (articles/)")
    for part in list_partitions(articles):
        spans: dict[str, list[dict[str, Any]]] = {}
        mention_part = mentions / part.name if part != articles else mentions
        if mention_part.is_dir():
            for row in read_rows(mention_part):
                spans.setdefault(row["article_id"], []).append(row)
        for row in read_rows(part):
            try:
                doc = convert_rows_to_document(row, spans.get(row.get("id"), []))
            except (KeyError, TypeError, ValueError) as exc:
                yield Rejection(f"{part}:{row.get('id')}", f"cannot rebuild the article: {exc}")
                continue
            yield clear_archive_ids(doc)
