"""Rows the next release can take from the previous one instead of building them again.

A per-article table's row is a pure function of what made it: its cache entry's key and
the few values a run adds to it (the article's event id, whether text is withheld, ...).
After each release the run remembers, per row, a digest of those (`remember`, a blob in
the cache keyed by the table's file digest in that release); the next run takes the rows
whose digest did not change from the release's file (`kept_rows`: Parquet, no JSON
decoding of cached rows) and builds only the others. Taking a row over is exact: same
inputs, same row, so the table, and the file written from it, are the same bytes.

The digests may be kept per group of rows instead (`by` a column, e.g. the statements of
one article by article_id): the group's rows are then taken or built together.

Pure library code: no Prefect here.
"""
from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds

from schemas import TABLES

from .blobs import Blobs
from .cache import digest
from .tableparts import is_in
from .validate import manifest_head, table_files

STAGE = "published-rows"
FORMAT = 1


def row_digest(*parts) -> str:
    """What a row is made from (its cache key, the values the run adds), as one digest."""
    return digest(*parts)


def _name(entry: dict, context: str) -> str:
    return digest(STAGE, FORMAT, entry.get("sha256"), context)


def remember(store_root: Path | None, release: Path | None, table: str, digests: dict[str, str],
             context: str) -> None:
    """Keep {key: row_digest} of the rows of `table` as published in `release` (whose rows they
    must be: the caller's rows of that release), for the next run's kept_rows. `context`:
    what every row depends on alike (the table's schema, the run's settings)."""
    if store_root is None or release is None:
        return
    try:
        entry = manifest_head(release)["tables"][table]
    except (OSError, ValueError, KeyError):
        return
    keys = sorted(digests)
    t = pa.table({"key": pa.array(keys, pa.string()), "digest": pa.array([digests[k] for k in keys], pa.string())})
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, t.schema) as writer:
        writer.write_table(t)
    Blobs(store_root, STAGE).put(_name(entry, context), sink.getvalue().to_pybytes())


def kept_rows(store_root: Path | None, release: Path | None, table: str, digests: dict[str, str],
              context: str, by: str | None = None) -> tuple[pa.Table | None, set[str]]:
    """(rows of `table` in `release` whose key has the same row_digest now as when it was
    published, their keys): nothing (None, set()) when the run did not remember that
    release's rows under this context, or the release's table is not of today's schema.
    `by`: the column the digests' keys are values of (default the primary key: one digest a
    row); a key then stands for all rows with that value, none or many."""
    spec = TABLES[table]
    by = by or spec.primary_key
    same, entry = _unchanged(store_root, release, table, digests, context)
    if not same:
        return None, set()
    data = ds.dataset([str(f) for f in table_files(release, entry)], format="parquet")
    if not data.schema.equals(spec.arrow_schema, check_metadata=False):
        return None, set()
    rows = data.to_table(filter=pc.field(by).isin(sorted(same)))
    if by == spec.primary_key and rows.num_rows != len(same):  # not what was remembered: build them all
        return None, set()
    return rows.cast(spec.arrow_schema), same


def unchanged(store_root: Path | None, release: Path | None, table: str, digests: dict[str, str],
              context: str) -> set[str] | None:
    """The keys of `digests` whose row_digest is the one remembered for `table` as published in
    `release` (under `context`); None when nothing was remembered for it. For what a table's
    rows are made of per article, while the rows themselves are keyed otherwise (a copy
    pair is made of its two articles: flows.release)."""
    same, entry = _unchanged(store_root, release, table, digests, context)
    return None if entry is None else same


def _unchanged(store_root, release, table: str, digests: dict[str, str], context: str) -> tuple[set[str], dict | None]:
    """(the keys whose digest is the remembered one, the table's manifest entry in `release`);
    (set(), None) when nothing was remembered for that file under `context`."""
    if store_root is None or release is None:
        return set(), None
    try:
        entry = manifest_head(release)["tables"][table]
    except (OSError, ValueError, KeyError):
        return set(), None
    payload = Blobs(store_root, STAGE).get(_name(entry, context))
    if payload is None:
        return set(), None
    try:
        then = pa.ipc.open_stream(payload).read_all()
    except (pa.ArrowInvalid, OSError):
        return set(), None
    return {k for k, d in zip(then["key"].to_pylist(), then["digest"].to_pylist()) if digests.get(k) == d}, entry


def steady_pairs(table: pa.Table, steady: set[str], ends: tuple[str, str]) -> pa.Array:
    """Which rows of a table of pairs (a copy pair: the columns `ends` name its two
    articles) have both ends in `steady`, as a boolean array over its rows: rows made of
    their two ends alone are then the ones published before (publish.plan's `settled`)."""
    value_set = pa.array(sorted(steady), table.schema.field(ends[0]).type)
    both = pc.and_(is_in(table, ends[0], value_set), is_in(table, ends[1], value_set))
    return both.combine_chunks() if isinstance(both, pa.ChunkedArray) else both


def joined(kept: pa.Table | None, built: pa.Table) -> pa.Table:
    """The rows taken over and the rows built, one table (of the built table's schema)."""
    return built if kept is None else pa.concat_tables([kept, built])
