"""Time and memory of every pipeline stage on pathological article shapes (issue 15, item 4).

    PYTHONPATH=src python bench/bench_shapes.py [--sizes 50000,100000,200000] [--shapes news,slash,...]

Prints, per shape and size, each stage's seconds and the process's peak RSS. Shapes:
news (real SaudiNewsNet text repeated), slash (x/x/x/...), token (one huge token),
sentence (one sentence of real words, no punctuation), names (thousands of repeated
names), distinct (thousands of different names), digits (one long number run),
markup (deeply nested HTML read by the HTML reader, then analysed)."""
from __future__ import annotations

import argparse
import json
import resource
import time
from pathlib import Path

from rasid.doc import Document
from rasid.stages import DEFAULT_STAGES, build_pipeline

RESOURCES = Path(__file__).resolve().parents[1] / "tests" / "resources"
SHAPES = ("news", "slash", "token", "sentence", "names", "distinct", "digits", "markup")


def make_text(shape: str, n: int) -> str:
    news = "\n\n".join(json.loads(x)["content"] for x in
                       (RESOURCES / "saudinewsnet-sample.jsonl").read_text(encoding="utf-8").splitlines())
    if shape == "news":
        return (news * (n // len(news) + 1))[:n]
    if shape == "slash":
        return ("x/" * n)[:n]
    if shape == "token":
        return "ب" * n
    if shape == "sentence":
        words = news.replace(".", " ").replace("\n", " ").replace("،", " ")
        return (words * (n // len(words) + 1))[:n]
    if shape == "names":
        return ("قال الرئيس فرانسوا أولاند وهولاند وبشار الأسد والأسد في باريس ودمشق. " * n)[:n]
    if shape == "distinct":
        first = ["محمد", "أحمد", "خالد", "سعيد", "فهد", "علي", "عمر", "يوسف", "سلمان", "ناصر"]
        out, i = [], 0
        while sum(map(len, out)) < n:
            out.append(f"وقال {first[i % 10]} بن {first[(i // 10) % 10]} آل {i}سعود. ")
            i += 1
        return "".join(out)[:n]
    if shape == "digits":
        return "١" * n
    if shape == "markup":  # nested markup read by the HTML reader; its time is printed apart
        from rasid.ingest import read_html

        depth = 200
        body = "".join(f"<p>قال أولاند في الفقرة {i} إن فرنسا ستواصل الحرب في باريس.</p>" for i in range(n // 55))
        page = ("<html><body><article>" + "<div>" * depth + body + "</div>" * depth
                + "</article></body></html>").encode()
        started = time.perf_counter()
        doc = read_html(page, origin="markup")
        print(f"markup    {len(page):>7} bytes of HTML, depth {depth}: read_html "
              f"{time.perf_counter() - started:.2f}s", flush=True)
        return doc.text if isinstance(doc, Document) else "نص"
    raise ValueError(shape)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="50000,100000,200000")
    ap.add_argument("--shapes", default=",".join(SHAPES))
    args = ap.parse_args()
    pipe = build_pipeline(DEFAULT_STAGES)
    for shape in args.shapes.split(","):
        for n in map(int, args.sizes.split(",")):
            started = time.perf_counter()
            text = make_text(shape, n)
            doc = Document(text=text, title="عنوان")
            times = []
            for stage in pipe.stages:
                t = time.perf_counter()
                doc = stage(doc)
                times.append(f"{stage.name} {time.perf_counter() - t:.2f}")
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            print(f"{shape:9} {len(text):>7} chars  total {time.perf_counter() - started:6.2f}s  "
                  f"peak RSS {peak:6.0f} MB  | " + ", ".join(times), flush=True)


if __name__ == "__main__":
    main()
