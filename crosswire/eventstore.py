"""What the events stage keeps between runs besides the profiles: the last grouping as
compact arrays, and its links sharded by component.

A component is one of step 1's core groups (crosswire.events.core_groups: the articles its
accepted links and a shared sidecar key hold together) joined with the undated group that
attached to it. A link of one kind between two components was refused (the group's dates
would not fit the window, or two keys); it is stored with both, so a run that regroups one
finds the components it could now merge with (crosswire.eventincremental checks them),
regroups only the components that an added, removed or changed article touches or that
would merge with those, and keeps every other article's event as it is stored, without
reading its profile or links.

- the state (one blob): per article of the last run its ident (article id, profile key and
  date), profile key, event number, component number, whether it was dated far outside its
  event, its day and its blocking keys (feature hashes of its top terms and statement runs,
  with their RUN/QUOTE flags: what finds a new article's candidate pairs without profiles);
  per event its date span (as the members holding its ends), tying terms and label words;
  per component its name (its smallest ident) and the digest of its links; per article its
  group before undated groups attach and, for an undated one, the group it joined; and the
  links between an undated and a dated article (they couple no component: an undated
  group's choice is made again from them and the stored groups when one it reaches changes);
- the links (LINK_SHARDS blobs): each component's links (of one kind, with an end in it)
  under its name, in the shard of the name's first byte, so a run reads and rewrites only the
  shards of the components it regroups.

Pure functions over bytes and arrays; I/O only through crosswire.blobs.Blobs.
"""
from __future__ import annotations

import hashlib
import marshal
from dataclasses import dataclass

import numpy as np

from .blobs import Blobs

LINK_SHARDS = 256   # by a component name's first byte: a regrouped component rewrites one


@dataclass
class State:
    idents: list[bytes]          # per article, in article_id order
    pkeys: list[bytes]
    event: np.ndarray            # int64 event number per article
    component: np.ndarray        # int64 component number per article
    far: np.ndarray              # bool: dated far outside its event
    dated: np.ndarray            # bool
    day: np.ndarray              # int64 whole days since the epoch (0 when undated)
    key_owner: np.ndarray        # int64 article of each blocking key
    key_hash: np.ndarray         # uint64 feature hash
    key_flag: np.ndarray         # uint8 eventarrays.RUN | QUOTE bits of the key
    key_statement: np.ndarray    # int32 for a run, the first of its article's statements that has it, else -1
    core: np.ndarray             # int64 per article: the first article of its events.core_groups group
    group1: np.ndarray           # int64: the first article of its group after step 1 (undated groups joined)
    loose: np.ndarray            # bool: its core group is undated and keyless (events.loose_groups)
    target: np.ndarray           # int64: for a loose article, the first article of the dated group its
                                 # group joined (events.attach_targets), else -1
    cross_u: np.ndarray          # int64 the undated article of each link between an undated and a
    cross_d: np.ndarray          # int64 ... dated article, and the dated one (in no order: sorted
    cross_cos: np.ndarray        # float64 strongest first where read) with their cosine,
    cross_words: np.ndarray      # float64 ... the part plain words make
    cross_shared: np.ndarray     # int64 ... and the statement runs in common
    events: list[tuple]          # per event number: (span lo article or -1, span hi article or -1, tied, terms)
    names: list[bytes]           # per component number: its name
    digests: list[bytes]         # per component number: digest of its stored links


_ARRAYS = (("event", np.int64), ("component", np.int64), ("far", np.bool_), ("dated", np.bool_),
           ("day", np.int64), ("key_owner", np.int64), ("key_hash", np.uint64), ("key_flag", np.uint8),
           ("key_statement", np.int32),
           ("core", np.int64), ("group1", np.int64), ("loose", np.bool_), ("target", np.int64), ("cross_u", np.int64),
           ("cross_d", np.int64), ("cross_cos", np.float64), ("cross_words", np.float64),
           ("cross_shared", np.int64))


def dump_state(state: State) -> bytes:
    """The state as bytes; each array is marshalled from its own buffer (the bytes it would
    have as `tobytes()`), copied only when not already of its stored type: the undated-dated
    links are millions at 10k articles, and every copy of them was one more at the peak."""
    arrays = [np.ascontiguousarray(getattr(state, f), t).data for f, t in _ARRAYS]
    return marshal.dumps((state.idents, state.pkeys, arrays, state.events, state.names, state.digests))


def load_state(data: bytes | None) -> State | None:
    """The stored state, or None when there is none or it does not hold together."""
    try:
        idents, pkeys, arrays, evs, names, digests = marshal.loads(data)
        cols = {f: np.frombuffer(b, t) for (f, t), b in zip(_ARRAYS, arrays)}
        state = State(idents, pkeys, **cols, events=evs, names=names, digests=digests)
    except (TypeError, ValueError, EOFError):
        return None
    n = len(idents)
    sizes = {len(pkeys), len(state.event), len(state.component), len(state.far), len(state.dated), len(state.day),
             len(state.core), len(state.group1), len(state.loose), len(state.target)}
    cross = (state.cross_u, state.cross_d, state.cross_cos, state.cross_words, state.cross_shared)
    if sizes != {n} or len(state.names) != len(state.digests) or \
            len({len(state.key_owner), len(state.key_hash), len(state.key_flag), len(state.key_statement)}) != 1 or \
            len({len(c) for c in cross}) != 1:
        return None
    if n and (state.event.max() >= len(evs) or state.component.max() >= len(names) or state.event.min() < 0
              or (len(state.key_owner) and state.key_owner.max() >= n) or max(state.core.max(), state.group1.max()) >= n
              or min(state.core.min(), state.group1.min()) < 0 or state.target.max() >= n
              or (len(state.cross_u) and max(state.cross_u.max(), state.cross_d.max()) >= n)):
        return None
    return state


def _shard(name: bytes) -> str:
    return f"links-{name[0] % LINK_SHARDS:03d}"


def pack_links(members: list[bytes], i: np.ndarray, j: np.ndarray, cos: np.ndarray, words: np.ndarray,
               shared: np.ndarray) -> bytes:
    """One component's links, i and j numbering its `members` (idents)."""
    return marshal.dumps((members, i.astype(np.int64).tobytes(), j.astype(np.int64).tobytes(),
                          cos.astype(np.float64).tobytes(), words.astype(np.float64).tobytes(),
                          shared.astype(np.int64).tobytes()))


def unpack_links(payload: bytes) -> tuple[list[bytes], tuple] | None:
    try:
        members, *cols = marshal.loads(payload)
        arrays = tuple(np.frombuffer(c, t) for c, t in zip(cols, (np.int64, np.int64, np.float64, np.float64,
                                                                   np.int64)))
    except (TypeError, ValueError, EOFError):
        return None
    if len({len(a) for a in arrays}) != 1 or (len(arrays[0]) and max(arrays[0].max(), arrays[1].max()) >= len(members)):
        return None
    return members, arrays


def digest(payload: bytes) -> bytes:
    return hashlib.sha256(payload).digest()[:16]


class LinkShards:
    """The components' links in LINK_SHARDS blobs, each a marshalled {name: payload}; shards
    are read once and written back only when a component in them changed."""

    def __init__(self, store: Blobs):
        self.store, self.read, self.dirty = store, {}, set()

    def _shard(self, shard: str) -> dict:
        if shard not in self.read:
            data = self.store.get(shard)
            try:
                found = marshal.loads(data) if data else {}
            except (TypeError, ValueError, EOFError):
                found = {}
            self.read[shard] = found if isinstance(found, dict) else {}
        return self.read[shard]

    def get(self, name: bytes, expected: bytes) -> bytes | None:
        """A component's links payload, None when missing or not the one the state expects."""
        payload = self._shard(_shard(name)).get(name)
        return payload if isinstance(payload, bytes) and digest(payload) == expected else None

    def drop(self, name: bytes) -> None:
        shard = _shard(name)
        if self._shard(shard).pop(name, None) is not None:
            self.dirty.add(shard)

    def put(self, name: bytes, payload: bytes) -> None:
        shard = _shard(name)
        self._shard(shard)[name] = payload
        self.dirty.add(shard)

    def clear(self) -> None:
        """Forget every stored component (a run from scratch rewrites all shards)."""
        self.read = {f"links-{k:03d}": {} for k in range(LINK_SHARDS)}
        self.dirty = set(self.read)

    def flush(self) -> None:
        for shard in sorted(self.dirty):
            self.store.put(shard, marshal.dumps(self.read[shard]))
        self.dirty = set()
