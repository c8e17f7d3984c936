"""Score a run over thirteen outlets' styles of one event: tests/corpora/summit's ten plus
bench/corpora/summit_more's three (a British tabloid, TASS English, a Politico-style
newsletter), whose gold adds to the ten's (bench/corpora/summit_more/gold_additions.json).

    python bench/score_summit_more.py [--keep DIR]

Copies both raw folders into one raw root, merges the gold, runs `crosswire run` on it in a
fresh process and prints ../shared/eval/score.py's report (--show). A measurement set, not a
test: the three articles were the probes session 22's statement fixes were found with, and
their cross-source pairs are the gap this set shows (quotations 1.000, agreements lower).
"""
from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SUMMIT = ROOT / "tests" / "corpora" / "summit"
MORE = ROOT / "bench" / "corpora" / "summit_more"
SCORER = ROOT.parent / "shared" / "eval" / "score.py"


def merged_gold() -> dict:
    """tests/corpora/summit's gold with the additions: more quotes and not-statements, new
    members of its groups (matched by gist) and new groups."""
    gold = json.loads((SUMMIT / "gold.json").read_text(encoding="utf-8"))
    more = json.loads((MORE / "gold_additions.json").read_text(encoding="utf-8"))
    gold["quotes"] += more["quotes"]
    gold["not_statements"] += more["not_statements"]
    by_gist = {g["gist"]: g for g in gold["groups"]}
    for add in more["groups_add"]:
        if add["gist"] not in by_gist:
            raise SystemExit(f"gold_additions.json: no group with gist {add['gist']!r} in {SUMMIT / 'gold.json'}")
        by_gist[add["gist"]]["members"] += add["add"]
    gold["groups"] += more["groups_new"]
    return gold


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--keep", help="build the raw root, gold and release here (kept) instead of a temporary folder")
    a = ap.parse_args(argv)
    work = Path(a.keep) if a.keep else Path(tempfile.mkdtemp(prefix="summit-more-"))
    raw, datasets = work / "raw", work / "datasets"
    shutil.rmtree(raw, ignore_errors=True)
    shutil.copytree(SUMMIT / "raw", raw)
    shutil.copytree(MORE / "raw", raw, dirs_exist_ok=True)
    gold = work / "gold.json"
    gold.write_text(json.dumps(merged_gold(), indent=1, ensure_ascii=False), encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "crosswire.cli", "run", "--raw", str(raw),
                          "--datasets", str(datasets)], capture_output=True, text=True)
    if run.returncode != 0:
        print(run.stdout + run.stderr, file=sys.stderr)
        return run.returncode
    release = sorted(datasets.glob("v*"))[-1]
    done = subprocess.run([sys.executable, str(SCORER), "--release", str(release), "--gold", str(gold), "--show"],
                          capture_output=True, text=True)
    print(done.stdout + done.stderr)
    if not a.keep:
        shutil.rmtree(work, ignore_errors=True)
    return done.returncode


if __name__ == "__main__":
    sys.exit(main())
