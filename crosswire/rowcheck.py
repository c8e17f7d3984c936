"""Which articles' rows break a published table's schema, before anything is published.

The release check (crosswire.validate) judges whole tables: one bad row would stop the
release. Run first on each article's rows, this finds the articles at fault so that the
flow rejects them (path and reason in the manifest) and publishes the rest.

    bad = failing_articles("articles", rows)     # {article_id: "language: fails str_matches ..."}
"""
from __future__ import annotations

import pandas as pd
from schemas._pandera import pdx
import pyarrow as pa

from schemas import TABLES


def _arrow(spec, rows: list[dict]) -> pa.Table:
    names = spec.arrow_schema.names
    return pa.Table.from_pylist([{n: r.get(n) for n in names} for r in rows], schema=spec.arrow_schema)


# rows checked at a time: the Arrow and pandas copies of the rows are made for this many only
CHECK_ROWS = 1_000


def failing_articles(table: str, rows: list[dict], key: str = "article_id") -> dict[str, str]:
    """article_id -> one-line reason, for each article with a row of `table` that does not
    convert to the table's Arrow schema or fails a check of its pandera model. Checks over
    the whole table (uniqueness across articles) are left to the release check. The rows
    are checked CHECK_ROWS at a time (every check here looks at one row)."""
    bad: dict[str, str] = {}
    for start in range(0, len(rows), CHECK_ROWS):
        for k, reason in _failing(table, rows[start:start + CHECK_ROWS], key).items():
            bad.setdefault(k, reason)
    return bad


def _failing(table: str, rows: list[dict], key: str) -> dict[str, str]:
    spec = TABLES[table]
    bad: dict[str, str] = {}
    try:
        arrow = _arrow(spec, rows)
    except (pa.ArrowException, TypeError, ValueError, OverflowError):
        ok = []
        for r in rows:  # find the rows that do not convert, one by one
            try:
                _arrow(spec, [r])
                ok.append(r)
            except (pa.ArrowException, TypeError, ValueError, OverflowError) as e:
                bad.setdefault(r[key], f"{table} row does not fit the schema: {' '.join(str(e).split())[:200]}")
        rows, arrow = ok, _arrow(spec, ok)
    try:
        spec.model.validate(arrow.to_pandas(types_mapper=pd.ArrowDtype), lazy=True)
    except pdx.errors.SchemaErrors as e:
        cases = e.failure_cases
        given = set().union(*(r.keys() for r in rows)) if rows else set()
        for _, case in cases[cases["index"].notna()].iterrows():
            column = case["column"]
            if not isinstance(column, str) or column not in spec.model.columns or column not in given \
                    or str(case["check"]).startswith("field_uniqueness"):
                continue  # table-wide checks, duplicate keys, columns a later stage fills: not one article's
            row = rows[int(case["index"])]
            bad.setdefault(row[key], f"{table}.{column} fails the schema check {case['check']}: "
                                     f"{str(case['failure_case'])[:80]!r}")
    except pdx.errors.SchemaError:  # raised eagerly for dtype problems: not one article's
        pass
    return bad
