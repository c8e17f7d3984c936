"""The copies table made column by column (CopyPairs.arrow_table) is the table its rows make."""
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pyarrow.compute  # noqa: F401
import pytest

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
               ["first_published", "source_a", "article_a"], ["last_published", "source_a", "article_a"]):
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
               ["last_published", "source_a", "article_a", "copy_id"], ["article_b", "copy_id"]):
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
    assert rows[ids[1]]["last_published"] == rows[ids[2]]["last_published"] == datetime(2025, 8, 15, 8, 0,
                                                                                        tzinfo=timezone.utc)
    assert t.equals(pa.Table.from_pylist(list(pairs), schema=SCHEMA))
    by_time = pairs.arrow_table(SCHEMA, ["first_published"])
    assert by_time.column("article_b").to_pylist() == [ids[1], ids[2]]


def _duplicated(pairs: CopyPairs, k: int) -> CopyPairs:
    """The pairs with the k-th given twice (a copy id repeated: what uniqueness must catch)."""
    def twice(x):
        return np.concatenate([x, x[k:k + 1]])
    return CopyPairs(pairs.ids, twice(pairs.a), twice(pairs.b), twice(pairs.common), pairs.sizes, pairs.source,
                     pairs.published)


def test_a_table_made_in_parts_gives_the_whole_tables_slices_and_columns():
    """Values and Arrow's nbytes (which cut parts and row groups) of every slice, at every
    bit offset of a validity bitmap; a column with nulls, one nullable without."""
    from crosswire.tableparts import TableParts

    pairs = _pairs(120, 900, seed=12)
    by = publish.sort_keys(TABLES["copies"])
    whole = pairs.arrow_table(SCHEMA, by)
    parts = TableParts(SCHEMA, len(pairs), pairs.arrow_rows(SCHEMA, by))
    assert whole.column("first").null_count and whole.column("first_published").null_count
    assert parts.nulls() == {"first", "first_published", "last_published"}
    for start, n in [(0, len(pairs)), (0, 1), (1, 7), (3, 8), (7, 9), (8, 64), (13, 400), (len(pairs) - 5, 5),
                     (len(pairs), 0)]:
        got, want = parts.slice(start, n), whole.slice(start, n)
        assert got.equals(want) and got.nbytes == want.nbytes, (start, n)
    for name in SCHEMA.names:
        assert parts.column(name).equals(whole.column(name))
    assert parts.whole().equals(whole) and parts.num_rows == whole.num_rows
    # a column that is nullable but has no null has no bitmap, in the whole table and here
    dated = CopyPairs(pairs.ids, pairs.a, pairs.b, pairs.common, pairs.sizes, pairs.source,
                      ["2025-03-02T08:00:00+00:00"] * len(pairs.ids))
    whole = dated.arrow_table(SCHEMA, by)
    parts = TableParts(SCHEMA, len(dated), dated.arrow_rows(SCHEMA, by))
    assert parts.nulls() == {"first"}
    assert parts.slice(5, 50).equals(whole.slice(5, 50)) and parts.slice(5, 50).nbytes == whole.slice(5, 50).nbytes


def test_pairs_published_in_parts_are_the_files_rows_and_answers_of_the_whole_table(tmp_path, monkeypatch):
    """to_arrow(in_parts) hands a large copies table over as a TableParts; its checks, row
    hashes and files (parts of months cut by rows and bytes, row groups by bytes) are those of
    the whole table, made a run at a time."""
    from crosswire import validate
    from crosswire.tableparts import TableParts

    monkeypatch.setenv("CROSSWIRE_PARTITION_ROWS", "700")
    monkeypatch.setenv("CROSSWIRE_PARTITION_BYTES", "60000")
    monkeypatch.setenv("CROSSWIRE_ROW_GROUP_BYTES", "9000")
    spec = TABLES["copies"]
    monkeypatch.setattr(validate, "CHECK_ROWS", 900)
    pairs = _pairs(150, 4000, seed=13)
    ends = np.unique(np.sort(np.stack([pairs.a, pairs.b], 1), 1), axis=0, return_index=True)[1]  # each pair once
    pairs = CopyPairs(pairs.ids, pairs.a[ends], pairs.b[ends], pairs.common[ends], pairs.sizes, pairs.source,
                      [None if p is None else p.replace("-03-0", f"-0{1 + i % 5}-0")
                       for i, p in enumerate(pairs.published)])   # five months and undated
    whole, parts = publish.to_arrow(spec, pairs), publish.to_arrow(spec, pairs, in_parts=True)
    assert isinstance(parts, TableParts) and isinstance(publish.to_arrow(spec, _pairs(20, 30, 1), True), pa.Table)
    keys = publish.sort_keys(spec)
    entries, hashes = {}, {}
    for label, table in (("whole", whole), ("parts", parts)):
        hashing = validate.RowHashing(spec.primary_key)
        (tmp_path / label).mkdir()
        entries[label] = publish.write_table(table, tmp_path / label, "copies", keys, publish.part_column(spec),
                                             seen=hashing.add, then=publish.part_then(spec))
        hashes[label] = hashing.hashes()
    assert entries["parts"] == entries["whole"] and len(entries["whole"]["parts"]) > 6
    assert [(x["rows"]) for x in entries["whole"]["parts"]] == \
        [n for _, n in publish.part_bounds(whole, "last_published", "source_a")]
    # the undated pairs: parts of one outlet (source_a) each
    undated = [pq.read_table(tmp_path / "whole" / x["path"], columns=["last_published", "source_a"])
               for x in entries["whole"]["parts"]]
    undated = [t for t in undated if t.column("last_published").null_count]
    assert all(t.column("last_published").null_count == t.num_rows for t in undated)
    outlets = [set(t.column("source_a").to_pylist()) for t in undated]
    assert all(len(o) == 1 for o in outlets) and len(set.union(*outlets)) > 1
    assert hashes["parts"] == hashes["whole"] == validate.row_hashes(whole, spec.primary_key)
    assert validate.validate_tables({"copies": parts}, only={"copies"}) == []
    twice = _duplicated(pairs, 17)
    errors = validate.validate_tables({"copies": publish.to_arrow(spec, twice, True)}, only={"copies"})
    assert errors and errors == validate.validate_tables({"copies": publish.to_arrow(spec, twice)}, only={"copies"})
    assert parts.whole().equals(whole)


def test_rows_taken_by_place_from_a_table_in_parts_are_the_whole_tables(monkeypatch):
    """TableParts.take and filter (what planning against a previous release asks of the rows
    added or changed) give the whole table's values, from a maker that makes rows at places
    (CopyPairs) and from one that makes ranges only (blocks of them)."""
    from crosswire import tableparts
    from crosswire.tableparts import TableParts

    pairs = _pairs(150, 3000, seed=21)
    by = publish.sort_keys(TABLES["copies"])
    whole = pairs.arrow_table(SCHEMA, by)
    made = pairs.arrow_rows(SCHEMA, by)
    monkeypatch.setattr(tableparts, "BLOCK_ROWS", 64)
    ranges_only = TableParts(SCHEMA, len(pairs), lambda start, stop, names=None: made(start, stop, names))
    for parts in (TableParts(SCHEMA, len(pairs), made), ranges_only):
        for at in ([], [0], [5, 6, 7, 64, 700, len(pairs) - 1], list(range(0, len(pairs), 97))):
            got = parts.take(np.array(at, np.int64))
            assert got.schema.equals(SCHEMA) and got.to_pylist() == whole.take(pa.array(at, pa.int64())).to_pylist()
        mask = pa.compute.is_in(whole["article_a"], value_set=pa.array(sorted(set(whole["article_a"].to_pylist()))[:4]))
        assert 0 < pa.compute.sum(mask).as_py() < len(pairs)
        assert parts.filter(mask).to_pylist() == whole.filter(mask).to_pylist()


def test_rows_made_out_of_order_are_not_published(tmp_path, monkeypatch):
    from crosswire.tableparts import TableParts

    monkeypatch.setenv("CROSSWIRE_PARTITION_ROWS", "100")
    spec = TABLES["copies"]
    pairs = _pairs(100, 600, seed=14)
    backwards = pairs.arrow_table(SCHEMA, publish.sort_keys(spec)).take(np.arange(len(pairs))[::-1])
    parts = TableParts(SCHEMA, len(pairs), lambda start, stop, names=None: backwards.slice(start, stop - start)
                       .select(names or SCHEMA.names))
    with pytest.raises(publish.PublishError, match="out of the order"):
        publish.write_table(parts, tmp_path, "copies", publish.sort_keys(spec), publish.part_column(spec))


def test_membership_of_a_pairs_end_is_answered_without_making_the_column():
    """TableParts.is_in over an article or outlet column of the copies table (what the
    settled pairs and the reference checks ask of a million pairs) is pc.is_in over the
    whole table's column, answered by the maker from its articles, the column never made;
    another column is made and asked."""
    from crosswire.tableparts import TableParts, is_in
    from schemas.relations import check_relations

    pairs = _pairs(150, 3000, seed=22)
    by = publish.sort_keys(TABLES["copies"])
    whole = pairs.arrow_table(SCHEMA, by)
    made = pairs.arrow_rows(SCHEMA, by)
    asked = []

    def rows(start, stop, names=None):
        asked.append(tuple(names or ()))
        return made(start, stop, names)
    rows.is_in = getattr(made, "is_in", None)  # the maker's answer, when it has one
    parts = TableParts(SCHEMA, len(pairs), rows)
    some_ids = pa.array(sorted(set(whole["article_a"].to_pylist()))[::3])
    some_outlets = pa.array(sorted(set(whole["source_b"].to_pylist()))[:2])
    for name, values in (("article_a", some_ids), ("article_b", some_ids), ("source_a", some_outlets),
                         ("source_b", some_outlets)):
        got = is_in(parts, name, values)
        assert 0 < pa.compute.sum(got).as_py() < len(pairs)
        assert got.to_pylist() == pa.compute.is_in(whole[name], value_set=values).to_pylist(), name
    assert asked == []
    first = pa.array(sorted(set(whole["first"].drop_null().to_pylist()))[:5])
    assert is_in(parts, "first", first).to_pylist() == pa.compute.is_in(whole["first"], value_set=first).to_pylist()
    assert asked == [("first",)]
    # a pair naming an article the articles table lacks: the same error, whole or in parts
    articles = pa.table({"article_id": pa.array(pairs.ids[1:], pa.string())})
    errors = check_relations({"copies": parts, "articles": articles})
    assert errors == check_relations({"copies": whole, "articles": articles}) and "copies.article_" in errors[0]
    assert check_relations({"copies": parts, "articles": pa.table({"article_id": pa.array(pairs.ids)})}) == []
