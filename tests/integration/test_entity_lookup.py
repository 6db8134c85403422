"""Issue 13, item 1: an entity lookup answers with the entities whose names match, or says
"not found" (CLI exit 3, HTTP 404) with suggestions, never with a different entity."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from rasid.server import Settings, create_app
from rasid.cli.main import main
from rasid.monitor import Monitor

RESOURCES = Path(__file__).resolve().parents[1] / "resources"


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> str:
    db = str(tmp_path_factory.mktemp("lookup") / "archive.db")
    with Monitor(db) as monitor:
        monitor.ingest([str(RESOURCES / "paris-2015.txt"), str(RESOURCES / "saudinewsnet-sample.jsonl")])
    return db


def lookup(archive: str, name: str, capsys) -> tuple[int, list[dict], str]:
    code = main(["entity", "--db", archive, "--json", name])
    out = capsys.readouterr()
    return code, json.loads(out.out or "[]"), out.err


@pytest.mark.parametrize("name, canonical", [
    ("Riyadh", "الرياض"), ("الرياض", "الرياض"), ("بالرياض", "الرياض"),
    ("Russia", "روسيا"), ("Saudi Arabia", "السعودية"), ("Saudi Arabia", "المملكة العربية السعودية"), ("Hollande", "فرانسوا هولاند"),
    ("اولاند", "فرانسوا هولاند"),
])
def test_lookup_answers_with_the_entity_named(archive, capsys, name, canonical):
    code, rows, _ = lookup(archive, name, capsys)
    assert code == 0
    assert isinstance(rows, list) and canonical in {rows[0]["canonical"], *rows[0]["aliases"]}
    assert [r["mentions"] for r in rows] == sorted((r["mentions"] for r in rows), reverse=True)


def test_latin_lookup_is_not_a_consonant_skeleton_guess(archive, capsys):
    _, rows, _ = lookup(archive, "Riyadh", capsys)
    assert "روسيا" not in {r["canonical"] for r in rows}
    _, rows, _ = lookup(archive, "Saudi Arabia", capsys)
    assert all(r["type"] == "LOC" for r in rows)  # not a person named سعود


@pytest.mark.parametrize("name", ["xyzzy", "Kjhgf Xqzvw", "زقزوقستان"])
def test_unknown_name_is_not_found_with_exit_code_3(archive, capsys, name):
    code, rows, err = lookup(archive, name, capsys)
    assert code == 3 and rows == []
    assert "no entity named" in err


def test_near_miss_gets_suggestions_not_an_answer(archive, capsys):
    code, rows, err = lookup(archive, "هولانذ", capsys)  # one wrong letter
    assert code == 3 and rows == []
    assert "did you mean" in err and "فرانسوا هولاند" in err


def test_api_404_with_suggestions_and_web_page(archive):
    app = create_app(archive, Settings(token="t" * 32))
    with TestClient(app, raise_server_exceptions=False) as client:
        ok = client.get("/api/v1/entities/lookup", params={"name": "Riyadh"})
        assert ok.status_code == 200 and ok.json()["entities"][0]["canonical"] == "الرياض"
        miss = client.get("/api/v1/entities/lookup", params={"name": "هولانذ"})
        assert miss.status_code == 404
        assert "فرانسوا هولاند" in {s["canonical"] for s in miss.json()["suggestions"]}
        page = client.get("/entity", params={"name": "هولانذ"})
        assert page.status_code == 404 and "هل تقصد" in page.text and "فرانسوا هولاند" in page.text
    app.state.rasid.monitor.close()


def test_every_canonical_name_occurs_in_an_article_or_the_alias_table(archive):
    """Issue 13, item 4: a canonical name is a name written somewhere, never a join of parts."""
    from rasid.entities.aliases import find_alias
    from rasid.entities.linking import is_non_entity
    from rasid.entities.names import normalize_entity_name

    with Monitor(archive) as monitor:
        entities = monitor.top_entities(limit=10_000)
        assert len(entities) > 50
        for e in entities:
            assert not is_non_entity(e["canonical"]), e
            alias = find_alias(e["canonical"])
            if alias is not None and alias.canonical == e["canonical"]:
                continue
            profile = monitor.store.entity_profile(e["id"], limit=5)
            texts = [normalize_entity_name(monitor.get_document(a["id"]).text) for a in profile["articles"]]
            key = normalize_entity_name(e["canonical"])
            assert any(key in t for t in texts), e["canonical"]
