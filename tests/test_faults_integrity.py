"""`crosswire validate` on damaged releases: each damage is named, and the exit code is 1.

Damage that keeps the checksum right (a file rewritten and its manifest entry updated, as
a careless hand edit would) must still be caught by the schema and key checks.
"""
import hashlib
import json
import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from crosswire import cli, ingest, metadata, publish, sources

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def good_release(tmp_path_factory) -> Path:
    raw = ROOT / "raw"
    srcs, _ = sources.load_sources(raw)
    arts, _ = ingest.ingest(raw, srcs)
    by_id = {s.source_id: s for s in srcs}
    rows = {"sources": [s.row() for s in srcs],
            "articles": [metadata.build_article(a, by_id[a.source_id]) for a in arts]}
    path, _ = publish.publish(rows, tmp_path_factory.mktemp("datasets"), inputs=[], rejected=[],
                              code={"version": "test"})
    return path


@pytest.fixture
def release(good_release, tmp_path) -> Path:
    dest = tmp_path / "datasets" / good_release.name
    shutil.copytree(good_release, dest)
    return dest


def validate(path: Path, capsys) -> tuple[int, str]:
    code = cli.main(["validate", str(path)])
    return code, capsys.readouterr().out


def rewrite(release: Path, name: str, change) -> None:
    """Rewrite a table with change(rows) and re-sign it in manifest.json: only content checks can tell."""
    path = release / f"{name}.parquet"
    table = pq.read_table(path)
    new = pa.Table.from_pylist(change(table.to_pylist()), schema=table.schema)
    publish.write_parquet(new, path)
    manifest = json.loads((release / "manifest.json").read_text())
    entry = manifest["tables"][name]
    entry.update(sha256=hashlib.sha256(path.read_bytes()).hexdigest(), rows=new.num_rows, bytes=path.stat().st_size)
    (release / "manifest.json").write_text(json.dumps(manifest, indent=2))


def test_an_untouched_release_is_ok(release, capsys):
    code, out = validate(release, capsys)
    assert code == 0 and out.strip() == f"{release}: ok"


def test_a_tampered_parquet_fails_its_checksum(release, capsys):
    path = release / "articles.parquet"
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    code, out = validate(release, capsys)
    assert code == 1 and "INVALID" in out
    assert "articles: articles.parquet does not match its sha256 in manifest.json" in out


def test_a_missing_file_is_named(release, capsys):
    (release / "sources.parquet").unlink()
    code, out = validate(release, capsys)
    assert code == 1 and "sources: file sources.parquet missing" in out


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
    path = release / "sources.parquet"
    table = pq.read_table(path)
    table = table.set_column(table.schema.get_field_index("kind"), "kind",
                             pa.array([1] * table.num_rows, pa.int64()))
    publish.write_parquet(table, path)
    manifest = json.loads((release / "manifest.json").read_text())
    manifest["tables"]["sources"]["sha256"] = hashlib.sha256(path.read_bytes()).hexdigest()
    (release / "manifest.json").write_text(json.dumps(manifest))
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
    (release / "articles.parquet").write_bytes(b"PAR1 not really")
    code, out = validate(datasets, capsys)
    assert code == 1 and "articles.parquet does not match its sha256" in out
    assert f"{release.name}: datapackage.json missing" in out


def _drop_column(release: Path, table_name: str, column: str, record_in_manifest: bool) -> None:
    path = release / f"{table_name}.parquet"
    table = pq.read_table(path)
    publish.write_parquet(table.drop_columns([column]), path)
    manifest = json.loads((release / "manifest.json").read_text())
    entry = manifest["tables"][table_name]
    entry["sha256"] = hashlib.sha256(path.read_bytes()).hexdigest()
    if record_in_manifest:
        entry["columns"] = [c for c in entry["columns"] if c[0] != column]
    (release / "manifest.json").write_text(json.dumps(manifest))


def test_a_release_of_an_earlier_minor_format_still_validates(release, capsys):
    # a minor release may add columns: a release published before one existed stays valid
    _drop_column(release, "articles", "word_count", record_in_manifest=True)
    code, out = validate(release, capsys)
    assert code == 0, out


def test_a_column_removed_after_publishing_is_named(release, capsys):
    _drop_column(release, "articles", "word_count", record_in_manifest=False)
    code, out = validate(release, capsys)
    assert code == 1 and "articles: columns differ from those manifest.json records" in out
