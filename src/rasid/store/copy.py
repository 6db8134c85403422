"""Moving an archive between any two engines through the interface only: every kind of
`base.RECORD_KINDS` is read with ``iter_records`` and written with ``import_records``, in
dependency order. Nothing is analysed again (entity ids, stories, alerts are kept)."""
from __future__ import annotations

from typing import Any

from .base import RECORD_KINDS, Store


class ArchiveNotEmpty(ValueError):
    """The destination archive already holds articles or watches."""


def copy_archive(source: Store, target: Store) -> dict[str, int]:
    """Copy everything from `source` into the empty `target`; ``{kind: records copied}``.
    Each kind is one transaction of the target."""
    if target.count_documents() or target.list_watches():
        raise ArchiveNotEmpty(f"the destination archive {target.location} is not empty")
    copied: dict[str, Any] = {}
    for kind in RECORD_KINDS:
        with target.transaction():
            copied[kind] = target.import_records(kind, source.iter_records(kind))
    return copied
