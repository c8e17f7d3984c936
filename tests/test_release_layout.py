"""A fresh release as an analyst meets it: through the real flow, the tables under data/ read
by folder and glob in DuckDB, pyarrow.dataset, Polars and pandas; datasets/latest resolving
to it; `sha256sum -c` accepting its SHA256SUMS. Once with one file per table, once with the
larger tables written as folders of parts."""
import json
import subprocess
from pathlib import Path

import duckdb
import pandas as pd
import polars as pl
import pyarrow.dataset as ds
import pytest

from crosswire import cli, publish
from crosswire.validate import validate_release


def _release(raw: Path, datasets: Path) -> tuple[Path, dict]:
    assert cli.main(["run", "--raw", str(raw), "--datasets", str(datasets), "--no-cache"]) == 0
    named = (datasets / "latest").read_text(encoding="utf-8")
    release = datasets / named.strip()
    assert named == release.name + "\n" and publish.newest_release(datasets) == release
    return release, json.loads((release / "manifest.json").read_text())


@pytest.mark.parametrize("parts", [False, True], ids=["files", "parts"])
def test_a_fresh_release_loads_by_folder_and_glob_everywhere(prefect_harness, raw_copy, tmp_path, monkeypatch, parts):
    if parts:  # every table of more than 3 rows becomes data/<table>/part-*.parquet
        monkeypatch.setenv("CROSSWIRE_PARTITION_ROWS", "3")
    datasets = tmp_path / "datasets"
    release, manifest = _release(raw_copy, datasets)
    assert validate_release(release) == []
    check = subprocess.run(["sha256sum", "-c", "--strict", "--quiet", "SHA256SUMS"], cwd=release,
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    # data/ holds the tables and nothing else; the metadata is beside it
    data = release / "data"
    assert all(p.suffix == ".parquet" for p in data.rglob("*") if p.is_file())
    assert not [p for p in release.iterdir() if p.is_file() and p.suffix == ".parquet"]
    assert {"manifest.json", "datapackage.json", "README.md", "SHA256SUMS"} <= {p.name for p in release.iterdir()}
    assert any("parts" in e for e in manifest["tables"].values()) == parts

    for name, entry in manifest["tables"].items():
        rows = entry["rows"]
        folder = "parts" in entry
        # DuckDB: a glob over every release, as the README shows it
        glob = f"{datasets}/v*/data/{name}/*.parquet" if folder else f"{datasets}/v*/data/{name}*.parquet"
        if not folder and name in ("events", "statements"):  # no other table's name starts so
            assert duckdb.execute(f"SELECT count(*) FROM read_parquet('{glob}')").fetchone()[0] == rows, name
        exact = f"{data}/{name}/*.parquet" if folder else f"{data}/{name}.parquet"
        assert duckdb.execute(f"SELECT count(*) FROM read_parquet('{exact}')").fetchone()[0] == rows, name
        # pyarrow.dataset over the table's file or folder
        target = release / entry["path"]
        table = ds.dataset(target, format="parquet").to_table()
        assert table.num_rows == rows and table.schema.names == [c[0] for c in entry["columns"]], name
        # Polars (lazy, by glob) and pandas (by file or folder)
        assert pl.scan_parquet(exact).select(pl.len()).collect().item() == rows, name
        assert len(pd.read_parquet(target)) == rows, name
    # statements per outlet straight from the glob, no join through articles
    statements = f"{datasets}/v*/data/statements*.parquet" if "parts" not in manifest["tables"]["statements"] \
        else f"{datasets}/v*/data/statements/*.parquet"
    per_source = dict(duckdb.execute(f"SELECT source_id, count(*) FROM read_parquet('{statements}') "
                                     "GROUP BY ALL").fetchall())
    assert set(per_source) == {"ndtv", "liga"}
    assert sum(per_source.values()) == manifest["tables"]["statements"]["rows"]
