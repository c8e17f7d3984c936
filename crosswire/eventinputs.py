"""What the cross-source stage reads of each article's statements, digested per article and
kept between runs: a run then reads the statements only of the articles it profiles, shingles
or aligns (a new article and its event), not the whole corpus's.

An article's `Summary` is a function of its statements alone (in statement_id order): the
digest the grouping's profile key reads (events.statements_digest), the one the copy index's
narrative key reads (copies.spans_digest), a digest of the whole rows (what an event's
cross-source part reads of them: corroborate.event_key), how many there are, the speaker ids
they name, and their (speaker_id, speaker_name) and speaker_name counts (the display names,
the events' labels). So it is kept under the key of the article's statements cache entry,
which names exactly those statements: one blob under the cache directory, rewritten when an
article comes or goes. Articles without a key (rows held in memory) are digested each run.
"""
from __future__ import annotations

import marshal
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

from . import cache, copies, events
from .blobs import Blobs


class Summary(NamedTuple):
    profile: bytes            # events.statements_digest
    spans: str                # copies.spans_digest
    content: str              # digest of the statement rows, whole
    count: int                # statements
    speakers: tuple           # the speaker ids they name, sorted
    names: tuple              # ((speaker_id, speaker_name, statements), ...): the names outlets use
    people: tuple             # ((speaker_name, statements), ...): who the article quotes


def summary(statements: list[dict]) -> Summary:
    """The Summary of one article's statements (in statement_id order)."""
    names = Counter((s["speaker_id"], s["speaker_name"]) for s in statements
                    if s.get("speaker_id") and s.get("speaker_name"))
    people = Counter(s["speaker_name"] for s in statements if s.get("speaker_name"))
    return Summary(events.statements_digest(statements), copies.spans_digest(statements),
                   cache.digest("statements", statements), len(statements),
                   tuple(sorted({s["speaker_id"] for s in statements if s.get("speaker_id")})),
                   tuple((i, n, c) for (i, n), c in sorted(names.items())), tuple(sorted(people.items())))


def _code() -> str:
    """What a stored summary depends on besides the statements: this code and the digests'."""
    return cache.code_version("statement-summaries-1", [sys.modules[__name__], events, copies]) + \
        f":py{sys.version_info[0]}.{sys.version_info[1]}"


def _valid(entry) -> bool:
    return isinstance(entry, tuple) and len(entry) == len(Summary._fields) and isinstance(entry[0], bytes)


def summaries(article_ids: list[str], statements_of: Callable[[str], list[dict]], keys: dict[str, str] | None = None,
              store_root: Path | None = None, counts: dict | None = None) -> dict[str, Summary]:
    """{article_id: Summary}: those of the articles whose statements cache key (`keys`) the
    store under `store_root` holds read from it, the others made from `statements_of(article_id)`
    (statement_id order); the store rewritten to hold exactly this corpus's when that changed.
    `counts` gets "summarised": how many were made."""
    keys = keys or {}
    store = Blobs(store_root, "statement-summaries", _code()) if store_root is not None else None
    stored = {}
    if store is not None:
        try:
            stored = marshal.loads(store.get("summaries") or marshal.dumps({}))
        except (ValueError, EOFError, TypeError):
            stored = {}
        if not isinstance(stored, dict):
            stored = {}
    out, kept, made = {}, {}, 0
    for aid in article_ids:
        key = keys.get(aid)
        entry = stored.get(key) if key is not None else None
        if not _valid(entry):
            entry = tuple(summary(statements_of(aid)))
            made += 1
        if key is not None:
            kept[key] = entry
        out[aid] = Summary(*entry)
    if store is not None and kept.keys() != stored.keys():
        store.put("summaries", marshal.dumps(kept))
    if counts is not None:
        counts["summarised"] = made
    return out

