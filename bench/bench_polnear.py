"""Benchmark: statements on a PolNeAR split, the table of issue 14.

Runs a split prepared by polnear.py (`polnear.py prepare GITDIR OUT --split dev`) through
`crosswire run`, scores the release with `polnear.py score` and prints one table row:
quoted P / R, indirect P / R, indirect recall on speech-verb cues, speaker accuracy on
quoted and on indirect statements, and the calibration of `confidence` (expected
calibration error, bench/fit_confidence.py).

    .venv/bin/python bench/bench_polnear.py OUT [--datasets DIR] [--polnear PATH] [--show]

OUT is the prepared split (OUT/rawroot, OUT/gold.json). The release goes to --datasets
(default: a temporary folder, removed afterwards). PolNeAR texts carry no licence: keep
OUT and the release outside the repository. Develop on train, report on dev, never score
the test split.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

from fit_confidence import DEFAULT_POLNEAR, ece, load_polnear, outcomes  # noqa: E402


def crosswire_run(raw: Path, datasets: Path) -> Path:
    env = dict(os.environ)
    env.setdefault("PREFECT_HOME", str(datasets.parent / ".prefect-bench"))
    env.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")
    env.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    exe = ROOT / ".venv" / "bin" / "crosswire"
    cmd = [str(exe) if exe.exists() else "crosswire", "run", "--raw", str(raw), "--datasets", str(datasets)]
    done = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"crosswire run failed: {done.stderr.strip().splitlines()[-1:] or done.returncode}")
    releases = sorted(datasets.glob("v*"), key=lambda p: tuple(int(x) for x in p.name[1:].split(".")))
    if not releases:
        sys.exit(f"{datasets}: crosswire run published no release")
    return releases[-1]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("split", help="folder written by polnear.py prepare")
    ap.add_argument("--datasets", help="where to publish the release (default: a temporary folder)")
    ap.add_argument("--polnear", default=str(DEFAULT_POLNEAR))
    ap.add_argument("--show", action="store_true", help="also print polnear.py's misses and errors")
    a = ap.parse_args(argv)
    split = Path(a.split)
    if not (split / "gold.json").is_file() or not (split / "rawroot").is_dir():
        sys.exit(f"{split}: not a prepared PolNeAR split (no gold.json or rawroot/)")
    pn = load_polnear(Path(a.polnear))
    with tempfile.TemporaryDirectory(prefix="bench-polnear-") as tmp:
        datasets = Path(a.datasets) if a.datasets else Path(tmp) / "datasets"
        t0 = time.perf_counter()
        release = crosswire_run(split / "rawroot", datasets)
        seconds = time.perf_counter() - t0
        report = Path(tmp) / "score.json"
        args = ["score", str(release), str(split), "--json", str(report)] + (["--show"] if a.show else [])
        pn.main(args)
        res = json.loads(report.read_text())["results"]
        err, _ = ece(outcomes(pn, release, split))
    q, ind, sc = res["quoted"], res["indirect"], res["indirect_speech_cue_recall"]

    def f(x):
        return "n/a" if x is None else f"{x:.3f}"
    prep = json.loads((split / "prepare.json").read_text()) if (split / "prepare.json").exists() else {}
    print()
    print(f"PolNeAR {prep.get('split', '?')} split, {prep.get('articles', '?')} articles; "
          f"crosswire run {seconds:.0f} s; release {release}")
    print("| on PolNeAR | quoted P / R | indirect P / R | indirect with a speech cue R "
          "| speaker accuracy quoted / indirect | confidence ECE |")
    print("|---|---|---|---|---|---|")
    print(f"| crosswire | {f(q['precision'])} / {f(q['recall'])} | {f(ind['precision'])} / {f(ind['recall'])} "
          f"| {f(sc['recall'])} | {f(q['attribution']['accuracy'])} / {f(ind['attribution']['accuracy'])} "
          f"| {err:.3f} |")


if __name__ == "__main__":
    main()
