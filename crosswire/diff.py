"""What changed between two releases: per table, rows added, removed and changed (matched
by primary key, the content of matched rows compared column by column), schema changes
(columns added, removed, retyped) and a few examples of each.

    from crosswire.diff import diff_releases, format_diff
    d = diff_releases("datasets/v1.0.0", "datasets/v1.1.0")     # a JSON-able dict
    print(format_diff(d))

A row counts as changed when any of its values differs, a column only one release has
included (a new column changes every row it is added to): the same rule by which
`crosswire run` counts changes and picks the version bump, so the numbers here and in the
manifest's `changes` agree. Reads tables with pyarrow only (crosswire.load), and skips a
table whose content digest and columns the two manifests show to be the same. When a
table's schema did not change (the usual case: a few rows added to a large release), the
rows are matched by key and compared column by column in Arrow, and only the rows that
differ, and the examples, become Python objects.
"""
from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from .load import Release, read_arrow

EXAMPLES = 3        # examples per table and kind of change
SHOWN_CHARS = 80    # a value longer than this is cut in examples


def diff_releases(a: str | Path | Release, b: str | Path | Release, examples: int = EXAMPLES) -> dict:
    """The difference from release `a` to release `b` (folders or opened releases)."""
    a, b = (r if isinstance(r, Release) else Release(r) for r in (a, b))
    names = list(b.tables) + [n for n in a.tables if n not in b.manifest["tables"]]
    tables = {n: _table_diff(a, b, n, examples) for n in names}
    return {
        "from": {"version": a.version, "path": str(a.path)},
        "to": {"version": b.version, "path": str(b.path)},
        "tables": tables,
    }


def _columns(entry: dict | None) -> dict[str, str]:
    # a list type read back from Parquet is spelt list<element: ...>: the same type
    return {c[0]: re.sub(r"\blist<element: ", "list<item: ", str(c[1])) for c in (entry or {}).get("columns", [])}


def schema_changes(before: dict | None, after: dict | None) -> dict:
    """Columns added, removed and retyped between two manifest table entries."""
    old, new = _columns(before), _columns(after)
    return {
        "added": [[n, t] for n, t in new.items() if n not in old],
        "removed": [[n, t] for n, t in old.items() if n not in new],
        "retyped": [[n, old[n], t] for n, t in new.items() if n in old and old[n] != t],
    }


def _table_diff(a: Release, b: Release, name: str, examples: int) -> dict:
    before, after = a.manifest["tables"].get(name), b.manifest["tables"].get(name)
    out = diff_frame(before, after)
    if before and after and before.get("content_sha256") and before.get("content_sha256") == \
            after.get("content_sha256") and _columns(before) == _columns(after):
        return out  # the manifests vouch for identical content: nothing to read
    key = (after or before).get("primary_key")
    if before and after:
        return tables_diff(out, read_arrow(a.path, before), read_arrow(b.path, after), key, examples)
    return _rows_diff(out, _rows(a, before, key), _rows(b, after, key), key, examples)


def diff_frame(before: dict | None, after: dict | None) -> dict:
    """A table's diff before its rows are compared: status, row counts and schema changes
    from its manifest entries (before/after: None where the release lacks the table; an
    entry needs only `rows` and `columns`), no row added, removed or changed yet."""
    return {
        "status": "added" if before is None else "removed" if after is None else "same",
        "rows": {"before": (before or {}).get("rows", 0), "after": (after or {}).get("rows", 0)},
        "added": 0, "removed": 0, "changed": 0,
        "schema": schema_changes(before, after),
        "changed_columns": {},
        "examples": {"added": [], "removed": [], "changed": []},
    }


def tables_diff(out: dict, old_t, new_t, key: str, examples: int = EXAMPLES, changes: tuple | None = None) -> dict:
    """`out` (diff_frame) completed from the two versions of a table. `changes`: what
    row_changes(old_t, new_t, key) gave, when the caller has it already (same schema)."""
    if old_t.schema.equals(new_t.schema, check_metadata=False):
        return _same_schema_diff(out, old_t, new_t, key, examples, changes)
    return _rows_diff(out, _keyed(old_t, key), _keyed(new_t, key), key, examples)


def _rows_diff(out: dict, old: dict, new: dict, key: str, examples: int) -> dict:
    """_table_diff's counts and examples from every row of both sides ({key: row}): for
    tables whose schema changed, or one side missing."""
    from .rowdigests import serialised  # pyarrow: not for what `import crosswire.diff` costs

    added = sorted(new.keys() - old.keys(), key=str)
    removed = sorted(old.keys() - new.keys(), key=str)
    changed, by_column = [], {}
    for k in sorted(new.keys() & old.keys(), key=str):
        if serialised(old[k]) == serialised(new[k]):
            continue  # the whole row serialises the same, so every value does: one call, not one per value
        cols = _differing(old[k], new[k])
        if cols:
            changed.append((k, cols))
            for c in cols:
                by_column[c] = by_column.get(c, 0) + 1
    # examples show values that changed; a column added or removed is said once, above
    moved = {n for n, _ in out["schema"]["added"] + out["schema"]["removed"]}
    shown = [(k, [c for c in cols if c not in moved]) for k, cols in changed]
    shown = [(k, cols) for k, cols in shown if cols]
    out.update(added=len(added), removed=len(removed), changed=len(changed),
               changed_columns=dict(sorted(by_column.items(), key=lambda kv: (-kv[1], kv[0]))))
    if out["status"] == "same" and (added or removed or changed or any(out["schema"].values())):
        out["status"] = "changed"
    out["examples"] = {
        "added": [_shown_row(key, k, new[k]) for k in added[:examples]],
        "removed": [_shown_row(key, k, old[k]) for k in removed[:examples]],
        "changed": [{"key": k, "columns": {c: [_shown(old[k].get(c)), _shown(new[k].get(c))] for c in cols}}
                    for k, cols in shown[:examples]],
    }
    return out


def _rows(release: Release, entry: dict | None, key: str) -> dict:
    if entry is None:
        return {}
    return _keyed(read_arrow(release.path, entry), key)


def _keyed(table, key: str) -> dict:
    return {r[key]: r for r in table.to_pylist()}


def row_changes(old_t, new_t, key: str) -> tuple[list, list, list, dict[str, int]]:
    """(added, removed, changed, changed rows per column) between two tables of one schema,
    rows matched by `key` and compared column by column in Arrow: the keys (each list
    sorted as str) whose rows publish.row_hashes would hash differently, without hashing."""
    return _changes(old_t[key], [(old_t.num_rows, lambda name: old_t[name])], new_t, key)


def file_row_changes(files: list, new_t, key: str, settled=None, facts: dict | None = None) -> tuple[list, list, list, dict[str, int]]:
    """row_changes between a published table (its Parquet files, in order) and `new_t`, the
    old side read one column of one row group at a time beside its key column: planning a
    release never holds a previous table whole (its text columns above all). `settled` (an
    Arrow array of keys, optional): rows the caller took from these files as they are, not
    compared again (or a boolean array over the rows of `new_t`: true where the row is the
    published one of its key); a row group holding only such rows (or removed ones) is not read.
    `facts` (a dict, optional) gains "unique": whether each key of `new_t` is there once
    (the published keys are: found from the pairing, without counting the new table's keys)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    handles = [pq.ParquetFile(f) for f in files]
    old_keys = pa.chunked_array([c for f in handles for c in f.read(columns=[key]).column(0).chunks],
                                new_t.schema.field(key).type)

    def column_reader(f, g):
        return lambda name: f.read_row_group(g, columns=[name]).column(0)

    groups = [(f.metadata.row_group(g).num_rows, column_reader(f, g))
              for f in handles for g in range(f.metadata.num_row_groups)]
    return _changes(old_keys, groups, new_t, key, settled, facts)


def _changes(old_keys, old_groups: list, new_t, key: str, settled=None, facts: dict | None = None) -> tuple[list, list, list, dict[str, int]]:
    """row_changes from the old table's keys and its rows in groups ((rows, column of a
    name) each, in order): each old row is paired with the new row of its key, and the
    pairs are compared one column of one group at a time; those whose key is `settled` (the
    same row on both sides, by the caller's word) are not."""
    import pyarrow as pa
    import pyarrow.compute as pc

    old_keys, new_keys = old_keys.combine_chunks(), new_t[key].combine_chunks()
    new_at = pc.index_in(old_keys, value_set=new_keys)  # each old row's place in the new table (null: removed)
    # the new rows some old row is paired with (the others added): from new_at, not a second
    # hash table of the keys (a key given twice in the new table fails validation anyway)
    paired = np.zeros(len(new_keys), bool)
    paired[new_at.drop_null().to_numpy()] = True
    paired = pa.array(paired)
    compared = _compared(old_keys, new_at, settled)
    differs = np.zeros(len(new_keys), bool)
    by_column = {}
    start = 0
    for rows, column in old_groups:
        at = new_at.slice(start, rows)
        kept = at.is_valid() if compared is None else pc.and_(at.is_valid(), compared.slice(start, rows))
        start += rows
        old_idx = pc.indices_nonzero(kept)
        new_idx = at.filter(kept).cast(pa.int64())
        if not len(new_idx):
            continue
        where = new_idx.to_numpy()
        for name in new_t.schema.names:  # one column's copy of one group at a time
            flags = _column_differs(column(name).take(old_idx), new_t[name].take(new_idx))
            n = int(flags.sum())
            if n:
                by_column[name] = by_column.get(name, 0) + n
                differs[where] |= flags
    changed = sorted(new_keys.filter(pa.array(differs)).to_pylist(), key=str)
    fresh = new_keys.filter(pc.invert(paired))
    if facts is not None:
        facts["unique"] = _unique_beside(fresh, old_keys)
    added = sorted(fresh.to_pylist(), key=str)
    removed = sorted(old_keys.filter(new_at.is_null()).to_pylist(), key=str)
    return added, removed, changed, by_column


def _compared(old_keys, new_at, settled):
    """Which old rows to compare (a boolean array; None: all): those not `settled`, given as
    their keys, or as a boolean array over the new table's rows (true: the same row as the
    old one of its key, e.g. a copy pair of two articles unchanged; no hash table of a
    million keys is built for it)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if settled is None or not len(settled):
        return None
    if pa.types.is_boolean(settled.type):
        return pc.invert(pc.fill_null(settled.take(new_at), False))
    return pc.invert(pc.is_in(old_keys, value_set=settled.cast(old_keys.type)))


def _unique_beside(fresh, old_keys) -> bool:
    """Whether a new table's keys are each there once, given its rows not paired with an old
    row (`fresh`) and the old table's keys (each once: a published table's). Each old key
    found in the new table is paired with one new row; a key given twice leaves a row
    unpaired whose key is an old one or another unpaired row's."""
    import pyarrow.compute as pc

    if not len(fresh):
        return True
    if fresh.null_count or pc.count_distinct(fresh).as_py() < len(fresh):
        return False
    return not pc.any(pc.is_in(old_keys, value_set=fresh)).as_py()  # the small side hashed


def _same_schema_diff(out: dict, old_t, new_t, key: str, examples: int, changes: tuple | None = None) -> dict:
    """_table_diff's counts and examples for two tables of one schema, compared in Arrow:
    the same numbers as comparing every row's serialised values."""
    added, removed, changed, by_column = changes or row_changes(old_t, new_t, key)
    out.update(added=len(added), removed=len(removed), changed=len(changed),
               changed_columns=dict(sorted(by_column.items(), key=lambda kv: (-kv[1], kv[0]))))
    if added or removed or changed:
        out["status"] = "changed"
    old_row = lambda k: _row_of(old_t, key, k)  # noqa: E731
    new_row = lambda k: _row_of(new_t, key, k)  # noqa: E731
    shown = [(k, old_row(k), new_row(k)) for k in changed[:examples]]
    out["examples"] = {
        "added": [_shown_row(key, k, new_row(k)) for k in added[:examples]],
        "removed": [_shown_row(key, k, old_row(k)) for k in removed[:examples]],
        "changed": [{"key": k, "columns": {c: [_shown(o.get(c)), _shown(n.get(c))] for c in _differing(o, n)}}
                    for k, o, n in shown],
    }
    return out


def _row_of(table, key: str, value) -> dict:
    """The row of `table` whose `key` is `value` (found in Arrow, for a few examples)."""
    import pyarrow.compute as pc

    return table.slice(pc.index(table[key], value).as_py(), 1).to_pylist()[0]


def _column_differs(old, new) -> np.ndarray:
    """Per row, whether the values of one column (two aligned Arrow arrays of one type)
    differ as publish.row_hashes serialises them. Plain types are compared in Arrow (equal,
    or both null); floats by their text (-0.0 is not 0.0, NaN is NaN) and nested types by
    Python equality, confirmed on their serialised form."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from .rowdigests import serialised

    kind = old.type
    if _plain(kind):
        same = pc.or_kleene(pc.and_(pc.is_null(old), pc.is_null(new)), pc.fill_null(pc.equal(old, new), False))
        return ~np.asarray(same.to_numpy(zero_copy_only=False), bool)
    if pa.types.is_floating(kind):
        return _floats_differ(old, new)
    if (pa.types.is_list(kind) or pa.types.is_large_list(kind)) and \
            (_plain(kind.value_type) or pa.types.is_floating(kind.value_type)):
        return _lists_differ(old, new)
    a, b = old.to_pylist(), new.to_pylist()
    floats = _has_float(kind)  # Python's == takes -0.0 for 0.0: then the serialised form decides
    return np.array([x is not y and (floats or x != y) and serialised(x) != serialised(y)
                     for x, y in zip(a, b)], bool)


def _nulls(values) -> np.ndarray:
    import pyarrow.compute as pc

    return np.asarray(pc.is_null(values).to_numpy(zero_copy_only=False), bool)


def _floats_differ(old, new) -> np.ndarray:
    """_column_differs of two float columns, in numpy: values differ as their text does, that
    is by their bits (-0.0 is not 0.0), every NaN the same NaN; null equals null only."""
    old_null, new_null = _nulls(old), _nulls(new)
    a = np.asarray(old.fill_null(0).to_numpy(zero_copy_only=False))
    b = np.asarray(new.fill_null(0).to_numpy(zero_copy_only=False))
    bits = np.dtype(f"u{a.dtype.itemsize}")
    same = (a.view(bits) == b.view(bits)) | (np.isnan(a) & np.isnan(b))
    return np.where(old_null | new_null, old_null != new_null, ~same)


def _lists_differ(old, new) -> np.ndarray:
    """_column_differs of two list columns of plain or float values, in Arrow: rows differ by
    their lengths (a null list is not an empty one), then by their values compared alike."""
    import pyarrow.compute as pc

    lengths_old = np.asarray(pc.list_value_length(old).fill_null(-1).to_numpy(zero_copy_only=False))
    lengths_new = np.asarray(pc.list_value_length(new).fill_null(-1).to_numpy(zero_copy_only=False))
    differs = lengths_old != lengths_new
    rows = np.flatnonzero(~differs & (lengths_old > 0))
    if rows.size:
        a, b = (_one_chunk(x.take(rows)) for x in (old, new))
        values = _column_differs(pc.list_flatten(a), pc.list_flatten(b))
        owner = np.asarray(pc.list_parent_indices(a).to_numpy(zero_copy_only=False))
        differs[rows] = np.bincount(owner, weights=values, minlength=rows.size) > 0
    return differs


def _one_chunk(values):
    return values.combine_chunks() if hasattr(values, "combine_chunks") else values


def _plain(kind) -> bool:
    import pyarrow as pa

    t = pa.types
    return (t.is_string(kind) or t.is_large_string(kind) or t.is_integer(kind) or t.is_boolean(kind)
            or t.is_timestamp(kind) or t.is_date(kind))


def _has_float(kind) -> bool:
    import pyarrow as pa

    if pa.types.is_floating(kind):
        return True
    return any(_has_float(kind.field(i).type) for i in range(kind.num_fields))


def _differing(old: dict, new: dict) -> list[str]:
    """The columns whose values differ, in the new row's order, then the dropped ones.
    Values compare as publish.row_hashes serialises them (so 540 and 540.0 differ, and a
    column only one row has differs even where it is null): the manifest's counts."""
    from .rowdigests import serialised  # pyarrow: not for what `import crosswire.diff` costs

    names = list(new) + [c for c in old if c not in new]
    return [c for c in names if (c in old) != (c in new) or serialised(old[c]) != serialised(new[c])]


def _shown(value):
    """A value as an example shows it: JSON-able, long text cut."""
    if isinstance(value, (list, tuple)):
        return [_shown(v) for v in value[:5]] + (["…"] if len(value) > 5 else [])
    if value is None or isinstance(value, (bool, int, float)):
        return value
    text = str(value)
    return text if len(text) <= SHOWN_CHARS else text[:SHOWN_CHARS - 1] + "…"


def _shown_row(key: str, k, row: dict) -> dict:
    return {"key": k, "row": {c: _shown(v) for c, v in row.items() if c != key}}


# ---- formatting ---------------------------------------------------------------------------

def _brief(row: dict, width: int = 3) -> str:
    """The first few non-empty values of an example row, for one line of text."""
    shown = [f"{c}={v!r}" for c, v in row.items()
             if v not in (None, "", []) and not c.endswith("sha256")][:width]  # a digest tells a reader nothing
    return ", ".join(shown)


def format_diff(d: dict, counts: bool = True) -> str:
    """The diff as Markdown (which reads as plain text too): a table of row counts (unless
    `counts` is False), then per changed table its schema changes, the columns whose values
    changed, and examples."""
    lines = []
    if counts:
        a, b = (f"v{d[k]['version']}" for k in ("from", "to"))
        if a == b:  # two builds of one version (e.g. from two checkouts): name the folders
            a, b = d["from"]["path"], d["to"]["path"]
        lines += [f"Changes from {a} to {b}:", "",
                  "| table | rows before | rows after | added | removed | changed |",
                  "|---|---:|---:|---:|---:|---:|"]
        for name, t in d["tables"].items():
            status = "" if t["status"] in ("same", "changed") else f" ({t['status']})"
            lines.append(f"| {name}{status} | {t['rows']['before']} | {t['rows']['after']} | "
                         f"{t['added']} | {t['removed']} | {t['changed']} |")
    for name, t in d["tables"].items():
        detail = _table_lines(t)
        if detail:
            lines += ["", f"### {name}", ""] + detail
    return "\n".join(lines).strip("\n") + "\n" if lines else ""


def _table_lines(t: dict) -> list[str]:
    out = []
    s = t["schema"]
    if t["status"] == "same":
        return out
    if t["status"] in ("added", "removed"):
        out.append(f"- table {t['status']}")
    else:
        out += [f"- column added: `{n}` ({typ})" for n, typ in s["added"]]
        out += [f"- column removed: `{n}` ({typ})" for n, typ in s["removed"]]
        out += [f"- column retyped: `{n}` {old} -> {new}" for n, old, new in s["retyped"]]
        if t["changed_columns"]:
            out.append("- changed values, rows per column: " + ", ".join(
                f"`{c}` {n}" for c, n in t["changed_columns"].items()))
    ex = t["examples"]
    if t["status"] != "added":  # a new table's rows are all new: examples say nothing
        out += [f"- added `{e['key']}`: {_brief(e['row'])}" for e in ex["added"]]
    out += [f"- removed `{e['key']}`: {_brief(e['row'])}" for e in ex["removed"]]
    for e in ex["changed"]:
        parts = [f"`{c}` {old!r} -> {new!r}" for c, (old, new) in list(e["columns"].items())[:3]]
        out.append(f"- changed `{e['key']}`: " + "; ".join(parts))
    return out


def details_text(tables: dict[str, dict]) -> str:
    """The CHANGELOG's details of a release from its tables' diffs (diff_frame completed by
    tables_diff), as changelog_details writes them."""
    details = format_diff({"tables": tables}, counts=False)
    return "\n" + details if details else ""


def changelog_details(release: str | Path, manifest: dict) -> str:
    """What the CHANGELOG adds to a release's row counts: its diff against the previous
    release (schema changes, changed columns, examples), or '' for a first release or
    when the previous release is no longer there to compare with."""
    if not manifest.get("previous"):
        return ""
    previous = Path(release).parent / f"v{manifest['previous']}"
    if not (previous / "manifest.json").is_file():
        return ""
    try:
        return details_text(diff_releases(previous, release)["tables"])
    except Exception as e:  # noqa: BLE001 - the release is published; its changelog must not fail it
        return f"\n(no detailed diff against v{manifest['previous']}: {type(e).__name__}: {e})\n"
