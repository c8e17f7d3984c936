"""The analyst's questions, one DuckDB query each, on a release the flow makes from a small
hand-written corpus (tests/corpora/ferry: one strike, three outlets, dated)."""
from pathlib import Path

import pytest

duckdb = pytest.importorskip("duckdb")

from crosswire import cli, views  # noqa: E402

FERRY = Path(__file__).parent / "corpora" / "ferry"
HARBOUR = "We will keep the boats in harbour until the company signs a written offer"


@pytest.fixture(scope="module")
def con(prefect_harness, tmp_path_factory):
    datasets = tmp_path_factory.mktemp("ferry-datasets")
    assert cli.main(["run", "--raw", str(FERRY), "--datasets", str(datasets)]) == 0
    return views.connect(datasets / "v1.0.0")


def rows(con, sql, **params):
    cur = con.execute(sql, params) if params else con.execute(sql)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r)) for r in cur.fetchall()]


def test_the_view_has_a_row_per_statement_and_utterance(con):
    view = rows(con, "SELECT * FROM statement_view")
    statements = rows(con, "SELECT statement_id, utterance_id FROM statements")
    assert {r["statement_id"] for r in view} == {s["statement_id"] for s in statements}
    # the wire's two-sentence quotation carries two utterances: two rows, one primary
    wire = [r for r in view if r["outlet"] == "Strait Wire" and r["wording"].startswith("The crews")]
    assert len(wire) == 2 and sum(r["is_primary"] for r in wire) == 1
    assert all(r["title"] and r["published"] is not None for r in view)


def test_which_outlets_carried_an_utterance_in_which_wording_first_where(con):
    uid = rows(con, "SELECT utterance_id FROM utterances WHERE text LIKE 'We will keep the boats%'")[0]["utterance_id"]
    got = rows(con, views.QUESTIONS["carried_by"], utterance_id=uid)
    assert [r["outlet"] for r in got] == ["Strait Wire", "The Ledger"]   # by date
    assert got[0]["is_first"] and HARBOUR in got[0]["wording"]
    assert "ferries in harbour" in got[1]["wording"]


def test_which_claims_only_one_outlet_reported(con):
    got = rows(con, views.QUESTIONS["only_one_outlet"])
    # the operator's reported regret is a claim only the wire carries; its speaker is a body
    # ("The operator"), which has no speakers row: the utterance names the body (session 30)
    assert {(r["outlet"], r["utterance_speaker"]) for r in got} == \
        {("Halden Courier", "Jonas Ekberg"), ("Strait Wire", "Mara Quill"), ("Strait Wire", "Strait Lines")}
    assert any(r["utterance_text"].startswith("Passengers should") for r in got)
    assert any(r["utterance_text"] == "it regretted the disruption to passengers" for r in got)


def test_who_paraphrased_whom(con):
    got = rows(con, views.QUESTIONS["who_paraphrased_whom"])
    assert [(r["who"], r["whom"]) for r in got] == [("The Ledger", "Strait Wire")]
    assert "ferries" in got[0]["their_wording"]
