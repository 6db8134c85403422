"""Screenshots of the main web pages for the README: docs/screenshots/*.png.

Builds a temporary archive (the Paris seed and the SaudiNewsNet test sample, plus two
articles posted through the API), starts `rasid serve` on a free 127.0.0.1 port, adds a
watch, and photographs the pages in Debian's headless Chromium (Playwright with
``executable_path``; never a browser download).

    python bench/screenshots.py [--out docs/screenshots] [--chromium /usr/bin/chromium]
"""
from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESOURCES = ROOT / "tests" / "resources"
TOKEN = "screenshots"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run"]


STORY = [
    ("2015-11-14T02:00:00", "هجمات باريس: عشرات القتلى في سلسلة هجمات متزامنة",
     "قتل عشرات الأشخاص في سلسلة هجمات متزامنة في باريس مساء الجمعة، استهدفت مسرح باتكلان "
     "وملعب فرنسا ومطاعم في شرق العاصمة الفرنسية. وأعلن الرئيس الفرنسي فرانسوا هولاند حالة الطوارئ "
     "في أنحاء فرنسا وإغلاق الحدود."),
    ("2015-11-14T18:00:00", "تنظيم الدولة الإسلامية يتبنى هجمات باريس",
     "تبنى تنظيم الدولة الإسلامية هجمات باريس التي أوقعت عشرات القتلى في مسرح باتكلان ومحيط ملعب فرنسا. "
     "وقال الرئيس الفرنسي فرانسوا هولاند إن الهجمات عمل حربي دبره التنظيم من سوريا."),
    ("2015-11-15T12:00:00", "الشرطة البلجيكية تعتقل مشتبها بهم في هجمات باريس",
     "اعتقلت الشرطة البلجيكية عدة أشخاص في حي مولنبيك في بروكسل للاشتباه في صلتهم بهجمات باريس، "
     "فيما كشف المحققون الفرنسيون هوية أحد منفذي الهجوم على مسرح باتكلان، إسماعيل عمر مصطفاي."),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def call(base: str, method: str, path: str, body=None):
    req = urllib.request.Request(base + path, method=method,
                                 data=None if body is None else json.dumps(body).encode())
    req.add_header("Content-Type", "application/json")
    req.add_header("Authorization", f"Bearer {TOKEN}")
    with urllib.request.urlopen(req, timeout=120) as resp:
        return json.loads(resp.read() or b"null")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    from rasid.server.app import install_hooks
    from rasid.doc import Document
    from rasid.ingest import read_paths
    from rasid.monitor import Monitor

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, "archive.db")
        with Monitor(db) as monitor:
            install_hooks(monitor)  # stories and alerts, as the server has them
            seed = [d for d in read_paths([str(RESOURCES / "paris-2015.txt")]) if isinstance(d, Document)]
            for doc in seed:
                doc.published = "2015-11-16"  # the BBC article's date (the text file has none)
            monitor.ingest_documents(seed)
            monitor.ingest([str(RESOURCES / "saudinewsnet-sample.jsonl")])
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        env = {**os.environ, "RASID_API_TOKEN": TOKEN}
        proc = subprocess.Popen([sys.executable, "-m", "rasid.cli.serve_cmds", "--db", db,
                                 "--port", str(port)], env=env)
        try:
            for _ in range(200):
                try:
                    urllib.request.urlopen(base + "/api/v1/health", timeout=1)
                    break
                except OSError:
                    time.sleep(0.3)
            call(base, "POST", "/api/v1/articles", {
                "title": "أولاند يزور بروكسل بعد هجمات باريس", "source": "example", "published": "2015-11-17",
                "text": "زار الرئيس الفرنسي فرانسوا أولاند العاصمة البلجيكية بروكسل يوم الاثنين لبحث "
                        "التعاون الأمني بعد هجمات باريس التي وقعت يوم 13 نوفمبر/تشرين الثاني 2015."})
            for day, title, text in STORY:
                call(base, "POST", "/api/v1/articles", {"title": title, "text": text, "source": "example",
                                                        "published": day})
            call(base, "POST", "/api/v1/watches", {"name": "أولاند", "entity": "أولاند"})
            call(base, "POST", "/api/v1/watches", {"name": "هجمات", "query": "هجوم انتحاري"})
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=args.chromium, args=ARGS)
                page = browser.new_page(viewport={"width": 1280, "height": 860}, locale="ar")

                def snap(name: str, full: bool = False) -> None:
                    page.screenshot(path=str(out / f"{name}.png"), full_page=full)
                    print(out / f"{name}.png")

                page.goto(base + "/?q=" + urllib.parse.quote("هجوم"))
                snap("search")
                page.locator("#results li.hit a.title", has_text="باريس").first.click()
                page.wait_for_selector("#article-body a.ent")
                snap("article")
                page.goto(base + "/entity?name=" + urllib.parse.quote("هولاند"))
                snap("entity")
                stories = call(base, "GET", "/api/v1/stories?limit=200") if has_stories(base) else None
                if stories and stories.get("stories"):
                    biggest = max(stories["stories"], key=lambda s: s.get("article_count") or 0)
                    page.goto(base + f"/story/{biggest['id']}")
                    snap("story")
                page.goto(base + "/places")
                snap("map")
                page.goto(base + "/alerts")
                page.wait_for_selector("body[data-live=on]", timeout=15000)
                call(base, "POST", "/api/v1/articles", {
                    "title": "أولاند: فرنسا في حرب مع الإرهاب", "source": "example", "published": "2015-11-16",
                    "text": "قال الرئيس الفرنسي فرانسوا أولاند أمام البرلمان إن فرنسا في حرب مع "
                            "الإرهاب، وأعلن تمديد حالة الطوارئ ثلاثة أشهر."})
                page.wait_for_selector("#alerts li.new", timeout=20000)
                snap("alerts")
                browser.close()
        finally:
            proc.terminate()
            proc.wait(timeout=10)
    return 0


def has_stories(base: str) -> bool:
    try:
        urllib.request.urlopen(base + "/api/v1/stories", timeout=10)
        return True
    except OSError:
        return False


if __name__ == "__main__":
    raise SystemExit(main())
