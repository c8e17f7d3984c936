"""A release with one article added rewrites what changed and no more: the files of tables
whose rows did not change are taken over from the previous release (same bytes, not
written again), only added and changed rows are validated again, and the result is the
release a run from scratch makes (issue 11, "Re-runs")."""
import os
import shutil
from pathlib import Path

import pyarrow as pa
import pytest
from conftest import hold_back

from crosswire import carry, cli, publish
from crosswire import diff as release_diff
from crosswire.validate import read_manifest, validate_release, validate_tables
from schemas import TABLES

PRESSER = Path(__file__).parent / "corpora" / "presser"
LATE = "eveningstar/door-open.txt"  # joins the press conference, the corpus's largest event
FERRY = Path(__file__).parent / "corpora" / "ferry"
FERRY_LATE = "ledger/strait-ferries-idle.txt"  # moves another outlet's statement to another utterance


def run(raw, datasets, *extra):
    return cli.main(["run", "--raw", str(raw), "--datasets", str(datasets), *extra])


def data_files(release: Path) -> dict[str, bytes]:
    return {p.relative_to(release).as_posix(): p.read_bytes() for p in sorted((release / "data").rglob("*.parquet"))}


def released_without(corpus: Path, late: str, tmp_path: Path) -> tuple[Path, Path]:
    """(raw, datasets): a copy of `corpus` and a release of it made while `late` was held
    back; `late` is back in raw, for the next run to add."""
    raw = tmp_path / "raw"
    shutil.copytree(corpus, raw)
    put_back = hold_back(raw, late, tmp_path / "parked")
    datasets = tmp_path / "datasets"
    assert run(raw, datasets) == 0
    put_back()
    return raw, datasets


def from_scratch(raw: Path, first: Path, tmp_path: Path) -> Path:
    """The second release a run without the cache makes of `raw` after the release `first`."""
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    shutil.copytree(first, fresh / first.name)
    assert run(raw, fresh, "--no-cache") == 0
    return fresh / "v1.1.0"


def test_one_article_added_rewrites_only_the_tables_it_changes(prefect_harness, tmp_path, capsys, monkeypatch):
    raw, datasets = released_without(PRESSER, LATE, tmp_path)
    taken = {}  # table -> the keys of the rows the run takes from the previous release (carry)
    real = carry.kept_rows

    def spying(store_root, release, table, *args):
        rows, keys = real(store_root, release, table, *args)
        taken.setdefault(table, keys)  # the incremental run's, not the fresh one's below
        return rows, keys

    monkeypatch.setattr(carry, "kept_rows", spying)
    assert run(raw, datasets) == 0
    old, new = datasets / "v1.0.0", datasets / "v1.1.0"
    before, after = read_manifest(old), read_manifest(new)
    assert after["writer"] == before["writer"] == publish.writer_fingerprint()

    changed = {n for n, c in after["changes"].items() if any(c.values())}
    assert {"articles", "statements"} <= changed and "sources" in set(TABLES) - changed
    for name, entry in after["tables"].items():
        shared = os.stat(new / entry["path"]).st_ino == os.stat(old / before["tables"][name]["path"]).st_ino
        assert shared == (name not in changed), name  # linked exactly when its rows did not change
        if name not in changed:
            assert entry == before["tables"][name]
    assert validate_release(new) == [] and validate_release(old) == []
    capsys.readouterr()
    assert cli.main(["validate", str(new)]) == 0

    # the same release, byte for byte, as a run from scratch writes it
    assert data_files(new) == data_files(from_scratch(raw, old, tmp_path))
    # that incremental release took over the rows of the articles whose event did not change
    kept = publish.read_table(old, "articles", columns=["article_id", "event_id"]).to_pylist()
    now = {r["article_id"]: r["event_id"]
           for r in publish.read_table(new, "articles", columns=["article_id", "event_id"]).to_pylist()}
    assert taken["articles"] == {r["article_id"] for r in kept if now[r["article_id"]] == r["event_id"]}
    assert taken["articles"]
    # and the statements of the articles of every event the new article left alone (the
    # statements of the event it joined, some of which it changed, were built again)
    late = now[next(r["article_id"] for r in publish.read_table(new, "articles", columns=["article_id", "raw_path"])
                    .to_pylist() if r["raw_path"] == LATE)]
    assert taken["statements"] == {a for a, e in now.items() if e != late} and taken["statements"]
    # and the agreements and utterances of those events (each of this corpus's events has statements)
    assert taken["agreements"] == taken["utterances"] == set(now.values()) - {late} != set()
    # and the changelog kept v1.0.0's section as it was
    text = (datasets / "CHANGELOG.md").read_text(encoding="utf-8")
    assert text.index("## v1.1.0 (") < text.index("## v1.0.0 (")


def test_statements_an_added_article_changes_are_built_again_not_taken_over(prefect_harness, tmp_path, monkeypatch):
    """An article that joins an event can change the cross-source columns of the statements
    of other articles of that event (here a statement's primary utterance): those rows are
    built again, not carried from the previous release, and the release is the one a run
    from scratch makes."""
    raw, datasets = released_without(FERRY, FERRY_LATE, tmp_path)
    taken, real = {}, carry.kept_rows  # table -> (rows, keys) the incremental run takes over
    monkeypatch.setattr(carry, "kept_rows",
                        lambda root, rel, table, *a: taken.setdefault(table, real(root, rel, table, *a)))
    assert run(raw, datasets) == 0
    old, new = datasets / "v1.0.0", datasets / "v1.1.0"
    before, after = ({r["statement_id"]: r for r in publish.read_table(rel, "statements").to_pylist()}
                     for rel in (old, new))
    moved = {r["article_id"] for k, r in after.items() if k in before and before[k] != r}
    assert moved  # an earlier article's statement changed with the new article
    assert not moved & taken["statements"][1]
    assert data_files(new) == data_files(from_scratch(raw, old, tmp_path))


def test_files_are_written_afresh_when_the_writer_changed(tmp_path, monkeypatch):
    from conftest import articles_and_statements

    arts, _ = articles_and_statements(PRESSER)
    datasets = tmp_path / "datasets"
    code = {"version": "test"}
    # two releases of the same sources, the second with one article more
    from crosswire import sources
    srcs, _ = sources.load_sources(PRESSER)
    rows = {"sources": [s.row() for s in srcs], "articles": [dict(a, event_id=None) for a in arts[:1]]}
    publish.publish(rows, datasets, inputs=[], rejected=[], code=code)
    monkeypatch.setattr(publish, "writer_fingerprint", lambda: "another writer")
    rows2 = dict(rows, articles=[dict(a, event_id=None) for a in arts[:2]])
    path, p = publish.publish(rows2, datasets, inputs=[], rejected=[], code=code)
    assert "sources" in p.same
    old, new = datasets / "v1.0.0", path
    assert os.stat(new / "data/sources.parquet").st_ino != os.stat(old / "data/sources.parquet").st_ino
    assert (new / "data/sources.parquet").read_bytes() == (old / "data/sources.parquet").read_bytes()
    assert validate_release(new) == []


@pytest.fixture(scope="module")
def statement_table():
    from conftest import articles_and_statements

    _, stmts = articles_and_statements(PRESSER)
    return publish.to_arrow(TABLES["statements"], stmts)


def test_checking_only_the_new_rows_still_finds_a_bad_new_row_and_a_repeated_key(statement_table):
    t = statement_table
    keys = t.column("statement_id").to_pylist()
    bad = t.to_pylist()
    bad[0] = dict(bad[0], char_end=bad[0]["char_start"])  # an empty span: breaks span_order
    broken = pa.Table.from_pylist(bad, schema=t.schema)
    only = {"statements": {keys[0]}}
    assert any("statements" in e and "span_order" in e
               for e in validate_tables({"statements": broken}, only={"statements"}, only_rows=only))
    # the same bad row, not among the rows to check, is taken as checked before
    assert validate_tables({"statements": broken}, only={"statements"}, only_rows={"statements": {keys[1]}}) == []
    # a key repeated anywhere in the table is found whatever rows are checked
    twice = pa.concat_tables([t, t.slice(1, 1)])
    assert any("statement_id" in e and "uniqueness" in e
               for e in validate_tables({"statements": twice}, only={"statements"}, only_rows=only))


def test_a_key_planning_found_once_is_not_counted_again_but_a_repeated_one_fails(statement_table, tmp_path):
    """A table whose primary key planning found once a row (publish.Plan.unique) is not
    counted again in validation; a new table repeating a published key is not in it, and the
    release is refused."""
    t = statement_table
    first = {name: publish.to_arrow(spec, t if name == "statements" else []) for name, spec in TABLES.items()}
    datasets = tmp_path / "datasets"
    publish.publish(first, datasets, inputs=[], rejected=[], code={"version": "test"}, validate=lambda tables: [])  # statements alone
    v1 = publish.latest(datasets)
    fewer = dict(first, statements=t.slice(1))
    assert "statements" in publish.plan(fewer, v1).unique
    twice = dict(first, statements=publish.to_arrow(TABLES["statements"], pa.concat_tables([t.slice(1), t.slice(2, 1)])))
    p = publish.plan(twice, v1)
    assert "statements" not in p.unique
    errors = validate_tables(twice, only={"statements"}, only_rows=p.fresh, unique_keys=p.unique)
    assert any("statement_id" in e and "uniqueness" in e for e in errors)


def test_offsets_are_checked_again_where_the_statement_or_its_article_is_new(statement_table):
    """A statement whose text is not at its offsets is found when it is fresh or its article
    is (the article's text may have moved under it), and taken as checked before otherwise."""
    from conftest import articles_and_statements

    arts, _ = articles_and_statements(PRESSER)
    articles = publish.to_arrow(TABLES["articles"], [dict(a, event_id=None) for a in arts])
    rows = statement_table.to_pylist()
    bad = dict(rows[0], char_start=rows[0]["char_start"] + 1, char_end=rows[0]["char_end"] + 1)
    broken = pa.Table.from_pylist([bad, *rows[1:]], schema=statement_table.schema)
    other = next(r for r in rows if r["article_id"] != bad["article_id"])
    tables = {"articles": articles, "statements": broken}

    def spans(only_rows):
        return [e for e in validate_tables(tables, only={"articles", "statements"}, only_rows=only_rows)
                if "not what the article holds" in e]
    assert spans(None)  # all rows checked
    assert spans({"articles": set(), "statements": {bad["statement_id"]}})
    assert spans({"articles": {bad["article_id"]}, "statements": set()})
    assert not spans({"articles": {other["article_id"]}, "statements": {other["statement_id"]}})


def test_the_changelog_keeps_each_release_section_it_holds(tmp_path, monkeypatch):
    from crosswire import diff, sources

    srcs, _ = sources.load_sources(PRESSER)
    datasets = tmp_path / "datasets"
    rows = {"sources": [s.row() for s in srcs[:1]]}
    publish.publish(rows, datasets, inputs=[], rejected=[], code={"version": "test"})
    publish.publish({"sources": [s.row() for s in srcs[:2]]}, datasets, inputs=[], rejected=[],
                    code={"version": "test"})
    publish.publish({"sources": [s.row() for s in srcs[:3]]}, datasets, inputs=[], rejected=[],
                    code={"version": "test"})
    first = (datasets / "CHANGELOG.md").read_text(encoding="utf-8")
    assert first.count("## v1.") == 3

    asked = []
    real = diff.changelog_details
    monkeypatch.setattr(diff, "changelog_details", lambda rel, m: asked.append(rel.name) or real(rel, m))
    assert (publish.write_changelog(datasets)).read_text(encoding="utf-8") == first
    assert asked == []  # every section was there: none computed again
    (datasets / "CHANGELOG.md").write_text(first.split("## v1.1.0 (")[0], encoding="utf-8")  # v1.1.0 and v1.0.0 lost
    assert publish.write_changelog(datasets).read_text(encoding="utf-8") == first
    assert sorted(asked) == ["v1.0.0", "v1.1.0", "v1.2.0"]  # v1.2.0: where its section ends is lost too


def test_an_article_added_to_a_table_in_parts_rewrites_its_outlet_s_parts_only(tmp_path, monkeypatch):
    """A table in parts is cut by outlet: a release with one article more writes the parts of
    that article's outlet and links the others from the previous release (same file, same
    sha256), and its files are the bytes a release from scratch writes."""
    from conftest import articles_and_statements

    from crosswire import sources

    monkeypatch.setenv("CROSSWIRE_PARTITION_ROWS", "2")
    arts, _ = articles_and_statements(PRESSER)
    srcs, _ = sources.load_sources(PRESSER)
    late = next(a for a in arts if a["raw_path"] == LATE)

    def rows(chosen):
        return {"sources": [s.row() for s in srcs], "articles": [dict(a, event_id=None) for a in chosen]}

    code = {"version": "test"}
    datasets, cold = tmp_path / "datasets", tmp_path / "cold"
    before, _ = publish.publish(rows([a for a in arts if a is not late]), datasets, inputs=[], rejected=[], code=code)
    written, write = [], publish.write_parquet
    monkeypatch.setattr(publish, "write_parquet", lambda t, path, *a: (written.append(path), write(t, path, *a)))
    after, p = publish.publish(rows(arts), datasets, inputs=[], rejected=[], code=code)
    monkeypatch.setattr(publish, "write_parquet", write)
    assert p.changes["articles"] == {"added": 1, "removed": 0, "changed": 0}

    old_parts = {x["path"]: x for x in read_manifest(before)["tables"]["articles"]["parts"]}
    new_parts = read_manifest(after)["tables"]["articles"]["parts"]
    outlets = {x["path"]: set(pa.concat_tables([pq_read(after / x["path"])]).column("source_id").to_pylist())
               for x in new_parts}
    assert all(len(s) == 1 for s in outlets.values())  # every part holds one outlet's rows
    rewritten = [f"data/articles/{p.name}" for p in written if p.parent.name == "articles"]
    assert rewritten and len(rewritten) < len(new_parts)
    # the others are files of the previous release (whatever their number now), not written again
    old_digests = {x["sha256"] for x in old_parts.values()}
    assert all(x["sha256"] in old_digests for x in new_parts if x["path"] not in rewritten)
    assert {s for path in rewritten for s in outlets[path]} == {late["source_id"]}
    assert validate_release(after) == []

    fresh, _ = publish.publish(rows(arts), cold, inputs=[], rejected=[], code=code)
    assert data_files(fresh) == data_files(after)

    assert read_manifest(fresh)["tables"]["articles"]["sha256"] == read_manifest(after)["tables"]["articles"]["sha256"]


def pq_read(path):
    import pyarrow.parquet as pq
    return pq.read_table(path)


WIRE = Path(__file__).parent / "corpora" / "wire"


def test_copy_pairs_of_unchanged_articles_are_not_compared_again_and_the_release_is_the_cold_one(
        prefect_harness, tmp_path, monkeypatch):
    """Planning is told which copy pairs are the published ones (both articles made of the
    inputs remembered for the last release: carry.unchanged, carry.steady_pairs) and does
    not compare them; a pair of an article that was added or edited is compared. The
    releases are the ones a run from scratch makes, their row digests included."""
    raw, datasets = released_without(WIRE, "metrodaily/cragside.txt", tmp_path)
    seen, real = [], publish.plan
    monkeypatch.setattr(publish, "plan", lambda tables, previous, hash_store=None, settled=None:
                        seen.append((tables["copies"], dict(settled or {}))) or real(tables, previous, hash_store,
                                                                                     settled))
    assert run(raw, datasets) == 0
    copies, settled = seen[-1]
    ids = {r["article_id"]: r["raw_path"] for r in publish.read_table(datasets / "v1.1.0", "articles").to_pylist()}
    late = {i for i, p in ids.items() if p == "metrodaily/cragside.txt"}
    mask = settled["copies"].to_pylist()
    pairs = list(zip(copies["article_a"].to_pylist(), copies["article_b"].to_pylist()))
    assert pairs and mask == [not ({a, b} & late) for a, b in pairs] and any(mask)
    assert data_files(datasets / "v1.1.0") == data_files(from_scratch(raw, datasets / "v1.0.0", tmp_path))

    # an edit to a paired article: its pairs are compared again (their shares move), as are
    # those of an article new to the release
    edited = next(p for p in sorted(raw.rglob("*.txt")) if any(
        ids.get(a) == p.relative_to(raw).as_posix() for pair in pairs for a in pair))
    edited.write_text(edited.read_text(encoding="utf-8").replace(".", ". Rain fell all day.", 1), encoding="utf-8")
    seen.clear()
    assert run(raw, datasets) == 0
    copies, settled = seen[-1]
    name = edited.relative_to(raw).as_posix()
    now = {r["article_id"]: r["raw_path"] for r in publish.read_table(datasets / "v1.2.0", "articles").to_pylist()}
    pairs = list(zip(copies["article_a"].to_pylist(), copies["article_b"].to_pylist()))
    moved = {name} | (set(now.values()) - set(ids.values()))  # edited, or in raw no longer a duplicate
    assert settled["copies"].to_pylist() == [not ({now[a], now[b]} & moved) for a, b in pairs]
    fresh = tmp_path / "fresh2"
    fresh.mkdir()
    shutil.copytree(datasets / "v1.1.0", fresh / "v1.1.0")
    assert run(raw, fresh, "--no-cache") == 0
    assert data_files(datasets / "v1.2.0") == data_files(fresh / "v1.2.0")
    entries = [{n: e["content_sha256"] for n, e in read_manifest(r)["tables"].items()}
               for r in (datasets / "v1.2.0", fresh / "v1.2.0")]
    assert entries[0] == entries[1]


def test_an_added_article_s_copy_pairs_rewrite_the_parts_of_their_month_only(tmp_path, monkeypatch):
    """`copies` is ordered by its pairs' date (the later publication) and cut into parts
    by month: the pairs a newly published article brings, with articles of earlier months
    too, fall into its month's parts (and the undated pairs' part); the parts of every
    other month are linked from the previous release, and the files are the bytes a release
    from scratch writes."""
    from conftest import articles_and_statements

    import numpy as np

    from crosswire import sources
    from crosswire.copies import CopyPairs

    monkeypatch.setenv("CROSSWIRE_PARTITION_ROWS", "3")
    arts, _ = articles_and_statements(PRESSER)
    srcs, _ = sources.load_sources(PRESSER)
    late = next(a for a in arts if a["raw_path"] == LATE)

    def when(a):
        return None if a.get("published") is None else pa.scalar(a["published"], TABLES["articles"].arrow_schema
                                                                  .field("published").type).as_py()

    def rows(chosen):
        ids = [a["article_id"] for a in chosen]
        at = {i: k for k, i in enumerate(ids)}
        pairs = [(x, y) for x in ids for y in ids if x < y]
        if late in chosen:  # its pairs with the articles no later than it (of any earlier month) or undated
            pairs = [(x, y) for x, y in pairs if late["article_id"] not in (x, y) or all(
                when(o) is None or when(o) <= when(late) for o in chosen if o["article_id"] in (x, y))]
        a = np.array([at[x] for x, _ in pairs], np.int64)
        b = np.array([at[y] for _, y in pairs], np.int64)
        common = np.array([(int(x[-4:], 16) + int(y[-4:], 16)) % 11 + 1 for x, y in pairs], np.int64)
        copies = CopyPairs(ids, a, b, common, np.full(len(ids), 20), [x["source_id"] for x in chosen],
                           [x.get("published") for x in chosen])
        return {"sources": [s.row() for s in srcs], "articles": [dict(x, event_id=None) for x in chosen],
                "copies": copies}

    code = {"version": "test"}
    datasets, cold = tmp_path / "datasets", tmp_path / "cold"
    before, _ = publish.publish(rows([a for a in arts if a is not late]), datasets, inputs=[], rejected=[], code=code)
    # the pairs of the articles published before are settled (as the flow says: carry.steady_pairs)
    now = rows(arts)
    now["copies"] = publish.to_arrow(TABLES["copies"], now["copies"])
    steady = carry.steady_pairs(now["copies"], {a["article_id"] for a in arts if a is not late},
                                ("article_a", "article_b"))
    written, write = [], publish.write_parquet
    compared, real = [], release_diff.file_row_changes
    monkeypatch.setattr(publish, "write_parquet", lambda t, path, *a: (written.append(path), write(t, path, *a)))
    monkeypatch.setattr(release_diff, "file_row_changes", lambda files, new_t, *a: (
        compared.append((files, new_t.num_rows)), real(files, new_t, *a))[1])
    after, p = publish.publish(now, datasets, inputs=[], rejected=[], code=code, settled=(before, {"copies": steady}))
    monkeypatch.setattr(publish, "write_parquet", write)
    assert p.changes["copies"]["added"] > 0 and p.changes["copies"]["removed"] == p.changes["copies"]["changed"] == 0

    def month(t):
        return {None if v is None else (v.year, v.month) for v in t.column("last_published").to_pylist()}

    new_parts = read_manifest(after)["tables"]["copies"]["parts"]
    months = {x["path"]: month(pq_read(after / x["path"])) for x in new_parts}
    assert all(len(m) == 1 for m in months.values())  # a part holds one month's pairs, or undated ones
    assert len({m for ms in months.values() for m in ms}) >= 4
    rewritten = [f"data/copies/{p.name}" for p in written if p.parent.name == "copies"]
    late_month = (when(late).year, when(late).month)
    assert rewritten and {m for path in rewritten for m in months[path]} <= {late_month, None}
    old_digests = {x["sha256"] for x in read_manifest(before)["tables"]["copies"]["parts"]}
    linked = [x for x in new_parts if x["path"] not in rewritten]
    assert linked and all(x["sha256"] in old_digests for x in linked)
    assert {m for x in linked for m in months[x["path"]]} >= {(2019, 4), (2026, 6)}  # before and after its month
    # the undated pairs are cut by outlet (source_a): the late article's rewrite its outlets' parts only
    late_undated = {r["source_a"] for r in now["copies"].to_pylist()
                    if late["article_id"] in (r["article_a"], r["article_b"]) and r["last_published"] is None}
    undated_parts = {x["path"]: set(pq_read(after / x["path"]).column("source_a").to_pylist())
                     for x in new_parts if months[x["path"]] == {None}}
    assert late_undated and all(len(o) == 1 for o in undated_parts.values())
    assert {o for path in rewritten if path in undated_parts for o in undated_parts[path]} <= late_undated
    assert any(path not in rewritten for path in undated_parts)
    assert validate_release(after) == []
    # planning read the previous parts of the months the added article's pairs fall in, no other
    read = {f.name for files, _ in compared for f in files if f.parent.name == "copies"}
    old_months = {x["path"]: month(pq_read(before / x["path"]))
                  for x in read_manifest(before)["tables"]["copies"]["parts"]}
    assert read and {m for path, ms in old_months.items() if path.rsplit("/", 1)[1] in read for m in ms} \
        <= {late_month, None}
    assert next(n for files, n in compared if any(f.parent.name == "copies" for f in files)) < now["copies"].num_rows

    fresh, _ = publish.publish(rows(arts), cold, inputs=[], rejected=[], code=code)
    assert data_files(fresh) == data_files(after)

    # the same release from the pairs made a run at a time (a TableParts, as the flow gives a
    # large table): the steady months are linked without their rows being made, the files the same
    from crosswire.tableparts import TableParts
    other = tmp_path / "other"
    shutil.copytree(datasets, other)
    shutil.rmtree(other / after.name)
    publish.write_latest(other, other / before.name)
    made, slice_ = [], TableParts.slice
    monkeypatch.setattr(TableParts, "slice", lambda self, offset=0, length=None: (
        made.append((offset, length)), slice_(self, offset, length))[1])
    in_parts = dict(rows(arts), copies=publish.to_arrow(TABLES["copies"], rows(arts)["copies"], in_parts=True))
    assert isinstance(in_parts["copies"], TableParts)
    again, _ = publish.publish(in_parts, other, inputs=[], rejected=[], code=code,
                               settled=(other / before.name, {"copies": steady}))
    monkeypatch.setattr(TableParts, "slice", slice_)
    assert data_files(again) == data_files(after)
    late_rows = [i for i, r in enumerate(now["copies"].column("last_published").to_pylist())
                 if r is None or (r.year, r.month) == late_month]
    # rows made more than one at a time: the late month's and the undated ones only (a steady
    # month's run is linked; its first and last rows alone are made, for the order check)
    assert made and all(set(range(o, o + n)) <= set(late_rows) for o, n in made if (n or 0) > 1)

    # a pair gone from a month whose other pairs are all settled: that month's parts are
    # read and rewritten (their rows add up to one fewer), the pair found removed
    gone = next(i for i, v in enumerate(now["copies"].column("last_published").to_pylist())
                if v is not None and (v.year, v.month) == (2019, 4))
    fewer = dict(now, copies=now["copies"].filter(pa.array([i != gone for i in range(now["copies"].num_rows)])))
    held = publish.steady_parts(after, read_manifest(after)["tables"]["copies"], fewer["copies"], TABLES["copies"],
                                pa.array([True] * fewer["copies"].num_rows))
    assert held.runs and all(201904 not in {(v.year * 100 + v.month) if v else None for v in
                                             fewer["copies"].column("last_published").slice(s, n).to_pylist()}
                             for s, (n, _) in held.runs.items())
    third, p3 = publish.publish(fewer, datasets, inputs=[], rejected=[], code=code,
                                settled=(after, {"copies": pa.array([True] * fewer["copies"].num_rows)}))
    assert p3.changes["copies"] == {"added": 0, "removed": 1, "changed": 0}
    fresh3, _ = publish.publish(fewer, tmp_path / "cold3", inputs=[], rejected=[], code=code)
    assert data_files(fresh3) == data_files(third)


def _republished(raw: Path) -> None:
    """Three more outlets' republications of the agency's story, in June, in July and
    undated, each with a line of its own: copy pairs in four months (and undated)."""
    story = (raw / "agency" / "fine.txt").read_text(encoding="utf-8")
    for rel, when in (("metrodaily/fine-june", "2026-06-02T08:00:00Z"), ("valleytimes/fine-july", "2026-07-01T10:30:00Z"),
                      ("metrodaily/fine-later", None)):
        (raw / f"{rel}.txt").write_text(f"{story}\n\nRepublished by arrangement ({rel}).\n", encoding="utf-8")
        if when:
            (raw / f"{rel}.meta.json").write_text(f'{{"published": "{when}"}}', encoding="utf-8")


def test_a_cold_run_publishes_the_copy_pairs_a_part_at_a_time_as_the_whole_table_would(
        prefect_harness, tmp_path, monkeypatch):
    """With no release before, a copies table above PART_ROWS goes to publishing as a
    TableParts (made a month's run at a time, never whole): the release is byte for byte
    the one the whole table makes; so are the next runs' (nothing changed, then one article
    added), which plan against it with the pairs still in parts, and the release a run from
    scratch makes."""
    from crosswire.tableparts import TableParts

    late = "valleytimes/fine-july.txt"
    raw = tmp_path / "raw"
    shutil.copytree(WIRE, raw)
    _republished(raw)
    put_back = hold_back(raw, late, tmp_path / "parked")
    real = publish.take_tables
    in_parts, whole = tmp_path / "in-parts", tmp_path / "whole"
    with monkeypatch.context() as m:
        m.setenv("CROSSWIRE_PARTITION_ROWS", "2")
        made = []

        def spying(rows, in_parts=False):
            out = real(rows, in_parts)
            made.append(type(out["copies"]))
            return out
        m.setattr(publish, "take_tables", spying)
        m.setattr(TableParts, "whole", lambda self: pytest.fail("a cold run made the pairs whole"))
        assert run(raw, in_parts) == 0
    assert TableParts in made
    with monkeypatch.context() as m:
        m.setenv("CROSSWIRE_PARTITION_ROWS", "2")
        m.setattr(publish, "take_tables", lambda rows, in_parts=False: real(rows))
        assert run(raw, whole) == 0
    monkeypatch.setenv("CROSSWIRE_PARTITION_ROWS", "2")
    first, other = read_manifest(in_parts / "v1.0.0"), read_manifest(whole / "v1.0.0")
    assert len(first["tables"]["copies"]["parts"]) > 2
    assert data_files(in_parts / "v1.0.0") == data_files(whole / "v1.0.0")
    assert first["tables"] == other["tables"]  # content digests (the row hashes made while writing) too
    # with a release to plan against (nothing changed, the flow run all the same; then one
    # article added), the pairs stay in parts too: planning, checking and writing never
    # make them whole
    for datasets, parts in ((in_parts, True), (whole, False)):
        with monkeypatch.context() as m:
            made.clear()
            m.setattr(publish, "take_tables", spying if parts else lambda rows, in_parts=False: real(rows))
            m.setattr(TableParts, "whole", lambda self: pytest.fail("an incremental run made the pairs whole"))
            assert run(raw, datasets, "--recheck") == 0 and not (datasets / "v1.0.1").exists()
            assert parts == (TableParts in made)
    put_back()
    with monkeypatch.context() as m:
        m.setattr(publish, "take_tables", spying)
        m.setattr(TableParts, "whole", lambda self: pytest.fail("an incremental run made the pairs whole"))
        made.clear()
        assert run(raw, in_parts) == 0
        assert TableParts in made
    with monkeypatch.context() as m:  # the tables whole, as a run with a release before published them
        m.setattr(publish, "take_tables", lambda rows, in_parts=False: real(rows))
        assert run(raw, whole) == 0
    assert data_files(in_parts / "v1.1.0") == data_files(whole / "v1.1.0") \
        == data_files(from_scratch(raw, in_parts / "v1.0.0", tmp_path))
    assert read_manifest(in_parts / "v1.1.0")["tables"] == read_manifest(whole / "v1.1.0")["tables"]


def _published_files(table: pa.Table, folder: Path, parts: int) -> list[Path]:
    import pyarrow.parquet as pq
    folder.mkdir()
    step = -(-table.num_rows // parts)
    out = []
    for i in range(parts):
        out.append(folder / f"part-{i}.parquet")
        pq.write_table(table.slice(i * step, step), out[-1], row_group_size=7)
    return out


def test_a_table_settled_but_for_a_few_rows_is_planned_from_them_as_the_full_comparison_plans_it(tmp_path):
    """publish.few_open_rows: the same added, removed, changed and per-column counts as
    diff.file_row_changes, from the open rows and the old rows of their keys; none when a
    row was removed (only every old key names it) or too many rows are open."""
    old = pa.table({"copy_id": [f"c{i:03d}" for i in range(100)], "share": [i / 100 for i in range(100)]})
    files = _published_files(old, tmp_path / "old", 3)
    entry = {"rows": 100}
    # two pairs added, one changed, the rest the published rows in a new order
    ids = [f"c{i:03d}" for i in range(99, -1, -1)] + ["c900", "c901"]
    share = [i / 100 for i in range(99, -1, -1)] + [0.5, 0.6]
    share[ids.index("c042")] = 0.99
    new = pa.table({"copy_id": ids, "share": share})
    settled = pa.array([i not in ("c042", "c900", "c901") for i in ids])
    few = publish.few_open_rows(new, files, entry, "copy_id", settled)
    assert few is not None
    full = release_diff.file_row_changes(files, new, "copy_id", settled)
    assert few[0] == full == (["c900", "c901"], [], ["c042"], {"share": 1})
    assert sorted(few[1]["copy_id"].to_pylist()) == ["c042", "c900", "c901"]
    assert few[2]["copy_id"].to_pylist() == ["c042"]
    # a published pair gone: the full comparison names it
    gone = new.filter(pa.array([i != "c007" for i in ids]))
    gone_settled = settled.filter(pa.array([i != "c007" for i in ids]))
    assert publish.few_open_rows(gone, files, entry, "copy_id", gone_settled) is None
    assert release_diff.file_row_changes(files, gone, "copy_id", gone_settled)[1] == ["c007"]
    # too many open rows, or keys instead of a mask: the full comparison
    assert publish.few_open_rows(new, files, entry, "copy_id", pa.array([False] * new.num_rows)) is None
    assert publish.few_open_rows(new, files, entry, "copy_id", pa.array(["c001"])) is None
    # a key given twice (a settled row and an open one): the usual way, which finds it
    twice = pa.concat_tables([new, new.slice(0, 1)])
    assert publish.few_open_rows(twice, files, entry, "copy_id", pa.concat_arrays([settled, pa.array([False])])) is None
    assert few[3] is True


def test_an_added_article_planned_from_its_open_copy_pairs_publishes_the_release_a_full_comparison_does(
        prefect_harness, tmp_path, monkeypatch):
    """The flow with few_open_rows taking any share of open pairs: an added republication
    of the agency's story brings copy pairs; the release is the one a run from scratch makes,
    its row digests included."""
    late = "valleytimes/fine-july.txt"
    raw = tmp_path / "raw"
    shutil.copytree(WIRE, raw)
    _republished(raw)
    put_back = hold_back(raw, late, tmp_path / "parked")
    datasets = tmp_path / "datasets"
    assert run(raw, datasets) == 0
    put_back()
    monkeypatch.setattr(publish, "FEW_OPEN", 1)
    found, real = [], publish.few_open_rows
    monkeypatch.setattr(publish, "few_open_rows", lambda *a: found.append(real(*a)) or found[-1])
    assert run(raw, datasets) == 0
    assert any(f is not None and (f[0][0] or f[0][2]) for f in found), found  # the copy pairs were planned so
    fresh = from_scratch(raw, datasets / "v1.0.0", tmp_path)
    assert data_files(datasets / "v1.1.0") == data_files(fresh)
    entries = [{n: (e["content_sha256"], e["rows"]) for n, e in read_manifest(r)["tables"].items()}
               for r in (datasets / "v1.1.0", fresh)]
    assert entries[0] == entries[1]
    assert validate_release(datasets / "v1.1.0") == []
