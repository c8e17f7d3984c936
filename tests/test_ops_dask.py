"""Scale-out: the same flow on a Dask cluster of two worker processes gives the same bytes;
the workers write their results to the shared cache and the driver gets keys back; a lost
worker's task runs again elsewhere; a stop request ends the run and its tasks on the cluster."""
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from crosswire import cache, cli
from flows import release
from schemas import TABLES

CORPORA = Path(__file__).parent / "corpora"
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from bench_signals import write_corpus  # noqa: E402


def parquet_bytes(release_dir: Path) -> dict:
    return {p.name: p.read_bytes() for p in sorted(release_dir.glob("data/*.parquet"))}


def entries(cache_root: Path, stage: str) -> int:
    return len(list((cache_root / stage).glob("*/*.json")))


@pytest.fixture
def raw_three(raw_copy) -> Path:
    """The seeds and one more article of my own: three articles, two outlets."""
    for name in ("wire-summit.txt", "wire-summit.meta.json"):
        shutil.copy(CORPORA / "extra" / name, raw_copy / "liga" / name)
    return raw_copy


@pytest.fixture
def threads_release(raw_three, tmp_path, capsys) -> Path:
    assert cli.main(["run", "--raw", str(raw_three), "--batch-size", "1", "--no-cache",
                     "--datasets", str(tmp_path / "threads")]) == 0
    assert capsys.readouterr().out.strip() == str(tmp_path / "threads" / "v1.0.0")
    return tmp_path / "threads" / "v1.0.0"


@pytest.fixture
def cluster():
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as c, \
            Client(c) as client:
        yield c, client


def test_dask_workers_write_the_cache_and_the_run_matches_the_threads_run(threads_release, raw_three, tmp_path,
                                                                           cluster, capsys, monkeypatch):
    c, client = cluster
    driver_puts = []
    real_put = cache.Cache.put
    monkeypatch.setattr(cache.Cache, "put", lambda self, stage, key, value: (driver_puts.append(stage),
                                                                             real_put(self, stage, key, value))[1])
    datasets = tmp_path / "dask"
    # --dask-address alone chooses the Dask runner
    assert cli.main(["run", "--raw", str(raw_three), "--batch-size", "1", "--datasets", str(datasets),
                     "--dask-address", c.scheduler_address]) == 0
    assert capsys.readouterr().out.strip() == str(datasets / "v1.0.0")
    # the NLP ran in the worker processes, and they wrote what they computed to the cache themselves
    loaded = client.run(lambda: __import__("sys").modules.get("crosswire.statements") is not None)
    assert len(loaded) == 2 and any(loaded.values())
    assert entries(datasets / ".cache", "articles") == 3 and entries(datasets / ".cache", "statements") == 3
    assert "articles" not in driver_puts and "statements" not in driver_puts
    tables = parquet_bytes(datasets / "v1.0.0")
    assert len(tables) == len(TABLES) and tables == parquet_bytes(threads_release)


def test_a_worker_lost_mid_task_has_its_task_run_again_elsewhere(threads_release, raw_three, tmp_path, cluster,
                                                                  capsys):
    from distributed import WorkerPlugin

    c, client = cluster
    marker = tmp_path / "killed-a-worker"

    class DieOnFirstTask(WorkerPlugin):
        """The first worker to start one of the run's tasks dies at once (as if killed)."""

        def transition(self, key, start, finish, **kwargs):
            if finish == "executing":  # the run's tasks are the only ones on this cluster
                try:
                    fd = os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
                except FileExistsError:
                    return
                os.close(fd)
                os._exit(1)

    client.register_plugin(DieOnFirstTask(), name="die-on-first-task")
    datasets = tmp_path / "dask"
    assert cli.main(["run", "--raw", str(raw_three), "--batch-size", "1", "--datasets", str(datasets),
                     "--dask-address", c.scheduler_address]) == 0
    assert capsys.readouterr().out.strip() == str(datasets / "v1.0.0")
    assert marker.exists()
    assert parquet_bytes(datasets / "v1.0.0") == parquet_bytes(threads_release)


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_a_signal_ends_a_dask_run_and_its_tasks_on_the_cluster(tmp_path, cluster, sig):
    c, client = cluster
    raw, datasets = tmp_path / "raw", tmp_path / "ds"
    write_corpus(raw, 30)
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env["PREFECT_HOME"] = str(tmp_path / "prefect")
    proc = subprocess.Popen([str(Path(sys.executable).with_name("crosswire")), "run", "--raw", str(raw),
                             "--datasets", str(datasets), "--batch-size", "1", "--dask-address",
                             c.scheduler_address], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=env, start_new_session=True)
    try:
        deadline = time.monotonic() + 240
        while entries(datasets / ".cache", "statements") < 2:
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "the run never reached the statements stage"
            time.sleep(0.05)
        os.killpg(proc.pid, sig) if sig == signal.SIGINT else proc.send_signal(sig)  # Ctrl-C reaches the group
        sent = time.monotonic()
        proc.wait(timeout=30)
        took = time.monotonic() - sent
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    err = proc.stderr.read()
    assert proc.returncode == 128 + sig and "nothing was published" in err, err
    assert took < 10, f"took {took:.1f}s to stop"
    assert not [p for p in datasets.iterdir() if p.name.startswith(("v", ".tmp"))]
    # the cluster forgets the run's tasks (the client's futures are released) and its workers live on
    deadline = time.monotonic() + 30
    while client.run_on_scheduler(lambda dask_scheduler: len(dask_scheduler.tasks)) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert client.run_on_scheduler(lambda dask_scheduler: len(dask_scheduler.tasks)) == 0
    assert len(client.scheduler_info()["workers"]) == 2
    assert 2 <= entries(datasets / ".cache", "statements") < 30


# ---- the worker's side and the driver's side of the shared store, without a cluster ---------

def _keys(n: int) -> list[str]:
    return [cache.digest("test", i) for i in range(n)]


def test_a_worker_that_sees_the_store_writes_and_returns_markers(tmp_path):
    token = release.store_token(tmp_path / "c")
    assert token and release.store_token(tmp_path / "c") == token  # one token per directory, kept
    out = release._each("articles", lambda x: {"row": {"n": x}}, [1, 2], _keys(2), tmp_path / "c", token)
    assert out == [release.STORED, release.STORED]
    assert cache.Cache(tmp_path / "c").get_many("articles", _keys(2)) == [{"row": {"n": 1}}, {"row": {"n": 2}}]


def test_a_worker_that_does_not_see_the_store_returns_its_results_and_writes_nothing(tmp_path):
    release.store_token(tmp_path / "c")
    for token in ("0" * 32, release.NO_STORE):  # another machine's directory of that name; told not to
        out = release._each("articles", lambda x: {"row": {"n": x}}, [1], _keys(1), tmp_path / "c", token)
        assert out == [{"row": {"n": 1}}]
        assert not (tmp_path / "c" / "articles").exists()


def test_results_not_to_keep_come_back_whole(tmp_path):
    token = release.store_token(tmp_path / "c")
    over = {"rejected": "time budget of 1 s exceeded", "retry": True}
    assert release._each("statements", lambda x: over, [1], _keys(1), tmp_path / "c", token) == [over]
    assert not (tmp_path / "c" / "statements").exists()


class _Done:
    """A finished future of a worker on another process (its module names distributed)."""
    __module__ = "distributed.fake"

    def __init__(self, value):
        self.value = value

    def done(self):
        return True

    def result(self):
        return self.value


class _Bar:
    def advance(self, n):
        pass

    def done(self, text):
        pass


def test_the_driver_reads_stored_results_and_asks_again_for_one_it_cannot_read(tmp_path):
    store, keys = cache.Cache(tmp_path / "c"), _keys(3)
    token = release.store_token(store.root)
    store.put("articles", keys[0], {"row": {"n": 0}})
    calls = []

    def submit(batch, bkeys, tok):
        calls.append((list(batch), tok))
        if tok == release.NO_STORE:
            return _Done([{"row": {"n": x}} for x in batch])
        # the worker says it stored 1 and 2; 2's entry is lost before the driver reads it
        store.put("articles", bkeys[0], {"row": {"n": batch[0]}})
        return _Done([release.STORED, release.STORED])

    results, computed = release._map_cached(store, _Bar(), "articles", [0, 1, 2], keys, submit, 10, token)
    assert results == [{"row": {"n": 0}}, {"row": {"n": 1}}, {"row": {"n": 2}}] and computed == 2
    assert calls == [([1, 2], token), ([2], release.NO_STORE)]
    assert store.get("articles", keys[2]) == {"row": {"n": 2}}  # the driver stored the returned result


def test_dask_address_with_the_threads_runner_is_refused(tmp_path, raw_copy, capsys):
    assert cli.main(["run", "--raw", str(raw_copy), "--datasets", str(tmp_path / "d"), "--task-runner", "threads",
                     "--dask-address", "tcp://127.0.0.1:1"]) == 1
    assert "--dask-address needs --task-runner dask" in capsys.readouterr().err
