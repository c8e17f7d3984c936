"""Faults through the real flow and the command line: transient I/O retried by Prefect,
a busy datasets/ lock and a full disk reported in one line, nothing published."""
import errno
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
