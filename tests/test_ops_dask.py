"""Scale-out: the same flow on a Dask cluster of two worker processes gives the same bytes."""
import shutil
from pathlib import Path

from crosswire import cli
from schemas import TABLES

CORPORA = Path(__file__).parent / "corpora"


def parquet_bytes(release: Path) -> dict:
    return {p.name: p.read_bytes() for p in sorted(release.glob("data/*.parquet"))}


def test_a_dask_run_on_two_worker_processes_matches_the_threads_run(prefect_harness, raw_copy, tmp_path, capsys):
    from distributed import Client, LocalCluster

    shutil.copy(CORPORA / "extra" / "wire-summit.txt", raw_copy / "liga" / "wire-summit.txt")
    shutil.copy(CORPORA / "extra" / "wire-summit.meta.json", raw_copy / "liga" / "wire-summit.meta.json")
    common = ["run", "--raw", str(raw_copy), "--batch-size", "1", "--no-cache"]
    assert cli.main([*common, "--datasets", str(tmp_path / "threads")]) == 0

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        assert cli.main([*common, "--datasets", str(tmp_path / "dask"), "--task-runner", "dask",
                         "--dask-address", cluster.scheduler_address]) == 0
        # the NLP ran in the worker processes, not here
        loaded = client.run(lambda: __import__("sys").modules.get("crosswire.statements") is not None)
    out = capsys.readouterr().out.strip().splitlines()
    assert out == [str(tmp_path / "threads" / "v1.0.0"), str(tmp_path / "dask" / "v1.0.0")]
    assert len(loaded) == 2 and any(loaded.values())
    threads, dask = parquet_bytes(tmp_path / "threads" / "v1.0.0"), parquet_bytes(tmp_path / "dask" / "v1.0.0")
    assert len(threads) == len(TABLES) and threads == dask


def test_dask_address_without_the_dask_runner_is_refused(tmp_path, raw_copy, capsys):
    assert cli.main(["run", "--raw", str(raw_copy), "--datasets", str(tmp_path / "d"),
                     "--dask-address", "tcp://127.0.0.1:1"]) == 1
    assert "--dask-address needs --task-runner dask" in capsys.readouterr().err
