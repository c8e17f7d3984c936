"""Parquet as a release writes it (rows ordered by outlet, date, event; sized row groups;
statistics, page index and sorting_columns) against the earlier writer (rows in key order,
one row group), on a synthetic statements-like table: file size and DuckDB time for the
common filters, in the same run.

    .venv/bin/python bench/bench_parquet_layout.py [--rows 400000] [--repeat 5]

The table is random but seeded (outlets, dates, events and quote-like text of realistic
lengths); no real article text. Timings on a shared machine: compare the ratios.
"""
from __future__ import annotations

import argparse
import hashlib
import random
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import duckdb  # noqa: E402
import pyarrow as pa  # noqa: E402
import pyarrow.parquet as pq  # noqa: E402

from crosswire import publish  # noqa: E402

WORDS = ("the minister said talks would continue next week after a long meeting with officials "
         "we are not going to accept any deal that ignores our security concerns president").split()


def synthetic(n: int, seed: int = 7) -> pa.Table:
    rng = random.Random(seed)
    sources = [f"outlet{i:03d}" for i in range(120)]
    start = datetime(2024, 1, 1, tzinfo=timezone.utc)
    rows = []
    for i in range(n):
        rows.append({
            "statement_id": "st_" + hashlib.sha256(str(i).encode()).hexdigest()[:16],
            "source_id": rng.choice(sources),
            "published": start + timedelta(minutes=rng.randrange(0, 60 * 24 * 700)),
            "event_id": f"ev_{rng.randrange(0, 20000):06d}",
            "text": " ".join(rng.choice(WORDS) for _ in range(rng.randrange(5, 60))),
            "confidence": rng.random(),
        })
    return pa.Table.from_pylist(rows)


def write_old(table: pa.Table, path: Path) -> None:
    table = table.sort_by("statement_id")
    pq.write_table(table, path, compression="zstd", compression_level=3, row_group_size=max(1, table.num_rows),
                   use_dictionary=True, write_statistics=True, store_schema=True)


def write_new(table: pa.Table, path: Path) -> None:
    keys = ["source_id", "published", "event_id", "statement_id"]
    publish.write_parquet(publish.order_rows(table, keys), path, keys)


QUERIES = {
    "one outlet": "SELECT count(*), round(avg(confidence), 6) FROM read_parquet('{p}') WHERE source_id = 'outlet042'",
    "one month": "SELECT count(*) FROM read_parquet('{p}') WHERE published >= TIMESTAMPTZ '2024-06-01' "
                 "AND published < TIMESTAMPTZ '2024-07-01'",
    "outlet and month, text": "SELECT sum(length(text)) FROM read_parquet('{p}') WHERE source_id = 'outlet042' "
                              "AND published >= TIMESTAMPTZ '2024-06-01' AND published < TIMESTAMPTZ '2024-07-01'",
    "one event": "SELECT count(*) FROM read_parquet('{p}') WHERE event_id = 'ev_001234'",
}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=400_000)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    table = synthetic(args.rows)
    with tempfile.TemporaryDirectory() as d:
        old, new = Path(d) / "old.parquet", Path(d) / "new.parquet"
        write_old(table, old)
        write_new(table, new)
        meta = pq.ParquetFile(new).metadata
        print(f"{args.rows} rows, {table.nbytes / 1e6:.0f} MB in Arrow; row groups old 1, new {meta.num_row_groups}")
        print(f"bytes: old {old.stat().st_size:,}  new {new.stat().st_size:,}")
        con = duckdb.connect()
        con.execute("SET threads = 1")
        for name, sql in QUERIES.items():
            times = {}
            for label, path in (("old", old), ("new", new)):
                q = sql.format(p=path)
                assert con.execute(q).fetchall() == con.execute(sql.format(p=old)).fetchall()
                best = min(_time(con, q) for _ in range(args.repeat))
                times[label] = best
            print(f"{name:24s} old {times['old'] * 1000:7.1f} ms  new {times['new'] * 1000:7.1f} ms  "
                  f"ratio {times['old'] / times['new']:.1f}x")


def _time(con, sql: str) -> float:
    start = time.perf_counter()
    con.execute(sql).fetchall()
    return time.perf_counter() - start


if __name__ == "__main__":
    main()
