"""Benchmark: the per-article name-span scans of crosswire.attribution.cast, which run on
every article (the trade before a name, the place of an office's "to" phrase).

    .venv/bin/python bench/bench_name_spans.py RAWROOT [--articles 40] [--repeat 5]

Parses the first --articles texts under RAWROOT once (not timed), then prints each scan's
median wall time over --repeat passes, its time per 1,000 tokens and the spans it found.
"""
from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from crosswire.attribution import cast
from crosswire.nlp import load

SCANS = ("_named_after_a_trade", "_named_after_a_place")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("raw", type=Path)
    ap.add_argument("--articles", type=int, default=40)
    ap.add_argument("--repeat", type=int, default=5)
    a = ap.parse_args()
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in sorted(a.raw.rglob("*.txt"))][:a.articles]
    docs = list(load().pipe(texts))
    tokens = sum(len(d) for d in docs)
    print(f"{len(docs)} articles, {tokens:,} tokens")
    for name in SCANS:
        scan = getattr(cast, name)
        times, found = [], 0
        for _ in range(a.repeat):
            t = time.perf_counter()
            found = sum(1 for d in docs for _ in scan(d))
            times.append(time.perf_counter() - t)
        med = statistics.median(times)
        print(f"{name:24} median {1000 * med:7.1f} ms (min {1000 * min(times):.1f}, max {1000 * max(times):.1f}), "
              f"{1e6 * med / tokens:6.1f} ms per 1,000 tokens, {found} spans")


if __name__ == "__main__":
    main()
