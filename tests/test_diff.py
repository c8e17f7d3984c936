"""`crosswire diff` and crosswire.diff: rows added, removed and changed by primary key,
schema changes and examples, on hand-made releases; and on two releases the flow makes
from a small corpus of our own (tests/corpora/ferry), where the diff must agree with the
manifest's counts and feed the CHANGELOG."""
import json
import shutil
from pathlib import Path

import pyarrow as pa
import pytest

from crosswire import cli, load
from crosswire.diff import diff_releases, format_diff
from test_load import KEYS, OUTLETS, PIECES, make_release

FERRY = Path(__file__).parent / "corpora" / "ferry"


@pytest.fixture
def two(tmp_path):
    before = PIECES
    # art_1 retitled, art_2 unchanged, art_3 gone, art_4 new; `words` becomes a float and a
    # `section` column arrives; `sources` is the same table in both
    after = pa.table({
        "article_id": ["art_1", "art_2", "art_4"],
        "source_id": ["harbour-post", "lantern", "harbour-post"],
        "title": ["Bridge shut for a month", "Mayor backs bridge plan", "Ferry returns"],
        "words": [310.0, 540.0, 200.0],
        "section": ["news", "news", "news"],
    })
    a = make_release(tmp_path, "1.0.0", {"sources": OUTLETS, "articles": before}, KEYS)
    b = make_release(tmp_path, "2.0.0", {"sources": OUTLETS, "articles": after,
                                         "tolls": pa.table({"toll_id": ["t1"], "fare": [2.5]})},
                     {**KEYS, "tolls": "toll_id"})
    return a, b


def test_rows_added_removed_and_changed_by_key_with_examples(two):
    d = diff_releases(*two)
    art = d["tables"]["articles"]
    assert (art["added"], art["removed"], art["changed"]) == (1, 1, 2)
    assert art["status"] == "changed" and art["rows"] == {"before": 3, "after": 3}
    # art_1: its title; both: the new column, and `words` now a float (540.0 is not 540, as
    # the manifest counts changes)
    assert art["changed_columns"] == {"section": 2, "words": 2, "title": 1}
    assert [e["key"] for e in art["examples"]["added"]] == ["art_4"]
    assert art["examples"]["removed"][0] == {"key": "art_3", "row": {"source_id": "lantern",
                                                                     "title": "Tolls to rise", "words": 120}}
    # examples show changed values; the new column is said once, as a schema change
    assert art["examples"]["changed"] == [
        {"key": "art_1", "columns": {"title": ["Bridge shut for repairs", "Bridge shut for a month"],
                                     "words": [310, 310.0]}},
        {"key": "art_2", "columns": {"words": [540, 540.0]}}]


def test_schema_changes_and_tables_added(two):
    d = diff_releases(*two)
    assert d["tables"]["articles"]["schema"] == {"added": [["section", "string"]], "removed": [],
                                                 "retyped": [["words", "int64", "double"]]}
    assert d["tables"]["tolls"]["status"] == "added" and d["tables"]["tolls"]["added"] == 1
    back = diff_releases(two[1], two[0])
    assert back["tables"]["tolls"]["status"] == "removed" and back["tables"]["tolls"]["removed"] == 1
    assert back["tables"]["articles"]["schema"]["removed"] == [["section", "string"]]


def test_a_table_the_manifests_show_unchanged_is_not_read(two):
    for folder in two:
        (folder / "sources.parquet").unlink()   # were it read, this would fail
    got = diff_releases(*two)["tables"]["sources"]
    assert got["status"] == "same" and (got["added"], got["removed"], got["changed"]) == (0, 0, 0)


def test_the_text_names_counts_schema_changes_and_examples(two):
    text = format_diff(diff_releases(*two))
    assert "| articles | 3 | 3 | 1 | 1 | 2 |" in text
    assert "| tolls (added) | 0 | 1 | 1 | 0 | 0 |" in text
    assert "- column retyped: `words` int64 -> double" in text
    assert "- removed `art_3`: source_id='lantern', title='Tolls to rise', words=120" in text
    assert "- changed `art_1`: `title` 'Bridge shut for repairs' -> 'Bridge shut for a month'" in text
    assert "### sources" not in text                        # nothing to say about it


def test_the_command_takes_versions_or_folders_text_or_json(two, capsys):
    datasets = two[0].parent
    assert cli.main(["diff", "v1.0.0", "2.0.0", "--datasets", str(datasets)]) == 0
    assert "| articles | 3 | 3 | 1 | 1 | 2 |" in capsys.readouterr().out
    assert cli.main(["diff", str(two[0]), "latest", "--datasets", str(datasets), "--json"]) == 0
    got = json.loads(capsys.readouterr().out)
    assert got["from"]["version"] == "1.0.0" and got["to"]["version"] == "2.0.0"
    assert cli.main(["diff", "v1.0.0", "v3.0.0", "--datasets", str(datasets)]) == 1
    assert "v3.0.0" in capsys.readouterr().err


# ---- on releases the flow makes --------------------------------------------------------

@pytest.fixture(scope="module")
def ferry_releases(prefect_harness, tmp_path_factory):
    """v1.0.0 of the ferry corpus, then a release without the Courier's article and with a
    sentence added to the Ledger's."""
    raw = tmp_path_factory.mktemp("ferry-raw") / "raw"
    shutil.copytree(FERRY, raw)
    datasets = raw.parent / "datasets"
    assert cli.main(["run", "--raw", str(raw), "--datasets", str(datasets)]) == 0
    for f in (raw / "courier").glob("halden-queues.*"):
        f.unlink()
    ledger = raw / "ledger" / "strait-ferries-idle.txt"
    ledger.write_text(ledger.read_text(encoding="utf-8").rstrip("\n")
                      + "\n\nThe Ledger will update this report as talks continue.\n", encoding="utf-8")
    assert cli.main(["run", "--raw", str(raw), "--datasets", str(datasets)]) == 0
    return datasets


def test_the_diff_agrees_with_the_counts_the_release_was_versioned_by(ferry_releases):
    old, new = load.published(ferry_releases)
    d = diff_releases(old, new)
    changes = load.Release(new).manifest["changes"]
    for name, t in d["tables"].items():
        assert {k: t[k] for k in ("added", "removed", "changed")} == changes[name], name
    assert d["tables"]["articles"]["removed"] >= 1
    gone = {e["key"] for e in d["tables"]["articles"]["examples"]["removed"]}
    assert gone <= set(load.Release(old).arrow("articles")["article_id"].to_pylist())


def test_the_changelog_carries_the_diff(ferry_releases):
    old, new = load.published(ferry_releases)
    log = (ferry_releases / "CHANGELOG.md").read_text(encoding="utf-8")
    newest = log.split(f"## {old.name} (")[0]
    assert newest.startswith("# Data releases") and f"## {new.name} (" in newest
    assert "### articles" in newest and "- removed `art_" in newest
    assert "### articles" not in log.split(f"## {old.name} (")[1]   # a first release has no diff


def test_a_fresh_release_records_the_code_s_stage_versions(ferry_releases, capsys):
    from crosswire import __version__
    from flows.release import stage_versions

    code = load.release(datasets=ferry_releases).manifest["code"]
    assert code["version"] == __version__ and code["stages"] == stage_versions()
    with pytest.raises(SystemExit) as e:
        cli.main(["--version"])
    assert e.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith(f"crosswire {__version__} ")
    assert all(v in out for v in stage_versions().values())


def test_every_reader_reads_every_table_and_the_view_of_a_fresh_release(ferry_releases):
    r = load.release(datasets=ferry_releases)
    for name in r.tables:
        n = r.manifest["tables"][name]["rows"]
        assert r.arrow(name).num_rows == r.pandas(name).shape[0] == r.polars(name).height == n, name
        assert r.duckdb(name).columns == r.columns(name)
    view = r.pandas("statement_view")
    assert set(view["statement_id"]) == set(r.arrow("statements")["statement_id"].to_pylist())
    agreements = r.sql("SELECT g.source_a, a.source_id FROM agreements g "
                       "JOIN statements a ON a.statement_id = g.statement_a").fetchall()
    assert agreements and all(x == y for x, y in agreements)


def test_one_list_type_spelt_two_ways_is_not_a_schema_change():
    from crosswire.diff import schema_changes

    before = {"columns": [["authors", "list<item: string>", False]]}
    after = {"columns": [["authors", "list<element: string>", False]]}
    assert schema_changes(before, after) == {"added": [], "removed": [], "retyped": []}


def test_the_column_wise_diff_counts_as_the_row_wise_one():
    """Two tables of one schema: the Arrow comparison by column (the fast path) gives the
    counts, changed columns and examples that serialising every row gives, with nulls,
    -0.0 against 0.0, NaN, lists and structs among the values."""
    import math

    from crosswire import diff

    kinds = pa.schema([("k", pa.string()), ("n", pa.int64()), ("x", pa.float64()), ("t", pa.string()),
                       ("tags", pa.list_(pa.string())), ("s", pa.struct([("a", pa.float64()), ("b", pa.string())])),
                       ("when", pa.timestamp("us", tz="UTC"))])
    import datetime as dt
    t0 = dt.datetime(2026, 4, 1, tzinfo=dt.timezone.utc)
    old = pa.Table.from_pylist([
        {"k": "r1", "n": 1, "x": 0.0, "t": "a", "tags": ["p"], "s": {"a": 0.0, "b": "u"}, "when": t0},
        {"k": "r2", "n": None, "x": math.nan, "t": None, "tags": None, "s": None, "when": None},
        {"k": "r3", "n": 3, "x": 1.5, "t": "c", "tags": [], "s": {"a": 1.0, "b": None}, "when": t0},
        {"k": "r4", "n": 4, "x": 2.5, "t": "d", "tags": ["q", "r"], "s": {"a": 2.0, "b": "v"}, "when": t0},
        {"k": "r5", "n": 5, "x": None, "t": "e", "tags": ["z"], "s": {"a": -0.0, "b": "w"}, "when": t0},
    ], schema=kinds)
    new = pa.Table.from_pylist([
        {"k": "r6", "n": 6, "x": 6.0, "t": "f", "tags": ["n"], "s": {"a": 6.0, "b": "x"}, "when": t0},
        {"k": "r5", "n": 5, "x": None, "t": "e", "tags": ["z"], "s": {"a": 0.0, "b": "w"}, "when": t0},
        {"k": "r4", "n": 4, "x": 2.5, "t": "d", "tags": ["q", "r"], "s": {"a": 2.0, "b": "v"}, "when": t0},
        {"k": "r3", "n": None, "x": 1.5, "t": "C", "tags": [], "s": {"a": 1.0, "b": None},
         "when": t0 + dt.timedelta(seconds=1)},
        {"k": "r2", "n": None, "x": math.nan, "t": None, "tags": None, "s": None, "when": None},
        {"k": "r1", "n": 1, "x": -0.0, "t": "a", "tags": ["p", "p"], "s": {"a": 0.0, "b": "u"}, "when": t0},
    ], schema=kinds)

    def blank():
        return {"status": "same", "added": 0, "removed": 0, "changed": 0, "changed_columns": {},
                "schema": {"added": [], "removed": [], "retyped": []}, "examples": {}}

    fast = diff._same_schema_diff(blank(), old, new, "k", 3)
    slow = diff._rows_diff(blank(), diff._keyed(old, "k"), diff._keyed(new, "k"), "k", 3)
    assert json.dumps(fast, sort_keys=True, default=str) == json.dumps(slow, sort_keys=True, default=str)
    assert (fast["added"], fast["removed"], fast["changed"]) == (1, 0, 3)
    assert fast["changed_columns"] == {"n": 1, "s": 1, "t": 1, "tags": 1, "when": 1, "x": 1}


def test_the_diff_read_a_row_group_at_a_time_from_files_is_the_one_of_whole_tables(tmp_path):
    """file_row_changes (what planning uses: the old table's files read one column of one
    row group at a time) gives what row_changes gives over the whole tables, with the old
    table in two files of several row groups, rows moved between groups, added and removed."""
    import pyarrow.parquet as pq

    from crosswire import diff

    kinds = pa.schema([("k", pa.string()), ("n", pa.int64()), ("x", pa.float64()), ("t", pa.string()),
                       ("tags", pa.list_(pa.string()))])
    old = pa.Table.from_pylist([{"k": f"r{i:03d}", "n": i, "x": i / 2, "t": f"line {i}", "tags": [str(i)] * (i % 3)}
                                for i in range(40)], schema=kinds)
    rows = old.to_pylist()[5:] + [{"k": "r999", "n": 1, "x": 0.5, "t": "new", "tags": []}]
    rows[3]["t"] = "edited"          # r008
    rows[20]["x"] = -0.0 if rows[20]["x"] == 0 else rows[20]["x"] + 1  # r025
    rows[30]["tags"] = None          # r035
    new = pa.Table.from_pylist(list(reversed(rows)), schema=kinds)
    files = [tmp_path / "part-0.parquet", tmp_path / "part-1.parquet"]
    pq.write_table(old.slice(0, 25), files[0], row_group_size=7)
    pq.write_table(old.slice(25), files[1], row_group_size=4)
    assert pq.ParquetFile(files[0]).num_row_groups > 1 and pq.ParquetFile(files[1]).num_row_groups > 1

    got = diff.file_row_changes(files, new, "k")
    assert got == diff.row_changes(old, new, "k")
    added, removed, changed, by_column = got
    assert added == ["r999"]
    assert removed == [f"r{i:03d}" for i in range(5)]
    assert changed == ["r008", "r025", "r035"]
    assert by_column == {"t": 1, "x": 1, "tags": 1}


def test_floats_and_lists_compared_in_arrow_differ_where_their_serialised_values_do():
    """_column_differs' numpy paths for float and list columns against the rule they stand
    for (the values serialise differently), on the cases where bits and text part ways."""
    import math

    from crosswire import diff
    from crosswire.rowdigests import serialised

    nan, neg_nan = math.nan, -math.nan
    floats = [(0.0, -0.0), (nan, nan), (nan, neg_nan), (nan, None), (None, None), (None, 0.0), (1.5, 1.5),
              (math.inf, math.inf), (math.inf, -math.inf), (0.1 + 0.2, 0.3), (5e-324, 0.0)]
    lists = [(["q", "r"], ["q", "s"]), (["q", "r"], ["q", "r"]), (None, []), ([], []), (None, None),
             (["a", None], ["a", None]), (["a", None], ["a", ""]), (["x"], ["x", "x"]), ([], ["y"]),
             (["b", "c"], ["b", "c"])]
    float_lists = [([0.0], [-0.0]), ([nan, 1.0], [nan, 1.0]), ([None], [0.0]), ([2.0, 3.0], [2.0, 3.0])]
    for kind, pairs in ((pa.float64(), floats), (pa.float32(), floats[:8]), (pa.list_(pa.string()), lists),
                        (pa.list_(pa.float64()), float_lists)):
        old = pa.chunked_array([pa.array([a for a, _ in pairs[:3]], kind), pa.array([a for a, _ in pairs[3:]], kind)])
        new = pa.array([b for _, b in pairs], kind)
        want = [serialised(a) != serialised(b) for a, b in zip(old.to_pylist(), new.to_pylist())]
        assert diff._column_differs(old, new).tolist() == want, kind


def test_planning_tells_whether_the_new_keys_are_each_there_once(tmp_path):
    """file_row_changes' facts["unique"]: true for a new table whose keys are each once, false
    when a key is given twice, whether it is a published key or a new one."""
    import pyarrow.parquet as pq

    from crosswire import diff

    kinds = pa.schema([("k", pa.string()), ("n", pa.int64())])
    old = pa.Table.from_pylist([{"k": f"r{i:02d}", "n": i} for i in range(20)], schema=kinds)
    files = [tmp_path / "old.parquet"]
    pq.write_table(old, files[0], row_group_size=6)

    def unique(rows) -> bool:
        facts = {}
        diff.file_row_changes(files, pa.Table.from_pylist(rows, schema=kinds), "k", facts=facts)
        return facts["unique"]

    rows = old.to_pylist()[2:] + [{"k": "r50", "n": 50}]
    assert unique(rows) and unique(old.to_pylist())
    assert not unique(rows + [{"k": "r07", "n": 70}])           # a published key again
    assert not unique([rows[3]] + rows)                          # the same row twice
    assert not unique(rows + [{"k": "r50", "n": 51}])           # a new key twice
