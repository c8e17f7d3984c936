"""Benchmark: what a run asks of the copies table's two article columns, with and without the
maker answering membership from the articles (TableParts.is_in, CopyPairs.arrow_rows'
`is_in` hook), in one process, alternated.

    .venv/bin/python bench/bench_pair_membership.py [--articles 10000] [--pairs 1500000] [--reps 7]

The pairs are random (numpy, a fixed seed) over article ids and outlets shaped like a
release's; a 10k-article synthetic corpus has about 1.5M pairs. Timed, each rep for both
ways: the settled pairs (carry.steady_pairs, every article but one steady) and the reference
checks (schemas.relations.check_relations of copies against articles). "column" is a
TableParts whose maker has no `is_in` (each article column made whole, 1.5M strings, then
pc.is_in), "index" the maker as it is. Prints the medians, their ratio, and whether both
ways gave the same answers.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import pyarrow as pa

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from crosswire import carry, publish  # noqa: E402
from crosswire.copies import CopyPairs  # noqa: E402
from crosswire.tableparts import TableParts  # noqa: E402
from schemas import TABLES  # noqa: E402
from schemas.relations import check_relations  # noqa: E402


def pairs_of(n_articles: int, n_pairs: int, seed: int = 0) -> CopyPairs:
    rng = np.random.default_rng(seed)
    ids = [f"art_{i:016x}" for i in rng.permutation(50 * n_articles)[:n_articles]]
    sizes = rng.integers(50, 900, n_articles)
    outlets = [f"outlet-{i % 16}" for i in range(n_articles)]
    dates = [None if i % 11 == 0 else f"2025-{1 + i % 12:02d}-{1 + i % 28:02d}T08:00:00+00:00"
             for i in range(n_articles)]
    a, b = rng.integers(0, n_articles, n_pairs), rng.integers(0, n_articles, n_pairs)
    a, b = a[a != b], b[a != b]
    common = np.minimum(rng.integers(1, 600, len(a)), np.minimum(sizes[a], sizes[b]))
    return CopyPairs(ids, a.astype(np.int64), b.astype(np.int64), common.astype(np.int64), sizes, outlets, dates)


def timed(fn) -> tuple[float, object]:
    t = time.perf_counter()
    out = fn()
    return time.perf_counter() - t, out


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=10_000)
    ap.add_argument("--pairs", type=int, default=1_500_000)
    ap.add_argument("--reps", type=int, default=7)
    a = ap.parse_args(argv)
    spec = TABLES["copies"]
    pairs = pairs_of(a.articles, a.pairs)
    made = pairs.arrow_rows(spec.arrow_schema, publish.sort_keys(spec))

    def column_only(start, stop, names=None):
        return made(start, stop, names)
    ways = {"column": TableParts(spec.arrow_schema, len(pairs), column_only),
            "index": TableParts(spec.arrow_schema, len(pairs), made)}
    steady = set(pairs.ids[1:])
    articles = pa.table({"article_id": pa.array(pairs.ids, pa.string())})
    times = {(w, job): [] for w in ways for job in ("steady_pairs", "check_relations")}
    answers = {}
    for _ in range(a.reps):
        for way, table in ways.items():
            t, settled = timed(lambda: carry.steady_pairs(table, steady, ("article_a", "article_b")))
            times[way, "steady_pairs"].append(t)
            t, errors = timed(lambda: check_relations({"copies": table, "articles": articles}))
            times[way, "check_relations"].append(t)
            answers[way] = (settled, errors)
    same = answers["column"][0].equals(answers["index"][0]) and answers["column"][1] == answers["index"][1]
    print(f"{len(pairs):,} pairs over {a.articles:,} articles; medians of {a.reps}, seconds")
    print(f"{'step':18} {'column':>8} {'index':>8} {'ratio':>6}")
    for job in ("steady_pairs", "check_relations"):
        col, idx = (statistics.median(times[w, job]) for w in ("column", "index"))
        print(f"{job:18} {col:8.3f} {idx:8.3f} {idx / col:6.2f}")
    print(f"same answers: {same}; settled pairs {answers['index'][0].true_count:,}")


if __name__ == "__main__":
    main()
