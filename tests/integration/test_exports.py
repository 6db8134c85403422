"""`rasid export` / `rasid import` and the export endpoints over the bundled sample
(201 articles, src/rasid/sample/README.md) analysed once for the module."""
from __future__ import annotations

import csv
import io
import json
import warnings

import pytest

from rasid.cli.main import main as cli_main
from rasid.monitor import Monitor

pa = pytest.importorskip("pyarrow")
import pyarrow.parquet as pq  # noqa: E402

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from rasid.server import create_app  # noqa: E402


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> str:
    db = str(tmp_path_factory.mktemp("export") / "archive.db")
    with Monitor(db) as monitor:
        assert monitor.ingest_sample().stored == 201
    return db


def export(archive, tmp_path, *args) -> bytes:
    out = tmp_path / "out.bin"
    assert cli_main(["export", *args, "--db", archive, "-o", str(out)]) == 0
    return out.read_bytes()


def read_lines(data: bytes) -> list[dict]:
    return [json.loads(line) for line in data.decode("utf-8").splitlines()]


def without_entity_ids(layers: dict) -> dict:
    return {name: [{k: v for k, v in s.items() if k != "entity_id"} for s in spans]
            for name, spans in layers.items()}


def test_import_of_an_articles_export_reproduces_the_articles(archive, tmp_path, capsys):
    exported = read_lines(export(archive, tmp_path, "articles"))
    assert len(exported) == 201
    dump = tmp_path / "articles.jsonl"
    dump.write_text("".join(json.dumps(a, ensure_ascii=False) + "\n" for a in exported), encoding="utf-8")
    target = str(tmp_path / "copy.db")
    assert cli_main(["import", str(dump), "--db", target]) == 0
    assert "stored 201" in capsys.readouterr().out
    with Monitor(archive) as a, Monitor(target) as b:
        for doc in a.store.iter_documents():
            again = b.get_document(doc.id)
            assert again is not None
            first, second = doc.to_dict(), again.to_dict()
            for name in ("title", "text", "url", "source", "published", "author", "images"):
                assert first[name] == second[name], name
            assert without_entity_ids(first["layers"]) == without_entity_ids(second["layers"])
        # the archive steps ran: entities resolved again, stories built
        assert b.top_entities(limit=1) and b.top_entities(limit=1)[0]["canonical"]
        assert b.store.count_documents() == 201
    # importing again adds nothing
    assert cli_main(["import", str(dump), "--db", target, "--json"]) == 0
    assert json.loads(capsys.readouterr().out.splitlines()[-1])["duplicates"] == 201


def test_import_names_the_bad_line(tmp_path, capsys):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x", "text": "نص قصير عن باريس"}\n{"title": "بلا نص"}\n[1]\n', encoding="utf-8")
    assert cli_main(["import", str(bad), "--db", str(tmp_path / "t.db")]) == 1
    err = capsys.readouterr().err
    assert f"{bad}:2" in err and "'text'" in err and f"{bad}:3" in err


def test_csv_with_bom_geojson_and_parquet(archive, tmp_path):
    data = export(archive, tmp_path, "articles", "--format", "csv", "--bom")
    assert data.startswith("\ufeff".encode("utf-8"))
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert len(rows) == 201 and any("باريس" in r["title"] for r in rows)
    mentions = read_lines(export(archive, tmp_path, "mentions"))
    table = pq.read_table(io.BytesIO(export(archive, tmp_path, "mentions", "--format", "parquet")))
    assert table.num_rows == len(mentions) > 1000
    assert table.column("start").to_pylist() == [m["start"] for m in mentions]
    geo = json.loads(export(archive, tmp_path, "places", "--format", "geojson", "--country", "FR"))
    assert geo["type"] == "FeatureCollection" and geo["features"]
    for f in geo["features"]:
        lon, lat = f["geometry"]["coordinates"]
        assert -180 <= lon <= 180 and -90 <= lat <= 90
    assert any(f["properties"]["name_en"] == "Paris" for f in geo["features"])
    assert cli_main(["export", "articles", "--format", "geojson", "--db", archive]) == 2


def test_filters_of_search(archive, tmp_path):
    fr = read_lines(export(archive, tmp_path, "articles", "--country", "FR"))
    assert 0 < len(fr) < 201
    assert all(any(s.get("country") == "FR" for s in a["layers"]["places"]) for a in fr)
    found = read_lines(export(archive, tmp_path, "articles", "-q", "هولاند"))
    assert found and all("هولاند" in a["text"] or "أولاند" in a["text"] or "هولاند" in a["title"]
                         for a in found)
    hollande = read_lines(export(archive, tmp_path, "articles", "--entity", "فرانسوا أولاند"))
    assert hollande and {a["id"] for a in hollande} <= {a["id"] for a in fr} | {a["id"] for a in found}
    assert cli_main(["export", "entities", "--entity", "لا أحد بهذا الاسم", "--db", archive]) == 2
    assert cli_main(["export", "articles", "--until", "2015-02-30", "--db", archive]) == 2


def test_streaming_endpoints(archive):
    with TestClient(create_app(archive)) as client:
        r = client.get("/api/v1/export/places", params={"format": "geojson", "country": "FR"})
        assert r.status_code == 200 and r.headers["content-type"].startswith("application/geo+json")
        assert json.loads(r.text)["features"]
        r = client.get("/api/v1/export/entities", params={"format": "parquet"})
        assert r.status_code == 200
        entities = pq.read_table(io.BytesIO(r.content))
        assert entities.num_rows > 100 and "aliases" in entities.column_names
        r = client.get("/api/v1/export/articles", params={"format": "csv", "bom": True, "q": "باريس"})
        assert r.status_code == 200 and r.content.startswith("\ufeff".encode("utf-8"))
        r = client.get("/api/v1/export/articles", params={"entity": "لا أحد بهذا الاسم"})
        assert r.status_code == 400 and "لا أحد" in r.text
        r = client.get("/api/v1/export/stories", params={"format": "geojson"})
        assert r.status_code == 400
