"""Each row's SHA-256 as releases have always recorded it, built column by column in Arrow.

A row's digest is SHA-256 of `json.dumps(row, sort_keys=True, default=str,
ensure_ascii=False)` over the row as a dict (`RecordBatch.to_pylist`): manifests carry
`content_sha256` over these digests and the cache keeps them between releases, so the
bytes may never change. Serialising a million rows one Python dict at a time was most of
a cold release's hashing (18 s for the 1.48M `copies` rows of a 10k corpus); here each
column becomes its JSON text in Arrow, with Python only for values Arrow cannot write
the way `json` does (floats, dates and times, escaped strings, other types), and the
row's text is the columns' texts joined in key order.
"""
from __future__ import annotations

import hashlib
import json

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

# the characters json.dumps escapes in a string when ensure_ascii=False (json.encoder.ESCAPE)
_ESCAPED = r'[\x00-\x1f"\\]'


def _text(s: str) -> pa.Scalar:
    return pa.scalar(s, pa.large_string())


_NULL, _NOTHING = _text("null"), _text("")


def serialised(value) -> str:
    """A value (or a row, as a dict) as its digest serialises it."""
    return json.dumps(value, sort_keys=True, default=str, ensure_ascii=False)


def batch_digests(batch: pa.RecordBatch) -> bytes:
    """The rows' SHA-256 digests, concatenated (32 bytes each), in row order."""
    if not batch.num_rows:
        return b""
    parts = []
    for i, name in enumerate(sorted(batch.schema.names)):
        parts.append(_text(("{" if i == 0 else ", ") + serialised(name) + ": "))
        parts.append(json_texts(batch.column(name)))
    if not parts:
        return b"".join(hashlib.sha256(b"{}").digest() for _ in range(batch.num_rows))
    parts.append(_text("}"))
    rows = pc.binary_join_element_wise(*parts, _NOTHING)
    return _sha256_each(rows)


def _sha256_each(texts: pa.Array) -> bytes:
    """SHA-256 of each value of a large_string array, read from its buffers (no str per row)."""
    offsets = np.frombuffer(texts.buffers()[1], np.int64, len(texts) + 1, texts.offset).tolist()
    data = memoryview(texts.buffers()[2] or b"")
    sha = hashlib.sha256
    return b"".join(sha(data[a:b]).digest() for a, b in zip(offsets, offsets[1:]))


def json_texts(values: pa.Array) -> pa.Array:
    """Each value's JSON text as `serialised` writes it (null as "null"), a large_string array."""
    t = values.type
    if pa.types.is_dictionary(t):
        return json_texts(values.dictionary_decode())
    if pa.types.is_string(t) or pa.types.is_large_string(t):
        out = _string_texts(values.cast(pa.large_string()))
    elif pa.types.is_integer(t) or pa.types.is_boolean(t):
        out = values.cast(pa.large_string())  # "12", "-3", "true", "false": as json writes them
    elif pa.types.is_floating(t):
        out = _float_texts(values)
    elif pa.types.is_list(t) or pa.types.is_large_list(t):
        out = _list_texts(values)
    elif pa.types.is_temporal(t):
        out = _by_distinct(values)  # few distinct dates and times; str() of each, once
    else:
        out = pa.array([serialised(v) for v in values.to_pylist()], pa.large_string())
    return out.fill_null(_NULL) if out.null_count else out


def _string_texts(values: pa.Array) -> pa.Array:
    """Strings in quotes; the ones holding a character json escapes written by json itself
    (its C escaper is faster than Arrow's passes over long texts)."""
    quoted = pc.binary_join_element_wise(_text('"'), values, _text('"'), _NOTHING)
    marked = pc.fill_null(pc.match_substring_regex(values, _ESCAPED), False)
    if not pc.any(marked).as_py():
        return quoted
    texts = pa.array([serialised(v) for v in values.filter(marked).to_pylist()], pa.large_string())
    return pc.replace_with_mask(quoted, marked, texts)


def _float_texts(values: pa.Array) -> pa.Array:
    # float.__repr__ is json's text for finite floats; Arrow's cast writes 1.0 as "1"
    nums = values.cast(pa.float64()).fill_null(0.0).to_numpy(zero_copy_only=False)
    texts = list(map(float.__repr__, nums.tolist()))
    for i in np.flatnonzero(~np.isfinite(nums)).tolist():
        texts[i] = serialised(float(nums[i]))  # NaN, Infinity, -Infinity
    out = pa.array(texts, pa.large_string())
    return pc.if_else(values.is_null(), _NULL, out) if values.null_count else out


def _by_distinct(values: pa.Array) -> pa.Array:
    coded = values.dictionary_encode()
    texts = pa.array([serialised(v) for v in coded.dictionary.to_pylist()], pa.large_string())
    return texts.take(coded.indices)


def _list_texts(values: pa.Array) -> pa.Array:
    """"[a, b]" from the items' texts: json's separator is ", "."""
    offsets = values.offsets
    first, last = offsets[0].as_py(), offsets[-1].as_py()
    items = json_texts(values.values.slice(first, last - first))
    rebased = pc.subtract(offsets, pa.scalar(first, offsets.type))
    lists = pa.LargeListArray.from_arrays(rebased.cast(pa.int64()), items)
    joined = pc.binary_join(lists, _text(", "))
    out = pc.binary_join_element_wise(_text("["), joined, _text("]"), _NOTHING)
    return pc.if_else(values.is_null(), _NULL, out) if values.null_count else out
