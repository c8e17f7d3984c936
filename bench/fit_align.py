"""Fit the alignment thresholds of crosswire/data/align.toml on labelled pairs.

The pairs (tests/corpora/pairs/pairs.toml, written for this project) say whether two
wordings are the same utterance and how they relate. Each pair is aligned as a two-outlet
event; a grid of thresholds is scored by F1 on "same utterance" (then by the share of
same-utterance pairs given the labelled relation, then by closeness to the middle of the
grid, so that a flat optimum picks a central value). Prints the best settings and the
pairs they get wrong; copy the numbers into align.toml.

    .venv/bin/python bench/fit_align.py [--pairs tests/corpora/pairs/pairs.toml]
"""
from __future__ import annotations

import argparse
import hashlib
import itertools
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from crosswire import align  # noqa: E402

GRID = {
    "CONTAIN_MIN": [0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9],
    "NEAR_LONG_MIN": [0.5, 0.6, 0.7, 0.8, 0.9],
    "BIGRAM_SHARE": [0.3, 0.4, 0.5, 0.6, 0.7],
    "PARA_MIN": [0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5],
}
KEYS = {"CONTAIN_MIN": "contain_min", "NEAR_LONG_MIN": "near_long_min",
        "BIGRAM_SHARE": "bigram_share", "PARA_MIN": "para_min"}


def statement(n: int, article: str, text: str, speaker: str) -> dict:
    kind = "direct" if len([w for w in align.words(text) if w not in align.STOP]) >= align.STRONG_WORDS \
        else "partial"
    return {"statement_id": f"st_{n:016x}", "article_id": article, "kind": kind, "text": text,
            "section": "body", "char_start": None, "char_end": None,
            "speaker_id": ("spk_" + hashlib.sha256(speaker.lower().encode()).hexdigest()[:16])
            if speaker else None, "resolution": "name" if speaker else "none"}


def predict(pair: dict) -> str:
    """The relation the alignment gives the pair ('different' when it links nothing)."""
    links, _ = align.align_event([statement(1, "x", pair["a"], pair["speaker_a"]),
                                  statement(2, "y", pair["b"], pair["speaker_b"])],
                                 {"x": "one", "y": "two"})
    return links[0].relation if links else "different"


def evaluate(pairs: list[dict]) -> tuple[float, float, list]:
    tp = fp = fn = right = 0
    wrong = []
    for p in pairs:
        got = predict(p)
        same = got != "different"
        tp += same and p["same"]
        fp += same and not p["same"]
        fn += p["same"] and not same
        right += p["same"] and got == p["relation"]
        if got != p["relation"]:
            wrong.append((p["kind"], p["relation"], got, p["a"][:50], p["b"][:50]))
    prec = tp / (tp + fp) if tp + fp else 0.0
    rec = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    return f1, right / max(1, sum(p["same"] for p in pairs)), wrong


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pairs", type=Path, default=ROOT / "tests" / "corpora" / "pairs" / "pairs.toml")
    a = ap.parse_args()
    pairs = tomllib.loads(a.pairs.read_text(encoding="utf-8"))["pair"]
    current = {k: getattr(align, k) for k in GRID}
    f1, rel, _ = evaluate(pairs)
    print(f"{len(pairs)} pairs; current {current}: F1={f1:.3f} relation={rel:.3f}")
    results = []
    for values in itertools.product(*GRID.values()):
        for k, v in zip(GRID, values):
            setattr(align, k, v)
        f1, rel, _ = evaluate(pairs)
        centre = sum(abs(GRID[k].index(v) - (len(GRID[k]) - 1) / 2) for k, v in zip(GRID, values))
        results.append((f1, rel, -centre, values))
    results.sort(reverse=True)
    best = dict(zip(GRID, results[0][3]))
    for k, v in best.items():
        setattr(align, k, v)
    f1, rel, wrong = evaluate(pairs)
    print(f"best: {', '.join(f'{KEYS[k]} = {v}' for k, v in best.items())}: F1={f1:.3f} relation={rel:.3f}")
    ties = [r for r in results if r[:2] == results[0][:2]]
    for k in GRID:
        print(f"  {KEYS[k]}: values with the same score {sorted({dict(zip(GRID, r[3]))[k] for r in ties})}")
    for w in wrong:
        print("  wrong:", w)
    for k, v in current.items():
        setattr(align, k, v)


if __name__ == "__main__":
    main()
