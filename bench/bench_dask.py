"""Scale-out: `crosswire run` on a standing local Dask cluster against the default path,
one sitting, the same corpus, each into an empty datasets/ (empty cache):

- default: `crosswire run` (threads + its NLP worker processes);
- dask: `dask scheduler` and N `dask worker --nthreads 1` processes started first (their
  start-up is reported apart: a cluster stands between runs), then
  `crosswire run --dask-address tcp://...`.

Wall time is the `crosswire run` command's. Peak memory is sampled every 0.1 s as the sum of
the resident sizes of every process of the path: the command and its children, and for
Dask also the scheduler and the workers (their process trees); the driver's own peak is
reported apart (it holds keys and the rows it reads back, not spaCy). The two releases'
tables are compared byte for byte.

    .venv/bin/python bench/bench_dask.py /work/pn/train/rawroot [--workers 2] [-- extra run options]
"""
from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT / "bench"))
from bench_perf import descendants, rss_bytes  # noqa: E402


class Peak:
    """Peak summed RSS of the process trees of some root pids (more can be added), and of one tree alone."""

    def __init__(self, roots: list[int]):
        self.roots, self.peak, self.own_peak, self.own = list(roots), 0, 0, None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self):
        while not self._stop.is_set():
            total = own = 0
            for root in list(self.roots):
                size = sum(rss_bytes(p) for p in descendants(root))
                total += size
                own += size if root == self.own else 0
            self.peak, self.own_peak = max(self.peak, total), max(self.own_peak, own)
            time.sleep(0.1)

    def stop(self):
        self._stop.set()
        self._thread.join()


def run_measured(cmd: list[str], env: dict, others: list[int]) -> dict:
    """Run cmd; -> wall seconds, peak summed RSS of its tree and of `others`' trees, its own peak, stdout."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = Peak([proc.pid, *others])
    peak.own = proc.pid
    out, err = proc.communicate()
    took = time.perf_counter() - start
    peak.stop()
    if proc.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed ({proc.returncode}): {err[-3000:]}")
    return {"seconds": took, "peak": peak.peak, "driver_peak": peak.own_peak, "out": out.strip()}


def start_cluster(tmp: Path, workers: int, env: dict) -> tuple[str, list[subprocess.Popen], float]:
    """A scheduler and `workers` single-thread workers; -> (address, processes, seconds until all joined)."""
    start = time.perf_counter()
    sched_file = tmp / "scheduler.json"
    logs = open(tmp / "cluster.log", "w")
    procs = [subprocess.Popen([str(BIN / "dask"), "scheduler", "--host", "127.0.0.1", "--port", "0",
                               "--no-dashboard", "--scheduler-file", str(sched_file)],
                              env=env, stdout=logs, stderr=logs, cwd=tmp)]
    deadline = time.monotonic() + 300
    while not sched_file.exists():
        if time.monotonic() > deadline or procs[0].poll() is not None:
            sys.exit(f"the Dask scheduler did not start: see {tmp / 'cluster.log'}")
        time.sleep(0.2)
    time.sleep(0.5)  # the file is written whole before the scheduler listens; be safe
    address = json.loads(sched_file.read_text())["address"]
    for _ in range(workers):
        procs.append(subprocess.Popen([str(BIN / "dask"), "worker", address, "--nthreads", "1", "--nworkers", "1",
                                       "--no-dashboard", "--local-directory", str(tmp / "dask-workers")],
                                      env=env, stdout=logs, stderr=logs, cwd=ROOT))
    from distributed import Client

    with Client(address, timeout=300) as client:
        client.wait_for_workers(workers, timeout=600)
    return address, procs, time.perf_counter() - start


def stop_cluster(procs: list[subprocess.Popen]) -> None:
    for p in reversed(procs):
        if p.poll() is None:
            p.send_signal(signal.SIGTERM)
    for p in reversed(procs):
        try:
            p.wait(timeout=30)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()


def tables(release: Path) -> dict:
    found = {p.name: p.read_bytes() for p in sorted(release.glob("data/*.parquet"))}
    if not found:
        sys.exit(f"no tables in {release}")
    return found


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("raw", help="a raw root (raw/<source>/source.toml + articles)")
    ap.add_argument("--workers", type=int, default=2, help="Dask worker processes (one thread each)")
    ap.add_argument("--dask-first", action="store_true", help="run the Dask path before the default one")
    ap.add_argument("--warm", action="store_true",
                    help="also a second Dask run into another empty datasets/ on the same (warm) cluster")
    ap.add_argument("extra", nargs="*", help="further `crosswire run` options (after --)")
    a = ap.parse_args()
    raw = Path(a.raw).resolve()
    n_articles = sum(1 for p in raw.glob("*/*") if p.suffix in (".txt", ".html", ".htm"))
    with tempfile.TemporaryDirectory(prefix="bench-dask-") as tmp:
        tmp = Path(tmp)
        env = dict(os.environ, PREFECT_HOME=str(tmp / "prefect"), PREFECT_SERVER_ANALYTICS_ENABLED="false",
                   PREFECT_LOGGING_LEVEL="WARNING")
        env.pop("PREFECT_API_URL", None)
        run = [str(BIN / "crosswire"), "run", "--prefect", "never", "--raw", str(raw), *a.extra]
        results = {}

        def default_path():
            results["default"] = run_measured([*run, "--datasets", str(tmp / "ds-default")], env, [])

        def dask_path():
            address, procs, startup = start_cluster(tmp, a.workers, env)
            try:
                results["dask"] = run_measured([*run, "--datasets", str(tmp / "ds-dask"), "--dask-address", address],
                                               env, [p.pid for p in procs])
                results["dask"]["startup"] = startup
                if a.warm:
                    results["warm"] = run_measured([*run, "--datasets", str(tmp / "ds-warm"), "--dask-address",
                                                    address], env, [p.pid for p in procs])
            finally:
                stop_cluster(procs)

        for step in ((dask_path, default_path) if a.dask_first else (default_path, dask_path)):
            step()
        same = tables(Path(results["default"]["out"].splitlines()[-1])) == \
            tables(Path(results["dask"]["out"].splitlines()[-1]))
        if "warm" in results:
            same = same and tables(Path(results["dask"]["out"].splitlines()[-1])) == \
                tables(Path(results["warm"]["out"].splitlines()[-1]))

    d, k = results["default"], results["dask"]
    print(f"corpus {raw}: {n_articles} article files; {os.cpu_count()} cores; one sitting, cold runs "
          f"(empty cache); Dask: {a.workers} workers x 1 thread, cluster start-up {k['startup']:.1f} s (not counted)")
    print("| path | wall s | ratio | peak memory (all processes) | `crosswire run` process tree |\n|---|---:|---:|---:|---:|")
    print(f"| default (threads + {min(2, os.cpu_count() or 1)} NLP processes) | {d['seconds']:.1f} | 1.00 | "
          f"{d['peak'] / 2**20:,.0f} MB | {d['driver_peak'] / 2**20:,.0f} MB |")
    print(f"| Dask, --dask-address | {k['seconds']:.1f} | {k['seconds'] / d['seconds']:.2f} | "
          f"{k['peak'] / 2**20:,.0f} MB | {k['driver_peak'] / 2**20:,.0f} MB |")
    if "warm" in results:
        w = results["warm"]
        print(f"| Dask again, same cluster (workers warm) | {w['seconds']:.1f} | {w['seconds'] / d['seconds']:.2f} | "
              f"{w['peak'] / 2**20:,.0f} MB | {w['driver_peak'] / 2**20:,.0f} MB |")
    print(f"tables identical: {'yes' if same else 'NO'}")


if __name__ == "__main__":
    main()
