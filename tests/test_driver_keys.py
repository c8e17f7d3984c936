"""The driver holds keys, not rows (issue 11, "Memory: stream"): article texts and statements
stay in the store and are read back article by article; the tables are the ones the rows
held in memory give."""
from pathlib import Path

import pytest
from conftest import articles_and_statements

from crosswire import cache, cli, corroborate
from flows import release

PRESSER = Path(__file__).parent / "corpora" / "presser"


@pytest.fixture(scope="module")
def presser():
    arts, stmts = articles_and_statements(PRESSER)
    return cache.canonical(arts), cache.canonical(stmts)


class Reads:
    """article_id -> rows, counting the reads (what a StageRows over the cache does)."""

    def __init__(self, rows: dict):
        self.rows, self.count = rows, 0

    def __call__(self, article_id):
        self.count += 1
        return self.rows[article_id]


def test_cross_source_over_slim_rows_and_readers_equals_the_lists(presser):
    arts, stmts = presser
    lists = corroborate.cross_source(arts, stmts)
    by_article = {a["article_id"]: [] for a in arts}
    for s in stmts:
        by_article[s["article_id"]].append(s)
    statements_of = Reads(by_article)
    text_of = Reads({a["article_id"]: a["text"] for a in arts})
    slim = [corroborate.slim_article(a) for a in reversed(arts)]
    assert all("text" not in a for a in slim)
    out = corroborate.cross_source_stream(slim, statements_of, text_of)
    streamed = sorted(out.statements(), key=lambda s: s["statement_id"])
    assert streamed == lists.statements
    assert [dict(a, text=text_of.rows[a["article_id"]]) for a in out.articles] == lists.articles
    # agreements and utterances come in event order (publishing orders them), copies as they are read
    assert (out.events, sorted(out.agreements, key=lambda r: r["agreement_id"]),
            sorted(out.utterances, key=lambda r: r["utterance_id"]), list(out.copies), out.warnings) == \
        (lists.events, lists.agreements, lists.utterances, lists.copies, lists.warnings)
    assert len(out.agreements) == len(lists.agreements) and len(out.utterances) == len(lists.utterances)
    assert text_of.count >= len(arts) and statements_of.count >= len(arts)  # read back, not held


def test_an_article_view_reads_its_text_only_when_asked():
    reads = Reads({"a1": "Body text."})
    view = corroborate.ArticleView({"article_id": "a1", "title": "T"}, reads)
    assert view["title"] == "T" and view.get("standfirst") is None and "text" in view and reads.count == 0
    assert view.get("text") == "Body text." and reads.count == 1
    assert dict(view) == {"article_id": "a1", "title": "T", "text": "Body text."}
    with pytest.raises(KeyError):
        view["nope"]


def test_stage_rows_read_back_hold_what_the_store_lacks_and_name_a_vanished_entry(tmp_path):
    store = cache.Cache(tmp_path / "c")
    k1, k2 = cache.digest("one"), cache.digest("two")
    store.put("statements", k1, [{"statement_id": "s1"}])
    rows = cache.StageRows(store.root, "statements", {"a1": k1, "a2": k2}, held={"a3": [{"statement_id": "s3"}]})
    assert rows("a1") == [{"statement_id": "s1"}] and rows("a3") == [{"statement_id": "s3"}]
    with pytest.raises(cache.MissingRows, match="statements cache entry of article a2"):
        rows("a2")
    articles = cache.StageRows(store.root, "articles", {"a1": k2}, field="row")
    store.put("articles", k2, {"row": {"article_id": "a1", "text": "x"}})
    assert articles("a1")["text"] == "x"


def test_map_cached_keeps_markers_for_what_the_store_holds(tmp_path):
    store = cache.Cache(tmp_path / "c")
    keys = [cache.digest(i) for i in range(3)]
    store.put("statements", keys[0], [{"cached": True}])

    class Bar:
        def advance(self, n): pass
        def done(self, text): pass

    def submit(batch, bkeys, token):
        from concurrent.futures import Future
        out = [[{"made": i}] if i != 2 else {"rejected": "bad"} for i in batch]
        for i, k in zip(batch, bkeys):
            if i == 1:
                store.put("statements", k, out[batch.index(i)])  # what a worker does
        future = Future()
        future.set_result(out)
        return future

    results, computed = release._map_cached(store, Bar(), "statements", [0, 1, 2], keys, submit, 10,
                                            keep=release._kept_in(store, "statements"))
    assert results == [release.KEPT, release.KEPT, {"rejected": "bad"}] and computed == 2


def test_a_run_without_the_cache_leaves_no_store_behind_and_equals_one_with_it(prefect_harness, tmp_path,
                                                                           monkeypatch):
    import tempfile
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    assert cli.main(["run", "--raw", str(PRESSER), "--datasets", str(tmp_path / "a"), "--no-cache"]) == 0
    assert list((tmp_path / "tmp").iterdir()) == []  # the run's own store is removed
    assert not (tmp_path / "a" / ".cache").exists()
    assert cli.main(["run", "--raw", str(PRESSER), "--datasets", str(tmp_path / "b")]) == 0
    files = lambda d: {p.name: p.read_bytes() for p in sorted((d / "v1.0.0" / "data").glob("*.parquet"))}  # noqa: E731
    assert files(tmp_path / "a") == files(tmp_path / "b") and len(files(tmp_path / "a")) == 8


def test_the_statements_view_gathers_the_display_names_on_its_first_whole_pass(presser):
    arts, stmts = presser
    by_article = {a["article_id"]: [s for s in stmts if s["article_id"] == a["article_id"]] for a in arts}
    reads = Reads(by_article)
    view = corroborate.StatementsView(list(by_article), reads)
    assert sorted(view, key=lambda s: s["statement_id"]) == sorted(stmts, key=lambda s: s["statement_id"])
    before = reads.count
    assert view.names() == corroborate._names(stmts) and reads.count == before  # no second pass
    half = corroborate.StatementsView(list(by_article), reads)
    next(iter(half))  # a pass left half-way gathers nothing
    assert half.names() == corroborate._names(stmts)
