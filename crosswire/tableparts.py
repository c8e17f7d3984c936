"""A large table made a range of rows at a time, never held whole.

Publishing a table checks its rows a slice at a time, hashes them a batch at a time and
writes it a part at a time (crosswire.publish, crosswire.validate); what needs a whole
column (uniqueness, keys across tables, the part column's runs) asks for that column alone.
`TableParts` gives those reads from a function that makes any range of rows (e.g.
copies.CopyPairs.arrow_rows, from arrays a fraction of the table's size), so that the
1.5M-row `copies` table of a 10k corpus is never one Arrow table: each part is made when
read and let go after.

A slice is the rows the whole table's slice holds, and counts the same `nbytes` (which
decide publishing's row groups and parts): Arrow counts a slice's validity bitmap from the
byte its offset falls in, so a slice here is made from that byte on; a column keeps the
bitmap its maker gives (Arrow's `take` gives one always, nulls or not), and one made
without gets one where the whole column has a null (as the whole column then has).
"""
from __future__ import annotations

from typing import Callable

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

BLOCK_ROWS = 4096  # rows made at once to take a few of them, for a maker without `at`


class TableParts:
    """A table of `schema` with `num_rows` rows, made by `rows(start, stop, names=None)`
    (rows [start, stop) in the table's order, only the columns `names` when given)."""

    def __init__(self, schema: pa.Schema, num_rows: int, rows: Callable[..., pa.Table]):
        self.schema, self.num_rows, self._rows = schema, num_rows, rows
        self._at = getattr(rows, "at", None)  # rows at given places, when the maker can
        self._is_in = getattr(rows, "is_in", None)  # a column's membership, when the maker can
        self._nulls = None
        self._kept = {}  # whole columns of a fixed width, once made (see column)

    @property
    def column_names(self) -> list[str]:
        return self.schema.names

    def column(self, name: str) -> pa.ChunkedArray:
        """One column, whole (made alone: the other columns are not). One of a fixed width is
        kept once made (a date: 8 bytes a row, asked for by planning, the null check and the
        writer's month runs); a string column is made again when asked for."""
        if name in self._kept:
            return self._kept[name]
        made = self._rows(0, self.num_rows, [name]).column(name)
        if pa.types.is_timestamp(made.type) or pa.types.is_integer(made.type) or pa.types.is_floating(made.type):
            self._kept[name] = made
        return made

    __getitem__ = column

    def slice(self, offset: int = 0, length: int | None = None) -> pa.Table:
        """Rows [offset, offset + length) as an Arrow table: the values and the nbytes of the
        whole table's slice."""
        offset = max(0, min(offset, self.num_rows))
        stop = self.num_rows if length is None else min(self.num_rows, offset + max(0, length))
        pad = offset % 8   # made from the byte boundary before, so that a bitmap starts at the same bit
        made = self._rows(offset - pad, stop, None)
        columns = [one_array([c]) for c in made.columns]  # (not combined: that drops an all-valid bitmap)
        columns = [_with_bitmap(c) if f.name in self.nulls() else c for f, c in zip(made.schema, columns)]
        return pa.table(columns, schema=self.schema).slice(pad, stop - offset)

    def nulls(self) -> set[str]:
        """The columns with a null somewhere (each nullable column made whole once, alone)."""
        if self._nulls is None:
            self._nulls = {f.name for f in self.schema if f.nullable and self.column(f.name).null_count}
        return self._nulls

    def take(self, indices) -> pa.Table:
        """The rows at `indices` (ascending places), as the whole table's `take` gives their
        values: made alone when the maker can (`at`), else from the BLOCK_ROWS blocks holding them."""
        at = np.asarray(indices, np.int64)
        if self._at is not None:
            return self._at(at)
        pieces = [self._rows(b * BLOCK_ROWS, min(self.num_rows, (b + 1) * BLOCK_ROWS), None)
                  .take(pa.array(at[at // BLOCK_ROWS == b] - b * BLOCK_ROWS)) for b in np.unique(at // BLOCK_ROWS)]
        return pa.concat_tables(pieces) if pieces else self._rows(0, 0, None)

    def is_in(self, name: str, value_set: pa.Array) -> pa.Array:
        """pc.is_in over the column `name` (false where it is null; a boolean Array or
        ChunkedArray): from the maker's `is_in(name, value_set)` when it answers for that
        column without making it (None when it cannot), else over the column made whole."""
        answer = self._is_in(name, value_set) if self._is_in is not None else None
        return answer if answer is not None else pc.is_in(self.column(name), value_set=value_set)

    def filter(self, mask) -> pa.Table:
        """The rows where `mask` (a boolean array over the rows) is true, as `take` makes them."""
        return self.take(pc.indices_nonzero(pc.fill_null(mask, False)).to_numpy())

    def whole(self) -> pa.Table:
        """The table, whole (one chunk per column)."""
        return self._rows(0, self.num_rows, None).combine_chunks()


def is_in(table, name: str, value_set: pa.Array) -> pa.Array:
    """pc.is_in over the column `name` of an Arrow table or a TableParts (whose maker may
    answer without making the column)."""
    if isinstance(table, TableParts):
        return table.is_in(name, value_set)
    return pc.is_in(table.column(name), value_set=value_set)


def one_array(arrays: list) -> pa.Array:
    """Arrays (or chunked arrays) of one type as one array; one array as it is (Arrow's
    combine_chunks copies even a single chunk, and drops an all-valid bitmap)."""
    chunks = [c for a in arrays for c in (a.chunks if isinstance(a, pa.ChunkedArray) else [a])]
    return chunks[0] if len(chunks) == 1 else pa.chunked_array(chunks).combine_chunks()


def _with_bitmap(array: pa.Array) -> pa.Array:
    """`array` with a validity bitmap (all valid where it has none): as a slice of a column
    with nulls elsewhere has one. Flat types only (one validity buffer, then the values')."""
    if array.buffers()[0] is not None:
        return array
    if array.type.num_fields:
        raise TypeError(f"a validity bitmap made for a flat column only, not {array.type}")
    n = array.offset + len(array)
    bitmap = pa.py_buffer(np.packbits(np.ones(n, bool), bitorder="little").tobytes())
    # null_count -1 (counted when asked): given as 0, Arrow drops the bitmap
    return pa.Array.from_buffers(array.type, len(array), [bitmap, *array.buffers()[1:]], null_count=-1,
                                 offset=array.offset)
