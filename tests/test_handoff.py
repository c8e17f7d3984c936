"""`crosswire run` handing its run to a running `crosswire watch` (crosswire/handoff.py).

The protocol is tested with a Desk and a client in two threads of this process; one
end-to-end test runs the real watch (main thread, as its signal handlers need) and a
`crosswire run` on another thread that adds an article and is served by the watch."""
import os
import shutil
import socket
import threading
import time
from types import SimpleNamespace

import pytest

from crosswire import cli, handoff, load

pytestmark = pytest.mark.skipif(not handoff.available(), reason="no Unix sockets here")


def run_args(tmp_path, **kw):
    base = dict(raw=str(tmp_path / "raw"), datasets=str(tmp_path / "ds"), cache=None, public=None,
                task_runner="threads", dask_address=None, dask_workers=None, batch_size=50, nlp_processes=None,
                prefect="auto")
    return SimpleNamespace(**{**base, **kw})


def test_runs_are_alike_when_their_folders_options_and_settings_are(tmp_path):
    mine = handoff.terms(run_args(tmp_path), {"CROSSWIRE_SELECTIVE": "1", "HOME": "/a"})
    # the same folders named another way, a lock timeout and an unrelated variable do not matter
    (tmp_path / "ds").mkdir()
    theirs = handoff.terms(run_args(tmp_path, datasets=str(tmp_path / "ds" / ".." / "ds")),
                           {"CROSSWIRE_SELECTIVE": "1", "CROSSWIRE_LOCK_TIMEOUT": "0", "HOME": "/b"})
    assert handoff.differences(mine, theirs) == []
    other = handoff.terms(run_args(tmp_path, public=True, batch_size=10), {"PREFECT_API_URL": "http://x/api"})
    assert handoff.differences(mine, other) == ["batch_size", "public", "CROSSWIRE_SELECTIVE", "PREFECT_API_URL"]


def serve(desk, reply, started=None):
    """What a watch's loop does: wait, take the runs handed over, answer them after its check."""
    def loop():
        desk.wait(30)
        handed = desk.take()
        handoff.Desk.answer(handed, reply)
    t = threading.Thread(target=loop, daemon=True)
    t.start()
    return t


def test_a_run_handed_over_cuts_the_watchs_wait_short_and_gets_its_checks_result(tmp_path):
    terms = handoff.terms(run_args(tmp_path), {})
    desk = handoff.Desk(tmp_path / "ds", terms)
    assert desk.open() is None
    try:
        t0 = time.monotonic()
        result = {"release": str(tmp_path / "ds" / "v1.1.0"), "rejected": [], "previous": "1.0.0"}
        loop = serve(desk, {"result": result})
        pids = []
        assert handoff.ask(tmp_path / "ds", terms, pids.append) == result
        loop.join(5)
        assert time.monotonic() - t0 < 10  # not the 30 s the loop would otherwise have waited
        assert pids == [os.getpid()]
    finally:
        desk.close("done")
    assert not handoff.socket_path(tmp_path / "ds").exists()


def test_runs_handed_over_before_a_check_are_all_answered_by_it(tmp_path):
    terms = handoff.terms(run_args(tmp_path), {})
    desk = handoff.Desk(tmp_path / "ds", terms)
    assert desk.open() is None
    answers = []
    clients = [threading.Thread(target=lambda: answers.append(handoff.ask(tmp_path / "ds", terms))) for _ in range(2)]
    try:
        for c in clients:
            c.start()
        handed = []
        for _ in range(100):  # both arrive while the watch waits
            desk.wait(0.1)
            handed += desk.take()
            if len(handed) == 2:
                break
        handoff.Desk.answer(handed, {"result": {"release": None, "rejected": [], "previous": "1.0.0"}})
        for c in clients:
            c.join(10)
    finally:
        desk.close("done")
    assert answers == [{"release": None, "rejected": [], "previous": "1.0.0"}] * 2


def test_a_run_the_watch_failed_comes_back_as_its_error(tmp_path):
    terms = handoff.terms(run_args(tmp_path), {})
    desk = handoff.Desk(tmp_path / "ds", terms)
    assert desk.open() is None
    try:
        serve(desk, {"error": "raw/x.txt: not UTF-8"})
        assert handoff.ask(tmp_path / "ds", terms) == {"error": "raw/x.txt: not UTF-8"}
    finally:
        desk.close("done")


def test_a_watch_with_other_settings_refuses_and_says_which(tmp_path):
    desk = handoff.Desk(tmp_path / "ds", handoff.terms(run_args(tmp_path), {}))
    assert desk.open() is None
    try:
        with pytest.raises(handoff.NotTaken, match="other public"):
            handoff.ask(tmp_path / "ds", handoff.terms(run_args(tmp_path, public=True), {}))
        assert desk.take() == []
    finally:
        desk.close("done")


def test_runs_waiting_when_the_watch_stops_go_back_to_their_clients(tmp_path):
    terms = handoff.terms(run_args(tmp_path), {})
    desk = handoff.Desk(tmp_path / "ds", terms)
    assert desk.open() is None
    outcome = []

    def client():
        try:
            handoff.ask(tmp_path / "ds", terms)
        except handoff.NotTaken as e:
            outcome.append(str(e))
    t = threading.Thread(target=client)
    t.start()
    desk.wait(10)  # the run was handed over ...
    desk.close("the watch stopped before it ran the check")  # ... and the watch stops
    t.join(10)
    assert outcome == ["the watch stopped before it ran the check"]


def test_no_watch_or_a_killed_watchs_socket_means_the_run_is_made_here(tmp_path):
    terms = handoff.terms(run_args(tmp_path), {})
    with pytest.raises(handoff.NotTaken, match="no crosswire watch serves"):
        handoff.ask(tmp_path / "ds", terms)
    # a socket file whose listener is gone (the watch was killed): refused at once
    path = handoff.socket_path(tmp_path / "ds")
    path.parent.mkdir(mode=0o700, exist_ok=True)
    dead = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    dead.bind(str(path))
    dead.close()
    t0 = time.monotonic()
    with pytest.raises(handoff.NotTaken, match="no crosswire watch answers"):
        handoff.ask(tmp_path / "ds", terms)
    assert time.monotonic() - t0 < 2
    # the next watch takes the place over; a second one on the same folder does not
    first, second = handoff.Desk(tmp_path / "ds", terms), handoff.Desk(tmp_path / "ds", terms)
    assert first.open() is None
    try:
        assert "another crosswire watch" in second.open()
    finally:
        first.close("done")


def test_crosswire_run_is_published_by_the_running_watch(raw_copy, datasets_dir, tmp_path, monkeypatch, capsys):
    parked = tmp_path / "parked"
    rel = sorted(raw_copy.glob("*/*.txt"))[-1]
    parked.mkdir()
    for f in rel.parent.glob(rel.stem + ".*"):
        shutil.move(f, parked / f.name)
    status, waited = {}, []
    original = cli._between_checks

    def client():  # a user adds the article and runs `crosswire run`
        for f in parked.iterdir():
            shutil.copy(f, rel.parent / f.name)
        status["run"] = cli.main(["run", "--raw", str(raw_copy), "--datasets", str(datasets_dir), "--prefect",
                                  "never", "-v"])

    def between(seconds, desk=None):
        if not waited:
            threading.Thread(target=client).start()
        t0 = time.monotonic()
        original(seconds, desk)
        waited.append(time.monotonic() - t0)

    monkeypatch.setattr(cli, "_between_checks", between)
    assert cli.main(["watch", "--raw", str(raw_copy), "--datasets", str(datasets_dir), "--prefect", "never",
                     "--every", "120", "--checks", "2"]) == 0
    for _ in range(100):  # the client prints once the watch answered it
        if "run" in status:
            break
        time.sleep(0.1)
    out, err = capsys.readouterr()
    assert status["run"] == 0, err
    assert waited[0] < 60  # the handed-over run cut the watch's 120 s wait short
    assert f"crosswire run: handed to crosswire watch (pid {os.getpid()})" in err
    # the watch printed its release, and so did the client
    assert out.split() == [str(datasets_dir / "v1.0.0"), str(datasets_dir / "v1.1.0"), str(datasets_dir / "v1.1.0")]
    assert load.release(datasets_dir / "v1.1.0").arrow("articles").num_rows == 2
    # the watch has stopped: a run now is made here, and says why with --verbose
    assert cli.main(["run", "--raw", str(raw_copy), "--datasets", str(datasets_dir), "--prefect", "never",
                     "-v"]) == 0
    assert "running here: no crosswire watch serves" in capsys.readouterr().err
