"""The garbage collector runs less often while articles are analysed and stored
(`rasid.workers.collecting_less`), and its threshold is restored afterwards."""
from __future__ import annotations

import gc

from rasid.doc import Document
from rasid.ingest import read_paths
from rasid.ingest.files import SAMPLE_DIR
from rasid.monitor import IngestSummary, Monitor
from rasid.workers import GC_THRESHOLD, collecting_less


def test_store_documents_collects_less_and_restores_the_threshold(tmp_path):
    records = [d for d in read_paths([SAMPLE_DIR / "saudinewsnet-200.jsonl"]) if isinstance(d, Document)][:3]
    seen = []

    def docs():
        for doc in records:
            seen.append(gc.get_threshold()[0])  # read while the monitor stores
            yield doc

    before = gc.get_threshold()
    with Monitor(tmp_path / "a.db", stages=("tokenize",)) as monitor:
        summary = IngestSummary()
        monitor.store_documents(docs(), summary, batch_size=2)
    assert len(records) == 3 and summary.stored == 3
    assert seen == [GC_THRESHOLD] * 3
    assert gc.get_threshold() == before


def test_a_higher_threshold_is_left_as_it_is():
    before = gc.get_threshold()
    try:
        gc.set_threshold(GC_THRESHOLD * 2, *before[1:])
        with collecting_less():
            assert gc.get_threshold()[0] == GC_THRESHOLD * 2
        assert gc.get_threshold()[0] == GC_THRESHOLD * 2
    finally:
        gc.set_threshold(*before)
