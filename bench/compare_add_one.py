"""One article added to a corpus, this checkout against a baseline tree, alternated.

    .venv/bin/python bench/compare_add_one.py --raw RAW --add HELD --base DS \
        --code BASELINE_TREE --base-baseline DS0 [--trials 3] [--out DIR]

Each trial is a fresh process of this checkout's bench/profile_stages.py (the same
instrumentation for both trees; CROSSWIRE_BENCH_CODE names the tree it imports), adding the
files of HELD to RAW and publishing into a copy of a datasets folder: DS for this checkout,
DS0 for the baseline, each a release written by its own tree's code (a release written by
other code is checked and written again whole: publish.same_writer). In the copy, a run with
nothing added comes first (not timed): what a scheduled run finds in its cache directory is
what the run before it left there, in place (a copy's files have other inodes and ctimes,
so the checks by stats would read every entry). Baseline and this checkout alternate, one
trial at a time. Printed: the medians of each top-level stage's
(and publish's steps') wall and CPU seconds (user+sys), the run's CPU and peak RSS, and the
ratio of this checkout's CPU to the baseline's. --resident: the timed run as a watch's
check makes it (profile_stages --resident: the preload and a first check in its process).
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from profile_trials import profile, shown_stages  # noqa: E402  (this checkout's bench/)
# a copy's files are new to the cache's checks by their stats (cache.Cache.vouched): those
# changed within unchanged.RACY_NS (2 s) of a check are read, so the runs wait that long
SETTLE_S = 2.5
SHOWN = {"publish": ("plan", "validate_tables", "_write_release")}  # inner steps shown


def trial(code: Path | None, raw: str, add: str, ds: str, out: Path, resident: bool = False) -> dict:
    """One trial in a copy of `ds`: a run with nothing added, then the timed one with `add`
    (`resident`: as a watch's check, profile_stages --resident)."""
    work = Path(ds).with_name(f"{Path(ds).name}-trial-{os.getpid()}")
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(ds, work, symlinks=True)
    try:
        time.sleep(SETTLE_S)
        timed = ("--add", add, *(("--resident",) if resident else ()))
        for extra, json_out in (((), out.with_name(out.stem + "-before.json")), (timed, out)):
            result = profile(code, ["--raw", raw, "--datasets", str(work), "--keep-datasets", *extra], json_out)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return result


def figures(result: dict) -> dict:
    """{stage: (seconds, cpu)} of the top-level stages and the shown inner ones, the run's."""
    out = {}
    for name, r in shown_stages(result, SHOWN):
        if name.startswith("  "):  # an inner step run twice: its first
            out.setdefault(name, (r["seconds"], r.get("cpu", 0.0)))
        else:  # a top-level stage run twice: summed
            s, c = out.get(name, (0.0, 0.0))
            out[name] = (s + r["seconds"], c + r.get("cpu", 0.0))
    out["run"] = (result["run"], result["run_cpu"])
    out["peak RSS MB"] = (result["peak_mb"], result["peak_mb"])
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--raw", required=True)
    ap.add_argument("--add", required=True)
    ap.add_argument("--base", required=True, help="datasets folder written by this checkout's code")
    ap.add_argument("--code", required=True, help="the baseline code tree")
    ap.add_argument("--base-baseline", required=True, help="datasets folder written by the baseline's code")
    ap.add_argument("--trials", type=int, default=3)
    ap.add_argument("--out", default="/tmp", help="where the trials' JSON records go")
    ap.add_argument("--resident", action="store_true",
                    help="the timed run as a `crosswire watch` check makes it (profile_stages --resident)")
    a = ap.parse_args()
    runs = {"baseline": [], "this": []}
    for i in range(a.trials):
        for who, code, ds in (("baseline", Path(a.code).resolve(), a.base_baseline), ("this", None, a.base)):
            runs[who].append(figures(trial(code, a.raw, a.add, ds, Path(a.out) / f"add-one-{who}-{i}.json",
                                               a.resident)))
            print(f"trial {i + 1} {who}: run {runs[who][-1]['run'][0]:.2f} s, cpu {runs[who][-1]['run'][1]:.2f} s",
                  file=sys.stderr)
    print(f"medians of {a.trials} (alternated)")
    print(f"{'stage':<30}{'base s':>8}{'this s':>8}{'base cpu':>9}{'this cpu':>9}{'cpu ratio':>10}")
    for stage in runs["baseline"][0]:
        if not all(stage in r for r in runs["baseline"] + runs["this"]):
            continue
        med = {w: [statistics.median(r[stage][k] for r in runs[w]) for k in (0, 1)] for w in runs}
        ratio = med["this"][1] / med["baseline"][1] if med["baseline"][1] else float("nan")
        print(f"{stage:<30}{med['baseline'][0]:8.2f}{med['this'][0]:8.2f}{med['baseline'][1]:9.2f}"
              f"{med['this'][1]:9.2f}{ratio:10.2f}")


if __name__ == "__main__":
    main()
