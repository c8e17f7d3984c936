"""One article added to a published corpus: a fresh `crosswire run` process against a
resident `crosswire watch`, alternated, on a base you already have (a cold run of a large
corpus takes a quarter of an hour; bench/bench_perf.py makes its own cold run instead).

    .venv/bin/python bench/bench_watch.py --raw RAW --add HELD --base DS [--repeat 3]

RAW: the raw root DS was published from; HELD: a folder laid out like RAW (<outlet>/<file>)
holding the article(s) to add; DS: a datasets folder published from RAW by this code (its
cache included). Each trial copies DS, so every trial starts from the same release and
cache (the copies sit beside DS, which names its raw root relative to itself):
- run: `crosswire run` with HELD's files added: the command's wall time and peak memory
  (as bench_perf.measured takes them), then its CPU (user+sys of it and its children);
- watch: `crosswire watch --every 0.2 -v` started on the copy, its first check (a full run
  that publishes nothing: a copied datasets folder has no run record of its own) waited
  for, HELD's files added: the seconds of the check that publishes them as the watch prints
  them, its process tree's peak memory and CPU in that check (bench_perf.watched_add).
The two alternate, one trial at a time. Printed: medians and the watch's ratio to the run.

    .venv/bin/python bench/bench_watch.py --raw RAW --add HELD --base DS --baseline-bin TREE/.venv/bin --baseline-base DS0

--baseline-bin: another code tree's environment (its `crosswire`), on DS0, a datasets folder
its own code wrote (a release of other code is checked and written again whole); its run and
watch trials alternate with this checkout's, and the ratios this / baseline are printed.
The files of HELD are removed from RAW after each trial.

    .venv/bin/python bench/bench_watch.py --raw RAW --add HELD --base DS --soak N

--soak N: one watch on one copy of DS instead, HELD's files added and removed N times (each
change publishes a release); printed per round: the publishing check's seconds and CPU and
the watch process's resident size after it: whether a resident process grows run by run.
"""
from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from bench_perf import BIN, Watched, measured, watched_add  # noqa: E402


def held_files(raw: Path, held: Path) -> list[tuple[Path, Path]]:
    """(file in HELD, where it goes in RAW) for every file of HELD's outlet folders."""
    return [(f, raw / f.parent.name / f.name) for f in sorted(held.glob("*/*")) if f.is_file()]


def sibling(base: Path, tag: str) -> Path:
    """A copy's place beside DS: a datasets folder names its raw root relative to itself."""
    return base.with_name(f"{base.name}-bench-{tag}-{os.getpid()}")


def children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def run_trial(raw: Path, ds: Path, put: list, env: dict, bin_dir: Path = BIN) -> tuple[float, float, int]:
    """-> (wall seconds, CPU seconds, peak MB) of `crosswire run` with `put` added."""
    for src, dst in put:
        shutil.copy(src, dst)
    cpu0 = children_cpu()
    took, _, _, driver = measured([str(bin_dir / "crosswire"), "run", "--raw", str(raw), "--datasets", str(ds)], env, ds)
    return took, children_cpu() - cpu0, driver // 2**20


def watch_trial(raw: Path, ds: Path, put: list, env: dict, bin_dir: Path = BIN) -> tuple[float, float, int]:
    """-> (seconds of the publishing check, CPU seconds in it, peak MB) of `crosswire watch`."""
    cmd = [str(bin_dir / "crosswire"), "watch", "--raw", str(raw), "--datasets", str(ds), "--every", "0.2", "-v"]
    (seconds, _, driver), cpu = watched_add(cmd, env, put)
    return seconds, cpu, driver // 2**20


def soak(raw: Path, ds: Path, put: list, env: dict, rounds: int) -> None:
    """HELD's files added and removed `rounds` times under one watch; a line per change."""
    cmd = [str(BIN / "crosswire"), "watch", "--raw", str(raw), "--datasets", str(ds), "--every", "0.2", "-v"]
    with Watched(cmd, env) as w:
        w.next_check()
        print(f"after the first check: {w.rss()[1] / 2**20:,.0f} MB")
        print("| round | change | seconds | CPU s | resident MB after |\n|---:|---|---:|---:|---:|")
        try:
            for i in range(rounds):
                for change in ("added", "removed"):
                    cpu0 = w.cpu()
                    for src, dst in put:
                        shutil.copy(src, dst) if change == "added" else dst.unlink()
                    line, seconds = w.next_check()
                    if "published" not in line:
                        raise SystemExit(f"round {i}: {change}: {line}")
                    print(f"| {i + 1} | {change} | {seconds:.2f} | {w.cpu() - cpu0:.2f} | {w.rss()[1] / 2**20:,.0f} |",
                          flush=True)
        finally:
            for _, dst in put:
                dst.unlink(missing_ok=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--raw", required=True)
    ap.add_argument("--add", required=True, help="folder of the article(s) to add, laid out like RAW")
    ap.add_argument("--base", required=True, help="datasets folder published from RAW (copied per trial)")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--soak", type=int, metavar="N", help="add and remove HELD N times under one watch instead")
    ap.add_argument("--baseline-bin", metavar="DIR",
                    help="another code tree's venv bin/ (its crosswire): its trials alternate with this checkout's")
    ap.add_argument("--baseline-base", metavar="DS0", help="with --baseline-bin: a datasets folder that tree's code wrote")
    a = ap.parse_args()
    if bool(a.baseline_bin) != bool(a.baseline_base):
        ap.error("--baseline-bin and --baseline-base go together")
    raw, base = Path(a.raw).resolve(), Path(a.base).resolve()
    put = held_files(raw, Path(a.add))
    if not put:
        ap.error(f"{a.add}: no <outlet>/<file> to add")
    if any(dst.exists() for _, dst in put):
        ap.error("the files to add are in RAW already")
    if a.soak:
        with tempfile.TemporaryDirectory(prefix="bench-watch-") as tmp:
            ds = sibling(base, "soak")
            shutil.copytree(base, ds, symlinks=True)
            try:
                soak(raw, ds, put, dict(os.environ, PREFECT_HOME=str(Path(tmp) / "prefect")), a.soak)
            finally:
                shutil.rmtree(ds)
        return
    trees = [("this", BIN, base)]
    if a.baseline_bin:
        trees.append(("baseline", Path(a.baseline_bin).resolve(), Path(a.baseline_base).resolve()))
    results: dict[tuple[str, str], list[tuple[float, float, int]]] = {}
    load0 = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="bench-watch-") as tmp:
        env = dict(os.environ, PREFECT_HOME=str(Path(tmp) / "prefect"), PREFECT_SERVER_ANALYTICS_ENABLED="false")
        for i in range(a.repeat):
            for tree, bin_dir, tree_base in trees:
                for kind, trial in (("run", run_trial), ("watch", watch_trial)):
                    ds = sibling(tree_base, f"{kind}-{i}")
                    shutil.copytree(tree_base, ds, symlinks=True)
                    os.sync()  # the copy's GBs written back now, not under the timed check
                    try:
                        if kind == "run":  # the copy's first run reads its cache in full: not timed (as the watch's)
                            measured([str(bin_dir / "crosswire"), "run", "--raw", str(raw), "--datasets", str(ds)], env)
                        time.sleep(2.5)  # past the cache's racy window (unchanged.RACY_NS) for both alike
                        results.setdefault((tree, kind), []).append(trial(raw, ds, put, env, bin_dir))
                    finally:
                        for _, dst in put:
                            dst.unlink(missing_ok=True)
                        shutil.rmtree(ds)
                    r = results[tree, kind][-1]
                    print(f"{tree} {kind} {i}: {r[0]:.2f} s, CPU {r[1]:.2f} s, peak {r[2]:,} MB", file=sys.stderr, flush=True)
    med = {k: [statistics.median(x[j] for x in v) for j in range(3)] for k, v in results.items()}
    print(f"one article added to {raw} ({len(put)} file(s)); base {base}"
          f"{f'; baseline {trees[1][1]} on {trees[1][2]}' if len(trees) > 1 else ''}; medians of {a.repeat}, alternated; "
          f"load {' '.join(f'{x:.2f}' for x in load0)} at start, {' '.join(f'{x:.2f}' for x in os.getloadavg())} at end")
    print("| | seconds | CPU s | peak MB |\n|---|---:|---:|---:|")
    for tree, _, _ in trees:
        for k, label in (("run", "`crosswire run` (fresh process)"), ("watch", "`crosswire watch` (resident)")):
            m = med[tree, k]
            print(f"| {label}{f', {tree}' if len(trees) > 1 else ''} | {m[0]:.2f} | {m[1]:.2f} | {m[2]:,.0f} |")
        print(f"{tree}: watch / run: {med[tree, 'watch'][0] / med[tree, 'run'][0]:.2f} x the seconds, "
              f"{med[tree, 'watch'][1] / med[tree, 'run'][1]:.2f} x the CPU")
    if len(trees) > 1:
        for k in ("run", "watch"):
            print(f"{k}: this / baseline: {med['this', k][0] / med['baseline', k][0]:.2f} x the seconds, "
                  f"{med['this', k][1] / med['baseline', k][1]:.2f} x the CPU")


if __name__ == "__main__":
    main()
