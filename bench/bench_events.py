"""Cost of grouping articles into events as the corpus grows, and what one added article moves.

    python bench/bench_events.py [--copies 5 10 20 40]
    python bench/bench_events.py --release RELEASE_DIR [--sizes 2000 4000] [--repeat R] [--truth TRUTH.json] [--seed 0]
                                 [--undated] [--code CHECKOUT]

The press-conference corpus (tests/corpora/presser, 14 articles, 3 events) is extracted
once, then repeated N times with each copy dated ten days after the previous one (so each
copy is its own set of events) and timed through `events.cluster`. Identical copies are the
hard case for blocking (every distinctive term is shared by every copy), so this is an
upper bound on the candidate pairs real coverage of that size makes. Prints articles,
seconds, and the number of events.

With `--release` (a release's articles and statements as input, bench_events_store.load):
per size S, the first S articles by (published, article_id); one of them, drawn with
`--seed`, is "added" to the other S-1. `events.cluster` runs cold on the S-1 with a store
(a release), then on all S with that store and the first grouping as `previous` (the
incremental run, timed: "one added"), then cold on all S without a store (timed). Printed:
the times, the old articles whose event_id moved, the events of the first grouping whose
members changed (besides taking the new article), and whether the incremental grouping
equals the cold one (same partition). With `--truth` (bench/make_corpus.py), the cold
grouping's pairwise precision/recall against the generated events (score_synthetic).
`--repeat R` takes the release's articles R times (each copy dated after the previous one
ends, its own events), to reach sizes the release does not hold. `--undated`: the added
article is drawn among the undated ones. Also printed: the resident size the one-added call
gains at its peak (sampled every 5 ms) and how many articles it regrouped (when the code
reports it). `--code CHECKOUT`: time that checkout's crosswire (e.g. `git archive main`
unpacked) instead of this one's, so that two branches are compared by one script.
"""
from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
if "--code" in sys.argv:   # before crosswire is imported
    sys.path.insert(0, str(Path(sys.argv[sys.argv.index("--code") + 1]).resolve()))

from crosswire import events  # noqa: E402
from fit_events import load  # noqa: E402
from profile_stages import Sampler, rss  # noqa: E402


def repeated(arts: list[dict], stmts: list[dict], n: int, days: int = 10) -> tuple[list[dict], list[dict]]:
    out_a, out_s = [], []
    for r in range(n):
        for a in arts:
            b = dict(a, article_id=f"{a['article_id']}_{r:04d}")
            if b.get("published"):
                b["published"] = b["published"] + timedelta(days=days * r)
            out_a.append(b)
        out_s += [dict(s, article_id=f"{s['article_id']}_{r:04d}", statement_id=f"{s['statement_id']}_{r:04d}")
                  for s in stmts]
    return out_a, out_s


def partition(grouping) -> set:
    return {frozenset(ids) for ids in grouping.members.values()}


def one_added(release: Path, sizes: list[int], seed: int, truth_path: str | None, repeat: int = 1,
              undated: bool = False) -> None:
    import json

    from bench_events_store import load as load_release, subset
    from score_synthetic import event_scores

    all_arts, all_stmts = load_release(release)
    if repeat > 1:
        dates = [a["published"] for a in all_arts if a.get("published")]
        days = (max(dates) - min(dates)).days + 30 if dates else 0    # each copy after the last
        all_arts, all_stmts = repeated(all_arts, all_stmts, repeat, days=days)
        for a in all_arts:
            a["raw_path"] = a["raw_path"] if a["article_id"].endswith("_0000") else a["article_id"]
    truth = json.loads(Path(truth_path).read_text(encoding="utf-8")) if truth_path else None
    print(f"code {events.__file__}")
    print(f"{'articles':>8} {'one added s':>11} {'cold s':>7} {'moved':>6} {'events changed':>14} {'events':>7} "
          f"{'same as cold':>12} {'peak +MB':>8} {'regrouped':>9}" + ("  precision recall" if truth else ""))
    sampler = Sampler()
    sampler.start()
    for size in sizes:
        arts, stmts = subset(all_arts, all_stmts, size)
        new = random.Random(seed).choice(sorted(a["article_id"] for a in arts
                                                if not undated or a.get("published") is None))
        base = [a for a in arts if a["article_id"] != new]
        store = Path(tempfile.mkdtemp(prefix="bench-ev-"))
        try:
            before = events.cluster(base, stmts, store_root=store)
            counts, start, mark = {}, rss(), sampler.mark()
            t = time.perf_counter()
            after = events.cluster(arts, stmts, previous=before.event_of, store_root=store, counts=counts)
            added_s = time.perf_counter() - t
            peak = (sampler.peak_since(mark) - start) / 2**20
        finally:
            shutil.rmtree(store, ignore_errors=True)
        t = time.perf_counter()
        cold = events.cluster(arts, stmts)
        cold_s = time.perf_counter() - t
        moved = sum(before.event_of[a] != after.event_of[a] for a in before.event_of)
        changed = sum(frozenset(ids) not in {g - {new} for g in partition(after)} for ids in before.members.values())
        row = (f"{len(arts):8d} {added_s:11.2f} {cold_s:7.2f} {moved:6d} {changed:14d} {len(after.members):7d} "
               f"{str(partition(after) == partition(cold)):>12} {peak:8.0f} {counts.get('regrouped', '-'):>9}")
        if truth:
            path = {a["article_id"]: a["raw_path"] for a in arts}
            sc = event_scores({path[a]: e for a, e in cold.event_of.items()}, truth)
            row += f"  {sc['precision']:9.3f} {sc['recall']:6.3f}"
        print(row, flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--copies", type=int, nargs="+", default=[5, 10, 20, 40])
    ap.add_argument("--release", help="time one added article on this release's articles instead")
    ap.add_argument("--sizes", type=int, nargs="+", default=[2000, 4000])
    ap.add_argument("--seed", type=int, default=0, help="which article is the added one")
    ap.add_argument("--truth", help="bench/make_corpus.py --truth of the release's raw corpus")
    ap.add_argument("--repeat", type=int, default=1, help="the release's articles this many times over")
    ap.add_argument("--undated", action="store_true", help="add an undated article")
    ap.add_argument("--code", help="a checkout whose crosswire to time (read before the imports)")
    args = ap.parse_args()
    if args.release:
        return one_added(Path(args.release), args.sizes, args.seed, args.truth, args.repeat, args.undated)
    arts, stmts = load(ROOT / "tests" / "corpora" / "presser")
    print(f"{'articles':>8} {'seconds':>8} {'ms/article':>10} {'events':>7}")
    for n in args.copies:
        a, s = repeated(arts, stmts, n)
        t = time.perf_counter()
        grouping = events.cluster(a, s)
        dt = time.perf_counter() - t
        print(f"{len(a):8d} {dt:8.2f} {1000 * dt / len(a):10.2f} {len(grouping.members):7d}", flush=True)


if __name__ == "__main__":
    main()
