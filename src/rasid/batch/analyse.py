"""What runs inside Spark's Python workers: raw input records in, one output row per
article (or rejection) out. The pipeline (the same registered stages as `rasid ingest`)
is built once per worker process and reused by every partition it runs.

No Spark import here except the vector type of the MinHash features."""
from __future__ import annotations

import io
import json
import zlib
from pathlib import PurePosixPath
from typing import Any, Iterable, Iterator

from ..doc import Document
from ..ingest import Rejection
from .tables import convert_document_to_rows, split_origin

#: dimensions of the hashed shingle features (MinHash LSH input)
FEATURES = 1 << 20
_PIPELINES: dict[tuple[str, ...], Any] = {}


def get_pipeline(stages: tuple[str, ...]) -> Any:
    """The pipeline of `stages`, built on first use in this process (models, gazetteers
    and tables load once per worker, not per record)."""
    if stages not in _PIPELINES:
        from ..stages import build_pipeline

        _PIPELINES[stages] = build_pipeline(stages)
    return _PIPELINES[stages]


def read_raw_record(file: str, line: int | None, kind: str, payload: Any) -> Iterable[Document | Rejection | None]:
    """The documents of one raw record: a JSON Lines line, a Parquet row (JSON), a whole
    file of another kind (WARC, HTML, text) read by rasid's readers, or a file the driver
    could not read (``error``: the payload is the reason)."""
    from ..ingest.files import kind_of, read_bytes
    from ..ingest.jsonl import convert_record_safely, read_json_line
    from ..ingest.warc import read_warc_stream

    origin = f"{file}:{line}" if line else file
    if kind == "line":
        return [read_json_line(payload, origin, None)]
    if kind == "record":
        return [convert_record_safely(json.loads(payload), origin)]
    if kind == "error":
        return [Rejection(origin, payload)]
    if kind_of(PurePosixPath(file)) == "warc":  # warcio reads every gzip member (record) itself
        return read_warc_stream(io.BytesIO(bytes(payload)), file)
    return read_bytes(bytes(payload), file)


def hash_features(items: Iterable[str]) -> Any:
    """A sparse 0/1 vector of hashed strings (None when there are none)."""
    from pyspark.ml.linalg import SparseVector

    index = sorted({zlib.crc32(s.encode("utf-8")) % FEATURES for s in items})
    if not index:
        return None
    return SparseVector(FEATURES, index, [1.0] * len(index))


def extract_words(doc: Document) -> set[str]:
    """Content words of the article (normalised, 4 letters or more) for story grouping."""
    return {t.norm for t in doc.tokens if t.kind == "word" and len(t.norm) >= 4}


def convert_output(doc: Document) -> dict[str, Any]:
    from ..stories.neardup import extract_shingles

    article, mentions = convert_document_to_rows(doc)
    file, line = split_origin(doc.origin or "")
    article.update(mentions=mentions, file=file, line=line, reason=None,
                   shingles=hash_features(extract_shingles(doc.text)),
                   words=hash_features(extract_words(doc)))
    return article


def convert_rejection(rejection: Rejection) -> dict[str, Any]:
    file, line = split_origin(rejection.origin)
    return {"file": file, "line": line, "reason": rejection.reason, "mentions": []}


def analyse_partition(records: Iterable[tuple], stages: tuple[str, ...]) -> Iterator[dict[str, Any]]:
    """Output rows for the raw records of one partition; a bad record becomes a
    rejected row and the partition goes on."""
    from ..monitor import check_document

    pipeline = get_pipeline(stages)
    for file, line, kind, payload in records:
        try:
            items = list(read_raw_record(file, line, kind, payload))
        except Exception as exc:  # a reader bug must not stop the job
            items = [Rejection(f"{file}:{line}" if line else file, f"unreadable: {type(exc).__name__}: {exc}")]
        for item in items:
            if item is None:
                continue
            if isinstance(item, Document):
                item = check_document(item)
            if isinstance(item, Rejection):
                yield convert_rejection(item)
                continue
            try:
                doc = pipeline(item)
            except Exception as exc:
                yield convert_rejection(Rejection(item.origin or file, f"failed: {type(exc).__name__}: {exc}"))
                continue
            yield convert_output(doc)
