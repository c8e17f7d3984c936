"""`crosswire validate` on damaged releases: each damage is named, and the exit code is 1.

Damage that keeps the checksums right (a file rewritten and its manifest entry, the data
package and SHA256SUMS updated, as a careful hand edit would) must still be caught by the
checks of the manifest's fields against the tables, the schemas and the keys. A tampered
newest release never yields a spurious next version, and a folder that only looks like a
release never blocks a run.
"""
import hashlib
import json
import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from crosswire import cli, datacard, ingest, metadata, publish, sources
from crosswire.validate import fingerprint, read_table, validate_release

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def good_release(tmp_path_factory) -> Path:
    raw = ROOT / "raw"
    srcs, _ = sources.load_sources(raw)
    arts, _ = ingest.ingest(raw, srcs)
    by_id = {s.source_id: s for s in srcs}
    rows = {"sources": [s.row() for s in srcs],
            "articles": [metadata.build_article(a, by_id[a.source_id]) for a in arts]}
    inputs = ingest.input_files(raw, srcs, {a["raw_path"]: a["raw_sha256"] for a in rows["articles"]})
    path, _ = publish.publish(rows, tmp_path_factory.mktemp("datasets"), inputs=inputs, rejected=[],
                              code={"version": "test", "stages": {"clean": "clean-1"}})
    return path


@pytest.fixture
def release(good_release, tmp_path) -> Path:
    dest = tmp_path / "datasets" / good_release.name
    shutil.copytree(good_release, dest)
    (dest.parent / "latest").write_text(dest.name + "\n")
    return dest


def validate(path: Path, capsys) -> tuple[int, str]:
    code = cli.main(["validate", str(path)])
    return code, capsys.readouterr().out


def table_path(release: Path, name: str) -> Path:
    return release / json.loads((release / "manifest.json").read_text())["tables"][name]["path"]


def sorted_by(release: Path, name: str) -> list[str]:
    return json.loads((release / "manifest.json").read_text())["tables"][name]["sorted_by"]


def edit_manifest(release: Path, change) -> None:
    """change(manifest) in place, then re-sign: SHA256SUMS updated as a forger would."""
    manifest = json.loads((release / "manifest.json").read_text())
    change(manifest)
    (release / "manifest.json").write_text(json.dumps(manifest, indent=2))
    publish.write_sums(release)


def resign(release: Path, name: str) -> None:
    """After a table file changed: its manifest entry, the data package and SHA256SUMS follow."""
    path = table_path(release, name)
    manifest = json.loads((release / "manifest.json").read_text())
    entry = manifest["tables"][name]
    table = pq.read_table(path)
    entry.update(sha256=hashlib.sha256(path.read_bytes()).hexdigest(), rows=table.num_rows,
                 bytes=path.stat().st_size, columns=[[f.name, str(f.type), f.nullable] for f in table.schema],
                 content_sha256=publish.content_digest(table, entry["primary_key"]))
    entry["schema_fingerprint"] = fingerprint(entry["columns"])
    if manifest["bump"] == "initial":
        manifest["changes"][name]["added"] = table.num_rows
    (release / "manifest.json").write_text(json.dumps(manifest, indent=2))
    tables = {n: read_table(release, n, e) for n, e in manifest["tables"].items()}
    package = datacard.datapackage(manifest, tables)
    for resource in package["resources"]:  # as the card of the table's own format listed them
        names = tables[resource["name"]].schema.names
        resource["schema"]["fields"] = [f for f in resource["schema"]["fields"] if f["name"] in names]
    (release / "datapackage.json").write_text(json.dumps(package, indent=2))
    publish.write_sums(release)


def rewrite(release: Path, name: str, change) -> None:
    """Rewrite a table with change(rows) and re-sign everything: only content checks can tell."""
    path = table_path(release, name)
    table = pq.read_table(path)
    new = pa.Table.from_pylist(change(table.to_pylist()), schema=table.schema)
    publish.write_parquet(new, path, sorted_by(release, name))
    resign(release, name)


def test_an_untouched_release_is_ok(release, capsys):
    code, out = validate(release, capsys)
    assert code == 0 and out.strip() == f"{release}: ok"


def test_a_tampered_parquet_fails_its_checksum(release, capsys):
    path = release / "data" / "articles.parquet"
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    code, out = validate(release, capsys)
    assert code == 1 and "INVALID" in out
    assert "articles: data/articles.parquet does not match its sha256 in manifest.json" in out
    assert "data/articles.parquet does not match its sha256 in SHA256SUMS" in out


def test_a_missing_file_is_named(release, capsys):
    (release / "data" / "sources.parquet").unlink()
    code, out = validate(release, capsys)
    assert code == 1 and "sources: file data/sources.parquet missing" in out


def test_a_missing_or_broken_manifest_is_named(release, capsys):
    (release / "manifest.json").write_text("{")
    code, out = validate(release, capsys)
    assert code == 1 and "manifest.json is not valid JSON" in out
    (release / "manifest.json").unlink()
    code, out = validate(release, capsys)
    assert code == 1 and "manifest.json missing" in out


def test_a_schema_violation_is_named(release, capsys):
    rewrite(release, "sources", lambda rows: [{**r, "country": "Ukraine"} if r["source_id"] == "liga" else r
                                              for r in rows])
    code, out = validate(release, capsys)
    assert code == 1 and "sources.country: 1 row(s) fail str_matches" in out and "'Ukraine'" in out


def test_a_wrong_column_type_is_named(release, capsys):
    path = table_path(release, "sources")
    table = pq.read_table(path)
    table = table.set_column(table.schema.get_field_index("kind"), "kind",
                             pa.array([1] * table.num_rows, pa.int64()))
    publish.write_parquet(table, path, sorted_by(release, "sources"))
    resign(release, "sources")
    code, out = validate(release, capsys)
    assert code == 1 and "sources.kind: type int64, expected string" in out


def test_a_broken_key_between_tables_is_named(release, capsys):
    rewrite(release, "sources", lambda rows: [r for r in rows if r["source_id"] != "ndtv"])
    code, out = validate(release, capsys)
    assert code == 1 and "articles.source_id: 1 value(s) not in sources.source_id, e.g. ndtv" in out


def test_a_manifest_cannot_point_validate_outside_the_release(release, capsys):
    manifest = json.loads((release / "manifest.json").read_text())
    manifest["tables"]["sources"]["path"] = "../../../../../../etc/passwd"
    manifest["tables"]["../../escape"] = {"path": "x.parquet", "sha256": "0"}
    (release / "manifest.json").write_text(json.dumps(manifest))
    code, out = validate(release, capsys)
    assert code == 1 and "points outside the release" in out
    assert "../../escape: listed in manifest.json but not a table" in out


def test_validate_over_a_datasets_dir_checks_every_release_and_ignores_temporaries(release, capsys):
    datasets = release.parent
    (datasets / ".tmp-v1.1.0-deadbeef").mkdir()  # a killed run's leftovers are not a release
    code, out = validate(datasets, capsys)
    assert code == 0 and out.strip() == f"{release}: ok"
    (release / "datapackage.json").unlink()
    (release / "data" / "articles.parquet").write_bytes(b"PAR1 not really")
    code, out = validate(datasets, capsys)
    assert code == 1 and "articles.parquet does not match its sha256" in out
    assert f"{release.name}: datapackage.json missing" in out


def _drop_column(release: Path, table_name: str, column: str, record_in_manifest: bool) -> None:
    path = table_path(release, table_name)
    table = pq.read_table(path)
    publish.write_parquet(table.drop_columns([column]), path, sorted_by(release, table_name))
    manifest = json.loads((release / "manifest.json").read_text())
    if record_in_manifest:  # an earlier minor format, signed as it was published
        resign(release, table_name)
        return
    manifest["tables"][table_name]["sha256"] = hashlib.sha256(path.read_bytes()).hexdigest()
    manifest["tables"][table_name]["bytes"] = path.stat().st_size
    (release / "manifest.json").write_text(json.dumps(manifest))
    publish.write_sums(release)


def test_a_release_of_an_earlier_minor_format_still_validates(release, capsys):
    # a minor release may add columns: a release published before one existed stays valid
    _drop_column(release, "articles", "word_count", record_in_manifest=True)
    code, out = validate(release, capsys)
    assert code == 0, out


def test_a_column_removed_after_publishing_is_named(release, capsys):
    _drop_column(release, "articles", "word_count", record_in_manifest=False)
    code, out = validate(release, capsys)
    assert code == 1 and "articles: columns differ from those manifest.json records" in out


# ---- every manifest field, checked against the tables (SHA256SUMS re-signed each time) -----

def _set(path: str, value):
    def change(m):
        *where, last = path.split(".")
        target = m
        for k in where:
            target = target[k]
        target[last] = value(target[last]) if callable(value) else value
    return change


def _retype(columns):
    return [[c[0], "large_string" if c[0] == "name" else c[1], c[2]] for c in columns]


MANIFEST_EDITS = {
    "column type": (_set("tables.sources.columns", _retype),
                    "sources: column types or nullability differ from those manifest.json records"),
    "column dropped": (_set("tables.sources.columns", lambda cols: cols[:-1]),
                       "sources: columns differ from those manifest.json records"),
    "rows": (_set("tables.articles.rows", lambda n: n + 1), "articles: 2 rows, manifest.json says 3"),
    "bytes": (_set("tables.articles.bytes", lambda n: n - 1), "bytes on disk, manifest.json says"),
    "content_sha256": (_set("tables.articles.content_sha256", "0" * 64),
                       "articles: content_sha256 in manifest.json does not match the rows"),
    "schema_fingerprint": (_set("tables.sources.schema_fingerprint", "0123456789abcdef"),
                           "sources: schema_fingerprint in manifest.json does not match the table's columns"),
    "primary_key": (_set("tables.sources.primary_key", "name"), "sources: manifest.json primary_key 'name'"),
    "path moved out of data/": (_set("tables.sources.path", "sources.parquet"), "is not under data/"),
    "input digest": (_set("inputs", lambda items: [{**i, "sha256": "f" * 64} if i["path"].endswith(".txt") else i
                                                   for i in items]),
                     "raw_sha256 differ from manifest.json inputs"),
    "input dropped": (_set("inputs", lambda items: [i for i in items if not i["path"].endswith(".txt")]),
                      "raw file(s) not among manifest.json inputs"),
    "code": (_set("code", "crosswire"), "manifest.json code is not"),
    "code stages": (_set("code.stages", {"clean": 3}), "manifest.json code is not"),
    "version": (_set("version", "1.0.1"), "manifest says version 1.0.1"),
    "bump": (_set("bump", "major"), "manifest.json previous None is not MAJOR.MINOR.PATCH"),
    "previous": (_set("previous", "0.9.0"), "manifest.json says initial but version 1.0.0"),
    "created": (_set("created", "yesterday"), "manifest.json created 'yesterday' is not an ISO 8601 time"),
    "layout": (_set("layout", 7), "manifest.json layout 7 is unknown"),
    "changes": (_set("changes.articles.added", 5), "articles: manifest.json changes of an initial release"),
    "rejected": (_set("rejected", [{"path": "x.txt"}]), "manifest.json rejected is not a list of {path, reason}"),
    "sorted_by": (_set("tables.articles.sorted_by", ["article_id"]),
                  "articles: data/articles.parquet records sorting_columns"),
    "name": (_set("name", "other"), "manifest.json name 'other' is not 'crosswire'"),
}


@pytest.mark.parametrize("edit", MANIFEST_EDITS, ids=list(MANIFEST_EDITS))
def test_every_manifest_field_is_checked_against_the_tables(release, capsys, edit):
    change, message = MANIFEST_EDITS[edit]
    edit_manifest(release, change)
    code, out = validate(release, capsys)
    assert code == 1 and message in out, out


def test_rows_out_of_the_recorded_order_are_named(release, capsys):
    rewrite(release, "articles", lambda rows: sorted(rows, key=lambda r: r["source_id"], reverse=True))
    code, out = validate(release, capsys)
    assert code == 1 and "articles: rows are not in the order manifest.json sorted_by" in out


def test_a_data_package_that_disagrees_with_the_manifest_is_named(release, capsys):
    (release / "datapackage.json").write_text("{}")
    publish.write_sums(release)
    code, out = validate(release, capsys)
    assert code == 1 and "datapackage.json has no resources" in out
    # derived metadata, not data: the next run still plans against the tables (nothing changed)
    inputs = json.loads((release / "manifest.json").read_text())["inputs"]
    assert publish.publish(_rows_of(release), release.parent, inputs=inputs, rejected=[],
                           code={"version": "test"})[0] is None
    package = datacard.datapackage(json.loads((release / "manifest.json").read_text()),
                                   {n: read_table(release, n) for n in ("sources", "articles")})
    package["resources"][0]["hash"] = "sha256:" + "0" * 64
    package["resources"][1]["schema"]["fields"] = package["resources"][1]["schema"]["fields"][1:]
    (release / "datapackage.json").write_text(json.dumps(package))
    publish.write_sums(release)
    code, out = validate(release, capsys)
    assert code == 1 and "datapackage.json sources.hash does not match" in out
    assert "datapackage.json articles fields are not the table's columns" in out


def test_sha256sums_covers_every_file_and_sha256sum_accepts_it(release, capsys):
    import subprocess
    assert subprocess.run(["sha256sum", "-c", "--strict", "--quiet", "SHA256SUMS"], cwd=release).returncode == 0
    (release / "README.md").write_text("# edited card\n")  # not in the manifest: only SHA256SUMS knows
    (release / "notes.txt").write_text("added later\n")
    code, out = validate(release, capsys)
    assert code == 1 and "README.md does not match its sha256 in SHA256SUMS" in out
    assert "notes.txt is not listed in SHA256SUMS" in out
    (release / "SHA256SUMS").unlink()
    code, out = validate(release, capsys)
    assert code == 1 and "SHA256SUMS missing" in out


def test_a_stray_file_among_the_tables_is_named(release, capsys):
    (release / "data" / "extra.parquet").write_bytes((release / "data" / "sources.parquet").read_bytes())
    publish.write_sums(release)
    code, out = validate(release, capsys)
    assert code == 1 and "data/extra.parquet is not a table listed in manifest.json" in out


# ---- planning the next release on top of a damaged or half-made one --------------------------

def _rows_of(release: Path) -> dict:
    return {n: read_table(release, n).to_pylist() for n in ("sources", "articles")}


def test_a_tampered_manifest_never_yields_a_spurious_next_version(release):
    datasets = release.parent
    rows = _rows_of(release)
    inputs = json.loads((release / "manifest.json").read_text())["inputs"]
    # an edited manifest that would read as a removed column (a major release) ...
    edit_manifest(release, _set("tables.sources.columns", lambda cols: cols + [["gone", "string", True]]))
    with pytest.raises(publish.PublishError, match="does not match its manifest.*columns differ"):
        publish.publish(rows, datasets, inputs=inputs, rejected=[], code={"version": "test"})
    assert sorted(p.name for p in datasets.iterdir() if p.name.startswith("v")) == ["v1.0.0"]
    # ... or as unchanged content while the rows did change
    edit_manifest(release, _set("tables.sources.columns", lambda cols: cols[:-1]))
    assert publish.publish(rows, datasets, inputs=inputs, rejected=[], code={"version": "test"})[0] is None
    changed = {**rows, "sources": [{**s, "name": s["name"] + " (edited)"} for s in rows["sources"]]}
    content = json.loads((release / "manifest.json").read_text())["tables"]["sources"]["content_sha256"]
    path, plan = publish.publish(changed, datasets, inputs=inputs, rejected=[], code={"version": "test"})
    assert path.name == "v1.0.1" and plan.changes["sources"]["changed"] == 2 and content


@pytest.mark.parametrize("leftover", ["empty", "no manifest", "broken manifest", "other version"])
def test_an_incomplete_release_folder_is_ignored_and_never_blocks_a_run(release, capsys, caplog, leftover):
    datasets = release.parent
    rows = _rows_of(release)
    inputs = json.loads((release / "manifest.json").read_text())["inputs"]
    junk = datasets / "v9.9.9"
    junk.mkdir()
    if leftover == "no manifest":
        (junk / "data").mkdir()
        (junk / "data" / "articles.parquet").write_bytes(b"PAR1")
    elif leftover == "broken manifest":
        (junk / "manifest.json").write_text('{"version": "9.9.9", "tab')
    elif leftover == "other version":
        shutil.copytree(release, junk, dirs_exist_ok=True)
    assert publish.published(datasets) == [release] and publish.latest(datasets) == release
    changed = {**rows, "articles": rows["articles"][:1]}
    path, plan = publish.publish(changed, datasets, inputs=inputs, rejected=[], code={"version": "test"})
    assert path.name == "v1.0.1" and plan.previous == "1.0.0" and plan.ignored
    assert "v9.9.9 is not a release" in caplog.text
    assert publish.read_pointer(datasets) == "v1.0.1" and junk.is_dir()  # left where it was
    code, out = validate(datasets, capsys)
    assert code == 0 and f"{junk}: ignored, not a release" in out


def test_an_incomplete_folder_in_the_way_of_the_next_version_is_moved_aside(release):
    datasets = release.parent
    rows = _rows_of(release)
    inputs = json.loads((release / "manifest.json").read_text())["inputs"]
    (datasets / "v1.0.1").mkdir()
    (datasets / "v1.0.1" / "half.parquet").write_bytes(b"PAR1")
    changed = {**rows, "articles": rows["articles"][:1]}
    path, _ = publish.publish(changed, datasets, inputs=inputs, rejected=[], code={"version": "test"})
    assert path == datasets / "v1.0.1" and validate_release(path) == []
    (aside,) = [p for p in datasets.iterdir() if p.name.startswith(".incomplete-v1.0.1-")]
    assert (aside / "half.parquet").read_bytes() == b"PAR1"


def test_validate_follows_datasets_latest_and_reports_a_stale_one(release, capsys):
    datasets = release.parent
    (datasets / "latest").write_text("v1.0.0\n")
    code, out = validate(datasets / "latest", capsys)
    assert code == 0 and out.strip() == f"{release}: ok"
    (datasets / "latest").write_text("v0.0.1\n")
    code, out = validate(datasets, capsys)
    assert code == 0 and "names v0.0.1, the newest release is v1.0.0" in out
