"""`rasid monitor` as a real process against a feed on 127.0.0.1 (with ETag support):
items added between cycles are ingested, a SIGKILL mid-run and a restart lose nothing
and duplicate nothing, alerts are created exactly once, SIGTERM stops it cleanly."""
from __future__ import annotations

import http.server
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from email.utils import formatdate
from xml.sax.saxutils import escape

import pytest

from processes import reap
from rasid.alerts.monitor_loop import run_monitor

WORDS = ["انفجار", "اجتماع", "مباراة"]


def item_xml(n: int) -> str:
    word = WORDS[n % 3]  # items 0, 3, 6, ... mention انفجار
    text = (f"<p>أفادت مصادر محلية بوقوع {word} في المنطقة رقم {n} مساء اليوم.</p>"
            f"<p>وقال شهود إن الحادث رقم {n} لم يسفر عن إصابات.</p>")
    return f"""<item><title>{escape(f"خبر رقم {n}")}</title>
<link>http://news.test/item-{n}</link><guid isPermaLink="false">item-{n}</guid>
<pubDate>{formatdate(1447495200 + n * 60, usegmt=True)}</pubDate>
<content:encoded><![CDATA[{text}]]></content:encoded></item>"""


class Feed:
    """An RSS feed on 127.0.0.1 with ETag/If-None-Match; `hold()` makes the next GETs wait
    (so the monitor can be killed while it is fetching)."""

    def __init__(self):
        self.items: list[int] = []
        self.etag = '"v0"'
        self.gets = 0
        self.not_modified = 0
        self.released = threading.Event()
        self.released.set()
        self.waiting = threading.Event()
        feed = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802
                feed.gets += 1
                if not feed.released.is_set():
                    feed.waiting.set()
                    feed.released.wait(10)
                if self.headers.get("If-None-Match") == feed.etag:
                    feed.not_modified += 1
                    self.send_response(304)
                    self.send_header("ETag", feed.etag)
                    self.end_headers()
                    return
                body = feed.body()
                self.send_response(200)
                self.send_header("Content-Type", "application/rss+xml; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.send_header("ETag", feed.etag)
                self.end_headers()
                try:
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):  # the monitor was killed
                    pass

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/rss.xml"
        threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02},
                         daemon=True).start()

    def body(self) -> bytes:
        items = "".join(item_xml(n) for n in reversed(self.items))  # newest first
        return (f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" '
                f'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
                f"<title>أخبار محلية</title><link>http://news.test/</link>"
                f"<description>x</description>{items}</channel></rss>").encode("utf-8")

    def add(self, *numbers: int) -> None:
        self.items += numbers
        self.etag = f'"v{len(self.items)}"'

    def hold(self) -> None:
        self.waiting.clear()
        self.released.clear()

    def release(self) -> None:
        self.released.set()

    def close(self) -> None:
        self.release()
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def feed(monkeypatch):
    # the feed runs on 127.0.0.1, which rasid refuses unless named in this setting
    monkeypatch.setenv("RASID_ALLOW_PRIVATE_HOSTS", "127.0.0.1")
    f = Feed()
    yield f
    f.close()


def rasid_command() -> list[str]:
    """`python -m rasid` once rasid.cli.main registers `monitor`, else the module itself."""
    from rasid.cli import main as cli_main

    parser = cli_main.build_parser()
    choices = next(a.choices for a in parser._subparsers._group_actions)  # noqa: SLF001
    module = "rasid" if "monitor" in choices else "rasid.cli.alerts_cmds"
    return [sys.executable, "-m", module]


def start(db, url, log_path, crash_at: str | None = None, *extra: str) -> subprocess.Popen:
    """The monitor as a subprocess; `crash_at`: an archive step it SIGKILLs itself in
    (``RASID_TEST_CRASH_AT``, see rasid.archive_steps)."""
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    if crash_at:
        env["RASID_TEST_CRASH_AT"] = crash_at
    log = open(log_path, "ab")
    return subprocess.Popen(
        [*rasid_command(), "monitor", url, "--interval", "1", "--stages", "tokenize", "--db", str(db), *extra],
        stdout=log, stderr=subprocess.STDOUT, env=env)


def descendants(pid: int) -> set[int]:
    """The processes under `pid` (its workers, their template server)."""
    parent_of = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as fh:
                    parent_of[int(entry)] = int(fh.read().rsplit(")", 1)[1].split()[1])
            except OSError:
                continue
    found, todo = set(), [pid]
    while todo:
        p = todo.pop()
        kids = {c for c, q in parent_of.items() if q == p}
        found |= kids
        todo.extend(kids)
    return found


def test_monitor_polls_feeds_with_worker_processes(tmp_path, feed):
    db, log = tmp_path / "m.db", tmp_path / "monitor.log"
    articles = lambda: count(db, "SELECT count(*) FROM articles")  # noqa: E731
    feed.add(0, 1, 2)
    proc = start(db, feed.url, log, None, "--workers", "2")
    try:
        wait_for(lambda: articles() == 3, timeout=120, what="the first 3 items")
        feed.add(3, 4)  # the next polls reuse the Monitor's workers
        wait_for(lambda: articles() == 5, timeout=60, what="items added between cycles")
        helpers = descendants(proc.pid)
        assert len(helpers) >= 3, helpers  # the template server and its 2 workers (+ a tracker)
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(30) == 0
    finally:
        reap(proc)
    wait_for(lambda: not any(map(running, helpers)), timeout=15, what="the workers and their template server to end")


def running(pid: int) -> bool:
    """Whether process `pid` exists and is not a zombie waiting to be reaped."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def count(db, sql: str) -> int:
    con = sqlite3.connect(db, timeout=10)
    try:
        return con.execute(sql).fetchone()[0]
    except sqlite3.OperationalError:  # not created yet
        return -1
    finally:
        con.close()


def wait_for(predicate, timeout: float = 15.0, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def test_monitor_survives_sigkill_without_duplicates_or_losses(tmp_path, feed):
    from rasid.cli.alerts_cmds import main as alerts_main

    db = tmp_path / "m.db"
    log = tmp_path / "monitor.log"
    assert alerts_main(["watch", "add", "--query", "انفجار", "--db", str(db)]) == 0
    articles = lambda: count(db, "SELECT count(*) FROM articles")  # noqa: E731

    feed.add(0, 1, 2)
    proc = start(db, feed.url, log)
    try:
        wait_for(lambda: articles() == 3, what="the first 3 items")
        wait_for(lambda: feed.not_modified >= 1, what="a conditional GET answered 304")
        feed.add(3, 4, 5)  # between cycles
        wait_for(lambda: articles() == 6, what="items added between cycles")
        # kill it while it fetches the feed (mid-cycle)
        feed.add(6, 7)
        feed.hold()
        assert feed.waiting.wait(10)
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
        feed.release()
        assert articles() == 6

        # the next run dies in the alerts step of items 6 and 7: their batch (articles,
        # stories, alerts) is rolled back together
        proc = start(db, feed.url, log, crash_at="alerts")
        assert proc.wait(20) == -signal.SIGKILL
        assert articles() == 6
        assert count(db, "SELECT count(*) FROM alerts") == 2

        proc = start(db, feed.url, log)
        wait_for(lambda: log.read_text(encoding="utf-8").count("cycle 1 done") == 2,
                 what="the restarted run's first cycle")
        assert articles() == 8 and count(db, "SELECT count(*) FROM alerts") == 3
        feed.add(*range(8, 14))
        wait_for(lambda: articles() == 14, what="every item")
        wait_for(lambda: count(db, "SELECT count(*) FROM alerts") == 5, what="every alert")
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(15) == 0
    finally:
        reap(proc)
    output = log.read_text(encoding="utf-8")
    assert "cycle 1" in output and "stopped after" in output and "SIGTERM" in output

    con = sqlite3.connect(db)
    urls = [u for (u,) in con.execute("SELECT url FROM articles ORDER BY url")]
    assert sorted(urls) == sorted(f"http://news.test/item-{n}" for n in range(14))  # once each
    alerted = [u for (u,) in con.execute(
        "SELECT a.url FROM alerts al JOIN articles a ON a.id = al.article_id ORDER BY al.id")]
    assert sorted(alerted) == sorted(f"http://news.test/item-{n}" for n in range(0, 14, 3))
    last = con.execute("SELECT last_rowid FROM alert_progress").fetchone()[0]
    assert last == con.execute("SELECT max(rowid) FROM articles").fetchone()[0]
    con.close()


def test_run_monitor_in_process_once(tmp_path, feed):
    """The loop as a function: one cycle, what it reports, and a stop event."""
    from rasid.alerts import add_watch
    from rasid.monitor import Monitor

    feed.add(0, 1, 3)
    events: list[str] = []
    with Monitor(str(tmp_path / "o.db"), stages=("tokenize",)) as monitor:
        add_watch(monitor.store, query="انفجار")
        totals = run_monitor(monitor, [feed.url], interval_s=0.1, once=True, on_event=events.append)
        assert totals["stored"] == 3 and totals["alerts"] == 2 and totals["cycles"] == 1
        assert any("new 3, stored 3, duplicates 0, updated 0, alerts 2" in e for e in events)
        stop = threading.Event()
        stop.set()
        totals = run_monitor(monitor, [feed.url], interval_s=0.1, stop=stop, on_event=events.append)
        assert totals["cycles"] == 0
        totals = run_monitor(monitor, [feed.url], interval_s=0.05, max_cycles=2, on_event=events.append)
        assert totals == {"cycles": 2, "read": 0, "stored": 0, "duplicates": 0, "updated": 0,
                          "rejected": 0, "failed": 0, "alerts": 0, "unreachable": 0, "signal": None}
