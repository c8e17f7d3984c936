"""Benchmark: quote finding must take time linear in the text's size, whatever the marks.

Builds texts of 10, 50, 100 and 200 KB (by default) from adversarial patterns of quotation
marks: openings never closed, double and single marks nested without end, possessive
"s'" that may or may not close a quotation, runs of stops and abbreviations, and a random
mix of all of them with paragraph breaks. For each pattern and size it times
`find_quotes` plus `sentences` (what the statements stage runs on every field), takes the
median of --rounds runs, and prints the medians and the ratio of each size to the one
before it, per doubling of size: about 2 per doubling is linear, 4 is quadratic.

    .venv/bin/python bench/bench_quotes_scaling.py [--sizes 10 50 100 200] [--rounds 5]

Not a unit test (timings on a shared machine vary); tests/test_quotes.py checks what is
found in such texts.
"""
from __future__ import annotations

import argparse
import math
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from crosswire.quotes import find_quotes, sentences  # noqa: E402

# pieces of a random adversarial text: every kind of mark in every context
PIECES = ["“", "”", '"', "‘", "’", "'", "«", "»", "‹", "›", " word", " Mr.", " cats'", " dogs",
          ". ", "! ", "? ", "s' ", " the '90s", " don't", "\n\n", "\n", "...", " ", " Smith said",
          ' "Why?" ', " he asked.", " U.S.", " The"]


def _repeat(unit: str, n: int) -> str:
    return (unit * (n // len(unit) + 1))[:n]


def _random_mix(n: int, seed: int = 0) -> str:
    rnd = random.Random(seed)
    out, size = [], 0
    while size < n:
        p = rnd.choice(PIECES)
        out.append(p)
        size += len(p)
    return "".join(out)[:n]


PATTERNS = {
    # one paragraph of openings that never close
    "unclosed double opens": lambda n: _repeat("“word ", n),
    "unclosed single opens": lambda n: _repeat("‘word ", n),
    # double and single openings nested one inside the other, never closed
    "nested double/single": lambda n: _repeat("“a ‘b ", n),
    # straight marks that may open or close
    "straight toggles": lambda n: _repeat('" a \' b ', n),
    # a single quotation whose s' may be an apostrophe or its end
    "possessive s'": lambda n: _repeat("‘the cats' dogs ", n),
    # quotations reopened after a full stop without closing (a lost mark)
    "reopened after a stop": lambda n: _repeat('"one. ', n),
    "runs of stops": lambda n: _repeat(".", n),
    "abbreviations": lambda n: _repeat("Mr. ", n),
    "random mix": _random_mix,
}


def _time(text: str) -> float:
    """CPU seconds of this process: on a shared machine less noisy than wall time."""
    t0 = time.process_time()
    sentences(text, find_quotes(text))
    return time.process_time() - t0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[10, 50, 100, 200], help="sizes in KB")
    ap.add_argument("--rounds", type=int, default=5)
    a = ap.parse_args(argv)
    print(f"find_quotes + sentences, median of {a.rounds} rounds, CPU seconds; 'x' = time ratio "
          "to the size before, scaled to one doubling of size; exponent = slope of log time "
          "over log size from the first size to the last (1 = linear, 2 = quadratic)")
    header = f"{'pattern':24}" + "".join(f"{s:>10} KB" for s in a.sizes) + "   per doubling  exponent"
    print(header)
    worst = 0.0
    for name, make in PATTERNS.items():
        medians = []
        for kb in a.sizes:
            text = make(kb * 1000)
            medians.append(statistics.median(_time(text) for _ in range(a.rounds)))
        ratios = []
        for (s0, m0), (s1, m1) in zip(zip(a.sizes, medians), zip(a.sizes[1:], medians[1:])):
            # the time ratio for one doubling of size: r ** (1 / log2(s1 / s0))
            ratios.append((m1 / m0) ** (1 / math.log2(s1 / s0)) if m0 > 0 else float("nan"))
        exponent = (math.log(medians[-1] / medians[0]) / math.log(a.sizes[-1] / a.sizes[0])
                    if medians[0] > 0 and len(a.sizes) > 1 else float("nan"))
        worst = max(worst, exponent) if exponent == exponent else worst
        print(f"{name:24}" + "".join(f"{m:13.4f}" for m in medians) + "   "
              + " ".join(f"x{r:.2f}" for r in ratios) + f"  {exponent:.2f}")
    print(f"largest exponent: {worst:.2f} (1 = linear, 2 = quadratic)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
