"""What planning holds per changed table: row hashes as RowHashes against the dict they replaced.

    .venv/bin/python bench/bench_row_hashes.py [--rows 100000 400000] [--reps 3]

For each size, a table of that many invented statement-like rows (key, article, text, a
float), hashed once (validate.row_hashes); then, medians over the repetitions, in one run:

- memory: the RowHashes' Arrow bytes, and the Python bytes (tracemalloc) of the
  {key: hex digest} dict planning kept before, built from the same digests;
- the update planning makes (1 % of rows removed, 1 % replaced, 1 % added): RowHashes
  without/merged, against the dict comprehension and update it replaced;
- the content digest (manifest content_sha256) from each; both must agree.
"""
from __future__ import annotations

import argparse
import hashlib
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

import pyarrow as pa

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from crosswire import validate  # noqa: E402


def table(n: int, start: int = 0) -> pa.Table:
    ids = range(start, start + n)
    return pa.table({"statement_id": [f"stm_{i:016x}" for i in ids],
                     "article_id": [f"art_{i // 20:016x}" for i in ids],
                     "text": [f"Minister {i % 97} said the plan for route {i} would be reviewed." for i in ids],
                     "confidence": [(i % 1000) / 1000 for i in ids]})


def dict_of(h: validate.RowHashes) -> dict:
    return h.as_dict()


def old_digest(d: dict) -> str:
    """content_digest as it was computed from the dict."""
    x = hashlib.sha256()
    for k, v in sorted(d.items()):
        x.update(f"{k}:{v}\n".encode())
    return x.hexdigest()


def timed(fn):
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


def one(n: int) -> dict:
    t = table(n)
    compact = validate.row_hashes(t, "statement_id")
    tracemalloc.start()
    d = dict_of(compact)
    dict_bytes = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    k = max(1, n // 100)
    gone = t["statement_id"].slice(0, k).to_pylist()
    fresh_t = pa.concat_tables([table(k, n // 2), table(k, n)])  # k replaced (same keys), k added
    fresh = validate.row_hashes(fresh_t, "statement_id")
    fresh_d = fresh.as_dict()
    t_new, updated = timed(lambda: compact.without(gone).merged(fresh))

    def old_update():
        new_keys, g = set(fresh_d), set(gone)
        after = {key: v for key, v in d.items() if key not in new_keys and key not in g}
        after.update(fresh_d)
        return after

    t_old, updated_d = timed(old_update)
    td_new, dig_new = timed(updated.content_digest)
    td_old, dig_old = timed(lambda: old_digest(updated_d))
    assert dig_new == dig_old and len(updated) == len(updated_d)
    return {"rows": n, "compact_bytes": compact.table.nbytes, "dict_bytes": dict_bytes,
            "update_new": t_new, "update_old": t_old, "digest_new": td_new, "digest_old": td_old}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, nargs="+", default=[100_000, 400_000])
    ap.add_argument("--reps", type=int, default=3)
    a = ap.parse_args()
    print("| rows | RowHashes B/row | dict B/row | ratio | update s (new / old) | digest s (new / old) |")
    print("|---:|---:|---:|---:|---|---|")
    for n in a.rows:
        runs = [one(n) for _ in range(a.reps)]
        m = {key: statistics.median(r[key] for r in runs) for key in runs[0]}
        print(f"| {n:,} | {m['compact_bytes'] / n:.0f} | {m['dict_bytes'] / n:.0f} | "
              f"{m['dict_bytes'] / m['compact_bytes']:.1f}x | {m['update_new']:.3f} / {m['update_old']:.3f} | "
              f"{m['digest_new']:.3f} / {m['digest_old']:.3f} |")


if __name__ == "__main__":
    main()
