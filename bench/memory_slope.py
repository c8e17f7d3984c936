"""Peak memory by stage, and its growth per 1,000 articles, from bench/profile_stages.py runs.

    .venv/bin/python bench/memory_slope.py LABEL=SIZE:run.json[,run2.json...] ...

Each argument names a code (LABEL, e.g. base or branch), a corpus size in articles and the
--json files of that code's trials at that size (alternate the codes' trials in one
sitting). Prints, per code and size, the medians over the trials of: the run's peak
resident size, each main stage's peak and its rise over its start (cross-source, event
clustering, copies, building the tables, publishing), and the run's seconds; then per code
the slope of each figure in MB per 1,000 articles (least squares over the sizes), which is
what "flat in corpus size" asks to be near zero.
"""
from __future__ import annotations

import argparse
import json
import statistics
from collections import defaultdict
from pathlib import Path

MB = 2 ** 20
# (column, the stage whose record it reads (first at that depth), what of it)
FIGURES = (("run peak", None, "peak"),
           ("cross-source peak", "cross-source", "peak"),
           ("cross-source rise", "cross-source", "rise"),
           ("events.cluster rise", "events.cluster", "rise"),
           ("copies rise", "copies.copy_pairs", "rise"),
           ("take_tables peak", "take_tables", "peak"),
           ("publish peak", "publish", "peak"))


def figures(path: Path) -> dict[str, float]:
    data = json.loads(path.read_text())
    recs = data["records"]
    out = {"run peak": max(r.get("rss_peak", 0) for r in recs) / MB, "run s": data["run"]}
    for name, stage, what in FIGURES[1:]:
        rec = next((r for r in recs if r["stage"] == stage and "rss_peak" in r), None)
        if rec is not None:
            out[name] = (rec["rss_peak"] - (rec["rss_start"] if what == "rise" else 0)) / MB
    return out


def slope(points: list[tuple[float, float]]) -> float:
    """Least-squares slope of y over x."""
    mx = statistics.fmean(x for x, _ in points)
    my = statistics.fmean(y for _, y in points)
    den = sum((x - mx) ** 2 for x, _ in points)
    return sum((x - mx) * (y - my) for x, y in points) / den if den else float("nan")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("runs", nargs="+", help="LABEL=SIZE:file.json[,file.json...]")
    a = ap.parse_args()
    table = defaultdict(dict)   # label -> size -> {figure: median}
    for arg in a.runs:
        label, rest = arg.split("=", 1)
        size, files = rest.split(":", 1)
        trials = [figures(Path(f)) for f in files.split(",")]
        names = [n for n in trials[0] if all(n in t for t in trials)]
        table[label][int(size)] = {n: statistics.median(t[n] for t in trials) for n in names} | {"trials": len(trials)}
    cols = [n for n, _, _ in FIGURES] + ["run s"]
    print("| code | articles | trials | " + " | ".join(cols) + " |")
    print("|---|---:|---:|" + "---:|" * len(cols))
    for label, sizes in table.items():
        for size, f in sorted(sizes.items()):
            print(f"| {label} | {size} | {f['trials']} | " + " | ".join(
                f"{f[c]:.0f}" if c in f else "-" for c in cols) + " |")
    print("\nMB per 1,000 articles (least squares over the sizes):")
    for label, sizes in table.items():
        if len(sizes) < 2:
            continue
        parts = []
        for c in cols[:-1]:
            pts = [(s / 1000, f[c]) for s, f in sorted(sizes.items()) if c in f]
            if len(pts) >= 2:
                parts.append(f"{c} {slope(pts):+.0f}")
        print(f"  {label}: " + ", ".join(parts))


if __name__ == "__main__":
    main()
