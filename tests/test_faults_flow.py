"""Faults through the real flow and the command line: transient I/O retried by Prefect,
a busy datasets/ lock and a full disk reported in one line, nothing published."""
import errno
import json
import shutil
import os
import subprocess
import sys
from pathlib import Path

import pytest

from crosswire import cli, ingest, publish

HOLDER = ("import sys, time; from crosswire.lock import datasets_lock\n"
          "with datasets_lock(sys.argv[1], timeout=0):\n"
          "    print('locked', flush=True); time.sleep(120)\n")


def run(raw, datasets, capsys):
    code = cli.main(["run", "--raw", str(raw), "--datasets", str(datasets)])
    return code, capsys.readouterr()


def test_a_transient_io_error_in_ingest_is_retried(prefect_harness, raw_copy, datasets_dir, monkeypatch, capsys):
    real, calls = ingest.read_article, []

    def flaky(*a, **k):
        calls.append(a[1])
        if len(calls) == 1:
            raise OSError(errno.EIO, os.strerror(errno.EIO), str(a[1]))
        return real(*a, **k)
    monkeypatch.setattr(ingest, "read_article", flaky)
    code, out = run(raw_copy, datasets_dir, capsys)
    assert code == 0, out.err
    assert out.out.strip().endswith("v1.0.0") and "rejected" not in out.err
    assert len(calls) == 3 and calls[0] == calls[1]  # the ingest task ran again, from the file that failed


def test_a_permanent_io_error_rejects_only_that_file(raw_copy, monkeypatch):
    from crosswire import sources
    real = ingest.read_article

    def denied(raw_root, path, *a, **k):
        if path.parent.name == "liga":
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
        return real(raw_root, path, *a, **k)
    monkeypatch.setattr(ingest, "read_article", denied)
    srcs, _ = sources.load_sources(raw_copy)
    arts, rejected = ingest.ingest(raw_copy, srcs)
    assert [a.source_id for a in arts] == ["ndtv"]
    assert rejected[0]["reason"] == "cannot be read: Permission denied"


def test_run_refuses_a_busy_datasets_dir_then_succeeds(prefect_harness, raw_copy, datasets_dir, monkeypatch, capsys):
    monkeypatch.setenv("CROSSWIRE_LOCK_TIMEOUT", "1")
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(datasets_dir)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        code, out = run(raw_copy, datasets_dir, capsys)
        assert code == 1 and out.out == ""
        [line] = [ln for ln in out.err.splitlines() if ln.startswith("crosswire:")]
        assert line.startswith(f"crosswire: {datasets_dir} is locked by another crosswire run (pid {holder.pid}")
    finally:
        holder.kill()
        holder.wait()
    assert not [p for p in datasets_dir.iterdir() if p.name.startswith(("v", ".tmp-"))]
    code, out = run(raw_copy, datasets_dir, capsys)  # the holder was killed: its lock went with it
    assert code == 0 and out.out.strip().endswith("v1.0.0")


def test_run_on_a_full_disk_fails_in_one_line(prefect_harness, raw_copy, datasets_dir, monkeypatch, capsys):
    def full(*a, **k):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    monkeypatch.setattr(publish, "write_parquet", full)
    code, out = run(raw_copy, datasets_dir, capsys)
    assert code == 1
    assert out.err.strip().splitlines()[-1] == \
        f"crosswire: cannot write to {datasets_dir}: No space left on device; nothing was published"
    assert not [p for p in datasets_dir.iterdir() if p.name.startswith(("v", ".tmp-", "CHANGELOG"))]


# ---- issue 10: isolation per article, budgets, run guards --------------------------------

def test_an_article_whose_rows_break_the_schema_is_rejected_alone(prefect_harness, raw_copy, datasets_dir,
                                                                    monkeypatch, capsys):
    from crosswire import metadata
    real = metadata.build_article

    def broken_language(raw, source):  # a stage bug that writes a value the schema refuses
        row = real(raw, source)
        return dict(row, language="english") if raw.source_id == "liga" else row
    monkeypatch.setattr(metadata, "build_article", broken_language)
    code, out = run(raw_copy, datasets_dir, capsys)
    assert code == 0, out.err
    release = Path(out.out.strip().splitlines()[-1])
    manifest = json.loads((release / "manifest.json").read_text())
    [rej] = manifest["rejected"]
    assert rej["path"].startswith("liga/") and "articles.language fails the schema check" in rej["reason"]
    assert f"rejected: {rej['path']}: articles.language" in out.err
    assert manifest["tables"]["articles"]["rows"] == 1 and manifest["tables"]["statements"]["rows"] > 0


def test_an_article_over_its_time_budget_is_rejected_and_not_cached(prefect_harness, raw_copy, datasets_dir,
                                                                     monkeypatch, capsys):
    from crosswire import statements
    real = statements._article_statements

    def slow_for_liga(article, *a, **k):
        if article["source_id"] == "liga":
            while True:   # extraction gone wrong: it would never end
                sum(range(1000))
        return real(article, *a, **k)
    monkeypatch.setattr(statements, "_article_statements", slow_for_liga)
    monkeypatch.setenv("CROSSWIRE_TIME_BUDGET_SCALE", "0.2")
    import time
    t = time.perf_counter()
    code, out = run(raw_copy, datasets_dir, capsys)
    assert code == 0, out.err
    manifest = json.loads((Path(out.out.strip().splitlines()[-1]) / "manifest.json").read_text())
    [rej] = manifest["rejected"]
    assert rej["path"].startswith("liga/") and rej["reason"].startswith("time budget: ")
    assert manifest["tables"]["articles"]["rows"] == 1
    assert time.perf_counter() - t < 120
    # the budget's verdict is not cached: with the bug gone, the next run publishes the article
    monkeypatch.setattr(statements, "_article_statements", real)
    code, out = run(raw_copy, datasets_dir, capsys)
    assert code == 0 and out.out.strip().endswith("v1.1.0"), out.err


def test_a_bad_people_toml_is_rejected_and_the_run_goes_on(prefect_harness, raw_copy, datasets_dir, capsys):
    (raw_copy / "people.toml").write_text('[[person]]\nname = "Ruth Okafor"\naliases = "Okafor"\n')
    code, out = run(raw_copy, datasets_dir, capsys)
    assert code == 0, out.err
    manifest = json.loads((Path(out.out.strip().splitlines()[-1]) / "manifest.json").read_text())
    assert manifest["rejected"] == [{"path": "people.toml", "reason": "field 'person[0].aliases' must be a list of "
                                     "strings, not a string (write aliases = [\"Okafor\"]); the built-in registry "
                                     "of people is used"}]
    assert manifest["tables"]["articles"]["rows"] == 2


def test_datasets_inside_raw_is_refused(raw_copy, capsys):
    code = cli.main(["run", "--raw", str(raw_copy), "--datasets", str(raw_copy / "releases")])
    err = capsys.readouterr().err
    assert code == 1 and "is inside --raw" in err and not (raw_copy / "releases").exists()


def test_a_datasets_folder_keeps_to_its_raw_root(prefect_harness, raw_copy, datasets_dir, tmp_path, capsys):
    code, out = run(raw_copy, datasets_dir, capsys)
    assert code == 0, out.err
    assert (datasets_dir / ".raw-root").read_text().strip() == "../raw"
    other = tmp_path / "other-raw"
    shutil.copytree(raw_copy / "ndtv", other / "ndtv")
    code = cli.main(["run", "--raw", str(other), "--datasets", str(datasets_dir)])
    err = capsys.readouterr().err
    assert code == 1 and f"holds releases built from {raw_copy.resolve()}" in err and "--force" in err
    assert sorted(p.name for p in datasets_dir.iterdir() if p.name.startswith("v")) == ["v1.0.0"]
    code = cli.main(["run", "--raw", str(other), "--datasets", str(datasets_dir), "--force"])
    assert code == 0, capsys.readouterr().err
    assert (datasets_dir / ".raw-root").read_text().strip() == "../other-raw"
