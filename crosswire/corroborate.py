"""Stage entry point: events, wire copy, aligned statements and cross-source attribution.

Pure: plain dicts in, plain dicts out, nothing read or written.
"""
from __future__ import annotations

import hashlib
from collections import Counter, defaultdict

from . import align, copies, events

STAGE_VERSION = "1.2.0"


def agreement_id(a: str, b: str) -> str:
    a, b = sorted((a, b))
    return "agr_" + hashlib.sha256(f"{a}\x00{b}".encode()).hexdigest()[:16]


def _names(statements: list[dict]) -> dict[str, str]:
    """speaker_id -> the display name outlets use most for it."""
    seen = defaultdict(Counter)
    for s in statements:
        if s.get("speaker_id") and s.get("speaker_name"):
            seen[s["speaker_id"]][s["speaker_name"]] += 1
    return {k: sorted(c.items(), key=lambda x: (-x[1], x[0]))[0][0] for k, c in seen.items()}


def _attributed(s: dict) -> bool:
    """The article names someone for this statement (a person, a role, a pronoun)."""
    return bool(s.get("speaker_id") or (s.get("speaker_mention") or "").strip())


def cross_source(articles: list[dict], statements: list[dict],
                 previous_events: dict[str, str] | None = None):
    """-> (articles with event_id, statements with cross_source attribution, events rows,
    agreements rows, copies rows, warnings for the manifest), each sorted by its key.
    `previous_events` ({article_id: event_id} of the last release) keeps event ids stable
    across releases."""
    articles = sorted(articles, key=lambda a: a["article_id"])
    known = {a["article_id"] for a in articles}
    statements = sorted(statements, key=lambda s: s["statement_id"])
    orphans = [s for s in statements if s["article_id"] not in known]  # passed through as is
    statements = [s for s in statements if s["article_id"] in known]
    grouping = events.cluster(articles, statements, previous_events)
    event_of = grouping.event_of
    source_of = {a["article_id"]: a["source_id"] for a in articles}
    copy_table = copies.copy_rows(articles, statements)
    wire = copies.pairs(copy_table)
    names = _names(statements)
    by_id = {s["statement_id"]: s for s in statements}

    by_event = defaultdict(list)
    for s in statements:
        by_event[event_of[s["article_id"]]].append(s)
    overrides, agreements = {}, []
    for eid, stmts in sorted(by_event.items()):
        links, over = align.align_event(stmts, source_of)
        overrides.update(over)
        for link in links:
            a, b = sorted((by_id[link.a.sid], by_id[link.b.sid]), key=lambda s: s["statement_id"])
            conflict = (_attributed(a) and _attributed(b)
                        and a.get("speaker_id") != b.get("speaker_id"))
            agreements.append({
                "agreement_id": agreement_id(a["statement_id"], b["statement_id"]),
                "event_id": eid,
                "statement_a": a["statement_id"],
                "statement_b": b["statement_id"],
                "relation": link.relation,
                "similarity": float(link.similarity),
                "diff": align.word_diff(a["text"], b["text"]),
                "speaker_conflict": bool(conflict),
                "independent": frozenset((a["article_id"], b["article_id"])) not in wire,
            })

    out_statements = []
    for s in statements:
        spk = overrides.get(s["statement_id"])
        if spk:
            s = dict(s, speaker_id=spk, speaker_name=names.get(spk), resolution="cross_source")
        out_statements.append(s)
    out_statements = sorted(out_statements + orphans, key=lambda s: s["statement_id"])
    out_articles = [dict(a, event_id=event_of[a["article_id"]]) for a in articles]
    event_table = events.event_rows(articles, statements, grouping)
    agreements.sort(key=lambda r: r["agreement_id"])
    warnings = events.date_warnings(articles, grouping)
    return out_articles, out_statements, event_table, agreements, copy_table, warnings
