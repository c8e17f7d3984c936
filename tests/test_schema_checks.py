"""The tables' own row checks (schemas/*.py) catch the rows they are for."""
import hashlib

import pandas as pd

from schemas.speakers import _sorted_lists
from schemas.statements import _key_matches


def test_a_statement_id_must_be_derived_from_its_own_row():
    right = "st_" + hashlib.sha256(b"art_0000000000000001|body|3|9|direct").hexdigest()[:16]
    df = pd.DataFrame({"article_id": ["art_0000000000000001"] * 3, "section": ["body", "body", "title"],
                       "char_start": [3, 3, 3], "char_end": [9, 10, 9], "kind": ["direct"] * 3,
                       "statement_id": [right] * 3})
    assert _key_matches(df).tolist() == [True, False, False]


def test_speaker_aliases_and_roles_must_be_sorted():
    df = pd.DataFrame({"aliases": [["Ann Lee", "Lee"], ["Lee", "Ann Lee"], []],
                       "roles": [["mayor"], [], ["mayor", "governor"]]})
    assert _sorted_lists(df).tolist() == [True, False, False]


def test_importing_the_checks_keeps_pyarrow_reading_times_as_instants():
    """pandera, imported alone, sets PYARROW_IGNORE_TIMEZONE=1 and pyarrow then writes an
    aware datetime's wall clock as UTC; through schemas._pandera (every module of ours that
    checks) 12:00+05:30 stays 06:30Z. A fresh interpreter: the test process may have
    imported pandera already."""
    import os
    import subprocess
    import sys

    probe = ("import datetime as d, pyarrow as pa\n"
             "import {module}\n"
             "t = d.datetime(2025, 8, 15, 12, tzinfo=d.timezone(d.timedelta(hours=5, minutes=30)))\n"
             "print(pa.array([t], pa.timestamp('us', tz='UTC')).to_pylist()[0].hour)")
    env = {k: v for k, v in os.environ.items() if k != "PYARROW_IGNORE_TIMEZONE"}

    def hour_after(module: str) -> str:
        return subprocess.run([sys.executable, "-c", probe.format(module=module)], env=env, check=True,
                              capture_output=True, text=True).stdout.strip()
    assert hour_after("pandera") == "12"   # the trap, so that this test fails if pandera changes
    for module in ("schemas", "crosswire.validate", "crosswire.rowcheck"):
        assert hour_after(module) == "6", module


def test_an_agreement_between_two_statements_of_one_article_is_reported():
    import pyarrow as pa

    from schemas.relations import check_relations
    statements = pa.table({"statement_id": ["st_a", "st_b", "st_c"], "article_id": ["art_1", "art_1", "art_2"]})
    ok = pa.table({"agreement_id": ["ag_1", "ag_2"], "statement_a": ["st_a", "st_a"],
                   "statement_b": ["st_c", "st_x"]})   # st_x unknown: a broken key, not this error
    assert check_relations({"statements": statements, "agreements": ok}) == [
        "agreements.statement_b: 1 value(s) not in statements.statement_id, e.g. st_x"]
    bad = pa.table({"agreement_id": ["ag_1", "ag_3"], "statement_a": ["st_a", "st_a"], "statement_b": ["st_c", "st_b"]})
    errors = check_relations({"statements": statements, "agreements": bad})
    assert errors == ["agreements: 1 agreement(s) link two statements of one article, e.g. ag_3"]


def test_a_null_where_the_field_declares_none_is_not_reported_as_a_broken_reference():
    """A file read back can hold a null in a column its schema declares not null (pandera's
    row checks report that); the reference check names the unknown values alone."""
    import pyarrow as pa

    from schemas.relations import check_relations

    field = pa.field("article_a", pa.string(), nullable=False)
    copies = pa.table({"article_a": pa.array(["art_a", None, "art_z"])}, schema=pa.schema([field]))
    errors = check_relations({"copies": copies, "articles": pa.table({"article_id": ["art_a"]})})
    assert errors == ["copies.article_a: 1 value(s) not in articles.article_id, e.g. art_z"]
