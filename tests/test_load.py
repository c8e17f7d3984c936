"""The light loader (crosswire.load) and `crosswire sql`, on releases written here by hand in
each layout the project has published: flat (v1.0.0, v1.1.0: `<table>.parquet` beside the
metadata), `data/<table>.parquet`, a table in hive parts (`<table>/source_id=<id>/`, v1's
partitioned tables) and a table in parts of whole rows (`data/<table>/part-00000.parquet`)."""
import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from crosswire import cli, load

ROOT = Path(__file__).resolve().parents[1]

OUTLETS = pa.table({"source_id": ["harbour-post", "lantern"], "name": ["Harbour Post", "The Lantern"]})
PIECES = pa.table({
    "article_id": ["art_1", "art_2", "art_3"],
    "source_id": ["harbour-post", "lantern", "lantern"],
    "title": ["Bridge shut for repairs", "Mayor backs bridge plan", "Tolls to rise"],
    "words": [310, 540, 120],
})


def digest(table: pa.Table) -> str:
    return hashlib.sha256(json.dumps(table.to_pylist(), sort_keys=True, default=str).encode()).hexdigest()


def make_release(datasets: Path, version: str, tables: dict[str, pa.Table], keys: dict[str, str],
                 layout: str = "flat") -> Path:
    """A release folder as `crosswire run` lays one out: the Parquet files where `layout`
    puts them, and a manifest.json saying where (what the loader must follow)."""
    folder = datasets / f"v{version}"
    folder.mkdir(parents=True)
    entries = {}
    for name, table in tables.items():
        entry = {"rows": table.num_rows, "primary_key": keys[name], "content_sha256": digest(table),
                 "columns": [[f.name, str(f.type), f.nullable] for f in table.schema]}
        if layout == "parts" and "source_id" in table.schema.names and name != "sources":
            parts = []
            for sid in sorted(set(table["source_id"].to_pylist())):
                part = table.filter(pc.equal(table["source_id"], sid)).drop_columns(["source_id"])
                rel = f"data/{name}/source_id={sid}/part-0.parquet"
                (folder / rel).parent.mkdir(parents=True)
                pq.write_table(part, folder / rel)
                parts.append({"path": rel})
            entry.update(path=f"data/{name}", parts=parts)
        elif layout == "chunks" and name != "sources":  # parts of whole rows, two rows each
            parts = []
            for i in range(0, table.num_rows, 2):
                rel = f"data/{name}/part-{i // 2:05d}.parquet"
                (folder / rel).parent.mkdir(parents=True, exist_ok=True)
                pq.write_table(table.slice(i, 2), folder / rel)
                parts.append({"path": rel})
            entry.update(path=f"data/{name}", parts=parts)
        else:
            rel = f"{name}.parquet" if layout == "flat" else f"data/{name}.parquet"
            (folder / rel).parent.mkdir(parents=True, exist_ok=True)
            pq.write_table(table, folder / rel)
            entry["path"] = rel
        entries[name] = entry
    (folder / "manifest.json").write_text(json.dumps({"version": version, "tables": entries}))
    (folder / "README.md").write_text("# a data card beside the tables\n")
    return folder


KEYS = {"sources": "source_id", "articles": "article_id"}


@pytest.fixture(params=["flat", "data", "parts", "chunks"])
def layout(request):
    return request.param


@pytest.fixture
def datasets(tmp_path, layout):
    make_release(tmp_path, "1.0.0", {"sources": OUTLETS, "articles": PIECES.slice(0, 2)}, KEYS, layout)
    make_release(tmp_path, "1.1.0", {"sources": OUTLETS, "articles": PIECES}, KEYS, layout)
    return tmp_path


def test_importing_the_loader_pulls_in_no_pipeline_and_takes_well_under_half_a_second():
    # a fresh interpreter: what a notebook pays for `import crosswire.load`
    code = ("import sys, time; t = time.perf_counter(); import crosswire.load, crosswire.diff; "
            "took = time.perf_counter() - t; import json; "
            "print(json.dumps([took, sorted(m for m in sys.modules if m.split('.')[0] in "
            "{'prefect', 'spacy', 'trafilatura', 'pandera', 'pandas', 'pyarrow', 'duckdb', 'polars'})]))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    took, heavy = json.loads(out.stdout)
    assert heavy == []
    assert took < 0.5, f"import crosswire.load took {took:.2f} s"


def test_every_reader_gives_every_table_with_its_columns_in_order(datasets, layout):
    r = load.release(datasets=datasets)
    assert r.version == "1.1.0" and r.tables == ["sources", "articles"]
    arrow = r.arrow("articles")
    assert arrow.schema.names == PIECES.schema.names          # partition column back in its place
    assert arrow.to_pylist() == PIECES.to_pylist()             # rows in the stored order
    assert r.pandas("articles")["title"].tolist() == PIECES["title"].to_pylist()
    assert r.polars("articles").columns == PIECES.schema.names
    assert r.polars("articles")["words"].sum() == 970
    rel = r.duckdb("articles")
    assert rel.columns == PIECES.schema.names
    assert rel.aggregate("sum(words)").fetchall() == [(970,)]
    got = r.sql("SELECT s.name, count(*) AS n FROM articles a JOIN sources s USING (source_id) "
                "GROUP BY ALL ORDER BY s.name").fetchall()
    assert got == [("Harbour Post", 1), ("The Lantern", 2)]
    if layout == "parts":
        assert all("source_id=" in p.as_posix() for p in r.files("articles"))
    if layout == "chunks":
        assert [p.name for p in r.files("articles")] == ["part-00000.parquet", "part-00001.parquet"]


def test_a_named_release_by_version_or_folder(datasets):
    assert load.release("v1.0.0", datasets).arrow("articles").num_rows == 2
    assert load.release("1.0.0", datasets).version == "1.0.0"
    assert load.release(datasets / "v1.0.0").version == "1.0.0"


def test_the_latest_pointer_names_the_newest_release_and_a_stale_one_is_passed_over(datasets):
    (datasets / "latest").write_text("v1.1.0\n")
    assert load.newest(datasets).name == "v1.1.0"
    (datasets / "latest").write_text("v1.0.0\n")               # stale: a newer release exists
    assert load.newest(datasets).name == "v1.1.0"
    (datasets / "v1.2.0").mkdir()                               # no manifest: not a release
    (datasets / "v1.10.0").mkdir()
    (datasets / "v1.10.0" / "manifest.json").write_text("{ not json")
    assert load.newest(datasets).name == "v1.1.0"
    assert [p.name for p in load.published(datasets)] == ["v1.0.0", "v1.1.0"]
    assert [p.name for p in load.release_dirs(datasets)] == ["v1.0.0", "v1.1.0", "v1.2.0", "v1.10.0"]


def test_the_pointer_is_read_with_or_without_its_v_and_nothing_else_counts(datasets):
    for written, read in (("v1.1.0\n", "v1.1.0"), ("1.1.0", "v1.1.0"), ("latest", None), ("", None)):
        (datasets / "latest").write_text(written)
        assert load.read_pointer(datasets) == read, written
    (datasets / "latest").write_bytes(b"\xff\xfe")
    assert load.read_pointer(datasets) is None
    (datasets / "latest").unlink()
    assert load.read_pointer(datasets) is None and load.newest(datasets).name == "v1.1.0"


def test_numbers_order_versions_not_text(tmp_path):
    for v in ("1.9.0", "1.10.0"):
        make_release(tmp_path, v, {"sources": OUTLETS}, KEYS)
    assert load.release(datasets=tmp_path).version == "1.10.0"


def test_clear_errors_for_what_is_not_there(datasets, tmp_path):
    with pytest.raises(load.ReleaseNotFound, match=r"v9\.9\.9.*releases there: v1\.0\.0, v1\.1\.0"):
        load.release("v9.9.9", datasets)
    with pytest.raises(load.ReleaseNotFound, match="no release"):
        load.release(datasets=tmp_path / "empty")
    with pytest.raises(KeyError, match="no table 'statments'.*tables: sources, articles"):
        load.release(datasets=datasets).arrow("statments")


def test_sql_command_prints_a_table_csv_or_json(datasets, capsys):
    query = "SELECT source_id, count(*) AS n FROM articles GROUP BY source_id ORDER BY source_id"
    assert cli.main(["sql", query, "--datasets", str(datasets)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split() == ["source_id", "n"] and out[2].split() == ["harbour-post", "1"]
    assert out[-1] == "(2 rows)"
    assert cli.main(["sql", query, "--datasets", str(datasets), "--release", "v1.0.0", "--format", "csv"]) == 0
    assert capsys.readouterr().out == "source_id,n\nharbour-post,1\nlantern,1\n"
    assert cli.main(["sql", query, "--datasets", str(datasets), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == [{"source_id": "harbour-post", "n": 1},
                                                   {"source_id": "lantern", "n": 2}]


def test_sql_command_says_what_is_wrong_with_a_query(datasets, capsys):
    assert cli.main(["sql", "SELEC * FROM articles", "--datasets", str(datasets)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("crosswire: the query failed on ") and "syntax error" in err.lower()
    assert cli.main(["sql", "SELECT * FROM nosuchtable", "--datasets", str(datasets)]) == 1
    assert "nosuchtable" in capsys.readouterr().err
    assert cli.main(["sql", "SELECT 1", "--datasets", str(datasets), "--release", "v7.0.0"]) == 1
    assert "v7.0.0" in capsys.readouterr().err
    for f in load.release(datasets=datasets).files("articles"):
        f.unlink()
    assert cli.main(["sql", "SELECT 1", "--datasets", str(datasets)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("crosswire: cannot open the tables of ") and "articles" in err


def test_the_committed_releases_load_by_their_manifests():
    # the published flat layout, with the denormalised view where the release has its tables
    for folder in load.published(ROOT / "datasets"):
        r = load.Release(folder)
        for name in r.tables:
            assert r.arrow(name).num_rows == r.manifest["tables"][name]["rows"]
        if "utterances" in r.tables:
            [(n,)] = r.sql("SELECT count(DISTINCT statement_id) FROM statement_view").fetchall()
            assert n == r.manifest["tables"]["statements"]["rows"]


def test_a_release_without_the_view_s_tables_has_no_view_and_says_so(datasets):
    r = load.release(datasets=datasets)          # sources and articles only
    assert r.views == []
    with pytest.raises(KeyError, match="no table 'statement_view'.*views: none"):
        r.pandas("statement_view")


def test_the_design_notes_describe_every_table_and_the_loader():
    # docs/design.md stands in a clone (the README links it): it must keep up with the tables
    from schemas import TABLES

    design = (ROOT / "docs" / "design.md").read_text(encoding="utf-8")
    assert [t for t in TABLES if f"**{t}**" not in design] == []
    assert "crosswire.load" in design and "manifest.json" in design
    assert (ROOT / "docs" / "loading.md").is_file()


def test_a_manifest_path_outside_the_release_is_refused(datasets):
    folder = datasets / "v1.1.0"
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["tables"]["sources"] = dict(manifest["tables"]["sources"], path="../v1.0.0/sources.parquet", parts=None)
    (folder / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(ValueError, match="points outside the release"):
        load.release(datasets=datasets).arrow("sources")


def test_a_release_check_sees_a_manifest_rewritten_since_it_was_asked(tmp_path):
    """release_problem keeps its answer per manifest file and stats (a run asks it of every
    release several times): a manifest replaced by a rename or edited in place is read again."""
    import os

    folder = tmp_path / "v1.0.0"
    folder.mkdir()
    manifest = folder / "manifest.json"
    good = json.dumps({"version": "1.0.0", "tables": {"sources": {}}})
    manifest.write_text(good)
    assert load.release_problem(folder) is None
    bad = good.replace('"1.0.0"', '"1.0.9"')      # the same size, edited in place
    manifest.write_text(bad)
    assert load.release_problem(folder) == "manifest.json says version '1.0.9'"
    (folder / "next.json").write_text(good)       # replaced by a rename, as publish writes it
    os.replace(folder / "next.json", manifest)
    assert load.release_problem(folder) is None
    manifest.unlink()
    assert load.release_problem(folder) == "no manifest.json (an incomplete release?)"


def test_what_is_kept_by_stats_is_made_once_per_version_of_the_file(tmp_path):
    made = []

    def size_of(path):
        made.append(path)
        return len(path.read_text())
    f = tmp_path / "manifest.json"
    f.write_text("{}")
    assert [load.kept_by_stats(f, size_of) for _ in range(3)] == [2, 2, 2]
    assert len(made) == 1
    f.write_text('{"a": 1}')
    assert load.kept_by_stats(f, size_of) == 8 and len(made) == 2
    f.unlink()
    with pytest.raises(FileNotFoundError):
        load.kept_by_stats(f, size_of)


def test_a_manifest_head_is_the_manifest_without_its_inputs_and_a_copy_per_caller(tmp_path):
    from crosswire.validate import manifest_head
    (tmp_path / "manifest.json").write_text(json.dumps({"version": "1.0.0", "tables": {"sources": {"rows": 2}},
                                                        "inputs": [{"path": "a.txt", "sha256": "0" * 64}]}))
    head = manifest_head(tmp_path)
    assert head == {"version": "1.0.0", "tables": {"sources": {"rows": 2}}}
    head["tables"]["sources"]["rows"] = 99
    assert manifest_head(tmp_path)["tables"]["sources"]["rows"] == 2


def test_a_warmed_process_publishes_without_parsing_a_manifest_again(tmp_path, monkeypatch):
    """publish.warm (a watch's start) reads each release's completeness and changelog entry
    and the newest release's head: what publishing then asks of them reads no manifest."""
    from crosswire import publish
    from crosswire.validate import manifest_head
    ds = tmp_path / "ds"
    for v in ("1.0.0", "1.1.0"):
        (ds / f"v{v}").mkdir(parents=True)
        (ds / f"v{v}" / "manifest.json").write_text(json.dumps(
            {"version": v, "created": "2026-12-04T00:00:00Z", "bump": "minor", "previous": None,
             "tables": {"sources": {"rows": 2}}, "changes": {}, "inputs": []}))
    publish.warm(ds)
    read = []
    real = Path.read_text
    monkeypatch.setattr(Path, "read_text", lambda self, *a, **k: read.append(self.name) or real(self, *a, **k))
    assert publish.latest(ds) == ds / "v1.1.0" and publish.incomplete(ds) == []
    assert manifest_head(ds / "v1.1.0")["version"] == "1.1.0"
    assert all(load.kept_by_stats(r / "manifest.json", publish._changelog_entry).startswith(f"## {r.name} ")
               for r in publish.published(ds))
    assert "manifest.json" not in read
