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


LEAVING = """
import gc, json, sys
from rasid.doc import Document
from rasid.ingest import read_paths
from rasid.ingest.files import SAMPLE_DIR
from rasid.workers import collecting_less

texts = [d.text for d in read_paths([SAMPLE_DIR / "saudinewsnet-200.jsonl"]) if isinstance(d, Document)]
frozen = None
if sys.argv[1] == "frozen":  # a process with frozen objects: a template, a worker forked from one
    held = [[w] for w in texts[0].split()]
    gc.freeze()
    frozen = gc.get_freeze_count()
runs = []
gc.callbacks.append(lambda phase, info: phase == "start" and runs.append(info["generation"]))
with collecting_less():
    kept = [[[w] for w in text.split()] for text in texts]  # the words of every article, held
    young, inside = gc.get_count()[0], len(runs)
after = [[w] for w in texts[1].split()[:300]]  # fewer new containers than Python's threshold, 700
print(json.dumps({"young": young, "runs_inside": inside, "runs_after": runs[inside:],
                  "frozen": [frozen, gc.get_freeze_count()]}))
"""


def leaving(mode: str) -> dict:
    import json
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-c", LEAVING, mode], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def test_what_the_block_allocated_is_not_walked_as_it_ends():
    """Leaving the block, the objects it allocated (the words of the 200 sample articles, held)
    go to the oldest generation unwalked: the allocations that follow run no collection,
    where with Python's threshold restored the first of them walked all of them."""
    got = leaving("plain")
    assert got["young"] > 20_000 and got["runs_inside"] == 0  # held, and not collected inside
    assert got["runs_after"] == []
    assert got["frozen"] == [None, 0]


def test_frozen_objects_stay_frozen():
    """In a process with frozen objects (the template, its workers) nothing is unfrozen: the
    young objects are walked by the next run, as before."""
    got = leaving("frozen")
    assert got["frozen"][0] > 0 and got["frozen"][1] == got["frozen"][0]
    assert got["runs_after"][:1] == [0]
