"""End-to-end fixtures: a real `rasid serve` subprocess on a free 127.0.0.1 port over a
temporary archive, and Debian's Chromium driven by Playwright (never a browser download)."""
from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

RESOURCES = Path(__file__).resolve().parents[1] / "resources"
CHROMIUM = os.environ.get("RASID_CHROMIUM", "/usr/bin/chromium")
TOKEN = "e2e-token"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run"]


def pytest_collection_modifyitems(config, items):
    reason = None
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        reason = f"{CHROMIUM} is missing (apt-get install -y chromium fonts-noto-core)"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            reason = "the playwright Python package is not installed (pip install playwright)"
    if reason:
        for item in items:
            if "e2e" in str(item.fspath):
                item.add_marker(pytest.mark.skip(reason=reason))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """With RASID_REQUIRE_BROWSER=1 (set by .ci/run), a skipped browser test fails: a CI run
    must not pass without them."""
    outcome = yield
    report = outcome.get_result()
    if report.skipped:
        from rasid.settings import resolve_settings

        if resolve_settings().require_browser:
            reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
            report.outcome = "failed"
            report.longrepr = f"RASID_REQUIRE_BROWSER=1 but the browser test was skipped: {reason}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve_command(db: str, port: int) -> list[str]:
    """`python -m rasid serve` when the CLI has it, else the same command by module."""
    from rasid.cli import main as cli

    parser = cli.build_parser()
    has_serve = any(isinstance(a, argparse._SubParsersAction) and "serve" in a.choices
                    for a in parser._actions)
    head = ["-m", "rasid", "serve"] if has_serve else ["-m", "rasid.cli.serve_cmds"]
    return [sys.executable, *head, "--db", db, "--host", "127.0.0.1", "--port", str(port)]


def api(base: str, method: str, path: str, body=None, token: str | None = TOKEN):
    data = None if body is None else json.dumps(body).encode("utf-8")
    req = urllib.request.Request(base + path, data=data, method=method)
    req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(req, timeout=60) as resp:
            return resp.status, json.loads(resp.read() or b"null")
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"null")


@pytest.fixture(scope="session")
def archive(tmp_path_factory) -> str:
    from rasid.monitor import Monitor

    db = str(tmp_path_factory.mktemp("e2e") / "archive.db")
    with Monitor(db) as monitor:
        monitor.ingest([str(RESOURCES / "paris-2015.txt"), str(RESOURCES / "saudinewsnet-sample.jsonl")])
    return db


@pytest.fixture(scope="session")
def server(archive, tmp_path_factory):
    port = free_port()
    env = {**os.environ, "RASID_API_TOKEN": TOKEN, "RASID_READ_OPEN": "1"}
    log = open(tmp_path_factory.mktemp("log") / "server.log", "w+")
    proc = subprocess.Popen(serve_command(archive, port), env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(base + "/api/v1/health", timeout=2) as resp:
                if resp.status == 200:
                    break
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            log.seek(0)
            proc.kill()
            pytest.fail(f"rasid serve did not start:\n{log.read()}")
        time.sleep(0.3)
    log.seek(0)
    assert f"http://127.0.0.1:{port}/" in log.read()  # it prints its address
    yield base
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture()
def page(browser, server):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ar")
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    pg.on("dialog", lambda dialog: (errors.append("dialog: " + dialog.message), dialog.dismiss()))
    # nothing may leave 127.0.0.1
    pg.route("**/*", lambda route: route.continue_() if route.request.url.startswith(server)
             else (errors.append("external request: " + route.request.url), route.abort()))
    pg.errors = errors
    yield pg
    context.close()
