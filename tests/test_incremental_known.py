"""An added article costs its own reading: ingest does not read the files whose stats did not
move since the last run, and the articles the last run indexed (crosswire.articleindex) are
not read back from the cache nor checked again; the release is byte for byte the one a run
from scratch makes (issue 11, "Re-runs"). A damaged cache entry behind the index is computed
again, as it is without the index."""
import shutil
from pathlib import Path

import pytest
from test_incremental_publish import released_without

from crosswire import cache, cli, ingest, rowcheck, unchanged

PRESSER = Path(__file__).parent / "corpora" / "presser"
LATE = "eveningstar/door-open.txt"


def run(raw, datasets, *extra):
    return cli.main(["run", "--raw", str(raw), "--datasets", str(datasets), *extra])


def data_files(release: Path) -> dict[str, bytes]:
    return {p.relative_to(release).as_posix(): p.read_bytes() for p in sorted((release / "data").rglob("*.parquet"))}


@pytest.fixture
def added(prefect_harness, tmp_path, monkeypatch):
    """(raw, datasets, spies): the presser corpus released without LATE, LATE back in raw, and
    what the next run reads (files read by ingest, rows given the article row check,
    statements extracted)."""
    monkeypatch.setattr(unchanged, "RACY_NS", 0)  # the files were copied a moment ago: trust their stats
    raw, datasets = released_without(PRESSER, LATE, tmp_path)
    spies = {"read": [], "checked": [], "extracted": []}
    real_read, real_check = ingest.read_article, rowcheck.failing_articles

    def reading(raw_root, path, *a, **k):
        spies["read"].append(Path(path).relative_to(raw_root).as_posix())
        return real_read(raw_root, path, *a, **k)

    def checking(table, rows, *a, **k):
        if table == "articles":
            spies["checked"] += [r["raw_path"] for r in rows]
        return real_check(table, rows, *a, **k)
    monkeypatch.setattr(ingest, "read_article", reading)
    monkeypatch.setattr(rowcheck, "failing_articles", checking)
    from crosswire import statements
    real_extract = statements.extract_statements

    def extracting(articles, *a, **k):
        spies["extracted"] += [x["raw_path"] for x in articles]
        return real_extract(articles, *a, **k)
    monkeypatch.setattr(statements, "extract_statements", extracting)
    return raw, datasets, spies


def from_scratch(raw: Path, datasets: Path, tmp_path: Path) -> Path:
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    shutil.copytree(datasets / "v1.0.0", fresh / "v1.0.0")
    assert run(raw, fresh, "--no-cache") == 0
    return fresh / "v1.1.0"


def test_an_added_article_is_the_only_one_read_checked_and_extracted(added, tmp_path):
    raw, datasets, spies = added
    assert run(raw, datasets) == 0
    assert spies["read"] == [LATE] and spies["checked"] == [LATE] and spies["extracted"] == [LATE]
    assert data_files(datasets / "v1.1.0") == data_files(from_scratch(raw, datasets, tmp_path))


@pytest.mark.parametrize("stage", ["articles", "statements"])
def test_a_damaged_entry_behind_the_index_is_computed_again(added, tmp_path, stage):
    raw, datasets, spies = added
    entries = sorted((datasets / ".cache" / stage).rglob("*.json"))
    victim = entries[0]
    victim.write_bytes(victim.read_bytes()[:-5])  # its seal no longer matches
    assert run(raw, datasets) == 0
    assert cache.read_sealed(victim) is not None  # written again
    assert len(spies["extracted"]) == (2 if stage == "statements" else 1)
    assert data_files(datasets / "v1.1.0") == data_files(from_scratch(raw, datasets, tmp_path))


def test_an_edited_file_is_read_again_though_the_index_knows_its_old_bytes(added, tmp_path):
    raw, datasets, spies = added
    edited = raw / "capitalherald" / "ferry-memorial.txt"
    edited.write_text(edited.read_text(encoding="utf-8") + "\nThe memorial service is on Sunday.\n",
                      encoding="utf-8")
    assert run(raw, datasets) == 0
    assert sorted(spies["read"]) == sorted([LATE, "capitalherald/ferry-memorial.txt"])
    assert data_files(datasets / "v1.1.0") == data_files(from_scratch(raw, datasets, tmp_path))


def test_planning_with_the_carried_rows_settled_is_planning_without(prefect_harness, tmp_path, monkeypatch):
    """Rows carried from the previous release (publish.plan's `settled`) are not compared
    again and the row groups holding only them are not read; the plan is the same."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    from crosswire import publish
    from crosswire.validate import read_table

    monkeypatch.setenv("CROSSWIRE_ROW_GROUP_BYTES", "2000")  # many small row groups
    raw = tmp_path / "raw"
    shutil.copytree(PRESSER, raw)
    assert run(raw, tmp_path / "ds") == 0
    old = tmp_path / "ds" / "v1.0.0"
    tables = {name: read_table(old, name) for name in publish.TABLES}
    st = tables["statements"]
    edited = st["statement_id"][3].as_py()
    at = pc.equal(st["statement_id"], edited)
    tables["statements"] = st.set_column(st.schema.get_field_index("text"), st.schema.field("text"),
                                         pc.if_else(at, pa.scalar("A sentence nobody said."), st["text"]))
    gone = tables["articles"]["article_id"][0].as_py()
    tables["articles"] = tables["articles"].filter(pc.not_equal(tables["articles"]["article_id"], gone))
    settled = {"statements": st["statement_id"].filter(pc.invert(at)).combine_chunks(),
               "articles": tables["articles"]["article_id"].combine_chunks()}
    reads, real = [], pq.ParquetFile.read_row_group

    def counting(self, *a, **k):
        reads.append(1)
        return real(self, *a, **k)
    monkeypatch.setattr(pq.ParquetFile, "read_row_group", counting)
    plain = publish.plan(tables, old)
    n_plain = len(reads)
    reads.clear()
    quick = publish.plan(tables, old, settled=settled)
    assert (quick.version, quick.changes, quick.fresh, quick.hashes, quick.diffs) == \
        (plain.version, plain.changes, plain.fresh, plain.hashes, plain.diffs)
    assert quick.changes["statements"] == {"added": 0, "removed": 0, "changed": 1}
    assert quick.changes["articles"]["removed"] == 1
    # of the two tables with settled rows: only the row group of the changed statement is read
    # (each of its columns), where without them every group of both tables is
    two = {name: tables[name] for name in ("articles", "statements")}
    reads.clear()
    publish.plan(two, old)
    n_plain = len(reads)
    reads.clear()
    publish.plan(two, old, settled=settled)
    columns = len(tables["statements"].schema)
    assert len(reads) == columns and n_plain >= 4 * columns


def test_settled_rows_given_as_a_mask_over_the_new_rows_plan_as_their_keys(prefect_harness, tmp_path, monkeypatch):
    """`settled` as a boolean array over the new table's rows (how the copy pairs of two
    unchanged articles are given) plans as the same rows given by their keys, reading the
    same row groups."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    from crosswire import publish
    from crosswire.validate import read_manifest, read_table

    monkeypatch.setenv("CROSSWIRE_ROW_GROUP_BYTES", "2000")
    raw = tmp_path / "raw"
    shutil.copytree(PRESSER, raw)
    assert run(raw, tmp_path / "ds") == 0
    old = tmp_path / "ds" / "v1.0.0"
    st = read_table(old, "statements")
    edited = {st["statement_id"][i].as_py() for i in (2, len(st) - 1)}
    at = pc.is_in(st["statement_id"], value_set=pa.array(sorted(edited)))
    new = st.set_column(st.schema.get_field_index("text"), st.schema.field("text"),
                        pc.if_else(at, pa.scalar("Words nobody said."), st["text"])).slice(1)  # one row removed
    tables = {"statements": new}
    unchanged = pc.invert(pc.is_in(new["statement_id"], value_set=pa.array(sorted(edited))))
    reads, real = [], pq.ParquetFile.read_row_group

    def counting(self, *a, **k):
        reads.append(1)
        return real(self, *a, **k)
    monkeypatch.setattr(pq.ParquetFile, "read_row_group", counting)
    by_keys = publish.plan(tables, old, settled={"statements": new["statement_id"].filter(unchanged).combine_chunks()})
    n_keys, reads[:] = len(reads), []
    by_mask = publish.plan(tables, old, settled={"statements": unchanged.combine_chunks()})
    assert (by_mask.version, by_mask.changes, by_mask.fresh, by_mask.hashes) == \
        (by_keys.version, by_keys.changes, by_keys.fresh, by_keys.hashes)
    assert by_mask.changes["statements"] == {"added": 0, "removed": 1, "changed": 2}
    groups = pq.ParquetFile(old / read_manifest(old)["tables"]["statements"]["path"]).num_row_groups
    assert len(reads) == n_keys < len(new.schema) * groups  # the groups of the edited rows only


def test_entries_a_run_verified_are_not_read_again_while_their_stats_hold(added, tmp_path, monkeypatch):
    """The run after one that verified the cache entries checks them by their stats alone; an
    entry rewritten since (its stats moved) is read and, found damaged, computed again.
    (--recheck: a run the no-op record would answer without starting the flow.)"""
    raw, datasets, spies = added
    assert run(raw, datasets) == 0   # reads and verifies the entries: the index keeps their stats
    reads = []
    real = cache.Cache.intact
    monkeypatch.setattr(cache.Cache, "intact", lambda self, stage, key: reads.append(stage) or real(self, stage, key))
    # LATE's entries, written by that run, were checked before it saved its index: not read either
    assert run(raw, datasets, "--recheck") == 0 and reads == [] and not (datasets / "v1.2.0").exists()
    victim = sorted((datasets / ".cache" / "statements").rglob("*.json"))[0]
    victim.write_bytes(victim.read_bytes()[:-5])
    spies["extracted"].clear()
    # read and found damaged, computed again, and the new entry checked before the index is saved
    assert run(raw, datasets, "--recheck") == 0 and reads == ["statements"] * 2 and len(spies["extracted"]) == 1
    assert cache.read_sealed(victim) is not None and not (datasets / "v1.2.0").exists()
    reads.clear()
    assert run(raw, datasets, "--recheck") == 0 and reads == []


def test_entries_a_run_wrote_within_racy_ns_of_its_index_are_read_by_the_next_run(added, tmp_path, monkeypatch):
    """The stats of an entry written less than unchanged.RACY_NS before the run saves its index
    do not vouch for it (a write in the same timestamp tick would not move them): the next run
    reads and verifies it, once; entries written long enough before are not read again."""
    raw, datasets, spies = added
    monkeypatch.setattr(unchanged, "RACY_NS", 3600 * 10**9)  # every entry changed "just now"
    assert run(raw, datasets) == 0
    reads = []
    real = cache.Cache.intact
    monkeypatch.setattr(cache.Cache, "intact", lambda self, stage, key: reads.append(stage) or real(self, stage, key))
    monkeypatch.setattr(unchanged, "RACY_NS", 0)
    assert run(raw, datasets, "--recheck") == 0 and sorted(reads) == ["articles", "statements"]  # LATE's
    reads.clear()
    assert run(raw, datasets, "--recheck") == 0 and reads == [] and not (datasets / "v1.2.0").exists()
