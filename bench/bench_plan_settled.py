"""Planning a release with the copy pairs of unchanged articles settled, against planning
without, on two releases of one datasets folder, in the same process, alternated.

    .venv/bin/python bench/bench_plan_settled.py DS/v1.1.0 DS/v1.2.0 [--cache DS/.cache] [--repeat 3]

BEFORE, AFTER: two consecutive releases (e.g. a 10k release and the one `crosswire run`
made after one article was added). The tables of AFTER are planned against BEFORE
(publish.plan, with the row hashes the run stored in `--cache`, as a run plans; without it
the previous release's 1.5M rows are hashed in Python, tens of seconds), once with
`settled` = the copy pairs whose two articles were in BEFORE with the same row
(articles.raw_sha256 unchanged: how the flow's steady articles look from outside), once
without. Prints the median seconds of each and their ratio; the plans must be the same.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pyarrow.compute as pc  # noqa: E402

from crosswire import cache, carry, publish  # noqa: E402
from crosswire.validate import read_table  # noqa: E402


def steady_articles(before: Path, after: Path) -> set[str]:
    old = read_table(before, "articles", columns=["article_id", "raw_sha256"]).to_pylist()
    new = {r["article_id"]: r["raw_sha256"] for r in read_table(after, "articles",
                                                                 columns=["article_id", "raw_sha256"]).to_pylist()}
    return {r["article_id"] for r in old if new.get(r["article_id"]) == r["raw_sha256"]}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("before", type=Path)
    ap.add_argument("after", type=Path)
    ap.add_argument("--cache", type=Path, help="the datasets folder's .cache (its stored row hashes)")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)
    tables = {name: read_table(args.after, name) for name in publish.TABLES}
    mask = carry.steady_pairs(tables["copies"], steady_articles(args.before, args.after), ("article_a", "article_b"))
    print(f"copies {tables['copies'].num_rows} rows, {pc.sum(mask).as_py()} settled", flush=True)
    store = cache.Cache(args.cache) if args.cache else None
    times, plans = {"without": [], "settled": []}, {}
    for _ in range(args.repeat):
        for how, settled in (("without", None), ("settled", {"copies": mask})):
            start = time.perf_counter()
            p = publish.plan(tables, args.before, store, settled=settled)
            times[how].append(time.perf_counter() - start)
            print(f"{how:8s} {times[how][-1]:6.2f} s", flush=True)  # as it goes: a trial may be cut short
            plans[how] = (p.version, p.changes, p.fresh, p.hashes)
    assert plans["without"] == plans["settled"], "the plans differ"
    for how, t in times.items():
        print(f"{how:8s} median {statistics.median(t):6.2f} s  ({', '.join(f'{x:.2f}' for x in t)})")
    print(f"ratio settled / without: {statistics.median(times['settled']) / statistics.median(times['without']):.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
