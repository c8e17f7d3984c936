"""How much of a synthetic corpus's speech a release found (bench/make_corpus.py --truth),
and how its events match the generator's.

    .venv/bin/python bench/score_synthetic.py RELEASE_DIR TRUTH.json

Per kind of statement the generator wrote (direct, partial, indirect): the share found in
the same article (same kind, or any kind), the wording matched by containment either way
or by 60 % of the words; and of those found, the share whose speaker the release names
as the generator did (people: by surname; organisations: by name; unnamed sources: no
name, or the release's `unnamed` speaker kind). Precision is not scored: the generator's
narrative holds reported speech it does not list (facts "the regulator said").

Events: pairwise precision and recall of the release's events against the generator's (two
articles of one generated event in one release event), and how many events each side has.
The generator reuses a topic's quotations across its events (see make_corpus.py), so same-
topic events that share them are expected to merge: a check of direction, not a gold score.
"""
from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path

import pandas as pd


def _words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text.casefold()))


def same_wording(a: str, b: str) -> bool:
    a, b = a.casefold().strip(" .,"), b.casefold().strip(" .,")
    if a in b or b in a:
        return True
    wa, wb = _words(a), _words(b)
    return bool(wa and wb) and len(wa & wb) / len(wa | wb) >= 0.6


def same_speaker(truth: dict, found) -> bool:
    name = found.speaker_name if isinstance(found.speaker_name, str) else ""
    if truth["speaker_kind"] == "person":
        return bool(name) and name.split()[-1] == truth["speaker"].split()[-1]
    if truth["speaker_kind"] == "org":
        return bool(name) and _words(name) >= _words(truth["speaker"]) - {"the"}
    return not name or getattr(found, "speaker_kind", None) == "unnamed"


def score(release: Path, truth: list[dict]) -> dict:
    data = release / "data"
    arts = pd.read_parquet(data / "articles.parquet", columns=["article_id", "raw_path"])
    stmts = pd.read_parquet(data / "statements.parquet")
    by_article = {aid: list(g.itertuples()) for aid, g in stmts.groupby("article_id")}
    ids = dict(zip(arts.raw_path, arts.article_id))
    n, same_kind, any_kind, speaker = Counter(), Counter(), Counter(), Counter()
    for t in truth:
        found = by_article.get(ids.get(t["path"]), [])
        for s in t["statements"]:
            k = s["kind"]
            n[k] += 1
            match = [f for f in found if same_wording(s["text"], f.text)]
            hit = next((f for f in match if f.kind == k), None)
            same_kind[k] += hit is not None
            any_kind[k] += bool(match)
            speaker[k] += hit is not None and same_speaker(s, hit)
    return {k: {"generated": n[k], "found_same_kind": round(same_kind[k] / n[k], 3),
                "found_any_kind": round(any_kind[k] / n[k], 3),
                "speaker_right_of_found": round(speaker[k] / same_kind[k], 3) if same_kind[k] else None}
            for k in sorted(n)}


def event_scores(event_of: dict[str, str], truth: list[dict]) -> dict:
    """Pairwise precision/recall of {raw_path: event} against the generator's events; only
    the articles both sides hold count."""
    true = {t["path"]: t["event"] for t in truth if t["path"] in event_of}
    found_pairs = Counter(Counter((event_of[p], true[p]) for p in true).values())
    both = sum(c * (c - 1) // 2 * n for c, n in found_pairs.items())
    same_found = sum(c * (c - 1) // 2 for c in Counter(event_of[p] for p in true).values())
    same_true = sum(c * (c - 1) // 2 for c in Counter(true.values()).values())
    return {"articles": len(true), "events": len({event_of[p] for p in true}), "true_events": len(set(true.values())),
            "precision": round(both / same_found, 3) if same_found else 1.0,
            "recall": round(both / same_true, 3) if same_true else 1.0}


def release_events(release: Path) -> dict[str, str]:
    arts = pd.read_parquet(release / "data" / "articles.parquet", columns=["raw_path", "event_id"])
    return dict(zip(arts.raw_path, arts.event_id))


def main() -> int:
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    release, truth_path = Path(sys.argv[1]), Path(sys.argv[2])
    truth = json.loads(truth_path.read_text(encoding="utf-8"))
    print(f"{release} against {truth_path}: {len(truth)} articles")
    print("| kind | generated | found (same kind) | found (any kind) | speaker right, of found |")
    print("|---|---:|---:|---:|---:|")
    for k, r in score(release, truth).items():
        sp = f"{r['speaker_right_of_found']:.3f}" if r["speaker_right_of_found"] is not None else "-"
        print(f"| {k} | {r['generated']} | {r['found_same_kind']:.3f} | {r['found_any_kind']:.3f} | {sp} |")
    ev = event_scores(release_events(release), truth)
    print(f"events: {ev['events']} for {ev['true_events']} generated, pairwise precision {ev['precision']:.3f} "
          f"recall {ev['recall']:.3f} ({ev['articles']} articles)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
