"""The copies' shingle index and its pairs' copy ids kept between runs, so that a run that
adds one article reads and writes that article's shingles and pairs, not the corpus's.

Two parts under <cache root>/copies/ (crosswire.blobs names them by the code version):

- the base: raw .npy arrays (the hashes in one sorted run and their owners' slots, the pairs
  as slots in copy_id order with their common shingles and copy ids), written whole only
  when the index is compacted, under a token new at each compaction, each to a temporary
  file renamed into place and never changed after. A run maps them (numpy memmap): a query's
  binary searches read the pages they land on, the pairs are read once for the table;
- the log: one sealed blob rewritten each run: the base's token and array lengths, every
  slot's article id, content key, size and whether it is alive, and what was added since
  the base (the second run of hashes, the new pairs and their copy ids).

An article that leaves or changes is marked dead in the log (shingleindex.ShingleIndex
keeps its slot and pairs, unread); the new ones' hashes and pairs are appended. When what
was added since the base, or the dead slots, pass 1/COMPACT of it, the index is compacted and
the base rewritten: the log stays a small fraction of the base, and the whole write is paid
once every many runs. A base file that is missing or not of the length and type the log
records makes the store unusable (the caller builds from scratch); the base is not
re-digested when read (that would read it whole): it is trusted by its name, length and
atomic write, the log by its seal.

Pure functions over arrays; files only under the Blobs root.
"""
from __future__ import annotations

import io
import os
import secrets
import tempfile
from pathlib import Path

import numpy as np

from .blobs import Blobs
from .shingleindex import ShingleIndex

COMPACT = 16   # compact when the added hashes, or the dead slots, pass 1/COMPACT of the base's
_BASE = (("hashes", np.uint64), ("owners", np.int32), ("pair_a", np.int32), ("pair_b", np.int32),
         ("pair_common", np.int64), ("pair_key", "S20"))


class Stored:
    """What a run starts from: the index, the copy id of each of its pairs (parallel to its
    pair arrays) and how many of those pairs are the base's (in copy_id order)."""

    def __init__(self, index: ShingleIndex | None = None, keys: np.ndarray | None = None, in_base: int = 0,
                 token: str = ""):
        self.index = index or ShingleIndex()
        self.keys = np.zeros(0, "S20") if keys is None else keys
        self.in_base, self.token = in_base, token


def _base_path(store: Blobs, token: str, name: str) -> Path:
    return store.root / f"base-{store.code}-{token}-{name}.npy"


def _text(values: list[str]) -> np.ndarray:
    return np.frombuffer("\n".join(values).encode("utf-8"), np.uint8)


def _untext(data: np.ndarray, n: int) -> list[str]:
    out = data.tobytes().decode("utf-8").split("\n") if n else []
    if len(out) != n:
        raise ValueError("slot names do not match their count")
    return out


def load(store: Blobs) -> Stored:
    """The stored index, or an empty one when the store has none or it does not hold together."""
    data = store.get("log")
    if not data or store.root is None:
        return Stored()
    try:
        with np.load(io.BytesIO(data), allow_pickle=False) as z:
            log = {k: z[k] for k in z.files}
        token = bytes(log["token"]).decode("ascii")
        lengths = dict(zip((f for f, _ in _BASE), log["lengths"].tolist()))
        base = {}
        for f, dtype in _BASE:
            arr = np.load(_base_path(store, token, f), mmap_mode="r", allow_pickle=False) if lengths[f] else \
                np.zeros(0, dtype)
            if arr.shape != (lengths[f],) or arr.dtype != np.dtype(dtype):
                return Stored()
            base[f] = arr
        n = len(log["sizes"])
        ids, keys = _untext(log["ids"], n), _untext(log["keys"], n)
        if not (len(log["alive"]) == n and lengths["hashes"] == lengths["owners"]
                and len({lengths[f] for f in ("pair_a", "pair_b", "pair_common", "pair_key")}) == 1
                and len(log["more_hashes"]) == len(log["more_owners"])
                and len({len(log[f]) for f in ("pair_a", "pair_b", "pair_common", "pair_key")}) == 1):
            return Stored()
        pair_a = np.concatenate([base["pair_a"], log["pair_a"]]).astype(np.int32)
        pair_b = np.concatenate([base["pair_b"], log["pair_b"]]).astype(np.int32)
        if len(pair_a) and max(pair_a.max(), pair_b.max()) >= n:
            return Stored()
        index = ShingleIndex(ids, keys, log["sizes"].astype(np.int64), base["hashes"], base["owners"], pair_a, pair_b,
                             np.concatenate([base["pair_common"], log["pair_common"]]).astype(np.int64),
                             log["alive"].astype(bool), log["more_hashes"].astype(np.uint64),
                             log["more_owners"].astype(np.int32))
        return Stored(index, np.concatenate([base["pair_key"], log["pair_key"]]), lengths["pair_a"], token)
    except (ValueError, KeyError, OSError, IndexError, UnicodeDecodeError, EOFError):
        return Stored()


def copy_order(keys: np.ndarray, in_base: int, live: np.ndarray) -> np.ndarray:
    """The positions of the live pairs in copy_id order: the first `in_base` are in that
    order already (the base's); the others are sorted and merged in."""
    at = np.arange(len(keys))
    base, rest = at[:in_base][live[:in_base]], at[in_base:][live[in_base:]]
    rest = rest[np.argsort(keys[rest], kind="stable")]
    return np.insert(base, np.searchsorted(keys[base], keys[rest]), rest)


def save(store: Blobs, before: Stored, index: ShingleIndex, keys: np.ndarray) -> Stored:
    """Store the run's index (`keys`: its pairs' copy ids): the log only, or a new base when
    it is due (then the index comes back compacted, slots renumbered). -> what a later
    run's `load` gives."""
    base_hashes = len(index.hashes)
    due = len(index.more_hashes) * COMPACT > base_hashes or (~index.alive).sum() * COMPACT > len(index.alive)
    if due:
        live = index.live_pairs()
        order = copy_order(keys, before.in_base, live)
        index = index.compacted()      # keeps the live pairs in their order: `order` maps them by rank
        rank = np.empty(len(live), np.int64)
        rank[np.flatnonzero(live)] = np.arange(live.sum())
        at = rank[order]
        index.pair_a, index.pair_b, index.pair_common = index.pair_a[at], index.pair_b[at], index.pair_common[at]
        stored = Stored(index, keys[order], len(order), secrets.token_hex(8))
        if store.root is not None and not _write_base(store, stored):
            return stored
    else:
        stored = Stored(index, keys, before.in_base, before.token)
    if store.root is not None:
        store.put("log", _log(stored))
        if due:
            _drop_other_bases(store, stored.token)
    return stored


def _write_base(store: Blobs, stored: Stored) -> bool:
    index = stored.index
    arrays = {"hashes": index.hashes, "owners": index.owners, "pair_a": index.pair_a, "pair_b": index.pair_b,
              "pair_common": index.pair_common, "pair_key": stored.keys}
    try:
        store.root.mkdir(parents=True, exist_ok=True)
        for f, dtype in _BASE:
            fd, tmp = tempfile.mkstemp(prefix=".base.", suffix=".tmp", dir=store.root)
            try:
                with os.fdopen(fd, "wb") as out:
                    np.save(out, np.ascontiguousarray(arrays[f], dtype), allow_pickle=False)
                os.chmod(tmp, 0o644)
                os.replace(tmp, _base_path(store, stored.token, f))
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
    except OSError:
        return False
    return True


def _drop_other_bases(store: Blobs, token: str) -> None:
    """Remove the bases of earlier compactions (of this code: the log names only the new one)."""
    for path in store.root.glob(f"base-{store.code}-*.npy"):
        if not path.name.startswith(f"base-{store.code}-{token}-"):
            path.unlink(missing_ok=True)


def _log(stored: Stored) -> bytes:
    index, n = stored.index, stored.in_base
    lengths = [len(index.hashes), len(index.owners)] + [n] * 4
    buf = io.BytesIO()
    np.savez(buf, token=np.frombuffer(stored.token.encode("ascii"), np.uint8), lengths=np.array(lengths, np.int64),
             ids=_text(index.ids), keys=_text(index.keys), sizes=np.asarray(index.sizes, np.int64),
             alive=index.alive, more_hashes=index.more_hashes, more_owners=index.more_owners,
             pair_a=index.pair_a[n:], pair_b=index.pair_b[n:], pair_common=index.pair_common[n:],
             pair_key=stored.keys[n:])
    return buf.getvalue()
