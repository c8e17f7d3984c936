"""Benchmark: throughput of the statements stage against the bare spaCy pipeline.

A synthetic corpus from the hand-written test articles (tests/corpora/statements),
repeated with the people's names and places varied to about --words words. Each round
times `extract_statements` and the bare pipeline (`nlp.pipe` over the same fields, same
components enabled) in the same process, alternating which goes first; the report gives
medians, min-max and the ratio of medians.

    .venv/bin/python bench/bench_statements.py [--words 50000] [--rounds 5]
"""
from __future__ import annotations

import argparse
import random
import re
import statistics
import sys
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from crosswire.nlp import load, model_name  # noqa: E402
from crosswire.statements import SECTIONS, extract_statements  # noqa: E402

CORPUS = ROOT / "tests" / "corpora" / "statements"
SWAPS = [("Delgado", ["Okafor", "Lindgren", "Moreau", "Castillo"]),
         ("Reed", ["Hale", "Brandt", "Osei", "Novak"]),
         ("Ortiz", ["Ferreira", "Kowalski", "Haddad", "Ibarra"]),
         ("Geneva", ["Vienna", "Oslo", "Doha", "Ankara"]),
         ("Leeds", ["Bristol", "Cardiff", "Derby", "York"])]


def base_articles() -> list[dict]:
    out = []
    for path in sorted(CORPUS.glob("*.toml")):
        case = tomllib.loads(path.read_text(encoding="utf-8"))
        out.append({"article_id": path.stem, "title": case["title"].strip(),
                    "standfirst": (case.get("standfirst") or "").strip() or None,
                    "summary": (case.get("summary") or "").strip() or None,
                    "text": case["text"].strip()})
    return out


def corpus(target_words: int, seed: int = 11) -> list[dict]:
    rng = random.Random(seed)
    base, out, words, k = base_articles(), [], 0, 0
    while words < target_words:
        a = dict(base[k % len(base)])
        for name, options in SWAPS:
            new = rng.choice(options)
            for f in ("title", "standfirst", "summary", "text"):
                if a[f]:
                    a[f] = a[f].replace(name, new)
        a["article_id"] = f"art_{k:016x}"
        out.append(a)
        words += count_words(a)
        k += 1
    return out


def count_words(a: dict) -> int:
    return sum(len(re.findall(r"\w+", a[f] or "")) for _, f in SECTIONS)


def texts(articles):
    return [a[f] for a in articles for _, f in SECTIONS if isinstance(a.get(f), str) and a[f].strip()]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--words", type=int, default=50_000)
    ap.add_argument("--rounds", type=int, default=5)
    a = ap.parse_args()
    nlp = load()
    articles = corpus(a.words)
    n_words = sum(map(count_words, articles))
    fields = texts(articles)
    list(nlp.pipe(fields[:20]))  # warm up
    bare, stage, n_statements = [], [], 0
    for r in range(a.rounds):
        runs = [("bare", lambda: list(nlp.pipe(fields, batch_size=64))),
                ("stage", lambda: extract_statements(articles, nlp=nlp))]
        if r % 2:
            runs.reverse()
        for name, fn in runs:
            t = time.perf_counter()
            result = fn()
            dt = time.perf_counter() - t
            (bare if name == "bare" else stage).append(n_words / dt)
            if name == "stage":
                n_statements = len(result)
    mb, ms = statistics.median(bare), statistics.median(stage)
    print(f"pipeline {model_name(nlp)} components={nlp.pipe_names}")
    print(f"corpus: {len(articles)} articles, {len(fields)} fields, {n_words} words, "
          f"{n_statements} statements; {a.rounds} rounds")
    print(f"bare spaCy nlp.pipe : median {mb:8.0f} words/s  (min {min(bare):.0f}, max {max(bare):.0f})")
    print(f"extract_statements  : median {ms:8.0f} words/s  (min {min(stage):.0f}, max {max(stage):.0f})")
    print(f"ratio stage/bare    : {ms / mb:.3f}  (stage overhead {100 * (mb / ms - 1):.1f}% of spaCy time)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
