"""Crashes, write errors and concurrent runs while publishing.

- SIGKILL at every step of publishing, and at evenly spread lines of crosswire/publish.py:
  the earlier release stays byte-identical, no half-written version is visible, the lock
  dies with the process, and the next run succeeds and sweeps up what was left.
- Disk full and a read-only datasets/ fail with one clear message and publish nothing.
- Two runs at once: one waits for the other; a busy lock is refused with a clear message.

These call crosswire.publish directly (the flow adds nothing to what is tested here); the
killed runs are forked from one helper process, so the whole file takes seconds.
"""
import errno
import json
import os
import pickle
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from crosswire import ingest, lock, metadata, publish, sources
from crosswire.lock import LockTimeout, datasets_lock
from crosswire.publish import PublishWriteError
from crosswire.validate import validate_release

ROOT = Path(__file__).resolve().parents[1]
EXTRA = Path(__file__).parent / "corpora" / "extra"
CODE = {"version": "test"}


def _rows(raw: Path) -> dict:
    srcs, _ = sources.load_sources(raw)
    arts, _ = ingest.ingest(raw, srcs)
    by_id = {s.source_id: s for s in srcs}
    return {"sources": [s.row() for s in srcs],
            "articles": [metadata.build_article(a, by_id[a.source_id]) for a in arts]}


@pytest.fixture(scope="module")
def rows(tmp_path_factory):
    """Two data states: the seeds (v1.0.0) and the seeds plus one more article (v1.1.0)."""
    import shutil
    raw = tmp_path_factory.mktemp("raw") / "raw"
    shutil.copytree(ROOT / "raw", raw)
    first = _rows(raw)
    shutil.copy(EXTRA / "wire-summit.txt", raw / "liga" / "wire-summit.txt")
    shutil.copy(EXTRA / "wire-summit.meta.json", raw / "liga" / "wire-summit.meta.json")
    return first, _rows(raw)


def pub(rows, datasets, **kw):
    return publish.publish(rows, datasets, inputs=[], rejected=[], code=CODE, **kw)


def snapshot(folder: Path) -> dict:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def visible(datasets: Path) -> list[str]:
    return sorted(p.name for p in datasets.iterdir() if not p.name.startswith("."))


# ---- SIGKILL ------------------------------------------------------------------------------

KILLER = textwrap.dedent(r'''
    import json, os, pickle, signal, sys
    from pathlib import Path
    from crosswire import publish
    rows = pickle.loads(Path(sys.argv[1]).read_bytes())
    cases = json.loads(sys.argv[2])
    PUBLISH_PY = publish.__file__

    def die():
        os.kill(os.getpid(), signal.SIGKILL)

    def wrap(owner, name, nth, when):
        fn, count = getattr(owner, name), [0]
        def w(*a, **k):
            count[0] += 1
            if count[0] == nth and when == "before":
                die()
            out = fn(*a, **k)
            if count[0] == nth and when == "after":
                die()
            return out
        setattr(owner, name, w)

    def tracer(kill_at, counter):
        def local(frame, event, arg):
            if event == "line":
                counter[0] += 1
                if kill_at and counter[0] == kill_at:
                    die()
            return local
        def glob(frame, event, arg):
            return local if frame.f_code.co_filename == PUBLISH_PY else None
        return glob

    def child(case):
        if case["kind"] == "call":
            wrap(os if case["owner"] == "os" else publish, case["name"], case["nth"], case["when"])
        counter = [0]
        if case["kind"] == "line":
            sys.settrace(tracer(case.get("line"), counter))
        publish.publish(rows, Path(case["datasets"]), inputs=[], rejected=[], code={"version": "test"},
                        lock_timeout=0)
        sys.settrace(None)
        Path(case["datasets"], ".lines").write_text(str(counter[0]))  # hidden: not a release

    results = []
    for case in cases:
        pid = os.fork()
        if pid == 0:
            try:
                child(case)
                os._exit(0)
            except BaseException as e:
                sys.stderr.write(f"{case}: {e!r}\n")
                os._exit(2)
        _, status = os.waitpid(pid, 0)
        results.append({"killed": os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL,
                        "exit": os.WEXITSTATUS(status) if os.WIFEXITED(status) else None})
    print(json.dumps(results))
''')

# every step of publishing, named
CALLS = [
    ("publish", "clean_stale", 1, "after"),      # lock held, nothing written yet
    ("publish", "write_parquet", 1, "after"),    # first table written in the temporary dir
    ("publish", "link_table", 4, "before"),      # halfway through the tables
    ("publish", "link_table", 1, "after"),       # an unchanged table linked from v1.0.0
    ("publish", "_write_json", 1, "after"),      # manifest written, data package not yet
    ("publish", "validate_release_dir", 1, "after"),
    ("publish", "_fsync_tree", 1, "after"),
    ("os", "rename", 1, "before"),               # complete but not yet in place
    ("os", "rename", 1, "after"),                # in place, directory not yet synced
    ("publish", "write_latest", 1, "before"),    # in place, datasets/latest still names v1.0.0
    ("os", "replace", 1, "before"),              # latest's temp file written, not renamed
    ("publish", "write_changelog", 1, "before"),  # in place, changelog not yet written
    ("os", "replace", 2, "before"),              # changelog temp file written, not renamed
]
SPREAD = 8  # and at this many evenly spread lines of publish.py


def _run_killer(tmp_path, rows2, cases) -> list[dict]:
    blob = tmp_path / "rows.pickle"
    blob.write_bytes(pickle.dumps(rows2))
    proc = subprocess.run([sys.executable, "-c", KILLER, str(blob), json.dumps(cases)],
                          capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_sigkill_at_any_point_of_publishing_loses_nothing(tmp_path, rows):
    import shutil
    rows1, rows2 = rows
    base = tmp_path / "base"
    v1, _ = pub(rows1, base)
    before = snapshot(v1)
    changelog = (base / "CHANGELOG.md").read_bytes()

    # how many lines of publish.py a full publish runs, to spread the kills over them
    probe = tmp_path / "probe"
    shutil.copytree(base, probe)
    [res] = _run_killer(tmp_path, rows2, [{"kind": "line", "line": None, "datasets": str(probe)}])
    assert res == {"killed": False, "exit": 0}
    total = int((probe / ".lines").read_text())
    assert total > 100

    cases = [{"kind": "call", "owner": o, "name": n, "nth": k, "when": w} for o, n, k, w in CALLS]
    cases += [{"kind": "line", "line": max(1, total * i // (SPREAD + 1))} for i in range(1, SPREAD + 1)]
    for i, case in enumerate(cases):
        case["datasets"] = str(tmp_path / f"case{i}")
        shutil.copytree(base, case["datasets"])
    results = _run_killer(tmp_path, rows2, cases)

    for case, res in zip(cases, results):
        d = Path(case["datasets"])
        assert res["killed"], case
        # the earlier release is byte-identical, and a reader sees all of v1.1.0 or none of it
        assert snapshot(d / "v1.0.0") == before, case
        assert visible(d) in (["CHANGELOG.md", "latest", "v1.0.0"], ["CHANGELOG.md", "latest", "v1.0.0", "v1.1.0"]), \
            (case, visible(d))
        # datasets/latest names a whole release; a reader finding it stale takes the newest
        assert publish.read_pointer(d) in ("v1.0.0", "v1.1.0"), case
        if (d / "v1.1.0").exists():
            assert validate_release(d / "v1.1.0") == [], case
            assert publish.newest_release(d) == d / "v1.1.0", case
        else:
            assert (d / "CHANGELOG.md").read_bytes() == changelog, case
            assert publish.read_pointer(d) == "v1.0.0" and publish.newest_release(d) == d / "v1.0.0", case
        # the lock died with the killed run: the next run gets it at once, and succeeds
        path, plan = pub(rows2, d, lock_timeout=0)
        assert plan.version in (None, "1.1.0") and (path is None) == (plan.version is None), case
        assert visible(d) == ["CHANGELOG.md", "latest", "v1.0.0", "v1.1.0"], case
        assert publish.read_pointer(d) == "v1.1.0", case
        assert not [p.name for p in d.iterdir() if p.name.startswith((".tmp-", ".CHANGELOG", ".latest."))], case
        assert validate_release(d / "v1.1.0") == [] and snapshot(d / "v1.0.0") == before, case
        assert "## v1.1.0 (" in (d / "CHANGELOG.md").read_text(), case


def test_a_killed_run_leaves_no_stale_lock(tmp_path):
    d = tmp_path / "datasets"
    script = ("import os, signal, sys; from crosswire.lock import datasets_lock\n"
              "with datasets_lock(sys.argv[1], timeout=0):\n"
              "    print('locked', flush=True); os.kill(os.getpid(), signal.SIGKILL)\n")
    proc = subprocess.run([sys.executable, "-c", script, str(d)], capture_output=True, text=True, timeout=60)
    assert proc.returncode == -signal.SIGKILL and "locked" in proc.stdout
    # the lock file and the dead run's owner note are still there; neither blocks anyone
    assert (d / ".lock").exists() and lock.owner(d)["pid"] not in (None, os.getpid())
    t = time.monotonic()
    with datasets_lock(d, timeout=0):
        assert lock.owner(d)["pid"] == os.getpid()
    assert time.monotonic() - t < 1


# ---- write errors -------------------------------------------------------------------------

def _enospc(*a, **k):
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


@pytest.mark.parametrize("target", ["write_parquet", "_write_json", "_fsync_tree"])
def test_disk_full_fails_clearly_and_publishes_nothing(tmp_path, rows, monkeypatch, target):
    rows1, rows2 = rows
    v1, _ = pub(rows1, tmp_path)
    before, changelog = snapshot(v1), (tmp_path / "CHANGELOG.md").read_bytes()
    monkeypatch.setattr(publish, target, _enospc)
    with pytest.raises(PublishWriteError) as e:
        pub(rows2, tmp_path)
    assert e.value.errno == errno.ENOSPC and isinstance(e.value, OSError)
    assert str(e.value) == f"cannot write to {tmp_path}: No space left on device; nothing was published"
    assert visible(tmp_path) == ["CHANGELOG.md", "latest", "v1.0.0"]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".tmp-")]
    assert snapshot(v1) == before and (tmp_path / "CHANGELOG.md").read_bytes() == changelog
    monkeypatch.undo()
    assert pub(rows2, tmp_path)[1].version == "1.1.0"


def test_a_read_only_datasets_dir_fails_clearly(tmp_path, rows, monkeypatch):
    rows1, rows2 = rows
    v1, _ = pub(rows1, tmp_path)
    before = snapshot(v1)
    tmp_path.chmod(0o555)
    try:
        if os.access(tmp_path, os.W_OK):  # root ignores permissions: make mkdir fail as it would
            real_mkdir = Path.mkdir

            def mkdir(self, *a, **k):
                if self.parent == tmp_path:
                    raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(self))
                return real_mkdir(self, *a, **k)
            monkeypatch.setattr(Path, "mkdir", mkdir)
        with pytest.raises(PublishWriteError, match=r"cannot write to .*: Permission denied .*nothing was published"):
            pub(rows2, tmp_path)
    finally:
        tmp_path.chmod(0o755)
    assert visible(tmp_path) == ["CHANGELOG.md", "latest", "v1.0.0"] and snapshot(v1) == before


# ---- concurrent runs ----------------------------------------------------------------------

PUBLISHER = textwrap.dedent(r'''
    import json, pickle, sys, time
    from pathlib import Path
    from crosswire import publish
    rows = pickle.loads(Path(sys.argv[1]).read_bytes())
    go = Path(sys.argv[3])
    while not go.exists():
        time.sleep(0.01)
    path, plan = publish.publish(rows, Path(sys.argv[2]), inputs=[], rejected=[], code={"version": "test"})
    print(json.dumps({"path": str(path) if path else None, "version": plan.version}))
''')


def test_two_runs_at_once_publish_one_release(tmp_path, rows):
    blob, d, go = tmp_path / "rows.pickle", tmp_path / "datasets", tmp_path / "go"
    blob.write_bytes(pickle.dumps(rows[0]))
    procs = [subprocess.Popen([sys.executable, "-c", PUBLISHER, str(blob), str(d), str(go)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
             for _ in range(2)]
    time.sleep(0.5)
    go.touch()
    outs = []
    for p in procs:
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0, err[-2000:]
        outs.append(json.loads(out.strip().splitlines()[-1]))
    # one published v1.0.0; the other waited for the lock, then found nothing new
    assert sorted(o["version"] or "none" for o in outs) == ["1.0.0", "none"]
    assert visible(d) == ["CHANGELOG.md", "latest", "v1.0.0"] and validate_release(d / "v1.0.0") == []


HOLDER = ("import sys, time; from crosswire.lock import datasets_lock\n"
          "with datasets_lock(sys.argv[1], timeout=0):\n"
          "    print('locked', flush=True); time.sleep(120)\n")


def test_a_busy_lock_is_refused_with_a_clear_message(tmp_path, rows):
    d = tmp_path / "datasets"
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(d)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        t = time.monotonic()
        with pytest.raises(LockTimeout) as e:
            pub(rows[0], d, lock_timeout=0.5)
        assert 0.4 < time.monotonic() - t < 5
        assert f"{d} is locked by another crosswire run (pid {holder.pid} on " in str(e.value)
        assert "gave up after" in str(e.value) and "CROSSWIRE_LOCK_TIMEOUT" in str(e.value)
        assert not (d / "v1.0.0").exists()
    finally:
        holder.kill()
        holder.wait()
    assert pub(rows[0], d, lock_timeout=0)[1].version == "1.0.0"


def test_the_lock_timeout_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv("CROSSWIRE_LOCK_TIMEOUT", "0")
    assert lock.timeout_from_env() == 0
    monkeypatch.setenv("CROSSWIRE_LOCK_TIMEOUT", "soon")
    assert lock.timeout_from_env() == lock.DEFAULT_TIMEOUT
