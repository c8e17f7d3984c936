"""Fitting the cleaning guard (crosswire/data/furniture.toml [guard] max_rule_share).

For every page of the ScrapingHub article-extraction-benchmark, and every cleaning rule that
takes words out of the page's body, the share of the page's words the rule takes and
whether taking them was right: the page's F1 against the benchmark's hand-made body with
the rule applied, minus its F1 with the rule left out. A rule that takes a large share and
lowers F1 is the failure the guard prevents (an article gutted by a summary box or a
furniture pattern); the guard's share sits above the largest share a helpful rule took.

    .venv/bin/python bench/fit_clean_guard.py /tmp/aeb.git

Prints the applications by share (largest first) with their effect on F1, and the largest
share among applications that did not lower F1.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_aeb import load_benchmark  # noqa: E402

from crosswire import clean, metadata  # noqa: E402
from crosswire.ingest import Rejected  # noqa: E402
from crosswire.sources import CleaningRules  # noqa: E402


def page_f1(evaluate, truth: str, text: str) -> float:
    tp, fp, fn = evaluate.string_shingle_matching(true=truth, pred=text)
    return 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 1.0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("git_dir", type=Path)
    ap.add_argument("--top", type=int, default=25)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="fit-guard-") as tmp:
        truth, evaluate, pages = load_benchmark(args.git_dir, Path(tmp))
    rows = []
    for key, html in pages.items():
        try:
            body, meta, _, _ = metadata.extract_html(html.decode("utf-8", "replace"))
        except Rejected:
            continue
        title = meta.get("title") or ""
        cleaned, taken = clean._clean(body, CleaningRules(), title, frozenset())
        total = clean.words(cleaned.text) + sum(taken.values())
        with_all = page_f1(evaluate, truth[key]["articleBody"], cleaned.text)
        for rule, n in taken.items():
            if rule.startswith("repeat."):
                continue  # never guarded: the first copy stays in the body
            without, _ = clean._clean(body, CleaningRules(), title, frozenset({rule}))
            delta = with_all - page_f1(evaluate, truth[key]["articleBody"], without.text)
            rows.append((n / total, delta, rule, key[:16]))
    rows.sort(reverse=True)
    print("share  F1 change  rule  page")
    for share, delta, rule, key in rows[: args.top]:
        print(f"{share:.3f}  {delta:+.3f}     {rule}  {key}")
    helpful = [share for share, delta, _, _ in rows if delta >= 0]
    harmful = [share for share, delta, _, _ in rows if delta < 0]
    print(f"{len(rows)} rule applications; largest share of a rule that did not lower F1: "
          f"{max(helpful, default=0):.3f}; of one that lowered it: {max(harmful, default=0):.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
