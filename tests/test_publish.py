"""Publishing without the orchestrator: versions, determinism, immutability, atomicity."""
import json

import pytest

from crosswire import publish
from crosswire.publish import PublishError, ValidationFailed
from crosswire.validate import validate_release
from schemas.articles import text_sha256


def source(sid="herald", name="Herald"):
    return {"source_id": sid, "name": name, "homepage": "https://h.example.org", "country": "GB",
            "language": "en", "kind": "regional"}


def article(n, text=None, sid="herald"):
    text = text or f"Body of article {n}."
    return {"article_id": f"art_{n:016x}", "source_id": sid, "raw_path": f"{sid}/a{n}.txt",
            "raw_sha256": f"{n:064x}", "url": None, "title": f"Title {n}", "standfirst": None, "summary": None,
            "authors": [], "published": None, "language": "en", "text": text, "text_sha256": text_sha256(text),
            "word_count": 4, "removed": [], "captions": [], "event_id": None,
            "cleaning_skipped": []}


def rows(*arts, sources=None):
    return {"sources": sources or [source()], "articles": list(arts)}


def pub(rows_, datasets):
    return publish.publish(rows_, datasets, inputs=[], rejected=[], code={"version": "test"})


def only(tables, keep=("sources", "articles")):
    return {k: v for k, v in tables.items() if k in keep}


@pytest.fixture(autouse=True)
def two_tables(monkeypatch):
    # These tests are about publishing, not about the later tables: publish sources and
    # articles only.
    full = dict(publish.TABLES)
    monkeypatch.setattr(publish, "TABLES", {k: full[k] for k in ("sources", "articles")})
    import crosswire.validate as v
    monkeypatch.setattr(v, "TABLES", {k: full[k] for k in ("sources", "articles")})
    import crosswire.datacard as d
    monkeypatch.setattr(d, "TABLES", full)


def test_version_bumps_follow_the_contract(tmp_path):
    path, plan = pub(rows(article(1)), tmp_path)
    assert path.name == "v1.0.0" and plan.bump == "initial"
    assert pub(rows(article(1)), tmp_path)[0] is None          # nothing changed: no release
    path, plan = pub(rows(article(1), article(2)), tmp_path)   # a new row: minor
    assert path.name == "v1.1.0" and plan.changes["articles"] == {"added": 1, "removed": 0, "changed": 0}
    path, plan = pub(rows(article(1, "Corrected body."), article(2)), tmp_path)  # a correction: patch
    assert path.name == "v1.1.1" and plan.changes["articles"] == {"added": 0, "removed": 0, "changed": 1}
    manifest = json.loads((path / "manifest.json").read_text())
    assert manifest["previous"] == "1.1.0" and manifest["tables"]["articles"]["rows"] == 2
    log = (tmp_path / "CHANGELOG.md").read_text()
    assert log.index("## v1.1.1") < log.index("## v1.1.0") < log.index("## v1.0.0")
    assert "| articles | 2 | 1 | 0 | 0 |" in log


def test_a_removed_column_is_a_major_release(tmp_path, monkeypatch):
    pub(rows(article(1)), tmp_path)
    manifest_path = tmp_path / "v1.0.0" / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    # pretend the previous release had a column this code no longer writes
    manifest["tables"]["articles"]["columns"].append(["dropped_column", "string", True])
    manifest_path.write_text(json.dumps(manifest))
    path, plan = pub(rows(article(1)), tmp_path)
    assert path.name == "v2.0.0" and plan.bump == "major"


def test_parquet_is_byte_identical_across_runs(tmp_path):
    a, _ = pub(rows(article(2), article(1)), tmp_path / "one")
    b, _ = pub(rows(article(1), article(2)), tmp_path / "two")
    for name in ("sources.parquet", "articles.parquet"):
        assert (a / name).read_bytes() == (b / name).read_bytes()


def test_an_invalid_table_is_not_published_and_earlier_releases_stay(tmp_path):
    first, _ = pub(rows(article(1)), tmp_path)
    before = {p.name: p.read_bytes() for p in first.iterdir()}
    bad = article(2)
    bad["language"] = "English"
    bad["raw_path"] = "../outside.txt"
    with pytest.raises(ValidationFailed) as e:
        pub(rows(article(1), bad), tmp_path)
    assert len(e.value.errors) == 2  # every failure reported, not the first
    assert {p.name for p in tmp_path.iterdir() if not p.name.startswith(".")} == {"v1.0.0", "CHANGELOG.md"}
    assert {p.name: p.read_bytes() for p in first.iterdir()} == before


def test_broken_keys_between_tables_fail_validation(tmp_path):
    with pytest.raises(ValidationFailed, match="articles.source_id"):
        pub(rows(article(1, sid="ghost")), tmp_path)


def test_an_existing_version_is_never_overwritten(tmp_path, monkeypatch):
    pub(rows(article(1)), tmp_path)
    monkeypatch.setattr(publish, "latest", lambda d: None)  # as if planning had missed v1.0.0
    with pytest.raises(PublishError, match="never overwritten"):
        pub(rows(article(1), article(2)), tmp_path)


def test_a_crash_while_writing_leaves_no_release_and_no_temporary_files(tmp_path, monkeypatch):
    pub(rows(article(1)), tmp_path)

    def boom(*a, **k):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(publish, "write_parquet", boom)
    with pytest.raises((OSError, PublishError), match="No space"):
        pub(rows(article(1), article(2)), tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith(".")) == ["CHANGELOG.md", "v1.0.0"]
    assert validate_release(tmp_path / "v1.0.0") == []


def test_release_files_describe_the_data(tmp_path):
    path, _ = pub(rows(article(1)), tmp_path)
    package = json.loads((path / "datapackage.json").read_text())
    res = {r["name"]: r for r in package["resources"]}
    assert res["articles"]["schema"]["primaryKey"] == ["article_id"]
    assert {"fields": ["source_id"], "reference": {"resource": "sources", "fields": ["source_id"]}} in \
        res["articles"]["schema"]["foreignKeys"]
    assert res["articles"]["hash"].startswith("sha256:")
    import pyarrow.parquet as pq
    schema = pq.read_schema(path / "articles.parquet")
    assert schema.field("text").metadata[b"description"].startswith(b"Clean body")
    assert "# crosswire v1.0.0" in (path / "README.md").read_text()


def test_a_large_table_becomes_hive_partitioned_parts(tmp_path, monkeypatch):
    import duckdb
    import pandas as pd

    monkeypatch.setenv("CROSSWIRE_PARTITION_ROWS", "2")
    data = rows(article(1), article(2), article(3, sid="wire"), sources=[source(), source("wire", "Wire")])
    one, _ = pub(data, tmp_path / "one")
    two, _ = pub(data, tmp_path / "two")
    assert (one / "articles").is_dir() and not (one / "articles.parquet").exists()
    assert (one / "sources.parquet").is_file()  # small tables stay one file
    parts = sorted(p.relative_to(one).as_posix() for p in (one / "articles").rglob("*.parquet"))
    assert parts == ["articles/source_id=herald/part-0.parquet", "articles/source_id=wire/part-0.parquet"]
    assert all((one / p).read_bytes() == (two / p).read_bytes() for p in parts)
    assert validate_release(one) == []
    got = duckdb.execute(f"SELECT source_id, count(*) FROM read_parquet('{one}/articles/*/*.parquet', "
                         "hive_partitioning=true) GROUP BY ALL ORDER BY 1").fetchall()
    assert got == [("herald", 2), ("wire", 1)]
    assert len(pd.read_parquet(one / "articles")) == 3
    # a tampered or extra part is caught
    (one / "articles" / "source_id=wire" / "part-1.parquet").write_bytes(b"x")
    assert validate_release(one) == ["articles: part articles/source_id=wire/part-1.parquet is not listed in manifest.json"]
