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
     "statements": "rows" | {"rejected": reason} | None}      # what that statements entry holds

The blob is named by what `bad` depends on (the articles table's schema, the row check's
code); `skey` carries its own context (statements code, model, people registry). An entry is
used only when the articles entry it stands for is still in the cache, so a pruned cache
never leaves the run with a row it cannot read back. Pure library code: no Prefect here.
"""
from __future__ import annotations

from pathlib import Path

from .blobs import Blobs
from .cache import dumps, loads

STAGE = "article-index"
NAME = "index"


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
