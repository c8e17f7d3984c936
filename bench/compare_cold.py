"""A run cold except for the NLP, this checkout against a baseline tree, alternated: memory first.

    .venv/bin/python bench/compare_cold.py --raw RAW --datasets NLP_ONLY --code BASELINE_TREE \
        [--trials 3] [--out DIR]
    .venv/bin/python bench/compare_cold.py --records DIR      (the medians of trials run before)

NLP_ONLY: a datasets folder holding only `.cache/articles` and `.cache/statements` of an
earlier run (bench/profile_stages.py copies it per trial: no release, no cross-source state).
Each trial is a fresh process of this checkout's bench/profile_stages.py (CROSSWIRE_BENCH_CODE
names the tree it imports), the baseline and this checkout one after the other, the records
kept in DIR as cold-baseline-<i>.json and cold-this-<i>.json. Printed: the medians of each
top-level stage's (and the steps of cross-source and publish named in SHOWN) CPU seconds
(user+sys) and peak resident size, the run's CPU and peak RSS (ru_maxrss), and this
checkout's ratios to the baseline's.
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from profile_trials import profile, shown_stages  # noqa: E402  (this checkout's bench/)

SHOWN = {"cross-source": ("cross_source_stream",), "publish": ("validate_tables", "_write_release")}


def trial(code: Path | None, raw: str, ds: str, out: Path) -> dict:
    return profile(code, ["--raw", raw, "--datasets", ds], out)


def figures(result: dict) -> dict:
    """{stage: (cpu seconds, peak MB)} of the top-level stages (a stage run twice: its CPU
    summed, its larger peak), the inner ones SHOWN, and the run's."""
    mb, out = 2 ** 20, {}
    for name, r in shown_stages(result, SHOWN):
        cpu, peak = out.get(name, (0.0, 0.0))
        out[name] = (cpu + r.get("cpu", 0.0), max(peak, r["rss_peak"] / mb))
    out["run"] = (result["run_cpu"], result["peak_mb"])
    return out


def report(runs: dict[str, list[dict]]) -> str:
    lines = [f"medians of {len(runs['this'])} (this) and {len(runs['baseline'])} (baseline) trials",
             f"{'stage':<32}{'base cpu':>9}{'this cpu':>9}{'ratio':>7}{'base MB':>9}{'this MB':>9}{'ratio':>7}"]
    for stage in runs["baseline"][0]:
        if not all(stage in r for r in runs["baseline"] + runs["this"]):
            continue
        med = {w: [statistics.median(r[stage][k] for r in runs[w]) for k in (0, 1)] for w in runs}
        ratios = [med["this"][k] / med["baseline"][k] if med["baseline"][k] else float("nan") for k in (0, 1)]
        lines.append(f"{stage:<32}{med['baseline'][0]:9.2f}{med['this'][0]:9.2f}{ratios[0]:7.2f}"
                     f"{med['baseline'][1]:9.0f}{med['this'][1]:9.0f}{ratios[1]:7.2f}")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--raw")
    ap.add_argument("--datasets", help="a datasets folder holding only the NLP's cache entries")
    ap.add_argument("--code", help="the baseline code tree")
    ap.add_argument("--trials", type=int, default=3)
    ap.add_argument("--out", default="/tmp", help="where the trials' JSON records go")
    ap.add_argument("--records", help="print the medians of the records in this folder; run nothing")
    a = ap.parse_args()
    runs = {"baseline": [], "this": []}
    if a.records:
        for who in runs:
            runs[who] = [figures(json.loads(p.read_text())) for p in sorted(Path(a.records).glob(f"cold-{who}-*.json"))]
    else:
        if not (a.raw and a.datasets and a.code):
            ap.error("--raw, --datasets and --code are needed to run trials")
        for i in range(a.trials):
            for who, code in (("baseline", Path(a.code).resolve()), ("this", None)):
                runs[who].append(figures(trial(code, a.raw, a.datasets, Path(a.out) / f"cold-{who}-{i}.json")))
                print(f"trial {i + 1} {who}: cpu {runs[who][-1]['run'][0]:.2f} s, peak {runs[who][-1]['run'][1]:.0f} MB",
                      file=sys.stderr)
    print(report(runs))


if __name__ == "__main__":
    main()
