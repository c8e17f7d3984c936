"""CPU and peak memory of one cold `events.cluster` call, each trial in a fresh process, for
two code versions compared in one sitting, with a digest of the grouping each made.

    python bench/bench_events_cold.py RELEASE_DIR --code A=CHECKOUT [--code B=CHECKOUT ...]
                                      [--sizes 2000 4000] [--repeat R] [--trials 3] [--no-store]

RELEASE_DIR is a release (its articles with text and statements are the input, as
bench_events_store.load reads them); a size takes the first N articles by (published,
article_id) (0: all), after `--repeat R` has taken the release R times over (each copy dated
after the last ends, its own events: bench_events.repeated). Each `--code LABEL=DIR` names a
checkout whose crosswire is imported (e.g. `git archive main | tar -x -C /tmp/ev-main`, and
this tree). The trials of the codes alternate (A B A B ...), one process at a time.

A trial loads the input, then resets the process's peak resident size (/proc/self/clear_refs
5: VmHWM and ru_maxrss restart from the current size) and calls `events.cluster` once with an
empty store (the release flow's cold run; `--no-store`: without a store). Reported per code
and size, medians over the trials: CPU seconds of the call (user + sys, getrusage), its peak
resident size (ru_maxrss after the reset), the rise of that peak above the size before the
call (the process base: interpreter, libraries, the loaded input), the process's peak over the
whole trial (loading included: ru_maxrss of the trial before the reset, or after if larger),
and the digests of the grouping (event_id per article) and of the whole Grouping (members,
spans, tying terms, label words), which must be the same for every code. Ratios: each code's
medians over the first code's.
"""
from __future__ import annotations

import argparse
import gc
import hashlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import procstats
from procstats import MB

BENCH = Path(__file__).resolve().parent


def child(code: str, release: str, size: int, repeat: int, store: bool) -> dict:
    """One trial in this process: load, reset the peak, one cold call."""
    sys.path.insert(0, str(Path(code).resolve()))
    from crosswire import events   # before the bench modules, which put this tree on the path

    sys.path.insert(1, str(BENCH))
    from bench_events import repeated
    from bench_events_store import digest, load, subset

    assert Path(events.__file__).resolve().is_relative_to(Path(code).resolve()), events.__file__
    arts, stmts = load(Path(release))
    if repeat > 1:
        dates = [a["published"] for a in arts if a.get("published")]
        arts, stmts = repeated(arts, stmts, repeat, days=(max(dates) - min(dates)).days + 30 if dates else 0)
    arts, stmts = subset(arts, stmts, size)
    gc.collect()
    load_peak = procstats.peak()
    root = Path(tempfile.mkdtemp(prefix="bench-ev-cold-")) if store else None
    try:
        procstats.reset_peak()
        base = procstats.rss()
        cpu, wall = procstats.cpu(), time.perf_counter()
        grouping = events.cluster(arts, stmts, store_root=root)
        cpu, wall = procstats.cpu() - cpu, time.perf_counter() - wall
        peak = procstats.peak()
    finally:
        if root is not None:
            shutil.rmtree(root, ignore_errors=True)
    ids = json.dumps(sorted(grouping.event_of.items())).encode()
    return {"articles": len(arts), "cpu": cpu, "wall": wall, "peak": peak / MB, "rise": (peak - base) / MB,
            "base": base / MB, "process_peak": max(load_peak, peak) / MB, "events": len(grouping.members),
            "event_of": hashlib.sha256(ids).hexdigest()[:12], "grouping": digest(grouping)}


FIGURES = ("cpu", "wall", "peak", "rise", "process_peak")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("release")
    ap.add_argument("--code", action="append", required=True, help="LABEL=CHECKOUT (repeatable)")
    ap.add_argument("--sizes", type=int, nargs="+", default=[2000, 4000])
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--trials", type=int, default=3)
    ap.add_argument("--no-store", action="store_true")
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--json", help="write every trial's figures here")
    args = ap.parse_args()
    if args.child:
        label, code = args.code[0].split("=", 1)
        print(json.dumps(child(code, args.release, args.sizes[0], args.repeat, not args.no_store)))
        return
    codes = [c.split("=", 1) for c in args.code]
    trials: dict = {}
    for size in args.sizes:
        for t in range(args.trials):
            for label, code in codes:
                cmd = [sys.executable, "-B", __file__, args.release, "--child", "--code", f"{label}={code}",
                       "--sizes", str(size), "--repeat", str(args.repeat)] + (["--no-store"] if args.no_store else [])
                out = subprocess.run(cmd, check=True, capture_output=True, text=True, env=dict(os.environ)).stdout
                rec = json.loads(out.strip().splitlines()[-1])
                trials.setdefault((size, label), []).append(rec)
                print(f"size {size} trial {t} {label}: " + " ".join(
                    f"{k} {rec[k]:.1f}" for k in FIGURES) + f" events {rec['events']} event_of {rec['event_of']} "
                      f"grouping {rec['grouping']}", flush=True)
    print(f"\n{'size':>6} {'articles':>8} {'code':>8} " + " ".join(f"{k:>12}" for k in FIGURES) +
          f" {'event_of':>12} {'grouping':>12}")
    for size in args.sizes:
        first = None
        for label, _ in codes:
            recs = trials[(size, label)]
            med = {k: statistics.median(r[k] for r in recs) for k in FIGURES}
            first = first or med
            digests = {(r["event_of"], r["grouping"]) for r in recs}
            eo, gr = digests.pop() if len(digests) == 1 else ("VARIES", "VARIES")
            print(f"{size:6d} {recs[0]['articles']:8d} {label:>8} " + " ".join(f"{med[k]:12.1f}" for k in FIGURES) +
                  f" {eo:>12} {gr:>12}")
            print(f"{'':6} {'':8} {'ratio':>8} " + " ".join(f"{med[k] / first[k]:12.3f}" for k in FIGURES))
    if args.json:
        Path(args.json).write_text(json.dumps({f"{s}:{l}": r for (s, l), r in trials.items()}, indent=1))


if __name__ == "__main__":
    main()
