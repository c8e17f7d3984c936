"""The copies table made column by column (CopyPairs.arrow_table) is the table its rows make."""
import numpy as np
import pyarrow as pa
import pyarrow.compute  # noqa: F401

from crosswire import copies, publish
from crosswire.copies import CopyPairs
from schemas import TABLES

SCHEMA = TABLES["copies"].arrow_schema


def _pairs(n_articles: int, n_pairs: int, seed: int) -> CopyPairs:
    rng = np.random.default_rng(seed)
    ids = [f"art_{i:016x}" for i in rng.permutation(50 * n_articles)[:n_articles]]
    sizes = rng.integers(5, 600, n_articles)
    outlets = [f"outlet-{i % 5}" for i in range(n_articles)]
    # unknown dates, shared dates and distinct ones
    dates = [None if i % 7 == 0 else f"2025-03-{1 + i % 4:02d}T08:00:00+00:00" for i in range(n_articles)]
    a, b = rng.integers(0, n_articles, n_pairs), rng.integers(0, n_articles, n_pairs)
    a, b = a[a != b], b[a != b]
    common = np.minimum(rng.integers(1, 600, len(a)), np.minimum(sizes[a], sizes[b]))
    return CopyPairs(ids, a.astype(np.int64), b.astype(np.int64), common.astype(np.int64), sizes, outlets, dates)


def test_the_columns_are_the_rows_iteration_makes():
    pairs = _pairs(300, 5000, seed=3)
    assert pairs.arrow_table(SCHEMA).equals(pa.Table.from_pylist(list(pairs), schema=SCHEMA))


def test_no_pairs_is_an_empty_table_of_the_schema():
    pairs = _pairs(3, 0, seed=1)
    t = pairs.arrow_table(SCHEMA)
    assert t.num_rows == 0 and t.schema.equals(SCHEMA)


def test_shares_round_as_python_rounds_every_fraction_of_small_sizes():
    size = np.repeat(np.arange(1, 700), np.arange(1, 700))
    common = np.concatenate([np.arange(1, s + 1) for s in range(1, 700)])
    want = [round(int(c) / int(s), 4) for c, s in zip(common.tolist(), size.tolist())]
    assert copies._shares(common, size).tolist() == want


def test_publishing_takes_the_pairs_columns_in_the_published_order():
    pairs = _pairs(200, 3000, seed=5)
    spec = TABLES["copies"]
    assert publish.to_arrow(spec, pairs).equals(publish.to_arrow(spec, list(pairs)))


def test_rows_asked_in_an_order_are_the_sorted_rows():
    pairs = _pairs(250, 4000, seed=8)
    whole = pa.Table.from_pylist(list(pairs), schema=SCHEMA)
    for by in (["source_a", "article_a", "copy_id"], ["source_b"], ["article_b", "source_a"],
               ["first_published", "source_a", "article_a"]):
        want = whole.take(pa.compute.sort_indices(whole, [(c, "ascending") for c in by] + [("copy_id", "ascending")]))
        assert pairs.arrow_table(SCHEMA, by).equals(want)


def test_orders_by_one_folded_key_and_column_by_column_agree(monkeypatch):
    """The ranks folded into one integer key order the rows as numpy's lexsort of the
    columns does, and as Arrow sorts the rows: dates at many times, unknown ones, ties."""
    pairs = _pairs(250, 4000, seed=9)
    pairs = CopyPairs(pairs.ids, pairs.a, pairs.b, pairs.common, pairs.sizes, pairs.source,
                      [None if p is None else p.replace("T08:", f"T{i % 24:02d}:")
                       for i, p in enumerate(pairs.published)])
    whole = pa.Table.from_pylist(list(pairs), schema=SCHEMA)
    for by in (["first_published", "source_a", "article_a", "copy_id"], ["source_b", "first_published"],
               ["article_b", "copy_id"]):
        want = whole.take(pa.compute.sort_indices(whole, [(c, "ascending") for c in by] + [("copy_id", "ascending")]))
        folded = pairs.arrow_table(SCHEMA, by)
        monkeypatch.setattr(copies, "_KEY_BITS", 0)  # never folded: numpy's lexsort
        assert folded.equals(want) and pairs.arrow_table(SCHEMA, by).equals(want)
        monkeypatch.undo()


def test_times_in_other_zones_are_compared_and_written_as_instants():
    """ISO texts compare as text, and Arrow makes a UTC timestamp of an aware datetime's wall
    clock when PYARROW_IGNORE_TIMEZONE is set (pandera sets it when imported alone): a pair's
    first article and first_published are those of the instants."""
    from datetime import datetime, timezone

    ids = ["art_0000000000000001", "art_0000000000000002", "art_0000000000000003"]
    # 12:00 in Delhi is 06:30 UTC, earlier than 08:00 UTC; 11:00+03:00 is 08:00 UTC, a tie
    published = ["2025-08-15T12:00:00+05:30", datetime(2025, 8, 15, 8, 0, tzinfo=timezone.utc),
                 "2025-08-15T11:00:00+03:00"]
    pairs = CopyPairs(ids, np.array([0, 1]), np.array([1, 2]), np.array([50, 50]), np.array([100, 100, 100]),
                      ["delhi-daily", "wire", "kyiv-post"], published)
    t = pairs.arrow_table(SCHEMA)
    rows = {r["article_b"]: r for r in t.to_pylist()}
    assert rows[ids[1]]["first"] == ids[0]
    assert rows[ids[1]]["first_published"] == datetime(2025, 8, 15, 6, 30, tzinfo=timezone.utc)
    assert rows[ids[2]]["first"] is None  # the same instant
    assert rows[ids[2]]["first_published"] == datetime(2025, 8, 15, 8, 0, tzinfo=timezone.utc)
    assert t.equals(pa.Table.from_pylist(list(pairs), schema=SCHEMA))
    by_time = pairs.arrow_table(SCHEMA, ["first_published"])
    assert by_time.column("article_b").to_pylist() == [ids[1], ids[2]]
