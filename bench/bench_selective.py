"""Selective parsing against the full parse, on a raw root given on the command line, one
sitting: the share of body text parsed, the statements stage's time both ways, and the
difference between the two statements tables, classified.

    .venv/bin/python bench/bench_selective.py /work/pn/dev/rawroot [--before 2 --after 1]

Rows are matched by (article, section, char_start, char_end, kind); a matched row whose
speaker, cue or rule changed counts as "changed". The times are the CPU
time of crosswire.statements.extract_statements in this process (spaCy parse plus
extraction, both ways with the same loaded pipeline, each the best of two alternating runs).
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_perf import corpus_articles as articles  # noqa: E402  (one loader of a raw root's articles)


def key(row: dict) -> tuple:
    return row["article_id"], row["section"], row["char_start"], row["char_end"], row["kind"]


def compare(full: list[dict], sel: list[dict]) -> Counter:
    a, b = {key(r): r for r in full}, {key(r): r for r in sel}
    out = Counter(same=0)
    for k in a.keys() | b.keys():
        if k not in b:
            out[f"only full ({k[4]})"] += 1
        elif k not in a:
            out[f"only selective ({k[4]})"] += 1
        else:
            diff = [c for c in ("speaker_name", "speaker_mention", "resolution", "cue", "rule", "speaker_kind")
                    if a[k][c] != b[k][c]]
            out["same" if not diff else "changed " + "+".join(diff)] += 1
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("raw")
    ap.add_argument("--before", type=int, help="paragraphs of context before a signal (default: limits.toml)")
    ap.add_argument("--after", type=int, help="paragraphs of context after a signal (default: limits.toml)")
    a = ap.parse_args()
    from crosswire import nlp, selective, statements

    # a copy with the context asked for (the data file's dict is shared, read-only)
    selective.SETTINGS = {**selective.SETTINGS, **{k: v for k, v in (("context_before", a.before),
                                                                     ("context_after", a.after)) if v is not None}}
    arts = articles(Path(a.raw))
    bodies = [x["text"] for x in arts if isinstance(x.get("text"), str)]
    total = sum(len(t) for t in bodies)
    parsed = sum(e - s for t in bodies for s, e, full in selective.segments(t) if full)
    model = nlp.load()
    list(model.pipe(["Warm up."]))
    took, rows = {}, {}
    for mode in ("0", "1", "0", "1"):  # each twice, alternating: the best of two (warm-up, load)
        os.environ["CROSSWIRE_SELECTIVE"] = mode
        start = time.process_time()
        rows[mode] = statements.extract_statements(arts, nlp=model, rejected={})
        took[mode] = min(took.get(mode, float("inf")), time.process_time() - start)
    print(f"{len(arts)} articles; body text parsed in full: {parsed:,} of {total:,} characters "
          f"({parsed / max(total, 1):.1%}); context {selective.SETTINGS['context_before']} before, "
          f"{selective.SETTINGS['context_after']} after")
    print(f"statements stage CPU: full {took['0']:.1f} s, selective {took['1']:.1f} s "
          f"(selective / full = {took['1'] / took['0']:.2f})")
    print(f"rows: full {len(rows['0'])}, selective {len(rows['1'])}")
    for what, n in sorted(compare(rows["0"], rows["1"]).items(), key=lambda kv: -kv[1]):
        print(f"  {n:6d}  {what}")


if __name__ == "__main__":
    main()
