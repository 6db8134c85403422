"""No invented names: every entity's canonical name occurs in the text of an article that
mentions it, or in rasid's knowledge tables (the alias table, the office table).

``python -m rasid.eval.canonical --db ARCHIVE`` prints one line per entity whose canonical
name is found nowhere, then ``invented <count> of <entities>``; exit code 1 when any is.
Names are compared after ``normalize_entity_name`` (hamza, alef, taa marbuta, a space
after عبد ...), as whole words, after at most a one- or two-letter clitic and the article;
compound parts may be joined (عبدالله) or written apart.
"""
from __future__ import annotations

import argparse
import re
import sys
from typing import Any

from ..entities.aliases import find_alias
from ..entities.names import normalize_entity_name
from ..entities.offices import load_offices


def is_known_name(name: str) -> bool:
    """The canonical of the alias table, or a holder of the office table."""
    norm = normalize_entity_name(name)
    entry = find_alias(name)
    if entry is not None and normalize_entity_name(entry.canonical) == norm:
        return True
    return any(normalize_entity_name(o.holder) == norm for rows in load_offices().values() for o in rows)


def normalize_words(text: str) -> str:
    """`normalize_entity_name` word by word: no compound joined to the next word."""
    return " ".join(normalize_entity_name(w) for w in text.split())


def find_invented_names(archive: Any) -> tuple[list[dict[str, Any]], int]:
    """(entities whose canonical name occurs in no article that mentions them and in no
    knowledge table, number of entities checked)."""
    entities = archive.top_entities(limit=10_000_000)
    invented = []
    texts: dict[str, str] = {}
    for e in entities:
        if is_known_name(e["canonical"]):
            continue
        # whole words, after at most a clitic and the article (وبالرياض for الرياض / رياض),
        # with compound parts joined (عبدالله) or word by word (آي بي إم: إم is not أم + next)
        names = [re.compile(r"(?:^|\s)[وفبكل]{0,2}(?:ال)?" + re.escape(form) + r"(?=\s|$)")
                 for form in {normalize_entity_name(e["canonical"]), normalize_words(e["canonical"])}]
        ids = archive.list_entity_article_ids(e["id"])
        missing = [i for i in ids if i not in texts]
        for i, text in archive.get_texts(missing).items():
            texts[i] = normalize_entity_name(text) + "\n" + normalize_words(text)
        if not any(name.search(texts.get(i, "")) for i in ids for name in names):
            invented.append(e)
    return invented, len(entities)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, help="the archive (SQLite path or postgresql:// URL)")
    args = parser.parse_args(argv)
    from ..store import open_store

    with open_store(args.db) as archive:
        invented, total = find_invented_names(archive)
    for e in invented:
        print(f"{e['id']}\t{e['type']}\t{e['canonical']}\t{e['mentions']}")
    print(f"invented {len(invented)} of {total}")
    return 1 if invented else 0


if __name__ == "__main__":
    sys.exit(main())
