"""Screenshots of every web page, at a desktop (1280x900) and a phone (390x844) width:
docs/screenshots/<page>.png and <page>-phone.png.

Builds a temporary archive (the Paris seed and the SaudiNewsNet test sample, plus a short story
posted through the API), starts `rasid serve` on a free 127.0.0.1 port (with its own token and
a temporary data directory, so it never touches yours), adds watches, and photographs each page
in Debian's headless Chromium (Playwright with ``executable_path``; never a browser download).
Prints each file with its size, and the pages whose content is wider than the phone screen.

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


VIEWPORTS = {"": (1280, 900), "-phone": (390, 844)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    from rasid.monitor import Monitor

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, "archive.db")
        with Monitor(db) as monitor:
            monitor.ingest([str(RESOURCES / "paris-2015.txt"), str(RESOURCES / "saudinewsnet-sample.jsonl")])
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        env = {**os.environ, "RASID_API_TOKEN": TOKEN, "XDG_DATA_HOME": tmp}
        proc = subprocess.Popen([sys.executable, "-m", "rasid", "serve", "--db", db,
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
            call(base, "POST", "/api/v1/watches", {"name": "هجمات", "query": "هجوم انتحاري", "surge": "3/24h"})
            call(base, "POST", "/api/v1/watches", {"event": "ASSAULT in FR", "place": "باريس"})
            hit = call(base, "GET", "/api/v1/search?q=" + urllib.parse.quote("مصطفاى محاربة"))["hits"][0]
            stories = call(base, "GET", "/api/v1/stories?limit=200") if has_stories(base) else None
            pages = {"home": "/", "search": "/?q=" + urllib.parse.quote("من نفذ هجمات باريس؟"),
                     "article": f"/article/{hit['id']}", "entity": "/entity?name=" + urllib.parse.quote("هولاند"),
                     "stories": "/stories", "map": "/places", "place": "/place?name=" + urllib.parse.quote("باريس"),
                     "events": "/events", "watches": "/watches"}
            if stories and stories.get("stories"):
                biggest = max(stories["stories"], key=lambda s: s.get("article_count") or 0)
                pages["story"] = f"/story/{biggest['id']}"
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=args.chromium, args=ARGS)
                for suffix, (width, height) in VIEWPORTS.items():
                    page = browser.new_page(viewport={"width": width, "height": height}, locale="ar",
                                            is_mobile=bool(suffix), has_touch=bool(suffix))

                    def snap(name: str) -> None:
                        path = out / f"{name}{suffix}.png"
                        page.screenshot(path=str(path), full_page=False)
                        wide = page.evaluate("document.scrollingElement.scrollWidth")
                        note = f"  WIDER THAN THE SCREEN ({wide} px)" if wide > width else ""
                        print(f"{path}  {path.stat().st_size // 1024} KB{note}")

                    for name, url in pages.items():
                        page.goto(base + url)
                        if name == "watches":
                            page.wait_for_selector("#watches tr.watch")
                        snap(name)
                    page.goto(base + "/alerts")
                    page.wait_for_selector("body[data-live=on]", timeout=15000)
                    call(base, "POST", "/api/v1/articles", {
                        "title": f"أولاند: فرنسا في حرب مع الإرهاب{' (2)' if suffix else ''}", "source": "example",
                        "published": "2015-11-16",
                        "text": "قال الرئيس الفرنسي فرانسوا أولاند أمام البرلمان إن فرنسا في حرب مع "
                                "الإرهاب، وأعلن تمديد حالة الطوارئ ثلاثة أشهر" + ("." if suffix else " في البلاد.")})
                    page.wait_for_selector("#alerts li.new", timeout=20000)
                    snap("alerts")
                    page.close()
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
