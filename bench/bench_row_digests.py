"""Benchmark: each row's SHA-256 (validate.row_hashes) built in Arrow against one Python dict per row.

    .venv/bin/python bench/bench_row_digests.py RELEASE [--reps 3] [--tables copies statements ...]

For each table of RELEASE (a release folder: data/<table>.parquet or data/<table>/part-*.parquet),
read into memory once, the digests of every row are computed --reps times by each way,
alternated: the per-row path publishing used until session 15 (`to_pylist`, `json.dumps`,
`sha256`, kept here as the baseline) and rowdigests.batch_digests, both over the same record
batches of validate.HASH_ROWS rows. Prints per table the median CPU seconds (process time:
less disturbed by other load than wall time) of each, the ratio, and whether the bytes are
the same (they must be: manifests' content_sha256 rests on them); then the totals.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import statistics
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from crosswire.rowdigests import batch_digests  # noqa: E402
from crosswire.validate import HASH_ROWS  # noqa: E402


def per_row(batch) -> bytes:
    """The baseline: the row as a Python dict, dumped to JSON and hashed, one row at a time."""
    return b"".join(hashlib.sha256(json.dumps(row, sort_keys=True, default=str, ensure_ascii=False).encode()).digest()
                    for row in batch.to_pylist())


def tables_of(release: Path, wanted: list[str]) -> dict:
    out = {}
    for path in sorted((release / "data").iterdir()):
        name = path.name.removesuffix(".parquet")
        if wanted and name not in wanted:
            continue
        files = sorted(path.glob("*.parquet")) if path.is_dir() else [path]
        out[name] = [b for f in files for b in pq.read_table(f).to_batches(max_chunksize=HASH_ROWS)]
    return out


def cpu(fn, batches) -> tuple[float, bytes]:
    t0 = time.process_time()
    out = b"".join(fn(b) for b in batches)
    return time.process_time() - t0, out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("release", type=Path)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--tables", nargs="*", default=[])
    a = ap.parse_args()
    print(f"{'table':<14}{'rows':>10}{'per row s':>11}{'arrow s':>9}{'ratio':>7}  same")
    total_old = total_new = 0.0
    for name, batches in tables_of(a.release, a.tables).items():
        old, new, same = [], [], True
        for _ in range(a.reps):
            t_old, d_old = cpu(per_row, batches)
            t_new, d_new = cpu(batch_digests, batches)
            old.append(t_old)
            new.append(t_new)
            same &= d_old == d_new
        m_old, m_new = statistics.median(old), statistics.median(new)
        total_old += m_old
        total_new += m_new
        rows = sum(b.num_rows for b in batches)
        print(f"{name:<14}{rows:>10}{m_old:>11.2f}{m_new:>9.2f}{m_new / m_old if m_old else 0:>7.2f}  {same}")
    print(f"{'all':<14}{'':>10}{total_old:>11.2f}{total_new:>9.2f}{total_new / total_old if total_old else 0:>7.2f}")


if __name__ == "__main__":
    main()
