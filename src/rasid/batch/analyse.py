"""What runs inside Spark's Python workers: raw input records in, one output row per
article (or rejection) out. The pipeline (the same registered stages as `rasid ingest`)
is built once per executor, in the Python daemon the workers are forked from
(`rasid.batch.daemon`, `warm_pipeline`), and reused by every partition they run.

No Spark import here: the MinHash signatures the similarity joins band are computed here,
as Spark's `MinHashLSH` computes them (`minhash_coefficients`, `compute_minhash`), so the
rows sent to the JVM carry a few hundred numbers per article instead of sparse vectors of
thousands of shingles."""
from __future__ import annotations

import functools
import gzip
import io
import json
import os
import zlib
from pathlib import PurePosixPath
from typing import Any, Iterable, Iterator

from ..doc import Document
from ..ingest import Rejection
from .job import NEAR_DUPLICATE_HASHES, STORY_HASHES
from .offices import list_office_events
from .tables import convert_document_to_rows, split_origin

#: strings (shingles, words) are hashed to this many features before MinHash
FEATURES = 1 << 20
#: Spark's `MinHashLSH.HASH_PRIME` and the seed the job has always given `MinHashLSH`
HASH_PRIME = 2038074743
MINHASH_SEED = 20151113
#: the pipeline of each stage list built in this process (or in the daemon it was forked
#: from: `rasid.batch.daemon`), and the id of the process that built it
_PIPELINES: dict[tuple[str, ...], tuple[Any, int]] = {}


def get_pipeline(stages: tuple[str, ...], built: Any = None) -> Any:
    """The pipeline of `stages`, built on first use in this process unless the daemon this
    worker was forked from built it (models, gazetteers and tables load once per executor
    or worker, not per record); adds ``(id of the process that built it, this process's
    id)`` to the Spark accumulator `built` (a set: the job reports how many processes built
    one, and how many of them were workers rather than the daemon)."""
    if stages not in _PIPELINES:
        from ..stages import build_pipeline

        _PIPELINES[stages] = (build_pipeline(stages), os.getpid())
    pipeline, builder = _PIPELINES[stages]
    if built is not None:
        built.add(frozenset([(builder, os.getpid())]))
    return pipeline


def warm_pipeline(stages: tuple[str, ...]) -> None:
    """Build the pipeline of `stages` in this process, analyse the shipped sample article
    with it through the conversion to output rows, and freeze what is in memory, as the
    ingest workers' template does (`rasid.workers.warm_and_freeze`)."""
    from ..workers import warm_and_freeze

    pipeline = get_pipeline(stages)
    warm_and_freeze(lambda doc: convert_output(pipeline(doc)))


def read_file(file: str, data: bytes) -> Iterator[Document | Rejection]:
    """The records of a whole file, read by rasid's own readers: JSON Lines (gzipped or
    not) line by line, a corrupt gzip ending with a rejection after the lines read before
    the damage (`read_json_stream`, as `rasid ingest` reads it); Parquet row group by row
    group (`read_parquet`); WARC record by record; HTML, feeds and text whole. Whatever
    breaks off the reading becomes a rejection after the records read."""
    from ..ingest.files import kind_of, read_bytes
    from ..ingest.jsonl import read_json_stream
    from ..ingest.warc import read_warc_stream

    kind, count = kind_of(PurePosixPath(file)), 0
    try:
        if kind == "json":
            stream: Any = io.BytesIO(data)
            if data[:2] == b"\x1f\x8b":
                stream = io.BufferedReader(gzip.GzipFile(fileobj=stream))  # type: ignore[arg-type]
            items = read_json_stream(stream, file)
        elif file.lower().endswith(".parquet"):
            items = read_parquet(data, file)
        elif kind == "warc":  # warcio reads every gzip member (record) itself
            items = read_warc_stream(io.BytesIO(data), file)
        else:
            items = read_bytes(data, file)
        for item in items:
            count += 1
            yield item
    except Exception as exc:  # a reader bug must not stop the job
        yield Rejection(file, f"unreadable after {count} records: {type(exc).__name__}: {exc}")


def read_parquet(data: bytes, file: str) -> Iterator[Document | Rejection]:
    """The rows of a Parquet file as JSON Lines records (row numbers from 1 as lines); a
    file whose footer cannot be read is one rejection, a row group that cannot be read one
    rejection naming its first row, and the other row groups are read."""
    import pyarrow.parquet as pq

    from ..ingest.jsonl import convert_record_safely

    try:
        parquet = pq.ParquetFile(io.BytesIO(data))
    except Exception as exc:
        yield Rejection(file, f"unreadable Parquet file: {type(exc).__name__}: {exc}")
        return
    first = 1
    for group in range(parquet.num_row_groups):
        size = parquet.metadata.row_group(group).num_rows
        try:
            rows = parquet.read_row_group(group).to_pylist()
        except Exception as exc:
            yield Rejection(f"{file}:{first}", f"unreadable Parquet row group {group} (rows {first}-"
                                               f"{first + size - 1}): {type(exc).__name__}: {exc}")
        else:
            for n, row in enumerate(rows, first):
                yield convert_record_safely(json.loads(json.dumps(row, ensure_ascii=False, default=str)),
                                            f"{file}:{n}")
        first += size


def expand_file(file: str, data: bytes) -> Iterator[tuple[str, None, str, Document | Rejection]]:
    """The raw records of a whole file (`read_file`), read before the records are spread
    over the cluster, so that the articles of one big file are analysed in parallel."""
    for item in read_file(file, bytes(data)):
        if item is not None:
            yield (file, None, "item", item)


def read_raw_record(file: str, line: int | None, kind: str, payload: Any) -> Document | Rejection | None:
    """The document of one raw record: a JSON Lines line (bytes), or an item a whole
    file was read into (`expand_file`)."""
    from ..ingest.jsonl import read_json_line

    if kind == "line":
        return read_json_line(payload, f"{file}:{line}", None)
    return payload


def java_random_ints(seed: int, bound: int, count: int) -> list[int]:
    """`count` values of ``java.util.Random(seed).nextInt(bound)`` (what Scala's
    ``Random(seed)`` draws): the 48-bit linear congruential generator and its rejection of
    the top values, for a `bound` that is not a power of two."""
    mask, multiplier = (1 << 48) - 1, 0x5DEECE66D
    state, out = (seed ^ multiplier) & mask, []
    while len(out) < count:
        state = (state * multiplier + 0xB) & mask
        bits = state >> 17
        value = bits % bound
        if bits - value + bound - 1 < 1 << 31:  # no int overflow in Java: accept
            out.append(value)
    return out


@functools.lru_cache(maxsize=None)
def minhash_coefficients(count: int) -> tuple[Any, Any]:
    """``(a, b)``, arrays of `count` coefficients: those `MinHashLSH(numHashTables=count,
    seed=MINHASH_SEED).fit` draws (``a = 1 + nextInt(P - 1)``, ``b = nextInt(P - 1)``,
    alternately, from one generator); the first k of a longer draw are a shorter one's."""
    import numpy as np

    drawn = java_random_ints(MINHASH_SEED, HASH_PRIME - 1, 2 * count)
    return (np.array(drawn[0::2], dtype=np.int64) + 1, np.array(drawn[1::2], dtype=np.int64))


def compute_minhash(items: Iterable[str], count: int) -> list[int] | None:
    """The MinHash signature of a set of strings as Spark's `MinHashLSHModel` gives it for
    the 0/1 vector of their hashed features (index ``crc32 % FEATURES``): for each of the
    `count` hash functions, ``min((1 + index) * a + b) mod HASH_PRIME`` over the indices;
    None for an empty set (Spark rejects an empty vector)."""
    import numpy as np

    index = np.fromiter({zlib.crc32(s.encode("utf-8")) % FEATURES for s in items}, dtype=np.int64)
    if not index.size:
        return None
    a, b = minhash_coefficients(count)
    least = np.full(count, HASH_PRIME, dtype=np.int64)
    for start in range(0, index.size, 4096):  # (1 + index) * a < 2**51: no overflow in int64
        chunk = index[start:start + 4096, None] + 1
        np.minimum(least, ((chunk * a + b) % HASH_PRIME).min(axis=0), out=least)
    return least.tolist()


def extract_words(doc: Document) -> set[str]:
    """Content words of the article (normalised, 4 letters or more) for story grouping."""
    return {t.norm for t in doc.tokens if t.kind == "word" and len(t.norm) >= 4}


def convert_output(doc: Document) -> dict[str, Any]:
    from ..stories.neardup import extract_shingles

    article, mentions = convert_document_to_rows(doc)
    file, line = split_origin(doc.origin or "")
    article.update(mentions=mentions, offices=list_office_events(doc), file=file, line=line,
                   reason=None, shingle_minhash=compute_minhash(extract_shingles(doc.text), NEAR_DUPLICATE_HASHES),
                   word_minhash=compute_minhash(extract_words(doc), STORY_HASHES))
    return article


def convert_rejection(rejection: Rejection) -> dict[str, Any]:
    file, line = split_origin(rejection.origin)
    return {"file": file, "line": line, "reason": rejection.reason, "mentions": [], "offices": []}


def analyse_partition(records: Iterable[tuple], stages: tuple[str, ...], built: Any = None) -> Iterator[dict[str, Any]]:
    """Output rows for the raw records of one partition, in their order; a bad record
    becomes a rejected row and the partition goes on. The documents are analysed
    ``ner_batch_articles`` at a time (`Pipeline.run_chunk`, as `rasid ingest` does: the NER
    stage tags a chunk's sentences as one batch; a failure takes only its own document out)."""
    from ..monitor import check_document
    from ..pipeline import chunk_size

    pipeline = get_pipeline(stages, built)
    size = chunk_size()
    pending: list[tuple[str, Document | dict[str, Any]]] = []  # (file, document or row), in order
    waiting = 0  # documents in `pending`
    for file, line, kind, payload in records:
        try:
            item = read_raw_record(file, line, kind, payload)
        except Exception as exc:  # a reader bug must not stop the job
            item = Rejection(f"{file}:{line}" if line else file, f"unreadable: {type(exc).__name__}: {exc}")
        if item is None:
            continue
        if isinstance(item, Document):
            item = check_document(item)
        pending.append((file, convert_rejection(item) if isinstance(item, Rejection) else item))
        waiting += isinstance(item, Document)
        if waiting >= size:
            yield from _analysed_rows(pipeline, pending)
            pending, waiting = [], 0
    yield from _analysed_rows(pipeline, pending)


def _analysed_rows(pipeline: Any, pending: list[tuple[str, Document | dict[str, Any]]]) -> Iterator[dict[str, Any]]:
    """The output rows of `pending` in order: its documents analysed as one chunk, each
    failure a rejected row naming the document (or its file)."""
    from ..workers import analyse_chunks

    docs = [it for _, it in pending if isinstance(it, Document)]
    outs = analyse_chunks(pipeline, docs, len(docs))
    for file, item in pending:
        if not isinstance(item, Document):
            yield item
            continue
        _, out = next(outs)
        if isinstance(out, str):  # the failure reason, "Type: message"
            yield convert_rejection(Rejection(item.origin or file, f"failed: {out}"))
        else:
            yield convert_output(out)
