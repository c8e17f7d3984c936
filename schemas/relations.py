"""Checks across tables: keys that point at rows that exist, offsets that index real text."""
from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

from crosswire.tableparts import TableParts, is_in

# (table, column) -> (table, key column) it refers to
FOREIGN_KEYS = {
    ("articles", "source_id"): ("sources", "source_id"),
    ("articles", "event_id"): ("events", "event_id"),
    ("statements", "article_id"): ("articles", "article_id"),
    ("statements", "speaker_id"): ("speakers", "speaker_id"),
    ("agreements", "event_id"): ("events", "event_id"),
    ("agreements", "statement_a"): ("statements", "statement_id"),
    ("agreements", "statement_b"): ("statements", "statement_id"),
    ("agreements", "utterance_id"): ("utterances", "utterance_id"),
    ("statements", "utterance_id"): ("utterances", "utterance_id"),
    ("utterances", "event_id"): ("events", "event_id"),
    ("utterances", "speaker_id"): ("speakers", "speaker_id"),
    ("utterances", "first_statement_id"): ("statements", "statement_id"),
    ("utterances", "first_source_id"): ("sources", "source_id"),
    ("copies", "article_a"): ("articles", "article_id"),
    ("copies", "article_b"): ("articles", "article_id"),
}
SECTION_FIELD = {"title": "title", "standfirst": "standfirst", "summary": "summary", "body": "text"}


def check_relations(tables: dict[str, pa.Table], fresh: dict[str, set] | None = None) -> list[str]:
    """Every broken reference and every statement whose offsets do not hold its text.
    `fresh` ({"articles": keys, "statements": keys}, when given): the only rows of those two
    tables that are new or changed since a release whose rows passed these checks; the
    offsets of a statement are then checked again only where it or its article is fresh
    (the others held then, on the same rows). Every reference is always checked."""
    errors = []
    for (table, column), (target, key) in FOREIGN_KEYS.items():
        if table not in tables or target not in tables \
                or column not in tables[table].column_names:
            continue  # a release made before the table or the column existed
        rows = tables[table]
        # in Arrow (a column of a large table is never made Python objects; a TableParts's
        # maker may answer without making it): values not null and not known
        unknown = pc.invert(is_in(rows, column, tables[target].column(key).combine_chunks()))
        if _holds_nulls(rows, column):
            unknown = pc.and_(pc.is_valid(rows.column(column)), unknown)
        missing = sorted(set(rows.column(column).filter(unknown).to_pylist())) if pc.any(unknown).as_py() else []
        if missing:
            errors.append(f"{table}.{column}: {len(missing)} value(s) not in {target}.{key}, "
                          f"e.g. {', '.join(map(str, missing[:3]))}")
    if "statements" in tables and "articles" in tables:
        statements = tables["statements"]
        if fresh is not None:
            statements = _of_fresh(statements, fresh.get("statements", set()), fresh.get("articles", set()))
        errors += _check_spans(tables["articles"], statements)
    if "agreements" in tables and "statements" in tables:
        errors += _check_agreement_sides(tables["statements"], tables["agreements"])
    if "utterances" in tables and "statements" in tables:
        errors += _check_utterance_members(tables["statements"], tables["utterances"])
    return errors


def _holds_nulls(rows, column: str) -> bool:
    """Whether the column has a null, whatever its field declares (a file read back may hold
    one where the schema says none): a TableParts knows its columns with one, a table counts."""
    return column in rows.nulls() if isinstance(rows, TableParts) else rows.column(column).null_count > 0


def _of_fresh(statements: pa.Table, keys: set, articles: set) -> pa.Table:
    """The statements that are fresh themselves (statement_id in `keys`) or whose article is."""
    def among(column: str, values: set):
        return pc.is_in(statements.column(column), value_set=pa.array(sorted(values), pa.string()))
    return statements.filter(pc.or_(among("statement_id", keys), among("article_id", articles)))


def _check_utterance_members(statements: pa.Table, utterances: pa.Table) -> list[str]:
    """utterances.statement_ids name statements that exist, and every statement with an
    utterance_id is among that utterance's statement_ids. In Arrow: (statement, utterance)
    pairs compared as joined strings, no column made Python objects."""
    known = statements.column("statement_id").combine_chunks()
    ids = utterances.column("statement_ids").combine_chunks()
    members = pc.list_flatten(ids)
    errors = []
    unknown = sorted(set(members.filter(pc.invert(pc.is_in(members, value_set=known))).to_pylist()))
    if unknown:
        errors.append(f"utterances.statement_ids: {len(unknown)} value(s) not in "
                      f"statements.statement_id, e.g. {', '.join(unknown[:3])}")
    if "utterance_id" in statements.column_names:
        owner = utterances.column("utterance_id").combine_chunks().take(pc.list_parent_indices(ids))
        listed = pc.binary_join_element_wise(members, owner, "\x00")
        uid = statements.column("utterance_id")
        claimed = pc.binary_join_element_wise(statements.column("statement_id"), uid, "\x00")
        outside_mask = pc.and_(pc.is_valid(uid), pc.invert(pc.is_in(claimed, value_set=listed)))
        outside = statements.column("statement_id").filter(outside_mask).to_pylist()
        if outside:
            errors.append(f"statements: {len(outside)} statement(s) missing from their "
                          f"utterance's statement_ids, e.g. {', '.join(outside[:3])}")
    return errors


def _check_spans(articles: pa.Table, statements: pa.Table) -> list[str]:
    # only the articles of these statements are made Python objects (their texts above all)
    mine = pc.is_in(articles.column("article_id"), value_set=statements.column("article_id").unique())
    fields = {row["article_id"]: row for row in
              articles.filter(mine).select(["article_id", "title", "standfirst", "summary", "text"]).to_pylist()}
    bad = []
    for s in statements.select(["statement_id", "article_id", "section", "char_start", "char_end", "text"]).to_pylist():
        art = fields.get(s["article_id"])
        if art is None:
            continue  # reported as a broken key
        if s["section"] == "body" and art["text"] is None:
            continue  # text withheld for its licence: checkable against a copy with text_sha256
        field = art.get(SECTION_FIELD.get(s["section"], "")) or ""
        if not (0 <= s["char_start"] <= s["char_end"] <= len(field)) or field[s["char_start"]:s["char_end"]] != s["text"]:
            bad.append(s["statement_id"])
    if bad:
        return [f"statements: {len(bad)} statement(s) whose text is not what the article holds at "
                f"their offsets, e.g. {', '.join(bad[:3])}"]
    return []


def _check_agreement_sides(statements: pa.Table, agreements: pa.Table) -> list[str]:
    # in Arrow: each side's article looked up by its statement's place (no dict of every statement)
    ids = statements.column("statement_id").combine_chunks()
    article = statements.column("article_id").combine_chunks()

    def article_of(side: str):
        return article.take(pc.index_in(agreements.column(side), value_set=ids))  # null: an unknown id

    same = pc.fill_null(pc.equal(article_of("statement_a"), article_of("statement_b")), False)
    found = agreements.column("agreement_id").filter(same)
    if len(found):
        return [f"agreements: {len(found)} agreement(s) link two statements of one article, e.g. {found[0]}"]
    return []
