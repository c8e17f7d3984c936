"""Checking tables and published releases: schemas, keys across tables, checksums, and
every field of a release's manifest against the tables it describes.

The manifest's table entries (`path`, and `parts` for a table written in parts) are the
one place readers learn where a table is, in every layout (crosswire/publish.py)."""
from __future__ import annotations

import binascii
import bisect
import copy
import hashlib
import json
import re
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd
from schemas._pandera import pdx
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from schemas import TABLES
from schemas.relations import check_relations
from .load import kept_by_stats, release_problem  # noqa: F401  (the one test of a complete release; publish imports it from here)
from .rowdigests import batch_digests
from .tableparts import one_array

LAYOUT = 2                  # tables under data/ (releases without `layout` are the flat layout 1)
DATA_DIR = "data"
SUMS_NAME = "SHA256SUMS"
SEMVER = re.compile(r"^(\d+)\.(\d+)\.(\d+)$")
HEX64 = re.compile(r"^[0-9a-f]{64}$")
BUMPS = ("initial", "major", "minor", "patch")


def validate_tables(tables: dict[str, pa.Table], only: set[str] | None = None, checked: set[str] = frozenset(),
                    only_rows: dict[str, set] | None = None, unique_keys: set[str] = frozenset()) -> list[str]:
    """Every problem found, one line each (an empty list means valid). `checked`: tables
    whose rows passed these checks before (a previous release's, unchanged): their schema
    and the keys across tables are checked, their rows not again. `only_rows`: table ->
    the primary keys of its rows to check (the others passed before), for a table whose
    checks look at one row at a time (schemas Table.rows_alone); uniqueness is still
    checked over the whole table, but for the primary key of the tables in `unique_keys`
    (planning found each key once, pairing the rows with a previous release's)."""
    errors = []
    for name, spec in TABLES.items():
        if only is not None and name not in only:
            continue
        table = tables.get(name)
        if table is None:
            errors.append(f"{name}: table missing")
            continue
        if only is not None:  # a published release may predate columns added since
            spec = spec.earlier_format(table.schema.names) or spec
        errors += _schema_differences(name, table.schema, spec.arrow_schema)
        if name in checked:
            continue
        if only_rows and name in only_rows and spec.rows_alone:
            mask = pc.is_in(table.column(spec.primary_key), value_set=pa.array(sorted(only_rows[name]), pa.string()))
            errors += _row_problems(name, table.filter(mask), spec) \
                + _unique_problems(name, table, spec, with_key=name not in unique_keys)
        else:
            errors += _row_problems(name, table, spec)
    for name in sorted(set(tables) - set(TABLES)):
        errors.append(f"{name}: not a table of this release format")
    return errors + check_relations(tables, _fresh_spans(checked, only_rows or {}))


def _fresh_spans(checked: set[str], only_rows: dict[str, set]) -> dict[str, set] | None:
    """The fresh rows of articles and statements for check_relations' offsets check (none of
    a table whose rows passed before), or None (check all) when either table is wholly new."""
    fresh = {}
    for name in ("articles", "statements"):
        if name in checked:
            fresh[name] = set()
        elif name in only_rows:
            fresh[name] = only_rows[name]
        else:
            return None
    return fresh


# rows handed to pandera at a time: its pandas copy of a large table is made a slice at a
# time (uniqueness, the one check across rows, is then checked over the whole column)
CHECK_ROWS = 100_000


def _row_problems(name: str, table: pa.Table, spec) -> list[str]:
    """The rows' failures of the table's pandera checks, a slice of CHECK_ROWS rows at a time."""
    errors = []
    for start in range(0, max(1, table.num_rows), CHECK_ROWS):
        try:
            spec.model.validate(table.slice(start, CHECK_ROWS).to_pandas(types_mapper=pd.ArrowDtype), lazy=True)
        except pdx.errors.SchemaErrors as e:
            errors += _describe(name, e.failure_cases)
        except pdx.errors.SchemaError as e:  # raised eagerly for some dtype problems
            errors.append(f"{name}: {e}")
    if table.num_rows > CHECK_ROWS:
        errors = list(dict.fromkeys(errors + _unique_problems(name, table, spec)))
    return errors


def _unique_problems(name: str, table: pa.Table, spec, with_key: bool = True) -> list[str]:
    """Values repeated in a column that must be unique (the primary key unless not `with_key`,
    columns marked unique)."""
    errors = []
    for column in (c.name for c in spec.columns if (c.unique or (with_key and c.name == spec.primary_key))):
        repeated = repeated_values(table.column(column))
        if len(repeated):
            examples = ", ".join(repr(v)[:60] for v in repeated.slice(0, 3).to_pylist())
            errors.append(f"{name}.{column}: {len(repeated)} value(s) fail field_uniqueness (e.g. {examples})")
    return errors


def _schema_differences(name: str, got: pa.Schema, want: pa.Schema) -> list[str]:
    out = []
    if got.names != want.names:
        missing = [c for c in want.names if c not in got.names]
        extra = [c for c in got.names if c not in want.names]
        out.append(f"{name}: columns differ (missing {missing}, unexpected {extra})")
        return out
    for g, w in zip(got, want):
        if not g.type.equals(w.type):
            out.append(f"{name}.{g.name}: type {g.type}, expected {w.type}")
    return out


def _describe(table: str, failures: pd.DataFrame) -> list[str]:
    """pandera's failure cases grouped by column and check, with counts and examples."""
    lines = []
    failures = failures.astype({"column": str, "check": str})
    for (column, check), group in failures.groupby(["column", "check"], sort=True, dropna=False):
        examples = ", ".join(repr(v)[:60] for v in group["failure_case"].head(3))
        lines.append(f"{table}.{column}: {len(group)} row(s) fail {check} (e.g. {examples})")
    return lines


def columns_spec(schema: pa.Schema) -> list[list]:
    """[name, type, nullable] per column: what manifest.json records of each table."""
    return [[f.name, str(f.type), f.nullable] for f in schema]


def _names(spec: list) -> list[str]:
    """Column names of a columns_spec (types are checked against the table's schema)."""
    return [c[0] for c in spec if isinstance(c, list) and c]


def fingerprint(spec: list) -> str:
    """schemas._base.Table.fingerprint of the columns a columns_spec lists (as read back)."""
    return hashlib.sha256(json.dumps(canonical_columns(spec)).encode()).hexdigest()[:16]


def canonical_columns(spec: list) -> list:
    """A columns_spec with list types spelled one way (Parquet reads `list<item: ...>` back
    as `list<element: ...>`: the same type)."""
    return [[c[0], re.sub(r"\blist<element: ", "list<item: ", str(c[1])), c[2]] if isinstance(c, list) and len(c) == 3
            else c for c in spec]


def _format_of(name: str, table: pa.Table):
    """Today's description of the table, or the earlier minor format it was published in."""
    return TABLES[name].earlier_format(table.schema.names) or TABLES[name]


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


# rows turned into Python objects at a time to hash them (never a whole table at once)
HASH_ROWS = 10_000


# ... and at most about this many bytes of Arrow data: each row's JSON text is made a batch
# at a time, so 10,000 long articles at once held 144 MB (10k corpus, cold publish)
HASH_BYTES = 8 << 20


def row_hashes(table: pa.Table, key: str) -> "RowHashes":
    """Primary key -> hash of the row's values: what 'changed' means between releases."""
    hashing = RowHashing(key)
    hashing.add(table)
    return hashing.hashes()


def files_row_hashes(files: list[Path], key: str) -> "RowHashes":
    """row_hashes of a table published in `files` (in order), read HASH_ROWS rows at a time."""
    hashing = RowHashing(key)
    for batch in (b for f in files for b in pq.ParquetFile(f).iter_batches(batch_size=HASH_ROWS)):
        hashing.add_batch(batch)
    return hashing.hashes()


class RowHashing:
    """row_hashes of a table given a piece at a time (`add`, in any order; e.g. each part as
    it is written), keeping only each row's key and digest (rowdigests.batch_digests: each
    row's SHA-256 of its JSON)."""

    def __init__(self, key: str):
        self.key, self.keys, self.digests = key, [], bytearray()

    def add(self, table: pa.Table) -> None:
        """A piece's rows, hashed in batches of at most HASH_ROWS rows and about HASH_BYTES."""
        rows = max(1, min(HASH_ROWS, HASH_BYTES * table.num_rows // max(1, table.nbytes)))
        for batch in table.to_batches(max_chunksize=rows):
            self.add_batch(batch)

    def add_batch(self, batch: pa.RecordBatch) -> None:
        self.keys.append(batch.column(self.key))
        self.digests += batch_digests(batch)   # one buffer: never a list of them and its join

    def hashes(self) -> "RowHashes":
        """The hashes of every row added; this RowHashing is emptied (its keys let go as soon
        as they are one array: 1.5M keys of `copies` are 36 MB a copy)."""
        return RowHashes.of(self._handed("keys", []), self._handed("digests", bytearray()))

    def _handed(self, name: str, empty):
        """The attribute's value, the attribute emptied: the caller holds the only reference."""
        value = getattr(self, name)
        setattr(self, name, empty)
        return value


DIGEST = pa.binary(32)  # a row's SHA-256


class RowHashes:
    """A table's row hashes, compactly: its keys (an Arrow array, sorted, each once) and each
    row's SHA-256 beside them (fixed-width binary), about 40 bytes a row where a dict of
    Python strings takes 250; what planning keeps of every changed table, and the cache."""

    def __init__(self, table: pa.Table):
        self.table = table  # columns key, digest; sorted by key

    @classmethod
    def of(cls, keys: list, digests: bytes) -> "RowHashes":
        """From key arrays (in row order) and their rows' digests, concatenated (32 bytes each).
        A key given twice keeps its last row's digest, as a dict would."""
        key = one_array(keys) if keys else pa.array([], pa.string())
        del keys  # (a RowHashing hands its only reference: its pieces go once they are one array)
        order = pc.sort_indices(key)  # stable: a repeated key's rows stay in row order
        # the digests first, so that their unsorted bytes go before the keys are sorted (and
        # the unsorted keys let go at once: this is a cold publish's peak)
        digest = pa.Array.from_buffers(DIGEST, len(key), [None, pa.py_buffer(digests)]).take(order)
        del digests
        key = key.take(order)
        del order
        t = pa.table({"key": key, "digest": digest})
        repeats = _same_as_next(key)
        if repeats is not None:
            t = t.filter(pc.invert(repeats))  # the last row of each run of one key
        return cls(t)

    def __len__(self) -> int:
        return self.table.num_rows

    def __eq__(self, other) -> bool:
        if isinstance(other, dict):
            return self.as_dict() == other
        return isinstance(other, RowHashes) and self.table.equals(other.table)

    def as_dict(self) -> dict:
        """{key: hex digest} (for tests and small tables)."""
        return dict(zip(self.table["key"].to_pylist(), (d.hex() for d in self.table["digest"].to_pylist())))

    def without(self, keys) -> "RowHashes":
        """These hashes but those of `keys` (an Arrow array or a list of keys). A few keys
        are found by binary search and the rows between them kept as slices (no copy of a
        million rows, no hashing of every key); many by Arrow's is_in."""
        if not len(keys):
            return self
        if isinstance(keys, pa.ChunkedArray):
            keys = keys.combine_chunks()
        gone = pa.array(list(keys), self.table.schema.field("key").type) if not isinstance(keys, pa.Array) else keys
        if len(gone) * MERGE_BY_SEARCH < len(self) and not (gone.null_count or self.table["key"].null_count):
            return RowHashes(_cut(self.table, _found(self.table["key"], gone.to_pylist())))
        return RowHashes(self.table.filter(pc.invert(pc.is_in(self.table["key"], value_set=gone))))

    def merged(self, other: "RowHashes") -> "RowHashes":
        """These hashes with `other`'s added (other's win where both have a key)."""
        mine = self.without(other.table["key"])
        theirs = other.table.cast(mine.table.schema)
        if len(theirs) * MERGE_BY_SEARCH < len(mine) and not (mine.table["key"].null_count
                                                              or theirs["key"].null_count):
            return RowHashes(_inserted(mine.table, theirs))
        t = pa.concat_tables([mine.table, theirs])
        return RowHashes(t.sort_by("key").combine_chunks())

    def changes(self, after: "RowHashes") -> tuple[list, list, list]:
        """(added, removed, changed) keys from these hashes to `after`'s."""
        old, new = self.table["key"].combine_chunks(), after.table["key"].combine_chunks()
        added = new.filter(pc.invert(pc.is_in(new, value_set=old))).to_pylist()
        removed = old.filter(pc.invert(pc.is_in(old, value_set=new))).to_pylist()
        at = pc.index_in(new, value_set=old)
        kept = at.is_valid()
        before = self.table["digest"].combine_chunks().take(at.filter(kept))
        now = after.table["digest"].combine_chunks().filter(kept)
        changed = new.filter(kept).filter(pc.not_equal(before, now)).to_pylist()
        return added, removed, changed

    def content_digest(self) -> str:
        """The manifest's content_sha256: SHA-256 over "key:hex digest\n" in key order."""
        h = hashlib.sha256()
        for batch in self.table.to_batches(max_chunksize=HASH_ROWS):
            keys = batch.column(0).cast(pa.string())
            if keys.null_count:  # (never in a valid table) as a dict of them would show it
                keys = keys.fill_null("None")
            digests = memoryview(batch.column(1).buffers()[1])[32 * batch.column(1).offset:][:32 * len(batch)]
            # hexlify, not a numpy table lookup: 20 times faster on a million rows
            hexes = np.frombuffer(binascii.hexlify(digests), np.uint8).reshape(-1, 64)
            hex_lines = np.concatenate([hexes, np.full((len(batch), 1), 10, np.uint8)], 1)
            tails = pa.Array.from_buffers(pa.binary(65), len(batch), [None, pa.py_buffer(hex_lines.tobytes())])
            lines = pc.binary_join_element_wise(keys.cast(pa.binary()), tails.cast(pa.binary()), b":")
            offsets = np.frombuffer(lines.buffers()[1], np.int32, len(lines) + 1, lines.offset)
            h.update(memoryview(lines.buffers()[2])[offsets[0]:offsets[-1]])  # every "key:hex\n", in order
        return h.hexdigest()

    def to_bytes(self) -> pa.Buffer:
        """The hashes as an Arrow IPC stream (what the cache keeps), bytes-like: Arrow's own
        buffer, not a copy (90 MB for the 1.5M rows of a 10k corpus's `copies`)."""
        sink = pa.BufferOutputStream()
        with pa.ipc.new_stream(sink, self.table.schema) as writer:
            writer.write_table(self.table)
        return sink.getvalue()

    @classmethod
    def from_bytes(cls, payload: bytes) -> "RowHashes | None":
        """to_bytes read back; None for bytes that are not row hashes."""
        try:
            t = pa.ipc.open_stream(payload).read_all()
        except (pa.ArrowInvalid, OSError):
            return None
        if t.schema.names != ["key", "digest"] or t.schema.field("digest").type != DIGEST:
            return None
        return cls(t.combine_chunks())


# a few rows merged into many (one added article's into a table's hashes): each is placed
# by binary search and the many are copied in slices, not sorted again (a sort of a
# million string keys and the gather of both columns cost seconds)
MERGE_BY_SEARCH = 64


class _Sorted:
    """An Arrow array (or chunked array) of sorted keys as a sequence of Python values, for
    bisect: Python's order of str (code points) and bytes is Arrow's (UTF-8 bytes), so the
    places agree."""

    def __init__(self, keys: pa.Array | pa.ChunkedArray):
        self.keys = keys

    def __len__(self) -> int:
        return len(self.keys)

    def __getitem__(self, i: int):
        return self.keys[i].as_py()


def _inserted(many: pa.Table, few: pa.Table) -> pa.Table:
    """Two tables sorted by distinct keys ("key" column), `few` short: their rows in key order."""
    keys = _Sorted(many["key"])  # not combined: that copies a million keys for a few searches
    places = [bisect.bisect_left(keys, k) for k in few["key"].to_pylist()]
    pieces, start = [], 0
    for j, at in enumerate(places):
        pieces += [many.slice(start, at - start), few.slice(j, 1)]
        start = at
    pieces.append(many.slice(start))
    return pa.concat_tables(pieces).combine_chunks()


def _found(ordered: pa.ChunkedArray | pa.Array, keys: list) -> list[int]:
    """The rows of sorted distinct `ordered` holding each of `keys` that it holds, in order."""
    seq = _Sorted(ordered)
    at = (bisect.bisect_left(seq, k) for k in keys)
    return sorted({i for i, k in zip(at, keys) if i < len(seq) and seq[i] == k})


def _cut(table: pa.Table, rows: list[int]) -> pa.Table:
    """`table` without the rows `rows` (sorted, distinct): the rest as slices of it, not copied."""
    if not rows:
        return table
    pieces, start = [], 0
    for i in rows:
        pieces.append(table.slice(start, i - start))
        start = i + 1
    pieces.append(table.slice(start))
    return pa.concat_tables(pieces)


def _same_as_next(ordered: pa.Array) -> pa.Array | None:
    """For sorted values: whether each equals the next (nulls equal to nulls, as dict keys
    are), or None when no two are equal. Found by sorting, not hashing: Arrow's hash kernels
    (count_distinct, value_counts) held about 340 MB for the 1.5M keys of a 10k corpus's
    `copies`, the sort and this comparison a quarter of it."""
    if len(ordered) < 2:
        return None
    head, tail = ordered.slice(0, len(ordered) - 1), ordered.slice(1)
    same = pc.equal(head, tail)
    if same.null_count:
        same = pc.fill_null(same, pc.and_(head.is_null(), tail.is_null()))
    if not pc.any(same).as_py():
        return None
    return pa.concat_arrays([same, pa.array([False])])


def repeated_values(values) -> pa.Array:
    """The distinct non-null values that occur more than once, sorted (see _same_as_next)."""
    values = values.combine_chunks() if isinstance(values, pa.ChunkedArray) else values
    ordered = values.drop_null()
    ordered = ordered.take(pc.sort_indices(ordered))
    same = _same_as_next(ordered)
    return ordered.slice(0, 0) if same is None else pc.unique(ordered.filter(same))


def content_digest(table: pa.Table, key: str, hashes: "RowHashes | None" = None) -> str:
    """A digest of the rows whatever their order or file layout (manifest `content_sha256`).
    `hashes`: the table's row_hashes when already computed."""
    return (row_hashes(table, key) if hashes is None else hashes).content_digest()


def sha256sums(folder: Path, seen: dict | None = None) -> dict[str, str]:
    """{relative path: sha256} of every file of a release but SHA256SUMS, sorted by path.
    `seen`: digests already computed in this check ({path: sha256}), not read again."""
    folder = Path(folder)
    seen = {} if seen is None else seen
    files = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    return {name: _digest(folder / name, seen) for name in files if name != SUMS_NAME}


def _digest(path: Path, seen: dict) -> str:
    if path not in seen:
        seen[path] = sha256_file(path)
    return seen[path]


# ---- reading a release ------------------------------------------------------------------

def read_manifest(release: Path) -> dict:
    return json.loads((Path(release) / "manifest.json").read_text(encoding="utf-8"))


def manifest_head(release: Path) -> dict:
    """The manifest without its `inputs` (every input file's digest: most of its MBs at 10k
    articles), parsed once per manifest and stats in this process (load.kept_by_stats; a
    run reads the previous release's tables entries a dozen times), given as a copy of its
    own to each caller."""
    return copy.deepcopy(kept_by_stats(Path(release) / "manifest.json", _head_of))


def _head_of(path: Path) -> dict:
    manifest = read_manifest(path.parent)
    if isinstance(manifest, dict):
        manifest.pop("inputs", None)
    return manifest


def read_table(release: Path, name: str, entry: dict | None = None, columns: list[str] | None = None) -> pa.Table:
    """A table of a release, found through its manifest entry (read from the release
    when not given): one file, or its parts in the listed order. `columns`: only these."""
    release = Path(release)
    if entry is None:
        entry = manifest_head(release)["tables"][name]
    parts = entry.get("parts")
    if columns is not None and not any("=" in p["path"] for p in parts or ()):
        files = [release / p["path"] for p in parts] if parts else [release / entry["path"]]
        return pa.concat_tables(pq.read_table(f, columns=columns) for f in files)
    if not parts:
        return ds.dataset(release / entry["path"], format="parquet").to_table()
    if any("=" in p["path"] for p in parts):
        # early partitioned layout: hive folders by source_id, the column left out of the
        # files: put it back in its place, rows in key order
        spec = TABLES[name]
        hive = ds.partitioning(pa.schema([("source_id", pa.string())]), flavor="hive")
        table = ds.dataset(release / entry["path"], format="parquet", partitioning=hive).to_table()
        return table.select(spec.arrow_schema.names).cast(spec.arrow_schema).sort_by(spec.primary_key)
    return pa.concat_tables(ds.dataset(release / p["path"], format="parquet").to_table() for p in parts)


def footer_table(release: Path, name: str, entry: dict) -> tuple[pa.Table, int]:
    """(an empty table of the schema, the row count) of a table, from its files' Parquet
    footers alone: no row is read. The early hive layout (a column kept in folder names)
    is read whole, as read_table reads it."""
    release = Path(release)
    parts = entry.get("parts") or []
    if any("=" in p["path"] for p in parts):
        table = read_table(release, name, entry)
        return table.schema.empty_table(), table.num_rows
    files = [release / p["path"] for p in parts] if parts else [release / entry["path"]]
    schema, rows = None, 0
    for path in files:
        f = pq.ParquetFile(path)
        if schema is None:
            schema = f.schema_arrow
        elif not f.schema_arrow.equals(schema):
            raise ValueError(f"{path.relative_to(release).as_posix()} has other columns than the first part")
        rows += f.metadata.num_rows
    return schema.empty_table(), rows


# ---- checking a release -------------------------------------------------------------------

def _check_parts(release: Path, name: str, entry: dict, seen: dict) -> list[str]:
    """A table in parts: every listed part present and unchanged, and no other part."""
    parts = entry.get("parts") or []
    if not isinstance(parts, list) or not all(isinstance(p, dict) and isinstance(p.get("path"), str) for p in parts):
        return [f"{name}: manifest.json 'parts' is not a list of {{path, sha256}}"]
    listed = {p["path"] for p in parts}
    folder = release / entry["path"]
    found = {p.relative_to(release).as_posix() for p in folder.rglob("*") if p.is_file()}
    errors = [f"{name}: part {p} missing" for p in sorted(listed - found)]
    errors += [f"{name}: part {p} is not listed in manifest.json" for p in sorted(found - listed)]
    for p in parts:
        if not _inside(release, p["path"]):
            errors.append(f"{name}: manifest.json path {p['path']!r} points outside the release")
        elif p["path"] in found and _digest(release / p["path"], seen) != p.get("sha256"):
            errors.append(f"{name}: {p['path']} does not match its sha256 in manifest.json (changed after publishing)")
    if not errors and entry.get("sha256") != parts_digest(parts):
        errors.append(f"{name}: sha256 in manifest.json is not the digest of its parts")
    return errors


def parts_digest(parts: list[dict]) -> str:
    """A table in parts: its manifest sha256, a digest of the parts' paths and digests."""
    return hashlib.sha256("".join(f"{x['path']} {x.get('sha256')}\n" for x in parts).encode()).hexdigest()


def _inside(release: Path, rel: str) -> bool:
    path = Path(rel)
    return not path.is_absolute() and ".." not in path.parts and \
        (release / path).resolve().is_relative_to(release.resolve())


def table_files(release: Path, entry: dict) -> list[Path]:
    """A table's Parquet files, from its manifest entry, in order."""
    return [release / p["path"] for p in entry["parts"]] if entry.get("parts") else [release / entry["path"]]


def validate_release(release: Path, deep: bool = True, name: str | None = None,
                     against_code: bool = True, seen: dict | None = None) -> list[str]:
    """Re-check a published release: every field of its manifest against the tables, every
    file's checksum (manifest and SHA256SUMS), the data package, schemas and keys.
    `deep=False` stops at what the files on disk can get wrong (manifest, checksums, row
    counts, columns, data package): for a release just written from tables already
    validated. `name`: the folder's release name when it is not (yet) release.name.
    `against_code=False` (with deep=False) checks the release against its own manifest and
    checksums only, not against what today's code would write (table formats, the data
    package as datacard builds it now): what planning the next release needs. `seen`:
    {file: sha256} already established in this process, not read again."""
    return inspect_release(release, deep, name, against_code, seen, rows=deep)[0]


# the tables whose rows the shallow checks read (the data package lists the outlets)
SHALLOW_ROWS = ("sources",)


def inspect_release(release: Path, deep: bool = True, name: str | None = None,
                    against_code: bool = True, seen: dict | None = None,
                    rows: bool = True) -> tuple[list[str], dict[str, pa.Table]]:
    """validate_release's problems, and the tables it read ({} when the manifest is unusable).
    rows=False (only with deep=False): each table is read and checked, then only its schema
    is kept (its rows for SHALLOW_ROWS), so the check holds one table's rows at a time."""
    release = Path(release)
    label = name or release.name
    try:
        manifest = read_manifest(release)
    except FileNotFoundError:
        return [f"{label}: manifest.json missing"], {}
    except (ValueError, UnicodeDecodeError) as e:
        return [f"{label}: manifest.json is not valid JSON: {e}"], {}
    if not isinstance(manifest, dict) or not isinstance(manifest.get("tables"), dict):
        return [f"{label}: manifest.json has no 'tables' object"], {}
    seen = {} if seen is None else seen  # file digests computed in this check
    layout = manifest.get("layout", 1)
    errors = _check_header(label, manifest)
    tables, entries = {}, {}
    for tname, entry in sorted(manifest["tables"].items()):
        problems, table = _check_entry(release, tname, entry, layout, seen,
                                       rows=rows or deep or tname in SHALLOW_ROWS)
        errors += problems
        if table is not None and not rows and not deep and tname not in SHALLOW_ROWS:
            table = table.schema.empty_table()
        if table is not None:
            tables[tname], entries[tname] = table, entry
    for tname in ("sources", "articles"):
        if tname not in manifest["tables"]:
            errors.append(f"{tname}: not listed in manifest.json")
    if layout != 1:
        errors += _check_data_folder(release, manifest)
    errors += _check_changes(manifest)
    errors += _check_files(release, label, manifest, tables, layout, seen, against_code or deep)
    if errors:
        return errors, tables
    if not deep:
        if not against_code:
            return [], tables
        return [e for tname, t in tables.items()
                for e in _schema_differences(tname, t.schema, _format_of(tname, t).arrow_schema)], tables
    for tname, t in tables.items():
        if entries[tname].get("content_sha256") != content_digest(t, TABLES[tname].primary_key):
            errors.append(f"{tname}: content_sha256 in manifest.json does not match the rows")
        keys = entries[tname].get("sorted_by")
        if keys and not in_order(t, keys):
            errors.append(f"{tname}: rows are not in the order manifest.json sorted_by {keys} says")
    errors += _check_inputs(manifest, tables.get("articles"))
    # a release made before a table existed is checked for the tables it has
    return errors + validate_tables(tables, only=set(tables)), tables


def _check_header(label: str, m: dict) -> list[str]:
    """The manifest's own fields: version, layout, previous and bump, created, code, lists."""
    errors = []
    version = m.get("version")
    if not isinstance(version, str) or not SEMVER.match(version):
        errors.append(f"{label}: manifest.json version {version!r} is not MAJOR.MINOR.PATCH")
    elif f"v{version}" != label:
        errors.append(f"{label}: manifest says version {version}")
    if m.get("name") != "crosswire":
        errors.append(f"{label}: manifest.json name {m.get('name')!r} is not 'crosswire'")
    if m.get("layout", 1) not in (1, LAYOUT):
        errors.append(f"{label}: manifest.json layout {m.get('layout')!r} is unknown (1 or {LAYOUT})")
    errors += _check_bump(label, m)
    try:
        created = datetime.fromisoformat(m.get("created"))
        if created.tzinfo is None:
            errors.append(f"{label}: manifest.json created {m.get('created')!r} has no time zone")
    except (TypeError, ValueError):
        errors.append(f"{label}: manifest.json created {m.get('created')!r} is not an ISO 8601 time")
    code = m.get("code")
    if not isinstance(code, dict) or not isinstance(code.get("version"), str) or \
            not all(isinstance(v, str) for v in (code.get("stages") or {}).values()) or \
            not isinstance(code.get("stages", {}), dict):
        errors.append(f"{label}: manifest.json code is not {{version, stages: {{stage: version}}, ...}}")
    for key, fields in (("inputs", ("path", "sha256")), ("rejected", ("path", "reason"))):
        items = m.get(key)
        if not isinstance(items, list) or not all(isinstance(i, dict) and all(isinstance(i.get(f), str) for f in fields)
                                                  for i in items):
            errors.append(f"{label}: manifest.json {key} is not a list of {{{', '.join(fields)}}}")
        elif [i["path"] for i in items] != sorted(i["path"] for i in items):
            errors.append(f"{label}: manifest.json {key} are not in path order")
    inputs = m.get("inputs") if isinstance(m.get("inputs"), list) else []
    bad = [i.get("path") for i in inputs if isinstance(i, dict) and not HEX64.match(str(i.get("sha256")))]
    if bad:
        errors.append(f"{label}: manifest.json inputs with a malformed sha256: {bad[:3]}")
    if len({i.get("path") for i in inputs if isinstance(i, dict)}) != len(inputs):
        errors.append(f"{label}: manifest.json lists an input twice")
    if not isinstance(m.get("warnings", []), list):
        errors.append(f"{label}: manifest.json warnings is not a list")
    return errors


def _check_bump(label: str, m: dict) -> list[str]:
    """previous and bump agree with version: initial 1.0.0; major, minor, patch one step on."""
    version, previous, bump = m.get("version"), m.get("previous"), m.get("bump")
    if not isinstance(version, str) or not SEMVER.match(version):
        return []
    new = tuple(int(x) for x in SEMVER.match(version).groups())
    if bump not in BUMPS:
        return [f"{label}: manifest.json bump {bump!r} is not one of {', '.join(BUMPS)}"]
    if bump == "initial":
        return [] if previous is None and new == (1, 0, 0) else \
            [f"{label}: manifest.json says initial but version {version}, previous {previous!r}"]
    if not isinstance(previous, str) or not SEMVER.match(previous):
        return [f"{label}: manifest.json previous {previous!r} is not MAJOR.MINOR.PATCH"]
    a, b, c = (int(x) for x in SEMVER.match(previous).groups())
    expected = {"major": (a + 1, 0, 0), "minor": (a, b + 1, 0), "patch": (a, b, c + 1)}[bump]
    return [] if new == expected else \
        [f"{label}: manifest.json says a {bump} release after {previous}, which is not {version}"]


def _check_entry(release: Path, name: str, entry, layout: int, seen: dict,
                 rows: bool = True) -> tuple[list[str], pa.Table | None]:
    """One table's manifest entry against its file(s): -> (problems, the table when readable).
    rows=False: the columns and row count are read from the files' footers, and the table
    returned is empty (its schema only): for checks that stop at what the manifest says of
    files whose checksums matched."""
    if name not in TABLES:
        return [f"{name}: listed in manifest.json but not a table of this release format"], None
    if not isinstance(entry, dict) or not isinstance(entry.get("path"), str) or "sha256" not in entry:
        return [f"{name}: manifest.json entry lacks 'path' or 'sha256'"], None
    if not _inside(release, entry["path"]):
        return [f"{name}: manifest.json path {entry['path']!r} points outside the release"], None
    if layout != 1 and Path(entry["path"]).parts[:1] != (DATA_DIR,):
        return [f"{name}: manifest.json path {entry['path']!r} is not under {DATA_DIR}/"], None
    path = release / entry["path"]
    if not path.exists():
        return [f"{name}: file {entry['path']} missing"], None
    if path.is_file():
        if entry.get("parts"):
            return [f"{name}: manifest.json lists parts but {entry['path']} is a file"], None
        if _digest(path, seen) != entry["sha256"]:
            return [f"{name}: {entry['path']} does not match its sha256 in manifest.json "
                    "(changed after publishing)"], None
    elif path.is_dir():
        problems = _check_parts(release, name, entry, seen)
        if problems:
            return problems, None
    try:
        table, num_rows = (read_table(release, name, entry), None) if rows else footer_table(release, name, entry)
    except (pa.ArrowException, OSError, ValueError, KeyError, TypeError) as e:
        return [f"{name}: {entry['path']} cannot be read: {e}"], None
    num_rows = table.num_rows if num_rows is None else num_rows
    errors = []
    actual = columns_spec(table.schema)
    recorded = entry.get("columns")
    if not isinstance(recorded, list) or _names(recorded) != _names(actual):
        errors.append(f"{name}: columns differ from those manifest.json records")
    elif canonical_columns(recorded) != canonical_columns(actual):
        errors.append(f"{name}: column types or nullability differ from those manifest.json records")
    if num_rows != entry.get("rows"):
        errors.append(f"{name}: {num_rows} rows, manifest.json says {entry.get('rows')}")
    size = sum(f.stat().st_size for f in table_files(release, entry) if f.is_file())
    if entry.get("bytes") != size:
        errors.append(f"{name}: {size} bytes on disk, manifest.json says {entry.get('bytes')}")
    spec = TABLES[name]
    if entry.get("primary_key") != spec.primary_key:
        errors.append(f"{name}: manifest.json primary_key {entry.get('primary_key')!r}, the table's is "
                      f"{spec.primary_key!r}")
    if entry.get("schema_fingerprint") != fingerprint(actual):
        errors.append(f"{name}: schema_fingerprint in manifest.json does not match the table's columns")
    for part in entry.get("parts") or []:
        if "rows" in part and pq.ParquetFile(release / part["path"]).metadata.num_rows != part["rows"]:
            errors.append(f"{name}: {part['path']} rows differ from manifest.json")
    if "sorted_by" in entry or layout != 1:
        errors += _check_sorting(release, name, entry, table)
    return errors, table


def _check_sorting(release: Path, name: str, entry: dict, table: pa.Table) -> list[str]:
    """`sorted_by` names existing columns, ending with the primary key, and is what every
    file records as its sorting_columns."""
    keys = entry.get("sorted_by")
    if not isinstance(keys, list) or not keys or any(k not in table.schema.names for k in keys) \
            or keys[-1] != entry.get("primary_key"):
        return [f"{name}: manifest.json sorted_by {keys!r} is not a list of its columns ending with its key"]
    for path in table_files(release, entry):
        f = pq.ParquetFile(path)
        for i in range(f.metadata.num_row_groups):
            recorded = [f.schema_arrow.names[c.column_index] for c in f.metadata.row_group(i).sorting_columns or ()]
            if recorded != keys:
                return [f"{name}: {path.relative_to(release).as_posix()} records sorting_columns {recorded}, "
                        f"manifest.json sorted_by {keys}"]
    return []


def in_order(table: pa.Table, keys: list[str]) -> bool:
    """Whether the rows are already in the order of `keys` (ascending, nulls last, as
    order_rows sorts), told by comparing each row with the next: no sort, no copy."""
    if table.num_rows < 2:
        return True
    before, after = table.slice(0, table.num_rows - 1), table.slice(1)
    ordered = pa.array([False] * (table.num_rows - 1))
    tied = pa.array([True] * (table.num_rows - 1))  # rows equal on every key so far
    for k in keys:
        a, b = before.column(k), after.column(k)
        # a null sorts after every value: a row before a null is in order, a null before a value is not
        less = pc.if_else(pc.is_null(a), False, pc.if_else(pc.is_null(b), True, pc.less(a, b)))
        same = pc.if_else(pc.is_null(a), pc.is_null(b), pc.fill_null(pc.equal(a, b), False))
        ordered = pc.or_(ordered, pc.and_(tied, less))
        tied = pc.and_(tied, same)
    return bool(pc.all(pc.or_(ordered, tied)).as_py())


def _check_changes(m: dict) -> list[str]:
    changes = m.get("changes")
    if not isinstance(changes, dict) or set(changes) - set(m["tables"]):
        return ["manifest.json changes do not match its tables"]
    errors = []
    for name, c in changes.items():
        if not isinstance(c, dict) or not all(isinstance(c.get(k), int) and c[k] >= 0
                                              for k in ("added", "removed", "changed")):
            errors.append(f"{name}: manifest.json changes are not counts of added, removed, changed")
        elif m.get("bump") == "initial" and (c["removed"] or c["changed"]
                                             or c["added"] != (m["tables"].get(name) or {}).get("rows")):
            errors.append(f"{name}: manifest.json changes of an initial release are not its rows")
    return errors


def _check_data_folder(release: Path, manifest: dict) -> list[str]:
    """data/ holds the tables and nothing else (a glob over it must see tables only)."""
    listed = set()
    for entry in manifest["tables"].values():
        if isinstance(entry, dict) and isinstance(entry.get("path"), str):
            listed |= {p.relative_to(release).as_posix() for p in table_files(release, entry)}
    found = {p.relative_to(release).as_posix() for p in (release / DATA_DIR).rglob("*") if p.is_file()}
    strays = sorted(found - listed)
    return [f"{release.name}: {p} is not a table listed in manifest.json" for p in strays]


def _check_files(release: Path, label: str, m: dict, tables: dict, layout: int, seen: dict,
                 package: bool = True) -> list[str]:
    """The metadata files beside the tables: present, the data package agreeing with the
    manifest and tables, and SHA256SUMS (required from layout 2 on) matching every file."""
    errors = [f"{label}: {f} missing" for f in ("datapackage.json", "README.md") if not (release / f).is_file()]
    if package and not errors and len(tables) == len(m["tables"]):
        errors += _check_datapackage(release, label, m, tables)
    sums = release / SUMS_NAME
    if sums.is_file():
        errors += _check_sums(release, label, sums, seen)
    elif layout != 1:
        errors.append(f"{label}: {SUMS_NAME} missing")
    return errors


def _check_datapackage(release: Path, label: str, m: dict, tables: dict) -> list[str]:
    """datapackage.json against the one crosswire.datacard.datapackage builds from the
    manifest and tables today: the facts (resources, paths, hashes, sizes, keys, fields),
    not the prose, which may have been reworded since the release was made."""
    from . import datacard

    try:
        found = json.loads((release / "datapackage.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        return [f"{label}: datapackage.json unreadable: {e}"]
    try:
        expected = datacard.datapackage(m, tables)
    except (KeyError, TypeError, ValueError) as e:
        return [f"{label}: datapackage.json cannot be rebuilt from manifest.json: {e}"]
    if not isinstance(found, dict) or not isinstance(found.get("resources"), list):
        return [f"{label}: datapackage.json has no resources"]
    errors = []
    if found.get("version") != expected.get("version"):
        errors.append(f"{label}: datapackage.json version {found.get('version')!r}, "
                      f"manifest {expected.get('version')!r}")
    # the tables' resources (a card may describe further files; those are not checked here)
    have = {r.get("name"): r for r in found["resources"] if isinstance(r, dict) and r.get("name") in m["tables"]}
    want = {r["name"]: r for r in expected["resources"] if r.get("name") in m["tables"]}
    if set(have) != set(want):
        errors.append(f"{label}: datapackage.json lacks the resources {sorted(set(want) - set(have))} "
                      "of manifest.json's tables")
    for name in sorted(set(have) & set(want)):
        for key, value in _package_facts(want[name]).items():
            if value is not None and _package_facts(have[name]).get(key) != value:  # e.g. bytes, no longer declared
                errors.append(f"{label}: datapackage.json {name}.{key} does not match manifest.json and the table")
        fields = [f.get("name") for f in (have[name].get("schema") or {}).get("fields", []) if isinstance(f, dict)]
        if fields != tables[name].schema.names:
            errors.append(f"{label}: datapackage.json {name} fields are not the table's columns")
    return errors


def _package_facts(resource: dict) -> dict:
    schema = resource.get("schema") if isinstance(resource.get("schema"), dict) else {}
    digest = resource.get("hash")
    return {"path": resource.get("path"), "bytes": resource.get("bytes"),
            "hash": digest.removeprefix("sha256:") if isinstance(digest, str) else digest,
            "primaryKey": schema.get("primaryKey")}


def _check_sums(release: Path, label: str, sums: Path, seen: dict) -> list[str]:
    """SHA256SUMS (`sha256sum -c` format) lists every other file with its digest."""
    listed, errors = {}, []
    for n, line in enumerate(sums.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
        m = re.match(r"^([0-9a-f]{64}) [ *](.+)$", line)
        if not m:
            errors.append(f"{label}: {SUMS_NAME} line {n} is not '<sha256>  <path>'")
            continue
        listed[m.group(2)] = m.group(1)
    actual = sha256sums(release, seen)
    for name in sorted(actual.keys() - listed.keys()):
        errors.append(f"{label}: {name} is not listed in {SUMS_NAME}")
    for name in sorted(listed.keys() - actual.keys()):
        errors.append(f"{label}: {name} listed in {SUMS_NAME} is missing")
    for name in sorted(listed.keys() & actual.keys()):
        if listed[name] != actual[name]:
            errors.append(f"{label}: {name} does not match its sha256 in {SUMS_NAME}")
    return errors


def _check_inputs(m: dict, articles: pa.Table | None) -> list[str]:
    """Every article's raw file is among the manifest's inputs, with the digest it was read with."""
    if articles is None or "raw_sha256" not in articles.schema.names:
        return []
    inputs = {i["path"]: i["sha256"] for i in m.get("inputs", [])}
    missing, different = [], []
    for path, digest in zip(articles.column("raw_path").to_pylist(), articles.column("raw_sha256").to_pylist()):
        if path not in inputs:
            missing.append(path)
        elif inputs[path] != digest:
            different.append(path)
    errors = []
    if missing:
        errors.append(f"articles: {len(missing)} raw file(s) not among manifest.json inputs, e.g. {missing[0]}")
    if different:
        errors.append(f"articles: {len(different)} raw_sha256 differ from manifest.json inputs, e.g. {different[0]}")
    return errors
