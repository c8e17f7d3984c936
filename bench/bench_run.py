"""Wall time of `crosswire run` on raw/: cold (fresh Prefect home, fresh datasets/), and a
re-run with nothing changed; against the cost of Prefect alone (a one-task flow) measured
in the same run, so that the share of orchestration start-up is visible.

    .venv/bin/python bench/bench_run.py --repeat 3
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
TRIVIAL = "from prefect import flow, task\n@task\ndef t(): return 1\n@flow\ndef f(): return t()\nf()\n"


def timed(cmd: list[str], env: dict) -> float:
    start = time.perf_counter()
    done = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"{cmd} failed: {done.stderr[-2000:]}")
    return time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--raw", default=str(ROOT / "raw"))
    a = ap.parse_args()
    rows: dict[str, list[float]] = {k: [] for k in ("prefect_cold", "prefect_warm", "run_cold", "run_noop")}
    for _ in range(a.repeat):
        with tempfile.TemporaryDirectory() as tmp:
            env = dict(os.environ, PREFECT_HOME=f"{tmp}/prefect", PREFECT_LOGGING_LEVEL="CRITICAL",
                       PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS="180",
                       PREFECT_SERVER_ANALYTICS_ENABLED="false")
            rows["prefect_cold"].append(timed([str(BIN / "python"), "-c", TRIVIAL], env))
            rows["prefect_warm"].append(timed([str(BIN / "python"), "-c", TRIVIAL], env))
        with tempfile.TemporaryDirectory() as tmp:
            env = dict(os.environ, PREFECT_HOME=f"{tmp}/prefect")
            run = [str(BIN / "crosswire"), "run", "--raw", a.raw, "--datasets", f"{tmp}/datasets"]
            rows["run_cold"].append(timed(run, env))
            rows["run_noop"].append(timed(run, env))
    med = {k: statistics.median(v) for k, v in rows.items()}
    print(f"{'measure':<14}{'median s':>10}{'min':>8}{'max':>8}")
    for k, v in rows.items():
        print(f"{k:<14}{med[k]:>10.2f}{min(v):>8.2f}{max(v):>8.2f}")
    print(f"Prefect alone is {med['prefect_cold'] / med['run_cold']:.0%} of a cold run "
          f"and {med['prefect_warm'] / med['run_noop']:.0%} of a no-op re-run (medians, n={a.repeat})")


if __name__ == "__main__":
    main()
