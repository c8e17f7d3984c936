"""Quality through the real flow, scored by the shared scorer (../shared/eval/score.py).

The seeds must score at least 0.95 on quotes and attribution and 0.9/0.85 on agreements
(issues 3 and 4). The held-out corpus (tests/corpora/heldout) is coverage written for this
project in other outlets' styles; its thresholds guard the general rules against being
fitted to the seeds. tests/corpora/summit is ten outlets' styles on the seeds' event, a
regression set for the statement fixes it was written with (its README).
"""
import subprocess
import sys
from pathlib import Path

import pytest

from crosswire import cli

ROOT = Path(__file__).resolve().parents[1]
SCORER = ROOT.parent / "shared" / "eval" / "score.py"
HELDOUT = Path(__file__).parent / "corpora" / "heldout"
SUMMIT = Path(__file__).parent / "corpora" / "summit"


def score(datasets: Path, gold: Path, **minimums) -> str:
    args = [sys.executable, str(SCORER), "--datasets", str(datasets), "--gold", str(gold), "--show"]
    for name, value in minimums.items():
        args += [f"--min-{name.replace('_', '-')}", str(value)]
    done = subprocess.run(args, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


@pytest.mark.skipif(not SCORER.exists(), reason="../shared/eval/score.py is not beside this checkout")
def test_seed_release_meets_the_quality_bar(prefect_harness, raw_copy, datasets_dir):
    assert cli.main(["run", "--raw", str(raw_copy), "--datasets", str(datasets_dir)]) == 0
    score(datasets_dir, ROOT.parent / "shared" / "gold" / "seeds.json", precision=0.95, recall=0.95,
          attribution=0.95, agreement_precision=0.9, agreement_recall=0.85)


@pytest.mark.skipif(not SCORER.exists(), reason="../shared/eval/score.py is not beside this checkout")
def test_heldout_coverage_in_other_styles(prefect_harness, datasets_dir):
    assert cli.main(["run", "--raw", str(HELDOUT / "raw"), "--datasets", str(datasets_dir)]) == 0
    score(datasets_dir, HELDOUT / "gold.json", precision=0.9, recall=0.9, attribution=0.9,
          agreement_precision=0.85, agreement_recall=0.85)


@pytest.mark.skipif(not SCORER.exists(), reason="../shared/eval/score.py is not beside this checkout")
def test_one_event_in_ten_outlets_styles(prefect_harness, datasets_dir):
    # tests/corpora/summit: written with session 21's fixes (a regression set, not held out)
    assert cli.main(["run", "--raw", str(SUMMIT / "raw"), "--datasets", str(datasets_dir)]) == 0
    # session 23: agreements and utterances 1.000 / 1.000 (15 pairs); one pair lost is 0.933
    score(datasets_dir, SUMMIT / "gold.json", precision=0.95, recall=0.95, attribution=0.95,
          agreement_precision=0.9, agreement_recall=0.9, utterance_precision=0.9, utterance_recall=0.9)


def test_the_thirteen_outlets_measurement_set_holds_together():
    # bench/score_summit_more.py merges bench/corpora/summit_more's gold into the summit's:
    # every added quotation is in its article and every added member joins an existing group
    sys.path.insert(0, str(ROOT / "bench"))
    from score_summit_more import MORE, merged_gold
    gold = merged_gold()
    texts = {p.relative_to(MORE / "raw").as_posix(): p.read_text(encoding="utf-8")
             for p in (MORE / "raw").rglob("*.txt")}
    added = [q for q in gold["quotes"] if q["file"] in texts]
    assert len(added) > 40 and all(q["quote"] in texts[q["file"]] for q in added)
    for g in gold["groups"]:
        for m in g["members"]:
            if m["file"] in texts:
                assert m["quote"] in texts[m["file"]], m
