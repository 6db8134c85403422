"""Analysis in worker processes (`rasid ingest --workers N`, `rasid.workers`; issue 17 item 3),
on SaudiNewsNet articles (tests/resources/README-stories.md).

The parallel path must give the archive a single process gives (articles in input order,
spans, entities, near-duplicates, stories, alerts), skip already-stored articles without
starting the workers, and keep crash safety: a run killed inside a batch's transaction is
completed by the next run, and so is a run whose worker died. The workers are forked from
the template server (models loaded once, pages shared), never from the parent.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from rasid.alerts.watches import add_watch
from rasid.monitor import Monitor, WorkerCrashed
from rasid.workers import GC_THRESHOLD, WORKER_NICENESS, worker_facts
from rasid.settings import SettingsError, resolve_settings
from rasid.store import SearchQuery, open_store

SAMPLE = Path(__file__).resolve().parents[1] / "resources" / "saudinewsnet-stories.jsonl"
CLOCK = {"ingested_at", "created_at", "updated_at", "added_at"}
KINDS = ("articles", "entities", "entity_keys", "neardup_signatures", "near_duplicates", "stories",
         "story_articles", "watch_matches", "alerts")


def new_archive(db: Path) -> Path:
    with open_store(db) as store:
        add_watch(store, query="ماليزيا")
    return db


def snapshot(db: Path) -> dict[str, list]:
    with open_store(db) as store:
        out = {k: [{c: v for c, v in r.items() if c not in CLOCK} for r in store.iter_records(k)]
               for k in KINDS}
        out["documents"] = [d.to_dict() for d in store.iter_documents()]
        # the search index (its forms computed in the workers): hits, scores, highlights
        out["search"] = [(h.id, round(h.score, 9), h.matches, h.title_matches)
                         for q in ("ماليزيا", "الرئيس", "وزير الخارجية")
                         for h in store.search(SearchQuery(q, limit=20))]
    return out


def record_warming(monitor: Monitor) -> list[str]:
    """The names of the archive steps of `monitor` as each loads its tables (`warm`)."""
    warmed: list[str] = []
    for step in monitor.archive_steps:
        step.warm = (lambda warm, name: lambda: (warmed.append(name), warm()))(step.warm, step.name)
    return warmed


def test_two_workers_store_what_one_process_stores(tmp_path):
    one, two = new_archive(tmp_path / "one.db"), new_archive(tmp_path / "two.db")
    with Monitor(one, workers=1) as monitor:
        first = monitor.ingest([str(SAMPLE)], batch_size=5)
    with Monitor(two, workers=2) as monitor:
        warmed = record_warming(monitor)
        second = monitor.ingest([str(SAMPLE)], batch_size=5)
        assert monitor.analysis_pool().started
        again = monitor.ingest([str(SAMPLE)], batch_size=5)
    # the parent loaded the archive steps' tables once, while the workers' template started
    assert warmed == [s.name for s in monitor.archive_steps]
    assert (second.read, second.stored, second.words) == (first.read, first.stored, first.words) == (16, 16, first.words)
    assert again.stored == 0 and again.duplicates == 16
    expected, got = snapshot(one), snapshot(two)
    assert expected["near_duplicates"] and expected["alerts"] and expected["entities"] and expected["search"]
    assert [d["title"] for d in got["documents"]] == [d["title"] for d in expected["documents"]]
    for kind in expected:
        assert got[kind] == expected[kind], kind


def test_a_copy_read_ahead_of_its_original_s_commit_is_skipped_as_one_process_skips_it(tmp_path):
    """The workers' input is read a window ahead: a copy of an article of an earlier batch
    was found new then, analysed and counted in its batch (one process, which checks it once
    that batch is committed, skips it): the batches then held other articles than one
    process's, and the archive steps' results differed (2,000 SaudiNewsNet articles: 3
    event group memberships, 142 story scores)."""
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()
    source = tmp_path / "with-copy.jsonl"
    source.write_text("\n".join(lines + lines[:1]) + "\n", encoding="utf-8")  # the first again, last
    one, two = new_archive(tmp_path / "one.db"), new_archive(tmp_path / "two.db")
    with Monitor(one, workers=1) as monitor:
        first = monitor.ingest([str(source)], batch_size=4)
    with Monitor(two, workers=2) as monitor:
        second = monitor.ingest([str(source)], batch_size=4)
    assert (first.read, first.stored, first.duplicates) == (17, 16, 1)
    assert (second.read, second.stored, second.duplicates, second.words) == (17, 16, 1, first.words)
    expected, got = snapshot(one), snapshot(two)
    for kind in expected:
        assert got[kind] == expected[kind], kind


def test_a_fuller_version_read_ahead_of_its_snippet_s_commit_is_analysed_as_one_process_does(tmp_path):
    """A feed snippet, sixteen other articles, then the full article at the same URL
    (tests/integration/test_fuller_version.py's record): one process finds the snippet
    stored when it checks the full text and analyses it with the stored id and fields; the
    workers read it ahead, found it new, and it is analysed again once the snippet is stored
    (before: analysed as new, 4,590 words counted against one process's 4,127)."""
    import json

    record = json.loads((SAMPLE.parent / "saudinewsnet-sample.jsonl").read_text(encoding="utf-8").splitlines()[0])
    record["date_extracted"] = "2015-07-20 10:00:00"  # dated, so no story takes the clock's time
    snippet = {**record, "content": record["content"].split("\n")[0]}
    lines = [json.dumps(snippet, ensure_ascii=False), *SAMPLE.read_text(encoding="utf-8").splitlines(),
             json.dumps(record, ensure_ascii=False)]
    source = tmp_path / "snippet-then-full.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    one, two = new_archive(tmp_path / "one.db"), new_archive(tmp_path / "two.db")
    with Monitor(one, workers=1) as monitor:
        first = monitor.ingest([str(source)], batch_size=4)
    with Monitor(two, workers=2) as monitor:
        second = monitor.ingest([str(source)], batch_size=4)
    assert (first.read, first.updated) == (18, 1)
    assert ((second.read, second.stored, second.updated, second.duplicates, second.words)
            == (first.read, first.stored, first.updated, first.duplicates, first.words))
    expected, got = snapshot(one), snapshot(two)
    for kind in expected:
        assert got[kind] == expected[kind], kind


def shared_mb(pid: int) -> float:
    """Memory of process `pid` that it shares with other processes (smaps_rollup), in MB."""
    fields = dict(line.split(":", 1) for line in open(f"/proc/{pid}/smaps_rollup") if ":" in line)
    return sum(int(fields[k].split()[0]) for k in ("Shared_Clean", "Shared_Dirty")) / 1024


def test_workers_are_forked_from_the_template_not_from_the_parent(tmp_path):
    with Monitor(tmp_path / "a.db", workers=2) as monitor:
        summary = monitor.ingest([str(SAMPLE)], batch_size=8)
        pool = monitor.analysis_pool()
        facts = [pool._start().submit(worker_facts).result() for _ in range(4)]
        assert summary.stored == 16 and not summary.failed
        template = {f["ppid"] for f in facts}
        assert len(template) == 1 and os.getpid() not in template
        (template,) = template
        assert b"forkserver" in Path(f"/proc/{template}/cmdline").read_bytes()
        assert all(f["from_template"] for f in facts)
        # the workers yield a core to the one writer while it stores; the template does not
        assert {f["niceness"] for f in facts} == {min(19, os.nice(0) + WORKER_NICENESS)}
        assert os.getpriority(os.PRIO_PROCESS, template) == os.nice(0)
        # the analysed documents come back through a pipe of 1 MB, not Linux's 64 KB
        import fcntl

        from rasid.workers import RESULT_PIPE_BYTES

        assert fcntl.fcntl(pool._executor._result_queue._reader.fileno(), fcntl.F_GETPIPE_SZ) == RESULT_PIPE_BYTES
        # the models were loaded once, in the template, and the workers share its pages
        for pid in {f["pid"] for f in facts}:
            assert shared_mb(pid) > 50, pid
    assert not Path(f"/proc/{template}").exists()  # closing the Monitor stopped the template server


def test_a_pool_with_other_stages_builds_them_in_the_worker(tmp_path):
    with Monitor(tmp_path / "a.db", workers=2, stages=("tokenize",)) as monitor:
        summary = monitor.ingest([str(SAMPLE)], batch_size=8)
        facts = monitor.analysis_pool()._start().submit(worker_facts).result()
    assert summary.stored == 16 and not facts["from_template"]
    assert facts["gc_threshold"] == GC_THRESHOLD  # a worker only analyses: the collector runs less
    with open_store(tmp_path / "a.db") as store:
        doc = next(iter(store.iter_documents()))
    assert doc.sentences and "entities" not in doc.layers


def read_ahead_at_each_task(monkeypatch, slow_start_s: float = 0.0, **pool_args) -> tuple[list[int], list, list]:
    """Analyse the sixteen sample articles (`tokenize` only) with two workers: how many had been
    read when each task was sent, the documents read and those analysed. `slow_start_s`: the
    sending of the first task (which starts the workers) takes that much longer, as a template
    building the default pipeline does."""
    import time
    from concurrent.futures import ProcessPoolExecutor

    from rasid.doc import Document
    from rasid.ingest import read_paths
    from rasid.workers import AnalysisPool

    read: list[Document] = []

    def documents():
        for doc in read_paths([SAMPLE]):
            read.append(doc)
            yield doc

    read_at_submit: list[int] = []
    submit = ProcessPoolExecutor.submit

    def recorded(self, *args):
        read_at_submit.append(len(read))
        if len(read_at_submit) == 1:
            time.sleep(slow_start_s)
        return submit(self, *args)

    monkeypatch.setattr(ProcessPoolExecutor, "submit", recorded)
    pool = AnalysisPool(2, ("tokenize",), per_task=4, **pool_args)
    try:
        out = [analysed for _, analysed in pool.analyse(documents())]
    finally:
        pool.close()
    assert [d.title for d in out] == [d.title for d in read] and len(out) == 16  # in input order
    assert all(d.sentences for d in out)
    return read_at_submit, read, out


def test_the_first_window_is_read_while_the_template_starts(monkeypatch):
    """The first task is sent as soon as it is read, from a thread: sending it starts the template
    and forks the workers (the models loading, one core idle), and meanwhile the parent reads
    and checks the first window of documents; the results still come back in input order."""
    read_at_submit, _, _ = read_ahead_at_each_task(monkeypatch, window=8)
    assert read_at_submit[1] >= 8  # the second task left only once the window was read


def test_the_parent_reads_on_while_the_workers_start_up_to_its_bound(monkeypatch):
    """While the workers are still starting, the parent reads past the window (its own
    per-document work, on the core the template leaves idle), up to `start_read_ahead`."""
    read_at_submit, _, _ = read_ahead_at_each_task(monkeypatch, slow_start_s=1.0, window=4,
                                                   start_read_ahead=12)
    assert read_at_submit[1] == 12  # the second task left once the bound was read, not the window


def test_a_dead_worker_is_a_clear_error_and_the_next_run_completes_the_archive(tmp_path, monkeypatch):
    clean_db, db = new_archive(tmp_path / "clean.db"), new_archive(tmp_path / "crashed.db")
    with Monitor(clean_db, workers=1) as monitor:
        monitor.ingest([str(SAMPLE)], batch_size=4)
    monkeypatch.setenv("RASID_TEST_CRASH_AT", "analyse@6")  # each worker dies at its 6th document
    with Monitor(db, workers=2) as monitor:
        with pytest.raises(WorkerCrashed, match="worker process died"):
            monitor.ingest([str(SAMPLE)], batch_size=4)
        assert not monitor.analysis_pool().started  # the next ingest starts new workers
    with open_store(db) as store:
        stored = store.count_documents()
    assert stored % 4 == 0 and stored < 16  # whole batches only
    monkeypatch.delenv("RASID_TEST_CRASH_AT")
    with Monitor(db, workers=2) as monitor:
        rerun = monitor.ingest([str(SAMPLE)], batch_size=4)
    assert (rerun.stored, rerun.duplicates) == (16 - stored, stored)
    expected, got = snapshot(clean_db), snapshot(db)
    for kind in expected:
        assert got[kind] == expected[kind], kind


def test_cli_reports_a_dead_worker_without_a_traceback(tmp_path):
    db = new_archive(tmp_path / "a.db")
    crashed = run_cli(db, SAMPLE, "--workers", "2", "--batch-size", "4", crash_at="analyse@3")
    assert crashed.returncode == 1, crashed.stderr
    assert "rasid ingest: error: an analysing worker process died" in crashed.stderr
    assert "Traceback" not in crashed.stderr


def test_a_rerun_skips_stored_articles_without_starting_workers(tmp_path):
    db = tmp_path / "a.db"
    with Monitor(db, workers=1) as monitor:
        monitor.ingest([str(SAMPLE)])
    with Monitor(db, workers=2) as monitor:
        warmed = record_warming(monitor)
        summary = monitor.ingest([str(SAMPLE)])
        assert not monitor.analysis_pool().started and warmed == []
    assert (summary.read, summary.stored, summary.duplicates) == (16, 0, 16)


def run_cli(db: Path, source: Path, *extra: str, crash_at: str | None = None) -> subprocess.CompletedProcess:
    """`rasid ingest`; its output is read through pipes, so this returns only once every
    process holding them (the workers of a killed run too) has ended."""
    env = dict(os.environ)
    env.pop("RASID_TEST_CRASH_AT", None)
    env.pop("RASID_WORKERS", None)
    if crash_at:
        env["RASID_TEST_CRASH_AT"] = crash_at
    return subprocess.run([sys.executable, "-m", "rasid", "ingest", str(source), "--db", str(db), *extra],
                          capture_output=True, text=True, env=env, timeout=240)


def test_cli_workers_killed_mid_run_then_rerun_equals_a_clean_run(tmp_path):
    clean_db, db = new_archive(tmp_path / "clean.db"), new_archive(tmp_path / "crashed.db")
    clean = run_cli(clean_db, SAMPLE, "--workers", "1", "--batch-size", "4")
    assert clean.returncode == 0, clean.stderr
    crashed = run_cli(db, SAMPLE, "--workers", "2", "--batch-size", "4", crash_at="stories@2")
    assert crashed.returncode == -9, crashed.stderr
    with open_store(db) as store:
        assert store.count_documents() == 4  # the first batch only: the second died uncommitted
    rerun = run_cli(db, SAMPLE, "--workers", "2", "--batch-size", "4")
    assert rerun.returncode == 0, rerun.stderr
    assert "stored 12, duplicates 4" in rerun.stdout
    expected, got = snapshot(clean_db), snapshot(db)
    for kind in expected:
        assert got[kind] == expected[kind], kind


def test_workers_setting_has_one_name_everywhere():
    assert resolve_settings(environ={"RASID_WORKERS": "3"})["workers"] == 3
    assert resolve_settings(environ={})["workers"] >= 1  # the number of cores
    with pytest.raises(SettingsError, match="workers"):
        resolve_settings(environ={"RASID_WORKERS": "0"})
    with pytest.raises(ValueError, match="at least 1"):
        Monitor(":memory:", workers=0)
