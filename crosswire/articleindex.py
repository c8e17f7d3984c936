"""What a run's driver needs of each cached article, kept between runs in one blob.

After clean + metadata, the driver needs of every article its slim row (without its text:
corroborate.slim_article), whether the row passes its schema check (rowcheck), the key of its
statements' cache entry (cache.statements_key, a digest of the whole row, text included) and
whether that entry holds rows or a rejection. Reading every article's and statements' cache
entry back to learn these costs more than anything else an added article does; all of them
are functions of the article's cache key (its entry's content) and of the run's context, so
the run keeps them in an index by article key (a sealed blob, crosswire.blobs) and reads
only the entries of articles it has not seen.

An entry:
    {"outcome": {"row": slim row} | {"rejected": reason},   # the articles entry, slim
     "bad": reason | None,                                    # rowcheck of the full row
     "skey": [context, statements key] | None,                # cache.statements_key in a context
     "statements": "rows" | {"rejected": reason} | None,      # what that statements entry holds
     "seen": {"articles": stats, "statements": stats}}        # optional: the two entries' file
                                                              # stats when a run verified them

The blob is named by what `bad` depends on (the articles table's schema, the row check's
code); `skey` carries its own context (statements code, model, people registry). An entry is
used only when the articles entry it stands for is still in the cache and intact, so a pruned
cache never leaves the run with a row it cannot read back; `seen` lets a run tell that the two
entries are the ones a run verified by their stats, without reading them (cache.Cache.vouched).
Pure library code: no Prefect here.
"""
from __future__ import annotations

from pathlib import Path

from . import cache
from .blobs import Blobs
from .cache import dumps, loads
from .corroborate import slim_article

STAGE = "article-index"
NAME = "index"
# a result the store holds: the run keeps this marker for it, not the result (read back when needed)
KEPT = "kept-in-store"


def load(root: Path | None, context: str) -> dict[str, dict]:
    """{article key: entry} of the last run under this context ({} without one)."""
    payload = Blobs(root, STAGE, context).get(NAME)
    if payload is None:
        return {}
    try:
        entries = loads(payload.decode("utf-8"))
    except ValueError:
        return {}
    return entries if isinstance(entries, dict) else {}


def save(root: Path | None, context: str, entries: dict[str, dict], before: dict[str, dict]) -> None:
    """Keep `entries` (this run's articles) for the next run, when they differ from `before`."""
    if root is not None and entries != before:
        Blobs(root, STAGE, context).put(NAME, dumps(entries).encode("utf-8"))


def is_retry(outcome) -> bool:
    """An outcome not to cache (e.g. over its time budget): the next run tries again."""
    return isinstance(outcome, dict) and bool(outcome.get("retry"))


def seen(entry: dict | None, stage: str) -> list | None:
    """The stats of the `stage` ("articles" or "statements") cache entry an index entry stands
    for, as a run last verified it (cache.Cache.vouched), or None."""
    stats = (entry or {}).get("seen") or {}
    return stats.get(stage) if isinstance(stats, dict) else None


def indexed_statements(store: cache.Cache, entry: dict | None, skey: str) -> tuple:
    """(what the run keeps of an indexed article's statements entry (KEPT, or its rejection),
    when the index knows it under skey and the entry is intact, else None; the entry's stats
    that vouch for it next time, or None)."""
    if not entry or not entry.get("skey") or entry["skey"][1] != skey or entry.get("statements") is None:
        return None, None
    intact, stats = store.vouched("statements", skey, seen(entry, "statements"))
    if not intact:
        return None, None
    return KEPT if entry["statements"] == "rows" else entry["statements"], stats


def vouch_unseen(store: cache.Cache, entries: dict) -> int:
    """Of `entries` (entries_of's), the cache entries with no stats to vouch for them yet
    (written by this run, or changed within unchanged.RACY_NS of the run's first check)
    checked once more now (cache.Cache.vouched: read and verified), their stats kept where
    they have settled: the next run takes them by their stats instead of reading them (a run
    that extracted a corpus's statements wrote 20k entries, read again by the run after it).
    As safe as that next run's check, which this is, made earlier: the stats vouch only once
    RACY_NS has passed since the entry last changed. -> how many entries gained stats."""
    gained = 0
    for key, entry in entries.items():
        stats = dict(entry.get("seen") or {})
        named = [("articles", key)] + ([("statements", entry["skey"][1])] if entry.get("skey") else [])
        for stage, name in named:
            if stage in stats:
                continue
            intact, settled = store.vouched(stage, name)
            if intact and settled is not None:
                stats[stage] = settled
                gained += 1
        if stats:
            entry["seen"] = stats
    return gained


def entries_of(outcomes: list, keys: list[str], bad_of: dict, statements_of: dict, skey_context: str,
               vouched: dict | None = None) -> dict:
    """The index entries of a run's articles, {article key: entry}: `outcomes` the articles
    entries (in the order of their `keys`), `bad_of` {article_id: row check's reason},
    `statements_of` {article_id: (statements key, what the run kept of that entry)},
    `vouched` {article key: {"articles": stats, "statements": stats}}: the stats of the
    entries this run verified (cache.Cache.vouched), where they can vouch for them."""
    entries, vouched = {}, vouched or {}
    for outcome, key in zip(outcomes, keys):
        stats = {k: v for k, v in (vouched.get(key) or {}).items() if v is not None}
        if "row" not in outcome:
            entries[key] = {"outcome": outcome, "bad": None, "skey": None, "statements": None}
        else:
            aid = outcome["row"]["article_id"]
            skey, found = statements_of.get(aid, (None, None))
            kept = "rows" if found == KEPT else found if isinstance(found, dict) and not is_retry(found) else None
            entries[key] = {"outcome": {"row": slim_article(outcome["row"])}, "bad": bad_of.get(aid),
                            "skey": [skey_context, skey] if kept is not None else None, "statements": kept}
            if kept is None:
                stats.pop("statements", None)
        if stats:
            entries[key]["seen"] = stats
    return entries
