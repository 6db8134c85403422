"""A gold context measured as the held-back gold is: ``rasid analyze FILE --published DATE
--json`` on a plain-text article file that holds it.

Three file shapes (``--file`` of ``rasid.eval.dates --via analyze`` and ``rasid.eval.places
--pipeline --via analyze``):

* ``titled`` (default): a title line without places or dates (``خبر``), a blank line, then
  the context;
* ``bare``: the file is the context itself, with no added line, as a file of the annotated
  text would be (its first line may be a dateline, then paragraphs);
* ``headline``: the article's own SaudiNewsNet title (found by the gold line's article URL in
  ``<shared_data>/news/saudinewsnet/saudinewsnet.jsonl.gz``), a blank line, the context: a
  saved article with its real headline, whose places and dates are not annotated (spans in
  it are left out of the score) but vote and resolve with the rest.

The command runs in-process; the spans it prints (offsets into the document's text, whose
lines the reader strips) are moved back to the context by `to_context`.
"""
from __future__ import annotations

import contextlib
import gzip
import io
import json
import tempfile
from functools import lru_cache
from pathlib import Path

from rasid.doc import Span

#: the title line of the titled shape: a word that names no place and no date
TITLE_LINE = "خبر"
SHAPES = ("titled", "bare", "headline")


def file_text(context: str, shape: str = "titled", article: str | None = None) -> str:
    """The file holding `context` in `shape`; `article`: its URL (the headline shape)."""
    if shape == "bare":
        return f"{context}\n"
    title = find_headline(article) if shape == "headline" else TITLE_LINE
    return f"{title}\n\n{context}\n"


def find_headline(url: str | None) -> str:
    """The SaudiNewsNet title of the article at `url`, or `TITLE_LINE` for an article it does
    not hold (4 TimeML documents of the first dates batch)."""
    return load_headlines().get(url or "") or TITLE_LINE


@lru_cache(maxsize=1)
def load_headlines() -> dict[str, str]:
    from rasid.settings import get_setting

    path = Path(get_setting("shared_data")) / "news" / "saudinewsnet" / "saudinewsnet.jsonl.gz"
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        records = (json.loads(line) for line in fh if line.strip())
        return {r["url"]: " ".join((r.get("title") or "").split()) for r in records}


def analyze_file(context: str, published: str | None = None, shape: str = "titled",
                 article: str | None = None) -> dict:
    """The document `rasid analyze FILE [--published DATE] --json` prints for a plain-text
    article file holding `context` (`shape`, `article`: `file_text`)."""
    from rasid.cli.main import main as cli_main

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "article.txt"
        path.write_text(file_text(context, shape, article), "utf-8")
        out = io.StringIO()
        argv = ["analyze", str(path), "--json", "--no-sentences"]
        with contextlib.redirect_stdout(out):
            code = cli_main(argv + (["--published", published] if published else []))
    if code != 0:
        raise RuntimeError(f"rasid analyze exited {code} on {context[:60]!r}")
    return json.loads(out.getvalue())


def layer_spans(doc: dict, layer: str) -> list[Span]:
    return [Span.from_dict(d) for d in doc["layers"].get(layer, [])]


def to_context(spans: list[Span], doc_text: str, context: str) -> list[Span]:
    """`spans` (offsets into `doc_text`, the reader's text of a file holding `context`) with
    offsets into `context`. The characters other than whitespace are paired in order: the
    document's text is the context under a title line (it ends with the context), or the
    context less what the reader dropped from its start (the context ends with it; a
    reader that made the first line a title and analysed only the rest). Spans outside the
    context (in an added title line) are left out; so is everything when neither holds."""
    doc_pos = [j for j, ch in enumerate(doc_text) if not ch.isspace()]
    ctx_pos = [i for i, ch in enumerate(context) if not ch.isspace()]
    d = "".join(doc_text[j] for j in doc_pos)
    c = "".join(context[i] for i in ctx_pos)
    if d.endswith(c):
        skip_doc, skip_ctx = len(d) - len(c), 0
    elif c.endswith(d):
        skip_doc, skip_ctx = 0, len(c) - len(d)
    else:
        return []  # the reader lost or changed text inside: every gold line of it is missed
    pos = {doc_pos[k]: ctx_pos[k - skip_doc + skip_ctx] for k in range(skip_doc, len(doc_pos))}
    kept = []
    for sp in spans:
        if sp.start in pos and sp.end - 1 in pos:
            sp.start, sp.end = pos[sp.start], pos[sp.end - 1] + 1
            kept.append(sp)
    return kept
