"""End to end through the real Prefect flow, on small corpora."""
import json
import shutil
from pathlib import Path

import duckdb
import pandas as pd
import polars as pl
import pytest

from crosswire import cli
from crosswire.validate import validate_release

CORPORA = Path(__file__).parent / "corpora"


def run(raw, datasets, capsys=None):
    code = cli.main(["run", "--raw", str(raw), "--datasets", str(datasets)])
    out = capsys.readouterr() if capsys else None
    return code, out


def parquet_bytes(release: Path) -> dict:
    return {p.name: p.read_bytes() for p in sorted(release.glob("data/*.parquet"))}


def test_first_run_publishes_then_nothing_then_a_minor_bump(prefect_harness, raw_copy, datasets_dir, capsys):
    code, out = run(raw_copy, datasets_dir, capsys)
    assert code == 0 and out.out.strip().endswith("v1.0.0")
    v1 = datasets_dir / "v1.0.0"
    assert validate_release(v1) == []
    before = parquet_bytes(v1)

    code, out = run(raw_copy, datasets_dir, capsys)
    assert code == 0 and out.out.startswith("no changes")
    assert sorted(p.name for p in datasets_dir.iterdir() if p.is_dir() and not p.name.startswith(".")) == ["v1.0.0"]

    shutil.copy(CORPORA / "extra" / "wire-summit.txt", raw_copy / "liga" / "wire-summit.txt")
    shutil.copy(CORPORA / "extra" / "wire-summit.meta.json", raw_copy / "liga" / "wire-summit.meta.json")
    code, out = run(raw_copy, datasets_dir, capsys)
    assert code == 0 and out.out.strip().endswith("v1.1.0")
    manifest = json.loads((datasets_dir / "v1.1.0" / "manifest.json").read_text())
    assert manifest["changes"]["articles"]["added"] == 1 and manifest["tables"]["articles"]["rows"] == 3
    assert "| articles | 3 | 1 | 0 | 0 |" in (datasets_dir / "CHANGELOG.md").read_text()
    assert parquet_bytes(v1) == before  # the earlier release is untouched


def test_two_fresh_runs_give_identical_parquet(prefect_harness, raw_copy, tmp_path):
    assert run(raw_copy, tmp_path / "a")[0] == 0
    assert run(raw_copy, tmp_path / "b")[0] == 0
    a, b = parquet_bytes(tmp_path / "a" / "v1.0.0"), parquet_bytes(tmp_path / "b" / "v1.0.0")
    assert a and a == b


def test_a_release_that_breaks_its_schema_is_not_published(prefect_harness, raw_copy, datasets_dir, monkeypatch, capsys):
    assert run(raw_copy, datasets_dir)[0] == 0
    before = parquet_bytes(datasets_dir / "v1.0.0")
    shutil.copy(CORPORA / "extra" / "wire-summit.txt", raw_copy / "liga" / "wire-summit.txt")

    from crosswire import metadata
    real = metadata.build_article

    def broken(raw, source):
        row = real(raw, source)
        row["language"] = "not a language tag"
        return row
    monkeypatch.setattr(metadata, "build_article", broken)
    # every article broken is a stage bug, not bad input: the release is refused whole (one
    # bad article among good ones is rejected alone, see tests/test_faults_flow.py)
    shutil.rmtree(datasets_dir / ".cache")
    code, out = run(raw_copy, datasets_dir, capsys)
    assert code == 1
    reasons = [ln for ln in out.err.splitlines() if ln.startswith("crosswire: ")]
    assert len(reasons) == 1  # one line that says why
    assert "does not validate" in reasons[0] and "articles.language" in reasons[0]
    assert sorted(p.name for p in datasets_dir.iterdir() if not p.name.startswith(".")) == ["CHANGELOG.md", "latest", "v1.0.0"]
    assert parquet_bytes(datasets_dir / "v1.0.0") == before


def test_rejected_files_are_reported_and_the_rest_published(prefect_harness, raw_copy, datasets_dir, capsys):
    (raw_copy / "ndtv" / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(300))
    (raw_copy / "broken").mkdir()
    code, out = run(raw_copy, datasets_dir, capsys)
    assert code == 0
    assert "rejected: ndtv/photo.txt: binary file (a PNG image), not text" in out.err
    assert "rejected: broken/source.toml: missing source.toml" in out.err
    manifest = json.loads((datasets_dir / "v1.0.0" / "manifest.json").read_text())
    assert {r["path"] for r in manifest["rejected"]} == {"ndtv/photo.txt", "broken/source.toml"}
    assert manifest["tables"]["articles"]["rows"] == 2


def test_every_table_loads_in_duckdb_pandas_and_polars(prefect_harness, raw_copy, datasets_dir):
    assert run(raw_copy, datasets_dir)[0] == 0
    release = datasets_dir / "v1.0.0"
    manifest = json.loads((release / "manifest.json").read_text())
    for name, entry in manifest["tables"].items():
        path = str(release / entry["path"])
        rows = duckdb.execute(f"SELECT count(*) FROM '{path}'").fetchone()[0]
        assert rows == entry["rows"] == len(pd.read_parquet(path)) == pl.read_parquet(path).height
    published = duckdb.execute(f"SELECT typeof(published) FROM '{release / 'data' / 'articles.parquet'}' LIMIT 1").fetchone()[0]
    assert published == "TIMESTAMP WITH TIME ZONE"


def test_validate_command_reports_and_fails_on_a_tampered_release(prefect_harness, raw_copy, datasets_dir, capsys):
    assert run(raw_copy, datasets_dir)[0] == 0
    capsys.readouterr()
    assert cli.main(["validate", str(datasets_dir)]) == 0
    target = datasets_dir / "v1.0.0" / "data" / "sources.parquet"
    target.chmod(0o644)
    data = bytearray(target.read_bytes())
    data[len(data) // 2] ^= 0xFF
    target.write_bytes(bytes(data))
    assert cli.main(["validate", str(datasets_dir)]) == 1
    assert "sources: data/sources.parquet does not match its sha256" in capsys.readouterr().out


def test_the_console_script_prints_the_release_path_and_nothing_else(raw_copy, datasets_dir, tmp_path):
    import os
    import subprocess
    import sys
    exe = Path(sys.executable).with_name("crosswire")
    env = dict(os.environ, PREFECT_HOME=str(tmp_path / "prefect"))
    done = subprocess.run([str(exe), "run", "--raw", str(raw_copy), "--datasets", str(datasets_dir)],
                          capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines() == [str(datasets_dir / "v1.0.0")]
    bad = subprocess.run([str(exe), "run", "--raw", str(tmp_path / "nowhere"), "--datasets", str(datasets_dir)],
                         capture_output=True, text=True, env=env, timeout=300)
    assert bad.returncode == 1
    assert bad.stderr.strip().splitlines() == [f"crosswire: raw directory {tmp_path / 'nowhere'} does not exist"]


def test_a_run_refuses_a_locked_datasets_dir_with_one_line(prefect_harness, raw_copy, datasets_dir, capsys, monkeypatch):
    from crosswire import lock
    monkeypatch.delenv("CROSSWIRE_LOCK_TIMEOUT", raising=False)
    datasets_dir.mkdir()
    with lock.datasets_lock(datasets_dir, timeout=0):
        code = cli.main(["run", "--raw", str(raw_copy), "--datasets", str(datasets_dir), "--lock-timeout", "0"])
    out = capsys.readouterr()
    assert code == 1
    reasons = [ln for ln in out.err.splitlines() if ln.startswith("crosswire: ")]
    assert len(reasons) == 1 and "is locked by" in reasons[0]
    assert not any(p.name.startswith("v") for p in datasets_dir.iterdir())


def test_statements_from_nlp_worker_processes_equal_one_batch_in_this_process():
    """The throughput path (worker processes, one article per nlp.pipe call, each result
    cached as it finishes) gives the statements of one in-process batch, row for row."""
    from conftest import articles_and_statements
    from flows import release

    arts, expected = articles_and_statements(CORPORA / "heldout" / "raw")
    assert len(arts) > 10 and expected
    with release.nlp_workers(2) as pool:
        assert pool is not None
        per_article = release.statements_task.fn(arts, None)
    got = sorted((r for rows in per_article for r in rows), key=release._statement_order)
    assert got == sorted(expected, key=release._statement_order)
    assert [{r["article_id"] for r in rows} <= {a["article_id"]} for rows, a in zip(per_article, arts)] == [True] * len(arts)
