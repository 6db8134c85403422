"""The wire form of an analysed document coming back from a worker (`rasid.workers`): its
spans pickled as calls of their class (`send_spans_compactly`) arrive equal, with what they
share still shared, on a SaudiNewsNet-like Arabic article."""
from __future__ import annotations

import pickle
import subprocess
import sys
import textwrap

from rasid.doc import Document, Span

TEXT = "أعلن وزير الخارجية السعودي عادل الجبير في الرياض يوم الأحد أن المملكة ستدعم الحل السياسي في اليمن."


def document() -> Document:
    doc = Document(text=TEXT, title="الجبير: دعم الحل السياسي في اليمن")
    person, place, day = (TEXT.index(w) for w in ("عادل الجبير", "الرياض", "يوم الأحد"))
    person = Span(person, person + 11, "PER", {"confidence": 0.91, "cluster": "entities:1"}, "entities:0")
    place = Span(place, place + 6, "LOC", {"country": "SA"}, "entities:1")
    doc.layers["entities"] = [person, place]
    doc.layers["persons"] = [person]  # one span in two layers
    doc.layers["dates"] = [Span(day, day + 9, "DATE", {"value": None, "relative": True})]
    return doc


def test_spans_come_back_equal_and_shared_in_a_worker_process():
    """In a fresh process that sends as a worker does (ForkingPickler with the spans'
    reducer registered), then loaded here with plain pickle, as the parent's pool does."""
    code = textwrap.dedent("""
        import pickle, sys
        from multiprocessing.reduction import ForkingPickler
        from rasid.workers import send_spans_compactly
        doc = pickle.loads(sys.stdin.buffer.read())
        default = bytes(ForkingPickler.dumps(doc))
        send_spans_compactly()
        compact = bytes(ForkingPickler.dumps(doc))
        sys.stdout.buffer.write(pickle.dumps((default, compact)))
    """)
    out = subprocess.run([sys.executable, "-c", code], input=pickle.dumps(document()),
                         capture_output=True, check=True)
    default, compact = pickle.loads(out.stdout)
    assert len(compact) < len(default)
    back, expected = pickle.loads(compact), document()
    assert back.layers == expected.layers and back.text == expected.text
    assert back.layers["persons"][0] is back.layers["entities"][0]
    assert [s.text_of(back.text) for s in back.layers["entities"]] == ["عادل الجبير", "الرياض"]
    assert back.layers["dates"][0].text_of(back.text) == "يوم الأحد"



def test_the_results_pipe_is_widened_where_the_system_allows():
    import fcntl
    import os

    import pytest

    from rasid.workers import RESULT_PIPE_BYTES, widen_pipe

    if int(open("/proc/sys/fs/pipe-max-size").read()) < RESULT_PIPE_BYTES:
        pytest.skip("this system lets a process widen a pipe to less than 1 MB")
    reader, writer = os.pipe()
    try:
        assert fcntl.fcntl(writer, fcntl.F_GETPIPE_SZ) < RESULT_PIPE_BYTES  # Linux's 64 KB
        assert widen_pipe(reader, RESULT_PIPE_BYTES) == RESULT_PIPE_BYTES
        assert fcntl.fcntl(writer, fcntl.F_GETPIPE_SZ) == RESULT_PIPE_BYTES  # one pipe, both ends
    finally:
        os.close(reader)
        os.close(writer)
