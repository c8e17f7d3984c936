"""Benchmark: CPU time of the statement rules alone, one code tree against another.

Statement extraction is spaCy's parse plus crosswire's rules over the parsed Docs; this
times the second part, where code changes land. Each trial is a fresh process that loads
the code of one tree (PYTHONPATH=TREE), parses the corpus once (untimed for the rules,
reported apart), then runs the rules over every article --rounds times and reports the
median CPU seconds (time.process_time: less disturbed by other load than wall time) and a
digest of the rows. Trees alternate, --trials each; the report gives medians, min-max, the
ratio against the first tree, and whether every tree made the same rows.

    .venv/bin/python bench/bench_rules.py BASE_TREE [TREE ...] [--raw RAWROOT] [--articles 200]
                     [--words 50000] [--rounds 3] [--trials 3]

Corpus: the hand-written test articles varied to about --words words (as bench_statements.py),
plus up to --articles articles of RAWROOT (<outlet>/<file>.txt, title in the first paragraph)
when given. A tree is a checkout of crosswire (a git worktree at the baseline commit).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def raw_articles(raw: Path, limit: int) -> list[dict]:
    files = sorted(raw.glob("*/*.txt"))
    step = max(1, len(files) // limit) if limit else 1
    out = []
    for k, path in enumerate(files[::step][:limit]):
        title, _, body = path.read_text(encoding="utf-8").partition("\n\n")
        out.append({"article_id": f"raw_{k:06d}", "title": title.strip(), "text": body.strip(),
                    "published": "2016-06-01T12:00:00+00:00"})
    return out


def worker(a) -> None:
    """Runs in the tree under test (its crosswire first on sys.path): parse, then time the rules."""
    from crosswire import statements as st
    from crosswire.nlp import load

    articles = json.loads(Path(a.corpus).read_text(encoding="utf-8"))
    nlp = load()
    jobs = [(art, s, art[f]) for art in articles for s, f in st.SECTIONS
            if isinstance(art.get(f), str) and art[f].strip()]
    t = time.process_time()
    docs = list(st.selective.pipe(nlp, st.parse_texts(jobs), batch_size=64))
    parse = time.process_time() - t
    fields: dict[str, tuple[dict, list]] = {}
    for (art, section, text), doc in zip(jobs, docs):
        fields.setdefault(art["article_id"], (art, []))[1].append((section, text, st.headlines.restore(doc, text)))
    registry = st._registry(None)
    alias_rx = st.alias_pattern(registry)
    times, rows = [], []
    for _ in range(a.rounds):
        t = time.process_time()
        rows = [r for art, f in fields.values() for r in st._article_statements(art, f, registry, alias_rx)]
        times.append(time.process_time() - t)
    digest = hashlib.sha256(json.dumps(rows, sort_keys=True, default=str).encode()).hexdigest()[:16]
    print(json.dumps({"parse": parse, "rules": statistics.median(times), "rows": len(rows),
                      "digest": digest, "articles": len(articles)}))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("trees", nargs="*", type=Path, help="crosswire checkouts; the first is the baseline")
    ap.add_argument("--raw", help="a raw root whose articles join the corpus")
    ap.add_argument("--articles", type=int, default=200)
    ap.add_argument("--words", type=int, default=50_000)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--trials", type=int, default=3)
    ap.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--corpus", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.worker:
        worker(a)
        return 0
    sys.path.insert(0, str(ROOT / "bench"))
    from bench_statements import corpus  # the hand-written articles varied

    trees = [t.resolve() for t in a.trees] or [ROOT]
    articles = corpus(a.words) + (raw_articles(Path(a.raw), a.articles) if a.raw else [])
    results: dict[Path, list[dict]] = {t: [] for t in trees}
    with tempfile.TemporaryDirectory() as tmp:
        corpus_file = Path(tmp) / "corpus.json"
        corpus_file.write_text(json.dumps(articles), encoding="utf-8")
        for trial in range(a.trials):
            for tree in trees if trial % 2 == 0 else trees[::-1]:
                env = {**os.environ, "PYTHONPATH": str(tree)}
                out = subprocess.run([sys.executable, __file__, "--worker", "--corpus", str(corpus_file),
                                      "--rounds", str(a.rounds)], env=env, check=True,
                                     capture_output=True, text=True).stdout
                results[tree].append(json.loads(out.strip().splitlines()[-1]))
    base = statistics.median(r["rules"] for r in results[trees[0]])
    first = results[trees[0]][0]
    print(f"corpus: {first['articles']} articles; rules timed over {a.rounds} rounds per trial, "
          f"{a.trials} trials per tree, trees alternated; load {os.getloadavg()[0]:.1f}")
    print("| tree | rules CPU s (median, min-max) | ratio | parse CPU s | rows | digest |")
    print("|---|---:|---:|---:|---:|---|")
    for tree in trees:
        rs = results[tree]
        med = statistics.median(r["rules"] for r in rs)
        print(f"| {tree} | {med:.2f} ({min(r['rules'] for r in rs):.2f}-{max(r['rules'] for r in rs):.2f}) "
              f"| {med / base:.2f} | {statistics.median(r['parse'] for r in rs):.1f} | {rs[0]['rows']} "
              f"| {rs[0]['digest']} |")
    same = len({r["digest"] for rs in results.values() for r in rs}) == 1
    print("rows: identical in every tree" if same else "rows: DIFFER between trees")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
