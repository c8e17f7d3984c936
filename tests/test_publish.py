"""Publishing without the orchestrator: versions, determinism, immutability, atomicity."""
import json

import pyarrow as pa
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
    import dataclasses
    pub(rows(article(1)), tmp_path)
    # the code no longer writes a column the previous release has
    spec = publish.TABLES["articles"]
    fewer = dataclasses.replace(spec, columns=tuple(c for c in spec.columns if c.name != "dateline_agency"))
    import crosswire.datacard as d
    import crosswire.validate as v
    for module in (publish, v, d):
        monkeypatch.setattr(module, "TABLES", {**module.TABLES, "articles": fewer})
    path, plan = pub(rows(article(1)), tmp_path)
    assert path.name == "v2.0.0" and plan.bump == "major"


def test_a_release_of_the_flat_layout_before_it_is_followed_by_a_major_release(tmp_path):
    first, _ = pub(rows(article(1)), tmp_path)
    # rewrite v1.0.0 as the flat layout 1 (tables beside the metadata, no `layout`)
    manifest = json.loads((first / "manifest.json").read_text())
    for entry in manifest["tables"].values():
        flat = entry["path"].removeprefix("data/")
        (first / entry["path"]).rename(first / flat)
        entry["path"] = flat
    del manifest["layout"]
    (first / "data").rmdir()
    (first / "SHA256SUMS").unlink()
    (first / "manifest.json").write_text(json.dumps(manifest))
    import crosswire.datacard as d
    from crosswire.validate import read_table
    tables = {name: read_table(first, name, entry) for name, entry in manifest["tables"].items()}
    (first / "datapackage.json").write_text(json.dumps(d.datapackage(manifest, tables)))
    assert validate_release(first) == []  # a release of layout 1 still validates
    path, plan = pub(rows(article(1)), tmp_path)  # the same rows, the new layout: readers' paths change
    assert path.name == "v2.0.0" and plan.bump == "major" and plan.changes["articles"]["changed"] == 0
    assert publish.read_pointer(tmp_path) == "v2.0.0"


def test_parquet_is_byte_identical_across_runs(tmp_path):
    a, _ = pub(rows(article(2), article(1)), tmp_path / "one")
    b, _ = pub(rows(article(1), article(2)), tmp_path / "two")
    for name in ("data/sources.parquet", "data/articles.parquet"):
        assert (a / name).read_bytes() == (b / name).read_bytes()


def test_an_invalid_table_is_not_published_and_earlier_releases_stay(tmp_path):
    first, _ = pub(rows(article(1)), tmp_path)
    before = {p: p.read_bytes() for p in first.rglob("*") if p.is_file()}
    bad = article(2)
    bad["language"] = "English"
    bad["raw_path"] = "../outside.txt"
    with pytest.raises(ValidationFailed) as e:
        pub(rows(article(1), bad), tmp_path)
    assert len(e.value.errors) == 2  # every failure reported, not the first
    assert {p.name for p in tmp_path.iterdir() if not p.name.startswith(".")} == {"v1.0.0", "CHANGELOG.md", "latest"}
    assert {p: p.read_bytes() for p in first.rglob("*") if p.is_file()} == before


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
    visible = sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("."))
    assert visible == ["CHANGELOG.md", "latest", "v1.0.0"]
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
    schema = pq.read_schema(path / "data" / "articles.parquet")
    assert schema.field("text").metadata[b"description"].startswith(b"Clean body")
    assert "# crosswire v1.0.0" in (path / "README.md").read_text()


def test_a_large_table_becomes_a_folder_of_parts(tmp_path, monkeypatch):
    import duckdb
    import pandas as pd

    monkeypatch.setenv("CROSSWIRE_PARTITION_ROWS", "2")
    data = rows(article(1), article(2), article(3, sid="wire"), sources=[source(), source("wire", "Wire")])
    one, _ = pub(data, tmp_path / "one")
    two, _ = pub(data, tmp_path / "two")
    assert (one / "data" / "articles").is_dir() and not (one / "data" / "articles.parquet").exists()
    assert (one / "data" / "sources.parquet").is_file()  # small tables stay one file
    parts = sorted(p.relative_to(one).as_posix() for p in (one / "data" / "articles").rglob("*"))
    assert parts == ["data/articles/part-00000.parquet", "data/articles/part-00001.parquet"]
    manifest = json.loads((one / "manifest.json").read_text())
    assert [p["path"] for p in manifest["tables"]["articles"]["parts"]] == parts
    assert all((one / p).read_bytes() == (two / p).read_bytes() for p in parts)
    assert validate_release(one) == []
    # every part has every column: a plain glob reads the table, no partitioning flags
    got = duckdb.execute(f"SELECT source_id, count(*) FROM read_parquet('{one}/data/articles/part-*.parquet') "
                         "GROUP BY ALL ORDER BY 1").fetchall()
    assert got == [("herald", 2), ("wire", 1)]
    assert len(pd.read_parquet(one / "data" / "articles")) == 3
    # the table reads back whole through its manifest entry
    from crosswire.validate import read_table
    assert read_table(one, "articles").num_rows == 3
    # a tampered or extra part is caught
    (one / "data" / "articles" / "part-00002.parquet").write_bytes(b"x")
    problems = validate_release(one)
    assert "articles: part data/articles/part-00002.parquet is not listed in manifest.json" in problems


def test_tables_live_under_data_and_metadata_beside_them(tmp_path):
    import subprocess

    path, _ = pub(rows(article(1), article(2)), tmp_path)
    assert sorted(p.name for p in (path / "data").iterdir()) == ["articles.parquet", "sources.parquet"]
    assert not list(path.glob("*.parquet"))
    assert {"manifest.json", "datapackage.json", "README.md", "SHA256SUMS"} <= {p.name for p in path.iterdir()}
    manifest = json.loads((path / "manifest.json").read_text())
    assert manifest["layout"] == publish.LAYOUT
    assert {e["path"] for e in manifest["tables"].values()} == {"data/articles.parquet", "data/sources.parquet"}
    # SHA256SUMS lists every other file, in the format sha256sum -c checks
    listed = sorted(line.split("  ", 1)[1] for line in (path / "SHA256SUMS").read_text().splitlines())
    files = sorted(p.relative_to(path).as_posix() for p in path.rglob("*") if p.is_file() and p.name != "SHA256SUMS")
    assert listed == files
    check = subprocess.run(["sha256sum", "-c", "--strict", "SHA256SUMS"], cwd=path, capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr


def test_latest_names_the_newest_release_and_readers_survive_a_stale_one(tmp_path, caplog):
    pub(rows(article(1)), tmp_path)
    assert (tmp_path / "latest").read_text() == "v1.0.0\n"
    second, _ = pub(rows(article(1), article(2)), tmp_path)
    assert (tmp_path / "latest").read_text() == "v1.1.0\n"
    assert publish.newest_release(tmp_path) == second
    # stale (a crash between the rename and the pointer), missing or garbage: the newest release
    for content in ("v1.0.0\n", None, "../../etc\n", "v9.9.9\n"):
        if content is None:
            (tmp_path / "latest").unlink()
        else:
            (tmp_path / "latest").write_text(content)
        assert publish.newest_release(tmp_path) == second, content
    assert "not the newest release v1.1.0" in caplog.text
    # a run with nothing to publish puts the pointer right
    assert pub(rows(article(1), article(2)), tmp_path)[0] is None
    assert publish.read_pointer(tmp_path) == "v1.1.0"


def test_parquet_row_order_row_groups_statistics_and_page_index(tmp_path, monkeypatch):
    import pyarrow.parquet as pq
    from datetime import datetime, timezone

    monkeypatch.setenv("CROSSWIRE_ROW_GROUP_BYTES", "2000")
    arts = []
    for n in range(40):
        a = article(n, sid=("herald", "wire")[n % 2], text=f"Body number {n} " * 5)
        a["published"] = None if n % 7 == 0 else datetime(2025, 8, 1 + n % 20, tzinfo=timezone.utc)
        arts.append(a)
    path, _ = pub(rows(*arts, sources=[source(), source("wire", "Wire")]), tmp_path)
    f = pq.ParquetFile(path / "data" / "articles.parquet")
    assert f.metadata.num_row_groups > 1
    got = f.read(columns=["source_id", "published", "event_id", "article_id"]).to_pylist()
    key = [(r["source_id"], r["published"] is None, r["published"] or 0, r["article_id"]) for r in got]
    assert key == sorted(key)  # by outlet, then date (unknown dates last), then key
    schema = f.schema_arrow
    names = [schema.names[c.column_index] for c in f.metadata.row_group(0).sorting_columns]
    assert names == publish.sort_keys(publish.TABLES["articles"]) == ["source_id", "published", "event_id",
                                                                       "article_id"]
    for i in range(f.metadata.num_row_groups):
        col = f.metadata.row_group(i).column(schema.names.index("source_id"))
        assert col.statistics is not None and col.statistics.has_min_max
        assert col.has_column_index and col.has_offset_index
    manifest = json.loads((path / "manifest.json").read_text())
    assert manifest["tables"]["articles"]["sorted_by"] == names
    # the same rows in another order give the same bytes
    again, _ = pub(rows(*reversed(arts), sources=[source("wire", "Wire"), source()]), tmp_path / "again")
    assert (again / "data" / "articles.parquet").read_bytes() == (path / "data" / "articles.parquet").read_bytes()


def test_a_table_of_many_bytes_is_split_into_parts_of_equal_rows(tmp_path, monkeypatch):
    import pyarrow.parquet as pq

    monkeypatch.setenv("CROSSWIRE_PARTITION_BYTES", "3000")
    long = [article(n, text=f"Long body {n}. " * 40) for n in range(10)]
    path, _ = pub(rows(*long), tmp_path)
    manifest = json.loads((path / "manifest.json").read_text())
    parts = manifest["tables"]["articles"]["parts"]
    sizes = [pq.ParquetFile(path / p["path"]).metadata.num_rows for p in parts]
    assert len(parts) > 1 and sum(sizes) == 10 and max(sizes) - min(sizes) <= 1
    assert [p["rows"] for p in parts] == sizes
    assert "parts" not in manifest["tables"]["sources"]  # a small table stays one file
    assert validate_release(path) == []


def test_a_release_is_planned_without_hashing_the_rows_that_did_not_change(tmp_path, monkeypatch):
    from crosswire import cache, validate

    store = cache.Cache(tmp_path / "cache")
    arts = [article(n) for n in range(1, 6)]
    publish.publish(rows(*arts), tmp_path / "a", inputs=[], rejected=[], code={"version": "test"}, hash_store=store)
    hashed = []
    real = validate.row_hashes

    def counting(table, key):
        hashed.append(table.num_rows)
        return real(table, key)

    monkeypatch.setattr(publish, "row_hashes", counting)
    changed = [article(1, "Corrected body."), *arts[1:], article(6)]
    path, p = publish.publish(rows(*changed), tmp_path / "a", inputs=[], rejected=[], code={"version": "test"},
                              hash_store=store)
    assert p.changes["articles"] == {"added": 1, "removed": 0, "changed": 1}
    assert p.fresh["articles"] == {"art_0000000000000001", "art_0000000000000006"}
    assert max(hashed) == 2  # the corrected and the added row: the other four came from the store
    # the same content digest as a release planned by hashing every row (no store)
    monkeypatch.setattr(publish, "row_hashes", real)
    publish.publish(rows(*arts), tmp_path / "b", inputs=[], rejected=[], code={"version": "test"})
    other, _ = publish.publish(rows(*changed), tmp_path / "b", inputs=[], rejected=[], code={"version": "test"})
    digest = lambda r: json.loads((r / "manifest.json").read_text())["tables"]["articles"]["content_sha256"]  # noqa
    assert digest(path) == digest(other)
    assert validate_release(path) == []  # the deep check hashes every row again


def test_row_hashes_in_the_store_for_other_bytes_are_not_used(tmp_path):
    from crosswire import cache

    store = cache.Cache(tmp_path / "cache")
    path, _ = publish.publish(rows(article(1), article(2)), tmp_path, inputs=[], rejected=[],
                              code={"version": "test"}, hash_store=store)
    entry = json.loads((path / "manifest.json").read_text())["tables"]["articles"]
    table = publish.read_table(path, "articles", entry)
    key = publish._row_hashes_key(entry, "article_id")
    blobs = publish._hash_blobs(store)
    assert publish.RowHashes.from_bytes(blobs.get(key)) == publish.row_hashes(table, "article_id")
    other = publish.RowHashes.of([pa.array(["art_0000000000000001"])], bytes(32))  # not this table's rows
    blobs.put(key, other.to_bytes())
    files = publish.table_files(path, entry)
    assert publish.known_row_hashes(store, entry, "article_id", files) == publish.row_hashes(table, "article_id")


def test_the_changelog_diff_made_while_planning_is_the_one_read_from_the_two_releases(tmp_path):
    from crosswire import diff

    arts = [article(n) for n in range(1, 8)]
    pub(rows(*arts), tmp_path)
    changed = [article(1, "Corrected body."), *arts[1:5], article(9), article(10, "A new one.")]
    path, p = pub(rows(*changed), tmp_path)
    assert p.diffs is not None and p.changes["articles"] == {"added": 2, "removed": 2, "changed": 1}
    manifest = json.loads((path / "manifest.json").read_text())
    from_files = diff.changelog_details(path, manifest)
    assert "changed `art_0000000000000001`" in from_files
    assert diff.details_text(p.diffs) == from_files
    assert from_files in (tmp_path / "CHANGELOG.md").read_text()


def test_rows_are_taken_from_the_release_only_where_what_made_them_is_the_same(tmp_path):
    from crosswire import carry

    arts = [article(n) for n in range(1, 5)]
    path, _ = pub(rows(*arts), tmp_path / "ds")
    store = tmp_path / "cache"
    made_of = {a["article_id"]: carry.row_digest(f"entry {a['article_id']}", None) for a in arts}
    assert carry.kept_rows(store, path, "articles", made_of, "ctx") == (None, set())  # nothing remembered yet
    carry.remember(store, path, "articles", made_of, "ctx")
    now = dict(made_of, **{arts[0]["article_id"]: carry.row_digest("another entry", None)})
    kept, keys = carry.kept_rows(store, path, "articles", now, "ctx")
    assert keys == {a["article_id"] for a in arts[1:]}
    whole = publish.read_table(path, "articles")
    assert kept.sort_by("article_id").equals(whole.filter(pa.compute.is_in(whole["article_id"], value_set=pa.array(
        sorted(keys)))).sort_by("article_id"))
    assert carry.kept_rows(store, path, "articles", now, "other settings") == (None, set())
    assert carry.kept_rows(None, path, "articles", now, "ctx") == (None, set())  # a run without a cache
    # the next release (other file bytes) is not one the remembered digests describe
    newer, _ = pub(rows(*arts, article(9)), tmp_path / "ds")
    assert carry.kept_rows(store, newer, "articles", now, "ctx") == (None, set())


def test_row_hashes_are_stored_as_a_change_of_the_previous_release_s_a_few_levels_deep(tmp_path, monkeypatch):
    """One row added to many: the new release's row hashes are stored as the change since
    the previous release's (a small blob), read back on top of them; after DELTA_DEPTH
    changes the whole hashes are stored again. What is read back is what the files hash to."""
    from crosswire import cache

    monkeypatch.setattr(publish, "DELTA_SHARE", 2)  # a small table: a change of up to half its rows
    store = cache.Cache(tmp_path / "cache")
    arts = [article(n) for n in range(1, 21)]
    kinds = []
    for n in range(21, 21 + publish.DELTA_DEPTH + 3):
        arts = [article(1, f"Body number {n}."), *arts[1:], article(n)]  # one row changed, one added
        path, _ = publish.publish(rows(*arts), tmp_path / "ds", inputs=[], rejected=[], code={"version": "test"},
                                  hash_store=store)
        entry = json.loads((path / "manifest.json").read_text())["tables"]["articles"]
        name = publish._row_hashes_key(entry, "article_id")
        stored = pa.ipc.open_stream(publish._hash_blobs(store).get(name)).read_all()
        kinds.append(b"base" in (stored.schema.metadata or {}))
        want = publish.row_hashes(publish.read_table(path, "articles", entry), "article_id")
        assert publish._stored_hashes(publish._hash_blobs(store), name) == want
        assert publish.known_row_hashes(store, entry, "article_id", publish.table_files(path, entry)) == want
    # the first release's are whole; then changes, DELTA_DEPTH deep, then whole again
    assert kinds[:publish.DELTA_DEPTH + 1] == [False] + [True] * publish.DELTA_DEPTH
    assert kinds[publish.DELTA_DEPTH + 1] is False and kinds[publish.DELTA_DEPTH + 2] is True


def test_a_change_undone_keeps_the_stored_row_hashes_readable(tmp_path, monkeypatch):
    """An article added, then removed: the third release's table has the first one's bytes,
    so its row hashes are stored under the same name. Writing them as a change of the
    second's made the two blobs each other's base: a loop nothing reads back."""
    from crosswire import cache

    monkeypatch.setattr(publish, "DELTA_SHARE", 2)
    store = cache.Cache(tmp_path / "cache")
    arts = [article(n) for n in range(1, 21)]
    names = []
    for now in (arts, arts + [article(21)], arts):
        path, _ = publish.publish(rows(*now), tmp_path / "ds", inputs=[], rejected=[], code={"version": "test"},
                                  hash_store=store)
        entry = json.loads((path / "manifest.json").read_text())["tables"]["articles"]
        names.append(publish._row_hashes_key(entry, "article_id"))
        want = publish.row_hashes(publish.read_table(path, "articles", entry), "article_id")
        assert publish._stored_hashes(publish._hash_blobs(store), names[-1]) == want
    assert names[0] == names[2] != names[1]
    monkeypatch.setattr(publish, "files_row_hashes", lambda *a: pytest.fail("the stored hashes were not read"))
    assert publish.known_row_hashes(store, entry, "article_id", publish.table_files(path, entry)) == want
