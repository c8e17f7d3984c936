"""Time and Python-heap peak of events.cluster and copies.copy_rows on a release's articles,
cold (an empty store) and warm (the store the cold call left), with a digest of the results.

    python bench/bench_events_store.py RELEASE_DIR [--sizes 2000 4000] [--dump OUT.pkl]

RELEASE_DIR is a release (e.g. /tmp/ds10k/v1.0.0); its articles (with text) and statements
are the input. A size takes the first N articles by (published, article_id) with their
statements; 0 takes all. Each call is made twice per state: once timed, once under
tracemalloc for the peak (tracemalloc slows the call, so the two are separate). `--dump`
pickles (size, Grouping, copy rows) of the cold calls, to compare two code versions:
`--compare A.pkl B.pkl` says whether they are equal and where they differ first.
"""
from __future__ import annotations

import argparse
import hashlib
import pickle
import shutil
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.append(str(ROOT))  # after PYTHONPATH: another code version can be benched


def load(release: Path) -> tuple[list[dict], list[dict]]:
    import pyarrow.parquet as pq

    data = release / "data"
    arts = pq.read_table(data / "articles.parquet").to_pylist()
    cols = ["statement_id", "article_id", "kind", "text", "char_start", "char_end", "section", "speaker_id",
            "speaker_name"]
    stmts = pq.read_table(data / "statements.parquet", columns=cols).to_pylist()
    return arts, stmts


def subset(arts: list[dict], stmts: list[dict], n: int) -> tuple[list[dict], list[dict]]:
    if n <= 0 or n >= len(arts):
        return arts, stmts
    far = __import__("datetime").datetime.max.replace(tzinfo=__import__("datetime").timezone.utc)
    keep = sorted(arts, key=lambda a: (a.get("published") or far, a["article_id"]))[:n]
    ids = {a["article_id"] for a in keep}
    return keep, [s for s in stmts if s["article_id"] in ids]


def measure(fn) -> tuple[float, object]:
    """(seconds, result)."""
    t = time.perf_counter()
    out = fn()
    return time.perf_counter() - t, out


def peak(fn) -> float:
    tracemalloc.start()
    fn()
    _, top = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return top / 1e6


def digest(obj) -> str:
    """Of a canonical form (pickles of equal dicts can differ in their order)."""
    import dataclasses
    import json

    plain = dataclasses.asdict(obj) if dataclasses.is_dataclass(obj) else obj
    return hashlib.sha256(json.dumps(plain, sort_keys=True, default=str).encode()).hexdigest()[:12]


def compare(a_path: str, b_path: str) -> None:
    a, b = pickle.loads(Path(a_path).read_bytes()), pickle.loads(Path(b_path).read_bytes())
    for (na, ga, ca), (nb, gb, cb) in zip(a, b):
        same = {True: "EQUAL", False: "DIFFERENT"}
        print(f"size {na}: grouping {same[ga == gb]}, copies {same[ca == cb]} ({len(ga.members)} events, "
              f"{len(ca)} copy rows)")
        if ga != gb:
            for f in ("event_of", "members", "dated", "outliers", "tied", "terms"):
                if getattr(ga, f) != getattr(gb, f):
                    x, y = getattr(ga, f), getattr(gb, f)
                    diff = [k for k in sorted(set(x) | set(y)) if x.get(k) != y.get(k)][:3]
                    print(f"  {f} differs at {diff}: {[x.get(k) for k in diff]} vs {[y.get(k) for k in diff]}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("release", nargs="?")
    ap.add_argument("--sizes", type=int, nargs="+", default=[2000, 4000])
    ap.add_argument("--dump")
    ap.add_argument("--no-peak", action="store_true", help="skip the tracemalloc calls")
    ap.add_argument("--compare", nargs=2, metavar="PKL")
    args = ap.parse_args()
    if args.compare:
        return compare(*args.compare)
    from crosswire import copies, events

    all_arts, all_stmts = load(Path(args.release))
    print(f"code {events.__file__}")
    print(f"{'articles':>8} {'stage':>10} {'state':>5} {'seconds':>8} {'peak MB':>8} {'digest':>12}")
    dumped = []
    for n in args.sizes:
        arts, stmts = subset(all_arts, all_stmts, n)
        store = Path(tempfile.mkdtemp(prefix="bench-ev-"))
        kept = {}
        try:
            for name, call in (("cluster", lambda root: events.cluster(arts, stmts, store_root=root)),
                               ("copy_rows", lambda root: copies.copy_rows(arts, stmts, root))):
                for state in ("cold", "warm"):
                    if state == "cold":
                        shutil.rmtree(store, ignore_errors=True)
                        store.mkdir()
                    dt, out = measure(lambda: call(store))
                    kept[name] = kept.get(name, out)
                    mb = 0.0
                    if not args.no_peak:
                        if state == "cold":
                            shutil.rmtree(store, ignore_errors=True)
                            store.mkdir()
                        mb = peak(lambda: call(store))
                    print(f"{len(arts):8d} {name:>10} {state:>5} {dt:8.2f} {mb:8.0f} {digest(out):>12}", flush=True)
        finally:
            shutil.rmtree(store, ignore_errors=True)
        dumped.append((len(arts), kept["cluster"], kept["copy_rows"]))
    if args.dump:
        Path(args.dump).write_bytes(pickle.dumps(dumped, protocol=4))


if __name__ == "__main__":
    main()
