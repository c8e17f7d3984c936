"""Publishing a release: deterministic Parquet, manifest, data package, data card.

A release directory is built under a hidden temporary name, validated, then renamed into
place in one step, so readers see either the whole release or none of it. An existing
version is never written into.

Layout of a release (manifest `layout` 2; releases without `layout` are the flat layout 1
of v1.x, tables beside the metadata, still read through their manifest paths):

    datasets/v2.0.0/
        data/<table>.parquet              one file per table ...
        data/<table>/part-00000.parquet   ... or a folder of parts for a large table
        manifest.json  datapackage.json  README.md  SHA256SUMS  (and the card's files)

Only tables live under data/, so `read_parquet('datasets/v*/data/statements*.parquet')` in
DuckDB, or a pyarrow / Polars / pandas reader over `data/<table>.parquet` or
`data/<table>/`, sees tables only. Every reader finds a table through its manifest entry:
`manifest["tables"][name]["path"]` (and `["parts"][i]["path"]` for parts), relative to the
release folder, `/` separators.

`datasets/latest` is a small text file: one line, the folder name of the newest release
(e.g. `v2.0.0`) and a newline, no other content. It is rewritten atomically (temporary file
and rename) after each release is published. A reader resolves it as
`datasets / latest.read_text().strip()`; a reader that finds it missing, unreadable,
naming a folder that is not a complete release, or naming one older than the newest
complete `v*/` folder, falls back to the newest complete release (`newest_release()`).
A file rather than a symlink: it survives Windows, zips and every tool that reads text.

`SHA256SUMS` lists every other file of the release (`<sha256>  <path>` lines, the format
`sha256sum -c SHA256SUMS` checks from inside the release folder); it is written last,
before the release is validated and renamed into place.

A folder named like a release without a usable manifest (left by a crash, a copy or a hand
edit) is not a release: it is ignored with a warning, never counted as the newest, and
moved aside (to `.incomplete-<name>-<hex>`) only when the next version needs its name.
"""
from __future__ import annotations

import hashlib
import json
import logging
import math
import os
import shutil
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from itertools import islice
from pathlib import Path
from typing import Iterable, Iterator

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from schemas import TABLES
from schemas._base import Table

from . import datacard
from .blobs import Blobs
from .load import POINTER, kept_by_stats, published, read_pointer, release_dirs, version_of
from .tableparts import TableParts
from . import diff as release_diff
from .lock import LockTimeout, datasets_lock  # noqa: F401  (LockTimeout: part of this API)
from .validate import (DATA_DIR, DIGEST, LAYOUT, SUMS_NAME, canonical_columns, columns_spec, content_digest,  # noqa: F401
                       files_row_hashes, footer_table, in_order, inspect_release, manifest_head, parts_digest, read_manifest,
                       read_table, release_problem, row_hashes, RowHashes, RowHashing, sha256_file, sha256sums, table_files,
                       validate_release, validate_tables)

log = logging.getLogger(__name__)

TMP_PREFIX = ".tmp-"
INCOMPLETE_PREFIX = ".incomplete-"

# Rows are ordered for the filters analysts use most: by outlet, then date, then event
# (the first column of each group that a table has), then the primary key, so that the
# order is total and the bytes repeat. Row-group statistics then let a reader skip
# whole row groups for `WHERE source_id = ...` or a date range.
FILTER_ORDER = (("source_id", "first_source_id", "source_a"),
                ("published", "date", "date_start", "first_published", "last_published"),
                ("event_id",),
                ("article_id", "article_a"))
# Row groups of at most 64 MB of Arrow data and at most 128Ki rows: DuckDB writes 122,880
# rows per group and Polars 256Ki, Spark reads groups of up to 128 MB; smaller groups let a
# filter on the sort columns skip more (bench/bench_parquet_layout.py measures it).
# CROSSWIRE_ROW_GROUP_BYTES overrides the bytes (tests use a small value).
ROW_GROUP_BYTES = 64 << 20
MAX_ROW_GROUP_ROWS = 1 << 17


class PublishError(RuntimeError):
    pass


class PublishWriteError(PublishError, OSError):
    """Writing the release failed (disk full, read-only, ...): nothing was published.

    An OSError too, with the original errno, so callers can tell ENOSPC from EROFS.
    """

    def __init__(self, message: str, errno: int | None = None):
        super().__init__(message)
        self.errno = errno
        self.message = message

    def __str__(self) -> str:
        return self.message


class ValidationFailed(PublishError):
    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__(f"the release does not validate ({len(errors)} problem(s)): " + "; ".join(errors))


# ---- tables ---------------------------------------------------------------------------

def sort_keys(spec: Table) -> list[str]:
    """The columns a table's rows are ordered by (its own `order`, else FILTER_ORDER's it has;
    then the primary key)."""
    names = [c.name for c in spec.columns]
    keys = list(spec.order) or [next(c for c in group if c in names) for group in FILTER_ORDER
                                if any(c in names for c in group)]
    return [k for k in dict.fromkeys(keys) if k != spec.primary_key] + [spec.primary_key]


# rows converted to Arrow this many at a time: the copies of the rows that the conversion
# makes (each row cut to the table's columns) are never made for a whole table at once
ARROW_BATCH_ROWS = 10_000


def to_arrow(spec: Table, rows: Iterable[dict] | pa.Table, in_parts: bool = False) -> pa.Table | TableParts:
    """Rows (dicts, an Arrow table of the published schema, or an object that makes its rows
    as one: `arrow_rows(schema, order)`, e.g. copies.CopyPairs) to an Arrow table of the
    published schema, in the published row order. Dicts are converted ARROW_BATCH_ROWS at a
    time; an iterator of them is never held as one list here. `in_parts`: such an object
    whose rows will be written in parts of its part column (more than PART_ROWS) becomes a
    TableParts, made a part at a time when published, never whole."""
    if isinstance(rows, TableParts):
        return rows
    if hasattr(rows, "arrow_rows"):  # asked in the published order: then not sorted again here
        n, make = len(rows), rows.arrow_rows(spec.arrow_schema, sort_keys(spec))
        if in_parts and part_column(spec) is not None and n > _part_rows():
            return TableParts(spec.arrow_schema, n, make)
        rows = make(0, n)
    table = rows if isinstance(rows, pa.Table) else _from_rows(spec, rows)
    return order_rows(table, sort_keys(spec))


def _from_rows(spec: Table, rows: Iterable[dict]) -> pa.Table:
    names, schema = spec.arrow_schema.names, spec.arrow_schema
    batches = [pa.RecordBatch.from_pylist([{n: r.get(n) for n in names} for r in chunk], schema=schema)
               for chunk in chunks(rows, ARROW_BATCH_ROWS)]
    if len(batches) == 1:
        return pa.Table.from_batches(batches, schema=schema)
    # one chunk per column, as a whole-list conversion gives (ordering takes rows across them)
    return pa.Table.from_batches(batches, schema=schema).combine_chunks()


def chunks(rows: Iterable, size: int) -> Iterator[list]:
    """Lists of `size` items (the last shorter) from any iterable; one empty list for none."""
    it = iter(rows)
    first = True
    while chunk := list(islice(it, size)):
        first = False
        yield chunk
    if first:
        yield []


def order_rows(table: pa.Table, keys: list[str]) -> pa.Table:
    if table.num_rows < 2:
        return table
    if in_order(table, keys):  # not sorted and copied again; one chunk per column, as take gives
        return table.combine_chunks()
    # nulls last (the default of every pyarrow this runs on; spelt per key only from pyarrow 25)
    idx = pc.sort_indices(table, sort_keys=[(k, "ascending") for k in keys])
    return table.take(idx)


def build_tables(rows: dict[str, list[dict] | pa.Table]) -> dict[str, pa.Table]:
    """Every table of the release format from its rows (dicts or an Arrow table each; none:
    empty); `rows` is left as it is (take_tables on a shallow copy)."""
    return take_tables(dict(rows))


def take_tables(rows: dict[str, list[dict] | pa.Table], in_parts: bool = False) -> dict[str, pa.Table | TableParts]:
    """The tables of `rows`, emptying it as it goes: each table's rows are dropped as soon as
    they are converted, so a caller that hands over its only reference to them holds a
    table as Python rows and as Arrow at once for one table at most, never for all.
    `in_parts`: a large table given by an object that makes its rows (to_arrow) stays one,
    a TableParts, made a part at a time when planned, checked and written (publish)."""
    out = {name: to_arrow(spec, rows.pop(name, []), in_parts) for name, spec in TABLES.items()}
    rows.clear()  # anything else is not a table of the format: left out
    return out


def row_group_rows(table: pa.Table) -> int:
    """Rows per row group: equal groups of at most ROW_GROUP_BYTES of Arrow data and
    MAX_ROW_GROUP_ROWS rows each."""
    budget = int(os.environ.get("CROSSWIRE_ROW_GROUP_BYTES", ROW_GROUP_BYTES))
    groups = max(1, math.ceil(table.nbytes / max(1, budget)), math.ceil(table.num_rows / MAX_ROW_GROUP_ROWS))
    return max(1, math.ceil(table.num_rows / groups))


def write_parquet(table: pa.Table, path: Path, sorting: list[str] = ()) -> None:
    """Fixed options, so the same table gives the same bytes on every run; statistics and
    the page index for readers that skip row groups and pages; `sorting` (the columns the
    rows are ordered by) recorded as the file's sorting_columns. Written one row group at a
    time (row_groups), the bytes pq.write_table gives for the whole table."""
    kept = [k for k in sorting if k in table.schema.names]
    sorting_columns = pq.SortingColumn.from_ordering(table.schema, [(k, "ascending") for k in kept],
                                                     null_placement="at_end") if kept else None
    write_row_groups(row_groups(table), table.schema, path, sorting_columns)


def row_groups(table: pa.Table) -> Iterator[pa.Table]:
    """The table's row groups (row_group_rows each, the last shorter), as slices; one empty
    group for an empty table, as pq.write_table writes."""
    size = row_group_rows(table)
    for start in range(0, max(1, table.num_rows), size):
        yield table.slice(start, size)


def write_row_groups(groups: Iterable[pa.Table], schema: pa.Schema, path: Path, sorting_columns=None) -> None:
    """A Parquet file of one row group per item of `groups` (Arrow tables of `schema`), with
    the fixed options of write_parquet: the writer holds one group at a time."""
    with pq.ParquetWriter(path, schema, compression="zstd", compression_level=3, use_dictionary=True,
                          write_statistics=True, write_page_index=True, store_schema=True,
                          sorting_columns=sorting_columns) as writer:
        for group in groups:
            writer.write_table(group, row_group_size=max(1, group.num_rows))


def give_back_arrow() -> None:
    """Hand what Arrow's memory pool keeps of the memory Arrow freed back to the system: its
    allocator (mimalloc, jemalloc) keeps freed pages for reuse, and the resident size of a
    publish that made and let go of a large table's hashes and bytes kept them to its end."""
    pa.default_memory_pool().release_unused()


# ---- versions ----------------------------------------------------------------------------

def incomplete(datasets: Path) -> list[tuple[Path, str]]:
    """Folders named like a release that are not one, each with the reason."""
    return [(p, why) for p in release_dirs(datasets) if (why := release_problem(p)) is not None]


def latest(datasets: Path) -> Path | None:
    """The newest complete release, by version (what the next one is planned against)."""
    # newest first, stopping at the first complete one: not every release's manifest
    return next((p for p in reversed(release_dirs(datasets)) if release_problem(p) is None), None)


def warm(datasets: Path) -> None:
    """Read now what publishing reads of every release, kept per manifest and stats in this
    process (load.kept_by_stats): each release's completeness and changelog entry, the newest
    one's head. For a resident process (`crosswire watch`) whose first check the run record
    answers without the flow: its first publish then does not parse every manifest (3.8 MB
    each at 10k articles; a datasets folder a watch has served for months holds hundreds)."""
    for rel in published(datasets):
        try:
            kept_by_stats(rel / "manifest.json", _changelog_entry)
        except (OSError, ValueError, KeyError, TypeError):
            pass  # said when a run reads it
    newest = latest(datasets)
    if newest is not None:
        try:
            manifest_head(newest)
        except (OSError, ValueError):
            pass


def newest_release(datasets: Path) -> Path | None:
    """What a reader should open: the release `datasets/latest` names when it is the newest
    complete release, else (pointer missing, stale or naming a broken folder) the newest
    complete release, with a warning."""
    newest = latest(datasets)
    named = read_pointer(datasets)
    if newest is not None and named != newest.name:
        log.warning("%s names %s, not the newest release %s: using %s", Path(datasets) / POINTER,
                    named or "nothing", newest.name, newest.name)
    return newest


def write_latest(datasets: Path, release: Path) -> None:
    """Point datasets/latest at `release` (atomically: a temporary file renamed over it)."""
    path = Path(datasets) / POINTER
    tmp = path.with_name(f".{POINTER}.{uuid.uuid4().hex[:8]}")
    try:
        tmp.write_text(release.name + "\n", encoding="utf-8")
        os.replace(tmp, path)
    except OSError as e:  # readers fall back to the newest release: not worth failing a published run
        tmp.unlink(missing_ok=True)
        log.warning("could not update %s: %s", path, e)


@dataclass
class Plan:
    version: str | None        # None: nothing changed, no release
    bump: str                  # "initial" | "major" | "minor" | "patch" | "none"
    changes: dict              # table -> {"added", "removed", "changed"}
    previous: str | None
    ignored: list = field(default_factory=list)  # folders named like releases that are not
    same: set = field(default_factory=set)       # tables whose rows equal the previous release's
    hashes: dict = field(default_factory=dict)   # table -> RowHashes of its new rows, where computed
    fresh: dict = field(default_factory=dict)    # table -> keys of its rows added or changed, where computed
    unique: set = field(default_factory=set)     # tables whose primary key planning found given once a row
    diffs: dict | None = None  # table -> its diff against the previous release (crosswire.diff), when all known
    steady: dict = field(default_factory=dict)   # table -> SteadyParts: its previous parts holding the same rows


def plan(tables: dict[str, pa.Table], previous: Path | None, hash_store=None, settled: dict | None = None) -> Plan:
    """Compare with the previous release and choose the version bump (DESIGN.md).

    What the previous release holds is read from its tables, not taken from its manifest's
    claims; a previous release whose files do not match its manifest is refused (a bump
    planned against tampered data would be spurious). Its tables are read one at a time
    (only one is held beside the new tables). Rows are matched by key and compared in
    Arrow (diff.row_changes); the row hashes of the new table (for its content digest) are
    those of the previous release's rows (from `hash_store`, a crosswire.cache.Cache, when
    it holds them for that file; else hashed here) for the rows that did not change, and
    hashed here for the rows added or changed only.

    `settled` ({table: Arrow array of primary keys}, optional): rows of the new tables that
    the caller took from `previous`'s files as they are (crosswire.carry), or knows to be
    the same (a boolean array over the new table's rows, e.g. the copy pairs of two
    unchanged articles); they are not compared again, and the old row groups holding only
    such rows are not read.
    """
    settled = settled or {}
    if previous is None:
        changes = {n: {"added": t.num_rows, "removed": 0, "changed": 0} for n, t in tables.items()}
        return Plan("1.0.0", "initial", changes, None)
    problems, old_tables = inspect_release(previous, deep=False, against_code=False, rows=False)
    if problems:
        raise PublishError(
            f"the newest release {previous} does not match its manifest ({problems[0]}"
            f"{f'; and {len(problems) - 1} more' if len(problems) > 1 else ''}): nothing was published; "
            f"see `crosswire validate {previous}`, then restore it from a copy or move it out of "
            f"{previous.parent}")
    manifest = manifest_head(previous)
    breaking = manifest.get("layout", 1) != LAYOUT  # readers' paths change: a major release
    additive = False
    changes, same, hashes, fresh, diffs, unique, steady = {}, set(), {}, {}, {}, set(), {}
    for name, table in tables.items():
        key = TABLES[name].primary_key
        if name not in old_tables:
            additive = True
            changes[name] = {"added": table.num_rows, "removed": 0, "changed": 0}
            continue
        entry = manifest["tables"][name]
        # the changelog's diff of this table, made here from the rows compared anyway
        diffs[name] = release_diff.diff_frame(entry, {"rows": table.num_rows, "columns": columns_spec(table.schema)})
        old_schema = footer_table(previous, name, entry)[0].schema
        old_cols = {c[0]: c for c in canonical_columns(columns_spec(old_schema))}
        new_cols = {c[0]: c for c in canonical_columns(columns_spec(table.schema))}
        if any(c not in new_cols or new_cols[c][1] != old_cols[c][1] for c in old_cols):
            breaking = True
        if set(new_cols) - set(old_cols):
            additive = True
        if old_schema.equals(table.schema, check_metadata=False) and not _hive(entry):
            # the previous table read a row group's column at a time, never whole
            files = table_files(previous, entry)
            facts = {}
            # parts holding only rows the caller settled, the same ones as before: not read
            held = steady_parts(previous, entry, table, TABLES[name], settled.get(name))
            steady[name] = held
            few = None if held.leaves_few(table) else few_open_rows(table, files, entry, key, settled.get(name))
            if few is not None:
                (added, removed, changed, by_column), rest, old_rest, once = few
                if once:
                    unique.add(name)
            else:
                rest, rest_files, rest_settled = held.rest(table, files, settled.get(name))
                added, removed, changed, by_column = release_diff.file_row_changes(rest_files, rest, key,
                                                                                   rest_settled, facts)
                if facts["unique"] and held.apart(table, key, added):
                    unique.add(name)
            if not (added or removed or changed):
                changes[name] = {"added": 0, "removed": 0, "changed": 0}
                same.add(name)
                continue
            shown = set(removed[:release_diff.EXAMPLES]) | set(changed[:release_diff.EXAMPLES])
            # the examples' new rows from `rest`, which holds every row added or changed (a key
            # also in a steady run is there twice: then checking the keys fails the release)
            release_diff.tables_diff(diffs[name], old_rest if few else _file_rows_with(rest_files, key, shown), rest,
                                     key, changes=(added, removed, changed, by_column))
            new_rows = _rows_with(rest if few else table, key, set(added) | set(changed))
            del rest
            before = known_row_hashes(hash_store, entry, key, files)
            after = hashes_after(before, set(removed), row_hashes(new_rows, key))
            del before, new_rows
        else:  # columns added, removed or retyped, or the early hive layout (rare): read whole
            table = table.whole() if isinstance(table, TableParts) else table  # (its maker orders its rows)
            old = read_table(previous, name, entry)
            if _same_rows(old, table, key):
                changes[name] = {"added": 0, "removed": 0, "changed": 0}
                same.add(name)
                continue
            diffs.pop(name)  # every row is compared by its hash, the changelog's diff read from the two releases
            before, after = row_hashes(old, key), row_hashes(table, key)
            del old
            added, removed, changed = before.changes(after)
        hashes[name] = after
        fresh[name] = set(added) | set(changed)
        changes[name] = {"added": len(added), "removed": len(removed), "changed": len(changed)}
    breaking = breaking or any(n not in tables for n in old_tables)
    old_version = previous.name[1:]
    major, minor, patch = version_of(previous.name)
    # a changelog diff from here only when every table kept its columns (else it is read from the files)
    whole = set(diffs) == set(tables) == set(old_tables) and not any(any(d["schema"].values()) for d in diffs.values())
    carried = {"same": same, "hashes": hashes, "fresh": fresh, "diffs": diffs if whole else None, "unique": unique,
               "steady": {n: held for n, held in steady.items() if held.runs}}
    if breaking:
        return Plan(f"{major + 1}.0.0", "major", changes, old_version, **carried)
    if additive or any(c["added"] for c in changes.values()):
        return Plan(f"{major}.{minor + 1}.0", "minor", changes, old_version, **carried)
    if any(c["removed"] or c["changed"] for c in changes.values()):
        return Plan(f"{major}.{minor}.{patch + 1}", "patch", changes, old_version, **carried)
    return Plan(None, "none", changes, old_version, **carried)


# A table whose rows are all settled but at most 1 in FEW_OPEN is planned from its open rows
# alone (few_open_rows): one article added to 10k made the 1.5M-row copies table whole and read
# all its old keys, for 81 new pairs (2 s, 0.8 GB; docs/performance.md, session 31).
FEW_OPEN = 16
# ... unless its steady parts (SteadyParts) leave at most 1 row in STEADY_REST to compare:
# then those rows are compared the usual way, and the table's whole key column is not made.
# At 10k, the copies table with its new pairs in one month's part: 116k rows left, compared in
# 0.02 s, where few_open_rows took 0.86 s to make and count 1.5M keys (session 32).
STEADY_REST = 4


def few_open_rows(table: pa.Table | TableParts, files: list[Path], entry: dict, key: str, settled):
    """((added, removed, changed, changed rows per column), the open rows, the old rows of
    their keys, whether each key is there once) of a table whose `settled` (a boolean array
    over its rows: true where the row is the published one of its key, e.g.
    carry.steady_pairs) leaves few rows open, found from those rows and the old rows of
    their keys only, as file_row_changes finds them. Each settled row is an old row of its
    own key, so with each key there once (found in Arrow, the key column alone) the old
    rows neither settled nor under an open row's key are the removed ones; when they number
    none, nothing else needs reading. None (compare the usual way) when some were removed
    (only every old key names them), a key repeats, too many rows are open, or `settled` is
    not such an array."""
    if settled is None or not pa.types.is_boolean(settled.type) or len(settled) != table.num_rows:
        return None
    settled = pc.fill_null(settled, False)
    n_settled = pc.sum(settled).as_py() or 0
    if (table.num_rows - n_settled) * FEW_OPEN > table.num_rows or entry.get("rows") is None:
        return None
    open_rows = table.filter(pc.invert(settled))
    if not isinstance(open_rows, pa.Table):
        open_rows = open_rows.combine_chunks()
    keys = table.column(key)
    # (pc.unique: a quarter of count_distinct's time on 1.5M strings)
    if keys.null_count or len(pc.unique(keys)) != table.num_rows:
        return None  # the usual way finds the repeated key, and the table's check fails on it
    del keys
    old_rows = _file_rows_with(files, key, set(open_rows.column(key).to_pylist()))
    if entry["rows"] - n_settled - old_rows.num_rows:
        return None
    return release_diff.row_changes(old_rows, open_rows, key), open_rows, old_rows, True


@dataclass
class SteadyParts:
    """Of a table in parts, the previous release's parts that hold exactly the new table's
    rows of their outlet or month (part_bounds), every one of them settled (the published
    row of its key): `runs` {offset of the run of new rows: (its rows, its old part entries,
    in order)}. Planning does not read them, writing links them (write_table)."""
    runs: dict = field(default_factory=dict)
    old: set = field(default_factory=set)   # their indexes among the previous release's parts

    def rest(self, table: pa.Table, files: list[Path], settled):
        """(the new rows outside the steady runs, the previous release's files but the steady
        ones, `settled` cut to those rows): what planning still compares, as one Arrow table
        (a TableParts none of whose runs is steady is made whole here)."""
        if not self.runs and not isinstance(table, TableParts):
            return table, files, settled
        cuts, at = [], 0
        for start in sorted(self.runs):
            cuts.append((at, start - at))
            at = start + self.runs[start][0]
        cuts.append((at, table.num_rows - at))
        rest = pa.concat_tables([table.slice(a, n) for a, n in cuts]).combine_chunks()
        if settled is not None and pa.types.is_boolean(settled.type):
            settled = pa.concat_arrays([settled.slice(a, n) for a, n in cuts])
        return rest, [f for i, f in enumerate(files) if i not in self.old], settled

    def leaves_few(self, table: pa.Table) -> bool:
        """Whether the steady runs hold all but at most 1 in STEADY_REST of the table's rows."""
        return bool(self.runs) and (table.num_rows - sum(n for n, _ in self.runs.values())) * STEADY_REST \
            <= table.num_rows

    def apart(self, table: pa.Table, key: str, added: list) -> bool:
        """Whether no key planning found added is one of a steady run's (then each key of the
        table is there once: the steady runs' keys are, steady_parts saw to it)."""
        if not self.runs or not added:
            return True
        fresh = pa.array(sorted(added), table.schema.field(key).type)
        keys = table.column(key)  # once (a TableParts makes it for each call)
        return not any(pc.any(pc.is_in(keys.slice(start, n), value_set=fresh)).as_py()
                       for start, (n, _) in self.runs.items())

    def parts_at(self, start: int, length: int) -> dict | None:
        """The old part entry a new part (its offset and rows) is, inside a steady run: the
        run is cut as it was then (the same rows), so its k-th part is the old k-th part."""
        for run, (n, entries) in self.runs.items():
            if run <= start < run + n:
                cuts = part_bounds_of(n, entries)
                return entries[cuts.index((start - run, length))] if (start - run, length) in cuts else None
        return None


def part_bounds_of(n: int, entries: list[dict]) -> list[tuple[int, int]]:
    """(offset inside the run, rows) of each of a run's old parts, from their manifest rows."""
    out, at = [], 0
    for x in entries:
        out.append((at, x.get("rows") or 0))
        at += x.get("rows") or 0
    return out if at == n else []


def steady_parts(previous: Path, entry: dict, table: pa.Table, spec: Table, settled) -> SteadyParts:
    """The previous release's parts of a table that the new table holds unchanged, found
    without reading their rows: for each run of new rows of one part value (part_values of
    part_column: an outlet, a month), the old parts of that value (their footers' statistics)
    when their rows add up to the run's, every row of the run is settled (`settled`, a boolean
    array over the new rows: true where the row is the published one of its key, e.g.
    carry.steady_pairs) and no key repeats: then the run's rows are those parts' rows, no
    more, no fewer. None found (empty) without parts, a part column or such a mask."""
    by = part_column(spec)
    parts = entry.get("parts") or []
    if by is None or not parts or settled is None or not pa.types.is_boolean(settled.type) \
            or not pc.any(settled).as_py():
        return SteadyParts()
    of_value: dict = {}
    for i, x in enumerate(parts):
        value = _part_value(previous / x["path"], by)
        if value is _MIXED:
            return SteadyParts()
        of_value.setdefault(value, []).append(i)
    values = part_values(table.column(by))
    key = table.column(spec.primary_key)
    out = SteadyParts()
    for start, n in runs(values):
        olds = of_value.get(values[start].as_py(), [])
        if not olds or sum(parts[i].get("rows") or 0 for i in olds) != n or olds != list(range(olds[0], olds[-1] + 1)):
            continue
        if not pc.all(pc.fill_null(settled.slice(start, n), False)).as_py():
            continue
        # a key given twice in a run of settled rows: two equal rows, next to each other
        ks = key.slice(start, n)
        if n > 1 and pc.any(pc.equal(ks.slice(0, n - 1), ks.slice(1))).as_py():
            continue
        out.runs[start] = (n, [parts[i] for i in olds])
        out.old.update(olds)
    return out


_MIXED = object()  # a part whose rows are not of one part value (not this layout)


def _part_value(path: Path, by: str):
    """The part value (part_values) of a published part's rows, from its footer's statistics:
    None for a part of nulls, _MIXED when its rows differ in it or the statistics are missing."""
    meta = pq.ParquetFile(path).metadata
    col = meta.schema.to_arrow_schema().get_field_index(by)
    found = set()
    for g in range(meta.num_row_groups):
        rg = meta.row_group(g)
        stats = rg.column(col).statistics
        if stats is None:
            return _MIXED
        if stats.null_count == rg.num_rows:
            found.add(None)
            continue
        if not stats.has_min_max or stats.null_count:
            return _MIXED
        typ = meta.schema.to_arrow_schema().field(by).type
        found.update(part_values(pa.chunked_array([pa.array([stats.min, stats.max], typ)])).to_pylist())
    return found.pop() if len(found) == 1 else _MIXED


def _hive(entry: dict) -> bool:
    """A table in the early hive layout (v1: source_id kept in folder names, not the files)."""
    return any("=" in p["path"] for p in entry.get("parts") or ())


def _file_rows_with(files: list[Path], key: str, keys: set) -> pa.Table:
    """The rows of a published table whose `key` is in `keys`, its files scanned a batch at a time."""
    import pyarrow.dataset as ds

    data = ds.dataset([str(f) for f in files], format="parquet")
    if not keys:
        return data.schema.empty_table()
    return data.to_table(filter=pc.field(key).isin(sorted(keys)))


def _rows_with(table: pa.Table | TableParts, key: str, keys: set) -> pa.Table:
    """The rows of `table` whose `key` is in `keys` (of a TableParts, only those are made)."""
    if not keys:
        return table.slice(0, 0)
    return table.filter(pc.is_in(table.column(key), value_set=pa.array(sorted(keys), table.schema.field(key).type)))


# row hashes of a published table file, kept in the run's cache under this stage (a blob
# of RowHashes): a release's content digest hashes every row, and the next release's rows
# that did not change have the same hashes
ROW_HASHES_STAGE = "row-hashes"
ROW_HASHES_FORMAT = 2


def _row_hashes_key(entry: dict, key: str) -> str:
    from .cache import digest
    return digest(ROW_HASHES_STAGE, ROW_HASHES_FORMAT, entry.get("sha256"), key)


def known_row_hashes(hash_store, entry: dict, key: str, files: list[Path]) -> RowHashes:
    """row_hashes of a published table (`entry`: its manifest entry; `files`: its files,
    checked against it): from `hash_store` when it holds them for the same file bytes,
    else computed from the files a batch at a time (and stored)."""
    if hash_store:
        found = _stored_hashes(_hash_blobs(hash_store), _row_hashes_key(entry, key))
        if found is not None and len(found) == entry.get("rows"):
            return found
    hashes = files_row_hashes(files, key)
    keep_row_hashes(hash_store, entry, key, hashes)
    return hashes


# A release's row hashes are stored as what changed since the previous release's (the keys
# removed, the rows added or changed) when that is a small share of them: storing a million
# rows' hashes again for one added article costs seconds. At most DELTA_DEPTH such changes
# are read on top of whole hashes; then the whole hashes are stored again.
DELTA_DEPTH = 8
DELTA_SHARE = 16  # a change of more than 1/16 of the rows: the whole hashes


@dataclass
class HashDelta:
    """RowHashes made as base.without(gone).merged(new), `base` stored under that blob name."""
    base: str
    depth: int          # how many deltas down to whole hashes, this one included
    gone: pa.Array      # keys removed
    new: RowHashes      # rows added or changed


def hashes_after(before: RowHashes, gone: set, new: RowHashes) -> RowHashes:
    """`before` without the keys `gone`, with `new`'s rows (theirs win): the next release's
    row hashes, which remember how they were made when `before` came from the store."""
    gone_keys = pa.array(sorted(gone), before.table.schema.field("key").type)
    after = before.without(gone_keys).merged(new)
    stored = getattr(before, "stored_as", None)
    if stored is not None:
        after.delta = HashDelta(stored[0], stored[1] + 1, gone_keys, new)
    return after


def keep_row_hashes(hash_store, entry: dict, key: str, hashes: RowHashes) -> None:
    if hash_store:
        blobs, name = _hash_blobs(hash_store), _row_hashes_key(entry, key)
        delta = getattr(hashes, "delta", None)
        if blobs.path(name).exists():
            # the same table bytes as a release before (a change undone: an article added, then
            # removed): their hashes are stored already, and a delta written over them would make
            # its base chain a loop (A on B, B on A), unreadable, so the next run hashed every
            # row again (8 s at 10k). A stored blob that does not read back is replaced whole.
            if _stored_hashes(blobs, name) is not None:
                return
            delta = None
        small = delta is not None and delta.depth <= DELTA_DEPTH \
            and (len(delta.gone) + len(delta.new)) * DELTA_SHARE <= len(hashes)
        blobs.put(name, _delta_bytes(delta) if small else hashes.to_bytes())


def _delta_bytes(delta: HashDelta) -> pa.Buffer:
    """A HashDelta as an Arrow IPC stream: the removed keys with a null digest, then the new
    rows; its base and depth in the schema's metadata."""
    keys = pa.concat_arrays([delta.gone.cast(pa.string()), delta.new.table["key"].combine_chunks().cast(pa.string())])
    digests = pa.concat_arrays([pa.nulls(len(delta.gone), DIGEST), delta.new.table["digest"].combine_chunks()])
    t = pa.table({"key": keys, "digest": digests}).replace_schema_metadata(
        {"base": delta.base, "depth": str(delta.depth)})
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, t.schema) as writer:
        writer.write_table(t)
    return sink.getvalue()


def _stored_hashes(blobs: Blobs, name: str, depth: int = 0) -> RowHashes | None:
    """The row hashes stored under `name`, whole or as a delta on stored ones (read down to
    the whole ones); None when any of them is missing or unreadable."""
    payload = blobs.get(name)
    if payload is None or depth > DELTA_DEPTH:
        return None
    try:
        t = pa.ipc.open_stream(payload).read_all()
    except (pa.ArrowInvalid, OSError):
        return None
    meta = t.schema.metadata or {}
    if b"base" not in meta:
        found = RowHashes.from_bytes(payload)
        if found is not None:
            found.stored_as = (name, 0)
        return found
    base = _stored_hashes(blobs, meta[b"base"].decode(), depth + 1)
    if base is None:
        return None
    t = t.replace_schema_metadata(None).combine_chunks()
    removed = t.filter(t["digest"].is_null())["key"].combine_chunks()
    new = RowHashes(t.filter(t["digest"].is_valid()).sort_by("key"))
    out = base.without(removed).merged(new)
    out.stored_as = (name, int(meta[b"depth"]))
    return out


def _hash_blobs(hash_store) -> Blobs:
    return Blobs(hash_store.root, ROW_HASHES_STAGE, str(ROW_HASHES_FORMAT))


def _same_rows(old: pa.Table, new: pa.Table, key: str) -> bool:
    """The same columns and rows (whatever the row order): the cheap test before row hashes."""
    if old.schema.names != new.schema.names or old.num_rows != new.num_rows:
        return False
    try:
        return old.sort_by(key).equals(new.sort_by(key).cast(old.schema), check_metadata=False)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError):
        return False


# ---- writing -----------------------------------------------------------------------------

def publish(rows: dict[str, list[dict] | pa.Table], datasets: Path, *, inputs: list[dict], rejected: list[dict],
            code: dict, validate=validate_tables, lock_timeout: float | None = None,
            warnings: list[dict] = (), hash_store=None, settled: tuple | None = None) -> tuple[Path | None, Plan]:
    """Validate and publish the tables as the next release; (None, plan) when nothing changed.
    `rows`: each table's rows as dicts, or already as an Arrow table of its published schema
    (take_tables makes them, freeing the dicts as it goes).
    `warnings` (e.g. articles dated far outside their event) go into the manifest.
    `hash_store` (a crosswire.cache.Cache, optional) keeps each written table's row hashes,
    so that the next release is planned without hashing the rows that did not change.
    `inputs` ({path, sha256} of the raw files used) gains every article's raw file.
    `settled` (release, {table: keys}): rows taken as they are from that release's files
    (crosswire.carry), which planning does not compare again when that release is still
    the newest one (see plan).

    Raises ValidationFailed (nothing written) when the tables break their schemas,
    LockTimeout when another run keeps datasets/ locked, and PublishError (nothing
    published, the previous releases untouched) when writing fails or the newest
    release does not match its manifest.
    """
    datasets = Path(datasets)
    tables = build_tables(rows)
    inputs = with_article_inputs(inputs, tables["articles"])
    try:
        with datasets_lock(datasets, lock_timeout):
            clean_stale(datasets)
            return _publish_locked(tables, datasets, inputs=inputs, rejected=rejected, code=code,
                                   warnings=warnings, validate=validate, hash_store=hash_store, settled=settled)
    except PublishWriteError:
        raise
    except OSError as e:
        raise PublishWriteError(_write_error(datasets, e), e.errno) from e


def with_article_inputs(inputs: list[dict], articles: list[dict] | pa.Table) -> list[dict]:
    """The inputs plus each article's raw file ({path, sha256}), once each; a path given
    with two different digests is a caller's error. `articles`: rows or the Arrow table."""
    out = {i["path"]: dict(i) for i in inputs}
    for path, sha in _raw_files(articles):
        if path is None or sha is None:
            continue
        known = out.setdefault(path, {"path": path, "sha256": sha})
        if known.get("sha256") is not None and known["sha256"] != sha:
            raise PublishError(f"{path}: read with sha256 {sha}, listed with {known['sha256']}")
        known["sha256"] = sha
    return sorted(out.values(), key=lambda i: i["path"])


def _raw_files(articles: list[dict] | pa.Table) -> Iterable[tuple]:
    """(raw_path, raw_sha256) of each article."""
    if isinstance(articles, pa.Table):
        return zip(articles.column("raw_path").to_pylist(), articles.column("raw_sha256").to_pylist())
    return ((a.get("raw_path"), a.get("raw_sha256")) for a in articles)


def _write_error(datasets: Path, e: OSError) -> str:
    where = f" ({e.filename})" if getattr(e, "filename", None) else ""
    return f"cannot write to {datasets}: {e.strerror or e}{where}; nothing was published"


def _publish_locked(tables, datasets: Path, *, inputs, rejected, code, warnings=(),
                    validate=validate_tables, hash_store=None, settled: tuple | None = None) -> tuple[Path | None, Plan]:
    ignored = incomplete(datasets)
    for path, why in ignored:
        log.warning("%s is not a release (%s): ignored", path, why)
    previous = latest(datasets)
    taken_from, keys = settled or (None, None)
    same_release = previous is not None and taken_from is not None and Path(taken_from).resolve() == previous.resolve()
    p = plan(tables, previous, hash_store, settled=keys if same_release else None)
    p.ignored = [f"{path.name}: {why}" for path, why in ignored]
    # tables with the rows the previous release published, checked by the same code: their
    # files are linked from it, their rows not validated again (their schema and the keys
    # across tables still are); of a changed table, only its added and changed rows are
    reused = reusable(previous, p, tables)
    kept = kept_parts(previous, p, tables, reused)  # of the changed tables in parts, the parts that did not change
    only_rows = p.fresh if same_writer(previous) else {}
    errors = validate(tables, checked=set(reused), only_rows=only_rows, unique_keys=p.unique) \
        if validate is validate_tables \
        else validate(tables)
    if errors:
        raise ValidationFailed(errors)
    give_back_arrow()  # what checking made and let go (slices as pandas, sorted keys)
    if p.version is None:
        _refresh_changelog(datasets)  # a run killed between rename and changelog left it behind
        _refresh_latest(datasets)
        return None, p
    final = datasets / f"v{p.version}"
    if final.exists() and release_problem(final) is not None:
        _move_aside(final)
    if final.exists():
        raise PublishError(f"{final} already exists; a published release is never overwritten")
    tmp = datasets / f"{TMP_PREFIX}v{p.version}-{uuid.uuid4().hex[:8]}"
    try:
        tmp.mkdir()
        known = _write_release(tmp, tables, p, inputs=inputs, rejected=rejected, code=code, warnings=warnings,
                               reused=reused, previous=previous, hash_store=hash_store, kept=kept)
        write_sums(tmp, known)
        problems = validate_release_dir(tmp, p.version, known)
        if problems:
            raise ValidationFailed(problems)
        _fsync_tree(tmp)
        os.rename(tmp, final)  # atomic on one file system; fails if the version appeared meanwhile
        _fsync_dir(datasets)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    write_latest(datasets, final)
    write_changelog(datasets, {final.name: release_diff.details_text(p.diffs)} if p.diffs is not None else None)
    return final, p


def _move_aside(folder: Path) -> Path:
    """An incomplete folder in the way of the next version: renamed, never deleted."""
    dest = folder.with_name(f"{INCOMPLETE_PREFIX}{folder.name}-{uuid.uuid4().hex[:8]}")
    os.rename(folder, dest)
    log.warning("%s was not a release (%s): moved to %s", folder, release_problem(dest) or "incomplete", dest.name)
    return dest


def clean_stale(datasets: Path) -> list[str]:
    """Remove what a killed run left behind: hidden temporary release dirs, changelog and
    `latest` temporaries.

    Called with the datasets/ lock held, so nothing here belongs to a live run.
    """
    removed = []
    for p in Path(datasets).iterdir():
        if p.name.startswith(TMP_PREFIX) and p.is_dir() and not p.is_symlink():
            shutil.rmtree(p, ignore_errors=True)
            removed.append(p.name)
        elif p.name.startswith((".CHANGELOG.md.", f".{POINTER}.")) and p.is_file():
            p.unlink(missing_ok=True)
            removed.append(p.name)
    return sorted(removed)


def _refresh_changelog(datasets: Path) -> None:
    path = Path(datasets) / "CHANGELOG.md"
    if not published(datasets):
        return
    newest = latest(datasets).name
    try:
        current = path.read_text(encoding="utf-8")
    except OSError:
        current = ""
    if f"## {newest} (" not in current:
        write_changelog(datasets)


def _refresh_latest(datasets: Path) -> None:
    newest = latest(datasets)
    if newest is not None and read_pointer(datasets) != newest.name:
        write_latest(datasets, newest)


def validate_release_dir(path: Path, version: str, known: dict | None = None) -> list[str]:
    # the tables were validated before writing: check what writing can get wrong. The
    # temporary name is not v<semver>; check it as if it were already in place. `known`:
    # {file: sha256} of files linked from the previous release (checked when planning).
    return validate_release(path, deep=False, name=f"v{version}", seen=dict(known or {}))


# A table above either bound is written as a folder of parts, each within both: parts of
# a few hundred MB of Arrow data (~100 MB of zstd Parquet for text) stay easy to download,
# checksum and read on a laptop. CROSSWIRE_PARTITION_ROWS / _BYTES override them.
PART_ROWS = 1_000_000
PART_BYTES = 512 << 20


def part_bounds(table: pa.Table, by: str | None = None, then: str | None = None) -> list[tuple[int, int]]:
    """(offset, rows) of each part: one part when the table is within PART_ROWS and
    PART_BYTES. Else, with `by` (the table's first sort column: part_column), one part per
    run of rows sharing its outlet, or its month for a date (part_values), the undated rows
    one part per run of `then` (the next sort column, e.g. their outlet), a run above a
    bound cut into as few equal parts as keep each within both: rows added to one outlet or
    month then change its parts only, and the next release links the others (write_table).
    Without `by`, as few equal parts as keep each within both."""
    return [(start + at, n) for start, length in part_runs(table, by, then)
            for at, n in even_parts(table.slice(start, length))]


def part_runs(table: pa.Table | TableParts, by: str | None = None, then: str | None = None) -> list[tuple[int, int]]:
    """(offset, rows) of the runs part_bounds cuts evenly: the whole table when it makes one
    part or has no `by`, else each run of one part value, and within the run of rows where
    `by` is null, each run of `then` (when given). Its bytes are asked for only when its
    rows fit in one part (a TableParts has more)."""
    n = table.num_rows
    one = n < 2 or (n <= max(1, _part_rows()) and table.nbytes <= max(1, _part_bytes()))
    if one or by is None:
        return [(0, n)]
    values = part_values(table.column(by))
    out = []
    for start, length in runs(values):
        if then is None or values[start].is_valid:
            out.append((start, length))
        else:  # the undated rows (ordered by `then` next): one run of it each (that column
            # alone made: a TableParts makes a slice's every column)
            out += [(start + at, m) for at, m in runs(table.column(then).slice(start, length))]
    return out


def part_then(spec: Table) -> str | None:
    """The column that cuts the rows whose part column is null (undated copy pairs: an added
    article's few undated pairs then rewrite their outlets' parts, not every undated pair's;
    session 32): the table's second sort column when it is an outlet, for a table cut by a
    date (an outlet's undated rows are few parts; an event's or an article's would be one
    part each)."""
    by, keys = part_column(spec), sort_keys(spec)
    if by is None or by not in FILTER_ORDER[1] or len(keys) < 2 or keys[1] not in FILTER_ORDER[0]:
        return None
    return keys[1]


def even_parts(table: pa.Table) -> list[tuple[int, int]]:
    """(offset, rows) of as few equal parts of `table` as keep each within PART_ROWS and PART_BYTES."""
    n = table.num_rows
    parts = max(1, math.ceil(table.nbytes / max(1, _part_bytes())), math.ceil(n / max(1, _part_rows())))
    parts = min(parts, max(1, n))
    cuts = [n * i // parts for i in range(parts + 1)]
    return [(a, b - a) for a, b in zip(cuts, cuts[1:])]


def _part_rows() -> int:
    return int(os.environ.get("CROSSWIRE_PARTITION_ROWS", PART_ROWS))


def _part_bytes() -> int:
    return int(os.environ.get("CROSSWIRE_PARTITION_BYTES", PART_BYTES))


def part_values(column: pa.ChunkedArray) -> pa.ChunkedArray:
    """What a part shares of its first sort column: a date's month (as yyyymm; null stays
    null), any other value itself."""
    if pa.types.is_timestamp(column.type) or pa.types.is_date(column.type):
        return pc.add(pc.multiply(pc.year(column), 100), pc.month(column))
    return column


def runs(column: pa.ChunkedArray) -> list[tuple[int, int]]:
    """(offset, length) of each run of equal consecutive values (nulls equal to nulls)."""
    n = len(column)
    if n < 2:
        return [(0, n)] if n else []
    a, b = column.slice(0, n - 1), column.slice(1)
    same = pc.if_else(pc.is_null(a), pc.is_null(b), pc.fill_null(pc.equal(a, b), False))
    cuts = [0, *(int(i) + 1 for i in pc.indices_nonzero(pc.invert(same)).to_pylist()), n]
    return [(x, y - x) for x, y in zip(cuts, cuts[1:])]


def part_column(spec: Table) -> str | None:
    """The column a table's parts are cut by: its outlet or its date, when its rows are
    ordered by it first (then one part per outlet, or per month: part_bounds)."""
    first = sort_keys(spec)[0]
    return first if first in FILTER_ORDER[0] + FILTER_ORDER[1] else None


def write_table(table: pa.Table | TableParts, folder: Path, name: str, sorting: list[str] = (), by: str | None = None,
                kept: "KeptParts | None" = None, linked: dict | None = None, seen=None, then: str | None = None) -> dict:
    """`data/<name>.parquet`, or for a large table `data/<name>/part-00000.parquet`, ...
    (every part with all the columns, rows in the table's order, cut by `by` and `then`: part_bounds);
    returns the manifest's path, bytes and sha256 (for parts: a digest of their digests)
    and the parts. `kept` (kept_parts): the previous release's parts of the table; a part
    whose rows one of them holds, unchanged, is linked from it (clone_file), not written,
    and added to `linked` ({path: its sha256}). `seen(rows)`, when given, is called with
    each part's rows, written or linked (e.g. to hash them). A TableParts is made a run of its part
    column at a time (part_runs), checked to be in the order of `sorting` as it comes."""
    data = folder / DATA_DIR
    data.mkdir(exist_ok=True)
    spans = part_runs(table, by, then)
    run = table.slice(*spans[0]) if len(spans) == 1 else None
    if run is not None and len(even_parts(run)) == 1:
        path = data / f"{name}.parquet"
        _check_made_order(table, name, sorting, [], run)
        write_parquet(run, path, sorting)
        if seen is not None:
            seen(run)
        return {"path": path.relative_to(folder).as_posix(), "bytes": path.stat().st_size,
                "sha256": sha256_file(path)}
    (data / name).mkdir()
    parts, last = [], []

    def link(old: Path, entry: dict) -> None:
        """The next part linked from a previous release's part (its manifest entry kept)."""
        path = data / name / f"part-{len(parts):05d}.parquet"
        clone_file(old, path)
        parts.append({**entry, "path": path.relative_to(folder).as_posix()})
        if linked is not None:
            linked[path] = entry["sha256"]

    for start, length in spans:
        held = kept.steady.runs.get(start) if kept is not None and seen is None else None
        if held is not None and held[0] == length and isinstance(table, TableParts):
            # a run planning found steady (its old parts' rows, every one settled): linked part
            # by part without making its rows; its first row checked to follow the run before
            last = _check_made_order(table, name, sorting, last, table.slice(start, 1))
            last = [table.slice(start + length - 1, 1)]
            for x in held[1]:
                link(kept.previous / x["path"], x)
            continue
        run = run if run is not None else table.slice(start, length)
        last = _check_made_order(table, name, sorting, last, run)
        for at, length in even_parts(run):
            piece = run.slice(at, length)
            path = data / name / f"part-{len(parts):05d}.parquet"
            rel = path.relative_to(folder).as_posix()
            if seen is not None:  # every part's rows, written or linked
                seen(piece)
            old = kept.match(piece, start + at) if kept is not None else None
            if old is not None:
                link(*old)
                continue
            write_parquet(piece, path, sorting)
            parts.append({"path": rel, "bytes": path.stat().st_size, "sha256": sha256_file(path), "rows": length})
        run = None  # let go before the next run is made, and what Arrow's pool kept of it given back
        give_back_arrow()
    return {"path": (data / name).relative_to(folder).as_posix(), "bytes": sum(x["bytes"] for x in parts),
            "sha256": parts_digest(parts), "parts": parts}


def _check_made_order(table, name: str, sorting: list[str], last: list, run: pa.Table) -> list:
    """For a TableParts (whose rows were not sorted here: its maker orders them), that `run`
    follows the row before it (`last`: [that row] or []) in the order of `sorting`; -> [its
    last row]. PublishError when not. Other tables were ordered by to_arrow."""
    if not isinstance(table, TableParts) or not run.num_rows:
        return last
    keys = [k for k in sorting if k in run.schema.names]
    if not in_order(pa.concat_tables([*last, run]), keys):
        raise PublishError(f"{name}: rows made out of the order {keys}; nothing was published")
    return [run.slice(run.num_rows - 1)]


# ---- carrying unchanged tables over ----------------------------------------------------------

def writer_fingerprint() -> str:
    """What decides a table file's bytes and the checks its rows passed: pyarrow, pandera,
    the writing and checking code, the schemas and the size knobs. A table whose rows the
    previous release holds is linked from it only when this is the same as then."""
    from schemas._pandera import pandera

    root = Path(__file__).resolve().parents[1]
    # tableparts.py: how a table in parts counts a slice's bytes, which cut its parts
    files = [Path(__file__), root / "crosswire" / "validate.py", root / "crosswire" / "tableparts.py",
             *sorted((root / "schemas").glob("*.py"))]
    knobs = {k: os.environ.get(k) for k in ("CROSSWIRE_ROW_GROUP_BYTES", "CROSSWIRE_PARTITION_ROWS",
                                             "CROSSWIRE_PARTITION_BYTES")}
    h = hashlib.sha256(json.dumps([pa.__version__, pandera.__version__, knobs], sort_keys=True).encode())
    for f in files:
        h.update(f.read_bytes())
    return f"pyarrow {pa.__version__}; {h.hexdigest()[:16]}"


def same_writer(previous: Path | None) -> bool:
    """Whether `previous` was written and checked by the code that runs now (writer_fingerprint)."""
    if previous is None:
        return False
    try:
        manifest = manifest_head(previous)
    except (OSError, ValueError):
        return False
    return manifest.get("writer") == writer_fingerprint() and manifest.get("layout") == LAYOUT


def reusable(previous: Path | None, p: Plan, tables: dict[str, pa.Table]) -> dict[str, dict]:
    """{table: its manifest entry in `previous`} for the tables whose files the next release
    can take over unchanged: the same rows (p.same), written and checked by the same code
    (writer_fingerprint) in the same layout, so a fresh write would give the same bytes."""
    if not p.same or not same_writer(previous):
        return {}
    manifest = manifest_head(previous)
    out = {}
    for name in sorted(p.same & set(tables)):
        spec, entry = TABLES[name], manifest["tables"].get(name) or {}
        if entry.get("schema_fingerprint") == spec.fingerprint and entry.get("sorted_by") == sort_keys(spec) \
                and entry.get("columns") == columns_spec(tables[name].schema) \
                and len(entry.get("parts") or [entry]) == len(part_bounds(tables[name], part_column(spec),
                                                                           part_then(spec))):
            out[name] = entry
    return out


@dataclass
class KeptParts:
    """The parts of a changed table in the previous release that a new part may take over:
    by the key of their first row, (file, part entry, its keys), with the table's key column
    and the keys the plan found added or changed."""
    key: str
    fresh: pa.Array  # the keys added or changed, as the value set of is_in
    by_first: dict
    previous: Path | None = None
    steady: SteadyParts = field(default_factory=SteadyParts)  # parts planning found unchanged, unread

    def match(self, part: pa.Table, start: int | None = None) -> tuple[Path, dict] | None:
        """(file, entry) of the previous part holding exactly these rows (`start`: their offset
        in the table), none added or changed since: a fresh write of them would give its
        bytes. None: none does."""
        if not part.num_rows:
            return None
        same = self.steady.parts_at(start, part.num_rows) if start is not None else None
        if same is not None:
            return self.previous / same["path"], same
        keys = part.column(self.key)
        found = self.by_first.get(keys[0].as_py())
        if found is None or found[1].get("rows") != part.num_rows or not found[2].equals(keys):
            return None
        if len(self.fresh) and pc.any(pc.is_in(keys, value_set=self.fresh)).as_py():
            return None
        return found[0], found[1]


def kept_parts(previous: Path | None, p: Plan, tables: dict[str, pa.Table], reused: dict) -> dict[str, KeptParts]:
    """{table: KeptParts} for the changed tables in parts that the previous release wrote in
    parts too, by the same code (writer_fingerprint) and to the same schema and order."""
    if not same_writer(previous):
        return {}
    manifest = manifest_head(previous)
    out = {}
    for name in sorted(set(p.fresh) & set(tables) - set(reused)):
        spec, entry = TABLES[name], manifest["tables"].get(name) or {}
        if not entry.get("parts") or entry.get("schema_fingerprint") != spec.fingerprint \
                or entry.get("sorted_by") != sort_keys(spec) \
                or entry.get("columns") != columns_spec(tables[name].schema):
            continue
        by_first, steady = {}, p.steady.get(name) or SteadyParts()
        for i, x in enumerate(entry["parts"]):
            if i in steady.old:  # linked by place (SteadyParts.parts_at), not read
                continue
            keys = pq.read_table(previous / x["path"], columns=[spec.primary_key]).column(0)  # the key column only
            if len(keys):
                by_first[keys[0].as_py()] = (previous / x["path"], x, keys)
        key_type = spec.arrow_schema.field(spec.primary_key).type
        out[name] = KeptParts(spec.primary_key, pa.array(sorted(p.fresh[name]), key_type), by_first, previous, steady)
    return out


def link_table(previous: Path, folder: Path, entry: dict) -> dict[Path, str]:
    """The table's files of `previous` put into `folder` under the same paths, sharing their
    bytes (clone_file); -> {new path: sha256 from the manifest entry}."""
    files = [(x["path"], x["sha256"]) for x in entry["parts"]] if entry.get("parts") else \
        [(entry["path"], entry["sha256"])]
    out = {}
    for rel, digest in files:
        dest = folder / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        clone_file(previous / rel, dest)
        out[dest] = digest
    return out


def clone_file(src: Path, dest: Path) -> str:
    """dest with src's bytes, as cheaply as the file system allows: a copy-on-write clone
    (btrfs, XFS), else a hard link (releases are never written into, so sharing an inode
    is safe; a tool that edits a published file in place would change both), else a copy.
    -> how ("clone", "link" or "copy")."""
    import fcntl

    ficlone = 0x40049409  # FICLONE from linux/fs.h
    try:
        with open(src, "rb") as s, open(dest, "wb") as d:
            fcntl.ioctl(d.fileno(), ficlone, s.fileno())
        return "clone"
    except OSError:
        dest.unlink(missing_ok=True)
    try:
        os.link(src, dest)
        return "link"
    except OSError:
        shutil.copyfile(src, dest)
        return "copy"


def _write_release(folder: Path, tables: dict[str, pa.Table], p: Plan, *, inputs, rejected, code,
                   warnings=(), reused: dict | None = None, previous: Path | None = None, hash_store=None,
                   kept: dict | None = None) -> dict:
    """The release's files in `folder`; -> {path: sha256} of the table files linked from
    `previous` (the tables `reused` names, with their previous manifest entries, and the
    parts of changed tables `kept` names whose rows did not change: kept_parts)."""
    entries, known = {}, {}
    for name, table in tables.items():
        spec = TABLES[name]
        if reused and name in reused:
            entries[name] = reused[name]
            known.update(link_table(previous, folder, reused[name]))
            continue
        # the rows hashed as they are written (a TableParts is made once here), unless planning did
        hashing = None if name in p.hashes else RowHashing(spec.primary_key)
        linked = {}  # parts linked from the previous release: {path: sha256}
        written = write_table(table, folder, name, sort_keys(spec), part_column(spec), (kept or {}).get(name), linked,
                              seen=hashing.add if hashing is not None else None, then=part_then(spec))
        hashes = p.hashes[name] if hashing is None else hashing.hashes()
        del hashing
        give_back_arrow()  # the unsorted keys and digests, let go: before the hashes' bytes are made
        entries[name] = {
            **written,
            "rows": table.num_rows,
            "content_sha256": content_digest(table, spec.primary_key, hashes),
            "schema_fingerprint": spec.fingerprint,
            "primary_key": spec.primary_key,
            "sorted_by": sort_keys(spec),
            "columns": columns_spec(table.schema),
        }
        keep_row_hashes(hash_store, entries[name], spec.primary_key, hashes)  # for the next release's plan
        known.update(linked)
        del hashes
        give_back_arrow()  # the table's hashes and their stored bytes, let go
    manifest = {
        "name": "crosswire",
        "version": p.version,
        "layout": LAYOUT,
        "previous": p.previous,
        "bump": p.bump,
        "created": datetime.now(timezone.utc).replace(microsecond=0).isoformat(),
        "code": code,
        "inputs": sorted(inputs, key=lambda i: i["path"]),
        "rejected": sorted(rejected, key=lambda r: r["path"]),
        "warnings": sorted(warnings, key=lambda w: (w.get("path") or "", w.get("kind", ""), w.get("message", ""))),
        "tables": entries,
        "changes": p.changes,
        "writer": writer_fingerprint(),
    }
    _write_json(folder / "manifest.json", manifest)
    _write_json(folder / "datapackage.json", datacard.datapackage(manifest, tables))
    (folder / "README.md").write_text(datacard.readme(manifest, tables), encoding="utf-8")
    for name, text in datacard.release_files(manifest, tables).items():  # croissant, citation, licences
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    return known


def write_sums(folder: Path, known: dict | None = None) -> Path:
    """SHA256SUMS over every other file of the release, in `sha256sum -c` format. `known`:
    {file: sha256} already established (files linked from the previous release)."""
    path = folder / SUMS_NAME
    path.write_text("".join(f"{digest}  {name}\n" for name, digest in sha256sums(folder, dict(known or {})).items()),
                    encoding="utf-8")
    return path


def _write_json(path: Path, data) -> None:
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False, sort_keys=False) + "\n", encoding="utf-8")


def write_changelog(datasets: Path, details: dict[str, str] | None = None) -> Path:
    """datasets/CHANGELOG.md, rebuilt from every release's manifest (so it can never miss one).
    A release's section already in the file, under the heading its manifest gives, is kept
    as it is (a release never changes, and its diff against the one before is not worth
    computing again on every run); the others are written from the release and its diff.
    `details`: {release folder name: its diff's text (diff.details_text)} where the caller
    has it (publish: from planning), not read from the two releases again."""
    details = details or {}
    path = Path(datasets) / "CHANGELOG.md"
    try:
        current = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        current = ""
    parts = ["# Data releases\n\nWritten by `crosswire run` from each release's manifest.json; "
             "rows added, removed and changed per table against the previous release.\n"]
    entries = []
    for rel in reversed(published(datasets)):
        try:  # kept per manifest: a watch's changelog is rewritten with every release it publishes
            entries.append((rel, kept_by_stats(rel / "manifest.json", _changelog_entry)))
        except (OSError, json.JSONDecodeError):
            continue
    written = _changelog_sections(current, [entry for _, entry in entries])
    for rel, entry in entries:
        if entry in written:
            parts.append(written[entry])
            continue
        try:
            more = details[rel.name] if rel.name in details else release_diff.changelog_details(rel, read_manifest(rel))
        except (OSError, json.JSONDecodeError):
            continue
        parts.append(entry + more)
    tmp = path.with_name(f".CHANGELOG.md.{uuid.uuid4().hex[:8]}")
    tmp.write_text("\n".join(parts), encoding="utf-8")
    os.replace(tmp, path)
    return path


def _changelog_entry(manifest_path: Path) -> str:
    return datacard.changelog_entry(read_manifest(manifest_path.parent))


def _changelog_sections(text: str, entries: list[str]) -> dict[str, str]:
    """{entry: its whole section in `text`} for the entries (datacard.changelog_entry of
    each release, newest first) whose section `text` holds: one that begins with the entry
    and runs to the heading of the next (older) release, or for the oldest to the end."""
    out = {}
    for i, entry in enumerate(entries):
        start = text.find("\n" + entry)
        if start < 0:
            continue
        if i + 1 < len(entries):
            end = text.find("\n" + entries[i + 1].split("\n", 1)[0], start + 1)
            if end >= 0:
                out[entry] = text[start + 1:end]
        else:
            out[entry] = text[start + 1:]
    return out


def _fsync_tree(folder: Path) -> None:
    for p in folder.rglob("*"):
        if p.is_file():
            with open(p, "rb") as f:
                os.fsync(f.fileno())
        elif p.is_dir():
            _fsync_dir(p)
    _fsync_dir(folder)


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def last_values(datasets: Path, table: str, key: str, column: str) -> dict:
    """{key: column} from the newest release (empty when there is none or it cannot be
    read): what a stage needs to keep its ids stable across releases."""
    release = latest(datasets)
    if release is None:
        return {}
    try:
        t = read_table(release, table, columns=[key, column])  # not the text beside them
    except (OSError, pa.ArrowInvalid, KeyError, ValueError):
        return {}
    return {k: v for k, v in zip(t.column(key).to_pylist(), t.column(column).to_pylist()) if v is not None}
