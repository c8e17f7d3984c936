"""Cost of grouping articles into events as the corpus grows.

    python bench/bench_events.py [--copies 5 10 20 40]

The press-conference corpus (tests/corpora/presser, 14 articles, 3 events) is extracted
once, then repeated N times with each copy dated ten days after the previous one (so each
copy is its own set of events) and timed through `events.cluster`. Identical copies are the
hard case for blocking (every distinctive term is shared by every copy), so this is an
upper bound on the candidate pairs real coverage of that size makes. Prints articles,
seconds, and the number of events.
"""
from __future__ import annotations

import argparse
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from crosswire import events  # noqa: E402
from fit_events import load  # noqa: E402


def repeated(arts: list[dict], stmts: list[dict], n: int) -> tuple[list[dict], list[dict]]:
    out_a, out_s = [], []
    for r in range(n):
        for a in arts:
            b = dict(a, article_id=f"{a['article_id']}_{r:04d}")
            if b.get("published"):
                b["published"] = b["published"] + timedelta(days=10 * r)
            out_a.append(b)
        out_s += [dict(s, article_id=f"{s['article_id']}_{r:04d}", statement_id=f"{s['statement_id']}_{r:04d}")
                  for s in stmts]
    return out_a, out_s


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--copies", type=int, nargs="+", default=[5, 10, 20, 40])
    args = ap.parse_args()
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
