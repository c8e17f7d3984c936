"""Benchmark: copies.copy_pairs (the copies table's pairs, cold: no store) by another code
version (default: main) and by this checkout's, on the same articles.

    .venv/bin/python bench/bench_copies.py RELEASE [--reps 3] [--base main]
    .venv/bin/python bench/bench_copies.py --raw-texts RAW [-n 10000] [--reps 1]
    .venv/bin/python bench/bench_copies.py RELEASE --added 20

With --added N the call timed is the incremental one: a store (the cache directory's
copies index) is first built, untimed, from every article but N (every len/N-th by
article_id), then copy_pairs is timed on all of them with that store: N articles indexed.

RELEASE is a release folder (e.g. /tmp/cp-4k/v1.0.0): its articles (with text) and their
statements' spans are the input, as the cross-source stage gives them. --raw-texts RAW takes
instead the article files of a raw corpus (bench/make_corpus.py) as they are, with no
cleaning and no statements: a scale check that needs no NLP run.

The base code is `git archive`d into a temporary folder. Each measurement is a fresh
process (alternating base and this checkout, --reps times each) that loads the input,
then times copy_pairs and its rows as the Arrow table publishing writes: CPU seconds of the
process (user + sys, all its threads: BLAS's too) and its peak RSS, before and after the
call. Prints the medians, the ratio (this / base), and the sha256 of the rows (every column,
in copy_id order) of each: they must be the same, and, for a release, the same as the rows
it published (`release`).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

import procstats

ROOT = Path(__file__).resolve().parents[1]


def load_release(release: Path) -> tuple[list[dict], list[dict]]:
    import pyarrow.parquet as pq

    data = release / "data"
    arts = pq.read_table(data / "articles.parquet", columns=["article_id", "source_id", "text", "text_sha256",
                                                             "published"]).to_pylist()
    stmts = pq.read_table(data / "statements.parquet",
                          columns=["article_id", "section", "char_start", "char_end"]).to_pylist()
    return sorted(arts, key=lambda a: a["article_id"]), stmts


def load_raw(raw: Path, n: int) -> tuple[list[dict], list[dict]]:
    arts = []
    for path in sorted(raw.glob("*/*.txt"))[:n or None]:
        meta = path.with_suffix(".meta.json")
        published = json.loads(meta.read_text(encoding="utf-8")).get("published") if meta.exists() else None
        arts.append({"article_id": "art_" + hashlib.sha256(str(path.relative_to(raw)).encode()).hexdigest()[:16],
                     "source_id": path.parent.name, "text": path.read_text(encoding="utf-8"), "published": published})
    return sorted(arts, key=lambda a: a["article_id"]), []


def rows_digest(table) -> str:
    """sha256 of every row's values (as Python gives them), in the table's order."""
    h = hashlib.sha256()
    for batch in table.to_batches(max_chunksize=50_000):
        for row in batch.to_pylist():
            h.update(repr(sorted(row.items())).encode())
    return h.hexdigest()


def worker(code: str, source: str, raw: bool, n: int, added: int) -> None:
    """In a fresh process: copy_pairs by the code under `code`, one JSON line of figures."""
    sys.path.insert(0, code)
    from crosswire import copies
    from schemas.copies import TABLE

    assert Path(copies.__file__).resolve().is_relative_to(Path(code).resolve()), copies.__file__
    arts, stmts = load_raw(Path(source), n) if raw else load_release(Path(source))
    with tempfile.TemporaryDirectory(prefix="bench-copies-store-") as store:
        if added:
            step = max(1, len(arts) // added)
            copies.copy_pairs([a for k, a in enumerate(arts) if k % step or k // step >= added], stmts, Path(store))
        before = procstats.peak() / procstats.MB
        t0 = time.process_time()
        pairs = copies.copy_pairs(arts, stmts, Path(store) if added else None)
        table = pairs.arrow_table(TABLE.arrow_schema)
        cpu = time.process_time() - t0
    out = {"cpu": cpu, "peak_mb": procstats.peak() / procstats.MB, "before_mb": before, "rows": table.num_rows,
           "sha256": rows_digest(table), "articles": len(arts)}
    if not raw:
        import pyarrow.parquet as pq

        published = pq.read_table(Path(source) / "data" / "copies.parquet").sort_by("copy_id")
        out["published_sha256"] = rows_digest(published)
    print(json.dumps(out))


def measure(code: Path, args) -> dict:
    cmd = [sys.executable, __file__, "--worker", str(code), args.source, "--added", str(args.added)] + (
        ["--raw-texts", "-n", str(args.n)] if args.raw_texts else [])
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode:
        sys.exit(f"{code}: the measuring process failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("source", help="a release folder, or with --raw-texts a raw corpus")
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--base", default="main", help="the git revision to compare with")
    ap.add_argument("--raw-texts", action="store_true")
    ap.add_argument("-n", type=int, default=0, help="with --raw-texts: the first N article files (0: all)")
    ap.add_argument("--added", type=int, default=0, help="time an incremental call: N articles new to a store")
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        return worker(args.worker, args.source, args.raw_texts, args.n, args.added)
    with tempfile.TemporaryDirectory(prefix="bench-copies-") as tmp:
        archive = Path(tmp) / "base.tar"
        subprocess.run(["git", "-C", str(ROOT), "archive", "-o", str(archive), args.base, "crosswire", "schemas"],
                       check=True)
        base = Path(tmp) / "base"
        with tarfile.open(archive) as tar:
            tar.extractall(base, filter="data")
        head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True,
                              text=True).stdout.strip()
        runs: dict[str, list[dict]] = {"base": [], "this": []}
        for _ in range(args.reps):
            runs["base"].append(measure(base, args))
            runs["this"].append(measure(ROOT, args))
    first = runs["base"][0]
    print(f"{first['articles']} articles ({args.added or 'all'} new to the store), {first['rows']} copy pairs; "
          f"base {args.base}, this {head} "
          f"(+ uncommitted changes if any); {args.reps} runs each, alternated")
    print(f"{'code':<6}{'CPU s (median)':>16}{'all runs':>28}{'peak MB':>10}{'before MB':>11}  rows sha256")
    median = {}
    for name, got in runs.items():
        cpu = [g["cpu"] for g in got]
        median[name] = statistics.median(cpu)
        digests = {g["sha256"] for g in got}
        print(f"{name:<6}{median[name]:>16.2f}{' '.join(f'{c:.2f}' for c in cpu):>28}"
              f"{statistics.median(g['peak_mb'] for g in got):>10.0f}"
              f"{statistics.median(g['before_mb'] for g in got):>11.0f}  {' '.join(sorted(d[:16] for d in digests))}")
    print(f"ratio this/base: {median['this'] / median['base']:.3f}")
    every = {g["sha256"] for got in runs.values() for g in got}
    print(f"rows identical: {len(every) == 1}")
    if "published_sha256" in first:
        print(f"rows as the release published them: {every == {first['published_sha256']}}")


if __name__ == "__main__":
    main()
