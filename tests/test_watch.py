"""`crosswire watch`: one long-lived process that checks raw/ and publishes when it changed.

The loop's decisions are tested with plain callables (flows/watch.py); one end-to-end
test runs the real flow through the command line on the seeds, adding an article between
two checks."""
import gc
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from crosswire import cli, load, nlp
from flows import watch
from flows.watch import Outcome

QUIET = Outcome(ran=False, release=None)


def run_loop(results, codes=None, **kw):
    """watch.watch over scripted check results (an exception is raised by that check), the
    code fingerprint taking `codes` in turn. -> (status, reported, failures, sleeps)."""
    results, codes = list(results), list(codes or ["c"] * (len(results) + 2))
    reported, failures, sleeps = [], [], []

    def check():
        r = results.pop(0)
        if isinstance(r, Exception):
            raise r
        return r

    kw = {"report": lambda o, s: reported.append(o), "failed": failures.append, **kw}
    status = watch.watch(check, codes.pop(0), lambda: codes.pop(0), 5.0, checks=kw.pop("checks", None),
                         sleep=sleeps.append, **kw)
    return status, reported, failures, sleeps


def test_checks_are_made_the_number_asked_with_a_wait_between_them_not_before_the_first():
    published = Outcome(ran=True, release="ds/v1.1.0")
    status, reported, failures, sleeps = run_loop([QUIET, published, QUIET], checks=3)
    assert status == 0
    assert reported == [QUIET, published, QUIET]
    assert failures == [] and sleeps == [5.0, 5.0]


def test_a_failed_run_is_reported_and_tried_again_and_a_success_starts_the_count_afresh():
    boom = RuntimeError("lock held by another run")
    status, reported, failures, _ = run_loop([boom, boom, QUIET, boom, QUIET], checks=5, max_failures=3)
    assert status == 0
    assert failures == [boom, boom, boom] and reported == [QUIET, QUIET]


def test_too_many_failures_in_a_row_stop_the_watch_with_status_1():
    boom = RuntimeError("no space left on device")
    status, reported, failures, _ = run_loop([QUIET, boom, boom, QUIET], max_failures=2)
    assert status == 1
    assert reported == [QUIET] and failures == [boom, boom]


def test_the_after_hook_follows_each_reported_check_and_not_a_failed_one():
    published, boom = Outcome(ran=True, release="ds/v1.1.0"), RuntimeError("disk full")
    events = []
    status, _, _, _ = run_loop([QUIET, boom, published], checks=3, after=lambda o: events.append(("after", o)),
                               report=lambda o, s: events.append(("report", o)),
                               failed=lambda e: events.append(("failed", e)))
    assert status == 0
    assert events == [("report", QUIET), ("after", QUIET), ("failed", boom), ("report", published),
                      ("after", published)]


def test_long_lived_objects_are_set_aside_from_the_collector_and_garbage_still_goes():
    import weakref

    from flows.release import keep_long_lived_out_of_gc

    class Node:
        pass

    def cycle():
        a, b = Node(), Node()
        a.other, b.other = b, a
        return a

    kept, dropped = cycle(), cycle()
    gone_before = weakref.ref(dropped)
    del dropped
    try:
        keep_long_lived_out_of_gc()
        assert gone_before() is None  # garbage made before is collected first
        assert gc.get_freeze_count() > 0
        frozen_then_dropped = weakref.ref(kept)
        del kept  # a cycle set aside that became garbage since: not collected while frozen,
        gc.collect()
        assert frozen_then_dropped() is not None
        keep_long_lived_out_of_gc()  # but by the next call
        assert frozen_then_dropped() is None
    finally:
        gc.unfreeze()


def test_code_changed_on_disk_stops_the_watch_before_it_runs_old_code():
    status, reported, failures, _ = run_loop([QUIET, QUIET, QUIET], codes=["a", "a", "a", "b"])
    assert status == 1
    assert reported == [QUIET, QUIET]
    assert len(failures) == 1 and isinstance(failures[0], watch.CodeChanged)


def test_a_negative_interval_is_refused():
    with pytest.raises(ValueError, match="--every"):
        watch.watch(lambda: QUIET, "c", lambda: "c", -1.0, checks=1)


def test_a_check_that_finds_the_code_changed_under_it_stops_the_watch_at_once():
    status, reported, failures, _ = run_loop([QUIET, watch.CodeChanged(), QUIET], max_failures=3)
    assert status == 1
    assert reported == [QUIET] and len(failures) == 1


def test_a_run_refuses_to_record_what_old_code_made_under_the_new_codes_fingerprint(raw_copy, datasets_dir):
    """The race the loop's own check leaves: the files change between it and the run."""
    args = cli.parser().parse_args(["watch", "--raw", str(raw_copy), "--datasets", str(datasets_dir)])
    with pytest.raises(watch.CodeChanged):
        cli._release_once(args, code="the fingerprint of the code this process started with")
    assert not datasets_dir.exists()


def test_watch_publishes_an_added_article_from_the_same_process(raw_copy, datasets_dir, tmp_path, monkeypatch,
                                                               capsys):
    parked = tmp_path / "parked"
    rel = next(p for p in sorted(raw_copy.glob("*/*.txt")))
    parked.mkdir()
    for f in rel.parent.glob(rel.stem + ".*"):
        shutil.move(f, parked / f.name)
    loads_before = nlp.load.cache_info()
    waits, frozen = [], []

    def between(seconds, desk=None):  # the article arrives after the second check
        waits.append(seconds)
        frozen.append(gc.get_freeze_count())
        if len(waits) == 2:
            for f in parked.iterdir():
                shutil.copy(f, rel.parent / f.name)

    monkeypatch.setattr(cli, "_between_checks", between)
    status = cli.main(["watch", "--raw", str(raw_copy), "--datasets", str(datasets_dir), "--prefect", "never",
                       "--every", "0", "--checks", "4"])
    out, err = capsys.readouterr()
    assert status == 0, err
    assert out.split() == [str(datasets_dir / "v1.0.0"), str(datasets_dir / "v1.1.0")]
    assert err.count("crosswire watch: published") == 2  # the no-op checks say nothing unless --verbose
    assert waits == [0.0, 0.0, 0.0]
    # between checks what the process holds is out of the collector's walks; given back after
    assert all(frozen) and gc.get_freeze_count() == 0
    # the newest release holds both articles; spaCy was loaded at most once by this process
    assert load.release(datasets_dir / "v1.1.0").arrow("articles").num_rows == 2
    assert nlp.load.cache_info().misses - loads_before.misses <= 1


def test_watch_refuses_a_missing_raw_root_at_once(tmp_path, capsys):
    assert cli.main(["watch", "--raw", str(tmp_path / "nope"), "--datasets", str(tmp_path / "ds")]) == 1
    assert "does not exist" in capsys.readouterr().err


@pytest.mark.parametrize("option", ["--no-cache", "--recheck"])
def test_watch_refuses_options_that_would_run_the_whole_flow_at_every_check(raw_copy, tmp_path, capsys, option):
    assert cli.main(["watch", "--raw", str(raw_copy), "--datasets", str(tmp_path / "ds"), option]) == 1
    assert option in capsys.readouterr().err
    assert not (tmp_path / "ds").exists()


@pytest.mark.parametrize("sig, status", [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_a_signal_between_checks_stops_the_watch_with_the_shells_status(raw_copy, tmp_path, sig, status):
    exe = Path(sys.executable).with_name("crosswire")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_API")}
    env["PREFECT_HOME"] = str(tmp_path / "prefect")
    proc = subprocess.Popen([str(exe), "watch", "--raw", str(raw_copy), "--datasets", str(tmp_path / "ds"),
                             "--every", "60", "-v"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=env, start_new_session=True)
    try:
        line = ""
        while "published" not in line:  # the first check, then the watch waits 60 s
            line = proc.stderr.readline()
            assert line, proc.communicate()
        time.sleep(0.5)
        proc.send_signal(sig)
        _, err = proc.communicate(timeout=30)
    finally:
        proc.kill()
    assert proc.returncode == status, err
    assert f"stopped by {sig.name}" in err


def test_with_a_prefect_api_the_runs_a_watch_makes_are_reported(prefect_harness, raw_copy, datasets_dir, tmp_path,
                                                                 monkeypatch, capsys):
    from test_ops_cache import latest_artifact

    parked = tmp_path / "parked"
    rel = sorted(raw_copy.glob("*/*.txt"))[-1]
    parked.mkdir()
    for f in rel.parent.glob(rel.stem + ".*"):
        shutil.move(f, parked / f.name)

    def between(seconds, desk=None):
        for f in parked.iterdir():
            shutil.copy(f, rel.parent / f.name)

    monkeypatch.setattr(cli, "_between_checks", between)
    assert cli.main(["watch", "--raw", str(raw_copy), "--datasets", str(datasets_dir), "--checks", "2",
                     "--every", "0"]) == 0
    assert capsys.readouterr().out.split() == [str(datasets_dir / "v1.0.0"), str(datasets_dir / "v1.1.0")]
    # the artifact of the second check's run names this test's release: the run went through Prefect
    assert f"Published `{datasets_dir / 'v1.1.0'}`" in latest_artifact("crosswire-release")["data"]


def test_a_watch_with_a_setting_of_its_own_runs_with_it_and_is_not_taken_for_a_code_change(raw_copy, datasets_dir,
                                                                                           monkeypatch, capsys):
    """--public is part of what the run record compares (CROSSWIRE_PUBLIC): the watch's own
    fingerprint must be taken with it set, or its first check looks like other code."""
    monkeypatch.delenv("CROSSWIRE_PUBLIC", raising=False)
    assert cli.main(["watch", "--raw", str(raw_copy), "--datasets", str(datasets_dir), "--prefect", "never",
                     "--public", "--every", "0", "--checks", "2"]) == 0, capsys.readouterr().err
    assert capsys.readouterr().out.split() == [str(datasets_dir / "v1.0.0")]
