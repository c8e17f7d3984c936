"""Stage entry point: events, wire copy, aligned statements, cross-source attribution and
utterances.

Plain dicts in, plain dicts out. Events, wire copy and the display names are worked out
over all articles; the rest is one event_part per event, a function of that event's inputs
alone (event_inputs), which a caller's memo can keep between runs so that only events whose
articles changed are aligned again. With a `store_root` (the cache directory), the copies'
shingle index and the events' article profiles are kept there between runs
(crosswire.blobs), so that an added article costs its own shingles and profile; without
one, nothing is read or written.

cross_source_stream is the same stage over slim article rows (no text) and two readers,
text_of(article_id) and statements_of(article_id): the release flow's driver passes readers
of the cache, so it never holds the corpus's texts or statements; cross_source is its form
over lists.
"""
from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from pathlib import Path
from collections.abc import Callable, Iterator, Mapping
from typing import NamedTuple, Protocol

from . import align, cache, copies, events, utterances

STAGE_VERSION = "2.1.0"  # 2.1: agreements carry source_a/source_b


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
        _count_name(seen, s)
    return _most_used(seen)


def _count_name(seen: dict, s: dict) -> None:
    if s.get("speaker_id") and s.get("speaker_name"):
        seen[s["speaker_id"]][s["speaker_name"]] += 1


def _most_used(seen: dict) -> dict[str, str]:
    return {k: sorted(c.items(), key=lambda x: (-x[1], x[0]))[0][0] for k, c in seen.items()}


def _attributed(s: dict) -> bool:
    """The article names someone for this statement (a person, a role, a pronoun)."""
    return bool(s.get("speaker_id") or (s.get("speaker_mention") or "").strip())


def cross_source(articles: list[dict], statements: list[dict],
                 previous_events: dict[str, str] | None = None, memo: Memo | None = None,
                 store_root: Path | None = None) -> CrossSource:
    """Events, copies, agreements and utterances of `articles` and their `statements`.
    `previous_events` ({article_id: event_id} of the last release) keeps event ids stable
    across releases. With a `memo`, an event whose inputs (event_inputs) were seen before
    takes its alignment and utterances from it instead of computing them again. The result
    is the same with or without `store_root` (see the module docstring). The lists' form of
    cross_source_stream, which reads each article's text and statements when it needs them."""
    known = {a["article_id"] for a in articles}
    by_article = defaultdict(list)
    orphans = []  # statements of no known article: passed through as they are
    for s in statements:
        (by_article[s["article_id"]] if s["article_id"] in known else orphans).append(s)
    rows = {a["article_id"]: a for a in articles}
    out = cross_source_stream(articles, lambda aid: by_article.get(aid, []), lambda aid: rows[aid].get("text"),
                              previous_events, memo, store_root)
    out_statements = sorted([*out.statements(), *(dict(s, utterance_id=None) for s in orphans)],
                            key=lambda s: s["statement_id"])
    return CrossSource(out.articles, out_statements, out.events, sorted(out.agreements, key=lambda r: r["agreement_id"]),
                       sorted(out.utterances, key=lambda r: r["utterance_id"]), list(out.copies), out.warnings)


class ArticleView(Mapping):
    """An article row without its text held: the slim fields kept, the text (any field the
    slim row lacks) read through `text_of(article_id)` when asked for. What the events and
    copies get in place of the corpus's rows."""
    __slots__ = ("_row", "_text_of")
    HEAVY = ("text",)

    def __init__(self, row: dict, text_of: Callable[[str], str | None]):
        self._row, self._text_of = row, text_of

    def __getitem__(self, key):
        if key in self._row:
            return self._row[key]
        if key in self.HEAVY:
            return self._text_of(self._row["article_id"])
        raise KeyError(key)

    def __iter__(self):
        yield from self._row
        yield from (k for k in self.HEAVY if k not in self._row)

    def __contains__(self, key):  # without reading the text
        return key in self._row or key in self.HEAVY

    def __len__(self):
        return len(set(self._row) | set(self.HEAVY))


def slim_article(row: dict) -> dict:
    """The article row without the fields ArticleView reads back when asked (its text)."""
    return {k: v for k, v in row.items() if k not in ArticleView.HEAVY}


class StatementsView:
    """The statements of some articles, read article by article through `statements_of`
    each time they are iterated (article_id order, each article's by statement_id): the
    corpus's statements never held at once here."""

    def __init__(self, article_ids: list[str], statements_of: Callable[[str], list[dict]]):
        self.article_ids, self.statements_of = sorted(article_ids), statements_of
        self._names: dict[str, str] | None = None

    def of(self, article_id: str) -> list[dict]:
        return sorted(self.statements_of(article_id), key=lambda s: s["statement_id"])

    def __iter__(self) -> Iterator[dict]:
        seen = defaultdict(Counter) if self._names is None else None
        for aid in self.article_ids:
            for s in self.of(aid):
                if seen is not None:
                    _count_name(seen, s)
                yield s
        if seen is not None:  # a whole pass: the names come with it (one read of the statements fewer)
            self._names = _most_used(seen)

    def names(self) -> dict[str, str]:
        """_names of the statements: gathered on the first whole pass, or by one now."""
        if self._names is None:
            for _ in self:
                pass
        return self._names


class PackedRows:
    """Rows added a list at a time (an event's), kept as their JSON bytes (cache.dumps: a
    few times smaller than the dicts) and made again, in the order added, when iterated:
    the corpus's agreements and utterances are not held as dicts until the tables need them.
    The rows are in their JSON form already (cache.canonical), so they come back equal."""

    def __init__(self):
        self.parts: list[bytes] = []
        self.rows = 0

    def add(self, rows: list[dict]) -> None:
        if rows:
            self.parts.append(cache.dumps(rows).encode("utf-8"))
            self.rows += len(rows)

    def __len__(self) -> int:
        return self.rows

    def __iter__(self) -> Iterator[dict]:
        for part in self.parts:
            yield from cache.loads(part.decode("utf-8"))


class CrossSourceStream(NamedTuple):
    """cross_source_stream's result: the tables that are small beside the statements as
    lists (each sorted by its key), the agreements and utterances packed by event (in event
    order: publishing orders a table's rows), and the statements as a generator
    (`statements()`, article by article, read again from where they are kept)."""
    articles: list[dict]      # slim rows, with event_id
    statements: Callable[..., Iterator[dict]]  # with cross_source attribution and utterance_id
    events: list[dict]
    agreements: PackedRows
    utterances: PackedRows
    copies: copies.CopyPairs  # iterated: the copies rows in copy_id order, made as they are read
    warnings: list[dict]
    # event_id -> event_key of its inputs (with a memo; events without statements have
    # none): what the cross-source columns of its statements (speaker override, names,
    # utterance_id) are a function of, so a caller can tell which statement rows can change
    event_keys: dict[str, str]


def cross_source_stream(articles: list[dict], statements_of: Callable[[str], list[dict]],
                        text_of: Callable[[str], str | None], previous_events: dict[str, str] | None = None,
                        memo: Memo | None = None, store_root: Path | None = None) -> CrossSourceStream:
    """cross_source over slim article rows (slim_article: no text) whose text `text_of(article_id)`
    and statements `statements_of(article_id)` give when asked: the events and copies get
    ArticleViews and a StatementsView, and the alignment runs event by event, each event's
    statements read when it is aligned, so that only keys and per-statement tags (the
    speaker other outlets give it, its primary utterance) are held for the whole corpus."""
    articles = sorted(articles, key=lambda a: a["article_id"])
    views = [ArticleView(a, text_of) for a in articles]
    stmts = StatementsView([a["article_id"] for a in articles], statements_of)
    grouping = events.cluster(views, stmts, previous_events, store_root=store_root)
    event_of = grouping.event_of
    copy_table = copies.copy_pairs(views, stmts, store_root)
    names = stmts.names()
    wire_of = copy_table.within(event_of)  # the copy pairs within each event

    members = defaultdict(list)
    for a in articles:
        members[event_of[a["article_id"]]].append(a["article_id"])
    article_of = {a["article_id"]: a for a in articles}
    tags = {}  # statement_id -> (speaker override, primary utterance)
    agreements, utterance_rows = PackedRows(), PackedRows()
    event_keys = {}
    for eid in sorted(members):
        mine = sorted((s for aid in members[eid] for s in stmts.of(aid)), key=lambda s: s["statement_id"])
        if not mine:
            continue
        inputs = event_inputs(eid, mine, article_of, wire_of[eid], names)
        if memo is not None:
            event_keys[eid] = event_key(inputs)
        part = _event_part_memoised(inputs, memo, event_keys.get(eid))
        agreements.add(part.agreements)
        utterance_rows.add(part.utterances)
        for sid in part.primary.keys() | part.overrides.keys():
            tags[sid] = (part.overrides.get(sid), part.primary.get(sid))

    def out_statements(only: set[str] | None = None) -> Iterator[dict]:
        """The statements (of the articles in `only`, when given), as published."""
        for s in (stmts if only is None else (s for aid in stmts.article_ids if aid in only for s in stmts.of(aid))):
            override, primary = tags.get(s["statement_id"], (None, None))
            yield dict(_with_speaker(s, override, names), utterance_id=primary)

    out_articles = [dict(a, event_id=event_of[a["article_id"]]) for a in articles]
    event_table = events.event_rows(views, stmts, grouping)
    return CrossSourceStream(out_articles, out_statements, event_table, agreements, utterance_rows,
                             copy_table, events.date_warnings(views, grouping), event_keys)


class Memo(Protocol):
    """Where per-event results are kept between runs (crosswire.cache.Memo over the cache
    directory, or a plain dict-backed object): values are JSON-able, None is a miss."""
    def get(self, key: str): ...
    def put(self, key: str, value) -> None: ...


class EventPart(NamedTuple):
    """What one event contributes to the cross-source stage."""
    agreements: list[dict]
    utterances: list[dict]
    primary: dict[str, str]     # statement_id -> its primary utterance_id
    overrides: dict[str, str]   # statement_id -> the speaker_id other outlets give it


def event_inputs(event_id: str, statements: list[dict], article_of: dict[str, dict],
                 wire: set[frozenset], names: dict[str, str]) -> dict:
    """Everything event_part reads for one event, and nothing more: its statements, the
    outlet and date of their articles, the copy pairs among those articles and the display
    names of the speakers its statements name. The memo key is a digest of exactly this."""
    members = sorted({s["article_id"] for s in statements})
    inside = set(members)
    return {
        "event_id": event_id,
        "statements": statements,
        "articles": {aid: {"source_id": article_of[aid]["source_id"],
                           "published": article_of[aid].get("published")} for aid in members},
        "copy_pairs": sorted(sorted(p) for p in wire if p <= inside),
        "names": {k: names[k] for k in sorted({s["speaker_id"] for s in statements if s.get("speaker_id")})
                  if k in names},
    }


def event_part(event_id: str, statements: list[dict], articles: dict[str, dict],
               copy_pairs: list[list[str]], names: dict[str, str]) -> EventPart:
    """Alignment, cross-source attribution, utterances and agreement rows of one event: a
    function of its arguments alone (event_inputs builds them), so it can be memoised."""
    source_of = {aid: a["source_id"] for aid, a in articles.items()}
    wire = {frozenset(p) for p in copy_pairs}
    by_id = {s["statement_id"]: s for s in statements}
    links, over = align.align_event(statements, source_of)
    rows, prim, every = utterances.event_utterances(
        event_id, [_with_speaker(s, over.get(s["statement_id"]), names) for s in statements],
        [(link.a.sid, link.b.sid) for link in links], articles, _same_copy(wire))
    row_of = {r["utterance_id"]: r for r in rows}
    agreements = []
    for link in links:
        a, b = sorted((by_id[link.a.sid], by_id[link.b.sid]), key=lambda s: s["statement_id"])
        conflict = (_attributed(a) and _attributed(b)
                    and a.get("speaker_id") != b.get("speaker_id"))
        agreements.append({
            "agreement_id": agreement_id(a["statement_id"], b["statement_id"]),
            "event_id": event_id,
            "statement_a": a["statement_id"],
            "statement_b": b["statement_id"],
            "source_a": source_of[a["article_id"]],
            "source_b": source_of[b["article_id"]],
            "relation": link.relation,
            "similarity": float(link.similarity),
            "diff": align.word_diff(a["text"], b["text"]),
            "speaker_conflict": bool(conflict),
            "independent": frozenset((a["article_id"], b["article_id"])) not in wire,
            "utterance_id": utterances.agreement_utterance(
                a["statement_id"], b["statement_id"], prim, every, row_of),
        })
    return EventPart(agreements, rows, prim, over)


def event_key(inputs: dict) -> str:
    """The memo key of one event: its inputs and the stage's declared version. (A memo
    over the cache directory adds the code's digest: crosswire.cache.Memo.)"""
    return cache.digest("event-part", STAGE_VERSION, inputs)


def _event_part_memoised(inputs: dict, memo: Memo | None, key: str | None = None) -> EventPart:
    """event_part of `inputs`, from the memo when it holds it (`key`: its event_key, when the
    caller has it). Computed or not, the part is in its JSON form (cache.canonical), so both
    ways give the same objects."""
    key = key or (event_key(inputs) if memo is not None else None)
    found = memo.get(key) if memo is not None else None
    if isinstance(found, dict) and set(found) == set(EventPart._fields):
        return EventPart(**found)  # anything else (a foreign or damaged entry) is a miss
    part = cache.canonical(event_part(**cache.canonical(inputs))._asdict())
    if memo is not None:
        memo.put(key, cache.canonical(part))
    return EventPart(**part)


def _with_speaker(s: dict, speaker_id: str | None, names: dict[str, str]) -> dict:
    """The statement with the speaker other outlets give it (cross_source), if any."""
    if not speaker_id:
        return s
    return dict(s, speaker_id=speaker_id, speaker_name=names.get(speaker_id), resolution="cross_source")


def _same_copy(wire: set[frozenset]):
    """Whether two articles share copy, for the utterances' count of independent sources."""
    return lambda a, b: frozenset((a, b)) in wire
