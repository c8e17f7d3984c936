"""Publishing without holding every table twice: rows converted to Arrow a batch at a time,
Parquet written a row group at a time, checks made a slice at a time -- and the same bytes,
rows and answers as doing each at once."""
from datetime import datetime, timezone

import pyarrow as pa
import pytest
import pyarrow.parquet as pq

from crosswire import publish, rowcheck, validate
from schemas import TABLES
from schemas.articles import text_sha256


def article(n: int, sid: str = "herald") -> dict:
    text = f"Article {n} reports what the council decided on the ring road. " * (1 + n % 4)
    return {"article_id": f"art_{n:016x}", "source_id": sid, "raw_path": f"{sid}/a{n}.txt",
            "raw_sha256": f"{n:064x}", "url": None, "title": f"Council decision {n}", "standfirst": None,
            "summary": None, "authors": ["A. Writer"] if n % 3 else [],
            "published": None if n % 5 == 0 else datetime(2025, 3, 1 + n % 27, 8, tzinfo=timezone.utc),
            "language": "en", "text": text, "text_sha256": text_sha256(text), "word_count": len(text.split()),
            "removed": ["Advertisement"] if n % 2 else [], "captions": [], "event_id": f"evt_{n % 4:016x}",
            "cleaning_skipped": []}


ARTS = [article(n, ("herald", "wire", "post")[n % 3]) for n in range(57)]


def whole_table(rows: list[dict]) -> pa.Table:
    """What publish made before it converted in batches: one from_pylist of every row."""
    spec = TABLES["articles"]
    names = spec.arrow_schema.names
    table = pa.Table.from_pylist([{n: r.get(n) for n in names} for r in rows], schema=spec.arrow_schema)
    return publish.order_rows(table, publish.sort_keys(spec))


def test_rows_converted_in_batches_give_the_table_one_conversion_gives(monkeypatch):
    monkeypatch.setattr(publish, "ARROW_BATCH_ROWS", 10)  # six batches, the last one short
    got = publish.to_arrow(TABLES["articles"], iter(reversed(ARTS)))  # an iterator: never a list here
    assert got.equals(whole_table(ARTS))
    assert got.column("article_id").num_chunks == 1
    # an Arrow table of the published schema goes through in the published order
    assert publish.to_arrow(TABLES["articles"], got.slice(0).take(list(range(56, -1, -1)))).equals(got)
    assert publish.to_arrow(TABLES["articles"], []).num_rows == 0


def test_row_groups_written_one_at_a_time_are_the_bytes_of_one_write(tmp_path, monkeypatch):
    monkeypatch.setenv("CROSSWIRE_ROW_GROUP_BYTES", "3000")
    table = whole_table(ARTS)
    keys = publish.sort_keys(TABLES["articles"])
    for name, t in (("many", table), ("empty", table.slice(0, 0)), ("one", table.slice(0, 1))):
        publish.write_parquet(t, tmp_path / f"{name}.parquet", keys)
        sorting = pq.SortingColumn.from_ordering(t.schema, [(k, "ascending") for k in keys], null_placement="at_end")
        pq.write_table(t, tmp_path / f"{name}-at-once.parquet", compression="zstd", compression_level=3,
                       row_group_size=publish.row_group_rows(t), use_dictionary=True, write_statistics=True,
                       write_page_index=True, store_schema=True, sorting_columns=sorting)
        assert (tmp_path / f"{name}.parquet").read_bytes() == (tmp_path / f"{name}-at-once.parquet").read_bytes()
    assert pq.ParquetFile(tmp_path / "many.parquet").metadata.num_row_groups > 3


def test_take_tables_empties_the_rows_it_converts():
    rows = {"articles": list(ARTS), "sources": [{"source_id": s, "name": s.title(), "homepage": "https://x.example",
                                                 "country": "GB", "language": "en", "kind": "regional"}
                                                for s in ("herald", "wire", "post")]}
    expected = publish.build_tables(dict(rows))
    got = publish.take_tables(rows)
    assert rows == {}
    assert set(got) == set(TABLES) and all(got[n].equals(expected[n]) for n in TABLES)
    # publish takes the tables as they are and finds each article's raw file in them
    inputs = publish.with_article_inputs([], got["articles"])
    assert inputs == publish.with_article_inputs([], ARTS) and len(inputs) == len(ARTS)


def test_row_checks_and_row_hashes_in_slices_find_what_one_pass_finds(monkeypatch):
    bad = [dict(a) for a in ARTS]
    bad[3]["language"] = "not a language tag"
    bad[44]["word_count"] = "many"                     # does not convert to the schema
    at_once = rowcheck.failing_articles("articles", bad)
    monkeypatch.setattr(rowcheck, "CHECK_ROWS", 7)
    assert rowcheck.failing_articles("articles", bad) == at_once
    assert set(at_once) == {bad[3]["article_id"], bad[44]["article_id"]}

    table = whole_table(ARTS)
    whole = validate.row_hashes(table, "article_id")
    monkeypatch.setattr(validate, "HASH_ROWS", 5)
    assert validate.row_hashes(table, "article_id") == whole and len(whole) == len(ARTS)


def test_the_shallow_check_of_a_release_keeps_one_tables_rows_at_a_time(tmp_path):
    srcs = [{"source_id": s, "name": s.title(), "homepage": "https://x.example", "country": "GB",
             "language": "en", "kind": "regional"} for s in ("herald", "wire", "post")]
    arts = [dict(a, event_id=None) for a in ARTS]  # no events table here
    release, _ = publish.publish({"sources": srcs, "articles": arts}, tmp_path, inputs=[], rejected=[],
                                 code={"version": "test"})
    problems, tables = validate.inspect_release(release, deep=False, rows=False)
    assert problems == [] and tables["sources"].num_rows == 3
    assert tables["articles"].num_rows == 0 and tables["articles"].schema == TABLES["articles"].arrow_schema
    assert validate.inspect_release(release, deep=False)[1]["articles"].num_rows == len(ARTS)
    # still a check of the files: a table whose bytes changed is found
    path = release / "data" / "articles.parquet"
    path.chmod(0o644)
    pq.write_table(pq.read_table(path).slice(1), path)
    assert any("articles" in p for p in validate.validate_release(release, deep=False))


def test_rows_already_in_order_are_told_without_sorting_and_keep_their_order():
    """in_order (order_rows's test before sorting) agrees with a sort on every permutation of
    rows with nulls and ties on the first keys; order_rows's answer is the sorted table either way."""
    import itertools

    import pyarrow.compute as pc

    when = datetime(2025, 3, 1, tzinfo=timezone.utc)
    rows = [{"s": "a", "d": when, "k": "1"}, {"s": "a", "d": None, "k": "2"}, {"s": "b", "d": when, "k": "0"},
            {"s": None, "d": when, "k": "3"}, {"s": "a", "d": when, "k": "4"}]
    keys = ["s", "d", "k"]
    for perm in itertools.permutations(rows):
        table = pa.Table.from_pylist(list(perm))
        idx = pc.sort_indices(table, sort_keys=[(k, "ascending") for k in keys])
        assert publish.in_order(table, keys) == (idx.to_pylist() == list(range(len(rows))))
        assert publish.order_rows(table, keys).equals(table.take(idx))
    assert publish.order_rows(pa.Table.from_pylist(rows[:1]), keys).num_rows == 1


def _dict_hashes(table: pa.Table, key: str) -> dict[str, str]:
    """Row hashes as a dict of hex strings: what planning kept before RowHashes."""
    import hashlib
    import json

    return {r[key]: hashlib.sha256(json.dumps(r, sort_keys=True, default=str, ensure_ascii=False).encode()).hexdigest()
            for r in table.to_pylist()}


def test_compact_row_hashes_give_the_dicts_answers():
    import hashlib

    table = whole_table(ARTS)
    compact, plain = validate.row_hashes(table, "article_id"), _dict_hashes(table, "article_id")
    assert compact.as_dict() == plain and list(compact.table["key"].to_pylist()) == sorted(plain)
    # the content digest of the manifest: "key:hex\n" in key order
    text = "".join(f"{k}:{v}\n" for k, v in sorted(plain.items()))
    assert compact.content_digest() == hashlib.sha256(text.encode()).hexdigest()
    assert validate.content_digest(table, "article_id") == compact.content_digest()
    # an update as planning makes it: rows removed, changed and added
    edited = [dict(a) for a in ARTS[5:]] + [article(90, "wire")]
    edited[0] = dict(edited[0], title="A corrected headline")
    new = whole_table(edited)
    gone = [a["article_id"] for a in ARTS[:5]]
    fresh = validate.row_hashes(new.filter(pa.compute.is_in(new["article_id"], value_set=pa.array(
        [edited[0]["article_id"], article(90)["article_id"]]))), "article_id")
    updated = compact.without(gone).merged(fresh)
    assert updated == _dict_hashes(new, "article_id") == validate.row_hashes(new, "article_id")
    added, removed, changed = compact.changes(updated)
    assert (added, sorted(removed), changed) == ([article(90)["article_id"]], sorted(gone), [edited[0]["article_id"]])
    # what the cache keeps reads back the same; other bytes read as nothing
    assert validate.RowHashes.from_bytes(updated.to_bytes()) == updated
    assert validate.RowHashes.from_bytes(b"not arrow") is None


def test_a_few_row_hashes_placed_by_search_are_those_a_sort_places(monkeypatch):
    """RowHashes.merged of a few hashes into many (binary search, slices) gives the table a
    sort gives: keys before, between, after and equal to the many, non-ASCII ones too."""
    import hashlib
    import random

    def hashes(keys, salt=""):
        return validate.RowHashes.of([pa.array(keys, pa.string())],
                                     b"".join(hashlib.sha256((k + salt).encode()).digest() for k in keys))
    rng = random.Random(7)
    many = [f"k{rng.random():.9f}" + ("\u00e9" if i % 5 == 0 else "") for i in range(3000)]
    few = ["a", "k", "k\u00e9", "zz", many[0], many[1500], many[-1]] + [f"k{rng.random():.9f}" for _ in range(20)]
    base, update = hashes(many), hashes(few, salt="new")
    assert len(update) * validate.MERGE_BY_SEARCH < len(base)
    searched = base.merged(update)
    monkeypatch.setattr(validate, "MERGE_BY_SEARCH", 10 ** 9)  # never by search: concatenated and sorted
    assert searched == base.merged(update) and len(searched) == len(set(many) | set(few))
    assert searched.as_dict()[many[1500]] == update.as_dict()[many[1500]]


def test_a_few_keys_removed_by_search_leave_what_is_in_leaves(monkeypatch):
    """RowHashes.without of a few keys (binary search, the rest kept as slices) leaves the rows
    Arrow's is_in leaves: keys at the ends, absent ones, repeated ones, a list or an array,
    and again on what it left (slices of slices), then merged."""
    import hashlib
    import random

    rng = random.Random(11)
    many = sorted({f"k{rng.random():.9f}" + ("\u00e9" if i % 7 == 0 else "") for i in range(2000)})
    base = validate.RowHashes.of([pa.array(many, pa.string())],
                                 b"".join(hashlib.sha256(k.encode()).digest() for k in many))
    gone = [many[0], many[-1], many[999], many[999], "absent", "a", "zz", many[1000]]
    second = pa.array([many[1], many[998], many[1001], "k"], pa.string())
    fresh = validate.RowHashes.of([pa.array(["k", many[500], "zzz"], pa.string())], bytes(96))
    searched = base.without(gone).without(second).merged(fresh)
    assert len(searched) == len(many) - 7 + 2 and searched.table["key"].to_pylist() == sorted(searched.as_dict())
    monkeypatch.setattr(validate, "MERGE_BY_SEARCH", 10 ** 9)  # never by search: is_in, sorted
    assert searched == base.without(gone).without(second).merged(fresh)
    assert base.without([]) is base and base.without(["absent"]) == base


def test_a_key_hashed_twice_keeps_its_last_row_as_a_dict_would():
    keys = [pa.array(["b", "a"]), pa.array(["b"])]
    got = validate.RowHashes.of(keys, bytes([1]) * 32 + bytes([2]) * 32 + bytes([3]) * 32)
    assert got.as_dict() == {"a": bytes([2] * 32).hex(), "b": bytes([3] * 32).hex()}


def test_compact_row_hashes_take_a_fraction_of_a_dicts_memory():
    import sys

    table = whole_table([article(n, ("herald", "wire", "post")[n % 3]) for n in range(2000)])
    compact, plain = validate.row_hashes(table, "article_id"), _dict_hashes(table, "article_id")
    dict_bytes = sys.getsizeof(plain) + sum(sys.getsizeof(k) + sys.getsizeof(v) for k, v in plain.items())
    assert compact.table.nbytes * 3 < dict_bytes


@pytest.mark.parametrize("values, repeated", [
    ([], []),
    (["a"], []),
    (["b", "a", "c"], []),
    (["b", "a", "b", "c", "a", "b"], ["a", "b"]),
    ([None, "a", None], []),                  # nulls are not values a key repeats
    ([3, 1, 3, 2, 1], [1, 3]),
])
def test_repeated_values_are_found_by_sorting(values, repeated):
    kind = pa.array(values).type if any(v is not None for v in values) else pa.string()
    got = validate.repeated_values(pa.chunked_array([pa.array(values[:2], kind), pa.array(values[2:], kind)]))
    assert got.to_pylist() == repeated


def test_a_repeated_null_key_keeps_its_last_row_as_a_dict_would():
    keys = [pa.array([None, "a", None], pa.string())]
    got = validate.RowHashes.of(keys, bytes([1]) * 32 + bytes([2]) * 32 + bytes([3]) * 32)
    assert got.table["key"].to_pylist() == ["a", None]
    assert [d.hex() for d in got.table["digest"].to_pylist()] == [bytes([2] * 32).hex(), bytes([3] * 32).hex()]


def test_a_repeated_key_is_a_uniqueness_error_naming_the_value(monkeypatch):
    monkeypatch.setattr(validate, "CHECK_ROWS", 2)  # pandera sees slices: uniqueness is ours
    table = whole_table([article(n, "herald") for n in range(3)])
    doubled = pa.concat_tables([table, table.slice(1, 1)])
    errors = validate.validate_tables({"articles": doubled}, only={"articles"})
    assert "articles.article_id: 1 value(s) fail field_uniqueness (e.g. 'art_0000000000000002')" in errors, errors
