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
import marshal
from collections import Counter, defaultdict
from pathlib import Path
from collections.abc import Callable, Iterator, Mapping
from typing import NamedTuple, Protocol

from . import align, cache, copies, event_names, eventinputs, events, utterances
from .blobs import Blobs

STAGE_VERSION = "2.4.0"  # 2.1: agreements carry source_a/source_b; 2.2: agreements within utterances (align.utterance_links); 2.3: event_names; 2.4: utterances name bodies (speaker_kind)


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
    if not any(k in row for k in ArticleView.HEAVY):  # slim already (an indexed article's): a copy
        return dict(row)
    return {k: v for k, v in row.items() if k not in ArticleView.HEAVY}


class StatementsView:
    """The statements of some articles, read article by article through `statements_of`
    each time they are iterated (article_id order, each article's by statement_id): the
    corpus's statements never held at once here. Each article's eventinputs.Summary (its
    statements' digests and speaker counts) comes from the store under `store_root` by the
    article's statements cache key (`keys`) where it holds it, so that the grouping, the copy
    index, the display names and the event keys read no statement of an unchanged article."""

    def __init__(self, article_ids: list[str], statements_of: Callable[[str], list[dict]],
                 keys: dict[str, str] | None = None, store_root: Path | None = None):
        self.article_ids, self.statements_of = sorted(article_ids), statements_of
        self.keys, self.store_root = keys, store_root
        self._names: dict[str, str] | None = None
        self._summaries: dict[str, eventinputs.Summary] | None = None

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

    def summaries(self) -> dict[str, eventinputs.Summary]:
        """{article_id: its eventinputs.Summary}, made (and stored) on the first call."""
        if self._summaries is None:
            self._summaries = eventinputs.summaries(self.article_ids, self.of, self.keys, self.store_root)
        return self._summaries

    def summary(self, article_id: str) -> eventinputs.Summary:
        return self.summaries()[article_id]

    def profile_digest(self, article_id: str) -> bytes:   # what events.cluster reads (events.ByArticle)
        return self.summary(article_id).profile

    def spans_digest(self, article_id: str) -> str:       # what copies.copy_pairs reads
        return self.summary(article_id).spans

    def people(self, article_id: str) -> dict[str, int]:  # what events.event_rows reads
        return dict(self.summary(article_id).people)

    def names(self) -> dict[str, str]:
        """_names of the statements: gathered on a whole pass if there was one, else from the
        articles' summaries."""
        if self._names is None:
            seen = defaultdict(Counter)
            for aid in self.article_ids:
                for speaker_id, name, n in self.summary(aid).names:
                    seen[speaker_id][name] += n
            self._names = _most_used(seen)
        return self._names


class EventParts:
    """Each event's cross-source part (EventPart), in event order: those made in this run
    kept packed (cache.dumps: a few times smaller than the dicts), the others, whose inputs
    an earlier run with the same store saw (so their row counts are known), left where the
    memo keeps them and read when asked (made again from their inputs if the memo lost
    them). The agreements and utterances tables and the statements' tags are read from
    here, an event at a time: the corpus's parts are never all held, and an unchanged event
    whose rows a caller takes from elsewhere (carry) is never read."""

    def __init__(self):
        self.order: list[str] = []
        self.packed: dict[str, bytes] = {}
        self.later: dict[str, Callable[[], EventPart]] = {}
        self.sizes: dict[str, tuple[int, int]] = {}

    def add(self, event_id: str, part: EventPart) -> None:
        self.order.append(event_id)
        self.packed[event_id] = cache.dumps(part._asdict()).encode("utf-8")
        self.sizes[event_id] = (len(part.agreements), len(part.utterances))

    def defer(self, event_id: str, load: Callable[[], EventPart], sizes: tuple[int, int]) -> None:
        self.order.append(event_id)
        self.later[event_id] = load
        self.sizes[event_id] = sizes

    def part(self, event_id: str) -> EventPart:
        if event_id in self.packed:
            return EventPart(**cache.loads(self.packed[event_id].decode("utf-8")))
        return self.later[event_id]()

    def rows(self, field: str, skip=frozenset()) -> Iterator[dict]:
        """One table's rows ("agreements" or "utterances"), in event order, without the events in `skip`."""
        column = EventPart._fields.index(field)
        for eid in self.order:
            if eid not in skip and self.sizes[eid][column]:
                yield from getattr(self.part(eid), field)


class EventRows:
    """One per-event table (agreements or utterances) of EventParts: its length known, its
    rows made as they are read (`without(events)`: those of the other events only)."""

    def __init__(self, parts: EventParts, field: str):
        self.parts, self.field = parts, field
        self.column = EventPart._fields.index(field)

    def __len__(self) -> int:
        return sum(sizes[self.column] for sizes in self.parts.sizes.values())

    def __iter__(self) -> Iterator[dict]:
        return self.parts.rows(self.field)

    def without(self, events) -> Iterator[dict]:
        return self.parts.rows(self.field, events)


class CrossSourceStream(NamedTuple):
    """cross_source_stream's result: the tables that are small beside the statements as
    lists (each sorted by its key), the agreements and utterances by event (in event
    order: publishing orders a table's rows; read from the events' parts as iterated), and
    the statements as a generator (`statements()`, article by article, read again from where
    they are kept)."""
    articles: list[dict]      # slim rows, with event_id
    statements: Callable[..., Iterator[dict]]  # with cross_source attribution and utterance_id
    events: list[dict]
    agreements: EventRows
    utterances: EventRows
    copies: copies.CopyPairs  # iterated: the copies rows in copy_id order, made as they are read
    warnings: list[dict]
    # event_id -> event_key of its inputs (with a memo; events without statements have
    # none): what the cross-source columns of its statements (speaker override, names,
    # utterance_id) are a function of, so a caller can tell which statement rows can change
    event_keys: dict[str, str]


def cross_source_stream(articles: list[dict], statements_of: Callable[[str], list[dict]],
                        text_of: Callable[[str], str | None], previous_events: dict[str, str] | None = None,
                        memo: Memo | None = None, store_root: Path | None = None,
                        statement_keys: dict[str, str] | None = None) -> CrossSourceStream:
    """cross_source over slim article rows (slim_article: no text) whose text `text_of(article_id)`
    and statements `statements_of(article_id)` give when asked: the events and copies get
    ArticleViews and a StatementsView, and the alignment runs event by event, each event's
    statements read when it is aligned, so that only keys are held for the whole corpus.
    `statement_keys` ({article_id: its statements' cache key}) lets the StatementsView keep
    each article's summary under `store_root`: then the statements of an article are read
    only when it is new to the grouping or the copy index, or its event is aligned again,
    and an event the memo holds (its key made of its articles' summaries) is read only when
    its rows or tags are asked for."""
    articles = sorted(articles, key=lambda a: a["article_id"])
    views = [ArticleView(a, text_of) for a in articles]
    stmts = StatementsView([a["article_id"] for a in articles], statements_of, statement_keys, store_root)
    grouping = events.cluster(views, stmts, previous_events, store_root=store_root)
    event_of = grouping.event_of
    copy_table = copies.copy_pairs(views, stmts, store_root)
    names = stmts.names()
    wire_of = copy_table.within(event_of)  # the copy pairs within each event

    members = defaultdict(list)
    for a in articles:
        members[event_of[a["article_id"]]].append(a["article_id"])
    article_of = {a["article_id"]: a for a in articles}
    parts, event_keys = EventParts(), {}
    sizes = _PartSizes(store_root, memo)
    for eid in sorted(members):
        quoting = [aid for aid in members[eid] if stmts.summary(aid).count]
        if not quoting:
            continue
        key = None
        if memo is not None:
            key = event_keys[eid] = event_key(eid, [(aid, stmts.summary(aid).content) for aid in quoting],
                                              event_context(quoting, {x for aid in quoting
                                                                      for x in stmts.summary(aid).speakers},
                                                            article_of, wire_of[eid], names))

        def inputs(eid=eid, quoting=quoting) -> dict:
            mine = sorted((s for aid in quoting for s in stmts.of(aid)), key=lambda s: s["statement_id"])
            return event_inputs(eid, mine, article_of, wire_of[eid], names)

        known = sizes.get(key)
        if known is not None:   # seen by an earlier run: read when asked
            parts.defer(eid, lambda inputs=inputs, key=key: _event_part_memoised(inputs, memo, key), known)
        else:
            part = _event_part_memoised(inputs, memo, key)
            parts.add(eid, part)
            sizes.put(key, parts.sizes[eid])
    sizes.save()

    def out_statements(only: set[str] | None = None) -> Iterator[dict]:
        """The statements (of the articles in `only`, when given), as published."""
        tags = {}  # statement_id -> (speaker override, primary utterance, full name), of the events asked for
        wanted = set(parts.order) if only is None else {event_of[aid] for aid in only if aid in event_of}
        for eid in parts.order:
            if eid in wanted:
                part = parts.part(eid)
                for sid in part.primary.keys() | part.overrides.keys() | part.renamed.keys():
                    tags[sid] = (part.overrides.get(sid), part.primary.get(sid), part.renamed.get(sid))
        for s in (stmts if only is None else (s for aid in stmts.article_ids if aid in only for s in stmts.of(aid))):
            override, primary, full = tags.get(s["statement_id"], (None, None, None))
            yield dict(_with_speaker(_renamed(s, full, names), override, names), utterance_id=primary)

    out_articles = [dict(a, event_id=event_of[a["article_id"]]) for a in articles]
    event_table = events.event_rows(views, stmts, grouping)
    return CrossSourceStream(out_articles, out_statements, event_table, EventRows(parts, "agreements"),
                             EventRows(parts, "utterances"), copy_table, events.date_warnings(views, grouping),
                             event_keys)


class _PartSizes:
    """{event_key: (agreements, utterances)} of the parts a memo was given, kept under the
    store (with the memo's code: a part the code makes differently is another part): which
    events an earlier run aligned, so this one need not read their parts to count them."""

    def __init__(self, store_root: Path | None, memo):
        code = getattr(memo, "code", None)
        self.store = Blobs(store_root, "event-parts", code) if store_root is not None and code else None
        self.held, self.used, self.changed = {}, {}, False
        if self.store is not None:
            try:
                held = marshal.loads(self.store.get("sizes") or marshal.dumps({}))
            except (ValueError, EOFError, TypeError):
                held = {}
            self.held = held if isinstance(held, dict) else {}

    def get(self, key: str | None):
        found = self.held.get(key) if key is not None else None
        if isinstance(found, tuple) and len(found) == 2 and all(isinstance(x, int) for x in found):
            self.used[key] = found
            return found
        return None

    def put(self, key: str | None, sizes: tuple[int, int]) -> None:
        if key is not None and self.store is not None:
            self.used[key] = tuple(sizes)
            self.changed = True

    def save(self) -> None:
        """Keep the sizes of this run's events only (those of events gone are dropped)."""
        if self.store is not None and (self.changed or self.used.keys() != self.held.keys()):
            self.store.put("sizes", marshal.dumps(self.used))


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
    renamed: dict[str, str]     # statement_id -> the person's speaker_id under their fuller name (event_names)


def event_inputs(event_id: str, statements: list[dict], article_of: dict[str, dict],
                 wire: set[frozenset], names: dict[str, str]) -> dict:
    """Everything event_part reads for one event, and nothing more: its statements, the
    outlet and date of their articles, the copy pairs among those articles and the display
    names of the speakers its statements name (event_context). The memo key (event_key) is
    a digest of exactly this, with each article's statements by their digest."""
    members = sorted({s["article_id"] for s in statements})
    speakers = {s["speaker_id"] for s in statements if s.get("speaker_id")}
    return {"event_id": event_id, "statements": statements, **event_context(members, speakers, article_of, wire, names)}


def event_context(members: list[str], speakers: set[str], article_of: dict[str, dict], wire: set[frozenset],
                  names: dict[str, str]) -> dict:
    """What event_part reads besides the statements, of the event whose statements are
    those of `members` (sorted article ids) and name `speakers`."""
    inside = set(members)
    return {
        "articles": {aid: {"source_id": article_of[aid]["source_id"],
                           "published": article_of[aid].get("published")} for aid in members},
        "copy_pairs": sorted(sorted(p) for p in wire if p <= inside),
        "names": {k: names[k] for k in sorted(speakers) if k in names},
    }


def event_part(event_id: str, statements: list[dict], articles: dict[str, dict],
               copy_pairs: list[list[str]], names: dict[str, str]) -> EventPart:
    """Alignment, cross-source attribution, utterances and agreement rows of one event: a
    function of its arguments alone (event_inputs builds them), so it can be memoised."""
    source_of = {aid: a["source_id"] for aid, a in articles.items()}
    wire = {frozenset(p) for p in copy_pairs}
    fuller = event_names.full_names(statements)
    renamed = {s["statement_id"]: fuller[s["speaker_id"]][0] for s in statements if s.get("speaker_id") in fuller}
    statements = [_renamed(s, renamed.get(s["statement_id"]), names) for s in statements]
    voices = event_names.body_voices(statements)
    statements = [dict(s, event_voice=voices[s["statement_id"]]) if s["statement_id"] in voices else s
                  for s in statements]
    event = align.prepare_event(statements, source_of)
    links, over = align.align_event(statements, source_of, event)
    spoken = [_with_speaker(s, over.get(s["statement_id"]), names) for s in statements]
    rows, prim, every = utterances.event_utterances(
        event_id, spoken,
        [(link.a.sid, link.b.sid) for link in links], articles, _same_copy(wire))
    row_of = {r["utterance_id"]: r for r in rows}
    agreements = []
    speaker_of = {s["statement_id"]: s.get("speaker_id") for s in spoken}
    # what each outlet said: the speakers its article gave, but for a pronoun, which the
    # article did not name: our reading of it yields to the other outlets' (attribute)
    said = {s["statement_id"]: x if s.get("resolution") == "pronoun" else s for s, x in zip(statements, spoken)}
    roles = event_names.mention_words(statements)
    for link in links + align.utterance_links(event, speaker_of, every, links):
        a, b = sorted((said[link.a.sid], said[link.b.sid]), key=lambda s: s["statement_id"])
        # on the speakers the outlets' articles gave: what each outlet said
        # (two people, or a person and an office the event gives no one else; not a body
        # and a person, who may speak for it)
        conflict = (align.names_a_person(a) and align.names_a_person(b)
                    and not event_names.same_person(a, b, roles))
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
    return EventPart(agreements, rows, prim, over, renamed)


def event_key(event_id: str, statements: list[tuple[str, str]], context: dict) -> str:
    """The memo key of one event: its inputs (event_inputs), each article's statements by
    their digest (`statements`: (article_id, eventinputs.Summary.content) of the articles
    with statements, sorted: they make the event's statements in statement_id order), and
    the stage's declared version. (A memo over the cache directory adds the code's digest:
    crosswire.cache.Memo.)"""
    return cache.digest("event-part", STAGE_VERSION, event_id, [list(x) for x in statements], context)


def _event_part_memoised(inputs: Callable[[], dict], memo: Memo | None, key: str | None) -> EventPart:
    """event_part of `inputs()`, from the memo when it holds it under `key` (its event_key;
    None without a memo): the inputs (the event's statements) are read only on a miss.
    Computed or not, the part is in its JSON form (cache.canonical), so both ways give the
    same objects."""
    found = memo.get(key) if memo is not None else None
    if isinstance(found, dict) and set(found) == set(EventPart._fields):
        return EventPart(**found)  # anything else (a foreign or damaged entry) is a miss
    part = cache.canonical(event_part(**cache.canonical(inputs()))._asdict())
    if memo is not None:
        memo.put(key, cache.canonical(part))
    return EventPart(**part)


def _renamed(s: dict, speaker_id: str | None, names: dict[str, str]) -> dict:
    """The statement under the fuller name of its speaker (event_names), if any: the
    article named the person, so the resolution stays what it was."""
    if not speaker_id:
        return s
    return dict(s, speaker_id=speaker_id, speaker_name=names.get(speaker_id, s.get("speaker_name")))


def _with_speaker(s: dict, speaker_id: str | None, names: dict[str, str]) -> dict:
    """The statement with the speaker other outlets give it (cross_source), if any."""
    if not speaker_id:
        return s
    return dict(s, speaker_id=speaker_id, speaker_name=names.get(speaker_id), resolution="cross_source")


def _same_copy(wire: set[frozenset]):
    """Whether two articles share copy, for the utterances' count of independent sources."""
    return lambda a, b: frozenset((a, b)) in wire
