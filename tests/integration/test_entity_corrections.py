"""Shown and correctable (issue 13 item 7): the entity page's names with counts, days and
why each was linked; merge and split through Monitor, the CLI and the API; the decision
holds for articles analysed later."""
from __future__ import annotations

import json
import warnings

import pytest

from rasid.cli.main import main
from rasid.doc import Document, Span
from rasid.entities.archive import resolve_article_entities
from rasid.monitor import Monitor
from rasid.server import Settings, create_app
from rasid.stages.resolve import ResolveStage
from rasid.stages.tokenize import TokenizeStage

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

TOKEN = "corrections-token"
ARTICLES = [  # (day, text, PER names)
    ("2015-07-01", "وقال الرئيس الفلسطيني الراحل ياسر عرفات في خطاب قديم إن السلام خيار الشجعان.", ["ياسر عرفات"]),
    ("2015-07-02", "وأحيا الفلسطينيون في رام الله ذكرى رحيل أبو عمار بمسيرة حاشدة.", ["أبو عمار"]),
    ("2015-07-03", "وقال الرئيس السوري بشار الأسد في كلمة متلفزة إن الحرب مستمرة.", ["بشار الأسد"]),
    # the father, named by the family name in an article about the son: linked to the son
    ("2015-07-04", "وتحدث بشار الأسد عن والده، وكان الأسد قد حكم البلاد ثلاثين عاما.", ["بشار الأسد", "الأسد"]),
]


def make_article(n: int, day: str, text: str, names: list[str]) -> Document:
    doc = Document(text=text, id=f"corr-{n}", published=f"{day}T09:00:00", title=text[:30],
                   url=f"https://example.org/corr-{n}")
    TokenizeStage()(doc)
    for name in names:
        start = text.index(name)
        doc.add_span("entities", Span(start, start + len(name), "PER", {}))
    ResolveStage()(doc)
    return doc


def add_articles(monitor: Monitor, rows: list[tuple], first: int = 0) -> list[Document]:
    docs = [make_article(first + i, *row) for i, row in enumerate(rows)]
    monitor.store.add_documents(docs)
    for doc in docs:
        resolve_article_entities(monitor.store, doc)
    return docs


def entity_of(doc: Document, name: str) -> int:
    (span,) = [s for s in doc.layers["entities"] if doc.text[s.start:s.end] == name]
    return span.attrs["entity_id"]


@pytest.fixture
def archive(tmp_path) -> str:
    db = str(tmp_path / "archive.db")
    with Monitor(db) as monitor:
        add_articles(monitor, ARTICLES)
    return db


def test_entity_page_lists_names_days_reasons_and_roles(archive):
    with Monitor(archive) as monitor:
        (assad,) = monitor.entity_profiles("بشار الأسد")
    names = {s["text"]: s for s in assad["spellings"]}
    assert names["الأسد"]["mentions"] == 1 and names["الأسد"]["first_seen"] == "2015-07-04"
    assert names["بشار الأسد"]["first_seen"] == "2015-07-03" and names["بشار الأسد"]["last_seen"] == "2015-07-04"
    assert names["الأسد"]["why"] and names["الأسد"]["why_ar"]
    assert [r["text"] for r in assad["roles"]] == ["الرئيس السوري"]


def test_merge_then_later_articles_follow_the_decision(archive):
    with Monitor(archive) as monitor:
        arafat = monitor.find_entity_id("ياسر عرفات")
        kunya = monitor.find_entity_id("أبو عمار")
        assert arafat != kunya  # a kunya is not a spelling: the resolver keeps them apart
        profile = monitor.merge_entities(arafat, "أبو عمار")
        assert profile["id"] == arafat and profile["mentions"] == 2
        names = {s["text"]: s for s in profile["spellings"]}
        assert names["أبو عمار"]["reason"] == "user-merge:أبو عمار"
        assert "merged by a user" in names["أبو عمار"]["why"]
        with pytest.raises(ValueError, match="no entity"):
            monitor.find_entity_id(kunya)
        (later,) = add_articles(monitor, [("2015-08-01", "وتحدث الكاتب عن أبو عمار ومسيرته.", ["أبو عمار"])], 10)
        assert entity_of(later, "أبو عمار") == arafat
        assert [p["id"] for p in monitor.entity_profiles("أبو عمار")] == [arafat]


def test_split_then_later_articles_follow_the_decision(archive):
    with Monitor(archive) as monitor:
        (assad,) = monitor.entity_profiles("بشار الأسد")
        names = {s["text"]: s for s in assad["spellings"]}
        assert names["الأسد"]["reason"] == "same-article:بشار الأسد"  # the wrong link
        with pytest.raises(ValueError, match="has no name"):
            monitor.split_entity(assad["id"], "حافظ")
        new = monitor.split_entity(assad["id"], "الأسد")
        assert new["id"] != assad["id"] and new["canonical"] == "الأسد" and new["mentions"] == 1
        assert new["spellings"][0]["reason"] == "user-split:بشار الأسد"
        kept = monitor.entity_profile(assad["id"])
        assert {s["text"] for s in kept["spellings"]} == {"بشار الأسد"} and kept["mentions"] == 2
        assert [p["id"] for p in monitor.entity_profiles("الأسد")] == [new["id"]]
        # later articles: the name goes to the split entity, even where the same article
        # names the son in full; the full name stays with the son
        docs = add_articles(monitor, [
            ("2015-08-02", "وقال الأسد إن المعارضة لن تنتصر.", ["الأسد"]),
            ("2015-08-03", "وقال بشار الأسد إن الأسد الأب بنى الجيش.", ["بشار الأسد", "الأسد"])], 20)
        assert entity_of(docs[0], "الأسد") == new["id"]
        assert entity_of(docs[1], "بشار الأسد") == assad["id"]
        assert entity_of(docs[1], "الأسد") == new["id"]
        # merged back (the later decision wins), then split again: a fresh entity
        monitor.merge_entities(assad["id"], new["id"])
        (later,) = add_articles(monitor, [("2015-08-04", "وقال الأسد إن", ["الأسد"])], 30)
        assert entity_of(later, "الأسد") == assad["id"]
        again = monitor.split_entity(assad["id"], "الأسد")
        assert again["id"] != assad["id"] and again["mentions"] == 4


def test_cli_merge_and_split(archive, capsys):
    assert main(["entity", "--db", archive, "merge", "ياسر عرفات", "أبو عمار"]) == 0
    assert "merged into ياسر عرفات" in capsys.readouterr().out
    assert main(["entity", "--db", archive, "--json", "ياسر عرفات"]) == 0
    (profile,) = json.loads(capsys.readouterr().out)
    assert {"ياسر عرفات", "أبو عمار"} <= {s["text"] for s in profile["spellings"]}
    assert main(["entity", "--db", archive, "split", str(profile["id"]), "أبو عمار"]) == 0
    assert "split off as أبو عمار" in capsys.readouterr().out
    assert main(["entity", "--db", archive, "split", "999999", "أبو عمار"]) == 3
    assert "no entity with id 999999" in capsys.readouterr().err
    assert main(["entity", "--db", archive, "merge", "ياسر عرفات"]) == 2
    assert main(["entity", "--db", archive, "بشار الأسد"]) == 0
    out = capsys.readouterr().out
    assert "roles: الرئيس السوري" in out and "الأسد  1x  2015-07-04..2015-07-04" in out


def test_api_merge_and_split_need_the_token(archive):
    app = create_app(archive, Settings(token=TOKEN))
    auth = {"Authorization": f"Bearer {TOKEN}"}
    with TestClient(app, raise_server_exceptions=False) as c:
        assert c.post("/api/v1/entities/merge", json={"keep": "ياسر عرفات", "drop": "أبو عمار"}).status_code == 401
        r = c.post("/api/v1/entities/merge", json={"keep": "ياسر عرفات", "drop": "أبو عمار"}, headers=auth)
        assert r.status_code == 200 and r.json()["canonical"] == "ياسر عرفات"
        eid = r.json()["id"]
        assert c.post("/api/v1/entities/merge", json={"keep": str(eid), "drop": str(eid)},
                      headers=auth).status_code == 400
        r = c.post(f"/api/v1/entities/{eid}/split", json={"alias": "أبو عمار"}, headers=auth)
        assert r.status_code == 200 and r.json()["canonical"] == "أبو عمار"
        assert c.post("/api/v1/entities/999999/split", json={"alias": "x"}, headers=auth).status_code == 404
        page = c.get("/entity", params={"id": eid})
        assert page.status_code == 200 and "سبب الربط" in page.text and 'class="entity-correct"' in page.text
        lookup = c.get("/api/v1/entities/lookup", params={"name": "بشار الأسد"}).json()
        assert lookup["entities"][0]["roles"][0]["text"] == "الرئيس السوري"
    app.state.rasid.monitor.close()
