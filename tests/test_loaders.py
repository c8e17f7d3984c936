"""Every loader the README names reads every table of a fresh release, by folder and by glob,
with the row count its manifest states (issue 12's target): DuckDB, pandas, Polars, a
PyArrow dataset, Hugging Face `datasets` (by data files and by the card's config name) and
Spark. The release is made by the real flow on two small corpora of our own writing (a
ferry strike told by three outlets, an agency story and its copies), once with one file per
table and once with tables written as folders of parts.

Spark needs Java and pyspark, neither in the test extra (pyspark is several hundred MB):
its test is skipped, saying which is missing, where they are not installed. Install pyspark in
a venv of its own if you can: where it is installed, pandera imports it, and every
`crosswire run` pays for that import."""
import json
import shutil
from pathlib import Path

import duckdb
import pandas as pd
import polars as pl
import pyarrow.dataset as ds
import pytest

from crosswire import cli, publish

CORPORA = Path(__file__).parent / "corpora"


@pytest.fixture(scope="module", params=["files", "parts"])
def fresh(request, prefect_harness, tmp_path_factory):
    """(release, datasets, manifest) of one run of the flow over the ferry and wire corpora."""
    root = tmp_path_factory.mktemp(f"loaders-{request.param}")
    raw = root / "raw"
    for corpus in ("ferry", "wire"):
        for source in (CORPORA / corpus).iterdir():
            if source.is_dir():
                shutil.copytree(source, raw / source.name)
    patch = pytest.MonkeyPatch()
    if request.param == "parts":  # every table of more than 3 rows becomes data/<table>/part-*.parquet
        patch.setenv("CROSSWIRE_PARTITION_ROWS", "3")
    try:
        assert cli.main(["run", "--raw", str(raw), "--datasets", str(root / "datasets"), "--no-cache"]) == 0
    finally:
        patch.undo()
    release = publish.latest(root / "datasets")
    manifest = json.loads((release / "manifest.json").read_text(encoding="utf-8"))
    assert any("parts" in e for e in manifest["tables"].values()) == (request.param == "parts")
    return release, root / "datasets", manifest


def tables(manifest: dict) -> dict[str, dict]:
    """The release's non-empty tables (a loader cannot be asked for the rows of an empty one)."""
    return {name: entry for name, entry in manifest["tables"].items() if entry["rows"]}


def table_glob(root: Path, name: str, entry: dict) -> str:
    """The glob that takes one table under `root` (a release or `<datasets>/v*`): the README's
    `data/<table>*.parquet`, or `data/<table>/*.parquet` for a table written in parts."""
    return f"{root}/data/{name}/*.parquet" if "parts" in entry else f"{root}/data/{name}*.parquet"


# ---- one small function per way of reading a table: -> its number of rows ----------------

def duckdb_release_glob(release, datasets, name, entry):
    return duckdb.execute(f"SELECT count(*) FROM read_parquet('{table_glob(release, name, entry)}')").fetchone()[0]


def duckdb_every_version_glob(release, datasets, name, entry):
    # the README's read_parquet('datasets/v*/data/<table>*.parquet'): one release here
    return duckdb.execute(f"SELECT count(*) FROM read_parquet('{table_glob(datasets / 'v*', name, entry)}')"
                          ).fetchone()[0]


def pandas_file_or_folder(release, datasets, name, entry):
    return len(pd.read_parquet(release / entry["path"]))


def polars_scan_glob(release, datasets, name, entry):
    return pl.scan_parquet(table_glob(release, name, entry)).select(pl.len()).collect().item()


def pyarrow_dataset(release, datasets, name, entry):
    table = ds.dataset(release / entry["path"], format="parquet").to_table()
    assert table.schema.names == [c[0] for c in entry["columns"]], name
    return table.num_rows


LOADERS = {"duckdb-release-glob": duckdb_release_glob, "duckdb-v*-glob": duckdb_every_version_glob,
           "pandas": pandas_file_or_folder, "polars-scan-glob": polars_scan_glob, "pyarrow-dataset": pyarrow_dataset}


@pytest.mark.parametrize("loader", LOADERS)
def test_every_loader_reads_every_table_with_its_manifest_rows(fresh, loader):
    release, datasets, manifest = fresh
    read = LOADERS[loader]
    found = {name: read(release, datasets, name, entry) for name, entry in tables(manifest).items()}
    assert found == {name: entry["rows"] for name, entry in tables(manifest).items()}


def test_the_corpora_fill_the_cross_source_tables(fresh):
    # so that the loaders above are tried on every kind of table, not on the per-article ones only
    assert {"sources", "articles", "statements", "speakers", "events", "agreements", "utterances",
            "copies"} <= set(tables(fresh[2]))


def test_the_data_folder_holds_only_tables_and_a_dataset_over_it_says_so(fresh):
    # metadata beside data/, not in it; a PyArrow dataset over the whole folder sees one file
    # (or one part) per table, never README.md or manifest.json
    release, _datasets, manifest = fresh
    files = ds.dataset(release / "data", format="parquet").files
    assert files and all(f.endswith(".parquet") for f in files)
    assert {Path(f).relative_to(release).parts[1].removesuffix(".parquet") for f in files} == set(manifest["tables"])


# ---- Hugging Face datasets ----------------------------------------------------------------

@pytest.fixture
def hf_offline(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    return tmp_path / "hf-cache"


def test_hugging_face_datasets_reads_every_table_by_glob_and_by_config_name(fresh, hf_offline):
    from datasets import load_dataset

    release, datasets, manifest = fresh
    by_glob, by_name = {}, {}
    for name, entry in tables(manifest).items():
        by_glob[name] = load_dataset("parquet", data_files=table_glob(release, name, entry), split="train",
                                     cache_dir=str(hf_offline)).num_rows
        by_name[name] = load_dataset(str(release), name, split="train", cache_dir=str(hf_offline)).num_rows
    rows = {name: entry["rows"] for name, entry in tables(manifest).items()}
    assert by_glob == rows
    assert by_name == rows


# ---- Spark --------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def spark():
    if shutil.which("java") is None:
        pytest.skip("Spark needs a Java runtime: none on PATH (e.g. apt-get install default-jre-headless)")
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        pytest.skip("pyspark is not installed (not in the test extra: it is several hundred MB; pip install pyspark)")
    session = (SparkSession.builder.master("local[1]").appName("crosswire-loaders")
               .config("spark.ui.enabled", "false").config("spark.sql.session.timeZone", "UTC").getOrCreate())
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def test_spark_reads_every_table_by_folder_and_glob(spark, fresh):  # spark first: a skip builds no release
    release, datasets, manifest = fresh
    for name, entry in tables(manifest).items():
        frame = spark.read.parquet(str(release / entry["path"]))
        assert frame.count() == entry["rows"], name
        assert frame.columns == [c[0] for c in entry["columns"]], name
        assert spark.read.parquet(table_glob(datasets / "v*", name, entry)).count() == entry["rows"], name
