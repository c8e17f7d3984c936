"""Utterances: one row per distinct thing said in an event, however many outlets carry it.

A quotation is cut into units (its sentences; a sentence with fewer than `unit_min_words`
content words joins its neighbour), and the units of one event are grouped:

1. two units of different statements (other outlets, or the same article quoting it twice)
   in the same or nearly the same words (verbatim, near_verbatim; align.score_strong) are
   one utterance, unless the outlets name different people on firm evidence for them;
2. a unit contained in longer ones (a truncation, a fragment such as "fundamental threats")
   is part of them, never a bridge between them: it joins its best container when all its
   containers are one utterance, and none when they are different utterances (its words are
   then not distinctive). Longer parts are placed first. So a common phrase cannot chain
   unrelated utterances together;
3. two statements that the alignment links (an agreement, e.g. a translated paraphrase) and
   that share no utterance yet join their closest pair of units.

Display copies (a headline quoting the body) are left out, as the alignment leaves them out:
their body statement carries the utterance. Whole quotations are never merged transitively:
a long quotation belongs to every utterance of its units (`utterances.statement_ids` lists them all), and its `utterance_id` in the
statements table is its primary one: the utterance its own agreements support most, then the
one most sources carry, then the one covering most of its words.

Independence: two articles are the same witness when they are of one source or when
`same_copy(article_a, article_b)` says they share copy (wire); `independent_source_count`
counts the groups. The function is an argument so that the copies table can supply it.
"""
from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Callable

from . import align
from .unionfind import DisjointSet

UNIT_MIN_WORDS = align.CONFIG["thresholds"]["unit_min_words"]
_SENTENCE_END = re.compile(r"(?<=[.!?;])[\"'\u201d\u2019)\]]*\s+|\n+")


def unit_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the units of a statement's text: its sentences, a short one
    joined to the one before it (or after it, at the start)."""
    pieces, pos = [], 0
    for m in _SENTENCE_END.finditer(text):
        if text[pos:m.start()].strip():
            pieces.append((pos, m.start()))
        pos = m.end()
    if text[pos:].strip():
        pieces.append((pos, len(text)))
    if not pieces:
        return [(0, len(text))]
    merged: list[list[int]] = []
    for start, end in pieces:
        short = _content_count(text[start:end]) < UNIT_MIN_WORDS
        if merged and (short or _content_count(text[merged[-1][0]:merged[-1][1]]) < UNIT_MIN_WORDS):
            merged[-1][1] = end
        else:
            merged.append([start, end])
    return [(s, e) for s, e in merged]


def _content_count(text: str) -> int:
    return sum(1 for w in align.words(text) if w not in align.STOP)


@dataclass
class Unit:
    prep: align.Prepared
    statement: dict
    start: int
    end: int

    @property
    def text(self) -> str:
        """The unit's words as published, without the comma or colon that closed the quote."""
        return self.statement["text"][self.start:self.end].strip().rstrip(",;:").rstrip()


def _units(statements: list[dict], source_of: dict[str, str]) -> list[Unit]:
    out = []
    for st in statements:
        for start, end in unit_spans(st["text"]):
            piece = dict(st, text=st["text"][start:end])
            out.append(Unit(align.prepare(len(out), piece, source_of), st, start, end))
    return out


def _may_join(a: Unit, b: Unit) -> bool:
    """Not two parts of one statement; reported speech (the writer's words) only with the
    same speaker (align.speaker_voice); two different speakers only where one name rests
    on weak evidence (a role, a pronoun) or names a body, and neither side is a short
    fragment (as align.compatible)."""
    if a.statement is b.statement:
        return False
    sa, sb = a.prep.voice, b.prep.voice
    if "indirect" in (a.prep.kind, b.prep.kind):
        return bool(sa) and sa == sb
    if sa and sb and sa != sb:
        return not (_fragment(a) or _fragment(b)) and (
            a.statement.get("resolution") in align.WEAK_RESOLUTIONS
            or b.statement.get("resolution") in align.WEAK_RESOLUTIONS
            or not (a.statement.get("speaker_id") and b.statement.get("speaker_id")))
    return True


def _fragment(u: Unit) -> bool:
    return len(u.prep.content) < align.STRONG_WORDS


def group_units(units: list[Unit], links: list[tuple[str, str]]) -> DisjointSet:
    """The utterance groups of an event's units (steps 1-3 of the module's description)."""
    groups = DisjointSet(range(len(units)))
    preps = [u.prep for u in units]
    idf = align.weigh(preps, align.idf_table(preps))
    cands = align.strong_candidates(preps, lambda i, j: _may_join(units[i], units[j]))
    containers: dict[int, dict[int, tuple]] = defaultdict(dict)   # contained -> {container: rank}
    same_fragments = []
    for i, j in sorted(cands):
        link = align.score_strong(preps[i], preps[j], idf)
        if link is None:
            continue
        a, b = units[i], units[j]
        if link.relation in ("verbatim", "near_verbatim") and not (_fragment(a) or _fragment(b)):
            groups.union(i, j)           # the same sentence in (nearly) the same words
            continue
        part, whole = sorted((a, b), key=lambda u: (u.prep.weight, len(u.prep.content), u.prep.idx))
        if _fragment(whole):
            if link.relation == "verbatim":
                same_fragments.append((i, j))   # the same two or three words
            continue
        containers[part.prep.idx][whole.prep.idx] = (link.similarity, -len(whole.prep.content),
                                                     whole.prep.sid, whole.start)
    # a part joins its container only when all its containers are one utterance; longer
    # parts first, so that a part's containers have settled before it is placed
    attached = set()
    for part in sorted(containers, key=lambda x: (-len(preps[x].content), x)):
        held = containers[part]
        if len({groups.find(c) for c in held}) == 1:
            groups.union(part, max(held, key=lambda c: (held[c], -c)))
            attached.add(part)
    # identical fragments that no quotation holds: one utterance of their own
    for i, j in same_fragments:
        if i not in attached and j not in attached and i not in containers and j not in containers:
            groups.union(i, j)
    # statements the alignment links but whose units met in no group: their closest units
    units_of: dict[str, list[int]] = defaultdict(list)
    for u in units:
        units_of[u.statement["statement_id"]].append(u.prep.idx)
    for sa, sb in links:
        ua, ub = units_of.get(sa, []), units_of.get(sb, [])
        if not ua or not ub or {groups.find(x) for x in ua} & {groups.find(y) for y in ub}:
            continue
        best = max(((_dice(preps[x], preps[y]), -x, -y) for x in ua for y in ub))
        groups.union(-best[1], -best[2])
    return groups


def _dice(a: align.Prepared, b: align.Prepared) -> float:
    return 2 * len(a.cset & b.cset) / ((len(a.cset) + len(b.cset)) or 1)


def independent_count(article_ids: set[str], source_of: dict[str, str],
                      same_copy: Callable[[str, str], bool]) -> int:
    """Witnesses: articles grouped by source and by shared copy; the number of groups."""
    ids = sorted(article_ids)
    groups = DisjointSet(range(len(ids)))
    first_of_source: dict[str, int] = {}
    for k, aid in enumerate(ids):
        src = source_of.get(aid, aid)
        if src in first_of_source:
            groups.union(k, first_of_source[src])
        else:
            first_of_source[src] = k
    for x in range(len(ids)):
        for y in range(x + 1, len(ids)):
            if same_copy(ids[x], ids[y]):
                groups.union(x, y)
    return len({groups.find(k) for k in range(len(ids))})


def utterance_id(event_id: str, units: list[Unit]) -> str:
    """'utt_' + 16 hex digits of sha256('event_id|wording|statement_id|offset') of the unit
    that sorts first by normalised wording, then statement_id, then offset: stable across
    releases while the event keeps its id and no newly added copy sorts before it; unique,
    since every unit belongs to one utterance (two utterances of the same words, e.g. said
    by two people, differ in their units)."""
    first = min(units, key=lambda u: (" ".join(u.prep.tokens), u.statement["statement_id"], u.start))
    key = f"{event_id}|{' '.join(first.prep.tokens)}|{first.statement['statement_id']}|{first.start}"
    return "utt_" + hashlib.sha256(key.encode()).hexdigest()[:16]


def _published_key(article: dict) -> tuple:
    p = article.get("published")
    return (p is None, str(p) if p is not None else "")


def event_utterances(event_id: str, statements: list[dict], links: list[tuple[str, str]],
                     articles: dict[str, dict], same_copy: Callable[[str, str], bool]):
    """-> (utterance rows, {statement_id: primary utterance_id},
    {statement_id: [utterance_id, ...]} every utterance of each statement). A display copy
    (a headline, standfirst or summary line copying a body quotation of its own article,
    align.display_copies) has none: its body statement carries the utterance, as it carries
    the agreements.
    `statements` carry their final speakers; `links` are the event's agreements as
    (statement_id, statement_id); `articles` maps article_id to its row."""
    source_of = {aid: a["source_id"] for aid, a in articles.items()}
    whole = [align.prepare(i, s, source_of) for i, s in enumerate(statements)]
    copies = align.display_copies(whole)
    units = _units([s for i, s in enumerate(statements) if i not in copies], source_of)
    if not units:
        return [], {}, {}
    groups = group_units(units, links)
    members: dict[int, list[Unit]] = defaultdict(list)
    for u in units:
        members[groups.find(u.prep.idx)].append(u)
    ids = {root: utterance_id(event_id, us) for root, us in members.items()}

    rows = []
    stmts_of: dict[int, dict[str, dict]] = {}
    for root, us in members.items():
        stmts = {u.statement["statement_id"]: u.statement for u in us}
        stmts_of[root] = stmts
        arts = {s["article_id"] for s in stmts.values()}
        first = min(stmts.values(), key=lambda s: (_published_key(articles[s["article_id"]]),
                                                   source_of[s["article_id"]], s["statement_id"]))
        # the wording most units share, as the earliest outlet printed it (ties: earliest)
        full = sorted([u for u in us if not _fragment(u)] or us,
                      key=lambda u: (_published_key(articles[u.statement["article_id"]]),
                                     source_of[u.statement["article_id"]],
                                     u.statement["statement_id"], u.start))
        wording = Counter(" ".join(u.prep.tokens) for u in full)
        rep = max(enumerate(full), key=lambda ku: (wording[" ".join(ku[1].prep.tokens)], -ku[0]))[1]
        speaker = _speaker(stmts.values())
        rows.append({
            "utterance_id": ids[root],
            "event_id": event_id,
            "speaker_id": speaker[0],
            "speaker_name": speaker[1],
            "speaker_kind": speaker[2],
            "text": rep.text,
            "first_statement_id": first["statement_id"],
            "first_source_id": source_of[first["article_id"]],
            "first_published": articles[first["article_id"]].get("published"),
            "source_count": len({source_of[a] for a in arts}),
            "independent_source_count": independent_count(arts, source_of, same_copy),
            "wording_count": len({" ".join(u.prep.tokens) for u in us}),
            "statement_count": len(stmts),
            "statement_ids": sorted(stmts),
        })
    primary, every = _primaries(units, groups, links, ids, {r["utterance_id"]: r for r in rows})
    rows.sort(key=lambda r: r["utterance_id"])
    return rows, primary, every


def _speaker(statements) -> tuple[str | None, str | None, str | None]:
    """(speaker_id, speaker_name, speaker_kind) of an utterance: the person most of its
    statements name; else the body, document or group most of them name ("Police said"
    in three outlets is the police's); else no one. Ties: the person more articles name by
    name, then the smaller id or name."""
    statements = list(statements)
    people = Counter((s["speaker_id"], s.get("speaker_name")) for s in statements if s.get("speaker_id"))
    by_name = Counter(s["speaker_id"] for s in statements if s.get("speaker_id") and s.get("resolution") == "name")
    if people:
        # (a tie goes to the person an article names over one a pronoun was read as)
        (sid, name), _ = min(people.items(), key=lambda kv: (-kv[1], -by_name[kv[0][0]], kv[0][0]))
        return sid, name, "person"
    others = Counter((s["speaker_name"], s["speaker_kind"]) for s in statements
                     if s.get("speaker_name") and s.get("speaker_kind") not in (None, "person"))
    if others:
        (name, kind), _ = min(others.items(), key=lambda kv: (-kv[1], kv[0]))
        return None, name, kind
    return None, None, None


def _primaries(units, groups, links, ids, row_of):
    """Each statement's primary utterance: the one its agreements support most, then the
    one most sources carry, then the one covering most of its content words."""
    roots_of: dict[str, Counter] = defaultdict(Counter)
    for u in units:
        roots_of[u.statement["statement_id"]][groups.find(u.prep.idx)] += len(u.prep.content) + 1
    support: dict[str, Counter] = defaultdict(Counter)
    for a, b in links:
        for x, y in ((a, b), (b, a)):
            for root in set(roots_of.get(x, ())) & set(roots_of.get(y, ())):
                support[x][root] += 1
    primary, every = {}, {}
    for sid, roots in roots_of.items():
        best = max(roots, key=lambda r: (support[sid][r], row_of[ids[r]]["source_count"],
                                         roots[r], ids[r]))
        primary[sid] = ids[best]
        every[sid] = sorted(ids[r] for r in roots)
    return primary, every


def agreement_utterance(a: str, b: str, primary: dict[str, str], every: dict[str, list[str]],
                        row_of: dict[str, dict]) -> str | None:
    """The utterance an agreement supports: the shared one, a side's primary first."""
    shared = set(every.get(a, ())) & set(every.get(b, ()))
    for choice in (primary.get(a), primary.get(b)):
        if choice in shared:
            return choice
    if not shared:
        return None
    return max(shared, key=lambda u: (row_of[u]["source_count"], u))
