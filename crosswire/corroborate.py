"""Stage entry point: events, wire copy, aligned statements, cross-source attribution and
utterances.

Pure: plain dicts in, plain dicts out, nothing read or written.
"""
from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from typing import NamedTuple

from . import align, copies, events, utterances

STAGE_VERSION = "2.0.0"


class CrossSource(NamedTuple):
    """What the cross-source stage makes, each list sorted by its key."""
    articles: list[dict]      # with event_id
    statements: list[dict]    # with cross_source attribution and utterance_id
    events: list[dict]
    agreements: list[dict]
    utterances: list[dict]
    copies: list[dict]
    warnings: list[dict]      # for the manifest (articles dated far outside their event)


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
                 previous_events: dict[str, str] | None = None) -> CrossSource:
    """Events, copies, agreements and utterances of `articles` and their `statements`.
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
    same_copy = _same_copy(wire)
    article_of = {a["article_id"]: a for a in articles}
    overrides, agreements, utterance_rows, primary = {}, [], [], {}
    for eid, stmts in sorted(by_event.items()):
        links, over = align.align_event(stmts, source_of)
        overrides.update(over)
        rows, prim, every = utterances.event_utterances(
            eid, [_with_speaker(s, over.get(s["statement_id"]), names) for s in stmts],
            [(link.a.sid, link.b.sid) for link in links], article_of, same_copy)
        utterance_rows += rows
        primary.update(prim)
        row_of = {r["utterance_id"]: r for r in rows}
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
                "utterance_id": utterances.agreement_utterance(
                    a["statement_id"], b["statement_id"], prim, every, row_of),
            })

    out_statements = [dict(_with_speaker(s, overrides.get(s["statement_id"]), names),
                           utterance_id=primary.get(s["statement_id"])) for s in statements]
    out_statements = sorted(out_statements + [dict(s, utterance_id=None) for s in orphans],
                            key=lambda s: s["statement_id"])
    out_articles = [dict(a, event_id=event_of[a["article_id"]]) for a in articles]
    event_table = events.event_rows(articles, statements, grouping)
    agreements.sort(key=lambda r: r["agreement_id"])
    utterance_rows.sort(key=lambda r: r["utterance_id"])
    return CrossSource(out_articles, out_statements, event_table, agreements, utterance_rows,
                       copy_table, events.date_warnings(articles, grouping))


def _with_speaker(s: dict, speaker_id: str | None, names: dict[str, str]) -> dict:
    """The statement with the speaker other outlets give it (cross_source), if any."""
    if not speaker_id:
        return s
    return dict(s, speaker_id=speaker_id, speaker_name=names.get(speaker_id), resolution="cross_source")


def _same_copy(wire: set[frozenset]):
    """Whether two articles share copy, for the utterances' count of independent sources."""
    return lambda a, b: frozenset((a, b)) in wire
