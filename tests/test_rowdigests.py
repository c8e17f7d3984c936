"""rowdigests.batch_digests gives the bytes the per-row json.dumps gave (manifests' content_sha256 and
the cached row hashes rest on them), for every type a table has or may gain, nulls and slices included."""
import hashlib
import json
from datetime import date, datetime, timezone

import pyarrow as pa
from hypothesis import given, settings, strategies as st

from crosswire.rowdigests import batch_digests, json_texts


def reference(batch: pa.RecordBatch) -> bytes:
    """What row_hashes computed before: one Python dict per row, dumped and hashed."""
    return b"".join(hashlib.sha256(json.dumps(row, sort_keys=True, default=str, ensure_ascii=False).encode()).digest()
                    for row in batch.to_pylist())


texts = st.text(st.characters(codec="utf-8"), max_size=30) | st.sampled_from(
    ['He said "no".', "a\\b", "line\nbreak\ttab\r", "\x00\x07\x0b\x1f", "\u2028 \u00e9 \U0001f600", ""])
floats = st.floats(allow_nan=True, allow_infinity=True) | st.sampled_from([0.0, -0.0, 1.0, 1e16, 1e-7, 0.1, 123456789.0])
stamps = st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2100, 1, 1)).map(
    lambda d: d.replace(tzinfo=timezone.utc))
COLUMNS = {
    "text": (pa.string(), texts),
    "big": (pa.large_string(), texts),
    "n": (pa.int64(), st.integers(-2**63, 2**63 - 1)),
    "small": (pa.int32(), st.integers(-2**31, 2**31 - 1)),
    "x": (pa.float64(), floats),
    "flag": (pa.bool_(), st.booleans()),
    "at": (pa.timestamp("us", tz="UTC"), stamps),
    "naive": (pa.timestamp("us"), st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2100, 1, 1))),
    "day": (pa.date32(), st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 1, 1))),
    "words": (pa.list_(pa.string()), st.lists(st.none() | texts, max_size=4)),
    "nums": (pa.list_(pa.float64()), st.lists(floats, max_size=3)),
    "pairs": (pa.list_(pa.struct([("k", pa.string()), ("v", pa.int64())])),
              st.lists(st.fixed_dictionaries({"k": texts, "v": st.integers(-5, 5)}), max_size=2)),
}


@st.composite
def batches(draw):
    names = draw(st.lists(st.sampled_from(sorted(COLUMNS)), min_size=1, max_size=6, unique=True))
    rows = draw(st.integers(0, 12))
    columns = {}
    for name in names:
        kind, values = COLUMNS[name]
        columns[name] = pa.array(draw(st.lists(st.none() | values, min_size=rows + 2, max_size=rows + 2)), kind)
    return pa.record_batch(columns).slice(1, rows)  # a slice: its arrays start at an offset


@settings(max_examples=300, deadline=None)
@given(batches())
def test_the_digests_are_the_ones_json_dumps_gave(batch):
    assert batch_digests(batch) == reference(batch)


def test_a_batch_sliced_out_of_a_table_is_digested_as_its_own_rows():
    table = pa.table({"id": [f"r{i}" for i in range(50)],
                      "tags": [[f"t{i}", None] if i % 3 else None for i in range(50)],
                      "quote": [f'"{i}"\n' if i % 2 else None for i in range(50)]})
    for batch in table.to_batches(max_chunksize=7):  # slices with offsets into shared buffers
        assert batch_digests(batch) == reference(batch)


def test_columns_are_written_in_key_order_as_json_does():
    batch = pa.RecordBatch.from_pydict({"b": [1], "a": ["x"], "A": [True]})
    assert batch_digests(batch) == hashlib.sha256(b'{"A": true, "a": "x", "b": 1}').digest()


def test_dictionary_columns_are_written_as_their_values():
    values = pa.array(["left", "right", None, "left"]).dictionary_encode()
    assert json_texts(values).to_pylist() == ['"left"', '"right"', "null", '"left"']
