"""Checks across tables: keys that point at rows that exist, offsets that index real text."""
from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

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


def check_relations(tables: dict[str, pa.Table]) -> list[str]:
    """Every broken reference and every statement whose offsets do not hold its text."""
    errors = []
    for (table, column), (target, key) in FOREIGN_KEYS.items():
        if table not in tables or target not in tables \
                or column not in tables[table].column_names:
            continue  # a release made before the table or the column existed
        values = tables[table].column(column)
        # in Arrow (a column of a large table is never made Python objects): values not null and not known
        unknown = pc.and_(pc.is_valid(values),
                          pc.invert(pc.is_in(values, value_set=tables[target].column(key).combine_chunks())))
        missing = sorted(set(values.filter(unknown).to_pylist()))
        if missing:
            errors.append(f"{table}.{column}: {len(missing)} value(s) not in {target}.{key}, "
                          f"e.g. {', '.join(map(str, missing[:3]))}")
    if "statements" in tables and "articles" in tables:
        errors += _check_spans(tables["articles"], tables["statements"])
    if "agreements" in tables and "statements" in tables:
        errors += _check_agreement_sides(tables["statements"], tables["agreements"])
    if "utterances" in tables and "statements" in tables:
        errors += _check_utterance_members(tables["statements"], tables["utterances"])
    return errors


def _check_utterance_members(statements: pa.Table, utterances: pa.Table) -> list[str]:
    """utterances.statement_ids name statements that exist, and every statement with an
    utterance_id is among that utterance's statement_ids."""
    known = set(statements.column("statement_id").to_pylist())
    members = {u: set(ids) for u, ids in zip(utterances.column("utterance_id").to_pylist(),
                                               utterances.column("statement_ids").to_pylist())}
    errors = []
    unknown = sorted({s for ids in members.values() for s in ids} - known)
    if unknown:
        errors.append(f"utterances.statement_ids: {len(unknown)} value(s) not in "
                      f"statements.statement_id, e.g. {', '.join(unknown[:3])}")
    if "utterance_id" in statements.column_names:
        outside = [s for s, u in zip(statements.column("statement_id").to_pylist(),
                                     statements.column("utterance_id").to_pylist())
                   if u is not None and s not in members.get(u, ())]
        if outside:
            errors.append(f"statements: {len(outside)} statement(s) missing from their "
                          f"utterance's statement_ids, e.g. {', '.join(outside[:3])}")
    return errors


def _check_spans(articles: pa.Table, statements: pa.Table) -> list[str]:
    fields = {row["article_id"]: row for row in
              articles.select(["article_id", "title", "standfirst", "summary", "text"]).to_pylist()}
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
    article_of = dict(zip(statements.column("statement_id").to_pylist(), statements.column("article_id").to_pylist()))
    same = [a for a, x, y in zip(agreements.column("agreement_id").to_pylist(),
                                 agreements.column("statement_a").to_pylist(),
                                 agreements.column("statement_b").to_pylist())
            if x in article_of and article_of[x] == article_of.get(y)]
    if same:
        return [f"agreements: {len(same)} agreement(s) link two statements of one article, e.g. {same[0]}"]
    return []
